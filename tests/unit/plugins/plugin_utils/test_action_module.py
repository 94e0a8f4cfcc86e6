# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IpsecActionBase driven like ansible-core drives an action plugin, against the emulated host.

The task and play context are ansible-core's own objects; the connection is a mock whose
``exec_command`` hands the command and stdin to the emulator's fake PowerShell, which answers as the
bootstrap does on Windows (marker + base64 JSON).
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from netsh_emulator import run_powershell

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import BECOME_REFUSED, IpsecActionBase
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._argspec import argument_spec_from_doc
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import OnFailure, Outcome, apply
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import PlanError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import POWERSHELL_PREFIX

SECRET = "s3cr3t-Key!"

DOCUMENTATION = """
module: sample
short_description: A test module
description: Drives IpsecActionBase.
options:
  name:
    description: Policy to add.
    type: str
    required: true
  mode:
    description: What run_validated does.
    type: str
    choices: [add, add_then_fail, plan_error, read]
    default: add
  read_from:
    description: Where reads come from, as in every module.
    type: str
    choices: [registry, netsh]
    default: registry
  authentication:
    description: Carries the secret.
    type: dict
    suboptions:
      pre_shared_key:
        description: A secret.
        type: str
"""


class SampleAction(IpsecActionBase):
    """add: one write batch and one read batch. add_then_fail: a write batch whose second command fails.
    plan_error: a PlanError whose message quotes the secret. read: one read batch only."""

    module_name = "sample"
    seen: dict = {}

    def argument_spec(self) -> dict:
        return argument_spec_from_doc(DOCUMENTATION, no_log_names={"pre_shared_key"})

    def run_validated(self, params, *, check_mode, diff, runner):
        SampleAction.seen = {"params": params, "check_mode": check_mode, "diff": diff, "runner": runner}
        secret = (params["authentication"] or {}).get("pre_shared_key") or ""
        if params["mode"] == "plan_error":
            raise PlanError(f"cannot reach the desired state with key {secret}")
        if params["mode"] == "read":
            runner.run_batch([("ipsec", "static", "show", "policy", "all")], stop_on_error=False)
            return {"changed": False}
        writes = [("ipsec", "static", "add", "policy", f"name={params['name']}", f"description={secret}")]
        if params["mode"] == "add_then_fail":
            writes.append(("ipsec", "static", "delete", "policy", "name=Nope"))
        apply(runner, Outcome(before=Store(), after=Store(), changes=(), commands=tuple(writes)), on_failure=OnFailure.STOP)
        (shown,) = runner.run_batch([("ipsec", "static", "show", "policy", f"name={params['name']}")], stop_on_error=False)
        return {"changed": True, "shown": shown.stdout, "echo": secret}


@pytest.fixture
def connection(tmp_path: Path) -> MagicMock:
    """A connection whose exec_command runs the emulator's fake PowerShell; bytes out, like local/ssh."""
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json"), "NETSH_EMU_NOW": "2021-04-21T18:47:44"}

    def exec_command(cmd, in_data=None, sudoable=True):
        assert cmd.startswith(POWERSHELL_PREFIX) and sudoable is False
        return run_powershell(cmd.split()[1:], in_data, env)

    conn = MagicMock()
    conn.exec_command.side_effect = exec_command
    conn.transport = "winrm"
    conn.allow_executable = False
    conn.become = None
    return conn


def make_action(connection: MagicMock, args: dict, **task_fields) -> SampleAction:
    task = Task()
    task.action = "lockdown.ipsec.sample"
    task.args = args
    for field, value in task_fields.items():
        setattr(task, field, value)
    play_context = PlayContext()
    play_context.set_task_and_variable_override(task=task, variables={}, templar=MagicMock())
    return SampleAction(
        task=task, connection=connection, play_context=play_context, loader=DataLoader(), templar=None, shared_loader_obj=None
    )


def test_a_valid_task_runs_its_batches_in_two_round_trips(connection: MagicMock) -> None:
    result = make_action(connection, {"name": "P1"}, check_mode=True, diff=True).run(task_vars={})
    assert result["changed"] is True and not result.get("failed")
    assert "Policy Name            : P1" in result["shown"]
    assert connection.exec_command.call_count == 2
    assert SampleAction.seen["runner"].round_trips == 2
    assert SampleAction.seen["check_mode"] is True and SampleAction.seen["diff"] is True
    assert SampleAction.seen["params"] == {"name": "P1", "mode": "add", "read_from": "registry", "authentication": None}
    assert result["invocation"] == {"module_args": {"name": "P1", "mode": "add", "read_from": "registry", "authentication": None}}


