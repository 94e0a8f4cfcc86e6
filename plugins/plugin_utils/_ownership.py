# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. What a plan reaches without owning it, and what it leaves alone: warnings.

Filter lists and filter actions are shared: any policy's rule may use them (SYNTAX.md §1). A plan
scoped to an owner prefix only changes objects inside it, but a policy outside the prefix may use one
of those objects, and then its rule changes too: a permit turned into a block blocks in that policy
as well. :func:`shared_object_warnings` names every such rule, so the task can warn about it.

Rules without a name (made in the IP Security Policies console) are never changed: netsh addresses a
rule by name, or by a number whose meaning no source gives (A-71). :func:`unnamed_rule_warnings` says
so when a task manages the rules of such a policy exactly.
"""

from __future__ import annotations

from typing import Iterable, Tuple

from ._changes import (
    AddFilter,
    Change,
    DeleteFilter,
    RenameFilterAction,
    RenameFilterList,
    SetFilterAction,
    SetFilterList,
)
from ._model import Store
from ._names import name_key
from ._plan import Scope, kept_for_unnamed_rules
from ._plan import Scope

# The changes that alter a filter list or a filter action that stays in the store, by the attribute
# naming it. (Deleting one a rule still uses is refused by the planner, see _plan._check_references.)
_LIST_CHANGES = {AddFilter: "filter_list", DeleteFilter: "filter_list", RenameFilterList: "name"}
_ACTION_CHANGES = {RenameFilterAction: "name"}


def _altered(changes: Iterable[Change]) -> Tuple[set, set]:
    lists, actions = set(), set()
    for change in changes:
        if type(change) in _LIST_CHANGES:
            lists.add(name_key(getattr(change, _LIST_CHANGES[type(change)])))
        elif isinstance(change, SetFilterList):
            lists.add(name_key(change.filter_list.name))
        elif type(change) in _ACTION_CHANGES:
            actions.add(name_key(getattr(change, _ACTION_CHANGES[type(change)])))
        elif isinstance(change, SetFilterAction):
            actions.add(name_key(change.filter_action.name))
    return lists, actions


def shared_object_warnings(have: Store, changes: Iterable[Change], scope: Scope) -> Tuple[str, ...]:
    """One warning per rule of a policy outside ``scope`` that uses a filter list or filter action
    that ``changes`` alter, naming the object, the rule and the policy (and whether it is assigned).

    ``have`` is the store before the changes. Without an owner prefix every policy is in scope and
    nothing is returned.
    """
    if not scope.owner_prefix:
        return ()
    lists, actions = _altered(changes)
    warnings = []
    for policy in have.policies.values():
        if scope.owns(policy.name):
            continue
        assigned = " (assigned)" if policy.assigned else ""
        for rule in policy.rules or ():
            for what, name, altered in (("filter list", rule.filter_list, lists), ("filter action", rule.filter_action, actions)):
                if name is not None and name_key(name) in altered:
                    warnings.append(
                        f"{what} {name!r} changes, and rule {rule.name!r} of policy {policy.name!r}{assigned}, "
                        f"which is outside the owner prefix {scope.owner_prefix!r}, uses it: that rule changes too"
                    )
    return tuple(warnings)


def unnamed_rule_warnings(have: Store, want: Store, *, exact: bool, overridden: Scope | None = None) -> Tuple[str, ...]:
    """One warning per policy of ``want`` whose host policy holds rules without a name, which stay as
    they are, when its rules are managed exactly (``exact`` and ``rules`` given) or, for
    ``overridden`` (its scope), when what those rules use is kept although ``want`` does not name it
    (:func:`~._plan.kept_for_unnamed_rules`)."""
    kept_lists, kept_actions = kept_for_unnamed_rules(have, want, overridden) if overridden is not None else ((), ())
    warnings = []
    for name, policy in want.policies.items():
        host = have.policies.get(name)
        if host is None or not host.unnamed_rules:
            continue
        lists = sorted({rule.filter_list for rule in host.unnamed_rules} & set(kept_lists))
        actions = sorted({rule.filter_action for rule in host.unnamed_rules} & set(kept_actions))
        if not (exact and policy.rules is not None) and not lists and not actions:
            continue
        kept = "".join(f"; the {kind} {', '.join(map(repr, names))} they use stay too, although the desired state does not name it"
                       for kind, names in (("filter list(s)", lists), ("filter action(s)", actions)) if names)
        warnings.append(
            f"policy {host.name!r} holds {len(host.unnamed_rules)} rule(s) without a name (made in the IP Security Policies "
            "console); they are kept as they are, since netsh cannot address a rule without a name safely: name them in "
            f"the console to manage them{kept}"
        )
    return tuple(warnings)


__all__ = ["shared_object_warnings", "unnamed_rule_warnings"]
