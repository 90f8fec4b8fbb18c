"""Indicator tables: find the tables a plain text holds, read their headers, one target per row.

Three steps, each usable on its own:
- `find(text, folded)` finds the tables of a plain text in the three shapes tables take there:
  rows of cells split by tabs or runs of 2+ spaces (U+3000 included), `|` rows (with or without
  `|---|` separator lines), and one cell per line (a header of N cells, then rows of N cells);
  also rows split by single spaces under a header row of header words (a PDF's text layer).
  Every cell's span indexes the text: `text[cell.start:cell.end] == cell.text`. Short rows
  (a merged category cell, a 其中 row without serial or unit) are placed under the columns by
  `align`, which fits each cell's kind (serial, text, unit, value, attribute) to a column's role.
- `read_header(table, ...)` finds the indicator, unit, base-year, target-year and attribute
  columns (`2025年`, `2025年目标值`, `“十五五”目标` → 2030; `2020年` / `基期` / `现状` are not
  targets) and whether the table reviews a previous plan (a 完成 column).
- `targets(...)` gives one target per row with a number in the target-year column, as SPEC v1.2
  says: indicator = the indicator cell, raw = the value cell's number as written, value with the
  multiplier of the row's unit cell (万户 → ×1e4 户), a 其中 row with the unit of the row above.
Rows that a reader of Word or web files hands in as `Table`s are read by the same code.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from operator import attrgetter

from ..numerals import _scaled, arabic, quantity_of_match
from ..patterns import tables as P
from ..patterns.labels import LABEL_RE
from ..patterns.numbers import MULTIPLIERS, QUANTITY_RE, UNIT_WORDS
from ..patterns.targets import DOWN_VERBS, PERIOD_FIRST_YEAR, UP_VERBS
from ..segment import Line, lines as split_lines
from ..tables import Cell, Table

_SEP_RUN_RE = re.compile(r"[ \t]+")
_TEXT = attrgetter("text")


# ---- finding tables in plain text ---------------------------------------------------------------

def _cell(folded: str, s: int, e: int) -> Cell:
    """The cell folded[s:e] without the spaces around it (an empty cell where only spaces stand)."""
    while s < e and folded[s] in " \t":
        s += 1
    while e > s and folded[e - 1] in " \t":
        e -= 1
    return Cell(folded[s:e], s, e)


def _pipe_cells(folded: str, line: Line) -> list[Cell] | None:
    """Cells of a `|` row; [] for a separator line (|---|:---:|); None if no such row."""
    t = line.text
    if "|" not in t:
        return None
    if not t.replace("|", "").replace("-", "").replace(":", "").replace(" ", "") and "-" in t:
        return []
    bars = [line.start + k for k, ch in enumerate(t) if ch == "|"]
    edges = [line.start - 1] + bars + [line.end]
    cells = [_cell(folded, a + 1, b) for a, b in zip(edges, edges[1:])]
    if t.startswith("|"):
        cells = cells[1:]
    if t.endswith("|") and cells:
        cells = cells[:-1]
    return cells if len(cells) >= 2 else None


def _delimited_cells(folded: str, line: Line, min_spaces: int = 2) -> list[Cell] | None:
    """Cells split by tabs (each tab one boundary: \\t\\t leaves an empty cell) or by runs of
    `min_spaces`+ spaces; None when the line has no such separator inside it. Leading tabs are
    empty cells when the line has a separator inside it too (a merged cell left of it), else an
    indent."""
    seps = []   # (start, end, cells it closes): a run of k tabs closes k cells
    for m in _SEP_RUN_RE.finditer(folded, line.start, line.end):
        run = m.group(0)
        if "\t" in run:
            seps.append((m.start(), m.end(), run.count("\t")))
        elif len(run) >= min_spaces:
            seps.append((m.start(), m.end(), 1))
    if not seps:
        return None
    raw_start = line.start
    while raw_start > 0 and folded[raw_start - 1] in " \t":
        raw_start -= 1
    cells = [Cell("", line.start, line.start) for _ in range(folded.count("\t", raw_start, line.start))]
    prev = line.start
    for a, b, count in seps:
        cells.append(_cell(folded, prev, a))
        cells.extend(Cell("", b, b) for _ in range(count - 1))   # \t\t: an empty cell between
        prev = b
    cells.append(_cell(folded, prev, line.end))
    return cells if len(cells) >= 2 else None


def _row_tables(folded: str, lines: list[Line]) -> list[Table]:
    """Runs of lines that split into 2+ cells, in one shape (pipes or tabs/spaces). A blank
    line, a |---| line or a short one-cell line that is no heading (a group row such as 经济发展)
    may stand between rows; a run of two or more multi-cell rows is a table, and a second header row (or a row
    above a |---| line) starts the next table."""
    tables: list[Table] = []
    n = len(lines)
    consumed = -1
    for i, line in enumerate(lines):
        t = line.text
        if i <= consumed or not ("\t" in t or "  " in t or "|" in t):
            continue   # a row has a separator: the other lines are looked at only after one
        cells, shape = _row_of(folded, line)
        if not cells:
            continue
        run = [(i, cells)]   # (line index, cells); [] cells for a |---| line
        last = i
        j = i + 1
        while j < n and j - last <= 2:
            line = lines[j]
            if not line.text:
                j += 1
                continue
            c, s = _row_of(folded, line)
            if s == shape and c is not None:
                run.append((j, c))
                last = j
            elif c is None and len(line.text) <= 20 and not line.text.endswith("。") and not _is_heading(line.text):
                # a group row (经济发展) between rows; a heading (二、重点任务) ends the table
                k = j + 1
                while k < n and not lines[k].text:
                    k += 1
                nxt, s2 = _row_of(folded, lines[k]) if k < n else (None, None)
                if not (nxt and s2 == shape):
                    break
                run.append((j, [Cell(line.text, line.start, line.end)]))  # a group row
            else:
                break
            j += 1
        for part in _split_at_headers(run, folded):
            rows = [c for _, c in part if c]
            if sum(len(r) >= 2 for r in rows) >= 2:
                tables.append(Table(rows=rows, start=lines[part[0][0]].start, end=lines[part[-1][0]].end,
                                    caption=_caption(lines, part[0][0])))
        consumed = last
    return tables


def _looks_like_header(cells: list[Cell], folded: str) -> bool:
    """A row of header words with a value column among them (指标 | 单位 | 2020年 | 2025年)."""
    roles, count = set(), 0
    for t in _texts(cells, folded):
        if t:
            role = header_role(t)
            if role is None:
                return False   # most rows stop at their first cell
            roles.add(role)
            count += 1
    return count >= 2 and bool(P.VALUE_ROLES & roles)


def _split_at_headers(run: list[tuple[int, list[Cell]]], folded: str) -> list[list[tuple[int, list[Cell]]]]:
    """Cut a run of rows before each later header row (a row of header words, or a row above a
    |---| line); group rows just above it are its caption, not the previous table's rows."""
    parts: list[list[tuple[int, list[Cell]]]] = [[]]
    has_body = False   # the current part has a row that is no header row (a second header row stays)
    for k, (line_no, cells) in enumerate(run):
        nxt = run[k + 1][1] if k + 1 < len(run) else None
        header = len(cells) >= 2 and (_looks_like_header(cells, folded) or nxt == [])
        if header and has_body:
            cur = parts[-1]
            while cur and len(cur[-1][1]) == 1:
                cur.pop()   # a caption line such as 四、主要指标
            parts.append([])
            has_body = False
        elif len(cells) >= 2 and not header:
            has_body = True
        parts[-1].append((line_no, cells))
    for part in parts:
        while part and len(part[-1][1]) <= 1:
            part.pop()   # group rows or separators after the last row
        while part and len(part[0][1]) <= 1:
            part.pop(0)
    return [p for p in parts if p]


