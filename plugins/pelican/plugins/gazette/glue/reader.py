"""The Pelican reader for raw articles (``*.txt``, saved ``*.html`` pages) in ARTICLE_PATHS.

The first ``read()`` of a build builds the catalog of all raw files (so
duplicates, unique slugs and topic spellings are decided site-wide); every
``read()`` then hands Pelican the story for its file, as its page's HTML
and metadata, and keeps no second copy of its text. Duplicates and rejected
files get Pelican's ``skip`` status: no page, and the rejection is logged
with its reason. With GAZETTE_INGEST the first ``read()`` records new and
revised stories in the ledger first.
"""

import hashlib
import logging
import os
from dataclasses import fields
from datetime import datetime
from html import escape

from pelican.contents import Tag
from pelican.readers import BaseReader, HTMLReader

from ..digest import clusters
from ..ingest import catalog, ledger, places
from ..ingest.catalog import DUPLICATE, PUBLISHED
from ..ingest.story import Story
from ..machinery import parallel, parsecache, reuse
from ..settings import resolve, value
from . import internals

log = logging.getLogger(__name__)

# A page's Story: every field but the paragraphs, which the reader drops once it has
# the page's HTML (the HTML comes from them and the dateline; content_hash covers them).
_SHOWN = tuple(f.name for f in fields(Story) if f.name != "paragraphs")


class _PluginReader(BaseReader):
    """Pelican registers every *direct* BaseReader subclass for its extensions,
    plugin or not; this empty layer keeps our reader to builds that load Gazette."""

    file_extensions = []


