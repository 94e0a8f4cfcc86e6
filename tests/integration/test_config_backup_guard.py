"""ipsec_config's ``backup`` and ``guard`` through real ansible-playbook runs (A-100, A-101).

``backup``: the export is the first command of the one write batch (a change still costs a read and a
write), holds the store as it was before the change, overwrites an existing file, is not run when
nothing changes or in check mode, and a failed export leaves every change unrun.

``guard``: the packets are decided against the store as it will be (objects outside the owner prefix
and whatever will be assigned included), after the read and before any write, in check mode too; a
refusal names the packet, the deciding rule and filter, and says that nothing was changed.
"""

from __future__ import annotations

import json

import pytest
from ipsec_support import READ_BACK, is_read, read_back_task, read_request, task, write_batch

PREFIX = "GB - "
POLICY = "GB - Lockdown"
MANAGEMENT = {"source": "203.0.113.1", "destination_port": 5985}
GUARD = {"packets": [MANAGEMENT]}

# Everything inbound blocked, nothing permitted: WinRM over HTTP from 203.0.113.1 is locked out.
BLOCKING = {
    "filter_actions": [{"name": "GB - Block", "action": "block"}],
    "filter_lists": [{"name": "GB - All Inbound", "filters": [{"source": "any", "destination": "me"}]}],
    "policies": [{
        "name": POLICY,
        "default_response_rule": {"activate": False},
        "rules": [{"name": "GB - Block Inbound", "filter_list": "GB - All Inbound", "filter_action": "GB - Block"}],
    }],
    "assigned": POLICY,
}
# The same policy with a permit for the management channel (the more specific filter wins).
PERMITTING = {
    "filter_actions": [*BLOCKING["filter_actions"], {"name": "GB - Permit", "action": "permit"}],
    "filter_lists": [
        *BLOCKING["filter_lists"],
        {"name": "GB - Management", "filters": [{"source": "203.0.113.1", "destination": "me", "protocol": "tcp", "destination_port": 5985}]},
    ],
    "policies": [{
        "name": POLICY,
        "default_response_rule": {"activate": False},
        "rules": [
            {"name": "GB - Management", "filter_list": "GB - Management", "filter_action": "GB - Permit"},
            {"name": "GB - Block Inbound", "filter_list": "GB - All Inbound", "filter_action": "GB - Block"},
        ],
    }],
    "assigned": POLICY,
}
# A store object outside the owner prefix, which overridden leaves alone.
FOREIGN_LIST = {"filter_lists": [{"name": "Admin tools", "filters": [{"source": "10.1.1.1", "protocol": "tcp", "destination_port": 8443}]}]}
# A policy outside the prefix that blocks everything inbound, assigned.
FOREIGN_BLOCK = {
    "filter_actions": [{"name": "Foreign Block", "action": "block"}],
    "filter_lists": [{"name": "Foreign All Inbound", "filters": [{"source": "any", "destination": "me"}]}],
    "policies": [{
        "name": "Foreign Lockdown",
        "default_response_rule": {"activate": False},
        "rules": [{"name": "Foreign Block Inbound", "filter_list": "Foreign All Inbound", "filter_action": "Foreign Block"}],
    }],
    "assigned": "Foreign Lockdown",
}

EXPORT_FORMAT = "lockdown-ipsec-netsh-emulator-export"
# What the emulator's exportpolicy leaves out of its store document (tests/emulator/netsh_emulator/_transfer.py).
NOT_EXPORTED = ("batch_mode", "guid_counter", "held_objects")
ADVICE = "Permit the guard's packets in the policy that will be assigned."


def config_task(args: dict, name: str = "config", **keywords) -> dict:
    return task("ipsec_config", args, name, **keywords)


def overridden(config: dict, **options) -> dict:
    return config_task({"state": "overridden", "owner_prefix": PREFIX, "config": config, **options})


def seed(host, *configs: dict) -> dict:
    """Merge each config (no owner prefix, no guard) and return the store read back afterwards."""
    tasks = [config_task({"state": "merged", "config": config}, f"seed {index}") for index, config in enumerate(configs)]
    played = host.play([*tasks, read_back_task()])
    assert played.rc == 0, played.stdout + played.stderr
    return played.task(READ_BACK)["config"]


def store_document(host) -> dict:
    """The emulated host's store as its state file holds it."""
    return json.loads(host.store_bytes())


