"""The target reader's shortcuts answer what the plain way answers (issue #12: speed, same output).

Each fast path of extract/targets.py is compared with the straightforward version it replaced,
on random text drawn from the characters that matter to it and on the seeds.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import targets as T
from policyparse.patterns import exclusions as X

REPO = Path(__file__).parents[1]
SEED_TEXTS = [normalize.fold(p.read_text(encoding="utf-8")) for p in sorted((REPO / "seeds").glob("*.txt"))]

SENTENCE_WORD_PATTERNS = [
    X.PENALTY_SENTENCE_RE, X.INVENTORY_SENTENCE_RE, X.PROHIBITION_RE, X.RULE_SHARE_RE, X.PER_ITEM_RE,
    X.PRICE_WORDS_RE, X.APPLICANT_RE, X.REQUIREMENT_RE, X.GOAL_WORDS_RE,
]

# Pieces of the sentence-wide words (whole, cut and overlapping), delimiters and digits.
WORD_PIECES = [
    "罚款", "处以", "责令", "房源", "一房一厅", "三室两厅", "两房", "室", "厅", "共计", "禁止", "严禁", "不准",
    "原则上", "一般不", "不得", "不宜", "每栋", "单体建筑", "单个项目", "单台", "单", "价", "单价", "租金", "收费",
    "申请人", "申请家庭", "申报企业", "参评", "应当", "必须", "须", "只能", "方可", "到2025", "达到2025", "到",
    "力争", "目标", "确保", "争取", "2", "0", "，", "。", "；", "\n", ",", "1,000", "的", "企业", "年",
]
WORD_TEXT = st.lists(st.sampled_from(WORD_PIECES), max_size=40).map("".join)


def _whole_text_between(pattern, text: str):
    """The way before: every start of one finditer over the whole text, looked up by bisection."""
    starts = [m.start() for m in re.compile(pattern.pattern).finditer(text)]

    def between(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, start)
        return i < len(starts) and starts[i] < end
    return between


def _check_marks(text: str) -> None:
    sentences = sorted({T._Bounds(text, T.SENTENCE_DELIMS).around(pos) for pos in range(len(text))})
    words = T._SentenceWords(text)
    for start, end in sentences:   # quiet: none of the words but goal's in the sentence
        gated = [pattern for pattern in SENTENCE_WORD_PATTERNS if pattern is not X.GOAL_WORDS_RE]
        assert words.quiet(start, end) == (not any(_whole_text_between(p, text)(start, end) for p in gated))
    for chars in (T.SENTENCE_DELIMS, T.CLAUSE_DELIMS):
        spans = sorted({T._Bounds(text, chars).around(pos) for pos in range(len(text))})
        for pattern in SENTENCE_WORD_PATTERNS:
            plain, marks = _whole_text_between(pattern, text), T._Marks(pattern, text)
            for start, span_end in spans:
                for end in range(start, span_end + 1):
                    assert marks.between(start, end, span_end) == plain(start, end), (pattern.pattern, start, end)


@settings(max_examples=300, deadline=None)
@given(WORD_TEXT)
def test_marks_per_sentence_answer_what_one_scan_of_the_text_answers(text):
    _check_marks(text)


def test_marks_on_seeds():
    for text in SEED_TEXTS:
        spans = sorted({T._Bounds(text, T.SENTENCE_DELIMS).around(m.start()) for m in re.finditer(r"\d", text)})
        for pattern in SENTENCE_WORD_PATTERNS:
            plain, marks = _whole_text_between(pattern, text), T._Marks(pattern, text)
            for start, span_end in spans:
                assert marks.between(start, span_end, span_end) == plain(start, span_end)


def test_sentence_words_are_no_longer_than_the_search_runs_past_a_sentence():
    for pattern in SENTENCE_WORD_PATTERNS:
        assert re._parser.parse(pattern.pattern).getwidth()[1] <= X.SENTENCE_WORD_MAX, pattern.pattern


def _characters(parsed) -> set[str]:
    """Every character a parsed pattern can match (literals, sets, and digits for \\d)."""
    from re import _constants as C
    chars: set[str] = set()
    for op, av in parsed:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.IN:
            for kind, value in av:
                if kind is C.LITERAL:
                    chars.add(chr(value))
                elif kind is C.CATEGORY:
                    assert value is C.CATEGORY_DIGIT
                    chars.update("0123456789")
                else:
                    raise AssertionError(f"unexpected set item {kind}")
        elif op is C.BRANCH:
            for branch in av[1]:
                chars |= _characters(branch)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            chars |= _characters(av[2])
        elif op is C.SUBPATTERN:
            chars |= _characters(av[-1])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            continue   # a look-around consumes nothing
        else:
            raise AssertionError(f"unexpected item {op}")
    return chars


def test_no_sentence_word_contains_a_delimiter():
    """Why a word never stands across a sentence's or clause's start. (A heading label's end
    also starts one: labels end in 章节条篇、.) or a digit, and no word starts with a piece of a
    label that ends so.)"""
    for pattern in SENTENCE_WORD_PATTERNS:
        chars = _characters(re._parser.parse(pattern.pattern))
        assert not chars & set("，。；;：:！!？?\n,"), pattern.pattern


# Pieces of years (Arabic, Chinese, relative), spaces of every kind, and what stands around them.
YEAR_PIECES = [
    "2025", "2015", "1998", "20", "19", "5", "0", "二〇二五", "二零二五", "一九九八", "二○二", "二〇", "五", "一", "年",
    "年底", "年末", "前", "今年", "本年度", "本年", "明年", "去年", "每", " ", "\u3000", "\t", "\u00a0", "\n", "\x1c",
    "-", "~", "到", "至", "比", "的", "目标", "٢", "٠", "２",
]
YEAR_TEXT = st.lists(st.sampled_from(YEAR_PIECES), max_size=40).map("".join)


def _check_years(text: str) -> None:
    from policyparse.extract import years as Y
    from policyparse.patterns import targets as PT
    nian = [k for k, c in enumerate(text) if c == PT.YEAR_CHAR]
    assert [m.span() for m in Y._year_matches(text, nian)] == [m.span() for m in PT.YEAR_RE.finditer(text)]
    assert [m.span() for m in Y._relative_year_matches(text, nian)] == \
        [m.span() for m in PT.RELATIVE_YEAR_RE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(YEAR_TEXT)
def test_years_matched_at_each_nian_are_what_finditer_finds(text):
    _check_years(text)


def test_years_on_seeds_and_spaced_forms():
    for text in SEED_TEXTS + ["2025\u3000年", "到2025 \t年底", "二〇二五\u00a0年", "2025\x1c年", "今年\n2025\n年"]:
        _check_years(text)


def _all_ways(pattern, text: str) -> list:
    """What a pattern answers on a text: finditer's spans and groups, match and search at each offset."""
    return [[(m.span(), m.groupdict()) for m in pattern.finditer(text)],
            [(m.span(), m.groups()) if m else None for m in (pattern.match(text, k) for k in range(len(text) + 1))],
            [m.span() if m else None for m in (pattern.search(text, k) for k in range(len(text) + 1))]]


