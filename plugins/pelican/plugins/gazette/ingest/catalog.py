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
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import ledger, topics
from .formats import is_raw, parse_file
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


def find_raw_files(root: str, article_paths, excludes=(), ignores=()) -> list[tuple[str, str]]:
    """(source, article path) for every raw article (formats.is_raw) below the article paths.

    Follows Pelican's own rules for ARTICLE_EXCLUDES and IGNORE_FILES, so the
    catalog holds exactly the files Pelican hands to the reader.
    """
    found = []
    excluded = {os.path.normpath(os.path.join(root, e)) for e in excludes}
    for article_path in article_paths:
        top = os.path.join(root, article_path)
        for folder, dirs, files in os.walk(top, followlinks=True):
            dirs[:] = sorted(
                d
                for d in dirs
                if os.path.normpath(os.path.join(folder, d)) not in excluded
                and not any(fnmatch.fnmatch(d, pattern) for pattern in ignores)
            )
            for name in sorted(files):
                if is_raw(name) and not any(fnmatch.fnmatch(name, p) for p in ignores):
                    found.append((relative(os.path.join(folder, name), root), article_path))
    return found


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

    ``files`` is a list of (source, article path) relative to ``config.path``
    (found from the settings when None); ``entries`` the ledger (read from
    ``config.ledger`` when None). With ``require_ledger`` a story the ledger
    does not know is rejected: it has no permanent id yet. ``reuse``: earlier work
    the caller hands in (a parse cache, the warm build's memos).
    """
    root = config.path
    whole_site = files is None
    if files is None:
        files = find_raw_files(
            root, config.article_paths, config.article_excludes, config.ignore_files
        )
    if entries is None:
        try:
            entries = ledger.load(os.path.join(root, config.ledger))
        except ledger.LedgerError as err:
            reason = f"the ledger is damaged ({err}): fix it or restore it from version control"
            return Catalog(root, [Outcome(source, REJECTED, reason=reason) for source, _ in files])
    parsed = _read_all(config, files, reuse, progress)
    return _decide(parsed, entries, config, require_ledger, reuse, prune=whole_site)


def _read_all(config, files, reuse, progress=None) -> list:
    """(parsed file, article path) for each file."""
    cache = reuse.cache
    progress = progress or _Progress(len(files))
    parsed, missing = [], []
    seen = reuse.memo("raw files")  # source -> (file stamp, content key)
    for source, article_path in files:
        path = os.path.join(config.path, source)
        raw = _read(path, source, config, cache, seen)
        if raw is None:  # not in the cache: parsed below, with the others
            missing.append((len(parsed), path, source))
        parsed.append((raw, article_path))
        progress.step()
    progress.done()
    if missing:
        results = cache.parse_files([(path, source) for _, path, source in missing], config)
        for (index, _, _), raw in zip(missing, results, strict=True):
            parsed[index] = (raw, parsed[index][1])
    return parsed


def _decide(parsed, entries, config, require_ledger, reuse=NO_REUSE, prune=None) -> Catalog:
    """The site-wide decisions on parsed files: duplicates, outcomes, topics, slugs."""
    return _settle(_enrich(parsed, entries, config, require_ledger, reuse, prune), config)


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


def _settle(outcomes: list[Outcome], config) -> Catalog:
    """The catalog of enriched outcomes, once topics' spellings and slugs are decided."""
    outcomes = _normalise_topics(outcomes)
    outcomes = _unique_slugs(outcomes)
    return Catalog(config.path, sorted(outcomes, key=lambda o: o.source))


@dataclass
class Ingested:
    new: int  # stories first seen now
    revised: int
    known: int  # already in the ledger (revised ones included)
    catalog: Catalog  # built before the new records: without their ids and dates
    missing_ledger: bool  # there was no ledger file: everything was new
    recorded: Catalog | None = None  # with the new records: what a build now publishes

    @property
    def summary(self) -> str:
        return (
            f"{self.new} new, {self.revised} revised, {self.known} already known; "
            f"{self.catalog.summary()}"
        )


def ingest(config, now, reuse=NO_REUSE) -> Ingested:
    """Record new and revised stories in the ledger, first seen ``now``. The files are
    read once: the catalog with the new records is decided from the same parse."""
    path = os.path.join(config.path, config.ledger)
    entries = ledger.load(path)
    files = find_raw_files(
        config.path, config.article_paths, config.article_excludes, config.ignore_files
    )
    parsed = _read_all(config, files, reuse)
    enriched = _enrich(parsed, entries, config, False, reuse, prune=True)
    built = _settle(enriched, config)
    hashes = {s.source: s.content_hash for s in built.stories()}
    records = list(ledger.records_for(entries, hashes, now, config.tag_authority))
    missing = not entries and bool(hashes) and not os.path.exists(path)
    ledger.append(path, records)
    for record in records:
        ledger.apply(entries, record)
    recorded = built  # nothing new: every story already had its entry
    if records:  # only the recorded stories change: every other had its entry already
        changed = {r["source"] for r in records}
        extract = reuse.cache.topics if reuse.cache else None
        redone = {
            raw.source: outcome_of(raw, entries.get(raw.source), config, where, True, extract)
            for raw, where in parsed
            if raw.source in changed
        }
        recorded = _settle([redone.get(o.source, o) for o in enriched], config)
    new = sum(1 for r in records if "first_seen" in r)
    return Ingested(new, len(records) - new, len(hashes) - new, built, missing, recorded)


def _read(path: str, source: str, config, cache=None, seen=None) -> RawStory | Rejection | None:
    """The file parsed, or why it cannot be read; None when ``cache`` does not hold it.

    ``seen`` (a memo of the warm build's) gives the content key of a file whose stamp (inode, size,
    modification and change times) is the one of the last build: the build server then
    does not read it again.
    """
    try:
        found = os.stat(path)
        if found.st_size > config.max_file_bytes:
            limit = config.max_file_bytes
            return Rejection(
                source, f"file too large ({found.st_size:,} bytes; the limit is {limit:,})"
            )
        stamp = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        known = seen.take((source, stamp)) if seen and cache is not None else None
        if known is not None:
            return cache.get_by_key(known, source)
        with open(path, "rb") as raw:
            data = raw.read()
    except OSError as err:
        return Rejection(source, f"cannot read the file ({err.strerror})")
    if cache is None:
        return parse_file(data, source, config.junk)
    result = cache.get(data, source)
    if seen is not None:
        seen.put((source, stamp), cache.by_source[source])
    return result


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


def outcome_of(raw, entry, config, article_path, require_ledger=True, extract=None) -> Outcome:
    """The outcome of one parsed, non-duplicate story: published or rejected.

    ``extract(raw, config)``, when given, finds the topics instead of topics.extract
    (the cache's, which remembers them).
    """
    wanted = raw.headers.get("topics")
    if wanted:
        found = [t.strip() for t in wanted.split(",") if t.strip()]
    elif extract is not None:
        found = extract(raw, config)
    else:
        found = topics.extract(raw.title, raw.paragraphs, config.topics_min, config.topics_max)
    try:
        story = enrich(raw, found, entry, config, article_path)
    except StoryError as err:
        return Outcome(raw.source, REJECTED, reason=str(err), warnings=raw.warnings)
    if require_ledger and story.id is None:
        reason = "not in the ledger yet: run `gazette ingest` to give it a date and a permanent id"
        return Outcome(raw.source, REJECTED, reason=reason, warnings=raw.warnings)
    return Outcome(raw.source, PUBLISHED, story=story, warnings=raw.warnings)


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
