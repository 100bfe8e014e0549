"""Gazette's settings: every ``GAZETTE_*`` name with its documented default.

Set any of them in ``pelicanconf.py`` (or ``publishconf.py``); what is not
set takes the default here. ``resolve()`` is the one place that reads them.
"""

import difflib
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .ingest.boilerplate import DEFAULT_JUNK_PATTERNS, compile_patterns
from .ingest.formats import ParseOptions
from .ingest.headlines import DEFAULT_HEADLINE_SUFFIXES, compile_suffixes

DEFAULTS = {
    # Section of a story that has no Section: header and is not in a sub-folder.
    "GAZETTE_DEFAULT_SECTION": "News",
    # Whole trailing lines removed as site junk (regular expressions, case-insensitive).
    "GAZETTE_JUNK_PATTERNS": list(DEFAULT_JUNK_PATTERNS),
    # The ledger of first-seen times and permanent ids, relative to PATH.
    "GAZETTE_LEDGER": "seeds/ledger.jsonl",
    # Redirect pages at every earlier URL of a story (its headline, so its slug, or its date
    # changed), from the slugs and dates the ledger recorded: a link to a story's first
    # URL keeps working. Never where another page now is.
    "GAZETTE_REDIRECTS": True,
    # Authority of the tag: URIs (RFC 4151) used as permanent story ids.
    "GAZETTE_TAG_AUTHORITY": "gazette.example",
    # Cache of the per-file work (parse and topics), keyed by a hash of each raw file's
    # bytes and of the parser's code and settings, relative to PATH; empty: no cache.
    "GAZETTE_CACHE_PATH": ".cache/gazette",
    # Processes that parse raw files the cache does not hold (a first build's largest
    # cost, a few hundred files or more); 0: one per CPU core, 1: no extra processes.
    "GAZETTE_PARSE_WORKERS": 0,
    # Up to this many stories, a first build writes its feeds in a second process beside
    # the pages (3 s of 16 at 5,000 stories). That process shares the build's memory until
    # either side writes to it: about 16 KB more per story, so larger sites write them in
    # the build's own process. 0: never.
    "GAZETTE_BACKGROUND_FEEDS_MAX_STORIES": 8000,
    # From this many stories, a build without the page cache renders its story, list and
    # edition pages in two processes, every other page each (glue/splitrender.py): the
    # same files, in about half the rendering time on two cores, for about 5 KB more
    # memory per story. Below it the second core writes the feeds (the setting above).
    # Not in a build that started background work (a first build's social cards): the
    # second process would take turns with it, then copy the build's memory. 0: never.
    "GAZETTE_SPLIT_RENDER_MIN_STORIES": 8000,
    # Files larger than this are rejected unread.
    "GAZETTE_MAX_FILE_BYTES": 5_000_000,
    # How many topics a story gets: fewer when its text has no more names and no key word
    # that is a real theme (GAZETTE_TOPICS_MIN fills in with key words, never generic ones).
    "GAZETTE_TOPICS_MIN": 3,
    "GAZETTE_TOPICS_MAX": 8,
    # Summaries are the lede cut at a word boundary to at most this many characters.
    "GAZETTE_SUMMARY_MAX_CHARS": 300,
    # Reading speed for the reading time.
    "GAZETTE_WORDS_PER_MINUTE": 230,
    # Longest slug, in characters, before a collision suffix.
    "GAZETTE_SLUG_MAX_CHARS": 80,
    # Strict builds (publish) fail when any raw file is rejected.
    "GAZETTE_STRICT": False,
    # Content-Security-Policy of every page (a <meta> element): only the site's own
    # scripts, styles, images and connections; nothing inline, nothing from elsewhere.
    "GAZETTE_CSP": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'"
    ),
    # The build report (every raw file and its outcome), in the output; empty: none.
    "GAZETTE_BUILD_REPORT": "build-report.json",
    # Daily editions: a URL made only from the date never moves.
    "GAZETTE_EDITION_URL": "{date:%Y}/{date:%m}/{date:%d}/",
    "GAZETTE_EDITION_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    # Earlier editions linked from the front page.
    "GAZETTE_RECENT_EDITIONS": 7,
    # A day's edition shows each section's strongest stories (digest/ranking.py), this many,
    # with "All N stories" leading to the day's full list of the section.
    "GAZETTE_EDITION_TOP_STORIES": 6,
    # Stories per page of a day's full section list ({edition}/{section}/, …/page/2/).
    "GAZETTE_DAY_PAGE_SIZE": 50,
    # Section order on editions and in the masthead, by name; sections not named follow
    # by their number of stories. Empty: all by volume.
    "GAZETTE_SECTIONS": [],
    # A topic gets its own page and feeds from this many stories; below, it is a plain
    # label on its stories (on a large site most topics have one story).
    "GAZETTE_TOPIC_MIN_STORIES": 2,
    # Stories in one archive feed document: a bigger day spans several (RFC 5005).
    "GAZETTE_ARCHIVE_FEED_MAX_ITEMS": 100,
    # "More on this topic" links on a story page.
    "GAZETTE_MORE_ON_TOPIC": 5,
    # The topic index lists topics with at least this many stories: on a large site most
    # topics have one story, and each is still linked from its story page.
    "GAZETTE_TOPIC_INDEX_MIN_STORIES": 2,
    # Stories in each feed, newest first (archive feeds hold a whole edition). Pelican's own
    # default (100) wins unless pelicanconf.py sets FEED_MAX_ITEMS.
    "FEED_MAX_ITEMS": 50,
    # Stories in each topic's feeds. A story has several topics, so topic feeds would be
    # most of the output (and of the build's time writing it) at FEED_MAX_ITEMS each.
    "GAZETTE_TOPIC_FEED_MAX_ITEMS": 20,
    # Feed icon (square) and logo (2:1), PNG, as paths under SITEURL ({THEME_STATIC_DIR}:
    # where the theme's static files go); empty: none. Left out when the file is not there.
    "GAZETTE_FEED_ICON": "{THEME_STATIC_DIR}/images/feed-icon.png",
    "GAZETTE_FEED_LOGO": "{THEME_STATIC_DIR}/images/feed-logo.png",
    # Stylesheets a browser shows an Atom or RSS feed with, as paths under SITEURL; empty:
    # none. XSL makes the feed a readable page (what a feed is, its address to copy into
    # a reader, the latest stories); CSS styles the bare feed where a browser has no XSLT.
    # Linked from each feed by a relative href: a browser loads XSL only from the feed's
    # own origin. Left out when the file is not there.
    "GAZETTE_FEED_XSL": "{THEME_STATIC_DIR}/xsl/feed.xsl",
    "GAZETTE_FEED_CSS": "{THEME_STATIC_DIR}/css/feed-xml.css",
    # Search: write the stories' search index (search/data/ in the output, read by the
    # search page's script). False skips it; the /search/ page then shows browse links.
    "GAZETTE_SEARCH": True,
    # Site names taken off the end of a headline after " - ", " | ", " – ", " — " or " :: "
    # (case-insensitive): "… - BBC News". The headline as written is kept (original_title).
    "GAZETTE_HEADLINE_SUFFIXES": list(DEFAULT_HEADLINE_SUFFIXES),
    # Saved HTML pages: fewer body words than this is not an article (a section front, a
    # search page, a paywall stub).
    "GAZETTE_HTML_MIN_WORDS": 25,
    # Per-site extraction rules by host (and its subdomains), CSS selectors to drop before
    # extraction or to keep as the body: {"example.com": {"drop": [...], "keep": [...]}}.
    "GAZETTE_HTML_SITE_RULES": {},
    # Story clusters (digest/clusters.py): near-duplicates shown once, with their other
    # versions listed; stories of one event as one card with "More coverage". Costs about
    # 0.6 ms a story.
    "GAZETTE_CLUSTERS": True,
    # Reuse story pages of the last build when nothing they show changed (pagecache.py;
    # their keys in GAZETTE_CACHE_PATH/pages.json). The dev server turns it on; publish
    # builds do not. GAZETTE_PREVIOUS_OUTPUT: where the last build is ("": the output).
    "GAZETTE_PAGE_CACHE": False,
    "GAZETTE_PREVIOUS_OUTPUT": "",
    # With the page cache: leave unchanged pages and feeds in GAZETTE_PREVIOUS_OUTPUT
    # instead of linking them into the output, which then holds only what changed, and a
    # list of what was kept; sitebuild.merge moves it over the previous output (the dev
    # server: no link or folder made for the thousands of pages one story leaves alone).
    "GAZETTE_CHANGES_ONLY": False,
    # Social cards (outputs/cards.py): a 1200×630 PNG per story without an image of its own
    # (headline, section, date, site name), and one for the site, for Open Graph, Twitter
    # and the JSON-LD. Drawn once (about 3.5 ms of CPU each), kept in GAZETTE_CACHE_PATH/cards/.
    # False: none (a story's own image is still shared).
    "GAZETTE_SOCIAL_CARDS": True,
    # Record new and revised stories in the ledger at the start of the build, as
    # `gazette ingest` does (the dev server and `gazette build --ingest`; never publish).
    "GAZETTE_INGEST": False,
}

