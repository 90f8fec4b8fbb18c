"""Real files in the formats users have, built from a text for the reader tests and the benchmark:
a .docx made with python-docx (one paragraph per line), a saved portal web page (the text in
<p> paragraphs inside navigation, a 发布时间/来源/字号 bar, related links and a 备案号 footer),
and a PDF printed from that page by headless Chromium (A4; lines broken by the page width,
paragraphs across pages, Chromium's own running header and footer with the page count)."""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need_chromium() -> str:
    """The browser, or a skip (a failure in CI, where .ci/run installs it)."""
    if not CHROMIUM:
        msg = "chromium is needed to print PDFs (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM


def text_lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.splitlines() if ln.strip()]


def build_docx(lines: list[str], path: Path) -> Path:
    import docx

    d = docx.Document()
    for ln in lines:
        d.add_paragraph(ln)
    d.save(str(path))
    return path


def portal_page(body_html: str, *, title: str = "关于印发实施意见的通知", charset: str = "utf-8",
                container: str = '<div id="zoom">{}</div>', extra_css: str = "") -> str:
    """A page shaped like a provincial portal's article page around `body_html`."""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_政府文件_省人民政府门户网站</title>
<style>@page {{ size: A4; }} body {{ font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 16px; }} {extra_css}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script></head>
<body>
<div class="header"><div class="logo">省人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zcwj/">政策文件</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="bread">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a> &gt; 正文</div>
<div class="article">
<div class="info">发布时间：2012-03-01 09:30　来源：省政府办公厅　浏览次数：1024　字号：【大 中 小】　【打印】【关闭】</div>
{container.format(body_html)}
<div class="share">分享到：微信 微博</div>
<div class="xglj"><h4>相关链接</h4><ul><li><a href="/a.html">关于加快发展的意见</a></li><li><a href="/b.html">政策解读</a></li></ul></div>
</div>
<div class="footer"><p>主办：省人民政府办公厅　承办：省大数据中心</p><p>版权所有 网站标识码：3700000000　鲁ICP备05000000号</p></div>
</body></html>"""


def paragraphs_html(lines: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(ln)}</p>" for ln in lines)


def print_pdf(html_path: Path, pdf_path: Path, *, header_footer: bool = True) -> Path:
    """Print a page to PDF with headless Chromium (A4 from the page's @page rule)."""
    exe = need_chromium()
    profile = tempfile.mkdtemp(prefix="policyparse-chromium-")
    try:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}"]
        if not header_footer:
            cmd.append("--no-pdf-header-footer")
        subprocess.run(cmd + [html_path.resolve().as_uri()], capture_output=True, timeout=120, check=True,
                       stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert pdf_path.is_file() and pdf_path.stat().st_size > 0, f"chromium printed nothing to {pdf_path}"
    return pdf_path


def build_formats(seeds: list[Path], folder: Path) -> dict[str, list[Path]]:
    """Each text in every format: {"txt": seeds, "docx": […], "html": […], "pdf": […]}, in order."""
    out: dict[str, list[Path]] = {"txt": list(seeds), "docx": [], "html": [], "pdf": []}
    for seed in seeds:
        lines = text_lines(seed.read_bytes().decode("utf-8-sig"))
        out["docx"].append(build_docx(lines, folder / f"{seed.stem}.docx"))
        page = folder / f"{seed.stem}.html"
        page.write_text(portal_page(paragraphs_html(lines)), encoding="utf-8")
        out["html"].append(page)
        out["pdf"].append(print_pdf(page, folder / f"{seed.stem}.pdf"))
    return out
