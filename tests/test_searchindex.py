"""The search index (searchindex.py): its words, its files, and searches over them.

``find()`` below reads the index files the way search.js does (the format in
searchindex.py's docstring), so these tests check that the files answer
searches, on hand-made stories, on the small site and on the BBC corpus.
"""

import bisect
import dataclasses
import itertools
import json
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpora import BBC, CORPORA, require
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog
from pelican.plugins.gazette.outputs import searchindex
from pelican.plugins.gazette.outputs.searchindex import (
    _WORD,
    STOPWORDS,
    Record,
    SearchIndex,
    _word_counts,
    normalise,
    term_of,
    terms_of,
)
from site_builder import STORIES, small_site


def record(title, text, *, section="World", place="", topics=(), day=1) -> Record:
    return Record(
        url=f"2021/08/{day:02d}/{'-'.join(title.lower().split())}/",
        title=title,
        date=f"2021-08-{day:02d}T06:00:00+00:00",
        date_text=f"{day} August 2021",
        section=section,
        place=place,
        topics=tuple(topics),
        summary=text.split(".")[0] + ".",
        text=text,
    )


COMPLETIONS, RARE, RARE_LENGTH, RARE_RATIO = 5, 2, 6, 100  # as search.js has them


def distance(a: str, b: str, prefix: bool) -> int:
    """Optimal-string-alignment edit distance, or to the nearest beginning of b: search.js's."""
    above2, above = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, above2[j - 2] + 1)
            row.append(cost)
        above2, above = above, row
    return min(above) if prefix else above[-1]


