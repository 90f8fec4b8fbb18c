"""policyparse export: DuckDB and Parquet tables whose rows match the parse output, replaced
(never duplicated) on re-export, and the README's schema and SQL run against the seeds."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from policyparse.cache import Cache, content_id
from policyparse.cli import app
from policyparse.export import SCHEMA_SQL, TABLE_NAMES, export_paths
from policyparse.pipeline import parse_file_record

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch):
    monkeypatch.delenv("POLICYPARSE_NO_CACHE", raising=False)  # tests/conftest.py turns it off


def _walk(sections):
    for s in sections:
        yield s
        yield from _walk(s["children"])


def expected_counts(paths) -> dict[str, int]:
    """Row counts computed from the parse records themselves."""
    n = dict.fromkeys(TABLE_NAMES, 0)
    for p in paths:
        r = parse_file_record(str(p))
        secs = list(_walk(r["sections"]))
        n["documents"] += 1
        n["sections"] += len(secs)
        n["units"] += sum(len(s["units"][k]) for s in secs if s["units"] for k in ("lead", "support", "responsible"))
        n["targets"] += len(r["targets"])
        n["warnings"] += len(r["warnings"])
    return n


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("export") / "corpus.duckdb"
    stats, failed = export_paths([str(s) for s in SEEDS], str(db))
    assert not failed and stats.documents == 5
    return db


def test_row_counts_equal_the_parse_output(seeds_db):
    con = duckdb.connect(str(seeds_db), read_only=True)
    got = counts(con)
    assert got == expected_counts(SEEDS)
    assert got["sections"] > 100 and got["units"] > 100 and got["targets"] > 100


def test_keys_join(seeds_db):
    con = duckdb.connect(str(seeds_db), read_only=True)
    ids = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    assert ids == {content_id(s.read_bytes()) for s in SEEDS}
    for table in TABLE_NAMES[1:]:  # every row belongs to a document
        assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0] == 0
    # every target sits in the section its `section` labels name (or in no section)
    bad = con.execute("""SELECT count(*) FROM targets t LEFT JOIN sections s USING (doc_id, section_id)
                         WHERE (t.section_id IS NULL AND len(t.section) > 0) OR t.section <> s.path""").fetchone()[0]
    assert bad == 0
    # units rows point at sections with a note, and parents exist
    assert con.execute("SELECT count(*) FROM units u ANTI JOIN sections s USING (doc_id, section_id)").fetchone()[0] == 0
    assert con.execute("""SELECT count(*) FROM sections c WHERE parent_id IS NOT NULL AND NOT EXISTS
                          (SELECT 1 FROM sections p WHERE p.doc_id = c.doc_id AND p.section_id = c.parent_id
                           AND p.depth < c.depth)""").fetchone()[0] == 0
    # each (doc_id, key) is unique
    for table, key in (("documents", "doc_id"), ("sections", "doc_id, section_id"), ("targets", "doc_id, target_id"),
                       ("units", "doc_id, section_id, role, position")):
        assert con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchone()[0] == 0


def test_values_survive(seeds_db):
    """A target's fields as the parse wrote them."""
    r = parse_file_record(str(SEEDS[4]))
    t = r["targets"][0]
    con = duckdb.connect(str(seeds_db), read_only=True)
    row = con.execute("""SELECT raw, value, unit, comparator, year, indicator, span_start, span_end, section
                         FROM targets WHERE doc_id = ? AND target_id = 0""", [content_id(SEEDS[4].read_bytes())]).fetchone()
    assert row == (t["raw"], t["value"], t["unit"], t["comparator"], t["year"], t["indicator"], t["span"][0], t["span"][1], t["section"])


