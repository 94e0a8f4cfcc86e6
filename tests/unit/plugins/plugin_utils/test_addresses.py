# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Endpoint.parse at its rejection boundaries: every spelling netsh takes (SYNTAX.md §3.1) in its one
canonical form, every refusal naming the field (or ``<field>_mask``), the value and the reason."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import ANY, ME, SERVER_TYPES, AddressKind, Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput

HELP = ("expected any, me, dns, wins, dhcp, gateway, an IPv4 or IPv6 address, an IPv4 subnet (a.b.c.d/nn or with a mask), "
        "a range a-b, or a DNS name")


def ip(value: str, prefix: int) -> Endpoint:
    return Endpoint(AddressKind.IP, value, prefix)


@pytest.mark.parametrize(
    ("text", "mask", "expected"),
    [
        ("any", None, ANY), (" ANY ", "0", ANY), ("Any", "0.0.0.0", ANY), ("any", 0, ANY),
        ("me", None, ME), ("ME", None, ME),
        *((server.upper(), None, Endpoint(AddressKind.SERVER, server)) for server in SERVER_TYPES),
        ("10.0.0.5", None, ip("10.0.0.5", 32)), ("10.0.0.5", "255.255.255.255", ip("10.0.0.5", 32)), ("10.0.0.5", 32, ip("10.0.0.5", 32)),
        ("10.0.0.0", "255.255.255.0", ip("10.0.0.0", 24)), ("10.0.0.0", " 8 ", ip("10.0.0.0", 8)), ("10.0.0.0/8", None, ip("10.0.0.0", 8)),
        ("10.0.0.0", 1, ip("10.0.0.0", 1)),
        ("0.0.0.0", "0.0.0.0", ANY), ("0.0.0.0/0", None, ANY), ("0.0.0.0", 0, ANY),
        ("2001:DB8:0:0::1", None, ip("2001:db8::1", 128)), ("2001:db8::1", 128, ip("2001:db8::1", 128)), ("2001:db8::1", "128", ip("2001:db8::1", 128)),
        ("10.0.0.1-10.0.0.9", None, Endpoint(AddressKind.RANGE, "10.0.0.1-10.0.0.9")),
        ("10.0.0.1-10.0.0.1", None, Endpoint(AddressKind.RANGE, "10.0.0.1-10.0.0.1")),  # a-a: one address
        ("2001:DB8::1-2001:db8::ff", None, Endpoint(AddressKind.RANGE, "2001:db8::1-2001:db8::ff")),
        ("Server-1.Example.COM", None, Endpoint(AddressKind.DNS, "server-1.example.com")),
        ("localhost", None, Endpoint(AddressKind.DNS, "localhost")),
        ("a" * 63 + ".example", None, Endpoint(AddressKind.DNS, "a" * 63 + ".example")),
        (".".join(["a" * 63] * 3 + ["b" * 61]), None, Endpoint(AddressKind.DNS, ".".join(["a" * 63] * 3 + ["b" * 61]))),  # 253
        ("host.1a", None, Endpoint(AddressKind.DNS, "host.1a")),
    ],
)
def test_every_spelling_has_one_canonical_endpoint(text, mask, expected):
    assert Endpoint.parse(text, mask, field="srcaddr") == expected


