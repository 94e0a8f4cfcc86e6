"""The fake ``PowerShell``: runs the collection's batch bootstrap or one plain netsh command line.

Contract::

    run_powershell(argv, stdin_bytes, env, abort=None) -> (rc, stdout_bytes, stderr_bytes)

*argv* are the arguments after the program name, e.g. ``-NoProfile -NonInteractive
-ExecutionPolicy Unrestricted -EncodedCommand <b64>`` (option names case-insensitive; the usual
PowerShell abbreviations ``-nop -noni -ep -ex -enc -ec -e`` are accepted). The encoded command is
base64 of the UTF-16-LE script (execution.md §2.2, §3.1).

The script must be one of:

* the collection's bootstrap, byte for byte: first line :data:`BOOTSTRAP_TAG` and
  ``sha256(script.encode("utf-8")) == BOOTSTRAP_SHA256``;
* an ansible-core < 2.19 wrapper (``_encode_script`` of the already encoded command: "≤ 2.18
  double-encodes every winrm command", execution.md §6 point 2) whose lines are a
  ``PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <b64>``
  line plus optional ``Set-StrictMode`` and ``$LASTEXITCODE``-handling lines -- the inner
  command is then processed recursively;
* one plain ``netsh ...`` command line, which is what ``ansible.builtin.raw`` sends over WinRM
  (execution.md §1.2: winrm wraps every non-encoded command in PowerShell; ansible-core 2.21 sends
  the raw command as the whole script, 2.16-2.20 send it with every line stripped, possibly between
  the same optional ``Set-StrictMode`` / ``$LASTEXITCODE`` lines, §1.3). See "Native netsh" below.

Anything else: rc 1 and a ``#< CLIXML`` error document on stderr (what powershell.exe does for a
terminating error, execution.md §2.2 "Exit code").

Bootstrap emulation (``lockdown-ipsec-batch-v2``; the PowerShell text is the collection's, pinned by
hash below):

1. read all of stdin, base64-decode it ignoring whitespace, parse UTF-8 JSON ``{"stop_on_error":
   bool, "files": [str, ...], "commands": [str, ...]}`` (:func:`_read_request`). ``files`` or
   ``commands`` missing or null is ``[]`` (``foreach`` over ``$null`` runs zero times); one that is
   not a list of strings is refused like an unreadable payload (emulator strictness: PowerShell
   would iterate a lone string);
2. open each of ``files`` for reading and close it again (:func:`._open_read.open_read_error`,
   relative to the process's current directory); each failure is ``{"path": <as given>, "error":
   <PowerShell's message>}``;
3. only when none failed: split every command with the MSVCRT rules (``_crt.split_c``) and run
   :func:`~._netsh.run_netsh_or_abort` once per command (each run loads and saves the store like a
   separate process); with ``stop_on_error`` stop after the first result with rc != 0 or
   ``ERR IPsec[`` in its stdout bytes;
4. print ``<<LOCKDOWN-IPSEC-RESULT>>`` + base64(UTF-8 JSON ``{"codepage": N, "results": [{"rc",
   "stdout" (base64 of the raw bytes), "stderr"}], "files": [<failures>]}``) + CRLF; exit 0.

Cut off: when a command hangs through ``NETSH_EMU_HANG_AT`` or *abort* is set (the emulated WinRM
host's ``kill()``; ``_faults``), the commands before it have run and nothing else does. The fake
PowerShell then prints nothing, not even the marker, and exits 1 with the CLIXML error
:data:`PIPELINE_STOPPED` (what PowerShell reports for a pipeline stopped under it; emulator choice,
a host that lost power answers nothing at all). The same holds for a plain netsh line (below).

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

Such runs are not logged to ``NETSH_EMU_PS_LOG`` (that log counts bootstrap round trips only) and
get no ``NETSH_EMU_PS_NOISE``.

Test knobs (environment): ``NETSH_EMU_PS_NOISE`` -- text printed (plus CRLF) before the marker,
like profile output or warnings; ``NETSH_EMU_PS_UNWRAP_SINGLE`` -- a one-element ``results``
array is emitted as a bare object (what PowerShell 5.1's ``ConvertTo-Json`` does to pipeline
input; execution.md §2.2 asks the parser to cope); ``NETSH_EMU_PS_LOG`` -- a file to which every
bootstrap run appends one JSON line ``{"commands": [...], "stop_on_error": bool, "files": [...]}``
(before anything runs): one line per round trip, which the integration tests count. With
``NETSH_EMU_PS_UNWRAP_SINGLE`` a one-element ``files`` array is a bare object too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from typing import Mapping
from xml.sax.saxutils import escape

from ._crt import split_c
from ._faults import RunAborted
from ._locale import ConfigError, Settings, settings_from_env
from ._native_command import NativeCommandRejected, netsh_arguments
from ._netsh import run_netsh_or_abort
from ._open_read import open_read_error

BOOTSTRAP_TAG = "# lockdown-ipsec-batch-v2"
# sha256 of the collection's bootstrap script (UTF-8, lines joined with "\n", no trailing newline).
# Pinned on purpose: the emulator must notice any change to the bootstrap. It changes only when
# the collection's bootstrap tag (first line) changes -- update both together.
BOOTSTRAP_SHA256 = "711fb94971c165079dce28381addc73e4bf9c23b68a5634db95dfc8fe7b68ee6"
RESULT_MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
# The message of PowerShell's PipelineStoppedException, the error of a run cut off under it.
PIPELINE_STOPPED = "The pipeline has been stopped."
# execution.md §6 point 3: the exact, case-sensitive prefix ansible-core recognises.
WRAPPER_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "

_FLAG_OPTIONS = ("-noprofile", "-nop", "-noninteractive", "-noni", "-nologo")
_VALUE_OPTIONS = ("-executionpolicy", "-ep", "-ex", "-exec")
_ENCODED_OPTIONS = ("-encodedcommand", "-enc", "-ec", "-e")
_MAX_DEPTH = 3


class ScriptRejected(Exception):
    """The fake PowerShell refuses the invocation (reported as CLIXML, rc 1)."""


def clixml_error(message: str) -> bytes:
    """A ``#< CLIXML`` stderr document with one ``<S S="Error">`` element per line."""
    parts = []
    for line in message.splitlines() or [""]:
        text = escape(line.replace("_x", "_x005F_x"))
        parts.append(f'<S S="Error">{text}_x000D__x000A_</S>')
    body = ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
            + "".join(parts) + "</Objs>")
    return ("#< CLIXML\r\n" + body).encode("utf-8")


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
    if first_line == BOOTSTRAP_TAG:
        if hashlib.sha256(script.encode("utf-8")).hexdigest() != BOOTSTRAP_SHA256:
            raise ScriptRejected(f"The script carries the {BOOTSTRAP_TAG[2:]} tag but its text differs "
                                 "from the pinned bootstrap (sha256 mismatch); the fake PowerShell does "
                                 "not understand it.")
        return _emulate_bootstrap(stdin, env, abort)
    inner = _unwrap(script)
    if inner is not None and depth < _MAX_DEPTH:
        return _run_script(_decode_command(inner), stdin, env, depth + 1, abort)
    kinds = [(_wrapper_line(line), line) for line in script.splitlines()]
    statements = [line for kind, line in kinds if kind is None]
    if len(statements) == 1:
        return _run_native_netsh(statements[0], any(kind == _PRESERVE_RC for kind, dummy in kinds), env, abort)
    raise ScriptRejected("The fake PowerShell does not understand this script: it is neither the "
                         "lockdown-ipsec bootstrap, nor an ansible-core wrapper around it, nor one "
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


def _ps_json(document: dict) -> bytes:
    """``ConvertTo-Json -Compress`` look-alike (PowerShell 5.1 escapes < > & ' as \\uXXXX)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=True)
    for ch in "<>&'":
        text = text.replace(ch, "\\u%04x" % ord(ch))
    return text.encode("utf-8")


def _string_list(request: dict, key: str) -> list[str]:
    """``request[key]`` as a list of strings; missing or null is empty. Raises :class:`ScriptRejected`."""
    value = request.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScriptRejected(f"The request's {key} must be a list of strings.")
    return value


def _read_request(stdin: bytes) -> tuple[bool, list[str], list[str]]:
    """``(stop_on_error, files, commands)`` of the request on stdin; raises :class:`ScriptRejected`
    (rc 1, CLIXML: ``$ErrorActionPreference='Stop'`` makes FromBase64String / ConvertFrom-Json throw)."""
    try:
        text = stdin.decode("ascii")
        request = json.loads(base64.b64decode("".join(text.split()), validate=True).decode("utf-8"))
    except (UnicodeDecodeError, binascii.Error, ValueError) as exc:
        raise ScriptRejected(f"Exception while reading the request from stdin: {exc}") from None
    if not isinstance(request, dict):
        raise ScriptRejected("The request is not a JSON object.")
    return bool(request.get("stop_on_error")), _string_list(request, "files"), _string_list(request, "commands")


def _unreadable_files(files: list[str]) -> list[dict]:
    """The bootstrap's ``$f``: one ``{"path", "error"}`` per file ``[IO.File]::OpenRead`` refuses."""
    failures = []
    for path in files:
        error = open_read_error(path)
        if error is not None:
            failures.append({"path": path, "error": error})
    return failures


def _run_batch(commands: list[str], stop_on_error: bool, env: Mapping[str, str],
               abort: threading.Event | None) -> list[dict]:
    """The bootstrap's ``$r``: run the commands in order; raises RunAborted when the run is cut off."""
    results = []
    for command in commands:
        rc, out, err = run_netsh_or_abort(split_c(command), env, abort)
        results.append({"rc": rc, "stdout": base64.b64encode(out).decode("ascii"),
                        "stderr": err.decode("utf-8", errors="replace")})
        if stop_on_error and (rc != 0 or b"ERR IPsec[" in out):
            break
    return results


def _emulate_bootstrap(stdin: bytes, env: Mapping[str, str], abort: threading.Event | None) -> tuple[int, bytes, bytes]:
    settings = _settings(env)
    stop_on_error, files, commands = _read_request(stdin)
    _log_round_trip(env, commands, stop_on_error, files)
    failures = _unreadable_files(files)
    results = [] if failures else _run_batch(commands, stop_on_error, env, abort)
    document = {"codepage": settings.codepage, "results": _json_array(env, results), "files": _json_array(env, failures)}
    body = base64.b64encode(_ps_json(document)).decode("ascii")
    noise = env.get("NETSH_EMU_PS_NOISE")
    prefix = (noise.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n") if noise else ""
    return 0, (prefix + RESULT_MARKER + body + "\r\n").encode("ascii", errors="replace"), b""


def _json_array(env: Mapping[str, str], items: list) -> object:
    """*items*, or its only element with ``NETSH_EMU_PS_UNWRAP_SINGLE`` (PowerShell 5.1's quirk)."""
    if env.get("NETSH_EMU_PS_UNWRAP_SINGLE") and len(items) == 1:
        return items[0]
    return items


def _log_round_trip(env: Mapping[str, str], commands: list, stop_on_error: bool, files: list) -> None:
    log = env.get("NETSH_EMU_PS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"commands": commands, "stop_on_error": stop_on_error, "files": files}) + "\n")


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
