"""Whole-site builds that never leave a half-written site behind.

Pelican runs in a fresh Python process (so edited plugin code is loaded and
one build's signals never leak into the next), or for the dev server in its
warm build process (buildserver.py), and writes into a staging folder; only a
successful build replaces the output folder (``gazette build``, ``make
publish``) or, for the dev server, is merged into it: that build writes only
the pages and feeds that changed (``merge``).
"""

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys

from ..machinery import keptfiles, parallel


def build(
    settings_file,
    output,
    *,
    ingest=False,
    strict=False,
    site_url=None,
    page_cache=False,
    server=None,
    environ=None,
    on_progress=None,
) -> tuple[bool, str]:
    """Build the site into ``output``; returns (success, the build's log).

    Any logged error fails the build. ``ingest`` records new stories in the
    ledger first, in the same process (GAZETTE_INGEST); ``strict`` makes any
    rejected raw file an error too; ``site_url`` overrides SITEURL (the dev server's own
    address); ``page_cache`` reuses the story pages of the last build that
    nothing changed (pagecache.py); ``server``, a buildserver.BuildServer, runs Pelican
    in its warm process instead of a fresh one (the dev server); ``environ``: variables
    for the build (SOURCE_DATE_EPOCH, say); ``on_progress``, with ``server``: called with
    each report of how far the build is (machinery/progress.py).
    """
    staging = staging_folder(output)
    shutil.rmtree(staging, ignore_errors=True)
    recover(output)
    changes = overrides(output, ingest, strict, site_url, page_cache)
    try:
        if server is not None:
            ok, log = server.run(settings_file, staging, changes, environ, on_progress)
        else:
            command = pelican_command(settings_file, output, ingest, strict, site_url, page_cache)
            env = {**os.environ, **environ} if environ else None
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            ok, log = done.returncode == 0, done.stdout + done.stderr
    except BaseException:  # Ctrl-C: no half-made staging folder stays behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not ok:
        shutil.rmtree(staging, ignore_errors=True)
        return False, log
    try:
        if page_cache and server is not None:  # it remembers the site's files
            server.site_files = merge(staging, output, server.site_files or NO_SITE)
        elif page_cache:
            merge(staging, output)
        else:
            replace_folder(staging, output)
    except (OSError, RuntimeError) as err:  # the site changed under the build: build again
        shutil.rmtree(staging, ignore_errors=True)
        if server is not None:
            server.site_files = None  # walk the site again next time
        return False, log + f"gazette: could not put the build in place: {err}\n"
    return True, log


def publish(settings_file, output, **options) -> int:
    """``gazette build``: ``build`` with these ``options``, its log printed, and what a
    failure left in place said; the exit status."""
    ok, log = build(settings_file, output, **options)
    print(log, end="", file=sys.stderr)
    if not ok:
        print(f"gazette build: failed; {_left_as(output)}", file=sys.stderr)
    return 0 if ok else 1


def _left_as(output: str) -> str:
    """What a failed build left in place, truly."""
    if os.path.isdir(output):
        return f"{output} is unchanged"
    return f"there is no site at {output} (none was built yet)"


def publish_lean(settings_file, output, **options) -> int:
    """``publish`` in a new interpreter that takes this process's place (its id, its exit
    status), where one can: this process read the settings with all of Pelican imported,
    which would wait for the build beside it holding 48 MB, more than a quarter of a
    5,000-story build's. The new one imports this module and what it needs alone. Its
    stdin is its arguments (nothing in a build reads stdin); with a standard stream
    closed, off POSIX, or when the exec fails, ``publish`` runs here instead."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if os.name != "posix" or not sys.executable or any(s is None for s in streams):
        return publish(settings_file, output, **options)
    try:
        work = {"settings_file": settings_file, "output": output, **options}
        parallel.become_fresh(__name__, work)  # never returns but by raising
    except OSError:
        return publish(settings_file, output, **options)


def run_fresh(_errors_fd: int) -> None:
    """The new interpreter of ``publish_lean``: the publish's arguments from stdin; it
    reports on stderr itself."""
    work = pickle.load(sys.stdin.buffer)
    try:
        status = publish(**work)
    except KeyboardInterrupt:
        print("gazette: interrupted", file=sys.stderr)
        status = 130
    except OSError as err:  # a folder or file the build needs: one line, not a traceback
        where = f" ({err.filename})" if err.filename else ""
        print(f"gazette: {err.strerror or err}{where}", file=sys.stderr)
        status = 1
    sys.exit(status)


def staging_folder(output: str) -> str:
    return output.rstrip("/") + ".building"


def pelican_command(
    settings_file, output, ingest=False, strict=False, site_url=None, page_cache=False
) -> list[str]:
    """The Pelican command of ``build``: it writes into ``staging_folder(output)``. With
    ``page_cache`` that folder holds only the files that changed, for ``merge``."""
    settings = overrides(output, ingest, strict, site_url, page_cache)
    command = [sys.executable, "-m", "pelican", "-s", settings_file, "-o", staging_folder(output)]
    command += ["--log-handler", "plain"]
    # One -e with every setting: each -e replaces the settings of the one before.
    command += ["-e", *(f"{name}={json.dumps(v)}" for name, v in settings.items())]
    command += ["--fatal", "errors"]  # a logged error (a damaged ledger, a reader bug) fails
    return command


def overrides(output, ingest=False, strict=False, site_url=None, page_cache=False) -> dict:
    """The settings ``build`` gives Pelican on top of the settings file's."""
    settings = {"GAZETTE_INGEST": ingest, "GAZETTE_PAGE_CACHE": page_cache}
    if page_cache:  # unchanged pages and feeds stay in the site being updated
        settings["GAZETTE_PREVIOUS_OUTPUT"] = os.path.abspath(output)
        settings["GAZETTE_CHANGES_ONLY"] = True
    if site_url:
        settings["SITEURL"] = site_url
    if strict:
        settings["GAZETTE_STRICT"] = True
    return settings


