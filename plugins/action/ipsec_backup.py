# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_backup: export the store to a file on the host, or restore it.

``exported``: one round trip, the read batch followed by ``exportpolicy`` (the store as it was
exported is returned for the record, with the assigned policy, which an export does not carry).
``restored``: a read, one write batch (``delete all``, ``importpolicy``, and ``set policy ...
assign=yes`` when ``assigned`` is given: an import never assigns, SYNTAX.md §8), and a read back.
Check mode only reads.
"""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import Outcome, gather, read_store, write
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import check_text
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import READ_COMMANDS
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import CONTEXT, command_line
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import store_diff


def export_command(path: str) -> tuple[str, ...]:
    return (*CONTEXT, "exportpolicy", f"file={path}")


def restore_commands(path: str, assigned: str | None) -> list[tuple[str, ...]]:
    commands = [(*CONTEXT, "delete", "all"), (*CONTEXT, "importpolicy", f"file={path}")]
    if assigned:
        commands.append((*CONTEXT, "set", "policy", f"name={assigned}", "assign=yes"))
    return commands


class ActionModule(IpsecActionBase):
    module_name = "ipsec_backup"

    def run_validated(self, params, *, check_mode, diff, runner):
        path, assigned = params["path"], params["assigned"]
        check_text("path", path, allow_empty=False)
        if assigned:
            check_text("assigned", assigned, allow_empty=False)
        if params["state"] == "exported":
            return _export(runner, path, check_mode=check_mode)
        return _restore(runner, path, assigned, check_mode=check_mode, diff=diff)


def _export(runner, path: str, *, check_mode: bool) -> dict:
    if check_mode:
        store = store_to_data(gather(runner))
        return {"changed": False, "assigned": store["assigned"] or "", "config": store, "commands": []}
    export = export_command(path)
    results = runner.run_batch([*READ_COMMANDS, export], stop_on_error=False)
    reads, exported = results[:len(READ_COMMANDS)], results[-1]
    store = store_to_data(read_store(reads))
    if exported.failed:
        said = (exported.stdout + exported.stderr).strip() or f"exit code {exported.rc}"
        raise LockdownError(f"netsh could not export the IPsec policy store: {command_line(export)} -> {said}")
    return {"changed": True, "assigned": store["assigned"] or "", "config": store, "commands": [command_line(export)]}


def _restore(runner, path: str, assigned: str | None, *, check_mode: bool, diff: bool) -> dict:
    before = gather(runner)
    commands = restore_commands(path, assigned)
    lines = [command_line(argv) for argv in commands]
    if check_mode:
        result = {"changed": True, "commands": lines, "before": store_to_data(before), "after": store_to_data(before)}
        if diff:
            result["diff"] = store_diff(before, before)
        return result
    # A restore's commands are not model changes, so a failure cannot be predicted: the store is read
    # back, and the failure reported by the action shim in the shape every module uses.
    write(runner, Outcome(before=before, after=before, changes=(), commands=tuple(commands)), read_back=True)
    after = gather(runner)
    result = {"changed": True, "commands": lines, "before": store_to_data(before), "after": store_to_data(after)}
    if diff:
        result["diff"] = store_diff(before, after)
    return result
