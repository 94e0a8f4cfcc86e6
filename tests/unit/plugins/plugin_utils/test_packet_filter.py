# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_packet_filter: ipsec_packet_filter's options checked (every refusal naming the option, as the role's
variable when the role runs it, and the value), the exact configuration it builds, the addresses and
packets its guard tries, and the summary table it ends with."""

from __future__ import annotations

import copy
import ipaddress

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.modules.ipsec_packet_filter import DOCUMENTATION, RETURN
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._catalogue import CATALOGUE, Service
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import Packet
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._guard import Guard, check_packets
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._packet_filter import (
    ANY_SAMPLES,
    CLIENT_PORT,
    Settings,
    build_config,
    default_denials,
    management_guard,
    overlap_samples,
    read_settings,
    refusal_advice,
    samples,
    summary,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State, check_scope

# The options as the argument spec hands them over when the task gives none: the documented defaults.
DEFAULTS = {option: spec.get("default") for option, spec in yaml.safe_load(DOCUMENTATION)["options"].items()}
CATALOGUE_NAMES = "dns, ftp, http, https, imap, imaps, netbios, ntp, pop3, pop3s, rdp, smb, smtp, snmp, sql_server"
WEB_ALT = {"ports": [{"protocol": "tcp", "port": 8080}]}
TCP = 6

ADDRESS_HELP = ("expected any, me, dns, wins, dhcp, gateway, an IPv4 or IPv6 address, an IPv4 subnet (a.b.c.d/nn or with a mask), "
                "a range a-b, or a DNS name")
PORT_NUMBER = "expected a port number 0-65535 or any"
TCP_PORT = "expected a TCP port 1-65535 (0 would mean every port)"
INTERFACE = ("expected me or the host's own IP address (or its subnet or range): the policy protects it, and the guard must be "
             "able to evaluate it offline")
NO_SOURCES = ("expected a non-empty list of sources (any, hosts, subnets or ranges); to permit nobody, remove the service from "
              "packet_filter_server_services")
NO_MANAGEMENT = ("expected at least one source (any, hosts, subnets or ranges): with none, the management channel would be "
                 "blocked")
ME_SOURCE = "me is the host itself, not where Ansible connects from: give the controller's address or subnet, or any"
UNPROVABLE = ("a DNS name or server type is resolved on the host only, so the guard cannot prove the management channel open: "
              "give addresses, subnets or ranges")


def role_variable(option: str) -> str:
    return f"packet_filter_{option}"


def params(**given) -> dict:
    return {**copy.deepcopy(DEFAULTS), **given}


def settings(connection_port: int | None = 5986, **given) -> Settings:
    return read_settings(params(**given), connection_port=connection_port, name=role_variable)


def refusal(**given) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        settings(**given)
    return caught.value


def desired_store(chosen: Settings):
    """What the action does with the configuration before it plans: the store, checked for its scope."""
    store = store_from_config(build_config(chosen), fill_defaults=True)
    check_scope(store, State.OVERRIDDEN, Scope(chosen.owner_prefix))
    return store


def flt(source: str, destination: str, protocol: str, description: str, port: int | None = None) -> dict:
    item = {"source": source, "destination": destination, "protocol": protocol, "mirrored": True, "description": description}
    return item if port is None else {**item, "destination_port": port}


# --- read_settings: refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "field", "value", "reason"),
    [
        ({"owner_prefix": ""}, "owner_prefix", "", "must not be empty: the role owns exactly the objects whose names start with it"),
        ({"owner_prefix": None}, "owner_prefix", None, "must not be empty: the role owns exactly the objects whose names start with it"),
        ({"policy_name": ""}, "policy_name", "", "must not be empty"),
        ({"policy_name": "Web "}, "policy_name", "Web ", "must not start or end with whitespace"),
        ({"server_services": ["http", "gopher"]}, "server_services[1]", "gopher",
         f"is not a service of the catalogue ({CATALOGUE_NAMES}); add it with packet_filter_custom_services"),
        ({"client_services": ["gopher"]}, "client_services[0]", "gopher",
         f"is not a service of the catalogue ({CATALOGUE_NAMES}); add it with packet_filter_custom_services"),
        ({"server_services": ["gopher"], "custom_services": {"web_alt": WEB_ALT}}, "server_services[0]", "gopher",
         f"is not a service of the catalogue ({CATALOGUE_NAMES}, web_alt); add it with packet_filter_custom_services"),
        ({"custom_services": {"web_alt": {"ports": []}}}, "custom_services.web_alt.ports", [],
         "expected a non-empty list of {protocol: tcp or udp, port: 1-65535}"),
        ({"custom_services": {"web_alt": {"ports": [{"protocol": "icmp", "port": 8}]}}}, "custom_services.web_alt.ports[0].protocol",
         "icmp", "expected tcp or udp"),
        ({"server_services": ["http"], "service_sources": {"gopher": ["any"]}}, "service_sources.gopher", ["any"],
         f"names no service of the catalogue ({CATALOGUE_NAMES})"),
        ({"server_services": ["http"], "client_services": ["dns"], "service_sources": {"dns": ["any"]}}, "service_sources.dns", ["any"],
         "names a service that is not in packet_filter_server_services: its sources would have no effect"),
        ({"server_services": ["http"], "service_sources": {"http": []}}, "service_sources.http", [], NO_SOURCES),
        ({"server_services": ["http"], "service_sources": {"http": "10.0.0.0/8"}}, "service_sources.http", "10.0.0.0/8", NO_SOURCES),
        ({"server_services": ["http"], "service_sources": {"http": ["10.0.0.1", "not an address!"]}}, "service_sources.http[1]",
         "not an address!", ADDRESS_HELP),
        ({"interface_address": "not an address!"}, "interface_address", "not an address!", ADDRESS_HELP),
        ({"management_port": -1}, "management_port", -1, PORT_NUMBER),
        ({"management_port": 0}, "management_port", 0, TCP_PORT),
        ({"management_port": 65536}, "management_port", 65536, PORT_NUMBER),
        ({"management_port": True}, "management_port", True, PORT_NUMBER),
        ({"guard_ports": [80, -1]}, "guard_ports[1]", -1, PORT_NUMBER),
        ({"guard_ports": [0]}, "guard_ports[0]", 0, TCP_PORT),
        ({"guard_ports": [443, 80, 65536]}, "guard_ports[2]", 65536, PORT_NUMBER),
        ({"management_sources": []}, "management_sources", [], NO_MANAGEMENT),
        ({"management_sources": "10.0.0.1"}, "management_sources", "10.0.0.1", NO_MANAGEMENT),
        ({"management_sources": ["10.0.0.1", "not an address!"]}, "management_sources[1]", "not an address!", ADDRESS_HELP),
        ({"management_sources": ["10.0.0.1", "me"]}, "management_sources[1]", "me", ME_SOURCE),
        ({"management_sources": [" Me "]}, "management_sources[0]", " Me ", ME_SOURCE),
        ({"management_sources": ["ME"], "allow_lockout": True}, "management_sources[0]", "ME", ME_SOURCE),
        ({"management_sources": ["10.0.0.1", "ansible.example.com"]}, "management_sources[1]", "ansible.example.com", UNPROVABLE),
    ],
)
def test_a_refusal_names_the_role_variable_and_the_value(given, field, value, reason):
    error = refusal(**given)
    assert (error.field, error.value, error.reason) == (role_variable(field), value, reason)
    assert str(error) == f"{role_variable(field)}: {reason} (got {value!r})"
    assert "config" not in error.field and "filter_lists" not in str(error)


@pytest.mark.parametrize("address", ["host.example.com", "dns", "wins", "dhcp", "gateway", "DHCP", "any", "0.0.0.0/0"])
def test_the_protected_address_must_be_one_the_guard_can_evaluate(address):
    error = refusal(interface_address=address)
    assert (error.field, error.value, error.reason) == ("packet_filter_interface_address", address, INTERFACE)


@pytest.mark.parametrize("source", ["ansible.example.com", "dns", "wins", "dhcp", "gateway", "Gateway"])
def test_a_management_source_only_the_host_can_resolve_is_refused_while_the_guard_is_on(source):
    error = refusal(management_sources=["10.0.0.0/8", source], allow_lockout=False)
    assert (error.field, error.value, error.reason) == ("packet_filter_management_sources[1]", source, UNPROVABLE)
    assert settings(management_sources=["10.0.0.0/8", source], allow_lockout=True).management_sources == ("10.0.0.0/8", source)


def test_without_a_naming_the_messages_name_the_module_options():
    def error_of(**given) -> InvalidInput:
        with pytest.raises(InvalidInput) as caught:
            read_settings(params(**given), connection_port=None)
        return caught.value

    assert error_of(management_port=0).field == "management_port"
    unknown = error_of(client_services=["gopher"])
    assert (unknown.field, unknown.reason) == (
        "client_services[0]", f"is not a service of the catalogue ({CATALOGUE_NAMES}); add it with custom_services")
    assert error_of(server_services=["http"], service_sources={"http": []}).reason.endswith("remove the service from server_services")


def test_a_prefix_netsh_cannot_take_is_refused_before_anything_is_built():
    error = refusal(owner_prefix="LD\t")
    assert (error.field, error.value) == ("packet_filter_owner_prefix", "LD\t")
    assert error.reason == "must not contain control characters such as NUL, CR or LF"


def test_a_prefix_may_end_with_spaces_but_not_be_only_spaces():
    assert settings(owner_prefix="LD -   ").policy == "LD -   Packet Filter"
    error = refusal(owner_prefix="   ")
    assert (error.field, error.value, error.reason) == ("packet_filter_owner_prefix", "", "must not be empty")


@pytest.mark.parametrize("prefix", ["LD\t", 'LD "', " LD - "])
def test_a_prefix_netsh_cannot_take_is_blamed_on_the_prefix(prefix):
    assert refusal(owner_prefix=prefix).field == "packet_filter_owner_prefix"


# --- read_settings: what is accepted and resolved -------------------------------------------------


def test_the_documented_defaults_resolve_to_a_management_port_from_the_connection():
    assert settings(connection_port=5986) == Settings(
        policy="LD - Packet Filter",
        owner_prefix="LD - ",
        services=CATALOGUE,
        server_services=(),
        client_services=(),
        service_sources={},
        interface="me",
        permit_icmp=False,
        default_deny="all_inbound",
        assign=True,
        management_port=5986,
        management_sources=("any",),
        guard_ports=(5986,),
        allow_lockout=False,
    )


def test_options_left_out_entirely_are_their_defaults():
    minimal = {"owner_prefix": "LD - ", "policy_name": "Packet Filter"}
    assert read_settings(minimal, connection_port=5986) == settings(connection_port=5986)


@pytest.mark.parametrize(
    ("policy_name", "owner_prefix", "policy"),
    [
        ("Packet Filter", "LD - ", "LD - Packet Filter"),
        ("LD - Web", "LD - ", "LD - Web"),
        ("ld - Web", "LD - ", "LD - ld - Web"),
        ("Public Server", "APS - ", "APS - Public Server"),
    ],
)
def test_the_owner_prefix_is_put_in_front_of_the_policy_name_unless_it_is_there(policy_name, owner_prefix, policy):
    assert settings(policy_name=policy_name, owner_prefix=owner_prefix).policy == policy


@pytest.mark.parametrize(
    ("management_port", "connection_port", "guard_ports", "expected_port", "expected_guard"),
    [
        (None, 5986, [], 5986, (5986,)),
        (None, 5985, [], 5985, (5985,)),
        (None, 22, [], 22, (22,)),
        (None, None, [], 5985, (5985,)),  # DEFAULT_MANAGEMENT_PORT
        (None, None, [443], 5985, (443, 5985)),
        (8443, 5986, [], 8443, (5986, 8443)),
        (8443, None, [], 8443, (8443,)),
        (5986, 5986, [5986, 80, 80], 5986, (80, 5986)),
        (1, 5986, [65535], 1, (1, 5986, 65535)),
        (65535, 5986, [1], 65535, (1, 5986, 65535)),
        ("8443", 5986, ["5986"], 8443, (5986, 8443)),
    ],
)
def test_the_guard_proves_the_management_port_the_connections_port_and_the_extra_ones(
        management_port, connection_port, guard_ports, expected_port, expected_guard):
    chosen = settings(connection_port=connection_port, management_port=management_port, guard_ports=guard_ports)
    assert (chosen.management_port, chosen.guard_ports) == (expected_port, expected_guard)


@pytest.mark.parametrize(
    "address",
    ["me", "ME", "192.0.2.10", "192.0.2.0/24", "192.0.2.0/255.255.255.0", "192.0.2.10-192.0.2.20", "2001:db8::10",
     "2001:db8::1-2001:db8::ff"],
)
def test_the_protected_address_may_be_me_an_address_a_subnet_or_a_range(address):
    assert settings(interface_address=address).interface == address
    assert settings(interface_address=f" {address} ").interface == address


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["any"], ("any",)),
        (["ANY"], ("ANY",)),
        ([" 10.20.0.0/24 ", "10.0.0.1-10.0.0.9"], ("10.20.0.0/24", "10.0.0.1-10.0.0.9")),
        (["2001:db8::7", "0.0.0.0/0"], ("2001:db8::7", "0.0.0.0/0")),
        (None, ("any",)),
    ],
)
def test_management_sources_are_kept_as_given_without_surrounding_spaces(sources, expected):
    assert settings(management_sources=sources).management_sources == expected


def test_services_are_kept_in_order_once_each_with_their_sources_trimmed():
    chosen = settings(server_services=["http", "dns", "http"], client_services=["dns", "smtp", "dns"],
                      service_sources={"dns": [" 10.0.0.0/8 ", "any"]})
    assert (chosen.server_services, chosen.client_services) == (("http", "dns"), ("dns", "smtp"))
    assert chosen.service_sources == {"dns": ("10.0.0.0/8", "any")}


def test_custom_services_are_merged_over_the_catalogue():
    chosen = settings(custom_services={"http": {"label": "Web", "ports": [{"protocol": "tcp", "port": 8080}]}, "web_alt": WEB_ALT},
                      server_services=["web_alt", "http"])
    assert chosen.services == {**CATALOGUE, "http": Service("Web", "Web", (("tcp", 8080),)),
                               "web_alt": Service("WEB_ALT", "WEB_ALT", (("tcp", 8080),))}
    assert chosen.server_services == ("web_alt", "http")


@pytest.mark.parametrize("flag", [True, False])
def test_the_switches_are_kept(flag):
    chosen = settings(permit_icmp=flag, assign=flag, allow_lockout=flag, default_deny="protocols")
    assert (chosen.permit_icmp, chosen.assign, chosen.allow_lockout, chosen.default_deny) == (flag, flag, flag, "protocols")


# --- build_config ---------------------------------------------------------------------------------


def public_server(**given) -> Settings:
    """The module documentation's AnalogX example, with DNS served to two sources."""
    options = {
        "owner_prefix": "APS - ", "policy_name": "Public Server", "server_services": ["http", "dns"],
        "service_sources": {"dns": ["10.1.0.0/16", "10.2.0.1"]}, "client_services": ["dns"], "interface_address": "192.0.2.10",
        "management_sources": ["10.20.0.0/24", "10.30.0.5"], "default_deny": "protocols", "permit_icmp": True, "assign": False,
    }
    return settings(connection_port=5986, **{**options, **given})


