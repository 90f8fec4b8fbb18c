"""`policyparse export`: documents → a DuckDB database or a folder of Parquet files."""

from typing import Annotated

import typer

from .root import app
from .common import Batch, Debug, Jobs, NoCache, Paths, Quiet, parse_cache, stderr_console


@app.command()
def export(
    paths: Paths,
    to: Annotated[str, typer.Option("--to", "-t", metavar="DB|DIR/", show_default=False,
                                    help="A DuckDB file (created if missing), or a folder (ending in '/' or existing) for Parquet files, one per table.")],
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
    no_cache: NoCache = False,
    rewrite: Annotated[bool, typer.Option("--rewrite", help="Write every document's rows again, also those the target already holds unchanged (the same bytes at the same path, exported by this version).")] = False,
) -> None:
    """Export documents to tables: documents, sections, units, targets, warnings.

    Every table has doc_id (the sha256 of the input's bytes); sections, units and targets also
    join on section_id. Exporting a document again replaces its rows (matched by doc_id and by
    path), so re-running over a grown or edited corpus never duplicates; a document the target
    holds unchanged (same bytes, same path, same policyparse) is skipped, so re-exporting a
    corpus after adding a file writes only that file. The schema and example queries are in the
    README (Export).

    \b
    Examples:
      policyparse export seeds/*.txt --to corpus.duckdb
      policyparse export docs/ --to parquet/
      python -c "import duckdb; duckdb.sql(\\"SELECT year, count(*) FROM 'corpus.duckdb'.targets GROUP BY year\\").show()"
    """
    from ..cache import tool_fingerprint
    from ..errors import PolicyParseError
    from ..export import Writer, export_job, is_parquet_target

    console = stderr_console()
    batch = Batch(console, quiet=quiet, debug=debug)
    files = batch.expand(paths)
    if not files:
        if not batch.failed:
            console.print("error: no input files")
        raise typer.Exit(code=1)
    try:
        writer = Writer(to, tool_fingerprint())
    except PolicyParseError as e:
        console.print(f"error: {e}", markup=False)
        raise typer.Exit(code=1) from None
    cache = parse_cache(no_cache)
    if not rewrite:
        try:
            same = set(writer.unchanged(files))
        except PolicyParseError as e:
            console.print(f"error: {e}", markup=False)
            raise typer.Exit(code=1) from None
        files = [f for f in files if f not in same]
    try:
        batch.run(export_job, [(f, cache) for f in files], jobs,
                  on_result=lambda _path, payload: writer.add(*payload), label="exporting",
                  interrupt_message="interrupted: nothing was written; the database is as it was")
    except BaseException:
        writer.abandon()
        raise
    try:
        stats = writer.close()
    except PolicyParseError as e:   # the database could not be written (locked by another process …)
        console.print(f"error: {e}", markup=False)
        raise typer.Exit(code=1) from None
    if not quiet:
        kind = "Parquet files in" if is_parquet_target(to) else "DuckDB"
        counts = ", ".join(f"{n} {t}" for t, n in stats.rows.items() if t != "documents")
        replaced = f" ({stats.replaced} replaced their earlier rows)" if stats.replaced else ""
        unchanged = f"; {stats.unchanged} unchanged, kept as they were (--rewrite writes them again)" if stats.unchanged else ""
        console.print(f"exported {stats.documents} document(s) to {kind} {to}: {counts}{replaced}{unchanged}", markup=False)
    batch.finish()
