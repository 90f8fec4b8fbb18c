"""The document header: title block, draft status, subtitle, issuing number, addressee."""
from __future__ import annotations

from . import rx as regex   # regex.compile without importing `regex` for a stored pattern (rx.py)

# （征求意见稿） · (送审稿) · 【草案】 — a draft marker on its own line; group `status` has the word.
STATUS_LINE_RE = regex.compile(
    r"^[(\[【〔]?\s*(?P<status>(?:公开)?征求意见稿|送审稿|草案|讨论稿|修订稿|审议稿|代拟稿|草稿|初稿|报批稿|征求意见版)\s*[)\]】〕]?$"
)
# The same marker at the end of a title line: 加快…行动计划（征求意见稿）
STATUS_SUFFIX_RE = regex.compile(
    r"[(（\[【](?P<status>(?:公开)?征求意见稿|送审稿|草案|讨论稿|修订稿|审议稿|代拟稿|草稿|初稿|报批稿)[)）\]】]$"
)
# 鲁政发〔2012〕12号 · 国办发[2023]5号 · 济政字（2024）3号
DOC_NUMBER_RE = regex.compile(r"^\S{1,16}[〔\[(【]\d{4}[〕\])】]\s*\d{1,4}\s*号$")
# ——2026年1月26日在…会议上 · —在…上的讲话 : a subtitle line under the title (folded text)
SUBTITLE_RE = regex.compile(r"^(?:-{2,}|[\u2014\u2015]{1,2})\s*\S")
# （2026年1月26日在…会议上） — a dated line in brackets under the title
DATED_PAREN_RE = regex.compile(r"^\(\s*\d{4}\s*年.*\)$")
# A title line: short, no sentence punctuation inside, no closing colon.
TITLE_MAX_LEN = 60
# A title block has a few lines; more short lines at the top are a list or a poem, not a title.
TITLE_MAX_LINES = 4
TITLE_FORBIDDEN = set("。；;！!？?")
# The addressee ends with a colon: 各市人民政府，各县（市、区）人民政府…： · 各位代表：
ADDRESSEE_MAX_LEN = 200
# Date line of a signature: 2012年12月1日 · 二〇二四年三月五日
DATE_LINE_RE = regex.compile(r"^(?:\d{4}|[一二三四五六七八九〇零○]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日$")
# The year in a subtitle or issuing number: ——2026年1月26日在… · 鲁政发〔2012〕12号
YEAR_IN_HEADER_RE = regex.compile(r"((?:19|20)\d{2})\s*[年〕\]】)]")
# Years in a title: 2026年…工作要点 · …行动方案（2024—2026年） (the last one is the horizon)
YEAR_IN_TITLE_RE = regex.compile(r"((?:19|20)\d{2})\s*年")
