"""The store as registry keys (``_registry_view``) and their JSON (``_registry_model``): GPIPSEC.md §1."""

from __future__ import annotations

import calendar
import datetime

import pytest
from emu_registry_support import REFERENCE_PREFIX, W11, named, of_class, sample_objects, store, view

from netsh_emulator._registry_model import (BINARY, DWORD, EXPAND_STRING, MULTI_STRING, NONE, QWORD, STRING, UNKNOWN, RegKey, RegValue,
                                            key_json)
from netsh_emulator._registry_view import RegistryViewError, local_key

NOW = calendar.timegm(datetime.datetime(2021, 4, 21, 18, 47, 44).timetuple())   # the Emu fixture's NETSH_EMU_NOW, as UTC


def _names(values: dict) -> list[str]:
    return list(values)


def _one(objects: dict, class_name: str) -> tuple[str, dict]:
    (item,) = of_class(objects, class_name).items()
    return item


def test_a_store_that_never_held_an_object_has_no_key(emu):
    assert local_key(store(emu)) is None                  # no state file at all
    emu.ok("set batch mode=enable")                        # a state file, still without objects
    assert emu.state.exists() and local_key(store(emu)) is None


def test_the_key_stays_once_the_last_object_is_gone(emu):
    emu.ok("add filterlist name=L")
    emu.ok("delete filterlist name=L")
    assert local_key(store(emu)) == RegKey("Local", (), ())


