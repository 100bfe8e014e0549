"""The development server: build, serve on 127.0.0.1, rebuild on change, reload the browser.

Pelican's own ``--listen --autoreload`` neither watches ``seeds/`` or
``plugins/`` nor re-imports plugin code nor refreshes the browser. Here each
rebuild is a sitebuild.build (ingest, then Pelican writing only the pages and
feeds that changed into a staging folder, then merged into the site): a
broken file shows an error in the page and the last good site stays up.
Pelican runs in a build process kept warm between builds (buildserver.py);
a change to any Python file (the plugin, the settings) starts a new one.
"""

import http.server
import json
import os
import sys
import threading
from functools import partial
from http import HTTPStatus

from . import sitebuild
from .buildserver import BuildServer

RELOAD_PATH = "/__gazette__/"
WATCHED = ("seeds", "content", "theme", "plugins", "pelicanconf.py", "publishconf.py")

_CLIENT = """(() => {
  const events = new EventSource("/__gazette__/events");
  let seen = null;
  events.addEventListener("build", (e) => {
    const state = JSON.parse(e.data);
    if (seen !== null && state.build !== seen) location.reload();
    seen = state.build;
    let box = document.getElementById("gazette-build-error");
    if (state.error) {
      if (!box) {
        box = document.createElement("pre");
        box.id = "gazette-build-error";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;" +
          "margin:0;padding:1em;background:#7a0000;color:#fff;font:14px/1.4 monospace;z-index:9999";
        document.body.append(box);
      }
      box.textContent = "Build failed; showing the last good site.\\n\\n" + state.error;
    } else if (box) {
      box.remove();
    }
  });
})();
"""


class Builder:
    """Runs builds one at a time and remembers the outcome of the last one."""

    def __init__(self, settings_file: str, output: str, site_url: str):
        self.settings_file = settings_file
        self.output = output
        self.site_url = site_url
        self.build = 0  # number of the last successful build
        self.error = ""  # output of the last build when it failed
        self.changed = threading.Condition()
        self.server = BuildServer()

    def run(self, changed=()) -> bool:
        """Build; ``changed`` are the paths that changed since the last build."""
        if any(path.endswith(".py") for path in changed):
            self.server.stop()  # code is imported once per process: the next build starts anew
        ok, log = sitebuild.build(
            self.settings_file,
            self.output,
            ingest=True,
            site_url=self.site_url,
            page_cache=True,
            server=self.server,
        )
        with self.changed:
            if ok:
                self.build += 1
                self.error = ""
            else:
                self.error = log[-6000:]
            self.changed.notify_all()
        print(log if not ok else f"gazette serve: build {self.build} done", file=sys.stderr)
        return ok


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
        if self.path == RELOAD_PATH + "client.js":
            return self._send(200, "text/javascript", _CLIENT.encode())
        path = self._local_path()
        if path is None:
            return None
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            if not self._inside(path):
                return self.send_error(HTTPStatus.NOT_FOUND)
            with open(path, "rb") as page:
                body = page.read()
            tag = f'<script src="{RELOAD_PATH}client.js" defer></script>'.encode()
            body = body.replace(b"</body>", tag + b"</body>", 1)
            return self._send(200, "text/html; charset=utf-8", body)
        return super().do_GET()

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
        last = None
        try:
            while True:
                with builder.changed:
                    state = (builder.build, builder.error)
                    if state == last:
                        builder.changed.wait(timeout=15)
                        state = (builder.build, builder.error)
                if state != last:
                    data = json.dumps({"build": state[0], "error": state[1]})
                    self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                last = state
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        if os.environ.get("GAZETTE_SERVE_LOG"):
            super().log_message(format, *args)


def watch_and_rebuild(builder: Builder, root: str, ledger: str) -> None:
    from watchfiles import watch

    paths = [os.path.join(root, p) for p in WATCHED if os.path.exists(os.path.join(root, p))]
    ledger_path = os.path.abspath(os.path.join(root, ledger))

    def relevant(change, path):
        path = os.path.abspath(path)
        return path != ledger_path and "__pycache__" not in path and not path.endswith("~")

    for changes in watch(*paths, watch_filter=relevant, debounce=300):
        builder.run([path for _, path in changes])


def serve(settings_file: str, bind: str, port: int) -> int:
    from .settings_file import load_config

    config = load_config(settings_file)
    output = config.output_path
    builder = Builder(settings_file, output, f"http://{bind}:{port}")
    os.makedirs(output, exist_ok=True)
    handler = partial(Handler, directory=output)
    Handler.builder = builder
    try:  # listen first: a busy port is said at once, not after a build
        server = Server((bind, port), handler)
    except OSError as err:
        print(f"gazette serve: cannot listen on {bind}:{port}: {err.strerror}", file=sys.stderr)
        return 1
    try:
        builder.run()
        threading.Thread(
            target=watch_and_rebuild, args=(builder, config.path, config.ledger), daemon=True
        ).start()
        print(f"gazette serve: http://{bind}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
        server.serve_forever()
    except KeyboardInterrupt:
        print("gazette serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
        builder.server.stop()
    return 0
