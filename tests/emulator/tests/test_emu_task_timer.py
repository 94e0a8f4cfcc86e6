"""The armed task's timer: it fires on its own, restores the store, and outlives what armed it; the rollback script."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import time

import pytest
from emu_support import ROLLBACK, STUB_COMMAND, assert_clixml, bootstrap_results, encode_command, encode_request
from emu_task_support import RESTORE_FILE, arm_request, disarm_request, parse_round_trip, stub_run, wait_for_runs
from emu_winrm_support import NtlmConnection, create_request, protocol

from netsh_emulator import run_powershell, scheduled_tasks, task_history

pytestmark = pytest.mark.slow
EXPORT = f"exportpolicy file={RESTORE_FILE}"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """``C:\\Windows\\Temp\\...`` is a file of the process's current directory, for the netsh and the timer alike."""
    monkeypatch.chdir(tmp_path)


def _lockdown_store(emu) -> str:
    """A store with an assigned policy A (one rule), exported to RESTORE_FILE; returns ``show all``."""
    emu.ok("add filterlist name=Mgmt")
    emu.ok("add filter filterlist=Mgmt srcaddr=192.0.2.10 dstaddr=me protocol=TCP dstport=5985")
    emu.ok("add filteraction name=Permit action=permit")
    emu.ok("add policy name=A")
    emu.ok("add rule name=WinRM policy=A filterlist=Mgmt filteraction=Permit")
    emu.ok("set policy name=A assign=yes")
    emu.ok(EXPORT)
    return emu.ok("show all")


def _change_store(emu) -> None:
    emu.ok("delete all")
    emu.ok("add policy name=B")
    emu.ok("set policy name=B assign=yes")


def _policies(emu) -> str:
    return emu("show policy all").out


def _assert_fired_on_time(run: dict) -> None:
    late = (parse_round_trip(run["fired"]) - parse_round_trip(run["at"])).total_seconds()
    assert 0 <= late < 0.5, run


def test_the_timer_restores_the_exported_store(emu, tmp_path):
    before = _lockdown_store(emu)
    answer = stub_run(emu.env, arm_request(seconds=2))
    _change_store(emu)
    assert "Policy Name            : B" in _policies(emu) and len(scheduled_tasks(emu.state)) == 1
    time.sleep(1)
    assert task_history(emu.state) == []  # not before its time
    (run,) = wait_for_runs(emu.state, 1)
    assert (run["name"], run["at"], run["rc"], run["stderr"]) == ("lockdown-ipsec-rollback", answer["armed"]["at"], 0, "")
    _assert_fired_on_time(run)
    assert emu.ok("show all") == before
    assert scheduled_tasks(emu.state) == [] and not (tmp_path / RESTORE_FILE).exists()  # unregistered itself, export deleted


def test_the_timer_outlives_the_powershell_process(emu, subprocess_env, tmp_path):
    before = _lockdown_store(emu)
    proc = subprocess.run(["/bin/sh", "-c", STUB_COMMAND], input=encode_request(arm_request(seconds=2)), env=subprocess_env,
                          capture_output=True, timeout=60, check=False, cwd=tmp_path)
    assert proc.returncode == 0 and "at" in bootstrap_results(proc.stdout)["armed"], proc.stderr
    _change_store(emu)
    (run,) = wait_for_runs(emu.state, 1)
    _assert_fired_on_time(run)
    assert emu.ok("show all") == before and scheduled_tasks(emu.state) == []


def _winrm_round_trip(host, request: dict) -> dict:
    """One round trip over a new WinRM connection (a new pywinrm Protocol)."""
    proto = protocol(host, "ntlm")
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, STUB_COMMAND, console_mode_stdin=False)
    proto.send_command_input(shell_id, command_id, encode_request(request), end=True)
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    proto.close_shell(shell_id)
    assert (rc, stderr) == (0, b""), stderr
    return bootstrap_results(stdout)


@pytest.mark.parametrize("end", ["stop", "kill"])
def test_the_timer_fires_after_the_winrm_host_is_gone(winrm_hosts, emu, end):
    host = winrm_hosts(enforce=False, env={"NETSH_EMU_NOW": emu.env["NETSH_EMU_NOW"], "NETSH_EMU_GUID_MODE": "sequential"})
    emu.state = host.state_file
    emu.env["NETSH_EMU_STATE"] = str(host.state_file)
    before = _lockdown_store(emu)
    answer = _winrm_round_trip(host, arm_request(seconds=2, commands=["ipsec static delete all", "ipsec static add policy name=B"]))
    assert [result["rc"] for result in answer["results"]] == [0, 0] and "Policy Name            : B" in _policies(emu)
    assert [task["name"] for task in host.scheduled_tasks()] == ["lockdown-ipsec-rollback"]
    getattr(host, end)()
    (run,) = wait_for_runs(host.env, 1)
    _assert_fired_on_time(run)
    assert emu.ok("show all") == before and host.scheduled_tasks() == [] and host.task_history() == [run]


