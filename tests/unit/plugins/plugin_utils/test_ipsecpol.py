# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Translating one static-mode ipsecpol/ipseccmd command line into netsh commands (``_ipsecpol``): seed 000's
commands, the filter specs of IPSECPOL.md §4.2 and REAL-WORLD.md, -x/-y/-o, and every refusal with its reason.
The store is a fake :class:`StoreView`; the seed scenario also runs through the netsh emulator."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netsh_emulator import run_netsh

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._ipsecpol import (
    Address,
    FilterSpec,
    IpsecpolUnsupported,
    filter_arguments,
    ipsecpol_commands,
    parse_filter_spec,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._script_lines import script_commands

PF = "Packet Filter"
WEB, MAIL, ALL = "Inbound web protocols", "Inbound/outbound mail", "All inbound traffic"


class FakeStore:
    """A StoreView that also applies the netsh commands it is given (names without regard to case, A-31)."""

    def __init__(self) -> None:
        self.policies: dict[str, list[tuple[str, str | None, str | None]]] = {}
        self.filter_lists: set[str] = set()
        self.filter_actions: set[str] = set()
        self.assigned: str | None = None

    def has_policy(self, name: str) -> bool:
        return self._policy_key(name) is not None

    def has_filter_list(self, name: str) -> bool:
        return name.casefold() in {item.casefold() for item in self.filter_lists}

    def has_filter_action(self, name: str) -> bool:
        return name.casefold() in {item.casefold() for item in self.filter_actions}

    def rules(self, policy: str):
        return tuple(self.policies[self._policy_key(policy)])

    def _policy_key(self, name: str) -> str | None:
        return next((key for key in self.policies if key.casefold() == name.casefold()), None)

    def apply(self, command: tuple[str, ...]) -> None:
        verb, kind, tags = command[0], command[1], dict(argument.split("=", 1) for argument in command[2:])
        if (verb, kind) == ("add", "policy"):
            self.policies[tags["name"]] = []
        elif (verb, kind) == ("add", "filterlist"):
            self.filter_lists.add(tags["name"])
        elif (verb, kind) == ("add", "filteraction"):
            self.filter_actions.add(tags["name"])
        elif (verb, kind) == ("add", "rule"):
            self.policies[self._policy_key(tags["policy"])].append((tags["name"], tags["filterlist"], tags["filteraction"]))
        elif (verb, kind) == ("set", "policy"):
            self.assigned = tags["name"] if tags["assign"] == "yes" else None if self.assigned == tags["name"] else self.assigned
        elif (verb, kind) == ("delete", "policy"):
            del self.policies[self._policy_key(tags["name"])]
        elif (verb, kind) == ("delete", "filterlist"):
            self.filter_lists.remove(tags["name"])
        elif (verb, kind) == ("delete", "filteraction"):
            self.filter_actions.remove(tags["name"])
        else:
            assert kind == "filter" and verb == "add", command


def store_with(*rules: tuple[str, str | None, str | None], policy: str = PF, lists=(), actions=()) -> FakeStore:
    store = FakeStore()
    store.policies[policy] = list(rules)
    store.filter_lists |= {rule[1] for rule in rules if rule[1]} | set(lists)
    store.filter_actions |= {rule[2] for rule in rules if rule[2]} | set(actions)
    return store


def run(argv, store=None, tool="ipsecpol"):
    return ipsecpol_commands(tool, argv, store if store is not None else FakeStore())


def refusal(argv, store=None, tool="ipsecpol") -> str:
    with pytest.raises(IpsecpolUnsupported) as caught:
        run(argv, store, tool)
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


def tcp_in(rule: str, port: int) -> tuple[str, ...]:
    return ("add", "filter", f"filterlist={rule}", "srcaddr=any", "dstaddr=me", "protocol=TCP", "srcport=0", f"dstport={port}", "mirrored=yes")


# Seed 000's three commands with the filter specs its published copy lost, then -x.
SEED_WEB = ["-w", "REG", "-p", PF, "-r", WEB, "-f", "*+0:80:TCP", "-f", "*+0:443:TCP", "-n", "PASS"]
SEED_MAIL = ["-w", "REG", "-p", PF, "-r", MAIL, "-f", "*+0:110:TCP", "-f", "*+0:995:TCP", "-f", "*+0:143:TCP", "-f", "*+0:993:TCP",
             "-f", "*+0:25:TCP", "-f", "0+*:25:TCP"]
SEED_BLOCK = ["-w", "REG", "-p", PF, "-r", ALL, "-f", "*+0", "-n", "BLOCK"]
SEED_ASSIGN = ["-w", "REG", "-p", PF, "-x"]

SEED_EXPECTED = [
    (
        ("add", "policy", f"name={PF}"),
        ("add", "filterlist", f"name={WEB}"),
        tcp_in(WEB, 80),
        tcp_in(WEB, 443),
        ("add", "filteraction", f"name={WEB} negpol", "action=permit"),
        ("add", "rule", f"name={WEB}", f"policy={PF}", f"filterlist={WEB}", f"filteraction={WEB} negpol"),
    ),
    (
        ("add", "filterlist", f"name={MAIL}"),
        tcp_in(MAIL, 110), tcp_in(MAIL, 995), tcp_in(MAIL, 143), tcp_in(MAIL, 993), tcp_in(MAIL, 25),
        ("add", "filter", f"filterlist={MAIL}", "srcaddr=me", "dstaddr=any", "protocol=TCP", "srcport=0", "dstport=25", "mirrored=yes"),
        ("add", "filteraction", f"name={MAIL} negpol", "action=permit"),
        ("add", "rule", f"name={MAIL}", f"policy={PF}", f"filterlist={MAIL}", f"filteraction={MAIL} negpol"),
    ),
    (
        ("add", "filterlist", f"name={ALL}"),
        ("add", "filter", f"filterlist={ALL}", "srcaddr=any", "dstaddr=me", "protocol=ANY", "mirrored=yes"),
        ("add", "filteraction", f"name={ALL} negpol", "action=block"),
        ("add", "rule", f"name={ALL}", f"policy={PF}", f"filterlist={ALL}", f"filteraction={ALL} negpol"),
    ),
    (("set", "policy", f"name={PF}", "assign=yes"),),
]


def seed_lines():
    # The published mail command has no -n (seed 000 says it "would allow" the traffic): PASS is added here.
    return [SEED_WEB, [*SEED_MAIL, "-n", "PASS"], SEED_BLOCK, SEED_ASSIGN]


def test_seed_000_three_commands_then_assign():
    store = FakeStore()
    for argv, expected in zip(seed_lines(), SEED_EXPECTED):
        commands = run(argv, store)
        assert commands == expected
        for command in commands:
            store.apply(command)
    assert store.policies == {PF: [(WEB, WEB, f"{WEB} negpol"), (MAIL, MAIL, f"{MAIL} negpol"), (ALL, ALL, f"{ALL} negpol")]}
    assert store.assigned == PF


def test_seed_000_runs_in_the_netsh_emulator_and_o_removes_everything(tmp_path):
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json"), "NETSH_EMU_GUID_MODE": "sequential", "NETSH_EMU_NOW": "2024-01-02T03:04:05"}
    store = FakeStore()

    def netsh(*argv: str) -> str:
        rc, out, err = run_netsh(["ipsec", "static", *argv], env)
        assert (rc, err) == (0, b""), (argv, out, err)
        return out.decode("utf-8")

    for argv in seed_lines():
        for command in run(argv, store):
            netsh(*command)
            store.apply(command)
    mail = netsh("show", "filterlist", f"name={MAIL}", "level=verbose")
    assert "No. of Filters         : 6" in mail
    policy = netsh("show", "policy", f"name={PF}")
    assert "Assigned               : YES" in policy
    for command in run(["-w", "REG", "-p", PF, "-o"], store):
        netsh(*command)
        store.apply(command)
    assert netsh("show", "all") == "\r\n"


def test_a_script_line_read_by_script_lines_translates():
    commands, unsupported = script_commands('ipsecpol.exe -w REG -p "Packet Filter" -r "All inbound traffic" -f *+0 -n BLOCK\r\n')
    assert unsupported == ()
    assert run(commands[0].argv) == (("add", "policy", f"name={PF}"), *SEED_EXPECTED[2])


# --- filter specs -------------------------------------------------------------------------------------

SPECS = [
    # REAL-WORLD.md, ipseccmd / ipsecpol row
    ("0+*", ("srcaddr=me", "dstaddr=any", "protocol=ANY", "mirrored=yes")),
    ("0:80+*::TCP", ("srcaddr=me", "dstaddr=any", "protocol=TCP", "srcport=80", "dstport=0", "mirrored=yes")),
    ("*+0:135:TCP", ("srcaddr=any", "dstaddr=me", "protocol=TCP", "srcport=0", "dstport=135", "mirrored=yes")),
    ("*=0:135:TCP", ("srcaddr=any", "dstaddr=me", "protocol=TCP", "srcport=0", "dstport=135", "mirrored=no")),
    ("0=*:80:TCP", ("srcaddr=me", "dstaddr=any", "protocol=TCP", "srcport=0", "dstport=80", "mirrored=no")),
    ("0+*::ICMP", ("srcaddr=me", "dstaddr=any", "protocol=ICMP", "mirrored=yes")),
    # IPSECPOL.md §4.2
    ("*=0:1434:UDP", ("srcaddr=any", "dstaddr=me", "protocol=UDP", "srcport=0", "dstport=1434", "mirrored=no")),
    ("0=*:1434:UDP", ("srcaddr=me", "dstaddr=any", "protocol=UDP", "srcport=0", "dstport=1434", "mirrored=no")),
    ("0:443+*::TCP", ("srcaddr=me", "dstaddr=any", "protocol=TCP", "srcport=443", "dstport=0", "mirrored=yes")),
    ("0/255.255.255.255=202.108.22.5/255.255.255.255::",
     ("srcaddr=me", "dstaddr=202.108.22.5", "dstmask=255.255.255.255", "protocol=ANY", "mirrored=no")),
    ("*=0::icmp", ("srcaddr=any", "dstaddr=me", "protocol=ICMP", "mirrored=no")),
    ("0/255.255.255.255=10.9.8.7/255.255.255.255:8080:tcp",
     ("srcaddr=me", "dstaddr=10.9.8.7", "dstmask=255.255.255.255", "protocol=TCP", "srcport=0", "dstport=8080", "mirrored=no")),
    ("0+*:4820:TCP", ("srcaddr=me", "dstaddr=any", "protocol=TCP", "srcport=0", "dstport=4820", "mirrored=yes")),
    ("144.92.*.*=0", ("srcaddr=144.92.0.0", "srcmask=255.255.0.0", "dstaddr=me", "protocol=ANY", "mirrored=no")),
    ("10.*.*.*+0:53:Udp", ("srcaddr=10.0.0.0", "srcmask=255.0.0.0", "dstaddr=me", "protocol=UDP", "srcport=0", "dstport=53", "mirrored=yes")),
    ("10.1.2.3+0", ("srcaddr=10.1.2.3", "srcmask=255.255.255.255", "dstaddr=me", "protocol=ANY", "mirrored=yes")),
    ("192.168.0.0/255.255.0.0:1024=0:25:TCP",
     ("srcaddr=192.168.0.0", "srcmask=255.255.0.0", "dstaddr=me", "protocol=TCP", "srcport=1024", "dstport=25", "mirrored=no")),
]


@pytest.mark.parametrize("spec, tags", SPECS, ids=[row[0] for row in SPECS])
def test_filter_specs_of_the_sources(spec, tags):
    commands = run(["-w", "REG", "-p", "P", "-r", "R", "-f", spec, "-n", "BLOCK"])
    assert commands[2] == ("add", "filter", "filterlist=R", *tags)


def test_several_specs_in_one_argument_in_following_arguments_and_in_several_f():
    commands = run(["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0:1:TCP  *+0:2:TCP", "*+0:3:TCP", "-f", "*+0:4:TCP", "-n", "PASS", "-f", "*+0:5:TCP"])
    assert commands[2:7] == tuple(tcp_in("R", port) for port in (1, 2, 3, 4, 5))
    assert commands[7:] == (("add", "filteraction", "name=R negpol", "action=permit"),
                            ("add", "rule", "name=R", "policy=P", "filterlist=R", "filteraction=R negpol"))


def test_a_spec_given_twice_gives_two_filters():
    commands = run(["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0:80:TCP", "*+0:80:TCP", "-n", "PASS"])
    assert commands[2:4] == (tcp_in("R", 80), tcp_in("R", 80))


SPEC_REFUSALS = [
    ("DEFAULT", "-f DEFAULT: a DEFAULT filter spec is not in any readable source (IPSECPOL.md §4.3)"),
    ("default", "-f default: a DEFAULT filter spec is not in any readable source (IPSECPOL.md §4.3)"),
    ("*", "-f *: expected one Source=Destination (one way) or Source+Destination (mirrored)"),
    ("*+0=*", "-f *+0=*: expected one Source=Destination (one way) or Source+Destination (mirrored)"),
    ("0:80:TCP+*", "-f 0:80:TCP+*: the source takes at most an address and a port (address[/mask][:port])"),
    ("*+0:80:TCP:x", "-f *+0:80:TCP:x: the destination takes at most address[/mask][:port][:protocol]"),
    ("10.0.0.0/24+0", "-f 10.0.0.0/24+0: /24: a prefix length is not documented for -f (only dotted masks); write the dotted mask"),
    ("10.0.0.1-10.0.0.9+0", "-f 10.0.0.1-10.0.0.9+0: 10.0.0.1-10.0.0.9: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)"),
    ("host.example+0", "-f host.example+0: host.example: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)"),
    ("+0", "-f +0: an address is missing"),
    ("*/0.0.0.0+0", "-f */0.0.0.0+0: */0.0.0.0: a mask on * is not documented"),
    ("0/255.255.255.0+*", "-f 0/255.255.255.0+*: 0/255.255.255.0: 0 (this computer) takes no mask but 255.255.255.255"),
    ("10.0.0.0/255.0.255.0+0", "-f 10.0.0.0/255.0.255.0+0: 255.0.255.0: expected a dotted mask with contiguous ones (255.255.0.0)"),
    ("10.0.0.0/0.0.0.0+0", "-f 10.0.0.0/0.0.0.0+0: 10.0.0.0/0.0.0.0: for every address write *"),
    ("0.0.0.0+0", "-f 0.0.0.0+0: 0.0.0.0: for every address write *"),
    ("10.1.2.3/255.255.0.0+0", "-f 10.1.2.3/255.255.0.0+0: 10.1.2.3/255.255.0.0: the address has bits outside its mask"),
    ("010.1.2.3+0", "-f 010.1.2.3+0: 010.1.2.3: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)"),
    ("10.*.3.*+0", "-f 10.*.3.*+0: 10.*.3.*: * stands only for trailing octets (a.b.*.*), without a mask"),
    ("*.*.*.*+0", "-f *.*.*.*+0: *.*.*.*: * stands only for trailing octets (a.b.*.*), without a mask"),
    ("10.*.*.*/255.0.0.0+0", "-f 10.*.*.*/255.0.0.0+0: 10.*.*.*/255.0.0.0: * stands only for trailing octets (a.b.*.*), without a mask"),
    ("192.168.1.*/=0", "-f 192.168.1.*/=0: 192.168.1.*/: * stands only for trailing octets (a.b.*.*), without a mask"),
    ("0.*.*.*+0", "-f 0.*.*.*+0: 0.*.*.*: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)"),
    ("*+0:0:TCP", "-f *+0:0:TCP: port 0: expected 1-65535 (an empty port means any)"),
    ("*+0:65536:TCP", "-f *+0:65536:TCP: port 65536: expected 1-65535 (an empty port means any)"),
    ("*+0:080:TCP", "-f *+0:080:TCP: port 080: expected 1-65535 (an empty port means any)"),
    ("*+0:TCP", "-f *+0:TCP: port TCP: expected 1-65535 (an empty port means any)"),
    ("*+0:1-9:TCP", "-f *+0:1-9:TCP: port 1-9: expected 1-65535 (an empty port means any)"),
    ("*+0::47", "-f *+0::47: protocol 47: expected TCP, UDP or ICMP (or nothing for any)"),
    ("*+0::RAW", "-f *+0::RAW: protocol RAW: expected TCP, UDP or ICMP (or nothing for any)"),
    ("*+0:80", "-f *+0:80: a port needs TCP or UDP as the protocol"),
    ("*:80+0::ICMP", "-f *:80+0::ICMP: a port needs TCP or UDP as the protocol"),
]


@pytest.mark.parametrize("spec, reason", SPEC_REFUSALS, ids=[row[0] for row in SPEC_REFUSALS])
def test_specs_outside_the_documented_grammar_are_refused_by_name(spec, reason):
    assert refusal(["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0:80:TCP", spec, "-n", "BLOCK"]) == reason


# --- random specs: the netsh tags read back to what the spec says ---------------------------------------

OCTET = st.integers(0, 255)


@st.composite
def endpoints(draw):
    """(spec text, expected address tag, expected mask tag or None)."""
    kind = draw(st.sampled_from(["any", "me", "me-masked", "host", "host-masked", "subnet", "wildcard"]))
    if kind == "any":
        return "*", "any", None
    if kind in ("me", "me-masked"):
        return ("0" if kind == "me" else "0/255.255.255.255"), "me", None
    if kind == "wildcard":
        fixed = draw(st.lists(OCTET, min_size=1, max_size=3).filter(any))
        text = ".".join([*map(str, fixed), *["*"] * (4 - len(fixed))])
        address = ".".join([*map(str, fixed), *["0"] * (4 - len(fixed))])
        return text, address, ".".join(["255"] * len(fixed) + ["0"] * (4 - len(fixed)))
    prefix = 32 if kind != "subnet" else draw(st.integers(1, 32))
    network = ipaddress.IPv4Network((draw(st.integers(1, 2**32 - 1)), prefix), strict=False)
    address = str(network.network_address)
    if address == "0.0.0.0":
        address, network = "128.0.0.0", ipaddress.IPv4Network(f"128.0.0.0/{prefix}")
    mask = str(network.netmask)
    return (address if kind == "host" else f"{address}/{mask}"), address, mask


@st.composite
def specs(draw):
    source, destination = draw(endpoints()), draw(endpoints())
    protocol = draw(st.sampled_from(["", "TCP", "tcp", "Udp", "UDP", "ICMP", "icmp"]))
    ports = protocol.upper() in ("TCP", "UDP")
    source_port = draw(st.integers(0, 65535)) if ports else 0
    destination_port = draw(st.integers(0, 65535)) if ports else 0
    mirrored = draw(st.booleans())
    text = source[0] + (f":{source_port}" if source_port else "") + ("+" if mirrored else "=") + destination[0]
    if protocol:
        text += f":{destination_port or ''}:{protocol}"
    elif draw(st.booleans()):
        text += "::"  # the trailing "::" of a real script [S26]
    expected = {"srcaddr": source[1], "dstaddr": destination[1], "protocol": protocol.upper() or "ANY", "mirrored": "yes" if mirrored else "no"}
    for tag, mask in (("srcmask", source[2]), ("dstmask", destination[2])):
        if mask is not None:
            expected[tag] = mask
    if ports:
        expected.update(srcport=str(source_port), dstport=str(destination_port))
    return text, expected


@settings(max_examples=400)
@given(specs())
def test_random_specs_read_back_to_the_same_addresses_masks_ports_protocol_and_mirroring(case):
    text, expected = case
    command = filter_arguments("L", parse_filter_spec(text))
    assert command[:3] == ("add", "filter", "filterlist=L")
    tags = dict(argument.split("=", 1) for argument in command[3:])
    assert len(tags) == len(command) - 3
    assert tags == expected


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "PASS", "BLOCK", "-x", "-y", "-o",
                                           "-lan", "-t", "10.0.0.1", "-1p", "–w", "\\\\pc", "/?", "-?", ""]),
                          st.text(max_size=12)), max_size=14),
       st.sampled_from(["ipsecpol", "ipseccmd"]))
