"""The parse cache: hits by content, tool and options; misses on any change; --no-cache; safe
when two runs share it and when a run is killed mid-write."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from policyparse import cache as cache_mod
from policyparse import pipeline
from policyparse.cache import Cache, read_record
from policyparse.emit import record_json

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch):
    monkeypatch.delenv("POLICYPARSE_NO_CACHE", raising=False)  # tests/conftest.py turns it off


def _no_parsing(monkeypatch):
    def boom(path):
        raise AssertionError(f"parsed {path} although it is cached")
    monkeypatch.setattr(pipeline, "parse_file_record", boom)


def entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json"))


def results(root: Path) -> list[Path]:
    """The entries holding a record or an output (not the output folders' stat indexes)."""
    return [e for e in entries(root) if "files" not in orjson.loads(e.read_bytes())["record"]]


def test_hit_returns_the_same_record_and_parses_nothing(tmp_path, monkeypatch):
    c = Cache(tmp_path)
    first = [read_record(str(s), c) for s in SEEDS]
    assert (c.hits, c.misses) == (0, 5) and len(entries(tmp_path)) == 5
    _no_parsing(monkeypatch)
    c2 = Cache(tmp_path)
    again = [read_record(str(s), c2) for s in SEEDS]
    assert c2.hits == 5
    for (r1, id1, n1), (r2, id2, n2) in zip(first, again):
        assert (id1, n1) == (id2, n2)
        assert record_json(r1) == record_json(r2)   # byte for byte what `parse` writes


def test_same_bytes_at_another_path_is_a_hit_with_its_own_source(tmp_path, monkeypatch):
    c = Cache(tmp_path / "c")
    read_record(str(SEEDS[0]), c)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEEDS[0].read_bytes())
    _no_parsing(monkeypatch)
    record, _, _ = read_record(str(copy), c)
    assert record["source"] == str(copy) and list(record)[0] == "source"


@pytest.mark.parametrize("change", ["content", "options", "tool"])
def test_any_change_is_a_miss(tmp_path, monkeypatch, change):
    doc = tmp_path / "doc.txt"
    doc.write_bytes(SEEDS[1].read_bytes())
    c = Cache(tmp_path / "c")
    read_record(str(doc), c, {"review": False})
    options = {"review": False}
    if change == "content":
        doc.write_bytes(SEEDS[1].read_bytes() + "\n四、新增一节\n到2030年建成10个基地。\n".encode())
    elif change == "options":
        options = {"review": True}
    else:
        monkeypatch.setattr(cache_mod, "tool_fingerprint", lambda *memo: "9.9.9+other")
    record, _, _ = read_record(str(doc), c, options)
    assert c.misses == 2 and c.hits == 0
    assert record_json(record) == record_json(pipeline.parse_file_record(str(doc)))


def test_disabled_reads_and_writes_nothing(tmp_path):
    c = Cache(tmp_path, enabled=False)
    read_record(str(SEEDS[0]), c)
    read_record(str(SEEDS[0]), c)
    assert entries(tmp_path) == [] and c.hits == 0


@pytest.mark.parametrize("damage", [b"", b'{"key": "', b"not json", b'{"key": "other", "record": {}}'])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path, damage):
    c = Cache(tmp_path)
    good, _, _ = read_record(str(SEEDS[2]), c)
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage)
    record, _, _ = read_record(str(SEEDS[2]), c)
    assert record_json(record) == record_json(good)
    assert orjson.loads(entry.read_bytes())["record"]["title"] == good["title"]


def test_errors_are_not_cached(tmp_path):
    from policyparse.errors import InputError

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    c = Cache(tmp_path / "c")
    for _ in range(2):
        with pytest.raises(InputError, match="empty file"):
            read_record(str(empty), c)
    with pytest.raises(InputError, match="no such file"):
        read_record(str(tmp_path / "missing.txt"), c)
    assert entries(tmp_path / "c") == []


