"""Numbering warnings: gaps, repeats, out-of-order numbers; continuous numbering is fine."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyparse import parse_file, parse_text


def warnings_of(text):
    doc = parse_text(text)
    return [(w.kind, text[w.span[0]:w.span[1]]) for w in doc.warnings], doc


@pytest.mark.parametrize("text, expect", [
    ("一、甲\n二、乙\n三、丙\n", []),
    ("一、甲\n三、乙\n", [("gap", "三、")]),
    ("一、甲\n二、乙\n二、丙\n", [("repeat", "二、")]),
    ("一、甲\n三、乙\n二、丙\n", [("gap", "三、"), ("out_of_order", "二、")]),
    ("二、甲\n三、乙\n", [("gap", "二、")]),
    ("（一）甲\n（二）乙\n（四）丙\n", [("gap", "（四）")]),
    ("1．甲\n2．乙\n5．丙\n", [("gap", "5．")]),
    ("①甲\n②乙\n②丙\n", [("repeat", "②")]),
    ("第一章 总则\n第三章 附则\n", [("gap", "第三章")]),
    ("一、甲\n——要点\n——要点\n二、乙\n", []),
    ("专栏1.1\n专栏1.3\n", []),
], ids=["ok", "gap", "repeat", "out_of_order", "starts_at_2", "cn_paren_gap", "arabic_gap", "circled_repeat",
        "chapter_gap", "dashes_never_warn", "boxes_never_warn"])
def test_numbering_warnings(text, expect):
    got, _ = warnings_of(text)
    assert got == expect


def test_seed_004_gap_missing_si():
    path = Path(__file__).parents[1] / "seeds" / "004_1ecdd285c2b66f00.txt"
    doc = parse_file(path)
    text = path.read_text(encoding="utf-8")
    assert len(doc.warnings) == 1
    w = doc.warnings[0]
    assert w.kind == "gap"
    assert text[w.span[0]:w.span[1]] == "五、"
    assert "三、" in w.message and "4" in w.message


@pytest.mark.parametrize("name", ["000_463af7c4fa96e186", "001_a80a7c57f5d63ecc", "002_eb086d2754ac2bb8",
                                  "003_d21c9a4995a45cda"], ids=lambda n: n[:3])
def test_other_seeds_have_no_warnings(name):
    assert parse_file(Path(__file__).parents[1] / "seeds" / f"{name}.txt").warnings == []


def test_continuous_numbering_across_sub_headings():
    """1..18 straight through （一）…（五）, then 19 under the next top-level heading: no warning."""
    items = iter(range(1, 23))
    lines = ["三、重点任务"]
    for k, count in zip("一二三四五", (4, 3, 3, 3, 5)):
        lines.append(f"（{k}）实施第{k}项行动")
        lines += [f"{next(items)}．任务。内容。" for _ in range(count)]
    lines.append("四、组织实施")
    lines.append("五、保障措施")
    lines += [f"{n}．措施。内容。" for n in range(19, 23)]
    text = "一、总体要求\n二、发展目标\n" + "\n".join(lines) + "\n"
    got, doc = warnings_of(text)
    assert got == []
    labels = [s.label for s in doc.iter_sections() if s.style == "arabic"]
    assert labels == [f"{n}．" for n in range(1, 23)]


def test_restart_under_a_new_parent_is_fine():
    got, _ = warnings_of("一、甲\n（一）子\n1．a\n2．b\n（二）子\n1．c\n2．d\n二、乙\n（一）子\n")
    assert got == []


def test_continuation_that_skips_is_a_gap():
    got, doc = warnings_of("一、甲\n（一）子\n1．a\n2．b\n（二）子\n5．c\n")
    assert got == [("gap", "5．")]
    assert "1 or 3" in doc.warnings[0].message


def test_gap_inside_a_continued_run():
    got, _ = warnings_of("一、甲\n（一）子\n1．a\n2．b\n（二）子\n1．c\n3．d\n")
    assert got == [("gap", "3．")]


def test_warning_spans_after_bom_and_crlf():
    text = "\ufeff一、甲\r\n三、乙\r\n"
    doc = parse_text(text)
    (w,) = doc.warnings
    assert text[1:][w.span[0]:w.span[1]] == "三、"
