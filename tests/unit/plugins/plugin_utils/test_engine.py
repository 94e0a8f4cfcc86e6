"""One task's conversation with the host (plugins/plugin_utils/_engine.py), against the emulated host.

The runner is the real ``NetshRunner``; its injected ``execute`` hands the encoded command line and
stdin to the emulator's fake PowerShell in-process, the seam the action plugins use for a real
connection. Round trips are counted by the runner.
"""

from __future__ import annotations

import shlex

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import ApplyFailed, OnFailure, Outcome, converge, gather, rendered
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._changes import AddFilterList
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import render_script
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import failure_result, outcome_result
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchFailed, CommandResult, NetshRunner
from netsh_emulator import run_netsh, run_powershell


@pytest.fixture
def host(tmp_path):
    """An ``execute`` for a fresh emulated host; ``host.env`` holds its NETSH_EMU_* settings."""
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json")}

    def execute(command: str, stdin: bytes):
        argv = shlex.split(command)
        assert argv[0] == "PowerShell"
        rc, out, err = run_powershell(argv[1:], stdin, env)
        return rc, out.decode("ascii"), err.decode("utf-8")

    execute.env = env
    return execute


def web_server(assigned: bool = True) -> Store:
    """Seed 000's web server: permit TCP 80 and 443 in, block all other inbound traffic."""
    return Store.of(
        filter_lists=[
            FilterList("Inbound web protocols", "", (Filter.build(protocol="tcp", destination_port=80), Filter.build(protocol="tcp", destination_port=443))),
            FilterList("All inbound traffic", "", (Filter.build(),)),
        ],
        filter_actions=[FilterAction("Permit", Action.PERMIT), FilterAction("Block", Action.BLOCK)],
        policies=[
            Policy(
                "Packet Filter",
                rules=(Rule("Inbound web protocols", "Inbound web protocols", "Permit"), Rule("All inbound traffic", "All inbound traffic", "Block")),
                default_rule=DefaultResponseRule(activate=False),
                assigned=assigned,
            )
        ],
    )


def test_create_then_rerun_is_one_round_trip(host):
    runner = NetshRunner(host)
    first = converge(runner, lambda have: web_server(), state=State.REPLACED, check_mode=False)
    assert first.changed and runner.round_trips == 2
    runner = NetshRunner(host)
    second = converge(runner, lambda have: web_server(), state=State.REPLACED, check_mode=False)
    assert not second.changed and runner.round_trips == 1
    assert second.before == first.after


def test_check_mode_predicts_without_writing(host):
    runner = NetshRunner(host)
    predicted = converge(runner, lambda have: web_server(), state=State.REPLACED, check_mode=True)
    assert runner.round_trips == 1 and predicted.changed
    assert gather(NetshRunner(host)) == Store()
    applied = converge(NetshRunner(host), lambda have: web_server(), state=State.REPLACED, check_mode=False)
    assert gather(NetshRunner(host)) == predicted.after == applied.after


# The emulator cannot resolve names under .invalid (its code 05912): the second command fails.
BAD = Store.of(filter_lists=[FilterList("Bad", "", (Filter.build(source="host.invalid"), Filter.build(source="10.0.0.1")))])
BAD_FAILED = "netsh ipsec static add filter filterlist=Bad srcaddr=host.invalid dstaddr=me protocol=ANY mirrored=yes"


