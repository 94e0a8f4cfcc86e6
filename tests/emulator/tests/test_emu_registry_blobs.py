"""The ``ipsecData`` encoder (``_gpipsec_blobs``, ``_gpipsec_filters``, ``_gpipsec_mapping``) against GPIPSEC.md.

Byte-exact where the samples of GPIPSEC.md §8 hold an object netsh can build (the policy, ISAKMP, default
response and block/permit actions, the NFAs, the filter lists of the Windows 10 and 11 exports); for every
other layout, structural checks field by field at the offsets of GPIPSEC.md §3-§6.
"""

from __future__ import annotations

import ipaddress

import pytest
from emu_registry_support import W10, W11, blob_fields, guid_at, named, of_class, sample_objects, store, u32_at

from netsh_emulator._gpipsec_blobs import BlobError
from netsh_emulator._gpipsec_mapping import (ACTION_BLOCK, ACTION_INBOUND_PASSTHRU, ACTION_NEGOTIATE, ACTION_PERMIT,
                                             default_response_action_data, default_rule_data, filter_action_data,
                                             filter_action_guid, filter_list_data, isakmp_data, policy_data, rule_data)
from netsh_emulator._values import resolve_dns

POLICY_TYPE = "22202163-4f4c-11d1-863b-00a0248d3021"
ISAKMP_TYPE = "80dc20b8-2ec8-11d1-a89e-00a0248d3021"
NEGOTIATION_TYPE = "80dc20b9-2ec8-11d1-a89e-00a0248d3021"
FILTER_TYPE = "80dc20b5-2ec8-11d1-a89e-00a0248d3021"
FILTER_V2_TYPE = "35fecd3d-ae29-4373-8a6a-c5d8fab2fb08"
NFA_TYPE = "11bbac00-498d-11d1-8639-00a0248d3021"


def _sample_blobs(path, class_name: str) -> list[bytes]:
    return [values["ipsecData"].data for values in of_class(sample_objects(path), class_name).values()]


def _sample_filter_list(path, name: str) -> bytes:
    return named(sample_objects(path), "ipsecFilter", name)["ipsecData"].data


def _filter_guids(blob: bytes) -> list[str]:
    """The per-filter GUIDs of a legacy filter list whose strings are all empty (70-byte specs, §8.4)."""
    return [guid_at(blob, 24 + 70 * index + 18) for index in range(u32_at(blob, 20))]


# --- byte-exact against the samples (§8) -------------------------------------------------------------

@pytest.mark.parametrize("sample", [W10, W11])
def test_policy_blob_is_the_samples(emu, sample):
    # §8.1: pollinginterval 180 minutes = 10800 s
    emu.ok("add policy name=P")
    assert policy_data(store(emu).policies[0]) in _sample_blobs(sample, "ipsecPolicy")
    assert policy_data(store(emu).policies[0]).hex() == "632120224c4fd111863b00a0248d302104000000302a000000"


@pytest.mark.parametrize("sample", [W10, W11])
def test_isakmp_blob_is_the_samples(emu, sample):
    # §8.2: 3DES-SHA1-2, mmlifetime 480 min, mmpfs no, qmpermm 0 (the 2019 and 2025 blobs are identical)
    emu.ok("add policy name=P mmsecmethods=3DES-SHA1-2")
    assert [isakmp_data(store(emu).policies[0])] == _sample_blobs(sample, "ipsecISAKMPPolicy")


@pytest.mark.parametrize("sample", [W10, W11])
def test_default_response_blobs_are_the_samples(emu, sample):
    # §8.3 (ESP[3DES,SHA1] then AH[SHA1], no lifetimes, no PFS) and §8.5 (Kerberos, deactivated)
    emu.ok("add policy name=P activatedefaultrule=no")
    emu.ok('set defaultrule policy=P kerberos=yes qmsecmethods="ESP[3DES,SHA1] AH[SHA1]"')
    rule = store(emu).policies[0].default_rule
    objects = sample_objects(sample)
    (sample_action,) = [values["ipsecData"].data for values in of_class(objects, "ipsecNegotiationPolicy").values()
                        if "ipsecName" not in values]
    assert default_response_action_data(rule) == sample_action and len(sample_action) == 185
    (sample_rule,) = [values["ipsecData"].data for values in of_class(objects, "ipsecNFA").values()
                      if "ipsecFilterReference" not in values]
    assert default_rule_data(rule) == sample_rule and len(sample_rule) == 115


