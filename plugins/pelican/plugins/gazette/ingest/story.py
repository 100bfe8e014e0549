"""Enrich a parsed ``RawStory`` into a ``Story``: the fields pages and feeds use.

Pure functions. Dates never come from the clock or file times: an editor's
``Date:`` header, else the page's own published time (``RawStory.published``,
then a time stamp line's date), else a date in the file name, else the
ledger's first-seen time (see ledger.py). The page's own updated time, when
later, is the modified time.
"""

import html
import math
import re
import sys
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from unidecode import unidecode

from .ledger import Entry, content_hash
from .raw import RawStory
from .summaries import sentence_ends

_FILENAME_DATE = re.compile(
    r"(?<![0-9A-Za-z])((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?![0-9])"
)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d")


class StoryError(ValueError):
    """The story cannot be published as it is; the message says why."""


@dataclass(frozen=True, slots=True)  # slots: 1.3 KB less for each story than a __dict__
class Story:
    source: str
    title: str
    slug: str
    id: str | None
    date: datetime | None
    modified: datetime | None
    date_source: str | None  # "header", "page", "filename" or "ledger"
    section: str
    topics: tuple[str, ...]
    summary: str
    paragraphs: tuple[str, ...]
    byline: str | None = None
    dateline: str | None = None
    place: str | None = None
    origin: str | None = None  # the Source: header: where the story came from
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    word_count: int = 0
    reading_time_minutes: int = 1
    content_hash: str = ""
    agency: str | None = None  # RawStory's fields of the same names
    credits: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    original_title: str | None = None
    kind: str = "text"
    html_body: str | None = None
    canonical_url: str | None = None
    publisher: str | None = None
    image: str | None = None
    lang: str | None = None
    priority: int = 0  # the editor's Priority: header (higher first; digest/ranking.py)
    lead: bool = False  # the editor's Lead: header: this story opens its edition

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def credited_source(self) -> str | None:
        """Who the story came from: its agency, a saved page's publisher, or the editor's
        Source: header line."""
        return self.agency or self.publisher or self.origin

    @property
    def body_html(self) -> str:
        """Escaped paragraphs; the dateline is a styled element opening the first. A saved
        page's body is its own safe HTML (made by an allow-list in ingest/htmlpage.py)."""
        if self.html_body is not None:
            dateline = self.dateline
            if not dateline:
                return self.html_body
            opening = f'<p><span class="dateline">{html.escape(dateline)}</span></p>'
            return opening + "\n" + self.html_body
        parts = []
        for index, paragraph in enumerate(self.paragraphs):
            text = "<br>\n".join(html.escape(line) for line in paragraph.split("\n"))
            if index == 0 and self.dateline:
                # &#8212; (the dash), not the character: one non-Latin-1 character would
                # make Python store the whole page body at two bytes per character.
                text = f'<span class="dateline">{html.escape(self.dateline)}</span> &#8212; {text}'
            parts.append(f"<p>{text}</p>")
        return "\n".join(parts)


_TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """The words of ``Story.body_html`` again (dateline included), for the search index:
    the build keeps a story's body only as its page's HTML."""
    return html.unescape(_TAG.sub(" ", body_html.replace("&#8212;", " ")))


def story_text(raw: RawStory) -> str:
    """The text whose hash identifies a version of a story."""
    return "\n\n".join([raw.title, raw.dateline or "", raw.body_text])