def refusal(*reasons: str) -> str:
    """The message of a guard refusal (``_guard.refuse_lockout``) with the advice of ipsec_config."""
    return (f"Refusing the change: it would or could block the management channel: {'; '.join(reasons)}. "
            f"Nothing was changed on the host. {ADVICE}")


def verdict(*, policy, action, rule, filter_list, source="203.0.113.1", destination="me", protocol="tcp", source_port=0,
            destination_port=5985, safe=True) -> dict:
    """One entry of the result's ``guard`` (``GuardVerdict.to_data``), as RETURN documents it."""
    return {"source": source, "destination": destination, "protocol": protocol, "source_port": source_port,
            "destination_port": destination_port, "policy": policy, "action": action, "rule": rule,
            "filter_list": filter_list, "order_dependent": False, "safe": safe}


def assert_verdicts(found: list, expected: list) -> None:
    """``found`` is ``expected`` exactly, entry by entry and key by key."""
    assert found == expected


# --- backup -----------------------------------------------------------------------------------------


def test_backup_exports_the_store_before_the_change_as_the_first_command_of_the_write_batch(host):
    before = seed(host, FOREIGN_LIST)
    document_before = store_document(host)
    folder = host.workdir / "backups"
    folder.mkdir()
    path = str(folder / "before.ipsec")
    (folder / "before.ipsec").write_text("an older file, to be overwritten\n", encoding="utf-8")

    batches = len(host.batches())
    played = host.play([overridden(PERMITTING, backup=True, backup_options={"path": path}), read_back_task()])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert result["changed"] is True
    assert result["backup_path"] == path
    assert result["before"] == before
    # The task's own two round trips (a read, one write batch that opens with the export), then the read back.
    new = host.batches()[batches:]
    assert played.round_trips == 3 and len(new) == 3
    assert is_read(new[0]) and is_read(new[2])
    assert new[1]["commands"][0] == f"ipsec static exportpolicy file={path}"
    assert new[1] == write_batch([f"netsh ipsec static exportpolicy file={path}", *result["commands"]])
    assert not any("exportpolicy" in command for command in result["commands"])

    # The export holds the store exactly as it was before the change (the older file was overwritten).
    exported = json.loads((folder / "before.ipsec").read_text(encoding="utf-8"))
    assert exported["format"] == EXPORT_FORMAT
    assert exported["store"] == {key: value for key, value in document_before.items() if key not in NOT_EXPORTED}
    assert [item["name"] for item in exported["store"]["filterlists"]] == ["Admin tools"]
    assert exported["store"]["policies"] == [] and exported["store"]["filteractions"] == []

    # The store after is the new one.
    after = played.task(READ_BACK)
    assert after["config"] == result["after"]
    assert after["config"]["assigned"] == POLICY
    assert [item["name"] for item in after["config"]["filter_lists"]] == ["Admin tools", "GB - All Inbound", "GB - Management"]
    assert [item["name"] for item in after["config"]["filter_actions"]] == ["GB - Block", "GB - Permit"]
    assert store_document(host) != document_before


def test_backup_is_not_exported_when_nothing_changes_nor_in_check_mode(host):
    path = host.workdir / "backup.ipsec"
    applied = host.play([overridden(PERMITTING)])
    assert applied.rc == 0, applied.stdout + applied.stderr
    snapshot = host.store_bytes()

    # Nothing to change: one read, no export, no backup_path.
    batches = len(host.batches())
    again = host.play([overridden(PERMITTING, backup=True, backup_options={"path": str(path)})])
    assert again.rc == 0, again.stdout + again.stderr
    result = again.task("config")
    assert result["changed"] is False and result["commands"] == []
    assert "backup_path" not in result
    assert again.round_trips == 1 and host.batches()[batches:] == [read_request()]
    assert not path.exists()
    assert host.store_bytes() == snapshot

    # A change in check mode: one read, no export, nothing written.
    batches = len(host.batches())
    checked = host.play([overridden(BLOCKING, backup=True, backup_options={"path": str(path)})], check=True)
    assert checked.rc == 0, checked.stdout + checked.stderr
    result = checked.task("config")
    assert result["changed"] is True
    assert result["commands"] and not any("exportpolicy" in command for command in result["commands"])
    assert "backup_path" not in result
    assert checked.round_trips == 1 and host.batches()[batches:] == [read_request()]
    assert not path.exists()
    assert host.store_bytes() == snapshot


