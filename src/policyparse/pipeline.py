"""The pipeline, in one visible order: normalize → segment → header → outline → extract → model.

`parse_record` returns the Document's fields as plain data (dicts, lists, tuples), exactly the
shape of model.Document; `parse` makes that record the pydantic model (model.document_from_record
builds it without validating it a second time; tests/test_records.py validates the same records
strictly). The CLI writes records straight to JSON (orjson), so a batch neither imports pydantic
nor builds a model per document; tests/test_properties.py checks on random texts that every
record validates and that its JSON is byte-identical to the model's.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from . import collector, normalize, outline, segment
from .extract import header as header_ex
from .extract import tables as tables_ex
from .extract import targets as targets_ex
from .extract import units as units_ex
from .extract import years as years_ex
from .outline import DASH_LABEL, Node
from .patterns.exclusions import REVIEW_TITLE_RE

if TYPE_CHECKING:
    from .model import Document
    from .tables import Table


def _to_section(node: Node, source: str, parent_path: list[str]) -> dict:
    """A model.Section's fields, in the model's order (model.document_from_record builds the
    models from them as they stand). The children are appended in a loop, not a comprehension
    (in Python 3.11 a comprehension is a function made and called per use), and the node's
    fields read twice are read once: -0.04 M instructions per document (callgrind replay, ~56 sections)."""
    label = DASH_LABEL if node.style == "dash" else source[node.label_start:node.label_end]   # outline.label_of
    path = [*parent_path, label]
    end = node.end
    text_start = node.body_start
    title_start, title_end = node.title_start, node.title_end
    section = {
        "label": label,
        "title": source[title_start:title_end],
        "style": node.style,
        "depth": node.depth,
        "path": path,
        "number": node.number,
        "units": node.units,
        "span": (node.label_start, end),
        "title_span": (title_start, title_end),
        "text": source[text_start if text_start < end else end:end].strip(),
        "children": [],
    }
    if node.children:
        append = section["children"].append
        for child in node.children:
            append(_to_section(child, source, path))
    return section


def parse(text: str, source: str = "<text>", encoding: str = "str", tables: "list[Table] | None" = None) -> "Document":
    """Parse one decoded document. Offsets in the result index `text` after a BOM is dropped.
    `tables`: as for parse_record."""
    from .model import document_from_record

    return document_from_record(parse_record(text, source, encoding, tables), own=True)


def parse_file_record(path, explain: bool = False, data: bytes | None = None) -> dict:
    """Read, decode and parse one file into a record (what `parse_file` makes a Document and the
    CLI writes). Raises InputError/DecodeError naming the file and the cause. `explain`: see
    parse_record. `data`: the file's bytes, when the caller has read them (readers.read_path)."""
    return read_and_parse(path, explain=explain, data=data)[1]


def read_and_parse(path, explain: bool = False, data: bytes | None = None) -> tuple[str, dict]:
    """The text every span indexes and its record, for outputs that show the text (the review
    page). Raises InputError/DecodeError naming the file and the cause. `data`: as for
    parse_file_record."""
    from .errors import display_name
    from .readers import read_path

    read = read_path(path, data)
    return read.text, parse_record(read.text, source=display_name(path), encoding=read.encoding, tables=read.tables,
                                   format=read.format, explain=explain)


