# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_backup: export the store, or restore it, never leaving less.

``exported``: one round trip, the read batch followed by ``exportpolicy`` when ``path`` is given; with
``controller_file`` the store is also written on the controller as a structured backup.
``restored`` from ``path`` (native): a read once the file opens on the host, one write batch (``delete
all``, ``importpolicy``, the assignment) undone if any command fails, and a read back. From
``controller_file`` (structured): an exact plan to the stored store, like any other change.
The flows are in ``plugin_utils/_backup.py``.
"""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import BackupCopy, IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._argspec import validated_option
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._backup import UNPREDICTABLE, export, export_command, restore_native, restore_structured
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._backup_file import backup_text, read_backup, write_backup
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import OnFailure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import complete_store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import check_text
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import command_line, render_script
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import DIFF_HEADER, outcome_result

UNPREDICTABLE_WARNING = (
    "the store after restoring the native export {path} cannot be predicted in check mode (its content cannot be read "
    "on the controller): 'after' is null, and the later tasks of this check run read the host again. A structured backup "
    "(controller_file) is restored with an exact prediction."
)


class ActionModule(IpsecActionBase):
    module_name = "ipsec_backup"

    def run_validated(self, params, *, check_mode, diff, runner):
        path, controller_file, assigned = params["path"], params["controller_file"], params["assigned"]
        if path is not None:
            check_text("path", path, allow_empty=False)
        if assigned:
            check_text("assigned", assigned, allow_empty=False)
        local = self._loader.path_dwim(controller_file) if controller_file else None
        if params["state"] == "exported":
            if path is None and local is None:
                raise InvalidInput("path", None, "state exported needs path (a native export on the host), controller_file "
                                                 "(a structured backup on the controller), or both")
            return self._export(runner, path, local, params["fetch_to"], check_mode=check_mode)
        if params["fetch_to"]:
            raise InvalidInput("fetch_to", params["fetch_to"], "applies to state exported only (a copy of the export it makes)")
        if (path is None) == (local is None):
            raise InvalidInput("path", path, "state restored needs exactly one of path (a native export on the host) and "
                                             "controller_file (a structured backup on the controller)")
        if local is not None:
            if assigned:
                raise InvalidInput("assigned", assigned, "applies to a native restore (path) only: a structured backup "
                                                         "records the assigned policy itself")
            target = complete_store_from_config(validated_option("ipsec_config", "config", read_backup(local), source=f"controller_file {local}"))
            outcome = restore_structured(runner, target, check_mode=check_mode, on_failure=on_failure(params), carried=self.carried,
                                         accept_domain_policy=params["accept_domain_policy"])
            return outcome_result(outcome, diff=diff)
        if on_failure(params) is OnFailure.STOP:
            raise InvalidInput("on_failure", "stop", "cannot be used with a native restore (path): a native restore that "
                                                     "fails after 'delete all' is always undone, so it never leaves less than it found")
        outcome = restore_native(runner, path, assigned, check_mode=check_mode, carried=self.carried,
                                 accept_domain_policy=params["accept_domain_policy"])
        return _native_result(outcome, path, check_mode=check_mode, diff=diff)

    def _export(self, runner, path, local, fetch_to, *, check_mode) -> dict:
        if fetch_to and path is None:
            raise InvalidInput("fetch_to", fetch_to, "copies the native export: it needs path")
        copy = BackupCopy(self._loader.path_dwim(fetch_to), option="fetch_to") if fetch_to else None
        store, notes = export(runner, path, check_mode=check_mode, carried=self.carried, keep_backup=copy)
        # A native export always writes its file: changed, and in check mode what would run.
        result = {"changed": path is not None, "assigned": store.assigned_policy or "", "config": store_to_data(store),
                  "commands": [] if path is None else [command_line(export_command(path))]}
        if copy is not None and copy.written:
            result["fetched_to"] = copy.path
        if notes:
            result["warnings"] = list(notes)
        if local is not None:
            text = backup_text(store, host=self.task_vars.get("inventory_hostname", "the host"))
            written = write_backup(local, text, check_mode=check_mode)
            result.update(changed=result["changed"] or written, controller_file=local)
        return result


def _native_result(outcome, path: str, *, check_mode: bool, diff: bool) -> dict:
    """A native restore's result: in check mode ``after`` is unknown, and the task says so."""
    result = outcome_result(outcome, diff=diff)
    if check_mode:
        result["after"] = None
        result["warnings"] = [UNPREDICTABLE_WARNING.format(path=path)]
        if diff:
            result["diff"] = {"before_header": f"{DIFF_HEADER} (before)", "after_header": f"{DIFF_HEADER} (after)",
                              "before": render_script(outcome.before), "after": UNPREDICTABLE.format(path=path)}
    return result
