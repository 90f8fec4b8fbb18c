"""`policyparse diff OLD NEW`: what changed between two versions of a document."""

import sys
from enum import Enum
from typing import Annotated

import typer

from .root import app
from .common import Debug, load_parsed, report_failure, stderr_console
from .duties import AliasesOption, user_aliases


class DiffFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", show_default=False, help="The earlier version: a source file or a JSON file written by `parse`.")],
    new: Annotated[str, typer.Argument(metavar="NEW", show_default=False, help="The later version.")],
    aliases: AliasesOption = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", metavar="FORMAT", help="text (what was, what is, where) or json (a list of changes).")] = DiffFormat.text,
    debug: Debug = False,
) -> None:
    """What changed between two versions (a 征求意见稿 and the final text): headings added,
    removed, renamed or moved; targets added, removed or changed (value, year, comparator,
    unit); notes whose units changed. Sections are matched by title (similar titles too), not
    by number or position, so renumbering and reordering are followed; whitespace and line
    breaks alone change nothing.

    Exit status: 0 the same, 1 different, 2 a usage error or an input that could not be read.

    \b
    Examples:
      policyparse diff draft.txt final.txt
      policyparse diff draft.txt final.txt --format json | jq -r '.[] | "\\(.change) \\(.what) \\(.path | join(""))"'
    """
    from ..diff import diff_documents, format_change
    from ..errors import PolicyParseError

    user = user_aliases(aliases)
    console = stderr_console()
    loaded = []
    for path in (old, new):
        try:
            loaded.append(load_parsed(path))
        except PolicyParseError as e:
            report_failure(console, getattr(e, "path", path), getattr(e, "cause", str(e)), None, debug)
            raise typer.Exit(code=2) from None
    (old_doc, old_text), (new_doc, new_text) = loaded
    from ..aliases import Aliases

    old_aliases = Aliases.for_text(old_text or "", user=user)
    new_aliases = Aliases.for_text(new_text or "", user=user)
    changes = diff_documents(old_doc, new_doc, old_text, new_text, old_aliases, new_aliases)
    if fmt == DiffFormat.json:
        from ..emit import dumps

        sys.stdout.write(dumps(changes, "json"))
    elif changes:
        sys.stdout.write(f"--- {old}\n+++ {new}\n")
        for c in changes:
            sys.stdout.write(format_change(c, old, new) + "\n\n")
    if changes:
        raise typer.Exit(code=1)
