"""Readers (issue #8): web pages in the shapes portals use, Word's own numbering, tables, text
boxes and footnotes, PDF layout (paragraphs, page numbers, running headers), and every bad file
of item 7 giving one clear line. All files are real: built with python-docx, printed by headless
Chromium, encrypted with msoffcrypto-tool and pypdf."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docbuild import build_docx, paragraphs_html, portal_page, print_pdf
from policyparse.errors import InputError
from policyparse.pipeline import parse_file_record
from policyparse.readers import expand_paths, read_bytes, read_path, sniff

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def check_tables(result) -> None:
    for t in result.tables:
        assert result.text[t.start:t.end].count("\n") == len(t.rows) - 1
        for row in t.rows:
            for c in row:
                assert result.text[c.start:c.end] == c.text


def labels(record) -> list[str]:
    out, stack = [], list(reversed(record["sections"]))
    while stack:
        s = stack.pop()
        out.append(s["label"])
        stack.extend(reversed(s["children"]))
    return out


# ---- web pages ------------------------------------------------------------------------------------

GOV_CN = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知_国务院</title></head><body>
<div class="header"><nav><a href="/">首页</a><a href="/zhengce/">政策</a></nav></div>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件</div>
<div class="article oneColumn pub_border">
  <h1>国务院办公厅关于推进数字经济发展的实施意见</h1>
  <div class="pages-date">2023-01-05 15:30　来源：国务院办公厅　<span class="font">【字体：大 中 小】</span><span>打印</span></div>
  <div class="pages_content" id="UCAP-CONTENT">
    <p style="text-indent:2em">各省、自治区、直辖市人民政府：</p>
    <p>　　一、总体要求</p>
    <p>　　（一）发展目标。到2025年，数字经济核心产业增加值占GDP比重达到10%。</p>
    <p>　　二、重点任务</p>
    <p>　　（一）建设新型基础设施。新建5G基站&nbsp;60万个。（牵头单位：工业和信息化部）</p>
  </div>
  <div class="related"><h4>相关稿件</h4><a href="/x">解读</a></div>
</div>
<div id="footer">版权所有：中国政府网　京ICP备05070218号</div></body></html>"""


def test_gov_cn_page_keeps_title_and_body_and_drops_the_site():
    r = read_bytes(GOV_CN.encode("utf-8"), "page.html", "html")
    assert r.format == "html" and r.encoding == "utf-8"
    assert r.text.splitlines() == [
        "国务院办公厅关于推进数字经济发展的实施意见",
        "各省、自治区、直辖市人民政府：",
        "　　一、总体要求",
        "　　（一）发展目标。到2025年，数字经济核心产业增加值占GDP比重达到10%。",
        "　　二、重点任务",
        "　　（一）建设新型基础设施。新建5G基站\xa060万个。（牵头单位：工业和信息化部）",
    ]


def test_gbk_trs_editor_page_with_br_lines_and_entities():
    body = ('<div class="TRS_Editor"><style>.TRS_Editor P{line-height:2}</style><p>'
            '一、工作目标<br/>　　到2020年，全市&ldquo;互联网+&rdquo;\n应用普及率超过90%&#12290;<br>'
            '二、保障措施<br />&nbsp;&nbsp;加强组织领导&amp;统筹协调。</p></div>')
    page = portal_page(body, charset="gb2312", container='<div id="zoom">{}</div>')
    r = read_bytes(page.encode("gbk"), "page.htm", "html")
    assert r.encoding == "gb18030"
    assert r.text.splitlines() == [
        "一、工作目标",
        "　　到2020年，全市“互联网+”应用普及率超过90%。",   # a source line break between Chinese characters is no space
        "二、保障措施",
        "加强组织领导&统筹协调。",
    ]


def test_page_declaring_utf8_but_saved_as_gbk():
    page = '<html><head><meta charset="utf-8"></head><body><div class="article"><p>一、总体要求</p><p>到2025年建成基站2万个。</p></div></body></html>'
    r = read_bytes(page.encode("gbk"), "p.html", "html")
    assert r.encoding == "gb18030" and "一、总体要求" in r.text


