# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter plugin lockdown.ipsec.ipsec_name_rules: name the rules a configuration holds without a name."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ipsec_name_rules
short_description: Name the rules a configuration holds without a name, so that it can be applied
version_added: 0.1.0
author:
  - lockdown.ipsec contributors (!UNKNOWN)
description:
  - Rules made in the IP Security Policies console have no name. The collection reads them, as a policy's
    C(unnamed_rules), from a host (M(lockdown.ipsec.ipsec_info)) or from a regedit export
    (M(lockdown.ipsec.ipsec_config) with O(lockdown.ipsec.ipsec_config#module:state=parsed)), but never creates or
    changes one, because netsh adds rules by name.
  - This filter returns the configuration with each such rule turned into an ordinary rule named after its filter
    list (C(Block List), then C(Block List (2)), ... where a name is taken in the policy), so that the configuration
    can be applied with M(lockdown.ipsec.ipsec_config). Review the result with C(--check --diff) first.
positional: _input
options:
  _input:
    description: Configuration data in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option.
    type: dict
    required: true
notes:
  - Pre-shared keys in results are C(********); a configuration holding one cannot be applied until the real key is
    put back (the modules refuse C(********) as a key).
seealso:
  - module: lockdown.ipsec.ipsec_config
"""

EXAMPLES = r"""
- name: Read a policy distributed as a regedit export
  lockdown.ipsec.ipsec_config:
    state: parsed
    running_config_file: files/role-based-template.reg
  register: template

- name: Apply it, its console-made rules named after their filter lists
  lockdown.ipsec.ipsec_config:
    state: merged
    config: "{{ template.parsed | lockdown.ipsec.ipsec_name_rules }}"
"""

RETURN = r"""
_value:
  description: The configuration data, with no policy holding C(unnamed_rules).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._rule_naming import name_unnamed_rules


def ipsec_name_rules(config):
    """``config`` with every unnamed rule named after its filter list."""
    try:
        return name_unnamed_rules(config)
    except LockdownError as error:
        raise AnsibleFilterError(f"lockdown.ipsec.ipsec_name_rules: {error}") from None


class FilterModule:
    """The collection's ipsec_name_rules filter."""

    def filters(self):
        return {"ipsec_name_rules": ipsec_name_rules}
