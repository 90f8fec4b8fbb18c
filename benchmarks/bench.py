#!/usr/bin/env python3
"""Throughput, parallel speed-up, memory and start-up benchmarks for policyparse.

Run from the repository root with the project's virtualenv:

    .venv/bin/python benchmarks/bench.py                 # sizes 1 and 10 MB (a few minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --sizes 100     # 100 MB on demand
    .venv/bin/python benchmarks/bench.py --sizes 10,100  # needed for the "memory flat" floor

Corpora are built from seeds/*.txt: documents are concatenated/repeated into files of 20-50 KB
(like real documents) under benchmarks/corpus/<N>MB/ (git-ignored, generated, reused when the
manifest matches). 1 MB = 1,000,000 bytes of UTF-8 input everywhere in this script.

What is measured (each command is a fresh subprocess; wall time is the median of --repeat runs):
  1. `policyparse parse DIR --out TMP --jobs 1 --quiet` -> MB/s, with peak RSS
  2. the same with `--jobs 2` -> MB/s and the speed-up over --jobs 1
  3. peak RSS (GNU /usr/bin/time -v, else getrusage(RUSAGE_CHILDREN) in a fresh wrapper process);
     for --jobs 2 it is the largest single process (the parent or one worker), not a sum
  4. in this process, on the same files: (a) the bare minimum, read + decode + one regex pass
     for digits, (b) a pure-Python one-pass baseline, line splitting + a heading regex +
     a number regex, and (c) the full parse as the library does it, policyparse.parse_file:
     read, decode, outline, units, targets and the pydantic Document, no output;
     the command's and (c)'s throughput are reported as ratios to (b)
  5. wall time of `policyparse --help`, `policyparse parse seeds/*.txt --out TMP`,
     `policyparse targets --year 2015 seeds/*.txt --format json` and a one-file
     `policyparse parse one.txt` (without and with a warm cache) against `python -c pass`
     (median of 5 runs), wall and CPU time (user + sys: steadier on a shared machine); with
     .pyc files, as users have them (pip writes them): PYTHONDONTWRITEBYTECODE is removed from
     these commands' environment and each command runs once, unmeasured, before its runs (without
     .pyc files every start compiles policyparse's sources again, ~35 ms)
  6. the parse cache: a first run over the corpus with an empty cache, then a re-run over the
     unchanged corpus (same output folder: nothing is parsed, and no output is rewritten); also
     over --seed-files N (default 1,500) seed-sized files, each a seed with a line of its own
  7. when installed (`pip install 'policyparse[bench]'`), in the same interleaved runs as (a),
     (b), (c): JioNLP's `extract_money` and cn2an's `transform(text, "cn2an")` on the same files
  8. with `--against REV` (a git commit, e.g. the one an issue was filed against): (c) of that
     commit's src/ (taken with `git archive`) and (c) of this checkout, each in a fresh process
     over the same files of the biggest size, taken in turn (old, new, old, new, ...), timing the
     parse loop only (imports and a warm-up outside the timing)

Every throughput command runs with POLICYPARSE_NO_CACHE=1, so it measures parsing; only the
re-run and warm start-up measurements use a cache (a fresh temporary folder).

Floors (PASS/FAIL printed, and written to benchmarks/RESULTS.md with the table):
  * full parse (c) >= 0.12 x baseline (b) on every size run (issue #12's floor for the "full
    parse (outline, units, targets, models)"); the whole command's ratio (--jobs 1, with start-up
    and the fsync'd JSON writes) is shown beside it
  * `policyparse --help` <= 0.35 s
  * --jobs 2 speed-up >= 1.6 x on the biggest size run
  * memory flat: peak RSS at 100 MB <= 1.5 x peak RSS at 10 MB (needs both sizes in one run)
  * re-run with the cache >= 20x faster than the first run at 100 MB (>= 10x at smaller sizes,
    whose 20-50 KB files are seed-sized)
  * one-file `policyparse parse one.txt` <= 12x `python -c pass` (CPU time, no cache)
  * full parse (c) >= 3x JioNLP extract_money's throughput (when installed)
  * full parse (c) >= 1.8x the throughput of the `--against` commit (issue #12: "at least 1.8x
    today's throughput")

Exit status 0, or 1 with --strict when any floor fails.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT / "benchmarks" / "corpus"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
MB = 1_000_000
GENERATOR_VERSION = 2          # bump when the corpus recipe changes, so old corpora are rebuilt
FILE_MIN, FILE_MAX = 20_000, 50_000

FLOOR_BASELINE_RATIO = 0.12   # issue #12 (#4 asked 0.25 and was closed as blocked)
FLOOR_HELP_SECONDS = 0.35
FLOOR_SPEEDUP = 1.6
FLOOR_MEMORY_GROWTH = 1.5
FLOOR_RERUN_100 = 20.0
FLOOR_RERUN_SMALL = 10.0
FLOOR_ONE_FILE = 12.0
FLOOR_VS_JIONLP = 3.0
FLOOR_VS_AGAINST = 1.8


# ---- corpus -------------------------------------------------------------------------------------

def _corpus_docs(size_mb: int):
    """Yield (name, bytes) documents of 20-50 KB until size_mb MB, deterministically, no two
    alike: each starts at a line of the seeds' concatenation drawn at random and runs on
    (rotating through the seeds) to a length drawn between FILE_MIN and FILE_MAX. Every
    file is its own document, so a first run with an empty cache parses each one (version 1
    started every file at a seed's first line: 3,025 files held 5 contents, and the cache's
    content hash served all but 5 of a "first run")."""
    seeds = [p.read_bytes() for p in SEEDS]
    if not seeds:
        sys.exit("no seeds/*.txt found")
    lines = [ln if ln.endswith(b"\n") else ln + b"\n" for s in seeds for ln in s.splitlines(keepends=True)]
    rng = random.Random(size_mb * 7919 + GENERATOR_VERSION)
    seen: set[bytes] = set()
    total, i = 0, 0
    target = size_mb * MB
    while total < target:
        start = rng.randrange(len(lines))
        size = rng.randrange(FILE_MIN, FILE_MAX)   # seed-sized: 20-50 KB, as before
        while True:
            parts, n, k = [], 0, 0
            while n < size:
                parts.append(lines[(start + k) % len(lines)])
                n += len(parts[-1])
                k += 1
            data = b"".join(parts)
            if len(data) > FILE_MAX:  # cut at a line end so UTF-8 stays whole
                data = data[: data.rfind(b"\n", 0, FILE_MAX) + 1]
            # The last file may be shorter so the corpus is not much bigger than asked.
            if total + len(data) > target and target - total >= FILE_MIN:
                data = data[: data.rfind(b"\n", 0, target - total) + 1]
            digest = hashlib.sha256(data).digest()
            if digest not in seen:
                break
            start += 1  # the same text again: start one line later
        seen.add(digest)
        yield f"doc_{i:05d}.txt", data
        total += len(data)
        i += 1


def build_corpus(size_mb: int) -> tuple[Path, list[Path], int]:
    """benchmarks/corpus/<N>MB/, reused when its manifest matches; returns (dir, files, bytes)."""
    d = CORPUS / f"{size_mb}MB"
    manifest = d / "manifest.json"
    seed_sig = [[p.name, p.stat().st_size] for p in SEEDS]
    want = {"generator": GENERATOR_VERSION, "size_mb": size_mb, "seeds": seed_sig}
    if manifest.is_file():
        try:
            have = json.loads(manifest.read_text())
        except ValueError:
            have = {}
        files = sorted(d.glob("*.txt"))
        if {k: have.get(k) for k in want} == want and len(files) == have.get("files") \
                and sum(f.stat().st_size for f in files) == have.get("bytes"):
            return d, files, have["bytes"]
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    total, count = 0, 0
    for name, data in _corpus_docs(size_mb):
        (d / name).write_bytes(data)
        total += len(data)
        count += 1
    manifest.write_text(json.dumps({**want, "files": count, "bytes": total}, indent=1))
    return d, sorted(d.glob("*.txt")), total


# ---- running commands ---------------------------------------------------------------------------

def _policyparse_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "policyparse"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "policyparse"]


GNU_TIME = shutil.which("time", path="/usr/bin") if os.path.exists("/usr/bin/time") else None

_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write('Maximum resident set size (kbytes): %d\\n' % kb)\n"
    "sys.exit(rc)\n"
)


NO_CACHE_ENV = dict(os.environ, POLICYPARSE_NO_CACHE="1")
LAST_CPU = [0.0]  # CPU seconds (user + sys) of the last run_measured command and its children


def run_measured(cmd: list[str], *, rss: bool = False, cwd: Path = ROOT, env: dict | None = None) -> tuple[float, int | None]:
    """Run cmd once in a fresh process; (wall seconds, peak RSS in KiB or None). Raises on failure.
    Without `env`, the parse cache is off (POLICYPARSE_NO_CACHE=1)."""
    import resource
    rss_file = None
    full = cmd
    if rss:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-", suffix=".txt")
        os.close(fd)
        if GNU_TIME:
            full = [GNU_TIME, "-v", "-o", rss_file] + cmd
        else:
            full = [sys.executable, "-c", _RUSAGE_WRAPPER] + cmd
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=NO_CACHE_ENV if env is None else env)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    peak = None
    if rss:
        report = Path(rss_file).read_text() if GNU_TIME else proc.stderr.decode(errors="replace")
        os.unlink(rss_file)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
        peak = int(m.group(1)) if m else None
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return wall, peak


def median_run(cmd: list[str], repeat: int, *, rss: bool = False, fresh_out: bool = False,
               env: dict | None = None, cpu: list | None = None) -> tuple[float, int | None]:
    """Median wall time over `repeat` runs; the max peak RSS seen. `{OUT}` in cmd -> a fresh folder.
    With `cpu` (a list), the median CPU seconds are appended to it."""
    walls, peaks, cpus = [], [], []
    for _ in range(repeat):
        out = tempfile.mkdtemp(prefix="bench-out-") if fresh_out else None
        try:
            c = [out if a == "{OUT}" else a for a in cmd]
            w, p = run_measured(c, rss=rss, env=env)
            cpus.append(LAST_CPU[0])
        finally:
            if out:
                shutil.rmtree(out, ignore_errors=True)
        walls.append(w)
        if p is not None:
            peaks.append(p)
    if cpu is not None:
        cpu.append(statistics.median(cpus))
    return statistics.median(walls), (max(peaks) if peaks else None)


FIRST_RERUN_CPU: list[tuple[float, float]] = []  # (first, re-run) CPU seconds of the last rounds
RERUN_DEFAULT_JOBS: list[float] = []              # wall seconds of the re-run with the default --jobs


def first_and_rerun(pp: list[str], rel: str, repeat: int) -> tuple[float, float]:
    """The cache: median over `repeat` rounds of (a first run with an empty cache, then a re-run
    of the same command over the unchanged corpus into the same output folder, then the re-run
    again with the default --jobs). With .pyc files, as users have them (pip writes them): the
    re-run is mostly start-up."""
    firsts, reruns = [], []
    FIRST_RERUN_CPU.clear()
    RERUN_DEFAULT_JOBS.clear()
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="bench-cache-")
        out = tempfile.mkdtemp(prefix="bench-out-")
        env = dict(os.environ, POLICYPARSE_CACHE_DIR=cache)
        env.pop("POLICYPARSE_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            cmd = pp + ["parse", rel, "--out", out, "--quiet"]
            firsts.append(run_measured(cmd + ["--jobs", "1"], env=env)[0])
            cpu_first = LAST_CPU[0]
            reruns.append(run_measured(cmd + ["--jobs", "1"], env=env)[0])
            FIRST_RERUN_CPU.append((cpu_first, LAST_CPU[0]))
            RERUN_DEFAULT_JOBS.append(run_measured(cmd, env=env)[0])
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    print(f"  re-run with the default --jobs: {statistics.median(RERUN_DEFAULT_JOBS):.2f} s", file=sys.stderr)
    return statistics.median(firsts), statistics.median(reruns)


def seed_copies(n: int) -> Path:
    """benchmarks/corpus/seeds<N>/: n seed-sized files, each a seed with a line of its own (so
    every file is its own document and a first run parses each one): the issue's "1,500
    seed-sized files". Reused when complete."""
    d = CORPUS / f"seeds{n}"
    names = [f"c{i:05d}_{SEEDS[i % len(SEEDS)].name}" for i in range(n)]
    if d.is_dir() and sorted(os.listdir(d)) == sorted(names):
        return d
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    seeds = [p.read_bytes() for p in SEEDS]
    then = time.time() - 60   # a corpus that exists, not files saved a moment ago (cache.RACY_NS)
    for i, name in enumerate(names):
        (d / name).write_bytes(seeds[i % len(seeds)] + f"\n附件{i}\n".encode())
        os.utime(d / name, (then, then))
    return d