def test_a_policy_with_one_rule(emu):
    emu.ok('add policy name=Web description="web servers" assign=yes')      # {...-000000000001}
    emu.ok("add filterlist name=L")                                         # ...2
    emu.ok('add filteraction name=A action=block description="drop it"')    # ...3
    emu.ok('add rule name=R policy=Web filterlist=L filteraction=A kerberos=yes description="the rule"')   # ...4
    objects = view(emu)
    guid = "00000000-0000-4000-8000-00000000000{}".format
    assert objects[""] == {"ActivePolicy": RegValue("ActivePolicy", STRING, REFERENCE_PREFIX + f"ipsecPolicy{{{guid(1)}}}")}
    policy = objects[f"ipsecPolicy{{{guid(1)}}}"]
    isakmp_name, isakmp = _one(objects, "ipsecISAKMPPolicy")
    rule = objects[f"ipsecNFA{{{guid(4)}}}"]
    (default_name, default_rule), = [(name, values) for name, values in of_class(objects, "ipsecNFA").items()
                                     if "ipsecFilterReference" not in values]
    action = objects[f"ipsecNegotiationPolicy{{{guid(3)}}}"]
    (default_action_name, default_action), = [(name, values) for name, values in of_class(objects, "ipsecNegotiationPolicy").items()
                                              if name != f"ipsecNegotiationPolicy{{{guid(3)}}}"]
    filter_list = objects[f"ipsecFilter{{{guid(2)}}}"]
    assert len(objects) == 1 + 7
    # values in the order of the Windows 11 export; ipsecName and description only where they belong
    assert _names(policy) == ["className", "name", "ipsecName", "description", "ipsecID", "ipsecDataType", "ipsecData",
                              "ipsecISAKMPReference", "whenChanged", "ipsecNFAReference"]
    assert _names(isakmp) == ["className", "name", "ipsecID", "ipsecDataType", "ipsecData", "whenChanged", "ipsecOwnersReference"]
    assert _names(rule) == ["className", "name", "ipsecName", "description", "ipsecID", "ipsecDataType", "ipsecData",
                            "ipsecNegotiationPolicyReference", "ipsecFilterReference", "whenChanged", "ipsecOwnersReference"]
    assert _names(default_rule) == ["className", "name", "ipsecID", "ipsecDataType", "ipsecData",
                                    "ipsecNegotiationPolicyReference", "whenChanged", "ipsecOwnersReference"]
    assert _names(action) == ["className", "name", "ipsecName", "description", "ipsecID", "ipsecNegotiationPolicyAction",
                              "ipsecNegotiationPolicyType", "ipsecDataType", "ipsecData", "whenChanged", "ipsecOwnersReference"]
    assert _names(default_action) == ["className", "name", "ipsecID", "ipsecNegotiationPolicyAction", "ipsecNegotiationPolicyType",
                                      "ipsecDataType", "ipsecData", "whenChanged", "ipsecOwnersReference"]
    assert _names(filter_list) == ["className", "name", "ipsecName", "ipsecID", "ipsecDataType", "ipsecData", "whenChanged",
                                   "ipsecOwnersReference"]
    # identity values
    assert (policy["className"].data, policy["name"].data, policy["ipsecID"].data, policy["ipsecName"].data,
            policy["description"].data) == ("ipsecPolicy", f"ipsecPolicy{{{guid(1)}}}", f"{{{guid(1)}}}", "Web", "web servers")
    assert (rule["ipsecName"].data, rule["description"].data, action["description"].data) == ("R", "the rule", "drop it")
    assert isakmp["name"].data == isakmp_name and isakmp["ipsecID"].data == isakmp_name[len("ipsecISAKMPPolicy"):]
    # references and back-references
    ref = REFERENCE_PREFIX.__add__
    assert policy["ipsecISAKMPReference"] == RegValue("ipsecISAKMPReference", STRING, ref(isakmp_name))
    assert policy["ipsecNFAReference"] == RegValue("ipsecNFAReference", MULTI_STRING, [ref(f"ipsecNFA{{{guid(4)}}}"), ref(default_name)])
    assert rule["ipsecNegotiationPolicyReference"].data == ref(f"ipsecNegotiationPolicy{{{guid(3)}}}")
    assert rule["ipsecFilterReference"] == RegValue("ipsecFilterReference", MULTI_STRING, [ref(f"ipsecFilter{{{guid(2)}}}")])
    assert default_rule["ipsecNegotiationPolicyReference"].data == ref(default_action_name)
    for owned in (isakmp, rule, default_rule):
        assert owned["ipsecOwnersReference"].data == [ref(f"ipsecPolicy{{{guid(1)}}}")]
    assert action["ipsecOwnersReference"].data == filter_list["ipsecOwnersReference"].data == [ref(f"ipsecNFA{{{guid(4)}}}")]
    assert default_action["ipsecOwnersReference"].data == [ref(default_name)]
    # actions and types (§4.1), data type, times
    assert (action["ipsecNegotiationPolicyAction"].data, action["ipsecNegotiationPolicyType"].data) == (
        "{3f91a819-7647-11d1-864d-d46a00000000}", "{62f49e10-6c37-11d1-864c-14a300000000}")
    assert (default_action["ipsecNegotiationPolicyAction"].data, default_action["ipsecNegotiationPolicyType"].data) == (
        "{8a171dd3-77e3-11d1-8659-a04f00000000}", "{62f49e13-6c37-11d1-864c-14a300000000}")
    for values in (values for name, values in objects.items() if name):
        assert values["ipsecDataType"] == RegValue("ipsecDataType", DWORD, 256)
        assert values["ipsecData"].kind == BINARY and values["whenChanged"] == RegValue("whenChanged", DWORD, NOW)


