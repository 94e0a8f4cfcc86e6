# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The service catalogue of the packet filter (``ipsec_packet_filter``).

Every service of the AnalogX public server template (seed 002's table) and of "Using IPSec to Lock
Down a Server" (seed 000's chart). A service is a label (used in object names, ``<prefix><label>
Server`` / ``<prefix><label> Client``), a description (the filter lists' description) and its ports;
each port becomes one filter per allowed source. ``custom_services`` are read into the same shape by
:func:`custom_service`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ._errors import InvalidInput
from ._model import check_text, port_number

PORT_PROTOCOLS = ("tcp", "udp")


@dataclass(frozen=True)
class Service:
    """One service: its label, description and ``(protocol, port)`` pairs (protocol ``tcp`` or ``udp``)."""

    label: str
    description: str
    ports: tuple[tuple[str, int], ...]


def _service(label: str, description: str, *ports: tuple[str, int]) -> Service:
    return Service(label, description, tuple(ports))


CATALOGUE: Mapping[str, Service] = {
    "dns": _service("DNS", "Domain Name System", ("tcp", 53), ("udp", 53)),
    "ftp": _service("FTP", "File Transfer Protocol", ("tcp", 20), ("tcp", 21)),
    "http": _service("HTTP", "World Wide Web", ("tcp", 80)),
    "https": _service("HTTPS", "Secure Web (HTTP over SSL/TLS)", ("tcp", 443)),
    "pop3": _service("POP3", "Receiving Email (POP3)", ("tcp", 110)),
    "pop3s": _service("POP3S", "Receiving Email (POP3 over SSL/TLS)", ("tcp", 995)),
    "imap": _service("IMAP", "Receiving Email (IMAP)", ("tcp", 143)),
    "imaps": _service("IMAPS", "Receiving Email (IMAP over SSL/TLS)", ("tcp", 993)),
    "smtp": _service("SMTP", "Sending Email (SMTP)", ("tcp", 25)),
    "snmp": _service("SNMP", "Network Management (SNMP and SNMP traps)", ("udp", 161), ("udp", 162)),
    "ntp": _service("NTP", "Network Time", ("udp", 123)),
    "rdp": _service("Terminal Services", "Terminal Services (Remote Desktop)", ("tcp", 3389)),
    "netbios": _service("NetBIOS", "Windows Networking (NetBIOS name, datagram and session services)",
                        ("udp", 137), ("udp", 138), ("tcp", 139)),
    "smb": _service("SMB", "Windows Networking (SMB over TCP)", ("tcp", 445)),
    "sql_server": _service("SQL", "Microsoft SQL Server (and its browser service)", ("tcp", 1433), ("udp", 1434)),
}

_SERVICE_KEYS = ("label", "description", "ports")


def custom_service(name: str, value: object, field: str) -> Service:
    """A ``custom_services`` entry, ``{label, description, ports: [{protocol: tcp|udp, port}]}``, as a
    :class:`Service`; ``label`` defaults to ``name`` in capitals and ``description`` to the label.

    Raises:
        InvalidInput: naming ``field`` (the entry, e.g. ``custom_services.web_alt``) or one of its keys.
    """
    if not isinstance(value, Mapping):
        raise InvalidInput(field, value, "expected a dictionary with ports (and optionally label and description)")
    unknown = sorted((key for key in value if key not in _SERVICE_KEYS), key=str)
    if unknown:
        raise InvalidInput(f"{field}.{unknown[0]}", value[unknown[0]], "is not a setting of a service: use label, description and ports")
    # The label becomes part of object names and the description a filter's description: both must
    # pass to netsh and read back unchanged (check_text).
    label = check_text(f"{field}.label", value.get("label", name.upper()), allow_empty=False)
    description = check_text(f"{field}.description", value.get("description", label), allow_empty=True)
    ports = value.get("ports")
    if not isinstance(ports, list) or not ports:
        raise InvalidInput(f"{field}.ports", ports, "expected a non-empty list of {protocol: tcp or udp, port: 1-65535}")
    return Service(label, description, tuple(_port(entry, f"{field}.ports[{index}]") for index, entry in enumerate(ports)))


def _port(entry: Any, field: str) -> tuple[str, int]:
    if not isinstance(entry, Mapping) or set(entry) != {"protocol", "port"}:
        raise InvalidInput(field, entry, "expected {protocol: tcp or udp, port: 1-65535}")
    protocol = entry["protocol"]
    if not isinstance(protocol, str) or protocol.strip().lower() not in PORT_PROTOCOLS:
        raise InvalidInput(f"{field}.protocol", protocol, "expected tcp or udp")
    port = port_number(entry["port"], field_name=f"{field}.port")
    if port == 0:
        raise InvalidInput(f"{field}.port", entry["port"], "expected a port 1-65535 (0 would permit every port)")
    return protocol.strip().lower(), port


__all__ = ["CATALOGUE", "Service", "custom_service"]