def test_the_configuration_of_a_public_server_is_exact():
    me = "192.0.2.10"
    assert build_config(public_server()) == {
        "filter_actions": [{"name": "APS - Permit", "action": "permit"}, {"name": "APS - Block", "action": "block"}],
        "filter_lists": [
            {"name": "APS - HTTP Server", "description": "World Wide Web", "filters": [flt("any", me, "tcp", "World Wide Web", 80)]},
            {"name": "APS - DNS Server", "description": "Domain Name System", "filters": [
                flt("10.1.0.0/16", me, "tcp", "Domain Name System", 53), flt("10.2.0.1", me, "tcp", "Domain Name System", 53),
                flt("10.1.0.0/16", me, "udp", "Domain Name System", 53), flt("10.2.0.1", me, "udp", "Domain Name System", 53)]},
            {"name": "APS - DNS Client", "description": "Domain Name System", "filters": [
                flt(me, "any", "tcp", "Domain Name System", 53), flt(me, "any", "udp", "Domain Name System", 53)]},
            {"name": "APS - Management", "description": "The management channel (WinRM or SSH)", "filters": [
                flt("10.20.0.0/24", me, "tcp", "Management", 5986), flt("10.30.0.5", me, "tcp", "Management", 5986)]},
            {"name": "APS - ICMP", "description": "Ping and traceroute", "filters": [flt("any", me, "icmp", "ICMP")]},
            {"name": "APS - All TCP", "description": "Default deny", "filters": [flt("any", me, "tcp", "Default deny")]},
            {"name": "APS - All UDP", "description": "Default deny", "filters": [flt("any", me, "udp", "Default deny")]},
        ],
        "policies": [{
            "name": "APS - Public Server",
            "description": "Managed by the lockdown.ipsec.packet_filter role",
            "default_response_rule": {"activate": False},
            "rules": [
                {"name": name, "filter_list": name, "filter_action": action} for name, action in (
                    ("APS - HTTP Server", "APS - Permit"), ("APS - DNS Server", "APS - Permit"), ("APS - DNS Client", "APS - Permit"),
                    ("APS - Management", "APS - Permit"), ("APS - ICMP", "APS - Permit"), ("APS - All TCP", "APS - Block"),
                    ("APS - All UDP", "APS - Block"))
            ],
        }],
    }


