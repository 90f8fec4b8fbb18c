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
            check_output(out / f"{f.stem}.json")


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


# ---- CSV formula injection (OWASP) -------------------------------------------------------------

@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_start_a_formula(start):
    from policyparse.emit import csv_cell, to_csv

    evil = f"{start}HYPERLINK(\"http://x\",\"y\")"
    assert csv_cell(evil) == "'" + evil
    assert csv_cell([evil, "b"]) == "'" + evil + "、b"
    assert csv_cell(-5) == -5 and csv_cell(2.5) == 2.5 and csv_cell("省科技厅") == "省科技厅"
    assert csv_cell("=") == "="   # a comparator, no formula
    import csv
    import io

    rows = list(csv.reader(io.StringIO(to_csv([{"a": evil, "b": -1}], ["a", "b"]).lstrip("\ufeff"))))
    assert rows[1] == ["'" + evil, "-1"]


def test_a_formula_in_a_document_comes_out_as_text_in_csv(tmp_path):
    doc = tmp_path / "evil.txt"
    doc.write_text("一、目标\n=HYPERLINK(\"evil\")达到100个。\n@SUM(1)建成20个。\n", encoding="utf-8")
    proc = cli("targets", doc, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    cells = [v for row in rows for v in row.values() if v]
    assert any("HYPERLINK" in v for v in cells)
    assert not [v for v in cells if len(v) > 1 and v.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert "'@SUM(1)建成20个" in cells


# ---- data loss by names ------------------------------------------------------------------------

def _doc(path: Path, word: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"一、{word}\n到2025年，{word}达到100个。\n", encoding="utf-8")
    return path


def test_no_two_inputs_share_an_output_and_names_do_not_depend_on_the_batch(tmp_path):
    a, b, c = _doc(tmp_path / "a" / "x.txt", "甲"), _doc(tmp_path / "b" / "x.txt", "乙"), _doc(tmp_path / "c" / "x-2.txt", "丙")
    out = tmp_path / "out"
    proc = cli("parse", a, b, c, "--out", out, "-q", "--jobs", "2")
    assert proc.returncode == 1
    assert stderr_lines(proc) == [
        f"error {b}: its output {out / 'x.json'} is already {a}'s; parse them in separate runs with different --out "
        "folders, or name their folder to mirror it under --out",
        "1 input(s) failed",
    ]
    assert check_output(out / "x.json")["title"] is None and "甲" in (out / "x.json").read_text(encoding="utf-8")
    assert "丙" in (out / "x-2.json").read_text(encoding="utf-8")      # c's own name, not b's
    alone = tmp_path / "alone"
    assert cli("parse", c, "--out", alone, "-q").returncode == 0
    assert sorted(p.name for p in alone.iterdir()) == ["x-2.json"]      # the same name as in the batch


def test_a_folder_is_mirrored_under_out(tmp_path):
    for d in ("a", "b", "b/deeper"):
        _doc(tmp_path / "in" / d / "x.txt", d.replace("/", ""))
    out = tmp_path / "out"
    proc = cli("parse", tmp_path / "in", "--out", out, "-q", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == ["a/x.json", "b/deeper/x.json", "b/x.json"]
    for p in out.rglob("*.json"):
        check_output(p)


@pytest.mark.parametrize("spelled, cwd", [
    ("./in/", "."), ("./in", "."), ("in//", "."), ("in/./", "."), (".", "in"), ("./", "in"), ("..", "in/a"), ("../../in/", "in/a"),
])
def test_a_folder_is_mirrored_however_it_is_spelled(tmp_path, spelled, cwd):
    """expand_paths names a folder's files from str(Path(folder)): ./in/ lists in/a/x.txt, so the
    folder is recognised in that form (it once flattened ./in/'s subfolders and refused the
    second x.txt)."""
    for d in ("a", "b", "b/deeper"):
        _doc(tmp_path / "in" / d / "x.txt", d.replace("/", ""))
    out = tmp_path / "out"
    proc = cli("parse", spelled, "--out", out, "-q", "--no-cache", cwd=tmp_path / cwd)
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == ["a/x.json", "b/deeper/x.json", "b/x.json"]


def test_an_output_never_replaces_an_input(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    plan = d / "plan.json"
    plan.write_text("一、总体要求\n到2025年，收入达到100亿元。\n", encoding="utf-8")
    before = plan.read_bytes()
    proc = cli("parse", plan, "--out", d, "-q")
    assert proc.returncode == 1
    assert stderr_lines(proc) == [f"error {plan}: its output {plan} would replace the input {plan}; choose another --out",
                                  "1 input(s) failed"]
    assert plan.read_bytes() == before


# ---- silent skips and misleading words -----------------------------------------------------------

def test_an_unreadable_subfolder_is_one_line_and_exit_1(tmp_path):
    from test_robustness import _drop_dac_caps

    good = _doc(tmp_path / "in" / "good.txt", "甲")
    hidden = tmp_path / "in" / "locked"
    _doc(hidden / "x.txt", "乙")
    hidden.chmod(0)
    try:
        probe = subprocess.run([sys.executable, "-c", f"import os; print(os.access({str(hidden)!r}, os.R_OK))"],
                               capture_output=True, text=True, preexec_fn=_drop_dac_caps)
        if probe.stdout.strip() != "False":
            pytest.skip("running as root and the folder stays readable (cannot drop capabilities here)")
        proc = cli("parse", tmp_path / "in", "--out", tmp_path / "out", "-q", preexec_fn=_drop_dac_caps)
    finally:
        hidden.chmod(0o755)
    assert proc.returncode == 1
    assert stderr_lines(proc) == [f"error {hidden}: cannot list directory: Permission denied", "1 input(s) failed"]
    assert check_output(tmp_path / "out" / f"{good.stem}.json")


def test_utf16_without_a_bom_is_read_not_called_binary(tmp_path):
    text = "一、总体要求\n到2025年，全省软件业务收入达到100亿元。\n"
    for enc in ("utf-16-le", "utf-16-be"):
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(text.encode(enc))
        proc = cli("parse", f, "--out", "-")
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["encoding"] == enc and doc["targets"][0]["raw"] == "100亿元"


def test_a_nul_anywhere_is_binary(tmp_path):
    bad = tmp_path / "late_nul.txt"
    bad.write_text("一、总体要求\n" + "内容。" * 3000 + "\x00" + "尾。\n", encoding="utf-8")
    fine = _doc(tmp_path / "fine.txt", "甲")
    proc = cli("parse", bad, fine, "--out", tmp_path / "out", "-q")
    assert proc.returncode == 1
    assert stderr_lines(proc)[0] == f"error {bad}: binary data (a NUL character at 9007), not a text document"
    assert check_output(tmp_path / "out" / "fine.json")


def test_names_that_are_not_utf8_or_hold_escapes_are_shown_safely(tmp_path):
    gbk = os.fsdecode(tmp_path / "in").encode() + b"/" + "规划.txt".encode("gbk")
    os.makedirs(os.path.dirname(gbk), exist_ok=True)
    with open(gbk, "wb") as fh:
        fh.write("一、目标\n到2025年，收入达到100亿元。\n".encode("utf-8"))
    evil = tmp_path / "in" / "\x1b[31mred\x1b[0m.txt"
    evil.write_bytes(b"")   # empty: an error line that names it
    proc = subprocess.run(CLI + ["parse", os.fsdecode(tmp_path / "in"), "--out", "-"], capture_output=True, env=ENV)
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8")
    assert "\x1b" not in err and "\\x1b[31mred\\x1b[0m.txt: empty file" in err
    doc = json.loads(proc.stdout)
    assert doc["source"].endswith("规划.txt") and doc["targets"][0]["raw"] == "100亿元"


def test_a_later_run_removes_the_temporary_files_a_killed_run_left(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = 4_000_000   # above pid_max on Linux: no such process
    stale = out / f".doc0.json.{dead}.0123abcd.tmp"
    live = out / f".doc0.json.{os.getpid()}.0123abcd.tmp"   # a run still writing keeps its file
    stale.write_text("{", encoding="utf-8")
    live.write_text("{", encoding="utf-8")
    f = _doc(tmp_path / "doc0.txt", "甲")
    assert cli("parse", f, "--out", out, "-q").returncode == 0
    assert not stale.exists() and live.exists()


def test_a_device_or_an_oversized_input_is_refused_in_one_line(tmp_path):
    fine = _doc(tmp_path / "fine.txt", "甲")
    proc = cli("parse", "/dev/zero", fine, "--out", tmp_path / "out", "-q", timeout=60)
    assert proc.returncode == 1
    assert stderr_lines(proc) == ["error /dev/zero: is a device, not a file", "1 input(s) failed"]
    assert check_output(tmp_path / "out" / "fine.json")
    big = tmp_path / "big.txt"
    big.write_text("一、目标\n" + "到2025年达到100个。" * 1000, encoding="utf-8")
    proc = cli("parse", big, fine, "--out", tmp_path / "out", "-q", "--max-size", "0.01")
    assert proc.returncode == 1
    assert stderr_lines(proc)[0].startswith(f"error {big}: too large: 0 MB (the limit for txt is 0 MB; see --max-size)")


def test_a_full_disk_says_so_not_internal_error():
    import errno

    from policyparse import batch

    def full(path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "out/plan.json")

    [res] = list(batch.run(full, [("plan.txt",)], jobs=1))
    assert res.error == "cannot write out/plan.json: No space left on device"


# ---- numbers at the edges: never a crash, never a non-JSON number -------------------------------

def _strict(text: str):
    def refuse(name):
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


EDGE_DOCS = {
    "numeral_400.txt": "一、目标\n到2025年，收入达到" + "一" * 400 + "万元。\n",
    "heading_21.txt": "第" + "一" * 21 + "章 总则\n到2025年，收入达到100亿元。\n",
    "digits_400.txt": "一、目标\n收入达到" + "9" * 400 + "亿元，增长" + "9" * 400 + "%。达到" + "9" * 400 + "。\n",
}


def test_numbers_at_the_edges_are_no_targets_and_the_json_is_strict(tmp_path):
    files = []
    for name, text in EDGE_DOCS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    proc = cli("parse", *files, "--out", "-", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    docs = {Path(d["source"]).name: d for d in map(_strict, proc.stdout.splitlines())}
    assert docs["numeral_400.txt"]["targets"] == []
    assert [t["raw"] for t in docs["heading_21.txt"]["targets"]] == ["100亿元"]
    assert docs["heading_21.txt"]["sections"][0]["number"] is None
    assert docs["digits_400.txt"]["targets"] == []


def test_targets_refuses_nan_and_infinity_read_from_json(tmp_path):
    good = _doc(tmp_path / "good.txt", "甲")
    parsed = json.loads(cli("parse", good, "--out", "-").stdout)
    for word in ("NaN", "Infinity", "-Infinity"):
        parsed["targets"][0]["value"] = 1.5
        text = json.dumps(parsed, ensure_ascii=False).replace('"value": 1.5', f'"value": {word}', 1)
        (tmp_path / f"{word}.json").write_text(text, encoding="utf-8")
    proc = cli("targets", *(tmp_path / f"{w}.json" for w in ("NaN", "Infinity", "-Infinity")), good, "--format", "json")
    assert proc.returncode == 1
    rows = _strict(proc.stdout)
    assert [r["raw"] for r in rows] == ["100个"]       # the text file's target, and nothing else
    lines = stderr_lines(proc)
    assert len([line for line in lines if "not a policyparse JSON document" in line]) == 3
