# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry keys of the bootstrap's answer, read into a RegistrySnapshot: every value kind as the
batch script's JSON carries it, PowerShell 5.1's lone objects, signed DWORD/QWORD numbers (A-90), and
payloads of the wrong shape refused naming the key and the value. The emulator's encoding of the keys
(``netsh_emulator._registry_model``) is the other side of the same contract."""

from __future__ import annotations

import base64
import binascii
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netsh_emulator._registry_model import BINARY, DWORD, EXPAND_STRING, MULTI_STRING, NONE, QWORD, STRING, UNKNOWN, RegKey, RegValue, key_json

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_payload import snapshot_from_payload
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchRequest, TransportError, parse_answer

MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
NFA = "ipsecNFA{00000000-0000-4000-8000-000000000004}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def v(name: str, kind: str, data) -> dict:
    return {"name": name, "kind": kind, "data": data}


def payload(local_values=(), *, keys=(), group_policy=None) -> dict:
    return {"local": {"values": list(local_values), "keys": list(keys)}, "group_policy": group_policy}


def one_value(entry) -> RegistryValue:
    """The value ``entry`` (the batch script's V) reads as, on Policy\\Local."""
    return snapshot_from_payload(payload([entry])).local.values[0]


def refusal(raw) -> str:
    with pytest.raises(ValueError) as caught:
        snapshot_from_payload(raw)
    return str(caught.value)


# --- every kind -----------------------------------------------------------------------------------------


def test_every_kind_of_value_in_every_key():
    raw = {
        "local": {
            "values": [v("ActivePolicy", "String", "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\ipsecPolicy{1}")],
            "keys": [
                {"name": "ipsecPolicy{1}", "values": [
                    v("ipsecName", "String", "Corp"),
                    v("path", "ExpandString", "%SystemRoot%\\x"),
                    v("ipsecNFAReference", "MultiString", ["a", "", "b"]),
                    v("ipsecData", "Binary", b64(b"\x00\x01\xfe\xff")),
                    v("whenChanged", "DWord", 1704164645),
                    v("big", "QWord", 2**40),
                ]},
                {"name": NFA, "values": []},
            ],
        },
        "group_policy": {"values": [v("DSIPSECPolicyPath", "String", "LDAP://CN=ipsecPolicy{9}"), v("DSIPSECPolicyName", "String", "Corp")],
                         "keys": []},
    }
    assert snapshot_from_payload(raw) == RegistrySnapshot(
        local=RegistryKey("Policy\\Local", (RegistryValue("ActivePolicy", ValueKind.STRING,
                                                          "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\ipsecPolicy{1}"),)),
        objects=(
            RegistryKey("ipsecPolicy{1}", (
                RegistryValue("ipsecName", ValueKind.STRING, "Corp"),
                RegistryValue("path", ValueKind.EXPAND_STRING, "%SystemRoot%\\x"),  # not expanded
                RegistryValue("ipsecNFAReference", ValueKind.MULTI_STRING, ("a", "", "b")),
                RegistryValue("ipsecData", ValueKind.BINARY, b"\x00\x01\xfe\xff"),
                RegistryValue("whenChanged", ValueKind.DWORD, 1704164645),
                RegistryValue("big", ValueKind.QWORD, 2**40),
            )),
            RegistryKey(NFA, ()),
        ),
        group_policy=RegistryKey("GPTIPSECPolicy", (RegistryValue("DSIPSECPolicyPath", ValueKind.STRING, "LDAP://CN=ipsecPolicy{9}"),
                                                    RegistryValue("DSIPSECPolicyName", ValueKind.STRING, "Corp"))),
    )


@pytest.mark.parametrize("kind, sent, held", [
    ("DWord", 0, 0),
    ("DWord", 2**31 - 1, 2**31 - 1),
    ("DWord", -1, 2**32 - 1),
    ("DWord", -2**31, 2**31),  # a whenChanged after 2038-01-19
    ("DWord", 2**31, 2**31),  # already unsigned: kept
    ("DWord", 2**32 - 1, 2**32 - 1),
    ("QWord", 0, 0),
    ("QWord", -1, 2**64 - 1),
    ("QWord", -2**63, 2**63),
    ("QWord", 2**63 - 1, 2**63 - 1),
    ("QWord", 2**64 - 1, 2**64 - 1),
])
def test_signed_numbers_read_as_the_unsigned_values_the_registry_holds(kind, sent, held):
    assert one_value(v("n", kind, sent)) == RegistryValue("n", ValueKind(kind), held)


@pytest.mark.parametrize("sent, held", [
    ([], ()),
    (None, ()),
    ("lone", ("lone",)),  # a list of one, written as the bare string
    (["x", "", "\u00e9"], ("x", "", "\u00e9")),
])
def test_a_multi_string_is_a_tuple_of_its_strings(sent, held):
    assert one_value(v("m", "MultiString", sent)) == RegistryValue("m", ValueKind.MULTI_STRING, held)


def test_empty_binary_and_empty_strings():
    assert one_value(v("b", "Binary", "")) == RegistryValue("b", ValueKind.BINARY, b"")
    assert one_value(v("s", "String", "")) == RegistryValue("s", ValueKind.STRING, "")
    assert one_value(v("e", "ExpandString", "")) == RegistryValue("e", ValueKind.EXPAND_STRING, "")


def test_lone_objects_stand_for_lists_of_one():
    raw = {"local": {"values": v("ActivePolicy", "String", "x"), "keys": {"name": NFA, "values": v("ipsecName", "String", "R")}},
           "group_policy": {"values": v("DSIPSECPolicyPath", "String", "LDAP://x")}}
    assert snapshot_from_payload(raw) == RegistrySnapshot(
        local=RegistryKey("Policy\\Local", (RegistryValue("ActivePolicy", ValueKind.STRING, "x"),)),
        objects=(RegistryKey(NFA, (RegistryValue("ipsecName", ValueKind.STRING, "R"),)),),
        group_policy=RegistryKey("GPTIPSECPolicy", (RegistryValue("DSIPSECPolicyPath", ValueKind.STRING, "LDAP://x"),)),
    )


def test_null_keys_and_null_lists():
    assert snapshot_from_payload({"local": None, "group_policy": None}) == RegistrySnapshot(local=None, objects=(), group_policy=None)
    assert snapshot_from_payload({"local": {"values": None, "keys": None}, "group_policy": {"values": []}}) == RegistrySnapshot(
        local=RegistryKey("Policy\\Local", ()), objects=(), group_policy=RegistryKey("GPTIPSECPolicy", ()))
    assert snapshot_from_payload({"local": {"values": []}, "group_policy": None}).objects == ()


def test_subkeys_keep_the_order_and_the_spelling_they_came_in():
    names = ["ipsecPolicy{B}", "IPSECNFA{a}", "ipsecFilter{c}"]
    snapshot = snapshot_from_payload(payload(keys=[{"name": name, "values": []} for name in names]))
    assert [key.name for key in snapshot.objects] == names


# --- the emulator's side of the contract ----------------------------------------------------------------


def _reg_values(kinds):
    """Emulator RegValues of the given kinds, with names unique in any case."""
    data = {
        STRING: st.text(), EXPAND_STRING: st.text(), MULTI_STRING: st.lists(st.text(), max_size=3),
        BINARY: st.binary(max_size=40), DWORD: st.integers(0, 2**32 - 1), QWORD: st.integers(0, 2**64 - 1),
    }
    value = st.sampled_from(kinds).flatmap(lambda kind: st.builds(RegValue, st.text(min_size=1, max_size=8), st.just(kind), data[kind]))
    return st.lists(value, max_size=6, unique_by=lambda item: item.name.casefold())


KINDS = [STRING, EXPAND_STRING, MULTI_STRING, BINARY, DWORD, QWORD]


def _held(value: RegValue) -> RegistryValue:
    """What the registry holds, in the collection's terms."""
    data = tuple(value.data) if value.kind == MULTI_STRING else value.data
    return RegistryValue(value.name, ValueKind(value.kind), data)


@settings(max_examples=200, deadline=None)
@given(own=_reg_values(KINDS), subkeys=st.lists(st.tuples(st.sampled_from(["ipsecPolicy", "ipsecNFA", "ipsecFilter"]), _reg_values(KINDS)), max_size=4),
       group=st.one_of(st.none(), _reg_values(KINDS)))
def test_what_the_emulated_host_sends_reads_back_as_the_values_it_holds(own, subkeys, group):
    local = RegKey("Local", tuple(own), tuple(RegKey(f"{cls}{{{index}}}", tuple(values)) for index, (cls, values) in enumerate(subkeys)))
    gp = None if group is None else RegKey("GPTIPSECPolicy", tuple(group))
    wire = json.loads(json.dumps({"local": key_json(local, True), "group_policy": key_json(gp, False)}))  # as ConvertTo-Json sends it
    snapshot = snapshot_from_payload(wire)
    assert snapshot.local == RegistryKey("Policy\\Local", tuple(_held(value) for value in own))
    assert {key.name: key for key in snapshot.objects} == {
        sub.name: RegistryKey(sub.name, tuple(_held(value) for value in sub.values)) for sub in local.subkeys}
    assert snapshot.group_policy == (None if gp is None else RegistryKey("GPTIPSECPolicy", tuple(_held(value) for value in group)))


def test_the_emulator_sends_dwords_and_qwords_signed():
    key = RegKey("Local", (RegValue("d", DWORD, 2**32 - 1), RegValue("q", QWORD, 2**63)))
    wire = key_json(key, True)
    assert [entry["data"] for entry in wire["values"]] == [-1, -2**63]
    assert snapshot_from_payload({"local": wire, "group_policy": None}).local.values == (
        RegistryValue("d", ValueKind.DWORD, 2**32 - 1), RegistryValue("q", ValueKind.QWORD, 2**63))


@pytest.mark.parametrize("value, sent", [
    (RegValue("Odd", NONE, b"\x01\x02"), {"name": "Odd", "kind": "None", "data": [1, 2]}),  # REG_NONE: its bytes as numbers
    (RegValue("Odd", UNKNOWN, b"\x00\x00\x00\x05"), {"name": "Odd", "kind": "Unknown", "data": [0, 0, 0, 5]}),  # REG_DWORD_BIG_ENDIAN
    (RegValue("Odd", UNKNOWN, None), {"name": "Odd", "kind": "Unknown", "data": None}),  # REG_LINK: no data
])
def test_kinds_the_collection_cannot_hold_are_refused_naming_the_key_and_the_value(value, sent):
    wire = key_json(RegKey("Local", (), (RegKey(NFA, (value,)),)), True)
    assert wire["keys"][0]["values"] == [sent]
    assert refusal({"local": wire, "group_policy": None}) == (
        f"key {NFA!r}: a value is not {{name, kind, data}} with a known kind: {sent!r}")


# --- refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    None, [], "registry", {"local": None}, {"group_policy": None}, {"local": None, "group_policy": None, "other": None},
])
def test_a_payload_that_is_not_the_two_keys(raw):
    assert refusal(raw) == f"expected an object with 'local' and 'group_policy', got {raw!r}"


