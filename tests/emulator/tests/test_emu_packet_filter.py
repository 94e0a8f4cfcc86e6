"""The emulator's packet evaluator (``netsh_emulator._packet_filter``, A-130 to A-134): which filter of the
assigned policy decides a packet, and what its action does to a controller that speaks no IPsec.

Stores are built with the emulated netsh itself, as a user would build them."""

from __future__ import annotations

import json

import pytest
from emu_support import Emu
from netsh_emulator import Network, Packet, PacketFilterError, decide, decide_from_file
from netsh_emulator._state import Store
from netsh_emulator._values import resolve_dns

CONTROLLER, HOST, OTHER_HOST_ADDRESS = "192.0.2.10", "192.0.2.20", "2001:db8::20"
DNS_SERVER = "192.0.2.53"
NETWORK = Network((HOST, OTHER_HOST_ADDRESS), {"dns": (DNS_SERVER,)})
TCP, UDP, ICMP = 6, 17, 1


def tcp(source: str = CONTROLLER, destination: str = HOST, source_port: int = 50000, destination_port: int = 5985) -> Packet:
    return Packet(TCP, source, destination, source_port, destination_port)


def build(emu: Emu, *rules: tuple[str, list[str]], assign: bool = True, extra: str = "") -> None:
    """Policy ``P`` with one rule per ``(filter action settings, [filter specs])``: rule ``R<i>``, list ``L<i>``,
    action ``A<i>``; assigned unless told otherwise."""
    emu.ok(f"add policy name=P {extra}".strip())
    for index, (action, filters) in enumerate(rules):
        emu.ok(f"add filteraction name=A{index} {action}")
        emu.ok(f"add filterlist name=L{index}")
        for spec in filters:
            emu.ok(f"add filter filterlist=L{index} {spec}")
        emu.ok(f"add rule name=R{index} policy=P filterlist=L{index} filteraction=A{index}")
    if assign:
        emu.ok("set policy name=P assign=yes")


def verdict(emu: Emu, packet: Packet, network: Network = NETWORK):
    return decide_from_file(str(emu.state), packet, network)


# --- no policy, no match ---------------------------------------------------------------------------------

def test_no_store_and_no_assigned_policy_permit(emu):
    assert verdict(emu, tcp()).action == "permit" and verdict(emu, tcp()).reason == "no policy is assigned"
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]), assign=False)
    decision = verdict(emu, tcp())
    assert (decision.action, decision.delivered, decision.rule) == ("permit", True, None)
    emu.ok("set policy name=P assign=yes")
    assert verdict(emu, tcp()).action == "block"


