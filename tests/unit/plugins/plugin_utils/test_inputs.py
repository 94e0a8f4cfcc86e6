# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inputs: validated module options -> model objects. Every refusal names the full option path,
port lists and ranges expand exactly, and fill_defaults decides what a left-out setting means."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import (
    MAX_FILTERS_PER_ENTRY,
    assign_from,
    assignment_from,
    expand_filters,
    filter_action_from,
    filter_list_from,
    policy_from,
    store_from_config,
    with_assignment,
)
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
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._predict import NEGOTIATE_QM_METHODS

# --- options as ArgumentSpecValidator returns them: every option present, None when left out ----------

FILTER_KEYS = ("source", "source_mask", "destination", "destination_mask", "protocol", "source_port", "destination_port", "mirrored", "description")
LIST_KEYS = ("name", "description", "filters", "filters_mode", "state")
ACTION_KEYS = ("name", "description", "action", "inpass", "soft", "qmpfs", "qm_security_methods", "state")
AUTH_KEYS = ("kerberos", "pre_shared_key", "root_ca", "certmap", "exclude_ca_name")
RULE_KEYS = ("name", "filter_list", "filter_action", "activate", "connection_type", "description", "tunnel", "authentication")
DEFAULT_RULE_KEYS = ("activate", "qmpfs", "qm_security_methods", "authentication")
POLICY_KEYS = (
    "name", "description", "rules", "default_response_rule", "polling_interval", "mmpfs", "qm_per_mm", "mm_lifetime",
    "mm_security_methods", "rules_mode", "state", "delete_unused",
)


def _validated(keys, given):
    unknown = set(given) - set(keys)
    assert not unknown, unknown
    return {key: given.get(key) for key in keys}


def filter_entry(**given):
    """A filter entry with the argspec defaults applied, as the validator hands it over."""
    entry = {"source": "any", "destination": "me", "protocol": "any", "source_port": 0, "destination_port": 0, "mirrored": True, "description": ""}
    entry.update(given)
    return _validated(FILTER_KEYS, entry)


def auth(**given):
    entry = {"certmap": False, "exclude_ca_name": False}
    entry.update(given)
    return _validated(AUTH_KEYS, entry)


def list_params(**given):
    given.setdefault("name", "L")
    return _validated(LIST_KEYS, given)


def action_params(**given):
    given.setdefault("name", "A")
    return _validated(ACTION_KEYS, given)


def rule_params(**given):
    given.setdefault("name", "R")
    given.setdefault("filter_list", "L")
    given.setdefault("filter_action", "A")
    return _validated(RULE_KEYS, given)


def policy_params(**given):
    given.setdefault("name", "P")
    return _validated(POLICY_KEYS, given)


def field_of(call, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


WEB80 = Filter.build(protocol="tcp", destination_port=80)
WEB443 = Filter.build(protocol="tcp", destination_port=443)


# --- filters: expansion --------------------------------------------------------------------------------


def test_defaults_of_a_filter_entry_are_any_to_me_any_protocol_mirrored():
    assert expand_filters(filter_entry()) == (Filter(Endpoint.parse("any"), Endpoint.parse("me")),)
    assert expand_filters({}) == expand_filters(filter_entry())  # None / missing = the documented default


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        (80, (80,)),
        ("80", (80,)),
        ("any", (0,)),
        (0, (0,)),
        ([80, 443], (80, 443)),
        ([443, 80, 443, "80"], (80, 443)),
        ("8080-8083", (8080, 8081, 8082, 8083)),
        ("22 - 23", (22, 23)),
        ("25-25", (25,)),
        ([25, "110-111", 995, "110"], (25, 110, 111, 995)),
        ([0, 80], (0, 80)),
    ],
)
def test_port_lists_and_ranges_expand_to_exactly_their_ports(port, expected):
    filters = expand_filters(filter_entry(protocol="tcp", destination_port=port))
    assert tuple(item.destination_port for item in filters) == expected
    assert {item.source_port for item in filters} == {0}


