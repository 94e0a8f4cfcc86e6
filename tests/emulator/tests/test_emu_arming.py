"""The batch script v5's disarm and arm steps, in process: answers, order, refusals (no timer is waited for here)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from emu_support import BATCH, ROLLBACK, STUB_ARGV, assert_clixml, encode_request
from emu_task_support import (RESTORE_FILE, arm_request, disarm_request, encoded_script, parse_round_trip, restore_commands,
                              stub_run)

from netsh_emulator import run_powershell, scheduled_tasks

TASK = "lockdown-ipsec-rollback"
SHOW = "ipsec static show policy all"
NOT_RECOGNIZED = ("The term '{0}' is not recognized as the name of a cmdlet, function, script file, or operable program. "
                  "Check the spelling of the name, or if a path was included, verify that the path is correct and try again.")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Relative (and C:\\ ...) paths resolve in the test's directory, as .NET resolves them in the process's."""
    monkeypatch.chdir(tmp_path)


def test_v5_is_accepted_and_v4_refused(emu):
    assert stub_run(emu.env, {"commands": [SHOW]})["armed"] is None
    v4 = BATCH.replace("# lockdown-ipsec-batch-v5", "# lockdown-ipsec-batch-v4", 1)
    assert_clixml(*run_powershell(STUB_ARGV, encode_request({"commands": [SHOW]}, script=v4), emu.env), "lockdown-ipsec-batch-v5")
    changed = BATCH.replace("Register-ScheduledTask", "Register-ScheduledTask ", 1)
    assert_clixml(*run_powershell(STUB_ARGV, encode_request({"commands": [SHOW]}, script=changed), emu.env), "sha256 mismatch")


def test_arm_registers_a_one_time_task(emu):
    before = dt.datetime.now(dt.timezone.utc)
    answer = stub_run(emu.env, arm_request(seconds=600, rollback=restore_commands("A"), commands=["ipsec static add policy name=B"]))
    after = dt.datetime.now(dt.timezone.utc)
    assert answer["armed"]["task"] == TASK and set(answer["armed"]) == {"task", "at"} and answer["disarmed"] is None
    at = parse_round_trip(answer["armed"]["at"])
    assert before + dt.timedelta(seconds=600) <= at <= after + dt.timedelta(seconds=600)
    assert [result["rc"] for result in answer["results"]] == [0]  # the commands ran after arming
    (task,) = scheduled_tasks(emu.state)
    assert (task["name"], task["at"], task["user"]) == (TASK, answer["armed"]["at"], "SYSTEM")
    assert task["execute"] == "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    prefix = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "
    assert task["argument"].startswith(prefix) and " " not in task["argument"][len(prefix):]
    first, rest = encoded_script(task["argument"]).split("\n", 1)
    assert rest == ROLLBACK and first.startswith("$w='") and first.endswith("'")
    assert json.loads(base64.b64decode(first[4:-1])) == {"task": TASK, "file": RESTORE_FILE, "commands": restore_commands("A")}


def test_execute_follows_system_root(emu):
    stub_run({**emu.env, "SystemRoot": "D:\\WINNT"}, arm_request(seconds=600))
    assert scheduled_tasks(emu.env)[0]["execute"] == "D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"


def test_arming_twice_fails_and_runs_nothing(emu, tmp_path):
    (tmp_path / "kept.txt").write_bytes(b"x")
    first = stub_run(emu.env, arm_request(seconds=600))
    emu.ok("add policy name=Before")
    second = stub_run(emu.env, arm_request(seconds=900, rollback=[], registry=True, read_back=["kept.txt"],
                                           commands=["ipsec static delete all"]))
    assert second["armed"] == {"task": TASK, "error": "Cannot create a file when that file already exists."}
    assert second["results"] == [] and second["read_back"] == []
    assert second["registry"] is not None and second["registry"]["local"] is not None  # the registry is still read
    assert "Before" in emu.ok("show policy all")
    assert [task["at"] for task in scheduled_tasks(emu.state)] == [first["armed"]["at"]]  # the first stays
    other_case = stub_run(emu.env, arm_request(task=TASK.upper(), seconds=600))
    assert "error" in other_case["armed"]  # task names are case-insensitive


def test_disarm_found_and_file_deleted(emu, tmp_path):
    stub_run(emu.env, arm_request(seconds=600))
    (tmp_path / RESTORE_FILE).write_bytes(b"export")
    answer = stub_run(emu.env, disarm_request())
    assert answer["disarmed"] == {"task": TASK, "found": True} and answer["armed"] is None
    assert scheduled_tasks(emu.state) == [] and not (tmp_path / RESTORE_FILE).exists()


