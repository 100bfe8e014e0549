"""Work spread over the machine's cores; the same results either way.

- ``ordered_map``: a first build parses and finds the topics of every raw
  file, CPU-bound work on independent files. It runs in worker processes
  (forked, so they start at once and need nothing re-imported), results in
  input order.
- ``in_background``: writing a first build's feeds (and, in the dev server's
  build process, the search index) is work that nothing else in the build
  waits for. It runs in a forked child while the build renders its pages;
  ``wait_for_background`` (Pelican's ``finalized``) waits for it, and a child
  that failed fails the build.

- ``fork_sibling``: the build itself forks and both processes go on with the
  same code, each doing its share (glue/splitrender.py: every other page);
  the child ends with ``end_sibling``, the parent waits in ``wait_for_sibling``.

All fall back to running in the build's own process when there is one core
or a platform other than Linux (where forking is unsafe or absent).
"""

import atexit
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor

from . import progress

log = logging.getLogger(__name__)

# Below this many items the workers' start-up costs more than it saves.
MIN_ITEMS = 200
_stay_frozen = False  # keep_frozen: the warm build process's objects stay frozen after a fork


def keep_frozen() -> None:
    """The warm build process (commands/buildserver.py) freezes what it keeps between
    builds and thaws it only to collect after each: a fork then must not thaw it."""
    global _stay_frozen
    _stay_frozen = True


def _thaw() -> None:
    if not _stay_frozen:
        gc.unfreeze()


def worker_count(setting: int = 0) -> int:
    """``setting`` processes, or one per usable core when it is 0."""
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _forks() -> bool:
    # fork only on Linux: elsewhere (macOS's system libraries, Windows) it is unsafe or absent
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def ordered_map(function, items: list, workers: int = 0, counted: bool = False) -> list:
    """``[function(item) for item in items]``, on ``workers`` processes when it pays;
    ``counted``: each result done is the current phase's progress (progress.py)."""
    workers = worker_count(workers)
    if workers < 2 or len(items) < MIN_ITEMS or not _forks():
        return [function(item) for item in (progress.counting(items) if counted else items)]
    chunk = max(1, min(8, len(items) // (workers * 8)))
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers' garbage collector then leaves the parent's objects (and pages) alone
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = pool.map(function, items, chunksize=chunk)
            return list(progress.counting(results) if counted else results)
    finally:
        _thaw()


_children: list[tuple[int, str, object]] = []  # (process id, what it does, its error file)


def in_background(work, what: str, workers: int = 0) -> bool:
    """Start ``work()`` in a forked child and return at once; False, with nothing started,
    when there is one core (``workers``, as in ``worker_count``) or no safe fork."""
    if worker_count(workers) < 2 or not _forks():
        return False
    # the child's traceback, for the build's log; closed once the child is waited for
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the child's garbage collector then leaves the parent's objects (and pages) alone
    pid = os.fork()
    if pid == 0:  # the child: do the work, report by exit status, never return
        _child(work, errors)
    _thaw()
    _children.append((pid, what, errors))
    return True


def _child(work, errors) -> None:
    status = 1
    try:
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _end_with_parent()
            work()
            status = 0
        except BaseException:
            with contextlib.suppress(BaseException):
                errors.write(traceback.format_exc().encode())
                errors.flush()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        os._exit(status)  # whatever happened above: nothing of the parent's runs here


def _end_with_parent() -> None:
    """Linux: a child whose build process is killed (out of memory, say) ends too."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _end_children() -> None:
    """At exit: a build that failed before waiting for its children leaves none running."""
    while _children:
        pid, _, errors = _children.pop()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        errors.close()


def wait_for_background(*_) -> None:
    """Wait for every ``in_background`` child (Pelican's ``finalized``); a failed one is
    logged as an error, with its traceback, which fails the build."""
    while _children:
        pid, what, errors = _children.pop(0)
        _, status = os.waitpid(pid, 0)
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
        errors.close()
        if os.waitstatus_to_exitcode(status) != 0:
            log.error("gazette: %s failed (in a background process): %s", what, error or status)


_sibling: list[tuple[int, str]] = []  # (process id, what it does): at most one


def fork_sibling(what: str) -> bool | None:
    """Fork the build: True in the child, False in the parent, None (nothing forked) when
    it cannot. Both return here and go on with the same work, each doing its share."""
    if not _forks():
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the child's garbage collector then leaves the parent's objects (and pages) alone
    pid = os.fork()
    _thaw()
    if pid == 0:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _end_with_parent()
        _children.clear()  # the parent's to wait for (and, at exit, to end), not this one's
        _sibling.clear()
        return True
    _sibling.append((pid, what))
    return False


def end_sibling() -> None:
    """The forked child has done its share: it ends here, with nothing of the parent's run."""
    with contextlib.suppress(BaseException):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(0)


def wait_for_sibling() -> None:
    """Wait for the child of ``fork_sibling``; one that failed is logged as an error (its
    own traceback is in the build's log already), which fails the build."""
    while _sibling:
        pid, what = _sibling.pop()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log.error("gazette: %s failed (in a second process): exit status %s", what, status)


def _end_sibling_at_exit() -> None:
    """A build that failed before waiting for its sibling leaves none running."""
    while _sibling:
        pid, _ = _sibling.pop()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)


atexit.register(_end_children)
atexit.register(_end_sibling_at_exit)
