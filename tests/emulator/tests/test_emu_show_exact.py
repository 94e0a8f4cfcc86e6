"""Exact show output (docs/netsh-output-format.md): bytes, CRLF, padding, order."""

from __future__ import annotations

import pytest

from netsh_emulator._values import resolve_dns


def _doc(*blocks: list[str]) -> bytes:
    """Leading blank line, blank line between blocks, CRLF everywhere (format doc §1)."""
    text = "\r\n" + "\r\n".join("".join(line + "\r\n" for line in block) for block in blocks)
    return text.encode("cp437")


WEB_LIST = [
    "FilterList Name        : Web",
    "Description            : Inbound web protocols",
    "Store                  : Local Store <WIN-EMULATED>",
    "Last Modified          : 4/21/2021 6:47:44 PM",
    "GUID                   : {00000000-0000-4000-8000-000000000001}",
    "No. of Filters         : 2",
    "Filter(s)",
    "---------",
    "Description            : NONE",
    "Mirrored               : YES",
    "Source IP Address      : <Any IP Address>",
    "Source Mask            : 0.0.0.0",
    "Source DNS Name        : <Any IP Address>",
    "Destination IP Address : <My IP Address>",
    "Destination DNS Name   : <My IP Address>",
    "Protocol               : TCP",
    "Source Port            : ANY",
    "Destination Port       : 80",
    "",
    "Description            : 443",
    "Mirrored               : NO",
    "Source IP Address      : 10.0.0.0",
    "Source Mask            : 255.255.255.0",
    "Source DNS Name        : 10.0.0.0",
    "Destination IP Address : 192.168.1.1",
    "Destination Mask       : 255.255.255.255",
    "Destination DNS Name   : 192.168.1.1",
    "Protocol               : TCP",
    "Source Port            : ANY",
    "Destination Port       : 443",
]


def _web(emu) -> None:
    emu.ok('add filterlist Web "Inbound web protocols"')
    emu.ok("add filter filterlist=Web srcaddr=any srcmask=32 dstaddr=me protocol=TCP dstport=80")
    emu.ok("add filter Web 10.0.0.0 192.168.1.1 443 tcp no 24 dstport=443")


def test_filterlist_verbose(emu):
    _web(emu)
    assert emu("show filterlist name=Web level=verbose").raw == _doc(WEB_LIST)


def test_filterlist_normal(emu):
    _web(emu)
    assert emu("show filterlist Web").raw == _doc([
        "FilterList Name        : Web",
        "Description            : Inbound web protocols",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "No. of Filters         : 2",
    ])


def test_empty_filterlist_has_no_filter_header(emu):
    emu.ok("add filterlist Empty")
    assert emu("show filterlist all level=verbose").raw == _doc([
        "FilterList Name        : Empty",
        "Description            : NONE",
        "Store                  : Local Store <WIN-EMULATED>",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "GUID                   : {00000000-0000-4000-8000-000000000001}",
        "No. of Filters         : 0",
    ])


def test_special_addresses(emu):
    emu.ok("add filter L srcaddr=E3D7::51F4:9BC8:00A8:6420 dstaddr=10.0.0.1-10.0.0.9 protocol=47")
    emu.ok("add filter L srcaddr=DHCP dstaddr=me protocol=udp srcport=67 dstport=68")
    emu.ok("add filter L srcaddr=Host.Example.com dstaddr=me mirrored=no protocol=raw")
    out = emu("show filterlist L level=verbose", NETSH_EMU_COMPUTERNAME="BOX1").out
    resolved = resolve_dns("x", "host.example.com")
    assert out.endswith("\r\n".join([
        "Store                  : Local Store <BOX1>",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "GUID                   : {00000000-0000-4000-8000-000000000001}",
        "No. of Filters         : 3",
        "Filter(s)",
        "---------",
        "Description            : NONE",
        "Mirrored               : YES",
        "Source IP Address      : e3d7::51f4:9bc8:a8:6420",
        "Source DNS Name        : e3d7::51f4:9bc8:a8:6420",
        "Destination IP Address : 10.0.0.1-10.0.0.9",
        "Destination DNS Name   : 10.0.0.1-10.0.0.9",
        "Protocol               : 47",
        "Source Port            : ANY",
        "Destination Port       : ANY",
        "",
        "Description            : NONE",
        "Mirrored               : YES",
        "Source IP Address      : <DHCP Server>",
        "Source DNS Name        : <DHCP Server>",
        "Destination IP Address : <My IP Address>",
        "Destination DNS Name   : <My IP Address>",
        "Protocol               : UDP",
        "Source Port            : 67",
        "Destination Port       : 68",
        "",
        "Description            : NONE",
        "Mirrored               : NO",
        f"Source IP Address      : {resolved}",
        "Source Mask            : 255.255.255.255",
        "Source DNS Name        : Host.Example.com",
        "Destination IP Address : <My IP Address>",
        "Destination DNS Name   : <My IP Address>",
        "Protocol               : RAW",
        "Source Port            : ANY",
        "Destination Port       : ANY",
    ]) + "\r\n")


