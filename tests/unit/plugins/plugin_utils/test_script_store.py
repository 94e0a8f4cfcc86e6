# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a script leaves on an empty store (``_script_store``): each netsh command's effect, the lines
that are listed instead of guessed, and a property: any store the collection renders, written in the
styles real scripts use, reads back as the same store. The scripts are our own."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import rendered
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._script_store import import_script

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from model_strategies import stores  # noqa: E402  (tests/model_strategies.py)


def imported(text: str) -> tuple[dict, list[tuple[int, str]]]:
    result = import_script(text)
    return store_to_data(result.store, redact=False), [(entry.line, entry.reason) for entry in result.unsupported]


def filters_of(data: dict, name: str) -> list[tuple]:
    found = next(item for item in data["filter_lists"] if item["name"] == name)
    return [(f["source"], f["destination"], f["protocol"], f["source_port"], f["destination_port"], f["mirrored"]) for f in found["filters"]]


WORM_SCRIPT = r"""@echo off
REM Close the worm ports, assign first, rules after
netsh ipsec static add policy name="Worm Block" description="135-139, 445" assign=y
netsh ipsec static add filteraction name = Block action =block
Netsh.exe IPsec Static add filter filterlist=Worm srcaddr=Any dstaddr=Me protocol=TCP dstport=445 > nul
netsh ipsec static add filter filterlist=Worm any me description="NetBIOS" UDP srcport=0 dstport=137
netsh ipsec static add filter filterlist=Worm srcaddr=10.0.0.0 srcmask=8 dstaddr=me protocol=tcp dstport=139 mirrored=no
netsh ipsec static add filter filterlist=Worm srcaddr=192.168.1.0 srcmask=255.255.255.0 dstaddr=me protocol=tcp dstport=135
netsh ipsec static add filter filterlist=Worm srcaddr=10.1.1.1-10.1.1.9 dstaddr=me protocol=ICMP
netsh ipsec static add rule name="Block worms" policy="Worm Block" filter=Worm filteraction=Block
netsh ipsec static set defaultrule policy="Worm Block" activate=no
"""


def test_a_batch_file_in_real_world_style():
    data, unsupported = imported(WORM_SCRIPT)
    assert unsupported == []
    assert data["assigned"] == "Worm Block"
    assert filters_of(data, "Worm") == [  # in the order added
        ("any", "me", "tcp", 0, 445, True),
        ("any", "me", "udp", 0, 137, True),
        ("10.0.0.0/8", "me", "tcp", 0, 139, False),
        ("192.168.1.0/24", "me", "tcp", 0, 135, True),
        ("10.1.1.1-10.1.1.9", "me", "icmp", 0, 0, True),
    ]
    policy = data["policies"][0]
    assert (policy["name"], policy["description"], policy["default_response_rule"]["activate"]) == ("Worm Block", "135-139, 445", False)
    assert [(rule["name"], rule["filter_list"], rule["filter_action"]) for rule in policy["rules"]] == [("Block worms", "Worm", "Block")]
    assert data["filter_actions"][0]["action"] == "block"


def test_a_context_file_and_a_powershell_script_give_the_same_store():
    context = "\n".join([
        "pushd ipsec static", "set store location=local", "add policy \"Worm Block\" description=\"135-139, 445\" assign=yes",
        "add filteraction Block action=block",
        "add filter filterlist=Worm srcaddr=any dstaddr=me protocol=tcp dstport=445",
        "add filter filterlist=Worm any me NetBIOS UDP no", "popd",
    ])
    powershell = "\n".join([
        "$ErrorActionPreference = 'Stop'",
        "netsh ipsec static add policy name='Worm Block' 'description=135-139, 445' assign=yes | Out-Null",
        "& netsh.exe ipsec static add filteraction name=Block action=block 2>$null",
        "netsh ipsec static add filter filterlist=Worm srcaddr=any dstaddr=me protocol=tcp dstport=445",
        "netsh ipsec static add filter filterlist=Worm srcaddr=any dstaddr=me description=NetBIOS protocol=udp mirrored=no",
    ])
    from_context, unsupported = imported(context)
    assert unsupported == []
    assert imported(powershell) == (from_context, [])
    assert filters_of(from_context, "Worm")[1] == ("any", "me", "udp", 0, 0, False)


def test_delete_set_and_rename_in_sequence():
    script = "\n".join([
        "netsh ipsec static add policy name=Old assign=yes",
        "netsh ipsec static add filteraction name=Permit action=permit",
        "netsh ipsec static add filter filterlist=Web srcaddr=any dstaddr=me protocol=tcp dstport=80",
        "netsh ipsec static add filter filterlist=Web srcaddr=any dstaddr=me protocol=tcp dstport=8080",
        "netsh ipsec static add filter filterlist=Web srcaddr=any dstaddr=me protocol=udp dstport=80",
        "netsh ipsec static add rule name=Web policy=Old filterlist=Web filteraction=Permit",
        "netsh ipsec static delete filter filterlist=Web srcaddr=any dstaddr=me dstport=80",  # protocol a wildcard: both go
        "netsh ipsec static set policy name=Old newname=New pollinginterval=30",
        "netsh ipsec static set rule name=Web policy=New activate=no",
        "netsh ipsec static set filteraction name=Permit description=\"let it in\"",
        "netsh ipsec static del rule all New",
        "netsh ipsec static add policy name=Other assign=y",
    ])
    data, unsupported = imported(script)
    assert unsupported == []
    assert filters_of(data, "Web") == [("any", "me", "tcp", 0, 8080, True)]
    assert [(p["name"], p["polling_interval"], p["rules"]) for p in data["policies"]] == [("New", 30, []), ("Other", 180, [])]
    assert data["assigned"] == "Other" and data["filter_actions"][0]["description"] == "let it in"


def test_delete_all_clears_what_came_before():
    data, unsupported = imported("netsh ipsec static add policy P assign=y\nnetsh ipsec static add filterlist L\n"
                                 "netsh ipsec static del all\nnetsh ipsec static add filterlist M\n")
    assert unsupported == [] and [item["name"] for item in data["filter_lists"]] == ["M"] and data["policies"] == []


@pytest.mark.parametrize("line, reason", [
    ("netsh ipsec static add rule name=R policy=P filterlist=L filteraction=Missing",
     "filter action 'Missing' does not exist at this point of the script: netsh would refuse the command"),
    ("netsh ipsec static add policy name=P", "netsh would refuse it on the store the script has built so far: "),
    ("netsh ipsec static add filter filterlist=L srcaddr=any dstaddr=me dstport=80 web",
     "'web' has no tag and no place of its own in 'add filter'"),
    ("netsh ipsec static add filter filterlist=L srcaddy=any dstaddr=me", "in 'add filter', the tag 'srcaddy' is not one netsh knows here"),
    ("netsh ipsec static add filter filterlist=L srcaddr=any dstaddr=me protocol=icmp dstport=80",
     "destination_port: a port needs protocol tcp or udp, not ICMP"),
    ("netsh ipsec static add filter filterlist=L srcaddr=me srcmask=24 dstaddr=any", "srcaddr_mask: "),
    ("netsh ipsec static add filter filterlist=L srcaddr=10.0.0.0/8 dstaddr=me", "srcaddr=10.0.0.0/8: CIDR text is not imported"),
    ("netsh ipsec static add filteraction name=A action=allow", "action=allow: expected one of permit, block, negotiate"),
    ("netsh ipsec static set policy name=P guid={0D0E} assign=yes", "guid= is not imported"),
    ("netsh ipsec static set store location=domain domain=corp.example", "set store location=domain is not imported"),
    ("netsh ipsec static set store location=local domain=corp.example", "set store location=local is not imported"),
    ("netsh ipsec static importpolicy file=c:\\old.ipsec", "'importpolicy' is not imported: what the file holds is not in the script"),
    ("netsh ipsec static delete filter filterlist=L srcaddr=any dstaddr=me protocol=udp", "no filter of filter list 'L' matches"),
    ("netsh ipsec static delete filterlist L", "netsh would refuse it on the store the script has built so far: "),
    ("netsh ipsec static add filter filterlist=L srcaddr=%BAD% dstaddr=me", "uses the cmd variable '%BAD%'"),
])
def test_a_line_that_cannot_be_imported_is_listed_and_changes_nothing(line, reason):
    base = ("netsh ipsec static add policy name=P\nnetsh ipsec static add filteraction name=A action=permit\n"
            "netsh ipsec static add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp dstport=80\n"
            "netsh ipsec static add rule name=R policy=P filterlist=L filteraction=A\n")
    before, dummy = imported(base)
    after, unsupported = imported(base + line + "\n")
    assert after == before
    assert len(unsupported) == 1 and unsupported[0][0] == 5 and unsupported[0][1].startswith(reason), unsupported


