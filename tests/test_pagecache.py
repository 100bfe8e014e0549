"""The page cache (pagecache.py, and feeds in feedwriter.py): a rebuild that reuses
story pages and feeds is the same site.

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
from dataclasses import dataclass

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


@dataclass
class Counts:
    stories: tuple[int, int]  # reused, rendered
    lists: tuple[int, int]  # topics' and sections' pages: reused, rendered
    editions: tuple[int, int]  # a day's edition page: reused, rendered
    feeds: tuple[int, int]  # feeds (all of a feed's formats together): reused, rendered


def build(conf, out, *settings, previous=None):
    """Build; what the page cache reused and rendered (its log line), None without it.
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
    found = re.search(
        r"page cache: (\d+) story pages reused, (\d+) rendered; "
        r"(\d+) topics and sections reused, (\d+) rendered; (\d+) editions reused, (\d+) rendered",
        log,
    )
    feeds = re.search(r"feed cache: (\d+) feeds reused, (\d+) rendered", log)
    if not found:
        assert not feeds
        return None
    counts = tuple(map(int, found.groups()))
    return Counts(counts[:2], counts[2:4], counts[4:], tuple(map(int, feeds.groups())))


def test_a_new_story_renders_only_the_pages_it_changes(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    first, again, cached = (tmp_path / name for name in ("first", "again", "cached"))
    assert build(conf, first, previous=first).stories == (0, len(STORIES))
    again_counts = build(conf, again, previous=first)
    assert again_counts.stories == (len(STORIES), 0) and again_counts.lists[1] == 0
    assert again_counts.feeds[0] >= 8 and again_counts.feeds[1] == 0  # topics of 2+ stories
    assert again_counts.editions[0] >= 2 and again_counts.editions[1] == 0
    page = next(again.glob("2021/*/*/*/index.html"))
    assert page.stat().st_ino == (first / page.relative_to(again)).stat().st_ino  # linked

    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)
    ingest(conf, "2021-08-10T18:00:00+00:00")
    counts = build(conf, cached, previous=again)
    # The new story, its older neighbour (the newest story before it) and the one
    # that now lists it under "more on this topic" (Tokyo); the rest are reused.
    assert counts.stories == (len(STORIES) - 2, 3)
    # Lists: Sport and Tokyo (the new Paralympic Games has one story: no page yet); World,
    # Business and the other topics are as they were.
    assert counts.lists[1] == 2 and counts.lists[0] >= 4
    # Feeds: the site's, Sport's, the new story's topics' and the archives of its day and
    # of the day before (whose next-archive link is new); the others are linked.
    assert 5 <= counts.feeds[1] <= 7 and counts.feeds[0] >= 6
    assert counts.editions[1] >= 1  # the new story's day (and the day before, if it is new)
    assert build(conf, tmp_path / "fresh") is None  # no cache: no writer of ours
    assert tree(cached) == tree(tmp_path / "fresh")


