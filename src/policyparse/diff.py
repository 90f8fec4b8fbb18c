"""What changed between two versions of a document (a 征求意见稿 and the final text).

Sections are matched by their titles, not their numbers or offsets: the same title under the
same parent first, then the same title anywhere, then the most similar title and text
(rapidfuzz). So a section that moved, or whose siblings were renumbered because one was
removed, is still the same section. Targets are matched inside matched sections by indicator
(exact, then similar) and position; notes are compared by their units' canonical names.

Changes (Change's fields), in the new document's order:

    added / removed     section, target           (what was inside an added or removed
                                                   section is not listed again)
    renamed             section                   the title changed
    moved               section                   another parent, or another place among its siblings
    changed             target                    value, value_max, unit, comparator or year
    added / removed / changed   units             a task's note appeared, went, or names other units

Whitespace, line breaks and full/half-width forms alone change nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Optional

from .patterns import rx as regex   # regex.compile without importing `regex` for a stored pattern (patterns/rx.py)
from pydantic import BaseModel, ConfigDict, Field

from .aliases import Aliases

if TYPE_CHECKING:
    from .model import Document, Section, Target

TARGET_FIELDS = ("value", "value_max", "unit", "comparator", "year")
ROLES = ("lead", "support", "responsible")
# Titles and indicators are compared without spaces and punctuation.
DROP_RE = regex.compile(r"[\s\p{P}\p{S}]+")
# Similarity (rapidfuzz ratio, 0–100) a pair of unmatched sections or targets needs.
SECTION_SIMILARITY = 60
TARGET_SIMILARITY = 60


class Change(BaseModel):
    """One change between two versions (`policyparse diff --format json`, one item)."""

    model_config = ConfigDict(extra="forbid")

    change: Literal["added", "removed", "changed", "moved", "renamed"] = Field(description="What happened.")
    what: Literal["section", "target", "units"] = Field(description="To what: a heading, a target, a task's note.")
    path: list[str] = Field(description="Labels of the section concerned (in the new version; in the old one for a removal).")
    old: Optional[dict[str, Any]] = Field(None, description="What was (null for an addition): a section's path/title/line, a target's fields, a note's units.")
    new: Optional[dict[str, Any]] = Field(None, description="What is (null for a removal).")
    fields: list[str] = Field(default_factory=list, description="For `changed`: the fields that differ (value, year, lead, …); for `moved`: parent or order.")


@functools.lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    from .normalize import fold

    return DROP_RE.sub("", fold(s))


@dataclass(eq=False)
class _Node:
    section: Optional["Section"]           # None for the document root
    parent: Optional["_Node"]
    index: int                             # place among its siblings
    title: str = ""
    text: str = ""
    children: list["_Node"] = field(default_factory=list)
    targets: list["Target"] = field(default_factory=list)
    match: Optional["_Node"] = None

    @property
    def path(self) -> list[str]:
        return list(self.section.path) if self.section else []


def _tree(doc: "Document") -> tuple[_Node, list[_Node]]:
    root = _Node(None, None, 0)
    nodes: list[_Node] = []

    def add(sections, parent):
        for i, s in enumerate(sections):
            n = _Node(s, parent, i, _norm(s.title), _norm(s.text)[:300])
            parent.children.append(n)
            nodes.append(n)
            add(s.children, n)

    add(doc.sections, root)
    # each target to the section whose own text holds it (the root for the preamble)
    from .duties import section_of_targets

    by_section = {id(n.section): n for n in nodes}
    for t, chain in section_of_targets(doc):
        (by_section[id(chain[-1])] if chain else root).targets.append(t)
    return root, nodes


def _ancestors_titles(n: _Node) -> tuple[str, ...]:
    out = []
    p = n.parent
    while p is not None and p.section is not None:
        out.append(p.title)
        p = p.parent
    return tuple(out)


def _pair(a: _Node, b: _Node) -> None:
    a.match, b.match = b, a


def _match_sections(old: list[_Node], new: list[_Node]) -> None:
    from rapidfuzz import fuzz

    # 1. the same title under parents of the same titles; 2. the same title anywhere (in order)
    for key in (lambda n: (n.title, _ancestors_titles(n)), lambda n: (n.title,)):
        waiting: dict[tuple, list[_Node]] = {}
        for n in new:
            if n.match is None and n.title:
                waiting.setdefault(key(n), []).append(n)
        for o in old:
            if o.match is None and o.title and waiting.get(key(o)):
                _pair(o, waiting[key(o)].pop(0))
    # 3. the most similar of what is left (title and text; untitled articles by their text)
    scored = []
    for o in old:
        if o.match is not None:
            continue
        for n in new:
            if n.match is not None:
                continue
            title = fuzz.ratio(o.title, n.title) if (o.title or n.title) else None
            text = fuzz.ratio(o.text, n.text) if (o.text or n.text) else 0.0
            score = text if title is None else 0.6 * title + 0.4 * text
            if o.section.depth == n.section.depth:
                score += 5
            if o.parent.match is n.parent or (o.parent.section is None and n.parent.section is None):
                score += 5
            if score >= SECTION_SIMILARITY:
                scored.append((score, o.section.span[0], n.section.span[0], o, n))
    for _, _, _, o, n in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        if o.match is None and n.match is None:
            _pair(o, n)


def _longest_increasing(seq: list[int]) -> set[int]:
    """Positions (into seq) of one longest increasing subsequence."""
    import bisect

    tails: list[int] = []
    tails_at: list[int] = []
    back = [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(i)
        else:
            tails[k] = v
            tails_at[k] = i
        back[i] = tails_at[k - 1] if k else -1
    keep = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return keep


def _section_info(n: _Node, lines) -> dict:
    info = {"path": n.path, "title": n.section.title}
    if lines is not None:
        info["line"] = lines.at(n.section.span[0])[0]
    return info


def _target_info(t: "Target", lines) -> dict:
    info = {"raw": t.raw, "indicator": t.indicator, "value": t.value, "value_max": t.value_max, "unit": t.unit,
            "comparator": t.comparator, "year": t.year, "path": list(t.section)}
    if lines is not None:
        info["line"] = lines.at(t.span[0])[0]
    return info


def _units_info(u) -> dict | None:
    if u is None or u.is_empty():
        return None
    return {"lead": list(u.lead), "support": list(u.support), "responsible": list(u.responsible), "quote": u.quote}


def _match_targets(old: list["Target"], new: list["Target"]) -> list[tuple[Optional["Target"], Optional["Target"]]]:
    """Pairs (old, new) of one section's targets; (t, None) removed, (None, t) added."""
    from rapidfuzz import fuzz

    pairs: dict[int, int] = {}
    candidates = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            oi, ni = _norm(o.indicator), _norm(n.indicator)
            if oi or ni:
                score = 100.0 if oi == ni else fuzz.ratio(oi, ni)
            else:
                score = fuzz.ratio(_norm(o.text), _norm(n.text))
            if o.raw == n.raw:
                score += 10
            if i == j:
                score += 5
            if score >= TARGET_SIMILARITY:
                candidates.append((score, i, j))
    used_new: set[int] = set()
    for _, i, j in sorted(candidates, key=lambda x: (-x[0], x[1], x[2])):
        if i not in pairs and j not in used_new:
            pairs[i] = j
            used_new.add(j)
    # what is left on both sides in equal numbers pairs up by position (a reworded indicator)
    rest_old = [i for i in range(len(old)) if i not in pairs]
    rest_new = [j for j in range(len(new)) if j not in used_new]
    if rest_old and len(rest_old) == len(rest_new):
        for i, j in zip(rest_old, rest_new):
            if old[i].unit == new[j].unit:
                pairs[i] = j
                used_new.add(j)
    out: list[tuple] = [(old[i], new[j]) for i, j in pairs.items()]
    out += [(old[i], None) for i in range(len(old)) if i not in pairs]
    out += [(None, new[j]) for j in range(len(new)) if j not in used_new]
    return out


