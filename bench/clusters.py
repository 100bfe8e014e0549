"""Benchmark: near-duplicates and story clusters (digest/clusters.py).

    python bench/clusters.py                    # everything below, default settings
    python bench/clusters.py --part dups        # near-duplicate precision / recall only
    python bench/clusters.py --part events --show 20 --seed 3
    python bench/clusters.py --part speed --sizes 5000 50000
    python bench/clusters.py --part sweep       # shingle size and thresholds

Reads real stories from ../shared/corpora at run time (bbc-news, reuters-21578
reut2-000..002, isot-news); nothing from them is kept. Prints figures only.

* dups: every real story gets one or two perturbed copies made here, at run
  time (re-wrapped, a paragraph added from another story, a paragraph
  dropped, the headline edited, an ``UPDATE 1-`` prefix, and mixes of
  these). A copy and its original are a true pair; precision and recall are
  over pairs of stories put in one version group. Pairs of two originals
  the detector groups are corpus repeats (the corpora repeat some stories):
  they are counted apart, as the false-positive figure among distinct real
  stories, and a sample is printed to be checked by eye.
* events: the Reuters stories with their wire times; cluster sizes, and a
  seeded sample of clusters (headline, time) to be checked by eye.
* speed: synthetic stories (bench/generate.py) with a tenth of them
  perturbed copies, and real stories repeated a month apart (a tenth
  perturbed), at each size: wall and CPU seconds, CPU ms per story.
"""

import argparse
import random
import re
import sys
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from pelican.plugins.gazette.digest import clusters  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
REUTERS_FILES = ("reut2-000.sgm", "reut2-001.sgm", "reut2-002.sgm")
START = datetime(2024, 3, 1, tzinfo=UTC)


# --- Real stories ------------------------------------------------------------


def bbc_docs() -> list[clusters.Doc]:
    docs = []
    for path in sorted((CORPORA / "bbc-news").glob("*/*.txt")):
        raw = path.read_bytes().decode("latin-1")
        title, _, body = raw.strip().partition("\n")
        name = f"bbc/{path.parent.name}/{path.name}"
        docs.append(clusters.Doc(name, title.strip(), body.strip(), START, "BBC"))
    return docs


_RECORD = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\">(.*?)</REUTERS>", re.DOTALL)
_DATE = re.compile(r"<DATE>\s*([^<]+?)\s*</DATE>")


def reuters_times() -> dict[str, datetime]:
    times = {}
    for name in REUTERS_FILES:
        text = (CORPORA / "reuters-21578" / name).read_text("latin-1")
        for newid, record in _RECORD.findall(text):
            match = _DATE.search(record)
            if match:
                stamp = datetime.strptime(match[1].split(".")[0], "%d-%b-%Y %H:%M:%S")
                times[newid] = stamp.replace(tzinfo=UTC)
    return times


def reuters_docs() -> list[clusters.Doc]:
    from corpora import reuters_stories

    times = reuters_times()
    docs = []
    for story in reuters_stories():
        if story.newid in times:
            body = story.body.strip()
            docs.append(
                clusters.Doc(f"reuters/{story.newid}", story.title, body, times[story.newid])
            )
    return docs


def isot_docs() -> list[clusters.Doc]:
    from corpora import isot_stories

    return [
        clusters.Doc(f"isot/{s.name}", s.title, s.text, START, "Reuters") for s in isot_stories()
    ]


# --- Perturbations -----------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")


