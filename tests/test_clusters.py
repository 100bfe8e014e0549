"""Near-duplicates and story clusters (digest/clusters.py).

The fixture stories are invented here. The corpus test reads real stories
from ../shared/corpora at run time and perturbs them in memory.
"""

import random
import re
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from corpora import bbc_files, isot_stories, reuters_stories
from pelican.plugins.gazette.digest import clusters
from pelican.plugins.gazette.digest.clusters import Doc, group

T0 = datetime(2031, 5, 12, 6, 0, tzinfo=UTC)

FLOOD = [
    "Floodwater from the swollen Varnel river broke through the levee at Ostrava Mills before dawn "
    "on Tuesday, forcing the evacuation of about 4,000 residents from low-lying streets.",
    "Emergency crews from three counties worked through the morning to lift stranded families "
    "from rooftops, and the regional governor, Petra Lindqvist, declared a state of emergency.",
    "The river reached 7.4 metres at the Ostrava gauge, the highest level recorded since the "
    "gauge was installed, the regional water authority said in a bulletin.",
    "Schools in the district will stay closed until Friday and the rail line to Kessington is "
    "suspended while engineers inspect two bridges for damage.",
]
FLOOD_EXTRA = (
    "By late afternoon the authority said the level had begun to fall slowly, although more rain "
    "is forecast for the weekend across the upper valley."
)
OTHER_FLOOD = Doc(
    "tag:example.org,2031:other-flood",
    "Governor declares emergency as Varnel river floods Ostrava Mills",
    "Governor Petra Lindqvist declared a state of emergency after the Varnel river flooded "
    "Ostrava Mills and thousands of residents were evacuated from the levee district by "
    "emergency crews.\n\nOfficials said the water authority would publish new river gauge "
    "readings every hour.",
    T0 + timedelta(hours=5),
    "Valley Courier",
)
CHESS = Doc(
    "tag:example.org,2031:chess",
    "Teenager wins the Harwick open chess tournament",
    "A sixteen-year-old from Brennmoor won the Harwick open chess tournament on Sunday, beating "
    "the top seed in a long endgame that lasted more than six hours.\n\nShe takes home the "
    "trophy and a place in next spring's national championship.",
    T0 + timedelta(hours=3),
    "Harwick Post",
)


def flood(doc_id="tag:example.org,2031:flood", title="River bursts levee at Ostrava Mills", **kw):
    fields = dict(id=doc_id, title=title, text="\n\n".join(FLOOD), when=T0, source="Northern Wire")
    fields.update(kw)
    return Doc(**fields)


def versions_of_flood():
    original = flood()
    update = flood(
        "tag:example.org,2031:flood-update",
        "UPDATE 1-River bursts levee at Ostrava Mills, thousands evacuated",
        text="\n\n".join([*FLOOD, FLOOD_EXTRA]),
        when=T0 + timedelta(hours=2),
    )
    rewrapped = flood(
        "tag:example.org,2031:flood-copy",
        text="\n".join(textwrap.fill(p, 58) for p in FLOOD),
        when=T0 + timedelta(hours=1),
        source="Lakeside Daily",
    )
    trimmed = flood(
        "tag:example.org,2031:flood-short",
        "River bursts levee at Ostrava Mills",
        text="\n\n".join(FLOOD[:2] + FLOOD[3:]),
        when=T0 + timedelta(hours=4),
    )
    return [original, update, rewrapped, trimmed]


def test_versions_are_grouped_and_the_newest_full_one_is_shown():
    original, update, rewrapped, trimmed = versions_of_flood()
    g = group([original, update, rewrapped, trimmed, CHESS])
    # The trimmed copy is the newest, but holds under two thirds of the longest version's
    # words: the update, the newest full version, is shown; the others newest first.
    assert g.versions == {update.id: (trimmed.id, rewrapped.id, original.id)}
    assert g.duplicate_of == {i: update.id for i in (trimmed.id, rewrapped.id, original.id)}
    assert not g.is_duplicate(update.id) and g.shown(original.id) == update.id
    assert g.cluster_of[update.id] == original.id  # the cluster's id: its earliest member
    assert g.coverage[original.id] == (update.id,)
    assert g.cluster_of[CHESS.id] == CHESS.id and g.coverage[CHESS.id] == (CHESS.id,)


def test_a_much_shorter_newest_version_is_not_the_one_shown():
    original, update, *_ = versions_of_flood()
    brief = flood(
        "tag:example.org,2031:flood-brief",
        text=FLOOD[0] + "\n\n" + FLOOD[1],
        when=T0 + timedelta(hours=6),
    )
    g = group([original, update, brief])
    assert g.versions == {update.id: (brief.id, original.id)}


