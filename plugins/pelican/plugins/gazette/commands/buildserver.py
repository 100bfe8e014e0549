"""The dev server's build process: Pelican kept warm from one build to the next.

A build in a fresh process pays, every time, for Python and Pelican starting,
for reading the caches from disk and for making every story's Pelican
Article again: more than half of a one-story rebuild of a large site. So
``gazette serve`` starts this process once (``BuildServer``). It reads build
requests on stdin, one JSON line each::

    {"settings": "pelicanconf.py", "output": "output.building",
     "overrides": {...}, "environ": {"SOURCE_DATE_EPOCH": "..."}}

runs Pelican in-process under the command line's rule (any logged error
fails the build) and answers each with one JSON line on the stdout it was
started with: ``{"ok": true, "log": "...", "cpu": 1.9, "kept": 4999}`` (CPU
seconds; stories whose Article was kept from the build before). A request
``{"preview": ["/site/seeds/story.txt", ...]}`` is answered with the saved stories'
own pages, ``{"pages": {"2026/05/01/slug/index.html": "<!doctype html>..."}}``, made
with the last good build's site (glue/preview.py). Between builds it
keeps what glue/warm.py and machinery/reuse.py keep, while the settings' values stay the same
(``glue.warm.settings_key``). The dev server starts a new one when any Python file
changes (code is imported once per process) and after a failed build, so no
half-made state is ever reused.
"""

import gc
import io
import json
import logging
import os
import subprocess
import sys
import time
import traceback

from ..glue import internals, preview, warm
from ..machinery import parallel, progress, reuse

LOG_FORMAT = "%(levelname)s %(message)s"
# The build process: Ctrl-C reaches the whole process group, and ends it quietly even
# while it is still importing Pelican (before ``main`` could catch it).
_START = (
    "import signal, sys; signal.signal(signal.SIGINT, lambda *_: sys.exit(130)); "
    "from pelican.plugins.gazette.commands.buildserver import main; sys.exit(main())"
)


