"""Ingestion at scale on real third-party news data, read from ../shared/corpora at run time.

Skipped, with a message, when the corpora are not there. Nothing from them is
copied into the repository: raw files are made in temporary folders.
"""

import hashlib
import html
import random
import re
import shutil
from collections import defaultdict

import pytest

from corpora import (
    BBC,
    CORPORA,
    bbc_files,
    isot_stories,
    news_summary_stories,
    normalise_ws,
    require,
    reuters_stories,
    wire_raw_file,
)
from helpers import ingest, pelican, write_site
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog, topics
from pelican.plugins.gazette.ingest.agencies import AGENCY_NAMES
from pelican.plugins.gazette.ingest.raw import RawStory, parse
from pelican.plugins.gazette.ingest.story import summarise

pytestmark = pytest.mark.corpus
CONFIG = settings.resolve({})


@pytest.fixture(scope="module")
def bbc_catalog():
    require(BBC)
    config = settings.resolve({"PATH": str(CORPORA), "ARTICLE_PATHS": ["bbc-news"]})
    return catalog.build(config, require_ledger=False)


def test_bbc_every_file_is_published_or_a_duplicate(bbc_catalog):
    assert len(bbc_catalog.outcomes) == 2225
    rejected = [(o.source, o.reason) for o in bbc_catalog.outcomes if o.status == "rejected"]
    assert rejected == []
    counts = bbc_catalog.counts()
    assert counts["published"] + counts["duplicate"] == 2225


def test_bbc_duplicates_are_the_same_text(bbc_catalog):
    """98 pairs are byte-identical; two more differ only in white space (spaces at line ends)."""
    groups = defaultdict(list)
    for path in bbc_files():
        groups[hashlib.sha256(path.read_bytes()).digest()].append(path)
    for paths in groups.values():
        statuses = [
            bbc_catalog.by_source[f"bbc-news/{p.relative_to(BBC).as_posix()}"].status for p in paths
        ]
        assert statuses.count("duplicate") >= len(paths) - 1
    identical = sum(len(paths) - 1 for paths in groups.values())
    duplicates = [o for o in bbc_catalog.outcomes if o.status == "duplicate"]
    assert len(duplicates) == identical + 2
    for outcome in duplicates:
        original = outcome.reason.removeprefix("duplicate of ")
        texts = [
            (CORPORA / name).read_text("utf-8", "replace") for name in (outcome.source, original)
        ]
        assert normalise_ws(texts[0]) == normalise_ws(texts[1])


def test_bbc_headline_is_the_first_line_and_no_dateline_is_invented():
    invented = []
    for path in bbc_files():
        data = path.read_bytes()
        raw = parse(data, path.name, CONFIG.junk)
        assert isinstance(raw, RawStory), (path, raw)
        first_line = data.decode("utf-8", "replace").splitlines()[0]
        # A few headlines carry a scraped character reference ("&#163;1.8m"): decoded.
        assert raw.title == " ".join(html.unescape(first_line).split()), path
        if raw.dateline:
            invented.append((path.relative_to(BBC).as_posix(), raw.dateline))
    assert invented == []


def test_bbc_latin1_file_is_decoded_with_a_warning(bbc_catalog):
    outcome = bbc_catalog.by_source["bbc-news/sport/199.txt"]
    assert outcome.status == "published"
    assert "£" in outcome.story.body_text
    assert any("cp1252" in w for w in outcome.warnings)


def test_bbc_sections_come_from_folders(bbc_catalog):
    sections = {s.section for s in bbc_catalog.stories()}
    assert sections == {"Business", "Entertainment", "Politics", "Sport", "Tech"}
    assert all(3 <= len(s.topics) <= 8 for s in bbc_catalog.stories())


@pytest.fixture(scope="module")
def reuters_scores():
    rng = random.Random(21578)
    scores = defaultdict(int)
    misses = defaultdict(list)
    for wire in reuters_stories():
        raw = parse(wire_raw_file(wire, rng).encode(), wire.newid, CONFIG.junk)
        assert isinstance(raw, RawStory), (wire.newid, raw)
        scores["stories"] += 1
        checks = {
            "headline": raw.title == wire.title,
            "dateline": raw.dateline == wire.dateline,
            "trailer": not any(w.lower() == "reuter" for w in raw.body_text.split()[-1:]),
            "body": normalise_ws(raw.body_text) == normalise_ws(wire.body),
        }
        if wire.author:
            scores["bylines"] += 1
            expected = wire.author.split(None, 1)[1]  # without "By"
            checks["byline"] = raw.byline == expected
        for name, ok in checks.items():
            scores[name] += ok
            if not ok:
                misses[name].append(wire.newid)
    return scores, misses


