"""An emulated Windows host reachable over SSH: Debian's real OpenSSH server in front of the emulated host.

Like ``emulated_winrm`` it imports nothing from the collection (``plugins/``), and no third-party package: besides the
standard library it uses the emulator's own ``netsh_emulator``, and two modules of ``emulated_winrm`` (cmd.exe's rules
and the emulated network, ``_winrm_parts``). Clients are the real ones: OpenSSH's ``ssh`` and ansible-core's ``ssh``
connection.

Public API::

    with EmulatedSshHost(workdir, shell="cmd") as host:      # or "powershell" (DefaultShell = powershell.exe)
        host.port, host.user, host.key_file, host.known_hosts
        host.ansible_vars()           # ansible_connection: ssh, ansible_shell_type, ansible_port, ...
        host.ssh_options()            # the same trust and key settings for a plain ssh command
        host.env = {...}              # NETSH_EMU_* settings, read at every session
        host.enforce = False          # sessions are judged under the assigned IPsec policy unless switched off
        host.sessions, host.round_trips, host.dropped

    run_windows_command(shell, command, stdin, env) -> (rc, stdout, stderr)   # one session's command, without sshd

and the commands ``tests/emulator/bin/emulated-windows-shell`` (what sshd runs for every session, ``_login``) and
``tests/emulator/bin/emulated-ssh-host`` (one host until SIGTERM, ``_cli``).

The names are imported on first use (PEP 562), so that the login shell, which starts once per session, loads
only what a session needs (``_login``, ``_winrm_parts``), not the host's side.
"""

from __future__ import annotations

import importlib

_EXPORTS = {"EmulatedSshHost": "._host", "DEFAULT_SSHD": "._host", "SHELLS": "._shell_config", "run_windows_command": "._windows_shell"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
