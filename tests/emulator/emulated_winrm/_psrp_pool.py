"""One runspace pool of the emulated host and its pipelines, on psrpcore's server side.

Contract::

    pool = RunspacePool(shell_id, fragment_size, runner)      # runner(commands, inputs) -> _psrp_script.Outcome
    pool.open(fragments)                                      # creationXml; the pool is then Opened
    pool.create_pipeline(command_id, fragments)               # a Command: the pipeline, then its first fragment
    pool.feed(fragments, command_id_or_None)                  # a Send, stdin or pr: more fragments
    payloads, done = pool.receive(command_id_or_None, budget, wait)
    pool.signal(command_id)                                   # stop the pipeline if it runs, then forget it
    pool.started()                                            # the done events of the pipelines it started

Every method raises :class:`_soap.SoapError` for what the pool cannot accept (an unknown pipeline, a malformed
fragment, a PSRP message the emulator does not serve) and ``w:TimedOut`` (:func:`_soap.timed_out`) when a Receive
finds nothing within ``wait`` seconds.

psrpcore (``ServerRunspacePool``, ``ServerPipeline``) reads the client's fragments into events and writes the
server's messages: SESSION_CAPABILITY, APPLICATION_PRIVATE_DATA and RUNSPACEPOOL_STATE (Opened) in answer to the
opening messages; PIPELINE_STATE, PIPELINE_OUTPUT, ERROR_RECORD and PIPELINE_HOST_CALL for a pipeline. Its send buffer
is one queue for every target; the pool empties it into one outbox per target (the pool, or each pipeline) as soon as
anything is written, in fragments of at most ``fragment_size`` bytes, so that a Receive for one target never waits
behind another's messages. A pipeline starts once its CREATE_PIPELINE is complete and, unless it takes no input, its
END_OF_PIPELINE_INPUT has come; it runs in a thread of its own (``runner``), so a Receive waits for it a bounded time.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from psrpcore import (
    CreatePipelineEvent,
    EndOfPipelineInputEvent,
    InitRunspacePoolEvent,
    PipelineInputEvent,
    PSRPPayload,
    ServerPipeline,
    ServerRunspacePool,
    SessionCapabilityEvent,
    StreamType,
)
from psrpcore.types import (
    ErrorCategory,
    ErrorCategoryInfo,
    ErrorRecord,
    HostMethodIdentifier,
    NETException,
    PipelineState,
    PSInvocationState,
    PSVersion,
    RunspacePoolState,
)

from ._psrp_script import Outcome
from ._shells import _unknown
from ._soap import SoapError, timed_out

Runner = Callable[[Sequence[Any], list], Outcome]
# What the pool tells the client about its PowerShell (APPLICATION_PRIVATE_DATA): Windows PowerShell 5.1.
PS_VERSION_TABLE = {"PSVersion": PSVersion("5.1.17763.1"), "PSEdition": "Desktop"}
# The messages a client may send that the emulator serves; anything else is refused.
_SERVED = (SessionCapabilityEvent, InitRunspacePoolEvent, CreatePipelineEvent, PipelineInputEvent, EndOfPipelineInputEvent)
# The FullyQualifiedErrorId of a pipeline the emulated host refuses or a batch script's terminating error (emulator's).
REFUSED_ID = "EmulatedHost.ScriptRejected"


@dataclass
class _Pipeline:
    core: ServerPipeline
    inputs: list = field(default_factory=list)
    input_ended: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class RunspacePool:
    """One runspace pool (one PSRP shell); safe for concurrent requests (one lock, a condition Receives wait on)."""

    def __init__(self, shell_id: str, fragment_size: int, runner: Runner) -> None:
        self.shell_id = shell_id
        self._fragment_size = fragment_size
        self._runner = runner
        self._core = ServerRunspacePool(application_private_data={"PSVersionTable": dict(PS_VERSION_TABLE)})
        self._changed = threading.Condition()
        self._outbox: dict[str | None, deque[bytes]] = {}
        self._pipelines: dict[str, _Pipeline] = {}
        self._started: list[threading.Event] = []

    def open(self, fragments: bytes) -> None:
        """Read the opening messages (SESSION_CAPABILITY, INIT_RUNSPACEPOOL); the pool must then be Opened."""
        with self._changed:
            self._feed(fragments)
            if self._core.state != RunspacePoolState.Opened:
                raise SoapError(f"creationXml left the runspace pool {self._core.state.name}, not Opened: it must carry "
                                "SESSION_CAPABILITY and INIT_RUNSPACEPOOL.")

    def create_pipeline(self, command_id: str, fragments: bytes) -> None:
        """A Command: make the pipeline ``command_id`` (a GUID, the pipeline id), then read its first fragment."""
        try:
            pipeline_id = uuid.UUID(command_id)
        except ValueError:
            raise SoapError(f"The CommandId {command_id!r} of a PowerShell pipeline is not a GUID.") from None
        with self._changed:
            if command_id in self._pipelines:
                raise SoapError(f"The pipeline {command_id} exists already in this runspace pool.")
            pipeline = self._pipelines[command_id] = _Pipeline(ServerPipeline(self._core, pipeline_id))
            try:
                self._feed(fragments)
            except SoapError:
                if pipeline.core.state == PSInvocationState.NotStarted:  # refused before it ran: no such pipeline
                    pipeline.core.close()
                    del self._pipelines[command_id]
                raise

    def feed(self, fragments: bytes, command_id: str | None = None) -> None:
        """A Send: more fragments for the pool or, when the Send names it, one of its pipelines (which must exist)."""
        with self._changed:
            if command_id is not None:
                self._pipeline(command_id)
            self._feed(fragments)

    def script_of(self, command_id: str) -> str | None:
        """The script text of the pipeline's first command, once its CREATE_PIPELINE has been read."""
        with self._changed:
            pipeline = self._pipelines.get(command_id)
            metadata = pipeline.core.metadata if pipeline else None
            return metadata.commands[0].command_text if metadata is not None and metadata.commands else None

    def receive(self, command_id: str | None, budget: int, wait: float) -> tuple[list[bytes], bool]:
        """``(payloads, done)``: the fragments waiting for the pool (``command_id`` None) or a pipeline, at least one
        and as many more as fit in ``budget`` bytes, waiting up to ``wait`` seconds for the first; ``done`` once a
        pipeline's final state has gone out."""
        with self._changed:
            pipeline = self._pipeline(command_id) if command_id else None

            def ready() -> bool:
                return bool(self._outbox.get(command_id)) or (pipeline is not None and self._finished(pipeline))

            if not self._changed.wait_for(ready, wait):
                raise timed_out()
            queue = self._outbox.get(command_id) or deque()
            payloads, size = [], 0
            while queue and (not payloads or size + len(queue[0]) <= budget):
                size += len(queue[0])
                payloads.append(queue.popleft())
            return payloads, pipeline is not None and self._finished(pipeline) and not queue

    def signal(self, command_id: str) -> None:
        """Stop the pipeline if it still runs (its messages are dropped: the client stops listening), then forget it.
        Its thread, if any, finishes on its own; what it then reports is discarded."""
        with self._changed:
            pipeline = self._pipeline(command_id)
            if pipeline.core.state == PSInvocationState.Running:
                pipeline.core.stop()
                self._flush()
            if pipeline.core.state != PSInvocationState.Running:
                pipeline.core.close()
            del self._pipelines[command_id]
            self._outbox.pop(command_id, None)

    def started(self) -> list[threading.Event]:
        """The done events of every pipeline this pool started (a stopping host waits for them)."""
        with self._changed:
            return list(self._started)

    # -- with the lock held ----------------------------------------------------------------------------------

    def _pipeline(self, command_id: str) -> _Pipeline:
        pipeline = self._pipelines.get(command_id)
        if pipeline is None:
            raise _unknown("command", command_id)
        return pipeline

    @staticmethod
    def _finished(pipeline: _Pipeline) -> bool:
        return pipeline.core.state not in (PSInvocationState.NotStarted, PSInvocationState.Running)

    def _feed(self, fragments: bytes) -> None:
        self._core.receive_data(PSRPPayload(fragments, StreamType.default, None))
        while True:
            try:
                event = self._core.next_event()
            except Exception as exc:  # pylint: disable=broad-except  # psrpcore reads and acts in one call: any failure is the client's data
                raise SoapError(f"The emulated host cannot read or act on the PSRP data: {type(exc).__name__}: {exc}") from None
            if event is None:
                break
            self._handle(event)
        self._flush()

    def _handle(self, event: Any) -> None:
        if not isinstance(event, _SERVED):
            raise SoapError(f"The emulated host does not serve the PSRP message {event.message_type.name}.")
        if isinstance(event, (SessionCapabilityEvent, InitRunspacePoolEvent)):
            return  # psrpcore has answered (capability, private data, state)
        key = str(event.pipeline_id).upper()
        pipeline = self._pipelines.get(key)
        if pipeline is None or pipeline.core.state != PSInvocationState.NotStarted or pipeline.input_ended:
            raise SoapError(f"The PSRP message {event.message_type.name} is for pipeline {key}, which does not wait for it.")
        if isinstance(event, PipelineInputEvent):
            pipeline.inputs.append(event.data)
            return
        if isinstance(event, EndOfPipelineInputEvent):
            pipeline.input_ended = True
        if pipeline.core.metadata is not None and (pipeline.input_ended or pipeline.core.metadata.no_input):
            self._start(pipeline)

    def _start(self, pipeline: _Pipeline) -> None:
        pipeline.core.start()
        self._started = [done for done in self._started if not done.is_set()] + [pipeline.done]
        commands, inputs = list(pipeline.core.metadata.commands), list(pipeline.inputs)

        def work() -> None:
            try:
                outcome = self._runner(commands, inputs)
            except Exception as exc:  # pylint: disable=broad-except  # reported to the client, never dropped
                outcome = Outcome(failure=f"emulated host error: {type(exc).__name__}: {exc}")
            with self._changed:
                try:
                    if pipeline.core.state == PSInvocationState.Running:  # not stopped meanwhile
                        _report(pipeline.core, outcome)
                        self._flush()
                finally:
                    pipeline.done.set()
                    self._changed.notify_all()

        threading.Thread(target=work, name=f"psrp-{pipeline.core.pipeline_id}", daemon=True).start()

    def _flush(self) -> None:
        """Move psrpcore's queued messages into the outboxes, as fragments; wake the Receives."""
        while True:
            payload = self._core.data_to_send(self._fragment_size)
            if payload is None:
                break
            key = str(payload.pipeline_id).upper() if payload.pipeline_id else None
            if key is None or key in self._pipelines:
                self._outbox.setdefault(key, deque()).append(payload.data)
        self._changed.notify_all()


