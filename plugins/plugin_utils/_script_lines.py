# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A script as the netsh, ipsecpol and ipseccmd commands it runs, line by line.

The first half of reading a script (``ipsec_config state=parsed``, ``running_config_format: script``):
which commands a cmd batch file, a PowerShell script, a netsh context file (``pushd ipsec static`` ...
``popd``, or ``netsh -f`` input) or plain text would run, as argument lists with the line each starts
on. What the commands do to the store is the interpreter's business; this module only finds them, and
lists every line it cannot read exactly as :class:`Unsupported`, with the reason. It never guesses.

The syntax accepted is what public scripts use (``../shared/reference/netsh/REAL-WORLD.md``, the
counts are recorded in ``docs/assumptions.md``):

* a command is ``netsh``, ``netsh.exe`` or a path ending in ``\\netsh.exe``, in any case, followed by
  ``ipsec static`` in any case; ``ipsecpol`` and ``ipseccmd`` likewise (with ``.exe`` or a path);
* cmd caret continuation (a line ending in ``^`` goes on with the next line);
* ``REM`` and ``::`` comments, PowerShell ``#`` and ``<# ... #>`` comments, ``@`` before a command,
  the PowerShell call operator ``&`` before it;
* several commands on a line joined with ``&&``, ``||`` or ``&`` (cmd);
* redirections (``> nul``, ``2>nul``, ``2>$null``, ``>> log.txt``, ``2>&1``) and a pipe to anything
  (``| Out-Null``): netsh runs the same whatever reads its output;
