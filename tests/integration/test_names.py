"""Names compare the way Windows compares them (A-31): a name that differs from the host's only by case
is the same object, renamed with ``newname=`` in one run; deleting ``p`` deletes ``P``; and two names
in one task that differ only by case are refused before anything runs."""

from __future__ import annotations

import pytest

from ipsec_support import READ_BACK, read_back_task, task

PERMIT = {"name": "Permit", "action": "permit"}
BLOCK = {"name": "Block", "action": "block"}
WEB = {"name": "Web", "filters": [{"protocol": "tcp", "destination_port": 80}]}
ALL = {"name": "All inbound", "filters": [{}]}


def policy(name: str, rule: str = "web") -> dict:
    return {"name": name, "rules": [{"name": rule, "filter_list": "Web", "filter_action": "Permit"},
                                    {"name": "all", "filter_list": "All inbound", "filter_action": "Block"}]}


def config(*, lists=(WEB, ALL), actions=(PERMIT, BLOCK), policies=(policy("Lockdown"),), assigned="Lockdown") -> dict:
    return {"filter_lists": list(lists), "filter_actions": list(actions), "policies": list(policies), "assigned": assigned}


def build(host) -> dict:
    played = host.play([task("ipsec_config", {"state": "merged", "config": config()}, "build"), read_back_task()])
    assert played.rc == 0, played.stdout
    return played.task(READ_BACK)["config"]


def names(store: dict) -> dict:
    return {
        "lists": [item["name"] for item in store["filter_lists"]],
        "actions": [item["name"] for item in store["filter_actions"]],
        "policies": {item["name"]: sorted(rule["name"] for rule in item["rules"]) for item in store["policies"]},
        "references": sorted((rule["filter_list"], rule["filter_action"]) for item in store["policies"] for rule in item["rules"]),
        "assigned": store["assigned"],
    }


RENAMES = [
    # (id, the module task that renames, the command, what the store's names become)
    ("filter list up", task("ipsec_filter_list", dict(WEB, name="WEB"), "rename"),
     "netsh ipsec static set filterlist name=Web newname=WEB", {"lists": ["All inbound", "WEB"]}),
    ("filter list down", task("ipsec_filter_list", dict(WEB, name="web"), "rename"),
     "netsh ipsec static set filterlist name=Web newname=web", {"lists": ["All inbound", "web"]}),
    ("filter action up", task("ipsec_filter_action", dict(PERMIT, name="PERMIT"), "rename"),
     "netsh ipsec static set filteraction name=Permit newname=PERMIT", {"actions": ["Block", "PERMIT"]}),
    ("filter action down", task("ipsec_filter_action", dict(BLOCK, name="block"), "rename"),
     "netsh ipsec static set filteraction name=Block newname=block", {"actions": ["Permit", "block"]}),
    ("policy up", task("ipsec_policy", policy("LOCKDOWN"), "rename"),
     "netsh ipsec static set policy name=Lockdown newname=LOCKDOWN", {"policies": {"LOCKDOWN": ["all", "web"]}, "assigned": "LOCKDOWN"}),
    ("policy down", task("ipsec_policy", policy("lockdown"), "rename"),
     "netsh ipsec static set policy name=Lockdown newname=lockdown", {"policies": {"lockdown": ["all", "web"]}, "assigned": "lockdown"}),
    ("rule up", task("ipsec_policy", policy("Lockdown", rule="WEB"), "rename"),
     "netsh ipsec static set rule name=web policy=Lockdown newname=WEB", {"policies": {"Lockdown": ["WEB", "all"]}}),
    ("rule mixed", task("ipsec_policy", policy("Lockdown", rule="wEb"), "rename"),
     "netsh ipsec static set rule name=web policy=Lockdown newname=wEb", {"policies": {"Lockdown": ["all", "wEb"]}}),
]


