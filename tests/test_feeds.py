"""Feeds: Atom, RSS, JSON Feed and RFC 5005 archives, from Python data and from a real build."""

import dataclasses
import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

import feedlint
from helpers import ingest, pelican, write_site
from pelican.plugins.gazette.machinery import parallel
from pelican.plugins.gazette.outputs import feeds, jsonfeed
from pelican.plugins.gazette.outputs.feeds import ATOM, RSS

SITE = feeds.Site(
    url="https://gazette.example",
    name="The Gazette Digest",
    subtitle="The day's news, briefly",
    language="en",
    author="Gazette",
    icon="https://gazette.example/theme/images/feed-icon.png",
    edition_url="{date:%Y}/{date:%m}/{date:%d}/",
    xsl="theme/xsl/feed.xsl",
    css="theme/css/feed-xml.css",
)
UTC_TZ = ZoneInfo("UTC")


def term(kind, name):
    slug = name.lower().replace(" ", "-")
    base = f"{SITE.url}/{kind}/"
    return feeds.Term(name, slug, f"{base}{slug}/", base)


def story(n, day=9, section="World", topics=("Taliban",), **fields):
    values = dict(
        id=f"tag:gazette.example,2021-08-10:story/{n:04d}",
        title=f"Story {n}",
        url=f"{SITE.url}/2021/08/{day:02d}/story-{n}/",
        published=datetime(2021, 8, day, tzinfo=UTC),
        summary=f"Lede of story {n}.",
        content_html=f'<p><span class="dateline">KABUL</span> — Body of story {n}.</p>',
        section=term("section", section),
        topics=tuple(term("topic", t) for t in topics),
        byline="By A. Reporter",
        dateline="KABUL",
    )
    return feeds.item(**(values | fields))


STORIES = [
    story(1, 9),
    story(2, 9, topics=("Taliban", "Kabul")),
    story(3, 10, "Business", ("Wall Street",)),
    story(4, 11, "Business", ("Wall Street", "Kabul")),
]


def build(stories=STORIES, limit=50):
    return feeds.build_all(SITE, stories, limit, UTC_TZ)


def parsed(data):
    result = feedparser.parse(data)
    assert not result.bozo, result.get("bozo_exception")
    return result


def test_every_feed_parses_lints_clean_and_carries_each_story():
    files = build()
    assert set(files) >= {
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/all.json",
        "feeds/section/world.atom.xml",
        "feeds/section/business.rss.xml",
        "feeds/topic/wall-street.json",
        "feeds/topic/kabul.atom.xml",
        "feeds/archive/2021-08-09.atom.xml",
    }
    for path, data in files.items():
        assert feedlint.lint(path, data, f"{SITE.url}/{path}") == [], path
        if path.endswith(".xml"):
            parsed(data)
    for path in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        entries = {e.id: e for e in parsed(files[path]).entries}
        for each in STORIES:
            entry = entries[each.id]
            assert entry.title == each.title and entry.link == each.url
            assert entry.published_parsed[:6] == each.published.utctimetuple()[:6]
            tags = [t.term for t in entry.tags]
            assert tags == [each.section.name] + [t.name for t in each.topics]
            assert entry.content[0].value == each.content_html
    atom_entries = {e.id: e for e in parsed(files["feeds/all.atom.xml"]).entries}
    for each in STORIES:
        # Stories of one instant are a second or so apart (feeds.distinct_updated).
        shown = datetime(*atom_entries[each.id].updated_parsed[:6], tzinfo=UTC)
        assert each.updated <= shown < each.updated + timedelta(seconds=len(STORIES))
        assert atom_entries[each.id].author == "By A. Reporter"


def test_section_and_topic_feeds_hold_only_their_stories():
    files = build()
    ids = {e.id for e in parsed(files["feeds/topic/kabul.atom.xml"]).entries}
    assert ids == {STORIES[1].id, STORIES[3].id}
    business = parsed(files["feeds/section/business.rss.xml"])
    assert [e.id for e in business.entries] == [STORIES[3].id, STORIES[2].id]
    assert business.feed.link == f"{SITE.url}/section/business/"


