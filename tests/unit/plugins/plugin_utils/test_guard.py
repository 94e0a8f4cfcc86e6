# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lockout guard (_guard): verdicts against the assigned policy of a store, their text and data,
the refusal message (packets with one fate named together), and ipsec_config's guard option."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import Packet
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._guard import (
    NAMED_PACKETS,
    Guard,
    LockoutRefused,
    check_packets,
    guard_from_option,
    packet_text,
    refuse_lockout,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config, with_assignment
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store

ADVICE = "Do something."
# Permit tcp 5985 from 10.0.0.0/8 to me; block everything else to me (mirrored); a rule that
# negotiates udp 500 from 192.0.2.1.
CONFIG = {
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"},
                       {"name": "Secure", "action": "negotiate", "qm_security_methods": ["ESP[3DES,SHA1]"]}],
    "filter_lists": [
        {"name": "Management", "filters": [{"source": "10.0.0.0/8", "destination": "me", "protocol": "tcp", "destination_port": 5985}]},
        {"name": "All", "filters": [{"source": "any", "destination": "me", "protocol": "any", "mirrored": True}]},
        {"name": "IKE", "filters": [{"source": "192.0.2.1", "destination": "me", "protocol": "udp", "destination_port": 500}]},
    ],
    "policies": [{"name": "Lockdown", "rules": [
        {"name": "Management", "filter_list": "Management", "filter_action": "Permit"},
        {"name": "Block all", "filter_list": "All", "filter_action": "Block"},
        {"name": "IKE", "filter_list": "IKE", "filter_action": "Secure"},
    ]}],
}


def store(assigned: str | None = "Lockdown") -> Store:
    return with_assignment(store_from_config(CONFIG, fill_defaults=True), Store(), assigned=assigned or "")


def tcp(source: str, port: int = 5985, source_port: int = 49152, destination: str = "me") -> Packet:
    return Packet.build(source=source, destination=destination, protocol="tcp", source_port=source_port, destination_port=port)


# --- packet_text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("packet", "text"),
    [
        (tcp("203.0.113.1"), "TCP 203.0.113.1:49152 -> me:5985"),
        (tcp("2001:db8::1", destination="2001:db8::2"), "TCP [2001:db8::1]:49152 -> [2001:db8::2]:5985"),
        (tcp("203.0.113.1", source_port=0), "TCP 203.0.113.1 -> me:5985"),
        (tcp("2001:db8::1", port=0), "TCP [2001:db8::1]:49152 -> me"),
        (Packet.build(source="203.0.113.1", destination="me", protocol="udp", destination_port=53), "UDP 203.0.113.1 -> me:53"),
        (Packet.build(source="203.0.113.1", destination="me", protocol="icmp"), "ICMP 203.0.113.1 -> me"),
        (Packet.build(source="203.0.113.1", destination="me", protocol=47), "47 203.0.113.1 -> me"),
        (Packet.build(source="203.0.113.1", destination="me", protocol=200), "200 203.0.113.1 -> me"),
    ],
)
def test_a_packet_reads_as_protocol_source_and_destination_with_ports_only_when_set(packet, text):
    assert packet_text(packet) == text


# --- check_packets and the verdicts ------------------------------------------------------------------


def test_with_no_policy_assigned_every_packet_is_permitted():
    verdicts = check_packets(store(assigned=None), Guard((tcp("203.0.113.1"), tcp("10.0.0.1"))))
    assert [found.safe for found in verdicts] == [True, True]
    assert verdicts[0].explain() == "TCP 203.0.113.1:49152 -> me:5985 is permitted: no policy will be assigned"
    assert verdicts[0].to_data() == {
        "source": "203.0.113.1", "destination": "me", "protocol": "tcp", "source_port": 49152, "destination_port": 5985,
        "policy": None, "action": "permit", "rule": None, "filter_list": None, "order_dependent": False, "safe": True,
    }


