"""ipsec_config through real ansible-playbook runs: the cycle of a changing module (state merged to
create and modify, state deleted to remove). Every state on its own: test_config_states.py."""

from __future__ import annotations

import json

import yaml

from ipsec_support import EMPTY_STORE, by_name, lifecycle_step, task, unchanged

# Seed 002's shape (every name under "APS - "), small: one service, the deny-all, assigned.
CONFIG = {
    "filter_actions": [
        {"name": "APS - Permit", "action": "permit"},
        {"name": "APS - Deny", "action": "block"},
    ],
    "filter_lists": [
        {"name": "APS - Terminal Services Server", "filters": [{"protocol": "tcp", "destination_port": 3389}]},
        {"name": "APS - All TCP", "filters": [{"protocol": "tcp"}]},
    ],
    "policies": [{
        "name": "APS - AnalogX Public Server",
        "default_response_rule": {"activate": False},
        "rules": [
            {"name": "APS - Terminal Services Server", "filter_list": "APS - Terminal Services Server", "filter_action": "APS - Permit"},
            {"name": "APS - Deny TCP", "filter_list": "APS - All TCP", "filter_action": "APS - Deny"},
        ],
    }],
    "assigned": "APS - AnalogX Public Server",
}

CREATE_COMMANDS = [
    'netsh ipsec static add filteraction "name=APS - Deny" action=block qmpfs=no inpass=no soft=no',
    'netsh ipsec static add filteraction "name=APS - Permit" action=permit qmpfs=no inpass=no soft=no',
    'netsh ipsec static add filterlist "name=APS - All TCP"',
    'netsh ipsec static add filterlist "name=APS - Terminal Services Server"',
    'netsh ipsec static add policy "name=APS - AnalogX Public Server" mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0 '
    '"mmsecmethods=3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1"',
    # make before break: the permit's filters and rule first, the block's after them, assignment last
    'netsh ipsec static add filter "filterlist=APS - Terminal Services Server" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=3389 mirrored=yes',
    'netsh ipsec static add rule "name=APS - Terminal Services Server" "policy=APS - AnalogX Public Server" '
    '"filterlist=APS - Terminal Services Server" "filteraction=APS - Permit" activate=yes conntype=all',
    'netsh ipsec static set defaultrule "policy=APS - AnalogX Public Server" activate=no qmpfs=no qmsecmethods=',
    'netsh ipsec static add filter "filterlist=APS - All TCP" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=0 mirrored=yes',
    'netsh ipsec static add rule "name=APS - Deny TCP" "policy=APS - AnalogX Public Server" "filterlist=APS - All TCP" '
    '"filteraction=APS - Deny" activate=yes conntype=all',
    'netsh ipsec static set policy "name=APS - AnalogX Public Server" assign=yes',
]


def config(args: dict, name: str = "config") -> dict:
    return task("ipsec_config", args, name)