def test_feed_metadata_and_updated_is_the_newest_entrys():
    feed = parsed(build()["feeds/all.atom.xml"]).feed
    assert feed.title == SITE.name and feed.subtitle == SITE.subtitle
    assert feed.language == "en" and feed.generator == "Gazette" and feed.icon == SITE.icon
    assert feed.link == f"{SITE.url}/"
    assert feed.updated_parsed[:6] == max(s.updated for s in STORIES).utctimetuple()[:6]


def test_item_limit_keeps_the_newest():
    files = build(limit=2)
    entries = parsed(files["feeds/all.atom.xml"]).entries
    assert [e.id for e in entries] == [STORIES[3].id, STORIES[2].id]
    archived = parsed(files["feeds/archive/2021-08-09.atom.xml"]).entries
    assert len(archived) == 2  # archives hold a whole edition


def test_topic_feeds_have_their_own_limit():
    files = feeds.build_all(SITE, STORIES, 50, UTC_TZ, topic_limit=1)
    assert [e.id for e in parsed(files["feeds/topic/kabul.atom.xml"]).entries] == [STORIES[3].id]
    assert len(parsed(files["feeds/topic/kabul.rss.xml"]).entries) == 1
    assert len(json.loads(files["feeds/topic/kabul.json"])["items"]) == 1
    assert len(parsed(files["feeds/section/business.atom.xml"]).entries) == 2  # sections: limit


def test_json_feed():
    doc = json.loads(build()["feeds/all.json"])
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == f"{SITE.url}/feeds/all.json"
    first = doc["items"][0]
    assert first["id"] == STORIES[3].id and first["content_html"].startswith("<p>")
    assert datetime.fromisoformat(first["date_published"]) == STORIES[3].published
    assert first["tags"] == ["Business", "Wall Street", "Kabul"]
    assert first["_gazette"]["dateline"] == "KABUL"


def test_archive_chain_covers_every_edition_once():
    files = build()
    current = parsed(files["feeds/all.atom.xml"])
    links = {link.rel: link.href for link in current.feed.links}
    seen, newer, href = [], None, links["prev-archive"]
    while href:
        path = href.removeprefix(SITE.url + "/")
        data = files[path]
        assert b"<fh:archive/>" in data
        archive = parsed(data)
        rels = {link.rel: link.href for link in archive.feed.links}
        assert rels["current"] == f"{SITE.url}/feeds/all.atom.xml"
        assert rels.get("next-archive") == newer
        seen.append(path)
        newer, href = href, rels.get("prev-archive")
    assert seen == [f"feeds/archive/2021-08-{d:02d}.atom.xml" for d in (11, 10, 9)]
    assert sorted(seen) == sorted(p for p in files if p.startswith("feeds/archive/"))
    edition = parsed(files["feeds/archive/2021-08-09.atom.xml"])
    assert edition.feed.link == f"{SITE.url}/2021/08/09/"