@pytest.mark.parametrize(
    ("text", "mask", "field", "value", "reason"),
    [
        (None, None, "srcaddr", None, HELP), ("", None, "srcaddr", "", HELP), ("  ", None, "srcaddr", "  ", HELP), (5, None, "srcaddr", 5, HELP),
        ("any", "255.0.0.0", "srcaddr_mask", "255.0.0.0", "any takes no mask other than 0.0.0.0"),
        ("any", 8, "srcaddr_mask", 8, "any takes no mask other than 0.0.0.0"),
        ("me", "0", "srcaddr_mask", "0", "a mask does not apply to me"),
        ("dns", 24, "srcaddr_mask", 24, "a mask does not apply to a server type"),
        ("host.example.com", "255.255.255.0", "srcaddr_mask", "255.255.255.0", "a mask does not apply to a DNS name"),
        ("10.0.0.0/8", "8", "srcaddr_mask", "8", "give the mask either as /nn on the address or as a mask, not both"),
        ("10.0.0.0/33", None, "srcaddr", "10.0.0.0/33", "a prefix length must be 0-32"),
        ("10.0.0.0/-1", None, "srcaddr", "10.0.0.0/-1", "expected a dotted IPv4 mask with contiguous ones, or a prefix length 0-32"),
        ("host/8", None, "srcaddr", "host/8", HELP),
        ("10.0.0.0", 33, "srcaddr_mask", 33, "a prefix length must be 0-32"),
        ("10.0.0.0", -1, "srcaddr_mask", -1, "expected a dotted IPv4 mask with contiguous ones, or a prefix length 0-32"),
        ("10.0.0.0", "255.0.255.0", "srcaddr_mask", "255.0.255.0", "expected a dotted IPv4 mask with contiguous ones, or a prefix length 0-32"),
        ("10.0.0.0", True, "srcaddr_mask", True, "expected a dotted IPv4 mask or a prefix length 0-32"),
        ("10.0.0.0", 0, "srcaddr_mask", 0, "mask 0.0.0.0 (prefix 0) is only meaningful with any"),
        ("0.0.0.0", None, "srcaddr", "0.0.0.0", "0.0.0.0 is only meaningful with mask 0.0.0.0; write any"),
        ("0.0.0.0/8", None, "srcaddr", "0.0.0.0/8", "0.0.0.0 is only meaningful with mask 0.0.0.0; write any"),
        ("2001:db8::1", 64, "srcaddr_mask", 64, "an IPv6 address takes no mask (netsh masks are IPv4 prefixes 1-32)"),
        ("2001:db8::/32", None, "srcaddr", "2001:db8::/32", "an IPv6 address takes no mask (netsh masks are IPv4 prefixes 1-32)"),
        ("fe80::1%eth0", None, "srcaddr", "fe80::1%eth0", "an IPv6 zone index (the %... after the address) cannot be given to netsh: leave it out"),
        ("fe80::1%2-fe80::9", None, "srcaddr", "fe80::1%2-fe80::9",
         "an IPv6 zone index (the %... after the address) cannot be given to netsh: leave it out"),
        ("fe80::9-fe80::10%2", None, "srcaddr", "fe80::9-fe80::10%2",
         "an IPv6 zone index (the %... after the address) cannot be given to netsh: leave it out"),
        ("10.0.0.9-10.0.0.1", None, "srcaddr", "10.0.0.9-10.0.0.1", "a range must start at its lower address"),
        ("10.0.0.1-2001:db8::1", None, "srcaddr", "10.0.0.1-2001:db8::1", "a range needs two addresses of the same family, a-b"),
        ("10.0.0.1-host", None, "srcaddr", "10.0.0.1-host", "a range needs two addresses of the same family, a-b"),
        ("host-10.0.0.1", None, "srcaddr", "host-10.0.0.1", "a range needs two addresses of the same family, a-b"),
        ("10.0.0.1-10.0.0.9", "255.255.255.0", "srcaddr_mask", "255.255.255.0", "a mask does not apply to an address range"),
        ("10.0.0.1-10.0.0.2-10.0.0.3", None, "srcaddr", "10.0.0.1-10.0.0.2-10.0.0.3", HELP),
        ("1.2.3.999", None, "srcaddr", "1.2.3.999", HELP),  # all-digit last label: a mistyped address, not a name
        ("-host.example.com", None, "srcaddr", "-host.example.com", HELP),
        ("host-.example.com", None, "srcaddr", "host-.example.com", HELP),
        ("host.example.com.", None, "srcaddr", "host.example.com.", HELP),
        ("a" * 64 + ".example", None, "srcaddr", "a" * 64 + ".example", HELP),
        (".".join(["a" * 63] * 3 + ["b" * 62]), None, "srcaddr", ".".join(["a" * 63] * 3 + ["b" * 62]), HELP),  # 254
        ("host_name.example", None, "srcaddr", "host_name.example", HELP),
    ],
)
def test_a_refusal_names_the_field_the_value_and_why(text, mask, field, value, reason):
    with pytest.raises(InvalidInput) as caught:
        Endpoint.parse(text, mask, field="srcaddr")
    assert (caught.value.field, caught.value.value, caught.value.reason) == (field, value, reason)


@pytest.mark.parametrize(
    ("endpoint", "address", "mask", "text"),
    [
        (ANY, "any", None, "any"),
        (ME, "me", None, "me"),
        (Endpoint(AddressKind.SERVER, "wins"), "WINS", None, "wins"),
        (ip("10.0.0.5", 32), "10.0.0.5", "255.255.255.255", "10.0.0.5"),
        (ip("10.0.0.0", 24), "10.0.0.0", "255.255.255.0", "10.0.0.0/24"),
        (ip("10.0.0.0", 1), "10.0.0.0", "128.0.0.0", "10.0.0.0/1"),
        (ip("2001:db8::1", 128), "2001:db8::1", None, "2001:db8::1"),
        (Endpoint(AddressKind.RANGE, "10.0.0.1-10.0.0.9"), "10.0.0.1-10.0.0.9", None, "10.0.0.1-10.0.0.9"),
        (Endpoint(AddressKind.DNS, "host.example.com"), "host.example.com", None, "host.example.com"),
    ],
)
def test_an_endpoint_as_netsh_takes_it_and_as_the_user_reads_it(endpoint, address, mask, text):
    assert (endpoint.netsh_address(), endpoint.netsh_mask(), str(endpoint)) == (address, mask, text)
    assert Endpoint.parse(str(endpoint)) == endpoint


def test_endpoints_sort_by_kind_then_value_then_prefix():
    endpoints = [ip("10.0.0.0", 8), ME, Endpoint(AddressKind.SERVER, "dns"), ip("10.0.0.0", 24), Endpoint(AddressKind.DNS, "a.example"), ANY,
                 Endpoint(AddressKind.RANGE, "10.0.0.1-10.0.0.2")]
    assert [endpoint.sort_key() for endpoint in sorted(endpoints, key=Endpoint.sort_key)] == [
        ("any", "", 0), ("dns", "a.example", 0), ("ip", "10.0.0.0", 8), ("ip", "10.0.0.0", 24), ("me", "", 0), ("range", "10.0.0.1-10.0.0.2", 0),
        ("server", "dns", 0),
    ]


def test_the_field_defaults_to_address():
    with pytest.raises(InvalidInput) as caught:
        Endpoint.parse("10.0.0.0", "255.0.255.0")
    assert caught.value.field == "address_mask"
