"""Responsibility notes -> Units, attached to the section whose own text they close."""
from __future__ import annotations

import re

from ..segment import split_outside_brackets
from ..patterns.units import (
    BARE_LABEL_FIRST_CHARS, BARE_LABEL_LINE_RE, BY_RE, DUTY_PHRASE_RE, FIELD_RE, GLOSS_LEAD_RE, JOINTLY, JOINTLY_GENERIC_RE, LABEL_MARKER_RE,
    MIN_BARE_NAME_LEN, LABEL_MARKERS, MAX_NAME_LEN, MIN_NAME_LEN, NAME_SEPS, NOTE_RE, NAME_ROLE_TAG_RE, ORG_PREFIXES,
    ORG_SUFFIXES, PART_SEP_RE, PROSE_AFTER_CLOSERS, PROSE_BEFORE_CLOSERS, REMARK_LEAD_RE, SENTENCE_ENDS, ROLE_VERB_RE, ROLE_VERBS,
    ROLE_WORD_ENDS, TRAILING_ETC_RE,
)

ROLES = ("lead", "support", "responsible")
NAME_SPLIT_RE = re.compile("[" + NAME_SEPS + "]")   # stdlib re, as in patterns/units.py


def split_names(part: str) -> list[str]:
    """Split on 、 and ， outside inner brackets; drop a trailing 等 / 等有关部门; 会同 joins two
    names and 会同有关部门 is dropped (SPEC v1.2)."""
    if JOINTLY in part:
        part = JOINTLY_GENERIC_RE.sub("", part).replace(JOINTLY, "、")
    if "(" not in part and "（" not in part:  # the common case: no inner brackets
        names = NAME_SPLIT_RE.split(part)
    else:
        names = split_outside_brackets(part, NAME_SEPS)
    out = []
    for name in names:
        name = name.strip(" \t\u3000：:")
        if "等" in name:
            name = TRAILING_ETC_RE.sub("", name)
        name = name.strip()
        if name:
            out.append(name)
    return out


def is_org_name(name: str) -> bool:
    if not (MIN_NAME_LEN <= len(name) <= MAX_NAME_LEN) or any(map(str.isdigit, name)):
        return False
    return name.endswith(ORG_SUFFIXES) or (name.startswith(ORG_PREFIXES) and len(name) >= 3)


def _drop_role_words(name: str) -> str:
    """各区县政府按职责分工负责 -> 各区县政府 (inside a labelled note the role is already known)."""
    for _ in range(2):
        if not name or name[-1] not in ROLE_WORD_ENDS:
            break
        name = ROLE_VERB_RE.sub("", name)
        name = DUTY_PHRASE_RE.sub("", name)
    return name.strip()


def _labelled(inner: str) -> dict[str, list[str]] | None:
    if ":" not in inner and "：" not in inner:
        return None  # every label marker is followed by a colon
    marks = list(LABEL_MARKER_RE.finditer(inner))
    if not marks:
        return None
    marker_starts = {m.start() for m in marks}
    # other fields (适用范围：…) end the role field before them
    fields = [f.start("field") for f in FIELD_RE.finditer(inner) if f.start("field") not in marker_starts]
    roles: dict[str, list[str]] = {r: [] for r in ROLES}
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(inner)
        stop = min([f for f in fields if m.end() <= f < stop], default=stop)
        # a sentence after 。 inside a field is a remark (排在第一位的为牵头单位，下同)
        chunk = inner[m.end(): stop].strip(" ；;。，,").split("。")[0]
        role = LABEL_MARKERS[m.group("marker")]
        for name in _until_remark(split_names(chunk.replace("；", "、").replace(";", "、"))):
            tagged = NAME_ROLE_TAG_RE.search(name)  # 市发展改革委（牵头）: the name carries its role
            if tagged:
                name, name_role = name[: tagged.start()], ROLE_VERBS[tagged.group("verb")]
            else:
                name_role = role
            name = _drop_role_words(name)
            if name:
                roles[name_role].append(name)
    return roles


def _until_remark(names: list[str]) -> list[str]:
    """The names before the first remark (以下… · 排在第一位的… · 下同)."""
    for i, name in enumerate(names):
        if REMARK_LEAD_RE.match(name):
            return names[:i]
    return names


def _note_parts(inner: str) -> list[str]:
    """The parts of a verb note, up to a remark: （A指导，B负责落实。以下均由B落实，不再列出） ->
    ['A指导', 'B负责落实']."""
    parts = []
    for part in PART_SEP_RE.split(inner):
        part = part.strip()
        if REMARK_LEAD_RE.match(part):
            break
        if part:
            parts.append(part)
    return parts


# The role verbs that contain no shorter one: a note without any of them has no role verb.
_SHORTEST_ROLE_VERBS = tuple(v for v in ROLE_VERBS if not any(w != v and w in v for w in ROLE_VERBS))
# ... looked for in one call (literals: the engine jumps between their first characters)
_ANY_ROLE_VERB_RE = re.compile("|".join(map(re.escape, _SHORTEST_ROLE_VERBS)))


