"""The review page: one self-contained HTML file per document, every extraction marked in its text.

`render_document(doc, text)` takes a parsed document (a model.Document or the plain record that
`pipeline.parse_record` returns) and the source text its spans index (after a BOM is dropped), and
returns the page: the outline as a tree, the full text with each target in `<mark data-target="N">`
and each responsibility note in `<mark data-units="N">`, the numbering warnings where they occur,
and a table of targets. `render_index(rows)` returns the batch's index page.

Marks never change the text: the document area's text content is `text` exactly. Spans that
cross one another cannot all be single HTML elements, so `_layers` cuts the lower-ranked span
(heading < note < warning < target: targets are cut last) at the higher one's edge; the pieces
after the first carry class `cont`. Carriage returns are written as `&#13;` (the HTML parser turns
a literal CR or CRLF into LF). Everything from the document reaches the page through Jinja2 with
autoescape, and the data for the script through `tojson` (which escapes `<`, `>`, `&`, `'`).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

YEAR_SOURCES = ("stated", "carried", "period", "horizon")
# outer to inner when two spans are the same; the highest rank is cut last where spans cross
_RANK = {"heading": 0, "units": 1, "warning": 2, "target": 3}


@dataclass
class _Piece:
    start: int
    end: int
    kind: str
    index: int
    first: bool = True  # the first piece of its span (carries the id; later pieces get class cont)


def _as_record(doc: Any) -> dict:
    """A model.Document or a plain record → the plain record."""
    if hasattr(doc, "model_dump"):
        return doc.model_dump(mode="python")
    return doc


def _walk(sections: list[dict]) -> Iterable[dict]:
    for s in sections:
        yield s
        yield from _walk(s["children"])


def _layers(spans: list[_Piece]) -> list[_Piece]:
    """Cut spans so that any two pieces are nested or disjoint (a laminar family).

    Spans are placed from the highest rank down; a span crossing an already placed piece is cut at
    that piece's edge inside it. Cutting at the edges of crossing pieces never makes a piece cross
    one it was nesting with: such an edge inside a nested piece would mean the two placed pieces
    crossed each other.
    """
    placed: list[_Piece] = []
    for span in sorted(spans, key=lambda p: -_RANK[p.kind]):
        s, e = span.start, span.end
        cuts = set()
        if e > s:
            for q in placed:
                if q.end <= q.start:
                    continue
                if q.start < s < q.end < e:
                    cuts.add(q.end)
                elif s < q.start < e < q.end:
                    cuts.add(q.start)
        bounds = [s, *sorted(cuts), e]
        for i in range(len(bounds) - 1):
            placed.append(_Piece(bounds[i], bounds[i + 1], span.kind, span.index, first=(i == 0)))
    return placed


def _tokens(text: str, spans: list[_Piece]) -> list[tuple]:
    """The text as a flat list of ('text', str), ('open', piece) and ('close', piece) tokens."""
    pieces = sorted(_layers(spans), key=lambda p: (p.start, -p.end, _RANK[p.kind], p.index))
    out: list[tuple] = []
    stack: list[_Piece] = []
    pos = 0

    def emit_to(at: int) -> None:
        nonlocal pos
        if at > pos:
            out.append(("text", text[pos:at]))
            pos = at

    for p in pieces:
        while stack and stack[-1].end <= p.start:
            emit_to(stack[-1].end)
            out.append(("close", stack.pop()))
        emit_to(p.start)
        out.append(("open", p))
        stack.append(p)
    while stack:
        emit_to(stack[-1].end)
        out.append(("close", stack.pop()))
    emit_to(len(text))
    return out


def _number(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer() and abs(v) < 1e16:
        return str(int(v))
    return f"{v:.6g}"


def _target_view(i: int, t: dict) -> dict:
    value = _number(t["value"])
    if t.get("value_max") is not None:
        value += "–" + _number(t["value_max"])
    return {
        "n": i, "raw": t["raw"], "value": value, "sort_value": t["value"], "unit": t["unit"],
        "comparator": t["comparator"], "year": t.get("year"), "year_source": t.get("year_source") or "none",
        "period": list(t["period"]) if t.get("period") else None, "baseline_year": t.get("baseline_year"),
        "annual": t.get("annual", False), "direction": t.get("direction"), "indicator": t.get("indicator", ""),
        "text": t.get("text", ""), "section": "".join(t.get("section", [])), "span": list(t["span"]),
        "lead": t.get("lead_units", []), "support": t.get("support_units", []),
        "responsible": t.get("responsible_units", []), "rule": t.get("rule", ""),
    }


def document_view(doc: Any, text: str) -> dict:
    """Everything the document template shows, as plain data (also used by the tests)."""
    from .normalize import drop_bom

    rec = _as_record(doc)
    text = drop_bom(text)
    sections = list(_walk(rec["sections"]))
    index_of = {id(s): i for i, s in enumerate(sections)}
    spans: list[_Piece] = []
    notes = []
    for i, s in enumerate(sections):
        spans.append(_Piece(s["span"][0], max(s["span"][0], s["title_span"][1]), "heading", i))
        u = s.get("units")
        if u is not None and u.get("span") is not None:
            notes.append({"n": len(notes), "section": "".join(s["path"]), "lead": u["lead"],
                          "support": u["support"], "responsible": u["responsible"], "quote": u["quote"]})
            spans.append(_Piece(u["span"][0], u["span"][1], "units", len(notes) - 1))
    targets = [_target_view(i, t) for i, t in enumerate(rec["targets"])]
    for t in targets:
        spans.append(_Piece(t["span"][0], t["span"][1], "target", t["n"]))
    warnings = []
    for i, w in enumerate(rec["warnings"]):
        warnings.append({"n": i, "kind": w["kind"], "message": w["message"],
                         "span": list(w["span"]) if w.get("span") else None})
        if w.get("span"):
            spans.append(_Piece(w["span"][0], w["span"][1], "warning", i))
    for p in spans:  # a span past the text (a record for another text) must not break the page
        p.start, p.end = min(p.start, len(text)), min(p.end, len(text))

    def tree(secs: list[dict]) -> list[dict]:
        return [{"n": index_of[id(s)], "label": s["label"], "title": s["title"], "units": s.get("units") is not None,
                 "children": tree(s["children"])} for s in secs]

    years = sorted({t["year"] for t in targets if t["year"] is not None})
    units = sorted({t["unit"] for t in targets})
    name = Path(rec["source"]).name
    return {
        "name": name, "source": rec["source"], "title": rec.get("title") or name,
        "encoding": rec.get("encoding", ""), "horizon_year": rec.get("horizon_year"),
        "outline": tree(rec["sections"]), "tokens": _tokens(text, spans), "targets": targets,
        "notes": notes, "warnings": warnings, "years": years, "units": units,
        "counts": {"sections": len(sections), "targets": len(targets), "units": len(notes),
                   "warnings": len(warnings)},
        "year_sources": YEAR_SOURCES,
    }


@functools.lru_cache(maxsize=1)
def _env():
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("policyparse", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )

    def source_text(s: str) -> Markup:
        # the HTML parser turns CR and CRLF into LF; a character reference keeps the CR
        return Markup(str(escape(s)).replace("\r", "&#13;"))

    env.filters["source_text"] = source_text
    return env


@functools.lru_cache(maxsize=1)
def _assets() -> dict:
    """The inline CSS and script, and a Content-Security-Policy that lets only this script run:
    no network, no other script, even if something slipped past the escaping."""
    import base64
    import hashlib

    from markupsafe import Markup

    loader = _env().loader
    css = loader.get_source(_env(), "review/review.css")[0]
    js = "\n" + loader.get_source(_env(), "review/review.js")[0] + "\n"
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    return {"css": Markup(css), "js": Markup(js), "csp": csp}


def render_document(doc: Any, text: str) -> str:
    """The review page for one document; `text` is the source its spans index."""
    return _env().get_template("review/document.html.j2").render(**document_view(doc, text), **_assets())


def index_row(doc: Any, href: str) -> dict:
    """One row of the batch index: the document, where its page is, and its counts."""
    rec = _as_record(doc)
    sections = list(_walk(rec["sections"]))
    return {
        "href": href, "source": rec["source"], "title": rec.get("title") or "",
        "sections": len(sections), "targets": len(rec["targets"]),
        "units": sum(1 for s in sections if s.get("units") is not None), "warnings": len(rec["warnings"]),
    }


def render_index(rows: list[dict], failed: Iterable[str] = ()) -> str:
    """The batch's index page: one row per document (from `index_row`), then the inputs that failed."""
    totals = {k: sum(r[k] for r in rows) for k in ("sections", "targets", "units", "warnings")}
    return _env().get_template("review/index.html.j2").render(rows=rows, totals=totals, failed=list(failed), **_assets())


