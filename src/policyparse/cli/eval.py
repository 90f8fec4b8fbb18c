"""`policyparse eval`: score parse output (or source texts, parsed on the fly) against gold files."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .root import app
from .common import Batch, Debug, Jobs, OptionalPaths, Quiet, stderr_console, usage_error


# Totals that are not scores with a floor: a count "k/n" and the number of failed parses.
NOT_FLOORS = ("title_status_ok", "errors")


class EvalFormat(str, Enum):
    text = "text"
    json = "json"


# ---- the job, run in worker processes (module level, so it pickles) ------------------------------

def _eval_job(gold_file: str, input_path: str, sources: dict[str, str]):
    from ..eval import GoldError, score_input
    from ..errors import InputError

    try:
        return score_input(gold_file, input_path, sources)
    except GoldError as e:
        raise InputError(gold_file, str(e)) from None


# ---- the command -----------------------------------------------------------------------------------

@app.command("eval")
def eval_(
    paths: OptionalPaths = None,
    gold: Annotated[Path, typer.Option("--gold", "-g", metavar="DIR", help="Folder of gold files (<document stem>.json, in the annotation SPEC's format).")] = ...,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", metavar="FORMAT", help="text (one line of totals; a table per document with -v) or json.")] = EvalFormat.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show one row per document and what it missed.")] = False,
    floor: Annotated[Optional[list[str]], typer.Option("--min", metavar="NAME=FLOOR", help="Exit 1 if a total falls below FLOOR (names as in the output), e.g. --min unit_f1=0.95.")] = None,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Score parses against hand-made gold files: sections, responsibility units, targets, years.

    PATHS are source texts (parsed here) or JSON files written by `policyparse parse`; each gold
    file `<stem>.json` is paired with the input of the document its "doc" field names. The
    totals are those of the project's shared scorer (section_f1, unit_f1, target_precision, …).

    \b
    Examples:
      policyparse eval --gold mygold/ docs/                 # parse docs/*.txt and score them
      policyparse eval --gold mygold/ out/ docs/ -v         # score earlier parse output, per document
      policyparse eval --gold mygold/ docs/ --format json | jq .target_f1
      policyparse eval --gold mygold/ docs/ --min section_f1=0.95 --min target_f1=0.9
    """
    from ..eval import INPUT_SUFFIXES, GoldError, TOTAL_NAMES, load_gold, pair_inputs, report, source_names

    console = stderr_console()
    floors = _parse_floors(floor or [], TOTAL_NAMES)
    try:
        golds = load_gold(gold)
    except GoldError as e:
        raise usage_error(str(e)) from None
    batch = Batch(console, quiet=quiet, debug=debug)
    if not paths:
        if not Path("out").is_dir():
            raise usage_error("no PATHS given and there is no out/ folder; name source texts or parse output")
        paths = ["out"]
    files = batch.expand(paths, suffixes=INPUT_SUFFIXES)
    pairs, missing, unused = pair_inputs(golds, files)
    if not quiet:
        for doc in missing:
            console.print(f"note: no input for gold document {doc} (not scored)", markup=False)
        if unused:
            console.print(f"note: {len(unused)} input(s) have no gold file (not scored)", markup=False)
    if not pairs:
        console.print("error: no input matches a gold file (a gold file's \"doc\" names its document)", markup=False)
        raise typer.Exit(code=1)
    sources = source_names(files)
    scores: list[Any] = []
    batch.run(_eval_job, [(str(gf), inp, sources) for gf, _, inp in pairs], jobs,
              on_result=lambda _path, s: scores.append(s), label="scoring")
    result = report(scores, missing, unused)
    if fmt == EvalFormat.json:
        sys.stdout.write(result.model_dump_json(indent=1) + "\n")
    else:
        _print_text(result, verbose)
    below = [f"{name}={result.totals()[name]} < {value}" for name, value in floors
             if float(result.totals()[name]) < value]
    for line in below:
        console.print(f"below floor: {line}", markup=False)
    if below:
        raise typer.Exit(code=1)
    batch.finish()


def _parse_floors(items: list[str], names: tuple[str, ...]) -> list[tuple[str, float]]:
    floors = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in names or name in NOT_FLOORS:
            raise usage_error(f"--min {item}: expected NAME=FLOOR with NAME one of "
                              + ", ".join(n for n in names if n not in NOT_FLOORS))
        try:
            floors.append((name, float(value)))
        except ValueError:
            raise usage_error(f"--min {item}: FLOOR must be a number") from None
    return floors


def _print_text(result, verbose: bool) -> None:
    out = sys.stdout
    if verbose:
        out.write(f"{'document':34} {'sec F1':>7} {'unit F1':>7} {'tgt P':>6} {'tgt R':>6} {'year':>6}\n")
        for d in result.documents:
            out.write(f"{d.doc:34} {d.section_f1:7.3f} {d.unit_f1:7.3f} {d.target_precision:6.3f} "
                      f"{d.target_recall:6.3f} {d.year_acc:6.3f}\n")
            if d.error:
                out.write(f"    error: {d.error}\n")
            for kind, items in d.misses.items():
                out.write(f"    {kind}: {items}\n")
    out.write(" ".join(f"{k}={v}" for k, v in result.totals().items()) + "\n")