def test_a_big_day_spans_several_linked_archive_documents():
    small = dataclasses.replace(SITE, archive_max_items=4)
    day = [story(n, 9, published=datetime(2021, 8, 9, n % 24, n, tzinfo=UTC)) for n in range(10)]
    files = feeds.build_all(small, [*day, story(50, 10)], 50, UTC_TZ)
    names = sorted(p for p in files if p.startswith("feeds/archive/"))
    assert names == [
        "feeds/archive/2021-08-09-2.atom.xml",
        "feeds/archive/2021-08-09-3.atom.xml",
        "feeds/archive/2021-08-09.atom.xml",  # the day's URL: its oldest stories
        "feeds/archive/2021-08-10.atom.xml",
    ]
    held = []
    for path in names:
        entries = parsed(files[path]).entries
        assert len(entries) <= 4
        held += [e.id for e in entries]
    assert sorted(held) == sorted(i.id for i in [*day, story(50, 10)])  # each story once
    oldest = parsed(files["feeds/archive/2021-08-09.atom.xml"])
    assert {e.id for e in oldest.entries} == {day[n].id for n in (0, 1, 2, 3)}
    rels = {link.rel: link.href for link in oldest.feed.links}
    assert rels["next-archive"].endswith("feeds/archive/2021-08-09-2.atom.xml")
    last = parsed(files["feeds/archive/2021-08-09-3.atom.xml"])
    rels = {link.rel: link.href for link in last.feed.links}
    assert rels["next-archive"].endswith("feeds/archive/2021-08-10.atom.xml")
    assert "part 3 of 3" in last.feed.title


def test_archive_days_follow_the_site_timezone():
    late = story(9, 9, published=datetime(2021, 8, 9, 23, 30, tzinfo=UTC))
    files = feeds.build_all(SITE, [late], 50, ZoneInfo("Asia/Tokyo"))
    assert "feeds/archive/2021-08-10.atom.xml" in files


def test_two_builds_are_identical_and_a_new_story_changes_only_its_feeds():
    before = build()
    assert build() == before
    extra = story(5, 11, "Business", ("Kabul",))
    after = build(STORIES + [extra])
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed == {
        f"feeds/{name}{ext}"
        for name in ("all", "section/business", "topic/kabul")
        for ext in (".atom.xml", ".rss.xml", ".json")
    } | {"feeds/archive/2021-08-11.atom.xml"}


def _times(data: bytes) -> list[str]:
    """Every atom:updated and atom:published of an Atom document, as written."""
    root = etree.fromstring(data)
    return [e.text for e in root.iter(f"{feedlint.A}updated", f"{feedlint.A}published")]


def test_feed_times_are_whole_seconds_distinct_and_stable():
    same_day = [story(n, 9) for n in range(40)]
    later = datetime(2021, 8, 9, 7, 30, 15, 123456, tzinfo=UTC)
    exact = story(99, 9, published=later, updated=later)  # a time with microseconds
    files = build([*same_day, exact])
    for path, data in files.items():
        assert feedlint.lint(path, data, f"{SITE.url}/{path}") == [], path
        if path.endswith(ATOM):
            times = _times(data)
            assert times and all(feedlint.RFC3339.match(t) and "." not in t for t in times), path
    for item in json.loads(files["feeds/all.json"])["items"]:
        assert datetime.fromisoformat(item["date_modified"]).microsecond == 0
    updated = {e.id: e.updated for e in parsed(files["feeds/all.atom.xml"]).entries}
    assert len(set(updated.values())) == 41  # no two entries share atom:updated
    assert updated[exact.id] == "2021-08-09T07:30:15+00:00"
    # The same story has the same time in every feed it is in, and in every build.
    topic = {e.id: e.updated for e in parsed(files["feeds/topic/taliban.atom.xml"]).entries}
    archive = parsed(files["feeds/archive/2021-08-09.atom.xml"]).entries
    assert all(updated[i] == t for i, t in topic.items())
    assert all(updated[e.id] == e.updated for e in archive)
    assert build([*same_day, exact]) == files
    # A story of another day leaves these times alone.
    again = build([*same_day, exact, story(100, 10)])["feeds/all.atom.xml"]
    assert {e.id: e.updated for e in parsed(again).entries if e.id in updated} == updated


