"""ipsec_config in every state: merged, replaced, overridden, deleted, gathered, rendered, parsed."""

from __future__ import annotations

from ipsec_support import by_name, is_read, lifecycle_step, predict, stable, task, unchanged

PREFIX = "APS - "

OWNED = {
    "filter_actions": [
        {"name": "APS - Permit", "action": "permit"},
        {"name": "APS - Deny", "action": "block", "description": "Drop"},
    ],
    "filter_lists": [
        {"name": "APS - HTTP Server", "description": "Web", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]},
        {"name": "APS - DNS Client", "filters": [
            {"source": "me", "destination": "any", "protocol": "udp", "destination_port": 53},
            {"source": "me", "destination": "any", "protocol": "tcp", "destination_port": 53},
        ]},
        {"name": "APS - All TCP", "filters": [{"protocol": "tcp"}]},
    ],
    "policies": [{
        "name": "APS - AnalogX Public Server",
        "description": "Role template",
        "default_response_rule": {"activate": False},
        "rules": [
            {"name": "APS - HTTP Server", "filter_list": "APS - HTTP Server", "filter_action": "APS - Permit"},
            {"name": "APS - DNS Client", "filter_list": "APS - DNS Client", "filter_action": "APS - Permit"},
            {"name": "APS - Deny TCP", "filter_list": "APS - All TCP", "filter_action": "APS - Deny"},
        ],
    }],
    "assigned": "APS - AnalogX Public Server",
}

# Objects outside the owner prefix: made by someone else, never to be touched by a prefixed task.
FOREIGN = {
    "filter_lists": [{"name": "Foreign list", "filters": [{"source": "10.9.9.9"}]}],
    "filter_actions": [{"name": "Foreign action", "action": "permit"}],
    "policies": [{"name": "Foreign policy", "rules": [
        {"name": "Foreign rule", "filter_list": "Foreign list", "filter_action": "Foreign action"},
    ]}],
}


def config(args: dict, name: str = "config") -> dict:
    return task("ipsec_config", args, name)


def build(host, *configs: dict) -> dict:
    """Merge ``configs`` in one play; return the last task's result."""
    played = host.play([config({"state": "merged", "config": item}, f"build {index}") for index, item in enumerate(configs)])
    assert played.rc == 0, played.stdout
    return played.task(f"build {len(configs) - 1}")


def foreign_text(host) -> str:
    """The emulator's own view of the foreign objects, without the lines that change on every write."""
    return stable(host.netsh("ipsec", "static", "show", "policy", "name=Foreign policy", "level=verbose")
                  + host.netsh("ipsec", "static", "show", "filterlist", "name=Foreign list", "level=verbose")
                  + host.netsh("ipsec", "static", "show", "filteraction", "name=Foreign action", "level=verbose"))


def test_merged_adds_and_changes_only_what_is_given(host):
    build(host, OWNED)
    unchanged(host, config({"state": "merged", "config": OWNED}))
    partial = {
        # a filter more (the two on the host stay), the description left out (kept)
        "filter_lists": [{"name": "APS - HTTP Server", "filters": [{"protocol": "tcp", "destination_port": 8080}]}],
        # a rule more, the three on the host stay; the policy's description left out (kept)
        "policies": [{"name": "APS - AnalogX Public Server", "rules": [
            {"name": "APS - Alt HTTP", "filter_list": "APS - HTTP Server", "filter_action": "APS - Permit", "activate": False},
        ]}],
    }
    dummy, read_back, dummy = lifecycle_step(host, config({"state": "merged", "config": partial}), [
        'netsh ipsec static add filter "filterlist=APS - HTTP Server" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=8080 mirrored=yes',
        'netsh ipsec static add rule "name=APS - Alt HTTP" "policy=APS - AnalogX Public Server" "filterlist=APS - HTTP Server" '
        '"filteraction=APS - Permit" activate=no',
    ])
    web = by_name(read_back["filter_lists"], "APS - HTTP Server")
    assert [f["destination_port"] for f in web["filters"]] == [80, 443, 8080] and web["description"] == "Web"
    policy = by_name(read_back["policies"], "APS - AnalogX Public Server")
    assert len(policy["rules"]) == 4 and policy["description"] == "Role template"
    assert read_back["assigned"] == "APS - AnalogX Public Server"


