"""The development server: build, serve on 127.0.0.1, rebuild on change, reload the browser.

Pelican's own ``--listen --autoreload`` neither watches ``seeds/`` or
``plugins/`` nor re-imports plugin code nor refreshes the browser. Here each
rebuild is a sitebuild.build (ingest, then Pelican writing only the pages and
feeds that changed into a staging folder, then merged into the site): a
broken file shows an error in the page and the last good site stays up.
Pelican runs in a build process kept warm between builds (buildserver.py);
a change to any Python file (the plugin, the settings) starts a new one.

When every change is a saved story, the story's own page is served at once, made
alone with the last good build's site (glue/preview.py), and an open copy of it
reloads; the rebuild that follows replaces it. Changes are watched from the start: one
saved while a build runs is built next.

A build says how far it is (machinery/progress.py) on the terminal and in an open page;
the site is served from the start, a "building" page standing in for it until the first
build is done. A failed build's message starts with the error's file, line and message.
"""

import http.server
import json
import os
import queue
import sys
import threading
import time
import urllib.parse
from functools import partial
from http import HTTPStatus

from ..ingest.formats import RAW_SUFFIXES
from ..machinery import progress
from . import sitebuild
from .buildserver import BuildServer

RELOAD_PATH = "/__gazette__/"
WATCHED = ("seeds", "content", "theme", "plugins", "pelicanconf.py", "publishconf.py")

_CLIENT = """(() => {
  const events = new EventSource("/__gazette__/events");
  let seen = null;
  function box(id, css) {
    let element = document.getElementById(id);
    if (!element) {
      element = document.createElement("pre");
      element.id = id;
      element.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;" +
        "overflow:auto;margin:0;padding:.75em 1em;font:14px/1.4 monospace;z-index:9999;" +
        "white-space:pre-wrap;" + css;
      document.body.append(element);
    }
    return element;
  }
  // A saved story's page shown ahead of its build: any end of that build replaces it.
  const preview = document.currentScript?.src.endsWith("?preview");
  events.addEventListener("build", (e) => {
    const state = JSON.parse(e.data);
    if (seen !== null && (state.build !== seen || preview)) location.reload();
    seen = state.build;
    document.getElementById("gazette-build-progress")?.remove();
    const shown = document.getElementById("gazette-build-error");
    if (state.error) {
      const error = box("gazette-build-error", "background:#7a0000;color:#fff");
      error.setAttribute("role", "alert");
      error.textContent = "Build failed: " + state.error +
        "\\n(The last good site is shown; save a fix and this page reloads.)";
    } else if (shown) {
      shown.remove();
    }
  });
  events.addEventListener("preview", (e) => {
    const here = decodeURIComponent(location.pathname).replace(/index\\.html$/, "");
    if (JSON.parse(e.data).pages.includes(here)) location.reload();
  });
  events.addEventListener("progress", (e) => {
    const state = JSON.parse(e.data);
    if (!state.text) return document.getElementById("gazette-build-progress")?.remove();
    const bar = box("gazette-build-progress", "background:#1b1b1b;color:#fff;max-height:4em");
    bar.setAttribute("role", "status");
    bar.textContent = "Building: " + state.text;
  });
})();
"""

