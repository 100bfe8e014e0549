"""Hostile files, links, races and faults: each gets a named outcome, nothing stops or leaks."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers import SAMPLE, gazette, gazette_command, ingest, pelican, write_site
from pelican.plugins.gazette import settings
from pelican.plugins.gazette.commands import sitebuild
from pelican.plugins.gazette.glue.reader import fallback_slug
from pelican.plugins.gazette.ingest import catalog, ledger


def catalog_of(root, files: dict, **extra) -> catalog.Catalog:
    for name, data in files.items():
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    (root / "seeds").mkdir(exist_ok=True)
    config = settings.resolve({"PATH": str(root), "GAZETTE_CACHE_PATH": "", **extra})
    return catalog.build(config, entries={}, require_ledger=False)


def by_source(built) -> dict:
    return {o.source: o for o in built.outcomes}


# One file never stops the build


@pytest.mark.parametrize(
    "date",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00", "1066-10-14", "2500-01-01"],
)
def test_dates_outside_a_sane_range_are_a_named_rejection(tmp_path, date):
    built = catalog_of(tmp_path, {"a.txt": f"Date: {date}\n\nOld news\n\nText.\n"})
    [outcome] = built.outcomes
    assert outcome.status == "rejected"
    assert "outside the years 1800-2199" in outcome.reason


def test_a_failure_while_enriching_one_story_rejects_that_story_only(tmp_path, monkeypatch):
    from pelican.plugins.gazette.ingest import catalog as module

    real = module.enrich

    def broken(raw, *args):
        if raw.source.endswith("bad.txt"):
            raise RuntimeError("boom")
        return real(raw, *args)

    monkeypatch.setattr(module, "enrich", broken)
    built = catalog_of(tmp_path, {"bad.txt": "Bad\n\nText.\n", "good.txt": "Good\n\nText.\n"})
    outcomes = by_source(built)
    assert outcomes["seeds/bad.txt"].status == "rejected"
    assert outcomes["seeds/bad.txt"].reason == "could not be processed (RuntimeError: boom)"
    assert outcomes["seeds/good.txt"].status == "published"


def test_topics_and_sections_without_a_slug_get_a_stable_one():
    assert fallback_slug("tag", "???") == fallback_slug("tag", "???") != ""
    assert fallback_slug("tag", "???") != fallback_slug("tag", "\U0001f600")
    assert fallback_slug("category", "\U0001f4f0").startswith("section-")


def test_empty_slugs_links_pipes_and_bad_dates_build_and_are_accounted_for(tmp_path):
    files = {
        "a.txt": SAMPLE.read_bytes(),
        "q.txt": "Topics: ???\n\nQuestion marks\n\nText here.\n",
        "e.txt": "Topics: \U0001f600\nSection: \U0001f4f0\n\nEmoji story\n\nMore text.\n",
        "old.txt": "Date: 0001-01-01T00:00:00+14:00\n\nVery old\n\nText.\n",
        "upper.TXT": "Upper\n\nText.\n",
        "page_files/part.txt": "A saved page's part\n\nText.\n",
    }
    conf = write_site(tmp_path, files)
    seeds = tmp_path / "seeds"
    os.symlink("/etc/passwd", seeds / "passwd.txt")
    os.symlink("/dev/zero", seeds / "zero.txt")
    os.symlink("/etc", seeds / "etc")
    os.symlink(".", seeds / "loop")
    os.symlink(".", seeds / "loop2")
    os.mkfifo(seeds / "pipe.txt")

    check = subprocess.run(
        gazette_command(conf, "check", "seeds"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    ingest(conf)
    done = pelican(conf, tmp_path / "out", "--fatal", "errors")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text())
    outcomes = {f["source"]: f for f in report["files"]}
    ignored = {f["source"]: f["reason"] for f in report["ignored_files"]}
    published = sorted(s for s, f in outcomes.items() if f["outcome"] == "published")
    assert published == ["seeds/a.txt", "seeds/e.txt", "seeds/q.txt"]  # never /etc/passwd
    for name in ("passwd.txt", "zero.txt"):
        assert "outside the content folder" in outcomes[f"seeds/{name}"]["reason"]
    assert "outside the content folder" in outcomes["seeds/etc/"]["reason"]
    assert "named pipe" in outcomes["seeds/pipe.txt"]["reason"]
    assert "outside the years" in outcomes["seeds/old.txt"]["reason"]
    assert ignored["seeds/upper.TXT"] == "not a raw article (.TXT)"
    assert ignored["seeds/ledger.jsonl"] == "the ledger"
    assert "saved web page" in ignored["seeds/page_files/"]
    assert "read once" in ignored["seeds/loop/"] and "read once" in ignored["seeds/loop2/"]
    assert report["raw_files"] == len(outcomes) == 8
    assert not (tmp_path / "out" / "topic" / "index.html").read_text().count('href="/topic//"')
    topic_pages = [p.name for p in (tmp_path / "out" / "topic").iterdir() if p.is_dir()]
    assert all(topic_pages) and any(p.startswith("topic-") for p in topic_pages)
    assert any(p.name.startswith("section-") for p in (tmp_path / "out" / "section").iterdir())
    passwd = Path("/etc/passwd").read_text().splitlines()[0]
    for page in (tmp_path / "out").rglob("*"):
        if page.is_file():
            assert passwd not in page.read_text(errors="replace"), page

    # gazette check predicts it: the same rejections, and it fails
    assert check.returncode == 1
    for source, item in outcomes.items():
        if item["outcome"] == "rejected":
            assert f"rejected  {source}: " in check.stdout, source
    assert f"of {len(outcomes)} raw files" in check.stdout


def test_an_unreadable_folder_is_in_the_report_with_its_reason(tmp_path, monkeypatch):
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    built = catalog_of(tmp_path, {"a.txt": "Fine\n\nText.\n", "locked/b.txt": "B\n\nText.\n"})
    outcome = by_source(built)["seeds/locked/"]
    assert outcome.status == "rejected"
    assert outcome.reason.startswith("cannot read the folder (Permission denied)")


def test_the_size_limit_holds_on_what_is_read(tmp_path, monkeypatch):
    """A file that grows after stat (or lies in it) is cut off at the limit, never read whole."""
    big = {"big.txt": "Big\n\n" + "word " * 400}
    built = catalog_of(tmp_path, big, GAZETTE_MAX_FILE_BYTES=1000)
    assert "too large" in by_source(built)["seeds/big.txt"].reason
    real_stat = os.lstat

    class Small:  # what a lying stat (a growing file, /proc) says
        def __init__(self, found):
            self._found = found

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._found, name)

    for name in ("stat", "lstat"):
        monkeypatch.setattr(os, name, lambda path, *a, **k: Small(real_stat(path, *a, **k)))
    config = settings.resolve(
        {"PATH": str(tmp_path), "GAZETTE_CACHE_PATH": "", "GAZETTE_MAX_FILE_BYTES": 1000}
    )
    [outcome] = catalog.build(config, entries={}, require_ledger=False).outcomes
    assert outcome.reason == "file too large (more than the limit of 1,000 bytes)"


# The ledger survives concurrency and faults

NOW = datetime(2021, 8, 10, 6, 0, tzinfo=UTC)


def test_two_ingests_at_once_record_each_story_once(tmp_path):
    files = {f"{n:03}.txt": f"Story {n}\n\nText number {n}.\n" for n in range(40)}
    conf = write_site(tmp_path, files)
    for trial in range(3):
        (tmp_path / "seeds" / "ledger.jsonl").unlink(missing_ok=True)
        (tmp_path / "seeds" / f"new-{trial}.txt").write_text(f"New {trial}\n\nText {trial}.\n")
        command = gazette_command(conf, "ingest")
        both = [
            subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        for process in both:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        entries = ledger.load(str(tmp_path / "seeds" / "ledger.jsonl"))
        assert len(entries) == 41 + trial
        lines = (tmp_path / "seeds" / "ledger.jsonl").read_text().splitlines()
        assert len(lines) == len(entries)  # the second ingest found them all recorded


def test_a_writer_holds_readers_and_writers_off(tmp_path):
    path = str(tmp_path / "ledger.jsonl")
    order = []

    def reader():
        ledger.load(path)
        order.append("read")

    with ledger.writing(path) as book:
        thread = threading.Thread(target=reader)
        thread.start()
        time.sleep(0.2)
        order.append("written")
        book.append(list(ledger.records_for({}, {"s/a.txt": "h"}, NOW, "example.org")))
    thread.join(timeout=10)
    assert order == ["written", "read"]


def test_a_torn_last_line_is_recovered_with_a_warning(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "First\n\nText.\n", "b.txt": "Second\n\nText.\n"})
    ingest(conf)
    path = tmp_path / "seeds" / "ledger.jsonl"
    whole = path.read_bytes()
    path.write_bytes(whole[: whole.rindex(b"\n", 0, -1) + 1] + whole.splitlines()[-1][:30])
    check = gazette(conf, "inspect", "--json", "seeds")
    assert check.returncode == 0, check.stderr
    assert "line 2: the last line was cut short" in check.stderr
    again = ingest(conf)
    assert "cut short" in again.stderr and "1 new" in again.stderr
    entries = ledger.load(str(path))
    assert sorted(entries) == ["seeds/a.txt", "seeds/b.txt"]
    assert path.read_bytes().endswith(b"\n") and not entries.warnings


def test_a_failed_append_leaves_the_ledger_as_it_was(tmp_path, monkeypatch):
    path = str(tmp_path / "ledger.jsonl")
    ledger.append(path, list(ledger.records_for({}, {"s/a.txt": "h"}, NOW, "example.org")))
    before = Path(path).read_bytes()
    real_write = os.write

    def full_disk(descriptor, data):
        real_write(descriptor, bytes(data)[:17])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    records = list(ledger.records_for({}, {"s/b.txt": "h2"}, NOW, "example.org"))
    with pytest.raises(OSError, match="No space"):
        ledger.append(path, records)
    monkeypatch.undo()
    assert Path(path).read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"source": "a\xff", "first_seen": "x"}\n{}\n', "line 1: not UTF-8"),
        (
            b'{"source": "a", "first_seen": "9999-12-31T23:00:00-05:00", "id": "t", '
            b'"sha256": "h"}\n',
            "line 1: not a ledger record (time '9999-12-31T23:00:00-05:00' is outside",
        ),
        (b"\n\n[1, 2]\n", "line 3: not a ledger record"),
    ],
)
def test_a_damaged_ledger_names_the_line_and_fails_every_command(tmp_path, content, message):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"})
    (tmp_path / "seeds" / "ledger.jsonl").write_bytes(content)
    with pytest.raises(ledger.LedgerError, match=re.escape(message)):
        ledger.load(str(tmp_path / "seeds" / "ledger.jsonl"))
    done = gazette(conf, "ingest")
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    build = pelican(conf, tmp_path / "out", "--fatal", "errors")
    assert build.returncode != 0 and "the ledger is damaged" in build.stderr + build.stdout


# Publish is atomic at every instant


def site(folder, text):
    folder.mkdir()
    (folder / "index.html").write_text(text)


def test_publish_swaps_whole_sites(tmp_path):
    site(tmp_path / "out", "old")
    site(tmp_path / "out.building", "new")
    sitebuild.replace_folder(str(tmp_path / "out.building"), str(tmp_path / "out"))
    assert (tmp_path / "out" / "index.html").read_text() == "new"
    assert not (tmp_path / "out.building").exists() and not (tmp_path / "out.old").exists()


def test_a_kill_during_publish_never_leaves_no_site(tmp_path, monkeypatch):
    """Killed at any step of the swap: the output folder holds a complete site."""
    out, new = tmp_path / "out", tmp_path / "out.building"

    class Killed(BaseException):
        pass

    for step in range(3):
        for folder in (out, new, tmp_path / "out.old"):
            if folder.exists():
                shutil.rmtree(folder)
        site(out, "old")
        site(new, "new")
        calls = []

        def dies(*args, _step=step, _calls=calls, **kwargs):
            _calls.append(args)
            if len(_calls) > _step:
                raise Killed

        for name in ("rename", "replace"):
            monkeypatch.setattr(os, name, dies)
        monkeypatch.setattr(sitebuild.shutil, "rmtree", dies)
        with contextlib.suppress(Killed):
            sitebuild.replace_folder(str(new), str(out))
        monkeypatch.undo()
        sitebuild.recover(str(out))
        assert (out / "index.html").read_text() in ("old", "new"), step


def test_the_fallback_swap_recovers_after_a_kill(tmp_path, monkeypatch):
    monkeypatch.setattr(sitebuild, "exchange", lambda a, b: False)  # not Linux
    out, new = tmp_path / "out", tmp_path / "out.building"
    site(out, "old")
    site(new, "new")
    real = os.rename
    calls = []

    def killed_after_first(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "rename", killed_after_first)
    with pytest.raises(KeyboardInterrupt):
        sitebuild.replace_folder(str(new), str(out))
    monkeypatch.undo()
    assert not out.exists()  # the moment the old code left for ever
    assert sitebuild.recover(str(out)) and (out / "index.html").read_text() == "old"


def test_a_failed_build_says_truly_what_is_left(tmp_path):
    conf = write_site(tmp_path, {"empty.txt": ""})
    failed = gazette(conf, "build", "--strict", "--output", str(tmp_path / "never"))
    assert failed.returncode == 1
    assert "is unchanged" not in failed.stderr
    assert f"there is no site at {tmp_path / 'never'}" in failed.stderr


def test_merge_moves_new_pages_in_before_the_pages_that_link_to_them(tmp_path, monkeypatch):
    out, changes = tmp_path / "out", tmp_path / "changes"
    (out / "old").mkdir(parents=True)
    (out / "index.html").write_text('<a href="old/">')
    (out / "old" / "index.html").write_text("old story")
    (changes / "2021" / "new").mkdir(parents=True)
    (changes / "index.html").write_text('<a href="2021/new/">')
    (changes / "2021" / "new" / "index.html").write_text("new story")
    moves = []
    real = os.replace
    monkeypatch.setattr(
        os, "replace", lambda a, b: (moves.append(os.path.relpath(b, out)), real(a, b))
    )
    sitebuild.merge(str(changes), str(out))
    assert moves == ["2021/new/index.html", "index.html"]
    assert not (out / "old").exists()  # gone last, once nothing links to it


# Clear errors, no tracebacks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("GAZETTE_TOPICS_MIN = 'three'\n", "GAZETTE_TOPICS_MIN must be a whole number"),
        ("GAZETTE_STRICT = 'yes'\n", "GAZETTE_STRICT must be True or False"),
        ("def broken(:\n", "line {line}: invalid syntax"),
        ("import no_such_module_here\n", "ModuleNotFoundError"),
    ],
)
def test_bad_settings_are_one_clear_line(tmp_path, text, message):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"})
    before = conf.read_text()
    conf.write_text(before + text)
    message = message.format(line=len(before.splitlines()) + 1)  # the appended line
    done = gazette(conf, "check", "seeds")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert str(conf) in done.stderr


def test_a_missing_settings_file_is_an_error(tmp_path):
    done = subprocess.run(
        gazette_command("nowhere.py", "check", "."),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "nowhere.py: no such settings file" in done.stderr


def test_a_misspelled_setting_is_a_warning_with_the_closest_name(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"}, GAZETTE_TOPIC_MAX=4)
    done = gazette(conf, "check", "seeds")
    assert done.returncode == 0
    assert "unknown setting GAZETTE_TOPIC_MAX (ignored); did you mean GAZETTE_TOPICS_MAX?" in (
        done.stderr
    )
    assert settings.misspelled({"GAZETTE_LEDGR": "x", "SITENAME": "y"}) == [
        "unknown setting GAZETTE_LEDGR (ignored); did you mean GAZETTE_LEDGER?"
    ]


def test_a_wrong_type_fails_the_pelican_build_in_one_line(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"}, GAZETTE_MAX_FILE_BYTES="big")
    done = pelican(conf, tmp_path / "out")
    assert done.returncode != 0
    assert "GAZETTE_MAX_FILE_BYTES must be a whole number" in done.stdout + done.stderr


def test_a_parser_that_breaks_in_the_workers_rejects_only_its_file(tmp_path, monkeypatch):
    """The parse cache's workers (parallel.py) fail for one file: the others still publish."""
    from pelican.plugins.gazette.ingest import catalog as module
    from pelican.plugins.gazette.machinery import parsecache

    def broken(self, files, config):
        raise RuntimeError("a worker died")

    real = module.parse_file

    def parse(data, source, junk):
        if source.endswith("bad.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(data, source, junk)

    monkeypatch.setattr(parsecache.ParseCache, "parse_files", broken)
    monkeypatch.setattr(module, "parse_file", parse)
    for name, text in {"bad.txt": "Bad\n\nText.\n", "good.txt": "Good\n\nText.\n"}.items():
        (tmp_path / "seeds").mkdir(exist_ok=True)
        (tmp_path / "seeds" / name).write_text(text)
    config = settings.resolve({"PATH": str(tmp_path)})
    built = catalog.build(
        config, entries={}, require_ledger=False, reuse=parsecache.reuse_for(config)
    )
    outcomes = by_source(built)
    assert outcomes["seeds/good.txt"].status == "published"
    assert outcomes["seeds/bad.txt"].reason == (
        "could not be parsed (RecursionError: maximum recursion depth exceeded)"
    )


def test_a_misspelled_setting_is_a_warning_in_the_build_too(tmp_path):
    conf = write_site(tmp_path, {"a.txt": "Fine\n\nText.\n"}, GAZETTE_STRICTT=True)
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "unknown setting GAZETTE_STRICTT (ignored); did you mean GAZETTE_STRICT?" in (
        done.stdout + done.stderr
    )
