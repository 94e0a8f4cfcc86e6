"""The emulated Windows host: a WinRM (WS-Management over HTTP) endpoint on a loopback port.

Behind the endpoint is the netsh emulator with one persisted store per host (``<workdir>/netsh-store.json``).
Clients are the real ones: pywinrm and ansible-core's ``winrm`` connection plugin. Served operations:
Create, Command, Send, Receive, Signal and Delete of the WinRS ``cmd`` shell resource; anything else
is a SOAP fault. See ``_auth`` for Basic/NTLM and ``_windows`` for what runs a command line. Requests of the
PowerShell resource (``http://schemas.microsoft.com/powershell/...``) are PSRP, served by ``_psrp``: runspace pools
for pypsrp and ansible-core's ``psrp`` connection, a pipeline per Command operation.

Counters (``host.operations``) count every WS-Management operation by name plus ``http`` (every HTTP
request, including 401 handshake legs); ``host.round_trips`` is the number of Command operations,
the unit in which the collection's budgets are stated; ``host.connections`` counts the TCP connections accepted
(a keep-alive connection once). ``host.scheduled_tasks()`` lists the tasks registered on the host (the
batch script's ``arm``; their timers run in processes of their own and fire whether the host runs, is stopped or
was killed, see ``netsh_emulator._task_timer``). ``latency`` seconds are slept before every
HTTP request is answered (in that request's thread, so hosts and connections do not queue).
:meth:`EmulatedWindowsHost.stop` also closes the keep-alive connections still open, so a stopped host
answers nothing, as a host that went down would not. :meth:`EmulatedWindowsHost.kill` is the abrupt
version: connections reset and the running command cut off where it stands, as when a host loses
power or its network.

The host enforces the IPsec policy its store has assigned (``enforce``, see ``_enforcement``): every new
TCP connection and every HTTP request is the controller's packet, judged against the store as it is then.
A packet the policy drops gets nothing back, as Windows answers nothing to it: the connection is kept
open, unread and unanswered, until the client gives up, and is closed only when the host stops.

With ``https=True`` the endpoint is ``https://127.0.0.1:<port>/wsman`` (see ``_tls``): TLS with a certificate made
for the host (``host.ca_file`` is the CA a client validates it with), the TLS handshake of a connection only once
the policy admitted its first packet, and plain bodies admitted after NTLM, as TLS encrypts the channel (A-161).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import ssl
import struct
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Mapping, Sequence

from netsh_emulator import scheduled_tasks, task_history

from . import _soap, _tls
from ._auth import ConnectionAuth, Unauthorized, register_accounts
from ._enforcement import DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES, EmulatedNetwork, Evaluation, evaluate
from ._psrp import PowerShellEndpoint
from ._psrp_script import Outcome, run_pipeline
from ._psrp_wire import is_powershell
from ._shells import ShellTable
from ._windows import run_command_line

DEFAULT_ACCOUNTS = {"vagrant": "vagrant"}
_ACTION_BASE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
_TRANSFER_BASE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
# How many evaluated packets host.evaluations keeps (the latest).
EVALUATIONS_KEPT = 1000


class EmulatedWindowsHost:
    """One emulated Windows host reachable over WinRM at ``http://127.0.0.1:<port>/wsman``.

    ``workdir`` holds the host's netsh store (kept across restarts) and, with ``publish_counters``,
    ``winrm-operations.json`` (the counters and ``connections``, rewritten after every operation and
    connection, for readers in other processes). ``env`` adds netsh emulator settings (``NETSH_EMU_*``); ``host.env`` is read at every
    command, so a test may change it between plays. ``port=0`` picks a free port.

    The emulated network (``_enforcement.EmulatedNetwork``): the controller reaches the host from
    ``controller_address`` at the first of ``host_addresses`` of its family; ``me`` in a filter is any of
    ``host_addresses``, and ``server_addresses`` gives the DNS, WINS, DHCP and gateway servers the server types
    of a filter stand for. With ``enforce`` (read at every connection and request) the host drops what its
    assigned policy drops. Raises ``ValueError`` for a malformed address.

    ``https``: serve WinRM over HTTPS (``_tls``) with the certificate in ``workdir`` (``ca.pem``, ``server-cert.pem``,
    ``server-key.pem``, made at construction unless still valid there); ``ca_file`` is the CA that issued it.
    """

    def __init__(
        self,
        workdir: Path,
        *,
        accounts: Mapping[str, str] | None = None,
        allow_basic: bool = True,
        latency: float = 0.0,
        receive_wait: float = 5.0,
        port: int = 0,
        env: Mapping[str, str] | None = None,
        publish_counters: bool = False,
        controller_address: str = DEFAULT_CONTROLLER_ADDRESS,
        host_addresses: Sequence[str] = DEFAULT_HOST_ADDRESSES,
        server_addresses: Mapping[str, Sequence[str]] | None = None,
        enforce: bool = True,
        https: bool = False,
    ) -> None:
        self.network = EmulatedNetwork(controller_address, host_addresses, server_addresses)  # checked before anything is made
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.state_file = self.workdir / "netsh-store.json"
        self.counters_file = self.workdir / "winrm-operations.json"
        self.https = https
        self._tls_files = _tls.ensure_certificates(self.workdir) if https else None
        self.accounts = dict(accounts or DEFAULT_ACCOUNTS)
        self.allow_basic = allow_basic
        self.latency = latency
        self.env = {"NETSH_EMU_STATE": str(self.state_file), **(env or {})}
        self.command_lines: list[str] = []  # every command line run, in order
        self.enforce = enforce
        self._evaluations: deque[Evaluation] = deque(maxlen=EVALUATIONS_KEPT)
        self._publish = publish_counters
        self._requested_port = port
        self._operations: Counter = Counter()
        self._connections = 0
        self._counter_lock = threading.Lock()
        self._shells = ShellTable(self._run, receive_wait)
        self._powershell = PowerShellEndpoint(self._run_pipeline, receive_wait, self.command_lines.append)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Set by kill(): the commands of this host run nothing more (netsh_emulator._faults).
        self._killed = threading.Event()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "EmulatedWindowsHost":
        """Listen on 127.0.0.1 and serve in a background thread; returns self."""
        if self._killed.is_set():
            raise RuntimeError("a killed host cannot be started again; start a new EmulatedWindowsHost on its workdir")
        register_accounts(self.accounts)
        tls = _tls.server_context(self._tls_files) if self._tls_files else None
        self._server = _Server(("127.0.0.1", self._requested_port), _Handler, tls)
        self._server.host = self
        # A short poll interval keeps stop() quick; serving itself does not poll.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"winrm-{self.port}", daemon=True)
        self._thread.start()
        self._write_counters()
        return self

    def stop(self) -> None:
        """Stop listening, close the socket and every open connection; the store stays in ``workdir``.

        A command still running finishes first (up to 30 s); its result is never received."""
        if self._server is not None:
            self._server.stopping = True
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._server = None
            # A command already running finishes (its result is never received) before stop returns,
            # so no store write happens after it, e.g. under a new host started on the same workdir.
            self._shells.drain(timeout=30)
            self._powershell.drain(timeout=30)

    def kill(self) -> None:
        """What a host that loses power or its network looks like to a client; the store stays.

        1. Every open connection is ended at once and reset, without an HTTP reply (see :func:`_shut`);
           a client waiting in a Receive gets a connection error. A connection arriving later is reset too.
        2. Only then are the running commands cut off, so none of them answers a client: a netsh command
           hanging through ``NETSH_EMU_HANG_AT`` stops hanging and no further command of its batch runs
           (``netsh_emulator._faults``).
        3. The listening socket is closed, and kill returns once the running commands have ended, so
           nothing writes the store afterwards.

        The host cannot be started again; a new ``EmulatedWindowsHost`` on the same ``workdir`` and
        ``port`` is the host after its restart (the port can be bound again at once: :class:`_Server`
        sets ``SO_REUSEADDR``). A second kill, or stop after kill, does nothing.
        """
        server, self._server = self._server, None
        if server is None:
            return
        server.stopping = True
        # Connections first: a command ending because of the abort below must find no client to answer.
        server.close_connections(reset=True)
        self._killed.set()
        server.shutdown()
        server.server_close()
        self._shells.drain(timeout=30)
        self._powershell.drain(timeout=30)

    def __enter__(self) -> "EmulatedWindowsHost":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the endpoint listens on (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("the emulated host is not running")
        return self._server.server_address[1]

    @property
    def endpoint(self) -> str:
        """The WinRM URL, as pywinrm takes it."""
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}/wsman"

    @property
    def ca_file(self) -> Path | None:
        """HTTPS: the PEM file of the CA that issued the host's certificate (what a client validates it with); else None."""
        return self._tls_files.ca_file if self._tls_files else None

    def ansible_vars(self, *, cert_validation: str = "validate") -> dict:
        """Inventory variables that reach this host with ansible-core's ``winrm`` connection and NTLM, as the first of
        its accounts: over HTTP with message encryption; over HTTPS with ``ansible_winrm_server_cert_validation`` set
        to ``cert_validation``, ``validate`` (against :attr:`ca_file`, ``ansible_winrm_ca_trust_path``) or ``ignore``.
        Raises ``ValueError`` for another ``cert_validation``."""
        user, password = next(iter(self.accounts.items()))
        variables = {"ansible_connection": "winrm", "ansible_host": "127.0.0.1", "ansible_port": self.port, "ansible_user": user,
                     "ansible_password": password, "ansible_winrm_transport": "ntlm", "ansible_winrm_scheme": "https" if self.https else "http"}
        if not self.https:
            return variables
        if cert_validation == "validate":
            return {**variables, "ansible_winrm_server_cert_validation": "validate", "ansible_winrm_ca_trust_path": str(self.ca_file)}
        if cert_validation == "ignore":
            return {**variables, "ansible_winrm_server_cert_validation": "ignore"}
        raise ValueError(f"cert_validation must be 'validate' or 'ignore', not {cert_validation!r}")

    def psrp_vars(self) -> dict:
        """Inventory variables that reach this host with ansible-core's ``psrp`` connection and NTLM, as the first of its
        accounts: over HTTP with message encryption; over HTTPS validating the certificate against :attr:`ca_file`."""
        user, password = next(iter(self.accounts.items()))
        variables = {"ansible_connection": "psrp", "ansible_host": "127.0.0.1", "ansible_port": self.port, "ansible_user": user,
                     "ansible_password": password, "ansible_psrp_auth": "ntlm", "ansible_psrp_protocol": "https" if self.https else "http"}
        return {**variables, "ansible_psrp_ca_cert": str(self.ca_file)} if self.https else variables

    # -- counters --------------------------------------------------------------------------------

    @property
    def operations(self) -> dict:
        """A copy of the counters: ``{"http": n, "Create": n, "Command": n, ...}``."""
        with self._counter_lock:
            return dict(self._operations)

    @property
    def connections(self) -> int:
        """How many TCP connections the endpoint has accepted (each keep-alive connection once, however many requests
        it carried; connections the policy then dropped included). Published as ``connections`` in the counters file."""
        with self._counter_lock:
            return self._connections

    def count_connection(self) -> None:
        """Count one accepted TCP connection (and publish the counters when asked to)."""
        with self._counter_lock:
            self._connections += 1
            if self._publish:
                self._write_counters()

    def scheduled_tasks(self) -> list[dict]:
        """The host's registered scheduled tasks (``netsh_emulator.scheduled_tasks`` of its environment):
        ``{"name", "at", "execute", "argument", "user"}`` each, by trigger time. Readable whether the host runs or not."""
        return scheduled_tasks(self.env)

    def task_history(self) -> list[dict]:
        """The runs of the host's scheduled tasks, oldest first (``netsh_emulator.task_history``)."""
        return task_history(self.env)

    @property
    def round_trips(self) -> int:
        """How many command lines clients have run (Command operations)."""
        return self.operations.get("Command", 0)

    @property
    def open_shells(self) -> int:
        """Shells created and not yet deleted (PSRP runspace pools included)."""
        return self._shells.open_shells() + self._powershell.open_pools()

    def count(self, name: str) -> None:
        """Count one operation (and publish the counters when asked to)."""
        with self._counter_lock:
            self._operations[name] += 1
            if self._publish:
                self._write_counters()

    @property
    def evaluations(self) -> list[Evaluation]:
        """The packets judged under the policy so far (the latest :data:`EVALUATIONS_KEPT`), oldest first."""
        return list(self._evaluations)

    @property
    def dropped(self) -> list[Evaluation]:
        """The evaluations whose packet the policy dropped: connections and requests that got no answer."""
        return [evaluation for evaluation in self._evaluations if not evaluation.decision.delivered]

    def admits(self, kind: str, client_port: int, port: int) -> bool:
        """Whether the controller's packet of a new connection (``kind`` ``connection``) or of an HTTP request
        (``request``), from ``client_port`` to the endpoint's ``port``, gets through: always without ``enforce``;
        otherwise as the store's assigned policy decides now. Each packet judged is kept in :attr:`evaluations`."""
        if not self.enforce:
            return True
        evaluation = evaluate(kind, self.env.get("NETSH_EMU_STATE", str(self.state_file)), self.network, client_port, port)
        self._evaluations.append(evaluation)
        return evaluation.decision.delivered

    def _write_counters(self) -> None:
        if not self._publish:
            return
        temporary = self.counters_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({**self._operations, "connections": self._connections}, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.counters_file)

    # -- operations ------------------------------------------------------------------------------

    def _run(self, line: str, stdin: bytes, skip_cmd_shell: bool) -> tuple[int, bytes, bytes]:
        return run_command_line(line, stdin, dict(self.env), skip_cmd_shell, abort=self._killed)

    def _run_pipeline(self, commands: Sequence, inputs: list) -> Outcome:
        return run_pipeline(commands, inputs, dict(self.env), abort=self._killed)

    def serve(self, request: _soap.Request) -> str:
        """The reply body of one authenticated request; raises :class:`_soap.SoapError`."""
        action, shells = request.action, self._shells
        if is_powershell(request.resource_uri):  # PSRP: one pipeline per Command operation, counted as a round trip
            self.count(action)
            return self._powershell.serve(request, self.endpoint)
        if action == "Create":
            self.count(action)
            return _soap.created(shells.create(), self.endpoint)
        if action == "Delete":
            self.count(action)
            shells.delete(request.shell_id)
            return ""
        if action == "Command":
            command, arguments = _soap.command_line(request.body)
            line = " ".join([command, *arguments])
            self.count(action)
            self.command_lines.append(line)
            console_stdin = request.options.get("WINRS_CONSOLEMODE_STDIN", "TRUE").upper() == "TRUE"
            skip_cmd_shell = request.options.get("WINRS_SKIP_CMD_SHELL", "FALSE").upper() == "TRUE"
            return _soap.command_response(shells.command(request.shell_id, line, console_stdin, skip_cmd_shell))
        if action == "Send":
            self.count(action)
            command_id, data, end = _soap.stdin_chunk(request.body)
            shells.send(request.shell_id, command_id, data, end)
            return "<rsp:SendResponse/>"
        if action == "Receive":
            self.count(action)
            command_id = _soap.command_id_of(request.body, "rsp:DesiredStream")
            stdout, stderr, exit_code = shells.receive(request.shell_id, command_id, request.operation_timeout)
            return _soap.receive_response(command_id, stdout, stderr, exit_code)
        if action == "Signal":
            self.count(action)
            shells.signal(request.shell_id, _soap.command_id_of(request.body, "."))
            return "<rsp:SignalResponse/>"
        raise _soap.SoapError(f"The emulated host does not implement the action {action}.", subcode="w:ActionNotSupported")

    @staticmethod
    def reply_action(action: str) -> str:
        """The a:Action URI of the reply to ``action``."""
        base = _TRANSFER_BASE if action in ("Create", "Delete") else _ACTION_BASE
        return f"{base}{action}Response"