@pytest.mark.parametrize(("sample", "action"), [(W10, "block"), (W11, "block"), (W11, "permit")])
def test_block_and_permit_blobs_are_the_samples(emu, sample, action):
    # §8.3 "Block": 25 bytes, no offer; the W11 "Permit" is the same blob
    emu.ok(f"add filteraction name=A action={action}")
    fa = store(emu).filteractions[0]
    sample_values = named(sample_objects(sample), "ipsecNegotiationPolicy", action.capitalize())
    assert filter_action_data(fa) == sample_values["ipsecData"].data
    assert filter_action_data(fa).hex() == "b920dc80c82ed111a89e00a0248d3021" + "04000000" + "00000000" + "00"
    assert filter_action_guid(fa) == sample_values["ipsecNegotiationPolicyAction"].data


@pytest.mark.parametrize(("sample", "conntype"), [(W10, "all"), (W10, "dialup"), (W11, "all")])
def test_rule_blobs_are_the_samples(emu, sample, conntype):
    # §8.5: the block rules differ from the default response rule only in Is-Active (and Interface-Type)
    emu.ok("add policy name=P")
    emu.ok("add filterlist name=L")
    emu.ok("add filteraction name=A action=block")
    emu.ok(f"add rule name=R policy=P filterlist=L filteraction=A kerberos=yes conntype={conntype}")
    data = rule_data(store(emu).policies[0].rules[0])
    assert data in [values["ipsecData"].data for values in of_class(sample_objects(sample), "ipsecNFA").values()
                    if "ipsecFilterReference" in values]


@pytest.mark.parametrize(("sample", "name", "commands"), [
    # §8.4: W11 "Allow List", five filters
    (W11, "Allow List", ["srcaddr=me dstaddr=any protocol=tcp dstport=53 mirrored=no",
                         "srcaddr=me dstaddr=any protocol=tcp dstport=443 mirrored=no",
                         "srcaddr=any dstaddr=me protocol=tcp srcport=443 mirrored=no",
                         "srcaddr=any dstaddr=any protocol=udp dstport=67",
                         "srcaddr=any dstaddr=any protocol=udp dstport=68"]),
    (W11, "Block List", ["srcaddr=any dstaddr=any mirrored=no"]),
    (W10, "Remote Access", ["srcaddr=any dstaddr=any"]),
])
def test_filter_list_blobs_are_the_samples(emu, sample, name, commands):
    for command in commands:
        emu.ok(f'add filter filterlist="{name}" {command}')
    expected = _sample_filter_list(sample, name)
    # the per-filter GUIDs are random on Windows: the sample's are handed to the encoder
    assert filter_list_data(store(emu).filterlists[0], _filter_guids(expected)) == expected


def test_filter_list_without_filters(emu):
    # §6.1: an empty filter list is 24 bytes, length 0, count 0
    emu.ok("add filterlist name=L")
    assert filter_list_data(store(emu).filterlists[0], []).hex() == "b520dc80c82ed111a89e00a0248d3021" + "00000000" + "00000000"


# --- policy and ISAKMP (§3) ----------------------------------------------------------------------------------

def test_policy_polling_interval_in_seconds(emu):
    emu.ok("add policy name=P pollinginterval=5")
    type_guid, length, body = blob_fields(policy_data(store(emu).policies[0]))
    assert (type_guid, length, body) == (POLICY_TYPE, 4, (300).to_bytes(4, "little") + b"\x00")


