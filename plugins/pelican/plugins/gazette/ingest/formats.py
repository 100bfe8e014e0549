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
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from . import headlines, raw

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


@dataclass(frozen=True)
class ParseOptions:
    """What the parsers take from the site's settings (settings.py resolves it once).
    Plain values: the parse cache's workers are handed it, and its key hashes it."""

    junk: re.Pattern  # GAZETTE_JUNK_PATTERNS, compiled (boilerplate.py)
    headline_suffixes: re.Pattern = headlines.SUFFIXES  # GAZETTE_HEADLINE_SUFFIXES
    html_min_words: int = 25  # GAZETTE_HTML_MIN_WORDS
    html_site_rules: dict = field(default_factory=dict)  # GAZETTE_HTML_SITE_RULES

    def key(self) -> str:
        """Everything here that changes what a parser makes, as text."""
        rules = sorted((host, sorted(r.items())) for host, r in self.html_site_rules.items())
        return repr(
            (
                self.junk.pattern,
                self.junk.flags,
                self.headline_suffixes.pattern,
                self.headline_suffixes.flags,
                self.html_min_words,
                rules,
            )
        )


def parse_file(data: bytes, source: str, options: ParseOptions):
    """The parse of the raw file ``source`` by its format."""
    suffix = PurePosixPath(source).suffix
    if suffix == ".txt":
        return raw.parse(data, source, options.junk, options.headline_suffixes)
    if suffix in HTML_SUFFIXES:
        from . import htmlpage  # trafilatura and lxml load only when a site has pages

        html_options = htmlpage.HtmlOptions(
            min_words=options.html_min_words, site_rules=dict(options.html_site_rules)
        )
        return htmlpage.parse(data, source, options.junk, html_options)
    return raw.Rejection(source, f"not a raw article format ({suffix or 'no suffix'})")
