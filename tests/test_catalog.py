"""Site-wide decisions: every raw file has one outcome; duplicates; unique slugs."""

import os
from pathlib import Path

from helpers import SAMPLE
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog, ledger
from pelican.plugins.gazette.machinery import parallel, parsecache


def build(tmp_path, files: dict, entries=None, require_ledger=False, **extra):
    for name, data in files.items():
        path = tmp_path / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    config = settings.resolve({"PATH": str(tmp_path), **extra})
    reuse = parsecache.reuse_for(config)
    return catalog.build(config, entries=entries or {}, require_ledger=require_ledger, reuse=reuse)


def test_every_file_has_exactly_one_outcome(tmp_path):
    files = {
        "a-sample.txt": SAMPLE.read_bytes(),
        "empty.txt": b"",
        "blank.txt": b"  \n \n",
        "binary.txt": b"\x00\x01\x02",
        "headline.txt": b"Just a headline\n",
        "b-sample-crlf.txt": SAMPLE.read_bytes().replace(b"\n", b"\r\n"),
        "world/nested.txt": "Other story\n\nWith text.\n",
        "notes.md": "not a raw file",
    }
    built = build(tmp_path, files)
    assert len(built.outcomes) == 7  # every .txt, and nothing else
    by_source = {o.source: o for o in built.outcomes}
    assert by_source["seeds/a-sample.txt"].status == "published"
    # The same text with other line ends is the same story: the first file in order wins.
    assert by_source["seeds/b-sample-crlf.txt"].status == "duplicate"
    assert by_source["seeds/b-sample-crlf.txt"].reason == "duplicate of seeds/a-sample.txt"
    for name in ("empty", "blank", "binary", "headline"):
        outcome = by_source[f"seeds/{name}.txt"]
        assert outcome.status == "rejected" and outcome.reason
    assert by_source["seeds/world/nested.txt"].story.section == "World"
    assert built.counts() == {"published": 2, "duplicate": 1, "rejected": 4}
    assert built.summary() == "7 raw files: 2 published, 1 duplicates, 4 rejected"


def test_same_content_in_two_files_is_one_story(tmp_path):
    text = "Same story\n\nSame text, word for word.\n"
    built = build(tmp_path, {"a.txt": text, "b.txt": text + "\n\n"})
    assert [o.status for o in built.outcomes] == ["published", "duplicate"]
    assert built.outcomes[1].reason == "duplicate of seeds/a.txt"


def test_same_headline_different_stories_get_distinct_stable_slugs(tmp_path):
    files = {
        "2021-08-09-a.txt": "Storm hits coast\n\nThe first storm story.\n",
        "2021-08-10-b.txt": "Storm hits coast\n\nA different storm story.\n",
        "2021-08-11-c.txt": "Storm hits coast\n\nA third one.\n",
    }
    built = build(tmp_path, files)
    slugs = [o.story.slug for o in built.outcomes]
    assert len(set(slugs)) == 3
    assert slugs[0] == "storm-hits-coast"  # the earliest keeps the plain slug
    assert all(s.startswith("storm-hits-coast-") for s in slugs[1:])
    again = build(tmp_path, {})
    assert [o.story.slug for o in again.outcomes] == slugs


def test_a_50_mb_file_is_rejected_unread(tmp_path):
    big = tmp_path / "seeds" / "big.txt"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as out:
        out.write(b"Headline\n\n")
        out.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    built = build(tmp_path, {"ok.txt": "Fine\n\nText.\n"})
    outcome = built.by_source["seeds/big.txt"]
    assert outcome.status == "rejected"
    assert "file too large (52,428,800 bytes" in outcome.reason
    assert built.by_source["seeds/ok.txt"].status == "published"


def test_builds_reject_stories_the_ledger_does_not_know(tmp_path):
    built = build(tmp_path, {"new.txt": "New\n\nText.\n"}, require_ledger=True)
    assert built.outcomes[0].status == "rejected"
    assert "gazette ingest" in built.outcomes[0].reason


def test_stories_the_ledger_knows_get_its_date_and_id(tmp_path):
    seen = "2021-08-10T06:00:00+00:00"
    path = tmp_path / "seeds" / "ledger.jsonl"
    path.parent.mkdir(parents=True)
    from datetime import datetime

    ledger.append(
        str(path),
        list(
            ledger.records_for(
                {}, {"seeds/new.txt": "x"}, datetime.fromisoformat(seen), "example.org"
            )
        ),
    )
    config = settings.resolve({"PATH": str(tmp_path)})
    (tmp_path / "seeds" / "new.txt").write_text("New\n\nText.\n")
    built = catalog.build(config, reuse=parsecache.reuse_for(config))
    story = built.outcomes[0].story
    assert story.date.isoformat() == seen
    assert story.id.startswith("tag:example.org,2021-08-10:story/")


