"""ipsec_policy through real ansible-playbook runs against the emulated host."""

from __future__ import annotations


from ipsec_support import by_name, lifecycle_step, task, unchanged

# Seed 000's lists and actions, made beforehand in one task (ipsec_policy needs them to exist).
LISTS_AND_ACTIONS = {
    "filter_lists": [
        {"name": "Inbound web protocols", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]},
        {"name": "Inbound/outbound mail", "filters": [
            {"protocol": "tcp", "destination_port": [110, 995, 143, 993, 25]},
            {"source": "me", "destination": "any", "protocol": "tcp", "destination_port": 25},
        ]},
        {"name": "All inbound traffic", "filters": [{"source": "any", "destination": "me"}]},
    ],
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
}
WEB_RULE = {"name": "Inbound web protocols", "filter_list": "Inbound web protocols", "filter_action": "Permit",
            "authentication": [{"kerberos": True}]}
MAIL_RULE = {"name": "Inbound/outbound mail", "filter_list": "Inbound/outbound mail", "filter_action": "Permit"}
BLOCK_RULE = {"name": "All inbound traffic", "filter_list": "All inbound traffic", "filter_action": "Block"}
PACKET_FILTER = {"name": "Packet Filter", "default_response_rule": {"activate": False}, "rules": [WEB_RULE, BLOCK_RULE]}


def policy(args: dict, name: str = "policy") -> dict:
    return task("ipsec_policy", args, name)


def setup(host) -> None:
    played = host.play([task("ipsec_config", {"config": LISTS_AND_ACTIONS}, "setup")])
    assert played.rc == 0 and played.task("setup")["changed"] is True


def test_create_rerun_check_diff_modify_remove(host):
    setup(host)
    dummy, read_back, played = lifecycle_step(host, policy(PACKET_FILTER), [
        'netsh ipsec static add policy "name=Packet Filter" mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0 '
        '"mmsecmethods=3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1"',
        'netsh ipsec static add rule "name=Inbound web protocols" "policy=Packet Filter" "filterlist=Inbound web protocols" '
        "filteraction=Permit activate=yes conntype=all kerberos=yes",
        'netsh ipsec static set defaultrule "policy=Packet Filter" activate=no qmpfs=no qmsecmethods=',
        'netsh ipsec static add rule "name=All inbound traffic" "policy=Packet Filter" "filterlist=All inbound traffic" '
        "filteraction=Block activate=yes conntype=all",
    ])
    made = by_name(read_back["policies"], "Packet Filter")
    assert [rule["name"] for rule in made["rules"]] == ["All inbound traffic", "Inbound web protocols"]
    assert made["default_response_rule"]["activate"] is False
    assert by_name(made["rules"], "Inbound web protocols")["authentication"][0]["kerberos"] is True
    assert read_back["assigned"] == ""  # ipsec_policy never assigns
    assert ('+add rule "name=All inbound traffic" "policy=Packet Filter" "filterlist=All inbound traffic" '
            "filteraction=Block activate=yes conntype=all") in played.stdout
    shown = host.netsh("ipsec", "static", "show", "policy", "name=Packet Filter", "level=verbose")
    assert "No. of Rules           : 2\r\n" in shown and "Assigned               : NO\r\n" in shown

    unchanged(host, policy(PACKET_FILTER))
    unchanged(host, policy({"name": "Packet Filter"}))  # nothing given, nothing managed

    # Modify, rules exact: the mail rule replaces the web rule, and two policy settings change.
    # The permit is added before the web permit is deleted; nothing is deleted and re-added.
    web_to_mail = dict(PACKET_FILTER, description="Mail server", polling_interval=60, rules=[MAIL_RULE, BLOCK_RULE])
    dummy, read_back, played = lifecycle_step(host, policy(web_to_mail), [
        'netsh ipsec static set policy "name=Packet Filter" "description=Mail server" pollinginterval=60',
        'netsh ipsec static add rule "name=Inbound/outbound mail" "policy=Packet Filter" "filterlist=Inbound/outbound mail" filteraction=Permit',
        'netsh ipsec static delete rule "name=Inbound web protocols" "policy=Packet Filter"',
    ])
    made = by_name(read_back["policies"], "Packet Filter")
    assert [rule["name"] for rule in made["rules"]] == ["All inbound traffic", "Inbound/outbound mail"]
    # A rule added to an existing policy without settings gets netsh's defaults, as predicted.
    assert by_name(made["rules"], "Inbound/outbound mail")["activate"] is True
    assert made["description"] == "Mail server" and made["polling_interval"] == 60
    assert '-add rule "name=Inbound web protocols"' in played.stdout
    unchanged(host, policy(web_to_mail))

    # rules_mode merge: the web rule comes back inactive, the others stay.
    dummy, read_back, played = lifecycle_step(host, policy({
        "name": "Packet Filter", "rules_mode": "merge", "rules": [dict(WEB_RULE, activate=False, authentication=None)],
    }), [
        'netsh ipsec static add rule "name=Inbound web protocols" "policy=Packet Filter" "filterlist=Inbound web protocols" '
        "filteraction=Permit activate=no",
    ])
    assert [rule["name"] for rule in by_name(read_back["policies"], "Packet Filter")["rules"]] == [
        "All inbound traffic", "Inbound web protocols", "Inbound/outbound mail",
    ]

    # Remove (rules go with the policy, lists and actions stay), then again: nothing to do.
    dummy, read_back, played = lifecycle_step(host, policy({"name": "Packet Filter", "state": "absent"}), [
        'netsh ipsec static delete policy "name=Packet Filter"',
    ])
    assert read_back["policies"] == []
    assert len(read_back["filter_lists"]) == 3 and len(read_back["filter_actions"]) == 2
    assert "IPsec[05072]" in host.netsh("ipsec", "static", "show", "policy", "all")
    unchanged(host, policy({"name": "Packet Filter", "state": "absent"}))


