"""Unit aliases: the built-in table's integrity, and the case table in cases/aliases.yaml
(declared in the text, built-in, user files in YAML and CSV, pairs that must stay apart)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from policyparse.aliases import Aliases, declared_aliases, load_table, load_user_file, split_level

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "aliases.yaml").read_text(encoding="utf-8"))
TABLE = load_table()
ORG_ENDS = ("局", "厅", "委", "部", "办", "会", "行", "办公室")


# ---- the built-in table ------------------------------------------------------------------------------

def test_table_is_not_empty_and_has_the_issue_examples():
    a = Aliases()
    assert len(TABLE) >= 40
    assert a.canonical("发改委") == a.canonical("发展和改革委员会") == "发展改革委"
    assert a.canonical("工信局") == "工业和信息化局"
    assert a.canonical("住建委") == a.canonical("住房城乡建设委")


def test_every_form_belongs_to_one_body():
    owner: dict[str, str] = {}
    for canonical, forms in TABLE.items():
        for form in [canonical, *forms]:
            assert form not in owner or owner[form] == canonical, f"{form} is under {owner.get(form)} and {canonical}"
            owner[form] = canonical


def test_forms_are_clean_names():
    for canonical, forms in TABLE.items():
        assert forms, f"{canonical} has no other forms"
        assert canonical not in forms, f"{canonical} lists itself"
        assert len(set(forms)) == len(forms), f"{canonical} lists a form twice"
        for form in [canonical, *forms]:
            assert form == form.strip() and not any(c.isspace() or c in "，、（）()" for c in form), form
            assert form.endswith(ORG_ENDS), f"{form} does not end like a department"


def test_no_form_splits_into_a_level_and_another_form():
    """A form must resolve as a whole, never as a prefix plus a shorter form of another body."""
    a = Aliases()
    for canonical, forms in TABLE.items():
        for form in [canonical, *forms]:
            assert split_level(form, a.bodies) == ("", form), form
            for level in ("市", "省", "区", "县"):
                assert a.canonical(level + form) == level + a.canonical(form)


# ---- the case table ----------------------------------------------------------------------------------

def _user_files(tmp_path: Path, user: dict) -> list[Path]:
    as_yaml = tmp_path / "aliases.yaml"
    as_yaml.write_text(yaml.safe_dump(user, allow_unicode=True), encoding="utf-8")
    as_csv = tmp_path / "aliases.csv"
    with as_csv.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["canonical", "aliases"])
        for canonical, forms in user.items():
            w.writerow([canonical, *forms])
    return [as_yaml, as_csv]


def test_case_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_aliases(case, tmp_path):
    text = case.get("text", "")
    if "declared" in case:
        assert declared_aliases(text) == case["declared"]
    users = _user_files(tmp_path, case["user"]) if case.get("user") else [None]
    for user_file in users:
        a = Aliases.for_text(text, user=load_user_file(user_file) if user_file else None)
        for name, expected in (case.get("canonical") or {}).items():
            assert a.canonical(name) == expected, (name, user_file)
            assert a.canonical(expected) == expected, "canonical names are fixed points"
        for group in case.get("same") or []:
            assert len({a.canonical(n) for n in group}) == 1, group
        for x, y in case.get("apart") or []:
            assert a.canonical(x) != a.canonical(y), (x, y)
            if x not in y and y not in x:  # --unit is a filter: 市发改委 does find 上海市发改委
                assert not a.matches(x, y) and not a.matches(y, x), (x, y)


def test_matches_finds_every_written_form():
    a = Aliases()
    for query in ("发改委", "发展和改革委员会", "市发改委", "发展改革"):
        assert a.matches(query, "市发展改革委"), query
    assert not a.matches("市发改委", "区发展改革委")
    assert not a.matches("教育局", "市体育局")
    assert not a.matches("", "市发展改革委")


@pytest.mark.parametrize("content, suffix, reason", [
    ("市A: [甲]\n市B: [甲]\n", ".yaml", "given for both"),
    ("- {aliases: [甲]}\n", ".yaml", "needs a 'canonical' key"),
    ("key: [unclosed\n", ".yaml", "not valid YAML"),
    ("42\n", ".yml", "expected a mapping"),
])
def test_bad_user_files_say_why(tmp_path, content, suffix, reason):
    p = tmp_path / f"bad{suffix}"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=reason):
        load_user_file(p)


def test_missing_user_file(tmp_path):
    with pytest.raises(ValueError, match="No such file"):
        load_user_file(tmp_path / "nope.yaml")