def test_isakmp_fields_and_methods(emu):
    emu.ok('add policy name=P mmpfs=yes mmlifetime=60 mmsecmethods="DES-MD5-1 3DES-SHA1-3 DES-SHA1-2"')
    blob = isakmp_data(store(emu).policies[0])
    type_guid, length, dummy = blob_fields(blob)
    assert type_guid == ISAKMP_TYPE and len(blob) == 84 + 3 * 64 + 1 and length == len(blob) - 21
    assert blob[20:36] == bytes(16)                                           # instance GUID zero (W10/11)
    assert (u32_at(blob, 40), u32_at(blob, 52), u32_at(blob, 56), u32_at(blob, 80)) == (1, 1, 3600, 3)   # PFS, qmpermm forced 1
    methods = [(u32_at(blob, 84 + 64 * i + 4), u32_at(blob, 84 + 64 * i + 16), u32_at(blob, 84 + 64 * i + 44),
                u32_at(blob, 84 + 64 * i + 56)) for i in range(3)]
    assert methods == [(1, 1, 1, 3600), (3, 2, 0x10000001, 3600), (1, 2, 2, 3600)]
    assert blob[-1] == 0


def test_isakmp_qm_limit_and_no_methods(emu):
    emu.ok("add policy name=P qmpermm=7")
    emu.ok('set policy name=P mmsecmethods=""')
    blob = isakmp_data(store(emu).policies[0])
    assert (len(blob), u32_at(blob, 40), u32_at(blob, 52), u32_at(blob, 80)) == (85, 0, 7, 0)


@pytest.mark.parametrize("command", ["pollinginterval=71582789", "mmlifetime=71582789"])
def test_minutes_beyond_32_bit_seconds_are_refused(emu, command):
    emu.ok(f"add policy name=P {command}")
    policy = store(emu).policies[0]
    with pytest.raises(BlobError, match="does not fit an unsigned 32-bit field"):
        (policy_data if "polling" in command else isakmp_data)(policy)


# --- filter actions (§4) -----------------------------------------------------------------------------------

def _offers(blob: bytes) -> list[dict]:
    offers = []
    for index in range(u32_at(blob, 20)):
        base = 24 + 80 * index
        count = u32_at(blob, base + 16)
        slots = [(u32_at(blob, base + 20 + 20 * s), u32_at(blob, base + 24 + 20 * s), u32_at(blob, base + 28 + 20 * s))
                 for s in range(count)]
        offers.append({"seconds": u32_at(blob, base), "kbytes": u32_at(blob, base + 4), "options": u32_at(blob, base + 8),
                       "pfs": u32_at(blob, base + 12), "slots": slots,
                       "unused": blob[base + 20 + 20 * count:base + 80]})
    return offers


def test_negotiate_offers(emu):
    emu.ok('add filteraction name=A action=negotiate qmpfs=yes soft=yes '
           'qmsecmethods="AH[MD5]+ESP[DES,None]:50000k/300s ESP[None,SHA1]:600s AH[SHA1]:1000k ESP[3DES,MD5]"')
    fa = store(emu).filteractions[0]
    blob = filter_action_data(fa)
    type_guid, length, dummy = blob_fields(blob)
    assert type_guid == NEGOTIATION_TYPE and length == 4 + 5 * 80 and len(blob) == 24 + 5 * 80 + 1 and blob[-1] == 0
    offers = _offers(blob)
    assert [(o["seconds"], o["kbytes"], o["options"], o["pfs"], o["slots"]) for o in offers] == [
        (300, 50000, 0, 1, [(1, 0, 1), (2, 0, 2)]),     # AH MD5, then ESP DES without integrity
        (600, 0, 0, 1, [(1, 2, 2)]),                    # ESP cipher none = 1 (spec numbering), SHA1
        (0, 1000, 0, 1, [(2, 0, 1)]),                   # AH SHA1
        (0, 0, 0, 1, [(3, 1, 2)]),                      # ESP 3DES, MD5
        (0, 0, 0, 1, []),                               # soft=yes: a trailing offer without algorithms
    ]
    assert all(o["unused"] == bytes(len(o["unused"])) for o in offers)
    assert filter_action_guid(fa) == ACTION_NEGOTIATE


