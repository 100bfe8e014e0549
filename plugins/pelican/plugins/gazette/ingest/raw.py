"""Parse one raw article file into its parts.

The contract, like Pelican's ``read()``: bytes in, a ``RawStory`` or a
``Rejection`` out, never an exception. Pure Python, no Pelican import.

A raw file looks like::

    Date: 2021-08-09            <- optional editor header lines
    Section: World

    Headline on the first line

    By Jane Doe, Reuters         <- optional byline
    Washington DC: First paragraph, opening with a dateline.

    More paragraphs ...
    Next Story                   <- trailing site junk, removed
"""

import re
from dataclasses import dataclass, field

from . import opening
from .boilerplate import Phrases, strip_junk_lines, strip_phrases, strip_trailing_junk
from .dateline import split_dateline
from .headlines import SUFFIXES, strip_suffix
from .text import NotText, read_text

# Priority: and Lead: are the editor's ranking signals (digest/ranking.py).
HEADER_FIELDS = ("date", "section", "topics", "source", "byline", "priority", "lead")
# Pelican's metadata names for the same fields: a publisher's own files often use them.
HEADER_ALIASES = {"category": "section", "tags": "topics", "author": "byline", "authors": "byline"}
_HEADER = re.compile(
    rf"({'|'.join((*HEADER_FIELDS, 'title', *HEADER_ALIASES))})[ \t]*:[ \t]*(.*)", re.IGNORECASE
)
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+")  # "# Headline", pasted from Markdown
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")  # "don't", "U.S." and "well-known" are one word each
# Lines above the lede that may be time stamps or a byline.
_OPENING_LINES = 4
MAX_HEADLINE_CHARS = 400
# A line longer than this is a whole unwrapped paragraph, not a hard-wrapped line.
_WRAP_WIDTH = 100
# Hard-wrapped prose fills its lines; shorter lines are a table or a list.
_MIN_WRAPPED_MEAN = 45


@dataclass(frozen=True)
class Rejection:
    source: str
    reason: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawStory:
    source: str
    title: str
    paragraphs: tuple[str, ...]  # body; the first without its dateline
    headers: dict = field(default_factory=dict)  # lower-case name -> value
    byline: str | None = None
    dateline: str | None = None
    place: str | None = None
    removed: tuple[str, ...] = ()  # junk lines and phrases taken off
    warnings: tuple[str, ...] = ()
    word_count: int = 0  # of the body: counted here, so the parse cache keeps it
    # Plain values only below (the parse cache stores them with marshal).
    agency: str | None = None  # a wire dateline's agency: "Reuters", "PTI"
    credits: tuple[str, ...] = ()  # "Reporting by …; Editing by …", kept apart from the body
    corrections: tuple[str, ...] = ()  # "(In Dec. 25 story, … corrects …)"
    original_title: str | None = None  # the headline before a site suffix was taken off
    kind: str = "text"  # "text" (a .txt file) or "html" (a saved page)
    html_body: str | None = None  # a saved page's body as safe HTML (ingest/htmlpage.py)
    canonical_url: str | None = None
    publisher: str | None = None  # the site's or publisher's name
    image: str | None = None  # the page's own image URL (Open Graph, JSON-LD)
    lang: str | None = None
    published: str | None = None  # the page's own times, ISO 8601
    updated: str | None = None
    keywords: tuple[str, ...] = ()  # the page's own keywords

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)


def parse(
    data: bytes, source: str, junk: re.Pattern, suffixes: re.Pattern = SUFFIXES
) -> RawStory | Rejection:
    """Parse the bytes of the raw file ``source`` (a path used for naming).

    ``junk`` matches a whole junk line (boilerplate.compile_patterns), ``suffixes`` a
    site name after a headline (headlines.compile_suffixes).
    """
    try:
        text, warnings = read_text(data)
    except NotText as err:
        return Rejection(source, str(err))
    lines = [line.rstrip() for line in text.split("\n")]
    try:
        headers, start = _headers(lines)
    except _RepeatedHeader as err:
        return Rejection(source, str(err), tuple(warnings))
    lines = lines[start:]
    title = " ".join(headers.pop("title", "").split())  # the headline as a header (Title:)
    if not title and not any(lines):
        reason = "only header lines, no headline" if headers else "empty file"
        return Rejection(source, reason, tuple(warnings))
    headless = False
    if not title:
        title, rest = _headline(lines)
        headless = _is_a_lede(title)
        lines = lines if headless else rest  # a lede first: the body starts there
    if len(title) > MAX_HEADLINE_CHARS and not headless:
        return Rejection(
            source,
            f"first line is {len(title):,} characters long, too long for a headline "
            f"(at most {MAX_HEADLINE_CHARS})",
            tuple(warnings),
        )
    title, original_title = strip_suffix(title, suffixes)
    lines, removed = strip_trailing_junk(lines, junk)
    lines, inner = strip_junk_lines(lines, junk)
    removed = inner + removed
    blocks = _blocks(lines)
    times, blocks = _stamps(blocks, removed)
    byline, blocks = _byline(blocks)
    paragraphs = [p for block in blocks for p in _paragraphs(block)]
    if not paragraphs:
        return Rejection(source, "headline only, no body text", tuple(warnings))
    lede, corrections, notes, run_on = opening.lede_notes(paragraphs[0])
    removed.extend(notes)
    byline = byline or run_on
    dateline = place = agency = None
    found = split_dateline(lede)
    if found:
        dateline, place, lede, agency = found
        dateline, place = dateline or None, place or None
    paragraphs[0] = lede
    phrases = Phrases()
    last = len(paragraphs) - 1
    paragraphs = [strip_phrases(p, phrases, trailing=i == last) for i, p in enumerate(paragraphs)]
    paragraphs = [p for p in paragraphs if p.strip()]
    removed.extend(phrases.junk)
    corrections.extend(phrases.corrections)
    if not paragraphs:
        reason = "dateline only, no body text" if found else "no body text once site junk is off"
        return Rejection(source, reason, tuple(warnings))
    if headless:
        title = " ".join(paragraphs[0].split()[:HEADLESS_WORDS])
        warnings.append("no headline: the file opens with its lede; its first words stand in")
    return RawStory(
        source=source,
        title=title,
        paragraphs=tuple(paragraphs),
        headers=headers,
        byline=headers.get("byline") or byline,
        dateline=dateline,
        place=place,
        removed=tuple(removed),
        warnings=tuple(warnings),
        word_count=sum(len(_WORD.findall(p)) for p in paragraphs),
        agency=agency,
        credits=tuple(phrases.credits),
        corrections=tuple(corrections),
        original_title=original_title,
        published=times.get("published"),
        updated=times.get("updated"),
    )