@pytest.mark.parametrize("rename, command, renamed", [item[1:] for item in RENAMES], ids=[item[0] for item in RENAMES])
def test_a_case_only_rename_converges_in_one_run_and_is_idempotent(host, rename, command, renamed):
    before = build(host)
    expected = dict(names(before), **renamed)
    if "lists" in renamed or "actions" in renamed:  # rules follow the list or action they use
        new = {name.casefold(): name for name in expected["lists"] + expected["actions"]}
        expected["references"] = sorted((new[lists.casefold()], new[actions.casefold()]) for lists, actions in names(before)["references"])
    played = host.play([rename, read_back_task()], diff=True)
    assert played.rc == 0, played.stdout
    result = played.task("rename")
    assert result["changed"] is True and result["commands"] == [command]
    assert names(result["after"]) == expected == names(played.task(READ_BACK)["config"])
    assert result["after"] == played.task(READ_BACK)["config"]
    again = host.play([rename], check=True)
    assert again.task("rename")["changed"] is False and again.round_trips == 1


def test_a_whole_config_in_another_case_renames_everything_and_keeps_the_assignment(host):
    build(host)
    rules = [{"name": "WEB", "filter_list": "web", "filter_action": "permit"}, {"name": "ALL", "filter_list": "all inbound", "filter_action": "block"}]
    shouting = config(lists=(dict(WEB, name="WEB"), dict(ALL, name="ALL INBOUND")), actions=(dict(PERMIT, name="PERMIT"), dict(BLOCK, name="BLOCK")),
                      policies=({"name": "LOCKDOWN", "rules": rules},), assigned="lockdown")
    played = host.play([task("ipsec_config", {"state": "replaced", "config": shouting}, "shout"), read_back_task()])
    assert played.rc == 0, played.stdout
    result = played.task("shout")
    # renames only: references in any case name the same objects, and the policy stays assigned throughout
    assert all("newname=" in command for command in result["commands"]) and len(result["commands"]) == 7, "\n".join(result["commands"])
    assert names(played.task(READ_BACK)["config"]) == {
        "lists": ["ALL INBOUND", "WEB"], "actions": ["BLOCK", "PERMIT"], "policies": {"LOCKDOWN": ["ALL", "WEB"]},
        "references": [("ALL INBOUND", "BLOCK"), ("WEB", "PERMIT")], "assigned": "LOCKDOWN",
    }
    again = host.play([task("ipsec_config", {"state": "replaced", "config": shouting}, "shout")])
    assert again.task("shout")["changed"] is False


def test_deleting_p_deletes_the_assigned_policy_p(host):
    build(host)
    played = host.play([task("ipsec_policy", {"name": "LOCKDOWN", "state": "absent"}, "remove"), read_back_task()])
    result = played.task("remove")
    assert result["changed"] is True
    assert result["commands"] == ["netsh ipsec static set policy name=Lockdown assign=no", "netsh ipsec static delete policy name=Lockdown"]
    assert played.task(READ_BACK)["config"]["policies"] == [] and played.task(READ_BACK)["config"]["assigned"] == ""


def test_unassigning_and_assigning_by_another_case_neither_renames_nor_fails(host):
    build(host)
    played = host.play([task("ipsec_assign", {"name": "LOCKDOWN", "state": "unassigned"}, "off"),
                        task("ipsec_assign", {"name": "lockdown"}, "on"), read_back_task()])
    assert played.task("off")["commands"] == ["netsh ipsec static set policy name=Lockdown assign=no"]
    assert played.task("on")["commands"] == ["netsh ipsec static set policy name=Lockdown assign=yes"]
    assert names(played.task(READ_BACK)["config"])["policies"] == {"Lockdown": ["all", "web"]}


def test_overridden_against_a_case_variant_converges_in_one_run(host):
    owned = {"filter_actions": [{"name": "LD - block", "action": "block"}]}
    host.play([task("ipsec_config", {"state": "merged", "config": owned}, "old")])
    wanted = {"state": "overridden", "owner_prefix": "LD - ", "config": {"filter_actions": [{"name": "LD - Block", "action": "block"}]}}
    first = host.play([task("ipsec_config", wanted, "override")])
    assert first.rc == 0, first.stdout
    assert first.task("override")["commands"] == ['netsh ipsec static set filteraction "name=LD - block" "newname=LD - Block"']
    second = host.play([task("ipsec_config", wanted, "override")])
    assert second.rc == 0 and second.task("override")["changed"] is False
