#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_filter_action
short_description: Manage one filter action of the Windows static IPsec policy store
description:
  - Creates, changes or deletes one filter action of the Windows static IPsec policy store (C(netsh ipsec
    static)). A filter action says what happens to traffic that a rule's filter list matches; to lock a server
    down, V(permit) and V(block) are all you need.
  - Filter actions are shared, by name, between the rules of every policy.
  - Settings that are left out are not managed; an action that is created gets the defaults given with each
    option, and O(action) is required to create one.
  - The module runs on the controller and talks to Windows with one encoded PowerShell command per round trip,
    which runs C(netsh.exe) once per netsh command; it reads the store in one round trip and writes it in
    another. C(become) is not supported.
  - In check mode nothing is written; RV(after) is the predicted state and RV(commands) the commands that
    would run. In diff mode the diff shows the store before and after as a netsh script (C(pushd ipsec static)
    ... C(popd)), so C(--check --diff) reads like a change review.
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - lockdown.ipsec.ipsec.write
  - lockdown.ipsec.ipsec.filter_action
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  state:
    description:
      - V(present) creates or updates the filter action.
      - V(absent) deletes it. An action that a rule still uses is not deleted; the task fails before changing
        anything.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_filter_list
  - module: lockdown.ipsec.ipsec_policy
  - module: lockdown.ipsec.ipsec_assign
  - module: lockdown.ipsec.ipsec_config
  - module: lockdown.ipsec.ipsec_info
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# Seed 000: the rules pair their lists with Permit or Block.
- name: Permit action
  lockdown.ipsec.ipsec_filter_action:
    name: Permit
    description: Let matching traffic pass without negotiating security
    action: permit

- name: Block action
  lockdown.ipsec.ipsec_filter_action:
    name: Block
    action: block

# Seed 002: the AnalogX template's own actions, which use no encryption.
- name: APS - Permit
  lockdown.ipsec.ipsec_filter_action:
    name: APS - Permit
    action: permit

- name: APS - Deny
  lockdown.ipsec.ipsec_filter_action:
    name: APS - Deny
    action: block

- name: Require IPsec, 3DES first
  lockdown.ipsec.ipsec_filter_action:
    name: Require Security
    action: negotiate
    qmpfs: false
    inpass: false
    soft: false
    qm_security_methods:
      - ESP[3DES,SHA1]:100000k/3600s
      - ESP[3DES,MD5]:100000k/3600s

- name: Remove an action no rule uses
  lockdown.ipsec.ipsec_filter_action:
    name: Require Security
    state: absent
"""

RETURN = r"""
commands:
  description:
    - The netsh command lines the task ran, or in check mode would run, in order. Each is one Windows command
      line starting with C(netsh).
    - Pre-shared keys are shown as C(********).
  returned: always
  type: list
  elements: str
  sample:
    - netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no
before:
  description:
    - The store before the task, in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of
      M(lockdown.ipsec.ipsec_config), with every option present, objects sorted by name and pre-shared keys
      shown as C(********).
  returned: when the store was read
  type: dict
  contains:
    filter_lists:
      description: The filter lists with their filters.
      type: list
      elements: dict
    filter_actions:
      description: The filter actions.
      type: list
      elements: dict
    policies:
      description: The policies with their rules and default response rules.
      type: list
      elements: dict
    assigned:
      description: The name of the assigned policy, or an empty string when none is assigned.
      type: str
  sample:
    filter_lists: []
    filter_actions: []
    policies: []
    assigned: ""
after:
  description:
    - The store after the task, in the shape of RV(before). In check mode, the state the task predicts (not
      read back from the host).
    - After a partial failure, the store as read back from the host.
  returned: when the store was read
  type: dict
  contains:
    filter_lists:
      description: The filter lists with their filters.
      type: list
      elements: dict
    filter_actions:
      description: The filter actions.
      type: list
      elements: dict
    policies:
      description: The policies with their rules and default response rules.
      type: list
      elements: dict
    assigned:
      description: The name of the assigned policy, or an empty string when none is assigned.
      type: str
  sample:
    filter_lists: []
    filter_actions:
      - name: Block
        description: ""
        action: block
        inpass: false
        soft: false
        qmpfs: false
        qm_security_methods: []
    policies: []
    assigned: ""
failed_command:
  description:
    - When a netsh command failed, that command and what netsh said. The commands after it did not run.
  returned: when a netsh command failed
  type: dict
  contains:
    command:
      description: The command line, pre-shared keys shown as C(********).
      type: str
    rc:
      description: The exit code of C(netsh.exe).
      type: int
    stdout:
      description: What netsh printed.
      type: str
    stderr:
      description: What netsh printed to its error stream.
      type: str
  sample:
    command: >-
      netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no
    rc: 1
    stdout: "ERR IPsec[nnnnn] : (the message netsh printed)"
    stderr: ""
succeeded_commands:
  description:
    - When a netsh command failed, the command lines that ran and succeeded before it, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
not_run_commands:
  description:
    - When a netsh command failed, the command lines after it, which did not run, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
undo_commands:
  description:
    - When a netsh command failed and O(on_failure=rollback), the command lines that undid the commands before
      it, in order (empty when nothing had been applied).
  returned: when a netsh command failed and O(on_failure=rollback)
  type: list
  elements: str
  sample:
    - netsh ipsec static delete policy "name=Packet Filter"
"""
