"""Error lines, codes, exit codes and usage texts (format doc §8, SYNTAX.md §9)."""

from __future__ import annotations

import re

import pytest

from netsh_emulator import run_netsh
from netsh_emulator._messages import INVENTED_CODES


def test_documented_codes(emu):
    emu.ok("add policy P")
    emu.ok("add filterlist L")
    emu.ok("add filteraction A")
    emu.ok("add rule R P L A")
    assert emu.err("add policy p", 5005) == 'ERR IPsec[05005] : Policy with name "p" already exists.\r\n'
    emu.err("add filterlist L", 5010)
    emu.err("add filteraction A", 5014)
    emu.err("add rule R P L A", 5020)
    assert emu.err("show filterlist name=Nope", 5049) == 'ERR IPsec[05049] : Filter List "Nope" does not exist.\r\n'


def test_nothing_to_show_codes(emu):
    assert emu.err("show filterlist all", 5067) == \
        "ERR IPsec[05067] : There are no filter lists in the Policy Store.\r\n"
    assert emu.err("show filteraction all", 5068) == \
        "ERR IPsec[05068] : There are no filter actions in the Policy Store.\r\n"
    assert emu.err("show policy all", 5072) == "ERR IPsec[05072] : No Policies in Policy Store.\r\n"


def test_invented_codes_are_in_their_own_range(emu):
    assert all(code >= 5900 for code in INVENTED_CODES)
    emu.ok("add policy P")
    emu.err("show policy Nope", 5901)
    emu.err("show filteraction Nope", 5902)
    emu.err("show rule Nope policy=P", 5903)
    emu.err("show rule all policy=P", 5911)
    emu.err("add filter L any host.invalid", 5912)
    emu.err("add policy Q mmlifetime=0", 5907)
    emu.err("add policy Q pollinginterval=-1", 5907)


def test_error_exit_code_is_configurable(emu):
    res = emu("show policy all", NETSH_EMU_ERROR_EXIT="0")
    assert res.rc == 0 and res.out.startswith("ERR IPsec[05072]")
    assert emu("show policy all", NETSH_EMU_ERROR_EXIT="7").rc == 7


def test_store_unavailable(emu):
    res = emu("add policy P", NETSH_EMU_STORE_UNAVAILABLE="1")
    assert (res.rc, res.out) == (1, "ERR IPsec[05073] : The Policy Store cannot be opened.\r\n")
    assert not emu.state.exists()


def test_corrupt_or_unreachable_store(emu, tmp_path):
    emu.state.write_text("{not json")
    res = emu("show all")
    assert res.out.startswith("ERR IPsec[05073]") and b"not valid UTF-8 JSON" in res.err
    emu.state.write_text('{"format": "something else"}')
    assert emu("add policy P").out.startswith("ERR IPsec[05073]")
    assert emu.state.read_text() == '{"format": "something else"}'
    res = emu("add policy P", NETSH_EMU_STATE=str(tmp_path / "no" / "such" / "dir" / "s.json"))
    assert res.out.startswith("ERR IPsec[05073]") and res.err


def test_misconfiguration_goes_to_stderr_with_rc_2(emu):
    rc, out, err = run_netsh(["ipsec", "static", "show", "all"], {})
    assert (rc, out) == (2, b"") and b"NETSH_EMU_STATE is not set" in err
    for key, value in [("NETSH_EMU_LANG", "de-DE"), ("NETSH_EMU_CODEPAGE", "12345"),
                       ("NETSH_EMU_NOW", "yesterday"), ("NETSH_EMU_DATE_STYLE", "fr-FR"),
                       ("NETSH_EMU_ERROR_EXIT", "x"), ("NETSH_EMU_GUID_MODE", "weird")]:
        res = emu("show all", **{key: value})
        assert res.rc == 2 and res.raw == b"" and key.encode() in res.err