def test_an_assigned_policy_whose_filters_do_not_match_permits(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me protocol=udp dstport=53"]))
    decision = verdict(emu, tcp())
    assert (decision.action, decision.delivered) == ("permit", True)
    assert decision.reason == 'no filter of an active rule of policy "P" matches'


def test_the_default_response_rule_decides_nothing(emu):
    # it only answers IPsec requests: a policy with only its default response rule permits everything
    build(emu, extra="activatedefaultrule=yes")
    emu.ok("set defaultrule policy=P qmsec=ESP[3DES,SHA1] kerberos=yes")
    assert verdict(emu, tcp()).action == "permit"


# --- address forms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "source", "destination", "matches"), [
    ("srcaddr=any dstaddr=me", CONTROLLER, HOST, True),
    ("srcaddr=any dstaddr=me", "203.0.113.9", HOST, True),
    ("srcaddr=any dstaddr=me", CONTROLLER, "192.0.2.99", False),           # not an address of the host
    ("srcaddr=any dstaddr=me", "2001:db8::10", OTHER_HOST_ADDRESS, True),  # me is every address of the host
    ("srcaddr=me dstaddr=any mirrored=no", HOST, CONTROLLER, True),
    ("srcaddr=192.0.2.10 dstaddr=me", CONTROLLER, HOST, True),
    ("srcaddr=192.0.2.10 dstaddr=me", "192.0.2.11", HOST, False),
    ("srcaddr=any dstaddr=192.0.2.20", CONTROLLER, HOST, True),
    ("srcaddr=192.0.2.0 srcmask=24 dstaddr=me", CONTROLLER, HOST, True),
    ("srcaddr=192.0.2.0 srcmask=24 dstaddr=me", "198.51.100.10", HOST, False),
    ("srcaddr=192.0.2.0 srcmask=255.255.255.240 dstaddr=me", "192.0.2.15", HOST, True),
    ("srcaddr=192.0.2.0 srcmask=255.255.255.240 dstaddr=me", "192.0.2.16", HOST, False),
    ("srcaddr=192.0.2.7 srcmask=29 dstaddr=me", CONTROLLER, HOST, False),    # 192.0.2.0-7: the host bits of the value do not count
    ("srcaddr=192.0.2.7 srcmask=29 dstaddr=me", "192.0.2.1", HOST, True),
    ("srcaddr=192.0.2.5-192.0.2.10 dstaddr=me", CONTROLLER, HOST, True),     # both ends included
    ("srcaddr=192.0.2.5-192.0.2.10 dstaddr=me", "192.0.2.5", HOST, True),
    ("srcaddr=192.0.2.5-192.0.2.10 dstaddr=me", "192.0.2.11", HOST, False),
    ("srcaddr=2001:db8::1-2001:db8::ff dstaddr=me", "2001:db8::10", OTHER_HOST_ADDRESS, True),
    ("srcaddr=2001:db8::1-2001:db8::ff dstaddr=me", CONTROLLER, HOST, False),  # another family
    ("srcaddr=controller.example dstaddr=me", resolve_dns("srcaddr", "controller.example"), HOST, True),
    ("srcaddr=controller.example dstaddr=me", CONTROLLER, HOST, False),
    ("srcaddr=2001:db8::10 dstaddr=me", "2001:db8::10", OTHER_HOST_ADDRESS, True),
    ("srcaddr=2001:db8::10 dstaddr=me", CONTROLLER, HOST, False),
    ("srcaddr=dns dstaddr=me", DNS_SERVER, HOST, True),                     # the host's configured DNS server
    ("srcaddr=dns dstaddr=me", CONTROLLER, HOST, False),
    ("srcaddr=wins dstaddr=me", DNS_SERVER, HOST, False),                   # no WINS server configured: never
    ("srcaddr=gateway dstaddr=me", CONTROLLER, HOST, False),
])
def test_address_forms(emu, spec, source, destination, matches):
    build(emu, ("action=block", [spec]))
    decision = verdict(emu, Packet(TCP, source, destination, 50000, 5985))
    assert (decision.action, decision.delivered) == (("block", False) if matches else ("permit", True)), decision.reason


def test_server_types_follow_the_network_settings(emu):
    build(emu, ("action=block", ["srcaddr=wins dstaddr=me", "srcaddr=me dstaddr=gateway mirrored=no"]))
    assert verdict(emu, tcp(source="192.0.2.44")).action == "permit"
    assert verdict(emu, tcp(source="192.0.2.44"), Network((HOST,), {"WINS": ("192.0.2.44",)})).action == "block"
    outbound = tcp(source=HOST, destination="192.0.2.1")
    assert verdict(emu, outbound, Network((HOST,), {"gateway": ("192.0.2.1",)})).filter_number == 2


# --- mirrored, protocol and ports ---------------------------------------------------------------------------

def test_a_mirrored_filter_also_matches_the_reverse_direction(emu):
    build(emu, ("action=block", ["srcaddr=me dstaddr=192.0.2.10 protocol=tcp srcport=5985"]))
    decision = verdict(emu, tcp())
    assert (decision.action, decision.reversed, decision.filter_number) == ("block", True, 1)
    assert verdict(emu, tcp(destination_port=5986)).action == "permit"  # the reverse must match too, ports included


def test_a_filter_that_is_not_mirrored_matches_one_direction(emu):
    build(emu, ("action=block", ["srcaddr=me dstaddr=192.0.2.10 protocol=tcp srcport=5985 mirrored=no"]))
    assert verdict(emu, tcp()).action == "permit"
    outbound = verdict(emu, tcp(source=HOST, destination=CONTROLLER, source_port=5985, destination_port=50000))
    assert (outbound.action, outbound.reversed) == ("block", False)


@pytest.mark.parametrize(("spec", "packet", "matches"), [
    ("protocol=tcp dstport=5985", tcp(), True),
    ("protocol=tcp dstport=5985", tcp(destination_port=5986), False),
    ("protocol=tcp dstport=5985", Packet(UDP, CONTROLLER, HOST, 50000, 5985), False),
    ("protocol=udp dstport=5985", Packet(UDP, CONTROLLER, HOST, 50000, 5985), True),
    ("protocol=17", Packet(UDP, CONTROLLER, HOST, 53, 53), True),
    ("protocol=tcp srcport=50000", tcp(), True),
    ("protocol=tcp srcport=50000", tcp(source_port=50001), False),
    ("protocol=tcp", tcp(), True),
    ("protocol=icmp", Packet(ICMP, CONTROLLER, HOST), True),
    ("protocol=icmp", tcp(), False),
    ("protocol=any", Packet(ICMP, CONTROLLER, HOST), True),
    ("protocol=47", Packet(47, CONTROLLER, HOST), True),
    ("protocol=47", tcp(), False),
])
def test_protocol_and_ports(emu, spec, packet, matches):
    build(emu, ("action=block", [f"srcaddr=any dstaddr=me mirrored=no {spec}"]))
    assert verdict(emu, packet).action == ("block" if matches else "permit")


