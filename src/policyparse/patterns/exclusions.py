"""Numbers that are NOT targets, as named rules, each with its example. Tested in tests/cases.

Each rule is a compiled pattern checked against the text just before (`before`) or just after
(`after`) a candidate quantity, or a predicate in extract/targets.py named after the rule.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from . import rx as regex   # regex.compile without importing `regex` for a stored pattern (rx.py)

from .outline import stdlib, twin

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

# rule incident_grade: 造成30人以上死亡 · 直接经济损失1亿元以上 · 紧急转移安置10万人以上 — the
# bands that grade an incident in an emergency plan, not goals (因灾死亡人数下降10% is one)
INCIDENT_AFTER_RE = regex.compile(r"^(?:以上|以下|及以上|及以下)")
INCIDENT_CLAUSE_RE = regex.compile(r"死亡|重伤|伤亡|失踪|中毒|经济损失|受灾|转移安置|被困|遇险|停电|停水|断水")

# rule size_band: 其中500-1000亿元的15户以上 · 过五千亿元的达到15个 · 过百亿的 — a band that
# belongs to the indicator: preceded by 过/超 (not 超过), or followed by 的 with a number after it
BAND_BEFORE_RE = regex.compile(r"(?:(?<![超通经])过)\s*$")
BAND_AFTER_RE = regex.compile(r"^(?:以上)?的")
# ... or 超 (not 超过) before an amount that a noun follows, with the count later in the clause:
# 培育年营收超100亿元企业5家 (总量超1万亿元。 is a goal: nothing is counted after it)
BAND_SUPER_BEFORE_RE = regex.compile(r"(?<![赶])超\s*$")
BAND_NOUN_AFTER_RE = regex.compile(r"^[\u4e00-\u9fff]")

# rule focus_not_goal: 聚焦10个标志性产业链群 · 围绕10个… — a count named as a focus, not a goal
FOCUS_BEFORE_RE = regex.compile(r"(?:聚焦|围绕|紧扣|对标|立足|面向|依托|针对|涵盖|包括|按照|根据|结合|瞄准)\s*$")

# rule quoted_name: “4个1” · “3个1”工作体系 — numbers inside a short quotation are names
QUOTED_NAME_MAX = 12

# rule past_result: 全年生产总值6.66万亿元，增长5.5% — a result reported, not a goal. A clause
# with one of these words and none of FUTURE_WORDS is a result.
PAST_WORDS_RE = regex.compile(
    r"同比|比上年|较上年|上年|去年|过去一年|过去五年|增长了|提高了|下降了|完成了|实现了|已经|已达|已有|已建成"
    r"|累计完成|累计实现|分别完成|目前|截至|截止|以来|近年来|多年来"
)
FUTURE_WORDS_RE = regex.compile(r"(?<!达)到\d{4}\s*年|到[一二][〇零○一二三四五六七八九]{3}|力争|确保|争取|目标|预期|预计|计划|将|要|今年|明年|不低于|不少于")
# Section titles of a review of past work: 2025年工作回顾 · 过去五年工作 · 主要成绩
REVIEW_TITLE_RE = regex.compile(r"回顾|过去一年|过去五年|主要成绩|工作成效|取得的成绩|进展情况|完成情况|工作总结")

# rule criterion_band: 对年营业收入1亿元以上的企业 · 年产值500万元以上的 — an amount or size
# that qualifies a noun (…以上的企业) is a criterion, not a goal; counts and shares are kept
# (覆盖90%以上的家庭, 建成10个以上的园区)
# (also 500万元以上技改项目: 以上 followed straight by a noun)
CRITERION_AFTER_RE = regex.compile(r"^(?:(?:以上|以下|及以上|及以下|以内)?的|(?:以上|以下)(?=[\u4e00-\u9fff]))")
CRITERION_UNITS = {
    "元", "美元", "欧元", "港元", "日元", "吨", "公斤", "千克", "克", "斤", "平方米", "亩", "公顷", "平方公里", "平方千米",
    "千瓦", "千瓦时", "兆瓦", "兆瓦时", "吉瓦", "千伏安", "立方米", "吨标准煤", "吨标煤", "标准煤", "公里", "千米", "米",
    "厘米", "毫米", "分贝", "微克/立方米", "毫克/立方米", "毫克/升", "毫克/千克",
}
# ... except where an action verb stands right before the number and nothing else is counted
# in the clause: then 以上的 + noun is the object of a goal (完成50万平方米以上的改造项目 ·
# 新增5000万千瓦以上光伏消纳需求), not a size band. Amounts of money stay criteria (支持1000万元以上项目).
OBJECT_AMOUNT_VERB_RE = regex.compile(r"(?:完成|新增|建成|新建|实施|落实|推广|启动|改造|引导完成|累计完成|满足)\s*$")
MONEY_UNITS = {"元", "美元", "欧元", "港元", "日元"}

# rule incentive: 给予最高500万元奖励 · 一次性补助50万元 — an incentive promised, not a goal
INCENTIVE_CLAUSE_RE = regex.compile(r"奖励|补助|补贴|资助|奖补|贴息|一次性|贷款|额度|担保|减免|返还|奖金|扶持资金|支持资金")
INCENTIVE_BEFORE_RE = regex.compile(r"(?:给予|最高|最多|奖励|补助|补贴|资助|奖补|贴息|一次性|不超过)[^，。；]{0,4}$")
# ... or the share or amount comes before the promise: 按投资额的30%给予补助 · 30%的比例予以奖励
INCENTIVE_AFTER_RE = regex.compile(r"^(?:以上|以内|左右)?(?:的比例)?(?:给予|予以|进行)?(?:奖励|补助|补贴|资助|奖补|贴息)")
# (the rule applies to money, physical amounts and shares: 给予补贴资金的50%)
INCENTIVE_UNITS = CRITERION_UNITS | {"%"}

# rule eligibility: 65岁以上老人 · 年满60岁的居民 · 18岁以下 — an age that decides who qualifies,
# not a goal (人均预期寿命达到79岁 is one). Income and area limits (月收入低于2000元的家庭) fall
# under criterion_band and threshold.
ELIGIBILITY_UNITS = {"岁"}
ELIGIBILITY_AFTER_RE = regex.compile(r"^(?:及以上|及以下|以上|以下|以内|的)")
ELIGIBILITY_BEFORE_RE = regex.compile(r"(?:年满|未满|不满|年龄在|年龄)\s*$")

# rule cited_title: 《关于…的10条措施》 · 《…5部门关于…的通知》 — a number inside a cited document's
# name (found in extract/targets.py from the 《…》 spans)
CITED_TITLE_MAX = 120
# rule issuer_count: 市发展改革委等5部门 · 12部委联合印发 · 由3个部门负责 — a count of issuers or
# offices, not a goal
ISSUER_AFTER_RE = regex.compile(r"^(?:门|委)")           # after 5部 (the measure word 部)
ISSUER_COUNT_AFTER_RE = regex.compile(r"^(?:部门|部委|委办局)")  # after 3个

# rule named_set: 支持甲、乙、丙等8个县发展… · 松江、青浦等4个新城 — the members are named, the
# number only counts them (with 以上/左右/余 after it, it is a goal again: A、B等10家以上企业)
# (the rule checks that a 、 stands before the 等 in the clause)
NAMED_SET_BEFORE_RE = regex.compile(r"等\s*$")
# rule designated_set: 推进30个重点县 · 在10个区开展试点 · 选择10个左右城市 — places chosen or acted
# upon, not a goal (创建10个示范县 and 推动100家企业上云 are goals)
DESIGNATED_BEFORE_RE = regex.compile(r"(?:推进|支持|指导|督促|帮助|选择|确定|遴选|选取|在|对|从|以|组织)\s*$")
DESIGNATED_PLACE_RE = regex.compile(r"^(?:左右)?[^，,。；\n]{0,4}?(?:县|市|区|镇|乡|村|街道|城市|新城|园区|片区|省份|地市)")

# rule inventory: 本次共推出房源40套，其中一房一厅12套 · 现有床位200张 — a list of what is on offer
# or what exists, stated as a fact (a sentence with one of these words and no word of intent)
INVENTORY_SENTENCE_RE = regex.compile(
    r"房源|户型|套型|[一二两三四]房[一二两]?厅|[一二两三四]室[一二两]?厅|在售|可售|待售|共推出|本次推出|本批次"
    r"|共计|合计|总计"
)
# rule price: 均价8000元/平方米 · 租金为每月1500元 · 票价2元 — a price is a fact, not a goal
PRICE_WORDS_RE = regex.compile(r"价|租金|收费|费用|房租|月租|单价")
PRICE_CHANGE_BEFORE_RE = regex.compile(r"(?:降低|减少|下降|压减|节约|节省|降到|降至|控制在)\s*$")

# rule rule_share: 原则上…不低于80% · 一般不超过30% · 不得低于20% — a share a rule fixes, not a goal
RULE_SHARE_RE = regex.compile(r"原则上|一般不|不得|不应|不宜")
# rule requirement: 申请人须提交…2份 · 应当具备…不少于 · 每户只能申请1套 — what an applicant or a
# building must meet, in a sentence with no word of a goal (到2025年, 力争, 目标, 确保)
REQUIREMENT_RE = regex.compile(r"应当|必须|须|只能|仅限|方可")
GOAL_WORDS_RE = regex.compile(r"(?<!达)到\d{4}|力争|目标|确保|争取")
# rule eligibility (also): a cap on a household or an applicant — 家庭人均住房建筑面积低于15平方米 ·
# 个人年收入不超过10万元 (a household's level reached, 家庭人均住房面积达到40平方米, is a goal)
ELIGIBILITY_CAP_BEFORE_RE = regex.compile(r"(?:低于|不高于|不超过|少于|小于|未达到|不足)\s*$")
HOUSEHOLD_RE = regex.compile(r"家庭|申请人|本人|个人")
# rule eligibility (also): a sentence about who may apply — 申请人… · 申报企业上年度营业收入不低于…
APPLICANT_RE = regex.compile(r"申请人|申请家庭|申请企业|申请单位|申报企业|申报单位|申报主体|申报项目|参评|入选企业")
# rule criteria_section: the numbers under a heading that states criteria, standards, the
# people or things covered, or what is on offer (一、申请条件 · 三、补贴标准 · 二、房源情况)
CRITERIA_TITLE_RE = regex.compile(
    r"(?:申请|申报|准入|认定|评选|评审|资格|基本|参评|入选|验收|享受|办理)条件|(?:补贴|补助|奖励|资助|支持|扶持|收费|租金"
    r"|评分|认定|评价|计分|验收|分配|配租)标准|(?:支持|补助|补贴|保障|申报|申请|适用|实施|奖励|服务)对象|(?:适用|支持|补贴|申报)范围"
    r"|房源|户型|(?:申请|申报)(?:材料|程序|流程|方式)|办理流程|评分细则"
)
# rule prohibition: 禁止生产和使用厚度低于0.01毫米的地膜 · 严禁… — what is banned is no goal
PROHIBITION_RE = regex.compile(r"禁止|严禁|不准|杜绝")
# rule per_item: 每栋建筑不少于 · 单体建筑 · 单个项目 — a requirement on each building or item,
# not a goal of the plan (每万人口… and 每百户… are indicators, not items)
PER_ITEM_RE = regex.compile(r"每栋|每幢|每单体|单个建筑|单体建筑|单栋|单个项目|单台|单套")

# rule penalty: 处1万元以上5万元以下的罚款 — regulations' sanctions are not goals
PENALTY_SENTENCE_RE = regex.compile(r"罚款|罚金|处以|没收|滞纳金|吊销|责令")

# The sentence-wide words above (penalty, inventory, prohibition, rule_share, per_item, price,
# applicant, requirement, goal) are searched in each sentence from its start up to this many
# characters past its end, so that a word standing across the end is found whole (no match of
# theirs is longer: tests/test_fast_targets.py checks their widths).
SENTENCE_WORD_MAX = 8

# ... and all of them but goal (read only after requirement) in one search of a sentence: most
# sentences hold none, and then no rule reading them applies.
SENTENCE_WORD_RULES = (
    PENALTY_SENTENCE_RE, INVENTORY_SENTENCE_RE, PROHIBITION_RE, RULE_SHARE_RE, PER_ITEM_RE, PRICE_WORDS_RE,
    APPLICANT_RE, REQUIREMENT_RE,
)
ANY_SENTENCE_WORD_RE = regex.compile("|".join(f"(?:{p.pattern})" for p in SENTENCE_WORD_RULES))

_PLAIN = frozenset("\\[](){}|.^$*+?")   # characters that are no literal in a pattern's text


def literal_first(pattern_text: str) -> str:
    """A word list (a top-level alternation: 价|租金|[一二]房厅|(?<!达)到\\d{4}) written so that
    every alternative starts with a literal character, with the same matches at the same starts:
    a leading set of plain characters becomes one alternative per character ([一二]房 ->
    一房|二房), and a negative look-behind of plain characters before a literal goes after it,
    reading that literal too ((?<!达)到 -> 到(?<!达到): the same character before the 到).
    Why: the stdlib re skips, in C, to the characters that can start a match only when every
    alternative starts with a literal; one that starts with a set or a look-behind makes it try
    every alternative at every character. Anything else at an alternative's start is refused."""
    alternatives, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern_text):
        ch = pattern_text[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alternatives.append(pattern_text[start:i])
            start = i + 1
        i += 1
    alternatives.append(pattern_text[start:])
    out = []
    for alt in alternatives:
        close = alt.find("]")
        if alt.startswith("[") and close > 1 and not set(alt[1:close]) & (_PLAIN | {"-"}):
            out.extend(_one_literal_first(ch + alt[close + 1:], pattern_text) for ch in alt[1:close])
            continue
        close = alt.find(")")
        behind = alt[4:close]
        if alt.startswith("(?<!") and behind and not set(behind) & _PLAIN:
            alt = _one_literal_first(alt[close + 1:], pattern_text)
            alt = f"{alt[0]}(?<!{behind}{alt[0]}){alt[1:]}"
        out.append(_one_literal_first(alt, pattern_text))
    return "|".join(out)


def _one_literal_first(alternative: str, pattern_text: str) -> str:
    """The alternative, refused unless it starts with a literal character that must be matched."""
    if not alternative or alternative[0] in _PLAIN or alternative[1:2] in ("*", "+", "?", "{"):
        raise ValueError(f"no literal first character in {alternative!r} of {pattern_text!r}")
    return alternative

# Every rule above but penalty and quoted_name needs one of these words right after or right
# before the number. Most numbers have none: one test of each union lets them skip the
# rule-by-rule checks (which stay in their order, so the first rule that applies names the cause).
AFTER_RULES = (
    CRITERION_AFTER_RE, DOC_NUMBER_AFTER_RE, NAME_AFTER_RE, DURATION_AFTER_RE, THRESHOLD_AFTER_RE, BAND_AFTER_RE,
    INCENTIVE_AFTER_RE, ELIGIBILITY_AFTER_RE, ISSUER_AFTER_RE, ISSUER_COUNT_AFTER_RE, INCIDENT_AFTER_RE,
)
BEFORE_RULES = (
    INCENTIVE_BEFORE_RE, ORDINAL_BEFORE_RE, THRESHOLD_BEFORE_RE, BAND_BEFORE_RE, FOCUS_BEFORE_RE,
    ELIGIBILITY_BEFORE_RE, NAMED_SET_BEFORE_RE, DESIGNATED_BEFORE_RE, ELIGIBILITY_CAP_BEFORE_RE, BAND_SUPER_BEFORE_RE,
)
ANY_AFTER_RE = regex.compile("|".join(f"(?:{p.pattern})" for p in AFTER_RULES))
# (no union of BEFORE_RULES: extract/targets.py gates them by their end words, BEFORE_WORDS_BY_LAST)

# The same rules on the stdlib engine, for the calls made per number: STDLIB.<NAME> is <NAME>
# compiled by the stdlib `re` from the very same pattern text, rewritten by patterns/outline.py's
# stdlib() (it spells out \d, \s and \p{Han} as `regex` reads them and refuses any other
# `regex`-only escape, so a rule written later with one fails at import instead of matching
# something else). Why: these are matched on the 8 characters before or after a number, a
# clause or a heading's title, where a `regex` call's set-up dominates its cost: callgrind puts
# a `regex` match of NAME_AFTER_RE on 8 characters at ~3,500 machine instructions and its stdlib
# twin at ~2,200; a `\s*$` word-list search such as FOCUS_BEFORE_RE at ~4,700 against ~1,900.
# The rules stay written once, above; tests/test_fast_exclusions.py compares each twin with its
# original on many strings, positives and negatives.
# PAST_WORDS_RE is searched in each sentence that holds a number with no word of intent: its
# words all start with a literal, which the stdlib scans for (10,200 instructions a call on the
# bench corpus against 17,700). Left on `regex`, measured the same way: FUTURE_WORDS_RE as
# written (24,400 on the stdlib against 9,600: its first word starts with a look-behind, so the
# stdlib tries every word at every character; LITERAL_FIRST below holds it written so that it
# does not), REVIEW_TITLE_RE and CRITERIA_TITLE_RE on headings' titles
# (4,100 and 15,700 against 3,200 and 4,700).
STDLIB_TWINS = (
    *AFTER_RULES, *BEFORE_RULES, ANY_AFTER_RE, OBJECT_AMOUNT_VERB_RE, PRICE_CHANGE_BEFORE_RE,
    HOUSEHOLD_RE, BAND_NOUN_AFTER_RE, DESIGNATED_PLACE_RE, PAST_WORDS_RE,
)
STDLIB = SimpleNamespace(**{
    name: twin(value)
    for name, value in list(globals().items()) if any(value is p for p in STDLIB_TWINS)
})
# Patterns searched once in each sentence that holds a number, on the stdlib engine written
# literal-first (literal_first), so that the stdlib skips in C to the characters that can start
# a word; tests/test_fast_sentences.py compares each with its `regex` pattern.
# ANY_SENTENCE_WORD_RE (INVENTORY's [一二两三四]房… written 一房…|二房…; the words are quiet in
# most sentences): 2.3 µs a search on the 213 sentences of 10 bench documents, against 11.5 µs
# for the `regex` union and 21 µs for the stdlib on the union as written (every word tried at
# every character).
# FUTURE_WORDS_RE ((?<!达)到\d{4}… written 到(?<!达到)\d{4}…), searched in every such sentence by
# _tense: 0.44 µs a search on those sentences against 2.2 µs on `regex`.
LITERAL_FIRST = SimpleNamespace(
    ANY_SENTENCE_WORD_RE=re.compile(stdlib("|".join(literal_first(p.pattern) for p in SENTENCE_WORD_RULES))),
    FUTURE_WORDS_RE=re.compile(stdlib(literal_first(FUTURE_WORDS_RE.pattern))),
)

# The exclusion table: every rule's name and what it drops (shown by `policyparse targets
# --explain`; tests/test_targets.py checks each has rows that drop and rows that keep).
RULES: dict[str, str] = {
    "penalty": "a sanction in a regulation (处1万元以上5万元以下的罚款)",
    "prohibition": "what is banned (禁止…厚度低于0.01毫米的地膜)",
    "criterion_band": "an amount or size that qualifies a noun (年营业收入1亿元以上的企业)",
    "incentive": "an incentive promised (给予最高500万元奖励 · 给予补贴资金的50%)",
    "eligibility": "who qualifies: an age, a household's cap, an applicant's threshold (65岁以上老人 · 家庭人均月收入低于2000元)",
    "doc_number": "an issuing number (国发〔2011〕47号)",
    "code_or_grade": "a code, grade or ordinal (X80级 · 第3批)",
    "issuer_count": "a count of issuers or offices (等5部门 · 12部委)",
    "duration": "a span of time (用3年左右的时间 · 3个月)",
    "threshold": "a threshold inside a criterion (淘汰年产1万吨及以下)",
    "size_band": "the size band inside an indicator (其中500-1000亿元的15户)",
    "incident_grade": "a band that grades an incident (造成30人以上死亡 · 直接经济损失1亿元以上)",
    "focus_not_goal": "a count named as a focus (聚焦10个产业链 · 紧扣9个项目)",
    "named_set": "a count of members named before it (甲、乙、丙等8个县)",
    "designated_set": "places chosen or acted upon (推进30个重点县 · 在10个区)",
    "inventory": "a list of what is on offer or exists (共推出房源40套，其中一房一厅12套)",
    "price": "a price (均价8000元/平方米 · 租金1500元)",
    "rule_share": "a share a rule fixes (原则上…不低于80% · 不得低于20%)",
    "requirement": "what an applicant or item must meet, with no goal word (申请人须提交…2份)",
    "criteria_section": "under a heading that states criteria or what is on offer (申请条件 · 补贴标准 · 房源情况)",
    "per_item": "a requirement on each item (每个开发区主攻2个左右)",
    "cited_title": "a number inside a cited document's name (《…5部门关于…》)",
    "quoted_name": "a number inside a short quoted name (“4个1”)",
    "past_result": "a result reported, not a goal (同比增长5.5%)",
    "in_review": "under a heading that reviews past work (“十三五”回顾)",
}
