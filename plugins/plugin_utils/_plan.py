# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The planner: (have, want, state, scope) -> the ordered netsh changes.

:func:`plan` is a pure function. It compares a gathered store (``have``, every field set) with a
desired one (``want``, where ``None`` means "not managed") under one of the resource-module states
and returns a tuple of :mod:`~._changes` changes, one per netsh command, in the order they must run.
It never modifies its inputs and its output depends on nothing but them.

The order is written in one place, :class:`Phase`; read its docstring for why it is safe to run on
a server whose policy is assigned. netsh's defaults for fields an ``add`` leaves out come from
:data:`~._predict.DEFAULTS`, the table :func:`~._predict.predict` uses, so the plan and the
prediction of check mode cannot disagree about them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Dict, Iterable, Iterator, List, Mapping, NamedTuple, Sequence, Tuple

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
from ._model import Action, ConnectionType, DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule, Store
from ._names import name_key, spelled
from ._predict import ACTION_SETTINGS, DEFAULT_RULE_SETTINGS, OFFER_FLAGS, POLICY_SETTINGS, RULE_SETTINGS, overlay, predict, with_defaults


class State(enum.Enum):
    """What to do with the desired store (the resource-module vocabulary).

    * MERGED: create what is missing; on existing objects change only the given fields that differ;
      filters of a given list are only added, rules of a given policy only added or updated.
    * REPLACED: as MERGED, but a given ``filters`` is the exact filter set of its list and a given
      ``rules`` the exact rule set of its policy.
    * OVERRIDDEN: REPLACED, and every object in scope that the desired store does not name is deleted.
    * DELETED: delete the named objects (their other fields are ignored); with an empty desired store,
      every object in scope.
    """

    MERGED = "merged"
    REPLACED = "replaced"
    OVERRIDDEN = "overridden"
    DELETED = "deleted"


@dataclass(frozen=True)
class Scope:
    """Which objects a plan may touch.

    Attributes:
        owner_prefix: when set, only filter lists, filter actions and policies whose names start with
            it, in any case (A-31), are created, changed or deleted (rules belong to their policy), in
            every state: the desired store may not name an object outside it (rules may still *refer*
            to one). Required by OVERRIDDEN and by DELETED with an empty desired store, which would
            otherwise reach every object on the host. The empty string counts as missing.
        whole_store: the plan may reach every object without a prefix. Only for the collection's own
            exact plans (:func:`plan_exact`: an undo, a restore), never from a user's options.
    """

    owner_prefix: str | None = None
    whole_store: bool = False

    def owns(self, name: str) -> bool:
        """Whether ``name`` is in scope (everything is, without a prefix)."""
        return not self.owner_prefix or name_key(name).startswith(name_key(self.owner_prefix))


class Phase(enum.IntEnum):
    """The order of a plan. Every change falls in exactly one phase; phases run in this order.

    Renames come first (0): an object the desired state spells in another case is the same object
    (A-31), renamed with ``newname=`` before any other command names it in its new spelling. A rename
    changes no traffic (rules follow the object, not its name). Lists, actions and policies are
    renamed before rules, whose commands name their policy.

    Dependencies first: a rule can only name a filter list and a filter action that exist, so lists
    and actions are created (1, 2) and policies created (2.5) before any rule is added, and lists and
    actions are deleted (5) only after every rule that used them is gone, whether by ``delete rule``
    or by ``delete policy``, which takes its rules with it [S4] (deleted policies go in 3).

    Then safety, "make before break" (DESIGN.md, Safety): the policy being changed may be assigned,
    and the connection the plan runs over must survive every command. So every change that can let
    traffic through ("opening", 3) runs before every change that can stop traffic ("closing", 4):
    permits are added before blocks, blocks removed before permits, and traffic that both the
    starting and the final state let through is never blocked in between. This holds under
    specificity matching too, since adding a permit or removing a block never stops a packet. A
    change is classified by what it does to the rules that use the object it changes, before or
    after the plan (a rule blocks when it is active and its action is block or negotiate, permits
    when it is active with a permit action):

    * a filter added to a list that no blocking rule uses opens, to a list that only blocking rules
      use closes; a filter deleted from a list that no permitting rule uses opens, from one that
      only permitting rules use closes;
    * a rule is classified by what it becomes (a permit rule added, a rule re-pointed to permit:
      opening; a block rule added or re-pointed to block: closing), a rule removed or switched off
      by what it was;
    * a filter action that changes towards permit (block -> negotiate -> permit, inpass or soft
      turned on) opens, towards block closes; other action changes do not affect traffic (1);
    * a change that does both, a filter added to or deleted from a list that permitting and
      blocking rules share, or a rule that keeps its effect but moves to another list or connection
      type, runs on the boundary, first among the closing changes: after everything that opens
      (so what it stops is let through elsewhere by then) and before everything else that closes
      (so what it lets through is in place before another path for that traffic is cut). On the
      boundary, filters are added first, then rules move, then filters are deleted; a permit rule
      that moves onto traffic another permit rule moves off goes first (:func:`_order_moves`).

    Changes that cannot be split run together, in the phase of the half that adds, and are the one
    exception to the guarantee above (a gap of one command): ``delete filter`` removes every filter
    with the same fields but the description [S8 p.316], so re-adding the wanted filters of such a
    group follows its delete directly; a rule that must be re-created (A-38) is deleted directly
    before it is added again. Rules that trade lists with each other move in name order, so one
    of them may lack its new path for a command. Assigning a policy comes last (6), when it is
    complete; unassigning comes first among the opening changes.

    Within a phase changes are ordered by object name (policy name, then rule name, for rules; rule
    moves by their rank first) and then by :meth:`~._model.Filter.sort_key`, so a plan is
    deterministic.
    """

    RENAMES = 5  # 0: RenameFilterList, RenameFilterAction, RenamePolicy, then RenameRule
    ACTIONS = 10  # 1: AddFilterAction; SetFilterAction that neither opens nor closes
    LISTS = 20  # 2: AddFilterList (empty); SetFilterList
    POLICIES = 25  # 2.5: AddPolicy; SetPolicy
    UNASSIGN = 30  # 3: AssignPolicy(no) of kept policies; AssignPolicy(no) + DeletePolicy of deleted ones
    LOOSEN_ACTIONS = 31  # 3: SetFilterAction towards permit
    OPEN_FILTERS = 32  # 3: filters added to lists no blocking rule uses, deleted from lists no permitting rule uses
    DROP_BLOCKS = 33  # 3: DeleteRule of blocking or inactive rules; SetRule switching a blocking rule off
    OPEN_RULES = 34  # 3: AddRule / SetRule of rules that end permitting or inactive
    DEFAULT_RULES = 35  # 3: SetDefaultRule
    SWAP_ADDS = 40  # 4: filters added to lists that blocking and permitting rules share
    SWAP_RULES = 41  # 4: SetRule moving a rule that permits (or blocks) before and after to another list or conntype
    SWAP_DELETES = 42  # 4: filters deleted from lists that blocking and permitting rules share
    CLOSE_FILTERS = 43  # 4: filters added to lists only blocking rules use
    ADD_BLOCKS = 44  # 4: AddRule of blocking rules
    CUT_FILTERS = 45  # 4: filters deleted from lists only permitting rules use
    DROP_PERMITS = 46  # 4: DeleteRule of permitting rules; SetRule switching a permitting rule off
    REPOINT_BLOCKS = 47  # 4: SetRule of rules that end blocking
    TIGHTEN_ACTIONS = 48  # 4: SetFilterAction towards block
    PURGE_LISTS = 50  # 5: DeleteFilterList
    PURGE_ACTIONS = 51  # 5: DeleteFilterAction
    ASSIGN = 60  # 6: AssignPolicy(yes)