def test_a_command_is_applied_whole_or_not_at_all():
    # add policy with assign=yes on a name that exists: neither the policy nor the assignment changes.
    data, unsupported = imported("netsh ipsec static add policy name=P\nnetsh ipsec static add policy name=Q assign=y\n"
                                 "netsh ipsec static add policy name=P assign=y\n")
    assert data["assigned"] == "Q" and [line for line, dummy in unsupported] == [3]


def test_show_dump_export_and_batch_mode_change_nothing():
    data, unsupported = imported("netsh ipsec static set batch enable\nnetsh ipsec static show all\nnetsh ipsec static exportpolicy file=x\n"
                                 "netsh ipsec static add filterlist L\nnetsh ipsec static show policy name=X verbose\n")
    assert unsupported == [] and [item["name"] for item in data["filter_lists"]] == ["L"]


def test_authentication_in_the_order_given():
    script = ("netsh ipsec static add policy P\nnetsh ipsec static add filteraction A action=negotiate\n"
              "netsh ipsec static add filter filterlist=L any me\n"
              "netsh ipsec static add rule R P L A psk=\"a secret\" kerberos=yes rootca=\"CN=Root CA certmap:yes excludecaname:no\"\n")
    data, unsupported = imported(script)
    assert unsupported == []
    none = {"kerberos": None, "pre_shared_key": None, "root_ca": None, "certmap": False, "exclude_ca_name": False}
    assert data["policies"][0]["rules"][0]["authentication"] == [
        {**none, "pre_shared_key": "a secret"}, {**none, "kerberos": True}, {**none, "root_ca": "CN=Root CA", "certmap": True}]


def test_set_rule_without_authentication_keeps_the_rules_methods():
    script = ("netsh ipsec static add policy P\nnetsh ipsec static add filteraction A action=negotiate\n"
              "netsh ipsec static add filter filterlist=L any me\nnetsh ipsec static add rule R P L A kerberos=yes\n"
              "netsh ipsec static set rule name=R policy=P activate=no\n")
    data, unsupported = imported(script)
    rule = data["policies"][0]["rules"][0]
    assert unsupported == [] and rule["activate"] is False and [method["kerberos"] for method in rule["authentication"]] == [True]


def test_a_root_ca_without_options_and_one_whose_name_ends_like_an_option():
    script = ("netsh ipsec static add policy P\nnetsh ipsec static add filteraction A action=negotiate\n"
              "netsh ipsec static add filter filterlist=L any me\n"
              "netsh ipsec static add rule R P L A rootca=\"CN=Plain Root\" rootca=\"CN=Root certmap\" rootca=\"CN=X excludecaname:yes\"\n")
    data, unsupported = imported(script)
    methods = [(method["root_ca"], method["certmap"], method["exclude_ca_name"]) for method in data["policies"][0]["rules"][0]["authentication"]]
    assert unsupported == [] and methods == [("CN=Plain Root", False, False), ("CN=Root certmap", False, False), ("CN=X", False, True)]