YEAR_WORD_PIECES = YEAR_PIECES + ["较", "与", "同", "相对于", "相比", "对比", "截至", "截止到", "力争到", "争取到", "确保到", "于",
                                  "基础上", "基础", "比较", "水平", "同期", "以来", "起", "开始", "至今", "—", "十四五", "“十三五”",
                                  "期间", "时期", "规划期", "期末", "以前"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(YEAR_WORD_PIECES), max_size=12).map("".join))
def test_stdlib_year_twins_answer_what_the_regex_patterns_answer(text):
    from policyparse.patterns import targets as PT
    for name, (original, twin) in PT.YEAR_TWINS.items():
        assert _all_ways(twin, text) == _all_ways(original, text), name


def test_stdlib_year_twins_on_every_space_and_digit_the_engines_read_differently():
    """The characters where the stdlib's own \\s and \\d differ from `regex`'s (\\x1c-\\x1f; the
    digits of newer Unicode), in years, lead-ins and ranges: the twins must follow `regex`."""
    import regex

    from policyparse.patterns import targets as PT
    odd = [chr(c) for c in range(0x110000) if bool(re.match(r"[\s\d]", chr(c))) != bool(regex.match(r"[\s\d]", chr(c)))]
    assert "\x1c" in odd
    for c in odd + [" ", "\u3000", "5", "٣"]:
        for text in (f"到20{c}{c}年底", f"2025{c}年", f"比{c}2010{c}年", f"2010年至{c}2015", f"到{c}2015年", f"至20{c}5年前",
                     f"力争到{c}", f"较{c}{c}", f"{c}年", f"2019年到{c}{c}{c}{c}", f"十四五{c}期间"):
            for name, (original, twin) in PT.YEAR_TWINS.items():
                assert _all_ways(twin, text) == _all_ways(original, text), (name, text)


