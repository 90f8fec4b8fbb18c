"""What a command loads before it works: a one-file parse and --help stay free of pydantic (typer's
coercion is replaced, cli/coercion.py) and of rich (the console is made on first use, and the
summary off a terminal is printed by cli/common.py's plain_table, the same text rich prints)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from policyparse.cli import parse as parse_cli
from policyparse.cli.common import _WIDE, _cell_width

REPO = Path(__file__).resolve().parent.parent
SEED = sorted((REPO / "seeds").glob("*.txt"))[0]

_PROBE = """
import json, sys, re, pathlib
# compiled before the file can be loaded: the probe's own (json) and those of pathlib, which the
# loader itself imports (urllib.parse's)
before = set(re._cache)
sys.argv = ["policyparse"] + json.loads(sys.argv[1])
from policyparse.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
sys.stderr.write("\\nALL " + json.dumps(sorted(sys.modules)) + "\\n")
from policyparse.patterns import precompiled
known = {**precompiled._stdlib_engine.known, **precompiled._stdlib_engine.new} if precompiled._stdlib_engine else {}
unstored = sorted(p for (t, p, f) in re._cache if t is str and (p, f) not in known and (t, p, f) not in before)
sys.stderr.write("\\nSTATS " + json.dumps({**precompiled.stats, "unstored": unstored}) + "\\n")
"""


def _modules_loaded(args, cwd, **env):
    env = {**{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")},
           "POLICYPARSE_NO_CACHE": "1", **env}
    res = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], capture_output=True, text=True,
                         cwd=cwd, env=env, timeout=120)
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("MODULES ")]
    assert line, res.stderr
    return set(json.loads(line[-1][len("MODULES "):])), res


@pytest.mark.parametrize("args, absent", [
    (["parse", str(SEED), "--out", "OUT"], {"pydantic", "pydantic_core", "rich"}),
    (["parse", str(SEED), "--out", "OUT", "--jobs", "1", "--timeout", "30", "-f", "json", "--max-size", "5"],
     {"pydantic", "pydantic_core", "rich"}),
    (["--help"], {"pydantic", "pydantic_core", "rich"}),
    (["parse", "--help"], {"pydantic", "pydantic_core", "rich"}),
    (["targets", "--year", "2015", str(SEED), "--format", "json"], {"pydantic", "pydantic_core"}),
], ids=["one-file", "one-file-options", "help", "parse-help", "targets"])
def test_what_start_up_does_not_load(args, absent, tmp_path):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    loaded, res = _modules_loaded(args, tmp_path)
    assert not loaded & absent, f"{args} imported {loaded & absent}"
    if args[0] == "parse" and "--help" not in args:
        assert (tmp_path / "out" / (SEED.stem + ".json")).is_file(), res.stderr
        assert "total: 1 parsed" in res.stderr


def test_a_one_file_parse_loads_its_command_alone(tmp_path):
    """Only cli/parse.py of the ten command modules; with the cache off nothing is hashed (no
    hashlib, i.e. no OpenSSL), and a plain path needs neither glob nor importlib.resources."""
    _, res = _modules_loaded(["parse", str(SEED), "--out", str(tmp_path / "out")], tmp_path)
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("ALL ")][-1]
    loaded = set(json.loads(line[len("ALL "):]))
    from policyparse.cli import COMMANDS

    assert {f"policyparse.cli.{c}" for c in COMMANDS} & loaded == {"policyparse.cli.parse"}
    unwanted = {"hashlib", "glob", "importlib.resources"}
    assert not loaded & unwanted, loaded & unwanted
    assert (tmp_path / "out" / (SEED.stem + ".json")).is_file(), res.stderr


def test_the_whole_app_lists_the_commands_in_order_whatever_loaded_first():
    """app_for(["schema"]) loads schema's module first; the whole app, made after, still lists
    (and --help shows) the commands in COMMANDS' order."""
    code = ("from typer.main import get_command\n"
            "from policyparse.cli import COMMANDS, app_for, whole_app\n"
            "assert list(get_command(app_for(['schema'])).commands) == ['schema']\n"
            "print(list(get_command(whole_app()).commands) == COMMANDS)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "True", res.stderr


def test_the_probe_sees_what_is_imported(tmp_path):
    """A usage error is worded by typer's pydantic layer, FORCE_COLOR makes rich print the summary:
    the probe must notice both imports (so the test above can fail)."""
    loaded, res = _modules_loaded(["parse", str(SEED), "--jobs", "x"], tmp_path)
    assert "pydantic" in loaded and "'x' is not a whole number" in res.stderr
    loaded, res = _modules_loaded(["parse", str(SEED), "--out", str(tmp_path / "o")], tmp_path, FORCE_COLOR="1")
    assert "rich" in loaded and "\x1b[" in res.stderr


# ---- the summary without rich: the same text ------------------------------------------------------

def test_cell_widths_are_richs():
    from rich.cells import cell_len

    for lo, hi in ((0x20, 0x7E), *_WIDE):
        for o in range(lo, hi + 1):
            assert _cell_width(chr(o)) == cell_len(chr(o)), hex(o)
    for ch in "é\u3000😀\t\x1b\u200b\u0301":
        assert _cell_width(ch) is None


def _summary(rows, *, use_rich: bool) -> str:
    """What _summary_table writes to a (non-terminal, UTF-8) stderr: by plain_table, or by rich."""
    import io
    from unittest import mock

    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    with mock.patch.object(sys, "stderr", err), mock.patch.dict(os.environ, env, clear=True):
        if use_rich:
            with mock.patch.object(parse_cli, "plain_table", lambda *a, **k: None):
                parse_cli._summary_table(_Unused(), rows)
        else:
            parse_cli._summary_table(_Unused(), rows)
        err.flush()
    return err.buffer.getvalue().decode("utf-8")


class _Unused:
    def print(self, *a, **k):
        raise AssertionError("off a terminal the summary makes its own console")


# mostly names plain_table prints, some that it leaves to rich (é, emoji, U+3000, ":x:" emoji codes)
NAME = st.one_of(st.text(alphabet="ab/._- 0:[]\\市发改委（）：，", min_size=1, max_size=12),
                 st.text(alphabet="ab/:é😀\u3000", min_size=1, max_size=6))
ROW = st.one_of(st.none(), st.fixed_dictionaries({
    "encoding": st.sampled_from(["utf-8", "gb18030", "utf-16", "docx"]),
    **{c: st.integers(0, 12000) for c in parse_cli.COUNTS},
    "output": NAME,
}))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NAME, ROW), max_size=parse_cli.SUMMARY_ROWS_MAX + 4))
def test_summary_off_a_terminal_is_what_rich_prints(rows):
    assert _summary(rows, use_rich=False) == _summary(rows, use_rich=True)


