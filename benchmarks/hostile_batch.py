#!/usr/bin/env python3
"""A batch of 2,000 seed documents plus every attack file of issue #9: does it finish in the time
of the seeds alone plus a few seconds, with every seed output complete and every attack file
either parsed or named on stderr?

    .venv/bin/python benchmarks/hostile_batch.py              # 2,000 seeds, --jobs 2
    .venv/bin/python benchmarks/hostile_batch.py --seeds 200  # quicker

The corpus is written to a temporary folder: seeds/*.txt copied round-robin under distinct
names, and the attacks (tests/attacks.py at 100 KB each, the exact texts of the issue, the
numbers at the edges, a formula line, binary and UTF-16 files). Both runs use --no-cache, so
every file is parsed. Prints one table; exit 1 if a seed output is missing or incomplete, or
an attack file is neither parsed nor named.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from attacks import ATTACKS, attack_text  # noqa: E402

ISSUE_ATTACKS = {
    "tail_22.txt": "年均增长" * 22 + "X长1个",
    "commas_2500.txt": "1" + ",000" * 2500,
    "numeral_400.txt": "一、目标\n到2025年，收入达到" + "一" * 400 + "万元。\n",
    "heading_21_digits.txt": "第" + "一" * 21 + "章 总则\n到2025年，收入达到100亿元。\n",
    "digits_400.txt": "一、目标\n收入达到" + "9" * 400 + "亿元，增长" + "9" * 400 + "%。\n",
    "formula.txt": "一、目标\n=HYPERLINK(\"evil\")达到100个。\n",
}


def build(folder: Path, n_seeds: int, attacks: bool) -> list[Path]:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    folder.mkdir(parents=True)
    files = []
    for i in range(n_seeds):
        f = folder / f"seed_{i:05d}.txt"
        shutil.copyfile(seeds[i % len(seeds)], f)
        files.append(f)
    if attacks:
        for name in ATTACKS:
            (folder / f"attack_{name}.txt").write_text(attack_text(name, 100_000), encoding="utf-8")
        for name, text in ISSUE_ATTACKS.items():
            (folder / f"attack_{name}").write_text(text, encoding="utf-8")
        (folder / "attack_binary.txt").write_bytes(bytes(range(256)) * 64)
        (folder / "attack_utf16_no_bom.txt").write_bytes("一、总体要求\n到2025年达到100个。\n".encode("utf-16-le"))
    return files


def run(folder: Path, out: Path, jobs: int) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the command and its workers, the process)."""
    import resource

    cmd = [sys.executable, "-m", "policyparse", "parse", str(folder), "--out", str(out), "--jobs", str(jobs),
           "--quiet", "--no-cache"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pp-hostile-"))
    try:
        build(tmp / "seeds_only", args.seeds, attacks=False)
        build(tmp / "with_attacks", args.seeds, attacks=True)
        t_seeds, cpu_seeds, p_seeds = run(tmp / "seeds_only", tmp / "out1", args.jobs)
        t_all, cpu_all, p_all = run(tmp / "with_attacks", tmp / "out2", args.jobs)
        expected = {f.stem: json.loads((tmp / "out1" / f"{f.stem}.json").read_text(encoding="utf-8"))
                    for f in sorted((tmp / "seeds_only").glob("*.txt"))}
        missing = []
        for stem, doc in expected.items():
            p = tmp / "out2" / f"{stem}.json"
            try:
                got = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                missing.append(stem)
                continue
            got["source"] = doc["source"] = ""
            if got != doc:
                missing.append(stem)
        unaccounted, named, parsed = [], [], []
        for f in sorted((tmp / "with_attacks").glob("attack_*")):
            if (tmp / "out2" / f"{f.stem}.json").exists():
                parsed.append(f.name)
            elif f"error {f}:" in p_all.stderr:
                named.append(f.name)
            else:
                unaccounted.append(f.name)
        n_attacks = len(parsed) + len(named) + len(unaccounted)
        print("| run | files | wall s | CPU s | exit |\n|---|---|---|---|---|")
        print(f"| {args.seeds} seeds | {args.seeds} | {t_seeds:.1f} | {cpu_seeds:.1f} | {p_seeds.returncode} |")
        print(f"| seeds + {n_attacks} attacks | {args.seeds + n_attacks} | {t_all:.1f} | {cpu_all:.1f} | {p_all.returncode} |")
        print(f"\nextra for the attacks: {t_all - t_seeds:+.1f} s wall, {cpu_all - cpu_seeds:+.1f} s CPU (jobs {args.jobs}; "
              "wall time on a shared machine drifts, CPU time less)")
        print(f"seed outputs complete and identical: {len(expected) - len(missing)}/{len(expected)}")
        print(f"attack files parsed: {len(parsed)}; named on stderr: {len(named)} ({', '.join(named)})")
        for line in p_all.stderr.splitlines():
            if line.startswith("error"):
                print("   ", line[:160])
        if unaccounted:
            print(f"NEITHER PARSED NOR NAMED: {unaccounted}")
        return 1 if missing or unaccounted or "Traceback" in p_all.stderr else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
