"""Segmentation: the folded text cut into lines, each with its span in the source.

A Line's `start` is the first character after the indent (spaces, U+3000, tabs), `end` is the
line end without the newline. Clause splitting for targets lives in extract/targets.py.
"""
from __future__ import annotations

from typing import NamedTuple

INDENT = " \t\u3000\u00a0"


class Line(NamedTuple):
    """A tuple, not a frozen dataclass: a document has thousands of lines, and a frozen
    dataclass's __init__ costs several times as much."""

    number: int        # 0-based line index
    start: int         # offset of the first non-indent character
    end: int           # offset just past the last non-space character
    text: str          # folded text[start:end]

    @property
    def blank(self) -> bool:
        return self.start >= self.end


def lines(folded: str) -> list[Line]:
    """Split folded text (line ends already \\n) into Lines with stripped spans."""
    out: list[Line] = []
    append = out.append
    new = tuple.__new__   # what Line(...) calls, without the Python-level __new__ frame per line
    pos = 0
    for number, raw in enumerate(folded.split("\n")):
        stripped_left = raw.lstrip(INDENT)
        start = pos + (len(raw) - len(stripped_left))
        body = stripped_left.rstrip(INDENT)
        append(new(Line, (number, start, start + len(body), body)))
        pos += len(raw) + 1
    return out


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Split on any of `separators` except inside （…）/(…): '各县（市、区）政府、市财政局' with '、'
    -> ['各县（市、区）政府', '市财政局']. Parts are returned as they are (not stripped)."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts
