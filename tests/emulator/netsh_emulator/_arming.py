"""The batch script's ``disarm`` and ``arm`` steps (lockdown-ipsec-batch-v5): the commit-confirmed scheduled task.

Contract::

    parse_disarm(request) -> Disarm | None        # ScriptRejected for a malformed "disarm"
    parse_arm(request) -> Arm | None              # ScriptRejected for a malformed "arm"
    rollback_text(batch_script) -> str            # the rollback script the batch script carries (base64 literal)
    disarm(request, env) -> dict                  # the answer's "disarmed"
    arm(request, rollback, env) -> (dict, bool)   # the answer's "armed", and whether arming failed ($z)

Shapes (emulator strictness, as for the request's other fields; null or missing means "not asked"):
``disarm`` is exactly ``{"task": str, "file": str}``, ``arm`` exactly ``{"task": str, "seconds": int > 0,
"file": str, "commands": [str, ...]}``; anything else (unknown or missing keys, other types, ``true`` as seconds)
is a terminating error. PowerShell would test any value's truth and let ``AddSeconds`` take a fraction or 0.

Disarm: without the ScheduledTasks cmdlets (``NETSH_EMU_NO_SCHEDULED_TASKS=1``) ``Get-ScheduledTask`` throws
PowerShell's "is not recognized" error (``-ErrorAction SilentlyContinue`` does not cover a command that does not
exist), so ``{"task", "found": false, "error"}`` and the file stays. Otherwise the task, if registered, is
unregistered (``found``: true) and the file is deleted if ``[IO.File]::Exists`` says it is there; a failed delete
is ``error`` (``Exception calling "Delete" ...``).

Arm: the trigger is now (the real UTC clock; ``NETSH_EMU_NOW`` only fixes netsh's dates) + ``seconds``; the action
is ``<SystemRoot>\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`` (``SystemRoot`` from the environment, else
``C:\\Windows``) with ``-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <b64>``, ``<b64>``
being base64 of the UTF-16-LE text ``$w='<base64 of the ConvertTo-Json -Compress of {task, file, commands}>'`` + LF
+ the rollback script. Answer ``{"task", "at"}`` (``at`` in .NET's round-trip format, UTC). Failures, answered
``{"task", "error"}`` with no command run afterwards: no ScheduledTasks cmdlets -- PowerShell evaluates a command's
parenthesised arguments before it looks the command up, so the first missing one met is
``New-ScheduledTaskAction`` (emulator choice, A-147) -- and a task of that name already registered
(``_scheduled_tasks.TASK_EXISTS_MESSAGE``, A-148).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
from dataclasses import asdict, dataclass
from typing import Mapping

from ._clixml import ScriptRejected
from ._open_read import delete_error, file_exists
from ._ps_json import ps_json
from ._rollback import ROLLBACK_SHA256
from ._scheduled_tasks import (TaskExists, find_task, not_recognized, register_task, round_trip_utc, scheduled_tasks_available,
                               unregister_task)
from ._task_timer import POWERSHELL_TAIL, system_root

ACTION_ARGUMENT = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "
_ROLLBACK_LITERAL = re.compile(r"FromBase64String\('([A-Za-z0-9+/=]+)'\)")


@dataclass(frozen=True)
class Disarm:
    task: str
    file: str


@dataclass(frozen=True)
class Arm:
    task: str
    seconds: int
    file: str
    commands: list[str]


def _object(request: dict, key: str, fields: dict) -> dict | None:
    value = request.get(key)
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != set(fields):
        raise ScriptRejected(f"The request's {key} must be an object with exactly the keys {', '.join(fields)}.")
    for name, check in fields.items():
        if not check(value[name]):
            raise ScriptRejected(f"The request's {key}.{name} is malformed: {value[name]!r}.")
    return value


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def parse_disarm(request: dict) -> Disarm | None:
    """The request's ``disarm``, or None when it is missing or null."""
    value = _object(request, "disarm", {"task": _is_str, "file": _is_str})
    return None if value is None else Disarm(value["task"], value["file"])


def parse_arm(request: dict) -> Arm | None:
    """The request's ``arm``, or None when it is missing or null."""
    fields = {"task": _is_str, "seconds": lambda value: isinstance(value, int) and not isinstance(value, bool) and value > 0, "file": _is_str,
              "commands": lambda value: isinstance(value, list) and all(isinstance(item, str) for item in value)}
    value = _object(request, "arm", fields)
    return None if value is None else Arm(value["task"], value["seconds"], value["file"], list(value["commands"]))


def rollback_text(batch_script: str) -> str:
    """The rollback script the (pinned) batch script carries as a base64 literal; checked against its own pin."""
    match = _ROLLBACK_LITERAL.search(batch_script)
    text = base64.b64decode(match.group(1)).decode("utf-8") if match else ""
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != ROLLBACK_SHA256:
        raise ScriptRejected("The batch script does not carry the pinned rollback script (sha256 mismatch).")
    return text


def disarm(request: Disarm, env: Mapping[str, str]) -> dict:
    """The batch's ``$o``; see the module docstring."""
    answer: dict = {"task": request.task, "found": False}
    if not scheduled_tasks_available(env):
        answer["error"] = not_recognized("Get-ScheduledTask")
        return answer
    if find_task(env, request.task) is not None:
        answer["found"] = unregister_task(env, request.task)
    if file_exists(request.file):
        error = delete_error(request.file)
        if error:
            answer["error"] = error
    return answer


def encoded_action(request: Arm, rollback: str) -> str:
    """The ``-EncodedCommand`` value the arm step builds: ``$w='...'`` + LF + the rollback script, UTF-16-LE, base64."""
    payload = ps_json({"task": request.task, "file": request.file, "commands": list(request.commands)})
    text = "$w='" + base64.b64encode(payload.encode("utf-8")).decode("ascii") + "'\n" + rollback
    return base64.b64encode(text.encode("utf-16-le")).decode("ascii")


def arm(request: Arm, rollback: str, env: Mapping[str, str]) -> tuple[dict, bool]:
    """The batch's ``$h`` and ``$z``; see the module docstring."""
    if not scheduled_tasks_available(env):
        return {"task": request.task, "error": not_recognized("New-ScheduledTaskAction")}, True
    at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=request.seconds)
    execute = system_root(env) + POWERSHELL_TAIL
    try:
        register_task(env, request.task, execute, ACTION_ARGUMENT + encoded_action(request, rollback), at, os.getcwd())
    except TaskExists as exc:
        return {"task": request.task, "error": str(exc)}, True
    return {"task": request.task, "at": round_trip_utc(at)}, False


def logged(request: Arm | Disarm | None) -> dict | None:
    """What ``NETSH_EMU_PS_LOG`` records of a step: its fields as JSON (None when not asked)."""
    return None if request is None else asdict(request)