def _row_of(folded: str, line: Line):
    """(cells, shape) of a line: shape 'pipe' or 'delim'; cells [] for a |---| line, None for
    a line that is no row."""
    t = line.text
    if not t or not ("\t" in t or "  " in t or "|" in t):
        return None, None
    c = _pipe_cells(folded, line)
    if c is not None:
        return c, "pipe"
    c = _delimited_cells(folded, line)
    if c is not None:
        return _spaced_words(folded, c), "delim"
    return None, None


def _spaced_words(folded: str, cells: list[Cell]) -> list[Cell]:
    """A header word written with spaces between its characters (指　　标 · 单　位 · 属　　性) is
    one cell, not two: adjacent one-character cells that join into a header word are merged."""
    out: list[Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if (prev is not None and len(prev.text) == 1 and len(c.text) == 1 and "\t" not in folded[prev.end:c.start]
                and header_role(prev.text + c.text) is not None):
            out[-1] = Cell(folded[prev.start:c.end], prev.start, c.end)
        else:
            out.append(c)
    return out


def _caption(lines: list[Line], i: int) -> str:
    """The nearest non-blank line above line i when it is short: 专栏2 主要指标 · 表1 …"""
    k = i - 1
    while k >= 0 and not lines[k].text:
        k -= 1
    if k >= 0 and len(lines[k].text) <= 60:
        return lines[k].text
    return ""


@functools.lru_cache(maxsize=4096)   # header words and cells repeat: read each text once
def header_role(cell_text: str) -> str | None:
    """The role of a header cell (patterns/tables.py HEADER_ROLES), None when it is no header
    word (a heading such as （二）主要目标 is none)."""
    t = cell_text.replace(" ", "")
    if len(t) > P.MAX_HEADER_CELL or not P.HEADER_HINT_RE.search(t):
        return None
    if _is_heading(t):
        return None
    for role, pattern in P.HEADER_ROLES:
        if pattern.match(t):
            return role
    return None


def _line_tables(folded: str, lines: list[Line], taken: list[tuple[int, int]]) -> list[Table]:
    """Tables written one cell per line: a run of 3+ short header cells (blank lines may stand
    between), with an indicator column and a value column, then rows of cells. Looked for only
    around the lines that are an indicator header cell (指标, 指标名称 …), found by one scan."""
    tables: list[Table] = []
    done = -1
    for k, line in enumerate(lines):
        t = line.text
        if (not t or len(t) > P.MAX_HEADER_CELL or k <= done or not any(map(t.__contains__, P.INDICATOR_HEADER_CHARS))
                or header_role(t) != "indicator" or _inside(taken, line.start)):
            continue
        # the header run around line k: header cells above it and below it
        run = [k]
        j = k - 1
        while j >= 0 and len(run) < 2 * P.MAX_HEADER_COLUMNS:
            if lines[j].text:
                if header_role(lines[j].text) is None:
                    break
                run.insert(0, j)
            j -= 1
        j = k + 1
        while j < len(lines) and len(run) < 2 * P.MAX_HEADER_COLUMNS:
            if lines[j].text:
                if header_role(lines[j].text) is None:
                    break
                run.append(j)
            j += 1
        roles = [header_role(lines[r].text) for r in run]
        # a caption such as 主要指标 above the header repeats a role that follows: it is no cell
        while roles and roles[0] in roles[1:] and roles[0] not in P.VALUE_ROLES:
            roles.pop(0)
            run.pop(0)
        if len(roles) >= 3 and "indicator" in roles and P.VALUE_ROLES & set(roles):
            table = _read_line_table(lines, run, roles)
            if table is not None:
                tables.append(table)
                done = k
                while done + 1 < len(lines) and lines[done + 1].start < table.end:
                    done += 1   # the table's last line: the next table starts after it
    return tables


def _read_line_table(lines: list[Line], run: list[int], roles: list[str]) -> Table | None:
    header = [Cell(lines[k].text, lines[k].start, lines[k].end) for k in run]
    body: list[Cell] = []
    for k in range(run[-1] + 1, len(lines)):
        line = lines[k]
        if not line.text:
            continue
        if len(line.text) > P.MAX_CELL_LINE or P.NOTE_LINE_RE.match(line.text) or _is_heading(line.text):
            break
        if body and len(line.text) <= P.MAX_HEADER_CELL and header_role(line.text) == roles[0]:
            break  # the header of the next table
        body.append(Cell(line.text, line.start, line.end))
    good: list[list[Cell]] = []
    for row in _group_cells(body, roles):
        aligned = align(row, roles)
        if aligned is None or not _plausible(aligned, roles):
            break
        good.append(row)
    if not good:
        return None
    return Table(rows=[header] + good, start=header[0].start, end=good[-1][-1].end, caption=_caption(lines, run[0]))


def _is_heading(t: str) -> bool:
    """三、保障措施 · （二）主要任务: an outline label with words after it ends a table."""
    m = LABEL_RE.match(t)
    return bool(m) and m.end() < len(t)


def _group_cells(body: list[Cell], roles: list[str]) -> list[list[Cell]]:
    """Cut the cells after a one-cell-per-line header into rows: at each attribute cell when
    the attribute column is last (预期性 / 约束性 close a row), else at each serial number in
    sequence when the first column is 序号, else every N cells. A group longer than N (a 其中
    row without its own serial) is cut into N cells and then rows of N-1."""
    n = len(roles)
    rows: list[list[Cell]] = []
    if roles[-1] == "attribute":
        cur: list[Cell] = []
        for c in body:
            cur.append(c)
            if P.ATTRIBUTE_CELL_RE.match(c.text):
                rows.append(cur)
                cur = []
        return [r for part in rows for r in _cut(part, n)]
    if roles[0] == "serial":
        cur, expected = [], None
        for c in body:
            if cur and c.text.rstrip(".、") == str(expected) and len(cur) >= max(2, n - 3):
                rows.append(cur)
                cur = []
            if not cur:
                m = re.match(r"^(\d{1,3})", c.text)
                expected = int(m.group(1)) + 1 if m else None
            cur.append(c)
        if cur:
            rows.append(cur)
        return [r for part in rows for r in _cut(part, n)]
    return [body[k:k + n] for k in range(0, len(body), n)]


def _cut(group: list[Cell], n: int) -> list[list[Cell]]:
    if len(group) <= n:
        return [group]
    out = [group[:n]]
    rest = group[n:]
    while rest:
        out.append(rest[:n - 1])
        rest = rest[n - 1:]
    return out


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _joined_indicator(folded: str, cells: list[Cell], roles: list[str]) -> list[Cell]:
    """A row with more single-space cells than columns: the indicator's own spaces split it
    (细颗粒物 (PM2.5) 浓度), so the extra cells join the indicator cell."""
    extra = len(cells) - len(roles)
    i = roles.index("indicator")
    if extra <= 0 or i + extra >= len(cells):
        return cells
    a, b = cells[i], cells[i + extra]
    return cells[:i] + [Cell(folded[a.start:b.end], a.start, b.end)] + cells[i + extra + 1:]


def _single_space_tables(folded: str, lines: list[Line], taken: list[tuple[int, int]]) -> list[Table]:
    """Rows whose cells are split by single spaces, as a PDF's text layer gives them
    (序号 指标 单位 2020年 2025年 属性). Prose has spaces too, so such a table starts only at a
    header row of header words with an indicator and a value column, and runs while its rows
    place under that header (align, _plausible)."""
    tables: list[Table] = []
    k, n = 0, len(lines)
    while k < n:
        line = lines[k]
        k += 1
        if " " not in line.text or len(line.text) > P.MAX_HEADER_LINE or _inside(taken, line.start):
            continue
        head = _delimited_cells(folded, line, min_spaces=1)
        if not head or len(head) < 3 or not _looks_like_header(head, folded):
            continue
        roles = [header_role(c.text) for c in head]
        if "indicator" not in roles:
            continue
        rows, j = [head], k
        while j < n:
            if not lines[j].text:
                j += 1
                continue
            cells = _joined_indicator(folded, _delimited_cells(folded, lines[j], min_spaces=1) or [], roles)
            aligned = align(cells, roles) if len(cells) >= 2 else None
            if aligned is None or not _plausible(aligned, roles):
                break
            rows.append(cells)
            j += 1
        if len(rows) >= 2:
            tables.append(Table(rows=rows, start=head[0].start, end=rows[-1][-1].end, caption=_caption(lines, k - 1)))
            k = j
    return tables


def find(text: str, folded: str, lines: list[Line] | None = None) -> list[Table]:
    """The tables of a plain text, in document order, with cells as written in `text`.
    `lines`: segment.lines(folded) when the caller has them."""
    if lines is None:
        lines = split_lines(folded)
    # the searches for rows of cells start only at a line with a separator in its text (a tab,
    # two spaces, a |; one space for _single_space_tables): the lines' texts joined by newlines
    # tell at once whether there is any (a few C scans instead of a Python step per line)
    texts = "\n".join(map(_TEXT, lines))
    spaced = " " in texts
    tables = _row_tables(folded, lines) if "\t" in texts or "|" in texts or (spaced and "  " in texts) else []
    taken = [(t.start, t.end) for t in tables]
    if spaced:
        tables += _single_space_tables(folded, lines, taken)
    taken = [(t.start, t.end) for t in tables]
    tables += _line_tables(folded, lines, taken)
    tables.sort(key=lambda t: t.start)
    return [_as_written(t, text) for t in tables]


def _as_written(table: Table, text: str) -> Table:
    rows = [[Cell(text[c.start:c.end], c.start, c.end) for c in row] for row in table.rows]
    return Table(rows=rows, start=table.start, end=table.end, caption=table.caption)


# ---- cells ------------------------------------------------------------------------------------

def is_unit(t: str) -> bool:
    return bool(t) and parse_unit(t) is not None


@functools.lru_cache(maxsize=1024)   # a table's units repeat row after row
def parse_unit(t: str) -> tuple[float, str] | None:
    """(multiplier, base unit) of a unit cell: 万户 → (1e4, 户); % → (1, %); 亿元 → (1e8, 元);
    万吨标准煤 → (1e4, 吨标准煤); 千瓦时 → (1, 千瓦时); 元/人 → (1, 元/人). None if not a unit."""
    t = t.strip().strip("()").replace(" ", "").replace("％", "%")
    if not t or len(t) > P.UNIT_CELL_MAX or any(ch.isdigit() for ch in t.split("/")[0]):
        return None
    head, slash, per = t.partition("/")
    if t.endswith("百分点"):
        return 1.0, "百分点"
    if head in UNIT_WORDS or head in P.EXTRA_UNITS:
        return 1.0, (UNIT_WORDS.get(head, head)) + slash + per
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if mult in ("千", "百", "十"):
            continue  # 千瓦 · 千米 · 百户: a unit, not a multiplier (2亿千瓦 keeps 千 in the unit)
        if head.startswith(mult) and len(head) > len(mult):
            rest = head[len(mult):]
            if rest in UNIT_WORDS or rest in P.EXTRA_UNITS or len(rest) <= 4:
                return MULTIPLIERS[mult], UNIT_WORDS.get(rest, rest) + slash + per
    if slash and len(head) <= 4 and re.match(r"^[\u4e00-\u9fff%‰]+$", head):
        return 1.0, t
    if len(head) <= 3 and re.match(r"^[\u4e00-\u9fff]+$", head) and (head[-1] in _MEASURE_ENDS):
        return 1.0, head + slash + per
    return None


# The last characters of measure words: a short word ending with one of these reads as a unit.
_MEASURE_ENDS = frozenset("".join(UNIT_WORDS) + "".join(P.EXTRA_UNITS) + "辆人户元吨个家项件座所条台套")


@dataclass(slots=True)
class Value:
    start: int          # [start, end) of the number as written (without >, ≥, brackets)
    end: int
    low: float
    high: float | None
    mult: float | None  # a multiplier written in the cell (1.5万), else None
    pct: str            # the unit written in the cell (%, ‰, 百分点; 元 of 1500亿元, value then scaled), else ""
    comparator: str
    verb: str           # a verb of change or reaching written before the number, else ""


def parse_value(folded: str, cell: Cell) -> Value | None:
    """The number of a value cell (≥95 · 95以上 · [13.5] · 12-15 · 下降13.5%), None if it holds none."""
    t = folded[cell.start:cell.end]
    if not t or not any(ch.isdigit() for ch in t):
        return None
    offset, verb = 0, ""
    m = P.VALUE_CELL_RE.match(t)
    if m is None:
        v = P.VALUE_VERB_RE.match(t)
        if v is not None:
            offset, verb = v.end(), v.group("verb")
            m = P.VALUE_CELL_RE.match(t, offset)
    if m is None:
        return _quantity_value(t, cell)
    low = arabic(m.group("num"))
    high = arabic(m.group("num2")) if m.group("num2") else None
    if high is not None and high < low:
        return None
    pre, post = m.group("pre"), m.group("post")
    comparator = P.VALUE_COMPARATORS.get(pre) if pre else P.VALUE_MODIFIERS.get(post or "", "=")
    mult = MULTIPLIERS[m.group("mult")] if m.group("mult") else None
    pct = m.group("pct") or ""
    if pct in ("个百分点", "百分点"):
        pct = "百分点"
    return Value(cell.start + m.start("core"), cell.start + m.end("core"), low, high, mult, pct,
                 comparator or "=", verb)


def _quantity_value(t: str, cell: Cell) -> Value | None:
    """A value cell that writes its own measure word (1500亿元 · 3万户以上 · 下降2个百分点):
    the quantity reader's value, already scaled, and its unit."""
    m = P.QUANTITY_CELL_RE.match(t)
    if m is None:
        return None
    q = QUANTITY_RE.fullmatch(m.group("q"))
    if q is None:
        return None
    try:
        low, high, unit = quantity_of_match(q)
    except (ValueError, KeyError):
        return None
    if high is not None and high < low:
        return None
    pre, post = m.group("pre"), m.group("post")
    comparator = P.VALUE_COMPARATORS.get(pre) if pre else P.VALUE_MODIFIERS.get(post or "", "=")
    verb = pre if pre and pre not in P.VALUE_COMPARATORS else ""
    return Value(cell.start + m.start("q"), cell.start + m.end("q"), low, high, None, unit, comparator or "=", verb)


def _kind(t: str) -> str:
    """What a body cell looks like: empty, serial, attribute, value, dash, unit or text."""
    if not t:
        return "empty"
    if P.ATTRIBUTE_CELL_RE.match(t):
        return "attribute"
    if P.EMPTY_VALUE_RE.match(t):
        return "dash"
    if P.SERIAL_CELL_RE.match(t) and not t.isdigit():
        return "serial"
    if P.VALUE_CELL_RE.match(t):
        return "serial_or_value" if re.match(r"^\d{1,3}$", t) else "value"
    if is_unit(t):
        return "unit"
    return "text"


_NEG = -math.inf
_FIT = {
    # role -> cell kind -> score
    "serial": {"serial": 3, "serial_or_value": 3, "empty": 0},
    "attribute": {"attribute": 3, "empty": 0},
    "unit": {"unit": 3, "empty": 0, "dash": 1},
    "indicator": {"text": 2, "unit": 0.5},
    "category": {"text": 1},
    "other": {"text": 0, "empty": 0, "dash": 0, "value": 0, "serial_or_value": 0, "unit": 0, "serial": 0},
}
_VALUE_FIT = {"value": 2, "serial_or_value": 2, "dash": 2, "empty": 0, "text": 0}
_SKIP = {"indicator": -10.0}


def _fit(kind: str, role: str, t: str) -> float:
    if role in P.VALUE_ROLES:
        if kind == "text" and (len(t) > 16 or t.endswith("。")):
            return _NEG
        return _VALUE_FIT.get(kind, _NEG)
    return _FIT.get(role, _FIT["other"]).get(kind, _NEG)


def align(row: list[Cell], roles: list[str]) -> list[Cell | None] | None:
    """The row's cells placed under the columns (None where the row has no cell: a merged
    category cell, a 其中 row without serial or unit). A row of N cells keeps its order; a
    shorter one is placed by the best fit of each cell's kind to each column's role. None when
    the row cannot be placed (more cells than columns, or no fit)."""
    n, m = len(roles), len(row)
    if m > n or m == 0:
        return None
    if m == n:
        return list(row)
    kinds = [_kind(c.text.strip()) for c in row]
    best = [[_NEG] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(1, n + 1):
        best[0][j] = best[0][j - 1] + _SKIP.get(roles[j - 1], -0.5)
        back[0][j] = 0
    for i in range(1, m + 1):
        for j in range(i, n + 1):
            skip = best[i][j - 1] + _SKIP.get(roles[j - 1], -0.5)
            take = best[i - 1][j - 1] + _fit(kinds[i - 1], roles[j - 1], row[i - 1].text)
            if take >= skip:
                best[i][j], back[i][j] = take, 1
            else:
                best[i][j], back[i][j] = skip, 0
    if best[m][n] == _NEG:
        return None
    out: list[Cell | None] = [None] * n
    i, j = m, n
    while j > 0:
        if i > 0 and back[i][j] == 1:
            out[j - 1] = row[i - 1]
            i -= 1
        j -= 1
    return out


def _plausible(aligned: list[Cell | None], roles: list[str]) -> bool:
    """Does a row of a one-cell-per-line table look like a row (an indicator in words, values
    where the values go)? Rows after the first implausible one are not part of the table."""
    if sum(1 for c in aligned if c is not None and c.text) < 2:
        return False
    ok_indicator = False
    for c, role in zip(aligned, roles):
        kind = _kind(c.text) if c is not None else "empty"
        t = c.text if c is not None else ""
        if role == "indicator":
            ok_indicator = kind in ("text", "unit")
        elif _fit(kind, role, t) == _NEG:
            return False
    return ok_indicator


# ---- reading the header -----------------------------------------------------------------------

@dataclass
class Header:
    roles: list[str]
    body_start: int          # index of the first body row in table.rows
    indicator: int
    target: int
    target_year: int | None
    target_period: tuple[int, int] | None
    year_source: str
    unit: int | None = None
    base_year: int | None = None
    attribute: int | None = None
    review: bool = False
    value_columns: list[int] = field(default_factory=list)


def _period_of(t: str) -> tuple[int, int] | None:
    m = P.PERIOD_IN_TEXT_RE.search(t)
    if not m:
        return None
    first = PERIOD_FIRST_YEAR[m.group(1)]
    return first, first + 4


def _year_of(t: str) -> int | None:
    years = [int(y) for y in P.YEAR_IN_HEADER_RE.findall(t)]
    return max(years) if years else None


def context_year(texts: list[str]) -> tuple[int | None, tuple[int, int] | None]:
    """A target year read from a caption or heading titles, nearest first: a plan period
    (十五五 → 2030) or the latest year named (2021—2025年 → 2025)."""
    for t in texts:
        period = _period_of(t)
        if period:
            return period[1], period
        year = _year_of(t)
        if year:
            return year, None
    return None, None


def _texts(row: list[Cell], folded: str) -> list[str]:
    return [folded[c.start:c.end].replace(" ", "") for c in row]


def header_texts(table: Table, folded: str) -> tuple[list[str], int]:
    """The header's cell texts (folded) and the index of the first body row. Title rows above
    the header (one cell: “十四五”主要指标) are skipped; a second header row under a spanning
    cell (规划目标 over 2020年 | 2025年) is merged into the first."""
    k = 0   # a title row has one text (a cell spanning the table repeats it in every column)
    while k < len(table.rows) and len({c.text.strip() for c in table.rows[k]} - {""}) < 2:
        k += 1
    if k >= len(table.rows):
        return [], len(table.rows)
    head = _texts(table.rows[k], folded)
    if k + 1 < len(table.rows) and _looks_like_header(table.rows[k + 1], folded):
        second = _texts(table.rows[k + 1], folded)
        body = table.rows[k + 2] if k + 2 < len(table.rows) else []
        if len(second) == len(head):
            head = [b or a for a, b in zip(head, second)]
        elif 1 < len(second) and len(body) == len(head) - 1 + len(second):
            j = next((i for i, t in enumerate(head) if header_role(t) in P.VALUE_ROLES), None)
            if j is not None:
                head = head[:j] + second + head[j + 1:]
        return head, k + 2
    return head, k + 1


def read_header(table: Table, folded: str, context: list[str] = (), horizon: int | None = None) -> Header | None:
    """The columns of a table from its header rows; None when it is no table of indicators
    (no indicator column or no target column). `context`: the caption and the enclosing
    headings' titles, nearest first (for a 目标值 column without a year)."""
    texts, body_start = header_texts(table, folded)
    if not texts:
        return None
    roles = [header_role(t) or ("empty" if not t else "unknown") for t in texts]
    if "indicator" not in roles:
        # 主要指标 unnamed: the first column in words before the values
        for k, r in enumerate(roles):
            if r in P.VALUE_ROLES:
                break
            if r in ("unknown", "empty") and k + 1 < len(roles):
                roles[k] = "indicator"
                break
    if "indicator" not in roles:
        return None
    roles = ["other" if r in ("unknown", "empty") else r for r in roles]
    years = [_year_of(t) for t in texts]
    periods = [_period_of(t) for t in texts]
    targets = [k for k, r in enumerate(roles) if r == "target"]
    plain = [k for k, r in enumerate(roles) if r == "year"]
    target = None
    if targets:
        with_horizon = [k for k in targets if (years[k] or (periods[k] or (0, 0))[1]) == horizon]
        target = with_horizon[0] if with_horizon else targets[0]
    elif plain:
        # the column of the plan's horizon (2025年 beside a 2035年 outlook), else the latest year
        with_horizon = [k for k in plain if years[k] == horizon]
        target = with_horizon[0] if with_horizon else max(plain, key=lambda k: years[k])
    if target is None:
        return None
    review = "achieved" in roles or any(P.REVIEW_CAPTION_RE.search(t) for t in context[:1])
    for k in plain:
        if k != target:
            roles[k] = "base" if years[k] < (years[target] or 10_000) else "other"
    roles[target] = "target"
    base_cols = [k for k, r in enumerate(roles) if r == "base" and years[k]]
    base_year = years[base_cols[-1]] if base_cols else None
    year, period, source = years[target], periods[target], "stated"
    if period is not None:
        year, source = period[1], "period"
    elif year is None:
        year, period = context_year(list(context))
        source = "carried" if year is not None else "horizon"
        if year is None:
            year = horizon
    if base_year is not None and year is not None and base_year >= year:
        base_year = None
    if target in plain and horizon is not None and year is not None and year < horizon:
        # 2015年 | 2020年 in a plan to 2025: the values reached, not goals — unless the caption
        # or a heading names the table's own year (“十五五”主要指标 over 2030年 beside 到2035年)
        review = context_year(list(context))[0] != year
    attribute = next((k for k, r in enumerate(roles) if r == "attribute"), None)
    if attribute is None:
        attribute = _attribute_by_content(table, body_start, len(roles))
    return Header(
        roles=roles, body_start=body_start, indicator=roles.index("indicator"), target=target, target_year=year, target_period=period,
        year_source=source if year is not None else None, unit=roles.index("unit") if "unit" in roles else None,
        base_year=base_year, attribute=attribute, review=review,
        value_columns=[k for k, r in enumerate(roles) if r in P.VALUE_ROLES],
    )


def _attribute_by_content(table: Table, body_start: int, n: int) -> int | None:
    """A column headed otherwise (类型, 备注) whose cells are 预期性 / 约束性 is the attribute."""
    counts = [0] * n
    rows = [r for r in table.rows[body_start:] if len(r) == n]
    for row in rows:
        for k, c in enumerate(row):
            if P.ATTRIBUTE_CELL_RE.match(c.text.strip()):
                counts[k] += 1
    best = max(range(n), key=lambda k: counts[k]) if n else None
    return best if best is not None and rows and counts[best] * 2 > len(rows) else None


def is_indicator_table(table: Table, folded: str) -> bool:
    """A table whose header names an indicator column and a value column (its numbers are the
    table's, not sentences' targets), a review table included."""
    texts, _ = header_texts(table, folded)
    return bool(P.VALUE_ROLES & {header_role(t) for t in texts})


# ---- targets ----------------------------------------------------------------------------------

def _direction(indicator: str, verb: str) -> str | None:
    """down / up from a verb of change in the value cell (下降13.5%) or ending the indicator
    (单位地区生产总值能耗降低), else None."""
    for v in DOWN_VERBS:
        if v in verb or indicator.endswith(v):
            return "down"
    for v in UP_VERBS:
        if v in verb or indicator.endswith(v):
            return "up"
    return None


def targets(text: str, folded: str, table: Table, context: list[str] = (), horizon: int | None = None) -> list[dict]:
    """One target per body row with a number in the target column (model.Target fields but the
    section path and units, which the pipeline fills). [] for a review table."""
    h = read_header(table, folded, context, horizon)
    if h is None or h.review:
        return []
    out: list[dict] = []
    last_unit: tuple[float, str] | None = None
    for row in table.rows[h.body_start:]:
        if sum(1 for c in row if c.text.strip()) < 2:
            continue  # a group row (经济发展) or an empty one
        cells = align(row, h.roles)
        if cells is None:
            continue
        ind, val = cells[h.indicator], cells[h.target]
        if ind is None or not ind.text.strip() or _kind(ind.text.strip()) not in ("text", "unit"):
            continue
        ind_text = text[ind.start:ind.end].strip()
        unit_cell = cells[h.unit] if h.unit is not None else None
        unit = parse_unit(folded[unit_cell.start:unit_cell.end]) if unit_cell is not None and unit_cell.text else None
        if unit is None:
            trailing = P.TRAILING_UNIT_RE.search(folded[ind.start:ind.end])
            if trailing:
                unit = parse_unit(trailing.group("unit"))
        if unit is None and P.SUBROW_RE.match(ind_text) and last_unit is not None:
            unit = last_unit   # 其中：… takes the unit of the row above
        if unit is not None:
            last_unit = unit
        if val is None:
            continue
        v = parse_value(folded, val)
        if v is None:
            continue
        if v.pct:
            factor, base = (v.mult or 1.0), v.pct
        else:
            factor, base = (v.mult if v.mult is not None else (unit[0] if unit else 1.0)), (unit[1] if unit else "")
        low = _scaled(v.low, factor)
        high = _scaled(v.high, factor) if v.high is not None else None
        attr = cells[h.attribute] if h.attribute is not None else None
        out.append({
            "raw": text[v.start:v.end],
            "value": low,
            "value_max": high,
            "unit": base,
            "comparator": v.comparator,
            "year": h.target_year,
            "year_source": h.year_source,
            "period": h.target_period,
            "baseline_year": h.base_year,
            "annual": bool(P.ANNUAL_INDICATOR_RE.search(ind_text)),
            "direction": _direction(ind_text, v.verb),
            "indicator": ind_text,
            "text": text[ind.start:val.end] if ind.start <= val.start else text[val.start:ind.end],
            "span": (v.start, v.end),
            "section": [],
            "lead_units": [], "support_units": [], "responsible_units": [],
            "rule": "table",
            "attribute": (text[attr.start:attr.end].strip() or None) if attr is not None else None,
        })
    return out
