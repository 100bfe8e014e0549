"""Work spread over the machine's cores; the same results either way.

- ``ordered_map``: a first build parses and finds the topics of every raw
  file, CPU-bound work on independent files. It runs in worker processes
  (forked, so they start at once and need nothing re-imported), results in
  input order.
- ``in_background``: writing a first build's feeds (and, in the dev server's
  build process, the search index) is work that nothing else in the build
  waits for. It runs in a child while the build renders its pages (a new
  interpreter given only the work when the work pickles, else a fork);
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
import functools
import gc
import logging
import os
import pickle
import signal
import struct
import sys
import tempfile
import traceback

from . import progress

log = logging.getLogger(__name__)
# multiprocessing, concurrent.futures and subprocess are imported where they are used:
# the card process (run_fresh) imports this module and needs none of them (2.5 MB).

# Below this many items the workers' start-up costs more than it saves.
MIN_ITEMS = 200
NO_FULL_COLLECTION = 1 << 30  # middle-generation collections before a full one: never
_stay_frozen = False  # keep_frozen: the warm build process's objects stay frozen after a fork


def keep_frozen() -> None:
    """The warm build process (commands/buildserver.py) freezes what it keeps between
    builds and thaws it only to collect after each: a fork then must not thaw it."""
    global _stay_frozen
    _stay_frozen = True


def freeze_for_good() -> None:
    """Freeze what this process holds, for the rest of its life: a build's full
    collections walked the stories' millions of objects again and again and freed almost
    nothing (13 of them, about 2 s, in a 20,000-story daily publish). And run no full
    collection after: with the stories frozen they still walked what the pages and feeds
    made since and found next to nothing (5 in that publish, 0.5 s, 127 objects freed);
    the young generations, where the build's cyclic garbage is found (110,000 objects in
    a 20,000-story first build), are still collected. For a process that builds once; the
    warm build process collects and freezes between builds itself."""
    keep_frozen()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NO_FULL_COLLECTION)


def _thaw() -> None:
    if not _stay_frozen:
        gc.unfreeze()


def _thaw_when_alone() -> None:
    """Thaw once no forked child shares this process's pages any more: until then a full
    collection, which writes to every object's header, would copy each shared page."""
    if not _children and not _sibling:
        _thaw()