def rerun_seed_copies(n: int = 1500, repeat: int = 1) -> dict:
    """first_and_rerun on seed_copies(n): the re-run table's row, also printed (run it on its own:
    python -c "import sys; sys.path.insert(0, 'benchmarks'); import bench; bench.rerun_seed_copies()")."""
    d = seed_copies(n)
    files = sorted(d.iterdir())
    bare_minimum(files)   # warm the page cache
    first, rerun = first_and_rerun(_policyparse_cmd(), str(d.relative_to(ROOT)), repeat)
    cpu_first = statistics.median(c for c, _ in FIRST_RERUN_CPU)
    cpu_rerun = statistics.median(c for _, c in FIRST_RERUN_CPU)
    print(f"[{n} seed-sized files] first run {first:.2f} s, re-run {rerun:.2f} s: {first / rerun:.1f}x "
          f"(CPU {cpu_first:.2f} s / {cpu_rerun:.2f} s: {cpu_first / cpu_rerun:.1f}x)", file=sys.stderr)
    return {"size": f"{n} seed files", "files": n, "first": first, "rerun": rerun, "cpu_first": cpu_first,
            "cpu_rerun": cpu_rerun, "mb": sum(f.stat().st_size for f in files) / MB}


# ---- in-process baselines -----------------------------------------------------------------------

