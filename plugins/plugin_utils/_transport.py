# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The only code that talks to the host: one batch of netsh commands per round trip.

The action plugin hands a :class:`NetshRunner` one callable, ``execute(command_line, stdin_bytes) ->
(rc, stdout, stderr)``, wrapping ``ActionBase._low_level_execute_command(cmd, in_data=...,
sudoable=False)``. The runner sends the frozen bootstrap of :mod:`._bootstrap` as
``PowerShell ... -EncodedCommand <b64>`` and the batch on stdin, then reads the per-command results
back from after the result marker. Wire format and reasoning: ``reference/execution.md`` §0, §1.2–1.5,
§2.2 and §6.

Nothing here imports Ansible; tests hand in a plain function instead of a connection.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._bootstrap import BATCH_SCRIPT, RESULT_MARKER, STUB_SCRIPT
from ._codepage import codec_name
from ._errors import LockdownError
from ._quote import join_c
from ._trace import answer_trace
from ._registry_payload import snapshot_from_payload
from ._registry import RegistrySnapshot

# ansible-core 2.19 and 2.20 winrm leave a command alone only when it starts with exactly this text
# (case-sensitive); 2.21 looks for " -EncodedCommand "; psrp and ssh accept it as it is
# (execution.md §1.2, §1.4, §1.5, §6 item 3). It is also what ansible.windows' _reboot.py builds.
POWERSHELL_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "

# netsh reports an IPsec error as a stdout line "ERR IPsec[NNNNN] : ..." whatever its exit code
# (docs/netsh-output-format.md §8, A-21). The bootstrap stops a stop_on_error batch on the same test:
# the text anywhere in stdout.
IPSEC_ERROR = "ERR IPsec["

# How many characters of stdout a TransportError quotes when the result marker is missing.
STDOUT_HEAD = 2000


class TransportError(LockdownError):
    """The host's answer to a batch could not be read: no result marker, bad payload, or broken protocol.

    It means the batch may or may not have run; it never means that a netsh command failed (that is
    a :class:`CommandResult` with ``failed`` set, or a :class:`BatchFailed`).
    """


class FilesUnreadable(LockdownError):
    """A batch's file preconditions failed on the host, so none of its commands ran.

    Attributes:
        failures: ``(path, message)`` for every file the host could not open for reading, in the
            order they were requested; the message is the host's own words.
    """

    def __init__(self, failures: Sequence[tuple[str, str]]) -> None:
        self.failures = tuple(failures)
        described = "; ".join(f"{path!r}: {message or 'cannot be opened'}" for path, message in self.failures)
        super().__init__(f"the host cannot read {described}; nothing was run")


