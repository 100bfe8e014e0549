"""The dev server: serves the build on 127.0.0.1, rebuilds on change, keeps the last good site."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from helpers import REPO, write_site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""


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
    conf = write_site(tmp_path, files, THEME=str(theme))
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "pelican.plugins.gazette.commands.cli",
        "--settings",
        str(conf),
        "serve",
    ]
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
    assert f'href="{base}/' in page  # links point at this server, whatever its port
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


def test_a_template_error_is_shown_and_the_site_recovers(server):
    base, root = server
    template = root / "theme" / "templates" / "article.html"
    good = template.read_text()
    template.write_text(good.replace("{% endblock %}", "{% endblock", 1))
    wait_for(lambda: first_event(base + "/__gazette__/events")["error"])
    event = first_event(base + "/__gazette__/events")
    assert "TemplateSyntaxError" in event["error"] or "template" in event["error"].lower()
    status, page = get(base + "/")
    assert status == 200 and "First headline" in page  # the last good site
    template.write_text(good)
    wait_for(lambda: first_event(base + "/__gazette__/events")["error"] == "")
    assert get(base + "/")[0] == 200
