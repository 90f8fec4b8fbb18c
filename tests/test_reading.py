"""Reading files: encodings, clear errors, path expansion, spans after a BOM."""
from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from policyparse import DecodeError, InputError, parse_file
from policyparse.reading import decode_bytes, expand_paths, read_document

TEXT = "加快建设工业强市三年行动计划\n\n一、总体要求\n（一）指导思想。坚持把工业经济作为“头号工程”。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---- encodings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),
], ids=["utf8", "utf8_bom", "utf16_le_bom", "utf16_be_bom", "gb18030", "gbk"])
def test_decodes_and_records_encoding(tmp_path, data, encoding):
    path = write(tmp_path, "doc.txt", data)
    decoded = read_document(path)
    assert decoded.text == TEXT          # BOM dropped, nothing else changed
    assert decoded.encoding == encoding
    doc = parse_file(path)
    assert doc.encoding == encoding
    assert doc.source == str(path)
    assert doc.title == "加快建设工业强市三年行动计划"
    assert [[s.depth, s.label, s.title] for s in doc.iter_sections()] == [
        [1, "一、", "总体要求"], [2, "（一）", "指导思想"]]


def test_gb18030_characters_outside_gbk(tmp_path):
    text = "一、总体要求\n推进𠀀字库建设。\n"     # U+20000 needs GB18030's four-byte form
    path = write(tmp_path, "doc.txt", text.encode("gb18030"))
    assert read_document(path).text == text


def test_crlf_kept_in_decoded_text(tmp_path):
    path = write(tmp_path, "doc.txt", TEXT.replace("\n", "\r\n").encode("gb18030"))
    decoded = read_document(path)
    assert decoded.text == TEXT.replace("\n", "\r\n")


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")],
                         ids=["utf8_bom", "utf16_bom"])
def test_spans_index_text_after_bom(tmp_path, bom, codec):
    text = "一、总体要求\n（一）指导思想。围绕主题。（责任单位：市财政局）\n"
    path = write(tmp_path, "doc.txt", bom + text.encode(codec))
    doc = parse_file(path)
    first, child = doc.sections[0], doc.sections[0].children[0]
    assert first.span[0] == 0
    assert text[first.title_span[0]:first.title_span[1]] == "总体要求"
    assert text[child.title_span[0]:child.title_span[1]] == "指导思想"
    assert text[child.units.span[0]:child.units.span[1]] == "（责任单位：市财政局）"


def test_parse_text_drops_bom_for_spans():
    from policyparse import parse_text

    text = "\ufeff一、总体要求\n"
    doc = parse_text(text)
    s = doc.sections[0]
    assert s.span[0] == 0
    assert text[1:][s.title_span[0]:s.title_span[1]] == "总体要求"


# ---- errors ---------------------------------------------------------------------------------------

def _random_bytes(n: int) -> bytes:
    rng = random.Random(1234)
    return bytes(rng.randrange(256) for _ in range(n))


@pytest.mark.parametrize("data, cause", [
    (b"", "empty file"),
    (b"  \n\t\r\n", "only whitespace"),
    ("\u3000\u3000\n".encode("utf-8"), "only whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (_random_bytes(4096), "binary"),
    (b"\x01\x02\x03\x04 policy \x05\x06\x07\x08 text \x0e\x0f", "binary"),
], ids=["empty", "whitespace", "ideographic_whitespace", "nul_bytes", "random_bytes", "control_chars"])
def test_unreadable_inputs(tmp_path, data, cause):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError) as e:
        read_document(path)
    assert cause in e.value.cause
    assert e.value.path == str(path)
    assert str(path) in str(e.value)


def test_valid_gb18030_but_not_chinese(tmp_path):
    # Cyrillic in GB18030: the bytes are not UTF-8 and decode as GB18030, but not to Chinese text.
    path = write(tmp_path, "ru.txt", "Программа развития промышленности на пять лет".encode("gb18030"))
    with pytest.raises(DecodeError) as e:
        read_document(path)
    assert "not valid UTF-8" in e.value.cause and "not Chinese GB18030" in e.value.cause


