"""Bad inputs through the real command line (a subprocess per run, like a user's shell).

The contract under test, for `policyparse parse`:
  * each bad input gives exactly one line on stderr naming the file and the cause;
  * every other file of the same batch is still parsed and its output is complete, valid JSON;
  * exit status 1 when any input failed, 2 for a usage error; no traceback unless --debug;
  * outputs are byte-identical from run to run and between --jobs 1 and --jobs 2;
  * with --out - the documents come out in input order, also with --jobs 2.

The big inputs are kept small enough for a quick suite: the "single huge line" is ~5 MB (not
50 MB) and the "million short lines" file is ~11 MB; both run once, side by side with --jobs 2.
"""
from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyparse.model import Document

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
CLI = [sys.executable, "-m", "policyparse"]
ENV = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE")}
ENV.update(PYTHONUTF8="1", PYTHONIOENCODING="utf-8", NO_COLOR="1")

TRACEBACK = "Traceback (most recent call last)"


def cli(*args, cwd: Path | None = None, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + [str(a) for a in args], cwd=cwd, capture_output=True, timeout=timeout,
                          env=ENV, text=True, encoding="utf-8", errors="replace", **kw)


def seed_text(i: int) -> str:
    return SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")


def stderr_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


def check_output(path: Path) -> dict:
    """The output exists, is complete JSON, validates as a Document, and its spans index the source."""
    raw = path.read_bytes()
    assert raw.endswith(b"}\n"), f"{path.name} does not end like a finished JSON document"
    data = json.loads(raw.decode("utf-8"))
    Document.model_validate(data)
    return data


def no_temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# ---- the mixed batch ------------------------------------------------------------------------------

NESTING = ["一、", "（一）", "1.", "（1）", "①", "第一章", "第一节", "第一条", "专栏1", "——", "第一部分"]

NUMBERING = """关于推进工作的实施意见

一、总体要求
（一）指导思想。内容。
（一）基本原则。内容。
（三）主要目标。内容。
三、重点任务
二、保障措施
1.1.1 多级编号。
（）空编号。
、、顿号开头。
0.零号。
999.大号。
（二十二）跳号。
"""

BRACKETS = """括号测试

一、未闭合的括号（内容
）多余的右括号）。
（（（（一））））嵌套括号。
【【【标题
《《规划》
“引号没闭合。
(一)半角括号（二）
（二〕混合括号〔〔〔
"""

# name -> (bytes, regex the cause must match) for inputs that must fail
BAD: dict[str, tuple[bytes, str]] = {}
# name -> bytes for inputs that must parse
GOOD: dict[str, bytes] = {}


