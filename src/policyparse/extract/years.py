"""Years in the text: due dates (到2015年), baselines (比2010年), plan periods (“十二五”期间).

`mentions(folded)` lists them once per document, in order; the target extractor then picks
the right one for each number from its clause, sentence, paragraph or enclosing headings.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from operator import attrgetter
from typing import Literal, NamedTuple

from ..numerals import cn_to_int
from ..patterns.targets import PERIOD_FIRST_YEAR, RELATIVE_YEAR_FIRSTS, RELATIVE_YEAR_OFFSETS, RELATIVE_YEARS, YEAR_CHAR, YEAR_FIRST_CHARS
# the stdlib twins of the year patterns (the same matches, a cheaper call: patterns/targets.py)
from ..patterns.targets import BASELINE_AFTER_STD_RE as BASELINE_AFTER_RE
from ..patterns.targets import BASELINE_BEFORE_STD_RE as BASELINE_BEFORE_RE
from ..patterns.targets import DUE_BEFORE_STD_RE as DUE_BEFORE_RE
from ..patterns.targets import PERIOD_STD_RE as PERIOD_RE
from ..patterns.targets import RELATIVE_YEAR_STD_RE as RELATIVE_YEAR_RE
from ..patterns.targets import SINCE_AFTER_STD_RE as SINCE_AFTER_RE
from ..patterns.targets import SPACE_STD_RE as SPACE_RE
from ..patterns.targets import START_AFTER_STD_RE as START_AFTER_RE
from ..patterns.targets import YEAR_STD_RE as YEAR_RE
from .anchors import match_gate, matches_at, word_starts

PERIOD_NUMERALS = frozenset(PERIOD_FIRST_YEAR)   # the N of 十N五

# The characters the patterns read after a year can start with: where the next one is none of
# them, the pattern is not tried (it could not match).
BASELINE_AFTER_FIRST = match_gate(BASELINE_AFTER_RE)
START_AFTER_FIRST = match_gate(START_AFTER_RE)
SINCE_AFTER_FIRST = match_gate(SINCE_AFTER_RE)

Kind = Literal["due", "baseline", "since", "period", "start"]


class YearMention(NamedTuple):   # immutable: a NamedTuple, not a frozen dataclass (tables.py says why)
    start: int
    end: int
    year: int                 # the due or baseline year (a period's last year)
    kind: Kind
    explicit_due: bool = False  # 到/至 before it, or 末/底/前 after it
    period: tuple[int, int] | None = None
    lead_in: bool = False       # a baseline for the whole sentence (在2012年基础上), not one clause (比2010年)


# (no escape or `regex` feature: the stdlib re reads it the same, with less set-up per call)
BOOK_TITLE_RE = re.compile(r"《[^《》\n]*》")


def _book_title_spans(folded: str) -> list[tuple[int, int]]:
    """《…》 spans: years inside a cited title (规划（2011-2015年）) are not due dates. (Every match
    starts at a 《: tried only where str.find finds one, the matches finditer's scan would give.)"""
    return [m.span() for m in matches_at(BOOK_TITLE_RE, folded, word_starts(folded, ("《",)))]


_INF = float("inf")
_start = attrgetter("start")
# The suffixes that make a plan period named in the text the period of what it says
PERIOD_SUFFIXES = frozenset(("期间", "时期", "末", "期末", "规划期"))


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, _INF)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def period_end(text: str) -> int | None:
    """The last year of the first plan period named in `text` (a title, a heading):
    “十四五”规划 → 2025, 十五五 → 2030; None if it names none."""
    m = PERIOD_RE.search(text)
    return PERIOD_FIRST_YEAR[m.group("n")] + 4 if m else None


def _year_matches(folded: str, nian: list[int]):
    """YEAR_RE.finditer(folded), tried only where a year can stand: the four characters before
    each 年 (at the offsets `nian`) and the spaces between."""
    starts = []
    for k in nian:
        i = k
        while i > 0:
            c = folded[i - 1]
            if c > "\u3000" or "0" <= c <= "9" or not SPACE_RE.match(c):   # (no space above U+3000)
                break
            i -= 1
        j = i - 4
        if j >= 0 and folded[j] in YEAR_FIRST_CHARS:
            starts.append(j)
    return matches_at(YEAR_RE, folded, starts)


def _relative_year_matches(folded: str, nian: list[int]):
    """RELATIVE_YEAR_RE.finditer(folded), tried only where a 年 stands at one of its words' offsets."""
    starts = {k - off for k in nian for off in RELATIVE_YEAR_OFFSETS
              if k >= off and folded[k - off] in RELATIVE_YEAR_FIRSTS}
    return matches_at(RELATIVE_YEAR_RE, folded, sorted(starts))