DIGITS_RE = re.compile(r"\d+")
HEADING_RE = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、"
    r"|\d{1,3}[.．、]|[（(]\d{1,3}[)）]|[\u2460-\u2473])"
)
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万|亿|个|项|家|吨|元)?")


def bare_minimum(files: list[Path]) -> int:
    """Read + decode every file + one regex pass for digits."""
    n = 0
    for f in files:
        n += len(DIGITS_RE.findall(f.read_bytes().decode("utf-8")))
    return n


def one_pass_baseline(files: list[Path]) -> int:
    """Pure-Python one pass: read, decode, split lines, a heading regex and a number regex per line."""
    n = 0
    for f in files:
        text = f.read_bytes().decode("utf-8")
        for line in text.splitlines():
            if HEADING_RE.match(line):
                n += 1
            n += len(NUMBER_RE.findall(line))
    return n


def full_parse(files: list[Path]) -> int:
    """The library's full parse of each file: read, decode, extract, the pydantic Document."""
    from policyparse import parse_file

    return sum(len(parse_file(f).targets) for f in files)


def _jionlp_money():
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jionlp
    except Exception:  # noqa: BLE001 - not installed (or broken): the column is left out
        return None
    extract = getattr(jionlp, "extract_money", None) or jionlp.ner.extract_money

    def jionlp_extract_money(files: list[Path]) -> int:
        """JioNLP's money extractor on each file's text (read and decoded like the others)."""
        return sum(len(extract(f.read_bytes().decode("utf-8"))) for f in files)

    return jionlp_extract_money


