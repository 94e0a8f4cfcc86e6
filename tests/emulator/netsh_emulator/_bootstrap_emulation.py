"""The fake ``PowerShell``: runs the collection's stub (and the batch script it reads) or one plain netsh line.

Contract::

    run_powershell(argv, stdin_bytes, env, abort=None) -> (rc, stdout_bytes, stderr_bytes)

*argv* are the arguments after the program name, e.g. ``-NoProfile -NonInteractive
-ExecutionPolicy Unrestricted -EncodedCommand <b64>`` (option names case-insensitive; the usual
PowerShell abbreviations ``-nop -noni -ep -ex -enc -ec -e`` are accepted). The encoded command is
base64 of the UTF-16-LE script (execution.md §2.2, §3.1).

The script must be one of:

* the collection's stub, byte for byte: first line :data:`STUB_TAG` and
  ``sha256(script.encode("utf-8")) == STUB_SHA256``. It runs the script on stdin's first line with the
  second line as its argument; the emulator accepts only the pinned batch script there and does what it
  does (``_batch.run_stub_input``: file preconditions, netsh commands, the registry read, the answer);
* the collection's rollback script as its armed scheduled task runs it: a first line ``$w='<base64>'``, then,
  byte for byte, ``lockdown-ipsec-rollback-v1`` (``_rollback.ROLLBACK_SHA256``); the emulator does what it does
  (``_rollback.run_rollback``). With one character changed it is refused like any unknown script;
* an ansible-core < 2.19 wrapper (``_encode_script`` of the already encoded command: "≤ 2.18
  double-encodes every winrm command", execution.md §6 point 2) whose lines are a
  ``PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <b64>``
  line plus optional ``Set-StrictMode`` and ``$LASTEXITCODE``-handling lines -- the inner
  command is then processed recursively;
* one plain ``netsh ...`` command line, which is what ``ansible.builtin.raw`` sends over WinRM
  (execution.md §1.2: winrm wraps every non-encoded command in PowerShell; ansible-core 2.21 sends
  the raw command as the whole script, 2.16-2.20 send it with every line stripped, possibly between
  the same optional ``Set-StrictMode`` / ``$LASTEXITCODE`` lines, §1.3). See "Native netsh" below.

Anything else, the batch script v2 on the command line included: rc 1 and a ``#< CLIXML`` error document
on stderr (what powershell.exe does for a terminating error, execution.md §2.2 "Exit code").

Cut off: when a command hangs through ``NETSH_EMU_HANG_AT`` or *abort* is set (the emulated WinRM
host's ``kill()``; ``_faults``), the commands before it have run and nothing else does. The fake
PowerShell then prints nothing, not even the marker, and exits 1 with the CLIXML error
:data:`~._clixml.PIPELINE_STOPPED` (what PowerShell reports for a pipeline stopped under it; emulator
choice, a host that lost power answers nothing at all). The same holds for a plain netsh line (below).

Native netsh: the script has exactly one statement line besides blank lines and the wrapper lines
above (:func:`_wrapper_line`, shared with the unwrapping). :func:`._native_command.netsh_arguments`
turns it into netsh's argv -- a deliberately small subset of PowerShell 5.1's parser that rejects
everything it cannot emulate (rc 1, CLIXML) -- and :func:`~._netsh.run_netsh` runs once. Result:

* exit code: 0 if netsh's rc is 0, else 1 (``powershell.exe -EncodedCommand`` exits by ``$?`` of
  the last statement, not by ``$LASTEXITCODE``, execution.md §1.3); with the ``If (-not $?) {
  ... exit $LASTEXITCODE ... }`` line present, netsh's rc itself;
* stdout: netsh's bytes decoded with the emulated OEM code page (``settings_from_env(env).codepage``,
  65001 = UTF-8) and re-encoded as UTF-8, the code page of the WinRM shell (execution.md §1.2
  ``open_shell(codepage=65001)``); line endings stay CRLF;
* stderr: whatever netsh wrote to stderr, as a CLIXML error document (:func:`clixml_error`);
  nothing otherwise.

Such runs are not logged to ``NETSH_EMU_PS_LOG`` (that log counts stub round trips only) and get no
``NETSH_EMU_PS_NOISE``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from typing import Mapping

from ._batch import run_stub_input
from ._clixml import PIPELINE_STOPPED, ScriptRejected, clixml_error
from ._faults import RunAborted
from ._locale import ConfigError, Settings, settings_from_env
from ._native_command import NativeCommandRejected, netsh_arguments
from ._netsh import run_netsh_or_abort
from ._rollback import rollback_payload, run_rollback

STUB_TAG = "# lockdown-ipsec-stub-v1"
# sha256 of the collection's stub (UTF-8, lines joined with "\n", no trailing newline). Pinned on purpose:
# the emulator must notice any change to the command line's script. Update it when the collection changes
# the stub, and the copy STUB in tests/emu_support.py with it; a change of protocol also bumps the tag.
STUB_SHA256 = "a3b519a161a4b9b50848f0ed3158babfebd59f0640102b3d456088244d8325c6"
# execution.md §6 point 3: the exact, case-sensitive prefix ansible-core recognises.
WRAPPER_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "

_FLAG_OPTIONS = ("-noprofile", "-nop", "-noninteractive", "-noni", "-nologo")
_VALUE_OPTIONS = ("-executionpolicy", "-ep", "-ex", "-exec")
_ENCODED_OPTIONS = ("-encodedcommand", "-enc", "-ec", "-e")
_MAX_DEPTH = 3


def _decode_command(encoded: str) -> str:
    try:
        raw = base64.b64decode(encoded, validate=True)
        return raw.decode("utf-16-le")
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ScriptRejected(f"Cannot decode -EncodedCommand: {exc}") from None


def encoded_script(argv: list[str]) -> str:
    """Validate the PowerShell command line and return the decoded script text."""
    encoded = None
    i = 0
    while i < len(argv):
        low = argv[i].lower()
        if low in _FLAG_OPTIONS:
            i += 1
        elif low in _VALUE_OPTIONS or low in _ENCODED_OPTIONS:
            if i + 1 >= len(argv):
                raise ScriptRejected(f"Missing an argument for parameter '{argv[i]}'.")
            if low in _ENCODED_OPTIONS:
                encoded = argv[i + 1]
            i += 2
        else:
            raise ScriptRejected(f"The fake PowerShell does not understand the argument '{argv[i]}'.")
    if encoded is None:
        raise ScriptRejected("The fake PowerShell only runs -EncodedCommand scripts.")
    return _decode_command(encoded)


_BLANK, _STRICT_MODE, _PRESERVE_RC = "blank", "strict-mode", "preserve-rc"


# The exact lines ansible-core's ``_encode_script`` writes around a command (execution.md §1.3);
# anything else, even a line that merely starts like them, is a statement the fake PowerShell refuses.
_STRICT_MODE_LINE = "Set-StrictMode -Version Latest"
_PRESERVE_RC_LINE = "If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } Else { exit 1 } }"


def _wrapper_line(raw: str) -> str | None:
    """Kind of a line that ansible-core's ``_encode_script`` puts around a command, or None.

    ``_encode_script`` (execution.md §1.3) prefixes :data:`_STRICT_MODE_LINE`, appends
    :data:`_PRESERVE_RC_LINE` (the script then exits with the native command's rc) and drops blank
    lines. Only these exact lines (surrounding whitespace aside) count.
    """
    line = raw.strip()
    if not line:
        return _BLANK
    if line == _STRICT_MODE_LINE:
        return _STRICT_MODE
    if line == _PRESERVE_RC_LINE:
        return _PRESERVE_RC
    return None


def _unwrap(script: str) -> str | None:
    """Inner encoded command of an ansible-core < 2.19 ``_encode_script`` wrapper, or None."""
    inner = None
    for raw in script.splitlines():
        line = raw.strip()
        if _wrapper_line(line):
            continue
        candidate = line[2:] if line.startswith("& ") else line
        tokens = candidate[len(WRAPPER_PREFIX):].split()
        if candidate.startswith(WRAPPER_PREFIX) and inner is None and tokens:
            inner = tokens[0].rstrip(";")
            continue
        return None
    return inner


def _run_script(script: str, stdin: bytes, env: Mapping[str, str], depth: int,
                abort: threading.Event | None) -> tuple[int, bytes, bytes]:
    first_line = script.split("\n", 1)[0].rstrip("\r")
    if first_line == STUB_TAG:
        if hashlib.sha256(script.encode("utf-8")).hexdigest() != STUB_SHA256:
            raise ScriptRejected(f"The script carries the {STUB_TAG[2:]} tag but its text differs "
                                 "from the pinned stub (sha256 mismatch); the fake PowerShell does "
                                 "not understand it.")
        return run_stub_input(stdin, env, abort)
    payload = rollback_payload(script)
    if payload is not None:
        return run_rollback(payload, env)
    inner = _unwrap(script)
    if inner is not None and depth < _MAX_DEPTH:
        return _run_script(_decode_command(inner), stdin, env, depth + 1, abort)
    kinds = [(_wrapper_line(line), line) for line in script.splitlines()]
    statements = [line for kind, line in kinds if kind is None]
    if len(statements) == 1:
        return _run_native_netsh(statements[0], any(kind == _PRESERVE_RC for kind, dummy in kinds), env, abort)
    raise ScriptRejected("The fake PowerShell does not understand this script: it is neither the "
                         "lockdown-ipsec stub, nor an ansible-core wrapper around it, nor one "
                         "plain netsh command line.")


def _run_native_netsh(statement: str, preserve_rc: bool, env: Mapping[str, str],
                      abort: threading.Event | None) -> tuple[int, bytes, bytes]:
    """Run one plain netsh statement; see "Native netsh" in the module docstring."""
    try:
        argv = netsh_arguments(statement)
    except NativeCommandRejected as exc:
        raise ScriptRejected(str(exc)) from None
    encoding = _settings(env).encoding
    rc, out, err = run_netsh_or_abort(argv, env, abort)
    stdout = out.decode(encoding, errors="replace").encode("utf-8")
    stderr = clixml_error(err.decode("utf-8", errors="replace")) if err else b""
    return (rc if preserve_rc else int(rc != 0)), stdout, stderr


def _settings(env: Mapping[str, str]) -> Settings:
    try:
        return settings_from_env(env)
    except ConfigError as exc:
        raise ScriptRejected(f"netsh emulator configuration: {exc}") from None


def run_powershell(argv: list[str], stdin: bytes, env: Mapping[str, str],
                   abort: threading.Event | None = None) -> tuple[int, bytes, bytes]:
    """Emulate ``powershell.exe <argv>`` with *stdin*; see the module docstring.

    *abort* is the emulated WinRM host's kill switch: once set, no further netsh command runs and
    the run ends like one cut off by ``NETSH_EMU_HANG_AT``.
    """
    try:
        script = encoded_script(list(argv))
        return _run_script(script, stdin, env, 0, abort)
    except ScriptRejected as exc:
        return 1, b"", clixml_error(str(exc))
    except RunAborted:
        return 1, b"", clixml_error(PIPELINE_STOPPED)