def test_every_xml_feed_names_its_stylesheets_relative_to_itself():
    """A browser applies an XSL stylesheet only from the feed's own origin: each Atom and RSS
    feed (site, section, topic, archive) links the site's relatively, whatever its depth."""
    files = build()
    xml = [p for p in files if p.endswith((ATOM, RSS))]
    assert {p.split("/")[1] for p in xml} >= {"all.atom.xml", "section", "topic", "archive"}
    for path in xml:
        data = files[path]
        root = etree.fromstring(data).getroottree()
        found = {}
        for pi in root.xpath("/processing-instruction('xml-stylesheet')"):
            found[pi.get("type")] = urljoin(f"{SITE.url}/{path}", pi.get("href"))
            assert not pi.get("href").startswith(("http", "/")), path
        assert found == {
            "text/xsl": f"{SITE.url}/theme/xsl/feed.xsl",
            "text/css": f"{SITE.url}/theme/css/feed-xml.css",
        }, path
        assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<?xml-stylesheet ")
    for path in (p for p in files if p.endswith(".json")):
        assert b"xml-stylesheet" not in files[path]
    bare = feeds.build_all(dataclasses.replace(SITE, xsl=None, css=None), STORIES, 50, UTC_TZ)
    assert not any(b"xml-stylesheet" in data for data in bare.values())


def test_a_corrected_headline_keeps_its_id():
    files = build([story(1, title="Corrected headline")])
    entry = parsed(files["feeds/all.atom.xml"]).entries[0]
    assert entry.id == STORIES[0].id and entry.title == "Corrected headline"


HOSTILE = "Fire\x00 & <script>alert(1)</script> ]]> a < b\x1b"


def test_hostile_text_stays_well_formed_inert_and_logged(caplog):
    caplog.set_level(logging.WARNING, logger="pelican.plugins.gazette.outputs.feeds")
    body = "<p>" + HOSTILE.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
    bad = story(1, title=HOSTILE, summary=HOSTILE, content_html=body, byline="Q\x07")
    files = build([bad])
    for path, data in files.items():
        assert feedlint.lint(path, data, f"{SITE.url}/{path}") == [], path
    for path in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        entry = parsed(files[path]).entries[0]
        assert entry.title == "Fire & alert(1) ]]> a < b"
        assert "<script" not in entry.content[0].value
        assert "&lt;script" in entry.content[0].value
    assert "<script" not in json.loads(files["feeds/all.json"])["items"][0]["content_html"]
    log = caplog.text
    assert "removed 2 control characters from headline" in log
    assert "removed 1 control characters from byline" in log
    assert "removed markup from headline" in log


def test_spliced_feeds_equal_plain_feedgen_byte_for_byte():
    """Each story's entry is rendered once and spliced into every feed that carries it;
    every feed must still be exactly what feedgen writes for the same entries."""
    tricky = [
        *STORIES,
        story(5, 11, topics=("Kabul",), title=HOSTILE, summary="a\n    <item>b", byline=None),
        story(6, 12, "Business", (), content_html="<p>    <entry>  </entry></p>"),
        story(7, 12, topics=("Kabul",), content_html=SPLIT_TEXT),
    ]
    planned = feeds.plan(SITE, tricky, 50, UTC_TZ)
    # An entry used again is held without its text, which is put back at each use.
    held = feeds.Fragments(planned)
    again = next(i for i in planned[0].items if i.content_html == SPLIT_TEXT)  # its time moved
    for kind in ("atom", "rss", "json"):
        held.take(kind, SITE, [again])
        assert isinstance(held.cache[kind, again], feeds._Around), kind
    fragments = feeds.Fragments(planned)
    checked = 0
    for feed in planned:
        for kind, ext, media in (
            ("atom", feeds.ATOM, "application/atom+xml"),
            ("rss", feeds.RSS, "application/rss+xml"),
        ):
            if kind == "rss" and feed.archive:
                continue
            fg = feeds._generator(SITE, feed, feeds.url(SITE, feed.path + ext), media)
            plain = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
            spliced = feeds._xml_feed(kind, SITE, feed, fragments)
            # The same bytes, but for the stylesheet lines after the XML declaration.
            lines = spliced.split(b"\n")
            assert lines[1].startswith(b"<?xml-stylesheet ") and lines[2].startswith(b"<?xml-")
            assert b"\n".join(lines[:1] + lines[3:]) == plain, (kind, feed.path)
            checked += 1
        if not feed.archive:
            json_url = feeds.url(SITE, feed.path + feeds.JSON)
            plain_json = jsonfeed.render(SITE, feed, json_url)
            assert jsonfeed.render(SITE, feed, json_url, fragments) == plain_json, feed.path
    assert checked >= 10


