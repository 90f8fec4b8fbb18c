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


def _exit_on_term(signum, frame) -> None:  # pragma: no cover - runs in a worker being stopped
    raise SystemExit(128 + signum)


def _init_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    # pool.terminate() sends SIGTERM: unwind, so a write in progress removes its temporary file
    signal.signal(signal.SIGTERM, _exit_on_term)


def run(job: Callable[..., object], items: list[tuple], jobs: int) -> Iterator[Result]:
    """Apply `job(*item)` to each item (the first element is the input path); yield Results in
    input order, whichever finishes first."""
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _run_one(job, item)
        return
    import functools
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    workers = min(jobs, len(items))
    # a few files per task: less inter-process traffic, still balanced across workers
    chunk = max(1, min(8, len(items) // (workers * 8)))
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        try:
            yield from pool.imap(functools.partial(_run_one, job), items, chunksize=chunk)
        except BaseException:
            pool.terminate()
            raise
