"""Words around a quantity that make it a target and say how: comparators, direction, time."""
from __future__ import annotations

import re

from . import rx as regex   # regex.compile without importing `regex` for a stored pattern (rx.py)

from .units import SPACE
from .units import SPACE_CHARS as _SPACE_CLASS_BODY
from .units import class_members
from .outline import stdlib, twin

# Patterns here that need no `regex` feature are compiled with the stdlib `re` (a call into
# `regex` costs about twice one into `re`); those that spell a space use SPACE, `regex`'s \s
# (the stdlib's \s also takes \x1c-\x1f), so each matches what it matched. SPACE_CHARS here is the
# same set written out for str.strip, expanded from patterns/units.py's class body (which holds a
# range); tests/test_fast_reading.py checks both against every code point.
SPACE_CHARS = class_members(_SPACE_CLASS_BODY)

# Modifiers after the number -> comparator.  80%以上 · 10%以内 · 1800个左右
AFTER_MODIFIERS: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "多": ">", "余": ">",
    "以下": "<=", "以内": "<=", "及以下": "<=",
    "左右": "~", "上下": "~",
}
AFTER_MODIFIER_RE = re.compile(r"^(?:" + "|".join(sorted(AFTER_MODIFIERS, key=len, reverse=True)) + ")")

# Modifiers before the number -> comparator.  超过80% · 不低于50亿元 · 控制在 · 约92户
BEFORE_MODIFIERS: dict[str, str] = {
    "超过": ">=", "突破": ">=", "不低于": ">=", "不少于": ">=", "至少": ">=", "高于": ">", "大于": ">",
    "多于": ">",
    "不超过": "<=", "不高于": "<=", "控制在": "<=", "低于": "<", "小于": "<", "少于": "<",
    "约": "~", "大约": "~", "近": "~",
    "达到": "=", "达": "=",
}
BEFORE_MODIFIER_RE = regex.compile("(?:" + "|".join(sorted(BEFORE_MODIFIERS, key=len, reverse=True)) + r")\s*$")
# What that search finds, read with str methods (extract/targets.py _modifier_before): the text
# stripped of trailing spaces ends with the modifier; the leftmost such match is the longest.
# The modifiers by their last character, longest first.
BEFORE_MODIFIERS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(sorted((w for w in BEFORE_MODIFIERS if w[-1] == last), key=len, reverse=True))
    for last in {w[-1] for w in BEFORE_MODIFIERS}
}

# Verbs of change right before the number -> direction (only when no 到/至 follows: 提高到 is a level).
UP_VERBS = ["年均递增", "递增", "增长", "提高", "提升", "增加", "增幅", "上升", "扩大", "增速"]
DOWN_VERBS = ["降低", "减少", "下降", "压减", "削减", "压缩", "缩减", "降幅", "减排", "下降幅度"]
# Verbs of reaching a level: the number is a level, not a change, when one of these is closest.
LEVEL_VERBS = ["达到", "达", "突破", "超过", "高于", "低于", "不低于", "不少于", "控制在", "保持在", "稳定在",
               "提高到", "提升到", "增加到", "增长到", "降低到", "降到", "减少到", "下降到", "降至", "提高至",
               "为", "占", "新增"]
# Nouns that contain a verb of change and are not one: 工业增加值 · 新的增长点 · 增长极 · 提高率
NOT_A_VERB_AFTER = r"(?!值|点|极|率|潜力|动力|空间)"
DIRECTION_RE = re.compile(
    "(?P<verb>" + "|".join(sorted(set(UP_VERBS + DOWN_VERBS + LEVEL_VERBS), key=lambda w: (-len(w), w))) + ")"
    + NOT_A_VERB_AFTER
)

# Recurring goals. 每年 carries to the rest of its sentence; 年均 only within its clause.
# 每月 / 每季度 / 每周 are recurring too (annual: true, SPEC v1.2).
EVERY_YEAR_RE = re.compile(r"每年|逐年|年年|每月|每季度|每半年|每周")
ANNUAL_AVERAGE_WORDS = ("年均", "年平均", "平均每年")
ANNUAL_AVERAGE_RE = re.compile("|".join(ANNUAL_AVERAGE_WORDS))
# A character every one of those words holds: a clause without it holds none (a str.find where
# the search cost ~2,300 instructions a clause; tests/test_fast_starts.py checks it).
ANNUAL_AVERAGE_CHAR = "均"

# The word that starts a list of values paired with a list of subjects.
RESPECTIVELY = "分别"

