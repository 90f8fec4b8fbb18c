"""The Typer application every command module registers itself on (see cli/__init__.py)."""

from typing import Annotated, Optional

import typer

from .. import __version__
from . import coercion, messages

# Help text: a "\b" paragraph is printed as written (not re-wrapped), so examples paste.
app = typer.Typer(
    help=(
        "Turn Chinese policy documents (实施意见, 行动计划, 规划, 工作要点, 政府工作报告) into structured data: "
        "the outline, who is responsible for each task, and every quantitative target.\n\n"
        "\b\nExamples:\n"
        "  policyparse parse seeds/*.txt                  # out/<name>.json, summary on stderr\n"
        "  policyparse parse plan.txt --out - | jq '.targets[].raw'\n"
        "  policyparse targets --year 2015 seeds/*.txt    # every target due in 2015\n\n"
        "Run `policyparse COMMAND --help` for a command's options and examples."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"policyparse {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """policyparse: Chinese policy documents → outline, responsibility notes, targets."""


def _arguments_as_written() -> None:
    """An argument declared with a metavar shows as that metavar: `PATHS...` in the usage line and
    the help, as in man pages, rather than typer's `{paths}...` and `<list[str]>`. Typer has no
    setting for this, so its two display methods are wrapped (tests/test_cli_polish.py pins the
    result, so a typer upgrade that changes them fails loudly)."""
    from typer.core import TyperArgument

    usage, display = TyperArgument._usage_display_name, TyperArgument.display_type_rich
    TyperArgument._usage_display_name = lambda self: self.metavar if self.metavar else usage(self)
    TyperArgument.display_type_rich = lambda self, ctx: None if self.metavar else display(self, ctx)


_arguments_as_written()
messages.install()
coercion.install()
