"""sitemap.xml, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from pelican.plugins.gazette.outputs import sitemaps
from site_builder import REVISED_AT, SITEURL, small_site

NS = {"s": sitemaps.SITEMAP_NS, "news": sitemaps.NEWS_NS}


@pytest.fixture(scope="module")
def out():
    return small_site()


def entries(out, name) -> dict[str, ET.Element]:
    root = ET.parse(out / name).getroot()
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


def output_file(out, url: str):
    path = out / url.removeprefix(f"{SITEURL}/")
    return path / "index.html" if url.endswith("/") else path


def test_sitemap_lists_every_page_that_exists(out):
    urls = entries(out, "sitemap.xml")
    for url in urls:
        assert output_file(out, url).is_file(), url
    for page in ("", "archive/", "section/", "topic/", "section/world/", "topic/taliban/"):
        assert f"{SITEURL}/{page}" in urls
    assert f"{SITEURL}/2021/08/08/" in urls
    assert f"{SITEURL}/2021/08/08/taliban-capture-kunduz/" in urls
    assert f"{SITEURL}/about/" in urls
    assert not any("404" in url for url in urls)


def test_lastmod_is_the_newest_change_a_page_shows(out):
    urls = entries(out, "sitemap.xml")

    def lastmod(page):
        return urls[f"{SITEURL}/{page}"].findtext("s:lastmod", namespaces=NS)

    assert lastmod("2021/08/08/taliban-capture-kunduz/") == REVISED_AT
    assert lastmod("2021/08/08/") == REVISED_AT
    assert lastmod("topic/taliban/") == REVISED_AT
    assert lastmod("") == REVISED_AT
    assert lastmod("2021/08/07/") == "2021-08-07T00:00:00+00:00"
    assert lastmod("section/sport/") == "2021-08-08T00:00:00+00:00"
    assert lastmod("about/") is None  # undated: no made-up lastmod


def test_news_sitemap_has_the_last_two_days_before_the_newest_story(out):
    urls = entries(out, "news-sitemap.xml")
    assert sorted(u.removeprefix(f"{SITEURL}/") for u in urls) == [
        "2021/08/08/olympic-games-close-in-tokyo/",
        "2021/08/08/taliban-capture-kunduz/",
        "2021/08/09/at-t-t-n-shares-rise-on-5g-hopes/",
        "2021/08/09/kabul-prepares-for-a-long-week/",
        "2021/08/09/us-signals-no-change-in-airstrikes-as-taliban-advance/",
    ]
    news = urls[f"{SITEURL}/2021/08/09/at-t-t-n-shares-rise-on-5g-hopes/"].find("news:news", NS)
    assert news.findtext("news:title", namespaces=NS) == "AT&T <T.N> shares rise on 5G hopes"
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Gazette Digest"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == "2021-08-09T00:00:00+00:00"


def test_robots_txt_points_at_both_sitemaps(out):
    robots = (out / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots.splitlines()
    assert f"Sitemap: {SITEURL}/news-sitemap.xml" in robots.splitlines()


def test_news_sitemap_holds_at_most_1000_stories():
    newest = datetime(2021, 8, 9, tzinfo=UTC)
    stories = [SimpleNamespace(date=newest - timedelta(minutes=m)) for m in range(3000)]
    chosen = sitemaps.news_stories(stories)
    assert len(chosen) == 1000
    assert chosen[0].date == newest


def test_news_window_is_measured_from_the_newest_story():
    newest = datetime(2021, 8, 9, tzinfo=UTC)
    stories = [SimpleNamespace(date=newest - timedelta(hours=h)) for h in (0, 47, 48, 72)]
    assert [s.date for s in sitemaps.news_stories(stories)] == [s.date for s in stories[:2]]


def test_a_large_site_gets_a_sitemap_index(monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS", 2)
    when = datetime(2021, 8, 9, tzinfo=UTC)
    urls = [(f"{SITEURL}/{n}/", when) for n in range(5)]
    files = sitemaps.sitemap_files(urls, SITEURL)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex"
    assert len(index) == 3
    assert len(ET.fromstring(files["sitemap-3.xml"])) == 1


def test_sitemaps_list_only_the_current_url_of_a_story_that_moved():
    from renamed_site import DOHA, DOHA_EARLIER, FINAL_FIRST, KUNDUZ, KUNDUZ_EARLIER, renamed_site

    _, out, siteurl = renamed_site()
    urls = entries(out, "sitemap.xml")
    news = entries(out, "news-sitemap.xml")
    for current in (KUNDUZ, DOHA, FINAL_FIRST):  # FINAL_FIRST: another story's page now
        assert f"{siteurl}/{current}" in urls
    for earlier in [*KUNDUZ_EARLIER, DOHA_EARLIER]:
        assert (out / earlier / "index.html").is_file()  # a redirect page is there
        assert f"{siteurl}/{earlier}" not in urls and f"{siteurl}/{earlier}" not in news
    assert f"{siteurl}/{KUNDUZ}" in news
