"""``emulated-windows-shell``: what our sshd runs for every session of one emulated host (its ``ForceCommand``).

Contract::

    main([settings_path]) -> exit status        # stdin, stdout and stderr are the session's

sshd starts it through the account's login shell (``<shell> -c <ForceCommand>``) with the command the client
sent in ``SSH_ORIGINAL_COMMAND`` and the connection in ``SSH_CLIENT`` (``address client_port server_port``). It:

1. reads the host's settings (``_shell_config``); a bad file is a harness mistake: a message on stderr, rc 3;
2. refuses a session without a command (an interactive login: Windows would start an interactive cmd.exe or
   PowerShell, which is not emulated): rc 1, a message on stderr (INVENTED text);
3. with ``enforce``, judges the session as the controller's packet from its client port to the sshd port under the
   store's assigned policy (``emulated_winrm._enforcement.evaluate``, as the WinRM host judges each request). A
   packet the policy drops gets nothing back: the session is recorded, then stays open and silent until the client
   goes away (its sshd process ends or closes the session's output) or ``drop_hold_seconds`` pass, and ends with
   exit status 255 and no output (A-175);
4. reads stdin to its end, runs the command as Windows OpenSSH and the DefaultShell would
   (``_windows_shell.run_windows_command``), appends the session's record, writes the output and exits with the
   exit code's low 8 bits: a Linux sshd reports no more, so cmd.exe's 9009 reaches the client as 49 (emulator
   limit; Windows OpenSSH sends the whole 32-bit code, A-174).

Each session appends one JSON line to ``sessions_log``: ``{"pid", "shell", "command", "client_port", "port",
"delivered", "reason", "rc"}`` (``rc`` null for a dropped session, ``reason`` the evaluator's).
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from typing import Sequence

from ._shell_config import ConfigInvalid, ShellConfig, read_config
from ._windows_shell import run_windows_command
from ._winrm_parts import EmulatedNetwork, evaluate

NO_COMMAND_MESSAGE = "The emulated Windows shell runs the command of an ssh session; it has no interactive shell.\r\n"
DROPPED_EXIT = 255
_POLL_MILLISECONDS = 200


def main(argv: Sequence[str]) -> int:
    """Answer one session; see the module docstring."""
    if len(argv) != 1:
        sys.stderr.write("usage: emulated-windows-shell SETTINGS_FILE\n")
        return 3
    try:
        config = read_config(argv[0])
    except ConfigInvalid as error:
        sys.stderr.write(f"emulated Windows shell: {error}\n")
        return 3
    command = os.environ.get("SSH_ORIGINAL_COMMAND")
    if command is None:
        sys.stderr.buffer.write(NO_COMMAND_MESSAGE.encode("utf-8"))
        return 1
    client_port, port = _ports(os.environ.get("SSH_CLIENT", ""))
    record = {"pid": os.getpid(), "shell": config.shell, "command": command, "client_port": client_port, "port": port,
              "delivered": True, "reason": "", "rc": None}
    if config.enforce:
        delivered, reason = _judge(config, client_port, port)
        record.update(delivered=delivered, reason=reason)
        if not delivered:
            _append(config.sessions_log, record)
            _hold(config.drop_hold_seconds)
            return DROPPED_EXIT
    stdin = sys.stdin.buffer.read() if sys.stdin is not None else b""
    rc, stdout, stderr = run_windows_command(config.shell, command, stdin, config.env)
    record["rc"] = rc
    _append(config.sessions_log, record)
    sys.stdout.buffer.write(stdout)
    sys.stdout.buffer.flush()
    sys.stderr.buffer.write(stderr)
    sys.stderr.buffer.flush()
    return rc & 0xFF


def _ports(ssh_client: str) -> tuple[int, int]:
    """The client's and the server's port from ``SSH_CLIENT`` (``0, 0`` when it is not there)."""
    parts = ssh_client.split()
    if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        return 0, 0
    return int(parts[1]), int(parts[2])


def _judge(config: ShellConfig, client_port: int, port: int) -> tuple[bool, str]:
    """Whether the policy of the store lets the controller's packet of this session through, and why."""
    if not port:
        raise ConfigInvalid("enforce needs SSH_CLIENT (the session must come through sshd)")
    network = EmulatedNetwork(**config.network)
    evaluation = evaluate("session", config.env.get("NETSH_EMU_STATE", ""), network, client_port, port)
    return evaluation.decision.delivered, evaluation.decision.reason


def _hold(seconds: float) -> None:
    """Stay silent until the client is gone (our sshd process ended, or it closed our output) or ``seconds`` pass."""
    parent, deadline = os.getppid(), time.monotonic() + seconds
    poller = select.poll()
    poller.register(sys.stdout.fileno(), 0)  # POLLERR and POLLHUP are always reported: the reader has gone
    while time.monotonic() < deadline and os.getppid() == parent:
        if poller.poll(_POLL_MILLISECONDS):
            return


def _append(path: str, record: dict) -> None:
    """Append ``record`` as one JSON line in a single write (sessions of one host may end at the same time)."""
    line = (json.dumps(record, sort_keys=True) + "\n").encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
