"""The lockdown.ipsec.packet_filter role against the emulated host: the seed 000 web server with its
guard, backup and idempotence at the round-trip limit (a change costs 2, no change and check mode 1),
check mode, a refused lockout, refusals that name the role's variables, a role change and the variables."""

from __future__ import annotations

import json

import pytest
from conftest import CONNECTION
from ipsec_support import is_read, task
from packet_check import assert_packets, inbound, read_config

ROLE = "lockdown.ipsec.packet_filter"
POLICY = "LD - Packet Filter"
APPLY = f"{ROLE} : Apply the packet filter policy"
SHOW = f"{ROLE} : Show what the hosts permit"


@pytest.fixture(autouse=True)
def enforced(host):
    """Over WinRM the emulated host drops what its assigned policy blocks: every run of the role here must
    keep the controller (192.0.2.10 as the host sees it) able to reach it."""
    if host.endpoint is not None:
        host.endpoint.enforce = True


def table(played, host_name: str = "winhost") -> list:
    """The table the role showed for ``host_name`` (one run_once task loops over the batch's hosts)."""
    shown = played.task(SHOW)
    assert shown["results"] and all(item["item"] == host_name for item in shown["results"]), shown
    return shown["results"][0]["msg"]


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
    assert changed_tasks(first) == [APPLY]
    # read; then one stop-on-error batch: the export first, then the change
    new = host.batches()[batches:]
    assert first.round_trips == 2
    assert is_read(new[0])
    backup = str(host.workdir / "pf-backup.ipsec")
    applied = first.task(APPLY)
    assert new[1]["stop_on_error"] is True
    assert new[1]["commands"][0] == f"ipsec static exportpolicy file={backup}"
    assert len(new[1]["commands"]) == 1 + len(applied["commands"])
    assert applied["backup_path"] == backup
    assert "backup_fetched_to" not in applied and "read_back" not in new[1]
    # The backup holds the store as it was: empty.
    assert json.loads((host.workdir / "pf-backup.ipsec").read_text())["store"]["policies"] == []
    assert applied["commands"][-1] == f'netsh ipsec static set policy "name={POLICY}" assign=yes'
    assert applied["policy"] == POLICY

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
    assert applied["management_port"] == port
    assert [(f["source"], f["destination"], f["protocol"], f["destination_port"]) for f in management["filters"]] == [("any", "me", "tcp", port)]
    assert_packets(config, POLICY, permitted=[inbound(80), inbound(443), inbound(port)],
                   blocked=[inbound(3389), inbound(445), inbound(22), inbound(161, "udp")])
    # The guard tried any at an IPv4 and an IPv6 address, and both pass by the management rule.
    assert [(found["source"], found["destination_port"], found["rule"], found["safe"]) for found in applied["guard"]] == [
        ("203.0.113.1", port, "LD - Management", True), ("2001:db8::1", port, "LD - Management", True)]

    # The table of what the host permits, in the result and on the screen.
    shown = table(first)
    assert shown == applied["summary"]
    assert shown[0] == f"{POLICY}: permitted"
    assert shown[1].split() == ["service", "direction", "protocol/port", "sources"]
    assert shown[2].split() == ["HTTP", "inbound", "tcp/80", "any"] and shown[3].split() == ["HTTPS", "inbound", "tcp/443", "any"]
    assert shown[4].split() == ["Management", "inbound", f"tcp/{port}", "any"]
    assert shown[5] == "Blocked: everything else to me (every protocol, from any; mirrored)"
    assert shown[6] == f"Management channel (tcp/{port}): permitted by '{POLICY}' for all 2 packets the guard tried"
    assert shown[2] in first.stdout

    snapshot = host.store_bytes()
    again = role(host, WEB)
    assert again.rc == 0, again.stdout
    assert changed_tasks(again) == []
    assert again.round_trips == 1
    assert "backup_path" not in again.task(APPLY)
    assert host.store_bytes() == snapshot


def test_check_mode_costs_one_round_trip_and_exports_nothing(host):
    role(host, {"packet_filter_server_services": ["smtp"], "packet_filter_backup": False})
    snapshot = host.store_bytes()
    checked = role(host, WEB, check=True)
    assert checked.rc == 0, checked.stdout
    assert checked.task(APPLY)["changed"] is True
    assert checked.round_trips == 1
    assert host.store_bytes() == snapshot
    assert not (host.workdir / "pf-backup.ipsec").exists()
    assert table(checked)[2].split() == ["HTTP", "inbound", "tcp/80", "any"]