class BatchFailed(LockdownError):
    """A write batch stopped at a failing netsh command.

    Attributes:
        succeeded: results of the commands that ran and succeeded, in order.
        failed: result of the command that failed (its rc, stdout and stderr as netsh gave them).
        not_run: argv of each requested command that was never started, in order.
    """

    def __init__(
        self,
        succeeded: tuple[CommandResult, ...],
        failed: CommandResult,
        not_run: tuple[tuple[str, ...], ...],
    ) -> None:
        self.succeeded = succeeded
        self.failed = failed
        self.not_run = not_run
        super().__init__(self._message())

    def _message(self) -> str:
        position = len(self.succeeded) + 1
        total = len(self.succeeded) + 1 + len(self.not_run)
        lines = [
            f"netsh command {position} of {total} failed with exit code {self.failed.rc}: "
            f"{_display(self.failed.argv)}",
            "netsh stdout:" + _indented(self.failed.stdout),
            "netsh stderr:" + _indented(self.failed.stderr),
            f"succeeded before it ({len(self.succeeded)}):" + _listed(r.argv for r in self.succeeded),
            f"not run ({len(self.not_run)}):" + _listed(self.not_run),
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class CommandResult:
    """What one netsh process left behind.

    ``argv`` is the argument list as requested (without ``netsh`` itself); ``stdout`` is already
    decoded with the host's code page and keeps netsh's CRLF line ends; ``stderr`` is the text .NET
    decoded on the host.
    """

    argv: tuple[str, ...]
    rc: int
    stdout: str
    stderr: str

    @property
    def failed(self) -> bool:
        """True when netsh exited non-zero or printed a line starting ``ERR IPsec[``.

        Only a line *starting* with the prefix counts, so a description that merely contains the text
        is not an error. (The bootstrap's stop-on-error test looks anywhere in the output; it applies to
        write batches only, whose successful commands print nothing, A-22.)
        """
        return self.rc != 0 or any(line.lstrip().startswith(IPSEC_ERROR) for line in self.stdout.splitlines())


@dataclass(frozen=True)
class Arm:
    """A rollback to arm on the host before a batch's commands (see :mod:`._bootstrap`): a one-time scheduled
    task ``task`` that, ``seconds`` from now, runs ``commands`` (netsh argument lists) if ``file`` exists."""

    task: str
    seconds: int
    file: str
    commands: tuple[tuple[str, ...], ...]

    def document(self) -> dict:
        return {"task": self.task, "seconds": self.seconds, "file": self.file, "commands": [join_c(argv) for argv in self.commands]}


@dataclass(frozen=True)
class Disarm:
    """A rollback to disarm: the scheduled task ``task`` is unregistered if it is still there, and ``file`` deleted."""

    task: str
    file: str

    def document(self) -> dict:
        return {"task": self.task, "file": self.file}


@dataclass(frozen=True)
class Armed:
    """The host's answer to an :class:`Arm`: ``at``, the trigger time (UTC, as the host wrote it), or ``error``,
    PowerShell's words for why the task could not be registered (then no command of the batch ran)."""

    task: str
    at: str = ""
    error: str = ""


@dataclass(frozen=True)
class Disarmed:
    """The host's answer to a :class:`Disarm`: whether the task was still registered (and is now removed), and
    PowerShell's words when unregistering or deleting the file failed."""

    task: str
    found: bool
    error: str = ""


@dataclass(frozen=True)
class BatchRequest:
    """One batch: netsh argument lists to run in order, and whether to stop at the first failure.

    Each command is netsh's arguments only, e.g. ``("ipsec", "static", "show", "policy", "all")``.
    Any sequences are accepted and stored as tuples. ``files`` are paths on the host that must open
    for reading before any command runs (see :mod:`._bootstrap`); when one does not, none runs.
    ``read_back`` are paths on the host whose bytes come back, read after the commands. With
    ``registry`` the host also sends the store's registry keys, read after the commands.

    Raises:
        TypeError: a command is a plain string or holds a non-string; a file is not a string.
        ValueError: an argument or a file holds NUL or a lone surrogate (neither can reach the host).
    """

    commands: tuple[tuple[str, ...], ...]
    stop_on_error: bool = field(kw_only=True)
    files: tuple[str, ...] = field(default=(), kw_only=True)
    read_back: tuple[str, ...] = field(default=(), kw_only=True)
    registry: bool = field(default=False, kw_only=True)
    arm: Arm | None = field(default=None, kw_only=True)
    disarm: Disarm | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        commands = tuple(_argv(command) for command in self.commands)
        object.__setattr__(self, "commands", commands)
        object.__setattr__(self, "stop_on_error", bool(self.stop_on_error))
        object.__setattr__(self, "files", _argv(self.files))
        object.__setattr__(self, "read_back", _argv(self.read_back))
        object.__setattr__(self, "registry", bool(self.registry))
        if self.arm is not None:
            object.__setattr__(self, "arm", Arm(self.arm.task, self.arm.seconds, self.arm.file, tuple(_argv(argv) for argv in self.arm.commands)))

    @property
    def empty(self) -> bool:
        """Nothing to ask the host: no command, no file, no registry read."""
        return not (self.commands or self.files or self.read_back or self.registry or self.arm or self.disarm)

    def command_line(self) -> str:
        """The command to execute on the host: the stub as ``PowerShell ... -EncodedCommand``."""
        return encoded_powershell(STUB_SCRIPT)

    def document(self) -> dict:
        """The request as the batch script reads it (JSON), commands quoted with ``join_c``."""
        document = {
            "stop_on_error": self.stop_on_error,
            "files": list(self.files),
            "commands": [join_c(argv) for argv in self.commands],
            "registry": self.registry,
        }
        if self.read_back:  # absent is null on the host, which reads nothing back
            document["read_back"] = list(self.read_back)
        if self.disarm is not None:  # absent is null: nothing to disarm
            document["disarm"] = self.disarm.document()
        if self.arm is not None:  # absent is null: nothing to arm
            document["arm"] = self.arm.document()
        return document

    def stdin(self) -> str:
        """Two lines, each ending in CRLF: base64 of the UTF-8 batch script, then base64 of the UTF-8
        JSON request. Pure ASCII."""
        text = json.dumps(self.document(), ensure_ascii=False, separators=(",", ":"))
        lines = (BATCH_SCRIPT, text)
        return "".join(base64.b64encode(line.encode("utf-8")).decode("ascii") + "\r\n" for line in lines)


@dataclass(frozen=True)
class ReadBack:
    """One file of a request's ``read_back``: its bytes, or PowerShell's words for why it could not be read."""

    path: str
    data: bytes | None
    error: str = ""


@dataclass(frozen=True)
class BatchAnswer:
    """What the host answered to one batch: one result per command that ran, the files read back (one
    per path of the request's ``read_back``, in its order, unless nothing ran), and the registry keys
    when they were asked for (``registry_payload``, as sent; ``None`` otherwise); ``codepage`` is the
    host's OEM code page."""

    results: tuple[CommandResult, ...]
    registry_payload: Any
    codepage: int
    document: dict = field(default_factory=dict, compare=False, repr=False)
    """The answer's JSON as it came, for tracing (``_trace``); it may hold secrets."""
    read_back: tuple[ReadBack, ...] = ()
    armed: Armed | None = None
    """The answer to the request's ``arm``; ``None`` when it had none."""
    disarmed: Disarmed | None = None
    """The answer to the request's ``disarm``; ``None`` when it had none."""

    def registry_snapshot(self, *, local: bool = True) -> RegistrySnapshot:
        """The registry keys of the answer (an empty snapshot when none were sent). Read by the caller,
        inside its own error handling, so that a payload it cannot read is traced like one it cannot
        decode. Without ``local`` only the Group Policy key is read; the store's keys are ignored.

        Raises:
            TransportError: the payload is not of the documented shape (``_registry_payload``).
        """
        if self.registry_payload is None:
            return RegistrySnapshot(local=None)
        try:
            return snapshot_from_payload(self.registry_payload, local=local)
        except ValueError as exc:
            raise TransportError(f"the registry keys in the answer cannot be read: {exc}") from None


class NetshRunner:
    """Runs batches of netsh commands on one host, one ``execute`` call per batch.

    ``execute(command_line, stdin)`` must run ``command_line`` on the host with ``stdin`` (bytes) as
    its standard input and return ``(rc, stdout, stderr)`` as text; whatever it raises passes through
    unchanged. ``read_from`` says how the engine reads the store through this runner: ``"registry"``
    (the store's registry keys, decoded on the controller) or ``"netsh"`` (``show`` text); the module
    option ``read_from`` sets it. ``log`` receives what a user reporting a host that disagrees with us
    would need (the request with pre-shared keys hidden, how the answer came back; ``_read`` adds the
    answer's content); the action shim shows it at ``-vvvv``. ``round_trips`` counts the calls made so far. For write batches (``stop_on_error``):
    ``write_pending`` is true while one has been handed to ``execute`` and its answer not yet read,
    ``wrote`` once one came back having run at least one command, and ``last_write`` holds the
    commands of the latest (``last_arm`` its rollback, if it armed one). ``reconnect()``, when given, drops the
    connection the calls went over and opens a new one (the connection plugin's ``reset()``); see
    :meth:`reconnect`.
    """

    def __init__(
        self, execute: Callable[[str, bytes], tuple[int, str, str]], *, read_from: str = "netsh", log: Callable[[str], None] | None = None,
        reconnect: Callable[[], None] | None = None,
    ) -> None:
        self._execute = execute
        self._reconnect = reconnect
        self.reconnections = 0
        self.last_arm: Arm | None = None
        self.last_write_sent = 0.0
        """When the latest write batch was handed to ``execute`` (``time.time()``, the controller's clock)."""
        self.read_from = read_from
        self.log = log or (lambda message: None)
        self.tracing = log is not None
        """Whether anyone listens to :attr:`log`: traces are built only then (a 10,000-filter store's
        trace costs about 0.1 s)."""
        self.round_trips = 0
        self.write_pending = False
        self.wrote = False
        self.last_write: tuple[tuple[str, ...], ...] = ()

    def run_batch(
        self, commands: Sequence[Sequence[str]], *, stop_on_error: bool, files: Sequence[str] = ()
    ) -> tuple[CommandResult, ...]:
        """Run ``commands`` (netsh argument lists) in order in one round trip; return their results.

        An empty batch returns ``()`` without calling the host. With ``stop_on_error`` the host stops
        after the first failing command, so fewer results than commands come back; pass them to
        :func:`raise_for_failure` to turn that into a :class:`BatchFailed`. Without it every command
        runs and failures are only visible in the results. ``files`` must all open for reading on the
        host before the first command runs.

        A batch with ``stop_on_error`` is a write: from the moment it is handed to ``execute`` until
        its answer has been read, :attr:`write_pending` is true, so whoever sees an exception in
        between knows that the write may have been applied in part.

        Raises:
            FilesUnreadable: a file of ``files`` could not be opened; no command ran.
            TransportError: the answer could not be read (see :func:`parse_batch_output`).
            TypeError, ValueError: a command cannot be sent (see :class:`BatchRequest`); no call is made.
        """
        if not commands:
            return ()
        return self.run(BatchRequest(tuple(commands), stop_on_error=stop_on_error, files=tuple(files))).results

    def run(self, request: BatchRequest) -> BatchAnswer:
        """Send ``request`` in one round trip and return the host's answer (see :meth:`run_batch`).

        An empty request returns an empty answer without calling the host.

        Raises:
            FilesUnreadable, TransportError: as :meth:`run_batch`.
        """
        if request.empty:
            return BatchAnswer((), None, 0)
        command_line, stdin = request.command_line(), request.stdin().encode("ascii")
        self.round_trips += 1
        if self.tracing:
            self.log(f"round trip {self.round_trips}: request {json.dumps(_redacted(request), ensure_ascii=False)}")
        if request.stop_on_error:
            self.write_pending, self.last_write, self.last_arm = True, request.commands, request.arm
            self.last_write_sent = time.time()
        rc, stdout, stderr = self._execute(command_line, stdin)
        self.log(f"round trip {self.round_trips}: answer with exit code {rc}, {len(stdout)} characters of stdout, "
                 f"{len(stderr)} of stderr" + ("" if RESULT_MARKER in stdout else f"; stdout: {stdout[:STDOUT_HEAD]!r}; stderr: {stderr[:STDOUT_HEAD]!r}"))
        try:
            answer = parse_answer(request, rc, stdout, stderr)
        except FilesUnreadable:
            self.write_pending = False  # nothing ran
            raise
        if request.stop_on_error:
            self.write_pending = False
            self.wrote = self.wrote or bool(answer.results)
        if self.tracing and not request.registry:  # a read logs its answer itself, once it knows the keys to hide (_read)
            self.log(f"round trip {self.round_trips}: what the host sent (pre-shared keys hidden): "
                     f"{answer_trace(answer.document, _secrets(request))}")
        return answer

    def reconnect(self) -> None:
        """Make the next call go over a new connection to the host, never the one the earlier calls used
        (which may survive a block that new connections hit). What the connection raises passes through:
        a host that cannot be reached any more raises here or at the next call.

        Raises:
            LockdownError: this runner was given no way to reconnect.
        """
        if self._reconnect is None:
            raise LockdownError("this connection offers no way to open a new connection to the host")
        self.reconnections += 1
        self.log(f"opening new connection {self.reconnections} to the host")
        self._reconnect()


def encoded_powershell(script: str) -> str:
    """``PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <b64>``.

    ``<b64>`` is base64 of the script's UTF-16-LE bytes. The script is encoded as given (no line
    stripping), so the text pinned by the tests is the text the host runs.
    """
    return POWERSHELL_PREFIX + base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def parse_batch_output(request: BatchRequest, rc: int, stdout: str, stderr: str) -> tuple[CommandResult, ...]:
    """The results of :func:`parse_answer`, for callers that asked for no registry read."""
    return parse_answer(request, rc, stdout, stderr).results


def parse_answer(request: BatchRequest, rc: int, stdout: str, stderr: str) -> BatchAnswer:
    """Read the bootstrap's answer to ``request`` into one :class:`CommandResult` per command run.

    Anything may come before the last result marker (profile banners, warnings); the first
    whitespace-separated token after it is the payload. Once the marker is found ``rc`` and ``stderr``
    are ignored: the bootstrap prints the marker as its last act before ``exit 0``.

    Raises:
        FilesUnreadable: the host could not open one of the request's ``files``, so nothing ran.
        TransportError: the marker is missing (the message quotes ``rc``, ``stderr`` and the first
            2,000 characters of ``stdout``); the payload is not base64 of UTF-8 JSON of the expected
            shape; the code page has no Python codec; a stdout does not decode with it; more results
            than commands came back; or fewer, although the batch should not have stopped.
    """
    at = stdout.rfind(RESULT_MARKER)
    if at < 0:
        raise TransportError(_missing_marker_message(rc, stdout, stderr))
    token = stdout[at + len(RESULT_MARKER):].split(None, 1)
    if not token:
        raise TransportError("the result marker of the netsh batch is not followed by a payload")
    try:
        document = json.loads(base64.b64decode(token[0], validate=True).decode("utf-8"))
    except ValueError as exc:  # binascii.Error, UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise TransportError(f"the result payload of the netsh batch is not base64 of UTF-8 JSON: {exc}") from exc
    if not isinstance(document, dict) or not {"codepage", "results", "files", "registry"} <= set(document):
        raise TransportError(f"the result of the netsh batch lacks 'codepage', 'results', 'files' or 'registry': {_clip(document)}")
    unreadable = _file_failures(document["files"], request.files)
    if unreadable:
        raise FilesUnreadable(unreadable)
    codec = codec_of(document["codepage"])
    raw_results = document["results"]
    # Windows PowerShell 5.1's ConvertTo-Json writes a one-element array as the bare element
    # (execution.md §2.2 and §3.3); accept a lone result object as a list of one.
    if isinstance(raw_results, dict):
        raw_results = [raw_results]
    if not isinstance(raw_results, list):
        raise TransportError(f"'results' of the netsh batch is not a list: {_clip(raw_results)}")
    if len(raw_results) > len(request.commands):
        raise TransportError(
            f"the netsh batch returned {len(raw_results)} results for {len(request.commands)} commands"
        )
    results = tuple(
        _command_result(argv, raw, codec) for argv, raw in zip(request.commands, raw_results)
    )
    armed, disarmed = _armed(document.get("armed"), request.arm), _disarmed(document.get("disarmed"), request.disarm)
    if armed is not None and armed.error and results:
        raise TransportError(f"the netsh batch ran commands although arming its rollback failed: {_clip(document.get('armed'))}")
    stopped = (request.stop_on_error and results and results[-1].failed) or (armed is not None and armed.error)
    if len(results) < len(request.commands) and not stopped:
        raise TransportError(
            f"the netsh batch returned {len(results)} results for {len(request.commands)} commands "
            "although it had no reason to stop early"
        )
    if not request.registry and document["registry"] is not None:
        raise TransportError("the netsh batch sent registry keys it was not asked for")
    if request.registry and document["registry"] is None:
        raise TransportError("the netsh batch sent no registry keys although they were asked for")
    # The script always answers 'read_back' (an empty list when nothing was asked); an answer to a request
    # without one may leave it out, but never sends a file nobody asked for.
    wanted = () if armed is not None and armed.error else request.read_back  # arming failed: nothing was read back
    read_back = _read_back(document.get("read_back", [] if not wanted else None), wanted)
    return BatchAnswer(results, document["registry"] if request.registry else None, document["codepage"], document, read_back, armed, disarmed)


def raise_for_failure(results: Sequence[CommandResult], *, requested: Sequence[Sequence[str]]) -> None:
    """Raise :class:`BatchFailed` if a write batch (run with ``stop_on_error``) stopped at a failure.

    ``requested`` is the batch as it was asked for; ``results`` what :meth:`NetshRunner.run_batch`
    returned for it. Returns ``None`` when every requested command ran and succeeded.

    Raises:
        BatchFailed: a command failed; it carries the commands that succeeded, the failed result and
            the argv of the commands not run.
        ValueError: ``results`` do not belong to ``requested`` or continue past a failure (not a
            stop_on_error batch); a programming error, not a host error.
    """
    requested_argv = tuple(_argv(argv) for argv in requested)
    if len(results) > len(requested_argv) or any(
        result.argv != argv for result, argv in zip(results, requested_argv)
    ):
        raise ValueError("raise_for_failure() was given results that do not match the requested commands")
    for index, result in enumerate(results):
        if not result.failed:
            continue
        if index != len(results) - 1:
            raise ValueError("raise_for_failure() expects the results of a stop_on_error batch")
        raise BatchFailed(tuple(results[:index]), result, requested_argv[index + 1:])
    if len(results) != len(requested_argv):
        raise ValueError("raise_for_failure() was given fewer results than commands but no failure")


def _secrets(request: BatchRequest) -> tuple[str, ...]:
    """The pre-shared keys the request's commands carry (the values of their ``psk=`` arguments)."""
    return tuple(argument[len("psk="):] for argv in request.commands for argument in argv if argument.startswith("psk="))


def _redacted(request: BatchRequest) -> dict:
    """The request's document with every ``psk=`` argument's value hidden."""
    commands = [join_c(["psk=********" if argument.startswith("psk=") else argument for argument in argv]) for argv in request.commands]
    return dict(request.document(), commands=commands)


def _argv(command: Sequence[str]) -> tuple[str, ...]:
    if isinstance(command, str):
        raise TypeError(f"a netsh command must be a sequence of arguments, not a string: {command!r}")
    argv = tuple(command)
    for arg in argv:
        if not isinstance(arg, str):
            raise TypeError(f"netsh arguments must be strings, got {arg!r} in {argv!r}")
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"cannot send an argument holding a lone surrogate: {arg!r}") from None
    join_c(argv)  # raises ValueError, naming the argument, for NUL
    return argv


