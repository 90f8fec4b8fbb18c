"""JSON Schemas: up to date with the models, and every output validates against them."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from policyparse import Document, parse_file, parse_text
from policyparse.schema import SCHEMAS, check_schemas, render, write_schemas

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
DOC_SCHEMA = json.loads((REPO / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(DOC_SCHEMA)


def test_committed_schemas_are_current():
    """What `policyparse schema --check` checks: the files equal what the models generate."""
    assert check_schemas(REPO / "schemas") == []


def test_schemas_are_valid_json_schema():
    for name in SCHEMAS:
        schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)


def test_check_detects_stale_and_missing(tmp_path):
    write_schemas(tmp_path)
    assert check_schemas(tmp_path) == []
    (tmp_path / "target.schema.json").write_text(render(SCHEMAS["target.schema.json"]) + " ", encoding="utf-8")
    (tmp_path / "document.schema.json").unlink()
    assert sorted(check_schemas(tmp_path)) == ["document.schema.json", "target.schema.json"]


def test_seeds_exist():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_output_validates(path):
    doc = parse_file(path)
    data = doc.model_dump(mode="json")
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, errors[0].message
    # the contract's public fields are there
    assert {"source", "title", "status", "sections", "targets"} <= data.keys()
    for s in doc.iter_sections():
        assert {"label", "title", "units", "children"} <= s.model_dump().keys()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_round_trip(path):
    doc = parse_file(path)
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc
    assert list(again.iter_sections()) == list(doc.iter_sections())


def test_schema_rejects_a_broken_document():
    data = parse_text("一、总体要求\n").model_dump(mode="json")
    data["sections"][0]["depth"] = 0
    data["unexpected"] = 1
    messages = {e.validator for e in VALIDATOR.iter_errors(data)}
    assert {"minimum", "additionalProperties"} <= messages


def test_json_keeps_chinese_unescaped():
    doc = parse_text("一、总体要求\n")
    assert "总体要求" in doc.model_dump_json()