class _Server(ThreadingHTTPServer):
    """The listening socket of one host and its open keep-alive connections (closed by :meth:`close_connections`)."""

    daemon_threads = True
    # SO_REUSEADDR (http.server's default, stated here because restarts depend on it): a new host may bind
    # the port of a stopped or killed one at once, although connections of the old one linger (FIN_WAIT,
    # TIME_WAIT).
    allow_reuse_address = True
    host: EmulatedWindowsHost
    stopping = False

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None) -> None:
        super().__init__(address, handler)
        # HTTPS: the listening socket wrapped, without the handshake at accept: _Handler.setup makes it once the policy
        # admitted the connection's first packet, so that a dropped connection is not even sent a ServerHello.
        self.tls = tls is not None
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self._connections: set[socket.socket] = set()
        # Connections whose packets the policy dropped: open, unread, unanswered until the host stops.
        self._swallowed: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._closed = False
        self._reset = False

    def track(self, connection: socket.socket, is_open: bool) -> None:
        """Note a connection opened (``is_open``) or ended; one opened after :meth:`close_connections` is shut at once."""
        with self._connections_lock:
            if not is_open:
                self._connections.discard(connection)
                return
            if not self._closed:
                self._connections.add(connection)
                return
        _shut(connection, self._reset)

    def swallow(self, connection: socket.socket) -> None:
        """Leave ``connection`` open with nothing read or sent, as a host that drops its packets; its handler ends
        without closing it (:meth:`shutdown_request`), and :meth:`close_connections` closes it when the host stops."""
        with self._connections_lock:
            self._connections.discard(connection)
            if not self._closed:
                self._swallowed.add(connection)

    def shutdown_request(self, request) -> None:
        """Close a connection whose handler has ended, unless it was swallowed."""
        with self._connections_lock:
            if request in self._swallowed:
                return
        super().shutdown_request(request)

    def close_connections(self, reset: bool = False) -> None:
        """Shut every open connection down, and any opened later; their handler threads then end.
        Swallowed connections, which no thread uses any more, are closed here too.

        With ``reset`` each connection is aborted (see :func:`_shut`), as a host that lost power."""
        with self._connections_lock:
            connections, self._connections, self._closed = list(self._connections), set(), True
            swallowed, self._swallowed = list(self._swallowed), set()
            self._reset = self._reset or reset
        for connection in connections:
            _shut(connection, reset)
        for connection in swallowed:
            if reset:  # a reset alone, no FIN before it (nothing else uses the socket)
                with contextlib.suppress(OSError):
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                _shut(connection)
            connection.close()

    def handle_error(self, request, client_address) -> None:
        """Quiet once the host is stopping: a connection it closed is no error."""
        if self.stopping:
            return
        super().handle_error(request, client_address)


