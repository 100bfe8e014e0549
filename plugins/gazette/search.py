"""Site search: the /search/ page and its Pagefind index.

- ``write_page(generator, writer)`` runs on ``article_writer_finalized`` and
  writes the search page with Pelican's writer, so it gets the same context as
  every other page (sections for its no-JavaScript fallback, the masthead).
- ``index_site(pelican)`` runs on ``finalized``, once every page is on disk,
  and has Pagefind (from PyPI, binary included) index the built HTML into
  ``pagefind/`` beside it. Only story pages carry ``data-pagefind-body``
  (article.html), so list pages never show up as duplicate hits; section,
  place and topic filters and the date sort key come from the story's head.

A missing Pagefind binary is not an error: the build warns once and the
search page tells readers how to browse instead.
"""

import asyncio
import json
import logging
import os
import shutil
import time

from .settings import value

log = logging.getLogger(__name__)

URL = "search/"
SAVE_AS = "search/index.html"
BUNDLE = "pagefind"  # the index folder in the output, Pagefind's own default name


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


def index_site(pelican) -> None:
    settings = pelican.settings
    if not value(settings, "GAZETTE_SEARCH"):
        return
    if find_binary() is None:
        log.warning(
            "gazette: search: the Pagefind binary is missing (pip install 'pagefind[bin]'); "
            "the site is built without a search index"
        )
        return
    output = os.path.abspath(pelican.output_path)
    bundle = os.path.join(output, BUNDLE)
    # Index file names are content hashes: clear the last build's so none go stale.
    shutil.rmtree(bundle, ignore_errors=True)
    language = settings.get("DEFAULT_LANG") or "en"
    started = time.perf_counter()
    try:
        asyncio.run(build_index(output, bundle, language))
    except Exception as error:  # the service reports its failures as bare Exceptions
        log.error("gazette: search: Pagefind failed, the site has no search index: %s", error)
        return
    log.info(
        "gazette: search: indexed %d story pages in %.1f s (%s/)",
        indexed_pages(bundle),
        time.perf_counter() - started,
        BUNDLE,
    )


def find_binary():
    """The Pagefind executable's path, or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        path = get_executable()
    except FileNotFoundError:  # pagefind_bin installed without its binary
        return None
    return path if path and os.access(path, os.X_OK) else None


async def build_index(output: str, bundle: str, language: str) -> None:
    from pagefind.index import PagefindIndex

    # One language for the whole site: every page is DEFAULT_LANG, so a stray lang
    # attribute must not split the index in two.
    config = {"force_language": language, "output_path": bundle}
    async with PagefindIndex(config=config) as index:  # writes the files on leaving
        await index.add_directory(output)  # every *.html; only story pages are indexed


def indexed_pages(bundle: str) -> int:
    """Pages in the index, from Pagefind's entry file (0 when unreadable)."""
    try:
        with open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8") as entry:
            languages = json.load(entry)["languages"].values()
    except (OSError, ValueError, KeyError):
        return 0
    return sum(lang.get("page_count", 0) for lang in languages)