def test_location(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYPARSE_CACHE_DIR", str(tmp_path / "a"))
    assert cache_mod.default_dir() == tmp_path / "a"
    monkeypatch.delenv("POLICYPARSE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_mod.default_dir() == tmp_path / "xdg" / "policyparse"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")   # the XDG spec: relative paths are ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_mod.default_dir() == tmp_path / "home" / ".cache" / "policyparse"


def test_unwritable_cache_is_skipped(tmp_path):
    root = tmp_path / "file-not-folder"
    root.write_text("x")
    record, _, _ = read_record(str(SEEDS[0]), Cache(root))
    assert record_json(record) == record_json(pipeline.parse_file_record(str(SEEDS[0])))


# ---- through the CLI, in real processes ------------------------------------------------------------

def _env(cache_dir: Path) -> dict:
    env = dict(os.environ, POLICYPARSE_CACHE_DIR=str(cache_dir), NO_COLOR="1", PYTHONUTF8="1")
    env.pop("POLICYPARSE_NO_CACHE", None)
    return env


def _corpus(tmp_path: Path, copies: int) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(copies):
        for s in SEEDS:  # distinct bytes per file, so each is its own cache entry
            (d / f"c{i:03d}_{s.name}").write_bytes(s.read_bytes() + f"\n附件{i}\n".encode())
    return d


def _parse(args: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyparse", "parse", *args, "--quiet"], env=env,
                          capture_output=True, timeout=300, **kw)


def test_cli_rerun_is_served_from_the_cache_and_outputs_are_identical(tmp_path):
    src = _corpus(tmp_path, 2)
    env = _env(tmp_path / "cache")
    assert _parse([str(src), "--out", str(tmp_path / "a"), "-j", "1"], env).returncode == 0
    assert len(results(tmp_path / "cache")) == 20   # a record and an output per file
    assert _parse([str(src), "--out", str(tmp_path / "b"), "-j", "2"], env).returncode == 0
    assert _parse([str(src), "--out", str(tmp_path / "c"), "-j", "1", "--no-cache"], dict(env, POLICYPARSE_CACHE_DIR=str(tmp_path / "none"))).returncode == 0
    assert not (tmp_path / "none").exists()
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes() == (tmp_path / "c" / f.name).read_bytes()


def test_two_runs_sharing_the_cache(tmp_path):
    src = _corpus(tmp_path, 6)
    env = _env(tmp_path / "cache")
    procs = [subprocess.Popen([sys.executable, "-m", "policyparse", "parse", str(src), "--out", str(tmp_path / f"o{i}"),
                               "-j", "1", "--quiet"], env=env, stderr=subprocess.PIPE) for i in range(2)]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    files = entries(tmp_path / "cache")
    assert len(results(tmp_path / "cache")) == 60
    for e in files:
        assert orjson.loads(e.read_bytes())["key"] == e.parent.name + e.stem
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    for f in (tmp_path / "o0").iterdir():
        assert f.read_bytes() == (tmp_path / "o1" / f.name).read_bytes()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_leaves_only_whole_entries(tmp_path, sig):
    src = _corpus(tmp_path, 20)
    cache_dir = tmp_path / "cache"
    env = _env(cache_dir)
    proc = subprocess.Popen([sys.executable, "-m", "policyparse", "parse", str(src), "--out", str(tmp_path / "o"),
                             "-j", "2", "--quiet"], env=env, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    end = time.monotonic() + 120
    while len(entries(cache_dir)) < 8 and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.002)
    os.killpg(proc.pid, sig)
    proc.wait(timeout=30)
    time.sleep(0.2)
    done = entries(cache_dir)
    assert 8 <= len(results(cache_dir)) < 200, "the run was not killed mid-batch"
    for e in done:   # every entry present is whole
        assert orjson.loads(e.read_bytes())["key"] == e.parent.name + e.stem
    if sig == signal.SIGINT:
        assert not list(cache_dir.rglob("*.tmp")), "Ctrl-C left a temporary cache file"
    # the next run completes the cache and gives what a run without it gives
    assert _parse([str(src), "--out", str(tmp_path / "o2"), "-j", "1"], env).returncode == 0
    assert len(results(cache_dir)) == 200
    assert _parse([str(src), "--out", str(tmp_path / "o3"), "-j", "1", "--no-cache"], env).returncode == 0
    for f in (tmp_path / "o3").iterdir():
        assert f.read_bytes() == (tmp_path / "o2" / f.name).read_bytes()


@pytest.mark.parametrize("indexed", [False, True], ids=["to stdout", "into a folder"])
def test_a_miss_reads_and_hashes_the_input_once(tmp_path, monkeypatch, indexed):
    """A document not in the cache: read once and hashed once, its record and its output both
    stored under that hash (read twice and hashed twice before: 2% of a miss)."""
    from policyparse.cli.parse import _parse_job

    src = _corpus(tmp_path, 1)
    doc = src / sorted(os.listdir(src))[0]
    _settle(doc)
    expected = orjson.loads(record_json(pipeline.parse_file_record(str(doc))))
    hashed, read = [], []
    content_id, read_input = cache_mod.content_id, cache_mod.read_input
    monkeypatch.setattr(cache_mod, "content_id", lambda data: hashed.append(len(data)) or content_id(data))
    monkeypatch.setattr(cache_mod, "read_input", lambda path: read.append(path) or read_input(path))
    cache = Cache(tmp_path / "cache")
    out = tmp_path / "out.json"
    job = dict(fmt="json", indent=None, cache=cache)
    if indexed:
        job["index"] = cache_mod.OutputIndex(cache, {"format": "json", "indent": None}, str(tmp_path))
    text, _ = _parse_job(str(doc), str(out) if indexed else None, **job)
    assert len(read) == 1 and len(hashed) == 1
    assert orjson.loads(out.read_bytes() if indexed else text) == expected
    _no_parsing(monkeypatch)   # the record and the output were both stored: served now, nothing parsed
    assert orjson.loads(record_json(read_record(str(doc), cache)[0])) == expected
    again, _ = _parse_job(str(doc), None, fmt="json", indent=None, cache=cache)
    assert orjson.loads(again) == expected


def test_outputs_are_memoized_per_path_and_options(tmp_path, monkeypatch):
    from policyparse.cache import cached_output

    calls = []

    def render(record):
        calls.append(record["source"])
        return record_json(record), {"targets": len(record["targets"])}

    c = Cache(tmp_path / "c")
    first = cached_output(str(SEEDS[0]), c, {"format": "json"}, render)
    _no_parsing(monkeypatch)
    assert cached_output(str(SEEDS[0]), c, {"format": "json"}, render) == first
    assert calls == [str(SEEDS[0])]                       # the hit rendered nothing
    cached_output(str(SEEDS[0]), c, {"format": "yaml"}, render)   # other options: rendered again
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEEDS[0].read_bytes())
    text, _ = cached_output(str(copy), c, {"format": "json"}, render)   # other path: its own source
    assert calls == [str(SEEDS[0])] * 2 + [str(copy)] and f'"source":"{copy}"' in text.replace(" ", "")


