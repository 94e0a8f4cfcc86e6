"""An emulated Windows host reachable over WinRM, for tests, molecule scenarios, the demo and benchmarks.

Like ``netsh_emulator`` (which answers its netsh and PowerShell command lines) it imports nothing from
the collection (``plugins/``). Clients are the real pywinrm and ansible-core ``winrm`` connection.

Public API::

    with EmulatedWindowsHost(workdir, latency=0.05) as host:   # starts on a free 127.0.0.1 port
        host.port, host.endpoint          # 55123, "http://127.0.0.1:55123/wsman"
        host.round_trips                  # Command operations so far
        host.connections                  # TCP connections accepted so far (keep-alive requests share one)
        host.scheduled_tasks()            # [{"name", "at", "execute", "argument", "user"}]: tasks armed on the host
        host.task_history()               # the runs of its tasks that fired
        host.operations                   # {"http": n, "Create": n, "Command": n, "Send": n, ...}
        host.env["NETSH_EMU_LANG"] = ...  # netsh emulator settings, read at every command
        host.enforce = False              # the assigned IPsec policy is enforced unless switched off
        host.dropped                      # connections and requests the policy dropped (no answer)

    EmulatedWindowsHost(workdir, controller_address="192.0.2.10", host_addresses=["192.0.2.20"],
                        server_addresses={"dns": ["192.0.2.53"]}, enforce=True)   # the emulated network
    EmulatedWindowsHost(workdir, https=True)   # https://127.0.0.1:<port>/wsman; host.ca_file is the CA of its certificate

and the command ``tests/emulator/bin/emulated-winrm-host`` (see ``_cli``) for other processes.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each public name -> the module that defines it. Imported on first use (PEP 562), so that a process that needs
# only cmd.exe's rules or the network judge (the emulated SSH host's login shell, once per session) does not pay
# for the HTTP endpoint, NTLM, TLS and PSRP (about 0.4 s).
_EXPORTS = {
    "EmulatedWindowsHost": "._server", "DEFAULT_ACCOUNTS": "._server",
    "CMD_LINE_LIMIT": "._windows", "run_command_line": "._windows",
    "DEFAULT_CONTROLLER_ADDRESS": "._enforcement", "DEFAULT_HOST_ADDRESSES": "._enforcement",
    "EmulatedNetwork": "._enforcement", "Evaluation": "._enforcement",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value