# Pelican's own settings that Gazette reads, with Pelican's defaults.
PELICAN_DEFAULTS = {
    "PATH": ".",
    "ARTICLE_PATHS": ["seeds"],
    "ARTICLE_EXCLUDES": [],
    "IGNORE_FILES": [".#*"],
    "TIMEZONE": "UTC",
    "OUTPUT_PATH": "output",
}


log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the setting."""


def apply_defaults(pelican) -> None:
    """Fill in unset GAZETTE_* settings, so templates see them too (``initialized``).
    A value of the wrong type stops the build with one line naming it (SettingsError);
    a misspelled GAZETTE_* name is a warning with the closest known name. Links the
    catalog's walk does not follow (loops, links out of the content folder) are added to
    ARTICLE_EXCLUDES, so that Pelican's own walk (which follows every link) skips them."""
    for warning in misspelled(pelican.settings):
        log.warning("gazette: %s", warning)
    for name, default in DEFAULTS.items():
        pelican.settings.setdefault(name, default)
    config = resolve(pelican.settings)
    from .ingest.catalog import site_files

    skipped = site_files(config).links_not_followed
    if skipped:
        excludes = list(pelican.settings.get("ARTICLE_EXCLUDES") or [])
        pelican.settings["ARTICLE_EXCLUDES"] = excludes + [p for p in skipped if p not in excludes]


