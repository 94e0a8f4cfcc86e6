# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""predict: each change applied as netsh would, netsh's defaults from one table, refusals loud."""

from __future__ import annotations

from dataclasses import fields

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _changes as c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import PlanError
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
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._predict import (
    DEFAULTS,
    NEGOTIATE_QM_METHODS,
    Prediction,
    predict,
    with_defaults,
)

WEB80 = Filter.build(protocol="tcp", destination_port=80)
WEB80_NAMED = Filter.build(protocol="tcp", destination_port=80, description="http")
WEB443 = Filter.build(protocol="tcp", destination_port=443)
ALL_IN = Filter.build()
PSK = AuthMethod(AuthKind.PRESHARED_KEY, "secret")

DEFAULT_RULE = DefaultResponseRule(activate=True, qmpfs=False, qm_security_methods=(), auth_methods=())


def full_policy(name: str, *rules: Rule, assigned: bool = False) -> Policy:
    return with_defaults(Policy(name, rules=rules, assigned=assigned))


def full_rule(name: str, filter_list: str, filter_action: str, **kwargs) -> Rule:
    return with_defaults(Rule(name, filter_list=filter_list, filter_action=filter_action, **kwargs))


HAVE = Store.of(
    filter_lists=[
        FilterList("Web", description="", filters=(WEB80, WEB80_NAMED, WEB443)),
        FilterList("All", description="", filters=(ALL_IN,)),
    ],
    filter_actions=[
        with_defaults(FilterAction("Permit", action=Action.PERMIT)),
        with_defaults(FilterAction("Block", action=Action.BLOCK)),
    ],
    policies=[
        full_policy("Server", full_rule("Web", "Web", "Permit"), full_rule("All", "All", "Block"), assigned=True),
        full_policy("Spare"),
    ],
)


# --- the defaults table -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bare",
    [
        FilterList("l"),
        FilterAction("a"),
        Rule("r", filter_list="l", filter_action="a"),
        Policy("p"),
        DefaultResponseRule(),
    ],
    ids=lambda obj: type(obj).__name__,
)
def test_defaults_fill_every_field_an_add_can_leave_out(bare):
    filled = with_defaults(bare)
    unset = [item.name for item in fields(filled) if getattr(filled, item.name) is None]
    assert unset == (["filters"] if isinstance(bare, FilterList) else [])
    assert set(DEFAULTS[type(bare)]) | {"name", "filters", "filter_list", "filter_action"} >= {item.name for item in fields(bare)}


def test_defaults_keep_given_fields_and_derive_dependent_ones():
    assert with_defaults(FilterAction("a")).qm_security_methods == NEGOTIATE_QM_METHODS
    assert with_defaults(FilterAction("a", action=Action.PERMIT)).qm_security_methods == ()
    assert with_defaults(FilterAction("a", qm_security_methods=("AH[MD5]",))).qm_security_methods == ("AH[MD5]",)
    assert with_defaults(Policy("p")).qm_per_mm == 0
    assert with_defaults(Policy("p", mmpfs=True)).qm_per_mm == 1
    assert with_defaults(Policy("p")).default_rule == DEFAULT_RULE
    assert with_defaults(Policy("p", mm_lifetime=60)).mm_lifetime == 60


# --- each change ------------------------------------------------------------------------------------


def test_empty_plan_predicts_the_same_store():
    assert predict(HAVE, ()) == HAVE


def test_add_filter_list_is_empty_with_default_description():
    after = predict(HAVE, [c.AddFilterList(FilterList("New"))])
    assert after.filter_lists["New"] == FilterList("New", description="", filters=())


def test_add_filter_to_a_missing_list_creates_it():
    # "If the filter list does not exist it will be created." [S3]
    after = predict(HAVE, [c.AddFilter("New", WEB80)])
    assert after.filter_lists["New"] == FilterList("New", description="", filters=(WEB80,))


