"""The target reader's shortcuts answer what the plain way answers (issue #12: speed, same output).

Each fast path of extract/targets.py is compared with the straightforward version it replaced,
on random text drawn from the characters that matter to it and on the seeds.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.patterns import exclusions as X

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]

SENTENCE_WORD_PATTERNS = [
    X.PENALTY_SENTENCE_RE, X.INVENTORY_SENTENCE_RE, X.PROHIBITION_RE, X.RULE_SHARE_RE, X.PER_ITEM_RE,
    X.PRICE_WORDS_RE, X.APPLICANT_RE, X.REQUIREMENT_RE, X.GOAL_WORDS_RE,
]

# Pieces of the sentence-wide words (whole, cut and overlapping), delimiters and digits.
WORD_PIECES = [
    "罚款", "处以", "责令", "房源", "一房一厅", "三室两厅", "两房", "室", "厅", "共计", "禁止", "严禁", "不准",
    "原则上", "一般不", "不得", "不宜", "每栋", "单体建筑", "单个项目", "单台", "单", "价", "单价", "租金", "收费",
    "申请人", "申请家庭", "申报企业", "参评", "应当", "必须", "须", "只能", "方可", "到2025", "达到2025", "到",
    "力争", "目标", "确保", "争取", "2", "0", "，", "。", "；", "\n", ",", "1,000", "的", "企业", "年",
]
WORD_TEXT = st.lists(st.sampled_from(WORD_PIECES), max_size=40).map("".join)


def _whole_text_between(pattern, text: str):
    """The way before: every start of one finditer over the whole text, looked up by bisection."""
    starts = [m.start() for m in re.compile(pattern.pattern).finditer(text)]

    def between(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, start)
        return i < len(starts) and starts[i] < end
    return between


def _check_marks(text: str) -> None:
    for chars in (T.SENTENCE_DELIMS, T.CLAUSE_DELIMS):
        spans = sorted({T._Bounds(text, chars).around(pos) for pos in range(len(text))})
        for pattern in SENTENCE_WORD_PATTERNS:
            plain, marks = _whole_text_between(pattern, text), T._Marks(pattern, text)
            for start, span_end in spans:
                for end in range(start, span_end + 1):
                    assert marks.between(start, end, span_end) == plain(start, end), (pattern.pattern, start, end)


@settings(max_examples=300, deadline=None)
@given(WORD_TEXT)
def test_marks_per_sentence_answer_what_one_scan_of_the_text_answers(text):
    _check_marks(text)


def test_marks_on_seeds():
    for text in SEED_TEXTS:
        spans = sorted({T._Bounds(text, T.SENTENCE_DELIMS).around(m.start()) for m in re.finditer(r"\d", text)})
        for pattern in SENTENCE_WORD_PATTERNS:
            plain, marks = _whole_text_between(pattern, text), T._Marks(pattern, text)
            for start, span_end in spans:
                assert marks.between(start, span_end, span_end) == plain(start, span_end)


def test_sentence_words_are_no_longer_than_the_search_runs_past_a_sentence():
    for pattern in SENTENCE_WORD_PATTERNS:
        assert re._parser.parse(pattern.pattern).getwidth()[1] <= X.SENTENCE_WORD_MAX, pattern.pattern


def _characters(parsed) -> set[str]:
    """Every character a parsed pattern can match (literals, sets, and digits for \\d)."""
    from re import _constants as C
    chars: set[str] = set()
    for op, av in parsed:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.IN:
            for kind, value in av:
                if kind is C.LITERAL:
                    chars.add(chr(value))
                elif kind is C.CATEGORY:
                    assert value is C.CATEGORY_DIGIT
                    chars.update("0123456789")
                else:
                    raise AssertionError(f"unexpected set item {kind}")
        elif op is C.BRANCH:
            for branch in av[1]:
                chars |= _characters(branch)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            chars |= _characters(av[2])
        elif op is C.SUBPATTERN:
            chars |= _characters(av[-1])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            continue   # a look-around consumes nothing
        else:
            raise AssertionError(f"unexpected item {op}")
    return chars


def test_no_sentence_word_contains_a_delimiter():
    """Why a word never stands across a sentence's or clause's start. (A heading label's end
    also starts one: labels end in 章节条篇、.) or a digit, and no word starts with a piece of a
    label that ends so.)"""
    for pattern in SENTENCE_WORD_PATTERNS:
        chars = _characters(re._parser.parse(pattern.pattern))
        assert not chars & set("，。；;：:！!？?\n,"), pattern.pattern
