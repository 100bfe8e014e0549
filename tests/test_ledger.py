"""The ledger: append-only, never rewritten, loud when damaged."""

import json
from datetime import UTC, datetime

import pytest

from pelican.plugins.gazette.ingest import ledger

DAY1 = datetime(2021, 8, 9, 8, 0, tzinfo=UTC)
DAY2 = datetime(2021, 8, 10, 8, 0, tzinfo=UTC)


def test_new_story_then_revision_then_nothing(tmp_path):
    path = str(tmp_path / "ledger.jsonl")
    ledger.append(path, list(ledger.records_for({}, {"s/a.txt": "h1"}, DAY1, "example.org")))
    entries = ledger.load(path)
    first = entries["s/a.txt"]
    assert first.first_seen == DAY1 and first.revised is None
    assert first.id.startswith("tag:example.org,2021-08-09:story/")

    ledger.append(path, list(ledger.records_for(entries, {"s/a.txt": "h2"}, DAY2, "other")))
    entries = ledger.load(path)
    revised = entries["s/a.txt"]
    assert (revised.id, revised.first_seen, revised.revised) == (first.id, DAY1, DAY2)

    assert list(ledger.records_for(entries, {"s/a.txt": "h2"}, DAY2, "x")) == []
    with open(path) as written:
        lines = written.read().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["first_seen"] == DAY1.isoformat()


def test_ids_are_distinct_and_do_not_depend_on_the_headline():
    a = ledger.tag_id("example.org", "seeds/a.txt", DAY1)
    assert a == ledger.tag_id("example.org", "seeds/a.txt", DAY1)
    assert a != ledger.tag_id("example.org", "seeds/b.txt", DAY1)


def test_missing_ledger_is_empty(tmp_path):
    assert ledger.load(str(tmp_path / "none.jsonl")) == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json\n", "line 1: not a ledger record"),
        ('{"source": "a"}\n', "line 1: not a ledger record"),
        (
            '{"source": "a", "first_seen": "2021-08-09T08:00:00", "id": "x", "sha256": "h"}\n',
            "has no UTC offset",
        ),
        (
            '{"source": "a", "revised": "2021-08-09T08:00:00+00:00", "sha256": "h"}\n',
            "not a ledger record",
        ),
    ],
)
def test_damaged_ledger_is_an_error_never_a_silent_change(tmp_path, content, message):
    path = tmp_path / "ledger.jsonl"
    path.write_text(content)
    with pytest.raises(ledger.LedgerError, match=message):
        ledger.load(str(path))


def test_the_same_id_twice_is_an_error(tmp_path):
    record = (
        '{{"source": "{}", "first_seen": "2021-08-09T08:00:00+00:00", "id": "t", "sha256": "h"}}\n'
    )
    path = tmp_path / "ledger.jsonl"
    path.write_text(record.format("a") + record.format("b"))
    with pytest.raises(ledger.LedgerError, match="used twice"):
        ledger.load(str(path))


DAY3 = datetime(2021, 8, 11, 8, 0, tzinfo=UTC)
DATE = datetime(2021, 8, 9, tzinfo=UTC)


def record_all(path, entries, hashes, places, now):
    """What ``gazette ingest`` writes: new and revised texts, then URLs not recorded yet."""
    records = list(ledger.records_for(entries, hashes, now, "example.org"))
    for record in records:
        ledger.apply(entries, record)
    written = ledger.with_addresses(records, entries, places, now)
    ledger.append(path, written)
    return written


def test_each_url_a_story_has_is_kept_and_a_revision_keeps_them(tmp_path):
    path = str(tmp_path / "ledger.jsonl")
    first = record_all(path, {}, {"s/a.txt": "h1"}, {"s/a.txt": ("old-slug", DATE)}, DAY1)
    assert len(first) == 1 and first[0]["slug"] == "old-slug"  # in the story's first line
    entries = ledger.load(path)
    assert entries["s/a.txt"].addresses == (ledger.Address("old-slug", DATE, DAY1),)
    # The headline corrected: a new text and a new slug.
    record_all(path, entries, {"s/a.txt": "h2"}, {"s/a.txt": ("new-slug", DATE)}, DAY2)
    entries = ledger.load(path)
    entry = entries["s/a.txt"]
    assert [a.slug for a in entry.addresses] == ["old-slug", "new-slug"]
    assert entry.revised == DAY2 and entry.addresses[1].since == DAY2
    # The same URL again: nothing to record. Only the date corrected: a move.
    assert record_all(path, entries, {"s/a.txt": "h2"}, {"s/a.txt": ("new-slug", DATE)}, DAY3) == []
    later = DATE.replace(day=10)
    record_all(path, entries, {"s/a.txt": "h2"}, {"s/a.txt": ("new-slug", later)}, DAY3)
    assert ledger.load(path)["s/a.txt"].addresses[-1] == ledger.Address("new-slug", later, DAY3)
    with open(path) as written:
        kinds = [sorted(json.loads(line)) for line in written]
    assert kinds[2] == ["date", "moved", "slug", "source"]


