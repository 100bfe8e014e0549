"""Structure of every page type of the digest theme, on a small built site."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder import PER_PAGE, SITEURL, html_pages, small_site, url_of

LEAD = "US signals no change in airstrikes as Taliban advance"


@pytest.fixture(scope="module")
def out() -> Path:
    return small_site()


def soup(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [" ".join(e.get_text(" ").split()) for e in page.select(selector)]


def hrefs(page: BeautifulSoup, selector: str) -> list[str]:
    return [a["href"] for a in page.select(selector)]


# Every page -------------------------------------------------------------------------------


def test_every_page_has_the_head_a_search_engine_needs(out):
    titles, descriptions = {}, {}
    for path in html_pages(out):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        name = path.relative_to(out).as_posix()
        assert page.html["lang"] == "en", name
        title = page.title.get_text()
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert title and description.strip(), name
        assert title not in titles, f"{name} and {titles.get(title)} share a title"
        assert description not in descriptions, f"{name} and {descriptions.get(description)}"
        titles[title], descriptions[description] = name, name
        canonical = page.find("link", rel="canonical")["href"]
        if name != "404.html":
            assert canonical == url_of(out, path), name
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.find("meta", property=prop)["content"], f"{name}: {prop}"
        # Every page shares a picture (its story's card, else the site's: test_cards.py).
        assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        assert page.find("link", rel="alternate", type="application/atom+xml"), name


def test_every_page_has_landmarks_a_skip_link_and_one_h1(out):
    for path in html_pages(out):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        name = path.relative_to(out).as_posix()
        assert len(page.find_all("h1")) == 1, name
        assert page.select_one("a.skip")["href"] == "#main", name
        assert page.select_one("main#main"), name
        assert page.select_one("body > header") and page.select_one("body > footer"), name
        labels = [nav.get("aria-label") for nav in page.find_all("nav")]
        assert all(labels) and len(labels) == len(set(labels)), f"{name}: nav labels {labels}"
        levels = [int(h.name[1]) for h in page.find_all(re.compile("^h[1-6]$"))]
        assert levels[0] == 1, name
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{name}: heading h{before} then h{after}"


def test_pages_make_no_external_requests(out):
    for path in html_pages(out):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        loaded = [e.get("src") for e in page.find_all(["script", "img", "iframe"]) if e.get("src")]
        loaded += [link["href"] for link in page.find_all("link", rel="stylesheet")]
        assert loaded and all(u.startswith(f"{SITEURL}/") for u in loaded), path
    css = (out / "theme/css/gazette.css").read_text()
    assert "url(" not in css and "@import" not in css


def test_markup_in_a_headline_is_text(out):
    page = soup(out, "2021/08/09/at-t-t-n-shares-rise-on-5g-hopes/index.html")
    assert page.h1.get_text() == "AT&T <T.N> shares rise on 5G hopes"
    assert page.find("t.n") is None
    assert "AT&T <T.N>" in page.title.get_text()


def test_the_theme_is_small(out):
    css = (out / "theme/css/gazette.css").stat().st_size
    js = (out / "theme/js/gazette.js").stat().st_size
    assert css < 20_000
    for path in (out / "2021").glob("*/*/*/index.html"):
        assert path.stat().st_size + css + js < 50_000, path


# Front page and editions ------------------------------------------------------------------


def test_front_page_is_the_latest_edition_with_a_lead_story(out):
    page = soup(out, "index.html")
    assert "Monday 9 August 2021" in page.h1.get_text()
    lead = page.select_one(".lead")
    assert lead.select_one("h2 a").get_text() == LEAD
    assert lead.select_one(".dateline").get_text() == "Washington DC"
    assert "min read" in lead.select_one(".meta").get_text()
    assert lead.select_one(".summary").get_text().startswith("Talks in Washington DC went on")
    assert texts(page, ".edition-section h2") == ["Business", "World"]
    assert texts(page, ".edition-section h3") == [
        "AT&T <T.N> shares rise on 5G hopes",
        "Kabul prepares for a long week",
    ]
    earlier = hrefs(page, ".earlier a")
    assert earlier[:3] == [f"{SITEURL}/2021/08/{d}/" for d in ("08", "07", "01")]
    assert earlier[-1] == f"{SITEURL}/archive/"


def test_an_edition_has_every_story_of_its_day_and_links_its_neighbours(out):
    page = soup(out, "2021/08/08/index.html")
    assert "Sunday 8 August 2021" in page.h1.get_text()
    headlines = texts(page, ".card .headline")
    assert sorted(headlines) == ["Olympic Games close in Tokyo", "Taliban capture Kunduz"]
    assert page.find("link", rel="prev")["href"] == f"{SITEURL}/2021/08/07/"
    assert page.find("link", rel="next")["href"] == f"{SITEURL}/2021/08/09/"
    pager = page.select_one("nav.pager")
    assert pager.find("a", rel="prev").get_text() == "Previous edition: Saturday 7 August 2021"
    assert pager.find("a", rel="next")["href"] == f"{SITEURL}/2021/08/09/"


def test_edition_urls_come_only_from_the_date(out):
    editions = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("2021/*/*/index.html"))
    assert editions == ["2021/08/01", "2021/08/07", "2021/08/08", "2021/08/09"]


def test_archive_lists_every_edition(out):
    page = soup(out, "archive/index.html")
    assert texts(page, "h2") == ["August 2021"]
    assert hrefs(page, ".index li > a") == [
        f"{SITEURL}/2021/08/{d}/" for d in ("09", "08", "07", "01")
    ]


# Sections and topics ----------------------------------------------------------------------


def test_section_pages_paginate_newest_first_with_rel_links(out):
    first = soup(out, "section/world/index.html")
    second = soup(out, "section/world/page/2/index.html")
    assert first.h1.get_text(" ", strip=True) == "Section World"
    assert texts(first, ".card .headline") == [
        "Kabul prepares for a long week",
        "US signals no change in airstrikes as Taliban advance",
        "Taliban capture Kunduz",
    ]
    assert len(texts(second, ".card .headline")) == 5 - PER_PAGE
    assert first.find("link", rel="next")["href"] == f"{SITEURL}/section/world/page/2/"
    assert first.find("link", rel="prev") is None
    assert second.find("link", rel="prev")["href"] == f"{SITEURL}/section/world/"
    assert "(page 2)" in second.title.get_text()
    feeds = hrefs(first, ".feeds a")
    assert f"{SITEURL}/feeds/section/world.atom.xml" in feeds
    assert first.select_one('a[aria-current="page"]').get_text() == "World"


def test_topic_page_lists_its_stories_and_feeds(out):
    page = soup(out, "topic/taliban/index.html")
    assert page.h1.get_text(" ", strip=True) == "Topic Taliban"
    assert texts(page, ".card .headline") == [
        "US signals no change in airstrikes as Taliban advance",
        "Taliban capture Kunduz",
    ]
    assert f"{SITEURL}/feeds/topic/taliban.json" in hrefs(page, ".feeds a")


def test_indexes_of_sections_and_topics(out):
    sections = soup(out, "section/index.html")
    # The masthead's order: GAZETTE_SECTIONS, else A–Z.
    assert texts(sections, ".index li > a") == ["Business", "Sport", "World"]
    topics = soup(out, "topic/index.html")
    listed = texts(topics, ".chips a")
    assert "Afghanistan (5)" in listed and "Taliban (2)" in listed
    assert not any(t.startswith("Doha") for t in listed)  # one story: below the index minimum
    letters = hrefs(topics, "nav .letters a")
    assert all(topics.find(id=h.removeprefix("#")) for h in letters)


# Story pages ------------------------------------------------------------------------------


STORY = "2021/08/09/us-signals-no-change-in-airstrikes-as-taliban-advance/index.html"


def test_story_page_has_everything_a_reader_expects(out):
    page = soup(out, STORY)
    story = page.select_one("article.story")
    assert story.h1.get_text() == "US signals no change in airstrikes as Taliban advance"
    assert story.select_one(".byline").get_text() == "By Jane Doe"
    assert story.select_one(".story-body .dateline").get_text() == "Washington DC"
    assert story.select_one("header time")["datetime"] == "2021-08-09T00:00:00+00:00"
    assert story.select_one(".kicker a")["href"] == f"{SITEURL}/section/world/"
    assert "3 min read" in story.select_one("header .meta").get_text()
    assert texts(story, ".chips li") == ["Afghanistan", "Pentagon", "Taliban"]
    # Pentagon has this one story: a plain label, no page (GAZETTE_TOPIC_MIN_STORIES).
    assert texts(story, ".chips a") == ["Afghanistan", "Taliban"]
    assert len(story.select(".story-body p")) == 2
    pager = page.select_one('nav[aria-label="Stories"]')
    assert pager.find("a", rel="prev").get_text() == "Previous story: Olympic Games close in Tokyo"
    assert pager.find("a", rel="next").get_text().startswith("Next story: Kabul prepares")


def test_more_on_this_topic_ranks_shared_topics_first(out):
    page = soup(out, STORY)
    related = texts(page, ".related li a")
    assert related[0] == "Taliban capture Kunduz"  # shares two topics
    assert set(related) == {
        "Taliban capture Kunduz",
        "Kabul prepares for a long week",
        "Fighting reaches Herat",
        "Peace talks stall in Doha",
    }


def test_story_json_ld_is_a_complete_news_article(out):
    page = soup(out, STORY)
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "US signals no change in airstrikes as Taliban advance"
    assert data["description"].startswith("Talks in Washington DC went on late")
    assert data["datePublished"] == "2021-08-09T00:00:00+00:00"
    assert data["dateline"] == "Washington DC"
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["Afghanistan", "Pentagon", "Taliban"]
    assert data["wordCount"] > 600
    assert data["inLanguage"] == "en"
    assert data["publisher"]["name"] == "The Gazette Digest"
    assert data["url"] == f"{SITEURL}/{STORY.removesuffix('index.html')}"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}


def test_json_ld_cannot_be_closed_by_a_headline(out):
    page = soup(out, "2021/08/09/at-t-t-n-shares-rise-on-5g-hopes/index.html")
    script = page.find("script", type="application/ld+json").string
    assert "<" not in script
    assert json.loads(script)["headline"] == "AT&T <T.N> shares rise on 5G hopes"


def test_a_revised_story_shows_its_update(out):
    page = soup(out, "2021/08/08/taliban-capture-kunduz/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["dateModified"] == "2021-08-11T12:00:00+00:00"
    assert "Updated" in page.select_one("article.story footer").get_text()


# Hand-written pages -----------------------------------------------------------------------


def test_about_and_404_pages(out):
    about = soup(out, "about/index.html")
    assert about.h1.get_text() == "About"
    assert about.select_one("article.page strong")  # rendered from Markdown
    missing = soup(out, "404.html")
    assert missing.h1.get_text() == "Page not found"
    assert missing.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert f"{SITEURL}/archive/" in hrefs(missing, "main a")


def test_shared_parts_follow_each_page_s_depth_with_relative_urls(tmp_path):
    """The masthead, colophon and story cards are rendered once per build and reused
    (htmlcache.py); with RELATIVE_URLS each page's links must still lead to the right place."""
    from helpers import ingest, pelican, write_site
    from site_builder import STORIES

    conf = write_site(tmp_path, STORIES, SITEURL="", RELATIVE_URLS=True, FEED_DOMAIN=SITEURL)
    ingest(conf)
    out = tmp_path / "out"
    done = pelican(conf, out, "--fatal", "errors")
    assert done.returncode == 0, done.stdout + done.stderr
    checked = 0
    for path in html_pages(out):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in page.select(".site-name a, .colophon a, .card h2 a")]
        for href in links:
            target = (path.parent / href.split("#")[0]).resolve()
            assert target.is_relative_to(out.resolve()), (path, href)
            assert target.is_dir() or target.is_file(), (path, href)
            checked += 1
    assert checked > 100