def paragraphs(text: str) -> list[str]:
    """The paragraphs: blank-line or indented ones, or unwrapped lines (one a line).

    A paragraph of more than 120 words (a flattened story) is cut into parts
    of three sentences.
    """
    out = []
    for part in re.split(r"\n\s*\n|\n(?=[ \t])", text):
        lines = [line for line in part.splitlines() if line.strip()]
        if not lines:
            continue
        unwrapped = max(len(line) for line in lines) > 100
        for para in lines if unwrapped else [part]:
            para = " ".join(para.split())
            if len(para.split()) <= 120:
                out.append(para)
                continue
            sentences = _SENTENCE_END.split(para)
            out += [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return out


def rewrap(paras: list[str], rng: random.Random) -> str:
    width = rng.randint(40, 90)
    if rng.random() < 0.5:
        return "\n\n".join(textwrap.fill(p, width) for p in paras)
    return "\n".join("    " + textwrap.fill(p, width, subsequent_indent="") for p in paras)


def edit_headline(title: str, rng: random.Random) -> str:
    words = title.split()
    for _ in range(rng.randint(1, 2)):
        action = rng.choice(("drop", "swap", "add", "case"))
        if action == "drop" and len(words) > 3:
            words.pop(rng.randrange(len(words)))
        elif action == "swap" and len(words) > 1:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif action == "add":
            words.insert(rng.randrange(len(words) + 1), rng.choice(("new", "now", "again", "say")))
        else:
            words = (
                [w.capitalize() for w in words] if title.isupper() else [w.upper() for w in words]
            )
    return " ".join(words)


KINDS = ("rewrap", "add", "drop", "headline", "update", "update+add+rewrap", "headline+drop")


def perturb(doc: clusters.Doc, kind: str, donor: clusters.Doc, rng: random.Random, n: int):
    paras = paragraphs(doc.text)
    title = doc.title
    for step in kind.split("+"):
        if step == "add":
            # One paragraph of another story (a paragraph: at most three sentences).
            extra = _SENTENCE_END.split(rng.choice(paragraphs(donor.text)))
            paras.insert(rng.randint(1, len(paras)), " ".join(extra[: rng.randint(1, 3)]))
        elif step == "drop" and len(paras) > 1:
            paras.pop(rng.randint(1, len(paras) - 1))  # the lede stays
        elif step == "headline":
            title = edit_headline(title, rng)
        elif step == "update":
            title = f"UPDATE {rng.randint(1, 3)}-{title}"
    text = rewrap(paras, rng) if "rewrap" in kind else "\n\n".join(paras)
    when = doc.when + timedelta(minutes=rng.randint(5, 36 * 60))
    return clusters.Doc(f"{doc.id}#copy{n}-{kind}", title, text, when, doc.source)


def version_pairs(grouping: clusters.Grouping) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for dup, shown in grouping.duplicate_of.items():
        groups.setdefault(shown, [shown]).append(dup)
    return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}


def passes(a: clusters.Doc, b: clusters.Doc, settings: clusters.Settings) -> bool:
    """Whether two stories are versions by the exact rule (no LSH, no window)."""
    k = settings.shingle
    pair = (clusters._version(clusters._split(d), k) for d in (a, b))
    return clusters.is_version(*pair, settings)


def is_repeat(pair: tuple[str, str], repeat_bases: set) -> bool:
    """A pair of stories whose originals are versions of each other in the corpus."""
    a, b = base_of(pair[0]), base_of(pair[1])
    return a != b and frozenset((a, b)) in repeat_bases


def base_of(doc_id: str) -> str:
    return doc_id.split("#", 1)[0]


