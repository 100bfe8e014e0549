"""Benchmark: Gazette against Hugo and stock Pelican on the same stories.

    python bench/run.py                      # what `make bench` runs: N=1000, both corpora
    python bench/run.py --n 1000,5000,20000,50000 --runs 1
    python bench/run.py --n 20000 --corpus news --tools gazette,hugo --dev --incremental

For each corpus (``pool``: the generator's few hundred recurring topics;
``news``: a topic distribution like real news, about 3.4 distinct topics per
story, see generate.py) and each N it generates the stories once (seeded,
kept in ``--work``) as Gazette raw files, stock Pelican Markdown and Hugo
Markdown, then alternates full builds of the three (Gazette: the whole site;
stock Pelican: default theme and feeds, the same pagination; Hugo: Debian's
``hugo`` with the small theme in bench/hugo/), each in a fresh process into a
fresh folder with no cache. Per build: wall and CPU time (the whole process
tree), the tree's peak memory (summed PSS and RSS over every process, sampled:
tree.py), files and bytes written; and the plain-Python lower bound for each
tool's output (lowerbound.py: read the sources, write the same files).

``--dev``: the dev servers' latency from saving a new story / an edit to its
page being served (devloop.py). ``--incremental``: adding 100 stories to the
N-story site with the previous output and caches present, as a daily publish.
``--profile``: a cProfile of one Gazette build by stage (profile_report.py).
``--timeline``: Gazette's whole-tree PSS over time, per process (when the peak happens).
``--set NAME=VALUE``: a Pelican setting for Gazette's builds (e.g. to leave a part out).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import devloop  # noqa: E402
import generate  # noqa: E402
import profile_report  # noqa: E402
import tree  # noqa: E402

sys.path.insert(0, str(REPO / "plugins"))
from pelican.plugins.gazette.ingest.story import slugify  # noqa: E402

GAZETTE_CLI = "pelican.plugins.gazette.commands.cli"
PYTHON = sys.executable
SITEURL = "http://127.0.0.1:8000"
INGEST_NOW = "2024-06-01T00:00:00+00:00"
TOOLS = ("gazette", "hugo", "pelican")
QUICK_N = "1000"

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
    pss_mb: float
    rss_mb: float
    largest_mb: float
    pages: int
    files: int
    mbytes: float


@dataclass
class Site:
    """One corpus at one N: the three tools' folders."""

    root: Path
    n: int
    seed: int
    corpus: str

    @property
    def gazette(self) -> Path:
        return self.root / "gazette"

    @property
    def conf(self) -> Path:
        return self.gazette / "conf.py"

    @property
    def pelican(self) -> Path:
        return self.root / "pelican"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"

    @property
    def hugo_stories(self) -> Path:
        return self.hugo / "content" / "stories"


def output_of(folder: Path) -> list[tuple[str, int]]:
    """Every file of a built site: (relative path, size)."""
    found = []
    for place, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(place, name)
            found.append((os.path.relpath(path, folder), os.path.getsize(path)))
    return sorted(found)


def as_run(usage: tree.Usage, output: Path) -> Run:
    files = output_of(output)
    pages = sum(path.endswith(".html") for path, _ in files)
    size = sum(size for _, size in files) / 1e6
    return Run(
        usage.wall, usage.cpu, usage.pss_mb, usage.rss_mb, usage.largest_mb, pages, len(files), size
    )


def fresh_output(folder: Path) -> Path:
    """``folder/output``, the last one moved aside, not deleted: ext4 checks every inode
    it hands out against those deleted in the last minute or more, so a build right
    after deleting a site's 10,000 files paid 5-15 s of system time for it (perf:
    ``recently_deleted`` under mkdir and create). ``discard`` deletes them later."""
    output = folder / "output"
    if output.exists():
        trash = folder / "trash"
        trash.mkdir(exist_ok=True)
        os.rename(output, trash / f"output-{len(os.listdir(trash))}")
    return output


def discard(site: Site) -> None:
    for folder in (site.gazette, site.pelican, site.hugo):
        shutil.rmtree(folder / "trash", ignore_errors=True)


def pelican_command(conf: Path, output: Path, *settings: str) -> list[str]:
    command = [PYTHON, "-m", "pelican", "-s", str(conf), "-o", str(output), "-q"]
    return command + (["-e", *settings] if settings else [])  # one -e: a second replaces it


