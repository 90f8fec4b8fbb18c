"""Outline labels: the numbering styles of Chinese policy documents.

All patterns run on the *folded* text (see normalize.py): fullwidth digits, brackets and ．
are already ASCII there, so `(一)` also matches `（一）` and `1.` also matches `1．`.
The order of LABEL_STYLES is only the order of trying; nesting depth comes from outline.py's
stack of open styles, never from this order.
"""
from __future__ import annotations

import regex

# Chinese numerals used in outline numbers: 一 … 十九, 二十一, 一百 (both 〇 and 零 appear).
CN_NUM_PTN = r"[一二三四五六七八九十百零〇两]+"
# Ordinals inside 第…章/节/条/部分: Chinese or Arabic.
ORDINAL_PTN = r"(?:[一二三四五六七八九十百千零〇两]+|\d{1,4})"
# Circled numbers ① … ⑳, ㉑ … ㉟, ㊱ … ㊿.
CIRCLED_PTN = r"[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]"
# Dashes that open a bullet: ---, ——, —, ──, －－ (folded to --), -- .
DASH_PTN = r"(?:-{2,}|[\u2014\u2015\u2500]+|\u2014)"

# (style, pattern with a `num` group) — tried in this order at the start of a line.
LABEL_STYLES: list[tuple[str, str]] = [
    # 第一章 总则 · 第3章
    ("chapter", rf"第(?P<num>{ORDINAL_PTN})章"),
    # 第一节 · 第二节
    ("section", rf"第(?P<num>{ORDINAL_PTN})节"),
    # 第一条 为了… · 第12条
    ("article", rf"第(?P<num>{ORDINAL_PTN})条"),
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
    # 1. · 1． · 1、 · 19. — not 1.3万项 (a decimal), not 2015年 (no punctuation), not 1、2月
    ("arabic", r"(?P<num>\d{1,3})[.、](?![\d%])"),
    # ① · ⑫
    ("circled", rf"(?P<num>{CIRCLED_PTN})"),
    # --- · —— · —  (a bullet; its label is always shown as written)
    ("dash", rf"(?P<num>{DASH_PTN})(?![\-\u2014])"),
]

# Every character a label can start with (each style above starts with one of these, or with a
# decimal digit): a line starting otherwise is no heading, and the regex is not tried.
LABEL_FIRST_CHARS = frozenset("第专(" + "一二三四五六七八九十百零〇两" + "-\u2014\u2015\u2500"
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
