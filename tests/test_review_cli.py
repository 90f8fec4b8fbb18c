"""`policyparse review` and `parse --review`, through typer's CliRunner: the files they write, the
index, failures and usage errors. The pages themselves are checked in a browser in
test_review_browser.py; here their text is read back with Python's HTML parser."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyparse import parse_file
from policyparse.cli import app
from test_review import _DocText

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _page_text(path: Path) -> _DocText:
    p = _DocText()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _index_rows(path: Path) -> list[tuple[str, ...]]:
    body = path.read_text(encoding="utf-8").split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr><td><a href="([^"]+)">([^<]*)</a></td><td>[^<]*</td>'
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>', body)


def test_help_teaches():
    result = run("review", "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout and "policyparse review seeds/*.txt" in result.stdout
    assert "--review" in run("parse", "--help").stdout


def test_review_writes_a_page_per_document_and_an_index(tmp_path):
    out = tmp_path / "pages"
    result = run("review", *SEEDS, "--out", out, "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{p.stem}.html" for p in SEEDS] + ["index.html"])
    rows = _index_rows(out / "index.html")
    assert [r[0] for r in rows] == [f"{p.stem}.html" for p in SEEDS]
    for seed, (href, source, sections, targets, units, warnings) in zip(SEEDS, rows):
        doc = parse_file(seed)
        secs = list(doc.iter_sections())
        assert source == str(seed)
        assert (int(sections), int(targets), int(units), int(warnings)) == (
            len(secs), len(doc.targets), sum(1 for s in secs if s.units), len(doc.warnings))
        page = _page_text(out / href)
        assert "".join(page.parts) == seed.read_text(encoding="utf-8").lstrip("\ufeff")
        assert len(page.marks) == len(doc.targets)


def test_failures_are_named_and_the_rest_is_written(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "index.txt").write_text("一、总体要求\n到2025年建成5个示范区。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("review", tmp_path / "index.txt", tmp_path / "empty.txt", tmp_path / "missing.txt",
                 "--out", out, "--jobs", 1)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "missing.txt" in result.output
    # a document named index does not overwrite the batch's index
    assert sorted(p.name for p in out.iterdir()) == ["index-page.html", "index.html"]
    assert [r[0] for r in _index_rows(out / "index.html")] == ["index-page.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "empty.txt" in index and "missing.txt" in index


def test_out_must_be_a_folder(tmp_path):
    assert run("review", SEEDS[0], "--out", "-").exit_code == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run("review", SEEDS[0], "--out", tmp_path / "file").exit_code == 2
    assert run("parse", SEEDS[0], "--review", "--out", "-").exit_code == 2


def test_parse_review_writes_the_pages_beside_the_json(tmp_path):
    both, pages = tmp_path / "both", tmp_path / "pages"
    assert run("parse", *SEEDS[:2], "--review", "--out", both, "--jobs", 1, "--quiet").exit_code == 0
    assert run("review", *SEEDS[:2], "--out", pages, "--jobs", 1, "--quiet").exit_code == 0
    assert sorted(p.name for p in both.iterdir()) == sorted(
        [f"{p.stem}{s}" for p in SEEDS[:2] for s in (".json", ".html")] + ["index.html"])
    for seed in SEEDS[:2]:
        assert (both / f"{seed.stem}.html").read_bytes() == (pages / f"{seed.stem}.html").read_bytes()
        record = json.loads((both / f"{seed.stem}.json").read_text(encoding="utf-8"))
        assert len(_page_text(both / f"{seed.stem}.html").marks) == len(record["targets"])
    assert (both / "index.html").read_bytes() == (pages / "index.html").read_bytes()


def test_parse_without_review_writes_no_page(tmp_path):
    assert run("parse", SEEDS[0], "--out", tmp_path, "--jobs", 1, "--quiet").exit_code == 0
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_parse_review_with_other_formats(tmp_path, fmt):
    assert run("parse", SEEDS[0], "--review", "--format", fmt, "--out", tmp_path, "--jobs", 1, "--quiet").exit_code == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == sorted([f".{fmt}", ".html", ".html"])


def test_review_of_parse_output_matches_review_of_the_text(tmp_path):
    parsed, from_json, from_text = tmp_path / "parsed", tmp_path / "from_json", tmp_path / "from_text"
    assert run("parse", *SEEDS[:2], "--out", parsed, "--jobs", 1, "--quiet").exit_code == 0
    assert run("review", parsed, "--out", from_json, "--jobs", 1, "--quiet").exit_code == 0
    assert run("review", *SEEDS[:2], "--out", from_text, "--jobs", 1, "--quiet").exit_code == 0
    for seed in SEEDS[:2]:
        assert (from_json / f"{seed.stem}.html").read_bytes() == (from_text / f"{seed.stem}.html").read_bytes()


def test_review_of_parse_output_whose_source_changed_fails(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text("一、主要目标\n到2025年，建成示范区5个。\n", encoding="utf-8")
    assert run("parse", source, "--out", tmp_path / "parsed", "--jobs", 1, "--quiet").exit_code == 0
    source.write_text("一、主要目标\n到2025年，全面建成一批示范区5个。\n", encoding="utf-8")
    result = run("review", tmp_path / "parsed" / "plan.json", "--out", tmp_path / "pages", "--jobs", 1)
    assert result.exit_code == 1
    assert "changed since it was parsed" in result.output
    assert not (tmp_path / "pages" / "plan.html").exists()
    (tmp_path / "bad.json").write_text('{"a": 1}', encoding="utf-8")
    result = run("review", tmp_path / "bad.json", "--out", tmp_path / "pages", "--jobs", 1)
    assert result.exit_code == 1 and "not a policyparse JSON document" in result.output


def test_index_links_reach_pages_in_mirrored_subfolders(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a b").mkdir(parents=True)
    (docs / "a b" / "plan #1.txt").write_text("一、主要目标\n到2025年，建成示范区5个。\n", encoding="utf-8")
    (docs / "top.txt").write_text("一、主要目标\n到2030年，建成示范区8个。\n", encoding="utf-8")
    for args in (["review", docs], ["parse", docs, "--review"]):
        out = tmp_path / args[0]
        assert run(*args, "--out", out, "--jobs", 1, "--quiet").exit_code == 0
        hrefs = [r[0] for r in _index_rows(out / "index.html")]
        assert len(hrefs) == 2
        from urllib.parse import unquote

        for h in hrefs:
            assert (out / unquote(h)).is_file(), h
        assert "a%20b/plan%20%231.html" in hrefs
