# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The vocabulary of a plan: one change = one netsh command.

``_plan`` produces a tuple of these in the order they must run; ``_render`` turns each into the netsh
arguments; ``_predict`` applies them to a store to predict the result (check mode's ``after``).
``Set*`` changes carry a partial model object: a field that is ``None`` is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ._model import DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule


@dataclass(frozen=True)
class RenameFilterList:
    """``set filterlist name=X newname=Y`` [S1]: the same list under a name that differs in case only
    (A-31); rules that use the list follow it (they refer to it, not to its name)."""

    name: str
    new_name: str


@dataclass(frozen=True)
class RenameFilterAction:
    """``set filteraction name=X newname=Y`` [S1], as :class:`RenameFilterList`."""

    name: str
    new_name: str


@dataclass(frozen=True)
class RenamePolicy:
    """``set policy name=X newname=Y`` [S1], as :class:`RenameFilterList`."""

    name: str
    new_name: str


@dataclass(frozen=True)
class RenameRule:
    """``set rule name=X policy=P newname=Y`` [S1], as :class:`RenameFilterList`."""

    policy: str
    name: str
    new_name: str


@dataclass(frozen=True)
class AddFilterList:
    """``add filterlist``: create an empty list (its filters follow as :class:`AddFilter`)."""

    filter_list: FilterList


@dataclass(frozen=True)
class SetFilterList:
    """``set filterlist``: change the description (``filter_list.filters`` is ignored)."""

    filter_list: FilterList


@dataclass(frozen=True)
class DeleteFilterList:
    """``delete filterlist``: remove a list and its filters."""

    name: str


@dataclass(frozen=True)
class AddFilter:
    """``add filter``: add one filter to a list."""

    filter_list: str
    filter: Filter


@dataclass(frozen=True)
class DeleteFilter:
    """``delete filter``: remove every filter of the list whose fields, description aside, equal
    ``filter``'s ("will delete all filters that meet those criteria" [S8 p.316])."""

    filter_list: str
    filter: Filter


@dataclass(frozen=True)
class AddFilterAction:
    """``add filteraction``."""

    filter_action: FilterAction


@dataclass(frozen=True)
class SetFilterAction:
    """``set filteraction``: only the fields that are not ``None`` change."""

    filter_action: FilterAction


@dataclass(frozen=True)
class DeleteFilterAction:
    """``delete filteraction``."""

    name: str


@dataclass(frozen=True)
class AddPolicy:
    """``add policy``: the policy's own settings; rules, the default response rule and assignment
    follow as separate changes (``policy.rules``, ``default_rule`` and ``assigned`` are ignored)."""

    policy: Policy


@dataclass(frozen=True)
class SetPolicy:
    """``set policy``: only the settings that are not ``None`` change (``rules``, ``default_rule``
    and ``assigned`` are ignored)."""

    policy: Policy


@dataclass(frozen=True)
class DeletePolicy:
    """``delete policy``: removes the policy and its rules, not its lists or actions [S4]."""

    name: str


@dataclass(frozen=True)
class AssignPolicy:
    """``set policy name=X assign=yes|no``. Assigning one policy unassigns any other (A-26)."""

    name: str
    assign: bool


@dataclass(frozen=True)
class SetDefaultRule:
    """``set defaultrule``: only the fields that are not ``None`` change."""

    policy: str
    default_rule: DefaultResponseRule


@dataclass(frozen=True)
class AddRule:
    """``add rule``: the filter list and filter action must exist."""

    policy: str
    rule: Rule


@dataclass(frozen=True)
class SetRule:
    """``set rule``: only the fields that are not ``None`` change; auth methods, when given, replace
    the whole list (A-38)."""

    policy: str
    rule: Rule


@dataclass(frozen=True)
class DeleteRule:
    """``delete rule``."""

    policy: str
    name: str


# Every change type; ``Union`` rather than ``|`` keeps this importable on the oldest controller Python.
Change = Union[
    RenameFilterList, RenameFilterAction, RenamePolicy, RenameRule,
    AddFilterList, SetFilterList, DeleteFilterList, AddFilter, DeleteFilter,
    AddFilterAction, SetFilterAction, DeleteFilterAction,
    AddPolicy, SetPolicy, DeletePolicy, AssignPolicy, SetDefaultRule,
    AddRule, SetRule, DeleteRule,
]

__all__ = [
    "AddFilter",
    "AddFilterAction",
    "AddFilterList",
    "AddPolicy",
    "AddRule",
    "AssignPolicy",
    "Change",
    "DeleteFilter",
    "DeleteFilterAction",
    "DeleteFilterList",
    "DeletePolicy",
    "DeleteRule",
    "RenameFilterAction",
    "RenameFilterList",
    "RenamePolicy",
    "RenameRule",
    "SetDefaultRule",
    "SetFilterAction",
    "SetFilterList",
    "SetPolicy",
    "SetRule",
]