def dups(settings: clusters.Settings, seed: int, show: int, quiet: bool = False) -> dict:
    rng = random.Random(seed)
    figures = {}
    for name, loader in (("bbc", bbc_docs), ("reuters", reuters_docs), ("isot", isot_docs)):
        originals = [d for d in loader() if len(d.text.split()) >= 20]
        # Spread the originals over a month so that the time window is realistic.
        originals = [
            clusters.Doc(d.id, d.title, d.text, START + timedelta(minutes=rng.randrange(43200)))
            if name != "reuters"
            else d
            for d in originals
        ]
        alone = clusters.group(originals, settings)
        repeats = version_pairs(alone)
        copies = []
        for doc in originals:
            for n in range(rng.choice((1, 2))):
                donor = rng.choice(originals)
                while donor.id == doc.id:
                    donor = rng.choice(originals)
                copies.append(perturb(doc, rng.choice(KINDS), donor, rng, n))
        everything = originals + copies
        started = time.perf_counter()
        grouping = clusters.group(everything, settings)
        seconds = time.perf_counter() - started
        predicted = version_pairs(grouping)
        truth = set()
        by_base: dict[str, list[str]] = {}
        for d in everything:
            by_base.setdefault(base_of(d.id), []).append(d.id)
        for ids in by_base.values():
            truth |= {tuple(sorted(p)) for p in combinations(ids, 2)}
        # Pairs whose originals are corpus repeats are neither right nor wrong here.
        repeat_bases = {frozenset(p) for p in repeats}
        by_id = {d.id: d for d in originals}
        for a, b in predicted:
            a, b = base_of(a), base_of(b)
            pair = frozenset((a, b))
            if a != b and pair not in repeat_bases and passes(by_id[a], by_id[b], settings):
                repeat_bases.add(pair)

        scored = {p for p in predicted if not is_repeat(p, repeat_bases)}
        tp = len(scored & truth)
        precision = tp / len(scored) if scored else 1.0
        recall = tp / len(truth)
        missed = Counter()
        copies_by_kind = Counter()
        for c in copies:
            kind = c.id.split("#copy", 1)[1].split("-", 1)[1]
            copies_by_kind[kind] += 1
            if grouping.shown(c.id) != grouping.shown(base_of(c.id)):
                missed[kind] += 1
        n_pairs = len(originals) * (len(originals) - 1) // 2
        figures[name] = dict(
            originals=len(originals),
            copies=len(copies),
            precision=precision,
            recall=recall,
            repeats=len(repeats),
            repeat_rate=len(repeats) / n_pairs,
            seconds=seconds,
        )
        if quiet:
            continue
        print(
            f"{name:8} originals {len(originals):5}  copies {len(copies):5}  "
            f"pairs true {len(truth):5} found {len(scored):5}  "
            f"precision {precision:.4f}  recall {recall:.4f}  "
            f"({seconds * 1000 / len(everything):.2f} ms/story)"
        )
        print(
            "         copies missed by kind: "
            + ", ".join(f"{k} {missed[k]}/{copies_by_kind[k]}" for k in KINDS)
        )
        wrong = sorted(scored - truth)
        print(
            f"         wrong pairs (different originals, not repeats): {len(wrong)}; "
            f"corpus repeats found only with the copies: {len(repeat_bases) - len(repeats)}"
        )
        for a, b in wrong[:show]:
            print(f"           {a}  ~  {b}")
        print(
            f"         groups among the {len(originals)} unperturbed originals: "
            f"{len(repeats)} pairs ({len(repeats) / n_pairs:.2e} of all pairs, "
            f"{len({x for p in repeats for x in p})} stories)"
        )
        for a, b in sorted(repeats)[:show]:
            ja, ca, _ = clusters.overlap(
                clusters.version_shingles(by_id[a], settings.shingle),
                clusters.version_shingles(by_id[b], settings.shingle),
            )
            print(
                f"           J={ja:.2f} C={ca:.2f} {a} | {by_id[a].title[:60]!r}\n"
                f"                         {b} | {by_id[b].title[:60]!r}"
            )
    return figures


def sweep(seed: int) -> None:
    """The shingle size and the thresholds, measured."""
    rows = []
    for k in (3, 4, 5):
        for bands in ((32, 4), (42, 3)):
            for mj, mc in ((0.5, 0.9), (0.4, 0.8), (0.6, 0.95)):
                s = clusters.Settings(shingle=k, bands=bands, min_jaccard=mj, min_containment=mc)
                f = dups(s, seed, 0, quiet=True)
                rows.append((k, bands, mj, mc, f))
                print(
                    f"k={k} bands={bands} J>={mj} C>={mc}: "
                    + "  ".join(
                        f"{n} P={v['precision']:.4f} R={v['recall']:.4f} "
                        f"rep={v['repeats']} {v['seconds']:.1f}s"
                        for n, v in f.items()
                    ),
                    flush=True,
                )
    return rows


# --- Events ------------------------------------------------------------------