@pytest.mark.parametrize("local, group_policy, message", [
    ([], None, r"key 'Policy\\Local' is not an object with 'values': []"),
    ({"keys": []}, None, r"key 'Policy\\Local' is not an object with 'values': {'keys': []}"),
    (None, "GPT", "key 'GPTIPSECPolicy' is not an object with 'values': 'GPT'"),
    (None, {"value": []}, "key 'GPTIPSECPolicy' is not an object with 'values': {'value': []}"),
])
def test_a_key_that_is_not_an_object_with_values(local, group_policy, message):
    assert refusal({"local": local, "group_policy": group_policy}) == message


@pytest.mark.parametrize("entry, message", [
    ({"values": []}, "a subkey without a name: {'values': []}"),
    ({"name": 7, "values": []}, "a subkey without a name: {'name': 7, 'values': []}"),
    ("ipsecNFA{1}", "a subkey without a name: 'ipsecNFA{1}'"),
    ({"name": NFA}, f"key {NFA!r} is not an object with 'values': {{'name': {NFA!r}}}"),
])
def test_a_subkey_without_a_name_or_values(entry, message):
    assert refusal(payload(keys=[entry])) == message


@pytest.mark.parametrize("entry", [
    "ActivePolicy",
    None,
    {"kind": "String", "data": "x"},
    {"name": 1, "kind": "String", "data": "x"},
    {"name": "x", "data": "x"},
    {"name": "x", "kind": "REG_SZ", "data": "x"},
    {"name": "x", "kind": "string", "data": "x"},  # RegistryValueKind names are spelt exactly
    {"name": "x", "kind": None, "data": "x"},
    {"name": "x", "kind": 1, "data": "x"},
])
def test_a_value_that_is_not_name_kind_and_data(entry):
    assert refusal(payload(keys=[{"name": NFA, "values": [entry]}])) == (
        f"key {NFA!r}: a value is not {{name, kind, data}} with a known kind: {entry!r}")
    assert refusal({"local": None, "group_policy": {"values": [entry]}}) == (
        f"key 'GPTIPSECPolicy': a value is not {{name, kind, data}} with a known kind: {entry!r}")