def _unwritable_backup(host):
    """A change whose backup goes to a folder the host does not have: (play, backup path, batches
    before the play, store bytes before the play)."""
    seed(host, FOREIGN_LIST)
    snapshot = host.store_bytes()
    path = str(host.workdir / "no-such-folder" / "before.ipsec")
    batches = len(host.batches())
    played = host.play([overridden(PERMITTING, backup=True, backup_options={"path": path})])
    return played, path, batches, snapshot


def test_a_backup_that_cannot_be_written_fails_the_task_and_changes_nothing(host):
    played, path, batches, snapshot = _unwritable_backup(host)
    assert played.rc != 0
    assert played.status("config") == "failed"
    message = played.task("config")["msg"]
    assert message.endswith(f"netsh could not export the IPsec policy store to {path}, so no change was made: "
                            f"netsh ipsec static exportpolicy file={path} -> ERR IPsec[05910] : Cannot export to \"{path}\": "
                            "No such file or directory.")
    # A read and one write batch, which stopped at its first command, the export.
    new = host.batches()[batches:]
    assert played.round_trips == 2
    assert is_read(new[0])
    assert new[1]["stop_on_error"] is True and new[1]["commands"][0] == f"ipsec static exportpolicy file={path}"
    assert len(new[1]["commands"]) > 1  # the change was sent behind the export, and did not run
    assert host.store_bytes() == snapshot
    assert not (host.workdir / "no-such-folder").exists()
    assert [item["name"] for item in store_document(host)["filterlists"]] == ["Admin tools"]


def test_a_backup_that_cannot_be_written_reports_no_change(host):
    played, path, dummy, snapshot = _unwritable_backup(host)
    result = played.task("config")
    assert host.store_bytes() == snapshot  # holds: nothing changed
    assert result["msg"].startswith(f"netsh could not export the IPsec policy store to {path}, so no change was made: ")
    assert result["changed"] is False


def test_fetch_to_copies_the_export_to_the_controller_in_the_same_write_batch(host):
    seed(host, FOREIGN_LIST)
    path, copy = host.workdir / "before.ipsec", host.workdir / "controller" / "nested" / "before.ipsec"
    batches = len(host.batches())
    played = host.play([overridden(PERMITTING, backup=True, backup_options={"path": str(path), "fetch_to": str(copy)})])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert result["changed"] is True and result["backup_fetched_to"] == str(copy) and "warnings" not in result
    assert copy.read_bytes() == path.read_bytes()
    assert copy.stat().st_mode & 0o777 == 0o600 and copy.parent.stat().st_mode & 0o777 == 0o700
    # Still two round trips: the write batch itself reads the export back.
    new = host.batches()[batches:]
    assert played.round_trips == 2 and is_read(new[0])
    assert new[1] == dict(write_batch([f"netsh ipsec static exportpolicy file={path}", *result["commands"]]), read_back=[str(path)])
    assert [item["name"] for item in json.loads(copy.read_text(encoding="utf-8"))["store"]["filterlists"]] == ["Admin tools"]


def test_fetch_to_copies_nothing_when_nothing_changes_nor_in_check_mode(host):
    copy = host.workdir / "copy.ipsec"
    options = {"path": str(host.workdir / "backup.ipsec"), "fetch_to": str(copy)}
    host.play([overridden(PERMITTING)])
    for check in (False, True):
        played = host.play([overridden(PERMITTING if not check else BLOCKING, backup=True, backup_options=options)], check=check)
        assert played.rc == 0, played.stdout + played.stderr
        assert "backup_fetched_to" not in played.task("config") and not copy.exists()


def test_fetch_to_keeps_the_backup_of_a_change_that_failed_and_was_undone(host, tmp_path):
    seed(host, FOREIGN_LIST)
    snapshot = host.store_bytes()
    path, copy = host.workdir / "before.ipsec", host.workdir / "copy.ipsec"
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_FAIL_AT="2")
    played = host.play([overridden(PERMITTING, backup=True, backup_options={"path": str(path), "fetch_to": str(copy)})])
    host.env.pop("NETSH_EMU_FAIL_AT")
    assert played.status("config") == "failed" and played.task("config")["changed"] is False
    assert host.store_bytes() == snapshot
    assert copy.read_bytes() == path.read_bytes()