# A year as a due date: 到2015年 · 2015年末 · 2015年前 · 至2025年底.
YEAR_RE = regex.compile(
    r"(?:(?<![\d\-~])(?P<year>(?:19|20)\d{2})|(?<![一二三四五六七八九〇零○])(?P<cnyear>[一二][〇零○一二三四五六七八九]{3}))"
    r"\s*年(?P<suffix>底前|底|末|前|以前|年底|年末)?"
)
# The years are matched only where a 年 stands (extract/years.py; the same matches as a scan of
# the whole text, which cost more than reading what it finds): YEAR_RE's year is the four
# characters before the 年 and the spaces (\s) before it, and starts with one of YEAR_FIRST_CHARS.
YEAR_CHAR = "年"
YEAR_FIRST_CHARS = frozenset("12一二")
SPACE_RE = regex.compile(r"\s")   # YEAR_RE's \s, tried on one character; none lies above U+3000
# Words before a year that make it a baseline, not a due date: 比2010年 · 较2010年 · 与2020年相比
BASELINE_BEFORE_RE = regex.compile(r"(?:比|较|与|同|相对于|相比|对比)\s*$")
# Words after a year that make it a baseline or a starting point: 2012年基础上 · 2010年相比 · 2010年以来
BASELINE_AFTER_RE = regex.compile(r"^(?:的)?(?:基础上|基础|相比|比较|水平|同期)")
SINCE_AFTER_RE = regex.compile(r"^(?:以来|起|开始|至今|到\d{4}|至\d{4}|-|~|—)")
# ... but a start from which a rule or goal holds is its year: 2026年起 · 自2022年开始 · 从2024年起
# (起 or 开始 not followed by 以来 or a range end)
START_AFTER_RE = regex.compile(r"^(?:起|开始)(?!以来|至|到)")
# Lead-in words that make a year apply as a due date: 到/至/力争到/截至.
# (截至2023年底 is "as of": a state reported, not a due date)
DUE_BEFORE_RE = regex.compile(r"(?:(?<!截)至|(?<!截止)到|力争到|争取到|确保到|于)\s*$")

