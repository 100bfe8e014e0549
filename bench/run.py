"""Benchmark: Gazette against stock Pelican on the same synthetic stories.

    python bench/run.py --n 1000            # what `make bench` runs (N=1000 by default)
    python bench/run.py --n 5000 --runs 3

For the chosen N it generates the stories (seeded; reused between runs from
``--work``), then alternates full builds of the Gazette site and of the same
stories as Markdown through stock Pelican (default theme and feeds, the same
pagination), each in a fresh process, and prints per site: stories, pages
written, wall and CPU seconds (median, min, max), peak RSS and pages per
second, and the Gazette/stock wall-time ratio. Then the time of a rebuild
after adding one story as ``gazette serve`` makes it (ingest in the build, the
caches on, only changes written and merged into the site, in the dev server's
warm build process), the same in a fresh process, and a cProfile of one
Gazette build broken down by stage (see profile_report.py).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import profile_report  # noqa: E402

sys.path.insert(0, str(REPO / "plugins"))
from pelican.plugins.gazette.commands import sitebuild  # noqa: E402
from pelican.plugins.gazette.commands.buildserver import BuildServer  # noqa: E402

GAZETTE_CLI = "pelican.plugins.gazette.commands.cli"
PYTHON = sys.executable
SITEURL = "http://127.0.0.1:8000"
INGEST_NOW = "2024-06-01T00:00:00+00:00"

GAZETTE_CONF = f"""\
import sys
sys.path.insert(0, {str(REPO)!r})
from pelicanconf import *  # noqa
PATH = {{path!r}}
THEME = {str(REPO / "theme")!r}
PLUGIN_PATHS = [{str(REPO / "plugins")!r}]
PAGE_PATHS = ["content/pages"]
SITEURL = {SITEURL!r}
"""

STOCK_CONF = f"""\
# Stock Pelican: default theme, default feeds, the same pagination as Gazette.
AUTHOR = "Bench"
SITENAME = "Stock Pelican"
SITEURL = {SITEURL!r}
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    pages: int
    files: int
    mbytes: float


