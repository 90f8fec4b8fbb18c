"""`policyparse check`: a linter for drafts, in the style of compilers (file:line:col: kind: message)."""

import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from .root import app
from .common import Batch, Debug, Jobs, Paths, Quiet, load_parsed, stderr_console, usage_error
from .duties import AliasesOption, user_aliases


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def _kinds(option: str, values: list[str]) -> list[str]:
    from ..check import KINDS

    kinds = [k.strip() for v in values for k in v.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise usage_error(f"{option}: unknown kind {', '.join(unknown)} (kinds: {', '.join(KINDS)})")
    return kinds


def _check_job(path: str, user: dict[str, str] | None, across: bool) -> tuple[list[dict[str, Any]], Any]:
    """The findings of one file; with --across also the document and its text for the comparison."""
    from ..aliases import Aliases
    from ..check import check_document

    if path.lower().endswith(".json"):
        from ..errors import InputError

        raise InputError(path, "check reads source documents, not parse JSON (lines and columns need the text)")
    doc, text = load_parsed(path, json_ok=False)
    findings = check_document(doc, text, Aliases.for_text(text, user=user))
    return findings, ((doc.model_dump(mode="json"), text) if across else None)


@app.command()
def check(
    paths: Paths,
    select: Annotated[Optional[list[str]], typer.Option("--select", "-s", metavar="KINDS", help="Report only these kinds (comma-separated or repeated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", "-i", metavar="KINDS", help="Do not report these kinds.")] = None,
    across: Annotated[bool, typer.Option("--across", help="Also compare the documents with each other: the same indicator due in the same year with different values (across_value).")] = False,
    aliases: AliasesOption = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", metavar="FORMAT", help="text (file:line:col: kind: message), json (a list of findings) or jsonl.")] = CheckFormat.text,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Lint drafts: numbering gaps/repeats/order, a unit both 牵头 and 配合 in one note, one
    indicator with two values for one year, a target whose year cannot be told, a note that
    names no unit, a 征求意见稿 status; with --across, conflicting values between documents.

    Kinds: gap, repeat, out_of_order, numbering, lead_and_support, conflicting_value,
    unclear_year, no_unit, draft, across_value. Exit status: 0 nothing found, 1 something
    found, 2 a usage error or an input that could not be read.

    \b
    Examples:
      policyparse check seeds/004_1ecdd285c2b66f00.txt
      policyparse check drafts/ --ignore draft --format json | jq 'group_by(.kind)[] | {kind: .[0].kind, n: length}'
      policyparse check --across province.txt city_a.txt city_b.txt --select across_value
    """
    from ..check import check_across, format_finding
    from ..check import select as choose

    chosen, dropped = _kinds("--select", select or []), _kinds("--ignore", ignore or [])
    user = user_aliases(aliases)
    console = stderr_console()
    batch = Batch(console, quiet=quiet, debug=debug)
    files = batch.expand(paths)
    findings: list[dict[str, Any]] = []
    parsed = []

    def keep(path: str, payload) -> None:
        found, doc = payload
        findings.extend(found)
        if doc is not None:
            parsed.append(doc)

    batch.run(_check_job, [(f, user, across) for f in files], jobs, on_result=keep, label="checking")
    if across:
        from ..model import Document

        findings.extend(check_across([(Document.model_validate(d), text) for d, text in parsed]))
    findings = choose(findings, chosen, dropped)
    if fmt == CheckFormat.text:
        for f in findings:
            sys.stdout.write(format_finding(f) + "\n")
    else:
        from ..emit import dumps

        sys.stdout.write(dumps(findings, fmt.value))
    if batch.failed:
        console.print(f"{batch.failed} input(s) could not be read")
        raise typer.Exit(code=2)
    if findings:
        if not quiet and fmt == CheckFormat.text:
            console.print(f"{len(findings)} finding(s) in {len({f['document'] for f in findings})} document(s)")
        raise typer.Exit(code=1)