def diff_documents(old: "Document", new: "Document", old_text: str | None = None, new_text: str | None = None,
                   old_aliases: Aliases | None = None, new_aliases: Aliases | None = None) -> list[dict]:
    """The changes from `old` to `new` (Change's fields). The texts, when given, add line numbers
    (and the declared aliases of each version)."""
    from .check import Lines

    old_lines = Lines(old_text) if old_text is not None else None
    new_lines = Lines(new_text) if new_text is not None else None
    old_aliases = old_aliases or (Aliases.for_text(old_text) if old_text else Aliases())
    new_aliases = new_aliases or (Aliases.for_text(new_text) if new_text else Aliases())
    old_root, old_nodes = _tree(old)
    new_root, new_nodes = _tree(new)
    _pair(old_root, new_root)
    _match_sections(old_nodes, new_nodes)

    changes: list[tuple[int, dict]] = []  # (position in the new text, change)

    def at_new(n: _Node | None) -> int:
        return n.section.span[0] if n is not None and n.section is not None else 0

    def add(pos: int, change: str, what: str, path, old_v=None, new_v=None, fields=()):
        changes.append((pos, {"change": change, "what": what, "path": list(path), "old": old_v, "new": new_v,
                              "fields": list(fields)}))

    for o in old_nodes:
        if o.match is None and o.parent.match is not None:
            # where it was: just after the matched section before it, in the new text
            before = next((s.match for s in reversed(o.parent.children[:o.index]) if s.match), None)
            pos = at_new(before) if before is not None else at_new(o.parent.match)
            add(pos, "removed", "section", o.path, old_v=_section_info(o, old_lines))
    for n in new_nodes:
        if n.match is None:
            if n.parent.match is not None:
                add(at_new(n), "added", "section", n.path, new_v=_section_info(n, new_lines))
            continue
        o = n.match
        if o.title != n.title:
            add(at_new(n), "renamed", "section", n.path, _section_info(o, old_lines), _section_info(n, new_lines), ["title"])
        if o.parent.match is not n.parent:
            add(at_new(n), "moved", "section", n.path, _section_info(o, old_lines), _section_info(n, new_lines), ["parent"])
    # order among siblings that kept their parent: whatever is off the longest run in order moved
    for parent in [new_root, *new_nodes]:
        kept = [c for c in parent.children if c.match is not None and c.match.parent.match is parent]
        in_order = _longest_increasing([c.match.index for c in kept])
        for i, c in enumerate(kept):
            if i not in in_order:
                add(at_new(c), "moved", "section", c.path, _section_info(c.match, old_lines),
                    _section_info(c, new_lines), ["order"])

    # targets and notes of matched sections (the root included)
    for n in [new_root, *new_nodes]:
        o = n.match
        if o is None:
            continue
        for ot, nt in _match_targets(o.targets, n.targets):
            if nt is None:
                add(at_new(n), "removed", "target", o.path, old_v=_target_info(ot, old_lines))
            elif ot is None:
                add(nt.span[0], "added", "target", n.path, new_v=_target_info(nt, new_lines))
            else:
                fields = [f for f in TARGET_FIELDS if getattr(ot, f) != getattr(nt, f)]
                if fields:
                    add(nt.span[0], "changed", "target", n.path, _target_info(ot, old_lines),
                        _target_info(nt, new_lines), fields)
        if n.section is None:
            continue
        ou, nu = o.section.units, n.section.units
        old_u, new_u = _units_info(ou), _units_info(nu)
        if old_u is None and new_u is None:
            continue
        fields = [r for r in ROLES
                  if {old_aliases.canonical(x) for x in (old_u or {}).get(r, [])}
                  != {new_aliases.canonical(x) for x in (new_u or {}).get(r, [])}]
        if fields:
            kind = "added" if old_u is None else "removed" if new_u is None else "changed"
            pos = nu.span[0] if nu is not None and nu.span else at_new(n)
            add(pos, kind, "units", n.path, old_u, new_u, fields)
    changes.sort(key=lambda x: x[0])
    return [c for _, c in changes]


