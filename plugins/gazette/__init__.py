"""Gazette: a Pelican plugin that turns raw news articles into a digest.

This module only wires Pelican's signals to the modules that do the work.
"""

import logging

from pelican import signals

from .catalog import REJECTED
from .reader import RawArticleReader

log = logging.getLogger(__name__)


def add_reader(readers):
    readers.reader_classes["txt"] = RawArticleReader


def report(generator):
    """After all stories are read: one summary line, and strict builds fail on rejections."""
    reader = generator.readers.readers.get("txt")
    built = getattr(reader, "_catalog", None)
    if built is None:
        return
    rejected = [o for o in built.outcomes if o.status == REJECTED]
    (log.warning if rejected else log.info)("gazette: %s", built.summary())
    if rejected and generator.settings.get("GAZETTE_STRICT"):
        names = "; ".join(f"{o.source} ({o.reason})" for o in rejected)
        log.error("gazette: strict build: %d raw files rejected: %s", len(rejected), names)


def register():
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(report)
