"""`policyparse targets`: every quantitative target across documents, filtered and printed as rows."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .root import app
from .common import (Batch, Debug, Jobs, NoCache, OptionalPaths, Quiet, RowFormatOption, parse_cache, print_table, row_format, write_rows,
                     stderr_console)

# CSV: these first, then every other field of the model in its order (so a field added to Target
# reaches the CSV too), with `span` as two cells.
FIRST_COLUMNS = ["document", "title", "section", "indicator", "raw"]


def target_columns() -> list[str]:
    from ..model import Target

    columns = FIRST_COLUMNS + [f for f in Target.model_fields if f not in FIRST_COLUMNS]
    at = columns.index("span")
    columns[at:at + 1] = ["span_start", "span_end"]
    return columns


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """One value per cell: the section path as `三、 > （一） > 1．`, the span as two numbers, a
    period as `2021-2025` (lists of units are joined by 、 and booleans written true/false by to_csv)."""
    flat = dict(row)
    flat["section"] = " > ".join(row.get("section") or [])
    flat["span_start"], flat["span_end"] = row["span"]
    if row.get("period"):
        flat["period"] = "-".join(map(str, row["period"]))
    return flat


# ---- the job, run in worker processes (module level, so it pickles) ------------------------------

# The cache entry of a document's target rows (its title and targets), beside its whole record:
# a re-run reads these in this process (_cached_rows) instead of each record in a worker. On
# 1,500 cached seed files the records were 72 KB each to decode (1.0 of 2.8 s with one job) and
# their rows crossed a pipe from two workers (5.0 s with two jobs).
TARGET_ROWS = {"part": "target rows"}


def _cached_rows(path: str, cache) -> list[dict[str, Any]] | None:
    """The rows of a document whose target rows the cache holds for these bytes and this tool,
    or None (not cached, a parse output, unreadable: the job then runs). One read and one hash."""
    if cache is None or not cache.enabled or path.lower().endswith(".json"):
        return None
    from ..cache import content_id, read_input

    data = read_input(path)
    if data is None:
        return None
    hit = cache.get(cache.key(content_id(data), TARGET_ROWS))
    if not isinstance(hit, dict) or not isinstance(hit.get("targets"), list):
        return None
    return _rows(str(path), hit.get("title"), hit["targets"])


def _rows(source: str, title: str | None, targets: list) -> list[dict[str, Any]]:
    return [{"document": source, "title": title, **t} for t in targets]


def _targets_job(path: str, cache=None) -> list[dict[str, Any]]:
    """One row per target: the document's name and title, then the target's fields."""
    if path.lower().endswith(".json"):
        # a parse output read back: validated, since it may come from anywhere
        from ..errors import InputError
        from ..model import Document

        try:
            doc = Document.from_json(Path(path).read_bytes())
        except OSError as e:
            raise InputError(path, e.strerror or str(e)) from None
        except ValueError as e:   # invalid JSON (orjson.JSONDecodeError) or a missing/mistyped field
            raise InputError(path, f"not a policyparse JSON document: {_first_problem(e)}") from None
        source, title, targets = doc.source, doc.title, [t.model_dump(mode="json") for t in doc.targets]
    else:
        from ..cache import content_id, read_record

        # as the record holds them: tuples (a fresh parse) or lists (the cache), which every
        # writer of write_rows takes alike
        record, doc_id, _ = read_record(path, cache)
        source, title, targets = record["source"], record["title"], record["targets"]
        if cache is not None and cache.enabled and doc_id != content_id(b""):   # (b"": not read, not cached)
            cache.put(cache.key(doc_id, TARGET_ROWS), {"title": title, "targets": targets})
    return _rows(source, title, targets)


def _explain_job(path: str, cache=None) -> list[dict[str, Any]]:
    """--explain: one row per number the target reader saw, kept or dropped, with the rule."""
    if path.lower().endswith(".json"):
        from ..errors import InputError

        raise InputError(path, "--explain reads documents, not parse output (give the .txt/.docx/… file)")
    from ..pipeline import parse_file_record

    record = parse_file_record(path, explain=True)
    return [{"document": record["source"], **e} for e in record["explained"]]


EXPLAIN_COLUMNS = ["document", "span_start", "span_end", "raw", "kept", "rule", "finder", "why", "context"]


def _first_problem(error: ValueError) -> str:
    """`targets.0.year: 'soon' is not a whole number`, or the JSON parser's own words."""
    errors = getattr(error, "errors", None)
    if callable(errors) and errors():
        from .messages import human_message

        first = errors()[0]
        where = ".".join(map(str, first["loc"]))
        return f"{where}: {human_message(first)}" if where else human_message(first)
    return f"invalid JSON ({error})"


