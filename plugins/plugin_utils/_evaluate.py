# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Which rule of a policy decides a packet, offline.

Windows IPsec has no rule order: "the engine will apply the most specific rule" (seed 000), "the
closest match to the incoming packet determines how it is handled" (seed 002), and the IPsec Policy
Agent "orders the filters from most specific to least specific" (reference/peers.md). This module
models that:

* **Candidates.** Every filter of the filter list of every *active* rule of the policy (a rule whose
  ``activate`` is ``None``, "not managed", counts as active: netsh's default is yes, A-27). The
  default response rule is not a traffic filter and plays no part. Tunnel and connection type are
  not evaluated (every rule is taken to apply to the packet's interface).
* **Direction.** A filter matches the packet as written; a mirrored filter also matches it reversed
  (source and destination swapped, with their ports), as Windows expands a mirrored filter into two.
* **Endpoints.** ``any`` matches every address. ``me`` matches the packet address ``me`` and every
  address in ``my_addresses``. An address or subnet matches by prefix, a range by its bounds, both
  only within one address family; the packet address ``me`` matches them when they cover one of
  ``my_addresses``. DNS names and server types (``dns``, ``wins``, ``dhcp``, ``gateway``) never
  match: what they stand for is resolved on the host (A-06, dynamic server lists) and cannot be
  known offline. For a lockout guard this errs towards "blocked" for a permit that names them and
  towards "permitted" for such a block; gathered stores normally show DNS names already resolved.
* **Protocol and ports.** Protocol 0 matches every protocol, port 0 every port; otherwise equal.
* **Winner.** The matching filter (in the direction it matched) with the greatest :func:`weight`
  wins (A-46). Between equally weighted matches the most restrictive action wins, block over
  negotiate over permit: when the real tie-break is unknown, the evaluator answers the question a
  lockout guard asks ("could this be blocked?") on the safe side. Further ties are broken
  deterministically (forward before reversed, then rule name, then filter order); they cannot change
  the action.
* **No match.** IPsec acts only on traffic a filter matches, so an unmatched packet is permitted
  with ``rule`` ``None``.

No I/O and no Ansible imports here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Sequence, Union

from ._addresses import AddressKind, Endpoint
from ._errors import InvalidInput, PlanError
from ._model import PORT_PROTOCOLS, PROTOCOL_NAMES, Action, Filter, Policy, Store, port_number, protocol_number

_IP = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

# Ties between equally specific filters: the most restrictive action wins (block > negotiate > permit).
SEVERITY = {Action.PERMIT: 0, Action.NEGOTIATE: 1, Action.BLOCK: 2}

# Specificity of an endpoint on the IPv4 scale of "fixed address bits": 0 for any, 32 for one host.
HOST_BITS = 32


@dataclass(frozen=True)
class Packet:
    """One packet to evaluate.

    Attributes:
        source, destination: a canonical IP literal, or ``me`` (the host itself).
        protocol: IP protocol number 1-255 (a packet has one protocol; 0 is for filters).
        source_port, destination_port: 0 when the protocol has no ports or the port does not matter.
    """

    source: str
    destination: str
    protocol: int
    source_port: int = 0
    destination_port: int = 0

    @classmethod
    def build(
        cls,
        *,
        source: object,
        destination: object,
        protocol: object = "tcp",
        source_port: object = 0,
        destination_port: object = 0,
    ) -> Packet:
        """Build a packet from loosely typed values, canonicalising each.

        Raises:
            InvalidInput: naming the first offending field.
        """
        number = protocol_number(protocol)
        if number == 0:
            raise InvalidInput("protocol", protocol, "a packet has one protocol: give tcp, udp, icmp, raw or a number 1-255, not any")
        packet = cls(
            source=_address_text(source, "source"),
            destination=_address_text(destination, "destination"),
            protocol=number,
            source_port=port_number(source_port, field_name="source_port"),
            destination_port=port_number(destination_port, field_name="destination_port"),
        )
        if (packet.source_port or packet.destination_port) and number not in PORT_PROTOCOLS:
            field = "source_port" if packet.source_port else "destination_port"
            raise InvalidInput(
                field, source_port if packet.source_port else destination_port,
                f"a port needs protocol tcp or udp, not {PROTOCOL_NAMES.get(number, number)}",
            )
        return packet


@dataclass(frozen=True)
class Verdict:
    """What the policy does with a packet.

    Attributes:
        action: ``permit``, ``block`` or ``negotiate``.
        rule, filter_list: the deciding rule and its filter list; ``None`` when no filter matched.
        filter: the deciding filter as it is stored in the list (not mirrored); ``None`` when none matched.
        reversed: whether the filter matched the packet through its mirror.
    """

    action: str
    rule: str | None
    filter_list: str | None
    filter: Filter | None
    reversed: bool


NO_MATCH = Verdict(action=Action.PERMIT.value, rule=None, filter_list=None, filter=None, reversed=False)


def _address_text(value: object, field: str) -> str:
    if isinstance(value, str) and value.strip().lower() == "me":
        return "me"
    return _ip(value, field).compressed


def _ip(value: object, field: str) -> _IP:
    if isinstance(value, str):
        try:
            return ipaddress.ip_address(value.strip())
        except ValueError:
            pass
    raise InvalidInput(field, value, "expected me or an IPv4 or IPv6 address")


def endpoint_specificity(endpoint: Endpoint) -> int:
    """Fixed address bits of ``endpoint`` on the IPv4 scale: 0 for ``any``, 32 for one host.

    An IPv4 subnet counts its prefix length. A range counts the bits that stay fixed across it
    (32 minus the bits its size needs; IPv6 scaled by 1/4). ``me``, an IPv6 host, a DNS name and a
    server type each stand for specific host addresses and count as a host.
    """
    if endpoint.kind is AddressKind.ANY:
        return 0
    if endpoint.kind is AddressKind.IP and ":" not in endpoint.value:
        return int(endpoint.prefix if endpoint.prefix is not None else HOST_BITS)
    if endpoint.kind is AddressKind.RANGE:
        start, end = (ipaddress.ip_address(part) for part in endpoint.value.split("-"))
        free = (int(end) - int(start)).bit_length()
        if start.version == 6:
            return max(0, (128 - free) // 4)
        return max(0, HOST_BITS - free)
    return HOST_BITS


def weight(filter: Filter) -> tuple:  # noqa: A002 - the API names it so
    """How specific ``filter`` is, as a tuple compared lexicographically (A-46): greater wins.

    Order of precedence: source address specificity, destination address specificity (each by
    :func:`endpoint_specificity`), then a specific protocol over any, then a specific source port,
    then a specific destination port.
    """
    return (
        endpoint_specificity(filter.source),
        endpoint_specificity(filter.destination),
        int(filter.protocol != 0),
        int(filter.source_port != 0),
        int(filter.destination_port != 0),
    )


def mirror(item: Filter) -> Filter:
    """``item`` with source and destination (and their ports) swapped: what its mirror matches."""
    return Filter(
        source=item.destination,
        destination=item.source,
        protocol=item.protocol,
        source_port=item.destination_port,
        destination_port=item.source_port,
        mirrored=item.mirrored,
        description=item.description,
    )


def _endpoint_matches(endpoint: Endpoint, address: str, mine: tuple[_IP, ...]) -> bool:
    if endpoint.kind is AddressKind.ANY:
        return True
    if endpoint.kind is AddressKind.ME:
        return address == "me" or any(ip.compressed == address for ip in mine)
    if endpoint.kind in (AddressKind.DNS, AddressKind.SERVER):
        return False  # resolved on the host only: cannot be evaluated offline
    candidates = mine if address == "me" else (ipaddress.ip_address(address),)
    if endpoint.kind is AddressKind.IP:
        network = ipaddress.ip_network(f"{endpoint.value}/{endpoint.prefix}", strict=False)
        return any(ip.version == network.version and ip in network for ip in candidates)
    start, end = (ipaddress.ip_address(part) for part in endpoint.value.split("-"))
    return any(ip.version == start.version and int(start) <= int(ip) <= int(end) for ip in candidates)


def matches(item: Filter, packet: Packet, *, my_addresses: Sequence[str] = ()) -> bool:
    """Whether ``item``, as written (not mirrored), matches ``packet``."""
    return _matches(item, packet, check_addresses(my_addresses))


def _matches(item: Filter, packet: Packet, mine: tuple[_IP, ...]) -> bool:
    return (
        (item.protocol == 0 or item.protocol == packet.protocol)
        and (item.source_port == 0 or item.source_port == packet.source_port)
        and (item.destination_port == 0 or item.destination_port == packet.destination_port)
        and _endpoint_matches(item.source, packet.source, mine)
        and _endpoint_matches(item.destination, packet.destination, mine)
    )


def _checked_packet(packet: Packet) -> Packet:
    """Refuse a directly constructed packet whose fields are not canonical."""
    return Packet.build(
        source=packet.source,
        destination=packet.destination,
        protocol=packet.protocol,
        source_port=packet.source_port,
        destination_port=packet.destination_port,
    )


def require_policy(store: Store, policy: str) -> Policy:
    """The policy called ``policy``, whose rules must be known.

    Raises:
        PlanError: naming the policy (and the policies there are) when it does not exist.
    """
    found = store.policies.get(policy)
    if found is None:
        known = ", ".join(repr(name) for name in store.policies) or "none"
        raise PlanError(f"policy {policy!r} does not exist (policies: {known})")
    if found.rules is None:
        raise PlanError(f"policy {policy!r}: its rules are not known, so no packet can be evaluated")
    return found


def check_addresses(my_addresses: Sequence[str]) -> tuple[_IP, ...]:
    """``my_addresses`` as address objects.

    Raises:
        InvalidInput: at ``my_addresses[i]`` for an entry that is not an IP address.
    """
    return tuple(_ip(address, f"my_addresses[{index}]") for index, address in enumerate(my_addresses))


def evaluate(store: Store, policy: str, packet: Packet, *, my_addresses: Sequence[str] = ()) -> Verdict:
    """What ``policy`` of ``store`` does with ``packet`` (see the module docstring for the model).

    Args:
        my_addresses: the host's own IP addresses, which filters naming ``me`` cover, and which a
            filter naming an address matches for the packet address ``me``.

    Raises:
        PlanError: the policy does not exist or its rules are unknown; an active rule names a filter
            list or filter action the store lacks, or one whose filters or action are unknown.
        InvalidInput: a packet field or an entry of ``my_addresses`` that is not valid.
    """
    found = require_policy(store, policy)
    packet = _checked_packet(packet)
    mine = check_addresses(my_addresses)
    best: tuple | None = None
    verdict = NO_MATCH
    # Rules without a name filter traffic like any other.
    for rule in (*found.rules, *(found.unnamed_rules or ())):
        if rule.activate is False:
            continue
        filter_list = store.filter_lists.get(rule.filter_list) if rule.filter_list is not None else None
        if filter_list is None:
            raise PlanError(f"policy {policy!r}, rule {rule.name!r}: filter list {rule.filter_list!r} does not exist")
        if filter_list.filters is None:
            raise PlanError(f"policy {policy!r}, rule {rule.name!r}: the filters of filter list {filter_list.name!r} are not known")
        action = store.filter_actions.get(rule.filter_action) if rule.filter_action is not None else None
        if action is None:
            raise PlanError(f"policy {policy!r}, rule {rule.name!r}: filter action {rule.filter_action!r} does not exist")
        if action.action is None:
            raise PlanError(f"policy {policy!r}, rule {rule.name!r}: the action of filter action {action.name!r} is not known")
        for position, item in enumerate(filter_list.filters):
            directions = ((False, item), (True, mirror(item))) if item.mirrored else ((False, item),)
            for is_reversed, directed in directions:
                if not _matches(directed, packet, mine):
                    continue
                # Greater is better: weight, then severity; then forward, lower rule name, lower position.
                key = (weight(directed), SEVERITY[action.action], not is_reversed, _Reverse(rule.name), -position)
                if best is None or key > best:
                    best = key
                    verdict = Verdict(action.action.value, rule.name, filter_list.name, item, is_reversed)
    return verdict


@dataclass(frozen=True)
class _Reverse:
    """Orders strings backwards, so that the lower rule name is the greater key."""

    text: str

    def __lt__(self, other: _Reverse) -> bool:
        return self.text > other.text

    def __gt__(self, other: _Reverse) -> bool:
        return self.text < other.text


__all__ = [
    "NO_MATCH",
    "SEVERITY",
    "Packet",
    "Verdict",
    "check_addresses",
    "endpoint_specificity",
    "evaluate",
    "matches",
    "mirror",
    "require_policy",
    "weight",
]
