"""The ledger: when each story was first seen, its permanent id, and where it was.

An append-only JSON Lines file committed beside the seeds. ``gazette
ingest`` appends a line for each new story (its first-seen time and tag: id,
with the slug and date its URL is made of), for each story whose text changed
(a revision time), and for each story whose URL changed (``moved``: a new slug
or date, as when a headline is corrected). Lines are never rewritten, so a
story keeps its date and id for ever, every URL it ever had is known (the
build writes a redirect page at each earlier one), and a build, which only
reads the ledger, gives the same output every time. A ledger written before
URLs were recorded loads as it is: its stories' first recorded URL is the one
the next ingest sees.
"""

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

try:
    import fcntl
except ImportError:  # not POSIX: no lock (one writer at a time is then the user's job)
    fcntl = None

# Recorded times outside these years are damage: nothing is first seen in year 1 or 9999,
# and such times overflow once shifted to another zone.
EARLIEST, LATEST = 1800, 2199


class LedgerError(Exception):
    """The ledger cannot be trusted as it is; the message says where and why."""


@dataclass(frozen=True)
class Address:
    """Where a story was published: the slug and date its URL is made of (ARTICLE_URL),
    from when the ledger recorded them."""

    slug: str
    date: datetime  # as the story had it (its own UTC offset): the URL's date part
    since: datetime


@dataclass(frozen=True)
class Entry:
    source: str  # path of the raw file, relative to PATH
    id: str  # tag: URI
    first_seen: datetime
    sha256: str  # hash of the latest recorded text
    revised: datetime | None = None  # when the text last changed
    addresses: tuple[Address, ...] = ()  # oldest first; none in a ledger from before them


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tag_id(authority: str, source: str, first_seen: datetime) -> str:
    """A tag: URI (RFC 4151) that never depends on the headline or URL."""
    digest = hashlib.blake2b(f"{source}\n{first_seen.isoformat()}".encode(), digest_size=8)
    return f"tag:{authority},{first_seen:%Y-%m-%d}:story/{digest.hexdigest()}"


class Entries(dict):
    """Entries by source, with what ``load`` had to say about the file."""

    warnings: list[str]

    def __init__(self, *args):
        super().__init__(*args)
        self.warnings = []


def load(path: str) -> Entries:
    """Entries by source; a missing ledger is an empty one. Waits while another process
    writes it (``writing``). A final line cut short (a full disk, a killed ingest) is
    left out with a warning: its story counts as not ingested, and the next ingest
    records it again. Any other damage raises a LedgerError that names the line."""
    with _locked(path, shared=True):
        entries, _ = _load(path)
    return entries


def _load(path: str) -> tuple[Entries, int | None]:
    """(entries, where a torn last line starts, or None). Only the lines appended since
    this process last read the file are parsed when it still starts with the bytes read
    then (``_Read``): a warm rebuild of a large site reads a few lines, not all of them."""
    entries = Entries()
    if not os.path.exists(path):
        return entries, None
    with open(path, "rb") as stored:
        data = stored.read()
    last = _read.get(path)
    ids: dict[str, str] = {}
    offset = first = 0
    if last is not None and last.starts(data):
        entries, ids = Entries(last.entries), dict(last.ids)
        offset, first = last.size, last.lines
    _read.pop(path, None)
    torn = None
    lines = data[offset:].split(b"\n")
    for number, line in enumerate(lines, first + 1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        last_line = number == first + len(lines)  # no newline after it: the write was cut short
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict):
                raise TypeError(f"a JSON {type(record).__name__}, not an object")
            apply(entries, record)
        except UnicodeDecodeError as err:
            if last_line:
                torn = start
                break
            byte = line[err.start : err.start + 1]
            raise LedgerError(
                f"{path}, line {number}: not UTF-8 (byte {byte!r} at column {err.start + 1})"
            ) from err
        except (ValueError, KeyError, TypeError, OverflowError) as err:
            if last_line and not isinstance(err, (KeyError, TypeError)) and _cut_short(line):
                torn = start
                break
            raise LedgerError(f"{path}, line {number}: not a ledger record ({err})") from err
        entry = entries[record["source"]]
        if ids.setdefault(entry.id, entry.source) != entry.source:
            raise LedgerError(f"{path}, line {number}: id {entry.id} is used twice")
    if torn is not None:
        number = data.count(b"\n", 0, torn) + 1
        entries.warnings.append(
            f"{path}, line {number}: the last line was cut short "
            "(a full disk or an interrupted ingest?): left out; `gazette ingest` records "
            "its story again"
        )
    elif data.endswith(b"\n"):  # whole lines only: a line without its end may yet grow
        _read[path] = _Read(len(data), _digest(data), Entries(entries), ids, first + len(lines) - 1)
    return entries, torn


@dataclass(frozen=True)
class _Read:
    """What ``_load`` made of a ledger's first ``size`` bytes (``lines`` whole lines), and
    their hash. Lines are read one after the other, so a file that still starts with those
    bytes reads as they did, then its own further lines (cut back or rewritten, it is read
    whole)."""

    size: int
    digest: bytes
    entries: Entries
    ids: dict
    lines: int

    def starts(self, data: bytes) -> bool:
        return len(data) >= self.size and _digest(memoryview(data)[: self.size]) == self.digest


_read: dict[str, _Read] = {}  # path -> what this process last read of it


def reads() -> dict:
    """What this process read of each ledger (to keep for a later process: ``remember``)."""
    return dict(_read)


def forget() -> None:
    """Forget what this process read of every ledger (20 MB at 20,000 stories): a process
    that reads a ledger once more reads it whole, as a first read does."""
    _read.clear()


