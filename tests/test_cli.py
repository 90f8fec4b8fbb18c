"""The command line, through typer's CliRunner (no subprocesses)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from policyparse import __version__, parse_file
from policyparse.cli import app

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SEED = SEEDS[4]  # 004: has a title, a status and units

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("command", [[], ["parse"], ["targets"], ["schema"]], ids=["root", "parse", "targets", "schema"])
def test_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert "Example" in result.stdout


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"policyparse {__version__}"


def test_no_arguments_shows_help():
    result = run()
    assert "Usage" in result.output


def test_parse_one_file_to_stdout():
    result = run("parse", SEED, "--out", "-", "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)              # exactly one JSON object, nothing else
    assert isinstance(data, dict)
    assert data["source"] == str(SEED)
    assert data["title"] == "深入推进新型工业化加快建设工业强市三年行动计划"
    assert data["status"] == "征求意见稿"
    assert "深入推进新型工业化" in result.stdout     # Chinese not \u-escaped
    assert "\\u" not in result.stdout
    assert data == parse_file(SEED).model_dump(mode="json")


def test_parse_several_files_to_stdout_is_json_lines():
    result = run("parse", *SEEDS, "--out", "-", "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(SEEDS)
    docs = [json.loads(line) for line in lines]
    assert [d["source"] for d in docs] == [str(p) for p in SEEDS]   # input order kept


def test_parse_yaml_to_stdout():
    result = run("parse", SEED, "--out", "-", "--format", "yaml", "--quiet")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["title"] == "深入推进新型工业化加快建设工业强市三年行动计划"
    assert "深入推进新型工业化" in result.stdout
    assert data == parse_file(SEED).model_dump(mode="json")


def test_parse_yaml_several_documents():
    result = run("parse", SEEDS[0], SEEDS[4], "--out", "-", "--format", "yaml", "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    docs = list(yaml.safe_load_all(result.stdout))
    assert [d["source"] for d in docs] == [str(SEEDS[0]), str(SEEDS[4])]


def test_parse_writes_files(tmp_path):
    out = tmp_path / "out"
    result = run("parse", *SEEDS, "--out", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == [p.stem + ".json" for p in SEEDS]          # no temporary files left behind
    for p in SEEDS:
        data = json.loads((out / f"{p.stem}.json").read_text(encoding="utf-8"))
        assert data == parse_file(p).model_dump(mode="json")
    assert result.stdout == ""                                   # the summary goes to stderr
    assert "sections" in result.stderr


def test_parse_jsonl_and_yaml_file_suffixes(tmp_path):
    assert run("parse", SEED, "--out", tmp_path, "--format", "jsonl", "-q").exit_code == 0
    assert run("parse", SEED, "--out", tmp_path, "--format", "yaml", "-q").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{SEED.stem}.jsonl", f"{SEED.stem}.yaml"]
    assert json.loads((tmp_path / f"{SEED.stem}.jsonl").read_text(encoding="utf-8").strip())["status"] == "征求意见稿"


def test_parse_same_stem_twice_is_refused_not_renamed(tmp_path):
    """Two files named alike share no output: the second is refused (issue #9: renaming by
    position, plan-2.json, overwrote a real plan-2.txt's output); their folder mirrors both."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "plan.txt").write_text(f"一、{d}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("parse", tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt", "--out", out, "-q", "-j", "1")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["plan.json"]
    assert "b/plan.txt: its output" in result.stderr and "is already" in result.stderr
    result = run("parse", tmp_path, "--out", out, "-q", "-j", "1")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == ["a/plan.json", "b/plan.json", "plan.json"]


def test_parse_missing_file_among_good_ones(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "does_not_exist.txt"
    result = run("parse", SEEDS[0], missing, SEEDS[1], "--out", out, "--quiet")
    assert result.exit_code == 1
    naming = [line for line in result.stderr.splitlines() if "does_not_exist.txt" in line]
    assert len(naming) == 1
    assert "no such file" in naming[0]
    assert sorted(p.name for p in out.iterdir()) == [SEEDS[0].stem + ".json", SEEDS[1].stem + ".json"]


def test_parse_unreadable_file_among_good_ones(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("parse", SEED, bad, "--out", "-", "--quiet", "--jobs", "2")
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[0])["source"] == str(SEED)
    errors = [line for line in result.stderr.splitlines() if "empty.txt" in line]
    assert len(errors) == 1 and "empty file" in errors[0]


def test_parse_only_missing_inputs(tmp_path):
    result = run("parse", tmp_path / "nope.txt", "--out", "-")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nope.txt" in result.stderr


def test_parse_gb18030_records_encoding(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes("一、总体要求\n（一）指导思想。围绕主题。\n".encode("gb18030"))
    result = run("parse", p, "--out", "-", "-q")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["encoding"] == "gb18030"
    assert data["sections"][0]["title"] == "总体要求"


def test_targets_json_is_a_list():
    result = run("targets", SEED, "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    for row in rows:
        assert row["document"] == str(SEED)
        assert {"raw", "value", "unit", "span", "section"} <= row.keys()


def test_targets_csv_has_bom_and_header():
    from policyparse.cli.targets import target_columns

    result = run("targets", SEED, "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(result.stdout[1:])))
    assert header == target_columns()
    assert header[:5] == ["document", "title", "section", "indicator", "raw"]


def test_targets_reads_parse_output(tmp_path):
    out = tmp_path / "out"
    assert run("parse", SEED, "--out", out, "-q").exit_code == 0
    from_json = run("targets", out, "--format", "json", "-q")
    from_text = run("targets", SEED, "--format", "json", "-q")
    assert from_json.exit_code == 0
    assert json.loads(from_json.stdout) == json.loads(from_text.stdout)


def test_targets_bad_json_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a document"}', encoding="utf-8")
    result = run("targets", bad, "--format", "json", "-q")
    assert result.exit_code == 1
    assert "not a policyparse JSON document" in result.stderr


def test_schema_check_ok():
    result = run("schema", "--check", "--out", REPO / "schemas")
    assert result.exit_code == 0, result.output


def test_schema_check_stale(tmp_path):
    assert run("schema", "--out", tmp_path).exit_code == 0
    assert run("schema", "--check", "--out", tmp_path).exit_code == 0
    (tmp_path / "document.schema.json").write_text("{}", encoding="utf-8")
    result = run("schema", "--check", "--out", tmp_path)
    assert result.exit_code == 1
    assert "document.schema.json" in result.stderr
