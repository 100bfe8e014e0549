"""Links that last: a story's earlier URLs lead to it (redirect pages from the ledger's
record of its slugs and dates), never over another page, and only current URLs are
listed for search engines."""

from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from helpers import gazette
from pelican.plugins.gazette.outputs import redirects
from renamed_site import (
    DOHA,
    DOHA_EARLIER,
    FINAL,
    FINAL_FIRST,
    HERAT,
    KUNDUZ,
    KUNDUZ_EARLIER,
    renamed_site,
)


@pytest.fixture(scope="module")
def site():
    return renamed_site()


def landing(siteurl: str, out, path: str) -> dict:
    """Where the redirect page at ``path`` leads, by each of its means."""
    soup = BeautifulSoup((out / path / "index.html").read_text(), "html.parser")
    here = f"{siteurl}/{path}"
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    delay, _, target = refresh.partition("; url=")
    return {
        "canonical": soup.find("link", rel="canonical")["href"],
        "refresh": urljoin(here, target),
        "link": urljoin(here, soup.find("main").find("a")["href"]),
        "delay": delay,
        "robots": soup.find("meta", attrs={"name": "robots"})["content"],
        "title": soup.title.get_text(),
    }


def test_every_earlier_url_leads_to_the_story_now(site):
    _, out, siteurl = site
    for earlier, now, headline in [
        *((path, KUNDUZ, "Taliban capture Kunduz city") for path in KUNDUZ_EARLIER),
        (DOHA_EARLIER, DOHA, "Peace talks stall in Doha"),  # its date was corrected
    ]:
        found = landing(siteurl, out, earlier)
        target = f"{siteurl}/{now}"
        assert found["canonical"] == found["refresh"] == found["link"] == target, earlier
        assert found["delay"] == "0" and found["robots"] == "noindex"
        assert headline in found["title"]
        assert "This story has moved" in (out / earlier / "index.html").read_text()
        assert "Officials" in (out / now / "index.html").read_text()  # the story itself


def test_an_old_url_another_story_has_now_stays_that_storys_page(site):
    _, out, _ = site
    page = (out / FINAL_FIRST / "index.html").read_text()
    assert "Osaka" in page and 'http-equiv="refresh"' not in page
    assert "Tokyo" in (out / FINAL / "index.html").read_text()


def test_a_deleted_story_leaves_no_redirects(site):
    _, out, _ = site
    assert not any((out / path).exists() for path in HERAT)


def test_the_ledger_keeps_every_url_and_ingesting_again_adds_nothing(site):
    conf, _, _ = site
    ledger = conf.parent / "seeds" / "ledger.jsonl"
    before = ledger.read_text()
    moved = [line for line in before.splitlines() if '"moved"' in line]
    assert len(moved) == 5  # Kunduz twice, the final, Herat, Doha's date
    said = (conf.parent / "ingests.log").read_text()
    assert "4 at a new URL (the old one redirects)" in said  # the second ingest
    done = gazette(conf, "ingest", "--now", "2021-08-12T06:00:00+00:00")
    assert done.returncode == 0, done.stderr
    assert ledger.read_text() == before


def test_a_second_build_writes_the_same_redirects(site, tmp_path):
    conf, out, _ = site
    done = gazette(conf, "build", "--strict", "--output", str(tmp_path / "again"))
    assert done.returncode == 0, done.stdout + done.stderr
    for path in [*KUNDUZ_EARLIER, DOHA_EARLIER]:
        name = f"{path}index.html"
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()


def test_redirect_pages_are_valid_html(site):
    from test_browser import vnu_errors

    _, out, _ = site
    assert vnu_errors([out / path / "index.html" for path in [*KUNDUZ_EARLIER, DOHA_EARLIER]]) == ""


def moved(save_as, since, source, target="new/"):
    when = datetime(2021, 8, since, tzinfo=UTC)
    return redirects.Moved(save_as, save_as, when, source, target, "Headline")


def test_of_stories_that_had_one_url_the_last_to_have_it_gets_it():
    chosen = redirects.choose(
        [moved("x/index.html", 9, "a.txt", "a/"), moved("x/index.html", 10, "b.txt", "b/")],
        taken=set(),
    )
    assert [(c.save_as, c.target) for c in chosen] == [("x/index.html", "b/")]
    assert redirects.choose([moved("x/index.html", 9, "a.txt")], taken={"x/index.html"}) == []


def test_redirect_text_is_escaped():
    each = redirects.Moved(
        "a/b/index.html", "a/b/", datetime(2021, 8, 9, tzinfo=UTC), "s", "c/d/", "<b>&</b>"
    )
    text = redirects.page(each, "https://x.example", "Site", "en").decode()
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in text and "<b>" not in text
    assert 'url=../../c/d/"' in text and 'href="https://x.example/c/d/"' in text


def test_a_headline_changed_since_the_last_ingest_redirects_and_says_to_ingest(tmp_path):
    from helpers import ingest, pelican, write_site
    from renamed_site import FIRST

    conf = write_site(tmp_path, {"world/kunduz.txt": FIRST["world/kunduz.txt"]})
    ingest(conf, "2021-08-09T06:00:00+00:00")
    story = tmp_path / "seeds" / "world" / "kunduz.txt"
    story.write_text(story.read_text().replace("Taliban take", "Taliban capture"))
    done = pelican(conf, tmp_path / "out")  # no ingest: the ledger knows the first URL only
    assert done.returncode == 0, done.stderr
    old = tmp_path / "out" / KUNDUZ_EARLIER[0] / "index.html"
    assert "This story has moved" in old.read_text()
    assert (tmp_path / "out" / KUNDUZ_EARLIER[1] / "index.html").is_file()
    assert "1 story is at a URL the ledger has not recorded" in done.stderr + done.stdout


def test_an_address_is_elsewhere_when_its_date_would_print_otherwise():
    """The same instant at another UTC offset makes another URL date (isoformat differs)."""
    from datetime import timedelta, timezone
    from types import SimpleNamespace

    from pelican.plugins.gazette.glue.redirects import _elsewhere

    when = datetime(2021, 8, 9, 23, 30, tzinfo=UTC)
    story = SimpleNamespace(slug="talks", date=when)
    other_zone = when.astimezone(timezone(timedelta(hours=1)))
    for date, slug in [(when, "talks"), (other_zone, "talks"), (when, "late-talks")]:
        address = SimpleNamespace(slug=slug, date=date)
        printed = slug != story.slug or date.isoformat() != when.isoformat()
        assert _elsewhere(address, story) == printed
    assert _elsewhere(SimpleNamespace(slug="talks", date=when.replace(tzinfo=None)), story)