def test_policy_normal_kb_block(emu):
    emu.ok("add policy netbc assign=yes")
    assert emu("show policy all").raw == _doc([
        "Policy Name            : netbc",
        "Description            : NONE",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "Assigned               : YES",
        "Master PFS             : NO",
        "Polling Interval       : 180 minutes",
    ])


PACKET_FILTER = [
    "Policy Name            : Packet Filter",
    "Description            : NONE",
    "Store                  : Local Store <WIN-EMULATED>",
    "Last Modified          : 4/21/2021 6:47:44 PM",
    "GUID                   : {00000000-0000-4000-8000-000000000001}",
    "Assigned               : NO",
    "Master PFS             : NO",
    "Polling Interval       : 180 minutes",
    "MM Lifetime            : 480 minutes",
    "QM Per MM              : 0",
    "MM Sec. Methods        : 3DES-SHA1-2 3DES-MD5-2",
    "No. of Rules           : 2",
    "",
    "Default Response Rule",
    "---------------------",
    "Activated              : NO",
    "QMPFS                  : NO",
    "QM Sec. Methods        : NONE",
    "Auth Method            : Kerberos",
    "",
    "Rule(s)",
    "-------",
    "Rule Name              : Inbound web protocols",
    "Description            : NONE",
    "Activated              : YES",
    "Conn. Type             : ALL",
    "Tunnel Endpoint        : NONE",
    "FilterList Name        : Web",
    "FilterAction Name      : Permit",
    "Auth Method            : Kerberos",
    "",
    "Rule Name              : All inbound traffic",
    "Description            : block the rest",
    "Activated              : NO",
    "Conn. Type             : LAN",
    "Tunnel Endpoint        : 10.9.9.9",
    "FilterList Name        : All",
    "FilterAction Name      : Block",
    "Auth Method            : Preshared Key = s3cret key",
    "Auth Method            : Root CA = CN=Root, O=Org, CertMap = NO, ExcludeCAName = YES",
]

PERMIT = [
    "FilterAction Name      : Permit",
    "Description            : NONE",
    "Store                  : Local Store <WIN-EMULATED>",
    "Last Modified          : 4/21/2021 6:47:44 PM",
    "GUID                   : {00000000-0000-4000-8000-000000000004}",
    "Action                 : PERMIT",
    "QMPFS                  : NO",
    "Inbound Passthru       : NO",
    "Soft Association       : NO",
    "QM Sec. Methods        : NONE",
]


def _packet_filter(emu) -> None:
    emu.ok('add policy "Packet Filter" mmsecmethods="3des-sha1-2 3DES-md5-2"')        # GUID 1
    emu.ok("add filterlist Web")                                                     # GUID 2
    emu.ok("add filterlist All")                                                     # GUID 3
    emu.ok("add filteraction Permit action=permit")                                  # GUID 4
    emu.ok("add filteraction Block action=block")                                    # GUID 5
    emu.ok('add rule "Inbound web protocols" "Packet Filter" Web Permit kerberos=yes')
    emu.ok('add rule name="All inbound traffic" policy="Packet Filter" filterlist=All filteraction=Block '
           'conntype=lan activate=no tunnel=10.9.9.9 description="block the rest" '
           'psk="s3cret key" rootca="CN=Root, O=Org excludecaname:yes"')
    emu.ok('set defaultrule "Packet Filter" activate=no kerberos=yes')


def test_policy_verbose(emu):
    _packet_filter(emu)
    assert emu('show policy name="Packet Filter" level=verbose').raw == _doc(PACKET_FILTER)


