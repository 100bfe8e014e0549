"""Ingestion at scale on real third-party news data, read from ../shared/corpora at run time.

Skipped, with a message, when the corpora are not there. Nothing from them is
copied into the repository: raw files are made in temporary folders.
"""

import hashlib
import html
import random
import shutil
from collections import defaultdict

import pytest

from corpora import BBC, CORPORA, bbc_files, normalise_ws, require, reuters_stories, wire_raw_file
from helpers import ingest, pelican, write_site
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog
from pelican.plugins.gazette.ingest.raw import RawStory, parse

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
    assert len(list((tmp_path / "out").glob("[0-9]*/*/*/*/index.html"))) == 2125
