"""Gazette: a Pelican plugin that turns a folder of raw news articles into a digest.

The layers, each a sub-package; imports flow down this list only (tests/test_layers.py):

- ``commands``: the ``gazette`` command, the dev server, the warm build process,
  staging and atomic publish. Drives Pelican.
- ``glue``: the only code that imports Pelican: reader, signals, generators' and
  writers' hooks, and (``glue.internals``) every use of Pelican's private parts.
- ``machinery``: speed that never changes a byte: the parse cache, parallel work,
  what a warm build keeps.
- ``outputs``: feeds, JSON Feed, sitemaps, the search index. Pure.
- ``digest``: editions, ranking, structured data. Pure.
- ``ingest``: bytes to a story or a named rejection: text, junk, datelines,
  topics, ledger, catalog. Pure.

``settings`` (every ``GAZETTE_*`` default) sits beside them, for all.
"""


def register():
    """Pelican's entry point (``PLUGINS = ["gazette"]``)."""
    from .glue.signals import register as connect

    connect()
