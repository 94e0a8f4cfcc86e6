# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_evaluate: the most specific matching filter decides (seed 000, seed 002, A-46); ties go to the
most restrictive action; a filter that matches nothing changes nothing; the weight is monotone."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput, PlanError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import (
    NO_MATCH,
    Packet,
    Verdict,
    endpoint_specificity,
    evaluate,
    matches,
    mirror,
    weight,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)

POLICY = "Packet Filter"
ACTIONS = [FilterAction("Permit", Action.PERMIT), FilterAction("Block", Action.BLOCK), FilterAction("Secure", Action.NEGOTIATE)]


def make_store(*rules: tuple[str, list[Filter], str] | tuple[str, list[Filter], str, bool]) -> Store:
    """A store with one policy; each rule (name, filters, action name[, active]) gets its own list named like it."""
    lists = [FilterList(entry[0], "", tuple(entry[1])) for entry in rules]
    policy_rules = [
        Rule(entry[0], filter_list=entry[0], filter_action=entry[2], activate=entry[3] if len(entry) > 3 else True)
        for entry in rules
    ]
    return Store.of(filter_lists=lists, filter_actions=ACTIONS, policies=[Policy(POLICY, rules=tuple(policy_rules))])


def flt(**options) -> Filter:
    return Filter.build(**options)


def packet(source, destination, protocol="tcp", source_port=0, destination_port=0) -> Packet:
    return Packet.build(source=source, destination=destination, protocol=protocol, source_port=source_port, destination_port=destination_port)


# Seed 000: "Inbound web protocols" (any -> me TCP 80 and 443, mirrored) permitted; "All inbound traffic" blocked.
WEB_80 = flt(source="any", destination="me", protocol="tcp", destination_port=80)
WEB_443 = flt(source="any", destination="me", protocol="tcp", destination_port=443)
ALL_INBOUND = flt(source="any", destination="me")
SEED_000 = make_store(("Inbound web protocols", [WEB_80, WEB_443], "Permit"), ("All inbound traffic", [ALL_INBOUND], "Block"))


@pytest.mark.parametrize("port, expected", [(80, WEB_80), (443, WEB_443)])
def test_seed_000_web_ports_are_permitted(port, expected):
    verdict = evaluate(SEED_000, POLICY, packet("203.0.113.5", "me", "tcp", 40000, port))
    assert verdict == Verdict("permit", "Inbound web protocols", "Inbound web protocols", expected, False)


@pytest.mark.parametrize("port", [3389, 445])
def test_seed_000_everything_else_inbound_is_blocked(port):
    verdict = evaluate(SEED_000, POLICY, packet("203.0.113.5", "me", "tcp", 40000, port))
    assert verdict == Verdict("block", "All inbound traffic", "All inbound traffic", ALL_INBOUND, False)


def test_seed_000_replies_are_permitted_through_the_mirror():
    verdict = evaluate(SEED_000, POLICY, packet("me", "203.0.113.5", "tcp", 80, 40000))
    assert verdict == Verdict("permit", "Inbound web protocols", "Inbound web protocols", WEB_80, True)


def test_seed_000_with_my_addresses_a_literal_address_is_me():
    verdict = evaluate(SEED_000, POLICY, packet("203.0.113.5", "192.0.2.10", "tcp", 40000, 3389), my_addresses=["192.0.2.10"])
    assert verdict.action == "block"
    assert evaluate(SEED_000, POLICY, packet("203.0.113.5", "192.0.2.10", "tcp", 40000, 3389)) == NO_MATCH


# Seed 002: DNS client (me -> any UDP 53, mirrored) permitted over the protocol-level UDP denial.
DNS_CLIENT = flt(source="me", destination="any", protocol="udp", destination_port=53)
UDP_DENY = flt(source="any", destination="me", protocol="udp")
SEED_002 = make_store(("APS - DNS Client", [DNS_CLIENT], "Permit"), ("APS - Deny UDP", [UDP_DENY], "Block"))


def test_seed_002_dns_reply_is_permitted():
    verdict = evaluate(SEED_002, POLICY, packet("198.51.100.53", "me", "udp", 53, 53000))
    assert verdict == Verdict("permit", "APS - DNS Client", "APS - DNS Client", DNS_CLIENT, True)


