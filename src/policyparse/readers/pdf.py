"""PDF with a text layer, with pypdfium2 (PDFium, the PDF engine of Chromium).

PDFium gives each page's text line by line and every character's box, so the layout decides
what a line is, page by page (bounded memory: one page at a time):
1. Running headers and footers are dropped: a line in the top or bottom band of the page
   (BAND) whose text, digits aside, comes back on at least half of the pages (a date and title,
   a URL with `3/12`); so are page numbers there (`— 3 —`, `- 3 -`, `第 3 页 共 9 页`, `3/12`).
2. Lines broken by the page width are joined back into paragraphs: a line runs on into the next
   unless the next starts a heading (an outline label such as `一、`, `（二）`, `3.`), the next
   is indented (a first line), the line stops short of the right margin (a paragraph's last
   line, a title, a heading; not when the next line's first unbreakable chunk, such as
   `〔2008〕75号`, would not have fitted there), or a gap wider than the line pitch separates
   them. So a wrapped line continues on the next, across pages too.
Chinese lines are joined with nothing between them; Latin words with one space.
A PDF with pages but no text (a scan) is refused with one line: no text layer, run OCR first.
Tables are not rebuilt from PDF layout: their rows come out as lines.
"""
from __future__ import annotations

import os
import re
import statistics
from dataclasses import dataclass

from ..errors import InputError
from . import ReadResult

MAX_PAGES = 10000                 # more pages than any policy document: refused, not read
MAX_CHARS = 50_000_000            # text kept from one PDF at most (bounded memory)
BAND = 0.12                       # the top and bottom share of a page where headers/footers sit
RUNNING_SHARE = 0.5               # a band line on at least this share of pages is a running header
INDENT_EM = 0.9                   # a first line starts this many character widths right of the margin
SHORT_EM = 2.0                    # a last line ends this many character widths before the margin
GAP_PITCH = 1.45                  # a gap this many line pitches wide separates paragraphs

# page numbers as printed: — 3 —, - 3 -, 3, 第3页, 第 3 页 共 10 页, 3/12, Page 3 of 10
PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–－_·•~]*(?:第\s*)?\d{1,5}\s*(?:页)?\s*(?:(?:/|共|of)\s*\d{1,5}\s*页?)?[\s\-—–－_·•~]*$"
    r"|^\s*(?:page|p\.)\s*\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?\s*$"
    r"|^\s*第\s*\d{1,5}\s*页\s*[,，]?\s*共\s*\d{1,5}\s*页\s*$", re.I)
_LINE_SPLIT_RE = re.compile(r"\r\n|\r|\n")
_DIGITS_RE = re.compile(r"\d+")
_CTRL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WIDE_RE = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019\u2014\u2026]")


@dataclass
class Line:
    text: str
    x0: float      # left of the first visible character
    x1: float      # right of the last visible character
    top: float     # from the page's bottom (PDF coordinates)
    bottom: float
    em: float      # the first character's height or width (the page's median is the font size)
    page: int


