# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The packet filter of ``ipsec_packet_filter`` and the ``packet_filter``
role, as pure functions: settings in, configuration and guard out.

* :func:`read_settings` checks every option and resolves the defaults (the catalogue merged with
  custom services, the management port from the connection). Its errors name the options through
  ``name``, so the role's messages name its variables (``packet_filter_management_port``).
* :func:`build_config` is the desired configuration in the shape of ``ipsec_config``'s ``config``:
  seed 000's permit lists with an *All Inbound Traffic* block, or the AnalogX template's protocol
  denials, each service a ``<prefix><label> Server`` / ``Client`` list and rule.
* :func:`management_guard` is the packets that must stay permitted: TCP from every management source
  to the protected address on every guard port. A source that is a subnet or a range is tried at its
  first, last and one inner address, ``any`` at one IPv4 and one IPv6 address, and where a source
  overlaps a protected subnet or range also at the overlap's first, inner and last address; a source
  the guard cannot evaluate offline (a DNS name, a server type) is refused, and so are sources of
  which none has the protected address's IP version (the guard would check nothing).
* :func:`summary` is the short table the role ends with.

No I/O and no Ansible imports here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ._addresses import AddressKind, Endpoint
from ._catalogue import CATALOGUE, Service, custom_service
from ._errors import InvalidInput
from ._evaluate import Packet
from ._guard import Guard, GuardVerdict
from ._model import check_text, port_number

# A port number the guard's packets come from: the start of the dynamic range Windows uses (RFC 6335).
CLIENT_PORT = 49152
# Where `any` is tried: documentation addresses (RFC 5737, RFC 3849), so no real host is named.
ANY_SAMPLES = ("203.0.113.1", "2001:db8::1")
# The management port when the connection has none (e.g. `local`): WinRM over HTTP.
DEFAULT_MANAGEMENT_PORT = 5985
DEFAULT_DENY = ("all_inbound", "protocols")
# What `any` covers, per IP version.
EVERY_ADDRESS = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))

Naming = Callable[[str], str]


@dataclass(frozen=True)
class Settings:
    """The packet filter's options, checked, with their defaults resolved.

    Attributes:
        policy: the policy's name, the owner prefix in front.
        services: the catalogue with the custom services merged over it.
        interface: the protected address as given (``me``, an address, subnet or range).
        management_port: the TCP port the management filters permit.
        guard_ports: the TCP ports the guard proves open: the management port, the connection's
            port, and any extra ones, sorted.
    """

    policy: str
    owner_prefix: str
    services: Mapping[str, Service]
    server_services: tuple[str, ...]
    client_services: tuple[str, ...]
    service_sources: Mapping[str, tuple[str, ...]]
    interface: str
    permit_icmp: bool
    default_deny: str
    assign: bool
    management_port: int
    management_sources: tuple[str, ...]
    guard_ports: tuple[int, ...]
    allow_lockout: bool


