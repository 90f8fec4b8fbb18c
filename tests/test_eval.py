"""`policyparse eval`: the scoring rules on hand-made records, the command's behaviour, and
agreement with the project's shared scorer (../shared/score.py beside the repo) on its sets."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policyparse.eval import EvalReport, GoldError, pair_inputs, score_document, total

REPO = Path(__file__).parents[1]


def _shared_dir() -> Path:
    """../shared beside the repo (CI has it beside the clone, read-only); in a git worktree, beside
    the main checkout the worktree belongs to."""
    roots = [REPO]
    try:
        common = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
        if common:
            roots.append(Path(common).parent)
    except (OSError, subprocess.SubprocessError):
        pass
    for root in roots:
        if (root.parent / "shared" / "score.py").is_file():
            return root.parent / "shared"
    return REPO.parent / "shared"


SHARED = _shared_dir()
PARSE_CMD = f"{sys.executable} -m policyparse parse {{path}} --format json --out -"

TEXT = "一、总体要求\n（一）目标。新能源汽车保有量达到50万辆，充电桩达到2万个。\n"
GOLD = {
    "doc": "plan.txt", "title": None, "status": None,
    "sections": [{"path": ["一"], "label": "一", "depth": 1, "title": "总体要求"},
                 {"path": ["一", "（一）"], "label": "（一）", "depth": 2, "title": "目标"}],
    "units": [{"path": ["一", "（一）"], "lead": ["市发展改革委"], "support": ["市交通委"], "responsible": [],
               "quote": "（市发展改革委牵头，市交通委配合）"}],
    "targets": [
        {"path": ["一", "（一）"], "quote": "新能源汽车保有量达到50万辆", "number_text": "50万辆", "value": 500000,
         "value_max": None, "unit": "辆", "year": 2025, "baseline_year": None, "direction": None,
         "indicator": "新能源汽车保有量", "core": True},
        {"path": ["一", "（一）"], "quote": "充电桩达到2万个", "number_text": "2万个", "value": 20000,
         "value_max": None, "unit": "个", "year": 2025, "baseline_year": None, "direction": None,
         "indicator": "充电桩", "core": False},
    ],
}


def _target(raw: str, value: float, unit: str, year, indicator: str, at: int | None = None) -> dict:
    start = TEXT.find(raw) if at is None else at
    return {"raw": raw, "value": value, "unit": unit, "year": year, "indicator": indicator,
            "span": [start, start + len(raw)]}


# A hand-made parse: (一) and 目标。 normalize to the gold's; one extra heading; the support unit
# filed as responsible; the core target found with the wrong year; the non-core one found; one
# invented target whose raw text is not at its span.
OUT = {
    "title": None, "status": None,
    "sections": [{"label": "一、", "title": "总体要求", "units": None, "children": [
        {"label": "(一)", "title": "目标。", "children": [],
         "units": {"lead": ["市发展改革委"], "support": [], "responsible": ["市交通委"]}},
        {"label": "1.", "title": "多余", "units": None, "children": []}]}],
    "targets": [_target("50万辆", 500000, "辆", 2024, "新能源汽车保有量"),
                _target("2万个", 20000, "个", 2025, "充电桩"),
                _target("3家", 3, "家", None, "企业", at=0)],
}


def test_scoring_rules_on_a_hand_made_parse():
    r = score_document(TEXT, GOLD, OUT)
    assert r.sec == (2, 3, 2) and r.sec_path == (2, 3, 2)
    assert r.unit == (1, 2, 2) and r.unit_loose == (1, 2, 2)
    assert r.tgt == (1, 2, 1)           # the non-core match counts neither way
    assert r.year == (0, 1)
    assert r.grounded == (2, 3)
    t = total([r])
    assert t["section_f1"] == 0.8 and t["unit_f1"] == 0.5
    assert (t["target_precision"], t["target_recall"], t["target_f1"]) == (0.5, 1.0, 0.6667)
    assert t["year_acc"] == 0.0 and t["indicator_f1"] == 1.0 and t["grounded"] == 0.6667
    assert t["title_status_ok"] == "1/1" and t["errors"] == 0
    assert r.misses["section_extra"] == ["一/1 多余"]
    assert r.misses["unit_missed"] == ["一/（一） support 市交通委"]
    assert r.misses["year_wrong"] == ["50万辆 gold 2025 got 2024"]


def test_a_prediction_must_overlap_the_number_and_agree_in_value_and_unit():
    wrong_unit = dict(OUT, targets=[_target("50万辆", 500000, "个", 2025, "x")])
    elsewhere = dict(OUT, targets=[_target("50万辆", 500000, "辆", 2025, "x", at=0)])
    ranged = dict(OUT, targets=[dict(_target("50万辆", 500000.0000001, "辆", 2025, "x"))])
    assert score_document(TEXT, GOLD, wrong_unit).tgt == (0, 1, 1)
    assert score_document(TEXT, GOLD, elsewhere).tgt == (0, 1, 1)
    assert score_document(TEXT, GOLD, ranged).tgt == (1, 1, 1)   # within the relative tolerance


def test_empty_parse_and_empty_gold():
    empty = {"sections": [], "targets": []}
    r = score_document(TEXT, GOLD, empty)
    assert r.sec == (0, 0, 2) and r.tgt == (0, 0, 1)
    t = total([score_document(TEXT, dict(GOLD, sections=[], units=[], targets=[]), empty)])
    assert t["section_f1"] == 1.0 and t["target_precision"] == 1.0   # nothing to find, nothing found


def test_a_gold_quote_missing_from_the_source_is_an_error():
    bad = dict(GOLD, targets=[dict(GOLD["targets"][0], quote="不在原文中的句子")])
    with pytest.raises(GoldError, match="not found in source"):
        score_document(TEXT, bad, OUT)


def test_pairing_prefers_parse_output_and_reports_leftovers():
    golds = [(Path("g/a.json"), {"doc": "a.txt"}), (Path("g/b.json"), {"doc": "b.txt"})]
    pairs, missing, unused = pair_inputs(golds, ["docs/a.txt", "out/a.json", "docs/c.txt"])
    assert [(g["doc"], inp) for _, g, inp in pairs] == [("a.txt", "out/a.json")]
    assert missing == ["b.txt"] and unused == ["docs/c.txt"]


# ---- the command ---------------------------------------------------------------------------------------

def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyparse", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture()
def annotated(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "docs" / "plan.txt").write_text(TEXT.replace("。\n", "。（市发展改革委牵头，市交通委配合）\n"), encoding="utf-8")
    gold = dict(GOLD)
    (tmp_path / "gold" / "plan.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return tmp_path


def test_eval_command_text_json_and_schema(annotated: Path):
    p = _run("eval", "--gold", "gold", "docs", "-v", cwd=annotated)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["document", "sec", "F1", "unit", "F1", "tgt", "P", "tgt", "R", "year"]
    assert lines[1].startswith("plan.txt")
    assert lines[-1].startswith("section_f1=1.0 ") and "unit_f1=1.0" in lines[-1]
    p = _run("eval", "-g", "gold", "docs", "--format", "json", cwd=annotated)
    report = json.loads(p.stdout)
    schema = json.loads((REPO / "schemas" / "eval.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    EvalReport.model_validate(report)
    assert report["unit_f1"] == 1.0 and [d["doc"] for d in report["documents"]] == ["plan.txt"]


def test_eval_command_scores_parse_output(annotated: Path):
    assert _run("parse", "docs/plan.txt", "--out", "out", "-q", cwd=annotated).returncode == 0
    from_text = json.loads(_run("eval", "-g", "gold", "docs", "-f", "json", cwd=annotated).stdout)
    from_json = json.loads(_run("eval", "-g", "gold", "-f", "json", cwd=annotated).stdout)   # default: out/
    assert from_json == from_text


def test_eval_command_errors(annotated: Path):
    p = _run("eval", "-g", "nowhere", "docs", cwd=annotated)
    assert p.returncode == 2 and "not a folder of gold files" in p.stderr
    p = _run("eval", "-g", "gold", "docs", "--min", "recall=1", cwd=annotated)
    assert p.returncode == 2 and "--min recall=1" in p.stderr
    p = _run("eval", "-g", "gold", "docs", "--min", "target_precision=1.01", cwd=annotated)
    assert p.returncode == 1 and "below floor: target_precision=1.0 < 1.01" in p.stderr
    gold = dict(GOLD, targets=[dict(GOLD["targets"][0], quote="不在原文中的句子")])
    (annotated / "gold" / "plan.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    p = _run("eval", "-g", "gold", "docs", cwd=annotated)
    assert p.returncode == 1 and "gold quote not found in source" in p.stderr


# ---- agreement with the shared scorer -------------------------------------------------------------------

SETS = [("seeds", SHARED / "gold", SHARED / "seeds"), ("dev", SHARED / "dev" / "gold", SHARED / "dev" / "docs")]


@pytest.mark.parametrize("name,gold,docs", SETS, ids=[s[0] for s in SETS])
def test_eval_agrees_with_the_shared_scorer(name: str, gold: Path, docs: Path):
    if not (SHARED / "score.py").is_file() or not gold.is_dir():
        pytest.skip(f"{SHARED} is not beside the repo (it is in CI and on the development machine)")
    shared = subprocess.run([sys.executable, str(SHARED / "score.py"), "--json", "--gold", str(gold), "--docs", str(docs),
                             "--cmd", PARSE_CMD], capture_output=True, text=True)
    assert shared.returncode == 0, shared.stderr
    expected = json.loads(shared.stdout)
    p = _run("eval", "--gold", str(gold), str(docs), "--format", "json")
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    assert {k: got[k] for k in expected} == expected
    assert len(got["documents"]) == len(list(gold.glob("*.json")))


def test_eval_reads_sources_in_other_formats(annotated: Path):
    """A gold file naming a web page is scored on the text the HTML reader gives (as parse sees it)."""
    (annotated / "docs" / "plan.txt").unlink()
    body = "".join(f"<p>{line}</p>" for line in TEXT.replace("。\n", "。（市发展改革委牵头，市交通委配合）\n").splitlines())
    (annotated / "docs" / "plan.html").write_text(f"<html><body><div id=\"zoom\">{body}</div></body></html>", encoding="utf-8")
    gold = dict(GOLD, doc="plan.html")
    (annotated / "gold" / "plan.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    p = _run("eval", "-g", "gold", "docs", "-f", "json", cwd=annotated)
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert [d["doc"] for d in report["documents"]] == ["plan.html"]
    assert report["section_f1"] == 1.0 and report["unit_f1"] == 1.0
