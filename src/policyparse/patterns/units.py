"""Responsibility notes: 牵头 / 配合 / 责任单位 in their written forms.

Forms (all inside brackets, on the folded text where （） are ASCII):
    （牵头单位：省科技厅；配合单位：省发展改革委、省财政厅等）      labelled roles
    （责任单位：市工业和信息化局、市科技局）                        labelled, one role
    （省经济和信息化委牵头，省发展改革委、省财政厅配合）            role verbs after names
    （市发展改革委牵头负责，各区县政府参与）                        …负责 / …参与 / …指导
    （生态环境部指导，供销合作总社参与） · （市财政局会同有关部门负责）  指导 and 会同 (SPEC v1.2)
    （负责部门：生态环境部；适用范围：重点区域）                      a second field is not a unit
    （市财政局、市发展改革委、市工业和信息化局）                    a bare list closing an item
"""
from __future__ import annotations

import re

# Every pattern here is compiled with the stdlib `re`: a call into `regex` costs about twice a
# call into `re` (it releases and takes the GIL on every call), and a note is read with a dozen
# small calls. SPACE is `regex`'s \s spelled out (stdlib \s also takes the separators
# \x1c-\x1f), and HAN is `regex`'s \p{Han} spelled out (the stdlib has no script classes), so each
# pattern matches what it matched under `regex` (tests/test_fast_paths_structure.py checks every
# code point against the installed `regex`; regenerate HAN from it if a Unicode update moves it).
SPACE_CHARS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPACE = "[" + SPACE_CHARS + "]"
# What str.isspace() (and so str.strip()) takes, as a class: SPACE_CHARS and the four separators
# \x1c-\x1f, which the stdlib's \s also takes (tests/test_fast_units.py checks every code point).
ISSPACE_CHARS = SPACE_CHARS + "\x1c-\x1f"


def class_members(body: str) -> str:
    """The characters a class body such as SPACE_CHARS names, each range written out (for
    str.strip, str.isdecimal and the like)."""
    return re.sub(r"(.)-(.)", lambda m: "".join(map(chr, range(ord(m[1]), ord(m[2]) + 1))), body, flags=re.S)

HAN = (
    r"[\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u3005\u3007\u3021-\u3029\u3038-\u303B\u3400-\u4DBF\u4E00-\u9FFF"
    r"\uF900-\uFA6D\uFA70-\uFAD9\U00016FE2-\U00016FE3\U00016FF0-\U00016FF6\U00020000-\U0002A6DF\U0002A700-\U0002B81E"
    r"\U0002B820-\U0002CEAD\U0002CEB0-\U0002EBE0\U0002EBF0-\U0002EE5D\U0002F800-\U0002FA1D\U00030000-\U0003134A"
    r"\U00031350-\U00033479]"
)

# A bracketed note, allowing one level of inner brackets: （各县（市、区）政府负责）
NOTE_RE = re.compile(
    r"\((?P<inner>(?:[^()\n]|\([^()\n]*\)){2,600})\)"
    r"|【(?P<inner2>[^【】\n]{2,600})】"      # 【责任单位：…】
)
# The same without inner brackets, as most notes are: its run of characters is one loop in the
# engine, where NOTE_RE steps through its alternation for every character. Where it matches,
# NOTE_RE matches the same span (the run stops at the first bracket or line end either way).
NOTE_PLAIN_RE = re.compile(r"\((?P<inner>[^()\n]{2,600})\)|【(?P<inner2>[^【】\n]{2,600})】")

# Labelled role markers followed by a colon -> role. Longest first.
LABEL_MARKERS: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "主责单位": "lead", "主责部门": "lead",
    "配合单位": "support", "配合部门": "support", "参与单位": "support", "参与部门": "support",
    "协办单位": "support", "协同单位": "support", "协助单位": "support", "配合": "support",
    "支撑单位": "support", "支撑部门": "support", "参加单位": "support", "支持单位": "support",
    "指导单位": "responsible", "指导部门": "responsible", "落实单位": "responsible", "主办部门": "responsible",
    "责任单位": "responsible", "责任部门": "responsible", "负责单位": "responsible", "负责部门": "responsible",
    "实施单位": "responsible", "承办单位": "responsible", "责任主体": "responsible", "主办单位": "responsible",
    # inside one department's own plan the roles fall to its divisions (处室)
    "牵头处室": "lead", "配合处室": "support", "责任处室": "responsible", "牵头处": "lead", "责任处": "responsible",
}
LABEL_MARKER_RE = re.compile(
    r"(?P<marker>" + "|".join(sorted(map(re.escape, LABEL_MARKERS), key=len, reverse=True)) + r")" + SPACE + r"*[:：]"
)
# A note line without brackets: 责任单位：市工业和信息化局、市科技局
BARE_LABEL_LINE_RE = re.compile(
    r"(?m)^[ \t\u3000]*(?P<inner>(?:" + "|".join(sorted(map(re.escape, LABEL_MARKERS), key=len, reverse=True))
    + r")" + SPACE + r"*[:：][^\n]{2,600}?)[。.]?[ \t\u3000]*$"
)
# The characters such a line can start with (a space before the label, or a label's first
# character): the other lines of a section are passed without a regex call.
BARE_LABEL_FIRST_CHARS = frozenset(" \t\u3000" + "".join(m[0] for m in LABEL_MARKERS))

