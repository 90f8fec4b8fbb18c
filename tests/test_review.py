"""The review page's text layering (no browser): marks never change the text, crossing spans are
cut into nested pieces, and everything from the document is escaped. The browser checks are in
test_review_browser.py."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import parse_text, review
from policyparse.review import _Piece, _layers, _tokens


def _laminar(pieces):
    real = [p for p in pieces if p.end > p.start]
    for a in real:
        for b in real:
            if a is not b and a.start < b.start < a.end < b.end:
                return False
    return True


# (text, spans as (start, end, kind)) — crossing, nested, equal, touching and empty spans
CASES = [
    ("abcdefghij", [(0, 5, "units"), (3, 8, "target")]),            # a note crossing a target
    ("abcdefghij", [(3, 8, "target"), (0, 5, "units")]),
    ("abcdefghij", [(2, 6, "target"), (2, 6, "target")]),          # two targets at the same offset
    ("abcdefghij", [(2, 6, "target"), (4, 9, "target")]),          # two crossing targets
    ("abcdefghij", [(0, 10, "heading"), (2, 4, "target"), (4, 4, "warning")]),
    ("abcdefghij", [(0, 3, "heading"), (3, 6, "units"), (6, 6, "target")]),
    ("a\r\nb\r\nc", [(0, 3, "heading"), (1, 5, "target")]),        # a span across a CRLF
    ("abcdefghij", [(1, 9, "units"), (2, 5, "warning"), (4, 7, "target"), (0, 3, "heading")]),
]


def _spans(defs):
    return [_Piece(s, e, k, i) for i, (s, e, k) in enumerate(defs)]


@pytest.mark.parametrize("text,defs", CASES)
def test_pieces_cover_each_span_and_nest(text, defs):
    pieces = _layers(_spans(defs))
    assert _laminar(pieces)
    for i, (s, e, kind) in enumerate(defs):
        mine = sorted((p for p in pieces if p.index == i and p.kind == kind), key=lambda p: p.start)
        assert "".join(text[p.start:p.end] for p in mine) == text[s:e]
        assert [p.first for p in mine] == [True] + [False] * (len(mine) - 1)
    # a target is cut only by another target (it ranks above notes, warnings and headings)
    for i, (s, e, kind) in enumerate(defs):
        if kind == "target" and not any(k == "target" for j, (_, _, k) in enumerate(defs) if j != i):
            assert sum(1 for p in pieces if p.index == i and p.kind == kind) == 1


@pytest.mark.parametrize("text,defs", CASES)
def test_tokens_keep_the_text(text, defs):
    tokens = _tokens(text, _spans(defs))
    assert "".join(t[1] for t in tokens if t[0] == "text") == text
    depth = 0
    for t in tokens:
        depth += {"open": 1, "close": -1}.get(t[0], 0)
        assert depth >= 0
    assert depth == 0


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_spans_layer_into_nested_pieces(data):
    n = data.draw(st.integers(0, 40))
    kinds = list(review._RANK)
    defs = []
    for _ in range(data.draw(st.integers(0, 12))):
        s = data.draw(st.integers(0, n))
        e = data.draw(st.integers(s, n))
        defs.append((s, e, data.draw(st.sampled_from(kinds))))
    text = "x" * n
    pieces = _layers(_spans(defs))
    assert _laminar(pieces)
    for i, (s, e, kind) in enumerate(defs):
        mine = [p for p in pieces if p.index == i]
        assert sum(p.end - p.start for p in mine) == e - s
    tokens = _tokens(text, _spans(defs))
    assert "".join(t[1] for t in tokens if t[0] == "text") == text


class _DocText(HTMLParser):
    """The text inside <div id="doc">, as the HTML parser sees it (character references resolved)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.marks: dict[str, list[str]] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth == 0 and a.get("id") == "doc":
            self.depth = 1
            return
        if self.depth:
            self.depth += 1
            self._open.append(a.get("data-target"))

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self._open:
                self._open.pop()

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)
            for t in set(x for x in self._open if x is not None):
                self.marks.setdefault(t, []).append(data)


WRITTEN = "一、总体要求\r\n到2025年，全市建成<b>5G</b>基站2万个（市通信管理局牵头）。\r\n二、<script>alert(1)</script>\r\n"


def test_page_text_is_the_source_and_marks_hold_their_spans():
    doc = parse_text(WRITTEN, source="crlf.txt")
    assert doc.targets, "the test text must have a target"
    page = review.render_document(doc, WRITTEN)
    p = _DocText()
    p.feed(page)
    # Python's parser keeps a literal CR; the page writes CR as &#13; for browsers, which do not
    assert "".join(p.parts) == WRITTEN
    assert "\r" not in page.split('id="doc"', 1)[1].split("</div>", 1)[0]
    for i, t in enumerate(doc.targets):
        assert "".join(p.marks[str(i)]) == WRITTEN[t.span[0]:t.span[1]]


def test_document_text_is_escaped_everywhere():
    doc = parse_text(WRITTEN, source="<img src=x onerror=alert(2)>.txt")
    page = review.render_document(doc, WRITTEN)
    assert "<script>alert(1)</script>" not in page
    assert html.escape("<script>alert(1)</script>", quote=False) in page
    assert "<img src=x" not in page and "<b>5G" not in page
    # the data block for the script cannot be closed by the document's text
    data = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data
    # exactly two script elements: the data and the page's own script
    assert len(re.findall(r"<script\b", page)) == 2


def test_index_counts_and_escapes():
    doc = parse_text(WRITTEN, source="<x>.txt")
    row = review.index_row(doc, "x.html")
    sections = list(doc.iter_sections())
    assert row["sections"] == len(sections)
    assert row["targets"] == len(doc.targets)
    assert row["units"] == sum(1 for s in sections if s.units is not None)
    page = review.render_index([row], failed=["<bad>.txt"])
    assert "<x>.txt" not in page and "&lt;x&gt;.txt" in page and "<li>&lt;bad&gt;.txt</li>" in page


def test_record_and_model_give_the_same_page():
    from policyparse.pipeline import parse_record

    rec = parse_record(WRITTEN, "crlf.txt", "str")
    assert review.render_document(rec, WRITTEN) == review.render_document(parse_text(WRITTEN, "crlf.txt"), WRITTEN)
