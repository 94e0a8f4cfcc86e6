# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Naming the rules a configuration holds without a name (the ipsec_name_rules filter)."""

from __future__ import annotations

import copy

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.filter.ipsec_name_rules import FilterModule
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._names import name_key
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._rule_naming import name_unnamed_rules


def unnamed(filter_list: str, action: str = "Block") -> dict:
    return {"filter_list": filter_list, "filter_action": action, "activate": True}


def test_each_unnamed_rule_becomes_a_rule_named_after_its_filter_list_after_the_named_ones():
    config = {
        "filter_lists": [{"name": "Block List"}], "assigned": "P",
        "policies": [{"name": "P", "rules": [{"name": "Web", "filter_list": "Web", "filter_action": "Permit"}],
                      "unnamed_rules": [unnamed("Block List"), unnamed("Allow List", "Permit")]}],
    }
    original = copy.deepcopy(config)
    named = name_unnamed_rules(config)
    assert named == {
        "filter_lists": [{"name": "Block List"}], "assigned": "P",
        "policies": [{"name": "P", "rules": [
            {"name": "Web", "filter_list": "Web", "filter_action": "Permit"},
            {"name": "Block List", "filter_list": "Block List", "filter_action": "Block", "activate": True},
            {"name": "Allow List", "filter_list": "Allow List", "filter_action": "Permit", "activate": True},
        ]}],
    }
    assert config == original  # the input is not changed


def test_a_taken_name_gets_a_number_compared_as_windows_compares_names():
    config = {"policies": [{"name": "P", "rules": [{"name": "ALL", "filter_list": "x", "filter_action": "y"},
                                                   {"name": "all (2)", "filter_list": "x", "filter_action": "y"}],
                            "unnamed_rules": [unnamed("All"), unnamed("All"), unnamed("Other")]}]}
    rules = name_unnamed_rules(config)["policies"][0]["rules"]
    assert [rule["name"] for rule in rules] == ["ALL", "all (2)", "All (3)", "All (4)", "Other"]


def test_policies_without_unnamed_rules_stay_as_they_are():
    config = {"policies": [{"name": "Only named", "rules": [{"name": "r", "filter_list": "l", "filter_action": "a"}]},
                           {"name": "Settings only", "description": "d"},
                           {"name": "Empty list", "unnamed_rules": []}]}
    assert name_unnamed_rules(config) == {"policies": [
        {"name": "Only named", "rules": [{"name": "r", "filter_list": "l", "filter_action": "a"}]},
        {"name": "Settings only", "description": "d"},
        {"name": "Empty list"},
    ]}
    assert name_unnamed_rules({"filter_lists": []}) == {"filter_lists": []}
    assert name_unnamed_rules({"policies": None}) == {"policies": None}


@pytest.mark.parametrize("config, field, value, reason", [
    ("text", "_input", "text", "expected configuration data (a dict with filter_lists, filter_actions, policies)"),
    ({"policies": {"name": "P"}}, "policies", {"name": "P"}, "expected a list of policies"),
    ({"policies": ["P"]}, "policies[0]", "P", "expected a policy (a dict)"),
    ({"policies": [{"name": "P", "unnamed_rules": {"filter_list": "L"}}]}, "policies[0].unnamed_rules", {"filter_list": "L"},
     "expected a list of rules"),
    ({"policies": [{"name": "P", "unnamed_rules": ["L"]}]}, "policies[0].unnamed_rules[0]", "L", "expected a rule (a dict)"),
    ({"policies": [{"name": "P"}, {"name": "Q", "unnamed_rules": [unnamed("L"), {"filter_action": "A"}]}]},
     "policies[1].unnamed_rules[1].filter_list", None, "is needed to name the rule after it"),
    ({"policies": [{"name": "P", "unnamed_rules": [unnamed("")]}]}, "policies[0].unnamed_rules[0].filter_list", "",
     "is needed to name the rule after it"),
])
def test_what_cannot_be_named_is_refused_naming_the_entry(config, field, value, reason):
    with pytest.raises(InvalidInput) as raised:
        name_unnamed_rules(config)
    assert raised.value.field == field and raised.value.value == value and raised.value.reason == reason


def test_the_filter_reports_errors_as_ansible_filter_errors():
    ipsec_name_rules = FilterModule().filters()["ipsec_name_rules"]
    assert ipsec_name_rules({"policies": [{"name": "P", "unnamed_rules": [unnamed("L")]}]})["policies"][0]["rules"][0]["name"] == "L"
    with pytest.raises(AnsibleFilterError, match=r"^lockdown.ipsec.ipsec_name_rules: policies\[0\]: expected a policy"):
        ipsec_name_rules({"policies": [1]})


@given(named=st.lists(st.sampled_from(["a", "A", "a (2)", "b"]), unique_by=name_key),
       lists=st.lists(st.sampled_from(["a", "A", "b", "c"]), max_size=6))
def test_names_are_unique_in_the_policy_and_everything_else_is_kept(named, lists):
    rules = [{"name": name, "filter_list": "x", "filter_action": "y"} for name in named]
    config = {"policies": [{"name": "P", "rules": rules, "unnamed_rules": [unnamed(name) for name in lists]}]}
    result = name_unnamed_rules(config)["policies"][0]["rules"]
    assert result[:len(rules)] == rules
    assert len({name_key(rule["name"]) for rule in result}) == len(result) == len(rules) + len(lists)
    assert [rule["filter_list"] for rule in result[len(rules):]] == lists
    assert all(rule["name"] == rule["filter_list"] or rule["name"].startswith(rule["filter_list"] + " (") for rule in result[len(rules):])