def test_negotiate_without_pfs_or_soft(emu):
    emu.ok("add filteraction name=A")     # default methods ESP[3DES,SHA1]:100000k/3600s ESP[3DES,MD5]:100000k/3600s
    offers = _offers(filter_action_data(store(emu).filteractions[0]))
    assert [(o["seconds"], o["kbytes"], o["pfs"], o["slots"]) for o in offers] == [
        (3600, 100000, 0, [(3, 2, 2)]), (3600, 100000, 0, [(3, 1, 2)])]


@pytest.mark.parametrize(("command", "guid", "offers"), [
    ("action=negotiate inpass=yes", ACTION_INBOUND_PASSTHRU, 2),
    ("action=negotiate inpass=no", ACTION_NEGOTIATE, 2),
    ("action=permit soft=yes inpass=yes", ACTION_PERMIT, 0),
    ("action=block soft=yes qmpfs=yes", ACTION_BLOCK, 0),
])
def test_action_guids(emu, command, guid, offers):
    emu.ok(f"add filteraction name=A {command}")
    fa = store(emu).filteractions[0]
    assert filter_action_guid(fa) == guid and u32_at(filter_action_data(fa), 20) == offers


def test_default_response_without_methods(emu):
    # the emulator's default response rule starts with no quick-mode methods: no offer
    emu.ok("add policy name=P")
    assert default_response_action_data(store(emu).policies[0].default_rule).hex() == \
        "b920dc80c82ed111a89e00a0248d3021" + "04000000" + "00000000" + "00"


def test_default_response_qmpfs_on_every_offer(emu):
    emu.ok("add policy name=P")
    emu.ok('set defaultrule policy=P qmpfs=yes qmsecmethods="ESP[DES,MD5] AH[MD5]"')
    offers = _offers(default_response_action_data(store(emu).policies[0].default_rule))
    assert [(o["pfs"], o["slots"]) for o in offers] == [(1, [(2, 1, 2)]), (1, [(1, 0, 1)])]


def test_a_stored_method_without_stored_form_is_refused(emu):
    emu.ok("add filteraction name=A")
    fa = store(emu).filteractions[0]
    fa.qmsecmethods = ["ESP[AES,SHA1]"]
    with pytest.raises(BlobError, match="ESP cipher 'AES' has no stored form"):
        filter_action_data(fa)


# --- rules (§5) ------------------------------------------------------------------------------------------------

def _text(data: bytes) -> str:
    assert data.endswith(b"\x00\x00")
    return data[:-2].decode("utf-16-le")


def _string(blob: bytes, offset: int) -> tuple[str, int]:
    size = u32_at(blob, offset)
    return _text(blob[offset + 4:offset + 4 + size]), offset + 4 + size


def _nfa(blob: bytes) -> dict:
    """A small reader of one NFA blob (§5.1, §5.2) for the checks below."""
    assert blob_fields(blob)[0] == NFA_TYPE
    offset, auth = 24, []
    for dummy in range(u32_at(blob, 20)):
        size = u32_at(blob, offset + 4)
        auth.append((u32_at(blob, offset), blob[offset + 8:offset + 8 + size]))
        offset += 8 + size
    out = {"auth": auth, "interface": u32_at(blob, offset)}
    out["interface_name"], offset = _string(blob, offset + 4)
    out["tunnel"], out["is_tunnel"], out["active"] = blob[offset:offset + 4], u32_at(blob, offset + 4), u32_at(blob, offset + 8)
    out["endpoint_name"], offset = _string(blob, offset + 12)
    assert u32_at(blob, 16) == offset - 20                  # Data-Length: the base part only
    assert blob[offset:offset + 16] == b"\x01" * 16
    alt, offset = [], offset + 20
    for dummy in range(u32_at(blob, offset - 4)):
        size = u32_at(blob, offset + 4)
        alt.append((u32_at(blob, offset), blob[offset + 8:offset + 8 + size]))
        offset += 8 + size
    assert blob[offset:offset + 16] == b"\x01" * 15 + b"\x02"
    out["alt"], out["zero1"] = alt, u32_at(blob, offset + 16)
    out["flags"] = [u32_at(blob, offset + 20 + 4 * i) for i in range(len(alt))]
    offset += 20 + 4 * len(alt)
    out["ipv6"] = None
    if blob[offset:offset + 16] == b"\x01" * 15 + b"\x03":
        out["ipv6"], offset = blob[offset + 16:offset + 32], offset + 32
    assert blob[offset:] == b"\x00"                         # one trailing byte
    return out