@pytest.mark.parametrize(
    ("field", "least"),
    [("headline", 0.995), ("dateline", 0.98), ("body", 0.98), ("trailer", 1.0)],
)
def test_reuters_scores(reuters_scores, field, least):
    scores, misses = reuters_scores
    share = scores[field] / scores["stories"]
    print(f"reuters {field}: {scores[field]}/{scores['stories']} = {share:.4f}")
    assert share >= least, misses[field][:20]


def test_reuters_bylines(reuters_scores):
    scores, misses = reuters_scores
    assert scores["bylines"] > 100
    assert scores["byline"] / scores["bylines"] >= 0.98, misses["byline"][:20]


def test_the_whole_bbc_corpus_builds_as_a_site(tmp_path):
    require(BBC)
    conf = write_site(tmp_path, {})
    for folder in sorted(p for p in BBC.iterdir() if p.is_dir()):
        shutil.copytree(folder, tmp_path / "seeds" / folder.name)
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "ERROR" not in log and "Could not process" not in log
    assert "2225 raw files: 2125 published, 100 duplicates, 0 rejected" in log
    out = tmp_path / "out"
    sections = {p.name for p in (out / "section").iterdir() if p.is_dir()}
    pages = [p for p in out.glob("[0-9]*/*/*/*/index.html") if p.parent.name not in sections]
    assert len(pages) == 2125
    # Undated: every story on its ingest day. The build says why, once.
    said = " ".join(log.split())
    assert said.count("only because that is when they were first ingested") == 1
    # The day's edition stays small: each section's top stories, the rest on day lists.
    front = (out / "index.html").stat().st_size
    print(f"bbc undated front page: {front:,} bytes")
    assert front <= 150_000
    for day_list in sections:
        assert (out / "2021" / "08" / "10" / day_list / "index.html").exists()
    archives = list((out / "feeds" / "archive").glob("*.atom.xml"))
    assert len(archives) > 1 and max(p.stat().st_size for p in archives) < 5_000_000


# A summary that ends at one of these has been cut after an abbreviation, not a sentence.
_ABBREVIATION_END = re.compile(
    r"\b(?:U\.S|U\.N|U\.K|Rep|Sen|Gen|Gov|Mr|Mrs|Ms|Dr|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|Inc|Corp"
    r"|Co|St|Lt|Col|Jr)\.$"
)


def _parsed(stories):
    parsed = []
    for site in stories:
        raw = parse(site.raw_file().encode(), site.name, CONFIG.junk)
        assert isinstance(raw, RawStory), (site.name, raw)
        parsed.append((site, raw))
    return parsed


@pytest.fixture(scope="module")
def isot():
    return _parsed(isot_stories())


@pytest.fixture(scope="module")
def news_summary():
    return _parsed(news_summary_stories())


# "By Jane Doe WASHINGTON (Reuters) - ", "(In Dec. 25 story, … corrects …) (Reuters) - "
_ISOT_OPENING = re.compile(
    r"(?P<notes>(?:\([^()]*\)\s*)*)(?:By (?P<byline>[^()]+?)\s+)??"
    r"(?P<place>[A-Z][A-Z .,/'’-]*(?:,\s[A-Z][\w. ]+)?(?:/[A-Z .]+)?)?"
    r"\s?\((?P<agency>Reuters|[A-Z/]+)\) - "
)


def test_isot_every_story_is_published_with_its_agency_and_place(isot):
    assert len(isot) == 514
    tagged = placed = place_ok = agency_ok = 0
    for site, raw in isot:
        found = _ISOT_OPENING.match(site.text)
        if not found:
            assert raw.agency is None, site.name  # the Twitter digests: no dateline at all
            continue
        tagged += 1
        agency_ok += raw.agency == found["agency"]
        if found["place"] and not found["place"].startswith("By "):
            placed += 1
            place_ok += (raw.place or "").rstrip() == found["place"].strip()
        assert not raw.paragraphs[0].lstrip().startswith(("(", "By ")), site.name
        assert "(Reuters) -" not in raw.paragraphs[0][:200], site.name
    print(f"isot: {tagged} agency datelines, {placed} with a place; {agency_ok}, {place_ok} right")
    assert tagged >= 500 and agency_ok == tagged
    assert placed >= 450 and place_ok / placed >= 0.99