def _file_failures(raw: object, requested: tuple[str, ...]) -> list[tuple[str, str]]:
    """The ``files`` of the answer as ``(path, message)`` pairs; a lone object is a list of one (A-34)."""
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise TransportError(f"'files' of the netsh batch is not a list: {_clip(raw)}")
    failures = []
    for item in raw:
        path = item.get("path") if isinstance(item, dict) else None
        message = item.get("error") if isinstance(item, dict) else None
        if path not in requested or not isinstance(message, (str, type(None))):
            raise TransportError(f"the netsh batch reported a file it was not asked about: {_clip(item)}")
        failures.append((path, message or ""))
    return failures


def _read_back(raw: object, requested: tuple[str, ...]) -> tuple[ReadBack, ...]:
    """The ``read_back`` of the answer, one per requested path in order; a lone object is a list of one (A-34).

    Raises:
        TransportError: not a list; an item of another shape, for a path not requested or out of order;
            data that is not base64; fewer items than paths requested.
    """
    if isinstance(raw, dict):
        raw = [raw]
    if raw is None:
        raise TransportError("the result of the netsh batch lacks 'read_back' although files were to be read back")
    if not isinstance(raw, list):
        raise TransportError(f"'read_back' of the netsh batch is not a list: {_clip(raw)}")
    if len(raw) != len(requested):
        raise TransportError(f"the netsh batch read back {len(raw)} files, not the {len(requested)} asked for: {_clip(raw)}")
    files = []
    for path, item in zip(requested, raw):
        if not isinstance(item, dict) or item.get("path") != path or set(item) not in ({"path", "data"}, {"path", "error"}):
            raise TransportError(f"the netsh batch read back a file other than {path!r}: {_clip(item)}")
        if "error" in item:
            if not isinstance(item["error"], str):
                raise TransportError(f"the netsh batch's error for {path!r} is not text: {_clip(item)}")
            files.append(ReadBack(path, None, item["error"]))
            continue
        try:
            files.append(ReadBack(path, base64.b64decode(item["data"], validate=True)))
        except (TypeError, ValueError):
            raise TransportError(f"the netsh batch read back {path!r} as something other than base64: {_clip(item)}") from None
    return tuple(files)