def read_settings(params: Mapping[str, Any], *, connection_port: int | None, name: Naming = str) -> Settings:
    """Check the options (``ipsec_packet_filter``'s, by their module names) and resolve the defaults.

    Args:
        params: the options, validated for type by the argument spec.
        connection_port: the TCP port of the connection the task runs over, or ``None`` when it has
            none (``local``); the guard always protects it.
        name: how a message names an option (the role passes its variable names).

    Raises:
        InvalidInput: naming the option (through ``name``) and the value.
    """
    prefix = params["owner_prefix"]
    if not isinstance(prefix, str) or not prefix:
        raise InvalidInput(name("owner_prefix"), prefix, "must not be empty: the role owns exactly the objects whose names start with it")
    # Every name starts with the prefix, so it must pass to netsh like a name; only trailing spaces,
    # which the name after it ends, are allowed ("LD - ").
    check_text(name("owner_prefix"), prefix.rstrip(" "), allow_empty=False)
    policy = check_text(name("policy_name"), params["policy_name"], allow_empty=False)
    # Both parts pass check_text, so the whole name does too.
    policy = policy if policy.startswith(prefix) else prefix + policy
    services = dict(CATALOGUE)
    for key, value in (params.get("custom_services") or {}).items():
        services[key] = custom_service(key, value, f"{name('custom_services')}.{key}")
    server = _known(params.get("server_services") or (), services, "server_services", name)
    client = _known(params.get("client_services") or (), services, "client_services", name)
    _distinct_labels(server, services, name)
    _distinct_labels(client, services, name)
    allow_lockout = bool(params.get("allow_lockout"))
    interface = _interface(params.get("interface_address", "me"), name)
    management_port = _management_port(params.get("management_port"), connection_port, name)
    extra = tuple(_tcp_port(port, f"{name('guard_ports')}[{index}]") for index, port in enumerate(params.get("guard_ports") or ()))
    ports = {management_port, *extra, *((connection_port,) if connection_port else ())}
    settings = Settings(
        policy=policy,
        owner_prefix=prefix,
        services=services,
        server_services=server,
        client_services=client,
        service_sources=_service_sources(params.get("service_sources") or {}, server, services, name),
        interface=interface,
        permit_icmp=bool(params.get("permit_icmp")),
        default_deny=_choice(params.get("default_deny", "all_inbound"), DEFAULT_DENY, name("default_deny")),
        assign=bool(params.get("assign", True)),
        management_port=management_port,
        management_sources=_management_sources(params.get("management_sources"), name, guarded=not allow_lockout),
        guard_ports=tuple(sorted(ports)),
        allow_lockout=allow_lockout,
    )
    if not allow_lockout and not management_guard(settings).packets:
        raise InvalidInput(name("management_sources"), list(settings.management_sources),
                           f"has no source of the IP version of {name('interface_address')} ({interface}), so the guard would "
                           "check nothing: give the controller's address in that IP version, or any")
    return settings


def _choice(value: object, choices: Sequence[str], field: str) -> str:
    if value not in choices:
        raise InvalidInput(field, value, f"expected one of {', '.join(choices)}")
    return str(value)


def _known(names: Sequence[str], services: Mapping[str, Service], option: str, name: Naming) -> tuple[str, ...]:
    for index, service in enumerate(names):
        if service not in services:
            raise InvalidInput(f"{name(option)}[{index}]", service,
                               f"is not a service of the catalogue ({', '.join(sorted(services))}); add it with {name('custom_services')}")
    return tuple(dict.fromkeys(names))


def _distinct_labels(served: Sequence[str], services: Mapping[str, Service], name: Naming) -> None:
    """Two services of one direction with the same label (Windows compares names ignoring case, A-31)
    would make one list and rule name; the later one is a custom service, since the catalogue's labels
    differ."""
    seen: dict[str, str] = {}
    for service in served:
        key = services[service].label.casefold()
        if key in seen:
            raise InvalidInput(f"{name('custom_services')}.{service}.label", services[service].label,
                               f"is the label of {seen[key]} too (ignoring case), and each label names a filter list and a rule: "
                               "give it a label of its own")
        seen[key] = service


def _service_sources(value: Mapping[str, Any], server: tuple[str, ...], services: Mapping[str, Service],
                     name: Naming) -> dict[str, tuple[str, ...]]:
    sources = {}
    for service, entries in value.items():
        field = f"{name('service_sources')}.{service}"
        if service not in services:
            raise InvalidInput(field, entries, f"names no service of the catalogue ({', '.join(sorted(services))})")
        if service not in server:
            raise InvalidInput(field, entries, f"names a service that is not in {name('server_services')}: its sources would have no effect")
        if not isinstance(entries, list) or not entries:
            raise InvalidInput(field, entries, "expected a non-empty list of sources (any, hosts, subnets or ranges); "
                                               f"to permit nobody, remove the service from {name('server_services')}")
        for index, entry in enumerate(entries):
            if Endpoint.parse(entry, field=f"{field}[{index}]").kind is AddressKind.ME:
                raise InvalidInput(f"{field}[{index}]", entry, "me is the host itself, not a client of its service: give "
                                                               "the clients' addresses, subnets or ranges, or any")
        sources[service] = tuple(str(entry).strip() for entry in entries)
    return sources


