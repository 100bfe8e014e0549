"""The catalog of a warm build (the dev server's): what it carries from the last build
(each file's outcome by its stamp, the walk, the site-wide decisions) gives, after any
change, the catalog a cold build makes, and an unchanged file is neither read nor made
anew."""

import os
import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from helpers import SAMPLE
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog, ledger, settle, topics
from pelican.plugins.gazette.ingest.story import Story
from pelican.plugins.gazette.machinery import parsecache, reuse


class Memos:
    """The warm build's memos (machinery/reuse.py's Carried), stepped on by each build."""

    def __init__(self):
        self.memos = {}

    def __call__(self, name):
        return self.memos.setdefault(name, reuse.Carried(active=True))

    def next_build(self):
        for memo in self.memos.values():
            memo.last, memo.next = memo.next, {}


@pytest.fixture
def later(monkeypatch):
    """Builds run well after the files were written: their stamps vouch for them."""
    real = catalog.time.time_ns
    monkeypatch.setattr(catalog.time, "time_ns", lambda: real() + 10 * 10**9)


def write(tmp_path, files: dict) -> None:
    for name, data in files.items():
        path = tmp_path / "seeds" / name
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


def cold(tmp_path, entries=None, require_ledger=False):
    config = settings.resolve({"PATH": str(tmp_path), "GAZETTE_CACHE_PATH": ""})
    return catalog.build(config, entries=entries or {}, require_ledger=require_ledger)


def warm(tmp_path, memos, entries=None, require_ledger=False):
    config = settings.resolve({"PATH": str(tmp_path)})
    cache = parsecache.ParseCache.load(config)
    built = catalog.build(
        config,
        entries=entries or {},
        require_ledger=require_ledger,
        reuse=catalog.Reuse(cache=cache, memo=memos),
    )
    memos.next_build()
    return built


DAY = datetime(2021, 8, 9, 6, tzinfo=UTC)


def story(title: str, body: str, topics_line: str = "", date: str = "2021-08-09") -> str:
    head = f"Date: {date}\nSection: World\n" + (f"Topics: {topics_line}\n" if topics_line else "")
    return f"{head}\n{title}\n\n{body}\n"


START = {
    "a.txt": story("Storm hits coast", "The first storm story.", "Storms, Dover"),
    "b.txt": story("Storm hits coast", "Another storm story.", "storms", "2021-08-10"),
    "c.txt": story("Markets fall", "Shares fell in London.", "Markets, London"),
    "d/e.txt": SAMPLE.read_bytes(),
    "d/empty.txt": "",
}
STEPS = [
    ("unchanged", {}),
    ("added", {"f.txt": story("Markets rise", "Shares rose in Paris.", "markets, Paris")}),
    ("a duplicate", {"d/copy.txt": START["c.txt"] + "\n\n"}),
    ("the first of two copies gone", {"c.txt": None}),
    ("edited", {"a.txt": story("Storm hits coast", "The storm hit Dover.", "Storms, Dover")}),
    (
        "the majority spelling turns",
        {"g.txt": story("Rain", "Wet.", "storms"), "h.txt": story("Hail", "Icy.", "storms")},
    ),
    ("a slug shared no more", {"b.txt": story("Storm leaves coast", "Calm again.", "storms")}),
    ("now a rejection", {"f.txt": ""}),
    ("deleted", {"d/e.txt": None, "g.txt": None}),
]


def test_each_warm_catalog_is_the_one_a_cold_build_makes(tmp_path):
    write(tmp_path, START)
    memos = Memos()
    for step, change in STEPS:
        write(tmp_path, change)
        assert warm(tmp_path, memos).outcomes == cold(tmp_path).outcomes, step


def test_each_warm_catalog_is_the_cold_one_when_the_stamps_vouch_for_the_files(tmp_path, later):
    test_each_warm_catalog_is_the_one_a_cold_build_makes(tmp_path)


def test_a_new_ledger_entry_changes_the_outcome_of_the_same_bytes(tmp_path, later):
    write(tmp_path, START)
    memos = Memos()
    before = warm(tmp_path, memos, require_ledger=True)
    assert before.by_source["seeds/a.txt"].status == "rejected"  # not in the ledger yet
    entries = {}
    for record in ledger.records_for(entries, {"seeds/a.txt": "x"}, DAY, "example.org"):
        ledger.apply(entries, record)
    after = warm(tmp_path, memos, entries=entries, require_ledger=True)
    assert after.by_source["seeds/a.txt"].status == "published"
    assert after.outcomes == cold(tmp_path, entries, require_ledger=True).outcomes


def test_an_unchanged_file_is_not_read_again_nor_its_story_made_anew(tmp_path, later, monkeypatch):
    write(tmp_path, START)
    memos = Memos()
    first = warm(tmp_path, memos)
    calls = Counter()

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(catalog, "read_or_reason", counted("read", catalog.read_or_reason))
    monkeypatch.setattr(catalog, "outcome_of", counted("made", catalog.outcome_of))
    second = warm(tmp_path, memos)
    assert calls == {}
    assert all(a is b for a, b in zip(first.outcomes, second.outcomes, strict=True))
    write(tmp_path, {"a.txt": story("Storm hits coast", "The storm hit Dover.", "Storms")})
    third = warm(tmp_path, memos)
    assert calls == {"read": 1, "made": 1}
    same = [o for o in third.outcomes if o.source not in ("seeds/a.txt",)]
    assert all(o is second.by_source[o.source] for o in same)


