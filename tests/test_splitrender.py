"""Pages rendered by two processes (glue/splitrender.py) are the pages one process renders,
byte for byte, and a failure in the second process fails the build."""

import json
import os
import subprocess
import sys
import time

import pytest
from test_pagecache import build, ingest, tree

from helpers import write_site
from pelican.plugins.gazette.machinery import parallel
from site_builder import SITEURL, STORIES

pytestmark = pytest.mark.skipif(
    not parallel._forks(), reason="splitting the rendering needs fork (Linux)"
)


def test_two_processes_write_the_very_site_one_does(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    # two "cores" whatever this machine has, and a split from the first story on
    split = ("GAZETTE_SPLIT_RENDER_MIN_STORIES=1", "GAZETTE_PARSE_WORKERS=2")
    command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(tmp_path / "split")]
    env = {**os.environ, "COLUMNS": "400"}  # the rich log handler: INFO lines on one line
    done = subprocess.run([*command, "-v", "-e", *split], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "pages rendered in two processes" in done.stdout + done.stderr
    build(conf, tmp_path / "one", "GAZETTE_SPLIT_RENDER_MIN_STORIES=0")
    assert tree(tmp_path / "split") == tree(tmp_path / "one")
    pages = [p for p in (tmp_path / "split").rglob("index.html")]
    assert len(pages) > 2 * len(STORIES)  # stories, topics, sections, editions: all there


# Appended to a site's settings: each body let go (internals.drop_body) becomes a marker no
# page may show, and its story's source is listed.
MARK_BODIES_LET_GO = """
from pelican.plugins.gazette.glue import internals as _internals

def _mark(article):
    article._content = "<p>BODY-LET-GO</p>"
    with open({listed!r}, "a", encoding="utf-8") as listed:
        listed.write(article.source_path + "\\n")

_internals.drop_body = _mark
"""


def test_a_raw_storys_body_goes_once_its_page_is_written_and_no_page_shows_it(tmp_path):
    """In a build that builds once, split or not, each raw story's body is let go after its
    page is written: the feeds and the search index have read it, the list pages, editions
    and archives show summaries. A hand-written article (its summary may come from its
    body) keeps its body."""
    files = {
        **STORIES,
        "notes/by-hand.md": "Title: A note by hand\nDate: 2021-08-09\nCategory: World\n\n"
        "A paragraph written **by hand**, with no summary of its own.\n",
    }
    for split in ("GAZETTE_SPLIT_RENDER_MIN_STORIES=1", "GAZETTE_SPLIT_RENDER_MIN_STORIES=0"):
        root = tmp_path / split[-1]
        conf = write_site(root, files, SITEURL=SITEURL)
        listed = root / "let-go.txt"
        conf.write_text(conf.read_text() + MARK_BODIES_LET_GO.format(listed=str(listed)))
        ingest(conf)
        build(conf, root / "out", split, "GAZETTE_PARSE_WORKERS=2")
        report = json.loads((root / "out" / "build-report.json").read_text())
        published = {f["source"] for f in report["files"] if f["outcome"] == "published"}
        let_go = {os.path.relpath(line, root) for line in listed.read_text().split()}
        assert let_go == published and len(published) > 5
        shown = [
            p for p in (root / "out").rglob("*") if p.is_file() and b"BODY-LET-GO" in p.read_bytes()
        ]
        assert shown == []
        assert (
            "by hand"
            in (root / "out" / "2021" / "08" / "09" / "a-note-by-hand" / "index.html").read_text()
        )


def test_the_second_process_s_failure_fails_the_build(tmp_path, monkeypatch):
    """A pid that exits non-zero stands for a child whose rendering failed."""
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    parallel._sibling.append((pid, "rendering half of the pages"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - any logged error stops the test
        import logging

        class Fail(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.ERROR:
                    raise RuntimeError(record.getMessage())

        handler = Fail()
        logging.getLogger(parallel.__name__).addHandler(handler)
        try:
            parallel.wait_for_sibling()
        finally:
            logging.getLogger(parallel.__name__).removeHandler(handler)
    assert parallel._sibling == []


def test_pages_stay_in_one_process_in_a_build_that_started_background_work(tmp_path):
    """Two cores, one drawing (say) the social cards: no second page process, neither while
    it runs nor once it is done (both page processes would copy the build's memory), until
    the build has waited for it."""
    from pelican.plugins.gazette.glue.splitrender import SplitWriter

    writer = SplitWriter.__new__(SplitWriter)  # only its settings are read here
    writer.settings = {"GAZETTE_PARSE_WORKERS": 2}
    assert writer._cores_free()
    go_on = tmp_path / "go on"
    assert parallel.in_background(lambda: wait_for(go_on), "busy", workers=2)
    try:
        assert parallel.running_in_background() == 1
        assert not writer._cores_free()
        go_on.touch()
        while parallel.running_in_background():
            time.sleep(0.01)
        assert not writer._cores_free()  # done, but started by this build
    finally:
        go_on.touch()
        parallel.wait_for_background()
    assert parallel.started_in_background() == 0 and writer._cores_free()


def wait_for(path) -> None:
    while not path.exists():
        time.sleep(0.01)