def test_add_filter_keeps_duplicates():
    after = predict(HAVE, [c.AddFilter("All", ALL_IN)])
    assert after.filter_lists["All"].filters == (ALL_IN, ALL_IN)


def test_delete_filter_removes_every_filter_with_equal_match_key():
    # "will delete all filters that meet those criteria" [S8 p.316]: the description is no criterion
    after = predict(HAVE, [c.DeleteFilter("Web", WEB80_NAMED)])
    assert after.filter_lists["Web"].filters == (WEB443,)


def test_set_filter_list_changes_only_the_description():
    after = predict(HAVE, [c.SetFilterList(FilterList("Web", description="web", filters=()))])
    assert after.filter_lists["Web"] == FilterList("Web", description="web", filters=HAVE.filter_lists["Web"].filters)


def test_add_filter_action_takes_defaults():
    after = predict(HAVE, [c.AddFilterAction(FilterAction("Secure"))])
    assert after.filter_actions["Secure"] == FilterAction(
        "Secure", action=Action.NEGOTIATE, description="", inpass=False, soft=False, qmpfs=False,
        qm_security_methods=NEGOTIATE_QM_METHODS,
    )


@pytest.mark.parametrize(
    "change, methods",
    [
        (c.AddFilterAction(FilterAction("New", action=Action.BLOCK, qm_security_methods=("AH[MD5]",))), ()),
        (c.AddFilterAction(FilterAction("New", qm_security_methods=("AH[MD5]",))), ("AH[MD5]",)),
        (c.SetFilterAction(FilterAction("Secure", action=Action.PERMIT)), ()),
        (c.SetFilterAction(FilterAction("Secure", description="x")), ("AH[SHA1]",)),
        (c.SetFilterAction(FilterAction("Block", action=Action.NEGOTIATE)), NEGOTIATE_QM_METHODS),
        (c.SetFilterAction(FilterAction("Block", action=Action.NEGOTIATE, qm_security_methods=("AH[MD5]",))), ("AH[MD5]",)),
    ],
    ids=["add block: none", "add negotiate: as given", "negotiate -> permit: none", "other fields: kept",
         "block -> negotiate: the default", "block -> negotiate: as given"],
)
def test_quick_mode_methods_follow_the_action(change, methods):
    # "Quick mode security methods are ignored if the action is not 'negotiate'" [S3]
    store = predict(HAVE, [c.AddFilterAction(FilterAction("Secure", qm_security_methods=("AH[SHA1]",)))])
    after = predict(store, [change])
    assert after.filter_actions[change.filter_action.name].qm_security_methods == methods


def test_set_filter_action_changes_only_given_fields():
    after = predict(HAVE, [c.SetFilterAction(FilterAction("Permit", description="let in"))])
    assert after.filter_actions["Permit"] == FilterAction(
        "Permit", action=Action.PERMIT, description="let in", inpass=False, soft=False, qmpfs=False, qm_security_methods=(),
    )


def test_an_action_that_does_not_negotiate_keeps_no_pfs_inpass_or_soft():
    """A-98: they live in the offers and type of a negotiating action."""
    negotiating = predict(HAVE, [c.SetFilterAction(FilterAction("Permit", action=Action.NEGOTIATE, soft=True, inpass=True, qmpfs=True))])
    assert negotiating.filter_actions["Permit"].soft and negotiating.filter_actions["Permit"].inpass and negotiating.filter_actions["Permit"].qmpfs
    blocking = predict(negotiating, [c.SetFilterAction(FilterAction("Permit", action=Action.BLOCK))])
    assert (blocking.filter_actions["Permit"].soft, blocking.filter_actions["Permit"].inpass, blocking.filter_actions["Permit"].qmpfs) == (False, False, False)
    added = predict(HAVE, [c.AddFilterAction(FilterAction("New", action=Action.PERMIT, soft=True, inpass=True, qmpfs=True))])
    assert (added.filter_actions["New"].soft, added.filter_actions["New"].inpass, added.filter_actions["New"].qmpfs) == (False, False, False)


