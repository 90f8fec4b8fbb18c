"""The target reader's shortcuts for a surviving number answer what the plain way answers.

Issue #12 (speed, identical output): str methods and first-character gates in place of regex
calls on short texts, stdlib `re` in place of `regex` for patterns that need no `regex` feature.
Each is compared with the `regex` pattern it stands for, on random text drawn from the pieces
that matter to it (words, cut words, every kind of space) and on the seeds.
"""
from __future__ import annotations

import sys
from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.patterns import targets as PT

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]

# Spaces of every kind: regex's \s, Python's extra str.isspace separators, and near misses.
SPACES = [" ", "\u3000", "\t", "\n", "\r", "\x85", "\xa0", "\u2009", "\x1c", "\x1f", "\u200b"]


def test_space_chars_are_regex_whitespace():
    """SPACE_CHARS (for str.strip) and the SPACE class hold exactly the characters regex's \\s matches."""
    plain = {chr(c) for c in range(sys.maxunicode + 1) if regex.match(r"\s", chr(c))}
    assert set(PT.SPACE_CHARS) == plain
    assert {c for c in plain | set(SPACES) if regex.fullmatch(PT.SPACE, c)} == plain


# ---- the modifier before a number, and the verb ending the words before it ----------------------

MODIFIER_PIECES = list(PT.BEFORE_MODIFIERS) + [w[:1] for w in PT.BEFORE_MODIFIERS] + [
    w[1:] for w in PT.BEFORE_MODIFIERS if len(w) > 1] + PT.OBJECT_FIRST_VERBS[::4] + list(PT.SUBJECT_VERBS) + [
    "不", "控制", "产值", "企业", "，", "的"] + SPACES
MODIFIER_TEXT = st.lists(st.sampled_from(MODIFIER_PIECES), max_size=8).map("".join)


def _comparator_reference(segment: str, more: bool) -> str:
    m = PT.BEFORE_MODIFIER_RE.search(segment)
    return PT.BEFORE_MODIFIERS[m.group(0).strip()] if m else (">=" if more else "=")


def _before_verbs_reference(segment: str) -> tuple[str, bool, bool]:
    """(the words before the number without a modifier, they end with an object-first verb, with
    a verb whose subject stays) as _read_indicator read them with regex searches."""
    stripped = PT.BEFORE_MODIFIER_RE.sub("", segment.rstrip()).rstrip()
    return (stripped, bool(PT.OBJECT_FIRST_VERBS_RE.search(stripped)), bool(PT.SUBJECT_VERBS_RE.search(stripped)))


def _before_verbs(segment: str) -> tuple[str, bool, bool]:
    stripped = segment.rstrip()
    k = T._modifier_before(stripped)
    if k >= 0:
        stripped = stripped[:k].rstrip()
    verb_first = stripped.endswith(PT.OBJECT_FIRST_VERBS_BY_LAST.get(stripped[-1:], ()))   # as _read_indicator reads it
    assert verb_first == stripped.endswith(PT.OBJECT_FIRST_VERB_ENDS)
    return stripped, verb_first, stripped.endswith(PT.SUBJECT_VERBS)


@settings(max_examples=600, deadline=None)
@given(MODIFIER_TEXT, st.booleans())
def test_modifier_before_is_the_regex_search(text, more):
    m = PT.BEFORE_MODIFIER_RE.search(text)
    assert T._modifier_before(text) == (m.start() if m else -1)
    assert T._comparator(text, None, more) == _comparator_reference(text, more)
    assert _before_verbs(text) == _before_verbs_reference(text)


def test_modifier_before_on_seed_segments():
    for text in SEED_TEXTS:
        for k in range(0, len(text), 7):
            segment = text[max(0, k - 12):k]
            m = PT.BEFORE_MODIFIER_RE.search(segment)
            assert T._modifier_before(segment) == (m.start() if m else -1)
            assert _before_verbs(segment) == _before_verbs_reference(segment)


# ---- patterns moved to the stdlib re, and the gates before them ---------------------------------

# The `regex` patterns as they were, for the patterns now compiled with `re` (or with SPACE).
AS_THEY_WERE = {
    "AFTER_MODIFIER_RE": regex.compile(PT.AFTER_MODIFIER_RE.pattern),
    "DIRECTION_RE": regex.compile(PT.DIRECTION_RE.pattern),
    "EVERY_YEAR_RE": regex.compile(PT.EVERY_YEAR_RE.pattern),
    "ANNUAL_AVERAGE_RE": regex.compile(PT.ANNUAL_AVERAGE_RE.pattern),
    "SHARE_REACHES_RE": regex.compile(PT.SHARE_REACHES_RE.pattern),
    "MID_VERB_RE": regex.compile(PT.MID_VERB_RE.pattern),
    "OBJECT_END_RE": regex.compile(PT.OBJECT_END_RE.pattern),
    "SHARED_MEASURE_RE": regex.compile(PT.SHARED_MEASURE_RE.pattern),
    "INDICATOR_LEAD_RE": regex.compile(PT.INDICATOR_LEAD_PATTERN),   # (its text, in `regex` syntax)
    "OBJECT_LEAD_VERB_RE": regex.compile(PT.OBJECT_LEAD_VERB_RE.pattern.replace(PT.SPACE, r"\s")),
}

