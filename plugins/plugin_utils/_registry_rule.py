# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The ``ipsecNFA`` blob: a rule, or a policy's default response rule (GPIPSEC.md §5).

The blob holds what a rule has besides its references: authentication methods, connection type,
tunnel end point and the active flag. Windows Vista and later append an extension that Data-Length
does not count (§5.2): a second copy of the authentication list, per-method certificate flags and an
optional IPv6 tunnel end point. Which filter list and filter action a rule uses are registry values,
resolved by :mod:`._registry_store`.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from typing import Optional

from ._errors import InvalidInput
from ._methods import AuthKind, AuthMethod
from ._model import ConnectionType, check_auth_methods
from ._registry_blob import FRAME_SIZE, BlobReader, check_data_length, open_blob, utf16z

NFA_TYPE = uuid.UUID("11BBAC00-498D-11D1-8639-00A0248D3021")  # GPIPSEC.md §2, §5.1

# Interface-Type (GPIPSEC.md §5.1): netsh's conntype.
_INTERFACES = {0xFFFFFFFD: ConnectionType.ALL, 0xFFFFFFFE: ConnectionType.LAN, 0xFFFFFFFF: ConnectionType.DIALUP}
# Auth-Type (GPIPSEC.md §5.1): 1 pre-shared key, 3 certificate (root CA name), 5 Kerberos.
_AUTH_KINDS = {1: AuthKind.PRESHARED_KEY, 3: AuthKind.ROOT_CA, 5: AuthKind.KERBEROS}
# The extension's markers (GPIPSEC.md §5.2): sixteen 01 bytes; fifteen 01 then 02; fifteen 01 then 03.
_ALT_ID1 = b"\x01" * 16
_ALT_ID2 = b"\x01" * 15 + b"\x02"
_IPV6_TUNNEL_ID = b"\x01" * 15 + b"\x03"
# Alt-Auth-Method-Flags: 1 certificate-to-account mapping (certmap), 2 exclude CA name (§5.2 [inferred]).
_CERTMAP, _EXCLUDE_CA_NAME = 1, 2


@dataclass(frozen=True)
class NfaBlob:
    """What an ``ipsecNFA`` blob holds, in netsh's terms.

    Attributes:
        auth_methods: in stored (preference) order; pre-shared keys in clear.
        connection_type: from Interface-Type.
        tunnel: ``""`` unless Is-Tunnel is 1; then the IPv6 end point of the extension when present,
            else the IPv4 Tunnel-Address, as canonical text.
        activate: Is-Active.
    """

    auth_methods: tuple[AuthMethod, ...]
    connection_type: ConnectionType
    tunnel: str
    activate: bool


@dataclass(frozen=True)
class _Auth:
    at: int  # byte offset of the method's Auth-Type
    kind: AuthKind
    value: str  # "" for Kerberos


def decode_nfa(data: bytes, *, key: str) -> NfaBlob:
    """Decode an ``ipsecNFA`` blob (GPIPSEC.md §5.1, §5.2).

    Data-Length must cover offset 20 to the end of Tunnel-End-Point-Name (both conventions of §2 say
    so: Windows 2000 has no extension, Windows 10/11 does not count it); one trailing ``00`` may follow.

    Raises:
        RegistryDecodeError: a wrong type GUID or Data-Length; an unknown Auth-Type or Interface-Type;
            a non-empty Interface-Name or Tunnel-End-Point-Name; flags other than 0/1; a tunnel address
            without Is-Tunnel (or Is-Tunnel without an address); an extension whose markers, method list
            or flags are not as §5.2 describes or whose methods differ from the base list; a method list
            netsh could not hold (Kerberos twice, ...); bytes left over.
    """
    reader, data_length = open_blob(data, key=key, type_guid=NFA_TYPE, kind="ipsecNFA")
    base = _auth_list(reader, "Auth-Method-Count", "method")
    interface_at = reader.offset
    interface = reader.u32("Interface-Type")
    interface_name_at = reader.offset + 4
    interface_name = reader.string("Interface-Name")
    tunnel_at = reader.offset
    tunnel_address = reader.ipv4("Tunnel-Address")
    is_tunnel = _flag(reader, "Is-Tunnel-Specifier")
    activate = _flag(reader, "Is-Active-Specifier")
    end_point_at = reader.offset + 4
    end_point = reader.string("Tunnel-End-Point-Name")
    check_data_length(reader, data_length, {"all writers": reader.offset - FRAME_SIZE})
    if interface not in _INTERFACES:
        raise reader.error("Interface-Type", f"unknown value {interface:#010x} (known: 0xfffffffd all, 0xfffffffe lan, 0xffffffff dialup)", interface_at)
    if interface_name:
        raise reader.error("Interface-Name", "a named interface is not supported (only an empty name is)", interface_name_at)
    if end_point:
        # netsh stores a DNS tunnel end point as the address it resolves to; a name here is unknown.
        raise reader.error("Tunnel-End-Point-Name", "a named tunnel end point is not supported (only an empty name is)", end_point_at)
    methods = [AuthMethod(auth.kind, auth.value) for auth in base]
    ipv6 = None
    if reader.rest() not in (b"", b"\x00"):
        methods, ipv6 = _extension(reader, base)
    reader.finish()
    try:
        check_auth_methods("auth_methods", tuple(methods))
    except InvalidInput as error:
        raise reader.error("Auth-Method-Count", error.reason, FRAME_SIZE) from None
    return NfaBlob(
        auth_methods=tuple(methods),
        connection_type=_INTERFACES[interface],
        tunnel=_tunnel(reader, is_tunnel, tunnel_address, tunnel_at, ipv6),
        activate=activate,
    )