* ``tag = value``, ``tag= value`` and ``tag =value`` as ``tag=value``;
* double quotes around a value or part of it (removed, as netsh's own command line parser does), and
  single quotes in a PowerShell script.

A script is PowerShell when a line shows it (``$null``, ``Out-Null``, ``Write-Host``, a ``$name =``
assignment, ``<#``, ``foreach (``, a leading ``&`` call); otherwise it is read as cmd. The dialect
decides what a variable is: ``%IP%``, ``%%i``, ``%1`` and ``!IP!`` in cmd, ``$ports`` in PowerShell; and
a cmd caret escape in the middle of a line (``a^&b``) is refused rather than interpreted.

Reported as unsupported: a command line that uses a cmd or PowerShell variable (``%IP%``, ``%%i``,
``%1``, ``!IP!``, ``$ports``), a loop or a condition around a command, a line that runs a command
through something else (``call``, ``start``, ``cmd /c``), ``netsh -f``/``-c``/``-r``, and netsh
commands of other contexts (``netsh advfirewall ...``): none of them can be read into the static
store exactly. Lines that run none of the three tools (``echo``, ``pause``, ``set X=...``, and
``echo netsh ...``, which only prints) are not listed: they do not change the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOOLS = ("netsh", "ipsecpol", "ipseccmd")
# The verbs netsh accepts in the ipsec static context (SYNTAX.md; "del" is REAL-WORLD.md's abbreviation).
CONTEXT_VERBS = frozenset(("add", "set", "delete", "del", "show", "exportpolicy", "importpolicy", "dump"))
# Words that, starting a line that runs a tool, mean the tool does not simply run once.
_FLOW = {
    "for": "a cmd loop (for) runs it", "foreach": "a PowerShell loop runs it", "foreach-object": "a PowerShell loop runs it",
    "%": "a PowerShell loop (%) runs it", "while": "a loop runs it", "do": "a loop runs it", "if": "a condition decides whether it runs",
    "call": "it runs through call", "start": "it runs through start", "cmd": "it runs through cmd", "cmd.exe": "it runs through cmd",
    "invoke-expression": "it runs through Invoke-Expression", "iex": "it runs through Invoke-Expression",
    "start-process": "it runs through Start-Process",
}
# Commands that only print their arguments: a tool named there does not run.
_PRINTS = frozenset(("echo", "echo.", "write-host", "write-output", "write-verbose"))
_CMD_VARIABLE = re.compile(r"%%[A-Za-z]|%[0-9*]|%[^%\s]+%|![^!\s]+!")
_PS_VARIABLE = re.compile(r"\$(?!null\b|true\b|false\b)[A-Za-z_{(]", re.IGNORECASE)
_PS_MARKERS = re.compile(r"\$null\b|\bout-null\b|\bwrite-(host|output)\b|^\s*\$[a-z_][a-z0-9_]*\s*=|^\s*<#|\bforeach\s*\(|^\s*&\s",
                         re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Command:
    """One command the script runs: ``tool`` (netsh, ipsecpol or ipseccmd) with ``argv``, the arguments
    after the tool (for netsh, after ``ipsec static``), quotes removed and ``tag = value`` joined.
    ``line`` is the 1-based line it starts on, ``text`` the script's text of it."""

    line: int
    text: str
    tool: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class Unsupported:
    """A line that runs a tool but cannot be read exactly: its 1-based number, its text, and why."""

    line: int
    text: str
    reason: str


def script_commands(text: str) -> tuple[tuple[Command, ...], tuple[Unsupported, ...]]:
    """The commands ``text`` runs, in order, and the lines that run a tool but cannot be read.

    Never raises on any text: what it cannot read is an :class:`Unsupported` entry.
    """
    commands, unsupported = [], []
    in_context = False
    in_block_comment = False
    powershell = bool(_PS_MARKERS.search(text))
    for number, line in _logical_lines(text.lstrip("\ufeff")):
        stripped = line.strip()
        if in_block_comment or stripped.startswith("<#"):
            in_block_comment = "#>" not in stripped[2 if not in_block_comment else 0:]
            continue
        if _is_comment(stripped):
            continue
        words = stripped.lower().split()
        if words[:2] == ["pushd", "ipsec"] and words[2:] == ["static"] or words == ["ipsec", "static"]:
            in_context = True
            continue
        if words == ["popd"]:
            in_context = False
            continue
        segments, piped = _segments(stripped)
        if any(_mentions_tool(part.lower()) for part in piped):
            unsupported.append(Unsupported(number, line.strip(), f"{tool_name(' '.join(piped).lower())}: a pipeline runs it "
                                                                 "(e.g. ForEach-Object), with values the script computes"))
            segments = []
        for segment in segments:
            found = _command(number, line.strip(), segment, in_context, powershell=powershell)
            if isinstance(found, Command):
                commands.append(found)
            elif found is not None:
                unsupported.append(found)
    return tuple(commands), tuple(unsupported)


def _logical_lines(text: str):
    """(first line number, text) per line, a cmd caret at the end joining the next line to it."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        body = raw.rstrip()
        if body.endswith("^") and not body.endswith("^^"):
            pending += body[:-1]
            continue
        yield start, pending + raw
        pending = ""
    if pending:
        yield start, pending


def _is_comment(stripped: str) -> bool:
    lowered = stripped.lstrip("@").lower()
    return (not stripped or stripped.startswith(("::", "#")) or lowered == "rem" or lowered.startswith(("rem ", "rem\t")))


def _segments(line: str) -> tuple[list[str], list[str]]:
    """The commands of a cmd line joined by ``&&``, ``||`` or ``&`` outside quotes, and what follows the
    first pipe (``| Out-Null``: the commands before it run the same whatever reads their output). A
    leading ``&`` (PowerShell's call operator) or ``@`` is not a separator."""
    segments, current, quoted, index = [], "", False, 0
    body = line.strip().lstrip("@")
    if body.startswith("&") and not body.startswith("&&"):
        body = body[1:]
    while index < len(body):
        char = body[index]
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "&|" and not (char == "&" and current.endswith(">")):  # ">&1" duplicates a handle
            segments.append(current)
            current = ""
            doubled = body[index:index + 2] in ("&&", "||")
            if char == "|" and not doubled:
                return [segment for segment in segments if segment.strip()], [body[index + 1:]]
            index += 2 if doubled else 1
            continue
        current += char
        index += 1
    segments.append(current)
    return [segment for segment in segments if segment.strip()], []


def _tokens(segment: str, *, single_quotes: bool) -> list[tuple[str, bool, bool]]:
    """Whitespace-separated tokens with quotes removed, each with whether it ends in an unquoted ``=``
    and whether it holds an unquoted ``=`` at all.

    Raises:
        ValueError: a backslash right before a double quote, which the C runtime's argument parser
            (netsh's) reads as an escaped quote; refused rather than read either way.
    """
    tokens, current, quote, started, last_quoted, bare_equals = [], "", None, False, False, False
    for index, char in enumerate(segment):
        if char == "\\" and segment[index + 1:index + 2] == '"':
            raise ValueError("a backslash right before a double quote: the C runtime reads it as an escaped quote")
        if quote:
            if char == quote:
                quote, last_quoted = None, True
            else:
                current += char
            continue
        if char == '"' or (char == "'" and single_quotes):
            quote, started = char, True
            continue
        if char.isspace():
            if started:
                tokens.append((current, current.endswith("=") and not last_quoted, bare_equals))
            current, started, last_quoted, bare_equals = "", False, False, False
            continue
        current += char
        started, last_quoted, bare_equals = True, False, bare_equals or char == "="
    if started:
        tokens.append((current, current.endswith("=") and not last_quoted, bare_equals))
    return tokens


def _joined(tokens: list[tuple[str, bool, bool]]) -> list[str]:
    """``tag = value``, ``tag= value`` and ``tag =value`` as one ``tag=value`` argument.

    A token that ends in an unquoted ``=`` takes the next token as its value, unless that one holds an
    unquoted ``=`` itself (``description= mirrored=no``: an empty description, then the next tag); a
    quoted empty value (``tag=""``, ``tag =""``) is a value, and takes nothing more.
    """
    joined: list[str] = []
    pending = False  # joined[-1] ends in an unquoted "=" and waits for its value
    for token, open_equals, bare_equals in tokens:
        if pending and not bare_equals:
            joined[-1] += token
            pending = False
            continue
        if token.startswith("=") and bare_equals and joined and "=" not in joined[-1]:
            joined[-1] += token
            pending = open_equals
            continue
        joined.append(token)
        pending = open_equals
    return joined


def _tool(token: str) -> str | None:
    name = token.replace("/", "\\").rsplit("\\", 1)[-1].lower()
    name = name[:-4] if name.endswith(".exe") else name
    return name if name in TOOLS else None


def _without_redirections(segment: str) -> str:
    """``segment`` without its redirections outside quotes: ``> nul``, ``>nul``, ``2>nul``, ``>> log.txt``,
    ``2>&1``, ``2>$null`` (the target word, ``&1`` too, goes with its ``>``; a digit before it when it starts a word).

    Raises:
        ValueError: a digit ends a word right before ``>`` (``name=P2>nul``): cmd takes it for a handle
            number, which a script hardly means; refused rather than read either way.
    """
    out, quoted, index = "", False, 0
    while index < len(segment):
        char = segment[index]
        if char == '"':
            quoted = not quoted
        elif char == ">" and not quoted:
            if out[-1:].isdigit():
                if len(out) > 1 and not out[-2].isspace():
                    raise ValueError(f"a digit right before > ({out.split()[-1]}>): cmd reads it as a handle number; put a space before >")
                out = out[:-1]
            index += 2 if segment[index:index + 2] == ">>" else 1
            while index < len(segment) and segment[index].isspace():
                index += 1
            target_quoted = False
            while index < len(segment) and (target_quoted or not segment[index].isspace()):
                target_quoted ^= segment[index] == '"'
                index += 1
            out += " "
            continue
        out += char
        index += 1
    return out


def _command(number: int, text: str, segment: str, in_context: bool, *, powershell: bool) -> Command | Unsupported | None:
    lowered = segment.lower()
    try:  # a redirection may come first: "2>nul netsh ..."
        bare, problem = _without_redirections(segment), None
    except ValueError as error:
        bare, problem = segment, str(error)
    words = bare.split()
    if not words:
        return None
    first = words[0].lower().strip("\"'")
    tool = _tool(first)
    if tool is None and not (in_context and first in CONTEXT_VERBS):
        if not _mentions_tool(lowered) or first in _PRINTS:
            return None
        reason = _FLOW.get(first, "the line runs it in a way this reader does not follow")
        return Unsupported(number, text, f"{tool_name(lowered)}: {reason}")
    if problem is not None:
        return Unsupported(number, text, problem)
    segment = bare
    variable = (_PS_VARIABLE if powershell else _CMD_VARIABLE).search(segment)
    if variable:
        kind = "PowerShell" if powershell else "cmd"
        return Unsupported(number, text, f"uses the {kind} variable {variable.group(0)!r}: its value is not in the script")
    if not powershell and "^" in segment:
        return Unsupported(number, text, "a cmd caret escape (^) inside the line: write the character in double quotes instead")
    try:
        tokens = _joined(_tokens(segment, single_quotes=powershell))
    except ValueError as error:
        return Unsupported(number, text, str(error))
    if tool is None:
        return Command(number, text, "netsh", tuple(tokens))
    argv = tokens[1:]
    if tool != "netsh":
        return Command(number, text, tool, tuple(argv))
    if argv and argv[0].startswith("-"):
        return Unsupported(number, text, f"netsh {argv[0]}: running netsh with an option ({argv[0]}) is not read; give the commands themselves")
    if [word.lower() for word in argv[:2]] != ["ipsec", "static"]:
        context = " ".join(argv[:2]) or "(nothing)"
        return Unsupported(number, text, f"not a command of the static IPsec store (netsh {context})")
    if len(argv) == 2:
        return Unsupported(number, text, "netsh ipsec static without a command opens an interactive prompt")
    return Command(number, text, "netsh", tuple(argv[2:]))


def _mentions_tool(lowered: str) -> bool:
    return any(re.search(rf"(^|[\s\\/\"'({{]){tool}(\.exe)?([\s\"')}}]|$)", lowered) for tool in TOOLS)


def runs_a_tool(text: str) -> bool:
    """Whether ``text`` looks like a script: a line runs netsh, ipsecpol or ipseccmd as its command (after
    ``@``, ``&`` or spaces), or enters the ``ipsec static`` context (``pushd ipsec static``)."""
    for line in text.lstrip("\ufeff").splitlines():
        words = line.strip().lstrip("@&").lower().split()
        if words and (_tool(words[0].strip("\"'")) is not None or words[:3] == ["pushd", "ipsec", "static"]):
            return True
    return False


def tool_name(lowered: str) -> str:
    """The first tool a line mentions, for messages."""
    return next(tool for tool in TOOLS if tool in lowered)


__all__ = ["CONTEXT_VERBS", "Command", "TOOLS", "Unsupported", "runs_a_tool", "script_commands"]