def test_the_configuration_of_the_documented_defaults_is_exact():
    assert build_config(settings(connection_port=5985, server_services=["http"])) == {
        "filter_actions": [{"name": "LD - Permit", "action": "permit"}, {"name": "LD - Block", "action": "block"}],
        "filter_lists": [
            {"name": "LD - HTTP Server", "description": "World Wide Web", "filters": [flt("any", "me", "tcp", "World Wide Web", 80)]},
            {"name": "LD - Management", "description": "The management channel (WinRM or SSH)",
             "filters": [flt("any", "me", "tcp", "Management", 5985)]},
            {"name": "LD - All Inbound Traffic", "description": "Default deny", "filters": [flt("any", "me", "any", "Default deny")]},
        ],
        "policies": [{
            "name": "LD - Packet Filter",
            "description": "Managed by the lockdown.ipsec.packet_filter role",
            "default_response_rule": {"activate": False},
            "rules": [
                {"name": "LD - HTTP Server", "filter_list": "LD - HTTP Server", "filter_action": "LD - Permit"},
                {"name": "LD - Management", "filter_list": "LD - Management", "filter_action": "LD - Permit"},
                {"name": "LD - All Inbound Traffic", "filter_list": "LD - All Inbound Traffic", "filter_action": "LD - Block"},
            ],
        }],
        "assigned": "LD - Packet Filter",
    }


