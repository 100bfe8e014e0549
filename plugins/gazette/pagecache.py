"""Story pages of the last build, reused when nothing they show has changed.

Story pages are most of a site's pages and most of its rendering time, yet
adding one story changes only its own page, its neighbours' and those that
list it under "more on this topic". With ``GAZETTE_PAGE_CACHE`` on (the dev
server turns it on; publish builds leave it off, so production output never
depends on it), ``CachingWriter`` renders a story page only when its key is
not in the cache, under GAZETTE_CACHE_PATH/pages/.

A page's key hashes everything the page shows: the story itself (its whole
Story, metadata and URL), the stories it links to (neighbours, more on this
topic), and the site around it: every theme template, the plugin's code, the
settings, the sections and the hand-written pages. The cache keeps only the
pages the last build used.
"""

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.writers import Writer

from .settings import value

log = logging.getLogger(__name__)

PLUGIN = Path(__file__).resolve().parent
# Settings that name where this build happens, not what it makes.
_PLACES = {"OUTPUT_PATH", "PATH", "CACHE_PATH", "GAZETTE_PAGE_CACHE", "WRITE_SELECTED"}


def get_writer(pelican):
    """The ``get_writer`` signal: our writer when the page cache is on."""
    return CachingWriter if value(pelican.settings, "GAZETTE_PAGE_CACHE") else None


class CachingWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        folder = os.path.join(settings["PATH"], value(settings, "GAZETTE_CACHE_PATH"), "pages")
        self.cache = PageCache(folder)
        self._site_key = None
        signals.finalized.connect(self.finish)  # weakly: gone with this build's writer

    def write_file(self, name, template, context, *args, **kwargs):
        article = kwargs.get("article")
        if article is not None and getattr(article, "story", None) is not None:
            if self._site_key is None:
                self._site_key = site_key(self.settings, context)
            template = _Cached(template, self.cache, page_key(self._site_key, article))
        return super().write_file(name, template, context, *args, **kwargs)

    def finish(self, pelican) -> None:
        self.cache.prune()
        log.info("gazette: page cache: %d story pages reused, %d rendered", *self.cache.counts)


class _Cached:
    """A template whose ``render`` comes from the cache when the key is there."""

    def __init__(self, template, cache: "PageCache", key: str):
        self.template, self.cache, self.key = template, cache, key

    def render(self, localcontext) -> str:
        text = self.cache.get(self.key)
        if text is None:
            text = self.template.render(localcontext)
            self.cache.put(self.key, text)
        return text


class PageCache:
    """Rendered pages by key, one file each; ``prune`` drops those this build did not use."""

    def __init__(self, folder: str):
        self.folder = folder
        self.used: set[str] = set()
        self.counts = [0, 0]  # reused, rendered
        os.makedirs(folder, exist_ok=True)

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key + ".html")

    def get(self, key: str) -> str | None:
        self.used.add(key)
        try:
            with open(self._path(key), encoding="utf-8") as page:
                text = page.read()
        except OSError:
            return None
        self.counts[0] += 1
        return text

    def put(self, key: str, text: str) -> None:
        self.counts[1] += 1
        temporary = self._path(key) + ".tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as page:
                page.write(text)
            os.replace(temporary, self._path(key))
        except OSError as error:  # a full disk costs speed, never the build
            log.warning("gazette: page cache: cannot write %s: %s", key, error)

    def prune(self) -> None:
        for name in os.listdir(self.folder):
            if name.removesuffix(".html") not in self.used:
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(self.folder, name))


def site_key(settings: dict, context: dict) -> str:
    """What every page shows beyond its own stories: theme, code, settings, navigation."""
    digest = hashlib.sha256()
    theme = Path(settings["THEME"]) / "templates"
    for path in sorted([*theme.rglob("*"), *PLUGIN.glob("*.py")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in sorted(settings):
        if name not in _PLACES:
            digest.update(_stable(name, settings[name]))
    sections = [(str(c), c.url) for c, _ in context.get("categories", [])]
    pages = [(p.title, p.url) for p in context.get("pages", [])]
    digest.update(repr((sections, pages)).encode())
    return digest.hexdigest()


def page_key(site: str, article) -> str:
    linked = [article.newer_story, article.older_story, *article.more_on_topic]
    parts = [site, story_key(article), *(story_key(s) if s else "-" for s in linked)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def story_key(article) -> str:
    """A hash of the story and of its article's metadata, worked out once per build."""
    key = getattr(article, "_gazette_key", None)
    if key is None:
        shown = sorted((k, repr(v)) for k, v in article.metadata.items())
        shown += [("url", article.url), ("locale_date", article.locale_date)]
        key = hashlib.sha256(repr(shown).encode()).hexdigest()
        article._gazette_key = key
    return key


def _stable(name: str, setting) -> bytes:
    """A setting as bytes when it is plain data; its name alone otherwise (functions,
    compiled patterns and the like print their memory address)."""
    try:
        return json.dumps([name, setting], sort_keys=True).encode()
    except (TypeError, ValueError):
        return name.encode()
