"""The shortcuts taken for speed in the outline, units, header and tables find exactly what the
plain way finds (issue #12: the structure side; tests/test_fast_paths.py has the target side).

- patterns moved from `regex` to the stdlib `re` match what `regex` matches with the same source;
- the note scan that jumps from bracket to bracket finds what NOTE_RE.finditer finds;
- a first-character gate before a regex never hides a match.
Each is compared on random text drawn from the characters that matter to it, plus the seeds.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize, segment
from policyparse.extract import tables as TX
from policyparse.extract import units as U
from policyparse.patterns import labels as L
from policyparse.patterns import outline as PO
from policyparse.patterns import tables as PT
from policyparse.patterns import units as PU

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]


def spans(matches):
    return [m.span() for m in matches]


def test_space_is_regex_whitespace():
    """SPACE spells out `regex`'s \\s (stdlib \\s also takes \\x1c-\\x1f): every code point agrees."""
    ref = regex.compile(r"\s")
    space = re.compile(PU.SPACE)
    assert [c for c in range(0x110000) if bool(ref.match(chr(c))) != bool(space.match(chr(c)))] == []
    assert re.compile(r"\s").match("\x1c") and not space.match("\x1c")   # why SPACE exists


STDLIB_UNIT_PATTERNS = [name for name in dir(PU) if name.endswith("_RE") and isinstance(getattr(PU, name), re.Pattern)]

UNIT_PIECES = [
    "牵头单位", "配合单位", "责任单位", "负责部门", "牵头", "配合", "负责", "落实", "牵头负责", "指导", "参与", "协助",
    "市发展改革委", "市科技局", "各区县政府", "会同", "有关部门", "相关", "其他", "等", "由", "自由", "理由", "以下", "下同",
    "注", "含", "按职责分工", "根据职责", "分别", "共同", "(", ")", "（", "）", "【", "】", ":", "：", "；", ";", "，", ",", "、",
    "。", ".", " ", "\t", "\n", "\u3000", "\x1c", "\x85", "\u2028", "x",
]
UNIT_TEXT = st.lists(st.sampled_from(UNIT_PIECES), max_size=30).map("".join)


def test_units_patterns_are_on_the_stdlib_engine():
    """Every one, FIELD_RE included: the list the comparison below runs over is not empty."""
    assert {"NOTE_RE", "BARE_LABEL_LINE_RE", "LABEL_MARKER_RE", "ROLE_VERB_RE", "TRAILING_ETC_RE", "FIELD_RE"} <= set(STDLIB_UNIT_PATTERNS)


def test_han_is_regex_han_script():
    """HAN spells out `regex`'s \\p{Han}: every code point agrees."""
    ref = regex.compile(r"\p{Han}")
    han = re.compile(PU.HAN)
    assert [c for c in range(0x110000) if bool(ref.match(chr(c))) != bool(han.match(chr(c)))] == []


# FIELD_RE as it was written for `regex`, before HAN and SPACE spelled its classes out
FIELD_RE_AS_REGEX = regex.compile(r"(?:^|[，,；;。\s])(?P<field>\p{Han}{2,6})\s*[:：]")
FIELD_PIECES = UNIT_PIECES + ["适用范围", "完成时限", "\u4e00", "\u3400", "\U00020000", "\u2e9a", "\uf900", "ｘ", "〇", "々"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FIELD_PIECES), max_size=30).map("".join))
def test_field_re_on_the_stdlib_matches_what_regex_matched(text):
    assert [m.span("field") for m in PU.FIELD_RE.finditer(text)] == [m.span("field") for m in FIELD_RE_AS_REGEX.finditer(text)]


@pytest.mark.parametrize("name", STDLIB_UNIT_PATTERNS)
def test_stdlib_unit_pattern_matches_what_regex_matches(name):
    pattern = getattr(PU, name)
    ref = regex.compile(pattern.pattern, pattern.flags & (re.M | re.S | re.I))

    @settings(max_examples=300, deadline=None)
    @given(UNIT_TEXT)
    def check(text):
        assert spans(pattern.finditer(text)) == spans(ref.finditer(text))
        assert bool(pattern.match(text)) == bool(ref.match(text))
        assert pattern.sub("", text) == ref.sub("", text)
        assert pattern.split(text) == ref.split(text)

    check()
    for text in SEED_TEXTS:
        assert spans(pattern.finditer(text)) == spans(ref.finditer(text))


