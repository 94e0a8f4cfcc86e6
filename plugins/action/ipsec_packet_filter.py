# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of lockdown.ipsec.ipsec_packet_filter: the packet_filter role's whole work in one task.

Settings are checked and the configuration and the guard's packets built on the controller
(``plugin_utils/_packet_filter.py``); then one converge, ``overridden`` under the owner prefix, whose
guard refuses a predicted store that would block the management channel and whose write batch opens
with the backup export: one round trip when nothing changes or in check mode, two for a change.
"""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._action_module import (
    IpsecActionBase, backup_copy, backup_path, backup_result, on_failure,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._confirm import confirm_seconds
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._connection_port import connection_port
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._guard import check_packets, refuse_lockout
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import assignment_from, store_from_config, with_assignment
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._packet_filter import (
    build_config, management_guard, read_settings, refusal_advice, summary,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State
# The planner's own scope check, run early (it needs no host); _plan owns it and exports no public name.
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import check_scope
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._results import outcome_result

# The role whose variables are this module's options with this prefix (roles/packet_filter).
ROLE_NAME = "packet_filter"
ROLE_VARIABLE_PREFIX = "packet_filter_"
# Options whose role variable is not the prefix and the option's name.
ROLE_VARIABLES = {"backup_options.path": "packet_filter_backup_path", "backup_options.fetch_to": "packet_filter_backup_fetch_to"}


class ActionModule(IpsecActionBase):
    module_name = "ipsec_packet_filter"

    def run_validated(self, params, *, check_mode, diff, runner):
        name = self._option_name
        settings = read_settings(params, connection_port=connection_port(self._connection), name=name)
        config = build_config(settings)
        scope = Scope(settings.owner_prefix)
        given = store_from_config(config, fill_defaults=True)
        check_scope(given, State.OVERRIDDEN, scope)
        guard, verdicts = management_guard(settings), []
        copy = backup_copy(params, self._loader, option=name("backup_options.fetch_to"))
        seconds = confirm_seconds(params["confirm"], option=name("confirm"))

        def guarding(after: Store) -> None:
            if settings.allow_lockout:
                verdicts[:] = check_packets(after, guard)
            else:
                verdicts[:] = refuse_lockout(after, guard, advice=refusal_advice(name))

        outcome = converge(
            runner,
            lambda have: with_assignment(given, have, assigned=assignment_from(config)),
            state=State.OVERRIDDEN,
            scope=scope,
            check_mode=check_mode,
            on_failure=on_failure(params),
            carried=self.carried,
            accept_domain_policy=params["accept_domain_policy"],
            guard=guarding,
            backup_to=backup_path(params, option=name("backup_options.path")),
            keep_backup=copy,
            confirm_seconds=seconds,
        )
        result = backup_result(outcome_result(outcome, diff=diff), copy)
        result.update(policy=settings.policy, config=config, management_port=settings.management_port,
                      guard=[found.to_data() for found in verdicts], summary=summary(settings, verdicts))
        return result

    def _option_name(self, option: str) -> str:
        """How messages name an option: as the role's variable when the task is the packet_filter role's."""
        role = getattr(self._task, "_role", None)
        if role is not None and role.get_name().split(".")[-1] == ROLE_NAME:
            return ROLE_VARIABLES.get(option, ROLE_VARIABLE_PREFIX + option)
        return option