class _Step(NamedTuple):
    phase: Phase
    key: tuple  # object name first (after a rank for rule moves); one shape per phase
    change: Change


class _Effect(enum.Enum):
    """What a rule does to traffic."""

    INACTIVE = "inactive"
    PERMITS = "permits"
    BLOCKS = "blocks"  # block, or negotiate (which non-IPsec peers cannot pass)


# block > negotiate > permit in how much traffic they stop
_STRICTNESS = {Action.PERMIT: 0, Action.NEGOTIATE: 1, Action.BLOCK: 2}


@dataclass(frozen=True)
class _Doomed:
    """Names of the store-level objects the plan deletes."""

    filter_lists: frozenset = frozenset()
    filter_actions: frozenset = frozenset()
    policies: frozenset = frozenset()


@dataclass(frozen=True)
class _Picture:
    """The parts of the store after the plan that the checks and the ordering need.

    Attributes:
        filter_lists: names of the lists that exist afterwards.
        actions: the action (permit / block / negotiate) of every filter action afterwards.
        rules: policy name -> rule name -> rule afterwards, every field set.
    """

    filter_lists: frozenset
    actions: Mapping[str, Action]
    rules: Mapping[str, Mapping[str, Rule]]


@dataclass(frozen=True)
class _Usage:
    """Filter lists used by a blocking or by a permitting rule, before or after the plan."""

    blocking: frozenset
    permitting: frozenset

    def add_phase(self, filter_list: str) -> Phase:
        """Adding a filter opens for the permitting users and closes for the blocking ones."""
        if filter_list not in self.blocking:
            return Phase.OPEN_FILTERS
        return Phase.SWAP_ADDS if filter_list in self.permitting else Phase.CLOSE_FILTERS

    def delete_phase(self, filter_list: str) -> Phase:
        """Deleting a filter opens for the blocking users and closes for the permitting ones."""
        if filter_list not in self.permitting:
            return Phase.OPEN_FILTERS
        return Phase.SWAP_DELETES if filter_list in self.blocking else Phase.CUT_FILTERS


# --- the entry points ----------------------------------------------------------------------------


