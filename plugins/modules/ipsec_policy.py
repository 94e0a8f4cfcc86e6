#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_policy
short_description: Manage one policy of the Windows static IPsec policy store, with its rules
description:
  - Creates, changes or deletes one policy of the Windows static IPsec policy store (C(netsh ipsec static))
    with its rules and its default response rule. A rule pairs a filter list with a filter action; the filter
    lists and filter actions are managed by M(lockdown.ipsec.ipsec_filter_list) and
    M(lockdown.ipsec.ipsec_filter_action) (or together with the policy by M(lockdown.ipsec.ipsec_config)), and
    must exist before the task runs.
  - Assigning the policy is M(lockdown.ipsec.ipsec_assign)'s job; this module never changes which policy is
    assigned. It may change the assigned policy, though, and then orders its commands so that no intermediate
    state blocks traffic that both the old and the new state let through (permits are added before blocks,
    blocks removed before permits).
  - Rules are matched by specificity, not by order, so rules have no order to manage.
  - Settings that are left out are not managed; a policy or rule that is created gets the defaults given with
    each option (the default response rule is created inactive).
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
  - lockdown.ipsec.ipsec.policy
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  rules_mode:
    description:
      - How O(rules) applies to a policy that exists.
      - V(exact) makes O(rules) the exact rule set of the policy; rules on the host that are not given are
        deleted.
      - V(merge) adds the given rules that are missing and updates the given ones that differ, and deletes
        none.
      - Has no effect when O(rules) is left out.
    type: str
    choices: [exact, merge]
    default: exact
  state:
    description:
      - V(present) creates or updates the policy.
      - V(absent) deletes the policy with its rules (unassigning it first if it is assigned).
    type: str
    choices: [present, absent]
    default: present
  delete_unused:
    description:
      - With O(state=absent), also delete the filter lists and filter actions that only this policy's rules
        use, as C(ipsecpol -o) does. Lists and actions that another policy uses are kept.
      - Ignored with O(state=present).
    type: bool
    default: false
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
  - module: lockdown.ipsec.ipsec_assign
  - module: lockdown.ipsec.ipsec_config
  - module: lockdown.ipsec.ipsec_info
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# Seed 000: the web server's "Packet Filter" policy, its lists and actions created beforehand
# with lockdown.ipsec.ipsec_filter_list and lockdown.ipsec.ipsec_filter_action.
- name: Permit the web protocols, block all other inbound traffic
  lockdown.ipsec.ipsec_policy:
    name: Packet Filter
    default_response_rule:
      activate: false
    rules:
      - name: Inbound web protocols
        filter_list: Inbound web protocols
        filter_action: Permit
        authentication:
          - kerberos: true
      - name: All inbound traffic
        filter_list: All inbound traffic
        filter_action: Block

# Seed 000, a server that is also a mail server: one rule more, the others left as they are.
- name: Add the mail rule
  lockdown.ipsec.ipsec_policy:
    name: Packet Filter
    rules_mode: merge
    rules:
      - name: Inbound/outbound mail
        filter_list: Inbound/outbound mail
        filter_action: Permit

# Seed 002: the AnalogX template's policy; every service rule is there but only some are active.
- name: APS - AnalogX Public Server
  lockdown.ipsec.ipsec_policy:
    name: APS - AnalogX Public Server
    description: Role-based template, every rule configured, enable what the server needs
    rules:
      - name: APS - HTTP Server
        filter_list: APS - HTTP Server
        filter_action: APS - Permit
        activate: false
      - name: APS - Terminal Services Server
        filter_list: APS - Terminal Services Server
        filter_action: APS - Permit
        activate: true
      - name: APS - DNS Client
        filter_list: APS - DNS Client
        filter_action: APS - Permit
        activate: true
      - name: APS - Deny TCP
        filter_list: APS - All TCP
        filter_action: APS - Deny
      - name: APS - Deny UDP
        filter_list: APS - All UDP
        filter_action: APS - Deny
      - name: APS - Deny ICMP
        filter_list: APS - All ICMP
        filter_action: APS - Deny

# Seed 000: "ipsecpol -w REG -p policyname -o" deletes the policy with its lists and actions.
- name: Delete the policy and the lists and actions only it used
  lockdown.ipsec.ipsec_policy:
    name: Packet Filter
    state: absent
    delete_unused: true
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
    - netsh ipsec static add policy "name=Packet Filter" mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0
      "mmsecmethods=3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1"
    - netsh ipsec static add rule "name=Inbound web protocols" "policy=Packet Filter" "filterlist=Inbound web
      protocols" filteraction=Permit activate=yes conntype=all
    - netsh ipsec static set defaultrule "policy=Packet Filter" activate=no qmpfs=no qmsecmethods=
    - netsh ipsec static add rule "name=All inbound traffic" "policy=Packet Filter" "filterlist=All inbound
      traffic" filteraction=Block activate=yes conntype=all
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
      netsh ipsec static add rule "name=Inbound web protocols" "policy=Packet Filter"
      "filterlist=Inbound web protocols" filteraction=Permit activate=yes conntype=all
    rc: 1
    stdout: "ERR IPsec[nnnnn] : (the message netsh printed)"
    stderr: ""
succeeded_commands:
  description:
    - When a netsh command failed, the command lines that ran and succeeded before it, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample:
    - netsh ipsec static add policy "name=Packet Filter" mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0
      "mmsecmethods=3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1"
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
