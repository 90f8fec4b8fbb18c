"""errors.display_name: names made printable; the isprintable() shortcut changes nothing."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings, strategies as st

from policyparse.errors import display_name


def straightforward(name: str) -> str:
    """The reading display_name must give for a str name that is valid UTF-8: every C0, DEL
    and C1 control shown as \\xNN, every other character kept."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in name)


@pytest.mark.parametrize("name, shown", [
    ("seeds/000.txt", "seeds/000.txt"),
    ("规划\u3000全文.txt", "规划\u3000全文.txt"),          # non-printable but not a control: kept
    ("a\u200bb.txt", "a\u200bb.txt"),                      # zero-width space: kept
    ("\x1b[31mred\x1b[0m.txt", "\\x1b[31mred\\x1b[0m.txt"),
    ("tab\there.txt", "tab\\x09here.txt"),
    ("del\x7f.txt", "del\\x7f.txt"),
    ("c1\x85\x9f.txt", "c1\\x85\\x9f.txt"),
    ("nbsp\xa0.txt", "nbsp\xa0.txt"),                      # U+00A0 is past the C1 block
])
def test_table(name, shown):
    assert display_name(name) == shown


def test_gbk_bytes_name_is_read_as_gb18030():
    raw = "规划".encode("gb18030") + b".txt"
    assert display_name(raw) == "规划.txt"
    assert display_name(os.fsdecode(raw)) == "规划.txt"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_same_as_straightforward(name):
    assert display_name(name) == straightforward(name)


def test_every_control_is_non_printable():
    """What the shortcut rests on: a printable name holds no control character."""
    controls = [chr(cp) for cp in range(160) if cp < 32 or cp >= 127]
    assert len(controls) == 65 and not any(c.isprintable() for c in controls)
