"""One task's conversation with the host (plugins/plugin_utils/_engine.py), against the emulated host.

The runner is the real ``NetshRunner``; its injected ``execute`` hands the encoded command line and
stdin to the emulator's fake PowerShell in-process, the seam the action plugins use for a real
connection. Round trips are counted by the runner.
"""

from __future__ import annotations

import shlex

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import ApplyFailed, converge, gather, rendered
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
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import NetshRunner
from netsh_emulator import run_powershell


@pytest.fixture
def host(tmp_path):
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json")}

    def execute(command: str, stdin: bytes):
        argv = shlex.split(command)
        assert argv[0] == "PowerShell"
        rc, out, err = run_powershell(argv[1:], stdin, env)
        return rc, out.decode("ascii"), err.decode("utf-8")

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


def test_failure_in_the_middle_reports_what_ran(host):
    # The emulator cannot resolve names under .invalid (its code 05912): the second command fails.
    want = Store.of(filter_lists=[FilterList("Bad", "", (Filter.build(source="host.invalid"), Filter.build(source="10.0.0.1")))])
    runner = NetshRunner(host)
    with pytest.raises(ApplyFailed) as caught:
        converge(runner, lambda have: want, state=State.REPLACED, check_mode=False)
    assert runner.round_trips == 3  # read, write (stopped at the failure), read back
    failure = caught.value
    assert failure.succeeded == ["netsh ipsec static add filterlist name=Bad"]
    assert failure.failed_command == "netsh ipsec static add filter filterlist=Bad srcaddr=host.invalid dstaddr=me protocol=ANY mirrored=yes"
    assert failure.not_run == ["netsh ipsec static add filter filterlist=Bad srcaddr=10.0.0.1 srcmask=255.255.255.255 dstaddr=me protocol=ANY mirrored=yes"]
    assert failure.stdout.startswith("ERR IPsec[05912] : ") and failure.rc == 1 and failure.stderr == ""
    assert failure.store_now_read and gather(NetshRunner(host)) == failure.store_now
    assert "failed" in str(failure) and failure.failed_command in str(failure)


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
