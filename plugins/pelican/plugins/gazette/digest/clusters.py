"""Near-duplicates and story clusters ("more coverage"). Pure.

Two groupings of the same stories, one inside the other:

* **Versions** (near-duplicates): the same story re-sent, updated or lightly
  edited: the wire's ``UPDATE 1-…``, a republished copy, re-wrapped lines, a
  paragraph added or dropped, an edited headline. Found with MinHash and LSH
  (datasketch's affine32 scheme, computed here with numpy on whole arrays:
  datasketch calls a Python function per shingle and pulls in scipy) over
  word shingles of the headline and the body, each
  candidate then checked exactly on its shingle sets (Jaccard, or containment
  when one version holds most of the other). Of a group, the newest *full*
  version is shown; the others are listed as its versions.
* **Events**: different stories about the same event within a window (two
  days by default). Found with MinHash and LSH, at a lower threshold, over the
  content words of the headline and the lede (stemmed; no numbers, no stock
  words, none found in many of the stories), each candidate checked exactly:
  Jaccard, a minimum of shared words, at least two shared *rare* words (in few
  stories or on few days: names, tickers; one template's briefs about
  different companies share only the template), and the time window. A
  cluster is the union (union-find) of these pairs and of the version pairs,
  never spanning more than the window, shown as one card with a "More
  coverage" list.

No pair of stories is ever compared unless LSH puts them in a common bucket,
so the work grows near-linearly with the number of stories.

**Deterministic.** Stories are sorted by (time, id) before anything else; the
MinHash seeds are fixed; the candidate pairs LSH returns do not depend on the
insertion order, and neither does the partition union-find makes of them.
The same stories in any order give the same result.

**Stable cluster ids.** A cluster's id is the ``id`` of its earliest member
(by time, then by id): a story that joins later never moves it. Event pairs
are taken in the order their later story arrives, so a later story cannot
undo what earlier ones made of each other. What can still move an id: a
story dated *before* all members joining; two clusters merging through a new
version (the merged cluster keeps the earlier id); and, rarely, a word
becoming common or no longer rare as the collection grows (the word lists are
counted over all the stories given).
:func:`anchor` turns a cluster id into a short fragment for URLs.

Use: ``group([Doc(...), ...])`` returns a :class:`Grouping`; every field is
keyed by the stories' ids.
"""

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np


@dataclass(frozen=True)
class Doc:
    """One story as the clustering sees it."""

    id: str  # the story's permanent id (the ledger's tag: URI)
    title: str
    text: str  # the plain body text
    when: datetime  # timezone-aware
    source: str | None = None  # the agency or publisher, when known
    key: str = ""  # a hash of (at least) the headline and text, when the caller has one


@dataclass(frozen=True)
class Settings:
    """Every knob, with the value the bench (bench/clusters.py) chose."""

    # Versions: word shingles of this many words, MinHash of num_perm, LSH bands.
    shingle: int = 4
    num_perm: int = 128
    bands: tuple[int, int] = (42, 3)  # (bands, rows): a pair at Jaccard 0.5 is a candidate 99.6%
    # A candidate is a version when its exact shingle Jaccard reaches min_jaccard, or
    # when the smaller version's shingles are at least min_containment in the larger
    # and it is at least min_ratio of its size (a brief inside a round-up is no version)
    min_jaccard: float = 0.5
    min_containment: float = 0.9
    min_ratio: float = 0.3
    headline_share: float = 0.5  # ...and the headlines share half the shorter one's words
    short_body: int = 30  # a body of fewer shingles is a brief: its headline must match too
    duplicate_window: timedelta | None = timedelta(days=7)  # None: any distance in time
    # Of a group of versions, the newest one with at least this share of the
    # longest version's words is shown.
    full_share: float = 0.67
    # Events: content words of the headline and the first lede_words of the body.
    lede_words: int = 60
    event_num_perm: int = 64
    event_bands: tuple[int, int] = (32, 2)
    event_jaccard: float = 0.3
    event_min_shared: int = 5
    # A word found in more than this share of the stories (and in more than
    # event_common_min of them) is too common to tell events apart.
    event_common_share: float = 0.02
    event_common_min: int = 50
    # A pair shares at least event_min_rare words found in no more than
    # max(event_rare_min, event_rare_share * stories) stories, or on no more than
    # max(event_moment_days, event_moment_share * days) of the days the stories cover.
    event_min_rare: int = 2
    event_rare_min: int = 5
    event_rare_share: float = 0.002
    event_moment_days: int = 2
    event_moment_share: float = 0.1
    window: timedelta = timedelta(days=2)
    seed: int = 1


