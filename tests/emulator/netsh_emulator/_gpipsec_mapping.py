"""What each netsh setting of the emulator's store becomes in the ``ipsecData`` blobs (GPIPSEC.md §9).

The crosswalk of GPIPSEC.md §9 leaves several points UNKNOWN; for those the emulator follows a fixed list
of mapping decisions, shared with the collection's decoder, which is written independently (see the
README, "The registry view"). In short:

* policy: Polling-Interval = ``pollinginterval`` minutes · 60 (§3.1);
* ISAKMP: Master-PFS-Required = ``mmpfs``, QM-Limit = ``qmpermm``, MM-Lifetime = ``mmlifetime`` · 60, also
  in each method's +56; a method ``C-H-G`` has cipher 1 DES / 3 3DES, hash 1 MD5 / 2 SHA1 and Oakley group
  1, 2, or 0x10000001 for netsh's group 3 (§3.2);
* filter action: action GUID by ``action`` (negotiate with ``inpass=yes`` is ``{3F91A81A-…}``), one offer
  per quick-mode method, ``soft=yes`` one trailing offer without algorithms, none for block and permit
  (§4);
* rule: auth list in order (Kerberos 5, pre-shared key 1, root CA 3 with flags 1 certmap + 2
  excludecaname), ``conntype``, ``activate``, IPv4 tunnel in Tunnel-Address, IPv6 tunnel in the
  extension (§5);
* filter: any 0/0, me 0.0.0.0/255.255.255.255, an address with its mask, a DNS name as its resolved
  address /32 plus the name, a server type as the Special-Filter byte with 0/0; ranges and IPv6 go into
  the V2 block (§6).

Contract: every function takes store objects (``_state``) and returns blob bytes or a GUID string; a
stored value these rules cannot express raises :class:`~._gpipsec_blobs.BlobError`.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Sequence

from ._gpipsec_blobs import (AH, ESP, Algorithm, AuthMethod, BlobError, MainModeMethod, NfaFields, Offer, isakmp_blob,
                             negotiation_policy_blob, nfa_blob, policy_blob)
from ._gpipsec_filters import (V2_ANY, V2_IPV4, V2_IPV6, V2_ME, V2_RANGE, V2_SINGLE, V2_SUBNET, AddressData, LegacyFilter,
                               V2Filter, filter_list_blob)
from ._state import DefaultRule, FilterAction, FilterList, Policy, Rule
from ._values import Endpoint

# §4.1 ipsecNegotiationPolicyAction and ipsecNegotiationPolicyType, lower case as Windows 10/11 writes them.
ACTION_BLOCK = "{3f91a819-7647-11d1-864d-d46a00000000}"
ACTION_PERMIT = "{8a171dd2-77e3-11d1-8659-a04f00000000}"
ACTION_NEGOTIATE = "{8a171dd3-77e3-11d1-8659-a04f00000000}"
ACTION_INBOUND_PASSTHRU = "{3f91a81a-7647-11d1-864d-d46a00000000}"
TYPE_STANDARD = "{62f49e10-6c37-11d1-864c-14a300000000}"
TYPE_DEFAULT_RESPONSE = "{62f49e13-6c37-11d1-864c-14a300000000}"

# §3.2 method fields; netsh's group 3 (DH 2048) as the spec's group-14 value (mapping decision: storage UNKNOWN).
_MM_CIPHERS = {"DES": 1, "3DES": 3}
_MM_HASHES = {"MD5": 1, "SHA1": 2}
_MM_GROUPS = {"1": 1, "2": 2, "3": 0x10000001}
# §4.2 slots: AH hash; ESP cipher as the spec numbers it (conflict §7 item 6: 1 = none); ESP integrity.
_AH_HASHES = {"MD5": 1, "SHA1": 2}
_ESP_CIPHERS = {"NONE": 1, "DES": 2, "3DES": 3}
_ESP_INTEGRITY = {"NONE": 0, "MD5": 1, "SHA1": 2}
# §5.1 Interface-Type.
_INTERFACE_TYPES = {"ALL": 0xFFFFFFFD, "LAN": 0xFFFFFFFE, "DIALUP": 0xFFFFFFFF}
# §5.1 Auth-Type; §5.2 flags.
_KERBEROS, _PRESHARED_KEY, _CERTIFICATE = 5, 1, 3
_CERTMAP, _EXCLUDE_CA_NAME = 1, 2
# §6.2 Special-Filter: the source server's code; the destination's has the top bit set.
_SERVER_CODES = {"DNS": 0x01, "WINS": 0x02, "DHCP": 0x03, "GATEWAY": 0x04}
_DESTINATION = 0x80

_QM_METHOD = re.compile(r"^(?:AH\[(?P<ah>\w+)\](?:\+ESP\[(?P<c1>\w+),(?P<i1>\w+)\])?|ESP\[(?P<c2>\w+),(?P<i2>\w+)\])"
                        r"(?::(?P<life>\d+[ks](?:/\d+[ks])?))?$", re.IGNORECASE)
_ANY, _HOST = "0.0.0.0", "255.255.255.255"


def _lookup(table: dict, key: str, what: str) -> int:
    try:
        return table[key.upper()]
    except KeyError:
        raise BlobError(f"{what} {key!r} has no stored form") from None


def _seconds(minutes: int) -> int:
    return minutes * 60     # the blob's u32 field refuses what does not fit


# --- policy and ISAKMP (§3) ---------------------------------------------------------------------------------

def policy_data(policy: Policy) -> bytes:
    return policy_blob(_seconds(policy.pollinginterval))


def _main_mode(text: str, lifetime: int) -> MainModeMethod:
    parts = text.split("-")
    if len(parts) != 3:
        raise BlobError(f"main-mode method {text!r} is not ConfAlg-HashAlg-GroupNum")
    cipher, hash_, group = parts
    return MainModeMethod(_lookup(_MM_CIPHERS, cipher, "main-mode cipher"), _lookup(_MM_HASHES, hash_, "main-mode hash"),
                          _lookup(_MM_GROUPS, group, "main-mode group"), lifetime)


def isakmp_data(policy: Policy) -> bytes:
    lifetime = _seconds(policy.mmlifetime)
    return isakmp_blob(policy.mmpfs, policy.qmpermm, lifetime,
                       tuple(_main_mode(text, lifetime) for text in policy.mmsecmethods))


# --- filter actions (§4) --------------------------------------------------------------------------------------

def _lifetimes(text: str | None) -> tuple[int, int]:
    """``(seconds, kilobytes)`` of ``100000k/3600s``, ``100000k`` or ``3600s``; 0 when not given."""
    seconds = kilobytes = 0
    for part in (text.split("/") if text else []):
        if part[-1].lower() == "k":
            kilobytes = int(part[:-1])
        else:
            seconds = int(part[:-1])
    return seconds, kilobytes


def _quick_mode(text: str, pfs: bool) -> Offer:
    match = _QM_METHOD.match(text)
    if not match:
        raise BlobError(f"quick-mode method {text!r} has no stored form")
    algorithms = []
    if match["ah"]:
        algorithms.append(Algorithm(_lookup(_AH_HASHES, match["ah"], "AH hash"), 0, AH))
    cipher, integrity = match["c1"] or match["c2"], match["i1"] or match["i2"]
    if cipher:
        algorithms.append(Algorithm(_lookup(_ESP_CIPHERS, cipher, "ESP cipher"),
                                    _lookup(_ESP_INTEGRITY, integrity, "ESP integrity"), ESP))
    seconds, kilobytes = _lifetimes(match["life"])
    return Offer(seconds, kilobytes, pfs, tuple(algorithms))


def _offers(methods: Sequence[str], pfs: bool, soft: bool) -> tuple[Offer, ...]:
    offers = [_quick_mode(text, pfs) for text in methods]
    if soft:
        # soft=yes: one trailing offer with no algorithm (mapping decision; storage UNKNOWN, §4.2)
        offers.append(Offer(0, 0, pfs, ()))
    return tuple(offers)


def filter_action_guid(action: FilterAction) -> str:
    """``ipsecNegotiationPolicyAction`` of *action* (§4.1)."""
    if action.action == "block":
        return ACTION_BLOCK
    if action.action == "permit":
        return ACTION_PERMIT
    if action.action == "negotiate":
        return ACTION_INBOUND_PASSTHRU if action.inpass else ACTION_NEGOTIATE
    raise BlobError(f"filter action {action.name!r}: action {action.action!r} has no stored form")


def filter_action_data(action: FilterAction) -> bytes:
    """Block and permit write no offer, whatever ``soft`` and the methods say (§4.1 "observed blob")."""
    if action.action != "negotiate":
        return negotiation_policy_blob(())
    return negotiation_policy_blob(_offers(action.qmsecmethods, action.qmpfs, action.soft))


def default_response_action_data(rule: DefaultRule) -> bytes:
    """The default response rule's own negotiation policy: its methods and ``qmpfs`` (§4.2, §8.3)."""
    return negotiation_policy_blob(_offers(rule.qmsecmethods, rule.qmpfs, soft=False))


