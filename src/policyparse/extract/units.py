"""Responsibility notes -> Units, attached to the section whose own text they close."""
from __future__ import annotations

import re

from ..segment import split_outside_brackets
from ..patterns.units import (
    BARE_LABEL_FIRST_CHARS, BARE_LABEL_LINE_RE, BY_RE, DUTY_PHRASE_RE, FIELD_RE, GLOSS_LEAD_RE, HAN, JOINTLY, JOINTLY_GENERIC_RE,
    LABEL_MARKER_RE, MIN_BARE_NAME_LEN, LABEL_MARKERS, MAX_NAME_LEN, MIN_NAME_LEN, NAME_SEPS, NOTE_PLAIN_RE, NOTE_RE, NAME_ROLE_TAG_RE, PLAIN_LABELLED_RE,
    ORG_PREFIXES, ORG_SUFFIXES, PART_SEP_RE, PROSE_AFTER_CLOSERS, PROSE_BEFORE_CLOSERS, REMARK_LEADS, SENTENCE_ENDS,
    ROLE_VERB_RE, ROLE_VERBS, ROLE_WORD_ENDS, TRAILING_ETC_RE,
)

ROLES = ("lead", "support", "responsible")
NAME_SPLIT_RE = re.compile("[" + NAME_SEPS + "]")   # stdlib re, as in patterns/units.py
# The other separators of NAME_SEPS, turned into its first before one str.split: the pieces a
# split on NAME_SPLIT_RE gives (tests/test_fast_paths_structure.py compares the two).
_FIRST_SEP, _OTHER_SEPS = NAME_SEPS[0], NAME_SEPS[1:]
assert len(_OTHER_SEPS) == 2, "split_names turns two other separators into the first"


def _one_sep(part: str) -> str:
    """`part` with the other separators of NAME_SEPS turned into its first."""
    return part.replace(_OTHER_SEPS[0], _FIRST_SEP).replace(_OTHER_SEPS[1], _FIRST_SEP)


def split_names(part: str) -> list[str]:
    """Split on 、 and ， outside inner brackets; drop a trailing 等 / 等有关部门; 会同 joins two
    names and 会同有关部门 is dropped (SPEC v1.2)."""
    if JOINTLY in part:
        part = JOINTLY_GENERIC_RE.sub("", part).replace(JOINTLY, "、")
    if "(" not in part and "（" not in part:  # the common case: no inner brackets
        # (_one_sep's replacements written out: split_names runs for every part of a note)
        names = part.replace(_OTHER_SEPS[0], _FIRST_SEP).replace(_OTHER_SEPS[1], _FIRST_SEP).split(_FIRST_SEP)
    else:
        names = split_outside_brackets(part, NAME_SEPS)
    etc = "等" in part   # each name is a piece of the part
    out = []
    for name in names:
        name = name.strip(" \t\u3000：:")
        if etc and "等" in name:
            name = TRAILING_ETC_RE.sub("", name)
        name = name.strip()
        if name:
            out.append(name)
    return out


# ORG_SUFFIXES by their last character: a name is tried only against the suffixes it can end with
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _suffix in ORG_SUFFIXES:
    _SUFFIXES_BY_LAST[_suffix[-1]] = (*_SUFFIXES_BY_LAST.get(_suffix[-1], ()), _suffix)
del _suffix


def is_org_name(name: str) -> bool:
    if not (MIN_NAME_LEN <= len(name) <= MAX_NAME_LEN):
        return False
    # a name of letters only (most are) holds no digit: no character is both (tested)
    if not name.isalpha() and any(map(str.isdigit, name)):
        return False
    return name.endswith(_SUFFIXES_BY_LAST.get(name[-1], ())) or (name.startswith(ORG_PREFIXES) and len(name) >= 3)


def _drop_role_words(name: str) -> str:
    """各区县政府按职责分工负责 -> 各区县政府 (inside a labelled note the role is already known)."""
    for _ in range(2):
        if not name or name[-1] not in ROLE_WORD_ENDS:
            break
        name = ROLE_VERB_RE.sub("", name)
        name = DUTY_PHRASE_RE.sub("", name)
    return name.strip()


def _labelled(inner: str) -> dict[str, list[str]] | None:
    if "：" not in inner and ":" not in inner:
        return None  # every label marker is followed by a colon
    return _labelled_with_colon(inner)


