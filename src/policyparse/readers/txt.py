"""Plain text files: detect the encoding and decode. Never guesses silently.

Supported: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (a superset of GBK and
GB2312, the usual encoding of government files). Detection order: a BOM decides; otherwise
strict UTF-8; otherwise strict GB18030 accepted only when the result looks like Chinese text.
The encoding used is recorded on the Document.
"""
from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from ..errors import DecodeError, InputError
from . import blank

# Share of control characters (other than tab/newline/CR/form feed) above which bytes are binary.
MAX_CONTROL_SHARE = 0.01
# A GB18030 reading is trusted when at least this share of its non-ASCII characters are CJK.
MIN_CJK_SHARE_GB = 0.6


class DecodedText(NamedTuple):   # immutable: a NamedTuple, not a frozen dataclass (tables.py says why)
    text: str          # decoded, BOM dropped, nothing else changed
    encoding: str      # "utf-8", "utf-8-sig", "utf-16", "gb18030"


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20)])   # CONTROL_RE's characters as bytes
_CONTROL_BYTE_STRINGS = tuple(bytes([b]) for b in CONTROL_BYTES)
# The control characters are counted in the first this many characters.
SAMPLE_CHARS = 65536


def _looks_binary(text: str) -> bool:
    if "\x00" in text:   # anywhere, not only in the first 4,096 characters
        return True
    sample = text[:SAMPLE_CHARS]
    controls = len(CONTROL_RE.findall(sample))
    return bool(sample) and controls / len(sample) > MAX_CONTROL_SHARE


def _utf8_binary_check(data: bytes, text: str) -> bool | None:
    """_looks_binary(text) for `text` decoded from `data` as UTF-8 (a BOM or not), read off the
    bytes: in UTF-8 a byte below 0x80 is always that ASCII character, so the NUL and control
    characters of the text are those bytes of the data. None when it cannot tell as cheaply
    (a NUL, whose position the error names, or a text longer than the sample)."""
    if len(text) > SAMPLE_CHARS or b"\x00" in data:
        return None
    for b in _CONTROL_BYTE_STRINGS:   # one memchr each: most texts hold none of them
        if b in data:
            break
    else:
        return False
    controls = len(data) - len(data.translate(None, CONTROL_BYTES))
    return bool(text) and controls / len(text) > MAX_CONTROL_SHARE


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, "utf-16-le" or "utf-16-be") for UTF-16 saved without a BOM (Notepad's "Unicode"),
    else None. Its mark: NUL bytes, nearly all on one side of each pair (the high byte of ASCII,
    and of nothing else), and a strict decoding that reads as Chinese or plain text."""
    head = data[:4096]
    if len(data) % 2 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= max(4, len(head) // 512) and other * 4 <= zeros:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            non_ascii = [ch for ch in text[:65536] if ord(ch) > 127]
            if "\x00" not in text and (not non_ascii or sum(map(_is_cjk, non_ascii)) / len(non_ascii) >= MIN_CJK_SHARE_GB):
                return text, enc
    return None


def decode_bytes(data: bytes, name: str = "<bytes>") -> DecodedText:
    """Decode a document's bytes, or raise InputError/DecodeError saying why not."""
    if not data:
        raise InputError(name, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, enc = data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise DecodeError(name, f"has a UTF-8 BOM but invalid UTF-8 at byte {e.start + 3}") from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DecodeError(name, f"has a UTF-16 BOM but invalid UTF-16 at byte {e.start}") from None
    elif (utf16 := _utf16_without_bom(data)) is not None:
        text, enc = utf16
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as utf8_error:
            if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(data) - 3:
                raise DecodeError(
                    name, f"truncated UTF-8: the file ends inside a multi-byte character (byte {utf8_error.start})"
                ) from None
            if b"\x00" in data[:4096]:
                raise InputError(name, "binary data (NUL bytes), not a text document") from None
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise DecodeError(
                    name, f"neither UTF-8 (invalid byte at {utf8_error.start}) nor GB18030; re-save it as UTF-8"
                ) from None
            non_ascii = [ch for ch in text[:65536] if ord(ch) > 127]
            cjk = sum(1 for ch in non_ascii if _is_cjk(ch))
            if not non_ascii or cjk / len(non_ascii) < MIN_CJK_SHARE_GB:
                raise DecodeError(
                    name, f"not valid UTF-8 (invalid byte at {utf8_error.start}) and not Chinese GB18030 text"
                ) from None
            enc = "gb18030"
    binary = _utf8_binary_check(data, text) if enc in ("utf-8", "utf-8-sig") else None
    if binary is None:   # the general check, on the text
        if "\x00" in text:
            raise InputError(name, f"binary data (a NUL character at {text.index(chr(0))}), not a text document")
        binary = _looks_binary(text)
    if binary:
        raise InputError(name, "binary data (control characters), not a text document")
    if blank(text):   # not text.strip(), without copying the text
        raise InputError(name, "only whitespace, no text")
    return DecodedText(text=text, encoding=enc)


def read(data: bytes, name: str):
    """The readers' interface: a text file's bytes -> ReadResult (no tables: extract/tables.py
    finds the tables a plain text holds)."""
    from . import ReadResult

    decoded = decode_bytes(data, name)
    return ReadResult(text=decoded.text, format="txt", encoding=decoded.encoding)
