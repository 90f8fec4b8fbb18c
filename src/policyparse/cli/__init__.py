"""The command line: a thin Typer layer over the library, one module per command.

    cli/app.py      the Typer app and the root options (--version, -h)
    cli/common.py   what the commands share: option types, the stderr console, the batch loop
    cli/<name>.py   one command each (parse, targets, schema, …)

A new command is a module that imports `app` from .app, decorates its function with
`@app.command()`, and is named in COMMANDS below.
"""
from __future__ import annotations

import importlib

from .app import app

# The command modules, in the order `--help` lists them.
COMMANDS = ["parse", "targets", "review", "text", "duties", "check", "diff", "eval", "export", "schema"]
for _name in COMMANDS:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app()


__all__ = ["app", "main", "COMMANDS"]