def test_a_changed_setting_renders_every_story_page_again(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    build(conf, tmp_path / "first", previous=tmp_path / "first")
    renamed = 'SITENAME="The Other Gazette"'
    cached = build(conf, tmp_path / "cached", renamed, previous=tmp_path / "first")
    assert cached.stories == (0, len(STORIES)) and cached.lists[0] == 0
    build(conf, tmp_path / "fresh", renamed)
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")


def test_pages_another_build_replaced_are_not_reused(tmp_path):
    """A build without the cache (make publish, other settings) into the same folder."""
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    build(conf, out, previous=out)
    build(conf, out, 'SITEURL="https://elsewhere.example"')  # no cache, same folder
    assert build(conf, tmp_path / "dev", previous=out).stories == (0, len(STORIES))
    build(conf, tmp_path / "fresh")
    assert tree(tmp_path / "dev") == tree(tmp_path / "fresh")


def test_the_dev_server_s_build_writes_only_changes_and_merges_them(tmp_path):
    """sitebuild with the page cache (GAZETTE_CHANGES_ONLY): unchanged pages and feeds stay
    where they are, untouched; new ones arrive; a deleted story's files go; the merged site
    is the same as a fresh build."""
    from pelican.plugins.gazette.commands import sitebuild

    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = str(tmp_path / "out")
    ok, log = sitebuild.build(str(conf), out, page_cache=True)
    assert ok, log
    page = next((tmp_path / "out").glob("2021/*/*/*/index.html"))
    inode, before = page.stat().st_ino, tree(tmp_path / "out")

    ok, log = sitebuild.build(str(conf), out, page_cache=True)  # nothing changed
    assert ok, log
    assert page.stat().st_ino == inode  # left in place, not written again
    assert tree(tmp_path / "out") == before

    sorted((tmp_path / "seeds").rglob("*.txt"))[-1].unlink()  # its page and feeds must go
    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)
    ingest(conf, "2021-08-10T18:00:00+00:00")
    ok, log = sitebuild.build(str(conf), out, page_cache=True)
    assert ok, log
    assert not os.path.exists(sitebuild.staging_folder(out))
    assert not list((tmp_path / "out").glob(".gazette-kept-*"))
    build(conf, tmp_path / "fresh")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def test_a_day_s_section_lists_are_reused_when_nothing_they_show_changed(tmp_path):
    """The pages of a section's day list (the stories an edition leaves out of its top
    ones) are keyed like the edition: an unchanged rebuild leaves them as they were, and a
    new story renders again only its own day's lists."""
    top = "GAZETTE_EDITION_TOP_STORIES=0"  # every section of a day on its list
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    build(conf, out, top, previous=out)
    lists = {
        page: page.stat().st_mtime_ns
        for page in out.glob("2021/*/*/*/**/index.html")
        if '<p class="meta">' in (text := page.read_text()) and "strongest first</p>" in text
    }
    assert lists
    counts = build(conf, out, top, previous=out)
    assert counts.editions[1] == 0 and counts.stories[1] == 0
    assert {p: p.stat().st_mtime_ns for p in lists} == lists  # none written again
    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)  # a day of its own
    ingest(conf, "2021-08-10T18:00:00+00:00")
    build(conf, out, top, previous=out)
    assert {p: p.stat().st_mtime_ns for p in lists} == lists
    assert (out / "2021/08/10/index.html").exists()  # its edition, which it leads
    build(conf, tmp_path / "fresh", top)
    assert tree(out) == tree(tmp_path / "fresh")


def test_an_edit_renders_only_the_page_of_each_list_that_shows_the_story(tmp_path):
    """A topic's or section's pages are keyed one by one as well: an edited story renders
    its own page of each list (and the whole list only when its count or order moves)."""
    per_page = "DEFAULT_PAGINATION=2"
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    build(conf, out, per_page, previous=out)
    lists = {  # a term's pages: section/world/index.html, section/world/page/2/index.html
        page.relative_to(out): page.stat().st_mtime_ns
        for kind in ("section", "topic")
        for page in out.glob(f"{kind}/*/**/index.html")
    }
    edited = tmp_path / "seeds" / "world" / "kabul.txt"
    edited.write_text(edited.read_text().replace("A second paragraph.", "A longer second one."))
    ingest(conf)
    build(conf, out, per_page, previous=out)
    shows = {
        page for page in lists if "kabul-prepares-for-a-long-week/" in (out / page).read_text()
    }
    terms = {page.parts[:2] for page in shows}
    others = {page for page in lists if page.parts[:2] in terms and page not in shows}
    assert shows and others  # the story's lists have other pages
    assert all((out / page).stat().st_mtime_ns == lists[page] for page in others)  # kept
    assert all((out / page).stat().st_mtime_ns != lists[page] for page in shows)
    build(conf, tmp_path / "fresh", per_page)
    assert tree(out) == tree(tmp_path / "fresh")