def test_any_arguments_translate_or_are_refused_with_a_reason(argv, tool):
    store = store_with(("R", "R", "R negpol"))
    try:
        commands = ipsecpol_commands(tool, argv, store)
    except IpsecpolUnsupported as error:
        assert error.reason and isinstance(error.reason, str)
        return
    assert all(isinstance(command, tuple) and all(isinstance(argument, str) for argument in command) for command in commands)


def test_parse_filter_spec_model():
    assert parse_filter_spec("10.0.0.0/255.0.0.0:1024+0::UDP") == FilterSpec(
        Address("ip", "10.0.0.0", "255.0.0.0"), Address("me"), 1024, 0, "UDP", mirrored=True)


# --- -x, -y, -o ------------------------------------------------------------------------------------------

def seeded_store() -> FakeStore:
    return store_with((WEB, WEB, f"{WEB} negpol"), (MAIL, MAIL, f"{MAIL} negpol"), (ALL, ALL, "Block"), ("Default", None, None))


def test_x_and_y_alone_assign_and_unassign_an_existing_policy():
    assert run(["-w", "REG", "-p", PF, "-x"], seeded_store()) == (("set", "policy", f"name={PF}", "assign=yes"),)
    assert run(["-p", PF, "-w", "reg", "-y"], seeded_store(), "ipseccmd") == (("set", "policy", f"name={PF}", "assign=no"),)


