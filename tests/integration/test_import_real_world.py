"""Every row of REAL-WORLD.md's syntax table, in cmd batch, PowerShell and netsh context-file form: the
emulated host runs the script (its own script host), the collection imports it (``_script_store``) and
the emulated host runs the commands that create the imported store on an empty one; both stores must be
the same. Scripts whose lines cannot be read exactly must come back as exactly those ``unsupported``
entries and nothing else. The snippets are our own.

These run the emulated netsh directly, without ansible-playbook (test_import_script.py applies imports
through ``ipsec_config state=replaced``), so the whole table costs seconds."""

from __future__ import annotations

import json
import os

import pytest
from netsh_emulator import run_netsh, run_script

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import rendered
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._script_store import import_script

from test_import_script import normalised_store

BASE = ["add policy name=P", "add filteraction name=Block action=block", "add filteraction name=Permit action=permit"]

# (REAL-WORLD.md row, the commands after "ipsec static"); BASE runs first.
ROWS = [
    ("me/any in every case", ["add filter filterlist=L srcaddr=Any dstaddr=ME", "add filter filterlist=L srcaddr=ANY dstaddr=Me protocol=tcp dstport=22",
                              "add filter filterlist=L srcaddr=me dstaddr=any"]),
    ("protocols in any case", ["add filter filterlist=L srcaddr=any dstaddr=me protocol=TCP dstport=80",
                               "add filter filterlist=L srcaddr=any dstaddr=me protocol=udp dstport=53",
                               "add filter filterlist=L srcaddr=any dstaddr=me protocol=Icmp", "add filter filterlist=L srcaddr=any dstaddr=me protocol=47"]),
    ("assign=yes/y/no/n", ["add policy name=Q assign=y", "add policy name=R assign=yes", "set policy name=R assign=n", "set policy name=Q assign=no",
                           "set policy name=P assign = y"]),
    ("descriptions in double quotes", ['add filterlist name="Web servers" description="HTTP and HTTPS, inbound"']),
    ("mirrored=yes/no", ["add filter filterlist=L srcaddr=any dstaddr=me mirrored=yes", "add filter filterlist=L srcaddr=10.0.0.1 dstaddr=me mirrored=no"]),
    ("non-ASCII names unquoted", ["add filterlist name=Фильтр description=блокировка", "add filter filterlist=Фильтр srcaddr=any dstaddr=me"]),
    ("add filter on a list never added", ["add filter filterlist=Implicit srcaddr=any dstaddr=me protocol=tcp dstport=445",
                                          "add rule name=R policy=P filterlist=Implicit filteraction=Block"]),
    ("srcport=0 / dstport=0", ["add filter filterlist=L srcaddr=any dstaddr=me protocol=udp srcport=0 dstport=0"]),
    ("masks dotted and as prefix length", ["add filter filterlist=L srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=me",
                                           "add filter filterlist=L srcaddr=192.168.0.0 srcmask=16 dstaddr=me dstmask=32",
                                           "add filter filterlist=L srcaddr=any srcmask=0.0.0.0 dstaddr=me"]),
    ("policy assigned before its rules", ["add policy name=Early assign=yes", "add filter filterlist=L srcaddr=any dstaddr=me",
                                          "add rule name=R policy=Early filterlist=L filteraction=Block"]),
    ("default response rule", ["add policy name=D activatedefaultrule=no", "set defaultrule policy=P activate=no qmpfs=yes"]),
    ("positional names and values", ["add policy Positional", "add filterlist \"Positional list\" described", "add filter \"Positional list\" any me",
                                     "delete policy Positional"]),
    ("spaces around =", ["add filterlist name = Spaced", "add filter filterlist= Spaced srcaddr =any dstaddr = me protocol =  tcp dstport= 25"]),
    ("negotiate, kerberos, psk, qmsec, conntype", [
        "add filteraction name=Secure action=negotiate qmsecmethods=\"ESP[3DES,SHA1]:100000k/3600s AH[MD5]\" inpass=yes",
        "add filter filterlist=L srcaddr=10.1.0.0 srcmask=16 dstaddr=me",
        "add rule name=R policy=P filterlist=L filteraction=Secure kerberos=yes psk=\"shared words\" conntype=lan activate=no"]),
    ("del abbreviation", ["add filter filterlist=L srcaddr=any dstaddr=me", "add rule name=R policy=P filterlist=L filteraction=Block",
                          "del rule all P", "del filterlist L", "del policy all"]),
    ("set store location=local / set store local", ["set store location=local", "set store local", "add filterlist name=Local"]),
    ("pollinginterval, mmsec, mmpfs, mmlifetime (quoted values too)", [
        "add policy name=Tuned pollinginterval=30 mmsecmethods=\"3DES-SHA1-2 3DES-MD5-3\" mmpfs=\"no\" mmlifetime=60 assign=\"yes\""]),
    ("desc=, filter=, mirror= abbreviations", [
        "add filterlist name=Short desc=abbreviated", "add filter filterlist=Short srcaddr=any dstaddr=me mirror=no",
        "add rule name=R policy=P filter=Short filteraction=Permit"]),
    ("action=Permit / Block capitalised", ["add filteraction name=Cap1 action=Permit", "add filteraction name=Cap2 action=BLOCK"]),
    ("address ranges", ["add filter filterlist=L srcaddr=10.0.0.5-10.0.0.50 dstaddr=me protocol=tcp dstport=3389"]),
    ("delete all", ["add filter filterlist=L srcaddr=any dstaddr=me", "delete all", "add policy name=After"]),
    ("set rule to flip permit and block", ["add filter filterlist=L srcaddr=any dstaddr=me", "add rule name=R policy=P filterlist=L filteraction=Block",
                                           "set rule name=R policy=P filteraction=Permit"]),
    ("delete filter with the full spec", ["add filter filterlist=L srcaddr=10.0.0.1 dstaddr=me protocol=tcp dstport=80",
                                          "add filter filterlist=L srcaddr=10.0.0.2 dstaddr=me protocol=tcp dstport=80",
                                          "delete filter filterlist=L srcaddr=10.0.0.1 dstaddr=Me protocol=TCP srcport=0 dstport=80"]),
    ("host name as address", ["add filter filterlist=L srcaddr=localhost dstaddr=me"]),
]