def plan(have: Store, want: Store, *, state: State, scope: Scope = Scope()) -> Tuple[Change, ...]:
    """Return the changes that take the host from ``have`` to ``want`` under ``state``, in order.

    Args:
        have: the gathered store (every field set). Not modified.
        want: the desired store (``None`` fields are not managed). Not modified.
        state: see :class:`State`.
        scope: see :class:`Scope`.

    Returns:
        The changes in the order of :class:`Phase`; empty when the host is already as desired.

    Raises:
        PlanError: the state needs an owner prefix and has none; the desired store names an object
            outside the prefix; two policies are to be assigned; a new rule lacks its filter list or
            filter action; a rule names a list or action that exists neither on the host nor in the
            desired store; a list or action to delete is still used by a rule that stays; a policy's
            settings would combine ``mmpfs`` with ``qm_per_mm`` other than 1; a default response
            rule's authentication methods would have to be cleared, which netsh cannot do (A-38); a
            filter action would get quick-mode methods without negotiating, or negotiate without any.
    """
    check_scope(want, state, scope)
    want = _spelled_as(want, have, renaming=state is not State.DELETED)
    renames = [] if state is State.DELETED else _renames(have, want)
    if renames:
        have = predict(have, [step.change for step in renames])  # from here on, names are spelled as wanted
    doomed = _doomed(have, want, state, scope)
    applied = Store() if state is State.DELETED else want
    exact = state in (State.REPLACED, State.OVERRIDDEN)
    _check_assignment(applied)
    picture = _picture(have, applied, doomed, exact)
    _check_references(have, applied, picture)
    usage = _usage(have, picture)
    steps: List[_Step] = [
        *renames,
        *_action_steps(have, applied),
        *_list_steps(have, applied, exact, usage),
        *_policy_steps(have, applied, exact, picture),
        *_deletion_steps(have, doomed),
    ]
    steps = _order_moves(steps, have, applied, exact, picture)
    steps.sort(key=lambda step: (step.phase, step.key))  # our own list; keys unique per phase
    return tuple(step.change for step in steps)


def plan_exact(have: Store, target: Store) -> Tuple[Change, ...]:
    """The changes that make the host hold exactly ``target``, a complete store (every field set: a
    gathered store, or a structured backup): every object ``target`` lacks is deleted and every other
    one made equal to ``target``'s, assignment included, in the order of :class:`Phase`.

    This is how a write that failed part-way is undone and how a structured backup is restored. It is
    :func:`plan` in state OVERRIDDEN over the whole store, which no user option can reach.

    Raises:
        PlanError: as :func:`plan`, e.g. when the default response rule would have to lose its
            authentication methods, which netsh cannot do (A-38).
    """
    return plan(have, target, state=State.OVERRIDDEN, scope=Scope(whole_store=True))


def exclusively_used(have: Store, policy: str) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """The filter lists and filter actions that only ``policy``'s rules use, each sorted by name.

    This is what ``ipsecpol -o`` deletes with a policy ("including all associated filter lists and
    filter actions", seed 000), restricted to what no other policy needs. Names a rule refers to
    that do not exist on the host are left out; an unknown policy gives two empty tuples.
    """
    target = have.policies.get(policy)
    if target is None:
        return (), ()
    others = [rule for name, item in have.policies.items() if name != target.name for rule in _all_rules(item)]
    mine = _all_rules(target)
    lists = {rule.filter_list for rule in mine} - {rule.filter_list for rule in others}
    actions = {rule.filter_action for rule in mine} - {rule.filter_action for rule in others}
    return (
        tuple(sorted(name for name in lists if name in have.filter_lists)),
        tuple(sorted(name for name in actions if name in have.filter_actions)),
    )


def _all_rules(policy: Policy) -> Tuple[Rule, ...]:
    """A policy's rules, those without a name included."""
    return (*(policy.rules or ()), *(policy.unnamed_rules or ()))


# --- what the plan touches -----------------------------------------------------------------------


def _is_empty(store: Store) -> bool:
    return not (store.filter_lists or store.filter_actions or store.policies)


def _kinds(store: Store) -> Iterator[Tuple[str, Mapping]]:
    yield "filter list", store.filter_lists
    yield "filter action", store.filter_actions
    yield "policy", store.policies


def check_scope(want: Store, state: State, scope: Scope) -> None:
    """Refuse a plan that could reach objects the caller does not own (DESIGN.md, Ownership).

    :func:`plan` calls it first; callers may call it before reading the host, so that a scope error
    costs no round trip.

    Raises:
        PlanError: naming the object outside the owner prefix, or the missing prefix.
    """
    if scope.whole_store:
        return
    if not scope.owner_prefix and (state is State.OVERRIDDEN or (state is State.DELETED and _is_empty(want))):
        what = "overridden" if state is State.OVERRIDDEN else "deleted without naming any object"
        raise PlanError(f"state {what} needs an owner prefix: without one it would delete every object on the host")
    for kind, objects in _kinds(want):
        for name in objects:
            if not scope.owns(name):
                raise PlanError(f"{kind} {name!r} is outside the owner prefix {scope.owner_prefix!r} and cannot be managed in this scope")


