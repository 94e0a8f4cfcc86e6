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
import json
import os
import signal
import sys
import threading
from pathlib import Path

from ._host import EmulatedSshHost
from ._shell_config import SHELLS
from ._winrm_parts import DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until told to stop; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    servers: dict[str, list[str]] = {}
    for setting in args.server_address:
        kind, separator, address = setting.partition("=")
        if not separator:
            parser.error(f"--server-address {setting!r}: expected TYPE=ADDRESS, e.g. dns=192.0.2.53")
        servers.setdefault(kind.strip().lower(), []).append(address)
    try:
        host = EmulatedSshHost(args.workdir, shell=args.shell, port=args.port, enforce=not args.no_enforce,
                               controller_address=args.controller_address, host_addresses=args.host_address or DEFAULT_HOST_ADDRESSES,
                               server_addresses=servers)
    except ValueError as error:
        parser.error(str(error))  # exits 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *dummy: stop.set())
    try:
        host.start()
    except RuntimeError as error:
        sys.stderr.write(f"emulated-ssh-host: {error}\n")
        return 1
    try:
        if args.ready_file:
            ready = {"port": host.port, "pid": os.getpid(), "workdir": str(host.workdir), "user": host.user, "shell": host.shell,
                     "key_file": str(host.key_file), "known_hosts": str(host.known_hosts), "ansible_vars": host.ansible_vars()}
            temporary = args.ready_file.with_name(args.ready_file.name + ".tmp")
            temporary.write_text(json.dumps(ready), encoding="utf-8")
            os.replace(temporary, args.ready_file)
        print(f"emulated Windows host listening on ssh://{host.user}@127.0.0.1:{host.port} ({host.shell}, pid {os.getpid()})", flush=True)
        stop.wait()
    finally:
        host.stop()
        if args.ready_file:
            args.ready_file.unlink(missing_ok=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulated-ssh-host", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", required=True, type=Path, help="the host's directory: sshd configuration, keys, netsh store")
    parser.add_argument("--shell", choices=SHELLS, default="cmd", help="the DefaultShell of the emulated Windows OpenSSH")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--ready-file", type=Path, help="written with the port, the pid and the client settings once sshd answers")
    parser.add_argument("--controller-address", default=DEFAULT_CONTROLLER_ADDRESS,
                        help="the controller's address as the host sees it (emulated network)")
    parser.add_argument("--host-address", action="append", default=[], metavar="ADDRESS",
                        help=f"an address of the host, what 'me' stands for; repeat for several (default {DEFAULT_HOST_ADDRESSES[0]})")
    parser.add_argument("--server-address", action="append", default=[], metavar="TYPE=ADDRESS",
                        help="a server the host is configured with (dns, wins, dhcp, gateway); repeat for several")
    parser.add_argument("--no-enforce", action="store_true", help="do not enforce the assigned IPsec policy on the sessions")
    return parser
