"""Readers: one module per input format, one interface.

    read_path(path)             -> ReadResult   (a file, or "-" for standard input)
    read_bytes(data, name, fmt) -> ReadResult   (fmt None: sniffed from the bytes)

A ReadResult holds the document's plain text (one paragraph per line), the format it came from,
how its bytes were decoded, and its tables. Every reader writes a table into the text as one
row per line with the cells separated by a tab, and returns a `tables.Table` whose cells carry
their exact `[start, end)` in that text, so every span the pipeline reports indexes the text
that `policyparse text FILE` prints.

Formats: txt (txt.py), html/htm (html.py), docx (docx.py), pdf (pdf.py), doc/wps (doc.py, via
LibreOffice). The heavy libraries (lxml, python-docx, pypdfium2) are imported inside the
readers that need them, so importing this package costs nothing.

A file that cannot be read raises InputError with one line naming the cause; nothing here
prints or exits.
"""
from __future__ import annotations

import functools
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..tables import Cell, Table

# suffix -> format name; a folder argument picks up every one of these
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".doc": "doc", ".wps": "wps",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_FORMATS)
FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf", "doc", "wps")

# Bounds for one input. A text or web page above MAX_TEXT_BYTES, or a binary document
# (docx/pdf/doc) above MAX_BINARY_BYTES, is refused with one line instead of exhausting memory.
MAX_TEXT_BYTES = 1 << 30          # 1 GiB: the 100 MB benchmark corpus files stay readable
MAX_BINARY_BYTES = 512 << 20      # 512 MiB

_BINARY = {"docx", "pdf", "doc", "wps"}
# --max-size: one limit in bytes for every format, set by the CLI before the workers fork.
max_size_override: int | None = None


def size_limit(path: str | os.PathLike[str]) -> int:
    """The most bytes read from this path (by its suffix's format, or --max-size)."""
    return _limit(format_of(path))


def _limit(fmt: str | None) -> int:
    if max_size_override is not None:
        return max_size_override
    return MAX_BINARY_BYTES if fmt in _BINARY else MAX_TEXT_BYTES


# A PDF file larger than this is opened by path, not read into memory first.
PDF_BY_PATH_BYTES = 16 << 20

# A short paragraph right above a table that names it (主要指标表, 专栏2, 一览表) is its caption.
CAPTION_RE = re.compile(r"表|专栏|指标|一览|清单")
CAPTION_MAX_CHARS = 60
# A table used for layout, not data: one row, one column, or a cell holding a passage of text
# (old portal pages and document templates wrap the whole body in a table). Its cells are read
# as paragraphs instead of one row per line.
LAYOUT_CELL_CHARS = 200