def test_failure_in_the_middle_is_undone_by_default(host):
    converge(NetshRunner(host), lambda have: web_server(), state=State.REPLACED, check_mode=False)
    before = gather(NetshRunner(host))
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: BAD, state=State.MERGED, check_mode=False)
    assert runner.round_trips == 5  # read, write (stopped at the failure), read back, undo, read back
    failure = caught.value
    assert failure.succeeded == ["netsh ipsec static add filterlist name=Bad"]
    assert failure.failed_command == BAD_FAILED
    assert failure.not_run == ["netsh ipsec static add filter filterlist=Bad srcaddr=10.0.0.1 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes"]
    assert failure.stdout.startswith("ERR IPsec[05912] : ") and failure.rc == 1 and failure.stderr == ""
    assert failure.undo.commands == ("netsh ipsec static delete filterlist name=Bad",)
    assert failure.undo.failed_command is None and failure.undo.impossible == ""
    assert failure.restored and failure.store_now == before == gather(NetshRunner(host))
    assert str(failure) == (
        f"netsh command 2 of 3 failed: {BAD_FAILED} -> {failure.stdout.strip()} The 1 before it were undone and the 1 after it "
        "were not run: the store is as it was before the task (read back)"
    )


def test_a_failure_at_the_first_command_needs_no_undo(host):
    runner = NetshRunner(host)
    want = Store.of(filter_lists=[FilterList("Bad", "", (Filter.build(source="host.invalid"),))])
    converge(NetshRunner(host), lambda have: Store.of(filter_lists=[FilterList("Bad", "", ())]), state=State.MERGED, check_mode=False)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: want, state=State.MERGED, check_mode=False)
    assert runner.round_trips == 3  # read, write, read back: the store is as before, nothing to undo
    assert caught.value.undo.commands == () and caught.value.restored
    assert "Nothing had been applied before it and the 0 after it were not run" in str(caught.value)


def test_failure_with_stop_leaves_what_ran(host):
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: BAD, state=State.REPLACED, check_mode=False, on_failure=OnFailure.STOP)
    assert runner.round_trips == 3  # read, write (stopped at the failure), read back
    failure = caught.value
    assert failure.undo is None and not failure.restored
    assert failure.store_now_read and gather(NetshRunner(host)) == failure.store_now
    assert sorted(failure.store_now.filter_lists) == ["Bad"]
    assert str(failure) == f"netsh command 2 of 3 failed: {BAD_FAILED} -> {failure.stdout.strip()} The 1 before it were applied and the 1 after it were not"


def test_an_undo_that_fails_too_says_what_the_host_holds(host, tmp_path):
    converge(NetshRunner(host), lambda have: web_server(), state=State.REPLACED, check_mode=False)
    # Change 3 (the third add filter) fails, and so does change 4, the first command of the undo.
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_FAIL_AT="3,4")
    want = Store.of(filter_lists=[FilterList("More", "", tuple(Filter.build(protocol="tcp", destination_port=port) for port in (1, 2, 3)))])
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: want, state=State.MERGED, check_mode=False)
    failure = caught.value
    assert runner.round_trips == 5
    assert failure.undo.commands == ("netsh ipsec static delete filterlist name=More",)
    assert failure.undo.failed_command.startswith("netsh ipsec static delete filterlist name=More -> ERR IPsec[05073]")
    assert not failure.restored and failure.store_now_read
    host.env.pop("NETSH_EMU_FAIL_AT")
    assert failure.store_now == gather(NetshRunner(host))
    assert [item.destination_port for item in failure.store_now.filter_lists["More"].filters] == [1]
    assert str(failure).endswith(
        "Undoing the 2 before it failed too, at " + failure.undo.failed_command + "; the store now holds what 'after' shows"
    )


def test_no_undo_without_the_store_read_back(host):
    calls = []

    def losing_reads_after_the_write(command: str, stdin: bytes):
        calls.append(command)
        if len(calls) > 2:
            return 0, "no marker: the read back was lost", ""
        return host(command, stdin)

    runner = NetshRunner(losing_reads_after_the_write)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: BAD, state=State.MERGED, check_mode=False)
    failure = caught.value
    assert runner.round_trips == 3 and not failure.store_now_read
    assert failure.undo.impossible == "the store could not be read back after the failure"
    assert sorted(failure.store_now.filter_lists) == ["Bad"]  # predicted from the command that succeeded
    assert "could not be undone (the store could not be read back after the failure)" in str(failure)


