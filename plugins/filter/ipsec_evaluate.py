# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter plugin lockdown.ipsec.ipsec_evaluate: what an IPsec policy does with given packets."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ipsec_evaluate
short_description: Evaluate packets against a static IPsec policy, offline
version_added: 0.1.0
author:
  - lockdown.ipsec contributors (!UNKNOWN)
description:
  - Tells, for each given packet, whether a static IPsec policy permits, blocks or negotiates security for it,
    and which rule and filter decide, without a host.
  - Windows IPsec has no rule order; the most specific matching filter of the policy's active rules decides.
    A filter is more specific by its source address first (a host over a subnet, a longer mask over a shorter,
    anything over C(any)), then its destination address, then a specific protocol, then a specific source port,
    then a specific destination port. Between equally specific matches the most restrictive action wins
    (C(block) over C(negotiate) over C(permit)).
  - A mirrored filter also matches the packet with source and destination (and their ports) swapped.
  - A packet no filter matches is permitted (IPsec acts only on matched traffic), with RV(_value[].rule) null.
  - That order of criteria and that tie-break are the collection's reading of Microsoft's description, not a
    documented rule. Each packet is therefore also evaluated under the other plausible readings (destination before
    source; protocol and ports before addresses; the least restrictive action winning ties). When any of them gives
    another action, RV(_value[].order_dependent) is true and RV(_value[].order_note) names the filters whose
    relative specificity decides; make such a policy unambiguous before relying on it.
  - The input is configuration data in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option, for
    example the C(before), C(after) or C(gathered) result of the modules, the C(config) result of
    M(lockdown.ipsec.ipsec_info), or a desired configuration written by hand.
positional: _input
options:
  _input:
    description:
      - Configuration data with C(filter_lists), C(filter_actions) and C(policies).
      - Authentication entries of rules and default response rules are ignored (they play no part in matching and
        may hold the redacted key C(********)).
    type: dict
    required: true
  policy:
    description: Name of the policy to evaluate; it need not be the assigned one.
    type: str
    required: true
  packets:
    description: The packets to evaluate.
    type: list
    elements: dict
    required: true
    suboptions:
      source:
        description: Source address, an IPv4 or IPv6 address or C(me) (the host itself).
        type: str
        required: true
      destination:
        description: Destination address, an IPv4 or IPv6 address or C(me) (the host itself).
        type: str
        required: true
      protocol:
        description: C(tcp), C(udp), C(icmp), C(raw) or an IP protocol number 1-255.
        type: raw
        default: tcp
      source_port:
        description: Source port; 0 when it does not matter or the protocol has no ports.
        type: int
        default: 0
      destination_port:
        description: Destination port; 0 when it does not matter or the protocol has no ports.
        type: int
        default: 0
  my_addresses:
    description:
      - The host's own IP addresses. Filters naming C(me) match them, and filters naming an address match the packet
        address C(me) when they cover one of them.
    type: list
    elements: str
    default: []
notes:
  - Specificity follows Microsoft's description of IPsec filter ordering (The Cable Guy, February 2005) as far as it
    could be established; the assumption register C(docs/assumptions.md) of the collection, row A-46, records the
    source and its confidence.
  - Filters naming a DNS name or a server type (C(dns), C(wins), C(dhcp), C(gateway)) never match, since what they
    stand for is resolved on the host. Tunnel settings and connection types are not evaluated. The default response
    rule plays no part.
  - Errors (an unknown policy, a rule naming a missing filter list or filter action, an invalid packet) fail the
    task with the field and the value.
seealso:
  - module: lockdown.ipsec.ipsec_info
  - module: lockdown.ipsec.ipsec_config
"""

EXAMPLES = r"""
- name: Read the IPsec policy store
  lockdown.ipsec.ipsec_info:
  register: ipsec

- name: Would the management channel survive this policy?
  ansible.builtin.assert:
    that:
      - verdicts | map(attribute='action') | unique == ['permit']
  vars:
    verdicts: >-
      {{ ipsec.config | lockdown.ipsec.ipsec_evaluate(
           policy='Packet Filter',
           packets=[{'source': '10.0.0.5', 'destination': 'me', 'protocol': 'tcp', 'destination_port': 5986}],
           my_addresses=['10.0.0.20']) }}

