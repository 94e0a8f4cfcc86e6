"""A cmd.exe batch file (``.bat`` / ``.cmd``) -> the steps it runs, as far as netsh goes.

Contract: :func:`batch_steps` reads the lines of :class:`BatchLines` and returns ``Step`` tuples (see
``_script_steps``), or raises ``ScriptNotRunnable`` for the first line it cannot run exactly. It is a
small subset of cmd.exe's parser, written from cmd's documented behaviour (``cmd /?``, ``rem /?``,
``chcp /?``) and general knowledge of its phases; what it does not model it refuses:

* lines end at LF; every CR is dropped. A ``^`` outside double quotes makes the next character
  literal; a ``^`` at the very end of a line joins the next line, whose first character is then
  literal (caret continuation). A caret before an empty line or at the end of the file is refused.
* ``@`` at the start of a line, ``REM`` (with the rest of the line, ``&`` included) and lines starting
  with ``:`` (labels, ``::`` comments) are read; a comment or label that continues with a caret is
  refused.
* ``%`` anywhere on a line that runs something is refused (``%VAR%``, ``%1``, ``%%i``): cmd expands it
  before anything else. ``setlocal EnableDelayedExpansion`` is refused (``!VAR!``).
* ``&``, ``&&`` and ``||`` outside quotes join commands (``&&``: run if the one before succeeded,
  ``||``: if it failed). A pipe ``|``, input redirection ``<`` and a command starting with ``(`` are
  refused. Output redirections ``>``, ``>>``, ``1>``, ``2>``, ``2>&1``, ``1>&2`` are removed from the
  command line, as cmd does; their files are not written (the host returns the output instead). A
  digit right before ``>`` inside a word (``dstport=80>nul``) is refused.
* A command is ``netsh`` / ``netsh.exe`` / ``C:\\Windows\\System32\\netsh.exe`` (any case, the path
  optionally quoted) with ``ipsec static ...``; the rest of its line is split with the C runtime's rules
  (``_crt.split_c``), which is what netsh.exe does with the command line cmd hands it. ``echo``,
  ``pause``, ``cls``, ``title``, ``color``, ``ver``, ``timeout``, ``setlocal``, ``endlocal`` and
  ``chcp`` change no store and succeed; ``exit`` (``/b``, a code) and ``goto :eof`` end the script, and
  the lines after an unconditional one are not read (cmd never reads them). Anything else is refused,
  ``if``, ``for``, ``call``, ``set``, ``goto`` and ipsecpol / ipseccmd included.
* ``chcp N`` on a line of its own switches the code page the following lines are decoded with (when
  the script was given as bytes) and that netsh writes its output in.
* A UTF-8 byte order mark makes cmd.exe fail the first command of the file; the first line may then
  hold only a comment or commands without effect, and nothing of it runs.
"""

from __future__ import annotations

import re
from typing import Sequence

from ._crt import split_c
from ._locale import ConfigError, codec_for
from ._script_steps import (ALWAYS, FAILURE, SUCCESS, ScriptNotRunnable, Step, check_netsh_argv, is_netsh_program,
                            refuse_program)

_NOOP = re.compile(r"(echo(?=$|[\s.:;,=(/\\\[\]+])|(pause|cls|ver|endlocal|title|color|timeout)(?=$|\s)).*", re.IGNORECASE | re.DOTALL)
_SETLOCAL = re.compile(r"setlocal(\s+(enableextensions|disabledelayedexpansion))*\s*", re.IGNORECASE)
_CHCP = re.compile(r"chcp(\s+(\d+))?\s*", re.IGNORECASE)
_EXIT = re.compile(r"(exit(\s+/b)?(\s+\d+)?|goto\s+:?eof)\s*", re.IGNORECASE)
_REM = re.compile(r"rem(?=$|[\s])", re.IGNORECASE)
_SPACE = " \t"

Char = tuple[str, bool]  # a character and whether it is literal (quoted or escaped by a caret)


