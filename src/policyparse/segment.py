"""Segmentation: the folded text cut into lines, each with its span in the source.

A Line's `start` is the first character after the indent (spaces, U+3000, tabs), `end` is the
line end without the newline. Clause splitting for targets lives in extract/targets.py.
"""
from __future__ import annotations

from dataclasses import dataclass

INDENT = " \t\u3000\u00a0"


@dataclass(frozen=True, slots=True)
class Line:
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
    pos = 0
    n = len(folded)
    number = 0
    while pos <= n:
        nl = folded.find("\n", pos)
        if nl < 0:
            nl = n
        raw = folded[pos:nl]
        stripped_left = raw.lstrip(INDENT)
        start = pos + (len(raw) - len(stripped_left))
        body = stripped_left.rstrip(INDENT)
        out.append(Line(number, start, start + len(body), body))
        number += 1
        pos = nl + 1
    return out