def test_the_configuration_matches_the_documented_sample():
    sample = yaml.safe_load(RETURN)["config"]["sample"]
    config = build_config(settings(server_services=["http"]))
    assert config["filter_lists"][0] == sample["filter_lists"][0]
    assert config["filter_actions"] == sample["filter_actions"]
    assert config["policies"][0]["rules"][0] == sample["policies"][0]["rules"][0]
    assert {key: config["policies"][0][key] for key in ("name", "description", "default_response_rule")} == {
        key: sample["policies"][0][key] for key in ("name", "description", "default_response_rule")}
    assert config["assigned"] == sample["assigned"]


@pytest.mark.parametrize(
    ("default_deny", "permit_icmp", "tail"),
    [
        ("all_inbound", False, [("LD - All Inbound Traffic", "any", "LD - Block")]),
        ("all_inbound", True, [("LD - ICMP", "icmp", "LD - Permit"), ("LD - All Inbound Traffic", "any", "LD - Block")]),
        ("protocols", False, [("LD - All TCP", "tcp", "LD - Block"), ("LD - All UDP", "udp", "LD - Block"),
                              ("LD - All ICMP", "icmp", "LD - Block")]),
        ("protocols", True, [("LD - ICMP", "icmp", "LD - Permit"), ("LD - All TCP", "tcp", "LD - Block"),
                             ("LD - All UDP", "udp", "LD - Block")]),
    ],
)
def test_icmp_and_the_default_deny_follow_the_management_list(default_deny, permit_icmp, tail):
    config = build_config(settings(default_deny=default_deny, permit_icmp=permit_icmp))
    lists, rules = config["filter_lists"], config["policies"][0]["rules"]
    assert [item["name"] for item in lists[:1]] == ["LD - Management"]
    assert [(item["name"], item["filters"][0]["protocol"]) for item in lists[1:]] == [(name, protocol) for name, protocol, dummy in tail]
    assert [(rule["name"], rule["filter_action"]) for rule in rules[1:]] == [(name, action) for name, dummy, action in tail]
    assert all(len(item["filters"]) == 1 and "destination_port" not in item["filters"][0] for item in lists[1:])