def test_a_read_back_lost_with_the_connection_still_reports_the_failure(host):
    calls = []

    def connection_lost_after_the_write(command: str, stdin: bytes):
        calls.append(command)
        if len(calls) > 2:
            raise ConnectionResetError("connection reset by peer")
        return host(command, stdin)

    runner = NetshRunner(connection_lost_after_the_write)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: BAD, state=State.MERGED, check_mode=False)
    assert not caught.value.store_now_read and caught.value.undo.impossible == "the store could not be read back after the failure"
    assert caught.value.failed_command == BAD_FAILED


def test_an_undo_whose_answer_never_comes_is_reported_with_the_failure(host):
    calls = []

    def connection_lost_during_the_undo(command: str, stdin: bytes):
        calls.append(command)
        if len(calls) == 4:
            raise ConnectionResetError("connection reset by peer")
        return host(command, stdin)

    runner = NetshRunner(connection_lost_during_the_undo)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: BAD, state=State.MERGED, check_mode=False)
    failure = caught.value
    assert failure.undo.failed_command == "(its answer never came back: ConnectionResetError: connection reset by peer)"
    assert failure.store_now_read and runner.round_trips == 5 and runner.write_pending
    assert "Undoing the 1 before it failed too, at (its answer never came back" in str(failure)


def test_an_undo_that_cannot_bring_back_duplicate_filters_says_the_store_differs(host, tmp_path):
    # The host holds one filter twice; a plan replaces the list's group, then fails. A plan
    # never adds a filter twice, so the undo cannot bring the twin back: the report must not claim
    # that the store is as it was.
    for dummy in range(2):
        run_netsh(["ipsec", "static", "add", "filter", "filterlist=L", "srcaddr=any", "dstaddr=me"], host.env)
    before = gather(NetshRunner(host))
    assert len(before.filter_lists["L"].filters) == 2
    want = Store.of(filter_lists=[FilterList("L", "", (Filter.build(), Filter.build(protocol="tcp", destination_port=80)))])
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_FAIL_AT="3")  # delete the group, add it back, add: fails
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: want, state=State.REPLACED, check_mode=False)
    failure = caught.value
    assert failure.position == 3 and failure.undo.commands == () and failure.store_now_read and not failure.restored
    assert len(failure.store_now.filter_lists["L"].filters) == 1
    assert str(failure).endswith(
        "The 2 before it were undone, but the store read back differs from the store before the task; it now holds what 'after' shows")
    assert failure_result(failure)["changed"] is True


def test_a_failure_never_read_back_counts_as_a_change():
    change = AddFilterList(FilterList("L", ""))
    failure = ApplyFailed(BatchFailed((), CommandResult(("a",), 1, "ERR IPsec[05010] : exists.", ""), ()), Outcome(Store(), Store(), (change,), (("a",),)))
    assert failure.store_now == Store() and not failure.store_now_read  # predicted: nothing ran
    result = failure_result(failure)
    assert result["changed"] is True  # unknown, so not claimed unchanged
    assert result["msg"].endswith("('after' is predicted from the commands that succeeded: the store could not be read back)")


def test_a_change_under_an_owner_prefix_warns_about_foreign_users_in_any_state(host):
    shared = Store.of(
        filter_actions=[FilterAction("LD - Permit", Action.PERMIT)],
        filter_lists=[FilterList("LD - L", "", (Filter.build(),))],
        policies=[Policy("Theirs", rules=(Rule("r", "LD - L", "LD - Permit"),))],
    )
    converge(NetshRunner(host), lambda have: shared, state=State.MERGED, check_mode=False)
    wider = Store.of(filter_lists=[FilterList("LD - L", filters=(Filter.build(protocol="tcp", destination_port=80),))])
    for state in (State.MERGED, State.REPLACED):
        outcome = converge(NetshRunner(host), lambda have: wider, state=state, scope=Scope("LD - "), check_mode=True)
        assert len(outcome.warnings) == 1 and outcome.warnings[0].startswith("filter list 'LD - L' changes, and rule 'r' of policy 'Theirs'")
    assert converge(NetshRunner(host), lambda have: wider, state=State.MERGED, check_mode=True).warnings == ()  # no prefix


