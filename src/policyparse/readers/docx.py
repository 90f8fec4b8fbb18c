"""Word documents (.docx) with python-docx.

python-docx opens and validates the package and gives the body as lxml elements; the walk
below reads them in document order, because python-docx's own `paragraph.text` leaves out what
policy documents need:
- the list numbers Word draws itself (numbering.xml: `一、`, `（一）`, `1.`; formats such as
  chineseCounting, decimal with lvlText `（%1）`, numbering set on a paragraph style), rendered
  as the label a reader sees in front of the paragraph;
- text boxes (w:txbxContent, once: the VML fallback copy is skipped), footnotes and endnotes
  (appended after the body), content controls (w:sdt), insertions (deletions are left out);
- tables, written as tab-separated rows with their cells' spans (merged cells: the covered
  grid columns get empty cells, so columns line up).
Running headers and footers of the page are not document text and are left out.

Before anything is unpacked the zip's directory is checked: a package that would unpack to
more than MAX_UNPACKED_BYTES, or an XML part above MAX_XML_PART_BYTES, is refused (a zip bomb
named .docx), so memory stays bounded whatever the file claims.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import InputError
from . import ReadResult, TextBuilder, is_layout_table

MAX_UNPACKED_BYTES = 256 << 20     # the whole package, as its zip directory declares it
MAX_XML_PART_BYTES = 64 << 20      # one XML part (word/document.xml of 64 MB is ~10M characters)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_T, _TAB, _PTAB, _BR, _CR = W + "t", W + "tab", W + "ptab", W + "br", W + "cr"
_NBH, _SYM, _TXBX = W + "noBreakHyphen", W + "sym", W + "txbxContent"
_P, _TBL, _TR, _TC, _SDT, _SDTC = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent"
# run content that is not text a reader sees: deletions, field codes, properties, note marks
_SKIP = {W + "del", W + "delText", W + "instrText", W + "delInstrText", W + "pPr", W + "rPr",
         W + "footnoteReference", W + "endnoteReference", W + "annotationRef", W + "commentReference",
         MC_FALLBACK}
_VAL = W + "val"


def _check_package(data: bytes, name: str) -> None:
    """Refuse a corrupt zip, a zip bomb or a zip that is no Word document before unpacking."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise InputError(name, f"corrupt .docx: not a readable zip package ({e})") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(name, f"refused: the .docx would unpack to {total >> 20} MB (limit {MAX_UNPACKED_BYTES >> 20} MB; a zip bomb?)")
    for i in infos:
        if i.filename.endswith(".xml") and i.file_size > MAX_XML_PART_BYTES:
            raise InputError(name, f"refused: {i.filename} would unpack to {i.file_size >> 20} MB (limit {MAX_XML_PART_BYTES >> 20} MB)")
        if i.flag_bits & 0x1:
            raise InputError(name, "encrypted zip entries: remove the password in Word/WPS and save again")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names and not any(n.endswith("/document.xml") for n in names):
        other = ("an Excel workbook" if any(n.startswith("xl/") for n in names) else
                 "a PowerPoint file" if any(n.startswith("ppt/") for n in names) else
                 "an OpenDocument file (save it as .docx)" if "content.xml" in names else "a zip archive")
        raise InputError(name, f"not a Word document: {other}, no word/document.xml")


# ---- list numbering --------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def chinese_number(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting draws them)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out, zero, first = [], False, True
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero:
                out.append(digits[0])
            # 10-19 is 十, 十一… when it leads (not 一十)
            if not (first and power == 10 and d == 1 and digits is _CN_DIGITS):
                out.append(digits[d])
            out.append(unit)
            zero, first = False, False
        elif not first:
            zero = True
    return "".join(out)


def _letters(n: int, base: str) -> str:
    # Word repeats the letter: a … z, aa … zz
    n = max(1, n)
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
            (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _circled(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


NUMBER_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
    "decimalEnclosedFullstop": lambda n: chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
    "chineseCounting": chinese_number,
    "chineseCountingThousand": chinese_number,
    "taiwaneseCounting": chinese_number,
    "taiwaneseCountingThousand": chinese_number,
    "japaneseCounting": chinese_number,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(c)] for c in str(n)),
    "taiwaneseDigital": lambda n: "".join("〇一二三四五六七八九"[int(c)] for c in str(n)),
    "chineseLegalSimplified": lambda n: chinese_number(n, _LEGAL_DIGITS, "拾佰仟"),
    "ideographLegalTraditional": lambda n: chinese_number(n, _LEGAL_DIGITS, "拾佰仟"),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographZodiac": lambda n: "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12],
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "none": lambda n: "",
}


