"""Matching a pattern only where its anchor stands: what finditer finds, without its scan.

Scanning a 30 KB text with a pattern that starts with a character class, an alternation or a
look-behind costs about as much as all the work on what it finds, while str.find runs at C
speed. So the rarer forms (extract/targets.py) and the years (extract/years.py) are matched only
where their anchor words occur (tests/test_fast_paths.py and tests/test_fast_targets.py compare
each with finditer on random text and on the seeds).
"""
from __future__ import annotations

from ..patterns import precompiled


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


def first_chars(pattern_text: str) -> frozenset[str] | None:
    """The characters a match of the pattern can start with, read from its parse by the stdlib
    re (literals, sets of literals and ranges, groups, alternatives, repeats; look-arounds and
    anchors are skipped, which can only widen the set); None when any character may start one,
    a match may be empty, or the pattern has a form this does not read. A test before a
    `pattern.match(text)`: when text[:1] is not in the set, the match fails."""
    return precompiled.derived(_edge_chars, pattern_text, False)   # kept between runs (reading a parse is costly)


def last_chars(pattern_text: str) -> frozenset[str] | None:
    """For a pattern that ends with `$`: the characters a string it is found in can end with —
    the characters a match can end with (read as first_chars reads the start, from the end
    backwards), and the line break `$` may stand before. None when the pattern does not end
    with `$` or first_chars' reading gives None. A test before a `pattern.search(text)` of such
    a pattern: when text[-1:] is not in the set, the search fails."""
    return precompiled.derived(_edge_chars, pattern_text, True)


def _edge_chars(pattern_text: str, last: bool) -> frozenset[str] | None:
    try:
        from re import _constants as C
        from re import _parser
        parsed = _parser.parse(pattern_text)
    except Exception:   # a form only the regex module reads, or another Python's internals
        return None
    if parsed.state.flags & (C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_MULTILINE) or "(?i" in pattern_text or "(?m" in pattern_text:
        return None     # case folding: the literals are not the characters (multi-line: $ inside)
    items = list(parsed)
    if last:
        if not items or items[-1] != (C.AT, C.AT_END):
            return None
        items.pop()

    def first(items) -> tuple[set[str] | None, bool]:   # (characters or None for any, may be empty)
        chars: set[str] = set()
        for op, av in (reversed(list(items)) if last else items):
            if op is C.LITERAL:
                chars.add(chr(av))
                return chars, False
            if op is C.IN:
                for kind, value in av:
                    if kind is C.LITERAL:
                        chars.add(chr(value))
                    elif kind is C.RANGE and value[1] - value[0] < 0x10000:
                        chars.update(map(chr, range(value[0], value[1] + 1)))
                    else:
                        return None, False
                return chars, False
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue    # zero-width
            if op is C.BRANCH or op is C.SUBPATTERN or op in (C.MAX_REPEAT, C.MIN_REPEAT):
                if op is C.BRANCH:
                    parts, empty_ok = av[1], False
                elif op is C.SUBPATTERN:
                    parts, empty_ok = [av[3]], False
                else:
                    parts, empty_ok = [av[2]], av[0] == 0
                for part in parts:
                    found, empty = first(part)
                    if found is None:
                        return None, False
                    chars |= found
                    empty_ok = empty_ok or empty
                if not empty_ok:
                    return chars, False
                continue
            return None, False
        return chars, True

    found, empty = first(items)
    if found is None or empty:
        return None
    return frozenset(found | {"\n"}) if last else frozenset(found)


class _Everything:
    """Holds every character: the gate of a pattern whose first characters are not known."""

    def __contains__(self, _: str) -> bool:
        return True


def match_gate(pattern):
    """The characters a match of `pattern` (a compiled pattern) can start with, as a container:
    `text[:1] in gate` is False only where pattern.match(text) must fail."""
    found = first_chars(pattern.pattern)
    return _Everything() if found is None else found


def end_gate(pattern):
    """The characters a string that `pattern` (a compiled pattern ending with `$`) is found in
    can end with, as a container: `text[-1:] in gate` is False only where pattern.search(text)
    must fail."""
    found = last_chars(pattern.pattern)
    return _Everything() if found is None else found


def end_words(pattern_text: str, spaces: str) -> tuple[str, ...] | None:
    """For a pattern of words before the end, `(?:word|word…)\\s*$` (the words literal, perhaps
    with a negative look-behind before one): every word, so that a search of the pattern in a
    text can only succeed where the text, its trailing spaces (\\s) cut, ends with one of them
    (text.rstrip(SPACE_CHARS).endswith(words)). A look-behind is left out, which can only
    widen what passes. `spaces`: the characters of \\s (the repeat before the end must be a
    set of exactly those). None for any other form."""
    return precompiled.derived(_end_words, pattern_text, spaces)


def _end_words(pattern_text: str, spaces: str) -> tuple[str, ...] | None:
    try:
        from re import _constants as C
        from re import _parser
        items = list(_parser.parse(pattern_text))
    except Exception:
        return None
    if not items or items[-1] != (C.AT, C.AT_END):
        return None
    items.pop()
    if items and items[-1][0] is C.MAX_REPEAT:   # the spaces before the end: \\s* and nothing else
        low, high, repeated = items.pop()[1]
        if low != 0 or high is not C.MAXREPEAT or len(repeated) != 1 or repeated[0][0] is not C.IN:
            return None
        chars: set[str] = set()
        for kind, value in repeated[0][1]:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None
        if chars != set(spaces):
            return None

    def words(items) -> set[str] | None:   # every string the items match, look-behinds left out
        found = {""}
        for op, av in items:
            if op is C.LITERAL:
                found = {w + chr(av) for w in found}
            elif op is C.ASSERT_NOT and av[0] == -1:
                continue
            elif op is C.SUBPATTERN:
                inner = words(av[3])
                if inner is None:
                    return None
                found = {w + v for w in found for v in inner}
            elif op is C.BRANCH:
                inner = set()
                for part in av[1]:
                    got = words(part)
                    if got is None:
                        return None
                    inner |= got
                found = {w + v for w in found for v in inner}
            else:
                return None
        return found

    found = words(items)
    if not found or "" in found:
        return None
    return tuple(sorted(found))
