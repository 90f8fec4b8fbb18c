"""Indicator tables: the cases in cases/tables.yaml, unit cells, and properties of cell spans.

A case's text holds its tables in one of the three plain-text shapes (one cell per line, tabs or
runs of spaces, `|` rows), or a `{table}` slot where the test writes a reader's table (one row
per line, cells split by a tab) and hands in the Table objects. Every target of a case is
compared, in order; every target must be grounded; a table target's text runs from its
indicator cell to its value cell.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policyparse import parse_file
from policyparse.extract import tables as tables_ex
from policyparse.normalize import fold
from policyparse.pipeline import parse
from policyparse.tables import Cell, Table

from docbuild import portal_page, print_pdf

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "tables.yaml").read_text(encoding="utf-8"))
FIELDS = {"raw", "value", "value_max", "unit", "comparator", "year", "year_source", "baseline_year", "annual",
          "direction", "indicator", "attribute", "section", "rule"}
NUMERIC = {"value", "value_max"}


def render(case: dict) -> tuple[str, list[Table] | None]:
    """The case's text with tabs put back, and its reader tables written into the text."""
    text = case["text"].replace("⇥", "\t")
    if "tables" not in case:
        return text, None
    slot = text.index("{table}")
    pos = slot
    parts, tables = [], []
    for spec in case["tables"]:
        rows, start = [], pos
        for row in spec["rows"]:
            cells = []
            for k, cell in enumerate(row):
                if k:
                    parts.append("\t")
                    pos += 1
                cells.append(Cell(str(cell), pos, pos + len(str(cell))))
                parts.append(str(cell))
                pos += len(str(cell))
            rows.append(cells)
            parts.append("\n")
            pos += 1
        tables.append(Table(rows=rows, start=start, end=pos - 1, caption=spec.get("caption", "")))
    body = "".join(parts).rstrip("\n")
    return text[:slot] + body + text[slot + len("{table}"):], tables


def _flat_labels(sections) -> list[str]:
    out = []
    for s in sections:
        out.append(s.label)
        out.extend(_flat_labels(s.children))
    return out


def _params():
    return [pytest.param(c, id=c["id"]) for c in CASES]


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", _params())
def test_table_case(case):
    assert set(case) <= {"id", "text", "tables", "expect", "sections"}, case["id"]
    text, tables = render(case)
    doc = parse(text, source=case["id"], tables=tables)
    got = doc.targets
    for t in got:
        assert text[t.span[0]:t.span[1]] == t.raw, (t.raw, t.span)
        if t.rule == "table":
            assert t.text.startswith(t.indicator) and t.text.endswith(text[t.span[0]:t.span[1]]) or t.raw in t.text
            assert t.text in text
    summary = [(t.raw, t.indicator, t.rule) for t in got]
    assert len(got) == len(case["expect"]), summary
    for t, want in zip(got, case["expect"]):
        assert set(want) <= FIELDS, sorted(set(want) - FIELDS)
        for key, value in want.items():
            have = list(getattr(t, key)) if key == "section" else getattr(t, key)
            if key in NUMERIC and value is not None:
                value = float(value)
            assert have == value and (type(have) is bool) == (type(value) is bool), (key, have, value, summary)
    if "sections" in case:
        assert _flat_labels(doc.sections) == case["sections"]


def test_table_targets_are_not_also_sentence_targets():
    """The numbers of an indicator table are read once, by the table reader."""
    text = "指标\t单位\t2020年\t2025年\n地区生产总值\t亿元\t800\t1000\n森林覆盖率\t%\t20\t22\n"
    doc = parse(text)
    assert [t.rule for t in doc.targets] == ["table", "table"]


def test_given_table_is_not_detected_again():
    """A reader's table is read from its cells, and the text under it is not searched again."""
    case = next(c for c in CASES if c["id"] == "given_table_rows")
    text, tables = render(case)
    with_tables = parse(text, tables=tables).targets
    alone = parse(text).targets   # the same rows found in the text: the same targets, once
    assert [(t.raw, t.span) for t in with_tables] == [(t.raw, t.span) for t in alone]
    assert len({t.span for t in with_tables}) == len(with_tables)


def test_gb18030_file_reads_like_text(tmp_path):
    case = next(c for c in CASES if c["id"] == "tabs_category_merged_growth_column")
    text, _ = render(case)
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    from_file = [(t.raw, t.value, t.unit, t.year, t.indicator) for t in parse_file(path).targets]
    from_text = [(t.raw, t.value, t.unit, t.year, t.indicator) for t in parse(text).targets]
    assert from_file == from_text and from_text


