"""Responsibility notes: each written form -> lead / support / responsible (table in cases/units.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyparse import parse_text

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "units.yaml").read_text(encoding="utf-8"))


def _param(case):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


def _pick(doc, label):
    sections = list(doc.iter_sections())
    assert sections, "the case text has no section"
    if label is None:
        return sections[-1]
    hits = [s for s in sections if s.label == label]
    assert len(hits) == 1, f"label {label!r} must name exactly one section"
    return hits[0]


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_units(case):
    text = case["text"]
    doc = parse_text(text)
    expect = case["expect"]
    if expect is None:
        assert [(s.label, s.units) for s in doc.iter_sections() if s.units is not None] == []
        return
    target = _pick(doc, case.get("label"))
    assert target.units is not None, f"no units on {target.label}"
    got = {"lead": target.units.lead, "support": target.units.support, "responsible": target.units.responsible}
    assert got == {k: list(expect.get(k) or []) for k in ("lead", "support", "responsible")}
    # the quote is copied from the source (several notes of one section joined by a space) and
    # the span points at the last note
    u = target.units
    assert u.quote and all(piece in text for piece in u.quote.split(" "))
    assert u.span is not None and u.quote.endswith(text[u.span[0]:u.span[1]])
    # no other section carries this note
    others = [s.label for s in doc.iter_sections() if s is not target and s.units is not None]
    assert others == []


def test_inner_brackets_split_as_one_name():
    """Inner brackets do not split a name (comparing with brackets folded, see the xfail rows)."""
    doc = parse_text("三、保障措施\n（一）加强组织领导。（责任单位：各县（市、区）人民政府、市财政局）\n")
    units = doc.sections[0].children[0].units
    assert units is not None
    fold = str.maketrans("()", "（）")
    assert [n.translate(fold) for n in units.responsible] == ["各县（市、区）人民政府", "市财政局"]


def test_units_on_seed_004_are_bare_lists():
    from policyparse import parse_file

    doc = parse_file(Path(__file__).parents[1] / "seeds" / "004_1ecdd285c2b66f00.txt")
    items = [s for s in doc.iter_sections() if s.style == "arabic"]
    assert len(items) == 22
    assert all(s.units is not None and s.units.responsible and not s.units.lead for s in items)
    by_label = {s.label: s.units.responsible for s in items}
    assert by_label["7．"] == ["市工业和信息化局", "市大数据局"]
    assert "人民银行济南营管部" in by_label["16．"]