def test_seed_002_dns_query_is_permitted_and_other_udp_blocked():
    assert evaluate(SEED_002, POLICY, packet("me", "198.51.100.53", "udp", 53000, 53)).action == "permit"
    verdict = evaluate(SEED_002, POLICY, packet("198.51.100.53", "me", "udp", 40000, 161))
    assert (verdict.action, verdict.rule, verdict.reversed) == ("block", "APS - Deny UDP", False)
    # TCP is not UDP: nothing matches, IPsec leaves it alone.
    assert evaluate(SEED_002, POLICY, packet("198.51.100.53", "me", "tcp", 40000, 161)) == NO_MATCH


def test_host_permit_beats_subnet_block():
    store = make_store(
        ("Admin host", [flt(source="10.0.0.5", destination="me")], "Permit"),
        ("Office RDP", [flt(source="10.0.0.0/24", destination="me", protocol="tcp", destination_port=3389)], "Block"),
    )
    assert evaluate(store, POLICY, packet("10.0.0.5", "me", "tcp", 50000, 3389)).rule == "Admin host"
    assert evaluate(store, POLICY, packet("10.0.0.6", "me", "tcp", 50000, 3389)).rule == "Office RDP"


def test_subnet_permit_loses_to_host_block():
    store = make_store(
        ("Office RDP", [flt(source="10.0.0.0/24", destination="me", protocol="tcp", destination_port=3389)], "Permit"),
        ("Bad host", [flt(source="10.0.0.5", destination="me")], "Block"),
    )
    assert evaluate(store, POLICY, packet("10.0.0.5", "me", "tcp", 50000, 3389)).action == "block"
    assert evaluate(store, POLICY, packet("10.0.0.9", "me", "tcp", 50000, 3389)).action == "permit"


def test_inactive_rules_are_ignored():
    store = make_store(
        ("All inbound traffic", [ALL_INBOUND], "Block"),
        ("Disabled RDP", [flt(source="any", destination="me", protocol="tcp", destination_port=3389)], "Permit", False),
    )
    verdict = evaluate(store, POLICY, packet("203.0.113.5", "me", "tcp", 40000, 3389))
    assert (verdict.action, verdict.rule) == ("block", "All inbound traffic")


@pytest.mark.parametrize(
    "actions, expected",
    [(("Permit", "Block"), "block"), (("Block", "Permit"), "block"), (("Permit", "Secure"), "negotiate"), (("Secure", "Block"), "block")],
)
def test_ties_resolve_to_the_most_restrictive_action(actions, expected):
    same = flt(source="any", destination="me", protocol="tcp", destination_port=80)
    store = make_store(("A", [same], actions[0]), ("B", [same], actions[1]))
    assert evaluate(store, POLICY, packet("203.0.113.5", "me", "tcp", 40000, 80)).action == expected


def test_tie_between_a_forward_and_a_mirrored_match_also_goes_to_block():
    # "me -> any UDP 53" reversed and "any -> me UDP sport 53" weigh the same for the reply.
    store = make_store(("DNS", [DNS_CLIENT], "Permit"), ("Deny DNS replies", [flt(source="any", destination="me", protocol="udp", source_port=53)], "Block"))
    verdict = evaluate(store, POLICY, packet("198.51.100.53", "me", "udp", 53, 53000))
    assert (verdict.action, verdict.reversed) == ("block", False)


def test_unmirrored_filter_does_not_match_the_reply():
    one_way = flt(source="any", destination="me", protocol="tcp", destination_port=80, mirrored=False)
    store = make_store(("Web", [one_way], "Permit"), ("All", [flt(source="any", destination="any")], "Block"))
    assert evaluate(store, POLICY, packet("me", "203.0.113.5", "tcp", 80, 40000)).rule == "All"