# Served for any page while there is no site yet (the first build is running).
_BUILDING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Building the site</title></head>
<body><h1>Building the site</h1>
<p>The first build reads every raw file; this page shows how far it is and opens the
site when it is done.</p></body></html>
"""

# At most this many saved stories are shown ahead of their build (each is read and rendered
# first: a checkout of hundreds of files would only hold its build back).
PREVIEW_MAX = 10

# A rebuild says how far it is on the terminal only once it has taken this long.
QUIET_SECONDS = 2.0

# The error shown in the page: what failed first (buildserver.headline), then the log's
# start and end when it is long.
ERROR_CHARS = 6000


class Builder:
    """Runs builds one at a time and remembers the outcome of the last one."""

    def __init__(self, settings_file: str, output: str, site_url: str, stories_in=()):
        self.settings_file = settings_file
        self.output = output
        self.site_url = site_url
        self.stories_in = tuple(os.path.abspath(p) for p in stories_in)  # the article paths
        self.build = 0  # number of the last successful build
        self.error = ""  # output of the last build when it failed
        self.progress = ""  # how far the running build is; "" between builds
        self.previews: dict[str, bytes] = {}  # saved stories' pages, by path, until built
        self.previewed = 0  # how many times pages were previewed (an event to open pages)
        self.started = 0.0  # when it started (time.monotonic)
        self.changed = threading.Condition()
        self.server = BuildServer()
        self.terminal = Terminal(sys.stderr)

    def run(self, changed=()) -> bool:
        """Build; ``changed`` are the paths that changed since the last build."""
        if any(path.endswith(".py") for path in changed):
            self.server.stop()  # code is imported once per process: the next build starts anew
        self.started = started = time.monotonic()
        self.show_progress({"phase": "starting the build", "done": 0, "total": None})
        ok, log = sitebuild.build(
            self.settings_file,
            self.output,
            ingest=True,
            site_url=self.site_url,
            page_cache=True,
            server=self.server,
            on_progress=self.show_progress,
        )
        took = time.monotonic() - started
        with self.changed:
            self.progress = ""
            self.previews = {}  # the build's pages are in place, or the last good site
            if ok:
                self.build += 1
                self.error = ""
            else:
                self.error = shortened(log)
            self.changed.notify_all()
        self.terminal.done()
        if ok:
            print(f"gazette serve: build {self.build} done in {took:.1f} s", file=sys.stderr)
        else:
            print(f"gazette serve: build failed ({took:.1f} s): {log}", file=sys.stderr)
        return ok

    def preview(self, changed) -> None:
        """Serve the saved stories' own pages now (glue/preview.py), while their rebuild
        runs: only when every change is a raw file saved in the article paths (a
        template, a setting or a deletion changes more than a story's page), and a few."""
        saved = self._saved_stories(changed) if self.build else []
        if not 0 < len(saved) <= PREVIEW_MAX:
            return
        pages, error = self.server.preview(saved)
        if error:
            print(f"gazette serve: no first look at the saved stories: {error}", file=sys.stderr)
        if not pages:
            return
        with self.changed:
            self.previews = {"/" + name: html.encode() for name, html in pages.items()}
            self.previewed += 1
            self.changed.notify_all()
        print(f"gazette serve: shown before the build: {', '.join(pages)}", file=sys.stderr)

    def _saved_stories(self, changed) -> list[str]:
        """The raw files saved among ``changed``, or none when anything else changed. An
        editor's own files are not changes of the site: hidden ones (emacs's ``.#story.txt``
        lock; the build ignores them too) and those gone again that are not raw files
        (vim's ``4913``, a ``___jb_tmp___``: a safe save writes and removes them)."""
        saved = []
        for path in sorted(set(map(os.path.abspath, changed))):
            if os.path.basename(path).startswith("."):
                continue
            raw = path.endswith(RAW_SUFFIXES)
            raw = raw and any(path.startswith(folder + os.sep) for folder in self.stories_in)
            if os.path.isfile(path) and raw:
                saved.append(path)
            elif raw or os.path.lexists(path):  # a story deleted; a template, a setting
                return []
        return saved

    def show_progress(self, report: dict) -> None:
        """A report of the running build: on the terminal, and to the open pages. Its
        seconds count from the start of ``run`` (the build process's own start included).
        A quick rebuild (under QUIET_SECONDS) stays one line on the terminal: its "done"."""
        report = {**report, "seconds": time.monotonic() - self.started}
        text = progress.describe(report)
        if self.build == 0 or report["seconds"] >= QUIET_SECONDS:
            self.terminal.show(report, text)
        with self.changed:
            self.progress = text
            self.changed.notify_all()


def shortened(log: str) -> str:
    """The log for the page: whole, or its start (what failed) and its end."""
    if len(log) <= ERROR_CHARS:
        return log
    half = ERROR_CHARS // 2
    return f"{log[:half]}\n[… {len(log) - 2 * half:,} characters …]\n{log[-half:]}"


class Terminal:
    """Build progress on the terminal: one line rewritten in place on a terminal; else (a
    log file gets no carriage returns) a line as each phase starts and at each quarter of
    a counted one."""

    def __init__(self, stream):
        self.stream = stream
        self.live = hasattr(stream, "isatty") and stream.isatty()
        self.phase, self.quarter, self.width = None, 0, 0

    def show(self, report: dict, text: str) -> None:
        line = f"gazette serve: {text}"
        total = report.get("total") or 0
        quarter = 4 * report["done"] // total if total else 0
        if self.live:
            self.stream.write("\r" + line.ljust(self.width))
            self.width = len(line)
        elif report["phase"] != self.phase or quarter > self.quarter:
            self.stream.write(line + "\n")
        self.phase, self.quarter = report["phase"], quarter
        self.stream.flush()

    def done(self) -> None:
        if self.live and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
        self.phase, self.quarter, self.width = None, 0, 0


class Server(http.server.ThreadingHTTPServer):
    """One daemon thread per connection (live-reload clients hold theirs open), and a
    listen backlog for hundreds of requests at once (the default, 5, drops them)."""

    daemon_threads = True
    request_queue_size = 1024


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from the output folder, with the live-reload client added to pages.
    Only files whose real path is inside the output folder are served: a link inside it
    that leads elsewhere is "not found"; a malformed path is a 400."""

    builder: Builder

    def do_GET(self):
        if self.path == RELOAD_PATH + "events":
            return self._events()
        if self.path in (RELOAD_PATH + "client.js", RELOAD_PATH + "client.js?preview"):
            return self._send(200, "text/javascript", _CLIENT.encode())
        path = self._local_path()
        if path is None:
            return None
        preview = self._preview()
        if preview is not None:
            page = self._with_client(preview, "?preview")
            return self._send(200, "text/html; charset=utf-8", page)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and not os.path.lexists(path) and self.builder.build == 0:
            return self._send(503, "text/html; charset=utf-8", self._with_client(_BUILDING))
        if path.endswith(".html") and os.path.isfile(path):
            if not self._inside(path):
                return self.send_error(HTTPStatus.NOT_FOUND)
            with open(path, "rb") as page:
                return self._send(200, "text/html; charset=utf-8", self._with_client(page.read()))
        return super().do_GET()

    def _preview(self) -> bytes | None:
        """A saved story's page served ahead of its build, when the request is for one
        (``/2026/05/01/slug/`` or ``…/index.html``)."""
        previews = self.builder.previews
        if not previews:
            return None
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        return previews.get(name + "index.html" if name.endswith("/") else name)

    @staticmethod
    def _with_client(body: bytes | str, query: str = "") -> bytes:
        body = body.encode() if isinstance(body, str) else body
        tag = f'<script src="{RELOAD_PATH}client.js{query}" defer></script>'.encode()
        return body.replace(b"</body>", tag + b"</body>", 1)

    def do_HEAD(self):
        if self._local_path() is not None:
            super().do_HEAD()

    def _local_path(self) -> str | None:
        """The file system path of the request, or None once an error is answered."""
        try:
            path = self.translate_path(self.path)
            if "\0" in path:
                raise ValueError("a NUL character in the path")
            os.fsencode(path)  # unencodable (lone surrogates): malformed too
        except (ValueError, UnicodeError):
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return None
        if not self._inside(path):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return path

    def _inside(self, path: str) -> bool:
        """Whether the real path of ``path`` (what a link leads to) is in the site."""
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        return real == root or real.startswith(root + os.sep)

    def send_head(self):
        # the file SimpleHTTPRequestHandler opens, checked once more (index.html in a folder)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if os.path.lexists(path) and not self._inside(path):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def _send(self, status, kind, body):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        builder = self.builder
        last = shown = None
        previewed = builder.previewed  # a page opened since has them already

        def current():
            return (builder.build, builder.error), builder.progress, builder.previewed

        try:
            while True:
                with builder.changed:
                    if current() == (last, shown, previewed):
                        builder.changed.wait(timeout=15)
                    state, now, previews = current()
                    urls = sorted(name.removesuffix("index.html") for name in builder.previews)
                if state != last:
                    data = json.dumps({"build": state[0], "error": state[1]})
                    self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                if previews != previewed:
                    data = json.dumps({"pages": urls})
                    self.wfile.write(f"event: preview\ndata: {data}\n\n".encode())
                if now != shown:
                    data = json.dumps({"text": now})
                    self.wfile.write(f"event: progress\ndata: {data}\n\n".encode())
                if (state, now, previews) == (last, shown, previewed):
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                last, shown, previewed = state, now, previews
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        if os.environ.get("GAZETTE_SERVE_LOG"):
            super().log_message(format, *args)


def watch(root: str, ledger: str) -> queue.Queue:
    """Changed paths under the watched folders, a list per batch, from now on: a change
    saved while a build runs (the first one too) is built next."""
    from watchfiles import DefaultFilter
    from watchfiles import watch as changes_of

    paths = [os.path.join(root, p) for p in WATCHED if os.path.exists(os.path.join(root, p))]
    ledger_path = os.path.abspath(os.path.join(root, ledger))
    editors = DefaultFilter()  # not editors' swap, lock and backup files, nor __pycache__

    def relevant(change, path):
        return editors(change, path) and os.path.abspath(path) != ledger_path

    batches = queue.Queue()

    def run():
        try:
            for changes in changes_of(*paths, watch_filter=relevant, debounce=300):
                batches.put([path for _, path in changes])
        except Exception as err:  # noqa: BLE001 - raised where the builds run, not lost here
            batches.put(err)

    threading.Thread(target=run, daemon=True).start()
    return batches


def rebuild_on_change(builder: Builder, batches: queue.Queue) -> None:
    """Each batch (with those that came while the last build ran): first look, then build."""
    while True:
        taken = [batches.get()]
        while not batches.empty():
            taken.append(batches.get())
        for batch in taken:
            if isinstance(batch, Exception):  # the watcher failed
                raise batch
        changed = [path for batch in taken for path in batch]
        builder.preview(changed)
        builder.run(changed)


def serve(settings_file: str, bind: str, port: int) -> int:
    from .settings_file import load_config

    config = load_config(settings_file)
    output = config.output_path
    stories_in = [os.path.join(config.path, p) for p in config.article_paths]
    builder = Builder(settings_file, output, f"http://{bind}:{port}", stories_in)
    os.makedirs(output, exist_ok=True)
    handler = partial(Handler, directory=output)
    Handler.builder = builder
    try:  # listen first: a busy port is said at once, not after a build
        server = Server((bind, port), handler)
    except OSError as err:
        print(f"gazette serve: cannot listen on {bind}:{port}: {err.strerror}", file=sys.stderr)
        return 1
    try:
        # Served from the start: an open page shows the first build's progress.
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"gazette serve: http://{bind}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
        batches = watch(config.path, config.ledger)
        builder.run()
        rebuild_on_change(builder, batches)
    except KeyboardInterrupt:
        print("gazette serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
        builder.server.stop()
    return 0
