# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The ``ipsecFilter`` blob: one filter list's filters (GPIPSEC.md §6).

Only the legacy (IPv4) filter format is read (§6.2). A V2 block (IPv6, ranges, §6.3) has never been
seen in real data, and its position is ambiguous in the spec, so a list holding one is refused as a
whole rather than guessed at (§6.3, §10.10).
"""

from __future__ import annotations

import functools
import ipaddress
import uuid
from typing import Optional

from ._addresses import AddressKind, Endpoint
from ._errors import InvalidInput
from ._model import Filter, check_text
from ._registry_blob import FRAME_SIZE, BlobReader, check_data_length, open_blob

FILTER_TYPE = uuid.UUID("80DC20B5-2EC8-11D1-A89E-00A0248D3021")  # GPIPSEC.md §2, §6.1
FILTER_V2_TYPE = uuid.UUID("35FECD3D-AE29-4373-8A6A-C5D8FAB2FB08")  # GPIPSEC.md §2, §6.3 [spec only]

# A legacy filter with three empty strings is 70 bytes (GPIPSEC.md §6.2); none is shorter.
_MIN_FILTER_SIZE = 70
# Special-Filter: 0x01-0x04 source = DNS / WINS / DHCP / default gateway; 0x81-0x84 the same for the
# destination (GPIPSEC.md §6.2).
_SERVERS = {1: "dns", 2: "wins", 3: "dhcp", 4: "gateway"}
_DESTINATION_BIT = 0x80
_ALL_ONES = 0xFFFFFFFF


def decode_filter_list(data: bytes, *, key: str) -> tuple[Filter, ...]:
    """Decode the filters of an ``ipsecFilter`` blob, in stored order.

    The list's name and description are registry values, not part of the blob. Data-Length may count
    the filter count or not (Windows 2000 vs Windows 10/11, GPIPSEC.md §2), and one trailing ``00`` may
    follow.

    Raises:
        RegistryDecodeError: a wrong type GUID or Data-Length, a filter that runs past the end, a field
            the collection cannot express (filter-level tunnel, Filter-Options, unknown Special-Filter,
            non-contiguous mask, a port without TCP/UDP, ...), a V2 block, or bytes left over.
    """
    reader, data_length = open_blob(data, key=key, type_guid=FILTER_TYPE, kind="ipsecFilter")
    count = reader.count("Number-Of-Filters1", _MIN_FILTER_SIZE)
    filters = tuple(_filter(reader, index) for index in range(count))
    specs_end = reader.offset
    check_data_length(reader, data_length, {
        "Windows 2000: count and filters": specs_end - FRAME_SIZE,
        "Windows 10/11: filters only": specs_end - FRAME_SIZE - 4,
    })
    if reader.remaining >= 16 and uuid.UUID(bytes_le=reader.rest()[:16]) == FILTER_V2_TYPE:
        raise reader.error("Filter-Policy-ID2", "a V2 filter block (IPv6, ranges, special servers) is not supported")
    reader.finish()
    return filters


def _filter(reader: BlobReader, index: int) -> Filter:
    """One legacy filter spec (GPIPSEC.md §6.2)."""
    name = f"filter {index}"
    names = [(reader.offset + 4, reader.string(f"{name} Source-DNS-Name"))]
    names.append((reader.offset + 4, reader.string(f"{name} Destination-DNS-Name")))
    description_at = reader.offset + 4
    description = reader.string(f"{name} Filter-Description")
    reader.take(16, f"{name} Filter-Specification-ID")  # the filter's own GUID: not modelled
    mirror_at = reader.offset
    mirror = reader.u32(f"{name} Mirror")
    addresses_at = reader.offset
    addresses = [reader.ipv4(f"{name} {field}") for field in ("Source-Address", "Source-Mask", "Destination-Address", "Destination-Mask")]
    tunnel = reader.u32(f"{name} Tunnel-Address")
    protocol = reader.u32(f"{name} Protocol")
    ports = (reader.u16(f"{name} Source-Port"), reader.u16(f"{name} Destination-Port"))
    is_tunnel = reader.u8(f"{name} Is-Tunnel")
    special = reader.u8(f"{name} Special-Filter")
    options = reader.u16(f"{name} Filter-Options")
    end = reader.offset
    if mirror not in (0, 1):
        raise reader.error(f"{name} Mirror", f"expected 0 or 1, not {mirror:#x}", mirror_at)
    if tunnel or is_tunnel:
        # A filter-level tunnel (§6.2) has no netsh counterpart: netsh's tunnel is the rule's.
        field, at = ("Is-Tunnel", end - 4) if is_tunnel else ("Tunnel-Address", addresses_at + 16)
        raise reader.error(f"{name} {field}", "a filter-level tunnel is not supported (only 0 is)", at)
    if protocol > 255:
        raise reader.error(f"{name} Protocol", f"{protocol} is not an IP protocol number (0-255)", addresses_at + 20)
    if options:
        raise reader.error(f"{name} Filter-Options", f"{options:#x} is not supported (only 0 is)", end - 2)
    if special and (special & ~_DESTINATION_BIT) not in _SERVERS:
        raise reader.error(f"{name} Special-Filter", f"unknown value {special:#04x} (known: 0x01-0x04, 0x81-0x84)", end - 3)
    endpoints = []
    for side, (dns_at, dns_name) in enumerate(names):
        server = _SERVERS.get(special & ~_DESTINATION_BIT) if bool(special & _DESTINATION_BIT) == bool(side) else None
        field = ("Source", "Destination")[side]
        endpoints.append(_endpoint(reader, f"{name} {field}", dns_name, dns_at, addresses[2 * side], addresses[2 * side + 1],
                                   addresses_at + 8 * side, server))
    try:
        check_text("description", description, allow_empty=True)
        return Filter(
            source=endpoints[0],
            destination=endpoints[1],
            protocol=protocol,
            source_port=ports[0],
            destination_port=ports[1],
            mirrored=mirror == 1,
            description=description,
        )
    except InvalidInput as error:
        # Filter's own rules: a port needs TCP or UDP; a server type needs "me" on the other side.
        at = {"description": description_at, "source_port": end - 8, "destination_port": end - 6}.get(error.field, end - 3)
        raise reader.error(f"{name} {error.field}", error.reason, at) from None


def _endpoint(reader: BlobReader, field: str, dns_name: str, dns_at: int, address: int, mask: int, at: int,
              server: Optional[str]) -> Endpoint:
    """One side of a filter (GPIPSEC.md §6.2 address encodings)."""
    if server is not None:
        if dns_name:
            raise reader.error(f"{field}-DNS-Name", f"a DNS name on the side that Special-Filter makes the {server} server", dns_at)
        # The address and mask of a special-server side are UNKNOWN and ignored (GPIPSEC.md §6.2).
        return _server(server)
    if dns_name:
        # netsh stores the name and the address it resolved at the time; the name is what was
        # asked for, so it is the endpoint, and the address and mask are ignored.
        try:
            return _dns(dns_name)
        except ValueError as error:
            raise reader.error(f"{field}-DNS-Name", str(error), dns_at) from None
    try:
        return _address(address, mask)
    except ValueError as error:
        raise reader.error(f"{field}-Address", str(error), at) from None


@functools.lru_cache(maxsize=8)
def _server(server: str) -> Endpoint:
    return Endpoint(AddressKind.SERVER, server)


@functools.lru_cache(maxsize=4096)
def _dns(name: str) -> Endpoint:
    try:
        endpoint = Endpoint.parse(name)
    except InvalidInput:
        endpoint = None
    if endpoint is None or endpoint.kind is not AddressKind.DNS:
        raise ValueError(f"{name!r} is not a DNS name netsh accepts")
    return endpoint


@functools.lru_cache(maxsize=4096)
def _address(address: int, mask: int) -> Endpoint:
    """``any`` (0/0), ``me`` (0.0.0.0 with mask 255.255.255.255, GPIPSEC.md §6.2 [inferred]) or an IPv4
    host or subnet. Cached: the same few addresses repeat across a store's filters."""
    if address == 0 and mask == _ALL_ONES:
        return Endpoint(AddressKind.ME)
    prefix = (_ALL_ONES ^ mask).bit_length()
    prefix = 32 - prefix
    if mask != (_ALL_ONES << (32 - prefix)) & _ALL_ONES:
        raise ValueError(f"mask {ipaddress.IPv4Address(mask)} is not contiguous")
    try:
        return Endpoint.parse(str(ipaddress.IPv4Address(address)), prefix)
    except InvalidInput as error:
        raise ValueError(f"{ipaddress.IPv4Address(address)} with mask {ipaddress.IPv4Address(mask)}: {error.reason}") from None


__all__ = ["FILTER_TYPE", "FILTER_V2_TYPE", "decode_filter_list"]
