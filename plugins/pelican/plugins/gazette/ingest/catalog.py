"""The catalog: every raw file of a site with its outcome.

Each file ends as exactly one of: a published ``Story``, a duplicate of
another file, or a rejection with its reason. Site-wide decisions live here
because one file alone cannot make them: which of two identical files is
the story, unique slugs, and one spelling per topic. Pure Python; the
Pelican reader and the command line both use it, so what ``gazette inspect``
shows is what the build publishes.
"""

import fnmatch
import hashlib
import os
import stat
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import formats, ledger, topics
from .formats import PELICAN_SUFFIXES, is_raw, parse_file
from .raw import RawStory, Rejection
from .story import Story, StoryError, enrich, story_text

PUBLISHED, DUPLICATE, REJECTED = "published", "duplicate", "rejected"


class _NoMemo:
    """A memo that remembers nothing: the plain, cold path."""

    def take(self, key):
        return None

    def put(self, key, value) -> None:
        pass


_NO_MEMO = _NoMemo()


@dataclass(frozen=True)
class Reuse:
    """Earlier work a build may take, handed in by its caller; the plain path takes none.

    ``cache`` is a parse cache (machinery/parsecache.py: ``get``, ``get_by_key``,
    ``topics``, ``by_source``, ``parse_files``, ``save``); ``memo(name)`` a memo of the
    last build's per-file results (machinery/reuse.py), by keys that name everything a
    value depends on. Output is the same with or without them.
    """

    cache: object = None
    memo: Callable = lambda name: _NO_MEMO


NO_REUSE = Reuse()


@dataclass(frozen=True)
class Outcome:
    source: str  # path relative to the content root, with "/" separators
    status: str  # PUBLISHED, DUPLICATE or REJECTED
    story: Story | None = None
    reason: str | None = None  # why rejected, or "duplicate of X"
    warnings: tuple[str, ...] = ()


@dataclass
class Catalog:
    root: str
    outcomes: list[Outcome]
    # (path, why) of what is under the article paths but not a raw article: other
    # formats, the ledger, IGNORE_FILES, a saved page's files, a folder linked twice
    ignored: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the site, not one file

    def __post_init__(self):
        self.by_source = {o.source: o for o in self.outcomes}
        self._position = {o.source: n for n, o in enumerate(self.outcomes)}

    def drop_text(self, outcome: Outcome) -> Outcome:
        """The outcome with its story's paragraphs dropped, here too (the reader, once the
        story's HTML is made: a large site's text is then held once, not twice)."""
        if outcome.story is None or not outcome.story.paragraphs:
            return outcome
        slim = replace(outcome, story=replace(outcome.story, paragraphs=()))
        self.by_source[slim.source] = slim
        self.outcomes[self._position[slim.source]] = slim
        return slim

    def outcome_for(self, path: str) -> Outcome | None:
        return self.by_source.get(relative(path, self.root))

    def stories(self) -> list[Story]:
        return [o.story for o in self.outcomes if o.status == PUBLISHED]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((PUBLISHED, DUPLICATE, REJECTED), 0)
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{len(self.outcomes)} raw files: {c[PUBLISHED]} published, "
            f"{c[DUPLICATE]} duplicates, {c[REJECTED]} rejected"
        )


@dataclass
class Found:
    """What a walk of the article paths found: the raw files to read, (source, article
    path); files and folders rejected without being read (a link out of the content
    folder, an unreadable folder); what is not a raw article, with why; and the links
    to folders the walk did not follow (Pelican is told to skip them too)."""

    files: list[tuple[str, str]] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    links_not_followed: list[str] = field(default_factory=list)

    def __iadd__(self, other: "Found") -> "Found":
        self.files += other.files
        self.refused += other.refused
        self.ignored += other.ignored
        self.links_not_followed += other.links_not_followed
        return self


