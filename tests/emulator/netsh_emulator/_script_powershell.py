"""A Windows PowerShell 5.1 script (``.ps1``) -> the netsh commands it runs.

Contract: :func:`powershell_steps` takes the script's lines (text) and returns ``Step`` tuples (see
``_script_steps``), or raises ``ScriptNotRunnable`` for the first line outside this subset:

* ``#`` comments (a whole line, or from a ``#`` that starts a word to the end of the line) and ``<# ... #>``
  block comments that start a line and end a line; ``;`` between statements on one line.
* A statement calls netsh: ``netsh``, ``netsh.exe`` or ``C:\\Windows\\System32\\netsh.exe`` (any case),
  optionally after the call operator ``&`` (which allows the path in quotes) and ``$null =``, with
  ``ipsec static ...``. Its arguments are read by ``_native_command`` (the fake PowerShell's tokenizer: bare
  words, ``'...'`` and ``"..."`` joined to the text around them, quotes removed), so ``name="Web Servers"``
  reaches netsh as ``name=Web Servers``; what that tokenizer refuses (``$``, the backtick, ``--%``,
  number-like words, embedded ``"``, empty arguments ...) is refused here too.
* Redirections ``>``, ``>>``, ``2>``, ``*>`` (to ``$null`` or a file, which is not written) and
  ``2>&1``, and a pipeline into ``Out-Null``, are removed.
* ``Write-Host``, ``Write-Output``, ``echo``, ``Write-Verbose``, ``Write-Warning``, ``Clear-Host``,
  ``cls``, ``pause``, ``Start-Sleep``, ``sleep`` and ``Set-StrictMode`` with literal arguments are no-ops;
  ``exit`` and ``return`` (optionally with a number) end the script.
* Refused: variables and expressions, ``%`` (PowerShell passes ``%IP%`` on literally; a batch variable was
  meant), ``&&`` and ``||`` (PowerShell 7 only: Windows PowerShell 5.1 refuses the whole script), ``if``,
  ``foreach``, functions, any other command, a line continued with a backtick or a trailing ``|``, and
  multi-line strings.

Every statement is unconditional: PowerShell goes on after a native command fails.
"""

from __future__ import annotations

import re

from ._native_command import NativeCommandRejected, command_words, split_statement
from ._script_steps import ScriptNotRunnable, Step, check_netsh_argv, is_netsh_program, refuse_program

_NOOPS = ("write-host", "write-output", "echo", "write-verbose", "write-warning", "clear-host", "cls", "pause",
          "start-sleep", "sleep", "set-strictmode")
_EXIT = re.compile(r"(exit|return)(\s+[0-9]+)?\s*", re.IGNORECASE)
_NULL_ASSIGNMENT = re.compile(r"\$null\s*=\s*", re.IGNORECASE)
_OUT_NULL = re.compile(r"\s*out-null\s*", re.IGNORECASE)
_REDIRECTION = re.compile(r"([1-6*]?)(>>?)(&[12])?")
_SPACE = " \t"


def powershell_steps(lines: list[str]) -> tuple[Step, ...]:
    """The steps of the PowerShell script *lines* (see the module docstring)."""
    steps: list[Step] = []
    block_start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if block_start:
            end = line.find("#>")
            if end >= 0:
                _nothing_after_block(line, end, number)
                block_start = 0
            continue
        stripped = line.strip(_SPACE)
        if stripped.startswith("<#"):
            end = stripped.find("#>", 2)
            if end < 0:
                block_start = number
            else:
                _nothing_after_block(stripped, end, number)
            continue
        for statement in _statements(line, number):
            steps.append(_statement_step(statement, number, line))
    if block_start:
        raise ScriptNotRunnable(block_start, lines[block_start - 1], "a block comment that never ends")
    return tuple(steps)


def _nothing_after_block(line: str, end: int, number: int) -> None:
    if line[end + 2:].strip(_SPACE):
        raise ScriptNotRunnable(number, line, "text after the end of a block comment")


def _statements(line: str, number: int) -> list[str]:
    """Split *line* at ``;`` outside quotes and drop a trailing ``#`` comment."""
    statements: list[str] = []
    quote = ""
    start = 0
    for position, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "`" and quote == '"':
                raise ScriptNotRunnable(number, line, "the backtick (`) inside double quotes")
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "`":
            raise ScriptNotRunnable(number, line, "the backtick (`) (an escape or a line continuation)")
        elif ch == "#" and (position == 0 or line[position - 1] in _SPACE + ";"):
            statements.append(line[start:position])
            return [s for s in statements if s.strip(_SPACE)]
        elif ch == "<" and line[position + 1:position + 2] == "#":
            raise ScriptNotRunnable(number, line, "a block comment inside a line")
        elif ch == ";":
            statements.append(line[start:position])
            start = position + 1
    if quote:
        raise ScriptNotRunnable(number, line, "a string that goes on past the end of the line")
    statements.append(line[start:])
    return [s for s in statements if s.strip(_SPACE)]


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, quote, start = [], "", 0
    for position, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == separator:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return parts


