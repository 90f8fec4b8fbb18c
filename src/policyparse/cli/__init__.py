"""The command line: a thin Typer layer over the library, one module per command.

    cli/root.py     the Typer app and the root options (--version, -h)
    cli/common.py   what the commands share: option types, the stderr console, the batch loop
    cli/<name>.py   one command each (parse, targets, schema, …)

A new command is a module that imports `app` from .root, decorates its function with
`@app.command()`, and is named in COMMANDS below. `policyparse.cli.app` is the app with every
command registered; `policyparse COMMAND …` loads only that command's module (see app_for).
Command modules (and root.py) do not use `from __future__ import annotations`: typer reads the
signature of every command for --help, and annotations as strings made it compile and evaluate
~160 of them each time (~11% of --help).
"""
from __future__ import annotations

import atexit
import copy
import gc
import importlib
import os
import sys

# The compiled-pattern file (patterns/precompiled.py) loaded before typer is imported: typer,
# click and the stdlib modules they import (platform, email.utils …) compile ~40 stdlib
# patterns at import, which are then cache hits too (~19 M instructions of every start).
from .. import patterns  # noqa: F401,I001 - imported for its effect, before root imports typer
from . import root

# The command modules, in the order `--help` lists them.
COMMANDS = ["parse", "targets", "review", "text", "duties", "check", "diff", "eval", "export", "schema"]


def __getattr__(name: str):
    if name == "app":
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command_name(command) -> str:
    from typer.main import get_command_name

    return command.name or get_command_name(command.callback.__name__)


def whole_app():
    """The Typer app with every command registered, listed in COMMANDS' order (whichever
    command's module was loaded first)."""
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}")
    root.app.registered_commands.sort(key=lambda c: COMMANDS.index(_command_name(c)))
    return root.app


def main() -> None:
    # At exit the interpreter's teardown runs the cyclic collector over every object still alive:
    # three full passes over the modules, typer's objects and the compiled patterns, ~6 ms of a
    # one-file parse. gc.freeze() at exit moves them all to the permanent generation, which no
    # collection walks; the rest of the exit is as before (the other atexit handlers run, the
    # standard streams are flushed, modules are torn down). What a cycle holds is then not
    # finalized, only freed with the process: every file this tool writes is closed explicitly.
    atexit.register(gc.freeze)
    app_for(sys.argv[1:])()


def app_for(args: list[str]):
    """The app to run for these arguments. `policyparse parse …` needs only the parse command:
    importing the ten command modules costs ~2 ms, and typer builds the click command of every
    registered command before it looks at the arguments (reading all their signatures, ~20 ms),
    so an invocation that names a command first loads that command's module alone and gets an
    app holding that command alone; the root options, --help, completion and anything else get
    the whole app. (The root takes no option with a value, so a first argument that is a command
    name is that command.) tests/test_cli_startup.py checks that every command's help and errors
    come out the same either way."""
    name = args[0] if args else ""
    if name not in COMMANDS or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return whole_app()
    importlib.import_module(f"{__name__}.{name}")
    only = copy.copy(root.app)
    only.registered_commands = [c for c in root.app.registered_commands if _command_name(c) == name]
    return only


__all__ = ["app", "app_for", "whole_app", "main", "COMMANDS"]