def test_two_port_lists_make_the_cross_product():
    filters = expand_filters(filter_entry(protocol="udp", source_port=[53, "1024-1025"], destination_port=[53, 5353]))
    assert sorted((item.source_port, item.destination_port) for item in filters) == sorted(
        (source, destination) for source in (53, 1024, 1025) for destination in (53, 5353)
    )
    assert all(item.protocol == 17 for item in filters)


@settings(max_examples=60)
@given(
    st.lists(st.integers(1, 65535), min_size=1, max_size=20),
    st.lists(st.integers(0, 65535), min_size=1, max_size=20),
)
def test_expansion_is_the_product_of_the_distinct_ports(sources, destinations):
    filters = expand_filters(filter_entry(protocol="tcp", source_port=sources, destination_port=destinations))
    assert len(filters) == len(set(sources)) * len(set(destinations))
    assert {(item.source_port, item.destination_port) for item in filters} == {(s, d) for s in sources for d in destinations}


def test_the_cap_allows_exactly_1024_filters_per_entry():
    assert len(expand_filters(filter_entry(protocol="tcp", destination_port="1-1024"))) == MAX_FILTERS_PER_ENTRY
    assert len(expand_filters(filter_entry(protocol="tcp", source_port=[1, 2], destination_port="1-512"))) == 1024


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (filter_entry(protocol="tcp", destination_port="1-1025"), "destination_port"),
        (filter_entry(protocol="tcp", destination_port="1-65535"), "destination_port"),
        (filter_entry(protocol="tcp", source_port="1-65535"), "source_port"),
        (filter_entry(protocol="tcp", destination_port=["1-1000", "2000-2100"]), "destination_port"),
        (filter_entry(protocol="tcp", source_port=[1, 2, 3], destination_port="1-342"), "destination_port"),
    ],
)
def test_beyond_the_cap_is_a_clear_error(entry, field):
    error = field_of(filter_list_from, list_params(filters=[filter_entry(), entry]), fill_defaults=False)
    assert error.field == f"filters[1].{field}"
    assert "1,024" in error.reason


def test_duplicates_collapse_within_an_entry_and_across_entries():
    params = list_params(filters=[
        filter_entry(protocol="tcp", destination_port=[80, 80, 443]),
        filter_entry(protocol="TCP", destination_port="80", destination="ME"),
        filter_entry(source="0.0.0.0", source_mask="0.0.0.0", protocol="6", destination_port=443),
    ])
    assert filter_list_from(params, fill_defaults=False).filters == (WEB80, WEB443)


def test_equivalent_spellings_give_the_same_filter():
    spelled = [
        filter_entry(source="10.0.0.0/24", protocol="tcp", destination_port=80),
        filter_entry(source="10.0.0.0", source_mask="255.255.255.0", protocol="tcp", destination_port="80"),
        filter_entry(source="10.0.0.0", source_mask="24", protocol=6, destination_port=[80]),
    ]
    assert len({expand_filters(entry) for entry in spelled}) == 1