def test_latin1_bytes(tmp_path):
    path = write(tmp_path, "latin1.txt", "Résumé du système économique, café à côté.".encode("latin-1"))
    with pytest.raises(DecodeError) as e:
        read_document(path)
    assert "neither UTF-8" in e.value.cause and "GB18030" in e.value.cause


def test_bytes_invalid_in_both_encodings(tmp_path):
    path = write(tmp_path, "bad.txt", "一、总体要求".encode("utf-8") + b"\xff\xff\xff")
    with pytest.raises(DecodeError) as e:
        read_document(path)
    assert "neither UTF-8" in e.value.cause


def test_bom_with_invalid_utf8(tmp_path):
    path = write(tmp_path, "bad.txt", codecs.BOM_UTF8 + b"abc\xff\xfe")
    with pytest.raises(DecodeError) as e:
        read_document(path)
    assert "UTF-8 BOM" in e.value.cause


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as e:
        parse_file(tmp_path / "nope.txt")
    assert e.value.cause == "no such file"
    assert "nope.txt" in str(e.value)


def test_directory(tmp_path):
    with pytest.raises(InputError) as e:
        read_document(tmp_path)
    assert e.value.cause == "is a directory"


def test_decode_error_is_an_input_error():
    assert issubclass(DecodeError, InputError)
    with pytest.raises(InputError):
        decode_bytes(b"", "x")


# ---- expand_paths ---------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "empty").mkdir()
    for rel in ("a/2.txt", "a/1.txt", "a/sub/3.TXT", "a/notes.md", "top.txt", "empty/readme.md"):
        (tmp_path / rel).write_text("一、总体要求\n", encoding="utf-8")
    return tmp_path


def test_expand_directory_recursive_sorted_txt_only(tree):
    files, errors = expand_paths([str(tree / "a")])
    assert errors == []
    assert files == [str(tree / "a" / "1.txt"), str(tree / "a" / "2.txt"), str(tree / "a" / "sub" / "3.TXT")]


def test_expand_glob(tree):
    files, errors = expand_paths([str(tree / "a" / "*.txt")])
    assert errors == []
    assert files == [str(tree / "a" / "1.txt"), str(tree / "a" / "2.txt")]


def test_expand_recursive_glob(tree):
    files, errors = expand_paths([str(tree / "**" / "*.txt")])
    assert errors == []
    assert str(tree / "top.txt") in files and str(tree / "a" / "1.txt") in files


def test_expand_keeps_order_and_drops_duplicates(tree):
    top, one = str(tree / "top.txt"), str(tree / "a" / "1.txt")
    files, errors = expand_paths([top, one, top, str(tree / "a")])
    assert errors == []
    assert files == [top, one, str(tree / "a" / "2.txt"), str(tree / "a" / "sub" / "3.TXT")]


def test_expand_directory_without_txt(tree):
    files, errors = expand_paths([str(tree / "empty"), str(tree / "top.txt")])
    assert files == [str(tree / "top.txt")]
    assert len(errors) == 1
    assert errors[0].path == str(tree / "empty")
    assert "no supported files (.txt, .html, .docx, .pdf, .doc, .wps)" in errors[0].cause


def test_expand_errors_do_not_stop_the_batch(tree):
    files, errors = expand_paths([str(tree / "missing.txt"), str(tree / "x*.nothing"), str(tree / "top.txt")])
    assert files == [str(tree / "top.txt")]
    assert [(e.path, e.cause) for e in errors] == [
        (str(tree / "missing.txt"), "no such file"),
        (str(tree / "x*.nothing"), "pattern matches no file"),
    ]


def test_expand_named_file_with_other_suffix_is_kept(tree):
    """A file named explicitly is taken whatever its suffix; only directories filter by suffix."""
    files, errors = expand_paths([str(tree / "a" / "notes.md")])
    assert (files, errors) == ([str(tree / "a" / "notes.md")], [])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_unreadable_file(tmp_path):
    p = write(tmp_path, "locked.txt", TEXT.encode("utf-8"))
    p.chmod(0)
    try:
        with pytest.raises(InputError) as e:
            read_document(p)
        assert e.value.cause == "permission denied"
    finally:
        p.chmod(0o644)


# ---- the UTF-8 shortcut of the binary check, and the read bounded by the file's size -------------

