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
