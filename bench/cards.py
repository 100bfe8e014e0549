"""What the social cards cost a build, per story: drawn (cold) and from the cache (warm).

``python bench/cards.py --n 1000``: the benchmark's N generated stories (run.py's site)
built with GAZETTE_SOCIAL_CARDS on and off, with no cache at all, with only the cards'
cache emptied, and with every cache warm; then one card drawn in this process, timed
over every story's headline. CPU is the build's processes together (the cards are
drawn beside the pages), so it shows the work; wall time shows what a reader of the
terminal waits for, on this machine's cores.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run as bench  # noqa: E402

sys.path.insert(0, str(HERE.parent / "plugins"))
from pelican.plugins.gazette.outputs import cards  # noqa: E402


def build(conf: Path, on: bool, empty: str) -> tuple[float, float]:
    """(wall, CPU) of one build; ``empty``: "all" caches, the "cards" cache, or "none"."""
    root = conf.parent
    if empty == "all":
        shutil.rmtree(root / ".cache", ignore_errors=True)
    elif empty == "cards":
        shutil.rmtree(root / ".cache" / "gazette" / "cards", ignore_errors=True)
    output = root / "output"
    if output.exists():
        os.rename(output, bench._aside(output))  # as run.py does: deleting costs the next build
    setting = f"GAZETTE_SOCIAL_CARDS={'true' if on else 'false'}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(bench.pelican(conf, output, setting), cwd=root, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="stories (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    default_work = os.path.join(tempfile.gettempdir(), "gazette-bench")
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", default_work))
    args = parser.parse_args(argv)
    conf, _ = bench.prepare(Path(args.work), args.n, args.seed)
    print(f"{os.cpu_count()} CPUs; {args.n:,} stories; ms per story: cards on minus off")
    for what, empty in (("no cache at all", "all"), ("cards drawn", "cards"), ("warm", "none")):
        off = build(conf, False, empty)
        on = build(conf, True, empty)
        extra = [(a - b) / args.n * 1000 for a, b in zip(on, off, strict=True)]
        print(
            f"{what:16} off {off[0]:6.2f} s (CPU {off[1]:6.2f}), on {on[0]:6.2f} s "
            f"(CPU {on[1]:6.2f}): {extra[0]:+.2f} ms wall, {extra[1]:+.2f} ms CPU a story"
        )
    bench.discard(conf.parent)
    seeds = sorted((conf.parent / "seeds").rglob("*.txt"))
    titles = [path.read_text().split("\n\n", 1)[1].split("\n", 1)[0] for path in seeds]
    site = "The Gazette Digest"
    texts = [cards.CardText(title, "Business", "22 September 2021", site) for title in titles]
    cards.draw(texts[0])  # the fonts loaded
    started = time.process_time()
    sizes = [len(cards.draw(text)) for text in texts]
    each = (time.process_time() - started) / len(texts) * 1000
    print(f"one card, in this process: {each:.2f} ms CPU, {sum(sizes) / len(sizes) / 1000:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
