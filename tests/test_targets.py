"""The target finder through parse_text (table in cases/targets.yaml).

Each row gives one or more phrasings and the targets they must yield, in order; only the keys a
row gives are compared (`indicator_contains` is a substring check). Every expected target's
clause (`text`) must hold its `raw`. For every target of every row, xfail or not, the span must
point at `raw` and `section` must be the label path of the section holding it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyparse import parse_text
from policyparse.normalize import drop_bom
from policyparse.patterns import exclusions as X
from policyparse.pipeline import parse_record

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "targets.yaml").read_text(encoding="utf-8"))

FIELDS = {"raw", "value", "value_max", "unit", "comparator", "year", "year_source", "baseline_year", "annual",
          "direction", "section"}
CHECKS = FIELDS | {"indicator_contains"}
NUMERIC = {"value", "value_max"}


def _params(with_xfail: bool = True) -> list:
    out = []
    for row in CASES:
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=True)] if with_xfail and row.get("xfail") else []
        for n, text in enumerate(row["texts"]):
            out.append(pytest.param(row, text, id=f"{row['id']}/{n}", marks=marks))
    return out


def _got(t, key: str):
    if key == "section":
        return list(t.section)
    return getattr(t, key)


def _want(key: str, value):
    if key in NUMERIC and value is not None:
        return float(value)  # PyYAML reads 1.9e13 as a string
    return value


def mismatches(target, expected: dict) -> list[str]:
    """The keys of `expected` on which `target` differs, as readable lines; [] when it matches."""
    unknown = set(expected) - CHECKS
    assert not unknown, f"unknown keys in a case: {sorted(unknown)}"
    bad = []
    for key, want in expected.items():
        if key == "indicator_contains":
            if want not in target.indicator:
                bad.append(f"indicator {target.indicator!r} lacks {want!r}")
            continue
        got, want = _got(target, key), _want(key, want)
        if got != want or type(got) is bool and type(want) is not bool:
            bad.append(f"{key}: got {got!r}, want {want!r}")
    return bad


def section_path_at(doc, pos: int) -> list[str]:
    """Label path of the section whose own text (children excluded) holds offset `pos`."""
    holding = [s for s in doc.iter_sections() if s.span[0] <= pos < s.span[1]]
    assert len(holding) <= 1, "section spans overlap"
    return list(holding[0].path) if holding else []


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


def test_rows_are_well_formed():
    for row in CASES:
        assert set(row) <= {"id", "texts", "expect", "xfail", "dropped", "keeps"}, row["id"]
        for raw, rule in row.get("dropped", []):
            assert rule in X.RULES, (row["id"], rule)
        assert row.get("keeps") is None or row["keeps"] in X.RULES, row["id"]
        assert row["texts"] and isinstance(row["expect"], list), row["id"]
        for e in row["expect"]:
            assert set(e) <= CHECKS, (row["id"], sorted(set(e) - CHECKS))


@pytest.mark.parametrize(("row", "text"), _params())
def test_targets(row, text):
    doc = parse_text(text)
    got = doc.targets
    summary = [(t.raw, t.value, t.unit, t.year, t.indicator) for t in got]
    assert len(got) == len(row["expect"]), f"found {summary}"
    problems = []
    for i, (t, e) in enumerate(zip(got, row["expect"])):
        problems += [f"target {i} ({t.raw}): {m}" for m in mismatches(t, e)]
        if t.raw not in t.text:
            problems.append(f"target {i} ({t.raw}): its clause {t.text!r} does not hold it")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("row", "text"), [p for p in _params() if p.values[0].get("dropped")])
def test_dropped_by_the_named_rule(row, text):
    """`dropped: [[raw, rule], …]`: the explain mode lists each number as dropped by that rule."""
    explained = parse_record(text, explain=True)["explained"]
    for raw, rule in row["dropped"]:
        seen = [e for e in explained if e["raw"] == raw]
        assert seen, f"{raw!r} was not seen at all: {explained}"
        assert any(not e["kept"] and e["rule"] == rule for e in seen), f"{raw!r}: {seen}"


def test_every_exclusion_rule_has_rows_that_drop_and_rows_that_keep():
    """Each rule of the exclusions table has its own positive rows (numbers it drops) and
    negative rows (look-alikes it must keep: `keeps: <rule>` with a non-empty expect)."""
    dropping = {rule for row in CASES for _, rule in row.get("dropped", [])}
    keeping = {row["keeps"] for row in CASES if row.get("keeps") and row["expect"]}
    # doc_number: QUANTITY_RE's guards already keep 国发〔2011〕47号 out (号 is no measure word);
    # the rule is a second guard for a measure word followed by 号
    assert set(X.RULES) - dropping == {"doc_number"}, "rules without a row that drops"
    assert set(X.RULES) - keeping == set(), "rules without a row that keeps a look-alike"


def test_explain_lists_every_kept_target():
    text = "到2025年，全省工业增加值达到2万亿元，给予最高500万元奖励。国发〔2011〕47号"
    explained = parse_record(text, explain=True)["explained"]
    kept = [(e["raw"], e["rule"]) for e in explained if e["kept"]]
    assert kept == [(t.raw, "target") for t in parse_text(text).targets]
    assert ("500万元", "incentive") in [(e["raw"], e["rule"]) for e in explained if not e["kept"]]
    assert all(drop_bom(text)[e["span"][0]:e["span"][1]] == e["raw"] for e in explained)


@pytest.mark.parametrize(("row", "text"), _params(with_xfail=False))
def test_target_spans_and_sections(row, text):
    """Holds for every row, xfail or not: whatever is found points into the text."""
    source = drop_bom(text)
    doc = parse_text(text)
    for t in doc.targets:
        start, end = t.span
        assert 0 <= start < end <= len(source)
        assert source[start:end] == t.raw
        assert t.text in source, "the clause is copied from the source"
        assert t.section == section_path_at(doc, start)
        if t.value_max is not None:
            assert t.value <= t.value_max


def test_mismatches_helper():
    """The subset comparison itself: only given keys, floats from strings, bools strict."""
    doc = parse_text("到2015年，全省工业销售收入突破1万亿元。")
    (t,) = doc.targets
    assert mismatches(t, {"value": "1.0e12", "unit": "元"}) == []
    assert mismatches(t, {"indicator_contains": "销售收入"}) == []
    assert mismatches(t, {"value": 2}) != []
    assert mismatches(t, {"annual": 0}) != []           # 0 is not False
    assert mismatches(t, {"indicator_contains": "利税"}) != []
    with pytest.raises(AssertionError):
        mismatches(t, {"indicator": "x"})