NOTE_PIECES = ["(", ")", "【", "】", "\n", "市科技局", "牵头", "x", "、", "(各县(市、区)政府)", "（", "）", "(" * 3, ")" * 2]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NOTE_PIECES), max_size=30).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_note_scan_from_bracket_to_bracket_finds_what_finditer_finds(text, a, b):
    start, stop = min(a, b, len(text)), min(max(a, b), len(text))
    expected = []
    for m in PU.NOTE_RE.finditer(text[start:stop]):
        g = "inner" if m.group("inner") is not None else "inner2"
        expected.append((start + m.start(), start + m.end(), start + m.start(g), start + m.end(g)))
    assert U._notes(text[start:stop], start) == expected


@pytest.mark.parametrize("size", [0, 1, 2, 3, 599, 600, 601, 602])
@pytest.mark.parametrize("form", ["({})", "【{}】", "(({}))", "(a(b){})", "({}\n)", "【【{}】", "({}】", "(({})"])
def test_note_scan_at_the_length_limits(size, form):
    """A note holds 2-600 characters (an inner bracket counts as one): the shortcut for a note
    without inner brackets keeps both limits."""
    text = "x" + form.format("市" * size) + "y"
    expected = [(m.start(), m.end(), m.start(m.lastgroup), m.end(m.lastgroup)) for m in PU.NOTE_RE.finditer(text)]
    assert U._notes(text) == expected
    assert U._notes(text[1:-2], 1) == [(m.start() + 1, m.end() + 1, m.start(m.lastgroup) + 1, m.end(m.lastgroup) + 1)
                                               for m in PU.NOTE_RE.finditer(text[1:-2])]


def test_note_scan_on_seeds():
    for text in SEED_TEXTS:
        expected = [(m.start(), m.end(), m.start(m.lastgroup), m.end(m.lastgroup)) for m in PU.NOTE_RE.finditer(text)]
        assert U._notes(text) == expected
        assert expected   # the seeds hold notes: the comparison is not vacuous


ATTACHMENT_SAMPLES = ["附件：", "附件1", "附件 2：任务清单", "附：", "附表1", "附录", "名词解释", "附 件"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="附件表录名词解释：: \t12x", min_size=1, max_size=8) | st.text(min_size=1, max_size=6))
def test_attachment_first_character_gate_loses_no_attachment_line(text):
    if L.ATTACHMENT_LINE_RE.match(text):
        assert text[0] in L.ATTACHMENT_FIRST_CHARS


def test_attachment_samples_pass_the_gate():
    for text in ATTACHMENT_SAMPLES:
        assert L.ATTACHMENT_LINE_RE.match(text) and text[0] in L.ATTACHMENT_FIRST_CHARS, text


BARE_PIECES = ["责任单位", "牵头单位", "配合", ":", "：", "市科技局", "、", "。", ".", " ", "\t", "\u3000", "\n", "\n\n", "x", "\x1c"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(BARE_PIECES), max_size=25).map("".join))
def test_bare_label_lines_at_line_starts_find_what_finditer_finds(chunk):
    assert spans(U._bare_label_lines(chunk)) == spans(PU.BARE_LABEL_LINE_RE.finditer(chunk))


def test_bare_label_lines_on_seeds_and_a_note_line():
    for text in [*SEED_TEXTS, "加强监管。\n  责任单位：市科技局、市财政局。\n配合单位：各区政府\n责任单位"]:
        assert spans(U._bare_label_lines(text)) == spans(PU.BARE_LABEL_LINE_RE.finditer(text))
    assert len(U._bare_label_lines("加强监管。\n  责任单位：市科技局、市财政局。\n配合单位：各区政府")) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="（）()％．０１９ＡａＺ\u3000\u00a0\u2013\u2212\u301c\ufeff：:，、。\r\n x市", max_size=20))
def test_fold_is_the_table_applied_to_every_character(text):
    expected = "".join(normalize.FOLD_TABLE.get(ord(c), c) for c in text).replace("\r\n", " \n").replace("\r", "\n")
    assert normalize.fold(text) == expected


# ---- the note reader's shortcuts (issue #12: units) ---------------------------------------------

# REMARK_LEAD_RE as it was, before str.startswith(REMARK_LEADS) replaced it
REMARK_LEAD_AS_REGEX = re.compile(r"^(?:以下|以上|下同|上同|不再|排在|排名|排序|注[:：]?|其中|备注)")


@settings(max_examples=300, deadline=None)
@given(UNIT_TEXT)
def test_remark_leads_start_what_the_remark_pattern_matches(text):
    assert text.startswith(PU.REMARK_LEADS) == bool(REMARK_LEAD_AS_REGEX.match(text))