def test_a_file_changed_just_before_it_was_read_is_read_again(tmp_path, monkeypatch):
    write(tmp_path, {"a.txt": START["a.txt"]})
    memos = Memos()
    warm(tmp_path, memos)  # within the file system clock's tick of the write: no stamp kept
    reads = []
    real = catalog.read_or_reason
    monkeypatch.setattr(catalog, "read_or_reason", lambda *a: reads.append(a) or real(*a))
    warm(tmp_path, memos)
    assert len(reads) == 1


def test_times_settle_once_the_file_system_clock_has_ticked_past_them():
    fine, whole = 1_700_000_000_123_456_789, 1_700_000_000_000_000_000
    assert not catalog.settled((fine,), fine + 50_000_000)  # 50 ms: the same tick, maybe
    assert catalog.settled((fine,), fine + 500_000_000)
    assert not catalog.settled((whole,), whole + 1_500_000_000)  # whole seconds: two of them
    assert catalog.settled((whole,), whole + 3_000_000_000)
    assert not catalog.settled((whole - 5 * 10**9, fine), fine + 50_000_000)  # every time


def test_a_walk_again_lists_no_folder_while_none_changed(tmp_path, later, monkeypatch):
    write(tmp_path, START)
    config = settings.resolve({"PATH": str(tmp_path)})
    first = catalog.site_files(config)
    listed = []
    real = os.scandir
    monkeypatch.setattr(catalog.os, "scandir", lambda path: listed.append(path) or real(path))
    assert catalog.site_files(config) == first and listed == []
    write(tmp_path, {"d/new.txt": "New\n\nText.\n"})
    again = catalog.site_files(config)
    assert ("seeds/d/new.txt", "seeds") in again.files and len(listed) == 2
    again.files.clear()  # a caller's copy
    assert ("seeds/d/new.txt", "seeds") in catalog.site_files(config).files


def test_a_folder_changed_just_before_the_walk_is_listed_again(tmp_path, monkeypatch):
    write(tmp_path, START)
    config = settings.resolve({"PATH": str(tmp_path)})
    catalog.site_files(config)  # within the clock's tick of the writes: nothing kept
    listed = []
    real = os.scandir
    monkeypatch.setattr(catalog.os, "scandir", lambda path: listed.append(path) or real(path))
    catalog.site_files(config)
    assert len(listed) == 2


def test_carried_site_wide_decisions_are_those_made_from_nothing():
    """Random sites changed at random, story by story: the decisions kept from build to
    build are those made afresh, and the spellings those topics.canonical_spellings picks."""
    rng = random.Random(19)
    spellings = ["Storms", "storms", "Storm", "EU", "E.U.", "eu", "Paris", "paris", "Tax", "Taxes"]
    slugs = ["storm", "paris", "", "tax", "tax-1"]

    def outcome(source):
        topics_of = tuple(dict.fromkeys(rng.sample(spellings, rng.randint(0, 3))))
        made = Story(
            source=source,
            title="t",
            slug=rng.choice(slugs),
            id=None,
            date=datetime(2021, 8, rng.randint(1, 28), tzinfo=UTC),
            modified=None,
            date_source="header",
            section="World",
            topics=topics_of,
            summary="",
            paragraphs=(),
        )
        return catalog.Outcome(source, catalog.PUBLISHED, story=made)

    site = {f"s/{n:02}.txt": outcome(f"s/{n:02}.txt") for n in range(30)}
    kept = settle.Decisions()
    for _ in range(60):
        for _ in range(rng.randint(1, 4)):
            source = f"s/{rng.randrange(40):02}.txt"
            if source in site and rng.random() < 0.3:
                del site[source]
            else:
                site[source] = outcome(source)
        outcomes = [site[s] for s in sorted(site)]
        decided = kept.decide(list(outcomes))
        assert decided == settle.Decisions().decide(list(outcomes))
        expected = topics.canonical_spellings(o.story.topics for o in outcomes)
        assert kept.spelling == expected
        assert len({o.story.slug for o in decided}) == len(decided)


def test_the_parse_cache_s_entries_are_read_only_for_bytes_it_may_hold(
    tmp_path, later, monkeypatch
):
    many = {f"more/{n:02}.txt": story(f"Story {n}", f"The text of story {n}.") for n in range(24)}
    write(tmp_path, {**START, **many})  # enough that one new entry goes to the journal
    memos = Memos()
    warm(tmp_path, memos)
    reads = []
    real = parsecache._read_entries
    monkeypatch.setattr(parsecache, "_read_entries", lambda *a: reads.append(a) or real(*a))
    write(tmp_path, {"new.txt": story("A new story", "Never seen before.")})
    with_new = warm(tmp_path, memos)  # the others known unread, the new bytes not in the cache
    assert reads == [] and with_new.by_source["seeds/new.txt"].status == "published"
    write(tmp_path, {"copy.txt": START["c.txt"]})  # bytes the cache holds: it is read
    assert warm(tmp_path, memos).by_source["seeds/copy.txt"].status == "duplicate"
    assert len(reads) == 1


def test_a_cache_file_replaced_before_its_entries_are_read_is_not_read(tmp_path):
    write(tmp_path, START)
    config = settings.resolve({"PATH": str(tmp_path)})
    catalog.build(config, entries={}, require_ledger=False, reuse=parsecache.reuse_for(config))
    cache = parsecache.ParseCache.load(config)  # its keys only, so far
    path = tmp_path / ".cache" / "gazette" / parsecache.CACHE_FILE
    replaced = path.with_name("other")
    replaced.write_bytes(path.read_bytes())
    os.replace(replaced, path)  # another build's file now, of any version
    assert cache.entries == {}  # its entries are never taken for this one's
