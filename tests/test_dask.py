"""The Dask engine on a real LocalCluster with two workers: `parse --engine dask` writes what a
`--jobs 1` run writes, byte for byte, and parse_to_partitions reads fsspec URLs and writes JSON
Lines or Parquet partitions."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import fsspec
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from policyparse.cli import app
from policyparse.engines.dask import parse_to_partitions
from policyparse.export import TABLE_NAMES
from test_export import expected_counts

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
ENV = dict(os.environ, NO_COLOR="1", PYTHONUTF8="1")


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                           host="127.0.0.1", dashboard_address=None)
    c = Client(cluster)
    assert len(c.scheduler_info()["workers"]) == 2
    yield c
    c.close()
    cluster.close()


def local_jsonl(*paths) -> bytes:
    res = CliRunner().invoke(app, ["parse", *map(str, paths), "--out", "-", "--format", "jsonl", "-j", "1", "-q"],
                             catch_exceptions=False)
    assert res.exit_code == 0
    return res.stdout_bytes


def test_jsonl_partitions_are_the_local_output(client, tmp_path):
    report = parse_to_partitions(client, [str(REPO / "seeds")], str(tmp_path / "parts"), files_per_partition=2)
    assert report.documents == 5 and not report.failed
    assert [Path(p).name for p in report.written] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    joined = b"".join(Path(p).read_bytes() for p in report.written)
    assert joined == local_jsonl(REPO / "seeds")


def test_parquet_partitions_hold_the_export_tables(client, tmp_path):
    report = parse_to_partitions(client, [str(s) for s in SEEDS], str(tmp_path / "pq"), format="parquet",
                                 files_per_partition=3)
    assert report.documents == 5
    con = duckdb.connect()
    got = {t: con.execute(f"SELECT count(*) FROM '{tmp_path}/pq/{t}/*.parquet'").fetchone()[0] for t in TABLE_NAMES}
    assert got == expected_counts(SEEDS)
    # the same doc ids as `export` (sha256 of the bytes)
    import hashlib

    ids = {r[0] for r in con.execute(f"SELECT doc_id FROM '{tmp_path}/pq/documents/*.parquet'").fetchall()}
    assert ids == {hashlib.sha256(s.read_bytes()).hexdigest() for s in SEEDS}


def test_fsspec_urls_in_and_out(client):
    """memory:// stands for s3:// and the like (processes=False: the workers share this memory)."""
    fs = fsspec.filesystem("memory")
    for s in SEEDS:
        fs.pipe(f"/corpus/{s.name}", s.read_bytes())
    fs.pipe("/corpus/empty.txt", b"")
    report = parse_to_partitions(client, ["memory://corpus/", "memory://nowhere/x.txt"], "memory://out/run1",
                                 files_per_partition=4)
    assert report.documents == 5
    assert sorted(report.failed) == [("memory:///corpus/empty.txt", "empty file"), ("memory://nowhere/x.txt", "no such file")]
    lines = b"".join(fs.cat(p.split("://", 1)[1]) for p in report.written).splitlines()
    local = local_jsonl(*SEEDS).splitlines()
    assert len(lines) == len(local) == 5
    import json

    for got, want in zip(lines, local):
        g, w = json.loads(got), json.loads(want)
        assert g.pop("source").endswith(Path(w.pop("source")).name)
        assert g == w
    fs.rm("/corpus", recursive=True)
    fs.rm("/out", recursive=True)


def test_cli_engine_dask_writes_what_jobs_1_writes(client, tmp_path):
    inputs = [str(s) for s in SEEDS] + [str(tmp_path / "missing.txt")]
    base = [sys.executable, "-m", "policyparse", "parse", *inputs, "--quiet", "--no-cache"]
    local = subprocess.run(base + ["--out", str(tmp_path / "local"), "-j", "1"], env=ENV, capture_output=True, text=True, timeout=300)
    on_dask = subprocess.run(base + ["--out", str(tmp_path / "dask"), "--engine", "dask", "--scheduler", client.scheduler.address],
                             env=ENV, capture_output=True, text=True, timeout=300)
    assert local.returncode == on_dask.returncode == 1            # the missing file, reported the same way
    assert "missing.txt: no such file" in on_dask.stderr
    names = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "dask").iterdir()) and len(names) == 5
    for n in names:
        assert (tmp_path / "local" / n).read_bytes() == (tmp_path / "dask" / n).read_bytes()
    # stdout too
    out = subprocess.run(base[:-1] + ["--out", "-", "--engine", "dask", "--scheduler", client.scheduler.address],
                         env=ENV, capture_output=True, timeout=300)
    assert out.stdout == local_jsonl(*SEEDS)


def test_scheduler_without_dask_engine_is_a_usage_error():
    res = CliRunner().invoke(app, ["parse", str(SEEDS[0]), "--out", "-", "--scheduler", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2 and "--scheduler needs --engine dask" in res.output