def _cn2an_transform():
    try:
        import cn2an
    except Exception:  # noqa: BLE001
        return None

    def cn2an_transform(files: list[Path]) -> int:
        """cn2an turning every Chinese numeral of each file's text into digits."""
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sum(len(cn2an.transform(f.read_bytes().decode("utf-8"), "cn2an")) for f in files)

    return cn2an_transform


def interleaved(fns, files: list[Path], repeat: int) -> list[float]:
    """Median wall time of each function, the runs taken in turn (a, b, c, a, b, c, …): on a
    shared machine whose speed drifts, a ratio of medians measured side by side holds still
    where back-to-back series drift apart."""
    walls: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn(files)
            walls[i].append(time.perf_counter() - t0)
    return [statistics.median(w) for w in walls]


# ---- against an earlier commit ------------------------------------------------------------------

# Run in a fresh process: argv[1] = the src/ folder to import policyparse from, argv[2] = a file
# listing the corpus files. Prints the wall and CPU seconds of the parse loop and the number of targets.
AGAINST_PROGRAM = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import policyparse
assert policyparse.__file__.startswith(sys.argv[1]), policyparse.__file__
from policyparse import parse_file
files = [Path(p) for p in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()]
for f in files[:5]:
    parse_file(f)
t0, c0 = time.perf_counter(), time.process_time()
n = sum(len(parse_file(f).targets) for f in files)
print(time.perf_counter() - t0, time.process_time() - c0, n)
"""


def against(rev: str, files: list[Path], repeat: int) -> dict:
    """(c) of commit `rev` and of this checkout, each in a fresh process, taken in turn; medians."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-against-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        listing = tmp / "files.txt"
        listing.write_text("\n".join(str(f) for f in files), encoding="utf-8")
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                             capture_output=True, text=True).stdout.strip()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["POLICYPARSE_NO_CACHE"] = "1"
        times: dict[str, list[float]] = {"old": [], "new": []}
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        counts = {}
        for _ in range(repeat):
            for which, src in (("old", tmp / "src"), ("new", ROOT / "src")):
                out = subprocess.run([sys.executable, "-c", AGAINST_PROGRAM, str(src), str(listing)], check=True,
                                     capture_output=True, text=True, env=env).stdout.split()
                times[which].append(float(out[0]))
                cpu[which].append(float(out[1]))
                counts[which] = int(out[2])
        # CPU time beside wall time: on a shared host the wall clock also counts the time another
        # tenant held the core (the ratio of CPU times moves less from run to run)
        return {"rev": rev, "sha": sha, "old": statistics.median(times["old"]), "new": statistics.median(times["new"]),
                "cpu_old": statistics.median(cpu["old"]), "cpu_new": statistics.median(cpu["new"]),
                "targets_old": counts["old"], "targets_new": counts["new"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- report -------------------------------------------------------------------------------------

def fmt_rss(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.0f} MiB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,10", help="Comma-separated corpus sizes in MB (default 1,10; 100 on demand).")
    ap.add_argument("--repeat", type=int, default=3, help="Runs per throughput measurement (median; default 3).")
    ap.add_argument("--startup-repeat", type=int, default=5, help="Runs per start-up measurement (median; default 5).")
    ap.add_argument("--strict", action="store_true", help="Exit 1 when a floor fails.")
    ap.add_argument("--seed-files", type=int, default=1500, metavar="N",
                    help="Also time a first run and a re-run over N seed-sized files, each its own document (default 1500, the issue's; 0 skips).")
    ap.add_argument("--against", metavar="REV", help="Also time (c) of this git commit beside this checkout's (section 8).")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    pp = _policyparse_cmd()
    started = time.perf_counter()

    rows = []          # per size
    rss_by_size: dict[int, int | None] = {}
    for size in sizes:
        t0 = time.perf_counter()
        d, files, nbytes = build_corpus(size)
        built = time.perf_counter() - t0
        print(f"[{size} MB] corpus {d.relative_to(ROOT)}: {len(files)} files, {nbytes / MB:.2f} MB "
              f"(ready in {built:.1f} s)", file=sys.stderr)
        # Warm the page cache so the first measured run does not pay for disk reads.
        bare_minimum(files)
        rel = str(d.relative_to(ROOT))
        want_rss = True
        # The same number of runs at every size: on a shared 2-core machine a single run of the
        # parallel case can be off by a third.
        rep = args.repeat
        t1, rss1 = median_run(pp + ["parse", rel, "--out", "{OUT}", "--jobs", "1", "--quiet"], rep,
                              rss=want_rss, fresh_out=True)
        print(f"[{size} MB] --jobs 1: {t1:.2f} s", file=sys.stderr)
        t2, rss2 = median_run(pp + ["parse", rel, "--out", "{OUT}", "--jobs", "2", "--quiet"], rep,
                              rss=want_rss, fresh_out=True)
        print(f"[{size} MB] --jobs 2: {t2:.2f} s", file=sys.stderr)
        # cheap and noisy: at least 5 runs each
        full_parse(files[:5])  # import and compile once, outside the timing
        others = [f for f in (_jionlp_money(), _cn2an_transform()) if f is not None]
        for f in others:
            f(files[:2])  # imports and dictionaries load outside the timing
        times = interleaved([bare_minimum, one_pass_baseline, full_parse, *others], files, max(5, args.repeat))
        ta, tb, tc = times[:3]
        mbs = nbytes / MB
        first, rerun = first_and_rerun(pp, rel, rep)
        cpu_first = statistics.median(c for c, _ in FIRST_RERUN_CPU)
        cpu_rerun = statistics.median(c for _, c in FIRST_RERUN_CPU)
        print(f"[{size} MB] first run {first:.2f} s, re-run {rerun:.2f} s", file=sys.stderr)
        rows.append({
            "size": size, "files": len(files), "mb": mbs,
            "t1": t1, "t2": t2, "j1": mbs / t1, "j2": mbs / t2, "speedup": t1 / t2,
            "rss1": rss1, "rss2": rss2, "a": mbs / ta, "b": mbs / tb, "c": mbs / tc,
            "first": first, "rerun": rerun, "cpu_first": cpu_first, "cpu_rerun": cpu_rerun,
            "others": {f.__name__: mbs / t for f, t in zip(others, times[3:])},
        })
        rss_by_size[size] = rss1

    # Start-up: each command vs `python -c pass`, median of N runs, with .pyc files (see 5. above).
    seeds = [str(p.relative_to(ROOT)) for p in SEEDS]
    with_pyc = {k: v for k, v in NO_CACHE_ENV.items() if k != "PYTHONDONTWRITEBYTECODE"}
    startup_cmds = [
        ("`python -c pass`", [sys.executable, "-c", "pass"], False),
        ("`policyparse --help`", pp + ["--help"], False),
        ("`policyparse parse seeds/*.txt --out TMP`", pp + ["parse", *seeds, "--out", "{OUT}"], True),
        ("`policyparse targets --year 2015 seeds/*.txt --format json`",
         pp + ["targets", "--year", "2015", *seeds, "--format", "json"], False),
        ("`policyparse parse one.txt --out TMP` (no cache)", pp + ["parse", seeds[1], "--out", "{OUT}"], True),
    ]
    startup = []
    for label, cmd, fresh in startup_cmds:
        cpu: list = []
        median_run(cmd, 1, fresh_out=fresh, env=with_pyc)      # warm-up: writes any missing .pyc
        w, _ = median_run(cmd, args.startup_repeat, fresh_out=fresh, env=with_pyc, cpu=cpu)
        startup.append((label, w, cpu[0]))
    # the same one file with a warm cache
    warm = tempfile.mkdtemp(prefix="bench-cache-")
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYPARSE_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env["POLICYPARSE_CACHE_DIR"] = warm
    one = pp + ["parse", seeds[1], "--out", "{OUT}"]
    median_run(one, 1, fresh_out=True, env=env)                 # warm-up: fills the cache, writes .pyc
    cpu = []
    w, _ = median_run(one, args.startup_repeat, fresh_out=True, env=env, cpu=cpu)
    startup.append(("`policyparse parse one.txt --out TMP` (warm cache)", w, cpu[0]))
    shutil.rmtree(warm, ignore_errors=True)
    base = startup[0][1]
    base_cpu = startup[0][2]

    compared = None
    if args.against:
        d, files, nbytes = build_corpus(sizes[-1])
        compared = against(args.against, files, max(3, args.repeat))
        compared.update(size=sizes[-1], mb=nbytes / MB)
        print(f"[against {compared['sha']}] old {compared['old']:.2f} s ({compared['cpu_old']:.2f} s CPU), "
              f"new {compared['new']:.2f} s ({compared['cpu_new']:.2f} s CPU)", file=sys.stderr)

    seed_rerun = rerun_seed_copies(args.seed_files, args.repeat) if args.seed_files else None

    # ---- floors ----
    checks = []
    for r in rows:
        ratio = r["c"] / r["b"]
        checks.append((f"full parse (c) ≥ {FLOOR_BASELINE_RATIO} × one-pass baseline (b) ({r['size']} MB)",
                       ratio >= FLOOR_BASELINE_RATIO, f"{ratio:.3f}"))
    for r in rows + ([seed_rerun] if seed_rerun else []):
        floor = FLOOR_RERUN_100 if isinstance(r["size"], int) and r["size"] >= 100 else FLOOR_RERUN_SMALL
        ratio = r["first"] / r["rerun"]
        unit = " MB" if isinstance(r["size"], int) else ""
        checks.append((f"re-run with the cache ≥ {floor:.0f}× faster than the first run ({r['size']}{unit}, "
                       f"{r['files']} files; wall)", ratio >= floor, f"{ratio:.1f}×"))
        ratio = r["cpu_first"] / r["cpu_rerun"]
        checks.append((f"re-run with the cache ≥ {floor:.0f}× less CPU than the first run ({r['size']}{unit})",
                       ratio >= floor, f"{ratio:.1f}×"))
        jio = r.get("others", {}).get("jionlp_extract_money")
        if jio:
            checks.append((f"full parse (c) ≥ {FLOOR_VS_JIONLP}× JioNLP extract_money ({r['size']} MB)",
                           r["c"] / jio >= FLOOR_VS_JIONLP, f"{r['c'] / jio:.2f}×"))
    one_cpu = next(c for label, _, c in startup if "one.txt" in label and "no cache" in label)
    checks.append((f"one-file `parse one.txt` ≤ {FLOOR_ONE_FILE:.0f}× `python -c pass` (CPU time, no cache)",
                   one_cpu / base_cpu <= FLOOR_ONE_FILE, f"{one_cpu / base_cpu:.1f}×"))
    if compared:
        ratio = compared["old"] / compared["new"]
        checks.append((f"full parse (c) ≥ {FLOOR_VS_AGAINST}× the throughput of {compared['sha']} ({compared['size']} MB)",
                       ratio >= FLOOR_VS_AGAINST, f"{ratio:.2f}×"))
        ratio = compared["cpu_old"] / compared["cpu_new"]
        checks.append((f"full parse (c) ≥ {FLOOR_VS_AGAINST}× the throughput of {compared['sha']} ({compared['size']} MB; CPU)",
                       ratio >= FLOOR_VS_AGAINST, f"{ratio:.2f}×"))
    help_s = startup[1][1]
    checks.append((f"`policyparse --help` ≤ {FLOOR_HELP_SECONDS} s", help_s <= FLOOR_HELP_SECONDS, f"{help_s:.3f} s"))
    big = rows[-1]
    checks.append((f"--jobs 2 speed-up ≥ {FLOOR_SPEEDUP}× (biggest size run: {big['size']} MB)",
                   big["speedup"] >= FLOOR_SPEEDUP, f"{big['speedup']:.2f}×"))
    if rss_by_size.get(10) and rss_by_size.get(100):
        growth = rss_by_size[100] / rss_by_size[10]
        checks.append((f"memory flat: peak RSS 100 MB ≤ {FLOOR_MEMORY_GROWTH} × 10 MB (--jobs 1)",
                       growth <= FLOOR_MEMORY_GROWTH, f"{growth:.2f}×"))
    else:
        checks.append((f"memory flat: peak RSS 100 MB ≤ {FLOOR_MEMORY_GROWTH} × 10 MB (--jobs 1)", None,
                       "not measured (run with --sizes 10,100)"))

    # ---- markdown ----
    out = []
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    out.append("# policyparse benchmark\n")
    out.append(f"{now} · Python {platform.python_version()} · {platform.machine()} · {cpus} cores · "
               f"sizes {', '.join(f'{s} MB' for s in sizes)} · commands: median of {args.repeat} runs; "
               f"(a), (b), (c): median of {max(5, args.repeat)}, taken in turn · 1 MB = 10⁶ bytes · peak RSS via "
               f"{'GNU time -v' if GNU_TIME else 'getrusage(RUSAGE_CHILDREN)'}\n")
    out.append("## Throughput and memory\n")
    out.append("--jobs 1 / --jobs 2: wall time of the whole command (start-up, reading, parsing, writing JSON "
               "with fsync). (a) = read + decode + one digit regex; (b) = pure-Python one pass (line split + "
               "heading regex + number regex); (c) = the full parse in one process (policyparse.parse_file: "
               "read, decode, outline, units, targets, pydantic models; no output); (a), (b), (c) in this "
               "process on the same files. RSS for --jobs 2 is the largest single process.\n")
    out.append("| size | files | --jobs 1 MB/s | --jobs 2 MB/s | speed-up | peak RSS j1 | peak RSS j2 | "
               "(a) bare MB/s | (b) one-pass MB/s | (c) full parse MB/s | (c) / (b) | j1 / (b) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        out.append(f"| {r['size']} MB | {r['files']} | {r['j1']:.2f} ({r['t1']:.2f} s) | {r['j2']:.2f} ({r['t2']:.2f} s) | "
                   f"{r['speedup']:.2f}× | {fmt_rss(r['rss1'])} | {fmt_rss(r['rss2'])} | {r['a']:.1f} | {r['b']:.1f} | "
                   f"{r['c']:.2f} | {r['c'] / r['b']:.3f} | {r['j1'] / r['b']:.3f} |")
    names = sorted({n for r in rows for n in r["others"]})
    if names:
        out.append("\n## Against other tools (same files, same interleaved runs as (a), (b), (c))\n")
        out.append("| size | (c) full parse MB/s | " + " | ".join(f"`{n}` MB/s | (c) / `{n}`" for n in names) + " |")
        out.append("|---:|---:|" + "---:|---:|" * len(names))
        for r in rows:
            cells = []
            for n in names:
                v = r["others"].get(n)
                cells += [f"{v:.2f}", f"{r['c'] / v:.2f}×"] if v else ["—", "—"]
            out.append(f"| {r['size']} MB | {r['c']:.2f} | " + " | ".join(cells) + " |")
    else:
        out.append("\n(JioNLP and cn2an not installed: `pip install 'policyparse[bench]'` adds the comparison.)")
    out.append("\n## Re-runs: the parse cache\n")
    out.append("`policyparse parse DIR --out OUT --jobs 1 --quiet` with an empty cache, then the same command "
               "again over the unchanged corpus (median of %d rounds).\n" % args.repeat)
    out.append("| size | files | first run | re-run | re-run faster by | first run CPU | re-run CPU | faster by (CPU) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows + ([seed_rerun] if seed_rerun else []):
        size = f"{r['size']} MB" if isinstance(r["size"], int) else f"{r['mb']:.0f} MB ({r['files']} seed-sized files)"
        out.append(f"| {size} | {r['files']} | {r['first']:.2f} s | {r['rerun']:.2f} s | {r['first'] / r['rerun']:.1f}× "
                   f"| {r['cpu_first']:.2f} s | {r['cpu_rerun']:.2f} s | {r['cpu_first'] / r['cpu_rerun']:.1f}× |")
    out.append("\n## Start-up (median of %d runs)\n" % args.startup_repeat)
    out.append("| command | wall s | × `python -c pass` | CPU s | CPU × `python -c pass` |")
    out.append("|---|---:|---:|---:|---:|")
    for label, w, c in startup:
        out.append(f"| {label} | {w:.3f} | {w / base:.1f}× | {c:.3f} | {c / base_cpu:.1f}× |")
    if compared:
        c = compared
        out.append(f"\n## Against commit {c['sha']} (`--against {c['rev']}`)\n")
        out.append("(c) of that commit's src/ and of this checkout, each in a fresh process over the same "
                   f"{c['size']} MB, taken in turn, parse loop only (median of {max(3, args.repeat)}).\n")
        out.append("| code | (c) MB/s | parse loop s | parse loop CPU s | targets found |")
        out.append("|---|---:|---:|---:|---:|")
        out.append(f"| {c['sha']} | {c['mb'] / c['old']:.2f} | {c['old']:.2f} | {c['cpu_old']:.2f} | {c['targets_old']} |")
        out.append(f"| this checkout | {c['mb'] / c['new']:.2f} | {c['new']:.2f} | {c['cpu_new']:.2f} | {c['targets_new']} |")
        out.append(f"| ratio | {c['old'] / c['new']:.2f}× | | {c['cpu_old'] / c['cpu_new']:.2f}× | |")
    out.append("\n## Floors\n")
    out.append("| floor | measured | result |")
    out.append("|---|---:|---|")
    for label, ok, measured in checks:
        out.append(f"| {label} | {measured} | {'SKIP' if ok is None else 'PASS' if ok else 'FAIL'} |")
    out.append(f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s.\n")
    md = "\n".join(out)
    RESULTS.write_text(md, encoding="utf-8")
    print(md)
    for label, ok, measured in checks:
        print(f"{'SKIP' if ok is None else 'PASS' if ok else 'FAIL'}: {label}: {measured}")
    failed = any(ok is False for _, ok, _ in checks)
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