def test_page_without_known_container_uses_the_densest_block():
    page = """<html><body><table><tr><td class="left"><a href="/1">机构概况</a><br><a href="/2">政务公开</a><br><a href="/3">办事服务</a></td>
    <td>一、主要目标<br>到2025年，全省规模以上工业增加值年均增长6%以上。<br>二、重点任务<br>（一）推动产业集群发展，培育百亿级产业集群20个。<br></td></tr></table>
    <div class="bottom">主办单位：某某市人民政府办公室 备案号：浙ICP备00000000号</div></body></html>"""
    r = read_bytes(page.encode("utf-8"), "p.html", "html")
    assert r.text.splitlines() == ["一、主要目标", "到2025年，全省规模以上工业增加值年均增长6%以上。", "二、重点任务",
                                   "（一）推动产业集群发展，培育百亿级产业集群20个。"]


INDICATOR_TABLE = """<p>表1　“十四五”主要指标</p>
<table border="1"><tr><th rowspan="2">类别</th><th rowspan="2">指标</th><th colspan="2">目标值</th></tr>
<tr><th>2020年</th><th>2025年</th></tr>
<tr><td rowspan="2">创新</td><td>研发经费投入强度（%）</td><td>2.1</td><td>2.5</td></tr>
<tr><td>每万人口发明专利拥有量（件）</td><td>9.6</td><td>15</td></tr></table>
<p>三、保障措施</p>"""


def test_indicator_table_becomes_rows_with_exact_cell_spans():
    page = portal_page("<p>二、主要目标</p>" + INDICATOR_TABLE)
    r = read_bytes(page.encode("utf-8"), "p.html", "html")
    assert len(r.tables) == 1
    t = r.tables[0]
    assert t.caption == "表1　“十四五”主要指标"
    assert [[c.text for c in row] for row in t.rows] == [
        ["类别", "指标", "目标值", ""],
        ["", "", "2020年", "2025年"],                 # the rowspans above leave empty cells: columns align
        ["创新", "研发经费投入强度（%）", "2.1", "2.5"],
        ["", "每万人口发明专利拥有量（件）", "9.6", "15"],
    ]
    check_tables(r)
    assert "创新\t研发经费投入强度（%）\t2.1\t2.5\n" in r.text
    assert r.text.endswith("三、保障措施\n")


def test_indicator_table_reaches_the_targets(tmp_path):
    """The cells the reader returns are the ones extract/tables.py reads targets from."""
    table = ("<p>表2 主要指标</p><table><tr><td>指标</td><td>2020年</td><td>2025年</td></tr>"
             "<tr><td>研发经费投入强度（%）</td><td>2.1</td><td>2.5</td></tr>"
             "<tr><td>每万人口发明专利拥有量（件）</td><td>9.6</td><td>15</td></tr></table>")
    page = tmp_path / "plan.html"
    page.write_text(portal_page("<p>二、主要目标</p>" + table), encoding="utf-8")
    result = read_path(page)
    (t,) = result.tables
    record = parse_file_record(page)
    got = [(x["value"], x["unit"], x["year"], x["span"]) for x in record["targets"]]
    cells = t.rows[1][2], t.rows[2][2]
    assert got == [(2.5, "%", 2025, (cells[0].start, cells[0].end)), (15.0, "件", 2025, (cells[1].start, cells[1].end))]


def test_layout_tables_are_read_as_paragraphs():
    """Old portal pages wrap the article in tables; a one-cell table, a one-column table and a
    table whose cell holds a passage are layout: their cells' paragraphs stay lines (a small
    two-column table inside one is data, and stays a table)."""
    long = "加快推进产业基础高级化和产业链现代化，" * 12
    page = portal_page(f"""<table width="100%"><tr><td><p>一、总体要求</p><p>{long}</p>
        <table><tr><td>（一）</td><td>发展目标。到2025年建成5G基站2万个。</td></tr><tr><td>（二）</td><td>基本原则。</td></tr></table>
        </td></tr></table><table><tr><td>二、重点任务</td></tr><tr><td>{long}</td></tr></table>""")
    r = read_bytes(page.encode("utf-8"), "p.html", "html")
    assert [[c.text for c in row] for t in r.tables for row in t.rows] == [
        ["（一）", "发展目标。到2025年建成5G基站2万个。"], ["（二）", "基本原则。"]]
    assert r.text.splitlines() == ["一、总体要求", long, "（一）\t发展目标。到2025年建成5G基站2万个。", "（二）\t基本原则。",
                                   "二、重点任务", long]
    check_tables(r)


