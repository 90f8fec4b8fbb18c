"""The shortcuts taken for speed find exactly what the plain way finds.

Each fast path (a pattern matched only where its anchor word occurs, a cheap test before a
regex) is compared with the straightforward version on random text drawn from the characters
that matter to it, plus real documents.
"""
from __future__ import annotations

from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.extract import units as U
from policyparse.outline import match_heading
from policyparse.patterns import exclusions as X
from policyparse.patterns import labels as L
from policyparse.patterns import numbers as N
from policyparse.patterns import targets as PT
from policyparse.patterns import units as PU
from policyparse.segment import Line

CN_COUNT_RE = regex.compile(N.CN_COUNT_PATTERN)   # the count rule in full (look-behind and all)

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]

# Pieces that make the anchored patterns match, almost match, and overlap.
NUMBER_PIECES = [
    "一", "二", "两", "三", "五", "十", "百", "千", "零", "〇", "万", "亿", "万亿", "元", "吨", "个", "家", "项",
    "所", "条", "处", "批", "个百分点", "倍", "百分之", "点", "约", "近", "超过", "达到", "突破", "新建", "建成",
    "打造", "培育", "新增", "提高到", "控制在", "不低于", "稳定在", "第", "创建", "建设", "设立", "组建", "新建",
    "建成", "超过约", "\u3000", "1", "5", "0", "12", "3.5", "1,200",
    "%", "以上", "左右", "，", "。", "、", ")", " ", "\n", "年", "的", "产业",
]
NUMBER_TEXT = st.lists(st.sampled_from(NUMBER_PIECES), max_size=40).map("".join)


def spans(matches):
    return [m.span() for m in matches]


def matched(matches):
    return [(m.span(), m.groupdict()) for m in matches]


def _check_anchored(text: str) -> None:
    runs = T._digit_runs(text)
    assert spans(T._matches_at(CN_COUNT_RE, text, T._count_starts(text))) == spans(CN_COUNT_RE.finditer(text))
    bare_at = T._bare_number_starts(text, runs)
    assert spans(T._matches_at(N.BARE_NUMBER_RE, text, bare_at)) == spans(N.BARE_NUMBER_RE.finditer(text))
    # the Arabic quantities: the stdlib pattern at the gated digit runs, groups and all
    quantity_at = T._quantity_starts(text, runs)
    assert matched(T._matches_at(N.QUANTITY_AT_RE, text, quantity_at)) == matched(N.QUANTITY_RE.finditer(text))


@settings(max_examples=400, deadline=None)
@given(NUMBER_TEXT)
def test_anchored_count_and_bare_number_find_what_finditer_finds(text):
    _check_anchored(text)