# Role verbs closing a part of a note (…牵头，…配合) -> role. Longest first.
# `lead` only where the note says 牵头 (SPEC v1.2): 指导 and 主办 are responsible.
ROLE_VERBS: dict[str, str] = {
    "牵头负责": "lead", "牵头落实": "lead", "牵头实施": "lead", "牵头": "lead",
    "配合落实": "support", "配合": "support", "参与": "support", "协助": "support", "协同": "support",
    "支撑": "support", "协办": "support",
    "负责落实": "responsible", "负责实施": "responsible", "负责": "responsible", "落实": "responsible",
    "指导": "responsible", "主办": "responsible",
}
ROLE_VERB_RE = re.compile(
    r"(?P<verb>" + "|".join(sorted(map(re.escape, ROLE_VERBS), key=len, reverse=True)) + r")$"
)
# Any other field of a note, `名称：` after a separator (适用范围：… · 完成时限：…): it ends the role
# field before it. Role markers are tried first, so 负责部门： is never such a field.
FIELD_RE = re.compile(r"(?:^|[，,；;。" + SPACE_CHARS + r"])(?P<field>" + HAN + r"{2,6})" + SPACE + r"*[:：]")
# A remark inside a note (a part or name starting so), up to the end of its sentence or the note:
# 以下均由各市人民政府落实，不再列出 · 排在第一位的为牵头单位，下同 · 下同 · 注：…
REMARK_LEADS = ("以下", "以上", "下同", "上同", "不再", "排在", "排名", "排序", "注", "其中", "备注")
# 会同 joins names (市财政局会同市住房城乡建设委负责); 会同有关部门 is dropped like 等有关部门.
JOINTLY_GENERIC_RE = re.compile(r"会同(?:其他|其它|各)?(?:有关|相关)(?:部门|单位|方面)?")
JOINTLY = "会同"
# A clause `X由Y负责` is prose, not a list of names: （其中示范校由教育部门负责）. 自由 · 理由 are words.
BY_RE = re.compile(r"(?<![自理缘])由")
# A note whose neighbours on both sides are words sits inside running prose:
# 中转站的选址（由各区具体负责）应当符合规划要求
PROSE_BEFORE_CLOSERS = frozenset("。；;，,：:！!？?）)」』”\n")
PROSE_AFTER_CLOSERS = frozenset("。；;，,.、！!？?（(）)\n")

# Separators between the parts of a note: ， ； 。 (and ASCII).
PART_SEP_RE = re.compile(r"[，,；;。]")
# Separators between names inside a part (split only outside inner brackets).
NAME_SEPS = "、，,"

# A trailing 等 and a generic phrase after it: 省质监局等 · 市工业和信息化局等市直有关部门 · 市发展改革委等部门
TRAILING_ETC_RE = re.compile(r"等(?:[^、，,]{0,12}(?:有关|相关|其他|其它)[^、，,]{0,8}|部门|单位|方面)?$")
# Words that end the name of a government body or organization.
ORG_SUFFIXES = (
    "委员会", "办公室", "管委会", "政府", "机关", "中心", "集团", "公司", "协会", "银行", "海关", "分行", "中支",
    "营管部", "部门", "单位", "大学", "学校", "院校", "总队", "支队",
    "局", "厅", "委", "办", "部", "院", "会", "府", "行", "处", "室", "所", "署", "队", "馆", "社", "团",
    "站", "台", "司", "组", "关", "庭", "支", "科",
)
# Names that start like a body of government even without a suffix we know.
ORG_PREFIXES = ("各", "省", "市", "县", "区", "州", "国家", "中央", "自治区")
MIN_NAME_LEN = 2
MAX_NAME_LEN = 40