def test_check_mode_and_diff_default_to_off(connection: MagicMock) -> None:
    make_action(connection, {"name": "P1"}).run(task_vars={})
    assert SampleAction.seen["check_mode"] is False and SampleAction.seen["diff"] is False


@pytest.mark.parametrize("where", ["task", "play_context"])
def test_become_is_refused_before_anything_runs(connection: MagicMock, where: str) -> None:
    # ansible-core copies task.become into the play context; set each one alone to check both.
    action = make_action(connection, {"name": "P1"}, become=(where == "task"))
    action._play_context.become = where == "play_context"
    result = action.run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == BECOME_REFUSED.format(module="sample")
    assert result["msg"] == (
        "lockdown.ipsec.sample runs netsh through a raw PowerShell command that cannot honour become; "
        "remove become from this task"
    )
    connection.exec_command.assert_not_called()


def test_every_validation_error_is_reported_and_nothing_runs(connection: MagicMock) -> None:
    args = {"mode": "sideways", "colour": "red", "authentication": {"pre_shared_key": SECRET, "kerberos": True}}
    result = make_action(connection, args).run(task_vars={})
    assert result["failed"] is True
    # The list of supported parameters that ends the message differs between ansible-core versions.
    assert result["msg"].startswith(
        "missing required arguments: name; "
        "value of mode must be one of: add, add_then_fail, plan_error, read, got: sideways; "
        "Unsupported parameters for (lockdown.ipsec.sample) module: authentication.kerberos, colour. "
        "Supported parameters include: "
    )
    assert SECRET not in str(result)
    connection.exec_command.assert_not_called()


def test_a_lockdown_error_is_a_failed_result_without_traceback(connection: MagicMock) -> None:
    result = make_action(connection, {"name": "P1", "mode": "plan_error"}).run(task_vars={})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == "cannot reach the desired state with key "
    assert "exception" not in result and "Traceback" not in str(result)
    connection.exec_command.assert_not_called()


def test_a_failed_batch_reports_what_ran_and_what_netsh_said(connection: MagicMock) -> None:
    result = make_action(connection, {"name": "P1", "mode": "add_then_fail"}).run(task_vars={})
    assert result["failed"] is True
    assert result["changed"] is True  # the first command did change the host
    assert result["succeeded_commands"] == ["netsh ipsec static add policy name=P1 description="]
    assert result["failed_command"] == {
        "command": "netsh ipsec static delete policy name=Nope",
        "rc": 1,
        "stdout": 'ERR IPsec[05901] : Policy "Nope" does not exist.\r\n',
        "stderr": "",
    }
    assert result["not_run_commands"] == []
    assert result["msg"] == (
        'netsh command 2 of 2 failed: netsh ipsec static delete policy name=Nope -> ERR IPsec[05901] : Policy "Nope" does not exist.'
        " The 1 before it were applied and the 0 after it were not"
    )
    # The sample's commands are not model changes, so only the read back can tell the store.
    assert [policy["name"] for policy in result["after"]["policies"]] == ["P1"]
    assert "exception" not in result and "undo_commands" not in result
    assert connection.exec_command.call_count == 2  # the write and the read back


class Interruption(BaseException):
    """Like ansible-core's task timeout: a BaseException raised wherever the task happens to be."""


@pytest.mark.parametrize("cause", [AnsibleConnectionFailure("winrm: connection reset by peer"), Interruption("Timed out after 5 second(s).")])
def test_a_write_whose_answer_never_comes_may_be_applied_in_part(connection: MagicMock, cause: BaseException) -> None:
    answer = connection.exec_command.side_effect

    def cut_off_after_running(cmd, in_data=None, sudoable=True):
        answer(cmd, in_data, sudoable)  # the batch ran on the host...
        raise cause  # ...but its answer never came back

    connection.exec_command.side_effect = cut_off_after_running
    result = make_action(connection, {"name": "P1"}).run(task_vars={})
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        f"the write batch of 1 netsh command(s) was sent to the host, but its answer never came back ({type(cause).__name__}: {cause}). "
        "Part of the batch, or all of it, may have been applied. Run the task again: it reads what the host holds and converges from there."
    )
    assert result["commands"] == ["netsh ipsec static add policy name=P1 description="]


