"""Chinese and Arabic numerals -> numbers.

    cn_to_int("十二") == 12        cn_to_int("两") == 2          cn_to_int("三百零五") == 305
    cn_to_number("五千亿") == 5e11  cn_to_number("一点五") == 1.5  arabic("1,200.5") == 1200.5

Multipliers above 万 (万, 亿, 万亿) are handled by the quantity reader in patterns/numbers.py;
cn_to_number handles them too for fully Chinese numbers such as 五千亿.
"""
from __future__ import annotations

import functools

from .patterns.numbers import (
    CN_CHANGE_RE, CN_COUNT_BODY_RE, CN_PERCENT_RE, CN_QUANTITY_RE, MULTIPLIERS, QUANTITY_RE, UNIT_WORDS,
    WORD_VALUES,
)

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}           # ①..⑳
CIRCLED.update({chr(0x3251 + i): 21 + i for i in range(15)})     # ㉑..㉟
CIRCLED.update({chr(0x32B1 + i): 36 + i for i in range(15)})     # ㊱..㊿


def _small(s: str) -> int:
    """Numbers below 万: 十二, 三百零五, 一千二百, 二〇二五 (digit by digit)."""
    if s and all(ch in DIGITS for ch in s):  # 二〇二五 read digit by digit
        n = 0
        for ch in s:
            n = n * 10 + DIGITS[ch]
        return n
    total, digit = 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + (digit or 0)


# The longest Chinese numeral read: 九千九百九十九万九千九百九十九亿… is far shorter. A longer
# run (400 × 一) is no number, and reading it digit by digit costs quadratic time in big ints.
MAX_CN_NUMERAL_LEN = 40


def cn_to_int(s: str) -> int:
    """Whole Chinese numerals, including 万 and 亿 sections: 三万五千 -> 35000."""
    if not s:
        raise ValueError("empty numeral")
    if len(s) > MAX_CN_NUMERAL_LEN:
        raise ValueError(f"not a number: a numeral of {len(s)} characters")
    total = 0
    section = ""
    for ch in s:
        if ch in BIG_UNITS:
            base = _small(section) if section else 1
            if ch in ("亿", "億"):
                total = (total + base) * BIG_UNITS[ch]
            else:
                total += base * BIG_UNITS[ch]
            section = ""
        else:
            section += ch
    return total + (_small(section) if section else 0)


def cn_to_number(s: str) -> float:
    """Chinese numerals with an optional 点 decimal part: 一点五 -> 1.5."""
    if "点" in s:
        whole, frac = s.split("点", 1)
        value = float(cn_to_int(whole)) if whole else 0.0
        try:
            digits = "".join(str(DIGITS[ch]) for ch in frac)
        except KeyError:
            raise ValueError(f"not a Chinese numeral: {s!r}") from None
        return value + float("0." + digits) if digits else value
    return float(cn_to_int(s))


def arabic(s: str) -> float:
    """Arabic digits with thousands separators: '1,200.5' -> 1200.5 (input already folded to ASCII)."""
    if "," in s or "，" in s:   # (most numbers have no separator: two `in` tests, not two replaces)
        s = s.replace(",", "").replace("，", "")
    return float(s)


# Outline numbers above this are no numbers (a 21-digit 第…章 would break JSON writers, which
# hold integers in 64 bits); such a label gets number null, like an unreadable one.
MAX_LABEL_NUMBER = 2**53 - 1


@functools.lru_cache(maxsize=4096)  # labels repeat (一 二 三 …, 1 2 3 …): read each token once
def label_number(token: str) -> int | None:
    """The integer in an outline label: '十二' -> 12, '3' -> 3, '⑤' -> 5; None when unreadable."""
    if not token:
        return None
    if token in CIRCLED:
        return CIRCLED[token]
    try:
        n = int(token) if token.isdigit() else cn_to_int(token)
    except ValueError:
        return None
    return n if n <= MAX_LABEL_NUMBER else None   # 21 digits: no outline number, and no JSON integer


def read_quantity(raw: str) -> tuple[float, float | None, str]:
    """'19万亿元' -> (1.9e13, None, '元'); '3-5个百分点' -> (3, 5, '百分点'); '五千亿元' -> (5e11, None, '元').

    `raw` is folded text (ASCII digits and %). Raises ValueError if it is not a quantity.
    """
    m = QUANTITY_RE.fullmatch(raw)
    if m:
        return quantity_of_match(m)
    m = CN_QUANTITY_RE.fullmatch(raw)
    if m:
        return _scaled(cn_to_number(m.group("cnum")), MULTIPLIERS[m.group("mult")]), None, UNIT_WORDS[m.group("unit")]
    m = CN_CHANGE_RE.fullmatch(raw) or CN_COUNT_BODY_RE.fullmatch(raw)
    if m:
        return cn_to_number(m.group("cnum")), None, UNIT_WORDS[m.group("unit")]
    m = CN_PERCENT_RE.fullmatch(raw)
    if m:
        return cn_to_number(m.group("cnum")), None, "%"
    if raw in WORD_VALUES:  # 一半 · 翻两番
        value, unit = WORD_VALUES[raw]
        return value, None, unit
    try:
        return arabic(raw), None, ""
    except ValueError:
        raise ValueError(f"not a quantity: {raw!r}") from None


# QUANTITY_RE's groups in their order: a match's groups() gives them in one call, where
# m.group by name cost ~550 instructions a name (callgrind, ~40 matches per corpus document).
QUANTITY_GROUPS = ("num", "mult1", "unit1", "num2", "more1", "mult", "more", "unit", "per")
if QUANTITY_RE.groupindex != {name: i + 1 for i, name in enumerate(QUANTITY_GROUPS)}:
    raise ImportError(f"QUANTITY_RE's groups changed: {dict(QUANTITY_RE.groupindex)}; update QUANTITY_GROUPS")


def quantity_of_match(m) -> tuple[float, float | None, str]:
    """(value, high end or None, unit) of a QUANTITY_RE match (the finder's common case: it
    reads the match it already has instead of matching the text again)."""
    return quantity_of_groups(m.groups())


def quantity_of_groups(groups: tuple) -> tuple[float, float | None, str]:
    """quantity_of_match from the match's groups() (QUANTITY_GROUPS), for a caller that reads
    other groups too."""
    num, mult1, _, num2, _, mult, _, unit, per = groups
    factor = MULTIPLIERS[mult] if mult else 1.0
    low_factor = MULTIPLIERS[mult1] if mult1 else factor
    value = arabic(num)
    if low_factor != 1.0:
        value = _scaled(value, low_factor)
    high = None
    if num2:
        high = arabic(num2)
        if factor != 1.0:
            high = _scaled(high, factor)
    return value, high, UNIT_WORDS[unit] + per if per else UNIT_WORDS[unit]


def _scaled(value: float, factor: float) -> float:
    """value × factor without binary noise: 1.05 × 1e12 is 1.05e12 exactly, not 1.0500000000000002e12."""
    return float(round(value * factor, 6)) if factor != 1.0 else value
