"""The command line as users of sqlite-utils, csvkit and jc expect it (issue #11): help, --out
checked first, the summary, CSV one value per cell, a schema for every output, messages in the
CLI's own words, a self-contained repository. Each behaviour asserted exactly, exit codes included."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from policyparse.cli import COMMANDS, app

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, prog_name="policyparse", **kwargs)


def cli(*args, cwd=None):
    """The installed command in a subprocess: stderr is a pipe (a file), not a terminal."""
    return subprocess.run([sys.executable, "-m", "policyparse", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "COLUMNS": "80"}, stdin=subprocess.DEVNULL)


# ---- 1. help ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS], ids=["root"] + COMMANDS)
def test_dash_h_is_help(command):
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout
    assert short.stdout.startswith("Usage: policyparse")


@pytest.mark.parametrize("command, usage", [
    ("parse", "Usage: policyparse parse [OPTIONS] PATHS..."),
    ("targets", "Usage: policyparse targets [OPTIONS] [PATHS]..."),
])
def test_arguments_show_as_written(command, usage):
    out = run(command, "--help").stdout
    assert out.splitlines()[0] == usage
    assert "<list[str]>" not in out and "{paths}" not in out and "{PATHS" not in out
    assert re.search(r"^  \[?PATHS\]?\.\.\.  ", out, re.M), out


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS], ids=["root"] + COMMANDS)
def test_help_examples_are_not_wrapped(command):
    """Every example line of the docstring stands whole on one line of the help at 80 columns."""
    from policyparse.cli.root import app as typer_app

    out = run(*command, "--help", env={"COLUMNS": "80"}).stdout
    examples = [line.strip() for line in out.splitlines() if line.strip().startswith("policyparse ")]
    assert examples, "every command's help shows examples"
    source = typer_app.info.help if not command else _docstring(command[0])
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("policyparse "):
            assert line in examples, f"example wrapped or missing in --help: {line}"


def _docstring(name):
    """The docstring of the function registered as command `name` (eval's is `eval_`: no builtin shadowed)."""
    from policyparse.cli import app as typer_app

    (callback,) = [c.callback for c in typer_app.registered_commands if (c.name or c.callback.__name__) == name]
    return callback.__doc__


def test_completion_is_offered():
    out = run("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out


# ---- 2. --out checked before any parsing -----------------------------------------------------------

def test_out_that_is_a_file_is_one_usage_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    res = cli("parse", *SEEDS, "--out", target)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [f"error: --out {target}: is a file, not a folder (name a folder, or '-' for stdout)"]
    assert target.read_text() == "x"


def test_out_below_a_file_is_one_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    res = cli("parse", SEEDS[0], "--out", tmp_path / "f" / "sub")
    assert res.returncode == 2
    assert res.stderr.count("error") == 1 and "cannot create a folder under the file" in res.stderr
    assert "internal error" not in res.stderr


def test_out_is_not_created_before_inputs_are_known(tmp_path):
    res = cli("parse", tmp_path / "missing.txt", "--out", tmp_path / "new")
    assert res.returncode == 1
    assert not (tmp_path / "new").exists()


# ---- 3. the summary --------------------------------------------------------------------------------

def test_summary_has_a_totals_row(tmp_path):
    res = cli("parse", *SEEDS, tmp_path / "nope.txt", "--out", tmp_path / "o")
    assert res.returncode == 1
    docs = [json.loads((tmp_path / "o" / (s.stem + ".json")).read_text()) for s in SEEDS]
    total_targets = sum(len(d["targets"]) for d in docs)
    totals = [line for line in res.stderr.splitlines() if line.startswith("total:")]
    assert len(totals) == 1
    assert totals[0].startswith(f"total: {len(SEEDS)} parsed, 1 failed")
    assert f" {total_targets} " in totals[0]


def test_long_batches_show_failures_and_totals_only(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(35):
        (inputs / f"doc{i:02d}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
    (inputs / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    res = cli("parse", inputs, "--out", tmp_path / "o", "--jobs", "1")
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert not any("doc07.txt" in line for line in lines)          # no row per parsed file
    assert sum("bad.txt" in line for line in lines) == 2           # its error line and its row
    assert any(line.startswith("total: 35 parsed, 1 failed") for line in lines)


def test_paths_are_not_folded_off_a_terminal(tmp_path):
    deep = tmp_path / ("一个很长的文件夹名" * 8) / ("another-long-folder-name" * 3)
    deep.mkdir(parents=True)
    doc = deep / "plan.txt"
    doc.write_bytes(SEEDS[0].read_bytes())
    res = cli("parse", doc, "--out", tmp_path / "o")
    assert res.returncode == 0, res.stderr
    assert any(str(doc) in line for line in res.stderr.splitlines()), res.stderr


# ---- 4. CSV for spreadsheets -----------------------------------------------------------------------

def _csv(text):
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], rows[1:]


def test_parse_csv_is_one_row_per_section(tmp_path):
    res = cli("parse", *SEEDS[:2], "--format", "csv", "--out", "-", "--quiet")
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("\ufeff") == 1                          # one header for the stream
    header, body = _csv(res.stdout)
    assert header[:4] == ["document", "path", "label", "title"]
    assert "document" not in [r[0] for r in body]
    from policyparse import parse_file

    expected = [(str(p), " > ".join(s.path), s.title) for p in SEEDS[:2] for s in parse_file(p).iter_sections()]
    col = {n: header.index(n) for n in header}
    assert [(r[col["document"]], r[col["path"]], r[col["title"]]) for r in body] == expected


def test_parse_csv_files_carry_unit_notes(tmp_path):
    res = cli("parse", SEEDS[4], "--format", "csv", "--out", tmp_path, "--quiet")
    assert res.returncode == 0, res.stderr
    header, body = _csv((tmp_path / (SEEDS[4].stem + ".csv")).read_text(encoding="utf-8"))
    col = {n: header.index(n) for n in header}
    noted = [r for r in body if r[col["units_quote"]]]
    assert noted and all(r[col["responsible_units"]] or r[col["lead_units"]] for r in noted)
    assert all(int(r[col["span_start"]]) < int(r[col["span_end"]]) for r in body)


# ---- 5. a schema for every output ------------------------------------------------------------------

def test_target_rows_validate_against_their_schema():
    schema = json.loads((REPO / "schemas" / "target_row.schema.json").read_text(encoding="utf-8"))
    rows = json.loads(run("targets", *SEEDS, "--format", "json", "--quiet").stdout)
    assert rows
    validator = jsonschema.Draft202012Validator(schema)
    for row in rows:
        validator.validate(row)
    bad = dict(rows[0], value="many")
    assert list(validator.iter_errors(bad))


def test_targets_reads_json_with_fields_it_does_not_know(tmp_path):
    doc = json.loads(run("parse", SEEDS[4], "--out", "-", "--quiet").stdout)
    doc["added_later"] = {"x": 1}
    for t in doc["targets"]:
        t["confidence"] = 0.9
    for s in doc["sections"]:
        s["new_field"] = True
    (tmp_path / "newer.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    res = run("targets", tmp_path / "newer.json", "--format", "json", "--quiet")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == len(doc["targets"]) and "confidence" not in rows[0]


@pytest.mark.parametrize("damage, words", [
    (lambda d: d["targets"][0].pop("value"), "targets.0.value: a value is required"),
    (lambda d: d["targets"][0].__setitem__("year", "soon"), "targets.0.year: 'soon' is not a whole number"),
    (lambda d: d.pop("source"), "source: a value is required"),
], ids=["missing", "mistyped", "missing-top"])
def test_targets_rejects_missing_or_mistyped_fields(tmp_path, damage, words):
    doc = json.loads(run("parse", SEEDS[4], "--out", "-", "--quiet").stdout)
    damage(doc)
    (tmp_path / "bad.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    res = cli("targets", tmp_path / "bad.json", "--format", "json")
    assert res.returncode == 1
    assert f"not a policyparse JSON document: {words}" in res.stderr, res.stderr


def test_schema_to_stdout(tmp_path):
    res = cli("schema", "--out", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    schemas = json.loads(res.stdout)
    assert set(schemas) == {p.name for p in (REPO / "schemas").glob("*.schema.json")}
    assert not (tmp_path / "-").exists() and not (tmp_path / "schemas").exists()


def test_schema_outside_a_checkout_writes_nothing(tmp_path):
    res = cli("schema", cwd=tmp_path)
    assert res.returncode == 2
    assert "not in a policyparse checkout" in res.stderr
    assert list(tmp_path.iterdir()) == []


# ---- 6. messages for people ------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["parse", "x.txt", "--format", "nonsense"], "Invalid value for '--format' / '-f': 'nonsense' is not one of 'json', 'jsonl', 'yaml', 'csv'"),
    (["targets", "x.txt", "--year", "abc"], "Invalid value for '--year' / '-y': 'abc' is not a whole number"),
    (["parse", "x.txt", "--jobs", "-1"], "Invalid value for '--jobs' / '-j': -1 is too small: the smallest allowed is 0"),
    (["targets", "x.txt", "--format", "xml"], "Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'jsonl', 'csv', 'yaml'"),
])
def test_usage_errors_in_our_words(args, message):
    res = cli(*args)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines()[-1] == f"Error: {message}"
    assert "Input should" not in res.stderr and "Value error" not in res.stderr


@pytest.mark.parametrize("error, expected", [
    ({"type": "int_parsing", "input": "x1"}, "'x1' is not a whole number"),
    ({"type": "float_parsing", "input": "one"}, "'one' is not a number"),
    ({"type": "less_than_equal", "input": 12, "ctx": {"le": 9}}, "12 is too large: the largest allowed is 9"),
    ({"type": "enum", "input": "q", "ctx": {"expected": "'a' or 'b'"}}, "'q' is not one of: a, b"),
    ({"type": "value_error", "msg": "Value error, 'z' is not one of 'a', 'b'."}, "'z' is not one of 'a', 'b'"),
    ({"type": "something_new", "msg": "Input is odd"}, "Input is odd"),
])
def test_human_message_table(error, expected):
    from policyparse.cli.messages import human_message

    assert human_message(error) == expected


# ---- 7. a self-contained repository ----------------------------------------------------------------

def test_contract_is_in_the_repository():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert (REPO / "docs" / "CONTRACT.md").is_file()
    assert "(docs/CONTRACT.md)" in readme
    assert "../shared/CONTRACT.md" not in readme            # a fresh clone has no ../shared
    for field in ("source", "sections", "targets", "baseline_year", "responsible_units"):
        assert field in (REPO / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
