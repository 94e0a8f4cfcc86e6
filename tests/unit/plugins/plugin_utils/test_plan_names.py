# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names compared the way Windows compares them (A-31), exact plans (undo and restore), and the
warnings about shared objects changed under a policy outside the owner prefix.

Scenarios assert the whole plan in order; properties re-case the names of random stores and check
that the plan renames (never deletes and re-creates) and that re-planning is empty.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_plan import (
    ACTION_NAMES,
    ALL,
    BLOCK,
    LIST_NAMES,
    OWNED_PREFIX,
    PERMIT,
    PF,
    POLICY_NAMES,
    PROPERTY_SETTINGS,
    RULE_NAMES,
    SEED_HAVE,
    WEB,
    gathered_policy,
    gathered_rule,
    gathered_stores,
    scenarios,
    with_objects,
)

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._changes import (
    AddFilter,
    AddFilterList,
    AddPolicy,
    AddRule,
    AssignPolicy,
    DeleteFilterAction,
    DeleteFilterList,
    DeletePolicy,
    RenameFilterAction,
    RenameFilterList,
    RenamePolicy,
    RenameRule,
    SetFilterAction,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput, PlanError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._names import NameMap, name_key, same_name
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._ownership import shared_object_warnings
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Phase, Scope, State, plan, plan_exact
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._predict import predict
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import render_change

MERGED, REPLACED, OVERRIDDEN, DELETED = State.MERGED, State.REPLACED, State.OVERRIDDEN, State.DELETED
# Nine parametrised properties: fewer examples each keep the quick loop quick.
FEWER = settings(PROPERTY_SETTINGS, max_examples=40)


# --- the name map -------------------------------------------------------------------------------------


def test_a_name_finds_its_object_in_any_case_and_keeps_its_spelling():
    lists = NameMap([FilterList("Web"), FilterList("Mail")])
    assert list(lists) == ["Mail", "Web"]
    assert lists["WEB"] is lists["web"] is lists["Web"]
    assert "wEb" in lists and "Webs" not in lists and 3 not in lists
    assert lists.get("MAIL").name == "Mail" and lists.get("nope") is None
    with pytest.raises(KeyError):
        lists[3]  # pylint: disable=pointless-statement
    assert NameMap([FilterList("Web")]) == {"Web": FilterList("Web")}
    assert NameMap([FilterList("Web")]) != NameMap([FilterList("WEB")])  # equal objects, other spellings
    assert repr(NameMap([FilterList("Web")])) == "NameMap([FilterList(name='Web', description=None, filters=None)])"


def test_two_names_that_differ_only_by_case_are_one_name_too_many():
    with pytest.raises(InvalidInput, match=r"filter_lists: names must be unique, and Windows does not tell 'PERMIT' from 'Permit'"):
        Store.of(filter_lists=[FilterList("Permit"), FilterList("PERMIT")])
    with pytest.raises(InvalidInput, match="names must be unique"):
        Policy("P", rules=(Rule("r", "L", "A"), Rule("R", "L", "A")))
    assert same_name("Straße", "STRASSE") and same_name(None, None) and not same_name("a", None)
    assert name_key("LD - Block") == name_key("ld - BLOCK")


def test_a_rule_is_found_in_any_case():
    policy = Policy("P", rules=(Rule("Web", "L", "A"),))
    assert policy.rule("WEB").name == "Web" and policy.rule("mail") is None


def test_the_owner_prefix_ignores_case():
    assert Scope("LD - ").owns("ld - Block") and Scope("LD - ").owns("LD - x") and not Scope("LD - ").owns("LD-x")


# --- scenarios: case-only differences --------------------------------------------------------------

PF_LOWER = PF.lower()


@pytest.mark.parametrize(
    "want, state, expected",
    [
        (Store.of(filter_lists=[FilterList(WEB.upper())]), MERGED, (RenameFilterList(WEB, WEB.upper()),)),
        (Store.of(filter_actions=[FilterAction("PERMIT")]), REPLACED, (RenameFilterAction(PERMIT, "PERMIT"),)),
        (Store.of(policies=[Policy(PF_LOWER)]), MERGED, (RenamePolicy(PF, PF_LOWER),)),
        (
            Store.of(policies=[Policy(PF_LOWER, rules=(Rule(WEB.lower(), WEB.lower(), PERMIT.upper()), Rule(ALL, ALL, BLOCK)))]),
            REPLACED,
            (RenamePolicy(PF, PF_LOWER), RenameRule(PF_LOWER, WEB, WEB.lower())),
        ),
    ],
    ids=["a list", "an action", "a policy", "a policy and its rule; references in any case are the same objects"],
)
def test_a_name_that_differs_only_by_case_is_a_rename(want, state, expected):
    changes = plan(SEED_HAVE, want, state=state)
    assert changes == expected
    after = predict(SEED_HAVE, changes)
    assert plan(after, want, state=state) == ()
    for kind in ("filter_lists", "filter_actions", "policies"):
        assert len(getattr(after, kind)) == len(getattr(SEED_HAVE, kind))


def test_rules_follow_a_renamed_list_and_action():
    changes = plan(SEED_HAVE, Store.of(filter_lists=[FilterList(WEB.swapcase())], filter_actions=[FilterAction("permit")]), state=MERGED)
    assert changes == (RenameFilterList(WEB, WEB.swapcase()), RenameFilterAction(PERMIT, "permit"))
    after = predict(SEED_HAVE, changes)
    assert after.policies[PF].rule(WEB) == replace(SEED_HAVE.policies[PF].rule(WEB), filter_list=WEB.swapcase(), filter_action="permit")
    assert [render_change(change) for change in changes] == [
        ("ipsec", "static", "set", "filterlist", f"name={WEB}", f"newname={WEB.swapcase()}"),
        ("ipsec", "static", "set", "filteraction", f"name={PERMIT}", "newname=permit"),
    ]


def test_a_rule_rename_names_its_policy():
    assert render_change(RenameRule("P", "r", "R")) == ("ipsec", "static", "set", "rule", "name=r", "policy=P", "newname=R")
    assert render_change(RenamePolicy("p", "P")) == ("ipsec", "static", "set", "policy", "name=p", "newname=P")


def test_deleted_finds_the_object_in_any_case_and_does_not_rename():
    with pytest.raises(PlanError, match=f"cannot delete filter list '{WEB}': rule '{WEB}' of policy '{PF}' still uses it"):
        plan(SEED_HAVE, Store.of(filter_lists=[FilterList(WEB.lower())]), state=DELETED)  # in the host's spelling
    want = Store.of(policies=[Policy(PF.upper())], filter_lists=[FilterList(WEB.lower())], filter_actions=[FilterAction("permit")])
    assert SEED_HAVE.policies[PF].assigned
    assert plan(SEED_HAVE, want, state=DELETED) == (AssignPolicy(PF, False), DeletePolicy(PF), DeleteFilterList(WEB), DeleteFilterAction(PERMIT))


def test_overridden_renames_a_case_variant_instead_of_deleting_it():
    have = Store.of(filter_actions=[FilterAction("LD - block", Action.BLOCK, "", False, False, False, ())])
    want = Store.of(filter_actions=[FilterAction("LD - Block", Action.BLOCK)])
    assert plan(have, want, state=OVERRIDDEN, scope=Scope("LD - ")) == (RenameFilterAction("LD - block", "LD - Block"),)
    assert plan(predict(have, (RenameFilterAction("LD - block", "LD - Block"),)), want, state=OVERRIDDEN, scope=Scope("LD - ")) == ()


def test_renames_run_first_then_the_usual_phases():
    want = Store.of(
        filter_lists=[FilterList(WEB.upper(), filters=(Filter.build(protocol="tcp", destination_port=8080),))],
        policies=[Policy(PF, rules=(Rule("alt", WEB.upper(), PERMIT),))],
    )
    changes = plan(SEED_HAVE, want, state=MERGED)
    assert changes == (
        RenameFilterList(WEB, WEB.upper()),
        AddFilter(WEB.upper(), Filter.build(protocol="tcp", destination_port=8080)),
        AddRule(PF, Rule("alt", WEB.upper(), PERMIT)),
    )
    assert Phase.RENAMES < min(phase for phase in Phase if phase is not Phase.RENAMES)


def test_a_rename_onto_another_objects_name_cannot_be_predicted():
    with pytest.raises(PlanError, match="already exists"):
        predict(SEED_HAVE, (RenameFilterList(WEB, ALL.upper()),))
    with pytest.raises(PlanError, match="already exists"):
        predict(SEED_HAVE, (AddFilterList(FilterList(WEB.lower(), "")),))
    with pytest.raises(PlanError, match="does not exist"):
        predict(SEED_HAVE, (RenamePolicy("Nope", "NOPE"),))


# --- properties ------------------------------------------------------------------------------------


def recased(store: Store, flip) -> Store:
    """``store`` with names (and the references to them) re-cased by ``flip``."""
    def rule(item: Rule) -> Rule:
        return replace(item, name=flip(item.name), filter_list=item.filter_list and flip(item.filter_list),
                       filter_action=item.filter_action and flip(item.filter_action))

    return Store.of(
        filter_lists=[replace(item, name=flip(item.name)) for item in store.filter_lists.values()],
        filter_actions=[replace(item, name=flip(item.name)) for item in store.filter_actions.values()],
        policies=[replace(item, name=flip(item.name), rules=None if item.rules is None else tuple(map(rule, item.rules)))
                  for item in store.policies.values()],
    )


FLIPS = {"upper": str.upper, "lower": str.lower, "swapcase": str.swapcase}


def respelled(store: Store, like: Store) -> Store:
    """``store`` with the objects (and rules of policies) that ``like`` names spelled as ``like`` spells
    them, and references following the objects they name."""
    def spelled(names, name):
        return names[name].name if name is not None and name in names else name

    def rule(policy: Policy, item: Rule) -> Rule:
        given = like.policies.get(policy.name)
        wanted = given.rule(item.name) if given is not None and given.rules is not None else None
        return replace(item, name=wanted.name if wanted else item.name, filter_list=spelled(like.filter_lists, item.filter_list),
                       filter_action=spelled(like.filter_actions, item.filter_action))

    return Store.of(
        filter_lists=[replace(item, name=spelled(like.filter_lists, item.name)) for item in store.filter_lists.values()],
        filter_actions=[replace(item, name=spelled(like.filter_actions, item.name)) for item in store.filter_actions.values()],
        policies=[replace(item, name=spelled(like.policies, item.name), rules=tuple(rule(item, each) for each in item.rules))
                  for item in store.policies.values()],
    )


RENAMES = (RenameFilterList, RenameFilterAction, RenamePolicy, RenameRule)


@pytest.mark.parametrize("state", [MERGED, REPLACED, OVERRIDDEN])
@pytest.mark.parametrize("flip", FLIPS.values(), ids=list(FLIPS))
@FEWER
@given(data=st.data())
def test_a_re_cased_desired_store_renames_and_otherwise_plans_the_same(state, flip, data):
    have, want, scope = data.draw(scenarios(state))
    if scope.owner_prefix:
        assume(all(scope.owns(flip(name)) for kind in ("filter_lists", "filter_actions", "policies") for name in getattr(want, kind)))
    cased = recased(want, flip)
    original = plan(have, want, state=state, scope=scope)
    changes = plan(have, cased, state=state, scope=scope)
    renames = [change for change in changes if isinstance(change, RENAMES)]
    assert list(changes[:len(renames)]) == renames  # renames come first
    assert len(changes) - len(renames) == len(original)  # and replace nothing: no delete and re-create
    after = predict(have, changes)
    assert after == respelled(predict(have, original), cased)
    assert plan(after, cased, state=state, scope=scope) == ()


def clean(store: Store) -> Store:
    """Without duplicate filters (a plan never recreates them: desired duplicates collapse)."""
    return with_objects(store, filter_lists=[replace(item, filters=tuple(dict.fromkeys(item.filters))) for item in store.filter_lists.values()])


@FEWER
@given(have=gathered_stores(), target=gathered_stores())
def test_an_exact_plan_reaches_any_complete_store(have, target):
    target = clean(target)
    try:
        changes = plan_exact(have, target)
    except PlanError as error:
        # the one thing netsh cannot do: take the authentication methods off a default response rule
        assert "cannot remove the authentication methods of the default response rule" in str(error)
        assume(False)
    assert predict(have, changes) == target
    assert plan_exact(target, target) == ()


@FEWER
@given(have=gathered_stores(), flip=st.sampled_from(list(FLIPS.values())))
def test_an_exact_plan_to_a_re_cased_store_only_renames(have, flip):
    target = recased(clean(have), flip)
    changes = plan_exact(clean(have), target)
    assert all(type(change) in (RenameFilterList, RenameFilterAction, RenamePolicy, RenameRule) for change in changes)
    assert predict(clean(have), changes) == target


# --- warnings about shared objects ----------------------------------------------------------------

SHARED_HAVE = Store.of(
    filter_lists=[FilterList("LD - Web", "", (Filter.build(protocol="tcp", destination_port=80),))],
    filter_actions=[FilterAction("LD - Permit", Action.PERMIT, "", False, False, False, ())],
    policies=[
        gathered_policy("Theirs", gathered_rule("web", "LD - Web", "LD - Permit"), assigned=True),
        gathered_policy("LD - Mine", gathered_rule("web", "LD - Web", "LD - Permit")),
    ],
)


def test_changing_an_object_a_foreign_policy_uses_warns_with_the_rule():
    want = Store.of(filter_actions=[FilterAction("LD - Permit", Action.BLOCK)])
    changes = plan(SHARED_HAVE, want, state=REPLACED, scope=Scope("LD - "))
    assert changes == (SetFilterAction(FilterAction("LD - Permit", Action.BLOCK)),)
    assert shared_object_warnings(SHARED_HAVE, changes, Scope("LD - ")) == (
        "filter action 'LD - Permit' changes, and rule 'web' of policy 'Theirs' (assigned), which is outside the owner "
        "prefix 'LD - ', uses it: that rule changes too",
    )


def test_filters_and_renames_of_a_shared_list_warn_too():
    filters = (Filter.build(protocol="tcp", destination_port=443),)
    for want in (Store.of(filter_lists=[FilterList("LD - Web", filters=filters)]), Store.of(filter_lists=[FilterList("LD - WEB")])):
        changes = plan(SHARED_HAVE, want, state=REPLACED, scope=Scope("LD - "))
        (warning,) = shared_object_warnings(SHARED_HAVE, changes, Scope("LD - "))
        assert warning.startswith("filter list 'LD - Web' changes, and rule 'web' of policy 'Theirs' (assigned)")


def test_no_warning_without_a_foreign_user_or_without_a_prefix():
    mine = with_objects(SHARED_HAVE, policies=[replace(SHARED_HAVE.policies["Theirs"], name="LD - Theirs")])
    mine = Store.of(filter_lists=mine.filter_lists.values(), filter_actions=mine.filter_actions.values(),
                    policies=[item for item in mine.policies.values() if item.name != "Theirs"])
    changes = (SetFilterAction(FilterAction("LD - Permit", Action.BLOCK)),)
    assert shared_object_warnings(mine, changes, Scope("LD - ")) == ()
    assert shared_object_warnings(SHARED_HAVE, changes, Scope()) == ()
    assert shared_object_warnings(SHARED_HAVE, (AddPolicy(Policy("LD - New")),), Scope("LD - ")) == ()


def test_owned_prefix_of_the_property_scenarios_is_case_insensitive():
    assert OWNED_PREFIX.owns(OWNED_PREFIX.owner_prefix.upper() + "x")
    assert {name_key(name) for name in LIST_NAMES + ACTION_NAMES + POLICY_NAMES + RULE_NAMES}  # names exist
