"""Score parse output against gold files written to the annotation SPEC (`policyparse eval`).

A gold file (`<document stem>.json`: doc, title, status, sections, units, targets) says what a
careful reader finds in one document. This module scores a parse of that document against it
with the same rules, metric names and totals as the project's shared scorer, so a user who
annotates a few of their own documents sees how well the tool reads them:

    section_f1        (path, title) of every heading, labels and titles normalized
    section_path_f1   the paths only
    unit_f1           (section path, role, unit name) triples
    unit_loose_f1     (role, unit name) pairs, wherever the note sits
    target_precision / target_recall / target_f1
                      a gold target is found when a predicted span overlaps its number, with the
                      same value and unit (the narrowest such prediction wins); a prediction that
                      matches a gold target marked core false counts neither way
    year_acc          matched core targets with a gold year: share with the same year
    baseline_acc      the same for baseline years
    indicator_f1      mean character-overlap F1 of the matched targets' indicators
    grounded          share of predictions whose `raw` occurs inside their span of the source
    title_status_ok   documents whose title and status both agree, as "k/n"
    errors            documents whose parse failed (scored as an empty parse)

The scoring needs only the standard library: `score_document` is pure (text, gold, parse
record -> per-document counts) and `total` sums those counts into the metrics. The report is a
pydantic model, so its JSON has a schema (schemas/eval.schema.json).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from pydantic import BaseModel, Field

from .readers import SUPPORTED_SUFFIXES

# ---- normalization (what counts as the same label, title, unit, value) ------------------------------

DASHES = frozenset("-—－–─")
# Dropped from titles before comparing: spaces, quotes, brackets of titles and punctuation.
TITLE_DROP_RE = re.compile(r"[\s“”\"'‘’「」『』《》〈〉。：:，,、；;！!？?]")
ROLES = ("lead", "support", "responsible")
# How many misses of each kind a document's report lists.
MAX_SECTION_MISSES = 8
MAX_UNIT_MISSES = 8
MAX_TARGET_MISSES = 10
MAX_YEAR_MISSES = 6
REL_TOLERANCE = 1e-6


def norm_label(label: str) -> str:
    """`一、` -> `一`, `(一)` -> `（一）`, `1．` -> `1`; any run of dashes -> `—`."""
    s = (label or "").strip().replace("(", "（").replace(")", "）").rstrip("、.．: ")
    return "—" if s and set(s) <= DASHES else s


def norm_title(title: str) -> str:
    return TITLE_DROP_RE.sub("", title or "")


def norm_unit(unit: Optional[str]) -> str:
    u = (unit or "").strip().replace("％", "%")
    return "百分点" if u.endswith("百分点") else u


def same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= max(1e-9, REL_TOLERANCE * max(abs(x), abs(y)))


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; nothing predicted and nothing to find counts as perfect."""
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def char_f1(a: str, b: str) -> float:
    """F1 of the characters two normalized titles/indicators share (as multisets)."""
    a, b = norm_title(a), norm_title(b)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def flat_sections(sections: Optional[list], path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """(normalized path, section) for every section of a parse record, depth first."""
    for s in sections or []:
        p = path + (norm_label(s.get("label", "")),)
        yield p, s
        yield from flat_sections(s.get("children"), p)


# ---- one document ---------------------------------------------------------------------------------------

class GoldError(ValueError):
    """A gold file that cannot be used (unreadable, or a quote not found in the source)."""


@dataclass
class DocScore:
    """Counts for one document; `total` sums them. Triples are (true positives, predicted, gold)."""

    doc: str
    title_ok: bool = True
    status_ok: bool = True
    sec: tuple[int, int, int] = (0, 0, 0)
    sec_path: tuple[int, int, int] = (0, 0, 0)
    unit: tuple[int, int, int] = (0, 0, 0)
    unit_loose: tuple[int, int, int] = (0, 0, 0)
    tgt: tuple[int, int, int] = (0, 0, 0)
    year: tuple[int, int] = (0, 0)
    baseline: tuple[int, int] = (0, 0)
    grounded: tuple[int, int] = (0, 0)
    indicator: list[float] = field(default_factory=list)
    error: Optional[str] = None
    misses: dict[str, list[str]] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The document's line of the report."""
        return {
            "doc": self.doc,
            "section_f1": round(prf(*self.sec)[2], 4),
            "unit_f1": round(prf(*self.unit)[2], 4),
            "target_precision": round(prf(*self.tgt)[0], 4),
            "target_recall": round(prf(*self.tgt)[1], 4),
            "year_acc": round(self.year[0] / self.year[1], 4) if self.year[1] else 1.0,
            "error": self.error,
            "misses": self.misses,
        }


def _path_text(path: tuple) -> str:
    return "/".join(path)


def _unit_triples(items) -> Iterator[tuple[tuple, str, str]]:
    for path, units in items:
        for role in ROLES:
            for name in (units or {}).get(role) or []:
                yield path, role, name.strip()


def _gold_number_spans(text: str, gold: dict) -> list[tuple[int, int, dict]]:
    spans = []
    for g in gold.get("targets") or []:
        q = text.find(g["quote"])
        k = g["quote"].find(g["number_text"]) if q >= 0 else -1
        if q < 0 or k < 0:
            raise GoldError(f"{gold.get('doc')}: gold quote not found in source: {g['quote']!r}")
        spans.append((q + k, q + k + len(g["number_text"]), g))
    return spans


def _span(t: dict) -> Optional[tuple[int, int]]:
    span = t.get("span") or [0, 0]
    try:
        return int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return None


def _match_targets(golds: list[tuple[int, int, dict]], preds: list[dict]) -> list[tuple[dict, dict]]:
    """Each gold target, in gold order, takes the narrowest unused prediction whose span overlaps
    its number and whose value and unit agree."""
    used: set[int] = set()
    matches = []
    for ns, ne, g in golds:
        best: Optional[tuple[int, int]] = None
        for i, t in enumerate(preds):
            if i in used:
                continue
            span = _span(t)
            if span is None or not (span[0] < ne and ns < span[1]):
                continue
            if not same_value(t.get("value"), g["value"]) or norm_unit(t.get("unit")) != norm_unit(g["unit"]):
                continue
            width = span[1] - span[0]
            if best is None or width < best[0]:
                best = (width, i)
        if best is not None:
            used.add(best[1])
            matches.append((g, preds[best[1]]))
    return matches


def score_document(text: str, gold: dict, out: dict) -> DocScore:
    """Score one parse record `out` (the JSON `policyparse parse` writes) of source `text`."""
    r = DocScore(doc=gold.get("doc", ""))
    r.title_ok = norm_title(out.get("title") or "") == norm_title(gold.get("title") or "")
    r.status_ok = (out.get("status") or None) == (gold.get("status") or None)

    gold_secs = {(tuple(norm_label(x) for x in g["path"]), norm_title(g["title"])) for g in gold.get("sections") or []}
    pred_secs = {(p, norm_title(s.get("title", ""))) for p, s in flat_sections(out.get("sections"))}
    gold_paths, pred_paths = {p for p, _ in gold_secs}, {p for p, _ in pred_secs}
    r.sec = (len(gold_secs & pred_secs), len(pred_secs), len(gold_secs))
    r.sec_path = (len(gold_paths & pred_paths), len(pred_paths), len(gold_paths))

    gold_u = set(_unit_triples((tuple(norm_label(x) for x in g["path"]), g) for g in gold.get("units") or []))
    pred_u = set(_unit_triples((p, s.get("units")) for p, s in flat_sections(out.get("sections"))))
    r.unit = (len(gold_u & pred_u), len(pred_u), len(gold_u))
    loose_g = Counter((role, n) for _, role, n in gold_u)
    loose_p = Counter((role, n) for _, role, n in pred_u)
    r.unit_loose = (sum((loose_g & loose_p).values()), sum(loose_p.values()), sum(loose_g.values()))

    golds = _gold_number_spans(text, gold)
    preds = list(out.get("targets") or [])
    matches = _match_targets(golds, preds)
    core = [g for _, _, g in golds if g.get("core", True)]
    tp_core = sum(1 for g, _ in matches if g.get("core", True))
    # predictions that match a non-core gold target are neither rewarded nor punished
    n_pred = len(preds) - sum(1 for g, _ in matches if not g.get("core", True))
    r.tgt = (tp_core, n_pred, len(core))
    dated = [(g, t) for g, t in matches if g.get("core", True) and g.get("year") is not None]
    r.year = (sum(1 for g, t in dated if t.get("year") == g["year"]), len(dated))
    based = [(g, t) for g, t in matches if g.get("baseline_year") is not None]
    r.baseline = (sum(1 for g, t in based if t.get("baseline_year") == g["baseline_year"]), len(based))
    r.indicator = [char_f1(t.get("indicator", ""), g["indicator"]) for g, t in matches]
    r.grounded = (sum(1 for t in preds if _is_grounded(t, text)), len(preds))

    matched_gold = {id(g) for g, _ in matches}
    matched_pred = {id(t) for _, t in matches}
    misses = {
        "section_missed": [f"{_path_text(p)} {t}" for p, t in sorted(gold_secs - pred_secs)[:MAX_SECTION_MISSES]],
        "section_extra": [f"{_path_text(p)} {t}" for p, t in sorted(pred_secs - gold_secs)[:MAX_SECTION_MISSES]],
        "unit_missed": [f"{_path_text(p)} {role} {n}" for p, role, n in sorted(gold_u - pred_u)[:MAX_UNIT_MISSES]],
        "unit_extra": [f"{_path_text(p)} {role} {n}" for p, role, n in sorted(pred_u - gold_u)[:MAX_UNIT_MISSES]],
        "target_missed": [f"{g['number_text']} {g['indicator'][:20]}" for g in core if id(g) not in matched_gold][:MAX_TARGET_MISSES],
        "target_extra": [f"{t.get('raw')} {str(t.get('indicator'))[:20]}" for t in preds if id(t) not in matched_pred][:MAX_TARGET_MISSES],
        "year_wrong": [f"{g['number_text']} gold {g['year']} got {t.get('year')}" for g, t in dated if t.get("year") != g["year"]][:MAX_YEAR_MISSES],
    }
    r.misses = {k: v for k, v in misses.items() if v}
    return r


def _is_grounded(t: dict, text: str) -> bool:
    try:
        s, e = int(t["span"][0]), int(t["span"][1])
        return bool(t.get("raw")) and t["raw"] in text[s:e]
    except Exception:  # noqa: BLE001 - a malformed prediction is simply not grounded
        return False


# ---- totals -------------------------------------------------------------------------------------------

TOTAL_NAMES = ("section_f1", "section_path_f1", "unit_f1", "unit_loose_f1", "target_precision", "target_recall",
               "target_f1", "year_acc", "baseline_acc", "indicator_f1", "grounded", "title_status_ok", "errors")


def total(scores: list[DocScore]) -> dict[str, Any]:
    """The metrics over all documents (counts summed first, then divided), rounded to 4 places."""
    def summed(name: str) -> tuple[int, ...]:
        vals = [getattr(s, name) for s in scores]
        return tuple(sum(v[i] for v in vals) for i in range(3)) if vals else (0, 0, 0)

    def ratio(name: str) -> float:
        k = sum(getattr(s, name)[0] for s in scores)
        n = sum(getattr(s, name)[1] for s in scores)
        return round(k / n, 4) if n else 0.0

    ind = [x for s in scores for x in s.indicator]
    tgt = prf(*summed("tgt"))
    return {
        "section_f1": round(prf(*summed("sec"))[2], 4), "section_path_f1": round(prf(*summed("sec_path"))[2], 4),
        "unit_f1": round(prf(*summed("unit"))[2], 4), "unit_loose_f1": round(prf(*summed("unit_loose"))[2], 4),
        "target_precision": round(tgt[0], 4), "target_recall": round(tgt[1], 4), "target_f1": round(tgt[2], 4),
        "year_acc": ratio("year"), "baseline_acc": ratio("baseline"),
        "indicator_f1": round(sum(ind) / len(ind), 4) if ind else 0.0,
        "grounded": ratio("grounded"),
        "title_status_ok": f"{sum(1 for s in scores if s.title_ok and s.status_ok)}/{len(scores)}",
        "errors": sum(1 for s in scores if s.error),
    }


# ---- gold files and the inputs that go with them ------------------------------------------------------

def load_gold(gold_dir: Path) -> list[tuple[Path, dict]]:
    """Every `*.json` gold file in `gold_dir`, sorted by name."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a folder of gold files")
    out = []
    for gf in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(gf.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise GoldError(f"{gf}: not a readable gold file ({e})") from None
        if not isinstance(gold, dict) or not isinstance(gold.get("doc"), str):
            raise GoldError(f"{gf}: a gold file needs a \"doc\" field naming its document")
        out.append((gf, gold))
    if not out:
        raise GoldError(f"{gold_dir}: no *.json gold files")
    return out


def pair_inputs(golds: list[tuple[Path, dict]], files: list[str]) -> tuple[list[tuple[Path, dict, str]], list[str], list[str]]:
    """Match each gold file to one input: a source text named as its `doc`, or a parse output
    `<stem>.json` (a parse output wins over a source text of the same name).

    Returns (gold file, gold, input path) triples in gold order, the gold docs with no input,
    and the inputs no gold file names."""
    json_by_stem: dict[str, str] = {}
    source_by_name: dict[str, str] = {}
    for f in files:
        p = Path(f)
        if p.suffix.lower() == ".json":
            json_by_stem.setdefault(p.stem, f)
        else:
            source_by_name.setdefault(p.name, f)
    pairs, missing, used = [], [], set()
    for gf, gold in golds:
        doc = gold["doc"]
        hit = json_by_stem.get(Path(doc).stem) or source_by_name.get(Path(doc).name)
        if hit is None:
            missing.append(doc)
            continue
        used.add(hit)
        used.add(source_by_name.get(Path(doc).name))  # the source text of a parse output is used too
        pairs.append((gf, gold, hit))
    unused = [f for f in files if f not in used]
    return pairs, missing, unused


def score_input(gold_file: str, input_path: str, sources: dict[str, str]) -> DocScore:
    """Read the gold file and the input (a parse output, or a source text parsed here), score it.

    `sources` maps document names to source texts given alongside parse outputs. A parse that
    fails is scored as an empty parse and counted in `errors`, as the shared scorer does."""
    from .pipeline import parse_record
    from .readers import read_path

    gold = json.loads(Path(gold_file).read_text(encoding="utf-8"))
    error = None
    if Path(input_path).suffix.lower() == ".json":
        record = _read_record(input_path)
        src = _source_for(record, gold["doc"], sources)
        text = read_path(src).text
    else:
        read = read_path(input_path)
        text = read.text
        try:
            record = parse_record(text, source=input_path, encoding=read.encoding, tables=read.tables, format=read.format)
        except Exception as e:  # noqa: BLE001 - any parse failure is scored as an empty parse
            record, error = {"sections": [], "targets": []}, f"parse failed: {type(e).__name__}: {e}"
        else:
            from .emit import plain

            record = plain(record)
    score = score_document(text, gold, record)
    score.error = error
    return score


def _read_record(path: str) -> dict:
    from .errors import InputError

    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(path, e.strerror or str(e)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(path, f"not a policyparse JSON document ({e})") from None
    if not isinstance(record, dict) or not isinstance(record.get("sections", []), list):
        raise InputError(path, "not a policyparse JSON document (no sections list)")
    return record


def _source_for(record: dict, doc: str, sources: dict[str, str]) -> str:
    """The source text of a parse output: one given among the inputs, else its `source` path."""
    from .errors import InputError

    if doc in sources:
        return sources[doc]
    src = record.get("source")
    if isinstance(src, str) and Path(src).name == doc and Path(src).is_file():
        return src
    raise InputError(str(src or doc), f"the source text of {doc} is needed to score targets; name it among PATHS")


def evaluate(gold_dir: Path, paths: list[str]) -> "EvalReport":
    """Score inputs against every gold file in `gold_dir`, serially (the CLI runs this in parallel).

    `paths`: source texts, parse outputs (`policyparse parse` JSON), or folders of them."""
    from .readers import expand_paths

    golds = load_gold(gold_dir)
    files, _ = expand_paths(list(paths), suffixes=INPUT_SUFFIXES)
    pairs, missing, unused = pair_inputs(golds, files)
    sources = source_names(files)
    scores = [score_input(str(gf), inp, sources) for gf, _, inp in pairs]
    return report(scores, missing, unused)


# Source texts in every format the readers take (.txt, .html, .docx, .pdf, …) and parse output.
INPUT_SUFFIXES = (*SUPPORTED_SUFFIXES, ".json")


def source_names(files: list[str]) -> dict[str, str]:
    """Document name -> path for the source texts among the inputs."""
    return {Path(f).name: f for f in files if Path(f).suffix.lower() != ".json"}


def report(scores: list[DocScore], missing: list[str], unused: list[str]) -> "EvalReport":
    return EvalReport(**total(scores), documents=[DocumentScore(**s.row()) for s in scores],
                      missing=missing, unused=unused)


# ---- the report (its JSON Schema is schemas/eval.schema.json) -----------------------------------------

class DocumentScore(BaseModel):
    """One document's line of the report."""

    doc: str = Field(description="The document's file name, as the gold file's `doc` names it.")
    section_f1: float
    unit_f1: float
    target_precision: float
    target_recall: float
    year_acc: float = Field(description="1.0 when no matched target has a gold year.")
    error: Optional[str] = Field(None, description="Why the parse failed (it was scored as an empty parse).")
    misses: dict[str, list[str]] = Field(
        default_factory=dict,
        description="A few misses of each kind: section_missed/extra ('path title'), unit_missed/extra "
                    "('path role name'), target_missed/extra ('number indicator'), year_wrong.")


class EvalReport(BaseModel):
    """`policyparse eval --format json`: the totals under the shared scorer's names, then one row
    per document."""

    section_f1: float
    section_path_f1: float
    unit_f1: float
    unit_loose_f1: float
    target_precision: float
    target_recall: float
    target_f1: float
    year_acc: float
    baseline_acc: float
    indicator_f1: float
    grounded: float
    title_status_ok: str = Field(description="Documents whose title and status agree with the gold, as 'k/n'.")
    errors: int = Field(description="Documents whose parse failed.")
    documents: list[DocumentScore] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Gold documents with no input among PATHS (not scored).")
    unused: list[str] = Field(default_factory=list, description="Inputs that no gold file names (not scored).")

    def totals(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in TOTAL_NAMES}


__all__ = ["score_document", "total", "load_gold", "pair_inputs", "score_input", "evaluate", "report",
           "EvalReport", "DocumentScore", "DocScore", "GoldError", "TOTAL_NAMES"]
