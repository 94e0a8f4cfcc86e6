"""``emulated-winrm-host``: run one emulated Windows host until SIGTERM or SIGINT.

    emulated-winrm-host --workdir DIR [--port 0] [--latency 0.05] [--user vagrant --password vagrant]
                        [--no-basic] [--ready-file FILE]

Once listening it writes ``FILE`` (JSON ``{"port", "pid", "endpoint", "workdir"}``) atomically, so a
caller waits for that file and then connects; the counters are kept in ``DIR/winrm-operations.json``.
On SIGTERM/SIGINT it stops listening, removes ``FILE`` and exits 0. The store stays in ``DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path

from ._server import EmulatedWindowsHost


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until told to stop; returns the exit status."""
    parser = argparse.ArgumentParser(prog="emulated-winrm-host", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", required=True, type=Path, help="the host's directory: netsh store, counters")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds slept before answering each HTTP request")
    parser.add_argument("--user", default="vagrant")
    parser.add_argument("--password", default="vagrant")
    parser.add_argument("--no-basic", action="store_true", help="offer NTLM only")
    parser.add_argument("--ready-file", type=Path, help="written with the port and pid once listening")
    args = parser.parse_args(argv)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *dummy: stop.set())
    host = EmulatedWindowsHost(args.workdir, accounts={args.user: args.password}, allow_basic=not args.no_basic,
                               latency=args.latency, port=args.port, publish_counters=True)
    host.start()
    try:
        if args.ready_file:
            ready = {"port": host.port, "pid": os.getpid(), "endpoint": host.endpoint, "workdir": str(args.workdir.resolve())}
            temporary = args.ready_file.with_name(args.ready_file.name + ".tmp")
            temporary.write_text(json.dumps(ready), encoding="utf-8")
            os.replace(temporary, args.ready_file)
        print(f"emulated Windows host listening on {host.endpoint} (pid {os.getpid()})", flush=True)
        stop.wait()
    finally:
        host.stop()
        if args.ready_file:
            args.ready_file.unlink(missing_ok=True)
    return 0
