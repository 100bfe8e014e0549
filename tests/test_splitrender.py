"""Pages rendered by two processes (glue/splitrender.py) are the pages one process renders,
byte for byte, and a failure in the second process fails the build."""

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
