"""The command line: a thin Typer layer over the library (read → parse → emit)."""
from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import __version__

app = typer.Typer(
    help=(
        "Turn Chinese policy documents (实施意见, 行动计划, 规划, 工作要点, 政府工作报告) into structured data: "
        "the outline, who is responsible for each task, and every quantitative target.\n\n"
        "Examples:\n\n"
        "  policyparse parse seeds/*.txt                  # writes out/<name>.json, summary on stderr\n\n"
        "  policyparse parse plan.txt --out - | jq '.targets[].raw'\n\n"
        "  policyparse targets --year 2015 seeds/*.txt    # every target due in 2015"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class OutFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


class TargetFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"


def _stderr():
    from rich.console import Console

    # a log file or CI output gets 120 columns rather than rich's default of 80
    return Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)


def _version(value: bool) -> None:
    if value:
        print(f"policyparse {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """policyparse: Chinese policy documents → outline, responsibility notes, targets."""


# ---- jobs run in worker processes (module level, so they pickle) --------------------------------

def _parse_job(path: str, out_path: str | None, fmt: str, indent: int | None) -> tuple[str | None, dict[str, Any]]:
    """Parse one file; write it to out_path (atomically, in the worker, so writing runs in
    parallel too) or return the text for stdout."""
    from .emit import plain, record_json, to_yaml, write_atomic
    from .pipeline import parse_file_record

    record = parse_file_record(path)
    if fmt == "yaml":
        text = to_yaml(plain(record))
    else:
        text = record_json(record, indent=indent)
    if not text.endswith("\n"):
        text += "\n"
    if out_path is not None:
        write_atomic(Path(out_path), text)
        text = None
    sections = list(_walk_sections(record["sections"]))
    summary = {
        "encoding": record["encoding"], "sections": len(sections),
        "units": sum(1 for s in sections if s["units"] is not None),
        "targets": len(record["targets"]), "warnings": len(record["warnings"]),
    }
    return text, summary


def _walk_sections(sections: list[dict]):
    """Every section record, depth first (like Document.iter_sections)."""
    for s in sections:
        yield s
        yield from _walk_sections(s["children"])


def _targets_job(path: str) -> list[dict[str, Any]]:
    """One row per target: the document's name and title, then the target's fields."""
    if path.lower().endswith(".json"):
        # a parse output read back: validated, since it may come from anywhere
        from .errors import InputError
        from .model import Document

        try:
            doc = Document.model_validate_json(Path(path).read_bytes())
        except OSError as e:
            raise InputError(path, e.strerror or str(e)) from None
        except ValueError as e:
            raise InputError(path, f"not a policyparse JSON document ({str(e).splitlines()[0]})") from None
        source, title, targets = doc.source, doc.title, [t.model_dump(mode="json") for t in doc.targets]
    else:
        from .emit import plain
        from .pipeline import parse_file_record

        record = parse_file_record(path)
        source, title, targets = record["source"], record["title"], plain(record["targets"])
    return [{"document": source, "title": title, **t} for t in targets]


# ---- helpers --------------------------------------------------------------------------------------

def _progress(total: int, quiet: bool):
    """A rich progress bar on stderr for batches of more than a few files on a terminal."""
    if quiet or total <= 3 or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=_stderr(), transient=True)


def _interrupted(console, progress, message: str) -> None:
    """Ctrl-C: ignore further Ctrl-C, stop the workers, say so, and leave at once with 130.

    os._exit skips the interpreter's shutdown, where multiprocessing may wait forever on a
    worker killed mid-message; every output already written is complete (atomic writes)."""
    import os
    import signal

    from . import batch

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    batch.abort()
    if progress:
        progress.stop()
    console.print(message)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(130)


def _report_failure(console, path: str, error: str, detail: str | None, debug: bool) -> None:
    from rich.markup import escape

    console.print(f"[red]error[/red] {escape(path)}: {escape(error)}", markup=True, soft_wrap=True)
    if debug and detail:
        console.print(detail, markup=False, soft_wrap=True)


def _out_paths(paths: list[str], out_dir: Path, suffix: str) -> dict[str, Path]:
    """out/<stem><suffix> per input; stems that collide get -2, -3…"""
    used: dict[str, int] = {}
    result = {}
    for p in paths:
        stem = Path(p).stem or "document"
        n = used.get(stem, 0) + 1
        used[stem] = n
        result[p] = out_dir / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
    return result


# ---- commands -------------------------------------------------------------------------------------

@app.command()
def parse(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (every *.txt inside) or globs.", show_default=False)],
    out: Annotated[str, typer.Option("--out", "-o", help="Output folder, or '-' for stdout (one JSON object for one input, JSON Lines for several).")] = "out",
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="json, jsonl (one line per document) or yaml.")] = OutFormat.json,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = the number of cores.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary table.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
) -> None:
    """Parse documents into an outline tree with responsibility notes and targets.

    Reads UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK; the encoding used is
    recorded in the output. Writes out/<name>.json per input (atomically: never a half-written
    file) and prints a summary table to stderr. A file that cannot be read gets one line naming
    it and the cause; the others are still parsed; the exit status is then 1.

    Example: policyparse parse seeds/*.txt --out - --format jsonl | jq -c '{source, title}'
    """
    from . import batch
    from .reading import expand_paths

    console = _stderr()
    files, errors = expand_paths(paths)
    for e in errors:
        _report_failure(console, e.path, e.cause, None, debug)
    if not files:
        if not errors:
            console.print("error: no input files")
        raise typer.Exit(code=1)

    to_stdout = out == "-"
    fmt_name = fmt.value
    if to_stdout and fmt_name == "json" and len(files) > 1:
        fmt_name = "jsonl"  # several documents on stdout: one object per line, so jq works
    indent = None if fmt_name == "jsonl" else 2
    suffix = ".yaml" if fmt_name == "yaml" else ".json" if fmt_name == "json" else ".jsonl"
    targets = {} if to_stdout else _out_paths(files, Path(out), suffix)

    job = functools.partial(_parse_job, fmt="yaml" if fmt_name == "yaml" else "json", indent=indent)
    rows: list[tuple[str, dict[str, Any] | None]] = []
    failed = len(errors)
    progress = _progress(len(files), quiet)
    task = progress.add_task("parsing", total=len(files)) if progress else None
    first_yaml = True
    try:
        if progress:
            progress.start()
        items = [(f, None if to_stdout else str(targets[f])) for f in files]
        for res in batch.run(job, items, jobs or batch.default_jobs()):
            if progress:
                progress.advance(task)
            if res.error is not None:
                failed += 1
                _report_failure(console, res.path, res.error, res.detail, debug)
                rows.append((res.path, None))
                continue
            text, summary = res.payload
            if to_stdout:
                if fmt_name == "yaml" and not first_yaml:
                    sys.stdout.write("---\n")
                first_yaml = False
                sys.stdout.write(text)
                sys.stdout.flush()
            summary["output"] = "stdout" if to_stdout else str(targets[res.path])
            rows.append((res.path, summary))
    except KeyboardInterrupt:
        _interrupted(console, progress, "interrupted: outputs written so far are complete; no partial files were left")
    finally:
        if progress:
            progress.stop()

    if not quiet:
        _summary_table(console, rows)
    if failed:
        console.print(f"{failed} input(s) failed")
        raise typer.Exit(code=1)


def _summary_table(console, rows) -> None:
    from rich.table import Table

    table = Table(title=None, show_edge=False, pad_edge=False)
    for col in ("document", "encoding", "sections", "units", "targets", "warnings", "output"):
        numeric = col in ("sections", "units", "targets", "warnings")
        table.add_column(col, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric)
    from rich.markup import escape

    for path, s in rows:
        if s is None:
            table.add_row(escape(path), "[red]failed[/red]", "", "", "", "", "")
        else:
            table.add_row(escape(path), s["encoding"], str(s["sections"]), str(s["units"]), str(s["targets"]),
                          str(s["warnings"]), escape(s["output"]))
    console.print(table)


TARGET_COLUMNS = ["document", "section", "indicator", "raw", "value", "value_max", "unit", "comparator", "year",
                  "year_source", "baseline_year", "annual", "direction", "lead_units", "support_units",
                  "responsible_units", "text", "span"]


@app.command()
def targets(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Source texts, JSON files written by `parse`, folders or globs. Default: out/*.json.", show_default=False)] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="Keep targets due in this year (a period target counts in its last year).")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="Keep targets whose lead/support/responsible units contain this text.")] = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", help="Keep targets whose indicator or clause contains this text.")] = None,
    fmt: Annotated[Optional[TargetFormat], typer.Option("--format", "-f", help="table (default on a terminal), json (default when piped), jsonl, csv (UTF-8 with BOM, for Excel/WPS) or yaml.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = the number of cores.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
) -> None:
    """List quantitative targets across documents, filtered by year, responsible unit or text.

    Example: policyparse targets --year 2015 --format json seeds/*.txt | jq length

    Example: policyparse targets out/ --unit 工业和信息化 --format csv > targets.csv
    """
    from . import batch
    from .reading import expand_paths

    console = _stderr()
    if not paths:
        paths = ["out"]
        if not Path("out").is_dir() or not any(Path("out").glob("*.json")):
            console.print("error: no PATHS given and out/ has no JSON; run `policyparse parse FILES` first or name files")
            raise typer.Exit(code=1)
        files, errors = expand_paths(paths, suffixes=(".json",))
    else:
        files, errors = expand_paths(paths, suffixes=(".txt", ".json"))
    for e in errors:
        _report_failure(console, e.path, e.cause, None, debug)
    failed = len(errors)
    fmt_name = (fmt.value if fmt else ("table" if sys.stdout.isatty() else "json"))
    kept: list[dict[str, Any]] = []
    progress = _progress(len(files), quiet)
    task = progress.add_task("reading", total=len(files)) if progress else None
    if progress:
        progress.start()
    try:
        for res in batch.run(_targets_job, [(f,) for f in files], jobs or batch.default_jobs()):
            if progress:
                progress.advance(task)
            if res.error is not None:
                failed += 1
                _report_failure(console, res.path, res.error, res.detail, debug)
                continue
            for row in res.payload:
                if year is not None and row.get("year") != year:
                    continue
                if unit and not any(unit in u for k in ("lead_units", "support_units", "responsible_units") for u in row[k]):
                    continue
                if grep and grep not in row.get("indicator", "") and grep not in row.get("text", ""):
                    continue
                kept.append(row)
    except KeyboardInterrupt:
        _interrupted(console, progress, "interrupted")
    finally:
        if progress:
            progress.stop()

    if not kept:
        console.print("no matching targets")
    if fmt_name == "table":
        _targets_table(kept)
    elif fmt_name == "csv":
        from .emit import to_csv

        sys.stdout.write(to_csv(kept, TARGET_COLUMNS))
    else:
        from .emit import dumps

        sys.stdout.write(dumps(kept, fmt_name))
    if failed:
        console.print(f"{failed} input(s) failed")
        raise typer.Exit(code=1)


def _targets_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("document", "section", "indicator", "value", "year", "lead units"):
        table.add_column(col, overflow="fold")
    for r in rows:
        lead = r["lead_units"] or r["responsible_units"]
        cells = [Path(r["document"]).name, "".join(r["section"]), r["indicator"], r["raw"],
                 "" if r["year"] is None else str(r["year"]), "、".join(lead)]
        table.add_row(*(escape(c) for c in cells))
    Console().print(table)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the schema files.")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the files differ from the models (for CI).")] = False,
) -> None:
    """Write the JSON Schemas generated from the models (document.schema.json, target.schema.json).

    Example: policyparse schema --check
    """
    from .schema import check_schemas, write_schemas

    if check:
        stale = check_schemas(out)
        if stale:
            _stderr().print("out of date: " + ", ".join(stale) + " (run `policyparse schema`)")
            raise typer.Exit(code=1)
        return
    for p in write_schemas(out):
        _stderr().print(f"wrote {p}", markup=False)


def main() -> None:
    app()