def _flag(reader: BlobReader, field: str) -> bool:
    at = reader.offset
    value = reader.u32(field)
    if value not in (0, 1):
        raise reader.error(field, f"expected 0 or 1, not {value:#x}", at)
    return value == 1


def _auth_list(reader: BlobReader, count_field: str, name: str) -> list[_Auth]:
    """A count and that many methods: u32 Auth-Type, u32 Auth-Length, data (GPIPSEC.md §5.1)."""
    count = reader.count(count_field, 8)
    methods = []
    for index in range(count):
        at = reader.offset
        auth_type = reader.u32(f"{name} {index} Auth-Type")
        size = reader.u32(f"{name} {index} Auth-Length")
        raw = reader.take(size, f"{name} {index} data")
        if auth_type not in _AUTH_KINDS:
            raise reader.error(f"{name} {index} Auth-Type", f"unknown type {auth_type} (known: 1 pre-shared key, 3 root CA, 5 Kerberos)", at)
        kind = _AUTH_KINDS[auth_type]
        if kind is AuthKind.KERBEROS:
            # Length 2 with 00 00 in the base list, 0 in the extension (GPIPSEC.md §5.1, §5.2).
            if raw not in (b"", b"\x00\x00"):
                raise reader.error(f"{name} {index} data", f"Kerberos carries no data, not {size} bytes", at + 8)
            value = ""
        else:
            # UTF-16LE + NUL: the key in clear, or the CA's name (§5.1). Never put it in a message.
            value = utf16z(raw, lambda reason, index=index, at=at: reader.error(f"{name} {index} data", reason, at + 8))
            if not value:
                raise reader.error(f"{name} {index} data", "an empty pre-shared key or CA name", at + 8)
        methods.append(_Auth(at, kind, value))
    return methods


def _extension(reader: BlobReader, base: list[_Auth]) -> tuple[list[AuthMethod], Optional[tuple[int, bytes]]]:
    """The Vista+ extension (GPIPSEC.md §5.2): the method list it holds, with certificate flags, and
    the IPv6 tunnel end point as (byte offset, 16 bytes) or ``None``."""
    marker_at = reader.offset
    if reader.take(16, "Alt-Auth-Method-Id1") != _ALT_ID1:
        raise reader.error("Alt-Auth-Method-Id1", "unknown bytes after Tunnel-End-Point-Name (expected the extension's sixteen 01 bytes)", marker_at)
    count_at = reader.offset
    alternative = _auth_list(reader, "Alt-Auth-Num-Methods-Count", "alt method")
    # The base list and the extension's must say the same, compared decoded (Kerberos' length differs).
    if [(auth.kind, auth.value) for auth in alternative] != [(auth.kind, auth.value) for auth in base]:
        raise reader.error("Alt-Auth-Num-Methods-Count", "the extension's authentication methods differ from the base list's "
                           f"({len(alternative)} vs {len(base)} methods; values not shown)", count_at)
    marker_at = reader.offset
    if reader.take(16, "Alt-Auth-Method-Id2") != _ALT_ID2:
        raise reader.error("Alt-Auth-Method-Id2", "expected fifteen 01 bytes and 02", marker_at)
    reader.take(4, "Zero1")  # spec: may be 0, ignore; observed 1 (§5.2)
    methods = []
    for index, auth in enumerate(alternative):
        at = reader.offset
        flags = reader.u32(f"Alt-Auth-Method-Flags {index}")
        if flags & ~(_CERTMAP | _EXCLUDE_CA_NAME):
            raise reader.error(f"Alt-Auth-Method-Flags {index}", f"unknown bits in {flags:#x} (known: 1 certmap, 2 exclude CA name)", at)
        if flags and auth.kind is not AuthKind.ROOT_CA:
            raise reader.error(f"Alt-Auth-Method-Flags {index}", f"{flags:#x} on a {auth.kind.value} method (certificate flags apply to root CAs only)", at)
        methods.append(AuthMethod(auth.kind, auth.value, certmap=bool(flags & _CERTMAP), exclude_ca_name=bool(flags & _EXCLUDE_CA_NAME)))
    ipv6 = None
    if reader.rest() not in (b"", b"\x00"):
        marker_at = reader.offset
        if reader.take(16, "IPv6-Tunnel-Mode-ID") != _IPV6_TUNNEL_ID:
            raise reader.error("IPv6-Tunnel-Mode-ID", "unknown bytes after the extension's flags (expected fifteen 01 bytes and 03)", marker_at)
        ipv6 = (reader.offset, reader.take(16, "IPv6 tunnel end point"))
    return methods, ipv6


def _tunnel(reader: BlobReader, is_tunnel: bool, address: int, at: int, ipv6: Optional[tuple[int, bytes]]) -> str:
    """The rule's tunnel end point as netsh's canonical text, ``""`` for none (GPIPSEC.md §5.1, §5.2)."""
    if not is_tunnel:
        if address:
            raise reader.error("Tunnel-Address", f"{ipaddress.IPv4Address(address)} without Is-Tunnel-Specifier", at)
        if ipv6 is not None:
            raise reader.error("IPv6 tunnel end point", "an IPv6 end point without Is-Tunnel-Specifier", ipv6[0])
        return ""
    if ipv6 is not None:
        # "a 16-byte IPv6 endpoint that supersedes Tunnel-Address" (§5.2), network order like all addresses.
        value = ipaddress.IPv6Address(ipv6[1])
        if int(value) == 0:
            raise reader.error("IPv6 tunnel end point", "the unspecified address :: is no end point", ipv6[0])
        return value.compressed
    if not address:
        raise reader.error("Tunnel-Address", "Is-Tunnel-Specifier is 1 but the address is 0.0.0.0", at)
    return ipaddress.IPv4Address(address).compressed


__all__ = ["NFA_TYPE", "NfaBlob", "decode_nfa"]