def test_another_story_on_the_same_event_is_more_coverage_not_a_version():
    docs = [*versions_of_flood(), OTHER_FLOOD, CHESS]
    g = group(docs)
    assert OTHER_FLOOD.id not in g.duplicate_of
    cluster = g.cluster_of[OTHER_FLOOD.id]
    assert cluster == "tag:example.org,2031:flood"  # the earliest member's id
    assert set(g.members[cluster]) == {d.id for d in docs[:5]}
    shown = g.shown("tag:example.org,2031:flood")
    assert g.coverage[cluster] == (OTHER_FLOOD.id, shown)  # newest first
    assert g.more_coverage(shown) == (OTHER_FLOOD.id,)
    assert g.more_coverage("tag:example.org,2031:flood-update") == (OTHER_FLOOD.id,)
    assert g.size(cluster) == 2 and g.stats["clusters"] == 1


def test_the_time_window_keeps_apart_stories_days_apart():
    later = replace(OTHER_FLOOD, id="tag:example.org,2031:late", when=T0 + timedelta(days=5))
    g = group([flood(), later])
    assert g.cluster_of[later.id] == later.id
    # ...and a story inside the window, but one that would stretch the cluster beyond it,
    # starts a cluster of its own.
    mid = replace(OTHER_FLOOD, id="tag:example.org,2031:mid", when=T0 + timedelta(days=1, hours=12))
    end = Doc(
        "tag:example.org,2031:end",
        "Ostrava Mills counts the cost as the Varnel river falls",
        "Residents of Ostrava Mills returned to flooded streets as the Varnel river fell below "
        "the levee, and Governor Petra Lindqvist said the state of emergency would be lifted.",
        T0 + timedelta(days=3),
    )
    g = group([flood(), mid, end])
    assert g.cluster_of[mid.id] == flood().id
    assert g.cluster_of[end.id] == end.id


def _letters(number: int) -> str:
    """A number written in letters: names carry no digits."""
    return "".join("bdfghjklmp"[int(c)] for c in str(number))


def _invented(n: int, seed: int) -> list[Doc]:
    """Stories of random invented words, some of them versions and events of others."""
    rng = random.Random(seed)
    syllables = "ka lo mi ter van sul dor pel rin ost bru qua zen fal mor tiv nes ul ga ro".split()
    vocab = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})
    docs = []
    for i in range(n):
        when = T0 + timedelta(minutes=rng.randrange(60 * 24 * 20))
        if docs and rng.random() < 0.3:
            base = rng.choice(docs)
            words = base.text.split()
            if rng.random() < 0.5:  # a version: a sentence added
                words = words + rng.choices(vocab, k=15)
                title = "UPDATE 2-" + base.title
            else:  # the same event: the lede's words, told anew
                words = words[:3] + rng.sample(words[3:40], 30) + rng.choices(vocab, k=40)
                title = " ".join(rng.sample(base.title.split(), 4))
            when = base.when + timedelta(hours=rng.randint(1, 30))
        else:  # a new story, with names of its own
            names = [
                f"{rng.choice(syllables).title()}vik{_letters(i)}n{'abc'[k]}" for k in range(3)
            ]
            words = names + rng.choices(vocab, k=rng.randint(60, 200))
            title = " ".join(rng.choices(vocab, k=4) + names[:2])
        docs.append(Doc(f"tag:example.org,2031:{i:04d}", title, " ".join(words), when))
    return docs


def test_the_same_stories_in_any_order_give_the_same_grouping():
    docs = _invented(400, seed=5)
    expected = group(docs)
    assert expected.stats["near_duplicates"] > 10 and expected.stats["clusters"] > 10
    rng = random.Random(9)
    for _ in range(3):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        assert group(shuffled) == expected
    # The same instants in another time zone are the same stories.
    east = timezone(timedelta(hours=9))
    assert group([replace(d, when=d.when.astimezone(east)) for d in docs]) == expected


