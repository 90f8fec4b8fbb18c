"""`duties`: the table in cases/duties.yaml, the seeds against the gold, the matrix, the schema."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from policyparse import parse_file, parse_text
from policyparse.aliases import Aliases
from policyparse.duties import duty_matrix, duty_rows, filter_unit, matrix_table_rows

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repo (as in CI); a worktree one level deeper (/work/wt/NAME) finds /work/shared
GOLD = next((p / "shared" / "gold" for p in REPO.parents[:2] if (p / "shared" / "gold").is_dir()),
            REPO.parent / "shared" / "gold")
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "duties.yaml").read_text(encoding="utf-8"))
ROW_SCHEMA = jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / "duty_row.schema.json").read_text(encoding="utf-8")))
MATRIX_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((REPO / "schemas" / "duty_matrix.schema.json").read_text(encoding="utf-8")))


def rows_of(text: str, unit: str | None = None) -> list[dict]:
    aliases = Aliases.for_text(text)
    rows = duty_rows(parse_text(text, source="case.txt"), aliases)
    return filter_unit(rows, unit, aliases) if unit else rows


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_duties(case):
    rows = rows_of(case["text"], case.get("unit"))
    got = [["".join(r["section"]), r["task"], r["role"], r["unit"], r["unit_as_written"], r["targets"]] for r in rows]
    assert got == case["rows"]
    for r in rows:
        assert r["target_count"] == len(r["targets"])
        assert r["quote"] and case["text"][r["span"][0]:r["span"][1]] in r["quote"]
        assert not list(ROW_SCHEMA.iter_errors(r))


def _norm_label(label: str) -> str:
    return label.strip().replace("(", "（").replace(")", "）").rstrip("、.．: ")


def _gold_files():
    """(gold file, its document): the seeds' gold, and the dev set's (../shared/dev)."""
    pairs = [(g, REPO / "seeds" / f"{g.stem}.txt") for g in sorted(GOLD.glob("*.json"))] if GOLD.is_dir() else []
    dev = GOLD.parent / "dev"
    pairs += [(g, dev / "docs" / f"{g.stem}.txt") for g in sorted((dev / "gold").glob("*.json"))]
    return pairs


@pytest.mark.skipif(not _gold_files(), reason=f"{GOLD} not found (../shared is not beside the repo)")
@pytest.mark.parametrize("gold_path, seed", _gold_files(), ids=[g.stem[:6] for g, _ in _gold_files()])
def test_duties_are_exactly_the_gold_notes(gold_path, seed):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = seed.read_text(encoding="utf-8-sig")
    rows = duty_rows(parse_file(seed), Aliases.for_text(text))
    got = [(tuple(map(_norm_label, r["section"])), r["role"], r["unit_as_written"]) for r in rows]
    expected = {(tuple(map(_norm_label, u["path"])), role, name)
                for u in gold["units"] for role in ("lead", "support", "responsible") for name in u[role]}
    assert len(got) == len(set(got)), "a unit is listed twice for one task and role"
    assert set(got) == expected
    # every gold note's quote is the quote of its task's rows
    quotes = {tuple(map(_norm_label, r["section"])): r["quote"] for r in rows}
    for u in gold["units"]:
        assert u["quote"] in quotes[tuple(map(_norm_label, u["path"]))]
    for r in rows:
        assert not list(ROW_SCHEMA.iter_errors(r))


def test_matrix_cells():
    text = """一、重点任务
（一）优化布局。（牵头单位：市发改委；配合单位：市财政局）
（二）强化保障。（责任单位：市财政局、市发展和改革委员会）
（三）统筹推进。（市发展改革委牵头，市发改委配合）
"""
    m = duty_matrix(rows_of(text))
    assert not list(MATRIX_SCHEMA.iter_errors(m))
    assert [c["task"] for c in m["columns"]] == ["优化布局", "强化保障", "统筹推进"]
    cells = {r["unit"]: r["cells"] for r in m["rows"]}
    assert cells == {"市发展改革委": ["牵头", "负责", "牵头/配合"], "市财政局": ["配合", "负责", ""]}
    header, table = matrix_table_rows(m)
    assert header == ["unit", "一、（一） 优化布局", "一、（二） 强化保障", "一、（三） 统筹推进"]
    assert table[0] == ["市发展改革委", "牵头", "负责", "牵头/配合"]
