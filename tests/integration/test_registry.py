"""The registry read path (the default) end to end: what only the registry shows (rules without a name),
what it refuses (a V2 filter block), names in any script on any code page, a regedit export read
without a host, and what a user can send us at -vvvv.

Rules without a name are made in the IP Security Policies console, which netsh cannot do; here one is
planted in the emulated host's store file (its rule's name emptied), which the emulator writes to the
registry as the console does, with an empty ``ipsecName``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ipsec_support import is_read, lifecycle_step, task, unchanged

FIXTURES = Path(__file__).resolve().parent.parent / "unit" / "fixtures" / "registry"
WIN11 = FIXTURES / "win11_gsecurity_2025-12_ipsec.reg"
BASE = {
    "filter_lists": [
        {"name": "LD - Web", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 80}]},
        {"name": "LD - Console list", "filters": [{"source": "any", "destination": "me", "protocol": "udp", "destination_port": 500}]},
    ],
    "filter_actions": [{"name": "LD - Permit", "action": "permit"}, {"name": "LD - Block", "action": "block"}],
    "policies": [{"name": "LD - Server", "rules": [
        {"name": "LD - Web", "filter_list": "LD - Web", "filter_action": "LD - Permit"},
        {"name": "made in the console", "filter_list": "LD - Console list", "filter_action": "LD - Block",
         "authentication": [{"pre_shared_key": "console-secret"}]},
    ]}],
}
UNNAMED = {
    "filter_list": "LD - Console list", "filter_action": "LD - Block", "activate": True, "connection_type": "all", "description": "",
    "tunnel": "", "authentication": [{"kerberos": None, "pre_shared_key": "********", "root_ca": None, "certmap": False, "exclude_ca_name": False}],
}


def with_console_rule(host) -> None:
    """Build BASE, then empty the name of its rule 'made in the console', as the console leaves it."""
    assert host.play([task("ipsec_config", {"config": BASE}, "base")]).rc == 0
    store = json.loads(host.state_file.read_text(encoding="utf-8"))
    (rule,) = [rule for rule in store["policies"][0]["rules"] if rule["name"] == "made in the console"]
    rule["name"] = ""
    host.state_file.write_text(json.dumps(store), encoding="utf-8")


def server(config: dict) -> dict:
    (policy,) = [policy for policy in config["policies"] if policy["name"] == "LD - Server"]
    return policy


def test_rules_without_a_name_are_shown_kept_and_go_with_their_policy(host):
    with_console_rule(host)
    info = host.play([task("ipsec_info", {}, "info")]).task("info")
    policy = server(info["config"])
    assert [rule["name"] for rule in policy["rules"]] == ["LD - Web"]
    assert policy["unnamed_rules"] == [UNNAMED]  # its key hidden, as everywhere
    assert "console-secret" not in json.dumps(info)

    # An exact rule set keeps the unnamed rule and says so; nothing changes on a re-run.
    exact = task("ipsec_policy", {"name": "LD - Server", "rules": [{"name": "LD - Web", "filter_list": "LD - Web", "filter_action": "LD - Permit"}]},
                 "exact")
    played = host.play([exact])
    result = played.task("exact")
    assert played.rc == 0 and result["changed"] is False and result["commands"] == []
    assert any("holds 1 rule(s) without a name" in warning for warning in result["warnings"])
    unchanged(host, exact)

    # overridden under a prefix that covers the policy: the named rules go, the unnamed one stays, and
    # the list and action it uses are kept for it.
    overridden = task("ipsec_config", {"state": "overridden", "owner_prefix": "LD - ", "config": {"policies": [{"name": "LD - Server", "rules": []}]}},
                      "overridden")
    result, read_back, played = lifecycle_step(host, overridden, [
        'netsh ipsec static delete rule "name=LD - Web" "policy=LD - Server"',
        'netsh ipsec static delete filterlist "name=LD - Web"',
        'netsh ipsec static delete filteraction "name=LD - Permit"',
    ])
    assert result["warnings"] == [
        "policy 'LD - Server' holds 1 rule(s) without a name (made in the IP Security Policies console); they are kept as they "
        "are, since netsh cannot address a rule without a name safely: name them in the console to manage them; the filter "
        "list(s) 'LD - Console list' they use stay too, although the desired state does not name it; the filter action(s) "
        "'LD - Block' they use stay too, although the desired state does not name it"]
    assert server(read_back)["rules"] == [] and server(read_back)["unnamed_rules"] == [UNNAMED]
    assert [item["name"] for item in read_back["filter_lists"]] == ["LD - Console list"]
    assert [item["name"] for item in read_back["filter_actions"]] == ["LD - Block"]

    # Removing the policy removes its rules, named or not, with it.
    removed, read_back, played = lifecycle_step(host, task("ipsec_policy", {"name": "LD - Server", "state": "absent"}, "remove"), [
        'netsh ipsec static delete policy "name=LD - Server"',
    ])
    assert read_back["policies"] == []


def test_a_filter_block_the_decoder_does_not_trust_fails_loudly_and_netsh_reads_it(host):
    ipv6 = {"filter_lists": [{"name": "IPv6 web", "filters": [{"source": "any", "destination": "2001:db8::1", "protocol": "tcp",
                                                               "destination_port": 443}]}]}
    created = host.play([task("ipsec_config", {"config": ipv6, "read_from": "netsh"}, "create")])
    assert created.rc == 0, created.stdout
    played = host.play([task("ipsec_info", {}, "info", ignore_errors=True)])
    assert played.status("info") == "failed" and played.round_trips == 1
    message = played.task("info")["msg"]
    assert message.startswith("cannot decode registry key 'ipsecFilter{")
    assert "V2" in message
    assert message.endswith("(run the task with -vvvv to see what the host sent; read_from: netsh reads the store through netsh instead)")
    netsh = host.play([task("ipsec_info", {"read_from": "netsh"}, "info")])
    assert netsh.rc == 0 and netsh.task("info")["config"]["filter_lists"][0]["name"] == "IPv6 web"


NAMES = ["中文", "Ελληνικά δίκτυα", "😀 emoji list", "combining é"]


def test_names_in_any_script_round_trip_through_the_registry_on_a_cp437_host(host):
    host.env["NETSH_EMU_CODEPAGE"] = "437"
    config = {"filter_lists": [{"name": name, "description": f"{name} description", "filters": []} for name in NAMES],
              "filter_actions": [{"name": "許可", "action": "permit"}]}
    created = host.play([task("ipsec_config", {"config": config}, "create"), task("ipsec_info", {}, "info")])
    assert created.rc == 0, created.stdout
    names = [item["name"] for item in created.task("info")["config"]["filter_lists"]]
    assert sorted(names) == sorted(NAMES)
    assert created.task("info")["config"]["filter_actions"][0]["name"] == "許可"
    unchanged(host, task("ipsec_config", {"config": config}, "create"))


def test_the_netsh_path_refuses_what_the_code_page_cannot_print_before_any_write(host):
    host.env["NETSH_EMU_CODEPAGE"] = "437"
    snapshot = host.store_bytes()
    played = host.play([task("ipsec_filter_list", {"name": "中文", "read_from": "netsh"}, "list", ignore_errors=True)])
    assert played.status("list") == "failed" and played.round_trips == 1 and host.store_bytes() == snapshot
    assert played.task("list")["msg"] == (
        "the filter list name '中文' has characters that netsh cannot print in the host's code page 437 ('中', '文'), so "
        "read_from=netsh would never read it back as written; read the store from the registry (read_from: registry, "
        "the default), which keeps any character")
    # What the code page has is fine on that path too.
    accepted = host.play([task("ipsec_filter_list", {"name": "Café", "read_from": "netsh"}, "list")])
    assert accepted.rc == 0 and accepted.task("list")["changed"] is True


def test_a_regedit_export_is_read_without_a_host(host, tmp_path):
    utf16 = tmp_path / "exported.reg"
    utf16.write_bytes(WIN11.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-16"))  # as regedit saves it
    batches = len(host.batches())
    played = host.play([
        task("ipsec_config", {"state": "parsed", "running_config_file": str(utf16)}, "file"),
        task("ipsec_config", {"state": "parsed", "running_config": WIN11.read_text(encoding="utf-8"), "running_config_format": "reg"}, "text"),
        task("ipsec_info", {}, "info"),
    ])
    assert played.rc == 0, played.stdout
    parsed = played.task("file")["parsed"]
    assert parsed == played.task("text")["parsed"]
    assert len(host.batches()) == batches + 1  # only ipsec_info went to the host
    assert parsed["policies"] and all("unnamed_rules" in policy for policy in parsed["policies"])
    refused = host.play([task("ipsec_config", {"state": "parsed", "running_config": "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_BOGUS\\x]\r\n",
                                               "running_config_format": "reg"}, "bad", ignore_errors=True)])
    assert refused.status("bad") == "failed"
    assert "line 3" in refused.task("bad")["msg"] and "HKEY_BOGUS" in refused.task("bad")["msg"]


def test_every_round_trip_is_visible_at_vvvv_with_keys_hidden(host):
    with_console_rule(host)
    played = host.play([task("ipsec_info", {}, "info")], verbosity=4)
    assert played.rc == 0
    out = played.stdout
    assert "console-secret" not in out and "console-secret".encode("utf-16-le").hex() not in out
    assert 'lockdown.ipsec.ipsec_info: round trip 1: request {"stop_on_error": false, "files": [], "commands": [], "registry": true}' in out
    assert "lockdown.ipsec.ipsec_info: round trip 1: answer with exit code 0," in out
    assert "lockdown.ipsec.ipsec_info: round trip 1: what the host sent (pre-shared keys hidden): {" in out
    assert "********" in out
    assert "ipsecNFA{" in out and "ipsecData" in out  # the raw registry values, binary in hex
    assert is_read(host.batches()[-1])


def test_a_console_made_template_is_reviewed_and_applied_declaratively(host, tmp_path):
    """Seed 002 distributes its template as a regedit export of a console-made policy: read it without
    a host, name its rules, review the change with --check --diff, apply it, and re-run unchanged."""
    template = tmp_path / "template.reg"
    template.write_bytes(WIN11.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-16"))
    read = task("ipsec_config", {"state": "parsed", "running_config_file": str(template)}, "read", register="template")
    apply = task("ipsec_config", {"config": "{{ template.parsed | lockdown.ipsec.ipsec_name_rules }}"}, "apply")
    reviewed = host.play([read, apply], check=True, diff=True)
    assert reviewed.rc == 0, reviewed.stdout
    predicted = reviewed.task("apply")
    assert predicted["changed"] is True and host.store_bytes() == b""
    assert '+add rule "name=Block List" "policy=GSecurity Policy" "filterlist=Block List" filteraction=Block' in reviewed.stdout
    applied = host.play([read, apply, task("ipsec_info", {}, "info")])
    assert applied.rc == 0, applied.stdout
    assert applied.task("apply")["commands"] == predicted["commands"]
    config = applied.task("info")["config"]
    assert config == applied.task("apply")["after"]
    (policy,) = config["policies"]
    assert [rule["name"] for rule in policy["rules"]] == ["Allow List", "Block List"] and "unnamed_rules" not in policy
    assert config["assigned"] == "GSecurity Policy"
    parsed = applied.task("read")["parsed"]
    assert config["filter_lists"] == parsed["filter_lists"] and config["filter_actions"] == parsed["filter_actions"]
    again = host.play([read, apply])
    assert again.rc == 0 and again.task("apply")["changed"] is False
