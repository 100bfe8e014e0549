"""The dev server's warm builds, in this process, timed (and profiled with --profile).

``python bench/warmbuild.py --n 5000 --corpus news`` builds the bench site as
``gazette serve`` does (ingest, page cache, changes only, merged into the
output) through commands/buildserver.py's ``build`` called here rather than in
its own process, so cProfile sees the whole build: a cold build, a rebuild
with nothing changed, one after adding a story, one after editing a story.
Each line: wall seconds (build and merge), the build process's CPU seconds,
Articles kept, and the files the build wrote (what the merge moves). The
collection between builds (buildserver.settle) is timed apart: the dev server
runs it after its reply.
"""

import argparse
import collections
import cProfile
import io
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import generate
import run as bench
from pelican import log as pelican_log

from pelican.plugins.gazette.commands import buildserver, sitebuild
from pelican.plugins.gazette.machinery import parallel, reuse


class InProcess:
    """A BuildServer whose builds run in this process."""

    def __init__(self, handler):
        self.handler, self.site_files, self.last, self.written = handler, None, {}, {}

    def run(self, settings_file, output, overrides, environ=None, on_progress=None):
        request = {"settings": settings_file, "output": output, "overrides": overrides}
        self.last = buildserver.build({**request, "environ": environ or {}}, self.handler)
        self.written = collections.Counter()
        for folder, _, files in os.walk(output):
            top = os.path.relpath(folder, output).split(os.sep)[0]
            self.written[top] += len(files)
        return self.last["ok"], self.last["log"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--corpus", default="news", help="pool or news")
    parser.add_argument("--seed", type=int, default=7)
    default_work = os.path.join(tempfile.gettempdir(), "gazette-bench")  # run.py's
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", default_work))
    parser.add_argument("--profile", help="write FOLDER/<build>.prof for each warm build")
    args = parser.parse_args(argv)
    site = bench.prepare(Path(args.work).resolve(), args.n, args.seed, args.corpus)
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter(buildserver.LOG_FORMAT))
    pelican_log.init(level=logging.WARNING, fatal="errors", handler=handler)
    reuse.enable()
    parallel.keep_frozen()
    server, output = InProcess(handler), str(site.gazette / "output")
    shutil.rmtree(output, ignore_errors=True)
    os.chdir(site.gazette)

    def one(label: str, profiled: bool) -> None:
        profile = cProfile.Profile() if profiled and args.profile else None
        started = time.perf_counter()
        if profile:
            profile.enable()
        ok, log = sitebuild.build(
            str(site.conf), output, ingest=True, site_url=bench.SITEURL, page_cache=True,
            server=server,
        )  # fmt: skip
        if profile:
            profile.disable()
            os.makedirs(args.profile, exist_ok=True)
            profile.dump_stats(os.path.join(args.profile, f"{label}.prof"))
        took = time.perf_counter() - started
        last, written = server.last, server.written
        files = ", ".join(f"{name} {count}" for name, count in written.most_common(4))
        print(f"{label}: {took:.2f} s, CPU {last['cpu']} s, kept {last['kept']}, ", end="")
        print(f"{sum(written.values())} files written ({files})", flush=True)
        if not ok:
            raise SystemExit(log)
        started = time.perf_counter()
        buildserver.settle()
        print(f"  collection between builds: {time.perf_counter() - started:.2f} s")

    new = bench.extra_stories(site, 1, "devadd")[0]
    old = list(generate.stories(11, site.seed, topics=site.corpus))[10]
    with bench.Restore(site) as restore:
        one("cold", False)
        one("unchanged", True)
        restore.added.extend(bench.write_extra(site, new))
        one("added", True)
        paragraphs = (f"{old.paragraphs[0]} zqbenchedit.", *old.paragraphs[1:])
        edited = site.gazette / "seeds" / generate.raw_name(old)
        restore.edit(edited, generate.raw_text(replace(old, paragraphs=paragraphs)))
        one("edited", True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
