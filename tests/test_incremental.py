"""``gazette build --incremental`` (the daily publish): each build, after any kind of change,
is byte for byte the site a full build makes, and it really reuses the last build's pages."""

import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys

from test_pagecache import NEW, tree

from helpers import REPO, gazette, write_site
from pelican.plugins.gazette.machinery import warmstate
from site_builder import SITEURL, STORIES, story

sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402


def _publish(conf, out, *flags):
    done = gazette(conf, "build", "--ingest", "--output", str(out), *flags)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_each_incremental_publish_is_the_site_a_full_build_makes(tmp_path):
    site = tmp_path / "site"
    conf = write_site(site, STORIES, SITEURL=SITEURL)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)  # a template edit is one of the changes
    conf.write_text(conf.read_text().replace(repr(str(REPO / "theme")), repr(str(theme))))
    seeds, out = site / "seeds", tmp_path / "published"

    def same_as_full(step: str, changed: bool = True) -> None:
        _publish(conf, out, "--incremental")
        if changed:  # else the full build of the step before
            shutil.rmtree(tmp_path / "full", ignore_errors=True)
            _publish(conf, tmp_path / "full")  # no reuse: every page rendered
        assert tree(out) == tree(tmp_path / "full"), step

    def inodes() -> dict:  # of the story pages (year/month/day/slug/index.html)
        pages = [p for p in out.rglob("index.html") if len(p.relative_to(out).parts) == 5]
        assert len(pages) >= len(STORIES) - 1  # a duplicate has no page
        return {page: page.stat().st_ino for page in pages}

    same_as_full("first")  # nothing to reuse yet: everything built
    before = inodes()
    same_as_full("again", changed=False)
    assert inodes() == before  # every story page left in place, none written again

    (seeds / "sport" / "flame.txt").write_text(NEW)
    edited = sorted(seeds.rglob("*.txt"))[0]
    edited.write_text(edited.read_text().replace("second paragraph", "revised paragraph"))
    (seeds / "world" / "kabul.txt").unlink()
    spelled = story("2021-08-11", "World", "Talks go on", "DOHA: More talks.", "afghanistan")
    (seeds / "world" / "doha.txt").write_text(spelled)
    same_as_full("added, edited and deleted")

    article = theme / "templates" / "article.html"
    article.write_text(article.read_text().replace("</article>", "</article><!-- edited -->", 1))
    same_as_full("template")
    assert any("<!-- edited -->" in page.read_text() for page in out.rglob("*.html"))

    conf.write_text(conf.read_text() + "TAG_URL = 'subject/{slug}/'\n")
    conf.write_text(conf.read_text() + "TAG_SAVE_AS = 'subject/{slug}/index.html'\n")
    same_as_full("settings")

    shutil.rmtree(out)  # a fresh clone: no earlier output, the cache still there
    same_as_full("no output", changed=False)


def test_publishes_after_copies_renames_junk_and_retitles_are_full_builds_too(tmp_path):
    """The changes a publisher's folder sees besides adds and edits, a round of them per
    publish: each publish is byte for byte the site a full build makes."""
    site, out, full = tmp_path / "site", tmp_path / "published", tmp_path / "full"
    conf = write_site(site, {}, SITEURL=SITEURL)
    seeds = site / "seeds"
    seeds.mkdir()
    told = list(generate.stories(60, seed=23))
    for made in told[:50]:
        generate.write_story(str(seeds), None, made)
    files = sorted(seeds.glob("*.txt"))

    def retitle(path, words):
        lines = path.read_text().split("\n")
        path.write_text("\n".join([lines[0] + words, *lines[1:]]))

    rounds = {
        "first": lambda: None,
        "added, and a copy (a duplicate)": lambda: (
            [generate.write_story(str(seeds), None, made) for made in told[50:53]],
            shutil.copy(files[0], seeds / "copy-of-first.txt"),
        ),
        "retitled, touched, an editor's Topics line": lambda: (
            retitle(files[1], " after talks"),
            os.utime(files[2]),
            files[3].write_text("Topics: Harbourside Pharma, Lisbon\n" + files[3].read_text()),
        ),
        "renamed, the copy's original deleted, junk": lambda: (
            files[4].rename(seeds / "renamed.txt"),
            files[0].unlink(),
            (seeds / "junk.txt").write_bytes(bytes(range(256)) * 2),
        ),
        "the junk and the copy gone, the rename undone": lambda: (
            (seeds / "junk.txt").unlink(),
            (seeds / "copy-of-first.txt").unlink(),
            (seeds / "renamed.txt").rename(files[4]),
        ),
    }
    for step, change in rounds.items():
        change()
        _publish(conf, out, "--incremental")
        shutil.rmtree(full, ignore_errors=True)
        _publish(conf, full)
        assert tree(out) == tree(full), step