def _interface(value: object, name: Naming) -> str:
    field = name("interface_address")
    endpoint = Endpoint.parse(value, field=field)
    if endpoint.kind not in (AddressKind.ME, AddressKind.IP, AddressKind.RANGE):
        raise InvalidInput(field, value, "expected me or the host's own IP address (or its subnet or range): the policy "
                                         "protects it, and the guard must be able to evaluate it offline")
    return str(value).strip()


def _tcp_port(value: object, field: str) -> int:
    port = port_number(value, field_name=field)
    if port == 0:
        raise InvalidInput(field, value, "expected a TCP port 1-65535 (0 would mean every port)")
    return port


def _management_port(value: object, connection_port: int | None, name: Naming) -> int:
    if value is None:
        return connection_port or DEFAULT_MANAGEMENT_PORT
    return _tcp_port(value, name("management_port"))


def _management_sources(value: object, name: Naming, *, guarded: bool) -> tuple[str, ...]:
    field = name("management_sources")
    if value is None:
        return ("any",)
    if not isinstance(value, list) or not value:
        raise InvalidInput(field, value, "expected at least one source (any, hosts, subnets or ranges): with none, the "
                                         "management channel would be blocked")
    for index, entry in enumerate(value):
        endpoint = Endpoint.parse(entry, field=f"{field}[{index}]")
        if endpoint.kind is AddressKind.ME:
            raise InvalidInput(f"{field}[{index}]", entry, "me is the host itself, not where Ansible connects from: give the "
                                                           "controller's address or subnet, or any")
        if guarded and endpoint.kind in (AddressKind.DNS, AddressKind.SERVER):
            raise InvalidInput(f"{field}[{index}]", entry, "a DNS name or server type is resolved on the host only, so the guard "
                                                           "cannot prove the management channel open: give addresses, subnets or ranges")
    return tuple(str(entry).strip() for entry in value)


# --- the configuration ----------------------------------------------------------------------------


def build_config(settings: Settings) -> dict[str, Any]:
    """The desired configuration, in the shape of ``ipsec_config``'s ``config`` (for ``state: overridden``
    with ``owner_prefix``): filter actions ``<prefix>Permit`` and ``<prefix>Block``, one list and rule per
    service direction, ``<prefix>Management``, ``<prefix>ICMP`` when ICMP is permitted, the default deny,
    and the policy (default response rule off), assigned when ``settings.assign``."""
    prefix = settings.owner_prefix
    permit, block = f"{prefix}Permit", f"{prefix}Block"
    lists: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []

    def add(list_name: str, description: str, filters: list[dict[str, Any]], action: str) -> None:
        lists.append({"name": list_name, "description": description, "filters": filters})
        rules.append({"name": list_name, "filter_list": list_name, "filter_action": action})

    me = settings.interface
    for service_name in settings.server_services:
        service = settings.services[service_name]
        sources = settings.service_sources.get(service_name, ("any",))
        add(f"{prefix}{service.label} Server", service.description,
            [_filter(source, me, protocol, port, service.description) for protocol, port in service.ports for source in sources], permit)
    for service_name in settings.client_services:
        service = settings.services[service_name]
        add(f"{prefix}{service.label} Client", service.description,
            [_filter(me, "any", protocol, port, service.description) for protocol, port in service.ports], permit)
    add(f"{prefix}Management", "The management channel (WinRM or SSH)",
        [_filter(source, me, "tcp", settings.management_port, "Management") for source in settings.management_sources], permit)
    if settings.permit_icmp:
        add(f"{prefix}ICMP", "Ping and traceroute", [_filter("any", me, "icmp", None, "ICMP")], permit)
    for label, protocol in default_denials(settings):
        add(f"{prefix}{label}", "Default deny", [_filter("any", me, protocol, None, "Default deny")], block)
    config: dict[str, Any] = {
        "filter_actions": [{"name": permit, "action": "permit"}, {"name": block, "action": "block"}],
        "filter_lists": lists,
        "policies": [{"name": settings.policy, "description": "Managed by the lockdown.ipsec.packet_filter role",
                      "default_response_rule": {"activate": False}, "rules": rules}],
    }
    if settings.assign:
        config["assigned"] = settings.policy
    return config


