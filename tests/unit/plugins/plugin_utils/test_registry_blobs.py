# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hand-built stores for what the real samples lack. Every blob here is BUILT FROM THE SPEC
(GPIPSEC.md §2-§6, as mapped by the collection's decisions) with the test-only encoder of
test_registry_encoder, never taken from real data: they test the decoder's mapping, not Windows."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import ANY, ME, AddressKind, Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action, ConnectionType, DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule, Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_action import decode_negotiation_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_filter import decode_filter_list
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_policy import decode_isakmp, decode_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_rule import decode_nfa
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import DecodedStore, DomainPolicy, decode_snapshot
from test_registry_encoder import (
    AH, ALL, BLOCK, DES, DH2048, DIALUP, ESP, INPASS, KERBEROS as KERBEROS_TYPE, LAN, MD5, NEGOTIATE, PERMIT, PSK, ROOT_CA, SHA1, SOFT,
    TRIPLE_DES, Auth, FilterSpec, MmMethod, Offer, StoreBuilder, filter_blob, isakmp_blob, negpol_blob, nfa_blob, policy_blob,
)

CA = "DC=com, DC=example, CN=Example Root CA"


def action(offers, *, guid=NEGOTIATE, default=False):
    return decode_negotiation_policy(negpol_blob(offers), key="k", action=guid,
                                     policy_type="{62F49E13-6C37-11D1-864C-14A300000000}" if default else "{62F49E10-6C37-11D1-864C-14A300000000}")


def one_rule_store(nfa: bytes, *, filters=(FilterSpec(),), offers=(Offer(),), guid=NEGOTIATE, rule_name=None, **policy) -> DecodedStore:
    """A store with one filter list "L", one action "A" and policy "P" holding one rule."""
    builder = StoreBuilder()
    lst = builder.filter_list("L", filter_blob(filters))
    act = builder.action("A", negpol_blob(offers), action=guid)
    pol = builder.standard_policy("P", [(rule_name, nfa, lst, act)], **policy)
    return decode_snapshot(builder.snapshot(active=pol))


# --- authentication (§5.1, §5.2) ---------------------------------------------------------------------


@pytest.mark.parametrize("flags, certmap, exclude", [(0, False, False), (1, True, False), (2, False, True), (3, True, True)])
def test_root_ca_flags_of_the_extension_give_certmap_and_exclude_ca_name(flags: int, certmap: bool, exclude: bool) -> None:
    """Built from the spec: Auth-Type 3 with the CA name, Alt-Auth-Method-Flags 1 = certmap, 2 = exclude CA name."""
    blob = decode_nfa(nfa_blob([Auth(KERBEROS_TYPE), Auth(ROOT_CA, CA, flags)]), key="k")
    assert blob.auth_methods == (KERBEROS, AuthMethod(AuthKind.ROOT_CA, CA, certmap=certmap, exclude_ca_name=exclude))


def test_without_the_extension_a_root_ca_has_neither_flag() -> None:
    """Built from the spec: a Windows 2000-style NFA (no extension) holds no per-method flags."""
    blob = decode_nfa(nfa_blob([Auth(ROOT_CA, CA), Auth(PSK, "s3cret"), Auth(KERBEROS_TYPE)], extension=False), key="k")
    assert blob.auth_methods == (AuthMethod(AuthKind.ROOT_CA, CA), AuthMethod(AuthKind.PRESHARED_KEY, "s3cret"), KERBEROS)


def test_auth_methods_keep_their_stored_order_with_two_root_cas() -> None:
    """Built from the spec: the list's order is the preference order."""
    auths = [Auth(PSK, "ключ"), Auth(ROOT_CA, "CN=Second", 1), Auth(ROOT_CA, CA, 2), Auth(KERBEROS_TYPE)]
    assert decode_nfa(nfa_blob(auths), key="k").auth_methods == (
        AuthMethod(AuthKind.PRESHARED_KEY, "ключ"), AuthMethod(AuthKind.ROOT_CA, "CN=Second", certmap=True),
        AuthMethod(AuthKind.ROOT_CA, CA, exclude_ca_name=True), KERBEROS)


def test_a_rule_with_no_auth_method_has_an_empty_list() -> None:
    """Built from the spec: Auth-Method-Count 0."""
    assert decode_nfa(nfa_blob([]), key="k").auth_methods == ()


def test_extension_zero1_is_ignored() -> None:
    """Built from the spec: "Zero1" may be 0 (spec) or the count (observed)."""
    assert decode_nfa(nfa_blob([Auth(KERBEROS_TYPE)], zero1=0), key="k").auth_methods == (KERBEROS,)


# --- tunnels, connection types, activation (§5.1, §5.2) -------------------------------------------------


def test_ipv4_tunnel_end_point() -> None:
    """Built from the spec: Is-Tunnel-Specifier 1, Tunnel-Address in network order."""
    assert decode_nfa(nfa_blob(tunnel="192.0.2.77", is_tunnel=1), key="k").tunnel == "192.0.2.77"


def test_ipv6_tunnel_end_point_supersedes_the_ipv4_address() -> None:
    """Built from the spec: the extension's IPv6-Tunnel-Mode-ID and 16-byte end point, as compressed text."""
    blob = decode_nfa(nfa_blob(is_tunnel=1, ipv6_tunnel="2001:0db8:0000:0000:0000:0000:0000:0001"), key="k")
    assert blob.tunnel == "2001:db8::1"


@pytest.mark.parametrize("interface, expected", [(ALL, ConnectionType.ALL), (LAN, ConnectionType.LAN), (DIALUP, ConnectionType.DIALUP)])
def test_interface_types(interface: int, expected: ConnectionType) -> None:
    """Built from the spec: Interface-Type 0xFFFFFFFD/E/F."""
    assert decode_nfa(nfa_blob(interface=interface), key="k").connection_type is expected


@pytest.mark.parametrize("active", [0, 1])
def test_is_active(active: int) -> None:
    assert decode_nfa(nfa_blob(active=active), key="k").activate is bool(active)


# --- filter actions (§4) ---------------------------------------------------------------------------------


def test_pfs_qm_required_1_is_qmpfs() -> None:
    """Built from the spec's layout with the collection's polarity (1 = PFS, R7, GPIPSEC.md §4.2)."""
    assert action([Offer(pfs=1), Offer(((SHA1, 0, AH),), pfs=1)]).qmpfs is True
    assert action([Offer(pfs=0)]).qmpfs is False


def test_inpass_action_guid() -> None:
    """Built from the spec: action {3F91A81A-...} = negotiate with inbound pass-through."""
    decoded = action([Offer()], guid=INPASS)
    assert (decoded.action, decoded.inpass, decoded.soft) == (Action.NEGOTIATE, True, False)


def test_a_trailing_offer_without_algorithms_is_soft() -> None:
    """Built from the collection's assumption: soft=yes is an extra last offer with Algorithm-Offer-Count 0."""
    decoded = action([Offer(pfs=1), SOFT])
    assert (decoded.soft, decoded.qmpfs, decoded.qm_security_methods) == (True, True, ("ESP[3DES,SHA1]",))
    only_soft = action([SOFT])
    assert (only_soft.soft, only_soft.qmpfs, only_soft.qm_security_methods) == (True, False, ())


@pytest.mark.parametrize("offer, expected", [
    (Offer(kilobytes=100000, seconds=3600), "ESP[3DES,SHA1]:100000k/3600s"),
    (Offer(kilobytes=50000), "ESP[3DES,SHA1]:50000k"),
    (Offer(seconds=900), "ESP[3DES,SHA1]:900s"),
    (Offer(((MD5, 0, AH),)), "AH[MD5]"),
    (Offer(((SHA1, 0, AH), (DES + 1, MD5, ESP)), seconds=300), "AH[SHA1]+ESP[DES,MD5]:300s"),
    (Offer(((1, SHA1, ESP),)), "ESP[None,SHA1]"),
    (Offer(((3, 0, ESP),)), "ESP[3DES,None]"),
], ids=["k-and-s", "k-only", "s-only", "ah", "ah-plus-esp", "esp-null-cipher", "esp-no-integrity"])
def test_quick_mode_methods_and_lifetimes(offer: Offer, expected: str) -> None:
    """Built from the spec: slot ids (AH 1 MD5 2 SHA1; ESP 1 none 2 DES 3 3DES; integrity 0 none 1 MD5 2 SHA1),
    Offer-Type 1 AH 2 ESP, Lifetime-KBytes at +4 and Lifetime-Seconds at +0, 0 = not given."""
    assert action([offer]).qm_security_methods == (expected,)


def test_garbage_in_unused_slots_and_key_lengths_is_ignored() -> None:
    """Built from the spec: only the first Algorithm-Offer-Count slots are read (GPIPSEC.md §4.2, §8.3)."""
    assert action([Offer(filler=bytes(range(20)))]).qm_security_methods == ("ESP[3DES,SHA1]",)


@pytest.mark.parametrize("guid, kind", [(BLOCK, Action.BLOCK), (PERMIT, Action.PERMIT)])
def test_block_and_permit_have_no_methods(guid: str, kind: Action) -> None:
    decoded = action([], guid=guid)
    assert (decoded.action, decoded.inpass, decoded.soft, decoded.qmpfs, decoded.qm_security_methods) == (kind, False, False, False, ())


def test_action_guids_are_compared_without_regard_to_case() -> None:
    assert action([], guid=BLOCK.lower()).action is Action.BLOCK


# --- policy and ISAKMP (§3) ---------------------------------------------------------------------------


def test_polling_interval_and_main_mode_lifetime_in_minutes_with_0_as_default() -> None:
    """Built from the spec: seconds, 0 = 10800 / 28800."""
    assert decode_policy(policy_blob(0), key="k").polling_interval == 180
    assert decode_policy(policy_blob(3600), key="k").polling_interval == 60
    assert decode_isakmp(isakmp_blob(lifetime=0), key="k").mm_lifetime == 480
    assert decode_isakmp(isakmp_blob(lifetime=600), key="k").mm_lifetime == 10


def test_main_mode_methods_with_dh2048_and_cipher_2() -> None:
    """Built from the spec: Oakley-Group 0x10000001 = netsh group 3 (assumption); cipher 2 is 3DES per the spec."""
    methods = [MmMethod(TRIPLE_DES, SHA1, DH2048), MmMethod(2, MD5, 2), MmMethod(DES, SHA1, 1), MmMethod(DES, MD5, 1, key_length=64, rounds=8)]
    assert decode_isakmp(isakmp_blob(methods), key="k").mm_security_methods == ("3DES-SHA1-3", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1")


def test_master_pfs_and_quick_modes_per_main_mode() -> None:
    decoded = decode_isakmp(isakmp_blob(mmpfs=1, qm_limit=1), key="k")
    assert (decoded.mmpfs, decoded.qm_per_mm) == (True, 1)
    assert decode_isakmp(isakmp_blob(qm_limit=5), key="k").qm_per_mm == 5


def test_ignored_isakmp_fields_may_hold_anything() -> None:
    """Built from the spec: instance GUID, per-method lifetime, PFS-Identity and Zero7 are not read."""
    method = MmMethod(zero7=b"\x00\x00\x00\x00\x03\x00\x00", pfs_identity=0x00340001, lifetime=0)
    assert decode_isakmp(isakmp_blob([method], instance=bytes(range(16))), key="k").mm_security_methods == ("3DES-SHA1-2",)


# --- filters (§6) -------------------------------------------------------------------------------------


@pytest.mark.parametrize("special, source, destination", [
    (0x01, Endpoint(AddressKind.SERVER, "dns"), ME), (0x02, Endpoint(AddressKind.SERVER, "wins"), ME),
    (0x03, Endpoint(AddressKind.SERVER, "dhcp"), ME), (0x04, Endpoint(AddressKind.SERVER, "gateway"), ME),
    (0x81, ME, Endpoint(AddressKind.SERVER, "dns")), (0x82, ME, Endpoint(AddressKind.SERVER, "wins")),
    (0x83, ME, Endpoint(AddressKind.SERVER, "dhcp")), (0x84, ME, Endpoint(AddressKind.SERVER, "gateway")),
])
def test_special_filter_server_types(special: int, source: Endpoint, destination: Endpoint) -> None:
    """Built from the spec: Special-Filter 0x01-0x04 source, 0x81-0x84 destination; that side's
    address and mask are ignored (here garbage), the other side is me."""
    me = dict(source="0.0.0.0", source_mask="255.255.255.255") if special & 0x80 else dict(destination="0.0.0.0", destination_mask="255.255.255.255")
    garbage = dict(destination="10.9.8.7", destination_mask="255.0.255.0") if special & 0x80 else dict(source="10.9.8.7", source_mask="255.0.255.0")
    (decoded,) = decode_filter_list(filter_blob([FilterSpec(special=special, **me, **garbage)]), key="k")
    assert (decoded.source, decoded.destination) == (source, destination)


def test_dns_names_are_the_endpoints_and_the_resolved_addresses_are_ignored() -> None:
    """Built from the spec: Source-/Destination-DNS-Name hold the name, the address fields its resolution."""
    spec = FilterSpec(source_dns="Server.Example.COM", source="192.0.2.10", source_mask="255.255.255.255",
                      destination_dns="db.example.com", destination="192.0.2.20", destination_mask="255.255.255.255", protocol=6, destination_port=1433)
    (decoded,) = decode_filter_list(filter_blob([spec]), key="k")
    assert (decoded.source, decoded.destination) == (Endpoint(AddressKind.DNS, "server.example.com"), Endpoint(AddressKind.DNS, "db.example.com"))


def test_hosts_subnets_me_and_any() -> None:
    specs = [
        FilterSpec(source="10.1.2.0", source_mask="255.255.255.0", destination="192.0.2.5", destination_mask="255.255.255.255", mirror=0),
        FilterSpec(source="0.0.0.0", source_mask="255.255.255.255", destination="0.0.0.0", destination_mask="0.0.0.0", protocol=17, source_port=53),
        FilterSpec(source="172.16.0.0", source_mask="255.240.0.0", protocol=47),
    ]
    assert decode_filter_list(filter_blob(specs), key="k") == (
        Filter(Endpoint(AddressKind.IP, "10.1.2.0", 24), Endpoint(AddressKind.IP, "192.0.2.5", 32), 0, 0, 0, False),
        Filter(ME, ANY, 17, 53, 0, True),
        Filter(Endpoint(AddressKind.IP, "172.16.0.0", 12), ME, 47, 0, 0, True),
    )


def test_filter_description() -> None:
    (decoded,) = decode_filter_list(filter_blob([FilterSpec(description="Web: port 80, ünïcode")]), key="k")
    assert decoded.description == "Web: port 80, ünïcode"


@pytest.mark.parametrize("convention", ["w10", "w2k"])
def test_both_data_length_conventions_and_an_empty_list(convention: str) -> None:
    """Built from the spec: W10/11 count the filters only, W2000 count and filters plus one trailing 00."""
    assert decode_filter_list(filter_blob([], convention=convention), key="k") == ()
    assert len(decode_filter_list(filter_blob([FilterSpec(), FilterSpec(protocol=1)], convention=convention), key="k")) == 2


# --- the whole store ------------------------------------------------------------------------------------


def test_a_full_store_with_every_feature() -> None:
    """Built from the spec: named and unnamed rules, LAN and dial-up, tunnels, certificates, PSK, PFS,
    inpass, soft, lifetimes, DH2048, descriptions, a second unassigned policy."""
    b = StoreBuilder()
    web = b.filter_list("Web", filter_blob([FilterSpec(protocol=6, destination_port=80, description="http")]), description="Inbound web")
    dns = b.filter_list("DNS servers", filter_blob([FilterSpec(special=0x01, destination="0.0.0.0", destination_mask="255.255.255.255")]))
    secure = b.action("Secure", negpol_blob([Offer(kilobytes=100000, seconds=3600, pfs=1), Offer(((SHA1, 0, AH), (3, SHA1, ESP)), pfs=1), SOFT]),
                      action=INPASS, description="Require, fall back")
    block = b.action("Block", negpol_blob(), action=BLOCK)
    b.action("Unused permit", negpol_blob(), action=PERMIT)
    rules = [
        (None, nfa_blob([Auth(KERBEROS_TYPE)], interface=LAN), dns, block),
        ("Web in", nfa_blob([Auth(ROOT_CA, CA, 3), Auth(PSK, "k3y")], is_tunnel=1, tunnel="198.51.100.1"), web, secure),
        (None, nfa_blob([Auth(KERBEROS_TYPE)], interface=DIALUP, active=0), web, block),
        ("Web v6", nfa_blob([], is_tunnel=1, ipv6_tunnel="2001:db8::7"), web, secure),
    ]
    first = b.standard_policy("First", rules, isakmp=isakmp_blob([MmMethod(TRIPLE_DES, SHA1, DH2048)], mmpfs=1, qm_limit=1, lifetime=3600),
                              policy=policy_blob(7200), description="The first", default_offers=[Offer(pfs=1, seconds=600)],
                              default_nfa=nfa_blob([Auth(PSK, "default-key")], active=1))
    b.standard_policy("Second", [])
    # The rules' NFA keys carry their own description value.
    nfa_keys = [key for key in b.keys if key.startswith("ipsecNFA")]
    b.set_value(nfa_keys[1], "description", ValueKind.STRING, "web rule")
    decoded = decode_snapshot(b.snapshot(active=first))
    kerberos_lan = Rule("", "DNS servers", "Block", True, ConnectionType.LAN, "", "", (KERBEROS,))
    dialup = Rule("", "Web", "Block", False, ConnectionType.DIALUP, "", "", (KERBEROS,))
    expected = Store.of(
        filter_lists=[
            FilterList("Web", "Inbound web", [Filter(ANY, ME, 6, 0, 80, True, "http")]),
            FilterList("DNS servers", "", [Filter(Endpoint(AddressKind.SERVER, "dns"), ME, 0, 0, 0, True)]),
        ],
        filter_actions=[
            FilterAction("Secure", Action.NEGOTIATE, "Require, fall back", True, True, True,
                         ("ESP[3DES,SHA1]:100000k/3600s", "AH[SHA1]+ESP[3DES,SHA1]")),
            FilterAction("Block", Action.BLOCK, "", False, False, False, ()),
            FilterAction("Unused permit", Action.PERMIT, "", False, False, False, ()),
        ],
        policies=[
            Policy("First", "The first", (
                Rule("Web in", "Web", "Secure", True, ConnectionType.ALL, "web rule", "198.51.100.1",
                     (AuthMethod(AuthKind.ROOT_CA, CA, True, True), AuthMethod(AuthKind.PRESHARED_KEY, "k3y"))),
                Rule("Web v6", "Web", "Secure", True, ConnectionType.ALL, "", "2001:db8::7", ()),
            ), DefaultResponseRule(True, True, ("ESP[3DES,SHA1]:600s",), (AuthMethod(AuthKind.PRESHARED_KEY, "default-key"),)),
                120, True, 1, 60, ("3DES-SHA1-3",), True, (kerberos_lan, dialup)),
            Policy("Second", "", (), DefaultResponseRule(False, False, ("ESP[3DES,SHA1]", "AH[SHA1]"), (KERBEROS,)),
                   180, False, 0, 480, ("3DES-SHA1-2",), False, ()),
        ],
    )
    assert decoded == DecodedStore(expected, None, ("default-key", "k3y"))  # every rule's keys, longest first


def test_unnamed_rules_keep_the_order_of_ipsec_nfa_reference() -> None:
    b = StoreBuilder()
    lists = [b.filter_list(name, filter_blob([FilterSpec(protocol=number)])) for number, name in enumerate("CAB", start=1)]
    block = b.action("Block", negpol_blob(), action=BLOCK)
    b.standard_policy("P", [(None, nfa_blob(), lst, block) for lst in lists])
    policy = decode_snapshot(b.snapshot()).store.policies["P"]
    assert [rule.filter_list for rule in policy.unnamed_rules] == ["C", "A", "B"]
    assert policy.assigned is False


def test_an_empty_ipsec_name_on_a_rule_is_no_name() -> None:
    b = StoreBuilder()
    lst = b.filter_list("L", filter_blob([FilterSpec()]))
    block = b.action("Block", negpol_blob(), action=BLOCK)
    b.standard_policy("P", [("", nfa_blob(), lst, block)])
    policy = decode_snapshot(b.snapshot()).store.policies["P"]
    assert (policy.rules, len(policy.unnamed_rules)) == ((), 1)


def test_writer_differences_are_normalised() -> None:
    """GPIPSEC.md §1.3/§1.4/§10.4: ClassName vs className, IPSec vs IPSEC, GUID case, REG_SZ for one filter reference."""
    b = StoreBuilder()
    lst = b.filter_list("L", filter_blob([FilterSpec()]))
    block = b.action("Block", negpol_blob(), action=BLOCK)
    pol = b.standard_policy("P", [("R", nfa_blob(), lst, block)])
    nfa = next(key for key in b.keys if key.startswith("ipsecNFA"))
    b.set_value(nfa, "IPSECFILTERREFERENCE", ValueKind.STRING, f"SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\{lst.upper()}")
    b.drop_value(pol, "className")
    b.set_value(pol, "ClassName", ValueKind.STRING, "ipsecPolicy")
    snapshot = b.snapshot(active=pol)
    renamed = tuple(RegistryKey(key.name.upper().replace("IPSECNFA", "ipsecNFA"), key.values) if key.name == nfa else key for key in snapshot.objects)
    decoded = decode_snapshot(RegistrySnapshot(snapshot.local, renamed, None))
    assert decoded.store.policies["P"].rules[0].filter_list == "L"
    assert decoded.store.assigned_policy == "P"


def test_an_empty_or_missing_store() -> None:
    assert decode_snapshot(RegistrySnapshot(local=None)) == DecodedStore(Store.of(), None)
    assert decode_snapshot(RegistrySnapshot(local=RegistryKey("Policy\\Local"))) == DecodedStore(Store.of(), None)


@pytest.mark.parametrize("values, expected", [
    ((("DSIPSECPolicyPath", "LDAP://CN=ipsecPolicy{1},CN=IP Security,CN=System,DC=example,DC=com"), ("DSIPSECPolicyName", "Domain IPsec")),
     DomainPolicy("Domain IPsec", "LDAP://CN=ipsecPolicy{1},CN=IP Security,CN=System,DC=example,DC=com")),
    ((("DSIPSECPolicyPath", "LDAP://CN=ipsecPolicy{1},DC=x"),), DomainPolicy("", "LDAP://CN=ipsecPolicy{1},DC=x")),
    ((("DSIPSECPolicyPath", ""), ("DSIPSECPolicyName", "Stale")), None),
    ((("DSIPSECPolicyDescription", "other values are ignored"),), None),
], ids=["name-and-path", "path-only", "empty-path", "no-path"])
def test_domain_policy_from_gptipsecpolicy(values, expected) -> None:
    """GPIPSEC.md §1.6: DSIPSECPolicyPath (non-empty) and DSIPSECPolicyName."""
    key = RegistryKey("GPTIPSECPolicy", tuple(RegistryValue(name, ValueKind.STRING, data) for name, data in values))
    assert decode_snapshot(RegistrySnapshot(local=None, group_policy=key)).domain_policy == expected