def _armed(raw: object, arm: Arm | None) -> Armed | None:
    """The answer's ``armed`` for the request's ``arm``: ``{"task", "at"}`` or ``{"task", "error"}``.

    Raises:
        TransportError: an answer without ``arm``, none with it, or one of another shape or task.
    """
    if arm is None:
        if raw is not None:
            raise TransportError(f"the netsh batch armed a rollback it was not asked to: {_clip(raw)}")
        return None
    if not isinstance(raw, dict) or raw.get("task") != arm.task or set(raw) not in ({"task", "at"}, {"task", "error"}):
        raise TransportError(f"the netsh batch did not say whether it armed the rollback {arm.task!r}: {_clip(raw)}")
    value = raw.get("at", raw.get("error"))
    if not isinstance(value, str) or not value:
        raise TransportError(f"the netsh batch's answer to arming {arm.task!r} is not a time or an error: {_clip(raw)}")
    return Armed(arm.task, at=value) if "at" in raw else Armed(arm.task, error=value)


def _disarmed(raw: object, disarm: Disarm | None) -> Disarmed | None:
    """The answer's ``disarmed`` for the request's ``disarm``: ``{"task", "found"}``, plus ``"error"`` when it failed.

    Raises:
        TransportError: an answer without ``disarm``, none with it, or one of another shape or task.
    """
    if disarm is None:
        if raw is not None:
            raise TransportError(f"the netsh batch disarmed a rollback it was not asked to: {_clip(raw)}")
        return None
    if not isinstance(raw, dict) or raw.get("task") != disarm.task or not {"task", "found"} <= set(raw) <= {"task", "found", "error"}:
        raise TransportError(f"the netsh batch did not say whether it disarmed the rollback {disarm.task!r}: {_clip(raw)}")
    if not isinstance(raw["found"], bool) or not isinstance(raw.get("error", ""), str):
        raise TransportError(f"the netsh batch's answer to disarming {disarm.task!r} is not of the expected types: {_clip(raw)}")
    return Disarmed(disarm.task, raw["found"], raw.get("error", ""))


