# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Confirmed changes (``_confirm``): when a rollback is armed, what it restores, the option's limits, the
wire shapes of ``arm`` / ``disarm`` and their answers, and every way a confirmation ends. The host is a
function answering the batch protocol; ``tests/integration/test_confirm.py`` runs the real thing."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._confirm import (
    MAX_SECONDS, MIN_SECONDS, ROLLBACK_TASK, ConfirmFailed, Rollback, RollbackNotArmed, armed, assigned_view, confirm,
    confirm_seconds, left_to_fire_after_lost_answer, plan_rollback,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import ApplyFailed, BackupFailed, OnFailure, Outcome, apply
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Action, Filter, FilterAction, FilterList, Policy, Rule, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import (
    Arm, Armed, BatchRequest, Disarm, Disarmed, NetshRunner, TransportError, parse_answer,
)

MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
FILE = "C:\\Windows\\Temp\\lockdown-ipsec-rollback-00ff.ipsec"
ADD = ("ipsec", "static", "add", "policy", "name=P")


def store(*, assigned: str | None = "Web", web_port: int = 80, spare_port: int = 1, action: Action = Action.PERMIT) -> Store:
    """Two policies over their own lists; ``assigned`` names the assigned one."""
    lists = (FilterList("Web", filters=(Filter.build(source="any", destination="me", protocol="tcp", destination_port=web_port),)),
             FilterList("Spare", filters=(Filter.build(source="any", destination="me", protocol="tcp", destination_port=spare_port),)))
    actions = (FilterAction("Allow", action=action), FilterAction("Other", action=Action.BLOCK))
    policies = (Policy("Web", rules=(Rule("r", filter_list="Web", filter_action="Allow"),), assigned=assigned == "Web"),
                Policy("Spare", rules=(Rule("r", filter_list="Spare", filter_action="Other"),), assigned=assigned == "Spare"))
    return Store.of(filter_lists=lists, filter_actions=actions, policies=policies)


# -- the option -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, MIN_SECONDS, 11, 3600, MAX_SECONDS])
def test_confirm_takes_seconds_from_10_to_a_day(value):
    assert confirm_seconds(value) == value


@pytest.mark.parametrize("value", [MIN_SECONDS - 1, MAX_SECONDS + 1, 0, -1, True, False, "30", 30.0])
def test_confirm_refuses_anything_else_naming_the_option_and_value(value):
    with pytest.raises(InvalidInput) as caught:
        confirm_seconds(value, option="packet_filter_confirm")
    assert "packet_filter_confirm" in str(caught.value) and repr(value) in str(caught.value)
    assert "from 10 to 86400" in str(caught.value)


# -- when a rollback is armed -----------------------------------------------------------------------------------


def test_nothing_is_armed_without_seconds_or_without_a_change_to_what_is_assigned():
    assert plan_rollback(store(), store(web_port=443), None) is None
    assert plan_rollback(store(), store(), 30) is None
    assert plan_rollback(store(), store(spare_port=2), 30) is None, "a list only the unassigned policy uses"
    assert plan_rollback(store(assigned=None), store(assigned=None, web_port=443), 30) is None, "nothing assigned before or after"


@pytest.mark.parametrize("after, restores", [
    (store(web_port=443), "Web"),                 # a filter of a list the assigned policy uses
    (store(action=Action.BLOCK), "Web"),          # its filter action
    (store(assigned="Spare"), "Web"),             # another policy assigned
    (store(assigned=None), "Web"),                # unassigned
])
def test_a_change_of_what_the_assigned_policy_filters_arms_a_rollback_to_the_previous_assignment(after, restores):
    rollback = plan_rollback(store(), after, 30, token="00ff")
    assert rollback == Rollback(30, FILE, restores)
    assert rollback.status == "would_arm" and rollback.task == ROLLBACK_TASK


def test_assigning_where_nothing_was_assigned_restores_no_assignment():
    rollback = plan_rollback(store(assigned=None), store(), 10, token="00ff")
    assert rollback.restores is None
    assert rollback.commands() == (("ipsec", "static", "delete", "all"), ("ipsec", "static", "importpolicy", f"file={FILE}"))
    assert "with no policy assigned" in rollback.restoring()


def test_a_rule_of_the_assigned_policy_counts_and_so_does_its_description():
    before = store()
    renamed_rule = replace(before.policies["Web"], rules=(Rule("r2", filter_list="Web", filter_action="Allow"),))
    after = Store.of(filter_lists=before.filter_lists.values(), filter_actions=before.filter_actions.values(),
                     policies=(renamed_rule, before.policies["Spare"]))
    assert assigned_view(after) != assigned_view(before)
    assert plan_rollback(before, after, 10) is not None