def default_denials(settings: Settings) -> tuple[tuple[str, str], ...]:
    """``(label, protocol)`` of each default deny: seed 000's one rule, or the AnalogX template's
    protocol denials (without ICMP when ICMP is permitted)."""
    if settings.default_deny == "all_inbound":
        return (("All Inbound Traffic", "any"),)
    return (("All TCP", "tcp"), ("All UDP", "udp")) + ((() if settings.permit_icmp else (("All ICMP", "icmp"),)))


def _filter(source: str, destination: str, protocol: str, port: int | None, description: str) -> dict[str, Any]:
    item: dict[str, Any] = {"source": source, "destination": destination, "protocol": protocol, "mirrored": True, "description": description}
    if port is not None:
        item["destination_port"] = port
    return item


# --- the guard ------------------------------------------------------------------------------------


def samples(text: str) -> tuple[str, ...]:
    """The addresses the guard tries for an endpoint: itself for a host or ``me``; the first, one inner
    and the last address of a subnet or range; :data:`ANY_SAMPLES` for ``any``; none for a DNS name or
    a server type, which only the host can resolve (the settings refuse those unless the guard is off).
    """
    endpoint = Endpoint.parse(text)
    if endpoint.kind in (AddressKind.DNS, AddressKind.SERVER):
        return ()
    if endpoint.kind is AddressKind.ANY:
        return ANY_SAMPLES
    if endpoint.kind is AddressKind.ME:
        return ("me",)
    if endpoint.kind is AddressKind.IP:
        network = ipaddress.ip_network(f"{endpoint.value}/{endpoint.prefix}", strict=False)
        first, last = int(network.network_address), int(network.broadcast_address)
    else:
        start, end = (ipaddress.ip_address(part) for part in endpoint.value.split("-"))
        first, last = int(start), int(end)
        network = ipaddress.ip_network(start)
    return _spread(network.version, first, last)


