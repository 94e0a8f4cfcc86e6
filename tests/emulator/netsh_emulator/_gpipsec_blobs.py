"""``ipsecData`` blobs of policies, ISAKMP objects, filter actions and rules, as Windows 10/11 writes them.

Every layout fact cites ``GPIPSEC.md`` (``/work/shared/reference/registry/``, [MS-GPIPSEC] plus real
exports). This module knows only bytes: which netsh setting lands in which field is decided in
``_gpipsec_mapping``. Filter lists are in ``_gpipsec_filters``.

Contract: each builder takes plain field values and returns the complete blob -- type GUID, Data-Length,
body, and the trailing ``00`` where Windows 10/11 writes one (§2 table). A value that does not fit its
field (a number out of range, a string UTF-16 cannot hold, more than three algorithms in an offer) raises
:class:`BlobError`: the emulator refuses to invent bytes.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass

# §2 "Type GUIDs" table.
POLICY_TYPE = "{22202163-4F4C-11D1-863B-00A0248D3021}"
ISAKMP_TYPE = "{80DC20B8-2EC8-11D1-A89E-00A0248D3021}"
NEGOTIATION_TYPE = "{80DC20B9-2EC8-11D1-A89E-00A0248D3021}"
NFA_TYPE = "{11BBAC00-498D-11D1-8639-00A0248D3021}"

# §5.2: the extension's markers, sixteen bytes each.
_ALT_AUTH_ID1 = b"\x01" * 16
_ALT_AUTH_ID2 = b"\x01" * 15 + b"\x02"
_IPV6_TUNNEL_ID = b"\x01" * 15 + b"\x03"

# §4.2: an offer has three 20-byte algorithm slots.
MAX_ALGORITHMS = 3


class BlobError(ValueError):
    """A value cannot be written in its field."""


# --- primitives (§2 "Encoding rules") -------------------------------------------------------------------

def u32(value: int, what: str) -> bytes:
    """Little-endian u32 (§2: integers are little-endian)."""
    if not 0 <= value < 2**32:
        raise BlobError(f"{what} = {value} does not fit an unsigned 32-bit field")
    return value.to_bytes(4, "little")


def u16(value: int, what: str) -> bytes:
    if not 0 <= value < 2**16:
        raise BlobError(f"{what} = {value} does not fit an unsigned 16-bit field")
    return value.to_bytes(2, "little")


def guid(text: str) -> bytes:
    """16 bytes of a GUID: Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, Data4 as written (§2)."""
    return uuid.UUID(text).bytes_le


def string(text: str, what: str) -> bytes:
    """u32 byte count, then UTF-16LE text and its NUL; the count includes the NUL (§2)."""
    try:
        encoded = text.encode("utf-16-le") + b"\x00\x00"
    except UnicodeEncodeError as exc:
        raise BlobError(f"{what} {text!r} cannot be written as UTF-16: {exc.reason}") from None
    return u32(len(encoded), what + " length") + encoded


def ipv4(text: str) -> bytes:
    """An IPv4 address or mask in network byte order, first octet first (§2; conflict §7 item 1)."""
    return ipaddress.IPv4Address(text).packed


def ipv6(text: str) -> bytes:
    return ipaddress.IPv6Address(text).packed


def framed(type_guid: str, data_length: int, body: bytes) -> bytes:
    """Type GUID, u32 Data-Length, body (§2 "common framing")."""
    return guid(type_guid) + u32(data_length, "Data-Length") + body


def _counted(body: bytes, type_guid: str) -> bytes:
    # Policy, ISAKMP and negotiation policy: Data-Length = body - 1, the trailing 00 is not counted (§2 table).
    return framed(type_guid, len(body), body + b"\x00")


# --- ipsecPolicy (§3.1) ------------------------------------------------------------------------------------

def policy_blob(polling_seconds: int) -> bytes:
    """25 bytes: Data-Length 4, Polling-Interval in seconds, one unused byte (§3.1)."""
    return _counted(u32(polling_seconds, "Polling-Interval"), POLICY_TYPE)


# --- ipsecISAKMPPolicy (§3.2) --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MainModeMethod:
    """One 64-byte security method (§3.2 "Security method")."""

    cipher: int             # +4 Encryption-Algorithm-ID
    hash: int               # +16 Hash-Algorithm-ID
    group: int              # +44 Oakley-Group
    lifetime_seconds: int   # +56 Oakley-Lifetime-Secs


def _main_mode_method(method: MainModeMethod) -> bytes:
    out = (bytes(4)                                     # +0 versions and Zero3
           + u32(method.cipher, "Encryption-Algorithm-ID")
           + bytes(8)                                   # +8 key length, +12 rounds: 0 on W10/11
           + u32(method.hash, "Hash-Algorithm-ID")
           + bytes(8)                                   # +20 key length, +24 rounds
           + bytes(16)                                  # +28 Zero6, +36 Random-Function, +37 Zero7
           + u32(method.group, "Oakley-Group")
           + bytes(4)                                   # +48 QM-Limit per method: 0 (W10/11 §8.2)
           + bytes(4)                                   # +52 Oakley-Lifetime-KB: 0 observed
           + u32(method.lifetime_seconds, "Oakley-Lifetime-Secs")
           + bytes(4))                                  # +60 PFS-Identity-Required: 0 on W10/11
    assert len(out) == 64
    return out


def isakmp_blob(master_pfs: bool, qm_limit: int, lifetime_seconds: int, methods: tuple[MainModeMethod, ...]) -> bytes:
    """84 + 64·n bytes and the trailing 00 (§3.2). The ISAKMP-Policy-Instance is all zero, as Windows
    10/11 writes it (§3.2, conflict §7 item 3); ISAKMP-Options and New-DH are 0."""
    body = (bytes(16)                                  # +20 ISAKMP-Policy-Instance
            + bytes(4)                                 # +36 Zero1
            + u32(int(master_pfs), "Master-PFS-Required")
            + bytes(4)                                 # +44 ISAKMP-Options
            + bytes(4)                                 # +48 New-DH-1..4
            + u32(qm_limit, "QM-Limit")
            + u32(lifetime_seconds, "MM-Lifetime")
            + bytes(20)                                # +60 Zero2
            + u32(len(methods), "Security-Method-Count")
            + b"".join(_main_mode_method(method) for method in methods))
    return _counted(body, ISAKMP_TYPE)


# --- ipsecNegotiationPolicy (§4.2) ------------------------------------------------------------------------------

AH, ESP = 1, 2   # §4.2 Offer-Type


@dataclass(frozen=True)
class Algorithm:
    """One 20-byte algorithm slot (§4.2)."""

    identifier: int   # +0 Algorithm-Identifier
    integrity: int    # +4 ESP-Integrity-Identifier (0 for AH)
    offer_type: int   # +8 Offer-Type: AH or ESP


@dataclass(frozen=True)
class Offer:
    """One 80-byte security offer (§4.2)."""

    lifetime_seconds: int
    lifetime_kbytes: int
    pfs_qm_required: bool
    algorithms: tuple[Algorithm, ...]


def _offer(offer: Offer) -> bytes:
    if len(offer.algorithms) > MAX_ALGORITHMS:
        raise BlobError(f"an offer holds at most {MAX_ALGORITHMS} algorithms, not {len(offer.algorithms)}")
    slots = b"".join(u32(a.identifier, "Algorithm-Identifier") + u32(a.integrity, "ESP-Integrity-Identifier")
                     + u32(a.offer_type, "Offer-Type") + bytes(8)       # +12 key length and rounds: 0 (W10/11)
                     for a in offer.algorithms)
    out = (u32(offer.lifetime_seconds, "Lifetime-Seconds") + u32(offer.lifetime_kbytes, "Lifetime-KBytes")
           + bytes(4)                                                   # +8 Negotiation-Options, must be 0
           + u32(int(offer.pfs_qm_required), "PFS-QM-Required")
           + u32(len(offer.algorithms), "Algorithm-Offer-Count")
           + slots + bytes(20 * (MAX_ALGORITHMS - len(offer.algorithms))))   # unused slots written as zeros
    assert len(out) == 80
    return out


def negotiation_policy_blob(offers: tuple[Offer, ...]) -> bytes:
    """24 + 80·n bytes and the trailing 00; Data-Length = 4 + 80·n (§4.2)."""
    return _counted(u32(len(offers), "Security-Offer-Count") + b"".join(_offer(offer) for offer in offers),
                    NEGOTIATION_TYPE)


# --- ipsecNFA (§5) ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuthMethod:
    """One authentication method, in the base list (§5.1) and in the extension (§5.2)."""

    auth_type: int    # 1 pre-shared key, 3 certificate, 5 Kerberos (§5.1 table)
    data: bytes       # the base list's data
    alt_data: bytes   # the extension's data (Kerberos: empty there, §5.2)
    flags: int = 0    # Alt-Auth-Method-Flags: 1 certificate mapping, 2 exclude CA name (§5.2)


@dataclass(frozen=True)
class NfaFields:
    """What one rule (or the default response rule) writes into its NFA blob."""

    auth: tuple[AuthMethod, ...]
    interface_type: int              # 0xFFFFFFFD all, 0xFFFFFFFE LAN, 0xFFFFFFFF dial-up (§5.1)
    active: bool                     # Is-Active-Specifier
    tunnel_ipv4: str | None = None   # Tunnel-Address, with Is-Tunnel-Specifier 1
    tunnel_ipv6: str | None = None   # the extension's IPv6 end point, with Is-Tunnel-Specifier 1


def _auth_list(methods: tuple[AuthMethod, ...], alternative: bool) -> bytes:
    out = u32(len(methods), "Auth-Method-Count")
    for method in methods:
        data = method.alt_data if alternative else method.data
        out += u32(method.auth_type, "Auth-Type") + u32(len(data), "Auth-Length") + data
    return out


def nfa_blob(fields: NfaFields) -> bytes:
    """Base part (§5.1), then the Vista+ extension (§5.2) and one trailing 00.

    Data-Length counts the base part only, up to Tunnel-End-Point-Name (§2 table, Windows 10/11).
    Interface-Name and Tunnel-End-Point-Name are empty (always empty in the samples, §5.1).
    """
    if fields.tunnel_ipv4 is not None and fields.tunnel_ipv6 is not None:
        raise BlobError("a rule has one tunnel end point, not an IPv4 and an IPv6 one")
    tunnel = ipv4(fields.tunnel_ipv4) if fields.tunnel_ipv4 is not None else bytes(4)
    is_tunnel = fields.tunnel_ipv4 is not None or fields.tunnel_ipv6 is not None
    base = (_auth_list(fields.auth, alternative=False)
            + u32(fields.interface_type, "Interface-Type")
            + string("", "Interface-Name")
            + tunnel
            + u32(int(is_tunnel), "Is-Tunnel-Specifier")
            + u32(int(fields.active), "Is-Active-Specifier")
            + string("", "Tunnel-End-Point-Name"))
    extension = (_ALT_AUTH_ID1 + _auth_list(fields.auth, alternative=True) + _ALT_AUTH_ID2
                 # "Zero1": Windows 10 wrote the method count there (§5.2, §8.5 offset 106)
                 + u32(len(fields.auth), "Zero1")
                 + b"".join(u32(method.flags, "Alt-Auth-Method-Flags") for method in fields.auth))
    if fields.tunnel_ipv6 is not None:
        extension += _IPV6_TUNNEL_ID + ipv6(fields.tunnel_ipv6)
    return framed(NFA_TYPE, len(base), base + extension + b"\x00")