@pytest.mark.parametrize(
    "endpoint, address, mine, expected",
    [
        ("any", "2001:db8::1", (), True),
        ("me", "me", (), True),
        ("me", "192.0.2.10", ("192.0.2.10",), True),
        ("me", "192.0.2.11", ("192.0.2.10",), False),
        ("10.0.0.0/8", "10.200.1.1", (), True),
        ("10.0.0.0/8", "11.0.0.1", (), False),
        ("10.0.0.0/8", "me", ("10.1.1.1",), True),
        ("10.0.0.0/8", "me", (), False),
        ("10.0.0.1-10.0.0.9", "10.0.0.9", (), True),
        ("10.0.0.1-10.0.0.9", "10.0.0.10", (), False),
        ("2001:db8::1", "2001:db8::1", (), True),
        ("2001:db8::1", "10.0.0.1", (), False),
        ("web.example.com", "198.18.0.1", (), False),
    ],
)
def test_endpoint_matching(endpoint, address, mine, expected):
    item = flt(source=endpoint, destination="any")
    assert matches(item, packet(address, "192.0.2.99"), my_addresses=mine) is expected


def test_server_types_never_match_offline():
    item = flt(source="dns", destination="me", protocol="udp", source_port=53)
    assert not matches(item, packet("192.0.2.53", "me", "udp", 53, 53000), my_addresses=["192.0.2.53"])


def test_no_match_is_permit_without_a_rule():
    assert evaluate(make_store(("Web", [WEB_80], "Permit")), POLICY, packet("me", "192.0.2.1", "icmp")) == NO_MATCH
    assert NO_MATCH == Verdict("permit", None, None, None, False)


def test_unknown_policy_is_an_error():
    with pytest.raises(PlanError, match="'Nope' does not exist"):
        evaluate(SEED_000, "Nope", packet("203.0.113.5", "me"))


@pytest.mark.parametrize("missing", ["filter_list", "filter_action"])
def test_rule_naming_a_missing_object_is_an_error(missing):
    rule = Rule("Broken", **{"filter_list": "Web", "filter_action": "Permit", "activate": True, missing: "Gone"})
    store = Store.of(filter_lists=[FilterList("Web", "", (WEB_80,))], filter_actions=ACTIONS, policies=[Policy(POLICY, rules=(rule,))])
    with pytest.raises(PlanError) as caught:
        evaluate(store, POLICY, packet("203.0.113.5", "me", "tcp", 1, 80))
    kind = missing.replace("_", " ")
    assert str(caught.value) == f"policy 'Packet Filter', rule 'Broken': {kind} 'Gone' does not exist"


def test_a_rule_whose_filters_or_action_are_unknown_is_an_error():
    rule = Rule("Partial", filter_list="Web", filter_action="Permit", activate=True)
    unknown_filters = Store.of(filter_lists=[FilterList("Web", "", None)], filter_actions=ACTIONS, policies=[Policy(POLICY, rules=(rule,))])
    with pytest.raises(PlanError) as caught:
        evaluate(unknown_filters, POLICY, packet("203.0.113.5", "me", "tcp", 1, 80))
    assert str(caught.value) == "policy 'Packet Filter', rule 'Partial': the filters of filter list 'Web' are not known"
    unknown_action = Store.of(filter_lists=[FilterList("Web", "", (WEB_80,))], filter_actions=[FilterAction("Permit", None)],
                              policies=[Policy(POLICY, rules=(rule,))])
    with pytest.raises(PlanError) as caught:
        evaluate(unknown_action, POLICY, packet("203.0.113.5", "me", "tcp", 1, 80))
    assert str(caught.value) == "policy 'Packet Filter', rule 'Partial': the action of filter action 'Permit' is not known"


def test_a_packet_built_directly_is_checked_like_a_built_one():
    with pytest.raises(InvalidInput) as caught:
        evaluate(SEED_000, POLICY, Packet("203.0.113.5", "me", 0))
    assert caught.value.field == "protocol"


@pytest.mark.parametrize(
    "options, field",
    [
        ({"source": "nowhere", "destination": "me"}, "source"),
        ({"source": "me", "destination": "10.0.0.0/8"}, "destination"),
        ({"source": "me", "destination": "any"}, "destination"),
        ({"source": "me", "destination": "10.0.0.1", "protocol": "any"}, "protocol"),
        ({"source": "me", "destination": "10.0.0.1", "protocol": "sctp"}, "protocol"),
        ({"source": "me", "destination": "10.0.0.1", "destination_port": 70000}, "destination_port"),
        ({"source": "me", "destination": "10.0.0.1", "protocol": "icmp", "source_port": 7}, "source_port"),
    ],
)
def test_packet_build_names_the_field(options, field):
    with pytest.raises(InvalidInput) as caught:
        Packet.build(**options)
    assert caught.value.field == field


