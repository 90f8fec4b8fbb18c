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
