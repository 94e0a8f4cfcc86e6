# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_filter_action: one filter action."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import filter_action_from
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import FilterAction, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result


class ActionModule(IpsecActionBase):
    module_name = "ipsec_filter_action"

    def run_validated(self, params, *, check_mode, diff, runner):
        absent = params["state"] == "absent"
        # Built before the first round trip, so that bad input fails without touching the host. Only
        # "action is required to create one" depends on the host, and is checked in want().
        given = FilterAction(params["name"]) if absent else filter_action_from(params, fill_defaults=False)

        def want(have: Store) -> Store:
            if absent or given.name in have.filter_actions:
                # An existing action keeps whatever the task leaves out.
                return Store.of(filter_actions=[given])
            # Creating an action needs an action (filled defaults refuse to guess one).
            return Store.of(filter_actions=[filter_action_from(params, fill_defaults=True)])

        state = State.DELETED if params["state"] == "absent" else State.REPLACED
        return outcome_result(converge(runner, want, state=state, check_mode=check_mode, on_failure=on_failure(params), carried=self.carried), diff=diff)
