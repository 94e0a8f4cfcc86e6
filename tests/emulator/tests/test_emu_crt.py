"""MSVCRT splitting (execution.md §2.3)."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsh_emulator import join_c, split_c


@pytest.mark.parametrize(("line", "argv"), [
    ("a b\tc", ["a", "b", "c"]),
    ('  "name=My Policy"  x', ["name=My Policy", "x"]),
    ('name="Packet Filter"', ["name=Packet Filter"]),
    ('""', [""]),
    ('a "" b', ["a", "", "b"]),
    (r'a\\b', [r"a\\b"]),                  # backslashes not before a quote are literal
    (r'a\"b', ['a"b']),                    # 1 backslash + quote -> literal quote
    (r'a\\"b c"', [r"a\b c"]),             # 2 backslashes + quote -> 1 backslash, quote toggles
    (r'a\\\"b', [r'a\"b']),                # 3 -> 1 backslash + literal quote
    ('"a""b"', ['a"b']),                   # "" inside quotes -> literal quote
    ('"C:\\dir with space\\\\"', ["C:\\dir with space\\"]),
    ("", []),
    ("   ", []),
])
def test_split_c_cases(line, argv):
    assert split_c(line) == argv


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_split_inverts_join(argv):
    assert split_c(join_c(argv)) == argv


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_split_inverts_list2cmdline(argv):
    # subprocess.list2cmdline is the reference MSVCRT quoting; it leaves "\n"-free args alone
    assert split_c(subprocess.list2cmdline(argv)) == list(argv)


@pytest.mark.parametrize("value", ["name=100% %PATH% %%x", "say \"hi\" & <bye> | ^caret! 'single'",
                                   "C:\\dir with space\\", "", "Zürich ✓", 'a\\\\"b'])
def test_round_trip_examples(value):
    assert split_c(join_c(["x", value, "y"])) == ["x", value, "y"]
