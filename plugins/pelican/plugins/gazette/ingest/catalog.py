"""The catalog: every raw file of a site with its outcome.

Each file ends as exactly one of: a published ``Story``, a duplicate of
another file, or a rejection with its reason. Site-wide decisions live here
because one file alone cannot make them: which of two identical files is
the story, unique slugs, and one spelling per topic (settle.py). Pure Python; the
Pelican reader and the command line both use it, so what ``gazette inspect``
shows is what the build publishes.

A warm build (the dev server's, or an incremental publish that resumed the last
one's state: machinery/warmstate.py) carries what the last build made of each file,
by the file's stamp (``_Known``), and the site-wide decisions: it reads, parses and
enriches only the files that changed, and the result is what a cold build makes.
"""

import fnmatch
import hashlib
import operator
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import formats, ledger, settle, topics
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
    unread: int = 0  # files known unchanged from the last build (warm builds): not read

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

    def copy(self) -> "Found":
        return Found(
            list(self.files), list(self.refused), list(self.ignored), list(self.links_not_followed)
        )


def walk(
    root: str, article_paths, excludes=(), ignores=(), ledger_path=None, cache_path=None
) -> Found:
    """Everything below the article paths, each real folder once, in path order (a
    folder's files, then its sub-folders). Gazette's own cache folder (``cache_path``) is
    passed over unlisted: it is inside the article paths when they are the whole content
    folder (pelican-quickstart's ``PATH = "content"``), and it fills during a build.

    Follows Pelican's own rules for ARTICLE_EXCLUDES and IGNORE_FILES, so the
    catalog holds exactly the files Pelican hands to the reader. A linked folder is
    followed only when its real path is inside its article path and not walked
    already (``ln -s . loop`` is read once); a link that leads out is rejected by
    name, never read. An unreadable folder is rejected with its reason.

    The same walk again in this process is the one before while no folder it listed has
    changed since (``_Walked``): a build walks once for its settings and once to read.
    """
    key = (root, tuple(article_paths), tuple(excludes), tuple(ignores), ledger_path, cache_path)
    last = _walks.get(key)
    if last is not None and last.still():
        return last.found.copy()
    walked = _walk(root, article_paths, excludes, ignores, ledger_path, cache_path)
    if walked.trusted:
        _walks.clear()  # one walk kept: the site's
        _walks[key] = walked
    return walked.found.copy()


def _walk(root, article_paths, excludes, ignores, ledger_path, cache_path) -> "_Walked":
    found = Found()
    done = _Walked(found)
    excluded = {os.path.normpath(os.path.join(root, e)) for e in excludes}
    cache_real = os.path.realpath(cache_path) if cache_path else None
    ledger_real = os.path.realpath(ledger_path) if ledger_path else None
    ledger_file = (os.path.basename(ledger_real), ledger_real) if ledger_real else None
    ignored = name_matcher(ignores)
    walked: dict[str, str] = {}  # real folder -> its source
    for article_path in article_paths:
        top = os.path.join(root, article_path)
        if not os.path.isdir(top):
            done.trusted = False  # it may come
            continue
        inside = os.path.realpath(top)
        if inside in walked:  # an article path inside another: walked already
            continue
        walked[inside] = relative(top, root)
        folders = [(top, walked[inside])]
        while folders:
            folder, name = folders.pop()
            try:
                done.stamp(folder)
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=_NAME)
            except OSError as err:
                reason = f"cannot read the folder ({err.strerror}): its files are not read"
                found.refused.append(Outcome(name + "/", REJECTED, reason=reason))
                done.trusted = False
                continue
            prefix = name + "/" if name not in ("", ".") else ""
            subfolders = []
            for entry in entries:
                source = prefix + entry.name
                if entry.is_symlink():
                    done.trusted = False  # where a link leads changes without its folder
                if _is_folder(entry):
                    if cache_real and os.path.realpath(entry.path) == cache_real:
                        continue
                    why, refused = _folder_not_walked(
                        entry, entry.path, inside, walked, excluded, ignores, ignored
                    )
                    if refused:
                        found.refused.append(Outcome(source + "/", REJECTED, reason=why))
                        found.links_not_followed.append(source)
                    elif why:
                        found.ignored.append((source + "/", why))
                        if why.startswith(_SAME_FOLDER):
                            found.links_not_followed.append(source)
                    else:
                        walked[os.path.realpath(entry.path)] = source
                        subfolders.append((entry.path, source))
                    continue
                why = _file_not_read(entry, ignores, ignored, ledger_file)
                if why:
                    found.ignored.append((source, why))
                else:
                    found.files.append((source, article_path))
            folders += reversed(subfolders)  # popped in name order
    return done