- name: Check a desired configuration before applying it
  ansible.builtin.debug:
    msg: "{{ desired | lockdown.ipsec.ipsec_evaluate(policy='Web lockdown', packets=probes) }}"
  vars:
    probes:
      - {source: 203.0.113.5, destination: me, protocol: tcp, destination_port: 443}
      - {source: 203.0.113.5, destination: me, protocol: tcp, destination_port: 3389}
"""

RETURN = r"""
_value:
  description: One entry per packet, in the order given.
  type: list
  elements: dict
  contains:
    source:
      description: The packet's fields as given, and any other keys of the entry.
      type: str
    action:
      description: What the policy does with the packet, C(permit), C(block) or C(negotiate).
      type: str
      sample: block
    rule:
      description: The deciding rule, or null when no filter matches.
      type: str
      sample: All inbound traffic
    filter_list:
      description: The deciding rule's filter list, or null.
      type: str
    filter:
      description: The deciding filter in the shape of a C(filters) entry of the configuration, or null.
      type: dict
    reversed:
      description: Whether the filter matched the packet through its mirror.
      type: bool
    order_dependent:
      description:
        - Whether the action depends on how Windows really orders equally plausible specificity criteria (see the
          description); true when another plausible reading gives another action.
      type: bool
    order_note:
      description:
        - When RV(_value[].order_dependent), which reading decides otherwise, the two filters whose relative specificity
          decides, and how to make the policy unambiguous; otherwise null.
      type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput, LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import Packet, check_addresses, evaluate_orders, order_note, require_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plain import plain_copy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import filter_to_data

PACKET_KEYS = ("source", "destination", "protocol", "source_port", "destination_port")


def _without_authentication(config):
    """A copy of ``config`` without the rules' and default rules' ``authentication`` entries."""
    config = plain_copy(config)
    policies = config.get("policies") if isinstance(config, dict) else None
    for policy in policies if isinstance(policies, list) else ():
        if not isinstance(policy, dict):
            continue
        for rule in policy.get("rules") or ():
            if isinstance(rule, dict):
                rule.pop("authentication", None)
        default_rule = policy.get("default_response_rule")
        if isinstance(default_rule, dict):
            default_rule.pop("authentication", None)
    return config


def _packet(entry, index):
    where = f"packets[{index}]"
    if not isinstance(entry, dict):
        raise InvalidInput(where, entry, "expected a dict with source, destination, protocol, source_port, destination_port")
    for key in ("source", "destination"):
        if key not in entry:
            raise InvalidInput(f"{where}.{key}", None, "is required")
    given = {key: entry[key] for key in PACKET_KEYS if key in entry and entry[key] is not None}
    try:
        return Packet.build(**given)
    except InvalidInput as error:
        raise error.within(where) from None


def ipsec_evaluate(config, policy=None, packets=None, my_addresses=None):
    """Evaluate ``packets`` against ``policy`` of the configuration data ``config``."""
    try:
        if not isinstance(config, dict):
            raise InvalidInput("_input", config, "expected configuration data (a dict with filter_lists, filter_actions, policies)")
        if not isinstance(policy, str) or not policy:
            raise InvalidInput("policy", policy, "is required: the name of the policy to evaluate")
        if not isinstance(packets, list):
            raise InvalidInput("packets", packets, "expected a list of packets")
        if my_addresses is None:
            my_addresses = []
        if not isinstance(my_addresses, list) or not all(isinstance(item, str) for item in my_addresses):
            raise InvalidInput("my_addresses", my_addresses, "expected a list of IP addresses")
        check_addresses(my_addresses)
        built = [_packet(entry, index) for index, entry in enumerate(packets)]
        store = store_from_config(_without_authentication(config), fill_defaults=True)
        require_policy(store, policy)
        results = []
        for entry, packet in zip(packets, built):
            verdict, disagreements = evaluate_orders(store, policy, packet, my_addresses=my_addresses)
            result = dict(entry)
            result.update(
                action=verdict.action,
                rule=verdict.rule,
                filter_list=verdict.filter_list,
                filter=None if verdict.filter is None else filter_to_data(verdict.filter),
                reversed=verdict.reversed,
                order_dependent=bool(disagreements),
                order_note=order_note(verdict, disagreements[0]) if disagreements else None,
            )
            results.append(result)
        return results
    except LockdownError as error:
        raise AnsibleFilterError(f"lockdown.ipsec.ipsec_evaluate: {error}") from None


class FilterModule:
    """lockdown.ipsec filters."""

    def filters(self):
        return {"ipsec_evaluate": ipsec_evaluate}