def test_x_with_a_new_rule_assigns_after_the_rule():
    commands = run(["-w", "REG", "-p", "Block TCP 80 Filter", "-r", "Block Inbound TCP 80 Rule", "-f", "*=0:80:TCP", "-n", "BLOCK", "-x"],
                   tool="ipseccmd")
    assert commands == (
        ("add", "policy", "name=Block TCP 80 Filter"),
        ("add", "filterlist", "name=Block Inbound TCP 80 Rule"),
        ("add", "filter", "filterlist=Block Inbound TCP 80 Rule", "srcaddr=any", "dstaddr=me", "protocol=TCP", "srcport=0", "dstport=80",
         "mirrored=no"),
        ("add", "filteraction", "name=Block Inbound TCP 80 Rule negpol", "action=block"),
        ("add", "rule", "name=Block Inbound TCP 80 Rule", "policy=Block TCP 80 Filter", "filterlist=Block Inbound TCP 80 Rule",
         "filteraction=Block Inbound TCP 80 Rule negpol"),
        ("set", "policy", "name=Block TCP 80 Filter", "assign=yes"),
    )


def test_a_rule_is_added_to_an_existing_policy_without_creating_it():
    commands = run(["-p", PF, "-w", "REG", "-r", "Extra", "-f", "*=0:80:TCP", "-n", "BLOCK"], seeded_store())
    assert commands[0] == ("add", "filterlist", "name=Extra")
    assert commands[-1] == ("add", "rule", "name=Extra", f"policy={PF}", "filterlist=Extra", "filteraction=Extra negpol")


