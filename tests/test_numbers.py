"""The number reader: read_quantity, cn_to_int, cn_to_number (table in cases/numbers.yaml).

Rows are grouped as in Duckling: one expected result with several phrasings; every phrasing
is its own test, id "<row id>/<n>". A row marked `xfail` is a known gap (strict: it must fail).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyparse import numerals

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "numbers.yaml").read_text(encoding="utf-8"))
SECTIONS = ("quantities", "integers", "numbers", "errors")


def _params(section: str, inputs_key: str) -> list:
    out = []
    for row in CASES[section]:
        marks = [pytest.mark.xfail(reason=row["xfail"], strict=True)] if row.get("xfail") else []
        for n, raw in enumerate(row[inputs_key]):
            out.append(pytest.param(row, raw, id=f"{row['id']}/{n}", marks=marks))
    return out


def _num(x) -> float | None:
    return None if x is None else float(x)  # PyYAML reads 5e11 as a string


def test_case_ids_are_unique():
    for section in SECTIONS:
        ids = [r["id"] for r in CASES[section]]
        assert len(ids) == len(set(ids)), section


def test_rows_are_well_formed():
    for row in CASES["quantities"]:
        assert set(row) <= {"id", "expect", "raws", "xfail"}, row["id"]
        assert len(row["expect"]) == 3 and isinstance(row["expect"][2], str), row["id"]
        assert row["raws"], row["id"]
    for row in CASES["errors"]:
        assert row["func"] in ("read_quantity", "cn_to_int", "cn_to_number"), row["id"]


@pytest.mark.parametrize(("row", "raw"), _params("quantities", "raws"))
def test_read_quantity(row, raw):
    value, high, unit = row["expect"]
    got = numerals.read_quantity(raw)
    assert got == (_num(value), _num(high), unit)
    assert isinstance(got[0], float)
    assert got[1] is None or isinstance(got[1], float)


@pytest.mark.parametrize(("row", "raw"), _params("integers", "texts"))
def test_cn_to_int(row, raw):
    got = numerals.cn_to_int(raw)
    assert got == int(row["expect"])
    assert isinstance(got, int)


@pytest.mark.parametrize(("row", "raw"), _params("integers", "texts"))
def test_cn_to_number_agrees_with_cn_to_int(row, raw):
    assert numerals.cn_to_number(raw) == float(row["expect"])


@pytest.mark.parametrize(("row", "raw"), _params("numbers", "texts"))
def test_cn_to_number(row, raw):
    got = numerals.cn_to_number(raw)
    assert got == pytest.approx(float(row["expect"]), rel=1e-12)
    assert isinstance(got, float)


@pytest.mark.parametrize(("row", "raw"), _params("errors", "inputs"))
def test_not_a_number_raises_value_error(row, raw):
    func = getattr(numerals, row["func"])
    with pytest.raises(ValueError):
        func(raw)


def test_range_low_end_never_above_high_end():
    """Every range row reads low <= high (the Target model rejects value_max < value)."""
    for row in CASES["quantities"]:
        if row.get("xfail"):
            continue
        for raw in row["raws"]:
            value, high, _ = numerals.read_quantity(raw)
            assert high is None or value <= high, raw
