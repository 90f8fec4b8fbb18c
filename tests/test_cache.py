"""The parse cache: hits by content, tool and options; misses on any change; --no-cache; safe
when two runs share it and when a run is killed mid-write."""
from __future__ import annotations

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
        monkeypatch.setattr(cache_mod, "tool_fingerprint", lambda: "9.9.9+other")
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
    assert len(entries(tmp_path / "cache")) == 20   # a record and an output per file
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
    assert len(files) == 60
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
    assert 8 <= len(done) < 200, "the run was not killed mid-batch"
    for e in done:   # every entry present is whole
        assert orjson.loads(e.read_bytes())["key"] == e.parent.name + e.stem
    if sig == signal.SIGINT:
        assert not list(cache_dir.rglob("*.tmp")), "Ctrl-C left a temporary cache file"
    # the next run completes the cache and gives what a run without it gives
    assert _parse([str(src), "--out", str(tmp_path / "o2"), "-j", "1"], env).returncode == 0
    assert len(entries(cache_dir)) == 200
    assert _parse([str(src), "--out", str(tmp_path / "o3"), "-j", "1", "--no-cache"], env).returncode == 0
    for f in (tmp_path / "o3").iterdir():
        assert f.read_bytes() == (tmp_path / "o2" / f.name).read_bytes()


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
