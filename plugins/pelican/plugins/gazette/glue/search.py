"""Site search: the /search/ page and its index (Pelican glue for searchindex.py).

- ``write_index(generator)`` runs on ``article_generator_finalized``, once the
  stories are in their final order: it writes the index of the published
  stories into ``search/data/``, which search.js (theme) reads in the browser.
  A story's words come from its page body (the reader keeps no second copy).
- ``write_page(generator, writer)`` runs on ``article_writer_finalized`` and
  writes the search page with Pelican's writer, so the page gets the same
  context as every other page (sections for its no-JavaScript fallback).
"""

import hashlib
import json
import logging
import os
import time
from functools import partial

from ..ingest.story import plain_text
from ..machinery import keptfiles, parallel, reuse, warmstate
from ..outputs import searchindex
from ..settings import value
from . import internals, warm
from .pagecache import save_manifest, stamp

log = logging.getLogger(__name__)

URL = "search/"
SAVE_AS = "search/index.html"
DATA = "search/data"  # the index's folder in the output
MANIFEST = "search.json"  # in GAZETTE_CACHE_PATH: each file's hash and stamp, last build
ENTRIES = "search-entries.pickle"  # in GAZETTE_CACHE_PATH: each story's entry, last publish


def write_page(generator, writer) -> None:
    settings = generator.settings
    writer.write_file(
        SAVE_AS,
        generator.get_template("search"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        url=URL,
        template_name="search",
        page_name="search",
    )


def write_index(generator) -> None:
    """Index the published stories, oldest first (a new story's id is the next), into DATA."""
    articles, output_path = generator.articles, generator.output_path
    settings = generator.settings
    if not value(settings, "GAZETTE_SEARCH"):
        return
    # The build server has every entry at hand (kept, or made for new stories): the index
    # itself (1.2 s at 20,000 stories: every weight depends on every story) is then put
    # together beside the pages, on another core. Otherwise each entry (the last publish's,
    # or made) is added at once: a first build never holds all of them, a publish holds
    # them for the next (about 30 MB at 20,000 stories).
    carried = _Carried(settings)
    beside = reuse.enabled() and len(articles) >= parallel.MIN_ITEMS
    index, entries = searchindex.SearchIndex(), []
    for article in reversed(articles):  # editions.digest has put them newest first
        entry = reuse.recall("search", article)
        if entry is None:  # not kept by the build server: the last publish's, or made
            entry = carried.entry(article, index)
            reuse.remember("search", article, entry)
        if beside:
            entries.append(entry)
        else:
            index.add(entry)
    carried.done()
    folder = os.path.join(output_path, DATA)
    write = partial(_write, index, entries, folder, _Kept(settings))
    workers = int(value(settings, "GAZETTE_PARSE_WORKERS"))
    if beside and parallel.in_background(write, "writing the search index", workers):
        log.info("gazette: search: indexing %d stories beside the pages", len(entries))
    else:
        write()
        # The index (36 MB at 20,000 stories), freed, goes back to the system before the
        # feeds are made: they would otherwise come on top of it.
        del write, index, entries
        parallel.return_free_memory()


def _write(index: searchindex.SearchIndex, entries: list, folder: str, kept: "_Kept") -> None:
    """Add ``entries`` to ``index`` and write its files into ``folder``, but those the
    previous output holds already, byte for byte (``kept``)."""
    started = time.perf_counter()
    for entry in entries:
        index.add(entry)
    os.makedirs(folder, exist_ok=True)
    written, left = set(), 0
    for name, body in index.iter_files():  # one at a time: never the whole index in memory
        if kept.keeps(name, body):
            left += 1
            continue
        with open(os.path.join(folder, name), "wb") as out:
            out.write(body)
        kept.wrote(name, body, os.path.join(folder, name))
        written.add(name)
    for name in set(os.listdir(folder)) - written - kept.names:  # an earlier build's chunks
        os.remove(os.path.join(folder, name))
    kept.save(os.path.dirname(os.path.dirname(folder)))
    log.info(
        "gazette: search: indexed %d stories in %.1f s (%d files in %s/, %d of them unchanged)",
        len(index),
        time.perf_counter() - started,
        len(written) + left,
        DATA,
        left,
    )


class _Kept:
    """The index's files as the last build wrote them (GAZETTE_CACHE_PATH/search.json: each
    file's hash, size and time), with the page cache on: a file whose bytes are the same
    and that is still as written (no other build has replaced it) is left where it is, so
    one changed story rewrites only the files it changes. Without the cache, none."""

    def __init__(self, settings: dict) -> None:
        self.manifest, self.last, self.now, self.names = None, {}, {}, set()
        self.previous, self.changes_only = None, False
        cache = value(settings, "GAZETTE_CACHE_PATH")
        if not (value(settings, "GAZETTE_PAGE_CACHE") and cache):
            return
        self.manifest = os.path.join(settings["PATH"], cache, MANIFEST)
        self.changes_only = bool(value(settings, "GAZETTE_CHANGES_ONLY"))
        previous = value(settings, "GAZETTE_PREVIOUS_OUTPUT") or settings["OUTPUT_PATH"]
        same = os.path.abspath(previous) == os.path.abspath(settings["OUTPUT_PATH"])
        if self.changes_only or same:  # else the output is a new folder: everything written
            self.previous = os.path.join(previous, DATA)
        try:
            with open(self.manifest, encoding="utf-8") as stored:
                last = json.load(stored)
            self.last = last if isinstance(last, dict) else {}
        except (OSError, ValueError):
            self.last = {}

    def keeps(self, name: str, body: bytes) -> bool:
        """Whether the previous output's ``name`` holds ``body`` (then it stays there)."""
        last = self.last.get(name)
        if self.previous is None or not isinstance(last, list) or len(last) != 3:
            return False
        digest = _hash(body)
        if last[0] != digest or stamp(os.path.join(self.previous, name)) != last[1:]:
            return False
        self.now[name] = last
        self.names.add(name)
        return True

    def wrote(self, name: str, body: bytes, path: str) -> None:
        if self.manifest is not None:
            self.now[name] = [_hash(body), *stamp(path)]

    def save(self, output: str) -> None:
        """The manifest for the next build; and, changes only, the list of the files left
        in the previous output, which sitebuild.merge must not delete."""
        if self.manifest is None:
            return
        if self.changes_only:
            keptfiles.write_list(output, MANIFEST, (f"{DATA}/{name}" for name in self.names))
        save_manifest(self.manifest, self.now, "search")


def _hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class _Carried:
    """Each story's entry as the last publish made it (GAZETTE_CACHE_PATH/ENTRIES, read
    and written as the warm state is: machinery/warmstate.py), by a digest of everything
    it is made from: a publish (a fresh process's --incremental build) works out only the
    new and changed stories' (0.1 ms a story, 2 s at 20,000). Inactive (``path`` None)
    in other builds: the build server keeps its own (reuse.py), a first build none."""

    def __init__(self, settings: dict) -> None:
        self.path, self.key, self.last, self.now = None, "", {}, {}
        cache = value(settings, "GAZETTE_CACHE_PATH")
        if reuse.enabled() or not (value(settings, "GAZETTE_PAGE_CACHE") and cache):
            return
        self.path = os.path.join(settings["PATH"], cache, ENTRIES)
        self.key = warm.state_key(settings)  # this code's, with these settings
        self.last = warmstate.load_values(self.path, self.key, ENTRIES) or {}

    def entry(self, article, index: searchindex.SearchIndex) -> searchindex.Entry:
        fields, body = _record_fields(article), internals.raw_body(article)
        key = None
        if self.path is not None:
            digest = hashlib.blake2b(repr(fields).encode(), digest_size=16)
            digest.update(body.encode())
            key = digest.digest()
        entry = self.last.get(key)
        if entry is None:
            entry = index.entry(searchindex.Record(*fields, text=plain_text(body)))
        if key is not None:
            self.now[key] = entry
        return entry

    def done(self) -> None:
        """Every story has its entry: this build's are kept for the next, then let go
        with the last publish's, before the index's files are made (the index holds
        what it needs of them)."""
        if self.path is not None:
            taken = sum(1 for key in self.now if key in self.last)
            log.info(
                "gazette: search: %d of %d entries as the last publish made them",
                taken,
                len(self.now),
            )
            warmstate.keep_values(self.path, self.key, ENTRIES, self.now)
        self.last, self.now = {}, {}


def _record_fields(article) -> tuple:
    """Every field of the story's Record but its text."""
    story = article.story
    return (
        article.url,
        story.title,
        article.date.isoformat(),
        article.locale_date,
        str(article.category),
        story.place or "",
        tuple(str(tag) for tag in article.tags),
        story.summary,
    )
