"""Outline labels: the numbering styles of Chinese policy documents.

All patterns run on the *folded* text (see normalize.py): fullwidth digits, brackets and ．
are already ASCII there, so `(一)` also matches `（一）` and `1.` also matches `1．`.
The order of LABEL_STYLES is only the order of trying; nesting depth comes from outline.py's
stack of open styles, never from this order.
"""
from __future__ import annotations

from . import rx as regex   # regex.compile without importing `regex` for a stored pattern (rx.py)

# Chinese numerals used in outline numbers: 一 … 十九, 二十一, 一百 (both 〇 and 零 appear).
CN_NUM_PTN = r"[一二三四五六七八九十百零〇两]+"
# Ordinals inside 第…章/节/条/部分: Chinese or Arabic.
ORDINAL_PTN = r"(?:[一二三四五六七八九十百千零〇两]+|\d{1,4})"
# Circled numbers ① … ⑳, ㉑ … ㉟, ㊱ … ㊿.
CIRCLED_PTN = r"[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]"
# Dashes that open a bullet: ---, ——, —, ──, －－ (folded to --), -- .
DASH_PTN = r"(?:-{2,}|[\u2014\u2015\u2500]+|\u2014)"

# Characters that make `1.5万吨` · `2.5亿元` · `1.2倍` a quantity rather than a decimal heading.
DECIMAL_NOT_BEFORE = "万亿千百十个元吨倍余多"

# (style, pattern with a `num` group) — tried in this order at the start of a line.
LABEL_STYLES: list[tuple[str, str]] = [
    # 第一章 总则 · 第3章
    ("chapter", rf"第(?P<num>{ORDINAL_PTN})章"),
    # 第一节 · 第二节
    ("section", rf"第(?P<num>{ORDINAL_PTN})节"),
    # 第一条 为了… · 第12条 — not a reference at a line start: 第十五条规定的情形 · 第三条第一款 · 第五条、第六条
    ("article", rf"第(?P<num>{ORDINAL_PTN})条(?!规定|之|的|所|中|第|款|和|或|至|、|，|,)"),
    # 第一部分 · 第二篇
    ("part", rf"第(?P<num>{ORDINAL_PTN})(?:部分|篇)"),
    # 专栏1.1 · 专栏 3 · 专栏2-1
    ("box", r"专栏\s*(?P<num>\d{1,3}(?:[.\-]\d{1,3})*)"),
    # （一） · (十二)
    ("cn_paren", rf"\((?P<num>{CN_NUM_PTN})\)"),
    # （1） · (12)
    ("arabic_paren", r"\((?P<num>\d{1,3})\)"),
    # 1） · 2) — a half bracket after a number
    ("arabic_half_paren", r"(?P<num>\d{1,2})\)(?![\d%])"),
    # 一、 · 十二、 · 三. (not 一是 / 一方面: those have no 、 or .)
    ("cn_num", rf"(?P<num>{CN_NUM_PTN})(?:、|\.(?!\d))"),
    # 1.2 · 1.2.1 · 3.2.1. (应急预案 style; the label is the whole number) — not 1.5万吨, 2.5亿元,
    # 3.2%: a multiplier or unit right after the number is a quantity. outline.py also wants the
    # numbering to run in order (1.1 before 1.2), so 1.5公里 at a line start stays body text.
    ("decimal", r"(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s|(?![" + DECIMAL_NOT_BEFORE + r"])\p{Han})"),
    # 1. · 1． · 1、 · 19. — not 1.3万项 (a decimal), not 2015年 (no punctuation), not 1、2月;
    # 1.2019年…清单 is item 1 (a year after the dot, no decimal has four places here)
    ("arabic", r"(?P<num>\d{1,3})[.、](?:(?![\d%])|(?=(?:19|20)\d\d年))"),
    # 1 总则 — a bare number, a space and words: the top of a decimal outline; outline.py keeps it
    # only when the document goes on with 1.1 under it (else a table row such as `2 市发展改革委`)
    ("decimal_top", r"(?P<num>\d{1,2})(?=[ \t]+\p{Han})"),
    # ① · ⑫
    ("circled", rf"(?P<num>{CIRCLED_PTN})"),
    # a. · b． — not e.g. / B.O.T (a letter or dot follows)
    ("latin", r"(?P<num>[a-zA-Z])\.(?![a-zA-Z\d.])"),
    # a） · b)
    ("latin_paren", r"(?P<num>[a-zA-Z])\)(?![a-zA-Z\d])"),
    # --- · —— · —  (a bullet; its label is always shown as written)
    ("dash", rf"(?P<num>{DASH_PTN})(?![\-\u2014])"),
]

# Every character a label can start with (each style above starts with one of these, or with a
# decimal digit): a line starting otherwise is no heading, and the regex is not tried.
LABEL_FIRST_CHARS = frozenset("第专(" + "一二三四五六七八九十百零〇两" + "-\u2014\u2015\u2500"
                              + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)])))

LABEL_RE = regex.compile(
    "|".join(f"(?P<{style}>{ptn})".replace("(?P<num>", f"(?P<{style}_num>") for style, ptn in LABEL_STYLES)
)

# A line ending like this is a finished sentence or heading; anything else may continue on the
# next line (a PDF-wrapped paragraph such as seed 003's "…JDO3" / "系列变极…").
LINE_CLOSERS = set("。；;：:！!？?）)”」』》…")
# A wrapped paragraph line is long; a short line without a closer is more likely a heading or title.
MIN_WRAPPED_LINE = 15

# Title ends before the first 。 when body text follows on the heading line.
TITLE_END = "。"
# Characters stripped from the ends of a title.
TITLE_STRIP = " \t\u3000：:"
# Characters skipped between a label and its title: 第一部分：总体要求 -> 总体要求.
TITLE_LEAD_SKIP = " \t\u3000：:"

# Styles whose heading has no title words: 第五条　经营者应当… (the sentences are the body).
UNTITLED_STYLES = frozenset({"article", "box"})
# A decimal label written with a gap before its title (1.1 编制目的) is a heading even after a
# line cut mid-sentence; without one (…不超过\n1.1公里) it must not continue such a line.
DECIMAL_GAP = " \t"
# Styles read only as part of a decimal outline (see outline.py).
DECIMAL_STYLES = frozenset({"decimal", "decimal_top"})

# A line that opens the attachment list: 附件： · 附件:（下载链接） · 附件1 · 附件2：任务清单 ·
# 附：… · 附表1 · 附录 · 名词解释 (after a 政府工作报告). What follows it is outside the body
# outline (its items are depth-1 sections). Not 注：, which also stands under tables in the body.
# (No two adjacent quantifiers can take the same spaces: linear on a line of blanks.)
ATTACHMENT_LINE_RE = regex.compile(r"(?:附\s*[件表录]|附|名词解释)[ \t]*(?:\d{1,2}[ \t]*)?(?:[:：]|$)")
# The characters ATTACHMENT_LINE_RE can start with: every other line is passed without a regex call.
ATTACHMENT_FIRST_CHARS = "附名"
# A table of contents line: 目录 · 目  录.
CONTENTS_LINE_RE = regex.compile(r"目\s*录$")
# The character CONTENTS_LINE_RE starts with: only a line starting with it is tried.
CONTENTS_FIRST_CHAR = "目"
# The leader and page number after a contents entry: 发展环境……………1 · 总则 .......... 3
CONTENTS_LEADER_CHARS = ".…·-—_ \t\u3000"
