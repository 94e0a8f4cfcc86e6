# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lockdown.ipsec.ipsec_evaluate filter: config-shaped data in (redacted keys and all), one
verdict per packet out, errors naming the field and the value."""

from __future__ import annotations

import copy

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.lockdown.ipsec.plugins.filter.ipsec_evaluate import FilterModule, ipsec_evaluate
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data

PSK = AuthMethod(AuthKind.PRESHARED_KEY, "s3cret")


def _gathered() -> dict:
    """Seed 000's web server as a module would return it: keys redacted to ********."""
    store = Store.of(
        filter_lists=[
            FilterList("Inbound web protocols", "", (
                Filter.build(source="any", destination="me", protocol="tcp", destination_port=80),
                Filter.build(source="any", destination="me", protocol="tcp", destination_port=443),
            )),
            FilterList("All inbound traffic", "", (Filter.build(source="any", destination="me"),)),
        ],
        filter_actions=[FilterAction("Permit", Action.PERMIT, "", False, False, False, ()), FilterAction("Block", Action.BLOCK, "", False, False, False, ())],
        policies=[Policy(
            "Packet Filter",
            "",
            rules=(
                Rule("Inbound web protocols", "Inbound web protocols", "Permit", True, auth_methods=(PSK,)),
                Rule("All inbound traffic", "All inbound traffic", "Block", True, auth_methods=(KERBEROS,)),
            ),
            default_rule=DefaultResponseRule(True, False, (), (PSK,)),
            assigned=True,
        )],
    )
    return store_to_data(store)


def test_gathered_data_holds_a_redacted_key_that_store_from_config_refuses():
    data = _gathered()
    assert data["policies"][0]["rules"][1]["authentication"][0]["pre_shared_key"] == "********"
    with pytest.raises(InvalidInput, match="redacted"):
        store_from_config(data, fill_defaults=True)


def test_evaluates_each_packet_on_redacted_data():
    data = _gathered()
    pristine = copy.deepcopy(data)
    packets = [
        {"name": "https", "source": "203.0.113.5", "destination": "me", "protocol": "tcp", "source_port": 40000, "destination_port": 443},
        {"source": "203.0.113.5", "destination": "10.0.0.20", "destination_port": 3389},
        {"source": "me", "destination": "203.0.113.5", "protocol": "TCP", "source_port": 80, "destination_port": 40000},
        {"source": "me", "destination": "203.0.113.5", "protocol": "icmp", "source_port": None},
    ]
    results = ipsec_evaluate(data, policy="Packet Filter", packets=packets, my_addresses=["10.0.0.20"])
    assert data == pristine  # the input is not modified
    assert results[0] == {
        **packets[0],
        "action": "permit",
        "rule": "Inbound web protocols",
        "filter_list": "Inbound web protocols",
        "filter": {
            "source": "any", "source_mask": None, "destination": "me", "destination_mask": None, "protocol": "tcp",
            "source_port": 0, "destination_port": 443, "mirrored": True, "description": "",
        },
        "reversed": False,
        "order_dependent": False,
        "order_note": None,
    }
    assert (results[1]["action"], results[1]["rule"], results[1]["filter"]["destination_port"]) == ("block", "All inbound traffic", 0)
    assert (results[2]["action"], results[2]["rule"], results[2]["reversed"]) == ("permit", "Inbound web protocols", True)
    assert (results[3]["action"], results[3]["rule"], results[3]["reversed"]) == ("block", "All inbound traffic", True)


def test_unmatched_packet_is_permitted_without_rule():
    results = ipsec_evaluate(_gathered(), policy="Packet Filter", packets=[{"source": "192.0.2.1", "destination": "192.0.2.2", "protocol": 1}])
    assert results == [{"source": "192.0.2.1", "destination": "192.0.2.2", "protocol": 1, "action": "permit", "rule": None,
                        "filter_list": None, "filter": None, "reversed": False, "order_dependent": False, "order_note": None}]


def test_a_desired_config_written_by_hand():
    desired = {
        "filter_lists": [{"name": "RDP from admin", "filters": [{"source": "10.0.0.5", "destination": "me", "protocol": "tcp", "destination_port": 3389}]},
                         {"name": "Everything", "filters": [{"source": "any", "destination": "me"}]}],
        "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
        "policies": [{"name": "Lockdown", "rules": [
            {"name": "Admin", "filter_list": "RDP from admin", "filter_action": "Permit", "authentication": [{"pre_shared_key": "********"}]},
            {"name": "Rest", "filter_list": "Everything", "filter_action": "Block"},
        ], "default_response_rule": {"activate": False, "authentication": [{"kerberos": True}]}}],
    }
    results = ipsec_evaluate(desired, policy="Lockdown", packets=[
        {"source": "10.0.0.5", "destination": "me", "destination_port": 3389},
        {"source": "10.0.0.6", "destination": "me", "destination_port": 3389},
    ])
    assert [(r["action"], r["rule"]) for r in results] == [("permit", "Admin"), ("block", "Rest")]
    assert [r["order_dependent"] for r in results] == [False, False]


