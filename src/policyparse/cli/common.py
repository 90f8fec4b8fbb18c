"""What the commands share: option types, the stderr console, progress, failures, the batch loop.

Every command that reads documents takes the same PATHS argument and the same --jobs, --quiet and
--debug options (declared once here), and runs its per-file job through `run_batch`, which
reports each failure in one line, shows progress on a terminal and handles Ctrl-C.
"""
from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any, Callable, Optional

import typer

# ---- options shared by the commands ----------------------------------------------------------------

Paths = Annotated[list[str], typer.Argument(
    metavar="PATHS...", show_default=False,
    help="Files, folders (every supported file inside, recursively) or globs.")]
OptionalPaths = Annotated[Optional[list[str]], typer.Argument(
    metavar="[PATHS]...", show_default=False,
    help="Source texts, JSON files written by `parse`, folders or globs. Default: out/*.json.")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=0, metavar="N",
                                   help="Worker processes; 0 = the number of cores.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Parse every file again; neither read nor write the cache "
    "($POLICYPARSE_CACHE_DIR, else $XDG_CACHE_HOME/policyparse, else ~/.cache/policyparse).")]


def parse_cache(no_cache: bool):
    """The parse cache the per-file jobs read and fill (disabled by --no-cache)."""
    from ..cache import Cache

    return Cache(enabled=not no_cache)
MaxSize = Annotated[Optional[float], typer.Option(
    "--max-size", min=0, metavar="MB",
    help="Refuse an input larger than this many MB (default: 1 GiB for text and web pages, 512 MiB for Word and PDF).")]
Timeout = Annotated[float, typer.Option(
    "--timeout", min=0, metavar="SECONDS",
    help="A file that takes longer is reported and skipped, and the batch goes on; 0 = no limit.")]


class RowFormat(str, Enum):
    """How a command that prints rows prints them."""
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"


RowFormatOption = Annotated[Optional[RowFormat], typer.Option(
    "--format", "-f", metavar="FORMAT",
    help="table (default on a terminal), json (default when piped), jsonl, csv (UTF-8 with BOM, for Excel/WPS) or yaml.")]


def row_format(fmt: Optional[RowFormat]) -> str:
    """The format asked for, else a table on a terminal and JSON in a pipe."""
    return fmt.value if fmt else ("table" if sys.stdout.isatty() else "json")


def stdout_console():
    from rich.console import Console

    # piped or redirected: wide enough for Chinese titles rather than rich's 80 columns
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def write_rows(rows: list[dict[str, Any]], fmt_name: str, *, table: Callable[[list[dict[str, Any]]], None],
               columns: list[str] | Callable[[], list[str]],
               csv_row: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> None:
    """Rows on stdout in a RowFormat: `table` prints the table form, CSV writes `columns` of
    `csv_row(row)`, the others (json, jsonl, yaml) the rows as plain data. `columns` may be a
    function, called for CSV only (e.g. columns read from a pydantic model, not imported otherwise)."""
    if fmt_name == "table":
        table(rows)
    elif fmt_name == "csv":
        from ..emit import to_csv

        sys.stdout.write(to_csv((csv_row(r) for r in rows), columns() if callable(columns) else columns))
    else:
        from ..emit import dumps, plain

        # json and jsonl write tuples as lists themselves; only YAML needs JSON types (a round
        # trip through orjson, which on 42,000 target rows cost more than writing them)
        sys.stdout.write(dumps(plain(rows) if fmt_name == "yaml" else rows, fmt_name))


def print_table(columns: list[str], rows: list[list[str]]) -> None:
    """The `table` format of every command that prints rows: plain strings, escaped, folded."""
    if not rows:
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for cells in rows:
        table.add_row(*(escape(c) for c in cells))
    stdout_console().print(table)


# ---- the console, progress and failures --------------------------------------------------------------

class _StderrConsole:
    """rich's Console on stderr, made on first use: importing rich costs ~25 ms, and a command that
    prints nothing there (or only a plain summary, see plain_table) should not pay for it."""

    def __init__(self) -> None:
        self._console = None

    def rich_console(self):
        """The Console itself, for rich objects that take one (Progress)."""
        if self._console is None:
            from rich.console import Console

            # a log file or CI output gets 120 columns rather than rich's default of 80
            self._console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)
        return self._console

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_console":   # copy/pickle probing a bare instance
            raise AttributeError(name)
        return getattr(self.rich_console(), name)