def test_the_export_has_a_random_name_under_windows_temp():
    first, second = plan_rollback(store(), store(assigned=None), 10), plan_rollback(store(), store(assigned=None), 10)
    assert first.file != second.file
    for rollback in (first, second):
        assert rollback.file.startswith("C:\\Windows\\Temp\\lockdown-ipsec-rollback-") and rollback.file.endswith(".ipsec")
        assert len(rollback.file) == len(FILE) - 4 + 16


def test_the_rollback_is_the_native_restore_and_its_arm_inverts():
    rollback = Rollback(60, FILE, "Web Lock & Co")
    assert rollback.export() == ("ipsec", "static", "exportpolicy", f"file={FILE}")
    assert rollback.commands() == (
        ("ipsec", "static", "delete", "all"),
        ("ipsec", "static", "importpolicy", f"file={FILE}"),
        ("ipsec", "static", "set", "policy", "name=Web Lock & Co", "assign=yes"),
    )
    arm = rollback.arm()
    assert arm.document() == {"task": ROLLBACK_TASK, "seconds": 60, "file": FILE, "commands": [
        "ipsec static delete all", f"ipsec static importpolicy file={FILE}", 'ipsec static set policy "name=Web Lock & Co" assign=yes']}
    assert Rollback.of_arm(arm, status="left_to_fire", at="T") == replace(rollback, status="left_to_fire", at="T")
    assert Rollback.of_arm(Rollback(60, FILE, None).arm(), status="x", at="") == Rollback(60, FILE, None, status="x")
    assert rollback.disarm().document() == {"task": ROLLBACK_TASK, "file": FILE}


def test_the_result_entry_and_the_diff_line():
    rollback = Rollback(60, FILE, "Web")
    assert rollback.to_data() == {"status": "would_arm", "seconds": 60, "at": None, "task": ROLLBACK_TASK, "file": FILE, "restores": "Web"}
    assert rollback.summary() == "a rollback would be armed for 60 s and confirmed over a new connection"
    assert replace(rollback, status="confirmed").summary() == "rollback armed for 60 s, confirmed over a new connection"
    assert replace(rollback, status="left_to_fire", at="T").to_data()["at"] == "T"


# -- the wire ---------------------------------------------------------------------------------------------------


def answered(document: dict) -> str:
    return MARKER + base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii") + "\r\n"


def answer_document(results=(), **more) -> dict:
    return {"codepage": 437, "results": list(results), "files": [], "read_back": [], "registry": None, **more}


def ok() -> dict:
    return {"rc": 0, "stdout": "", "stderr": ""}


ARMING = BatchRequest([ADD], stop_on_error=True, arm=Arm(ROLLBACK_TASK, 30, FILE, (("ipsec", "static", "delete", "all"),)))
DISARMING = BatchRequest((), stop_on_error=False, disarm=Disarm(ROLLBACK_TASK, FILE))


def test_arm_and_disarm_travel_only_when_asked():
    assert ARMING.document()["arm"] == {"task": ROLLBACK_TASK, "seconds": 30, "file": FILE, "commands": ["ipsec static delete all"]}
    assert DISARMING.document()["disarm"] == {"task": ROLLBACK_TASK, "file": FILE}
    assert "arm" not in DISARMING.document() and "disarm" not in ARMING.document()
    assert not DISARMING.empty and not BatchRequest((), stop_on_error=True, arm=ARMING.arm).empty


def test_an_armed_answer_is_a_time_or_the_hosts_words():
    answer = parse_answer(ARMING, 0, answered(answer_document([ok()], armed={"task": ROLLBACK_TASK, "at": "2026-12-07T02:00:00Z"})), "")
    assert answer.armed == Armed(ROLLBACK_TASK, at="2026-12-07T02:00:00Z") and answer.disarmed is None
    failed = parse_answer(ARMING, 0, answered(answer_document([], armed={"task": ROLLBACK_TASK, "error": "exists"})), "")
    assert failed.armed == Armed(ROLLBACK_TASK, error="exists") and failed.results == ()


def test_a_disarmed_answer_says_whether_the_task_was_there():
    for raw, expected in (({"task": ROLLBACK_TASK, "found": True}, Disarmed(ROLLBACK_TASK, True)),
                          ({"task": ROLLBACK_TASK, "found": False, "error": "denied"}, Disarmed(ROLLBACK_TASK, False, "denied"))):
        assert parse_answer(DISARMING, 0, answered(answer_document(disarmed=raw)), "").disarmed == expected