def test_packet_build_canonicalises():
    assert Packet.build(source=" ME ", destination="2001:DB8:0::1", protocol="UDP", source_port="any", destination_port="53") == Packet(
        "me", "2001:db8::1", 17, 0, 53
    )


def test_my_addresses_are_checked():
    with pytest.raises(InvalidInput) as caught:
        evaluate(SEED_000, POLICY, packet("203.0.113.5", "me"), my_addresses=["10.0.0.1", "me"])
    assert caught.value.field == "my_addresses[1]"


def test_weight_order_addresses_then_protocol_then_ports():
    host_any = flt(source="10.0.0.5", destination="any")
    subnet_all_ports = flt(source="10.0.0.0/24", destination="me", protocol="tcp", source_port=1, destination_port=2)
    assert weight(host_any) > weight(subnet_all_ports)  # the source address outranks everything after it
    assert weight(flt(source="any", destination="me")) > weight(flt(source="any", destination="10.0.0.0/8", protocol="tcp", destination_port=80))
    assert weight(flt(source="any", destination="me", protocol="udp")) > weight(flt(source="any", destination="me"))
    assert weight(flt(source="any", destination="me", protocol="udp", source_port=53)) > weight(
        flt(source="any", destination="me", protocol="udp", destination_port=53)
    )
    assert weight(mirror(DNS_CLIENT)) == (0, 32, 1, 1, 0)


@pytest.mark.parametrize(
    "text, bits",
    [("any", 0), ("me", 32), ("10.0.0.5", 32), ("10.0.0.0/8", 8), ("10.0.0.1-10.0.0.9", 28), ("10.0.0.0-10.0.0.255", 24),
     ("2001:db8::1", 32), ("dns", 32), ("web.example.com", 32)],
)
def test_endpoint_specificity(text, bits):
    assert endpoint_specificity(Endpoint.parse(text)) == bits


# --- properties -------------------------------------------------------------------------------------

ENDPOINTS = ["any", "me", "10.0.0.5", "10.0.0.0/24", "10.0.0.0/8", "10.0.0.1-10.0.0.9", "192.0.2.7", "2001:db8::7"]
PACKET_ADDRESSES = ["me", "10.0.0.5", "10.0.0.7", "10.9.0.1", "192.0.2.7", "2001:db8::7"]


@st.composite
def small_filters(draw) -> Filter:
    protocol = draw(st.sampled_from([0, 1, 6, 17]))
    ports = st.sampled_from([0, 53, 80]) if protocol in (6, 17) else st.just(0)
    return Filter(
        source=Endpoint.parse(draw(st.sampled_from(ENDPOINTS))),
        destination=Endpoint.parse(draw(st.sampled_from(ENDPOINTS))),
        protocol=protocol,
        source_port=draw(ports),
        destination_port=draw(ports),
        mirrored=draw(st.booleans()),
    )


@st.composite
def small_packets(draw) -> Packet:
    protocol = draw(st.sampled_from([1, 6, 17]))
    ports = st.sampled_from([0, 53, 80, 40000]) if protocol in (6, 17) else st.just(0)
    return Packet.build(
        source=draw(st.sampled_from(PACKET_ADDRESSES)),
        destination=draw(st.sampled_from(PACKET_ADDRESSES)),
        protocol=protocol,
        source_port=draw(ports),
        destination_port=draw(ports),
    )


@st.composite
def small_stores(draw) -> Store:
    count = draw(st.integers(1, 4))
    rules = [
        (f"R{index}", draw(st.lists(small_filters(), min_size=1, max_size=3)), draw(st.sampled_from(["Permit", "Block", "Secure"])), draw(st.booleans()))
        for index in range(count)
    ]
    return make_store(*rules)


