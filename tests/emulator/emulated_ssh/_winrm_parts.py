"""The pieces of ``emulated_winrm`` the SSH host uses: two in every session, and the command's serving loop.

Contract::

    run_command_line(line, stdin, env, skip_cmd_shell=False, abort=None)   # emulated_winrm._windows: cmd.exe's rules
    EmulatedNetwork, evaluate, DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES   # emulated_winrm._enforcement
    add_network_arguments, server_addresses, stop_on_signals, serve                # emulated_winrm._serve (the command)

Imported from their modules, not from the package's names: ``emulated_winrm`` imports its endpoint (HTTP server,
NTLM, TLS, PSRP) only when one of its names is used, and the login shell starts once per session.
"""

from __future__ import annotations

from emulated_winrm._enforcement import DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES, EmulatedNetwork, evaluate
from emulated_winrm._serve import add_network_arguments, serve, server_addresses, stop_on_signals
from emulated_winrm._windows import run_command_line

__all__ = ["run_command_line", "EmulatedNetwork", "evaluate", "DEFAULT_CONTROLLER_ADDRESS", "DEFAULT_HOST_ADDRESSES",
           "add_network_arguments", "server_addresses", "stop_on_signals", "serve"]