def _report(core: ServerPipeline, outcome: Outcome) -> None:
    """Write what the pipeline did: outputs, error records, SetShouldExit, then its final state."""
    for line in outcome.outputs:
        core.write_output(line)
    for error in outcome.errors:
        core.write_error(NETException(Message=error.message), ErrorCategoryInfo(Category=ErrorCategory.NotSpecified),
                         target_object=error.message, fully_qualified_error_id=error.error_id)
    if outcome.exit_code is not None:
        # `exit N` in a remote pipeline reaches the client only as the host call SetShouldExit(N).
        core.host_call(HostMethodIdentifier.SetShouldExit, [outcome.exit_code])
    if outcome.stopped:
        core.stop()
    elif outcome.failure is not None:
        # a terminating error fails the pipeline; its error record travels in PIPELINE_STATE.
        record = ErrorRecord(Exception=NETException(Message=outcome.failure),
                             CategoryInfo=ErrorCategoryInfo(Category=ErrorCategory.NotSpecified, Reason="ScriptRejected"),
                             FullyQualifiedErrorId=REFUSED_ID)
        core.prepare_message(PipelineState(PipelineState=int(PSInvocationState.Failed), ExceptionAsErrorRecord=record))
        core.state = PSInvocationState.Failed
    else:
        core.complete()