def remember(earlier: dict) -> None:
    """Take what another process read of ledgers as read here: a ledger that no longer
    starts with those bytes is read whole all the same."""
    for path, read in earlier.items():
        if isinstance(read, _Read):
            _read.setdefault(path, read)


def _digest(data) -> bytes:
    return hashlib.sha1(data, usedforsecurity=False).digest()  # a check, not a secret


def _cut_short(line: bytes) -> bool:
    """Whether ``line`` (the last, with no newline after it) reads as a record whose
    write was cut off: an object begun and never closed."""
    line = line.strip()
    return line.startswith(b"{") and not line.endswith(b"}")


def apply(entries: dict[str, Entry], record: dict) -> None:
    source = record["source"]
    if "first_seen" in record:
        if source in entries:
            raise ValueError(f"{source} is recorded as new twice")
        first_seen = _aware(record["first_seen"])
        entries[source] = Entry(
            source=source,
            id=record["id"],
            first_seen=first_seen,
            sha256=record["sha256"],
            addresses=(_address(record, first_seen),) if "slug" in record else (),
        )
    elif "moved" in record:
        old = entries[source]
        address = _address(record, _aware(record["moved"]))
        entries[source] = replace(old, addresses=old.addresses + (address,))
    else:
        old = entries[source]
        entries[source] = replace(old, sha256=record["sha256"], revised=_aware(record["revised"]))


def _address(record: dict, since: datetime) -> Address:
    slug = record["slug"]
    if not isinstance(slug, str) or not slug or "/" in slug:
        raise ValueError(f"slug {slug!r} is not a slug")
    return Address(slug, _aware(record["date"]), since)


def _aware(stamp: str) -> datetime:
    if not isinstance(stamp, str):
        raise ValueError(f"time {stamp!r} is not a string")
    when = datetime.fromisoformat(stamp)
    if when.tzinfo is None:
        raise ValueError(f"time {stamp!r} has no UTC offset")
    try:
        years = (when.year, when.astimezone(UTC).year)
    except OverflowError:
        years = (0,)
    if not all(EARLIEST <= year <= LATEST for year in years):
        raise ValueError(f"time {stamp!r} is outside the years {EARLIEST}-{LATEST}")
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


def with_addresses(records: list[dict], entries: dict[str, Entry], places: dict, now: datetime):
    """``records`` (from ``records_for``, applied to ``entries`` already) with each story's
    URL parts recorded where the ledger does not have them yet: folded into the line of a
    story new in ``records``, else a ``moved`` line. ``places`` maps source to (slug, date)
    as the stories are now; ``entries`` gets the same changes."""
    new = {r["source"]: r for r in records if "first_seen" in r}
    out = list(records)
    for source in sorted(places):
        slug, date = places[source]
        entry = entries.get(source)
        if entry is None or date is None or _same_place(entry, slug, date):
            continue
        if source in new:
            new[source].update(slug=slug, date=date.isoformat())
            entries[source] = replace(entry, addresses=(Address(slug, date, entry.first_seen),))
            continue
        record = {
            "source": source,
            "moved": now.isoformat(timespec="seconds"),
            "slug": slug,
            "date": date.isoformat(),
        }
        apply(entries, record)
        out.append(record)
    return out


def _same_place(entry: Entry, slug: str, date: datetime) -> bool:
    """Whether the ledger's latest address of ``entry`` is ``slug`` and ``date``, as
    written: the same instant at another UTC offset may be another day in the URL."""
    if not entry.addresses:
        return False
    last = entry.addresses[-1]
    if last.slug != slug:
        return False
    if last.date.tzinfo is not None and date.tzinfo is not None:  # the quick test first
        # One instant at one offset is one wall time: the same text (fold aside, which
        # isoformat does not write either).
        return last.date == date and last.date.utcoffset() == date.utcoffset()
    return last.date.isoformat() == date.isoformat()


@dataclass
class Book:
    """The ledger held for writing (``writing``): its entries, and ``append``."""

    path: str
    entries: Entries
    existed: bool  # the file was there
    warnings: list[str] = field(default_factory=list)

    def append(self, records: list[dict]) -> None:
        append(self.path, records, locked=True)


@contextlib.contextmanager
def writing(path: str):
    """The ledger for one writer: other writers and readers wait until the block ends.
    A last line cut short is removed first (with a warning): its story is new again."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    with _locked(path, shared=False):
        existed = os.path.exists(path)
        entries, torn = _load(path)
        if torn is not None:
            os.truncate(path, torn)
        yield Book(path, entries, existed, list(entries.warnings))


def append(path: str, records: list[dict], locked: bool = False) -> None:
    """Add ``records`` as one write at the end: all of them or, should the write fail
    (a full disk), none (the file is cut back to where it ended)."""
    if not records:
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    with contextlib.ExitStack() as stack:
        if not locked:
            stack.enter_context(_locked(path, shared=False))
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        stack.callback(os.close, descriptor)
        end = os.fstat(descriptor).st_size
        if end and not _ends_with_newline(descriptor, end):
            os.write(descriptor, b"\n")  # never glue a record onto a line cut short
            end += 1
        try:
            view = memoryview(data.encode("utf-8"))
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, end)
            raise


def _ends_with_newline(descriptor: int, size: int) -> bool:
    return os.pread(descriptor, 1, size - 1) == b"\n"


@contextlib.contextmanager
def _locked(path: str, shared: bool):
    """An advisory lock (flock) on the ledger's folder: the ledger itself may not
    exist yet, and a lock file would be one more file among the seeds."""
    folder = os.path.dirname(path) or "."
    if fcntl is None or not os.path.isdir(folder):
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


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
