"""Parse a corpus on a Dask cluster (`pip install 'policyparse[dask]'`).

Two ways in:

* `run(client, job, items)` — the CLI's per-file jobs on the cluster instead of the local
  process pool, results back in input order (what `policyparse parse --engine dask` uses: the
  outputs are the ones a local run writes, byte for byte).
* `parse_to_partitions(client, inputs, out)` — the library form for corpora that live in object
  storage: inputs are anything fsspec opens (local paths, folders, globs, `s3://bucket/plans/*.txt`,
  `gcs://…`, `memory://…`), and each Dask task parses a partition of files and writes one
  JSON Lines file (`out/part-00000.jsonl`) or Parquet files per table
  (`out/<table>/part-00000.parquet`, the tables of `policyparse export`) wherever fsspec writes.

Workers need policyparse installed (the same version as the client: results depend on it).
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..batch import Result, _run_chunk
from ..readers import SUPPORTED_SUFFIXES


def require() -> None:
    """Raise PolicyParseError with the install line when dask.distributed is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        from ..errors import PolicyParseError

        raise PolicyParseError("the dask engine needs dask: pip install 'policyparse[dask]'") from None


def connect(scheduler: str | None, workers: int):
    """A distributed.Client for a scheduler address, or for a new LocalCluster on this machine
    (one single-threaded worker process per worker asked for) when the address is None."""
    require()
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)


def close(client, owned: bool) -> None:
    """Close the client, and its local cluster when this process started it."""
    cluster = client.cluster if owned else None
    client.close()
    if cluster is not None:
        cluster.close()


