"""Batches: parse many files, in parallel if asked, yielding results in input order.

Workers return small picklable results (the JSON text and a summary), so a batch never holds
every document: results stream to the caller, which writes each and forgets it.
"""
from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from typing import Callable, Iterator

from .errors import InputError


@dataclass
class Result:
    path: str
    payload: object = None      # what the job function returned
    error: str | None = None    # one line: the cause
    detail: str | None = None   # a traceback, for --debug, when the cause was a bug


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _run_one(job: Callable[..., object], item: tuple) -> Result:
    path = item[0]
    try:
        return Result(path, payload=job(*item))
    except InputError as e:
        return Result(path, error=e.cause)
    except RecursionError:
        return Result(path, error="internal error: nesting too deep", detail=traceback.format_exc())
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a batch; the cause is reported
        return Result(path, error=f"internal error: {type(e).__name__}: {e}", detail=traceback.format_exc())


def _run_chunk(job: Callable[..., object], items: list[tuple]) -> list[Result]:
    """Several items in one task: fewer round trips between the parent and the workers."""
    return [_run_one(job, item) for item in items]


def _chunk_size(n_items: int, workers: int) -> int:
    """Items per task: 1 for small batches (the work spreads evenly), up to 8 for long ones,
    where a task per file would spend a tenth of the time passing tasks and results around."""
    return max(1, min(8, n_items // (workers * 16)))


def _exit_on_term(signum, frame) -> None:  # pragma: no cover - runs in a worker being stopped
    """Stop now: remove the temporary file being written, if any, and leave without unwinding
    (an exception raised here can be swallowed by a __del__ and leave the worker running)."""
    from . import emit

    tmp = emit.current_temporary
    if tmp:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    os._exit(128 + signum)


def _init_worker(parent_pid: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    signal.signal(signal.SIGTERM, _exit_on_term)
    # If the parent is killed outright (SIGKILL), end too instead of waiting on the task queue
    # forever: Linux can send us SIGTERM when the parent dies.
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


_active_executor = None  # the executor of the batch in progress, for abort()


def abort() -> None:
    """Stop the workers of the batch in progress at once (Ctrl-C): SIGTERM (each worker removes
    its temporary file and exits), a short wait, then SIGKILL. ProcessPoolExecutor is used
    rather than multiprocessing.Pool because it never starts replacement workers."""
    executor = _active_executor
    if executor is None:
        return
    procs = list((getattr(executor, "_processes", None) or {}).values())
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=3)
        if p.is_alive():
            p.kill()
            p.join(timeout=1)


def run(job: Callable[..., object], items: list[tuple], jobs: int) -> Iterator[Result]:
    """Apply `job(*item)` to each item (the first element is the input path); yield Results in
    input order, whichever finishes first. At most a few tasks per worker are in flight, so
    memory stays flat however long the batch. On an exception (Ctrl-C) the workers are stopped."""
    global _active_executor
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _run_one(job, item)
        return
    import functools
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    workers = min(jobs, len(items))
    window = workers * 4          # tasks in flight: enough to keep every worker busy, no more
    size = _chunk_size(len(items), workers)
    chunks = (items[i:i + size] for i in range(0, len(items), size))
    task = functools.partial(_run_chunk, job)
    executor = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(),))
    _active_executor = executor
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(executor.submit(task, chunk))
            if len(pending) >= window:
                break
        while pending:
            results = pending.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(executor.submit(task, nxt))
            yield from results
    except BaseException:
        abort()
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        _active_executor = None
