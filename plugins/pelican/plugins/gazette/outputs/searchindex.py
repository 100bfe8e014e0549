"""The search index: the stories' words as static JSON files that search.js reads.

Pure Python, no Pelican: ``SearchIndex.add(record)`` for each story, oldest
first, then ``files()`` gives every file of the index by name. The index is
built from the stories' own text (no HTML to parse), in one pass, with
postings kept in compact arrays, so its time and memory grow linearly and
stay small beside the build; the output is byte-identical for the same
stories.

The format (version 3), in ``search/data/`` of the site. The reader fetches
only what a query needs: the manifest, the one or two term chunks of its
words, the cards of the results shown; the vocabulary of a letter only for
a misspelt word or an input of one or two letters; a filter only when its
group is opened.

- ``manifest.json`` (fetched uncached; every other file is fetched as
  ``name?v=<key>``, the key a hash of all of them, so they may be cached for
  ever)::

    {"version": 2, "key": "…", "stories": N, "stopwords": [...], "min_length": 2,
     "terms": [first_term, ...],  # term chunk k ("t<k>.json") holds the terms
                                  # from terms[k] up to terms[k+1], sorted
     "words": [first_char, ...],  # vocabulary chunk k ("w<k>.json"): the terms
                                  # whose first character is from words[k] on
     "docs_per_chunk": 4,         # docs chunk k ("d<k>.json")
     "filters": {group: number of values}}  # "f-<group>.json", groups with values

- a term chunk: ``{"term": [id, weight, gap, weight, ...]}``; story ids
  ascend (the first number is an id, the later ones gaps from the previous
  id); a weight (1–255) is the story's BM25 score for the term, scaled. The
  number of stories with the term (its document frequency) is half the list's
  length.
- a vocabulary chunk: ``{"term": document frequency, ...}``: what prefix
  completion of a short input and spelling correction choose from, without
  fetching postings.
- a docs chunk: stories ``k*docs_per_chunk`` onwards, each
  ``{"url", "title", "date", "date_text", "section", "place", "summary"}``
  (``url`` relative to the site's root, ``place`` may be "").
- a filter file: ``{value: [id, gap, ...]}``.

Story id 0 is the oldest story, so "newest first" is descending id, and a new
story (the newest, mostly) takes the next id: the stories before it keep theirs,
and their docs chunks are the same files.

Words (``terms_of``; search.js does exactly the same to a query): Unicode
NFKD, combining marks dropped, lower case; runs of letters and digits; words
shorter than ``min_length`` and stop words dropped; a final "s" dropped from
words longer than three letters unless they end in "ss", "us" or "is", so
"talks" finds "talk". A hyphenated word is also indexed joined ("e-mail" as
"email" too), so either spelling finds it. Term chunks and vocabulary chunks
are sorted by code point.

A query (search.js; the spec in Python is tests/test_searchindex.Reader):
every word must match, a story scoring the sum of its words' weights. A word
matches its term; the last word, being typed, also its five most frequent
completions, each weight (its own term's too) scaled by the term's document
frequency against the most frequent of them. A word found nowhere matches its
nearest spellings in its first character's vocabulary (one edit for 4–7
letters, two from 8; a swap of neighbours is one edit; for the last word, to
a completion's beginning), and a long word in at most two stories also a
spelling one edit away in a hundred times as many, at a quarter weight: both
are offered as "Did you mean".
"""

import hashlib
import json
import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

VERSION = 3  # 3: ids oldest first (2: newest first)
MIN_LENGTH = 2
DOCS_PER_CHUNK = 4  # "best match" results are spread out: small chunks, fewer bytes
CHUNK_BYTES = 12_000  # a term chunk's target size, before gzip: a query fetches one or two
WORDS_BYTES = 6_000  # a vocabulary chunk's least size: first characters with few terms share one
# A headline word counts as five body words, a summary word (the lede, in news) twice more
# than its place in the body: what a story is about is said there first.
TITLE_WEIGHT = 5
SUMMARY_WEIGHT = 2
TOPIC_WEIGHT = 2
K1, B = 1.2, 0.75  # BM25's usual constants
FILTERS = ("section", "place", "topic")
# A posting is one number, the story's id and the term's count in it (``id << TF_BITS |
# count``): half the memory of two (24 MB at 20,000 stories). A count of TF_MAX or more
# is kept aside, by term and id. Ids from WIDE_FROM on need 64-bit numbers.
TF_BITS = 8
TF_MAX = (1 << TF_BITS) - 1
WIDE_FROM = 1 << (32 - TF_BITS)

STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its"
    " me my no not of on or our she so than that the their them then there these they this to"
    " up us was we were which who will with would you your".split()
)

_WORD = re.compile(r"[^\W_]+")
# For ASCII text, the same split at C speed: letters and digits kept (capitals lowered),
# every other byte a space.
_ASCII_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if chr(c).isascii() and chr(c).isalnum() else 32
    for c in range(256)
)


@dataclass(frozen=True)
class Record:
    """One story, as search sees it."""

    url: str  # relative to the site's root: "2021/08/08/slug/"
    title: str
    date: str  # ISO 8601
    date_text: str  # as the site prints it
    section: str
    place: str
    topics: tuple[str, ...]
    summary: str
    text: str  # the body


def normalise(text: str) -> str:
    if text.isascii():  # most news text: nothing to decompose
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_NO_MARKS).lower()


class _Marks(dict):
    """``str.translate``'s table that drops combining marks (category M), filled as code
    points are met: a lookup at C speed, not a category asked of every character (three
    times the time on text with curly quotes, which takes this path)."""

    def __missing__(self, code: int):
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        self[code] = kept
        return kept


_NO_MARKS = _Marks()


def terms_of(text: str) -> list[str]:
    """The index terms of a text, in order, repeats kept."""
    return [term for word in _WORD.findall(normalise(text)) if (term := term_of(word))]


