"""One PowerShell statement that calls a native program: the statement text -> the program's argv.

Why: ``ansible.builtin.raw`` over WinRM does not send the command to cmd.exe but wraps it in
PowerShell: ``powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand
<base64 of the UTF-16-LE script>`` where the script is the raw command itself (execution.md §1.2,
ansible-core 2.21 ``get_pwsh_encoded_cmdline``; 2.16-2.20 ``_encode_script``, §1.3). So a raw
``netsh ipsec static add filterlist name="Web Servers"`` is parsed by PowerShell 5.1 as a native
command call, and netsh receives the argument ``name=Web Servers``.

Contract::

    split_statement(statement) -> list[str]     # argv, program first
    netsh_arguments(statement) -> list[str]     # argv after the program, which must be netsh
    command_words(statement) -> list[str]       # the words, no argument-passing checks (cmdlets)

All raise :class:`NativeCommandRejected` for anything outside the subset below.

The tokenizer is **deliberately a small subset of PowerShell's parser** (argument mode of one
command, no expressions). It accepts exactly what it can emulate faithfully and rejects the rest
loudly:

* Tokens are separated by spaces and tabs. Inside a token, ``"..."`` and ``'...'`` segments are
  concatenated with bare text, quotes removed: ``filterlist="Web Servers"`` is the single argument
  ``filterlist=Web Servers``. In single quotes everything is literal and ``''`` is one ``'``; in
  double quotes ``""`` is one ``"``.
* Rejected outside single quotes: ``$`` and the backtick (variables, subexpressions, escapes).
  Rejected outside any quotes: ``; | & ( ) { } < > ,`` (statement separators, pipelines, call
  operator, grouping, script blocks, redirection, array arguments), ``@`` and ``#`` at the start of a
  token (splatting/here-strings, comments), a dash-like U+2013-U+2015 at the start of a token, and
  whitespace other than space and tab. Rejected everywhere: the typographic quotes PowerShell also
  treats as quotes (U+2018-U+201B, U+201C-U+201E), control characters other than tab, and an
  unterminated quote. (Inside double quotes PowerShell keeps ``; | & ( ) { } < > , @ #`` literal,
  and so does this tokenizer.)
* Rejected arguments, because PowerShell 5.1 would not pass them to the program as written: one that
  contains ``"`` after unquoting (5.1 does not escape it), one that is empty (5.1 drops it), one
  with whitespace and a trailing backslash (5.1 wraps it as ``"...\\"``, which the CRT reads as an
  escaped quote), a bare token starting with a dash other than ``-?`` (parameter tokens, ``--``,
  ``--%``), and a bare token PowerShell reads as a number other than a plain decimal integer
  (``0x10``, ``1e3``, ``1kb``, ``010``, ``1.5``).
* The program token is bare (no quotes; a quoted first token would be a string expression, not a
  command).

The caller (the fake PowerShell, ``_bootstrap_emulation``) decides what to run and how to report.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = " \t"
_ALWAYS_REJECTED = {"\u2018", "\u2019", "\u201a", "\u201b", "\u201c", "\u201d", "\u201e"}
_DOUBLE_QUOTED_REJECTED = {"$", "`"}
_BARE_REJECTED = {"$", "`", ";", "|", "&", "(", ")", "{", "}", "<", ">", ","}
_BARE_REJECTED_AT_START = {"@", "#", "\u2013", "\u2014", "\u2015"}
_NUMBER = re.compile(r"\+?(0x[0-9a-f]+l?|([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?[ld]?)(kb|mb|gb|tb|pb)?", re.IGNORECASE)
_PLAIN_INTEGER = re.compile(r"0|[1-9][0-9]*")
_NETSH_NAMES = ("netsh", "netsh.exe")
_ONLY = "it only runs one plain netsh command line (or the lockdown-ipsec bootstrap)"


class NativeCommandRejected(ValueError):
    """The statement is outside the emulated subset; the message says why, ``reason`` the bare cause."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def _reject(reason: str) -> NativeCommandRejected:
    return NativeCommandRejected(f"The fake PowerShell does not understand this script: {reason}; {_ONLY}.", reason)


def _describe(ch: str) -> str:
    if ch == "`":
        return "the backtick (`)"
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"the character U+{ord(ch):04X}"


def _check_char(ch: str, where: str) -> None:
    if ch in _ALWAYS_REJECTED or (unicodedata.category(ch) == "Cc" and ch != "\t"):
        raise _reject(f"{_describe(ch)} {where}")


