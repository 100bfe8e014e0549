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
"""

import contextlib
import copyreg
import gc
import logging
import os
import pickle
import tempfile
import time
from zoneinfo import ZoneInfo

from ..ingest import ledger
from . import reuse

log = logging.getLogger(__name__)

STATE_FILE = "warm.pickle"
FORMAT = b"gazette warm state 2"
CARRIED = ("catalog files", "clusters")
CHUNK = 2000  # values a record of the file holds: what it remembers while written stays small


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
    """The file's record after its key, if ``is_head`` of it; its memos' records into
    ``memos``. None when there is no file, another key, or any damage (logged)."""
    if path is None or not os.path.exists(path):
        return None
    collecting = gc.isenabled()
    gc.disable()  # millions of objects, every one of them kept: no collection while they come
    try:
        with open(path, "rb") as stored:
            if _Reader(stored).load() != (FORMAT, key):
                log.info("gazette: the warm state %s is another build's: not used", path)
                return None
            head = _Reader(stored).load()
            while (record := _Reader(stored).load()) is not None:  # None: the end
                name, values = record
                memos[name].update(values)
        if not is_head(head):
            raise ValueError("not a warm state")
    except Exception as err:  # noqa: BLE001 - any damage: a cold build, never a wrong one
        log.warning("gazette: ignoring the unreadable warm state %s (%s)", path, err)
        return None
    finally:
        if collecting:
            gc.enable()
    return head


def keep(path: str | None, key: str) -> None:
    """Write what this build carries on, for the next build in a fresh process."""
    _write(path, key, ledger.reads(), reuse.carried_on(CARRIED))


def keep_values(path: str | None, key: str, name: str, values: dict) -> None:
    """Keep ``values`` (one memo, named ``name``) at ``path`` for a next build with this
    ``key``: ``load_values`` gives them back."""
    _write(path, key, name, {name: values})


def _write(path: str | None, key: str, head, memos: dict[str, dict]) -> None:
    if path is None:
        return
    started = time.perf_counter()
    folder, temp = os.path.dirname(path), None
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
            temp = out.name
            records = [(FORMAT, key), head]
            for name, values in memos.items():
                items = list(values.items())
                records += [
                    (name, dict(items[start : start + CHUNK]))
                    for start in range(0, len(items), CHUNK)
                ]
            for record in [*records, None]:  # each with a memo of its own; None: the end
                _Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(record)
        os.chmod(temp, 0o644)  # like the other caches
        os.replace(temp, path)
        size = os.path.getsize(path) / 1e6
        took = time.perf_counter() - started
        log.info("gazette: kept %s for the next build (%.0f MB, %.1f s)", path, size, took)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as err:
        log.warning("gazette: cannot write the warm state %s (%s)", path, err)
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)


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