def _rule(emu, options: str):
    emu.ok("add policy name=P")
    emu.ok("add filterlist name=L")
    emu.ok("add filteraction name=A")
    emu.ok(f"add rule name=R policy=P filterlist=L filteraction=A {options}")
    return store(emu).policies[0].rules[0]


def test_rule_auth_methods_in_order(emu):
    rule = _rule(emu, 'psk="pre shared" rootca="CN=Root CA certmap:yes excludecaname:yes" kerberos=yes '
                      'rootca="CN=Other" conntype=lan activate=no')
    nfa = _nfa(rule_data(rule))
    assert [(kind, data if kind == 5 else _text(data)) for kind, data in nfa["auth"]] == [
        (1, "pre shared"), (3, "CN=Root CA"), (5, b"\x00\x00"), (3, "CN=Other")]
    assert nfa["alt"] == [(1, nfa["auth"][0][1]), (3, nfa["auth"][1][1]), (5, b""), (3, nfa["auth"][3][1])]
    assert nfa["flags"] == [0, 3, 0, 0] and nfa["zero1"] == 4
    assert (nfa["interface"], nfa["active"], nfa["is_tunnel"], nfa["tunnel"]) == (0xFFFFFFFE, 0, 0, bytes(4))
    assert nfa["interface_name"] == nfa["endpoint_name"] == "" and nfa["ipv6"] is None


@pytest.mark.parametrize(("option", "flags"), [("certmap:yes", 1), ("excludecaname:yes", 2), ("certmap:no excludecaname:no", 0)])
def test_root_ca_flags(emu, option, flags):
    nfa = _nfa(rule_data(_rule(emu, f'rootca="CN=Root {option}"')))
    assert nfa["flags"] == [flags] and _text(nfa["auth"][0][1]) == "CN=Root"


def test_rule_without_auth_methods(emu):
    nfa = _nfa(rule_data(_rule(emu, "conntype=dialup")))
    assert (nfa["auth"], nfa["alt"], nfa["zero1"], nfa["flags"], nfa["interface"], nfa["active"]) == ([], [], 0, [], 0xFFFFFFFF, 1)


def test_ipv4_tunnel(emu):
    nfa = _nfa(rule_data(_rule(emu, "tunnel=192.0.2.7")))
    assert (nfa["tunnel"], nfa["is_tunnel"], nfa["ipv6"]) == (bytes([192, 0, 2, 7]), 1, None)


def test_ipv6_tunnel_in_the_extension(emu):
    nfa = _nfa(rule_data(_rule(emu, "tunnel=2001:db8::7 kerberos=yes")))
    assert (nfa["tunnel"], nfa["is_tunnel"]) == (bytes(4), 1)
    assert nfa["ipv6"] == ipaddress.IPv6Address("2001:db8::7").packed


def test_default_rule_without_methods(emu):
    emu.ok("add policy name=P")
    nfa = _nfa(default_rule_data(store(emu).policies[0].default_rule))
    assert (nfa["auth"], nfa["interface"], nfa["active"], nfa["is_tunnel"]) == ([], 0xFFFFFFFD, 1, 0)