def test_book_titles_on_the_stdlib_engine():
    import regex

    from policyparse.extract import years as Y
    before = regex.compile(Y.BOOK_TITLE_RE.pattern)
    for text in SEED_TEXTS + ["《a《b》c》", "《\n》《》", "《规划（2011-2015年）》《", "》《x》"]:
        assert _all_ways(Y.BOOK_TITLE_RE, text[:3000]) == _all_ways(before, text[:3000])
        assert Y._book_title_spans(text) == [m.span() for m in before.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["《", "》", "\n", "规划", "（2011-2015年）", "a"]), max_size=12).map("".join))
def test_book_titles_found_at_each_bracket_are_what_finditer_finds(text):
    import regex

    from policyparse.extract import years as Y
    assert Y._book_title_spans(text) == [m.span() for m in regex.finditer(Y.BOOK_TITLE_RE.pattern, text)]


def test_stdlib_year_twins_on_seeds():
    from policyparse.patterns import targets as PT
    for text in SEED_TEXTS:
        for k in range(0, len(text), 97):
            piece = text[k:k + 40]
            for name, (original, twin) in PT.YEAR_TWINS.items():
                assert _all_ways(twin, piece) == _all_ways(original, piece), name


PERIOD_PIECES = ["十", "五", "四", "二", "九", "十四五", "十五五", "“", "”", '"', "'", "期间", "末", "以来", "一", "，", "规划"]
PERIOD_TEXT = st.lists(st.sampled_from(PERIOD_PIECES), max_size=20).map("".join)


