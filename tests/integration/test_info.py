"""ipsec_info through real ansible-playbook runs against the emulated host.

ipsec_info only reads, so its cycle is: read an empty store, the store after a create, in check
mode and diff mode (same answer, no diff, nothing written), after a modification and after a
removal; always unchanged and in exactly one round trip.
"""

from __future__ import annotations

from ipsec_support import EMPTY_STORE, by_name, is_read, task

CONFIG = {
    "filter_lists": [
        {"name": "Inbound web protocols", "description": "HTTP and HTTPS", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]},
        {"name": "All inbound traffic", "filters": [{"source": "any", "destination": "me"}]},
    ],
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
    "policies": [{
        "name": "Packet Filter",
        "rules": [
            {"name": "Inbound web protocols", "filter_list": "Inbound web protocols", "filter_action": "Permit"},
            {"name": "All inbound traffic", "filter_list": "All inbound traffic", "filter_action": "Block"},
        ],
    }],
    "assigned": "Packet Filter",
}


def info(name: str = "info") -> dict:
    return task("ipsec_info", {}, name)


def read(host, *, before: list | None = None, check: bool = False, diff: bool = False) -> dict:
    """Run ``before`` (tasks), then ipsec_info; assert the read is one round trip that writes nothing."""
    before = before or []
    played = host.play([*before, info()], check=check, diff=diff)
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("info")
    assert result["changed"] is False and "diff" not in result and "commands" not in result
    assert is_read(host.batches()[-1])
    return result["config"], played


def test_reads_the_store_as_it_changes_in_one_round_trip(host):
    config, played = read(host)
    assert config == EMPTY_STORE and played.round_trips == 1 and host.store_bytes() == b""

    # Create: ipsec_info reads exactly what the changing task reported as after.
    config, played = read(host, before=[task("ipsec_config", {"config": CONFIG}, "create")])
    assert config == played.task("create")["after"] and played.round_trips == 3
    assert config["assigned"] == "Packet Filter"
    web = by_name(config["filter_lists"], "Inbound web protocols")
    assert web["description"] == "HTTP and HTTPS" and [f["destination_port"] for f in web["filters"]] == [80, 443]
    assert [rule["filter_action"] for rule in by_name(config["policies"], "Packet Filter")["rules"]] == ["Block", "Permit"]
    # Independently: the emulator's own view of the same facts.
    shown = host.netsh("ipsec", "static", "show", "all")
    assert "Assigned               : YES\r\n" in shown and "Description            : HTTP and HTTPS\r\n" in shown

    # Re-read, also in check mode and diff mode: the same data, one round trip, nothing written.
    snapshot = host.store_bytes()
    for check, diff in ((False, False), (True, True)):
        again, played = read(host, check=check, diff=diff)
        assert again == config and played.round_trips == 1 and host.store_bytes() == snapshot
        assert "--- before" not in played.stdout

    # Modify, then remove: each read shows it.
    modify = task("ipsec_filter_list", {"name": "Inbound web protocols", "filters": [{"protocol": "tcp", "destination_port": 8443}]}, "modify")
    config, played = read(host, before=[modify])
    assert [f["destination_port"] for f in by_name(config["filter_lists"], "Inbound web protocols")["filters"]] == [8443]
    assert config == played.task("modify")["after"]

    remove = task("ipsec_config", {"state": "deleted", "config": CONFIG}, "remove")
    config, played = read(host, before=[remove])
    assert config == EMPTY_STORE == played.task("remove")["after"]


def test_a_chinese_windows_fails_loudly_naming_the_label_on_the_netsh_path(host):
    # Only some zh-CN labels are known (docs/netsh-output-format.md §7); the emulator prints the
    # others in English, as it assumes Windows does. The reader must stop with an error naming the
    # command and the first label it cannot place, never guess (DESIGN.md, "Fail loudly").
    created = host.play([task("ipsec_config", {"config": CONFIG}, "create")])
    assert created.rc == 0
    host.env["NETSH_EMU_LANG"] = "zh-CN"
    snapshot = host.store_bytes()
    played = host.play([task("ipsec_info", {"read_from": "netsh"}, "info", ignore_errors=True)])
    assert played.status("info") == "failed" and played.round_trips == 1 and host.store_bytes() == snapshot
    message = played.task("info")["msg"]
    assert message.startswith("cannot read the output of 'netsh ipsec static show policy all level=verbose'")
    assert "'描述'" in message  # the first label of the output that is not English
    assert message.endswith("(run the task with -vvvv to see what the host sent)")


def test_a_chinese_windows_reads_the_same_through_the_registry(host):
    # The registry holds the store, not its display: the language netsh speaks does not matter.
    created = host.play([task("ipsec_config", {"config": CONFIG}, "create")])
    assert created.rc == 0
    english = read(host)[0]
    host.env["NETSH_EMU_LANG"] = "zh-CN"
    assert read(host)[0] == english == created.task("create")["after"]