def _spelled_as(want: Store, have: Store, *, renaming: bool) -> Store:
    """``want`` with every name spelled the way the plan must write it (A-31).

    A rule's filter list and filter action take the spelling of the object they name: the desired
    store's own, else the host's. With ``renaming`` the desired store's objects and rules keep their
    spelling (:func:`_renames` brings the host's to it); without (DELETED), they take the host's, so
    that ``p`` deletes the host's ``P``. Objects whose spelling is already right are kept as they are.
    """
    def named(item, host: Mapping):
        name = item.name if renaming else spelled(host, item.name)
        return item if name == item.name else replace(item, name=name)

    def reference(name: str | None, wanted: Mapping, host: Mapping) -> str | None:
        return name and spelled(wanted if name in wanted else host, name)

    def rule(item: Rule) -> Rule:
        lists = reference(item.filter_list, want.filter_lists, have.filter_lists)
        actions = reference(item.filter_action, want.filter_actions, have.filter_actions)
        return item if (lists, actions) == (item.filter_list, item.filter_action) else replace(item, filter_list=lists, filter_action=actions)

    def policy(item: Policy) -> Policy:
        item = named(item, have.policies)
        rules = None if item.rules is None else tuple(rule(each) for each in item.rules)
        return item if rules == item.rules else replace(item, rules=rules)

    policies = [policy(item) for item in want.policies.values()]
    lists = [named(item, have.filter_lists) for item in want.filter_lists.values()]
    actions = [named(item, have.filter_actions) for item in want.filter_actions.values()]
    unchanged = all(
        new is old for new, old in zip([*policies, *lists, *actions], [*want.policies.values(), *want.filter_lists.values(), *want.filter_actions.values()])
    )
    return want if unchanged else Store.of(filter_lists=lists, filter_actions=actions, policies=policies)


def _renames(have: Store, want: Store) -> List[_Step]:
    """A rename for every object, and every rule of a given policy, that the host spells otherwise."""
    steps: List[_Step] = []
    kinds = (
        (want.filter_lists, have.filter_lists, RenameFilterList),
        (want.filter_actions, have.filter_actions, RenameFilterAction),
        (want.policies, have.policies, RenamePolicy),
    )
    for rank, (wanted, present, rename) in enumerate(kinds):
        for name in wanted:
            old = present.get(name)
            if old is not None and old.name != name:
                steps.append(_Step(Phase.RENAMES, (rank, name), rename(old.name, name)))
    for name, policy in want.policies.items():
        old = have.policies.get(name)
        for rule in (policy.rules or ()) if old is not None else ():
            host_rule = old.rule(rule.name)
            if host_rule is not None and host_rule.name != rule.name:
                steps.append(_Step(Phase.RENAMES, (len(kinds), name, rule.name), RenameRule(name, host_rule.name, rule.name)))
    return steps


def _doomed(have: Store, want: Store, state: State, scope: Scope) -> _Doomed:
    """The store-level objects to delete: in-scope objects not wanted (OVERRIDDEN), or the named ones (DELETED)."""
    if state is State.OVERRIDDEN:
        lists, actions = kept_for_unnamed_rules(have, want, scope)
        return _Doomed(
            filter_lists=frozenset(name for name in have.filter_lists if scope.owns(name) and name not in want.filter_lists) - lists,
            filter_actions=frozenset(name for name in have.filter_actions if scope.owns(name) and name not in want.filter_actions) - actions,
            policies=frozenset(name for name in have.policies if scope.owns(name) and name not in want.policies),
        )
    if state is State.DELETED and _is_empty(want):
        def pick(existing: Mapping, wanted: Mapping) -> frozenset:
            return frozenset(name for name in existing if scope.owns(name))
    elif state is State.DELETED:
        def pick(existing: Mapping, wanted: Mapping) -> frozenset:
            return frozenset(name for name in wanted if name in existing)
    else:
        return _Doomed()
    return _Doomed(
        filter_lists=pick(have.filter_lists, want.filter_lists),
        filter_actions=pick(have.filter_actions, want.filter_actions),
        policies=pick(have.policies, want.policies),
    )


def kept_for_unnamed_rules(have: Store, want: Store, scope: Scope) -> Tuple[frozenset, frozenset]:
    """The filter lists and filter actions that ``overridden`` keeps although ``want`` does not name
    them, because a rule without a name of a policy that stays uses them.

    Such a rule is never changed or deleted (A-71), so what it uses cannot go either; a policy of the
    scope stays when ``want`` names it, one outside the scope always stays (and its rules, named or
    not, make a deletion fail as any user of an object does).
    """
    staying = [policy for name, policy in have.policies.items() if name in want.policies and scope.owns(name)]
    rules = [rule for policy in staying for rule in policy.unnamed_rules or ()]
    lists = frozenset(rule.filter_list for rule in rules if scope.owns(rule.filter_list) and rule.filter_list not in want.filter_lists)
    actions = frozenset(rule.filter_action for rule in rules if scope.owns(rule.filter_action) and rule.filter_action not in want.filter_actions)
    return lists, actions


def _check_assignment(applied: Store) -> None:
    """Only one policy can be assigned at a time [S23]."""
    assigned = [name for name, policy in applied.policies.items() if policy.assigned]
    if len(assigned) > 1:
        raise PlanError(f"only one policy can be assigned at a time, the desired state assigns {', '.join(map(repr, assigned))}")


def _final_rule(policy: str, old: Rule | None, rule: Rule) -> Rule:
    """The rule as it will be: the host's with the given fields, or a new one with netsh's defaults."""
    if old is not None:
        return overlay(old, rule, RULE_SETTINGS)
    for attr, what in (("filter_list", "filter list"), ("filter_action", "filter action")):
        if getattr(rule, attr) is None:
            raise PlanError(f"rule {rule.name!r} of policy {policy!r} is new and needs a {what}")
    return with_defaults(rule)


