"""Read the third-party test corpora from ``../shared/corpora`` at run time.

Nothing from them is ever written into the repository: tests build raw files
in temporary folders from these sources.
"""

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
BBC = CORPORA / "bbc-news"
REUTERS = CORPORA / "reuters-21578"


def require(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"corpus not found at ../shared/corpora/{path.name}: skipping corpus test")
    return path


def bbc_files() -> list[Path]:
    return sorted(require(BBC).glob("*/*.txt"))


@dataclass
class WireStory:
    newid: str
    title: str
    author: str | None  # as in <AUTHOR>, stripped
    dateline: str  # as in <DATELINE>, without separator
    raw_dateline: str  # as in <DATELINE>, spaces and separator included
    body: str  # without the Reuter trailer
    raw_body: str  # as on the wire, trailer included


_RECORD = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\">(.*?)</REUTERS>", re.DOTALL)


def _tag(record: str, name: str) -> str | None:
    match = re.search(rf"<{name}>(.*?)</{name}>", record, re.DOTALL)
    return match[1] if match else None


def _unescape(text: str) -> str:
    text = re.sub(r"&#(\d+);", lambda m: "" if int(m[1]) < 32 else chr(int(m[1])), text)
    return html.unescape(text)


def reuters_stories() -> list[WireStory]:
    """Every story with a title, a dateline and a body."""
    stories = []
    for sgm in sorted(require(REUTERS).glob("reut2-*.sgm")):
        for newid, record in _RECORD.findall(sgm.read_text("latin-1")):
            title, dateline, body = (_tag(record, t) for t in ("TITLE", "DATELINE", "BODY"))
            if not (title and dateline and body):
                continue
            body = _unescape(body)
            author = _tag(record, "AUTHOR")
            stories.append(
                WireStory(
                    newid=newid,
                    title=" ".join(_unescape(title).split()),
                    author=" ".join(_unescape(author).split()) if author else None,
                    dateline=_unescape(dateline).strip().rstrip("-").strip(),
                    raw_dateline=_unescape(dateline),
                    body=re.sub(r"\s*\bReuter\s*$", "", body.rstrip(), flags=re.IGNORECASE),
                    raw_body=body,
                )
            )
    return stories


def wire_raw_file(story: WireStory, rng: random.Random) -> str:
    """The story as a raw file in the sample's style.

    Half keep the wire's hard wrapping and indented paragraphs; half are
    unwrapped, one paragraph a line with blank lines between.
    """
    head = f"{story.title}\n\n"
    if story.author:
        head += f"{story.author}\n\n"
    raw = story.raw_dateline + story.raw_body
    if rng.random() < 0.5:
        return head + raw
    paragraphs = re.split(r"\n(?= )", raw)
    return head + "\n\n".join(" ".join(p.split()) for p in paragraphs) + "\n"


def normalise_ws(text: str) -> str:
    return " ".join(text.split())


ISOT = CORPORA / "isot-news"
NEWS_SUMMARY = CORPORA / "news-summary"


@dataclass
class SiteStory:
    name: str  # a file name for it: "isot-0001.txt"
    title: str
    text: str  # the body as scraped, one flattened paragraph or a few
    url: str = ""  # the publisher's page (news-summary only)

    def raw_file(self) -> str:
        """The row as a raw file: the title, a blank line, the text."""
        return f"{self.title}\n\n{self.text}\n"


def _csv_rows(path: Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def isot_stories() -> list[SiteStory]:
    """ISOT's Reuters rows, in file order."""
    rows = _csv_rows(require(ISOT) / "True.csv")
    return [
        SiteStory(f"isot-{i:04d}.txt", row["title"].strip(), row["text"].strip())
        for i, row in enumerate(rows)
    ]


def news_summary_stories() -> list[SiteStory]:
    """News Summary rows that have a scraped article (a few have none), in file order."""
    rows = _csv_rows(require(NEWS_SUMMARY) / "news_summary.csv")
    return [
        SiteStory(
            f"news-{i:04d}.txt", row["headlines"].strip(), row["ctext"].strip(), row["read_more"]
        )
        for i, row in enumerate(rows)
        if row["ctext"].strip()
    ]
