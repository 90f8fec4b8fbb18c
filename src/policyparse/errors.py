"""Exceptions raised by policyparse. The CLI turns each into one line naming the file."""
from __future__ import annotations


class PolicyParseError(Exception):
    """Base class: anything policyparse reports as a failure of one input."""


class InputError(PolicyParseError):
    """A path that cannot be read as a text document (missing, empty, binary, unreadable)."""

    def __init__(self, path: str, cause: str) -> None:
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause


class DecodeError(InputError):
    """Bytes that decode under none of the supported encodings."""


def _is_control(c: str) -> bool:
    """C0 controls, DEL and C1 controls: shown as \\xNN in names."""
    return ord(c) < 32 or 127 <= ord(c) < 160


def display_name(path) -> str:
    """A path as text that can be printed and written to JSON: a name that is not UTF-8 (GBK
    names from a Windows zip reach Python as surrogate escapes) is read as GB18030 when it is
    that, else its odd bytes are shown as \\xNN; control characters (an escape sequence in a
    name would drive the terminal) are shown as \\xNN too."""
    import os

    name = os.fspath(path)
    if isinstance(name, bytes):
        raw = name
    else:
        try:
            name.encode("utf-8")
            raw = None
        except UnicodeEncodeError:
            raw = name.encode("utf-8", "surrogateescape")
    if raw is not None:
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                name = raw.decode("gb18030")
            except UnicodeDecodeError:
                name = raw.decode("utf-8", "backslashreplace")
    # Control characters (C0, DEL, C1) are all non-printable, so a printable name (nearly all
    # of them) needs no walk over its characters.
    if not name.isprintable() and any(_is_control(c) for c in name):
        name = "".join(f"\\x{ord(c):02x}" if _is_control(c) else c for c in name)
    return name