# --- filters: refusals, each at its full path ---------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (filter_entry(source="10.0.0.300"), "source"),
        (filter_entry(destination="not an address!"), "destination"),
        (filter_entry(source="10.0.0.0", source_mask="255.0.255.0"), "source_mask"),
        (filter_entry(source="10.0.0.0", source_mask="33"), "source_mask"),
        (filter_entry(destination="10.0.0.0/33"), "destination"),
        (filter_entry(source="10.0.0.0/8", source_mask="8"), "source_mask"),
        (filter_entry(destination="me", destination_mask="24"), "destination_mask"),
        (filter_entry(source="2001:db8::1", source_mask="64"), "source_mask"),
        (filter_entry(source="10.0.0.9-10.0.0.1"), "source"),
        (filter_entry(source="10.0.0.1-2001:db8::1"), "source"),
        (filter_entry(source="10.0.0.1-10.0.0.9", source_mask="24"), "source_mask"),
        (filter_entry(source="dns", destination="any"), "destination"),
        (filter_entry(protocol="tcp", destination_port=65536), "destination_port"),
        (filter_entry(protocol="tcp", source_port=-1), "source_port"),
        (filter_entry(protocol="tcp", destination_port="http"), "destination_port"),
        (filter_entry(protocol="tcp", destination_port=True), "destination_port"),
        (filter_entry(protocol="tcp", destination_port=[80, 70000]), "destination_port[1]"),
        (filter_entry(protocol="tcp", destination_port=[80, [443]]), "destination_port[1]"),
        (filter_entry(protocol="tcp", destination_port=[]), "destination_port"),
        (filter_entry(protocol="tcp", destination_port="0-10"), "destination_port"),
        (filter_entry(protocol="tcp", destination_port="90-80"), "destination_port"),
        (filter_entry(protocol="tcp", destination_port="80-65536"), "destination_port"),
        (filter_entry(protocol="tcp", destination_port="80-any"), "destination_port"),
        (filter_entry(protocol="icmp", destination_port=80), "destination_port"),
        (filter_entry(protocol="any", source_port=[1, 2]), "source_port"),
        (filter_entry(protocol=47, destination_port="1-2"), "destination_port"),
        (filter_entry(protocol="sctp"), "protocol"),
        (filter_entry(protocol="256"), "protocol"),
        (filter_entry(mirrored="yes"), "mirrored"),
        (filter_entry(description="web\x00"), "description"),
        (filter_entry(description="web\r\nservers"), "description"),
        (filter_entry(description='the "web" filter'), "description"),
        (filter_entry(description=" padded"), "description"),
        (filter_entry(description="NONE"), "description"),
    ],
)
def test_bad_filter_input_names_the_full_path(entry, field):
    error = field_of(filter_list_from, list_params(filters=[filter_entry(), filter_entry(), entry]), fill_defaults=True)
    assert error.field == f"filters[2].{field}"


def test_a_port_with_icmp_says_what_to_do():
    error = field_of(expand_filters, filter_entry(protocol="icmp", destination_port=80))
    assert error.field == "destination_port"
    assert "tcp or udp" in error.reason and "icmp" in error.reason


def test_a_filter_entry_that_is_not_a_dictionary():
    error = field_of(filter_list_from, list_params(filters=[filter_entry(), "any"]), fill_defaults=False)
    assert error.field == "filters[1]"


@pytest.mark.parametrize(
    ("name", "field"),
    [("", "name"), ("a\nb", "name"), ("a\rb", "name"), ("a\x00b", "name"), ('say "hi"', "name"), (" lead", "name"), ("NONE", "name")],
)
def test_bad_names_are_refused(name, field):
    for builder, params in ((filter_list_from, list_params), (filter_action_from, action_params), (policy_from, policy_params)):
        error = field_of(builder, params(name=name, action="permit") if builder is filter_action_from else params(name=name), fill_defaults=False)
        assert error.field == field


@pytest.mark.parametrize("description", ["line\nbreak", "nul\x00", 'quote"', "trailing "])
def test_bad_object_descriptions_are_refused(description):
    assert field_of(filter_list_from, list_params(description=description), fill_defaults=False).field == "description"
    assert field_of(filter_action_from, action_params(description=description), fill_defaults=False).field == "description"
    assert field_of(policy_from, policy_params(description=description), fill_defaults=False).field == "description"
    error = field_of(policy_from, policy_params(rules=[rule_params(), rule_params(name="S", description=description)]), fill_defaults=False)
    assert error.field == "rules[1].description"


def test_a_missing_name_is_refused():
    assert field_of(filter_list_from, list_params(name=None), fill_defaults=False).field == "name"


# --- filter lists: fill_defaults ----------------------------------------------------------------------


def test_filter_list_without_fill_defaults_leaves_unspecified_fields_unmanaged():
    assert filter_list_from(list_params(), fill_defaults=False) == FilterList("L", None, None)
    assert filter_list_from(list_params(filters=[]), fill_defaults=False) == FilterList("L", None, ())


