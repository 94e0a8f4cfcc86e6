"""The emulated network between the controller and one host, and what the host's IPsec policy lets through.

Contract::

    network = EmulatedNetwork(controller_address="192.0.2.10", host_addresses=("192.0.2.20",), server_addresses=None)
    evaluation = evaluate(kind, state_path, network, client_port, port)     # -> Evaluation

The addresses are those of the emulated network, not the loopback addresses the client really uses: the
controller reaches the host from ``controller_address`` at the first of ``host_addresses`` of the same family,
and ``me`` in a filter stands for every one of ``host_addresses``. ``evaluate`` judges the packet the controller
sends, TCP ``controller_address:client_port -> host:port``, under the store file as it is at that moment
(``netsh_emulator.decide_from_file``, A-135). A store it cannot judge enforces nothing: the packet is delivered
and the evaluation says why (A-136).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from netsh_emulator import Decision, Network, Packet, PacketFilterError, decide_from_file

#: The controller's address as the host sees it, and the host's own address (RFC 5737 documentation addresses).
DEFAULT_CONTROLLER_ADDRESS = "192.0.2.10"
DEFAULT_HOST_ADDRESSES = ("192.0.2.20",)
_TCP = 6


@dataclass(frozen=True)
class EmulatedNetwork:
    """Per-host settings of the emulated network; raises ``ValueError`` for an address that is not IPv4 or IPv6,
    an unknown server type, or a controller address of a family none of ``host_addresses`` has.

    ``server_addresses``: ``{"dns" | "wins" | "dhcp" | "gateway": [address, ...]}``, the servers the host is
    configured with, which the server types of a filter stand for (none by default: such filters match nothing).
    """

    controller_address: str = DEFAULT_CONTROLLER_ADDRESS
    host_addresses: Sequence[str] = DEFAULT_HOST_ADDRESSES
    server_addresses: Mapping[str, Sequence[str]] | None = None
    #: The evaluator's view of the host: its addresses, servers and (LAN) interface.
    network: Network = field(init=False, repr=False)
    #: The host address the controller's packets go to: the first of ``host_addresses`` of its family.
    destination: str = field(init=False)

    def __post_init__(self) -> None:
        network = Network(tuple(self.host_addresses), {kind: tuple(addresses) for kind, addresses in (self.server_addresses or {}).items()})
        controller = ipaddress.ip_address(str(self.controller_address).strip())
        destination = next((address for address in network.host_addresses if ipaddress.ip_address(address).version == controller.version), None)
        if destination is None:
            raise ValueError(f"no host address is of the family of the controller address {controller.compressed}")
        for name, value in (("network", network), ("host_addresses", network.host_addresses), ("server_addresses", dict(network.servers)),
                            ("controller_address", controller.compressed), ("destination", destination)):
            object.__setattr__(self, name, value)

    def packet(self, client_port: int, port: int) -> Packet:
        """The TCP packet the controller sends from ``client_port`` to the host's ``port``."""
        return Packet(_TCP, self.controller_address, self.destination, client_port, port)


@dataclass(frozen=True)
class Evaluation:
    """One packet judged: ``kind`` is ``connection`` (the first packet of a new TCP connection) or ``request``
    (an HTTP request on an open one); ``decision.delivered`` says whether it reached the endpoint."""

    kind: str
    client_port: int
    port: int
    decision: Decision


def evaluate(kind: str, state_path: str, network: EmulatedNetwork, client_port: int, port: int) -> Evaluation:
    """Judge the controller's packet from ``client_port`` to ``port`` under the store at ``state_path`` now."""
    packet = network.packet(client_port, port)
    try:
        decision = decide_from_file(state_path, packet, network.network)
    except PacketFilterError as error:
        decision = Decision("permit", True, f"nothing is enforced: {error}")
    return Evaluation(kind, client_port, port, decision)
