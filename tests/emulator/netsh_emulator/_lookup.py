"""Finding existing objects by name, GUID or rule id (SYNTAX.md §5 [S1]).

Contract: every ``find_*`` returns the object or raises the matching "does not exist" error
(05049 for filter lists [S12]; INVENTED 0590x codes for the others). Names compare
case-insensitively (emulator choice, see ``_state``).
"""

from __future__ import annotations

from . import _messages as msg
from ._cmdline import Args
from ._state import FilterAction, FilterList, Policy, Rule, Store
from ._values import parse_int

_MAX = 2**31 - 1


def guid_key(value: str) -> str:
    text = value.strip().strip("{}").upper()
    return "{" + text + "}"


def find_policy(store: Store, args: Args) -> Policy:
    """By ``name`` (preferred) or ``guid`` (SYNTAX.md §5 [S1])."""
    if "name" in args.values:
        policy = store.policy(args.values["name"])
        if policy is None:
            raise msg.policy_missing(args.values["name"])
        return policy
    key = guid_key(args.values["guid"])
    policy = next((p for p in store.policies if p.guid == key), None)
    if policy is None:
        raise msg.policy_missing(args.values["guid"])
    return policy


def find_filterlist(store: Store, args: Args) -> FilterList:
    if "name" in args.values:
        found = store.filterlist(args.values["name"])
        if found is None:
            raise msg.filterlist_missing(args.values["name"])
        return found
    found = store.filterlist_by_guid(guid_key(args.values["guid"]))
    if found is None:
        raise msg.filterlist_missing(args.values["guid"])
    return found


def find_filteraction(store: Store, args: Args) -> FilterAction:
    if "name" in args.values:
        found = store.filteraction(args.values["name"])
        if found is None:
            raise msg.filteraction_missing(args.values["name"])
        return found
    found = store.filteraction_by_guid(guid_key(args.values["guid"]))
    if found is None:
        raise msg.filteraction_missing(args.values["guid"])
    return found


def find_rule(policy: Policy, args: Args) -> Rule:
    """By ``name`` or by ``id`` = 1-based position in the policy's rule list (emulator reading of
    [S1]'s ``[id=]<integer>``)."""
    if "name" in args.values:
        rule = next((r for r in policy.rules if r.name.casefold() == args.values["name"].casefold()), None)
        if rule is None:
            raise msg.rule_missing(args.values["name"], policy.name)
        return rule
    index = parse_int("id", args.values["id"], 1, _MAX)
    if index > len(policy.rules):
        raise msg.rule_missing(f"id={index}", policy.name)
    return policy.rules[index - 1]
