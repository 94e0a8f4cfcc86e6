"""The lockdown.ipsec.packet_filter role against the emulated host: the seed 000 web server with its
guard, backup and idempotence, check mode, a refused lockout, a role change and the variables."""

from __future__ import annotations

import json

from conftest import FETCH_NEEDS_POWERSHELL
from ipsec_support import is_read, read_request, task
from packet_check import assert_packets, inbound, read_config

ROLE = "lockdown.ipsec.packet_filter"
POLICY = "LD - Packet Filter"
PREDICT = f"{ROLE} : Predict whether the policy changes"
EXPORT = f"{ROLE} : Export the IPsec policy store before changing it"
FETCH = f"{ROLE} : Fetch the backup to the controller"
APPLY = f"{ROLE} : Apply the packet filter policy"
GUARD = f"{ROLE} : Refuse a policy that would lock out the management channel"
CHECK = f"{ROLE} : Check the requested services"
WEB = {"packet_filter_server_services": ["http", "https"]}
MAIL = {"packet_filter_server_services": ["pop3", "pop3s", "imap", "imaps", "smtp"], "packet_filter_client_services": ["smtp"]}


def role(host, variables: dict, *, check: bool = False, diff: bool = False):
    variables = {"packet_filter_backup_path": str(host.workdir / "pf-backup.ipsec"), **variables}
    return host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], vars=variables, check=check, diff=diff)


def changed_tasks(played) -> list[str]:
    return [entry["task"] for entry in played.tasks if entry["result"].get("changed")]


def test_web_server_guarded_backed_up_applied_and_idempotent(host):
    batches = len(host.batches())
    first = role(host, WEB)
    assert first.rc == 0, first.stdout + first.stderr
    assert first.status(GUARD) == "ok"
    assert changed_tasks(first) == [EXPORT, APPLY]  # the prediction reports a change only in check mode
    # predict (read), export (read + exportpolicy), apply (read, write): four round trips
    new = host.batches()[batches:]
    assert first.round_trips == 4
    assert is_read(new[0])
    assert new[1]["commands"][:-1] == read_request()["commands"] and new[1]["commands"][-1].startswith("ipsec static exportpolicy file=")
    assert new[1]["registry"] is True
    assert is_read(new[2]) and new[3]["stop_on_error"] is True
    assert first.status(FETCH) == "skipped"
    # The backup holds the store as it was (empty), and the result says what was assigned (nothing).
    assert first.task(EXPORT)["assigned"] == ""
    assert json.loads((host.workdir / "pf-backup.ipsec").read_text())["store"]
    assert first.task(APPLY)["commands"][-1] == f'netsh ipsec static set policy "name={POLICY}" assign=yes'

    config = read_config(host)
    assert config["assigned"] == POLICY
    assert sorted(item["name"] for item in config["filter_lists"]) == [
        "LD - All Inbound Traffic", "LD - HTTP Server", "LD - HTTPS Server", "LD - Management"]
    assert sorted(item["name"] for item in config["filter_actions"]) == ["LD - Block", "LD - Permit"]
    policy = config["policies"][0]
    assert policy["name"] == POLICY and policy["default_response_rule"]["activate"] is False
    management = next(item for item in config["filter_lists"] if item["name"] == "LD - Management")
    # The port of the play's connection: the endpoint's port over WinRM, the WinRM HTTP port (5985) locally.
    port = host.management_port
    assert [(f["source"], f["destination"], f["protocol"], f["destination_port"]) for f in management["filters"]] == [("any", "me", "tcp", port)]
    assert_packets(config, POLICY, permitted=[inbound(80), inbound(443), inbound(port)],
                   blocked=[inbound(3389), inbound(445), inbound(22), inbound(161, "udp")])

    snapshot = host.store_bytes()
    again = role(host, WEB)
    assert again.rc == 0, again.stdout
    assert changed_tasks(again) == []
    assert again.round_trips == 1
    assert again.status(APPLY) == "skipped"
    assert host.store_bytes() == snapshot


def test_check_mode_changes_nothing(host):
    role(host, {"packet_filter_server_services": ["smtp"]})
    snapshot = host.store_bytes()
    checked = role(host, WEB, check=True)
    assert checked.rc == 0, checked.stdout
    assert checked.task(PREDICT)["changed"] is True
    assert checked.round_trips == 1
    assert host.store_bytes() == snapshot
    assert checked.status(f"{ROLE} : Back up the IPsec policy store") == "skipped"
    assert checked.status(APPLY) == "skipped"


def test_diff_shows_the_change_once(host):
    role(host, {"packet_filter_server_services": ["smtp"]})
    checked_without_diff = role(host, WEB, check=True)
    assert "+++ after: netsh ipsec static (after)" not in checked_without_diff.stdout
    checked = role(host, WEB, check=True, diff=True)
    assert "diff" in checked.task(PREDICT) and checked.stdout.count("+++ after: netsh ipsec static (after)") == 1
    applied = role(host, WEB, diff=True)
    assert applied.rc == 0, applied.stdout
    assert "diff" not in applied.task(PREDICT) and "diff" in applied.task(APPLY)
    assert applied.stdout.count("+++ after: netsh ipsec static (after)") == 1
    assert '+add filterlist "name=LD - HTTP Server"' in applied.stdout
    assert changed_tasks(applied) == [EXPORT, APPLY]


