"""Site search: the /search/ page and its index (Pelican glue for searchindex.py).

- ``write_index(generator)`` runs on ``article_generator_finalized``, once the
  stories are in their final order: it writes the index of the published
  stories into ``search/data/``, which search.js (theme) reads in the browser.
  A story's words come from its page body (the reader keeps no second copy).
- ``write_page(generator, writer)`` runs on ``article_writer_finalized`` and
  writes the search page with Pelican's writer, so the page gets the same
  context as every other page (sections for its no-JavaScript fallback).
"""

import logging
import os
import time
from functools import partial

from ..ingest.story import plain_text
from ..machinery import parallel, reuse
from ..outputs import searchindex
from ..settings import value
from . import internals

log = logging.getLogger(__name__)

URL = "search/"
SAVE_AS = "search/index.html"
DATA = "search/data"  # the index's folder in the output


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
    """Index the published stories, newest first, into DATA."""
    articles, output_path = generator.articles, generator.output_path
    if not value(generator.settings, "GAZETTE_SEARCH"):
        return
    # The build server has every entry at hand (kept, or made for new stories): the index
    # itself (0.6 s at 5,000 stories: every weight depends on every story) is then put
    # together beside the pages, on another core. Otherwise each entry is added at once,
    # so a large site's entries are never all held.
    beside = reuse.enabled() and len(articles) >= parallel.MIN_ITEMS
    index, entries = searchindex.SearchIndex(), []
    for article in articles:  # newest first: editions.digest has put them in site order
        entry = reuse.recall("search", article)
        if entry is None:  # not kept by the build server: worked out (0.2 ms a story)
            entry = index.entry(record_of(article))
            reuse.remember("search", article, entry)
        if beside:
            entries.append(entry)
        else:
            index.add(entry)
    write = partial(_write, index, entries, os.path.join(output_path, DATA))
    workers = int(value(generator.settings, "GAZETTE_PARSE_WORKERS"))
    if not (beside and parallel.in_background(write, "writing the search index", workers)):
        write()


def _write(index: searchindex.SearchIndex, entries: list, folder: str) -> None:
    """Add ``entries`` to ``index`` and write its files into ``folder``."""
    started = time.perf_counter()
    for entry in entries:
        index.add(entry)
    os.makedirs(folder, exist_ok=True)
    written = set()
    for name, body in index.iter_files():  # one at a time: never the whole index in memory
        with open(os.path.join(folder, name), "wb") as out:
            out.write(body)
        written.add(name)
    for name in set(os.listdir(folder)) - written:  # chunks of an earlier build here
        os.remove(os.path.join(folder, name))
    log.info(
        "gazette: search: indexed %d stories in %.1f s (%d files in %s/)",
        len(index),
        time.perf_counter() - started,
        len(written),
        DATA,
    )


def record_of(article) -> searchindex.Record:
    story = article.story
    return searchindex.Record(
        url=article.url,
        title=story.title,
        date=article.date.isoformat(),
        date_text=article.locale_date,
        section=str(article.category),
        place=story.place or "",
        topics=tuple(str(tag) for tag in article.tags),
        summary=story.summary,
        text=plain_text(internals.raw_body(article)),  # the escaped paragraphs, dateline first
    )