def _private_use(s: str) -> bool:
    return any(0xE000 <= ord(c) <= 0xF8FF for c in s)


class Numbering:
    """numbering.xml and the paragraph styles that carry numbering, and the running counters."""

    def __init__(self, numbering_el, styles_el) -> None:
        self.levels: dict[str, dict[int, dict]] = {}     # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, dict]]] = {}  # numId -> (abstractNumId, overrides)
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering_el is not None:
            for a in numbering_el.iter(W + "abstractNum"):
                self.levels[a.get(W + "abstractNumId")] = {
                    int(lvl.get(W + "ilvl", "0")): self._level(lvl) for lvl in a.iter(W + "lvl")}
            for num in numbering_el.iter(W + "num"):
                ref = num.find(W + "abstractNumId")
                overrides: dict[int, dict] = {}
                for ov in num.iter(W + "lvlOverride"):
                    ilvl = int(ov.get(W + "ilvl", "0"))
                    entry: dict = {}
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        entry["start"] = _int(so.get(_VAL), 1)
                    lvl = ov.find(W + "lvl")
                    if lvl is not None:
                        entry["level"] = self._level(lvl)
                    overrides[ilvl] = entry
                if ref is not None:
                    self.nums[num.get(W + "numId")] = (ref.get(_VAL), overrides)
        if styles_el is not None:
            for st in styles_el.iter(W + "style"):
                sid = st.get(W + "styleId")
                based = st.find(W + "basedOn")
                if based is not None:
                    self.style_based[sid] = based.get(_VAL)
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    self.style_num[sid] = _numpr(numpr)

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag, default):
            el = lvl.find(W + tag)
            return el.get(_VAL, default) if el is not None else default

        return {"fmt": val("numFmt", "decimal"), "text": val("lvlText", ""), "start": _int(val("start", "1"), 1),
                "suff": val("suff", "tab"), "legal": lvl.find(W + "isLgl") is not None}

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_based.get(style)
        return None, None

    def label(self, p) -> str:
        """The number Word draws before paragraph `p` (advancing the counters), or ""."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return ""
        num_id, ilvl = None, None
        style = ppr.find(W + "pStyle")
        if style is not None:
            num_id, ilvl = self._style_numpr(style.get(_VAL))
        numpr = ppr.find(W + "numPr")
        if numpr is not None:
            d_num, d_lvl = _numpr(numpr)
            num_id = d_num if d_num is not None else num_id
            ilvl = d_lvl if d_lvl is not None else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        abstract, overrides = self.nums[num_id]
        levels = dict(self.levels.get(abstract, {}))
        for k, ov in overrides.items():
            if "level" in ov:
                levels[k] = ov["level"]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * 9)
        starts = {k: ov["start"] for k, ov in overrides.items() if "start" in ov}
        if num_id not in self.started:          # a list instance with a startOverride restarts
            self.started.add(num_id)
            for k in starts:
                counters[k] = None

        def start_of(k: int) -> int:
            return starts.get(k, levels.get(k, {}).get("start", 1))

        lvl = levels[ilvl]
        counters[ilvl] = start_of(ilvl) if counters[ilvl] is None else counters[ilvl] + 1
        for k in range(ilvl + 1, 9):
            counters[k] = None
        if lvl["fmt"] == "bullet":
            text = lvl["text"]
            return "" if _private_use(text) else text
        out = lvl["text"]
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in out:
                level_k = levels.get(k - 1, lvl)
                n = counters[k - 1] if counters[k - 1] is not None else start_of(k - 1)
                fmt = "decimal" if lvl["legal"] else level_k.get("fmt", "decimal")
                out = out.replace(token, NUMBER_FORMATS.get(fmt, str)(n))
        if not out:
            return ""
        return out + (" " if lvl["suff"] == "space" else "")


def _int(s, default: int) -> int:
    try:
        return int(s)
    except (TypeError, ValueError):
        return default


def _numpr(numpr) -> tuple[str | None, int | None]:
    num = numpr.find(W + "numId")
    lvl = numpr.find(W + "ilvl")
    return (num.get(_VAL) if num is not None else None,
            _int(lvl.get(_VAL), 0) if lvl is not None else None)


# ---- the walk --------------------------------------------------------------------------------

class _Walker:
    def __init__(self, builder: TextBuilder, numbering: Numbering) -> None:
        self.b = builder
        self.numbering = numbering

    def runs_text(self, p, boxes: list) -> str:
        out: list[str] = []

        def visit(el) -> None:
            for c in el:
                tag = c.tag
                if tag == _T:
                    out.append(c.text or "")
                elif tag in (_TAB, _PTAB):
                    out.append(" ")
                elif tag in (_BR, _CR):
                    out.append("\n")
                elif tag == _NBH:
                    out.append("-")
                elif tag == _SYM:
                    ch = chr(_int_hex(c.get(W + "char")))
                    if not _private_use(ch) and ch != "\x00":
                        out.append(ch)
                elif tag == _TXBX:
                    boxes.append(c)
                elif tag in _SKIP or not isinstance(tag, str):
                    continue
                else:
                    visit(c)

        visit(p)
        return "".join(out)

    def paragraph(self, p) -> None:
        boxes: list = []
        text = self.runs_text(p, boxes)
        if text.strip():
            self.b.paragraph(self.numbering.label(p) + text)
        for box in boxes:
            self.blocks(box)

    def cell_text(self, tc) -> str:
        parts: list[str] = []
        for el in tc.iter(_P):
            boxes: list = []
            t = self.runs_text(el, boxes)
            if t.strip():
                parts.append(self.numbering.label(el) + t)
        return " ".join(parts)

    def _own_rows(self, tbl) -> list:
        """The table's own rows and their cells (a nested table's are its cell's content)."""
        rows = []
        for tr in tbl.iter(_TR):
            if _ancestor_table(tr) is tbl:
                rows.append([tc for tc in tr.iter(_TC) if _ancestor_row(tc) is tr])
        return rows

    def table(self, tbl) -> None:
        own = self._own_rows(tbl)
        raw = [["".join(t.text or "" for t in tc.iter(_T)) for tc in row] for row in own]
        if tbl.find(f".//{_TBL}") is not None or is_layout_table(raw):
            for row in own:              # a layout table: its cells are blocks of paragraphs
                for tc in row:
                    self.blocks(tc)
            return
        rows: list[list[str]] = []
        for cells in own:
            row: list[str] = []
            for tc in cells:
                row.append(self.cell_text(tc))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                row.extend([""] * (max(1, min(64, _int(span.get(_VAL), 1))) - 1 if span is not None else 0))
            rows.append(row)
        self.b.table(rows, caption=self.b.caption_above())

    def blocks(self, parent) -> None:
        for c in parent:
            tag = c.tag
            if tag == _P:
                self.paragraph(c)
            elif tag == _TBL:
                self.table(c)
            elif tag == _SDT:
                content = c.find(_SDTC)
                if content is not None:
                    self.blocks(content)
            elif isinstance(tag, str) and tag.endswith(("}customXml", "}ins", "}smartTag")):
                self.blocks(c)