class BatchLines:
    """The physical lines of a batch file, decoded when read, with the code page in effect then.

    *raw* holds ``bytes`` (decoded with *codepage*, which ``chcp`` changes) or ``str`` (already text)."""

    def __init__(self, raw: Sequence[bytes | str], codepage: int) -> None:
        self.raw = list(raw)
        self.codepage = codepage

    def __len__(self) -> int:
        return len(self.raw)

    def text(self, index: int) -> str:
        line = self.raw[index]
        if isinstance(line, str):
            return line.replace("\r", "")
        try:
            return line.replace(b"\r", b"").decode(codec_for(self.codepage))
        except UnicodeDecodeError as exc:
            raise ScriptNotRunnable(index + 1, line.decode("latin-1"), f"not valid in code page {self.codepage}") from exc


def batch_steps(lines: BatchLines, bom: bool = False) -> tuple[Step, ...]:
    """The steps of the batch file *lines* (see the module docstring); *bom*: it started with a UTF-8 BOM."""
    steps: list[Step] = []
    codepage: int | None = None  # set by chcp
    index = 0
    while index < len(lines):
        number = index + 1
        chars, index, texts = _logical_line(lines, index)
        text = "\n".join(texts)
        line_steps = _line_steps(chars, number, text, len(texts) > 1)
        if bom and number == 1:
            if any(step.kind != "noop" for step in line_steps) or ("&" in text or "|" in text):
                raise ScriptNotRunnable(number, text, "the file starts with a byte order mark, so cmd.exe fails the first "
                                                      "command and runs the rest of the line differently; remove the mark")
            continue
        for step in line_steps:
            if step.kind == "chcp":
                codepage = _chcp(lines, step, number, text)
            elif step.kind == "netsh" and codepage is not None:
                steps.append(Step("netsh", step.line, step.when, step.argv, codepage))
            else:
                steps.append(step)
        if line_steps and line_steps[-1].kind == "exit" and line_steps[-1].when == ALWAYS:
            break  # cmd.exe never reads what follows an unconditional exit
    return tuple(steps)


def _chcp(lines: BatchLines, step: Step, number: int, text: str) -> int:
    """Switch *lines* to the code page of a ``chcp N`` step; return it."""
    if step.when != ALWAYS:
        raise ScriptNotRunnable(number, text, "a conditional chcp changes the code page of later lines only at run time")
    try:
        codec_for(int(step.argv[0]))
    except ConfigError as exc:
        raise ScriptNotRunnable(number, text, f"code page {step.argv[0]} is not known") from exc
    lines.codepage = int(step.argv[0])
    return lines.codepage


def _logical_line(lines: BatchLines, index: int) -> tuple[list[Char], int, list[str]]:
    """Read one logical line from physical line *index*: caret escapes and continuations, quote state.

    Returns its characters, the index of the next physical line and the physical lines it spans."""
    chars: list[Char] = []
    texts: list[str] = []
    quoted = escape_next = False
    while True:
        text = lines.text(index)
        texts.append(text)
        index += 1
        position, continued = 0, False
        while position < len(text):
            ch = text[position]
            if escape_next:
                chars.append((ch, True))
                escape_next = False
            elif ch == '"':
                quoted = not quoted
                chars.append((ch, False))
            elif ch == "^" and not quoted:
                if position == len(text) - 1:
                    continued = True
                    break
                position += 1
                chars.append((text[position], True))
            else:
                chars.append((ch, quoted))
            position += 1
        if not continued:
            return chars, index, texts
        if index >= len(lines):
            raise ScriptNotRunnable(index, text, "a caret continues the last line of the file")
        if lines.text(index) == "":
            raise ScriptNotRunnable(index, text, "a caret continues onto an empty line")
        escape_next = True


def _line_steps(chars: list[Char], number: int, text: str, continued: bool) -> list[Step]:
    """The steps of one logical line; ``chcp N`` comes back as a step of kind ``chcp`` with argv ``(N,)``,
    which :func:`batch_steps` applies and drops."""
    position = _skip(chars, 0, _SPACE + "@")
    rest = "".join(ch for ch, dummy in chars[position:])
    if rest.startswith(":") or _REM.match(rest) or not rest.strip():
        if continued and rest.strip():
            raise ScriptNotRunnable(number, text, "a comment or label continued with a caret")
        return []
    if "%" in text:
        raise ScriptNotRunnable(number, text, "'%' (a variable or argument cmd.exe expands)")
    steps: list[Step] = []
    when = ALWAYS
    while True:
        position = _skip(chars, position, _SPACE)
        if _REM.match("".join(ch for ch, dummy in chars[position:position + 4])):
            return steps
        command, position, operator = _command(chars, position, number, text)
        steps.append(_step(command, number, text, when))
        if operator is None:
            return steps
        when = {"&": ALWAYS, "&&": SUCCESS, "||": FAILURE}[operator]


