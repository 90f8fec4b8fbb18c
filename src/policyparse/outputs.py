"""Where `parse` writes each input's output: one name per input that no other input shares, that
never replaces an input, and that depends only on the input and how it was named, not on what
else is in the batch.

    policyparse parse a/plan.txt          -> out/plan.json          (a file: its name)
    policyparse parse corpus/             -> out/x/plan.json, out/y/plan.json
                                             (a folder: its subfolders mirrored under out/)

When two inputs would still share a name (a/plan.txt and b/plan.txt given as files, or
plan.txt and plan.html in one folder), the first keeps it and each later one is refused with a
line saying so: nothing is renamed by position (-2, -3 named the wrong file once the batch
changed) and nothing is overwritten.
"""
from __future__ import annotations

import os
from pathlib import Path


def _root_of(file: str, args: list[str]) -> str | None:
    """The folder argument a file was found in (the first, as expand_paths keeps the first), or
    None when it was named on its own (a file or a glob)."""
    for arg in args:
        if os.path.isdir(arg):
            prefix = arg if arg.endswith(os.sep) else arg + os.sep
            if file.startswith(prefix):
                return arg
    return None


def _key(path: Path) -> str:
    """A path as the file system compares names (absolute, symlinks resolved)."""
    try:
        return os.path.normcase(str(path.resolve()))
    except (OSError, RuntimeError):   # a symlink loop
        return os.path.normcase(os.path.abspath(path))


def output_paths(args: list[str], files: list[str], out_dir: Path, suffix: str,
                 reserved: tuple[str, ...] = ()) -> tuple[dict[str, Path], list[tuple[str, str]]]:
    """({input: output path}, [(input, why it gets none)]) for the inputs expanded from `args`.
    A `reserved` stem at the top of out_dir (the review's index) is the command's own: an input
    of that name gets <stem>-page instead (always, whatever else is in the batch)."""
    inputs = {_key(Path(f)): f for f in files if f != "-"}
    taken: dict[str, str] = {}       # output key -> the input that has it
    result: dict[str, Path] = {}
    refused: list[tuple[str, str]] = []
    for f in files:
        root = _root_of(f, args)
        if f == "-":
            rel = Path("stdin")
        else:
            rel = Path(os.path.relpath(f, root)) if root is not None else Path(Path(f).name)
        stem = rel.stem or "document"
        if stem in reserved and rel.parent == Path("."):
            stem += "-page"
        target = out_dir / rel.parent / (stem + suffix)
        key = _key(target)
        if key in inputs:
            refused.append((f, f"its output {target} would replace the input {inputs[key]}; choose another --out"))
        elif key in taken:
            refused.append((f, f"its output {target} is already {taken[key]}'s; parse them in separate runs with "
                               f"different --out folders, or name their folder to mirror it under --out"))
        else:
            taken[key] = f
            result[f] = target
    return result, refused
