"""The note reader's one-match readings (issue #12: units) give what the straightforward reading
gives: PLAIN_LABELLED_RE against _labelled_fields (field by field, name by name), and find()'s
inline steps against parse_note's (_parse with a closure for the text after the note) and the
merge it replaced. Compared on random notes drawn from the pieces that matter to each rule (role
words, remarks, 等…, 会同, brackets, spaces, colons, separators), on the tests' note cases and on
every note of the seeds and dev documents."""
from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policyparse import normalize
from policyparse.extract import units as U
from policyparse.patterns import units as PU

REPO = Path(__file__).parents[1]
DOC_PATHS = [*sorted((REPO / "seeds").glob("*.txt")), *sorted(Path("/work/shared/dev/docs").glob("*.txt"))]
TEXTS = [normalize.drop_bom(p.read_text(encoding="utf-8")) for p in DOC_PATHS]

NAMES = ["市科技局", "省发展改革委", "各区县政府", "市委网信办", "市政府办公厅", "市口岸物流办", "济南高新区管委会",
         "国家统计局", "市工业和信息化局", "中心", "x", "1", "A"]
WORDS = ["负责", "牵头", "配合", "具体", "共同", "分别", "职责分工", "按职责", "按要求", "实施", "落实", "主办", "协办",
         "指导", "参与", "由", "自由", "以下", "以上", "下同", "注", "其中", "备注", "排在第一位的为牵头单位",
         "等", "等部门", "等单位", "等市直有关部门", "等有关单位", "等市直部门", "等x", "等部门单位", "等其他单位和个人", "会同", "会同有关部门", "(牵头)", "（配合）", "（市、区）"]
MARKERS = ["责任单位", "牵头单位", "配合单位", "负责部门", "牵头", "配合", "主办单位", "牵头处室", "适用范围", "完成时限"]
SEPS = ["、", "，", ",", "；", ";", "。", ":", "：", " ", "\u3000", "\t", "\x0b", "\x1c", "\n"]

PIECES = st.sampled_from(NAMES) | st.sampled_from(WORDS) | st.sampled_from(MARKERS) | st.sampled_from(SEPS)


def notes_like_the_plain_form():
    """marker：name、name…[；marker：name…] with pieces of every other kind mixed in."""
    names = st.tuples(st.lists(st.sampled_from(NAMES), max_size=4), st.none() | st.sampled_from(WORDS),
                      st.integers(0, 4), st.booleans())
    # plain names, one word of another kind at most, standing alone or run into a name
    names = names.map(lambda t: t[0] if t[1] is None else
                      t[0][:t[2]] + [t[1]] + t[0][t[2]:] if t[3] or not t[0] else
                      t[0][:t[2]] + [t[0][t[2]:t[2] + 1][0] + t[1] if t[0][t[2]:t[2] + 1] else t[1]] + t[0][t[2] + 1:])
    field = st.tuples(st.sampled_from(MARKERS), st.sampled_from(["：", ":", " ：", "\u3000:"]), names,
                      st.sampled_from(["、", "，", ",", "、、", "、，"]))
    def build(fields, tail):
        return "；".join(m + c + sep.join(names) for m, c, names, sep in fields) + tail
    return st.builds(build, st.lists(field, min_size=1, max_size=3), st.sampled_from(["", "。", "；", "；。", "等"]))


@settings(max_examples=1500, deadline=None)
@given(notes_like_the_plain_form() | st.lists(PIECES, min_size=1, max_size=20).map("".join))
def test_plain_labelled_note_reads_as_field_by_field(inner):
    if ":" not in inner and "：" not in inner:
        return
    assert U._labelled(inner) == U._labelled_fields(inner)


def _all_inners():
    for text in TEXTS:
        folded = normalize.fold(text)
        for m in PU.NOTE_RE.finditer(folded):
            g = "inner" if m.group("inner") is not None else "inner2"
            yield text[m.start(g):m.end(g)]
        for m in PU.BARE_LABEL_LINE_RE.finditer(folded):
            yield text[m.start("inner"):m.end("inner")]
    for case in yaml.safe_load((REPO / "tests/cases/units.yaml").read_text(encoding="utf-8")) or []:
        for value in (case.values() if isinstance(case, dict) else []):
            if isinstance(value, str):
                yield from (value[i + 1:j] for i, j in _bracket_pairs(value))


def _bracket_pairs(text):
    for i, c in enumerate(text):
        if c in "(（【":
            j = min((k for k in (text.find(")", i), text.find("）", i), text.find("】", i)) if k > i), default=-1)
            if j > 0:
                yield i, j


def test_plain_labelled_notes_of_the_documents_read_as_field_by_field():
    inners = [i for i in _all_inners() if ":" in i or "：" in i]
    plain = [i for i in inners if PU.PLAIN_LABELLED_RE.fullmatch(i)]
    assert len(plain) >= 20 and len(plain) < len(inners)   # both readings are exercised
    for inner in inners:
        assert U._labelled(inner) == U._labelled_fields(inner), inner


def test_plain_labelled_examples():
    assert PU.PLAIN_LABELLED_RE.fullmatch("责任单位：市科技局、市委网信办、省质监局等市直有关部门")
    assert U._labelled("牵头单位：省科技厅；配合单位：省财政厅、省国资委等。") == {
        "lead": ["省科技厅"], "support": ["省财政厅", "省国资委"], "responsible": []}
    for other in ["责任单位：各区县政府按职责分工负责", "责任单位：市科技局（牵头）、市财政局", "责任单位：市科技局。下同",
                  "牵头单位：市财政局会同市科技局", "责任单位：市科技局 、市财政局", "责任单位：以下各项由市科技局落实"]:
        assert not (PU.PLAIN_LABELLED_RE.fullmatch(other) and "会同" not in other), other
        assert U._labelled(other) == U._labelled_fields(other), other