def _picture(have: Store, applied: Store, doomed: _Doomed, exact: bool) -> _Picture:
    """What the store will hold after the plan, as far as references and ordering need to know."""
    actions = {name: item.action for name, item in have.filter_actions.items() if name not in doomed.filter_actions}
    for name, item in applied.filter_actions.items():
        if name not in have.filter_actions:
            actions[name] = with_defaults(item).action
        elif item.action is not None:
            actions[name] = item.action
    rules: Dict[str, Dict[str, Rule]] = {
        name: {rule.name: rule for rule in policy.rules or ()}
        for name, policy in have.policies.items()
        if name not in doomed.policies
    }
    for name, policy in applied.policies.items():
        current = rules.get(name, {})
        if policy.rules is not None:
            final = {} if exact else dict(current)
            for rule in policy.rules:
                final[rule.name] = _final_rule(name, current.get(rule.name), rule)
            current = final
        rules[name] = current
    # Rules without a name stay with their policy, untouched; keyed apart from every real name.
    for name, policy in have.policies.items():
        if name not in doomed.policies:
            for index, rule in enumerate(policy.unnamed_rules or ()):
                rules.setdefault(name, {})[f"{_UNNAMED}{index}"] = rule
    lists = (frozenset(have.filter_lists) - doomed.filter_lists) | frozenset(applied.filter_lists)
    return _Picture(filter_lists=lists, actions=actions, rules=rules)


# A key no rule name can take (names cannot hold control characters): rules without a name in _Picture.
_UNNAMED = "\0"


def _rule_label(rule: Rule) -> str:
    return f"rule {rule.name!r}" if rule.name else "a rule without a name"


def _check_references(have: Store, applied: Store, picture: _Picture) -> None:
    """Every rule that stays must name a list and an action that stay (deleting one in use may be
    refused by netsh, A-30, and would leave a rule pointing nowhere).

    A reference that was already dangling on the host, in a rule the desired store does not give,
    is not this plan's doing and is left alone.
    """
    for policy, rules in picture.rules.items():
        wanted = applied.policies.get(policy)
        given = {rule.name for rule in wanted.rules or ()} if wanted is not None else set()
        for rule in rules.values():
            for what, name, after, before in (
                ("filter list", rule.filter_list, picture.filter_lists, have.filter_lists),
                ("filter action", rule.filter_action, picture.actions, have.filter_actions),
            ):
                if name in after:
                    continue
                if name in before:
                    raise PlanError(f"cannot delete {what} {name!r}: {_rule_label(rule)} of policy {policy!r} still uses it")
                if rule.name in given:
                    raise PlanError(
                        f"rule {rule.name!r} of policy {policy!r} names {what} {name!r}, "
                        "which exists neither on the host nor in the desired state"
                    )


# --- classification -------------------------------------------------------------------------------


def _effect(rule: Rule, actions: Mapping[str, Action]) -> _Effect:
    """What ``rule`` does to traffic given the filter actions' kinds; an unknown action counts as blocking."""
    if not rule.activate:
        return _Effect.INACTIVE
    return _Effect.PERMITS if actions.get(rule.filter_action) is Action.PERMIT else _Effect.BLOCKS


def _have_actions(have: Store) -> Dict[str, Action]:
    return {name: item.action for name, item in have.filter_actions.items()}


def _usage(have: Store, picture: _Picture) -> _Usage:
    """Which lists a blocking or a permitting rule uses, on the host now or after the plan."""
    blocking, permitting = set(), set()
    have_actions = _have_actions(have)
    before = (
        (rule, have_actions) for policy in have.policies.values() for rule in (*(policy.rules or ()), *(policy.unnamed_rules or ()))
    )
    after = ((rule, picture.actions) for rules in picture.rules.values() for rule in rules.values())
    for source in (before, after):
        for rule, actions in source:
            effect = _effect(rule, actions)
            if effect is _Effect.BLOCKS:
                blocking.add(rule.filter_list)
            elif effect is _Effect.PERMITS:
                permitting.add(rule.filter_list)
    return _Usage(blocking=frozenset(blocking), permitting=frozenset(permitting))


def _action_phase(old: FilterAction, differing: Mapping[str, object]) -> Phase:
    """LOOSEN_ACTIONS, TIGHTEN_ACTIONS or ACTIONS for a ``set filteraction`` (closing wins a tie)."""
    tighter = looser = False
    if "action" in differing:
        step = _STRICTNESS[differing["action"]] - _STRICTNESS[old.action]
        tighter, looser = step > 0, step < 0
    for flag in ("inpass", "soft"):  # both let unsecured traffic in [S3]
        if flag in differing:
            tighter = tighter or not differing[flag]
            looser = looser or bool(differing[flag])
    if tighter:
        return Phase.TIGHTEN_ACTIONS
    return Phase.LOOSEN_ACTIONS if looser else Phase.ACTIONS


def _rule_set_phase(before: _Effect, after: _Effect, differing: Mapping[str, object]) -> Phase:
    """Where a ``set rule`` goes: by what the rule becomes, on the boundary when it moves."""
    if before is after is not _Effect.INACTIVE and ("filter_list" in differing or "connection_type" in differing):
        return Phase.SWAP_RULES  # stops the traffic it left and lets through (or stops) other traffic
    if after is _Effect.PERMITS:
        return Phase.OPEN_RULES
    if after is _Effect.BLOCKS:
        return Phase.REPOINT_BLOCKS
    return Phase.DROP_PERMITS if before is _Effect.PERMITS else Phase.DROP_BLOCKS


