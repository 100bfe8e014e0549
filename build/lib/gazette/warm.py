"""What the build server (buildserver.py) keeps from one build to the next.

Off unless ``enable()`` was called, which only the build server does: a
publish build, the command line and the tests keep nothing between builds.

- **Stories' Articles.** Pelican makes an Article of every story on every
  build (about 0.4 ms each). Its generator asks ``get_cached_data`` before it
  reads a file; here that answers with the Article of the last build while
  the catalog decides the very same Story for the file (Pelican's own content
  cache keys on file times only, and the catalog's site-wide decisions can
  change a story whose file did not). Every build still decides every story.
- **Topics' and sections' objects** (the reader's Tag and Category per name),
  so kept and new Articles share them.
- **Work done on a kept Article** (``remember``/``recall``): its search
  index entry, its feed item. A kept Article's story is the same, so is that work.
- **Compiled templates** (Jinja's bytecode cache, in memory; it checks each
  template's source, so an edited template is compiled again).
- **Work a build may carry to the next** (``carried``): the catalog's per-file
  results, by everything they depend on.
- **Objects a module keeps for itself** (``hold``/``held``): the parse
  cache, read from disk once rather than once a build.
- **Pelican's memo of page bodies**, for the kept Articles only: it is global
  and would otherwise keep every build's Articles alive.
"""

import hashlib
import os
from functools import partial

from jinja2 import BytecodeCache

_state = {"enabled": False, "key": None}
_articles: dict[str, object] = {}  # source path -> Article, of the last build
_this_build: dict[str, object] = {}  # the same, of this build so far
_terms: dict[tuple[str, str], object] = {}  # (kind, name) -> Tag or Category
_memos: dict[str, dict[int, tuple]] = {}  # kind -> id(Article) -> (Article, value)
_lasting: dict[str, object] = {}  # name -> an object a module keeps
_carried: dict[str, "Carried"] = {}


class _CompiledTemplates(BytecodeCache):
    def __init__(self):
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.stored.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


_templates = _CompiledTemplates()


def enable() -> None:
    _state["enabled"] = True


def enabled() -> bool:
    return _state["enabled"]


def settings_key(settings: dict) -> str:
    """A hash of every setting's value (a function's or pattern's name only, as for the
    page cache): the settings file may change without the process starting anew."""
    from .pagecache import setting_bytes

    digest = hashlib.sha256()
    for name in sorted(settings):
        digest.update(setting_bytes(name, settings[name]) + b"\0")
    return digest.hexdigest()


def begin(key) -> None:
    """A build starts; ``key`` names its settings (nothing is kept across a change)."""
    if key != _state["key"]:
        _forget()
        _state["key"] = key
    _this_build.clear()


def terms() -> dict:
    """The reader's Tag and Category objects by (kind, name): the kept ones when warm."""
    return _terms if _state["enabled"] else {}


def remember(kind: str, article, value) -> None:
    """Keep ``value`` (what ``kind`` of work made of ``article``) while the Article is kept."""
    if _state["enabled"]:
        _memos.setdefault(kind, {})[id(article)] = (article, value)


def recall(kind: str, article):
    """What ``remember`` kept for this Article; None when nothing."""
    found = _memos.get(kind, {}).get(id(article))
    return found[1] if found is not None and found[0] is article else None


class Carried:
    """A memo one build long: what the last build put, this build may take. Its keys
    must name everything the value depends on. Cold, it remembers nothing."""

    def __init__(self, active: bool = False):
        self.active = active
        self.last: dict = {}
        self.next: dict = {}

    def take(self, key):
        """The last build's value for ``key`` (carried on to the next build); None if none."""
        value = self.last.get(key)
        if value is not None:
            self.next[key] = value
        return value

    def put(self, key, value) -> None:
        if self.active:
            self.next[key] = value


def carried(name: str) -> Carried:
    """The named memo (one that remembers nothing when not warm)."""
    if not _state["enabled"]:
        return Carried()
    return _carried.setdefault(name, Carried(active=True))


def hold(name: str, value) -> None:
    """Hold ``value`` for the builds to come (when warm)."""
    if _state["enabled"]:
        _lasting[name] = value


def held(name: str):
    """What ``hold`` holds under ``name``; None when nothing (or not warm)."""
    return _lasting.get(name)


def install(generator) -> None:
    """``generator_init`` (when warm): compiled templates are reused, and the articles
    generator takes kept Articles."""
    from pelican.generators import ArticlesGenerator

    if _state["enabled"]:
        generator.env.bytecode_cache = _templates
    if _state["enabled"] and isinstance(generator, ArticlesGenerator):
        generator.get_cached_data = partial(_kept_article, generator)
        generator.cache_data = _keep_article


def _kept_article(generator, path: str, default=None):
    from .reader import RawArticleReader

    article = _articles.get(path)
    reader = generator.readers.readers.get("txt")
    if article is None or not isinstance(reader, RawArticleReader):
        return default
    if not reader.publishes_again(os.path.join(generator.path, path), article.story):
        return default
    article._context = generator.context  # this build's, as a new Article's would be
    _this_build[path] = article
    return article


def _keep_article(path: str, content) -> None:
    if getattr(content, "story", None) is not None:
        _this_build[path] = content


def after_build(ok: bool) -> int:
    """Keep this build's Articles for the next (none after a failure), and drop Pelican's
    memo of everything else; how many Articles this build took from the one before."""
    from pelican.contents import Content

    reused = sum(1 for path, article in _this_build.items() if _articles.get(path) is article)
    kept = dict(_this_build) if ok else {}
    if not ok:
        _forget()
        _state["key"] = None
    _articles.clear()
    _articles.update(kept)
    _this_build.clear()
    live = {id(article) for article in _articles.values()}
    for memo in (Content.get_content, Content.get_summary):
        for key in [key for key in memo.cache if id(key[0]) not in live]:
            del memo.cache[key]
    for memo in _memos.values():
        for key in [key for key in memo if key not in live]:
            del memo[key]
    for memo in _carried.values():
        memo.last, memo.next = memo.next, {}
    return reused


def _forget() -> None:
    _articles.clear()
    _terms.clear()
    _memos.clear()
    _lasting.clear()
    _carried.clear()
