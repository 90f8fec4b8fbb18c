"""The writers of emit.py against the library each one replaced for speed: `dumps(…, "json")`
writes with orjson the text the stdlib json wrote (indent 2, UTF-8 kept), and `to_yaml` uses
libyaml's emitter where PyYAML has it, with the text of PyYAML's own SafeDumper."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from policyparse.emit import dumps, plain, to_yaml
from policyparse.pipeline import parse_record

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

# Values whose JSON text the two libraries could write differently: escapes, CJK, empty
# containers, tuples, nesting, non-string keys, floats with and without a fraction.
JSON_CASES = [
    {"raw": "5万家", "value": 50000.0, "unit": "家", "span": (3, 6), "section": ["一、", "（一）"]},
    {"text": "控制字符\u0001、引号\"、反斜杠\\、换行\n、制表\t、U+2028\u2028、DEL\x7f"},
    [], {}, [[]], [{}], [None, True, False],
    {"values": [0.0, -3.0, 1.5, 0.0001, 123456789.123, 1e15, 2 ** 53]},
    {1: "an int key", "b": {"c": [1, (2, 3)]}},
    "一个字符串",
]


@pytest.mark.parametrize("data", JSON_CASES, ids=range(len(JSON_CASES)))
def test_json_is_the_stdlib_text(data):
    assert dumps(data, "json") == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_json_of_large_floats_is_the_same_number():
    """Past 1e16 the two write the exponent differently (1e18 / 1e+18): the same value."""
    text = dumps({"value": 1e18, "small": 1.5e-05}, "json")
    assert json.loads(text) == {"value": 1e18, "small": 1.5e-05}


def test_json_of_nan_is_null():
    assert json.loads(dumps([float("nan")], "json")) == [None]


def test_jsonl_keeps_spaced_separators():
    assert dumps([{"a": 1, "b": (2, 3)}, {"c": "中"}], "jsonl") == '{"a": 1, "b": [2, 3]}\n{"c": "中"}\n'


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_records_as_json_and_yaml_match_the_reference_writers(path):
    record = parse_record(path.read_text(encoding="utf-8"), source=path.name)
    assert dumps(record, "json") == json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    data = plain(record)
    assert to_yaml(data) == yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=100)


def test_yaml_of_hard_strings_matches_pysafedumper():
    """Strings a YAML emitter must quote or fold: long lines past the width, leading and
    trailing spaces, colons, #, quotes, line breaks, a bare yes/no/null, digits as text."""
    data = [{"t": s} for s in [
        "到2025年，" + "全市规模以上工业增加值年均增长8%以上，" * 8,
        " 前后有空格 ", "键: 值", "# 不是注释", "'单引号'", '"双引号"', "第一行\n第二行", "yes", "null",
        "2025", "0.5", "", "～—–", "\u3000全角空格缩进",
    ]]
    assert to_yaml(data) == yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=100)


def test_yaml_round_trips_a_document():
    record = plain(parse_record("一、总体要求\n（一）发展目标\n到2025年，新增5G基站2万个（市通信管理局牵头）。\n"))
    assert yaml.safe_load(to_yaml(record)) == record