def test_policy_verbose_without_rules_has_no_rule_header(emu):
    emu.ok("add policy P mmpfs=yes pollinginterval=5 mmlifetime=60 description=d")
    out = emu("show policy P level=verbose").out
    assert out.endswith("\r\n".join([
        "Assigned               : NO",
        "Master PFS             : YES",
        "Polling Interval       : 5 minutes",
        "MM Lifetime            : 60 minutes",
        "QM Per MM              : 1",
        "MM Sec. Methods        : 3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1",
        "No. of Rules           : 0",
        "",
        "Default Response Rule",
        "---------------------",
        "Activated              : YES",
        "QMPFS                  : NO",
        "QM Sec. Methods        : NONE",
    ]) + "\r\n")


def test_filteraction_levels(emu):
    emu.ok("add filteraction Neg description=secure qmpfs=yes inpass=y soft=y")
    assert emu("show filteraction Neg level=verbose").raw == _doc([
        "FilterAction Name      : Neg",
        "Description            : secure",
        "Store                  : Local Store <WIN-EMULATED>",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "GUID                   : {00000000-0000-4000-8000-000000000001}",
        "Action                 : NEGOTIATE",
        "QMPFS                  : YES",
        "Inbound Passthru       : YES",
        "Soft Association       : YES",
        "QM Sec. Methods        : ESP[3DES,SHA1]:100000k/3600s ESP[3DES,MD5]:100000k/3600s",
    ])
    assert emu("show filteraction all").raw == _doc([
        "FilterAction Name      : Neg",
        "Description            : secure",
        "Last Modified          : 4/21/2021 6:47:44 PM",
        "Action                 : NEGOTIATE",
    ])


def test_show_all_order_and_sections(emu):
    _packet_filter(emu)
    out = emu("show all").raw
    policy = _doc(PACKET_FILTER)
    assert out.startswith(policy)
    rest = out[len(policy):].decode("cp437")
    heads = [line for line in rest.split("\r\n") if line.startswith(("FilterList Name", "FilterAction Name"))]
    assert heads == ["FilterList Name        : Web", "FilterList Name        : All",
                     "FilterAction Name      : Permit", "FilterAction Name      : Block"]
    assert "\r\n".join(PERMIT) in rest


def test_show_all_empty_store(emu):
    assert emu("show all").raw == b"\r\n"


def test_show_rule_variants(emu):
    _packet_filter(emu)
    assert emu('show rule name="Inbound web protocols" policy="Packet Filter"').raw == _doc(PACKET_FILTER[22:30])
    assert emu('show rule id=2 policy="Packet Filter"').raw == _doc(PACKET_FILTER[31:])
    assert emu('show rule all policy="Packet Filter"').raw == _doc(PACKET_FILTER[22:30], PACKET_FILTER[31:])
    assert emu('show rule all policy="Packet Filter" type=tunnel').raw == _doc(PACKET_FILTER[31:])
    assert emu('show rule default policy="Packet Filter"').raw == _doc(PACKET_FILTER[13:19])


def test_show_by_rule(emu):
    _packet_filter(emu)
    assert emu('show filterlist rule="All inbound traffic"').out.startswith("\r\nFilterList Name        : All\r\n")
    assert emu('show filteraction rule="Inbound web protocols"').out.startswith(
        "\r\nFilterAction Name      : Permit\r\n")
    emu.err("show filterlist rule=Nope", 5903)


@pytest.mark.parametrize(("style", "stamp", "shown"), [
    ("en-US", "2021-04-21T00:05:09", "4/21/2021 12:05:09 AM"),
    ("en-US", "2021-12-01T12:00:00", "12/1/2021 12:00:00 PM"),
    ("en-GB", "2021-04-22T18:47:44", "22/04/2021 18:47:44"),
    ("zh-CN", "2021-04-22T08:07:06", "2021/4/22 8:07:06"),
])
def test_date_styles(emu, style, stamp, shown):
    emu.ok("add filterlist L", NETSH_EMU_NOW=stamp)
    out = emu("show filterlist L", NETSH_EMU_DATE_STYLE=style).out
    assert f"Last Modified          : {shown}\r\n" in out


def test_long_labels_are_not_padded():
    from netsh_emulator._locale import Settings
    from netsh_emulator._show import field
    assert field(Settings(), "Destination IP Address", "x") == "Destination IP Address : x"
    assert field(Settings(), "A label of exactly 23 c", "x") == "A label of exactly 23 c: x"
    assert field(Settings(), "A label longer than 23 chars", "x") == "A label longer than 23 chars: x"


def test_success_is_silent_or_configured(emu):
    assert emu("add policy P").raw == b""
    res = emu("add policy Q", NETSH_EMU_SUCCESS_TEXT="Ok.")
    assert (res.rc, res.raw) == (0, b"Ok.\r\n")
