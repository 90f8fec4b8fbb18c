"""Batches: parse many files, in parallel if asked, yielding results in input order.

Workers return small picklable results (the JSON text and a summary), so a batch never holds
every document: results stream to the caller, which writes each and forgets it.
"""
from __future__ import annotations

import os
import traceback
from typing import Callable, Iterator, NamedTuple

from .errors import InputError


class Result(NamedTuple):   # never changed once made: a NamedTuple (tables.py says why)
    path: str
    payload: object = None      # what the job function returned
    error: str | None = None    # one line: the cause
    detail: str | None = None   # a traceback, for --debug, when the cause was a bug


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


# A file that takes longer than this is reported and skipped (--timeout). Documents parse in
# milliseconds; a minute means something is wrong with the file, not that the machine is busy.
DEFAULT_TIMEOUT = 60.0
# A worker that does not answer this long after its file's time ran out (stuck where the alarm
# cannot reach it) is killed from the parent.
KILL_GRACE = 5.0


class _TimedOut(BaseException):
    """Raised by the alarm in the middle of a job (a BaseException: no `except Exception` in a
    job swallows it)."""


def _on_alarm(signum, frame):
    raise _TimedOut()


def timeout_message(seconds: float) -> str:
    return f"timed out after {seconds:g} s (skipped; raise --timeout to allow longer)"


def _run_one(job: Callable[..., object], item: tuple, timeout: float | None = None) -> Result:
    path = item[0]
    alarm = None
    if timeout:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            alarm = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return Result(path, payload=job(*item))
    except _TimedOut:
        return Result(path, error=timeout_message(timeout))
    except InputError as e:
        return Result(path, error=e.cause)
    except MemoryError:
        return Result(path, error="out of memory", detail=traceback.format_exc())
    except RecursionError:
        return Result(path, error="internal error: nesting too deep", detail=traceback.format_exc())
    except OSError as e:  # writing the output: disk full, permission denied, read-only file system
        return Result(path, error=_os_error(e), detail=traceback.format_exc())
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a batch; the cause is reported
        return Result(path, error=f"internal error: {type(e).__name__}: {e}", detail=traceback.format_exc())
    finally:
        if alarm is not None:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, alarm)


def _os_error(e: OSError) -> str:
    """An OSError in our words: what failed and on which file (disk full, permission denied)."""
    what = e.strerror or type(e).__name__
    name = e.filename if e.filename is not None else None
    return f"cannot write {name}: {what}" if name else f"cannot write the output: {what}"


def _run_chunk(job: Callable[..., object], items: list[tuple], timeout: float | None = None) -> list[Result]:
    """Several items in one task (the Dask engine's unit of work)."""
    return [_run_one(job, item, timeout) for item in items]


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
    # If the parent is killed outright (SIGKILL), end too instead of waiting for tasks forever:
    # Linux can send us SIGTERM when the parent dies.
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(conn, job, parent_pid: int, timeout: float | None) -> None:  # runs in a worker
    """Take chunks of (index, item) from the parent; send back (index, Result) for each item as
    it finishes, so the parent always knows which item is running (the first one not answered)."""
    _init_worker(parent_pid)
    frozen = False
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if chunk is None:
            os._exit(0)
        for index, item in chunk:
            conn.send((index, _run_one(job, item, timeout)))
            if not frozen:
                _freeze_after_first_job()
                frozen = True


def _freeze_after_first_job() -> None:
    """After the first document (which imports the pipeline), collect once and move every object
    left into the permanent generation: the full collections of a long batch then no longer
    walk the modules, patterns and pydantic schemas (measured on the 10 MB corpus in one
    process: gc 2.0-2.5% of the time, the full collections 0.4-0.5% of it, 0.05% after a
    freeze; a larger gen0 threshold did not help, most young objects being a live document)."""
    import gc

    gc.collect()
    gc.freeze()


def _run_known(job, items: list[tuple], jobs: int, timeout: float | None, known) -> Iterator[Result]:
    answers = []
    for item in items:
        try:
            answers.append(known(item))
        except Exception:  # noqa: BLE001 - a lookup that fails is no answer: the job runs
            answers.append(None)
    rest = run(job, [item for item, a in zip(items, answers) if a is None], jobs, timeout)
    try:
        for item, answer in zip(items, answers):
            yield Result(item[0], payload=answer) if answer is not None else next(rest)
    finally:
        rest.close()   # stops the workers at once when the caller stops early (Ctrl-C)