def _statement_step(statement: str, number: int, line: str) -> Step:
    if "%" in statement:
        raise ScriptNotRunnable(number, line, "'%' (PowerShell passes %VAR% on literally; a batch variable was meant)")
    segments = _split_outside_quotes(statement, "|")
    if any(not segment.strip(_SPACE) for segment in segments):
        raise ScriptNotRunnable(number, line, "'||' (PowerShell 7 only) or a pipeline that goes on to the next line")
    if any(not _OUT_NULL.fullmatch(segment) for segment in segments[1:]):
        raise ScriptNotRunnable(number, line, "a pipeline into something else than Out-Null")
    body = segments[0].strip(_SPACE)
    if "&&" in _outside_quotes(body):
        raise ScriptNotRunnable(number, line, "'&&' (PowerShell 7 only; Windows PowerShell 5.1 refuses the whole script)")
    if _EXIT.fullmatch(body):
        return Step("exit", number)
    assigned = _NULL_ASSIGNMENT.match(body)
    if assigned:
        body = body[assigned.end():]
    call = body.startswith("&") and body[1:2] in (" ", "\t", '"', "'")
    if call:
        body = body[1:].lstrip(_SPACE)
    body = _without_redirections(body, number, line)
    program, rest = _program(body, call, number, line)
    try:
        if is_netsh_program(program):
            return Step("netsh", number, argv=check_netsh_argv(split_statement("netsh " + rest)[1:], number, line))
        if program.lower() in _NOOPS and not assigned and not call:
            command_words(body)
            return Step("noop", number)
    except NativeCommandRejected as exc:
        raise ScriptNotRunnable(number, line, exc.reason) from exc
    raise refuse_program(program, number, line)


def _outside_quotes(text: str) -> str:
    """*text* with every quoted part blanked out."""
    out, quote = [], ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
            out.append(" ")
        elif ch in "'\"":
            quote = ch
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _without_redirections(body: str, number: int, line: str) -> str:
    """*body* without its redirections (``2>$null``, ``> file``, ``2>&1``, ...)."""
    bare = _outside_quotes(body)
    if "<" in bare:
        raise ScriptNotRunnable(number, line, "'<' (Windows PowerShell has no input redirection)")
    kept, position = [], 0
    while True:
        found = bare.find(">", position)
        if found < 0:
            kept.append(body[position:])
            return "".join(kept).strip(_SPACE)
        start = found - 1 if found > 0 and bare[found - 1] in "123456*" else found
        if start > 0 and bare[start - 1] not in _SPACE:
            raise ScriptNotRunnable(number, line, "'>' inside a word")
        match = _REDIRECTION.match(bare, start)
        end = match.end()
        if not match.group(3):
            end = _target_end(body, bare, end, number, line)
        kept.append(body[position:start])
        position = end


def _target_end(body: str, bare: str, position: int, number: int, line: str) -> int:
    """The end of the redirection target (``$null``, a path, a quoted path) that starts at or after *position*."""
    while position < len(body) and body[position] in _SPACE:
        position += 1
    if body[position:position + 1] in ("'", '"'):
        close = body.find(body[position], position + 1)
        return close + 1  # the statement's quotes are balanced (_statements)
    end = position
    while end < len(bare) and bare[end] not in _SPACE and bare[end] not in "<>'\"":
        end += 1
    if end == position:
        raise ScriptNotRunnable(number, line, "a redirection without a target")
    return end


def _program(body: str, call: bool, number: int, line: str) -> tuple[str, str]:
    """The program word of *body* and the text after it; with ``&`` the program may be quoted."""
    if call and body[:1] in ("'", '"'):
        quote = body[0]
        program, sep, rest = body[1:].partition(quote)
        if not sep or (rest and rest[0] not in _SPACE):
            raise ScriptNotRunnable(number, line, "a quoted program name with text attached")
        return program, rest
    cut = next((i for i, ch in enumerate(body) if ch in _SPACE), len(body))
    program = body[:cut]
    if not program or program[0] in "'\"$(@[{":
        raise ScriptNotRunnable(number, line, "an expression, not a command")
    return program, body[cut:]