def build(site: Site, tool: str, timeline: bool = False, settings=()) -> Run:
    """One full first build by ``tool`` into a fresh folder, no cache; ``timeline``: print
    Gazette's tree memory over time; ``settings``: NAME=VALUE for Gazette's build."""
    if tool == "gazette":
        output = fresh_output(site.gazette)
        shutil.rmtree(site.gazette / ".cache", ignore_errors=True)
        samples = [] if timeline else None
        command = pelican_command(site.conf, output, *settings)
        usage = tree.measure(command, cwd=site.gazette, timeline=samples)
        if timeline:
            print("  gazette's tree PSS over time:")
            tree.print_timeline(samples)
    elif tool == "pelican":
        output = fresh_output(site.pelican)
        usage = tree.measure(pelican_command(site.pelican / "conf.py", output), cwd=site.pelican)
    else:
        output = fresh_output(site.hugo)
        shutil.rmtree(site.hugo / "resources", ignore_errors=True)
        command = ["hugo", "--quiet", "--destination", str(output)]
        usage = tree.measure(command, cwd=site.hugo)
    return as_run(usage, output)


def lower_bound(site: Site, tool: str) -> Run:
    """Plain Python reading the sources and writing ``tool``'s last output's files."""
    sources = {"gazette": site.gazette / "seeds", "pelican": site.pelican / "content"}
    source = sources.get(tool, site.hugo / "content")
    manifest = site.root / f"manifest-{tool}.json"
    files = output_of(getattr(site, tool) / "output")
    manifest.write_text(json.dumps(files))
    output = fresh_output(site.root / f"lower-{tool}")
    command = [PYTHON, str(HERE / "lowerbound.py"), str(source), str(manifest), str(output)]
    return as_run(tree.measure(command), output)


def prepare(work: Path, n: int, seed: int, corpus: str) -> Site:
    """The three sites for N stories, generated once and reused (``--fresh`` regenerates)."""
    site = Site(work / f"{corpus}-n{n}-s{seed}", n, seed, corpus)
    marker = site.root / "ready"
    if not marker.exists():
        shutil.rmtree(site.root, ignore_errors=True)
        started = time.perf_counter()
        info = generate.write_corpus(str(site.root), n, seed, corpus)
        shutil.copytree(REPO / "content" / "pages", site.gazette / "content" / "pages")
        _write_settings(site)
        shutil.copytree(HERE / "hugo", site.hugo, dirs_exist_ok=True)
        ingest(site.conf)
        print(
            f"generated {n:,} stories ({info['words']:,} words, {info['topics']:,} distinct "
            f"topics) in {time.perf_counter() - started:.1f} s: {site.root}"
        )
        marker.write_text("ok\n")
    _write_settings(site)  # this checkout's plugin and theme, whichever one generated the site
    return site


def _write_settings(site: Site) -> None:
    site.conf.write_text(GAZETTE_CONF.format(path=str(site.gazette)))
    (site.pelican / "conf.py").write_text(STOCK_CONF)


def ingest(conf: Path, now: str = INGEST_NOW) -> None:
    command = [PYTHON, "-m", GAZETTE_CLI, "--settings", str(conf), "ingest", "--now", now]
    tree.measure(command, cwd=conf.parent)


def extra_stories(site: Site, count: int, tag: str) -> list[generate.Story]:
    """``count`` new stories for the site, dated after all of its own."""
    made = generate.stories(count, seed=site.seed + 1000, topics=site.corpus)
    later = timedelta(days=800)
    return [
        replace(story, index=site.n + number, date=story.date + later, title=f"{story.title} {tag}")
        for number, story in enumerate(made)
    ]


def write_extra(site: Site, story: generate.Story) -> list[Path]:
    """Write one story into the three sites; the paths written."""
    generate.write_story(
        str(site.gazette / "seeds"), str(site.pelican / "content"), story, str(site.hugo_stories)
    )
    name = f"story-{story.index:06d}.md"
    return [
        site.gazette / "seeds" / generate.raw_name(story),
        site.pelican / "content" / name,
        site.hugo_stories / name,
    ]


class Restore:
    """Put back the site's ledger and remove the files added, however the block ends."""

    def __init__(self, site: Site):
        self.ledger = site.gazette / "seeds" / "ledger.jsonl"
        self.saved = self.ledger.read_bytes()
        self.added: list[Path] = []
        self.edited: dict[Path, bytes] = {}

    def edit(self, path: Path, text: str) -> None:
        self.edited.setdefault(path, path.read_bytes())
        path.write_text(text, encoding="utf-8")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for path in self.added:
            path.unlink(missing_ok=True)
        for path, data in self.edited.items():
            path.write_bytes(data)
        self.ledger.write_bytes(self.saved)
        shutil.rmtree(self.ledger.parent.parent / ".cache", ignore_errors=True)


def story_path(story: generate.Story) -> str:
    return f"{story.date:%Y/%m/%d}/{{slug}}/"


