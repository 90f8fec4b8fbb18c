"""`policyparse parse`: documents → one JSON (or YAML) record each, with a summary on stderr."""

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .root import app
from ..errors import display_name
from ..outputs import output_paths
from .common import (Batch, Debug, Jobs, MaxSize, NoCache, Paths, Quiet, Timeout, check_out_dir, parse_cache,
                     plain_table, stderr_console, usage_error)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class OutFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"
    csv = "csv"


# ---- the job, run in worker processes (module level, so it pickles) ------------------------------

def _parse_job(path: str, out_path: str | None, review_path: str | None = None, *, fmt: str, indent: int | None,
               cache=None, index=None) -> tuple[str | None, dict[str, Any]]:
    """Parse one file (or take its output from the cache); write it to out_path (atomically,
    in the worker, so writing runs in parallel too; not rewritten when the file already holds
    these bytes) or return the text for stdout. With review_path, write the review page too.
    With `index` (cache.OutputIndex, when out_path is a file), the summary also says what was
    read, so that the parent can note what out_path holds and the next run find it by stats."""
    from ..cache import cached_output, read_record

    index_row = None
    render = functools.partial(_render, fmt=fmt, indent=indent)
    if review_path is not None:
        from ..readers import read_path
        from ..review import write_page

        record = read_record(path, cache)[0]
        index_row = write_page(record, read_path(path).text, review_path)
        text, summary = _render(record, fmt, indent)
    elif index is not None and out_path is not None and path != "-":
        return _indexed_job(path, out_path, cache, index, render)
    else:
        text, summary = cached_output(path, cache, {"format": fmt, "indent": indent}, render)
    if out_path is not None:
        if not _holds(out_path, text):
            _write(out_path, text)
        text = None
    if index_row is not None:
        summary = {**summary, "index_row": index_row}
    return text, summary


def _indexed_job(path: str, out_path: str, cache, index, render) -> tuple[None, dict[str, Any]]:
    """_parse_job for an input the parent did not find unchanged by its stats: a touched input
    whose bytes and output are still those of its index entry costs a hash; otherwise its output
    comes from the content-hash cache or a parse, and is written unless the file already holds
    it. The summary carries what the parent records in the index (STATE_KEY)."""
    import time

    from ..cache import cached_output, content_id, file_state, read_input, read_record, settled_state

    since = time.time_ns()
    before = file_state(path)
    data = read_input(path)
    doc_id = content_id(data) if data is not None else None
    entry = index.lookup(path, out_path) if doc_id is not None else None
    if data is None:   # missing, unreadable, a device, too large: the reader names the cause
        text, summary = render(read_record(path, cache)[0])
        if not _holds(out_path, text):
            _write(out_path, text)
    elif entry is not None and entry[2] == doc_id and entry[1] == file_state(out_path):
        summary = dict(entry[3])
    else:
        text, summary = cached_output(path, cache, index.options, render, doc_id=doc_id, data=data, before=before)
        if not _holds(out_path, text):
            _write(out_path, text)
    return None, {**summary, STATE_KEY: (settled_state(path, since, before), doc_id)}


# The summary key of what a job read (the input's trusted stat and doc id), for the parent's index.
STATE_KEY = "_input_state"


def _write(out_path: str, text: str) -> None:
    from ..emit import write_atomic

    write_atomic(Path(out_path), text)


def _render(record: dict, fmt: str, indent: int | None) -> tuple[str, dict[str, Any]]:
    """A record's output text in the format asked for, and its summary row."""
    from ..emit import SECTION_COLUMNS, plain, record_json, section_rows, to_csv, to_yaml

    if fmt == "yaml":
        text = to_yaml(plain(record))
    elif fmt == "csv":
        text = to_csv(section_rows(record), SECTION_COLUMNS)
    else:
        text = record_json(record, indent=indent)
    if not text.endswith("\n"):
        text += "\n"
    sections = list(_walk_sections(record["sections"]))
    summary = {
        "encoding": record["encoding"], "sections": len(sections),
        "units": sum(1 for s in sections if s["units"] is not None),
        "targets": len(record["targets"]), "warnings": len(record["warnings"]),
    }
    return text, summary


def _holds(path: str, text: str) -> bool:
    """Whether the file already holds exactly this text (a re-run over unchanged inputs)."""
    try:
        with open(path, "rb") as fh:
            return fh.read() == text.encode("utf-8")
    except OSError:
        return False


