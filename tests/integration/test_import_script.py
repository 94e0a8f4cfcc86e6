"""Importing the scripts people already run (``ipsec_config state=parsed`` with a script, and
playbooks/import_script.yml), checked against the emulated host: a script run there, and its imported
config applied with ``state: replaced`` to a fresh host, leave the same store. The scripts in
tests/integration/scripts/ are our own, written in the styles REAL-WORLD.md counts."""

from __future__ import annotations

import json

import pytest
import yaml
from netsh_emulator import run_script_file

from conftest import REPO
from ipsec_support import task
from packet_check import assert_packets, inbound

SCRIPTS = REPO / "tests" / "integration" / "scripts"
PLAYBOOK = REPO / "playbooks" / "import_script.yml"

# Seed 000's three IPSECPOL commands, with the filter specs its published copy lost restored from its
# own explanation of each ("*" any source, "0" the server, ":80:TCP", "+" mirrored).
SEED_000 = "\r\n".join([
    "@echo off",
    'ipsecpol -w REG -p "Packet Filter" -r "Inbound web protocols" -f *+0:80:TCP -f *+0:443:TCP -n PASS',
    'ipsecpol -w REG -p "Packet Filter" -r "All inbound traffic" -f *+0 -n BLOCK',
    'ipsecpol -w REG -p "Packet Filter" -x',
    "",
])

