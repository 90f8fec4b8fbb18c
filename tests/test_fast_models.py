"""document_from_record(own=True) (parse_file, parse_text) builds the targets, warnings and the
sections' units without checking their keys (issue #12: models): it relies on parse_record
making each of them a dict of its model's fields in declaration order. Checked here on the
seeds, the dev documents and random texts: the keys are those fields in order, and the models
built without the check are the strictly validated ones (state, field order, fields set, JSON)."""
from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyparse.model import Document, Target, Units, Warning, document_from_record
from policyparse.pipeline import parse_file_record, parse_record

REPO = Path(__file__).parents[1]
DOC_PATHS = [*sorted((REPO / "seeds").glob("*.txt")), *sorted(Path("/work/shared/dev/docs").glob("*.txt"))]


def _sections(sections):
    for s in sections:
        yield s
        yield from _sections(s["children"])


def keys_in_model_order(record: dict) -> None:
    """What own=True takes for granted, stated: every target, warning and units dict holds its
    model's fields, in declaration order."""
    for t in record["targets"]:
        assert list(t) == list(Target.model_fields), list(t)
    for w in record["warnings"]:
        assert list(w) == list(Warning.model_fields), list(w)
    for s in _sections(record["sections"]):
        if s["units"] is not None:
            assert list(s["units"]) == list(Units.model_fields), list(s["units"])


def built_as_validated(record: dict) -> None:
    validated = Document.model_validate(copy.deepcopy(record), strict=True)
    built = document_from_record(copy.deepcopy(record), own=True)
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    models = [(built, validated), *zip(built.targets, validated.targets), *zip(built.warnings, validated.warnings),
              *((a.units, b.units) for a, b in zip(built.iter_sections(), validated.iter_sections()) if b.units)]
    assert len(list(built.iter_sections())) == len(list(validated.iter_sections()))
    for a, b in models:
        assert type(a) is type(b)
        assert list(a.__dict__) == list(b.__dict__)
        assert a.model_fields_set == b.model_fields_set and a.model_fields_set is not b.model_fields_set
        assert a.__pydantic_extra__ == b.__pydantic_extra__ and a.__pydantic_private__ == b.__pydantic_private__
    # every instance has a fields set of its own (none shared between two models)
    sets = [m.model_fields_set for m, _ in models]
    assert len({id(x) for x in sets}) == len(sets)


def test_records_of_the_documents_hold_the_models_fields_in_order():
    found = {"targets": 0, "warnings": 0, "units": 0}
    for path in DOC_PATHS:
        record = parse_file_record(path)
        keys_in_model_order(record)
        built_as_validated(record)
        found["targets"] += len(record["targets"])
        found["warnings"] += len(record["warnings"])
        found["units"] += sum(s["units"] is not None for s in _sections(record["sections"]))
    assert found["targets"] >= 100 and found["units"] >= 50 and found["warnings"] >= 1, found   # each kind is exercised


TABLE_TEXT = ("一、主要目标\n（一）指标。到2025年，能耗降低15%左右。（牵头单位：市发展改革委；配合单位：市财政局）\n"
              "指标\t单位\t2020年\t2025年\t属性\n绿色建筑占比\t%\t80\t100\t约束性\n三、保障\n")


def test_table_rows_and_numbering_warnings_keep_the_models_field_order():
    """Rows of an indicator table are targets updated in place (section, units): same order;
    and a gap, a repeat and an out-of-order number give warnings."""
    record = parse_record(TABLE_TEXT, source="x.txt", encoding="utf-8")
    assert any(t["rule"] == "table" for t in record["targets"])
    keys_in_model_order(record)
    built_as_validated(record)
    record = parse_record("一、甲\n三、乙\n三、丙\n（二）丁\n五、戊\n", source="x.txt", encoding="utf-8")
    assert len(record["warnings"]) >= 2
    keys_in_model_order(record)
    built_as_validated(record)


FRAGMENTS = ["一、", "（一）", "1．", "（1）", "①", "第一章", "——", "（牵头单位：市发展改革委）", "责任单位：", "到2025年",
             "达到", "增长", "10", "3-5", "％", "万亿元", "以上", "\n", "\t", "。", "指标\t2025年\n", "（市科技局牵头，市财政局配合）",
             "三、", "二、"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=50).map("".join))
def test_random_texts_hold_the_models_fields_in_order(text):
    record = parse_record(text, source="x.txt", encoding="utf-8")
    keys_in_model_order(record)
    built_as_validated(record)
