"""Matching a pattern only where its anchor stands: what finditer finds, without its scan.

Scanning a 30 KB text with a pattern that starts with a character class, an alternation or a
look-behind costs about as much as all the work on what it finds, while str.find runs at C
speed. So the rarer forms (extract/targets.py) and the years (extract/years.py) are matched only
where their anchor words occur (tests/test_fast_paths.py and tests/test_fast_targets.py compare
each with finditer on random text and on the seeds).
"""
from __future__ import annotations


def word_starts(folded: str, words) -> list[int]:
    """Every offset where one of `words` starts, ascending."""
    starts = []
    for word in words:
        k = folded.find(word)
        while k >= 0:
            starts.append(k)
            k = folded.find(word, k + 1)
    starts.sort()
    return starts


def matches_at(pattern, folded: str, positions: list[int]):
    """pattern.match at each position in order, skipping those inside the last match — what
    pattern.finditer yields when every match must start at one of `positions`."""
    last_end = -1
    for j in positions:
        if j < last_end:
            continue
        m = pattern.match(folded, j)
        if m:
            last_end = m.end()
            yield m
