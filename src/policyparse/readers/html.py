"""Web pages (.html/.htm, pages saved from gov.cn and provincial portals) with lxml.

1. Encoding: a BOM; else the page's own `<meta charset>` / `http-equiv` / `<?xml encoding?>`
   (GB2312 and GBK are read as GB18030, their superset); else the text reader's detection.
2. The article body: the first of the containers portals use (ARTICLE_SELECTORS: `#zoom`,
   `.TRS_Editor`, `.pages_content`, `div.article`…) that holds real text, else the densest
   block (the element whose own paragraphs hold the most non-link text).
3. The site around it is left out: script/style, `<nav>`/`<aside>`/`<footer>`, link lists,
   breadcrumbs, 发布时间/来源/字号 bars, related links and 备案号 footers (NOISE_LINE_RE).
   The page's heading (`<h1>`… before the body) is kept as the first line when the body lacks it.
4. `<p>`, `<br>`, `<div>` and other blocks become line breaks; entities are decoded by the
   parser; whitespace runs become one space, and a source line break between two Chinese
   characters disappears (as a browser shows it). Tables become tab-separated rows with spans.
"""
from __future__ import annotations

import codecs
import re

from ..errors import InputError
from . import ReadResult, TextBuilder, is_layout_table

# <meta charset="gbk">, <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
# The GB family: GB18030 decodes every GB2312 and GBK page (and the characters they lack).
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "chinese", "x-euc-cn", "936"}

# Containers that hold the article on government portals, tried in this order (as XPath:
# lxml's CSS selectors need the extra cssselect package).
ARTICLE_SELECTORS: list[tuple[str, str]] = [
    ("#zoom", "//*[@id='zoom']"),                          # gov.cn and many provinces
    (".TRS_Editor", "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]"),  # TRS CMS
    ("#UCAP-CONTENT", "//*[@id='UCAP-CONTENT']"),          # 开普云 CMS
    (".pages_content", "//*[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]"),
    ("#content", "//*[@id='content' or @id='Content']"),
    ("div.article", "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"),
    (".article-content", "//*[contains(@class, 'article-content') or contains(@class, 'article_content')]"),
    ("article", "//article"),
]
# A selector's container is taken only when it holds at least this share of the densest
# block's text (an empty #zoom placeholder or a teaser .article is passed over).
MIN_SELECTED_SHARE = 0.3

# Elements never part of a document's text.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
             "select", "button", "input", "textarea", "nav", "aside", "footer", "map", "audio", "video")
# class/id words of the site chrome inside or around an article; such an element is dropped
# when it is short (NOISE_BLOCK_MAX_CHARS).
NOISE_CLASS_RE = re.compile(
    r"(?:^|[\s_\-])(?:nav|menu|bread|crumb|position|location|dqwz|share|fenxiang|print|toolbar|tools?|"
    r"related|xglj|relevant|footer|foot|copyright|banquan|search|login|sidebar|pager?)(?:$|[\s_\-\d])", re.I)
NOISE_BLOCK_MAX_CHARS = 300
# A line of site chrome: an info bar (发布时间/来源/字号/浏览次数/打印/关闭), related links,
# previous/next links, a footer (备案号, 版权所有, 网站标识码, 主办单位). Only short lines.
NOISE_LINE_RE = re.compile(
    # a label with its colon: 发布时间：2012-03-01 · 来源：省政府办公厅 · 字号：
    r"^[\s【\[]*(?:发布时间|发布日期|发布机构|成文日期|信息来源|来源|作者|字号|字体|浏览次数|阅读次数|点击数|"
    r"访问量|责任编辑|编辑|主办单位|承办单位|主办|承办|网站标识码)\s*[:：]"
    # a chrome word standing alone: 打印 · 关闭 · 相关链接 · 上一篇 · 首页 > 政策
    r"|^[\s【\[]*(?:打印本页|打印|关闭窗口|关闭|分享到|分享|扫一扫|相关链接|相关文件|相关阅读|相关新闻|"
    r"上一篇|下一篇|返回顶部|版权所有|网站地图|联系我们|首页|当前位置)(?:$|[\s】\]|｜>＞»:：])"
    # anywhere: a footer's filing number, a copyright, the font-size switch
    r"|备案号|ICP备|公网安备|Copyright|©|【\s*大\s*中\s*小\s*】"
    # an info bar opening with a date and a time: 2023-01-05 15:30 来源…
    r"|^\s*\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s+\d{1,2}:\d{2}"
)
NOISE_LINE_MAX_CHARS = 120

BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "main", "header", "blockquote", "center", "pre", "hr", "figure", "figcaption",
    "address", "form", "fieldset", "body", "tbody", "thead", "tfoot", "caption",
}
HEADING_XPATH = ".//h1|.//h2|.//h3|self::h1|self::h2|self::h3"
TITLE_CLASS_RE = re.compile(r"title|biaoti|bt\b|tit\b", re.I)

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
# a source line break between two Chinese characters (browsers show none)
_CJK_BREAK_RE = re.compile(f"(?<=[{_CJK}])[ \\t\\r\\f\\v]*\\n[ \\t\\r\\n\\f\\v]*(?=[{_CJK}])")
_SPACE_RUN_RE = re.compile(r"[ \t\r\n\f\v]+")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """A page's bytes -> (text, encoding used)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    m = XML_ENCODING_RE.search(head) or META_CHARSET_RE.search(head)
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared:
        codec = "gb18030" if declared in GB_FAMILY else declared
        try:
            codec = codecs.lookup(codec).name
        except LookupError:
            codec = None
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
            if codec == "utf-8":   # a page saved as GBK that still says utf-8, or the reverse
                try:
                    return data.decode("gb18030"), "gb18030"
                except UnicodeDecodeError:
                    pass
            # a few stray bytes in a page that declares its encoding: keep the page
            return data.decode(codec, errors="replace"), codec
    from .txt import decode_bytes

    decoded = decode_bytes(data, name)
    return decoded.text, decoded.encoding


def _collapse(s: str) -> str:
    s = _CJK_BREAK_RE.sub("", s)
    return _SPACE_RUN_RE.sub(" ", s)


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _text_len(el) -> int:
    return len("".join(el.itertext()).strip())


def _own_score(el) -> int:
    """Non-link text an element holds in its own paragraphs: its direct text, the text of its
    direct <p>/<font>/<span>/<strong> children, less the text inside links."""
    n = len((el.text or "").strip())
    for c in el:
        tag = _tag(c)
        if tag in ("p", "font", "span", "strong", "b", "h4", "h5", "h6", "li", "center"):
            text = "".join(c.itertext()).strip()
            links = sum(len("".join(a.itertext()).strip()) for a in c.iter("a"))
            n += max(0, len(text) - 2 * links)
        n += len((c.tail or "").strip())
    return n


def _densest(root):
    best, best_score = None, 0
    for el in root.iter():
        if _tag(el) in ("div", "td", "article", "section", "main", "body", "center", "font", "form", "span"):
            s = _own_score(el)
            if s > best_score:
                best, best_score = el, s
    return best


def _select_body(root):
    dense = _densest(root)
    dense_len = _text_len(dense) if dense is not None else 0
    for _, xpath in ARTICLE_SELECTORS:
        hits = root.xpath(xpath)
        if not hits:
            continue
        el = max(hits, key=_text_len)
        n = _text_len(el)
        if n >= 20 and n >= MIN_SELECTED_SHARE * dense_len:
            return el
    return dense


def _page_title(body) -> str:
    """The nearest heading before the body, within a few levels up (portals put the <h1> in the
    article wrapper, above the info bar and the #zoom body)."""
    el = body
    for _ in range(4):
        parent = el.getparent()
        if parent is None:
            break
        for sib in el.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            cands = sib.xpath(HEADING_XPATH)
            if not cands and TITLE_CLASS_RE.search((sib.get("class") or "") + " " + (sib.get("id") or "")):
                cands = [sib]
            for c in reversed(cands):
                t = _collapse("".join(c.itertext())).strip()
                if 4 <= len(t) <= 200 and not NOISE_LINE_RE.search(t):
                    return t
        el = parent
    return ""


def _drop_noise(root) -> None:
    from lxml import etree

    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    for el in list(root.iter(*DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        words = (el.get("class") or "") + " " + (el.get("id") or "")
        if words.strip() and NOISE_CLASS_RE.search(words) and _text_len(el) <= NOISE_BLOCK_MAX_CHARS:
            el.drop_tree()


def _is_noise_line(line: str) -> bool:
    s = line.strip()
    return len(s) <= NOISE_LINE_MAX_CHARS and bool(NOISE_LINE_RE.search(s))


def _table_rows(table) -> list[list[str]]:
    """Cell texts row by row; colspan and rowspan filled with empty cells so columns align."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}   # column -> rows still covered by a rowspan above
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        col = 0

        def fill_pending() -> None:
            nonlocal col
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                row.append("")
                col += 1

        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            fill_pending()
            text = _collapse(" ".join(td.itertext())).strip()
            span = _int_attr(td, "colspan")
            down = _int_attr(td, "rowspan")
            for k in range(span):
                row.append(text if k == 0 else "")
                if down > 1:
                    pending[col] = down - 1
                col += 1
        last = max((c for c, n in pending.items() if n > 0), default=-1)
        while col <= last:          # columns still covered from above, after the last cell
            if pending.get(col, 0) > 0:
                pending[col] -= 1
            row.append("")
            col += 1
        rows.append(row)
    return rows


def _int_attr(el, name: str) -> int:
    try:
        return max(1, min(100, int((el.get(name) or "1").strip())))
    except ValueError:
        return 1


class _Writer:
    """Walks the body, turning blocks into lines and tables into table rows."""

    def __init__(self, builder: TextBuilder) -> None:
        self.b = builder
        self.line: list[str] = []

    def flush(self) -> None:
        if self.line:
            text = _collapse("".join(self.line)).strip(" \t\xa0")
            self.line = []
            if text.strip() and not _is_noise_line(text):
                self.b.paragraph(text)

    @staticmethod
    def _layout(table) -> bool:
        return table.find(".//table") is not None or is_layout_table(_table_rows(table))

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag == "br":
            self.flush()
        elif tag == "table" and self._layout(el):
            self.flush()
            for c in el:                 # a layout table: its cells are blocks of paragraphs
                self.walk(c)
            self.flush()
        elif tag == "table":
            self.flush()
            cap_el = el.find("caption")
            if cap_el is not None:
                caption = _collapse("".join(cap_el.itertext())).strip()
                self.b.paragraph(caption)
            else:
                caption = self.b.caption_above()
            self.b.table(_table_rows(el), caption=caption)
        elif tag in BLOCK_TAGS or tag in ("tr", "td", "th"):
            self.flush()
            if el.text:
                self.line.append(el.text)
            for c in el:
                self.walk(c)
            self.flush()
        elif tag:
            if el.text:
                self.line.append(el.text)
            for c in el:
                self.walk(c)
        if el.tail:
            self.line.append(el.tail)


def read(data: bytes, name: str) -> ReadResult:
    import lxml.html
    from lxml import etree

    text, encoding = decode(data, name)
    text = XML_DECL_RE.sub("", text, count=1)
    if not text.strip():
        raise InputError(name, "empty web page")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise InputError(name, f"not a readable web page ({e})") from None
    _drop_noise(root)
    body = _select_body(root)
    if body is None or _text_len(body) == 0:
        raise InputError(name, "web page has no article text (no body found)")
    builder = TextBuilder()
    title = _page_title(body)
    body_text = _collapse("".join(body.itertext())).strip()
    if title and not body_text.startswith(title[:10]):
        builder.paragraph(title)
    writer = _Writer(builder)
    if body.text:
        writer.line.append(body.text)
    for c in body:
        writer.walk(c)
    writer.flush()
    out = builder.text()
    if not out.strip():
        raise InputError(name, "web page has no article text (no body found)")
    return ReadResult(text=out, format="html", encoding=encoding, tables=builder.tables)
