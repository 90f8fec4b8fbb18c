"""The outline labels of patterns/labels.py, compiled with the stdlib `re`.

Why: a heading is looked for on nearly every line, and one `regex` match of LABEL_RE costs about
9,500 machine instructions (its per-call set-up dominates), a stdlib match of the same pattern
about a tenth of that. labels.py stays the one place the label styles are written (in `regex`
syntax); `stdlib()` rewrites the only escapes whose meaning differs between the two engines,
spelled out here as `regex` reads them:
  \\p{Han}  HAN (`regex`'s Script=Han; the stdlib has no script classes), from patterns/units.py
  \\d       STDLIB_DIGIT, the set of DIGIT (`regex`'s Unicode decimal digits are newer than the
            stdlib's: 770 against 660): the stdlib's \\d and the newer ones
  \\s       units.SPACE_CHARS (the stdlib's \\s also takes the separators \\x1c-\\x1f)
Any other escape of a letter is refused, so a style written later with a `regex`-only feature
fails at import instead of matching something else. tests/test_fast_paths_structure.py checks the
classes code point by code point against `regex` and the compiled pattern against LABEL_RE.
"""
from __future__ import annotations

import re

from .labels import LABEL_FIRST_CHARS, LABEL_STYLES
from .units import HAN as _HAN_CLASS
from .units import SPACE_CHARS, class_members

# `regex`'s \p{Han} (Script=Han) and \s as ranges for a character class: patterns/units.py's.
HAN = _HAN_CLASS[1:-1]
# `regex`'s \d (Unicode decimal digits, its own Unicode version), as ranges for a character class.
DIGIT = (
    "\u0030-\u0039\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f"
    "\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def"
    "\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819"
    "\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49"
    "\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59"
    "\uabf0-\uabf9\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00010d40-\U00010d49"
    "\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9"
    "\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659"
    "\U000116c0-\U000116c9\U000116d0-\U000116e3\U00011730-\U00011739\U000118e0-\U000118e9"
    "\U00011950-\U00011959\U00011bf0-\U00011bf9\U00011c50-\U00011c59\U00011d50-\U00011d59"
    "\U00011da0-\U00011da9\U00011de0-\U00011de9\U00011f50-\U00011f59\U00016130-\U00016139"
    "\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U00016d70-\U00016d79"
    "\U0001ccf0-\U0001ccf9\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9"
    "\U0001e4f0-\U0001e4f9\U0001e5f1-\U0001e5fa\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9"
)
# DIGIT for the stdlib re in the form it tests fastest: its own \\d (a look-up in Python's
# Unicode tables) and the 110 digits regex's newer tables know beyond it (all above U+FFFF). A
# character that is no digit (nearly every one a pattern looks at) is tried against every one of
# DIGIT's ~70 ranges, against ten here. The same set: tests/test_fast_starts.py checks it
# against regex's \\d at every code point.
NEWER_DIGITS = ("\U00010d40-\U00010d49\U000116d0-\U000116e3\U00011bf0-\U00011bf9\U00011de0-\U00011de9"
                "\U00011f50-\U00011f59\U00016130-\U00016139\U00016d70-\U00016d79\U0001ccf0-\U0001ccf9"
                "\U0001e4f0-\U0001e4f9\U0001e5f1-\U0001e5fa")
STDLIB_DIGIT = r"\d" + NEWER_DIGITS
# The escapes rewritten: name -> the class's body (used bare inside [...], bracketed outside).
_CLASSES = {r"\p{Han}": HAN, r"\d": STDLIB_DIGIT, r"\s": SPACE_CHARS}