def test_replaced_makes_given_objects_exact_and_resets_what_is_left_out(host):
    build(host, OWNED, FOREIGN)
    unchanged(host, config({"state": "replaced", "config": OWNED}))
    foreign = foreign_text(host)
    replacement = {
        # only 443 stays; the description left out goes back to none
        "filter_lists": [{"name": "APS - HTTP Server", "filters": [{"protocol": "tcp", "destination_port": 443}]}],
        # the description left out goes back to none; the action is required to replace
        "filter_actions": [{"name": "APS - Deny", "action": "block"}],
    }
    replaced, read_back, dummy = lifecycle_step(host, config({"state": "replaced", "config": replacement}), [
        'netsh ipsec static set filteraction "name=APS - Deny" description=',
        'netsh ipsec static set filterlist "name=APS - HTTP Server" description=',
        'netsh ipsec static delete filter "filterlist=APS - HTTP Server" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes',
    ])
    web = by_name(read_back["filter_lists"], "APS - HTTP Server")
    assert web["description"] == "" and [f["destination_port"] for f in web["filters"]] == [443]
    assert by_name(read_back["filter_actions"], "APS - Deny")["description"] == ""
    # Objects replaced leaves out are untouched: the other APS lists and the foreign ones.
    assert by_name(read_back["filter_lists"], "APS - DNS Client") == by_name(replaced["before"]["filter_lists"], "APS - DNS Client")
    assert foreign_text(host) == foreign
    unchanged(host, config({"state": "replaced", "config": replacement}))


def test_overridden_deletes_unnamed_objects_under_the_prefix_only(host):
    # Made first, without the prefix: they must survive every prefixed task below.
    build(host, FOREIGN, OWNED)
    foreign = foreign_text(host)
    unchanged(host, config({"state": "overridden", "owner_prefix": PREFIX, "config": OWNED}))

    # The DNS client role goes: its list and rule are deleted because the config no longer names them.
    smaller = {**OWNED, "filter_lists": [item for item in OWNED["filter_lists"] if item["name"] != "APS - DNS Client"],
               "policies": [dict(OWNED["policies"][0], rules=[rule for rule in OWNED["policies"][0]["rules"]
                                                              if rule["name"] != "APS - DNS Client"])]}
    dummy, read_back, played = lifecycle_step(host, config({"state": "overridden", "owner_prefix": PREFIX, "config": smaller}), [
        'netsh ipsec static delete rule "name=APS - DNS Client" "policy=APS - AnalogX Public Server"',
        'netsh ipsec static delete filterlist "name=APS - DNS Client"',
    ])
    assert [item["name"] for item in read_back["filter_lists"]] == ["APS - All TCP", "APS - HTTP Server", "Foreign list"]
    assert foreign_text(host) == foreign
    assert '-add filterlist "name=APS - DNS Client"' in played.stdout

    # An empty config under the prefix deletes everything the prefix owns, and nothing else.
    dummy, read_back, played = lifecycle_step(host, config({"state": "overridden", "owner_prefix": PREFIX, "config": {}}), [
        'netsh ipsec static set policy "name=APS - AnalogX Public Server" assign=no',
        'netsh ipsec static delete policy "name=APS - AnalogX Public Server"',
        'netsh ipsec static delete filterlist "name=APS - All TCP"',
        'netsh ipsec static delete filterlist "name=APS - HTTP Server"',
        'netsh ipsec static delete filteraction "name=APS - Deny"',
        'netsh ipsec static delete filteraction "name=APS - Permit"',
    ])
    assert [item["name"] for item in read_back["filter_lists"]] == ["Foreign list"]
    assert [item["name"] for item in read_back["filter_actions"]] == ["Foreign action"]
    assert [item["name"] for item in read_back["policies"]] == ["Foreign policy"]
    assert foreign_text(host) == foreign


def test_deleted_with_config_and_with_only_the_prefix(host):
    build(host, FOREIGN, OWNED)
    foreign = foreign_text(host)
    # With config: exactly the named objects (the policy takes its rules with it).
    named = {"policies": [{"name": "APS - AnalogX Public Server"}], "filter_lists": [{"name": "APS - DNS Client"}]}
    dummy, read_back, dummy = lifecycle_step(host, config({"state": "deleted", "config": named}), [
        'netsh ipsec static set policy "name=APS - AnalogX Public Server" assign=no',
        'netsh ipsec static delete policy "name=APS - AnalogX Public Server"',
        'netsh ipsec static delete filterlist "name=APS - DNS Client"',
    ])
    assert [item["name"] for item in read_back["filter_lists"]] == ["APS - All TCP", "APS - HTTP Server", "Foreign list"]
    assert [item["name"] for item in read_back["policies"]] == ["Foreign policy"] and read_back["assigned"] == ""
    unchanged(host, config({"state": "deleted", "config": named}))

    # Without config, with the prefix: everything under it, nothing else.
    swept, read_back, dummy = lifecycle_step(host, config({"state": "deleted", "owner_prefix": PREFIX}), [
        'netsh ipsec static delete filterlist "name=APS - All TCP"',
        'netsh ipsec static delete filterlist "name=APS - HTTP Server"',
        'netsh ipsec static delete filteraction "name=APS - Deny"',
        'netsh ipsec static delete filteraction "name=APS - Permit"',
    ])
    assert read_back == {
        "filter_lists": [by_name(swept["before"]["filter_lists"], "Foreign list")],
        "filter_actions": [by_name(swept["before"]["filter_actions"], "Foreign action")],
        "policies": swept["before"]["policies"],  # only the foreign policy was left
        "assigned": "",
    }
    assert foreign_text(host) == foreign
    unchanged(host, config({"state": "deleted", "owner_prefix": PREFIX}))