def test_create_rerun_check_diff_modify_remove(host):
    created, read_back, played = lifecycle_step(host, config({"state": "merged", "config": CONFIG}), CREATE_COMMANDS)
    assert created["before"] == EMPTY_STORE and read_back["assigned"] == "APS - AnalogX Public Server"
    assert '+add filter "filterlist=APS - All TCP" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=0 mirrored=yes' in played.stdout
    assert '+set policy "name=APS - AnalogX Public Server" assign=yes' in played.stdout
    shown = host.netsh("ipsec", "static", "show", "policy", "name=APS - AnalogX Public Server", "level=verbose")
    assert "Assigned               : YES\r\n" in shown and "No. of Rules           : 2\r\n" in shown

    unchanged(host, config({"state": "merged", "config": CONFIG}))

    # Modify: HTTP joins the permitted services (a new list and rule), the deny action gets a
    # description. merged only adds and changes what is given.
    modified_config = {
        "filter_actions": [{"name": "APS - Deny", "description": "Drop"}],
        "filter_lists": [{"name": "APS - HTTP Server", "filters": [{"protocol": "tcp", "destination_port": 80}]}],
        "policies": [{
            "name": "APS - AnalogX Public Server",
            "rules": [{"name": "APS - HTTP Server", "filter_list": "APS - HTTP Server", "filter_action": "APS - Permit"}],
        }],
    }
    modified, read_back, played = lifecycle_step(host, config({"state": "merged", "config": modified_config}), [
        'netsh ipsec static set filteraction "name=APS - Deny" description=Drop',
        'netsh ipsec static add filterlist "name=APS - HTTP Server"',
        'netsh ipsec static add filter "filterlist=APS - HTTP Server" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes',
        'netsh ipsec static add rule "name=APS - HTTP Server" "policy=APS - AnalogX Public Server" "filterlist=APS - HTTP Server" '
        '"filteraction=APS - Permit"',
    ])
    policy = by_name(read_back["policies"], "APS - AnalogX Public Server")
    assert sorted(rule["name"] for rule in policy["rules"]) == ["APS - Deny TCP", "APS - HTTP Server", "APS - Terminal Services Server"]
    assert read_back["assigned"] == "APS - AnalogX Public Server"  # "assigned" left out: not managed
    assert by_name(read_back["filter_actions"], "APS - Deny")["action"] == "block"
    unchanged(host, config({"state": "merged", "config": modified_config}))

    # Remove what the first task made; the HTTP list, not named, stays.
    dummy, read_back, played = lifecycle_step(host, config({"state": "deleted", "config": CONFIG}), [
        'netsh ipsec static set policy "name=APS - AnalogX Public Server" assign=no',
        'netsh ipsec static delete policy "name=APS - AnalogX Public Server"',
        'netsh ipsec static delete filterlist "name=APS - All TCP"',
        'netsh ipsec static delete filterlist "name=APS - Terminal Services Server"',
        'netsh ipsec static delete filteraction "name=APS - Deny"',
        'netsh ipsec static delete filteraction "name=APS - Permit"',
    ])
    assert read_back == dict(EMPTY_STORE, filter_lists=[by_name(modified["after"]["filter_lists"], "APS - HTTP Server")])
    unchanged(host, config({"state": "deleted", "config": CONFIG}))


def test_config_from_a_file_applies_like_inline_config_and_is_not_repeated_in_the_result(host):
    # A relative src is looked for in the play's files/ directory, as copy's src is.
    files = host.workdir / "files"
    files.mkdir(exist_ok=True)
    (files / "aps.yml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    (files / "aps.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    created, read_back, played = lifecycle_step(host, config({"state": "merged", "src": "aps.yml"}), CREATE_COMMANDS)
    assert created["invocation"]["module_args"]["src"] == "aps.yml"
    assert created["invocation"]["module_args"]["config"] == "(read from src: 2 filter lists)"
    assert read_back["assigned"] == "APS - AnalogX Public Server"
    # The same config inline, or as JSON at an absolute path, changes nothing.
    unchanged(host, config({"state": "replaced", "src": str(files / "aps.json")}))
    unchanged(host, config({"state": "replaced", "config": CONFIG}))


def test_src_refusals_name_the_option_before_the_host(host):
    (host.workdir / "files").mkdir(exist_ok=True)
    (host.workdir / "files" / "list.yml").write_text("- not a mapping\n", encoding="utf-8")
    cases = [
        ({"src": "missing.yml"}, "src: was not found (looked for in the role's or play's files/ directory, and as given) (got 'missing.yml')"),
        ({"src": "list.yml", "config": CONFIG}, "src: and config are mutually exclusive: give the configuration in one of them (got 'list.yml')"),
        ({"src": "list.yml"}, "src: must hold a mapping with filter_lists, filter_actions and policies, not list (got '"),
    ]
    for args, message in cases:
        played = host.play([config({"state": "merged", **args})])
        assert played.rc != 0 and played.task("config")["msg"].startswith(message), played.task("config")["msg"]
    assert played.round_trips == 0 and host.round_trips() == 0
