"""The dev server's first look at a saved story (glue/preview.py, ingest/catalog.py
``alone``): its page, made on its own in the warm build process, is the page the
rebuild that follows writes, but for what needs the whole site; and nothing that is
not a story's own page (a duplicate's place, a rejected file, a template) is shown."""

import re

import pytest
from test_buildserver import Warm
from test_pagecache import NEW

from helpers import write_site
from site_builder import SITEURL, STORIES


def part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.DOTALL)
    assert found, pattern
    return found[0]


# What a story's page shows of the story itself (the rest is the site's: its edition,
# its neighbours and related stories, its card, which of its topics have a page).
OWN = (
    r"<title>.*?</title>",
    r'<link rel="stylesheet"[^>]*>',  # relative links from the page's own folder, or not
    r'<link rel="canonical"[^>]*>',
    r'<meta name="description"[^>]*>',
    r'<article class="story">.*?<div class="story-body">.*?</div>',
)
TOPICS = r'<ul class="chips topics">.*?</ul>'
SITE_WIDE = (  # what the whole site decides: its neighbours, its edition, related stories
    r'<nav class="pager".*?</nav>',
    r'<p class="meta">[^<]*words? · in the <a[^>]*>edition of[^<]*</a>',
    r'<h2 id="more-on-topic">.*?</ul>',
)


def same_story(preview: str, built: str) -> None:
    for pattern in OWN:
        assert part(preview, pattern) == part(built, pattern), pattern
    words = [re.sub(r"<[^>]+>", " ", part(html, TOPICS)).split() for html in (preview, built)]
    assert words[0] == words[1]


@pytest.mark.parametrize("relative", [False, True])
def test_a_saved_story_s_page_is_the_one_its_build_writes(tmp_path, relative):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL, RELATIVE_URLS=relative)
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    warm = Warm(conf, out)
    try:
        new = seeds / "sport" / "flame.txt"
        new.write_text(NEW)
        assert warm.server.preview([str(new)]) == ({}, "")  # no build yet: nothing to show
        new.unlink()
        assert warm.build()[0]

        new.write_text(NEW)  # a new story: not in the ledger yet
        pages, error = warm.server.preview([str(new)])
        assert error == "" and len(pages) == 1
        ((name, preview),) = pages.items()
        assert not (out / name).exists()
        assert warm.build()[0]
        same_story(preview, (out / name).read_text())

        edited = seeds / "world" / "kabul.txt"  # a story the ledger knows, revised
        edited.write_text(edited.read_text().replace("second paragraph", "revised paragraph"))
        pages, _ = warm.server.preview([str(edited)])
        ((name, preview),) = pages.items()
        assert "revised paragraph" in preview
        last = (out / name).read_text()
        assert "revised paragraph" not in last
        for shown in SITE_WIDE:  # the last build's, for a story it had
            assert part(preview, shown) == part(last, shown), shown
        assert warm.build()[0]
        same_story(preview, (out / name).read_text())
    finally:
        warm.server.stop()


def test_only_a_story_s_own_page_is_shown_ahead_of_its_build(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    seeds = tmp_path / "seeds"
    warm = Warm(conf, tmp_path / "out")
    try:
        assert warm.build()[0]
        kabul = seeds / "world" / "kabul.txt"
        copy = seeds / "world" / "kabul-again.txt"  # its place is the other file's
        copy.write_text(kabul.read_text())
        empty = seeds / "world" / "empty.txt"
        empty.write_text("\n")
        template = tmp_path / "theme.html"
        template.write_text("<p>{{ SITENAME }}</p>")
        outside = tmp_path / "content" / "pages" / "about.html"
        outside.write_text("<html><head><title>About</title></head><body>Us.</body></html>")
        for path in (copy, empty, template, outside):
            assert warm.server.preview([str(path)]) == ({}, ""), path
        ignored = seeds / "world" / ".#kabul.txt"  # an editor's lock file: IGNORE_FILES
        ignored.write_text(kabul.read_text().replace("Kabul prepares", "Kabul waits"))
        assert warm.server.preview([str(ignored)]) == ({}, "")
        pages, _ = warm.server.preview([str(kabul), str(empty)])
        ((name, page),) = pages.items()  # the story among them
        assert "Kabul prepares for a long week" in page and (tmp_path / "out" / name).exists()
    finally:
        warm.server.stop()
