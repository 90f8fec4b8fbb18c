"""`policyparse schema`: write (or check, or print) the JSON Schemas generated from the models."""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .root import app
from .common import stderr_console, usage_error


def _in_checkout() -> bool:
    """Is the working folder a policyparse checkout (whose schemas/ the default refers to)?"""
    try:
        return 'name = "policyparse"' in Path("pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False


@app.command()
def schema(
    out: Annotated[Optional[str], typer.Option("--out", "-o", metavar="DIR", help="Folder for the schema files, or '-' to print them all as one JSON object. Default: schemas/ in a policyparse checkout.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the files differ from the models (for CI).")] = False,
) -> None:
    """Write the JSON Schemas of every output, generated from the models: document.schema.json
    (parse), target.schema.json (one target), target_row.schema.json (a row of `targets`).

    \b
    Examples:
      policyparse schema --check                  # in a checkout: are schemas/ current?
      policyparse schema --out -  | jq keys       # print them, anywhere
      policyparse schema --out my-schemas/
    """
    from ..schema import all_schemas, check_schemas, write_schemas

    if out == "-":
        if check:
            raise usage_error("--check compares files: give --out DIR (or nothing, in a checkout)")
        import json

        sys.stdout.write(json.dumps(all_schemas(), ensure_ascii=False, indent=2) + "\n")
        return
    if out is None:
        if not _in_checkout():
            raise usage_error("not in a policyparse checkout, so there is no schemas/ folder to use: "
                              "give --out DIR, or --out - to print the schemas")
        out = "schemas"
    if check:
        stale = check_schemas(Path(out))
        if stale:
            stderr_console().print("out of date: " + ", ".join(stale) + " (run `policyparse schema`)")
            raise typer.Exit(code=1)
        return
    for p in write_schemas(Path(out)):
        stderr_console().print(f"wrote {p}", markup=False)
