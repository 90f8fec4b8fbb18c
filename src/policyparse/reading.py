"""Moved to readers/ (one module per format); these names stay importable for existing callers.

`read_document` now reads every supported format and returns the readers' ReadResult, which has
the `text` and `encoding` the old DecodedText had, plus `format` and `tables`.
"""
from __future__ import annotations

from .readers import expand_paths, read_path as read_document  # noqa: F401
from .readers.txt import DecodedText, decode_bytes  # noqa: F401
