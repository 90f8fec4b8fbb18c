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


def _key(path: Path) -> str:
    """A path as the file system compares names (absolute, symlinks resolved)."""
    try:
        return os.path.normcase(str(path.resolve()))
    except (OSError, RuntimeError):   # a symlink loop
        return os.path.normcase(os.path.abspath(path))


class _Keys:
    """_key of many paths, each folder resolved once and, when many of its files are asked
    about, listed once for its symlinks (a corpus is thousands of files in a few folders:
    resolving every path in full cost a second for 3,000 files)."""

    LIST_AFTER = 16     # paths asked about in one folder before it is listed (not for a lone file)

    def __init__(self) -> None:
        self.folders: dict[str, str] = {}
        self.uses: dict[str, int] = {}
        self.links: dict[str, frozenset[str] | None] = {}

    def _is_link(self, folder: str, name: str, path: str) -> bool:
        if folder not in self.links:
            self.uses[folder] = self.uses.get(folder, 0) + 1
            if self.uses[folder] <= self.LIST_AFTER:
                return os.path.islink(path)
            try:
                with os.scandir(folder or ".") as it:
                    self.links[folder] = frozenset(e.name for e in it if e.is_symlink())
            except OSError:
                self.links[folder] = None
        names = self.links[folder]
        return os.path.islink(path) if names is None else name in names

    def __call__(self, path: str) -> str:
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or self._is_link(folder, name, path):
            return _key(Path(path))
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = _key(Path(folder or "."))
        return os.path.normcase(os.path.join(real, name))


def _plain(rel: str) -> bool:
    """Whether a relative path has only plain names (no '.', '..' or empty parts)."""
    return all(part not in ("", ".", "..") for part in rel.split(os.sep))


def _stem(name: str) -> str:
    """Path(name).stem."""
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _listed_prefix(folder: str) -> str:
    """What every file expand_paths lists under `folder` starts with: it names them from
    str(Path(folder)), so ./corpus/ lists corpus/x/plan.txt and . lists x/plan.txt (matching
    the argument as typed flattened ./corpus/'s subfolders into one, refusing repeated names)."""
    base = str(Path(folder))
    if base == ".":
        return ""
    return base if base.endswith(os.sep) else base + os.sep


def output_paths(args: list[str], files: list[str], out_dir: Path, suffix: str,
                 reserved: tuple[str, ...] = ()) -> tuple[dict[str, Path], list[tuple[str, str]]]:
    """({input: output path}, [(input, why it gets none)]) for the inputs expanded from `args`.
    A `reserved` stem at the top of out_dir (the review's index) is the command's own: an input
    of that name gets <stem>-page instead (always, whatever else is in the batch).
    A file found in a folder argument is under the first such folder (as expand_paths keeps the
    first); one named on its own (a file or a glob) gets its name only."""
    key_of = _Keys()
    roots = [(arg, _listed_prefix(arg)) for arg in args if os.path.isdir(arg)]
    inputs = {key_of(f): f for f in files if f != "-"}
    taken: dict[str, str] = {}       # output key -> the input that has it
    result: dict[str, Path] = {}
    refused: list[tuple[str, str]] = []
    for f in files:
        if f == "-":
            rel = "stdin"
        else:
            root = next(((r, prefix) for r, prefix in roots if f.startswith(prefix)), None)
            if root is None:
                rel = Path(f).name
            else:
                rel = f[len(root[1]):]
                if not _plain(rel):
                    rel = os.path.relpath(f, root[0])
        parent, name = os.path.split(rel)
        stem = _stem(name) or "document"
        if stem in reserved and not parent:
            stem += "-page"
        target = out_dir / parent / (stem + suffix) if parent else out_dir / (stem + suffix)
        key = key_of(str(target))
        if key in inputs:
            refused.append((f, f"its output {target} would replace the input {inputs[key]}; choose another --out"))
        elif key in taken:
            refused.append((f, f"its output {target} is already {taken[key]}'s; parse them in separate runs with "
                               f"different --out folders, or name their folder to mirror it under --out"))
        else:
            taken[key] = f
            result[f] = target
    return result, refused