def walk(root: str, article_paths, excludes=(), ignores=(), ledger_path=None) -> Found:
    """Everything below the article paths, each real folder once, in path order (a
    folder's files, then its sub-folders).

    Follows Pelican's own rules for ARTICLE_EXCLUDES and IGNORE_FILES, so the
    catalog holds exactly the files Pelican hands to the reader. A linked folder is
    followed only when its real path is inside its article path and not walked
    already (``ln -s . loop`` is read once); a link that leads out is rejected by
    name, never read. An unreadable folder is rejected with its reason.
    """
    found = Found()
    excluded = {os.path.normpath(os.path.join(root, e)) for e in excludes}
    ledger_real = os.path.realpath(ledger_path) if ledger_path else None
    walked: dict[str, str] = {}  # real folder -> its source
    for article_path in article_paths:
        top = os.path.join(root, article_path)
        if not os.path.isdir(top):
            continue
        inside = os.path.realpath(top)
        if inside in walked:  # an article path inside another: walked already
            continue
        walked[inside] = relative(top, root)
        folders = [top]
        while folders:
            folder = folders.pop()
            name = relative(folder, root)
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as err:
                reason = f"cannot read the folder ({err.strerror}): its files are not read"
                found.refused.append(Outcome(name + "/", REJECTED, reason=reason))
                continue
            subfolders = []
            for entry in entries:
                path = os.path.join(folder, entry.name)
                source = relative(path, root)
                if _is_folder(entry):
                    why, refused = _folder_not_walked(
                        entry, path, inside, walked, excluded, ignores
                    )
                    if refused:
                        found.refused.append(Outcome(source + "/", REJECTED, reason=why))
                        found.links_not_followed.append(source)
                    elif why:
                        found.ignored.append((source + "/", why))
                        if why.startswith(_SAME_FOLDER):
                            found.links_not_followed.append(source)
                    else:
                        walked[os.path.realpath(path)] = source
                        subfolders.append(path)
                    continue
                why = _file_not_read(entry, path, ignores, ledger_real)
                if why:
                    found.ignored.append((source, why))
                else:
                    found.files.append((source, article_path))
            folders += reversed(subfolders)  # popped in name order
    return found


_SAME_FOLDER = "the same folder as"


