"""What the emulated host does with one IP packet under its assigned static IPsec policy.

Contract::

    decide(store, packet, network) -> Decision
    decide_from_file(state_path, packet, network) -> Decision      # the store file as it is now

``decide`` raises :class:`PacketFilterError` for a store it cannot judge (a rule whose filter list or filter
action is missing, an address form it does not know); ``decide_from_file`` also for a store file it cannot
read. It never guesses.

This is the emulator's own reading of "the most specific filter wins" (seed 000), written without the
collection's evaluator; the rows A-130 to A-137 of ``docs/assumptions.md`` record every choice:

* Only the assigned policy counts; with none, every packet is permitted. Of its rules, those that are active
  and whose connection type covers the host's interface (``Network.interface``) take part; the default
  response rule never does, it only answers IPsec requests (A-130).
* A filter matches a packet when its source, destination, protocol and ports all admit it; a mirrored filter
  also matches with source and destination (addresses and ports) swapped (A-131).
* Of the matching filters, the one that admits the fewest packets wins: the product, over the five fields,
  of how many values the filter admits there (A-132). Equal products go to the most restrictive outcome,
  then to store order (A-133).
* ``permit`` delivers, ``block`` drops; ``negotiate`` reaches a peer that speaks no IPsec only when its
  action has ``soft=yes`` (A-134). The emulated controller speaks no IPsec.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Mapping

from . import _state
from ._values import SERVER_TYPES, Endpoint

#: Protocol numbers that carry ports (IANA): only their filters may name a port (SYNTAX.md §3.2).
PORT_PROTOCOLS = (6, 17)
#: Interface types a rule's ``conntype`` can name, besides ``all``.
INTERFACES = ("lan", "dialup")

_PROTOCOL_VALUES = 256
_PORT_VALUES = 65536
# Outcomes for a peer without IPsec, most restrictive first: the tie-break of A-133.
_BLOCK, _NEGOTIATE_DROP, _NEGOTIATE_CLEAR, _PERMIT = range(4)


class PacketFilterError(ValueError):
    """The store (or its file) cannot be judged; the message names the object and what is wrong."""


@dataclass(frozen=True)
class Network:
    """The emulated host's side of the network.

    ``host_addresses``: every address of the host (what ``me`` stands for), IPv4 or IPv6 text.
    ``servers``: ``{"dns" | "wins" | "dhcp" | "gateway": (address, ...)}``, the servers the host is configured
    with; a server type with no address here matches nothing. ``interface``: ``lan`` or ``dialup``, the kind
    of the one interface the packets cross. Raises ``ValueError`` for anything else.
    """

    host_addresses: tuple[str, ...]
    servers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    interface: str = "lan"

    def __post_init__(self) -> None:
        if not self.host_addresses:
            raise ValueError("the host needs at least one address")
        object.__setattr__(self, "host_addresses", tuple(_address_text(text) for text in self.host_addresses))
        servers = {}
        for kind, addresses in dict(self.servers).items():
            if kind.lower() not in SERVER_TYPES:
                raise ValueError(f"unknown server type {kind!r}: expected one of {', '.join(sorted(SERVER_TYPES))}")
            servers[kind.lower()] = tuple(_address_text(text) for text in addresses)
        object.__setattr__(self, "servers", servers)
        if self.interface not in INTERFACES:
            raise ValueError(f"unknown interface type {self.interface!r}: expected lan or dialup")


@dataclass(frozen=True)
class Packet:
    """One IP packet: ``protocol`` 1-255 (6 TCP, 17 UDP, 1 ICMP), addresses as text of one family, and ports
    1-65535 for TCP and UDP (0, meaning none, for every other protocol). Raises ``ValueError`` otherwise."""

    protocol: int
    source: str
    destination: str
    source_port: int = 0
    destination_port: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.protocol <= 255:
            raise ValueError(f"protocol {self.protocol} is not 1-255 (0 means any in a filter, never in a packet)")
        source, destination = ipaddress.ip_address(self.source), ipaddress.ip_address(self.destination)
        if source.version != destination.version:
            raise ValueError(f"{self.source} and {self.destination} are not of one address family")
        for port in (self.source_port, self.destination_port):
            if self.protocol in PORT_PROTOCOLS and not 1 <= port <= 65535:
                raise ValueError(f"a TCP or UDP port must be 1-65535, not {port}")
            if self.protocol not in PORT_PROTOCOLS and port != 0:
                raise ValueError(f"protocol {self.protocol} has no ports; give 0, not {port}")
        object.__setattr__(self, "source", source.compressed)
        object.__setattr__(self, "destination", destination.compressed)

    def reversed(self) -> "Packet":
        """The same packet with source and destination (addresses and ports) swapped."""
        return Packet(self.protocol, self.destination, self.source, self.destination_port, self.source_port)


@dataclass(frozen=True)
class Decision:
    """What happens to one packet.

    ``action``: ``permit``, ``block`` or ``negotiate``, the action of the winning filter (``permit`` when none
    matched). ``delivered``: whether the packet reaches a peer that speaks no IPsec (A-134). ``reason``: one
    sentence, for test failures and the host's record. The other fields name the winning filter, when there
    is one: its policy, rule, filter list, filter action, its 1-based place in its list, whether it matched
    mirrored (``reversed``), and ``size``, the number of packets it admits (A-132).
    """

    action: str
    delivered: bool
    reason: str
    policy: str | None = None
    rule: str | None = None
    filterlist: str | None = None
    filteraction: str | None = None
    filter_number: int | None = None
    reversed: bool = False
    size: int | None = None


def decide(store: _state.Store, packet: Packet, network: Network) -> Decision:
    """The decision for ``packet`` under the policy ``store`` has assigned; see the module docstring."""
    policy = next((candidate for candidate in store.policies if candidate.assigned), None)
    if policy is None:
        return Decision("permit", True, "no policy is assigned")
    best: tuple[tuple[int, int, int], Decision] | None = None
    order = 0
    for rule in policy.rules:
        if not rule.activate or rule.conntype not in ("all", network.interface):
            continue
        filterlist = store.filterlist_by_guid(rule.filterlist)
        filteraction = store.filteraction_by_guid(rule.filteraction)
        if filterlist is None or filteraction is None:
            missing = "filter list" if filterlist is None else "filter action"
            raise PacketFilterError(f'rule "{rule.name}" of policy "{policy.name}" refers to a {missing} the store does not hold')
        outcome = _outcome(filteraction)
        for number, flt in enumerate(filterlist.filters, start=1):
            order += 1
            matched = _match(flt, packet, network)
            if matched is None:
                continue
            size, mirrored = matched
            key = (size, outcome, order)
            if best is not None and best[0] <= key:
                continue
            how = "mirrored, " if mirrored else ""
            reason = (f'filter {number} of filter list "{filterlist.name}" ({how}admitting {_count(size)} packets) decides, '
                      f'rule "{rule.name}" of policy "{policy.name}": filter action "{filteraction.name}" ({_describe(filteraction)})')
            best = (key, Decision(filteraction.action, outcome in (_NEGOTIATE_CLEAR, _PERMIT), reason, policy.name, rule.name,
                                  filterlist.name, filteraction.name, number, mirrored, size))
    if best is None:
        return Decision("permit", True, f'no filter of an active rule of policy "{policy.name}" matches')
    return best[1]


def decide_from_file(state_path: str, packet: Packet, network: Network) -> Decision:
    """:func:`decide` on the store file at ``state_path`` as it is now, read under the shared lock that netsh's
    ``show`` takes (a missing file is an empty store). Raises :class:`PacketFilterError` when it cannot be read."""
    try:
        with _state.locked(state_path, exclusive=False):
            store = _state.load(state_path)
    except (OSError, _state.StoreCorrupt) as error:
        raise PacketFilterError(f"the store {state_path} cannot be read: {error}") from error
    return decide(store, packet, network)


# --- matching and size ------------------------------------------------------------------------------------

def _match(flt: _state.Filter, packet: Packet, network: Network) -> tuple[int, bool] | None:
    """``(size, mirrored)`` when ``flt`` matches ``packet``, as given or, if mirrored, reversed; else None."""
    size = _size(flt, packet, network)
    if size is not None:
        return size, False
    if flt.mirrored:
        size = _size(flt, packet.reversed(), network)
        if size is not None:
            return size, True
    return None


def _size(flt: _state.Filter, packet: Packet, network: Network) -> int | None:
    """How many packets ``flt`` admits in this direction, if it admits ``packet``; None when it does not."""
    factors = (_addresses(flt.src, packet.source, network), _addresses(flt.dst, packet.destination, network),
               _protocols(flt.protocol, packet.protocol), _ports(flt.srcport, packet, packet.source_port),
               _ports(flt.dstport, packet, packet.destination_port))
    size = 1
    for factor in factors:
        if factor is None:
            return None
        size *= factor
    return size


def _addresses(endpoint: Endpoint, text: str, network: Network) -> int | None:
    """How many addresses ``endpoint`` stands for, if one of them is ``text``; None when none is (A-131, A-132).

    ``me``, a DNS name and a server type count as one address each: Windows makes one filter per address
    they stand for. ``any`` counts the whole address space of the packet's family."""
    address = ipaddress.ip_address(text)
    kind = endpoint.kind
    if kind == "any":
        return 2 ** address.max_prefixlen
    if kind == "me":
        return 1 if text in network.host_addresses else None
    if kind == "ipv4":
        if address.version != 4:
            return None
        subnet = ipaddress.IPv4Network(f"{endpoint.value}/{endpoint.mask or '255.255.255.255'}", strict=False)
        return subnet.num_addresses if address in subnet else None
    if kind in ("ipv6", "dns"):
        # dns: the address the emulator resolved when the filter was added (_values.resolve_dns)
        return 1 if ipaddress.ip_address(endpoint.value) == address else None
    if kind == "range":
        low, high = (ipaddress.ip_address(end) for end in endpoint.value.split("-"))
        if low.version != address.version or not low <= address <= high:
            return None
        return int(high) - int(low) + 1
    if kind == "server":
        return 1 if text in network.servers.get(endpoint.value.lower(), ()) else None
    raise PacketFilterError(f"a filter address of kind {kind!r} is not one the emulator knows")