def _labelled_with_colon(inner: str) -> dict[str, list[str]] | None:
    """_labelled of a note known to hold a colon (find() has looked)."""
    plain = PLAIN_LABELLED_RE.fullmatch(inner) if JOINTLY not in inner else None
    if plain is not None:   # one or two fields of plain names: what the loop below reads from them
        roles = {"lead": [], "support": [], "responsible": []}   # ROLES
        roles[LABEL_MARKERS[plain["marker"]]] += filter(None, _one_sep(plain["names"]).split(_FIRST_SEP))
        if plain["marker2"] is not None:
            roles[LABEL_MARKERS[plain["marker2"]]] += filter(None, _one_sep(plain["names2"]).split(_FIRST_SEP))
        return roles
    return _labelled_fields(inner)


def _labelled_fields(inner: str) -> dict[str, list[str]] | None:
    """_labelled read field by field and name by name (the straightforward reading)."""
    marks = list(LABEL_MARKER_RE.finditer(inner))
    if not marks:
        return None
    # other fields (适用范围：…) end the role field before them
    fields = _other_fields(inner, marks)
    roles: dict[str, list[str]] = {"lead": [], "support": [], "responsible": []}   # ROLES
    last = len(marks) - 1
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i < last else len(inner)
        if fields:
            stop = min([f for f in fields if m.end() <= f < stop], default=stop)
        # a sentence after 。 inside a field is a remark (排在第一位的为牵头单位，下同)
        chunk = inner[m.end(): stop].strip(" ；;。，,").partition("。")[0]
        role = LABEL_MARKERS[m[1]]   # the marker
        for name in split_names(chunk.replace("；", "、").replace(";", "、")):
            if name[0] in _REMARK_FIRST and name.startswith(REMARK_LEADS):
                break   # the names before the first remark (以下… · 排在第一位的… · 下同)
            name_role = role
            # 市发展改革委（牵头）: the name carries its role (a split name is stripped, so the
            # tag's closing bracket is its last character)
            tagged = NAME_ROLE_TAG_RE.search(name) if name[-1] in ")）" else None
            if tagged:
                name, name_role = name[: tagged.start()], ROLE_VERBS[tagged.group("verb")]
                name = _drop_role_words(name)
            elif name[-1] in ROLE_WORD_ENDS:
                name = _drop_role_words(name)
            # else: _drop_role_words would give the (stripped) name back
            if name:
                roles[name_role].append(name)
    return roles


_HAN_CHAR_RE = re.compile(HAN)
# The first characters of REMARK_LEADS: a name starting otherwise is no remark.
_REMARK_FIRST = frozenset(lead[0] for lead in REMARK_LEADS)


def _other_fields(inner: str, marks: list) -> list[int]:
    """Where FIELD_RE's fields that are not role markers start; none when every colon ends a
    marker and no marker follows a Han character: a field ends at a colon, and one ending at a
    marker's colon starts where the marker does, or earlier only across Han characters (a marker
    is Han throughout, a field is preceded by a separator). tests/test_fast_paths_structure.py
    compares the shortcut with the scan."""
    if inner.count(":") + inner.count("：") == len(marks) and not any(
            m.start() and _HAN_CHAR_RE.match(inner, m.start() - 1) for m in marks):
        return []
    marker_starts = {m.start() for m in marks}
    return [f.start("field") for f in FIELD_RE.finditer(inner) if f.start("field") not in marker_starts]


def _note_parts(inner: str) -> list[str]:
    """The parts of a verb note, up to a remark: （A指导，B负责落实。以下均由B落实，不再列出） ->
    ['A指导', 'B负责落实']."""
    parts = []
    for part in PART_SEP_RE.split(inner):
        part = part.strip()
        if part and part[0] in _REMARK_FIRST and part.startswith(REMARK_LEADS):
            break
        if part:
            parts.append(part)
    return parts


# The role verbs that contain no shorter one: a note without any of them has no role verb.
_SHORTEST_ROLE_VERBS = tuple(v for v in ROLE_VERBS if not any(w != v and w in v for w in ROLE_VERBS))
# ... looked for in one call (literals: the engine jumps between their first characters)
_ANY_ROLE_VERB_RE = re.compile("|".join(map(re.escape, _SHORTEST_ROLE_VERBS)))
# The last characters of the role verbs: a part ending otherwise has none at its end.
_ROLE_VERB_ENDS = frozenset(v[-1] for v in ROLE_VERBS)
assert {len(v) for v in ROLE_VERBS} <= {2, 4}, "_role_verbs looks a verb up by a part's last 4 and 2 characters"


