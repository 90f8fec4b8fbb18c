"""The command line: a thin Typer layer over the library, one module per command.

    cli/app.py      the Typer app and the root options (--version, -h)
    cli/common.py   what the commands share: option types, the stderr console, the batch loop
    cli/<name>.py   one command each (parse, targets, schema, …)

A new command is a module that imports `app` from .app, decorates its function with
`@app.command()`, and is named in COMMANDS below. Command modules (and app.py) do not use
`from __future__ import annotations`: typer reads the signature of every command for --help, and
annotations as strings made it compile and evaluate ~160 of them each time (~11% of --help).
"""
from __future__ import annotations

import copy
import importlib
import os
import sys

from .app import app

# The command modules, in the order `--help` lists them.
COMMANDS = ["parse", "targets", "review", "text", "duties", "check", "diff", "eval", "export", "schema"]
for _name in COMMANDS:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app_for(sys.argv[1:])()


def app_for(args: list[str]):
    """The app to run for these arguments. `policyparse parse …` needs only the parse command:
    typer builds the click command of every registered command before it looks at the arguments
    (reading all their signatures, ~20 ms), so an invocation that names a command first gets an
    app holding that command alone; the root options, --help, completion and anything else get
    the whole app. (The root takes no option with a value, so a first argument that is a command
    name is that command.) tests/test_cli_startup.py checks that every command's help and errors
    come out the same either way."""
    name = args[0] if args else ""
    if name not in COMMANDS or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return app
    from typer.main import get_command_name

    only = copy.copy(app)
    only.registered_commands = [c for c in app.registered_commands
                                if (c.name or get_command_name(c.callback.__name__)) == name]
    return only


__all__ = ["app", "app_for", "main", "COMMANDS"]