def test_gathered_fed_back_is_unchanged(host):
    build(host, OWNED)
    snapshot = host.store_bytes()
    played = host.play([
        config({"state": "gathered"}, "gathered") | {"register": "store"},
        config({"state": "overridden", "owner_prefix": PREFIX, "config": "{{ store.gathered }}"}, "overridden"),
        config({"state": "replaced", "config": "{{ store.gathered }}"}, "replaced"),
        config({"state": "merged", "config": "{{ store.gathered }}"}, "merged"),
    ])
    assert played.rc == 0, played.stdout
    gathered = played.task("gathered")
    assert gathered["changed"] is False and "commands" not in gathered
    assert gathered["gathered"]["assigned"] == "APS - AnalogX Public Server"
    assert len(gathered["gathered"]["filter_lists"]) == 3
    for state in ("overridden", "replaced", "merged"):
        result = played.task(state)
        assert result["changed"] is False and result["commands"] == [], state
        assert result["after"] == gathered["gathered"]
    assert played.round_trips == 4 and all(is_read(batch) for batch in host.batches()[-4:])
    assert host.store_bytes() == snapshot

    # gathered in check mode: the same data, one round trip.
    checked = host.play([config({"state": "gathered"}, "gathered")], check=True)
    assert checked.task("gathered")["gathered"] == gathered["gathered"] and checked.round_trips == 1


def test_rendered_and_parsed_need_no_host(host):
    # rendered: the commands that create the config on an empty store; no round trip at all. They
    # are the commands a real create on an empty host runs.
    offline = host.play([config({"state": "rendered", "config": OWNED}, "rendered")])
    assert offline.rc == 0 and offline.round_trips == 0 and host.store_bytes() == b""
    rendered = offline.task("rendered")
    assert rendered["changed"] is False and "before" not in rendered
    created = build(host, OWNED)
    assert rendered["rendered"] == created["commands"]
    assert rendered["rendered"][-1] == 'netsh ipsec static set policy "name=APS - AnalogX Public Server" assign=yes'

    # parsed: the emulator's `show all` text, read without a host, is what gathered reads.
    text = host.netsh("ipsec", "static", "show", "all")
    assert "Policy Name            : APS - AnalogX Public Server" in text
    played = host.play([
        config({"state": "parsed", "running_config": text}, "parsed"),
        config({"state": "gathered"}, "gathered"),
    ])
    assert played.rc == 0 and played.round_trips == 1  # the gathered task's read; parsed none
    parsed = played.task("parsed")
    assert parsed["changed"] is False
    assert parsed["parsed"] == played.task("gathered")["gathered"] == created["after"]


def test_check_mode_predicts_overridden_exactly(host):
    build(host, FOREIGN, OWNED)
    role_change = {
        "filter_actions": OWNED["filter_actions"],
        "filter_lists": [{"name": "APS - Mail", "filters": [{"protocol": "tcp", "destination_port": [25, 110]}]},
                         {"name": "APS - All TCP", "filters": [{"protocol": "tcp"}]}],
        "policies": [{"name": "APS - AnalogX Public Server", "rules": [
            {"name": "APS - Mail", "filter_list": "APS - Mail", "filter_action": "APS - Permit"},
            {"name": "APS - Deny TCP", "filter_list": "APS - All TCP", "filter_action": "APS - Deny"},
        ]}],
        "assigned": "APS - AnalogX Public Server",
    }
    one_task = config({"state": "overridden", "owner_prefix": PREFIX, "config": role_change})
    predicted = predict(host, one_task)
    commands = predicted["commands"]
    # Make before break on the assigned policy: the mail permit is in place before any permit goes.
    assert commands.index('netsh ipsec static add rule "name=APS - Mail" "policy=APS - AnalogX Public Server" '
                          '"filterlist=APS - Mail" "filteraction=APS - Permit" activate=yes conntype=all') < commands.index(
        'netsh ipsec static delete rule "name=APS - HTTP Server" "policy=APS - AnalogX Public Server"')
    # The policy is replaced: its description and settings left out go back to the created defaults.
    assert 'netsh ipsec static set policy "name=APS - AnalogX Public Server" description=' in commands
    lifecycle_step(host, one_task, commands)
    unchanged(host, one_task)
