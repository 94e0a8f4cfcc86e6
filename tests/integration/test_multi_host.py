"""One play, several emulated Windows hosts over WinRM at once: each host has its own store, its own
port (so its own management rule) and its own round trips. Part of the WinRM run of the suite only
(conftest.py collects it when LOCKDOWN_TEST_CONNECTION=winrm): several hosts with separate stores need
WinRM endpoints."""

from __future__ import annotations

import pytest
import yaml

from conftest import EmulatedHost
from emulated_winrm import EmulatedWindowsHost
from ipsec_support import task
from packet_check import assert_packets, inbound

POLICY = "LD - Packet Filter"
HOSTS = 3


@pytest.fixture
def fleet(tmp_path):
    """Three running emulated hosts and a controller-side harness whose inventory lists all of them."""
    # Each host's fake PowerShell logs its batches, so every round trip can be matched to a Command.
    endpoints = [EmulatedWindowsHost(tmp_path / f"win{index}", env={"NETSH_EMU_PS_LOG": str(tmp_path / f"win{index}" / "batches.jsonl")}).start()
                 for index in range(HOSTS)]
    (tmp_path / "controller-side").mkdir()
    controller = EmulatedHost(tmp_path / "controller-side")  # runs ansible-playbook; its own endpoint stays unused
    hosts = {f"win{index}": endpoint.ansible_vars() for index, endpoint in enumerate(endpoints)}
    controller.inventory = controller.workdir / "fleet.yml"
    controller.inventory.write_text(yaml.safe_dump({"windows": {"hosts": hosts}}), encoding="utf-8")
    yield controller, endpoints
    controller.close()
    for endpoint in endpoints:
        endpoint.stop()


def lockdown(controller: EmulatedHost):
    play = {"name": "fleet", "hosts": "windows", "gather_facts": False,
            "vars": {"packet_filter_server_services": ["http", "https"], "packet_filter_backup_path": "{{ backup_dir }}/{{ inventory_hostname }}.ipsec"},
            "roles": [{"role": "lockdown.ipsec.packet_filter"}]}
    playbook = controller.workdir / "fleet-play.yml"
    playbook.write_text(yaml.safe_dump([play]), encoding="utf-8")
    return controller.run_playbook(playbook, extra_vars={"backup_dir": str(controller.workdir)})


def batches(endpoint: EmulatedWindowsHost) -> int:
    """Bootstrap batches the host's fake PowerShell has run."""
    log = endpoint.workdir / "batches.jsonl"
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def read_configs(controller: EmulatedHost) -> dict:
    """Every host's store, read with one ipsec_info play over the fleet: ``{host name: config}``."""
    played = controller.play([task("ipsec_info", {}, "info")])
    assert played.rc == 0, played.stdout
    return {entry["host"]: entry["result"]["config"] for entry in played.tasks if entry["task"] == "info"}


def test_one_play_locks_down_every_host_with_its_own_port(fleet):
    controller, endpoints = fleet
    assert len({endpoint.port for endpoint in endpoints}) == HOSTS
    first = lockdown(controller)
    assert first.rc == 0, first.stdout + first.stderr
    # the read, and the write batch that opens with the backup export; each one WinRM Command
    # carrying one batch
    assert [endpoint.round_trips for endpoint in endpoints] == [2] * HOSTS
    assert [batches(endpoint) for endpoint in endpoints] == [2] * HOSTS
    configs = read_configs(controller)
    assert sorted(configs) == [f"win{index}" for index in range(HOSTS)]
    for index, endpoint in enumerate(endpoints):
        config = configs[f"win{index}"]
        assert config["assigned"] == POLICY
        others = [other.port for other in endpoints if other is not endpoint]
        assert_packets(config, POLICY, permitted=[inbound(80), inbound(443), inbound(endpoint.port)],
                       blocked=[inbound(3389), *(inbound(port) for port in others)])
        assert endpoint.open_shells == 0

    second = lockdown(controller)
    assert second.rc == 0, second.stdout
    assert [entry["task"] for entry in second.tasks if entry["result"].get("changed")] == []
    assert [endpoint.round_trips for endpoint in endpoints] == [2 + 1 + 1] * HOSTS  # + ipsec_info, + one read each
