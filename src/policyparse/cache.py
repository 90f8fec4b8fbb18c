"""A parse cache: the record of a document, stored under a key made of its bytes, the tool and
the options (as ruff and mypy cache), so a re-run over an unchanged corpus parses nothing.

Key = sha256(content hash of the input's bytes, the tool's fingerprint, the options). The tool's
fingerprint is its version plus a hash of the package's own files (code and word lists), so an
edited checkout never reads a stale result; that hash is remembered per state of the files
(names, sizes, mtimes) under `v1/tool/`, so a run stats the package instead of reading it. An
entry holds the record without its `source` (the path as given), which is set again on
reading: the same text at two paths is parsed once. `parse` also keeps its rendered output per
path (cached_output) and, per output folder, an OutputIndex: the stat fast path, by which a
re-run finds an unchanged input and output without reading either.

Off with `--no-cache` or `POLICYPARSE_NO_CACHE=1`. Location: `$POLICYPARSE_CACHE_DIR`, else
`$XDG_CACHE_HOME/policyparse`, else `~/.cache/policyparse`; entries are
`v1/<2 hex>/<62 hex>.json`. Safe to share and to kill: an entry is written to a temporary file
in its folder and renamed into place (a reader sees the whole entry or none), two runs writing
the same record or output entry write the same bytes (an index is merged, see OutputIndex),
and an entry that does not read back (cut short by a crash, or foreign) is a miss and is
rewritten. Deleting the folder at any time is safe.
"""
from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path
from typing import Any, Callable, Mapping

FORMAT = "v1"  # the layout of entries; bump when it changes


def _sha256(data: bytes = b""):
    """hashlib.sha256, imported on first use: loading OpenSSL costs ~3 ms, and a run with the
    cache off (`--no-cache`, POLICYPARSE_NO_CACHE=1) hashes nothing."""
    import hashlib

    return hashlib.sha256(data)


def content_id(data: bytes) -> str:
    """A document's id: the sha256 of its bytes, in hex (also the `doc_id` of `export`)."""
    return _sha256(data).hexdigest()


def default_dir() -> Path:
    """$POLICYPARSE_CACHE_DIR, else $XDG_CACHE_HOME/policyparse, else ~/.cache/policyparse."""
    env = os.environ.get("POLICYPARSE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "policyparse"


PACKAGE = str(Path(__file__).parent)


def _package_state(root: str = PACKAGE) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file of the package (its code and data; not
    __pycache__), sorted: one stat per file, nothing read."""
    found: list[tuple[str, int, int]] = []

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as it:
            for e in it:
                if e.is_dir():
                    if e.name != "__pycache__":
                        walk(e.path, rel + e.name + "/")
                elif e.is_file() and not e.name.endswith((".pyc", ".pyo")):
                    st = e.stat()
                    found.append((rel + e.name, st.st_size, st.st_mtime_ns))

    walk(root, "")
    return sorted(found)


def _content_fingerprint(version: str, root: str, files: list[tuple[str, int, int]]) -> str:
    h = _sha256(version.encode())
    for rel, _, _ in files:
        h.update(rel.encode() + b"\0")
        h.update(Path(root, rel).read_bytes())
    return f"{version}+{h.hexdigest()[:16]}"


def fingerprint_of(version: str, root: str, memo: str | None = None) -> str:
    """`version` + a hash of every file under `root` (names and bytes). With `memo` (a cache
    folder) the hash is computed once per state of the files (names, sizes and mtimes, as
    Python checks its .pyc files) and read back from `memo/v1/tool/` after that."""
    files = _package_state(root)
    if memo is None:
        return _content_fingerprint(version, root, files)
    state = _sha256(repr((version, root, files)).encode()).hexdigest()[:32]
    path = Path(memo) / FORMAT / "tool" / f"{state}.txt"
    try:
        known = path.read_text("ascii")
        if re.fullmatch(re.escape(version) + r"\+[0-9a-f]{16}", known):
            return known
    except (OSError, ValueError):   # none yet, unreadable, or cut short: hash the files
        pass
    fingerprint = _content_fingerprint(version, root, files)
    _write_atomic(path, fingerprint.encode("ascii"))
    return fingerprint


@functools.lru_cache(maxsize=4)
def tool_fingerprint(memo: str | None = None) -> str:
    """The version and a hash of every file of the installed package (its code and data), so an
    edited checkout never reads a stale result. With `memo` (a cache folder; Cache.fingerprint)
    a run stats the package's ~70 files instead of reading them: a reinstall or a checkout that
    touches them without changing them costs one hash, and keeps every cached result."""
    from . import __version__

    return fingerprint_of(__version__, PACKAGE, memo)


def _write_atomic(path: Path, data: bytes) -> None:
    """A temporary file in the entry's folder renamed into place (a reader sees all of it or
    none). A folder that cannot be written (read-only, full disk) is skipped silently: it only
    costs the next run time."""
    from . import emit

    tmp = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    emit.current_temporary = str(tmp)  # removed by a worker's SIGTERM handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        emit.current_temporary = None
        try:
            tmp.unlink()
        except OSError:
            pass


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

    def fingerprint(self) -> str:
        """tool_fingerprint(), memoized in this cache's folder."""
        return tool_fingerprint(str(self.root))

    def key(self, doc_id: str, options: Mapping[str, Any] | None = None) -> str:
        return _sha256(f"{FORMAT}\0{self.fingerprint()}\0{_options(options)}\0{doc_id}".encode()).hexdigest()

    def _path(self, key: str) -> str:
        return f"{self.root}{os.sep}{FORMAT}{os.sep}{key[:2]}{os.sep}{key[2:]}.json"

    def _load(self, key: str) -> dict | None:
        """The body of the entry `key`, or None when it is missing, unreadable, cut short or
        foreign (each a miss)."""
        import orjson

        try:
            with open(self._path(key), "rb") as fh:
                entry = orjson.loads(fh.read())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("record"), dict):
            return None
        return entry["record"]

    def get(self, key: str) -> dict | None:
        if not self.enabled:
            return None
        record = self._load(key)
        if record is None:
            self.misses += 1
        else:
            self.hits += 1
        return record

    def put(self, key: str, record: Mapping[str, Any]) -> None:
        """Store atomically (temporary file + rename). A cache that cannot be written (read-only,
        full disk) is skipped silently: it only costs the next run time."""
        if not self.enabled:
            return
        import orjson

        body = {k: v for k, v in record.items() if k != "source"}
        _write_atomic(Path(self._path(key)), orjson.dumps({"key": key, "record": body}))