def test_isot_copy_scraped_without_its_title_opens_with_its_lede(isot):
    """The same rows with no title line: each is still a story, with the same dateline,
    agency and body, the lede's first words as its headline; with their titles, none is
    taken for a lede (nor in any other corpus, test_every_corpus_keeps_its_headlines)."""
    for site, titled in isot:
        raw = parse(f"{site.text}\n".encode(), site.name, CONFIG.junk)
        assert isinstance(raw, RawStory), (site.name, raw)
        assert (raw.agency, raw.place, raw.byline) == (titled.agency, titled.place, titled.byline)
        assert raw.paragraphs == titled.paragraphs, site.name
        assert raw.title == " ".join(raw.paragraphs[0].split()[:12]), site.name
        assert not any("no headline" in warning for warning in titled.warnings), site.name


def test_every_corpus_keeps_its_headlines(news_summary):
    """No titled file of any corpus is taken for one that opens with its lede."""
    rng = random.Random(3)
    files = [path.read_bytes() for path in bbc_files()]
    files += [wire_raw_file(story, rng).encode() for story in reuters_stories()]
    parsed = [parse(data, "seeds/x.txt", CONFIG.junk) for data in files]
    parsed += [raw for _, raw in news_summary]
    headless = [raw.source for raw in parsed if any("no headline" in w for w in raw.warnings)]
    assert len(parsed) > 5000 and headless == []


def test_isot_bylines_and_corrections_are_kept_apart(isot):
    bylines = [(s.name, raw.byline) for s, raw in isot if raw.byline]
    corrections = [s.name for s, raw in isot if raw.corrections]
    expected_corrections = [s.name for s, _ in isot if re.match(r"\s*\([^()]*correct", s.text)]
    assert len(bylines) >= 5 and all(not b.startswith(("Tuesday", "CBO")) for _, b in bylines)
    assert set(expected_corrections) <= set(corrections) and len(corrections) >= 6
    assert sum(bool(raw.credits) for _, raw in isot) >= 1


@pytest.mark.parametrize("source", ["isot", "news_summary"])
def test_summaries_never_end_at_an_abbreviation(source, request):
    parsed = request.getfixturevalue(source)
    wrong = []
    for site, raw in parsed:
        summary = summarise(raw.paragraphs[0], CONFIG.summary_max_chars)
        if _ABBREVIATION_END.search(summary):
            wrong.append((site.name, summary[-40:]))
        rest = raw.paragraphs[0][len(summary) :].lstrip()
        if summary.endswith("?") and rest[:1].islower():
            wrong.append((site.name, summary[-40:]))  # "said his son ?got justice?" and …
    assert wrong == []


@pytest.fixture(scope="module")
def isot_topics(isot):
    return [(site, raw, topics.extract(raw.title, raw.paragraphs)) for site, raw in isot]


@pytest.fixture(scope="module")
def news_summary_topics(news_summary):
    return [(site, raw, topics.extract(raw.title, raw.paragraphs)) for site, raw in news_summary]


@pytest.mark.parametrize("source", ["isot_topics", "news_summary_topics"])
def test_agencies_are_never_topics(source, request):
    for site, _, found in request.getfixturevalue(source):
        assert not {t.lower() for t in found} & AGENCY_NAMES, (site.name, found)