def test_disarm_not_found(emu, tmp_path):
    assert stub_run(emu.env, disarm_request())["disarmed"] == {"task": TASK, "found": False}
    (tmp_path / RESTORE_FILE).write_bytes(b"export")
    assert stub_run(emu.env, disarm_request())["disarmed"] == {"task": TASK, "found": False}
    assert not (tmp_path / RESTORE_FILE).exists()  # deleted all the same


def test_disarm_then_arm_in_one_round_trip(emu):
    stub_run(emu.env, arm_request(seconds=600))
    answer = stub_run(emu.env, {**disarm_request(), "arm": arm_request(seconds=700)["arm"]})
    assert answer["disarmed"]["found"] is True and "at" in answer["armed"]  # disarm runs first, so the name is free
    assert len(scheduled_tasks(emu.state)) == 1


def test_a_failed_file_skips_disarm_and_arm(emu):
    stub_run(emu.env, arm_request(seconds=600))
    answer = stub_run(emu.env, {**disarm_request(), "files": ["missing.ipsec"]})
    assert answer["disarmed"] is None and answer["files"][0]["path"] == "missing.ipsec"
    answer = stub_run(emu.env, arm_request(task="other", files=["missing.ipsec"]))
    assert answer["armed"] is None and [task["name"] for task in scheduled_tasks(emu.state)] == [TASK]


def test_without_the_scheduled_tasks_module(emu, tmp_path):
    env = {**emu.env, "NETSH_EMU_NO_SCHEDULED_TASKS": "1"}
    answer = stub_run(env, arm_request(registry=True, commands=["ipsec static add policy name=Never"]))
    assert answer["armed"] == {"task": TASK, "error": NOT_RECOGNIZED.format("New-ScheduledTaskAction")}
    assert answer["results"] == [] and answer["registry"] is not None and "Never" not in emu("show policy all").out
    (tmp_path / RESTORE_FILE).write_bytes(b"export")
    answer = stub_run(env, disarm_request())
    assert answer["disarmed"] == {"task": TASK, "found": False, "error": NOT_RECOGNIZED.format("Get-ScheduledTask")}
    assert (tmp_path / RESTORE_FILE).exists() and scheduled_tasks(emu.state) == []
    assert_clixml(*run_powershell(STUB_ARGV, encode_request(arm_request()), {**emu.env, "NETSH_EMU_NO_SCHEDULED_TASKS": "yes"}),
                  "NETSH_EMU_NO_SCHEDULED_TASKS")


@pytest.mark.parametrize("step", [
    {"arm": {"task": TASK, "seconds": 2, "file": "f"}},
    {"arm": {"task": TASK, "seconds": 2, "file": "f", "commands": [], "extra": 1}},
    {"arm": {"task": TASK, "seconds": 0, "file": "f", "commands": []}},
    {"arm": {"task": TASK, "seconds": -5, "file": "f", "commands": []}},
    {"arm": {"task": TASK, "seconds": 2.5, "file": "f", "commands": []}},
    {"arm": {"task": TASK, "seconds": True, "file": "f", "commands": []}},
    {"arm": {"task": TASK, "seconds": "2", "file": "f", "commands": []}},
    {"arm": {"task": 1, "seconds": 2, "file": "f", "commands": []}},
    {"arm": {"task": TASK, "seconds": 2, "file": None, "commands": []}},
    {"arm": {"task": TASK, "seconds": 2, "file": "f", "commands": "ipsec static delete all"}},
    {"arm": {"task": TASK, "seconds": 2, "file": "f", "commands": [1]}},
    {"arm": []}, {"arm": "x"}, {"arm": {}},
    {"disarm": {"task": TASK}}, {"disarm": {"task": TASK, "file": "f", "seconds": 1}}, {"disarm": {"task": None, "file": "f"}},
    {"disarm": {"task": TASK, "file": 3}}, {"disarm": True}, {"disarm": {}},
])
def test_malformed_steps_are_refused(emu, step):
    request = {"commands": ["ipsec static add policy name=Never"], **step}
    assert_clixml(*run_powershell(STUB_ARGV, encode_request(request), emu.env), "The request's")
    assert "Never" not in emu("show policy all").out and scheduled_tasks(emu.state) == []


def test_null_steps_are_not_asked(emu):
    answer = stub_run(emu.env, {"commands": [SHOW], "arm": None, "disarm": None})
    assert answer["armed"] is None and answer["disarmed"] is None and len(answer["results"]) == 1


def test_steps_are_logged(emu, tmp_path):
    log = tmp_path / "round-trips.jsonl"
    stub_run({**emu.env, "NETSH_EMU_PS_LOG": str(log)}, {**disarm_request(), "arm": arm_request(seconds=600)["arm"]})
    logged = json.loads(log.read_text(encoding="utf-8"))
    assert logged["disarm"] == {"task": TASK, "file": RESTORE_FILE}
    assert logged["arm"] == {"task": TASK, "seconds": 600, "file": RESTORE_FILE, "commands": restore_commands("A")}