MINE = ("10.0.0.7",)


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow], deadline=None)
@given(store=small_stores(), probe=small_packets(), extra=small_filters(), where=st.integers(0, 4), action=st.sampled_from(["Permit", "Block", "Secure"]))
def test_a_filter_that_matches_nothing_changes_no_verdict(store, probe, extra, where, action):
    assume(not matches(extra, probe, my_addresses=MINE))
    assume(not (extra.mirrored and matches(mirror(extra), probe, my_addresses=MINE)))
    before = evaluate(store, POLICY, probe, my_addresses=MINE)
    policy = store.policies[POLICY]
    if where < len(policy.rules):  # into an existing list
        name = policy.rules[where].filter_list
        lists = dict(store.filter_lists)
        lists[name] = FilterList(name, "", lists[name].filters + (extra,))
        changed = Store.of(filter_lists=lists.values(), filter_actions=ACTIONS, policies=[policy])
    else:  # in a new rule of its own
        rules = policy.rules + (Rule("Zz extra", filter_list="Zz extra", filter_action=action, activate=True),)
        changed = Store.of(
            filter_lists=[*store.filter_lists.values(), FilterList("Zz extra", "", (extra,))],
            filter_actions=ACTIONS,
            policies=[Policy(POLICY, rules=rules)],
        )
    assert evaluate(changed, POLICY, probe, my_addresses=MINE) == before


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(store=small_stores(), probe=small_packets())
def test_the_winner_matches_and_weighs_at_least_as_much_as_every_matching_active_filter(store, probe):
    verdict = evaluate(store, POLICY, probe, my_addresses=MINE)
    directed_weights = [
        weight(directed)
        for rule in store.policies[POLICY].rules if rule.activate
        for item in store.filter_lists[rule.filter_list].filters
        for directed in ((item, mirror(item)) if item.mirrored else (item,))
        if matches(directed, probe, my_addresses=MINE)
    ]
    if verdict.rule is None:
        assert not directed_weights and verdict == NO_MATCH
        return
    won = mirror(verdict.filter) if verdict.reversed else verdict.filter
    assert matches(won, probe, my_addresses=MINE)
    assert weight(won) == max(directed_weights)


# Levels per dimension, least specific first: source, destination, protocol, source port, destination port.
ADDRESS_LEVELS = ["any", "10.0.0.0/8", "10.0.0.0/24", "10.0.0.1-10.0.0.9", "10.0.0.5"]
LEVELS = [ADDRESS_LEVELS, ADDRESS_LEVELS, [0, 6], [0, 80], [0, 443]]


def _filter_at(levels: tuple[int, ...]) -> Filter:
    values = [LEVELS[dimension][level] for dimension, level in enumerate(levels)]
    return Filter(Endpoint.parse(values[0]), Endpoint.parse(values[1]), values[2], values[3], values[4])


@st.composite
def level_vectors(draw) -> tuple[int, ...]:
    vector = tuple(draw(st.integers(0, len(levels) - 1)) for levels in LEVELS)
    assume(vector[2] == 1 or (vector[3] == 0 and vector[4] == 0))  # ports need TCP
    return vector


@settings(max_examples=300, deadline=None)
@given(base=level_vectors(), dimension=st.integers(0, 4), data=st.data())
def test_weight_is_monotone(base, dimension, data):
    assume(base[dimension] < len(LEVELS[dimension]) - 1)
    higher = data.draw(st.integers(base[dimension] + 1, len(LEVELS[dimension]) - 1))
    more = base[:dimension] + (higher,) + base[dimension + 1:]
    assume(more[2] == 1 or (more[3] == 0 and more[4] == 0))
    assert weight(_filter_at(more)) > weight(_filter_at(base))


def test_weight_is_monotone_on_the_whole_lattice():
    vectors = [v for v in itertools.product(*(range(len(levels)) for levels in LEVELS)) if v[2] == 1 or (v[3] == 0 and v[4] == 0)]
    weights = {v: weight(_filter_at(v)) for v in vectors}
    for low in vectors:
        for high in vectors:
            if low != high and all(a <= b for a, b in zip(low, high)):
                assert weights[high] > weights[low], (low, high)


def test_a_mirrored_filter_matching_both_ways_equally_is_reported_forward():
    both_ways = flt(source="any", destination="any")  # mirrored by default: its mirror is the same filter
    verdict = evaluate(make_store(("Everything", [both_ways], "Block")), POLICY, packet("192.0.2.1", "192.0.2.2", "udp", 53, 53))
    assert verdict == Verdict("block", "Everything", "Everything", both_ways, False)
