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
seconds; stories whose Article was kept from the build before). Between builds it
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

from ..glue import internals, warm
from ..machinery import reuse

LOG_FORMAT = "%(levelname)s %(message)s"


class BuildServer:
    """The client: one warm build process, started on first use."""

    def __init__(self, cwd: str | None = None, stderr=None):
        self.cwd, self.stderr = cwd, stderr  # stderr: where its own output goes (inherited)
        self.process: subprocess.Popen | None = None
        self.last: dict = {}  # the last build's reply
        self.site_files: set[str] | None = None  # the site's, after the last merge (sitebuild)

    def run(self, settings_file: str, output: str, overrides: dict, environ=None):
        """(success, log) of one Pelican build writing into ``output``."""
        request = {
            "settings": os.path.abspath(settings_file),
            "output": os.path.abspath(output),
            "overrides": overrides,
            "environ": environ or {},
        }
        if self.process is None or self.process.poll() is not None:
            self.start()
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except OSError as err:
            line, failure = "", str(err)
        else:
            failure = "the build process stopped"
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

    def start(self) -> None:
        self.stop()
        command = [sys.executable, "-m", "pelican.plugins.gazette.commands.buildserver"]
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
    try:
        for line in sys.stdin:
            reply = build(json.loads(line), handler)
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the dev server says it
        return 130
    except BrokenPipeError:  # the dev server is gone
        return 1
    return 0


def build(request: dict, handler: logging.StreamHandler) -> dict:
    """One build as ``pelican -s SETTINGS -o OUTPUT -e OVERRIDES --fatal errors`` does it."""
    from pelican import Pelican
    from pelican.settings import read_settings

    log = io.StringIO()
    handler.setStream(log)
    internals.reset_log_limits()  # each build reports its own warnings
    saved = {name: os.environ.get(name) for name in request["environ"]}
    os.environ.update(request["environ"])
    started = time.process_time()
    ok = True
    try:
        override = {**request["overrides"], "OUTPUT_PATH": request["output"]}
        settings = read_settings(request["settings"], override=override)
        warm.begin(settings)  # other settings: nothing is kept
        Pelican(settings).run()
    except Exception as err:  # a logged error (made fatal) or a crash: the build failed
        ok = False
        log.write(f"CRITICAL {type(err).__name__}: {err}\n{traceback.format_exc()}")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    kept = warm.after_build(ok)
    gc.collect()
    cpu = round(time.process_time() - started, 3)
    return {"ok": ok, "log": log.getvalue(), "cpu": cpu, "kept": kept}


if __name__ == "__main__":
    raise SystemExit(main())
