"""Tables as the pipeline sees them: rows of cells, each cell with its span in the document text.

One shape for every source of tables, so one reader of indicator tables serves them all:
- readers/ (docx, html, pdf) write each table into the document text (one row per line, cells
  separated by a tab) and return the `Table` with each cell's offsets in that text;
- extract/tables.py finds the tables a plain text holds (one cell per line, cells split by tabs
  or runs of spaces, `|` rows) and returns the same `Table`.
Spans follow the model's convention: `[start, end)` offsets into the decoded text, so
`text[cell.start:cell.end] == cell.text` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


# Immutable records are NamedTuples, not frozen dataclasses: a frozen dataclass compiles five
# methods from source at import (~1 ms each class, a share of every start-up); NamedTuple compares,
# hashes and pickles by its fields the same way.
class Cell(NamedTuple):
    text: str      # the cell's text as it stands in the document text (stripped)
    start: int     # [start, end) in the document text
    end: int


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)   # top to bottom; a header row first when there is one
    start: int = 0          # [start, end) of the whole table in the document text
    end: int = 0
    caption: str = ""       # a title line above the table when the source gives one (专栏2 主要指标), else ""
