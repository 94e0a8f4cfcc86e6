"""Open WinRS shells and the commands running in them.

A command starts when its stdin is complete: at once when the client asked for console-mode stdin
(``WINRS_CONSOLEMODE_STDIN=TRUE``, no stdin), otherwise after the ``Send`` that carries ``End="true"``.
It runs in a thread, so a ``Receive`` can wait for it for a bounded time and answer ``w:TimedOut``
when it is still running (execution.md §3.2 and pitfall 12: pywinrm's read timeout must never be hit).
Output is handed out in slices of at most ``OUTPUT_SLICE`` bytes of stdout per ``Receive``, with
``CommandState/Running`` until the last slice, as a real host streams long output.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Callable

from ._soap import SoapError, timed_out

OUTPUT_SLICE = 64 * 1024
Runner = Callable[[str, bytes, bool], "tuple[int, bytes, bytes]"]


def _new_id() -> str:
    return str(uuid.uuid4()).upper()


def _unknown(kind: str, ident: str) -> SoapError:
    # 2150858843 and the shell text: what a real host answers for a ShellId it does not know (WinRb/WinRM#253,
    # #273). The same code for an unknown CommandId, the command text and the subcode are the emulator's.
    if kind == "shell":
        reason = (f"The request for the Windows Remote Shell with ShellId {ident} failed because the shell was not found on the server. "
                  "Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. "
                  "Provide the correct ShellId or create a new shell and retry the operation.")
    else:
        reason = f"The request for the Windows Remote Shell failed because the command {ident} was not found."
    return SoapError(reason, code=2150858843, subcode="w:InvalidSelectors")


@dataclass
class Command:
    """One command line in a shell; ``result`` is set by its thread when it ends."""

    command_id: str
    line: str
    skip_cmd_shell: bool
    stdin: bytearray = field(default_factory=bytearray)
    started: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    result: tuple = (0, b"", b"")
    sent: int = 0  # bytes of stdout already handed out

    def start(self, runner: Runner) -> None:
        """Run the command in a thread; an emulator crash becomes rc 3 with the error on stderr."""
        self.started = True

        def work() -> None:
            try:
                self.result = runner(self.line, bytes(self.stdin), self.skip_cmd_shell)
            except Exception as exc:  # pylint: disable=broad-except  # reported to the client, never dropped
                self.result = (3, b"", f"emulated host error: {type(exc).__name__}: {exc}\r\n".encode("utf-8"))
            finally:
                self.done.set()

        threading.Thread(target=work, name=f"winrs-{self.command_id}", daemon=True).start()


@dataclass
class Shell:
    """One open shell and its commands."""

    shell_id: str
    commands: dict = field(default_factory=dict)


class ShellTable:
    """Every open shell of one emulated host; safe for concurrent requests."""

    def __init__(self, runner: Runner, receive_wait: float) -> None:
        self._runner = runner
        self._receive_wait = receive_wait
        self._shells: dict[str, Shell] = {}
        self._lock = threading.Lock()
        self._running: list[Command] = []  # started commands whose thread may not have ended

    def create(self) -> str:
        """Open a shell and return its id."""
        shell = Shell(_new_id())
        with self._lock:
            self._shells[shell.shell_id] = shell
        return shell.shell_id

    def delete(self, shell_id: str | None) -> None:
        """Close a shell (its commands are forgotten; their threads finish on their own)."""
        with self._lock:
            if self._shells.pop(shell_id or "", None) is None:
                raise _unknown("shell", str(shell_id))

    def open_shells(self) -> int:
        """How many shells are open (a client that forgets Delete leaks them)."""
        with self._lock:
            return len(self._shells)

    def command(self, shell_id: str | None, line: str, console_stdin: bool, skip_cmd_shell: bool) -> str:
        """Create a command; start it now when it takes no stdin."""
        command = Command(_new_id(), line, skip_cmd_shell)
        self._shell(shell_id).commands[command.command_id] = command
        if console_stdin:
            self._start(command)
        return command.command_id

    def send(self, shell_id: str | None, command_id: str, data: bytes, end: bool) -> None:
        """Append stdin; start the command at the end of its input."""
        command = self._command(shell_id, command_id)
        if command.started:
            raise SoapError(f"The command {command_id} takes no more input.")
        command.stdin.extend(data)
        if end:
            self._start(command)

    def receive(self, shell_id: str | None, command_id: str, operation_timeout: float | None) -> tuple[bytes, bytes, int | None]:
        """The next slice of output, waiting a bounded time; ``w:TimedOut`` while the command runs
        (or still waits for the rest of its stdin: the wait is the same, so a client never spins)."""
        command = self._command(shell_id, command_id)
        wait = self._receive_wait if operation_timeout is None else min(self._receive_wait, operation_timeout)
        if not command.done.wait(wait):
            raise timed_out()
        rc, stdout, stderr = command.result
        chunk = stdout[command.sent:command.sent + OUTPUT_SLICE]
        command.sent += len(chunk)
        if command.sent < len(stdout):
            return chunk, b"", None
        return chunk, stderr, rc

    def signal(self, shell_id: str | None, command_id: str) -> None:
        """``terminate``: forget the command."""
        self._command(shell_id, command_id)
        self._shell(shell_id).commands.pop(command_id, None)

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every started command to end (a stopping host must not
        write its store afterwards); True when all ended."""
        with self._lock:
            running = list(self._running)
        return all(command.done.wait(timeout) for command in running)

    def _start(self, command: Command) -> None:
        with self._lock:
            self._running = [other for other in self._running if not other.done.is_set()] + [command]
        command.start(self._runner)

    def _shell(self, shell_id: str | None) -> Shell:
        with self._lock:
            shell = self._shells.get(shell_id or "")
        if shell is None:
            raise _unknown("shell", str(shell_id))
        return shell

    def _command(self, shell_id: str | None, command_id: str) -> Command:
        command = self._shell(shell_id).commands.get(command_id)
        if command is None:
            raise _unknown("command", command_id)
        return command
