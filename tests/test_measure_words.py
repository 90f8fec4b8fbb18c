"""The measure-word table (data/measure_words.txt): well formed, and what the patterns use of it."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from policyparse import numerals
from policyparse.patterns import exclusions as X
from policyparse.patterns import numbers as N

RAW = resources.files("policyparse.data").joinpath(N.MEASURE_WORDS_FILE).read_text(encoding="utf-8")
LINES = RAW.split("\n")
ENTRIES = [line for line in LINES if line and not line.startswith("#")]
WORDS = [line.partition("=")[0].strip() for line in ENTRIES]
NUMERAL_CHARS = set(numerals.CN_NUMERAL_CHARS) | set("0123456789两点半")


def test_no_empty_lines_and_a_final_newline():
    assert RAW.endswith("\n") and not RAW.endswith("\n\n")
    assert all(line.strip() for line in LINES[:-1]), "empty line in the table"
    assert all(line == line.strip() for line in LINES), "stray spaces"


def test_no_duplicates():
    assert len(WORDS) == len(set(WORDS))


def test_every_entry_is_a_word_or_word_equals_base():
    for line in ENTRIES:
        word, eq, base = (p.strip() for p in line.partition("="))
        assert word and " " not in word, line
        assert not eq or (base and base in WORDS), f"{line}: the base must itself be a listed word"


def test_no_word_is_a_numeral_or_a_multiplier():
    for word in WORDS:
        assert not all(ch in NUMERAL_CHARS for ch in word), word
        assert word not in N.MULTIPLIERS, word


def test_words_that_begin_with_a_multiplier_are_guarded():
    """千瓦, 千米, 百分点 … begin with a multiplier's character: the quantity pattern must read
    2千瓦 as 2 千瓦 and 2亿千瓦 as 2e8 千瓦."""
    starting = [w for w in WORDS if w[0] in N.MULT_CHARS]
    assert starting and set(starting) == set(N.UNITS_LIKE_MULT)
    for word in starting:
        assert numerals.read_quantity("2" + word) == (2.0, None, N.UNIT_WORDS[word])
        assert numerals.read_quantity("2亿" + word) == (2e8, None, N.UNIT_WORDS[word])


def test_time_words_are_not_measure_words():
    """Durations and dates are not quantities (rule duration, bare years)."""
    for word in ("年", "月", "日", "天", "周", "小时"):
        assert word not in N.UNIT_WORDS


@pytest.mark.parametrize("word", WORDS)
def test_every_word_reads_after_a_number(word):
    """Longest first: each word is read whole after a number, never a shorter word inside it."""
    assert numerals.read_quantity("12" + word) == (12.0, None, N.UNIT_WORDS[word])


def test_the_table_is_what_the_patterns_use():
    assert list(N.UNIT_WORDS) == WORDS
    assert set(N.COUNT_UNITS) <= set(WORDS)
    assert X.CRITERION_UNITS <= set(WORDS) and X.ELIGIBILITY_UNITS <= set(WORDS)


def test_the_table_is_packaged():
    """pyproject's package-data ships data/*.txt, so an installed wheel has the table."""
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert "data/*.txt" in text