# Pieces around Arabic numbers: what may follow the digits (decimals, comma groups, ranges,
# multipliers that are or start a measure word, 余/多, a rate), what may not stand before them,
# spaces that regex's \s does and does not take, and digits from other scripts (Arabic-Indic,
# and two the stdlib's older Unicode tables do not know).
QUANTITY_PIECES = [
    "1", "2", "0", "12", "3.5", "1,200", "1,2345", ",", ".", "-", "~", "—", "至", "到", " ", "\u3000", "\x1c", "\t",
    "万", "亿", "千", "百", "十", "万亿", "千瓦", "千米", "百分点", "个", "吨", "元", "%", "‰", "余", "多", "/", "年",
    "人", "A", "x", "_", "\u0663", "\U000116d0", "\U0001d7ce", "家", "以上", "标准煤", "平方米", "/万元", "立方米",
    "达到", "超过", "提高到", "高到", "不低于", "控制在", "新建", "近", "约", "超", "两", "三", "所", "条", "。", "，",
]
QUANTITY_TEXT = st.lists(st.sampled_from(QUANTITY_PIECES), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(QUANTITY_TEXT)
def test_gated_quantities_find_what_finditer_finds(text):
    _check_anchored(text)


def test_stdlib_digit_class_is_regex_digit():
    """numbers.DIGIT holds exactly the code points the installed `regex`'s \\d matches (the
    stdlib's own \\d misses the newest scripts' digits)."""
    import re

    import regex
    every = "".join(map(chr, range(0x110000)))
    assert set(re.findall(N.DIGIT, every)) == set(regex.findall(r"\d", every))


def test_quantity_gates_read_the_pattern():
    """The look-behind's characters are NOT_BEFORE_NUMBER, and nothing a quantity's digits can
    be followed by starts outside AFTER_DIGITS_FIRST or with a comma (the number's two forms
    are then one: see patterns/numbers.py)."""
    for code in range(0x3100):
        c = chr(code)
        assert bool(N.QUANTITY_RE.match(c + "5万吨", 1)) == (c not in N.NOT_BEFORE_NUMBER), repr(c)
    followers = list(N.UNIT_WORDS) + list(N.MULTIPLIERS) + ["%", "‰", "-", "~", "—", "至", "到", "余", "多"]
    assert all(w[0] in N.AFTER_DIGITS_FIRST and w[0] != "," for w in followers)


@settings(max_examples=400, deadline=None)
@given(NUMBER_TEXT)
def test_cn_quantities_from_wan_and_yi_find_what_finditer_finds(text):
    assert spans(T._cn_quantities(text)) == spans(N.CN_QUANTITY_RE.finditer(text))


@settings(max_examples=200, deadline=None)
@given(NUMBER_TEXT)
def test_cn_change_gate_never_hides_a_match(text):
    if N.CN_CHANGE_RE.search(text):
        assert T._cn_before(text, ("个百分点", "倍"))


def test_anchored_finders_on_seeds():
    for text in SEED_TEXTS:
        _check_anchored(text)
        assert spans(T._cn_quantities(text)) == spans(N.CN_QUANTITY_RE.finditer(text))


def test_seed_finders_are_exercised():
    """The seeds do contain these forms, so the comparison above is not vacuous."""
    joined = "\n".join(SEED_TEXTS)
    assert list(N.CN_QUANTITY_RE.finditer(joined)) and list(N.BARE_NUMBER_RE.finditer(joined))


# ---- exclusions: the union gates ----------------------------------------------------------------

AROUND_PIECES = ["号", "级", "系列", "型", "届", "代", "版", "第", "个", "月", "年", "工作日", "以下", "以上", "及以下",
                 "的", "年产", "幅宽", "规模在", "过", "超过", "聚焦", "围绕", "给予", "最高", "奖励", "不超过",
                 "企业", "，", " ", "多", "余", "左右", "类产品", "次会议", "紧扣", "补助", "予以", "的比例", "年满",
                 "年龄", "门", "委", "部门", "等", "、", "推进", "在", "县", "重点", "低于", "不高于", "不足", "超", "赶"]
AROUND_TEXT = st.lists(st.sampled_from(AROUND_PIECES), max_size=5).map("".join)
AFTER_RULES = [X.CRITERION_AFTER_RE, X.DOC_NUMBER_AFTER_RE, X.NAME_AFTER_RE, X.DURATION_AFTER_RE,
               X.THRESHOLD_AFTER_RE, X.BAND_AFTER_RE, X.INCENTIVE_AFTER_RE, X.ELIGIBILITY_AFTER_RE,
               X.ISSUER_AFTER_RE, X.ISSUER_COUNT_AFTER_RE, X.INCIDENT_AFTER_RE]
BEFORE_RULES = [X.INCENTIVE_BEFORE_RE, X.ORDINAL_BEFORE_RE, X.THRESHOLD_BEFORE_RE, X.BAND_BEFORE_RE,
                X.FOCUS_BEFORE_RE, X.ELIGIBILITY_BEFORE_RE, X.NAMED_SET_BEFORE_RE, X.DESIGNATED_BEFORE_RE,
                X.ELIGIBILITY_CAP_BEFORE_RE, X.BAND_SUPER_BEFORE_RE]


def test_exclusion_unions_list_every_rule():
    """The unions are built from these lists: a rule added to exclusions.py must be listed here too."""
    assert set(AFTER_RULES) == set(X.AFTER_RULES) and set(BEFORE_RULES) == set(X.BEFORE_RULES)


@settings(max_examples=400, deadline=None)
@given(AROUND_TEXT, AROUND_TEXT)
def test_exclusion_unions_match_when_any_rule_does(before, after):
    assert bool(X.ANY_AFTER_RE.match(after)) == any(r.match(after) for r in AFTER_RULES)


# ---- outline and units gates --------------------------------------------------------------------

LABEL_SAMPLES = ["第一章", "第3节", "第十二条", "第一部分", "专栏1.1", "(一)", "(12)", "1)", "十二、", "三.", "19.", "1、",
                 "①", "㉑", "㊿", "---", "——", "—", "──"]


def test_every_label_style_starts_with_an_allowed_character():
    for label in LABEL_SAMPLES:
        assert L.LABEL_RE.match(label), label
        assert label[0] in L.LABEL_FIRST_CHARS or label[0].isdecimal(), label


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=6))
def test_label_first_character_gate_loses_no_heading(text):
    line = Line(0, 0, len(text), text)
    if L.LABEL_RE.match(text):
        assert match_heading(line) is not None


