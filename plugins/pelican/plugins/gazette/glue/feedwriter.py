"""Pelican glue for the feeds: the built articles in, feed files out.

Runs on ``all_generators_finalized``: once every generator has its content (a
hand-written story's links to static files and pages resolve only then), and
before any page is written, so each section and topic can carry its feeds
(``.feeds``) into its page. Everything else is in feeds.py, which does not need
Pelican.
"""

import logging
import os
from functools import partial
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from pelican.generators import ArticlesGenerator

from ..machinery import parallel, reuse
from ..outputs import feeds
from ..settings import DEFAULTS
from . import pagecache

log = logging.getLogger(__name__)

BACKGROUND_FEEDS = 200  # fewer feeds to render: not worth a process
_DIGESTS = "feed item digests"
_TIMES = "feed items at distinct times"


def write_all(generators) -> None:
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            write_feeds(generator)


def write_feeds(generator) -> None:
    s = {**DEFAULTS, **generator.settings}
    site_url = (s.get("FEED_DOMAIN") or s.get("SITEURL") or "").rstrip("/")
    if "://" not in site_url:
        # No SITEURL at all: a development build (pelican-quickstart's settings), which
        # asks for no feeds; a site that asks for one Pelican warns already, as its own.
        say = log.info if not site_url else log.warning
        say("gazette: feeds need an absolute SITEURL (or FEED_DOMAIN); none written")
        return
    site = feeds.Site(
        url=site_url,
        name=s["SITENAME"],
        subtitle=s.get("SITESUBTITLE") or s["SITENAME"],
        language=s.get("DEFAULT_LANG") or "en",
        author=s.get("AUTHOR") or s["SITENAME"],
        icon=_asset(s, site_url, "GAZETTE_FEED_ICON"),
        logo=_asset(s, site_url, "GAZETTE_FEED_LOGO"),
        edition_url=s.get("GAZETTE_EDITION_URL"),
        archive_max_items=int(s["GAZETTE_ARCHIVE_FEED_MAX_ITEMS"]),
        topic_min_items=int(s["GAZETTE_TOPIC_MIN_STORIES"]),
        xsl=_asset_path(s, "GAZETTE_FEED_XSL"),
        css=_asset_path(s, "GAZETTE_FEED_CSS"),
    )
    shared: dict = {}  # one Term per section and topic, for all its stories
    items = [
        _item(a, site_url, s, shared) for a in generator.articles if getattr(a, "story_id", None)
    ]
    cache = _FeedCache(generator) if s["GAZETTE_PAGE_CACHE"] else None
    limits = int(s["FEED_MAX_ITEMS"]), int(s["GAZETTE_TOPIC_FEED_MAX_ITEMS"])
    tz, cached = ZoneInfo(s["TIMEZONE"]), cache.reuse if cache else None
    times = reuse.carried(_TIMES)  # the same moved item as the last build: its key is known
    planned = feeds.to_render(site, items, limits[0], tz, limits[1], cached, times)
    files = {path for feed in planned for path in feeds.files_of(feed)}
    write = partial(_write, s["OUTPUT_PATH"], feeds.render(site, planned))
    stories = len(items)
    if not _in_background(s, cache, planned, stories, write):
        write()
        # The items and their rendered entries (50 MB at 20,000 stories), freed, go back
        # to the system before the pages are rendered.
        del write, planned, items
        parallel.return_free_memory()
    log.info("gazette: feeds: %d feed files for %d stories", len(files), stories)
    if cache:
        files |= cache.finish()
    generator.context["site_feeds"] = _links(site_url, f"{feeds.FEEDS}/all", files)
    for kind, terms in (
        ("section", [c for c, _ in generator.categories]),
        ("topic", generator.tags),
    ):
        for term in terms:
            term.feeds = _links(site_url, f"{feeds.FEEDS}/{kind}/{term.slug}", files)


class _FeedCache:
    """The dev server's feed cache (GAZETTE_PAGE_CACHE): a feed whose key (feeds.FeedKeys)
    is the one of the last build has its files linked from that build (or left there:
    GAZETTE_CHANGES_ONLY) instead of being rendered; adding a story changes the site's
    feeds, its section's, its topics' and its edition's, and leaves the others alone."""

    def __init__(self, generator):
        output = generator.settings["OUTPUT_PATH"]
        self.files = pagecache.keyed_files(generator.settings, pagecache.FEED_MANIFEST, output)
        site = pagecache.site_key(generator.settings, generator.context)
        self.key = feeds.FeedKeys(site, reuse.held(_DIGESTS))
        self.output, self.rendered = output, {}

    def reuse(self, feed) -> bool:
        key = self.key(feed)
        if self.files.reuse(feed.path, key, "feed"):
            return True
        self.rendered[feed.path] = (key, feeds.files_of(feed))
        return False

    def finish(self) -> set[str]:
        """Record the rendered feeds' files; every cached feed file of this build."""
        reuse.hold(_DIGESTS, self.key.seen)  # this build's items, for the next (when warm)
        for name, (key, paths) in self.rendered.items():
            self.files.wrote(name, key, [os.path.join(self.output, p) for p in paths])
        self.files.save()
        reused, rendered = self.files.counts["feed"]
        log.info("gazette: feed cache: %d feeds reused, %d rendered", reused, rendered)
        return {f for name in self.files.pages for f in self.files.files_of(name)}