@settings(max_examples=400, deadline=None)
@given(UNIT_TEXT)
def test_split_names_on_one_separator_splits_as_the_class_does(part):
    """split_names turns 、，, into one separator and splits with str.split: the names are those of
    a split on the class NAME_SPLIT_RE, stripped, without a trailing 等…, empty ones dropped."""
    if "会同" in part or "(" in part or "（" in part:
        return   # those take other paths, unchanged
    expected = []
    for name in U.NAME_SPLIT_RE.split(part):
        name = PU.TRAILING_ETC_RE.sub("", name.strip(" \t\u3000：:")).strip()
        if name:
            expected.append(name)
    assert U.split_names(part) == expected


LABELLED_PIECES = ["牵头单位", "配合单位", "责任单位", "负责部门", "牵头", "配合", "适用范围", "完成时限", "主要", "协调",
                   "市科技局", "各区县政府", ":", "：", "；", "，", "、", "。", " ", "\u3000", "\n", "x", "1", "(", "）"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LABELLED_PIECES), min_size=1, max_size=16).map("".join))
def test_other_fields_shortcut_finds_what_the_field_scan_finds(inner):
    """No other field when every colon ends a marker and no marker follows a Han character."""
    marks = list(PU.LABEL_MARKER_RE.finditer(inner))
    starts = {m.start() for m in marks}
    expected = [f.start("field") for f in PU.FIELD_RE.finditer(inner) if f.start("field") not in starts]
    assert U._other_fields(inner, marks) == expected


def test_no_character_is_both_a_letter_and_a_digit():
    """is_org_name skips its digit test for a name of letters (str.isalpha)."""
    assert [c for c in range(0x110000) if chr(c).isalpha() and chr(c).isdigit()] == []


NAME_END_PIECES = ["市", "科技", "局", "委员会", "管委会", "会", "协会", "中心", "办公室", "室", "x", "1", "①", "（", "）", "各", "国家"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_END_PIECES), min_size=1, max_size=8).map("".join))
def test_suffixes_by_last_character_end_what_org_suffixes_end(name):
    assert name.endswith(U._SUFFIXES_BY_LAST.get(name[-1], ())) == name.endswith(PU.ORG_SUFFIXES)
    plain = (PU.MIN_NAME_LEN <= len(name) <= PU.MAX_NAME_LEN and not any(map(str.isdigit, name))
             and (name.endswith(PU.ORG_SUFFIXES) or (name.startswith(PU.ORG_PREFIXES) and len(name) >= 3)))
    assert U.is_org_name(name) == plain


@settings(max_examples=300, deadline=None)
@given(UNIT_TEXT)
def test_last_character_gates_hide_no_role_verb_and_no_role_tag(text):
    text = text.strip()
    if text and text[-1] not in U._ROLE_VERB_ENDS:
        assert PU.ROLE_VERB_RE.search(text) is None
    if text and text[-1] not in ")）":
        assert PU.NAME_ROLE_TAG_RE.search(text) is None


# ---- outline labels on the stdlib engine ----------------------------------------------------------

def test_digit_is_regex_digit():
    """DIGIT holds exactly the code points `regex` gives \\d (HAN and SPACE: units' tests above)."""
    ref = regex.compile(r"\d")
    mine = re.compile(f"[{PO.DIGIT}]")
    assert [c for c in range(0x110000) if bool(ref.match(chr(c))) != bool(mine.match(chr(c)))] == []
    assert mine.match("\U0001e4f0") and not re.compile(r"\d").match("\U0001e4f0")   # why DIGIT exists


def test_stdlib_rewrite_spells_classes_in_and_out_of_sets_and_refuses_the_rest():
    assert PO.stdlib(r"\d+[\d%]\s*\p{Han}\.\(x\)") == f"[{PO.STDLIB_DIGIT}]+[{PO.STDLIB_DIGIT}%][{PU.SPACE_CHARS}]*{PU.HAN}\\.\\(x\\)"
    assert PO.stdlib(r"[]\d]") == f"[]{PO.STDLIB_DIGIT}]"
    for bad in (r"\w", r"\p{Lu}", r"\X", r"[[a]]"):
        with pytest.raises(ValueError):
            PO.stdlib(bad)


def _label_match(pattern, text):
    m = pattern.match(text)
    if m is None:
        return None
    style = m.lastgroup
    return style, m.span(), m.span(f"{style}_num")


def _dispatched(text):
    """What outline.match_heading matches: the first character's styles only, behind the old gate."""
    styles = PO.LABEL_BY_FIRST_CHAR.get(text[:1])
    m = styles[0].match(text) if styles else None
    if m is None:
        return None
    style, group = styles[1][m.lastindex]
    assert style == m.lastgroup
    return style, m.span(), m.span(group)


