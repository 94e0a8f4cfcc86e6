# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The lockout guard: packets that must stay permitted after a change.

:func:`check_packets` decides each packet against the store *as it will be* (the plan's prediction,
objects outside the owner prefix included) under the policy that store assigns, with every plausible
reading of "most specific wins" (:func:`~._evaluate.evaluate_orders`). A packet is safe only when it
is permitted under all of them. :func:`refuse_lockout` raises before anything is written when one is
not, naming the packet, the verdict, the deciding rule and filter, and what to do about it.

With no policy assigned the static IPsec store filters nothing, so every packet passes.

No I/O and no Ansible imports here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ._errors import InvalidInput, PlanError
from ._evaluate import NO_MATCH, Disagreement, Packet, Verdict, check_addresses, describe, evaluate_orders, order_note
from ._model import PROTOCOL_NAMES, Store


@dataclass(frozen=True)
class Guard:
    """What must stay reachable.

    Attributes:
        packets: each must be permitted by the policy the store will assign.
        my_addresses: the host's own addresses, as :func:`~._evaluate.evaluate` takes them.
    """

    packets: tuple[Packet, ...]
    my_addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuardVerdict:
    """One packet's fate under the policy that will be assigned.

    Attributes:
        packet: the packet.
        policy: the policy that decides it; ``None`` when no policy will be assigned.
        verdict: what our reading of filter specificity decides (A-46).
        disagreement: the first other plausible reading that decides another action, or ``None``.
    """

    packet: Packet
    policy: str | None
    verdict: Verdict
    disagreement: Disagreement | None

    @property
    def safe(self) -> bool:
        """Permitted under every plausible reading."""
        return self.verdict.action == "permit" and self.disagreement is None

    def explain(self) -> str:
        """The packet and what happens to it, in one clause."""
        return f"{packet_text(self.packet)} {self.fate()}"

    def fate(self) -> str:
        """What happens to the packet and why, without the packet (``is permitted: ...``)."""
        if self.policy is None:
            return "is permitted: no policy will be assigned"
        if self.disagreement is not None:
            return f"depends on an unconfirmed reading of filter specificity: {order_note(self.verdict, self.disagreement)}"
        found = self.verdict
        if found.rule is None:
            return f"is permitted: no filter of policy {self.policy!r} matches it"
        through = " through its mirror" if found.reversed else ""
        return (f"gets action {found.action!r} from rule {found.rule!r} of policy {self.policy!r} "
                f"(filter list {found.filter_list!r}, filter {describe(found.filter)}{through})")

    def to_data(self) -> dict[str, Any]:
        """The verdict as a task result shows it."""
        found = self.verdict
        return {
            "source": self.packet.source, "destination": self.packet.destination,
            "protocol": PROTOCOL_NAMES[self.packet.protocol].lower() if self.packet.protocol in PROTOCOL_NAMES else self.packet.protocol,
            "source_port": self.packet.source_port, "destination_port": self.packet.destination_port,
            "policy": self.policy, "action": found.action, "rule": found.rule, "filter_list": found.filter_list,
            "order_dependent": self.disagreement is not None, "safe": self.safe,
        }


class LockoutRefused(PlanError):
    """The change would, or could, block a packet of the guard. Nothing was written."""

    def __init__(self, message: str, verdicts: Sequence[GuardVerdict]) -> None:
        super().__init__(message)
        self.verdicts = tuple(verdicts)


def packet_text(packet: Packet) -> str:
    """``TCP 203.0.113.1:49152 -> me:5985`` (IPv6 addresses in brackets when a port follows; no port
    when it is 0, any)."""
    protocol = PROTOCOL_NAMES.get(packet.protocol, str(packet.protocol)).upper()
    if not (packet.source_port or packet.destination_port):
        return f"{protocol} {packet.source} -> {packet.destination}"
    return f"{protocol} {_with_port(packet.source, packet.source_port)} -> {_with_port(packet.destination, packet.destination_port)}"


def _with_port(address: str, port: int) -> str:
    if not port:  # any port
        return address
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def check_packets(store: Store, guard: Guard) -> tuple[GuardVerdict, ...]:
    """Every packet of ``guard`` decided by the policy ``store`` assigns, under every reading.

    Raises:
        PlanError: the assigned policy cannot be evaluated (its rules, or a filter list or action one
            of its active rules uses, are unknown).
        InvalidInput: an entry of ``guard.my_addresses`` is not an IP address.
    """
    check_addresses(guard.my_addresses)
    policy = store.assigned_policy
    if policy is None:
        return tuple(GuardVerdict(packet, None, NO_MATCH, None) for packet in guard.packets)
    verdicts = []
    for packet in guard.packets:
        verdict, others = evaluate_orders(store, policy, packet, my_addresses=guard.my_addresses)
        verdicts.append(GuardVerdict(packet, policy, verdict, others[0] if others else None))
    return tuple(verdicts)


def refuse_lockout(store: Store, guard: Guard, *, advice: str) -> tuple[GuardVerdict, ...]:
    """The verdicts of :func:`check_packets` when every packet is safe.

    Raises:
        LockoutRefused: naming each packet that is not safe and why, that nothing was changed, and
            ``advice`` (what the caller's user can change).
    """
    verdicts = check_packets(store, guard)
    unsafe: dict[str, list[str]] = {}
    for found in verdicts:
        if not found.safe:
            unsafe.setdefault(found.fate(), []).append(packet_text(found.packet))
    if unsafe:
        reasons = "; ".join(f"{_packets(packets)} {fate}" for fate, packets in unsafe.items())
        raise LockoutRefused(f"Refusing the change: it would or could block the management channel: {reasons}. "
                             f"Nothing was changed on the host. {advice}", verdicts)
    return verdicts


# Packets named per reason in a refusal; the result's verdicts list them all.
NAMED_PACKETS = 3


def _packets(packets: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``, or ``A, B, C and 4 more packets`` (those with the same fate)."""
    if len(packets) == 1:
        return packets[0]
    shown, rest = list(packets[:NAMED_PACKETS]), len(packets) - NAMED_PACKETS
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more packet{'s' if rest > 1 else ''}"
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def guard_from_option(value: Mapping[str, Any] | None) -> Guard | None:
    """The ``guard`` option of ``ipsec_config`` (validated by its argument spec) as a :class:`Guard`.

    Raises:
        InvalidInput: naming ``guard.packets[i].<field>`` or ``guard.my_addresses[i]``.
    """
    if value is None:
        return None
    packets = []
    for index, entry in enumerate(value.get("packets") or ()):
        try:
            packets.append(Packet.build(**{key: entry[key] for key in ("source", "destination", "protocol", "source_port", "destination_port")}))
        except InvalidInput as error:
            raise error.within(f"guard.packets[{index}]") from None
    if not packets:
        raise InvalidInput("guard.packets", [], "needs at least one packet: a guard that checks nothing protects nothing")
    my_addresses = tuple(value.get("my_addresses") or ())
    try:
        check_addresses(my_addresses)
    except InvalidInput as error:
        raise error.within("guard") from None
    return Guard(tuple(packets), my_addresses)


__all__ = ["Guard", "GuardVerdict", "LockoutRefused", "check_packets", "guard_from_option", "packet_text", "refuse_lockout"]