def test_topic_spellings_agree_across_stories(tmp_path):
    files = {
        "a.txt": "Talks in Geneva\n\nThe Acme Corp board met Acme Corp lawyers in Geneva.\n",
        "b.txt": "More talks\n\nThe ACME CORP board met ACME CORP staff in Geneva again.\n",
    }
    built = build(tmp_path, files)
    topics = [set(o.story.topics) for o in built.outcomes]
    spelled = {t for ts in topics for t in ts if t.lower() == "acme corp"}
    assert len(spelled) == 1


def test_ignored_and_excluded_files_follow_pelican_rules(tmp_path):
    files = {"a.txt": "A\n\nText.\n", ".#a.txt": "lock\n\nfile\n", "drafts/b.txt": "B\n\nX.\n"}
    built = build(tmp_path, files, IGNORE_FILES=[".#*"], ARTICLE_EXCLUDES=["seeds/drafts"])
    assert [o.source for o in built.outcomes] == ["seeds/a.txt"]


def test_unreadable_file_is_a_rejection(tmp_path):
    if os.geteuid() == 0:
        # root reads anything; a dangling link is unreadable for everyone
        target = tmp_path / "seeds" / "gone.txt"
        target.parent.mkdir(parents=True)
        os.symlink(tmp_path / "missing", target)
    else:
        target = tmp_path / "seeds" / "gone.txt"
        target.parent.mkdir(parents=True)
        target.write_text("x")
        target.chmod(0)
    built = build(tmp_path, {})
    assert built.outcomes[0].status == "rejected"
    assert "cannot read" in built.outcomes[0].reason


def test_a_damaged_ledger_rejects_every_story_with_the_reason(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "ledger.jsonl").write_text("{broken\n")
    (tmp_path / "seeds" / "a.txt").write_text("A\n\nText.\n")
    built = catalog.build(settings.resolve({"PATH": str(tmp_path)}))
    [outcome] = built.outcomes
    assert outcome.status == "rejected"
    assert "the ledger is damaged" in outcome.reason and "line 1" in outcome.reason


def test_progress_shows_on_a_terminal_only_for_long_runs():
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown = Terminal()
    progress = catalog._Progress(2000, shown)
    for _ in range(2000):
        progress.step()
    progress.done()
    assert "read 1,000/2,000 raw files" in shown.getvalue()
    quiet = io.StringIO()  # not a terminal: a log file stays clean
    progress = catalog._Progress(2000, quiet)
    for _ in range(2000):
        progress.step()
    assert quiet.getvalue() == ""


# The cache of per-file work (GAZETTE_CACHE_PATH) ------------------------------------------

CACHED_FILES = {
    "a-sample.txt": SAMPLE.read_bytes(),
    "b-copy.txt": SAMPLE.read_bytes(),  # the same bytes under another name: a duplicate
    "empty.txt": b"",
    "story.txt": "Storm hits coast\n\nThe storm hit the coast of Kent on Monday.\nNext Story\n",
}


def count_calls(monkeypatch):
    """Count the parses and topic extractions the catalog does."""
    calls = {"parse": 0, "extract": 0}

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    parse = counted("parse", catalog.parse_file)
    monkeypatch.setattr(catalog, "parse_file", parse)  # the cache's work calls it there too
    monkeypatch.setattr(catalog.topics, "extract", counted("extract", catalog.topics.extract))
    return calls


def cache_file(tmp_path):
    return tmp_path / ".cache" / "gazette" / parsecache.CACHE_FILE


def stored_entries(tmp_path) -> dict:
    """The entries the cache file holds (after its keys)."""
    import marshal

    with open(cache_file(tmp_path), "rb") as stored:
        head = marshal.load(stored)
        entries = marshal.load(stored)
    assert set(entries) == {head["keys"][n : n + 32] for n in range(0, len(head["keys"]), 32)}
    return entries


def test_a_second_build_reuses_the_cache_and_gives_identical_outcomes(tmp_path, monkeypatch):
    first = build(tmp_path, CACHED_FILES)
    assert cache_file(tmp_path).exists()
    calls = count_calls(monkeypatch)
    second = build(tmp_path, {})
    assert calls == {"parse": 0, "extract": 0}
    uncached = build(tmp_path, {}, GAZETTE_CACHE_PATH="")
    assert calls["parse"] == len(CACHED_FILES)
    assert first.outcomes == second.outcomes == uncached.outcomes
    assert [o.status for o in second.outcomes] == [
        "published",
        "duplicate",
        "rejected",
        "published",
    ]


