"""The document header: title, status, subtitle, issuing number, addressee, preamble."""
from __future__ import annotations

from pathlib import Path

import pytest

from policyparse import parse_file, parse_text

SEEDS = Path(__file__).parents[1] / "seeds"


def flat(doc):
    return [[s.depth, s.label, s.title] for s in doc.iter_sections()]


# ---- seeds ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["000_463af7c4fa96e186", "001_a80a7c57f5d63ecc", "002_eb086d2754ac2bb8",
                                  "003_d21c9a4995a45cda"], ids=lambda n: n[:3])
def test_seeds_without_title(name):
    doc = parse_file(SEEDS / f"{name}.txt")
    assert doc.title is None
    assert doc.status is None
    assert doc.sections[0].label.endswith("一、")


def test_seed_004_title_and_status():
    doc = parse_file(SEEDS / "004_1ecdd285c2b66f00.txt")
    assert doc.title == "深入推进新型工业化加快建设工业强市三年行动计划"
    assert doc.status == "征求意见稿"
    assert doc.preamble.startswith("习近平总书记深刻指出")
    assert doc.preamble.endswith("制定本行动计划。")
    assert (doc.sections[0].label, doc.sections[0].title) == ("一、", "总体要求")


@pytest.mark.parametrize("name", ["000_463af7c4fa96e186", "001_a80a7c57f5d63ecc"], ids=lambda n: n[:3])
def test_seed_addressee(name):
    doc = parse_file(SEEDS / f"{name}.txt")
    assert doc.addressee == "各市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构，各大企业，各高等院校："
    assert doc.preamble.startswith("为贯彻落实《国务院关于")


# ---- title and status -----------------------------------------------------------------------------

def test_multi_line_title_joined_with_status_line():
    text = "深入推进新型工业化\n加快建设工业强市三年行动计划\n（征求意见稿）\n\n为深入实施工业强市发展战略，制定本行动计划。\n一、总体要求\n"
    doc = parse_text(text)
    assert doc.title == "深入推进新型工业化加快建设工业强市三年行动计划"
    assert doc.status == "征求意见稿"
    assert doc.preamble == "为深入实施工业强市发展战略，制定本行动计划。"
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_status_suffix_on_title_line():
    doc = parse_text("加快建设工业强市三年行动计划（征求意见稿）\n\n一、总体要求\n")
    assert doc.title == "加快建设工业强市三年行动计划"
    assert doc.status == "征求意见稿"


@pytest.mark.parametrize("line, status", [("（送审稿）", "送审稿"), ("(征求意见稿)", "征求意见稿"),
                                          ("【征求意见稿】", "征求意见稿"), ("（草案）", "草案")])
def test_status_line_forms(line, status):
    doc = parse_text(f"三年行动计划\n{line}\n\n一、总体要求\n")
    assert (doc.title, doc.status) == ("三年行动计划", status)
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_no_title_when_document_opens_with_body_text():
    doc = parse_text("为充分发挥企业技术改造作用，特制定本行动计划。\n一、总体要求\n")
    assert doc.title is None
    assert doc.preamble == "为充分发挥企业技术改造作用，特制定本行动计划。"


def test_no_title_when_document_opens_with_a_heading():
    doc = parse_text("一、总体要求\n二、发展目标\n")
    assert doc.title is None
    assert doc.preamble == ""
    assert len(doc.sections) == 2


def test_no_status_without_marker():
    doc = parse_text("政府工作报告\n\n各位代表：\n现在报告。\n")
    assert doc.status is None


# ---- subtitle ------------------------------------------------------------------------------------

REPORT = (
    "政府工作报告\n"
    "——2026年1月26日在济南市第十八届人民代表大会第五次会议上\n"
    "\n"
    "各位代表：\n"
    "现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    "一、过去一年工作回顾\n"
    "——经济运行稳中向好。\n"
)


def test_subtitle_is_not_a_dash_bullet():
    doc = parse_text(REPORT)
    assert doc.title == "政府工作报告"
    assert doc.subtitle == "——2026年1月26日在济南市第十八届人民代表大会第五次会议上"
    assert doc.addressee == "各位代表："
    assert doc.preamble == "现在，我代表市人民政府，向大会报告工作，请予审议。"
    # the dash bullet inside the body is a section; the subtitle is not
    assert flat(doc) == [[1, "一、", "过去一年工作回顾"], [2, "—", "经济运行稳中向好"]]


def test_subtitle_in_brackets_with_date():
    doc = parse_text("关于加快工业转型升级的意见\n（2026年1月26日）\n\n一、总体要求\n")
    assert doc.title == "关于加快工业转型升级的意见"
    assert doc.subtitle == "（2026年1月26日）"
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_heading_directly_after_subtitle():
    doc = parse_text("政府工作报告\n——2026年1月26日在济南市第十八届人民代表大会第五次会议上\n一、过去一年工作回顾\n")
    assert flat(doc) == [[1, "一、", "过去一年工作回顾"]]


