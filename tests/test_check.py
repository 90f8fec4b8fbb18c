"""`check`: the table in cases/check.yaml (every kind, positives and negatives), seed 004,
select/ignore, the compiler-style line, --across, and the finding schema."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from policyparse import parse_text
from policyparse.check import KINDS, check_across, check_text, format_finding, select

REPO = Path(__file__).resolve().parents[1]
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "check.yaml").read_text(encoding="utf-8"))
SCHEMA = jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / "finding.schema.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_check(case):
    findings = check_text(case["text"], source="case.txt")
    assert [[f["kind"], f["line"], f["column"]] for f in findings] == case["findings"]
    for f in findings:
        assert not list(SCHEMA.iter_errors(f))
        assert f["message"] and "\n" not in f["message"]


def test_every_kind_has_a_positive_and_a_negative_case():
    kinds = {k for c in CASES for k, *_ in c["findings"]} | {"across_value"}  # across: tested below
    assert kinds >= set(KINDS) - {"numbering"}  # `numbering` is the outline's catch-all
    assert sum(1 for c in CASES if not c["findings"]) >= 8


def test_seed_004_reports_the_missing_four():
    path = REPO / "seeds" / "004_1ecdd285c2b66f00.txt"
    text = path.read_text(encoding="utf-8-sig")
    findings = check_text(text, source=str(path))
    gaps = [f for f in findings if f["kind"] == "gap"]
    assert len(gaps) == 1 and "4" in gaps[0]["message"]
    line = text.splitlines()[gaps[0]["line"] - 1]
    assert line.startswith("五、")
    assert "draft" in {f["kind"] for f in findings}


def test_select_and_ignore():
    findings = check_text("一、总体要求\n（征求意见稿）\n三、保障措施\n三、组织实施\n")
    kinds = [f["kind"] for f in findings]
    assert "gap" in kinds and "repeat" in kinds
    assert {f["kind"] for f in select(findings, select=["gap"])} == {"gap"}
    assert "gap" not in {f["kind"] for f in select(findings, ignore=["gap"])}


def test_compiler_style_line():
    f = check_text("一、总体要求\n三、保障措施\n", source="plan.txt")[0]
    assert format_finding(f) == "plan.txt:2:1: gap: '三、' follows '一、': number 2 is missing"
    assert format_finding({**f, "line": None, "column": None}).startswith("plan.txt: gap: ")


ACROSS_A = "一、发展目标\n到2025年，全省新能源汽车保有量达到50万辆，充电桩达到10万个。\n"
ACROSS_B = "一、主要目标\n\n到2025年，全省新能源汽车保有量达到60万辆；充电桩达到10万个。\n"


def test_across_documents():
    docs = [(parse_text(ACROSS_A, source="a.txt"), ACROSS_A), (parse_text(ACROSS_B, source="b.txt"), ACROSS_B)]
    findings = check_across(docs)
    assert [(f["document"], f["kind"], f["line"]) for f in findings] == [
        ("a.txt", "across_value", 2), ("b.txt", "across_value", 3)]
    assert "b.txt:3:" in findings[0]["message"] and "60万辆" in findings[0]["message"]
    for f in findings:
        assert not list(SCHEMA.iter_errors(f))


def test_across_needs_the_same_year():
    other = ACROSS_B.replace("2025", "2030")
    docs = [(parse_text(ACROSS_A, source="a.txt"), ACROSS_A), (parse_text(other, source="b.txt"), other)]
    assert check_across(docs) == []


def test_across_matches_a_reworded_indicator_and_names_at_most_five_places():
    base = "一、发展目标\n到2025年，全省新能源汽车保有量达到{}万辆。\n"
    docs = [(parse_text(base.format(50), source="a.txt"), base.format(50))]
    reworded = "一、主要目标\n到2025年，全省新能源汽车的保有量达到60万辆。\n"
    docs.append((parse_text(reworded, source="b.txt"), reworded))
    findings = check_across(docs)
    assert [f["document"] for f in findings] == ["a.txt", "b.txt"]
    for i in range(7):
        docs.append((parse_text(base.format(70 + i), source=f"c{i}.txt"), base.format(70 + i)))
    first = next(f for f in check_across(docs) if f["document"] == "a.txt")
    assert first["message"].count(" in ") == 5 and first["message"].endswith("and 3 more")