def test_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    build(tmp_path, CACHED_FILES)
    calls = count_calls(monkeypatch)
    edited = build(tmp_path, {"story.txt": "Storm hits coast\n\nThe storm hit Dover.\n"})
    assert calls == {"parse": 1, "extract": 1}
    assert edited.by_source["seeds/story.txt"].story.paragraphs == ("The storm hit Dover.",)


def test_a_damaged_cache_is_ignored(tmp_path, monkeypatch, caplog):
    expected = build(tmp_path, CACHED_FILES).outcomes
    cache_file(tmp_path).write_bytes(b"\x00not a cache")
    calls = count_calls(monkeypatch)
    assert build(tmp_path, {}).outcomes == expected
    assert calls["parse"] == 3  # each content once: two files are the same bytes
    assert "ignoring the unreadable cache" in caplog.text
    assert build(tmp_path, {}).outcomes == expected and calls["parse"] == 3


def test_a_changed_junk_pattern_invalidates_the_cache(tmp_path, monkeypatch):
    before = build(tmp_path, CACHED_FILES)
    assert before.by_source["seeds/story.txt"].story.removed == ("Next Story",)
    calls = count_calls(monkeypatch)
    after = build(tmp_path, {}, GAZETTE_JUNK_PATTERNS=[r"nothing like this"])
    assert calls["parse"] == 3
    assert after.by_source["seeds/story.txt"].story.removed == ()


def test_the_cache_forgets_files_that_are_gone(tmp_path):
    build(tmp_path, CACHED_FILES)
    (tmp_path / "seeds" / "story.txt").unlink()
    build(tmp_path, {})
    assert len(stored_entries(tmp_path)) == 2  # the sample (twice, one content), the empty file


def test_many_new_files_are_parsed_in_worker_processes_with_the_same_outcomes(
    tmp_path, monkeypatch
):
    """Enough uncached files start worker processes (parallel.MIN_ITEMS); the outcomes,
    duplicates and rejections included, are those of an in-process build. The gazetteer
    the workers are given (made apart, parallel.apart) is the one made here."""
    from pelican.plugins.gazette.ingest import places as gazetteer

    monkeypatch.setattr(gazetteer, "_names", None)  # as in a new process
    places = ["Kabul", "Paris", "Lagos", "Lima", "Oslo"]
    files = {
        f"world/story-{n:03}.txt": (
            f"Talks number {n} open in {places[n % 5]}\n\n"
            f"{places[n % 5]}: Delegates from Acme Holdings met Maria Lopez on day {n}.\n\n"
            f"The talks, the {n}th, went on late. Maria Lopez said Acme Holdings agreed.\n"
        )
        for n in range(parallel.MIN_ITEMS + 20)
    }
    files["world/copy.txt"] = files["world/story-007.txt"]
    files["world/empty.txt"] = ""
    in_workers = build(tmp_path, files, GAZETTE_PARSE_WORKERS=2)
    assert cache_file(tmp_path).exists()
    assert gazetteer.place_names() == gazetteer._gazetteer()
    in_process = build(tmp_path, {}, GAZETTE_PARSE_WORKERS=1, GAZETTE_CACHE_PATH="")
    cached = build(tmp_path, {}, GAZETTE_PARSE_WORKERS=2)
    assert in_workers.outcomes == in_process.outcomes == cached.outcomes
    assert in_workers.counts() == {"published": len(files) - 2, "duplicate": 1, "rejected": 1}
    assert "Maria Lopez" in in_workers.by_source["seeds/world/story-001.txt"].story.topics


def test_the_cache_keeps_the_gazetteer_for_the_next_process(tmp_path, monkeypatch):
    from pelican.plugins.gazette.ingest import places

    build(tmp_path, CACHED_FILES)  # parses a dateline: the gazetteer is made and saved
    monkeypatch.setattr(places, "_names", None)  # as in a new process
    parsecache.ParseCache.load(settings.resolve({"PATH": str(tmp_path)}))
    assert places.loaded()
    assert places.place_names() == places._gazetteer()
    assert places.is_place("Zürich") and not places.is_place("Next Story")


MANY = {f"story-{n:02}.txt": f"Story number {n}\n\nThe text of story {n}.\n" for n in range(24)}


def test_a_few_new_entries_are_appended_to_the_journal_not_the_whole_cache(tmp_path, monkeypatch):
    first = build(tmp_path, MANY)
    main = cache_file(tmp_path).stat()
    journal = cache_file(tmp_path).with_name(parsecache.JOURNAL_FILE)
    assert not journal.exists()
    added = build(tmp_path, {"new.txt": "A new story\n\nIts text.\n"})
    assert cache_file(tmp_path).stat().st_mtime_ns == main.st_mtime_ns  # not written again
    assert journal.exists() and journal.stat().st_size < main.st_size
    calls = count_calls(monkeypatch)
    again = build(tmp_path, {})  # the file and its journal, as a new process reads them
    assert calls == {"parse": 0, "extract": 0}
    assert again.outcomes == added.outcomes and len(again.outcomes) == len(first.outcomes) + 1


