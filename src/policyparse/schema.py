"""JSON Schemas generated from the models; `policyparse schema` writes them, a test checks them."""
from __future__ import annotations

import json
from pathlib import Path

from .eval import EvalReport
from .check import Finding
from .diff import Change
from .duties import DutyMatrix, DutyRow
from .model import Document, Target, TargetRow

# Every output's schema: file name → the model it is generated from.
SCHEMAS = {
    "document.schema.json": Document,        # `parse` (json, jsonl, yaml)
    "target.schema.json": Target,            # one item of Document.targets
    "target_row.schema.json": TargetRow,     # a row of `targets --format json/jsonl/yaml`
    "eval.schema.json": EvalReport,          # `eval --format json`
    "duty_row.schema.json": DutyRow,         # a row of `duties --format json/jsonl`
    "duty_matrix.schema.json": DutyMatrix,   # `duties --matrix --format json`
    "finding.schema.json": Finding,          # one item of `check --format json`
    "change.schema.json": Change,            # one item of `diff --format json`
}


def render(model) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def all_schemas() -> dict[str, dict]:
    """Every schema as data, by file name (what `policyparse schema --out -` prints)."""
    return {name: json.loads(render(model)) for name, model in SCHEMAS.items()}


def write_schemas(folder: Path) -> list[Path]:
    from .emit import write_atomic

    written = []
    for name, model in SCHEMAS.items():
        path = Path(folder) / name
        write_atomic(path, render(model))
        written.append(path)
    return written


def check_schemas(folder: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    stale = []
    for name, model in SCHEMAS.items():
        path = Path(folder) / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(model):
            stale.append(name)
    return stale
