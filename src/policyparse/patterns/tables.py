"""Indicator tables: the words of their headers and the shapes of their cells.

All patterns run on folded text (fullwidth digits, ％ and brackets already ASCII, U+3000 a space),
one cell at a time, and are anchored at both ends with bounded repeats: linear in the cell.
Used by extract/tables.py.
"""
from __future__ import annotations

import re

from .numbers import ARABIC_PTN

# ---- header cells -> column roles -------------------------------------------------------------
# Tried in this order on one header cell; the first that matches names the column's role.
# 完成 / 实际 come first: a column of results makes the table a review of the previous plan
# (目标 beside 完成情况), which gives no targets; 现状 is neither target nor baseline;
# 年均 / 累计 / 增速 columns hold a rate over the period, not the level the target column holds.
HEADER_ROLES: list[tuple[str, re.Pattern]] = [
    # 序号 · 编号 · 序
    ("serial", re.compile(r"^(?:序号|编号|序|No\.?)$", re.I)),
    # 属性 · 指标属性 · 指标性质 (预期性 / 约束性)
    ("attribute", re.compile(r"^(?:指标)?(?:属性|性质)$")),
    # 单位 · 计量单位 · 指标单位 · 单位（…）
    ("unit", re.compile(r"^(?:计量|指标)?单位(?:\(.{0,8}\))?$")),
    # 完成情况 · 2020年完成 · 实际完成 · 实现值 · 执行情况 · 是否完成 · 完成值
    ("achieved", re.compile(r"^.{0,12}(?:完成|实际|实现值|实现情况|执行情况|达成).{0,6}$")),
    # 现状 · 现状值 · 2024年现状
    ("status", re.compile(r"^.{0,10}现状.{0,4}$")),
    # 年均增长 · 年均增速（%） · 累计 · “十四五”累计 · 增幅 · 年均/累计
    ("growth", re.compile(r"^.{0,12}(?:年均|累计|增速|增幅|增长率|年增长).{0,10}$")),
    # 基期 · 基期值 · 基准值 · 基数 · 2020年（基期） · 基期年
    ("base", re.compile(r"^.{0,10}(?:基期|基准|基数|基年|起始).{0,6}$")),
    # 目标值 · 2025年目标值 · 规划目标 · “十五五”目标 · 预期目标 · 2030年 · 2025年预期值 · 十四五末
    ("target", re.compile(
        r"^.{0,12}(?:目标|规划值|预期值|预计|规划期末|期末)(?:值)?(?:\(.{0,8}\))?$"
        r"|^[“\"]?十[一二三四五六七八九]五[”\"]?(?:末|期末)?(?:\(.{0,8}\))?$"
    )),
    # 2025年 · 2030 · 2025年底: a plain year column; the latest is the target, earlier ones the base
    ("year", re.compile(r"^(?:19|20)\d{2}\s*年?(?:底|末)?(?:\(.{0,8}\))?$")),
    # 类别 · 分类 · 领域 · 一级指标 · 指标类别
    ("category", re.compile(r"^(?:类别|分类|类型|领域|方面|维度|板块|一级指标|指标类别|指标类型|指标分类)$")),
    # 指标 · 指标名称 · 主要指标 · 核心指标 · 二级指标 · 项目 · 名称 · 内容 (一级指标 is a category, above)
    ("indicator", re.compile(r"^(?:[\u4e00-\u9fff]{0,4}指标(?:名称|内容|项)?|(?:主要|具体)?(?:项目|名称|内容))(?:\(.{0,8}\))?$")),
    # 备注 · 说明 · 责任单位 · 牵头单位 · 数据来源
    ("other", re.compile(r"^(?:备注|说明|注|责任单位|牵头单位|责任部门|牵头部门|数据来源|来源)$")),
]

# Every header word above holds one of these (one search rules most cells out before the list).
HEADER_HINT_RE = re.compile(
    r"序|编号|No|属性|性质|单位|完成|实际|实现|执行|达成|现状|年均|累计|增|基|起始|目标|规划|预期|预计|期末|十.五"
    r"|\d{4}|类|领域|方面|维度|板块|指标|项目|名称|内容|备注|说明|注|责任|牵头|来源", re.I)
# Characters one of which every indicator header cell holds (指标 · 项目 · 名称 · 内容): the
# lines a table written one cell per line can start from are looked for only among those.
INDICATOR_HEADER_CHARS = ("指", "项", "名", "内")
# At most this many columns in a header written one cell per line.
MAX_HEADER_COLUMNS = 12

# Columns that hold values, by role: a table has a value column when one of these heads a column.
VALUE_ROLES = frozenset({"target", "year", "base", "status", "growth", "achieved"})

# A year or a plan period in a header or a caption: 2025年 · “十五五” · 十四五
YEAR_IN_HEADER_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
PERIOD_IN_TEXT_RE = re.compile(r"十([一二三四五六七八九])五")

# A caption (the line above a table) or heading that says the table reviews the previous plan.
REVIEW_CAPTION_RE = re.compile(r"完成情况|实施情况|执行情况|实现情况|回顾|评估")

