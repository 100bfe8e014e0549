"""parallel.ordered_map: the same results as a loop, in order, from worker processes."""

import os
import sys

import pytest

from gazette import parallel


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
