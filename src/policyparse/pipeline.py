"""The pipeline, in one visible order: normalize → segment → header → outline → extract → model.

`parse_record` returns the Document's fields as plain data (dicts, lists, tuples), exactly the
shape of model.Document; `parse` validates that record into the pydantic model. The CLI writes
records straight to JSON (orjson), so a batch neither imports pydantic nor builds a model per
document; tests/test_properties.py checks on random texts that every record validates and that
its JSON is byte-identical to the model's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import normalize, outline, segment
from .extract import header as header_ex
from .extract import targets as targets_ex
from .extract import units as units_ex
from .outline import Node

if TYPE_CHECKING:
    from .model import Document


def _to_section(node: Node, source: str, parent_path: list[str]) -> dict:
    """A model.Section's fields. Plain dicts, validated once with the whole Document: one call
    into pydantic-core costs a fraction of building every model on its own."""
    label = outline.label_of(node, source)
    path = parent_path + [label]
    text_start = min(node.body_start, node.end)
    return {
        "label": label,
        "title": source[node.title_start:node.title_end],
        "style": node.style,
        "depth": node.depth,
        "path": path,
        "number": node.number,
        "units": node.units,
        "span": (node.label_start, node.end),
        "title_span": (node.title_start, node.title_end),
        "text": source[text_start:node.end].strip(),
        "children": [_to_section(c, source, path) for c in node.children],
    }


def parse(text: str, source: str = "<text>", encoding: str = "str") -> "Document":
    """Parse one decoded document. Offsets in the result index `text` after a BOM is dropped."""
    from .model import Document

    return Document.model_validate(parse_record(text, source, encoding))


def parse_file_record(path) -> dict:
    """Read, decode and parse one file into a record (what `parse_file` validates and the CLI
    writes). Raises InputError/DecodeError naming the file and the cause."""
    from .reading import read_document

    decoded = read_document(path)
    return parse_record(decoded.text, source=str(path), encoding=decoded.encoding)


def parse_record(text: str, source: str = "<text>", encoding: str = "str") -> dict:
    """The fields of the model.Document `parse` returns, as plain data, not yet validated."""
    text = normalize.drop_bom(text)
    folded = normalize.fold(text)
    lines = segment.lines(folded)
    head = header_ex.read(lines, text)
    nodes = outline.find_headings(lines, skip=head.lines)
    roots = outline.nest(nodes, len(text), folded)
    for node in nodes:
        node.units = units_ex.find(folded, text, node.title_start, node.end)
        if node.units is not None and node.units["span"][0] < node.title_end:
            # a note closing the heading line itself: （2）建成5G基站2万个（市通信管理局牵头）
            node.title_end = node.units["span"][0]
    issues = outline.check_numbering(roots, text)
    preamble_end = nodes[0].label_start if nodes else len(text)
    preamble = text[head.body_start:preamble_end].strip() if head.body_start < preamble_end else ""
    found = targets_ex.find(text, folded, nodes, head)
    return {
        "source": source,
        "encoding": encoding,
        "title": head.title,
        "status": head.status,
        "subtitle": head.subtitle,
        "doc_number": head.doc_number,
        "addressee": head.addressee,
        "preamble": preamble,
        "horizon_year": found.horizon_year,
        "sections": [_to_section(r, text, []) for r in roots],
        "targets": found.targets,
        "warnings": [{"kind": i.kind, "message": i.message, "span": (i.start, i.end)} for i in issues],
    }
