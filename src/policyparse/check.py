"""A linter for drafts: what a drafting office should look at before a document goes out.

Each finding names the document, a kind, a message, and where (line and column, 1-based, and
the [start, end) span in the source). Kinds:

    gap, repeat, out_of_order, numbering   the outline's numbering (the parse's warnings)
    lead_and_support    one note names a unit both 牵头 and 配合 (aliases resolved)
    conflicting_value   one indicator is given two different values for the same year
    unclear_year        a target whose year cannot be told, in a document with several horizons
    no_unit             a responsibility note that names no unit (`（牵头单位：；配合单位：）`)
    draft               the document is marked as a draft (征求意见稿, 草案, 送审稿 …)
    across_value        (check_across) the same indicator due in the same year with different
                        values in different documents

    findings = check_text(text, source="plan.txt")
    print("\\n".join(format_finding(f) for f in findings))
"""
from __future__ import annotations

import bisect
import functools
from typing import TYPE_CHECKING, Iterable, Literal, Optional

from .patterns import rx as regex   # regex.compile without importing `regex` for a stored pattern (patterns/rx.py)
from pydantic import BaseModel, ConfigDict, Field

from .aliases import Aliases

if TYPE_CHECKING:
    from .model import Document, Target

KINDS: dict[str, str] = {
    "gap": "a number is missing in the outline (三、 then 五、)",
    "repeat": "an outline number appears twice",
    "out_of_order": "an outline number goes backwards",
    "numbering": "another numbering oddity",
    "lead_and_support": "one note names a unit both 牵头 and 配合",
    "conflicting_value": "one indicator, one year, two different values in one document",
    "unclear_year": "a target with no year of its own in a document with several horizons",
    "no_unit": "a responsibility note that names no unit",
    "draft": "the document is marked as a draft (征求意见稿 …)",
    "across_value": "the same indicator, the same year, different values in different documents",
}
WARNING_KINDS = {"gap": "gap", "repeat": "repeat", "out_of_order": "out_of_order", "other": "numbering"}

# Names that hold a place rather than name a unit: （责任单位：待定）
PLACEHOLDER_RE = regex.compile(r"^(?:待定|待确定|另定|另行确定|暂无|无|[xX×＊*]+|[…\.。]+)$")
# A section that states the document's goals: 发展目标 · 主要目标 · 主要指标 · 工作目标
GOAL_TITLE_RE = regex.compile(r"目标|指标")
# Characters left out when indicators are compared (spaces, punctuation, quotes).
INDICATOR_DROP_RE = regex.compile(r"[\s\p{P}“”‘’]+")
# Indicators in two documents are the same when this similar (rapidfuzz ratio, 0–100).
ACROSS_SIMILARITY = 90
# An across_value finding names at most this many other places (a corpus may have hundreds).
ACROSS_NAMED = 5


class Finding(BaseModel):
    """One finding of `policyparse check` (one item of its JSON list)."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(description="The document's source path.")
    kind: Literal[tuple(KINDS)] = Field(description="What kind of problem (see KINDS in check.py).")  # type: ignore[valid-type]
    message: str = Field(description="One line a person can act on.")
    line: Optional[int] = Field(None, ge=1, description="1-based line of the span's start; null if the finding has no place.")
    column: Optional[int] = Field(None, ge=1, description="1-based column (in characters) of the span's start.")
    span: Optional[tuple[int, int]] = Field(None, description="[start, end) in the source (after a BOM is dropped).")


class Lines:
    """Offsets -> 1-based (line, column); CRLF, CR and LF each end a line."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in regex.finditer(r"\r\n|\r|\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _finding(doc: "Document", lines: Lines, kind: str, message: str, span) -> dict:
    line = column = None
    if span is not None:
        line, column = lines.at(span[0])
    return {"document": doc.source, "kind": kind, "message": message, "line": line, "column": column,
            "span": list(span) if span is not None else None}


def _norm_indicator(s: str) -> str:
    return INDICATOR_DROP_RE.sub("", s)


def _value_text(t: "Target") -> str:
    comparator = "" if t.comparator == "=" else t.comparator
    return f"{comparator}{t.raw}"


def _same_value(a: "Target", b: "Target") -> bool:
    return a.value == b.value and a.value_max == b.value_max


def _dated(doc: "Document"):
    """Targets that have a due year, an indicator, and are not recurring."""
    return [t for t in doc.targets if t.year is not None and not t.annual and _norm_indicator(t.indicator)]


# ---- the checks, one function each ---------------------------------------------------------------

