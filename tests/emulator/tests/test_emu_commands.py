"""add / set / delete semantics (SYNTAX.md §4-§6 and the emulator's documented choices)."""

from __future__ import annotations

import json


def _store(emu) -> dict:
    return json.loads(emu.state.read_text("utf-8"))


def _base(emu) -> None:
    emu.ok("add policy P")
    emu.ok("add filterlist L")
    emu.ok("add filteraction A action=permit")
    emu.ok("add rule R P L A")


def test_add_policy_defaults(emu):
    emu.ok("add policy P")
    p = _store(emu)["policies"][0]
    assert {k: p[k] for k in ("description", "assigned", "mmpfs", "qmpermm", "mmlifetime",
                              "pollinginterval", "mmsecmethods")} == {
        "description": "", "assigned": False, "mmpfs": False, "qmpermm": 0, "mmlifetime": 480,
        "pollinginterval": 180, "mmsecmethods": ["3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"]}
    assert p["default_rule"] == {"activate": True, "qmpfs": False, "qmsecmethods": [], "auth": []}
    assert p["rules"] == [] and p["guid"].startswith("{") and p["guid"] == p["guid"].upper()


def test_add_policy_values_and_mmpfs_forces_qmpermm(emu):
    emu.ok("add policy P description=d mmpfs=yes qmpermm=5 mmlifetime=60 activatedefaultrule=no "
           "pollinginterval=5 mmsecmethods=DES-MD5-1")
    p = _store(emu)["policies"][0]
    assert (p["mmpfs"], p["qmpermm"], p["mmlifetime"], p["pollinginterval"]) == (True, 1, 60, 5)
    assert p["default_rule"]["activate"] is False and p["mmsecmethods"] == ["DES-MD5-1"]
    emu.ok("add policy Q qmpermm=3")
    assert _store(emu)["policies"][1]["qmpermm"] == 3


def test_assign_is_exclusive(emu):
    emu.ok("add policy P assign=yes")
    emu.ok("add policy Q assign=y")
    assert [p["assigned"] for p in _store(emu)["policies"]] == [False, True]
    emu.ok("set policy P assign=yes")
    assert [p["assigned"] for p in _store(emu)["policies"]] == [True, False]
    emu.ok("set policy P assign=n")
    assert [p["assigned"] for p in _store(emu)["policies"]] == [False, False]


def test_add_filteraction_defaults(emu):
    emu.ok("add filteraction N")
    emu.ok("add filteraction B action=BLOCK qmsec=ESP[DES,MD5]:1k/1s")
    emu.ok("add filteraction Q qmpfs=yes inpass=yes soft=yes qmsecmethods=AH[SHA1]:300s")
    n, b, q = _store(emu)["filteractions"]
    assert (n["action"], n["qmpfs"], n["inpass"], n["soft"]) == ("negotiate", False, False, False)
    assert n["qmsecmethods"] == ["ESP[3DES,SHA1]:100000k/3600s", "ESP[3DES,MD5]:100000k/3600s"]
    assert b["action"] == "block" and b["qmsecmethods"] == []       # ignored unless negotiate [S3]
    assert (q["qmpfs"], q["inpass"], q["soft"], q["qmsecmethods"]) == (True, True, True, ["AH[SHA1]:300s"])
    emu.err("add filteraction E qmsecmethods=", 5907)


def test_add_filter_creates_list_and_keeps_duplicates(emu):
    emu.ok("add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp dstport=80")
    emu.ok("add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp dstport=80")
    lists = _store(emu)["filterlists"]
    assert len(lists) == 1 and lists[0]["name"] == "L" and len(lists[0]["filters"]) == 2
    assert lists[0]["filters"][0] == lists[0]["filters"][1]
    assert lists[0]["filters"][0]["mirrored"] is True


def test_add_filter_server_types(emu):
    emu.ok("add filter L srcaddr=DHCP dstaddr=me protocol=ICMP")
    emu.ok("add filter L me wins")
    emu.err("add filter L DNS 10.0.0.1", 5907)
    emu.err("add filter L gateway dns", 5907)


def test_add_rule_requires_existing_objects(emu):
    emu.ok("add policy P")
    emu.ok("add filterlist L")
    emu.ok("add filteraction A")
    emu.err("add rule R Nope L A", 5901)
    emu.err("add rule R P Nope A", 5049)
    emu.err("add rule R P L Nope", 5902)
    emu.ok("add rule R P L A")
    emu.err("add rule r P L A", 5020)
    rule = _store(emu)["policies"][0]["rules"][0]
    assert (rule["conntype"], rule["activate"], rule["tunnel"], rule["auth"]) == ("all", True, None, [])