def test_add_policy_ignores_rules_default_rule_and_assignment():
    given = Policy(
        "New", description="d", rules=(Rule("x", filter_list="All", filter_action="Block"),),
        default_rule=DefaultResponseRule(activate=False), assigned=True, mmpfs=True,
    )
    after = predict(HAVE, [c.AddPolicy(given)])
    assert after.policies["New"] == Policy(
        "New", description="d", rules=(), default_rule=DEFAULT_RULE, polling_interval=180, mmpfs=True, qm_per_mm=1,
        mm_lifetime=480, mm_security_methods=("3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"), assigned=False,
        unnamed_rules=(),
    )
    assert after.assigned_policy == "Server"


def test_set_policy_changes_only_settings():
    after = predict(HAVE, [c.SetPolicy(Policy("Server", mm_lifetime=60, assigned=False, rules=()))])
    assert after.policies["Server"] == Policy(**{**vars(HAVE.policies["Server"]), "mm_lifetime": 60})


def test_set_policy_that_breaks_the_mmpfs_rule_is_refused():
    store = predict(HAVE, [c.SetPolicy(Policy("Spare", mmpfs=True))])
    assert store.policies["Spare"].qm_per_mm == 1
    with pytest.raises(PlanError, match="qm_per_mm"):
        predict(store, [c.SetPolicy(Policy("Spare", qm_per_mm=4))])


def test_assign_unassigns_the_other_policy():
    after = predict(HAVE, [c.AssignPolicy("Spare", True)])
    assert after.assigned_policy == "Spare"
    assert after.policies["Server"].assigned is False


def test_unassign():
    after = predict(HAVE, [c.AssignPolicy("Server", False)])
    assert after.assigned_policy is None


def test_set_default_rule_changes_only_given_fields():
    after = predict(HAVE, [c.SetDefaultRule("Server", DefaultResponseRule(activate=False, auth_methods=(KERBEROS,)))])
    assert after.policies["Server"].default_rule == DefaultResponseRule(
        activate=False, qmpfs=False, qm_security_methods=(), auth_methods=(KERBEROS,)
    )


def test_add_rule_takes_defaults():
    after = predict(HAVE, [c.AddRule("Spare", Rule("r", filter_list="Web", filter_action="Permit", tunnel="10.0.0.1"))])
    assert after.policies["Spare"].rules == (
        Rule("r", filter_list="Web", filter_action="Permit", activate=True, connection_type=ConnectionType.ALL,
             description="", tunnel="10.0.0.1", auth_methods=()),
    )


def test_set_rule_replaces_auth_methods_and_keeps_the_rest():
    after = predict(HAVE, [c.SetRule("Server", Rule("Web", auth_methods=(PSK, KERBEROS), activate=False))])
    rule = after.policies["Server"].rule("Web")
    assert (rule.auth_methods, rule.activate, rule.filter_list) == ((PSK, KERBEROS), False, "Web")


def test_delete_rule():
    after = predict(HAVE, [c.DeleteRule("Server", "All")])
    assert [rule.name for rule in after.policies["Server"].rules] == ["Web"]


def test_delete_policy_keeps_its_lists_and_actions():
    # "Deletes a policy and its rules." [S4]; lists and actions are store-level (SYNTAX §6)
    after = predict(HAVE, [c.DeletePolicy("Server")])
    assert "Server" not in after.policies
    assert set(after.filter_lists) == {"Web", "All"}
    assert set(after.filter_actions) == {"Permit", "Block"}


def test_delete_unused_list_and_action():
    after = predict(HAVE, [c.DeleteRule("Server", "All"), c.DeleteFilterList("All"), c.DeleteFilterAction("Block")])
    assert set(after.filter_lists) == {"Web"}
    assert set(after.filter_actions) == {"Permit"}


def test_predict_does_not_modify_its_input():
    before = repr(HAVE)
    predict(HAVE, [c.AddFilter("Web", ALL_IN), c.DeleteRule("Server", "All"), c.AssignPolicy("Spare", True)])
    assert repr(HAVE) == before


