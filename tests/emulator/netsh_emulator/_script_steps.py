"""What the script readers produce: the steps of a script, and the error for a line they cannot run exactly.

Contract: a reader (``_script_cmd``, ``_script_powershell``, ``_script_netsh_file``) turns a script into
a tuple of :class:`Step` or raises :class:`ScriptNotRunnable` naming the first line it cannot run exactly
as Windows would. Steps are run in order by ``_script_host``:

* ``netsh``: one netsh.exe process; ``argv`` is what it receives after its program name, and always
  starts ``ipsec static`` (in whatever case or abbreviation the script wrote);
* ``noop``: a command with no effect on the store that succeeds (``echo``, ``pause``, ``Write-Host``);
  it only matters for cmd's ``&&`` / ``||``;
* ``exit``: the script ends here (``exit``, ``exit /b 1``, ``goto :eof``, netsh's ``quit``).

``when`` is ``always``, ``success`` (after ``&&``: only if the command before succeeded) or ``failure``
(after ``||``); "the command before" is the last one that ran, which is how cmd.exe groups
``a && b || c`` (left to right).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._cmdline import resolve_keyword
from ._spec import IPSEC_LEVEL, TOP_LEVEL

ALWAYS, SUCCESS, FAILURE = "always", "success", "failure"

# netsh.exe as a script names it: found on PATH (System32), or its full path in the Windows directory.
_NETSH_NAMES = ("netsh", "netsh.exe")
_NETSH_PATH = re.compile(r"c:\\windows\\(system32|sysnative|syswow64)\\netsh(\.exe)?", re.IGNORECASE)
# ipsecpol (Windows 2000 Resource Kit) and ipseccmd (Windows XP/2003 Support Tools): REAL-WORLD.md, 3 + 3 sources.
_OLD_TOOLS = ("ipsecpol", "ipsecpol.exe", "ipseccmd", "ipseccmd.exe")


class ScriptNotRunnable(ValueError):
    """The script holds something the host cannot run exactly as Windows would; nothing has run.

    ``line`` is 1-based (0 when the script as a whole is refused), ``text`` that line as read, ``reason``
    what is wrong with it."""

    def __init__(self, line: int, text: str, reason: str) -> None:
        where = f"line {line}" if line else "the script"
        super().__init__(f"{where}: {reason}: {text.strip()!r}" if text.strip() else f"{where}: {reason}")
        self.line = line
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class Step:
    """One thing a script does (see the module docstring)."""

    kind: str                       # "netsh", "noop" or "exit"
    line: int                       # 1-based line the command starts on
    when: str = ALWAYS
    argv: tuple[str, ...] = ()      # netsh only: what netsh.exe receives
    codepage: int | None = None     # netsh only: the console code page set by cmd's chcp (None: the host's)


def is_netsh_program(program: str) -> bool:
    """True for ``netsh``, ``netsh.exe`` (case-insensitive) and netsh's full path in the Windows directory."""
    return program.lower() in _NETSH_NAMES or _NETSH_PATH.fullmatch(program) is not None


def is_old_tool(program: str) -> bool:
    """True for ipsecpol / ipseccmd, the netsh predecessors some scripts still call."""
    return program.rsplit("\\", 1)[-1].lower() in _OLD_TOOLS


def refuse_program(program: str, line: int, text: str) -> ScriptNotRunnable:
    """The error for a program the host does not run (anything that is not netsh or a known no-op)."""
    if is_old_tool(program):
        return ScriptNotRunnable(line, text, f"{program} is not emulated (only netsh ipsec static is)")
    if program.lower().endswith(("netsh", "netsh.exe")):
        return ScriptNotRunnable(line, text, f"{program!r} is not netsh.exe of the Windows directory")
    return ScriptNotRunnable(line, text, f"the host runs netsh and a few commands without effect, not {program!r}")


def check_netsh_argv(argv: list[str], line: int, text: str) -> tuple[str, ...]:
    """*argv* (after netsh's program name) must be an ``ipsec static`` command; return it as a tuple.

    The context words resolve as netsh resolves them (case-insensitive, unambiguous prefix). Interactive
    netsh, options (``-f``, ``-c``, ``-r``), ``exec`` and other contexts are refused."""
    if not argv:
        raise ScriptNotRunnable(line, text, "netsh without arguments waits for commands on the console")
    if argv[0].startswith(("-", "/")) and argv[0] not in ("-?", "/?"):
        raise ScriptNotRunnable(line, text, f"netsh option {argv[0]!r} is not emulated (run a netsh script with kind='netsh')")
    top = resolve_keyword(argv[0], TOP_LEVEL)[0]
    sub = resolve_keyword(argv[1], IPSEC_LEVEL)[0] if len(argv) > 1 else None
    if top != "ipsec" or sub != "static":
        raise ScriptNotRunnable(line, text, f"netsh {' '.join(argv[:2])} is not the ipsec static context")
    return tuple(argv)
