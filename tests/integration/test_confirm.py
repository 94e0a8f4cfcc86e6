"""Confirmed changes, end to end: ``confirm`` on ipsec_assign, ipsec_config and the role, against the emulated
host, whose scheduled tasks fire on a real timer (tests/emulator, independent of the collection).

Over every connection: a confirmed change arms, confirms and leaves nothing armed; check mode reports what
would be armed and arms nothing; a change that does not touch the assigned policy arms nothing; a host that
cannot arm changes nothing. Over WinRM, where the emulated host enforces its policy: a policy that cuts the
management channel, forced through the guard, fails the play with the time and the policy of the rollback,
the host stops answering and answers again once the rollback has fired; the confirmation comes over a new
TCP connection.
"""

from __future__ import annotations

import subprocess
import time

import pytest
import requests
import winrm
from conftest import CONNECTION, EMULATOR_BIN, EmulatedHost
from ipsec_support import task
from netsh_emulator import scheduled_tasks

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import Arm, BatchRequest

ROLLBACK_TASK = "lockdown-ipsec-rollback"
ROLE = "lockdown.ipsec.packet_filter"
APPLY = f"{ROLE} : Apply the packet filter policy"


def web_config(port: int, *, name: str = "Web") -> dict:
    """A policy permitting ``port`` and blocking everything else inbound, assigned."""
    return {
        "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
        "filter_lists": [
            {"name": "Allowed", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": port}]},
            {"name": "All inbound", "filters": [{"source": "any", "destination": "me"}]},
        ],
        "policies": [{"name": name, "default_response_rule": {"activate": False}, "rules": [
            {"name": "Allowed", "filter_list": "Allowed", "filter_action": "Permit"},
            {"name": "All inbound", "filter_list": "All inbound", "filter_action": "Block"}]}],
        "assigned": name,
    }


@pytest.fixture(autouse=True)
def host_directory(tmp_path, monkeypatch):
    """The emulated host's working directory, where its ``C:\\Windows\\Temp\\...`` files are (the WinRM endpoint
    runs in this process, the local connection's fake PowerShell inherits it)."""
    monkeypatch.chdir(tmp_path)


def tasks_on(host: EmulatedHost) -> list:
    return scheduled_tasks(str(host.state_file))


def arm_directly(host: EmulatedHost, seconds: int) -> None:
    """Arm a rollback the way a confirmed change does, through the emulated PowerShell, and never confirm it."""
    request = BatchRequest((), stop_on_error=True, arm=Arm(ROLLBACK_TASK, seconds, "C:\\Windows\\Temp\\pending.ipsec", ()))
    argv = request.command_line().split(" ")
    done = subprocess.run([str(EMULATOR_BIN / "PowerShell"), *argv[1:]], input=request.stdin().encode("ascii"), env=host.env,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0 and b"<<LOCKDOWN-IPSEC-RESULT>>" in done.stdout, done


def seed_baseline(host: EmulatedHost) -> None:
    played = host.play([task("ipsec_config", {"state": "replaced", "config": web_config(host.management_port, name="Baseline")}, "seed")])
    assert played.rc == 0, played.stdout + played.stderr


def test_a_confirmed_change_is_armed_then_disarmed_over_a_new_connection_and_leaves_nothing(host):
    seed_baseline(host)
    connections = host.endpoint.connections if host.endpoint else 0
    played = host.play([task("ipsec_config", {"state": "replaced", "config": web_config(host.management_port), "confirm": 30}, "apply")],
                       diff=True)
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("apply")
    rollback = result["rollback"]
    assert result["changed"] and rollback["status"] == "confirmed" and rollback["seconds"] == 30 and rollback["restores"] == "Baseline"
    assert rollback["at"].endswith("Z") and rollback["task"] == ROLLBACK_TASK
    assert "rollback armed for 30 s, confirmed over a new connection" in result["diff"]["after_header"]
    assert played.round_trips == 3, "read, write with the arming, confirmation"
    write, confirmation = host.batches()[-2:]
    assert write["arm"]["seconds"] == 30 and write["commands"][0] == f"ipsec static exportpolicy file={rollback['file']}"
    assert confirmation["disarm"] == {"task": ROLLBACK_TASK, "file": rollback["file"]} and confirmation["commands"] == []
    assert tasks_on(host) == [], "no rollback is left armed"
    assert "Policy Name            : Web" in host.netsh("ipsec", "static", "show", "policy", "name=Web")
    if host.endpoint:
        assert host.endpoint.connections - connections == 2, "the task's connection, then a new one for the confirmation"
    time.sleep(1)
    assert "Assigned               : YES" in host.netsh("ipsec", "static", "show", "policy", "name=Web")


def test_check_mode_reports_the_rollback_it_would_arm_and_arms_nothing(host):
    seed_baseline(host)
    before = host.store_bytes()
    played = host.play([task("ipsec_assign", {"name": "Baseline", "state": "unassigned", "confirm": 20}, "unassign")], check=True, diff=True)
    result = played.task("unassign")
    assert played.rc == 0 and result["changed"] and played.round_trips == 1
    assert result["rollback"] == {"status": "would_arm", "seconds": 20, "at": None, "task": ROLLBACK_TASK,
                                  "file": result["rollback"]["file"], "restores": "Baseline"}
    assert "a rollback would be armed for 20 s" in result["diff"]["after_header"]
    assert host.store_bytes() == before and tasks_on(host) == []


def test_a_change_that_does_not_touch_the_assigned_policy_arms_nothing(host):
    seed_baseline(host)
    spare = {"filter_lists": [{"name": "Spare", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 7}]}]}
    played = host.play([task("ipsec_config", {"state": "merged", "config": spare, "confirm": 20}, "spare")])
    result = played.task("spare")
    assert played.rc == 0 and result["changed"] and "rollback" not in result and played.round_trips == 2
    assert "arm" not in host.batches()[-1]


