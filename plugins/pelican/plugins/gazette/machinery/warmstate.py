"""What a build carries to the next, kept on disk for a next build in a fresh process.

The daily publish (``gazette build --ingest --incremental``) starts a new process each
time; everything the dev server's warm build process keeps in memory is then gone, and
the catalog would read, parse and enrich every raw file again and the clusters hash every
story. So such a build keeps, in GAZETTE_CACHE_PATH/warm.pickle, what it carried in the
memos named ``CARRIED`` (machinery/reuse.py): each raw file's outcome by its stamp and
each story's cluster signature; and what it read of the ledger. The next one resumes
them: it then reads only the files that changed (the site-wide decisions it makes anew
from their outcomes, a fraction of a second), as a warm rebuild does. It is kept as soon
as the catalog is made, in records of ``CHUNK`` values, then let go. Work made later in
the build is kept in a file of its own the same way (``keep_values``/``load_values``: the
search index's entries, glue/search.py).

The file names its ``key``: the code of the plugin and the versions of what the kept
values depend on, and every setting (glue/warm.py). Another key, a damaged or truncated
file, or anything else amiss: it is ignored with a log line, and the build is a cold one.
Written whole, then renamed into place. Only plain values, the project's own classes and
those of the standard library and numpy are read from it (``_Reader``).

A daily publish changes a few hundred of 20,000 values, and writing them all again took
0.6–1.1 s of it. So a build that read the file writes, beside it (``JOURNAL``), only what
changed since that file was written: the values that are not the very objects read from
it, and the keys gone (so a kept value is never changed in place: they are all frozen).
The journal names the file's own ``token``: a journal of another file is never applied.
Once the changes are more than ``JOURNAL_SHARE`` of the file's values, the file is written
whole again, with a new token, and the journal removed first. An older state is only
slower, never wrong, as the values' keys name what they depend on: a build that stops in
between, or a journal that is damaged or another file's (two publishes at once), leaves
the file's own state, which is then used alone.
"""

import contextlib
import copyreg
import gc
import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..ingest import ledger
from . import reuse

log = logging.getLogger(__name__)

STATE_FILE = "warm.pickle"
FORMAT = b"gazette warm state 3"
CARRIED = ("catalog files", "clusters")
CHUNK = 2000  # values a record of the file holds: what it remembers while written stays small
JOURNAL = ".journal"  # a file's journal is its path with this added
JOURNAL_SHARE = 0.25  # more changes than this share of the file's values: written whole


@dataclass
class _Read:
    """A file as this process read it, without its journal: for ``_write``'s journal."""

    key: str
    token: str
    memos: dict[str, dict]


_files_read: dict[str, _Read] = {}  # path -> that file, until this process writes it again


def path_of(config) -> str | None:
    return os.path.join(config.path, config.cache_path, STATE_FILE) if config.cache_path else None


def resume(path: str | None, key: str) -> bool:
    """Take the state kept at ``path`` for this ``key`` as the last build's (whether it
    did); either way this build carries the memos on, for ``keep``."""
    memos = _load(path, key)
    reuse.resume({name: (memos or {}).get(name, {}) for name in CARRIED})
    return memos is not None


def _load(path: str | None, key: str) -> dict | None:
    memos = {name: {} for name in CARRIED}
    reads = _read(path, key, lambda reads: isinstance(reads, dict), memos)
    if reads is None:
        return None
    ledger.remember(reads)
    gc.freeze()  # kept for the whole build: its collections need not walk them
    return memos


def load_values(path: str | None, key: str, name: str) -> dict | None:
    """The values ``keep_values`` kept at ``path`` for this ``key``; None when there are
    none (no file, another key, any damage: logged)."""
    memos = {name: {}}
    return memos[name] if _read(path, key, lambda head: head == name, memos) else None


def _read(path: str | None, key: str, is_head, memos: dict):
    """The file's record after its key, if ``is_head`` of it (its journal's, if any); its
    memos' records, then its journal's changes, into ``memos``. None when there is no
    file, another key, or any damage in either (logged)."""
    if path is None or not os.path.exists(path):
        return None
    collecting = gc.isenabled()
    gc.disable()  # millions of objects, every one of them kept: no collection while they come
    try:
        with open(path, "rb") as stored:
            first = _Reader(stored).load()
            if not isinstance(first, tuple) or first[:2] != (FORMAT, key) or len(first) != 3:
                log.info("gazette: the warm state %s is another build's: not used", path)
                return None
            head = _Reader(stored).load()
            while (record := _Reader(stored).load()) is not None:  # None: the end
                name, values = record
                memos[name].update(values)
        read = _Read(key, first[2], {name: dict(values) for name, values in memos.items()})
        head = _apply_journal(path + JOURNAL, (FORMAT, key, read.token), memos, head)
        if not is_head(head):
            raise ValueError("not a warm state")
    except Exception as err:  # noqa: BLE001 - any damage: a cold build, never a wrong one
        log.warning("gazette: ignoring the unreadable warm state %s (%s)", path, err)
        return None
    finally:
        if collecting:
            gc.enable()
    _files_read[path] = read
    return head


