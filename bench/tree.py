"""Run one command and measure its whole process tree (Linux /proc, no extra packages).

``measure`` starts the command, samples every process of its tree every few
milliseconds (the child, its children, theirs...) and keeps the peak of the
summed RSS and of the summed PSS (``/proc/PID/smaps_rollup``: shared pages
divided between the processes that share them, so a forked worker's
copy-on-write pages are not counted twice). CPU time is the tree's: the
child's rusage from ``wait4`` includes every descendant it waited for.
"""

import os
import subprocess
import threading
import time
from dataclasses import dataclass

INTERVAL = 0.02  # seconds between samples: short builds still get several


@dataclass
class Usage:
    wall: float
    cpu: float
    rss_mb: float  # peak of the tree's summed RSS
    pss_mb: float  # peak of the tree's summed PSS
    largest_mb: float  # the largest single process's peak RSS (what ru_maxrss reports)
    stderr: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        tree.setdefault(int(fields[1]), []).append(int(name))
    return tree


def tree_of(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; zeros when it has ended."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    except OSError:
        pass
    return rss, pss


class Sampler(threading.Thread):
    def __init__(self, pid: int, timeline: list | None = None):
        super().__init__(daemon=True)
        self.pid, self.rss, self.pss = pid, 0, 0
        self.timeline = timeline  # when a list: (seconds, tree PSS kB, [each process's])
        self.done = threading.Event()

    def run(self):
        started = time.perf_counter()
        while not self.done.is_set():
            sample = [_memory(pid) for pid in tree_of(self.pid)]
            self.rss = max(self.rss, sum(r for r, _ in sample))
            self.pss = max(self.pss, sum(p for _, p in sample))
            if self.timeline is not None:
                each = [p for _, p in sample if p]
                self.timeline.append((time.perf_counter() - started, sum(each), each))
            self.done.wait(INTERVAL)


def print_timeline(timeline: list, step: float = 0.5) -> None:
    """The tree's PSS over time, one line per ``step`` seconds (the largest sample of
    each step): when the peak happens, and in how many processes."""
    rows: dict[int, tuple] = {}
    for seconds, total, each in timeline:
        slot = int(seconds / step)
        if slot not in rows or total > rows[slot][1]:
            rows[slot] = (seconds, total, each)
    for seconds, total, each in (rows[k] for k in sorted(rows)):
        parts = " + ".join(f"{p / 1024:.0f}" for p in sorted(each, reverse=True))
        print(f"  {seconds:7.1f} s {total / 1024:7.0f} MB  ({len(each)} processes: {parts})")


def measure(
    command: list[str], cwd=None, env=None, stdout=subprocess.DEVNULL, timeline=None
) -> Usage:
    """Run ``command`` to its end; SystemExit with its stderr when it fails. ``timeline``,
    a list, gets every memory sample (``print_timeline``)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True
    )
    sampler = Sampler(child.pid, timeline)
    sampler.start()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed ({child.returncode}):\n{err[-4000:]}")
    return Usage(
        wall,
        usage.ru_utime + usage.ru_stime,
        sampler.rss / 1024,
        sampler.pss / 1024,
        usage.ru_maxrss / 1024,
        err,
    )
