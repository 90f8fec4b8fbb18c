"""Export parse records to a database: DuckDB (one file) or a folder of Parquet files.

Tables (the DDL is `SCHEMA_SQL`, quoted in the README; a test checks they agree):
documents (one row per document), sections (one per heading), units (one per unit named in a
responsibility note, with its role), targets, warnings. `doc_id` is the sha256 of the input's
bytes and joins every table; `section_id` (the section's position in document order) joins
sections, units and targets within a document.

Re-exporting replaces rows instead of adding them: a document's rows are deleted first by its
doc_id (the same bytes again) and by its source path (a changed file at the same path), then
written, all in one transaction. A document the target already holds from the same bytes at the
same path, exported by the same tool, is skipped (its rows would not change). Rows are loaded through newline-delimited JSON read by
DuckDB's own reader (DuckDB's executemany is ~100x slower).
"""
from __future__ import annotations

import bisect
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (table, [(column, SQL type, comment)]) — the one source of the schema.
TABLES: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("documents", [
        ("doc_id", "VARCHAR", "sha256 of the input's bytes (the key of every table)"),
        ("source", "VARCHAR", "the path as given"),
        ("bytes", "BIGINT", "size of the input"),
        ("encoding", "VARCHAR", "utf-8, utf-8-sig, utf-16, gb18030"),
        ("title", "VARCHAR", ""),
        ("status", "VARCHAR", "a draft marker such as 征求意见稿"),
        ("subtitle", "VARCHAR", ""),
        ("doc_number", "VARCHAR", "an issuing number such as 鲁政发〔2012〕12号"),
        ("addressee", "VARCHAR", ""),
        ("horizon_year", "INTEGER", "the document's overall target year"),
        ("preamble", "VARCHAR", ""),
        ("n_sections", "INTEGER", ""),
        ("n_targets", "INTEGER", ""),
        ("n_warnings", "INTEGER", ""),
        ("tool", "VARCHAR", "policyparse version that parsed it"),
    ]),
    ("sections", [
        ("doc_id", "VARCHAR", ""),
        ("section_id", "INTEGER", "position in document order, from 0"),
        ("parent_id", "INTEGER", "section_id of the enclosing section; NULL at top level"),
        ("depth", "INTEGER", "1 = top level"),
        ("label", "VARCHAR", "as written: 一、 （一） 1． …"),
        ("title", "VARCHAR", ""),
        ("style", "VARCHAR", "cn_num, cn_paren, arabic, …"),
        ("number", "INTEGER", ""),
        ("path", "VARCHAR[]", "labels from the top down"),
        ("path_text", "VARCHAR", "the labels joined: 三、（一）1．"),
        ("span_start", "INTEGER", "character offsets into the text, [start, end)"),
        ("span_end", "INTEGER", ""),
        ("title_start", "INTEGER", ""),
        ("title_end", "INTEGER", ""),
        ("text", "VARCHAR", "the section's own text"),
    ]),
    ("units", [
        ("doc_id", "VARCHAR", ""),
        ("section_id", "INTEGER", "the section whose note names the unit"),
        ("role", "VARCHAR", "lead (牵头), support (配合) or responsible (责任单位)"),
        ("position", "INTEGER", "order within its role in the note, from 0"),
        ("unit", "VARCHAR", "the unit as written"),
        ("canonical", "VARCHAR", "one name per department: 市发改委 → 市发展改革委"),
        ("quote", "VARCHAR", "the whole note as written"),
        ("span_start", "INTEGER", "of the note"),
        ("span_end", "INTEGER", ""),
    ]),
    ("targets", [
        ("doc_id", "VARCHAR", ""),
        ("target_id", "INTEGER", "position in document order, from 0"),
        ("section_id", "INTEGER", "the section whose own text holds it; NULL in the preamble"),
        ("section", "VARCHAR[]", "labels of the enclosing sections"),
        ("raw", "VARCHAR", "as written: 19万亿元"),
        ("value", "DOUBLE", "in the base unit"),
        ("value_max", "DOUBLE", "a range's high end"),
        ("unit", "VARCHAR", "%, 元, 个, …"),
        ("comparator", "VARCHAR", ">=, <=, ~, =, >, <"),
        ("year", "INTEGER", "due year"),
        ("year_source", "VARCHAR", "stated, carried, period, horizon"),
        ("period_start", "INTEGER", ""),
        ("period_end", "INTEGER", ""),
        ("baseline_year", "INTEGER", ""),
        ("annual", "BOOLEAN", ""),
        ("direction", "VARCHAR", "up, down"),
        ("indicator", "VARCHAR", ""),
        ("text", "VARCHAR", "the clause"),
        ("span_start", "INTEGER", ""),
        ("span_end", "INTEGER", ""),
        ("lead_units", "VARCHAR[]", "inherited from the nearest note"),
        ("support_units", "VARCHAR[]", ""),
        ("responsible_units", "VARCHAR[]", ""),
        ("rule", "VARCHAR", ""),
    ]),
    ("warnings", [
        ("doc_id", "VARCHAR", ""),
        ("warning_id", "INTEGER", "position in document order, from 0"),
        ("kind", "VARCHAR", "gap, repeat, out_of_order, other"),
        ("message", "VARCHAR", ""),
        ("span_start", "INTEGER", ""),
        ("span_end", "INTEGER", ""),
    ]),
]
TABLE_NAMES = [t for t, _ in TABLES]
ROLES = (("lead", "lead"), ("support", "support"), ("responsible", "responsible"))