def test_add_rule_options(emu):
    _base(emu)
    emu.ok("add rule R2 P L A tunnel=10.1.1.1 conntype=LAN activate=no description=x kerberos=no")
    rule = _store(emu)["policies"][0]["rules"][1]
    assert (rule["tunnel"], rule["conntype"], rule["activate"], rule["description"], rule["auth"]) == (
        "10.1.1.1", "lan", False, "x", [])
    emu.err("add rule R3 P L A conntype=wifi", 5907)


def test_set_policy_changes_only_given_values(emu):
    emu.ok("add policy P description=d mmlifetime=60")
    emu.ok("set policy name=P pollinginterval=10")
    p = _store(emu)["policies"][0]
    assert (p["description"], p["mmlifetime"], p["pollinginterval"]) == ("d", 60, 10)
    emu.ok("set policy P newname=P2 description=")
    p = _store(emu)["policies"][0]
    assert (p["name"], p["description"]) == ("P2", "")
    emu.ok("add policy Q")
    emu.err("set policy Q newname=p2", 5005)
    emu.ok(f"set policy guid={p['guid']} mmsec=3DES-MD5-2 activatedefaultrule=no")
    p = _store(emu)["policies"][0]
    assert p["mmsecmethods"] == ["3DES-MD5-2"] and p["default_rule"]["activate"] is False
    emu.err("set policy guid={00000000-0000-0000-0000-000000000000} mmpfs=yes", 5901)
    emu.err("set policy Q gponame=x", 5908)


def test_set_filterlist_and_rename_keeps_rule_reference(emu):
    _base(emu)
    emu.ok("set filterlist L newname=L2 description=new")
    fl = _store(emu)["filterlists"][0]
    assert (fl["name"], fl["description"]) == ("L2", "new")
    assert "FilterList Name        : L2\r\n" in emu.ok("show rule R policy=P")
    emu.err("set filterlist Nope description=x", 5049)


def test_set_filteraction(emu):
    emu.ok("add filteraction A")
    emu.ok("set filteraction A qmsecmethods=ESP[DES,SHA1]:1k")
    assert _store(emu)["filteractions"][0]["qmsecmethods"] == ["ESP[DES,SHA1]:1k"]
    emu.ok("set filteraction A action=permit soft=yes")
    fa = _store(emu)["filteractions"][0]
    assert (fa["action"], fa["soft"], fa["qmsecmethods"]) == ("permit", False, [])  # no offer keeps it
    emu.ok("set filteraction A action=negotiate qmpfs=yes inpass=yes soft=yes")
    fa = _store(emu)["filteractions"][0]
    assert (fa["qmpfs"], fa["inpass"], fa["soft"]) == (True, True, True)
    emu.ok("set filteraction A action=block")
    fa = _store(emu)["filteractions"][0]
    assert (fa["qmpfs"], fa["inpass"], fa["soft"]) == (False, False, False)
    emu.ok("add filteraction C action=permit qmpfs=yes inpass=yes soft=yes")
    fa = _store(emu)["filteractions"][-1]
    assert (fa["qmpfs"], fa["inpass"], fa["soft"]) == (False, False, False)
    emu.ok("set filteraction A action=negotiate")
    assert _store(emu)["filteractions"][0]["qmsecmethods"][0] == "ESP[3DES,SHA1]:100000k/3600s"
    emu.ok("add filteraction B")
    emu.err("set filteraction A newname=B", 5014)
    emu.err("set filteraction Nope soft=no", 5902)


def test_set_rule_and_auth_replacement(emu):
    _base(emu)
    emu.ok("add filteraction A2")
    emu.ok("set rule name=R policy=P psk=secret kerberos=yes")
    emu.ok("set rule R policy=P filteraction=A2 conntype=dialup activate=no tunnel=10.0.0.9")
    rule = _store(emu)["policies"][0]["rules"][0]
    assert rule["auth"] == [{"kind": "psk", "key": "secret"}, {"kind": "kerberos"}]
    assert (rule["conntype"], rule["activate"], rule["tunnel"]) == ("dialup", False, "10.0.0.9")
    emu.ok('set rule id=1 policy=P rootca="CN=x certmap:yes"')
    assert _store(emu)["policies"][0]["rules"][0]["auth"] == [
        {"kind": "rootca", "cert": "CN=x", "certmap": True, "excludecaname": False}]
    emu.ok("set rule R policy=P kerberos=no tunnel=")
    rule = _store(emu)["policies"][0]["rules"][0]
    assert rule["auth"] == [] and rule["tunnel"] is None
    emu.ok("add rule R2 P L A")
    emu.err("set rule R2 policy=P newname=R", 5020)
    emu.ok("set rule R2 policy=P newname=R3 description=d")
    emu.err("set rule R9 policy=P description=x", 5903)
    emu.err("set rule id=7 policy=P description=x", 5903)
    emu.err("set rule R policy=P filterlist=Nope", 5049)


