"""Independent emulator of ``netsh ipsec static``, of the collection's PowerShell bootstrap and of the
registry keys the static IPsec store lives in.

This package is test-side only and imports nothing from the collection (``plugins/``): it is a
second implementation of the contract in ``docs/netsh-output-format.md`` so that a bug in the
collection cannot hide behind shared code.

Public API:

* :func:`run_netsh` ``(argv, env, abort=None) -> (rc, stdout_bytes, stderr_bytes)``
* :func:`run_powershell` ``(argv, stdin_bytes, env, abort=None) -> (rc, stdout_bytes, stderr_bytes)``

``abort`` (a ``threading.Event``) is the kill switch of the emulated WinRM host: once set, no netsh
command runs any more and a hanging one (``NETSH_EMU_HANG_AT``) stops hanging (see ``_faults``).
* :func:`split_c` / :func:`join_c` -- MSVCRT command-line splitting and quoting.
* :func:`run_script` ``(script, env, kind, *, encoding=None, context="") -> list[CommandResult]``,
  :func:`run_script_file`, :func:`plan_script` -- a user's batch file, PowerShell script or netsh script run
  on the emulated host (``_script_host``); :class:`ScriptNotRunnable` when a line cannot be run exactly.
* :func:`decide` ``(store, packet, network) -> Decision`` and :func:`decide_from_file` ``(state_path, packet, network)``
  -- what the host's assigned policy does with one packet (``_packet_filter``: :class:`Packet`, :class:`Network`,
  :class:`PacketFilterError`).
* :func:`scheduled_tasks` ``(state_path_or_env) -> list[dict]`` -- the host's registered scheduled tasks (the batch
  script's ``arm``): ``{"name", "at", "execute", "argument", "user"}``, by trigger time; :func:`task_history` -- the
  runs of its tasks; :func:`cancel_scheduled_tasks` -- unregister them all (a test's clean-up), see ``_scheduled_tasks``.
"""

from __future__ import annotations

from ._bootstrap_emulation import run_powershell
from ._crt import join_c, split_c
from ._netsh import run_netsh
from ._packet_filter import Decision, Network, Packet, PacketFilterError, decide, decide_from_file
from ._scheduled_tasks import cancel_scheduled_tasks, scheduled_tasks, task_history
from ._script_host import CommandResult, plan_script, run_script, run_script_file
from ._script_steps import ScriptNotRunnable

__all__ = ["run_netsh", "run_powershell", "split_c", "join_c", "run_script", "run_script_file", "plan_script",
           "CommandResult", "ScriptNotRunnable", "decide", "decide_from_file", "Decision", "Network", "Packet", "PacketFilterError",
           "scheduled_tasks", "task_history", "cancel_scheduled_tasks"]