def test_summary_plain_path_is_taken_for_ordinary_names(monkeypatch):
    rows = [("seeds/一.txt", {"encoding": "utf-8", "sections": 3, "units": 1, "targets": 20, "warnings": 0,
                              "output": "out/一.json"}), ("missing.txt", None)]
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.setitem(sys.modules, name, None)        # any rich import would fail
    err = _summary(rows, use_rich=False)
    assert err.splitlines() == [
        "document                  ┃ encoding ┃ sections ┃ units ┃ targets ┃ warnings ┃ output     ",
        "━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━",
        "seeds/一.txt              │ utf-8    │        3 │     1 │      20 │        0 │ out/一.json",
        "missing.txt               │ failed   │          │       │         │          │            ",
        "──────────────────────────┼──────────┼──────────┼───────┼─────────┼──────────┼────────────",
        "total: 1 parsed, 1 failed │          │        3 │     1 │      20 │        0 │            ",
    ]


# ---- one command built, not ten: the same help and the same errors -------------------------------

@pytest.mark.parametrize("name", __import__("policyparse.cli", fromlist=["COMMANDS"]).COMMANDS)
def test_a_named_command_behaves_as_in_the_whole_app(name, tmp_path):
    from typer.main import get_command
    from typer.testing import CliRunner

    from policyparse.cli import app, app_for

    only = app_for([name])
    assert only is not app and list(get_command(only).commands) == [name]
    runner = CliRunner()
    for args in ([name, "--help"], [name, "--no-such-option"], [name, "--format"], [name, "-j", "x"],
                 [name, str(tmp_path / "missing.txt"), "--quiet"]):
        whole, alone = runner.invoke(app, args), runner.invoke(only, args)
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output), args


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["nonsense"], ["-h", "parse"]])
def test_other_arguments_get_the_whole_app(args, monkeypatch):
    from policyparse.cli import app, app_for

    assert app_for(args) is app
    monkeypatch.setenv("_POLICYPARSE_COMPLETE", "complete_bash")
    assert app_for(["parse"]) is app


def test_command_signatures_are_not_strings():
    """typer evaluates string annotations (from __future__ import annotations) on every start."""
    import inspect

    from policyparse.cli import app

    callbacks = [c.callback for c in app.registered_commands] + [app.registered_callback.callback]
    assert len(callbacks) == 11
    for cb in callbacks:
        strings = {k: v for k, v in inspect.get_annotations(cb).items() if isinstance(v, str)}
        assert not strings, f"{cb.__module__}.{cb.__name__}: {strings}"


@pytest.mark.parametrize("args", [["parse", str(SEED), "--out", "OUT"], ["--help"]], ids=["one-file", "help"])
def test_a_warm_start_compiles_no_pattern_and_imports_no_regex_parser(args, tmp_path):
    """With the compiled-pattern file written by a first run, a second run builds every pattern
    from it: ours by regex's C module alone (no regex._main, patterns/rx.py), and the stdlib
    patterns typer and the modules it imports compile, the file being loaded before typer is
    imported (cli/__init__.py)."""
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    env = {"POLICYPARSE_PATTERN_CACHE": str(tmp_path / "patterns.marshal")}
    _modules_loaded(args, tmp_path, **env)
    _, res = _modules_loaded(args, tmp_path, **env)
    every = json.loads(next(ln for ln in res.stderr.splitlines() if ln.startswith("ALL "))[4:])
    stats = json.loads(next(ln for ln in res.stderr.splitlines() if ln.startswith("STATS "))[6:])
    assert "regex._main" not in every and "typer" in every
    assert stats["compiled"] == 0 and stats["loaded"] > (100 if args[0] == "parse" else 20), stats
    assert stats["unstored"] == []   # no stdlib pattern was compiled before the file was loaded