# --- rules (§5) -------------------------------------------------------------------------------------------------

def _utf16z(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-16-le") + b"\x00\x00"
    except UnicodeEncodeError as exc:
        raise BlobError(f"{what} cannot be written as UTF-16: {exc.reason}") from None


def _auth(method: dict) -> AuthMethod:
    kind = method.get("kind")
    if kind == "kerberos":
        # Kerberos: length 2, 00 00 in the base list; length 0 in the extension (§5.1, §5.2, §8.5)
        return AuthMethod(_KERBEROS, b"\x00\x00", b"")
    if kind == "psk":
        key = _utf16z(method["key"], "a pre-shared key")
        return AuthMethod(_PRESHARED_KEY, key, key)
    if kind == "rootca":
        name = _utf16z(method["cert"], "a root CA name")
        flags = (_CERTMAP if method.get("certmap") else 0) | (_EXCLUDE_CA_NAME if method.get("excludecaname") else 0)
        return AuthMethod(_CERTIFICATE, name, name, flags)
    raise BlobError(f"authentication method {kind!r} has no stored form")


def _tunnel(text: str | None) -> dict:
    if text is None:
        return {}
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise BlobError(f"tunnel end point {text!r} is not an IP address") from None
    return {"tunnel_ipv4": text} if address.version == 4 else {"tunnel_ipv6": text}


def rule_data(rule: Rule) -> bytes:
    return nfa_blob(NfaFields(auth=tuple(_auth(method) for method in rule.auth),
                              interface_type=_lookup(_INTERFACE_TYPES, rule.conntype, "conntype"),
                              active=rule.activate, **_tunnel(rule.tunnel)))


def default_rule_data(rule: DefaultRule) -> bytes:
    """The default response NFA: connection type all, no tunnel, the default rule's ``activate`` and
    methods (§5.3)."""
    return nfa_blob(NfaFields(auth=tuple(_auth(method) for method in rule.auth),
                              interface_type=_INTERFACE_TYPES["ALL"], active=rule.activate))


# --- filter lists (§6) ------------------------------------------------------------------------------------------

def _legacy_endpoint(endpoint: Endpoint, destination: bool) -> tuple[str, str, int, str] | None:
    """``(address, mask, special, dns_name)`` of *endpoint* in a legacy spec, or None when only V2 holds it."""
    kind = endpoint.kind
    if kind == "any":
        return _ANY, _ANY, 0, ""
    if kind == "me":
        return _ANY, _HOST, 0, ""           # §6.2 "Address encodings": me = 0.0.0.0 / 255.255.255.255
    if kind == "ipv4":
        if endpoint.mask is None:
            raise BlobError(f"address {endpoint.value} has no mask")
        return endpoint.value, endpoint.mask, 0, ""
    if kind == "dns":
        return endpoint.value, _HOST, 0, endpoint.name
    if kind == "server":
        code = _lookup(_SERVER_CODES, endpoint.value, "server type")
        return _ANY, _ANY, code | (_DESTINATION if destination else 0), ""
    if kind in ("ipv6", "range"):
        return None
    raise BlobError(f"address kind {kind!r} has no stored form")


def _family(endpoint: Endpoint) -> int:
    if endpoint.kind == "ipv6" or (endpoint.kind == "range" and ":" in endpoint.value):
        return V2_IPV6
    return V2_IPV4


def _packed(text: str) -> bytes:
    """An IPv4 or IPv6 address or mask, network byte order (§2, §6.3)."""
    try:
        return ipaddress.ip_address(text).packed
    except ValueError:
        raise BlobError(f"{text!r} is not an IP address") from None


def _v2_endpoint(endpoint: Endpoint, family: int) -> AddressData:
    """§6.3 address data; any and me take the family of the other side (emulator choice)."""
    kind = endpoint.kind
    if kind == "any":
        return AddressData(V2_ANY, family)
    if kind == "me":
        return AddressData(V2_ME, family)
    if kind == "ipv6":
        return AddressData(V2_SINGLE, V2_IPV6, _packed(endpoint.value))
    if kind == "range":
        first, last = endpoint.value.split("-")
        return AddressData(V2_RANGE, _family(endpoint), _packed(first), _packed(last))
    if kind == "dns":
        return AddressData(V2_SINGLE, V2_IPV4, _packed(endpoint.value))
    if kind == "ipv4" and endpoint.mask == _HOST:
        return AddressData(V2_SINGLE, V2_IPV4, _packed(endpoint.value))
    if kind == "ipv4" and endpoint.mask is not None:
        return AddressData(V2_SUBNET, V2_IPV4, _packed(endpoint.value), _packed(endpoint.mask))
    raise BlobError(f"address {endpoint.value or kind!r} cannot be written in a V2 filter")


def filter_list_data(filter_list: FilterList, filter_guids: Sequence[str]) -> bytes:
    """The filter list's blob; *filter_guids* holds one GUID per filter, in list order.

    Filters the legacy format can express are legacy specs, in list order; the others (an address range
    or an IPv6 address on either side) are V2 specs, in list order (§6.3; emulator choice).
    """
    legacy, v2 = [], []
    for flt, filter_guid in zip(filter_list.filters, filter_guids, strict=True):
        src, dst = _legacy_endpoint(flt.src, False), _legacy_endpoint(flt.dst, True)
        common = {"guid": filter_guid, "mirrored": flt.mirrored, "protocol": flt.protocol, "src_port": flt.srcport,
                  "dst_port": flt.dstport, "description": flt.description,
                  "src_dns_name": flt.src.name if flt.src.kind == "dns" else "",
                  "dst_dns_name": flt.dst.name if flt.dst.kind == "dns" else ""}
        if src is not None and dst is not None:
            legacy.append(LegacyFilter(src_address=_packed(src[0]), src_mask=_packed(src[1]), dst_address=_packed(dst[0]),
                                       dst_mask=_packed(dst[1]), special=src[2] | dst[2], **common))
        else:
            family = V2_IPV6 if V2_IPV6 in (_family(flt.src), _family(flt.dst)) else V2_IPV4
            v2.append(V2Filter(src=_v2_endpoint(flt.src, family), dst=_v2_endpoint(flt.dst, family), **common))
    return filter_list_blob(tuple(legacy), tuple(v2))
