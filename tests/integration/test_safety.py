"""Safety: become is refused, a failing write is reported exactly, keys never show, and the host
receives exactly the batches the task reports."""

from __future__ import annotations

import base64

from ipsec_support import READ_BACK, is_read, read_back_task, read_request, task, write_batch

SEEDED = {
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
    "filter_lists": [{"name": "All inbound traffic", "filters": [{}]}],
}


def seed(host) -> bytes:
    played = host.play([task("ipsec_config", {"config": SEEDED}, "seed")])
    assert played.rc == 0 and played.task("seed")["changed"] is True
    return host.store_bytes()


# --- become -------------------------------------------------------------------------------------


def test_become_is_refused_before_anything_runs(host):
    snapshot = seed(host)
    asks = [
        task("ipsec_filter_list", {"name": "Web", "filters": [{"protocol": "tcp", "destination_port": 80}]}, "list", become=True),
        task("ipsec_config", {"state": "merged", "config": {"filter_actions": [{"name": "Block", "action": "permit"}]}}, "config", become=True),
        task("ipsec_assign", {"state": "unassigned"}, "assign", become=True),
        task("ipsec_info", {}, "info", become=True),
        # become from a variable reaches the action through the play context
        task("ipsec_filter_action", {"name": "Block", "state": "absent"}, "by variable", vars={"ansible_become": True}),
    ]
    played = host.play([dict(item, ignore_errors=True) for item in asks])
    for item in asks:
        module = next(key for key in item if key.startswith("lockdown.ipsec."))
        assert played.status(item["name"]) == "failed"
        result = played.task(item["name"])
        assert result["msg"] == (f"{module} runs netsh through a raw PowerShell command that cannot honour become; "
                                 "remove become from this task")
        assert result.get("changed", False) is False and "commands" not in result
    assert played.round_trips == 0 and host.store_bytes() == snapshot


# --- partial failure ----------------------------------------------------------------------------

MIXED = {"name": "Mixed", "filters": [
    {"source": "any", "protocol": "tcp", "destination_port": [80, 443]},
    {"source": "db.invalid"},  # the emulator cannot resolve it: ERR IPsec[05912]
    {"source": "10.0.0.3"},
    {"source": "10.0.0.4"},
]}


SUCCEEDED = [
    "netsh ipsec static add filterlist name=Mixed",
    "netsh ipsec static add filter filterlist=Mixed srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes",
    "netsh ipsec static add filter filterlist=Mixed srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes",
]
FAILED = "netsh ipsec static add filter filterlist=Mixed srcaddr=db.invalid dstaddr=me protocol=ANY mirrored=yes"
NOT_RUN = [
    "netsh ipsec static add filter filterlist=Mixed srcaddr=10.0.0.3 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes",
    "netsh ipsec static add filter filterlist=Mixed srcaddr=10.0.0.4 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes",
]
NETSH_SAID = 'ERR IPsec[05912] : The DNS name "db.invalid" given for "srcaddr" cannot be resolved.'


def test_a_failing_write_is_undone_and_says_what_failed(host):
    snapshot = seed(host)
    before = host.play([read_back_task()]).task(READ_BACK)["config"]
    played = host.play([dict(task("ipsec_filter_list", MIXED, "mixed"), ignore_errors=True), read_back_task()])
    assert played.status("mixed") == "failed"
    result = played.task("mixed")
    assert result["changed"] is False  # undone: the store read back equals the store before
    assert result["succeeded_commands"] == SUCCEEDED
    assert result["failed_command"] == {"command": FAILED, "rc": 1, "stdout": NETSH_SAID + "\r\n", "stderr": ""}
    assert result["not_run_commands"] == NOT_RUN
    assert result["undo_commands"] == ["netsh ipsec static delete filterlist name=Mixed"]
    assert result["msg"] == (
        f"netsh command 4 of 6 failed: {FAILED} -> {NETSH_SAID} The 3 before it were undone and the 2 after it were not run: "
        "the store is as it was before the task (read back)"
    )
    assert result["before"] == result["after"] == before == played.task(READ_BACK)["config"]
    # Five round trips: read, the write that stopped at the fourth command, read back, undo, read back.
    assert played.round_trips == 5 + 1
    batches = host.batches()[-6:]
    assert is_read(batches[0]) and batches[1] == write_batch([*SUCCEEDED, FAILED, *NOT_RUN]) and is_read(batches[2])
    assert batches[3] == write_batch(result["undo_commands"]) and is_read(batches[4]) and is_read(batches[5])
    assert "Mixed" not in host.netsh("ipsec", "static", "show", "filterlist", "all")
    assert host.store_bytes() == snapshot  # the store file itself: the seeded objects were never touched


