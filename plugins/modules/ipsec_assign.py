#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_assign
short_description: Assign or unassign a policy of the Windows static IPsec policy store
description:
  - Sets which policy of the Windows static IPsec policy store (C(netsh ipsec static)) is assigned, that is,
    which one the IPsec policy agent enforces. Only one policy is assigned at a time; assigning one unassigns
    the other. The change applies at once, without a reboot.
  - Assign a lockdown policy only when it is complete and permits the connection Ansible uses (WinRM or SSH),
    or the host may become unreachable.
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
  - lockdown.ipsec.ipsec.assignment
  - lockdown.ipsec.ipsec.confirm
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  name:
    description:
      - The name of the policy. It must exist on the host.
      - Required with O(state=assigned).
      - With O(state=unassigned), the policy is unassigned if it is the assigned one; otherwise (also when no
        policy of that name exists) nothing changes. Left out with O(state=unassigned), whatever policy is
        assigned is unassigned.
    type: str
  state:
    description:
      - V(assigned) makes O(name) the assigned policy.
      - V(unassigned) makes sure that O(name), or with O(name) left out any policy, is not assigned.
    type: str
    choices: [assigned, unassigned]
    default: assigned
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_filter_list
  - module: lockdown.ipsec.ipsec_filter_action
  - module: lockdown.ipsec.ipsec_policy
  - module: lockdown.ipsec.ipsec_config
  - module: lockdown.ipsec.ipsec_info
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# Seed 000: "ipsecpol -w REG -p "Packet Filter" -x", once the server is completely built.
- name: Assign the lockdown policy
  lockdown.ipsec.ipsec_assign:
    name: Packet Filter

# Seed 000: "If you need to temporarily unassign a policy, replace -x with -y."
- name: Temporarily unassign it
  lockdown.ipsec.ipsec_assign:
    name: Packet Filter
    state: unassigned

- name: Make sure no policy is assigned at all
  lockdown.ipsec.ipsec_assign:
    state: unassigned

# Seed 002: the template is installed unassigned; assign it after review.
- name: Assign the AnalogX template
  lockdown.ipsec.ipsec_assign:
    name: APS - AnalogX Public Server
    state: assigned

# Commit confirmed: if the policy cuts off this connection's port, the host restores what it had two minutes
# later by itself, and the task fails saying when.
- name: Assign the lockdown policy, rolled back unless still reachable
  lockdown.ipsec.ipsec_assign:
    name: Packet Filter
    confirm: 120
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
    - netsh ipsec static set policy "name=Packet Filter" assign=yes
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
    policies:
      - name: Packet Filter
        description: ""
        rules:
          - name: All inbound traffic
            filter_list: All inbound traffic
            filter_action: Block
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
          - name: Inbound web protocols
            filter_list: Inbound web protocols
            filter_action: Permit
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
        default_response_rule:
          activate: false
          qmpfs: false
          qm_security_methods: []
          authentication: []
        polling_interval: 180
        mmpfs: false
        qm_per_mm: 0
        mm_lifetime: 480
        mm_security_methods: [3DES-SHA1-2, 3DES-MD5-2, DES-SHA1-1, DES-MD5-1]
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
    filter_actions: []
    policies:
      - name: Packet Filter
        description: ""
        rules:
          - name: All inbound traffic
            filter_list: All inbound traffic
            filter_action: Block
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
          - name: Inbound web protocols
            filter_list: Inbound web protocols
            filter_action: Permit
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
        default_response_rule:
          activate: false
          qmpfs: false
          qm_security_methods: []
          authentication: []
        polling_interval: 180
        mmpfs: false
        qm_per_mm: 0
        mm_lifetime: 480
        mm_security_methods: [3DES-SHA1-2, 3DES-MD5-2, DES-SHA1-1, DES-MD5-1]
    assigned: "Packet Filter"
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
      netsh ipsec static set policy "name=Packet Filter" assign=yes
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
rollback:
  description:
    - With O(confirm), the rollback armed for a change that touches the assigned policy. It is in a failed task's
      result too, saying whether the rollback was disarmed or left to fire.
  returned: when O(confirm) is set and the change touches the assigned policy (or would, in check mode)
  type: dict
  sample:
    status: confirmed
    seconds: 120
    at: '2026-12-07T02:41:07.0000000Z'
    task: lockdown-ipsec-rollback
    file: 'C:\Windows\Temp\lockdown-ipsec-rollback-5f0c3a9e1b2d4c6f.ipsec'
    restores: Baseline
  contains:
    status:
      description:
        - C(would_arm) (check mode), C(confirmed) (armed, and disarmed over a new connection after the change),
          C(disarmed) (the write failed, and the rollback was disarmed), C(left_to_fire) (no new connection could be
          made, or the rollback could not be disarmed), C(fired) (it ran before the confirmation reached the host).
      type: str
      sample: confirmed
    seconds:
      description: O(confirm).
      type: int
      sample: 120
    at:
      description: When the rollback fires or would have fired (UTC, the host's clock); null in check mode.
      type: str
      sample: '2026-12-07T02:41:07.0000000Z'
    task:
      description: The scheduled task on the host.
      type: str
      sample: lockdown-ipsec-rollback
    file:
      description: The export on the host that the rollback imports (deleted when it is disarmed or has run).
      type: str
      sample: 'C:\Windows\Temp\lockdown-ipsec-rollback-5f0c3a9e1b2d4c6f.ipsec'
    restores:
      description: The policy the rollback assigns again, or null when none was assigned before the change.
      type: str
      sample: Baseline
"""