def test_a_verdict_another_plausible_order_would_change_is_flagged_with_a_note():
    desired = {
        "filter_lists": [{"name": "Admin host", "filters": [{"source": "10.0.0.5", "destination": "any", "protocol": "tcp", "destination_port": 5985}]},
                         {"name": "Office to me", "filters": [{"source": "10.0.0.0/8", "destination": "me"}]}],
        "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
        "policies": [{"name": "Lockdown", "rules": [
            {"name": "Admin", "filter_list": "Admin host", "filter_action": "Permit"},
            {"name": "Office", "filter_list": "Office to me", "filter_action": "Block"},
        ]}],
    }
    (result,) = ipsec_evaluate(desired, policy="Lockdown", packets=[{"source": "10.0.0.5", "destination": "me", "destination_port": 5985}])
    assert (result["action"], result["rule"], result["order_dependent"]) == ("permit", "Admin", True)
    assert result["order_note"].startswith("under our reading of filter specificity (A-46) rule 'Admin' (filter list 'Admin host'")
    assert "'destination before source, the most restrictive action winning ties' rule 'Office'" in result["order_note"]


def test_registered_by_the_filter_module():
    assert FilterModule().filters() == {"ipsec_evaluate": ipsec_evaluate}


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"policy": "Packet Filter", "packets": []}, None),  # no packets, no verdicts
        ({"policy": "Nope", "packets": []}, "policy 'Nope' does not exist (policies: 'Packet Filter')"),
        ({"policy": "Nope", "packets": [{"source": "me", "destination": "10.0.0.1"}]}, "policy 'Nope' does not exist"),
        ({"policy": "", "packets": []}, "policy: is required"),
        ({"policy": "Packet Filter"}, "packets: expected a list of packets (got None)"),
        ({"policy": "Packet Filter", "packets": ["me"]}, "packets[0]: expected a dict"),
        ({"policy": "Packet Filter", "packets": [{"destination": "me"}]}, "packets[0].source: is required"),
        ({"policy": "Packet Filter", "packets": [{"source": "me", "destination": "me", "protocol": "sctp"}]},
         "packets[0].protocol: expected any, icmp, tcp, udp, raw or a number 0-255 (got 'sctp')"),
        ({"policy": "Packet Filter", "packets": [{"source": "me", "destination": "me"}, {"source": "host.example", "destination": "me"}]},
         "packets[1].source: expected me or an IPv4 or IPv6 address (got 'host.example')"),
        ({"policy": "Packet Filter", "packets": [{"source": "me", "destination": "me", "destination_port": 99999}]},
         "packets[0].destination_port: expected a port number 0-65535 or any (got 99999)"),
        ({"policy": "Packet Filter", "packets": [{"source": "me", "destination": "me", "protocol": "any"}]}, "packets[0].protocol: a packet has one protocol"),
        ({"policy": "Packet Filter", "packets": [], "my_addresses": "10.0.0.1"}, "my_addresses: expected a list of IP addresses"),
        ({"policy": "Packet Filter", "packets": [], "my_addresses": ["me"]},
         "my_addresses[0]: expected me or an IPv4 or IPv6 address (got 'me')"),
    ],
)
def test_errors_name_the_field_and_value(arguments, message):
    if message is None:
        assert ipsec_evaluate(_gathered(), **arguments) == []
        return
    with pytest.raises(AnsibleFilterError) as caught:
        ipsec_evaluate(_gathered(), **arguments)
    assert str(caught.value).startswith("lockdown.ipsec.ipsec_evaluate: ")
    assert message in str(caught.value)


def test_invalid_config_names_the_config_field():
    data = _gathered()
    data["filter_lists"][0]["filters"][0]["source"] = "not an address!"
    with pytest.raises(AnsibleFilterError, match=r"config\.filter_lists\[0\]\.filters\[0\]\.source.*'not an address!'"):
        ipsec_evaluate(data, policy="Packet Filter", packets=[{"source": "me", "destination": "me"}])
    with pytest.raises(AnsibleFilterError, match=r"_input: expected configuration data .*got \['a'\]"):
        ipsec_evaluate(["a"], policy="Packet Filter", packets=[])


def test_rule_naming_a_missing_filter_list():
    data = _gathered()
    data["filter_lists"] = [item for item in data["filter_lists"] if item["name"] != "All inbound traffic"]
    with pytest.raises(AnsibleFilterError, match="rule 'All inbound traffic': filter list 'All inbound traffic' does not exist"):
        ipsec_evaluate(data, policy="Packet Filter", packets=[{"source": "me", "destination": "me"}])
