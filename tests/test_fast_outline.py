"""The outline's shortcuts taken for speed (issue #12) give what the plain reading gives.

- find_headings reads a title's bounds from the characters at its edges and strips (copies) the
  rest of the line only when an edge character is one to skip: the bounds equal the plain reading
  (the rest of the line stripped, then the title up to 。 stripped) for every heading;
- nest drops the space before the next heading with one rstrip instead of a step per character.
Each is compared on the seeds, the dev documents and random outlines built from the characters
that matter to it (labels, the title's edge characters, line ends and indents).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize, outline, segment
from policyparse.extract import header as header_ex
from policyparse.patterns.labels import TITLE_END, TITLE_LEAD_SKIP, TITLE_STRIP, UNTITLED_STYLES

REPO = Path(__file__).parents[1]
DOCS = sorted((REPO / "seeds").glob("*.txt")) + sorted(Path("/work/shared/dev/docs").glob("*.txt"))
TEXTS = [normalize.drop_bom(p.read_text(encoding="utf-8")) for p in DOCS]

PIECES = [
    "一、", "二、", "（一）", "(二)", "1.", "2．", "1.1", "1.2", "第一章", "第二条", "专栏1", "——", "-", "（1）", "①", "a.",
    "附件：", "目录", "总体要求", "主要目标", "到2025年", "达到5万家", "。", "，", "：", ":", " ", "\t", "\u3000", "\n", "\n",
    "\n\n", "\u3000\u3000", "市发展改革委牵头",
]
OUTLINE_TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _nodes(text: str):
    folded = normalize.fold(text)
    lines = segment.lines(folded)
    head = header_ex.read(lines, text)
    return folded, lines, outline.find_headings(lines, skip=head.lines)


def _plain_title(text: str, label_len: int, style: str) -> tuple[int, int, int]:
    """(title start, title end, body start) in the line, read the plain way: the rest of the
    line stripped of TITLE_LEAD_SKIP, up to the first TITLE_END, stripped of TITLE_STRIP."""
    rest_off = len(text) - len(text[label_len:].lstrip(TITLE_LEAD_SKIP))
    stop = text.find(TITLE_END, rest_off)
    title_end_off, body_off = (len(text), len(text)) if stop < 0 else (stop, stop + 1)
    t_end = rest_off + len(text[rest_off:title_end_off].rstrip(TITLE_STRIP))
    if style in UNTITLED_STYLES:
        return label_len, label_len, label_len
    return rest_off, t_end, body_off


def _check_titles(text: str) -> None:
    _, lines, nodes = _nodes(text)
    for node in nodes:
        line = lines[node.line_number]
        got = (node.title_start - line.start, node.title_end - line.start, node.body_start - line.start)
        assert got == _plain_title(line.text, node.label_end - line.start, node.style), (line.text, node)


def _plain_end(folded: str, body_start: int, end: int, title_end: int) -> int:
    while end > body_start and folded[end - 1] in " \t\n\u3000":
        end -= 1
    return max(end, title_end)


def _check_ends(text: str) -> None:
    folded, _, nodes = _nodes(text)
    outline.nest(nodes, len(text), folded)
    nexts = [n.label_start for n in nodes[1:]] + [len(text)]
    for node, nxt in zip(nodes, nexts):
        assert node.end == _plain_end(folded, node.body_start, nxt, node.title_end), node


@pytest.mark.parametrize("text", TEXTS, ids=[p.name for p in DOCS])
def test_title_bounds_and_ends_on_documents(text):
    _check_titles(text)
    _check_ends(text)


def test_the_documents_have_titles_of_both_kinds():
    """The documents exercise both ways: titles after a skipped colon or space and titles right
    after their label (so the comparison above is not vacuous; CASES below add stripped ends)."""
    skipped = plain = 0
    for text in TEXTS:
        _, lines, nodes = _nodes(text)
        for node in nodes:
            line = lines[node.line_number]
            lead = line.text[node.label_end - line.start:][:1]
            skipped += lead != "" and lead in TITLE_LEAD_SKIP
            plain += lead != "" and lead not in TITLE_LEAD_SKIP
    assert skipped and plain


# A heading line -> its title, by the plain reading; the edges in every combination.
CASES = [
    ("一、总体要求", "总体要求"),
    ("一、总体要求：", "总体要求"),
    ("一、总体要求 ：", "总体要求"),
    ("一、：总体要求:", "总体要求"),
    ("第一部分：总体要求", "总体要求"),
    ("第一部分　 总体要求。到2025年，达到5万家。", "总体要求"),
    ("（一）加强组织领导 。各地要落实。", "加强组织领导"),
    ("（一）：。", ""),
    ("（一）。总体要求", ""),
    ("1．", ""),
    ("一、：", ""),
    ("第五条　经营者应当遵守。", ""),
]


@pytest.mark.parametrize("line, title", CASES)
def test_written_title_edges(line, title):
    text = "前言。\n" + line + "\n"
    _check_titles(text)
    _, _, nodes = _nodes(text)
    assert [text[n.title_start:n.title_end] for n in nodes] == [title]


@settings(max_examples=500, deadline=None)
@given(OUTLINE_TEXT)
def test_title_bounds_and_ends_on_random_outlines(text):
    _check_titles(text)
    _check_ends(text)
