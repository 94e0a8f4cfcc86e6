"""The ``ipsecData`` blob of a filter list (``ipsecFilter``): legacy filter specs and the V2 block.

Layout from ``GPIPSEC.md`` §6 (and §2 for framing and encodings). Like ``_gpipsec_blobs`` this module
knows only bytes; ``_gpipsec_mapping`` decides what a netsh filter becomes.

Contract: :func:`filter_list_blob` ``(legacy, v2)`` returns the blob -- the legacy block (§6.1, §6.2)
and, when *v2* is not empty, the V2 block after it (§6.3). Windows 10/11 conventions (§2 table): the
legacy Data-Length1 counts the filter specs only, not the 4-byte count, and no trailing byte follows.
Values that do not fit raise :class:`~._gpipsec_blobs.BlobError`.

The V2 block was never observed (§6.3 "Never observed"); the emulator writes it from the spec's field
list only, with these emulator choices: Data-Length2 counts the Filter-Spec2 entries only (as
Data-Length1 does on Windows 10/11), Number-Of-Filters11 is 0 (it does not override the legacy count),
Filter-Flags is 0, an IPv4 address fills the first 4 of its 16 bytes, and ports are u16 little-endian
as in the legacy spec.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._gpipsec_blobs import BlobError, framed, guid, string, u16, u32

# §2 "Type GUIDs" table.
FILTER_TYPE = "{80DC20B5-2EC8-11D1-A89E-00A0248D3021}"
FILTER_V2_TYPE = "{35FECD3D-AE29-4373-8A6A-C5D8FAB2FB08}"

# §6.3 Address data: type.
V2_ANY, V2_SINGLE, V2_RANGE, V2_SUBNET, V2_ME = 0x00, 0x01, 0x02, 0x04, 0x08
# §6.3 Address data: version.
V2_IPV4, V2_IPV6 = 1, 2
# §6.3 Port data: type.
V2_PORT_ANY, V2_PORT_SINGLE = 0, 1


@dataclass(frozen=True)
class LegacyFilter:
    """One legacy filter spec (§6.2); addresses and masks are 4 bytes in network order."""

    guid: str
    mirrored: bool
    src_address: bytes
    src_mask: bytes
    dst_address: bytes
    dst_mask: bytes
    protocol: int
    src_port: int
    dst_port: int
    special: int = 0          # Special-Filter: 0x01-0x04 source server, 0x81-0x84 destination server
    src_dns_name: str = ""
    dst_dns_name: str = ""
    description: str = ""


@dataclass(frozen=True)
class AddressData:
    """40 bytes of V2 address data (§6.3): type, version, address, secondary (range end or mask)."""

    kind: int
    version: int
    address: bytes = b""
    secondary: bytes = b""


@dataclass(frozen=True)
class V2Filter:
    """One Filter-Spec2 (§6.3)."""

    guid: str
    mirrored: bool
    src: AddressData
    dst: AddressData
    protocol: int
    src_port: int
    dst_port: int
    src_dns_name: str = ""
    dst_dns_name: str = ""
    description: str = ""


def _strings(src_dns_name: str, dst_dns_name: str, description: str) -> bytes:
    # Source-DNS-Name, Destination-DNS-Name, Filter-Description (§6.2; the same three open a Filter-Spec2, §6.3)
    return (string(src_dns_name, "Source-DNS-Name") + string(dst_dns_name, "Destination-DNS-Name")
            + string(description, "Filter-Description"))


def _four(value: bytes, what: str) -> bytes:
    if len(value) != 4:
        raise BlobError(f"{what} must be 4 bytes, not {len(value)}")
    return value


def _legacy(spec: LegacyFilter) -> bytes:
    return (_strings(spec.src_dns_name, spec.dst_dns_name, spec.description)
            + guid(spec.guid)
            + u32(int(spec.mirrored), "Mirror")
            + _four(spec.src_address, "source address") + _four(spec.src_mask, "source mask")
            + _four(spec.dst_address, "destination address") + _four(spec.dst_mask, "destination mask")
            + bytes(4)                                    # filter-level tunnel address: no tunnel filters
            + u32(spec.protocol, "Protocol")
            + u16(spec.src_port, "Source port") + u16(spec.dst_port, "Destination port")
            + b"\x00"                                     # Is-Tunnel
            + bytes([spec.special])                       # Special-Filter
            + bytes(2))                                   # Filter-Options, 0


def _address_data(data: AddressData, what: str) -> bytes:
    if len(data.address) > 16 or len(data.secondary) > 16:
        raise BlobError(f"{what}: an address field holds at most 16 bytes")
    return (u32(data.kind, what + " type") + u32(data.version, what + " version")
            + data.address.ljust(16, b"\x00") + data.secondary.ljust(16, b"\x00"))


def _port_data(port: int, what: str) -> bytes:
    # type u32, port u16, range end u16 (§6.3); netsh ports are single values or 0 = any
    return u32(V2_PORT_SINGLE if port else V2_PORT_ANY, what + " type") + u16(port, what) + bytes(2)


def _v2(spec: V2Filter) -> bytes:
    return (_strings(spec.src_dns_name, spec.dst_dns_name, spec.description)
            + guid(spec.guid)
            + u32(int(spec.mirrored), "Mirror-Flags")
            + _address_data(spec.src, "Source-Address-Data") + _address_data(spec.dst, "Destination-Address-Data")
            + _port_data(spec.src_port, "Source-Port-Data") + _port_data(spec.dst_port, "Destination-Port-Data")
            + u32(spec.protocol, "Filter-Protocol")
            + bytes(4))                                   # Filter-Flags


def filter_list_blob(legacy: tuple[LegacyFilter, ...], v2: tuple[V2Filter, ...] = ()) -> bytes:
    """The legacy block (count + specs), then the V2 block when *v2* is not empty; see the module docstring."""
    specs = b"".join(_legacy(spec) for spec in legacy)
    blob = framed(FILTER_TYPE, len(specs), u32(len(legacy), "Number-Of-Filters1") + specs)
    if v2:
        specs2 = b"".join(_v2(spec) for spec in v2)
        blob += (guid(FILTER_V2_TYPE) + u32(len(specs2), "Data-Length2")
                 + u32(0, "Number-Of-Filters11") + u32(len(v2), "Number-Of-Filters2") + specs2)
    return blob