def _letters(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def test_news_summary_the_publisher_is_never_a_topic(news_summary_topics):
    """hindustantimes.com's stories say "told Hindustan Times": the site, not a topic."""
    checked = 0
    for site, _, found in news_summary_topics:
        host = re.match(r"https?://(?:www\.)?([^/]+)", site.url)
        publisher = host[1].split(".")[0].removeprefix("the") if host else ""
        if not publisher:
            continue
        checked += 1
        for topic in found:
            assert _letters(topic).removeprefix("the") != publisher, (site.name, found)
    assert checked >= 240


# A newspaper quoted as a source: "told the Washington Post", "according to India Today".
_QUOTED_PAPER = re.compile(
    r"(?:told|according to|reported by|in an interview with|said in) (?:the )?"
    r"((?:[A-Z][a-z]+ )+(?:Times|Post|News|Journal|Today|Mirror|Chronicle|Express))\b"
)


@pytest.mark.parametrize(("source", "least"), [("isot_topics", 10), ("news_summary_topics", 5)])
def test_newspapers_quoted_as_sources_are_not_topics(source, least, request):
    quoted = 0
    for site, _, found in request.getfixturevalue(source):
        papers = {m[1] for m in _QUOTED_PAPER.finditer(site.text)}
        quoted += bool(papers)
        assert not papers & set(found), (site.name, papers & set(found))
    assert quoted >= least


# "House Ways and Means Committee", "Securities and Exchange Commission": one body.
_BODY_WITH_AND = re.compile(
    r"\b[A-Z][a-z]+ and ((?:[A-Z][a-z]+ )+(?:Committee|Commission|Authority|Services|Council))\b"
)


@pytest.mark.parametrize(("source", "least"), [("isot_topics", 10), ("news_summary_topics", 4)])
def test_bodies_with_and_in_their_name_stay_whole(source, least, request):
    seen = 0
    for site, _, found in request.getfixturevalue(source):
        for match in _BODY_WITH_AND.finditer(site.text):
            seen += 1
            right = match[1]
            alone = [t for t in found if t == right]  # "Means Committee", "Exchange Commission"
            assert not alone, (site.name, match[0], found)
    assert seen >= least


@pytest.mark.parametrize("source", ["isot_topics", "news_summary_topics"])
def test_handles_hashtags_and_lost_apostrophes_make_no_topics(source, request):
    from pelican.plugins.gazette.ingest.places import is_qualifier

    for site, _, found in request.getfixturevalue(source):
        handles = set(re.findall(r"@(\w+)", site.text))
        for topic in found:
            words = topic.split()
            assert not handles & set(words), (site.name, topic)  # "TWooodley In Sultan"
            # "Pakistans National Accountability Bureau", "Indias Silicon Valley"
            assert not any(w.endswith("s") and is_qualifier(w[:-1]) for w in words), topic
            # "Hoshang Sethnas" beside the name it is a possessive of
            assert not (words[-1].endswith("s") and topic[:-1] in found), (site.name, topic)


_PTI_DATELINE = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:By [A-Z][\w ]+? )?(?P<place>New Delhi|[A-Z][a-z]+), "
    r"[A-Z][a-z]{2} \d{1,2} \((?P<agency>PTI|IANS|ANI)\) "
)
# Junk the site puts into its text, with its line breaks lost.
_SITE_JUNK = re.compile(
    r"Follow @\w+ for more|A post shared by|pic\.twitter\.com/|ALSO READ|Also Read:|Read more:"
    r"|\((?:HT|AP|PTI) Photo\)|\(With agency inputs\)|\bENDS\b"
)


def test_news_summary_agency_datelines_without_a_dash(news_summary):
    assert len(news_summary) == 248
    expected = [(s, raw) for s, raw in news_summary if _PTI_DATELINE.match(s.text)]
    assert len(expected) >= 20
    for site, raw in expected:
        found = _PTI_DATELINE.match(site.text)
        assert (raw.place, raw.agency) == (found["place"], found["agency"]), site.name
        assert not raw.paragraphs[0].startswith("("), site.name
    others = [s.name for s, raw in news_summary if raw.dateline and (s, raw) not in expected]
    assert others == []


def test_news_summary_site_junk_is_taken_off_and_nothing_else(news_summary):
    had = sum(bool(_SITE_JUNK.search(s.text)) for s, _ in news_summary)
    left = [(s.name, m[0]) for s, raw in news_summary for m in _SITE_JUNK.finditer(raw.body_text)]
    removed_words = sum(len(" ".join(raw.removed).split()) for _, raw in news_summary)
    words = sum(len(s.text.split()) for s, _ in news_summary)
    print(
        f"news-summary: junk in {had} stories, {len(left)} left; {removed_words}/{words} words off"
    )
    assert had >= 55 and left == []
    assert removed_words / words <= 0.03
    for _, raw in news_summary:
        for item in raw.removed:
            assert len(item) <= 400, item  # a link's text or a caption, never paragraphs