def test_a_result_has_a_diff_only_with_diff_and_warnings_only_when_there_are_some():
    outcome = Outcome(Store(), web_server(), (), (("ipsec", "static", "add", "filterlist", "name=x"),), ("look out",))
    with_diff = outcome_result(outcome, diff=True)
    assert with_diff["diff"] == {
        "before_header": "netsh ipsec static (before)", "after_header": "netsh ipsec static (after)",
        "before": "pushd ipsec static\n\npopd\n", "after": render_script(web_server()),
    }
    assert with_diff["warnings"] == ["look out"] and with_diff["commands"] == ["netsh ipsec static add filterlist name=x"]
    quiet = outcome_result(Outcome(Store(), Store(), (), ()), diff=False)
    assert quiet == {"changed": False, "commands": [], "before": store_to_data(Store()), "after": store_to_data(Store())}


def test_a_message_without_a_full_stop_gets_one():
    failure = ApplyFailed(
        BatchFailed((), CommandResult(("a",), 5, "", ""), ()),
        Outcome(Store(), Store(), (), (("a",),)),
    )
    assert str(failure) == "netsh command 1 of 1 failed: netsh a -> exit code 5. The 0 before it were applied and the 0 after it were not"


def test_an_undo_that_cannot_be_planned_is_not_attempted(host, tmp_path):
    # netsh cannot remove the authentication methods of a default response rule, so a write
    # that added some before it failed cannot be undone; nothing is attempted and the message says why.
    converge(NetshRunner(host), lambda have: web_server(), state=State.REPLACED, check_mode=False)
    # 1: set defaultrule (the opening phase), 2: add rule (a block rule: the closing phase) fails.
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_FAIL_AT="2")
    extra = Rule("Extra", "All inbound traffic", "Block")
    want = Store.of(policies=[Policy("Packet Filter", rules=(extra,), default_rule=DefaultResponseRule(auth_methods=(KERBEROS,)))])
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: want, state=State.MERGED, check_mode=False)
    failure = caught.value
    assert runner.round_trips == 3
    assert "netsh cannot remove the authentication methods of the default response rule" in failure.undo.impossible
    assert failure.undo.commands == () and not failure.restored


def test_want_may_depend_on_what_is_there(host):
    converge(NetshRunner(host), lambda have: web_server(assigned=False), state=State.REPLACED, check_mode=False)
    seen = []

    def assign_existing(have: Store) -> Store:
        seen.append(sorted(have.policies))
        return Store.of(policies=[Policy("Packet Filter", assigned=True)])

    outcome = converge(NetshRunner(host), assign_existing, state=State.MERGED, check_mode=False)
    assert seen == [["Packet Filter"]]
    assert outcome.command_lines() == ['netsh ipsec static set policy "name=Packet Filter" assign=yes']
    assert gather(NetshRunner(host)).assigned_policy == "Packet Filter"


def test_overridden_touches_only_the_owner_prefix(host):
    converge(NetshRunner(host), lambda have: Store.of(filter_lists=[FilterList("Theirs", "", ())]), state=State.MERGED, check_mode=False)
    outcome = converge(
        NetshRunner(host),
        lambda have: Store.of(filter_lists=[FilterList("APS - Mine", "", ())]),
        state=State.OVERRIDDEN,
        scope=Scope("APS - "),
        check_mode=False,
    )
    assert sorted(outcome.after.filter_lists) == ["APS - Mine", "Theirs"]


def test_rendered_needs_no_host():
    commands = rendered(web_server())
    assert commands[0][:4] == ("ipsec", "static", "add", "filteraction")
    assert commands[-1] == ("ipsec", "static", "set", "policy", "name=Packet Filter", "assign=yes")
