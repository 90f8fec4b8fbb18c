"""The per-sentence and per-clause shortcuts of extract/targets.py answer what the rules answer
(issue #12: a cheaper full parse, the same output).

Each stdlib twin written literal-first (patterns/exclusions.py literal_first) is compared with the
`regex` pattern it stands for: on every (start, end) of random text drawn from the words (whole,
cut, overlapping, with the characters either side of a look-behind), and on every sentence of
the seeds. literal_first itself is table-driven: what it rewrites, and what it refuses.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.patterns import exclusions as X

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]
# and the target cases' texts (tests/cases/targets.yaml): the exclusion rules' words in sentences
CASE_TEXTS = [normalize.fold(text) for case in yaml.safe_load((REPO / "tests" / "cases" / "targets.yaml").read_text(encoding="utf-8"))
              for text in case["texts"]]
REAL_TEXTS = SEED_TEXTS + CASE_TEXTS


@pytest.mark.parametrize("pattern, written", [
    ("价|租金", "价|租金"),
    ("[一二]房[一二]?厅|在售", "一房[一二]?厅|二房[一二]?厅|在售"),
    (r"(?<!达)到\d{4}|力争", r"到(?<!达到)\d{4}|力争"),
    (r"(?<!未达)到\d", r"到(?<!未达到)\d"),
    ("a(?:b|c)|d", "a(?:b|c)|d"),          # a group after the first literal is left as it is
    ("[ab]c|d[ef]", "ac|bc|d[ef]"),
])
def test_literal_first_rewrites(pattern, written):
    assert X.literal_first(pattern) == written
    for text in ("价租金一房二厅二房厅在售达到2025到2025未达到1到1abcadcacbcdedf", "到达到2到9999"):
        for start in range(len(text)):
            ours = [m.span() for m in regex.finditer(written, text[start:])]
            assert ours == [m.span() for m in regex.finditer(pattern, text[start:])], (pattern, text[start:])


@pytest.mark.parametrize("pattern", [
    "(?:a|b)", "[a-z]x", "[^a]b", r"[a\d]b", r"\dx", ".x", "(?<=a)b", "(?<!a|b)c", "(?<!a)", "(?<!a)b?",
    "[ab]?c", "a*b", "a+b", "a{2}b", "a|", "^a", "a|$",
])
def test_literal_first_refuses_what_it_cannot_write_so(pattern):
    with pytest.raises(ValueError):
        X.literal_first(pattern)


# Pieces of the sentence-wide words (whole, cut and overlapping), delimiters and digits.
WORD_PIECES = [
    "罚款", "处以", "滞纳金", "责令", "房源", "户型", "一房一厅", "三室两厅", "两房厅", "四室", "二", "房", "室", "厅", "在售",
    "共推出", "本次推出", "本次", "共计", "总计", "禁止", "严禁", "不准", "杜绝", "原则上", "一般不", "一般", "不得", "不宜",
    "每栋", "每单体", "单体建筑", "单个项目", "单个", "单台", "单", "价", "单价", "租金", "收费", "费用", "月租", "申请人",
    "申请家庭", "申请", "申报企业", "申报主体", "参评", "入选企业", "应当", "必须", "须", "只能", "仅限", "方可",
    "，", "。", "\n", ",", "的", "企业", "年", "2",
]
WORD_TEXT = st.lists(st.sampled_from(WORD_PIECES), max_size=30).map("".join)


def _same_search(ours, theirs, text: str) -> None:
    """Every search of `text` between every start and end finds the same span."""
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            a, b = ours.search(text, start, end), theirs.search(text, start, end)
            assert (a and a.span()) == (b and b.span()), (theirs.pattern, text, start, end)


@settings(max_examples=400, deadline=None)
@given(WORD_TEXT)
def test_sentence_words_twin_finds_what_the_union_finds(text):
    _same_search(X.LITERAL_FIRST.ANY_SENTENCE_WORD_RE, X.ANY_SENTENCE_WORD_RE, text)


def test_sentence_words_twin_is_the_union_of_the_rules_written_literal_first():
    twin = X.LITERAL_FIRST.ANY_SENTENCE_WORD_RE
    assert isinstance(twin, re.Pattern)
    assert X.ANY_SENTENCE_WORD_RE.pattern == "|".join(f"(?:{p.pattern})" for p in X.SENTENCE_WORD_RULES)
    for alternative in twin.pattern.split("|"):   # (none holds a | of its own)
        assert alternative[0] not in "\\[](){}|.^$*+?", alternative


def _sentence_spans(text: str):
    return sorted({T._Bounds(text, T.SENTENCE_DELIMS).around(m.start()) for m in re.finditer(r"\d", text)})


def test_sentence_words_twin_on_seed_and_case_sentences():
    found = 0
    for text in REAL_TEXTS:
        for start, end in _sentence_spans(text):
            for stop in (end, end + X.SENTENCE_WORD_MAX):
                a = X.LITERAL_FIRST.ANY_SENTENCE_WORD_RE.search(text, start, stop)
                b = X.ANY_SENTENCE_WORD_RE.search(text, start, stop)
                assert (a and a.span()) == (b and b.span()), text[start:stop]
                found += b is not None
    assert found > 30   # the cases hold such words: the comparison saw positives too


# Pieces of sentences in the future tense: the words whole and cut, 达 before 到, years in both
# scripts, spaces either engine's \s takes or not, and digits of other scripts.
FUTURE_PIECES = [
    "到", "达到", "达", "2025", "202", "年", " ", "\u3000", "\x1c", "\x85", "\u0663\u0663\u0663\u0663", "２０２５",
    "二〇二五", "一九九八", "二零", "○", "力争", "确保", "争取", "目标", "预期", "预计", "计划", "将", "要", "今年", "明年",
    "不低于", "不少于", "不低", "低于", "，", "。", "企业", "增长",
]
FUTURE_TEXT = st.lists(st.sampled_from(FUTURE_PIECES), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(FUTURE_TEXT)
def test_future_words_twin_finds_what_the_rule_finds(text):
    _same_search(X.LITERAL_FIRST.FUTURE_WORDS_RE, X.FUTURE_WORDS_RE, text)


@pytest.mark.parametrize("text, span", [
    ("到2025年，", (0, 6)), ("到 2025 年", None), ("到2025 年", (0, 7)), ("达到2025年", None), ("将达到2025年", (0, 1)),
    ("到二〇二五年", (0, 5)), ("达到二〇二五", (1, 6)), ("增长5%", None), ("力争增长", (0, 2)), ("不低于5%", (0, 3)),
])
def test_future_words_written_cases_on_both_engines(text, span):
    for pattern in (X.FUTURE_WORDS_RE, X.LITERAL_FIRST.FUTURE_WORDS_RE):
        found = pattern.search(text)
        assert (found.span() if found else None) == span, (pattern.pattern, text)


def test_literal_first_twins_are_their_rules_rewritten():
    from policyparse.patterns.outline import stdlib
    assert X.LITERAL_FIRST.FUTURE_WORDS_RE.pattern == stdlib(X.literal_first(X.FUTURE_WORDS_RE.pattern))


def test_future_words_twin_on_seed_and_case_sentences():
    found = 0
    for text in REAL_TEXTS:
        for start, end in _sentence_spans(text):
            a = X.LITERAL_FIRST.FUTURE_WORDS_RE.search(text, start, end)
            b = X.FUTURE_WORDS_RE.search(text, start, end)
            assert (a and a.span()) == (b and b.span()), text[start:end]
            found += b is not None
    assert found > 100


# ---- clause and sentence bounds ----------------------------------------------------------------

def _bounds_by_regex(text: str, chars: str, extra=(), pos: int = 0) -> tuple[int, int]:
    """The way before: a reverse `regex` search of the delimiter pattern up to pos, a forward
    one from pos, then the extra stops."""
    m = regex.compile(f"(?r){chars}").search(text, 0, pos)
    start = m.start() + 1 if m else 0
    m = regex.compile(chars).search(text, pos)
    end = m.start() if m else len(text)
    extra = sorted(extra)
    i = bisect.bisect_right(extra, pos - 1)
    if i > 0:
        start = max(start, extra[i - 1] + 1)
    if i < len(extra):
        end = min(end, extra[i])
    return start, end


# Delimiters, ASCII commas between digits of every kind (\d of `regex`, including digits the
# stdlib's str.isdecimal does not know), groups of 1-4 digits, and words.
BOUND_PIECES = [
    ",", ",", "，", "。", "；", ";", "：", ":", "！", "!", "？", "?", "\n", "、", "1", "12", "123", "1234", "\u0663",
    "\U00010d30", "\uff15", "万", "企业", "达到", " ",
]
BOUND_TEXT = st.lists(st.sampled_from(BOUND_PIECES), max_size=24).map("".join)


def _check_bounds(text: str, extra=()) -> None:
    for chars in (T.CLAUSE_DELIMS, T.SENTENCE_DELIMS):
        bounds = T._Bounds(text, chars, extra)
        for pos in range(len(text) + 1):
            assert bounds._around(pos) == _bounds_by_regex(text, chars, extra, pos), (chars, text, pos)


@settings(max_examples=500, deadline=None)
@given(BOUND_TEXT, st.lists(st.integers(0, 30), max_size=3))
def test_bounds_are_what_the_regex_searches_find(text, extra):
    _check_bounds(text, extra)


@pytest.mark.parametrize("text", [
    "1,200万元", "共1,20个", "1,2345", "a,123", "12,123,456，", "1,12", ",123", "123,", "1,\u0663\u0663\u0663", "\U00010d30,123",
    "到2025年，达到5万家。", "一、总体要求\n到2025年,达到1,500家;其中",
])
def test_bounds_written_cases(text):
    _check_bounds(text)
    _check_bounds(text, [2])


def test_bounds_on_seeds_and_cases():
    checked = 0
    for text in REAL_TEXTS:
        positions = sorted({m.start() for m in re.finditer(r"[\d,]", text)} | {0, len(text)})
        for chars in (T.CLAUSE_DELIMS, T.SENTENCE_DELIMS):
            bounds = T._Bounds(text, chars)
            for pos in positions:
                assert bounds._around(pos) == _bounds_by_regex(text, chars, (), pos), (chars, pos)
                checked += 1
    assert checked > 5000


def _check_clauses_with_sentences(text: str, extra=()) -> None:
    """_Clauses.with_sentence: the clause _Bounds gives and the sentence, at every offset of a
    fresh lookup, and in order through the clause's cache (as find asks, number by number)."""
    def sentence(pos):
        return T._Bounds(text, T.SENTENCE_DELIMS, extra)._around(pos)
    for pos in range(len(text) + 1):
        assert T._Clauses(text, extra).with_sentence(pos) == (
            T._Bounds(text, T.CLAUSE_DELIMS, extra)._around(pos), sentence(pos)), (text, extra, pos)
    clauses, plain = T._Clauses(text, extra), T._Bounds(text, T.CLAUSE_DELIMS, extra)
    for pos in range(len(text) + 1):
        assert clauses.with_sentence(pos) == (plain.around(pos), sentence(pos)), (text, extra, pos)
    # after a lookup of around's (the previous clause), the sentence is found again
    for pos in range(1, len(text) + 1):
        clauses.around(pos - 1)
        assert clauses.with_sentence(pos) == (clauses.around(pos), sentence(pos)), (text, extra, pos)


