"""What the pattern tables use of the `regex` package, without importing it when they need not.

    from . import rx as regex      # in patterns/*.py: regex.compile(...) and regex.escape(...)

`compile` is precompiled.compile: a pattern the compiled-pattern file holds is built by
regex's C module from its stored arguments, and the `regex` package (its Python parser, an
eighth of a one-file parse's start) is imported only at the first pattern the file does not
hold. The pattern objects are the ones regex.compile builds from the same arguments.
`escape` is regex.escape's default (special_only=True), written out here because it is
used at import to build the patterns' text. Any other name is the `regex` package's own,
imported at first use.
"""
from __future__ import annotations

from . import precompiled

compile = precompiled.compile

# regex.escape's characters escaped when special_only (regex._main._METACHARS); whitespace too
REGEX_METACHARS = frozenset("()[]{}?*+|^$\\.-#&~")


def escape(text: str) -> str:
    """regex.escape(text): each metacharacter and whitespace character preceded by a backslash."""
    return "".join("\\" + c if c in REGEX_METACHARS or c.isspace() else c for c in text)


def __getattr__(name: str):
    return getattr(precompiled.regex_module(), name)