def _numbering(doc, lines):
    for w in doc.warnings:
        yield _finding(doc, lines, WARNING_KINDS.get(w.kind, "numbering"), w.message, w.span)


def _notes(u) -> list[tuple[dict, str]]:
    """The notes merged into one Units, each parsed on its own: [(roles, quote)]. A section's
    text may hold several notes, and a unit may lead one and support another."""
    from . import normalize
    from .extract.units import parse_note
    from .patterns.units import NOTE_RE

    notes = []
    for m in NOTE_RE.finditer(normalize.fold(u.quote)):
        g = "inner" if m.group("inner") is not None else "inner2"
        roles = parse_note(u.quote[m.start(g):m.end(g)], True)
        if roles:
            notes.append((roles, u.quote[m.start():m.end()]))
    return notes or [({"lead": u.lead, "support": u.support}, u.quote)]


def _lead_and_support(doc, lines, aliases: Aliases):
    for s in doc.iter_sections():
        u = s.units
        if u is None or not (u.lead and u.support):
            continue
        for roles, quote in _notes(u):
            support = {aliases.canonical(n): n for n in roles["support"]}
            for name in roles["lead"]:
                other = support.get(aliases.canonical(name))
                if other is not None:
                    both = name if other == name else f"{name} / {other}"
                    yield _finding(doc, lines, "lead_and_support",
                                   f"{both} is named both 牵头 and 配合 in {quote} ({''.join(s.path)} {s.title})", u.span)


def _goal_paths(doc) -> set[tuple[str, ...]]:
    """Paths of the sections that state the document's goals (a title with 目标 or 指标), and of
    everything below them."""
    paths = set()
    for s in doc.iter_sections():
        if GOAL_TITLE_RE.search(s.title) or tuple(s.path[:-1]) in paths:
            paths.add(tuple(s.path))
    return paths


def _conflicting_values(doc, lines):
    """Two values for one indicator and year, where both speak of the same scope: in one
    section, or one of them in the goals (or the preamble). Two tasks that each add 300 and
    400 of the same thing speak of different places, and are not flagged."""
    goals = _goal_paths(doc)

    def scope(t):
        return "goals" if not t.section or tuple(t.section) in goals else tuple(t.section)

    def comparable(a, b):
        return scope(a) == scope(b) or "goals" in (scope(a), scope(b))

    earlier: dict[tuple, list["Target"]] = {}
    for t in _dated(doc):
        key = (_norm_indicator(t.indicator), t.year, t.unit)
        before = earlier.setdefault(key, [])
        seen = next((b for b in before if comparable(b, t) and not _same_value(b, t)), None)
        before.append(t)
        if seen is not None:
            line, col = lines.at(seen.span[0])
            yield _finding(doc, lines, "conflicting_value",
                           f"{t.indicator} for {t.year} is {_value_text(t)} here but {_value_text(seen)} at {line}:{col}",
                           t.span)


def _unclear_years(doc, lines):
    horizons = sorted({t.year for t in doc.targets if t.year is not None and not t.annual
                       and t.year_source in ("stated", "period")})
    if len(horizons) < 2:
        return
    years = "、".join(map(str, horizons))
    for t in doc.targets:
        if t.annual or (t.year is not None and t.year_source != "horizon"):
            continue
        what = f"{t.indicator} {t.raw}".strip()
        yield _finding(doc, lines, "unclear_year",
                       f"{what}: no year of its own, and this document has targets for {years}", t.span)


@functools.lru_cache(maxsize=1)
def _empty_label_line_re():
    """A note line with a label and nothing after it: `责任单位：`."""
    from .patterns.units import LABEL_MARKERS

    return regex.compile(r"(?m)^[ \t\u3000]*(?:" + "|".join(map(regex.escape, LABEL_MARKERS))
                         + r")\s*[:：][ \t\u3000。.；;]*$")


