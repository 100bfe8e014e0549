"""The page cache (pagecache.py): a rebuild that reuses story pages is the same site.

Each test builds the small site with the cache on, changes something, builds
again with the cache, and compares byte for byte with a build that has no
cache at all.
"""

import hashlib
import os
import re
import subprocess
import sys

from helpers import ingest, write_site
from site_builder import SITEURL, STORIES, story

CACHE = "GAZETTE_PAGE_CACHE=true"
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


def build(conf, out, *settings):
    """Build; (reused, rendered) from the page cache's log line, None without it. Pelican's
    rich log handler, wide enough for one line: the plain one shows no INFO from plugins."""
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
    assert build(conf, tmp_path / "first", CACHE) == (0, len(STORIES))
    assert build(conf, tmp_path / "again", CACHE) == (len(STORIES), 0)

    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)
    ingest(conf, "2021-08-10T18:00:00+00:00")
    reused, rendered = build(conf, tmp_path / "cached", CACHE)
    assert reused + rendered == len(STORIES) + 1
    # The new story, its older neighbour (the newest story before it) and the one
    # that now lists it under "more on this topic" (Tokyo); the rest are reused.
    assert rendered == 3
    assert build(conf, tmp_path / "fresh") is None  # no cache: no writer of ours
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")


def test_a_changed_setting_renders_every_story_page_again(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    build(conf, tmp_path / "first", CACHE)
    renamed = 'SITENAME="The Other Gazette"'
    assert build(conf, tmp_path / "cached", CACHE, renamed) == (0, len(STORIES))
    build(conf, tmp_path / "fresh", renamed)
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")
    # Only the last build's pages are kept.
    assert len(list((tmp_path / ".cache" / "gazette" / "pages").iterdir())) == len(STORIES)