# Words between the names and the role verb that are not part of a name:
# 各区县政府按职责分工负责 · 市有关部门根据职责负责 · A、B共同负责
DUTY_WORDS = ("职责分工", "职责", "职能")
MANNER_WORDS = ("分别", "共同", "具体", "按要求")
DUTY_PHRASE_RE = re.compile(
    r"(?:按照?|根据|依据)?(?:各自)?(?:" + "|".join(DUTY_WORDS) + ")$|(?:" + "|".join(MANNER_WORDS) + ")$"
)
# The last characters of every role verb and duty phrase: a name ending otherwise has none
# (a cheap test before the two end-anchored substitutions, which scan the whole name).
ROLE_WORD_ENDS = frozenset(w[-1] for w in (*ROLE_VERBS, *DUTY_WORDS, *MANNER_WORDS))

# The common labelled note, read in one match: one or two fields `marker：names` (the second after
# ；), whose names hold nothing the labelled reader looks at a name for: no bracket (inner bracket,
# role tag （牵头）), 等 (but see _PLAIN_ETC), space or colon (nothing to strip), 。 or ；; separated by
# 、，, only; none starting like a remark (REMARK_LEADS' first characters) or ending like a role
# word (its last two characters are never those of a role verb, duty or manner word: those that
# are not one themselves are 实施 · 分工 · 要求, the ends of 负责实施 · 职责分工 · 按要求).
# extract/units.py adds `会同 not in the note`; _labelled reads such a note as its names split at
# the separators (tests/test_fast_units.py compares the two readings).
_PLAIN_NOT = ISSPACE_CHARS + r"()（）:：;；。等" + NAME_SEPS      # no character of a plain name (none strip() drops)
_ROLE_WORD_TAILS = sorted({w[-2:] for w in (*ROLE_VERBS, *DUTY_WORDS, *MANNER_WORDS)})
assert all(len(t) == 2 for t in _ROLE_WORD_TAILS), "a look-behind of the stdlib has one width"
_PLAIN_NAME = (   # a possessive run: a name ends only at a separator, the field's end or a ；
    r"[^" + _PLAIN_NOT + "".join(sorted({lead[0] for lead in REMARK_LEADS})) + r"][^" + _PLAIN_NOT + r"]*+"
    r"(?<!" + "|".join(_ROLE_WORD_TAILS) + r")"
)
_PLAIN_NAMES = r"[" + NAME_SEPS + r"]*(?:" + _PLAIN_NAME + r"(?:[" + NAME_SEPS + r"]+" + _PLAIN_NAME + r")*[" + NAME_SEPS + r"]*)?"
# A field's last name may close with 等 and a generic phrase, a case of TRAILING_ETC_RE (whose
# substitution then leaves the plain name): 省质监局等 · 市工业和信息化局等市直有关部门
_PLAIN_ETC = r"(?:等(?:部门|单位|方面|[^" + _PLAIN_NOT + r"]{0,12}(?:有关|相关|其他|其它)[^" + _PLAIN_NOT + r"]{0,8})?)?"
_MARKER_ALTERNATION = "|".join(sorted(map(re.escape, LABEL_MARKERS), key=len, reverse=True))   # as LABEL_MARKER_RE
PLAIN_LABELLED_RE = re.compile(
    r"(?P<marker>" + _MARKER_ALTERNATION + r")" + SPACE + r"*[:：](?P<names>" + _PLAIN_NAMES + r")" + _PLAIN_ETC
    + r"(?:[；;](?P<marker2>" + _MARKER_ALTERNATION + r")" + SPACE + r"*[:：](?P<names2>" + _PLAIN_NAMES + r")" + _PLAIN_ETC + r")?"
    r"[；;。]*"
)

# A bare list right before one of these closes its sentence and counts as a note, like one
# closing the item: 新建调蓄设施（市水务局、各区政府）。改造雨水管网（市水务局）。
SENTENCE_ENDS = ("。", "；", ";")

# A bare list is not a note when its first name starts like a gloss: （含工程技术研究中心） · （如…）
GLOSS_LEAD_RE = re.compile(r"^(?:含|包括|包含|如|即|指|不含|以下|简称|主要|例如|其中|除)")
MIN_BARE_NAME_LEN = 3

# A role written after a name inside a list: 责任单位：市发展改革委（牵头）、市财政局
NAME_ROLE_TAG_RE = re.compile(r"[(（](?P<verb>牵头|配合|参与|负责|协助)[)）]$")