# --- the most specific filter wins and ties (A-133) ---------------------------------------------------

def test_seed_000_the_permitted_port_beats_the_block_of_all_inbound_traffic(emu):
    build(emu, ("action=permit", ["srcaddr=any dstaddr=me protocol=tcp dstport=80", "srcaddr=any dstaddr=me protocol=tcp dstport=5985"]),
          ("action=block", ["srcaddr=any dstaddr=me"]))
    permitted = verdict(emu, tcp())
    assert (permitted.action, permitted.rule, permitted.filterlist, permitted.filter_number) == ("permit", "R0", "L0", 2)
    assert permitted.size == 2**32 * 2**16  # any source address, any source port: everything else is fixed
    blocked = verdict(emu, tcp(destination_port=3389))
    assert (blocked.action, blocked.rule, blocked.size) == ("block", "R1", 2**32 * 2**8 * 2**32)
    assert verdict(emu, Packet(ICMP, CONTROLLER, HOST)).action == "block"
    assert blocked.reason == ('filter 1 of filter list "L1" (admitting 2^72 packets) decides, rule "R1" of policy "P": '
                              'filter action "A1" (block)')


def test_a_host_beats_its_subnet_and_a_subnet_a_wider_one(emu):
    build(emu, ("action=permit", ["srcaddr=192.0.2.10 dstaddr=me", "srcaddr=10.1.0.0 srcmask=16 dstaddr=me"]),
          ("action=block", ["srcaddr=192.0.2.0 srcmask=24 dstaddr=me", "srcaddr=10.0.0.0 srcmask=8 dstaddr=me"]))
    assert verdict(emu, tcp()).action == "permit"
    assert verdict(emu, tcp(source="192.0.2.11")).action == "block"
    assert verdict(emu, tcp(source="10.1.2.3")).action == "permit"
    assert verdict(emu, tcp(source="10.2.2.3")).action == "block"


def test_a_narrow_range_beats_a_wider_subnet(emu):
    build(emu, ("action=permit", ["srcaddr=192.0.2.8-192.0.2.11 dstaddr=me"]), ("action=block", ["srcaddr=192.0.2.0 srcmask=28 dstaddr=me"]))
    assert (verdict(emu, tcp()).action, verdict(emu, tcp()).size) == ("permit", 4 * 2**8 * 2**32)
    assert verdict(emu, tcp(source="192.0.2.12")).action == "block"


def test_no_field_is_weighed_before_another(emu):
    # A port permitted to any source beats the block of a /8 (2^48 against 2^64 packets), where a reading that
    # weighs source addresses first would let the block win; a /25 beats the port (2^47), a /24 ties (2^48).
    build(emu, ("action=permit", ["srcaddr=any dstaddr=me protocol=tcp dstport=5985"]),
          ("action=block", ["srcaddr=10.0.0.0 srcmask=8 dstaddr=me", "srcaddr=172.16.0.0 srcmask=24 dstaddr=me",
                            "srcaddr=192.168.0.0 srcmask=25 dstaddr=me"]))
    assert verdict(emu, tcp(source="10.1.2.3")).action == "permit"
    assert verdict(emu, tcp(source="172.16.0.9")).action == "block"    # a tie: the block wins
    assert verdict(emu, tcp(source="192.168.0.9")).action == "block"


def test_source_and_destination_ports_weigh_alike(emu):
    build(emu, ("action=permit", ["srcaddr=any dstaddr=me protocol=tcp srcport=50000"]),
          ("action=block", ["srcaddr=any dstaddr=me protocol=tcp dstport=5985"]))
    tie = verdict(emu, tcp())
    assert (tie.action, tie.rule) == ("block", "R1")
    assert verdict(emu, tcp(destination_port=5986)).action == "permit"


@pytest.mark.parametrize(("first", "second", "action", "delivered", "rule"), [
    ("action=permit", "action=block", "block", False, "R1"),
    ("action=block", "action=permit", "block", False, "R0"),
    ("action=permit", "action=negotiate", "negotiate", False, "R1"),
    ("action=negotiate soft=yes", "action=negotiate", "negotiate", False, "R1"),
    ("action=permit", "action=negotiate soft=yes", "negotiate", True, "R1"),
    ("action=permit", "action=permit", "permit", True, "R0"),            # then store order
])
def test_equal_sizes_go_to_the_most_restrictive_outcome(emu, first, second, action, delivered, rule):
    same = ["srcaddr=any dstaddr=me protocol=tcp dstport=5985"]
    build(emu, (first, same), (second, same))
    decision = verdict(emu, tcp())
    assert (decision.action, decision.delivered, decision.rule) == (action, delivered, rule)


