"""Pages rendered by two processes (glue/splitrender.py) are the pages one process renders,
byte for byte, and a failure in the second process fails the build."""

import os
import subprocess
import sys

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
