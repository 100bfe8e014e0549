"""What the social cards cost a build, per story: drawn (cold) and from the cache (warm).

``python bench/cards.py --n 1000``: the benchmark's N generated stories (run.py's site,
the pool corpus) built with GAZETTE_SOCIAL_CARDS on and off, with no cache at all, with
only the cards' cache emptied, and with every cache warm; then every story's card drawn
in this process, timed. CPU is the build's processes together (the cards are drawn
beside the pages), so it shows the work; wall time shows what a reader of the terminal
waits for, on this machine's cores. ``--draw-only``: only the cards drawn in this
process (no site, no builds), quick enough to compare two versions of outputs/cards.py.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402
import run as bench  # noqa: E402
import tree  # noqa: E402

sys.path.insert(0, str(HERE.parent / "plugins"))
from pelican.plugins.gazette.outputs import cards  # noqa: E402

SITE = "The Gazette Digest"


def build(site: bench.Site, on: bool, empty: str) -> tuple[float, float]:
    """(wall, CPU) of one build; ``empty``: "all" caches, the "cards" cache, or "none"."""
    root = site.gazette
    if empty == "all":
        shutil.rmtree(root / ".cache", ignore_errors=True)
    elif empty == "cards":
        shutil.rmtree(root / ".cache" / "gazette" / "cards", ignore_errors=True)
    output = bench.fresh_output(root)
    setting = f"GAZETTE_SOCIAL_CARDS={'true' if on else 'false'}"
    usage = tree.measure(bench.pelican_command(site.conf, output, setting), cwd=root)
    return usage.wall, usage.cpu


def builds(args) -> None:
    site = bench.prepare(Path(args.work), args.n, args.seed, "pool")
    print(f"{os.cpu_count()} CPUs; {args.n:,} stories; ms per story: cards on minus off")
    for what, empty in (("no cache at all", "all"), ("cards drawn", "cards"), ("warm", "none")):
        off = build(site, False, empty)
        on = build(site, True, empty)
        extra = [(a - b) / args.n * 1000 for a, b in zip(on, off, strict=True)]
        print(
            f"{what:16} off {off[0]:6.2f} s (CPU {off[1]:6.2f}), on {on[0]:6.2f} s "
            f"(CPU {on[1]:6.2f}): {extra[0]:+.2f} ms wall, {extra[1]:+.2f} ms CPU a story"
        )
    bench.discard(site)


def cpu_ms(function, texts) -> float:
    """CPU ms per text of ``function(text)``, this process only."""
    started = time.process_time()
    for text in texts:
        function(text)
    return (time.process_time() - started) / len(texts) * 1000


def drawing(args) -> None:
    """One card at a time, in this process: first as a build's card process draws them
    (its glyph caches filled on the way), then again with every cache warm."""
    stories = generate.stories(args.n, seed=args.seed)
    texts = [
        cards.CardText(story.title, story.section, f"{story.date:%-d %B %Y}", SITE)
        for story in stories
    ]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cards.draw(cards.CardText("", "", "", ""))  # the fonts loaded
    first = cpu_ms(cards.draw, texts)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    again = cpu_ms(cards.draw, texts)
    layout = cpu_ms(cards.plan, texts)
    size = sum(len(cards.draw(text)) for text in texts[:200]) / min(200, len(texts)) / 1000
    print(
        f"one card, in this process ({bench.load()}): {first:.2f} ms CPU as a build draws "
        f"{len(texts):,}, {again:.2f} ms drawn again (layout {layout:.2f} ms of it), "
        f"{size:.1f} KB; peak RSS +{grown:.0f} MB"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="stories (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    default_work = os.path.join(tempfile.gettempdir(), "gazette-bench")
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", default_work))
    parser.add_argument("--draw-only", action="store_true", help="no builds: the drawing only")
    args = parser.parse_args(argv)
    if not args.draw_only:
        builds(args)
    drawing(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
