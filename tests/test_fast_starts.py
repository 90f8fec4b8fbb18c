"""The cheaper forms of the number patterns find exactly what the plain ones find.

numbers.QUANTITY_AT_RE (measure words grouped by first character, regex's \\d written as the
stdlib's \\d and the newer digits), numbers.BARE_NUMBER_AT_RE (BARE_NUMBER_RE on the stdlib re),
CN_COUNT_AT_RE and CN_QUANTITY_AT_RE (the Chinese-numeral counts and amounts on the stdlib re)
and the str.find before targets' ANNUAL_AVERAGE_RE search are compared with the patterns they
stand for, on the seeds and on random text made of the pieces that matter to them (digits of
other scripts, spaces regex's \\s does and does not take, words sharing first characters).
tests/test_fast_paths.py compares QUANTITY_AT_RE with QUANTITY_RE at the gated starts too.
"""
from __future__ import annotations

import re
from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.patterns import numbers as N
from policyparse.patterns import targets as PT
from policyparse.patterns.outline import STDLIB_DIGIT, stdlib

CN_COUNT_RE = regex.compile(N.CN_COUNT_PATTERN)   # the count rule in full (look-behind and all)

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]


def test_stdlib_digit_body_is_regex_digit_at_every_code_point():
    every = "".join(map(chr, range(0x110000)))
    fast = set(re.findall(f"[{STDLIB_DIGIT}]", every))
    assert fast == set(regex.findall(r"\d", every)) == set(re.findall(N.DIGIT, every))


def test_unit_order_is_unit_ptn_order():
    assert "|".join(map(regex.escape, N.UNIT_ORDER)) == N.UNIT_PTN \
        == "|".join(sorted(map(regex.escape, N.UNIT_WORDS), key=len, reverse=True))   # (as it was written)
    assert N.DIGIT_RANGES not in N.QUANTITY_AT_RE.pattern   # every \d of the twin in the faster form


# Words that share first characters and prefixes (so that the order of the tries matters when
# what follows fails), and text made of their pieces.
WORD = st.text(alphabet="万元吨千瓦%.\\", min_size=1, max_size=3)   # (. and a backslash are escaped)
ALT_TEXT = st.lists(st.sampled_from(["万", "元", "吨", "千", "瓦", "%", ".", "\\", "x", "万元", "千瓦"]), max_size=10).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=8), ALT_TEXT)
def test_literal_alternation_matches_what_the_flat_one_matches(words, text):
    flat = "|".join(map(regex.escape, words))
    grouped = N.literal_alternation(tuple(map(regex.escape, words)))
    # inside a pattern whose rest can fail, so that a later word is tried after an earlier one
    for form in ("(?P<w>{})(?P<rest>元*)吨", "(?P<w>{})", "(?P<w>{})(?!万)"):
        a, b = re.compile(form.format(flat)), re.compile(form.format(grouped))
        for i in range(len(text) + 1):
            ma, mb = a.match(text, i), b.match(text, i)
            assert (ma and (ma.span(), ma.groups())) == (mb and (mb.span(), mb.groups())), (words, text, i)


def _bare_matches(pattern, text):
    return [(m.span(), m.groupdict()) for m in T._matches_at(pattern, text, T._bare_number_starts(text, T._digit_runs(text)))]


def _check_bare(text):
    expected = [(m.span(), m.groupdict()) for m in N.BARE_NUMBER_RE.finditer(text)]
    assert _bare_matches(N.BARE_NUMBER_AT_RE, text) == expected
    assert N.BARE_NUMBER_AT_RE.pattern == stdlib(N.BARE_NUMBER_RE.pattern)
    assert N.DIGIT_RANGES not in N.BARE_NUMBER_AT_RE.pattern   # \d in the faster form


BARE_PIECES = [
    "达到", "超过", "突破", "提高到", "不低于", "保持在", "控制在", "稳定在", "到", "达", " ", "\u3000", "\x1c", "\t",
    "\n", "1", "5", "0", "12", "3.5", "1,200", "1,2345", ",", ".", "\u0663", "\U000116d0", "\U0001d7ce", "以上",
    "左右", "以内", "以下", "，", "。", "、", ")", "）", ";", "万", "元", "%", "x",
]
BARE_TEXT = st.lists(st.sampled_from(BARE_PIECES), max_size=16).map("".join)


@settings(max_examples=1500, deadline=None)
@given(BARE_TEXT)
def test_bare_numbers_on_the_stdlib_find_what_regex_finds(text):
    _check_bare(text)


def test_bare_numbers_on_seeds():
    for text in SEED_TEXTS:
        _check_bare(text)
    assert any(N.BARE_NUMBER_RE.search(text) for text in SEED_TEXTS)   # (not vacuous)


def test_every_annual_average_word_holds_the_gate_character():
    assert PT.ANNUAL_AVERAGE_RE.pattern == "|".join(PT.ANNUAL_AVERAGE_WORDS)
    assert all(PT.ANNUAL_AVERAGE_CHAR in w for w in PT.ANNUAL_AVERAGE_WORDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["年均", "年", "均", "平均", "每年", "年平均", "平均每年", "，", "增长"]), max_size=12).map("".join))
def test_annual_average_gate_never_hides_a_word(text):
    if PT.ANNUAL_AVERAGE_RE.search(text):
        assert PT.ANNUAL_AVERAGE_CHAR in text


# Chinese-numeral counts and amounts on the stdlib re: CN_COUNT_AT_RE (CN_COUNT_PATTERN's body) at the
# starts _count_starts gives (where the look-behind holds), CN_QUANTITY_AT_RE (grouped measure
# words) at those _cn_quantities reads.
CN_PIECES = [
    "一", "二", "两", "三", "五", "十", "百", "千", "零", "〇", "万", "亿", "万亿", "元", "吨", "个", "家", "项",
    "所", "条", "处", "批", "台", "套", "支", "件", "余", "多", "约", "近", "超", "过", "超过", "达到", "突破",
    "新建", "建成", "打造", "培育", "新增", "设立", "布局", "建", "成", "，", "。", " ", "千瓦", "万元", "平方米",
]
CN_TEXT = st.lists(st.sampled_from(CN_PIECES), max_size=24).map("".join)


def _check_cn(text):
    counts = [(m.span(), m.groupdict()) for m in T._matches_at(N.CN_COUNT_AT_RE, text, T._count_starts(text))]
    assert counts == [(m.span(), m.groupdict()) for m in CN_COUNT_RE.finditer(text)]
    amounts = [(m.span(), m.groupdict()) for m in T._cn_quantities(text)]
    assert amounts == [(m.span(), m.groupdict()) for m in N.CN_QUANTITY_RE.finditer(text)]


@settings(max_examples=1500, deadline=None)
@given(CN_TEXT)
def test_cn_counts_and_amounts_on_the_stdlib_find_what_regex_finds(text):
    _check_cn(text)


def test_cn_counts_and_amounts_on_seeds():
    for text in SEED_TEXTS:
        _check_cn(text)
    assert any(N.CN_QUANTITY_RE.search(text) for text in SEED_TEXTS)   # (not vacuous; the seeds hold no count)
    text = "新建两所学校，打造近三个产业集群，投入五千亿元"
    _check_cn(text)
    assert len(list(CN_COUNT_RE.finditer(text))) == 2