def test_a_host_that_cannot_arm_changes_nothing(host):
    seed_baseline(host)
    before = host.store_bytes()
    host.env["NETSH_EMU_NO_SCHEDULED_TASKS"] = "1"
    played = host.play([task("ipsec_assign", {"state": "unassigned", "confirm": 20}, "unassign")])
    del host.env["NETSH_EMU_NO_SCHEDULED_TASKS"]
    result = played.task("unassign")
    assert played.status("unassign") == "failed" and not result["changed"]
    assert "the rollback could not be armed on the host, so no change was made" in result["msg"]
    assert "New-ScheduledTaskAction' is not recognized" in result["msg"]
    assert host.store_bytes() == before and played.round_trips == 2


def test_a_pending_rollback_is_never_replaced(host):
    seed_baseline(host)
    arm_directly(host, 120)
    pending = tasks_on(host)
    assert [entry["name"] for entry in pending] == [ROLLBACK_TASK]
    before = host.store_bytes()
    played = host.play([task("ipsec_assign", {"state": "unassigned", "confirm": 60}, "unassign")])
    result = played.task("unassign")
    assert played.status("unassign") == "failed" and not result["changed"]
    assert "no scheduled task 'lockdown-ipsec-rollback' pending from an earlier run" in result["msg"] and "already exists" in result["msg"]
    assert host.store_bytes() == before and tasks_on(host) == pending


@pytest.mark.parametrize("value", [9, 86401, -1])
def test_confirm_out_of_range_is_refused_before_the_first_round_trip(host, value):
    played = host.play([task("ipsec_assign", {"name": "Baseline", "confirm": value}, "assign")])
    assert played.status("assign") == "failed" and played.round_trips == 0
    assert played.task("assign")["msg"] == f"confirm: must be a number of seconds from 10 to 86400 (or unset) (got {value!r})"


# -- over WinRM, where the emulated host drops what its policy blocks ---------------------------------------------

winrm_only = pytest.mark.skipif(CONNECTION != "winrm", reason="only the WinRM endpoint enforces the policy on the controller's connections")
ANSWER_WITHIN = 4


def answers(host: EmulatedHost) -> bool:
    """Whether a new connection gets an answer to ``netsh ipsec static show policy all`` (printed to ``answers.last``)."""
    vars_ = host.endpoint.ansible_vars()
    session = winrm.Session(f"http://127.0.0.1:{host.management_port}/wsman", auth=(vars_["ansible_user"], vars_["ansible_password"]),
                            transport="ntlm", read_timeout_sec=ANSWER_WITHIN, operation_timeout_sec=ANSWER_WITHIN - 2)
    try:
        reply = session.run_cmd("netsh", ["ipsec", "static", "show", "policy", "all"])
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        return False
    answers.last = reply.std_out.decode("cp437")
    return reply.status_code == 0


@winrm_only
def test_a_policy_that_cuts_the_channel_is_rolled_back_by_the_host_itself(host):
    seed_baseline(host)
    host.endpoint.enforce = True
    started = time.monotonic()
    played = host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], interrupted=True, vars={
        "packet_filter_server_services": ["http"], "packet_filter_management_sources": ["198.51.100.7"], "packet_filter_allow_lockout": True,
        "packet_filter_backup": False, "packet_filter_confirm": 15,
        "ansible_winrm_read_timeout_sec": 4, "ansible_winrm_operation_timeout_sec": 2})
    result = played.task(APPLY)
    assert played.status(APPLY) == "failed" and result["changed"], played.stdout
    assert "the new policy cut off the management channel" in result["msg"]
    assert "will restore its previous policy at" in result["msg"] and "with policy 'Baseline' assigned" in result["msg"]
    assert result["rollback"]["status"] == "left_to_fire" and result["rollback"]["restores"] == "Baseline"
    assert [entry["name"] for entry in tasks_on(host)] == [ROLLBACK_TASK]
    assert not answers(host), "the new policy drops the controller's connections"
    while time.monotonic() - started < 15 + 30 and tasks_on(host):
        time.sleep(0.5)
    assert tasks_on(host) == [], "the rollback fired and unregistered itself"
    assert time.monotonic() - started >= 15
    assert answers(host), "the host answers again once its previous policy is back"
    assert "Policy Name            : Baseline" in answers.last and "Assigned               : YES" in answers.last
    assert "LD - Packet Filter" not in answers.last


@winrm_only
def test_the_role_confirms_a_policy_that_keeps_the_channel_open(host):
    host.endpoint.enforce = True
    connections = host.endpoint.connections
    played = host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], vars={
        "packet_filter_server_services": ["http"], "packet_filter_backup": False, "packet_filter_confirm": 20})
    result = played.task(APPLY)
    assert played.rc == 0 and result["rollback"]["status"] == "confirmed" and result["rollback"]["restores"] is None, played.stdout
    assert host.endpoint.connections - connections == 2 and tasks_on(host) == []
    assert not host.endpoint.dropped
    rerun = host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], vars={
        "packet_filter_server_services": ["http"], "packet_filter_backup": False, "packet_filter_confirm": 20})
    assert rerun.rc == 0 and not rerun.task(APPLY)["changed"] and "rollback" not in rerun.task(APPLY) and rerun.round_trips == 1