def test_a_filter_listed_twice_in_one_list_is_reported_once(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me", "srcaddr=any dstaddr=me"]))
    assert verdict(emu, tcp()).filter_number == 1


# --- which rules take part -------------------------------------------------------------------------------

def test_an_inactive_rule_takes_no_part(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]))
    emu.ok("set rule name=R0 policy=P activate=no")
    assert verdict(emu, tcp()).action == "permit"


@pytest.mark.parametrize(("conntype", "interface", "applies"), [
    ("all", "lan", True), ("lan", "lan", True), ("dialup", "lan", False),
    ("all", "dialup", True), ("lan", "dialup", False), ("dialup", "dialup", True),
])
def test_the_connection_type_must_cover_the_interface(emu, conntype, interface, applies):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]))
    emu.ok(f"set rule name=R0 policy=P conntype={conntype}")
    assert verdict(emu, tcp(), Network((HOST,), interface=interface)).action == ("block" if applies else "permit")


def test_only_the_assigned_policy_counts(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]))
    emu.ok("add policy name=Q assign=yes")   # one policy is assigned at a time: P no longer is
    assert verdict(emu, tcp()).action == "permit"


# --- negotiate (A-134) --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("settings", "delivered"), [
    ("", False),                        # no IPsec on the controller: nothing is negotiated, the packet is dropped
    ("inpass=yes", False),              # accepted, but answered only under IPsec: the connection never completes
    ("soft=yes", True),                 # falls back to clear text
    ("inpass=yes soft=yes", True),
])
def test_negotiate_reaches_a_controller_without_ipsec_only_with_soft(emu, settings, delivered):
    build(emu, (f"action=negotiate {settings}".strip(), ["srcaddr=any dstaddr=me"]))
    decision = verdict(emu, tcp())
    assert (decision.action, decision.delivered) == ("negotiate", delivered)
    assert ("falls back to clear text" if delivered else "dropped for a peer without IPsec") in decision.reason


# --- contracts --------------------------------------------------------------------------------------------

def test_decide_takes_a_store_object(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]))
    store = Store.from_json(json.loads(emu.state.read_text(encoding="utf-8")))
    assert decide(store, tcp(), NETWORK) == verdict(emu, tcp())


def test_a_store_that_cannot_be_judged_raises(emu):
    build(emu, ("action=block", ["srcaddr=any dstaddr=me"]))
    document = json.loads(emu.state.read_text(encoding="utf-8"))
    document["filterlists"] = []
    emu.state.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PacketFilterError, match='rule "R0" of policy "P" refers to a filter list the store does not hold'):
        verdict(emu, tcp())
    emu.state.write_text("{not json", encoding="utf-8")
    with pytest.raises(PacketFilterError, match="cannot be read"):
        verdict(emu, tcp())


@pytest.mark.parametrize("arguments", [
    (0, CONTROLLER, HOST, 0, 0),               # 0 is "any" in a filter, never a packet's protocol
    (256, CONTROLLER, HOST, 0, 0),
    (TCP, CONTROLLER, HOST, 0, 5985),          # TCP needs both ports
    (ICMP, CONTROLLER, HOST, 0, 7),            # ICMP has none
    (TCP, CONTROLLER, "2001:db8::20", 1, 2),   # one family
    (TCP, "controller", HOST, 1, 2),
])
def test_a_malformed_packet_is_refused(arguments):
    with pytest.raises(ValueError):
        Packet(*arguments)


@pytest.mark.parametrize(("arguments", "options"), [
    ((), {}), (("me",), {}), ((HOST,), {"servers": {"ntp": ("192.0.2.1",)}}), ((HOST,), {"servers": {"dns": ("x",)}}),
    ((HOST,), {"interface": "wifi"}),
])
def test_malformed_network_settings_are_refused(arguments, options):
    with pytest.raises(ValueError):
        Network(arguments, **options)


def test_addresses_are_compared_in_canonical_form(emu):
    build(emu, ("action=block", ["srcaddr=2001:db8::10 dstaddr=me"]))
    network = Network(("2001:DB8:0::20",))
    assert network.host_addresses == ("2001:db8::20",)
    assert verdict(emu, Packet(TCP, "2001:0db8::0010", "2001:db8::20", 1, 2), network).action == "block"