def _stamps(blocks: list[list[str]], removed: list[str]) -> tuple[dict, list[list[str]]]:
    """Time stamp lines above the lede ("Updated: 10:32 IST") taken off; the whole dates
    they give, as {"published"|"updated": ISO date}."""
    times: dict = {}
    kept: list[list[str]] = []
    seen = 0
    for block in blocks:
        if seen >= _OPENING_LINES:
            kept.append(block)
            continue
        rest = []
        for line in block:
            seen += 1
            if seen <= _OPENING_LINES and not rest and opening.is_stamp(line):
                removed.append(line.strip())
                stamp = opening.stamp_date(line)
                if stamp:
                    times.setdefault(*stamp)
            else:
                rest.append(line)
        if rest:
            kept.append(rest)
    return times, kept


def _headers(lines: list[str]) -> tuple[dict, int]:
    """Editor header lines at the top; returns them and where the rest starts."""
    headers = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        match = _HEADER.fullmatch(line)
        if not line and not headers:
            i += 1
            continue
        if not match:
            break
        name = HEADER_ALIASES.get(match[1].lower(), match[1].lower())
        if name in headers:
            raise _RepeatedHeader(f"the {match[1].title()}: header line is given twice")
        headers[name] = match[2].strip()
        i += 1
    return headers, i


class _RepeatedHeader(ValueError):
    pass


# A first line of this many words that opens with a dateline, or is longer than any headline,
# is the lede, not a headline ("WASHINGTON (Reuters) - The United States showed no sign ...":
# wire copy scraped without its title).
LEDE_MIN_WORDS = 20
HEADLESS_WORDS = 12  # of the lede, for a story without a headline (as for a page without one)


def _is_a_lede(line: str) -> bool:
    if len(line.split()) < LEDE_MIN_WORDS:
        return False
    return len(line) > MAX_HEADLINE_CHARS or split_dateline(line) is not None


def _headline(lines: list[str]) -> tuple[str, list[str]]:
    """The first non-blank line, and the lines after it."""
    i = next(i for i, line in enumerate(lines) if line.strip())
    return " ".join(_MARKDOWN_HEADING.sub("", lines[i].strip(), count=1).split()), lines[i + 1 :]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _byline(blocks: list[list[str]]) -> tuple[str | None, list[list[str]]]:
    """A short byline line opening the body (opening.as_byline) is the byline."""
    if not blocks:
        return None, blocks
    byline = opening.as_byline(blocks[0][0])
    if byline is None:
        return None, blocks
    rest = [blocks[0][1:], *blocks[1:]] if len(blocks[0]) > 1 else blocks[1:]
    return (byline, rest) if rest else (None, blocks)


def _paragraphs(block: list[str]) -> list[str]:
    """Paragraphs of one block of lines.

    Wire copy marks paragraphs with an indent and hard-wraps them; other
    text puts one paragraph on each (long) line.
    """
    indented = [line[:1].isspace() for line in block]
    if any(indented) and not all(indented):
        groups = []
        for line, starts in zip(block, indented, strict=True):
            if starts or not groups:
                groups.append([])
            groups[-1].append(line.strip())
    else:
        groups = [[line.strip() for line in block]]
    return [p for group in groups for p in _unwrap(group)]


def _unwrap(lines: list[str]) -> list[str]:
    if len(lines) == 1:
        return lines
    head = lines[:-1]
    if any(len(line) > _WRAP_WIDTH for line in head):
        return lines  # one paragraph per line
    if sum(map(len, head)) / len(head) >= _MIN_WRAPPED_MEAN:
        return [" ".join(lines)]  # hard-wrapped prose
    return ["\n".join(lines)]  # short lines: a table or list, keep the breaks