def _role_verbs(inner: str) -> dict[str, list[str]] | None:
    if _ANY_ROLE_VERB_RE.search(inner) is None:
        return None
    roles: dict[str, list[str]] = {r: [] for r in ROLES}
    pending: list[str] = []
    found = False
    for part in _note_parts(inner):
        m = ROLE_VERB_RE.search(part)
        if m is None:
            pending.extend(split_names(part))
            continue
        who = part[: m.start()]
        by = BY_RE.search(who)
        if by is not None:
            if who[: by.start()].strip():
                return None  # X由Y负责: a clause of prose, not a note
            who = who[by.end():]
        names = pending + split_names(_drop_role_words(who))
        pending = []
        if not names:
            continue
        roles[ROLE_VERBS[m.group("verb")]].extend(names)
        found = True
    # words left after the last role (2025年底前完成 · 不再列出) are dropped unless they name a unit
    if not found or any(is_org_name(n) for n in pending):
        return None
    all_names = [n for r in ROLES for n in roles[r]]
    if not any(is_org_name(n) for n in all_names):
        return None
    return roles


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
    """parse_note with `_labelled(inner)` already read and `closing` a function that tells it:
    find() reads a note's labels once, and looks at the text after the note only for a bare list."""
    roles = labelled or _role_verbs(inner)
    if roles is None and (sentence_end or closing()):
        roles = _bare_list(inner, strict=not closing())
    if roles is None or not any(roles.values()):
        return None
    return roles


def _in_prose(folded: str, start: int, end: int) -> bool:
    """Words run into the note on both sides: 选址（由各区具体负责）应当符合… is prose."""
    before = folded[start - 1] if start > 0 else "\n"
    after = folded[end] if end < len(folded) else "\n"
    return before not in PROSE_BEFORE_CLOSERS and after not in PROSE_AFTER_CLOSERS


def _is_closing(folded: str, end: int, stop: int) -> bool:
    """Only 。；. and whitespace follow the note up to the end of the section's own text."""
    return not folded[end:stop].strip(" \t\n\u3000。；;.")


def _notes(folded: str, start: int, stop: int) -> list[tuple[int, int, int, int]]:
    """NOTE_RE.finditer over folded[start:stop] as (note start, note end, inner start, inner end),
    tried only where a bracket opens: a note starts with ( or 【, and NOTE_RE has no anchor or
    lookaround, so this is the leftmost-first scan finditer makes, without the engine stepping
    through every character of the section (tests/test_fast_paths.py compares the two)."""
    hits = []
    a, b = folded.find("(", start, stop), folded.find("【", start, stop)
    while a >= 0 or b >= 0:
        i = a if b < 0 or 0 <= a < b else b
        # the common note holds no inner bracket: its end is the first closer, with no opener or
        # line end before it, and NOTE_RE would match exactly that (2-600 characters inside)
        opener, closer = ("(", ")") if i == a else ("【", "】")
        j = folded.find(closer, i + 1, stop)
        if 2 < j - i <= 601 and folded.find(opener, i + 1, j) < 0 and folded.find("\n", i + 1, j) < 0:
            hits.append((i, j + 1, i + 1, j))
            pos = j + 1
        else:
            m = NOTE_RE.match(folded, i, stop)
            if m is None:
                pos = i + 1
            else:
                g = 1 if m.start(1) >= 0 else 2   # inner · inner2 (【…】)
                hits.append((i, m.end(), m.start(g), m.end(g)))
                pos = m.end()
        # each bracket is looked for once past where the last one was (no rescanning)
        if 0 <= a < pos:
            a = folded.find("(", pos, stop)
        if 0 <= b < pos:
            b = folded.find("【", pos, stop)
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
    # str.find with bounds tests the section without copying it (most sections hold no note)
    paren = folded.find("(", start, stop) >= 0
    colon = folded.find(":", start, stop) >= 0 or folded.find("：", start, stop) >= 0
    if not (paren or colon):
        return None
    # (note start, note end, inner start, inner end) in the text
    hits: list[tuple[int, int, int, int]] = []
    if paren or folded.find("【", start, stop) >= 0:
        hits = _notes(folded, start, stop)
    if colon:  # a note line without brackets has a label and a colon
        # on the slice: its ^ also matches where the section's text starts (after the label)
        hits += [(start + m.start("inner"), start + m.end("inner"), start + m.start("inner"), start + m.end("inner"))
                 for m in _bare_label_lines(folded[start:stop])]
        hits.sort()
    roles: dict[str, list[str]] | None = None
    quotes: list[str] = []
    last_span = None
    for s, e, i_s, i_e in hits:
        inner = source[i_s:i_e]  # names as written (（） not folded)
        labelled = _labelled(inner)
        if labelled is None and _in_prose(folded, s, e):
            continue
        parsed = _parse(inner, labelled, lambda: _is_closing(folded, e, stop), folded[e:e + 1] in SENTENCE_ENDS)
        if parsed is None:
            continue
        if roles is None:
            roles = {r: [] for r in ROLES}
        for r in ROLES:
            for name in parsed[r]:
                if name not in roles[r]:
                    roles[r].append(name)
        quotes.append(source[s:e])
        last_span = (s, e)
    if not quotes:
        return None
    return {**roles, "quote": " ".join(quotes), "span": last_span}
