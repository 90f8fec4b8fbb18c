"""Readers benchmark: MB/s and time per file for each input format (issue #8).

Builds the five seeds as .docx (python-docx), portal web pages and Chromium-printed A4 PDFs (the
same builders as tests/test_readers_seeds.py), then times, per format, reading alone
(readers.read_path) and the whole parse (pipeline.parse_file_record), best of --repeat runs.
MB/s counts the input file's bytes.

    python benchmarks/readers.py                 # seeds from ../shared/seeds
    python benchmarks/readers.py --seeds DIR --repeat 5
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=HERE.parent.parent / "shared" / "seeds")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    from docbuild import build_formats
    from policyparse.pipeline import parse_file_record
    from policyparse.readers import read_path

    seeds = sorted(a.seeds.glob("*.txt"))
    if not seeds:
        print(f"no seeds in {a.seeds}", file=sys.stderr)
        return 1
    files = build_formats(seeds, Path(tempfile.mkdtemp(prefix="policyparse-bench-readers-")))

    def best(fn, paths) -> float:
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            for p in paths:
                fn(p)
            times.append(time.perf_counter() - t0)
        return min(times)

    for fmt in files:                       # warm up: imports and first-use costs out of the timings
        read_path(files[fmt][0])
    print("| format | files | MB | read MB/s | read ms/file | parse MB/s | parse ms/file |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for fmt, paths in files.items():
        mb = sum(p.stat().st_size for p in paths) / 1e6
        r = best(read_path, paths)
        p = best(parse_file_record, paths)
        n = len(paths)
        print(f"| {fmt} | {n} | {mb:.2f} | {mb / r:.1f} | {1000 * r / n:.1f} | {mb / p:.1f} | {1000 * p / n:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