def _gated(text):
    """The old way: labels.LABEL_RE (`regex`) on lines whose first character passed the gate."""
    return _label_match(L.LABEL_RE, text) if text[:1] in L.LABEL_FIRST_CHARS or text[:1].isdecimal() else None


LABEL_PIECES = ["第", "一", "十二", "〇", "3", "12", "2025", "章", "节", "条", "部分", "篇", "规定", "的", "专栏", "专栏 ",
                "(", ")", "（", "）", ".", "、", "-", "—", "——", "─", "―", "①", "㉑", "㊿", "a", "B", "e.g", "%", "万", "元",
                " ", "\t", "\u3000", "\x1c", "\u2028", "总则", "年", "市", "٣", "\U0001e4f1", "〇", "々", "\u2e80"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=8).map("".join) | st.text(min_size=1, max_size=8))
def test_stdlib_label_pattern_matches_what_regex_matches(text):
    assert _label_match(PO.LABEL_RE, text) == _label_match(L.LABEL_RE, text)
    assert _dispatched(text) == _gated(text)


@pytest.mark.parametrize("style,ptn", L.LABEL_STYLES)
def test_each_style_starts_with_its_first_characters(style, ptn):
    """STYLE_FIRST_CHARS is right for every style: no match starts elsewhere, and each is used."""
    pattern = regex.compile(ptn)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=6).map("".join))
    def check(text):
        if pattern.match(text):
            assert text[0] in PO.STYLE_FIRST_CHARS[style] or not (text[0] in L.LABEL_FIRST_CHARS or text[0].isdecimal())

    check()
    assert all(ch in L.LABEL_FIRST_CHARS or ch.isdecimal() for ch in PO.STYLE_FIRST_CHARS[style])
    assert any(pattern.match(s) for s in STYLE_SAMPLES if s[0] in PO.STYLE_FIRST_CHARS[style])


STYLE_SAMPLES = ["第一章", "第3节", "第十二条", "第一部分", "专栏1.1", "(一)", "(12)", "1)", "十二、", "三.", "1.1编制", "19.",
                 "1、", "1 总则", "①", "㊿", "a.", "b)", "---", "——", "─"]


def test_the_first_characters_of_the_styles_are_the_gate():
    union = {ch for chars in PO.STYLE_FIRST_CHARS.values() for ch in chars}
    assert set(L.LABEL_FIRST_CHARS) <= union and set(PO.LABEL_BY_FIRST_CHAR) == union
    assert set(PO.STYLE_FIRST_CHARS) == {s for s, _ in L.LABEL_STYLES}


def test_stdlib_label_pattern_on_seed_lines():
    lines = [ln.strip(" \t") for text in SEED_TEXTS for ln in text.split("\n")]
    assert sum(1 for ln in lines if L.LABEL_RE.match(ln)) > 40   # the seeds hold headings: not vacuous
    for ln in lines:
        assert _label_match(PO.LABEL_RE, ln) == _label_match(L.LABEL_RE, ln), ln
        assert _dispatched(ln) == _gated(ln), ln




# ---- tables: the whole-text gates before the row searches ----------------------------------------

TABLE_PIECES = ["指标", "单位", "2020年", "2025年", "属性", "预期性", "地区生产总值", "亿元", "5000", "6.5%", " ", "  ", "   ",
                "\t", "|", "|---|", "\n", "\n\n", "\u3000", "\u3000\u3000", "一、主要目标", "序号", "1", "经济发展", "。", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TABLE_PIECES), max_size=30).map("".join))
def test_table_gates_hide_no_table(text):
    """find() skips the row searches when no line's text holds a separator: they find nothing then."""
    folded = normalize.fold(text)
    lines = segment.lines(folded)
    texts = "\n".join(ln.text for ln in lines)
    rows = TX._row_tables(folded, lines)
    single = TX._single_space_tables(folded, lines, [(t.start, t.end) for t in rows])
    if not ("\t" in texts or "|" in texts or "  " in texts):
        assert rows == []
    if " " not in texts:
        assert single == []


def test_blank_is_strip_without_the_copy():
    """readers.blank(text) is `not text.strip()`: every code point alone, after text and around
    it, and texts of whitespace, empty or not, with a file's newline at the end."""
    from policyparse.readers import blank

    spaces = "".join(ch for ch in map(chr, range(0x110000)) if not ch.strip())
    for ch in map(chr, range(0x110000)):
        for text in (ch, ch + "\n", " " + ch + "\u3000", ch * 3):
            assert blank(text) == (not text.strip()), hex(ord(ch))
    for text in ("", spaces, spaces + "\n", "\n\n\r\n", "一、总体要求\n", " \u3000 x \n", "\x00", "\ufeff"):
        assert blank(text) == (not text.strip()), repr(text)