def _is_folder(entry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _folder_not_walked(entry, path, inside, walked, excluded, ignores) -> tuple[str, bool]:
    """(why the walk does not enter the folder, whether that rejects it); ("", False):
    it is walked."""
    real = os.path.realpath(path)
    if entry.is_symlink() and not _within(real, inside):
        return "a link to a folder outside the content folder: not read", True
    if real in walked:
        return f"{_SAME_FOLDER} {walked[real]}/ (a link), read once", False
    if os.path.normpath(path) in excluded:
        return "excluded by ARTICLE_EXCLUDES", False
    pattern = next((p for p in ignores if fnmatch.fnmatch(entry.name, p)), None)
    if pattern:
        return f"matches IGNORE_FILES ({pattern})", False
    if formats.skip_folder(entry.name):
        return "the files of a saved web page, not articles", False
    return "", False


def _file_not_read(entry, path, ignores, ledger_real) -> str:
    """Why the file is not a raw article to read ("" when it is)."""
    pattern = next((p for p in ignores if fnmatch.fnmatch(entry.name, p)), None)
    if pattern:
        return f"matches IGNORE_FILES ({pattern})"
    named_like_it = ledger_real and entry.name == os.path.basename(ledger_real)
    if named_like_it and os.path.realpath(path) == ledger_real:
        return "the ledger"
    if not is_raw(entry.name):
        suffix = os.path.splitext(entry.name)[1]
        if suffix in PELICAN_SUFFIXES:  # an article of its own: the digest takes it too
            return f"not a raw article ({suffix}): Pelican's own reader makes its page"
        return f"not a raw article ({suffix or 'no suffix'})"
    return ""


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def relative(path: str, root: str) -> str:
    """``path`` relative to ``root``, with "/" separators (called once or more per story)."""
    path, root = os.path.abspath(path), os.path.abspath(root)
    inside = path.startswith(root + os.sep)  # the common case, without relpath's work
    path = path[len(root) + 1 :] if inside else os.path.relpath(path, root)
    return path.replace(os.sep, "/")


def build(
    config, files=None, entries=None, require_ledger=True, progress=None, reuse=NO_REUSE
) -> Catalog:
    """Parse, de-duplicate and enrich every raw file.

    ``files`` is a list of (source, article path) relative to ``config.path``, or a
    ``Found`` (the whole site's ``site_files`` when None); ``entries`` the ledger (read
    from ``config.ledger`` when None). With ``require_ledger`` a story the ledger
    does not know is rejected: it has no permanent id yet. ``reuse``: earlier work
    the caller hands in (a parse cache, the warm build's memos).
    """
    root = config.path
    whole_site = files is None
    found = site_files(config) if files is None else files
    if not isinstance(found, Found):
        found = Found(files=list(found))
    warnings = []
    if entries is None:
        try:
            entries = ledger.load(os.path.join(root, config.ledger))
        except ledger.LedgerError as err:
            reason = f"the ledger is damaged ({err}): fix it or restore it from version control"
            outcomes = [Outcome(source, REJECTED, reason=reason) for source, _ in found.files]
            return Catalog(
                root,
                sorted(outcomes + found.refused, key=lambda o: o.source),
                found.ignored,
                [f"the ledger is damaged: {err}"],
            )
        warnings = list(getattr(entries, "warnings", ()))
    parsed = _read_all(config, found.files, reuse, progress)
    built = _decide(parsed, entries, config, require_ledger, reuse, prune=whole_site, found=found)
    built.warnings += warnings
    return built


def site_files(config) -> Found:
    """The walk of the site's article paths (``walk``), by its settings."""
    return walk(
        config.path,
        config.article_paths,
        config.article_excludes,
        config.ignore_files,
        os.path.join(config.path, config.ledger),
    )


def _read_all(config, files, reuse, progress=None) -> list:
    """(parsed file, article path) for each file."""
    cache = reuse.cache
    progress = progress or _Progress(len(files))
    parsed, missing = [], []
    seen = reuse.memo("raw files")  # source -> (file stamp, content key)
    for source, article_path in files:
        path = os.path.join(config.path, source)
        raw = _read(path, source, config, cache, seen, article_path)
        if raw is None:  # not in the cache: parsed below, with the others
            missing.append((len(parsed), path, source))
        parsed.append((raw, article_path))
        progress.step()
    progress.done()
    if missing:
        try:
            results = cache.parse_files([(path, source) for _, path, source in missing], config)
        except Exception:  # noqa: BLE001 - a file broke a worker: each alone, named
            results = [
                _read(path, source, config, article_path=parsed[index][1])
                for index, path, source in missing
            ]
        for (index, _, _), raw in zip(missing, results, strict=True):
            parsed[index] = (raw, parsed[index][1])
    return parsed


def _decide(
    parsed, entries, config, require_ledger, reuse=NO_REUSE, prune=None, found=None
) -> Catalog:
    """The site-wide decisions on parsed files: duplicates, outcomes, topics, slugs."""
    enriched = _enrich(parsed, entries, config, require_ledger, reuse, prune)
    return _settle(enriched, config, found)


def _enrich(parsed, entries, config, require_ledger, reuse=NO_REUSE, prune=None) -> list[Outcome]:
    """Each parsed file's outcome, duplicates found. The cache is saved once it holds
    every file's topics, unless ``prune`` is None (True: only this build's files are kept)."""
    cache = reuse.cache
    extract, contents = (cache.topics, cache.by_source) if cache else (None, None)
    memo = reuse.memo("outcomes")
    outcomes = _deduplicate_and_enrich(
        parsed, entries, config, require_ledger, extract, contents, memo
    )
    if cache and prune is not None:
        cache.save(prune=prune)
    return outcomes


def _settle(outcomes: list[Outcome], config, found: Found | None = None) -> Catalog:
    """The catalog of enriched outcomes, once topics' spellings and slugs are decided;
    with what the walk (``found``) rejected unread and ignored."""
    outcomes = _normalise_topics(outcomes)
    outcomes = _unique_slugs(outcomes)
    if found is not None:
        outcomes = outcomes + found.refused
    ignored = list(found.ignored) if found is not None else []
    return Catalog(config.path, sorted(outcomes, key=lambda o: o.source), ignored)


@dataclass
class Ingested:
    new: int  # stories first seen now
    revised: int
    known: int  # already in the ledger (revised ones included)
    catalog: Catalog  # built before the new records: without their ids and dates
    missing_ledger: bool  # there was no ledger file: everything was new
    recorded: Catalog | None = None  # with the new records: what a build now publishes
    moved: int = 0  # stories at a new URL (slug or date): the old one redirects

    @property
    def summary(self) -> str:
        moved = f", {self.moved} at a new URL (the old one redirects)" if self.moved else ""
        return (
            f"{self.new} new, {self.revised} revised, {self.known} already known{moved}; "
            f"{self.catalog.summary()}"
        )


def ingest(config, now, reuse=NO_REUSE) -> Ingested:
    """Record new and revised stories in the ledger, first seen ``now``, and every story's
    URL (slug and date) the ledger does not have yet. The files are read once: the
    catalog with the new records is decided from the same parse, before the records are
    written, for the URLs it gives. One ingest at a time: another waits for the ledger's
    lock (ledger.writing)."""
    path = os.path.join(config.path, config.ledger)
    with ledger.writing(path) as book:
        entries = book.entries
        found = site_files(config)
        parsed = _read_all(config, found.files, reuse)
        enriched = _enrich(parsed, entries, config, False, reuse, prune=True)
        built = _settle(enriched, config, found)
        built.warnings += book.warnings
        hashes = {s.source: s.content_hash for s in built.stories()}
        records = list(ledger.records_for(entries, hashes, now, config.tag_authority))
        missing = not entries and bool(hashes) and not book.existed
        for record in records:
            ledger.apply(entries, record)
        recorded = _recorded(built, enriched, parsed, records, entries, config, reuse, found)
        recorded.warnings += book.warnings if recorded is not built else []
        places = {s.source: (s.slug, s.date) for s in recorded.stories()}
        written = ledger.with_addresses(records, entries, places, now)
        book.append(written)
        if written and not book.existed:  # the walk came before the ledger: list it now
            found.ignored = site_files(config).ignored
            built.ignored = recorded.ignored = list(found.ignored)
    new = sum(1 for r in records if "first_seen" in r)
    moved = sum(1 for r in written if "moved" in r and entries[r["source"]].addresses[:-1])
    known = len(hashes) - new
    return Ingested(new, len(records) - new, known, built, missing, recorded, moved)


def _recorded(built, enriched, parsed, records, entries, config, reuse, found) -> Catalog:
    """The catalog once ``records`` are in ``entries``: only the recorded stories change,
    every other had its entry already."""
    if not records:
        return built
    changed = {r["source"] for r in records}
    extract = reuse.cache.topics if reuse.cache else None
    redone = {
        raw.source: outcome_of(raw, entries.get(raw.source), config, where, True, extract)
        for raw, where in parsed
        if raw.source in changed
    }
    return _settle([redone.get(o.source, o) for o in enriched], config, found)


def _read(
    path: str, source: str, config, cache=None, seen=None, article_path=None
) -> RawStory | Rejection | None:
    """The file parsed, or why it is not read; None when ``cache`` does not hold it.

    Only a regular file whose real path is inside its article path (``config.path``
    when none is given) is read, and never more than GAZETTE_MAX_FILE_BYTES of it,
    whatever ``stat`` said. ``seen`` (a memo of the warm build's) gives the content key
    of a file whose stamp (inode, size, modification and change times) is the one of the
    last build: the build server then does not read it again.
    """
    limit = config.max_file_bytes
    try:
        found, target = os.lstat(path), path
        if stat.S_ISLNK(found.st_mode):  # (the folders it is in were checked by the walk)
            target = os.path.realpath(path)
            if not os.path.exists(target):
                return Rejection(source, "cannot read the file (a link to nothing)")
            inside = os.path.realpath(os.path.join(config.path, article_path or ""))
            if not _within(target, inside):
                return Rejection(source, "a link to a file outside the content folder: not read")
            found = os.stat(target)
        if not stat.S_ISREG(found.st_mode):
            return Rejection(source, f"not a regular file ({_kind(found.st_mode)}): not read")
        if found.st_size > limit:
            return Rejection(
                source, f"file too large ({found.st_size:,} bytes; the limit is {limit:,})"
            )
        stamp = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        known = seen.take((source, stamp)) if seen and cache is not None else None
        if known is not None:
            return cache.get_by_key(known, source)
    except OSError as err:
        return Rejection(source, f"cannot read the file ({err.strerror or err})")
    data = read_or_reason(target, limit)
    if isinstance(data, str):
        return Rejection(source, data)
    if cache is None:
        return parse_guarded(data, source, config.parse_options)
    result = cache.get(data, source)
    if seen is not None:
        seen.put((source, stamp), cache.by_source[source])
    return result


def read_or_reason(path: str, limit: int) -> bytes | str:
    """The bytes of the regular file at ``path``, or why they are not read (the reason
    of its rejection)."""
    try:
        data = read_regular(path, limit)
    except OSError as err:
        return f"cannot read the file ({err.strerror or err})"
    if data is None:
        return f"file too large (more than the limit of {limit:,} bytes)"
    return data


def read_regular(path: str, limit: int) -> bytes | str | None:
    """At most ``limit`` bytes of the regular file at ``path``: None when it holds more,
    a reason when it is no regular file (any more). Opened without blocking and without
    following a link, so a FIFO or a link swapped in since ``stat`` never hangs or leads
    anywhere."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return f"not a regular file ({_kind(found.st_mode)}): not read"
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(descriptor)
    return None if total > limit else b"".join(chunks)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def parse_guarded(data: bytes, source: str, options) -> RawStory | Rejection:
    """``formats.parse_file``; a parser's failure is this file's rejection, never the build's."""
    try:
        return parse_file(data, source, options)
    except Exception as err:  # noqa: BLE001 - one file never stops the build
        return Rejection(source, f"could not be parsed ({type(err).__name__}: {err})")


def _deduplicate_and_enrich(
    parsed, entries, config, require_ledger, extract=None, contents=None, memo=_NO_MEMO
) -> list[Outcome]:
    """Each file's outcome before the site-wide decisions. ``contents`` (source -> content
    key, from the parse cache) lets the build server take a file's text key and outcome
    from the last build when nothing they depend on changed (``memo``)."""
    outcomes, first_with = [], {}
    for raw, article_path in parsed:
        if isinstance(raw, Rejection):
            outcomes.append(Outcome(raw.source, REJECTED, reason=raw.reason, warnings=raw.warnings))
            continue
        entry = entries.get(raw.source)
        content = contents.get(raw.source) if contents else None
        memo_key = (raw.source, content, article_path, entry, require_ledger)
        known = memo.take(memo_key) if content else None
        if known:
            key = known[0]
        else:  # the text's key: files equal but for spacing are duplicates
            key = hashlib.sha256(" ".join(story_text(raw).split()).encode()).digest()
        if key in first_with:
            reason = f"duplicate of {first_with[key]}"
            outcomes.append(Outcome(raw.source, DUPLICATE, reason=reason, warnings=raw.warnings))
            continue
        first_with[key] = raw.source
        if known:
            outcomes.append(known[1])
            continue
        outcome = outcome_of(raw, entry, config, article_path, require_ledger, extract)
        if content:
            memo.put(memo_key, (key, outcome))
        outcomes.append(outcome)
    return outcomes


# Story dates outside these years are rejected: nothing in a digest is older, and times
# near year 1 or 9999 overflow once shifted to another zone (editions, feeds).


def outcome_of(raw, entry, config, article_path, require_ledger=True, extract=None) -> Outcome:
    """The outcome of one parsed, non-duplicate story: published or rejected. Whatever
    fails while its topics and fields are made rejects this story, with the error named:
    the build goes on.

    ``extract(raw, config)``, when given, finds the topics instead of topics.extract
    (the cache's, which remembers them).
    """
    try:
        story = _story_of(raw, entry, config, article_path, extract)
    except StoryError as err:
        return Outcome(raw.source, REJECTED, reason=str(err), warnings=raw.warnings)
    except (OverflowError, ValueError) as err:
        reason = f"a date or number out of range ({err})"
        return Outcome(raw.source, REJECTED, reason=reason, warnings=raw.warnings)
    except Exception as err:  # noqa: BLE001 - one file never stops the build
        reason = f"could not be processed ({type(err).__name__}: {err})"
        return Outcome(raw.source, REJECTED, reason=reason, warnings=raw.warnings)
    if require_ledger and story.id is None:
        reason = "not in the ledger yet: run `gazette ingest` to give it a date and a permanent id"
        return Outcome(raw.source, REJECTED, reason=reason, warnings=raw.warnings)
    return Outcome(raw.source, PUBLISHED, story=story, warnings=raw.warnings)


def _story_of(raw, entry, config, article_path, extract) -> Story:
    wanted = raw.headers.get("topics")
    if wanted:
        found = [t.strip() for t in wanted.split(",") if t.strip()]
    elif extract is not None:
        found = extract(raw, config)
    else:
        found = topics.extract(raw.title, raw.paragraphs, config.topics_min, config.topics_max)
    story = enrich(raw, found, entry, config, article_path)
    for name, when in (("date", story.date), ("modified date", story.modified)):
        if when is not None:
            _check_range(name, when)
    return story


def _check_range(name: str, when: datetime) -> None:
    """A StoryError unless ``when`` is in the ledger's years (EARLIEST..LATEST), in its zone
    and in UTC."""
    try:
        utc = when - (when.utcoffset() or timedelta())
        sane = (
            ledger.EARLIEST <= when.year <= ledger.LATEST
            and ledger.EARLIEST <= utc.year <= ledger.LATEST
        )
    except OverflowError:
        sane = False
    if not sane:
        raise StoryError(
            f"{name} {when.isoformat()} is outside the years {ledger.EARLIEST}-{ledger.LATEST}"
        )


def _normalise_topics(outcomes: list[Outcome]) -> list[Outcome]:
    """One spelling per topic across the site, the spelling most stories use."""
    stories = [o.story for o in outcomes if o.story]
    spelling = topics.canonical_spellings(s.topics for s in stories)
    result = []
    for outcome in outcomes:
        if outcome.story:
            names = tuple(
                dict.fromkeys(spelling[topics.topic_key(t)] for t in outcome.story.topics)
            )
            if names != outcome.story.topics:
                outcome = replace(outcome, story=replace(outcome.story, topics=names))
        result.append(outcome)
    return result


def _unique_slugs(outcomes: list[Outcome]) -> list[Outcome]:
    """The earliest story keeps a shared slug; the others add a stable suffix."""
    groups = defaultdict(list)
    for index, outcome in enumerate(outcomes):
        if outcome.story:
            groups[outcome.story.slug or "story"].append(index)
    taken = set(groups)
    for slug, indexes in groups.items():
        indexes.sort(key=lambda i: _age(outcomes[i].story))
        for n, index in enumerate(indexes):
            story = outcomes[index].story
            new = slug if n == 0 and story.slug else _suffixed(slug, story.source, taken)
            if new != story.slug:
                outcomes[index] = replace(outcomes[index], story=replace(story, slug=new))
    return outcomes


def _age(story: Story):
    return (story.date is None, story.date.timestamp() if story.date else 0, story.source)


def _suffixed(slug: str, source: str, taken: set) -> str:
    digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    for width in range(4, 17):
        candidate = f"{slug}-{digest[:width]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: 16 hex digits of a distinct source collide")


class _Progress:
    """A progress line on a terminal for long runs; silent otherwise."""

    EVERY = 250

    def __init__(self, total: int, stream=None):
        self.total, self.count = total, 0
        self.stream = stream or sys.stderr
        self.live = total >= 1000 and self.stream.isatty()

    def step(self):
        self.count += 1
        if self.live and self.count % self.EVERY == 0:
            self.stream.write(f"\rgazette: read {self.count:,}/{self.total:,} raw files")
            self.stream.flush()

    def done(self):
        if self.live:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
