# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_assign: which policy is assigned (one at a time)."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._confirm import confirm_seconds
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import assign_from
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import check_text
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result


class ActionModule(IpsecActionBase):
    module_name = "ipsec_assign"

    def run_validated(self, params, *, check_mode, diff, runner):
        # A name netsh cannot be given fails before the first round trip; whether it exists needs the host.
        if params["name"] is not None:
            check_text("name", params["name"], allow_empty=False)
        seconds = confirm_seconds(params["confirm"])
        outcome = converge(runner, lambda have: assign_from(params, have=have), state=State.MERGED, check_mode=check_mode,
                           on_failure=on_failure(params), carried=self.carried,
                           accept_domain_policy=params["accept_domain_policy"], confirm_seconds=seconds)
        return outcome_result(outcome, diff=diff)