def test_each_packet_gets_the_verdict_of_the_assigned_policy_in_the_order_given():
    packets = (tcp("10.1.2.3"), tcp("203.0.113.1"), Packet.build(source="192.0.2.1", destination="me", protocol="udp", destination_port=500))
    verdicts = check_packets(store(), Guard(packets))
    assert [found.packet for found in verdicts] == list(packets)
    assert [(found.policy, found.verdict.action, found.verdict.rule, found.safe) for found in verdicts] == [
        ("Lockdown", "permit", "Management", True),
        ("Lockdown", "block", "Block all", False),
        ("Lockdown", "negotiate", "IKE", False),
    ]
    assert verdicts[1].explain() == ("TCP 203.0.113.1:49152 -> me:5985 gets action 'block' from rule 'Block all' of policy 'Lockdown' "
                                     "(filter list 'All', filter any -> me any)")
    assert verdicts[2].to_data() == {
        "source": "192.0.2.1", "destination": "me", "protocol": "udp", "source_port": 0, "destination_port": 500,
        "policy": "Lockdown", "action": "negotiate", "rule": "IKE", "filter_list": "IKE", "order_dependent": False, "safe": False,
    }


def test_a_match_through_a_mirror_says_so_and_no_match_is_permitted():
    # From me to a remote host: only the mirrored block filter matches, in its reverse direction.
    outbound = Packet.build(source="me", destination="198.51.100.7", protocol="tcp", source_port=49152, destination_port=443)
    found = check_packets(store(), Guard((outbound,)))[0]
    assert found.explain() == ("TCP me:49152 -> 198.51.100.7:443 gets action 'block' from rule 'Block all' of policy 'Lockdown' "
                               "(filter list 'All', filter any -> me any through its mirror)")
    # The management filter is not mirrored: from me to 10.0.0.1 port 5985 nothing but the block matches.
    unmatched = Packet.build(source="198.51.100.7", destination="192.0.2.200", protocol="tcp", destination_port=22)
    other = check_packets(store(), Guard((unmatched,)))[0]
    assert (other.safe, other.verdict.rule) == (True, None)
    assert other.explain() == "TCP 198.51.100.7 -> 192.0.2.200:22 is permitted: no filter of policy 'Lockdown' matches it"
    assert other.to_data()["order_dependent"] is False and other.to_data()["rule"] is None


def test_a_verdict_that_depends_on_the_order_of_the_criteria_is_not_safe():
    # Source /8 and any port against a host source on another port: the management permit is more
    # specific in its destination port, the block more specific in its source.
    config = {
        "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
        "filter_lists": [
            {"name": "Management", "filters": [{"source": "10.0.0.0/8", "destination": "me", "protocol": "tcp", "destination_port": 5985}]},
            {"name": "One host", "filters": [{"source": "10.0.0.9", "destination": "me", "protocol": "any"}]},
        ],
        "policies": [{"name": "P", "rules": [{"name": "M", "filter_list": "Management", "filter_action": "Permit"},
                                             {"name": "B", "filter_list": "One host", "filter_action": "Block"}]}],
    }
    ambiguous = with_assignment(store_from_config(config, fill_defaults=True), Store(), assigned="P")
    found = check_packets(ambiguous, Guard((tcp("10.0.0.9"),)))[0]
    assert found.disagreement is not None and not found.safe
    assert found.to_data()["order_dependent"] is True
    # Source first, the host /32 outweighs the /8; protocol and ports first, the permit's tcp/5985 wins.
    assert found.fate() == (
        "depends on an unconfirmed reading of filter specificity: under our reading of filter specificity (A-46) rule 'B' "
        "(filter list 'One host', filter 10.0.0.9 -> me any) gives block; under the equally plausible reading 'protocol and "
        "ports before addresses, the most restrictive action winning ties' rule 'M' (filter list 'Management', filter "
        "10.0.0.0/8 -> me TCP any->5985) gives permit. Make the filter that must win at least as specific as the other in "
        "source and destination address, protocol and ports, so that every reading agrees")
    assert found.explain() == f"TCP 10.0.0.9:49152 -> me:5985 {found.fate()}"


def test_addresses_of_the_host_are_checked():
    with pytest.raises(InvalidInput) as caught:
        check_packets(store(), Guard((tcp("10.0.0.1"),), my_addresses=("10.0.0.300",)))
    assert caught.value.field == "my_addresses[0]"


# --- refuse_lockout ---------------------------------------------------------------------------------


def test_safe_packets_pass_with_their_verdicts():
    verdicts = refuse_lockout(store(), Guard((tcp("10.0.0.1"), tcp("10.255.255.255"))), advice=ADVICE)
    assert [found.verdict.rule for found in verdicts] == ["Management", "Management"]


BLOCKED = "gets action 'block' from rule 'Block all' of policy 'Lockdown' (filter list 'All', filter any -> me any)"