def is_layout_table(rows: list[list[str]]) -> bool:
    """Whether rows of cell texts are page layout rather than a table of data."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2 or max(sum(1 for c in r if c.strip()) for r in rows) < 2:
        return True
    return any(len(c) > LAYOUT_CELL_CHARS for r in rows for c in r)


@dataclass
class ReadResult:
    text: str                                         # the document text, one paragraph per line
    format: str                                       # txt, html, docx, pdf, doc, wps
    encoding: str                                     # how the bytes became text (see model.Document.encoding)
    tables: list[Table] = field(default_factory=list)  # every table, its cells' spans index `text`


class TextBuilder:
    """Collects paragraphs and tables into one text, recording each table cell's span."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.tables: list[Table] = []
        self.last_paragraph = ""

    def _put(self, s: str) -> None:
        self._parts.append(s)
        self._pos += len(s)

    def paragraph(self, text: str) -> None:
        """One paragraph as one line (its own line breaks kept as further lines); blank skipped."""
        lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        for ln in lines:
            if ln.strip():
                self._put(ln + "\n")
                self.last_paragraph = ln.strip()

    def caption_above(self) -> str:
        """The paragraph just written, when it reads as a table's caption, else ""."""
        p = self.last_paragraph
        return p if len(p) <= CAPTION_MAX_CHARS and CAPTION_RE.search(p) else ""

    def table(self, rows: list[list[str]], caption: str = "") -> None:
        """Rows of cell texts -> one line per row, cells joined by a tab, spans recorded.
        A cell's own line breaks and tabs become spaces, so a row stays one line."""
        rows = [[" ".join(c.split()) for c in row] for row in rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        start = self._pos
        out_rows: list[list[Cell]] = []
        for row in rows:
            cells: list[Cell] = []
            for i, c in enumerate(row):
                if i:
                    self._put("\t")
                cells.append(Cell(c, self._pos, self._pos + len(c)))
                self._put(c)
            self._put("\n")
            out_rows.append(cells)
        self.tables.append(Table(rows=out_rows, start=start, end=self._pos - 1, caption=caption))
        self.last_paragraph = ""

    def text(self) -> str:
        return "".join(self._parts)


def sniff(data: bytes) -> str:
    """The format of some bytes from their first bytes: pdf, docx (a zip), doc (an OLE file:
    .doc, .wps, or an encrypted .docx), html, else txt."""
    head = data[:1024]
    if b"%PDF-" in head:      # readers accept junk before the header within the first 1 KB
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<!--")):
        return "html"
    return "txt"


def _reader(fmt: str):
    from importlib import import_module

    module = {"txt": "txt", "html": "html", "docx": "docx", "pdf": "pdf", "doc": "doc", "wps": "doc"}[fmt]
    return import_module(f"{__name__}.{module}")


def read_bytes(data: bytes, name: str = "<bytes>", fmt: str | None = None) -> ReadResult:
    """Read a document's bytes in the given format (None: sniffed). Magic bytes of a binary
    format win over the format a file's suffix claims (a PDF saved as .txt is read as a PDF)."""
    if not data:
        raise InputError(name, "empty file")
    sniffed = sniff(data)
    if fmt is None or sniffed in _BINARY and fmt not in ("doc", "wps"):
        fmt = sniffed
    limit = _limit(fmt)
    if len(data) > limit:
        raise InputError(name, f"too large: {len(data) >> 20} MB (the limit for {fmt} is {limit >> 20} MB; see --max-size)")
    result = _reader(fmt).read(data, name) if fmt not in ("doc", "wps") else _reader(fmt).read(data, name, fmt)
    return _checked(result, name, fmt)


def blank(text: str) -> bool:
    """`not text.strip()`, without the copy: strip() copies the whole text (and scans it for its
    widest character) when it ends with a newline, as files do, ~25,000 instructions for a 33 KB
    document, twice per read (here and in txt.decode_bytes); isspace() stops at the first
    character that is not whitespace. Both use the same whitespace (str.isspace's):
    tests/test_fast_paths_structure.py compares the two on every code point."""
    return not text or text.isspace()


def _checked(result: ReadResult, name: str, fmt: str) -> ReadResult:
    if blank(result.text):
        raise InputError(name, f"no text in this {fmt} file")
    return result


_stdin_data: bytes | None = None


def stdin_bytes() -> bytes:
    """Standard input, read once (worker processes forked later see the same bytes)."""
    global _stdin_data
    if _stdin_data is None:
        _stdin_data = sys.stdin.buffer.read() if sys.stdin is not None else b""
    return _stdin_data


def format_of(path: str | os.PathLike[str]) -> str | None:
    """The format a path's suffix names, or None."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def read_path(path: str | os.PathLike[str], data: bytes | None = None) -> ReadResult:
    """Read one file ("-": standard input, format sniffed); InputError names the cause.
    `data`: the file's bytes when the caller has read them already (cache.read_record hashes
    them), as read_path would read them: they are not read again, unless they are over the
    limit (read again, for the error) or a PDF that PDFium reads by path."""
    name = str(path)
    if name == "-":
        return read_bytes(stdin_bytes(), "-", None)
    p = Path(path)
    fmt = format_of(p)
    if data is not None and len(data) <= _limit(fmt) and not (fmt == "pdf" and len(data) > PDF_BY_PATH_BYTES):
        return read_bytes(data, name, fmt)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(name, "is a directory")
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            raise InputError(name, "is a device, not a file")   # /dev/zero would never end
        limit = _limit(fmt)
        if st.st_size > limit:
            raise InputError(name, f"too large: {st.st_size >> 20} MB (the limit for {fmt or 'a file'} is {limit >> 20} MB; see --max-size)")
        if fmt == "pdf" and st.st_size > PDF_BY_PATH_BYTES and stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                head = f.read(1024)
            if sniff(head) == "pdf":     # PDFium reads the file itself, as it needs it
                return _checked(_reader("pdf").read(p, name), name, "pdf")
        with open(p, "rb") as fh:   # at most limit + 1 bytes: a pipe or a growing file cannot exhaust memory
            data = _read_at_most(fh, st.st_size, limit + 1)
        if len(data) > limit:
            raise InputError(name, f"too large: over {limit >> 20} MB (the limit for {fmt or 'a file'}; see --max-size)")
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as e:
        raise InputError(name, e.strerror or str(e)) from None
    return read_bytes(data, name, fmt)


def _read_at_most(fh, size: int, most: int) -> bytes:
    """fh.read(most), asking first for the `size` bytes stat gave (and one more): a read of
    `most` (1 GiB) at once makes a buffer that large for a 33 KB file. A pipe (size 0) or a file
    that grew is read on, up to `most` bytes in all."""
    want = min(size + 1, most)
    data = fh.read(want)
    if len(data) == want < most:
        data += fh.read(most - want)
    return data


def _suffix(name: str) -> str:
    """Path(name).suffix of a file name, without making a Path (thousands per folder)."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


