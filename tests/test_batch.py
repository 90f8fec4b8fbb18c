"""batch.run: results in input order whatever finishes first, in chunks or one by one."""
from __future__ import annotations

import os
import time

import pytest

from policyparse import batch
from policyparse.errors import InputError


def slow_when_even(path: str, delay: float) -> tuple[str, int]:
    """Even items sleep, so later items finish first; 'bad' items fail like an unreadable file."""
    n = int(path.split("-")[1])
    if n % 7 == 3:
        raise InputError(path, "unreadable")
    if n % 2 == 0:
        time.sleep(delay)
    return path, os.getpid()


@pytest.mark.parametrize("n_items", [5, 40, 300])
def test_results_come_in_input_order(n_items):
    items = [(f"doc-{i}", 0.002) for i in range(n_items)]
    results = list(batch.run(slow_when_even, items, jobs=2))
    assert [r.path for r in results] == [item[0] for item in items]
    for i, r in enumerate(results):
        if i % 7 == 3:
            assert r.error == "unreadable" and r.payload is None
        else:
            assert r.error is None and r.payload[0] == f"doc-{i}"
    workers = {r.payload[1] for r in results if r.payload}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2


def test_chunk_size_grows_with_the_batch_and_stays_bounded():
    assert batch._chunk_size(5, 2) == 1
    assert batch._chunk_size(31, 2) == 1
    assert batch._chunk_size(304, 2) == 8
    assert batch._chunk_size(100_000, 2) == 8
    assert batch._chunk_size(64, 2) == 2
