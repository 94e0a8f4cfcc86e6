"""``emulated-ssh-host``: run one emulated Windows host behind sshd until SIGTERM or SIGINT.

    emulated-ssh-host --workdir DIR [--shell cmd|powershell] [--port 0] [--ready-file FILE]
                      [--controller-address 192.0.2.10] [--host-address 192.0.2.20 ...]
                      [--server-address dns=192.0.2.53 ...] [--no-enforce]

Once sshd answers it writes ``FILE`` atomically as JSON ``{"port", "pid", "workdir", "user", "shell", "key_file",
"known_hosts", "ansible_vars"}`` (``pid`` is this command's, the one to signal), so a caller waits for that file and
then connects. On SIGTERM/SIGINT it stops sshd and its connections, removes ``FILE`` and exits 0; the store, the
keys and the sessions' records stay in ``DIR``. A malformed address or an unknown shell is a usage error (exit 2);
sshd failing to start is exit 1 with its log on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._host import EmulatedSshHost
from ._shell_config import SHELLS
from ._winrm_parts import DEFAULT_HOST_ADDRESSES, add_network_arguments, serve, server_addresses, stop_on_signals


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until told to stop; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        host = EmulatedSshHost(args.workdir, shell=args.shell, port=args.port, enforce=not args.no_enforce,
                               controller_address=args.controller_address, host_addresses=args.host_address or DEFAULT_HOST_ADDRESSES,
                               server_addresses=server_addresses(args.server_address))
    except ValueError as error:
        parser.error(str(error))  # exits 2
    stop = stop_on_signals()
    try:
        host.start()
    except RuntimeError as error:
        sys.stderr.write(f"emulated-ssh-host: {error}\n")
        return 1
    ready = {"port": host.port, "pid": os.getpid(), "workdir": str(host.workdir), "user": host.user, "shell": host.shell,
             "key_file": str(host.key_file), "known_hosts": str(host.known_hosts), "ansible_vars": host.ansible_vars()}
    banner = f"emulated Windows host listening on ssh://{host.user}@127.0.0.1:{host.port} ({host.shell}, pid {os.getpid()})"
    return serve(host, stop, args.ready_file, ready, banner)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulated-ssh-host", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", required=True, type=Path, help="the host's directory: sshd configuration, keys, netsh store")
    parser.add_argument("--shell", choices=SHELLS, default="cmd", help="the DefaultShell of the emulated Windows OpenSSH")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--ready-file", type=Path, help="written with the port, the pid and the client settings once sshd answers")
    add_network_arguments(parser)
    return parser