def _options(options: Mapping[str, Any] | None) -> str:
    return "&".join(f"{k}={options[k]!r}" for k in sorted(options or {}))


# ---- the stat fast path: what `parse` wrote for an input, recognised without reading it -----------

# An input modified less than this before it was read gets no stat entry (its next run hashes
# it, then records it): a second edit in the same tick of the file system's clock (a few ms on
# Linux, 2 s on FAT) would keep its size and mtime, and be missed. As git's "racy clean" check.
RACY_NS = 2_000_000_000


def file_state(path: str) -> list[int] | None:
    """[size, mtime_ns, inode] of a regular file (following symlinks), or None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def settled_state(path: str, since_ns: int, before: list[int] | None) -> list[int] | None:
    """The stat `before` of an input read at `since_ns` (time.time_ns() before the stat), if it
    can be trusted to change with the file's bytes: the file did not change while it was read,
    nor just before (RACY_NS)."""
    if before is None or before[1] >= since_ns - RACY_NS or file_state(path) != before:
        return None
    return before


class OutputIndex:
    """What one output folder holds, for `parse` with these options and this tool (the stat fast
    path, as ruff keys its cache on mtime and size): per (input path, output path), the input's
    [size, mtime_ns, inode] when it was read, its doc id and summary row, and the output file's
    [size, mtime_ns, inode] as written. When both files' stats still match, the output is known
    to be right: nothing is read, hashed, parsed or written. Anything else falls back to the
    content-hash cache: a touched input with the same bytes costs a hash, an edited one a parse,
    an edited or deleted output is written again.

    One entry in the cache folder per output folder (and working directory, options, tool),
    read once at the start of a run and saved at its end (atomically: a torn or foreign one
    reads as empty, so every input takes the content-hash path once; a run killed before saving
    loses only its own additions). Saving merges with what another run saved meanwhile; when two
    runs race, one's additions may be lost, never made wrong: an entry is only trusted while the
    output file's stat is the one it recorded."""

    def __init__(self, cache: Cache, options: Mapping[str, Any], out_dir: str):
        from . import readers

        self.cache = cache
        self.options = dict(options)     # the content-hash cache's options for the same outputs
        # --max-size too: a file refused under a lower limit must be read again to be refused
        name = (f"{FORMAT}\0{cache.fingerprint()}\0outputs\0{_options(options)}\0{readers.max_size_override}\0"
                f"{os.getcwd()}\0{os.path.abspath(out_dir)}")
        self.key = _sha256(name.encode()).hexdigest()
        self._entries: dict[str, list] | None = None
        self.added: dict[str, list | None] = {}     # this run's news: an entry, or None to drop

    @property
    def entries(self) -> dict[str, list]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, list]:
        body = self.cache._load(self.key) if self.cache.enabled else None
        files = body.get("files") if body is not None else None
        return files if isinstance(files, dict) else {}

    def lookup(self, path: str, out_path: str) -> tuple[list[int], list[int], str, dict] | None:
        """(input stat, output stat, doc id, summary) as recorded, whatever the files are now."""
        entry = self.entries.get(f"{path}\0{out_path}")
        if (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[2], str)
                and isinstance(entry[3], dict)):
            return entry[0], entry[1], entry[2], entry[3]
        return None

    def unchanged(self, path: str, out_path: str) -> dict | None:
        """The summary row of an input whose output file is as this tool wrote it from these very
        bytes (both stats as recorded), or None. Two stats and a lookup; nothing read."""
        if path == "-":
            return None
        entry = self.lookup(path, out_path)
        if entry is None or entry[0] != file_state(path) or entry[1] != file_state(out_path):
            return None
        return dict(entry[3])

    def note(self, path: str, out_path: str, state: list[int] | None, doc_id: str | None,
             summary: Mapping[str, Any] | None) -> None:
        """Record what out_path holds now (from the input whose trusted stat is `state`, see
        settled_state), or forget the pair (state None: the next run takes the content path)."""
        k = f"{path}\0{out_path}"
        out_state = file_state(out_path) if state is not None and doc_id is not None else None
        if out_state is None or summary is None:
            self.added[k] = None
        else:
            self.added[k] = [state, out_state, doc_id, {c: v for c, v in summary.items() if c != "output"}]

    def save(self) -> None:
        """Merge this run's news into the index as saved now (another run may have saved since)
        and store it atomically. Nothing to do when nothing changed."""
        if not self.added or not self.cache.enabled:
            return
        files = self._read()
        changed = False
        for k, entry in self.added.items():
            if entry is None:
                changed |= files.pop(k, None) is not None
            elif files.get(k) != entry:
                files[k] = entry
                changed = True
        if changed:
            self.cache.put(self.key, {"files": files})
        self.added = {}