READING_PIECES = PT.UP_VERBS + PT.DOWN_VERBS + PT.LEVEL_VERBS[::2] + list(PT.AFTER_MODIFIERS) + PT.OBJECT_FIRST_VERBS[::3] + [
    "到2025年", "至 2030 年底，", "２０２０", "十四五", "十亿", "十", "“十三五”期间", "力争", "确保到", "年均", "年平均", "平均每年",
    "每年", "逐年", "每季度", "值", "点", "率", "到", "至", "用于", "作为", "实现", "拥有", "排放总量", "收入", "全省",
    "企业", "数量", "，", "、", "的", "1", "9", "0", "%", "٣",
] + SPACES
READING_TEXT = st.lists(st.sampled_from(READING_PIECES), max_size=10).map("".join)


def _all_ways(pattern, text: str) -> list:
    return [
        [m.span() for m in pattern.finditer(text)],
        (pattern.match(text) or None) and pattern.match(text).span(),
        pattern.sub("", text),
    ]


@settings(max_examples=500, deadline=None)
@given(READING_TEXT)
def test_stdlib_patterns_match_what_the_regex_ones_matched(text):
    for name, before in AS_THEY_WERE.items():
        assert _all_ways(getattr(PT, name), text) == _all_ways(before, text), name


@settings(max_examples=500, deadline=None)
@given(READING_TEXT)
def test_first_character_gates_only_skip_failing_matches(text):
    for k in range(len(text) + 1):
        rest = text[k:]
        if rest[:1] not in T.OBJECT_LEAD_VERB_FIRST:
            assert PT.OBJECT_LEAD_VERB_RE.match(rest) is None, (rest, k)
        if not rest.startswith(PT.INDICATOR_LEAD_STARTS):
            assert PT.INDICATOR_LEAD_RE.match(rest) is None, (rest, k)
        by_first = PT.INDICATOR_LEAD_STARTS_BY_FIRST.get(rest[:1])
        assert (by_first is not None and rest.startswith(by_first)) == rest.startswith(PT.INDICATOR_LEAD_STARTS), rest


def test_tail_baselines_start_with_bi_or_jiao():
    """_strip_tail tries the baselines only in a text holding 比 or 较."""
    assert all(p.startswith(("比", "较")) for p in PT.INDICATOR_TAIL_BASELINES)


def test_stdlib_patterns_on_seeds():
    for text in SEED_TEXTS:
        for line in text.splitlines()[:300]:
            for name, before in AS_THEY_WERE.items():
                assert _all_ways(getattr(PT, name), line) == _all_ways(before, line), name


# ---- the direction of a change: skipped where no verb of change can stand ------------------------

def _direction_reference(segment: str) -> str | None:
    """_direction as it read every segment: the last DIRECTION_RE match decides."""
    matches = list(regex.compile(PT.DIRECTION_RE.pattern).finditer(segment))
    if not matches or segment[matches[-1].end():matches[-1].end() + 1] in ("到", "至"):
        return None
    verb = matches[-1].group("verb")
    return "up" if verb in PT.UP_VERBS else "down" if verb in PT.DOWN_VERBS else None


def test_every_verb_of_change_holds_a_gate_character():
    for verb in PT.UP_VERBS + PT.DOWN_VERBS:
        assert any(c in verb for c in T.CHANGE_VERB_CHARS), verb
    # the test written out in _direction lets every one of them through (a character left out of
    # it would turn a verb holding only that one, such as 扩大 or 压缩, into no direction)
    for verb in PT.UP_VERBS:
        assert T._direction("产值" + verb) == "up", verb
    for verb in PT.DOWN_VERBS:
        assert T._direction("产值" + verb) == "down", verb


# Level verbs cut in pieces, the change verbs, their gate characters alone, nouns that hold a verb
DIRECTION_PIECES = PT.UP_VERBS + PT.DOWN_VERBS + PT.LEVEL_VERBS + list(T.CHANGE_VERB_CHARS) + [
    "增加值", "增长点", "提高率", "到", "至", "值", "企业", "收入", "，", "的", "1", "%"] + SPACES


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(DIRECTION_PIECES), max_size=10).map("".join))
def test_direction_is_the_last_verb_read(segment):
    assert T._direction(segment) == _direction_reference(segment)


def test_direction_on_seed_segments():
    for text in SEED_TEXTS:
        for k in range(0, len(text), 5):
            segment = text[max(0, k - 30):k]
            assert T._direction(segment) == _direction_reference(segment), segment