# ---- re-runs: the stat fast path (cache.OutputIndex) ------------------------------------------------

class Spy:
    """Counts what a `parse` run does to its inputs and outputs: files read through the cache
    (read_input: a hash follows), parses, and output files written."""

    def __init__(self, monkeypatch):
        from policyparse import emit

        self.reads, self.parses, self.writes = [], [], []
        read_input, parse_file_record, write_atomic = cache_mod.read_input, pipeline.parse_file_record, emit.write_atomic

        def spy(log, fn, name):
            def wrapper(path, *a, **kw):
                log.append(Path(path).name)
                return fn(path, *a, **kw)
            monkeypatch.setattr(*name, wrapper)

        spy(self.reads, read_input, (cache_mod, "read_input"))
        spy(self.parses, parse_file_record, (pipeline, "parse_file_record"))
        spy(self.writes, write_atomic, (emit, "write_atomic"))

    def counts(self) -> tuple[int, int, int]:
        n = (len(self.reads), len(self.parses), len(self.writes))
        self.reads.clear(), self.parses.clear(), self.writes.clear()
        return n


def _settle(*paths: Path, age: float = 60.0) -> None:
    """Backdate files past the racy window (cache.RACY_NS): a file saved just now is hashed on
    every run until it is older than that."""
    then = time.time() - age
    for p in paths:
        os.utime(p, (then, then))


