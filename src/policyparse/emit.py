"""Writers: JSON, JSONL, YAML, CSV; atomic file output. Chinese stays readable (no \\u escapes)."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any, Iterable

import orjson


def record_json(record: Any, indent: int | None = 2) -> str:
    """A parse record (pipeline.parse_record) or other plain data as JSON text: UTF-8
    characters kept, 2-space indent or compact, the same bytes pydantic's model_dump_json
    writes for the validated model. orjson, because serializing is otherwise a large share of
    a batch's time (about 4x faster than pydantic's serializer here, 25x faster than json)."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(record, option=option).decode("utf-8")


def plain(record: Any) -> Any:
    """The record as JSON types only (tuples -> lists), for YAML and CSV writers."""
    return orjson.loads(orjson.dumps(record))


def to_yaml(data: Any) -> str:
    import yaml  # imported here: only --format yaml pays for it

    # libyaml's emitter when PyYAML has it (its wheels do): the same text, 3x faster than the
    # Python one (5,000 target rows: 3.6 s against 10.4 s); tests/test_emit.py compares the two
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def dumps(data: Any, fmt: str) -> str:
    """Plain data (dicts/lists) as json, jsonl (one item per line) or yaml."""
    if fmt == "yaml":
        return to_yaml(data)
    if fmt == "jsonl":
        import json   # here, like csv and yaml: its compact form keeps json's ", " and ": "

        items = data if isinstance(data, list) else [data]
        return "".join(json.dumps(x, ensure_ascii=False, allow_nan=False) + "\n" for x in items)
    # orjson, as record_json: with an indent the stdlib json encodes in Python, which was half of
    # a `targets` re-run over 1,500 cached files (5 of 10 s). The text is the same but for floats
    # past 1e16 or under 1e-4 (orjson 1e18, json 1e+18: the same number) and NaN (null: strict JSON).
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8") + "\n"


# A text cell starting with one of these is a formula to Excel, WPS and LibreOffice
# (=HYPERLINK(…), +cmd|…, -2+3, @SUM, and tab or CR before one): the OWASP rule is to make it
# text by putting a single quote in front. Numbers stay numbers (-5 is no formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One spreadsheet cell: lists joined by 、, booleans as true/false, null as empty; text that
    a spreadsheet would run as a formula gets a leading ' (CSV formula injection)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "、".join(map(str, value))
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS):   # "=" alone: a comparator
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """CSV with a UTF-8 BOM so Excel and WPS open Chinese text correctly, one value per cell."""
    import csv

    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([csv_cell(row.get(c)) for c in columns])
    return buf.getvalue()


# `parse --format csv`: one row per section (its responsibility note in the units columns).
SECTION_COLUMNS = ["document", "path", "label", "title", "style", "depth", "number", "lead_units", "support_units",
                   "responsible_units", "units_quote", "span_start", "span_end"]


def section_rows(record: dict[str, Any]):
    """A parse record's sections, depth first, as flat rows for SECTION_COLUMNS."""
    stack = list(reversed(record["sections"]))
    while stack:
        s = stack.pop()
        units = s["units"] or {}
        yield {"document": record["source"], "path": " > ".join(s["path"]), "label": s["label"], "title": s["title"],
               "style": s["style"], "depth": s["depth"], "number": s["number"],
               "lead_units": units.get("lead"), "support_units": units.get("support"),
               "responsible_units": units.get("responsible"), "units_quote": units.get("quote"),
               "span_start": s["span"][0], "span_end": s["span"][1]}
        stack.extend(reversed(s["children"]))


# The temporary file being written by this process, so a SIGTERM handler can remove it.
current_temporary: str | None = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# .<name>.<pid>.<8 hex>.tmp: the temporary files write_atomic makes
TEMPORARY_RE = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files under `folder` that a run killed outright (SIGKILL, power
    loss) left behind: those whose process no longer runs. Returns what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for d, _, files in os.walk(folder):
        for f in files:
            m = TEMPORARY_RE.match(f)
            if not m:
                continue
            pid = int(m.group(1))
            try:
                os.kill(pid, 0)
                continue            # that run is still writing
            except ProcessLookupError:
                pass
            except (PermissionError, OverflowError):
                continue
            try:
                os.unlink(os.path.join(d, f))
                removed.append(Path(d) / f)
            except OSError:
                pass
    return removed


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    An interrupted run leaves the old file or the new one, never a partial one; the temporary
    file is removed on any error (including KeyboardInterrupt). The file gets the usual
    permissions (0666 less the umask), not mkstemp's 0600.
    """
    global current_temporary
    path.parent.mkdir(parents=True, exist_ok=True)
    # The name is chosen before the file exists, so a Ctrl-C landing right after the file is
    # created still finds it to remove (mkstemp would create it before telling us its name).
    # os.urandom(4).hex() is what secrets.token_hex(4) returns; importing secrets costs ~5 ms of start-up
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    current_temporary = tmp
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        current_temporary = None