# Text that XML and JSON escape: markup, entities, quotes, a carriage return, accents.
SPLIT_TEXT = "<p>Caf\u00e9 &amp; \"bar\" 'baz' a &lt; b &gt; c\r\nd \u2014 \u65e5\u672c</p>"


def test_the_source_is_credited_and_the_original_linked():
    wired = story(1, byline=None, source="Reuters", original_url="https://news.example/a/1")
    files = build([wired])
    entry = parsed(files["feeds/all.atom.xml"]).entries[0]
    assert entry.author == "Reuters"
    assert {link.rel: link.href for link in entry.links}["via"] == "https://news.example/a/1"
    rss = parsed(files["feeds/all.rss.xml"]).entries[0]
    assert rss.author_detail.name == "Reuters" or rss.get("dc_creator") == "Reuters"
    item = json.loads(files["feeds/all.json"])["items"][0]
    assert item["external_url"] == "https://news.example/a/1"
    assert item["authors"] == [{"name": "Reuters"}] and item["_gazette"]["source"] == "Reuters"
    for path, data in files.items():
        assert feedlint.lint(path, data, f"{SITE.url}/{path}") == [], path


def test_topics_below_the_minimum_get_no_feeds():
    site = dataclasses.replace(SITE, topic_min_items=2)
    files = feeds.build_all(site, STORIES, 50, UTC_TZ)
    topic_feeds = sorted(
        p for p in files if p.startswith("feeds/topic/") and p.endswith(".atom.xml")
    )
    assert topic_feeds == [
        "feeds/topic/kabul.atom.xml",
        "feeds/topic/taliban.atom.xml",
        "feeds/topic/wall-street.atom.xml",
    ]


def test_no_stories_no_feeds(caplog):
    assert feeds.build_all(SITE, [], 50, UTC_TZ) == {}


# --- a whole build ---------------------------------------------------------------------------

RAW = {
    "world/kunduz.txt": "Date: 2021-08-09\n\nTaliban take Kunduz & <b>more</b>\n\n"
    "KABUL: Taliban fighters took Kunduz in Afghanistan on Sunday, officials said.\n\n"
    "The Taliban advance across Afghanistan continued.\n",
    "business/markets.txt": "Date: 2021-08-10\n\nWall Street rises as a < b\n\n"
    "NEW YORK: Stocks on Wall Street rose on Tuesday as investors cheered results.\n\n"
    "Wall Street traders said the rally could last.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    # Every topic here has one story: with the default minimum none would get feeds.
    conf = write_site(
        root, RAW, FEED_MAX_ITEMS=50, SITEURL="http://127.0.0.1:8000", GAZETTE_TOPIC_MIN_STORIES=1
    )
    ingest(conf, "2021-08-10T06:00:00+00:00")
    done = pelican(conf, root / "out")
    assert done.returncode == 0, done.stderr
    return conf, root / "out"


def test_a_build_writes_valid_feeds_and_no_pelican_feeds(site):
    _, out = site
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if _is_feed(p))
    assert written and all(p.startswith("feeds/") for p in written)
    assert "feeds/all.atom.xml" in written and "feeds/section/world.rss.xml" in written
    assert any(p.startswith("feeds/archive/2021-08-09") for p in written)
    for path in written:
        data = (out / path).read_bytes()
        assert feedlint.lint(path, data, f"http://127.0.0.1:8000/{path}") == [], path
        if path.endswith(".xml"):
            parsed(data)
    entries = parsed((out / "feeds/all.atom.xml").read_bytes()).entries
    assert {e.title for e in entries} == {
        "Taliban take Kunduz & more",
        "Wall Street rises as a < b",
    }
    assert all(e.id.startswith("tag:gazette.example,") for e in entries)
    assert all(e.link.startswith("http://127.0.0.1:8000/2021/08/") for e in entries)
    for path in (p for p in written if p.endswith((ATOM, RSS))):  # the theme's stylesheets
        tree = etree.parse(str(out / path))
        hrefs = [pi.get("href") for pi in tree.xpath("/processing-instruction('xml-stylesheet')")]
        assert len(hrefs) == 2 and all((out / path).parent.joinpath(h).is_file() for h in hrefs)


