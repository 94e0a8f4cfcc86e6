# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_config: a whole configuration, with resource-module states."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge, current_store, rendered
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import assignment_from, store_from_config, with_assignment
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import parse_show
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State
# The planner's own scope check, run early (it needs no host); _plan owns it and exports no public name.
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import check_scope
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import command_line
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result

# What ipsec_config's running_config holds for state=parsed (see the module documentation).
PARSED_COMMAND = "netsh ipsec static show all"


class ActionModule(IpsecActionBase):
    module_name = "ipsec_config"

    def run_validated(self, params, *, check_mode, diff, runner):
        state, config = params["state"], params["config"]
        if state == "gathered":
            store, predicted = current_store(runner, check_mode=check_mode, carried=self.carried)
            return {"changed": False, "gathered": store_to_data(store), **({"predicted": True} if predicted else {})}
        if state == "parsed":
            if params["running_config"] is None:
                raise InvalidInput("running_config", None, "is required by state parsed: give the output of netsh ipsec static show all")
            return {"changed": False, "parsed": store_to_data(parse_show(PARSED_COMMAND, params["running_config"]))}
        if state == "rendered":
            want = with_assignment(store_from_config(config, fill_defaults=True), Store(), assigned=assignment_from(config))
            return {"changed": False, "rendered": [command_line(argv) for argv in rendered(want)]}
        # Every refusal that needs no host, before the first round trip: bad values, contradicting
        # options, a filter action that replaced would create without an action, a missing owner
        # prefix, objects outside it.
        scope = Scope(params["owner_prefix"])
        check_scope(store_from_config(config, fill_defaults=state in ("replaced", "overridden")), State(state), scope)
        outcome = converge(
            runner,
            lambda have: _desired(config, have, state),
            state=State(state),
            scope=scope,
            check_mode=check_mode,
            on_failure=on_failure(params),
            carried=self.carried,
        )
        return outcome_result(outcome, diff=diff)


def _desired(config, have: Store, state: str) -> Store:
    """The desired store for a converging state: merged leaves out what the config leaves out on
    objects the host has; replaced and overridden fill the documented defaults."""
    if state == "merged":
        want = store_from_config(config, fill_defaults=False, existing=have)
    else:
        want = store_from_config(config, fill_defaults=state != "deleted")
    return want if state == "deleted" else with_assignment(want, have, assigned=assignment_from(config))