def _ddl() -> str:
    out = []
    for table, cols in TABLES:
        width = max(len(c) for c, _, _ in cols) + 1
        lines = []
        for i, (c, typ, note) in enumerate(cols):
            sep = "," if i < len(cols) - 1 else ""
            line = f"    {c.ljust(width)}{typ}{sep}"
            lines.append(f"{line.ljust(34)}-- {note}".rstrip() if note else line)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} (\n" + "\n".join(lines) + "\n);")
    return "\n".join(out) + "\n"


SCHEMA_SQL = _ddl()


def _span(span) -> tuple[Any, Any]:
    return (span[0], span[1]) if span else (None, None)


def document_rows(record: dict, doc_id: str, size: int, tool: str = "") -> dict[str, list[dict]]:
    """A parse record as rows of each table (plain dicts keyed by column)."""
    sections: list[dict] = []
    units: list[dict] = []
    canonical = _aliases(record).canonical

    def walk(nodes: list[dict], parent: int | None) -> None:
        for s in nodes:
            sid = len(sections)
            start, end = _span(s["span"])
            t_start, t_end = _span(s["title_span"])
            sections.append({
                "doc_id": doc_id, "section_id": sid, "parent_id": parent, "depth": s["depth"],
                "label": s["label"], "title": s["title"], "style": s["style"], "number": s["number"],
                "path": list(s["path"]), "path_text": "".join(s["path"]), "span_start": start, "span_end": end,
                "title_start": t_start, "title_end": t_end, "text": s["text"],
            })
            note = s.get("units")
            if note:
                n_start, n_end = _span(note.get("span"))
                for role, key in ROLES:
                    for pos, name in enumerate(note.get(key) or []):
                        units.append({"doc_id": doc_id, "section_id": sid, "role": role, "position": pos,
                                      "unit": name, "canonical": canonical(name), "quote": note.get("quote", ""),
                                      "span_start": n_start, "span_end": n_end})
            walk(s.get("children") or [], sid)

    walk(record.get("sections") or [], None)
    # A target lies in the own text of exactly one section (own spans exclude the children):
    # the last section starting at or before it, if the target is before that section's end.
    order = sorted(range(len(sections)), key=lambda i: sections[i]["span_start"])
    starts = [sections[i]["span_start"] for i in order]
    targets = []
    for tid, t in enumerate(record.get("targets") or []):
        start, end = _span(t["span"])
        k = bisect.bisect_right(starts, start) - 1
        sid = order[k] if k >= 0 and start < sections[order[k]]["span_end"] else None
        period = t.get("period") or (None, None)
        targets.append({
            "doc_id": doc_id, "target_id": tid, "section_id": sid, "section": list(t.get("section") or []),
            "raw": t["raw"], "value": t["value"], "value_max": t.get("value_max"), "unit": t.get("unit", ""),
            "comparator": t.get("comparator"), "year": t.get("year"), "year_source": t.get("year_source"),
            "period_start": period[0], "period_end": period[1], "baseline_year": t.get("baseline_year"),
            "annual": bool(t.get("annual")), "direction": t.get("direction"), "indicator": t.get("indicator", ""),
            "text": t.get("text", ""), "span_start": start, "span_end": end,
            "lead_units": list(t.get("lead_units") or []), "support_units": list(t.get("support_units") or []),
            "responsible_units": list(t.get("responsible_units") or []), "rule": t.get("rule", ""),
        })
    warnings = []
    for wid, w in enumerate(record.get("warnings") or []):
        start, end = _span(w.get("span"))
        warnings.append({"doc_id": doc_id, "warning_id": wid, "kind": w["kind"], "message": w["message"],
                         "span_start": start, "span_end": end})
    document = {
        "doc_id": doc_id, "source": record["source"], "bytes": size, "encoding": record.get("encoding"),
        "title": record.get("title"), "status": record.get("status"), "subtitle": record.get("subtitle"),
        "doc_number": record.get("doc_number"), "addressee": record.get("addressee"),
        "horizon_year": record.get("horizon_year"), "preamble": record.get("preamble", ""),
        "n_sections": len(sections), "n_targets": len(targets), "n_warnings": len(warnings), "tool": tool,
    }
    return {"documents": [document], "sections": sections, "units": units, "targets": targets, "warnings": warnings}


