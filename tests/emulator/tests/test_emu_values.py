"""Value parsing and normalisation (SYNTAX.md §3, format doc §2)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsh_emulator._messages import InvalidValue, IpsecError
from netsh_emulator._values import (Endpoint, parse_address, parse_mask, parse_mm_methods,
                                    parse_protocol, parse_qm_methods, parse_rootca, parse_tunnel,
                                    resolve_dns, with_mask)


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("any", "any", ""), ("ANY", "any", ""), ("Me", "me", ""),
    ("DNS", "server", "DNS"), ("wins", "server", "WINS"), ("Dhcp", "server", "DHCP"),
    ("gateway", "server", "GATEWAY"),
    ("10.1.2.3", "ipv4", "10.1.2.3"), ("010.001.002.003", "ipv4", "10.1.2.3"),
    ("0.0.0.0", "ipv4", "0.0.0.0"),
    ("E3D7::51F4:9BC8:00A8:6420", "ipv6", "e3d7::51f4:9bc8:a8:6420"),
    ("2001:DB8:0:0:0:0:0:1", "ipv6", "2001:db8::1"),
    ("192.168.2.1-192.168.2.10", "range", "192.168.2.1-192.168.2.10"),
    ("fe80::1-FE80::9", "range", "fe80::1-fe80::9"),
])
def test_addresses(text, kind, value):
    ep = parse_address("srcaddr", text)
    assert (ep.kind, ep.value) == (kind, value)


@pytest.mark.parametrize("text", [
    "192.168.2.1-192,168.2.10",   # the help text's own typo [S2]
    "10.0.0.1-fe80::1", "10.0.0.9-10.0.0.1", "300.1.1.1", "1.2.3", "", "a b", "10.0.0.1-", "fe80::zz",
    "-host", "fe80::1%eth0",
])
def test_bad_addresses(text):
    with pytest.raises(InvalidValue):
        parse_address("srcaddr", text)


def test_dns_names_resolve_deterministically_into_198_18_0_0_15():
    ep = parse_address("dstaddr", "Www.Example.COM")
    assert ep.kind == "dns" and ep.name == "Www.Example.COM"
    assert ep.value == resolve_dns("x", "www.example.com")
    assert ipaddress.IPv4Address(ep.value) in ipaddress.IPv4Network("198.18.0.0/15")
    assert parse_address("dstaddr", "my-host").kind == "dns"
    with pytest.raises(IpsecError) as info:
        parse_address("dstaddr", "host.invalid")
    assert info.value.code == 5912


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9]{0,10}){0,3}", fullmatch=True))
def test_dns_resolution_stays_in_benchmark_range(name):
    address = ipaddress.IPv4Address(resolve_dns("t", name))
    net = ipaddress.IPv4Network("198.18.0.0/15")
    assert address in net and address not in (net.network_address, net.broadcast_address)


@pytest.mark.parametrize(("text", "dotted"), [
    ("32", "255.255.255.255"), ("24", "255.255.255.0"), ("1", "128.0.0.0"),
    ("255.255.0.0", "255.255.0.0"), ("0.0.0.0", "0.0.0.0"),
])
def test_masks(text, dotted):
    assert parse_mask("srcmask", text) == dotted


@pytest.mark.parametrize("text", ["0", "33", "255.0.255.0", "abc", "-1", "255.255.255.256"])
def test_bad_masks(text):
    with pytest.raises(InvalidValue):
        parse_mask("srcmask", text)


def test_effective_masks():
    assert with_mask(Endpoint("any"), "m", "32").mask == "0.0.0.0"            # [S5]
    assert with_mask(Endpoint("me"), "m", "24").mask is None
    assert with_mask(Endpoint("ipv4", "1.2.3.4"), "m", None).mask == "255.255.255.255"
    assert with_mask(Endpoint("ipv6", "::1"), "m", None).mask is None
    assert with_mask(Endpoint("dns", "198.18.0.1", "h"), "m", "8").mask == "255.255.255.255"
    assert with_mask(Endpoint("server", "DNS"), "m", None).mask is None
    with pytest.raises(InvalidValue):
        with_mask(Endpoint("range", "1.1.1.1-1.1.1.2"), "m", "32")


@pytest.mark.parametrize(("text", "number"), [
    ("any", 0), ("ICMP", 1), ("tcp", 6), ("Udp", 17), ("RAW", 255), ("47", 47), ("0", 0), ("255", 255),
])
def test_protocols(text, number):
    assert parse_protocol("protocol", text) == number


@pytest.mark.parametrize("text", ["256", "-1", "gre", ""])
def test_bad_protocols(text):
    with pytest.raises(InvalidValue):
        parse_protocol("protocol", text)


def test_mm_methods():
    assert parse_mm_methods("m", "3des-sha1-2  des-MD5-1 3DES-SHA1-3") == ["3DES-SHA1-2", "DES-MD5-1", "3DES-SHA1-3"]
    assert parse_mm_methods("m", "") == []
    for bad in ["AES128-SHA256-14", "3DES-SHA1-4", "3DES-SHA1", "3DES-SHA1 DHGroup2"]:
        with pytest.raises(InvalidValue):
            parse_mm_methods("m", bad)


def test_qm_methods():
    assert parse_qm_methods("q", "esp[3des,sha1]:100000K/3600S ah[md5]:300s "
                                 "AH[SHA1]+ESP[DES,none]:50000k esp[none,md5]") == [
        "ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]:300s", "AH[SHA1]+ESP[DES,None]:50000k", "ESP[None,MD5]"]
    for bad in ["ESP[AES,SHA1]:1k/1s", "ESP[None,None]:1k", "AH[None]:1s", "ESP[3DES,SHA1]:0s",
                "ESP[3DES,SHA1]:3600s/100k", "3DES-SHA1"]:
        with pytest.raises(InvalidValue):
            parse_qm_methods("q", bad)


def test_rootca():
    assert parse_rootca("r", "C=US,O=MSFT,CN=\\'Microsoft North, South\\' certmap:yes excludecaname:no") == {
        "kind": "rootca", "cert": "C=US,O=MSFT,CN=\\'Microsoft North, South\\'", "certmap": True,
        "excludecaname": False}
    assert parse_rootca("r", "CN=x excludecaname:Y CERTMAP:n")["excludecaname"] is True
    for bad in ["certmap:yes", "", "CN=x certmap:maybe", "CN=x certmap:yes certmap:no"]:
        with pytest.raises(InvalidValue):
            parse_rootca("r", bad)


def test_tunnel():
    assert parse_tunnel("t", "") is None
    assert parse_tunnel("t", "10.0.0.1") == "10.0.0.1"
    assert parse_tunnel("t", "gw.example.com").startswith("198.1")
    with pytest.raises(InvalidValue):
        parse_tunnel("t", "me")