@pytest.fixture
def rerun(tmp_path, monkeypatch):
    """(parse(*args) -> CliRunner result, the input folder of 5 distinct files, the output
    folder, the Spy): `parse` in this process with --jobs 1 and a cache of its own."""
    from typer.testing import CliRunner

    from policyparse import readers
    from policyparse.cli import app

    monkeypatch.setenv("POLICYPARSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "max_size_override", None)   # --max-size sets it for the process
    src = _corpus(tmp_path, 1)
    _settle(*src.iterdir())
    out = tmp_path / "out"

    def parse(*args: str):
        return CliRunner().invoke(app, ["parse", str(src), "--out", str(out), "-j", "1", *args],
                                  catch_exceptions=False)

    return parse, src, out, Spy(monkeypatch)


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_rerun_reads_hashes_parses_and_writes_nothing(rerun):
    parse, src, out, spy = rerun
    first = parse()
    assert first.exit_code == 0 and spy.counts() == (5, 5, 5)   # each input read once, parsed once
    before = _outputs(out)
    again = parse()
    assert again.exit_code == 0 and spy.counts() == (0, 0, 0)
    assert again.output == first.output          # the summary table: every row and the totals
    assert _outputs(out) == before


def _touch(src, out):            # a newer mtime, the same bytes
    os.utime(src / sorted(os.listdir(src))[0], (time.time() - 30, time.time() - 30))


def _edit(src, out):
    doc = src / sorted(os.listdir(src))[0]
    doc.write_bytes(doc.read_bytes() + "\n五、新增一节\n到2030年建成12个示范基地。\n".encode())
    _settle(doc, age=30)


def _same_size_edit(src, out):   # other bytes, same size, mtime put back: only the inode tells
    doc = src / sorted(os.listdir(src))[0]
    st = doc.stat()
    data = doc.read_bytes().replace("附件0".encode(), "附件9".encode())
    tmp = doc.with_suffix(".new")
    tmp.write_bytes(data)
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, doc)


def _edit_output(src, out):
    first = out / sorted(os.listdir(out))[0]
    first.write_bytes(first.read_bytes().replace(b'"title"', b'"TITLE"'))


def _delete_output(src, out):
    (out / sorted(os.listdir(out))[0]).unlink()


def _truncate_output(src, out):
    first = out / sorted(os.listdir(out))[0]
    first.write_bytes(first.read_bytes()[:100])


@pytest.mark.parametrize("change, reads, parses, writes", [
    (_touch, 1, 0, 0),             # a hash, and the output is known to be right
    (_edit, 1, 1, 1),              # parsed again from the bytes read for its hash, output replaced
    (_same_size_edit, 1, 1, 1),
    (_edit_output, 1, 0, 1),       # rewritten from the content-hash cache, nothing parsed
    (_delete_output, 1, 0, 1),
    (_truncate_output, 1, 0, 1),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_a_change_falls_back_to_the_content_path(rerun, change, reads, parses, writes):
    parse, src, out, spy = rerun
    parse()
    spy.counts()
    change(src, out)
    result = parse()
    assert result.exit_code == 0 and spy.counts() == (reads, parses, writes)
    assert parse().exit_code == 0 and spy.counts() == (0, 0, 0)   # and the next run is free again
    fresh = out.parent / "fresh"
    assert parse("--no-cache", "--out", str(fresh)).exit_code == 0
    assert _outputs(out) == _outputs(fresh)                # what a parse without any cache writes


def test_a_file_modified_just_now_is_hashed_until_it_settles(rerun):
    parse, src, out, spy = rerun
    doc = sorted(src.iterdir())[0]
    os.utime(doc)                                  # mtime: now
    parse()
    assert spy.counts()[1:] == (5, 5)
    assert parse().exit_code == 0 and spy.counts() == (1, 0, 0)   # not trusted by its stat yet
    assert spy.counts() == (0, 0, 0)
    _settle(doc, age=30)
    parse()
    assert spy.counts() == (1, 0, 0)               # hashed once more, then recorded
    parse()
    assert spy.counts() == (0, 0, 0)


@pytest.mark.parametrize("args, reads, parses, writes, code", [
    (["--format", "yaml"], 5, 0, 5, 0),        # other options: other outputs, no parse (records cached)
    (["--max-size", "0.001"], 10, 5, 0, 1),    # a lower limit refuses every file, as without a cache
    (["--no-cache"], 5, 5, 0, 0),              # parsed again; the outputs already hold these bytes
    (["--review"], 5, 0, 6, 0),                # the pages and index.html are written; records from the cache
], ids=["format", "max-size", "no-cache", "review"])
def test_other_options_are_a_miss(rerun, args, reads, parses, writes, code):
    parse, src, out, spy = rerun
    parse()
    spy.counts()
    assert parse(*args).exit_code == code
    assert spy.counts() == (reads, parses, writes)


def test_failures_are_reported_again_with_the_same_summary(rerun):
    parse, src, out, spy = rerun
    (src / "empty.txt").write_bytes(b"")
    _settle(src / "empty.txt")
    first = parse()
    again = parse()
    assert first.exit_code == again.exit_code == 1
    assert again.output == first.output and "empty.txt" in again.output
    assert spy.counts()[1] == 5 + 1 + 1     # the empty file is read again each time, nothing else


def test_an_unchanged_corpus_starts_no_worker(rerun, monkeypatch):
    from policyparse import batch

    parse, src, out, spy = rerun
    assert parse("-j", "2").exit_code == 0

    def no_worker(*a, **kw):
        raise AssertionError("a worker was started for an unchanged corpus")
    monkeypatch.setattr(batch, "_Worker", no_worker)
    result = parse("-j", "2")
    assert result.exit_code == 0 and "total: 5 parsed" in result.output


def _index_entry(cache_dir: Path) -> Path:
    (index,) = [e for e in entries(cache_dir) if "files" in orjson.loads(e.read_bytes())["record"]]
    return index


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b"", lambda b: b.replace(b'"key":"', b'"key":"0')],
                         ids=["cut short", "empty", "foreign"])
