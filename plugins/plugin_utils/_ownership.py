# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Changes that reach beyond the owner prefix through a shared object.

Filter lists and filter actions are shared: any policy's rule may use them (SYNTAX.md §1). A plan
scoped to an owner prefix only changes objects inside it, but a policy outside the prefix may use one
of those objects, and then its rule changes too: a permit turned into a block blocks in that policy
as well. :func:`shared_object_warnings` names every such rule, so the task can warn about it.
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


__all__ = ["shared_object_warnings"]