def misspelled(settings: dict) -> list[str]:
    """A warning for each GAZETTE_* name that is not one of DEFAULTS, with the closest."""
    warnings = []
    for name in sorted(settings):
        if name.startswith("GAZETTE_") and name not in DEFAULTS:
            close = difflib.get_close_matches(name, DEFAULTS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            warnings.append(f"unknown setting {name} (ignored){hint}")
    return warnings


# String settings whose "none" may be written None as well as "".
_MAY_BE_NONE = {
    "GAZETTE_CACHE_PATH",
    "GAZETTE_BUILD_REPORT",
    "GAZETTE_FEED_ICON",
    "GAZETTE_FEED_LOGO",
    "GAZETTE_FEED_XSL",
    "GAZETTE_FEED_CSS",
    "GAZETTE_PREVIOUS_OUTPUT",
}


def _check_types(s: dict) -> None:
    """SettingsError unless each GAZETTE_* value has its default's type."""
    for name, default in DEFAULTS.items():
        got = s.get(name, default)
        if isinstance(default, bool):
            ok, kind = isinstance(got, bool), "True or False"
        elif isinstance(default, int):
            ok = isinstance(got, int) and not isinstance(got, bool) and got >= 0
            kind = "a whole number, 0 or more"
        elif isinstance(default, str):
            ok = isinstance(got, str) or (got is None and name in _MAY_BE_NONE)
            kind = "a string"
        elif isinstance(default, list):
            ok = isinstance(got, (list, tuple)) and all(isinstance(i, str) for i in got)
            kind = "a list of strings"
        else:
            continue
        if not ok:
            raise SettingsError(f"{name} must be {kind}, not {got!r} ({type(got).__name__})")
    if s.get("GAZETTE_TOPICS_MIN", 0) > s.get("GAZETTE_TOPICS_MAX", 0):
        raise SettingsError("GAZETTE_TOPICS_MIN is larger than GAZETTE_TOPICS_MAX")
    for name in ("ARTICLE_PATHS", "ARTICLE_EXCLUDES", "IGNORE_FILES"):
        got = s.get(name)
        if not isinstance(got, (list, tuple)) or not all(isinstance(i, str) for i in got):
            raise SettingsError(f"{name} must be a list of strings, not {got!r}")
    for name in ("PATH", "OUTPUT_PATH"):
        if not isinstance(s.get(name), str):
            raise SettingsError(f"{name} must be a string, not {s.get(name)!r}")


def value(settings: dict, name: str):
    """A GAZETTE_* (or FEED_MAX_ITEMS) setting, its default when unset."""
    return settings.get(name, DEFAULTS[name])


@dataclass(frozen=True)
class Config:
    """The resolved settings the pure modules need."""

    path: str
    output_path: str
    article_paths: tuple[str, ...]
    article_excludes: tuple[str, ...]
    ignore_files: tuple[str, ...]
    timezone: ZoneInfo
    default_section: str
    junk: re.Pattern
    parse_options: ParseOptions  # junk, headline suffixes, HTML rules: what parsers take
    ledger: str
    tag_authority: str
    max_file_bytes: int
    topics_min: int
    topics_max: int
    summary_max_chars: int
    words_per_minute: int
    slug_max_chars: int
    strict: bool
    cache_path: str = ""  # relative to path; empty: no cache
    workers: int = 0  # processes for parsing; 0: one per core
    clusters: bool = True  # near-duplicates and event clusters (digest/clusters.py)


def resolve(settings: dict | None = None) -> Config:
    """A Config from Pelican-style settings, defaults filled in."""
    s = {**PELICAN_DEFAULTS, **DEFAULTS, **(settings or {})}
    _check_types(s)
    try:
        timezone = ZoneInfo(s["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError, TypeError) as err:
        raise SettingsError(f"TIMEZONE {s['TIMEZONE']!r} is not a known time zone") from err
    try:
        junk = compile_patterns(s["GAZETTE_JUNK_PATTERNS"])
    except re.error as err:
        raise SettingsError(f"GAZETTE_JUNK_PATTERNS: a pattern does not compile ({err})") from err
    try:
        suffixes = compile_suffixes(tuple(s["GAZETTE_HEADLINE_SUFFIXES"]))
    except re.error as err:
        raise SettingsError(f"GAZETTE_HEADLINE_SUFFIXES: does not compile ({err})") from err
    options = ParseOptions(
        junk=junk,
        headline_suffixes=suffixes,
        html_min_words=int(s["GAZETTE_HTML_MIN_WORDS"]),
        html_site_rules=dict(s["GAZETTE_HTML_SITE_RULES"]),
    )
    return Config(
        path=s["PATH"],
        output_path=s["OUTPUT_PATH"],
        article_paths=tuple(s["ARTICLE_PATHS"]),
        article_excludes=tuple(s["ARTICLE_EXCLUDES"]),
        ignore_files=tuple(s["IGNORE_FILES"]),
        timezone=timezone,
        default_section=s["GAZETTE_DEFAULT_SECTION"],
        junk=junk,
        parse_options=options,
        ledger=s["GAZETTE_LEDGER"],
        tag_authority=s["GAZETTE_TAG_AUTHORITY"],
        max_file_bytes=int(s["GAZETTE_MAX_FILE_BYTES"]),
        topics_min=int(s["GAZETTE_TOPICS_MIN"]),
        topics_max=int(s["GAZETTE_TOPICS_MAX"]),
        summary_max_chars=int(s["GAZETTE_SUMMARY_MAX_CHARS"]),
        words_per_minute=int(s["GAZETTE_WORDS_PER_MINUTE"]),
        slug_max_chars=int(s["GAZETTE_SLUG_MAX_CHARS"]),
        strict=bool(s["GAZETTE_STRICT"]),
        cache_path=s["GAZETTE_CACHE_PATH"] or "",
        workers=int(s["GAZETTE_PARSE_WORKERS"]),
        clusters=bool(s["GAZETTE_CLUSTERS"]),
    )