def _protocols(protocol: int, packet_protocol: int) -> int | None:
    if protocol == 0:
        return _PROTOCOL_VALUES
    return 1 if protocol == packet_protocol else None


def _ports(port: int, packet: Packet, packet_port: int) -> int | None:
    if port == 0:
        return _PORT_VALUES
    return 1 if packet.protocol in PORT_PROTOCOLS and port == packet_port else None


def _outcome(filteraction: _state.FilterAction) -> int:
    """The action's outcome for a peer without IPsec, as a rank of A-133 (lower is more restrictive)."""
    if filteraction.action == "block":
        return _BLOCK
    if filteraction.action == "permit":
        return _PERMIT
    if filteraction.action == "negotiate":
        # inpass alone is not enough: the host answers under IPsec only, which the peer cannot
        return _NEGOTIATE_CLEAR if filteraction.soft else _NEGOTIATE_DROP
    raise PacketFilterError(f'filter action "{filteraction.name}" has the unknown action {filteraction.action!r}')


def _describe(filteraction: _state.FilterAction) -> str:
    if filteraction.action != "negotiate":
        return filteraction.action
    flags = ", ".join(f"{name}=yes" for name in ("inpass", "soft") if getattr(filteraction, name)) or "neither inpass nor soft"
    fate = "falls back to clear text" if filteraction.soft else "dropped for a peer without IPsec"
    return f"negotiate, {flags}: {fate}"


def _count(size: int) -> str:
    """``2^72`` for a power of two, else the number."""
    return f"2^{size.bit_length() - 1}" if size & (size - 1) == 0 else str(size)


def _address_text(text: str) -> str:
    """Canonical text of one IPv4 or IPv6 address; raises ``ValueError`` for anything else."""
    return ipaddress.ip_address(str(text).strip()).compressed
