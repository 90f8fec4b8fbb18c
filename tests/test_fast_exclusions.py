"""The exclusion rules on the stdlib engine answer what the `regex` rules answer (issue #12).

patterns/exclusions.py's STDLIB holds, for the rules read per number, the same pattern text
compiled by the stdlib `re` (rewritten by patterns/outline.py's stdlib()); extract/targets.py
runs each behind a gate (G) on the first character after the number or the last one before it.
Each twin is compared with its rule, and each gate with what the rule finds, on random text drawn
from the rules' words, cut and overlapping, spaces that `regex`'s \\s does and does not take, and
digits of other scripts; plus positives and negatives written out, and the seeds.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse.patterns.outline import stdlib
from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.extract.anchors import end_gate, last_chars, match_gate
from policyparse.patterns import exclusions as X

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]

TWINS = sorted(vars(X.STDLIB).items())

# The rules' words, whole and cut, what stands around numbers, and characters where the two
# engines' classes could part: spaces (\x1c is stdlib \s only), digits of other scripts, Han edges.
PIECES = [
    "号", "级", "系列", "型", "届", "代", "版", "第", "个", "月", "年", "工作日", "小时", "季度", "以下", "以上", "及以下",
    "及以上", "以内", "以下的", "以下规模", "的", "年产", "年产能", "幅宽", "规模在", "单台", "浴比", "过", "超过", "通过",
    "超", "赶超", "聚焦", "围绕", "瞄准", "给予", "最高", "奖励", "不超过", "补助", "予以", "的比例", "进行", "年满", "年龄",
    "年龄在", "门", "委", "部门", "部委", "委办局", "等", "、", "推进", "在", "对", "县", "市", "区", "街道", "园区", "重点",
    "低于", "不高于", "未达到", "不足", "完成", "新增", "引导完成", "降低", "控制在", "家庭", "申请人", "企业", "多", "余",
    "左右", "类产品", "次会议", "，", ",", "。", "；", ";", "、", ")", "）", " ", "\u3000", "\t", "\n", "\x1c", "\x85",
    "\u2028", "5", "12", "\u0663", "\U0001e4f0", "\uff15", "a", "\u4e00", "\u9fff", "\u3400", "\U00020000",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def _same(ours, theirs) -> bool:
    return (ours is None) == (theirs is None) and (ours is None or (ours.span(), ours.groups()) == (theirs.span(), theirs.groups()))


def _check(text: str) -> None:
    for name, twin in TWINS:
        rule = getattr(X, name)
        assert _same(twin.match(text), rule.match(text)), (name, text)
        assert _same(twin.search(text), rule.search(text)), (name, text)
        if len(text) > 2:
            assert _same(twin.search(text, 1, len(text) - 1), rule.search(text, 1, len(text) - 1)), (name, text)
    for name, gate in vars(T.G).items():
        rule = getattr(X, name)
        if rule in T._AFTER_MATCHED and rule.match(text):
            assert text[:1] in gate, (name, text)
        if rule in T._BEFORE_SEARCHED and rule.search(text):
            assert text[-1:] in gate, (name, text)
    # the union of the words before a number, as _excluded reads it
    # (a wider test than the union: it lets a number on to _excluded_by_words, never one less)
    body = text.rstrip(T.SPACE_CHARS)
    shortcut = body.endswith(T.BEFORE_WORDS_BY_LAST.get(body[-1:], ())) or T.BEFORE_RULES_UNWORDED_RE.search(text)
    assert shortcut or not any(r.search(text) for r in X.BEFORE_RULES), text
    for twin, words in T._BEFORE_WORDS:   # exact for a rule without a look-behind
        if words is not None and "(?<" not in twin.pattern:
            assert body.endswith(words) == bool(twin.search(text)), (twin.pattern, text)


@settings(max_examples=1500, deadline=None)
@given(TEXT)
def test_stdlib_twins_and_gates_answer_what_the_rules_answer(text):
    _check(text)


# Pieces of sentences in the past and future tense: the words whole, cut and overlapping.
TENSE_PIECES = [
    "同比", "比上年", "上年", "较上", "去年", "过去一年", "过去五年", "过去", "增长了", "提高", "完成了", "实现了", "已经", "已达",
    "已有", "已建成", "累计完成", "累计", "分别完成", "目前", "截至", "截止", "以来", "近年来", "多年来", "年", "来", "力争",
    "到", "2025", "达到", "将", "，", "。", "\n", " ", "\x1c", "增长", "5%", "企业",
]
TENSE_TEXT = st.lists(st.sampled_from(TENSE_PIECES), max_size=20).map("".join)


@settings(max_examples=800, deadline=None)
@given(TENSE_TEXT)
def test_sentence_twins_answer_what_the_rules_answer(text):
    for name in ("PAST_WORDS_RE",):
        rule, twin = getattr(X, name), getattr(X.STDLIB, name)
        for start in range(0, len(text) + 1, 3):
            assert _same(twin.search(text, start), rule.search(text, start)), (name, text, start)
            assert _same(twin.search(text, 0, start), rule.search(text, 0, start)), (name, text, start)


def test_past_words_twin_in_seed_sentences():
    found = 0
    for text in SEED_TEXTS:
        for line in text.split("\n"):
            ours, theirs = X.STDLIB.PAST_WORDS_RE.search(line), X.PAST_WORDS_RE.search(line)
            assert _same(ours, theirs), line
            found += theirs is not None
    assert found   # the seeds do hold past-tense sentences: the comparison is not vacuous


def test_every_per_number_rule_has_a_twin_of_its_own_text():
    """The twins are the rules compiled from their own text (nothing written twice), one for
    each rule the per-number code runs on the stdlib."""
    assert {name for name, _ in TWINS} == {name for name, value in vars(X).items()
                                           if isinstance(value, regex.Pattern) and value in X.STDLIB_TWINS}
    assert set(X.AFTER_RULES) | set(X.BEFORE_RULES) <= set(X.STDLIB_TWINS)
    for name, twin in TWINS:
        assert isinstance(twin, re.Pattern)
        assert twin.pattern == stdlib(getattr(X, name).pattern)


# Written-out cases: (rule, text, the match's span or None). Positives and negatives side by side.
CASES = [
    ("NAME_AFTER_RE", "级以上企业", (0, 1)), ("NAME_AFTER_RE", "次会议", (0, 3)), ("NAME_AFTER_RE", "次", None),
    ("DOC_NUMBER_AFTER_RE", "号文件", (0, 1)), ("DOC_NUMBER_AFTER_RE", "个号", None),
    ("DURATION_AFTER_RE", "个月", (0, 2)), ("DURATION_AFTER_RE", "多个工作日内", (0, 5)), ("DURATION_AFTER_RE", "个企业", None),
    ("THRESHOLD_AFTER_RE", "以下，", None), ("THRESHOLD_AFTER_RE", "以下 ", None), ("THRESHOLD_AFTER_RE", "以下\u3000", None),
    ("THRESHOLD_AFTER_RE", "以下\x1c", (0, 2)), ("THRESHOLD_AFTER_RE", "以下", None), ("THRESHOLD_AFTER_RE", "以下烧结机", (0, 2)),
    ("THRESHOLD_AFTER_RE", "及以下", (0, 3)),
    ("CRITERION_AFTER_RE", "以上的企业", (0, 3)), ("CRITERION_AFTER_RE", "以上项目", (0, 2)), ("CRITERION_AFTER_RE", "以上。", None),
    ("CRITERION_AFTER_RE", "以上\u9fff", (0, 2)), ("CRITERION_AFTER_RE", "以上\u3400", None),
    ("BAND_NOUN_AFTER_RE", "企业", (0, 1)), ("BAND_NOUN_AFTER_RE", "\u3400", None),
    ("ORDINAL_BEFORE_RE", "建成第 ", (2, 4)), ("ORDINAL_BEFORE_RE", "建成第\x1c", None), ("ORDINAL_BEFORE_RE", "第\n", (0, 2)),
    ("ORDINAL_BEFORE_RE", "第一", None),
    ("BAND_BEFORE_RE", "年营收过", (3, 4)), ("BAND_BEFORE_RE", "超过", None), ("BAND_BEFORE_RE", "通过 ", None),
    ("BAND_SUPER_BEFORE_RE", "营收超", (2, 3)), ("BAND_SUPER_BEFORE_RE", "赶超", None),
    ("FOCUS_BEFORE_RE", "聚焦\u3000", (0, 3)), ("FOCUS_BEFORE_RE", "聚焦产业", None),
    ("THRESHOLD_BEFORE_RE", "淘汰年产", (2, 4)), ("THRESHOLD_BEFORE_RE", "年产量", None),
    ("INCENTIVE_BEFORE_RE", "给予最高", (0, 4)), ("INCENTIVE_BEFORE_RE", "给予企业补", (0, 5)), ("INCENTIVE_BEFORE_RE", "给予，补", None),
    ("ELIGIBILITY_CAP_BEFORE_RE", "收入低于", (2, 4)), ("ELIGIBILITY_CAP_BEFORE_RE", "低于平均", None),
    ("DESIGNATED_BEFORE_RE", "在", (0, 1)), ("DESIGNATED_BEFORE_RE", "在于", None),
    ("DESIGNATED_PLACE_RE", "左右重点县", (0, 5)), ("DESIGNATED_PLACE_RE", "重点，县", None),
    ("HOUSEHOLD_RE", "申请人家庭", (0, 3)), ("HOUSEHOLD_RE", "企业", None),
    ("PAST_WORDS_RE", "全年增长了5%", (2, 5)), ("PAST_WORDS_RE", "比上年增长", (0, 3)), ("PAST_WORDS_RE", "力争增长5%", None),
]


@pytest.mark.parametrize("name,text,span", CASES)
def test_written_cases_on_both_engines(name, text, span):
    rule, twin = getattr(X, name), getattr(X.STDLIB, name)
    found = rule.match(text) if rule in T._AFTER_MATCHED or name in ("DESIGNATED_PLACE_RE", "BAND_NOUN_AFTER_RE") else rule.search(text)
    assert (found.span() if found else None) == span
    assert _same(twin.match(text), rule.match(text)) and _same(twin.search(text), rule.search(text))


def test_gates_are_read_and_narrow():
    """Every gate but the incentive words' (which may stand 4 characters from the end) is a real
    set, so the shortcut does skip work."""
    for name, gate in vars(T.G).items():
        if name in ("INCENTIVE_BEFORE_RE", "BAND_NOUN_AFTER_RE"):
            continue
        assert isinstance(gate, frozenset) and 0 < len(gate) < 60, name
    assert T.BEFORE_RULES_UNWORDED_RE.pattern == f"(?:{X.STDLIB.INCENTIVE_BEFORE_RE.pattern})"
    assert [twin.pattern for twin, words in T._BEFORE_WORDS if words is None] == [X.STDLIB.INCENTIVE_BEFORE_RE.pattern]


def test_last_chars_reads_the_end_of_a_dollar_anchored_pattern():
    assert last_chars(r"(?:年满|年龄在)$") == frozenset("满在\n")
    assert last_chars(r"(?<![超通])过[ \t]*$") == frozenset("过 \t\n")
    assert last_chars(r"第") is None                 # not anchored at the end: a search may end anywhere
    assert last_chars(r"(?:给予)[^，]{0,4}$") is None  # a negated set: any character
    assert last_chars(r"a?$") is None                # may match nothing
    assert last_chars(r"(?m)a$") is None             # multi-line: $ before any line break
    assert isinstance(end_gate(re.compile(r"\d$")), object) and "x" in end_gate(re.compile(r"\d$"))
    assert match_gate(re.compile(r"^(?:以上)?的")) == frozenset("以的")


def test_twins_and_gates_on_seeds():
    """Around every run of digits of the seeds."""
    checked = 0
    for text in SEED_TEXTS:
        for m in re.finditer(r"\d+", text):
            _check(text[max(0, m.start() - 8):m.start()])
            _check(text[m.end():m.end() + 8])
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("pattern, words", [
    (r"(?:聚焦|围绕)\s*$", ("围绕", "聚焦")), (r"第\s*$", ("第",)), (r"(?:(?<![超通])过)\s*$", ("过",)),
    (r"(?<![赶])超\s*$", ("超",)), (r"(?:年满|年龄在)\s*$", ("年满", "年龄在")),
    (r"年龄(?:在|于)\s*$", None),   # (a|b of single characters is parsed as a set: refused, then searched) (r"年龄(?:在)?\s*$", None), (r"等$", ("等",)),
    (r"(?:给予|最高)[^，。；]{0,4}$", None), (r"(?:a|b)[ ]*$", None), (r"第\s+$", None), (r"第", None), (r"a?$", None),
    (r"[ab]\s*$", None), (r"a|$", None),
])
def test_end_words_reads_word_lists_before_the_end(pattern, words):
    from policyparse.extract.anchors import end_words
    assert end_words(stdlib(pattern), T.SPACE_CHARS) == words