@pytest.mark.parametrize("kind", ["duckdb", "parquet"])
def test_reexport_replaces_rows(tmp_path, kind):
    docs = tmp_path / "docs"
    docs.mkdir()
    for s in SEEDS:
        shutil.copy(s, docs / s.name)
    to = str(tmp_path / "corpus.duckdb") if kind == "duckdb" else str(tmp_path / "pq") + "/"
    paths = sorted(str(p) for p in docs.iterdir())

    def table_counts():
        if kind == "duckdb":
            return counts(duckdb.connect(to, read_only=True))
        con = duckdb.connect()
        return {t: con.execute(f"SELECT count(*) FROM '{to}{t}.parquet'").fetchone()[0] for t in TABLE_NAMES}

    export_paths(paths, to)
    first = table_counts()
    stats, _ = export_paths(paths, to)            # the same documents again: kept, no duplicates
    assert (stats.unchanged, stats.documents, stats.replaced) == (5, 0, 0) and table_counts() == first
    stats, _ = export_paths(paths, to, rewrite=True)   # written again: replaced, still no duplicates
    assert (stats.unchanged, stats.documents, stats.replaced) == (0, 5, 5) and table_counts() == first
    export_paths(paths[:2], to)                   # a subset: the others stay
    assert table_counts() == first
    # a changed document at the same path replaces its old rows
    changed = Path(paths[4])
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text[: len(text) // 4], encoding="utf-8")
    export_paths([str(changed)], to)
    assert table_counts() == expected_counts(Path(p) for p in paths)
    assert table_counts()["targets"] < first["targets"]


@pytest.mark.parametrize("kind", ["duckdb", "parquet"])
def test_reexport_writes_only_what_changed(tmp_path, kind):
    """Unchanged documents are skipped only when the bytes, the path and the tool are the same:
    a new file, an edited one, one exported by another version and a copy of a known file at a
    new path are each written (the copy once, as before: a doc_id is exported once)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for s in SEEDS[:3]:
        shutil.copy(s, docs / s.name)
    to = str(tmp_path / "corpus.duckdb") if kind == "duckdb" else str(tmp_path / "pq") + "/"
    paths = sorted(str(p) for p in docs.iterdir())
    export_paths(paths, to)
    new = docs / "new.txt"
    shutil.copy(SEEDS[3], new)
    edited = Path(paths[0])
    edited.write_text(edited.read_text(encoding="utf-8") + "\n到2030年，新增5G基站3万个。\n", encoding="utf-8")
    stats, _ = export_paths(paths + [str(new)], to)
    assert (stats.unchanged, stats.documents, stats.replaced) == (2, 2, 1)
    copy = docs / "copy.txt"
    shutil.copy(paths[1], copy)
    stats, _ = export_paths(paths + [str(new), str(copy)], to)
    assert (stats.unchanged, stats.documents) == (4, 0)   # the copy's bytes are exported already
    # rows written by another version are written again
    if kind == "duckdb":
        with duckdb.connect(to) as con:
            con.execute("UPDATE documents SET tool = 'an older policyparse'")
    else:
        with duckdb.connect() as con:
            con.execute(f"COPY (SELECT * REPLACE ('an older policyparse' AS tool) FROM '{to}documents.parquet') "
                        f"TO '{to}documents.tmp.parquet' (FORMAT PARQUET)")
        Path(to, "documents.tmp.parquet").replace(Path(to, "documents.parquet"))
    stats, _ = export_paths(paths + [str(new)], to)
    assert (stats.unchanged, stats.documents, stats.replaced) == (0, 4, 4)
    if kind == "duckdb":
        with duckdb.connect(to, read_only=True) as con:
            assert counts(con) == expected_counts([Path(p) for p in paths] + [new])


def test_reexport_of_a_file_that_is_no_database_reports_it(tmp_path):
    bad = tmp_path / "not.duckdb"
    bad.write_text("not a database", encoding="utf-8")
    res = CliRunner().invoke(app, ["export", str(SEEDS[0]), "--to", str(bad), "-j", "1"])
    assert res.exit_code == 1
    assert f"error: {bad}: " in res.output and "Traceback" not in res.output
    assert bad.read_text(encoding="utf-8") == "not a database"


def test_readme_schema_is_the_code():
    block = _section_sql_blocks()[0]
    assert block == SCHEMA_SQL.strip()


def _section_sql_blocks() -> list[str]:
    section = README.split("## Export: a corpus in DuckDB or Parquet", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```sql\n(.*?)```", section, flags=re.S)]


def test_readme_questions_run_on_the_seeds(seeds_db):
    questions = _section_sql_blocks()[1:]
    assert len(questions) == 5
    con = duckdb.connect(str(seeds_db), read_only=True)
    results = [con.execute(q).fetchall() for q in questions]
    assert all(results), "every README question returns rows on the seeds"
    by_unit, tasks, per_indicator, leaders, unassigned = results
    # cross-check two answers against the parse output itself
    records = [parse_file_record(str(s)) for s in SEEDS]
    due = [t for r in records for t in r["targets"] if t["year"] == 2025]
    top_unit, top_n = by_unit[0]
    assert top_n == sum(1 for t in due if top_unit in t["lead_units"] + t["responsible_units"])
    assert [row[2] for row in unassigned] == [len(r["targets"]) for r in records]
    assert all("科技局" in "".join(s["units"]["lead"] + s["units"]["support"] + s["units"]["responsible"])
               for r in records for s in _walk(r["sections"]) if s["units"] and s["path"] == ["三、", "（一）", "1．"]
               and any(row[2] == "三、（一）1．" for row in tasks))


def test_readme_jsonl_recipe_runs(tmp_path, monkeypatch):
    """The README's one-target-per-line DuckDB recipe works with the duckdb Python package."""
    block = README.split("For DuckDB, export the documents", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    line = next(l for l in block.splitlines() if l.startswith('python -c "import duckdb'))
    import shlex
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["targets", *map(str, SEEDS), "--format", "jsonl"], catch_exceptions=False)
    (tmp_path / "targets.jsonl").write_text(res.stdout, encoding="utf-8")
    argv = shlex.split(line)
    out = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "indicator" in out.stdout and "2025" in out.stdout


def test_cli_export(tmp_path):
    runner = CliRunner()
    db = tmp_path / "c.duckdb"
    res = runner.invoke(app, ["export", *map(str, SEEDS), str(tmp_path / "missing.txt"), "--to", str(db), "-j", "1"])
    assert res.exit_code == 1
    assert "missing.txt: no such file" in res.output and "exported 5 document(s)" in res.output
    assert counts(duckdb.connect(str(db), read_only=True)) == expected_counts(SEEDS)
    res = runner.invoke(app, ["export", *map(str, SEEDS), "--to", str(db), "-j", "1"])
    assert res.exit_code == 0 and "exported 0 document(s)" in res.output and "5 unchanged" in res.output
    res = runner.invoke(app, ["export", *map(str, SEEDS), "--to", str(db), "-j", "1", "--rewrite"])
    assert res.exit_code == 0 and "exported 5 document(s)" in res.output and "5 replaced" in res.output
    assert counts(duckdb.connect(str(db), read_only=True)) == expected_counts(SEEDS)
    res = runner.invoke(app, ["export", str(REPO / "seeds"), "--to", str(tmp_path / "pq") + "/", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(f"{t}.parquet" for t in TABLE_NAMES)
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path}/pq/targets.parquet'").fetchone()[0] == expected_counts(SEEDS)["targets"]


def test_export_uses_the_cache(tmp_path, monkeypatch):
    c = Cache(tmp_path / "cache")
    export_paths([str(s) for s in SEEDS], str(tmp_path / "a.duckdb"), cache=c)
    from policyparse import pipeline

    monkeypatch.setattr(pipeline, "parse_file_record", lambda p: (_ for _ in ()).throw(AssertionError("parsed")))
    stats, failed = export_paths([str(s) for s in SEEDS], str(tmp_path / "b.duckdb"), cache=Cache(tmp_path / "cache"))
    assert not failed and stats.documents == 5
    assert counts(duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True)) == expected_counts(SEEDS)


def test_units_carry_canonical_names(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "一、重点任务\n"
        "（一）推进项目建设。由市工业强市建设领导小组办公室（以下简称“市工强办”）统筹。"
        "（牵头单位：市发改委；配合单位：市工强办、市教育局）\n"
        "（二）加强保障。（责任单位：市发展和改革委员会、市体育局）\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    export_paths([str(doc)], str(db))
    rows = duckdb.connect(str(db), read_only=True).execute(
        "SELECT role, unit, canonical FROM units ORDER BY section_id, role, position").fetchall()
    names = {u: c for _, u, c in rows}
    assert names["市发改委"] == names["市发展和改革委员会"]            # the built-in table
    assert names["市工强办"] == "市工业强市建设领导小组办公室"              # declared in the text
    assert names["市教育局"] == "市教育局" and names["市体育局"] == "市体育局"   # never merged by likeness


def test_a_database_from_before_the_canonical_column_is_upgraded(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE units (doc_id VARCHAR, section_id INTEGER, role VARCHAR, position INTEGER, "
                "unit VARCHAR, quote VARCHAR, span_start INTEGER, span_end INTEGER)")
    con.close()
    stats, failed = export_paths([str(SEEDS[4])], str(db))
    assert not failed
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM units WHERE canonical IS NOT NULL").fetchone()[0] == stats.rows["units"] > 0