def _aliases(record: dict):
    """The document's unit-name resolver (aliases.py): the built-in table and the short names the
    document declares (以下简称“市发改委”), read from its preamble and section texts."""
    from .aliases import Aliases

    texts = [record.get("preamble") or ""]
    stack = list(record.get("sections") or [])
    while stack:
        s = stack.pop()
        texts.append(s.get("title", ""))
        texts.append(s.get("text", ""))
        stack.extend(s.get("children") or [])
    return Aliases.for_text("\n".join(texts))


# ---- writing --------------------------------------------------------------------------------------

@dataclass
class ExportStats:
    documents: int = 0
    rows: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLE_NAMES})
    replaced: int = 0  # documents whose earlier rows were replaced
    unchanged: int = 0  # documents the database already held as this run would write them (skipped)


def _columns_arg(cols: list[tuple[str, str, str]]) -> str:
    return "{" + ", ".join(f"'{c}': '{typ}'" for c, typ, _ in cols) + "}"


class _Spool:
    """Rows of each table in newline-delimited JSON files in a temporary folder, loaded into
    DuckDB at the end with one read_json per table."""

    def __init__(self, tmp: str):
        import orjson

        self._dumps = orjson.dumps
        self.paths = {t: os.path.join(tmp, f"{t}.jsonl") for t in TABLE_NAMES}
        self.files = {t: open(p, "wb") for t, p in self.paths.items()}
        self.doc_ids: list[str] = []
        self.sources: list[str] = []

    def add(self, rows: dict[str, list[dict]]) -> None:
        for table, items in rows.items():
            fh = self.files[table]
            for r in items:
                fh.write(self._dumps(r))
                fh.write(b"\n")
        doc = rows["documents"][0]
        self.doc_ids.append(doc["doc_id"])
        self.sources.append(doc["source"])

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def _load(con, spool: _Spool, stats: ExportStats) -> None:
    """Replace the spooled documents' rows, in one transaction."""
    import orjson

    _create(con)
    con.execute("BEGIN TRANSACTION")
    try:
        # the documents being written, and their earlier versions at the same path
        keys_path = spool.paths["documents"] + ".keys"
        with open(keys_path, "wb") as fh:
            for d, s in zip(spool.doc_ids, spool.sources):
                fh.write(orjson.dumps({"doc_id": d, "source": s}) + b"\n")
        con.execute(
            "CREATE TEMP TABLE _incoming AS SELECT * FROM read_json(?, format='newline_delimited', "
            "columns={'doc_id': 'VARCHAR', 'source': 'VARCHAR'})", [keys_path])
        con.execute(
            "CREATE TEMP TABLE _old AS SELECT doc_id FROM documents WHERE doc_id IN (SELECT doc_id FROM _incoming) "
            "OR source IN (SELECT source FROM _incoming)")
        stats.replaced += con.execute("SELECT count(DISTINCT doc_id) FROM _old").fetchone()[0]
        for table in TABLE_NAMES:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _old UNION SELECT doc_id FROM _incoming)")
        for table, cols in TABLES:
            if os.path.getsize(spool.paths[table]) == 0:
                continue
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_json(?, format='newline_delimited', "
                f"columns={_columns_arg(cols)})", [spool.paths[table]])
        con.execute("DROP TABLE _incoming")
        con.execute("DROP TABLE _old")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _create(con) -> None:
    """The tables, and any column a database written by an older version lacks."""
    con.execute(SCHEMA_SQL)
    for table, cols in TABLES:
        for c, typ, _ in cols:
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c} {typ}")


