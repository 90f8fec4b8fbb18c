"""Time and output grow linearly with the input, on the attacks that made them grow faster.

Each attack (tests/attacks.py) is parsed at 1, 10 and 100 KB; the CPU time of each step up must
grow about tenfold (allowed: 25x, where a quadratic path gives 100x and an exponential one never
finishes), and so must the JSON written. Times are the best of three runs of process time (a
ratio, not an absolute time, so a slow or busy machine does not fail it); the smaller sizes are
floored at 2 ms so that timer noise on a tiny input does not make a ratio.

The hypothesis test repeats fragments of the patterns' own words thousands of times and fails
on any input that takes more than a few seconds: slowness is a failure.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attacks import ATTACKS, FRAGMENTS, attack_text
from policyparse.emit import record_json
from policyparse.extract import targets as T
from policyparse.patterns import targets as PT
from policyparse.pipeline import parse_record

SIZES = (1_000, 10_000, 100_000)
MAX_RATIO = 25.0
FLOOR = 0.002


def cpu_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        parse_record(text)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_time_grows_linearly(name):
    times = [cpu_time(attack_text(name, size)) for size in SIZES]
    for small, big in zip(times, times[1:]):
        assert big / max(small, FLOOR) < MAX_RATIO, f"{name}: {times}"


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_output_grows_linearly(name):
    sizes = [len(record_json(parse_record(attack_text(name, size)))) for size in SIZES]
    for small, big in zip(sizes, sizes[1:]):
        assert big / small < 15, f"{name}: {sizes}"


def test_the_two_reported_attacks_finish_quickly():
    """The exact texts of issue #9: 25 s and 12 s before (CPU time now, on any machine, far less)."""
    for text in ("年均增长" * 22 + "X长1个", "1" + ",000" * 2500):
        assert cpu_time(text) < 1.0


def test_a_long_clause_copies_a_window_not_the_clause():
    text = attack_text("long_clause", 100_000)
    targets = parse_record(text)["targets"]
    assert len(targets) > 5000
    assert all(len(t["text"]) <= T.MAX_COPIED for t in targets)
    for t in targets[::500]:
        start, end = t["span"]
        assert t["raw"] in t["text"] and t["text"] in text   # a piece of the source around the number


def test_a_normal_clause_is_copied_whole():
    clause = "全市规模以上工业企业研发投入强度到2025年达到2.5%以上"
    t = parse_record(clause + "。")["targets"][0]
    assert t["text"] == clause


# ---- the indicator tail: the linear walk equals the regex it replaces ----------------------------

TAIL_PIECES = PT.INDICATOR_TAIL_WORDS + ["比2010年", "较2010年", "较“十二五”末", "较十三五", "比 2015 年", "年", "均", "长",
                                         "X", "到", "\n", " ", "五", "末", "”", "不", "增", "，"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TAIL_PIECES), max_size=8).map("".join))
def test_strip_tail_equals_the_tail_regex(text):
    assert T._strip_tail(text) == PT.INDICATOR_TAIL_RE.sub("", text)


def test_strip_tail_is_linear():
    for text in ("X" + "年均增长" * 30_000, "年均增长" * 30_000 + "X长"):
        t0 = time.process_time()
        T._strip_tail(text)
        assert time.process_time() - t0 < 2.0


# ---- slowness as a failure: the patterns' own words, repeated thousands of times ------------------

MAX_SECONDS = 3.0   # a 30 KB text parses in about 50 ms; an exponential path takes minutes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("".join),
    repeat=st.integers(1_000, 3_000),
    tail=st.sampled_from(["", "X长1个", "达到1", "1个", "）", "。"]),
)
def test_repeated_pattern_words_parse_in_time(unit, repeat, tail):
    text = (unit * repeat)[:30_000] + tail
    t0 = time.process_time()
    parse_record(text)
    elapsed = time.process_time() - t0
    assert elapsed < MAX_SECONDS, f"{elapsed:.1f} s for {unit!r} x {repeat} + {tail!r}"