@functools.lru_cache(maxsize=256)
def _folder(d: str) -> str:
    return str(Path(d))


def _joined(d: str, name: str) -> str:
    """str(Path(d) / name) for a file name from os.walk, without making two Paths per file."""
    base = _folder(d)
    if base == ".":
        return name
    return base + name if base.endswith(os.sep) else base + os.sep + name


def _has_glob_magic(arg: str) -> bool:
    """glob.has_magic: a `*`, `?` or `[` in the argument (glob itself is imported only for one)."""
    return any(ch in arg for ch in "*?[")


def expand_paths(args: list[str], suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES) -> tuple[list[str], list[InputError]]:
    """Files, directories (every file with one of `suffixes` inside, recursively), globs and "-"
    (standard input) -> ordered unique paths, plus errors.

    Errors are returned, not raised, so one bad argument does not stop a batch.
    """
    found: list[str] = []
    errors: list[InputError] = []
    seen: set[str] = set()
    wanted = {s.lower() for s in suffixes}

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            found.append(path)

    for arg in args:
        if arg == "-":
            add(arg)
            continue
        p = Path(arg)
        if p.is_dir():
            unlisted: list[OSError] = []
            try:
                # os.walk, not Path.rglob: rglob skips a folder it may not read without a word
                hits = sorted(
                    _joined(d, f) for d, _, files in os.walk(arg, onerror=unlisted.append) for f in files
                    if _suffix(f).lower() in wanted and os.path.isfile(os.path.join(d, f))
                )
            except OSError as e:  # e.g. a symlink loop
                errors.append(InputError(arg, f"cannot list directory: {e.strerror or e}"))
                continue
            for err in unlisted:   # an unreadable subfolder: one line, and exit 1
                errors.append(InputError(err.filename or arg, f"cannot list directory: {err.strerror or err}"))
            if any(err.filename == arg for err in unlisted):
                continue
            if not hits:
                what = ("supported files (.txt, .html, .docx, .pdf, .doc, .wps)" if suffixes == SUPPORTED_SUFFIXES
                        else f"{'/'.join(suffixes)} files")
                errors.append(InputError(arg, f"directory has no {what}"))
            for h in hits:
                add(h)
        elif p.exists() or p.is_symlink():
            add(arg)
        elif _has_glob_magic(arg):
            import glob

            hits = sorted(glob.glob(arg, recursive=True))
            if not hits:
                errors.append(InputError(arg, "pattern matches no file"))
            for h in hits:
                add(h)
        else:
            errors.append(InputError(arg, "no such file"))
    return found, errors
