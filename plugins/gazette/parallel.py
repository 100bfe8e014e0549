"""Pure per-item work spread over the machine's cores, results in input order.

A first build parses and finds the topics of every raw file: CPU-bound work
on independent files, most of a cold build's reading time. ``ordered_map``
runs it in worker processes (forked, so they start at once and need nothing
re-imported) and falls back to a plain loop when there is little to do, one
core, or a platform other than Linux (where forking is unsafe or absent).
Results are the same either way.
"""

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

# Below this many items the workers' start-up costs more than it saves.
MIN_ITEMS = 200


def worker_count(setting: int = 0) -> int:
    """``setting`` processes, or one per usable core when it is 0."""
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def ordered_map(function, items: list, workers: int = 0) -> list:
    """``[function(item) for item in items]``, on ``workers`` processes when it pays."""
    workers = worker_count(workers)
    # fork only on Linux: elsewhere (macOS's system libraries, Windows) it is unsafe or absent
    forks = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(items) < MIN_ITEMS or not forks:
        return [function(item) for item in items]
    chunk = max(1, min(8, len(items) // (workers * 8)))
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers' garbage collector then leaves the parent's objects (and pages) alone
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(function, items, chunksize=chunk))
    finally:
        gc.unfreeze()