def test_usage_does_not_need_a_store():
    rc, out, err = run_netsh(["ipsec", "static", "add", "rule", "name=R"], {})
    text = out.decode("cp437")
    assert rc == 1 and text.startswith("\r\nUsage:\r\n  rule [ name = ] <string>\r\n")
    assert '[ [ rootca = ] "<certificate> certmap:(yes | no) excludecaname:(yes | no)" ]' in text
    assert "\r\nExamples: add rule name=Rule policy=Policy filterlist=Filterlist\r\n" in text
    assert "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize(("cmd", "first"), [
    ("add policy", "  policy [ name = ] <string>"),
    ("add filterlist description=x", "  filterlist [ name = ] <string>"),
    ("add filter filterlist=L srcaddr=me", "  filter [ filterlist = ] <string>"),
    ("add filteraction", "  filteraction [ name = ] <string>"),
    ("add rule R P L", "  rule [ name = ] <string>"),
    ("set policy description=x", "  policy [ name = ] <string> | [ guid = ] <guid>"),
    ("set filterlist", "  filterlist [ name = ] <string> | [ guid = ] <guid>"),
    ("set filteraction", "  filteraction [ name = ] <string> | [ guid = ] <guid>"),
    ("set rule name=R", "  rule [ name = ] <string> | [ id = ] <integer>"),
    ("set defaultrule", "  defaultrule [ policy = ] <string>"),
    ("set store", "  store [ location = ] (local | domain)"),
    ("set batch", "  batch [ mode = ] (enable | disable)"),
    ("delete policy", "  policy [ name = ] <string> | [ all ]"),
    ("delete filterlist", "  filterlist [ name = ] <string> | [ all ]"),
    ("delete filteraction", "  filteraction [ name = ] <string> | [ all ]"),
    ("delete rule policy=P", "  rule [ name = ] <string> | [ id = ] <integer> | [ all ]"),
    ("delete filter L any", "  filter [ filterlist = ] <string>"),
    ("show policy", "  policy [ name = ] <string> | [ all ]"),
    ("show filterlist level=verbose", "  filterlist [ name = ] <string> | [ rule = ] <string> | [ all ]"),
    ("show filteraction", "  filteraction [ name = ] <string> | [ rule = ] <string> | [ all ]"),
    ("show rule all", "  rule [ name = ] <string> | [ id = ] <integer> | [ all ] | [ default ]"),
    ("exportpolicy", "  exportpolicy [ file = ] <string>"),
    ("importpolicy", "  importpolicy [ file = ] <string>"),
])
def test_usage_on_missing_arguments(emu, cmd, first):
    res = emu(cmd)
    lines = res.out.split("\r\n")
    assert res.rc == 1 and lines[:3] == ["", "Usage:", first], res.out
    assert not emu.state.exists()


def test_question_mark_prints_usage_with_rc_0(emu):
    res = emu("add filter ?")
    assert res.rc == 0 and res.out.startswith("\r\nUsage:\r\n  filter [ filterlist = ] <string>\r\n")


def test_context_help(emu):
    res = emu("show")
    assert res.rc == 0
    assert res.out == "\r\n".join([
        "", "The following commands are available:", "", "Commands in this context:",
        "show all       - Displays details of all policies and related information.",
        "show filteraction - Displays filter action details.",
        "show filterlist - Displays filter list details.",
        "show gpoassignedpolicy - Displays details of a group assigned policy.",
        "show policy    - Displays policy details.",
        "show rule      - Displays rule details.",
        "show store     - Displays the current policy store.", ""])
    assert emu.argv(["ipsec", "static"]).out.split("\r\n")[4] == "?              - Displays a list of commands."
    for verb in ("add", "delete", "set"):
        assert re.search(rf"^{verb} \w+ +- ", emu(verb).out, re.M)


def test_show_store_and_gpoassignedpolicy(emu):
    assert emu("show store", NETSH_EMU_COMPUTERNAME="SRV01").raw == \
        b"\r\nStore                  : Local Store <SRV01>\r\n"
    assert emu("show gpoassignedpolicy").raw == \
        b"\r\nNo Group Policy assigned IPsec policy exists on this computer.\r\n"


def test_dump_and_other_contexts_are_not_emulated(emu):
    for argv in (["ipsec", "static", "dump"], ["ipsec", "dynamic", "show", "all"], ["firewall", "show"], []):
        res = emu.argv(argv)
        assert res.rc == 1 and "not supported by the netsh emulator" in res.out


def test_internal_errors_are_loud(emu, monkeypatch):
    from netsh_emulator import _netsh

    def boom(ctx, args):
        raise RuntimeError("bug")

    monkeypatch.setitem(_netsh.HANDLERS, ("add", "policy"), boom)
    res = emu("add policy P")
    assert res.rc == 3 and res.raw == b"" and b"RuntimeError: bug" in res.err


def test_fault_injection_fails_only_matching_changes(tmp_path):
    from netsh_emulator import run_netsh

    env = {"NETSH_EMU_STATE": str(tmp_path / "s.json"), "NETSH_EMU_FAIL_ON": "name=Doomed"}
    assert run_netsh(["ipsec", "static", "add", "policy", "name=Fine"], env)[0] == 0
    rc, out, dummy = run_netsh(["ipsec", "static", "add", "policy", "name=Doomed"], env)
    assert rc == 1 and out.startswith(b"ERR IPsec[05073]")
    rc, out, dummy = run_netsh(["ipsec", "static", "show", "policy", "all"], env)
    assert rc == 0 and b"Fine" in out and b"Doomed" not in out