# Years named relative to the document's own date (a work report's 今年): offset in years.
RELATIVE_YEARS = {"今年": 0, "本年": 0, "本年度": 0, "明年": 1}
RELATIVE_YEAR_RE = regex.compile("|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)))

# Every relative year holds a 年: matched only where one stands, from these offsets before it.
RELATIVE_YEAR_OFFSETS = tuple(sorted({w.index(YEAR_CHAR) for w in RELATIVE_YEARS}))
RELATIVE_YEAR_FIRSTS = frozenset(w[0] for w in RELATIVE_YEARS)

# Five-year plan periods: “十二五” -> 2011–2015.  十一五, 十三五, 十四五, 十五五.
PERIOD_RE = regex.compile(r"[“\"']?十(?P<n>[一二三四五六七八九])五[”\"']?(?P<suffix>期间|时期|末|期末|规划期|以来)?")
# 十N五 is the (10+N)th plan: 十一五 starts in 2006, each later one five years on (十七五: 2036).
PERIOD_FIRST_YEAR = {n: 2006 + 5 * i for i, n in enumerate("一二三四五六七八九")}

# The year patterns above on the stdlib engine, for extract/years.py: it reads every year with a
# few small calls (the year, the words before and after it), where a `regex` call's set-up costs
# several times a stdlib one's. Each twin is compiled from its `regex` pattern's own text as
# rewritten by patterns/outline.py's stdlib() (\d and \s as `regex` reads them), so it matches
# what that pattern matches; the `regex` patterns stay the reference the tests compare with
# (tests/test_fast_targets.py, tests/test_fast_reading.py). patterns/outline.py's twin() builds each.
YEAR_STD_RE = twin(YEAR_RE)
SPACE_STD_RE = twin(SPACE_RE)
BASELINE_BEFORE_STD_RE = twin(BASELINE_BEFORE_RE)
BASELINE_AFTER_STD_RE = twin(BASELINE_AFTER_RE)
SINCE_AFTER_STD_RE = twin(SINCE_AFTER_RE)
START_AFTER_STD_RE = twin(START_AFTER_RE)
DUE_BEFORE_STD_RE = twin(DUE_BEFORE_RE)
RELATIVE_YEAR_STD_RE = twin(RELATIVE_YEAR_RE)
PERIOD_STD_RE = twin(PERIOD_RE)
# name -> (the `regex` pattern, its twin), for the tests
YEAR_TWINS = {
    "YEAR_RE": (YEAR_RE, YEAR_STD_RE), "SPACE_RE": (SPACE_RE, SPACE_STD_RE),
    "BASELINE_BEFORE_RE": (BASELINE_BEFORE_RE, BASELINE_BEFORE_STD_RE),
    "BASELINE_AFTER_RE": (BASELINE_AFTER_RE, BASELINE_AFTER_STD_RE),
    "SINCE_AFTER_RE": (SINCE_AFTER_RE, SINCE_AFTER_STD_RE), "START_AFTER_RE": (START_AFTER_RE, START_AFTER_STD_RE),
    "DUE_BEFORE_RE": (DUE_BEFORE_RE, DUE_BEFORE_STD_RE), "RELATIVE_YEAR_RE": (RELATIVE_YEAR_RE, RELATIVE_YEAR_STD_RE),
    "PERIOD_RE": (PERIOD_RE, PERIOD_STD_RE),
}

# Leading words dropped from an indicator: time, stance and action words.
INDICATOR_LEAD_WORDS = (
    "力争|争取|确保|努力|进一步|同时|并且|并|其中|另外|此外|全年|今年|明年|本年度|每年|逐年|年均|年平均|累计|当年"
    "|实现|完成|组织实施好|组织实施|实施|培育形成|培育|创建|打造|建设|建成|引进|选择|培植|攻克|认定|形成|拥有"
    "|新建|建立|推动|支持|扶持|储备|谋划|安排|统筹安排|招引|开发|制定|推广|带动|滚动|为"
).split("|")
INDICATOR_LEAD_PATTERN = (
    r"^(?:(?:到|至|力争到|争取到|确保到)?\s*(?:19|20)\d{2}\s*年(?:底|末|前)?[，,]?"
    r"|[“\"]?十[一二三四五六七八九]五[”\"]?(?:期间|时期|末|期末)?[，,]?"
    r"|" + "|".join(INDICATOR_LEAD_WORDS) + ")+"
)
# Compiled with the stdlib `re` from that text as rewritten by patterns/outline.py's stdlib()
# (\s and \d spelled out as `regex` reads them): a `regex` call's set-up costs several times the
# match on these short texts. tests/test_fast_reading.py compares it with the `regex` pattern.
INDICATOR_LEAD_RE = re.compile(stdlib(INDICATOR_LEAD_PATTERN))
# What a text must start with for that pattern to match (a year, with its lead-in or spaces; a
# plan period; a word): a str.startswith test before the regex call ...
INDICATOR_LEAD_STARTS = ("到", "至", "19", "20", "“十", '"十', *("十" + n + "五" for n in "一二三四五六七八九"),
                         *SPACE_CHARS, *INDICATOR_LEAD_WORDS)
# ... of only the starts that share the text's first character (a startswith of all ~120 costs
# more than the match it saves): first character -> those starts.
INDICATOR_LEAD_STARTS_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(w for w in INDICATOR_LEAD_STARTS if w[0] == first) for first in {w[0] for w in INDICATOR_LEAD_STARTS}
}
# Trailing words dropped from an indicator: verbs of reaching or change, modifiers, baselines.
INDICATOR_TAIL_WORDS = [
    "分别", "均", "力争", "争取", "预计", "累计", "年均", "每年",
    "达到", "达", "超过", "突破", "提高到", "提高至", "提升到", "提升至", "提高", "提升", "增长到", "增长", "增加到",
    "增加至", "增加", "递增", "增幅", "增速",
    "降低到", "降低至", "降到", "降至", "下降到", "下降至", "减少到", "减少至", "压减到", "降低", "减少", "下降", "压减",
    "削减", "控制在", "保持在", "稳定在",
    "不低于", "不少于", "不超过", "高于", "低于", "至少", "约", "近", "逾", "超", "为", "占", "年均增长", "有", "以上",
    "左右",
]
# ... and baselines: 比2010年 · 较2010年 · 较“十二五”末 (each starts with 比 or 较)
INDICATOR_TAIL_BASELINES = [r"比\s*(?:19|20)\d{2}\s*年", r"较\s*[“\"]?十[一二三四五六七八九]五[”\"]?末?", r"较\s*(?:19|20)\d{2}\s*年"]
# The tail's definition: a run of those pieces ending the text. As a regex it is exponential on
# text it does not match (年均增长 is one piece or two, so 年均增长×22 + X长 has 2^22 readings to
# try at each start), so extract/targets.py strips tails with _strip_tail, a linear walk back
# over the same pieces (patterns/AUDIT.md); this regex stays as the reference the tests compare.
INDICATOR_TAIL_RE = regex.compile("(?:" + "|".join(INDICATOR_TAIL_BASELINES + INDICATOR_TAIL_WORDS) + ")+$")
# The pieces for that walk: the words as a trie read from their last character backwards (one
# dict step per character finds every word ending at a position, where a str.endswith per word
# cost ~2,000 instructions of argument handling each), and each baseline matched backwards from
# where it ends (each has one start for a given end). A node maps a character to the next node;
# TAIL_WORD_END in a node marks a word's first character (the walk has read a whole word).
TAIL_WORD_END = ""