def _rule_add_phase(after: _Effect) -> Phase:
    return Phase.ADD_BLOCKS if after is _Effect.BLOCKS else Phase.OPEN_RULES


def _rule_delete_phase(before: _Effect) -> Phase:
    return Phase.DROP_PERMITS if before is _Effect.PERMITS else Phase.DROP_BLOCKS


def _differing(old: object, new: object, names: Sequence[str]) -> Dict[str, object]:
    """The fields among ``names`` that ``new`` sets to a value other than ``old``'s."""
    return {name: getattr(new, name) for name in names if getattr(new, name) is not None and getattr(new, name) != getattr(old, name)}


# --- steps ------------------------------------------------------------------------------------------


def _action_steps(have: Store, applied: Store) -> Iterator[_Step]:
    """``add filteraction`` as given (netsh's defaults for the rest), or ``set`` of what differs."""
    for name, action in applied.filter_actions.items():
        old = have.filter_actions.get(name)
        kind = action.action or (old.action if old is not None else with_defaults(action).action)
        _check_methods(action, kind)
        if old is None:
            yield _Step(Phase.ACTIONS, (name,), AddFilterAction(action))
            continue
        differing = _differing(old, action, ACTION_SETTINGS)
        if kind is not Action.NEGOTIATE:
            for implied in ("qm_security_methods",) + OFFER_FLAGS:
                differing.pop(implied, None)  # () / no is implied: the switch of action drops them
        if differing:
            yield _Step(_action_phase(old, differing), (name,), SetFilterAction(FilterAction(name, **differing)))


def _check_methods(action: FilterAction, kind: Action) -> None:
    """Refuse what the store would not keep (see :func:`~._predict.coupled_methods`): methods, PFS,
    inpass or soft on an action that will not negotiate, and no methods on one that will."""
    methods = action.qm_security_methods
    if methods and kind is not Action.NEGOTIATE:
        raise PlanError(
            f"filter action {action.name!r}: quick-mode methods apply to a negotiate action only, "
            f"and this one will {kind.value} (they are ignored otherwise [S3])"
        )
    for flag in OFFER_FLAGS:
        if getattr(action, flag) and kind is not Action.NEGOTIATE:
            raise PlanError(
                f"filter action {action.name!r}: {flag}=yes applies to a negotiate action only, and this one will "
                f"{kind.value}: Windows keeps it in the security offers such an action does not have, so it would "
                "read back as no (A-98)"
            )
    if methods == () and kind is Action.NEGOTIATE:
        raise PlanError(f"filter action {action.name!r}: a negotiate action needs at least one quick-mode method")


def _list_steps(have: Store, applied: Store, exact: bool, usage: _Usage) -> Iterator[_Step]:
    """``add filterlist`` (empty) or ``set`` of its description, then its filters."""
    for name, wanted in applied.filter_lists.items():
        old = have.filter_lists.get(name)
        if old is None:
            yield _Step(Phase.LISTS, (name,), AddFilterList(FilterList(name, description=wanted.description)))
        elif wanted.description is not None and wanted.description != old.description:
            yield _Step(Phase.LISTS, (name,), SetFilterList(FilterList(name, description=wanted.description)))
        if wanted.filters is not None:
            host = (old.filters or ()) if old is not None else ()
            yield from _filter_steps(name, host, wanted.filters, exact, usage)


def _has_duplicates(filters: Sequence[Filter]) -> bool:
    """Duplicates in a canonically ordered tuple are neighbours."""
    return any(left == right for left, right in zip(filters, filters[1:]))


def _groups(filters: Iterable[Filter]) -> Dict[tuple, List[Filter]]:
    """Filters by :attr:`~._model.Filter.match_key`, each group in the given order."""
    groups: Dict[tuple, List[Filter]] = {}
    for item in filters:
        groups.setdefault(item.match_key, []).append(item)
    return groups


def _filter_steps(name: str, host: Sequence[Filter], wanted: Sequence[Filter], exact: bool, usage: _Usage) -> Iterator[_Step]:
    """The AddFilter / DeleteFilter steps that make the list's filters right.

    ``host`` and ``wanted`` are in canonical order (the model sorts them). Filters are handled in
    groups of equal match key, because ``delete filter`` removes a whole group [S8 p.316]: a group
    that is right is left alone; one that only lacks filters gets them added; any other group (an
    unwanted filter, one that differs only by its description, a duplicate) is deleted once and its
    wanted filters are added again. MERGED (``exact`` false) only adds. A list is never emptied and
    refilled as a whole.
    """
    if tuple(host) == tuple(wanted) and not (exact and _has_duplicates(host)):
        return
    host_groups, wanted_groups = _groups(host), _groups(dict.fromkeys(wanted))  # wanted: duplicates collapse
    keys = sorted(set(host_groups) | set(wanted_groups), key=lambda key: _group_order(host_groups, wanted_groups, key))
    for key in keys:
        present, target = host_groups.get(key, []), wanted_groups.get(key, [])
        if present == target:
            continue
        missing = [item for item in target if item not in present]
        clean = len(set(present)) == len(present) and all(item in target for item in present)
        order = _group_order(host_groups, wanted_groups, key)
        if not exact or clean:
            additions = missing
        else:
            yield _Step(usage.delete_phase(name) if not target else usage.add_phase(name), (name, order, 0, ()), DeleteFilter(name, present[0]))
            additions = target
        for item in additions:
            yield _Step(usage.add_phase(name), (name, order, 1, item.sort_key()), AddFilter(name, item))