def test_fetch_to_that_cannot_be_written_warns_and_the_change_stands(host):
    seed(host, FOREIGN_LIST)
    blocker = host.workdir / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    copy = blocker / "copy.ipsec"
    played = host.play([overridden(PERMITTING, backup=True, backup_options={"path": str(host.workdir / "b.ipsec"), "fetch_to": str(copy)})])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert result["changed"] is True and "backup_fetched_to" not in result
    assert [warning for warning in result["warnings"] if "not copied to the controller" in warning] == [
        "the backup was made on the host but not copied to the controller: backup_options.fetch_to: cannot be read to compare with "
        f"the new backup: Not a directory (got '{copy}')"]


# --- guard ------------------------------------------------------------------------------------------

BLOCKED_BY_GB = ("TCP 203.0.113.1 -> me:5985 gets action 'block' from rule 'GB - Block Inbound' of policy 'GB - Lockdown' "
                 "(filter list 'GB - All Inbound', filter any -> me any)")
BLOCKED_BY_FOREIGN = ("TCP 203.0.113.1 -> me:5985 gets action 'block' from rule 'Foreign Block Inbound' of policy "
                      "'Foreign Lockdown' (filter list 'Foreign All Inbound', filter any -> me any)")


def assert_refused(host, played, snapshot: bytes, message: str, batches: int) -> None:
    """The guarded task failed after its read alone, with ``message``, and the store is as it was."""
    assert played.rc != 0
    assert played.status("config") == "failed"
    result = played.task("config")
    assert result["msg"] == message
    assert result["changed"] is False
    assert played.round_trips == 1 and host.batches()[batches:] == [read_request()]
    assert host.store_bytes() == snapshot


def test_guard_refuses_a_lockout_after_the_read_in_check_mode_too(host):
    seed(host, PERMITTING)
    snapshot = host.store_bytes()
    backup = host.workdir / "backup.ipsec"
    # overridden drops the management permit: everything inbound would be blocked.
    refused_task = overridden(BLOCKING, guard=GUARD, backup=True, backup_options={"path": str(backup)})
    for check in (False, True):
        batches = len(host.batches())
        refused = host.play([refused_task], check=check)
        assert_refused(host, refused, snapshot, refusal(BLOCKED_BY_GB), batches)
        assert not backup.exists()  # refused before the write batch and its export


def test_guard_passes_a_permitted_packet_and_lists_every_verdict(host):
    guard = {"packets": [MANAGEMENT, {"source": "203.0.113.1", "destination": "me", "protocol": "tcp", "source_port": 49152,
                                      "destination_port": 5985}]}
    permitted = [
        verdict(policy=POLICY, action="permit", rule="GB - Management", filter_list="GB - Management"),
        verdict(policy=POLICY, action="permit", rule="GB - Management", filter_list="GB - Management", source_port=49152),
    ]
    checked = host.play([overridden(PERMITTING, guard=guard)], check=True)
    assert checked.rc == 0, checked.stdout + checked.stderr
    assert_verdicts(checked.task("config")["guard"], permitted)
    assert checked.round_trips == 1 and host.store_bytes() == b""

    batches = len(host.batches())
    played = host.play([overridden(PERMITTING, guard=guard), read_back_task()])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert result["changed"] is True
    assert_verdicts(result["guard"], permitted)
    new = host.batches()[batches:]
    assert played.round_trips == 3 and is_read(new[0]) and new[1] == write_batch(result["commands"]) and is_read(new[2])
    assert played.task(READ_BACK)["config"] == result["after"]
    assert result["after"]["assigned"] == POLICY


def test_guard_passes_every_packet_when_no_policy_will_be_assigned(host):
    played = host.play([config_task({"state": "merged", "config": {"filter_lists": BLOCKING["filter_lists"]}, "guard": GUARD})])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert result["changed"] is True and result["after"]["assigned"] == ""
    assert_verdicts(result["guard"], [verdict(policy=None, action="permit", rule=None, filter_list=None)])


def test_guard_verdicts_show_the_protocol_as_documented(host):
    guard = {"packets": [MANAGEMENT, {"source": "203.0.113.1", "protocol": "udp", "destination_port": 500}]}
    played = host.play([config_task({"state": "merged", "config": {"filter_lists": BLOCKING["filter_lists"]}, "guard": guard})])
    assert played.rc == 0, played.stdout + played.stderr
    assert [entry["protocol"] for entry in played.task("config")["guard"]] == ["tcp", "udp"]