def codec_of(codepage: object) -> str:
    """The Python codec of the host's OEM code page ``codepage`` (the one netsh prints in).

    Raises:
        TransportError: ``codepage`` is not a number, or Python has no codec for it.
    """
    if isinstance(codepage, bool) or not isinstance(codepage, int):
        raise TransportError(f"the netsh batch reported a code page that is not a number: {codepage!r}")
    name = codec_name(codepage)
    if name is None:
        raise TransportError(
            f"the host's OEM code page {codepage} has no Python codec, so netsh's output cannot be decoded"
        )
    return name


def _command_result(argv: tuple[str, ...], raw: object, codec: str) -> CommandResult:
    if not isinstance(raw, dict):
        raise TransportError(f"a result of the netsh batch is not an object: {_clip(raw)}")
    rc, stdout_b64, stderr = raw.get("rc"), raw.get("stdout"), raw.get("stderr")
    # ConvertTo-Json writes a $null string as null; an empty stderr is no stderr.
    if stderr is None:
        stderr = ""
    well_typed = isinstance(rc, int) and not isinstance(rc, bool) and isinstance(stdout_b64, str)
    if not well_typed or not isinstance(stderr, str):
        raise TransportError(f"a result of the netsh batch does not have the expected fields: {_clip(raw)}")
    try:
        stdout_bytes = base64.b64decode(stdout_b64, validate=True)
    except binascii.Error as exc:
        raise TransportError(f"the stdout of {_display(argv)} is not valid base64: {exc}") from exc
    try:
        stdout = stdout_bytes.decode(codec)
    except UnicodeDecodeError as exc:
        raise TransportError(
            f"the stdout of {_display(argv)} does not decode with the host's code page ({codec}): {exc}"
        ) from exc
    return CommandResult(argv=argv, rc=rc, stdout=stdout, stderr=stderr)