def test_filter_list_with_fill_defaults_is_complete():
    assert filter_list_from(list_params(), fill_defaults=True) == FilterList("L", "", ())
    made = filter_list_from(list_params(description="web", filters=[filter_entry(protocol="tcp", destination_port=[443, 80])]), fill_defaults=True)
    assert made == FilterList("L", "web", (WEB80, WEB443))


# --- filter actions -----------------------------------------------------------------------------------


def test_filter_action_fill_defaults_false_and_true():
    assert filter_action_from(action_params(), fill_defaults=False) == FilterAction("A")
    assert filter_action_from(action_params(action="Block"), fill_defaults=False) == FilterAction("A", Action.BLOCK)
    assert filter_action_from(action_params(action="block"), fill_defaults=True) == FilterAction("A", Action.BLOCK, "", False, False, False, ())
    negotiate = filter_action_from(action_params(action="negotiate", qmpfs=True), fill_defaults=True)
    assert negotiate == FilterAction("A", Action.NEGOTIATE, "", False, False, True, NEGOTIATE_QM_METHODS)


def test_a_created_filter_action_needs_an_action():
    error = field_of(filter_action_from, action_params(), fill_defaults=True)
    assert error.field == "action" and "required" in error.reason


def test_quick_mode_methods_are_canonical_in_order_and_checked():
    made = filter_action_from(action_params(action="negotiate", qm_security_methods=["esp[3des,sha1]:100000k/3600s", "AH[MD5]"]), fill_defaults=False)
    assert made.qm_security_methods == ("ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]")
    assert field_of(filter_action_from, action_params(qm_security_methods=["ESP[3DES,SHA1]", "ESP[AES,SHA1]"]), fill_defaults=False).field == (
        "qm_security_methods[1]"
    )
    assert field_of(filter_action_from, action_params(qm_security_methods=["ESP[3DES,SHA1]", "esp[3des,sha1]"]), fill_defaults=False).field == (
        "qm_security_methods[1]"
    )


def test_an_unknown_action_is_refused():
    assert field_of(filter_action_from, action_params(action="allow"), fill_defaults=False).field == "action"


# --- authentication -----------------------------------------------------------------------------------


def _rule_with(*entries, fill_defaults=False):
    return policy_from(policy_params(rules=[rule_params(authentication=list(entries))]), fill_defaults=fill_defaults).rules[0]


def test_authentication_entries_become_methods_in_order():
    rule = _rule_with(auth(pre_shared_key="s3cret"), auth(kerberos=True), auth(root_ca="CN=Root", certmap=True))
    assert rule.auth_methods == (
        AuthMethod(AuthKind.PRESHARED_KEY, "s3cret"),
        KERBEROS,
        AuthMethod(AuthKind.ROOT_CA, "CN=Root", True, False),
    )


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (auth(), "rules[0].authentication[1]", "exactly one"),
        (auth(kerberos=True, pre_shared_key="k"), "rules[0].authentication[1]", "more than one"),
        (auth(kerberos=True, root_ca="CN=Root"), "rules[0].authentication[1]", "more than one"),
        (auth(kerberos=False), "rules[0].authentication[1].kerberos", "leave it out"),
        (auth(pre_shared_key="k", certmap=True), "rules[0].authentication[1].certmap", "root_ca"),
        (auth(kerberos=True, exclude_ca_name=True), "rules[0].authentication[1].exclude_ca_name", "root_ca"),
        (auth(pre_shared_key="********"), "rules[0].authentication[1].pre_shared_key", "redacted"),
        (auth(pre_shared_key=""), "rules[0].authentication[1].pre_shared_key", "empty"),
        (auth(root_ca="CN=\"Root\""), "rules[0].authentication[1].root_ca", "double quote"),
    ],
)
def test_bad_authentication_entries_name_their_path(entry, field, words):
    error = field_of(_rule_with, auth(root_ca="CN=Other"), entry)
    assert error.field == field
    assert words in error.reason