def test_guard_judges_an_assigned_policy_outside_the_owner_prefix(host):
    # A first task, not under the prefix, assigns a policy that blocks everything inbound.
    store = seed(host, FOREIGN_BLOCK)
    assert store["assigned"] == "Foreign Lockdown"
    snapshot = host.store_bytes()

    # The owned objects, assigning nothing: the foreign policy stays assigned and blocks the packet.
    unassigned = {key: value for key, value in PERMITTING.items() if key != "assigned"}
    batches = len(host.batches())
    refused = host.play([overridden(unassigned, guard=GUARD)])
    assert_refused(host, refused, snapshot, refusal(BLOCKED_BY_FOREIGN), batches)

    # The task assigns its own permitting policy instead: that one decides, and permits.
    played = host.play([overridden(PERMITTING, guard=GUARD), read_back_task()])
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task("config")
    assert_verdicts(result["guard"], [verdict(policy=POLICY, action="permit", rule="GB - Management", filter_list="GB - Management")])
    after = played.task(READ_BACK)["config"]
    assert after["assigned"] == POLICY
    assert [item["name"] for item in after["policies"]] == ["Foreign Lockdown", POLICY]  # left alone, unassigned


def test_guard_judges_an_owned_list_that_a_foreign_assigned_policy_uses(host):
    # The foreign policy permits the management channel through a list under the prefix.
    shared = {
        "filter_actions": [*FOREIGN_BLOCK["filter_actions"], {"name": "GB - Permit", "action": "permit"}],
        "filter_lists": [*FOREIGN_BLOCK["filter_lists"], PERMITTING["filter_lists"][1]],
        "policies": [{**FOREIGN_BLOCK["policies"][0], "rules": [
            {"name": "Foreign Management", "filter_list": "GB - Management", "filter_action": "GB - Permit"},
            *FOREIGN_BLOCK["policies"][0]["rules"],
        ]}],
        "assigned": "Foreign Lockdown",
    }
    seed(host, shared)
    snapshot = host.store_bytes()
    # Moving the owned list to 5986 would leave 5985 to the foreign block rule.
    moved = {"filter_lists": [{"name": "GB - Management", "filters": [
        {"source": "203.0.113.1", "destination": "me", "protocol": "tcp", "destination_port": 5986}]}]}
    batches = len(host.batches())
    refused = host.play([config_task({"state": "replaced", "owner_prefix": PREFIX, "config": moved, "guard": GUARD})])
    assert_refused(host, refused, snapshot, refusal(BLOCKED_BY_FOREIGN), batches)

    # Guarding 5986 instead, the same change passes: the foreign rule permits it through the owned list.
    played = host.play([config_task({"state": "replaced", "owner_prefix": PREFIX, "config": moved,
                                     "guard": {"packets": [{**MANAGEMENT, "destination_port": 5986}]}})])
    assert played.rc == 0, played.stdout + played.stderr
    assert_verdicts(played.task("config")["guard"], [
        verdict(policy="Foreign Lockdown", action="permit", rule="Foreign Management", filter_list="GB - Management", destination_port=5986)])


def test_guard_in_check_mode_judges_what_the_earlier_tasks_of_the_run_predict(host):
    # One check run: the first task would assign the foreign blocking policy, so the guarded task after
    # it, which assigns nothing, is refused on that prediction, without reading the host again.
    unassigned = {key: value for key, value in PERMITTING.items() if key != "assigned"}
    checked = host.play([config_task({"state": "merged", "config": FOREIGN_BLOCK}, "foreign"), overridden(unassigned, guard=GUARD)],
                        check=True)
    assert checked.status("foreign") == "ok" and checked.task("foreign")["changed"] is True
    assert checked.status("config") == "failed"
    assert checked.task("config")["msg"] == refusal(BLOCKED_BY_FOREIGN)
    assert checked.round_trips == 1 and host.batches() == [read_request()]
    assert host.store_bytes() == b""


AMBIGUOUS = {
    "filter_actions": PERMITTING["filter_actions"],
    "filter_lists": [
        {"name": "GB - From Admin", "filters": [{"source": "203.0.113.1", "destination": "me"}]},
        {"name": "GB - WinRM", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 5985}]},
    ],
    "policies": [{
        "name": POLICY,
        "default_response_rule": {"activate": False},
        "rules": [
            {"name": "GB - From Admin", "filter_list": "GB - From Admin", "filter_action": "GB - Permit"},
            {"name": "GB - Block WinRM", "filter_list": "GB - WinRM", "filter_action": "GB - Block"},
        ],
    }],
    "assigned": POLICY,
}