@settings(max_examples=500, deadline=None)
@given(BOUND_TEXT, st.lists(st.integers(0, 30), max_size=3))
def test_clauses_with_sentences_are_the_two_lookups(text, extra):
    _check_clauses_with_sentences(text, extra)


@pytest.mark.parametrize("text", [
    "1,200万元", "共1,20个", "1,2345，", "a,123。", "12,123,456，到", ",123", "123,", "1,\u0663\u0663\u0663", "，：:。",
    "到2025年，达到5万家。", "一、总体要求\n到2025年,达到1,500家;其中", "甲：乙，丙！丁", "甲，乙", "", "。",
])
def test_clauses_with_sentences_written_cases(text):
    for extra in ((), [0], [2], [1, 4], [len(text)]):
        _check_clauses_with_sentences(text, extra)


def test_clauses_with_sentences_on_seeds_and_cases():
    checked = 0
    for text in REAL_TEXTS:
        extra = [m.start() + 1 for m in re.finditer(r"\n[一二三四五六七八九十]+、", text)]   # (some label ends)
        clauses, plain = T._Clauses(text, extra), T._Bounds(text, T.CLAUSE_DELIMS, extra)
        sentences = T._Bounds(text, T.SENTENCE_DELIMS, extra)
        for pos in sorted({m.start() for m in re.finditer(r"[\d,]", text)} | {0, len(text)}):
            assert clauses.with_sentence(pos) == (plain.around(pos), sentences._around(pos)), pos
            checked += 1
    assert checked > 2000


def test_sentence_delimiters_always_delimit_clauses():
    """What _Clauses rests on: each sentence delimiter is a clause delimiter wherever it stands."""
    clause_always, _ = T.DELIM_CHARS[T.CLAUSE_DELIMS]
    sentence_always, sentence_sometimes = T.DELIM_CHARS[T.SENTENCE_DELIMS]
    assert not sentence_sometimes and set(sentence_always) <= set(clause_always)


def test_delimiter_characters_are_the_patterns():
    """DELIM_CHARS names every character the pattern matches; those said to always delimit are
    matched wherever they stand, the others not everywhere."""
    for chars, (always, sometimes) in T.DELIM_CHARS.items():
        pattern = regex.compile(chars)
        anywhere = {chr(c) for c in range(0x10000) if pattern.search(f"1{chr(c)}123")
                    or pattern.search(f"a{chr(c)}b")}
        assert anywhere == set(always + sometimes), chars
        for ch in always:
            for context in ("1{}123", "a{}b", "{}", "1{}", "{}123"):
                assert pattern.fullmatch(context.format(ch), context.index("{}"), context.index("{}") + 1), (chars, ch)
        for ch in sometimes:
            assert not pattern.search(f"1{ch}123", 1, 5)