# The line of the dev server's log that ends a build.
GAZETTE_DONE = r"gazette serve: build (\d+ done|failed)"


def dev_latency(site: Site, tool: str) -> tuple:
    """(first build s, add s, edit s, add's whole site s, edit's) of ``tool``'s dev server on
    the site (the whole site's: Gazette's, whose story page is served before its build)."""
    new = extra_stories(site, 1, "devadd")[0]
    old = list(generate.stories(11, site.seed, topics=site.corpus))[10]
    port = devloop.free_port()
    base = f"http://127.0.0.1:{port}/"
    with Restore(site) as restore:
        if tool == "gazette":
            command, cwd = devloop.gazette_command(str(site.conf), port), site.gazette
            shutil.rmtree(site.gazette / "output", ignore_errors=True)
            paths = [story_path(s).format(slug=slugify(s.title, 80)) for s in (new, old)]
            edited = site.gazette / "seeds" / generate.raw_name(old)

            def change(marker, story=old):
                paras = (f"{story.paragraphs[0]} {marker}.", *story.paragraphs[1:])
                restore.edit(edited, generate.raw_text(replace(story, paragraphs=paras)))

        else:
            command, cwd = devloop.hugo_command(port), site.hugo
            paths = [story_path(s).format(slug=s.slug) for s in (new, old)]
            edited = site.hugo_stories / f"story-{old.index:06d}.md"

            def change(marker, story=old):
                paras = (f"{story.paragraphs[0]} {marker}.", *story.paragraphs[1:])
                restore.edit(edited, generate.hugo_text(replace(story, paragraphs=paras)))

        def add():
            restore.added.extend(write_extra(site, new))

        log = site.root / f"{tool}-serve.log"
        with devloop.server(command, str(cwd), base, str(log)) as first:
            devloop.wait_for(base + paths[1])  # the story to edit is there
            done = GAZETTE_DONE if tool == "gazette" else None
            timings = devloop.add_then_edit(
                base, add, paths[0], change, paths[1], quiet=str(log), done=done
            )
    return first, *timings


def incremental(site: Site, tool: str, count: int = 100) -> Run:
    """Add ``count`` stories to the built site (the previous output and, for Gazette,
    its caches present) and publish again as a daily publish does (Gazette:
    ``gazette build --ingest --incremental``; Hugo: ``hugo`` into the same folder)."""
    with Restore(site) as restore:
        if tool == "gazette":
            output = site.gazette / "output"
            shutil.rmtree(output, ignore_errors=True)
            command = [PYTHON, "-m", GAZETTE_CLI, "--settings", str(site.conf), "build"]
            command += ["--ingest", "--incremental", "--output", str(output)]
            cwd = site.gazette
        else:
            output = site.hugo / "output"
            shutil.rmtree(output, ignore_errors=True)
            command, cwd = ["hugo", "--quiet", "--destination", str(output)], site.hugo
        tree.measure(command, cwd=cwd)  # the site as published yesterday
        for story in extra_stories(site, count, "daily"):
            restore.added.extend(write_extra(site, story))
        return as_run(tree.measure(command, cwd=cwd), output)


def hugo_available() -> bool:
    return shutil.which("hugo") is not None


