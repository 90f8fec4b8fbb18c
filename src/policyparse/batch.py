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


def _run_one(job: Callable[[str], object], path: str) -> Result:
    try:
        return Result(path, payload=job(path))
    except InputError as e:
        return Result(path, error=e.cause)
    except RecursionError:
        return Result(path, error="internal error: nesting too deep", detail=traceback.format_exc())
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a batch; the cause is reported
        return Result(path, error=f"internal error: {type(e).__name__}: {e}", detail=traceback.format_exc())


def _init_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


def run(job: Callable[[str], object], paths: list[str], jobs: int) -> Iterator[Result]:
    """Apply `job` to each path; yield Results in input order."""
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield _run_one(job, p)
        return
    import functools
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    with ctx.Pool(min(jobs, len(paths)), initializer=_init_worker) as pool:
        try:
            yield from pool.imap(functools.partial(_run_one, job), paths, chunksize=1)
        except BaseException:
            pool.terminate()
            raise