def test_diff_shows_the_change_once(host):
    role(host, {"packet_filter_server_services": ["smtp"]})
    checked_without_diff = role(host, WEB, check=True)
    assert "+++ after: netsh ipsec static (after)" not in checked_without_diff.stdout
    checked = role(host, WEB, check=True, diff=True)
    assert "diff" in checked.task(APPLY) and checked.stdout.count("+++ after: netsh ipsec static (after)") == 1
    applied = role(host, WEB, diff=True)
    assert applied.rc == 0, applied.stdout
    assert applied.stdout.count("+++ after: netsh ipsec static (after)") == 1
    assert '+add filterlist "name=LD - HTTP Server"' in applied.stdout
    assert changed_tasks(applied) == [APPLY]


def test_guard_refuses_a_lockout_after_one_read(host):
    role(host, WEB)
    snapshot, trips = host.store_bytes(), host.round_trips()
    # As if the play ran over WinRM HTTPS (5986), but the policy would only permit 5985.
    refused = role(host, {**MAIL, "packet_filter_management_port": 5985, "packet_filter_guard_ports": [5986]})
    assert refused.rc != 0
    assert refused.status(APPLY) == "failed"
    message = refused.task(APPLY)["msg"]
    # Packets with the same fate are named together (over WinRM, PSRP and SSH with the connection's own port, which
    # the guard also protects and this policy blocks too).
    blocked = "TCP 203.0.113.1:49152 -> me:5986 and TCP [2001:db8::1]:49152 -> me:5986 " if CONNECTION == "local" else (
        f"TCP 203.0.113.1:49152 -> me:5986, TCP 203.0.113.1:49152 -> me:{host.management_port}, "
        f"TCP [2001:db8::1]:49152 -> me:5986 and 1 more packet ")
    assert blocked + "gets action 'block' from rule 'LD - All Inbound Traffic'" in message, message
    assert "Nothing was changed on the host" in message
    assert "packet_filter_management_port" in message and "packet_filter_allow_lockout" in message
    # The guard judged the predicted store: one read, no write.
    assert host.round_trips() == trips + 1
    assert host.store_bytes() == snapshot
    assert SHOW not in [entry["task"] for entry in refused.tasks]


def test_guard_refuses_management_sources_that_the_protocol_denial_blocks(host):
    # Management only from a subnet, and the guard also proves port 22 open from the subnet's first,
    # inner and last address; the protocol denial blocks it.
    refused = role(host, {**WEB, "packet_filter_default_deny": "protocols", "packet_filter_management_sources": ["10.0.0.0/8"],
                          "packet_filter_guard_ports": [22]})
    assert refused.rc != 0
    message = refused.task(APPLY)["msg"]
    assert ("TCP 10.0.0.0:49152 -> me:22, TCP 10.127.255.255:49152 -> me:22 and TCP 10.255.255.255:49152 -> me:22 "
            "gets action 'block' from rule 'LD - All TCP'") in message
    assert host.store_bytes() == b""


def test_allow_lockout_applies_and_says_it_is_not_safe(host):
    played = role(host, {**WEB, "packet_filter_guard_ports": [5986], "packet_filter_allow_lockout": True})
    assert played.rc == 0, played.stdout
    assert read_config(host)["assigned"] == POLICY
    last = table(played)[-1]
    assert last.startswith("Management channel (") and "NOT SAFE for 2 of 4 packets" in last and "me:5986" in last


@pytest.mark.parametrize(("variables", "named", "reason"), [
    ({"packet_filter_management_sources": []}, "packet_filter_management_sources", "expected at least one source"),
    ({"packet_filter_management_sources": ["10.0.0.1", "me"]}, "packet_filter_management_sources[1]", "not where Ansible connects from"),
    ({"packet_filter_management_sources": ["admin.example.com"]}, "packet_filter_management_sources[0]", "the guard cannot prove"),
    ({"packet_filter_management_sources": ["dhcp"]}, "packet_filter_management_sources[0]", "the guard cannot prove"),
    ({"packet_filter_management_port": 0}, "packet_filter_management_port", "0 would mean every port"),
    ({"packet_filter_guard_ports": [0]}, "packet_filter_guard_ports[0]", "0 would mean every port"),
    ({"packet_filter_interface_address": "dns"}, "packet_filter_interface_address", "the guard must be able to evaluate it"),
    ({"packet_filter_service_sources": {"http": ["10.0.0.300"]}}, "packet_filter_service_sources.http[0]", "expected any, me"),
    ({"packet_filter_service_sources": {"rdp": ["10.0.0.1"]}}, "packet_filter_service_sources.rdp", "not in packet_filter_server_services"),
    ({"packet_filter_server_services": ["http", "gopher"]}, "packet_filter_server_services[1]", "is not a service of the catalogue"),
    ({"packet_filter_custom_services": {"web_alt": {"ports": [{"protocol": "icmp", "port": 8080}]}}},
     "packet_filter_custom_services.web_alt.ports[0].protocol", "expected tcp or udp"),
    ({"packet_filter_owner_prefix": ""}, "packet_filter_owner_prefix", "must not be empty"),
])
def test_refusals_name_the_role_variable_before_the_host(host, variables, named, reason):
    played = role(host, {**WEB, **variables})
    assert played.rc != 0
    message = played.task(APPLY)["msg"]
    assert message.startswith(f"{named}: ") and reason in message, message
    assert "config." not in message
    assert host.round_trips() == 0