def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda run: run.wall)
    middle = ordered[len(ordered) // 2]
    return replace(
        middle,
        cpu=statistics.median(r.cpu for r in runs),
        pss_mb=max(r.pss_mb for r in runs),
        rss_mb=max(r.rss_mb for r in runs),
    )


HEADER = (
    f"{'corpus':6} {'N':>7} {'tool':13} {'wall s':>7} {'range':>13} {'CPU s':>7} "
    f"{'PSS MB':>7} {'RSS MB':>7} {'1 proc':>7} {'files':>7} {'MB out':>7} "
    f"{'/hugo':>6} {'/pelican':>8} {'ms/story':>8}"
)


def row(site: Site, tool: str, runs: list[Run], medians: dict) -> str:
    run = median_run(runs)
    walls = [r.wall for r in runs]
    spread = f"{min(walls):.2f}-{max(walls):.2f}" if len(runs) > 1 else ""
    ratios = []
    for other in ("hugo", "pelican"):
        base = medians.get(other)
        ratios.append(f"{run.wall / base.wall:.2f}" if base else "-")
    return (
        f"{site.corpus:6} {site.n:>7,} {tool:13} {run.wall:7.2f} {spread:>13} {run.cpu:7.2f} "
        f"{run.pss_mb:7.0f} {run.rss_mb:7.0f} {run.largest_mb:7.0f} {run.files:>7,} "
        f"{run.mbytes:7.0f} {ratios[0]:>6} {ratios[1]:>8} {run.wall / site.n * 1000:8.2f}"
    )


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_site(site: Site, tools: list[str], runs: int, args) -> None:
    results: dict[str, list[Run]] = {tool: [] for tool in tools}
    print(f"\n{site.corpus} corpus, {site.n:,} stories ({load()})", flush=True)
    for number in range(runs):
        line = []
        for tool in tools:  # alternating
            results[tool].append(build(site, tool, args.timeline, args.set))
            line.append(f"{tool} {results[tool][-1].wall:.2f} s")
        print(f"  run {number + 1}: " + ", ".join(line), flush=True)
    if runs:  # --runs 0: only the dev server or the publish
        bounds = {f"lower({t})": [lower_bound(site, t)] for t in tools if t != "pelican"}
        medians = {tool: median_run(results[tool]) for tool in tools}
        print(HEADER)
        for tool, tool_runs in {**results, **bounds}.items():
            print(row(site, tool, tool_runs, medians))
        print(f"  ({load()})")
    if args.dev:
        for tool in [t for t in tools if t != "pelican"]:
            first, added, edited, added_site, edited_site = dev_latency(site, tool)
            site_s = f" (whole site {added_site:.2f} s, {edited_site:.2f} s)" if added_site else ""
            print(
                f"  dev server {tool}: first build served {first:.1f} s; one new story "
                f"served {added:.2f} s after saving; an edit {edited:.2f} s{site_s} ({load()})",
                flush=True,
            )
    if args.incremental:
        for tool in [t for t in tools if t != "pelican"]:
            run = incremental(site, tool)
            print(
                f"  publish after adding 100 stories, {tool}: {run.wall:.2f} s "
                f"(CPU {run.cpu:.2f} s, PSS {run.pss_mb:.0f} MB, {run.files:,} files) ({load()})",
                flush=True,
            )
    discard(site)


def profile(site: Site) -> None:
    output = fresh_output(site.gazette)
    shutil.rmtree(site.gazette / ".cache", ignore_errors=True)  # a first build
    stats_file = site.gazette / "build.prof"
    command = [PYTHON, "-m", "cProfile", "-o", str(stats_file), "-m", "pelican"]
    # Feeds and pages in this process: cProfile sees only it, and they are stages to show.
    one = ("GAZETTE_BACKGROUND_FEEDS_MAX_STORIES=0", "GAZETTE_SPLIT_RENDER_MIN_STORIES=0")
    command += pelican_command(site.conf, output, *one)[3:]
    tree.measure(command, cwd=site.gazette)
    print()
    profile_report.print_report(str(stats_file))
    discard(site)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default=QUICK_N, help=f"stories, comma-separated ({QUICK_N})")
    parser.add_argument("--runs", type=int, default=1, help="builds of each site (default 1)")
    parser.add_argument("--corpus", default="pool,news", help="pool, news or both (default)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="gazette,hugo,pelican")
    parser.add_argument(
        "--pelican-max", type=int, default=20000, help="no stock Pelican above this N (quadratic)"
    )
    parser.add_argument("--seed", type=int, default=7)
    default_work = os.path.join(tempfile.gettempdir(), "gazette-bench")
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", default_work))
    parser.add_argument("--fresh", action="store_true", help="regenerate the stories")
    parser.add_argument("--dev", action="store_true", help="dev-server latencies")
    parser.add_argument("--incremental", action="store_true", help="publish after 100 more")
    parser.add_argument("--profile", action="store_true", help="a cProfile of one build")
    parser.add_argument("--timeline", action="store_true", help="Gazette's memory over time")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a setting of Gazette's"
    )
    parser.add_argument("--no-profile", action="store_true", help=argparse.SUPPRESS)  # the old
    parser.add_argument("--no-stock", action="store_true", help="skip stock Pelican")
    args = parser.parse_args(argv)

    tools = [t for t in args.tools.split(",") if t]
    if args.no_stock and "pelican" in tools:
        tools.remove("pelican")
    if "hugo" in tools and not hugo_available():
        print("bench: no `hugo` on PATH (Debian: apt-get install hugo); Hugo is skipped")
        tools.remove("hugo")
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; {load()}")
    if "hugo" in tools:
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
        print(version.strip())
    work = Path(args.work)
    for corpus in args.corpus.split(","):
        for n in [int(x) for x in args.n.split(",")]:
            if args.fresh:
                shutil.rmtree(work / f"{corpus}-n{n}-s{args.seed}", ignore_errors=True)
            site = prepare(work, n, args.seed, corpus)
            discard(site)  # left by an interrupted run
            these = [t for t in tools if t != "pelican" or n <= args.pelican_max]
            bench_site(site, these, args.runs, args)
            if args.profile:
                profile(site)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
