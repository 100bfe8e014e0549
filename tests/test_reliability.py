"""Nothing lost, nothing injected, byte-identical rebuilds, atomic publish."""

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import REPO, SAMPLE, gazette, gazette_command, ingest, pelican, write_site
from hostile import hostile_files
from site_builder import free_port, serve


def tree(folder):
    """Every file below ``folder`` with its bytes' hash."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_report_accounts_for_every_raw_file(tmp_path):
    files = {
        "a.txt": SAMPLE.read_bytes(),
        "b.txt": SAMPLE.read_bytes(),
        "world/c.txt": "Other\n\nText.\n",
        "empty.txt": "",
        "binary.txt": b"\x00",
    }
    conf = write_site(tmp_path, files)
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "gazette: 5 raw files: 2 published, 1 duplicates, 2 rejected" in done.stdout
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    assert (
        report["raw_files"] == 5 == report["published"] + report["duplicate"] + report["rejected"]
    )
    by_source = {f["source"]: f for f in report["files"]}
    assert sorted(by_source) == sorted(f"seeds/{name}" for name in files)
    assert by_source["seeds/b.txt"] == {
        "source": "seeds/b.txt",
        "outcome": "duplicate",
        "duplicate_of": "seeds/a.txt",
    }
    assert by_source["seeds/empty.txt"]["reason"] == "empty file"
    for item in report["files"]:
        if item["outcome"] == "published":
            path = item["url"].removeprefix("http://127.0.0.1:8000/")
            assert (tmp_path / "out" / path / "index.html").is_file()


def test_hostile_files_build_or_are_rejected_and_inject_nothing(tmp_path):
    files = hostile_files()
    conf = write_site(tmp_path, files)
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    outcomes = {f["source"].removeprefix("seeds/"): f for f in report["files"]}
    assert sorted(outcomes) == sorted(files)  # every file, whatever its name
    assert outcomes["2021-08-09-huge-headline.txt"]["outcome"] == "rejected"
    published = [f for f in report["files"] if f["outcome"] == "published"]
    assert len(published) == len(files) - 1
    for page in (tmp_path / "out").rglob("*.html"):
        assert_no_markup_from_content(page)
    for feed in (tmp_path / "out" / "feeds").rglob("*.xml"):
        assert "<script" not in feed.read_text().lower()


def assert_no_markup_from_content(page):
    html = page.read_text()
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        src = script.get("src", "")
        own = src.startswith("http://127.0.0.1:8000/theme/js/")
        assert own or script.get("type") == "application/ld+json", (page, script)
        if script.get("type") == "application/ld+json":
            json.loads(script.string)  # data, and still valid JSON
    assert not soup.find_all(["iframe", "style", "svg", "img"]), page
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), (page, tag)
            if name in ("href", "src", "action", "formaction", "data", "xlink:href"):
                assert "javascript:" not in str(value).lower(), (page, tag)
    assert "\u202e" not in html and "\u200b" not in html


def test_two_builds_at_different_times_are_byte_identical(tmp_path):
    files = {"a.txt": SAMPLE.read_bytes(), "world/b.txt": "Other\n\nLONDON: Text.\n"}
    files.update({k: v for k, v in hostile_files().items() if "script" in k or "cjk" in k})
    conf = write_site(tmp_path, files)
    ingest(conf)
    trees = []
    for run, epoch in (("one", "1600000000"), ("two", "1700000000")):
        for path in tmp_path.rglob("*"):
            os.utime(path, (int(epoch), int(epoch)))  # new mtimes must not matter
        env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
        command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(tmp_path / run)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        trees.append(tree(tmp_path / run))
    assert trees[0] == trees[1]
    assert "search/data/manifest.json" in trees[0]  # the search index too
    assert any(name.startswith("feeds/") for name in trees[0])
    assert "sitemap.xml" in trees[0]


def test_failed_publish_leaves_the_previous_site_untouched(tmp_path):
    conf = write_site(tmp_path, {"a.txt": SAMPLE.read_bytes()})
    ingest(conf)
    out = tmp_path / "out"
    first = gazette(conf, "build", "--strict", "--output", str(out))
    assert first.returncode == 0, first.stderr
    before = tree(out)

    (tmp_path / "seeds" / "empty.txt").write_text("")  # a rejected file: strict fails
    failed = gazette(conf, "build", "--strict", "--output", str(out))
    assert failed.returncode == 1
    assert "seeds/empty.txt (empty file)" in failed.stderr
    assert f"{out} is unchanged" in failed.stderr
    assert tree(out) == before

    (tmp_path / "seeds" / "empty.txt").unlink()  # a plugin error: a broken template
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "templates" / "article.html").write_text("{% block content %}{{ broken(")
    with open(conf, "a") as settings:
        settings.write(f"THEME = {str(theme)!r}\n")
    failed = gazette(conf, "build", "--strict", "--output", str(out))
    assert failed.returncode == 1 and tree(out) == before
    assert not (tmp_path / "out.building").exists()

    shutil.copy(REPO / "theme" / "templates" / "article.html", theme / "templates")
    (tmp_path / "seeds" / "b.txt").write_text("Second\n\nText.\n")
    ingest(conf)
    fixed = gazette(conf, "build", "--strict", "--output", str(out))
    assert fixed.returncode == 0, fixed.stderr
    assert re.search(r"2 raw files: 2 published", fixed.stderr)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_publish_waits_for_its_build_without_pelican_in_memory(tmp_path):
    """``gazette build`` reads the settings with all of Pelican imported, then gives its
    place to an interpreter that imports only the staging code (sitebuild.publish_lean):
    the same process, with none of Jinja's or numpy's compiled modules while it waits."""
    conf = write_site(tmp_path, {"a.txt": SAMPLE.read_bytes()})
    ingest(conf)
    command = gazette_command(conf, "build", "--output", str(tmp_path / "out"))
    log = tmp_path / "log"
    with open(log, "w") as err:
        build = subprocess.Popen(command, cwd=conf.parent, stderr=err, stdout=err)
    waiting = None  # its memory map, the last one seen before it ends
    while build.poll() is None:
        with contextlib.suppress(OSError):
            if b"freshboot" in Path(f"/proc/{build.pid}/cmdline").read_bytes():
                waiting = Path(f"/proc/{build.pid}/maps").read_text()
        time.sleep(0.01)
    assert build.returncode == 0, log.read_text()
    assert waiting is not None, "the process never gave its place"
    assert "markupsafe" not in waiting and "numpy" not in waiting
    assert (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("closed", ["<&-", ">&-", "2>&-"])
def test_a_publish_builds_with_a_standard_stream_closed(tmp_path, closed):
    """A daemon or a cron wrapper may start the command with stdin, stdout or stderr
    closed: it then builds in its own process, as before it gave its place away."""
    conf = write_site(tmp_path, {"a.txt": SAMPLE.read_bytes()})
    ingest(conf)
    command = gazette_command(conf, "build", "--output", str(tmp_path / "out"))
    line = " ".join(shlex.quote(part) for part in command) + " " + closed
    done = subprocess.run(["bash", "-c", line], cwd=conf.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "index.html").exists()


def test_hostile_stories_run_no_script_in_a_browser(browser, tmp_path):
    """Every hostile story page in Chromium: no dialog, no console error, no foreign script."""

    siteurl = f"http://127.0.0.1:{free_port()}"
    conf = write_site(tmp_path, hostile_files(), SITEURL=siteurl)
    ingest(conf)
    assert pelican(conf, tmp_path / "out").returncode == 0
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    urls = [f["url"] for f in report["files"] if f["outcome"] == "published"]
    problems = []
    with serve(tmp_path / "out", siteurl):
        page = browser.new_page()
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "request",
            lambda r: r.url.startswith(siteurl) or problems.append(f"request: {r.url}"),
        )
        for url in urls:
            page.goto(url)
            scripts = page.evaluate("[...document.scripts].map(s => s.src || s.type || 'inline')")
            foreign = [
                s
                for s in scripts
                if s != "application/ld+json" and not s.startswith(f"{siteurl}/theme/js/")
            ]
            if foreign:
                problems.append(f"{url}: scripts {foreign}")
        page.close()
    assert len(urls) == len(hostile_files()) - 1
    assert problems == []
