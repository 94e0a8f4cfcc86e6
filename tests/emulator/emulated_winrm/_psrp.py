"""The PowerShell resource of the emulated host: PSRP runspace pools over WinRS, for ansible-core's ``psrp`` connection.

Contract::

    endpoint = PowerShellEndpoint(runner, receive_wait, record)   # runner(commands, inputs) -> _psrp_script.Outcome
    endpoint.serve(request, address) -> reply body                # a request whose w:ResourceURI is_powershell()
    endpoint.open_pools() -> int
    endpoint.drain(timeout) -> bool

``serve`` answers Create (a runspace pool opens: ``creationXml``), Command (a pipeline: its CommandId and first
fragment), Send (more fragments, ``stdin`` or ``pr``), Receive (the pool's or a pipeline's fragments, waiting at
most ``receive_wait`` seconds or the request's OperationTimeout, then ``w:TimedOut``), Signal (stop and forget a
pipeline) and Delete (the pool closes) of ``http://schemas.microsoft.com/powershell/Microsoft.PowerShell``; it raises
:class:`_soap.SoapError` for anything else, another session configuration included. ``record`` receives one line per
pipeline (its script's first line when the Command carried all of CREATE_PIPELINE), as the WinRS shell records its
command lines. The pools and pipelines themselves: ``_psrp_pool``; what a pipeline runs: ``_psrp_script``; the
bodies: ``_psrp_wire``.

The shell id is the one the client proposes in ``rsp:Shell/@ShellId`` (pypsrp proposes its runspace pool id; MS-PSRP
3.1.5.3.1), or a new GUID when it proposes none. Server fragments are cut to fit the envelope size the client
announced with Create (``w:MaxEnvelopeSize``) and each Receive reply carries as many as fit in the size announced with
that Receive (A-186).
"""

from __future__ import annotations

import threading
import uuid
from typing import Callable

from . import _psrp_wire as wire
from ._psrp_pool import Runner, RunspacePool
from ._shells import _unknown
from ._soap import Request, SoapError

# The session configuration ansible-core's psrp connection opens by default (its option configuration_name).
CONFIGURATION = "Microsoft.PowerShell"
# pypsrp's first MaxEnvelopeSize, before a protocol version >= 2.2 raises it to 512000 (pypsrp/powershell.py).
DEFAULT_ENVELOPE = 153600
# MS-PSRP 3.1.5.4.5 / MS-WSMV 2.2.4.38: the codes that stop a pipeline (pypsrp: stop() and close()).
_TERMINATE_SIGNALS = ("powershell/signal/ctrl_c", "wsman/1/windows/shell/signal/terminate")


class PowerShellEndpoint:
    """Every runspace pool of one emulated host; safe for concurrent requests."""

    def __init__(self, runner: Runner, receive_wait: float, record: Callable[[str], None]) -> None:
        self._runner = runner
        self._receive_wait = receive_wait
        self._record = record
        self._pools: dict[str, RunspacePool] = {}
        self._lock = threading.Lock()
        self._closed: list[RunspacePool] = []  # deleted pools whose pipelines may still run

    def serve(self, request: Request, address: str) -> str:
        """The reply body of one request of the PowerShell resource; see the module docstring."""
        configuration = wire.configuration_of(request.resource_uri or "")
        if configuration.lower() != CONFIGURATION.lower():
            raise SoapError(f"The emulated host serves the PowerShell session configuration {CONFIGURATION} only, not {configuration!r}.")
        action = request.action
        if action == "Create":
            return wire.created(self._create(request), request.resource_uri or "", address)
        if action == "Delete":
            with self._lock:
                pool = self._pools.pop((request.shell_id or "").upper(), None)
                if pool is None:
                    raise _unknown("shell", str(request.shell_id))
                self._closed = [closed for closed in self._closed if not all(done.is_set() for done in closed.started())] + [pool]
            return ""
        pool = self._pool(request.shell_id)
        if action == "Command":
            command_id, fragments = wire.command_fragments(request.body)
            pool.create_pipeline(command_id, fragments)
            script = pool.script_of(command_id)
            self._record(f"[psrp] {script.splitlines()[0] if script else f'pipeline {command_id}, CREATE_PIPELINE continued by Send'}")
            return f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>"
        if action == "Send":
            dummy_stream, command_id, fragments = wire.send_stream(request.body)
            pool.feed(fragments, command_id)
            return "<rsp:SendResponse/>"
        if action == "Receive":
            command_id = wire.receive_target(request.body)
            wait = self._receive_wait if request.operation_timeout is None else min(self._receive_wait, request.operation_timeout)
            payloads, done = pool.receive(command_id, wire.payload_budget(request.max_envelope_size, DEFAULT_ENVELOPE), wait)
            return wire.receive_response(command_id, payloads, done)
        if action == "Signal":
            command_id, code = wire.signal_of(request.body)
            if not code.lower().endswith(_TERMINATE_SIGNALS):
                raise SoapError(f"The emulated host does not implement the signal {code!r} for a PowerShell pipeline.")
            pool.signal(command_id)
            return "<rsp:SignalResponse/>"
        raise SoapError(f"The emulated host does not implement the action {action} of the PowerShell resource.", subcode="w:ActionNotSupported")

    def open_pools(self) -> int:
        """Runspace pools opened and not yet deleted."""
        with self._lock:
            return len(self._pools)

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every pipeline started so far to end; True when all ended."""
        with self._lock:
            pools = list(self._pools.values()) + self._closed
        return all(done.wait(timeout) for pool in pools for done in pool.started())

    def _create(self, request: Request) -> str:
        proposed, fragments = wire.creation(request.body)
        shell_id = str(uuid.uuid4()).upper()
        if proposed:
            try:
                shell_id = str(uuid.UUID(proposed)).upper()
            except ValueError:
                raise SoapError(f"The ShellId {proposed!r} the client proposes is not a GUID.") from None
        pool = RunspacePool(shell_id, wire.payload_budget(request.max_envelope_size, DEFAULT_ENVELOPE), self._runner)
        pool.open(fragments)
        with self._lock:
            if shell_id in self._pools:
                raise SoapError(f"A runspace pool with the ShellId {shell_id} is open already.")
            self._pools[shell_id] = pool
        return shell_id

    def _pool(self, shell_id: str | None) -> RunspacePool:
        with self._lock:
            pool = self._pools.get((shell_id or "").upper())
        if pool is None:
            raise _unknown("shell", str(shell_id))
        return pool
