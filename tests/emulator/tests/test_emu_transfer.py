"""exportpolicy / importpolicy (SYNTAX.md §8; emulator file format)."""

from __future__ import annotations

import json


def _store(emu) -> dict:
    return json.loads(emu.state.read_text("utf-8"))


def _populate(emu) -> None:
    emu.ok("add policy P assign=yes description=exported")
    emu.ok("add filter L any me protocol=tcp dstport=80")
    emu.ok("add filteraction A action=block")
    emu.ok("add rule R P L A psk=k")


def test_round_trip(emu, tmp_path):
    _populate(emu)
    path = tmp_path / "ipsec.ipsec"
    emu.ok(f"exportpolicy file = {path}")
    document = json.loads(path.read_text("utf-8"))
    assert document["format"] == "lockdown-ipsec-netsh-emulator-export" and document["version"] == 1
    before = emu("show all").raw
    emu.ok("delete all")
    emu.ok(f"importpolicy {path}")
    store = _store(emu)
    assert [p["assigned"] for p in store["policies"]] == [False]           # import never assigns [S31]
    emu.ok("set policy P assign=yes")
    assert emu("show all").raw == before


def test_import_replaces_same_named_objects_and_keeps_references(emu, tmp_path):
    _populate(emu)
    path = tmp_path / "x.ipsec"
    emu.ok(f"exportpolicy file={path}")
    emu.ok("add policy Other")
    emu.ok("add rule R2 Other L A")
    emu.ok("add filter L 10.0.0.1 me")                                       # differs from the export
    list_guid = _store(emu)["filterlists"][0]["guid"]
    emu.ok(f"importpolicy file={path}")
    store = _store(emu)
    assert [p["name"] for p in store["policies"]] == ["P", "Other"]
    assert [f["name"] for f in store["filterlists"]] == ["L"] and len(store["filterlists"][0]["filters"]) == 1
    assert store["filterlists"][0]["guid"] == list_guid
    assert store["policies"][1]["rules"][0]["filterlist"] == list_guid
    assert store["policies"][0]["assigned"] is False
    assert "FilterList Name        : L" in emu("show rule R2 policy=Other").out


def test_import_errors(emu, tmp_path):
    emu.err(f"importpolicy file={tmp_path / 'missing.ipsec'}", 5909)
    bad = tmp_path / "bad.ipsec"
    bad.write_text("{}")
    emu.err(f"importpolicy {bad}", 5909)
    bad.write_bytes(b"\xff\xfe binary")
    emu.err(f"importpolicy {bad}", 5909)
    emu.err(f"exportpolicy file={tmp_path / 'no' / 'dir' / 'x.ipsec'}", 5910)


def test_guids_stay_unique_after_import_from_another_store(emu, tmp_path):
    other = type(emu)(tmp_path / "other.json")
    other.ok("add policy A")
    other.ok("add policy B")
    path = tmp_path / "other.ipsec"
    other.ok(f"exportpolicy {path}")
    emu.ok(f"importpolicy {path}")          # keeps GUIDs 1 and 2 (free here)
    emu.ok("add policy C")                   # must not reuse 1 or 2
    guids = [p["guid"] for p in _store(emu)["policies"]]
    assert len(set(guids)) == 3
