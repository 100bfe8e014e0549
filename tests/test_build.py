"""Whole builds with Pelican: the story page carries its metadata; bad files never stop it."""

import json

from bs4 import BeautifulSoup

from helpers import REPO, SAMPLE, ingest, pelican, write_site

STORY_DIR = "2021/08/10/us-signals-no-change-in-airstrikes-as-afghan-taliban-advance"


def build(tmp_path, files, *flags, **settings):
    conf = write_site(tmp_path, files, **settings)
    ingest(conf)
    done = pelican(conf, tmp_path / "out", *flags)
    return done, tmp_path / "out"


def test_the_project_seeds_build(tmp_path):
    """The repository's own seeds and ledger, as `make html` builds them."""
    done = pelican(REPO / "pelicanconf.py", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pages = list((tmp_path / "out").glob("*/*/*/*/index.html"))
    assert len(pages) == 1


def test_story_page_carries_the_metadata(tmp_path):
    done, out = build(tmp_path, {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()})
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((out / STORY_DIR / "index.html").read_text(), "html.parser")
    assert page.find("h1").get_text() == (
        "US signals no change in airstrikes as Afghan Taliban advance"
    )
    dateline = page.select_one(".story-body p .dateline")
    assert dateline and dateline.get_text() == "Washington DC"
    assert page.find("time")["datetime"] == "2021-08-10T06:00:00+00:00"
    body = page.select_one(".story-body").get_text()
    assert "Next Story" not in body and "Share it" not in body
    topics = [li.get_text() for li in page.select(".topics li")]  # links or labels
    assert "Taliban" in topics and "Afghanistan" in topics
    # One story: its topics are labels, with no page of their own (GAZETTE_TOPIC_MIN_STORIES).
    assert not (out / "topic" / "taliban" / "index.html").exists()
    assert not page.select(".topics a")
    assert (out / "section" / "news" / "index.html").exists()
    assert "min read" in page.get_text()
    assert not list(out.rglob("*.atom.xml")) or (out / "feeds").is_dir()  # no Pelican feeds


def test_bad_files_never_stop_the_build(tmp_path):
    files = {
        "good.txt": "Good story\n\nWith text.\n",
        "empty.txt": "",
        "binary.txt": b"\x00\x00",
        "same.txt": "Good story\n\nWith text.\n",
    }
    done, out = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    log = done.stdout + done.stderr
    assert "rejected seeds/binary.txt: binary file (contains NUL bytes)" in log
    assert "rejected seeds/empty.txt: empty file" in log
    assert "4 raw files: 1 published, 1 duplicates, 2 rejected" in log.replace("\n", " ")
    assert len(list(out.glob("2021/08/10/*/index.html"))) == 1


def test_strict_build_fails_on_a_rejected_file(tmp_path):
    files = {"good.txt": "Good\n\nText.\n", "empty.txt": ""}
    done, _ = build(tmp_path, files, "--fatal", "errors", GAZETTE_STRICT=True)
    assert done.returncode != 0
    assert "strict build: 1 raw files rejected: seeds/empty.txt (empty file)" in (
        " ".join((done.stdout + done.stderr).split())
    )


WIRE = """Date: 2024-03-02

Harbour bridge approved after long debate

PORTSMOUTH (Reuters) - The city council approved a new harbour bridge on Tuesday after a
debate that ran past midnight.

Work is expected to start next spring.

(Reporting by Jane Doe; Editing by John Roe)
"""


def test_a_wire_storys_agency_is_its_source_not_its_lede(tmp_path):
    done, out = build(tmp_path, {"bridge.txt": WIRE})
    assert done.returncode == 0, done.stderr
    page_file = next(out.glob("2024/03/02/harbour-bridge*/index.html"))
    page = BeautifulSoup(page_file.read_text(), "html.parser")
    assert page.select_one(".agency").get_text() == "Reuters"
    lede = page.select_one(".story-body p").get_text()
    assert lede.startswith("PORTSMOUTH (Reuters) — The city council")  # the dateline, styled
    assert not page.select_one(".story-body .dateline").next_sibling.strip().startswith("-")
    schema = json.loads(page.find("script", type="application/ld+json").string)
    assert schema["sourceOrganization"]["name"] == "Reuters"
    assert "Reuters" not in [t.get_text() for t in page.select(".topics li")]
    atom = (out / "feeds" / "all.atom.xml").read_text()
    assert "<name>Reuters</name>" in atom


def test_an_editors_lead_header_opens_the_edition(tmp_path):
    long = "Date: 2024-03-02T20:00:00+00:00\n\nA long late story\n\n" + "Words run on. " * 400
    chosen = "Date: 2024-03-02T06:00:00+00:00\nLead: yes\n\nThe editor's pick\n\nShort text.\n"
    done, out = build(tmp_path, {"long.txt": long, "pick.txt": chosen})
    assert done.returncode == 0, done.stderr
    edition = BeautifulSoup((out / "2024" / "03" / "02" / "index.html").read_text(), "html.parser")
    assert edition.select_one(".lead .headline").get_text() == "The editor's pick"


def test_a_hand_written_article_without_tags_builds_into_feeds_and_search(tmp_path):
    """Pelican gives an article ``tags`` only from a Tags line; a Markdown post without one
    once stopped the build in the search index and the feeds."""
    post = (
        "Title: A note by hand\nDate: 2021-08-09\nCategory: World\n\n"
        "A paragraph written **by hand**, with no tags.\n"
    )
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "notes/by-hand.md": post}
    done, out = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    assert "A note by hand" in (out / "feeds" / "all.atom.xml").read_text()
    indexed = "".join(p.read_text() for p in (out / "search" / "data").glob("d*.json"))
    assert "A note by hand" in indexed