def script_text(commands: list[str], form: str) -> str:
    """``commands`` as a cmd batch file, a PowerShell script or a netsh context file, each in its everyday dress."""
    lines = BASE + commands
    if form == "batch":
        dressed = ["@echo off", "REM our own", ":: comment"]
        for index, command in enumerate(lines):
            spelling = ("netsh", "Netsh IPsec static", "netsh.exe")[index % 3]
            spelling += "" if " " in spelling else " ipsec static"
            if index == 1:
                dressed += [f"{spelling} ^", f"  {command}"]  # caret continuation
            else:
                dressed.append(f"{spelling} {command}" + (" > nul" if index % 2 else " 2>nul && echo ok"))
        return "\r\n".join(dressed) + "\r\n"
    if form == "powershell":
        dressed = ["# our own"]
        for index, command in enumerate(lines):
            dressed.append(("& netsh.exe" if index % 2 else "netsh") + f" ipsec static {command}" + (" | Out-Null" if index % 2 else " 2>$null"))
        return "\n".join(dressed) + "\n"
    return "pushd ipsec static\n" + "".join(f"{command}\n" for command in lines) + "popd\n"


class Store:
    """An emulated host's store file, without the rest of a host."""

    def __init__(self, path) -> None:
        self.state_file = path
        self.env = dict(os.environ, NETSH_EMU_STATE=str(path))


FORMS = ("batch", "powershell", "netsh")


@pytest.mark.parametrize("row, commands", ROWS, ids=[row for row, dummy in ROWS])
@pytest.mark.parametrize("form", FORMS)
def test_each_real_world_row_imports_to_what_the_host_makes_of_it(tmp_path, row, commands, form):
    text = script_text(commands, form)
    ran, applied = Store(tmp_path / "ran.json"), Store(tmp_path / "applied.json")
    results = run_script(text, ran.env, form)
    assert len(results) == len(BASE) + len(commands) and all(result.rc == 0 and b"ERR" not in result.stdout for result in results), \
        [(result.argv, result.stdout) for result in results]

    imported = import_script(text)
    assert imported.unsupported == (), text
    for argv in rendered(imported.store):
        rc, out, err = run_netsh(list(argv), applied.env)
        assert rc == 0 and b"ERR" not in out, (argv, out, err)
    if not applied.state_file.exists():  # nothing to create: the script left an empty store
        applied.state_file.write_text(json.dumps({**json.loads(ran.state_file.read_text("utf-8")), "policies": [], "filterlists": [],
                                                  "filteractions": []}), encoding="utf-8")
    assert normalised_store(applied) == normalised_store(ran), text


UNSUPPORTED = [
    ("netsh ipsec static add filter filterlist=Bans srcaddr=%IP% dstaddr=me", "uses the cmd variable '%IP%'"),
    ("for %%i in (1 2 3) do netsh ipsec static add filter filterlist=Bans srcaddr=10.0.0.%%i dstaddr=me", "netsh: a cmd loop (for) runs it"),
    ("netsh ipsec static add filter filterlist=Web srcaddr=any dstaddr=me protocol=tcp dstport=80 对外服务端口",
     "'对外服务端口' has no tag and no place of its own in 'add filter'"),
    ("netsh ipsec static add filter filterlist=Web srcaddy=any dstaddr=me", "in 'add filter', the tag 'srcaddy' is not one netsh knows here"),
    ("netsh ipsec static add rule name=Web policy=P filterlist=Web filteraction=Nowhere",
     "filter action 'Nowhere' does not exist at this point of the script"),
    ("netsh ipsec static add rule name=Web policy=P filterlist=Web filteraction=Block contype=lan",
     "in 'add rule', the tag 'contype' is not one netsh knows here"),
]


def test_a_script_with_lines_it_cannot_read_lists_exactly_those(tmp_path):
    lines = ["@echo off", "netsh ipsec static add policy name=P", "netsh ipsec static add filteraction name=Block action=block",
             "netsh ipsec static add filter filterlist=Web srcaddr=any dstaddr=me protocol=tcp dstport=443"]
    text = "\r\n".join(lines + [line for line, dummy in UNSUPPORTED]) + "\r\n"
    imported = import_script(text)
    assert [(entry.line, entry.text) for entry in imported.unsupported] == [(len(lines) + 1 + index, line) for index, (line, dummy) in enumerate(UNSUPPORTED)]
    for entry, (dummy, reason) in zip(imported.unsupported, UNSUPPORTED):
        assert entry.reason.startswith(reason), entry
    # The translated lines are all there, and nothing else.
    assert sorted(imported.store.filter_lists) == ["Web"] and sorted(imported.store.filter_actions) == ["Block"]
    assert [len(item.filters) for item in imported.store.filter_lists.values()] == [1]