def events(settings: clusters.Settings, seed: int, show: int) -> None:
    docs = reuters_docs()
    by_id = {d.id: d for d in docs}
    started = time.perf_counter()
    grouping = clusters.group(docs, settings)
    seconds = time.perf_counter() - started
    stats = grouping.stats
    print(
        f"reuters: {len(docs)} stories, {stats['near_duplicates']} near-duplicates in "
        f"{stats['version_groups']} version groups, {stats['clusters']} event clusters "
        f"holding {stats['clustered_stories']} stories, largest {stats['largest_cluster']} "
        f"({seconds:.2f} s, {seconds * 1000 / len(docs):.2f} ms/story)"
    )
    sizes = Counter(len(c) for c in grouping.coverage.values() if len(c) > 1)
    print("  cluster sizes (shown stories: count):", dict(sorted(sizes.items())))
    multi = [c for c, cov in grouping.coverage.items() if len(cov) > 1]
    rng = random.Random(seed)
    sample = sorted(rng.sample(multi, min(show, len(multi))))
    for n, cid in enumerate(sample, 1):
        print(f"  [{n}] cluster {clusters.anchor(cid)} ({len(grouping.members[cid])} stories)")
        for i in grouping.members[cid]:
            d = by_id[i]
            mark = f"  version of {grouping.duplicate_of[i]}" if i in grouping.duplicate_of else ""
            print(f"      {d.when:%d %b %H:%M} {i:14} {d.title[:70]}{mark}")
    versions = [v for v in grouping.versions.items()]
    print(f"  sample of version groups ({len(versions)}):")
    for shown, others in rng.sample(versions, min(show // 2, len(versions))):
        print(f"      shown {shown:14} {by_id[shown].title[:60]}")
        for o in others:
            print(f"            {o:14} {by_id[o].title[:60]}")


# --- Speed -------------------------------------------------------------------


def synthetic(n: int, seed: int = 7) -> list[clusters.Doc]:
    import generate

    rng = random.Random(seed)
    base = n - n // 10
    docs = [
        clusters.Doc(f"tag:example.org,2024:{s.index}", s.title, "\n\n".join(s.paragraphs), s.date)
        for s in generate.stories(base, seed=seed)
    ]
    copies = []
    for n_copy in range(n - base):
        doc = rng.choice(docs)
        copies.append(perturb(doc, rng.choice(KINDS), rng.choice(docs), rng, n_copy))
    return docs + copies


def replicated(n: int, seed: int = 7) -> list[clusters.Doc]:
    """Real stories (BBC, Reuters, ISOT) repeated to ``n``: each round a month
    later than the last, one story in ten of it a perturbed copy."""
    rng = random.Random(seed)
    real = [d for d in bbc_docs() + reuters_docs() + isot_docs() if d.text.strip()]
    real = [
        clusters.Doc(d.id, d.title, d.text, START + timedelta(minutes=rng.randrange(43200)))
        for d in real
    ]
    docs = []
    for k in range(n):
        base = real[k % len(real)]
        shift = timedelta(days=31 * (k // len(real)))
        doc = clusters.Doc(f"{base.id}@{k}", base.title, base.text, base.when + shift)
        if rng.random() < 0.1:
            doc = perturb(doc, rng.choice(KINDS), rng.choice(real), rng, k)
        docs.append(doc)
    return docs


def speed(settings: clusters.Settings, sizes: list[int], kinds: list[str]) -> None:
    for kind in kinds:
        for n in sizes:
            docs = synthetic(n) if kind == "synthetic" else replicated(n)
            words = sum(len(d.text.split()) for d in docs) / len(docs)
            started, cpu = time.perf_counter(), time.process_time()
            grouping = clusters.group(docs, settings)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            s = grouping.stats
            print(
                f"{kind:10} {n:6} stories ({words:.0f} words each): {seconds:6.2f} s wall, "
                f"{cpu:6.2f} s CPU, {cpu * 1000 / n:.2f} ms/story CPU; "
                f"{s['near_duplicates']} near-duplicates, {s['clusters']} clusters, "
                f"largest {s['largest_cluster']}, candidates checked "
                f"{s['version_candidates_checked']} + {s['event_candidates_checked']}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("all", "dups", "events", "speed", "sweep"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 50000])
    parser.add_argument(
        "--kinds", nargs="*", default=["synthetic", "real"], choices=("synthetic", "real")
    )
    args = parser.parse_args()
    part = args.part or "all"
    settings = clusters.DEFAULT
    if part in ("all", "dups"):
        dups(settings, args.seed, args.show)
    if part in ("all", "events"):
        events(settings, args.seed, args.show)
    if part in ("all", "speed"):
        speed(settings, args.sizes, args.kinds)
    if part == "sweep":
        sweep(args.seed)


if __name__ == "__main__":
    main()
