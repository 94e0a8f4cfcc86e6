"""``delete filter`` matching (SYNTAX.md §6 [S8 p.316][S22]) and duplicate filters."""

from __future__ import annotations

import json


def _filters(emu, name="L") -> list[dict]:
    store = json.loads(emu.state.read_text("utf-8"))
    return next(f for f in store["filterlists"] if f["name"] == name)["filters"]


def _seed(emu) -> None:
    emu.ok("add filter L srcaddr=10.0.0.1 dstaddr=me protocol=tcp dstport=80 description=a")
    emu.ok("add filter L srcaddr=10.0.0.1 dstaddr=me protocol=udp dstport=53 description=b")
    emu.ok("add filter L srcaddr=10.0.0.1 srcmask=24 dstaddr=me description=c")
    emu.ok("add filter L srcaddr=any dstaddr=me mirrored=no description=d")


def test_required_criteria_only_delete_every_match(emu):
    _seed(emu)
    emu.ok("delete filter L 10.0.0.1 me")
    assert [f["description"] for f in _filters(emu)] == ["d"]


def test_optional_criteria_narrow_the_match(emu):
    _seed(emu)
    emu.ok("delete filter filterlist=L srcaddr=10.0.0.1 dstaddr=Me protocol=6")
    assert [f["description"] for f in _filters(emu)] == ["b", "c", "d"]
    emu.ok("delete filter L 10.0.0.1 ME srcmask=255.255.255.0")
    assert [f["description"] for f in _filters(emu)] == ["b", "d"]
    emu.ok("delete filter L 10.0.0.1 me dstport=53 srcport=0 mirrored=yes")
    assert [f["description"] for f in _filters(emu)] == ["d"]


def test_normalised_comparison(emu):
    emu.ok("add filter L srcaddr=10.0.0.1 srcmask=255.255.255.255 dstaddr=me")
    emu.ok("delete filter L 10.0.0.1 me srcmask=32")                  # 32 == 255.255.255.255
    assert _filters(emu) == []
    emu.ok("add filter L srcaddr=any srcmask=32 dstaddr=me")
    emu.ok("delete filter L ANY me srcmask=24")                       # any is always 0.0.0.0
    assert _filters(emu) == []
    emu.ok("add filter L srcaddr=Host.Example.com dstaddr=me")
    emu.ok("delete filter L host.example.COM me")
    assert _filters(emu) == []
    emu.ok("add filter L srcaddr=2001:DB8::1 dstaddr=me")
    emu.ok("delete filter L 2001:db8:0::1 me")
    assert _filters(emu) == []


def test_no_match_is_an_error_and_changes_nothing(emu):
    _seed(emu)
    before = emu.state.read_bytes()
    # the one error line quoted verbatim by a user (REAL-WORLD.md "Output evidence", A-118)
    assert emu.err("delete filter L 10.0.0.2 me", 5050) == \
        "ERR IPsec[05050] : Filter with the specified spec does not exist in FilterList with name 'L'.\r\n"
    emu.err("delete filter L 10.0.0.1 me protocol=icmp", 5050)
    emu.err("delete filter L 10.0.0.1 me srcmask=16", 5050)
    emu.err("delete filter L any me mirrored=yes", 5050)
    emu.err("delete filter Nope any me", 5049)
    emu.err("delete filter L 10.0.0.1 me dstport=99999", 5907)
    assert emu.state.read_bytes() == before


def test_description_is_not_a_criterion(emu):
    res = emu("delete filter L any me description=x")
    assert res.rc == 1 and 'The tag "description" is not valid for "delete filter".' in res.out


def test_duplicates_are_separate_entries_and_deleted_together(emu):
    for dummy in range(3):
        emu.ok("add filter L any me protocol=tcp dstport=445")
    assert len(_filters(emu)) == 3
    out = emu("show filterlist L level=verbose").out
    assert "No. of Filters         : 3\r\n" in out and out.count("Destination Port       : 445") == 3
    emu.ok("delete filter L any me")
    assert _filters(emu) == []
    assert "No. of Filters         : 0\r\n" in emu("show filterlist L level=verbose").out


def test_deleting_last_filter_keeps_the_list_usable_by_rules(emu):
    emu.ok("add policy P")
    emu.ok("add filteraction A")
    emu.ok("add filter L any me")
    emu.ok("add rule R P L A")
    emu.ok("delete filter L any me")
    assert _filters(emu) == [] and "FilterList Name        : L" in emu("show rule R policy=P").out