def test_ipsecpol_delete_removes_the_lists_and_actions_of_the_policys_rules():
    script = ('ipsecpol -w REG -p "Packet Filter" -r "Web" -f *+0:80:TCP -n PASS\n'
              'netsh ipsec static add filterlist name=Kept\n'
              'ipsecpol -w REG -p "Packet Filter" -o\n')
    data, unsupported = imported(script)
    assert unsupported == [] and data["policies"] == [] and [item["name"] for item in data["filter_lists"]] == ["Kept"]
    assert data["filter_actions"] == []


# --- property: stores the collection renders, written as real scripts write them ----------------------

_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:/[],")


def _styled_value(value: str, rng: random.Random) -> str:
    if value and set(value) <= _PLAIN and rng.random() < 0.5:
        return value
    return f'"{value}"'


def _styled(argv: tuple[str, ...], rng: random.Random) -> str:
    context, verb_object, arguments = argv[:2], argv[2:4] if argv[2] != "delete" else argv[2:4], argv[4:]
    words = [rng.choice([word, word.upper(), word.capitalize()]) for word in (*context, *verb_object)]
    for position, argument in enumerate(arguments):
        tag, dummy, value = argument.partition("=")
        if position == 0 and "=" not in value and rng.random() < 0.3:
            words.append(_styled_value(value, rng))  # positional: the first place of every usage block
            continue
        tag = rng.choice([tag, tag.upper()]) if tag not in ("description", "mirrored") else rng.choice([tag, tag[:4], tag[:6]])
        if rng.random() < 0.2 and not any(char in value for char in ' "'):
            words.append(f'"{tag}={value}"')
            continue
        words.append(tag + rng.choice(["=", " = ", "= ", " ="]) + _styled_value(value, rng))
    return " ".join(words)


def _script(commands: list[str], style: str) -> str:
    if style == "cmd":
        return "@echo off\r\n" + "".join(f"netsh {command} > nul\r\n" for command in commands)
    if style == "powershell":
        return "$ErrorActionPreference = 'Stop'\n" + "".join(f"& netsh.exe {command} | Out-Null\n" for command in commands)
    return "pushd ipsec static\n" + "".join(command.split(" ", 2)[2] + "\n" for command in commands) + "popd\n"


# Characters a script cannot carry exactly, which the reader refuses by design (cmd variables, a caret, a
# backslash that could end up before a closing quote, PowerShell variables, quotes, a PowerShell comment),
# replaced in the generated stores by letters; a store whose names then clash is skipped.
_SCRUB = str.maketrans({"%": "p", "!": "x", "^": "c", "$": "s", "\\": "b", '"': "d", "'": "q", "#": "h"})


def _scrubbed(value):
    if isinstance(value, str):
        return value.translate(_SCRUB)
    if isinstance(value, tuple):
        return tuple(_scrubbed(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{field.name: _scrubbed(getattr(value, field.name)) for field in dataclasses.fields(value)
                                             if field.init})
    return value


def _scrubbed_store(store: Store) -> Store:
    """``store`` scrubbed, each list's filters without repeats (a filter is its fields: the plan adds it once)."""
    lists = [dataclasses.replace(item, filters=tuple(dict.fromkeys(item.filters))) for item in store.filter_lists.values()]
    return Store.of(filter_lists=[_scrubbed(item) for item in lists],
                    filter_actions=[_scrubbed(item) for item in store.filter_actions.values()],
                    policies=[_scrubbed(item) for item in store.policies.values()])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores(), st.sampled_from(["cmd", "powershell", "context"]), st.randoms(use_true_random=False))
def test_rendered_stores_read_back_in_every_style(store, style, rng):
    try:
        store = _scrubbed_store(store)
    except InvalidInput:
        assume(False)
    text = _script([_styled(argv, rng) for argv in rendered(store)], style)
    data, unsupported = imported(text)
    assert unsupported == [], text
    assert data == store_to_data(store, redact=False), text
