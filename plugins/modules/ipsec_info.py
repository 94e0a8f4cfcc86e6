#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_info
short_description: Read the Windows static IPsec policy store
description:
  - Reads the whole Windows static IPsec policy store (C(netsh ipsec static)), its filter lists, filter
    actions, policies with their rules, and which policy is assigned, into structured data.
  - The data has the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of
    M(lockdown.ipsec.ipsec_config), so it can be compared with a desired configuration or given back as one
    (pre-shared keys are redacted and have to be replaced by the real ones).
  - The module runs on the controller and talks to Windows with one encoded PowerShell command, which runs
    C(netsh.exe) once per C(show) command; reading is one round trip. It changes nothing. C(become) is not
    supported.
  - To read saved netsh output without a host, use M(lockdown.ipsec.ipsec_config) with
    O(lockdown.ipsec.ipsec_config#module:state=parsed).
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The module only reads. In check mode it returns the store that the earlier tasks of the same run
        predict, when they predicted one (and says so with RV(predicted)), without a round trip.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing.
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_filter_list
  - module: lockdown.ipsec.ipsec_filter_action
  - module: lockdown.ipsec.ipsec_policy
  - module: lockdown.ipsec.ipsec_assign
  - module: lockdown.ipsec.ipsec_config
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Read the IPsec policy store
  lockdown.ipsec.ipsec_info:
  register: ipsec

- name: Show which policy is assigned
  ansible.builtin.debug:
    msg: "Assigned policy: {{ ipsec.config.assigned | default('none', true) }}"

- name: Fail when the seed 000 catch-all block rule is missing
  ansible.builtin.assert:
    that:
      - >-
        ipsec.config.policies
        | selectattr('name', 'equalto', 'Packet Filter')
        | map(attribute='rules') | flatten
        | selectattr('filter_action', 'equalto', 'Block') | list | length > 0
"""

RETURN = r"""
domain_policy:
  description:
    - The IPsec policy that Group Policy assigns to the host, which overrides the locally assigned one, or
      null when there is none (read from C(HKLM\SOFTWARE\Policies\Microsoft\Windows\IPSec\GPTIPSECPolicy)).
  returned: success
  type: dict
  contains:
    name:
      description: The domain policy's name (C(DSIPSECPolicyName)).
      type: str
    path:
      description: Where the domain policy lives in the directory (C(DSIPSECPolicyPath), an LDAP path).
      type: str
  sample:
    name: Domain Lockdown
    path: LDAP://CN=ipsecPolicy{6a1c6ec1-1a58-4a5e-9d1a-8f5a0b0b3c11},CN=IP Security,CN=System,DC=corp,DC=example
predicted:
  description:
    - V(true) in check mode when RV(config) is the store the earlier tasks of the run predict, not the store
      read from the host (which check mode did not change).
  returned: when the store is a prediction
  type: bool
  sample: true
config:
  description:
    - The store, in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of
      M(lockdown.ipsec.ipsec_config), with every option present, objects sorted by name and pre-shared keys
      shown as C(********).
  returned: success
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
      - name: All inbound traffic
        description: ""
        filters:
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: any
            source_port: 0
            destination_port: 0
            mirrored: true
            description: ""
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
"""