def _build_cases() -> None:
    rnd = bytes((i * 7919 + 13) % 256 for i in range(8192))        # deterministic "random" bytes
    BAD["binary.txt"] = (b"\x7fELF\x02\x01\x01\x00" + rnd, r"binary")
    BAD["empty.txt"] = (b"", r"empty")
    BAD["whitespace.txt"] = (b" \t\n\r\n\xe3\x80\x80\n  \n", r"whitespace|no text")
    # UTF-8 Chinese, then bytes valid in neither UTF-8 nor GB18030 (0xFF is never a lead byte)
    BAD["bad_encoding.txt"] = (seed_text(1).encode("utf-8")[:3000].rsplit(b"\n", 1)[0] + b"\n\xff\xfe\xfd\x80\n",
                               r"UTF-8")
    # a whole document whose last character is cut in the middle of its UTF-8 bytes
    BAD["truncated_utf8.txt"] = (seed_text(2).encode("utf-8") + "推".encode("utf-8")[:2], r"UTF-8")
    # control characters and NUL bytes at the top: binary, not a document
    BAD["control_chars.txt"] = ("一、总体\x00要求\x01\x02\x03\n（一）指导\x07思想\x1b[0m\n".encode("utf-8") * 20,
                                r"binary|control")

    GOOD["good_0.txt"] = SEEDS[0].read_bytes()
    GOOD["good_1.txt"] = SEEDS[1].read_bytes()
    GOOD["good_2.txt"] = SEEDS[2].read_bytes()
    GOOD["政策文件.txt"] = SEEDS[4].read_bytes()
    lines = ["多层嵌套测试文件", ""]
    for d in range(50):
        lines += [f"{NESTING[d % len(NESTING)]}层级{d}标题", "正文内容。"]
    GOOD["nesting_50.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    GOOD["numbering.txt"] = NUMBERING.encode("utf-8")
    GOOD["brackets.txt"] = BRACKETS.encode("utf-8")
    # A real document with a few stray control characters: under the binary threshold, so it is
    # parsed (and JSON escapes the characters).
    t = seed_text(3)
    GOOD["stray_controls.txt"] = (t[:6000] + "\x07" + t[6000:9000] + "\x0b" + t[9000:]).encode("utf-8")
    # ... but a NUL is binary wherever it stands, not only in the first 4,096 characters (#9)
    BAD["late_nul.txt"] = ((t[:6000] + "\x00" + t[6000:]).encode("utf-8"), r"binary data \(a NUL character at 6000\)")


_build_cases()

# Arguments that fail before reading: (argument, regex the cause must match)
BAD_ARGS = {
    "no_texts_dir": r"no supported files \(\.txt, ",
    "missing.txt": r"no such file",
    "symlink_loop.txt": r"symbolic links|loop",
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A folder with every case; the argument list interleaves good and bad inputs."""
    d = tmp_path_factory.mktemp("batch")
    for name, (data, _) in BAD.items():
        (d / name).write_bytes(data)
    for name, data in GOOD.items():
        (d / name).write_bytes(data)
    (d / "no_texts_dir").mkdir()
    (d / "no_texts_dir" / "notes.md").write_text("not a .txt\n", encoding="utf-8")
    os.symlink("symlink_loop_b.txt", d / "symlink_loop.txt")
    os.symlink("symlink_loop.txt", d / "symlink_loop_b.txt")
    # a folder holding a good file, a looping pair of symlinks and a link back to its parent
    loopdir = d / "loopdir"
    loopdir.mkdir()
    (loopdir / "inside.txt").write_bytes(SEEDS[3].read_bytes())
    os.symlink("x.txt", loopdir / "y.txt")
    os.symlink("y.txt", loopdir / "x.txt")
    os.symlink("..", loopdir / "up")
    good = list(GOOD) + ["loopdir/inside.txt"]
    bad = list(BAD) + list(BAD_ARGS)
    args = []
    # interleave so every bad input sits between good ones
    for i in range(max(len(good), len(bad))):
        if i < len(good):
            args.append(good[i] if good[i] != "loopdir/inside.txt" else "loopdir")
        if i < len(bad):
            args.append(bad[i])
    expected_good = [g for g in (a if a != "loopdir" else "loopdir/inside.txt" for a in args) if g in good]
    return {"dir": d, "args": args, "good": expected_good, "bad": bad}


_runs: dict[tuple, subprocess.CompletedProcess] = {}


def run_batch(batch, jobs: int, out_name: str, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    key = (str(batch["dir"]), jobs, out_name, extra)
    out = batch["dir"].parent / f"{batch['dir'].name}-{out_name}"
    if key not in _runs:
        _runs[key] = cli("parse", *batch["args"], "--out", out, "--jobs", jobs, "--quiet", *extra, cwd=batch["dir"])
    return _runs[key], out


@pytest.fixture(scope="module", params=[1, 2], ids=["jobs1", "jobs2"])
def batch_run(request, batch):
    proc, out = run_batch(batch, request.param, f"out-j{request.param}")
    return {"proc": proc, "out": out, "jobs": request.param, **batch}


def test_batch_exit_status_is_1_and_no_traceback(batch_run):
    proc = batch_run["proc"]
    assert proc.returncode == 1, proc.stderr
    assert TRACEBACK not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("name", list(BAD) + list(BAD_ARGS))
def test_bad_input_gives_one_line_naming_file_and_cause(batch_run, name):
    lines = [line for line in stderr_lines(batch_run["proc"]) if name in line]
    assert len(lines) == 1, f"expected one stderr line naming {name}, got {lines}\n{batch_run['proc'].stderr}"
    cause = BAD[name][1] if name in BAD else BAD_ARGS[name]
    assert re.search(cause, lines[0], re.I), lines[0]
    assert not (batch_run["out"] / (Path(name).stem + ".json")).exists()


def test_stderr_has_nothing_but_error_lines_and_the_count(batch_run):
    lines = stderr_lines(batch_run["proc"])
    bad = batch_run["bad"]
    other = [line for line in lines if not any(name in line for name in bad)]
    assert other == [f"{len(bad)} input(s) failed"], batch_run["proc"].stderr


@pytest.mark.parametrize("name", list(GOOD) + ["loopdir/inside.txt"])
def test_good_inputs_in_a_bad_batch_are_complete(batch_run, name):
    data = check_output(batch_run["out"] / (Path(name).stem + ".json"))
    assert data["source"] == name
    assert data["sections"], f"{name}: no sections found"


def test_outputs_are_exactly_the_good_inputs_and_no_temp_files(batch_run):
    out = batch_run["out"]
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(g).stem + ".json" for g in batch_run["good"])
    assert no_temp_files(out) == []


def test_case_details(batch_run):
    out = batch_run["out"]
    nest = json.loads((out / "nesting_50.json").read_text(encoding="utf-8"))

    def walk(sections, depth=1):
        for s in sections:
            assert s["depth"] == depth == len(s["path"])
            yield s
            yield from walk(s["children"], depth + 1)

    sections = list(walk(nest["sections"]))
    assert len(sections) == 50
    # depth comes from the order in which styles open: never deeper than the styles used
    assert max(s["depth"] for s in sections) == len(NESTING)
    numbering = json.loads((out / "numbering.json").read_text(encoding="utf-8"))
    assert {"repeat", "gap", "out_of_order"} <= {w["kind"] for w in numbering["warnings"]}
    stray = json.loads((out / "stray_controls.json").read_text(encoding="utf-8"))
    assert stray["encoding"] == "utf-8"
    text = GOOD["stray_controls.txt"].decode("utf-8")
    for s in stray["sections"]:
        a, b = s["title_span"]
        assert text[a:b] == s["title"]


def test_reruns_are_byte_identical(batch):
    first, out1 = run_batch(batch, 1, "out-j1")
    again, out2 = run_batch(batch, 1, "out-j1-again")
    parallel, out3 = run_batch(batch, 2, "out-j2")
    assert first.returncode == again.returncode == parallel.returncode == 1
    names = sorted(p.name for p in out1.iterdir())
    assert names == sorted(p.name for p in out2.iterdir()) == sorted(p.name for p in out3.iterdir())
    for n in names:
        b1 = (out1 / n).read_bytes()
        assert b1 == (out2 / n).read_bytes(), f"{n} differs between two runs"
        assert b1 == (out3 / n).read_bytes(), f"{n} differs between --jobs 1 and --jobs 2"
    assert first.stderr == again.stderr == parallel.stderr


def test_stdout_keeps_input_order_with_jobs_2(batch):
    # A big document first, so the second worker finishes the small ones before it.
    d = batch["dir"]
    big = d / "big_first.txt"
    if not big.exists():
        big.write_text("\n\n".join(seed_text(i) for i in range(15)), encoding="utf-8")
    args = ["big_first.txt"] + batch["args"]
    want = ["big_first.txt"] + batch["good"]
    j2 = cli("parse", *args, "--out", "-", "--jobs", 2, "--quiet", cwd=d)
    assert j2.returncode == 1
    docs = [json.loads(line) for line in j2.stdout.splitlines()]
    assert [doc["source"] for doc in docs] == want
    j1 = cli("parse", *args, "--out", "-", "--jobs", 1, "--quiet", cwd=d)
    assert j1.stdout == j2.stdout
    assert j1.stderr == j2.stderr


# ---- big inputs -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """One --jobs 2 run: a ~5 MB single line and a million short lines, side by side."""
    d = tmp_path_factory.mktemp("big")
    flat = "".join(seed_text(i).replace("\r", "").replace("\n", "") for i in range(len(SEEDS)))
    reps = 5 * 1024 * 1024 // len(flat.encode("utf-8")) + 1
    (d / "one_line_5mb.txt").write_text(flat * reps, encoding="utf-8")
    with open(d / "million_lines.txt", "w", encoding="utf-8") as fh:
        fh.write("一百万行短文本\n\n")
        fh.writelines(f"第{i}行。\n" if i % 2 else "短行\n" for i in range(1_000_000))
    (d / "small.txt").write_bytes(SEEDS[0].read_bytes())
    out = d / "out"
    proc = cli("parse", "one_line_5mb.txt", "million_lines.txt", "small.txt", "--out", out, "--jobs", 2, "--quiet",
               cwd=d, timeout=180)
    return {"proc": proc, "out": out, "dir": d}


def test_big_inputs_parse(big_run):
    proc = big_run["proc"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    for name in ("one_line_5mb", "million_lines", "small"):
        check_output(big_run["out"] / f"{name}.json")
    assert no_temp_files(big_run["out"]) == []


def test_million_lines_counted(big_run):
    data = json.loads((big_run["out"] / "million_lines.json").read_text(encoding="utf-8"))
    assert data["title"] == "一百万行短文本"
    assert len(data["preamble"]) > 1_000_000


def test_many_short_lines_do_not_become_the_title():
    from policyparse import parse_text

    text = "".join("短行文本\n" for _ in range(1000))
    doc = parse_text(text)
    assert doc.title is None or len(doc.title) <= 200, f"a title of {len(doc.title)} characters"


def test_many_targets_parse_in_linear_time():
    """Ten times the targets cost about ten times the time (a ratio, measured in one process, best
    of three each, so a loaded machine slows both sizes alike); quadratic work would give ~100."""
    import time

    from policyparse.pipeline import parse_record

    def best(n):
        text = "目标\n\n" + "达到50%。\n" * n
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            record = parse_record(text)
            times.append(time.perf_counter() - t0)
        assert len(record["targets"]) == n
        return min(times)

    small, large = best(1_500), best(15_000)
    assert large / small < 25, f"15,000 targets took {large / small:.1f}x the time of 1,500 (linear: ~10x)"


def test_short_truncated_utf8_is_not_read_as_gb18030(tmp_path):
    p = tmp_path / "short.txt"
    p.write_bytes("推进改革".encode("utf-8") + "推".encode("utf-8")[:2])
    proc = cli("parse", p, "--out", "-", "--jobs", 1, "--quiet")
    assert proc.returncode == 1, proc.stdout[:200]
    assert "UTF-8" in proc.stderr


# ---- usage errors, internal errors, --debug ------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["parse", "--bogus", "x.txt"],
    ["parse", "x.txt", "--jobs", "-1"],
    ["parse", "x.txt", "--format", "xml"],
    ["parse"],
    ["frobnicate"],
], ids=["unknown_option", "negative_jobs", "bad_format", "no_paths", "unknown_command"])
def test_usage_error_exits_2(tmp_path, args):
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert TRACEBACK not in proc.stderr
    assert "Usage" in proc.stderr or "Error" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_only_missing_inputs_exit_1(tmp_path):
    proc = cli("parse", "nope.txt", "nope2.txt", "--out", tmp_path / "out", "--quiet", cwd=tmp_path)
    assert proc.returncode == 1
    assert TRACEBACK not in proc.stderr
    assert len([line for line in stderr_lines(proc) if "nope" in line]) == 2


# Run the real CLI in a subprocess with pipeline.parse_record (what the CLI calls) made to fail
# for one file: an internal error.
_INJECT = """
import sys
import policyparse.pipeline as pl
_orig = pl.parse_record
def parse_record(text, source="<text>", encoding="str", **kw):
    if source.endswith("boom.txt"):
        raise {exc}("injected fault")
    return _orig(text, source=source, encoding=encoding, **kw)
pl.parse_record = parse_record
sys.argv = ["policyparse"] + sys.argv[1:]
from policyparse.cli import main
main()
"""


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("exc, cause", [("ValueError", "internal error: ValueError: injected fault"),
                                        ("RecursionError", "internal error: nesting too deep")],
                         ids=["ValueError", "RecursionError"])
def test_internal_error_one_line_traceback_only_with_debug(tmp_path, jobs, exc, cause):
    (tmp_path / "boom.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "fine.txt").write_bytes(SEEDS[1].read_bytes())
    code = _INJECT.format(exc=exc)

    def run(*extra):
        return subprocess.run([sys.executable, "-c", code, "parse", "boom.txt", "fine.txt", "--out", "out",
                               "--jobs", str(jobs), "--quiet", *extra],
                              cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=60)

    plain = run()
    assert plain.returncode == 1
    assert TRACEBACK not in plain.stderr
    lines = [line for line in stderr_lines(plain) if "boom.txt" in line]
    assert len(lines) == 1 and cause in lines[0], plain.stderr
    check_output(tmp_path / "out" / "fine.json")
    debug = run("--debug")
    assert debug.returncode == 1
    assert TRACEBACK in debug.stderr and "injected fault" in debug.stderr


# ---- unreadable files -----------------------------------------------------------------------------

def _drop_dac_caps() -> None:  # runs in the child before exec: root loses the right to ignore modes
    libc = ctypes.CDLL(None, use_errno=True)
    PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unreadable_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "fine.txt").write_bytes(SEEDS[1].read_bytes())
    secret.chmod(0)
    preexec = None
    try:
        if os.access(secret, os.R_OK):
            # Root reads anything. Drop CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH in the child instead.
            probe = subprocess.run([sys.executable, "-c", f"import os; print(os.access({str(secret)!r}, os.R_OK))"],
                                   capture_output=True, text=True, preexec_fn=_drop_dac_caps)
            if probe.returncode != 0 or probe.stdout.strip() != "False":
                pytest.skip("running as root and the file stays readable (cannot drop capabilities here)")
            preexec = _drop_dac_caps
        proc = cli("parse", "secret.txt", "fine.txt", "--out", "out", "--jobs", 1, "--quiet", cwd=tmp_path,
                   preexec_fn=preexec)
    finally:
        secret.chmod(0o644)
    assert proc.returncode == 1, proc.stderr
    assert TRACEBACK not in proc.stderr
    lines = [line for line in stderr_lines(proc) if "secret.txt" in line]
    assert len(lines) == 1 and "permission denied" in lines[0].lower(), proc.stderr
    check_output(tmp_path / "out" / "fine.json")
    assert not (tmp_path / "out" / "secret.json").exists()


# ---- file names and output files ------------------------------------------------------------------

def test_error_line_names_a_file_with_brackets(tmp_path):
    (tmp_path / "notes[v2].txt").write_bytes(b"")
    proc = cli("parse", "notes[v2].txt", "--out", "out", "--jobs", 1, "--quiet", cwd=tmp_path)
    assert proc.returncode == 1
    assert any("notes[v2].txt" in line for line in stderr_lines(proc)), proc.stderr


def test_summary_table_survives_markup_in_a_path(tmp_path):
    (tmp_path / "x[").mkdir()
    (tmp_path / "x[" / "y].txt").write_bytes(SEEDS[1].read_bytes())
    proc = cli("parse", "x[/y].txt", "--out", "out", "--jobs", 1, cwd=tmp_path)
    assert TRACEBACK not in proc.stderr
    assert proc.returncode == 0


def test_output_files_follow_the_umask(tmp_path):
    (tmp_path / "a.txt").write_bytes(SEEDS[1].read_bytes())
    proc = cli("parse", "a.txt", "--out", "out", "--jobs", 1, "--quiet", cwd=tmp_path,
               preexec_fn=lambda: os.umask(0o022))
    assert proc.returncode == 0
    assert (tmp_path / "out" / "a.json").stat().st_mode & 0o777 == 0o644
