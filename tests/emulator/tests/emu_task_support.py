"""Helpers for the tests of the batch script's arm / disarm steps and of the emulated Task Scheduler.

``stub_run(env, request)`` runs one round trip in process (the fake PowerShell with the pinned stub and batch
script) and returns the answer; ``arm_request`` / ``disarm_request`` build the steps as the collection sends them;
``wait_for_runs`` waits until the host's task history holds a number of runs; ``encoded_script`` decodes the
``-EncodedCommand`` of a task's action.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from typing import Mapping

from emu_support import STUB_ARGV, bootstrap_results, encode_request

from netsh_emulator import run_powershell, task_history

RESTORE_FILE = "C:\\Windows\\Temp\\lockdown-ipsec-rollback.ipsec"


def stub_run(env: Mapping[str, str], request: dict) -> dict:
    """One round trip: the request after the pinned batch script; asserts rc 0 and returns the answer document."""
    rc, out, err = run_powershell(STUB_ARGV, encode_request(request), env)
    assert rc == 0 and err == b"", (rc, out, err)
    return bootstrap_results(out)


def restore_commands(policy: str, path: str = RESTORE_FILE) -> list[str]:
    """What the collection arms: delete all, import the export, assign the policy that was assigned."""
    return ["ipsec static delete all", f"ipsec static importpolicy file={path}", f"ipsec static set policy name={policy} assign=yes"]


def arm_request(task: str = "lockdown-ipsec-rollback", seconds: int = 2, path: str = RESTORE_FILE,
                rollback: list[str] | None = None, **request) -> dict:
    """A request with ``arm`` whose commands are *rollback* (default :func:`restore_commands` of ``A``), and whatever
    else is given (commands, read_back, registry, files, disarm)."""
    arm = {"task": task, "seconds": seconds, "file": path, "commands": restore_commands("A", path) if rollback is None else rollback}
    return {"stop_on_error": True, "files": [], "commands": [], "registry": False, **request, "arm": arm}


def disarm_request(task: str = "lockdown-ipsec-rollback", path: str = RESTORE_FILE, **request) -> dict:
    """A confirmation: ``disarm`` alone (or with what else is given)."""
    return {"stop_on_error": True, "files": [], "commands": [], "registry": False, **request, "disarm": {"task": task, "file": path}}


def wait_for_runs(env: Mapping[str, str] | str, count: int, timeout: float = 15.0) -> list[dict]:
    """The task history once it holds *count* runs (AssertionError after *timeout* seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = task_history(env)
        if len(runs) >= count:
            return runs
        time.sleep(0.05)
    raise AssertionError(f"{count} task run(s) expected within {timeout} s, got {task_history(env)}")


def parse_round_trip(text: str) -> dt.datetime:
    """A time .NET's ``ToString('o')`` wrote for a UTC DateTime (seven fraction digits, ``Z``)."""
    assert len(text) == 28 and text.endswith("Z") and text[19] == ".", text
    return dt.datetime.strptime(text[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)


def encoded_script(argument: str) -> str:
    """The script of ``... -EncodedCommand <b64>``: base64 of UTF-16-LE."""
    return base64.b64decode(argument.rsplit(" ", 1)[1]).decode("utf-16-le")