def _publish_logged(conf, out) -> str:
    """``gazette build --ingest --incremental`` as sitebuild makes it, with Pelican's INFO
    lines in its log (the rich handler, wide enough for one line each)."""
    from pelican.plugins.gazette.commands import sitebuild

    staging = sitebuild.staging_folder(str(out))
    settings = sitebuild.overrides(str(out), ingest=True, page_cache=True)
    command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", staging, "-v"]
    command += ["-e", *(f"{name}={json.dumps(v)}" for name, v in settings.items())]
    env = {**os.environ, "COLUMNS": "400"}
    done = subprocess.run(command, capture_output=True, text=True, cwd=conf.parent, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    sitebuild.merge(staging, str(out))
    return done.stdout + done.stderr


def test_a_fresh_publish_takes_the_last_one_s_warm_state_and_never_a_bad_one(tmp_path):
    site = tmp_path / "site"
    conf = write_site(site, STORIES, SITEURL=SITEURL)
    out, full = tmp_path / "published", tmp_path / "full"
    state = site / ".cache" / "gazette" / "warm.pickle"
    journal = state.with_name(state.name + warmstate.JOURNAL)

    def publish(step: str, said: str) -> str:
        log = _publish_logged(conf, out)
        assert said in log, step
        shutil.rmtree(full, ignore_errors=True)
        _publish(conf, full)  # a full build, no reuse
        assert tree(out) == tree(full), step
        return log

    first = publish("first", "")
    assert "resumed the warm state" not in first and state.exists()
    stale = state.read_bytes()
    again = publish("again", "resumed the warm state")
    assert re.search(rf"{len(STORIES)} raw files as the last build read them", again)
    (site / "seeds" / "sport" / "flame.txt").write_text(NEW)
    publish("added", f"{len(STORIES)} raw files as the last build read them")
    # a few changes: only they are written, into the journal of the state first written
    assert state.read_bytes() == stale and journal.exists()
    journal_of_stale = journal.read_bytes()
    publish("the journal read", f"{len(STORIES) + 1} raw files as the last build read them")
    journal.write_bytes(journal_of_stale[: len(journal_of_stale) // 2])
    cut = publish("journal cut short", "ignoring the unreadable journal")
    # the state as last written whole is used: the added story is read again
    assert f"{len(STORIES)} raw files as the last build read them" in cut
    edited = sorted((site / "seeds").rglob("*.txt"))[0]
    edited.write_text(edited.read_text().replace("second paragraph", "revised paragraph"))
    publish("edited", f"{len(STORIES)} raw files as the last build read them")
    # more changes than a journal takes (an add and an edit of 7 stories): written whole
    assert state.read_bytes() != stale and not journal.exists()
    journal.write_bytes(journal_of_stale)
    publish("a journal of another state", "ignoring the unreadable journal")
    state.write_bytes(stale[: len(stale) // 2])
    publish("cut short", "ignoring the unreadable warm state")
    state.write_bytes(pickle.dumps((warmstate.FORMAT, "another key")) + stale)
    publish("another build's", "is another build's: not used")
    marker = tmp_path / "ran"
    head = pickle.load(io.BytesIO(stale))  # the right key, then a call of os.system
    state.write_bytes(pickle.dumps(head) + _call(os.system, f"touch {marker}"))
    publish("not a state", "is not in a warm state")
    assert not marker.exists()


def test_a_publish_takes_each_unchanged_story_s_search_entry_from_the_last(tmp_path):
    """A publish indexes each story as the last publish did unless the story changed (a
    new one, an edited one, one whose topics moved); the index is a full build's, byte
    for byte."""
    site, out, full = tmp_path / "site", tmp_path / "published", tmp_path / "full"
    conf = write_site(site, {}, SITEURL=SITEURL)
    (site / "seeds").mkdir()
    told = list(generate.stories(42, seed=11))
    for made in told[:-2]:
        generate.write_story(str(site / "seeds"), None, made)
    for step, count in (("first", len(told) - 2), ("two more and an edit", len(told))):
        log = _publish_logged(conf, out)
        taken = int(re.search(rf"search: (\d+) of {count} entries as the last publish", log)[1])
        # none at first; then all but the new and the edited (and any whose topics moved)
        assert taken == 0 if step == "first" else count // 2 < taken <= count - 3, step
        shutil.rmtree(full, ignore_errors=True)
        _publish(conf, full)  # each entry made
        assert tree(out / "search") == tree(full / "search"), step
        assert tree(out) == tree(full), step
        for made in told[-2:]:
            generate.write_story(str(site / "seeds"), None, made)
        edited = sorted((site / "seeds").glob("*.txt"))[0]
        text = edited.read_text()
        cut = text.rindex(" the ")  # in its last paragraph: the body alone changes
        edited.write_text(text[:cut] + " a " + text[cut + 5 :])


def _call(function, argument) -> bytes:
    class Call:
        def __reduce__(self):
            return function, (argument,)

    return pickle.dumps(Call())
