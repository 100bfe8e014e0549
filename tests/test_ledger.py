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
