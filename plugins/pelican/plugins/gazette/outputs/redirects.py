"""Redirect pages at a story's earlier URLs: a corrected headline gives the story a new
slug, and every link to the old URL must still lead to it. Pure.

glue/redirects.py finds each story's earlier URLs in the ledger (ingest/ledger.py
records every slug and date a story's URL was made of). A redirect page is static HTML:
a canonical link to the current URL, an immediate meta refresh, a visible link for
when refreshing is off, and noindex, so a search engine keeps only the current URL (the
sitemap lists only those).
"""

import html
import posixpath
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Moved:
    """An earlier URL of a story, and where the story is now."""

    save_as: str  # the earlier page's file, under the output folder
    url: str  # the earlier URL, relative to the site root
    since: datetime  # when the ledger recorded it
    source: str  # the story's file, for ties
    target: str  # the story's URL now, relative to the site root
    title: str  # the story's headline now


def choose(moved, taken: set[str]) -> list[Moved]:
    """One redirect per earlier file, in file order. None where a page of the site is
    now (``taken``: that file is the page's, as when another story has the old slug);
    of stories that each had the same URL, the one that had it last."""
    best: dict[str, Moved] = {}
    for each in moved:
        if each.save_as in taken:
            continue
        held = best.get(each.save_as)
        if held is None or (each.since, each.source) > (held.since, held.source):
            best[each.save_as] = each
    return [best[name] for name in sorted(best)]


def page(moved: Moved, site_url: str, site_name: str, lang: str) -> bytes:
    """The redirect page. Its refresh and link are relative, so they work wherever the
    site is served; the canonical URL is absolute, as search engines want it."""
    here = posixpath.dirname(moved.save_as) or "."
    there = posixpath.relpath(moved.target.rstrip("/") or ".", here)
    relative = there + ("/" if moved.target.endswith("/") and there != "." else "")
    if relative == ".":
        relative = "./"
    canonical = f"{site_url}/{moved.target}"
    title, link, name = (html.escape(t) for t in (moved.title, relative, site_name))
    text = f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={link}">
<title>Moved: {title} · {name}</title>
<link rel="canonical" href="{html.escape(canonical)}">
</head>
<body>
<main>
<h1>This story has moved</h1>
<p>Its headline was changed, and its address with it. It is now at <a href="{link}">{title}</a>.</p>
</main>
</body>
</html>
"""
    return text.encode("utf-8")
