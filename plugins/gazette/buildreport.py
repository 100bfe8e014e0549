"""The build's account of every raw file: a summary line, and strict builds fail on rejections."""

import logging

from .catalog import REJECTED

log = logging.getLogger(__name__)


def report(generator):
    """Called once all stories are read (``article_generator_finalized``)."""
    reader = generator.readers.readers.get("txt")
    built = getattr(reader, "_catalog", None)
    if built is None:
        return
    # Printed like Pelican's own "Done:" line, so it shows at the default log level.
    print(f"gazette: {built.summary()}", flush=True)
    rejected = [o for o in built.outcomes if o.status == REJECTED]
    if rejected and generator.settings.get("GAZETTE_STRICT"):
        names = "; ".join(f"{o.source} ({o.reason})" for o in rejected)
        log.error("gazette: strict build: %d raw files rejected: %s", len(rejected), names)