# ---- files ------------------------------------------------------------------------------------------

INDEX = "index.html"  # the batch's index page in the output folder (a document named index gets index-page)


def page_href(page: str | Path, out_dir: str | Path) -> str:
    """The link from out_dir/index.html to a page (relative, URL-quoted: a '#' or a space in a
    file name stays part of the name)."""
    from urllib.parse import quote

    return quote(Path(os.path.relpath(page, out_dir)).as_posix())


def write_page(doc: Any, text: str, out_path: str | Path) -> dict:
    """Write the review page of a parsed document (atomically); return its row for the index."""
    from .emit import write_atomic

    out_path = Path(out_path)
    write_atomic(out_path, render_document(doc, text))
    return index_row(doc, page_href(out_path, out_path.parent))


def review_file(path: str | Path, out_path: str | Path) -> dict:
    """Read, decode and parse one file and write its review page; return its row for the index.
    A JSON file written by `parse` is shown over its `source` text, read again. Raises
    InputError/DecodeError naming the file and the cause."""
    if str(path).lower().endswith(".json"):
        record, text = parsed_with_source(path)
    else:
        from .pipeline import read_and_parse

        text, record = read_and_parse(path)
    return write_page(record, text, out_path)


def parsed_with_source(path: str | Path) -> tuple[dict, str]:
    """A `parse` output and the text its spans index (its `source`, read again). InputError when
    the JSON is not a document, the source cannot be read, or it changed since it was parsed
    (a target's span no longer holds its number)."""
    from .errors import InputError
    from .model import Document
    from .normalize import drop_bom
    from .readers import read_path

    try:
        doc = Document.from_json(Path(path).read_bytes())
    except OSError as e:
        raise InputError(str(path), e.strerror or str(e)) from None
    except ValueError as e:
        raise InputError(str(path), f"not a policyparse JSON document ({str(e).splitlines()[0]})") from None
    try:
        text = drop_bom(read_path(doc.source).text)
    except InputError as e:
        raise InputError(str(path), f"its source {doc.source}: {e.cause}") from None
    for t in doc.targets:
        if t.raw and t.raw not in text[t.span[0]:t.span[1]]:
            raise InputError(str(path), f"its source {doc.source} changed since it was parsed "
                                        f"(no {t.raw!r} at {t.span[0]}); parse it again")
    return doc.model_dump(mode="python"), text


def write_index(rows: list[dict], out_dir: str | Path, failed: Iterable[str] = ()) -> Path:
    """Write out_dir/index.html for a batch (atomically) and return its path."""
    from .emit import write_atomic

    path = Path(out_dir) / INDEX
    write_atomic(path, render_index(rows, failed))
    return path