def test_the_windows_11_export_rebuilt_with_netsh(emu):
    """The W11 sample's store, made with netsh: the same objects, value names, kinds and order (the rules
    carry an ipsecName here, netsh names every rule), and the same blobs apart from the filter GUIDs."""
    emu.ok('add policy name="GSecurity Policy" mmsecmethods=3DES-SHA1-2 activatedefaultrule=no assign=yes')
    emu.ok('set defaultrule policy="GSecurity Policy" kerberos=yes qmsecmethods="ESP[3DES,SHA1] AH[SHA1]"')
    for command in ("srcaddr=me dstaddr=any protocol=tcp dstport=53 mirrored=no", "srcaddr=me dstaddr=any protocol=tcp dstport=443 mirrored=no",
                    "srcaddr=any dstaddr=me protocol=tcp srcport=443 mirrored=no", "srcaddr=any dstaddr=any protocol=udp dstport=67",
                    "srcaddr=any dstaddr=any protocol=udp dstport=68"):
        emu.ok(f'add filter filterlist="Allow List" {command}')
    emu.ok('add filter filterlist="Block List" srcaddr=any dstaddr=any mirrored=no')
    emu.ok("add filteraction name=Permit action=permit")
    emu.ok("add filteraction name=Block action=block")
    for name, filter_list, action in (("allow", "Allow List", "Permit"), ("block", "Block List", "Block"), ("block 2", "Block List", "Block")):
        emu.ok(f'add rule name="{name}" policy="GSecurity Policy" filterlist="{filter_list}" filteraction={action} kerberos=yes')
    ours, sample = view(emu), sample_objects(W11)
    for class_name in ("ipsecPolicy", "ipsecISAKMPPolicy", "ipsecNFA", "ipsecNegotiationPolicy", "ipsecFilter"):
        shapes = {tuple((value.name, value.kind) for value in values.values() if not (class_name == "ipsecNFA" and value.name == "ipsecName"))
                  for values in of_class(ours, class_name).values()}
        assert shapes == {tuple((value.name, value.kind) for value in values.values()) for values in of_class(sample, class_name).values()}
        if class_name != "ipsecFilter":
            assert sorted(v["ipsecData"].data for v in of_class(ours, class_name).values()) == \
                sorted(v["ipsecData"].data for v in of_class(sample, class_name).values())
    assert [value.name for value in ours[""].values()] == [value.name for value in sample[""].values()] == ["ActivePolicy"]
    # the shared "Block List" and "Block" name both block rules as owners (two entries observed in D2/D3, §1.3)
    assert len(named(ours, "ipsecFilter", "Block List")["ipsecOwnersReference"].data) == 2
    assert len(named(ours, "ipsecNegotiationPolicy", "Block")["ipsecOwnersReference"].data) == 2


def test_unused_objects_have_no_owners_and_no_policy_is_assigned(emu):
    emu.ok("add policy name=P")
    emu.ok("add filterlist name=L")
    emu.ok("add filteraction name=A")
    objects = view(emu)
    assert objects[""] == {}
    assert "ipsecOwnersReference" not in named(objects, "ipsecFilter", "L")
    assert "ipsecOwnersReference" not in named(objects, "ipsecNegotiationPolicy", "A")
    assert named(objects, "ipsecPolicy", "P")["ipsecNFAReference"].data[0].startswith(REFERENCE_PREFIX + "ipsecNFA{")


def test_key_names_are_lower_case_and_stable(emu):
    emu.env["NETSH_EMU_GUID_MODE"] = "random"
    emu.ok("add policy name=P")
    emu.ok("add filter filterlist=L srcaddr=any dstaddr=me")
    first = view(emu)
    guids = [name[name.index("{"):] for name in first if name]
    assert all(guid == guid.lower() for guid in guids) and len(guids) == 5
    emu.ok("set policy name=P newname=Q")
    emu.ok("set filterlist name=L newname=M")
    second = view(emu)
    assert sorted(first) == sorted(second)                     # renaming keeps every key, derived ones included
    assert named(first, "ipsecFilter", "L")["ipsecData"] == named(second, "ipsecFilter", "M")["ipsecData"]


def test_when_changed_follows_each_object(emu):
    emu.ok("add policy name=P")
    emu.ok("add filterlist name=L", NETSH_EMU_NOW="2030-01-02T03:04:05")
    emu.ok("add filteraction name=A", NETSH_EMU_NOW="2040-06-01T00:00:00")
    emu.ok("add rule name=R policy=P filterlist=L filteraction=A", NETSH_EMU_NOW="2035-01-01T00:00:00")
    objects = view(emu)
    stamp = {name: values["whenChanged"].data for name, values in objects.items() if name}
    in_2035 = calendar.timegm((2035, 1, 1, 0, 0, 0))
    assert {stamp[name] for name in of_class(objects, "ipsecNFA")} == {in_2035}
    assert stamp[_one(objects, "ipsecISAKMPPolicy")[0]] == stamp[_one(objects, "ipsecPolicy")[0]] == in_2035
    assert named(objects, "ipsecFilter", "L")["whenChanged"].data == calendar.timegm((2030, 1, 2, 3, 4, 5))
    after_2038 = named(objects, "ipsecNegotiationPolicy", "A")["whenChanged"]
    assert after_2038.data == calendar.timegm((2040, 6, 1, 0, 0, 0)) > 2**31
    # .NET reads a REG_DWORD as a signed Int32: the JSON has it negative
    local = key_json(local_key(store(emu)), with_subkeys=True)
    (action_key,) = [key for key in local["keys"] if key["name"] == f"ipsecNegotiationPolicy{{{'00000000-0000-4000-8000-000000000003'}}}"]
    assert {"name": "whenChanged", "kind": "DWord", "data": after_2038.data - 2**32} in action_key["values"]