def _empty_notes(doc, text, lines):
    from . import normalize
    from .extract.units import parse_note
    from .patterns.units import BARE_LABEL_LINE_RE, LABEL_MARKER_RE, NOTE_RE

    empty_line_re = _empty_label_line_re()

    folded = normalize.fold(text)
    for s in doc.iter_sections():
        start, end = s.span
        chunk = folded[start:end]
        named = s.units is not None and not s.units.is_empty()
        if named and all(PLACEHOLDER_RE.match(n) for r in ("lead", "support", "responsible") for n in getattr(s.units, r)):
            yield _finding(doc, lines, "no_unit",
                           f"the note of {''.join(s.path)} {s.title} names no unit ({s.units.quote})", s.units.span)
            continue
        hits = []
        for m in NOTE_RE.finditer(chunk):
            g = "inner" if m.group("inner") is not None else "inner2"
            hits.append((m.start(), m.end(), m.group(g)))
        hits += [(m.start("inner"), m.end("inner"), m.group("inner")) for m in BARE_LABEL_LINE_RE.finditer(chunk)]
        hits += [(m.start() + len(m.group()) - len(m.group().lstrip()), m.end(), m.group().strip())
                 for m in empty_line_re.finditer(chunk)]
        seen = set()
        for a, b, inner in sorted(hits):
            if a in seen or not LABEL_MARKER_RE.search(inner):
                continue
            seen.add(a)
            if parse_note(inner, True) is None:
                quote = text[start + a:start + b]
                yield _finding(doc, lines, "no_unit",
                               f"the note {quote} in {''.join(s.path)} {s.title} names no unit", (start + a, start + b))


def _draft(doc, text, lines):
    if not doc.status:
        return
    at = text.find(doc.status)
    span = (at, at + len(doc.status)) if at >= 0 else None
    yield _finding(doc, lines, "draft", f"the document is marked {doc.status}: a draft, not the final text", span)


def check_document(doc: "Document", text: str, aliases: Aliases | None = None) -> list[dict]:
    """Every finding for one parsed document (Finding's fields), in source order. `text` is the
    source the document was parsed from (for lines and columns)."""
    from .normalize import drop_bom

    text = drop_bom(text)
    aliases = aliases or Aliases.for_text(text)
    lines = Lines(text)
    found = [*_numbering(doc, lines), *_lead_and_support(doc, lines, aliases), *_conflicting_values(doc, lines),
             *_unclear_years(doc, lines), *_empty_notes(doc, text, lines), *_draft(doc, text, lines)]
    found.sort(key=lambda f: (f["span"][0] if f["span"] else -1, f["kind"]))
    return found


def check_text(text: str, source: str = "<text>", aliases: Aliases | None = None) -> list[dict]:
    """Parse and check one decoded text."""
    from .pipeline import parse

    return check_document(parse(text, source=source), text, aliases)


def check_across(docs: Iterable[tuple["Document", str]]) -> list[dict]:
    """The same indicator due in the same year with different values in different documents:
    one finding per target involved, naming the other documents' values and places.
    Indicators match when equal after dropping punctuation, or similar (rapidfuzz ratio >= 90)."""
    from rapidfuzz import fuzz, process

    from .normalize import drop_bom

    items = []
    for doc, text in docs:
        lines = Lines(drop_bom(text))
        for t in _dated(doc):
            items.append((doc, lines, t, _norm_indicator(t.indicator)))
    buckets: dict[tuple, dict[str, list]] = {}   # (year, unit) -> indicator -> targets
    for it in items:
        buckets.setdefault((it[2].year, it[2].unit), {}).setdefault(it[3], []).append(it)
    found = []
    for by_indicator in buckets.values():
        names = list(by_indicator)
        for ind, group in by_indicator.items():
            # each distinct indicator once against the others (in C++), not every pair of targets
            similar = [m[0] for m in process.extract(ind, names, scorer=fuzz.ratio,
                                                     score_cutoff=ACROSS_SIMILARITY, limit=None)]
            for doc, lines, t, _ in group:
                others = []
                for name in similar:
                    for odoc, olines, ot, _ in by_indicator[name]:
                        if odoc.source == doc.source or _same_value(t, ot):
                            continue
                        line, col = olines.at(ot.span[0])
                        others.append(f"{_value_text(ot)} in {odoc.source}:{line}:{col}")
                if others:
                    more = f"; and {len(others) - ACROSS_NAMED} more" if len(others) > ACROSS_NAMED else ""
                    found.append(_finding(doc, lines, "across_value",
                                          f"{t.indicator} for {t.year} is {_value_text(t)} here but "
                                          + "; ".join(others[:ACROSS_NAMED]) + more, t.span))
    found.sort(key=lambda f: (f["document"], f["span"][0]))
    return found


def select(findings: Iterable[dict], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[dict]:
    """Keep the kinds in `select` (all if empty), less those in `ignore`."""
    chosen, dropped = set(select), set(ignore)
    return [f for f in findings if (not chosen or f["kind"] in chosen) and f["kind"] not in dropped]


def format_finding(f: dict) -> str:
    """`file:line:col: kind: message`, as compilers write it (`file: kind: message` without a place)."""
    where = f["document"] if f["line"] is None else f"{f['document']}:{f['line']}:{f['column']}"
    return f"{where}: {f['kind']}: {f['message']}"