def _role_verbs(inner: str) -> dict[str, list[str]] | None:
    if _ANY_ROLE_VERB_RE.search(inner) is None:
        return None
    roles: dict[str, list[str]] = {"lead": [], "support": [], "responsible": []}   # ROLES
    pending: list[str] = []
    found = False
    for part in _note_parts(inner):   # stripped, not empty
        # the verb ROLE_VERB_RE.search(part) finds: the longest role verb ending the part (its
        # match ends at the end, and leftmost is longest), looked up by the part's last 4 and 2
        # characters (the lengths of the role verbs)
        verb = part[-4:] if part[-1] in _ROLE_VERB_ENDS else None
        if verb is not None and verb not in ROLE_VERBS:
            verb = part[-2:]
            if verb not in ROLE_VERBS:
                verb = None
        if verb is None:
            pending.extend(split_names(part))
            continue
        who = part[: len(part) - len(verb)]
        by = BY_RE.search(who) if "由" in who else None
        if by is not None:
            if who[: by.start()].strip():
                return None  # X由Y负责: a clause of prose, not a note
            who = who[by.end():]
        # _drop_role_words gives a name not ending like a role word back stripped
        who = _drop_role_words(who) if who and who[-1] in ROLE_WORD_ENDS else who.strip()
        names = pending + split_names(who)
        pending = []
        if not names:
            continue
        roles[ROLE_VERBS[verb]].extend(names)
        found = True
    # words left after the last role (2025年底前完成 · 不再列出) are dropped unless they name a unit
    if not found or (pending and any(map(is_org_name, pending))):
        return None
    for r in ROLES:   # one name at least must name a unit
        for n in roles[r]:
            if is_org_name(n):
                return roles
    return None


def _bare_list(inner: str, strict: bool = False) -> dict[str, list[str]] | None:
    """A bare list of units; `strict`: every name must end like a body (局 · 委 · 政府 …), not
    only start like one (市中心城区 is a place)."""
    names = split_names(inner)
    if not names or not all(is_org_name(n) and len(n) >= MIN_BARE_NAME_LEN for n in names):
        return None
    if strict and not all(n.endswith(ORG_SUFFIXES) for n in names):
        return None
    if GLOSS_LEAD_RE.match(names[0]):
        return None
    if len(names) == 1 and not names[0].startswith(ORG_PREFIXES):
        return None  # （集团） · （中心）: one generic word is a gloss, not a unit
    return {"lead": [], "support": [], "responsible": names}


def parse_note(inner: str, closing: bool, sentence_end: bool = False) -> dict[str, list[str]] | None:
    """Roles of a note's inner text, or None if it is an ordinary parenthetical.

    `closing`: the note ends the section's text, so a bare list of units counts.
    `sentence_end`: the note ends a sentence inside the text (before 。/；), so a bare list counts
    when every name ends like the name of a body.
    """
    return _parse(inner, _labelled(inner), lambda: closing, sentence_end)


def _parse(inner: str, labelled: dict[str, list[str]] | None, closing, sentence_end: bool) -> dict[str, list[str]] | None:
    """parse_note with `_labelled(inner)` already read and `closing` a function that tells it (the
    text after the note is looked at only for a bare list). find() makes the same steps inline."""
    roles = labelled or _role_verbs(inner)
    if roles is None and (sentence_end or closing()):
        roles = _bare_list(inner, strict=not closing())
    if roles is None or not any(roles.values()):
        return None
    return roles


# What may follow a note that closes the section's own text
_CLOSING_CHARS = " \t\n\u3000。；;."
_CLOSING_SET = frozenset(_CLOSING_CHARS)


def _is_closing(folded: str, end: int, stop: int) -> bool:
    """Only 。；. and whitespace follow the note up to the end of the section's own text."""
    return not folded[end:stop].strip(_CLOSING_CHARS)