@pytest.mark.parametrize(
    ("default_deny", "permit_icmp", "denials"),
    [
        ("all_inbound", False, (("All Inbound Traffic", "any"),)),
        ("all_inbound", True, (("All Inbound Traffic", "any"),)),
        ("protocols", False, (("All TCP", "tcp"), ("All UDP", "udp"), ("All ICMP", "icmp"))),
        ("protocols", True, (("All TCP", "tcp"), ("All UDP", "udp"))),
    ],
)
def test_default_denials(default_deny, permit_icmp, denials):
    assert default_denials(settings(default_deny=default_deny, permit_icmp=permit_icmp)) == denials


@pytest.mark.parametrize("assign", [True, False])
def test_the_policy_is_assigned_only_when_asked(assign):
    config = build_config(settings(assign=assign))
    assert ("assigned" in config, config.get("assigned")) == ((True, "LD - Packet Filter") if assign else (False, None))


def test_every_management_source_gets_its_own_filter_even_one_the_guard_cannot_prove():
    config = build_config(settings(management_sources=["10.0.0.1", "ansible.example.com", "any"], allow_lockout=True, management_port=22))
    assert config["filter_lists"][0]["filters"] == [flt(source, "me", "tcp", "Management", 22)
                                                    for source in ("10.0.0.1", "ansible.example.com", "any")]


@pytest.mark.parametrize(
    "chosen",
    [public_server(), public_server(default_deny="all_inbound", permit_icmp=False, assign=True),
     settings(server_services=list(CATALOGUE), client_services=list(CATALOGUE), management_sources=["2001:db8::7"])],
    ids=["public-server", "all-inbound", "whole-catalogue"],
)
def test_the_configuration_is_accepted_as_the_action_passes_it_on_and_stays_inside_the_prefix(chosen):
    store = desired_store(chosen)
    prefix = chosen.owner_prefix
    assert all(name.startswith(prefix) for kind in (store.filter_lists, store.filter_actions, store.policies) for name in kind)
    assert all(item.mirrored for filter_list in store.filter_lists.values() for item in filter_list.filters)


@pytest.mark.parametrize(
    ("key", "service", "served"),
    [
        ("web", {"label": 'Web "alt"', **WEB_ALT}, ["web"]),
        ("web", {"label": "Web\n", **WEB_ALT}, ["web"]),
        ("web", {"description": "Second site ", **WEB_ALT}, ["web"]),
        ("web", {"description": "NONE", **WEB_ALT}, ["web"]),
        ("web", {"label": "http", **WEB_ALT}, ["http", "web"]),
        ("Http", WEB_ALT, ["http", "Http"]),
    ],
    ids=["quote-in-label", "newline-in-label", "trailing-space-in-description", "NONE-description", "label-of-another-service",
         "default-label-of-another-service"],
)
def test_a_custom_service_netsh_cannot_name_is_refused_at_its_own_option(key, service, served):
    with pytest.raises(InvalidInput) as caught:
        desired_store(settings(custom_services={key: service}, server_services=served))
    assert caught.value.field.startswith(f"packet_filter_custom_services.{key}")


