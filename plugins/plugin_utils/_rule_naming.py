# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Names for rules that have none, so a console-made configuration can be applied.

Rules made in the IP Security Policies console have no name (GPIPSEC.md §1.3; the Windows 11 sample),
and a policy distributed as a regedit export (seed 002's role-based template) is made there. The
collection reads them as a policy's ``unnamed_rules`` but never creates or changes one: netsh adds
rules by name, and addresses an existing rule otherwise only by a number (A-71). To apply such a
configuration declaratively, :func:`name_unnamed_rules` turns each into an ordinary rule, named after
its filter list, which the user reviews like any other change (``--check --diff``).
"""

from __future__ import annotations

from typing import Any, Mapping

from ._errors import InvalidInput
from ._names import name_key
from ._plain import plain_copy


def name_unnamed_rules(config: Mapping[str, Any]) -> dict:
    """A copy of the configuration data ``config`` in which every policy's ``unnamed_rules`` are rules.

    Each rule is named after its filter list; where that name is taken in the policy (by another rule,
    compared as Windows compares names, without regard to case) it gets `` (2)``, `` (3)``, ... Named
    rules keep their order and come first; ``unnamed_rules`` is removed from every policy. Anything
    else in ``config`` is returned unchanged.

    Raises:
        InvalidInput: ``config`` is not configuration data, or an unnamed rule has no filter list,
            naming the entry (e.g. ``policies[0].unnamed_rules[1].filter_list``).
    """
    if not isinstance(config, Mapping):
        raise InvalidInput("_input", config, "expected configuration data (a dict with filter_lists, filter_actions, policies)")
    named = plain_copy(config)
    policies = named.get("policies")
    if policies is None:
        return named
    if not isinstance(policies, list):
        raise InvalidInput("policies", policies, "expected a list of policies")
    for index, policy in enumerate(policies):
        if not isinstance(policy, dict):
            raise InvalidInput(f"policies[{index}]", policy, "expected a policy (a dict)")
        unnamed = policy.pop("unnamed_rules", None) or []
        if not isinstance(unnamed, list):
            raise InvalidInput(f"policies[{index}].unnamed_rules", unnamed, "expected a list of rules")
        rules = list(policy.get("rules") or [])
        taken = {name_key(rule["name"]) for rule in rules if isinstance(rule, dict) and isinstance(rule.get("name"), str)}
        for position, rule in enumerate(unnamed):
            where = f"policies[{index}].unnamed_rules[{position}]"
            if not isinstance(rule, dict):
                raise InvalidInput(where, rule, "expected a rule (a dict)")
            base = rule.get("filter_list")
            if not isinstance(base, str) or not base:
                raise InvalidInput(f"{where}.filter_list", base, "is needed to name the rule after it")
            name, number = base, 1
            while name_key(name) in taken:
                number += 1
                name = f"{base} ({number})"
            taken.add(name_key(name))
            rules.append({"name": name, **{key: value for key, value in rule.items() if key != "name"}})
        if unnamed or "rules" in policy:
            policy["rules"] = rules
    return named


__all__ = ["name_unnamed_rules"]