def run(client, job: Callable[..., object], items: list[tuple], chunk: int = 8) -> Iterator[Result]:
    """Like batch.run: `job(*item)` for each item, Results in input order, on the cluster. A few
    chunks per worker are in flight at a time, so memory on the client stays flat."""
    import functools

    workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
    size = max(1, min(chunk, len(items) // (workers * 4) or 1))
    chunks = iter([items[i:i + size] for i in range(0, len(items), size)])
    task = functools.partial(_run_chunk, job)
    window = workers * 4
    pending: deque = deque()
    for c in chunks:
        pending.append(client.submit(task, c, pure=False))
        if len(pending) >= window:
            break
    try:
        while pending:
            results = pending.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(client.submit(task, nxt, pure=False))
            yield from results
    finally:
        for f in pending:
            f.cancel()


# ---- partitions from fsspec inputs -----------------------------------------------------------------

@dataclass
class PartitionReport:
    written: list[str] = field(default_factory=list)            # partition files, in order
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, cause)


def expand_inputs(inputs: list[str] | str, suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES,
                  storage_options: Mapping[str, Any] | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Input URLs → file URLs. Local paths expand as the CLI expands them (same names, same
    order); other URLs through fsspec: a folder gives its files with these suffixes, a glob its
    matches."""
    import glob as globmod

    from ..readers import expand_paths

    if isinstance(inputs, str):
        inputs = [inputs]
    found: list[str] = []
    errors: list[tuple[str, str]] = []
    for arg in inputs:
        if "://" not in arg or arg.startswith("file://"):
            local = arg[len("file://"):] if arg.startswith("file://") else arg
            files, errs = expand_paths([local], suffixes=suffixes)
            found += files
            errors += [(e.path, e.cause) for e in errs]
            continue
        import fsspec

        fs, path = fsspec.core.url_to_fs(arg, **dict(storage_options or {}))
        if globmod.has_magic(path):
            hits = sorted(fs.glob(path))
        elif fs.isdir(path):
            hits = sorted(p for p in fs.find(path) if p.lower().endswith(suffixes))
        elif fs.exists(path):
            hits = [path]
        else:
            errors.append((arg, "no such file"))
            continue
        if not hits:
            errors.append((arg, "matches no file"))
        found += [fs.unstrip_protocol(h) for h in hits]
    return found, errors


def _read_url(url: str, storage_options: Mapping[str, Any] | None) -> tuple[dict, str, int]:
    """One input's parse record, doc id (sha256 of its bytes) and size: local files through
    the pipeline's own reader, others opened with fsspec and decoded the same way."""
    from ..cache import content_id, read_record

    if "://" not in url:
        return read_record(url)
    import fsspec

    from ..errors import InputError
    from ..pipeline import parse_record
    from ..readers import format_of, read_bytes

    try:
        with fsspec.open(url, "rb", **dict(storage_options or {})) as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(url, "no such file") from None
    except OSError as e:
        raise InputError(url, e.strerror or str(e)) from None
    read = read_bytes(data, url, format_of(url.split("?", 1)[0]))
    record = parse_record(read.text, source=url, encoding=read.encoding, tables=read.tables, format=read.format)
    return record, content_id(data), len(data)


def _partition_task(index: int, urls: list[str], out: str, fmt: str,
                    storage_options: Mapping[str, Any] | None) -> tuple[list[str], int, list[tuple[str, str]]]:
    """Parse one partition's files and write its output file(s); returns (files written,
    documents, failures)."""
    import fsspec

    from ..errors import InputError

    records = []
    failed = []
    for url in urls:
        try:
            records.append(_read_url(url, storage_options))
        except InputError as e:
            failed.append((url, e.cause))
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the partition
            failed.append((url, f"internal error: {type(e).__name__}: {e}"))
    name = f"part-{index:05d}"
    written = []
    opts = dict(storage_options or {})
    if fmt == "jsonl":
        from ..emit import record_json

        target = f"{out.rstrip('/')}/{name}.jsonl"
        body = "".join(record_json(r[0], indent=None) + "\n" for r in records).encode("utf-8")
        _put(target, body, opts)
        written.append(target)
    else:
        for table, data in _parquet_tables(records).items():
            target = f"{out.rstrip('/')}/{table}/{name}.parquet"
            _put(target, data, opts)
            written.append(target)
    return written, len(records), failed


def _put(target: str, body: bytes, opts: dict) -> None:
    """Write a whole file: local files through a temporary file renamed into place; object
    stores write an object whole anyway."""
    if "://" not in target or target.startswith("file://"):
        import secrets

        path = target[7:] if target.startswith("file://") else target
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        tmp = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(body)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return
    import fsspec

    fs, path = fsspec.core.url_to_fs(target, **opts)
    parent = path.rsplit("/", 1)[0]
    try:
        fs.makedirs(parent, exist_ok=True)
    except (OSError, NotImplementedError):
        pass
    with fs.open(path, "wb") as fh:
        fh.write(body)


def _parquet_tables(records: list[tuple[dict, str, int]]) -> dict[str, bytes]:
    """The export tables of these records as Parquet bytes, one file per table (through DuckDB,
    so no pyarrow is needed)."""
    import tempfile

    import orjson

    from ..cache import tool_fingerprint
    from ..export import TABLES, _columns_arg, _duckdb, document_rows

    duckdb = _duckdb()
    tool = tool_fingerprint()
    rows: dict[str, list[dict]] = {t: [] for t, _ in TABLES}
    for record, doc_id, size in records:
        for t, items in document_rows(record, doc_id, size, tool).items():
            rows[t] += items
    out = {}
    with tempfile.TemporaryDirectory(prefix="policyparse-part-") as tmp:
        con = duckdb.connect()
        try:
            for table, cols in TABLES:
                src = os.path.join(tmp, f"{table}.jsonl")
                with open(src, "wb") as fh:
                    for row in rows[table]:
                        fh.write(orjson.dumps(row) + b"\n")
                dst = os.path.join(tmp, f"{table}.parquet")
                select = (f"SELECT * FROM read_json('{src}', format='newline_delimited', columns={_columns_arg(cols)})"
                          if rows[table] else
                          "SELECT " + ", ".join(f"CAST(NULL AS {typ}) AS {c}" for c, typ, _ in cols) + " LIMIT 0")
                con.execute(f"COPY ({select}) TO '{dst}' (FORMAT PARQUET)")
                with open(dst, "rb") as fh:
                    out[table] = fh.read()
        finally:
            con.close()
    return out


def parse_to_partitions(client, inputs: list[str] | str, out: str, *, format: str = "jsonl",
                        files_per_partition: int = 64, suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES,
                        storage_options: Mapping[str, Any] | None = None) -> PartitionReport:
    """Parse every input on the cluster `client` and write partitions under `out` (a local
    folder or any fsspec URL): `format="jsonl"` gives part-NNNNN.jsonl, one document per line
    in input order (their concatenation is what `policyparse parse INPUTS --out - --format
    jsonl` prints); `format="parquet"` gives <table>/part-NNNNN.parquet for the export tables.
    Files that cannot be read are reported in `failed`, never stop the run."""
    if format not in ("jsonl", "parquet"):
        raise ValueError(f"format must be 'jsonl' or 'parquet', not {format!r}")
    require()
    files, errors = expand_inputs(inputs, suffixes, storage_options)
    report = PartitionReport(failed=list(errors))
    parts = [files[i:i + files_per_partition] for i in range(0, len(files), files_per_partition)]
    futures = [client.submit(_partition_task, i, p, out, format, storage_options, pure=False)
               for i, p in enumerate(parts)]
    for fut in futures:  # in partition order
        written, n, failed = fut.result()
        report.written += written
        report.documents += n
        report.failed += failed
    return report
