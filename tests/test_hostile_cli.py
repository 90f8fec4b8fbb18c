"""Hostile inputs through the real command line (issue #9): a file that never finishes reading,
a worker killed under a file, names that would collide or overwrite, edge numbers.

A FIFO with a writer that never writes stands for a file that takes forever: reading it blocks.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_robustness import CLI, ENV, SEEDS, check_output, cli, stderr_lines


@pytest.fixture
def stalled_fifo(tmp_path):
    """A FIFO that opens for reading but never delivers a byte (our end holds it open)."""
    fifo = tmp_path / "in" / "stalled.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    yield fifo
    os.close(fd)


def _batch(tmp_path: Path, fifo: Path, n: int = 6) -> list[Path]:
    files = []
    for i in range(n):
        f = tmp_path / "in" / f"doc{i}.txt"
        f.write_text(SEEDS[i % len(SEEDS)].read_text(encoding="utf-8"), encoding="utf-8")
        files.append(f)
    return files[:n // 2] + [fifo] + files[n // 2:]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_its_time_is_named_and_skipped(tmp_path, stalled_fifo, jobs):
    inputs = _batch(tmp_path, stalled_fifo)
    out = tmp_path / "out"
    t0 = time.monotonic()
    proc = cli("parse", *inputs, "--out", out, "--timeout", "1", "--jobs", jobs, "-q")
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 1
    lines = stderr_lines(proc)
    assert lines[0] == f"error {stalled_fifo}: timed out after 1 s (skipped; raise --timeout to allow longer)"
    assert lines[1:] == ["1 input(s) failed"]
    for f in inputs:
        if f != stalled_fifo:
            check_output(out / "in" / f"{f.stem}.json") if (out / "in").is_dir() else check_output(out / f"{f.stem}.json")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _reader_of(path: Path, pids: list[int]) -> int | None:
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                    return pid
            except OSError:
                pass
    return None


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_worker_names_its_file_and_the_batch_finishes(tmp_path, stalled_fifo):
    inputs = _batch(tmp_path, stalled_fifo, n=10)
    out = tmp_path / "out"
    proc = subprocess.Popen(CLI + ["parse", *map(str, inputs), "--out", str(out), "--jobs", "2", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, text=True, encoding="utf-8")
    deadline = time.monotonic() + 60
    victim = None
    while victim is None and time.monotonic() < deadline:
        victim = _reader_of(stalled_fifo, _children(proc.pid))
        time.sleep(0.05)
    assert victim is not None, "no worker opened the FIFO"
    os.kill(victim, signal.SIGKILL)   # what the OOM killer does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[0].startswith(f"error {stalled_fifo}: worker died: killed by signal 9 (SIGKILL)")
    assert lines[1:] == ["1 input(s) failed"]
    assert "Traceback" not in err
    written = sorted(p.name for p in out.rglob("*.json"))
    assert written == sorted(f"{f.stem}.json" for f in inputs if f != stalled_fifo)
    for p in out.rglob("*.json"):
        check_output(p)