class BuildServer:
    """The client: one warm build process, started on first use."""

    def __init__(self, cwd: str | None = None, stderr=None):
        self.cwd, self.stderr = cwd, stderr  # stderr: where its own output goes (inherited)
        self.process: subprocess.Popen | None = None
        self.last: dict = {}  # the last build's reply
        self.site_files: set[str] | None = None  # the site's, after the last merge (sitebuild)

    def run(self, settings_file: str, output: str, overrides: dict, environ=None, on_progress=None):
        """(success, log) of one Pelican build writing into ``output``; ``on_progress`` is
        called with each report of how far it is (machinery/progress.py) as it comes."""
        request = {
            "settings": os.path.abspath(settings_file),
            "output": os.path.abspath(output),
            "overrides": overrides,
            "environ": environ or {},
        }
        if self.process is None or self.process.poll() is not None:
            self.start()
        line, failure = self._ask(request, on_progress)
        if not line:  # it died (killed, out of memory): the next build starts a new one
            self.stop()
            return False, f"gazette: {failure}\n"
        try:
            reply = json.loads(line)
            reply["ok"], reply["log"]  # noqa: B018 - a reply without them is not one
        except (ValueError, TypeError, KeyError) as err:
            self.stop()
            return False, f"gazette: the build process answered garbage ({err}): {line[:200]}\n"
        self.last = reply
        if not reply["ok"]:
            self.stop()  # never reuse what a failed build left behind
        return reply["ok"], reply["log"]

    def preview(self, paths: list[str]) -> tuple[dict[str, str], str]:
        """(the saved stories' own pages by output path, an error or ""), from the warm
        build process (glue/preview.py); none when it is not running: a fresh one has
        no last build to make them with."""
        if self.process is None or self.process.poll() is not None:
            return {}, ""
        line, failure = self._ask({"preview": [os.path.abspath(p) for p in paths]})
        try:
            reply = json.loads(line)
            return dict(reply["pages"]), reply.get("error", "")
        except (ValueError, TypeError, KeyError):  # it died, or answered garbage
            self.stop()
            return {}, failure if not line else f"the build process answered garbage: {line[:200]}"

    def _ask(self, request: dict, on_progress=None) -> tuple[str, str]:
        """(the reply's line, or "" and why there is none) to one request."""
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
            while line.startswith('{"progress": '):  # reports before the reply
                if on_progress is not None:
                    on_progress(json.loads(line)["progress"])
                line = self.process.stdout.readline()
        except OSError as err:
            return "", str(err)
        return line, "the build process stopped"

    def start(self) -> None:
        self.stop()
        command = [sys.executable, "-c", _START]
        self.process = subprocess.Popen(
            command,
            cwd=self.cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )

    def stop(self) -> None:
        """End the build process (its next build starts a fresh one)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.stdin.close()  # it ends at the end of its input
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> int:
    from pelican import log as pelican_log

    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # what Pelican prints goes to stderr, not into the replies
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    pelican_log.init(level=logging.WARNING, fatal="errors", handler=handler)
    reuse.enable()
    parallel.keep_frozen()

    def report(item: dict) -> None:  # how far the build is, before its reply
        replies.write(json.dumps({"progress": item}) + "\n")
        replies.flush()

    try:
        for line in sys.stdin:
            request = json.loads(line)
            if "preview" in request:
                replies.write(json.dumps(preview_pages(request["preview"])) + "\n")
                replies.flush()
                continue
            reply = build(request, handler, report)
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
            settle()  # while the dev server merges the build: it waits for nothing of this
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the dev server says it
        return 130
    except BrokenPipeError:  # the dev server is gone
        return 1
    return 0


def build(request: dict, handler: logging.StreamHandler, report=None) -> dict:
    """One build as ``pelican -s SETTINGS -o OUTPUT -e OVERRIDES --fatal errors`` does it;
    ``report`` is given how far it is (machinery/progress.py). A failed build's log starts
    with what failed and where (``headline``), then what was logged before it."""
    from pelican import Pelican
    from pelican.settings import read_settings

    log = io.StringIO()
    handler.setStream(log)
    internals.reset_log_limits()  # each build reports its own warnings
    saved = {name: os.environ.get(name) for name in request["environ"]}
    os.environ.update(request["environ"])
    started = time.process_time()
    progress.listen(report)
    ok = True
    try:
        override = {**request["overrides"], "OUTPUT_PATH": request["output"]}
        settings = read_settings(request["settings"], override=override)
        warm.begin(settings)  # other settings: nothing is kept
        Pelican(settings).run()
    except Exception as err:  # a logged error (made fatal) or a crash: the build failed
        ok = False
        logged = log.getvalue()
        log = io.StringIO()
        log.write(headline(err, logged) + "\n" + logged)
        log.write(f"CRITICAL {type(err).__name__}: {err}\n{traceback.format_exc()}")
    finally:
        progress.phase("keeping the build warm for the next one")
        progress.listen(None)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    kept = warm.after_build(ok)
    cpu = round(time.process_time() - started, 3)
    return {"ok": ok, "log": log.getvalue(), "cpu": cpu, "kept": kept}


def preview_pages(paths: list[str]) -> dict:
    """The reply to a preview request: the pages, or none and the error that stopped them
    (a first look only: the build that follows reports the error where it belongs)."""
    try:
        return {"pages": preview.pages(paths)}
    except Exception as err:  # noqa: BLE001 - the build process serves the next build
        return {"pages": {}, "error": f"{type(err).__name__}: {err}"}


def settle() -> None:
    """Between builds: collect the last build's garbage, then freeze what stays (the
    kept Articles, caches, modules). A build's automatic collections then never walk
    that heap again, which grows with the site: at 5,000 stories they cost a quarter
    of a one-story rebuild, and the collection itself as much again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def headline(err: Exception, logged: str) -> str:
    """What failed and where, in the words a reader needs first: "theme/templates/
    article.html, line 9: TemplateSyntaxError: expected token …" and the line itself; for
    a logged error (Pelican raises a bare RuntimeError after it), the first one logged."""
    if isinstance(err, RuntimeError) and str(err) == "Warning or error encountered":
        first = next((line for line in logged.splitlines() if line.startswith("ERROR ")), "")
        if first:
            return "Error: " + first.removeprefix("ERROR ") + "\n"
    message = f"{type(err).__name__}: {getattr(err, 'message', None) or err}"
    where, source = _where(err)
    return f"{where}: {message}\n" + (f"    {source}\n" if source else "")


def _where(err: Exception) -> tuple[str, str]:
    """(file and line, its text) of the error: a template's line when a template failed
    (Jinja puts template lines in the traceback), else the innermost frame."""
    frames = traceback.extract_tb(err.__traceback__)
    template = [f for f in frames if not f.filename.endswith(".py")]
    frame = (template or frames or [None])[-1]
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    if frame is not None and not (filename and line):
        filename, line = frame.filename, frame.lineno
    if not filename:
        return "(unknown place)", ""
    source = frame.line if frame is not None and frame.filename == filename else ""
    return f"{_shown(filename)}, line {line}", (source or "").strip()


def _shown(path: str) -> str:
    """``path`` relative to the site's folder when it is inside it."""
    here = os.getcwd() + os.sep
    return path.removeprefix(here) if path.startswith(here) else path


if __name__ == "__main__":
    raise SystemExit(main())