def _walk_sections(sections: list[dict]):
    """Every section record, depth first (like Document.iter_sections)."""
    for s in sections:
        yield s
        yield from _walk_sections(s["children"])


# ---- the command -----------------------------------------------------------------------------------

@app.command()
def parse(
    paths: Paths,
    out: Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Output folder, or '-' for stdout (one JSON object for one input, JSON Lines for several).")] = "out",
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", metavar="FORMAT", help="json, jsonl (one line per document), yaml, or csv (one row per section with its responsibility note).")] = OutFormat.json,
    review: Annotated[bool, typer.Option("--review", help="Also write a review page per input beside its output (DIR/<name>.html, the text with every extraction marked) and DIR/index.html; see `policyparse review`.")] = False,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
    no_cache: NoCache = False,
    engine: Annotated[Engine, typer.Option("--engine", metavar="ENGINE", help="local (a process pool on this machine) or dask (a Dask cluster: pip install 'policyparse[dask]').")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="With --engine dask: the scheduler to use (tcp://host:8786); default: a local cluster of --jobs workers.")] = None,
    timeout: Timeout = 60.0,
    max_size: MaxSize = None,
) -> None:
    """Parse documents into an outline tree with responsibility notes and targets.

    Reads text files (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), web pages
    (.html/.htm), Word (.docx; .doc/.wps through LibreOffice) and PDF with a text layer, or
    standard input as '-' (format sniffed); the format and encoding are recorded in the output,
    and `policyparse text FILE` prints the text every span indexes. Writes out/<name>.json per
    input (atomically: never a half-written file; a folder's subfolders are mirrored under out/,
    and no output replaces an input or another input's output) and prints a summary table to
    stderr. A file that cannot be read, takes longer than
    --timeout or kills its worker gets one line naming it and the cause; the others are still
    parsed; the exit status is then 1.

    \b
    Examples:
      policyparse parse seeds/*.txt
      policyparse parse plan.txt --out - | jq '.targets[].raw'
      policyparse parse seeds/ --out - --format jsonl | jq -c '{source, title}'
      policyparse parse docs/ --engine dask --scheduler tcp://10.0.0.5:8786
      policyparse parse seeds/*.txt --review      # and out/<name>.html, out/index.html
    """
    if review and out == "-":
        raise usage_error("--review writes pages beside the output files: name an --out folder, not '-'")
    if out != "-":
        check_out_dir(out)
    if max_size is not None:
        from .. import readers

        readers.max_size_override = int(max_size * 1_000_000)   # set before the workers fork
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
    suffix = {"yaml": ".yaml", "json": ".json", "jsonl": ".jsonl", "csv": ".csv"}[fmt_name]
    reserved = ("index",) if review else ()      # the review's index.html
    targets: dict[str, Path] = {}
    if not to_stdout:
        from ..emit import remove_stale_temporaries

        remove_stale_temporaries(Path(out))   # left by a run killed outright (SIGKILL)
        targets, refused = output_paths(paths, files, Path(out), suffix, reserved=reserved)
        for f, why in refused:
            batch.fail(f, why)
        files = [f for f in files if f in targets]
    pages = output_paths(paths, files, Path(out), ".html", reserved=reserved)[0] if review else {}

    cache = parse_cache(no_cache)
    job_fmt = "json" if fmt_name == "jsonl" else fmt_name
    index = None
    if cache.enabled and not to_stdout and not review and engine is Engine.local:
        from ..cache import OutputIndex

        index = OutputIndex(cache, {"format": job_fmt, "indent": indent}, out)
    job = functools.partial(_parse_job, fmt=job_fmt, indent=indent, cache=cache, index=index)
    runner = None
    if engine is Engine.dask:  # the workers return the text; this process writes the files
        runner = _dask_runner(console, scheduler)
    elif scheduler:
        raise usage_error("--scheduler needs --engine dask")
    local_writes = not to_stdout and runner is None
    if review and runner is not None:
        raise usage_error("--review writes the pages where it runs: use it without --engine dask")
    items = [(f, str(targets[f]) if local_writes else None, str(pages[f]) if review else None) for f in files]
    first = True

    def write(path: str, payload: tuple[str | None, dict[str, Any]]) -> None:
        nonlocal first
        text, summary = payload
        if to_stdout:
            if fmt_name == "yaml" and not first:
                sys.stdout.write("---\n")
            elif fmt_name == "csv" and not first:
                text = text.split("\r\n", 1)[1]     # one header (and BOM) for the whole stream
            first = False
            sys.stdout.write(text)
            sys.stdout.flush()
        elif text is not None and not _holds(str(targets[path]), text):
            from ..emit import write_atomic

            write_atomic(targets[path], text)
        if index is not None and STATE_KEY in summary:
            state, doc_id = summary.pop(STATE_KEY)
            index.note(path, str(targets[path]), state, doc_id, summary)
        summary["output"] = "stdout" if to_stdout else str(targets[path])
        rows.append((path, summary))


    def known(item: tuple) -> tuple[None, dict[str, Any]] | None:
        """An input whose output file is as this tool wrote it from these very bytes: its
        summary row, found by stats alone in this process (no worker, nothing read or parsed)."""
        summary = index.unchanged(item[0], item[1])
        return None if summary is None else (None, summary)

    batch.run(job, items, jobs, on_result=write, label="parsing", runner=runner, timeout=timeout,
              known=known if index is not None else None,
              interrupt_message="interrupted: outputs written so far are complete; no partial files were left")
    if index is not None:
        index.save()
    if review:
        from ..review import page_href, write_index

        write_index([dict(s.pop("index_row"), href=page_href(pages[p], out)) for p, s in rows if s is not None], out,
                    [p for p, s in rows if s is None])

    if not quiet:
        _summary_table(console, rows)
    batch.finish()


