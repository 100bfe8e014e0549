"""parallel.ordered_map: the same results as a loop, in order, from worker processes."""

import os
import sys
import time
from functools import partial

import pytest

from pelican.plugins.gazette.machinery import parallel


def pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_many_items_go_to_worker_processes_and_come_back_in_order():
    items = list(range(parallel.MIN_ITEMS * 3))
    results = parallel.ordered_map(pid_and_square, items, workers=2)
    assert [square for _, square in results] == [n * n for n in items]
    assert os.getpid() not in {pid for pid, _ in results}  # all done by the workers


def test_few_items_or_one_worker_stay_in_this_process():
    few = list(range(parallel.MIN_ITEMS - 1))
    many = list(range(parallel.MIN_ITEMS))
    for items, workers in ((few, 2), (many, 1)):
        results = parallel.ordered_map(pid_and_square, items, workers=workers)
        assert results == [(os.getpid(), n * n) for n in items]


def test_worker_count_defaults_to_the_usable_cores():
    assert parallel.worker_count(3) == 3
    assert 1 <= parallel.worker_count(0) <= (os.cpu_count() or 1)


def write_marker(path: str) -> None:
    with open(path, "w") as out:
        out.write(str(os.getpid()))


def fail() -> None:
    raise ValueError("broken on purpose")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="children are forked on Linux only"
)
def test_background_work_runs_in_a_child_and_a_failure_is_logged_as_an_error(tmp_path, caplog):
    marker = tmp_path / "done"
    assert parallel.in_background(lambda: write_marker(str(marker)), "marking", workers=2)
    assert parallel.in_background(fail, "failing on purpose", workers=2)
    parallel.wait_for_background()
    assert marker.read_text() != str(os.getpid())  # written by another process
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "failing on purpose failed" in errors[0]
    assert "ValueError: broken on purpose" in errors[0]  # the child's traceback, in the log
    assert not parallel.in_background(fail, "one core", workers=1)  # nothing started
    parallel.wait_for_background()
    assert [r.levelname for r in caplog.records].count("ERROR") == 1


STATE = {"seen": "as imported"}  # set differently by the test below, in this process only


def write_state(path: str) -> None:
    with open(path, "w") as out:
        out.write(f"{os.getpid()} {STATE['seen']}")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="children are started on Linux only"
)
def test_work_that_pickles_runs_in_a_new_interpreter_and_a_closure_in_a_fork(tmp_path):
    """A picklable task gets only itself (none of this process's memory to copy); a
    closure still runs, in a forked child that sees this process's state."""
    STATE["seen"] = "changed by this process"
    fresh, forked = tmp_path / "fresh", tmp_path / "forked"
    try:
        assert parallel.in_background(partial(write_state, str(fresh)), "fresh", workers=2)
        assert parallel.in_background(lambda: write_state(str(forked)), "forked", workers=2)
        parallel.wait_for_background()
    finally:
        STATE["seen"] = "as imported"
    pid, seen = fresh.read_text().split(" ", 1)
    assert int(pid) != os.getpid() and seen == "as imported"
    pid, seen = forked.read_text().split(" ", 1)
    assert int(pid) != os.getpid() and seen == "changed by this process"


def write_modules(path: str) -> None:
    """Which of Pelican's own modules and Jinja this process has imported."""
    seen = [
        name for name in ("pelican.generators", "pelican.readers", "jinja2") if name in sys.modules
    ]
    with open(path, "w") as out:
        out.write(" ".join(seen) or "none")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_pure_work_starts_without_running_pelicans_package(tmp_path):
    """Work of the plugin's pure layers (a first build's social cards) needs none of Pelican:
    its new interpreter imports the plugin without pelican/__init__.py (30 MB of imports);
    other work gets the package as it is."""
    pure, whole = tmp_path / "pure", tmp_path / "whole"
    assert parallel.in_background(partial(write_modules, str(pure)), "pure", 2, pure=True)
    assert parallel.in_background(partial(write_modules, str(whole)), "whole", 2)
    parallel.wait_for_background()
    assert pure.read_text() == "none"
    assert whole.read_text() == "pelican.generators pelican.readers jinja2"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_the_card_process_draws_without_the_modules_only_the_build_needs(tmp_path):
    """A new interpreter drawing cards imports neither the pools and subprocesses of
    parallel.py's other work nor importlib.metadata (about 7 MB of the card process)."""
    import cardwork

    listed = tmp_path / "modules"
    work = partial(cardwork.draw_and_list_heavy_modules, str(listed))
    assert parallel.in_background(work, "cards", 2, pure=True)
    parallel.wait_for_background()
    assert listed.read_text() == "none"
    assert (tmp_path / "modules.png").read_bytes().startswith(b"\x89PNG")


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(
    not os.path.exists("/proc/self/status") or sys.platform != "linux",
    reason="reads the process's resident memory from Linux's /proc",
)
def test_memory_freed_all_through_the_heap_goes_back_to_the_system():
    """Freed text between text still held stays resident until returned (malloc_trim)."""
    texts = [("x" * 1024) + str(n) for n in range(60_000)]  # about 60 MB of 1 KB blocks
    kept = texts[-1]
    held = rss_kb()
    del texts[:-1]
    parallel.return_free_memory()
    assert rss_kb() < held - 30_000
    assert kept.endswith("59999")


