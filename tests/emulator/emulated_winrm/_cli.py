"""``emulated-winrm-host``: run one emulated Windows host until SIGTERM or SIGINT.

    emulated-winrm-host --workdir DIR [--port 0] [--latency 0.05] [--user vagrant --password vagrant]
                        [--no-basic] [--ready-file FILE]
                        [--controller-address 192.0.2.10] [--host-address 192.0.2.20 ...]
                        [--server-address dns=192.0.2.53 ...] [--no-enforce] [--https]

Once listening it writes ``FILE`` (JSON ``{"port", "pid", "endpoint", "workdir"}``, with ``--https`` also ``"ca_file"``)
atomically, so a caller waits for that file and then connects; the counters are kept in ``DIR/winrm-operations.json``.
With ``--https`` the endpoint is ``https://127.0.0.1:<port>/wsman`` with a certificate made for the host in ``DIR``
(``DIR/ca.pem`` is the CA a client validates it with; see ``_tls``).
On SIGTERM/SIGINT it stops listening, removes ``FILE`` and exits 0. The store stays in ``DIR``.
The host enforces its assigned IPsec policy on the controller's packets unless ``--no-enforce`` is given; the
addresses are those of the emulated network (``EmulatedWindowsHost``). A malformed address is a usage error (exit 2).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ._enforcement import DEFAULT_HOST_ADDRESSES
from ._serve import add_network_arguments, serve, server_addresses, stop_on_signals
from ._server import EmulatedWindowsHost


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until told to stop; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        host = host_from_arguments(args)
    except ValueError as error:
        parser.error(str(error))  # exits 2

    stop = stop_on_signals()
    host.start()
    ready = {"port": host.port, "pid": os.getpid(), "endpoint": host.endpoint, "workdir": str(args.workdir.resolve())}
    if host.ca_file is not None:
        ready["ca_file"] = str(host.ca_file.resolve())
    return serve(host, stop, args.ready_file, ready, f"emulated Windows host listening on {host.endpoint} (pid {os.getpid()})")


def host_from_arguments(args: argparse.Namespace) -> EmulatedWindowsHost:
    """The (not yet started) host the parsed command line describes; raises ``ValueError`` for a bad address."""
    servers = server_addresses(args.server_address)
    return EmulatedWindowsHost(args.workdir, accounts={args.user: args.password}, allow_basic=not args.no_basic,
                               latency=args.latency, port=args.port, publish_counters=True,
                               controller_address=args.controller_address, host_addresses=args.host_address or DEFAULT_HOST_ADDRESSES,
                               server_addresses=servers, enforce=not args.no_enforce, https=args.https)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line read as ``main`` reads it (argparse exits 2 on a usage error)."""
    return _parser().parse_args(argv)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulated-winrm-host", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", required=True, type=Path, help="the host's directory: netsh store, counters")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds slept before answering each HTTP request")
    parser.add_argument("--user", default="vagrant")
    parser.add_argument("--password", default="vagrant")
    parser.add_argument("--no-basic", action="store_true", help="offer NTLM only")
    parser.add_argument("--ready-file", type=Path, help="written with the port and pid once listening")
    add_network_arguments(parser)
    parser.add_argument("--https", action="store_true", help="serve HTTPS with a certificate made for the host (DIR/ca.pem is its CA)")
    return parser