def _death_message(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"worker died: killed by signal {-exitcode} ({name}){hint}; the rest of the batch went on"
    return f"worker died: exit status {exitcode}; the rest of the batch went on"


class _Worker:
    """One worker process and the chunk it is working on."""

    def __init__(self, ctx, job, timeout: float | None) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, job, os.getpid(), timeout), daemon=True)
        self.proc.start()
        child.close()
        self.chunk: list = []          # (index, item) not yet answered; the first one is running
        self.since = 0.0               # when the running item started

    def give(self, chunk: list) -> None:
        import time

        self.chunk = list(chunk)
        self.since = time.monotonic()
        self.conn.send(chunk)

    def stop(self, kill: bool = False) -> None:
        if self.proc.is_alive():
            (self.proc.kill if kill else self.proc.terminate)()
        self.proc.join(timeout=3)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=1)
        self.conn.close()


_active_workers: list = []  # the workers of the batch in progress, for abort()


def abort() -> None:
    """Stop the workers of the batch in progress at once (Ctrl-C): SIGTERM (each worker removes
    its temporary file and exits), a short wait, then SIGKILL."""
    workers = list(_active_workers)
    for w in workers:
        if w.proc.is_alive():
            w.proc.terminate()
    for w in workers:
        w.proc.join(timeout=3)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(timeout=1)


def run(job: Callable[..., object], items: list[tuple], jobs: int,
        timeout: float | None = DEFAULT_TIMEOUT, known: Callable[[tuple], object] | None = None) -> Iterator[Result]:
    """Apply `job(*item)` to each item (the first element is the input path); yield Results in
    input order, whichever finishes first. An item that takes longer than `timeout` seconds is
    a failed Result (and skipped); a worker that dies (the OOM killer, a signal) fails the item
    it was running, naming the cause, and a new worker takes over the rest. At most a few tasks
    per worker are in flight, so memory stays flat however long the batch. On an exception
    (Ctrl-C) the workers are stopped.

    `known(item)`, called here in the parent, answers an item without a job (a payload, or None
    for "run the job"): a re-run whose files are all known (the parse cache's stat entries)
    starts no worker at all; the others go to the workers as usual, in order among the known."""
    if known is not None:
        yield from _run_known(job, items, jobs, timeout, known)
        return
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _run_one(job, item, timeout)
        return
    import multiprocessing as mp
    import time
    from collections import deque
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    n_workers = min(jobs, len(items))
    size = _chunk_size(len(items), n_workers)
    todo: deque = deque(enumerate(items))
    ahead = n_workers * size * 8        # results held for order at most this far past the next one
    done: dict[int, Result] = {}
    next_out = 0
    workers = [_Worker(ctx, job, timeout) for _ in range(n_workers)]
    _active_workers[:] = workers
    hard_limit = timeout + KILL_GRACE if timeout else None

    def restart(w: _Worker) -> None:
        w.stop(kill=True)
        workers[workers.index(w)] = _Worker(ctx, job, timeout)
        _active_workers[:] = workers

    def fail_running(w: _Worker, error: str) -> None:
        """The item `w` was running failed; the rest of its chunk goes back to the front."""
        index, item = w.chunk[0]
        done[index] = Result(item[0], error=error)
        todo.extendleft(reversed(w.chunk[1:]))
        w.chunk = []
        restart(w)

    try:
        while next_out < len(items):
            for w in list(workers):
                if not w.chunk and todo and todo[0][0] < next_out + ahead:
                    chunk = [todo.popleft() for _ in range(min(size, len(todo)))]
                    try:
                        w.give(chunk)
                    except OSError:            # it died while idle: no item to blame
                        todo.extendleft(reversed(chunk))
                        w.chunk = []
                        restart(w)
            busy = [w for w in workers if w.chunk]
            if not busy:   # cannot happen (an idle worker takes the next chunk), but never wait on nothing
                raise RuntimeError("batch: no worker busy and results missing")
            wait_for = None
            if hard_limit and busy:
                wait_for = max(0.0, min(w.since for w in busy) + hard_limit - time.monotonic())
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
            now = time.monotonic()
            for w in busy:
                alive = w.proc.is_alive()       # checked first: a dead worker's answers are all in the pipe
                while w.chunk and w.conn.poll():
                    try:
                        index, result = w.conn.recv()
                    except (EOFError, OSError):
                        break
                    done[index] = result
                    w.chunk.pop(0)
                    w.since = now
                if not w.chunk:
                    continue
                if not alive:
                    w.proc.join(timeout=1)
                    fail_running(w, _death_message(w.proc.exitcode))
                elif hard_limit and now - w.since > hard_limit:
                    fail_running(w, timeout_message(timeout))
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    except BaseException:
        abort()
        raise
    else:
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in workers:
            w.proc.join(timeout=5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(timeout=1)
            w.conn.close()
    finally:
        _active_workers[:] = []
