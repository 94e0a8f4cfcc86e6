# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test-only encoder of the store's registry keys, written from GPIPSEC.md §1-§6 alone.

It shares no code with the decoder (``_registry_*``): it imports only the snapshot's data classes,
which are the decoder's input. The other ``test_registry_*`` modules build hand-made blobs with it.
Its own tests below check it against the real exports byte for byte (W10/W11 blobs have no garbage,
so an encoder that follows the reference must reproduce them exactly), which is what makes blobs built
with it trustworthy for the features the samples lack.
"""

from __future__ import annotations

import ipaddress
import struct
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind

FIXTURES = Path(__file__).resolve().parents[3] / "unit" / "fixtures" / "registry"

# --- §2 framing ------------------------------------------------------------------------------------

POLICY_TYPE = "22202163-4F4C-11D1-863B-00A0248D3021"
ISAKMP_TYPE = "80DC20B8-2EC8-11D1-A89E-00A0248D3021"
NEGPOL_TYPE = "80DC20B9-2EC8-11D1-A89E-00A0248D3021"
FILTER_TYPE = "80DC20B5-2EC8-11D1-A89E-00A0248D3021"
FILTER_V2_TYPE = "35FECD3D-AE29-4373-8A6A-C5D8FAB2FB08"
NFA_TYPE = "11BBAC00-498D-11D1-8639-00A0248D3021"

# §4.1
BLOCK = "{3F91A819-7647-11D1-864D-D46A00000000}"
PERMIT = "{8A171DD2-77E3-11D1-8659-A04F00000000}"
NEGOTIATE = "{8A171DD3-77E3-11D1-8659-A04F00000000}"
INPASS = "{3F91A81A-7647-11D1-864D-D46A00000000}"
STANDARD = "{62F49E10-6C37-11D1-864C-14A300000000}"
DEFAULT_RESPONSE = "{62F49E13-6C37-11D1-864C-14A300000000}"

# §5.1
ALL, LAN, DIALUP = 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF
PSK, ROOT_CA, KERBEROS = 1, 3, 5
# §4.2 slots
AH, ESP = 1, 2
# §3.2 method ids
DES, TRIPLE_DES, MD5, SHA1 = 1, 3, 1, 2
DH2048 = 0x10000001

ROOT = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local"


def u8(value: int) -> bytes:
    return struct.pack("<B", value)


def u16(value: int) -> bytes:
    return struct.pack("<H", value)


def u32(value: int) -> bytes:
    return struct.pack("<I", value)


def guid(text: str) -> bytes:
    """Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, then 8 bytes as written (§2)."""
    return uuid.UUID(text.strip("{}")).bytes_le


def ipv4(text: str) -> bytes:
    """Network byte order, first octet first (§2)."""
    return ipaddress.IPv4Address(text).packed


def wstr(text: str) -> bytes:
    """u32 byte count including the 2-byte NUL, then UTF-16LE text and the NUL (§2)."""
    raw = text.encode("utf-16-le") + b"\x00\x00"
    return u32(len(raw)) + raw


def frame(type_guid: str, body: bytes, *, counted: Optional[int] = None, trailing: bytes = b"\x00") -> bytes:
    """Type GUID, Data-Length (default: the whole body), body, trailing bytes (§2)."""
    return guid(type_guid) + u32(len(body) if counted is None else counted) + body + trailing


# --- §3 policy and ISAKMP --------------------------------------------------------------------------


def policy_blob(seconds: int = 10800, *, trailing: bytes = b"\x00") -> bytes:
    return frame(POLICY_TYPE, u32(seconds), trailing=trailing)


@dataclass
class MmMethod:
    """One 64-byte ISAKMP security method (§3.2 method table)."""

    cipher: int = TRIPLE_DES
    hash: int = SHA1
    group: int = 2
    key_length: int = 0  # 64 on W2000
    rounds: int = 0  # 8 on W2000
    random_function: int = 0
    zero7: bytes = b"\x00" * 7
    lifetime: int = 28800
    pfs_identity: int = 0

    def encode(self) -> bytes:
        out = u32(0) + u32(self.cipher) + u32(self.key_length) + u32(self.rounds)
        out += u32(self.hash) + u32(self.key_length) + u32(0) + b"\x00" * 8
        out += u8(self.random_function) + self.zero7 + u32(self.group)
        out += u32(0) + u32(0) + u32(self.lifetime) + u32(self.pfs_identity)
        assert len(out) == 64
        return out


def isakmp_blob(methods: Sequence[MmMethod] = (MmMethod(),), *, mmpfs: int = 0, qm_limit: int = 0, lifetime: int = 28800,
                options: int = 0, new_dh: bytes = b"\x00" * 4, instance: bytes = b"\x00" * 16) -> bytes:
    body = instance + u32(0) + u32(mmpfs) + u32(options) + new_dh + u32(qm_limit) + u32(lifetime) + b"\x00" * 20
    body += u32(len(methods)) + b"".join(method.encode() for method in methods)
    return frame(ISAKMP_TYPE, body)


# --- §4 negotiation policy -------------------------------------------------------------------------


@dataclass
class Offer:
    """One 80-byte offer; ``slots`` are (Algorithm-Identifier, ESP-Integrity-Identifier, Offer-Type)."""

    slots: Sequence[Tuple[int, int, int]] = ((TRIPLE_DES, SHA1, ESP),)
    seconds: int = 0
    kilobytes: int = 0
    pfs: int = 0
    options: int = 0
    count: Optional[int] = None  # Algorithm-Offer-Count, default len(slots)
    filler: bytes = b"\x00" * 20  # what unused slots hold

    def encode(self) -> bytes:
        out = u32(self.seconds) + u32(self.kilobytes) + u32(self.options) + u32(self.pfs)
        out += u32(len(self.slots) if self.count is None else self.count)
        for index in range(3):
            if index < len(self.slots):
                identifier, integrity, offer_type = self.slots[index]
                out += u32(identifier) + u32(integrity) + u32(offer_type) + b"\x00" * 8
            else:
                out += self.filler
        assert len(out) == 80
        return out


SOFT = Offer(slots=(), count=0)  # the assumed storage of soft=yes: a trailing offer with no algorithm


def negpol_blob(offers: Sequence[Offer] = ()) -> bytes:
    return frame(NEGPOL_TYPE, u32(len(offers)) + b"".join(offer.encode() for offer in offers))


# --- §6 filter list --------------------------------------------------------------------------------


@dataclass
class FilterSpec:
    """One legacy filter (§6.2); addresses and masks as dotted text."""

    source: str = "0.0.0.0"
    source_mask: str = "0.0.0.0"
    destination: str = "0.0.0.0"
    destination_mask: str = "255.255.255.255"
    protocol: int = 0
    source_port: int = 0
    destination_port: int = 0
    mirror: int = 1
    source_dns: str = ""
    destination_dns: str = ""
    description: str = ""
    special: int = 0
    tunnel: str = "0.0.0.0"
    is_tunnel: int = 0
    options: int = 0
    guid: str = "bbd74acf-c777-41e0-86d4-b88abcfb18e4"

    def encode(self) -> bytes:
        out = wstr(self.source_dns) + wstr(self.destination_dns) + wstr(self.description) + guid(self.guid)
        out += u32(self.mirror) + ipv4(self.source) + ipv4(self.source_mask) + ipv4(self.destination) + ipv4(self.destination_mask)
        out += ipv4(self.tunnel) + u32(self.protocol) + u16(self.source_port) + u16(self.destination_port)
        out += u8(self.is_tunnel) + u8(self.special) + u16(self.options)
        return out


def filter_blob(filters: Sequence[FilterSpec] = (), *, convention: str = "w10", after: bytes = b"") -> bytes:
    """W10/11: Data-Length counts the filters only, no trailing byte; W2000: count included, one
    trailing 00 (§2 table). ``after`` goes between the filters and the trailing byte (a V2 block)."""
    specs = b"".join(spec.encode() for spec in filters)
    body = u32(len(filters)) + specs + after
    if convention == "w10":
        return frame(FILTER_TYPE, body, counted=len(specs), trailing=b"")
    return frame(FILTER_TYPE, body, counted=len(body))


# --- §5 NFA ----------------------------------------------------------------------------------------


@dataclass
class Auth:
    """An authentication method: Kerberos, a pre-shared key or a root CA with its extension flags."""

    type: int = KERBEROS
    value: str = ""
    flags: int = 0

    def base(self) -> bytes:
        data = b"\x00\x00" if self.type == KERBEROS else self.value.encode("utf-16-le") + b"\x00\x00"
        return u32(self.type) + u32(len(data)) + data

    def alternative(self) -> bytes:
        data = b"" if self.type == KERBEROS else self.value.encode("utf-16-le") + b"\x00\x00"
        return u32(self.type) + u32(len(data)) + data


def nfa_blob(auths: Sequence[Auth] = (Auth(),), *, interface: int = ALL, tunnel: str = "0.0.0.0", is_tunnel: int = 0,
             active: int = 1, extension: bool = True, ipv6_tunnel: Optional[str] = None, zero1: Optional[int] = None,
             alternative: Optional[Sequence[Auth]] = None, interface_name: str = "", end_point: str = "") -> bytes:
    """Base part counted in Data-Length, then (W10/11) the uncounted extension, then one trailing 00 (§5)."""
    base = u32(len(auths)) + b"".join(auth.base() for auth in auths)
    base += u32(interface) + wstr(interface_name) + ipv4(tunnel) + u32(is_tunnel) + u32(active) + wstr(end_point)
    extra = b""
    if extension:
        alt = auths if alternative is None else alternative
        extra = b"\x01" * 16 + u32(len(alt)) + b"".join(auth.alternative() for auth in alt)
        extra += b"\x01" * 15 + b"\x02" + u32(len(alt) if zero1 is None else zero1) + b"".join(u32(auth.flags) for auth in alt)
        if ipv6_tunnel is not None:
            extra += b"\x01" * 15 + b"\x03" + ipaddress.IPv6Address(ipv6_tunnel).packed
    return frame(NFA_TYPE, base + extra, counted=len(base))


# --- §1 keys and values ----------------------------------------------------------------------------


@dataclass
class StoreBuilder:
    """Object keys as Windows 10/11 wrote them (§1.3, §1.4): className, name, ipsecID, ipsecDataType
    256, ipsecData, whenChanged, references as HKLM-relative paths (IPSEC upper case), back-references."""

    keys: Dict[str, List[RegistryValue]] = field(default_factory=dict)
    counter: int = 0

    def _new(self, class_name: str, data: bytes, *, name: Optional[str], description: Optional[str]) -> str:
        self.counter += 1
        object_guid = f"{{{self.counter:08x}-1111-4222-8333-{self.counter:012x}}}"
        key = f"{class_name}{object_guid}"
        values = [
            RegistryValue("className", ValueKind.STRING, class_name),
            RegistryValue("name", ValueKind.STRING, key),
            RegistryValue("ipsecID", ValueKind.STRING, object_guid),
            RegistryValue("ipsecDataType", ValueKind.DWORD, 256),
            RegistryValue("ipsecData", ValueKind.BINARY, data),
            RegistryValue("whenChanged", ValueKind.DWORD, 0x5DF58FB2),
        ]
        if name is not None:
            values.append(RegistryValue("ipsecName", ValueKind.STRING, name))
        if description is not None:
            values.append(RegistryValue("description", ValueKind.STRING, description))
        self.keys[key] = values
        return key

    @staticmethod
    def reference(key: str) -> str:
        return f"{ROOT}\\{key}"

    def _owned(self, child: str, owner: str) -> None:
        values = self.keys[child]
        for index, value in enumerate(values):
            if value.name == "ipsecOwnersReference":
                values[index] = RegistryValue(value.name, ValueKind.MULTI_STRING, value.data + (self.reference(owner),))
                return
        values.append(RegistryValue("ipsecOwnersReference", ValueKind.MULTI_STRING, (self.reference(owner),)))

    def filter_list(self, name: Optional[str], data: bytes, *, description: Optional[str] = None) -> str:
        return self._new("ipsecFilter", data, name=name, description=description)

    def action(self, name: Optional[str], data: bytes, *, action: str = NEGOTIATE, type_guid: str = STANDARD,
               description: Optional[str] = None) -> str:
        key = self._new("ipsecNegotiationPolicy", data, name=name, description=description)
        self.keys[key] += [RegistryValue("ipsecNegotiationPolicyAction", ValueKind.STRING, action.lower()),
                           RegistryValue("ipsecNegotiationPolicyType", ValueKind.STRING, type_guid.lower())]
        return key

    def isakmp(self, data: bytes) -> str:
        return self._new("ipsecISAKMPPolicy", data, name=None, description=None)

    def nfa(self, data: bytes, action: str, filter_list: Optional[str] = None, *, name: Optional[str] = None,
            description: Optional[str] = None) -> str:
        key = self._new("ipsecNFA", data, name=name, description=description)
        self.keys[key].append(RegistryValue("ipsecNegotiationPolicyReference", ValueKind.STRING, self.reference(action)))
        self._owned(action, key)
        if filter_list is not None:
            self.keys[key].append(RegistryValue("ipsecFilterReference", ValueKind.MULTI_STRING, (self.reference(filter_list),)))
            self._owned(filter_list, key)
        return key

    def policy(self, name: Optional[str], data: bytes, isakmp: str, nfas: Sequence[str], *, description: Optional[str] = None) -> str:
        key = self._new("ipsecPolicy", data, name=name, description=description)
        self.keys[key] += [RegistryValue("ipsecISAKMPReference", ValueKind.STRING, self.reference(isakmp)),
                           RegistryValue("ipsecNFAReference", ValueKind.MULTI_STRING, tuple(self.reference(nfa) for nfa in nfas))]
        self._owned(isakmp, key)
        for nfa in nfas:
            self._owned(nfa, key)
        return key

    def standard_policy(self, name: str, rules: Sequence[Tuple[Optional[str], bytes, str, str]] = (), *,
                        default_nfa: Optional[bytes] = None, default_offers: Sequence[Offer] = (Offer(), Offer(((SHA1, 0, AH),))),
                        policy: Optional[bytes] = None, isakmp: Optional[bytes] = None, description: Optional[str] = None) -> str:
        """A policy with a default response rule and ``rules`` given as (name, NFA blob, filter list
        key, filter action key), in this order in ``ipsecNFAReference`` (default response rule last,
        as in W10)."""
        nfas = [self.nfa(blob, action, filter_list, name=rule_name) for rule_name, blob, filter_list, action in rules]
        default_action = self.action(None, negpol_blob(default_offers), type_guid=DEFAULT_RESPONSE)
        nfas.append(self.nfa(nfa_blob(active=0) if default_nfa is None else default_nfa, default_action))
        return self.policy(name, policy_blob() if policy is None else policy, self.isakmp(isakmp_blob() if isakmp is None else isakmp),
                           nfas, description=description)

    def set_value(self, key: str, name: str, kind: ValueKind, data) -> None:
        """Replace (or add) one value of a key."""
        values = [value for value in self.keys[key] if value.name.casefold() != name.casefold()]
        self.keys[key] = values + [RegistryValue(name, kind, data)]

    def drop_value(self, key: str, name: str) -> None:
        self.keys[key] = [value for value in self.keys[key] if value.name.casefold() != name.casefold()]

    def snapshot(self, *, active: Optional[str] = None, group_policy: Optional[RegistryKey] = None) -> RegistrySnapshot:
        local = () if active is None else (RegistryValue("ActivePolicy", ValueKind.STRING, self.reference(active)),)
        return RegistrySnapshot(
            local=RegistryKey("Policy\\Local", local),
            objects=tuple(RegistryKey(key, tuple(values)) for key, values in self.keys.items()),
            group_policy=group_policy,
        )


# --- .reg text ---------------------------------------------------------------------------------------


def reg_text(snapshot: RegistrySnapshot, *, newline: str = "\r\n") -> str:
    """A regedit 5.00 export of a snapshot: REG_SZ quoted, DWORD as dword:, binary and MULTI_SZ as
    hex lists wrapped with trailing backslashes, as regedit writes them."""
    base = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec"
    lines = ["Windows Registry Editor Version 5.00", ""]
    sections = []
    if snapshot.local is not None:
        sections.append((f"{base}\\Policy\\Local", snapshot.local))
        sections += [(f"{base}\\Policy\\Local\\{key.name}", key) for key in snapshot.objects]
    if snapshot.group_policy is not None:
        sections.append((f"{base}\\GPTIPSECPolicy", snapshot.group_policy))
    for path, key in sections:
        lines.append(f"[{path}]")
        lines += [_reg_value(value) for value in key.values]
        lines.append("")
    return newline.join(lines) + newline


def _reg_value(value: RegistryValue) -> str:
    name = "@" if value.name == "" else '"' + value.name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value.kind is ValueKind.STRING:
        return f'{name}="' + value.data.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value.kind is ValueKind.DWORD:
        return f"{name}=dword:{value.data:08x}"
    if value.kind is ValueKind.BINARY:
        return _hex_lines(f"{name}=hex:", value.data)
    if value.kind is ValueKind.MULTI_STRING:
        return _hex_lines(f"{name}=hex(7):", "".join(item + "\x00" for item in value.data).encode("utf-16-le") + b"\x00\x00")
    if value.kind is ValueKind.EXPAND_STRING:
        return _hex_lines(f"{name}=hex(2):", (value.data + "\x00").encode("utf-16-le"))
    return _hex_lines(f"{name}=hex(b):", value.data.to_bytes(8, "little"))


def _hex_lines(head: str, data: bytes) -> str:
    """regedit wraps hex data near column 80 with ``,\\`` and a two-space indent."""
    items = [f"{byte:02x}" for byte in data]
    lines, current = [], head
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if len(current) + len(piece) > 77:
            lines.append(current + "\\")
            current = "  "
        current += piece
    lines.append(current)
    return "\n".join(lines)


# --- the encoder checked against real bytes -----------------------------------------------------------

W10_POLICY = bytes.fromhex("632120224c4fd111863b00a0248d302104000000302a000000")  # §8.1
W10_ISAKMP = bytes.fromhex(  # §8.2
    "b820dc80c82ed111a89e00a0248d3021800000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000807000000000000000000000000000000000000000000000010000000000000003000000000000000000000002000000"
    "000000000000000000000000000000000000000000000000020000000000000000000000807000000000000000"
)
W10_BLOCK = bytes.fromhex("b920dc80c82ed111a89e00a0248d3021040000000000000000")  # §8.3
W10_DEFAULT_NFA = bytes.fromhex(  # §8.5 (the W11 sample holds the same bytes)
    "00acbb118d49d111863900a0248d30212a0000000100000005000000020000000000fdffffff020000000000000000000000"
    "0000000000000200000000000101010101010101010101010101010101000000050000000000000001010101010101010101"
    "010101010102010000000000000000"
)


def test_the_encoder_reproduces_the_w10_policy_isakmp_and_block_blobs() -> None:
    assert policy_blob() == W10_POLICY
    assert isakmp_blob() == W10_ISAKMP
    assert negpol_blob() == W10_BLOCK


def test_the_encoder_reproduces_the_w10_default_response_rule() -> None:
    assert nfa_blob(active=0) == W10_DEFAULT_NFA


def test_the_encoder_reproduces_the_w10_default_response_action_of_8_3() -> None:
    expected = bytes.fromhex("b920dc80c82ed111a89e00a0248d3021a400000002000000") + bytes(16) + u32(1)
    expected += bytes.fromhex("030000000200000002000000") + bytes(8 + 40) + bytes(16) + u32(1)
    expected += bytes.fromhex("020000000000000001000000") + bytes(8 + 40) + b"\x00"
    assert negpol_blob([Offer(), Offer(((SHA1, 0, AH),))]) == expected


def test_the_encoder_reproduces_the_w11_allow_list_of_8_4() -> None:
    sample = _sample_blobs("win11_gsecurity_2025-12_ipsec.reg")["ipsecfilter{d322f302-9d28-4cf1-b210-f1f66ca3131a}"]
    me_any = dict(source="0.0.0.0", source_mask="255.255.255.255", destination="0.0.0.0", destination_mask="0.0.0.0", protocol=6, mirror=0)
    specs = [
        FilterSpec(**me_any, destination_port=53, guid="bbd74acf-c777-41e0-86d4-b88abcfb18e4"),
        FilterSpec(**me_any, destination_port=443, guid=str(uuid.UUID(bytes_le=sample[24 + 70 + 18:24 + 70 + 34]))),
        FilterSpec(protocol=6, mirror=0, source_port=443, guid=str(uuid.UUID(bytes_le=sample[24 + 140 + 18:24 + 140 + 34]))),
        FilterSpec(protocol=17, destination_mask="0.0.0.0", destination_port=67, guid=str(uuid.UUID(bytes_le=sample[24 + 210 + 18:24 + 210 + 34]))),
        FilterSpec(protocol=17, destination_mask="0.0.0.0", destination_port=68, guid=str(uuid.UUID(bytes_le=sample[24 + 280 + 18:24 + 280 + 34]))),
    ]
    assert filter_blob(specs) == sample


def test_the_encoder_reproduces_the_w2000_filter_and_psk_rule_of_8_4_and_8_5() -> None:
    blobs = _sample_blobs("win2000_vpnease_template_rendered_ipsec.reg")
    spec = FilterSpec(destination="192.0.2.1", protocol=17, source_port=1701, guid="2aa93c48-1ce1-463f-aaa1-60d818ab6878")
    assert filter_blob([spec], convention="w2k") == blobs["ipsecfilter{00000002-0000-4000-8000-000000000002}"]
    assert nfa_blob([Auth(PSK, "example-psk")], extension=False) == blobs["ipsecnfa{00000007-0000-4000-8000-000000000007}"]


def test_the_snapshot_builder_writes_what_w10_wrote() -> None:
    builder = StoreBuilder()
    block = builder.action("Block", negpol_blob(), action=BLOCK)
    assert {value.name for value in builder.snapshot().objects[0].values} == {
        "className", "name", "ipsecID", "ipsecDataType", "ipsecData", "whenChanged", "ipsecName",
        "ipsecNegotiationPolicyAction", "ipsecNegotiationPolicyType",
    }
    assert block.startswith("ipsecNegotiationPolicy{")


def _sample_blobs(name: str) -> Dict[str, bytes]:
    """The ipsecData of each key of a fixture, by case-folded key name, read with a minimal reader of
    the .reg hex syntax that is independent of ``_regfile``."""
    text = (FIXTURES / name).read_text("utf-8")
    blobs, key, collecting, hex_text = {}, None, False, ""
    for line in text.splitlines():
        if line.startswith("["):
            key = line.strip("[]").rpartition("\\")[2].casefold()
        elif line.startswith('"ipsecData"=hex:'):
            collecting, hex_text = True, line.partition(":")[2]
        elif collecting:
            hex_text += line.strip()
        if collecting and not hex_text.endswith("\\"):
            blobs[key] = bytes.fromhex(hex_text.replace(",", ""))
            collecting = False
        elif collecting:
            hex_text = hex_text[:-1]
    return blobs


@pytest.mark.parametrize("name", ["win10_gsecurity_2019-12_ipsec.reg", "win11_gsecurity_2025-12_ipsec.reg",
                                  "win2000_vpnease_template_rendered_ipsec.reg"])
def test_the_minimal_reader_finds_every_blob_of_the_samples(name: str) -> None:
    text = (FIXTURES / name).read_text("utf-8")
    assert len(_sample_blobs(name)) == text.count('"ipsecData"=hex:')