def stderr_console():
    return _StderrConsole()


# Characters whose width in a terminal cell is certain (rich measures them the same way: see
# tests/test_cli_coercion.py): printable ASCII 1, CJK ideographs and fullwidth forms 2.
_WIDE = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF01, 0xFF60), (0xFFE0, 0xFFE6))


def _cell_width(text: str) -> int | None:
    """Terminal cells of text; None when it holds a character outside the two certain classes."""
    width = 0
    for ch in text:
        o = ord(ch)
        if 0x20 <= o < 0x7F:
            width += 1
        elif any(lo <= o <= hi for lo, hi in _WIDE):
            width += 2
        else:
            return None
    return width


def plain_table(columns: list[str], rows: list[list[str]], *, right: set[int], section_before: int) -> str | None:
    """The text rich prints for Table(show_edge=False, pad_edge=False) off a terminal (no colour,
    no folding), for plain cells, with a section line before row `section_before`: so a summary
    on stderr in a log or a pipe needs no rich. None when rich must render it: a cell with another
    kind of character, with `:…:` (rich may read an emoji code) or a backslash (rich's markup
    escaping doubles a trailing one), or a table over 10,000 columns."""
    import re

    table = [columns, *rows]
    widths = [0] * len(columns)
    for row in table:
        for i, cell in enumerate(row):
            w = _cell_width(cell)
            if w is None or re.search(r":\S*:|\\", cell):
                return None
            widths[i] = max(widths[i], w)
    if sum(widths) + 3 * (len(widths) - 1) > 10_000:
        return None
    last = len(columns) - 1

    def line(cells: list[str], bar: str) -> str:
        out = []
        for i, (cell, w) in enumerate(zip(cells, widths)):
            pad = " " * (w - _cell_width(cell))
            cell = pad + cell if i in right else cell + pad
            out.append(("" if i == 0 else " ") + cell + ("" if i == last else " "))
        return bar.join(out)

    def rule(fill: str, cross: str) -> str:
        return cross.join(fill * (w + (i > 0) + (i < last)) for i, w in enumerate(widths))

    lines = [line(columns, "┃"), rule("━", "╇")]
    for n, row in enumerate(rows):
        if n == section_before and n:      # as rich's add_section: a line under the row before
            lines.append(rule("─", "┼"))
        lines.append(line(row, "│"))
    return "\n".join(lines) + "\n"


def progress_bar(total: int, quiet: bool):
    """A rich progress bar on stderr for batches of more than a few files on a terminal."""
    if quiet or total <= 3 or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=stderr_console().rich_console(), transient=True)


def report_failure(console, path: str, error: str, detail: str | None, debug: bool) -> None:
    from rich.markup import escape

    from ..errors import display_name

    # names and causes as printable text: no raw escape sequence from a file name reaches the terminal
    console.print(f"[red]error[/red] {escape(display_name(path))}: {escape(display_name(error))}", markup=True,
                  soft_wrap=True)
    if debug and detail:
        console.print(detail, markup=False, soft_wrap=True)


def interrupted(console, progress, message: str) -> None:
    """Ctrl-C: ignore further Ctrl-C, stop the workers, say so, and leave at once with 130.

    os._exit skips the interpreter's shutdown, where multiprocessing may wait forever on a
    worker killed mid-message; every output already written is complete (atomic writes)."""
    import os
    import signal

    from .. import batch

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


def usage_error(message: str) -> typer.Exit:
    """One line on stderr and exit status 2, as for any usage error."""
    stderr_console().print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code=2)