# Seed 000's GUI walkthrough: a filter list per role (the web server's), "All inbound traffic", the Permit
# action and a Block action, the policy "Packet Filter" with its default response rule off, assigned.
GUI_WALKTHROUGH = {
    "filter_lists": [
        {"name": "Web server", "filters": [
            {"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 80},
            {"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 443}]},
        {"name": "All inbound traffic", "filters": [{"source": "any", "destination": "me"}]},
    ],
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
    "policies": [{"name": "Packet Filter", "default_response_rule": {"activate": False}, "rules": [
        {"name": "Web server", "filter_list": "Web server", "filter_action": "Permit"},
        {"name": "All inbound traffic", "filter_list": "All inbound traffic", "filter_action": "Block"}]}],
    "assigned": "Packet Filter",
}


def shape(config: dict) -> dict:
    """A store without its names: each policy's rules as (the list's filters, the action), and whether
    the policy is assigned and its default response rule active."""
    lists = {item["name"]: item for item in config["filter_lists"]}
    actions = {item["name"]: item for item in config["filter_actions"]}

    def rule_shape(rule: dict) -> tuple:
        filters = tuple(sorted(tuple(sorted(item.items())) for item in lists[rule["filter_list"]]["filters"]))
        return filters, actions[rule["filter_action"]]["action"], rule["activate"], rule["connection_type"]

    return {
        "policies": sorted((sorted(rule_shape(rule) for rule in policy["rules"]), policy["name"] == config["assigned"])
                           for policy in config["policies"]),
        "default_rules_active": sorted(policy["default_response_rule"]["activate"] for policy in config["policies"]),
    }


def parsed(host, **options) -> dict:
    played = host.play([task("ipsec_config", {"state": "parsed", **options}, "parse")])
    assert played.rc == 0, played.stdout + played.stderr
    assert played.round_trips == 0  # parsing a script never touches the host
    return played.task("parse")


def test_seed_000_ipsecpol_commands_give_the_gui_walkthroughs_store_apart_from_names(host):
    script = host.workdir / "seed000.bat"
    script.write_text(SEED_000, encoding="utf-8")
    result = parsed(host, running_config_file=str(script))
    assert result["unsupported"] == [] and "warnings" not in result
    imported = result["parsed"]
    # IPSECPOL's names (seed 000, "Differences between the GUI and IPSECPOL.EXE").
    assert [item["name"] for item in imported["filter_lists"]] == ["All inbound traffic", "Inbound web protocols"]
    assert [item["name"] for item in imported["filter_actions"]] == ["All inbound traffic negpol", "Inbound web protocols negpol"]
    # "You can't disable the default response rule": the one difference the seed names besides names.
    gui = host.play([task("ipsec_config", {"state": "replaced", "config": GUI_WALKTHROUGH}, "gui"),
                     task("ipsec_config", {"state": "gathered"}, "read")])
    assert gui.rc == 0, gui.stdout + gui.stderr
    walkthrough = gui.task("read")["gathered"]
    assert shape(imported)["policies"] == shape(walkthrough)["policies"]
    assert (shape(imported)["default_rules_active"], shape(walkthrough)["default_rules_active"]) == ([True], [False])


def test_the_migration_playbook_writes_the_config_lists_the_rest_and_shows_the_commands(host):
    script = host.workdir / "lockdown.bat"
    script.write_text(SEED_000 + "netsh ipsec static add filter filterlist=Bans srcaddr=%BANNED% dstaddr=me\r\n", encoding="utf-8")
    output = host.workdir / "out" / "lockdown.yml"
    (host.workdir / "out").mkdir()
    played = host.run_playbook(PLAYBOOK, extra_vars={"script": str(script), "output": str(output)})
    assert played.rc == 0, played.stdout + played.stderr
    assert played.round_trips == 0
    written = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert written == played.task("Read the script")["parsed"] and output.stat().st_mode & 0o777 == 0o600
    assert "line 5: netsh ipsec static add filter filterlist=Bans srcaddr=%BANNED% dstaddr=me -- uses the cmd variable '%BANNED%'" in played.stdout
    commands = played.task("Compute the commands that create it on an empty store")["rendered"]
    assert commands[-1] == 'netsh ipsec static set policy "name=Packet Filter" assign=yes'
    assert 'netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes' \
        in commands

    # The file is ipsec_config's src: applied, the host permits the web ports and blocks the rest.
    applied = host.play([task("ipsec_config", {"state": "replaced", "src": str(output)}, "apply")])
    assert applied.rc == 0, applied.stdout + applied.stderr
    config = host.play([task("ipsec_config", {"state": "gathered"}, "read")]).task("read")["gathered"]
    assert config["assigned"] == "Packet Filter"
    assert_packets(config, "Packet Filter", permitted=[inbound(80), inbound(443)], blocked=[inbound(3389), inbound(445), inbound(53, "udp")])


# --- equivalence: the script run on one emulated host, its import applied to another -------------------

# (file, how the emulated host runs it, the console code page it needs, the encoding and line ends the file is
# saved with for the test, running_config_encoding). The files are kept as UTF-8 with LF; each test saves
# its copy the way Windows users' files are.
EQUIVALENT_SCRIPTS = [
    ("worm_block.bat", "batch", "936", "gbk", "\r\n", "gbk"),  # cmd batch saved on a Chinese Windows (GBK)
    ("mail_server.ps1", "powershell", "437", "utf-16", "\r\n", "auto"),  # PowerShell saved by Out-File (UTF-16 with BOM)
    ("exchange_context.txt", "netsh", "437", "utf-8", "\n", "auto"),  # a netsh -f context file, UTF-8
]


def normalised_store(host) -> dict:
    """The emulated host's own store (what its show all prints), independent of the collection: GUIDs
    and times dropped, rules pointing at names, objects in name order, filters as a sorted multiset."""
    document = json.loads(host.state_file.read_text(encoding="utf-8"))
    names = {item["guid"]: item["name"] for kind in ("filterlists", "filteractions") for item in document[kind]}

    def plain(item: dict) -> dict:
        return {key: value for key, value in item.items() if key not in ("guid", "modified")}

    def rule(item: dict) -> dict:
        return {**plain(item), "filterlist": names.get(item["filterlist"]), "filteraction": names.get(item["filteraction"])}

    return {
        "policies": sorted(({**plain(policy), "rules": sorted((rule(item) for item in policy["rules"]), key=lambda found: found["name"] or "")}
                            for policy in document["policies"]), key=lambda found: found["name"]),
        "filterlists": sorted(({**plain(item), "filters": sorted(item["filters"], key=json.dumps)} for item in document["filterlists"]),
                              key=lambda found: found["name"]),
        "filteractions": sorted((plain(item) for item in document["filteractions"]), key=lambda found: found["name"]),
    }


@pytest.mark.parametrize("name, kind, codepage, saved_as, line_end, encoding", EQUIVALENT_SCRIPTS, ids=[row[0] for row in EQUIVALENT_SCRIPTS])
def test_a_script_and_its_import_leave_the_same_store(make_host, tmp_path, name, kind, codepage, saved_as, line_end, encoding):
    script = tmp_path / name
    script.write_bytes((SCRIPTS / name).read_text(encoding="utf-8").replace("\n", line_end).encode(saved_as))
    ran, applied = make_host("ran-the-script"), make_host("applied-the-import")
    ran.env["NETSH_EMU_CODEPAGE"] = codepage
    results = run_script_file(script, ran.env, kind)
    assert results and all(result.rc == 0 and b"ERR IPsec" not in result.stdout for result in results), results

    imported = parsed(applied, running_config_file=str(script), running_config_encoding=encoding)
    assert imported["unsupported"] == []
    played = applied.play([task("ipsec_config", {"state": "replaced", "config": imported["parsed"]}, "apply")])
    assert played.rc == 0, played.stdout + played.stderr
    assert normalised_store(applied) == normalised_store(ran)