def test_guard_refuses_a_packet_permitted_only_under_one_reading_of_filter_specificity(host):
    # The permit names the source, the block the port: which is more specific is unconfirmed.
    refused = host.play([overridden(AMBIGUOUS, guard=GUARD)])
    assert_refused(host, refused, b"", refusal(
        "TCP 203.0.113.1 -> me:5985 depends on an unconfirmed reading of filter specificity: under our reading of filter "
        "specificity (A-46) rule 'GB - From Admin' (filter list 'GB - From Admin', filter 203.0.113.1 -> me any) gives permit; "
        "under the equally plausible reading 'protocol and ports before addresses, the most restrictive action winning ties' "
        "rule 'GB - Block WinRM' (filter list 'GB - WinRM', filter any -> me TCP any->5985) gives block. Make the filter that "
        "must win at least as specific as the other in source and destination address, protocol and ports, so that every "
        "reading agrees"), 0)


# --- refused input ----------------------------------------------------------------------------------

BAD_INPUT = [
    ("empty packets", {"guard": {"packets": []}},
     "guard.packets: needs at least one packet: a guard that checks nothing protects nothing (got [])"),
    ("bad source", {"guard": {"packets": [{"source": "203.0.113.300", "destination_port": 5985}]}},
     "guard.packets[0].source: expected me or an IPv4 or IPv6 address (got '203.0.113.300')"),
    ("any as source", {"guard": {"packets": [MANAGEMENT, {"source": "any", "destination_port": 5985}]}},
     "guard.packets[1].source: expected me or an IPv4 or IPv6 address (got 'any')"),
    ("bad destination", {"guard": {"packets": [{"source": "203.0.113.1", "destination": "host.example.com"}]}},
     "guard.packets[0].destination: expected me or an IPv4 or IPv6 address (got 'host.example.com')"),
    ("port without tcp or udp", {"guard": {"packets": [{"source": "203.0.113.1", "protocol": "icmp", "destination_port": 5985}]}},
     "guard.packets[0].destination_port: a port needs protocol tcp or udp, not ICMP (got 5985)"),
    ("protocol any", {"guard": {"packets": [{"source": "203.0.113.1", "protocol": "any"}]}},
     "guard.packets[0].protocol: a packet has one protocol: give tcp, udp, icmp, raw or a number 1-255, not any (got 'any')"),
    ("bad my_addresses", {"guard": {"packets": [MANAGEMENT], "my_addresses": ["192.0.2.10", "192.0.2.300"]}},
     "guard.my_addresses[1]: expected me or an IPv4 or IPv6 address (got '192.0.2.300')"),
    ("no packets", {"guard": {}}, "missing required arguments: packets found in guard"),
    ("packet without source", {"guard": {"packets": [{"destination_port": 5985}]}},
     "missing required arguments: source found in guard -> packets"),
    ("empty backup path", {"backup": True, "backup_options": {"path": ""}}, "backup_options.path: must not be empty (got '')"),
]


@pytest.fixture(scope="module")
def refused_input(module_host):
    """One play on a host holding PERMITTING: each case is a change (overridden to BLOCKING) with a bad
    guard or backup option, ignoring errors. Returns (play, store bytes before, batches before)."""
    seeded = module_host.play([overridden(PERMITTING)])
    assert seeded.rc == 0, seeded.stdout + seeded.stderr
    snapshot, batches = module_host.store_bytes(), len(module_host.batches())
    tasks = [config_task({"state": "overridden", "owner_prefix": PREFIX, "config": BLOCKING, **options}, name, ignore_errors=True)
             for name, options, dummy in BAD_INPUT]
    return module_host.play(tasks), snapshot, batches


@pytest.mark.parametrize(("name", "message"), [(name, message) for name, dummy, message in BAD_INPUT], ids=[case[0] for case in BAD_INPUT])
def test_bad_guard_or_backup_input_is_refused_before_the_host(refused_input, module_host, name, message):
    played, snapshot, batches = refused_input
    assert played.status(name) == "failed", played.stdout
    result = played.task(name)
    assert result["msg"] == message
    assert result.get("changed", False) is False
    assert "guard" not in result and "commands" not in result
    # Not one round trip in the whole play, and the store is as it was.
    assert played.round_trips == 0 and len(module_host.batches()) == batches
    assert module_host.store_bytes() == snapshot