# ---- body cells -------------------------------------------------------------------------------
# 1 · 12 · (1) · 一 · ① — a serial number cell
SERIAL_CELL_RE = re.compile(r"^(?:\d{1,3}\.?|\(\d{1,3}\)|[一二三四五六七八九十]{1,3}、?|\([一二三四五六七八九十]{1,3}\)|[\u2460-\u2473])$")
# 预期性 · 约束性 · 引导性 (also 预期型)
ATTRIBUTE_CELL_RE = re.compile(r"^(?:预期|约束|引导|指导|鼓励)[性型]$")
# — · - · / · —— · 无 · 暂无 · / : a cell that says "no value"
EMPTY_VALUE_RE = re.compile(r"^(?:[-—─/\\~～\u2014\u2015]{1,3}|无|暂无|不适用|/)$")
# An indicator of a recurring change (年均增长, 每年新增); 年均浓度 is a level, not a recurrence.
ANNUAL_INDICATOR_RE = re.compile(r"(?:年均|年平均|平均每年)(?:增长|增速|增幅|提高|提升|增加|递增|下降|降低|减少|新增)|每年")
# A row whose indicator opens with 其中 takes the unit of the row above.
SUBROW_RE = re.compile(r"^(?:其中|含)[:：]?")

# A value cell (matched with .match, which anchors it where the cell starts): an optional comparator or verb, the number (a range, a bracketed cumulative
# value [18] / 〔18〕), an optional multiplier and percent, an optional modifier.
#   ≥95 · >60 · 95以上 · 5.5左右 · [13.5] · 12-15 · 3~5 · 约80 · 1.5万 · 6%
VALUE_COMPARATORS = {
    ">=": ">=", "≥": ">=", "⩾": ">=", ">": ">", "<=": "<=", "≤": "<=", "⩽": "<=", "<": "<",
    "约": "~", "不低于": ">=", "不少于": ">=", "超过": ">=", "高于": ">", "大于": ">",
    "不高于": "<=", "不超过": "<=", "低于": "<", "小于": "<", "控制在": "<=", "达到": "=",
}
VALUE_MODIFIERS = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}
VALUE_CELL_RE = re.compile(
    r"(?P<pre>(?:" + "|".join(sorted(map(re.escape, VALUE_COMPARATORS), key=len, reverse=True)) + r")?)\s*"
    r"(?P<open>[\[〔【(])?\s*"
    rf"(?P<core>(?P<num>{ARABIC_PTN})(?:\s*(?:-|~|—|至|到)\s*(?P<num2>{ARABIC_PTN}))?"
    r"(?P<mult>万亿|亿|万)?(?P<pct>%|‰|个百分点|百分点)?)\s*"
    r"(?P<close>[\]〕】)])?\s*"
    r"(?P<post>" + "|".join(sorted(VALUE_MODIFIERS, key=len, reverse=True)) + r")?$"
)
# A value cell with its own measure word: comparator or verb, the quantity, a modifier.
#   1500亿元 · ≥3万户 · 下降2个百分点 · 50万千瓦以上
QUANTITY_CELL_RE = re.compile(
    r"(?P<pre>" + "|".join(sorted(map(re.escape, VALUE_COMPARATORS), key=len, reverse=True))
    + r"|下降|降低|减少|提高|增长|提升|增加)?\s*(?P<q>\d[^\s]{0,20}?)\s*"
    r"(?P<post>" + "|".join(sorted(VALUE_MODIFIERS, key=len, reverse=True)) + r")?$"
)
# Words of change or reaching that may stand before the number inside a value cell:
# 下降13.5% · 降低3个百分点 · 提高到60% · 累计下降[18]
VALUE_VERB_RE = re.compile(r"^[^\d]{0,8}?(?P<verb>下降|降低|减少|压减|提高到|提高|增长|提升|增加|达到|控制在|保持在|累计下降|累计)")

# ---- unit cells -------------------------------------------------------------------------------
# Besides the measure words of patterns/numbers.py, the units indicator tables use for time,
# age and score, and per-something rates (元/人, 张/千人, 吨标准煤/万元).
EXTRA_UNITS = ("年", "岁", "天", "日", "小时", "分钟", "分", "次", "人次", "个/万人", "微克/立方米", "标准箱")
# A unit cell is short, has no digit, and reads as [multiplier] measure word [/ denominator].
UNIT_CELL_MAX = 10
# A unit in brackets at the end of an indicator cell, when the table has no unit column:
# 地区生产总值（亿元） · 森林覆盖率(%)
TRAILING_UNIT_RE = re.compile(r"\((?P<unit>[^()\d]{1,10})\)$")
# Lines that end a table written one cell per line: a note under it.
NOTE_LINE_RE = re.compile(r"^(?:注|备注|说明|资料来源|数据来源)[:：\s\d]")
# Longest text a cell of a one-cell-per-line table holds; a longer line is body text.
MAX_CELL_LINE = 40
# Longest header line of a table whose cells are split by single spaces (a PDF's text layer).
MAX_HEADER_LINE = 80
# Longest header cell of a one-cell-per-line table.
MAX_HEADER_CELL = 20
