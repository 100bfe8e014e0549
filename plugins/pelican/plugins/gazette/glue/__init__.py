"""Pelican glue: the only layer that imports Pelican (reader, signals, writers)."""
