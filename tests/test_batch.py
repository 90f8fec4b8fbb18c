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


# ---- dead workers and the time budget (issue #9) -------------------------------------------------

def dies_or_sleeps(path: str) -> str:
    """'kill' items kill their worker (as the OOM killer would), 'sleep' items take 30 s,
    'stuck' items take 30 s with the alarm blocked (stuck where no signal handler runs)."""
    import signal

    if path.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if path.startswith("sleep"):
        time.sleep(30)
    if path.startswith("stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(30)
    return path.upper()


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_dead_worker_fails_its_file_and_the_batch_goes_on(jobs):
    names = [f"doc{i}" for i in range(60)]
    names[7] = "kill-a"
    names[41] = "kill-b"
    results = list(batch.run(dies_or_sleeps, [(n,) for n in names], jobs=jobs))
    assert [r.path for r in results] == names
    for r in results:
        if r.path.startswith("kill"):
            assert r.error.startswith("worker died: killed by signal 9 (SIGKILL)")
        else:
            assert r.error is None and r.payload == r.path.upper()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_its_time_is_skipped_and_the_batch_goes_on(jobs):
    names = ["a", "sleep-1", "b", "c", "d"]
    t0 = time.monotonic()
    results = list(batch.run(dies_or_sleeps, [(n,) for n in names], jobs=jobs, timeout=0.5))
    assert time.monotonic() - t0 < 10
    assert [r.path for r in results] == names
    assert results[1].error == batch.timeout_message(0.5) and "timed out after 0.5 s" in results[1].error
    assert [r.payload for r in results if r.error is None] == ["A", "B", "C", "D"]


def test_a_worker_stuck_past_its_time_is_killed_from_outside(monkeypatch):
    monkeypatch.setattr(batch, "KILL_GRACE", 0.5)
    names = ["a", "stuck-1", "b", "c"]
    t0 = time.monotonic()
    results = list(batch.run(dies_or_sleeps, [(n,) for n in names], jobs=2, timeout=0.5))
    assert time.monotonic() - t0 < 10
    assert results[1].error.startswith("timed out after 0.5 s")
    assert [r.payload for r in results if r.error is None] == ["A", "B", "C"]


# ---- items answered in the parent (the parse cache's stat fast path) ------------------------------

def _known_even(item):
    n = int(item[0].split("-")[1])
    return ("known", os.getpid()) if n % 2 == 0 else None


@pytest.mark.parametrize("jobs, n_items", [(1, 7), (2, 7), (2, 100)])
def test_known_items_are_answered_here_in_input_order(jobs, n_items):
    items = [(f"doc-{i}", 0.001) for i in range(n_items)]
    results = list(batch.run(slow_when_even, items, jobs=jobs, known=_known_even))
    assert [r.path for r in results] == [item[0] for item in items]
    for i, r in enumerate(results):
        if i % 2 == 0:
            assert r.payload == ("known", os.getpid())
        elif i % 7 == 3:
            assert r.error == "unreadable"
        else:
            assert r.payload[0] == f"doc-{i}" and (jobs == 1 or r.payload[1] != os.getpid())


def test_all_known_starts_no_worker(monkeypatch):
    def no_worker(*a, **kw):
        raise AssertionError("a worker was started although every item was known")
    monkeypatch.setattr(batch, "_Worker", no_worker)
    items = [(f"doc-{2 * i}", 0.0) for i in range(50)]
    assert all(r.payload[0] == "known" for r in batch.run(slow_when_even, items, jobs=2, known=_known_even))


def test_a_failing_lookup_runs_the_job():
    def broken(item):
        raise OSError("cache unreadable")
    results = list(batch.run(slow_when_even, [("doc-1", 0.0), ("doc-2", 0.0)], jobs=1, known=broken))
    assert [r.payload[0] for r in results] == ["doc-1", "doc-2"]
