"""``gazette build --incremental`` (the daily publish): each build, after any kind of change,
is byte for byte the site a full build makes, and it really reuses the last build's pages."""

import shutil

from test_pagecache import NEW, tree

from helpers import REPO, gazette, write_site
from site_builder import SITEURL, STORIES, story


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
