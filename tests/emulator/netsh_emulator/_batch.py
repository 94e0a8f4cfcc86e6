"""What the collection's stub does with stdin: run the batch script v5 with the request of line 2.

Contract::

    run_stub_input(stdin_bytes, env, abort) -> (rc, stdout_bytes, stderr_bytes)

raising :class:`~._clixml.ScriptRejected` for a terminating error (the caller reports it as CLIXML, rc 1)
and :class:`~._faults.RunAborted` when the run is cut off (``NETSH_EMU_HANG_AT``, the WinRM host's kill
switch). The protocol is the module docstring of the collection's ``_bootstrap.py`` (lockdown-ipsec-stub-v1
and lockdown-ipsec-batch-v5); the emulator only checks the scripts' text by hash and does here what they do:

1. stdin is read as lines, as ``$l=@($input)`` does (CRLF, LF or CR; no empty line after a trailing
   newline). There must be exactly two (emulator strictness: the stub would ignore more): line 1 is base64
   of the UTF-8 batch script, which must be :data:`BATCH_TAG` with :data:`BATCH_SHA256`, and line 2 base64
   of the UTF-8 JSON request ``{"stop_on_error", "files", "commands", "read_back", "registry", "disarm", "arm"}``
   (``disarm`` and ``arm``: ``_arming``; the rollback script the batch script carries must be the pinned one). ``files``,
   ``commands`` or ``read_back`` missing or null is ``[]`` (``foreach`` over ``$null``), ``registry`` missing
   or null is false; one of the lists that is not a list of strings, or a ``registry`` that is not a boolean,
   is refused (emulator strictness: PowerShell would iterate a lone string or test any value's truth).
2. The knobs are checked (``_locale`` settings, ``_registry_read.registry_source``): a bad one is a
   terminating error before anything runs. The round trip is logged (``NETSH_EMU_PS_LOG``; ``read_back``
   only when it is not empty).
3. Each of ``files`` is opened for reading and closed again (``_open_read``); each failure is
   ``{"path", "error"}``. When one failed, no command runs and ``armed``, ``disarmed`` and ``registry`` are null.
3a. Unless a file failed: ``disarm`` then ``arm`` (``_arming``), answered ``disarmed`` and ``armed``. When arming
   fails no command runs and nothing is read back (the script's ``$z``); the registry is still read.
4. Otherwise every command is split with the MSVCRT rules and run as one netsh process; with
   ``stop_on_error`` the batch stops after the first result with rc != 0 or ``ERR IPsec[`` in its stdout.
5. Unless a file failed, each of ``read_back`` is read whole after the commands, whether or not they
   stopped early (``_open_read.read_all_bytes``): ``{"path", "data": base64}`` or ``{"path", "error"}``.
6. With ``registry`` (and no failed file) the registry is read after the commands (``_registry_read``).
7. stdout: ``NETSH_EMU_PS_NOISE`` + CRLF when set, then ``<<LOCKDOWN-IPSEC-RESULT>>`` + base64(UTF-8 JSON
   ``{"codepage", "results", "files", "read_back", "armed", "disarmed", "registry"}``) + CRLF; rc 0. The JSON is compact with ``< > & '``
   escaped as ``\\u00XX``, as PowerShell 5.1's ``ConvertTo-Json`` writes it. With
   ``NETSH_EMU_PS_UNWRAP_SINGLE`` a one-element ``results``, ``files`` or ``read_back`` array is written as its element
   (PowerShell 5.1's quirk, A-34); the registry's arrays are never unwrapped (the script keeps them arrays).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass
from typing import Mapping

from ._arming import Arm, Disarm, arm, disarm, parse_arm, parse_disarm, rollback_text
from ._clixml import ScriptRejected
from ._crt import split_c
from ._locale import ConfigError, Settings, settings_from_env
from ._netsh import run_netsh_or_abort
from ._open_read import open_read_error, read_all_bytes
from ._ps_json import ps_json
from ._registry_read import RegistryReadError, RegistrySource, read_registry, registry_source
from ._scheduled_tasks import scheduled_tasks_available, tasks_directory

BATCH_TAG = "# lockdown-ipsec-batch-v5"
# sha256 of the collection's batch script (UTF-8, lines joined with "\n", no trailing newline). Pinned on
# purpose: the emulator must notice any change. Update it when the collection changes the script, and the
# copy BATCH in tests/emu_support.py with it; a change of protocol also bumps the tag.
BATCH_SHA256 = "b1c9f0634620924e5a9d3b22572983362c53e4e7b841cb39ff57486092cefd2e"
RESULT_MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"


@dataclass(frozen=True)
class Request:
    stop_on_error: bool
    files: list[str]
    commands: list[str]
    read_back: list[str]
    registry: bool
    disarm: Disarm | None = None
    arm: Arm | None = None


def _lines(stdin: bytes) -> list[str]:
    """stdin as ``@($input)`` sees it: one string per line, no empty element after a final line break."""
    try:
        text = stdin.decode("ascii")
    except UnicodeDecodeError:
        raise ScriptRejected("stdin is not base64 text (non-ASCII bytes)") from None
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _base64(line: str, what: str) -> bytes:
    # [Convert]::FromBase64String ignores white space and throws on anything else
    try:
        return base64.b64decode("".join(line.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ScriptRejected(f"Exception calling \"FromBase64String\" for {what}: {exc}") from None


def _check_batch(line: str) -> str:
    try:
        script = _base64(line, "the script on stdin").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScriptRejected(f"The script on stdin is not UTF-8: {exc}") from None
    first = script.split("\n", 1)[0].rstrip("\r")
    if first != BATCH_TAG:
        raise ScriptRejected("The fake PowerShell does not understand the script on stdin: it is not the "
                             f"lockdown-ipsec batch script ({BATCH_TAG[2:]}).")
    if hashlib.sha256(script.encode("utf-8")).hexdigest() != BATCH_SHA256:
        raise ScriptRejected(f"The script on stdin carries the {BATCH_TAG[2:]} tag but its text differs from the "
                             "pinned batch script (sha256 mismatch); the fake PowerShell does not understand it.")
    return script


def _string_list(request: dict, key: str) -> list[str]:
    value = request.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScriptRejected(f"The request's {key} must be a list of strings.")
    return value


def _request(line: str) -> Request:
    try:
        request = json.loads(_base64(line, "the request").decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ScriptRejected(f"Exception while reading the request from stdin: {exc}") from None
    if not isinstance(request, dict):
        raise ScriptRejected("The request is not a JSON object.")
    registry = request.get("registry")
    if registry is not None and not isinstance(registry, bool):
        raise ScriptRejected("The request's registry must be true or false.")
    return Request(bool(request.get("stop_on_error")), _string_list(request, "files"), _string_list(request, "commands"),
                   _string_list(request, "read_back"), bool(registry), parse_disarm(request), parse_arm(request))


def _unreadable_files(files: list[str]) -> list[dict]:
    """The batch's ``$f``: one ``{"path", "error"}`` per file ``[IO.File]::OpenRead`` refuses."""
    failures = []
    for path in files:
        error = open_read_error(path)
        if error is not None:
            failures.append({"path": path, "error": error})
    return failures