def _check_periods(text: str) -> None:
    from policyparse.extract import years as Y
    from policyparse.patterns import targets as PT
    found = [(m.span(), m.groupdict()) for m in Y._period_matches(text)]
    assert found == [(m.span(), m.groupdict()) for m in PT.PERIOD_RE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(PERIOD_TEXT)
def test_periods_matched_at_each_shi_are_what_finditer_finds(text):
    _check_periods(text)


def test_periods_on_seeds_and_quoted_forms():
    for text in SEED_TEXTS + ["“十四五”“十五五”期间", "十二五'十三五'", '"十四五十五五"末']:
        _check_periods(text)


def test_no_space_lies_above_u3000():
    """Why extract/years.py tests only characters up to U+3000 with SPACE_RE."""
    from policyparse.patterns import targets as PT
    assert not [c for c in map(chr, range(0x3001, 0x110000)) if PT.SPACE_RE.match(c)]


def test_every_relative_year_holds_the_year_character():
    from policyparse.patterns import targets as PT
    assert all(PT.YEAR_CHAR in w for w in PT.RELATIVE_YEARS)


def _gated_patterns():
    from policyparse.extract import years as Y
    from policyparse.patterns import targets as PT
    return [(X.ANY_AFTER_RE, T.ANY_AFTER_FIRST), (PT.AFTER_MODIFIER_RE, T.AFTER_MODIFIER_FIRST),
            (PT.BASELINE_AFTER_RE, Y.BASELINE_AFTER_FIRST),
            (PT.START_AFTER_RE, Y.START_AFTER_FIRST), (PT.SINCE_AFTER_RE, Y.SINCE_AFTER_FIRST)]


# Pieces of what follows a number or a year: the rules' words, cut, and other text.
AFTER_PIECES = [
    "以上", "以下", "及以上", "及以下", "以内", "的", "号", "级", "系列", "型", "届", "代", "版", "次会议", "类产品",
    "多", "余", "左右", "个", "月", "工作日", "小时", "年", "周", "星期", "季度", "以下的", "以下规模", "给予", "予以",
    "进行", "奖励", "补助", "的比例", "门", "委", "部门", "部委", "委办局", "基础上", "基础", "相比", "比较", "水平",
    "同期", "起", "开始", "以来", "至今", "上下", "到", "至", "2025", "-", "~", "—", "企业", "，", "。", " ", "\n", "a",
]
AFTER_TEXT = st.lists(st.sampled_from(AFTER_PIECES), max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(AFTER_TEXT)
def test_first_character_gates_never_skip_a_match(text):
    for pattern, gate in _gated_patterns():
        if pattern.match(text):
            assert text[:1] in gate, (pattern.pattern, text)


def test_first_character_gates_are_read_and_narrow():
    """Each gate is a real set (not 'any character'), so the shortcut does skip work."""
    for pattern, gate in _gated_patterns():
        assert isinstance(gate, frozenset) and 0 < len(gate) < 60, pattern.pattern


def test_first_chars_reads_alternatives_repeats_and_look_arounds():
    from policyparse.extract.anchors import first_chars
    assert first_chars(r"^(?:多|余)?(?:以上)?月") == frozenset("多余以月")
    assert first_chars(r"(?<!达)到\d{4}|力争") == frozenset("到力")
    assert first_chars(r"[一二]房|x") == frozenset("一二房x") - {"房"}
    assert first_chars(r"a?") is None            # may match nothing
    assert first_chars(r"\d+") is None           # a category: not read
    assert first_chars(r"(?i)a") is None         # case folding
    assert first_chars(r"\p{Han}") is None       # only the regex module reads it


# ---- years.mentions reads each match's groups with one groups() call -----------------------------

def test_year_and_period_groups_are_in_the_order_mentions_reads_them():
    from policyparse.extract import years as Y
    assert Y.YEAR_RE.groupindex == {"year": 1, "cnyear": 2, "suffix": 3}
    assert Y.PERIOD_RE.groupindex == {"n": 1, "suffix": 2}


def _mentions_by_name(folded: str, doc_year=None, headings=()):
    """years.mentions as it read every match, group by group by name (the reference)."""
    from policyparse.extract import years as Y
    from policyparse.extract.anchors import word_starts
    out = []
    nian = word_starts(folded, ("年",))
    if doc_year is not None:
        for m in Y._relative_year_matches(folded, nian):
            out.append(Y.YearMention(m.start(), m.end(), doc_year + Y.RELATIVE_YEARS[m.group(0)], "due", explicit_due=True))
    books = Y._book_title_spans(folded) if "《" in folded else []
    for m in Y._year_matches(folded, nian):
        if books and Y._inside(books, m.start()):
            continue
        year = int(m.group("year")) if m.group("year") else Y.cn_to_int(m.group("cnyear").replace("○", "〇"))
        before, after = folded[max(0, m.start() - 6):m.start()], folded[m.end():m.end() + 6]
        if Y.BASELINE_AFTER_RE.match(after):
            out.append(Y.YearMention(m.start(), m.end(), year, "baseline", lead_in=True))
        elif Y.BASELINE_BEFORE_RE.search(before):
            out.append(Y.YearMention(m.start(), m.end(), year, "baseline"))
        elif Y.START_AFTER_RE.match(after) and not m.group("suffix"):
            out.append(Y.YearMention(m.start(), m.end(), year, "start", explicit_due=True))
        elif Y.SINCE_AFTER_RE.match(after) and not m.group("suffix"):
            out.append(Y.YearMention(m.start(), m.end(), year, "since"))
        else:
            explicit = bool(Y.DUE_BEFORE_RE.search(before) or m.group("suffix"))
            out.append(Y.YearMention(m.start(), m.end(), year, "due", explicit_due=explicit))
    for m in Y._period_matches(folded):
        if books and Y._inside(books, m.start()):
            continue
        first = Y.PERIOD_FIRST_YEAR[m.group("n")]
        before, suffix = folded[max(0, m.start() - 6):m.start()], m.group("suffix") or ""
        if Y.BASELINE_BEFORE_RE.search(before):
            out.append(Y.YearMention(m.start(), m.end(), first + 4, "baseline", period=(first, first + 4)))
        elif suffix in ("期间", "时期", "末", "期末", "规划期") or (headings and Y._inside(headings, m.start())):
            out.append(Y.YearMention(m.start(), m.end(), first + 4, "period", explicit_due=True, period=(first, first + 4)))
    out.sort(key=lambda y: y.start)
    return out


MENTION_PIECES = YEAR_WORD_PIECES + PERIOD_PIECES + ["《", "》", "规划（2011-2015年）"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(MENTION_PIECES), max_size=16).map("".join), st.sampled_from([None, 2024]))
def test_mentions_are_what_the_reading_by_name_gives(text, doc_year):
    from policyparse.extract import years as Y
    headings = [(0, len(text) // 2)]
    assert Y.mentions(text, doc_year, headings) == _mentions_by_name(text, doc_year, headings)
    assert Y.mentions(text) == _mentions_by_name(text)


def test_mentions_on_seeds():
    from policyparse.extract import years as Y
    for text in SEED_TEXTS:
        headings = [(k, k + 40) for k in range(0, len(text), 400)]
        assert Y.mentions(text, 2023, headings) == _mentions_by_name(text, 2023, headings)


# ---- numbers inside cited titles and short quotations --------------------------------------------

QUOTE_PIECES = ["“", "”", "《", "》", "\n", "4个1", "规划", "5部门", "a", "10条措施", "“" + "字" * 11, "《" + "文" * 119]
QUOTE_TEXT = st.lists(st.sampled_from(QUOTE_PIECES), max_size=16).map("".join)


def _inside_before(spans, q) -> bool:
    """The way before: a bisect of the spans for each number."""
    i = bisect.bisect_right(spans, (q.start, q.start)) - 1
    return i >= 0 and spans[i][0] < q.start and q.end < spans[i][1]


def _check_enclosed(text: str) -> None:
    import regex
    quotes = [m.span() for m in regex.finditer(r"“[^”\n]{1,%d}”" % X.QUOTED_NAME_MAX, text)]
    titles = [m.span() for m in regex.finditer(r"《[^《》\n]{1,%d}》" % X.CITED_TITLE_MAX, text)]
    assert T._quote_spans(text) == quotes and T._title_spans(text) == titles
    # every span of the text as a number (disjoint, sorted: as _candidates gives them), in a few tilings
    for width in (1, 2, 3):
        cands = [T.Quantity(s, min(s + width, len(text)), 1.0, None, "个", "quantity") for s in range(0, len(text), width)]
        enclosed = T._enclosed(cands, titles, quotes)
        for q in cands:
            want = "cited_title" if _inside_before(titles, q) else "quoted_name" if _inside_before(quotes, q) else None
            assert enclosed.get(q.start) == want, (text, q.start, q.end)


@settings(max_examples=300, deadline=None)
@given(QUOTE_TEXT)
def test_enclosed_numbers_are_those_inside_the_spans_finditer_finds(text):
    _check_enclosed(text)


def test_enclosed_numbers_on_seeds():
    for text in SEED_TEXTS:
        _check_enclosed(text[:4000])
    assert any("“" in text[:4000] for text in SEED_TEXTS) and any("《" in text[:4000] for text in SEED_TEXTS)
