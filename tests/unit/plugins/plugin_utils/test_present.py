# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_present: a store as the data modules return. Canonical values, every option present, keys
redacted, and the data fed back as ``config`` gives the same store (property-based)."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from hypothesis import HealthCheck, given, settings
from model_strategies import stores

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    ConnectionType,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data

REPO = Path(__file__).resolve().parents[4]


def _config_options() -> dict:
    """The suboptions of ipsec_config's ``config`` option, from the doc fragment."""
    spec = importlib.util.spec_from_file_location("_ipsec_fragment", REPO / "plugins" / "doc_fragments" / "ipsec.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return yaml.safe_load(module.ModuleDocFragment.CONFIG)["options"]["config"]["suboptions"]


CONFIG_OPTIONS = _config_options()


def _spec(options: dict) -> dict:
    """An argument spec from documented options (enough for ArgumentSpecValidator)."""
    spec = {}
    for name, doc in options.items():
        entry = {key: doc[key] for key in ("type", "elements", "choices", "default", "required") if key in doc}
        if "suboptions" in doc:
            entry["options"] = _spec(doc["suboptions"])
        spec[name] = entry
    return spec


def _without_duplicate_filters(store: Store) -> Store:
    """Duplicate filters found on a host collapse when data is fed back (DESIGN.md), and config never
    manages rules without a name (``unnamed_rules`` comes back unmanaged, ``None``)."""
    return Store.of(
        filter_lists=[dataclasses.replace(item, filters=tuple(dict.fromkeys(item.filters))) for item in store.filter_lists.values()],
        filter_actions=store.filter_actions.values(),
        policies=[dataclasses.replace(policy, unnamed_rules=None) for policy in store.policies.values()],
    )


PSK = AuthMethod(AuthKind.PRESHARED_KEY, "s3cret")
ROOT = AuthMethod(AuthKind.ROOT_CA, "C=US, O=Example, CN=Example Root", True, False)

SAMPLE = Store.of(
    filter_lists=[
        FilterList("Web", "inbound web", (
            Filter.build(source="192.168.1.0", source_mask="255.255.255.0", protocol="tcp", destination_port=443),
            Filter.build(source="10.0.0.5", source_mask="255.255.255.255", destination="me", protocol="6", destination_port=80, mirrored=False),
        )),
        FilterList("All", "", (
            Filter.build(),
            Filter.build(source="dns", destination="me", protocol=47),
            Filter.build(source="10.0.0.1-10.0.0.9", destination="2001:DB8::1", protocol="icmp", description="pings"),
        )),
    ],
    filter_actions=[
        FilterAction("Permit", Action.PERMIT, "", False, False, False, ()),
        FilterAction("Secure", Action.NEGOTIATE, "ipsec", True, False, True, ("ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]")),
    ],
    policies=[
        Policy(
            "Packet Filter", "", (
                Rule("Web", "Web", "Permit", True, ConnectionType.ALL, "", "", (KERBEROS,)),
                Rule("Secure all", "All", "Secure", False, ConnectionType.LAN, "x", "10.1.1.1", (PSK, ROOT)),
            ),
            DefaultResponseRule(False, False, (), (PSK,)), 180, False, 0, 480, ("3DES-SHA1-2",), True,
        ),
        Policy("Spare", "", (), DefaultResponseRule(True, True, ("ESP[DES,MD5]",), ()), 60, True, 1, 100, ("DES-MD5-1", "3DES-SHA1-3"), False),
    ],
)


def test_values_are_canonical_and_objects_sorted_by_name():
    data = store_to_data(SAMPLE)
    assert [item["name"] for item in data["filter_lists"]] == ["All", "Web"]
    assert [item["name"] for item in data["filter_actions"]] == ["Permit", "Secure"]
    assert [item["name"] for item in data["policies"]] == ["Packet Filter", "Spare"]
    web = data["filter_lists"][1]["filters"]
    assert {(item["source"], item["source_mask"], item["destination"], item["protocol"], item["destination_port"]) for item in web} == {
        ("192.168.1.0/24", None, "me", "tcp", 443),
        ("10.0.0.5", None, "me", "tcp", 80),
    }
    every = data["filter_lists"][0]["filters"]
    assert [(item["source"], item["destination"], item["protocol"]) for item in every] == [
        ("any", "me", "any"),
        ("10.0.0.1-10.0.0.9", "2001:db8::1", "icmp"),
        ("dns", "me", "47"),
    ]
    assert all(isinstance(item["source_port"], int) and isinstance(item["destination_port"], int) for item in every + web)
    secure = data["filter_actions"][1]
    assert secure == {
        "name": "Secure", "description": "ipsec", "action": "negotiate", "inpass": True, "soft": False, "qmpfs": True,
        "qm_security_methods": ["ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]"],
    }
    rules = data["policies"][0]["rules"]
    assert [rule["name"] for rule in rules] == ["Secure all", "Web"]
    assert rules[0]["connection_type"] == "lan" and rules[0]["tunnel"] == "10.1.1.1"
    assert data["assigned"] == "Packet Filter"


def test_authentication_entries_and_redaction():
    data = store_to_data(SAMPLE)
    rules = data["policies"][0]["rules"]
    assert rules[1]["authentication"] == [{"kerberos": True, "pre_shared_key": None, "root_ca": None, "certmap": False, "exclude_ca_name": False}]
    assert rules[0]["authentication"] == [
        {"kerberos": None, "pre_shared_key": "********", "root_ca": None, "certmap": False, "exclude_ca_name": False},
        {"kerberos": None, "pre_shared_key": None, "root_ca": "C=US, O=Example, CN=Example Root", "certmap": True, "exclude_ca_name": False},
    ]
    assert data["policies"][0]["default_response_rule"]["authentication"][0]["pre_shared_key"] == "********"
    assert "s3cret" not in repr(data)
    clear = store_to_data(SAMPLE, redact=False)
    assert clear["policies"][0]["rules"][0]["authentication"][0]["pre_shared_key"] == "s3cret"


def test_assigned_is_a_name_an_empty_string_or_unknown():
    assert store_to_data(SAMPLE)["assigned"] == "Packet Filter"
    nothing = Store.of(policies=[dataclasses.replace(policy, assigned=False) for policy in SAMPLE.policies.values()])
    assert store_to_data(nothing)["assigned"] == ""
    assert store_to_data(Store())["assigned"] == ""
    assert store_to_data(Store.of(policies=[Policy("P")]))["assigned"] is None  # a desired store that leaves it open


def _keys_match(data, options, path="config"):
    assert set(data) == set(options), path
    for name, doc in options.items():
        value = data[name]
        if "suboptions" in doc and value is not None:
            entries = value if doc["type"] == "list" else [value]
            for index, entry in enumerate(entries):
                _keys_match(entry, doc["suboptions"], f"{path}.{name}[{index}]")


def test_every_option_of_the_config_shape_is_present():
    _keys_match(store_to_data(SAMPLE), CONFIG_OPTIONS)


def test_the_data_passes_the_config_argument_spec_unchanged():
    data = store_to_data(SAMPLE, redact=False)
    result = ArgumentSpecValidator({"config": {"type": "dict", "options": _spec(CONFIG_OPTIONS)}}).validate({"config": data})
    assert not result.error_messages
    assert result.validated_parameters["config"] == data


def test_the_sample_round_trips():
    assert store_from_config(store_to_data(SAMPLE, redact=False), fill_defaults=True) == SAMPLE


def test_redacted_data_cannot_be_fed_back():
    with pytest.raises(InvalidInput) as caught:
        store_from_config(store_to_data(SAMPLE), fill_defaults=True)
    assert caught.value.field == "config.policies[0].rules[0].authentication[0].pre_shared_key"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(stores())
def test_gathered_data_fed_back_gives_the_same_store(store):
    data = store_to_data(store, redact=False)
    expected = _without_duplicate_filters(store)
    assert store_from_config(data, fill_defaults=True) == expected
    # Complete data leaves nothing for the defaults to fill: merged reads it the same way.
    assert store_from_config(data, fill_defaults=False) == expected


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(stores())
def test_data_is_canonical_so_presenting_twice_is_stable(store):
    data = store_to_data(store, redact=False)
    assert store_to_data(store_from_config(data, fill_defaults=True), redact=False) == store_to_data(_without_duplicate_filters(store), redact=False)
    for filter_list in data["filter_lists"]:
        for item in filter_list["filters"]:
            assert Endpoint.parse(item["source"]) is not None and item["source_mask"] is None and item["destination_mask"] is None