# A 1×1 PNG: a static file for a hand-written post to link.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005fe02fe0dd4a0a5"
    "0000000049454e44ae426082"
)


def test_a_hand_written_posts_links_to_static_files_and_pages_resolve_everywhere(tmp_path):
    """Pelican resolves ``{static}`` and ``{filename}`` links once every generator has its
    content; the digest reads articles before the static files and pages are known. The
    post's page, its summary on its section's page and its feed entry all get the real
    URLs, and no link is reported missing."""
    post = (
        "Title: Map of the week\nDate: 2021-08-09\nCategory: World\n"
        "Summary: The [map]({static}/images/map.png) of the week.\n\n"
        "![The map]({static}/images/map.png)\n\n"
        "More [about us]({filename}/content/pages/about.md).\n"
    )
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "notes/map.md": post}
    conf = write_site(tmp_path, files, SITEURL="https://digest.example")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(PIXEL)
    (tmp_path / "content" / "pages" / "about.md").write_text("Title: About\n\nWho we are.\n")
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Unable to find" not in done.stdout + done.stderr
    out = tmp_path / "out"
    page = (out / "2021" / "08" / "09" / "map-of-the-week" / "index.html").read_text()
    feed = (out / "feeds" / "all.atom.xml").read_text()
    section = (out / "section" / "world" / "index.html").read_text()
    for html in (page, feed, section):
        assert "{static}" not in html and "{filename}" not in html
    assert 'src="https://digest.example/images/map.png"' in page
    assert "https://digest.example/about/" in page
    assert "https://digest.example/images/map.png" in feed
    assert 'href="https://digest.example/images/map.png"' in section  # the summary's link
    assert (out / "images" / "map.png").read_bytes() == PIXEL


def test_a_draft_is_written_where_pelican_writes_drafts_not_at_its_future_url(tmp_path):
    post = "Title: Not yet\nDate: 2021-08-09\nCategory: World\nStatus: draft\n\nDraft text.\n"
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "notes/not-yet.md": post}
    done, out = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    assert "Draft text." in (out / "drafts" / "not-yet.html").read_text()
    assert not (out / "2021" / "08" / "09" / "not-yet").exists()
    assert "Not yet" not in (out / "feeds" / "all.atom.xml").read_text()


