"""What Windows PowerShell does with one PSRP pipeline of the emulated host: the scripts ansible-core's ``psrp``
connection sends, nothing else.

Contract::

    run_pipeline(commands, inputs, env, abort=None) -> Outcome

``commands`` are the pipeline's commands as psrpcore reads them from CREATE_PIPELINE (``psrpcore.Command``:
``command_text``, ``is_script``, ``parameters``), ``inputs`` the objects the client sent as pipeline input, in order.
ansible-core's ``psrp`` connection (2.19 and 2.21, ``exec_command``, A-185) sends one of two pipelines, one script and no
parameters each, which the emulator runs as Windows PowerShell 5.1 would:

* the script of a ``PowerShell ... -EncodedCommand <b64>`` command line, decoded and run in the runspace, with the
  lines of the command's stdin as pipeline input, one string each (``in_data.splitlines()``). The collection's stub
  is the only such script the host knows: its first line is ``STUB_TAG`` and its UTF-8 text hashes to ``STUB_SHA256``
  (the fake PowerShell's pin). It reads ``@($input)``, which is those strings, so the emulator hands them, joined with
  CRLF, to ``run_stub_input`` as the fake PowerShell hands its stdin. What the batch script writes becomes output
  objects, one string per line of the fake PowerShell's stdout (the result line, after ``NETSH_EMU_PS_NOISE``'s lines
  when set). The stub's ``exit 0`` reaches the client as the host call ``SetShouldExit(0)`` (A-180);
* any other command line: its text followed by a line ``exit $LASTEXITCODE``, no input. The emulator runs one
  plain netsh statement there (what ``ansible.builtin.raw`` sends): netsh's stdout decoded with the emulated OEM code
  page (``NETSH_EMU_CODEPAGE`` / ``NETSH_EMU_LANG``) becomes one string per line, each stderr line an error record
  (``NativeCommandError``, then ``NativeCommandErrorMessage``, A-183), and ``exit $LASTEXITCODE`` the host call
  ``SetShouldExit(<netsh's exit code>)``. The statement is read by the fake PowerShell's small parser
  (``_native_command``), which refuses what it cannot emulate.

Anything else -- several commands, parameters, a command that is not a script, an unknown or altered script, input
that is not a list of one-line strings -- is refused: the pipeline fails (state ``Failed``) with an error record that
says so, as a terminating error fails a pipeline on Windows (A-182). So is a terminating error of the batch script
(``ScriptRejected``). A run cut off by the host's kill switch or ``NETSH_EMU_HANG_AT`` (``RunAborted``) ends
``stopped``, as PowerShell reports a pipeline stopped under it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from netsh_emulator._batch import run_stub_input
from netsh_emulator._bootstrap_emulation import STUB_SHA256, STUB_TAG
from netsh_emulator._clixml import ScriptRejected
from netsh_emulator._faults import RunAborted
from netsh_emulator._locale import ConfigError, settings_from_env
from netsh_emulator._native_command import NativeCommandRejected, netsh_arguments
from netsh_emulator._netsh import run_netsh_or_abort

# The line ansible-core's psrp connection appends to a command that is not an encoded PowerShell script
# (plugins/connection/psrp.py, exec_command, 2.19 and 2.21: f"{cmd}\nexit $LASTEXITCODE").
EXIT_LASTEXITCODE = "exit $LASTEXITCODE"
# How PowerShell cuts a native command's output into strings (.NET's StreamReader.ReadLine: CR, LF or CRLF).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class ErrorText:
    """One error record to write: its message and FullyQualifiedErrorId."""

    message: str
    error_id: str


@dataclass
class Outcome:
    """What one pipeline did, in the order the client receives it: ``outputs`` (strings), ``errors`` (non-terminating
    error records), then ``exit_code`` (``SetShouldExit``, None when the script never called ``exit``), then the state:
    ``failure`` (Failed, with this message), ``stopped`` (Stopped) or else Completed."""

    outputs: list[str] = field(default_factory=list)
    errors: list[ErrorText] = field(default_factory=list)
    exit_code: int | None = None
    failure: str | None = None
    stopped: bool = False


def run_pipeline(commands: Sequence[Any], inputs: Sequence[Any], env: Mapping[str, str], abort: threading.Event | None = None) -> Outcome:
    """Run one pipeline; see the module docstring. Never raises for what the client sent: refusals are outcomes."""
    try:
        script = _single_script(commands)
        if script.split("\n", 1)[0].rstrip("\r") == STUB_TAG:
            return _run_stub(script, inputs, env, abort)
        return _run_raw(script, inputs, env, abort)
    except ScriptRejected as exc:
        return Outcome(failure=str(exc))
    except RunAborted:
        return Outcome(stopped=True)


def _single_script(commands: Sequence[Any]) -> str:
    if len(commands) != 1:
        raise ScriptRejected(f"The emulated host runs pipelines of one script; this one has {len(commands)} commands.")
    command = commands[0]
    if not command.is_script or command.parameters:
        raise ScriptRejected(f"The emulated host runs one script without parameters, not the command {command.command_text!r} "
                             f"with {len(command.parameters)} parameters.")
    return command.command_text


def _run_stub(script: str, inputs: Sequence[Any], env: Mapping[str, str], abort: threading.Event | None) -> Outcome:
    if hashlib.sha256(script.encode("utf-8")).hexdigest() != STUB_SHA256:
        raise ScriptRejected(f"The script carries the {STUB_TAG[2:]} tag but its text differs from the pinned stub (sha256 mismatch); "
                             "the emulated host does not understand it.")
    for item in inputs:
        if not isinstance(item, str) or "\r" in item or "\n" in item:
            raise ScriptRejected(f"The emulated host takes pipeline input of one-line strings only, not {type(item).__name__} {item!r:.80}.")
    dummy_rc, stdout, dummy_stderr = run_stub_input("\r\n".join(inputs).encode("utf-8"), env, abort)
    # The batch script writes strings only; the fake PowerShell's stdout is those strings, one per line.
    return Outcome(outputs=_lines(stdout.decode("ascii")), exit_code=0)


def _run_raw(script: str, inputs: Sequence[Any], env: Mapping[str, str], abort: threading.Event | None) -> Outcome:
    statement, separator, last = script.rpartition("\n")
    if not separator or last != EXIT_LASTEXITCODE or "\n" in statement or "\r" in statement:
        raise ScriptRejected("The emulated host does not understand this script: it is neither the lockdown-ipsec stub nor one "
                             f"plain netsh command line followed by '{EXIT_LASTEXITCODE}'.")
    if inputs:
        raise ScriptRejected("The emulated host runs a plain netsh command line without pipeline input.")
    try:
        argv = netsh_arguments(statement)
        encoding = settings_from_env(env).encoding
    except (NativeCommandRejected, ConfigError) as exc:
        raise ScriptRejected(str(exc)) from None
    rc, stdout, stderr = run_netsh_or_abort(argv, env, abort)
    errors = [ErrorText(line, "NativeCommandError" if index == 0 else "NativeCommandErrorMessage")
              for index, line in enumerate(_lines(stderr.decode("utf-8", errors="replace")))]
    return Outcome(outputs=_lines(stdout.decode(encoding, errors="replace")), errors=errors, exit_code=rc)


def _lines(text: str) -> list[str]:
    """``text`` as PowerShell reads a stream line by line: no empty string after a final line break."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines
