"""`policyparse review`: documents → one self-contained HTML review page each, and an index."""

from pathlib import Path
from typing import Annotated

import typer

from .root import app
from .common import Batch, Debug, Jobs, Quiet, check_out_dir, stderr_console, usage_error


def _review_job(path: str, out_path: str) -> dict:
    """Parse one file and write its page (in the worker, so pages are written in parallel)."""
    from ..review import review_file

    return review_file(path, out_path)


@app.command()
def review(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATHS...", show_default=False,
        help="Documents, JSON files written by `parse`, folders (every supported file inside) or globs.")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Folder for the pages: DIR/<name>.html per input and DIR/index.html.")] = "out",
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Write a review page per document: its text with every target and responsibility note marked.

    Each page (DIR/<name>.html) is one self-contained file (inline CSS and script, nothing
    fetched) that opens from disk in any browser and prints cleanly: the outline as a tree, the
    full text with each target coloured by how its year was found (stated, carried, period,
    horizon), each responsibility note and numbering warning where it stands, a card on hover,
    and a table of targets that sorts, filters by year, unit and text, and scrolls to the mark
    on click. DIR/index.html lists the batch with its counts. A document named index gets
    index-page.html. PATHS may also be JSON files written by `parse`: their pages show the
    source text named in them, read again (an error if it changed since). `policyparse parse
    --review` writes the pages beside the JSON in the same run.

    \b
    Examples:
      policyparse review seeds/*.txt              # out/<name>.html and out/index.html
      policyparse review plan.txt --out review/ && xdg-open review/plan.html
      policyparse review out/*.json --out review/   # pages for what `parse` wrote
    """
    if out == "-":
        raise usage_error("--out -: review pages are files; name a folder")
    check_out_dir(out)
    from ..review import INDEX, write_index

    console = stderr_console()
    failed: list[str] = []
    batch = Batch(console, quiet=quiet, debug=debug, on_fail=failed.append)
    from ..readers import SUPPORTED_SUFFIXES

    files = batch.expand(paths, suffixes=(*SUPPORTED_SUFFIXES, ".json"))
    if not files:
        if not batch.failed:
            console.print("error: no input files")
        raise typer.Exit(code=1)
    from ..outputs import output_paths

    pages, refused = output_paths(paths, files, Path(out), ".html", reserved=(Path(INDEX).stem,))
    for f, why in refused:
        batch.fail(f, why)
    files = [f for f in files if f in pages]
    rows: list[dict] = []
    from ..review import page_href

    def keep(path: str, row: dict) -> None:
        rows.append(dict(row, href=page_href(pages[path], out)))

    batch.run(_review_job, [(f, str(pages[f])) for f in files], jobs, on_result=keep,
              label="reviewing", interrupt_message="interrupted: pages written so far are complete")
    index = write_index(rows, out, failed)
    if not quiet:
        console.print(f"wrote {len(rows)} review page(s) and {index}", markup=False, soft_wrap=True)
    batch.finish()
