"""What the armed scheduled task runs: the collection's rollback script ``lockdown-ipsec-rollback-v1``.

Contract::

    rollback_payload(script) -> str | None      # the $w value when *script* is "$w='<b64>'" + LF + the pinned rollback
    run_rollback(payload, env) -> (rc, stdout_bytes, stderr_bytes)

raising :class:`~._clixml.ScriptRejected` for a script that starts with ``$w='...'`` but whose rest is not the
pinned rollback script (sha256 :data:`ROLLBACK_SHA256`), and for a payload that is not base64 of UTF-8 JSON
``{"task": str, "file": str, "commands": [str, ...]}`` (emulator strictness: the batch script's arm step writes
exactly that).

What the script does, and the emulator with it:

1. If ``[IO.File]::Exists(file)`` (a regular file; relative to the process's current directory, as ``_open_read``
   resolves paths; false for any path .NET would refuse): each of ``commands`` runs as one netsh process
   (``split_c``, then ``run_netsh``, which takes the store's lock), in order, whatever their outcome; their
   output goes to the task's console, here the run's stdout (netsh's bytes, unchanged). Then ``file`` is deleted.
2. ``Unregister-ScheduledTask -TaskName task -Confirm:$false``. Without ``$ErrorActionPreference='Stop'`` its
   failure is a non-terminating error: the message goes to stderr (CLIXML) and the exit code is 1 (``$?`` of the
   last statement). Messages: a missing task, ``No MSFT_ScheduledTask objects found with property 'TaskName'
   equal to '<task>'.  Verify the value of the property and retry.`` (emulator choice, A-151); no ScheduledTasks
   module (``NETSH_EMU_NO_SCHEDULED_TASKS``), PowerShell's "is not recognized" text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Mapping

from ._clixml import ScriptRejected, clixml_error
from ._crt import split_c
from ._netsh import run_netsh
from ._locale import ConfigError
from ._open_read import delete_error, file_exists
from ._scheduled_tasks import not_recognized, scheduled_tasks_available, unregister_task

ROLLBACK_TAG = "# lockdown-ipsec-rollback-v1"
# sha256 of the collection's rollback script (UTF-8, lines joined with "\n", no trailing newline), without the
# "$w='...'" line the arm step puts before it. Update it with the copy ROLLBACK in tests/emu_support.py.
ROLLBACK_SHA256 = "cf6e72320305c3e576cf01e31901577cc79df62c9b0e7e4c74ffce3631a31d63"
_PAYLOAD_LINE = re.compile(r"\$w='([A-Za-z0-9+/=]*)'")
_MISSING_TASK = ("No MSFT_ScheduledTask objects found with property 'TaskName' equal to '{0}'.  "
                 "Verify the value of the property and retry.")


def rollback_payload(script: str) -> str | None:
    """The ``$w`` value of a rollback run, or None when *script* does not start with a ``$w='<base64>'`` line."""
    first, separator, rest = script.partition("\n")
    match = _PAYLOAD_LINE.fullmatch(first)
    if match is None or not separator:
        return None
    if not rest.startswith(ROLLBACK_TAG + "\n") or hashlib.sha256(rest.encode("utf-8")).hexdigest() != ROLLBACK_SHA256:
        raise ScriptRejected(f"The script sets $w but the rest is not the pinned rollback script ({ROLLBACK_TAG[2:]}, "
                             "sha256 mismatch); the fake PowerShell does not understand it.")
    return match.group(1)


def _request(payload: str) -> tuple[str, str, list[str]]:
    try:
        request = json.loads(base64.b64decode(payload, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ScriptRejected(f"The rollback's $w is not base64 of UTF-8 JSON: {exc}") from None
    if not isinstance(request, dict) or set(request) != {"task", "file", "commands"}:
        raise ScriptRejected("The rollback's $w must be a JSON object with exactly task, file and commands.")
    task, path, commands = request["task"], request["file"], request["commands"]
    if not isinstance(task, str) or not isinstance(path, str) or not isinstance(commands, list) \
            or not all(isinstance(command, str) for command in commands):
        raise ScriptRejected("The rollback's task and file must be strings and its commands a list of strings.")
    return task, path, commands


def run_rollback(payload: str, env: Mapping[str, str]) -> tuple[int, bytes, bytes]:
    """Run the rollback script with ``$w`` = *payload*; see the module docstring."""
    task, path, commands = _request(payload)
    try:
        available = scheduled_tasks_available(env)
    except ConfigError as exc:
        raise ScriptRejected(f"netsh emulator configuration: {exc}") from None
    output, errors = [], []
    if file_exists(path):
        output = [run_netsh(split_c(command), env)[1] for command in commands]
        errors += [message for message in [delete_error(path)] if message]
    unregistered = available and unregister_task(env, task)
    if not unregistered:
        errors.append(_MISSING_TASK.format(task) if available else not_recognized("Unregister-ScheduledTask"))
    # The exit code is $? of the last statement, Unregister-ScheduledTask; every error went to stderr.
    return (0 if unregistered else 1), b"".join(output), (clixml_error("\n".join(errors)) if errors else b"")