@pytest.mark.parametrize(
    "entries",
    [[auth(kerberos=True), auth(kerberos=True)], [auth(pre_shared_key="a"), auth(pre_shared_key="b")], [auth(root_ca="CN=R"), auth(root_ca="CN=R")]],
)
def test_methods_that_cannot_repeat_are_refused_at_the_list(entries):
    assert field_of(_rule_with, *entries).field == "rules[0].authentication"


def test_a_bad_key_is_never_echoed():
    error = field_of(_rule_with, auth(pre_shared_key='top"secret'))
    assert error.field == "rules[0].authentication[0].pre_shared_key"
    assert "top" not in str(error) and error.value == "********"


def test_the_default_response_rule_authentication_has_its_own_path():
    error = field_of(
        policy_from, policy_params(default_response_rule={"activate": None, "qmpfs": None, "qm_security_methods": None, "authentication": [auth()]}),
        fill_defaults=False,
    )
    assert error.field == "default_response_rule.authentication[0]"


# --- rules and policies -------------------------------------------------------------------------------


def test_rules_fill_defaults_false_and_true():
    assert policy_from(policy_params(rules=[rule_params()]), fill_defaults=False).rules == (Rule("R", "L", "A"),)
    assert policy_from(policy_params(rules=[rule_params()]), fill_defaults=True).rules == (Rule("R", "L", "A", True, ConnectionType.ALL, "", "", ()),)
    kept = policy_from(policy_params(rules=[rule_params(activate=False, connection_type="LAN", tunnel="10.0.0.1")]), fill_defaults=True).rules[0]
    assert (kept.activate, kept.connection_type, kept.tunnel) == (False, ConnectionType.LAN, "10.0.0.1")


def test_policy_without_fill_defaults_manages_only_what_is_given():
    assert policy_from(policy_params(), fill_defaults=False) == Policy("P")
    given = policy_from(policy_params(default_response_rule={"activate": False}, polling_interval=60), fill_defaults=False)
    assert given == Policy("P", default_rule=DefaultResponseRule(activate=False), polling_interval=60)


def test_policy_with_fill_defaults_is_complete_with_an_inactive_default_rule_and_no_assignment():
    made = policy_from(policy_params(), fill_defaults=True)
    assert made == Policy(
        "P", "", (), DefaultResponseRule(False, False, (), ()), 180, False, 0, 480, ("3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"), None
    )
    partial = policy_from(policy_params(default_response_rule={"activate": True, "qmpfs": None}), fill_defaults=True)
    assert partial.default_rule == DefaultResponseRule(True, False, (), ())


def test_mmpfs_forces_one_quick_mode_per_main_mode():
    assert policy_from(policy_params(mmpfs=True), fill_defaults=False).qm_per_mm == 1
    assert policy_from(policy_params(mmpfs=True), fill_defaults=True).qm_per_mm == 1
    assert policy_from(policy_params(mmpfs=True, qm_per_mm=1), fill_defaults=True).qm_per_mm == 1
    error = field_of(policy_from, policy_params(mmpfs=True, qm_per_mm=5), fill_defaults=False)
    assert error.field == "qm_per_mm" and "mmpfs" in error.reason


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (policy_params(polling_interval=-1), "polling_interval"),
        (policy_params(mm_lifetime=True), "mm_lifetime"),
        (policy_params(mm_security_methods=["3DES-SHA1-2", "AES-SHA1-2"]), "mm_security_methods[1]"),
        (policy_params(default_response_rule={"qm_security_methods": ["ESP[DES,MD5]", "bogus"]}), "default_response_rule.qm_security_methods[1]"),
        (policy_params(default_response_rule={"activate": "no"}), "default_response_rule.activate"),
        (policy_params(rules=[rule_params(), rule_params(connection_type="wifi")]), "rules[1].connection_type"),
        (policy_params(rules=[rule_params(), rule_params(tunnel="me")]), "rules[1].tunnel"),
        (policy_params(rules=[rule_params(), rule_params(tunnel="10.0.0.1/24")]), "rules[1].tunnel"),
        (policy_params(rules=[rule_params(), rule_params(filter_list=None)]), "rules[1].filter_list"),
        (policy_params(rules=[rule_params(), rule_params(filter_action="a\nb")]), "rules[1].filter_action"),
        (policy_params(rules=[rule_params(), rule_params(name="R")]), "rules[1].name"),
        (policy_params(rules="R"), "rules"),
    ],
)
def test_bad_policy_input_names_the_full_path(params, field):
    assert field_of(policy_from, params, fill_defaults=True).field == field