# ---- the command -----------------------------------------------------------------------------------

@app.command()
def targets(
    paths: OptionalPaths = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", metavar="YEAR", help="Keep targets due in this year (a period target counts in its last year).")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="TEXT", help="Keep targets whose lead/support/responsible units contain this text.")] = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", metavar="TEXT", help="Keep targets whose indicator or clause contains this text (with --explain: numbers whose context contains it).")] = None,
    explain: Annotated[bool, typer.Option("--explain", "-e", help="Show every number the target reader saw, kept or dropped, with the rule that decided (patterns/exclusions.py names them).")] = False,
    fmt: RowFormatOption = None,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
    no_cache: NoCache = False,
) -> None:
    """List quantitative targets across documents, filtered by year, responsible unit or text.

    --explain lists every number the reader saw instead: kept (rule "target") or dropped, with
    the name of the rule that dropped it (named_set, price, past_result …) and its context.

    \b
    Examples:
      policyparse targets --year 2015 --format json seeds/*.txt | jq length
      policyparse targets out/ --unit 工业和信息化 --format csv > targets.csv
      policyparse targets --explain seeds/000_463af7c4fa96e186.txt
      policyparse targets --explain --grep 补贴 --format csv notice.txt > why.csv
    """
    console = stderr_console()
    batch = Batch(console, quiet=quiet, debug=debug)
    if not paths:
        if not Path("out").is_dir() or not any(Path("out").glob("*.json")):
            console.print("error: no PATHS given and out/ has no JSON; run `policyparse parse FILES` first or name files")
            raise typer.Exit(code=1)
        files = batch.expand(["out"], suffixes=(".json",))
    else:
        from ..readers import SUPPORTED_SUFFIXES

        files = batch.expand(paths, suffixes=(*SUPPORTED_SUFFIXES, ".json"))
    fmt_name = row_format(fmt)
    if explain:
        _explain(batch, files, grep, fmt_name, jobs, console)
        return
    kept: list[dict[str, Any]] = []

    def keep(path: str, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if year is not None and row.get("year") != year:
                continue
            if unit and not any(unit in u for k in ("lead_units", "support_units", "responsible_units") for u in row[k]):
                continue
            if grep and grep not in row.get("indicator", "") and grep not in row.get("text", ""):
                continue
            kept.append(row)

    cache = parse_cache(no_cache)
    batch.run(_targets_job, [(f, cache) for f in files], jobs, on_result=keep, label="reading",
              known=(lambda item: _cached_rows(*item)) if cache.enabled else None)

    if not kept:
        console.print("no matching targets")
    write_rows(kept, fmt_name, table=_targets_table, columns=target_columns, csv_row=csv_row)
    batch.finish()


def _explain(batch, files: list[str], grep: Optional[str], fmt_name: str, jobs: int, console) -> None:
    rows: list[dict[str, Any]] = []

    def keep(path: str, found: list[dict[str, Any]]) -> None:
        rows.extend(r for r in found if not grep or grep in r["context"])

    batch.run(_explain_job, [(f, None) for f in files], jobs, on_result=keep, label="explaining")
    if not rows:
        console.print("no numbers seen")
    write_rows(rows, fmt_name, table=_explain_table, columns=EXPLAIN_COLUMNS,
               csv_row=lambda r: {**r, "span_start": r["span"][0], "span_end": r["span"][1]})
    batch.finish()


def _explain_table(rows: list[dict[str, Any]]) -> None:
    print_table(["document", "span", "number", "verdict", "rule", "context"],
                [[Path(r["document"]).name, f"{r['span'][0]}-{r['span'][1]}", r["raw"],
                  "kept" if r["kept"] else "dropped", r["rule"], r["context"].replace("\n", " ")] for r in rows])


def _targets_table(rows: list[dict[str, Any]]) -> None:
    print_table(["document", "section", "indicator", "value", "year", "lead units"],
                [[Path(r["document"]).name, "".join(r["section"]), r["indicator"], r["raw"],
                  "" if r["year"] is None else str(r["year"]), "、".join(r["lead_units"] or r["responsible_units"])]
                 for r in rows])
