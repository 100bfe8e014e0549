"""The build's phases from Pelican's signals, for machinery/progress.py's listener (the
dev server's build process): reading the raw files (parsecache reports the parsing, with
its count), making the stories, writing the pages. Silent with no listener."""

from pelican import signals
from pelican.contents import Article

from ..machinery import progress

MAKING, WRITING = "making the stories", "writing pages"
_count = {"made": 0, "written": 0}


def install() -> None:
    """Connect last (``register``): "writing pages" then follows the digest, the search
    index and the feeds, all made on ``article_generator_finalized``."""
    signals.article_generator_init.connect(reading)
    signals.content_object_init.connect(made)
    signals.article_generator_finalized.connect(writing)
    signals.content_written.connect(written)


def reading(_generator) -> None:
    _count.update(made=0, written=0)
    progress.phase("reading raw files")


def made(instance) -> None:
    if not isinstance(instance, Article):
        return
    if _count["made"] == 0:
        progress.phase(MAKING)
    _count["made"] += 1
    progress.advance(_count["made"])


def writing(_generator) -> None:
    progress.phase(WRITING)


def written(_path, context=None) -> None:
    _count["written"] += 1
    progress.advance(_count["written"])