def _apply_journal(path: str, first: tuple, memos: dict, head):
    """The journal's head and its changes applied to ``memos``; ``head`` and ``memos`` as
    they are when there is no journal, or it is damaged or another file's (``first``)."""
    if not os.path.exists(path):
        return head
    try:
        with open(path, "rb") as stored:
            if _Reader(stored).load() != first:
                raise ValueError("the journal of another state")
            head_now = _Reader(stored).load()
            records = []  # all read before any is applied: none half applied
            while (record := _Reader(stored).load()) is not None:
                name, changed, gone = record
                if name not in memos or not isinstance(changed, dict):
                    raise ValueError("not a journal")
                records.append((name, changed, tuple(gone)))
    except Exception as err:  # noqa: BLE001 - the state as last written whole is still good
        log.warning("gazette: ignoring the unreadable journal %s (%s)", path, err)
        return head
    for name, changed, gone in records:
        memos[name].update(changed)
        for key in gone:
            memos[name].pop(key, None)
    return head_now


def keep(path: str | None, key: str) -> None:
    """Write what this build carries on, for the next build in a fresh process."""
    _write(path, key, ledger.reads(), reuse.carried_on(CARRIED))


def keep_values(path: str | None, key: str, name: str, values: dict) -> None:
    """Keep ``values`` (one memo, named ``name``) at ``path`` for a next build with this
    ``key``: ``load_values`` gives them back."""
    _write(path, key, name, {name: values})


def _write(path: str | None, key: str, head, memos: dict[str, dict]) -> None:
    """The file at ``path`` written whole, or only its journal when this process read it
    with this ``key`` and little changed since."""
    if path is None:
        return
    started = time.perf_counter()
    read = _files_read.pop(path, None)  # its values are this process's to let go now
    changes = _changes(read, memos) if read is not None and read.key == key else None
    try:
        if changes is not None:
            written = path + JOURNAL
            _write_records(written, [(FORMAT, key, read.token), head, *changes])
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path + JOURNAL)  # first: a journal never outlives its file
            records = [(FORMAT, key, os.urandom(8).hex()), head]
            for name, values in memos.items():
                records += [(name, chunk) for chunk in _chunks(list(values.items()))]
            written = path
            _write_records(written, records)
        size = os.path.getsize(written) / 1e6
        took = time.perf_counter() - started
        log.info("gazette: kept %s for the next build (%.1f MB, %.1f s)", written, size, took)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as err:
        log.warning("gazette: cannot write the warm state %s (%s)", path, err)


def _changes(read: _Read, memos: dict[str, dict]) -> list | None:
    """The journal's records: (memo, values changed since ``read``, keys gone) in records
    of at most ``CHUNK`` values; None when they are more than ``JOURNAL_SHARE`` of it."""
    changes, count = {}, 0
    for name in sorted(read.memos.keys() | memos.keys()):
        last, values = read.memos.get(name, {}), memos.get(name, {})
        changed = [(k, v) for k, v in values.items() if last.get(k, _NONE) is not v]
        gone = [k for k in last if k not in values]
        changes[name] = changed, gone
        count += len(changed) + len(gone)
    if count > JOURNAL_SHARE * sum(len(values) for values in read.memos.values()):
        return None
    records = []
    for name, (changed, gone) in changes.items():
        records += [(name, chunk, ()) for chunk in _chunks(changed)]
        records.append((name, {}, gone))
    return records


_NONE = object()


def _chunks(items: list) -> list[dict]:
    """(key, value) ``items`` as dicts of at most ``CHUNK`` values, one record each."""
    return [dict(items[start : start + CHUNK]) for start in range(0, len(items), CHUNK)]


def _write_records(path: str, records: list) -> None:
    """``records``, each pickled with a memo of its own, then None (the end), into a new
    file renamed into place."""
    folder, temp = os.path.dirname(path), None
    os.makedirs(folder, exist_ok=True)
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
            temp = out.name
            for record in [*records, None]:
                _Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(record)
        os.chmod(temp, 0o644)  # like the other caches
        os.replace(temp, path)
    except BaseException:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise


# What the kept values are made of: any other class or function the file names is refused
# before its module is even imported (a pickle can call whatever it names).
_MODULES = {"array", "builtins", "collections", "datetime", "zoneinfo", "numpy", "numpy.dtypes"}
_PACKAGE = "pelican.plugins.gazette."
_FUNCTIONS = {
    ("array", "_array_reconstructor"),
    ("copyreg", "_reconstructor"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
}
_BUILTINS = {"object", "set", "frozenset", "bytearray", "complex", "slice", "range"}


class _Writer(pickle.Pickler):
    """A zone is written as its name, read back as ZoneInfo(name): the same cached zone,
    without the ``getattr`` call its own pickling makes."""

    dispatch_table = {**copyreg.dispatch_table, ZoneInfo: lambda zone: (ZoneInfo, (zone.key,))}


class _Reader(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _FUNCTIONS:
            return super().find_class(module, name)
        if module == "builtins" and name not in _BUILTINS:
            raise pickle.UnpicklingError(f"{module}.{name} is not in a warm state")
        if module in _MODULES or module.startswith(_PACKAGE):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a class; never a function to call
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not in a warm state")