def test_guard_refuses_a_lockout_before_touching_the_host(host):
    role(host, WEB)
    snapshot, trips = host.store_bytes(), host.round_trips()
    # The play runs over WinRM HTTPS (5986), but the policy would only permit 5985.
    refused = role(host, {**MAIL, "packet_filter_management_port": 5985, "packet_filter_guard_ports": [5986]})
    assert refused.rc != 0
    assert refused.status(GUARD) == "failed"
    message = refused.task(GUARD)["msg"]
    assert "203.0.113.1" in message and ":5986" in message and "'LD - All Inbound Traffic'" in message and "block" in message
    assert "Nothing was changed" in message
    assert host.round_trips() == trips
    assert host.store_bytes() == snapshot
    assert PREDICT not in [entry["task"] for entry in refused.tasks]


def test_guard_refuses_management_sources_that_the_protocol_denial_blocks(host):
    # Management only from a subnet, but the guard also proves the channel from the subnet's first
    # address; restricting the management sources to an address the guard port is not open for is refused.
    refused = role(host, {**WEB, "packet_filter_default_deny": "protocols", "packet_filter_management_sources": ["10.0.0.0/8"],
                          "packet_filter_guard_ports": [5985, 22]})
    assert refused.rc != 0
    assert "10.0.0.0:49152 -> me:22" in refused.task(GUARD)["msg"] and "'LD - All TCP'" in refused.task(GUARD)["msg"]
    assert host.round_trips() == 0 and host.store_bytes() == b""


def test_allow_lockout_overrides_the_guard(host):
    played = role(host, {**WEB, "packet_filter_guard_ports": [5986], "packet_filter_allow_lockout": True})
    assert played.rc == 0, played.stdout
    assert played.status(GUARD) == "skipped"
    assert read_config(host)["assigned"] == POLICY


def test_role_change_replaces_only_the_prefixed_objects(host):
    mine = {"name": "Admin tools", "filters": [{"source": "10.1.1.1", "destination": "me", "protocol": "tcp", "destination_port": 8443}]}
    assert host.play([task("ipsec_filter_list", mine, "mine")]).rc == 0
    role(host, WEB)
    changed = role(host, MAIL)
    assert changed.rc == 0, changed.stdout
    config = read_config(host)
    names = sorted(item["name"] for item in config["filter_lists"])
    assert names == ["Admin tools", "LD - All Inbound Traffic", "LD - IMAP Server", "LD - IMAPS Server", "LD - Management",
                     "LD - POP3 Server", "LD - POP3S Server", "LD - SMTP Client", "LD - SMTP Server"]
    assert config["assigned"] == POLICY
    assert_packets(config, POLICY, permitted=[inbound(25), inbound(993)], blocked=[inbound(80), inbound(443)])


@FETCH_NEEDS_POWERSHELL
def test_backup_fetch(host, tmp_path):
    role(host, WEB)
    fetched = tmp_path / "controller" / "backup.ipsec"
    played = role(host, {**MAIL, "packet_filter_backup_fetch_to": str(fetched)})
    assert played.rc == 0, played.stdout
    assert played.task(EXPORT)["assigned"] == POLICY
    assert fetched.exists()


def test_no_backup(host):
    role(host, MAIL)
    quiet = role(host, {**WEB, "packet_filter_backup": False})
    assert quiet.rc == 0
    assert EXPORT not in [entry["task"] for entry in quiet.tasks]
    assert quiet.round_trips == 3  # predict, then apply (read + write)


def test_unknown_service_fails_before_the_host(host):
    played = role(host, {"packet_filter_server_services": ["http", "gopher"]})
    assert played.rc != 0
    assert "gopher" in played.task(CHECK)["msg"]
    assert host.round_trips() == 0


def test_assign_false_custom_service_interface_address_and_sources(host):
    played = role(host, {
        "packet_filter_assign": False,
        "packet_filter_server_services": ["web_alt", "rdp"],
        "packet_filter_custom_services": {"web_alt": {"description": "Alternative web port", "ports": [{"protocol": "tcp", "port": 8080}]}},
        "packet_filter_service_sources": {"rdp": ["198.51.100.0/24", "203.0.113.9"]},
        "packet_filter_interface_address": "192.0.2.10",
        "packet_filter_permit_icmp": True,
    })
    assert played.rc == 0, played.stdout
    config = read_config(host)
    assert config["assigned"] == ""
    names = {item["name"] for item in config["filter_lists"]}
    assert {"LD - WEB_ALT Server", "LD - Terminal Services Server", "LD - ICMP"} <= names
    to_interface = {"destination": "192.0.2.10", "source_port": 50000}
    assert_packets(config, POLICY,
                   permitted=[{**to_interface, "source": "198.51.100.7", "destination_port": 8080},
                              {**to_interface, "source": "198.51.100.7", "destination_port": 3389},
                              {**to_interface, "source": "203.0.113.9", "destination_port": 3389},
                              {**to_interface, "source": "198.51.100.7", "destination_port": host.management_port},
                              {"source": "198.51.100.7", "destination": "192.0.2.10", "protocol": "icmp"}],
                   blocked=[{**to_interface, "source": "203.0.113.10", "destination_port": 3389},
                            {**to_interface, "source": "198.51.100.7", "destination_port": 445}])


def test_argument_specs_refuse_a_bad_value_before_the_host(host):
    played = role(host, {**WEB, "packet_filter_default_deny": "everything"})
    assert played.rc != 0
    assert "packet_filter_default_deny" in played.stdout
    assert host.round_trips() == 0