def _duckdb():
    try:
        import duckdb
    except ImportError:
        from .errors import PolicyParseError

        raise PolicyParseError("export needs the duckdb package: pip install 'policyparse[db]'") from None
    return duckdb


def is_parquet_target(to: str) -> bool:
    """A folder (an existing one, or a path ending in '/') means Parquet; anything else a DuckDB file."""
    return to.endswith(("/", os.sep)) or os.path.isdir(to)


class Writer:
    """Collects documents, then writes them to a DuckDB file or, for a folder, Parquet files
    `<folder>/<table>.parquet`, replacing the rows of documents exported before.

        with Writer("corpus.duckdb", tool) as w:
            w.add(record, doc_id, size)      # for each document
        w.stats                              # documents and rows written

    Rows are spooled to a temporary folder as they come (memory stays flat) and loaded in one
    transaction at the end: an interrupted export leaves the database as it was.
    """

    def __init__(self, to: str, tool: str = ""):
        self.duckdb = _duckdb()
        self.to, self.tool = to, tool
        self.stats = ExportStats()
        self._tmp = tempfile.TemporaryDirectory(prefix="policyparse-export-")
        self._spool = _Spool(self._tmp.name)
        self._seen: set[str] = set()
        if not is_parquet_target(to) and os.path.exists(to):
            self._connect(read_only=True).close()   # a file that is no database fails now, not after the parse

    def _connect(self, read_only: bool = False):
        """A connection to the DuckDB file; PolicyParseError, in one line, when it cannot be had
        (not a DuckDB file, locked by another process, unreadable)."""
        try:
            return self.duckdb.connect(self.to, read_only=read_only)
        except self.duckdb.Error as e:
            self.abandon()
            from .errors import PolicyParseError

            raise PolicyParseError(f"{self.to}: {str(e).splitlines()[0]}") from None

    def unchanged(self, paths: list[str]) -> list[str]:
        """Those of `paths` whose rows the database already holds as this run would write them:
        the same bytes (doc_id) at the same path (source), exported by this very tool
        (documents.tool, the package fingerprint). Writing them again would change nothing, so
        they are left out: a re-export of an unchanged corpus reads and hashes each file and
        writes nothing (1,500 seed-sized files: one pass of sha256, where loading and replacing
        their rows took 10-17 s). They count in stats.unchanged."""
        from .cache import content_id, read_input
        from .errors import display_name

        known = self._known()
        if not known:
            return []
        same = []
        for path in paths:
            data = read_input(path)
            if data is None:
                continue   # unreadable: the export's own read names the cause
            doc_id = content_id(data)
            if (doc_id, display_name(path)) in known:
                same.append(path)
                self._seen.update((doc_id, display_name(path)))   # a second copy is skipped, as before
        self.stats.unchanged += len(same)
        return same

    def _known(self) -> set[tuple[str, str]]:
        """(doc_id, source) of the documents this tool exported to the target before."""
        if is_parquet_target(self.to):
            table = Path(self.to) / "documents.parquet"
            path, sql, args = None, "SELECT doc_id, source FROM read_parquet(?) WHERE tool = ?", [str(table), self.tool]
            if not table.is_file():
                return set()
        else:
            path, sql, args = self.to, "SELECT doc_id, source FROM documents WHERE tool = ?", [self.tool]
            if not os.path.isfile(path):
                return set()
        con = self._connect(read_only=True) if path else self.duckdb.connect()
        try:
            return set(con.execute(sql, args).fetchall())
        except self.duckdb.Error:   # no documents table or tool column yet: nothing is known
            return set()
        finally:
            con.close()

    def add(self, record: dict, doc_id: str, size: int) -> None:
        if doc_id in self._seen or record["source"] in self._seen:  # listed twice in one run: once
            return
        self._seen.update((doc_id, record["source"]))
        rows = document_rows(record, doc_id, size, self.tool)
        self._spool.add(rows)
        self.stats.documents += 1
        for t, items in rows.items():
            self.stats.rows[t] += len(items)

    def close(self) -> ExportStats:
        try:
            self._spool.close()
            if not self.stats.documents and self.stats.unchanged:
                return self.stats   # every document was unchanged: nothing to write
            if is_parquet_target(self.to):
                _write_parquet(self.duckdb, self._spool, Path(self.to), self.stats)
            else:
                Path(self.to).parent.mkdir(parents=True, exist_ok=True)
                con = self._connect()
                try:
                    _load(con, self._spool, self.stats)
                finally:
                    con.close()
        finally:
            self._tmp.cleanup()
        return self.stats

    def abandon(self) -> None:
        self._spool.close()
        self._tmp.cleanup()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


