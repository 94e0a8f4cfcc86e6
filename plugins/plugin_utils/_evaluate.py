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
* **Other readings.** The order of the weight's criteria and the tie-break are our reading, not a
  documented rule (A-46). :func:`evaluate_orders` also decides the packet under every other plausible
  reading (:data:`ORDERS`) and reports those that give another action, so that a guard can refuse a
  verdict that rests on the unconfirmed part.

No I/O and no Ansible imports here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence, Union

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
    return _winner(_candidates(store, policy, packet, my_addresses), ORDERS[0])


@dataclass(frozen=True)
class Order:
    """One plausible reading of "most specific wins" (A-46): which criteria count first, and which
    action wins between equally specific filters.

    Attributes:
        name: how messages name it.
        weigh: a filter (in the direction it matched) -> a tuple compared lexicographically, greater wins.
        severity: action -> tie-break rank, greater wins.
    """

    name: str
    weigh: Callable[[Filter], tuple]
    severity: Mapping[Action, int]


def _destination_first(item: Filter) -> tuple:
    source, destination, protocol, source_port, destination_port = weight(item)
    return destination, source, protocol, destination_port, source_port


def _protocol_and_ports_first(item: Filter) -> tuple:
    source, destination, protocol, source_port, destination_port = weight(item)
    return protocol, source_port, destination_port, source, destination


# Ties the other way round: the least restrictive action wins (permit > negotiate > block).
LENIENCY = {action: -rank for action, rank in SEVERITY.items()}

# The evaluator's reading first, then the other plausible ones: every criteria order with
# either tie-break.
ORDERS = tuple(
    Order(f"{name}, {tie}", weigh, severity)
    for name, weigh in (("source before destination", weight), ("destination before source", _destination_first),
                        ("protocol and ports before addresses", _protocol_and_ports_first))
    for tie, severity in (("the most restrictive action winning ties", SEVERITY), ("the least restrictive action winning ties", LENIENCY))
)


@dataclass(frozen=True)
class Disagreement:
    """Another reading of "most specific wins" under which a packet gets another action.

    Attributes:
        order: the name of that reading (:data:`ORDERS`).
        verdict: what that reading decides.
    """

    order: str
    verdict: Verdict


def evaluate_orders(store: Store, policy: str, packet: Packet, *, my_addresses: Sequence[str] = ()) -> tuple[Verdict, tuple[Disagreement, ...]]:
    """What ``policy`` does with ``packet`` under the evaluator's reading (as :func:`evaluate`), and
    every other plausible reading (:data:`ORDERS`) under which the action differs. No disagreement
    means the verdict does not depend on the unconfirmed parts of A-46.

    Raises:
        as :func:`evaluate`.
    """
    candidates = _candidates(store, policy, packet, my_addresses)
    verdict = _winner(candidates, ORDERS[0])
    others = ((order, _winner(candidates, order)) for order in ORDERS[1:])
    return verdict, tuple(Disagreement(order.name, other) for order, other in others if other.action != verdict.action)


def order_note(verdict: Verdict, other: Disagreement) -> str:
    """A sentence saying why ``verdict`` depends on the unconfirmed order: which reading decides
    otherwise, the two filters whose relative specificity decides, and how to make the policy
    unambiguous."""
    def deciding(found: Verdict) -> str:
        if found.rule is None:
            return "no filter matches (permitted)"
        direction = " (through its mirror)" if found.reversed else ""
        return f"rule {found.rule!r} (filter list {found.filter_list!r}, filter {describe(found.filter)}{direction}) gives {found.action}"

    return (f"under our reading of filter specificity (A-46) {deciding(verdict)}; under the equally plausible reading "
            f"'{other.order}' {deciding(other.verdict)}. Make the filter that must win at least as specific as the other "
            "in source and destination address, protocol and ports, so that every reading agrees")


def describe(item: Filter | None) -> str:
    """A filter in one line, as netsh's arguments would name it."""
    if item is None:
        return "none"
    protocol = PROTOCOL_NAMES.get(item.protocol, str(item.protocol)) if item.protocol else "any"
    ports = f" {item.source_port or 'any'}->{item.destination_port or 'any'}" if item.protocol in PORT_PROTOCOLS else ""
    return f"{item.source} -> {item.destination} {protocol}{ports}"


@dataclass(frozen=True)
class _Candidate:
    """A filter of an active rule that matches the packet, in the direction it matched."""

    directed: Filter
    stored: Filter
    rule: str
    filter_list: str
    action: Action
    reversed: bool
    position: int


def _candidates(store: Store, policy: str, packet: Packet, my_addresses: Sequence[str]) -> tuple[_Candidate, ...]:
    found = require_policy(store, policy)
    packet = _checked_packet(packet)
    mine = check_addresses(my_addresses)
    candidates = []
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
            candidates += [_Candidate(directed, item, rule.name, filter_list.name, action.action, is_reversed, position)
                           for is_reversed, directed in directions if _matches(directed, packet, mine)]
    return tuple(candidates)


def _winner(candidates: Sequence[_Candidate], order: Order) -> Verdict:
    if not candidates:
        return NO_MATCH
    # Greater is better: weight, then the tie-break; then forward, lower rule name, lower position.
    best = max(candidates, key=lambda found: (order.weigh(found.directed), order.severity[found.action], not found.reversed,
                                              _Reverse(found.rule), -found.position))
    return Verdict(best.action.value, best.rule, best.filter_list, best.stored, best.reversed)


@dataclass(frozen=True)
class _Reverse:
    """Orders strings backwards, so that the lower rule name is the greater key."""

    text: str

    def __lt__(self, other: _Reverse) -> bool:
        return self.text > other.text

    def __gt__(self, other: _Reverse) -> bool:
        return self.text < other.text


__all__ = [
    "LENIENCY",
    "NO_MATCH",
    "ORDERS",
    "SEVERITY",
    "Disagreement",
    "Order",
    "Packet",
    "Verdict",
    "check_addresses",
    "describe",
    "endpoint_specificity",
    "evaluate",
    "evaluate_orders",
    "matches",
    "mirror",
    "order_note",
    "require_policy",
    "weight",
]
