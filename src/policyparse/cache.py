"""A parse cache: the record of a document, stored under a key made of its bytes, the tool and
the options (as ruff and mypy cache), so a re-run over an unchanged corpus parses nothing.

Key = sha256(content hash of the input's bytes, the tool's fingerprint, the options). The tool's
fingerprint is its version plus a hash of the package's own files (code and word lists), so an
edited checkout never reads a stale result. An entry holds the record without its `source`
(the path as given), which is set again on reading: the same text at two paths is parsed once.

Off with `--no-cache` or `POLICYPARSE_NO_CACHE=1`. Location: `$POLICYPARSE_CACHE_DIR`, else `$XDG_CACHE_HOME/policyparse`, else
`~/.cache/policyparse`; entries are `v1/<2 hex>/<62 hex>.json`. Safe to share and to kill:
an entry is written to a temporary file in its folder and renamed into place (a reader sees the
whole entry or none), two runs writing the same entry write the same bytes, and an entry that
does not read back (cut short by a crash, or foreign) is a miss and is rewritten. Deleting the
folder at any time is safe.
"""
from __future__ import annotations

import functools
import hashlib
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Callable, Mapping

FORMAT = "v1"  # the layout of entries; bump when it changes


def content_id(data: bytes) -> str:
    """A document's id: the sha256 of its bytes, in hex (also the `doc_id` of `export`)."""
    return hashlib.sha256(data).hexdigest()


def default_dir() -> Path:
    """$POLICYPARSE_CACHE_DIR, else $XDG_CACHE_HOME/policyparse, else ~/.cache/policyparse."""
    env = os.environ.get("POLICYPARSE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "policyparse"


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version and a hash of every file of the installed package (its code and data)."""
    from . import __version__

    root = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(str(p.relative_to(root)).encode() + b"\0")
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


class Cache:
    """Records by key in a folder; `enabled=False` (`--no-cache`) makes every lookup a miss and
    writes nothing."""

    def __init__(self, root: str | os.PathLike[str] | None = None, enabled: bool = True):
        self.root = Path(root) if root is not None else default_dir()
        # POLICYPARSE_NO_CACHE=1 turns it off like --no-cache (the test suite does, so that
        # tests injecting faults into the parse are not answered from the cache)
        self.enabled = enabled and os.environ.get("POLICYPARSE_NO_CACHE", "") in ("", "0")
        self.hits = 0
        self.misses = 0

    def key(self, doc_id: str, options: Mapping[str, Any] | None = None) -> str:
        opts = "&".join(f"{k}={options[k]!r}" for k in sorted(options or {}))
        return hashlib.sha256(f"{FORMAT}\0{tool_fingerprint()}\0{opts}\0{doc_id}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / FORMAT / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> dict | None:
        if not self.enabled:
            return None
        import orjson

        try:
            entry = orjson.loads(self._path(key).read_bytes())
        except (OSError, ValueError):  # missing, unreadable, or cut short: a miss
            self.misses += 1
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("record"), dict):
            self.misses += 1
            return None
        self.hits += 1
        return entry["record"]

    def put(self, key: str, record: Mapping[str, Any]) -> None:
        """Store atomically (temporary file + rename). A cache that cannot be written (read-only,
        full disk) is skipped silently: it only costs the next run time."""
        if not self.enabled:
            return
        import orjson

        from . import emit

        path = self._path(key)
        tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        emit.current_temporary = str(tmp)  # removed by a worker's SIGTERM handler
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            body = {k: v for k, v in record.items() if k != "source"}
            tmp.write_bytes(orjson.dumps({"key": key, "record": body}))
            os.replace(tmp, path)
        except OSError:
            pass
        finally:
            emit.current_temporary = None
            try:
                tmp.unlink()
            except OSError:
                pass


def _stat_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def read_record(path: str, cache: Cache | None = None, options: Mapping[str, Any] | None = None) -> tuple[dict, str, int]:
    """The parse record of one file, its doc id (content hash) and its size in bytes: from the
    cache when its bytes, the tool and the options are unchanged, else parsed (and stored).
    Raises InputError/DecodeError like pipeline.parse_file_record. The pipeline, and the
    patterns it compiles, is imported only when something is parsed: a re-run never loads it."""
    from .readers import size_limit

    before = _stat_key(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > size_limit(path):
            raise OSError("not a regular file of a readable size")   # /dev/zero, a FIFO, 2 GB
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:  # missing, a folder, unreadable, a device, too large: let the reader name the cause
        from .pipeline import parse_file_record

        return parse_file_record(path), content_id(b""), 0
    doc_id = content_id(data)
    key = cache.key(doc_id, options) if cache is not None and cache.enabled else None
    if key is not None:
        hit = cache.get(key)
        if hit is not None:
            return {"source": str(path), **hit}, doc_id, len(data)
    from .pipeline import parse_file_record

    record = parse_file_record(path)
    if key is not None and before is not None and _stat_key(path) == before:
        cache.put(key, record)  # not when the file changed while it was read
    return record, doc_id, len(data)


def cached_output(path: str, cache: Cache | None, options: Mapping[str, Any],
                  render: Callable[[dict], tuple[str, dict]]) -> tuple[str, dict]:
    """`render(record)` → (output text, summary), memoized per input path, bytes, tool and
    options: a re-run over an unchanged file reads one entry instead of decoding the record and
    writing its JSON again. The record itself is cached too (read_record), for other outputs."""
    if cache is None or not cache.enabled:
        return render(read_record(path, cache)[0])
    try:
        with open(path, "rb") as fh:
            doc_id = content_id(fh.read())
    except OSError:
        return render(read_record(path, cache)[0])  # raises the reader's error
    key = cache.key(doc_id, {**options, "output_for": str(path)})
    hit = cache.get(key)
    if hit is not None and isinstance(hit.get("text"), str) and isinstance(hit.get("summary"), dict):
        return hit["text"], hit["summary"]
    record, read_id, _ = read_record(path, cache)
    text, summary = render(record)
    if read_id == doc_id:  # not when the file changed between the two reads
        cache.put(key, {"text": text, "summary": summary})
    return text, summary