def _read_back(paths: list[str]) -> list[dict]:
    """The batch's ``$a``: each file's bytes as base64, or ``"$_"`` of the exception that stopped the read."""
    answers = []
    for path in paths:
        data, error = read_all_bytes(path)
        answers.append({"path": path, "error": error} if error is not None else {"path": path, "data": base64.b64encode(data).decode("ascii")})
    return answers


def _run_commands(commands: list[str], stop_on_error: bool, env: Mapping[str, str],
                  abort: threading.Event | None) -> list[dict]:
    """The batch's ``$r``; raises RunAborted when the run is cut off."""
    results = []
    for command in commands:
        rc, out, err = run_netsh_or_abort(split_c(command), env, abort)
        results.append({"rc": rc, "stdout": base64.b64encode(out).decode("ascii"),
                        "stderr": err.decode("utf-8", errors="replace")})
        if stop_on_error and (rc != 0 or b"ERR IPsec[" in out):
            break
    return results


def _json_array(env: Mapping[str, str], items: list) -> object:
    """*items*, or its only element with ``NETSH_EMU_PS_UNWRAP_SINGLE`` (PowerShell 5.1's quirk)."""
    if env.get("NETSH_EMU_PS_UNWRAP_SINGLE") and len(items) == 1:
        return items[0]
    return items


def _log_round_trip(env: Mapping[str, str], request: Request) -> None:
    log = env.get("NETSH_EMU_PS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            logged = {"commands": request.commands, "stop_on_error": request.stop_on_error, "files": request.files,
                      "registry": request.registry}
            if request.read_back:
                logged["read_back"] = request.read_back
            for key, step in (("disarm", request.disarm), ("arm", request.arm)):
                if step is not None:
                    logged[key] = asdict(step)
            handle.write(json.dumps(logged) + "\n")


def _knobs(env: Mapping[str, str], request: Request) -> tuple[Settings, RegistrySource]:
    try:
        if request.arm is not None or request.disarm is not None:
            scheduled_tasks_available(env)
            tasks_directory(env)
        return settings_from_env(env), registry_source(env)
    except ConfigError as exc:
        raise ScriptRejected(f"netsh emulator configuration: {exc}") from None


def _registry(source: RegistrySource, env: Mapping[str, str]) -> dict:
    try:
        return read_registry(source, env)
    except ConfigError as exc:
        raise ScriptRejected(f"netsh emulator configuration: {exc}") from None
    except RegistryReadError as exc:
        raise ScriptRejected(f"netsh emulator: {exc}") from None


def run_stub_input(stdin: bytes, env: Mapping[str, str], abort: threading.Event | None) -> tuple[int, bytes, bytes]:
    """Run the batch script and request on *stdin*; see the module docstring."""
    lines = _lines(stdin)
    if len(lines) != 2:
        raise ScriptRejected(f"stdin must be two lines, the batch script and the request, not {len(lines)} "
                             "(the stub runs $l[0] with $l[1]).")
    rollback = rollback_text(_check_batch(lines[0]))
    request = _request(lines[1])
    settings, source = _knobs(env, request)
    _log_round_trip(env, request)
    failures = _unreadable_files(request.files)
    disarmed = disarm(request.disarm, env) if request.disarm is not None and not failures else None
    armed, arming_failed = arm(request.arm, rollback, env) if request.arm is not None and not failures else (None, False)
    skipped = bool(failures) or arming_failed
    results = [] if skipped else _run_commands(request.commands, request.stop_on_error, env, abort)
    read_back = [] if skipped else _read_back(request.read_back)
    registry = _registry(source, env) if request.registry and not failures else None
    document = {"codepage": settings.codepage, "results": _json_array(env, results), "files": _json_array(env, failures),
                "read_back": _json_array(env, read_back), "armed": armed, "disarmed": disarmed, "registry": registry}
    body = base64.b64encode(ps_json(document).encode("utf-8")).decode("ascii")
    noise = env.get("NETSH_EMU_PS_NOISE")
    prefix = (noise.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n") if noise else ""
    return 0, (prefix + RESULT_MARKER + body + "\r\n").encode("ascii", errors="replace"), b""
