"""Numbers that are NOT targets, as named rules, each with its example. Tested in tests/cases.

Each rule is a compiled pattern checked against the text just before (`before`) or just after
(`after`) a candidate quantity, or a predicate in extract/targets.py named after the rule.
"""
from __future__ import annotations

import regex

# rule doc_number: 国发〔2011〕47号 — an issuing number (the 号 is no measure word, and the
# bracketed year is excluded by the letter/digit guards; this catches 第…号 forms too)
DOC_NUMBER_AFTER_RE = regex.compile(r"^号")

# rule code_or_grade: T700 · X80级 · 500KV · 5G · 芳纶1313 — handled by QUANTITY_RE's guards
# (no Latin letter or digit on either side); grades and ranks by the word after:
# 10大装备制造业 · 500强 · X80级 · 9-27系列 · 1-10/8型 · 第3批
# (10大 and 500强 have no measure word, so they never reach this rule; 5000亿元大关 is a goal)
NAME_AFTER_RE = regex.compile(r"^(?:级|系列|型|号|届|代|版|次会议|类产品)")
ORDINAL_BEFORE_RE = regex.compile(r"第\s*$")

# rule duration: 用3年左右的时间 · 3个月 · 10个工作日内 — 个 followed by a time word
DURATION_AFTER_RE = regex.compile(r"^(?:多|余)?(?:以上|左右)?(?:个)?(?:月|工作日|小时|年|周|星期|季度)")

# rule threshold: 淘汰年产1万吨及以下 · 200立方米及以下 · 8万吨/年及以下 (幅宽1760mm, 200m/min: no measure word)
# (淘汰90平方米以下烧结机: 以下 followed by a noun is a criterion; 控制在5%以下。 is a goal)
THRESHOLD_AFTER_RE = regex.compile(r"^(?:及以下|及以上|以下的|以下规模|以下(?![，,。；;、)）\s]|$))")
THRESHOLD_BEFORE_RE = regex.compile(r"(?:年产|年产能|幅宽|车速|规模在|容量|排量|功率|单机|单线|单台|长度|直径|厚度|浴比)\s*$")

# rule size_band: 其中500-1000亿元的15户以上 · 过五千亿元的达到15个 · 过百亿的 — a band that
# belongs to the indicator: preceded by 过/超 (not 超过), or followed by 的 with a number after it
BAND_BEFORE_RE = regex.compile(r"(?:(?<![超通经])过)\s*$")
BAND_AFTER_RE = regex.compile(r"^(?:以上)?的")

# rule focus_not_goal: 聚焦10个标志性产业链群 · 围绕10个… — a count named as a focus, not a goal
FOCUS_BEFORE_RE = regex.compile(r"(?:聚焦|围绕|依托|针对|涵盖|包括|按照|根据|结合|瞄准)\s*$")

# rule quoted_name: “4个1” · “3个1”工作体系 — numbers inside a short quotation are names
QUOTED_NAME_MAX = 12

# rule past_result: 全年生产总值6.66万亿元，增长5.5% — a result reported, not a goal. A clause
# with one of these words and none of FUTURE_WORDS is a result.
PAST_WORDS_RE = regex.compile(
    r"同比|比上年|较上年|上年|去年|过去一年|过去五年|增长了|提高了|下降了|完成了|实现了|已经|已达|已有|已建成"
    r"|累计完成|累计实现|分别完成|目前|截至|截止"
)
FUTURE_WORDS_RE = regex.compile(r"(?<!达)到\d{4}\s*年|到[一二][〇零○一二三四五六七八九]{3}|力争|确保|争取|目标|预期|预计|计划|将|要|今年|明年|不低于|不少于")
# Section titles of a review of past work: 2025年工作回顾 · 过去五年工作 · 主要成绩
REVIEW_TITLE_RE = regex.compile(r"回顾|过去一年|过去五年|主要成绩|工作成效|取得的成绩|进展情况|完成情况|工作总结")

# rule criterion_band: 对年营业收入1亿元以上的企业 · 年产值500万元以上的 — an amount or size
# that qualifies a noun (…以上的企业) is a criterion, not a goal; counts and shares are kept
# (覆盖90%以上的家庭, 建成10个以上的园区)
# (also 500万元以上技改项目: 以上 followed straight by a noun)
CRITERION_AFTER_RE = regex.compile(r"^(?:(?:以上|以下|及以上|及以下|以内)?的|(?:以上|以下)(?=[\u4e00-\u9fff]))")
CRITERION_UNITS = {"元", "美元", "吨", "平方米", "亩", "公顷", "千瓦", "千瓦时", "立方米", "吨标准煤", "平方公里", "公里"}

# rule incentive: 给予最高500万元奖励 · 一次性补助50万元 — an incentive promised, not a goal
INCENTIVE_CLAUSE_RE = regex.compile(r"奖励|补助|补贴|资助|奖补|贴息|一次性")
INCENTIVE_BEFORE_RE = regex.compile(r"(?:给予|最高|最多|奖励|补助|补贴|资助|奖补|贴息|一次性|不超过)[^，。；]{0,4}$")

# rule penalty: 处1万元以上5万元以下的罚款 — regulations' sanctions are not goals
PENALTY_SENTENCE_RE = regex.compile(r"罚款|罚金|处以|没收|滞纳金|吊销|责令")

# Every rule above but penalty and quoted_name needs one of these words right after or right
# before the number. Most numbers have none: one test of each union lets them skip the
# rule-by-rule checks (which stay in their order, so the first rule that applies names the cause).
ANY_AFTER_RE = regex.compile("|".join(f"(?:{p.pattern})" for p in (
    CRITERION_AFTER_RE, DOC_NUMBER_AFTER_RE, NAME_AFTER_RE, DURATION_AFTER_RE, THRESHOLD_AFTER_RE, BAND_AFTER_RE,
)))
ANY_BEFORE_RE = regex.compile("|".join(f"(?:{p.pattern})" for p in (
    INCENTIVE_BEFORE_RE, ORDINAL_BEFORE_RE, THRESHOLD_BEFORE_RE, BAND_BEFORE_RE, FOCUS_BEFORE_RE,
)))