def _group_order(host_groups: Mapping, wanted_groups: Mapping, key: tuple) -> tuple:
    """A group's place: its filters' sort key without the description (equal within a group)."""
    sample = (host_groups.get(key) or wanted_groups[key])[0]
    return sample.sort_key()[:-1]


def _policy_steps(have: Store, applied: Store, exact: bool, picture: _Picture) -> Iterator[_Step]:
    """Per desired policy: create it or set what differs, its default response rule, its rules, its assignment."""
    have_actions = _have_actions(have)
    for name, policy in applied.policies.items():
        old = have.policies.get(name)
        if old is None:
            yield _Step(Phase.POLICIES, (name,), AddPolicy(policy))
            yield from _new_default_rule_steps(policy)
        else:
            yield from _policy_setting_steps(old, policy)
            yield from _default_rule_steps(old, policy)
        host_rules = {rule.name: rule for rule in old.rules or ()} if old is not None else {}
        yield from _rule_steps(name, host_rules, policy.rules, exact, picture, have_actions)
        yield from _assignment_steps(old, policy)


def _policy_setting_steps(old: Policy, policy: Policy) -> Iterator[_Step]:
    differing = _differing(old, policy, POLICY_SETTINGS)
    if not differing:
        return
    try:
        overlay(old, policy, POLICY_SETTINGS)
    except InvalidInput as error:
        raise PlanError(f"policy {policy.name!r}: {error}") from None
    yield _Step(Phase.POLICIES, (policy.name,), SetPolicy(Policy(policy.name, **differing)))


def _check_default_rule_pfs(policy: str, old: DefaultResponseRule | None, given: DefaultResponseRule) -> None:
    """Refuse PFS on a default response rule left without quick-mode methods: Windows keeps PFS in
    each offer (GPIPSEC.md §4.2), so it would read back as no (A-98). PFS the host has is dropped with
    the last method, as the prediction says (:func:`~._predict.coupled_default_rule`)."""
    qmpfs = given.qmpfs
    methods = given.qm_security_methods if given.qm_security_methods is not None else (old.qm_security_methods if old is not None else ())
    if qmpfs and not methods:
        raise PlanError(
            f"policy {policy!r}: default_rule.qmpfs=yes needs quick-mode methods (default_rule.qm_security_methods): "
            "Windows keeps PFS in each security offer, so without one it would read back as no (A-98)"
        )


def _new_default_rule_steps(policy: Policy) -> Iterator[_Step]:
    """A new policy's default response rule gets every field the desired state gives.

    Sent even where it equals the assumed default (A-27), so the result does not rest on the
    assumption. Empty auth methods are left out: they are the default and cannot be written.
    """
    given = policy.default_rule
    if given is None:
        return
    _check_default_rule_pfs(policy.name, None, given)
    fields = {name: getattr(given, name) for name in DEFAULT_RULE_SETTINGS if getattr(given, name) is not None}
    if fields.get("auth_methods") == ():
        del fields["auth_methods"]
    if fields:
        yield _Step(Phase.DEFAULT_RULES, (policy.name,), SetDefaultRule(policy.name, DefaultResponseRule(**fields)))


def _default_rule_steps(old: Policy, policy: Policy) -> Iterator[_Step]:
    """``set defaultrule`` with the fields that differ from the host's."""
    if policy.default_rule is None:
        return
    _check_default_rule_pfs(policy.name, old.default_rule, policy.default_rule)
    differing = _differing(old.default_rule, policy.default_rule, DEFAULT_RULE_SETTINGS)
    if differing.get("auth_methods") == ():
        raise PlanError(
            f"policy {policy.name!r}: netsh cannot remove the authentication methods of the default response rule (A-38)"
        )
    if differing:
        yield _Step(Phase.DEFAULT_RULES, (policy.name,), SetDefaultRule(policy.name, DefaultResponseRule(**differing)))


def _rule_steps(
    policy: str,
    host_rules: Mapping[str, Rule],
    wanted: Sequence[Rule] | None,
    exact: bool,
    picture: _Picture,
    have_actions: Mapping[str, Action],
) -> Iterator[_Step]:
    """Add, update, re-create and (``exact``) delete the rules of one policy.

    ``set rule`` cannot change a rule's tunnel end point nor clear its authentication methods
    (A-38), so those rules are deleted and added again with every field.
    """
    if wanted is None:
        return
    for rule in wanted:
        old = host_rules.get(rule.name)
        final = picture.rules[policy][rule.name]
        add_phase = _rule_add_phase(_effect(final, picture.actions))
        if old is None:
            yield _Step(add_phase, (policy, rule.name, 1), AddRule(policy, rule))
            continue
        differing = _differing(old, rule, RULE_SETTINGS)
        if "tunnel" in differing or differing.get("auth_methods") == ():
            yield _Step(add_phase, (policy, rule.name, 0), DeleteRule(policy, rule.name))
            yield _Step(add_phase, (policy, rule.name, 1), AddRule(policy, final))
        elif differing:
            phase = _rule_set_phase(_effect(old, have_actions), _effect(final, picture.actions), differing)
            yield _Step(phase, (policy, rule.name, 1), SetRule(policy, Rule(rule.name, **differing)))
    if exact:
        names = {rule.name for rule in wanted}
        for name, old in host_rules.items():
            if name not in names:
                yield _Step(_rule_delete_phase(_effect(old, have_actions)), (policy, name, 0), DeleteRule(policy, name))