CONTROL_PIECES = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\t", "\r\n", "\n", " ", "é",
                  "\u3000", "一、总体要求", "到2025年达到5万家。", "abc"]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["utf8", "utf8_bom"])
@pytest.mark.parametrize("seed", range(40))
def test_utf8_binary_check_off_the_bytes_agrees_with_the_text_check(bom, seed):
    """_utf8_binary_check counts NUL and control characters in the bytes; wherever it answers,
    it answers as _looks_binary on the decoded text (on texts around the 1 % control share)."""
    from policyparse.readers.txt import _looks_binary, _utf8_binary_check

    rng = random.Random(seed)
    text = "".join(rng.choice(CONTROL_PIECES) if rng.random() < rng.choice([0.002, 0.02, 0.2]) else "中文"
                   for _ in range(rng.choice([0, 1, 50, 500, 3000])))
    answer = _utf8_binary_check(bom + text.encode("utf-8"), text)
    if "\x00" in text:
        assert answer is None      # the general check names the NUL's position
    else:
        assert answer is _looks_binary(text)


def test_utf8_binary_check_leaves_a_long_text_to_the_sample():
    from policyparse.readers.txt import SAMPLE_CHARS, _looks_binary, _utf8_binary_check

    text = "中" * SAMPLE_CHARS + "\x01" * 5000      # the controls lie past the sample: not binary
    assert _utf8_binary_check(text.encode("utf-8"), text) is None
    assert _looks_binary(text) is False
    path_text = "一、总体要求\n" + text
    assert decode_bytes(path_text.encode("utf-8")).text == path_text


@pytest.mark.parametrize("data, size, most, expected", [
    (b"x" * 100, 100, 1001, 100),     # the size stat gave: one read
    (b"x" * 100, 10, 1001, 100),      # grew since stat: read on
    (b"x" * 100, 0, 1001, 100),       # a pipe (size 0)
    (b"x" * 100, 10, 50, 50),         # never more than `most`
    (b"x" * 100, 200, 50, 50),
    (b"", 0, 1001, 0),
])
def test_read_at_most(data, size, most, expected):
    import io

    from policyparse.readers import _read_at_most

    assert _read_at_most(io.BytesIO(data), size, most) == data[:expected]


def test_a_file_over_the_limit_is_refused_whatever_its_size_said(tmp_path, monkeypatch):
    from policyparse import readers

    path = write(tmp_path, "big.txt", TEXT.encode("utf-8") * 10)
    monkeypatch.setattr(readers, "max_size_override", 100)
    with pytest.raises(InputError) as e:
        read_document(path)
    assert "too large" in e.value.cause


def test_read_path_parses_the_bytes_the_caller_read(tmp_path, monkeypatch):
    """cache.read_record hashes a file's bytes and hands them on: they are parsed as they are,
    not read again; bytes over the limit are not taken (the file is read again and refused)."""
    from policyparse import readers
    from policyparse.pipeline import parse_file_record

    path = write(tmp_path, "doc.txt", TEXT.encode("utf-8"))
    other = "一、另一份文件\n到2030年，达到8万家。\n"
    got = readers.read_path(path, data=other.encode("utf-8"))
    assert (got.text, got.encoding, got.format) == (other, "utf-8", "txt")
    assert parse_file_record(path, data=TEXT.encode("utf-8")) == parse_file_record(path)
    monkeypatch.setattr(readers, "max_size_override", 10)
    with pytest.raises(InputError) as e:
        readers.read_path(path, data=other.encode("utf-8"))
    assert "too large" in e.value.cause


def test_read_record_parses_once_from_the_bytes_it_hashed(tmp_path, monkeypatch):
    from policyparse import cache, readers
    from policyparse.pipeline import parse_file_record

    path = write(tmp_path, "doc.txt", TEXT.encode("utf-8"))
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: (opened.append(str(f)), real_open(f, *a, **k))[1])
    record, doc_id, size = cache.read_record(str(path))
    assert opened == [str(path)]
    monkeypatch.undo()
    assert record == parse_file_record(path)
    assert (doc_id, size) == (cache.content_id(path.read_bytes()), path.stat().st_size)
    assert readers.read_path(path).text == TEXT
