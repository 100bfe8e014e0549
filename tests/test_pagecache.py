"""The page cache (pagecache.py): a rebuild that reuses story pages is the same site.

Each test builds the small site with the cache on, changes something, builds
again with the cache into a new folder (as the dev server does, linking the
pages it can reuse from the previous folder), and compares byte for byte with
a build that has no cache at all.
"""

import hashlib
import json
import os
import re
import subprocess
import sys

from helpers import ingest, write_site
from site_builder import SITEURL, STORIES, story

NEW = story(
    "2021-08-10",
    "Sport",
    "Paralympic flame arrives in Tokyo",
    "TOKYO: The flame for the Paralympic Games arrived in the capital.",
    "Paralympic Games, Tokyo",
)


def tree(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(conf, out, *settings, previous=None):
    """Build; (reused, rendered) from the page cache's log line, None without the cache.
    Pelican's rich log handler, wide enough for one line: the plain one shows no INFO
    from plugins. ``previous``: the earlier output to reuse pages from (cache on)."""
    if previous:
        settings += (
            "GAZETTE_PAGE_CACHE=true",
            f"GAZETTE_PREVIOUS_OUTPUT={json.dumps(str(previous))}",
        )
    command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(out), "-v"]
    command += ["-e", *settings] if settings else []  # one -e: a second would replace it
    env = {**os.environ, "COLUMNS": "400"}
    done = subprocess.run(command, capture_output=True, text=True, cwd=conf.parent, env=env)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    found = re.search(r"page cache: (\d+) story pages reused, (\d+) rendered", log)
    return tuple(map(int, found.groups())) if found else None


def test_a_new_story_renders_only_the_pages_it_changes(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    first, again, cached = (tmp_path / name for name in ("first", "again", "cached"))
    assert build(conf, first, previous=first) == (0, len(STORIES))
    assert build(conf, again, previous=first) == (len(STORIES), 0)
    page = next(again.glob("2021/*/*/*/index.html"))
    assert page.stat().st_ino == (first / page.relative_to(again)).stat().st_ino  # linked

    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)
    ingest(conf, "2021-08-10T18:00:00+00:00")
    reused, rendered = build(conf, cached, previous=again)
    # The new story, its older neighbour (the newest story before it) and the one
    # that now lists it under "more on this topic" (Tokyo); the rest are reused.
    assert (reused, rendered) == (len(STORIES) - 2, 3)
    assert build(conf, tmp_path / "fresh") is None  # no cache: no writer of ours
    assert tree(cached) == tree(tmp_path / "fresh")


def test_a_changed_setting_renders_every_story_page_again(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    build(conf, tmp_path / "first", previous=tmp_path / "first")
    renamed = 'SITENAME="The Other Gazette"'
    cached = build(conf, tmp_path / "cached", renamed, previous=tmp_path / "first")
    assert cached == (0, len(STORIES))
    build(conf, tmp_path / "fresh", renamed)
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")


def test_pages_another_build_replaced_are_not_reused(tmp_path):
    """A build without the cache (make publish, other settings) into the same folder."""
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    build(conf, out, previous=out)
    build(conf, out, 'SITEURL="https://elsewhere.example"')  # no cache, same folder
    assert build(conf, tmp_path / "dev", previous=out) == (0, len(STORIES))
    build(conf, tmp_path / "fresh")
    assert tree(tmp_path / "dev") == tree(tmp_path / "fresh")