def _notes(sec: str, offset: int = 0) -> list[tuple[int, int, int, int]]:
    """NOTE_RE.finditer over the section text `sec` as (note start, note end, inner start, inner
    end), plus `offset`, tried only where a bracket opens: a note starts with ( or 【, and NOTE_RE
    has no anchor or lookaround, so this is the leftmost-first scan finditer makes, without the
    engine stepping through every character of the section (tests/test_fast_paths_structure.py
    compares the two). NOTE_PLAIN_RE is tried first: where it matches, NOTE_RE matches the same."""
    hits = []
    if "【" not in sec:   # the common case: notes in ( ) only, whose inner text is between them
        i = sec.find("(")
        while i >= 0:
            m = NOTE_PLAIN_RE.match(sec, i) or NOTE_RE.match(sec, i)
            if m is None:
                i = sec.find("(", i + 1)
            else:
                e = m.end()
                hits.append((offset + i, offset + e, offset + i + 1, offset + e - 1))
                i = sec.find("(", e)
        return hits
    a, b = sec.find("("), sec.find("【")
    while a >= 0 or b >= 0:
        i = a if b < 0 or 0 <= a < b else b
        m = NOTE_PLAIN_RE.match(sec, i) or NOTE_RE.match(sec, i)
        if m is None:
            pos = i + 1
        else:
            pos = m.end()
            i_s, i_e = m.span(m.lastindex)   # inner · inner2 (【…】)
            hits.append((offset + i, offset + pos, offset + i_s, offset + i_e))
        # each bracket is looked for once past where the last one was (no rescanning)
        if 0 <= a < pos:
            a = sec.find("(", pos)
        if 0 <= b < pos:
            b = sec.find("【", pos)
    return hits


def _bare_label_lines(chunk: str) -> list:
    """BARE_LABEL_LINE_RE.finditer(chunk), tried only at the line starts where such a line can
    begin: its (?m)^ matches nowhere else, so this is finditer's scan without the engine trying
    every position of the section (tests/test_fast_paths_structure.py compares the two)."""
    found = []
    p, n = 0, len(chunk)
    while p < n:
        if chunk[p] in BARE_LABEL_FIRST_CHARS:
            m = BARE_LABEL_LINE_RE.match(chunk, p)   # ^ holds at p: the chunk's start or after \n
            if m is not None:
                found.append(m)
                p = m.end()   # at a line end ($): the next start is after its \n
        p = chunk.find("\n", p) + 1
        if p == 0:
            break
    return found


def find(folded: str, source: str, start: int, stop: int) -> dict | None:
    """The responsibility note(s) in the section text folded[start:stop], merged, as the fields of
    a model.Units (validated with the whole Document); None if none."""
    if stop <= start:
        return None
    # one copy of the section, then `in`: under callgrind a str.find with bounds costs ~1,900
    # instructions in argument handling alone, the copy of a 2,000-character section ~1,600
    sec = folded[start:stop]
    paren = "(" in sec
    colon = "：" in sec or ":" in sec   # the fullwidth colon first: the commoner in notes
    if not (paren or colon):
        return None
    # (note start, note end, inner start, inner end) in the text
    hits: list[tuple[int, int, int, int]] = []
    if paren or "【" in sec:
        hits = _notes(sec, start)
    if colon:  # a note line without brackets has a label and a colon
        # on the slice: its ^ also matches where the section's text starts (after the label)
        hits += [(start + m.start("inner"), start + m.end("inner"), start + m.start("inner"), start + m.end("inner"))
                 for m in _bare_label_lines(sec)]
        hits.sort()
    roles: dict[str, list[str]] | None = None
    quotes: list[str] = []
    last_span = None
    for s, e, i_s, i_e in hits:
        inner = source[i_s:i_e]  # names as written (（） not folded)
        # what _parse makes of the note, _labelled's first test first, the text after the note
        # read only for a bare list, and no closure made per note (find's variables stay plain)
        parsed = _labelled_with_colon(inner) if "：" in inner or ":" in inner else None
        if parsed is not None:
            if not any(parsed.values()):
                continue
        else:
            # words run into the note on both sides: 选址（由各区具体负责）应当符合… is prose
            if ((folded[s - 1] if s > 0 else "\n") not in PROSE_BEFORE_CLOSERS
                    and (folded[e] if e < len(folded) else "\n") not in PROSE_AFTER_CLOSERS):
                continue
            parsed = _role_verbs(inner)
            if parsed is None:
                after = folded[e:e + 1]
                # the note closes the text when nothing follows it, or only what starts with a closer
                closing = e >= stop or (after in _CLOSING_SET and _is_closing(folded, e, stop))
                if closing or after in SENTENCE_ENDS:
                    parsed = _bare_list(inner, strict=not closing)
            if parsed is None or not any(parsed.values()):
                continue
        if roles is None:   # each name once, in order (the readers make a new dict per note)
            roles = parsed
            for r in ROLES:
                if len(parsed[r]) > 1:
                    parsed[r] = list(dict.fromkeys(parsed[r]))
        else:
            for r in ROLES:
                for name in parsed[r]:
                    if name not in roles[r]:
                        roles[r].append(name)
        quotes.append(source[s:e])
        last_span = (s, e)
    if roles is None:
        return None
    roles["quote"] = " ".join(quotes)   # the fields of a model.Units, in its order
    roles["span"] = last_span
    return roles