# --- filters (§6) -------------------------------------------------------------------------------------------------

def _legacy(blob: bytes) -> tuple[list[dict], int]:
    """The legacy specs of a filter list (§6.2) and the offset after them."""
    offset, specs = 24, []
    for dummy in range(u32_at(blob, 20)):
        src_dns, offset = _string(blob, offset)
        dst_dns, offset = _string(blob, offset)
        description, offset = _string(blob, offset)
        fixed = blob[offset:offset + 52]
        specs.append({"src_dns": src_dns, "dst_dns": dst_dns, "description": description, "guid": guid_at(blob, offset),
                      "mirror": u32_at(fixed, 16),
                      "src": (str(ipaddress.IPv4Address(fixed[20:24])), str(ipaddress.IPv4Address(fixed[24:28]))),
                      "dst": (str(ipaddress.IPv4Address(fixed[28:32])), str(ipaddress.IPv4Address(fixed[32:36]))),
                      "tunnel": fixed[36:40], "protocol": u32_at(fixed, 40),
                      "ports": (int.from_bytes(fixed[44:46], "little"), int.from_bytes(fixed[46:48], "little")),
                      "is_tunnel": fixed[48], "special": fixed[49], "options": fixed[50:52]})
        offset += 52
    assert u32_at(blob, 16) == offset - 24                  # Data-Length1: the specs, not the count (W10/11)
    return specs, offset


def _filters(emu, *commands: str) -> bytes:
    for command in commands:
        emu.ok(f"add filter filterlist=L {command}")
    fl = store(emu).filterlists[0]
    return filter_list_data(fl, [f"00000000-0000-4000-8000-{index:012x}" for index in range(len(fl.filters))])


def test_legacy_addresses_ports_and_strings(emu):
    blob = _filters(emu, "srcaddr=10.1.0.0 srcmask=16 dstaddr=me protocol=tcp srcport=1024 dstport=3389 mirrored=no",
                    'srcaddr=any dstaddr=192.0.2.1 protocol=17 dstport=1701 description="L2TP ünicode"',
                    "srcaddr=host.example.com dstaddr=PEER.Example.Org protocol=icmp")
    specs, end = _legacy(blob)
    assert blob_fields(blob)[0] == FILTER_TYPE and end == len(blob)    # no trailing byte, no V2 block
    first, second, third = specs
    assert (first["src"], first["dst"], first["mirror"], first["protocol"], first["ports"]) == (
        ("10.1.0.0", "255.255.0.0"), ("0.0.0.0", "255.255.255.255"), 0, 6, (1024, 3389))
    assert (second["src"], second["dst"], second["mirror"], second["description"], second["ports"]) == (
        ("0.0.0.0", "0.0.0.0"), ("192.0.2.1", "255.255.255.255"), 1, "L2TP ünicode", (0, 1701))
    assert (third["src_dns"], third["dst_dns"], third["protocol"]) == ("host.example.com", "PEER.Example.Org", 1)
    # a DNS name: the name as typed, and the emulator's resolved address /32
    assert (third["src"], third["dst"]) == ((resolve_dns("srcaddr", "host.example.com"), "255.255.255.255"),
                                            (resolve_dns("dstaddr", "peer.example.org"), "255.255.255.255"))
    assert [spec["guid"] for spec in specs] == [f"00000000-0000-4000-8000-{index:012x}" for index in range(3)]
    assert all(spec["tunnel"] == bytes(4) and spec["is_tunnel"] == 0 and spec["special"] == 0 and spec["options"] == bytes(2)
               for spec in specs)


@pytest.mark.parametrize(("server", "code"), [("dns", 0x01), ("wins", 0x02), ("dhcp", 0x03), ("gateway", 0x04)])
def test_server_types_are_special_filters(emu, server, code):
    blob = _filters(emu, f"srcaddr={server} dstaddr=me", f"srcaddr=me dstaddr={server.upper()}")
    source, destination = _legacy(blob)[0]
    assert (source["special"], source["src"], source["dst"]) == (code, ("0.0.0.0", "0.0.0.0"), ("0.0.0.0", "255.255.255.255"))
    assert (destination["special"], destination["src"], destination["dst"]) == (
        0x80 | code, ("0.0.0.0", "255.255.255.255"), ("0.0.0.0", "0.0.0.0"))