# --- refusals ---------------------------------------------------------------------------------------

REFUSED = [
    ("add existing list", c.AddFilterList(FilterList("Web")), "already exists"),
    ("add existing action", c.AddFilterAction(FilterAction("Permit")), "already exists"),
    ("add existing policy", c.AddPolicy(Policy("Server")), "already exists"),
    ("add existing rule", c.AddRule("Server", Rule("Web", filter_list="Web", filter_action="Permit")), "already exists"),
    ("set missing list", c.SetFilterList(FilterList("Nope", description="")), "'Nope' does not exist"),
    ("set missing action", c.SetFilterAction(FilterAction("Nope", soft=True)), "'Nope' does not exist"),
    ("set missing policy", c.SetPolicy(Policy("Nope", mm_lifetime=5)), "'Nope' does not exist"),
    ("set missing rule", c.SetRule("Server", Rule("Nope", activate=False)), "'Nope' does not exist"),
    ("delete missing list", c.DeleteFilterList("Nope"), "'Nope' does not exist"),
    ("delete missing action", c.DeleteFilterAction("Nope"), "'Nope' does not exist"),
    ("delete missing policy", c.DeletePolicy("Nope"), "'Nope' does not exist"),
    ("delete missing rule", c.DeleteRule("Server", "Nope"), "'Nope' does not exist"),
    ("delete filter of missing list", c.DeleteFilter("Nope", ALL_IN), "'Nope' does not exist"),
    ("delete filter matching nothing", c.DeleteFilter("All", WEB80), "no filter of the list matches"),
    ("delete used list", c.DeleteFilterList("All"), "still used by Server/All"),
    ("delete used action", c.DeleteFilterAction("Permit"), "still used by Server/Web"),
    ("rule naming a missing list", c.AddRule("Spare", Rule("r", filter_list="Nope", filter_action="Permit")), "'Nope' does not exist"),
    ("rule naming a missing action", c.AddRule("Spare", Rule("r", filter_list="Web", filter_action="Nope")), "'Nope' does not exist"),
    ("rule without a list", c.AddRule("Spare", Rule("r", filter_action="Permit")), "needs a filter list"),
    ("rule re-pointed to a missing list", c.SetRule("Server", Rule("Web", filter_list="Nope")), "'Nope' does not exist"),
    ("rule of a missing policy", c.AddRule("Nope", Rule("r", filter_list="Web", filter_action="Permit")), "'Nope' does not exist"),
    ("assign a missing policy", c.AssignPolicy("Nope", True), "'Nope' does not exist"),
    ("default rule of a missing policy", c.SetDefaultRule("Nope", DefaultResponseRule(activate=False)), "'Nope' does not exist"),
]


@pytest.mark.parametrize("change, message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_change_netsh_could_not_apply_is_refused(change, message):
    with pytest.raises(PlanError, match=message):
        predict(HAVE, [change])


# --- Prediction: one command at a time ---------------------------------------------------------------


def test_a_prediction_applies_changes_as_predict_does_and_each_call_whole_or_not_at_all():
    any_to_me = ALL_IN
    first = [c.AddFilter("L", any_to_me), c.AddPolicy(Policy("P")), c.AssignPolicy("P", True)]
    state = Prediction()
    state.apply(first)
    assert state.store() == predict(Store(), first)
    assert list(state.filter_lists) == ["L"] and list(state.policies) == ["P"] and state.rules("P") == () and state.rules("Q") == ()
    before = state.store()
    twin = state.copy()
    with pytest.raises(PlanError):  # the second change fails: the first is undone
        state.apply([c.AddFilterList(FilterList("M")), c.AddPolicy(Policy("P"))])
    with pytest.raises(PlanError):  # one change alone fails before it edits anything
        state.apply([c.DeleteFilterList("Nowhere")])
    assert state.store() == before
    twin.apply([c.DeleteFilter("L", any_to_me)])
    assert state.store() == before and twin.filter_lists["L"] == []
