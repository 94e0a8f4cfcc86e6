"""A dry run of a whole play: in ``--check`` every task sees the host as the earlier tasks of the same run
would have left it, so ``--check --diff`` reports, task by task, exactly what the real run then
reports, and writes nothing. The prediction stays within its run and its host."""

from __future__ import annotations

import os
import stat
import sys

import pytest
import yaml
from conftest import CONNECTION, EMULATOR_BIN, EmulatedHost
from emulated_winrm import EmulatedWindowsHost
from ipsec_support import task
from test_seed000 import ALL_INBOUND, BLOCK, BLOCK_RULE, MAIL_LIST, MAIL_RULE, MAIL_SERVER, PERMIT, WEB_SERVER, WEB_SERVER_STEPS, packet_filter

REPORTED = ("changed", "commands", "before", "after", "diff")

MAIL_SERVER_STEPS = [
    task("ipsec_filter_action", PERMIT, "Permit action"),
    task("ipsec_filter_action", BLOCK, "Block action"),
    task("ipsec_filter_list", MAIL_LIST, "Inbound/outbound mail list"),
    task("ipsec_filter_list", ALL_INBOUND, "All inbound traffic list"),
    task("ipsec_policy", packet_filter(MAIL_RULE, BLOCK_RULE), "Packet Filter policy"),
    task("ipsec_assign", {"name": "Packet Filter"}, "Assign Packet Filter"),
]
TO_MAIL_STEPS = [
    task("ipsec_filter_list", MAIL_LIST, "Inbound/outbound mail list"),
    task("ipsec_policy", packet_filter(MAIL_RULE, BLOCK_RULE), "Packet Filter policy"),
    task("ipsec_filter_list", {"name": "Inbound web protocols", "state": "absent"}, "Remove the web list"),
    task("ipsec_info", {}, "info"),
]


def reported(played, name: str) -> dict:
    return {key: played.task(name).get(key) for key in REPORTED}


def check_then_apply(host, steps: list[dict]):
    """Run ``steps`` with --check --diff, then for real with --diff; both must succeed, the check run
    must leave the store file as it was, and every task must report the same in both."""
    snapshot = host.store_bytes()
    checked = host.play(steps, check=True, diff=True)
    assert checked.rc == 0, checked.stdout + checked.stderr
    assert host.store_bytes() == snapshot
    applied = host.play(steps, diff=True)
    assert applied.rc == 0, applied.stdout + applied.stderr
    for step in steps:
        assert reported(checked, step["name"]) == reported(applied, step["name"]), step["name"]
    return checked, applied


@pytest.mark.parametrize("steps", [WEB_SERVER_STEPS, MAIL_SERVER_STEPS], ids=["web server", "mail server"])
def test_a_whole_build_checked_on_an_empty_store_is_what_the_real_run_does(host, steps):
    checked, applied = check_then_apply(host, steps)
    assert all(checked.task(step["name"])["changed"] for step in steps)
    # Every check-mode task after the first planned against the prediction: one read in all.
    assert checked.round_trips == 1
    assert applied.round_trips == 2 * len(steps)
    assert checked.task("Packet Filter policy")["before"]["filter_lists"]  # the lists an earlier task predicted


def test_a_change_of_role_on_the_converged_host_is_checked_exactly(host):
    check_then_apply(host, WEB_SERVER_STEPS)
    checked, applied = check_then_apply(host, TO_MAIL_STEPS)
    assert checked.task("info")["predicted"] is True and "predicted" not in applied.task("info")
    assert checked.task("info")["config"] == applied.task("info")["config"]
    assert [item["name"] for item in applied.task("info")["config"]["filter_lists"]] == ["All inbound traffic", "Inbound/outbound mail"]


def test_every_converging_state_of_ipsec_config_and_a_backup_carry_the_prediction(host):
    web_list = {"filter_lists": [{"name": "Inbound web protocols"}]}
    fewer_mail_ports = dict(MAIL_LIST, filters=MAIL_LIST["filters"][:1])
    steps = [
        task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "merged"),
        task("ipsec_backup", {"path": str(host.workdir / "web.ipsec")}, "export"),
        task("ipsec_config", {"state": "replaced", "config": MAIL_SERVER}, "replaced"),
        task("ipsec_config", {"state": "deleted", "config": web_list}, "deleted"),
        task("ipsec_config", {"state": "overridden", "owner_prefix": "Inbound/", "config": {"filter_lists": [fewer_mail_ports]}}, "overridden"),
        task("ipsec_config", {"state": "gathered"}, "gathered"),
    ]
    checked, applied = check_then_apply(host, steps)
    assert checked.task("export")["config"] == applied.task("export")["config"] and checked.task("export")["commands"]
    assert checked.task("gathered")["gathered"] == applied.task("gathered")["gathered"] and checked.task("gathered")["predicted"] is True
    assert [item["name"] for item in applied.task("gathered")["gathered"]["filter_lists"]] == ["All inbound traffic", "Inbound/outbound mail"]
    assert checked.round_trips == 1