DEFAULT = Settings()


@dataclass(frozen=True)
class Grouping:
    """Where each story belongs. Every id is a :class:`Doc` ``id``."""

    cluster_of: dict[str, str]  # every story -> its cluster's id
    duplicate_of: dict[str, str]  # a near-duplicate -> the version shown in its place
    members: dict[str, tuple[str, ...]]  # cluster id -> every story in it, by (time, id)
    versions: dict[str, tuple[str, ...]]  # a shown story -> its other versions, newest first
    coverage: dict[str, tuple[str, ...]]  # cluster id -> its shown stories, newest first
    stats: dict = field(default_factory=dict)

    def is_duplicate(self, doc_id: str) -> bool:
        return doc_id in self.duplicate_of

    def shown(self, doc_id: str) -> str:
        """The story shown in place of ``doc_id`` (itself unless it is a version)."""
        return self.duplicate_of.get(doc_id, doc_id)

    def more_coverage(self, doc_id: str) -> tuple[str, ...]:
        """The other shown stories of ``doc_id``'s cluster: its "More coverage" list."""
        lead = self.shown(doc_id)
        return tuple(i for i in self.coverage[self.cluster_of[doc_id]] if i != lead)

    def size(self, cluster_id: str) -> int:
        """How many different stories (versions counted once) cover the event."""
        return len(self.coverage[cluster_id])


def of_stories(stories, settings: Settings = DEFAULT, memo=None) -> Grouping:
    """The grouping of published Stories (ingest/story.py), by their ids (their source
    when the ledger has none yet): the build and ``gazette inspect`` make it alike."""
    docs = [_StoryDoc(story) for story in stories if story.date is not None]
    return group(docs, settings, memo)


class _StoryDoc:
    """A Story as a Doc, its text joined at each use: all of a large site's texts at once
    would be most of the grouping's memory (75 MB at 20,000 stories), and with the parts
    made ahead (``Ahead``) only its memo key and the candidate pairs read them."""

    __slots__ = ("id", "title", "when", "source", "key", "_story")

    def __init__(self, story) -> None:
        self.id, self.title, self.when = story.id or story.source, story.title, story.date
        self.source, self.key, self._story = story.credited_source, story.content_hash, story

    @property
    def text(self) -> str:
        return self._story.body_text


def fields_of(story, grouping: Grouping | None) -> dict:
    """A published story's ``cluster`` id and, for a near-duplicate, ``near_duplicate_of``
    (the id of the version shown in its place); nothing when clustering is off."""
    key = story.id or story.source
    if grouping is None or key not in grouping.cluster_of:
        return {}
    fields = {"cluster": grouping.cluster_of[key]}
    if key in grouping.duplicate_of:
        fields["near_duplicate_of"] = grouping.duplicate_of[key]
    return fields


def anchor(cluster_id: str) -> str:
    """A short, stable fragment for a cluster's anchor or page name."""
    return "c" + hashlib.blake2b(cluster_id.encode("utf-8"), digest_size=5).hexdigest()


# --- Text --------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# The wire's and the sites' version marks at the head of a headline.
_VERSION_MARK = re.compile(
    r"^\s*(?:(?:update|refile|rpt|repeat|corrected|correction|wrapup|wrap[ -]up|"
    r"exclusive|analysis|factbox|recasts?|adds)\s*\d*\s*[-:\u2013\u2014|]+\s*)+",
    re.IGNORECASE,
)

