"""The search index in a rebuild with the page cache (glue/search.py): the files whose
bytes did not change stay where they are, never written again, and the index is still
the one a build without the cache writes."""

import json

from test_pagecache import build, tree

from helpers import ingest, write_site
from pelican.plugins.gazette.commands import sitebuild
from site_builder import SITEURL, STORIES

DATA = "search/data"


def files(out):
    return {p.name: p.stat().st_ino for p in (out / DATA).iterdir()}


def test_an_unchanged_rebuild_leaves_every_index_file_in_place(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    ok, log = sitebuild.build(str(conf), str(out), page_cache=True)
    assert ok, log
    before = files(out)
    assert len(before) > 4  # manifest, chunks of terms, of words, of docs, filters
    ok, log = sitebuild.build(str(conf), str(out), page_cache=True)  # the dev server's
    assert ok, log
    assert files(out) == before  # the same inodes: none written again, none gone


def test_an_edit_rewrites_only_the_files_it_changes_and_equals_a_fresh_index(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    assert sitebuild.build(str(conf), str(out), page_cache=True)[0]
    before = files(out)
    edited = sorted((tmp_path / "seeds").rglob("*.txt"))[0]
    edited.write_text(edited.read_text() + "\nA zqsearchedit paragraph.\n")
    ingest(conf)
    ok, log = sitebuild.build(str(conf), str(out), page_cache=True)
    assert ok, log
    after = files(out)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert "manifest.json" in rewritten  # its key hashes every file
    assert rewritten != set(after)  # the edited story's docs chunk changed, not all the others
    build(conf, tmp_path / "fresh")
    assert tree(out / DATA) == tree(tmp_path / "fresh" / DATA)
    found = json.loads((out / DATA / "manifest.json").read_text())
    assert found["stories"] == len(STORIES)


def test_an_index_file_replaced_since_is_written_again(tmp_path):
    """A file another build (or hand) has changed is not taken for the one written last."""
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    assert sitebuild.build(str(conf), str(out), page_cache=True)[0]
    damaged = out / DATA / "d0.json"
    damaged.write_text("[]")
    assert sitebuild.build(str(conf), str(out), page_cache=True)[0]
    build(conf, tmp_path / "fresh")
    assert tree(out / DATA) == tree(tmp_path / "fresh" / DATA)


def test_a_new_story_leaves_the_other_stories_docs_chunks_in_place(tmp_path):
    """Ids run oldest first: the newest story takes the next one, in the last docs chunk."""
    from test_pagecache import NEW

    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    assert sitebuild.build(str(conf), str(out), page_cache=True)[0]
    before = {name: ino for name, ino in files(out).items() if name.startswith("d")}
    assert len(before) >= 2
    (tmp_path / "seeds" / "sport" / "flame.txt").write_text(NEW)
    ingest(conf, "2021-08-10T18:00:00+00:00")
    ok, log = sitebuild.build(str(conf), str(out), page_cache=True)
    assert ok, log
    after = files(out)
    last = f"d{len(before) - 1}.json"
    assert {name: after[name] for name in before if name != last} == {
        name: ino for name, ino in before.items() if name != last
    }
    build(conf, tmp_path / "fresh")
    assert tree(out / DATA) == tree(tmp_path / "fresh" / DATA)
