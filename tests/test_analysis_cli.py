"""`duties`, `check` and `diff` on the command line (typer's CliRunner): formats, exit codes,
usage errors, and every JSON output against its schema."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from policyparse.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SEED4 = REPO / "seeds" / "004_1ecdd285c2b66f00.txt"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def validator(name: str):
    return jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")))


def valid(data, schema: str):
    errors = list(validator(schema).iter_errors(data))
    assert not errors, errors[0].message


@pytest.mark.parametrize("command", ["duties", "check", "diff"])
def test_help_teaches(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"policyparse {command} " in result.stdout


# ---- duties --------------------------------------------------------------------------------------------

def test_duties_json_rows_validate():
    result = run("duties", SEED4, "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["role"] for r in rows} == {"responsible"}
    for r in rows:
        valid(r, "duty_row.schema.json")


def test_duties_unit_filter_by_alias_and_csv_for_excel():
    result = run("duties", SEED4, "--unit", "发改委", "--format", "csv", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows and all(r["unit"] == "市发展改革委" for r in rows)
    assert rows[0]["section"].startswith("三、 > ") and rows[0]["span_start"].isdigit()


def test_duties_matrix_json_and_csv():
    result = run("duties", SEED4, "--matrix", "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    valid(m, "duty_matrix.schema.json")
    assert all(len(r["cells"]) == len(m["columns"]) for r in m["rows"])
    assert {c for r in m["rows"] for c in r["cells"]} <= {"", "负责"}
    result = run("duties", SEED4, "--matrix", "--format", "csv", "--jobs", "1")
    header = next(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert header[0] == "unit" and len(header) == len(m["columns"]) + 1
    assert run("duties", SEED4, "--matrix", "--format", "jsonl").exit_code == 2


def test_duties_user_aliases(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("canonical,aliases\n工信部门,市工业和信息化局\n", encoding="utf-8")
    result = run("duties", SEED4, "--aliases", aliases, "--unit", "工信部门", "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {(r["unit"], r["unit_as_written"]) for r in rows} == {("工信部门", "市工业和信息化局")}
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [x]\nb: [x]\n", encoding="utf-8")
    result = run("duties", SEED4, "--aliases", bad)
    assert result.exit_code == 2 and "given for both" in result.output


def test_duties_reads_parse_json(tmp_path):
    out = tmp_path / "out"
    assert run("parse", SEED4, "--out", out, "--quiet").exit_code == 0
    from_json = json.loads(run("duties", out, "--format", "json", "--jobs", "1").stdout)
    from_text = json.loads(run("duties", SEED4, "--format", "json", "--jobs", "1").stdout)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "document"} for r in rows]  # noqa: E731
    assert strip(from_json) == strip(from_text)


# ---- check ---------------------------------------------------------------------------------------------

def test_check_seed_004_reports_the_missing_four_and_exits_1():
    result = run("check", SEED4, "--jobs", "1")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{SEED4}:39:1: gap: '五、' follows '三、': number 4 is missing" in lines
    assert any(": draft: " in line for line in lines)


def test_check_clean_text_prints_nothing_and_exits_0(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("关于加快发展数字经济的实施意见\n一、总体要求\n（一）指导思想。坚持创新驱动。\n二、重点任务\n"
                     "（一）建设平台。到2025年建成创新平台10个。（责任单位：市科技局）\n", encoding="utf-8")
    result = run("check", clean)
    assert result.exit_code == 0 and result.output == ""


def test_check_json_select_ignore(tmp_path):
    result = run("check", SEED4, "--format", "json", "--jobs", "1")
    findings = json.loads(result.stdout)
    assert result.exit_code == 1 and {f["kind"] for f in findings} == {"gap", "draft"}
    for f in findings:
        valid(f, "finding.schema.json")
    only = json.loads(run("check", SEED4, "-f", "json", "--select", "draft").stdout)
    assert {f["kind"] for f in only} == {"draft"}
    result = run("check", SEED4, "--ignore", "gap,draft")
    assert result.exit_code == 0 and result.stdout == ""
    assert run("check", SEED4, "--select", "nonsense").exit_code == 2
    assert run("check", tmp_path / "missing.txt").exit_code == 2
    parsed = tmp_path / "004.json"
    parsed.write_text(run("parse", SEED4, "--out", "-").stdout, encoding="utf-8")
    result = run("check", parsed)
    assert result.exit_code == 2 and "not parse JSON" in result.output


def test_check_across(tmp_path):
    a, b = tmp_path / "province.txt", tmp_path / "city.txt"
    a.write_text("一、发展目标\n到2025年，新能源汽车保有量达到50万辆。\n", encoding="utf-8")
    b.write_text("一、发展目标\n到2025年，新能源汽车保有量达到60万辆。\n", encoding="utf-8")
    assert run("check", a, b, "--jobs", "1").exit_code == 0
    result = run("check", "--across", a, b, "--jobs", "1", "-f", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["kind"] for f in findings] == ["across_value", "across_value"]


# ---- diff ----------------------------------------------------------------------------------------------

def test_diff_exit_codes_and_json(tmp_path):
    old = SEED4.read_text(encoding="utf-8-sig")
    same = tmp_path / "same.txt"
    same.write_text(old.replace("\n", "\r\n\r\n"), encoding="utf-8")
    result = run("diff", SEED4, same)
    assert result.exit_code == 0 and result.stdout == ""
    edited = tmp_path / "edited.txt"
    edited.write_text(old.replace("（责任单位：市工业和信息化局、市科技局、市发展改革委）",
                                  "（责任单位：市工业和信息化局、市发展改革委）", 1), encoding="utf-8")
    result = run("diff", SEED4, edited)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [f"--- {SEED4}", f"+++ {edited}", "changed units 三、（一）1． (responsible)"]
    changes = json.loads(run("diff", SEED4, edited, "--format", "json").stdout)
    assert [(c["change"], c["what"]) for c in changes] == [("changed", "units")]
    for c in changes:
        valid(c, "change.schema.json")
    assert run("diff", SEED4, tmp_path / "missing.txt").exit_code == 2


def test_duties_and_check_read_a_word_file(tmp_path):
    """Any format the readers know: a .docx written with python-docx."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in ["关于推进数字化转型的实施方案", "（征求意见稿）", "一、重点任务",
                 "（一）建设平台。到2025年建成工业互联网平台10个。（牵头单位：市工信局；配合单位：市发改委）"]:
        d.add_paragraph(line)
    path = tmp_path / "plan.docx"
    d.save(path)
    rows = json.loads(run("duties", path, "--format", "json", "--jobs", "1").stdout)
    assert [(r["role"], r["unit"], r["unit_as_written"], r["targets"]) for r in rows] == [
        ("lead", "市工业和信息化局", "市工信局", ["10个"]), ("support", "市发展改革委", "市发改委", ["10个"])]
    result = run("check", path, "--jobs", "1")
    assert result.exit_code == 1 and f"{path}:2:2: draft: " in result.stdout
