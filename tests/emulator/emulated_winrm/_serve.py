"""What the commands ``emulated-winrm-host`` and ``emulated-ssh-host`` share: the emulated network's options,
reading ``--server-address`` settings, and serving one started host until SIGTERM or SIGINT with a ready file a caller waits for.

Contract::

    add_network_arguments(parser)                     # --controller-address, --host-address, --server-address, --no-enforce
    servers = server_addresses(["dns=192.0.2.53"])   # {"dns": ["192.0.2.53"]}; ValueError names a malformed setting
    stop = stop_on_signals()                          # a threading.Event set by SIGTERM or SIGINT (install before start)
    serve(host, stop, ready_file, ready, banner)      # write ready_file (JSON, atomically), print banner, wait for
                                                      # stop, then host.stop() and remove ready_file; returns 0
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path

from ._enforcement import DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that place the host in the emulated network (``EmulatedNetwork``), and ``--no-enforce``."""
    parser.add_argument("--controller-address", default=DEFAULT_CONTROLLER_ADDRESS,
                        help="the controller's address as the host sees it (emulated network)")
    parser.add_argument("--host-address", action="append", default=[], metavar="ADDRESS",
                        help=f"an address of the host, what 'me' stands for; repeat for several (default {DEFAULT_HOST_ADDRESSES[0]})")
    parser.add_argument("--server-address", action="append", default=[], metavar="TYPE=ADDRESS",
                        help="a server the host is configured with (dns, wins, dhcp, gateway); repeat for several")
    parser.add_argument("--no-enforce", action="store_true", help="do not enforce the assigned IPsec policy on the controller's packets")


def server_addresses(settings: list[str]) -> dict[str, list[str]]:
    """``TYPE=ADDRESS`` settings as {type (lower case): [address, ...]}; raises ``ValueError`` naming a setting
    without ``=``."""
    servers: dict[str, list[str]] = {}
    for setting in settings:
        kind, separator, address = setting.partition("=")
        if not separator:
            raise ValueError(f"--server-address {setting!r}: expected TYPE=ADDRESS, e.g. dns=192.0.2.53")
        servers.setdefault(kind.strip().lower(), []).append(address)
    return servers


def stop_on_signals() -> threading.Event:
    """An event that SIGTERM and SIGINT set (instead of ending the process), so the host is stopped cleanly."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *dummy: stop.set())
    return stop


def serve(host, stop: threading.Event, ready_file: Path | None, ready: dict, banner: str) -> int:
    """With ``host`` started: write ``ready`` as JSON to ``ready_file`` (if given; through a temporary file and a
    rename, so a reader never sees half of it), print ``banner``, and wait for ``stop``; then stop the host and remove
    ``ready_file``, whatever happened. Returns the exit status, 0."""
    try:
        if ready_file:
            temporary = ready_file.with_name(ready_file.name + ".tmp")
            temporary.write_text(json.dumps(ready), encoding="utf-8")
            os.replace(temporary, ready_file)
        print(banner, flush=True)
        stop.wait()
    finally:
        host.stop()
        if ready_file:
            ready_file.unlink(missing_ok=True)
    return 0
