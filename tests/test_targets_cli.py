"""`policyparse targets` end to end, as a subprocess from the repository root.

    policyparse targets --year 2015 --format json seeds/*.txt
    policyparse targets --unit 工业和信息化 / --grep 商标 / --format csv
    policyparse parse seeds/*.txt --out TMP && policyparse targets TMP
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).parents[1]
SEEDS = sorted(str(p.relative_to(REPO)) for p in (REPO / "seeds").glob("*.txt"))  # what the shell expands seeds/*.txt to
TARGET_SCHEMA = json.loads((REPO / "schemas" / "target.schema.json").read_text(encoding="utf-8"))
ROW_EXTRAS = ("document", "title")  # what `targets` adds to each Target


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policyparse", *args],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def targets_json(*args: str, jobs: int = 1) -> list[dict]:
    """The filtered runs use one process (faster for five seeds); the reference run uses the pool,
    so comparing them also checks that both give the same rows in the same order."""
    res = cli("targets", "--format", "json", "--quiet", "--jobs", str(jobs), *args)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert isinstance(rows, list)
    return rows


@pytest.fixture(scope="module")
def all_rows() -> list[dict]:
    """Every target of every seed, unfiltered: the reference the filters are checked against."""
    rows = targets_json(*SEEDS, jobs=0)
    assert len(rows) > 50
    return rows


def test_year_filter_json(all_rows):
    rows = targets_json("--year", "2015", *SEEDS)
    assert len(rows) > 20
    assert all(r["year"] == 2015 for r in rows)
    assert rows == [r for r in all_rows if r["year"] == 2015]  # and none due in 2015 is dropped


def test_glob_given_literally_is_expanded(all_rows):
    """Without a shell (Windows, subprocess) the CLI expands seeds/*.txt itself."""
    assert targets_json("seeds/*.txt") == all_rows


def test_csv_has_bom_and_header(all_rows):
    res = cli("targets", "--format", "csv", "--quiet", *SEEDS)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert out.startswith("\ufeff")
    reader = csv.reader(io.StringIO(out[1:]))
    header = next(reader)
    assert header[0] == "document"
    for col in ("section", "indicator", "raw", "value", "value_max", "unit", "comparator", "year",
                "baseline_year", "annual", "direction", "lead_units", "support_units", "responsible_units",
                "text", "span_start", "span_end", "title", "period", "rule", "year_source"):
        assert col in header, col
    assert "span" not in header                   # one value per cell
    body = [r for r in reader if r]
    assert len(body) == len(all_rows)
    assert all(len(r) == len(header) for r in body)
    col = {name: header.index(name) for name in header}
    assert [r[col["raw"]] for r in body] == [r["raw"] for r in all_rows]
    assert [[int(r[col["span_start"]]), int(r[col["span_end"]])] for r in body] == [r["span"] for r in all_rows]
    assert [r[col["section"]] for r in body] == [" > ".join(r["section"]) for r in all_rows]
    assert {r[col["annual"]] for r in body} <= {"true", "false"}


def test_unit_filter(all_rows):
    unit = "工业和信息化"
    rows = targets_json("--unit", unit, *SEEDS)
    assert rows, "the seeds have targets under notes naming 工业和信息化"
    for r in rows:
        assert any(unit in u for k in ("lead_units", "support_units", "responsible_units") for u in r[k]), r
    expected = [r for r in all_rows
                if any(unit in u for k in ("lead_units", "support_units", "responsible_units") for u in r[k])]
    assert rows == expected
    assert len(rows) < len(all_rows)


def test_grep_filter(all_rows):
    rows = targets_json("--grep", "商标", *SEEDS)
    assert rows
    assert all("商标" in r["indicator"] or "商标" in r["text"] for r in rows)
    assert rows == [r for r in all_rows if "商标" in r["indicator"] or "商标" in r["text"]]


def test_filters_combine(all_rows):
    rows = targets_json("--year", "2015", "--grep", "商标", *SEEDS)
    assert rows == [r for r in all_rows if r["year"] == 2015 and ("商标" in r["indicator"] or "商标" in r["text"])]


def test_no_match_is_an_empty_list_and_a_note():
    res = cli("targets", "--format", "json", "--quiet", "--grep", "这个词不会出现在任何文件里", *SEEDS)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == []
    assert res.stdout.strip() == "[]"
    assert res.stderr.strip(), "a note on stderr says nothing matched"


def test_reading_parse_output_gives_the_same_targets(tmp_path, all_rows):
    out = tmp_path / "out"
    res = cli("parse", *SEEDS, "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    written = sorted(out.glob("*.json"))
    assert len(written) == len(SEEDS)
    from_json = targets_json(str(out))
    assert from_json == all_rows
    # each written file's own target list validates too
    for path in written:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for t in doc["targets"]:
            jsonschema.validate(t, TARGET_SCHEMA)


def test_every_target_validates_against_the_schema(all_rows):
    jsonschema.Draft202012Validator.check_schema(TARGET_SCHEMA)
    validator = jsonschema.Draft202012Validator(TARGET_SCHEMA)
    for row in all_rows:
        assert set(ROW_EXTRAS) <= set(row)
        target = {k: v for k, v in row.items() if k not in ROW_EXTRAS}
        errors = [e.message for e in validator.iter_errors(target)]
        assert not errors, (row["document"], row["raw"], errors)


def test_rows_point_into_their_source(all_rows):
    """Each row's span, read from its own source file, is its raw (spans are into the decoded text)."""
    from policyparse.reading import read_document

    texts = {p: read_document(REPO / p).text for p in SEEDS}
    for r in all_rows:
        start, end = r["span"]
        assert texts[r["document"]][start:end] == r["raw"], r


# ---- --explain: every number seen, kept or dropped, with the rule -------------------------------

EXPLAIN_TEXT = (
    "关于推进全市垃圾分类的实施方案\n\n一、工作目标\n"
    "到2025年，全市生活垃圾回收利用率达到40%以上，建成服务点8000个。\n"
    "二、支持政策\n对按时开工的项目，给予补贴资金的50%。2023年，全市垃圾分类量同比增长5.5%。\n"
    "支持甲区、乙区等3个区先行试点。\n"
)


def test_explain_lists_kept_and_dropped_with_rules(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(EXPLAIN_TEXT, encoding="utf-8")
    res = cli("targets", "--explain", "--format", "json", "--quiet", str(doc))
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    verdicts = [(r["raw"], r["kept"], r["rule"]) for r in rows]
    assert verdicts == [("40%", True, "target"), ("8000个", True, "target"), ("50%", False, "incentive"),
                        ("5.5%", False, "past_result"), ("3个", False, "named_set")]
    for r in rows:
        assert EXPLAIN_TEXT[r["span"][0]:r["span"][1]] == r["raw"] and r["raw"] in r["context"]
        assert r["why"] and r["finder"] == "quantity"
    # the kept ones are exactly what `targets` lists
    plain = targets_json(str(doc))
    assert [r["raw"] for r in plain] == [r["raw"] for r in rows if r["kept"]]


def test_explain_csv_and_grep(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(EXPLAIN_TEXT, encoding="utf-8")
    res = cli("targets", "--explain", "--grep", "补贴", "--format", "csv", "--quiet", str(doc))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert [(r["raw"], r["kept"], r["rule"]) for r in rows] == [("50%", "false", "incentive")]


def test_explain_refuses_parse_output(tmp_path):
    out = tmp_path / "x.json"
    out.write_text("{}", encoding="utf-8")
    res = cli("targets", "--explain", "--quiet", str(out))
    assert res.returncode != 0
    assert "--explain reads documents" in res.stderr


README_PLAN = (
    "关于推进全市生活垃圾分类的实施方案\n\n一、工作目标\n到2025年，全市生活垃圾回收利用率达到40%以上，发放800余万份宣传资料。\n"
    "二、支持政策\n对按时开工的项目，给予补贴资金的50%。2023年，全市垃圾分类量同比增长5.5%。\n"
    "支持甲区、乙区等3个区先行试点。本次共推出房源40套，均价8000元/平方米。\n"
)


def test_readme_explain_example_is_real_output(tmp_path):
    """The README's --explain table is what the tool prints for the plan it describes."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("**Why a number is (not) a target: `--explain`.**", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    shown = [[c.strip() for c in line.strip("│").split("│")] for line in block.splitlines() if line.startswith("│")]
    doc = tmp_path / "plan.txt"
    doc.write_text(README_PLAN, encoding="utf-8")
    res = cli("targets", "--explain", "--format", "json", "--quiet", str(doc))
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [[r["raw"], "kept" if r["kept"] else "dropped", r["rule"], f"{r['span'][0]}-{r['span'][1]}", r["context"]]
            for r in rows] == [[s[2], s[3], s[4], s[1], s[5]] for s in shown]