class RawArticleReader(_PluginReader):
    enabled = True
    file_extensions = ["txt", "html", "htm"]

    def __init__(self, pelican_settings):
        super().__init__(pelican_settings)
        self._catalog = None
        self.grouping = None  # digest/clusters.py's, of this build's raw stories
        # One Tag or Category per name for the whole build, not one per story: Pelican
        # slugifies each object's name on first use (31,000 calls at 5,000 stories).
        self._terms: dict[tuple[str, str], object] = reuse.terms()

    @property
    def catalog(self) -> catalog.Catalog:
        """The catalog of every raw file, built on first use; the functions given to
        ``on_stories`` are called with it at once, those given to ``on_catalog`` once its
        clusters are made."""
        if self._catalog is None:
            config = resolve(self.settings)
            earlier = parsecache.reuse_for(config)
            if value(self.settings, "GAZETTE_INGEST"):
                self._catalog = _ingest(config, earlier)
            if self._catalog is None:
                self._catalog = catalog.build(config, reuse=earlier)
            for function in _on_stories:
                function(self)
            if self._catalog.unread:
                log.info("gazette: %d raw files as the last build read them", self._catalog.unread)
            if config.clusters:  # while the stories still have their text
                memo = reuse.carried("clusters") if reuse.carrying("clusters") else None
                ahead = earlier.cache.take_ahead() if earlier.cache is not None else ()
                memo = clusters.Ahead(ahead, memo=memo)  # what the parse workers made
                del ahead  # its packed parts go as the grouping takes them
                self.grouping = clusters.of_stories(self._catalog.stories(), memo=memo)
                del memo
            for warning in self._catalog.warnings:
                if warning.startswith("the ledger is damaged"):
                    log.error("gazette: %s: fix it or restore it from version control", warning)
                else:
                    log.warning("gazette: %s", warning)
            for function in _after_catalog:
                function()
            if not reuse.enabled():  # no next build in this process reads them again
                ledger.forget()  # (the redirects read it once more: 0.1 s at 20,000)
                places.forget()  # (a file read alone makes it again)
            parallel.return_free_memory()  # what parsing and the clusters left (30 MB)
        return self._catalog

    def read(self, source_path):
        outcome = self.catalog.outcome_for(source_path)
        if outcome is None and self._hand_written_html(source_path):
            return HTMLReader(self.settings).read(source_path)  # a page of Pelican's own
        if outcome is None and self._walked_elsewhere(source_path):
            return "", {"status": "skip", "title": source_path}
        if outcome is None:  # not found by the catalog's walk: read it alone
            outcome = _alone(self.settings, source_path)
        _warn(outcome)
        if outcome.status == PUBLISHED:
            body = outcome.story.body_html
            if outcome.source in self.catalog.by_source:  # not for a file read alone
                reuse.carried("shown stories").put(outcome.source, outcome.story)
                outcome = self.catalog.drop_text(outcome)
            return body, self.metadata(outcome.story)
        if outcome.status == DUPLICATE:
            log.info("gazette: skipped %s: %s", outcome.source, outcome.reason)
        else:
            log.warning("gazette: rejected %s: %s", outcome.source, outcome.reason)
        return "", {"status": "skip", "title": outcome.source}

    def _hand_written_html(self, source_path) -> bool:
        """An HTML file outside the article paths (``content/pages/about.html``), or in a
        folder ARTICLE_EXCLUDES takes out of them (Pelican adds PAGE_PATHS: with
        pelican-quickstart's settings the article paths are the whole content folder),
        reached by no link: Pelican's own HTML format, not a saved article page."""
        if not source_path.endswith((".html", ".htm")):
            return False
        root = self.catalog.root
        source = catalog.relative(source_path, root)
        paths = self.settings.get("ARTICLE_PATHS") or [""]
        if not any(_under(source, p) for p in paths):
            return True
        excludes = [e for e in self.settings.get("ARTICLE_EXCLUDES") or () if e]
        if not any(_under(source, e) for e in excludes):
            return False
        real = os.path.realpath(source_path)  # a link's folders are declined (_walked_elsewhere)
        return catalog.relative(real, os.path.realpath(root)) == source

    def _walked_elsewhere(self, source_path) -> bool:
        """Whether the catalog's walk declined the folder this path is in: a second way
        into a folder read once (a link loop), or a link out of the content folder.
        Pelican walks those (ARTICLE_EXCLUDES should stop it, settings.apply_defaults);
        its reader reads nothing there."""
        real = catalog.relative(os.path.realpath(source_path), self.catalog.root)
        if real in self.catalog.by_source:
            log.info("gazette: skipped %s: it is %s, read once", source_path, real)
            return True
        source = catalog.relative(source_path, self.catalog.root)
        declined = tuple(path for path, _ in self.catalog.ignored if path.endswith("/"))
        declined += tuple(o.source for o in self.catalog.outcomes if o.source.endswith("/"))
        if source.startswith(declined):
            log.info("gazette: skipped %s: its folder is not read", source)
            return True
        return False

    def publishes_again(self, source_path, story) -> bool:
        """Whether this build publishes ``story`` (as a page holds it: without its
        paragraphs) for the file again: glue/warm.py then reuses its page's Article. Logs the
        file's warnings, as ``read`` would. (Its text stays in the catalog: the build
        server's parse cache holds the same strings anyway.) The catalog's Story of an
        unchanged file is the very object it was (ingest/settle.py): when it is the one the
        page was made from, it is the same story without a look at its fields."""
        outcome = self.catalog.outcome_for(source_path)
        if outcome is None or outcome.status != PUBLISHED:
            return False
        fresh = outcome.story
        shown = reuse.carried("shown stories")  # source -> the Story its kept page shows
        if shown.take(outcome.source) is not fresh:
            if not all(_same(getattr(fresh, name), getattr(story, name)) for name in _SHOWN):
                return False  # read() makes its page, from the text
            shown.put(outcome.source, fresh)
        _warn(outcome)
        return True

    def _term(self, kind: str, name: str):
        term = self._terms.get((kind, name))
        if term is None:
            made = Tag(name, self.settings) if kind == "tag" else self.process_metadata(kind, name)
            slug = made._normalize_key(name)
            limit = value(self.settings, "GAZETTE_SLUG_MAX_CHARS")
            if not slug or len(slug) > limit:  # "???", an emoji; "the-the-the-…" (too long)
                made.slug = fallback_slug(kind, name, slug[:limit].rsplit("-", 1)[0])
            term = self._terms[(kind, name)] = made
        return term

    def metadata(self, story) -> dict:
        """The metadata of a Story's page, as Pelican's readers give it."""
        return {
            "title": story.title,
            "slug": story.slug,
            "date": story.date,
            "modified": story.modified,
            "category": self._term("category", story.section),
            "tags": [self._term("tag", topic) for topic in story.topics],
            "summary": escape(story.summary),
            "story": story,
            "story_id": story.id,
            "byline": story.byline,
            "dateline": story.dateline,
            "place": story.place,
            "word_count": story.word_count,
            "reading_time": story.reading_time_minutes,
            "source_file": story.source,
            "priority": story.priority,  # the ranking's editor signals (digest/ranking.py)
            "lead": story.lead,
        }