def enrich(raw: RawStory, topics, entry: Entry | None, config, article_root: str) -> Story:
    """The Story for ``raw``; raises StoryError when a field cannot be trusted."""
    date, source = story_date(raw, entry, config.timezone)
    modified = date
    if entry and entry.revised and date and entry.revised > date:
        modified = entry.revised
    updated = _page_time(raw.updated, config.timezone)
    if updated and date and updated > (modified or date):
        modified = updated
    words = raw.word_count
    return Story(
        source=raw.source,
        title=raw.title,
        slug=slugify(raw.title, config.slug_max_chars),
        id=entry.id if entry else None,
        date=date,
        modified=modified,
        date_source=source,
        section=_shared(section_of(raw, article_root, config.default_section)),
        topics=tuple(map(sys.intern, topics)),
        summary=summarise(raw.paragraphs[0], config.summary_max_chars),
        paragraphs=raw.paragraphs,
        byline=_shared(raw.byline),
        dateline=_shared(raw.dateline),
        place=_shared(raw.place),
        origin=raw.headers.get("source"),
        priority=_priority(raw.headers.get("priority")),
        lead=_lead(raw.headers.get("lead")),
        removed=raw.removed,
        warnings=raw.warnings,
        word_count=words,
        reading_time_minutes=max(1, math.ceil(words / config.words_per_minute)),
        content_hash=content_hash(story_text(raw)),
        agency=raw.agency,
        credits=raw.credits,
        corrections=raw.corrections,
        original_title=raw.original_title,
        kind=raw.kind,
        html_body=raw.html_body,
        canonical_url=raw.canonical_url,
        publisher=raw.publisher,
        image=raw.image,
        lang=raw.lang,
    )


def _shared(text: str | None) -> str | None:
    """One string object for a value many stories have (a topic, a section, a place, a
    reporter's byline): each story's own copy of it was 8 MB at 20,000 stories."""
    return sys.intern(text) if text is not None else None


def story_date(raw: RawStory, entry: Entry | None, tz: ZoneInfo):
    """(date, where it came from), by the precedence in the module docstring."""
    if "date" in raw.headers:
        return parse_date(raw.headers["date"], tz), "header"
    published = _page_time(raw.published, tz)
    if published:
        return published, "page"
    match = _FILENAME_DATE.search(PurePosixPath(raw.source).name)
    if match:
        day = datetime(int(match[1]), int(match[2]), int(match[3]))
        return datetime.combine(day.date(), time(), tz), "filename"
    if entry:
        return entry.first_seen.astimezone(tz), "ledger"
    return None, None


def _page_time(value: str | None, tz: ZoneInfo) -> datetime | None:
    """A page's own ISO 8601 time (a date alone is midnight, local); None when unreadable."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=tz) if when.tzinfo is None else when


def parse_date(value: str, tz: ZoneInfo) -> datetime:
    """An editor's date: ISO 8601 or a written date; naive times are local."""
    value = " ".join(value.split())
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = None
        for fmt in _DATE_FORMATS:
            try:
                when = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if when is None:
        raise StoryError(f"unreadable Date: header {value!r} (use YYYY-MM-DD)")
    return when.replace(tzinfo=tz) if when.tzinfo is None else when


def _priority(value: str | None) -> int:
    if value is None or not value.strip():
        return 0
    try:
        return int(value.strip())
    except ValueError:
        raise StoryError(f"unreadable Priority: header {value!r} (use a whole number)") from None


def _lead(value: str | None) -> bool:
    if value is None or not value.strip():
        return False
    answer = value.strip().lower()
    if answer in ("yes", "true", "1"):
        return True
    if answer in ("no", "false", "0"):
        return False
    raise StoryError(f"unreadable Lead: header {value!r} (use yes or no)")


def section_of(raw: RawStory, article_root: str, default: str) -> str:
    if raw.headers.get("section"):
        return raw.headers["section"]
    parts = PurePosixPath(raw.source).relative_to(article_root).parts if article_root else ()
    if len(parts) > 1:
        folder = parts[0].replace("_", " ").replace("-", " ")
        return folder.title() if folder.islower() else folder
    return default


def summarise(lede: str, limit: int) -> str:
    """The lede, cut at a sentence end or else a word boundary to ``limit`` chars."""
    lede = " ".join(lede.split())
    if len(lede) <= limit:
        return lede
    ends = [end for end in sentence_ends(lede[: limit + 40]) if end <= limit]
    if ends and ends[-1] >= limit // 2:
        return lede[: ends[-1]]
    cut = lede.rfind(" ", 0, limit)
    cut = cut if cut > 0 else limit - 1
    return lede[:cut].rstrip(" ,;:-—") + "…"


def slugify(title: str, limit: int) -> str:
    ascii_title = unidecode(title).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug
