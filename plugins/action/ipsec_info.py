# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_info: the whole store as data, in one round trip (in a check run,
the store the earlier tasks of the run predicted, if any, without a round trip)."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import current_state
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data


class ActionModule(IpsecActionBase):
    module_name = "ipsec_info"

    def run_validated(self, params, *, check_mode, diff, runner):
        state, predicted = current_state(runner, check_mode=check_mode, carried=self.carried)
        domain = state.domain_policy
        # In a check run, the store the earlier tasks predicted, and the result says so.
        result = {"changed": False, "config": store_to_data(state.store),
                  "domain_policy": None if domain is None else {"name": domain.name, "path": domain.path}}
        if predicted:
            result["predicted"] = True
        return result
