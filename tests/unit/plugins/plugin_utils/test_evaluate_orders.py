# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_evaluate.evaluate_orders: a verdict that another plausible reading of "most specific wins" (A-46)
would turn into another action is reported, with the filters that decide."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import (
    ORDERS,
    Disagreement,
    Verdict,
    describe,
    evaluate,
    evaluate_orders,
    order_note,
)
from test_evaluate import POLICY, flt, make_store, packet

MANAGEMENT = packet("10.0.0.5", "me", "tcp", 49152, 5985)


def test_the_first_reading_is_the_evaluators_and_every_reading_has_its_own_name():
    assert ORDERS[0].name == "source before destination, the most restrictive action winning ties"
    assert len({order.name for order in ORDERS}) == len(ORDERS) == 6


def test_a_management_filter_more_specific_in_every_criterion_is_not_order_dependent():
    permit = flt(source="10.0.0.0", source_mask="255.0.0.0", destination="me", protocol="tcp", destination_port=5985)
    store = make_store(("Management", [permit], "Permit"), ("All inbound", [flt(source="any", destination="me")], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict == evaluate(store, POLICY, MANAGEMENT) and verdict.action == "permit" and disagreements == ()


def test_a_narrow_source_against_a_narrow_destination_depends_on_which_address_counts_first():
    permit = flt(source="10.0.0.5", destination="any", protocol="tcp", destination_port=5985)  # source 32, destination 0
    block = flt(source="10.0.0.0", source_mask="255.0.0.0", destination="me")                 # source 8, destination 32
    store = make_store(("Admin", [permit], "Permit"), ("Office", [block], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict.action == "permit" and verdict.rule == "Admin"
    orders = {item.order for item in disagreements}
    assert orders == {"destination before source, the most restrictive action winning ties",
                      "destination before source, the least restrictive action winning ties"}
    assert all(item.verdict == Verdict("block", "Office", "Office", block, False) for item in disagreements)


def test_a_specific_port_against_a_specific_address_depends_on_whether_ports_count_first():
    permit = flt(source="10.0.0.5", destination="me")                          # addresses, any protocol
    block = flt(source="any", destination="me", protocol="tcp", destination_port=5985)
    store = make_store(("Host", [permit], "Permit"), ("Port", [block], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict.action == "permit"
    assert {item.order for item in disagreements} == {name for name in (order.name for order in ORDERS) if name.startswith("protocol")}


def test_equally_specific_filters_with_different_actions_depend_on_the_tie_break():
    same = flt(source="any", destination="me", protocol="tcp", destination_port=5985)
    store = make_store(("Allow", [same], "Permit"), ("Deny", [same], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict.action == "block" and verdict.rule == "Deny"
    assert {item.order for item in disagreements} == {order.name for order in ORDERS if "least restrictive" in order.name}
    assert all(item.verdict.rule == "Allow" and item.verdict.action == "permit" for item in disagreements)


def test_equally_specific_filters_with_the_same_action_are_not_order_dependent():
    same = flt(source="any", destination="me", protocol="tcp", destination_port=5985)
    store = make_store(("One", [same], "Block"), ("Two", [same], "Block"))
    assert evaluate_orders(store, POLICY, MANAGEMENT)[1] == ()


def test_no_match_is_the_same_under_every_reading():
    store = make_store(("Web", [flt(source="any", destination="me", protocol="tcp", destination_port=80)], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict.rule is None and verdict.action == "permit" and disagreements == ()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["any", "10.0.0.0/8", "10.0.0.5"]), st.sampled_from(["any", "me"]),
                          st.sampled_from([0, 6]), st.sampled_from([0, 5985]), st.sampled_from(["Permit", "Block"])),
                min_size=1, max_size=4))
def test_the_first_verdict_is_always_evaluates_and_every_disagreement_differs_in_action(filters):
    rules = []
    for index, (source, destination, protocol, port, action) in enumerate(filters):
        address, dummy, prefix = source.partition("/")
        item = flt(source=address, source_mask=None if not prefix else "255.0.0.0", destination=destination,
                   protocol=protocol, destination_port=port if protocol else 0)
        rules.append((f"R{index}", [item], action))
    store = make_store(*rules)
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert verdict == evaluate(store, POLICY, MANAGEMENT)
    assert all(item.verdict.action != verdict.action for item in disagreements)
    assert len({item.order for item in disagreements}) == len(disagreements)


def test_the_note_names_both_readings_both_filters_and_the_way_out():
    permit = flt(source="10.0.0.5", destination="any", protocol="tcp", destination_port=5985)
    block = flt(source="10.0.0.0", source_mask="255.0.0.0", destination="me")
    store = make_store(("Admin", [permit], "Permit"), ("Office", [block], "Block"))
    verdict, disagreements = evaluate_orders(store, POLICY, MANAGEMENT)
    assert order_note(verdict, disagreements[0]) == (
        "under our reading of filter specificity (A-46) rule 'Admin' (filter list 'Admin', filter 10.0.0.5 -> any TCP any->5985) "
        "gives permit; under the equally plausible reading 'destination before source, the most restrictive action winning ties' "
        "rule 'Office' (filter list 'Office', filter 10.0.0.0/8 -> me any) gives block. Make the filter that must win at least "
        "as specific as the other in source and destination address, protocol and ports, so that every reading agrees")


def test_the_note_of_a_mirror_match_and_of_no_match():
    reply = Verdict("block", "R", "L", flt(source="any", destination="me", protocol="udp", source_port=53), True)
    none = Disagreement("some reading", Verdict("permit", None, None, None, False))
    assert order_note(reply, none) == (
        "under our reading of filter specificity (A-46) rule 'R' (filter list 'L', filter any -> me UDP 53->any (through its mirror)) "
        "gives block; under the equally plausible reading 'some reading' no filter matches (permitted). Make the filter that must "
        "win at least as specific as the other in source and destination address, protocol and ports, so that every reading agrees")
    assert describe(None) == "none"


@pytest.mark.parametrize("item, text", [
    (flt(source="any", destination="me"), "any -> me any"),
    (flt(source="any", destination="me", protocol="icmp"), "any -> me ICMP"),
    (flt(source="10.1.0.0", source_mask="255.255.0.0", destination="me", protocol=47), "10.1.0.0/16 -> me 47"),
])
def test_describe(item, text):
    assert describe(item) == text