PERIOD_QUOTES = "“\"'"   # what may open a plan period's name: PERIOD_RE's first, optional class


def _period_matches(folded: str):
    """PERIOD_RE.finditer(folded), tried only at each 十 found by str.find that a numeral and 五
    follow (十四五), and at the quote before it: every match starts at one of the two."""
    starts = []
    for k in word_starts(folded, ("十",)):
        if folded[k + 1:k + 2] in PERIOD_NUMERALS and folded.startswith("五", k + 2):
            if k > 0 and folded[k - 1] in PERIOD_QUOTES:
                starts.append(k - 1)
            starts.append(k)
    return matches_at(PERIOD_RE, folded, starts)


def mentions(folded: str, doc_year: int | None = None, headings: list[tuple[int, int]] = ()) -> list[YearMention]:
    """Year mentions in order. `doc_year` (the year the document was given, from its header)
    makes 今年 and 明年 due dates too. `headings`: (start, end) of heading titles, sorted; a
    plan period named in one (二、“十五五”发展目标) is the period of what stands under it even
    without 期间."""
    out: list[YearMention] = []
    nian = word_starts(folded, (YEAR_CHAR,))
    if doc_year is not None:
        for m in _relative_year_matches(folded, nian):
            year = doc_year + RELATIVE_YEARS[m.group(0)]
            out.append(YearMention(m.start(), m.end(), year, "due", explicit_due=True))
    books = _book_title_spans(folded) if "《" in folded else []
    for m in _year_matches(folded, nian):
        start, end = m.span()
        if books and _inside(books, start):
            continue
        digits, cn_year, suffix = m.groups()   # (one call, where m.group by name costs ~550 instructions a name;
        # tests/test_fast_targets.py checks the groups' order)
        year = int(digits) if digits else cn_to_int(cn_year.replace("○", "〇"))
        before = folded[max(0, start - 6):start]
        after = folded[end:end + 6]
        next_char = after[:1]
        if next_char in BASELINE_AFTER_FIRST and BASELINE_AFTER_RE.match(after):
            out.append(YearMention(start, end, year, "baseline", lead_in=True))
        elif BASELINE_BEFORE_RE.search(before):
            out.append(YearMention(start, end, year, "baseline"))
        elif next_char in START_AFTER_FIRST and START_AFTER_RE.match(after) and not suffix:
            # 2026年起: the year from which it holds is its year (never a past result)
            out.append(YearMention(start, end, year, "start", explicit_due=True))
        elif next_char in SINCE_AFTER_FIRST and SINCE_AFTER_RE.match(after) and not suffix:
            out.append(YearMention(start, end, year, "since"))
        else:
            explicit = bool(suffix or DUE_BEFORE_RE.search(before))
            out.append(YearMention(start, end, year, "due", explicit_due=explicit))
    for m in _period_matches(folded):
        start, end = m.span()
        if books and _inside(books, start):
            continue
        n, suffix = m.groups()   # (the same)
        first = PERIOD_FIRST_YEAR[n]
        period = (first, first + 4)
        before = folded[max(0, start - 6):start]
        if BASELINE_BEFORE_RE.search(before):
            out.append(YearMention(start, end, period[1], "baseline", period=period))
        elif suffix in PERIOD_SUFFIXES or (headings and _inside(headings, start)):
            out.append(YearMention(start, end, period[1], "period", explicit_due=True, period=period))
    out.sort(key=_start)
    return out



def horizon(found: list[YearMention], title_year: int | None = None, title_period: int | None = None,
            body_start: int = 0) -> int | None:
    """The document's overall target year: the most frequent explicit due year (到2025年), the
    later one on a tie; else the year its title names (2026年…工作要点, …（2024—2026年）); else
    the end of the plan period its title names (…“十四五”规划 → 2025, “十五五” → 2030); else the
    end of a named period (十二五期间 → 2015); else, for a one-year programme that never says
    到, the year its body (from `body_start`) names most often (2019年全市…目标 → 2019, the later
    on a tie); else None."""
    due = Counter(y.year for y in found if y.kind == "due" and y.explicit_due)
    if due:
        return _most_frequent(due)
    if title_year is not None:
        return title_year
    if title_period is not None:
        return title_period
    periods = [y.year for y in found if y.kind == "period"]
    if periods:
        return max(periods)
    named = Counter(y.year for y in found if y.kind == "due" and y.start >= body_start)
    return _most_frequent(named) if named else None


def _most_frequent(counts: Counter) -> int:
    top = max(counts.values())
    return max(y for y, n in counts.items() if n == top)