# Function words and the newsroom's stock words: they say nothing about which event.
_STOP = frozenset(
    """a about above after again against all almost along already also although always am
    among an and another any are around as at back be became because become been before
    being below between both but by can could did do does doing done down during each
    either else even ever every few for from further get gets got had has have having he
    her here hers herself him himself his how however i if in into is it its itself just
    least less like made make many may me might more most much must my near need neither
    never new next no nor not now of off often on once one only or other others our ours
    out over own per perhaps put rather said same say saying says see seen several shall
    she should since so some still such than that the their theirs them themselves then
    there these they this those though through thus to too two under until up upon us
    very via was we well were what when where whether which while who whom whose why will
    with within without would yet you your yours
    according added adds announced asked called comment comments company companies told
    week weeks month months year years today yesterday tomorrow day days time times
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    pct percent mln million billion bln dlrs dlr dollar dollars cts cent cents shr shrs
    net qtr quarter revs revenue inc corp corporation co ltd plc llc group unit
    reuter reuters update told spokesman spokeswoman statement official officials
    mr mrs ms dr last first second third three four five six seven eight nine ten""".split()
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def headline(title: str) -> str:
    """The headline without the version marks (``UPDATE 1-``, ``REFILE-``…)."""
    return _VERSION_MARK.sub("", title).strip()


_word_hashes: dict[str, int] = {}


def _hash_words(words: list[str]) -> np.ndarray:
    """Stable 32-bit hashes of words (CRC-32: the same in every process)."""
    cache = _word_hashes
    if len(cache) > 2_000_000:  # a memo, not a store: keep it bounded
        cache.clear()
    for word in set(words).difference(cache):
        cache[word] = zlib.crc32(word.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)  # fmt: skip


def _shingles(words: list[str], k: int, salt: int) -> np.ndarray:
    """32-bit hashes of the word k-shingles (one shingle for a text shorter than k)."""
    if not words:
        return np.empty(0, dtype=np.uint32)
    hashes = _hash_words(words)
    k = min(k, len(hashes))
    count = len(hashes) - k + 1
    with np.errstate(over="ignore"):
        mixed = np.full(count, salt, dtype=np.uint64)
        for j in range(k):
            mixed = mixed + hashes[j : j + count] * _MIX[j % len(_MIX)]
        mixed ^= mixed >> np.uint64(29)
        mixed = mixed * np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(32)
    return (mixed & np.uint64(0xFFFFFFFF)).astype(np.uint32)


@dataclass(frozen=True)
class _Split:
    """A story's words, split once: its headline (without version marks) and body."""

    title: list[str]
    body: list[str]


def _split(doc: Doc) -> _Split:
    return _split_text(doc.title, doc.text)


def _split_text(title: str, text: str) -> _Split:
    return _Split(_words(headline(title)), _words(text))


def version_shingles(doc: Doc, k: int) -> np.ndarray:
    """The sorted, unique shingle hashes of a story's headline and body.

    Headline and body are shingled apart (no shingle spans both), the
    headline without its version marks; line breaks and spacing never count.
    """
    return _version(_split(doc), k).shingles


def _title_shingles(split: _Split, k: int) -> np.ndarray:
    return _shingles(split.title, k, salt=1)


def _body_shingles(split: _Split, k: int) -> np.ndarray:
    return np.unique(_shingles(split.body, k, salt=2))


@dataclass(frozen=True)
class _Version:
    """What the exact check of a pair of versions looks at."""

    shingles: np.ndarray  # headline and body
    body: np.ndarray
    title: frozenset[str]


def _version(split: _Split, k: int) -> _Version:
    body = _body_shingles(split, k)
    both = np.unique(np.concatenate([_title_shingles(split, k), body]))
    return _Version(both, body, frozenset(split.title))


_SUFFIXES = ("ation", "ated", "ates", "ating", "ings", "ing", "ions", "ion", "ed", "es", "s")


def _stem(word: str) -> str:
    """A crude stem: "floods", "flooded", "flooding" -> "flood"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content_stem(word: str) -> str:
    """The stem of a content word; "" for a number, a stock word or a short one."""
    if len(word) <= 2 or word in _STOP or any(c.isdigit() for c in word):
        return ""
    return _stem(word)


_stems: dict[str, str] = {}  # word -> _content_stem(word): words recur across stories


def event_words(split: _Split, lede_words: int) -> set[str]:
    """The content words of the headline and the lede, stemmed (no numbers, no stock words)."""
    memo = _stems
    if len(memo) > 2_000_000:  # a memo, not a store: keep it bounded
        memo.clear()
    words = split.title + split.body[:lede_words]
    for word in set(words).difference(memo):
        memo[word] = _content_stem(word)
    stems = set(map(memo.__getitem__, words))
    stems.discard("")
    return stems


# --- MinHash and LSH ---------------------------------------------------------
# The signatures are datasketch's MinHash "affine32" scheme, bit for bit
# (tests/test_clusters.py compares them): each 32-bit shingle hash is mixed by
# MurmurHash3's finaliser, then mapped by num_perm affine permutations modulo
# 2**32 whose odd multipliers and offsets come from numpy's RandomState(seed),
# and a signature holds each permutation's minimum. LSH buckets are equal runs
# of ``rows`` signature values, as datasketch's MinHashLSH bands are.

_MAX32 = np.uint32(0xFFFFFFFF)


def _fmix32(hashes: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = hashes ^ (hashes >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        return h ^ (h >> np.uint32(16))


class _Hasher:
    """MinHash signatures that share one set of permutations (made once)."""

    def __init__(self, num_perm: int, seed: int) -> None:
        gen = np.random.RandomState(seed)
        odd = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self.a = odd.reshape(1, -1)
        self.b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32).reshape(1, -1)
        self.num_perm, self.seed = num_perm, seed

    def __call__(self, hashes: np.ndarray) -> np.ndarray:
        if not len(hashes):
            return np.full(self.num_perm, _MAX32, dtype=np.uint32)
        mixed = _fmix32(np.asarray(hashes, dtype=np.uint32)).reshape(-1, 1)
        with np.errstate(over="ignore"):
            return (mixed * self.a + self.b).min(axis=0)


def _candidates(signatures: list[np.ndarray], bands: tuple[int, int], num_perm: int):
    """Every pair (i < j) whose signatures agree on all rows of at least one band."""
    if len(signatures) < 2:
        return []
    matrix = np.vstack(signatures)
    count, rows = bands
    pairs = set()
    for band in range(count):
        block = matrix[:, band * rows : (band + 1) * rows]
        order = np.lexsort(block.T[::-1])
        ordered = block[order]
        same = np.all(ordered[1:] == ordered[:-1], axis=1)
        if not same.any():
            continue
        # runs of equal keys: the starts and ends of each stretch of ``same``
        edges = np.flatnonzero(np.diff(np.concatenate(([0], same.view(np.int8), [0]))))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            members = sorted(order[start : end + 1].tolist())
            pairs.update((i, j) for n, i in enumerate(members) for j in members[n + 1 :])
    return sorted(pairs)


class _UnionFind:
    """Union-find over 0..n-1 whose root is always the smallest index."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Exact Jaccard, containment of the smaller in the larger, and size ratio
    (smaller / larger) of two sorted unique shingle arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    small, large = sorted((len(a), len(b)))
    return inter / (small + large - inter), inter / small, small / large


def _same_headline(a: frozenset[str], b: frozenset[str], share: float) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= share


def is_version(a: _Version, b: _Version, settings: "Settings") -> bool:
    """The exact rule a candidate pair of versions must pass.

    A short body (a brief) needs much the same headline in any case. Then
    either the headline-and-body shingles are alike (Jaccard), or one body is
    (nearly) all inside the other, not much smaller, under much the same
    headline: a paragraph added or dropped. Without the headline a round-up
    that quotes a whole brief would join the brief's versions, and, through
    them, chain two different stories together.
    """
    same_headline = _same_headline(a.title, b.title, settings.headline_share)
    if min(len(a.body), len(b.body)) < settings.short_body and not same_headline:
        return False  # two briefs of one template ("Qtly div 10 cts vs 10 cts prior...")
    if overlap(a.shingles, b.shingles)[0] >= settings.min_jaccard:
        return True
    _, containment, ratio = overlap(a.body, b.body)
    return containment >= settings.min_containment and ratio >= settings.min_ratio and same_headline


# --- The grouping ------------------------------------------------------------


def _utc(doc: Doc) -> datetime:
    if doc.when.tzinfo is None or doc.when.utcoffset() is None:
        raise ValueError(f"{doc.id}: the time must be timezone-aware")
    return doc.when.astimezone(UTC)


@dataclass(frozen=True)
class _Prepared:
    """What the grouping keeps of a story: small (about 1 KB), and the same for the same
    headline, text and settings, so a warm build reuses it (``memo``)."""

    signature: np.ndarray  # MinHash of the version shingles
    words: tuple[str, ...]  # event_words, sorted
    length: int  # body words


def _prepared(doc: Doc, settings: Settings, hasher: _Hasher, memo) -> _Prepared:
    key = None
    if memo is not None:
        key = _memo_key(doc.title, doc.text, settings, doc.key)
        found = memo.take(key)
        if found is not None:
            return found
    made = _prepare(doc.title, doc.text, settings, hasher)
    if memo is not None:
        memo.put(key, made)
    return made


def _memo_key(title: str, text: str, settings: Settings, known: str = "") -> tuple:
    """A story's ``_Prepared`` by everything it depends on: ``known``, a hash of its
    headline and text the caller has (a Story's content hash), or one made of them."""
    if known:
        return (known, _memo_parts(settings))
    data = f"{title}\0{text}".encode("utf-8", "surrogatepass")
    return (hashlib.blake2b(data, digest_size=16).digest(), _memo_parts(settings))


def _memo_parts(settings: Settings) -> tuple:
    """The settings a story's ``_Prepared`` depends on (the rest of its memo key)."""
    return (settings.shingle, settings.num_perm, settings.seed, settings.lede_words)


def _prepare(title: str, text: str, settings: Settings, hasher: _Hasher) -> _Prepared:
    split = _split_text(title, text)
    words = tuple(sorted(event_words(split, settings.lede_words)))
    return _Prepared(hasher(_version(split, settings.shingle).shingles), words, len(split.body))


# --- Made ahead, where the stories are parsed ----------------------------------------


def prepare_ahead(title: str, text: str, known: str = "", settings: Settings = DEFAULT) -> tuple:
    """What ``group`` needs of one story, made where it is parsed (a parse worker, beside
    the parse: the build's own process is the longest path of a first build) in plain
    values ``marshal`` carries: (its memo key's hash, signature and words packed, length).
    ``known``: the hash its Doc will have as ``key``, if any."""
    made = _prepare(title, text, settings, _hasher(settings.num_perm, settings.seed))
    digest = _memo_key(title, text, settings, known)[0]
    # One bytes object, not a tuple of strings: unpacked beside the stories, small objects
    # would be freed in among theirs, and the holes kept (70 MB more at 20,000 stories).
    packed = made.signature.tobytes() + "\0".join(made.words).encode("utf-8", "surrogatepass")
    return (digest, packed, made.length)


@cache
def _hasher(num_perm: int, seed: int) -> "_Hasher":
    """One per process and settings: its permutations made once, not once a story."""
    return _Hasher(num_perm, seed)


class Ahead:
    """A memo for ``group`` that first gives what ``prepare_ahead`` made (each once: then
    let go), then asks ``memo`` (a warm build's), if any, which keeps both for the next."""

    def __init__(self, made: Iterable[tuple], settings: Settings = DEFAULT, memo=None):
        parts = _memo_parts(settings)
        self.made = {(digest, parts): (packed, n) for digest, packed, n in made}
        self.signature_bytes = settings.num_perm * 4  # uint32 each
        # Stories share their words' strings, as event_words makes them (60 MB at 20,000).
        shared: dict[str, str] = {}
        self._one_of = lambda word: shared.setdefault(word, word)
        self.memo = memo

    def take(self, key):
        found = self.made.pop(key, None)
        if found is None:
            return self.memo.take(key) if self.memo is not None else None
        packed, length = found
        size = self.signature_bytes
        words = packed[size:].decode("utf-8", "surrogatepass")
        signature = np.frombuffer(packed, dtype=np.uint32, count=size // 4)
        words = tuple(map(self._one_of, words.split("\0"))) if words else ()
        made = _Prepared(signature, words, length)
        self.put(key, made)  # for the warm build's next build
        return made

    def put(self, key, value) -> None:
        if self.memo is not None:
            self.memo.put(key, value)


def _event_signature(words: tuple[str, ...], hasher: _Hasher, memo) -> np.ndarray:
    """The MinHash of a story's event words (those not too common in the collection: they
    change with it, so the memo's key is the words themselves)."""
    if memo is None:
        return hasher(_hash_words(sorted(words)))
    key = ("event", hasher.num_perm, hasher.seed, tuple(sorted(words)))
    found = memo.take(key)
    if found is None:
        found = hasher(_hash_words(list(key[-1])))
        memo.put(key, found)
    return found


def group(docs: Iterable[Doc], settings: Settings = DEFAULT, memo=None) -> Grouping:
    """Versions and event clusters of ``docs`` (any order; ids must be unique).

    ``memo``: an object with ``take(key)`` and ``put(key, value)`` (machinery/reuse.py's
    Carried) that keeps each story's signature and words from one call to the next, so a
    warm rebuild hashes only the stories that changed."""
    docs = sorted(docs, key=lambda d: (_utc(d), d.id))
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dup = next(i for i in ids if i in seen or seen.add(i))
        raise ValueError(f"two stories have the id {dup!r}")
    times = [_utc(d) for d in docs]
    n = len(docs)

    hasher = _Hasher(settings.num_perm, settings.seed)
    prepared = [_prepared(doc, settings, hasher, memo) for doc in docs]

    # Versions: the candidates' shingles are made again, only for them.
    shingles: dict[int, _Version] = {}

    def version(i: int) -> _Version:
        if i not in shingles:
            shingles[i] = _version(_split(docs[i]), settings.shingle)
        return shingles[i]

    version_pairs = []
    checked = 0
    signatures = [p.signature for p in prepared]
    for i, j in _candidates(signatures, settings.bands, settings.num_perm):
        if (
            settings.duplicate_window is not None
            and times[j] - times[i] > settings.duplicate_window
        ):
            continue
        checked += 1
        if is_version(version(i), version(j), settings):
            version_pairs.append((i, j))
    shingles.clear()
    versions_uf = _UnionFind(n)
    for i, j in version_pairs:
        versions_uf.union(i, j)
    version_groups = versions_uf.groups()

    # Events. Each story's words stay a sorted tuple (a set each: 40 MB at 20,000 stories);
    # only a candidate pair's are made sets, to compare.
    words = [p.words for p in prepared]
    # Words in many of the stories (a wire's templates: "dividend", "payable",
    # "eurobond"...) say nothing about which event: they are left out.
    frequency = Counter(w for ws in words for w in ws)
    limit = max(settings.event_common_min, settings.event_common_share * n)
    common = {w for w, count in frequency.items() if count > limit}
    if common:
        words = [tuple(w for w in ws if w not in common) for ws in words]
    # ...and a pair must share some rare words: words in few stories, or on few
    # days (names, mostly: "Ostrava", a ticker). Stories of one template about
    # different companies, or a daily series, share only words found in many stories
    # over many days. The days keep a big event's names rare however many stories
    # cover it.
    days: dict[str, set] = {}
    for ws, when in zip(words, times, strict=True):
        day = when.date()
        for w in ws:
            days.setdefault(w, set()).add(day)
    all_days = len({t.date() for t in times})
    day_limit = max(settings.event_moment_days, settings.event_moment_share * all_days)
    rare_limit = max(settings.event_rare_min, settings.event_rare_share * n)
    rare = {w for w, seen in days.items() if len(seen) <= day_limit or frequency[w] <= rare_limit}
    # A story with fewer distinctive words than a pair must share joins no
    # event: it stays out of the index (else all the empty ones share a bucket).
    indexed = [i for i in range(n) if len(words[i]) >= settings.event_min_shared]
    event_hasher = _Hasher(settings.event_num_perm, settings.seed)
    event_signatures = [_event_signature(words[i], event_hasher, memo) for i in indexed]
    events_uf = _UnionFind(n)
    for i, j in version_pairs:
        events_uf.union(i, j)
    # A cluster spans at most the window: pairs are taken as the later story
    # of each arrives (sorted by it), and a pair that would stretch its
    # cluster beyond the window is left out. No chain of look-alike stories
    # grows a cluster day after day, and a story that arrives later never
    # changes what earlier ones made of each other.
    first = list(times)
    last = list(times)
    for root, group_members in events_uf.groups().items():
        first[root] = times[group_members[0]]
        last[root] = times[group_members[-1]]
    event_checked = event_pairs = 0
    candidates = [
        (indexed[a], indexed[b])
        for a, b in _candidates(event_signatures, settings.event_bands, settings.event_num_perm)
    ]
    for i, j in sorted(candidates, key=lambda p: (p[1], p[0])):
        if times[j] - times[i] > settings.window:
            continue
        event_checked += 1
        both = set(words[i]).intersection(words[j])
        shared = len(both)
        union = len(words[i]) + len(words[j]) - shared
        if shared < settings.event_min_shared or shared / union < settings.event_jaccard:
            continue
        if len(both & rare) < settings.event_min_rare:
            continue
        a, b = events_uf.find(i), events_uf.find(j)
        if a == b:
            continue
        start, end = min(first[a], first[b]), max(last[a], last[b])
        if end - start > settings.window:
            continue
        events_uf.union(a, b)
        root = min(a, b)
        first[root], last[root] = start, end
        event_pairs += 1

    # What the digest shows.
    lengths = [p.length for p in prepared]
    duplicate_of: dict[str, str] = {}
    versions: dict[str, tuple[str, ...]] = {}
    shown_index = list(range(n))
    for group_members in version_groups.values():
        if len(group_members) < 2:
            continue
        longest = max(lengths[i] for i in group_members)
        full = [i for i in group_members if lengths[i] >= settings.full_share * longest]
        lead = max(full)  # the newest full version (sorted by time, then id)
        others = sorted((i for i in group_members if i != lead), reverse=True)
        versions[ids[lead]] = tuple(ids[i] for i in others)
        for i in others:
            duplicate_of[ids[i]] = ids[lead]
            shown_index[i] = lead

    cluster_of: dict[str, str] = {}
    members: dict[str, tuple[str, ...]] = {}
    coverage: dict[str, tuple[str, ...]] = {}
    for root, group_members in sorted(events_uf.groups().items()):
        cluster_id = ids[root]
        members[cluster_id] = tuple(ids[i] for i in group_members)
        for i in group_members:
            cluster_of[ids[i]] = cluster_id
        shown = sorted({shown_index[i] for i in group_members}, reverse=True)
        coverage[cluster_id] = tuple(ids[i] for i in shown)

    stats = {
        "stories": n,
        "near_duplicates": len(duplicate_of),
        "version_groups": len(versions),
        "clusters": sum(1 for c in coverage.values() if len(c) > 1),
        "clustered_stories": sum(len(m) for c, m in members.items() if len(coverage[c]) > 1),
        "largest_cluster": max((len(m) for m in members.values()), default=0),
        "version_candidates_checked": checked,
        "event_candidates_checked": event_checked,
        "event_pairs": event_pairs,
    }
    return Grouping(cluster_of, duplicate_of, members, versions, coverage, stats)
