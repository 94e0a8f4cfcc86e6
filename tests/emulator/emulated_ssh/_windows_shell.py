"""What Windows OpenSSH does with the command of one session: hand it to its DefaultShell.

Contract::

    run_windows_command(shell, command, stdin, env) -> (rc, stdout_bytes, stderr_bytes)

``shell`` is ``"cmd"`` (no DefaultShell configured, Windows OpenSSH's default) or ``"powershell"``
(``DefaultShell`` = ``C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe``); anything else raises
``ValueError``. ``command`` is the command the client sent (``SSH_ORIGINAL_COMMAND`` under our sshd).

How Windows OpenSSH starts the shell (PowerShell/openssh-portable, ``contrib/win32/win32compat/w32-doexec.c``
``do_exec_windows``, read; A-170):

* cmd.exe gets the command line ``"<cmd.exe>" /c "<command>"`` unescaped. cmd.exe removes the first and the
  last quote of such a line (``cmd /?``, the rule for a ``/c`` string that is not just a quoted program name),
  so the command is then read by cmd.exe's own rules: ``emulated_winrm``'s ``run_command_line`` (the 8,191
  character limit, cmd.exe syntax refused, MSVCRT splitting, powershell / netsh / "is not recognized").
* powershell.exe gets the arguments ``-c`` and the command (escaped for the C runtime, so PowerShell reads the
  command text back unchanged) and runs it as a script. The emulated outer PowerShell accepts one statement that
  calls a program, read with the fake PowerShell's own subset of PowerShell 5.1's parser
  (``netsh_emulator._native_command``): ``PowerShell`` (any case, ``.exe``, a path) runs the fake PowerShell with
  the statement's words (parameter tokens such as ``-NoProfile`` reach a native program as written; a word with
  whitespace or a quote, which 5.1 would re-quote, is refused), ``netsh`` runs the netsh emulator with the
  arguments :func:`~netsh_emulator._native_command.split_statement` allows. The exit code is 0 when the program's
  was 0, else 1 (``-Command`` exits by ``$?`` of the last statement); the program inherits the session's stdin,
  stdout and stderr, so its bytes pass through unchanged (A-171). A statement it cannot read, and a program that is
  neither, end with rc 1 and a CLIXML error document on stderr, as the fake PowerShell reports its own errors
  (emulator choice; the "is not recognized" text is PowerShell's CommandNotFoundException message).
"""

from __future__ import annotations

import threading
from typing import Mapping

from netsh_emulator import run_netsh, run_powershell
from netsh_emulator._clixml import clixml_error
from netsh_emulator._native_command import NativeCommandRejected, command_words, split_statement

from ._shell_config import SHELLS
from ._winrm_parts import run_command_line

# PowerShell's CommandNotFoundException message (general knowledge; the fake PowerShell's ScheduledTasks
# emulation writes the same text, A-147).
_NOT_RECOGNIZED = ("The term '{0}' is not recognized as the name of a cmdlet, function, script file, or operable program. "
                   "Check the spelling of the name, or if a path was included, verify that the path is correct and try again.")


def run_windows_command(shell: str, command: str, stdin: bytes, env: Mapping[str, str],
                        abort: threading.Event | None = None) -> tuple[int, bytes, bytes]:
    """Run ``command`` as Windows OpenSSH runs it with the DefaultShell ``shell``; see the module docstring."""
    if shell == "cmd":
        return run_command_line(command, stdin, env, abort=abort)
    if shell == "powershell":
        return _run_powershell_command(command, stdin, env, abort)
    raise ValueError(f"unknown shell {shell!r}: expected one of {', '.join(SHELLS)}")


def _run_powershell_command(command: str, stdin: bytes, env: Mapping[str, str],
                            abort: threading.Event | None) -> tuple[int, bytes, bytes]:
    """``powershell.exe -c <command>``: one native-command statement, its program's output passed through."""
    try:
        words = command_words(command)
        program = words[0].replace("/", "\\").rsplit("\\", 1)[-1].lower()
        program = program[:-4] if program.endswith(".exe") else program
        if program == "powershell":
            rc, stdout, stderr = run_powershell(_plain_words(words[1:]), stdin, env, abort)
        elif program == "netsh":
            rc, stdout, stderr = run_netsh(split_statement(command)[1:], env, abort)
        else:
            return 1, b"", clixml_error(_NOT_RECOGNIZED.format(words[0]))
    except NativeCommandRejected as refusal:
        return 1, b"", clixml_error(f"The emulated DefaultShell (powershell.exe -c) does not run this command: {refusal}")
    return int(rc != 0), stdout, stderr


def _plain_words(words: list[str]) -> list[str]:
    """``words`` as PowerShell 5.1 passes them to a native program unchanged: none empty, none with whitespace
    or a double quote (5.1 would drop, re-quote or break those; emulator strictness)."""
    for word in words:
        if not word or '"' in word or any(character.isspace() for character in word):
            raise NativeCommandRejected(f"the argument {word!r} would not reach the program as written")
    return words