# ---- _role_verbs: the verb looked up by the part's end, not searched ----------------------------

def role_verbs_by_search(inner):
    """_role_verbs as it read before: ROLE_VERB_RE.search on each part."""
    if U._ANY_ROLE_VERB_RE.search(inner) is None:
        return None
    roles = {"lead": [], "support": [], "responsible": []}
    pending, found = [], False
    for part in U._note_parts(inner):
        m = PU.ROLE_VERB_RE.search(part)
        if m is None:
            pending.extend(U.split_names(part))
            continue
        who = part[: m.start()]
        by = PU.BY_RE.search(who)
        if by is not None:
            if who[: by.start()].strip():
                return None
            who = who[by.end():]
        names = pending + U.split_names(U._drop_role_words(who))
        pending = []
        if names:
            roles[PU.ROLE_VERBS[m.group("verb")]].extend(names)
            found = True
    if not found or (pending and any(map(U.is_org_name, pending))):
        return None
    return roles if any(U.is_org_name(n) for r in U.ROLES for n in roles[r]) else None


VERB_PIECES = PIECES | st.sampled_from(["牵头负责", "牵头落实", "负责落实", "负责实施", "配合落实", "头", "责", "实施", "落", "施"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(VERB_PIECES, min_size=1, max_size=14).map("".join))
def test_role_verbs_by_the_part_end_read_as_by_search(inner):
    assert U._role_verbs(inner) == role_verbs_by_search(inner)


def test_role_verbs_of_the_documents_read_as_by_search():
    inners = list(_all_inners())
    assert sum(U._role_verbs(i) is not None for i in inners) >= 20
    for inner in inners:
        assert U._role_verbs(inner) == role_verbs_by_search(inner), inner


# ---- find(): the inline steps against parse_note's -------------------------------------------

def _in_prose(folded: str, start: int, end: int) -> bool:
    """Words run into the note on both sides (find() tests it inline)."""
    before = folded[start - 1] if start > 0 else "\n"
    after = folded[end] if end < len(folded) else "\n"
    return before not in PU.PROSE_BEFORE_CLOSERS and after not in PU.PROSE_AFTER_CLOSERS


def find_by_parse_note(folded, source, start, stop):
    """find() as it read each note before (issue #12): _parse with a closure, a copied merge."""
    if stop <= start:
        return None
    sec = folded[start:stop]
    paren, colon = "(" in sec, ":" in sec or "：" in sec
    if not (paren or colon):
        return None
    hits = U._notes(sec, start) if paren or "【" in sec else []
    if colon:
        hits += [(start + m.start("inner"), start + m.end("inner"), start + m.start("inner"), start + m.end("inner"))
                 for m in PU.BARE_LABEL_LINE_RE.finditer(sec)]
        hits.sort()
    roles, quotes, last_span = None, [], None
    for s, e, i_s, i_e in hits:
        inner = source[i_s:i_e]
        labelled = U._labelled_fields(inner) if ":" in inner or "：" in inner else None
        if labelled is None and _in_prose(folded, s, e):
            continue
        parsed = U._parse(inner, labelled, lambda: U._is_closing(folded, e, stop), folded[e:e + 1] in PU.SENTENCE_ENDS)
        if parsed is None:
            continue
        if roles is None:
            roles = {r: list(dict.fromkeys(parsed[r])) for r in U.ROLES}
        else:
            for r in U.ROLES:
                for name in parsed[r]:
                    if name not in roles[r]:
                        roles[r].append(name)
        quotes.append(source[s:e])
        last_span = (s, e)
    if not quotes:
        return None
    return {**roles, "quote": " ".join(quotes), "span": last_span}


def _same(a, b):
    assert a == b
    if a is not None:
        assert list(a) == list(b)   # the fields in the model's order


def test_find_on_every_section_of_the_documents(monkeypatch):
    """Each section the pipeline hands find(), read both ways."""
    from policyparse import pipeline
    real, found = U.find, []

    def both(folded, source, start, stop):
        got = real(folded, source, start, stop)
        _same(got, find_by_parse_note(folded, source, start, stop))
        found.append(got is not None)
        return got

    monkeypatch.setattr(pipeline.units_ex, "find", both)
    for text in TEXTS:
        pipeline.parse_record(text)
    assert sum(found) >= 50 and len(found) > 2 * sum(found)


SECTION_PIECES = PIECES | st.sampled_from(["(", ")", "（", "）", "【", "】", "(责任单位：市科技局、市财政局)",
                                           "(省科技厅牵头，省财政厅配合)", "(责任单位：市科技局、市财政局、市科技局)", "(市科技局、市科技局)", "(市水务局、各区政府)", "(PBS)", "(含x)"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(SECTION_PIECES, max_size=25).map("".join), st.integers(0, 30), st.integers(0, 400))
def test_find_on_random_sections(text, a, b):
    folded = normalize.fold(text)
    start, stop = min(a, len(text)), min(b, len(text))
    _same(U.find(folded, text, start, stop), find_by_parse_note(folded, text, start, stop))


def test_isspace_chars_are_what_str_isspace_takes():
    """PLAIN_LABELLED_RE keeps out of a plain name every character str.strip() would drop."""
    import re as std_re
    from policyparse.patterns.units import ISSPACE_CHARS

    every = "".join(map(chr, range(0x110000)))
    assert std_re.findall(f"[{ISSPACE_CHARS}]", every) == [c for c in every if c.isspace()] == std_re.findall(r"\s", every)