@pytest.mark.parametrize("cell,want", [
    ("万户", (1e4, "户")), ("户", (1.0, "户")), ("%", (1.0, "%")), ("（%）", (1.0, "%")), ("亿元", (1e8, "元")),
    ("万元", (1e4, "元")), ("万吨标准煤", (1e4, "吨标准煤")), ("千瓦时", (1.0, "千瓦时")), ("万千瓦", (1e4, "千瓦")),
    ("元/人", (1.0, "元/人")), ("万元/人", (1e4, "元/人")), ("吨标准煤/万元", (1.0, "吨标准煤/万元")),
    ("个百分点", (1.0, "百分点")), ("岁", (1.0, "岁")), ("万人次", (1e4, "人次")), ("微克/立方米", (1.0, "微克/立方米")),
    ("平方公里", (1.0, "平方公里")), ("万辆", (1e4, "辆")),
    ("地区生产总值", None), ("2025年", None), ("预期性", None), ("", None),
])
def test_unit_cells(cell, want):
    assert tables_ex.parse_unit(fold(cell)) == want


@pytest.mark.parametrize("cell,raw,low,high,comparator", [
    ("≥95", "95", 95, None, ">="), (">60", "60", 60, None, ">"), ("95以上", "95", 95, None, ">="),
    ("5.5左右", "5.5", 5.5, None, "~"), ("[13.5]", "13.5", 13.5, None, "="), ("〔18〕", "18", 18, None, "="),
    ("12-15", "12-15", 12, 15, "="), ("约80", "80", 80, None, "~"), ("<5.5", "5.5", 5.5, None, "<"),
    ("≤3", "3", 3, None, "<="), ("1,200", "1,200", 1200, None, "="), ("下降13.5%", "13.5%", 13.5, None, "="),
    ("—", None, None, None, None), ("完成国家下达任务", None, None, None, None), ("持续下降", None, None, None, None),
    ("较2020年下降", None, None, None, None),
])
def test_value_cells(cell, raw, low, high, comparator):
    folded = fold(cell)
    v = tables_ex.parse_value(folded, Cell(cell, 0, len(cell)))
    if raw is None:
        assert v is None
        return
    assert (cell[v.start:v.end], v.low, v.high, v.comparator) == (raw, low, high, comparator)


# ---- properties: every cell span is exact -------------------------------------------------------------

CELL_CHARS = st.sampled_from(list("指标地区生产总值万户亿元率%0123456789.（）—≥其中：年") + ["\u3000"])
CELL = st.text(alphabet=CELL_CHARS, min_size=1, max_size=8).map(lambda s: s.strip(" \u3000") or "值")


@st.composite
def grids(draw):
    n = draw(st.integers(2, 6))
    rows = draw(st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=2, max_size=6))
    return rows


def _check_cells(text: str, tables: list[Table]) -> None:
    for t in tables:
        assert 0 <= t.start <= t.end <= len(text)
        prev = -1
        for row in t.rows:
            for c in row:
                assert text[c.start:c.end] == c.text
                assert t.start <= c.start <= c.end <= t.end
                assert c.start >= prev
                prev = c.end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(), st.sampled_from(["tab", "pipe", "pipe_outer", "spaces"]), st.sampled_from(["", "上文。\n", "\ufeff"]))
def test_rows_found_with_exact_cells(rows, shape, before):
    """A grid written in a row shape comes back as the same cells, with exact spans."""
    rows = [[c.replace("\u3000", "") or "值" for c in r] for r in rows]   # a cell holds no separator
    if shape == "spaces":   # 指　　标: one-character cells that spell a header word are one cell there
        assume(not any(len(a) == len(b) == 1 and tables_ex.header_role(a + b) for r in rows for a, b in zip(r, r[1:])))
    join = {"tab": "\t", "pipe": " | ", "pipe_outer": " | ", "spaces": "\u3000\u3000"}[shape]
    lines = [join.join(r) for r in rows]
    if shape == "pipe_outer":
        lines = ["| " + line + " |" for line in lines]
        lines.insert(1, "|" + "---|" * len(rows[0]))
    text = before.lstrip("\ufeff") + "\n".join(lines) + "\n下文。"
    found = tables_ex.find(text, fold(text))
    _check_cells(text, found)
    assert len(found) == 1
    assert [[c.text for c in r] for r in found[0].rows] == rows


INDICATORS = st.text(alphabet=st.sampled_from(list("城市污水处理率森林覆盖绿色建筑占比人均公园地面积")), min_size=3, max_size=10)
UNITS = st.sampled_from(["%", "万户", "亿元", "个", "平方公里", "万人"])
VALUES = st.one_of(st.integers(1, 9999).map(str), st.sampled_from(["≥95", "98以上", "5.5", "—", "[18]", "12-15"]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(INDICATORS, UNITS, VALUES, VALUES, st.sampled_from(["预期性", "约束性"])), min_size=1, max_size=6),
       st.booleans())