def test_set_defaultrule(emu):
    emu.ok("add policy P")
    emu.ok("set defaultrule policy=P activate=no qmpfs=yes qmsec=AH[MD5]:300s kerberos=yes psk=k")
    dr = _store(emu)["policies"][0]["default_rule"]
    assert dr == {"activate": False, "qmpfs": True, "qmsecmethods": ["AH[MD5]:300s"],
                  "auth": [{"kind": "kerberos"}, {"kind": "psk", "key": "k"}]}
    emu.ok("set defaultrule P psk=z")
    assert _store(emu)["policies"][0]["default_rule"]["auth"] == [{"kind": "psk", "key": "z"}]
    emu.err("set defaultrule Nope activate=no", 5901)
    emu.ok("add policy Q")
    emu.ok("set defaultrule Q qmpfs=yes")  # PFS lives in the offers, and there are none
    assert _store(emu)["policies"][1]["default_rule"]["qmpfs"] is False


def test_set_store_and_batch(emu):
    emu.ok("set store location=local")
    emu.ok("set store LOCAL")
    emu.err("set store location=domain domain=example.com", 5908)
    emu.err("set store location=persistent", 5907)
    emu.ok("set batch mode=enable")
    assert _store(emu)["batch_mode"] is True
    emu.ok("add policy P")               # applied immediately
    assert _store(emu)["policies"][0]["name"] == "P"
    emu.ok("set batch disable")
    assert _store(emu)["batch_mode"] is False


def test_delete_policy_keeps_lists_and_actions(emu):
    _base(emu)
    emu.ok("delete policy P")
    store = _store(emu)
    assert store["policies"] == [] and len(store["filterlists"]) == 1 and len(store["filteractions"]) == 1
    emu.err("delete policy P", 5901)
    emu.ok("add policy X")
    emu.ok("add policy Y")
    emu.ok("delete policy all")
    assert _store(emu)["policies"] == []


def test_delete_in_use_is_refused(emu):
    _base(emu)
    emu.err("delete filterlist L", 5905)
    emu.err("delete filteraction A", 5906)
    emu.err("delete filterlist all", 5905)
    emu.ok("delete rule R policy=P")
    emu.ok("delete filterlist L")
    emu.ok("delete filteraction A")
    emu.err("delete filterlist L", 5049)
    emu.err("delete filteraction A", 5902)


def test_delete_rule_variants(emu):
    _base(emu)
    emu.ok("add rule R2 P L A")
    emu.ok("add rule R3 P L A")
    emu.ok("delete rule id=2 policy=P")
    assert [r["name"] for r in _store(emu)["policies"][0]["rules"]] == ["R", "R3"]
    emu.err("delete rule Nope policy=P", 5903)
    emu.err("delete rule R policy=Nope", 5901)
    emu.ok("del rule all policy=P")
    p = _store(emu)["policies"][0]
    assert p["rules"] == [] and p["default_rule"]["activate"] is True


def test_delete_all(emu):
    _base(emu)
    emu.ok("delete all")
    store = _store(emu)
    assert store["policies"] == store["filterlists"] == store["filteractions"] == []


def test_failed_command_changes_nothing(emu):
    emu.ok("add policy P")
    before = emu.state.read_bytes()
    emu.err("set policy P description=x mmlifetime=abc", 5907)
    emu.err("add filter L any me dstport=80", 5907)         # no list auto-created on failure
    assert emu.state.read_bytes() == before


def test_guids_are_stable(emu):
    emu.ok("add policy P")
    guid = _store(emu)["policies"][0]["guid"]
    emu.ok("set policy P description=x newname=Q")
    assert _store(emu)["policies"][0]["guid"] == guid


def test_random_guids(emu):
    emu.ok("add policy P", NETSH_EMU_GUID_MODE="random")
    emu.ok("add policy Q", NETSH_EMU_GUID_MODE="random")
    a, b = (p["guid"] for p in _store(emu)["policies"])
    assert a != b and len(a) == 38 and a == a.upper()
