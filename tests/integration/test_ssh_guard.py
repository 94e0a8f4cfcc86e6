"""The role's guard over SSH (``LOCKDOWN_TEST_CONNECTION=ssh-cmd`` or ``ssh-powershell``): the port it protects is
the one sshd listens on, as ansible-core's ``ssh`` connection resolves it, and the emulated host enforces its policy
on every session (tests/emulator/emulated_ssh, judged with the emulator's own evaluator, independent of the guard).

The end-to-end lockout suite's SSH cases (tests/unit/plugins/plugin_utils/test_lockout_suite.py, ports 22 and
2222) run here too: the case's store and role are applied with the guard bypassed, and every packet the guard judged
on the connection's port becomes a real ssh session from that packet's source as the host sees it, which must be
answered exactly when the guard called the packet safe (lockout_replay.py; test_lockout_end_to_end.py does the same
over WinRM and PSRP).
"""

from __future__ import annotations

import subprocess

import pytest
from emulated_winrm import EmulatedNetwork

from conftest import EmulatedHost
from ipsec_support import task
from lockout_replay import APPLY, CASES, ROLE, apply_case, compare_answers
from packet_check import assert_packets, inbound, read_config

POLICY = "LD - Packet Filter"
WEB = {"packet_filter_server_services": ["http", "https"]}
SSH_PORTS = (22, 2222)  # the suite's ssh connections (ansible_port unset, and ansible_port: 2222)
HOST_ADDRESSES = ("192.0.2.20", "2001:db8::20")
# Seconds a reachable host has to answer a new ssh session (key exchange, authentication, one netsh command) on a
# machine busy with the rest of the test command; a dropped one costs this long.
ANSWER_WITHIN = 8
END_TO_END = [case for case in CASES if case.connection_port in SSH_PORTS and case.variable is None and case.bug is None]


@pytest.fixture(autouse=True)
def enforced(host):
    """Every session of these tests is judged under the host's assigned policy (the emulated host drops what it
    blocks, as Windows would)."""
    host.ssh.enforce = True


def role(host, variables: dict, **kwargs):
    variables = {"packet_filter_backup_path": str(host.workdir / "pf-backup.ipsec"), **variables}
    return host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], vars=variables, **kwargs)


def answers(host: EmulatedHost, source: str = "192.0.2.10", destination: str = "me") -> bool:
    """Whether a new ssh session from ``source`` (as the host sees it) to ``destination`` gets an answer."""
    addresses = HOST_ADDRESSES if destination == "me" else (destination, *HOST_ADDRESSES)
    host.ssh.set_network(EmulatedNetwork(source, addresses, None))
    command = ["ssh", *host.ssh.ssh_options(), "-i", str(host.ssh.key_file), "-p", str(host.management_port), f"{host.ssh.user}@127.0.0.1",
               "netsh ipsec static show store"]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=ANSWER_WITHIN, check=False)
    except subprocess.TimeoutExpired:
        return False
    assert done.returncode == 0 and b"Local Store" in done.stdout, done
    return True


def test_the_role_permits_the_ssh_port_and_the_host_keeps_answering(host):
    played = role(host, WEB)
    assert played.rc == 0, played.stdout + played.stderr
    applied = played.task(APPLY)
    # ansible_port, as the ssh connection plugin resolved it: the port sshd listens on.
    assert applied["management_port"] == host.management_port
    assert applied["guard"] and all(verdict["safe"] for verdict in applied["guard"]), applied["guard"]
    config = read_config(host)
    assert config["assigned"] == POLICY
    assert_packets(config, POLICY, permitted=[inbound(host.management_port), inbound(80), inbound(443)], blocked=[inbound(3389), inbound(5985)])
    # Under the assigned policy the next run's sessions are judged, and get through: nothing changes, one round trip.
    again = role(host, WEB)
    assert again.rc == 0, again.stdout + again.stderr
    assert again.round_trips == 1 and again.task(APPLY)["changed"] is False
    assert host.ssh.dropped == []
    last = host.ssh.sessions[-1]
    assert last["delivered"] and f'policy "{POLICY}"' in last["reason"] and "(permit)" in last["reason"], last


def test_the_guard_refuses_to_block_the_ssh_port(host):
    assert role(host, WEB).rc == 0
    snapshot, trips = host.store_bytes(), host.round_trips()
    # The management permit on 5985 (WinRM) only: the SSH port the play runs over would fall to the default deny.
    refused = role(host, {**WEB, "packet_filter_management_port": 5985})
    assert refused.rc != 0
    assert refused.status(APPLY) == "failed"
    message = refused.task(APPLY)["msg"]
    assert f"TCP 203.0.113.1:49152 -> me:{host.management_port}" in message and "gets action 'block'" in message, message
    assert "Nothing was changed on the host" in message
    assert host.round_trips() == trips + 1 and host.store_bytes() == snapshot
    assert answers(host)


def test_the_guard_protects_the_port_given_as_ansible_ssh_port(host):
    # ansible_ssh_port instead of ansible_port: the ssh connection plugin's port is the real one.
    inventory = host.inventory.read_text(encoding="utf-8")
    host.inventory.write_text(inventory.replace("ansible_port=", "ansible_ssh_port="), encoding="utf-8")
    assert "ansible_ssh_port=" in host.inventory.read_text(encoding="utf-8")
    refused = role(host, {**WEB, "packet_filter_management_port": 5985})
    assert refused.rc != 0
    assert f"me:{host.management_port} gets action 'block'" in refused.task(APPLY)["msg"]
    played = role(host, WEB)
    assert played.rc == 0, played.stdout + played.stderr
    assert played.task(APPLY)["management_port"] == host.management_port


def test_a_lockout_forced_past_the_guard_drops_every_later_session(host):
    forced = role(host, {**WEB, "packet_filter_management_port": 5985, "packet_filter_allow_lockout": True, "packet_filter_backup": False})
    assert forced.rc == 0, forced.stdout + forced.stderr
    assert forced.task(APPLY)["changed"] is True and not all(verdict["safe"] for verdict in forced.task(APPLY)["guard"])
    # The next task's session gets no answer; ansible gives up when the task's timeout ends.
    locked = host.play([{**task("ipsec_info", {}, "read"), "timeout": 5}], interrupted=True)
    assert locked.rc != 0 and locked.status("read") == "failed", locked.stdout
    assert "timed out" in locked.task("read")["msg"].lower(), locked.task("read")
    assert not answers(host)
    assert [record["port"] for record in host.ssh.dropped] == [host.management_port] * 2
    assert all('filter list "LD - All Inbound Traffic"' in record["reason"] for record in host.ssh.dropped), host.ssh.dropped
    # On the host itself (not over the network) the policy is unassigned: the controller gets in again.
    host.netsh("ipsec", "static", "set", "policy", f"name={POLICY}", "assign=no")
    assert answers(host)
    assert read_config(host)["assigned"] == ""


@pytest.mark.parametrize("case", END_TO_END, ids=[case.name for case in END_TO_END])
def test_the_host_answers_exactly_the_packets_the_guard_calls_safe(host, case):
    host.ssh.enforce = False
    verdicts = apply_case(host, case)
    host.ssh.enforce = True
    compared = compare_answers(case, verdicts, host.management_port, lambda source, destination: answers(host, source, destination))
    assert compared, f"no packet of the guard was on the connection's port {host.management_port}: {verdicts}"
