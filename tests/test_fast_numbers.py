"""The number readers' shortcuts read what the plain reading reads.

numerals.quantity_of_match takes a QUANTITY_RE match's groups() in one call (QUANTITY_GROUPS)
and arabic() skips its replaces when there is no separator; each is compared here with the
reading by group name and the plain replaces, on the seeds' quantities and on random text.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse import numerals as NU
from policyparse.patterns import numbers as N

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]


def by_name(m):
    """The reading by group name (what quantity_of_match did before it read groups())."""
    mult, mult1, num2, per = m.group("mult", "mult1", "num2", "per")
    factor = N.MULTIPLIERS[mult] if mult else 1.0
    low_factor = N.MULTIPLIERS[mult1] if mult1 else factor
    value = NU._scaled(float(m.group("num").replace(",", "")), low_factor)
    high = NU._scaled(float(num2.replace(",", "")), factor) if num2 else None
    return value, high, N.UNIT_WORDS[m.group("unit")] + (per or "")


def test_groups_are_in_pattern_order():
    for pattern in (N.QUANTITY_RE, N.QUANTITY_AT_RE):
        assert pattern.groupindex == {name: i + 1 for i, name in enumerate(NU.QUANTITY_GROUPS)}


def test_quantity_of_match_reads_what_the_names_read_on_seeds():
    matches = [m for text in SEED_TEXTS for pattern in (N.QUANTITY_RE, N.QUANTITY_AT_RE) for m in pattern.finditer(text)]
    assert len(matches) > 100
    assert any(m.group("num2") for m in matches) and any(m.group("mult") for m in matches)
    for m in matches:
        assert NU.quantity_of_match(m) == by_name(m), m.group(0)


PIECES = ["1", "25", "3.5", "1,200", "1,200.75", "0", "-", "~", "至", "万", "亿", "千", "百", "万亿", "%", "‰",
          "个", "吨", "元", "家", "余", "多", "/年", "/万元", "千瓦", "百分点", "标准煤", " "]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map("".join))
def test_quantity_of_match_reads_what_the_names_read_on_random_text(text):
    for m in N.QUANTITY_RE.finditer(text):
        assert NU.quantity_of_match(m) == by_name(m)


@given(st.text(alphabet="0123456789,，.٣", max_size=12))
def test_arabic_is_the_plain_replace(text):
    try:
        expected = float(text.replace(",", "").replace("，", ""))
    except ValueError:
        expected = None
    try:
        got = NU.arabic(text)
    except ValueError:
        got = None
    assert got == expected or (got != got and expected != expected)   # (nan: no such input here)
