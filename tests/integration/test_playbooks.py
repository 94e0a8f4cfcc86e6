"""Every playbook of playbooks/, run with ansible-playbook against a fresh emulated host, and the
store it leaves checked with a table of packets that must be permitted and must be blocked."""

from __future__ import annotations

import pytest

from conftest import REPO
from ipsec_support import task
from packet_check import assert_packets, inbound, outbound, read_config, reply_to_client

PLAYBOOKS = REPO / "playbooks"


def run(host, name: str, *, check: bool = False, **extra_vars):
    extra = {"packet_filter_backup_path": str(host.workdir / "pf-backup.ipsec"), **extra_vars}
    played = host.run_playbook(PLAYBOOKS / name, extra_vars=extra, check=check)
    assert played.rc == 0, played.stdout + played.stderr
    return played


def test_web_server(host):
    run(host, "lockdown_web_server.yml")
    config = read_config(host)
    assert config["assigned"] == "LD - Packet Filter"
    assert_packets(config, "LD - Packet Filter",
                   permitted=[inbound(80), inbound(443), inbound(host.management_port)],
                   blocked=[inbound(3389), inbound(445), inbound(53, "udp"), inbound(21)])


def test_mail_server(host):
    run(host, "lockdown_mail_server.yml")
    config = read_config(host)
    assert_packets(config, "LD - Packet Filter",
                   permitted=[*(inbound(port) for port in (110, 995, 143, 993, 25)), inbound(host.management_port),
                              outbound(25), reply_to_client(25)],
                   blocked=[inbound(80), inbound(443), inbound(3389)])


def test_public_server_template(host):
    run(host, "public_server.yml")
    config = read_config(host)
    policy = "APS - AnalogX Public Server"
    assert config["assigned"] == policy
    names = {item["name"] for item in config["filter_lists"]} | {item["name"] for item in config["filter_actions"]}
    assert all(name.startswith("APS - ") for name in names), names
    assert {"APS - All TCP", "APS - All UDP", "APS - All ICMP", "APS - Terminal Services Server", "APS - DNS Client"} <= names
    ping = {"source": "198.51.100.20", "destination": "me", "protocol": "icmp"}
    assert_packets(config, policy,
                   permitted=[inbound(3389), reply_to_client(53, "udp"), reply_to_client(53, "tcp"), outbound(53, "udp"), inbound(host.management_port)],
                   blocked=[inbound(445), inbound(80), inbound(53, "udp"), ping, inbound(137, "udp")])


def test_public_server_with_icmp_and_a_specific_ftp_source(host):
    # Seed 002: "Permitting only a specific IP" (FTP) and turning the ICMP denial off.
    run(host, "public_server.yml", packet_filter_server_services=["rdp", "ftp"], packet_filter_permit_icmp=True,
        packet_filter_service_sources={"ftp": ["203.0.113.7"]})
    config = read_config(host)
    policy = "APS - AnalogX Public Server"
    ping = {"source": "198.51.100.20", "destination": "me", "protocol": "icmp"}
    assert_packets(config, policy,
                   permitted=[inbound(21, source="203.0.113.7"), inbound(20, source="203.0.113.7"), ping],
                   blocked=[inbound(21), inbound(20)])
    assert "APS - All ICMP" not in {item["name"] for item in config["filter_lists"]}


def test_assign_unassign_remove(host):
    run(host, "lockdown_web_server.yml", packet_filter_assign=False)
    assert read_config(host)["assigned"] == ""
    played = run(host, "assign.yml")
    assert played.task("Assign the policy")["changed"] is True
    assert read_config(host)["assigned"] == "LD - Packet Filter"
    played = run(host, "unassign.yml")
    assert played.task("Unassign the policy")["changed"] is True
    assert read_config(host)["assigned"] == ""
    # A list outside the role survives the removal.
    mine = {"name": "Mine", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 8080}]}
    assert host.play([task("ipsec_filter_list", mine, "mine")]).rc == 0
    played = run(host, "remove.yml")
    assert played.task("Remove the policy and what only it uses")["changed"] is True
    config = read_config(host)
    assert config["policies"] == [] and config["filter_actions"] == []
    assert [item["name"] for item in config["filter_lists"]] == ["Mine"]


def test_backup_then_restore(host):
    run(host, "lockdown_web_server.yml")
    original = read_config(host)
    path = str(host.workdir / "store.ipsec")
    played = run(host, "backup.yml", backup_path=path)
    assert played.task("Export the IPsec policy store")["assigned"] == "LD - Packet Filter"
    run(host, "lockdown_mail_server.yml")
    assert read_config(host) != original
    played = run(host, "restore.yml", backup_path=path, assigned="LD - Packet Filter")
    assert played.task("Restore the IPsec policy store")["changed"] is True
    assert read_config(host) == original


def test_structured_backup_then_restore(host):
    run(host, "lockdown_web_server.yml")
    original = read_config(host)
    backup = str(host.workdir / "backups" / "store.yml")
    run(host, "backup.yml", backup_path=str(host.workdir / "store.ipsec"), backup_controller_file=backup)
    run(host, "lockdown_mail_server.yml")
    checked = run(host, "restore.yml", check=True, backup_controller_file=backup)
    assert checked.task("Restore the IPsec policy store")["after"] == original
    assert not [line for line in checked.task("Restore the IPsec policy store")["commands"] if "delete all" in line]
    played = run(host, "restore.yml", backup_controller_file=backup)
    assert played.task("Restore the IPsec policy store")["changed"] is True
    assert read_config(host) == original


def test_backup_fetch(host):
    run(host, "lockdown_web_server.yml")
    fetched = host.workdir / "fetched" / "store.ipsec"
    played = run(host, "backup.yml", backup_path=str(host.workdir / "store.ipsec"), backup_fetch_to=str(fetched))
    exported = played.task("Export the IPsec policy store")
    assert exported["assigned"] == "LD - Packet Filter" and exported["fetched_to"] == str(fetched)
    # Over any connection, in the export's own round trip: the copy is the file the host wrote.
    assert played.round_trips == 1
    assert fetched.read_bytes() == (host.workdir / "store.ipsec").read_bytes() and fetched.stat().st_mode & 0o777 == 0o600
    assert fetched.with_name("store.ipsec.assigned").read_text().strip() == "LD - Packet Filter"


@pytest.mark.parametrize("name", ["lockdown_web_server.yml", "lockdown_mail_server.yml", "public_server.yml"])
def test_role_playbooks_are_idempotent(host, name):
    run(host, name)
    snapshot = host.store_bytes()
    again = run(host, name)
    changed = [(entry["task"], entry["result"].get("commands")) for entry in again.tasks if entry["result"].get("changed")]
    assert changed == []
    assert again.round_trips == 1
    assert host.store_bytes() == snapshot