def _order_moves(steps: List[_Step], have: Store, applied: Store, exact: bool, picture: _Picture) -> List[_Step]:
    """Rank the rule moves on the boundary (:attr:`Phase.SWAP_RULES`) and put the rank in their keys.

    A permit rule that moves onto traffic (a filter and a connection type) that another permit rule
    of the same policy moves off must move first, or that traffic would lose its only permit for a
    command. The ranks are a topological order of that relation, ties in name order; rules that trade
    traffic with each other form a cycle, broken by name. Block rules that move have no such need.
    """
    moves = [step for step in steps if step.phase is Phase.SWAP_RULES]
    if len(moves) < 2:
        return steps
    have_actions = _have_actions(have)
    leaving: Dict[tuple, List[int]] = {}  # (policy, match key, conntype) -> moves of permit rules that leave it
    arriving: Dict[int, set] = {}
    for index, step in enumerate(moves):
        policy, name = step.change.policy, step.change.rule.name
        old, final = have.policies[policy].rule(name), picture.rules[policy][name]
        if _effect(old, have_actions) is not _Effect.PERMITS:
            continue
        old_filters = have.filter_lists[old.filter_list].filters if old.filter_list in have.filter_lists else ()
        before = _coverage(policy, old_filters, old)
        after = _coverage(policy, _final_filters(final.filter_list, have, applied, exact), final)
        for traffic in before - after:
            leaving.setdefault(traffic, []).append(index)
        arriving[index] = after - before
    successors = {
        index: {other for traffic in arriving.get(index, ()) for other in leaving.get(traffic, ()) if other != index}
        for index in range(len(moves))
    }
    keys = [step.key for step in moves]
    rank = {keys[index]: position for position, index in enumerate(_topological(successors, keys))}
    return [step._replace(key=(rank[step.key], *step.key)) if step.phase is Phase.SWAP_RULES else step for step in steps]


def _coverage(policy: str, filters: Iterable[Filter], rule: Rule) -> set:
    """The traffic a rule matches: (policy, filter match key, connection type) for each filter."""
    connections = (ConnectionType.LAN, ConnectionType.DIALUP) if rule.connection_type is ConnectionType.ALL else (rule.connection_type,)
    return {(policy, item.match_key, connection) for item in filters for connection in connections}


def _final_filters(name: str, have: Store, applied: Store, exact: bool) -> Tuple[Filter, ...]:
    """The filters list ``name`` holds after the plan."""
    host = have.filter_lists[name].filters if name in have.filter_lists else ()
    wanted = applied.filter_lists.get(name)
    if wanted is None or wanted.filters is None:
        return host
    return wanted.filters if exact else host + wanted.filters


def _topological(after: Mapping[int, set], keys: Sequence[tuple]) -> List[int]:
    """Indexes ordered so that ``j`` comes after ``i`` when ``j in after[i]``; ties, and cycles, by key."""
    waiting = {index: 0 for index in after}
    for targets in after.values():
        for target in targets:
            waiting[target] += 1
    order: List[int] = []
    remaining = set(after)
    while remaining:
        ready = [index for index in remaining if waiting[index] == 0]
        chosen = min(ready or remaining, key=lambda index: keys[index])
        order.append(chosen)
        remaining.discard(chosen)
        for target in after[chosen]:
            waiting[target] -= 1
    return order


def _assignment_steps(old: Policy | None, policy: Policy) -> Iterator[_Step]:
    """``assigned`` True assigns (last), False unassigns (first), None leaves it."""
    assigned_now = bool(old is not None and old.assigned)
    if policy.assigned is True and not assigned_now:
        yield _Step(Phase.ASSIGN, (policy.name,), AssignPolicy(policy.name, True))
    elif policy.assigned is False and assigned_now:
        yield _Step(Phase.UNASSIGN, (policy.name, 0), AssignPolicy(policy.name, False))


def _deletion_steps(have: Store, doomed: _Doomed) -> Iterator[_Step]:
    """Deleted policies (unassigned first) in the opening phase; lists and actions once nothing uses them."""
    for name in sorted(doomed.policies):
        if have.policies[name].assigned:
            yield _Step(Phase.UNASSIGN, (name, 0), AssignPolicy(name, False))
        yield _Step(Phase.UNASSIGN, (name, 1), DeletePolicy(name))
    for name in sorted(doomed.filter_lists):
        yield _Step(Phase.PURGE_LISTS, (name,), DeleteFilterList(name))
    for name in sorted(doomed.filter_actions):
        yield _Step(Phase.PURGE_ACTIONS, (name,), DeleteFilterAction(name))


__all__ = ["Phase", "Scope", "State", "check_scope", "exclusively_used", "kept_for_unnamed_rules", "plan", "plan_exact"]
