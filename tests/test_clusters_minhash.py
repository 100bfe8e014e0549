"""The clustering's own MinHash and LSH (digest/clusters.py) are datasketch's, bit for bit,
and a warm build's memo gives the very grouping a cold one does."""

import marshal
import sys
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from pelican.plugins.gazette.digest import clusters

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402


def _docs(n: int, seed: int = 4):
    return [
        clusters.Doc(f"id{s.index}", s.title, "\n\n".join(s.paragraphs), s.date)
        for s in generate.stories(n, seed=seed, topics="news")
    ]


def _datasketch(hashes: np.ndarray, num_perm: int, seed: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda value: value)
    if len(hashes):
        m.update_batch(hashes)
    return m


def test_signatures_are_datasketchs():
    for num_perm, seed in ((128, 1), (64, 1), (16, 9)):
        hasher = clusters._Hasher(num_perm, seed)
        for doc in _docs(15):
            shingles = clusters.version_shingles(doc, 4)
            theirs = _datasketch(shingles, num_perm, seed).hashvalues
            assert np.array_equal(hasher(shingles), theirs)
        empty = np.empty(0, dtype=np.uint32)
        assert np.array_equal(hasher(empty), _datasketch(empty, num_perm, seed).hashvalues)


def test_candidate_pairs_are_datasketch_lshs():
    # near-copies (a paragraph dropped) among different stories, so that buckets are shared
    docs = _docs(40)
    docs += [
        clusters.Doc(f"copy{i}", d.title, d.text.rsplit("\n\n", 1)[0], d.when)
        for i, d in enumerate(docs[:10])
    ]
    hasher = clusters._Hasher(32, 1)
    shingles = [clusters._shingles(clusters._words(d.text), 1, salt=2)[:40] for d in docs]
    ours = clusters._candidates([hasher(s) for s in shingles], (16, 2), 32)
    lsh = MinHashLSH(num_perm=32, params=(16, 2))
    sketches = [_datasketch(s, 32, 1) for s in shingles]
    for i, m in enumerate(sketches):
        lsh.insert(i, m)
    theirs = sorted({(i, j) for i, m in enumerate(sketches) for j in lsh.query(m) if j > i})
    assert len(ours) >= 10 and ours == theirs


class _Memo:  # the take/put of machinery/reuse.py's Carried, one build to the next
    def __init__(self):
        self.last, self.next = {}, {}

    def take(self, key):
        value = self.last.get(key)
        if value is not None:
            self.next[key] = value
        return value

    def put(self, key, value):
        self.next[key] = value

    def next_build(self):
        self.last, self.next = self.next, {}


def test_a_warm_grouping_is_the_cold_one():
    docs = _docs(300)
    docs += [clusters.Doc(f"v{d.id}", f"UPDATE 1-{d.title}", d.text, d.when) for d in docs[:20]]
    memo = _Memo()
    assert clusters.group(docs, memo=memo) == clusters.group(docs)
    memo.next_build()
    edited = [*docs[:-1], clusters.Doc(docs[-1].id, "A new headline", docs[5].text, docs[5].when)]
    assert clusters.group(edited, memo=memo) == clusters.group(edited)
    stories = [key for key in memo.next if key[0] != "event"]
    assert len(stories) == len(edited)  # what the next build may take: this build's
    # ...and each story's event signature, by its words: an unchanged story's is not made again
    events = {key for key in memo.next if key[0] == "event"}
    assert len(events) > len(edited) // 2
    memo.next_build()
    assert clusters.group(edited, memo=memo) == clusters.group(edited)
    assert {key for key in memo.next if key[0] == "event"} == events


def test_a_grouping_from_parts_made_ahead_is_the_plain_one():
    """The parse workers make each story's part (``prepare_ahead``): the grouping from
    those parts, marshalled as the workers send them, is the one made here; a story whose
    text changed since its part was made (or that has none) is made here."""
    docs = _docs(300)
    docs += [clusters.Doc(f"v{d.id}", f"UPDATE 1-{d.title}", d.text, d.when) for d in docs[:20]]
    parts = [marshal.loads(marshal.dumps(clusters.prepare_ahead(d.title, d.text))) for d in docs]
    edited = [*docs[:-1], clusters.Doc(docs[-1].id, "A new headline", docs[5].text, docs[5].when)]
    ahead = clusters.Ahead(parts[:-1])
    assert clusters.group(edited, memo=ahead) == clusters.group(edited)
    assert not ahead.made  # every part made ahead was taken, each once
    memo = _Memo()  # a warm build's memo gets what was made ahead, for the next build
    assert clusters.group(docs, memo=clusters.Ahead(parts, memo=memo)) == clusters.group(docs)
    assert len([key for key in memo.next if key[0] != "event"]) == len(docs)
