"""The emulated host's Task Scheduler, for the one kind of task the collection registers: a one-time trigger.

Contract::

    tasks_directory(env) -> str                      # where the host's tasks live; ConfigError without a store
    scheduled_tasks_available(env) -> bool           # False with NETSH_EMU_NO_SCHEDULED_TASKS=1
    not_recognized(cmdlet) -> str                    # PowerShell's CommandNotFoundException message
    register_task(env, name, execute, argument, at, cwd) -> Task   # TaskExists when the name is taken
    find_task(env, name) -> Task | None
    unregister_task(env, name) -> bool               # False when there was no such task
    scheduled_tasks(state_or_env) -> list[dict]      # public: what a test sees of the host's tasks
    task_history(state_or_env) -> list[dict]         # public: the tasks that fired, oldest first

Where: the directory ``NETSH_EMU_TASKS`` when set, else ``<NETSH_EMU_STATE>.tasks`` next to the store (one per
emulated host). Each task is one JSON file ``<hex of the case-folded name>.json`` written atomically; registering
and unregistering hold an exclusive ``flock`` on ``<directory>.lock``. A task records its name, a registration
``token`` (a new one at every registration: the timer of an older registration of the same name never runs the
newer one), its trigger time ``at`` (UTC, .NET's round-trip format ``o``, e.g. ``2026-12-07T02:10:00.1234567Z``)
and ``at_epoch``, the action (``execute``, ``argument``), ``user`` (``SYSTEM``), the process's current directory
``cwd`` (relative file paths of the action resolve there, as they do for the netsh processes, ``_open_read``) and
the ``NETSH_EMU_*`` settings ``env`` captured at registration (plus ``SystemRoot``), with which it later runs.

Names are compared case-insensitively, as Task Scheduler does (emulator choice: a name differing only in case is
the same task). ``register_task`` starts the task's timer (``_task_timer.start_timer``), a detached process that
outlives the process and the connection that registered the task.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import uuid
from dataclasses import asdict, dataclass
from typing import Iterator, Mapping

from ._locale import ConfigError
from ._state import atomic_write

NO_SCHEDULED_TASKS_KNOB = "NETSH_EMU_NO_SCHEDULED_TASKS"
TASKS_KNOB = "NETSH_EMU_TASKS"
HISTORY_FILE = "history.jsonl"
# Register-ScheduledTask without -Force when the name is taken: the Win32 error ERROR_ALREADY_EXISTS (0x800700B7)
# as the CIM cmdlet reports it (emulator choice, A-148).
TASK_EXISTS_MESSAGE = "Cannot create a file when that file already exists."
_NOT_RECOGNIZED = ("The term '{0}' is not recognized as the name of a cmdlet, function, script file, or operable program. "
                   "Check the spelling of the name, or if a path was included, verify that the path is correct and try again.")


class TaskExists(Exception):
    """Register-ScheduledTask refused the name (its message is :data:`TASK_EXISTS_MESSAGE`)."""


@dataclass(frozen=True)
class Task:
    """One registered task, as stored (see the module docstring)."""

    name: str
    token: str
    at: str
    at_epoch: float
    execute: str
    argument: str
    user: str
    cwd: str
    env: dict


def tasks_directory(env: Mapping[str, str]) -> str:
    """The host's task directory; ConfigError when neither ``NETSH_EMU_TASKS`` nor ``NETSH_EMU_STATE`` is set."""
    if env.get(TASKS_KNOB):
        return os.path.abspath(env[TASKS_KNOB])
    state = env.get("NETSH_EMU_STATE")
    if not state:
        raise ConfigError("NETSH_EMU_STATE is not set (the scheduled tasks live next to the store)")
    return os.path.abspath(state) + ".tasks"


def scheduled_tasks_available(env: Mapping[str, str]) -> bool:
    """Whether the ScheduledTasks cmdlets exist; ``NETSH_EMU_NO_SCHEDULED_TASKS=1`` removes them.

    Any other non-empty value is a ConfigError (a harness mistake)."""
    value = env.get(NO_SCHEDULED_TASKS_KNOB, "")
    if value not in ("", "0", "1"):
        raise ConfigError(f"{NO_SCHEDULED_TASKS_KNOB} must be 1 (or 0, or empty), not {value!r}")
    return value != "1"


def not_recognized(cmdlet: str) -> str:
    """``"$_"`` of the CommandNotFoundException PowerShell 5.1 throws for a command it cannot find."""
    return _NOT_RECOGNIZED.format(cmdlet)


def round_trip_utc(moment: dt.datetime) -> str:
    """A UTC moment as .NET's ``ToString('o')`` writes a UTC DateTime: seven fraction digits and ``Z``."""
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