def _ancestor_row(el):
    el = el.getparent()
    while el is not None and el.tag != _TR:
        el = el.getparent()
    return el


def _ancestor_table(el):
    el = el.getparent()
    while el is not None and el.tag != _TBL:
        el = el.getparent()
    return el


def _int_hex(s) -> int:
    try:
        return int(s or "0", 16)
    except ValueError:
        return 0


def _notes(document, builder: TextBuilder, walker: _Walker) -> None:
    """Footnotes and endnotes that carry text, after the body, in their order."""
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/footnotes", "/endnotes")):
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        for note in root:
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            walker.blocks(note)


def read(data: bytes, name: str) -> ReadResult:
    _check_package(data, name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError) as e:
        raise InputError(name, f"corrupt .docx: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    numbering_el = None
    try:
        numbering_el = document.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        pass
    try:
        styles_el = document.styles.element
    except (KeyError, AttributeError):
        styles_el = None
    builder = TextBuilder()
    walker = _Walker(builder, Numbering(numbering_el, styles_el))
    walker.blocks(document.element.body)
    _notes(document, builder, walker)
    text = builder.text()
    if not text.strip():
        raise InputError(name, "the .docx has no text")
    return ReadResult(text=text, format="docx", encoding="utf-8", tables=builder.tables)