@pytest.mark.parametrize("kind, data, reason", [
    ("Binary", 5, "binary data must be base64 text"),
    ("Binary", None, "binary data must be base64 text"),
    ("Binary", [1, 2], "binary data must be base64 text"),
    ("DWord", "5", "expected a number, got '5'"),
    ("DWord", None, "expected a number, got None"),
    ("DWord", True, "expected a number, got True"),
    ("QWord", 1.5, "expected a number, got 1.5"),
    ("QWord", False, "expected a number, got False"),
    ("MultiString", ["a", 1], "a multi-string holds a non-string"),
    ("MultiString", 5, "a multi-string holds a non-string"),
    ("MultiString", [None], "a multi-string holds a non-string"),
    ("String", 5, "expected a string, got 5"),
    ("String", None, "expected a string, got None"),
    ("ExpandString", ["x"], "expected a string, got ['x']"),
])
def test_data_of_the_wrong_type_is_refused_naming_the_key_and_the_value(kind, data, reason):
    assert refusal(payload(keys=[{"name": NFA, "values": [v("ipsecData", kind, data)]}])) == f"key {NFA!r}, value 'ipsecData': {reason}"
    assert refusal(payload([v("ActivePolicy", kind, data)])) == f"key 'Policy\\\\Local', value 'ActivePolicy': {reason}"