# --- samples --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("any", ("203.0.113.1", "2001:db8::1")),
        ("ANY", ("203.0.113.1", "2001:db8::1")),
        (" Any ", ("203.0.113.1", "2001:db8::1")),
        ("0.0.0.0/0", ("203.0.113.1", "2001:db8::1")),
        ("me", ("me",)),
        ("ME", ("me",)),
        ("10.0.0.5", ("10.0.0.5",)),
        ("10.0.0.5/32", ("10.0.0.5",)),
        ("10.0.0.0/24", ("10.0.0.0", "10.0.0.127", "10.0.0.255")),
        ("10.0.0.77/24", ("10.0.0.0", "10.0.0.127", "10.0.0.255")),
        ("10.0.0.0/30", ("10.0.0.0", "10.0.0.1", "10.0.0.3")),
        ("10.0.0.0/31", ("10.0.0.0", "10.0.0.1")),
        ("10.0.0.0/8", ("10.0.0.0", "10.127.255.255", "10.255.255.255")),
        ("10.0.0.10-10.0.0.20", ("10.0.0.10", "10.0.0.15", "10.0.0.20")),
        ("10.0.0.10-10.0.0.13", ("10.0.0.10", "10.0.0.11", "10.0.0.13")),
        ("10.0.0.250-10.0.1.5", ("10.0.0.250", "10.0.0.255", "10.0.1.5")),
        ("10.0.0.10-10.0.0.11", ("10.0.0.10", "10.0.0.11")),
        ("10.0.0.10-10.0.0.10", ("10.0.0.10",)),
        ("2001:db8::5", ("2001:db8::5",)),
        ("2001:DB8:0:0::5", ("2001:db8::5",)),
        ("2001:db8::1-2001:db8::ff", ("2001:db8::1", "2001:db8::80", "2001:db8::ff")),
        ("2001:db8::1-2001:db8::1", ("2001:db8::1",)),
        ("ansible.example.com", ()),
        ("dns", ()),
        ("WINS", ()),
        ("dhcp", ()),
        ("gateway", ()),
    ],
)
def test_samples(text, expected):
    assert samples(text) == expected


def test_any_is_tried_at_documentation_addresses():
    assert ANY_SAMPLES == ("203.0.113.1", "2001:db8::1")


def test_samples_of_an_endpoint_that_is_no_address_are_refused():
    with pytest.raises(InvalidInput) as caught:
        samples("not an address!")
    assert caught.value.field == "address"


@given(st.ip_addresses(v=4).filter(lambda address: int(address) != 0), st.integers(min_value=1, max_value=32))  # 0.0.0.0/n is refused
def test_the_samples_of_a_subnet_are_its_first_an_inner_and_its_last_address(address, prefix):
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    found = samples(f"{address}/{prefix}")
    assert found[0] == str(network.network_address) and found[-1] == str(network.broadcast_address)
    assert list(found) == sorted(set(found), key=ipaddress.ip_address) and len(found) == min(3, network.num_addresses)


# --- management_guard -----------------------------------------------------------------------------


def packets(sources, destinations, ports) -> tuple[Packet, ...]:
    return tuple(Packet(source, destination, TCP, 49152, port) for source in sources for destination in destinations for port in ports)


def test_the_guard_tries_every_sample_of_every_source_on_every_guard_port():
    chosen = settings(connection_port=5985, management_port=5986, guard_ports=[8443, 5985],
                      management_sources=["10.20.0.0/30", "198.51.100.7"])
    assert chosen.guard_ports == (5985, 5986, 8443)
    assert management_guard(chosen) == Guard(packets(("10.20.0.0", "10.20.0.1", "10.20.0.3", "198.51.100.7"), ("me",), (5985, 5986, 8443)), ())
    assert CLIENT_PORT == 49152


@pytest.mark.parametrize(
    ("interface", "sources", "expected"),
    [
        ("me", ["any"], Guard(packets(("203.0.113.1", "2001:db8::1"), ("me",), (5986,)), ())),
        ("192.0.2.10", ["any"], Guard(packets(("203.0.113.1",), ("192.0.2.10",), (5986,)), ("192.0.2.10",))),
        ("2001:db8::10", ["any"], Guard(packets(("2001:db8::1",), ("2001:db8::10",), (5986,)), ("2001:db8::10",))),
        ("192.0.2.10", ["2001:db8::7", "10.0.0.1"], Guard(packets(("10.0.0.1",), ("192.0.2.10",), (5986,)), ("192.0.2.10",))),
        ("192.0.2.10-192.0.2.12", ["10.0.0.5"],
         Guard(packets(("10.0.0.5",), ("192.0.2.10", "192.0.2.11", "192.0.2.12"), (5986,)), ("192.0.2.10", "192.0.2.11", "192.0.2.12"))),
        ("192.0.2.0/30", ["10.0.0.5"],
         Guard(packets(("10.0.0.5",), ("192.0.2.0", "192.0.2.1", "192.0.2.3"), (5986,)), ("192.0.2.0", "192.0.2.1", "192.0.2.3"))),
    ],
    ids=["me-from-any", "ipv4-from-any", "ipv6-from-any", "same-family-only", "range", "subnet"],
)
def test_the_guard_tries_each_sample_of_the_protected_address_from_sources_of_its_family(interface, sources, expected):
    assert management_guard(settings(interface_address=interface, management_sources=sources)) == expected


def test_the_guard_tries_each_packet_once():
    chosen = settings(management_sources=["10.0.0.1", "10.0.0.0/31", "any", "203.0.113.1"], management_port=5986, guard_ports=[5986])
    assert management_guard(chosen).packets == packets(("10.0.0.1", "10.0.0.0", "203.0.113.1", "2001:db8::1"), ("me",), (5986,))


def test_a_source_the_guard_cannot_evaluate_adds_no_packet_when_lockout_is_allowed():
    chosen = settings(management_sources=["ansible.example.com", "10.0.0.1", "dhcp"], allow_lockout=True)
    assert management_guard(chosen) == Guard(packets(("10.0.0.1",), ("me",), (5986,)), ())


# --- refusal_advice and summary -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        (role_variable, "Permit it (packet_filter_management_port, packet_filter_management_sources), narrow what blocks it, or "
                        "set packet_filter_allow_lockout: true if you really mean it."),
        (str, "Permit it (management_port, management_sources), narrow what blocks it, or set allow_lockout: true if you "
              "really mean it."),
    ],
)
def test_the_refusal_advice_names_the_options(name, advice):
    assert refusal_advice(name) == advice


def verdicts_of(chosen: Settings):
    """The guard's verdicts on the store the policy gives, with no other policy on the host."""
    return check_packets(desired_store(chosen), management_guard(chosen))


def test_the_summary_matches_the_documented_sample():
    chosen = settings(connection_port=5986, server_services=["http"], management_sources=["10.20.0.0/24"])
    assert summary(chosen, verdicts_of(chosen)) == yaml.safe_load(RETURN)["summary"]["sample"]


def test_the_summary_of_a_public_server_is_exact():
    chosen = public_server()
    assert summary(chosen, verdicts_of(chosen)) == [
        "APS - Public Server (not assigned by this run): permitted",
        "  service     direction  protocol/port   sources",
        "  HTTP        inbound    tcp/80          any",
        "  DNS         inbound    tcp/53, udp/53  10.1.0.0/16, 10.2.0.1",
        "  DNS         outbound   tcp/53, udp/53  from 192.0.2.10 to any",
        "  Management  inbound    tcp/5986        10.20.0.0/24, 10.30.0.5",
        "  ICMP        both       icmp            any",
        "Blocked: everything else to 192.0.2.10 (tcp, udp, from any; mirrored)",
        "Management channel (tcp/5986): permitted (no policy is assigned) for all 4 packets the guard tried",
    ]


@pytest.mark.parametrize(
    ("default_deny", "permit_icmp", "blocked"),
    [
        ("all_inbound", False, "Blocked: everything else to me (every protocol, from any; mirrored)"),
        ("all_inbound", True, "Blocked: everything else to me (every protocol, from any; mirrored)"),
        ("protocols", False, "Blocked: everything else to me (tcp, udp, icmp, from any; mirrored)"),
        ("protocols", True, "Blocked: everything else to me (tcp, udp, from any; mirrored)"),
    ],
)
def test_the_summary_names_the_default_deny(default_deny, permit_icmp, blocked):
    lines = summary(settings(default_deny=default_deny, permit_icmp=permit_icmp), [])
    assert lines[-2] == blocked
    assert ("  ICMP        both       icmp           any" in lines) is permit_icmp


def test_the_summary_reports_the_first_packet_the_policy_would_block():
    chosen = settings(connection_port=5985, management_port=5986, management_sources=["10.20.0.0/24"])
    assert summary(chosen, verdicts_of(chosen))[-1] == (
        "Management channel (tcp/5985, tcp/5986): NOT SAFE for 3 of 6 packets: TCP 10.20.0.0:49152 -> me:5985 gets action "
        "'block' from rule 'LD - All Inbound Traffic' of policy 'LD - Packet Filter' (filter list 'LD - All Inbound Traffic', "
        "filter any -> me any)")


def test_the_summary_says_when_the_guard_did_not_run():
    chosen = settings(connection_port=5985, guard_ports=[443])
    assert summary(chosen, [])[-1] == "Management channel (tcp/443, tcp/5985): not evaluated"