@pytest.mark.parametrize("request_, more, words", [
    (ARMING, {"armed": None, "results": [ok()]}, "did not say whether it armed"),
    (ARMING, {"armed": {"task": "other", "at": "T"}, "results": [ok()]}, "did not say whether it armed"),
    (ARMING, {"armed": {"task": ROLLBACK_TASK, "at": "T", "error": "x"}, "results": [ok()]}, "did not say whether it armed"),
    (ARMING, {"armed": {"task": ROLLBACK_TASK, "at": ""}, "results": [ok()]}, "not a time or an error"),
    (ARMING, {"armed": {"task": ROLLBACK_TASK, "at": 5}, "results": [ok()]}, "not a time or an error"),
    (ARMING, {"armed": {"task": ROLLBACK_TASK, "error": "no"}, "results": [ok()]}, "ran commands although arming its rollback failed"),
    (DISARMING, {"armed": {"task": ROLLBACK_TASK, "at": "T"}, "disarmed": {"task": ROLLBACK_TASK, "found": True}}, "armed a rollback it was not"),
    (DISARMING, {"disarmed": None}, "did not say whether it disarmed"),
    (DISARMING, {"disarmed": {"task": ROLLBACK_TASK}}, "did not say whether it disarmed"),
    (DISARMING, {"disarmed": {"task": ROLLBACK_TASK, "found": True, "more": 1}}, "did not say whether it disarmed"),
    (DISARMING, {"disarmed": {"task": ROLLBACK_TASK, "found": "yes"}}, "not of the expected types"),
    (DISARMING, {"disarmed": {"task": ROLLBACK_TASK, "found": True, "error": 3}}, "not of the expected types"),
    (BatchRequest([ADD], stop_on_error=True), {"disarmed": {"task": ROLLBACK_TASK, "found": True}, "results": [ok()]}, "not asked to"),
])
def test_an_answer_of_another_shape_is_a_transport_error(request_, more, words):
    with pytest.raises(TransportError, match=words):
        parse_answer(request_, 0, answered(answer_document(**more)), "")


# -- confirming -------------------------------------------------------------------------------------------------


class Host:
    """Answers each round trip with the next of ``answers`` (a document, or an exception to raise); records the
    requests and the reconnections between them."""

    def __init__(self, *answers, reconnect_fails: Exception | None = None) -> None:
        self.answers, self.requests, self.events = list(answers), [], []
        self.reconnect_fails = reconnect_fails
        self.runner = NetshRunner(self.execute, reconnect=self.reconnect)

    def execute(self, command: str, stdin: bytes):
        self.events.append("round trip")
        self.requests.append(json.loads(base64.b64decode(stdin.decode("ascii").split("\r\n")[1])))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return 0, answered(answer), ""

    def reconnect(self) -> None:
        self.events.append("new connection")
        if self.reconnect_fails is not None:
            raise self.reconnect_fails


ARMED = Rollback(15, FILE, "Web", status="armed", at="2026-12-07T02:00:15.0000000Z")


def test_a_confirmation_disarms_over_a_new_connection():
    host = Host(answer_document(disarmed={"task": ROLLBACK_TASK, "found": True}))
    assert confirm(host.runner, ARMED) == replace(ARMED, status="confirmed")
    assert host.events == ["new connection", "round trip"]
    assert host.requests[0]["disarm"] == {"task": ROLLBACK_TASK, "file": FILE} and host.requests[0]["commands"] == []
    assert host.requests[0]["stop_on_error"] is False and not host.runner.write_pending and not host.runner.wrote


def test_no_new_connection_means_the_policy_cut_the_channel_and_says_when_the_host_restores_what():
    host = Host(reconnect_fails=ConnectionError("timed out"))
    with pytest.raises(ConfirmFailed) as caught:
        confirm(host.runner, ARMED)
    assert str(caught.value) == (
        "the new policy cut off the management channel: a new connection to the host could not be made (ConnectionError: timed out). "
        "The host will restore its previous policy at 2026-12-07T02:00:15.0000000Z (UTC, host clock): "
        f"the store as it was before this task ({FILE} on the host), with policy 'Web' assigned.")
    assert caught.value.rollback["status"] == "left_to_fire" and host.events == ["new connection"]