def test_gazettes_cache_inside_the_article_paths_is_not_in_the_report(tmp_path):
    """pelican-quickstart's articles are the whole content folder, Gazette's cache folder
    included; the cards a build draws into it once made the next build's report list
    them as ignored files, and two builds differ."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    site = tmp_path / "site"
    conf = write_site(site, files, ARTICLE_PATHS=[""])
    ingest(conf)
    reports = []
    for name in ("out", "again"):
        done = pelican(conf, tmp_path / name)
        assert done.returncode == 0, done.stderr
        reports.append((tmp_path / name / "build-report.json").read_text())
    assert list((site / ".cache" / "gazette" / "cards").glob("*.png"))
    assert reports[0] == reports[1]
    ignored = [f["source"] for f in json.loads(reports[1])["ignored_files"]]
    assert ignored and not [source for source in ignored if source.startswith(".cache")]


def test_pelicans_content_cache_never_keeps_a_raw_files_outcome(tmp_path):
    """Pelican's content cache (CACHE_CONTENT, LOAD_CONTENT_CACHE) hands back a file's last
    reading while its time stamp is the same; a raw file's outcome is the site's to decide.
    Its original gone, a duplicate kept its "skip" from the cache and was lost; and with
    nothing read the build wrote no report."""
    files = {"a.txt": SAMPLE.read_bytes(), "b.txt": SAMPLE.read_bytes()}
    for layer in ("reader", "generator"):
        site = tmp_path / layer
        cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
        conf = write_site(site, files, CONTENT_CACHING_LAYER=layer, **cache)
        ingest(conf)
        done = pelican(conf, site / "out")
        assert done.returncode == 0, done.stderr
        (site / "seeds" / "a.txt").unlink()
        ingest(conf)
        done = pelican(conf, site / "again")
        assert done.returncode == 0, done.stderr
        report = json.loads((site / "again" / "build-report.json").read_text())
        assert [f["source"] for f in report["files"]] == ["seeds/b.txt"]
        assert report["published"] == 1
        assert (site / "again" / STORY_DIR / "index.html").exists(), layer


def test_gazettes_cache_is_never_published_as_a_static_file(tmp_path):
    """``STATIC_PATHS = [""]`` has Pelican copy every file under PATH that is not content;
    Gazette's cache folder (its parses, its social cards) is under PATH too."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    site = tmp_path / "site"
    conf = write_site(site, files, STATIC_PATHS=[""])
    (site / "images").mkdir()
    (site / "images" / "map.png").write_bytes(PIXEL)
    ingest(conf)
    for name in ("out", "again"):  # the second with a cache folder full from the first
        done = pelican(conf, tmp_path / name)
        assert done.returncode == 0, done.stderr
    assert (site / ".cache" / "gazette").is_dir()
    assert (tmp_path / "again" / "images" / "map.png").read_bytes() == PIXEL
    assert not (tmp_path / "again" / ".cache").exists()


def test_a_development_build_that_turned_feeds_off_is_not_warned_about_feeds(tmp_path):
    """pelican-quickstart's development settings have no SITEURL and set every feed to None
    ("feed generation is usually not desired when developing"): stock Pelican builds them
    without a warning, and so does Gazette. A site that asks for a feed with no SITEURL to
    make its links is still warned (by Pelican itself, as without Gazette)."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    said = {}
    for name, feed in (("off", None), ("asked", "feeds/all.atom.xml")):
        conf = write_site(tmp_path / name, files, SITEURL="", FEED_ALL_ATOM=feed)
        ingest(conf)
        done = pelican(conf, tmp_path / name / "out", "--fatal", "warnings")
        said[name] = done
    assert said["off"].returncode == 0, said["off"].stdout + said["off"].stderr
    assert (tmp_path / "off" / "out" / "index.html").exists()
    assert said["asked"].returncode != 0
    assert "without SITEURL" in said["asked"].stdout + said["asked"].stderr


FUTURE_RAW = (
    "Date: 2099-02-02\n\nTalks set to resume next century\n\n"
    "GENEVA (Reuters) - Talks will resume, officials said.\n"
)
FUTURE_POST = "Title: Notes from the future\nDate: 2099-01-01\nCategory: World\n\nNot yet.\n"


def test_a_story_dated_in_the_future_is_a_draft_when_future_dates_are_off(tmp_path):
    """With WITH_FUTURE_DATES = False Pelican makes an article dated after the build a
    draft, but only after the content_object_init signal: Gazette had fixed its URL by
    then, and the draft was written at its public URL."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "notes/future.md": FUTURE_POST}
    files["future.txt"] = FUTURE_RAW
    done, out = build(tmp_path, files, WITH_FUTURE_DATES=False)
    assert done.returncode == 0, done.stdout + done.stderr
    drafts = sorted(p.name for p in (out / "drafts").iterdir())
    assert drafts == ["notes-from-the-future.html", "talks-set-to-resume-next-century.html"]
    assert not (out / "2099").exists()
    feed = (out / "feeds" / "all.atom.xml").read_text()
    assert "Talks set to resume" not in feed and "Notes from the future" not in feed


