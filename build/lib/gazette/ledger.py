"""The ledger: when each story was first seen, and its permanent id.

An append-only JSON Lines file committed beside the seeds. ``gazette
ingest`` appends a line for each new story (its first-seen time and tag: id)
and for each story whose text changed (a revision time). Lines are never
rewritten, so a story keeps its date and id for ever, and a build, which
only reads the ledger, gives the same output every time.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime


class LedgerError(Exception):
    """The ledger cannot be trusted as it is; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    source: str  # path of the raw file, relative to PATH
    id: str  # tag: URI
    first_seen: datetime
    sha256: str  # hash of the latest recorded text
    revised: datetime | None = None  # when the text last changed


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tag_id(authority: str, source: str, first_seen: datetime) -> str:
    """A tag: URI (RFC 4151) that never depends on the headline or URL."""
    digest = hashlib.blake2b(f"{source}\n{first_seen.isoformat()}".encode(), digest_size=8)
    return f"tag:{authority},{first_seen:%Y-%m-%d}:story/{digest.hexdigest()}"


def load(path: str) -> dict[str, Entry]:
    """Entries by source; a missing ledger is an empty one."""
    if not os.path.exists(path):
        return {}
    entries: dict[str, Entry] = {}
    ids: dict[str, str] = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                apply(entries, record)
            except (ValueError, KeyError, TypeError) as err:
                raise LedgerError(f"{path}, line {number}: not a ledger record ({err})") from err
            entry = entries[record["source"]]
            if ids.setdefault(entry.id, entry.source) != entry.source:
                raise LedgerError(f"{path}, line {number}: id {entry.id} is used twice")
    return entries


def apply(entries: dict[str, Entry], record: dict) -> None:
    source = record["source"]
    if "first_seen" in record:
        if source in entries:
            raise ValueError(f"{source} is recorded as new twice")
        entries[source] = Entry(
            source=source,
            id=record["id"],
            first_seen=_aware(record["first_seen"]),
            sha256=record["sha256"],
        )
    else:
        old = entries[source]
        entries[source] = Entry(
            old.source, old.id, old.first_seen, record["sha256"], _aware(record["revised"])
        )


def _aware(stamp: str) -> datetime:
    when = datetime.fromisoformat(stamp)
    if when.tzinfo is None:
        raise ValueError(f"time {stamp!r} has no UTC offset")
    return when


def records_for(entries: dict[str, Entry], hashes: dict[str, str], now: datetime, authority: str):
    """Ledger lines for new stories and changed texts; ``hashes`` maps source to text hash."""
    stamp = now.isoformat(timespec="seconds")
    for source in sorted(hashes):
        sha = hashes[source]
        entry = entries.get(source)
        if entry is None:
            yield {
                "source": source,
                "first_seen": stamp,
                "id": tag_id(authority, source, now.replace(microsecond=0)),
                "sha256": sha,
            }
        elif entry.sha256 != sha:
            yield {"source": source, "revised": stamp, "sha256": sha}


def append(path: str, records: list[dict]) -> None:
    if not records:
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def ingest_time(stamp: str | None = None) -> datetime:
    """The first-seen time to record: ``stamp`` (ISO 8601 with an offset), else
    SOURCE_DATE_EPOCH (reproducible pipelines), else the clock."""
    if stamp:
        now = datetime.fromisoformat(stamp)
        if now.tzinfo is None:
            raise SystemExit("gazette ingest: --now needs a UTC offset, e.g. 2026-01-31T09:00:00Z")
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