def run_process(command: list[str], cwd: Path, env=None) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, stderr) of one child process alone (os.wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed ({child.returncode}):\n{err[-4000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err


def count_output(folder: Path) -> tuple[int, int, float]:
    pages = files = size = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
            pages += name.endswith(".html")
    return pages, files, size / 1e6


def pelican(conf: Path, output: Path, *settings: str) -> list[str]:
    command = [PYTHON, "-m", "pelican", "-s", str(conf), "-o", str(output), "-q"]
    return command + (["-e", *settings] if settings else [])  # one -e: a second replaces it


def build(conf: Path, output: Path) -> Run:
    """One full first build: Gazette's caches are dropped and the output moved aside first.

    Moved, not deleted: ext4 checks every inode it hands out against those deleted in
    the last minute or more, so a build right after deleting a site's 10,000 files paid
    5-15 s of system time for it (perf: ``recently_deleted`` under mkdir and create).
    ``discard`` deletes the moved folders once every timed build is done."""
    if output.exists():
        os.rename(output, _aside(output))
    shutil.rmtree(conf.parent / ".cache", ignore_errors=True)
    wall, cpu, rss, _ = run_process(pelican(conf, output), conf.parent)
    return Run(wall, cpu, rss, *count_output(output))


def _aside(output: Path) -> Path:
    trash = output.parent / "trash"
    trash.mkdir(exist_ok=True)
    return trash / f"{output.name}-{len(os.listdir(trash))}"


def discard(*sites: Path) -> None:
    """Delete the outputs ``build`` moved aside."""
    for site in sites:
        shutil.rmtree(site / "trash", ignore_errors=True)


def prepare(work: Path, n: int, seed: int) -> tuple[Path, Path]:
    """The two sites for N stories, generated once and reused (``--fresh`` regenerates)."""
    root = work / f"n{n}-s{seed}"
    marker = root / "ready"
    gazette_conf = root / "gazette" / "conf.py"
    stock_conf = root / "pelican" / "conf.py"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        info = generate.write_corpus(str(root), n, seed)
        shutil.copytree(REPO / "content" / "pages", root / "gazette" / "content" / "pages")
        gazette_conf.write_text(GAZETTE_CONF.format(path=str(root / "gazette")))
        stock_conf.write_text(STOCK_CONF)
        ingest(gazette_conf)
        print(
            f"generated {n:,} stories ({info['words']:,} words) in "
            f"{time.perf_counter() - started:.1f} s: {root}"
        )
        marker.write_text("ok\n")
    return gazette_conf, stock_conf


def ingest(conf: Path, now: str = INGEST_NOW) -> float:
    command = [
        PYTHON,
        "-m",
        "pelican.plugins.gazette.commands.cli",
        "--settings",
        str(conf),
        "ingest",
        "--now",
        now,
    ]
    wall, _, _, _ = run_process(command, conf.parent)
    return wall


def rebuild_after_one_more(conf: Path, n: int, seed: int, warm: bool = True) -> Run:
    """Add one story to the N-story site and rebuild as ``gazette serve`` does: in its warm
    build process (buildserver.py), or with ``warm=False`` in a fresh process; the site is
    put back as it was afterwards. The build before the edit (not timed) is the dev
    server's build of the site as it was."""
    site = conf.parent
    output = site / "output-rebuild"
    server = BuildServer(cwd=str(site), stderr=subprocess.DEVNULL) if warm else None
    ledger = site / "seeds" / "ledger.jsonl"
    saved = ledger.read_bytes()
    extra = next(generate.stories(1, seed=seed + 1))
    extra = generate.Story(**{**extra.__dict__, "index": n})
    extra = generate.Story(**{**extra.__dict__, "date": extra.date + timedelta(days=800)})
    try:
        dev_build(conf, output, server)
        generate.write_story(str(site / "seeds"), None, extra)
        return dev_build(conf, output, server, now="2024-06-02T00:00:00+00:00")
    finally:
        if server is not None:
            server.stop()
        (site / "seeds" / generate.raw_name(extra)).unlink(missing_ok=True)
        ledger.write_bytes(saved)


def dev_build(conf: Path, output: Path, server=None, now: str = INGEST_NOW) -> Run:
    """One build as the dev server makes it (ingest first seen ``now``, the caches on, only
    what changed written, then merged into ``output``: timed too), by ``server`` or, when
    None, in a fresh process. Peak RSS is the server's over its life."""
    environ = {"SOURCE_DATE_EPOCH": str(int(datetime.fromisoformat(now).timestamp()))}
    if server is not None:  # exactly the dev server's call
        started = time.perf_counter()
        ok, log = sitebuild.build(
            str(conf), str(output), ingest=True, page_cache=True, server=server, environ=environ
        )
        if not ok:
            raise SystemExit(f"bench: the build server's build failed:\n{log[-4000:]}")
        wall, cpu, rss = time.perf_counter() - started, server.last["cpu"], peak_rss(server)
        return Run(wall, cpu, rss, *count_output(output))
    # A fresh process (timed alone, for its CPU and memory), then the merge.
    staging = sitebuild.staging_folder(str(output))
    shutil.rmtree(staging, ignore_errors=True)
    command = sitebuild.pelican_command(str(conf), str(output), ingest=True, page_cache=True)
    wall, cpu, rss, _ = run_process(command, conf.parent, {**os.environ, **environ})
    started = time.perf_counter()
    sitebuild.merge(staging, str(output))  # part of the rebuild
    wall += time.perf_counter() - started
    return Run(wall, cpu, rss, *count_output(output))


def peak_rss(server) -> float:
    """The build server's peak resident memory so far, in MB (Linux's /proc)."""
    with open(f"/proc/{server.process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stats(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} {min(values):7.2f} {max(values):7.2f}"


def report(name: str, n: int, runs: list[Run]) -> float:
    wall = [r.wall for r in runs]
    cpu = [r.cpu for r in runs]
    median = statistics.median(wall)
    print(
        f"{name:8} {n:>7,} {runs[0].pages:>7,} {runs[0].files:>7,} {runs[0].mbytes:>8.0f} "
        f"{stats(wall)}  {stats(cpu)}  {max(r.rss_mb for r in runs):7.0f} "
        f"{runs[0].pages / median:7.0f} {median / n * 1000:7.2f}"
    )
    return median


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="stories (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="builds of each site (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    default_work = os.path.join(tempfile.gettempdir(), "gazette-bench")
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", default_work))
    parser.add_argument("--fresh", action="store_true", help="regenerate the stories")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Pelican")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the one-story rebuild")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile")
    parser.add_argument("--profile-only", action="store_true", help="only the profile")
    args = parser.parse_args(argv)

    work = Path(args.work)
    if args.fresh:
        shutil.rmtree(work / f"n{args.n}-s{args.seed}", ignore_errors=True)
    gazette_conf, stock_conf = prepare(work, args.n, args.seed)
    discard(gazette_conf.parent, stock_conf.parent)  # left by an interrupted run
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")

    if not args.profile_only:
        gazette_runs, stock_runs = [], []
        for number in range(args.runs):
            gazette_runs.append(build(gazette_conf, gazette_conf.parent / "output"))
            print(f"  run {number + 1}: gazette {gazette_runs[-1].wall:.2f} s", end="", flush=True)
            if not args.no_stock:
                stock_runs.append(build(stock_conf, stock_conf.parent / "output"))
                print(f", stock pelican {stock_runs[-1].wall:.2f} s", end="")
            print(flush=True)
        print()
        print(
            f"{'site':8} {'stories':>7} {'pages':>7} {'files':>7} {'MB out':>8} "
            f"{'wall s: median   min     max':>24}  {'CPU s: median   min     max':>24}  "
            f"{'RSS MB':>7} {'pages/s':>7} {'ms/story':>8}"
        )
        ours = report("gazette", args.n, gazette_runs)
        if stock_runs:
            theirs = report("pelican", args.n, stock_runs)
            print(f"\nGazette / stock Pelican wall time: {ours / theirs:.2f} (target <= 0.5)")
        if not args.no_rebuild:
            run = rebuild_after_one_more(gazette_conf, args.n, args.seed)
            print(
                f"rebuild after adding one story, as the dev server does: {run.wall:.2f} s "
                f"(CPU {run.cpu:.2f} s, build process peak RSS {run.rss_mb:.0f} MB) "
                f"= {run.wall / ours:.2f} of a full build (target < 0.25)"
            )
            run = rebuild_after_one_more(gazette_conf, args.n, args.seed, warm=False)
            print(
                f"  the same in a fresh process (gazette build's way): {run.wall:.2f} s "
                f"= {run.wall / ours:.2f} of a full build"
            )
    discard(gazette_conf.parent, stock_conf.parent)
    if not args.no_profile:
        print()
        output = gazette_conf.parent / "output-profile"
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(gazette_conf.parent / ".cache", ignore_errors=True)  # a first build
        stats_file = gazette_conf.parent / "build.prof"
        command = [PYTHON, "-m", "cProfile", "-o", str(stats_file), "-m", "pelican"]
        # Feeds in this process: cProfile sees only it, and they are a stage to show.
        command += pelican(gazette_conf, output, "GAZETTE_BACKGROUND_FEEDS_MAX_STORIES=0")[3:]
        run_process(command, gazette_conf.parent)
        profile_report.print_report(str(stats_file))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