@pytest.mark.parametrize("data", ["%%", "AQI", "AQ I=", "AQID\n", "not base64!"])
def test_binary_data_that_is_not_base64_is_refused_with_the_reason(data):
    with pytest.raises(binascii.Error) as decoding:
        base64.b64decode(data, validate=True)
    reason = str(decoding.value)
    assert refusal(payload(keys=[{"name": NFA, "values": [v("ipsecData", "Binary", data)]}])) == (
        f"key {NFA!r}, value 'ipsecData': binary data is not base64: {reason}")


def test_a_value_given_twice_in_any_case_is_refused():
    assert refusal(payload(keys=[{"name": NFA, "values": [v("ipsecName", "String", "a"), v("IPSECNAME", "String", "b")]}])) == (
        "registry value 'IPSECNAME' is given twice")


def test_long_values_are_clipped_in_messages():
    assert refusal("x" * 300) == "expected an object with 'local' and 'group_policy', got '" + "x" * 199 + "..."
    exactly = "y" * 198  # its repr is 200 characters: shown whole
    assert refusal(exactly) == f"expected an object with 'local' and 'group_policy', got {exactly!r}"
    assert refusal("y" * 199) == "expected an object with 'local' and 'group_policy', got '" + "y" * 199 + "..."


def test_the_transport_reports_a_refused_payload_as_a_transport_error():
    document = {"codepage": 437, "results": [], "files": [], "registry": payload([v("n", "DWord", "1")])}
    stdout = MARKER + b64(json.dumps(document).encode("utf-8")) + "\r\n"
    with pytest.raises(TransportError) as caught:
        parse_answer(BatchRequest((), stop_on_error=False, registry=True), 0, stdout, "").registry_snapshot()
    assert str(caught.value) == "the registry keys in the answer cannot be read: key 'Policy\\\\Local', value 'n': expected a number, got '1'"


@pytest.mark.parametrize("kind, data", [("DWord", 2**32), ("DWord", -2**31 - 1), ("QWord", 2**64), ("QWord", -2**63 - 1)])
def test_a_number_outside_the_kinds_range_is_refused(kind, data):
    with pytest.raises(ValueError) as caught:
        snapshot_from_payload(payload([v("n", kind, data)]))
    assert str(caught.value) == f"key 'Policy\\\\Local', value 'n': {data} is outside the range of a {kind} (signed or unsigned)"


@pytest.mark.parametrize("kind, data", [("DWord", 2**32 - 1), ("DWord", -2**31), ("QWord", 2**64 - 1), ("QWord", -2**63)])
def test_the_ends_of_a_kinds_signed_and_unsigned_ranges_are_read(kind, data):
    span = 2**32 if kind == "DWord" else 2**64
    assert snapshot_from_payload(payload([v("n", kind, data)])).local.values[0].data == data % span