def test_one_cell_per_line_tables(rows, blank_lines):
    """A table written one cell per line is found with exact cell spans, one row per row,
    and each row with a number in the target column gives one target there."""
    header = ["序号", "指标", "单位", "2020年", "2025年", "属性"]
    cells = list(header)
    for k, (ind, unit, base, target, attr) in enumerate(rows, 1):
        cells += [str(k), ind, unit, base, target, attr]
    sep = "\n\n" if blank_lines else "\n"
    text = "一、主要目标\n" + sep.join(cells) + "\n二、保障措施\n"
    found = tables_ex.find(text, fold(text))
    _check_cells(text, found)
    assert len(found) == 1 and len(found[0].rows) == len(rows) + 1
    doc = parse(text)
    want = [r[3] for r in rows if any(ch.isdigit() for ch in r[3])]
    table_targets = [t for t in doc.targets if t.rule == "table"]
    assert len(table_targets) == len(want)
    assert all(t.year == 2025 and t.section == ["一、"] for t in table_targets)
    assert [s.label for s in doc.sections] == ["一、", "二、"]


TEXT_PIECES = st.sampled_from([
    "指标", "单位", "2020年", "2025年", "目标值", "属性", "预期性", "序号", "1", "20", "≥5", "%", "万户", "其中：",
    "\t", "  ", "\u3000\u3000", " | ", "|", "|---|", "\n", "\n\n", "。", "一、", "（一）", "到2025年", "达到", "亿元",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT_PIECES, max_size=80).map("".join))
def test_any_text_cells_are_exact(text):
    """Whatever the text, every cell found indexes it exactly and every table target is grounded."""
    _check_cells(text, tables_ex.find(text, fold(text)))
    for t in parse(text).targets:
        assert text[t.span[0]:t.span[1]] == t.raw


# ---- real files: a Word table with merged cells, a GBK web page -------------------------------------------

def _targets_of(path) -> list[tuple]:
    return [(t.raw, t.value, t.unit, t.comparator, t.year, t.baseline_year, t.indicator, t.attribute, tuple(t.section),
             t.rule) for t in parse_file(path).targets]


def test_word_table_with_merged_title_and_two_row_header(tmp_path):
    """python-docx repeats a merged cell in every column it spans: the title row is skipped,
    规划目标 over 2025年 | 2030年 reads as those two columns."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for p in ["一、发展目标", "到2030年，全区综合实力显著增强。", "专栏1 主要指标"]:
        d.add_paragraph(p)
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(0, 4)).text = "“十五五”时期主要指标"
    t.cell(1, 2).merge(t.cell(1, 3)).text = "规划目标"
    t.cell(2, 2).text, t.cell(2, 3).text = "2025年", "2030年"
    for j, h in ((0, "指标"), (1, "单位"), (4, "属性")):
        t.cell(1, j).merge(t.cell(2, j)).text = h
    for i, row in ((3, ["地区生产总值", "亿元", "1000", "1500", "预期性"]), (4, ["森林覆盖率", "%", "20", "≥22", "约束性"])):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.add_paragraph("二、主要任务")
    d.add_paragraph("（一）做强产业。到2030年，建成10个产业园区。")
    path = tmp_path / "plan.docx"
    d.save(path)
    assert _targets_of(path) == [
        ("1500", 1.5e11, "元", "=", 2030, 2025, "地区生产总值", "预期性", ("一、", "专栏1"), "table"),
        ("22", 22.0, "%", ">=", 2030, 2025, "森林覆盖率", "约束性", ("一、", "专栏1"), "table"),
        ("10个", 10.0, "个", "=", 2030, None, "产业园区", None, ("二、", "（一）"), "quantity"),
    ]


TABLE_PAGE_BODY = """<p>一、发展目标</p><p>到2025年，全市绿色发展水平明显提升。</p>
<p>表1 “十四五”时期生态环境保护主要指标</p>
<table><tr><td>序号</td><td>指标</td><td>单位</td><td>2020年现状</td><td>2025年目标</td><td>属性</td></tr>
<tr><td>1</td><td>地表水优良水体比例</td><td>%</td><td>80</td><td>85</td><td>约束性</td></tr>
<tr><td>2</td><td>新能源汽车保有量</td><td>万辆</td><td>5</td><td>&gt;20</td><td>预期性</td></tr></table>
<p>二、主要任务</p>"""
TABLE_PAGE_TARGETS = [
    ("85", 85.0, "%", "=", 2025, None, "地表水优良水体比例", "约束性", ("一、",), "table"),
    ("20", 2e5, "辆", ">", 2025, None, "新能源汽车保有量", "预期性", ("一、",), "table"),
]


def test_gbk_web_page_table(tmp_path):
    """A GBK portal page: the reader hands in the <table>'s cells."""
    path = tmp_path / "plan.html"
    path.write_bytes(portal_page(TABLE_PAGE_BODY, charset="gbk").encode("gbk"))
    assert _targets_of(path) == TABLE_PAGE_TARGETS


def test_pdf_printed_from_the_page_table(tmp_path):
    """The same page printed by Chromium: the PDF's text layer gives the rows with their cells
    split by single spaces, read like the page's table."""
    page = tmp_path / "plan.html"
    page.write_text(portal_page(TABLE_PAGE_BODY), encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "plan.pdf")
    assert _targets_of(pdf) == TABLE_PAGE_TARGETS