_NAME = operator.attrgetter("name")


def settled(times: tuple[int, ...], now: int) -> bool:
    """Whether a change after ``now`` (time.time_ns) shows in a file's or folder's times
    (modification, change: st_*_ns), so that the same stamp later means no change. A file
    changed just before ``now`` may change again within the same tick of its file
    system's clock, unseen (git's "racy" entries): a kernel's clock for file times lags by
    up to a few milliseconds, and some file systems keep whole seconds (or two)."""
    for when in times:
        margin = 2_000_000_000 if when % 1_000_000_000 == 0 else 100_000_000
        if when >= now - margin:
            return False
    return True


class _Walked:
    """A walk and the stamp of each folder it listed, as they were just before."""

    def __init__(self, found: Found):
        self.found, self.folders, self.trusted = found, [], True
        self.started = time.time_ns()

    def stamp(self, folder: str) -> None:
        stamp = _folder_stamp(folder)
        self.folders.append((folder, stamp))
        if not settled(stamp[1:3], self.started):
            self.trusted = False

    def still(self) -> bool:
        """Whether every folder listed is as it was (then so is the walk)."""
        try:
            return all(_folder_stamp(folder) == stamp for folder, stamp in self.folders)
        except OSError:
            return False


_walks: dict[tuple, _Walked] = {}


def _folder_stamp(folder: str) -> tuple:
    found = os.stat(folder)
    return (found.st_ino, found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_mode)


def name_matcher(patterns):
    """A test of a name against every IGNORE_FILES pattern at once (fnmatch's rules)."""
    if not patterns:
        return lambda name: False
    either = "|".join(f"(?:{fnmatch.translate(os.path.normcase(p))})" for p in patterns)
    match = re.compile(either).match
    if os.path.normcase("A/") == "A/":  # POSIX: names are compared as they are
        return match
    return lambda name: match(os.path.normcase(name))


_SAME_FOLDER = "the same folder as"