def mark(folder: str, item: int) -> None:
    with open(os.path.join(folder, str(item)), "x") as out:  # "x": never done twice
        out.write(str(os.getpid()))


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="children are started on Linux only"
)
def test_shared_work_is_done_once_each_by_the_child_and_by_this_process(tmp_path):
    items = list(range(300))
    work = partial(mark, str(tmp_path))
    assert parallel.share_in_background(work, items, "marking", workers=2)
    while not any(tmp_path.iterdir()):  # the child has started (the new interpreter)
        time.sleep(0.01)
    parallel.wait_for_background()  # this process joins in here, on what is left
    done = {int(p.name): int(p.read_text()) for p in tmp_path.iterdir()}
    assert sorted(done) == items
    assert any(pid != os.getpid() for pid in done.values())  # the child did some
    assert not parallel.share_in_background(work, items, "one core", workers=1)


def fail_on_first(item: int) -> None:
    raise ValueError(f"broken on purpose at {item}")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="children are started on Linux only"
)
def test_items_a_failed_child_left_are_done_by_this_process_and_the_failure_logged(
    tmp_path, caplog
):
    folder = tmp_path / "done"
    folder.mkdir()
    child_items = list(range(5))
    assert parallel.share_in_background(fail_on_first, child_items, "failing", workers=2)
    _, items, claims = parallel._shares[-1]
    parallel._shares[-1] = (partial(mark, str(folder)), items, claims)  # this process's part
    while os.pread(claims.fileno(), 8, 0) == bytes(8):  # until the child claimed item 0
        time.sleep(0.01)
    parallel.wait_for_background()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "broken on purpose at 0" in errors[0]
    assert sorted(int(p.name) for p in folder.iterdir()) == [1, 2, 3, 4]


def pid_and_sum_of_much_thrown_away() -> tuple[int, int]:
    thrown_away = [("x" * 1024) + str(n) for n in range(60_000)]  # about 60 MB
    return os.getpid(), sum(map(len, thrown_away))


def fail_apart() -> None:
    raise ValueError("broken apart")


@pytest.mark.skipif(
    not os.path.exists("/proc/self/status") or sys.platform != "linux",
    reason="forks on Linux only, and reads the resident memory from /proc",
)
def test_work_done_apart_returns_its_result_and_leaves_this_process_heap_alone():
    held = rss_kb()
    pid, total = parallel.apart(pid_and_sum_of_much_thrown_away)
    assert total == sum(1024 + len(str(n)) for n in range(60_000))
    assert pid != os.getpid()
    assert rss_kb() < held + 10_000  # the 60 MB were never this process's
    with pytest.raises(ValueError, match="broken apart"):
        parallel.apart(fail_apart)


FROZEN_FOR_GOOD = """
import gc, json, sys
from pelican.plugins.gazette.machinery import parallel

class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it

kept = [Node() for _ in range(1000)]
parallel.freeze_for_good()
counts = {"full": 0}
gc.callbacks.append(lambda phase, info: phase == "stop" and info["generation"] == 2
                    and counts.__setitem__("full", counts["full"] + 1))
for _ in range(200_000):
    Node()  # cyclic garbage, made after the freeze
json.dump({"frozen": gc.get_freeze_count(), "garbage": gc.get_count()[0],
           "full": counts["full"], "enabled": gc.isenabled()}, sys.stdout)
"""


def test_a_process_frozen_for_good_runs_no_full_collection_yet_frees_young_cycles():
    """freeze_for_good: what the process holds is frozen, no full collection walks what
    comes after, and the young collections still free the cycles made since (200,000 of
    them here: memory would grow without)."""
    import json
    import subprocess

    done = subprocess.run([sys.executable, "-c", FROZEN_FOR_GOOD], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["frozen"] >= 1000 and seen["enabled"]
    assert seen["full"] == 0
    assert seen["garbage"] < 2000  # the young generation keeps being emptied
