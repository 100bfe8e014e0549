"""The dev server: serves the build on 127.0.0.1, rebuilds on change, keeps the last good site."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpers import REPO, gazette_command, write_site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def wait_for(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the dev server")


@pytest.fixture
def server(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    files = {"2021-08-09-a.txt": "First headline\n\nKABUL: Some text.\n"}
    conf = write_site(tmp_path, files, THEME=str(theme), RELATIVE_URLS=True)  # as pelicanconf
    port = free_port()
    command = gazette_command(conf, "serve")
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return get(base + "/")[0] == 200
        except OSError:
            return False

    try:
        wait_for(up)
        yield base, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serves_rebuilds_and_recovers(server):
    base, root = server
    status, page = get(base + "/")
    assert status == 200 and "First headline" in page
    assert "/__gazette__/client.js" in page  # the live-reload client is added
    # Links are relative (pelicanconf's RELATIVE_URLS): they lead to this server, any port.
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]
    assert not stylesheet.startswith(("http:", "/")), stylesheet
    assert get(urllib.parse.urljoin(base + "/", stylesheet))[0] == 200
    assert get(base + "/__gazette__/client.js")[0] == 200

    (root / "seeds" / "2021-08-09-b.txt").write_text("Second headline\n\nLONDON: More.\n")
    wait_for(lambda: "Second headline" in get(base + "/")[1])

    # A damaged ledger fails the build: the last good site stays up...
    ledger = root / "seeds" / "ledger.jsonl"
    good = ledger.read_text()
    ledger.write_text("damaged\n")
    third = root / "seeds" / "2021-08-09-c.txt"
    third.write_text("Third headline\n\nPARIS: Text.\n")
    time.sleep(4)
    status, page = get(base + "/")
    assert status == 200 and "Second headline" in page and "Third headline" not in page
    # ...and the next change after the fix builds again.
    ledger.write_text(good)
    third.write_text("Third headline\n\nPARIS: Text, fixed.\n")
    wait_for(lambda: "Third headline" in get(base + "/")[1])


def test_never_serves_files_outside_the_output(server):
    base, root = server
    (root / "secret.txt").write_text("do not serve")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/../conf.py"):
        status, body = get(base + path)
        assert "do not serve" not in body and "PLUGIN_PATHS" not in body, path


def first_event(url: str) -> dict:
    """The first build event the live-reload stream sends."""
    with urllib.request.urlopen(url, timeout=20) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                return json.loads(line[6:])
    raise AssertionError("no event")


def test_a_template_error_is_shown_first_and_the_site_recovers(server, browser):
    base, root = server
    tab = browser.new_page()
    tab.goto(base + "/")
    # A file that is not UTF-8 logs a warning in the same build, before the error.
    (root / "seeds" / "2021-08-09-cafe.txt").write_bytes(
        "Caf\xe9 opens\n\nParis.\n".encode("cp1252")
    )
    template = root / "theme" / "templates" / "article.html"
    good = template.read_text()
    broken = good.replace("{% endblock %}", "{% endblock", 1)
    line = 1 + broken[: broken.index("{% endblock")].count("\n")
    template.write_text(broken)
    wait_for(lambda: first_event(base + "/__gazette__/events")["error"])
    error = first_event(base + "/__gazette__/events")["error"]
    # The error's file, line and message come first; the warning after.
    first = error.splitlines()[0]
    assert re.fullmatch(
        r"theme/templates/article\.html, line (\d+): TemplateSyntaxError: .+", first
    ), error[:500]
    assert abs(int(re.search(r"line (\d+)", first)[1]) - line) <= 2, (first, line)
    assert error.index("not valid UTF-8") > error.index(first)
    # The open page says the same, first.
    overlay = tab.locator("#gazette-build-error")
    overlay.wait_for()
    assert overlay.inner_text().startswith(f"Build failed: {first}")
    tab.close()
    status, page = get(base + "/")
    assert status == 200 and "First headline" in page  # the last good site
    template.write_text(good)
    wait_for(lambda: first_event(base + "/__gazette__/events")["error"] == "")
    assert get(base + "/")[0] == 200


def test_a_logged_error_is_shown_first(server):
    base, root = server
    (root / "seeds" / "ledger.jsonl").write_text("damaged\n")
    (root / "seeds" / "2021-08-09-d.txt").write_text("Fourth headline\n\nROME: Text.\n")
    wait_for(lambda: first_event(base + "/__gazette__/events")["error"])
    first = first_event(base + "/__gazette__/events")["error"].splitlines()[0]
    assert first.startswith("Error: gazette: ") and "ledger" in first, first


def test_the_first_build_says_how_far_it_is_on_the_terminal(tmp_path):
    files = {f"2021-08-0{n}-{n}.txt": f"Headline {n}\n\nKABUL: Text {n}.\n" for n in range(1, 4)}
    conf = write_site(tmp_path, files)
    port = free_port()
    command = [*gazette_command(conf, "serve"), "--port", str(port)]
    said_so = tmp_path / "stderr.txt"
    with said_so.open("w") as stderr:
        process = subprocess.Popen(command, cwd=tmp_path, stderr=stderr, text=True)
    try:
        wait_for(lambda: _status(f"http://127.0.0.1:{port}/") == 200)
        # the page is served as soon as it is in place; "done" is said just after
        wait_for(lambda: "build 1 done" in said_so.read_text())
    finally:
        process.terminate()
        process.wait(timeout=30)
    err = said_so.read_text()
    lines = [line for line in err.splitlines() if line.startswith("gazette serve: ")]
    phases = [
        r"starting the build \(\d+\.\d s\)",
        r"reading raw files \(\d+\.\d s\)",
        r"parsing raw files: 0 of 3 \(\d+\.\d s\)",
        r"parsing raw files: 3 of 3 \(\d+\.\d s\)",
        r"making the stories \(\d+\.\d s\)",
        r"writing pages \(\d+\.\d s\)",
        r"build 1 done in \d+\.\d s",
    ]
    said = iter(line.removeprefix("gazette serve: ") for line in lines)
    for phase in phases:  # in this order, others between them allowed
        assert any(re.fullmatch(phase, line) for line in said), (phase, lines)


def _status(url: str) -> int:
    try:
        return get(url)[0]
    except OSError:
        return 0


# The dev server's handler alone, in this process: what it serves and how many at once.


class _Quiet:
    """A stand-in for the Builder: the live-reload stream waits on it."""

    def __init__(self, build: int = 1):
        import threading

        self.changed = threading.Condition()
        self.build, self.error, self.progress = build, "", ""
        self.previews, self.previewed = {}, 0

    def set(self, **state):
        with self.changed:
            for name, value in state.items():
                setattr(self, name, value)
            self.changed.notify_all()


@pytest.fixture
def site_server(tmp_path):
    import threading
    from functools import partial

    from pelican.plugins.gazette.commands import devserver

    site = tmp_path / "out"
    (site / "story").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>front</body></html>")
    (site / "story" / "index.html").write_text("<html><body>story</body></html>")
    (tmp_path / "secret.txt").write_text("do not serve")
    devserver.Handler.builder = _Quiet()
    server = devserver.Server(("127.0.0.1", 0), partial(devserver.Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", site, tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_open_during_the_first_build_shows_its_progress_then_the_site(site_server, browser):
    base, site, _ = site_server
    from pelican.plugins.gazette.commands import devserver

    builder = devserver.Handler.builder = _Quiet(build=0)
    (site / "index.html").unlink()  # no site yet
    status, page = get(base + "/")
    assert status == 503 and "Building the site" in page and "client.js" in page
    assert get(base + "/story/")[0] == 200  # a page there already is served
    tab = browser.new_page()
    tab.goto(base + "/")
    builder.set(progress="parsing raw files: 1,000 of 2,125 (3.2 s)")
    bar = tab.locator("#gazette-build-progress")
    bar.wait_for()
    from playwright.sync_api import expect  # here: the browser fixture skips without it

    expect(bar).to_contain_text("1,000")  # a locator's poll: no eval under a CSP
    assert bar.inner_text() == "Building: parsing raw files: 1,000 of 2,125 (3.2 s)"
    assert bar.get_attribute("role") == "status"
    (site / "index.html").write_text("<html><body>front</body></html>")
    with tab.expect_navigation():
        builder.set(build=1, progress="")
    tab.wait_for_load_state()
    assert tab.inner_text("body").startswith("front")
    assert tab.locator("#gazette-build-progress").count() == 0
    tab.close()


def test_a_saved_story_s_page_is_served_and_reloaded_ahead_of_its_build(site_server, browser):
    base, site, _ = site_server
    from pelican.plugins.gazette.commands import devserver

    builder = devserver.Handler.builder = _Quiet(build=1)
    tab = browser.new_page()
    tab.goto(base + "/story/")
    builder.set(progress="writing pages (0.1 s)")
    tab.locator("#gazette-build-progress").wait_for()  # its live-reload stream is open
    with tab.expect_navigation():  # the open page is the saved story's: it reloads
        builder.set(previews={"/story/index.html": b"<html><body>saved</body></html>"}, previewed=1)
    tab.wait_for_load_state()
    assert tab.inner_text("body").startswith("saved")
    status, page = get(base + "/story/index.html")
    assert status == 200 and "saved" in page and "client.js" in page
    new = {"/new/index.html": b"<html><body>new story</body></html>"}
    builder.set(previews={**builder.previews, **new})
    assert get(base + "/new/") == (200, get(base + "/new/index.html")[1])
    assert "new story" in get(base + "/new/")[1]
    assert get(base + "/")[1].startswith("<html><body>front")  # other pages: the site's
    with tab.expect_navigation():  # its build failed: the last good site's page again
        builder.set(previews={}, error="Error: a bad template")
    tab.wait_for_load_state()
    assert tab.inner_text("body").startswith("story")
    assert get(base + "/new/")[0] == 404
    tab.close()


class _Previews:
    """A stand-in for the BuildServer: the stories it is asked to preview."""

    def __init__(self):
        self.asked = []

    def preview(self, paths):
        self.asked.append([os.path.basename(path) for path in paths])
        return {}, ""


def test_only_saved_stories_are_previewed_and_an_editor_s_own_files_are_not_changes(tmp_path):
    from pelican.plugins.gazette.commands import devserver

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    builder = devserver.Builder("conf.py", str(tmp_path / "out"), "http://x", [str(seeds)])
    builder.server = previews = _Previews()
    story, template = seeds / "story.txt", tmp_path / "theme.html"
    story.write_text("Saved\n\nText.\n")
    template.write_text("<p></p>")
    builder.preview([str(story)])
    assert previews.asked == []  # no good build yet
    builder.build = 1
    saved = [str(story), str(seeds / "4913"), str(seeds / "story.txt___jb_tmp___")]  # gone
    (seeds / ".#story.txt").write_text("")  # emacs's lock, there while it edits
    builder.preview([*saved, str(seeds / ".#story.txt")])
    assert previews.asked == [["story.txt"]]
    builder.preview([str(story), str(template)])  # a template: the whole site changes
    builder.preview([str(story), str(seeds / "deleted.txt")])  # a story deleted
    many = [seeds / f"{n}.txt" for n in range(devserver.PREVIEW_MAX + 1)]  # a checkout
    for path in many:
        path.write_text("Saved\n\nText.\n")
    builder.preview(list(map(str, many)))
    assert previews.asked == [["story.txt"]]
    builder.preview(list(map(str, many[1:])))
    assert len(previews.asked) == 2 and len(previews.asked[1]) == devserver.PREVIEW_MAX


def test_changes_are_watched_from_the_start(tmp_path):
    from pelican.plugins.gazette.commands import devserver

    (tmp_path / "seeds").mkdir()
    batches = devserver.watch(str(tmp_path), "seeds/ledger.jsonl")
    time.sleep(0.5)  # the watcher is set up (a build would be running now)
    (tmp_path / "seeds" / "ledger.jsonl").write_text("{}\n")  # the build's own: not a change
    for editors in (".saved.txt.swp", ".#saved.txt", "saved.txt~"):  # vim's, emacs's
        (tmp_path / "seeds" / editors).write_text("")
    (tmp_path / "seeds" / "saved.txt").write_text("Saved\n\nWhile a build ran.\n")
    changed = batches.get(timeout=20)
    assert [os.path.basename(path) for path in changed] == ["saved.txt"]


def raw_request(base: str, line: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(line + b"\r\nHost: x\r\n\r\n")
        return connection.recv(200)


def test_links_out_of_the_output_are_not_followed(site_server):
    base, site, root = site_server
    (site / "leak.txt").symlink_to(root / "secret.txt")
    (site / "etc").symlink_to("/etc")
    (site / "page.html").symlink_to(root / "secret.txt")
    for path in ("/leak.txt", "/etc/passwd", "/etc/", "/page.html"):
        status, body = get(base + path)
        assert status == 404 and "do not serve" not in body and "root:" not in body, path
    (site / "inside.txt").symlink_to(site / "index.html")  # a link within the site is fine
    assert get(base + "/inside.txt")[0] == 200


def test_a_malformed_request_gets_a_400(site_server):
    base = site_server[0]
    assert raw_request(base, b"GET /%00 HTTP/1.1").startswith(b"HTTP/1.0 400")
    assert raw_request(base, b"GET /a%00b.html HTTP/1.1").startswith(b"HTTP/1.0 400")
    assert get(base + "/")[0] == 200  # and it goes on serving


def test_200_concurrent_requests_are_all_answered_with_live_reload_clients(site_server):
    from concurrent.futures import ThreadPoolExecutor

    base = site_server[0]
    streams = [urllib.request.urlopen(base + "/__gazette__/events", timeout=10) for _ in range(20)]
    try:
        host, port = base.removeprefix("http://").split(":")

        def connect(_):  # all connections opened at once, before any is answered
            # the browser's patience, about: a connection the backlog dropped retries later
            return socket.create_connection((host, int(port)), timeout=3)

        with ThreadPoolExecutor(200) as pool:
            connections = list(pool.map(connect, range(200)))

            def ask(connection):
                with connection:
                    connection.sendall(b"GET /story/ HTTP/1.1\r\nHost: x\r\n\r\n")
                    answer = b""
                    while b"story" not in answer:
                        chunk = connection.recv(65536)
                        if not chunk:
                            break
                        answer += chunk
                    return answer.startswith(b"HTTP/1.0 200") and b"story" in answer

            started = time.monotonic()
            answered = list(pool.map(ask, connections))
            took = time.monotonic() - started
        assert sum(answered) == 200
        assert took < 3, took
    finally:
        for stream in streams:
            stream.close()


def test_a_busy_port_is_one_line_and_a_failure(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "pelican.plugins.gazette.commands.cli"]
        command += ["--settings", str(conf), "serve", "--port", str(port)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"gazette serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


def test_ctrl_c_is_one_line(tmp_path):
    import signal

    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"})
    command = [sys.executable, "-m", "pelican.plugins.gazette.commands.cli"]
    command += ["--settings", str(conf), "serve", "--port", str(free_port())]
    process = subprocess.Popen(
        command, cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        time.sleep(1.5)  # in its first build, or serving
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does: its build process too
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Traceback" not in err, err
    assert process.returncode in (0, 130)
    assert err.strip().splitlines()[-1] in ("gazette serve: stopped", "gazette: interrupted")


def test_the_first_merge_lists_the_site_it_makes_for_the_next(tmp_path):
    from pelican.plugins.gazette.commands import sitebuild

    out, changes = tmp_path / "out", tmp_path / "out.building"
    for name in ("a/b.html", "c.html"):
        (changes / name).parent.mkdir(parents=True, exist_ok=True)
        (changes / name).write_text(name)
    files = sitebuild.merge(str(changes), str(out), sitebuild.NO_SITE)
    assert files == {os.path.join("a", "b.html"), "c.html"}  # no walk of the site next time
    changes.mkdir()
    (changes / "c.html").write_text("new")  # a/b.html neither written nor kept: it goes
    assert sitebuild.merge(str(changes), str(out), files) == {"c.html"}
    assert sorted(os.listdir(out)) == ["c.html"] and (out / "c.html").read_text() == "new"