def _page_lines(textpage, page_no: int) -> list[Line]:
    text = textpage.get_text_range()
    lines: list[Line] = []
    pos = 0
    for m in list(_LINE_SPLIT_RE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        raw = text[pos:end]
        first = next((i for i, ch in enumerate(raw) if not ch.isspace()), None)
        if first is not None:
            last = len(raw) - 1 - next(i for i, ch in enumerate(reversed(raw)) if not ch.isspace())
            try:
                l0, b0, r0, t0 = textpage.get_charbox(pos + first)
                _, _, r1, _ = textpage.get_charbox(pos + last)
            except Exception:  # noqa: BLE001 - a box PDFium cannot give: keep the text, no geometry
                l0 = b0 = r0 = t0 = r1 = 0.0
            lines.append(Line(_CTRL_RE.sub("", raw.rstrip()), l0, r1, t0, b0, max(t0 - b0, r0 - l0, 1.0), page_no))
        pos = m.end() if m else len(text)
    return lines


def _norm(s: str) -> str:
    return _DIGITS_RE.sub("#", s.strip())


def _drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Leave out running headers/footers and page numbers from each page's lines."""
    def in_band(ln: Line, h: float) -> bool:
        return ln.top >= h * (1 - BAND) or ln.bottom <= h * BAND

    counts: dict[str, int] = {}
    for lines, h in zip(pages, heights):
        for key in {_norm(ln.text) for ln in lines if in_band(ln, h)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, RUNNING_SHARE * len(pages))
    out = []
    for lines, h in zip(pages, heights):
        kept = []
        for ln in lines:
            if in_band(ln, h) and (counts.get(_norm(ln.text), 0) >= need or PAGE_NUMBER_RE.match(ln.text)):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _starts_heading(text: str) -> bool:
    from .. import normalize
    from ..patterns.labels import LABEL_FIRST_CHARS, LABEL_RE

    s = normalize.fold(text.lstrip(" \t\u3000\u00a0"))
    return bool(s) and (s[0] in LABEL_FIRST_CHARS or s[0].isdigit()) and LABEL_RE.match(s) is not None


def _paragraphs(pages: list[list[Line]]) -> list[str]:
    margins = {}
    for lines in pages:
        if lines:
            geo = [ln for ln in lines if ln.x1 > ln.x0]
            if not geo:
                continue
            em = statistics.median(ln.em for ln in geo)
            left = min(ln.x0 for ln in geo)
            # the right margin: most full lines reach it (a line with a hanging quote mark may pass it)
            ends = sorted(ln.x1 for ln in geo)
            right = ends[int(0.9 * (len(ends) - 1))]
            pitches = [a.top - b.top for a, b in zip(geo, geo[1:]) if 0 < a.top - b.top < 4 * em]
            margins[lines[0].page] = (left, right, statistics.median(pitches) if pitches else 0.0, em)
    paras: list[str] = []
    current: list[str] = []
    prev: Line | None = None
    for lines in pages:
        for ln in lines:
            if prev is not None and not _breaks(prev, ln, margins):
                current.append(_joiner(current[-1], ln.text) + ln.text.lstrip())
            else:
                if current:
                    paras.append("".join(current))
                current = [ln.text]
            prev = ln
    if current:
        paras.append("".join(current))
    return paras


def _breaks(a: Line, b: Line, margins) -> bool:
    """Whether a paragraph ends between line a and the next line b."""
    if _starts_heading(b.text):
        return True
    if b.text[:1].isspace():                       # indented with spaces or U+3000
        return True
    left_b, _, _, em_b = margins.get(b.page, (0.0, 0.0, 0.0, 0.0))
    _, right_a, pitch_a, em_a = margins.get(a.page, (0.0, 0.0, 0.0, 0.0))
    if b.x1 > b.x0 and b.x0 - left_b > INDENT_EM * em_b:
        return True
    if a.x1 > a.x0 and right_a - a.x1 > max(SHORT_EM * em_a, _first_chunk_width(b.text, em_a) + em_a):
        return True
    if a.page == b.page and pitch_a and a.top - b.top > GAP_PITCH * pitch_a:
        return True
    return False


# What a line breaker keeps together at the start of a line: a run of non-Chinese characters
# (〔2008〕75, 500-1000) up to and including the first Chinese character, with the punctuation
# that may not start a line after it.
_CHUNK_RE = re.compile("[^\u4e00-\u9fff]*[\u4e00-\u9fff]?[，。、；：！？）》」』”’%％]*")


def _first_chunk_width(text: str, em: float) -> float:
    """The width of the next line's first unbreakable chunk: a line that stops short by less
    than this was broken for lack of room, not at a paragraph's end."""
    chunk = _CHUNK_RE.match(text.lstrip()).group(0)
    return sum(em if _WIDE_RE.match(ch) or "\u4e00" <= ch <= "\u9fff" else 0.55 * em for ch in chunk)


def _joiner(before: str, after: str) -> str:
    a, b = before.rstrip()[-1:], after.lstrip()[:1]
    if not a or not b or _WIDE_RE.match(a) or _WIDE_RE.match(b):
        return ""
    return " "


def read(data, name: str) -> ReadResult:
    """`data`: the file's bytes, or its path (PDFium then reads the file itself, only the parts
    it needs: a large PDF is never held in memory whole)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(data) if isinstance(data, os.PathLike) else data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise InputError(name, "encrypted PDF: it needs a password to open (decrypt it first, e.g. qpdf --decrypt)") from None
        raise InputError(name, f"corrupt PDF: PDFium cannot open it ({msg})") from None
    try:
        n = len(pdf)
        if n == 0:
            raise InputError(name, "the PDF has no pages")
        if n > MAX_PAGES:
            raise InputError(name, f"too many pages: {n} (limit {MAX_PAGES})")
        pages: list[list[Line]] = []
        heights: list[float] = []
        total = 0
        for i in range(n):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as e:
                raise InputError(name, f"corrupt PDF: page {i + 1} cannot be read ({e})") from None
            try:
                textpage = page.get_textpage()
                try:
                    lines = _page_lines(textpage, i)
                finally:
                    textpage.close()
                heights.append(page.get_height())
            finally:
                page.close()
            total += sum(len(ln.text) for ln in lines)
            if total > MAX_CHARS:
                raise InputError(name, f"too much text: over {MAX_CHARS:,} characters by page {i + 1}")
            pages.append(lines)
    finally:
        pdf.close()
    if total == 0 or not any(ln.text.strip() for lines in pages for ln in lines):
        raise InputError(name, f"no text layer: run OCR first (a scanned PDF of {n} page{'s' if n > 1 else ''}; e.g. ocrmypdf -l chi_sim in.pdf out.pdf)")
    pages = _drop_running(pages, heights)
    text = "".join(p + "\n" for p in _paragraphs(pages))
    return ReadResult(text=text, format="pdf", encoding="text-layer")
