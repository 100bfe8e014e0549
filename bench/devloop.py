"""Dev-server latency: from saving a story to its page being served.

For Gazette (``gazette serve``) and Hugo (``hugo server``, its defaults: pages
rendered into memory, its own file watcher), each on the N-story site: start
the server and wait for its first build, then

- add: write one new story's file and poll its URL until it answers 200;
- edit: change a word in the body of an existing story and poll its page
  until the new word is there.

The time is from just before the file is written to the first response that
shows the change (polled every 10 ms, so up to 10 ms late).
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

POLL = 0.01
SERVER_LINE = "gazette serve: "  # how the dev server's own lines start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page's text, or None while it is not there (404, or no server yet)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def wait_for(url: str, marker: str | None = None, timeout: float = 600.0, since=None) -> float:
    """Seconds from ``since`` (default: now) until ``url`` is served (holding ``marker``)."""
    since = time.perf_counter() if since is None else since
    while time.perf_counter() - since < timeout:
        text = fetch(url)
        if text is not None and (marker is None or marker in text):
            return time.perf_counter() - since
        time.sleep(POLL)
    raise SystemExit(f"bench: {url} not served{f' with {marker!r}' if marker else ''} in time")


@contextlib.contextmanager
def server(command: list[str], cwd: str, home: str, log_path: str):
    """Run a dev server until the block ends; wait for its home page first."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = time.perf_counter()
        wait_for(home, timeout=1800)
        yield time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gazette_command(conf: str, port: int) -> list[str]:
    cli = "pelican.plugins.gazette.commands.cli"
    return [sys.executable, "-m", cli, "--settings", conf, "serve", "--port", str(port)]


def hugo_command(port: int) -> list[str]:
    return ["hugo", "server", "--bind", "127.0.0.1", "--port", str(port), "--disableLiveReload"]


def settle(log_path: str, quiet: float = 2.0, timeout: float = 600.0, done=None) -> None:
    """Wait until the server's log has not grown for ``quiet`` seconds (and, with ``done``,
    a pattern, until its last line says a build is done): its last build (new pages are
    served before it has merged all its files) is over."""
    started, size, since = time.perf_counter(), -1, time.perf_counter()
    while time.perf_counter() - started < timeout:
        now = os.path.getsize(log_path)
        if now != size:
            size, since = now, time.perf_counter()
        elif time.perf_counter() - since >= quiet and (done is None or _ends_with(log_path, done)):
            return
        time.sleep(0.1)


def _ends_with(log_path: str, pattern: str) -> bool:
    """Whether the server's last line of its own (a failed build's log follows it) says a
    build ended."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = [line for line in log.read().splitlines() if line.startswith(SERVER_LINE)]
    return bool(lines) and re.search(pattern, lines[-1]) is not None


def _builds(log_path: str, pattern: str) -> int:
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return len(re.findall(pattern, log.read()))


def _built(log_path: str, pattern: str, before: int, since: float, timeout=600.0) -> float:
    """Seconds from ``since`` until the log says one more build is done than ``before``."""
    while time.perf_counter() - since < timeout:
        if _builds(log_path, pattern) > before:
            return time.perf_counter() - since
        time.sleep(POLL)
    raise SystemExit("bench: the dev server's build did not end in time")


def add_then_edit(base: str, add, new_path: str, edit, edit_path: str, quiet: str, done=None):
    """(add s, edit s, add's build s, edit's build s): ``add()`` writes a new story served at
    ``base + new_path``; ``edit(marker)`` puts ``marker`` into the story served at
    ``base + edit_path``; ``quiet``: the server's log, to wait for its builds to end before
    each change. With ``done`` (a pattern of the log's line for a finished build), also
    until the whole site is rebuilt: a page may be served before (Gazette's preview);
    without, those are None."""
    timings = []
    for change, path, marker in ((add, new_path, None), (edit, edit_path, "zqbench")):
        settle(quiet, done=done)
        before = _builds(quiet, done) if done else 0
        marker = marker and f"{marker}edit{os.getpid()}"
        started = time.perf_counter()
        if marker is None:
            change()
        else:
            change(marker)
        served = wait_for(base + path, marker, since=started)
        timings.append((served, _built(quiet, done, before, started) if done else None))
    (added, added_built), (edited, edited_built) = timings
    return added, edited, added_built, edited_built