def test_a_new_connection_whose_round_trip_is_lost_is_the_same_lockout():
    host = Host(TimeoutError("read timed out"))
    with pytest.raises(ConfirmFailed, match="cut off the management channel.*TimeoutError: read timed out"):
        confirm(host.runner, ARMED)


def test_a_rollback_that_already_ran_fails_the_task():
    host = Host(answer_document(disarmed={"task": ROLLBACK_TASK, "found": False}))
    with pytest.raises(ConfirmFailed, match="had already run when the confirmation reached the host") as caught:
        confirm(host.runner, ARMED)
    assert caught.value.rollback["status"] == "fired" and "Give confirm more seconds" in str(caught.value)


def test_a_rollback_that_cannot_be_disarmed_is_left_to_fire():
    host = Host(answer_document(disarmed={"task": ROLLBACK_TASK, "found": True, "error": "Access is denied."}))
    with pytest.raises(ConfirmFailed) as caught:
        confirm(host.runner, ARMED)
    assert str(caught.value) == (
        "the change was made and a new connection to the host works, but the rollback could not be disarmed (Access is denied.): "
        "unless scheduled task 'lockdown-ipsec-rollback' is removed, the host restores the store as it was before this task "
        f"({FILE} on the host), with policy 'Web' assigned at 2026-12-07T02:00:15.0000000Z (UTC, host clock).")
    assert caught.value.rollback["status"] == "left_to_fire" and "lockdown-ipsec-rollback" in str(caught.value)


def test_arming_that_failed_names_the_hosts_words_and_changes_nothing():
    with pytest.raises(RollbackNotArmed) as caught:
        armed(Rollback(15, FILE, None), Armed(ROLLBACK_TASK, error="The term 'New-ScheduledTaskAction' is not recognized"))
    assert str(caught.value) == (
        "the rollback could not be armed on the host, so no change was made (confirm needs the ScheduledTasks module, Windows Server 2012 "
        "or later, and no scheduled task 'lockdown-ipsec-rollback' pending from an earlier run): "
        "The term 'New-ScheduledTaskAction' is not recognized")
    with pytest.raises(RollbackNotArmed, match="no change was made.*: no answer$"):
        armed(Rollback(15, FILE, None), None)
    assert armed(Rollback(15, FILE, None), Armed(ROLLBACK_TASK, at="T")) == Rollback(15, FILE, None, status="armed", at="T")


@pytest.mark.parametrize("reachable", [True, False])
def test_a_write_whose_answer_was_lost_leaves_the_rollback_to_fire(reachable):
    host = Host(*([answer_document([ok()])] if reachable else []), reconnect_fails=None if reachable else OSError("no route"))
    message, data = left_to_fire_after_lost_answer(host.runner, Rollback(20, FILE, "Web").arm(), 1_796_608_800.0, "ReadTimeout: x")
    assert data == {"status": "left_to_fire", "seconds": 20, "at": "2026-12-07T02:00:20Z", "task": ROLLBACK_TASK, "file": FILE,
                    "restores": "Web"}
    assert "2026-12-07T02:00:20Z (UTC, controller clock: 20 s after the write was sent" in message
    when = "at about 2026-12-07T02:00:20Z (UTC, controller clock: 20 s after the write was sent, if it got as far as arming)"
    restores = f"the store as it was before this task ({FILE} on the host), with policy 'Web' assigned"
    if reachable:
        assert message == (f"the write's answer never came back (ReadTimeout: x), but a new connection to the host works. What the write "
                           f"applied is unknown, so the rollback armed with it is left to fire {when}: the host then restores {restores}. "
                           "Run the task again after that.")
        assert host.requests[0]["commands"] == ["ipsec static show store"] and "disarm" not in host.requests[0]
        assert host.requests[0]["stop_on_error"] is False
    else:
        assert message == ("the new policy cut off the management channel: the write's answer never came back (ReadTimeout: x) and a new "
                           f"connection to the host could not be made (OSError: no route). The host will restore its previous policy {when}: "
                           f"{restores}.")
        assert host.requests == []


# -- apply with a rollback --------------------------------------------------------------------------------------


def outcome() -> Outcome:
    return Outcome(before=Store(), after=Store(), changes=(), commands=(ADD,))


def armed_answer(*results) -> dict:
    return answer_document(list(results), armed={"task": ROLLBACK_TASK, "at": "2026-12-07T02:00:15Z"})