O_DELETES = (
    ("delete", "policy", f"name={PF}"),
    ("delete", "filterlist", f"name={WEB}"), ("delete", "filterlist", f"name={MAIL}"), ("delete", "filterlist", f"name={ALL}"),
    ("delete", "filteraction", f"name={WEB} negpol"), ("delete", "filteraction", f"name={MAIL} negpol"), ("delete", "filteraction", "name=Block"),
)


def test_o_without_r_deletes_the_policy_and_the_lists_and_actions_its_rules_use():
    assert run(["-w", "REG", "-p", PF, "-o"], seeded_store()) == O_DELETES


def test_o_naming_every_rule_deletes_the_policy_as_kb_813878_says():
    argv = ["-w", "REG", "-p", PF, "-r", ALL, "-r", WEB, "-r", MAIL.upper(), "-o"]
    assert run(argv, seeded_store()) == O_DELETES


def test_y_o_unassigns_then_deletes():
    assert run(["-w", "REG", "-p", PF, "-y", "-o"], seeded_store()) == (("set", "policy", f"name={PF}", "assign=no"), *O_DELETES)


def test_o_deletes_a_shared_list_or_action_once_and_skips_missing_ones():
    store = store_with(("A", "Shared", "Block"), ("B", "Shared", "Block"), ("C", "Gone", "Block"))
    store.filter_lists.discard("Gone")
    assert run(["-w", "REG", "-p", PF, "-o"], store) == (
        ("delete", "policy", f"name={PF}"), ("delete", "filterlist", "name=Shared"), ("delete", "filteraction", "name=Block"))


