"""What the emulated Windows host does with one WinRS command line.

Contract::

    run_command_line(command_line, stdin, env, skip_cmd_shell, abort=None) -> (rc, stdout_bytes, stderr_bytes)

WinRS joins ``rsp:Command`` and the ``rsp:Arguments`` with spaces and, unless the client set
``WINRS_SKIP_CMD_SHELL=TRUE`` (pywinrm sends FALSE), hands the line to cmd.exe (execution.md §1.2):

* a line longer than 8,191 characters fails the way cmd.exe fails, ``The command line is too long.``
  on stderr, rc 1 (execution.md §1.2; diyan/pywinrm#184);
* cmd.exe's own syntax (``%VAR%``, ``^``, ``&``, ``|``, ``<``, ``>`` outside double quotes) is not
  emulated: such a line is refused loudly, rc 1, so no test can pass by accident through it;
* the line is split with the MSVCRT rules; ``powershell``/``PowerShell[.exe]`` runs the fake PowerShell
  (the collection's stub and batch script, ansible-core's wrappers, or one plain netsh line), ``netsh[.exe]`` runs
  the netsh emulator; any other program gets cmd.exe's "is not recognized" message, rc 9009.

``abort`` is the host's kill switch (``EmulatedWindowsHost.kill``), handed to the fake PowerShell and
to netsh: once it is set no netsh command runs any more, and one hanging through
``NETSH_EMU_HANG_AT`` stops at once.
"""

from __future__ import annotations

import threading
from typing import Mapping

from netsh_emulator import run_netsh, run_powershell, split_c

# cmd.exe's maximum command-line length (execution.md §1.2).
CMD_LINE_LIMIT = 8191
_CMD_METACHARACTERS = "%^&|<>"


def run_command_line(command_line: str, stdin: bytes, env: Mapping[str, str], skip_cmd_shell: bool = False,
                     abort: threading.Event | None = None) -> tuple[int, bytes, bytes]:
    """Run one WinRS command line on the emulated host; see the module docstring."""
    if not skip_cmd_shell:
        if len(command_line) > CMD_LINE_LIMIT:
            return 1, b"", b"The command line is too long.\r\n"
        metacharacter = _unquoted_metacharacter(command_line)
        if metacharacter:
            return 1, b"", (f"The emulated cmd.exe does not interpret {metacharacter!r}; "
                            "run netsh or PowerShell without cmd.exe syntax.\r\n").encode("utf-8")
    argv = split_c(command_line)
    if not argv:
        return 0, b"", b""
    program = argv[0].replace("/", "\\").rsplit("\\", 1)[-1].lower()
    if program.endswith(".exe"):
        program = program[:-4]
    if program == "powershell":
        return run_powershell(argv[1:], stdin, env, abort)
    if program == "netsh":
        return run_netsh(argv[1:], env, abort)
    return 9009, b"", (f"'{argv[0]}' is not recognized as an internal or external command,\r\n"
                       "operable program or batch file.\r\n").encode("utf-8")


def _unquoted_metacharacter(line: str) -> str | None:
    """The first cmd.exe metacharacter of ``line``: ``%`` anywhere, the others outside double quotes."""
    quoted = False
    for character in line:
        if character == '"':
            quoted = not quoted
        elif character == "%" or (character in _CMD_METACHARACTERS and not quoted):
            return character
    return None