def stdlib(pattern: str) -> str:
    """`pattern` (regex syntax, VERSION0) rewritten for the stdlib `re` with the same meaning:
    \\p{Han}, \\d and \\s spelled out (in a class or on their own); other letter escapes refused."""
    out: list[str] = []
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            name = next((k for k in _CLASSES if pattern.startswith(k, i)), None)
            if name is not None:
                out.append(_CLASSES[name] if in_class else f"[{_CLASSES[name]}]")
                i += len(name)
                continue
            nxt = pattern[i + 1:i + 2]
            if nxt.isalpha() and nxt not in "tnrfvux":
                raise ValueError(f"no stdlib spelling for \\{nxt} in {pattern!r}")
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "[":
                raise ValueError(f"a nested set in {pattern!r}")
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":   # a leading ] is a member
                out.append("]")
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def twin(pattern) -> re.Pattern:
    """A compiled `regex` pattern's stdlib twin: the same pattern text rewritten by stdlib(),
    compiled by the stdlib `re` (the same matches, a cheaper call on short texts)."""
    return re.compile(stdlib(pattern.pattern))


# The characters each style's label can start with (the first item of its pattern in labels.py).
_DECIMAL_DIGITS = "".join(ch for ch in class_members(DIGIT) if ch.isdecimal())   # the stdlib's decimal digits (str.isdecimal) the digit class takes
_CN_NUM = "一二三四五六七八九十百零〇两"
_CIRCLED = "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
STYLE_FIRST_CHARS: dict[str, str] = {
    "chapter": "第", "section": "第", "article": "第", "part": "第",
    "box": "专",
    "cn_paren": "(", "arabic_paren": "(",
    "arabic_half_paren": _DECIMAL_DIGITS, "decimal": _DECIMAL_DIGITS, "arabic": _DECIMAL_DIGITS, "decimal_top": _DECIMAL_DIGITS,
    "cn_num": _CN_NUM,
    "circled": _CIRCLED,
    "latin": _LATIN, "latin_paren": _LATIN,
    "dash": "-\u2014\u2015\u2500",
}


def _label_pattern(styles: list[tuple[str, str]]) -> re.Pattern:
    """The styles' alternation in their order: group <style> holds a whole label, <style>_num its
    number; a match's lastindex is the index of the <style> group that matched."""
    return re.compile(
        "|".join(f"(?P<{style}>{stdlib(ptn)})".replace("(?P<num>", f"(?P<{style}_num>") for style, ptn in styles))


def _by_index(pattern: re.Pattern, styles: list[tuple[str, str]]) -> dict[int, tuple[str, int]]:
    """lastindex -> (style, index of its number group)."""
    return {pattern.groupindex[style]: (style, pattern.groupindex[f"{style}_num"]) for style, _ in styles}


# LABEL_RE of labels.py on the stdlib engine, every style.
LABEL_RE = _label_pattern(LABEL_STYLES)


def _dispatch() -> dict[str, tuple[re.Pattern, dict[int, tuple[str, int]]]]:
    """first character -> (the alternation of only the styles that can start with it, its
    lastindex table). One match tries 1-4 styles instead of all 15: the stdlib engine enters
    every alternative whose first item is a group, so a full LABEL_RE match costs ~3x as much.
    Which style wins is unchanged: a style that cannot start with the character cannot match."""
    # The characters that start the same styles, as one group each: split the set of all first
    # characters by one style after another (set operations; the ~800 characters, most of them
    # decimal digits, are not looked at one by one). Each group's styles keep LABEL_STYLES' order.
    groups: list[tuple[list[tuple[str, str]], frozenset[str]]] = [
        ([], frozenset("".join(STYLE_FIRST_CHARS.values())))]
    for style, ptn in LABEL_STYLES:
        starts = frozenset(STYLE_FIRST_CHARS[style])
        groups = [(styles, chars) for group_styles, group in groups
                  for styles, chars in ((group_styles + [(style, ptn)], group & starts), (group_styles, group - starts))
                  if chars]
    table: dict[str, tuple[re.Pattern, dict]] = {}
    for styles, chars in groups:
        pattern = _label_pattern(styles)
        table.update(dict.fromkeys(chars, (pattern, _by_index(pattern, styles))))
    return table


LABEL_BY_FIRST_CHAR = _dispatch()
