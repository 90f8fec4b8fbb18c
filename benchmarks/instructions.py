#!/usr/bin/env python3
"""Instructions per document, counted by valgrind's callgrind: a measure that does not drift.

Wall-clock figures on a shared 2-core machine move by a third from one minute to the next;
instruction counts are the same on every run of the same code and input. Use this to tell
whether a change made the parse cheaper (bench.py remains the measure of the floors).

    .venv/bin/python benchmarks/instructions.py            # 1 MB corpus (31 documents), ~3 minutes
    .venv/bin/python benchmarks/instructions.py --docs 10  # fewer documents, faster
    .venv/bin/python benchmarks/instructions.py --docs 10 --against c5049ed   # also (c) of that commit
    .venv/bin/python benchmarks/instructions.py --corpus 100 --docs 40        # the 100 MB corpus's first 40

Each measured thing runs in a fresh `valgrind --tool=callgrind` process twice, once over the
documents and once over none (start-up, imports and pattern compilation), and the difference is
divided by the number of documents:
  (b) the one-pass baseline of bench.py (read, decode, line split, heading and number regex)
  (c) the full parse, policyparse.parse_file -> pydantic Document (bench.py's (c))
  (p) what `policyparse parse` does per file: read, decode, parse_file_record, JSON text (no write)
With `--against REV`, (c) is also counted for that commit's src/ (git archive), on the same
documents, so the two figures compare code with code and not one minute's machine with another's.
Each code is run once outside valgrind first (warm_up), with .pyc files and the compiled-pattern
file written, as users have them. After its warm-up parse, each run freezes the heap it has
(gc.freeze, as batch.py does after a batch's first document), so no full collection of the
modules and patterns lands inside or outside the count by chance. Needs valgrind (Debian package valgrind). PYTHONHASHSEED is fixed so runs repeat exactly.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The program each measurement runs: argv[1] = what, argv[2] = corpus folder, argv[3] = documents.
PROGRAM = r"""
import sys
from pathlib import Path
what, folder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if len(sys.argv) > 5:   # another checkout's src/ (--against)
    sys.path.insert(0, sys.argv[5])
files = sorted(Path(folder).glob("*.txt"))[:n]
if what == "b":
    sys.path.insert(0, sys.argv[4])
    import bench
    bench.one_pass_baseline(files)
else:
    import policyparse
    assert len(sys.argv) < 6 or policyparse.__file__.startswith(sys.argv[5]), policyparse.__file__
    from policyparse import parse_file, parse_text
    from policyparse.emit import record_json
    from policyparse.pipeline import parse_file_record
    parse_text("一、总体要求\n到2025年，达到5万家。")   # compile and warm up outside the count
    # the heap made so far (modules, patterns, schemas) is frozen, as batch.py does after a
    # batch's first document: a full collection walking it would otherwise fall inside the
    # count or outside it by chance (a change to import-time code moved (c) by 1.7 M once)
    import gc
    gc.collect()
    gc.freeze()
    for f in files:
        if what == "c":
            parse_file(f)
        else:
            record_json(parse_file_record(f))
"""


def _env() -> dict:
    """As users run it: with .pyc files and the compiled-pattern file (patterns/precompiled.py),
    both written only when Python may write bytecode."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONHASHSEED"] = "0"
    return env


def warm_up(what: str, folder: Path, n: int, src: Path | None = None) -> None:
    """One run outside valgrind over the same documents, so that the .pyc files and the
    compiled-pattern file of that code exist before counting. Without it a checkout whose files
    are stale (or a fresh `git archive`) compiles, inside the count, every pattern it builds on
    first use, ~3 M instructions per document over 10 documents, and two commits compare unevenly."""
    extra = [str(src)] if src is not None else []
    subprocess.run([sys.executable, "-c", PROGRAM, what, str(folder), str(n), str(ROOT / "benchmarks"), *extra],
                   check=True, capture_output=True, env=_env())


def count(what: str, folder: Path, n: int, src: Path | None = None) -> int:
    """Instructions of one callgrind run of PROGRAM over n documents; `src`: import policyparse
    from that folder instead of this checkout's."""
    extra = [str(src)] if src is not None else []
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", PROGRAM, what, str(folder), str(n), str(ROOT / "benchmarks"), *extra],
        capture_output=True, text=True, env=_env(),
    )
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not m:
        sys.exit(f"callgrind run failed ({what}, {n} documents):\n{proc.stderr[-2000:]}")
    return int(m.group(1))


def per_document(what: str, folder: Path, n: int, src: Path | None = None) -> float:
    """Instructions per document: a run over n documents less a run over none (start-up)."""
    warm_up(what, folder, n, src)
    return (count(what, folder, n, src) - count(what, folder, 0, src)) / n


def against(rev: str, folder: Path, n: int) -> tuple[str, float]:
    """(short sha of rev, (c) instructions per document of that commit's src/)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="instructions-against-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                             capture_output=True, text=True).stdout.strip()
        return sha, per_document("c", folder, n, Path(tmp) / "src")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=31, help="Documents of the corpus to count (default 31: all of the 1 MB one).")
    ap.add_argument("--corpus", type=int, default=1, metavar="MB",
                    help="Which of bench.py's corpora to take the documents from (default 1; 100: the first "
                         "documents of the 100 MB one, whose draws spread over the seeds differently).")
    ap.add_argument("--against", metavar="REV", help="Also count (c) for this git commit's src/ (e.g. c5049ed).")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind not found: apt-get install valgrind")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    folder, files, _ = bench.build_corpus(args.corpus)
    n = min(args.docs, len(files))
    rows = []
    for what, label in (("b", "(b) one-pass baseline"), ("c", "(c) full parse to pydantic models"),
                        ("p", "(p) `policyparse parse` per file, without the write")):
        per_doc = per_document(what, folder, n)
        rows.append((label, per_doc))
        print(f"{label}: {per_doc / 1e6:.2f} M instructions per document", file=sys.stderr)
    if args.against:
        sha, per_doc = against(args.against, folder, n)
        rows.append((f"(c) full parse at {sha}", per_doc))
        print(f"(c) at {sha}: {per_doc / 1e6:.2f} M instructions per document; this checkout "
              f"{per_doc / rows[1][1]:.2f}x fewer", file=sys.stderr)
    base = rows[0][1]
    print(f"| measured ({n} documents of the {args.corpus} MB corpus) | M instructions / document | × (b) |")
    print("|---|---:|---:|")
    for label, per_doc in rows:
        print(f"| {label} | {per_doc / 1e6:.2f} | {per_doc / base:.1f}× |")
    if args.against:
        print(f"\n(c) at {rows[-1][0].split()[-1]} / (c) now: {rows[-1][1] / rows[1][1]:.2f}× the instructions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