def term_of(word: str) -> str:
    """A lower-case word's index term; "" for a word the index leaves out."""
    if len(word) < MIN_LENGTH or word in STOPWORDS:
        return ""
    if len(word) > 3 and word[-1] == "s" and word[-2:] not in ("ss", "us", "is"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Entry:
    """A story as the index takes it."""

    terms: tuple[str, ...]
    counts: array  # each term's count, a headline word counting TITLE_WEIGHT
    # The docs chunk's fields for the story (CARD's, in order), written as JSON only with
    # its chunk: the values are mostly the story's own strings, the JSON would be a copy.
    card: tuple[str, ...]
    filters: tuple  # (filter, its values)


CARD = ("url", "title", "date", "date_text", "section", "place", "summary")


class SearchIndex:
    def __init__(self) -> None:
        self._postings: dict[str, array] = {}  # term -> its postings, ids ascending
        self._large: dict[str, dict[int, int]] = {}  # term -> id -> a count of TF_MAX or more
        self._code = "I"  # the postings' type: "Q" from WIDE_FROM stories on
        self._lengths = array("I")
        self._docs: list[tuple] = []  # each story's card (Entry.card)
        self._filters = {name: {} for name in FILTERS}
        self._terms: dict = {}  # word (str, or bytes from ASCII) -> its term, worked out once
        self._order: list[str] | None = None  # the terms sorted, once for both kinds of chunk

    def _counted(self, text: str, normal: str | None = None) -> Counter:
        """A text's terms with their counts (``normal``: as in ``_words``). Each new word's
        term is worked out once; then words become terms and are counted by dict lookups
        at C speed, not a loop here."""
        words, terms = _words(text, normal), self._terms
        for word in set(words).difference(terms):
            terms[word] = term_of(word if isinstance(word, str) else word.decode())
        counts = Counter(map(terms.__getitem__, words))
        counts.pop("", None)  # the words the index leaves out
        return counts

    def entry(self, record: Record) -> "Entry":
        """What the index takes of a story (its terms counted, its card): the build
        server keeps it for a story that does not change (search.py)."""
        # One text with the headline, summary and topics repeated by their weights: its words
        # are counted in one pass at C speed, not one per field.
        weighted = "\n".join(
            [record.text]
            + [record.title] * TITLE_WEIGHT
            + [record.summary] * SUMMARY_WEIGHT
            + [" ".join(record.topics)] * TOPIC_WEIGHT
        )
        normal = None if weighted.isascii() else normalise(weighted)  # once for both
        counts = self._counted(weighted, normal)
        for joined, n in Counter(_compounds(weighted, normal)).items():  # "e-mail": "email"
            if term := term_of(joined):
                counts[term] += n
        card = tuple(getattr(record, name) for name in CARD)
        filters = (
            ("section", (record.section,)),
            ("place", (record.place,) if record.place else ()),
            ("topic", tuple(dict.fromkeys(record.topics))),
        )
        return Entry(tuple(counts), array("I", counts.values()), card, filters)

    def add(self, story: "Record | Entry") -> int:
        """Add the next story (oldest first); its id."""
        entry = story if isinstance(story, Entry) else self.entry(story)
        doc = len(self._docs)
        if doc == WIDE_FROM:
            self._widen()
        postings, code, base = self._postings, self._code, doc << TF_BITS
        for term, tf in zip(entry.terms, entry.counts, strict=True):
            found = postings.get(term)
            if found is None:
                found = postings[term] = array(code)
            if tf < TF_MAX:
                found.append(base | tf)
            else:
                found.append(base | TF_MAX)
                self._large.setdefault(term, {})[doc] = tf
        self._lengths.append(sum(entry.counts))
        self._docs.append(entry.card)
        for name, values in entry.filters:
            for value in values:
                self._filters[name].setdefault(value, []).append(doc)
        return doc

    def _widen(self) -> None:
        self._code = "Q"
        self._postings = {term: array("Q", found) for term, found in self._postings.items()}

    def postings(self, term: str) -> tuple[list[int], list[int]]:
        """The ids of the stories with ``term``, ascending, and its count in each."""
        found = self._postings[term]
        docs, tfs = [p >> TF_BITS for p in found], [p & TF_MAX for p in found]
        for doc, tf in self._large.get(term, {}).items():
            tfs[bisect_left(docs, doc)] = tf
        return docs, tfs

    def __len__(self) -> int:
        return len(self._docs)

    def files(self) -> dict[str, bytes]:
        """Every file of the index, by name: the manifest and its chunks."""
        return dict(self.iter_files())

    def iter_files(self):
        """(name, bytes) of every file, the manifest last: a large index is never
        all in memory at once."""
        key = hashlib.sha256()

        def named(name: str, body: bytes):
            key.update(b"%s %d\n" % (name.encode(), len(body)))
            key.update(body)
            return name, body

        terms = []
        for first, body in self._term_chunks():
            yield named(f"t{len(terms)}.json", body)
            terms.append(first)
        words = []
        for first, body in self._word_chunks():
            yield named(f"w{len(words)}.json", body)
            words.append(first)
        for k, start in enumerate(range(0, len(self._docs), DOCS_PER_CHUNK)):
            cards = (_card_json(card) for card in self._docs[start : start + DOCS_PER_CHUNK])
            body = ("[" + ",".join(cards) + "]").encode()
            yield named(f"d{k}.json", body)
        filters = {}
        for name, values in self._filters.items():
            if values:
                filters[name] = len(values)
                yield named(f"f-{name}.json", _json(_filter_lists(values)))
        manifest = {
            "version": VERSION,
            "key": key.hexdigest()[:16],
            "stories": len(self._docs),
            "stopwords": sorted(STOPWORDS),
            "min_length": MIN_LENGTH,
            "terms": terms,
            "words": words,
            "docs_per_chunk": DOCS_PER_CHUNK,
            "filters": filters,
        }
        yield "manifest.json", _json(manifest)

    def _term_chunks(self):
        """(first term, JSON bytes of {term: postings}) in term order, about CHUNK_BYTES
        each; each term's postings are coded and serialised as the chunk grows."""
        weigh = self._weigher()
        parts: list[str] = []
        size, first = 0, ""
        for term in self._sorted_terms():
            if parts and size > CHUNK_BYTES:
                yield first, ("{" + ",".join(parts) + "}").encode("utf-8")
                parts, size = [], 0
            if not parts:
                first = term
            part = _json_text(term) + ":" + _json_text(weigh(*self.postings(term)))
            parts.append(part)
            size += len(part)
        if parts:
            yield first, ("{" + ",".join(parts) + "}").encode("utf-8")

    def _word_chunks(self):
        """(first character, JSON bytes of {term: document frequency}): every term of a
        first character in one chunk, characters with few terms together."""
        parts: list[str] = []
        size, first, at = 0, "", ""
        for term in self._sorted_terms():
            if term[0] != at:
                at = term[0]
                if parts and size > WORDS_BYTES:
                    yield first, ("{" + ",".join(parts) + "}").encode("utf-8")
                    parts, size = [], 0
                if not parts:
                    first = at
            part = f"{_json_text(term)}:{len(self._postings[term])}"
            parts.append(part)
            size += len(part)
        if parts:
            yield first, ("{" + ",".join(parts) + "}").encode("utf-8")

    def _sorted_terms(self) -> list[str]:
        if self._order is None or len(self._order) != len(self._postings):
            self._order = sorted(self._postings)  # by code point, as search.js compares
        return self._order

    def _weigher(self):
        """A function of a term's ids and counts (``postings``): [id, weight, gap, weight,
        ...], the weight its BM25 score scaled to 1–255 against the highest score any term
        could have (a term of one story), so no pass over the whole index is needed first."""
        count = len(self._docs) or 1
        lengths = self._lengths
        mean = (sum(lengths) / count) or 1.0
        norms = [K1 * (1 - B + B * length / mean) for length in lengths]
        scale = 254 / ((K1 + 1) * math.log(1 + (count - 0.5) / 1.5))

        def weigh(docs: list[int], tfs: list[int]) -> list[int]:
            found = len(docs)
            factor = scale * (K1 + 1) * math.log(1 + (count - found + 0.5) / (found + 0.5))
            coded = [0] * (2 * found)  # filled a column at a time: faster than appending
            coded[0::2] = [doc - previous for doc, previous in zip(docs, [0, *docs], strict=False)]
            coded[1::2] = [
                1 + int(factor * tf / (tf + norms[doc]) + 0.5)
                for doc, tf in zip(docs, tfs, strict=True)
            ]
            return coded

        return weigh


def _words(text: str, normal: str | None = None) -> list:
    """The lower-case words of a text, in order (bytes words when the text is ASCII);
    ``normal``: ``normalise(text)`` of a text that is not, when the caller has it."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).split()
    return _WORD.findall(normalise(text) if normal is None else normal)


def _word_counts(text: str) -> Counter:
    """Each lower-case word of a text with its count."""
    return Counter(_words(text))


# Tried only where a word starts, each run of letters taken whole (possessive ``++``): the
# plain pattern tried every letter of every word again and backtracked through it (3.5 times
# the time on news text; the same matches, as no shorter run can be followed by a "-").
_COMPOUND = re.compile(r"(?<![^\W_])[^\W_]++(?:-[^\W_]++)+")


def _compounds(text: str, normal: str | None = None) -> list[str]:
    """The hyphenated words of a text, joined ("e-mail" -> "email"), lower case (``normal``:
    as in ``_words``). Looked for only in the stretches between spaces that have a "-"
    (none spans a space)."""
    if "-" not in text:
        return []
    normal = normalise(text) if normal is None else normal
    stretches = (part for part in normal.split() if "-" in part)
    return [m.replace("-", "") for part in stretches for m in _COMPOUND.findall(part)]


def _card_json(card: tuple) -> str:
    return _json_text(dict(zip(CARD, card, strict=True)))


def _filter_lists(values: dict) -> dict:
    return {value: _gaps(docs) for value, docs in sorted(values.items())}


def _gaps(ids: list[int]) -> list[int]:
    return [doc - previous for doc, previous in zip(ids, [0, *ids], strict=False)]


def _json(data) -> bytes:
    return _json_text(data).encode("utf-8")


def _json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
