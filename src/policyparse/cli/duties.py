"""`policyparse duties`: who does what — one row per unit per task, or a units × tasks matrix."""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .root import app
from .common import (Batch, Debug, Jobs, Paths, Quiet, RowFormatOption, load_parsed, print_table, row_format, stderr_console,
                     stdout_console, usage_error, write_rows)

AliasesOption = Annotated[Optional[Path], typer.Option(
    "--aliases", "-a", metavar="FILE",
    help="Your own unit aliases, exact names: YAML `canonical: [alias, …]` or CSV rows `canonical,alias,…`. "
         "They win over the names a document declares (以下简称) and the built-in table.")]


def user_aliases(path: Optional[Path]) -> dict[str, str] | None:
    """The --aliases file read once, or a usage error (exit 2) saying what is wrong with it."""
    if path is None:
        return None
    from ..aliases import load_user_file

    try:
        return load_user_file(path)
    except ValueError as e:
        raise usage_error(f"--aliases {e}") from None


def _duties_job(path: str, user: dict[str, str] | None) -> list[dict[str, Any]]:
    from ..aliases import Aliases
    from ..duties import document_text, duty_rows

    doc, text = load_parsed(path)
    return duty_rows(doc, Aliases.for_text(text if text is not None else document_text(doc), user=user))


def _csv_row(row: dict[str, Any]) -> dict[str, Any]:
    flat = dict(row, section=" > ".join(row["section"]))
    flat["span_start"], flat["span_end"] = row["span"] or (None, None)
    return flat


CSV_COLUMNS = ["document", "section", "task", "role", "unit", "unit_as_written", "quote", "span_start", "span_end",
               "target_count", "targets"]


@app.command()
def duties(
    paths: Paths,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="TEXT", help="Keep the rows of this unit: part of its name as written, or any alias of it (发改委 finds 市发展改革委; 市教育局 never finds 市体育局).")] = None,
    matrix: Annotated[bool, typer.Option("--matrix", "-m", help="A responsibility matrix instead: one row per unit, one column per task, cells 牵头 / 配合 / 负责.")] = False,
    aliases: AliasesOption = None,
    fmt: RowFormatOption = None,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Who does what: one row per unit per task, from the responsibility notes (牵头/配合/责任单位).

    Each row: the document, the task's section labels and title, the role (lead, support,
    responsible), the unit's canonical name beside the name as written, the note as quoted,
    and the task's targets. Unit names are resolved through the short names a document
    declares (（以下简称“市发改委”）), a built-in table of department short forms
    (发改委 = 发展改革委 = 发展和改革委员会, under any 市/省/区/县 prefix, which is kept) and --aliases.

    \b
    Examples:
      policyparse duties seeds/004_1ecdd285c2b66f00.txt --unit 发改委
      policyparse duties plan.txt --matrix --format csv > matrix.csv    # opens in Excel/WPS
      policyparse duties out/*.json --format jsonl | jq -r '.unit' | sort | uniq -c
    """
    console = stderr_console()
    user = user_aliases(aliases)
    fmt_name = row_format(fmt)
    if matrix and fmt_name == "jsonl":
        raise usage_error("--matrix prints one table: use --format table, json, csv or yaml")
    batch = Batch(console, quiet=quiet, debug=debug)
    from ..readers import SUPPORTED_SUFFIXES

    files = batch.expand(paths, suffixes=(*SUPPORTED_SUFFIXES, ".json"))
    rows: list[dict[str, Any]] = []

    def keep(path: str, found: list[dict[str, Any]]) -> None:
        rows.extend(found)

    batch.run(_duties_job, [(f, user) for f in files], jobs, on_result=keep, label="reading")
    if unit:
        from ..aliases import Aliases
        from ..duties import filter_unit

        rows = filter_unit(rows, unit, Aliases(user=user))
    if not rows:
        console.print("no matching duties" if unit else "no responsibility notes found")

    if matrix:
        _print_matrix(rows, fmt_name)
    else:
        write_rows(rows, fmt_name, table=_table, columns=CSV_COLUMNS, csv_row=_csv_row)
    batch.finish()


def _print_matrix(rows: list[dict[str, Any]], fmt_name: str) -> None:
    from ..duties import duty_matrix, matrix_table_rows

    m = duty_matrix(rows)
    header, table = matrix_table_rows(m)
    if fmt_name == "csv":
        from ..emit import to_csv

        sys.stdout.write(to_csv((dict(zip(header, r)) for r in table), header))
    elif fmt_name == "table":
        # a terminal is too narrow for a column per task: one row per unit, its tasks by role
        # (T1, T2 … named in the legend below); csv and json keep the full grid
        if not table:
            return
        from rich.markup import escape
        from rich.table import Table

        t = Table(show_lines=False)
        for col in ("unit", "牵头", "配合", "负责"):
            t.add_column(col, overflow="fold")
        for r in m["rows"]:
            by_role = {cn: [f"T{i}" for i, cell in enumerate(r["cells"], 1) if cn in cell.split("/")]
                       for cn in ("牵头", "配合", "负责")}
            t.add_row(escape(r["unit"]), *(" ".join(v) for v in by_role.values()))
        console = stdout_console()
        console.print(t)
        for i, name in enumerate(header[1:], 1):
            console.print(f"T{i}  {escape(name)}", highlight=False)
    else:
        from ..emit import dumps

        sys.stdout.write(dumps(m, fmt_name))


def _table(rows: list[dict[str, Any]]) -> None:
    several = len({r["document"] for r in rows}) > 1
    print_table((["document"] if several else []) + ["section", "task", "role", "unit", "as written", "targets"],
                [([Path(r["document"]).name] if several else []) + [
                    "".join(r["section"]), r["task"], r["role"], r["unit"],
                    "" if r["unit_as_written"] == r["unit"] else r["unit_as_written"], "、".join(r["targets"])]
                 for r in rows])