def test_a_confirmed_write_arms_exports_first_then_confirms_in_three_round_trips_in_all():
    host = Host(armed_answer(ok(), ok()), answer_document(disarmed={"task": ROLLBACK_TASK, "found": True}))
    notes, rollback = apply(host.runner, outcome(), on_failure=OnFailure.ROLLBACK, rollback=Rollback(15, FILE, "Web"))
    assert notes == () and rollback == Rollback(15, FILE, "Web", status="confirmed", at="2026-12-07T02:00:15Z")
    write = host.requests[0]
    assert write["commands"] == [f"ipsec static exportpolicy file={FILE}", "ipsec static add policy name=P"]
    assert write["arm"]["seconds"] == 15 and write["stop_on_error"] is True
    assert host.events == ["round trip", "new connection", "round trip"]


def test_the_rollback_export_comes_before_the_backup_export():
    host = Host(armed_answer(ok(), ok(), ok()), answer_document(disarmed={"task": ROLLBACK_TASK, "found": True}))
    apply(host.runner, outcome(), on_failure=OnFailure.ROLLBACK, backup_to="C:\\b.ipsec", rollback=Rollback(15, FILE, None))
    assert host.requests[0]["commands"][:2] == [f"ipsec static exportpolicy file={FILE}", "ipsec static exportpolicy file=C:\\b.ipsec"]


def test_a_rollback_that_cannot_be_armed_stops_before_any_confirmation():
    host = Host(answer_document([], armed={"task": ROLLBACK_TASK, "error": "Cannot create a file when that file already exists."}))
    with pytest.raises(RollbackNotArmed, match="already exists"):
        apply(host.runner, outcome(), on_failure=OnFailure.ROLLBACK, rollback=Rollback(15, FILE, None))
    assert host.events == ["round trip"]


def test_a_failed_rollback_export_changes_nothing_and_the_rollback_is_disarmed():
    failed = {"rc": 1, "stdout": base64.b64encode(b"ERR IPsec[05072] : cannot write").decode(), "stderr": ""}
    host = Host(armed_answer(failed), answer_document(disarmed={"task": ROLLBACK_TASK, "found": True}))
    with pytest.raises(BackupFailed) as caught:
        apply(host.runner, outcome(), on_failure=OnFailure.ROLLBACK, rollback=Rollback(15, FILE, None))
    assert str(caught.value).startswith(f"netsh could not export the IPsec policy store for the rollback to {FILE}, so no change was made")
    assert str(caught.value).endswith("The rollback armed with the batch was disarmed over a new connection.")
    assert caught.value.rollback["status"] == "disarmed"


def failing_write(*extra) -> list:
    """The write's answer (armed, the rollback's export, then the change failing), the read back after the failure
    (lost: the store stays predicted), then ``extra``."""
    failed = {"rc": 1, "stdout": base64.b64encode(b"ERR IPsec[05010] : no").decode(), "stderr": ""}
    return [armed_answer(ok(), failed), ConnectionError("read back lost"), *extra]


def test_a_failed_write_says_its_rollback_was_disarmed():
    host = Host(*failing_write(answer_document(disarmed={"task": ROLLBACK_TASK, "found": True})))
    with pytest.raises(ApplyFailed) as caught:
        apply(host.runner, outcome(), on_failure=OnFailure.STOP, rollback=Rollback(15, FILE, None))
    assert str(caught.value).endswith(". The rollback armed with the batch was disarmed over a new connection.")
    assert caught.value.rollback["status"] == "disarmed" and caught.value.rollback["at"] == "2026-12-07T02:00:15Z"
    assert host.events == ["round trip", "round trip", "new connection", "round trip"]


def test_a_failed_write_that_also_cut_the_channel_says_when_the_host_restores_what():
    host = Host(*failing_write(), reconnect_fails=OSError("no route"))
    with pytest.raises(ApplyFailed) as caught:
        apply(host.runner, outcome(), on_failure=OnFailure.STOP, rollback=Rollback(15, FILE, "Web"))
    assert ". The new policy cut off the management channel: a new connection to the host could not be made (OSError: no route)." in str(caught.value)
    assert caught.value.rollback["status"] == "left_to_fire"


def test_an_export_that_failed_silently_is_named_by_its_exit_code():
    host = Host(armed_answer({"rc": 1, "stdout": "", "stderr": ""}), answer_document(disarmed={"task": ROLLBACK_TASK, "found": True}))
    with pytest.raises(BackupFailed, match="-> exit code 1. The rollback armed"):
        apply(host.runner, outcome(), on_failure=OnFailure.ROLLBACK, rollback=Rollback(15, FILE, None))