def test_the_role_and_the_object_modules_in_one_play_are_checked_exactly(host):
    role = {"name": "lockdown", "ansible.builtin.include_role": {"name": "lockdown.ipsec.packet_filter"},
            "vars": {"packet_filter_server_services": ["http"], "packet_filter_backup": False}}
    extra = task("ipsec_filter_list", {"name": "LD - Extra", "filters": [{"protocol": "udp", "destination_port": 514}]}, "extra list")
    info = task("ipsec_info", {}, "info")
    snapshot = host.store_bytes()
    checked = host.play([role, extra, info], check=True, diff=True)
    assert checked.rc == 0, checked.stdout
    assert host.store_bytes() == snapshot
    applied = host.play([role, extra, info], diff=True)
    assert applied.rc == 0, applied.stdout
    # The module task after the role plans on top of the role's prediction in the check run, and of
    # the role's real change in the real run.
    assert reported(checked, "extra list") == reported(applied, "extra list")
    assert checked.task("info")["config"] == applied.task("info")["config"]
    role = "lockdown.ipsec.packet_filter : Apply the packet filter policy"
    assert checked.task(role)["after"] == applied.task(role)["after"]
    assert checked.task(role)["commands"] == applied.task(role)["commands"] and applied.task(role)["changed"]
    assert checked.round_trips == 1


def test_a_native_restore_ends_the_prediction_and_later_tasks_read_the_host(host):
    path = str(host.workdir / "empty.ipsec")
    host.play([task("ipsec_backup", {"path": path}, "export")])  # of the empty store
    steps = [WEB_SERVER_STEPS[0], task("ipsec_backup", {"path": path, "state": "restored"}, "restore"), task("ipsec_info", {}, "info")]
    checked = host.play(steps, check=True)
    assert checked.rc == 0, checked.stdout
    assert "later tasks of this check run read the host again" in checked.task("restore")["warnings"][0]
    assert "predicted" not in checked.task("info") and checked.task("info")["config"]["filter_actions"] == []
    assert checked.round_trips == 3  # the first task's read, the restore's read, the info task's read


def test_a_later_run_never_sees_a_prediction_even_through_a_fact_cache(host):
    cache = host.workdir / "fact-cache"
    host.env.update(ANSIBLE_CACHE_PLUGIN="jsonfile", ANSIBLE_CACHE_PLUGIN_CONNECTION=str(cache), ANSIBLE_GATHERING="smart")
    first = host.play(WEB_SERVER_STEPS[:4], check=True)
    assert first.rc == 0 and all(first.task(step["name"])["changed"] for step in WEB_SERVER_STEPS[:4])
    second = host.play([dict(WEB_SERVER_STEPS[4], ignore_errors=True), task("ipsec_info", {}, "info")], check=True)
    assert second.status("Packet Filter policy") == "failed"  # its lists exist only in the first run's prediction
    assert "exists neither on the host nor in the desired state" in second.task("Packet Filter policy")["msg"]
    assert "predicted" not in second.task("info") and second.task("info")["config"]["filter_lists"] == []
    assert not [path for path in cache.rglob("*") if path.is_file() and "Inbound web protocols" in path.read_text(encoding="utf-8")]


# --- two hosts in one play -------------------------------------------------------------------------


@pytest.fixture
def two_hosts(tmp_path):
    """A controller harness whose inventory holds two hosts with stores of their own: over WinRM two
    emulated endpoints; over the local connection two shell wrappers that point the emulated netsh at
    a store each (ansible_shell_executable)."""
    (tmp_path / "controller").mkdir()
    controller = EmulatedHost(tmp_path / "controller")  # runs ansible-playbook; its own host stays unused
    inventory, stores, endpoints = {}, {}, []
    for name in ("alpha", "beta"):
        workdir = tmp_path / name
        workdir.mkdir()
        stores[name] = workdir / "netsh-store.json"
        if CONNECTION == "winrm":
            endpoints.append(EmulatedWindowsHost(workdir, enforce=False).start())  # the seed policies lock the controller out
            inventory[name] = endpoints[-1].ansible_vars()
        else:
            wrapper = workdir / "sh"
            wrapper.write_text(f"#!/bin/sh\nNETSH_EMU_STATE='{stores[name]}' NETSH_EMU_PS_LOG='{workdir / 'log'}' exec /bin/sh \"$@\"\n", encoding="utf-8")
            os.chmod(wrapper, stat.S_IRWXU)
            inventory[name] = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "ansible_shell_executable": str(wrapper)}
    controller.inventory = controller.workdir / "two.yml"
    controller.inventory.write_text(yaml.safe_dump({"windows": {"hosts": inventory}}), encoding="utf-8")
    yield controller, stores
    controller.close()
    for endpoint in endpoints:
        endpoint.stop()


def test_each_host_carries_its_own_prediction(two_hosts):
    controller, stores = two_hosts
    assert EMULATOR_BIN.exists()
    alpha_only = {"name": "alpha list", "lockdown.ipsec.ipsec_filter_list": {"name": "Alpha", "filters": [{}]}, "when": "inventory_hostname == 'alpha'"}
    beta_only = {"name": "beta action", "lockdown.ipsec.ipsec_filter_action": {"name": "Beta", "action": "block"}, "when": "inventory_hostname == 'beta'"}
    info = task("ipsec_info", {}, "info")
    checked = controller.play([alpha_only, beta_only, info], check=True)
    assert checked.rc == 0, checked.stdout
    seen = {entry["host"]: entry["result"]["config"] for entry in checked.tasks if entry["task"] == "info"}
    assert [item["name"] for item in seen["alpha"]["filter_lists"]] == ["Alpha"] and seen["alpha"]["filter_actions"] == []
    assert [item["name"] for item in seen["beta"]["filter_actions"]] == ["Beta"] and seen["beta"]["filter_lists"] == []
    assert not any(store.exists() and "Alpha" in store.read_text(encoding="utf-8") for store in stores.values())
