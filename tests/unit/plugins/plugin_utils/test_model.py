"""Canonical forms and input validation of the model (plugins/plugin_utils/_model.py, _addresses.py,
_methods.py): equivalent inputs compare equal, bad inputs raise InvalidInput naming field and value."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import AddressKind, Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod, main_mode_method, quick_mode_method
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Filter,
    FilterList,
    Policy,
    Rule,
    Store,
    check_text,
    port_number,
    protocol_number,
)

EQUIVALENT_ENDPOINTS = [
    (("any", None), ("0.0.0.0", "0.0.0.0")),
    (("any", None), ("ANY", "0")),
    (("any", None), ("0.0.0.0/0", None)),
    (("10.1.2.3", None), ("10.1.2.3", "255.255.255.255")),
    (("10.1.2.3", None), ("10.1.2.3/32", None)),
    (("10.1.2.3", None), ("10.1.2.3", "32")),
    (("10.1.2.3", None), ("10.1.2.3", 32)),
    (("192.168.0.0/24", None), ("192.168.0.0", "255.255.255.0")),
    (("me", None), ("Me", None)),
    (("FE80::0001", None), ("fe80::1", None)),
    (("fe80::1", None), ("fe80::1", "128")),
    (("DNS", None), ("dns", None)),
    (("Web.Example.COM", None), ("web.example.com", None)),
    (("10.0.0.1-10.0.0.9", None), ("10.0.0.1-10.0.0.9", None)),
]


@pytest.mark.parametrize(("left", "right"), EQUIVALENT_ENDPOINTS)
def test_equivalent_endpoints_compare_equal(left, right):
    assert Endpoint.parse(*left) == Endpoint.parse(*right)


@pytest.mark.parametrize(
    ("text", "mask", "kind", "value", "prefix"),
    [
        ("any", None, AddressKind.ANY, "", None),
        ("me", None, AddressKind.ME, "", None),
        ("10.0.0.5", None, AddressKind.IP, "10.0.0.5", 32),
        ("10.0.0.0", "255.255.0.0", AddressKind.IP, "10.0.0.0", 16),
        ("2001:db8::1", None, AddressKind.IP, "2001:db8::1", 128),
        ("10.0.0.1-10.0.0.20", None, AddressKind.RANGE, "10.0.0.1-10.0.0.20", None),
        ("wins", None, AddressKind.SERVER, "wins", None),
        ("gateway", None, AddressKind.SERVER, "gateway", None),
        ("mail-01.corp.example", None, AddressKind.DNS, "mail-01.corp.example", None),
    ],
)
def test_endpoint_kinds(text, mask, kind, value, prefix):
    endpoint = Endpoint.parse(text, mask)
    assert (endpoint.kind, endpoint.value, endpoint.prefix) == (kind, value, prefix)
    assert Endpoint.parse(str(endpoint)) == endpoint


@pytest.mark.parametrize(
    ("text", "mask", "field", "words"),
    [
        ("10.0.0.300", None, "source", "expected any, me"),
        ("10.0.0.0", "255.0.255.0", "source_mask", "contiguous"),
        ("10.0.0.0", "33", "source_mask", "0-32"),
        ("me", "24", "source_mask", "does not apply to me"),
        ("10.0.0.9-10.0.0.1", None, "source", "lower address"),
        ("10.0.0.1-fe80::1", None, "source", "same family"),
        ("10.0.0.1-10.0.0.9", "24", "source_mask", "range"),
        ("fe80::1", "64", "source_mask", "IPv6"),
        ("0.0.0.0", None, "source", "write any"),
        ("10.0.0.0/8", "8", "source_mask", "not both"),
        ("", None, "source", "expected any"),
        ("bad name", None, "source", "expected any"),
    ],
)
def test_bad_endpoints_name_field_and_value(text, mask, field, words):
    with pytest.raises(InvalidInput) as caught:
        Endpoint.parse(text, mask, field="source")
    assert caught.value.field == field
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("given", "number"), [("tcp", 6), ("TCP", 6), ("6", 6), (6, 6), ("any", 0), (0, 0), ("ICMP", 1), ("udp", 17), ("raw", 255), ("47", 47)]
)
def test_protocol_canonical(given, number):
    assert protocol_number(given) == number


@pytest.mark.parametrize("given", ["gre", "256", -1, True, "6.0"])
def test_bad_protocol(given):
    with pytest.raises(InvalidInput, match="protocol"):
        protocol_number(given)


@pytest.mark.parametrize(("given", "number"), [("any", 0), (0, 0), ("0", 0), (80, 80), ("65535", 65535)])
def test_port_canonical(given, number):
    assert port_number(given, field_name="destination_port") == number


@pytest.mark.parametrize("given", [65536, -1, "http", True, "80-90"])
def test_bad_port(given):
    with pytest.raises(InvalidInput, match="destination_port"):
        port_number(given, field_name="destination_port")


def test_equivalent_filters_compare_equal():
    one = Filter.build(source="any", destination="me", protocol="TCP", destination_port=80)
    two = Filter.build(source="0.0.0.0", source_mask="0.0.0.0", destination="ME", protocol=6, destination_port="80", source_port="any")
    assert one == two
    assert hash(one) == hash(two)


def test_port_needs_tcp_or_udp():
    with pytest.raises(InvalidInput) as caught:
        Filter.build(protocol="icmp", destination_port=80)
    assert caught.value.field == "destination_port"
    assert "tcp or udp" in str(caught.value)


def test_server_type_needs_me_on_the_other_side():
    Filter.build(source="dhcp", destination="me")
    with pytest.raises(InvalidInput) as caught:
        Filter.build(source="dns", destination="any")
    assert caught.value.field == "destination"


@pytest.mark.parametrize(
    ("value", "words"),
    [("a\0b", "control"), ("a\nb", "control"), ("a\rb", "control"), ('say "hi"', "double quote"), (" padded", "whitespace"),
     ("NONE", "NONE"), ("", "empty"), ("a\ud800b", "lone surrogate"), ("\udfff", "lone surrogate")],
)
def test_unsafe_names_are_refused(value, words):
    with pytest.raises(InvalidInput) as caught:
        check_text("name", value, allow_empty=False)
    assert words in str(caught.value)
    assert caught.value.field == "name"


def test_names_with_shell_characters_are_fine():
    for value in ("100% %PATH% ^&|<>!", "Zürich ✓", "a=b", "it's"):
        assert check_text("name", value, allow_empty=False) == value


def test_filter_list_order_is_canonical_and_keeps_duplicates():
    web = Filter.build(destination_port=80, protocol="tcp")
    tls = Filter.build(destination_port=443, protocol="tcp")
    assert FilterList("Web", "", (tls, web)) == FilterList("Web", "", (web, tls))
    doubled = FilterList("Web", "", (web, tls, web))
    assert doubled != FilterList("Web", "", (web, tls))
    assert doubled.duplicate_filters() == (web,)


def test_policy_rules_are_sorted_and_unique():
    a, b = Rule("a", "L", "A"), Rule("b", "L", "A")
    assert Policy("P", rules=(b, a)) == Policy("P", rules=(a, b))
    with pytest.raises(InvalidInput, match="unique"):
        Policy("P", rules=(a, a))


def test_mmpfs_forces_one_quick_mode_per_main_mode():
    # "If mmpfs is specified, qmpermm will be set to 1" [S2]
    assert Policy("P", mmpfs=True).qm_per_mm == 1
    with pytest.raises(InvalidInput, match="qm_per_mm"):
        Policy("P", mmpfs=True, qm_per_mm=5)


def test_store_keys_by_name_and_refuses_duplicates():
    store = Store.of(filter_lists=[FilterList("b"), FilterList("a")], policies=[Policy("P", assigned=True)])
    assert list(store.filter_lists) == ["a", "b"]
    assert store.assigned_policy == "P"
    with pytest.raises(InvalidInput, match="unique"):
        Store.of(filter_lists=[FilterList("a"), FilterList("a")])


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("esp[3des,sha1]:100000k/3600s", "ESP[3DES,SHA1]:100000k/3600s"),
        ("AH[MD5]:204800k/300s", "AH[MD5]:204800k/300s"),
        ("ESP[3DES,SHA1]:3600s", "ESP[3DES,SHA1]:3600s"),
        ("ah[sha1]+esp[des,none]:50000k", "AH[SHA1]+ESP[DES,None]:50000k"),
        ("ESP[None,SHA1]", "ESP[None,SHA1]"),
    ],
)
def test_quick_mode_methods(given, canonical):
    assert quick_mode_method(given) == canonical


@pytest.mark.parametrize("given", ["ESP[AES,SHA1]", "ESP[None,None]", "AH[MD5]ESP[DES,SHA1]", "AH[None]", "ESP[3DES]", "esp[3des,sha1]:k/s"])
def test_bad_quick_mode_methods(given):
    with pytest.raises(InvalidInput, match="qm_security_methods"):
        quick_mode_method(given)


def test_main_mode_methods():
    assert main_mode_method("3des-sha1-2") == "3DES-SHA1-2"
    for bad in ("AES-SHA1-2", "3DES-SHA1-14", "3DES-SHA256-2", "3DES"):
        with pytest.raises(InvalidInput, match="mm_security_methods"):
            main_mode_method(bad)


def test_auth_methods_validate_their_values():
    assert AuthMethod(AuthKind.ROOT_CA, "CN=Root", certmap=True).certmap
    with pytest.raises(InvalidInput):
        AuthMethod(AuthKind.PRESHARED_KEY, "")
    with pytest.raises(InvalidInput):
        AuthMethod(AuthKind.KERBEROS, "x")
    assert "secret" not in repr(AuthMethod(AuthKind.PRESHARED_KEY, "secret"))


def test_only_root_cas_may_repeat():
    kerberos = AuthMethod(AuthKind.KERBEROS)
    with pytest.raises(InvalidInput, match="only once"):
        Rule("R", "L", "A", auth_methods=(kerberos, kerberos))
    with pytest.raises(InvalidInput, match="only once"):
        Rule("R", "L", "A", auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "a"), AuthMethod(AuthKind.PRESHARED_KEY, "b")))
    with pytest.raises(InvalidInput, match="twice"):
        Rule("R", "L", "A", auth_methods=(AuthMethod(AuthKind.ROOT_CA, "CN=x"), AuthMethod(AuthKind.ROOT_CA, "CN=x", certmap=True)))
    two_cas = (AuthMethod(AuthKind.ROOT_CA, "CN=x"), AuthMethod(AuthKind.ROOT_CA, "CN=y"))
    assert Rule("R", "L", "A", auth_methods=two_cas).auth_methods == two_cas