def test_sources_as_ranges_subnets_and_any_in_capitals_are_evaluated(host):
    sources = ["10.0.0.1-10.0.0.9", "192.0.2.0/30", "10.1.0.7"]
    port = host.management_port
    # ANY also covers a controller inside the protected subnet, which the mirrored deny's reverse
    # direction (10.1.0.0/24 -> any) outweighs under one plausible reading: refused, naming it.
    refused = role(host, {**WEB, "packet_filter_management_sources": [*sources, "ANY"], "packet_filter_interface_address": "10.1.0.0/24"})
    assert refused.rc != 0
    message = refused.task(APPLY)["msg"]
    assert f"TCP 10.1.0.0:49152 -> 10.1.0.127:{port}, TCP 10.1.0.0:49152 -> 10.1.0.255:{port}, TCP 10.1.0.127:49152 -> 10.1.0.0:{port} " \
           "and 3 more packets depends on an unconfirmed reading of filter specificity" in message, message
    assert "203.0.113.1" not in message  # any's own sample is outside the subnet, and safe
    assert host.store_bytes() == b""
    # The controller's own address inside the subnet is at least as specific as the deny: safe.
    played = role(host, {**WEB, "packet_filter_management_sources": sources, "packet_filter_interface_address": "10.1.0.0/24"})
    assert played.rc == 0, played.stdout
    guard = played.task(APPLY)["guard"]
    assert sorted({(found["source"], found["destination"]) for found in guard}) == sorted(
        {(source, destination) for source in ("10.0.0.1", "10.0.0.5", "10.0.0.9", "192.0.2.0", "192.0.2.1", "192.0.2.3", "10.1.0.7")
         for destination in ("10.1.0.0", "10.1.0.127", "10.1.0.255") if source != destination})
    assert all(found["safe"] and found["destination_port"] == port for found in guard)


@pytest.mark.skipif(CONNECTION != "winrm", reason="the port comes from the WinRM connection plugin; the WinRM run of the suite covers it")
def test_the_guard_protects_the_port_given_as_ansible_winrm_port(host):
    guard_protects_the_port_given_as(host, "ansible_winrm_port")


@pytest.mark.skipif(CONNECTION != "psrp", reason="the port comes from the PSRP connection plugin; the PSRP run of the suite covers it")
def test_the_guard_protects_the_port_given_as_ansible_psrp_port(host):
    guard_protects_the_port_given_as(host, "ansible_psrp_port")


def guard_protects_the_port_given_as(host, variable: str) -> None:
    # The connection plugin's own port variable instead of ansible_port: the plugin's port is the real one.
    inventory = host.inventory.read_text(encoding="utf-8")
    host.inventory.write_text(inventory.replace("ansible_port=", f"{variable}="), encoding="utf-8")
    assert f"{variable}=" in host.inventory.read_text(encoding="utf-8")
    refused = role(host, {**WEB, "packet_filter_management_port": 5985})
    assert refused.rc != 0
    assert f"me:{host.management_port} gets action 'block'" in refused.task(APPLY)["msg"]
    played = role(host, WEB)
    assert played.rc == 0, played.stdout
    assert played.task(APPLY)["management_port"] == host.management_port


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


def test_backup_fetch_to_copies_the_export_in_the_write_batch(host, tmp_path):
    role(host, WEB)
    fetched = tmp_path / "controller" / "backup.ipsec"
    batches = len(host.batches())
    played = role(host, {**MAIL, "packet_filter_backup_fetch_to": str(fetched)})
    assert played.rc == 0, played.stdout
    applied = played.task(APPLY)
    assert applied["backup_fetched_to"] == str(fetched) and fetched.stat().st_mode & 0o777 == 0o600
    # Over any connection, in the change's two round trips: the write batch reads the export back.
    new = host.batches()[batches:]
    assert played.round_trips == 2 and new[1]["read_back"] == [applied["backup_path"]]
    # The export ran before the change: the copy holds the web server.
    assert "LD - HTTP Server" in [item["name"] for item in json.loads(fetched.read_text())["store"]["filterlists"]]
    # The role's tasks: Ansible's argument validation, the module, the table; no fetch.
    assert [entry["task"] for entry in played.tasks if entry["task"].startswith(ROLE)][1:] == [APPLY, SHOW]


def test_no_backup(host):
    role(host, MAIL)
    batches = len(host.batches())
    quiet = role(host, {**WEB, "packet_filter_backup": False})
    assert quiet.rc == 0
    assert quiet.round_trips == 2  # read, write
    assert not any("exportpolicy" in command for batch in host.batches()[batches:] for command in batch["commands"])
    assert "backup_path" not in quiet.task(APPLY)


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
