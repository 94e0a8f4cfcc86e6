# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_policy: one policy, its rules and default response rule."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import IpsecActionBase, on_failure
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import policy_from
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import FilterAction, FilterList, Policy, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State, exclusively_used
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result


class ActionModule(IpsecActionBase):
    module_name = "ipsec_policy"

    def run_validated(self, params, *, check_mode, diff, runner):
        name, absent = params["name"], params["state"] == "absent"
        # Built before the first round trip, so that bad input fails without touching the host.
        given = Policy(name) if absent else policy_from(params, fill_defaults=False)

        def want(have: Store) -> Store:
            if absent:
                return _removal(have, given.name, with_unused=params["delete_unused"])
            if given.name in have.policies:
                # An existing policy keeps what the task leaves out.
                return Store.of(policies=[given])
            return Store.of(policies=[policy_from(params, fill_defaults=True)])

        if absent:
            state = State.DELETED
        else:
            state = State.MERGED if params["rules_mode"] == "merge" else State.REPLACED
        return outcome_result(converge(runner, want, state=state, check_mode=check_mode, on_failure=on_failure(params), carried=self.carried), diff=diff)


def _removal(have: Store, name: str, *, with_unused: bool) -> Store:
    """The policy to delete and, with ``with_unused`` (like ``ipsecpol -o``), the filter lists and
    filter actions that no other policy uses."""
    lists, actions = exclusively_used(have, name) if with_unused and name in have.policies else ((), ())
    return Store.of(
        policies=[Policy(name)],
        filter_lists=[FilterList(item) for item in lists],
        filter_actions=[FilterAction(item) for item in actions],
    )
