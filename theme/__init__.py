"""The Gazette theme for Pelican, as an installable package.

In pelicanconf.py::

    import gazette_theme

    THEME = gazette_theme.path()

The theme's templates and static files sit beside this file (templates/,
static/); Pelican copies static/ to THEME_STATIC_DIR in the output. With the
pelican-gazette plugin the front page is the latest edition, with editions,
a search page and Gazette's feeds; without it the same templates render
Pelican's own pages (index, articles, pages, categories, tags, authors,
archives) from Pelican's context alone.
"""

from pathlib import Path

__all__ = ["PATH", "path"]

PATH = str(Path(__file__).resolve().parent)


def path() -> str:
    """The theme's folder, for Pelican's ``THEME`` setting."""
    return PATH
