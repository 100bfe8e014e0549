"""Outputs: Atom and RSS (feedgen), JSON Feed, archives, sitemaps, the search index (pure)."""
