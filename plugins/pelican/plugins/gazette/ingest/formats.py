"""Which files are raw articles, and which parser reads each: one ``parse`` per format.

Like Pelican's readers: each format has a function of the same contract,
bytes in, a ``RawStory`` or a ``Rejection`` out, never an exception. The
catalog, the parse cache's workers and the Pelican reader all go through
``parse_file``, so every path sees the same formats.

Formats: ``.txt`` (raw.py) and saved web pages, ``.html``/``.htm``
(htmlpage.py). A saved page's ``<name>_files`` folder holds its images,
scripts and styles: ``skip_folder`` says never to read it as articles.
"""

import re
from pathlib import PurePosixPath

from . import raw

# File name suffixes of raw articles (lower case, as written: "upper.TXT" is not one).
RAW_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# Articles that Pelican's own readers make pages of (Markdown, reST): not raw, not ignored.
PELICAN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".rst")
# The folder a browser's "save page, complete" writes beside the page.
_SAVED_PAGE_FOLDER = re.compile(r".+_files")


def is_raw(name: str) -> bool:
    """Whether a file of this name is a raw article."""
    return name.endswith(RAW_SUFFIXES)


def skip_folder(name: str) -> bool:
    """Whether a folder of this name is a saved page's own files ("page_files"), never
    articles (its .html files are frames and widgets of the page)."""
    return bool(_SAVED_PAGE_FOLDER.fullmatch(name))


def parse_file(data: bytes, source: str, junk: re.Pattern, html_options=None):
    """The parse of the raw file ``source`` by its format. ``html_options``: an
    htmlpage.HtmlOptions from the site's settings (its defaults when None)."""
    suffix = PurePosixPath(source).suffix
    if suffix == ".txt":
        return raw.parse(data, source, junk)
    if suffix in HTML_SUFFIXES:
        from . import htmlpage  # trafilatura and lxml load only when a site has pages

        return htmlpage.parse(data, source, junk, html_options or htmlpage.DEFAULT_OPTIONS)
    return raw.Rejection(source, f"not a raw article format ({suffix or 'no suffix'})")
