"""The document header: title, status, subtitle, issuing number, addressee, preamble.

The header is read from the top of the document down to the first body paragraph; the lines
it uses are reported so the outline does not mistake a subtitle `——…` for a dash bullet.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..outline import match_heading
from ..patterns.labels import CONTENTS_LINE_RE
from ..patterns.header import (
    ADDRESSEE_MAX_LEN, DATE_LINE_RE, DATED_PAREN_RE, DOC_NUMBER_RE, STATUS_LINE_RE, STATUS_SUFFIX_RE,
    SUBTITLE_RE, TITLE_FORBIDDEN, TITLE_MAX_LEN, TITLE_MAX_LINES, YEAR_IN_HEADER_RE, YEAR_IN_TITLE_RE,
)
from ..segment import Line


@dataclass
class Header:
    title: str | None = None
    status: str | None = None
    subtitle: str | None = None
    doc_number: str | None = None
    addressee: str | None = None
    doc_year: int | None = None                    # the year the document was given (subtitle or date line)
    title_year: int | None = None                  # the last year in the title: 2026年…工作要点 · （2024—2026年）
    lines: set[int] = field(default_factory=set)   # line numbers that belong to the header
    body_start: int = 0                            # offset where the preamble may begin


def _is_addressee(text: str) -> bool:
    return text[-1] in "：:" and len(text) <= ADDRESSEE_MAX_LEN and "。" not in text


def _is_title_line(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX_LEN
        and not (set(text) & TITLE_FORBIDDEN)
        and text[-1] not in "：:，,、"
        and match_heading_text(text) is None
    )


def match_heading_text(text: str):
    return match_heading(Line(0, 0, len(text), text))


def read(lines: list[Line], source: str) -> Header:
    """Read the header from the top lines (folded text in `lines`, exact words from `source`)."""
    h = Header()
    title_parts: list[str] = []
    title_lines: list[int] = []
    title_open = True         # title lines must be contiguous
    for line in lines:
        if line.blank:
            if title_parts:
                title_open = False
            continue
        text = line.text
        exact = source[line.start:line.end]
        if CONTENTS_LINE_RE.fullmatch(text):
            break  # 目录: the table of contents ends the header (and is no title)
        m = STATUS_LINE_RE.match(text)
        if m and h.status is None:
            h.status = m.group("status")
            h.lines.add(line.number)
            title_open = not title_parts
            h.body_start = line.end
            continue
        if DOC_NUMBER_RE.match(text) and h.doc_number is None:
            h.doc_number = exact
            h.lines.add(line.number)
            title_open = not title_parts
            h.body_start = line.end
            continue
        if title_parts and h.subtitle is None and (SUBTITLE_RE.match(text) or DATED_PAREN_RE.match(text)):
            h.subtitle = exact
            h.lines.add(line.number)
            title_open = False
            h.body_start = line.end
            continue
        if _is_addressee(text) and match_heading_text(text) is None:
            h.addressee = exact
            h.lines.add(line.number)
            h.body_start = line.end
            break
        if title_open and _is_title_line(text) and len(title_parts) < TITLE_MAX_LINES:
            title_parts.append(exact)
            title_lines.append(line.number)
            h.lines.add(line.number)
            h.body_start = line.end
            continue
        if title_parts and len(text) <= 30 and not (set(text) & TITLE_FORBIDDEN) and match_heading_text(text) is None \
                and (DATE_LINE_RE.match(text) or h.subtitle is not None):
            # a byline or date under the title block (市长 王某某 · 2024年1月5日)
            h.lines.add(line.number)
            h.body_start = line.end
            continue
        break
    for dated in (h.subtitle, h.doc_number):
        m = YEAR_IN_HEADER_RE.search(dated or "")
        if m:
            h.doc_year = int(m.group(1))
            break
    if title_parts and len(title_parts) == TITLE_MAX_LINES and h.addressee is None and h.status is None:
        # possibly the first lines of a longer list of short lines: only a title if a blank
        # line, a status or a body paragraph closes it
        after = title_lines[-1] + 1
        nxt = lines[after] if after < len(lines) else None
        if nxt is not None and not nxt.blank and _is_title_line(nxt.text):
            h.lines -= set(title_lines)
            title_parts = []
            h.body_start = 0
    if title_parts:
        title = "".join(title_parts)
        years = YEAR_IN_TITLE_RE.findall(title)
        h.title_year = int(years[-1]) if years else None
        m = STATUS_SUFFIX_RE.search(title)
        if m:
            h.status = h.status or m.group("status")
            title = title[: m.start()].rstrip()
        h.title = title
    return h