@pytest.mark.parametrize(
    ("sources", "named"),
    [
        (["203.0.113.1"], "TCP 203.0.113.1:49152 -> me:5985"),
        (["203.0.113.1", "203.0.113.2"], "TCP 203.0.113.1:49152 -> me:5985 and TCP 203.0.113.2:49152 -> me:5985"),
        (["203.0.113.1", "203.0.113.2", "203.0.113.3"],
         "TCP 203.0.113.1:49152 -> me:5985, TCP 203.0.113.2:49152 -> me:5985 and TCP 203.0.113.3:49152 -> me:5985"),
        (["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"],
         "TCP 203.0.113.1:49152 -> me:5985, TCP 203.0.113.2:49152 -> me:5985, TCP 203.0.113.3:49152 -> me:5985 and 1 more packet"),
        (["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"],
         "TCP 203.0.113.1:49152 -> me:5985, TCP 203.0.113.2:49152 -> me:5985, TCP 203.0.113.3:49152 -> me:5985 and 2 more packets"),
    ],
)
def test_a_refusal_names_packets_with_one_fate_together(sources, named):
    assert NAMED_PACKETS == 3
    packets = (tcp("10.0.0.1"),) + tuple(tcp(source) for source in sources)
    with pytest.raises(LockoutRefused) as caught:
        refuse_lockout(store(), Guard(packets), advice=ADVICE)
    assert str(caught.value) == (f"Refusing the change: it would or could block the management channel: {named} {BLOCKED}. "
                                 f"Nothing was changed on the host. {ADVICE}")
    assert [found.packet for found in caught.value.verdicts] == list(packets)  # every verdict, the safe one too


def test_a_refusal_names_each_fate_in_the_order_first_met():
    ike = Packet.build(source="192.0.2.1", destination="me", protocol="udp", destination_port=500)
    with pytest.raises(LockoutRefused) as caught:
        refuse_lockout(store(), Guard((tcp("203.0.113.1"), ike, tcp("203.0.113.2"))), advice=ADVICE)
    assert str(caught.value) == (
        "Refusing the change: it would or could block the management channel: "
        f"TCP 203.0.113.1:49152 -> me:5985 and TCP 203.0.113.2:49152 -> me:5985 {BLOCKED}; "
        "UDP 192.0.2.1 -> me:500 gets action 'negotiate' from rule 'IKE' of policy 'Lockdown' (filter list 'IKE', filter 192.0.2.1 -> me UDP any->500). "
        f"Nothing was changed on the host. {ADVICE}")


# --- guard_from_option ------------------------------------------------------------------------------


def option_packet(**given):
    return {"source": "203.0.113.1", "destination": "me", "protocol": "tcp", "source_port": 0, "destination_port": 5985, **given}


def test_no_guard_option_is_no_guard():
    assert guard_from_option(None) is None


def test_the_guard_option_becomes_packets_and_the_hosts_addresses():
    guard = guard_from_option({"packets": [option_packet(), option_packet(protocol="udp", destination_port=53)],
                               "my_addresses": ["192.0.2.10", "2001:db8::10"]})
    assert guard == Guard((tcp("203.0.113.1", source_port=0),
                           Packet.build(source="203.0.113.1", destination="me", protocol="udp", destination_port=53)),
                          ("192.0.2.10", "2001:db8::10"))
    assert guard_from_option({"packets": [option_packet()], "my_addresses": None}).my_addresses == ()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"packets": [], "my_addresses": []}, "guard.packets"),
        ({"packets": None, "my_addresses": []}, "guard.packets"),
        ({"packets": [option_packet(), option_packet(source="10.0.0.300")], "my_addresses": []}, "guard.packets[1].source"),
        ({"packets": [option_packet(destination_port=65536)], "my_addresses": []}, "guard.packets[0].destination_port"),
        ({"packets": [option_packet(protocol="icmp")], "my_addresses": []}, "guard.packets[0].destination_port"),
        ({"packets": [option_packet()], "my_addresses": ["192.0.2.10", "host.example.com"]}, "guard.my_addresses[1]"),
    ],
)
def test_a_bad_guard_option_is_refused_at_its_field(value, field):
    with pytest.raises(InvalidInput) as caught:
        guard_from_option(value)
    assert caught.value.field == field
    if field == "guard.packets":
        assert str(caught.value) == "guard.packets: needs at least one packet: a guard that checks nothing protects nothing (got [])"
