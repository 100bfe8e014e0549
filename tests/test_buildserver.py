"""The dev server's warm build process (buildserver.py, warm.py): every build it makes,
after any edit, is the site a fresh build makes, and it really keeps stories' Articles."""

import json
import subprocess
import sys

from test_pagecache import NEW, build, tree

from helpers import write_site
from pelican.plugins.gazette.commands import sitebuild
from pelican.plugins.gazette.commands.buildserver import BuildServer
from site_builder import SITEURL, STORIES, story


class Warm:
    """Builds of one site through one BuildServer, as the dev server makes them."""

    def __init__(self, conf, out):
        self.conf, self.out = conf, str(out)
        self.server = BuildServer(cwd=str(conf.parent))

    def build(self) -> tuple[bool, str]:
        conf, out, server = str(self.conf), self.out, self.server
        return sitebuild.build(conf, out, ingest=True, page_cache=True, server=server)


def test_each_warm_build_is_the_site_a_fresh_build_makes(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    seeds = tmp_path / "seeds"
    warm = Warm(conf, tmp_path / "out")
    try:

        def same_as_fresh(step: str) -> None:
            ok, log = warm.build()
            assert ok, f"{step}: {log}"
            fresh = tmp_path / f"fresh-{step}"
            build(conf, fresh)  # a cold build in its own process, no caches
            assert tree(tmp_path / "out") == tree(fresh), step

        same_as_fresh("first")
        ok, _ = warm.build()
        assert ok and warm.server.last["kept"] == len(STORIES)  # every Article reused

        (seeds / "sport" / "flame.txt").write_text(NEW)
        same_as_fresh("added")
        assert warm.server.last["kept"] == len(STORIES)  # all but the new story's

        edited = sorted(seeds.rglob("*.txt"))[0]
        edited.write_text(edited.read_text().replace("second paragraph", "revised paragraph"))
        same_as_fresh("revised")
        assert warm.server.last["kept"] == len(STORIES)  # all but the revised one

        (seeds / "world" / "kabul.txt").unlink()
        spelled = story("2021-08-11", "World", "Talks go on", "DOHA: More talks.", "afghanistan")
        (seeds / "world" / "doha.txt").write_text(spelled)  # a topic's other spelling
        same_as_fresh("deleted")

        # One instant in another zone: equal times, but another URL and printed date.
        late = "Date: 2021-08-10T00:30+01:00\nSection: World\n\nLate talks\n\nDOHA: Late.\n"
        (seeds / "world" / "late.txt").write_text(late)
        same_as_fresh("zoned")
        (seeds / "world" / "late.txt").write_text(late.replace("10T00:30+01:00", "09T23:30+00:00"))
        same_as_fresh("rezoned")

        # The settings file changes under the running process (no restart).
        conf.write_text(conf.read_text() + "TAG_URL = 'subject/{slug}/'\n")
        conf.write_text(conf.read_text() + "TAG_SAVE_AS = 'subject/{slug}/index.html'\n")
        same_as_fresh("settings")
        assert warm.server.last["kept"] == 0  # other settings: nothing kept
    finally:
        warm.server.stop()


def test_a_failed_build_starts_a_new_process_and_the_next_build_recovers(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    warm = Warm(conf, tmp_path / "out")
    try:
        assert warm.build()[0]
        first = warm.server.process
        ledger = tmp_path / "seeds" / "ledger.jsonl"
        good = ledger.read_text()
        ledger.write_text("damaged\n")
        ok, log = warm.build()
        assert not ok and "ledger" in log
        assert warm.server.process is None and first.poll() is not None  # nothing reused
        ledger.write_text(good)
        ok, log = warm.build()
        assert ok, log
        assert warm.server.last["kept"] == 0  # a fresh process: nothing to take
        build(conf, tmp_path / "fresh")
        assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    finally:
        warm.server.stop()


# Warm builds in one process (as the build process runs them), each one counting the work
# it does again: what the catalog reads, how many ledger lines it parses, stories compared
# field by field, whether the parse cache is written whole, the pages it renders.
_COUNTED_BUILDS = r"""
import io, json, logging, sys, time
from collections import Counter
from pelican import log as pelican_log
from pelican.plugins.gazette.commands import buildserver, sitebuild
from pelican.plugins.gazette.glue import pagecache, reader
from pelican.plugins.gazette.ingest import catalog, ledger
from pelican.plugins.gazette.machinery import parallel, parsecache, reuse

conf, out, edited = sys.argv[1:4]
real_time = catalog.time.time_ns
catalog.time.time_ns = lambda: real_time() + 10 * 10**9  # the files were written long ago
counts = Counter()

def counted(module, name):
    real = getattr(module, name)
    def call(*args, **kwargs):
        counts[name] += 1
        return real(*args, **kwargs)
    setattr(module, name, call)

counted(catalog, "read_or_reason")
counted(ledger, "apply")
counted(reader, "_same")
counted(parsecache.ParseCache, "_write_all")
counted(pagecache.KeyedFiles, "wrote")
handler = logging.StreamHandler(io.StringIO())
pelican_log.init(level=logging.WARNING, fatal="errors", handler=handler)
reuse.enable()
parallel.keep_frozen()

class InProcess:
    site_files = None
    def run(self, settings_file, output, overrides, environ=None, on_progress=None):
        request = {"settings": settings_file, "output": output, "overrides": overrides}
        self.last = buildserver.build({**request, "environ": {}}, handler)
        return self.last["ok"], self.last["log"]

server = InProcess()
for step in ("first", "unchanged", "edited"):
    if step == "edited":
        with open(edited, encoding="utf-8") as text:
            changed = text.read().replace("second paragraph", "revised paragraph")
        with open(edited, "w", encoding="utf-8") as text:
            text.write(changed)
    counts.clear()
    ok, log = sitebuild.build(conf, out, ingest=True, page_cache=True, server=server)
    assert ok, log
    print(json.dumps({"step": step, "kept": server.last["kept"], **counts}), flush=True)
"""


def test_a_warm_rebuild_does_again_only_what_the_change_needs(tmp_path):
    conf = write_site(tmp_path, STORIES, SITEURL=SITEURL)
    edited = sorted((tmp_path / "seeds").rglob("*.txt"))[0]
    script = [sys.executable, "-c", _COUNTED_BUILDS, str(conf), str(tmp_path / "out"), str(edited)]
    done = subprocess.run(script, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    steps = {s["step"]: s for s in map(json.loads, lines)}
    first, unchanged, edit = steps["first"], steps["unchanged"], steps["edited"]
    assert first["read_or_reason"] >= len(STORIES) and first["_write_all"] == 1
    # Nothing changed: no file read, no ledger line parsed again, no story compared field
    # by field (the catalog's are the very same objects), the parse cache left as it is,
    # no page or feed rendered (the first build of the process loaded the plugin by
    # PLUGIN_PATHS, the next from Pelican's namespace: the same plugin, the same pages).
    assert unchanged["kept"] == len(STORIES)
    done_again = ("read_or_reason", "apply", "_same", "_write_all", "wrote")
    assert {k: unchanged.get(k, 0) for k in done_again} == dict.fromkeys(done_again, 0)
    # One story edited: that file is read, the ledger's new line applied (by the ingest,
    # which writes it, and once by the redirects, which read the ledger after it), the
    # cache's new entry appended to its journal.
    assert edit["read_or_reason"] == 1 and edit["apply"] <= 2 and edit.get("_write_all", 0) == 0
    assert edit["kept"] == len(STORIES) - 1