def test_cluster_ids_stay_when_later_stories_join():
    docs = _invented(300, seed=11)
    before = group(docs)
    by_id = {d.id: d for d in docs}
    events = [c for c, shown in sorted(before.coverage.items()) if len(shown) > 1]
    assert len(events) >= 5
    for cluster in events[:8]:
        # A later story on the same event: the lede of the cluster's newest story, told anew.
        newest = by_id[before.coverage[cluster][0]]
        words = newest.text.split()
        later = Doc(
            f"{cluster}-later",
            newest.title,
            " ".join(words[:45] + ["qualo"] * 3 + words[-20:]),
            newest.when + timedelta(hours=1),
        )
        after = group([*docs, later])
        assert after.cluster_of[later.id] == cluster  # it joined, and the id did not move
        assert set(after.members[cluster]) == {*before.members[cluster], later.id}
        assert all(after.cluster_of[d.id] == before.cluster_of[d.id] for d in docs)
    # A cluster's id is its earliest member's (by time, then id).
    for cluster, members in before.members.items():
        assert cluster == min(members, key=lambda i: (by_id[i].when, i))


def test_ids_and_times_are_checked():
    with pytest.raises(ValueError, match="timezone"):
        group([replace(CHESS, when=datetime(2031, 5, 12))])
    with pytest.raises(ValueError, match="two stories"):
        group([CHESS, replace(OTHER_FLOOD, id=CHESS.id)])
    assert group([]).members == {}


def test_version_marks_leave_the_headline():
    assert clusters.headline("UPDATE 1-River bursts levee") == "River bursts levee"
    assert clusters.headline("REFILE-UPDATE 3-Talks resume") == "Talks resume"
    assert clusters.headline("Update on the talks") == "Update on the talks"
    assert clusters.anchor("tag:example.org,2031:flood") == clusters.anchor(
        "tag:example.org,2031:flood"
    )
    assert re.fullmatch(r"c[0-9a-f]{10}", clusters.anchor("x"))


# --- Real stories, perturbed at run time -------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    parts = []
    for part in re.split(r"\n\s*\n|\n(?=[ \t])", text):
        lines = [line for line in part.splitlines() if line.strip()]
        if lines:
            unwrapped = max(len(line) for line in lines) > 100
            parts += [" ".join(p.split()) for p in (lines if unwrapped else [part])]
    out = []
    for para in parts:
        if len(para.split()) > 120:
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", para)
            out += [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        else:
            out.append(para)
    return out


def _perturb(doc: Doc, donor: Doc, rng: random.Random) -> Doc:
    paras, title = _paragraphs(doc.text), doc.title
    kind = rng.choice(("rewrap", "add", "drop", "headline", "update"))
    if kind == "add":
        sentences = re.split(r"(?<=[.!?])\s+", rng.choice(_paragraphs(donor.text)))
        paras.insert(rng.randint(1, len(paras)), " ".join(sentences[:2]))
    elif kind == "drop" and len(paras) > 1:
        paras.pop(rng.randint(1, len(paras) - 1))
    elif kind == "headline":
        words = title.split()
        words.insert(rng.randrange(len(words) + 1), "now")
        title = " ".join(words)
    elif kind == "update":
        title = "UPDATE 1-" + title
    text = "\n".join(textwrap.fill(p, rng.randint(40, 80)) for p in paras)
    when = doc.when + timedelta(hours=rng.randint(1, 30))
    return Doc(doc.id + "#copy", title, text, when)


@pytest.mark.corpus
def test_near_duplicate_precision_and_recall_on_perturbed_real_stories():
    rng = random.Random(2)
    real = []
    for path in bbc_files()[::4]:
        title, _, body = path.read_bytes().decode("latin-1").strip().partition("\n")
        real.append((f"bbc/{path.parent.name}/{path.name}", title, body))
    real += [(f"reuters/{s.newid}", s.title, s.body) for s in reuters_stories()[::3]]
    real += [(f"isot/{s.name}", s.title, s.text) for s in isot_stories()[::3]]
    docs = [
        Doc(i, t.strip(), b.strip(), T0 + timedelta(minutes=rng.randrange(43200)))
        for i, t, b in real
        if len(b.split()) >= 20
    ]
    # The corpora repeat a few stories: the originals found as versions of each other are
    # left out, so that every remaining pair of originals is a pair of distinct stories.
    alone = group(docs)
    distinct = [d for d in docs if d.id not in alone.duplicate_of and d.id not in alone.versions]
    assert len(distinct) > 0.9 * len(docs)
    copies = [_perturb(d, rng.choice(distinct), rng) for d in distinct]
    g = group(distinct + copies)
    found = {(dup, shown) for dup, shown in g.duplicate_of.items()}
    right = sum(1 for dup, shown in found if dup.split("#")[0] == shown.split("#")[0])
    precision = right / len(found)
    recall = sum(1 for c in copies if g.shown(c.id) == g.shown(c.id.split("#")[0])) / len(copies)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall
