"""Quantitative targets: find candidate quantities, drop what is not a goal, then read each one.

Finding and reading are separate: `_candidates` locates numbers with a measure word (or a bare
number right after 达到); `numerals.read_quantity` turns the raw text into value and unit; the
rest of this module reads the words around it — comparator, direction, annual, baseline,
due year, indicator — from its clause, its sentence, its paragraph and the headings above it.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..patterns import rx as regex   # regex.compile without importing `regex` for a stored pattern (patterns/rx.py)

from ..numerals import QUANTITY_GROUPS, quantity_of_groups, read_quantity
from ..outline import Node, label_of
from ..patterns.outline import stdlib
from ..patterns import exclusions as X
from ..segment import split_outside_brackets
from ..patterns.numbers import (
    AFTER_DIGITS_FIRST, ALT_UNIT_RE, BARE_NUMBER_AT_RE, BARE_NUMBER_VERBS, CN_CHANGE_RE, CN_COUNT_AT_RE, CN_PERCENT_RE,
    CN_QUANTITY_AT_RE, COUNT_FIRST, COUNT_HEDGES, COUNT_VERBS, DIGIT_RUN_RE, NOT_BEFORE_NUMBER, QUANTITY_AT_RE,
    WORD_VALUE_ANCHORS, WORD_VALUE_RE,
)
from ..patterns.targets import (
    AFTER_MODIFIER_RE, AFTER_MODIFIERS, ANNUAL_AVERAGE_CHAR, ANNUAL_AVERAGE_RE, BEFORE_MODIFIERS, BEFORE_MODIFIERS_BY_LAST, DIRECTION_RE,
    DOWN_VERBS, EVERY_YEAR_RE, INDICATOR_LEAD_RE, INDICATOR_LEAD_STARTS_BY_FIRST, INDICATOR_TAIL_BASELINE_ENDS, INDICATOR_TAIL_BASELINES_BACKWARDS,
    INDICATOR_TAIL_ENDS, INDICATOR_TAIL_TRIE, MID_VERB_RE, OBJECT_END_RE, OBJECT_FIRST_VERBS_BY_LAST,
    OBJECT_LEAD_VERB_RE, SHARE_REACHES_RE, SPACE_CHARS, SUBJECT_VERBS,
    RESPECTIVELY, SHARED_MEASURE_RE, TAIL_WORD_END, UP_VERBS,
)
from . import years as years_ex
from .anchors import end_gate, end_words, match_gate, matches_at as _matches_at, word_starts as _word_starts
from .years import YearMention

# Delimiters of clauses, sentences and paragraphs (an ASCII comma inside 1,200 is no delimiter).
CLAUSE_DELIMS = r"(?:[，。；;：:！!？?\n]|(?<!\d),|,(?!\d{3}))"
SENTENCE_DELIMS = r"[。；;！!？?\n]"
PARAGRAPH_DELIMS = r"\n"
LIST_SEPARATORS = "、和及与,，"
UP, DOWN = set(UP_VERBS), set(DOWN_VERBS)
GRADE_ENDS = ("级", "类", "型")


@dataclass
class Found:
    targets: list[dict] = field(default_factory=list)   # model.Target fields, validated with the Document
    horizon_year: int | None = None
    explained: list[dict] = field(default_factory=list)  # with explain=True: every candidate, kept or dropped


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    rule: str
    more: bool = False              # 余 / 多 inside the number: 700余辆 (reads like 以上)
    direction: str | None = None    # fixed by the number itself: 翻两番 -> up


# ---- finding ------------------------------------------------------------------------------------

CN_NUMERAL_CHARS = frozenset("一二三四五六七八九十两零〇百千")   # CN_QUANTITY_RE's numeral class
CN_NUMBER_FIRST = frozenset("一二三四五六七八九十两")             # those that can start a number


# The rarer forms are matched only where their anchor words occur (extract/anchors.py): the
# same matches as finditer, without a scan of the whole text per form.

def _cn_before(folded: str, words) -> bool:
    """Does a Chinese numeral stand right before one of `words` anywhere in the text?"""
    return any(k > 0 and folded[k - 1] in CN_NUMERAL_CHARS for k in _word_starts(folded, words))


def _cn_quantities(folded: str):
    """CN_QUANTITY_RE's matches (五千亿元, 一百五十亿元, 八百余万份), found from each 万/亿 that
    follows a Chinese numeral (and perhaps 余/多): the match starts at the first character of
    that run of numerals that can begin a number (not 零〇百千), as a left-to-right scan would."""
    positions = []
    for k in _word_starts(folded, ("万", "亿")):
        if k > 0 and folded[k - 1] in "余多":
            k -= 1
        j = k
        while j > 0 and folded[j - 1] in CN_NUMERAL_CHARS:
            j -= 1
        while j < k and folded[j] not in CN_NUMBER_FIRST:
            j += 1
        if j < k:
            positions.append(j)
    return _matches_at(CN_QUANTITY_AT_RE, folded, sorted(set(positions)))


def _digit_runs(folded: str) -> list[tuple[int, int]]:
    """The spans of the text's runs of digits (the regex module's \\d, as the patterns read them)."""
    return [m.span() for m in DIGIT_RUN_RE.finditer(folded)]


def _quantity_starts(folded: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where QUANTITY_RE can match, from the digit runs: not right after a letter, digit, . - /
    or _ (the pattern's look-behind), and with a character after the run that can go on a
    quantity (AFTER_DIGITS_FIRST). A failed try costs the regex several microseconds (every way
    through the optional groups and the measure words), and most digit runs are years, dates
    and labels. Inside a run the pattern can start only after a non-ASCII digit (the look-behind
    names ASCII digits only); every start in a run shares the run's next character."""
    starts = []
    last = len(runs) - 1
    for i, (s, e) in enumerate(runs):
        c = folded[e:e + 1]
        if c not in AFTER_DIGITS_FIRST and not c.isspace():
            continue
        # A decimal part or a comma group goes on only with a digit next, that is where the next
        # run starts right after the point (runs are the text's maximal runs of \d, in order).
        # Most points after digits end a label (1.加快…): 25 failed tries per corpus document
        # (~10,700 instructions each) that the test of an ASCII next character let through.
        if (c == "." or c == ",") and (i == last or runs[i + 1][0] != e + 1):
            continue
        if s == 0 or folded[s - 1] not in NOT_BEFORE_NUMBER:
            starts.append(s)
        if e - s > 1 and not folded[s:e].isascii():
            starts.extend(p for p in range(s + 1, e) if folded[p - 1] not in NOT_BEFORE_NUMBER)
    return starts


def _bare_number_starts(folded: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where BARE_NUMBER_RE can match: at a verb of reaching that ends a run's spaces before a
    digit run (达到 0.8). str.isspace holds every character \\s matches, so the walk back
    over spaces stops at the verb's last character (no verb ends in a space) when there is one.
    The two characters before a run are looked up first (BARE_VERBS_BY_END); only a run after
    a space (SPACE_CHARS: \\s) walks back over them."""
    starts = []
    for s, _ in runs:
        if s < 2 or folded[s - 1] not in BARE_BEFORE:
            continue   # (no verb of two or more characters fits before it; no verb or space ends there)
        verbs = BARE_VERBS_BY_END.get(folded[s - 2:s])
        i = s
        if verbs is None:
            if folded[s - 1] not in BARE_SPACES:
                continue
            while i > 0 and folded[i - 1].isspace():
                i -= 1
            verbs = BARE_VERBS_BY_END.get(folded[i - 2:i] if i > 1 else "")
            if verbs is None:
                continue
        starts.extend(i - len(v) for v in verbs if folded.endswith(v, 0, i))
    return sorted(set(starts))


# BARE_NUMBER_VERBS by their last two characters (each verb has two or more): a run that
# neither follows one of these pairs nor a space has no verb of reaching before it (regex's \s,
# the spaces BARE_NUMBER_RE can cross, are SPACE_CHARS). The walk back over spaces and a
# str.endswith of the 9 verbs for every digit run cost 644,000 instructions per corpus
# document (107 runs); with these look-ups, 510,000. (One character would let through every
# year after 到: 到2025年.)
BARE_VERBS_BY_END: dict[str, tuple[str, ...]] = {
    end: tuple(v for v in BARE_NUMBER_VERBS if v.endswith(end)) for end in {v[-2:] for v in BARE_NUMBER_VERBS}
}
BARE_SPACES = frozenset(SPACE_CHARS)
# What a run must follow to be looked up at all: a verb's last character or a space (a `in` of
# one character in this short str, where the two-character slice and its dict look-up cost
# ~400 instructions more for each of the ~70 runs per document that follow neither).
BARE_BEFORE = "".join(sorted({v[-1] for v in BARE_NUMBER_VERBS} | BARE_SPACES))


def _count_starts(folded: str) -> list[int]:
    """Where CN_COUNT_PATTERN can match: at a numeral that can open a count (两二三…十) with a verb of
    doing or reaching before it and up to two hedges between (新增近三个); each found with
    str.find at C speed and tested with str.endswith where a verb's last character stands before it."""
    starts = []
    for p in _word_starts(folded, COUNT_FIRST):
        q = p   # where the verb must end: before the numeral, or before one or two hedges
        c = folded[q - 1:q]
        while True:
            if c in COUNT_VERB_LASTS and folded.endswith(COUNT_VERBS, 0, q):
                starts.append(p)
                break
            if c not in COUNT_HEDGE_CHARS or p - q == 2:
                break
            q -= 1
            c = folded[q - 1:q]
    return starts


# The last characters of COUNT_VERBS: the str.endswith of the 19 verbs (~3,000 instructions) runs
# only where one of them stands before the numeral or its hedge. Most numerals 两二三…十 stand in
# labels (二、), plan names (十四五) and words (三农) with none before them: ~70 per corpus document.
COUNT_VERB_LASTS = frozenset(v[-1] for v in COUNT_VERBS)
COUNT_HEDGE_CHARS = frozenset(COUNT_HEDGES)   # (a set: "" is in every str)


# The largest value a target may have: beyond it a number is no goal (and a float loses it:
# 400 digits read as inf, which JSON cannot hold). 1e18 is a billion times the largest amount
# a plan states (万亿元, 1e12 to 1e14).
MAX_VALUE = 1e18


def _in_range(value: float, high: float | None) -> bool:
    return -MAX_VALUE <= value <= MAX_VALUE and (high is None or -MAX_VALUE <= high <= MAX_VALUE)


_MORE, _MORE1 = QUANTITY_GROUPS.index("more"), QUANTITY_GROUPS.index("more1")


def _candidates(folded: str) -> list[Quantity]:
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        i = bisect.bisect_left(taken, (s, s))
        return (i < len(taken) and taken[i][0] < e) or (i > 0 and taken[i - 1][1] > s)

    def add(m, rule: str) -> None:
        s, e = m.span("num") if rule == "bare_number" else m.span()
        if overlaps(s, e):
            return
        try:
            value, high, unit = read_quantity(folded[s:e])
        except (ValueError, KeyError, OverflowError):
            return  # OverflowError: 400 × 一 before 万元 is no number a float can hold
        if not _in_range(value, high):
            return
        if high is not None and high < value:
            return  # 2015-2010: not a range
        groups = m.groupdict()
        more = bool(groups.get("more") or groups.get("more1"))
        direction = "up" if rule == "word_value" and unit == "倍" else None
        found.append(Quantity(s, e, value, high, unit, rule, more, direction))
        bisect.insort(taken, (s, e))

    # Arabic quantities first: finditer gives them in order and never overlapping, so they go
    # straight in; each later form is added only where it overlaps nothing found before it.
    runs = _digit_runs(folded)
    for m in _matches_at(QUANTITY_AT_RE, folded, _quantity_starts(folded, runs)):
        groups = m.groups()   # (one call for every group read: numerals.QUANTITY_GROUPS)
        try:
            value, high, unit = quantity_of_groups(groups)
        except (ValueError, KeyError, OverflowError):
            continue
        if not _in_range(value, high):
            continue  # 400 digits read as inf: not a target, and no JSON number
        if high is not None and high < value:
            continue  # 2015-2010: not a range
        s, e = m.span()
        found.append(Quantity(s, e, value, high, unit, "quantity", bool(groups[_MORE] or groups[_MORE1])))
    taken.extend((q.start, q.end) for q in found)
    # The rarer forms, anchored on their words or skipped when a cheap test rules them out.
    for m in _cn_quantities(folded):
        add(m, "cn_quantity")
    if _cn_before(folded, ("个百分点", "倍")):
        for m in CN_CHANGE_RE.finditer(folded):
            add(m, "cn_change")
    for m in _matches_at(CN_COUNT_AT_RE, folded, _count_starts(folded)):   # (where CN_COUNT_PATTERN's look-behind holds)
        add(m, "cn_count")
    if "百分之" in folded:
        for m in CN_PERCENT_RE.finditer(folded):
            add(m, "cn_percent")
    for m in _matches_at(BARE_NUMBER_AT_RE, folded, _bare_number_starts(folded, runs)):
        add(m, "bare_number")
    if any(w in folded for w in WORD_VALUE_ANCHORS):
        for m in WORD_VALUE_RE.finditer(folded):
            add(m, "word_value")
    found.sort(key=lambda q: q.start)
    return found


# (no escape or `regex` feature: the stdlib re reads them the same, with less set-up per call)
SHORT_QUOTE_RE = re.compile(r"“[^”\n]{1,%d}”" % X.QUOTED_NAME_MAX)
CITED_TITLE_RE = re.compile(r"《[^《》\n]{1,%d}》" % X.CITED_TITLE_MAX)


# Every match of these starts at its opening mark: tried only where str.find finds one, they give
# the matches finditer's scan would (tests/test_fast_targets.py), without a scan of the whole text
# by the pattern (a `regex` finditer over a corpus document: ~15,000 instructions for each).

def _quote_spans(folded: str) -> list[tuple[int, int]]:
    """Short “…” quotations: numbers inside are names (“4个1”), not goals."""
    return [m.span() for m in _matches_at(SHORT_QUOTE_RE, folded, _word_starts(folded, ("“",)))]


def _title_spans(folded: str) -> list[tuple[int, int]]:
    """《…》 cited document names: numbers inside are part of the name."""
    return [m.span() for m in _matches_at(CITED_TITLE_RE, folded, _word_starts(folded, ("《",)))]


def _excluded(folded: str, q: Quantity, clause: str, clause_start: int, sentence: tuple[int, int, bool, bool],
              words: "_SentenceWords", later_in_clause: bool, enclosed: dict[int, str]) -> str | None:
    """Name of the exclusion rule (patterns/exclusions.py RULES) that drops this quantity, or
    None. `sentence` is (start, end, has a word of intent, quiet: holds none of the
    sentence-wide words, words.quiet); `words` where those words stand; `enclosed` the rule of
    each number inside a cited title or a short quotation, by its start (_enclosed)."""
    ss, se, future, quiet = sentence   # (quiet: the rules reading the sentence-wide words never apply)
    if not quiet:
        if words.penalty.between(ss, se, se):
            return "penalty"
        if words.prohibition.between(ss, q.start, se):
            return "prohibition"
    before = folded[max(0, q.start - 8):q.start]
    after = folded[q.end:q.end + 8]
    body = before.rstrip(SPACE_CHARS)
    if (after[:1] in ANY_AFTER_FIRST and S.ANY_AFTER_RE.match(after)) \
            or body.endswith(BEFORE_WORDS_BY_LAST.get(body[-1:], ())) or BEFORE_RULES_UNWORDED_RE.search(before):
        rule = _excluded_by_words(q, clause, q.start - clause_start, before, after, later_in_clause)
        if rule is not None:
            return rule
    if not quiet and not future and words.inventory.between(ss, se, se):
        return "inventory"
    if q.unit.startswith(MONEY_PREFIXES) and ("/" in q.unit or (not quiet and words.price.between(ss, q.start, se))) \
            and not (before[-1:] in G.PRICE_CHANGE_BEFORE_RE and S.PRICE_CHANGE_BEFORE_RE.search(before)):
        return "price"
    if not quiet:
        if words.rule_share.between(ss, q.start, se):
            return "rule_share"
        if words.applicant.between(ss, q.start, se):
            return "eligibility"
        if words.requirement.between(ss, q.start, se) and not words.goal.between(ss, se, se):
            return "requirement"
        if words.per_item.between(clause_start, q.start, clause_start + len(clause)):   # (the clause is in the sentence)
            return "per_item"
    return enclosed.get(q.start) if enclosed else None


# Clause-wide tests made for a number are cached per clause (the clause is the same string for
# every number in it, its hash computed once): a search of the clause per number is quadratic
# in a long clause of many numbers (patterns/AUDIT.md).
@functools.lru_cache(maxsize=64)
def _clause_has(pattern, clause: str) -> bool:
    """Does `pattern` occur in the clause?"""
    return bool(pattern.search(clause))


@functools.lru_cache(maxsize=64)
def _clause_find(clause: str, word: str) -> int:
    """Where `word` first stands in the clause, or -1."""
    return clause.find(word)


MONEY_PREFIXES = tuple(X.MONEY_UNITS)
AFTER_MODIFIER_FIRST = match_gate(AFTER_MODIFIER_RE)
ANY_AFTER_FIRST = match_gate(X.ANY_AFTER_RE)   # what the words after a number must start with for a rule to read them
SHARE_UNITS = frozenset(("%", "‰", "百分点", "倍"))   # a share or change, never a band of counts

# The exclusion rules read from the 8 characters around a number, on the stdlib engine (their
# twins, exclusions.STDLIB: a `regex` call's set-up costs more than the match there), each
# behind an exact gate (G): the characters a match after the number can start with, or, for a
# rule ending in $ searched in the words before it, the characters those words can end with.
# Most numbers fail every gate and no pattern runs (tests/test_fast_exclusions.py compares the
# twins and the gates with the rules).
S = X.STDLIB
# (BAND_NOUN_AFTER_RE, one CJK character, is matched only after its rule's other tests pass: no
# gate, whose set of 21,000 characters would cost more to load at start-up than it saves)
_AFTER_MATCHED = X.AFTER_RULES   # matched at the start of `after`
_BEFORE_SEARCHED = (*X.BEFORE_RULES, X.OBJECT_AMOUNT_VERB_RE, X.PRICE_CHANGE_BEFORE_RE)   # searched in `before`
G = SimpleNamespace(**{
    name: (match_gate(twin) if getattr(X, name) in _AFTER_MATCHED else end_gate(twin))
    for name, twin in vars(S).items() if getattr(X, name) in _AFTER_MATCHED + _BEFORE_SEARCHED
})
# A rule of X.BEFORE_RULES can only be found where the words before the number, their
# trailing spaces cut, end with a word of a rule of the form (?:word|…)\s*$ (anchors.end_words;
# a look-behind left out, which only widens the test), or by a rule of another form
# (INCENTIVE_BEFORE_RE: its words may stand up to 4 characters from the end), then searched.
# The test is a str.endswith of the few words ending with the last character. It only lets
# numbers on to _excluded_by_words, which reads every rule itself. Why: the characters that
# end a rule's word are common (到: 未达到, and 达到 stands before a third of the numbers), and
# the search of the `regex` union behind a one-character gate cost more (callgrind, 10 bench
# documents: the gate's words before the number cost ~190 K instructions a document).
_BEFORE_TWINS = [getattr(S, name) for name in vars(S) if getattr(X, name) in X.BEFORE_RULES]
_BEFORE_WORDS = [(twin, end_words(twin.pattern, SPACE_CHARS)) for twin in _BEFORE_TWINS]
_ALL_BEFORE_WORDS = [w for _, words in _BEFORE_WORDS for w in words or ()]
BEFORE_WORDS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(w for w in _ALL_BEFORE_WORDS if w[-1] == last) for last in {w[-1] for w in _ALL_BEFORE_WORDS}
}
BEFORE_RULES_UNWORDED_RE = re.compile("|".join(f"(?:{t.pattern})" for t, words in _BEFORE_WORDS if words is None) or "(?!)")


def _enclosed(cands: list[Quantity], titles: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> dict[int, str]:
    """The numbers standing inside a cited title (rule cited_title) or else a short quotation
    (quoted_name), each strictly (a span's start < the number's start, its end < the span's
    end), by their starts. Each list of spans is sorted and disjoint, so the span a number can
    stand in is the last one starting before it; the numbers inside one are found from it by a
    bisect of the numbers' starts (candidates are sorted and disjoint), once per document rather
    than a bisect of the spans per number."""
    found: dict[int, str] = {}
    starts = [q.start for q in cands]
    for spans, rule in ((quotes, "quoted_name"), (titles, "cited_title")):   # (a title wins: written last)
        for s, e in spans:
            i = bisect.bisect_right(starts, s)
            while i < len(starts) and starts[i] < e:
                if cands[i].end < e:
                    found[starts[i]] = rule
                i += 1
    return found


def _excluded_by_words(q: Quantity, clause: str, lead: int, before: str, after: str, later_in_clause: bool) -> str | None:
    """The rules read from the words just before and after the number, in order. `lead` is
    the length of the clause up to the number. Each rule's pattern runs on the stdlib engine
    (its twin, exclusions.STDLIB) and only past its gate (GATE: the first character a match
    after the number starts with, the last character of the words before it)."""
    a, b = after[:1], before[-1:]
    if q.unit not in SHARE_UNITS and a in G.INCIDENT_AFTER_RE and S.INCIDENT_AFTER_RE.match(after) \
            and _clause_has(X.INCIDENT_CLAUSE_RE, clause):
        return "incident_grade"
    if q.unit in X.CRITERION_UNITS and a in G.CRITERION_AFTER_RE and S.CRITERION_AFTER_RE.match(after) \
            and not (q.unit not in X.MONEY_UNITS and not later_in_clause and after.startswith("以上")
                     and b in G.OBJECT_AMOUNT_VERB_RE and S.OBJECT_AMOUNT_VERB_RE.search(before)):
        return "criterion_band"
    if q.unit in X.INCENTIVE_UNITS and (S.INCENTIVE_BEFORE_RE.search(before)
                                        or (a in G.INCENTIVE_AFTER_RE and S.INCENTIVE_AFTER_RE.match(after))) \
            and _clause_has(X.INCENTIVE_CLAUSE_RE, clause):
        return "incentive"
    if q.unit in X.ELIGIBILITY_UNITS and ((a in G.ELIGIBILITY_AFTER_RE and S.ELIGIBILITY_AFTER_RE.match(after))
                                          or (b in G.ELIGIBILITY_BEFORE_RE and S.ELIGIBILITY_BEFORE_RE.search(before))):
        return "eligibility"
    if b in G.ELIGIBILITY_CAP_BEFORE_RE and S.ELIGIBILITY_CAP_BEFORE_RE.search(before) \
            and S.HOUSEHOLD_RE.search(clause, 0, lead):
        return "eligibility"
    if a in G.DOC_NUMBER_AFTER_RE and S.DOC_NUMBER_AFTER_RE.match(after):
        return "doc_number"
    if (a in G.NAME_AFTER_RE and S.NAME_AFTER_RE.match(after)) \
            or (b in G.ORDINAL_BEFORE_RE and S.ORDINAL_BEFORE_RE.search(before)):
        return "code_or_grade"
    if (q.unit == "部" and a in G.ISSUER_AFTER_RE and S.ISSUER_AFTER_RE.match(after)) \
            or (q.unit == "个" and a in G.ISSUER_COUNT_AFTER_RE and S.ISSUER_COUNT_AFTER_RE.match(after)):
        return "issuer_count"
    if a in G.DURATION_AFTER_RE and S.DURATION_AFTER_RE.match(after):
        return "duration"
    if (a in G.THRESHOLD_AFTER_RE and S.THRESHOLD_AFTER_RE.match(after)) \
            or (b in G.THRESHOLD_BEFORE_RE and S.THRESHOLD_BEFORE_RE.search(before)):
        return "threshold"
    if (b in G.BAND_BEFORE_RE and S.BAND_BEFORE_RE.search(before)) \
            or (later_in_clause and a in G.BAND_AFTER_RE and S.BAND_AFTER_RE.match(after)):
        return "size_band"
    if later_in_clause and b in G.BAND_SUPER_BEFORE_RE and S.BAND_SUPER_BEFORE_RE.search(before) \
            and S.BAND_NOUN_AFTER_RE.match(after) and not AFTER_MODIFIER_RE.match(after):
        return "size_band"
    if b in G.FOCUS_BEFORE_RE and S.FOCUS_BEFORE_RE.search(before):
        return "focus_not_goal"
    if b in G.NAMED_SET_BEFORE_RE and S.NAMED_SET_BEFORE_RE.search(before) and 0 <= _clause_find(clause, "、") < lead \
            and not q.more and not AFTER_MODIFIER_RE.match(after):
        return "named_set"
    if q.unit == "个" and b in G.DESIGNATED_BEFORE_RE and S.DESIGNATED_BEFORE_RE.search(before) \
            and S.DESIGNATED_PLACE_RE.match(after):
        return "designated_set"
    return None


@functools.lru_cache(maxsize=None)
def _stdlib_search(pattern):
    """The stdlib re's search for a regex pattern's text, compiled once."""
    return re.compile(pattern.pattern).search


class _Marks:
    """Where the first word of a sentence-wide exclusion stands in a sentence (or clause),
    searched once per sentence that holds a candidate, from its start, and kept for the other
    numbers of that sentence. (A scan of the whole text per word list cost more than the rest of
    the exclusions: candidates stand in about a tenth of the text.) This answers what one scan
    of the whole text would: no word contains a delimiter, so none straddles a sentence start,
    and the search runs X.SENTENCE_WORD_MAX characters past the end so that none straddling the
    end is cut. The stdlib re scans these literal words at C speed with less set-up per call."""

    __slots__ = ("search", "folded", "first")

    def __init__(self, pattern, folded: str) -> None:
        # (a stdlib pattern is searched as it is; a `regex` one by the stdlib on its text)
        self.search = pattern.search if isinstance(pattern, re.Pattern) else _stdlib_search(pattern)
        self.folded = folded
        self.first: dict[int, int] = {}   # span start -> first word's start (len(folded) if none)

    def between(self, start: int, end: int, span_end: int) -> bool:
        """Does a word start in [start, end)? `start` opens the sentence or clause that ends at
        `span_end` (end <= span_end); each instance is asked about one kind of span."""
        first = self.first.get(start)
        if first is None:
            m = self.search(self.folded, start, span_end + X.SENTENCE_WORD_MAX)
            first = self.first[start] = m.start() if m else len(self.folded)
        return first < end


class _SentenceWords:
    """The sentence-wide words the exclusions look for: a sanction anywhere in the sentence, an
    inventory word in a sentence with no word of intent, 原则上 / 禁止 before the number, a
    per-item word before it in its clause."""

    def __init__(self, folded: str) -> None:
        self.penalty = _Marks(X.PENALTY_SENTENCE_RE, folded)
        self.inventory = _Marks(X.INVENTORY_SENTENCE_RE, folded)
        self.prohibition = _Marks(X.PROHIBITION_RE, folded)
        self.rule_share = _Marks(X.RULE_SHARE_RE, folded)
        self.per_item = _Marks(X.PER_ITEM_RE, folded)
        self.price = _Marks(X.PRICE_WORDS_RE, folded)
        self.applicant = _Marks(X.APPLICANT_RE, folded)
        self.requirement = _Marks(X.REQUIREMENT_RE, folded)
        self.goal = _Marks(X.GOAL_WORDS_RE, folded)
        # (their union, written so that the stdlib re skips to the words' first characters:
        # exclusions.LITERAL_FIRST says why)
        self.any = _Marks(X.LITERAL_FIRST.ANY_SENTENCE_WORD_RE, folded)

    def quiet(self, start: int, end: int) -> bool:
        """Does none of the words but goal's start in the sentence [start, end)?"""
        return not self.any.between(start, end, end)


# ---- reading ------------------------------------------------------------------------------------

def _split_subjects(subject: str, count: int) -> list[str]:
    """'A、B、C（x、y）' -> ['A', 'B', 'C（x、y）']: split on 、 outside brackets, or also on 和及与
    when that gives the number of values; a measure noun ending the last subject is shared."""
    parts = [p.strip() for p in split_outside_brackets(subject, "、") if p.strip()]
    if len(parts) != count:
        finer = [p.strip() for p in split_outside_brackets(subject, "、和及与") if p.strip()]
        if len(finer) == count:
            parts = finer
    if len(parts) > 1 and all(p.endswith(GRADE_ENDS) for p in parts[:-1]):
        # 国家级、省级、市级企业技术中心: the grades share the last subject's noun
        last = parts[-1]
        k = max(last.rfind(g) + len(g) for g in GRADE_ENDS)
        if 0 < k < len(last):
            parts = [p + last[k:] for p in parts[:-1]] + [last]
    if len(parts) > 1:
        m = SHARED_MEASURE_RE.search(parts[-1])
        if m and len(parts[-1]) > len(m.group(0)):
            parts = [p if SHARED_MEASURE_RE.search(p) else p + m.group(0) for p in parts]
    return parts


INDICATOR_EDGES = " ，,、；;：:。"


def _strip_tail(text: str) -> str:
    """INDICATOR_TAIL_RE.sub("", text) in linear time: walk back from the end over every way the
    tail's pieces can end where another starts, and cut at the leftmost start reached (where
    the regex's search would start its match). Each position is visited once."""
    end = len(text) - 1 if text.endswith("\n") else len(text)   # $ matches before a final newline
    trie = INDICATOR_TAIL_TRIE
    # a baseline starts with 比 or 较: without either, none is tried
    baselines = INDICATOR_TAIL_BASELINES_BACKWARDS if "比" in text or "较" in text else ()
    reached = {end}
    todo = [end]
    first = end
    while todo:
        e = todo.pop()
        if e == 0:
            continue
        last = text[e - 1]
        node = trie.get(last)
        s = e - 1
        while node is not None:   # every word ending at e: one trie step per character back
            if TAIL_WORD_END in node and s not in reached:
                reached.add(s)
                todo.append(s)
                if s < first:
                    first = s
            if s == 0:
                break
            s -= 1
            node = node.get(text[s])
        if baselines and last in INDICATOR_TAIL_BASELINE_ENDS:
            for p in baselines:
                m = p.match(text, 0, e)
                if m and m.start() not in reached:
                    s = m.start()
                    reached.add(s)
                    todo.append(s)
                    if s < first:
                        first = s
    return text if first == end else text[:first] + text[end:]


OBJECT_LEAD_VERB_FIRST = match_gate(OBJECT_LEAD_VERB_RE)


def _clean_indicator(text: str) -> str:
    """Drop leading time and stance words, trailing verbs and modifiers, and a subject before
    实现/拥有 — until nothing changes. (The lead and middle patterns are anchored at the start,
    so a match and a slice do what a substitution does; the lead is tried only when the text
    starts like one, the tail substitution only when the text ends like a tail.)"""
    text = text.strip(INDICATOR_EDGES)
    for _ in range(3):
        starts = INDICATOR_LEAD_STARTS_BY_FIRST.get(text[:1])
        m = INDICATOR_LEAD_RE.match(text) if starts is not None and text.startswith(starts) else None
        new = text[m.end():] if m else text
        if new and new[-1] in INDICATOR_TAIL_ENDS:
            new = _strip_tail(new)
        new = new.strip(INDICATOR_EDGES)
        if "实现" in new or "拥有" in new:
            m = MID_VERB_RE.match(new)
            if m:
                new = new[m.end():]
        if new == text:
            break
        text = new
    return text


def _same_thing_other_grade(indicator: str, previous: str) -> str:
    """国家级企业技术中心数量达到200家、省级中心达到1800家: '省级中心' is the same thing at
    another grade -> '省级企业技术中心数量'."""
    k = indicator.find("级")
    j = previous.find("级")
    if k < 0 or j < 0 or len(indicator) > 8:
        return indicator
    rest, previous_rest = indicator[k + 1:], previous[j + 1:]
    if rest and rest != previous_rest and rest in previous_rest:
        return indicator[:k + 1] + previous_rest
    return indicator


def _head_noun(indicator: str) -> str:
    """The noun after the last 的: '…过百亿的大企业集团' -> '大企业集团'."""
    k = indicator.rfind("的")
    return indicator[k + 1:] if k >= 0 else ""


# Every verb of change (UP_VERBS, DOWN_VERBS) holds one of these characters: a segment without
# any has no such verb, so its last verb (if any) is a level and there is no direction. Nine
# segments in ten hold none (…营业收入达到): a few `in` tests, where the finditer and its loop
# cost ~8,500 instructions (callgrind, 10 corpus documents).
CHANGE_VERB_CHARS = "增提升扩降减压"
CHANGE_VERB_CHAR_RE = re.compile(f"[{CHANGE_VERB_CHARS}]")


def _direction(segment: str) -> str | None:
    if CHANGE_VERB_CHAR_RE.search(segment) is None:
        return None
    last = None
    for m in DIRECTION_RE.finditer(segment):
        last = m
    if last is None:
        return None
    verb = last.group("verb")
    if segment[last.end():last.end() + 1] in ("到", "至"):
        return None
    if verb in UP:
        return "up"
    if verb in DOWN:
        return "down"
    return None


def _modifier_before(text: str) -> int:
    """Where BEFORE_MODIFIER_RE's search on `text` starts (the match runs to the end), or -1:
    the longest modifier that ends the text once its trailing spaces (the regex's \\s) are cut."""
    body = text.rstrip(SPACE_CHARS)
    for word in BEFORE_MODIFIERS_BY_LAST.get(body[-1:], ()):
        if body.endswith(word):
            return len(body) - len(word)
    return -1


def _comparator(segment: str, after_modifier, more: bool = False) -> str:
    """`after_modifier`: AFTER_MODIFIER_RE's match on the text after the number, or None."""
    if after_modifier:
        return AFTER_MODIFIERS[after_modifier.group(0)]
    k = _modifier_before(segment)
    if k >= 0:
        return BEFORE_MODIFIERS[segment[k:].rstrip(SPACE_CHARS)]
    return ">=" if more else "="


# The characters of each delimiter pattern above: (those that always delimit, those that delimit
# only where the pattern says so: the ASCII comma, not inside 1,200). tests/test_fast_sentences.py
# checks them against the patterns.
DELIM_CHARS = {
    CLAUSE_DELIMS: ("，。；;：:！!？?\n", ","),
    SENTENCE_DELIMS: ("。；;！!？?\n", ""),
}


@functools.lru_cache(maxsize=None)
def _bound_patterns(chars: str) -> tuple[re.Pattern, str, re.Pattern]:
    """(the delimiter characters as one stdlib set, the characters among them that need the
    pattern's word, the pattern's stdlib twin), compiled once."""
    always, sometimes = DELIM_CHARS[chars]
    return re.compile(f"[{re.escape(always + sometimes)}]"), sometimes, re.compile(stdlib(chars))


class _Bounds:
    """The clause (or sentence, or paragraph) around an offset: the text between the nearest
    delimiters on either side. Searched locally on demand, which is much cheaper than listing
    every delimiter of a long document (finditer: ~350 µs a document).

    Each side is one stdlib search for the delimiters' characters (backwards: forwards in the
    reversed text, `backwards`, made once per document), and where the character found
    delimits only in some places (the ASCII comma), the pattern's stdlib twin decides there, as
    the pattern's own search would have (the text ending at `pos` for the backward search), and
    the search goes on past it when it does not. Why: the `regex` searches of the patterns
    themselves try CLAUSE_DELIMS' look-arounds at every character (and a `regex` call on the
    whole text costs more to set up): 85 µs a document for the clause lookups of 10 bench
    documents and 105 µs for the sentences', against ~20 µs each this way."""

    def __init__(self, folded: str, chars: str, extra: list[int] = (), backwards: str | None = None) -> None:
        self.folded = folded
        self.backwards = folded[::-1] if backwards is None else backwards
        self.delims, self.sometimes, self.exact = _bound_patterns(chars)
        self.extra = sorted(extra)   # further stop positions (heading label ends)
        self.n = len(folded)
        self.last = (-1, -1)

    def around(self, pos: int) -> tuple[int, int]:
        last = self.last
        if last[0] <= pos < last[1] or pos == last[0] == last[1]:
            return last  # numbers come in order: most lookups fall in the same span
        self.last = self._around(pos)
        return self.last

    def _around(self, pos: int) -> tuple[int, int]:
        folded, n, delims, sometimes, exact = self.folded, self.n, self.delims, self.sometimes, self.exact
        start, k = 0, pos
        while (m := delims.search(self.backwards, n - k)) is not None:
            k = n - 1 - m.start()
            if folded[k] not in sometimes or exact.match(folded, k, pos):
                start = k + 1
                break
        end, k = n, pos
        while (m := delims.search(folded, k)) is not None:
            k = m.start()
            if folded[k] not in sometimes or exact.match(folded, k):
                end = k
                break
            k += 1
        if self.extra:
            i = bisect.bisect_right(self.extra, pos - 1)
            if i > 0:
                start = max(start, self.extra[i - 1] + 1)
            if i < len(self.extra):
                end = min(end, self.extra[i])
        return start, end


class _Clauses(_Bounds):
    """_Bounds for CLAUSE_DELIMS that also gives the sentence (SENTENCE_DELIMS) around the
    offset. Each side of the clause is one stdlib match of the characters that delimit nothing
    (_clause_scan), forwards in the text and backwards in its reverse, instead of a search and
    its loop; the sentence is the last one found when the offset lies in it (as _Bounds.around
    caches), else it ends where the clause does when the delimiter there is a sentence's (every
    sentence delimiter delimits a clause wherever it stands: DELIM_CHARS;
    tests/test_fast_sentences.py), else one search goes on from there. Where an ASCII comma
    (which delimits only in some places) stops a side, the clause is found the way _Bounds finds
    it. (The two lookups cost ~33,000 instructions a clause, most of it the set-up of four regex
    calls and the Python around them.) The clause is the one `around` gives, from its cache."""

    def __init__(self, folded: str, extra: list[int] = ()) -> None:
        super().__init__(folded, CLAUSE_DELIMS, extra)
        self.sentences = _Bounds(folded, SENTENCE_DELIMS, self.extra, self.backwards)
        self.scan = _clause_scan().match
        self.sentence_chars = frozenset(DELIM_CHARS[SENTENCE_DELIMS][0])
        self.pair = ((-1, -1), (-1, -1))   # the last (clause, sentence)

    def with_sentence(self, pos: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """(around(pos), the sentence around pos)."""
        last = self.last
        if last[0] <= pos < last[1] or pos == last[0] == last[1]:
            if self.pair[0] is not last:   # (the clause cached by a lookup of around's)
                self.pair = last, self.sentences.around(pos)
            return self.pair
        folded, n = self.folded, self.n
        end = self.scan(folded, pos).end()
        start = n - self.scan(self.backwards, n - pos).end()
        sentences = self.sentences
        if (end < n and folded[end] == ",") or (start > 0 and folded[start - 1] == ","):
            self.last = clause = _Bounds._around(self, pos)   # (an ASCII comma)
            self.pair = clause, sentences.around(pos)
            return self.pair
        sentence = sentences.last
        if not (sentence[0] <= pos < sentence[1] or pos == sentence[0] == sentence[1]):
            chars = self.sentence_chars
            if end == n or folded[end] in chars:
                sentence_end = end
            else:
                m = sentences.delims.search(folded, end + 1)
                sentence_end = m.start() if m is not None else n
            if start == 0 or folded[start - 1] in chars:
                sentence_start = start
            else:
                m = sentences.delims.search(self.backwards, n - start + 1)
                sentence_start = n - m.start() if m is not None else 0
            sentence = None
        extra = self.extra
        if extra:
            i = bisect.bisect_right(extra, pos - 1)
            if i > 0:
                stop = extra[i - 1] + 1
                if start < stop:
                    start = stop
                if sentence is None and sentence_start < stop:
                    sentence_start = stop
            if i < len(extra):
                stop = extra[i]
                if end > stop:
                    end = stop
                if sentence is None and sentence_end > stop:
                    sentence_end = stop
        if sentence is None:
            sentence = sentences.last = (sentence_start, sentence_end)
        self.last = clause = (start, end)
        self.pair = clause, sentence
        return self.pair


@functools.lru_cache(maxsize=None)
def _clause_scan() -> re.Pattern:
    """The characters that are no clause delimiter (nor an ASCII comma), from an offset: what
    _Clauses matches to find a side of a clause. Compiled on first use."""
    always, sometimes = DELIM_CHARS[CLAUSE_DELIMS]
    return re.compile(f"[^{re.escape(always + sometimes)}]*")


class _Paragraphs(_Bounds):
    """_Bounds for PARAGRAPH_DELIMS, a line break: str.rfind and str.find find the breaks the
    regex searches would, at a fraction of a regex call's cost."""

    def __init__(self, folded: str) -> None:
        self.folded, self.n, self.last = folded, len(folded), (-1, -1)

    def _around(self, pos: int) -> tuple[int, int]:
        end = self.folded.find("\n", pos)
        return self.folded.rfind("\n", 0, pos) + 1, end if end >= 0 else self.n


def _read_indicator(folded: str, segment: str, after_end: int, tail_end: int, later_count: int,
                    recent: list[str], previous_clause: "tuple[_Bounds, int, int]", unit: str = "") -> tuple[str, list[str]]:
    """The indicator of a quantity that heads its list, and the subjects of a 分别 list.

    `segment` is the text from the previous quantity (or the clause start) to this one;
    `folded[after_end:tail_end]` is what follows it up to the next quantity or the clause end;
    `recent` holds the indicators of the sentence's earlier targets; `previous_clause` is
    (the clause bounds, this clause's start, its sentence's start), to find the clause before
    this one in the sentence when it is needed.
    """
    resp = segment.find(RESPECTIVELY)
    indicator = _clean_indicator(segment[:resp] if resp >= 0 else segment)
    stripped_pre = segment.rstrip()
    k = _modifier_before(stripped_pre)   # (the modifier's match runs to the end: cut there)
    if k >= 0:
        stripped_pre = stripped_pre[:k].rstrip()
    verb_first = stripped_pre.endswith(OBJECT_FIRST_VERBS_BY_LAST.get(stripped_pre[-1:], ()))   # (no final newline after rstrip: $ is the end)
    follows = folded[after_end:tail_end]
    if unit == "%" and resp < 0 and SHARE_REACHES_RE.search(follows):
        # 本市建成区40%以上的面积达到…要求: the share of what reaches the state
        tail = follows.lstrip("的").strip(" 、,，")
        if tail and not (tail[0].isdecimal() or tail[0] == "%"):
            return (indicator + tail if indicator else tail), []
    # 创建3家以上省级软件名园: the thing counted follows the number; 建成中心城区6座污水处理厂:
    # the place before it and the thing after it
    lead_verb = not verb_first and bool(indicator) and resp < 0 \
        and segment[:1] in OBJECT_LEAD_VERB_FIRST and bool(OBJECT_LEAD_VERB_RE.match(segment))
    if (verb_first or lead_verb or not indicator) and follows[:1] not in "、，,；;。和及与":
        tail = OBJECT_END_RE.sub("", follows.lstrip("的").strip(" 、,，"))
        if "的" in tail:
            tail = tail[tail.rfind("的") + 1:]
        if tail and not (tail[0].isdecimal() or tail[0] == "%"):  # the next value, not an object
            obj = _clean_indicator(tail)
            if verb_first and stripped_pre.endswith(SUBJECT_VERBS):
                indicator = stripped_pre.strip(INDICATOR_EDGES) + "的" + obj  # 网络覆盖的家庭
            else:
                indicator = indicator + obj if indicator and not verb_first else obj
    # 其中500-1000亿元的15户: the band needs the noun of the target before it
    if indicator.endswith("的") and recent:
        indicator += _head_noun(recent[-1])
    if recent:
        indicator = _same_thing_other_grade(indicator, recent[-1])
    subjects: list[str] = []
    if resp >= 0:
        k = 1 + later_count
        subjects = _split_subjects(indicator, k)
        if len(subjects) <= 1 and len(recent) >= k:
            subjects = recent[-k:]  # 分别年均递增13.5%和12%: the subjects are the targets just before
        if subjects:
            indicator = subjects[0]
    if not indicator and recent:
        indicator = recent[-1]  # 年均增长6.5%: the same thing as the target before
    if not indicator:
        clauses, cs, ss = previous_clause  # read only when needed: finding it costs a search
        previous = folded[clauses.around(cs - 1)[0]:cs - 1] if cs > ss else ""
        if previous:
            indicator = _clean_indicator(previous)  # 组织实施节能改造项目，每年不少于20个
    return indicator, subjects


EXPLAIN_CONTEXT = 10   # characters of context on each side in --explain, within the line


def _explained(source: str, q: Quantity, kept: bool, rule: str) -> dict:
    """One line of --explain: a candidate number, how it was found (`finder`: the pattern), the
    rule that kept or dropped it (`rule`: "target" when kept, else a name from
    patterns/exclusions.py RULES, "header" or "in_table"), and the words around it."""
    line_start = source.rfind("\n", 0, q.start) + 1
    line_end = source.find("\n", q.end)
    line_end = len(source) if line_end < 0 else line_end
    context = source[max(line_start, q.start - EXPLAIN_CONTEXT):min(line_end, q.end + EXPLAIN_CONTEXT)]
    return {"raw": source[q.start:q.end], "span": (q.start, q.end), "finder": q.rule, "kept": kept, "rule": rule,
            "why": X.RULES.get(rule, EXPLAIN_VERDICTS.get(rule, "")), "context": context}


EXPLAIN_VERDICTS = {
    "target": "kept: a goal",
    "header": "in the document's header (an issuing number, a date line)",
    "in_table": "inside an indicator table, read row by row by extract/tables.py",
}


def find(source: str, folded: str, nodes: list[Node], head, skip: list[tuple[int, int]] = (),
         explain: bool = False) -> Found:
    """Every target in document order, with section, units and years filled. Numbers inside
    the `skip` spans (sorted, disjoint: indicator tables, read by extract/tables.py) are left out.
    With `explain`, `Found.explained` lists every candidate number, kept or dropped, with the
    rule's name."""
    heading_spans = [(n.title_start, n.title_end) for n in nodes]
    mentions = years_ex.mentions(folded, head.doc_year, heading_spans)
    title_period = years_ex.period_end(head.title) if head.title else None
    horizon = years_ex.horizon(mentions, head.title_year, title_period, body_start=head.body_start)
    result = Found(horizon_year=horizon)
    cands = _candidates(folded)
    if skip:
        if explain:  # read by the indicator-table reader (extract/tables.py), not here
            result.explained += [_explained(source, q, False, "in_table") for q in cands if years_ex._inside(skip, q.start)]
        cands = [q for q in cands if not years_ex._inside(skip, q.start)]
    if not cands:
        return result
    mention_starts = [y.start for y in mentions]
    # a heading's label ends a clause and a sentence: （1）软件业务收入突破500亿元 -> 软件业务收入
    label_ends = [n.label_end - 1 for n in nodes]
    clauses = _Clauses(folded, label_ends)   # (and the sentences around them)
    paragraphs = _Paragraphs(folded)
    enclosed = _enclosed(cands, _title_spans(folded), _quote_spans(folded))
    node_starts = [n.label_start for n in nodes]
    # whether a heading's title reviews past work or states criteria, read for the headings
    # above a surviving number only: id(node) -> bool
    review_nodes: dict[int, bool] = {}
    criteria_nodes: dict[int, bool] = {}

    def node_at(pos: int) -> Node | None:
        i = bisect.bisect_right(node_starts, pos) - 1
        return nodes[i] if i >= 0 else None

    def under(node: Node | None, pattern, marked: dict[int, bool]) -> bool:
        while node is not None:
            hit = marked.get(id(node))
            if hit is None:
                hit = marked[id(node)] = bool(pattern.search(folded[node.title_start:node.title_end]))
            if hit:
                return True
            node = node.parent
        return False

    # The last mention of each kind below is looked up per number; prefix arrays answer it at
    # once, where walking back over every mention of a long sentence was quadratic.
    last_due = _LastOf(mentions, mention_starts, lambda y: y.kind in ("due", "period"))
    last_due_or_start = _LastOf(mentions, mention_starts, lambda y: y.kind in ("due", "period", "start"))
    last_heading_due = _LastOf(mentions, mention_starts, lambda y: y.kind == "period" or (y.kind == "due" and y.explicit_due))
    last_plain_due = _LastOf(mentions, mention_starts, lambda y: y.kind == "due")
    last_baseline = _LastOf(mentions, mention_starts, lambda y: y.kind == "baseline")
    last_lead_in = _LastOf(mentions, mention_starts, lambda y: y.kind == "baseline" and y.lead_in)

    def due_year(j: int, pos: int, sent_start: int, node: Node | None):
        """The due year of the number at `pos` (j: the last mention starting before it) and where
        it comes from."""
        y = last_due_or_start.at(j, sent_start)
        if y is not None:
            return y, "period" if y.kind == "period" else "stated"
        key = (sent_start, id(node))
        found = carried.get(key)
        if found is None:
            found = carried[key] = carried_due(pos, sent_start, node)
        return found

    carried: dict[tuple[int, int], tuple] = {}   # (sentence start, id(node)) -> carried_due

    def carried_due(pos: int, sent_start: int, node: Node | None):
        """The due year from before the sentence: the same for every number of the sentence
        under one heading (the paragraph holds the sentence)."""
        para_start, _ = paragraphs.around(pos)
        y = last_due.between(para_start, sent_start)
        if y is not None:
            return y, "period" if y.kind == "period" else "carried"
        # the own text before this paragraph, then the lead-in and title of each enclosing heading
        # (二、2026年工作安排: any year in a heading is a due date)
        cur, limit = node, para_start
        while cur is not None:
            hi = min(cur.end, limit)
            y = _later(last_heading_due.between(cur.title_start, hi),
                       last_plain_due.between(cur.title_start, min(hi, cur.title_end)))
            if y is not None:
                return y, "period" if y.kind == "period" else "carried"
            cur, limit = cur.parent, cur.label_start if cur.parent is None else cur.parent.end
        return None, None

    def baseline(j: int, clause_start: int, sent_start: int) -> int | None:
        y = _later(last_lead_in.at(j, sent_start), last_baseline.at(j, max(sent_start, clause_start)))
        return None if y is None else y.year

    # group candidates by clause, keeping the exclusions' view of "a later number in the clause";
    # a clause lies in one sentence: clause -> (its sentence, its numbers)
    by_clause: dict[tuple[int, int], tuple[tuple[int, int], list[Quantity]]] = {}
    body_start = head.body_start
    for q in cands:
        if q.end <= body_start:
            if explain:
                result.explained.append(_explained(source, q, False, "header"))
            continue  # in the header (an issuing number, a date line)
        clause, sentence = clauses.with_sentence(q.start)
        group = by_clause.get(clause)
        if group is None:
            by_clause[clause] = (sentence, [q])
        else:
            group[1].append(q)
    by_sentence: dict[int, list[str]] = {}  # sentence start -> indicators of its targets so far
    words = _SentenceWords(folded)          # where the sentence-wide exclusion words stand
    tenses: dict[int, str | None] = {}       # sentence start -> _tense
    node_facts: dict[int, tuple] = {}        # id(node) -> (in a review, section path, inherited units)
    every_year: dict[int, int] = {}         # sentence start -> its first EVERY_YEAR_RE word, or -1

    for (cs, ce), ((ss, se), qs) in by_clause.items():
        survivors = []
        clause = folded[cs:ce]
        tense = tenses.get(ss, tenses)
        if tense is tenses:
            tense = tenses[ss] = _tense(folded, ss, se)
        sentence = (ss, se, tense == "future", words.quiet(ss, se))
        last = len(qs) - 1
        for i, q in enumerate(qs):
            rule = _excluded(folded, q, clause, cs, sentence, words, i < last, enclosed)
            if rule is None:
                survivors.append(q)
            elif explain:
                result.explained.append(_explained(source, q, False, rule))
        list_head: dict | None = None
        seg_start = cs
        annual_at = -2   # the clause's first ANNUAL_AVERAGE_RE word (-1: none; -2: not yet searched)
        for qi, q in enumerate(survivors):
            later_count = len(survivors) - qi - 1
            node = node_at(q.start)
            key = id(node)
            facts = node_facts.get(key)
            if facts is None:
                in_section = "in_review" if under(node, X.REVIEW_TITLE_RE, review_nodes) else (
                    "criteria_section" if under(node, X.CRITERIA_TITLE_RE, criteria_nodes) else None)
                facts = node_facts[key] = (in_section, _path(node, source), _inherited_units(node))
            if facts[0]:
                if explain:
                    result.explained.append(_explained(source, q, False, facts[0]))
                continue
            j = bisect.bisect_left(mention_starts, q.start) - 1   # the last year mention before the number
            year_m, year_src = due_year(j, q.start, ss, node)
            if _past_result(tense, year_m, year_src, horizon):
                if explain:
                    result.explained.append(_explained(source, q, False, "past_result"))
                seg_start = q.end
                continue
            if explain:
                result.explained.append(_explained(source, q, True, "target"))
            segment = folded[seg_start:q.start]
            after = folded[q.end:q.end + 4]
            mod = AFTER_MODIFIER_RE.match(after) if after[:1] in AFTER_MODIFIER_FIRST else None
            after_end = q.end + (len(mod.group(0)) if mod else 0)
            alt = ALT_UNIT_RE.match(folded, after_end) if folded.startswith("(", after_end) else None
            if alt:  # 20条(段)以上: the bracketed alternative unit is left out
                after = folded[alt.end():alt.end() + 4]
                mod = AFTER_MODIFIER_RE.match(after) if after[:1] in AFTER_MODIFIER_FIRST else None
                after_end = alt.end() + (len(mod.group(0)) if mod else 0)
            is_member = list_head is not None and not segment.strip(LIST_SEPARATORS + " ")
            comparator = _comparator(segment, mod, q.more)
            if is_member:
                direction, annual = list_head["direction"], list_head["annual"]
            else:
                direction = q.direction or _direction(segment)
                # 年均 in the clause or 每年 in the sentence before the number: the first such word
                # of each is found once (they hold no digit or numeral, so none straddles a number)
                if annual_at == -2:   # (each word holds ANNUAL_AVERAGE_CHAR: a str.find rules most clauses out)
                    m = ANNUAL_AVERAGE_RE.search(folded, cs, ce) if folded.find(ANNUAL_AVERAGE_CHAR, cs, ce) >= 0 else None
                    annual_at = m.start() if m else -1
                every = every_year.get(ss)
                if every is None:
                    m = EVERY_YEAR_RE.search(folded, ss, se)
                    every = every_year[ss] = m.start() if m else -1
                annual = 0 <= annual_at < q.start or 0 <= every < q.start
            # indicator
            recent = by_sentence.setdefault(ss, [])
            if is_member:
                idx = list_head["count"]
                subjects = list_head["subjects"]
                indicator = subjects[idx] if idx < len(subjects) else list_head["indicator"]
                list_head["count"] += 1
            else:
                next_start = survivors[qi + 1].start if later_count else ce
                indicator, subjects = _read_indicator(
                    folded, segment, after_end, min(ce, next_start), later_count, recent,
                    previous_clause=(clauses, cs, ss),
                    unit=q.unit,
                )
                list_head = {"direction": direction, "annual": annual, "subjects": subjects, "count": 1,
                             "indicator": indicator}
            seg_start = after_end
            indicator = _as_written(indicator, folded, source, ss, se, q.start)[-MAX_COPIED:]
            period = year_m.period if year_m is not None else None
            year = year_m.year if year_m is not None else None
            if year is None and horizon is not None:
                year, year_src = horizon, "horizon"
            _, path, (lead, support, responsible) = facts
            clause_text = _clause_text(source, cs, ce, q)
            result.targets.append({
                "raw": source[q.start:q.end],
                "value": q.value,
                "value_max": q.value_max,
                "unit": q.unit,
                "comparator": comparator,
                "year": year,
                "year_source": year_src,
                "period": period,
                "baseline_year": baseline(j, cs, ss),
                "annual": annual,
                "direction": direction,
                "indicator": indicator,
                "text": clause_text,
                "span": (q.start, q.end),
                "section": list(path),
                "lead_units": list(lead), "support_units": list(support), "responsible_units": list(responsible),
                "rule": q.rule,
                "attribute": None,
            })
            recent.append(indicator)
    result.targets.sort(key=lambda t: t["span"][0])
    result.explained.sort(key=lambda e: e["span"][0])
    return result


# At most this many characters of the document are copied into a target's `text` and
# `indicator`: a 100 KB clause without punctuation holding thousands of numbers would otherwise
# be copied into every one of them (output quadratic in the input). Real clauses and
# indicators are far shorter (seeds and dev set: 58 and 52 at most).
MAX_COPIED = 200


def _clause_text(source: str, cs: int, ce: int, q: Quantity) -> str:
    """The clause as in the source; for a clause longer than MAX_COPIED, the window of that many
    characters centred on the number (its span locates the rest in the source)."""
    if ce - cs <= 2 * MAX_COPIED:   # a normal clause: copied whole unless stripping leaves it long
        text = source[cs:ce].strip()
        if len(text) <= MAX_COPIED:
            return text
    room = max(0, MAX_COPIED - (q.end - q.start))
    start = max(cs, q.start - room // 2)
    end = min(ce, max(q.end, start + MAX_COPIED))
    start = max(cs, min(start, end - MAX_COPIED))
    return source[start:end].strip()


class _LastOf:
    """The last item (in start order) that satisfies `keep` among those starting in [a, b)."""

    def __init__(self, items: list, starts: list[int], keep) -> None:
        self.items, self.starts = items, starts
        self.last: list[int] = []
        k = -1
        for i, item in enumerate(items):
            if keep(item):
                k = i
            self.last.append(k)

    def between(self, a: int, b: int):
        return self.at(bisect.bisect_left(self.starts, b) - 1, a)

    def at(self, j: int, a: int):
        """between(a, b) for j = the index of the last item starting before b (-1 if none)."""
        if j < 0:
            return None
        k = self.last[j]
        return self.items[k] if k >= 0 and self.starts[k] >= a else None


def _later(a, b):
    """The later of two mentions (either may be None)."""
    if a is None or b is None:
        return a if b is None else b
    return a if a.start >= b.start else b


def _as_written(phrase: str, folded: str, source: str, start: int, end: int, near: int) -> str:
    """The phrase in the source's own characters (（） not ()), found in its sentence when it is
    a contiguous piece of it; else the folded phrase. In a sentence longer than 4 × MAX_COPIED it
    is looked for only within 2 × MAX_COPIED of the number at `near`: a search of the whole
    sentence for each of its numbers would be quadratic."""
    if not phrase:
        return phrase
    if end - start > 4 * MAX_COPIED:
        start, end = max(start, near - 2 * MAX_COPIED), min(end, near + 2 * MAX_COPIED)
    k = folded.find(phrase, start, end)
    return source[k:k + len(phrase)] if k >= 0 else phrase


def _tense(folded: str, start: int, end: int) -> str | None:
    """'future' when the sentence folded[start:end] has a word of intent, else 'past' when it
    has a past-tense word, else None."""
    if X.LITERAL_FIRST.FUTURE_WORDS_RE.search(folded, start, end):   # (written literal-first for the stdlib: exclusions.py)
        return "future"
    if S.PAST_WORDS_RE.search(folded, start, end):   # (its stdlib twin: cheaper here, see exclusions.STDLIB)
        return "past"
    return None


def _past_result(tense: str | None, year_m: YearMention | None, year_src: str | None, horizon: int | None) -> bool:
    """A result reported, not a goal (rule past_result): past-tense words (同比, 比上年, 已…) or a
    year stated in the sentence that lies before the document's horizon (2020年，全省…达到;
    “十三五”期间…年均增长7.5% in a plan to 2025), with no word of intent (力争, 到2025年, 目标…).
    `tense` is the sentence's, from _tense."""
    if tense == "future":
        return False
    if tense == "past":
        return True
    if year_m is None or horizon is None or year_src not in ("stated", "period"):
        return False
    return year_m.year < horizon and (year_m.kind == "period" or not year_m.explicit_due)


def _path(node: Node | None, source: str) -> list[str]:
    labels = []
    while node is not None:
        labels.append(label_of(node, source))
        node = node.parent
    return labels[::-1]


def _inherited_units(node: Node | None) -> tuple[list[str], list[str], list[str]]:
    while node is not None:
        u = node.units
        if u is not None and (u["lead"] or u["support"] or u["responsible"]):
            return list(u["lead"]), list(u["support"]), list(u["responsible"])
        node = node.parent
    return [], [], []
