"""Gazette's Pelican plugin: Pelican's signals wired to the modules that do the work."""

import logging

from pelican import signals

from ..machinery import parallel
from . import (
    articles,
    cards,
    digest,
    fallbacks,
    feedwriter,
    htmlcache,
    listpages,
    pagecache,
    preview,
    progress,
    redirects,
    search,
    site_settings,
    sitemaps,
    warm,
)
from .buildreport import report
from .reader import (
    RawArticleReader,
    freeze_what_was_read,
    on_stories,
    read_raw_files_anew,
    release_catalog,
)


def add_reader(readers):
    for extension in RawArticleReader.file_extensions:
        readers.reader_classes[extension] = RawArticleReader


def register():
    # trafilatura warns for every page it finds no text in; Gazette names that rejection.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    signals.initialized.connect(site_settings.prepare)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(htmlcache.install)
    signals.generator_init.connect(fallbacks.install)
    signals.generator_init.connect(read_raw_files_anew)  # before warm's own cache
    signals.generator_init.connect(warm.install)
    signals.get_writer.connect(pagecache.get_writer)
    on_stories(cards.draw_early)  # a first build's cards: drawn from the catalog on
    signals.content_object_init.connect(digest.fix_story_urls)
    signals.article_generator_finalized.connect(freeze_what_was_read)  # first: all read
    signals.article_generator_finalized.connect(articles.complete)  # every article a Story
    signals.article_generator_finalized.connect(report)
    signals.article_generator_finalized.connect(release_catalog)  # after the report: it reads it
    signals.article_generator_finalized.connect(cards.attach)  # before digest's JSON-LD
    signals.article_generator_finalized.connect(digest.digest)
    signals.article_generator_finalized.connect(listpages.install)  # after digest's order
    signals.article_generator_finalized.connect(search.write_index)
    signals.page_generator_finalized.connect(digest.fix_page_urls)
    signals.article_generator_write_article.connect(digest.attach_schema)  # its page's
    signals.article_writer_finalized.connect(digest.write_editions)
    signals.all_generators_finalized.connect(feedwriter.write_all)
    signals.all_generators_finalized.connect(sitemaps.write_all)
    signals.all_generators_finalized.connect(redirects.write_all)
    signals.article_writer_finalized.connect(search.write_page)
    signals.article_writer_finalized.connect(preview.note_generator)  # the dev server's
    signals.finalized.connect(parallel.wait_for_background)  # feeds written beside the pages
    progress.install()  # last: its phases follow the others' work