def test_a_second_build_is_byte_identical(site, tmp_path):
    conf, out = site
    assert pelican(conf, tmp_path / "again").returncode == 0
    for path in (p for p in out.rglob("*") if _is_feed(p)):
        assert (tmp_path / "again" / path.relative_to(out)).read_bytes() == path.read_bytes()


def test_pages_link_their_feeds(site):
    _, out = site

    def feed_links(page):
        soup = BeautifulSoup((out / page).read_text(), "html.parser")
        return {link["href"] for link in soup.select('head link[rel="alternate"][type]')}

    base = "http://127.0.0.1:8000/feeds/"
    site_feeds = {base + name for name in ("all.atom.xml", "all.rss.xml", "all.json")}
    assert feed_links("index.html") == site_feeds
    section = feed_links("section/world/index.html")
    assert section - site_feeds == {
        f"{base}section/world{e}" for e in (".atom.xml", ".rss.xml", ".json")
    }
    topics = list(out.glob("topic/*/index.html"))
    assert topics
    for page in topics:
        slug = page.parent.name
        assert f"{base}topic/{slug}.atom.xml" in feed_links(page.relative_to(out))
        assert (out / f"feeds/topic/{slug}.atom.xml").is_file()


def _is_feed(path):
    """Feed-like files; the search index and the build report are JSON but not feeds."""
    if "search" in path.parts or path.name == "build-report.json":
        return False
    return path.is_file() and path.name.endswith((".atom.xml", ".rss.xml", ".json"))


@pytest.mark.skipif(not parallel._forks(), reason="background processes need fork (Linux)")
def test_feeds_written_in_a_background_process_are_the_same_files(tmp_path):
    """A first build of a site with hundreds of feeds writes them in a forked child beside
    the pages (parallel.in_background): the same bytes as writing them in the build. Not
    while the social cards are drawn in the background: they have the second core."""
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate

    generate.write_corpus(str(tmp_path), 240, seed=5)  # cards enough for the background
    conf = write_site(tmp_path / "gazette", {}, SITEURL="https://news.example")
    ingest(conf)
    trees, logs = [], []
    for most, cards in ((8000, "false"), (0, "false"), (8000, "true")):
        out = tmp_path / f"out-{most}-{cards}"
        command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(out), "-v"]
        command += ["-e", f"GAZETTE_BACKGROUND_FEEDS_MAX_STORIES={most}"]
        command += [f"GAZETTE_SOCIAL_CARDS={cards}", "GAZETTE_PARSE_WORKERS=2"]
        env = {**os.environ, "COLUMNS": "400"}  # the rich log handler: INFO lines whole
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=conf.parent)
        assert done.returncode == 0, done.stderr
        trees.append({p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*.xml")})
        trees[-1] = {p.relative_to(out): h for p, h in trees[-1].items()}
        logs.append(done.stdout + done.stderr)
    assert len(trees[0]) > 200 * 2  # enough feeds to go to the background (two files each)
    assert trees[0] == trees[1] == trees[2]
    beside, in_build = "feeds written beside the pages", "feeds written in the build's process"
    assert [beside in log for log in logs] == [True, False, False]
    assert [in_build in log for log in logs] == [False, False, True]