class _Token:
    """One token while it is being read: its argument value and whether any part was quoted."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.quoted = False

    @property
    def value(self) -> str:
        return "".join(self.parts)


def _read_quoted(text: str, i: int, token: _Token) -> int:
    """Read a ``'...'`` or ``"..."`` segment starting at text[i] (the quote); return the index after it.

    A doubled quote inside stands for one. Inside double quotes ``$`` and the backtick are refused:
    PowerShell would expand or escape what follows them."""
    quote = text[i]
    where = "inside single quotes" if quote == "'" else "inside double quotes"
    i += 1
    while i < len(text):
        ch = text[i]
        _check_char(ch, where)
        if quote == '"' and ch in _DOUBLE_QUOTED_REJECTED:
            raise _reject(f"{_describe(ch)} inside double quotes (PowerShell would expand or escape it)")
        if ch == quote:
            if text[i + 1:i + 2] == quote:
                token.parts.append(quote)
                i += 2
                continue
            return i + 1
        token.parts.append(ch)
        i += 1
    kind = "single" if quote == "'" else "double"
    raise _reject(f"an unterminated {kind}-quoted string")


def _read_token(text: str, i: int) -> tuple[_Token, int]:
    """Read one token starting at a non-separator text[i]; return it and the index after it."""
    token = _Token()
    start = i
    while i < len(text) and text[i] not in _SEPARATORS:
        ch = text[i]
        if ch in "'\"":
            token.quoted = True
            i = _read_quoted(text, i, token)
            continue
        _check_char(ch, "outside quotes")
        if ch.isspace():
            raise _reject(f"{_describe(ch)} (whitespace other than space and tab) outside quotes")
        if ch in _BARE_REJECTED or (i == start and ch in _BARE_REJECTED_AT_START):
            raise _reject(f"{_describe(ch)} outside quotes")
        token.parts.append(ch)
        i += 1
    return token, i


def _check_argument(token: _Token) -> None:
    value = token.value
    if '"' in value:
        raise _reject(f"the argument {value!r} contains '\"' (PowerShell 5.1 would pass it to netsh broken)")
    if value == "":
        raise _reject("an empty argument (PowerShell 5.1 drops it)")
    if value[-1] == "\\" and any(ch in _SEPARATORS for ch in value):
        raise _reject(f"the argument {value!r} has whitespace and a trailing backslash "
                      "(PowerShell 5.1 would pass it to netsh broken)")
    if token.quoted:
        return
    if value[0] == "-" and value != "-?":
        raise _reject(f"the bare token {value!r} starts with '-' (PowerShell reads it as a parameter token)")
    if _NUMBER.fullmatch(value) and not _PLAIN_INTEGER.fullmatch(value):
        raise _reject(f"the bare token {value!r} is a number to PowerShell (quote it)")


def _tokens(statement: str) -> list[_Token]:
    tokens = []
    i = 0
    while i < len(statement):
        if statement[i] in _SEPARATORS:
            i += 1
            continue
        token, i = _read_token(statement, i)
        tokens.append(token)
    if not tokens:
        raise _reject("the statement is empty")
    if tokens[0].quoted:
        raise _reject("the program name is quoted (PowerShell would read a string, not a command)")
    return tokens


def _arguments(tokens: list[_Token]) -> list[str]:
    for token in tokens:
        _check_argument(token)
    return [token.value for token in tokens]


def split_statement(statement: str) -> list[str]:
    """Split one native-command statement into argv (program first); see the module docstring."""
    tokens = _tokens(statement)
    return [tokens[0].value] + _arguments(tokens[1:])


def command_words(statement: str) -> list[str]:
    """The words of *statement* (first one bare) under the same tokenizer, without the checks on how 5.1
    passes arguments to a program: for a cmdlet such as ``Start-Sleep -Seconds 2`` (``_script_powershell``)."""
    return [token.value for token in _tokens(statement)]


def netsh_arguments(statement: str) -> list[str]:
    """The arguments netsh.exe receives from *statement*, which must call ``netsh`` / ``netsh.exe``.

    The program is matched case-insensitively as ``netsh``, ``netsh.exe`` or a path ending in
    ``\\netsh.exe``; any other program is rejected.
    """
    tokens = _tokens(statement)
    program = tokens[0].value
    if program.lower() not in _NETSH_NAMES and not program.lower().endswith("\\netsh.exe"):
        raise _reject(f"it calls {program!r}, not netsh")
    return _arguments(tokens[1:])
