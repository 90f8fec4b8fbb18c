"""Property tests: any text parses, every span lies inside the text, output fits the schema."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyparse import Document, parse_text
from policyparse.normalize import drop_bom

REPO = Path(__file__).parents[1]
VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((REPO / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
)

FRAGMENTS = [
    "一、", "二、", "十二、", "（一）", "(二)", "（1）", "(2)", "1．", "2.", "19、", "１．", "①", "⑤",
    "第一章", "第二节", "第三条", "第一部分", "专栏1.1", "专栏", "——", "---", "—", "－－",
    "（责任单位：", "（牵头单位：", "；配合单位：", "责任单位：", "牵头", "配合", "负责", "参与", "等",
    "市工业和信息化局", "省发展改革委", "人民银行济南分行", "各县（市、区）人民政府", "（PVC）",
    "（", "）", "(", ")", "。", "；", "，", "、", "：", "“", "”",
    "到2025年", "2015年", "十二五", "达到", "增长", "降低", "10", "3-5", "1.3", "％", "%", "个百分点",
    "万亿元", "亿元", "户", "家", "以上", "左右",
    "征求意见稿", "（征求意见稿）", "各位代表：", "鲁政发〔2012〕12号", "三年行动计划",
    "\n", "\n\n", "\r\n", "\r", "\u3000\u3000", "\ufeff", " ", "\t",
]
# No lone surrogates: they cannot be encoded, so no file could hold them.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
PIECE = st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ANY_CHAR, max_size=4))
DOC_TEXT = st.one_of(
    st.lists(PIECE, max_size=60).map("".join),
    st.text(alphabet=ANY_CHAR, max_size=200),
)


def check_document(doc: Document, text: str) -> None:
    source = drop_bom(text)
    n = len(source)

    def inside(span):
        return span is not None and 0 <= span[0] <= span[1] <= n

    for s in doc.iter_sections():
        assert inside(s.span), (s.label, s.span)
        assert inside(s.title_span), (s.label, s.title_span)
        assert source[s.title_span[0]:s.title_span[1]] == s.title
        if s.style == "dash":  # every dash bullet is labelled "—"; the span shows the dashes as written
            assert s.label == "—" and source[s.span[0]] in "-—―─－"
        else:
            assert source[s.span[0]:s.span[0] + len(s.label)] == s.label
        assert s.depth == len(s.path) >= 1
        for c in s.children:
            assert c.depth == s.depth + 1
        if s.units is not None:
            assert inside(s.units.span)
            assert s.units.quote.split(" ")[-1] in source
    for t in doc.targets:
        assert inside(t.span), (t.raw, t.span)
        assert t.raw in source[t.span[0]:t.span[1]]
    for w in doc.warnings:
        assert w.span is None or inside(w.span)
    errors = list(VALIDATOR.iter_errors(doc.model_dump(mode="json")))
    assert not errors, errors[0].message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC_TEXT)
def test_any_text_parses_with_spans_inside(text):
    doc = parse_text(text)
    assert isinstance(doc, Document)
    check_document(doc, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=80).map("".join))
def test_heading_soup_parses(text):
    check_document(parse_text(text), text)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_line_endings_do_not_change_the_outline(text):
    """CRLF and CR give the same outline as LF (labels, titles, depths)."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")

    def outline(t):
        return [(s.depth, s.label, s.title) for s in parse_text(t).iter_sections()]

    assert outline(lf.replace("\n", "\r\n")) == outline(lf)
    assert outline(lf.replace("\n", "\r")) == outline(lf)


def test_seed_spans_are_exact():
    """Every seed: spans inside the source, title spans exact (the same check, on real documents)."""
    from policyparse import parse_file

    for path in sorted((REPO / "seeds").glob("*.txt")):
        doc = parse_file(path)
        check_document(doc, path.read_text(encoding="utf-8"))


def _record_matches_model(text: str) -> None:
    """The CLI writes pipeline.parse_record's plain data with orjson, unvalidated: it must be
    exactly what the validated model would write, on any text."""
    from policyparse.emit import record_json
    from policyparse.pipeline import parse_record

    record = parse_record(text, source="x.txt", encoding="utf-8")
    doc = Document.model_validate(record)        # raises if the record breaks the model
    assert record_json(record, indent=2) == doc.model_dump_json(indent=2)
    assert record_json(record, indent=None) == doc.model_dump_json()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC_TEXT)
def test_record_json_is_the_models_json(text):
    _record_matches_model(text)


def test_record_json_is_the_models_json_on_seeds():
    for path in sorted((REPO / "seeds").glob("*.txt")):
        _record_matches_model(path.read_text(encoding="utf-8"))
