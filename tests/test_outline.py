"""Outline: numbering styles, true depth, titles and non-headings (table in cases/outline.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyparse import parse_text
from policyparse.normalize import drop_bom

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "outline.yaml").read_text(encoding="utf-8"))


def _param(case):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


def flat(doc) -> list[list]:
    return [[s.depth, s.label, s.title] for s in doc.iter_sections()]


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_outline(case):
    doc = parse_text(case["text"])
    assert flat(doc) == [list(e) for e in case["expect"]]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_outline_spans_and_paths(case):
    """Label, title and span point into the text (BOM dropped); path and depth agree with the tree."""
    source = drop_bom(case["text"])
    doc = parse_text(case["text"])

    def walk(sections, parent_path):
        for s in sections:
            start, end = s.span
            assert 0 <= start <= end <= len(source)
            if s.style == "dash":  # every dash bullet is labelled "—"; the span shows the dashes as written
                assert s.label == "—" and source[start] in "-—―─"
            else:
                assert source[start:start + len(s.label)] == s.label
            ts, te = s.title_span
            assert start <= ts <= te <= len(source)
            assert source[ts:te] == s.title
            assert s.path == parent_path + [s.label]
            assert s.depth == len(s.path)
            assert "\r" not in s.title and "\n" not in s.title
            walk(s.children, s.path)

    walk(doc.sections, [])


def test_styles_and_numbers():
    doc = parse_text("第一章 总则\n一、总体要求\n（二）目标\n3．任务\n（4）细项\n⑤小项\n——要点\n专栏1.1\n")
    got = [(s.style, s.number) for s in doc.iter_sections()]
    assert got == [("chapter", 1), ("cn_num", 1), ("cn_paren", 2), ("arabic", 3), ("arabic_paren", 4),
                   ("circled", 5), ("dash", None), ("box", 1)]


def test_section_own_text_excludes_children():
    text = "一、重点任务\n加快推进工业转型升级。\n（一）强基。夯实产业基础。\n二、保障措施\n"
    doc = parse_text(text)
    first = doc.sections[0]
    assert first.text == "加快推进工业转型升级。"
    assert first.children[0].text == "夯实产业基础。"
    assert text[first.span[0]:first.span[1]] == "一、重点任务\n加快推进工业转型升级。"


def test_crlf_offsets_count_two_characters():
    text = "一、总体要求\r\n二、发展目标\r\n"
    doc = parse_text(text)
    second = doc.sections[1]
    assert second.span[0] == text.index("二、")
    assert text[second.title_span[0]:second.title_span[1]] == "发展目标"


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_depths_are_consistent(path):
    """In every seed a child is exactly one level deeper than its parent, and no heading is empty."""
    from policyparse import parse_file

    doc = parse_file(path)
    assert doc.sections, "a seed with no sections"
    for s in doc.iter_sections():
        for c in s.children:
            assert c.depth == s.depth + 1
        if s.style != "box":
            assert s.title, f"empty title for {s.path}"


def test_seed_004_arabic_items_under_top_level():
    """Seed 004: 19．–22． sit directly under 五、保障措施, so they have depth 2."""
    from policyparse import parse_file

    doc = parse_file(Path(__file__).parents[1] / "seeds" / "004_1ecdd285c2b66f00.txt")
    last = doc.sections[-1]
    assert (last.label, last.title) == ("五、", "保障措施")
    assert [(c.label, c.depth) for c in last.children] == [("19．", 2), ("20．", 2), ("21．", 2), ("22．", 2)]