def _label(path: list[str]) -> str:
    return "".join(path) or "(preamble)"


def format_change(c: dict, old_name: str = "old", new_name: str = "new") -> str:
    """One change as lines a person reads, like diff: what was (-), what is (+), where."""
    o, n, what = c["old"], c["new"], c["what"]

    def where(info, name):
        return f"{name}:{info['line']}" if info and "line" in info else name

    def target(t):
        year = f" ({t['year']})" if t.get("year") else ""
        return f"{t['indicator']} {t['raw']}{year}".strip()

    def units(u):
        if not u:
            return "(no note)"
        return "；".join(f"{cn} {'、'.join(u[r])}" for r, cn in zip(ROLES, ("牵头", "配合", "负责")) if u[r])

    head = f"{c['change']} {what} {_label(c['path'])}"
    if what == "units":
        return f"{head} ({', '.join(c['fields'])})\n- {units(o)}\n+ {units(n)}"
    if what == "target":
        show = target
    elif c["change"] == "moved":
        show = lambda s: f"{_label(s['path'])} {s['title']}"  # noqa: E731
    else:
        show = lambda s: s["title"]  # noqa: E731
    if c["change"] == "added":
        return f"{head}  [{where(n, new_name)}]\n+ {show(n)}"
    if c["change"] == "removed":
        return f"{head}  [{where(o, old_name)}]\n- {show(o)}"
    fields = f" ({', '.join(c['fields'])})" if c["change"] != "renamed" else ""
    return f"{head}{fields}  [{where(o, old_name)} → {where(n, new_name)}]\n- {show(o)}\n+ {show(n)}"
