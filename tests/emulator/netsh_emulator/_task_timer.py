"""The timer of one registered task: a detached process that runs the task's action at its trigger time.

Contract::

    start_timer(task_path, task) -> None     # returns at once; the timer runs in a process of its own
    python -m netsh_emulator._task_timer TASK_PATH TOKEN [--detach]

:func:`start_timer` starts this module with ``--detach``; that process starts the timer itself in a new session
(``start_new_session``, stdin/stdout/stderr ``/dev/null``) and exits at once, so the timer belongs to no
process of the caller's: it outlives the fake PowerShell, the WinRM connection and the emulated WinRM host (stopped
or killed) that registered the task, as Windows' Task Scheduler runs a task whatever became of its registrant.

The timer polls its task file every 0.1 s. When the file is gone or holds another registration (``token``), the
task was unregistered (a disarm) and the timer exits without running anything. At the trigger time (``at_epoch``)
it runs the action: in the task's ``cwd``, with the task's captured ``env``, ``execute`` must be
``<SystemRoot>\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`` (case-insensitive) and ``argument`` is split
with the MSVCRT rules and given to the fake PowerShell (``run_powershell``, no stdin), which accepts only the
collection's rollback script there (``_rollback``). The rollback unregisters the task itself. The run is appended to
the task directory's history (``_scheduled_tasks.task_history``). It fires within about 0.1 s of the trigger time,
plus the start of the action (emulator choice, A-149).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

from ._crt import split_c
from ._scheduled_tasks import Task, load_task_file, record_run, round_trip_utc

POLL_SECONDS = 0.1
POWERSHELL_TAIL = "\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def system_root(env) -> str:
    """``$env:SystemRoot`` of the emulated host: the environment's ``SystemRoot`` (any case), else ``C:\\Windows``."""
    return next((value for key, value in env.items() if key.lower() == "systemroot" and value), "C:\\Windows")


def _command(task_path: str, token: str, detach: bool) -> list[str]:
    return [sys.executable, "-m", "netsh_emulator._task_timer", task_path, token, *(["--detach"] if detach else [])]


def _process_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = _PACKAGE_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _spawn(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, close_fds=True, env=_process_env(), cwd=_PACKAGE_PARENT)


def start_timer(task_path: str, task: Task) -> None:
    """Start the detached timer of *task* (stored at *task_path*); returns once it is on its own."""
    _spawn(_command(task_path, task.token, detach=True)).wait()


def _registered(task_path: str, token: str) -> Task | None:
    task = load_task_file(task_path)
    return task if task is not None and task.token == token else None


def run_action(task: Task) -> tuple[int, bytes, bytes]:
    """Run *task*'s action as Task Scheduler would start it; returns the fake PowerShell's outcome."""
    from ._bootstrap_emulation import run_powershell  # pylint: disable=import-outside-toplevel  # only the timer runs actions

    expected = system_root(task.env) + POWERSHELL_TAIL
    if task.execute.casefold() != expected.casefold():
        return 1, b"", f"netsh emulator: the task runs {task.execute!r}, not {expected!r}".encode("utf-8")
    os.chdir(task.cwd)
    return run_powershell(split_c(task.argument), b"", task.env)


def wait_and_fire(task_path: str, token: str) -> int:
    """The timer's life: wait for the trigger time, run the action unless unregistered first; exit status."""
    while True:
        task = _registered(task_path, token)
        if task is None:
            return 0
        remaining = task.at_epoch - time.time()
        if remaining <= 0:
            break
        time.sleep(min(POLL_SECONDS, remaining))
    fired = round_trip_utc(dt.datetime.now(dt.timezone.utc))
    rc, out, err = run_action(task)
    record_run(os.path.dirname(task_path), {"name": task.name, "at": task.at, "fired": fired, "rc": rc,
                                            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")})
    return 0


def main(argv: list[str]) -> int:
    """``TASK_PATH TOKEN [--detach]``: with ``--detach`` start the timer in a new session and return at once."""
    task_path, token = argv[0], argv[1]
    if argv[2:] == ["--detach"]:
        _spawn(_command(task_path, token, detach=False))
        return 0
    return wait_and_fire(task_path, token)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