def test_a_failing_write_with_stop_reports_what_ran_what_failed_and_the_store_now(host):
    played = host.play([dict(task("ipsec_filter_list", dict(MIXED, on_failure="stop"), "mixed"), ignore_errors=True), read_back_task()])
    assert played.status("mixed") == "failed"
    result = played.task("mixed")
    succeeded = [
        "netsh ipsec static add filterlist name=Mixed",
        "netsh ipsec static add filter filterlist=Mixed srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes",
        "netsh ipsec static add filter filterlist=Mixed srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes",
    ]
    failed = "netsh ipsec static add filter filterlist=Mixed srcaddr=db.invalid dstaddr=me protocol=ANY mirrored=yes"
    not_run = [
        "netsh ipsec static add filter filterlist=Mixed srcaddr=10.0.0.3 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes",
        "netsh ipsec static add filter filterlist=Mixed srcaddr=10.0.0.4 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes",
    ]
    netsh_said = 'ERR IPsec[05912] : The DNS name "db.invalid" given for "srcaddr" cannot be resolved.'
    assert result["changed"] is True  # three commands did change the host
    assert result["succeeded_commands"] == succeeded
    assert result["failed_command"] == {"command": failed, "rc": 1, "stdout": netsh_said + "\r\n", "stderr": ""}
    assert result["not_run_commands"] == not_run
    assert result["msg"] == f"netsh command 4 of 6 failed: {failed} -> {netsh_said} The 3 before it were applied and the 2 after it were not"
    assert "undo_commands" not in result

    # Three round trips for the failing task: the read, one write batch that carried all six and
    # stopped at the fourth, and the read-back of what the host holds now; then the check task's read.
    assert played.round_trips == 4
    batches = host.batches()
    assert is_read(batches[0]) and batches[1] == write_batch([*succeeded, failed, *not_run]) and is_read(batches[2]) and is_read(batches[3])

    # The reported after is the store as it now is: read back by the collection, and by netsh itself.
    assert result["after"] == played.task(READ_BACK)["config"]
    assert [f["destination_port"] for f in result["after"]["filter_lists"][0]["filters"]] == [80, 443]
    shown = host.netsh("ipsec", "static", "show", "filterlist", "name=Mixed", "level=verbose")
    assert "No. of Filters         : 2\r\n" in shown and "db.invalid" not in shown and "10.0.0.3" not in shown

    # Fixed, the task converges from there: only the three missing filters are added.
    fixed = dict(MIXED, filters=[*MIXED["filters"][:1], {"source": "db.example"}, *MIXED["filters"][2:]], on_failure="stop")
    again = host.play([task("ipsec_filter_list", fixed, "fixed")])
    assert again.task("fixed")["commands"] == [
        "netsh ipsec static add filter filterlist=Mixed srcaddr=db.example dstaddr=me protocol=ANY mirrored=yes",
        *not_run,
    ]


# --- secrets ------------------------------------------------------------------------------------

KEY = "Corr3ct-Horse-Battery-Staple-42"
NEW_KEY = "An0ther-Secret-Value-77"


def encodings(secret: str) -> list[str]:
    """The key as it would appear inside any base64 text (the batches travel base64-encoded): the
    three alignments, without the edge characters that depend on the neighbouring bytes."""
    forms = [secret]
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + secret.encode()).decode()
        start = (shift * 4 + 2) // 3 + (1 if shift else 0)
        forms.append(encoded[start:len(encoded) - 4])
    return forms


def assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        for form in encodings(secret):
            assert form not in text, (secret, form)


