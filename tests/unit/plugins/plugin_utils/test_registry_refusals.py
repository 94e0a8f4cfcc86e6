# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every refusal of the registry decoder: what it does not know fails loudly (GPIPSEC.md §10.10), and
the message names the key, the field and, inside a blob, the byte offset. Blobs are BUILT FROM THE
SPEC with the test-only encoder of test_registry_encoder, then broken on purpose."""

from __future__ import annotations

from typing import Callable, Optional

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_action import decode_negotiation_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_blob import RegistryDecodeError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_filter import decode_filter_list
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_policy import decode_isakmp, decode_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_rule import decode_nfa
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import decode_snapshot
from test_registry_encoder import (
    AH, BLOCK, DIALUP, ESP, FILTER_V2_TYPE, INPASS, KERBEROS, NEGOTIATE, PERMIT, PSK, ROOT_CA, SHA1, SOFT,
    STANDARD, Auth, FilterSpec, MmMethod, Offer, StoreBuilder, filter_blob, frame, guid, isakmp_blob, negpol_blob, nfa_blob,
    policy_blob, u32,
)

KEY = "ipsecX{00000000-0000-0000-0000-000000000000}"


def refused(call: Callable[[], object], *, field: str, offset: Optional[int], key: str = KEY, reason: str = "") -> RegistryDecodeError:
    """Run ``call``, expect a RegistryDecodeError about ``key``/``field``/``offset`` whose message
    names all three, and return it."""
    with pytest.raises(RegistryDecodeError) as caught:
        call()
    error = caught.value
    assert isinstance(error, LockdownError)
    assert (error.key, error.field, error.offset) == (key, field, offset)
    message = str(error)
    assert repr(key) in message and field in message
    if offset is not None:
        assert f"at byte offset {offset}" in message
    else:
        assert "byte offset" not in message
    assert reason in error.reason
    return error


def nfa(data: bytes):
    return lambda: decode_nfa(data, key=KEY)


def filters(data: bytes):
    return lambda: decode_filter_list(data, key=KEY)


def negpol(data: bytes, action: str = NEGOTIATE, policy_type: str = STANDARD):
    return lambda: decode_negotiation_policy(data, key=KEY, action=action, policy_type=policy_type)


# --- framing (§2) ------------------------------------------------------------------------------------


@pytest.mark.parametrize("decoder, data", [
    (decode_policy, isakmp_blob()), (decode_isakmp, policy_blob()), (decode_nfa, filter_blob()), (decode_filter_list, nfa_blob()),
], ids=["policy", "isakmp", "nfa", "filter"])
def test_a_wrong_type_guid(decoder, data: bytes) -> None:
    refused(lambda: decoder(data, key=KEY), field="type GUID", offset=0, reason="is not the")


def test_a_wrong_type_guid_on_a_negotiation_policy() -> None:
    refused(negpol(policy_blob()), field="type GUID", offset=0)


def test_a_blob_shorter_than_its_frame() -> None:
    refused(lambda: decode_policy(guid("22202163-4F4C-11D1-863B-00A0248D3021") + b"\x04\x00", key=KEY), field="Data-Length", offset=16, reason="needs 4 bytes")


def test_a_data_length_matching_no_convention() -> None:
    data = bytearray(policy_blob())
    data[16] = 5
    refused(lambda: decode_policy(bytes(data), key=KEY), field="Data-Length", offset=16, reason="matches no known convention")
    data = bytearray(filter_blob([FilterSpec()]))
    data[16] += 2
    refused(filters(bytes(data)), field="Data-Length", offset=16, reason="Windows 10/11")
    data = bytearray(nfa_blob([Auth(KERBEROS)]))
    data[16] += 1
    refused(lambda: decode_nfa(bytes(data), key=KEY), field="Data-Length", offset=16, reason="(all writers)")
    data = bytearray(negpol_blob([Offer()]))
    data[16] += 1
    refused(negpol(bytes(data)), field="Data-Length", offset=16, reason="(all writers)")


@pytest.mark.parametrize("decoder, data, offset", [
    (decode_policy, policy_blob(trailing=b"\x00\x00"), 24),
    (decode_policy, policy_blob(trailing=b"\x07"), 24),
    (decode_isakmp, isakmp_blob() + b"\x00", 148),
    (decode_nfa, nfa_blob(is_tunnel=1, ipv6_tunnel="2001:db8::1") + b"\x00", 146),
], ids=["two-trailing-bytes", "non-zero-trailing-byte", "isakmp", "nfa"])
def test_bytes_left_over(decoder, data: bytes, offset: int) -> None:
    refused(lambda: decoder(data, key=KEY), field="end of blob", offset=offset, reason="left over")


def test_bytes_left_over_in_a_negotiation_policy() -> None:
    refused(negpol(negpol_blob([Offer()]) + b"\x00"), field="end of blob", offset=104)


def test_a_count_that_runs_past_the_end_fails_before_reading_items() -> None:
    data = bytearray(filter_blob([FilterSpec()]))
    data[20:24] = u32(2)
    refused(filters(bytes(data)), field="Number-Of-Filters1", offset=20, reason="run past the end")
    data = bytearray(negpol_blob([Offer()]))
    data[20:24] = u32(0xFFFFFFFF)
    refused(negpol(bytes(data)), field="Security-Offer-Count", offset=20)
    data = bytearray(nfa_blob())
    data[20:24] = u32(1000)
    refused(nfa(bytes(data)), field="Auth-Method-Count", offset=20)


def test_a_string_whose_length_runs_past_the_end() -> None:
    data = bytearray(filter_blob([FilterSpec()]))
    data[24:28] = u32(200)
    refused(filters(bytes(data)), field="filter 0 Source-DNS-Name", offset=28, reason="needs 200 bytes")


@pytest.mark.parametrize("raw, reason", [
    (u32(3) + b"a\x00\x00", "even"), (u32(0), "even and at least 2"), (u32(4) + b"a\x00b\x00", "ending in a 2-byte NUL"),
    (u32(6) + b"a\x00\x00\x00\x00\x00", "NUL character inside"), (u32(4) + b"\x00\xd8\x00\x00", "not valid UTF-16LE"),
], ids=["odd", "zero", "no-nul", "inner-nul", "lone-surrogate"])
def test_malformed_strings(raw: bytes, reason: str) -> None:
    spec = FilterSpec().encode()
    body = u32(1) + raw + spec[6:] + bytes(6)  # padded: the count check must pass
    data = frame("80DC20B5-2EC8-11D1-A89E-00A0248D3021", body, counted=len(body) - 4, trailing=b"")
    field = "filter 0 Source-DNS-Name length" if reason.startswith("even") else "filter 0 Source-DNS-Name"
    refused(filters(data), field=field, offset=24 if field.endswith("length") else 28, reason=reason)


# --- filter lists (§6) ----------------------------------------------------------------------------------


def test_a_v2_filter_block_is_refused() -> None:
    v2 = guid(FILTER_V2_TYPE) + u32(12) + u32(0) + u32(0) + u32(0)
    specs = FilterSpec().encode()
    refused(filters(filter_blob([FilterSpec()], after=v2)), field="Filter-Policy-ID2", offset=24 + len(specs), reason="V2 filter block")
    # Its type GUID alone (exactly 16 bytes left) is already a V2 block, not bytes left over.
    refused(filters(filter_blob([FilterSpec()], after=guid(FILTER_V2_TYPE))), field="Filter-Policy-ID2", offset=24 + len(specs),
            reason="V2 filter block")


@pytest.mark.parametrize("after", [b"\x00\x00", b"\x07", bytes(15), bytes(16)], ids=["two-zeros", "non-zero", "15-bytes", "16-not-v2"])
def test_bytes_left_over_after_the_filters(after: bytes) -> None:
    specs = FilterSpec().encode()
    refused(filters(filter_blob([FilterSpec()], after=after)), field="end of blob", offset=24 + len(specs), reason="left over")


@pytest.mark.parametrize("spec, field, offset, reason", [
    (FilterSpec(tunnel="10.0.0.1"), "filter 0 Tunnel-Address", 24 + 54, "filter-level tunnel"),
    (FilterSpec(is_tunnel=1), "filter 0 Is-Tunnel", 24 + 66, "filter-level tunnel"),
    (FilterSpec(options=1), "filter 0 Filter-Options", 24 + 68, "only 0"),
    (FilterSpec(special=0x05), "filter 0 Special-Filter", 24 + 67, "unknown value 0x05"),
    (FilterSpec(special=0x80), "filter 0 Special-Filter", 24 + 67, "unknown value 0x80"),
    (FilterSpec(mirror=2), "filter 0 Mirror", 24 + 34, "0 or 1"),
    (FilterSpec(protocol=256), "filter 0 Protocol", 24 + 58, "0-255"),
    (FilterSpec(source="10.0.0.0", source_mask="255.0.255.0"), "filter 0 Source-Address", 24 + 38, "not contiguous"),
    (FilterSpec(destination="0.0.0.0", destination_mask="255.255.255.0"), "filter 0 Destination-Address", 24 + 46, "only meaningful with mask 0.0.0.0"),
    (FilterSpec(source="10.0.0.1", source_mask="0.0.0.0"), "filter 0 Source-Address", 24 + 38, "only meaningful with any"),
    (FilterSpec(protocol=1, destination_port=80), "filter 0 destination_port", 24 + 66 - 2, "needs protocol tcp or udp"),
    (FilterSpec(protocol=0, source_port=7), "filter 0 source_port", 24 + 66 - 4, "needs protocol tcp or udp"),
    (FilterSpec(special=0x01, destination="10.0.0.1", destination_mask="255.255.255.255"), "filter 0 destination", 24 + 67, "must be me"),
    (FilterSpec(source_dns="not a name!"), "filter 0 Source-DNS-Name", 28, "not a DNS name"),
    (FilterSpec(destination_dns="192.0.2.1"), "filter 0 Destination-DNS-Name", 34, "not a DNS name"),
    (FilterSpec(special=0x81, source="0.0.0.0", source_mask="255.255.255.255", destination_dns="dns.example"),
     "filter 0 Destination-DNS-Name", 34, "Special-Filter"),
    (FilterSpec(description='say "hi"'), "filter 0 description", 40, "double quote"),
], ids=lambda value: value if isinstance(value, str) and " " not in value else None)
def test_filters_the_model_cannot_hold(spec: FilterSpec, field: str, offset: int, reason: str) -> None:
    refused(filters(filter_blob([spec])), field=field, offset=offset, reason=reason)


# --- filter actions (§4) ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action, policy_type, field, reason", [
    ("{00000000-7647-11D1-864D-D46A00000000}", STANDARD, "ipsecNegotiationPolicyAction", "unknown action GUID"),
    ("3F91A819-7647-11D1-864D-D46A00000000", STANDARD, "ipsecNegotiationPolicyAction", "unknown action GUID"),
    (BLOCK, "{62F49E11-6C37-11D1-864C-14A300000000}", "ipsecNegotiationPolicyType", "unknown type GUID"),
    (BLOCK, "{62F49E13-6C37-11D1-864C-14A3-00000000}", "ipsecNegotiationPolicyType", "unknown type GUID"),
], ids=["unknown-action", "action-without-braces", "unknown-type", "spec-misprint-type"])
def test_unknown_action_and_type_guids(action: str, policy_type: str, field: str, reason: str) -> None:
    refused(negpol(negpol_blob(), action, policy_type), field=field, offset=None, reason=reason)


@pytest.mark.parametrize("offers, field, offset, reason", [
    ([Offer(options=1)], "offer 0 Negotiation-Options", 32, "must be 0"),
    ([Offer(pfs=2)], "offer 0 PFS-QM-Required", 36, "0 or 1"),
    ([Offer(pfs=1), Offer(pfs=0)], "offer 1 PFS-QM-Required", 24 + 80 + 12, "differs from offer 0"),
    ([Offer(((SHA1, 0, AH), (3, SHA1, ESP), (SHA1, 0, AH)))], "offer 0 Algorithm-Offer-Count", 40, "3 algorithms"),
    ([SOFT, Offer()], "offer 0 Algorithm-Offer-Count", 40, "only in the last offer"),
    ([Offer(((3, SHA1, ESP), (SHA1, 0, AH)))], "offer 0 slot 0", 44, "AH then ESP"),
    ([Offer(((3, SHA1, 3),))], "offer 0 slot 0 Offer-Type", 52, "unknown type 3"),
    ([Offer(((3, SHA1, AH),))], "offer 0 slot 0 Algorithm-Identifier", 44, "unknown AH algorithm"),
    ([Offer(((SHA1, 1, AH),))], "offer 0 slot 0 ESP-Integrity-Identifier", 48, "on an AH slot"),
    ([Offer(((4, SHA1, ESP),))], "offer 0 slot 0 Algorithm-Identifier", 44, "unknown ESP cipher 4"),
    ([Offer(((0, SHA1, ESP),))], "offer 0 slot 0 Algorithm-Identifier", 44, "unknown ESP cipher 0"),
    ([Offer(((3, 3, ESP),))], "offer 0 slot 0 ESP-Integrity-Identifier", 48, "unknown ESP integrity"),
    ([Offer(((1, 0, ESP),))], "offer 0 slot 0", 44, "ESP needs an encryption or an integrity algorithm"),
], ids=["options", "pfs-2", "pfs-disagree", "three-slots", "soft-not-last", "esp-then-ah", "offer-type", "ah-id", "ah-integrity",
        "esp-cipher-4", "esp-cipher-0", "esp-integrity", "esp-null-null"])
def test_offers_the_collection_cannot_express(offers, field: str, offset: int, reason: str) -> None:
    refused(negpol(negpol_blob(offers)), field=field, offset=offset, reason=reason)


@pytest.mark.parametrize("action", [BLOCK, PERMIT])
def test_offers_on_a_block_or_permit_action(action: str) -> None:
    refused(negpol(negpol_blob([Offer()]), action), field="Security-Offer-Count", offset=20, reason="expected 0")


# --- policy and ISAKMP (§3) -----------------------------------------------------------------------------


@pytest.mark.parametrize("data, field, offset, reason", [
    (isakmp_blob(options=1), "ISAKMP-Options", 44, "only 0"),
    (isakmp_blob(new_dh=b"\x04\x00\x00\x00"), "New-DH-1..4", 48, "only 00 00 00 00"),
    (isakmp_blob([MmMethod(random_function=4)]), "method 0 Random-Function", 84 + 36, "only 0"),
    (isakmp_blob([MmMethod(), MmMethod(cipher=0)]), "method 1 Encryption-Algorithm-ID", 84 + 64 + 4, "unknown algorithm 0"),
    (isakmp_blob([MmMethod(hash=3)]), "method 0 Hash-Algorithm-ID", 84 + 16, "unknown algorithm 3"),
    (isakmp_blob([MmMethod(group=14)]), "method 0 Oakley-Group", 84 + 44, "unknown group 0xe"),
], ids=["options", "new-dh", "random-function", "cipher", "hash", "group"])
def test_isakmp_fields_the_collection_cannot_express(data: bytes, field: str, offset: int, reason: str) -> None:
    refused(lambda: decode_isakmp(data, key=KEY), field=field, offset=offset, reason=reason)


# --- NFA (§5) ---------------------------------------------------------------------------------------------


def test_nfa_refusals_name_their_field_and_offset() -> None:
    refused(nfa(nfa_blob([Auth(2, "x")])), field="method 0 Auth-Type", offset=24, reason="unknown type 2")
    refused(nfa(nfa_blob(interface=5)), field="Interface-Type", offset=34, reason="unknown value 0x00000005")
    refused(nfa(nfa_blob(interface_name="eth0")), field="Interface-Name", offset=42, reason="named interface")
    refused(nfa(nfa_blob(end_point="gw.example.com")), field="Tunnel-End-Point-Name", offset=60, reason="named tunnel end point")
    refused(nfa(nfa_blob(is_tunnel=1)), field="Tunnel-Address", offset=44, reason="0.0.0.0")
    refused(nfa(nfa_blob(tunnel="10.0.0.1")), field="Tunnel-Address", offset=44, reason="without Is-Tunnel")
    refused(nfa(nfa_blob(ipv6_tunnel="2001:db8::1")), field="IPv6 tunnel end point", offset=62 + 52 + 16, reason="without Is-Tunnel")
    refused(nfa(nfa_blob(ipv6_tunnel="::", is_tunnel=1)), field="IPv6 tunnel end point", offset=62 + 52 + 16, reason="unspecified")
    refused(nfa(nfa_blob(is_tunnel=2)), field="Is-Tunnel-Specifier", offset=48, reason="0 or 1")
    refused(nfa(nfa_blob(active=7)), field="Is-Active-Specifier", offset=52, reason="0 or 1")


def test_kerberos_with_data_and_an_empty_key() -> None:
    data = bytearray(nfa_blob([Auth(KERBEROS)], extension=False))
    data[32:34] = b"\x01\x00"
    refused(nfa(bytes(data)), field="method 0 data", offset=32, reason="Kerberos carries no data")
    refused(nfa(nfa_blob([Auth(PSK, "")])), field="method 0 data", offset=32, reason="empty")


def test_the_extension_must_agree_with_the_base_list_and_never_shows_the_key() -> None:
    error = refused(nfa(nfa_blob([Auth(PSK, "TopSecret")], alternative=[Auth(PSK, "OtherSecret")])),
                    field="Alt-Auth-Num-Methods-Count", offset=24 + 8 + 20 + 28 + 16, reason="differ from the base list")
    assert "Secret" not in str(error)
    refused(nfa(nfa_blob([Auth(KERBEROS)], alternative=[])), field="Alt-Auth-Num-Methods-Count", offset=62 + 16)


def test_extension_markers_and_flags() -> None:
    data = bytearray(nfa_blob())
    data[62] = 2
    refused(nfa(bytes(data)), field="Alt-Auth-Method-Id1", offset=62, reason="unknown bytes after Tunnel-End-Point-Name")
    data = bytearray(nfa_blob())
    data[62 + 28 + 15] = 9
    refused(nfa(bytes(data)), field="Alt-Auth-Method-Id2", offset=90, reason="fifteen 01 bytes and 02")
    refused(nfa(nfa_blob([Auth(KERBEROS, flags=1)])), field="Alt-Auth-Method-Flags 0", offset=110, reason="on a kerberos method")
    refused(nfa(nfa_blob([Auth(ROOT_CA, "CN=CA", flags=4)])), field="Alt-Auth-Method-Flags 0", offset=72 + 16 + 4 + 20 + 16 + 4, reason="unknown bits")
    refused(nfa(nfa_blob()[:-1] + b"\x01" * 15 + b"\x04" + bytes(16) + b"\x00"), field="IPv6-Tunnel-Mode-ID", offset=114)


def test_a_method_list_netsh_cannot_hold() -> None:
    refused(nfa(nfa_blob([Auth(KERBEROS), Auth(KERBEROS)])), field="Auth-Method-Count", offset=20, reason="only once")
    refused(nfa(nfa_blob([Auth(ROOT_CA, "CN=A"), Auth(ROOT_CA, "CN=A")])), field="Auth-Method-Count", offset=20, reason="listed twice")


# --- keys, values and references (§1) -----------------------------------------------------------------------


def store() -> tuple[StoreBuilder, dict]:
    """A valid store, and its keys by role."""
    b = StoreBuilder()
    lst = b.filter_list("L", filter_blob([FilterSpec()]))
    act = b.action("A", negpol_blob([Offer()]))
    pol = b.standard_policy("P", [(None, nfa_blob(), lst, act)])
    keys = {"list": lst, "action": act, "policy": pol}
    nfas = [key for key in b.keys if key.startswith("ipsecNFA")]
    keys.update(rule=nfas[0], default=nfas[1], isakmp=next(key for key in b.keys if key.startswith("ipsecISAKMP")),
                default_action=[key for key in b.keys if key.startswith("ipsecNegotiationPolicy")][1])
    assert decode_snapshot(b.snapshot(active=pol)).store.policies["P"].assigned
    return b, keys


def decode(b: StoreBuilder, active: Optional[str] = "policy", keys: Optional[dict] = None):
    return lambda: decode_snapshot(b.snapshot(active=keys[active] if active else None))


@pytest.mark.parametrize("role, value, field", [
    ("policy", "ipsecISAKMPReference", "ipsecISAKMPReference"),
    ("policy", "ipsecNFAReference", "ipsecNFAReference entry 0"),
    ("rule", "ipsecNegotiationPolicyReference", "ipsecNegotiationPolicyReference"),
    ("rule", "ipsecFilterReference", "ipsecFilterReference entry 0"),
])
def test_dangling_references(role: str, value: str, field: str) -> None:
    b, keys = store()
    kind = ValueKind.STRING if field == value else ValueKind.MULTI_STRING
    target = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\ipsecNFA{99999999-9999-4999-8999-999999999999}"
    b.set_value(keys[role], value, kind, target if kind is ValueKind.STRING else (target,))
    refused(decode(b, keys=keys), key=keys[role], field=field, offset=None, reason="dangling reference")


def test_a_dangling_or_wrong_class_active_policy() -> None:
    b, keys = store()
    snapshot = b.snapshot(active=keys["policy"])
    for target, reason in (("ipsecPolicy{99999999-9999-4999-8999-999999999999}", "dangling"), (keys["rule"], "expected a ipsecPolicy")):
        local = RegistryKey("Policy\\Local", (RegistryValue("ActivePolicy", ValueKind.STRING, f"SOFTWARE\\X\\{target}"),))
        refused(lambda: decode_snapshot(RegistrySnapshot(local, snapshot.objects)), key="Policy\\Local", field="ActivePolicy", offset=None, reason=reason)


def test_a_reference_to_an_object_of_the_wrong_class() -> None:
    b, keys = store()
    b.set_value(keys["rule"], "ipsecNegotiationPolicyReference", ValueKind.STRING, StoreBuilder.reference(keys["list"]))
    refused(decode(b, keys=keys), key=keys["rule"], field="ipsecNegotiationPolicyReference", offset=None, reason="names a ipsecFilter")


def test_a_reference_that_is_not_a_key_path() -> None:
    b, keys = store()
    b.set_value(keys["policy"], "ipsecISAKMPReference", ValueKind.STRING, "CN=ipsecISAKMPPolicy,DC=x")
    refused(decode(b, keys=keys), key=keys["policy"], field="ipsecISAKMPReference", offset=None, reason="<class>{GUID}")


@pytest.mark.parametrize("role, name, kind, data, field, reason", [
    ("list", "ipsecDataType", ValueKind.DWORD, 255, "ipsecDataType", "is not 256"),
    ("list", "className", ValueKind.STRING, "ipsecPolicy", "className", "does not match"),
    ("list", "ipsecData", ValueKind.STRING, "00", "ipsecData", "expected Binary"),
    ("list", "ipsecID", ValueKind.STRING, "00000000-0000-0000-0000-000000000000", "ipsecID", "braced GUID"),
    ("list", "name", ValueKind.STRING, "ipsecFilter", "name", "<class>{GUID}"),
    ("list", "whenChanged", ValueKind.STRING, "yesterday", "whenChanged", "expected DWord"),
    ("list", "ipsecName", ValueKind.MULTI_STRING, ("L",), "ipsecName", "expected String"),
    ("policy", "ipsecISAKMPReference", ValueKind.MULTI_STRING, ("x",), "ipsecISAKMPReference", "expected String"),
    ("rule", "ipsecFilterReference", ValueKind.EXPAND_STRING, "x", "ipsecFilterReference", "expected MultiString or String"),
    ("list", "ipsecFuture", ValueKind.DWORD, 1, "ipsecFuture", "does not know"),
    ("list", "", ValueKind.STRING, "default value", "(default)", "does not know"),
    ("list", "ipsecName", ValueKind.STRING, "", "ipsecName", "needs a name"),
    ("action", "ipsecName", ValueKind.STRING, 'A "quoted" name', "ipsecName", "double quote"),
    ("policy", "description", ValueKind.STRING, "two\nlines", "description", "control characters"),
])
def test_values_of_the_wrong_type_or_unknown(role: str, name: str, kind: ValueKind, data, field: str, reason: str) -> None:
    b, keys = store()
    b.set_value(keys[role], name, kind, data)
    refused(decode(b, keys=keys), key=keys[role], field=field, offset=None, reason=reason)


@pytest.mark.parametrize("value", ["className", "ipsecDataType", "ipsecData"])
def test_required_values(value: str) -> None:
    b, keys = store()
    b.drop_value(keys["list"], value)
    refused(decode(b, keys=keys), key=keys["list"], field=value, offset=None, reason="missing")


@pytest.mark.parametrize("role, value", [
    ("action", "ipsecNegotiationPolicyAction"),
    ("action", "ipsecNegotiationPolicyType"),
    ("rule", "ipsecNegotiationPolicyReference"),
])
def test_required_values_of_actions_and_rules(role: str, value: str) -> None:
    b, keys = store()
    b.drop_value(keys[role], value)
    refused(decode(b, keys=keys), key=keys[role], field=value, offset=None, reason="missing")


def test_unknown_key_names_and_classes() -> None:
    b, keys = store()
    snapshot = b.snapshot()
    for name in ("ipsecFoo{00000000-0000-0000-0000-000000000000}", "ipsecFilter", "ipsecFilter{not-a-guid}"):
        objects = snapshot.objects + (RegistryKey(name, ()),)
        refused(lambda: decode_snapshot(RegistrySnapshot(snapshot.local, objects)), key=name, field="key name", offset=None, reason="<class>{GUID}")


def test_two_keys_whose_names_differ_only_by_case() -> None:
    b, keys = store()
    snapshot = b.snapshot()
    twin = next(key for key in snapshot.objects if key.name == keys["list"])
    objects = snapshot.objects + (RegistryKey(twin.name.upper().replace("IPSECFILTER", "ipsecFilter"), twin.values),)
    refused(lambda: decode_snapshot(RegistrySnapshot(snapshot.local, objects)), key=objects[-1].name, field="key name", offset=None, reason="ignore case")


def test_an_unknown_value_on_the_local_key() -> None:
    b, keys = store()
    snapshot = b.snapshot(active=keys["policy"])
    local = RegistryKey("Policy\\Local", snapshot.local.values + (RegistryValue("PolicyVersion", ValueKind.DWORD, 2),))
    refused(lambda: decode_snapshot(RegistrySnapshot(local, snapshot.objects)), key="Policy\\Local", field="PolicyVersion", offset=None)


def test_a_blob_error_inside_a_store_names_the_objects_key() -> None:
    b, keys = store()
    b.set_value(keys["rule"], "ipsecData", ValueKind.BINARY, nfa_blob(interface=0))
    refused(decode(b, keys=keys), key=keys["rule"], field="Interface-Type", offset=34)


def test_the_default_response_type_on_an_action_with_a_different_action() -> None:
    b, keys = store()
    b.set_value(keys["default_action"], "ipsecNegotiationPolicyAction", ValueKind.STRING, INPASS)
    refused(decode(b, keys=keys), key=keys["default_action"], field="ipsecNegotiationPolicyAction", offset=None, reason="must negotiate")
    b.set_value(keys["default_action"], "ipsecNegotiationPolicyAction", ValueKind.STRING, NEGOTIATE)
    b.set_value(keys["default_action"], "ipsecData", ValueKind.BINARY, negpol_blob([Offer(), SOFT]))
    refused(decode(b, keys=keys), key=keys["default_action"], field="ipsecNegotiationPolicyAction", offset=None, reason="without inpass or soft")


def test_default_response_rule_shape() -> None:
    b, keys = store()
    b.set_value(keys["default"], "ipsecData", ValueKind.BINARY, nfa_blob(interface=DIALUP))
    refused(decode(b, keys=keys), key=keys["default"], field="ipsecData", offset=None, reason="all connections")
    b, keys = store()
    b.set_value(keys["default"], "ipsecFilterReference", ValueKind.MULTI_STRING, (StoreBuilder.reference(keys["list"]),))
    refused(decode(b, keys=keys), key=keys["default"], field="ipsecFilterReference", offset=None, reason="has a filter list")


def test_policy_rule_structure() -> None:
    b, keys = store()
    reference = StoreBuilder.reference
    b.set_value(keys["policy"], "ipsecNFAReference", ValueKind.MULTI_STRING, (reference(keys["rule"]),))
    refused(decode(b, keys=keys), key=keys["policy"], field="ipsecNFAReference", offset=None, reason="no default response rule")
    b.set_value(keys["policy"], "ipsecNFAReference", ValueKind.MULTI_STRING, (reference(keys["rule"]), reference(keys["default"]), reference(keys["rule"])))
    refused(decode(b, keys=keys), key=keys["policy"], field="ipsecNFAReference entry 2", offset=None, reason="listed twice")
    b.set_value(keys["policy"], "ipsecNFAReference", ValueKind.MULTI_STRING, (reference(keys["default"]), reference(keys["default"]).upper()))
    refused(decode(b, keys=keys), key=keys["policy"], field="ipsecNFAReference entry 1", offset=None, reason="listed twice")
    b, keys = store()
    second_default = b.nfa(nfa_blob(), keys["default_action"])
    b.set_value(keys["policy"], "ipsecNFAReference", ValueKind.MULTI_STRING, (reference(keys["default"]), reference(second_default)))
    refused(decode(b, keys=keys), key=keys["policy"], field="ipsecNFAReference entry 1", offset=None, reason="second default response rule")


def test_a_rule_in_two_policies() -> None:
    b, keys = store()
    other = b.standard_policy("Q", [])
    nfas = b.keys[other][-1].data
    b.set_value(other, "ipsecNFAReference", ValueKind.MULTI_STRING, nfas + (StoreBuilder.reference(keys["rule"]),))
    error = refused(decode(b, keys=keys), key=other, field="ipsecNFAReference entry 1", offset=None, reason="belongs to one policy")
    assert keys["rule"] in str(error)


@pytest.mark.parametrize("references", [(), ("list", "list")])
def test_a_rule_needs_exactly_one_filter_list(references) -> None:
    b, keys = store()
    b.set_value(keys["rule"], "ipsecFilterReference", ValueKind.MULTI_STRING, tuple(StoreBuilder.reference(keys[role]) for role in references))
    refused(decode(b, keys=keys), key=keys["rule"], field="ipsecFilterReference", offset=None, reason=f"has {len(references)}")


def test_names_the_model_refuses() -> None:
    b, keys = store()
    twin = b.filter_list("l", filter_blob([]))
    error = refused(decode(b, keys=keys), key=twin, field="ipsecName", offset=None, reason="names ignore case")
    assert keys["list"] in str(error)
    b, keys = store()
    other = b.standard_policy("P", [])
    refused(decode(b, keys=keys), key=other, field="ipsecName", offset=None, reason="also the name of key")
    b, keys = store()
    lst = b.filter_list("L2", filter_blob([FilterSpec()]))
    b.standard_policy("R", [("Same", nfa_blob(), lst, keys["action"]), ("SAME", nfa_blob(), lst, keys["action"])])
    refused(decode(b, keys=keys), key=list(b.keys)[-1], field="ipsecNFAReference", offset=None, reason="names must be unique")


def test_quick_modes_per_main_mode_the_model_cannot_hold() -> None:
    b, keys = store()
    b.set_value(keys["isakmp"], "ipsecData", ValueKind.BINARY, isakmp_blob(mmpfs=1, qm_limit=0))
    refused(decode(b, keys=keys), key=keys["isakmp"], field="QM-Limit", offset=52, reason="with Master-PFS-Required on")
    refused(lambda: decode_isakmp(isakmp_blob(qm_limit=2**31), key=KEY), field="QM-Limit", offset=52, reason="more than netsh's qmpermm")


def test_group_policy_values_of_the_wrong_type() -> None:
    key = RegistryKey("GPTIPSECPolicy", (RegistryValue("DSIPSECPolicyPath", ValueKind.MULTI_STRING, ("LDAP://x",)),))
    refused(lambda: decode_snapshot(RegistrySnapshot(None, group_policy=key)), key="GPTIPSECPolicy", field="DSIPSECPolicyPath", offset=None)
