"""Gold floors: the scores on the seed gold that issues #2 and #3 set as minimums.

Runs ../shared/score.py beside the repo (CI checks ../shared out next to the clone); skipped when
it is absent.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCORER = REPO.parent / "shared" / "score.py"


@pytest.fixture(scope="module")
def totals():
    if not SCORER.is_file():
        pytest.skip(f"{SCORER} not found (../shared is not beside the repo)")
    cmd = f"{shlex.quote(sys.executable)} -m policyparse parse {{path}} --format json --out -"
    proc = subprocess.run([sys.executable, str(SCORER), "--json", "--cmd", cmd],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_no_errors(totals):
    assert totals["errors"] == 0


def test_sections_exact(totals):
    assert totals["section_f1"] == 1.0
    assert totals["section_path_f1"] == 1.0


def test_units(totals):
    assert totals["unit_f1"] >= 0.99


def test_title_and_status(totals):
    assert totals["title_status_ok"] == "5/5"


def test_targets_found(totals):
    assert totals["target_f1"] >= 0.95
    assert totals["target_precision"] >= 0.93
    assert totals["target_recall"] >= 0.93


def test_target_years_and_baselines(totals):
    assert totals["year_acc"] >= 0.97
    assert totals["baseline_acc"] >= 0.9


def test_target_indicators_and_grounding(totals):
    assert totals["indicator_f1"] >= 0.8
    assert totals["grounded"] == 1.0