def test_an_unreadable_answer_to_a_write_may_be_applied_in_part(connection: MagicMock) -> None:
    connection.exec_command.side_effect = lambda cmd, in_data=None, sudoable=True: (0, b"garbage", b"")
    result = make_action(connection, {"name": "P1"}).run(task_vars={})
    assert result["failed"] is True and result["changed"] is True
    assert "its answer never came back (TransportError: the host did not answer the netsh batch" in result["msg"]


def test_a_connection_failure_before_any_write_is_ansibles(connection: MagicMock) -> None:
    connection.exec_command.side_effect = AnsibleConnectionFailure("winrm: connection refused")
    with pytest.raises(AnsibleConnectionFailure):
        make_action(connection, {"name": "P1", "mode": "read"}).run(task_vars={})


def test_a_keyboard_interrupt_during_a_write_passes_through(connection: MagicMock) -> None:
    connection.exec_command.side_effect = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        make_action(connection, {"name": "P1"}).run(task_vars={})


def test_an_error_after_a_completed_write_reports_the_change(connection: MagicMock) -> None:
    answer = connection.exec_command.side_effect
    calls = []

    def read_fails(cmd, in_data=None, sudoable=True):
        calls.append(cmd)
        return answer(cmd, in_data, sudoable) if len(calls) == 1 else (0, b"no marker", b"")

    connection.exec_command.side_effect = read_fails
    result = make_action(connection, {"name": "P1"}).run(task_vars={})
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("the store was changed, then the task failed: the host did not answer the netsh batch")


def test_a_lost_connection_after_a_completed_write_reports_the_change(connection: MagicMock) -> None:
    answer = connection.exec_command.side_effect
    calls = []

    def connection_lost(cmd, in_data=None, sudoable=True):
        calls.append(cmd)
        if len(calls) == 1:
            return answer(cmd, in_data, sudoable)
        raise AnsibleConnectionFailure("winrm: connection reset by peer")

    connection.exec_command.side_effect = connection_lost
    result = make_action(connection, {"name": "P1"}).run(task_vars={})
    assert result == {
        "failed": True, "changed": True,
        "msg": "the store was changed, then the task failed: AnsibleConnectionFailure: winrm: connection reset by peer",
        "invocation": result["invocation"],
    }


@pytest.mark.parametrize("mode", ["add", "add_then_fail", "plan_error"])
def test_no_log_values_are_censored_everywhere(connection: MagicMock, mode: str) -> None:
    args = {"name": "P1", "mode": mode, "authentication": {"pre_shared_key": SECRET}}
    result = make_action(connection, args).run(task_vars={})
    assert SECRET not in repr(result)
    assert result["invocation"]["module_args"]["authentication"] == {"pre_shared_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
    if mode == "add":
        assert result["echo"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        assert "Description            : ********" in result["shown"]
    elif mode == "add_then_fail":
        assert result["succeeded_commands"] == ["netsh ipsec static add policy name=P1 description=********"]
    else:
        assert "********" in result["msg"]


def test_text_answers_from_the_connection_are_accepted(connection: MagicMock) -> None:
    answer = connection.exec_command.side_effect

    def exec_text(cmd, in_data=None, sudoable=True):
        rc, stdout, stderr = answer(cmd, in_data, sudoable)
        return rc, stdout.decode("ascii"), stderr.decode("utf-8")

    connection.exec_command.side_effect = exec_text
    result = make_action(connection, {"name": "P1"}).run(task_vars={})
    assert result["changed"] is True and "P1" in result["shown"]


def test_async_is_refused_by_ansible_core(connection: MagicMock) -> None:
    # 2.16: "async is not supported for this task."; 2.19+: "This action (...) does not support async."
    with pytest.raises(AnsibleActionFail, match="async"):
        make_action(connection, {"name": "P1"}, async_val=30).run(task_vars={})
    connection.exec_command.assert_not_called()
