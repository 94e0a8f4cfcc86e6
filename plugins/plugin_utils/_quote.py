# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The one quoting function for Windows command lines.

netsh.exe is started with ``ProcessStartInfo.Arguments`` set to a string built here, so the only
parser that ever reads it is the Microsoft C runtime's (``parse_cmdline`` in msvcrt, which agrees
with ``CommandLineToArgvW`` on everything this module emits). Neither cmd.exe nor PowerShell sees the
string, so ``%``, ``^``, ``&``, ``!``, ``'``, ``<``, ``>``, ``|``, ``(``, ``)`` and non-ASCII text
are ordinary characters and are passed through untouched.

Source of the rules: Microsoft, "Parsing C command-line arguments" (C runtime documentation), as
summarised in ``reference/execution.md`` §2.3; it is the algorithm of CPython's
``subprocess.list2cmdline`` and of ansible.windows' internal ``quote_c``.
"""

from __future__ import annotations

from collections.abc import Sequence

# Space and tab end an unquoted argument and `"` starts a quoted block (the CRT rules). A newline is
# an ordinary character to the CRT; execution.md §2.3 quotes it anyway, so that a line break never
# stands bare in a command line (subprocess.list2cmdline, which does not, differs only there).
_NEEDS_QUOTES = frozenset(' \t\n"')


def quote_c(arg: str) -> str:
    """Quote one argument so that the MSVCRT parser gives back exactly ``arg``.

    Rules (execution.md §2.3):

    1. A NUL cannot be carried by a Windows command line: :class:`ValueError`, naming the argument.
    2. The empty string becomes ``""``.
    3. An argument with no space, tab, newline or ``"`` is returned unchanged.
    4. Otherwise it is wrapped in ``"``; a run of *n* backslashes before a ``"`` becomes *2n+1*
       backslashes and ``\\"``, a run of *n* backslashes at the end becomes *2n* backslashes (so they
       do not escape the closing quote), and any other backslash is copied as it is.

    The result never holds a bare ``"`` inside a quoted block, so the pre-2008 msvcrt, the post-2008
    msvcrt (``""`` inside quotes is a literal quote) and ``CommandLineToArgvW`` all read it the same.

    Raises:
        ValueError: ``arg`` contains a NUL character.
    """
    if "\0" in arg:
        raise ValueError(f"cannot pass an argument containing NUL on a Windows command line: {arg!r}")
    if not arg:
        return '""'
    if not _NEEDS_QUOTES.intersection(arg):
        return arg
    out = ['"']
    backslashes = 0
    for char in arg:
        if char == "\\":
            backslashes += 1
            continue
        if char == '"':
            out.append("\\" * (2 * backslashes + 1))
            out.append('"')
        else:
            out.append("\\" * backslashes)
            out.append(char)
        backslashes = 0
    out.append("\\" * (2 * backslashes))
    out.append('"')
    return "".join(out)


def join_c(argv: Sequence[str]) -> str:
    """Quote every argument with :func:`quote_c` and join them with single spaces.

    ``argv`` holds the arguments only (not the program name): the result is what goes into
    ``ProcessStartInfo.Arguments``.

    Raises:
        ValueError: an argument contains a NUL character.
        TypeError: ``argv`` is a plain string (a common slip that would quote each character).
    """
    if isinstance(argv, str):
        raise TypeError(f"join_c() takes a sequence of arguments, not a string: {argv!r}")
    return " ".join(quote_c(arg) for arg in argv)


__all__ = ["join_c", "quote_c"]