def _shut(connection: socket.socket, reset: bool = False) -> None:
    """End a connection that its handler thread may be using: ``shutdown`` wakes that thread safely
    (closing the descriptor under it would not), and the client sees the end at once.

    With ``reset``, ``SO_LINGER`` 0 makes the close that follows in the handler thread send a TCP RST
    and leave no TIME_WAIT behind; anything the client still sends is refused with RST."""
    try:
        if reset:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the client closed it already


class _Handler(BaseHTTPRequestHandler):
    """One keep-alive connection: its NTLM state lives as long as this handler."""

    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    # An idle keep-alive connection is closed after this many seconds, so a client that never hangs
    # up does not hold a thread forever (ansible opens one connection per task).
    timeout = 300
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the client's
    # delayed ACK (about 40 ms on Linux), which would add that much to every request.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        host: EmulatedWindowsHost = self.server.host  # type: ignore[attr-defined]
        self.auth = ConnectionAuth(host.accounts, host.allow_basic, tls=self.server.tls)  # type: ignore[attr-defined]
        self.server.track(self.connection, True)  # type: ignore[attr-defined]
        host.count_connection()
        # The first packet of the connection (on Windows its SYN): dropped, the connection is never served.
        self.dropped = not self._admitted("connection")
        # HTTPS: the handshake follows the admitted first packet; a connection whose handshake fails (plain HTTP, a
        # client that rejects the certificate) is closed without an HTTP reply.
        self.handshake_failed = not self.dropped and not _tls.handshake(self.connection)

    def handle(self) -> None:
        """Serve the connection's requests, unless the policy dropped the connection itself or its TLS handshake failed."""
        if not self.dropped and not self.handshake_failed:
            super().handle()

    def parse_request(self) -> bool:
        """Judge the request that has arrived, then read its request line and headers. A request the policy drops
        gets no answer, not even to a malformed request line, and ends the connection's service without closing it
        (the client's later packets would be dropped alike)."""
        if self._admitted("request"):
            return super().parse_request()
        self.dropped = self.close_connection = True
        return False

    def _admitted(self, kind: str) -> bool:
        host: EmulatedWindowsHost = self.server.host  # type: ignore[attr-defined]
        if host.admits(kind, self.client_address[1], self.server.server_address[1]):
            return True
        self.server.swallow(self.connection)  # type: ignore[attr-defined]
        return False

    def finish(self) -> None:
        self.server.track(self.connection, False)  # type: ignore[attr-defined]
        super().finish()

    def version_string(self) -> str:
        """``Server: Microsoft-HTTPAPI/2.0``, without http.server's trailing Python version."""
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # pylint: disable=redefined-builtin  # quiet: tests read counters
        return

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        """Authenticate, unseal, serve, seal: one WS-Management request."""
        host: EmulatedWindowsHost = self.server.host  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        host.count("http")
        if host.latency:
            time.sleep(host.latency)
        if self.path.rstrip("/").lower() != "/wsman":
            self._send(404, "text/plain", b"")
            return
        try:
            self.auth.authenticate(self.headers.get("Authorization"))
            text = self.auth.unseal(self.headers.get("Content-Type", ""), body)
        except Unauthorized as refusal:
            self._send(401, "text/plain", b"", challenges=refusal.challenges)
            return
        if not text:
            self._send(200, "text/plain", b"")
            return
        relates_to, status = "", 200
        try:
            request = _soap.parse_request(text)
            relates_to = request.message_id
            reply = _soap.envelope(host.reply_action(request.action), relates_to, host.serve(request))
        except _soap.SoapError as error:
            status, reply = 500, _soap.fault(error, relates_to, "127.0.0.1")
        except Exception as exc:  # pylint: disable=broad-except  # a fault, never a dropped socket
            status, reply = 500, _soap.fault(_soap.SoapError(f"emulated host error: {type(exc).__name__}: {exc}"), relates_to, "127.0.0.1")
        content_type, payload = self.auth.seal(reply)
        self._send(status, content_type, payload)

    def _send(self, status: int, content_type: str, payload: bytes, challenges: list[str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for challenge in challenges or ():
            self.send_header("WWW-Authenticate", challenge)
        self.end_headers()
        self.wfile.write(payload)
