"""Outline: heading lines -> a tree of nodes with true nesting depth.

Depth comes from the order in which numbering styles open in THIS document: a stack of open
styles is kept; a heading whose style is already open closes everything below that level and
becomes its sibling; a heading of a new style nests under the current one. So in a document
where `19．` follows `五、` directly, `19．` has depth 2, while `1．` under `（一）` has depth 3.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .numerals import label_number
from .patterns.labels import (
    ATTACHMENT_FIRST_CHARS, ATTACHMENT_LINE_RE, CONTENTS_FIRST_CHAR, CONTENTS_LEADER_CHARS, CONTENTS_LINE_RE, DECIMAL_GAP, DECIMAL_STYLES,
    LINE_CLOSERS, MIN_WRAPPED_LINE, TITLE_END, TITLE_LEAD_SKIP, TITLE_STRIP, UNTITLED_STYLES,
)
from .patterns.outline import LABEL_BY_FIRST_CHAR
from .segment import Line

# Styles that never continue a wrapped sentence (they are unmistakable on their own).
UNAMBIGUOUS_STYLES = {"chapter", "section", "article", "part", "box"}


@dataclass(slots=True)
class Node:
    """A heading while the document is being read; becomes a model.Section at the end."""

    style: str
    label_start: int
    label_end: int
    number: int | None
    title_start: int
    title_end: int
    body_start: int            # where the section's own text starts (after the title and its 。)
    line_number: int
    depth: int = 0
    end: int = 0               # end of own text (start of the next heading, trailing space dropped)
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    units: object = None       # model.Units, filled by extract.units
    restart: bool = False      # the first heading after 附件：: the outline starts again at depth 1


class NumberingIssue(NamedTuple):   # never changed once made: a NamedTuple (tables.py says why)
    kind: str
    message: str
    start: int
    end: int


DASH_LABEL = "—"


def label_of(node: "Node", source: str) -> str:
    """The label as written; every dash bullet is labelled "—" (the contract's form)."""
    return DASH_LABEL if node.style == "dash" else source[node.label_start:node.label_end]


def match_heading(line: Line) -> tuple[str, int, int, str] | None:
    """(style, label_len, num_start_offset_in_line, num_token) for a heading line, else None.

    Decimal labels (1 · 1.2 · 1.2.1) come back as style `decimal1`, `decimal2`, … by their
    number of parts, so each level of a decimal outline is a style of its own."""
    text = line.text
    styles = LABEL_BY_FIRST_CHAR.get(text[:1])   # only the styles that can start with this character
    if styles is None:
        return None
    m = styles[0].match(text)
    if m is None:
        return None
    style, group = styles[1][m.lastindex]
    start, end = m.span(group)
    num = text[start:end]
    if style in DECIMAL_STYLES:
        style = f"decimal{num.count('.') + 1}"
    return style, m.end(), start, num


def _number_of(style: str, token: str) -> int | None:
    if style == "dash":
        return None
    if style == "box":
        return label_number(_box_number(token))
    if style.startswith("decimal"):
        return int(token.rsplit(".", 1)[-1])
    if style.startswith("latin"):
        return ord(token.lower()) - ord("a") + 1
    return label_number(token)


# (style, token) -> _number_of(style, token): labels repeat (一 二 三 …, 1 2 3 …) across documents.
_NUMBERS: dict[tuple[str, str], int | None] = {}
_NUMBERS_MAX = 4096   # a bound against odd inputs (runs of dashes of every length)
_NO_NUMBER = object()


def _number(style: str, token: str) -> int | None:
    number = _NUMBERS.get((style, token), _NO_NUMBER)
    if number is _NO_NUMBER:
        number = _number_of(style, token)
        if len(_NUMBERS) < _NUMBERS_MAX:
            _NUMBERS[style, token] = number
    return number


def _decimal_parents(hits: list[tuple[Line, "re.Match | None", dict]]) -> set[str]:
    """Every number that has a decimal child somewhere in the document: `1.2` gives `1`,
    `1.2.1` gives `1.2`. A bare `1 总则` is a heading only when `1.x` follows somewhere, or
    when it continues a decimal outline's top numbers (`7 附则` after `6 …`). `hits`: every
    line's label match (find_headings), header lines included; a decimal label counts when a
    dot stands in its line's first 9 characters."""
    parents: set[str] = set()
    for line, m, styles in hits:
        if m is not None:
            style, group = styles[m.lastindex]
            if style in DECIMAL_STYLES and "." in line.text[:9]:
                parents.add(m.group(group).rsplit(".", 1)[0])
    return parents


def _decimal_expected(token: str, open_styles: list[tuple[str, int | None]], seen: set[str]) -> bool:
    """A decimal heading must follow the numbering: its parent seen (1.2 under 1), and either the
    first child (x.1) or the next after a sibling already seen (1.2 after 1.1)."""
    head, _, last = token.rpartition(".")
    if not head:
        return True  # a top number (1 总则) needs only its children (see _decimal_parents)
    n = int(last)
    return head in seen and (n == 1 or f"{head}.{n - 1}" in seen)


def _continues_previous(prev: Line | None, prev_is_heading: bool) -> bool:
    """True when `prev` is a body line cut mid-sentence, so the next line continues it."""
    if prev is None or prev_is_heading or not prev.text:   # not text: a blank line (Line.blank)
        return False
    return len(prev.text) >= MIN_WRAPPED_LINE and prev.text[-1] not in LINE_CLOSERS


def _box_number(token: str) -> str:
    return token.split(".")[0].split("-")[0]


# What find_headings looks at a line for, by its first character: a label (the styles that can
# start with it), or an attachment line (附件：…) as the second item. Other lines are passed.
_LOOK_AT: dict[str, tuple] = {ch: (styles, ch in ATTACHMENT_FIRST_CHARS) for ch, styles in LABEL_BY_FIRST_CHAR.items()}
_LOOK_AT.update({ch: (None, True) for ch in ATTACHMENT_FIRST_CHARS if ch not in _LOOK_AT})
# A line starting with CONTENTS_FIRST_CHAR may be the contents line (目录): it is kept for
# _drop_contents, which so looks at those lines only, not at every line of the document.
# (No label or attachment line starts with it: tests/test_fast_outline.py checks.)
_CONTENTS_LINE = (None, False)
_LOOK_AT[CONTENTS_FIRST_CHAR] = _CONTENTS_LINE
_DECIMAL_STYLE_NAMES = tuple(f"decimal{k}" for k in range(1, 10))   # by the number of parts


def find_headings(lines: list[Line], skip: set[int]) -> list[Node]:
    """Heading nodes in document order; `skip` holds header line numbers (title, subtitle…).

    A numbered line right after a body line cut mid-sentence is read as the continuation of
    that sentence, unless its number is the one the outline expects next (the next number of
    an open style, or 1 of a new style): a paragraph that merely lacks its final 。 must not
    swallow the next heading.
    """
    # 1. the lines that can matter, with their label match (None: an attachment line): one dict
    # look-up for every other line
    hits: list[tuple[Line, "re.Match | None", dict | None]] = []
    contents_lines: list[Line] = []   # the lines starting with CONTENTS_FIRST_CHAR
    look_at = _LOOK_AT.get
    for line in lines:
        what = look_at(line.text[:1])
        if what is None:
            continue
        if what is _CONTENTS_LINE:
            contents_lines.append(line)
            continue
        styles, attachment = what
        if styles is not None:
            m = styles[0].match(line.text)
            if m is not None:
                hits.append((line, m, styles[1]))
                continue
        if attachment and ATTACHMENT_LINE_RE.match(line.text):
            hits.append((line, None, None))
    # 2. the outline, line by line. `marked`: the last line that ends no sentence (a heading or an
    # attachment line; header lines are in `skip`), so the line after it continues nothing
    nodes: list[Node] = []
    marked = -2
    open_styles: list[tuple[str, int | None]] = []   # a light copy of nest()'s stack
    open_names: list[str] = []                        # its styles, kept beside it (no list built per heading)
    decimal_parents: set[str] | None = None           # read when the first decimal label comes
    decimals_seen: set[str] = set()
    restart = False
    numbers = _NUMBERS
    for line, m, styles in hits:
        n = line.number
        if n in skip:  # header lines (title, subtitle) are never body text
            continue
        text = line.text
        if m is None:
            # 附件：… : the attachment list starts the outline again; an item on the same line
            # (附件：1.…清单) is no heading, but the next item continues its numbering
            open_styles, open_names, restart = [], [], True
            after = text[ATTACHMENT_LINE_RE.match(text).end():].lstrip(TITLE_LEAD_SKIP)
            inline = match_heading(Line(n, 0, len(after), after)) if after else None
            if inline is not None:
                open_styles.append((inline[0], _number_of(inline[0], inline[3])))
                open_names.append(inline[0])
            marked = n
            continue
        style, group = styles[m.lastindex]
        token = m.group(group)
        label_len = m.end()
        decimal = style in DECIMAL_STYLES
        if decimal:
            style = _DECIMAL_STYLE_NAMES[token.count(".")]
        number = numbers.get((style, token), _NO_NUMBER)
        if number is _NO_NUMBER:
            number = _number(style, token)
        # the line before continues into this one: a body line cut mid-sentence (_continues_previous)
        if n and marked != n - 1 and n - 1 not in skip:
            prev = lines[n - 1].text
            cut = len(prev) >= MIN_WRAPPED_LINE and prev[-1] not in LINE_CLOSERS
        else:
            cut = False   # the first line, or one after a heading, a header line or an attachment line
        if decimal:
            if decimal_parents is None:
                decimal_parents = _decimal_parents(hits)
            if (("." not in token and token not in decimal_parents
                 and not (decimal_parents and str(int(token) - 1) in decimals_seen))
                    or not _decimal_expected(token, open_styles, decimals_seen)):
                continue  # 2 市发展改革委 (a table row) · 1.5公里范围内 (a quantity)
            if cut and text[label_len:label_len + 1] not in DECIMAL_GAP:
                continue  # …不超过\n1.1公里: a number closing a cut sentence, not 1.1编制目的
        elif style == "dash" and not text[label_len:].strip(" -\u2014\u2015\u2500"):
            continue  # a separator line made only of dashes
        if cut and style not in UNAMBIGUOUS_STYLES:
            if style in open_names:
                last = open_styles[open_names.index(style)][1]
                expected = last is not None and number == last + 1
            else:
                expected = number == 1 or style == "dash"
            if not expected:
                continue
        if style in open_names:
            k = open_names.index(style)
            del open_styles[k:], open_names[k:]
        open_styles.append((style, number))
        open_names.append(style)
        if decimal:
            decimals_seen.add(token)
        elif style == "arabic" and number is not None:
            decimals_seen.add(str(number))  # 1．总则 heads 1.1 as 1 总则 does
        if style in UNTITLED_STYLES:
            # a box header's title is "" (gold spec); words after 专栏1 belong to the box's text;
            # an article (第五条　经营者应当…) has no heading words, its sentences are its body
            t_start = t_end = body_off = label_len
        else:
            # the title: after the label and TITLE_LEAD_SKIP, up to the first TITLE_END, its edges
            # (spaces, a closing colon) trimmed; str.lstrip/rstrip skip exactly those characters.
            # Most titles start right after the label and end on no such character: one look at
            # the edge character answers then, without copying the rest of the line to strip it
            # ("" is in every str: at the line's end the strip runs, and finds nothing to skip)
            if text[label_len:label_len + 1] in TITLE_LEAD_SKIP:
                t_start = len(text) - len(text[label_len:].lstrip(TITLE_LEAD_SKIP))
            else:
                t_start = label_len
            stop = text.find(TITLE_END, t_start)
            if stop < 0:
                t_end = body_off = len(text)
            else:
                t_end, body_off = stop, stop + 1
            if text[t_end - 1:t_end] in TITLE_STRIP and t_end > t_start:
                t_end = t_start + len(text[t_start:t_end].rstrip(TITLE_STRIP))
        start = line.start
        node = Node(style, start, start + label_len, number, start + t_start, start + t_end, start + body_off, n)
        if restart:   # (set apart: a keyword argument costs a quarter of the call)
            node.restart, restart = True, False
        nodes.append(node)
        marked = n
    return _drop_contents(nodes, lines, contents_lines)


def _contents_key(node: Node, lines: list[Line]) -> tuple[str, str]:
    """A heading as a contents entry shows it: label and title without leader dots and page."""
    line = lines[node.line_number]
    text = line.text[node.label_end - line.start:]
    title = text.rstrip("0123456789").rstrip(CONTENTS_LEADER_CHARS)
    return line.text[: node.label_end - line.start].rstrip(" .、"), "".join(title.split()).lstrip(TITLE_LEAD_SKIP)


def _drop_contents(nodes: list[Node], lines: list[Line], candidates: list[Line]) -> list[Node]:
    """A table of contents (目录 and the headings after it) is not sections: the body starts again
    at the first heading that repeats the first contents entry; everything before it goes.
    `candidates`: the lines that start with CONTENTS_FIRST_CHAR (find_headings collects them
    as it passes every line); the contents line is one of them, as CONTENTS_LINE_RE starts so."""
    contents = next((ln.number for ln in candidates if CONTENTS_LINE_RE.fullmatch(ln.text)), None)
    if contents is None:
        return nodes
    after = [i for i, n in enumerate(nodes) if n.line_number > contents]
    if len(after) < 2:
        return nodes
    first = after[0]
    key = _contents_key(nodes[first], lines)
    for i in after[1:]:
        if _contents_key(nodes[i], lines) == key:
            return nodes[:first] + nodes[i:]
    return nodes


# What nest() drops from the end of a section's own text (before the next heading).
OWN_TEXT_TRAILING = " \t\n\u3000"


def nest(nodes: list[Node], text_end: int, folded: str) -> list[Node]:
    """Give each node its parent, depth and own-text end; return the top-level nodes.
    `nodes`: find_headings' (parent None, no children yet)."""
    roots: list[Node] = []
    stack: list[Node] = []
    open_styles: list[str] = []   # the stack's styles, kept beside it
    # each node's own text ends where the next node's label starts (the last one's at text_end)
    next_starts = [n.label_start for n in nodes[1:]]
    next_starts.append(text_end)
    for node, end in zip(nodes, next_starts):
        if node.restart:  # the attachment list after 附件： starts again at depth 1
            stack, open_styles = [], []
        style = node.style
        if style in open_styles:
            k = open_styles.index(style)
            del stack[k:], open_styles[k:]
        if stack:
            parent = node.parent = stack[-1]
            parent.children.append(node)
        else:
            roots.append(node)
        node.depth = len(stack) + 1
        stack.append(node)
        open_styles.append(style)
        # the own text's trailing space dropped, not past body_start: the space before the next
        # heading is a line end and that line's indent, which one rstrip of the text skips
        body_start = node.body_start
        if end > body_start and folded[end - 1] in OWN_TEXT_TRAILING:
            end = body_start + len(folded[body_start:end].rstrip(OWN_TEXT_TRAILING))
        title_end = node.title_end
        node.end = end if end > title_end else title_end
    return roots


def check_numbering(roots: list[Node], source: str) -> list[NumberingIssue]:
    """Gaps, repeats and out-of-order numbers among siblings of one style.

    A run may start at 1, or continue the previous run of the same style (documents often
    number items 1…22 straight through their sub-headings).
    """
    issues: list[NumberingIssue] = []
    last_seen: dict[str, int] = {}

    def label(n: Node) -> str:
        return source[n.label_start:n.label_end]

    def walk(children: list[Node]) -> None:
        prev_by_style: dict[str, Node] = {}
        for n in children:
            if n.number is not None and n.style != "box":
                prev = prev_by_style.get(n.style)
                if prev is None:
                    cont = last_seen.get(n.style)
                    if n.number != 1 and (cont is None or n.number != cont + 1):
                        expected = "1" if cont is None else f"1 or {cont + 1}"
                        issues.append(NumberingIssue("gap", f"'{label(n)}' starts a list; expected {expected}", n.label_start, n.label_end))
                elif prev.number is not None:
                    if n.number == prev.number:
                        issues.append(NumberingIssue("repeat", f"'{label(n)}' repeats the number before it", n.label_start, n.label_end))
                    elif n.number < prev.number:
                        issues.append(NumberingIssue("out_of_order", f"'{label(n)}' comes after '{label(prev)}'", n.label_start, n.label_end))
                    elif n.number > prev.number + 1:
                        missing = prev.number + 1 if n.number == prev.number + 2 else f"{prev.number + 1}–{n.number - 1}"
                        issues.append(NumberingIssue("gap", f"'{label(n)}' follows '{label(prev)}': number {missing} is missing", n.label_start, n.label_end))
                prev_by_style[n.style] = n
                last_seen[n.style] = n.number
            if n.children:
                walk(n.children)

    walk(roots)
    return issues


__all__ = ["Node", "NumberingIssue", "find_headings", "nest", "check_numbering", "label_of"]