def test_a_time_beyond_32_bits_is_a_view_error(emu):
    emu.ok("add filterlist name=L", NETSH_EMU_NOW="2107-01-01T00:00:00")
    with pytest.raises(RegistryViewError, match="filter list 'L': its time 2107-01-01T00:00:00 does not fit whenChanged"):
        local_key(store(emu))


def test_an_inexpressible_value_names_the_object(emu):
    emu.ok("add policy name=P pollinginterval=71582789")
    with pytest.raises(RegistryViewError, match="policy 'P': Polling-Interval = 4294967340 does not fit"):
        local_key(store(emu))


def test_a_dangling_rule_is_a_view_error(emu):
    emu.ok("add policy name=P")
    emu.ok("add filterlist name=L")
    emu.ok("add filteraction name=A")
    emu.ok("add rule name=R policy=P filterlist=L filteraction=A")
    broken = store(emu)
    broken.filterlists.clear()
    with pytest.raises(RegistryViewError, match="rule 'R' of policy 'P' refers to a filter list or filter action"):
        local_key(broken)


# --- the JSON of keys and values (the batch script's V and K) ----------------------------------------------------

def test_value_json_by_kind():
    key = RegKey("K", (RegValue("s", STRING, "text"), RegValue("e", EXPAND_STRING, "%SystemRoot%\\x"),
                       RegValue("m", MULTI_STRING, ["a", "", "b"]), RegValue("m1", MULTI_STRING, ["only"]),
                       RegValue("b", BINARY, b"\x00\xff"), RegValue("d", DWORD, 0xFFFFFFFF), RegValue("d0", DWORD, 2**31 - 1),
                       RegValue("q", QWORD, 2**64 - 2), RegValue("n", NONE, b"\x00"), RegValue("u", UNKNOWN, b"\x01\x02")))
    assert key_json(key, with_subkeys=True) == {"values": [
        {"name": "s", "kind": "String", "data": "text"},
        {"name": "e", "kind": "ExpandString", "data": "%SystemRoot%\\x"},          # DoNotExpandEnvironmentNames
        {"name": "m", "kind": "MultiString", "data": ["a", "", "b"]},
        {"name": "m1", "kind": "MultiString", "data": ["only"]},                   # a list of one stays a list
        {"name": "b", "kind": "Binary", "data": "AP8="},
        {"name": "d", "kind": "DWord", "data": -1},                                # Int32
        {"name": "d0", "kind": "DWord", "data": 2**31 - 1},
        {"name": "q", "kind": "QWord", "data": -2},                                # Int64
        {"name": "n", "kind": "None", "data": [0]},                                # REG_NONE: byte[] ...
        {"name": "u", "kind": "Unknown", "data": [1, 2]},                          # ... as ConvertTo-Json writes it
    ], "keys": []}


def test_subkeys_in_enumeration_order_and_only_when_asked():
    key = RegKey("K", (), (RegKey("b"), RegKey("A", (RegValue("x", STRING, "1"),)), RegKey("ipsecNFA{1}"), RegKey("ipsecFilter{2}")))
    assert [sub["name"] for sub in key_json(key, with_subkeys=True)["keys"]] == ["A", "b", "ipsecFilter{2}", "ipsecNFA{1}"]
    assert key_json(key, with_subkeys=True)["keys"][0] == {"name": "A", "values": [{"name": "x", "kind": "String", "data": "1"}]}
    assert key_json(key, with_subkeys=False) == {"values": [], "keys": []}
    assert key_json(None, with_subkeys=True) is None


@pytest.mark.parametrize(("kind", "data"), [(STRING, b"x"), (MULTI_STRING, "x"), (DWORD, 2**32), (DWORD, -1), (QWORD, True),
                                            (BINARY, "AA=="), ("REG_SZ", "x")])
def test_values_refuse_data_of_another_kind(kind, data):
    with pytest.raises(ValueError):
        RegValue("v", kind, data)