_FORMATS = (  # the titles are the visible links' words
    (feeds.ATOM, "application/atom+xml", "Atom feed"),
    (feeds.RSS, "application/rss+xml", "RSS feed"),
    (feeds.JSON, "application/feed+json", "JSON Feed"),
)


def _links(site_url: str, path: str, files: set) -> list[SimpleNamespace]:
    """What a page needs to link a feed: its URL, media type and format name."""
    return [
        SimpleNamespace(url=f"{site_url}/{path}{ext}", type=kind, title=title)
        for ext, kind, title in _FORMATS
        if path + ext in files
    ]


def _in_background(s: dict, cache, planned: list, stories: int, write) -> bool:
    """Whether ``write`` was started beside the pages, on another core: for a first build's
    thousands of feed files, when the site is small enough (GAZETTE_BACKGROUND_FEEDS_MAX_
    STORIES). Not with the dev server's cache: it records the files written. Not in a build
    that started background work (a first build with 200 or more social cards to draw):
    the card process takes the second core while the pages are rendered, and this process
    draws what it left at the end, so a feed child saved no time (5,000 stories: 15.2 s
    either way) and copied most of the build's memory as it touched it (the tree's peak
    160 → 228 MB). The same choice however soon the cards are done, as for the pages."""
    most = int(s["GAZETTE_BACKGROUND_FEEDS_MAX_STORIES"])
    if cache or len(planned) < BACKGROUND_FEEDS or stories > most:
        return False
    if parallel.started_in_background():
        log.info("gazette: feeds written in the build's process: background work has a core")
        return False
    if not parallel.in_background(write, "writing the feeds", int(s["GAZETTE_PARSE_WORKERS"])):
        return False
    log.info("gazette: feeds written beside the pages, in another process")
    return True


def _write(output: str, rendered) -> None:
    """Write (path, bytes) pairs under ``output``, one at a time: a large site's feeds are
    never all in memory."""
    folders = set()
    for path, data in rendered:
        target = os.path.join(output, path)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        with open(target, "wb") as out:
            out.write(data)


def _item(article, site_url: str, s: dict, terms: dict) -> feeds.Item:
    """The story's feed item: the one of the build before when the build server kept the
    story's Article (the same story, in a process with the same settings)."""
    made = reuse.recall("feed", article)
    if made is None:
        made = to_item(article, site_url, s, terms)
        reuse.remember("feed", article, made)
    return made


def to_item(article, site_url: str, s: dict, terms: dict | None = None) -> feeds.Item:
    """``terms``: the Terms made so far, by scheme, name and slug, to share (a site's
    stories have some 80,000 topic links at 20,000 stories, and a few hundred topics)."""
    story = article.story
    terms = {} if terms is None else terms
    sections = f"{site_url}/{s['CATEGORIES_URL']}"
    topics = f"{site_url}/{s['TAGS_URL']}"
    return feeds.item(
        id=article.story_id,
        title=story.title,
        url=f"{site_url}/{article.url}",
        published=article.date,
        updated=getattr(article, "modified", None) or article.date,
        summary=story.summary,
        content_html=article.get_content(site_url),
        section=_term(article.category, site_url, sections, terms),
        topics=tuple(_term(tag, site_url, topics, terms) for tag in article.tags),
        byline=story.byline,
        dateline=story.dateline,
        source=story.credited_source,
        original_url=story.canonical_url,
    )


def _term(urlwrapper, site_url: str, scheme: str, terms: dict) -> feeds.Term:
    """The section's or topic's Term; its URL is a function of its slug (and the settings,
    the same for the whole build)."""
    key = (scheme, urlwrapper.name, urlwrapper.slug)
    found = terms.get(key)
    if found is None:
        url = f"{site_url}/{urlwrapper.url}"
        found = terms[key] = feeds.Term(urlwrapper.name, urlwrapper.slug, url, scheme)
    return found


def _asset(s: dict, site_url: str, key: str) -> str | None:
    """The absolute URL of an image setting, if the file is in the theme or content."""
    path = _asset_path(s, key)
    return f"{site_url}/{path}" if path else None


def _asset_path(s: dict, key: str) -> str | None:
    """The path under the site root of a file setting, if the file is in the theme or
    content."""
    static = s.get("THEME_STATIC_DIR") or "theme"
    path = (s.get(key) or "").replace("{THEME_STATIC_DIR}", static)
    if not path:
        return None
    theme_prefix = static + "/"
    candidates = [os.path.join(s["PATH"], path)]
    if path.startswith(theme_prefix):
        candidates.append(os.path.join(s["THEME"], "static", path.removeprefix(theme_prefix)))
    if not any(os.path.isfile(c) for c in candidates):
        if s.get(key) == DEFAULTS[key]:  # the Gazette theme's image, in another theme: none
            return None
        log.warning("gazette: feeds: %s %r not found in the theme or content; left out", key, path)
        return None
    return path