NAME_PIECES = ["市科技局", "省发展改革委", "牵头", "负责", "配合", "参与", "协助", "协同", "落实", "指导", "牵头负责",
               "按职责分工", "根据职责", "各自职能", "分别", "共同", "具体", "按要求", " ", "等"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=5).map("".join))
def test_role_word_gate_drops_what_the_substitutions_drop(name):
    plain = name
    for _ in range(2):
        plain = PU.DUTY_PHRASE_RE.sub("", PU.ROLE_VERB_RE.sub("", plain))
    assert U._drop_role_words(name) == plain.strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES + ["、", "，", "："]), max_size=8).map("".join))
def test_role_verb_gate_only_skips_notes_without_a_role_verb(inner):
    if not any(v in inner for v in U._SHORTEST_ROLE_VERBS):
        assert not any(PU.ROLE_VERB_RE.search(p.strip()) for p in PU.PART_SEP_RE.split(inner))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="（）()％．０１９ＡａＺ\u3000\u00a0\u2013\u2212\u301c\ufeff：:，、。\n x", max_size=12))
def test_fold_replaces_every_foldable_character(text):
    expected = "".join(normalize.FOLD_TABLE.get(ord(c), c) for c in text)
    if "\r" not in text:
        assert normalize.fold(text) == expected


# ---- indicator cleaning: anchored matches and the tail gate -------------------------------------


INDICATOR_PIECES = PT.INDICATOR_TAIL_WORDS[::3] + [
    "到2025年", "2015年底，", "比2010年", "较2010年", "较“十二五”末", "“十三五”期间", "力争", "其中", "实现", "拥有",
    "全省", "六大产业", "主营业务收入", "软件业务收入", "企业", "数量", "，", "、", " ", "\n", "。", "的", "以上",
]


INDICATOR_LEAD_REGEX = regex.compile(PT.INDICATOR_LEAD_PATTERN)   # the lead as the `regex` module reads it


def _clean_reference(text: str) -> str:
    """_clean_indicator as plain substitutions."""
    edges = " ，,、；;：:。"
    text = text.strip(edges)
    for _ in range(3):
        new = PT.INDICATOR_TAIL_RE.sub("", INDICATOR_LEAD_REGEX.sub("", text)).strip(edges)
        new = PT.MID_VERB_RE.sub("", new)
        if new == text:
            break
        text = new
    return text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(INDICATOR_PIECES), max_size=8).map("".join))
def test_clean_indicator_matches_plain_substitutions(text):
    assert T._clean_indicator(text) == _clean_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(INDICATOR_PIECES), min_size=1, max_size=6).map("".join))
def test_indicator_tail_ends_with_a_listed_character(text):
    m = PT.INDICATOR_TAIL_RE.search(text)
    if m:
        assert text[-1] in PT.INDICATOR_TAIL_ENDS