def _is_folder(entry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _folder_not_walked(entry, path, inside, walked, excluded, ignores, ignored) -> tuple[str, bool]:
    """(why the walk does not enter the folder, whether that rejects it); ("", False):
    it is walked."""
    real = os.path.realpath(path)
    if entry.is_symlink() and not _within(real, inside):
        return "a link to a folder outside the content folder: not read", True
    if real in walked:
        return f"{_SAME_FOLDER} {walked[real]}/ (a link), read once", False
    if os.path.normpath(path) in excluded:
        return "excluded by ARTICLE_EXCLUDES", False
    if ignored(entry.name):
        return f"matches IGNORE_FILES ({_pattern(entry.name, ignores)})", False
    if formats.skip_folder(entry.name):
        return "the files of a saved web page, not articles", False
    return "", False


def _file_not_read(entry, ignores, ignored, ledger) -> str:
    """Why the file is not a raw article to read ("" when it is); ``ledger``: the
    ledger's (name, real path)."""
    name = entry.name
    if ignored(name):
        return f"matches IGNORE_FILES ({_pattern(name, ignores)})"
    named_like_it = ledger and name == ledger[0]
    if named_like_it and os.path.realpath(entry.path) == ledger[1]:
        return "the ledger"
    if not is_raw(name):
        suffix = os.path.splitext(name)[1]
        if suffix in PELICAN_SUFFIXES:  # an article of its own: the digest takes it too
            return f"not a raw article ({suffix}): Pelican's own reader makes its page"
        return f"not a raw article ({suffix or 'no suffix'})"
    return ""


def _pattern(name: str, patterns) -> str:
    return next(p for p in patterns if fnmatch.fnmatch(name, p))


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def relative(path: str, root: str) -> str:
    """``path`` relative to ``root``, with "/" separators (called once or more per story)."""
    if path.startswith(root) and _plain(path) and _plain(root):  # the common case, cheaply
        rest = path[len(root) :]
        if rest.startswith(os.sep) and len(rest) > 1:
            return rest[1:].replace(os.sep, "/")
    path, root = os.path.abspath(path), os.path.abspath(root)
    inside = path.startswith(root + os.sep)  # without relpath's work
    path = path[len(root) + 1 :] if inside else os.path.relpath(path, root)
    return path.replace(os.sep, "/")


def _plain(path: str) -> bool:
    """Whether ``path`` is absolute and normalised already (what abspath would leave as
    it is)."""
    sep = os.sep
    return (
        os.path.isabs(path)
        and not path.endswith(sep)
        and f"{sep}{sep}" not in path
        and f"{sep}." not in path
        and (os.altsep is None or os.altsep not in path)
    )


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
    files = _read_all(config, found.files, reuse, progress)
    unread = _unread(files)
    built = _decide(files, entries, config, require_ledger, reuse, prune=whole_site, found=found)
    built.warnings += warnings
    built.unread = unread
    return built


def alone(config, source: str, now: datetime) -> Outcome:
    """What the next ingest and build make of one raw file (``source``, relative to the
    content root), the ledger left as it is: a story the ledger does not know yet, or
    whose text changed, gets the record an ingest at ``now`` gives it. The site-wide
    decisions (duplicates, unique slugs, one spelling per topic) are this file's alone:
    the dev server's first look at a saved story (glue/preview.py). Raises LedgerError
    when the ledger cannot be read."""
    article_path = dict(site_files(config).files).get(source)  # a walk kept while no
    if article_path is None:  # folder changes: the build that follows takes it as it is
        return Outcome(source, REJECTED, reason="not a raw file the build reads")
    entries = ledger.load(os.path.join(config.path, config.ledger))
    one = {source: entries[source]} if source in entries else {}
    files = [(source, article_path)]
    first = build(config, files=files, entries=one, require_ledger=False).outcomes[0]
    if first.status != PUBLISHED:
        return first
    hashes = {source: first.story.content_hash}
    records = list(ledger.records_for(one, hashes, now, config.tag_authority))
    for record in records:
        ledger.apply(one, record)
    return build(config, files=files, entries=one).outcomes[0] if records else first


def site_files(config) -> Found:
    """The walk of the site's article paths (``walk``), by its settings."""
    return walk_of(config, config.article_paths)


def walk_of(config, article_paths) -> Found:
    """``walk`` of these article paths by the site's settings (its excludes, ignored
    names, ledger and cache folder)."""
    return walk(
        config.path,
        article_paths,
        config.article_excludes,
        config.ignore_files,
        os.path.join(config.path, config.ledger),
        os.path.join(config.path, config.cache_path) if config.cache_path else None,
    )


class _File:
    """One raw file of this build as it is read: its parse (``raw``: None while not needed,
    its outcome known from the last build), the parse cache's key of its bytes
    (``content``), its stamp when it can vouch for them, and what the last build made of
    it (``known``)."""

    __slots__ = ("source", "article_path", "raw", "content", "stamp", "known")

    def __init__(self, source: str, article_path: str):
        self.source, self.article_path = source, article_path
        self.raw = self.content = self.stamp = self.known = None


@dataclass(frozen=True)
class _Known:
    """What a build made of one file before the site-wide decisions, carried to the next
    build (``Reuse.memo("catalog files")``: warm builds only) with everything it depends on
    besides the settings: the bytes (``content``), its article path, its ledger entry and
    whether an entry was required. ``stamp`` (inode, size, times) vouches for the bytes
    unread; None when the file changed too recently to (``settled``)."""

    stamp: tuple | None
    content: bytes
    article_path: str
    entry: object
    required: bool  # a ledger entry was required and there was none
    key: bytes | None  # the text's key (duplicates); None: not parsed as a story
    warnings: tuple[str, ...]
    outcome: Outcome | None  # None: a duplicate, whose outcome was not needed

    def made_with(self, article_path: str, entry, required: bool) -> bool:
        return (
            article_path == self.article_path
            and required == self.required
            and (entry is self.entry or entry == self.entry)
        )


def _read_all(config, files, reuse, progress=None) -> list[_File]:
    """Each file read (or known unchanged since the last build), in order."""
    cache = reuse.cache
    progress = progress or _Progress(len(files))
    known = reuse.memo("catalog files")
    now = time.time_ns()
    read, missing = [], []
    root = os.path.join(config.path, "")
    for source, article_path in files:
        item = _File(source, article_path)
        path = root + source
        _read(item, path, config, cache, known, now)
        if item.raw is None and item.known is None:  # not in the cache: parsed below
            missing.append((item, path))
        read.append(item)
        progress.step()
    progress.done()
    if missing:
        try:
            results = cache.parse_files([(path, item.source) for item, path in missing], config)
        except Exception:  # noqa: BLE001 - a file broke a worker: each alone, named
            results = [_read_alone(item, config) for item, _ in missing]
        for (item, _), raw in zip(missing, results, strict=True):
            item.raw = raw
    return read


def _unread(files: list[_File]) -> int:
    return sum(1 for item in files if item.raw is None and item.known is not None)


def _decide(files, entries, config, require_ledger, reuse=NO_REUSE, prune=None, found=None):
    """The site-wide decisions on read files: duplicates, outcomes, topics, slugs."""
    enriched = _enrich(files, entries, config, require_ledger, reuse, prune)
    return _settle(enriched, config, found, reuse)


def _enrich(files, entries, config, require_ledger, reuse=NO_REUSE, prune=None) -> list[Outcome]:
    """Each read file's outcome, duplicates found. The cache is saved once it holds
    every file's topics, unless ``prune`` is None (True: only this build's files are kept)."""
    outcomes = _deduplicate_and_enrich(files, entries, config, require_ledger, reuse)
    if reuse.cache and prune is not None:
        reuse.cache.save(prune=prune)
    return outcomes


def _settle(outcomes: list[Outcome], config, found: Found | None = None, reuse=NO_REUSE):
    """The catalog of enriched outcomes, once topics' spellings and slugs are decided;
    with what the walk (``found``) rejected unread and ignored. A warm build carries the
    decisions' state (settle.py) and redoes only what the changed stories change."""
    state = reuse.memo("site-wide").take("state") or settle.Decisions()
    outcomes = state.decide(outcomes)
    reuse.memo("site-wide").put("state", state)
    if found is not None:
        outcomes = outcomes + found.refused
    ignored = list(found.ignored) if found is not None else []
    return Catalog(config.path, sorted(outcomes, key=_SOURCE), ignored)


_SOURCE = operator.attrgetter("source")


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
        files = _read_all(config, found.files, reuse)
        unread = _unread(files)
        enriched = _enrich(files, entries, config, False, reuse, prune=True)
        built = _settle(enriched, config, found, reuse)
        built.unread = unread
        built.warnings += book.warnings
        hashes = {s.source: s.content_hash for s in built.stories()}
        records = list(ledger.records_for(entries, hashes, now, config.tag_authority))
        missing = not entries and bool(hashes) and not book.existed
        for record in records:
            ledger.apply(entries, record)
        recorded = _recorded(built, enriched, files, records, entries, config, reuse, found)
        recorded.warnings += book.warnings if recorded is not built else []
        recorded.unread = unread
        places = {s.source: (s.slug, s.date) for s in recorded.stories()}
        written = ledger.with_addresses(records, entries, places, now)
        book.append(written)
        _carry_entries(files, {r["source"] for r in written}, entries, reuse)
        if written and not book.existed:  # the walk came before the ledger: list it now
            found.ignored = site_files(config).ignored
            built.ignored = recorded.ignored = list(found.ignored)
    new = sum(1 for r in records if "first_seen" in r)
    moved = sum(1 for r in written if "moved" in r and entries[r["source"]].addresses[:-1])
    known = len(hashes) - new
    return Ingested(new, len(records) - new, known, built, missing, recorded, moved)


def _recorded(built, enriched, files, records, entries, config, reuse, found) -> Catalog:
    """The catalog once ``records`` are in ``entries``: only the recorded stories change,
    every other had its entry already."""
    if not records:
        return built
    changed = {r["source"] for r in records}
    cache = reuse.cache
    extract = cache.topics if cache else None
    memo = reuse.memo("catalog files")
    redone = {}
    for item in files:
        if item.source in changed:
            entry = entries.get(item.source)
            raw = _raw_of(item, config, cache)
            outcome = outcome_of(raw, entry, config, item.article_path, True, extract)
            redone[item.source] = outcome
            if item.known is not None:  # what the next build takes, its entry recorded now
                item.known = replace(item.known, entry=entry, outcome=outcome)
                memo.put(item.source, item.known)
    return _settle([redone.get(o.source, o) for o in enriched], config, found, reuse)


def _carry_entries(files, sources: set, entries, reuse) -> None:
    """Carry the outcomes of ``sources`` to the next build with their ledger entries as
    now written, URLs included: what the next build reads. (A story is the same whatever
    its entry's URLs: this build publishes it as decided before they were recorded.)"""
    memo = reuse.memo("catalog files")
    for item in files:
        if item.source in sources and item.known is not None:
            item.known = replace(item.known, entry=entries.get(item.source))
            memo.put(item.source, item.known)


def _read(item: _File, path: str, config, cache=None, known=_NO_MEMO, now=0) -> None:
    """Read the file into ``item``: its parse (``raw``: None when ``cache`` does not hold
    it), or why it is not read; or, when its stamp (inode, size, modification and change
    times) is the one it had when the last build read it, only what that build made of
    it (``known``), from a warm build's memo.

    Only a regular file whose real path is inside its article path (``config.path``
    when none is given) is read, and never more than GAZETTE_MAX_FILE_BYTES of it,
    whatever ``stat`` said.
    """
    source, limit = item.source, config.max_file_bytes
    try:
        found, target = os.lstat(path), path
        if stat.S_ISLNK(found.st_mode):  # (the folders it is in were checked by the walk)
            target = os.path.realpath(path)
            if not os.path.exists(target):
                item.raw = Rejection(source, "cannot read the file (a link to nothing)")
                return
            inside = os.path.realpath(os.path.join(config.path, item.article_path or ""))
            if not _within(target, inside):
                reason = "a link to a file outside the content folder: not read"
                item.raw = Rejection(source, reason)
                return
            found = os.stat(target)
        if not stat.S_ISREG(found.st_mode):
            kind = _kind(found.st_mode)
            item.raw = Rejection(source, f"not a regular file ({kind}): not read")
            return
        if found.st_size > limit:
            item.raw = Rejection(
                source, f"file too large ({found.st_size:,} bytes; the limit is {limit:,})"
            )
            return
    except OSError as err:
        item.raw = Rejection(source, f"cannot read the file ({err.strerror or err})")
        return
    stamp = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    last = known.take(source)
    if last is not None and last.stamp == stamp:  # unchanged since it was read
        item.known, item.content, item.stamp = last, last.content, stamp
        if cache is not None:
            cache.keep(last.content, source)
        return
    data = read_or_reason(target, limit)
    if isinstance(data, str):
        item.raw = Rejection(source, data)
        return
    item.content = hashlib.sha256(data).digest()
    if settled((found.st_mtime_ns, found.st_ctime_ns), now):
        item.stamp = stamp  # else it may change again unseen within its clock's tick
    if last is not None and last.content == item.content:
        item.known = last
        if cache is not None:
            cache.keep(item.content, source)
    elif cache is None:
        item.raw = parse_guarded(data, source, config.parse_options)
    else:
        item.raw = cache.get_by_key(item.content, source)


def _read_alone(item: _File, config):
    """The file's parse, read again without a cache (a worker failed on it)."""
    alone = _File(item.source, item.article_path)
    _read(alone, os.path.join(config.path, item.source), config)
    return alone.raw


def _raw_of(item: _File, config, cache):
    """The file's parse, made now when only its outcome was known."""
    if item.raw is None and cache is not None and item.content is not None:
        item.raw = cache.get_by_key(item.content, item.source)
    if item.raw is None:
        item.raw = _read_alone(item, config)
    return item.raw


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


def _deduplicate_and_enrich(files, entries, config, require_ledger, reuse=NO_REUSE):
    """Each file's outcome before the site-wide decisions. A file the last build made
    the same of (``_Known``: same bytes, article path and ledger entry) takes its text key
    and outcome from it (warm builds)."""
    cache = reuse.cache
    extract = cache.topics if cache else None
    memo = reuse.memo("catalog files")
    outcomes, first_with = [], {}
    for item in files:
        entry = entries.get(item.source)
        required = require_ledger and entry is None
        known = item.known
        if known is None or not known.made_with(item.article_path, entry, required):
            known = _know(item, config, cache, entry, required)
        if known.key is None:  # not parsed as a story
            outcome = known.outcome
        elif known.key in first_with:
            reason = f"duplicate of {first_with[known.key]}"
            outcome = Outcome(item.source, DUPLICATE, reason=reason, warnings=known.warnings)
        else:
            first_with[known.key] = item.source
            if known.outcome is None:
                raw = _raw_of(item, config, cache)
                made = outcome_of(raw, entry, config, item.article_path, required, extract)
                known = replace(known, outcome=made)
            outcome = known.outcome
        if item.content is not None:
            item.known = known if known.stamp == item.stamp else replace(known, stamp=item.stamp)
            memo.put(item.source, item.known)
        outcomes.append(outcome)
    return outcomes


def _know(item: _File, config, cache, entry, required: bool) -> _Known:
    """The file's text key, its outcome left to make (or its rejection)."""
    raw = _raw_of(item, config, cache)
    if isinstance(raw, Rejection):
        outcome = Outcome(raw.source, REJECTED, reason=raw.reason, warnings=raw.warnings)
        return _Known(
            item.stamp, item.content, item.article_path, entry, required, None, (), outcome
        )
    # The text's key: files equal but for spacing are duplicates.
    key = hashlib.sha256(" ".join(story_text(raw).split()).encode()).digest()
    return _Known(
        item.stamp, item.content, item.article_path, entry, required, key, raw.warnings, None
    )


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