def test_a_confirmation_over_a_new_connection_disarms(winrm_hosts, emu, tmp_path):
    host = winrm_hosts(enforce=False, env={"NETSH_EMU_NOW": emu.env["NETSH_EMU_NOW"], "NETSH_EMU_GUID_MODE": "sequential"})
    emu.state = host.state_file
    emu.env["NETSH_EMU_STATE"] = str(host.state_file)
    _lockdown_store(emu)
    _winrm_round_trip(host, arm_request(seconds=2, commands=["ipsec static add policy name=B"]))
    armed_on = host.connections
    answer = _winrm_round_trip(host, disarm_request())
    assert host.connections == armed_on + 1
    assert answer["disarmed"] == {"task": "lockdown-ipsec-rollback", "found": True} and not (tmp_path / RESTORE_FILE).exists()
    time.sleep(3)
    assert host.task_history() == [] and "Policy Name            : B" in _policies(emu)


def test_a_disarmed_task_never_fires(emu, tmp_path):
    _lockdown_store(emu)
    stub_run(emu.env, arm_request(seconds=1))
    _change_store(emu)
    assert stub_run(emu.env, disarm_request())["disarmed"]["found"] is True
    time.sleep(2.5)
    assert task_history(emu.state) == [] and "Policy Name            : B" in _policies(emu)


def test_a_rollback_without_its_file_changes_nothing(emu, tmp_path):
    _lockdown_store(emu)
    (tmp_path / RESTORE_FILE).unlink()  # the write batch's export failed
    stub_run(emu.env, arm_request(seconds=1))
    _change_store(emu)
    (run,) = wait_for_runs(emu.state, 1)
    assert run["rc"] == 0 and "Policy Name            : B" in _policies(emu) and scheduled_tasks(emu.state) == []


def test_a_rearmed_task_fires_once_at_its_new_time(emu):
    _lockdown_store(emu)
    stub_run(emu.env, arm_request(seconds=1))
    answer = stub_run(emu.env, {**disarm_request(), "arm": arm_request(seconds=2)["arm"]})
    (run,) = wait_for_runs(emu.state, 1)
    assert run["at"] == answer["armed"]["at"]
    time.sleep(0.5)
    assert len(task_history(emu.state)) == 1


def _rollback_argv(script: str) -> list[str]:
    return ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encode_command(script)]


def _payload(task: str, path: str, commands: list[str]) -> str:
    return "$w='" + base64.b64encode(json.dumps({"task": task, "file": path, "commands": commands}).encode()).decode() + "'\n"


def test_the_rollback_script_run_directly(emu, tmp_path):
    (tmp_path / "x.ipsec").write_bytes(b"not an export")
    commands = ["ipsec static add policy name=R1", "ipsec static importpolicy file=x.ipsec", "ipsec static add policy name=R2"]
    rc, out, err = run_powershell(_rollback_argv(_payload("none", "x.ipsec", commands) + ROLLBACK), b"", emu.env)
    assert rc == 1 and b"ERR IPsec[05909]" in out  # each command ran, failures did not stop it
    assert "No MSFT_ScheduledTask objects found with property 'TaskName' equal to 'none'." in err.decode()
    assert "R1" in _policies(emu) and "R2" in _policies(emu) and not (tmp_path / "x.ipsec").exists()


@pytest.mark.parametrize("script", [
    _payload("t", "f", []) + ROLLBACK.replace("Delete", "delete", 1),
    _payload("t", "f", []) + ROLLBACK + "\n",
    _payload("t", "f", []) + "\n" + ROLLBACK,
    _payload("t", "f", []).replace("\n", "\r\n") + ROLLBACK,
    "$w='x'\n" + ROLLBACK,
    "$w='" + base64.b64encode(b'{"task": "t", "file": "f"}').decode() + "'\n" + ROLLBACK,
    ROLLBACK,
])
def test_anything_but_the_pinned_rollback_is_refused(emu, tmp_path, script):
    (tmp_path / "f").write_bytes(b"")
    assert_clixml(*run_powershell(_rollback_argv(script), b"", emu.env), "")
    assert (tmp_path / "f").exists()


def test_connections_count_tcp_connections_not_requests(winrm_host):
    assert winrm_host.connections == 0
    first = NtlmConnection(winrm_host)
    try:
        first.handshake()
        for dummy in range(3):
            assert first.post_sealed(create_request())[0] == 200
        assert winrm_host.connections == 1 and winrm_host.operations["http"] == 5
    finally:
        first.close()
    second = NtlmConnection(winrm_host)
    try:
        second.handshake()
        assert winrm_host.connections == 2
    finally:
        second.close()


def test_the_at_time_is_utc_round_trip_format(emu):
    answer = stub_run(emu.env, arm_request(seconds=3600))
    at = parse_round_trip(answer["armed"]["at"])
    assert abs((at - dt.datetime.now(dt.timezone.utc)).total_seconds() - 3600) < 5
    assert stub_run(emu.env, disarm_request())["disarmed"]["found"] is True  # and its timer ends