_after_catalog: list = []
_on_stories: list = []


def on_stories(function) -> None:
    """Call ``function(reader)`` as soon as each build's catalog is made (before its
    clusters: what needs only the stories starts at once)."""
    if function not in _on_stories:
        _on_stories.append(function)


def on_catalog(function) -> None:
    """Call ``function()`` once each build's catalog is made, with its clusters."""
    if function not in _after_catalog:
        _after_catalog.append(function)


def _under(source: str, folder: str) -> bool:
    """Whether ``source`` (relative to the content root) is in ``folder`` ("": all)."""
    folder = folder.strip("/")
    return folder in ("", ".") or source.startswith(folder + "/")


def fallback_slug(kind: str, name: str, start: str = "") -> str:
    """A stable, non-empty slug for a topic or section whose name has no letters or digits
    to make one of (every such name would share the empty slug, and Pelican writes their
    pages over each other: FileOverwriteFailedError), or whose slug is too long for a file
    name (``start``: its beginning, kept)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    return f"{start or ('topic' if kind == 'tag' else 'section')}-{digest}"


def _same(a, b) -> bool:
    """Equal, and times in the same zone: aware times of one instant are equal whatever
    their offset, but a page's URL and printed date use its own."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b and a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
    return a == b


def _warn(outcome) -> None:
    for warning in outcome.warnings:
        log.warning("gazette: %s: %s", outcome.source, warning)


def _ingest(config, earlier: catalog.Reuse) -> catalog.Catalog | None:
    """Record new and revised stories (GAZETTE_INGEST); the catalog with the records, or
    None when the ledger could not be read (the build's own catalog then says why)."""
    try:
        done = catalog.ingest(config, ledger.ingest_time(), earlier)
    except ledger.LedgerError as err:
        log.error("gazette: ingest: the ledger is damaged (%s): fix it or restore it", err)
        return None  # the catalog then rejects every story for the same reason
    if done.missing_ledger:
        log.warning("gazette: there was no ledger: every story is recorded as first seen now")
    log.info("gazette: ingest: %s", done.summary)
    return done.recorded


def release_catalog(generator) -> None:
    """Let the catalog go once every file is read and reported (``article_generator_finalized``,
    after buildreport)."""
    reader = generator.readers.readers.get("txt")
    if isinstance(reader, RawArticleReader):
        reader._catalog = None


def freeze_what_was_read(generator) -> None:
    """Every story read (``article_generator_finalized``, first): a build process that is
    not the warm one freezes what it holds (machinery/parallel.py ``freeze_for_good``)."""
    if not reuse.enabled():
        parallel.freeze_for_good()


def read_raw_files_anew(generator) -> None:
    """``generator_init``, before glue/warm.py: Pelican's own content cache
    (``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``) keeps a file's reading while its time stamp
    is the same, but a raw file's outcome is the site's (another file's duplicate, a slug,
    the ledger), and a build that reads none writes no report: each is read every build
    (the parse cache keeps that cheap)."""
    raw = tuple("." + extension for extension in RawArticleReader.file_extensions)

    def read_anew(path) -> bool:
        return str(path).endswith(raw)

    internals.never_cached(generator.readers, read_anew)
    if hasattr(generator, "get_cached_data"):  # a CachingGenerator's cache of Articles
        internals.never_cached(generator, read_anew)


def _alone(pelican_settings, source_path):
    config = resolve(pelican_settings)
    source = catalog.relative(source_path, config.path)
    built = catalog.build(config, files=[(source, source.split("/")[0])])
    return built.outcomes[0]