def check_out_dir(out: str) -> None:
    """Before any input is read: an --out that is a file, or a folder that cannot be created or
    written, is one usage error (exit 2), not one error per input. Nothing is created here."""
    import os
    from pathlib import Path

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise usage_error(f"--out {out}: is a file, not a folder (name a folder, or '-' for stdout)")
    existing = folder
    while not existing.exists():            # the nearest ancestor that exists must be a writable folder
        existing = existing.parent
    if not existing.is_dir():
        raise usage_error(f"--out {out}: cannot create a folder under the file {existing}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise usage_error(f"--out {out}: {'the folder' if existing == folder else existing} is not writable")


def load_parsed(path: str, json_ok: bool = True):
    """(Document, source text) for a source file; (Document, None) for a JSON file written by
    `parse` (when json_ok). Raises InputError naming the file and the cause. For the analyses
    (duties, check, diff), which need the model and, for lines and declared aliases, the text."""
    from ..model import Document

    if json_ok and path.lower().endswith(".json"):
        from pathlib import Path

        from ..errors import InputError
        from .targets import _first_problem

        try:
            return Document.from_json(Path(path).read_bytes()), None
        except OSError as e:
            raise InputError(path, e.strerror or str(e)) from None
        except ValueError as e:
            raise InputError(path, f"not a policyparse JSON document: {_first_problem(e)}") from None
    from ..normalize import drop_bom
    from ..pipeline import read_and_parse

    text, record = read_and_parse(path)
    return Document.model_validate(record), drop_bom(text)


# ---- the batch loop ----------------------------------------------------------------------------------

class Batch:
    """Run a per-file job over inputs in worker processes, handing each success on in input order.

    Failures (the expansion's and the job's) are reported as they come, one line each, and
    counted in `failed`; `finish()` ends the command with exit status 1 when anything failed.

        batch = Batch(console, quiet=quiet, debug=debug)
        files = batch.expand(paths)
        batch.run(job, [(f,) for f in files], jobs, on_result=keep, label="reading")
        batch.finish()
    """

    def __init__(self, console, *, quiet: bool, debug: bool, on_fail: Callable[[str], None] | None = None):
        self.console, self.quiet, self.debug = console, quiet, debug
        self.on_fail = on_fail      # called with the path of each failed input (e.g. a summary row)
        self.failed = 0

    def fail(self, path: str, error: str, detail: str | None = None) -> None:
        self.failed += 1
        report_failure(self.console, path, error, detail, self.debug)
        if self.on_fail:
            self.on_fail(path)

    def expand(self, paths: list[str], suffixes: tuple[str, ...] | None = None) -> list[str]:
        from ..readers import expand_paths, stdin_bytes

        files, errors = expand_paths(paths) if suffixes is None else expand_paths(paths, suffixes=suffixes)
        for e in errors:
            self.fail(e.path, e.cause)
        if "-" in files:
            stdin_bytes()   # read standard input here, once: forked workers see the same bytes
        return files

    def run(self, job: Callable[..., Any], items: list[tuple], jobs: int, on_result: Callable[[str, Any], None], *,
            label: str = "parsing", interrupt_message: str = "interrupted", runner: Callable | None = None,
            timeout: float | None = None, known: Callable[[tuple], Any] | None = None) -> None:
        """Call on_result(path, payload) for each success, in input order. Ctrl-C anywhere in
        here, in a worker or in on_result, stops the batch with status 130 (see `interrupted`).
        `runner(job, items, jobs)` replaces the local process pool (batch.run), e.g. with Dask;
        `known(item)` answers an item in this process without running its job (batch.run)."""
        from .. import batch

        progress = progress_bar(len(items), self.quiet)
        task = progress.add_task(label, total=len(items)) if progress else None
        try:
            if progress:
                progress.start()
            limit = batch.DEFAULT_TIMEOUT if timeout is None else (timeout or None)   # 0: no limit
            if limit is not None and limit < 10:
                # a short budget is not to be spent importing: the pipeline is loaded before any
                # file's clock starts (workers fork from here); otherwise it stays lazy, so a
                # re-run served from the cache never loads it
                from .. import pipeline  # noqa: F401

            def local(job, items, jobs):
                return batch.run(job, items, jobs, timeout=limit, known=known)

            for res in (runner or local)(job, items, jobs or batch.default_jobs()):
                if progress:
                    progress.advance(task)
                if res.error is not None:
                    self.fail(res.path, res.error, res.detail)
                else:
                    on_result(res.path, res.payload)
        except KeyboardInterrupt:
            interrupted(self.console, progress, interrupt_message)
        finally:
            if progress:
                progress.stop()

    def finish(self) -> None:
        if self.failed:
            self.console.print(f"{self.failed} input(s) failed")
            raise typer.Exit(code=1)
