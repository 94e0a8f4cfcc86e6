# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_config: a whole configuration, with resource-module states."""

from __future__ import annotations

from ansible.errors import AnsibleError

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import (
    IpsecActionBase, backup_copy, backup_path, backup_result, on_failure,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._config_file import load_config_file
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._confirm import confirm_seconds
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge, current_store, rendered
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._guard import guard_from_option, refuse_lockout
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import assignment_from, store_from_config, with_assignment
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._running_config import decode_file, parse_running_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State
# The planner's own scope check, run early (it needs no host); _plan owns it and exports no public name.
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import check_scope
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import command_line
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result


class ActionModule(IpsecActionBase):
    module_name = "ipsec_config"

    def task_arguments(self) -> dict:
        """The task's arguments, with ``config`` read from the file ``src`` names when it is given."""
        arguments = super().task_arguments()
        src = arguments.get("src")
        if src is None:
            return arguments
        if not isinstance(src, str) or not src:
            raise InvalidInput("src", src, "expected the path of a YAML or JSON file on the controller")
        if arguments.get("config") is not None:
            raise InvalidInput("src", src, "and config are mutually exclusive: give the configuration in one of them")
        try:
            path = self._find_needle("files", src)
        except AnsibleError:
            raise InvalidInput("src", src, "was not found (looked for in the role's or play's files/ directory, and as given)") from None
        return {**arguments, "config": load_config_file(path)}

    def invocation(self, params: dict) -> dict:
        """The validated arguments; with ``src``, ``config`` is what the file holds and is not repeated."""
        if params.get("src") is None:
            return params
        return {**params, "config": f"(read from src: {len((params['config'] or {}).get('filter_lists') or [])} filter lists)"}

    def run_validated(self, params, *, check_mode, diff, runner):
        state, config = params["state"], params["config"]
        if state == "gathered":
            store, predicted = current_store(runner, check_mode=check_mode, carried=self.carried)
            return {"changed": False, "gathered": store_to_data(store), **({"predicted": True} if predicted else {})}
        if state == "parsed":
            return _parsed(*parse_running_config(self._running_config(params), fmt=params["running_config_format"]))
        if state == "rendered":
            want = with_assignment(store_from_config(config, fill_defaults=True), Store(), assigned=assignment_from(config))
            return {"changed": False, "rendered": [command_line(argv) for argv in rendered(want)]}
        # Every refusal that needs no host, before the first round trip: bad values, contradicting
        # options, a filter action that replaced would create without an action, a missing owner
        # prefix, objects outside it.
        scope = Scope(params["owner_prefix"])
        given = store_from_config(config, fill_defaults=state in ("replaced", "overridden"))
        check_scope(given, State(state), scope)
        guard, verdicts = guard_from_option(params["guard"]), []
        copy = backup_copy(params, self._loader)
        seconds = confirm_seconds(params["confirm"])

        def guarding(after: Store) -> None:
            verdicts[:] = refuse_lockout(after, guard, advice="Permit the guard's packets in the policy that will be assigned.")

        outcome = converge(
            runner,
            lambda have: _desired(config, have, state, given),
            state=State(state),
            scope=scope,
            check_mode=check_mode,
            on_failure=on_failure(params),
            carried=self.carried,
            accept_domain_policy=params["accept_domain_policy"],
            guard=None if guard is None else guarding,
            backup_to=backup_path(params),
            keep_backup=copy,
            confirm_seconds=seconds,
        )
        result = backup_result(outcome_result(outcome, diff=diff), copy)
        if guard is not None:
            result["guard"] = [found.to_data() for found in verdicts]
        return result

    def _running_config(self, params) -> str:
        text, path = params["running_config"], params["running_config_file"]
        if (text is None) == (path is None):
            raise InvalidInput("running_config", text, "state parsed needs exactly one of running_config and running_config_file "
                                                       "(netsh ipsec static show all text, a regedit export of the IPsec key, or a script)")
        if text is not None:
            return text
        local = self._loader.path_dwim(path)
        try:
            with open(local, "rb") as handle:
                return decode_file(handle.read(), path=local, encoding=params["running_config_encoding"])
        except OSError as error:
            raise InvalidInput("running_config_file", local, f"cannot be read: {error.strerror or error}") from None


def _parsed(store: Store, unsupported) -> dict:
    """The result of state parsed: the store, and for a script every line it could not translate."""
    result = {"changed": False, "parsed": store_to_data(store)}
    if unsupported is not None:
        result["unsupported"] = [{"line": entry.line, "text": entry.text, "reason": entry.reason} for entry in unsupported]
        if unsupported:
            lines = ", ".join(str(entry.line) for entry in unsupported[:10]) + (", ..." if len(unsupported) > 10 else "")
            result["warnings"] = [f"{len(unsupported)} line(s) of the script could not be translated and are not in 'parsed' "
                                  f"(lines {lines}); 'unsupported' says why for each"]
    return result


def _desired(config, have: Store, state: str, given: Store) -> Store:
    """The desired store for a converging state: merged leaves out what the config leaves out on
    objects the host has; replaced and overridden fill the documented defaults; deleted names. Every
    state but merged takes ``given``, the config read as :func:`run_validated` already read it."""
    if state == "merged":
        want = store_from_config(config, fill_defaults=False, existing=have)
    else:
        want = given
    return want if state == "deleted" else with_assignment(want, have, assigned=assignment_from(config))