def merge(changes: str, output: str, site: set[str] | None = None) -> set[str] | None:
    """Move a changes-only build (GAZETTE_CHANGES_ONLY) over ``output``: its files replace
    theirs (each a rename: a page is never half-written), and files of ``output`` that the
    build neither wrote nor kept (machinery/keptfiles.py lists) go, empty folders with them.

    ``site``, the files ``output`` had after the last merge (relative paths, what this
    returns), saves walking thousands of folders again (the dev server); NO_SITE: not
    known yet (the site's files are listed, and returned); None: walk it, return None when
    ``output`` is new.
    """
    if not os.path.isdir(output):
        kept = keptfiles.take_lists(changes)
        if kept:  # nothing can be kept without an earlier site
            raise RuntimeError(f"{output} is gone but the build kept files from it")
        now = _files_of(changes) if site is not None else None
        os.rename(changes, output)
        return now
    kept = keptfiles.take_lists(changes)
    # New files first: no page of the site links to them yet. Then the changed ones, whose
    # new links now all lead somewhere; files the site loses go last, once nothing links
    # to them. A reader never follows a link into a page that is not there yet.
    fresh, changed = [], []
    for folder, _, files in os.walk(changes):
        place = os.path.relpath(folder, changes)
        for name in files:
            path = os.path.normpath(os.path.join(place, name))
            there = os.path.lexists(os.path.join(output, path))
            (changed if there else fresh).append(path)
    for path in fresh + changed:
        os.makedirs(os.path.join(output, os.path.dirname(path)), exist_ok=True)
        os.replace(os.path.join(changes, path), os.path.join(output, path))
    written = set(fresh) | set(changed)
    shutil.rmtree(changes)
    now = written | kept
    if site is None or site is NO_SITE:
        site = _files_of(output)
    for path in site - now:
        with contextlib.suppress(FileNotFoundError):  # gone already
            os.remove(os.path.join(output, path))
        _remove_empty_folders(output, os.path.dirname(path))
    return now


# What a caller that keeps the site's files (the dev server) passes before its first merge.
NO_SITE = frozenset()


def _files_of(folder: str) -> set[str]:
    return {
        os.path.relpath(os.path.join(place, name), folder)
        for place, _, files in os.walk(folder)
        for name in files
    }


def _remove_empty_folders(output: str, folder: str) -> None:
    """``folder`` (relative to ``output``) and its parents, while they are empty."""
    while folder:
        try:
            os.rmdir(os.path.join(output, folder))
        except OSError:  # not empty (or gone): its parents are not empty either
            return
        folder = os.path.dirname(folder)


def replace_folder(new: str, old: str) -> None:
    """Put ``new`` where ``old`` is: at every instant ``old`` holds a complete site, the
    last one or the new one. On Linux the two folders are exchanged in one step
    (renameat2 RENAME_EXCHANGE), then the last site is removed; elsewhere ``old`` is
    renamed aside and ``new`` into its place, and ``recover`` puts a site back should
    the process die between the two."""
    if not os.path.lexists(old):
        os.rename(new, old)
        return
    if exchange(new, old):
        shutil.rmtree(new, ignore_errors=True)  # now the last site
        return
    retired = _retired(old)
    shutil.rmtree(retired, ignore_errors=True)
    os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)


def recover(output: str) -> bool:
    """Put back the last site a build renamed aside and died before replacing (the
    fallback of ``replace_folder``); True when it did."""
    retired = _retired(output)
    if os.path.isdir(retired) and not os.path.lexists(output):
        os.rename(retired, output)
        return True
    return False


def _retired(output: str) -> str:
    return output.rstrip("/") + ".old"


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_SYSCALLS = {"x86_64": 316, "aarch64": 276, "i686": 353, "i386": 353}  # renameat2


def exchange(a: str, b: str) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False when this
    system or file system cannot, with nothing changed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return False
    args = (
        ctypes.c_int(_AT_FDCWD),
        os.fsencode(a),
        ctypes.c_int(_AT_FDCWD),
        os.fsencode(b),
        ctypes.c_uint(_RENAME_EXCHANGE),
    )
    function = getattr(libc, "renameat2", None)
    if function is not None:
        result = function(*args)
    elif platform.machine() in _SYSCALLS:
        result = libc.syscall(ctypes.c_long(_SYSCALLS[platform.machine()]), *args)
    else:
        return False
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an older kernel or a file system without it: the fallback
    raise OSError(error, os.strerror(error), a)