def _write_parquet(duckdb, spool: _Spool, folder: Path, stats: ExportStats) -> None:
    """Parquet: read the folder's tables (if any) into memory, replace rows as for DuckDB, and
    write each table back through a temporary file renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        _create(con)
        for table in TABLE_NAMES:
            existing = folder / f"{table}.parquet"
            if existing.exists():
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [str(existing)])
        _load(con, spool, stats)
        for table, cols in TABLES:
            final = folder / f"{table}.parquet"
            tmp = folder / f".{table}.parquet.{os.getpid()}.tmp"
            order = ", ".join(c for c, _, _ in cols if c == "doc_id" or c.endswith("_id"))
            try:
                con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{_sql_str(str(tmp))}' (FORMAT PARQUET)")
                os.replace(tmp, final)
            finally:
                if tmp.exists():
                    tmp.unlink()
    finally:
        con.close()


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def export_paths(paths: list[str], to: str, *, jobs: int = 1, cache=None, rewrite: bool = False) -> tuple[ExportStats, list]:
    """Parse (or take from the cache) every file and export it; returns the stats and the
    batch.Results that failed. Documents the target holds unchanged are skipped
    (Writer.unchanged) unless `rewrite`. The library form of `policyparse export`."""
    from . import batch
    from .cache import tool_fingerprint

    failed: list = []
    with Writer(to, tool_fingerprint()) as writer:
        if not rewrite:
            same = set(writer.unchanged(paths))
            paths = [p for p in paths if p not in same]
        for res in batch.run(export_job, [(p, cache) for p in paths], jobs):
            if res.error is not None:
                failed.append(res)
            else:
                writer.add(*res.payload)
    return writer.stats, failed


def export_job(path: str, cache=None) -> tuple[dict, str, int]:
    """The per-file work (in a worker process): the record, its doc id and size."""
    from .cache import read_record

    return read_record(path, cache)