def test_ranges_and_ipv6_go_into_the_v2_block(emu):
    blob = _filters(emu, "srcaddr=any dstaddr=10.0.0.1", "srcaddr=10.0.0.1-10.0.0.9 dstaddr=me protocol=tcp dstport=22",
                    "srcaddr=2001:db8::1 dstaddr=any mirrored=no", "srcaddr=me dstaddr=fe80::1-fe80::ff")
    specs, offset = _legacy(blob)
    assert len(specs) == 1 and specs[0]["dst"] == ("10.0.0.1", "255.255.255.255")
    assert guid_at(blob, offset) == FILTER_V2_TYPE
    length, n11, n2 = u32_at(blob, offset + 16), u32_at(blob, offset + 20), u32_at(blob, offset + 24)
    assert (n11, n2) == (0, 3) and length == len(blob) - offset - 28 == 3 * (18 + 16 + 4 + 80 + 16 + 8)
    v2 = []
    at = offset + 28
    for dummy in range(n2):
        at += 18                                              # three empty strings
        fields = blob[at + 16:at + 16 + 108]
        v2.append({"mirror": u32_at(fields, 0), "src": (u32_at(fields, 4), u32_at(fields, 8), fields[12:28], fields[28:44]),
                   "dst": (u32_at(fields, 44), u32_at(fields, 48), fields[52:68], fields[68:84]),
                   "ports": (u32_at(fields, 84), fields[88:90], u32_at(fields, 92), fields[96:98]),
                   "protocol": u32_at(fields, 100), "flags": u32_at(fields, 104)})
        at += 16 + 108
    assert at == len(blob)
    ipv4 = ipaddress.IPv4Address
    ipv6 = ipaddress.IPv6Address
    assert v2[0]["src"] == (2, 1, ipv4("10.0.0.1").packed + bytes(12), ipv4("10.0.0.9").packed + bytes(12))
    assert v2[0]["dst"] == (8, 1, bytes(16), bytes(16)) and v2[0]["protocol"] == 6
    assert v2[0]["ports"] == (0, bytes(2), 1, (22).to_bytes(2, "little")) and v2[0]["mirror"] == 1
    assert v2[1]["src"] == (1, 2, ipv6("2001:db8::1").packed, bytes(16)) and v2[1]["dst"] == (0, 2, bytes(16), bytes(16))
    assert v2[1]["mirror"] == 0
    assert v2[2]["src"] == (8, 2, bytes(16), bytes(16))
    assert v2[2]["dst"] == (2, 2, ipv6("fe80::1").packed, ipv6("fe80::ff").packed)
    assert all(spec["flags"] == 0 for spec in v2)


def test_a_subnet_beside_an_ipv6_address_is_a_v2_subnet(emu):
    blob = _filters(emu, "srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=2001:db8::2")
    offset = _legacy(blob)[1] + 28 + 18 + 16
    assert (u32_at(blob, offset + 4), u32_at(blob, offset + 8)) == (4, 1)
    assert blob[offset + 12:offset + 16] == bytes([10, 0, 0, 0]) and blob[offset + 28:offset + 32] == bytes([255, 0, 0, 0])


def test_a_filter_list_with_a_foreign_endpoint_is_refused(emu):
    emu.ok("add filter filterlist=L srcaddr=any dstaddr=me")
    fl = store(emu).filterlists[0]
    fl.filters[0].src = type(fl.filters[0].src)("multicast", "224.0.0.1")
    with pytest.raises(BlobError, match="address kind 'multicast' has no stored form"):
        filter_list_data(fl, ["00000000-0000-4000-8000-000000000001"])
