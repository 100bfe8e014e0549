"""Figures for the raw-text parser on the corpora in ../shared/corpora (never copied here).

    .venv/bin/python bench/textquality.py                 # counts and speed per source
    .venv/bin/python bench/textquality.py --show isot 60  # a sample to judge by hand
    .venv/bin/python bench/textquality.py --topics news 40 --seed 15  # topics to judge
    .venv/bin/python bench/textquality.py --check news 60 --seed 15   # datelines, junk
    .venv/bin/python bench/textquality.py --speed         # stories/s of parse + topics
    .venv/bin/python bench/textquality.py --speed --plugins /tmp/old/plugins  # another tree
                       # (git archive <commit> plugins | tar -x -C /tmp/old): before/after

Prints per source: files, published (parsed), rejected, datelines, agencies,
bylines, junk removed, credits, corrections, and stories per second.
"""

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_PLUGINS = sys.argv[sys.argv.index("--plugins") + 1] if "--plugins" in sys.argv else "plugins"
sys.path[:0] = [str(REPO / "tests"), str(REPO / _PLUGINS)]

from corpora import (  # noqa: E402
    bbc_files,
    isot_stories,
    news_summary_stories,
    reuters_stories,
    wire_raw_file,
)
from pelican.plugins.gazette import settings  # noqa: E402
from pelican.plugins.gazette.ingest import topics  # noqa: E402
from pelican.plugins.gazette.ingest.raw import RawStory, parse  # noqa: E402
from pelican.plugins.gazette.ingest.story import summarise  # noqa: E402

CONFIG = settings.resolve({})


def sources() -> dict[str, list[tuple[str, bytes]]]:
    rng = random.Random(21578)
    return {
        "isot": [(s.name, s.raw_file().encode()) for s in isot_stories()],
        "news": [(s.name, s.raw_file().encode()) for s in news_summary_stories()],
        "reuters": [(w.newid, wire_raw_file(w, rng).encode()) for w in reuters_stories()],
        "bbc": [(p.name, p.read_bytes()) for p in bbc_files()],
    }


def figures(name, files):
    counts = Counter(files=len(files))
    for source, data in files:
        raw = parse(data, source, CONFIG.junk)
        if not isinstance(raw, RawStory):
            counts["rejected"] += 1
            continue
        counts["published"] += 1
        counts["dateline"] += raw.dateline is not None
        counts["agency"] += raw.agency is not None
        counts["byline"] += raw.byline is not None
        counts["removed (stories)"] += bool(raw.removed)
        counts["removed (items)"] += len(raw.removed)
        counts["credits"] += bool(raw.credits)
        counts["corrections"] += bool(raw.corrections)
        counts["original_title"] += raw.original_title is not None
    print(name, dict(counts))


def speed(name, files, rounds=5):
    """Best of ``rounds``, in wall time and in this process's CPU time (steadier when
    other work shares the machine)."""
    best = cpu = None
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for source, data in files:
            raw = parse(data, source, CONFIG.junk)
            if isinstance(raw, RawStory):
                topics.extract(raw.title, raw.paragraphs)
        spent, spent_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        best = spent if best is None else min(best, spent)
        cpu = spent_cpu if cpu is None else min(cpu, spent_cpu)
    print(
        f"{name}: {len(files)} stories, parse+topics {len(files) / best:,.0f} stories/s"
        f" ({len(files) / cpu:,.0f} per CPU second)"
    )


def show(files, n, seed=1):
    rng = random.Random(seed)
    for source, data in rng.sample(files, min(n, len(files))):
        raw = parse(data, source, CONFIG.junk)
        print("=" * 100)
        if not isinstance(raw, RawStory):
            print(source, "REJECTED", raw.reason)
            continue
        print(source, "|", raw.title, "| orig:", raw.original_title)
        print("  dateline:", raw.dateline, "| place:", raw.place, "| agency:", raw.agency)
        print("  byline:", raw.byline, "| corrections:", raw.corrections, "| credits:", raw.credits)
        print("  removed:", raw.removed)
        print("  lede:", raw.paragraphs[0][:300])
        print("  summary:", summarise(raw.paragraphs[0], CONFIG.summary_max_chars))
        print("  end:", raw.paragraphs[-1][-200:])
        print("  topics:", topics.extract(raw.title, raw.paragraphs))


def check(files, n, seed=1):
    """One block a story, to judge datelines (precision, recall), junk left, genuine text
    removed and summaries by hand: the raw opening, what the parser found, the ends."""
    rng = random.Random(seed)
    for source, data in rng.sample(files, min(n, len(files))):
        raw = parse(data, source, CONFIG.junk)
        if not isinstance(raw, RawStory):
            print(source, "REJECTED", raw.reason)
            continue
        body = data.decode("utf-8", "replace").split("\n", 2)[-1].strip()
        print(f"{source} RAW: {' '.join(body[:110].split())}")
        print(f"  dateline={raw.dateline!r} agency={raw.agency} byline={raw.byline!r}")
        print(f"  lede: {raw.paragraphs[0][:70]}")
        print(f"  removed: {[r[:60] for r in raw.removed]}")
        print(f"  summary end: ...{summarise(raw.paragraphs[0], CONFIG.summary_max_chars)[-60:]}")
        print(f"  body end: ...{' '.join(raw.paragraphs[-1][-110:].split())}")


def show_topics(files, n, seed=1):
    """Topics of a sample, one story a block, to judge by hand: is each topic a real
    person, place, organisation or theme of that story?"""
    rng = random.Random(seed)
    for source, data in rng.sample(files, min(n, len(files))):
        raw = parse(data, source, CONFIG.junk)
        if not isinstance(raw, RawStory):
            continue
        found = topics.extract(raw.title, raw.paragraphs)
        print(f"{source} | {raw.title}\n  {raw.paragraphs[0][:240]}")
        print("  topics:", " | ".join(found))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", nargs=2, metavar=("SOURCE", "N"))
    parser.add_argument("--check", nargs=2, metavar=("SOURCE", "N"), help="parses to judge")
    parser.add_argument("--topics", nargs=2, metavar=("SOURCE", "N"), help="topics to judge")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--plugins", help="the plugins folder to measure (default: this tree's)")
    args = parser.parse_args()
    every = sources()
    if args.show:
        show(every[args.show[0]], int(args.show[1]), args.seed)
        return
    if args.check:
        check(every[args.check[0]], int(args.check[1]), args.seed)
        return
    if args.topics:
        show_topics(every[args.topics[0]], int(args.topics[1]), args.seed)
        return
    for name, files in every.items():
        (speed if args.speed else figures)(name, files)


if __name__ == "__main__":
    main()