def test_pre_shared_keys_never_appear_in_task_output(host):
    seed(host)
    negotiate = task("ipsec_filter_action", {"name": "Require", "action": "negotiate"}, "negotiate")

    def secured(key_var: str) -> dict:
        key = {"pre_shared_key": "{{ %s }}" % key_var}  # from a variable, as from a vault
        return task("ipsec_policy", {
            "name": "Secured",
            "default_response_rule": {"authentication": [key]},
            "rules": [{"name": "branch", "filter_list": "All inbound traffic", "filter_action": "Require",
                       "authentication": [key, {"kerberos": True}]}],
        }, "secured")

    keys = {"psk": KEY, "new_psk": NEW_KEY}
    created = host.play([negotiate, secured("psk"), read_back_task()], diff=True, verbosity=3, extra_vars=keys)
    assert created.rc == 0, created.stdout
    result = created.task("secured")
    assert result["changed"] is True
    assert result["commands"][-1] == (
        "netsh ipsec static add rule name=branch policy=Secured \"filterlist=All inbound traffic\" filteraction=Require "
        "activate=yes conntype=all psk=******** kerberos=yes"
    )
    assert "psk=********" in result["diff"]["after"]
    rule = result["after"]["policies"][0]["rules"][0]
    assert rule["authentication"][0]["pre_shared_key"] == "********"
    assert created.task(READ_BACK)["config"] == result["after"]
    assert_hidden(created.stdout + created.stderr, KEY)
    # The key did reach the host (so the hiding above is not vacuous): in the write batch, and the store.
    assert any(KEY in command for batch in host.batches() for command in batch["commands"])
    assert KEY in host.netsh("ipsec", "static", "show", "policy", "name=Secured", "level=verbose")

    # Re-run: the key is compared, not just hidden: the same key changes nothing, a new one is set.
    again = host.play([secured("psk")], check=True, diff=True, verbosity=3, extra_vars=keys)
    assert again.task("secured")["changed"] is False and again.round_trips == 1
    rotated = host.play([secured("new_psk")], diff=True, verbosity=3, extra_vars=keys)
    assert rotated.task("secured")["changed"] is True
    assert all("psk=********" in command for command in rotated.task("secured")["commands"])
    assert NEW_KEY in host.netsh("ipsec", "static", "show", "policy", "name=Secured", "level=verbose")
    assert_hidden(again.stdout + again.stderr + rotated.stdout + rotated.stderr, KEY, NEW_KEY)

    # A write that fails on the command carrying the key (the emulator refuses any change naming the
    # rule "to nowhere", NETSH_EMU_FAIL_ON): the failure names the command, redacted.
    failing = task("ipsec_policy", {"name": "Broken", "rules": [{
        "name": "to nowhere", "filter_list": "All inbound traffic", "filter_action": "Require",
        "tunnel": "192.0.2.1", "authentication": [{"pre_shared_key": "{{ psk }}"}],
    }]}, "broken")
    host.env["NETSH_EMU_FAIL_ON"] = "name=to nowhere"
    broke = host.play([dict(failing, ignore_errors=True)], diff=True, verbosity=3, extra_vars=keys)
    del host.env["NETSH_EMU_FAIL_ON"]
    assert broke.status("broken") == "failed"
    failure = broke.task("broken")
    assert failure["failed_command"]["command"].endswith("tunnel=192.0.2.1 psk=********")
    assert "psk=********" in failure["msg"]
    assert_hidden(broke.stdout + broke.stderr, KEY)


# --- bookkeeping: what the host received ----------------------------------------------------------


def test_the_host_receives_exactly_the_reported_batches(host):
    web = task("ipsec_filter_list", {"name": "Inbound web protocols", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]}, "web")
    played = host.play([web])
    assert played.rc == 0
    # One read (three show commands, run to the end), then one write of exactly the reported
    # commands (stopping at the first error), and nothing else.
    assert host.batches() == [
        read_request(),
        {"commands": [
            'ipsec static add filterlist "name=Inbound web protocols"',
            'ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes',
            'ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes',
        ], "stop_on_error": True, "files": [], "registry": False},
    ]
    assert host.batches()[1] == write_batch(played.task("web")["commands"])
    assert host.round_trips() == 2
