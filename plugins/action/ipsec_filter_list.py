# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_filter_list: one filter list and its filters."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import filter_list_from
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import FilterList, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result


class ActionModule(IpsecActionBase):
    module_name = "ipsec_filter_list"

    def run_validated(self, params, *, check_mode, diff, runner):
        absent = params["state"] == "absent"
        if absent:
            state = State.DELETED
        else:
            state = State.MERGED if params["filters_mode"] == "merge" else State.REPLACED
        # Built before the first round trip, so that bad input fails without touching the host.
        given = FilterList(params["name"]) if absent else filter_list_from(params, fill_defaults=False)

        def want(have: Store) -> Store:
            if absent or given.name in have.filter_lists:
                # An existing list keeps what the task leaves out.
                return Store.of(filter_lists=[given])
            # A new one gets the documented defaults.
            return Store.of(filter_lists=[filter_list_from(params, fill_defaults=True)])

        return outcome_result(converge(runner, want, state=state, check_mode=check_mode, on_failure=on_failure(params), carried=self.carried), diff=diff)