def test_a_raw_story_drafted_for_its_date_is_in_the_report_not_lost(tmp_path):
    """The build report called such a raw story lost ("read but Pelican did not publish
    it"), an error that stops a strict build; it is a draft, at its draft URL."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "future.txt": FUTURE_RAW}
    done, out = build(tmp_path, files, "--fatal", "errors", WITH_FUTURE_DATES=False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((out / "build-report.json").read_text())
    future = next(f for f in report["files"] if f["source"] == "seeds/future.txt")
    assert future["status"] == "draft"
    assert future["url"].endswith("/drafts/talks-set-to-resume-next-century.html")


def test_a_build_without_an_absolute_siteurl_writes_no_sitemap(tmp_path):
    """The sitemaps protocol and robots.txt's Sitemap line take absolute URLs only; with
    pelican-quickstart's development SITEURL ("") every <loc> was a bare path."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    done, out = build(tmp_path, files, SITEURL="", RELATIVE_URLS=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "index.html").exists()
    assert not [p.name for p in out.iterdir() if "sitemap" in p.name or p.name == "robots.txt"]


def test_a_pelican_html_page_is_published_when_the_articles_are_the_whole_content(tmp_path):
    """pelican-quickstart's article paths are the whole content folder, pages/ taken out by
    ARTICLE_EXCLUDES: a page in Pelican's own HTML format there was taken for a saved
    article page the walk had declined, and skipped without a word."""
    page = (
        '<html><head><title>Contact us</title><meta name="summary" content="Reach us">'
        "</head><body><p>Write to the editor.</p></body></html>\n"
    )
    site = tmp_path / "site"
    conf = write_site(site, {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}, ARTICLE_PATHS=[""])
    (site / "content" / "pages" / "contact.html").write_text(page)
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Write to the editor." in (tmp_path / "out" / "contact-us" / "index.html").read_text()
    assert (tmp_path / "out" / STORY_DIR / "index.html").exists()


def test_a_theme_without_gazettes_templates_builds_with_fatal_warnings(tmp_path):
    """Pelican's default theme lacks Gazette's edition and search templates; the build uses
    Gazette's fallbacks and says so, as news, not as a warning that stops
    ``--fatal warnings`` (stock Pelican builds the same site without one)."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    paginated = {"index": None, "tag": None, "category": None, "author": None}  # Pelican's
    done, out = build(
        tmp_path, files, "--fatal", "warnings", THEME="notmyidea", PAGINATED_TEMPLATES=paginated
    )
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join(done.stdout.split())
    assert "notmyidea has no edition.html, edition_section.html, search.html" in said
    assert (out / "2021" / "08" / "10" / "index.html").exists()


def test_the_archives_are_oldest_first_when_the_site_asks(tmp_path):
    """NEWEST_FIRST_ARCHIVES = False: Pelican's ``dates`` (the archives page's list, and a
    section's or topic's) are oldest first; the digest's newest-first order had replaced it."""
    post = "Title: An older note\nDate: 2021-08-01\nCategory: World\n\nOlder.\n"
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes(), "notes/older.md": post}
    paginated = {"index": None, "tag": None, "category": None, "author": None}  # Pelican's
    done, out = build(
        tmp_path,
        files,
        THEME="notmyidea",
        PAGINATED_TEMPLATES=paginated,
        NEWEST_FIRST_ARCHIVES=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    archives = (out / "archive" / "index.html").read_text()
    assert archives.index("An older note") < archives.index("US signals no change")


def test_day_archives_where_the_editions_are_stop_the_build_with_a_message(tmp_path):
    """Pelican's day archives at the editions' file names failed on each day's second write
    with a traceback (FileOverwriteFailedError); the build now stops at once naming both."""
    files = {"000_63138d52634a9ea7.txt": SAMPLE.read_bytes()}
    day = "{date:%Y}/{date:%m}/{date:%d}/index.html"
    done, _ = build(tmp_path, files, DAY_ARCHIVE_SAVE_AS=day)
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0
    assert "DAY_ARCHIVE_SAVE_AS" in said and "GAZETTE_EDITION_SAVE_AS" in said
    assert "FileOverwriteFailedError" not in said
    done, out = build(tmp_path / "other", files, DAY_ARCHIVE_SAVE_AS="posts/" + day)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "posts" / "2021" / "08" / "10" / "index.html").exists()


def test_a_site_of_hand_written_articles_only_has_its_build_report(tmp_path):
    """The catalog is made when the first raw file is read: a site with none (a Pelican
    blog trying Gazette) had no build report and no summary line."""
    post = "Title: A note by hand\nDate: 2021-08-09\nCategory: World\n\nBy hand.\n"
    done, out = build(tmp_path, {"notes/by-hand.md": post})
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((out / "build-report.json").read_text())
    assert report["raw_files"] == 0 and report["files"] == []
    assert "seeds/notes/by-hand.md" in [f["source"] for f in report["ignored_files"]]
    assert "gazette: 0 raw files" in done.stdout