def test_a_journal_cut_short_is_ignored_from_there_on(tmp_path, monkeypatch, caplog):
    build(tmp_path, MANY)
    expected = build(tmp_path, {"new.txt": "A new story\n\nIts text.\n"}).outcomes
    journal = cache_file(tmp_path).with_name(parsecache.JOURNAL_FILE)
    journal.write_bytes(journal.read_bytes()[:-3])
    calls = count_calls(monkeypatch)
    assert build(tmp_path, {}).outcomes == expected
    assert calls["parse"] == 1  # the new file's entry was in the damaged record
    assert "ignoring the rest of the cache's journal" in caplog.text


def test_a_long_journal_is_folded_into_the_cache(tmp_path):
    build(tmp_path, MANY)
    journal = cache_file(tmp_path).with_name(parsecache.JOURNAL_FILE)
    for n in range(len(MANY) // parsecache.COMPACT_SHARE + 2):
        build(tmp_path, {f"new-{n}.txt": f"New story {n}\n\nIts text {n}.\n"})
        if not journal.exists():
            break
    assert not journal.exists()  # written whole once the journal grew past its share
    assert len(stored_entries(tmp_path)) == len(MANY) + n + 1


def test_a_written_cache_holds_its_keys_and_reads_an_entry_back_when_wanted(tmp_path):
    config = settings.resolve({"PATH": str(tmp_path)})
    build(tmp_path, CACHED_FILES)
    cache = parsecache.ParseCache.load(config)
    assert cache.stored.loaded is None  # its keys only, so far
    assert cache._write_all(dict(cache.entries))  # as a build that changed many entries
    assert cache.stored.loaded is None  # the entries are on disk, not held twice
    key = catalog.hashlib.sha256((tmp_path / "seeds" / "story.txt").read_bytes()).digest()
    assert cache.get_by_key(key, "seeds/story.txt").title == "Storm hits coast"
    assert cache.get_by_key(b"\0" * 32, "seeds/none.txt") is None


def test_the_parse_makes_each_storys_clusters_part_ahead(tmp_path):
    """A file parsed (on the workers, in a large build) comes back with its story's part of
    the grouping (digest/clusters.py ``prepare_ahead``): the grouping takes every published
    story's from there, makes none again, and is the one it makes alone."""
    from corpora import bbc_files
    from pelican.plugins.gazette.digest import clusters

    for number, path in enumerate(bbc_files()[:60]):
        target = tmp_path / "seeds" / f"{number:03d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            b"Date: 2024-05-0%dT09:00:00Z\n\n" % (number % 9 + 1) + path.read_bytes()
        )
    config = settings.resolve({"PATH": str(tmp_path)})
    reuse = parsecache.reuse_for(config)
    built = catalog.build(config, entries={}, require_ledger=False, reuse=reuse)
    stories = built.stories()
    assert len(stories) > 50
    ahead = clusters.Ahead(reuse.cache.take_ahead())
    assert len(ahead.made) >= len(stories)  # one per parsed story
    assert clusters.of_stories(stories, memo=ahead) == clusters.of_stories(stories)
    assert not ahead.made  # each taken
    assert reuse.cache.take_ahead() == []  # let go once taken


def test_a_large_parse_cache_is_written_in_records_and_read_back_whole(tmp_path):
    """The cache's entries are written a record of CHUNK at a time (never all of them as
    one string); a fresh process reads every one back, and a file cut short is ignored."""
    import hashlib
    import marshal

    config = settings.resolve({"PATH": str(tmp_path)})
    entries = {
        hashlib.sha256(b"%d" % n).digest(): ["rejection", (f"reason {n}", ()), None]
        for n in range(2 * parsecache.CHUNK + 7)
    }
    assert parsecache.ParseCache.load(config)._write_all(entries)
    again = parsecache.ParseCache.load(config)
    assert again.stored.entries(again.path) == entries
    with open(again.path, "rb") as stored:
        marshal.load(stored)  # the head
        assert len(marshal.load(stored)) == parsecache.CHUNK  # the first record
    data = Path(again.path).read_bytes()
    Path(again.path).write_bytes(data[: len(data) - 1000])
    cut_short = parsecache.ParseCache.load(config)
    assert cut_short.stored.entries(cut_short.path) == {}
