#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_filter_list
short_description: Manage one filter list of the Windows static IPsec policy store
description:
  - Creates, changes or deletes one filter list of the Windows static IPsec policy store (C(netsh ipsec
    static)) and its filters. A filter list says which traffic a rule applies to; a rule of a policy pairs it
    with a filter action.
  - A filter has no name, its settings are its identity. The module compares filters by meaning (V(any) and
    C(0.0.0.0/0) are the same address) and changes only what differs. With O(filters_mode=exact) it deletes
    the filters that are not wanted and adds the missing ones, never deleting and re-adding the whole list.
  - netsh takes one port per filter, so a filter with a list or range of ports becomes one filter per port.
  - Settings that are left out are not managed; a list that is created gets the defaults given with each
    option.
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
  - lockdown.ipsec.ipsec.filter_list
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  filters_mode:
    description:
      - How O(filters) applies to a list that exists.
      - V(exact) makes O(filters) the exact filter set of the list; filters on the host that are not given are
        deleted, and so are duplicate copies of a filter.
      - V(merge) only adds the given filters that are missing and deletes nothing.
      - Has no effect when O(filters) is left out.
    type: str
    choices: [exact, merge]
    default: exact
  state:
    description:
      - V(present) creates or updates the list.
      - V(absent) deletes it with its filters. A list that a rule still uses is not deleted; the task fails
        before changing anything. Delete or change the rule first with M(lockdown.ipsec.ipsec_policy).
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
  - module: lockdown.ipsec.ipsec_filter_action
  - module: lockdown.ipsec.ipsec_policy
  - module: lockdown.ipsec.ipsec_assign
  - module: lockdown.ipsec.ipsec_config
  - module: lockdown.ipsec.ipsec_info
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# "Using IPSec to Lock Down a Server" (seed 000): the web server's filter lists.
- name: Match the web protocols coming into this server (TCP 80 and 443)
  lockdown.ipsec.ipsec_filter_list:
    name: Inbound web protocols
    description: HTTP and HTTPS from anywhere to this server
    filters:
      - source: any
        destination: me
        protocol: tcp
        destination_port: [80, 443]
        mirrored: true

- name: Match all inbound traffic, to be blocked by the policy's catch-all rule
  lockdown.ipsec.ipsec_filter_list:
    name: All inbound traffic
    filters:
      - source: any
        destination: me
        protocol: any

# Seed 000's mail server: POP3, POP3S, IMAP, IMAPS and SMTP inbound, SMTP outbound.
- name: Match the mail server's traffic
  lockdown.ipsec.ipsec_filter_list:
    name: Inbound/outbound mail
    filters:
      - protocol: tcp
        destination_port: [110, 995, 143, 993, 25]
      - source: me
        destination: any
        protocol: tcp
        destination_port: 25

- name: Also let one subnet reach TCP 8080-8081, leaving the other filters alone
  lockdown.ipsec.ipsec_filter_list:
    name: Inbound web protocols
    filters_mode: merge
    filters:
      - source: 192.0.2.0/24
        protocol: tcp
        destination_port: 8080-8081

# The AnalogX template (seed 002) keeps a server and a client list per service, prefixed "APS - ".
- name: APS - DNS Client (queries from this host to any DNS server, answers mirrored)
  lockdown.ipsec.ipsec_filter_list:
    name: APS - DNS Client
    filters:
      - source: me
        destination: any
        protocol: udp
        destination_port: 53
      - source: me
        destination: any
        protocol: tcp
        destination_port: 53

- name: Delete a list that no rule uses any more
  lockdown.ipsec.ipsec_filter_list:
    name: Inbound web protocols
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
    - netsh ipsec static add filterlist "name=Inbound web protocols"
    - netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP
      srcport=0 dstport=80 mirrored=yes
    - netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP
      srcport=0 dstport=443 mirrored=yes
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
    filter_lists:
      - name: Inbound web protocols
        description: ""
        filters:
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: tcp
            source_port: 0
            destination_port: 80
            mirrored: true
            description: ""
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: tcp
            source_port: 0
            destination_port: 443
            mirrored: true
            description: ""
    filter_actions: []
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
      netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me
      protocol=TCP srcport=0 dstport=443 mirrored=yes
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
    - netsh ipsec static add filterlist "name=Inbound web protocols"
    - netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP
      srcport=0 dstport=80 mirrored=yes
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
