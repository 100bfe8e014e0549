"""Gazette: a Pelican plugin that turns raw news articles into a digest.

This module only wires Pelican's signals to the modules that do the work.
"""

from pelican import signals

from . import (
    editions,
    htmlcache,
    listpages,
    pagecache,
    parallel,
    search,
    settings,
    sitemaps,
    warm,
)
from .buildreport import report
from .feedwriter import write_feeds
from .reader import RawArticleReader, release_catalog


def add_reader(readers):
    readers.reader_classes["txt"] = RawArticleReader


def register():
    signals.initialized.connect(settings.apply_defaults)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(htmlcache.install)
    signals.generator_init.connect(warm.install)
    signals.get_writer.connect(pagecache.get_writer)
    signals.content_object_init.connect(editions.fix_story_urls)
    signals.article_generator_finalized.connect(report)
    signals.article_generator_finalized.connect(release_catalog)  # after the report: it reads it
    signals.article_generator_finalized.connect(editions.digest)
    signals.article_generator_finalized.connect(listpages.install)  # after digest's order
    signals.article_generator_finalized.connect(search.write_index)
    signals.article_generator_finalized.connect(write_feeds)
    signals.page_generator_finalized.connect(editions.fix_page_urls)
    signals.article_writer_finalized.connect(editions.write_editions)
    signals.all_generators_finalized.connect(sitemaps.write_all)
    signals.article_writer_finalized.connect(search.write_page)
    signals.finalized.connect(parallel.wait_for_background)  # feeds written beside the pages