def test_o_of_a_policy_that_does_not_exist_changes_nothing():
    assert run(["-w", "REG", "-p", "MyPol", "-y", "-o"], seeded_store()) == ()
    assert run(["-w", "REG", "-p", "MyPol", "-r", "R", "-o"]) == ()


def test_usage_screens_run_no_command():
    for argv in ([], ["-?"], ["/?"]):
        assert run(argv) == ()


def test_options_that_map_exactly():
    commands = run(["-w", "REG", "-p", "P", "-r", "R", "-f", "10.0.0.0/255.0.0.0=0", "-n", "PASS", "-t", "192.0.2.1", "-dialup", "-1p"])
    assert commands[0] == ("add", "policy", "name=P", "mmpfs=yes")
    assert commands[-1] == ("add", "rule", "name=R", "policy=P", "filterlist=R", "filteraction=R negpol", "tunnel=192.0.2.1", "conntype=dialup")
    assert run(["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "PASS", "-lan"])[-1][-1] == "conntype=lan"


def test_unknown_tool_is_a_programming_error():
    with pytest.raises(ValueError, match="expected ipsecpol or ipseccmd, not 'netsh'"):
        ipsecpol_commands("netsh", ["-w", "REG"], FakeStore())


# --- refusals --------------------------------------------------------------------------------------------

STATIC = ["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "PASS"]
REFUSALS = [
    # where the policy goes
    (["-f", "*=0:80:TCP"], None,
     "no -w: ipsecpol runs in dynamic mode, which never writes the static policy store; only static mode (-w REG) can be imported"),
    (["-u"], None, "no -w: ipsecpol runs in dynamic mode, which never writes the static policy store; only static mode (-w REG) can be imported"),
    (["-w", "DS:corp.example", "-p", "P", "-x"], None,
     "-w DS:corp.example: the policy would be written to Active Directory; only the local store (-w REG) is read"),
    (["-w", "ds", "-p", "P", "-x"], None, "-w ds: the policy would be written to Active Directory; only the local store (-w REG) is read"),
    (["-w", "REGISTRY", "-p", "P", "-x"], None, "-w REGISTRY: expected REG (the local registry) or DS:domain"),
    (["\\\\machinename", "-w", "REG", "-p", "policyname", "-x"], None,
     "\\\\machinename: ipsecpol would change the policy store of another computer; only the local store is read"),
    # the shape of the command line
    (["–w", "REG", "–p", PF, "–x"], None, "–w: – is a typographic dash, not a switch (ipsecpol would not read it as one); write -w"),
    (["-w", "REG", "-p", PF, "—x"], None, "—x: — is a typographic dash, not a switch (ipsecpol would not read it as one); write -x"),
    (["-w", "REG", "-p", PF, "-r", "R", "-f", "*+0", "–n", "PASS"], None,
     "–n: – is a typographic dash, not a switch (ipsecpol would not read it as one); write -n"),
    (["-w", "REG", "-p", PF, "-r", MAIL, "-f*:25:TCP"], None, "-f*:25:TCP: a value joined to its switch is not documented; write -f *:25:TCP"),
    (["-w", "REG", "-p", PF, "-X"], None, "-X: not a documented ipsecpol switch; switches are lower case: write -x"),
    (["-W", "REG"], None, "-W: not a documented ipsecpol switch; switches are lower case: write -w"),
    (["-w", "REG", "-p", PF, "-z"], None, "-z: not a documented ipsecpol switch"),
    (["-w", "REG", "-p", "Packet", "Filter", "-x"], None, '"Filter": an argument that belongs to no switch (a name with spaces needs quotes)'),
    (["-w", "REG", "-p", "P", "-x", "now"], None, '"now": an argument that belongs to no switch (a name with spaces needs quotes)'),
    (["-w"], None, "-w needs a value"),
    (["-w", "REG", "-p", "-x"], None, "-p needs a value"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", "-n", "PASS"], None, "-f needs a value"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", " ", "-n", "PASS"], None, "-f needs a value"),
    (["-w", "REG", "-w", "REG", "-p", "P", "-x"], None, "-w given twice"),
    (["-w", "REG", "-p", "P", "-p", "Q", "-x"], None, "-p given twice"),
    ([*STATIC, "-n", "BLOCK"], None, "-n given twice"),
    (["-w", "REG", "-p", "P", "-x", "-?"], None, "-? shows ipsecpol's usage screen; what it does with other switches is not documented"),
    # switches whose effect is not documented
    ([*STATIC, "-a", "PRESHARE:secret"], None,
     "-a PRESHARE:secret: the format of its values is not documented in any readable source (IPSECPOL.md §5)"),
    ([*STATIC, "-1s", "3DES-SHA-2"], None, "-1s 3DES-SHA-2: the format of its values is not documented in any readable source (IPSECPOL.md §5)"),
    ([*STATIC, "-1k", "10Q"], None, "-1k 10Q: the format of its values is not documented in any readable source (IPSECPOL.md §5)"),
    ([*STATIC, "-1f", "0+*"], None, "-1f: not a documented ipsecpol switch"),
    ([*STATIC, "-soft"], None, "-soft: how ipsecpol records soft SAs on a PASS or BLOCK action is not documented"),
    ([*STATIC, "-confirm"], None, "-confirm: a dynamic-mode switch [S24]; it has no meaning with -w"),
    (["-w", "REG", "-u"], None, "-u deletes the dynamic-mode policies, which are not in the static store"),
    # the policy
    (["-w", "REG", "-x"], None, "no -p: the policy name ipsecpol then uses is not documented"),
    (["-w", "REG", "-p", "ipsec:1", "-r", "R", "-f", "*+0:135:TCP", "-n", "BLOCK"], None,
     "-p ipsec:1: the unit of the poll interval (1) is not documented (netsh's pollinginterval is in minutes); "
     "leave :N out, or set pollinginterval with netsh"),
    (["-w", "REG", "-p", "a:b", "-x"], None,
     "-p a:b: the text after ':' is read as the poll interval (Name:PollInterval); a policy name with ':' is not documented"),
    (["-w", "REG", "-p", "", "-x"], None, "-p with an empty policy name"),
    (["-w", "REG", "-p", "P"], None, "-p P alone: what ipsecpol does with a policy and no -r, -x, -y or -o is not documented"),
    (["-w", "REG", "-p", "P", "-x"], None, '-x: policy "P" does not exist; what ipsecpol does then is not documented'),
    (["-w", "REG", "-p", "P", "-y"], None, '-y: policy "P" does not exist; what ipsecpol does then is not documented'),
    (["-w", "REG", "-p", PF, "-x", "-y"], "seeded", "-x (assign) and -y (unassign) together"),
    # a new rule
    (["-w", "REG", "-p", "P", "-f", "*+0", "-n", "PASS"], None, "-f without -r: the rule name ipsecpol then uses is not documented"),
    (["-w", "REG", "-p", "P", "-n", "PASS", "-x"], None, "-n without -r: the rule name ipsecpol then uses is not documented"),
    (["-w", "REG", "-p", "P", "-lan", "-x"], None, "-lan without -r: the rule name ipsecpol then uses is not documented"),
    (["-w", "REG", "-p", "P", "-r", "", "-f", "*+0", "-n", "PASS"], None, "-r with an empty rule name"),
    ([*STATIC, "-r", "S"], None, "several -r without -o: only a delete (-o) takes several rules (KB 813878)"),
    ([*STATIC, "-y"], None, "-r R with -y: what ipsecpol does with a rule and -y is not documented"),
    (["-w", "REG", "-p", "P", "-r", "R", "-n", "PASS"], None, "-r R without -f: a new rule needs filters"),
    (["-w", "REG", "-p", "P", "-r", "R", "-x"], None, "-r R without -f: a new rule needs filters"),
    (SEED_MAIL, None, f"-r {MAIL} without -n: the action ipsecpol then uses by default is not documented; add -n PASS or -n BLOCK"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "INPASS"], None,
     "-n INPASS: the security methods negotiated for inbound pass-through are not documented"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "pass"], None,
     "-n pass: the sources give PASS, BLOCK and INPASS in upper case only; write -n PASS"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "ESP[3DES,SHA]"], None,
     "-n ESP[3DES,SHA]: security methods (a negotiating action) are not supported: their exact format is not documented "
     "(IPSECPOL.md §5); only -n PASS and -n BLOCK are"),
    (["-w", "REG", "-p", "P", "-r", "R", "-f", "*+0", "-n", "PASS", "BLOCK"], None,
     "-n PASS BLOCK: security methods (a negotiating action) are not supported: their exact format is not documented "
     "(IPSECPOL.md §5); only -n PASS and -n BLOCK are"),
    ([*STATIC, "-t", "gw.example"], None, "-t gw.example: only an IPv4 address is supported as the tunnel end point"),
    ([*STATIC, "-t", "0.0.0.0"], None, "-t 0.0.0.0: only an IPv4 address is supported as the tunnel end point"),
    ([*STATIC, "-t", "192.0.2.1"], None, "-t 192.0.2.1 with a mirrored filter (+): a tunnel rule takes one direction per command [S24]"),
    ([*STATIC, "-lan", "-dialup"], None, "-lan and -dialup together: the syntax takes one of them ({-dialup | -lan})"),
    # names that already exist
    (["-w", "REG", "-p", PF, "-r", WEB.upper(), "-f", "*+0", "-n", "PASS"], "seeded",
     f'rule "{WEB.upper()}" already exists in policy "{PF}": what ipsecpol does then is not documented'),
    (["-w", "REG", "-p", PF, "-r", "Block", "-f", "*+0", "-n", "PASS", "-1p"], "seeded",
     f'-1p: whether ipsecpol turns on master key PFS in the existing policy "{PF}" is not documented'),
    (["-w", "REG", "-p", "Other", "-r", WEB, "-f", "*+0", "-n", "PASS"], "seeded",
     f'a filter list named "{WEB}" already exists: whether ipsecpol reuses it or adds another of the same name is not documented'),
    (["-w", "REG", "-p", "Other", "-r", "Lonely", "-f", "*+0", "-n", "PASS"], "lonely",
     'a filter action named "Lonely negpol" already exists: whether ipsecpol reuses it or adds another of the same name is not documented'),
    # deleting
    (["-w", "REG", "-p", PF, "-r", WEB, "-o"], "seeded",
     f'-o with -r naming only some rules of "{PF}": the sources show -o with every rule named, which deletes the policy (KB 813878); '
     "what it does when other rules remain is not documented"),
    (["-w", "REG", "-p", PF, "-r", "Default", "-o"], "seeded", f'-o -r Default: policy "{PF}" has no rule of that name'),
    (["-w", "REG", "-p", PF, "-o", "-x"], "seeded", "-o with -x: not documented (-o deletes)"),
    (["-w", "REG", "-p", PF, "-o", "-f", "*+0"], "seeded", "-o with -f: not documented (-o deletes)"),
    (["-w", "REG", "-p", PF, "-r", WEB, "-f", "*+0", "-n", "PASS", "-o"], "seeded", "-o with -f: not documented (-o deletes)"),
]


