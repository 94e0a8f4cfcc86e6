# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loud failures as a property: whatever the bytes, decoding either succeeds or raises
RegistryDecodeError, never IndexError, struct.error, UnicodeDecodeError, InvalidInput, ValueError...

The seeds are every blob of the three real samples and hand-built blobs BUILT FROM THE SPEC with
test_registry_encoder; hypothesis truncates them, overwrites bytes and 32-bit fields with edge values,
inserts and deletes bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._regfile import decode_reg_bytes, parse_reg_export
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_action import decode_negotiation_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_blob import RegistryDecodeError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_filter import decode_filter_list
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_policy import decode_isakmp, decode_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_rule import decode_nfa
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import decode_snapshot
from test_registry_encoder import (
    AH, DH2048, ESP, INPASS, PSK, ROOT_CA, SHA1, SOFT, Auth, FilterSpec, MmMethod, Offer, filter_blob, isakmp_blob, negpol_blob, nfa_blob,
    policy_blob,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registry"
SNAPSHOTS = [parse_reg_export(decode_reg_bytes(path.read_bytes())) for path in sorted(FIXTURES.glob("*.reg"))]

_DECODERS = {
    "ipsecpolicy": lambda data, key: decode_policy(data, key="k"),
    "ipsecisakmppolicy": lambda data, key: decode_isakmp(data, key="k"),
    "ipsecfilter": lambda data, key: decode_filter_list(data, key="k"),
    "ipsecnfa": lambda data, key: decode_nfa(data, key="k"),
    "ipsecnegotiationpolicy": lambda data, key: decode_negotiation_policy(
        data, key="k", action=key.value("ipsecNegotiationPolicyAction").data, policy_type=key.value("ipsecNegotiationPolicyType").data),
}
_NEGOTIATE_KEY = RegistryKey("ipsecNegotiationPolicy{0}", (
    RegistryValue("ipsecNegotiationPolicyAction", ValueKind.STRING, INPASS),
    RegistryValue("ipsecNegotiationPolicyType", ValueKind.STRING, "{62F49E10-6C37-11D1-864C-14A300000000}"),
))

REAL = [(key.name.partition("{")[0].lower(), key.value("ipsecData").data, key) for snapshot in SNAPSHOTS for key in snapshot.objects]
HAND_BUILT = [
    ("ipsecpolicy", policy_blob(0), None),
    ("ipsecisakmppolicy", isakmp_blob([MmMethod(group=DH2048), MmMethod(1, 1, 1, key_length=64, rounds=8)], mmpfs=1, qm_limit=1), None),
    ("ipsecfilter", filter_blob([FilterSpec(source_dns="a.example", description="d"), FilterSpec(special=0x83, source="0.0.0.0", source_mask="255.255.255.255"),
                                 FilterSpec(source="10.0.0.0", source_mask="255.0.0.0", protocol=6, destination_port=22)], convention="w2k"), None),
    ("ipsecnfa", nfa_blob([Auth(PSK, "key"), Auth(ROOT_CA, "CN=Root", 3), Auth()], is_tunnel=1, ipv6_tunnel="2001:db8::1"), None),
    ("ipsecnfa", nfa_blob([Auth(ROOT_CA, "CN=Root")], is_tunnel=1, tunnel="192.0.2.9", extension=False), None),
    ("ipsecnegotiationpolicy", negpol_blob([Offer(kilobytes=1000, seconds=60, pfs=1), Offer(((SHA1, 0, AH), (2, 1, ESP)), pfs=1), SOFT]), _NEGOTIATE_KEY),
]
SEEDS = REAL + HAND_BUILT
EDGE_VALUES = (0, 1, 2, 3, 5, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFD, 0xFFFFFFFF)


@st.composite
def mutated(draw) -> tuple:
    """(class, mutated bytes, key) from one seed blob and one to four mutations."""
    class_name, data, key = draw(st.sampled_from(SEEDS))
    data = bytearray(data)
    for dummy in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "byte", "u32", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[at:]
        elif kind == "byte" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "u32" and len(data) >= 4:
            at = min(at - at % 4, len(data) - 4)
            data[at:at + 4] = draw(st.sampled_from(EDGE_VALUES)).to_bytes(4, "little")
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=24))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 24))]
    return class_name, bytes(data), key


def _decodes_or_refuses(call) -> bool:
    try:
        call()
    except RegistryDecodeError as error:
        assert error.key and error.field and str(error)
        return False
    return True


def test_every_seed_decodes_unmutated() -> None:
    assert len(SEEDS) == 27 + 6  # every real blob (GPIPSEC.md §8: 27 distinct ones) and the hand-built
    for class_name, data, key in SEEDS:
        assert _decodes_or_refuses(lambda: _DECODERS[class_name](data, key))


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_a_mutated_blob_decodes_or_raises_registry_decode_error(case) -> None:
    class_name, data, key = case
    _decodes_or_refuses(lambda: _DECODERS[class_name](data, key))


@st.composite
def mutated_snapshot(draw) -> RegistrySnapshot:
    """A real snapshot with one object's ipsecData replaced by a mutation of a blob of the same class."""
    snapshot = draw(st.sampled_from(SNAPSHOTS))
    index = draw(st.integers(0, len(snapshot.objects) - 1))
    target = snapshot.objects[index]
    class_name = target.name.partition("{")[0].lower()
    same_class = [seed for seed in SEEDS if seed[0] == class_name]
    seed_class, data, dummy = draw(mutated().filter(lambda case: case[0] == class_name)) if len(same_class) > 1 else draw(mutated())
    values = tuple(RegistryValue(value.name, value.kind, data) if value.name.lower() == "ipsecdata" else value for value in target.values)
    objects = snapshot.objects[:index] + (RegistryKey(target.name, values),) + snapshot.objects[index + 1:]
    return RegistrySnapshot(snapshot.local, objects, snapshot.group_policy)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(mutated_snapshot())
def test_a_store_with_a_mutated_blob_decodes_or_raises_registry_decode_error(snapshot: RegistrySnapshot) -> None:
    _decodes_or_refuses(lambda: decode_snapshot(snapshot))


def test_truncating_every_blob_at_every_length_is_refused() -> None:
    """Exhaustive: every proper prefix of every seed is refused, except the seed without its optional
    trailing 00, and an NFA cut right after its counted base part, which is an NFA without the Vista+
    extension (GPIPSEC.md §5.2) unless its tunnel end point was the extension's IPv6 one."""
    for class_name, data, key in SEEDS:
        data_length = int.from_bytes(data[16:20], "little")
        # Every blob ends in one trailing 00 but a W10/11 filter list, whose Data-Length leaves out the count (§2).
        trailing = class_name != "ipsecfilter" or data_length + 21 == len(data)
        valid = {len(data) - 1} if trailing else set()
        if class_name == "ipsecnfa" and b"\x01" * 15 + b"\x03" not in data:
            valid.add(20 + data_length)
        for length in range(len(data)):
            assert _decodes_or_refuses(lambda: _DECODERS[class_name](data[:length], key)) is (length in valid), (class_name, length)