def _dask_runner(console, scheduler: str | None):
    """batch.run's stand-in for --engine dask: the jobs on a Dask cluster, results in order."""
    from ..errors import PolicyParseError

    try:
        from ..engines import dask as dask_engine

        client_holder = []

        def runner(job, items, jobs):
            if not client_holder:
                client_holder.append(dask_engine.connect(scheduler, jobs))
            try:
                yield from dask_engine.run(client_holder[0], job, items)
            finally:
                dask_engine.close(client_holder[0], owned=scheduler is None)

        dask_engine.require()
    except PolicyParseError as e:
        console.print(f"error: {e}", markup=False)
        raise typer.Exit(code=2) from None
    return runner


# A batch longer than this gets the failures and the totals only, not a row per file.
SUMMARY_ROWS_MAX = 30
COUNTS = ("sections", "units", "targets", "warnings")


def _summary_table(console, rows) -> None:
    """One row per document (failures marked), then a totals row; for long batches the
    failures and the totals only. Off a terminal the table is as wide as its content, so
    paths are never folded across lines in a log file (and is printed without rich when
    plain_table can: the same text)."""
    import os
    import sys

    done = [s for _, s in rows if s is not None]
    failed = len(rows) - len(done)
    shown = rows if len(rows) <= SUMMARY_ROWS_MAX else [(p, s) for p, s in rows if s is None]
    columns = ["document", "encoding", *COUNTS, "output"]
    cells = [[display_name(path), "failed", "", "", "", "", ""] if s is None else
             [display_name(path), s["encoding"], *(str(s[c]) for c in COUNTS), display_name(s["output"])]
             for path, s in shown]
    totals = f"total: {len(done)} parsed" + (f", {failed} failed" if failed else "")
    cells.append([totals, "", *(str(sum(s[c] for s in done)) for c in COUNTS), ""])
    # rich colours a terminal, or any stream when TTY_COMPATIBLE=1 / FORCE_COLOR is set
    plain = not sys.stderr.isatty() and os.environ.get("TTY_COMPATIBLE", "0") == "0" \
        and "FORCE_COLOR" not in os.environ and (sys.stderr.encoding or "").lower().startswith("utf")
    text = plain_table(columns, cells, right={columns.index(c) for c in COUNTS}, section_before=len(cells) - 1) \
        if plain else None
    if text is not None:
        sys.stderr.write(text)
        sys.stderr.flush()
        return

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    if not sys.stderr.isatty():
        console = Console(stderr=True, highlight=False, width=10_000)
    table = Table(title=None, show_edge=False, pad_edge=False, expand=False)
    for col in columns:
        numeric = col in COUNTS
        table.add_column(col, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric)
    for (path, s), row in zip(shown, cells):
        if s is None:
            table.add_row(escape(row[0]), "[red]failed[/red]", *row[2:])
        else:
            table.add_row(*(escape(c) for c in row))
    table.add_section()
    table.add_row(*cells[-1])
    console.print(table)