def test_absent_with_delete_unused_keeps_what_another_policy_uses(host):
    # Seed 000: "ipsecpol -w REG -p policyname -o" deletes the policy with its lists and actions;
    # here only those that no other policy uses.
    setup(host)
    played = host.play([
        policy(dict(PACKET_FILTER, rules=[WEB_RULE, MAIL_RULE, BLOCK_RULE]), "packet filter"),
        policy({"name": "Other", "rules": [BLOCK_RULE]}, "other"),
    ])
    assert played.rc == 0 and played.round_trips == 4
    gone = {"name": "Packet Filter", "state": "absent", "delete_unused": True}
    dummy, read_back, played = lifecycle_step(host, policy(gone), [
        'netsh ipsec static delete policy "name=Packet Filter"',
        'netsh ipsec static delete filterlist "name=Inbound web protocols"',
        'netsh ipsec static delete filterlist "name=Inbound/outbound mail"',
        "netsh ipsec static delete filteraction name=Permit",
    ])
    assert [item["name"] for item in read_back["filter_lists"]] == ["All inbound traffic"]
    assert [item["name"] for item in read_back["filter_actions"]] == ["Block"]
    assert [item["name"] for item in read_back["policies"]] == ["Other"]
    unchanged(host, policy(gone))


def test_main_mode_settings_and_mmpfs(host):
    # mmpfs on with qm_per_mm left out: netsh forces one quick mode per main mode, and so does the plan.
    secure = {"name": "Secure", "mmpfs": True, "mm_lifetime": 60, "mm_security_methods": ["3des-sha1-3", "DES-MD5-1"]}
    dummy, read_back, dummy = lifecycle_step(host, policy(secure), [
        'netsh ipsec static add policy name=Secure mmpfs=yes pollinginterval=180 mmlifetime=60 qmpermm=1 "mmsecmethods=3DES-SHA1-3 DES-MD5-1"',
        "netsh ipsec static set defaultrule policy=Secure activate=no qmpfs=no qmsecmethods=",
    ])
    made = by_name(read_back["policies"], "Secure")
    assert (made["mmpfs"], made["qm_per_mm"], made["mm_lifetime"]) == (True, 1, 60)
    assert made["mm_security_methods"] == ["3DES-SHA1-3", "DES-MD5-1"]
    assert "Master PFS             : YES\r\n" in host.netsh("ipsec", "static", "show", "policy", "name=Secure", "level=verbose")
    unchanged(host, policy(secure))


def test_a_tunnel_is_an_address_and_a_dns_name_is_refused(host):
    """netsh resolves a DNS tunnel end point and shows the address (A-45), so a name could never be
    idempotent: it is refused before anything runs, and an address tunnel converges."""
    host.play([task("ipsec_config", {"config": {
        "filter_lists": [{"name": "Site", "filters": [{"source": "10.1.0.0/16"}]}],
        "filter_actions": [{"name": "Require", "action": "negotiate"}],
    }}, "setup")])
    by_name = policy({"name": "Tunnel", "rules": [{"name": "to site", "filter_list": "Site", "filter_action": "Require",
                                                   "tunnel": "gw.example.com", "authentication": [{"kerberos": True}]}]})
    snapshot = host.store_bytes()
    refused = host.play([by_name])
    assert refused.status("policy") == "failed" and refused.round_trips == 0 and host.store_bytes() == snapshot
    assert "rules[0].tunnel" in refused.task("policy")["msg"] and "'gw.example.com'" in refused.task("policy")["msg"]
    by_address = policy({"name": "Tunnel", "rules": [{"name": "to site", "filter_list": "Site", "filter_action": "Require",
                                                      "tunnel": "192.0.2.7", "authentication": [{"kerberos": True}]}]})
    created = host.play([by_address])
    assert created.task("policy")["changed"] is True
    unchanged(host, by_address)