def _spread(version: int, first: int, last: int) -> tuple[str, ...]:
    make = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return tuple(dict.fromkeys(make(number).compressed for number in (first, first + (last - first) // 2, last)))


def _bounds(text: str) -> tuple[tuple[int, int, int], ...]:
    """``(version, first, last)`` of every address block an endpoint covers: one for an address, subnet
    or range, both families for ``any``, none for ``me``, a DNS name or a server type."""
    endpoint = Endpoint.parse(text)
    if endpoint.kind is AddressKind.ANY:
        return tuple((network.version, int(network.network_address), int(network.broadcast_address)) for network in EVERY_ADDRESS)
    if endpoint.kind is AddressKind.IP:
        network = ipaddress.ip_network(f"{endpoint.value}/{endpoint.prefix}", strict=False)
        return ((network.version, int(network.network_address), int(network.broadcast_address)),)
    if endpoint.kind is AddressKind.RANGE:
        start, end = (ipaddress.ip_address(part) for part in endpoint.value.split("-"))
        return ((start.version, int(start), int(end)),)
    return ()


def overlap_samples(source: str, interface: str) -> tuple[str, ...]:
    """Where a management source overlaps the protected subnet or range: the first, one inner and the
    last address of the overlap. A controller there matches the mirrored default deny in its reverse
    direction (from the interface's block to any), whose weight against the management permit depends
    on the order of the criteria (A-46), so the guard must try it; the source's own samples may all lie
    outside the overlap (``any``, or a wider subnet around it). A single protected address has no
    overlap to try: the controller is not the host itself."""
    found: list[str] = []
    for version, first, last in _bounds(source):
        for other_version, other_first, other_last in _bounds(interface):
            low, high = max(first, other_first), min(last, other_last)
            if version == other_version and low <= high and other_first < other_last:
                found.extend(_spread(version, low, high))
    return tuple(dict.fromkeys(found))


def _same_family(source: str, destination: str) -> bool:
    if "me" in (source, destination):
        return True
    return ipaddress.ip_address(source).version == ipaddress.ip_address(destination).version


def management_guard(settings: Settings) -> Guard:
    """The packets that must stay permitted: TCP from each sample of each management source (from port
    :data:`CLIENT_PORT`) to each sample of the protected address, on each guard port; with the protected
    address's samples as the host's own addresses (filters naming ``me`` cover them)."""
    destinations = samples(settings.interface)
    packets = tuple(
        Packet.build(source=source, destination=destination, protocol="tcp", source_port=CLIENT_PORT, destination_port=port)
        for entry in settings.management_sources
        for source in dict.fromkeys(samples(entry) + overlap_samples(entry, settings.interface))
        for destination in destinations if source != destination and _same_family(source, destination)
        for port in settings.guard_ports
    )
    return Guard(tuple(dict.fromkeys(packets)), tuple(address for address in destinations if address != "me"))


def refusal_advice(name: Naming) -> str:
    """What a user whose policy the guard refused can change, in the option names of ``name``."""
    return (f"Permit it ({name('management_port')}, {name('management_sources')}), narrow what blocks it, or set "
            f"{name('allow_lockout')}: true if you really mean it.")


# --- the picture ----------------------------------------------------------------------------------


def summary(settings: Settings, verdicts: Sequence[GuardVerdict]) -> list[str]:
    """What the host permits once the policy applies, as lines of a short table: service, direction,
    protocol/port and sources; then the default deny and the management channel's verdict."""
    rows = [("service", "direction", "protocol/port", "sources")]
    for service_name in settings.server_services:
        service = settings.services[service_name]
        rows.append((service.label, "inbound", _ports(service), ", ".join(settings.service_sources.get(service_name, ("any",)))))
    for service_name in settings.client_services:
        service = settings.services[service_name]
        rows.append((service.label, "outbound", _ports(service), f"from {settings.interface} to any"))
    rows.append(("Management", "inbound", f"tcp/{settings.management_port}", ", ".join(settings.management_sources)))
    if settings.permit_icmp:
        rows.append(("ICMP", "both", "icmp", "any"))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [f"{settings.policy}{'' if settings.assign else ' (not assigned by this run)'}: permitted"]
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3] for row in rows]
    denials = ", ".join(protocol if protocol != "any" else "every protocol" for _label, protocol in default_denials(settings))
    lines.append(f"Blocked: everything else to {settings.interface} ({denials}, from any; mirrored)")
    lines.append(_management_line(settings, verdicts))
    return lines


def _ports(service: Service) -> str:
    return ", ".join(f"{protocol}/{port}" for protocol, port in service.ports)


def _management_line(settings: Settings, verdicts: Sequence[GuardVerdict]) -> str:
    ports = ", ".join(f"tcp/{port}" for port in settings.guard_ports)
    if not verdicts:
        return f"Management channel ({ports}): not evaluated"
    unsafe = [found for found in verdicts if not found.safe]
    if not unsafe:
        policy = verdicts[0].policy
        where = f"by {policy!r}" if policy else "(no policy is assigned)"
        return f"Management channel ({ports}): permitted {where} for all {len(verdicts)} packets the guard tried"
    return f"Management channel ({ports}): NOT SAFE for {len(unsafe)} of {len(verdicts)} packets: {unsafe[0].explain()}"


__all__ = [
    "ANY_SAMPLES", "CLIENT_PORT", "DEFAULT_DENY", "DEFAULT_MANAGEMENT_PORT", "Settings", "build_config", "default_denials",
    "management_guard", "read_settings", "refusal_advice", "samples", "summary",
]
