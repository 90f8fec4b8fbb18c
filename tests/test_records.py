"""parse_file and parse_text build the models from pipeline.parse_record's plain data without
validating it again (model.document_from_record). Here the same records are validated strictly,
so a wrong type or a broken span still fails, and the models built are checked to be exactly
the validated ones: types, field order, fields set, values."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyparse.model import Document, document_from_record
from policyparse.pipeline import parse_file_record, parse_record

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def same(built, validated, where: str = "document") -> None:
    """The two trees are the same objects but for identity: exact types, the models' state
    (__dict__ keys in order, fields set, extra, private) and every value."""
    assert type(built) is type(validated), (where, type(built), type(validated))
    if hasattr(type(validated), "model_fields"):
        a, b = built.__getstate__(), validated.__getstate__()
        assert list(a) == list(b), where
        assert {k: v for k, v in a.items() if k != "__dict__"} == {k: v for k, v in b.items() if k != "__dict__"}, where
        assert list(a["__dict__"]) == list(b["__dict__"]), where
        for key, value in b["__dict__"].items():
            same(a["__dict__"][key], value, f"{where}.{key}")
    elif isinstance(validated, list | tuple):
        assert len(built) == len(validated), where
        for i, (x, y) in enumerate(zip(built, validated)):
            same(x, y, f"{where}[{i}]")
    else:
        assert built == validated, (where, built, validated)


def lists_shared(doc: Document) -> list[str]:
    """Paths of list objects met twice in one built document (a validated one never shares)."""
    seen: dict[int, str] = {}
    shared = []

    def walk(x, where):
        if isinstance(x, list):
            if id(x) in seen:
                shared.append(f"{where} is {seen[id(x)]}")
            seen[id(x)] = where
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")
        elif hasattr(type(x), "model_fields"):
            for k, v in x.__dict__.items():
                walk(v, f"{where}.{k}")

    walk(doc, "document")
    return shared


def check_record(record: dict) -> None:
    validated = Document.model_validate(record, strict=True)   # raises on a wrong type or span
    # own=True: as parse_text and parse_file build it, the sections' keys unchecked
    for own in (False, True):
        built = document_from_record(copy.deepcopy(record), own=own)
        same(built, validated)
        assert built == validated
        assert built.model_dump_json() == validated.model_dump_json()
        assert not lists_shared(built)


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_records_validate_strictly_and_build_the_same_models(path):
    check_record(parse_file_record(path))


TEXTS = {
    "outline, notes, targets and a table": (
        "关于推进绿色发展的实施意见\n各区人民政府：\n为推进工作，制定本意见。\n一、总体要求\n"
        "（一）主要目标。到2025年，新建绿色建筑占比达到100%，能耗降低15%左右。（牵头单位：市住房城乡建设委；配合单位：市发展改革委）\n"
        "二、重点任务\n1．推进改造。改造面积3-5万平方米以上。\n①建成5G基站2万个（责任单位：市通信管理局）\n"
        "指标\t单位\t2020年\t2025年\t属性\n绿色建筑占比\t%\t80\t100\t约束性\n四、保障措施\n"
    ),
    "a gap and a repeat": "一、甲\n三、乙\n三、丙\n（二）丁\n",
    "no heading": "只有一段文字，没有标题，也没有数字。",
    "dash bullets": "一、任务\n——推进工作，增长10%。\n——加强管理。\n",
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=list(TEXTS))
def test_text_records_validate_strictly_and_build_the_same_models(text):
    check_record(parse_record(text, source="x.txt", encoding="utf-8"))


ANY_CHAR = st.characters(exclude_categories=("Cs",))
FRAGMENTS = ["一、", "（一）", "1．", "（1）", "①", "第一章", "——", "（牵头单位：市发展改革委）", "责任单位：", "到2025年",
             "达到", "增长", "10", "3-5", "％", "万亿元", "以上", "\n", "\r\n", "\t", "。", "指标\t2025年\n"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ANY_CHAR, max_size=3)), max_size=60).map("".join))
def test_any_text_builds_the_validated_models(text):
    check_record(parse_record(text, source="x.txt", encoding="utf-8"))


def test_a_record_not_of_the_models_shape_is_validated():
    """Keys other than a model's fields (or in another order) go through validation: an
    unknown key is refused, a missing one gets its default, as Document.model_validate does."""
    record = parse_record("一、总体要求\n到2025年，达到5万家。", source="x.txt", encoding="utf-8")
    with pytest.raises(ValueError):
        document_from_record({**record, "explained": []})
    short = {k: v for k, v in record.items() if k != "preamble"}
    doc = document_from_record(copy.deepcopy(short))
    assert doc == Document.model_validate(short) and "preamble" not in doc.model_fields_set
    bad_target = copy.deepcopy(record)
    bad_target["targets"][0] = {"oops": 1, **bad_target["targets"][0]}
    with pytest.raises(ValueError):
        document_from_record(bad_target)


def test_built_models_have_fields_sets_of_their_own():
    """_made copies a prebuilt fields set (all the model's fields) into every instance: equal to
    what validation gives, never one object shared by two instances or by the prebuilt set, so a
    change to one model's model_fields_set changes no other."""
    from policyparse import model as M

    record = parse_record(TEXTS["outline, notes, targets and a table"], source="x.txt", encoding="utf-8")
    validated = Document.model_validate(copy.deepcopy(record))
    doc = document_from_record(record)
    first, second = doc.sections[0], doc.sections[1]
    assert first.model_fields_set is not second.model_fields_set
    assert first.model_fields_set is not M._ALL_SET[type(first)]
    assert first.model_fields_set == second.model_fields_set == validated.sections[0].model_fields_set
    assert doc.targets[0].model_fields_set == validated.targets[0].model_fields_set
    assert doc.model_fields_set == validated.model_fields_set
    first.model_fields_set.discard("title")           # in place, on one instance only
    assert "title" in second.model_fields_set and "title" in M._ALL_SET[type(first)]
    assert doc.sections[0].model_dump(exclude_unset=True).keys() == set(type(first).model_fields) - {"title"}


def test_the_slot_setters_made_calls_are_the_ones_attribute_assignment_finds():
    """_made sets BaseModel's four slots through their descriptors directly; for every model it
    builds, object.__setattr__ would find the same descriptors (no model shadows a slot)."""
    from pydantic import BaseModel

    from policyparse import model as M

    setters = {"__dict__": M._SET_DICT, "__pydantic_fields_set__": M._SET_FIELDS_SET,
               "__pydantic_extra__": M._SET_EXTRA, "__pydantic_private__": M._SET_PRIVATE}
    for cls in M._ALL_SET:
        for name, setter in setters.items():
            found = next(c.__dict__[name] for c in cls.__mro__ if name in c.__dict__)
            assert found is BaseModel.__dict__[name] and setter.__self__ is found, (cls, name)
