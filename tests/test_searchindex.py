"""The search index (searchindex.py): its words, its files, and searches over them.

``find()`` below reads the index files the way search.js does (the format in
searchindex.py's docstring), so these tests check that the files answer
searches, on hand-made stories, on the small site and on the BBC corpus.
"""

import bisect
import hashlib
import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpora import BBC, CORPORA, require
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.ingest import catalog
from pelican.plugins.gazette.outputs.searchindex import (
    Record,
    SearchIndex,
    _word_counts,
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


class Reader:
    """The index as search.js sees it: the manifest, then chunks on demand."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.loaded: dict[str, object] = {}
        self.manifest = self.load("manifest.json")

    def load(self, name):
        if name not in self.loaded:
            self.loaded[name] = json.loads(self.files[name])
        return self.loaded[name]

    def chunks(self, term: str, prefix: bool) -> list[str]:
        """The term's chunk: the last whose first term <= it; a prefix's run on after it."""
        terms = self.manifest["terms"]
        at = max(bisect.bisect_right([first for first, _ in terms], term) - 1, 0)
        names = [terms[at][1]]
        while prefix and at + 1 < len(terms) and terms[at + 1][0].startswith(term):
            at += 1
            names.append(terms[at][1])
        return names

    def postings(self, term: str, prefix: bool) -> dict[int, float]:
        """Story id -> weight: the term's own postings, or every term it begins (half weight)."""
        found: dict[int, float] = {}
        for name in self.chunks(term, prefix):
            for word, flat in self.load(name).items():
                if word != term and not (prefix and word.startswith(term)):
                    continue
                doc = 0
                for gap, weight in zip(flat[0::2], flat[1::2], strict=True):
                    doc += gap
                    found[doc] = max(found.get(doc, 0), weight if word == term else weight / 2)
        return found

    def find(self, query: str, newest: bool = False) -> list[str]:
        """Titles of the stories that match every word, best (or newest) first."""
        words = list(dict.fromkeys(terms_of(query)))
        scores: dict[int, float] | None = None
        for position, word in enumerate(words):
            hits = self.postings(word, prefix=position == len(words) - 1)
            if scores is None:
                scores = hits
            else:
                scores = {doc: scores[doc] + hits[doc] for doc in scores.keys() & hits.keys()}
        order = sorted(scores or {}, key=lambda d: d if newest else (-scores[d], d))
        return [self.doc(d)["title"] for d in order]

    def doc(self, doc: int) -> dict:
        per = self.manifest["docs_per_chunk"]
        return self.load(self.manifest["docs"][doc // per])[doc % per]

    def filter(self, name: str, value: str) -> list[int]:
        ids, doc = [], 0
        for gap in self.load(self.manifest["filters"])[name][value]:
            doc += gap
            ids.append(doc)
        return ids


STORIES_BY_DAY = [  # newest first, as the index is built
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
    for story in STORIES_BY_DAY:
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


def test_ids_run_newest_first_and_filters_list_them(reader):
    assert [reader.doc(d)["date_text"] for d in range(3)] == [
        "9 August 2021",
        "8 August 2021",
        "7 August 2021",
    ]
    assert reader.filter("section", "World") == [0, 2]
    assert reader.filter("place", "London") == [1]
    assert reader.filter("topic", "Kunduz") == [2]
    assert reader.doc(0)["place"] == "Zurich" and reader.doc(0)["summary"].startswith("ZURICH")


def test_files_are_named_by_their_content_and_built_byte_identical(reader):
    again = SearchIndex()
    for story in STORIES_BY_DAY:
        again.add(story)
    assert again.files() == reader.files
    for name, body in reader.files.items():
        if name != "manifest.json":
            assert hashlib.sha256(body).hexdigest()[:16] in name


def test_a_large_vocabulary_is_split_into_chunks_that_cover_it_in_order():
    index = SearchIndex()
    for n in range(400):
        words = " ".join(f"w{n}x{k}" for k in range(40))
        index.add(record(f"Story {n}", words, day=1 + n % 28))
    reader = Reader(index.files())
    firsts = [first for first, _ in reader.manifest["terms"]]
    assert len(firsts) > 3 and firsts == sorted(firsts)
    assert reader.find("w123x7") == ["Story 123"]
    assert len(reader.find("w12")) == 11  # the prefix spans w12x*, w120x* … w129x*


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