@pytest.mark.parametrize("source", ["me", "ME", " Me "])
def test_me_as_a_service_source_is_refused_at_its_entry(source):
    error = refusal(server_services=["http"], service_sources={"http": ["10.0.0.0/8", source]})
    assert (error.field, error.value) == ("packet_filter_service_sources.http[1]", source)
    assert error.reason == "me is the host itself, not a client of its service: give the clients' addresses, subnets or ranges, or any"


@pytest.mark.parametrize(
    ("source", "interface", "expected"),
    [
        ("any", "10.0.1.0/24", ("10.0.1.0", "10.0.1.127", "10.0.1.255")),
        ("10.0.0.0/16", "10.0.1.0/24", ("10.0.1.0", "10.0.1.127", "10.0.1.255")),
        ("10.0.1.200-10.0.2.5", "10.0.1.0/24", ("10.0.1.200", "10.0.1.227", "10.0.1.255")),
        ("10.0.1.7", "10.0.1.0/24", ("10.0.1.7",)),
        ("any", "2001:db8::-2001:db8::3", ("2001:db8::", "2001:db8::1", "2001:db8::3")),
        ("10.0.2.0/24", "10.0.1.0/24", ()),  # no overlap
        ("2001:db8::1-2001:db8::ff", "10.0.1.0/24", ()),  # another IP version
        ("any", "10.0.1.10", ()),  # a single protected address: the controller is not the host
        ("any", "me", ()),
        ("server.example.com", "10.0.1.0/24", ()),
    ],
)
def test_the_overlap_of_a_source_with_the_protected_block_is_tried_at_its_ends_and_inside(source, interface, expected):
    assert overlap_samples(source, interface) == expected


def test_the_guard_tries_the_overlap_and_never_a_packet_from_the_host_to_itself():
    chosen = settings(interface_address="10.0.1.0/30", management_sources=["any"], connection_port=5986)
    pairs = [(packet.source, packet.destination) for packet in management_guard(chosen).packets]
    assert ("10.0.1.1", "10.0.1.0") in pairs and ("203.0.113.1", "10.0.1.3") in pairs
    assert all(source != destination for source, destination in pairs)
    assert not any(source == "2001:db8::1" for source, dummy in pairs)  # another IP version than the interface


def test_sources_of_which_none_has_the_interfaces_ip_version_are_refused_unless_lockout_is_allowed():
    error = refusal(interface_address="192.0.2.10", management_sources=["2001:db8::5", "2001:db8::7-2001:db8::9"])
    assert (error.field, error.value) == ("packet_filter_management_sources", ["2001:db8::5", "2001:db8::7-2001:db8::9"])
    assert error.reason == ("has no source of the IP version of packet_filter_interface_address (192.0.2.10), so the guard would "
                            "check nothing: give the controller's address in that IP version, or any")
    assert settings(interface_address="192.0.2.10", management_sources=["2001:db8::5"], allow_lockout=True).management_sources == ("2001:db8::5",)


def test_two_served_services_with_one_label_are_refused_at_the_later_ones_label():
    error = refusal(custom_services={"web": {"label": "http", "ports": [{"protocol": "tcp", "port": 8080}]}}, server_services=["http", "web"])
    assert (error.field, error.value) == ("packet_filter_custom_services.web.label", "http")
    assert error.reason == ("is the label of http too (ignoring case), and each label names a filter list and a rule: "
                            "give it a label of its own")
    # One label in both directions makes two names (Server, Client): accepted.
    assert settings(custom_services={"web": {"label": "http", "ports": [{"protocol": "tcp", "port": 8080}]}},
                    server_services=["http"], client_services=["web"]).client_services == ("web",)


@pytest.mark.parametrize("value", ["deny_all", "", None, "ALL_INBOUND"])
def test_a_default_deny_the_module_does_not_know_is_refused(value):
    error = refusal(default_deny=value)
    assert (error.field, error.value, error.reason) == ("packet_filter_default_deny", value, "expected one of all_inbound, protocols")


@pytest.mark.parametrize(
    ("interface", "expected"),
    [
        ("0.0.0.0-0.0.0.3", ("0.0.0.0", "0.0.0.1", "0.0.0.3")),
        ("255.255.255.252-255.255.255.255", ("255.255.255.252", "255.255.255.253", "255.255.255.255")),
        ("::-::3", ("::", "::1", "::3")),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")),
    ],
)
def test_any_overlaps_the_protected_range_up_to_the_ends_of_the_address_space(interface, expected):
    assert overlap_samples("any", interface) == expected


@pytest.mark.parametrize("prefix", ["X", "LDX", "LD-"])
def test_a_prefix_without_trailing_spaces_is_taken_as_it_is(prefix):
    assert settings(owner_prefix=prefix).policy == f"{prefix}Packet Filter"


def test_a_subnet_written_with_host_bits_is_tried_over_its_whole_block():
    assert samples("10.0.0.5/30") == ("10.0.0.4", "10.0.0.5", "10.0.0.7")