def test_a_tunnel_address_is_canonical_and_a_name_is_refused():
    rules = policy_from(policy_params(rules=[rule_params(tunnel="2001:DB8::0001"), rule_params(name="S", tunnel="192.0.2.1")]), fill_defaults=False).rules
    assert [rule.tunnel for rule in rules] == ["2001:db8::1", "192.0.2.1"]
    error = field_of(policy_from, policy_params(rules=[rule_params(tunnel="gw.example.com")]), fill_defaults=False)
    assert error.field == "rules[0].tunnel" and "resolves to" in error.reason


def test_assignment_is_never_a_policy_option():
    assert policy_from(policy_params(), fill_defaults=True).assigned is None
    assert policy_from(policy_params(), fill_defaults=False).assigned is None


# --- a whole configuration ------------------------------------------------------------------------------

SEED_000 = {
    "filter_lists": [
        {"name": "Inbound web protocols", "description": None, "filters": [filter_entry(protocol="tcp", destination_port=[80, 443])]},
        {"name": "Inbound/outbound mail", "description": None, "filters": [
            filter_entry(protocol="tcp", destination_port=[110, 995, 143, 993, 25]),
            filter_entry(source="me", destination="any", protocol="tcp", destination_port=25),
        ]},
        {"name": "All inbound traffic", "description": None, "filters": [filter_entry()]},
    ],
    "filter_actions": [action_params(name="Permit", action="permit"), action_params(name="Block", action="block")],
    "policies": [policy_params(name="Packet Filter", default_response_rule={"activate": False}, rules=[
        rule_params(name="Inbound web protocols", filter_list="Inbound web protocols", filter_action="Permit"),
        rule_params(name="Inbound/outbound mail", filter_list="Inbound/outbound mail", filter_action="Permit"),
        rule_params(name="All inbound traffic", filter_list="All inbound traffic", filter_action="Block"),
    ])],
    "assigned": "Packet Filter",
}


def test_seed_000_configuration():
    store = store_from_config(SEED_000, fill_defaults=True)
    assert list(store.filter_lists) == ["All inbound traffic", "Inbound web protocols", "Inbound/outbound mail"]
    assert store.filter_lists["Inbound web protocols"].filters == (WEB80, WEB443)
    mail = store.filter_lists["Inbound/outbound mail"].filters
    assert len(mail) == 6
    assert Filter.build(source="me", destination="any", protocol="tcp", destination_port=25) in mail
    policy = store.policies["Packet Filter"]
    assert policy.assigned is True and policy.default_rule.activate is False
    assert [rule.name for rule in policy.rules] == ["All inbound traffic", "Inbound web protocols", "Inbound/outbound mail"]
    assert store.filter_actions["Block"] == FilterAction("Block", Action.BLOCK, "", False, False, False, ())


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda c: c["filter_lists"][0]["filters"].append(filter_entry(protocol="icmp", destination_port=80)),
         "config.filter_lists[0].filters[1].destination_port"),
        (lambda c: c["filter_lists"].append({"name": "All inbound traffic"}), "config.filter_lists[3].name"),
        (lambda c: c["filter_actions"].append(action_params(name="Permit", action="block")), "config.filter_actions[2].name"),
        (lambda c: c["filter_actions"][1].update(action=None), "config.filter_actions[1].action"),
        (lambda c: c["policies"][0]["rules"][1].update(authentication=[auth(kerberos=True), auth(pre_shared_key="********")]),
         "config.policies[0].rules[1].authentication[1].pre_shared_key"),
        (lambda c: c["policies"][0]["rules"][1].update(authentication=[auth(kerberos=True), auth()]), "config.policies[0].rules[1].authentication[1]"),
        (lambda c: c["policies"][0].update(mmpfs=True, qm_per_mm=2), "config.policies[0].qm_per_mm"),
        (lambda c: c.update(assigned="a\nb"), "config.assigned"),
        (lambda c: c.update(policies={"name": "P"}), "config.policies"),
    ],
)
def test_bad_config_names_the_full_path(mutate, field):
    config = copy.deepcopy(SEED_000)
    mutate(config)
    assert field_of(store_from_config, config, fill_defaults=True).field == field