def read_input(path: str) -> bytes | None:
    """The bytes of a regular file of a readable size (readers.size_limit), or None (missing, a
    folder, unreadable, a device or FIFO, too large; "-", standard input): the reader then
    names the cause, or reads standard input."""
    from .readers import size_limit

    if path == "-":
        return None
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > size_limit(path):
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except (OSError, ValueError):
        return None


def read_record(path: str, cache: Cache | None = None, options: Mapping[str, Any] | None = None, *,
                data: bytes | None = None, before: list[int] | None = None,
                doc_id: str | None = None) -> tuple[dict, str, int]:
    """The parse record of one file, its doc id (content hash) and its size in bytes: from the
    cache when its bytes, the tool and the options are unchanged, else parsed (and stored).
    Raises InputError/DecodeError like pipeline.parse_file_record. The pipeline, and the
    patterns it compiles, is imported only when something is parsed: a re-run never loads it.
    `data`, `before` (its file_state, taken before it was read) and `doc_id` (its hash): the
    file as the caller has read it already (cached_output), so it is not read or hashed again."""
    if data is None:
        before = file_state(path)
        data = read_input(path)
        if data is None:
            from .pipeline import parse_file_record

            return parse_file_record(path), content_id(b""), 0
    if doc_id is None:
        doc_id = content_id(data)
    key = cache.key(doc_id, options) if cache is not None and cache.enabled else None
    if key is not None:
        hit = cache.get(key)
        if hit is not None:
            return {"source": str(path), **hit}, doc_id, len(data)
    from .pipeline import parse_file_record

    record = parse_file_record(path, data=data)   # parsed from the bytes hashed, not read again
    if key is not None and before is not None and file_state(path) == before:
        cache.put(key, record)  # not when the file changed while it was read (a reader may read it by path)
    return record, doc_id, len(data)


def cached_output(path: str, cache: Cache | None, options: Mapping[str, Any],
                  render: Callable[[dict], tuple[str, dict]], doc_id: str | None = None, *,
                  data: bytes | None = None, before: list[int] | None = None) -> tuple[str, dict]:
    """`render(record)` → (output text, summary), memoized per input path, bytes, tool and
    options: a re-run over an unchanged file reads one entry instead of decoding the record and
    writing its JSON again. The record itself is cached too (read_record), for other outputs.
    `data`, `before`, `doc_id`: the input's bytes, its file_state before they were read and their
    hash, when the caller has read it already. A miss reads and hashes the file once (it read and
    hashed it twice, for the output's key and again for the record's: 2% of a miss)."""
    if cache is None or not cache.enabled:   # nothing to look up: parsed, and not hashed either
        from .pipeline import parse_file_record

        return render(parse_file_record(path, data=read_input(path)))   # no bytes: the reader names the cause
    if data is None:
        before = file_state(path)
        data = read_input(path)
        if data is None:
            return render(read_record(path, cache)[0])  # raises the reader's error
        doc_id = content_id(data)
    elif doc_id is None:
        doc_id = content_id(data)
    key = cache.key(doc_id, {**options, "output_for": str(path)})
    hit = cache.get(key)
    if hit is not None and isinstance(hit.get("text"), str) and isinstance(hit.get("summary"), dict):
        return hit["text"], hit["summary"]
    record = read_record(path, cache, data=data, before=before, doc_id=doc_id)[0]
    text, summary = render(record)
    if before is not None and file_state(path) == before:  # not when the file changed while it was read
        cache.put(key, {"text": text, "summary": summary})
    return text, summary