def return_free_memory() -> None:
    """Give the memory freed so far back to the system (glibc's ``malloc_trim``): text
    the build no longer holds (the parsed files, the catalog) leaves free blocks all
    through the heap that the system would count as in use until reused (52 MB at
    20,000 stories). Best before forking: the child then shares less."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def worker_count(setting: int = 0) -> int:
    """``setting`` processes, or one per usable core when it is 0."""
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _forks() -> bool:
    import multiprocessing

    # fork only on Linux: elsewhere (macOS's system libraries, Windows) it is unsafe or absent
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def ordered_map(function, items: list, workers: int = 0, counted: bool = False) -> list:
    """``[function(item) for item in items]``, on ``workers`` processes when it pays;
    ``counted``: each result done is the current phase's progress (progress.py)."""
    workers = worker_count(workers)
    if workers < 2 or len(items) < MIN_ITEMS or not _forks():
        return [function(item) for item in (progress.counting(items) if counted else items)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(8, len(items) // (workers * 8)))
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers' garbage collector then leaves the parent's objects (and pages) alone
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = pool.map(function, items, chunksize=chunk)
            return list(progress.counting(results) if counted else results)
    finally:
        _thaw_when_alone()


def apart(function):
    """``function()`` worked out in a forked child, when forking is safe: a small result
    made from much that is thrown away (the gazetteer: 65 MB of GeoNames' JSON for 60,000
    names) then leaves this process's heap as it was, not riddled with freed blocks that
    later objects fill only in part."""
    if not _forks():
        return function()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            return pool.submit(function).result()
    finally:
        _thaw_when_alone()


_children: list[tuple[int, str, object]] = []  # (process id, what it does, its error file)
_fresh: dict = {}  # process id -> its subprocess.Popen: the children of _children started anew


def in_background(work, what: str, workers: int = 0, keep_fds=(), pure: bool = False) -> bool:
    """Start ``work()`` in a child process and return at once; False, with nothing started,
    when there is one core (``workers``, as in ``worker_count``) or no safe fork.

    Work that pickles (a module-level function and plain data, as ``functools.partial``
    makes) runs in a new interpreter that is given only it: a forked child would keep a
    copy of every page of this process it shares and this process then writes to (300 MB
    for 20,000 stories' social cards). Work that does not pickle (a closure, a generator)
    runs in a forked child, which sees everything this process holds. ``keep_fds``: file
    descriptors the new interpreter keeps (a fork keeps them all). ``pure``: the work is
    the plugin's pure layers' only (no glue): the new interpreter then imports the
    plugin without running the package it lives in (``pelican/__init__.py`` imports
    all of Pelican, Jinja and Docutils: 30 MB)."""
    if worker_count(workers) < 2 or not _forks():
        return False
    # the child's traceback, for the build's log; closed once the child is waited for
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    sys.stdout.flush()
    sys.stderr.flush()
    pid = _start_fresh(work, errors, keep_fds, pure) if sys.executable else None
    if pid is None:  # embedded (no interpreter to run), or work that does not pickle
        gc.freeze()  # the child's collector then leaves the parent's objects (and pages) alone
        pid = os.fork()
        if pid == 0:  # the child: do the work, report by exit status, never return
            _child(work, errors)
    _children.append((pid, what, errors))  # frozen until it is waited for
    return True


# A new interpreter runs freshboot.py (by its path: no package is imported for it), which
# runs ``run_fresh`` of this module.
_BOOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "freshboot.py")
# The package the plugin lives in (``pelican`` for pelican.plugins.gazette), if any.
_ROOT = __name__.rsplit(".", 2)[0]
_PARENT = _ROOT.split(".")[0] if "." in _ROOT else ""


def _fresh_command(module: str, errors_fd: int, pure: bool) -> list[str]:
    """A new interpreter that runs ``module.run_fresh(errors_fd)``, its import path and
    then its work on stdin (``_write_work``); ``pure``: without the package the plugin
    lives in being imported."""
    return [sys.executable, _BOOT, module, str(errors_fd), _PARENT if pure else ""]


def _write_work(work, into) -> None:
    """What freshboot.py and ``run_fresh`` read from stdin, from its start: the import
    path, then the work, pickled straight into the file, a frame at a time (a large work,
    the stories' text for the search index, is never held here a second time as bytes)."""
    pickle.dump(sys.path, into)
    pickle.dump(work, into, protocol=pickle.HIGHEST_PROTOCOL)
    into.flush()
    into.seek(0)


def _start_fresh(work, errors, keep_fds=(), pure: bool = False) -> int | None:
    """The new interpreter's process id; None when ``work`` does not pickle."""
    import subprocess

    command = _fresh_command(__name__, errors.fileno(), pure)
    kept = (errors.fileno(), *keep_fds)
    # The child reads its work from a file, not a pipe: this process goes on at once
    # rather than wait for the child to have started and read it all.
    with tempfile.TemporaryFile() as stdin:
        try:
            _write_work(work, stdin)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        try:
            child = subprocess.Popen(command, stdin=stdin, pass_fds=kept)
        except OSError as err:  # the work is forked instead
            log.debug("gazette: no new interpreter (%s); forking", err)
            return None
    _fresh[child.pid] = child
    return child.pid


def become_fresh(module: str, work) -> None:
    """Give this process (its id, its standard streams, its exit status) to a new
    interpreter that runs ``module.run_fresh(2)`` with ``work`` (plain data) on its
    stdin, the plugin's pure way (its package not imported). Returns only by raising
    OSError when that cannot be done, stdin as it was."""
    saved = os.dup(0)  # not inherited: closed by the exec
    try:
        with tempfile.TemporaryFile() as stdin:
            _write_work(work, stdin)
            os.dup2(stdin.fileno(), 0)
        sys.stdout.flush()
        sys.stderr.flush()
        command = _fresh_command(module, 2, pure=True)
        os.execv(command[0], command)
    except OSError:
        os.dup2(saved, 0)
        os.close(saved)
        raise


def run_fresh(errors_fd: int) -> None:
    """The new interpreter of ``in_background``: the work from stdin, run; its traceback,
    if it fails, into ``errors_fd``."""
    _end_with_parent()
    with os.fdopen(errors_fd, "wb") as errors:
        try:
            work = pickle.load(sys.stdin.buffer)
            work()
        except BaseException:
            errors.write(traceback.format_exc().encode())
            errors.flush()
            sys.exit(1)


def started_in_background() -> int:
    """How many ``in_background`` children this build started and has not yet waited for
    (``wait_for_background``), running or done."""
    return len(_children)


def running_in_background() -> int:
    """How many ``in_background`` children are still at work (each keeps a core busy)."""
    running = 0
    for pid, _, _ in _children:
        with contextlib.suppress(ChildProcessError):
            running += os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    return running


def _exit_status(pid: int) -> int:
    child = _fresh.pop(pid, None)
    if child is not None:
        return child.wait()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


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
            _exit_status(pid)
        errors.close()


_shares: list[tuple[object, list, object]] = []  # (function, items, claims file)


def share_in_background(
    function, items: list, what: str, workers: int = 0, pure: bool = False
) -> bool:
    """``function(item)`` for every item, in a child (``in_background``) that takes them
    from the front, and in this process too once its own work is done: it takes them
    from the back in ``wait_for_background``. Each item is done once, by whichever
    process claims it first; none is left when the child fails. False, with nothing
    started, when ``in_background`` would start nothing (``pure``: as there)."""
    claims = tempfile.TemporaryFile()  # noqa: SIM115 - the two ends of the unclaimed items
    claims.write(struct.pack(_CLAIMS, 0, len(items)))
    claims.flush()
    work = functools.partial(_take, function, items, claims.fileno(), True)
    if not in_background(work, what, workers, keep_fds=(claims.fileno(),), pure=pure):
        claims.close()
        return False
    _shares.append((function, list(items), claims))  # its own list: _take lets items go
    return True


_CLAIMS = "=qq"  # the first unclaimed item and one past the last


def _take(function, items: list, fd: int, front: bool) -> None:
    """Claim and do unclaimed items, from the front or the back, until none is left. An
    item done is let go: the process holds less and less of them (20,000 cards' texts
    are 17 MB of the child's 42 at the start)."""
    while (index := _claim(fd, front)) is not None:
        function(items[index])
        items[index] = None


def _claim(fd: int, front: bool) -> int | None:
    import fcntl  # POSIX only; sharing runs only where a child can be started (Linux)

    # a record lock (lockf), not flock: the processes share the file's description, and
    # flock's locks belong to the description, record locks to the process
    fcntl.lockf(fd, fcntl.LOCK_EX)
    try:
        first, end = struct.unpack(_CLAIMS, os.pread(fd, struct.calcsize(_CLAIMS), 0))
        if first >= end:
            return None
        index, first, end = (first, first + 1, end) if front else (end - 1, first, end - 1)
        os.pwrite(fd, struct.pack(_CLAIMS, first, end), 0)
        return index
    finally:
        fcntl.lockf(fd, fcntl.LOCK_UN)


def wait_for_background(*_) -> None:
    """Do this process's part of every ``share_in_background``, wait for every
    ``in_background`` child (Pelican's ``finalized``), then call what ``after_background``
    was given; a failed child is logged as an error, with its traceback, which fails the
    build."""
    while _shares:
        function, items, claims = _shares.pop(0)
        with claims:
            _take(function, items, claims.fileno(), False)
    while _children:
        pid, what, errors = _children.pop(0)
        status = _exit_status(pid)
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
        errors.close()
        if status != 0:
            log.error("gazette: %s failed (in a background process): %s", what, error or status)
    _thaw_when_alone()
    while _afterwards:
        _afterwards.pop(0)()


_afterwards: list = []  # functions to call once all background work is done


def after_background(function) -> None:
    """Call ``function()`` in ``wait_for_background``, once every child has ended (the
    build's last use of what they made: the cards they drew, linked into the output)."""
    _afterwards.append(function)


_sibling: list[tuple[int, str]] = []  # (process id, what it does): at most one


def fork_sibling(what: str) -> bool | None:
    """Fork the build: True in the child, False in the parent, None (nothing forked) when
    it cannot. Both return here and go on with the same work, each doing its share."""
    if not _forks():
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    # Both processes' collectors leave what was there at the fork alone until the split
    # ends (wait_for_sibling): a full collection writes to every object's header, which
    # would copy each shared page into both processes.
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _end_with_parent()
        _children.clear()  # the parent's to wait for (and, at exit, to end), not this one's
        _fresh.clear()
        _shares.clear()
        _afterwards.clear()
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
        _thaw_when_alone()
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
