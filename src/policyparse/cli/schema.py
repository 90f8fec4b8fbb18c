"""`policyparse schema`: write (or check) the JSON Schemas generated from the models."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .common import stderr_console


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the schema files.")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the files differ from the models (for CI).")] = False,
) -> None:
    """Write the JSON Schemas generated from the models (document.schema.json, target.schema.json).

    \b
    Examples:
      policyparse schema --check
      policyparse schema --out schemas
    """
    from ..schema import check_schemas, write_schemas

    if check:
        stale = check_schemas(out)
        if stale:
            stderr_console().print("out of date: " + ", ".join(stale) + " (run `policyparse schema`)")
            raise typer.Exit(code=1)
        return
    for p in write_schemas(out):
        stderr_console().print(f"wrote {p}", markup=False)
