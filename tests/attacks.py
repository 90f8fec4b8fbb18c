"""Hostile inputs shared by the linear-time tests, the hypothesis strategy and the batch benchmark.

Each attack is a fragment repeated to a given size, plus a short tail that makes the patterns
fail (where backtracking is worst) or adds one more number. They are the two members of the
class issue #9 reported, and one per quadratic path found in the audit (patterns/AUDIT.md).
"""
from __future__ import annotations

from policyparse.patterns import numbers as N
from policyparse.patterns import targets as T
from policyparse.patterns import units as U

# name -> (head, fragment repeated, tail)
ATTACKS: dict[str, tuple[str, str, str]] = {
    # INDICATOR_TAIL_RE: 年均增长 is one tail word or two -> 2^n readings at each start
    "indicator_tail": ("", "年均增长", "X长1个"),
    # QUANTITY_RE: every comma group started a scan to the end of the run
    "comma_groups": ("1", ",000", ""),
    # a clause without punctuation holding thousands of numbers: each target copied it whole
    "long_clause": ("建设", "新建1个项目", ""),
    # due_year / baseline walked back over every year mention of the sentence for each number
    "baselines": ("", "比2010年增长1%", ""),
    # indicators looked up from the sentence start for each number
    "distinct_indicators": ("", "甲乙丙达到1个、丁戊己达到2个、", ""),
    # the incentive words searched in the whole clause for each number
    "incentives": ("", "最高1元级", "奖励"),
    # the price rule searched the clause for price words for each amount
    "prices": ("", "降低1元、", ""),
    # the named-set rule copied the clause up to each number to look for 、
    "named_sets": ("", "等1个", ""),
    # bare numbers after 达到 with comma groups (backtracking inside BARE_NUMBER_RE)
    "bare_commas": ("", "达到1,", "达到1"),
    # long runs of Chinese numerals before 万 (read once, walked back once)
    "cn_numerals": ("达到", "一", "万元"),
    # unclosed brackets in front of role words (NOTE_RE's bounded inner)
    "open_notes": ("", "（牵头单位：省厅", "）"),
    # label-like lines
    "labels": ("", "一、（一）1.①——\n", ""),
}


def attack_text(name: str, size_bytes: int) -> str:
    """The attack at about `size_bytes` of UTF-8."""
    head, frag, tail = ATTACKS[name]
    n = max(1, size_bytes // len(frag.encode("utf-8")))
    return head + frag * n + tail


# The patterns' own words: what a hostile text is made of when it aims at the patterns.
FRAGMENTS: list[str] = sorted(set(
    T.INDICATOR_TAIL_WORDS + list(N.UNIT_WORDS) + list(N.MULTIPLIERS) + list(N.COUNT_VERBS)
    + list(N.BARE_NUMBER_VERBS) + list(T.BEFORE_MODIFIERS) + list(T.AFTER_MODIFIERS) + T.UP_VERBS + T.DOWN_VERBS
    + T.LEVEL_VERBS + list(U.LABEL_MARKERS) + list(U.ROLE_VERBS) + N.PER_UNITS
    + ["比2010年", "较“十二五”末", "到2020年", "十三五", "2020年", "二〇二五", "百分之", "实现", "拥有", "其中", "用于",
       "第", "号", "级", "等有关", "的", "以上的", "过", "“", "”", "（", "）", "(", ")", "【", "】", "《", "》",
       "1", "0", ".5", ",000", "一", "十", "万", "-", "~", "至", " ", "\u3000", "\n", "，", ",", "、", "。", "；", "：",
       "%", "/", "一、", "（一）", "1.", "①", "——", "专栏1", "奖励", "罚款", "同比", "力争", "最高"]
))