def test_docx_layout_table_keeps_paragraphs_and_numbering(tmp_path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "关于加快发展的实施意见"
    for text in ("总体要求", "重点任务"):
        p = cell.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>'))
    d.save(str(tmp_path / "layout.docx"))
    r = read_path(tmp_path / "layout.docx")
    assert r.tables == [] and r.text.splitlines() == ["关于加快发展的实施意见", "一、总体要求", "二、重点任务"]


@pytest.mark.parametrize("page, cause", [
    ("<html><body><div class='nav'><a href='/'>首页</a></div><div class='footer'>版权所有 京ICP备1号</div></body></html>", "no article text"),
    ("<html><head><title>x</title><script>var a=1;</script></head><body></body></html>", "no article text"),
    ("   ", "only whitespace"),
], ids=["nav_and_footer_only", "script_only", "blank"])
def test_page_without_body_is_one_clear_line(page, cause):
    with pytest.raises(InputError, match=cause):
        read_bytes(page.encode("utf-8"), "p.html", "html")


# ---- Word -----------------------------------------------------------------------------------------

NUMBERING = f"""<w:numbering {W_NS}>
<w:abstractNum w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="70"><w:abstractNumId w:val="90"/></w:num>
<w:num w:numId="71"><w:abstractNumId w:val="91"/></w:num>
<w:num w:numId="72"><w:abstractNumId w:val="91"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def _numbered_docx(path: Path, items: list[tuple[str, int | None, int | None]], style_num: bool = False) -> Path:
    """Paragraphs (text, numId, ilvl) whose numbers only Word draws (numbering.xml)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    d = docx.Document()
    numbering = d.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    if style_num:
        style = d.styles.add_style("CNHeading1", 1)
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>'))
    for text, num, lvl in items:
        p = d.add_paragraph(text)
        if num == "style":
            p.style = d.styles["CNHeading1"]
        elif num is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>'))
        assert qn("w:t") in p._p.xml or True
    d.save(str(path))
    return path


def test_word_draws_the_outline_numbers(tmp_path):
    path = _numbered_docx(tmp_path / "n.docx", [
        ("关于加快工业转型升级的实施意见", None, None),
        ("总体要求", 70, 0), ("指导思想。坚持创新驱动。", 70, 1), ("基本原则。", 70, 1),
        ("主要任务", 70, 0), ("推进技术改造。", 70, 1), ("实施千项技改工程。", 70, 2), ("建设智能工厂100个。", 70, 2),
        ("每年新增10个。", 70, 3),
        ("第一项", 71, 0), ("第二项", 71, 0), ("重新编号", 72, 0),
    ])
    r = read_path(path)
    assert r.format == "docx"
    assert r.text.splitlines() == [
        "关于加快工业转型升级的实施意见",
        "一、总体要求", "（一）指导思想。坚持创新驱动。", "（二）基本原则。",
        "二、主要任务", "（一）推进技术改造。", "1.实施千项技改工程。", "2.建设智能工厂100个。", "（1）每年新增10个。",
        "①第一项", "②第二项", "①重新编号",
    ]
    record = parse_file_record(path)
    assert labels(record)[:8] == ["一、", "（一）", "（二）", "二、", "（一）", "1.", "2.", "（1）"]


def test_numbering_set_on_a_paragraph_style(tmp_path):
    path = _numbered_docx(tmp_path / "s.docx", [("总体要求", "style", None), ("正文。", None, None),
                                                 ("重点任务", "style", None)], style_num=True)
    assert read_path(path).text.splitlines() == ["一、总体要求", "正文。", "二、重点任务"]


@pytest.mark.parametrize("n, want", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (100, "一百"),
                                     (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting(n, want):
    from policyparse.readers.docx import chinese_number

    assert chinese_number(n) == want


def test_docx_table_text_box_and_footnote(tmp_path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("二、主要目标")
    d.add_paragraph("专栏1 主要指标")
    table = d.add_table(rows=3, cols=3)
    cells = [["指标", "2025年目标", ""], ["森林覆盖率（%）", "25", ""], ["新建5G基站（个）", "20000", ""]]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 1).merge(table.cell(0, 2))          # a horizontally merged header cell (gridSpan 2)
    p = d.add_paragraph("三、保障措施")
    box = f"""<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
      xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
      xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
      <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>附：联系电话12345</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
      <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>附：联系电话12345</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
      </mc:AlternateContent></w:r>"""
    p._p.append(parse_xml(box))
    d.save(str(tmp_path / "plain.docx"))
    path = _add_footnote(tmp_path / "plain.docx", tmp_path / "t.docx", "数据来源：省统计局。")
    r = read_path(path)
    lines = r.text.splitlines()
    assert lines[:2] == ["二、主要目标", "专栏1 主要指标"]
    assert lines[2:5] == ["指标\t2025年目标\t", "森林覆盖率（%）\t25\t", "新建5G基站（个）\t20000\t"]
    assert lines[5:] == ["三、保障措施", "附：联系电话12345", "数据来源：省统计局。"]   # the box once, the note last
    (t,) = r.tables
    assert t.caption == "专栏1 主要指标"
    assert [c.text for c in t.rows[0]] == ["指标", "2025年目标", ""]
    check_tables(r)


def _add_footnote(src: Path, dst: Path, note: str) -> Path:
    """python-docx writes no footnotes: add word/footnotes.xml, its relationship and content type."""
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", footnotes)
    return dst


# ---- PDF ------------------------------------------------------------------------------------------

PARAGRAPH = "推进制造业高质量发展，加快建设现代产业体系，培育壮大新兴产业集群，"


def test_pdf_page_numbers_running_header_and_paragraphs_across_pages(tmp_path):
    paras = [f"　　（{'一二三四五六七八九十'[i]}）第{i + 1}项任务。" + PARAGRAPH * 9 + f"到2025年建成{i + 1}0个。"
             for i in range(8)]
    css = ("@page { size: A4; margin: 25mm 20mm; @top-center { content: '某某市人民政府文件'; } "
           "@bottom-center { content: '— ' counter(page) ' —'; } }")
    page = tmp_path / "m.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css} body{{font-size:16px}}</style></head>'
                    f'<body><p>一、重点任务</p>{paragraphs_html(paras)}</body></html>', encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "m.pdf", header_footer=False)
    r = read_path(pdf)
    assert r.format == "pdf"
    assert r.text.splitlines() == ["一、重点任务", *paras]
    record = parse_file_record(pdf)
    assert [t["raw"] for t in record["targets"]] == [f"{i + 1}0个" for i in range(8)]


def test_scanned_pdf_says_run_ocr(tmp_path):
    page = tmp_path / "scan.html"
    page.write_text('<html><head><style>@page{size:A4}</style></head><body><svg width="500" height="700">'
                    '<rect x="10" y="10" width="400" height="600" fill="#888"/></svg></body></html>', encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "scan.pdf", header_footer=False)
    with pytest.raises(InputError, match="no text layer: run OCR first"):
        read_path(pdf)


# ---- bad files: one clear line each ---------------------------------------------------------------

def _plain_docx(tmp_path: Path) -> Path:
    return build_docx(["一、总体要求", "到2025年建成5G基站2万个。"], tmp_path / "ok.docx")


def test_encrypted_docx(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(_plain_docx(tmp_path), "rb") as f:
        OOXMLFile(f).encrypt("secret", out)
    path = tmp_path / "locked.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(InputError, match="encrypted .*password"):
        read_path(path)


def test_encrypted_pdf(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    with pytest.raises(InputError, match="encrypted PDF"):
        read_path(path)


@pytest.mark.parametrize("name, make, cause", [
    ("cut.docx", lambda ok: ok[: len(ok) // 2], "corrupt .docx"),
    ("noise.docx", lambda ok: b"PK\x03\x04" + os.urandom(4000), "corrupt .docx"),
    ("cut.pdf", lambda ok: b"%PDF-1.7\n" + os.urandom(4000), "corrupt PDF"),
    ("empty.pdf", lambda ok: b"", "empty file"),
], ids=["truncated_docx", "garbage_docx", "garbage_pdf", "empty_pdf"])
def test_corrupt_files(tmp_path, name, make, cause):
    path = tmp_path / name
    path.write_bytes(make(_plain_docx(tmp_path).read_bytes()))
    with pytest.raises(InputError, match=cause):
        read_path(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="not a Word document: an Excel workbook"):
        read_path(path)


def test_zip_bomb_named_docx_is_refused_before_unpacking(tmp_path):
    """word/document.xml of 80 MB of one repeated byte packs into ~80 KB; the zip directory says
    so, and the file is refused without inflating anything."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(_plain_docx(tmp_path)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/document.xml", b"<" + b" " * (80 << 20), compresslevel=1)
    assert path.stat().st_size < 2 << 20
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"refused: word/document.xml would unpack to 80 MB"):
        read_path(path)
    assert time.perf_counter() - t0 < 1.0


def test_whole_package_limit(tmp_path, monkeypatch):
    from policyparse.readers import docx as docx_reader

    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(InputError, match=r"would unpack to .* MB \(limit 0 MB; a zip bomb\?\)"):
        read_path(_plain_docx(tmp_path))


def test_doc_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    from policyparse.readers import doc as doc_reader

    monkeypatch.setattr(doc_reader, "soffice", lambda: None)
    path = tmp_path / "old.doc"
    path.write_bytes(doc_reader.OLE_MAGIC + b"\x00" * 2000)
    with pytest.raises(InputError, match=r"\.doc needs LibreOffice.*--convert-to docx"):
        read_path(path)
    wps = tmp_path / "old.wps"
    wps.write_bytes(b"not an OLE file at all")
    with pytest.raises(InputError, match=r"not a \.wps file"):
        read_path(wps)


def test_large_pdf_reads_in_bounded_memory_and_time(tmp_path):
    """A 200 MB PDF (one text page and a 200 MB stream no page uses) parses in a child process
    within 60 s, in less memory than the file (PDFium reads the file by path, as it needs it)."""
    path = tmp_path / "big.pdf"
    content = b"BT /F1 14 Tf 72 760 Td (1. Build 20000 base stations by 2025.) Tj ET"
    big = 200 << 20
    with open(path, "wb") as f:
        offsets = []

        def obj(body: bytes) -> None:
            offsets.append(f.tell())
            f.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        f.write(b"%PDF-1.7\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>")
        obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        obj(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        offsets.append(f.tell())
        f.write(b"6 0 obj\n<< /Length %d >>\nstream\n" % big)
        chunk = os.urandom(1 << 20)
        for _ in range(big >> 20):
            f.write(chunk)
        f.write(b"\nendstream\nendobj\n")
        xref = f.tell()
        f.write(b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
        f.write(b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    # peak memory from /proc/self/status (VmHWM is the new program's own; ru_maxrss carries the
    # parent's peak across fork and exec on Linux)
    code = ("import sys, json; from policyparse.pipeline import parse_file_record; "
            "from policyparse.readers import read_path; "
            "r = parse_file_record(sys.argv[1]); text = read_path(sys.argv[1]).text; "
            "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]; "
            "print(json.dumps([r['format'], text, int(hwm.split()[1]) // 1024]))")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    import json

    fmt, text, peak_mb = json.loads(proc.stdout)
    assert fmt == "pdf" and text == "1. Build 20000 base stations by 2025.\n"
    assert elapsed < 60
    assert peak_mb < 200, f"peak {peak_mb} MB for a 200 MB file"


# ---- formats, folders, standard input, the text command ------------------------------------------

def test_sniff():
    assert sniff(b"%PDF-1.4\n") == "pdf"
    assert sniff(b"PK\x03\x04rest") == "docx"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "doc"
    assert sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>") == "html"
    assert sniff("一、总体要求\n".encode("gb18030")) == "txt"


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(portal_page("<p>一、总体要求</p><p>到2025年建成基站2万个。</p>"), encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "p.pdf", header_footer=False)
    renamed = tmp_path / "p.txt"
    renamed.write_bytes(pdf.read_bytes())
    assert read_path(renamed).format == "pdf"


def cli(*args, stdin: bytes | None = None, cwd=None):
    return subprocess.run([sys.executable, "-m", "policyparse", *map(str, args)], input=stdin,
                          capture_output=True, timeout=120, cwd=cwd)


def test_folder_batch_reads_every_format_and_goes_on_past_bad_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = ["一、总体要求", "到2025年，建成5G基站2万个。（牵头单位：市通信管理局）"]
    (docs / "a.txt").write_text("\n".join(lines) + "\n", encoding="gb18030")
    build_docx(lines, docs / "b.docx")
    (docs / "c.htm").write_text(portal_page(paragraphs_html(lines)), encoding="utf-8")
    (docs / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (docs / "bad.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    (docs / "notes.md").write_text("not picked up", encoding="utf-8")
    files, errors = expand_paths([str(docs)])
    assert [Path(f).name for f in files] == ["a.txt", "b.docx", "bad.pdf", "broken.docx", "c.htm"] and not errors
    proc = cli("parse", docs, "--out", tmp_path / "out", "--jobs", 2, "--quiet")
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert len([ln for ln in err.splitlines() if "broken.docx" in ln]) == 1
    assert len([ln for ln in err.splitlines() if "bad.pdf" in ln]) == 1
    assert "broken.docx: corrupt .docx" in err and "bad.pdf: corrupt PDF" in err
    import json

    for stem, fmt in (("a", "txt"), ("b", "docx"), ("c", "html")):
        doc = json.loads((tmp_path / "out" / f"{stem}.json").read_text(encoding="utf-8"))
        assert doc["format"] == fmt
        assert [t["raw"] for t in doc["targets"]] == ["2万个"]
        assert doc["sections"][0]["units"]["lead"] == ["市通信管理局"]


def test_standard_input_is_sniffed(tmp_path):
    import json

    path = build_docx(["一、总体要求", "到2025年建成基站2万个。"], tmp_path / "x.docx")
    proc = cli("parse", "-", "--out", "-", stdin=path.read_bytes())
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["source"] == "-" and doc["format"] == "docx"
    proc = cli("text", "-", stdin=GOV_CN.encode("utf-8"))
    assert proc.stdout.decode().startswith("国务院办公厅关于推进数字经济发展的实施意见\n")


def test_text_command_prints_what_spans_index(tmp_path):
    import json

    page = tmp_path / "plan.html"
    page.write_text(portal_page("<p>二、主要目标</p>" + INDICATOR_TABLE), encoding="utf-8")
    text = cli("text", page).stdout.decode("utf-8")
    assert text == read_path(page).text
    doc = json.loads(cli("parse", page, "--out", "-").stdout)
    for t in doc["targets"]:
        assert t["raw"] in text[t["span"][0]:t["span"][1]]
    tables = json.loads(cli("text", page, "--tables").stdout)
    cell = tables[0]["rows"][2][3]
    assert text[cell["span"][0]:cell["span"][1]] == cell["text"] == "2.5"
    bad = cli("text", tmp_path / "missing.docx")
    assert bad.returncode == 1 and bad.stderr.decode().strip().endswith("missing.docx: no such file")


def test_doc_through_libreoffice(tmp_path):
    """A real .doc (LibreOffice writes it from a .docx) reads back through the conversion."""
    from policyparse.readers import doc as doc_reader

    exe = doc_reader.soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed (optional: apt-get install libreoffice-writer-nogui)")
    lines = ["关于加快发展的实施意见", "一、总体要求", "到2025年，建成5G基站2万个。（牵头单位：市通信管理局）"]
    src = build_docx(lines, tmp_path / "src.docx")
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=120, check=True, stdin=subprocess.DEVNULL)
    path = tmp_path / "src.doc"
    assert path.read_bytes().startswith(doc_reader.OLE_MAGIC)
    r = read_path(path)
    assert r.format == "doc" and r.text.splitlines() == lines
    assert parse_file_record(path)["targets"][0]["raw"] == "2万个"


def test_dask_engine_reads_other_formats_from_urls(tmp_path):
    """The Dask engine's remote inputs (fsspec; memory:// stands for s3://) go through the same
    readers: a .docx URL is read as Word, with its format recorded."""
    pytest.importorskip("fsspec")
    import fsspec

    from policyparse.engines.dask import _read_url, expand_inputs

    data = build_docx(["一、总体要求", "到2025年建成基站2万个。"], tmp_path / "x.docx").read_bytes()
    with fsspec.open("memory://readers-test/plan.docx", "wb") as f:
        f.write(data)
    files, errors = expand_inputs(["memory://readers-test/"])
    assert files == ["memory:///readers-test/plan.docx"] and not errors
    record, _, size = _read_url(files[0], None)
    assert record["format"] == "docx" and size == len(data)
    assert [t["raw"] for t in record["targets"]] == ["2万个"]
