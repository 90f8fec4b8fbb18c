"""Quantities as policy texts write them: a number, an optional multiplier, a measure word.

Runs on folded text (fullwidth digits, ％, ～ and － already ASCII).
    19万亿元 · 1.3万项 · 6万个 · 3-5个百分点 · 5至10家 · 10% · 1,200吨 · 五千亿元 · 百分之十
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import precompiled
from . import rx as regex   # regex.compile without importing `regex` for a stored pattern (rx.py)

from .outline import DIGIT as DIGIT_RANGES
from .outline import stdlib

# Multipliers between the number and the measure word, longest first. 1百亿 and 1千亿 occur.
MULTIPLIERS: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8,
    "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
}

# Measure words -> the base unit reported: the table in data/measure_words.txt (one word per
# line, `word = base` where the base differs), read once. Longest first within the regex.
MEASURE_WORDS_FILE = "measure_words.txt"


def _load_measure_words() -> dict[str, str]:
    # read beside the package, as aliases.py reads its table (importlib.resources costs ~4 ms to import)
    text = (Path(__file__).parent.parent / "data" / MEASURE_WORDS_FILE).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, base = (part.strip() for part in line.partition("="))
        table[word] = base or word
    return table


UNIT_WORDS: dict[str, str] = _load_measure_words()
_ESCAPED_UNITS = {w: regex.escape(w) for w in UNIT_WORDS}
UNIT_ORDER = sorted(UNIT_WORDS, key=lambda w: len(_ESCAPED_UNITS[w]), reverse=True)   # longest (escaped) first
UNIT_PTN = "|".join(_ESCAPED_UNITS[w] for w in UNIT_ORDER)
MULT_PTN = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
# Units that begin with a multiplier's character (千瓦 千米 千克 百分点): there the character is
# the unit's, not a multiplier (2千瓦 is 2 千瓦; 2亿千瓦 is 2e8 千瓦 with 亿 the multiplier).
MULT_CHARS = frozenset("".join(MULTIPLIERS))
UNITS_LIKE_MULT = sorted((u for u in UNIT_WORDS if u[0] in MULT_CHARS), key=len, reverse=True)
GUARDED_MULT_PTN = (
    "(?!(?:" + "|".join(map(regex.escape, UNITS_LIKE_MULT)) + "))(?:" + MULT_PTN + ")" if UNITS_LIKE_MULT else MULT_PTN
)
# 余 / 多 after the number or its multiplier: 700余辆 · 800余万份 · 1.7万余个 · 20多家 (reads like 以上)
MORE_PTN = "余|多"

# A rate's denominator after a measure word: 0.45吨标准煤/万元 · 8万吨/年 · 30微克/立方米
PER_UNITS = ["万元", "元", "年", "人", "天", "日", "月", "平方米", "吨", "千瓦时", "亩", "公顷", "户", "辆", "百公里"]
PER_PTN = "|".join(sorted(map(regex.escape, PER_UNITS), key=len, reverse=True))

# 1,200.5 · 13.5 · 800 — not part of a longer code (T700, 1-10/8型, 1.2.3)
ARABIC_PTN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# The same, possessive (++, ?+), where nothing that may follow the number starts with a digit, a
# comma or a point (QUANTITY_RE): giving back a digit or a comma group can never make a match
# there, and the regex no longer tries every way to (patterns/AUDIT.md).
ARABIC_ATOMIC_PTN = r"\d{1,3}+(?:,\d{3})++(?:\.\d++)?+|\d++(?:\.\d++)?+"
# Where a number may not start: inside a run of comma groups (1,000,000: not at 000), where
# the match from the run's first digit has already been tried. Without this guard every comma
# group of 1,000,…,000 starts a scan to the run's end: quadratic time.
NOT_IN_COMMA_RUN = r"(?!(?<=\d,)\d{3}(?!\d))"
# 3-5 · 3~5 · 3—5 · 5至10 · 3到5
RANGE_SEP_PTN = r"\s*(?:-|~|—|至|到)\s*"

# What may not stand right before a number: a Latin letter, a digit, . - / _ (T700, 1.2.3, 1-10/8)
NOT_BEFORE_NUMBER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-/_")

# The main quantity pattern. Groups: num, num2 (range end), mult, more (余/多), unit.
# The low end of a range may repeat the multiplier or percent: 3万-5万吨 · 5%-10%.
QUANTITY_RE = regex.compile(
    rf"(?<![A-Za-z0-9.\-/_]){NOT_IN_COMMA_RUN}"
    rf"(?P<num>{ARABIC_ATOMIC_PTN})"
    rf"(?:(?P<mult1>{GUARDED_MULT_PTN})?(?P<unit1>%|‰)?{RANGE_SEP_PTN}(?P<num2>{ARABIC_ATOMIC_PTN}))?"
    rf"(?P<more1>{MORE_PTN})?"
    rf"(?P<mult>{GUARDED_MULT_PTN})?"
    rf"(?P<more>{MORE_PTN})?"
    rf"(?P<unit>{UNIT_PTN})"
    rf"(?P<per>/(?:{PER_PTN}))?"
    rf"(?![A-Za-z0-9])"
)
# The characters that can stand right after a quantity's run of digits: a decimal point or a
# comma group going on (with a digit after it), or the first character of a multiplier, % or ‰, a range separator,
# 余/多 or a measure word. (A space, RANGE_SEP_PTN's \s, is tested with str.isspace: it holds
# every character \s matches.) Where the next character is none of them, QUANTITY_RE cannot
# match from that run: most digit runs (years, labels, dates) are skipped without a try.
AFTER_DIGITS_FIRST = frozenset(
    ".," + "".join(MULTIPLIERS) + "%‰" + "-~—至到" + MORE_PTN.replace("|", "") + "".join(w[0] for w in UNIT_WORDS)
)
# A run of digits as QUANTITY_RE reads them (the regex module's \d, not the stdlib's).
DIGIT_RUN_RE = regex.compile(r"\d+")

# `regex`'s \d for the stdlib re, whose \d follows Python's older Unicode tables (the regex
# module knows 110 digits more): patterns/outline.py's DIGIT ranges, which its stdlib() uses to
# rewrite a regex pattern (tests/test_fast_paths.py checks every code point against `regex`).
DIGIT = f"[{DIGIT_RANGES}]"


def literal_alternation(escaped: tuple[str, ...]) -> str:
    """The alternation "|".join(escaped) of escaped literal words (regex.escape: a backslash
    before each special character) with the words that share a first character put behind it
    once, in their order: 万元|万吨|元 -> 万(?:元|吨)|元. At any position it tries the same
    words in the same order as the flat one (the others cannot start there), so it matches the
    same; the stdlib re tries a flat alternation's words one by one, and a match of QUANTITY_RE
    reads the measure words (110, 85 first characters) at each way its optional groups can go.
    (A function of the words alone: kept between runs by precompiled.derived.)"""
    groups: dict[str, list[str]] = {}
    for e in escaped:
        first = e[:2] if e[0] == "\\" else e[:1]   # the escaped first character
        groups.setdefault(first, []).append(e[len(first):])
    return "|".join(first + rests[0] if len(rests) == 1 else first + "(?:" + "|".join(rests) + ")"
                    for first, rests in groups.items())


# QUANTITY_RE for the stdlib re, which matches it at a number's start in under half the
# instructions (callgrind: 9-11 K against 23-25 K; tests/test_fast_paths.py compares the two),
# with the measure words grouped by first character and \\d as stdlib() writes it (-10 %: 0.47 ->
# 0.42 M instructions per bench document for its ~45 matches). Its possessive forms need
# Python 3.11; before, QUANTITY_RE itself.
UNIT_GROUPED_PTN = precompiled.derived(literal_alternation, tuple(map(_ESCAPED_UNITS.get, UNIT_ORDER)))   # UNIT_PTN's words grouped
QUANTITY_AT_RE = re.compile(
    stdlib(QUANTITY_RE.pattern.replace(f"(?P<unit>{UNIT_PTN})", f"(?P<unit>{UNIT_GROUPED_PTN})"))
) if sys.version_info >= (3, 11) else QUANTITY_RE

# Chinese-numeral amounts with a multiplier: 五千亿元 · 十万吨 · 两万家 · 一百五十亿元 · 一千五百万元
CN_QUANTITY_RE = regex.compile(
    r"(?P<cnum>[一二三四五六七八九两][一二三四五六七八九十两零〇百千]*|十[一二三四五六七八九十两零〇百千]*)"
    rf"(?P<more1>{MORE_PTN})?(?P<mult>万亿|亿|万)(?P<more>{MORE_PTN})?(?P<unit>{UNIT_PTN})"
)
# The same on the stdlib re, with the measure words grouped (no `regex` feature; a cheaper call)
CN_QUANTITY_AT_RE = re.compile(CN_QUANTITY_RE.pattern.replace(f"(?P<unit>{UNIT_PTN})", f"(?P<unit>{UNIT_GROUPED_PTN})"))
# Small Chinese numerals with a change unit: 提高两个百分点 · 增长一倍
CN_CHANGE_RE = regex.compile(r"(?P<cnum>[一二三四五六七八九十两]{1,3})(?P<unit>个百分点|倍)")
# Small Chinese-numeral counts right after a verb of doing or reaching: 打造三个千亿级产业集群 ·
# 新建两所学校 · 达到十家. One (一个, 一批, 一套) is left alone: it is a manner of speaking.
COUNT_UNITS = ["个", "家", "项", "座", "所", "条", "处", "批", "台", "套", "支", "件"]
COUNT_FIRST = "两二三四五六七八九十"   # what a count's numeral starts with
CN_COUNT_BODY_RE = regex.compile(
    r"(?P<cnum>[" + COUNT_FIRST + r"][十百]?[一二三四五六七八九]?)(?P<unit>" + "|".join(COUNT_UNITS) + r")"
)
COUNT_VERBS = ("打造", "培育", "创建", "建设", "建成", "新建", "引进", "培植", "认定", "形成", "达到", "突破", "超过",
               "新增", "完成", "实施", "组建", "设立", "布局")
COUNT_HEDGES = "约近超过"   # up to two of these between the verb and the count: 新增近三个
# The rule in full, in `regex` syntax (a variable-width look-behind); the tests compile it and
# compare the parse's reading with it (nothing else needs it compiled):
CN_COUNT_PATTERN = r"(?<=(?:" + "|".join(COUNT_VERBS) + r")(?:[" + COUNT_HEDGES + r"]{0,2}))" + CN_COUNT_BODY_RE.pattern
# The parse's reading: CN_COUNT_PATTERN where its look-behind is known to hold (extract/targets.py
# _count_starts finds the verb and the hedges before each start): its body alone, on the stdlib re.
CN_COUNT_AT_RE = re.compile(CN_COUNT_BODY_RE.pattern)
# 百分之十 · 百分之二十五 · 百分之五点五
CN_PERCENT_RE = regex.compile(r"百分之(?P<cnum>[一二三四五六七八九十百点零两]+)")

# A bare number (no measure word) counts only right after a verb of reaching:
# 每万人口发明专利授权数达到0.8以上 · 两化融合发展指数达到110
BARE_NUMBER_VERBS = ("达到", "超过", "突破", "提高到", "提升到", "不低于", "保持在", "控制在", "稳定在")
BARE_NUMBER_RE = regex.compile(
    r"(?:" + "|".join(BARE_NUMBER_VERBS) + rf")\s*(?P<num>{ARABIC_PTN})"
    r"(?=以上|左右|以内|以下|[，。；、,;）)]|\s*$)"
)

# BARE_NUMBER_RE for the stdlib re (its text as rewritten by stdlib(), \\d in its faster form
# the same matches, tests/test_fast_starts.py), tried at the ~16 starts of a document
# where a `regex` call's set-up costs about twice a stdlib one's.
BARE_NUMBER_AT_RE = re.compile(stdlib(BARE_NUMBER_RE.pattern))

# Word values: 一半 -> 50 %; 翻一番 -> 2 倍, 翻两番 -> 4 倍 (direction up). 一半 counts only as a
# share reached or cut (超过一半 · 减少一半 · 一半以上), not as a half of something in passing.
WORD_VALUES: dict[str, tuple[float, str]] = {
    "一半": (50.0, "%"), "翻番": (2.0, "倍"), "翻一番": (2.0, "倍"), "翻两番": (4.0, "倍"), "翻二番": (4.0, "倍"),
    "翻三番": (8.0, "倍"),
}
HALF_BEFORE = ("超过", "达到", "减少", "降低", "下降", "压减", "削减", "缩减", "减排", "占", "约", "近", "提高", "增加", "增长")
WORD_VALUE_RE = regex.compile(
    r"翻[一两二三]番|翻番|(?<=" + "|".join(HALF_BEFORE) + r")一半|一半(?=以上|左右)"
)
# The cheap test before WORD_VALUE_RE runs: one of these must occur.
WORD_VALUE_ANCHORS = ("一半", "番")
# A bracketed alternative measure word right after a quantity is left out: 20条(段) -> 20条
ALT_UNIT_RE = regex.compile(r"\((?:" + UNIT_PTN + r")\)")