def test_config_fill_defaults_false_leaves_settings_unmanaged():
    store = store_from_config({"filter_lists": [list_params(name="L")], "filter_actions": None, "policies": [policy_params()], "assigned": None},
                              fill_defaults=False)
    assert store == Store.of(filter_lists=[FilterList("L")], policies=[Policy("P")])


def test_no_config_is_an_empty_store():
    assert store_from_config(None, fill_defaults=True) == Store()


# --- assignment -----------------------------------------------------------------------------------------

HAVE = Store.of(policies=[Policy("Old", assigned=True), Policy("Other", assigned=False)])


def _config(assigned, *names):
    return {"filter_lists": None, "filter_actions": None, "policies": [policy_params(name=name) for name in names], "assigned": assigned}


@pytest.mark.parametrize("fill_defaults", [False, True])
def test_assigned_left_out_is_unmanaged(fill_defaults):
    store = store_from_config(_config(None, "P", "Q"), fill_defaults=fill_defaults)
    assert [policy.assigned for policy in store.policies.values()] == [None, None]
    assert assignment_from(_config(None)) is None
    assert with_assignment(store, HAVE, assigned=None) is store


def test_assigned_names_one_config_policy_and_unassigns_the_others_in_config():
    store = store_from_config(_config("Q", "P", "Q"), fill_defaults=False)
    assert {name: policy.assigned for name, policy in store.policies.items()} == {"P": False, "Q": True}
    # Assigning a policy unassigns the previous one by itself: no stub for "Old".
    assert with_assignment(store, HAVE, assigned="Q") == store


def test_assigned_empty_unassigns_config_policies_and_stubs_the_host_assigned_one():
    store = store_from_config(_config("", "P"), fill_defaults=False)
    assert store.policies["P"].assigned is False
    completed = with_assignment(store, HAVE, assigned=assignment_from(_config("", "P")))
    assert completed.policies == Store.of(policies=[Policy("P", assigned=False), Policy("Old", assigned=False)]).policies


def test_assigned_names_a_host_policy_not_in_config_as_a_stub():
    store = store_from_config(_config("Other", "P"), fill_defaults=True)
    assert store.policies["P"].assigned is False and "Other" not in store.policies
    completed = with_assignment(store, HAVE, assigned="Other")
    assert completed.policies["Other"] == Policy("Other", assigned=True)


def test_assigned_naming_no_policy_anywhere_is_refused():
    error = field_of(with_assignment, Store(), HAVE, assigned="Nowhere")
    assert error.field == "config.assigned"


def test_ipsec_assign_states():
    assert assign_from({"name": "Other", "state": "assigned"}, have=HAVE) == Store.of(policies=[Policy("Other", assigned=True)])
    assert assign_from({"name": None, "state": "unassigned"}, have=HAVE) == Store.of(policies=[Policy("Old", assigned=False)])
    assert assign_from({"name": "Old", "state": "unassigned"}, have=HAVE) == Store.of(policies=[Policy("Old", assigned=False)])
    assert assign_from({"name": "Other", "state": "unassigned"}, have=HAVE) == Store()
    assert assign_from({"name": "Missing", "state": "unassigned"}, have=HAVE) == Store()
    assert field_of(assign_from, {"name": None, "state": "assigned"}, have=HAVE).field == "name"
    assert field_of(assign_from, {"name": "Missing", "state": "assigned"}, have=HAVE).field == "name"
    assert field_of(assign_from, {"name": "Old", "state": "on"}, have=HAVE).field == "state"