def _backward_trie(words: list[str]) -> dict:
    root: dict = {}
    for w in words:
        node = root
        for ch in reversed(w):
            node = node.setdefault(ch, {})
        node[TAIL_WORD_END] = True
    return root


INDICATOR_TAIL_TRIE = _backward_trie(INDICATOR_TAIL_WORDS)
INDICATOR_TAIL_BASELINES_BACKWARDS = [regex.compile("(?r)" + p) for p in INDICATOR_TAIL_BASELINES]
INDICATOR_TAIL_BASELINE_ENDS = frozenset("年五末”\"")
# The characters such a tail can end with (and $ also matches before a final newline): a text
# ending otherwise has no tail, and the substitution, which tries every position, is skipped.
INDICATOR_TAIL_ENDS = frozenset([w[-1] for w in INDICATOR_TAIL_WORDS] + ["年", "五", "末", "”", '"', "\n"])

# Verbs whose object is the indicator when the number comes first: 创建3家以上省级软件名园 ·
# 启动20万平方米老旧厂房改造 · 举办100场宣传活动 · 发放2万份资料
OBJECT_FIRST_VERBS = [
    "创建", "培育", "打造", "建设", "建成", "实施", "完成", "引进", "选择", "培植", "认定", "形成", "推动", "支持", "扶持",
    "储备", "谋划", "安排", "招引", "开发", "制定", "推广", "改造", "新建", "建立", "优选", "吸引", "新增", "发展",
    "组织实施好", "组织实施", "攻克", "为",
    "启动", "举办", "举行", "召开", "组织", "开展", "成立", "组建", "设立", "增设", "开设", "发放", "印发", "分发", "配置",
    "配备", "招募", "培训", "培养", "安装", "布设", "铺设", "种植", "修建", "改建", "扩建", "新改建", "整治", "提供",
    "推出", "开通", "投放", "更新", "落实", "引导完成", "满足", "推进", "覆盖", "连接", "惠及", "吸纳", "帮扶",
]
OBJECT_FIRST_VERBS_RE = regex.compile("(?:" + "|".join(sorted(OBJECT_FIRST_VERBS, key=len, reverse=True)) + ")$")
OBJECT_FIRST_VERB_ENDS = tuple(OBJECT_FIRST_VERBS)   # its search on a text with no final newline: str.endswith
# ... of only the verbs that end with the text's last character (an endswith of all ~80 costs
# more than the rest of the test): last character -> those verbs.
OBJECT_FIRST_VERBS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(v for v in OBJECT_FIRST_VERBS if v[-1] == last) for last in {v[-1] for v in OBJECT_FIRST_VERBS}
}
# ... and the same verbs opening the clause with a place or subject before the number:
# 建成中心城区6座污水处理厂调蓄工程 -> 中心城区 + 污水处理厂调蓄工程
OBJECT_LEAD_VERB_RE = re.compile(
    r"^" + SPACE + r"*(?:力争|争取|确保|全面|加快|累计|新|再|共)?(?:"
    + "|".join(sorted((v for v in OBJECT_FIRST_VERBS if len(v) > 1), key=len, reverse=True)) + ")"
)
# Verbs whose subject stays in the indicator: 千兆光纤网络覆盖90%以上的家庭 -> 千兆光纤网络覆盖的家庭
SUBJECT_VERBS = ("覆盖", "惠及", "连接", "服务", "带动")
SUBJECT_VERBS_RE = regex.compile("(?:" + "|".join(SUBJECT_VERBS) + ")$")   # (str.endswith(SUBJECT_VERBS) where no final newline)
# A share of something that reaches a state: 本市建成区40%以上的面积达到…要求 · 70%以上居住区实现…
# — the indicator is the subject with what follows the number.
SHARE_REACHES_RE = re.compile(r"达到|实现|符合|具备|完成|满足")

# Verbs inside a subject after which the measured thing starts: 六大产业实现主营业务收入 -> 主营业务收入
MID_VERB_RE = re.compile(r"^.{2,12}?(?:实现|拥有)(?=.{2,})")
# Words that end the object of an object-first target: 专项资金用于支持… -> 专项资金
OBJECT_END_RE = re.compile(r"(?:用于|用来|以便|进行|作为).*$")
# Measure nouns shared by a list of subjects: 化学需氧量和氨氮排放总量 -> 化学需氧量排放总量, 氨氮排放总量
SHARED_MEASURE_RE = re.compile(
    r"(?:排放总量|排放量|总量|数量|比重|占比|收入|营业收入|产值|增加值|投资|能耗|利润|规模|覆盖率|普及率|利用率|增速|增幅)$"
)