def _skip(chars: list[Char], position: int, skipped: str) -> int:
    while position < len(chars) and chars[position][0] in skipped and not chars[position][1]:
        position += 1
    return position


def _command(chars: list[Char], position: int, number: int, text: str) -> tuple[list[Char], int, str | None]:
    """Read one command up to ``&``, ``&&``, ``||`` or the end; redirections are removed from it."""
    command: list[Char] = []
    while position < len(chars):
        ch, literal = chars[position]
        following = chars[position + 1] if position + 1 < len(chars) else ("", True)
        if literal or ch not in "&|<>":
            command.append((ch, literal))
            position += 1
            continue
        if ch == "&" or (ch == "|" and following == ("|", False)):
            operator = ch * 2 if following == (ch, False) else ch
            if not "".join(c for c, dummy in command).strip():
                raise ScriptNotRunnable(number, text, f"nothing before {operator!r}")
            return command, position + len(operator), operator
        if ch == "|":
            raise ScriptNotRunnable(number, text, "a pipe '|'")
        if ch == "<":
            raise ScriptNotRunnable(number, text, "input redirection '<'")
        position = _redirection(chars, position, command, number, text)
    if not "".join(c for c, dummy in command).strip():
        raise ScriptNotRunnable(number, text, "an operator with no command after it")
    return command, position, None


def _redirection(chars: list[Char], position: int, command: list[Char], number: int, text: str) -> int:
    """Skip the output redirection at *position* (a ``>``); drop its handle digit from *command*."""
    word_start = len(command)
    while word_start > 0 and not (command[word_start - 1][0] in _SPACE and not command[word_start - 1][1]):
        word_start -= 1
    word = command[word_start:]
    if len(word) == 1 and word[0][0] in "12" and not word[0][1]:
        del command[word_start:]
    elif word and word[-1][0].isdigit():
        raise ScriptNotRunnable(number, text, "a digit right before '>' (cmd.exe may read it as a handle)")
    position += 1
    if position < len(chars) and chars[position] == (">", False):
        position += 1
    if position < len(chars) and chars[position] == ("&", False):
        if position + 1 < len(chars) and chars[position + 1][0] in "12":
            return position + 2
        raise ScriptNotRunnable(number, text, "a redirection to a handle other than &1 or &2")
    position = _skip(chars, position, _SPACE)
    start = position
    quoted = False
    while position < len(chars):
        ch, literal = chars[position]
        if ch == '"':
            quoted = not quoted
        elif not quoted and not literal and (ch in _SPACE or ch in "&|<>"):
            break
        position += 1
    if position == start:
        raise ScriptNotRunnable(number, text, "a redirection without a file")
    return position


def _step(command: list[Char], number: int, text: str, when: str) -> Step:
    """What one command (without its redirections) is: netsh, a no-op, an exit or a code page change."""
    line = "".join(ch for ch, dummy in command).strip(_SPACE)
    if line.startswith("(") and not command[0][1]:
        raise ScriptNotRunnable(number, text, "a parenthesised block")
    if _NOOP.fullmatch(line) or _SETLOCAL.fullmatch(line):
        return Step("noop", number, when)
    chcp = _CHCP.fullmatch(line)
    if chcp:
        return Step("chcp", number, when, (chcp.group(2),)) if chcp.group(2) else Step("noop", number, when)
    if _EXIT.fullmatch(line):
        return Step("exit", number, when)
    if line.startswith('"'):
        program, sep, rest = line[1:].partition('"')
        if not sep or (rest and rest[0] not in _SPACE):
            raise ScriptNotRunnable(number, text, "a quoted program name cmd.exe would read differently")
    else:
        cut = next((i for i, ch in enumerate(line) if ch in _SPACE), len(line))
        program, rest = line[:cut], line[cut:]
        if '"' in program:
            raise ScriptNotRunnable(number, text, "a quote inside the program name")
    if not is_netsh_program(program):
        raise refuse_program(program, number, text)
    return Step("netsh", number, when, check_netsh_argv(split_c(rest), number, text))
