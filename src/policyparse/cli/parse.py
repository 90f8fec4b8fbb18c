"""`policyparse parse`: documents → one JSON (or YAML) record each, with a summary on stderr."""
from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from .app import app
from .common import Batch, Debug, Jobs, Paths, Quiet, stderr_console


class OutFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


# ---- the job, run in worker processes (module level, so it pickles) ------------------------------

def _parse_job(path: str, out_path: str | None, fmt: str, indent: int | None) -> tuple[str | None, dict[str, Any]]:
    """Parse one file; write it to out_path (atomically, in the worker, so writing runs in
    parallel too) or return the text for stdout."""
    from ..emit import plain, record_json, to_yaml, write_atomic
    from ..pipeline import parse_file_record

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


# ---- the command -----------------------------------------------------------------------------------

@app.command()
def parse(
    paths: Paths,
    out: Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Output folder, or '-' for stdout (one JSON object for one input, JSON Lines for several).")] = "out",
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", metavar="FORMAT", help="json, jsonl (one line per document) or yaml.")] = OutFormat.json,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Parse documents into an outline tree with responsibility notes and targets.

    Reads UTF-8 (with or without BOM), UTF-16 with BOM and GB18030/GBK; the encoding used is
    recorded in the output. Writes out/<name>.json per input (atomically: never a half-written
    file) and prints a summary table to stderr. A file that cannot be read gets one line naming
    it and the cause; the others are still parsed; the exit status is then 1.

    \b
    Examples:
      policyparse parse seeds/*.txt
      policyparse parse plan.txt --out - | jq '.targets[].raw'
      policyparse parse seeds/ --out - --format jsonl | jq -c '{source, title}'
    """
    console = stderr_console()
    rows: list[tuple[str, dict[str, Any] | None]] = []
    batch = Batch(console, quiet=quiet, debug=debug, on_fail=lambda p: rows.append((p, None)))
    files = batch.expand(paths)
    if not files:
        if not batch.failed:
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
    items = [(f, None if to_stdout else str(targets[f])) for f in files]
    first_yaml = True

    def write(path: str, payload: tuple[str | None, dict[str, Any]]) -> None:
        nonlocal first_yaml
        text, summary = payload
        if to_stdout:
            if fmt_name == "yaml" and not first_yaml:
                sys.stdout.write("---\n")
            first_yaml = False
            sys.stdout.write(text)
            sys.stdout.flush()
        summary["output"] = "stdout" if to_stdout else str(targets[path])
        rows.append((path, summary))

    batch.run(job, items, jobs, on_result=write, label="parsing",
              interrupt_message="interrupted: outputs written so far are complete; no partial files were left")

    if not quiet:
        _summary_table(console, rows)
    batch.finish()


def _summary_table(console, rows) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=None, show_edge=False, pad_edge=False)
    for col in ("document", "encoding", "sections", "units", "targets", "warnings", "output"):
        numeric = col in ("sections", "units", "targets", "warnings")
        table.add_column(col, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric)
    for path, s in rows:
        if s is None:
            table.add_row(escape(path), "[red]failed[/red]", "", "", "", "", "")
        else:
            table.add_row(escape(path), s["encoding"], str(s["sections"]), str(s["units"]), str(s["targets"]),
                          str(s["warnings"]), escape(s["output"]))
    console.print(table)
