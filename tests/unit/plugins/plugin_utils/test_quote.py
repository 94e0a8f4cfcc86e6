# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""quote_c / join_c against the MSVCRT command-line rules (reference/execution.md §2.3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c, quote_c


def split_c(line: str) -> list[str]:
    """The MSVCRT (post-2008) command-line parser, written from execution.md §2.3 for the tests only.

    Spaces and tabs between arguments are skipped. A run of n backslashes followed by ``"`` gives n/2
    backslashes (rounded down) and, when n is odd, a literal ``"``; when n is even the ``"`` is then
    processed as a quote character. Other backslashes are literal. A ``"`` toggles quoting, except
    that ``""`` inside quotes gives a literal ``"`` (and quoting goes on). An unquoted space or tab
    ends the argument.
    """
    args: list[str] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        arg: list[str] = []
        quoted = False
        while i < n:
            char = line[i]
            if char == "\\":
                end = i
                while end < n and line[end] == "\\":
                    end += 1
                count = end - i
                if end < n and line[end] == '"':
                    arg.append("\\" * (count // 2))
                    if count % 2:
                        arg.append('"')
                        i = end + 1
                    else:
                        i = end
                else:
                    arg.append("\\" * count)
                    i = end
            elif char == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    arg.append('"')
                    i += 2
                else:
                    quoted = not quoted
                    i += 1
            elif char in " \t" and not quoted:
                break
            else:
                arg.append(char)
                i += 1
        args.append("".join(arg))


class TestSplitC:
    """The test-side parser must itself follow the documented rules, or the property proves nothing."""

    @pytest.mark.parametrize(
        ("line", "argv"),
        [
            ('a b\tc', ["a", "b", "c"]),
            ('"a b" c', ["a b", "c"]),
            ('a\\\\b', ["a\\\\b"]),
            ('a\\\\"b c"', ["a\\b c"]),
            ('a\\\\\\"b', ['a\\"b']),
            ('"a""b"', ['a"b']),
            ('""', [""]),
            ('  x  ', ["x"]),
            ('ab"c d"e', ["abc de"]),
        ],
    )
    def test_known_lines(self, line: str, argv: list[str]) -> None:
        assert split_c(line) == argv


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("name=100% %PATH% %%x", '"name=100% %PATH% %%x"'),
        ("%PATH%", "%PATH%"),
        ("say \"hi\" & <bye> | ^caret! 'single'", "\"say \\\"hi\\\" & <bye> | ^caret! 'single'\""),
        ("^&|<>()!'", "^&|<>()!'"),
        ("C:\\dir with space\\", '"C:\\dir with space\\\\"'),
        ("", '""'),
        ("Zürich ✓", '"Zürich ✓"'),
        ("Zürich", "Zürich"),
        ('a\\\\"b', '"a\\\\\\\\\\"b"'),
        ('"', '"\\""'),
        ("C:\\path\\\\", "C:\\path\\\\"),
        ("a b\\\\", '"a b\\\\\\\\"'),
        ("a\\b c", '"a\\b c"'),
        ("tab\there", '"tab\there"'),
        ("line\nbreak", '"line\nbreak"'),
        ("description=Allow RDP from jump hosts", '"description=Allow RDP from jump hosts"'),
    ],
)
def test_quote_c_examples(arg: str, quoted: str) -> None:
    assert quote_c(arg) == quoted
    assert split_c(quoted) == [arg]


def test_trailing_backslashes_do_not_escape_the_closing_quote() -> None:
    for count in range(1, 6):
        arg = "dir with space" + "\\" * count
        assert quote_c(arg) == '"dir with space' + "\\" * (2 * count) + '"'
        assert split_c(join_c([arg, "next"])) == [arg, "next"]


def test_join_c_joins_with_single_spaces() -> None:
    argv = ["ipsec", "static", "add", "policy", "name=Web servers", "description=", ""]
    assert join_c(argv) == 'ipsec static add policy "name=Web servers" description= ""'
    assert split_c(join_c(argv)) == argv


def test_join_c_of_nothing_is_empty() -> None:
    assert join_c([]) == ""


def test_nul_is_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="bad\\\\x00name"):
        quote_c("bad\0name")
    with pytest.raises(ValueError, match="NUL"):
        join_c(["ok", "x\0"])


def test_join_c_refuses_a_plain_string() -> None:
    with pytest.raises(TypeError):
        join_c("ipsec static show all")


# Any text except NUL and lone surrogates, built from pieces so that the characters the rules are
# about (space, tab, newline, quote, backslash) turn up in every run: st.text(alphabet=one_of(...))
# merges its alphabet into one character set and then almost never draws a backslash or a quote.
_ANY_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\0")
_ARG_TEXT = st.one_of(
    st.lists(
        st.one_of(
            st.sampled_from([" ", "\t", "\n", '"', "\\", "\\\\", '\\"', "%", "^&|<>", "!'()="]),
            st.text(alphabet=_ANY_CHAR, max_size=4),
        ),
        max_size=12,
    ).map("".join),
    st.text(alphabet=_ANY_CHAR),
)


@settings(max_examples=500)
@given(st.lists(_ARG_TEXT))
def test_split_of_join_is_identity(argv: list[str]) -> None:
    assert split_c(join_c(argv)) == argv


@given(_ARG_TEXT)
def test_quoted_block_never_holds_a_bare_quote(arg: str) -> None:
    # The property that makes pre-2008 msvcrt, post-2008 msvcrt and CommandLineToArgvW agree.
    quoted = quote_c(arg)
    if quoted.startswith('"'):
        inner = quoted[1:-1]
        backslashes = 0
        for char in inner:
            if char == '"':
                assert backslashes % 2 == 1
            backslashes = backslashes + 1 if char == "\\" else 0
        assert backslashes % 2 == 0
    else:
        assert arg and not set(' \t\n"') & set(arg)
