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

from .boilerplate import strip_trailing_junk
from .dateline import split_dateline
from .text import NotText, read_text

HEADER_FIELDS = ("date", "section", "topics", "source", "byline")
_HEADER = re.compile(rf"({'|'.join(HEADER_FIELDS)})[ \t]*:[ \t]*(.*)", re.IGNORECASE)
# "By Jane Doe", "BY JANE DOE AND JOHN ROE, Reuters": name-shaped words, an optional agency.
_NAME = r"[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|de|da|di|van|von|der|al|bin|la|le))*"
_AGENCY = r"[ \t]*,[ \t]*[\w&'’. -]{2,40}"
_BYLINE = re.compile(rf"[Bb][Yy][ \t]+({_NAME}(?:[ \t]*(?:,|and|&)[ \t]*{_NAME})*(?:{_AGENCY})?)")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")  # "don't", "U.S." and "well-known" are one word each
_NOT_NAMES = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march"
    r"|april|may|june|july|august|september|october|november|december|then|now|the)\b",
    re.IGNORECASE,
)
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


def parse(data: bytes, source: str, junk: re.Pattern) -> RawStory | Rejection:
    """Parse the bytes of the raw file ``source`` (a path used for naming)."""
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
    if not any(lines):
        reason = "only header lines, no headline" if headers else "empty file"
        return Rejection(source, reason, tuple(warnings))
    title, lines = _headline(lines)
    if len(title) > MAX_HEADLINE_CHARS:
        return Rejection(
            source,
            f"first line is {len(title):,} characters long, too long for a headline "
            f"(at most {MAX_HEADLINE_CHARS})",
            tuple(warnings),
        )
    lines, removed = strip_trailing_junk(lines, junk)
    blocks = _blocks(lines)
    byline, blocks = _byline(blocks)
    paragraphs = [p for block in blocks for p in _paragraphs(block)]
    if not paragraphs:
        return Rejection(source, "headline only, no body text", tuple(warnings))
    dateline = place = None
    found = split_dateline(paragraphs[0])
    if found:
        dateline, place, lede = found
        paragraphs[:1] = [lede] if lede else []
    if not paragraphs:
        return Rejection(source, "dateline only, no body text", tuple(warnings))
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
    )


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
        name = match[1].lower()
        if name in headers:
            raise _RepeatedHeader(f"the {match[1].title()}: header line is given twice")
        headers[name] = match[2].strip()
        i += 1
    return headers, i


class _RepeatedHeader(ValueError):
    pass


def _headline(lines: list[str]) -> tuple[str, list[str]]:
    """The first non-blank line, and the lines after it."""
    i = next(i for i, line in enumerate(lines) if line.strip())
    return " ".join(lines[i].split()), lines[i + 1 :]


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
    """A short ``By Name`` line opening the body is the byline."""
    if not blocks:
        return None, blocks
    byline = _as_byline(blocks[0][0])
    if byline is None:
        return None, blocks
    rest = [blocks[0][1:], *blocks[1:]] if len(blocks[0]) > 1 else blocks[1:]
    return (byline, rest) if rest else (None, blocks)


def _as_byline(line: str) -> str | None:
    line = line.strip()
    match = _BYLINE.fullmatch(line)
    if not match or len(line) > 100 or _NOT_NAMES.match(match[1]):
        return None
    if line.endswith((".", "!", "?")) and not re.search(r"\b[A-Z]\.$", line):
        return None  # a sentence that opens with "By", not a byline
    return match[1].strip()


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
