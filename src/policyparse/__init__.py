"""policyparse: Chinese policy documents -> outline, responsibility notes and targets.

    >>> from policyparse import parse_text
    >>> doc = parse_text("一、总体要求\\n（一）指导思想。坚持…", source="demo")
    >>> [s.title for s in doc.sections]
    ['总体要求']
"""
from __future__ import annotations

import os

from typing import TYPE_CHECKING

from .errors import DecodeError, InputError, PolicyParseError

if TYPE_CHECKING:  # the models import pydantic; load them only when used, so `--help` stays fast
    from .model import Document, Section, Target, Units, Warning

__version__ = "0.1.0"
_LAZY_MODELS = {"Document", "Section", "Target", "Units", "Warning"}


def __getattr__(name: str):
    if name in _LAZY_MODELS:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'policyparse' has no attribute {name!r}")


def parse_text(text: str, source: str = "<text>") -> "Document":
    """Parse a decoded document text. Spans index `text` with a leading BOM dropped."""
    from .pipeline import parse

    return parse(text, source=source, encoding="str")


def parse_file(path: str | os.PathLike[str]) -> "Document":
    """Read, decode (UTF-8/UTF-16 with BOM/GB18030, detected) and parse one file.

    Raises InputError (or DecodeError) naming the file and the cause.
    """
    from .model import document_from_record
    from .pipeline import parse_file_record

    return document_from_record(parse_file_record(path), own=True)


__all__ = [
    "parse_text", "parse_file", "Document", "Section", "Target", "Units", "Warning",
    "PolicyParseError", "InputError", "DecodeError", "__version__",
]
