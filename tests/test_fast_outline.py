"""The outline's shortcuts taken for speed (issue #12) give what the plain reading gives.

- find_headings reads a title's bounds from the characters at its edges and strips (copies) the
  rest of the line only when an edge character is one to skip: the bounds equal the plain reading
  (the rest of the line stripped, then the title up to 。 stripped) for every heading;
- nest drops the space before the next heading with one rstrip instead of a step per character;
- find_headings keeps the lines starting with CONTENTS_FIRST_CHAR as it passes every line, and
  the table of contents is looked for among those only, not by a search of every line.
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
from policyparse.patterns.labels import (
    ATTACHMENT_FIRST_CHARS, CONTENTS_FIRST_CHAR, CONTENTS_LINE_RE, TITLE_END, TITLE_LEAD_SKIP, TITLE_STRIP, UNTITLED_STYLES,
)
from policyparse.patterns.outline import LABEL_BY_FIRST_CHAR

REPO = Path(__file__).parents[1]
DOCS = sorted((REPO / "seeds").glob("*.txt")) + sorted(Path("/work/shared/dev/docs").glob("*.txt"))
TEXTS = [normalize.drop_bom(p.read_text(encoding="utf-8")) for p in DOCS]

PIECES = [
    "一、", "二、", "（一）", "(二)", "1.", "2．", "1.1", "1.2", "第一章", "第二条", "专栏1", "——", "-", "（1）", "①", "a.",
    "附件：", "目录", "总体要求", "主要目标", "到2025年", "达到5万家", "。", "，", "：", ":", " ", "\t", "\u3000", "\n", "\n",
    "\n\n", "\u3000\u3000", "市发展改革委牵头", "目  录", "目\u3000录", "目", "录", "目录\t", "项目录入",
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


# ---- the table of contents, looked for among the lines starting with CONTENTS_FIRST_CHAR ----------

def _check_contents(text: str) -> None:
    """find_headings' nodes equal those of the plain reading: the contents line looked for among
    every line of the document (_drop_contents given all lines as candidates)."""
    folded = normalize.fold(text)
    lines = segment.lines(folded)
    head = header_ex.read(lines, text)
    got = outline.find_headings(lines, skip=head.lines)
    plain = outline._drop_contents(_all_nodes(lines, head.lines), lines, lines)
    assert [(n.line_number, n.label_start, n.title_end) for n in got] == \
        [(n.line_number, n.label_start, n.title_end) for n in plain], text


def _all_nodes(lines, skip):
    """find_headings' nodes before the contents are dropped: with no line kept as a contents
    candidate, _drop_contents returns them all."""
    saved = outline._drop_contents
    try:
        outline._drop_contents = lambda nodes, lines, candidates: nodes
        return outline.find_headings(lines, skip=skip)
    finally:
        outline._drop_contents = saved


def test_contents_first_char_is_where_every_contents_line_starts():
    assert CONTENTS_LINE_RE.pattern.startswith(CONTENTS_FIRST_CHAR)
    assert CONTENTS_FIRST_CHAR not in LABEL_BY_FIRST_CHAR and CONTENTS_FIRST_CHAR not in ATTACHMENT_FIRST_CHARS
    for line in ["目录", "目  录", "目\u3000录", "目\t录", "目\x0c录"]:
        assert CONTENTS_LINE_RE.fullmatch(line) and line[0] == CONTENTS_FIRST_CHAR


@pytest.mark.parametrize("text", TEXTS, ids=[p.name for p in DOCS])
def test_contents_on_documents(text):
    _check_contents(text)


CONTENTS_DOCS = [
    "目录\n一、总体要求\t1\n二、主要任务……3\n一、总体要求\n正文。\n二、主要任务\n正文。\n",
    "标题\n\n目  录\n第一章 总则 .... 1\n第二章 规划 .... 5\n第一章 总则\n第一条 为了。\n第二章 规划\n",
    "\u3000\u3000目\u3000录\n（一）目标\n（二）任务\n（一）目标\n到2025年。\n",
    "项目录入\n一、总体要求\n二、任务\n",   # 录 in a line that is no contents line
]


@pytest.mark.parametrize("text", CONTENTS_DOCS)
def test_contents_cases(text):
    _check_contents(text)


def test_contents_cases_drop_the_contents():
    """Not vacuous: the contents documents above lose their contents entries."""
    dropped = 0
    for text in CONTENTS_DOCS:
        folded = normalize.fold(text)
        lines = segment.lines(folded)
        head = header_ex.read(lines, text)
        dropped += len(outline.find_headings(lines, skip=head.lines)) < len(_all_nodes(lines, head.lines))
    assert dropped == 3


@settings(max_examples=500, deadline=None)
@given(OUTLINE_TEXT)
def test_contents_on_random_outlines(text):
    _check_contents(text)