def _missing_marker_message(rc: int, stdout: str, stderr: str) -> str:
    head = stdout[:STDOUT_HEAD]
    more = len(stdout) - len(head)
    lines = [
        f"the host did not answer the netsh batch (no {RESULT_MARKER} line; exit code {rc}). "
        "Is PowerShell available on the host? Is the connection a Windows host?",
        "stderr:" + _indented(stderr),
        f"stdout (first {STDOUT_HEAD} characters):" + _indented(head),
    ]
    if more:
        lines.append(f"... {more} more characters of stdout not shown")
    return "\n".join(lines)


def _display(argv: Sequence[str]) -> str:
    return "netsh " + join_c(argv)


def _indented(text: str) -> str:
    body = text.rstrip()
    if not body:
        return " (empty)"
    return "".join("\n    " + line for line in body.splitlines())


def _listed(argvs: Iterable[Sequence[str]]) -> str:
    items = ["\n    " + _display(argv) for argv in argvs]
    return "".join(items) if items else " (none)"


def _clip(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


__all__ = [
    "Arm",
    "Armed",
    "BatchFailed",
    "BatchAnswer",
    "BatchRequest",
    "CommandResult",
    "Disarm",
    "Disarmed",
    "FilesUnreadable",
    "NetshRunner",
    "POWERSHELL_PREFIX",
    "TransportError",
    "codec_of",
    "encoded_powershell",
    "parse_answer",
    "parse_batch_output",
    "raise_for_failure",
]