@collector.paused
def parse_record(text: str, source: str = "<text>", encoding: str = "str",
                 tables: "list[Table] | None" = None, format: str = "txt", explain: bool = False) -> dict:
    """The fields of the model.Document `parse` returns, as plain data, not yet validated.
    `tables`: the tables a reader found in a Word, web or PDF file and wrote into `text` (one
    row per line, cells split by a tab), with cell spans in `text` after a BOM is dropped (the
    model's span convention); the text's own tables are found only where these do not stand.
    `format`: the input's format as the readers name it (txt, html, docx, pdf, doc, wps).
    With `explain`, the record also holds "explained": every number the target reader saw,
    kept or dropped, with the rule's name (extract/targets.py; `policyparse targets --explain`)."""
    text = normalize.drop_bom(text)
    folded = normalize.fold(text)
    lines = segment.lines(folded)
    head = header_ex.read(lines, text)
    indicator_tables = _indicator_tables(text, folded, lines, tables or [])
    table_spans = [(t.start, t.end) for t in indicator_tables]
    nodes = outline.find_headings(lines, skip=head.lines)
    if table_spans:
        # a cell such as （一） or 1. inside an indicator table is no heading
        nodes = [n for n in nodes if not years_ex._inside(table_spans, n.label_start)]
    roots = outline.nest(nodes, len(text), folded)
    find_units = units_ex.find
    for node in nodes:
        units = node.units = find_units(folded, text, node.title_start, node.end)
        if units is not None and units["span"][0] < node.title_end:
            # a note closing the heading line itself: （2）建成5G基站2万个（市通信管理局牵头）
            node.title_end = units["span"][0]
    issues = outline.check_numbering(roots, text)
    preamble_end = nodes[0].label_start if nodes else len(text)
    preamble = text[head.body_start:preamble_end].strip() if head.body_start < preamble_end else ""
    found = targets_ex.find(text, folded, nodes, head, skip=table_spans, explain=explain)
    if indicator_tables:
        rows = _table_targets(text, folded, indicator_tables, nodes, found.horizon_year)
        found.targets.extend(rows)
        found.targets.sort(key=lambda t: t["span"][0])
        if explain:
            found.explained += [{"raw": t["raw"], "span": t["span"], "finder": "table", "kept": True, "rule": "table_row"}
                                for t in rows]
            found.explained.sort(key=lambda e: e["span"][0])
    record = {
        "source": source,
        "encoding": encoding,
        "format": format,
        "title": head.title,
        "status": head.status,
        "subtitle": head.subtitle,
        "doc_number": head.doc_number,
        "addressee": head.addressee,
        "preamble": preamble,
        "horizon_year": found.horizon_year,
        "sections": [_to_section(r, text, []) for r in roots],
        "targets": found.targets,
        "warnings": [{"kind": i.kind, "message": i.message, "span": (i.start, i.end)} for i in issues],
    }
    if explain:
        record["explained"] = found.explained
    return record


def _indicator_tables(text: str, folded: str, lines, given: "list[Table]") -> "list[Table]":
    """The tables whose header names value columns (2025年, 目标值, 基期, 完成情况 …): the
    given ones, and those found in the text outside them; in document order."""
    given_spans = sorted((t.start, t.end) for t in given)
    found = [t for t in tables_ex.find(text, folded, lines)
             if not any(s < t.end and t.start < e for s, e in given_spans)]
    return sorted((t for t in [*given, *found] if tables_ex.is_indicator_table(t, folded)), key=lambda t: t.start)


def _table_targets(text: str, folded: str, tables: "list[Table]", nodes: list[Node], horizon: int | None) -> list[dict]:
    """The rows of each indicator table as targets, with the section path and inherited units of
    the section holding the table; none from a table under a review heading (十三五回顾)."""
    starts = [n.label_start for n in nodes]
    out = []
    for table in tables:
        i = bisect.bisect_right(starts, table.start) - 1
        node = nodes[i] if i >= 0 else None
        titles, cur = [], node
        while cur is not None:
            titles.append(folded[cur.title_start:cur.title_end])
            cur = cur.parent
        if any(REVIEW_TITLE_RE.search(t) for t in titles):
            continue
        path = targets_ex._path(node, text)
        lead, support, responsible = targets_ex._inherited_units(node)
        for t in tables_ex.targets(text, folded, table, [table.caption, *titles], horizon):
            t.update(section=list(path), lead_units=list(lead), support_units=list(support),
                     responsible_units=list(responsible))
            out.append(t)
    return out