def captured_env(env: Mapping[str, str]) -> dict:
    """The settings a task keeps for its run: every ``NETSH_EMU_*`` value, ``SystemRoot`` and the task directory."""
    kept = {key: value for key, value in env.items() if key.startswith("NETSH_EMU_") or key.lower() == "systemroot"}
    kept[TASKS_KNOB] = tasks_directory(env)
    return kept


def _key(name: str) -> str:
    return name.casefold().encode("utf-8").hex()


def _task_path(directory: str, name: str) -> str:
    return os.path.join(directory, _key(name) + ".json")


@contextlib.contextmanager
def _locked(directory: str) -> Iterator[None]:
    os.makedirs(directory, exist_ok=True)
    fd = os.open(directory + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _load(path: str) -> Task | None:
    try:
        with open(path, "rb") as handle:
            return Task(**json.loads(handle.read().decode("utf-8")))
    except FileNotFoundError:
        return None


def load_task_file(path: str) -> Task | None:
    """The task stored in *path*, or None when it is gone (for the timer)."""
    return _load(path)


def register_task(env: Mapping[str, str], name: str, execute: str, argument: str, at: dt.datetime, cwd: str) -> Task:
    """``Register-ScheduledTask`` (without ``-Force``) of a one-time trigger at *at*, as SYSTEM; starts its timer.

    Raises :class:`TaskExists` when a task of that name is registered."""
    from ._task_timer import start_timer  # pylint: disable=import-outside-toplevel  # the timer module imports this one

    directory = tasks_directory(env)
    path = _task_path(directory, name)
    with _locked(directory):
        if _load(path) is not None:
            raise TaskExists(TASK_EXISTS_MESSAGE)
        task = Task(name=name, token=uuid.uuid4().hex, at=round_trip_utc(at), at_epoch=at.timestamp(), execute=execute,
                    argument=argument, user="SYSTEM", cwd=cwd, env=captured_env(env))
        atomic_write(path, json.dumps(asdict(task), indent=1).encode("utf-8"))
    start_timer(path, task)
    return task


def find_task(env: Mapping[str, str], name: str) -> Task | None:
    """``Get-ScheduledTask -TaskName name``: the task, or None."""
    return _load(_task_path(tasks_directory(env), name))


def unregister_task(env: Mapping[str, str], name: str) -> bool:
    """``Unregister-ScheduledTask -TaskName name``: True when it was registered (its timer then never fires)."""
    directory = tasks_directory(env)
    with _locked(directory):
        try:
            os.remove(_task_path(directory, name))
        except FileNotFoundError:
            return False
    return True


def record_run(directory: str, entry: dict) -> None:
    """Append one fired task's entry to the directory's history (JSON lines), under the lock."""
    with _locked(directory):
        with open(os.path.join(directory, HISTORY_FILE), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _directory_of(state_or_env: str | os.PathLike | Mapping[str, str]) -> str:
    if isinstance(state_or_env, Mapping):
        return tasks_directory(state_or_env)
    return tasks_directory({"NETSH_EMU_STATE": os.fspath(state_or_env)})


def scheduled_tasks(state_or_env: str | os.PathLike | Mapping[str, str]) -> list[dict]:
    """The host's registered tasks, sorted by trigger time: ``{"name", "at", "execute", "argument", "user"}`` each.

    *state_or_env* is the store's path (``NETSH_EMU_STATE``) or the host's environment (which may name
    ``NETSH_EMU_TASKS``)."""
    directory = _directory_of(state_or_env)
    tasks = []
    with contextlib.suppress(FileNotFoundError):
        for entry in sorted(os.listdir(directory)):
            task = _load(os.path.join(directory, entry)) if entry.endswith(".json") else None
            if task is not None:
                tasks.append({"name": task.name, "at": task.at, "execute": task.execute, "argument": task.argument,
                              "user": task.user})
    return sorted(tasks, key=lambda item: item["at"])


def task_history(state_or_env: str | os.PathLike | Mapping[str, str]) -> list[dict]:
    """The runs of the host's tasks, oldest first: ``{"name", "at", "fired", "rc", "stdout", "stderr"}`` each
    (``fired`` in the format of ``at``; ``stdout`` and ``stderr`` text of the action, for a test's failure message)."""
    try:
        with open(os.path.join(_directory_of(state_or_env), HISTORY_FILE), encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []


def cancel_scheduled_tasks(state_or_env: str | os.PathLike | Mapping[str, str]) -> list[str]:
    """Unregister every task of the host (a test's clean-up); returns their names. Their timers end within 0.2 s."""
    directory = _directory_of(state_or_env)
    names = [task["name"] for task in scheduled_tasks(state_or_env)]
    for name in names:
        unregister_task({TASKS_KNOB: directory}, name)
    return names