def allowed_edits(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Reader:
    """The index as search.js reads it, and its searches done plainly: the spec in Python."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.loaded: dict[str, object] = {}
        self.manifest = self.load("manifest.json")
        self.postings: dict[str, list[int]] = {}
        for k in range(len(self.manifest["terms"])):
            self.postings.update(self.load(f"t{k}.json"))

    def load(self, name):
        if name not in self.loaded:
            self.loaded[name] = json.loads(self.files[name])
        return self.loaded[name]

    def stories(self, term: str) -> dict[int, int]:
        """Story id -> weight, of a term's postings."""
        flat = self.postings.get(term, [])
        return dict(zip(itertools.accumulate(flat[0::2]), flat[1::2], strict=True))

    def vocabulary(self, word: str) -> dict[str, int]:
        """The vocabulary chunk of a word's first character."""
        at = bisect.bisect_right(self.manifest["words"], word[0]) - 1
        return self.load(f"w{at}.json") if at >= 0 else {}

    def words(self, query: str) -> list[tuple[str, str, bool]]:
        """(typed, term, prefix) of the query's words: search.js's parse."""
        raw = _WORD.findall(normalise(query))
        words = []
        for i, typed in enumerate(raw):
            term, prefix = term_of(typed), i == len(raw) - 1
            if term or (prefix and (not words or typed not in STOPWORDS)):
                words.append((typed, term, prefix))
        return list(
            {
                (prefix, term or typed): (typed, term, prefix) for typed, term, prefix in words
            }.values()
        )

    def shares(self, typed: str, term: str, prefix: bool) -> tuple[dict[str, float], str]:
        """Term -> share of its weight for a query word, and the word's correction (or "")."""
        word = term or typed
        candidates = [(term, len(self.postings[term]) // 2)] if term in self.postings else []
        if prefix:
            completions = [
                (t, len(p) // 2)
                for t, p in self.postings.items()
                if t.startswith(word) and t != word
            ]
            candidates += sorted(completions, key=lambda c: (-c[1], c[0]))[:COMPLETIONS]
        most = max([n for _, n in candidates], default=0)
        shares = {t: n / most if prefix else 1 for t, n in candidates}
        correction = ""
        if not most or (most <= RARE and len(word) >= RARE_LENGTH):
            vocab, limit = self.vocabulary(word), min(allowed_edits(word), 1 if most else 2)
            near = [
                (distance(word, t, prefix), -n, t)
                for t, n in vocab.items()
                if n > most * RARE_RATIO and t != word
            ]
            near = sorted(c for c in near if c[0] <= limit)
            near = [(t, -n) for d, n, t in near if d == near[0][0]][:3] if near else []
            for t, n in near:
                shares[t] = n / near[0][1] * (0.25 if most else 1)
            correction = near[0][0] if near else ""
        return shares, correction

    def search(self, query: str) -> list[tuple[int, float]]:
        """(story id, score) of the stories with every word, best first."""
        found = []
        for typed, term, prefix in self.words(query):
            scores: dict[int, float] = {}
            for t, share in self.shares(typed, term, prefix)[0].items():
                for doc, weight in self.stories(t).items():
                    scores[doc] = max(scores.get(doc, 0), weight * share)
            found.append(scores)
        if not found:
            return []
        common = set.intersection(*(set(scores) for scores in found))
        totals = {doc: sum([0, *(scores[doc] for scores in found)]) for doc in common}
        return sorted(totals.items(), key=lambda hit: (-hit[1], -hit[0]))  # ties: newest

    def find(self, query: str, newest: bool = False) -> list[str]:
        """Titles of the stories that match every word, best (or newest) first."""
        ids = [doc for doc, _ in self.search(query)]
        return [self.doc(d)["title"] for d in (sorted(ids, reverse=True) if newest else ids)]

    def doc(self, doc: int) -> dict:
        per = self.manifest["docs_per_chunk"]
        return self.load(f"d{doc // per}.json")[doc % per]

    def filter(self, name: str, value: str) -> list[int]:
        return list(itertools.accumulate(self.load(f"f-{name}.json")[value]))


STORIES_BY_DAY = [  # newest first; the index takes them oldest first
    record(
        "Floods close Zürich schools",
        "ZURICH: Heavy rain flooded the old town. Schools closed for the week.",
        section="World",
        place="Zurich",
        topics=["Zürich", "Floods"],
        day=9,
    ),
    record(
        "Markets rally on rate talks",
        "LONDON: Shares rose as central bank talks began. Flood defences were not mentioned.",
        section="Business",
        place="London",
        topics=["Bank of England"],
        day=8,
    ),
    record(
        "Kunduz falls",
        "KABUL: The city of Kunduz was taken. Talks in Doha went on.",
        section="World",
        place="Kabul",
        topics=["Kunduz", "Taliban"],
        day=7,
    ),
]


@pytest.fixture(scope="module")
def reader() -> Reader:
    index = SearchIndex()
    for story in reversed(STORIES_BY_DAY):
        index.add(story)
    return Reader(index.files())


def test_words_are_folded_split_and_stripped_of_stopwords_and_plurals():
    assert terms_of("Zürich's floods: the talks in São Paulo, 2021") == [
        "zurich",
        "flood",
        "talk",
        "sao",
        "paulo",
        "2021",
    ]
    assert terms_of("bus crisis class") == ["bus", "crisis", "class"]  # not plurals


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_fast_path_finds_the_same_terms_as_the_spec(text):
    fast = Counter()
    for word, n in _word_counts(text).items():
        if term := term_of(word.decode()):
            fast[term] += n
    assert fast == Counter(terms_of(text))


def test_a_headline_word_outranks_the_same_word_in_a_body(reader):
    assert reader.find("flood") == ["Floods close Zürich schools", "Markets rally on rate talks"]
    assert reader.find("flood", newest=True)[0] == "Floods close Zürich schools"


def test_every_word_must_match_and_accents_and_plurals_do_not_matter(reader):
    assert reader.find("zurich floods") == ["Floods close Zürich schools"]
    assert reader.find("talks kunduz") == ["Kunduz falls"]
    assert reader.find("kunduz london") == []


def test_the_last_word_also_matches_as_a_prefix(reader):
    assert reader.find("kund") == ["Kunduz falls"]
    assert reader.find("kund taliban") == []  # only the last word is a prefix
    assert reader.find("taliban kund") == ["Kunduz falls"]


def test_ids_run_oldest_first_and_filters_list_them(reader):
    """A new story takes the next id: every other story keeps its id and its docs chunk."""
    assert [reader.doc(d)["date_text"] for d in range(3)] == [
        "7 August 2021",
        "8 August 2021",
        "9 August 2021",
    ]
    assert reader.filter("section", "World") == [0, 2]
    assert reader.filter("place", "London") == [1]
    assert reader.filter("topic", "Kunduz") == [0]
    assert reader.doc(2)["place"] == "Zurich" and reader.doc(2)["summary"].startswith("ZURICH")


def test_a_newer_story_leaves_the_earlier_stories_docs_chunks_as_they_were():
    stories = [
        record(f"Story {n}", f"HARBOUR: Boat {n} sailed.", day=1 + n % 28) for n in range(30)
    ]
    before, after = SearchIndex(), SearchIndex()
    for story in stories[:-1]:
        before.add(story)
    for story in stories:
        after.add(story)
    old, new = before.files(), after.files()
    docs = sorted(name for name in old if name.startswith("d"))
    assert len(docs) > 5
    assert [name for name in docs if old[name] != new[name]] == [docs[-1]]  # only the last


def test_files_are_built_byte_identical_and_the_key_follows_their_content(reader):
    again = SearchIndex()
    for story in reversed(STORIES_BY_DAY):
        again.add(story)
    assert again.files() == reader.files
    changed = SearchIndex()
    for story in [record("Kunduz falls", "KABUL: Taken.", day=7), *STORIES_BY_DAY[1::-1]]:
        changed.add(story)
    key = json.loads(changed.files()["manifest.json"])["key"]
    assert len(key) == 16 and key != reader.manifest["key"]  # cached chunks are not reused


def test_a_word_counted_past_a_posting_s_count_bits_keeps_its_count():
    # Postings pack a story's id and a term's count into one number; a larger count is
    # kept aside and must come back whole, in its story's place.
    index = SearchIndex()
    counts = [3, searchindex.TF_MAX - 1, searchindex.TF_MAX, 700, 1]
    for n, count in enumerate(counts):
        story = record(f"Story {n}", "harbour " * count + "boats.", day=1 + n)
        index.add(dataclasses.replace(story, summary="Quay."))  # the word only in the body
    assert index.postings("harbour") == ([0, 1, 2, 3, 4], counts)


def test_postings_widen_past_the_ids_their_numbers_hold(monkeypatch):
    stories = [record(f"Story {n}", f"HARBOUR: Boat {n} sailed " * n, day=1 + n) for n in range(9)]
    narrow = SearchIndex()
    for story in stories:
        narrow.add(story)
    monkeypatch.setattr(searchindex, "WIDE_FROM", 4)  # the fifth story's id needs 64 bits
    wide = SearchIndex()
    for story in stories:
        wide.add(story)
    assert wide._code == "Q" and narrow._code == "I"
    assert wide.files() == narrow.files()


def test_term_and_vocabulary_chunks_cover_every_term_in_order(monkeypatch):
    monkeypatch.setattr(searchindex, "CHUNK_BYTES", 2_000)
    monkeypatch.setattr(searchindex, "WORDS_BYTES", 300)
    index = SearchIndex()
    for n in range(400):
        words = " ".join(f"{'abcdefgh'[k % 8]}{n}x{k}" for k in range(n % 7, 40))
        index.add(record(f"Story {n}", words, day=1 + n % 28))
    reader = Reader(index.files())
    firsts, letters = reader.manifest["terms"], reader.manifest["words"]
    assert len(firsts) > 3 and firsts == sorted(firsts)
    assert len(letters) > 3 and letters == sorted(letters)
    seen = {}
    for k in range(len(letters)):
        seen.update(reader.load(f"w{k}.json"))
    assert seen == {term: len(flat) // 2 for term, flat in reader.postings.items()}
    for term in reader.postings:  # each term in the vocabulary chunk of its first character
        assert term in reader.vocabulary(term)
    assert reader.find("b123x9") == ["Story 123"]


def test_a_prefix_ranks_stories_by_how_common_the_completed_word_is():
    stories = [
        record("Irish champ recipe wins fans", "DUBLIN: A champ of potato and scallions."),
        *(record(f"Champion {n} keeps title", f"The champion won {n} times.") for n in range(3)),
        record("Championship final tonight", "The championship final is tonight."),
        record("Champagne sales rise", "Champagne sold well."),
    ]
    index = SearchIndex()
    for story in stories:
        index.add(story)
    found = Reader(index.files()).find("champ")
    assert found[:3] == [f"Champion {n} keeps title" for n in (2, 1, 0)]  # ties: newest first
    assert found.index("Irish champ recipe wins fans") > 2  # the exact word, but rare


def test_a_misspelt_word_finds_its_nearest_spelling_and_a_short_one_its_completions():
    stories = [record(f"Government plan {n}", "The government spoke.") for n in range(3)]
    stories += [record("Garden show opens", "Gardens and a goat.")]
    index = SearchIndex()
    for story in stories:
        index.add(story)
    reader = Reader(index.files())
    assert reader.find("goverment") == [f"Government plan {n}" for n in (2, 1, 0)]
    assert reader.shares("goverment", "goverment", True)[1] == "government"
    assert reader.find("plan goverment") == reader.find("goverment")
    assert reader.find("gorvenment plan") == reader.find("goverment")  # a swap: one edit
    assert reader.find("gove") == reader.find("goverment")
    assert set(reader.find("g")) == {s.title for s in stories}  # one letter: its completions
    assert reader.find("gxvt") == []  # too far from any word


def test_a_rare_word_is_corrected_only_next_to_a_far_more_common_one():
    stories = [record(f"Government plan {n}", "The government spoke.") for n in range(101)]
    stories += [record(f"Savings {n}", "Saving money.") for n in range(20)]
    stories += [record("Typo", "The goverment spoke."), record("Razor", "Shaving well.")]
    index = SearchIndex()
    for story in stories:
        index.add(story)
    reader = Reader(index.files())
    assert reader.shares("goverment", "goverment", False)[1] == "government"
    found = reader.find("goverment")
    assert found[0] == "Typo" and len(found) == 102  # its own story first, then the spelling
    assert reader.shares("shaving", "shaving", False)[1] == ""  # "saving": one edit, 20 stories


def test_hyphenated_words_are_found_joined_and_apart():
    index = SearchIndex()
    index.add(record("Spam e-mail rises", "Junk e-mails and co-operation."))
    index.add(record("Mail strike", "Post is late."))
    reader = Reader(index.files())
    assert reader.find("spam email") == ["Spam e-mail rises"]
    assert reader.find("cooperation") == ["Spam e-mail rises"]
    assert set(reader.find("mail")) == {"Spam e-mail rises", "Mail strike"}


def test_hyphenated_words_are_those_one_plain_pattern_finds_in_real_text():
    """The index looks for hyphenated words between spaces only, one run of letters at a
    time: on every BBC story, and on the odd cases (underscores, dashes, accents, other
    spaces), it finds what the plain pattern over the whole text finds."""
    plain = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
    texts = [path.read_text(errors="replace") for path in sorted(require(BBC).glob("*/*.txt"))]
    texts.append("ab_c-d x-y-z a--b -c- É-ü 1-2 _a-b a_-b 9- \u00a0x-y\u2009p-q co-op-era")
    for text in texts:
        expected = [m.replace("-", "") for m in plain.findall(searchindex.normalise(text))]
        assert searchindex._compounds(text) == expected
    odd = searchindex._compounds(texts[-1])
    assert odd == ["cd", "xyz", "eu", "12", "ab", "xy", "pq", "coopera"]


def test_marks_are_dropped_as_the_plain_definition_drops_them():
    """``normalise`` drops combining marks through a table filled as characters come: on
    every BBC story with curly quotes and dashes (the non-ASCII path) and on marks of other
    scripts, it gives what NFKD and dropping every category-M character give."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))

    texts = [path.read_text(errors="replace") for path in sorted(require(BBC).glob("*/*.txt"))]
    texts = [text.replace("'", "\u2019").replace(" - ", " \u2014 ") for text in texts]
    texts.append("Zürich Ἀθῆναι Москва ﬁ ① x\u0301\u20dd\U000e0100 한국어 \u0928\u093f ١٢٣")
    for text in texts:
        assert searchindex.normalise(text) == plain(text).lower()
    assert searchindex.normalise(texts[-1]).startswith("zurich αθηναι москва fi 1 x ")


# The built site ----------------------------------------------------------------------------


def test_the_small_site_indexes_every_story_once_and_nothing_else():
    data = small_site() / "search" / "data"
    files = {p.name: p.read_bytes() for p in data.iterdir()}
    reader = Reader(files)
    assert reader.manifest["stories"] == len(STORIES)
    urls = [reader.doc(d)["url"] for d in range(len(STORIES))]
    assert len(set(urls)) == len(STORIES)
    for url in urls:
        assert (small_site() / url / "index.html").is_file(), url
    assert reader.find("kunduz")[0] == "Taliban capture Kunduz"
    assert reader.find("talks in tokyo") == ["Olympic Games close in Tokyo"]


# Real data: every BBC story can be found by its headline -------------------------------------


@pytest.mark.corpus
def test_bbc_stories_are_found_by_their_headlines():
    require(BBC)
    config = settings.resolve({"PATH": str(CORPORA), "ARTICLE_PATHS": ["bbc-news"]})
    stories = [o.story for o in catalog.build(config, require_ledger=False).outcomes]
    stories = [s for s in stories if s is not None]
    assert len(stories) == 2125
    index = SearchIndex()
    for n, story in enumerate(stories):
        text = "\n".join([story.dateline or "", story.body_text])
        index.add(record(story.title, text, section=story.section, topics=story.topics))
        assert n == len(index) - 1
    reader = Reader(index.files())
    sample = stories[::25]
    first = sum(reader.find(story.title)[:1] == [story.title] for story in sample)
    top3 = sum(story.title in reader.find(story.title)[:3] for story in sample)
    print(f"BBC known-item search: {first}/{len(sample)} first, {top3}/{len(sample)} in top 3")
    assert top3 >= 0.97 * len(sample) and first >= 0.9 * len(sample)