def test_a_damaged_index_is_a_miss_and_is_rewritten(rerun, tmp_path, damage):
    parse, src, out, spy = rerun
    parse()
    spy.counts()
    index = _index_entry(tmp_path / "cache")
    whole = index.read_bytes()
    index.write_bytes(damage(whole))
    before = _outputs(out)
    assert parse().exit_code == 0 and spy.counts() == (5, 0, 0)   # hashed, nothing parsed or written
    assert _outputs(out) == before and orjson.loads(index.read_bytes()) == orjson.loads(whole)
    parse()
    assert spy.counts() == (0, 0, 0)


def test_two_runs_into_one_output_folder(tmp_path):
    """Two runs sharing the cache and the output folder: identical outputs, the index whole,
    and the next run serves every file by its stats and agrees with a run without a cache."""
    src = _corpus(tmp_path, 6)
    _settle(*src.iterdir())
    env = _env(tmp_path / "cache")
    out = tmp_path / "o"
    procs = [subprocess.Popen([sys.executable, "-m", "policyparse", "parse", str(src), "--out", str(out),
                               "-j", "1", "--quiet"], env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    assert orjson.loads(_index_entry(tmp_path / "cache").read_bytes())["record"]["files"]
    assert _parse([str(src), "--out", str(out), "-j", "1"], env).returncode == 0
    assert _parse([str(src), "--out", str(tmp_path / "fresh"), "-j", "1", "--no-cache"], env).returncode == 0
    assert _outputs(out) == _outputs(tmp_path / "fresh")


# ---- the tool's fingerprint ----------------------------------------------------------------------

def _package(root: Path) -> Path:
    pkg = root / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "data" / "words.txt").write_text("单位\n")
    return pkg


@pytest.mark.parametrize("change, same", [
    (lambda pkg: os.utime(pkg / "__init__.py"), True),                         # touched: same bytes
    (lambda pkg: (pkg / "__init__.py").write_text("x = 2\n"), False),          # edited, same size
    (lambda pkg: (pkg / "data" / "words.txt").write_text("单位\n部门\n"), False),  # a word list
    (lambda pkg: (pkg / "new.py").write_text(""), False),                     # a new module
    (lambda pkg: (pkg / "__pycache__").mkdir() or (pkg / "__pycache__" / "x.pyc").write_bytes(b"1"), True),
], ids=["touched", "edited", "data", "new file", "pycache"])
def test_the_fingerprint_follows_the_package_files(tmp_path, change, same):
    pkg = _package(tmp_path)
    memo = str(tmp_path / "memo")
    before = cache_mod.fingerprint_of("1.0", str(pkg), memo)
    assert before == cache_mod.fingerprint_of("1.0", str(pkg))       # the memo only saves the hashing
    _settle(*pkg.rglob("*"))
    change(pkg)
    after = cache_mod.fingerprint_of("1.0", str(pkg), memo)
    assert (after == before) is same
    assert after == cache_mod.fingerprint_of("1.0", str(pkg))


def test_the_fingerprint_memo_is_read_back_and_a_torn_one_is_recomputed(tmp_path, monkeypatch):
    pkg = _package(tmp_path)
    memo = tmp_path / "memo"
    real = cache_mod.fingerprint_of("1.0", str(pkg), str(memo))
    (saved,) = memo.rglob("*.txt")
    monkeypatch.setattr(cache_mod, "_content_fingerprint", lambda *a: pytest.fail("hashed the files again"))
    assert cache_mod.fingerprint_of("1.0", str(pkg), str(memo)) == real
    monkeypatch.undo()
    saved.write_text(real[:5])
    assert cache_mod.fingerprint_of("1.0", str(pkg), str(memo)) == real == saved.read_text()


def test_standard_input_is_never_served_by_stats(rerun, tmp_path, monkeypatch):
    """`-` is standard input even when a file named "-" sits in the working directory."""
    from typer.testing import CliRunner

    from policyparse import readers
    from policyparse.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_bytes(SEEDS[0].read_bytes())
    _settle(tmp_path / "-")
    for seed in (SEEDS[1], SEEDS[2]):
        monkeypatch.setattr(readers, "_stdin_data", None)
        result = CliRunner().invoke(app, ["parse", "-", "--out", "o", "-j", "1", "-q"], input=seed.read_bytes(),
                                    catch_exceptions=False)
        assert result.exit_code == 0
        got = orjson.loads((tmp_path / "o" / "stdin.json").read_bytes())
        assert got["sections"] == orjson.loads(record_json(pipeline.parse_file_record(str(seed))))["sections"]


def test_hits_and_misses_mixed_with_two_workers(rerun):
    """Edited files go to the workers, the others are answered in the parent: the summary rows
    stay in input order and every output is what a run without a cache writes."""
    parse, src, out, spy = rerun
    first = parse("-j", "2")
    docs = sorted(src.iterdir())
    for doc in (docs[1], docs[3]):
        doc.write_bytes(doc.read_bytes() + "\n到2035年建成8个产业园区。\n".encode())
        _settle(doc, age=30)
    again = parse("-j", "2")
    assert again.exit_code == 0
    def rows(output: str) -> list[str]:
        return [line.split()[0] for line in output.splitlines() if "c000_" in line]
    assert rows(again.output) == rows(first.output) == [str(d) for d in docs]
    fresh = out.parent / "fresh"
    assert parse("--no-cache", "--out", str(fresh)).exit_code == 0
    assert _outputs(out) == _outputs(fresh) and _outputs(out) != {}


def test_targets_rerun_reads_the_cached_rows_without_a_job(tmp_path, monkeypatch):
    """`targets` over cached documents reads each one's target rows in this process: no record
    decoded, no worker, nothing parsed; the output is that of a run without the cache, and an
    edited file (a miss) is read by its job as before."""
    from typer.testing import CliRunner

    from policyparse.cli import app
    from policyparse.cli import targets as targets_cli

    src = _corpus(tmp_path, 2)
    monkeypatch.setenv("POLICYPARSE_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    args = ["targets", str(src), "--format", "json", "-j", "2"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert len(json.loads(first.stdout)) > 100

    real_job = targets_cli._targets_job
    monkeypatch.setattr(targets_cli, "_targets_job", lambda path, cache=None: (_ for _ in ()).throw(AssertionError(f"job ran for {path}")))
    _no_parsing(monkeypatch)
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout

    monkeypatch.setattr(targets_cli, "_targets_job", real_job)
    monkeypatch.undo()   # parsing allowed again; the cache folder is set again below
    monkeypatch.setenv("POLICYPARSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLICYPARSE_NO_CACHE", raising=False)
    uncached = runner.invoke(app, [*args, "--no-cache"])
    assert uncached.stdout == first.stdout

    edited = sorted(src.iterdir())[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n到2030年，新增5G基站3万个。\n", encoding="utf-8")
    after = json.loads(runner.invoke(app, args).stdout)
    assert len(after) == len(json.loads(first.stdout)) + 1
    assert any(r["raw"] == "3万个" and r["document"] == str(edited) for r in after)
