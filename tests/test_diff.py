"""`diff`: a seed against an edited copy (five edits, exactly five changes), against a copy with
only whitespace and line-break changes (nothing), and small cases for each kind of change."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from policyparse import parse_text
from policyparse.diff import diff_documents, format_change

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
# the dev set's documents too, where ../shared is beside the repo (or /work/shared beside a worktree)
DEV = next((p / "shared" / "dev" / "docs" for p in REPO.parents[:2] if (p / "shared" / "dev" / "docs").is_dir()), None)
DOCS = SEEDS + (sorted(DEV.glob("*.txt")) if DEV else [])
SCHEMA = jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / "change.schema.json").read_text(encoding="utf-8")))


def diff(old: str, new: str) -> list[dict]:
    changes = diff_documents(parse_text(old, "old.txt"), parse_text(new, "new.txt"), old, new)
    for c in changes:
        assert not list(SCHEMA.iter_errors(c)), c
        assert format_change(c)
    return changes


def summary(changes):
    return [(c["change"], c["what"], "".join(c["path"]), c["fields"]) for c in changes]


# ---- a seed and five edits ---------------------------------------------------------------------------

def _last_note_roles(text: str, units):
    """(role, first name) of the lead or responsible units of the last note (the spanned one)."""
    from policyparse.extract.units import parse_note

    roles = parse_note(text[units.span[0] + 1:units.span[1] - 1], True) or {}
    for role in ("lead", "responsible"):
        if roles.get(role):
            return role, roles[role][0]
    return None


def five_edits(text: str):
    """An edited copy of `text`: one target's value changed, one heading removed (with its text),
    one target added, two sibling sections swapped (numbers kept in place), one note's units
    changed; each in a different leaf section. Returns the copy and what was edited."""
    doc = parse_text(text)
    leaves = [s for s in doc.iter_sections() if not s.children and s.title]
    by_id = {id(s): s for s in leaves}
    owned = {id(s): [t for t in doc.targets if s.span[0] <= t.span[0] < s.span[1]] for s in leaves}
    used: set[int] = set()

    def pick(ok):
        s = next(s for s in leaves if id(s) not in used and ok(s))
        used.add(id(s))
        return s

    def plain_number(t):
        return t.value_max is None and t.raw[0].isdigit() and text.count(t.raw) == 1

    changed = pick(lambda s: any(plain_number(t) for t in owned[id(s)]))
    target = next(t for t in owned[id(changed)] if plain_number(t))
    noted = pick(lambda s: s.units is not None and _last_note_roles(text, s.units))
    parents = {}
    for p in doc.iter_sections():
        for a, b in zip(p.children, p.children[1:]):
            parents.setdefault(id(a), b)
    first = pick(lambda s: id(s) in parents and id(parents[id(s)]) in by_id and id(parents[id(s)]) not in used
                 and s.title != parents[id(s)].title)
    second = parents[id(first)]
    used.add(id(second))
    removed = pick(lambda s: not owned[id(s)])
    grown = pick(lambda s: "。" in text[s.title_span[1]:s.span[1]])

    edits = []  # (start, end, replacement), applied from the end
    digits = "".join(ch for ch in target.raw if ch.isdigit() or ch == ".")
    new_raw = target.raw.replace(digits, str(int(float(digits)) + 7), 1)
    edits.append((target.span[0], target.span[1], new_raw))
    role, name = _last_note_roles(text, noted.units)
    at = text.index(name, noted.units.span[0])
    edits.append((at, at + len(name), "市审计局"))
    edits.append((first.title_span[0], second.span[1],
                  text[second.title_span[0]:second.span[1]] + text[first.span[1]:second.span[0]]
                  + text[second.span[0]:second.title_span[0]] + text[first.title_span[0]:first.span[1]]))
    edits.append((removed.span[0], removed.span[1], ""))
    dot = text.index("。", grown.title_span[1]) + 1
    edits.append((dot, dot, "新建示范基地87个。"))
    new = text
    for start, end, repl in sorted(edits, reverse=True):
        new = new[:start] + repl + new[end:]
    return new, {"role": role, "changed": changed, "noted": noted, "first": first, "second": second, "removed": removed,
                 "grown": grown, "target": target, "name": name}


def _has_notes_and_targets(path: Path) -> bool:
    doc = parse_text(path.read_text(encoding="utf-8-sig"))
    return bool(doc.targets) and any(s.units for s in doc.iter_sections())


SEEDS_WITH_NOTES = [p for p in DOCS if _has_notes_and_targets(p)]


@pytest.mark.parametrize("seed", SEEDS_WITH_NOTES, ids=lambda p: p.name[:6])
def test_seed_against_five_edits(seed):
    old = seed.read_text(encoding="utf-8-sig")
    new, e = five_edits(old)
    changes = diff(old, new)
    got = sorted(summary(changes))
    path = lambda s: "".join(s.path)  # noqa: E731
    moved = [c for c in changes if c["change"] == "moved"]
    assert len(moved) == 1 and "".join(moved[0]["old"]["path"]) in (path(e["first"]), path(e["second"]))
    expected = sorted([
        ("changed", "target", path(e["changed"]), ["value"]),
        ("changed", "units", path(e["noted"]), [e["role"]]),
        ("removed", "section", path(e["removed"]), []),
        ("added", "target", path(e["grown"]), []),
        summary(moved)[0],
    ])
    assert got == expected, "\n\n".join(format_change(c) for c in changes)
    removed = next(c for c in changes if c["change"] == "removed")
    assert removed["old"]["title"] == e["removed"].title
    value = next(c for c in changes if c["what"] == "target" and c["change"] == "changed")
    assert value["old"]["raw"] == e["target"].raw and value["new"]["value"] != value["old"]["value"]
    units = next(c for c in changes if c["what"] == "units")
    assert e["name"] in str(units["old"]) and "市审计局" in str(units["new"])


def whitespace_copy(text: str) -> str:
    """CRLF line ends, a blank line after each paragraph, U+3000 indents and trailing spaces."""
    lines = text.split("\n")
    lines = [("\u3000\u3000" + line + "  ") if line and i % 3 == 0 else line for i, line in enumerate(lines)]
    return "\r\n".join(lines).replace("。\r\n", "。\r\n\r\n")


@pytest.mark.parametrize("seed", DOCS, ids=lambda p: p.name[:6])
def test_whitespace_and_line_breaks_change_nothing(seed):
    old = seed.read_text(encoding="utf-8-sig")
    assert diff(old, old) == []
    assert diff(old, whitespace_copy(old)) == []


# ---- small cases ---------------------------------------------------------------------------------------

OLD = """一、总体要求
到2025年，全市充电桩达到10万个。
二、重点任务
（一）建设设施。新建换电站300座。（牵头单位：市发改委；配合单位：市财政局）
（二）推广应用。推广新能源公交车500辆。（责任单位：市交通委）
（三）完善政策。出台配套政策。（责任单位：市经信委）
三、保障措施
"""


def test_renamed_heading_keeps_its_targets():
    new = OLD.replace("（一）建设设施", "（一）加快建设充电设施")
    assert summary(diff(OLD, new)) == [("renamed", "section", "二、（一）", ["title"])]


def test_reworded_indicator_is_the_same_target():
    new = OLD.replace("新建换电站300座", "新建成换电站320座")
    changes = diff(OLD, new)
    assert summary(changes) == [("changed", "target", "二、（一）", ["value"])]
    assert changes[0]["old"]["value"] == 300 and changes[0]["new"]["value"] == 320


def test_year_and_comparator_changes():
    new = OLD.replace("新建换电站300座", "到2024年新建换电站300座以上")
    assert summary(diff(OLD, new)) == [("changed", "target", "二、（一）", ["comparator", "year"])]


def test_added_section_lists_nothing_inside_it_again():
    new = OLD.replace("三、保障措施", "（四）强化示范。建成示范区5个。（责任单位：市科技局）\n三、保障措施")
    assert summary(diff(OLD, new)) == [("added", "section", "二、（四）", [])]


def test_moved_to_another_parent():
    new = OLD.replace("（三）完善政策。出台配套政策。（责任单位：市经信委）\n", "") + "（一）完善政策。出台配套政策。（责任单位：市经信委）\n"
    changes = diff(OLD, new)
    assert summary(changes) == [("moved", "section", "三、（一）", ["parent"])]
    assert changes[0]["old"]["path"] == ["二、", "（三）"]


def test_units_written_another_way_are_the_same():
    new = OLD.replace("市发改委", "市发展和改革委员会").replace("市经信委", "市经济信息化委")
    assert diff(OLD, new) == []


def test_note_added_and_removed():
    new = OLD.replace("（责任单位：市交通委）", "").replace("出台配套政策。", "出台配套政策。（责任单位：市财政局）", 1)
    new = new.replace("（责任单位：市经信委）（责任单位：市财政局）", "（责任单位：市经信委、市财政局）")
    got = summary(diff(OLD, new))
    assert ("removed", "units", "二、（二）", ["responsible"]) in got
    assert ("changed", "units", "二、（三）", ["responsible"]) in got
    assert len(got) == 2


def test_text_format_shows_what_was_and_what_is():
    new = OLD.replace("新建换电站300座", "新建换电站320座")
    text = format_change(diff(OLD, new)[0], "old.txt", "new.txt")
    assert text.splitlines() == ["changed target 二、（一） (value)  [old.txt:4 → new.txt:4]",
                                 "- 换电站 300座 (2025)", "+ 换电站 320座 (2025)"]