def refusal_store(name):
    if name == "seeded":
        return seeded_store()
    if name == "lonely":
        return store_with(actions=("Lonely negpol",))
    return FakeStore()


@pytest.mark.parametrize("argv, store, reason", REFUSALS, ids=[f"{index}:{' '.join(row[0])[:40]}" for index, row in enumerate(REFUSALS)])
def test_refusals_name_the_reason(argv, store, reason):
    assert refusal(argv, refusal_store(store)) == reason


def test_ipseccmd_only_switches_are_known_to_ipseccmd():
    assert refusal([*STATIC, "-1f", "0+*"], tool="ipseccmd") == "-1f 0+*: the format of its values is not documented in any readable source (IPSECPOL.md §5)"
    assert refusal([*STATIC, "-1e", "300"], tool="ipseccmd") == "-1e 300: the format of its values is not documented in any readable source (IPSECPOL.md §5)"
    assert refusal(["-f", "0+*"], tool="ipseccmd") == (
        "no -w: ipseccmd runs in dynamic mode, which never writes the static policy store; only static mode (-w REG) can be imported")


def test_a_refused_line_changes_nothing_in_the_store_view():
    store = seeded_store()
    before = (dict(store.policies), set(store.filter_lists), set(store.filter_actions))
    refusal(["-w", "REG", "-p", PF, "-r", WEB, "-f", "*+0", "-n", "PASS"], store)
    assert (store.policies, store.filter_lists, store.filter_actions) == before
