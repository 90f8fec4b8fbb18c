"""Who does what: one row per unit per task, from the responsibility notes of parsed Documents.

A task is a section whose own text closes with a note (`（牵头单位：A；配合单位：B、C）`). Each
unit the note names gives one row: the task's path and title, the role (lead / support /
responsible), the unit's canonical name (aliases.py) beside the name as written, the note as
quoted, and the targets of the task (those in the section or below it, unless a deeper section
has a note of its own).

    rows = duty_rows(doc, Aliases.for_text(text))
    matrix = duty_matrix(rows)          # units × tasks, cells 牵头 / 配合 / 负责
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .aliases import Aliases

if TYPE_CHECKING:
    from .model import Document, Section

ROLES = ("lead", "support", "responsible")
ROLE_CN = {"lead": "牵头", "support": "配合", "responsible": "负责"}
COLUMNS = ["document", "section", "task", "role", "unit", "unit_as_written", "quote", "span",
           "target_count", "targets"]


class DutyRow(BaseModel):
    """One unit named in one task's responsibility note (`policyparse duties`, one item)."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(description="The document's source path.")
    section: list[str] = Field(description="Labels of the task's section, top down (its path).")
    task: str = Field(description="The task: the section heading's title.")
    role: Literal["lead", "support", "responsible"] = Field(description="牵头 → lead, 配合 → support, 责任单位/负责 or a bare list → responsible.")
    unit: str = Field(description="The unit's canonical name (declared, user and built-in aliases resolved; the level prefix kept).")
    unit_as_written: str = Field(description="The unit's name exactly as the note writes it.")
    quote: str = Field(description="The note(s) as written in the source.")
    span: Optional[tuple[int, int]] = Field(None, description="[start, end) of the (last) note in the source.")
    target_count: int = Field(ge=0, description="How many targets the task has (in its section or below, up to a deeper note).")
    targets: list[str] = Field(default_factory=list, description="Those targets' numbers as written (`raw`), in document order.")


class MatrixColumn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str = Field(description="The document's source path.")
    section: list[str] = Field(description="Labels of the task's section.")
    task: str = Field(description="The section heading's title.")


class MatrixRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(description="Canonical unit name.")
    cells: list[str] = Field(description="One cell per column: 牵头, 配合, 负责, several joined by '/', or '' where the unit has no part.")


class DutyMatrix(BaseModel):
    """A responsibility matrix: units × tasks (`policyparse duties --matrix --format json`)."""

    model_config = ConfigDict(extra="forbid")

    columns: list[MatrixColumn] = Field(description="The tasks, in document order.")
    rows: list[MatrixRow] = Field(description="One row per unit, in order of first appearance.")


def section_of_targets(doc: "Document") -> list[tuple["Target", list["Section"]]]:
    """Each target with the sections that hold it, outermost first: the section whose own text
    (heading to first child) holds the target's start, and its ancestors; [] for the preamble.
    Own texts do not overlap, so one binary search per target finds it."""
    import bisect

    own: list[tuple[int, int, list["Section"]]] = []

    def walk(sections, chain):
        for s in sections:
            own.append((s.span[0], s.span[1], chain + [s]))
            walk(s.children, chain + [s])

    walk(doc.sections, [])
    own.sort(key=lambda x: x[0])
    starts = [o[0] for o in own]
    out = []
    for t in doc.targets:
        i = bisect.bisect_right(starts, t.span[0]) - 1
        out.append((t, own[i][2] if i >= 0 and t.span[0] < own[i][1] else []))
    return out


def _task_of_targets(doc: "Document") -> dict[int, list[str]]:
    """id(section) -> raws of the targets that belong to its note: for each target, the deepest
    section with a note among those that hold it."""
    out: dict[int, list[str]] = {}
    for t, chain in section_of_targets(doc):
        noted = [s for s in chain if s.units is not None and not s.units.is_empty()]
        if noted:
            out.setdefault(id(noted[-1]), []).append(t.raw)
    return out


def duty_rows(doc: "Document", aliases: Aliases | None = None) -> list[dict]:
    """The duties rows of one document (plain dicts with DutyRow's fields), in document order."""
    aliases = aliases or Aliases()
    targets = _task_of_targets(doc)
    rows = []
    for s in doc.iter_sections():
        u = s.units
        if u is None or u.is_empty():
            continue
        raws = targets.get(id(s), [])
        for role in ROLES:
            for name in getattr(u, role):
                rows.append({
                    "document": doc.source, "section": list(s.path), "task": s.title, "role": role,
                    "unit": aliases.canonical(name), "unit_as_written": name, "quote": u.quote,
                    "span": list(u.span) if u.span else None, "target_count": len(raws), "targets": list(raws),
                })
    return rows


def document_text(doc: "Document") -> str:
    """The words of a parsed document (preamble, titles, section texts), for declared aliases
    when only its JSON is at hand."""
    parts = [doc.title or "", doc.preamble]
    for s in doc.iter_sections():
        parts += [s.title, s.text]
    return "\n".join(parts)


def filter_unit(rows: Iterable[dict], query: str, aliases: Aliases | None = None) -> list[dict]:
    """Rows whose unit (as written or canonical) matches `query`, aliases included."""
    aliases = aliases or Aliases()
    return [r for r in rows if aliases.matches(query, r["unit_as_written"]) or aliases.matches(query, r["unit"])]


def duty_matrix(rows: Iterable[dict]) -> dict:
    """Units × tasks (DutyMatrix's fields): a column per task, a row per canonical unit."""
    columns: dict[tuple, dict] = {}
    cells: dict[str, dict[tuple, list[str]]] = {}
    for r in rows:
        key = (r["document"], tuple(r["section"]), r["task"])
        columns.setdefault(key, {"document": r["document"], "section": list(r["section"]), "task": r["task"]})
        roles = cells.setdefault(r["unit"], {}).setdefault(key, [])
        if ROLE_CN[r["role"]] not in roles:
            roles.append(ROLE_CN[r["role"]])
    keys = list(columns)
    return {
        "columns": [columns[k] for k in keys],
        "rows": [{"unit": unit, "cells": ["/".join(by_task.get(k, [])) for k in keys]} for unit, by_task in cells.items()],
    }


def matrix_table_rows(matrix: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the matrix as flat text (CSV, table): `unit`, then one column per task
    named by its path and title (and document, when there are several)."""
    several = len({c["document"] for c in matrix["columns"]}) > 1
    header = ["unit"]
    for c in matrix["columns"]:
        name = f"{''.join(c['section'])} {c['task']}".strip()
        if several:
            from pathlib import Path

            name = f"{Path(c['document']).name}: {name}"
        header.append(name)
    return header, [[r["unit"], *r["cells"]] for r in matrix["rows"]]