def test_heading_directly_after_long_title():
    doc = parse_text("山东省人民政府关于加快工业转型升级的实施意见\n一、总体要求\n（一）指导思想。围绕科学发展主题。\n")
    assert doc.title == "山东省人民政府关于加快工业转型升级的实施意见"
    assert flat(doc) == [[1, "一、", "总体要求"], [2, "（一）", "指导思想"]]


def test_heading_after_long_title_and_blank_line():
    """With a blank line in between the heading is found too."""
    doc = parse_text("山东省人民政府关于加快工业转型升级的实施意见\n\n一、总体要求\n（一）指导思想。围绕科学发展主题。\n")
    assert doc.title == "山东省人民政府关于加快工业转型升级的实施意见"
    assert flat(doc) == [[1, "一、", "总体要求"], [2, "（一）", "指导思想"]]


# ---- addressee, transmittal notice, doc number -----------------------------------------------------

def test_addressee_government_list():
    text = ("各市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构：\n\n"
            "　　为贯彻落实国务院部署，现提出以下意见：\n\n　　一、总体要求\n")
    doc = parse_text(text)
    assert doc.title is None
    assert doc.addressee == "各市人民政府，各县（市、区）人民政府，省政府各部门、各直属机构："
    assert doc.preamble == "为贯彻落实国务院部署，现提出以下意见："
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_addressee_deputies():
    doc = parse_text("各位代表：\n现在，我代表市人民政府作报告。\n一、过去一年工作回顾\n")
    assert doc.addressee == "各位代表："
    assert doc.title is None
    assert doc.preamble == "现在，我代表市人民政府作报告。"


TRANSMITTAL = (
    "山东省人民政府关于印发《山东省工业转型升级实施方案》的通知\n"
    "鲁政发〔2012〕12号\n"
    "各市人民政府，各县（市、区）人民政府，省政府各部门：\n"
    "现将《山东省工业转型升级实施方案》印发给你们，请认真贯彻执行。\n"
    "一、总体要求\n"
)


def test_transmittal_notice():
    doc = parse_text(TRANSMITTAL)
    assert doc.title == "山东省人民政府关于印发《山东省工业转型升级实施方案》的通知"
    assert doc.doc_number == "鲁政发〔2012〕12号"
    assert doc.addressee == "各市人民政府，各县（市、区）人民政府，省政府各部门："
    assert doc.preamble == "现将《山东省工业转型升级实施方案》印发给你们，请认真贯彻执行。"
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_doc_number_above_title():
    """The usual GB/T 9704 layout: the issuing number stands above the title."""
    text = ("鲁政发〔2012〕12号\n\n山东省人民政府关于印发《山东省工业转型升级实施方案》的通知\n\n"
            "各市人民政府：\n现将实施方案印发给你们。\n一、总体要求\n")
    doc = parse_text(text)
    assert doc.doc_number == "鲁政发〔2012〕12号"
    assert doc.title == "山东省人民政府关于印发《山东省工业转型升级实施方案》的通知"
    assert doc.addressee == "各市人民政府："
    assert doc.preamble == "现将实施方案印发给你们。"
    assert flat(doc) == [[1, "一、", "总体要求"]]


def test_header_lines_are_not_sections():
    """Nothing in a header (title, status, subtitle, number, addressee) becomes a section."""
    text = ("政府工作报告\n——在市第十八届人民代表大会第五次会议上\n（征求意见稿）\n\n各位代表：\n现在报告。\n")
    doc = parse_text(text)
    assert doc.sections == []
    assert doc.title == "政府工作报告"
    assert doc.status == "征求意见稿"


@pytest.mark.parametrize("text,title", [
    ("某市数字经济发展规划\n目  录\n一、发展基础\n二、总体要求\n一、发展基础\n近年来发展迅速。\n二、总体要求\n", "某市数字经济发展规划"),
    ("某市数字经济发展规划\n\n目录\n一、发展基础\n一、发展基础\n", "某市数字经济发展规划"),
    ("目录\n第一章 发展环境……1\n第二章 总体要求……5\n第一章 发展环境\n本市基础雄厚。\n第二章 总体要求\n", None),
    ("目录管理办法\n一、总则\n", "目录管理办法"),   # a title that merely starts with 目录
], ids=["contents_after_title", "contents_after_blank", "contents_first", "title_with_the_word"])
def test_table_of_contents_is_not_the_title(text, title):
    doc = parse_text(text)
    assert doc.title == title
    labels = [s.label for s in doc.iter_sections()]
    assert len(labels) == len(set(labels)) or title == "目录管理办法"
