# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Predict the store a plan leaves behind, without touching the host.

:func:`predict` applies each :mod:`~._changes` change to a store the way netsh would, so that check
mode can report the ``after`` it would reach. It is pure: the input store is never modified.

netsh's defaults for options an ``add`` command leaves out live in ONE table, :data:`DEFAULTS`, with
the source or assumption of each value; :func:`with_defaults` applies it. The planner uses the same
table (and :func:`overlay`), so plan and prediction cannot disagree about what a field left out
becomes.

A change that netsh could not apply (adding an object that exists, deleting or changing one that
does not, a rule naming a list that does not exist, deleting a list a rule still uses, a
``delete filter`` that matches nothing) raises :class:`~._errors.PlanError`: the planner must never
produce such a plan, and the tests prove it through this function.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, List, Mapping, Sequence, TypeVar

from ._changes import (
    AddFilter,
    AddFilterAction,
    AddFilterList,
    AddPolicy,
    AddRule,
    AssignPolicy,
    Change,
    DeleteFilter,
    DeleteFilterAction,
    DeleteFilterList,
    DeletePolicy,
    DeleteRule,
    RenameFilterAction,
    RenameFilterList,
    RenamePolicy,
    RenameRule,
    SetDefaultRule,
    SetFilterAction,
    SetFilterList,
    SetPolicy,
    SetRule,
)
from ._errors import InvalidInput, PlanError
from ._names import name_key
from ._model import (
    DEFAULT_POLLING_INTERVAL,
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

T = TypeVar("T")

# The quick-mode methods a negotiate action gets when none are given (A-09/A-27: the Windows 2000
# "Request Security" style default; no capture of a bare `add filteraction` exists).
NEGOTIATE_QM_METHODS = ("ESP[3DES,SHA1]:100000k/3600s", "ESP[3DES,MD5]:100000k/3600s")

# A filter action's flags the store keeps only for an action that negotiates.
OFFER_FLAGS = ("qmpfs", "inpass", "soft")

# What a field left out of an `add` command becomes. ONE table: plan and predict both read it.
# A value may be a callable taking the object with the plain defaults already filled in, for fields
# whose default depends on another field.
DEFAULTS: Mapping[type, Mapping[str, object]] = {
    FilterList: {
        "description": "",  # printed as NONE when absent [S5]
    },
    FilterAction: {
        "action": Action.NEGOTIATE,  # UNKNOWN in SYNTAX §4.4; assumed negotiate
        "description": "",  # printed as NONE when absent [S5]
        "qmpfs": False,  # "If you do not specify this option, it defaults to no" [S8 p.318]
        "inpass": False,
        "soft": False,
        # "ignored if the action is not 'negotiate'" [S3]; the negotiate default is A-27
        "qm_security_methods": lambda action: NEGOTIATE_QM_METHODS if action.action is Action.NEGOTIATE else (),
    },
    Rule: {
        "activate": True,  # SYNTAX §4.5 INFERRED yes
        "connection_type": ConnectionType.ALL,  # SYNTAX §4.5 INFERRED all
        "description": "",  # printed as NONE when absent [S5]
        "tunnel": "",  # no tunnel end point: a transport-mode rule (SYNTAX §4.5)
        "auth_methods": (),  # no explicit method prints no Auth Method line
    },
    Policy: {
        "description": "",  # printed as NONE when absent [S5]
        "rules": (),  # "Creates a policy with a default response rule." [S4], no other rule
        "unnamed_rules": (),  # netsh names every rule it adds
        "polling_interval": DEFAULT_POLLING_INTERVAL,  # 180 minutes [S5]
        "mmpfs": False,  # "Master PFS: NO" when absent [S5]
        "qm_per_mm": lambda policy: 1 if policy.mmpfs else 0,  # "If mmpfs is specified, qmpermm will be set to 1" [S2]; 0 = no limit
        "mm_lifetime": 480,  # minutes
        "mm_security_methods": ("3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"),
        "assigned": False,  # `assign` defaults to no: SYNTAX §4.1 INFERRED ([S5] needed a separate assign)
        "default_rule": lambda policy: with_defaults(DefaultResponseRule()),
    },
    DefaultResponseRule: {
        "activate": True,  # SYNTAX §4.1 INFERRED yes
        "qmpfs": False,  # as for a filter action [S8 p.318]
        "qm_security_methods": (),
        "auth_methods": (),
    },
}

# The fields a Set* change of each kind can carry (the rest of the object is ignored by it).
ACTION_SETTINGS = ("action", "description", "inpass", "soft", "qmpfs", "qm_security_methods")
RULE_SETTINGS = ("filter_list", "filter_action", "activate", "connection_type", "description", "tunnel", "auth_methods")
POLICY_SETTINGS = ("description", "polling_interval", "mmpfs", "qm_per_mm", "mm_lifetime", "mm_security_methods")
DEFAULT_RULE_SETTINGS = ("activate", "qmpfs", "qm_security_methods", "auth_methods")


def with_defaults(obj: T) -> T:
    """Return ``obj`` with every ``None`` field that :data:`DEFAULTS` knows replaced by netsh's default.

    Plain values are filled first, then the derived ones (callables), so a derived default sees the
    object's own value or the plain default of the field it depends on. Fields that are set are kept.
    """
    table = DEFAULTS[type(obj)]
    plain = {name: value for name, value in table.items() if not callable(value) and getattr(obj, name) is None}
    filled = replace(obj, **plain) if plain else obj
    derived = {name: value(filled) for name, value in table.items() if callable(value) and getattr(filled, name) is None}
    return replace(filled, **derived) if derived else filled


def overlay(base: T, partial: object, names: Sequence[str]) -> T:
    """Return ``base`` with the fields ``names`` taken from ``partial`` where those are not ``None``.

    Raises:
        InvalidInput: when the combination is not a valid model object (e.g. a policy with
            ``mmpfs`` on and ``qm_per_mm`` other than 1).
    """
    changed = {name: getattr(partial, name) for name in names if getattr(partial, name) is not None}
    return replace(base, **changed) if changed else base


class _Working:
    """The mutable copy of a store that :func:`predict` edits; built once, frozen once at the end.

    Filters and rules are kept in plain lists and dicts so that a plan of thousands of changes does
    not rebuild (and re-sort) a frozen object per change.
    """

    def __init__(self, store: Store) -> None:
        self.list_descriptions: Dict[str, str] = {name: item.description or "" for name, item in store.filter_lists.items()}
        self.filters: Dict[str, List[Filter]] = {name: list(item.filters or ()) for name, item in store.filter_lists.items()}
        self.actions: Dict[str, FilterAction] = dict(store.filter_actions)
        self.policies: Dict[str, Policy] = {name: replace(item, rules=None) for name, item in store.policies.items()}
        self.rules: Dict[str, Dict[str, Rule]] = {
            name: {rule.name: rule for rule in item.rules or ()} for name, item in store.policies.items()
        }

    def freeze(self) -> Store:
        return Store.of(
            filter_lists=(
                FilterList(name, description=self.list_descriptions[name], filters=tuple(filters))
                for name, filters in self.filters.items()
            ),
            filter_actions=self.actions.values(),
            policies=(replace(policy, rules=tuple(self.rules[name].values())) for name, policy in self.policies.items()),
        )

    def copy(self) -> _Working:
        """An independent copy (objects are immutable; only the containers are copied)."""
        twin = _Working(Store())
        twin.list_descriptions, twin.filters = dict(self.list_descriptions), {name: list(items) for name, items in self.filters.items()}
        twin.actions, twin.policies = dict(self.actions), dict(self.policies)
        twin.rules = {name: dict(rules) for name, rules in self.rules.items()}
        return twin

    def repoint(self, reference: str, name: str, new_name: str) -> None:
        """Rules refer to a list or an action itself (by GUID in the store, [MS-GPIPSEC]), so a
        renamed one shows under its new name in every rule that uses it."""
        for rules in self.rules.values():
            for rule_name, rule in rules.items():
                if getattr(rule, reference) == name:
                    rules[rule_name] = replace(rule, **{reference: new_name})
        for policy_name, policy in self.policies.items():
            if any(getattr(rule, reference) == name for rule in policy.unnamed_rules or ()):
                unnamed = tuple(replace(rule, **{reference: new_name}) if getattr(rule, reference) == name else rule
                                for rule in policy.unnamed_rules)
                self.policies[policy_name] = replace(policy, unnamed_rules=unnamed)

    def users(self, *, filter_list: str | None = None, filter_action: str | None = None) -> list[str]:
        """``policy/rule`` names of the rules (named or not) that refer to the given list or action."""
        return [
            f"{policy}/{rule.name or '(a rule without a name)'}"
            for policy, rules in self.rules.items()
            for rule in (*rules.values(), *(self.policies[policy].unnamed_rules or ()))
            if (filter_list is not None and rule.filter_list == filter_list)
            or (filter_action is not None and rule.filter_action == filter_action)
        ]


def _refuse(change: Change, reason: str) -> PlanError:
    return PlanError(f"cannot apply {type(change).__name__} ({_subject(change)}): {reason}")


def _subject(change: Change) -> str:
    for attr in ("filter_list", "filter_action", "policy", "rule", "name"):
        value = getattr(change, attr, None)
        if value is not None:
            return value if isinstance(value, str) else value.name
    return "?"


def _need(mapping: Mapping[str, object], name: str, what: str, change: Change) -> None:
    if name not in mapping:
        raise _refuse(change, f"{what} {name!r} does not exist")


def _absent(mapping: Mapping[str, object], name: str, what: str, change: Change, *, but: str | None = None) -> None:
    """Refuse ``name`` when another object of ``mapping`` (other than ``but``) has it, in any case (A-31)."""
    key = name_key(name)
    clash = next((other for other in mapping if name_key(other) == key and other != but), None)
    if clash is not None:
        raise _refuse(change, f"{what} {clash!r} already exists")


def _check_rule_targets(work: _Working, rule: Rule, change: Change) -> None:
    # What `add rule` does with a missing list or action is UNKNOWN (SYNTAX §4.5); we never rely on it.
    if rule.filter_list is None or rule.filter_action is None:
        raise _refuse(change, "a rule needs a filter list and a filter action")
    _need(work.filters, rule.filter_list, "filter list", change)
    _need(work.actions, rule.filter_action, "filter action", change)


# --- one function per change type -----------------------------------------------------------------


def _rename_filter_list(work: _Working, change: RenameFilterList) -> None:
    _need(work.filters, change.name, "filter list", change)
    _absent(work.filters, change.new_name, "filter list", change, but=change.name)
    work.filters[change.new_name] = work.filters.pop(change.name)
    work.list_descriptions[change.new_name] = work.list_descriptions.pop(change.name)
    work.repoint("filter_list", change.name, change.new_name)


def _rename_filter_action(work: _Working, change: RenameFilterAction) -> None:
    _need(work.actions, change.name, "filter action", change)
    _absent(work.actions, change.new_name, "filter action", change, but=change.name)
    work.actions[change.new_name] = replace(work.actions.pop(change.name), name=change.new_name)
    work.repoint("filter_action", change.name, change.new_name)


def _rename_policy(work: _Working, change: RenamePolicy) -> None:
    _need(work.policies, change.name, "policy", change)
    _absent(work.policies, change.new_name, "policy", change, but=change.name)
    work.policies[change.new_name] = replace(work.policies.pop(change.name), name=change.new_name)
    work.rules[change.new_name] = work.rules.pop(change.name)


def _rename_rule(work: _Working, change: RenameRule) -> None:
    _need(work.policies, change.policy, "policy", change)
    rules = work.rules[change.policy]
    _need(rules, change.name, f"rule of policy {change.policy!r}", change)
    _absent(rules, change.new_name, f"rule of policy {change.policy!r}", change, but=change.name)
    rules[change.new_name] = replace(rules.pop(change.name), name=change.new_name)


def _add_filter_list(work: _Working, change: AddFilterList) -> None:
    name = change.filter_list.name
    _absent(work.filters, name, "filter list", change)  # IPsec[05010] [S12][S14]
    work.list_descriptions[name] = with_defaults(replace(change.filter_list, filters=None)).description
    work.filters[name] = []  # "Creates an empty filter list." [S4]


def _set_filter_list(work: _Working, change: SetFilterList) -> None:
    name = change.filter_list.name
    _need(work.filters, name, "filter list", change)
    if change.filter_list.description is not None:
        work.list_descriptions[name] = change.filter_list.description


def _delete_filter_list(work: _Working, change: DeleteFilterList) -> None:
    _need(work.filters, change.name, "filter list", change)
    users = work.users(filter_list=change.name)
    if users:  # may be refused by netsh (A-30, SYNTAX §6); the planner never tries
        raise _refuse(change, f"still used by {', '.join(users)}")
    del work.filters[change.name]
    del work.list_descriptions[change.name]


def _add_filter(work: _Working, change: AddFilter) -> None:
    if change.filter_list not in work.filters:  # "If the filter list does not exist it will be created." [S3]
        work.filters[change.filter_list] = []
        work.list_descriptions[change.filter_list] = DEFAULTS[FilterList]["description"]
    work.filters[change.filter_list].append(change.filter)


def _delete_filter(work: _Working, change: DeleteFilter) -> None:
    _need(work.filters, change.filter_list, "filter list", change)
    key = change.filter.match_key
    kept = [item for item in work.filters[change.filter_list] if item.match_key != key]
    if len(kept) == len(work.filters[change.filter_list]):
        raise _refuse(change, f"no filter of the list matches {change.filter}")
    # "will delete all filters that meet those criteria" [S8 p.316]
    work.filters[change.filter_list] = kept


def coupled_methods(action: FilterAction) -> FilterAction:
    """The action with its quick-mode methods as netsh keeps them after an ``add`` or ``set``.

    "Quick mode security methods are ignored if the action is not 'negotiate'" [S3]: a permit or
    block action holds none; a negotiate action left without any gets the default list (A-27).
    """
    if action.action is not Action.NEGOTIATE:
        # Nor PFS, inpass or soft: they live in the offers and type of a negotiating action.
        return replace(action, qm_security_methods=(), **{flag: False for flag in OFFER_FLAGS})
    return action if action.qm_security_methods else replace(action, qm_security_methods=NEGOTIATE_QM_METHODS)


def coupled_default_rule(rule: DefaultResponseRule) -> DefaultResponseRule:
    """The default response rule as the store keeps it: PFS lives in each offer (GPIPSEC.md §4.2), so
    a rule without quick-mode methods has none (A-98)."""
    return replace(rule, qmpfs=False) if rule.qmpfs and not rule.qm_security_methods else rule


def _add_filter_action(work: _Working, change: AddFilterAction) -> None:
    _absent(work.actions, change.filter_action.name, "filter action", change)  # IPsec[05014] [S12][S14]
    work.actions[change.filter_action.name] = coupled_methods(with_defaults(change.filter_action))


def _set_filter_action(work: _Working, change: SetFilterAction) -> None:
    name = change.filter_action.name
    _need(work.actions, name, "filter action", change)
    work.actions[name] = coupled_methods(overlay(work.actions[name], change.filter_action, ACTION_SETTINGS))


def _delete_filter_action(work: _Working, change: DeleteFilterAction) -> None:
    _need(work.actions, change.name, "filter action", change)
    users = work.users(filter_action=change.name)
    if users:  # as for filter lists
        raise _refuse(change, f"still used by {', '.join(users)}")
    del work.actions[change.name]


def _add_policy(work: _Working, change: AddPolicy) -> None:
    name = change.policy.name
    _absent(work.policies, name, "policy", change)  # IPsec[05005] [S12][S14]
    # Rules, the default response rule and assignment follow as their own changes (_changes.AddPolicy).
    bare = replace(change.policy, rules=None, default_rule=None, assigned=None)
    work.policies[name] = replace(with_defaults(bare), rules=None)
    work.rules[name] = {}


def _set_policy(work: _Working, change: SetPolicy) -> None:
    name = change.policy.name
    _need(work.policies, name, "policy", change)
    try:
        work.policies[name] = overlay(work.policies[name], change.policy, POLICY_SETTINGS)
    except InvalidInput as error:
        raise _refuse(change, str(error)) from None


def _delete_policy(work: _Working, change: DeletePolicy) -> None:
    _need(work.policies, change.name, "policy", change)
    # "Deletes a policy and its rules." [S4]; its lists and actions stay (SYNTAX §6, INFERRED).
    del work.policies[change.name]
    del work.rules[change.name]


def _assign_policy(work: _Working, change: AssignPolicy) -> None:
    _need(work.policies, change.name, "policy", change)
    if change.assign:  # only one policy is assigned at a time; assigning one unassigns the other
        for name, policy in work.policies.items():
            if policy.assigned and name != change.name:
                work.policies[name] = replace(policy, assigned=False)
    work.policies[change.name] = replace(work.policies[change.name], assigned=change.assign)


def _set_default_rule(work: _Working, change: SetDefaultRule) -> None:
    _need(work.policies, change.policy, "policy", change)
    policy = work.policies[change.policy]
    default_rule = coupled_default_rule(overlay(policy.default_rule, change.default_rule, DEFAULT_RULE_SETTINGS))
    work.policies[change.policy] = replace(policy, default_rule=default_rule)


def _add_rule(work: _Working, change: AddRule) -> None:
    _need(work.policies, change.policy, "policy", change)
    _absent(work.rules[change.policy], change.rule.name, f"rule of policy {change.policy!r}", change)  # IPsec[05020] [S12]
    _check_rule_targets(work, change.rule, change)
    work.rules[change.policy][change.rule.name] = with_defaults(change.rule)


def _set_rule(work: _Working, change: SetRule) -> None:
    _need(work.policies, change.policy, "policy", change)
    rules = work.rules[change.policy]
    _need(rules, change.rule.name, f"rule of policy {change.policy!r}", change)
    updated = overlay(rules[change.rule.name], change.rule, RULE_SETTINGS)  # auth methods replace the list
    _check_rule_targets(work, updated, change)
    rules[change.rule.name] = updated


def _delete_rule(work: _Working, change: DeleteRule) -> None:
    _need(work.policies, change.policy, "policy", change)
    _need(work.rules[change.policy], change.name, f"rule of policy {change.policy!r}", change)
    del work.rules[change.policy][change.name]


_APPLY: Mapping[type, Callable[[_Working, Change], None]] = {
    RenameFilterList: _rename_filter_list,
    RenameFilterAction: _rename_filter_action,
    RenamePolicy: _rename_policy,
    RenameRule: _rename_rule,
    AddFilterList: _add_filter_list,
    SetFilterList: _set_filter_list,
    DeleteFilterList: _delete_filter_list,
    AddFilter: _add_filter,
    DeleteFilter: _delete_filter,
    AddFilterAction: _add_filter_action,
    SetFilterAction: _set_filter_action,
    DeleteFilterAction: _delete_filter_action,
    AddPolicy: _add_policy,
    SetPolicy: _set_policy,
    DeletePolicy: _delete_policy,
    AssignPolicy: _assign_policy,
    SetDefaultRule: _set_default_rule,
    AddRule: _add_rule,
    SetRule: _set_rule,
    DeleteRule: _delete_rule,
}


def predict(have: Store, changes: Sequence[Change]) -> Store:
    """Return the store that running ``changes`` in order on ``have`` would leave.

    Args:
        have: a gathered store (every field set); not modified.
        changes: a plan, e.g. from :func:`~._plan.plan`.

    Returns:
        A new store with every field set: objects created by ``Add*`` changes take :data:`DEFAULTS`
        for the fields they leave ``None``.

    Raises:
        PlanError: naming the first change that netsh could not apply to the store as it is then.
    """
    work = _Working(have)
    for change in changes:
        _APPLY[type(change)](work, change)
    return work.freeze()


class Prediction:
    """A store changed one command at a time, as :func:`predict` changes it, for callers that need the
    store between commands (reading a script line by line) without freezing it after each.

    The mappings are live views, to be read and never changed: ``filter_lists`` maps a list's name to
    its filters, ``filter_actions`` a name to the action, ``policies`` a name to the policy without its
    named rules (:meth:`rules` has them). Names are as created (look one up in any case with
    ``_names.same_name``).
    """

    def __init__(self, store: Store | None = None) -> None:
        self._work = _Working(store or Store())

    @property
    def filter_lists(self) -> Mapping[str, Sequence[Filter]]:
        return self._work.filters

    @property
    def filter_actions(self) -> Mapping[str, FilterAction]:
        return self._work.actions

    @property
    def policies(self) -> Mapping[str, Policy]:
        return self._work.policies

    def rules(self, policy: str) -> tuple[Rule, ...]:
        """The named rules of ``policy`` (as created) in the order added; ``()`` for no such policy."""
        return tuple(self._work.rules.get(policy, {}).values())

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` in order, all or none: when one raises, the state is as before.

        Raises:
            PlanError, InvalidInput: as :func:`predict`.
        """
        if len(changes) == 1:  # each change checks before it edits, so one alone needs no copy
            _APPLY[type(changes[0])](self._work, changes[0])
            return
        trial = self._work.copy()
        for change in changes:
            _APPLY[type(change)](trial, change)
        self._work = trial

    def copy(self) -> Prediction:
        twin = Prediction()
        twin._work = self._work.copy()
        return twin

    def store(self) -> Store:
        """The store as it is now."""
        return self._work.freeze()


__all__ = [
    "ACTION_SETTINGS",
    "DEFAULTS",
    "DEFAULT_RULE_SETTINGS",
    "NEGOTIATE_QM_METHODS",
    "OFFER_FLAGS",
    "POLICY_SETTINGS",
    "Prediction",
    "RULE_SETTINGS",
    "coupled_default_rule",
    "coupled_methods",
    "overlay",
    "predict",
    "with_defaults",
]