def test_a_ledger_from_before_urls_loads_and_its_urls_are_recorded_next(tmp_path):
    path = tmp_path / "ledger.jsonl"
    path.write_text(
        '{"first_seen": "2021-08-09T08:00:00+00:00", "id": "tag:x,2021-08-09:story/1", '
        '"sha256": "h1", "source": "s/a.txt"}\n'
        '{"revised": "2021-08-10T08:00:00+00:00", "sha256": "h2", "source": "s/a.txt"}\n'
    )
    entries = ledger.load(str(path))
    assert entries["s/a.txt"].addresses == () and entries["s/a.txt"].revised == DAY2
    written = record_all(str(path), entries, {"s/a.txt": "h2"}, {"s/a.txt": ("a", DATE)}, DAY3)
    assert [r["moved"] for r in written] == [DAY3.isoformat()]
    assert ledger.load(str(path))["s/a.txt"].addresses == (ledger.Address("a", DATE, DAY3),)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"source": "s/a.txt", "moved": "2021-08-10T08:00:00+00:00", "slug": "", '
            '"date": "2021-08-09T00:00:00+00:00"}',
            "line 2: .*slug '' is not a slug",
        ),
        (
            '{"source": "s/a.txt", "moved": "2021-08-10T08:00:00+00:00", "slug": "a/b", '
            '"date": "2021-08-09T00:00:00+00:00"}',
            "line 2: .*is not a slug",
        ),
        (
            '{"source": "s/b.txt", "moved": "2021-08-10T08:00:00+00:00", "slug": "b", '
            '"date": "2021-08-09T00:00:00+00:00"}',
            "line 2: not a ledger record",
        ),
        (
            '{"source": "s/a.txt", "moved": "2021-08-10T08:00:00+00:00", "slug": "b", '
            '"date": "2021-08-09"}',
            "line 2: .*has no UTC offset",
        ),
    ],
)
def test_a_damaged_move_names_its_line(tmp_path, line, message):
    path = tmp_path / "ledger.jsonl"
    path.write_text(
        '{"first_seen": "2021-08-09T08:00:00+00:00", "id": "t", "sha256": "h", '
        '"source": "s/a.txt"}\n' + line + "\n"
    )
    with pytest.raises(ledger.LedgerError, match=message):
        ledger.load(str(path))


def _new(source: str, day: datetime) -> dict:
    return next(ledger.records_for({}, {source: "h"}, day, "example.org"))


def test_a_grown_ledger_reads_only_its_new_lines_and_as_a_fresh_read_does(tmp_path, monkeypatch):
    path = str(tmp_path / "ledger.jsonl")
    ledger.append(path, [_new(f"s/{n}.txt", DAY1) for n in range(50)])
    first = ledger.load(path)
    parsed = []
    real = ledger.json.loads
    monkeypatch.setattr(ledger.json, "loads", lambda text: parsed.append(text) or real(text))
    ledger.append(
        path,
        [
            _new("s/late.txt", DAY2),
            {"source": "s/3.txt", "revised": DAY3.isoformat(), "sha256": "h2"},
        ],
    )
    grown = ledger.load(path)
    assert len(parsed) == 2  # the two lines appended, not the fifty before them
    ledger._read.clear()  # as a process that never read it
    assert grown == ledger.load(path) and len(grown) == len(first) + 1
    assert grown["s/3.txt"].revised == DAY3 and grown["s/1.txt"] is first["s/1.txt"]
    grown["s/new.txt"] = grown["s/1.txt"]  # what a caller does to its entries stays its own
    assert "s/new.txt" not in ledger.load(path)


def test_a_ledger_rewritten_is_read_whole_and_damage_in_new_lines_names_its_line(tmp_path):
    path = tmp_path / "ledger.jsonl"
    ledger.append(str(path), [_new("s/a.txt", DAY1), _new("s/b.txt", DAY1)])
    assert ledger.load(str(path))["s/a.txt"].sha256 == "h"
    path.write_text(path.read_text().replace('"sha256": "h"', '"sha256": "x"', 1))  # same size
    assert ledger.load(str(path))["s/a.txt"].sha256 == "x"
    with open(path, "a") as more:
        more.write('{"source": "s/c.txt"}\n')
    with pytest.raises(ledger.LedgerError, match="line 3: not a ledger record"):
        ledger.load(str(path))
    path.write_text(path.read_text().splitlines(keepends=True)[0])  # cut back to one line
    assert sorted(ledger.load(str(path))) == ["s/a.txt"]


def test_the_same_instant_at_another_offset_is_another_url(tmp_path):
    from datetime import timedelta, timezone

    path = str(tmp_path / "ledger.jsonl")
    entries = {}
    record_all(path, entries, {"s/a.txt": "h"}, {"s/a.txt": ("a", DATE)}, DAY1)
    moved = DATE.astimezone(timezone(timedelta(hours=-5)))  # the day before, in its own zone
    assert moved == DATE
    written = record_all(path, entries, {"s/a.txt": "h"}, {"s/a.txt": ("a", moved)}, DAY2)
    assert [r["date"] for r in written] == [moved.isoformat()]
    assert record_all(path, entries, {"s/a.txt": "h"}, {"s/a.txt": ("a", moved)}, DAY3) == []
