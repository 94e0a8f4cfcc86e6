# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. One static-mode ``ipsecpol`` / ``ipseccmd`` command line as the
``netsh ipsec static`` commands that make the same change to the store.

Part of reading a script (``_script_lines`` finds the command lines, ``_script_store`` runs what this
module returns against a store in memory). :func:`ipsecpol_commands` takes the tool's name, its
arguments (quotes already removed) and a read-only :class:`StoreView` of the store as it is before
the line runs, and returns the netsh commands as argument lists, each the part after ``ipsec static``,
in canonical form: full tag names, one ``tag=value`` argument per tag, values unquoted. It never
guesses: a line whose effect on the store the sources do not pin down raises
:class:`IpsecpolUnsupported` with the reason, and nothing of it is translated.

What is translated (grammar and sources: ``../shared/reference/netsh/IPSECPOL.md``; seed 000 is the
IPSECPOL lockdown article; every assumption is a row A-120 to A-129 of ``docs/assumptions.md``):

* ``-w REG -p Policy -r Rule -f Spec... -n PASS|BLOCK`` with optional ``-x``, ``-lan`` or ``-dialup``,
  ``-t a.b.c.d`` and ``-1p``: the policy when it is missing, a filter list named after the rule with one
  filter per spec, a filter action ``"<rule> negpol"``, the rule, and the assignment;
* ``-w REG -p Policy -x`` / ``-y``: assign / unassign an existing policy;
* ``-w REG -p Policy [-y] -o``: delete the policy with the filter lists and filter actions its rules
  use; with ``-r`` only when the ``-r`` names are every rule of the policy;
* no arguments, ``-?`` or ``/?``: the usage screen, no command.

Everything else is refused: dynamic mode (no ``-w``), Active Directory (``-w DS``), another computer
(``\\\\name``), a poll interval, security methods and ``INPASS``, ``-a``/``-1s``/``-1k``/``-1f``/``-1e``/
``-soft``, names that already exist, filter specs outside the documented grammar, and typographic
dashes (``–w``, as published copies of seed 000 print them).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

TOOLS = ("ipsecpol", "ipseccmd")

# Switches, as [S24] (ipsecpol) and [S25] (ipseccmd) list them (IPSECPOL.md §2). Each takes one argument,
# the arguments up to the next switch ("one or more ... separated by spaces" [S25]), or none.
_ONE_ARGUMENT = frozenset(("-w", "-p", "-r", "-t", "-1k", "-1e"))
_ARGUMENT_LIST = frozenset(("-f", "-n", "-a", "-1s", "-1f"))
_NO_ARGUMENT = frozenset(("-x", "-y", "-o", "-u", "-soft", "-dialup", "-lan", "-confirm", "-1p", "-?"))
_IPSECCMD_ONLY = frozenset(("-1f", "-1e"))  # listed for ipseccmd [S25], not for ipsecpol [S24]
# Switches given more than once are refused, except these: several -f [seed 000], several -r with -o [S7].
_REPEATABLE = frozenset(("-f", "-r"))
# Dashes a word processor or web page puts where a script had "-" (seed 000 as published prints "–w").
_TYPOGRAPHIC_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")

_NEGPOL_SUFFIX = " negpol"  # seed 000: the action is "named 'rule-list-name negpol'"
# -n: seed 000 and KB 813878 [S7] use PASS and BLOCK; netsh's filter action has permit and block [S2][S3].
_ACTIONS = {"PASS": "permit", "BLOCK": "block"}
_PROTOCOLS = frozenset(("TCP", "UDP", "ICMP"))  # IPSECPOL.md §4.1; any case [S26]
_PORT_PROTOCOLS = frozenset(("TCP", "UDP"))
_DOTTED = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")
_PORT = re.compile(r"^[1-9][0-9]{0,4}$")


class StoreView(Protocol):
    """The store as it is before the command line runs (read only). Names are looked up without
    regard to case, as netsh does (A-31)."""

    def has_policy(self, name: str) -> bool:
        """Whether a policy of that name exists."""

    def has_filter_list(self, name: str) -> bool:
        """Whether a filter list of that name exists."""

    def has_filter_action(self, name: str) -> bool:
        """Whether a filter action of that name exists."""

    def rules(self, policy: str) -> Sequence[tuple[str, str | None, str | None]]:
        """The rules of an existing policy, in order: (rule name, filter list, filter action). An entry
        whose filter list is ``None`` (the default response rule, if the store lists it) is ignored."""


class IpsecpolUnsupported(Exception):
    """The command line cannot be translated exactly; ``reason`` says why (shown to the user next to the line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Address:
    """One side of a filter spec: ``kind`` is ``any`` (``*``), ``me`` (``0``) or ``ip``; for ``ip``,
    ``address`` and ``mask`` are dotted IPv4 text."""

    kind: str
    address: str = ""
    mask: str = ""


@dataclass(frozen=True)
class FilterSpec:
    """One ``-f`` filter spec. Ports are 0 for any, ``protocol`` is ``ANY``, ``TCP``, ``UDP`` or ``ICMP``."""

    source: Address
    destination: Address
    source_port: int
    destination_port: int
    protocol: str
    mirrored: bool


@dataclass(frozen=True)
class _Switch:
    name: str
    values: tuple[str, ...]


def ipsecpol_commands(tool: str, argv: Sequence[str], store: StoreView) -> tuple[tuple[str, ...], ...]:
    """tool is "ipsecpol" or "ipseccmd"; argv the arguments after it. Returns netsh argument lists, each the part
    after "ipsec static", e.g. ("add", "filter", "filterlist=Inbound web protocols", "srcaddr=any", "dstaddr=me", ...).

    Raises:
        IpsecpolUnsupported: the line cannot be translated exactly; nothing of it is.
        ValueError: ``tool`` is neither ipsecpol nor ipseccmd.
    """
    if tool not in TOOLS:
        raise ValueError(f"expected ipsecpol or ipseccmd, not {tool!r}")
    argv = tuple(argv)
    if argv in ((), ("-?",), ("/?",)):
        # "Run without arguments, IpSecPol displays a basic usage screen"; -? "displays an extended usage screen" [S24].
        return ()
    switches = _scan(tool, argv)
    found = {switch.name: switch for switch in switches}
    if "-?" in found:
        raise IpsecpolUnsupported(f"-? shows {tool}'s usage screen; what it does with other switches is not documented")
    _refuse_other_stores(tool, found.get("-w"))
    for switch in switches:
        _refuse_unsupported_switch(tool, switch)
    if "-p" not in found:
        raise IpsecpolUnsupported(f"no -p: the policy name {tool} then uses is not documented")
    policy = _policy_name(found["-p"].values[0])
    if "-x" in found and "-y" in found:
        raise IpsecpolUnsupported("-x (assign) and -y (unassign) together")
    rules = tuple(value for switch in switches if switch.name == "-r" for value in switch.values)
    for rule in rules:
        if not rule:
            raise IpsecpolUnsupported("-r with an empty rule name")
    if "-o" in found:
        return _delete(found, policy, rules, store)
    if rules:
        return _add_rule(tool, found, switches, policy, rules, store)
    for name in ("-f", "-n", "-t", "-lan", "-dialup", "-1p"):
        if name in found:
            raise IpsecpolUnsupported(f"{name} without -r: the rule name {tool} then uses is not documented")
    if "-x" in found or "-y" in found:
        return (_assign(tool, policy, "-x" in found, store),)
    raise IpsecpolUnsupported(f"-p {policy} alone: what {tool} does with a policy and no -r, -x, -y or -o is not documented")


def parse_filter_spec(spec: str) -> FilterSpec:
    """One filter spec ``Src[/mask][:port](=|+)Dst[/mask][:port][:protocol]`` (IPSECPOL.md §4.1, §4.2; A-123).

    Raises:
        IpsecpolUnsupported: the spec is not in the documented grammar; the reason names it.
    """
    if spec.upper() == "DEFAULT":
        raise IpsecpolUnsupported(f"-f {spec}: a DEFAULT filter spec is not in any readable source (IPSECPOL.md §4.3)")
    separators = [char for char in spec if char in "=+"]
    if len(separators) != 1:
        raise IpsecpolUnsupported(f"-f {spec}: expected one Source=Destination (one way) or Source+Destination (mirrored)")
    source_text, separator, destination_text = spec.partition(separators[0])
    source_parts, destination_parts = source_text.split(":"), destination_text.split(":")
    if len(source_parts) > 2:
        raise IpsecpolUnsupported(f"-f {spec}: the source takes at most an address and a port (address[/mask][:port])")
    if len(destination_parts) > 3:
        raise IpsecpolUnsupported(f"-f {spec}: the destination takes at most address[/mask][:port][:protocol]")
    protocol = _protocol(spec, destination_parts[2] if len(destination_parts) == 3 else "")
    source_port = _port(spec, source_parts[1] if len(source_parts) == 2 else "")
    destination_port = _port(spec, destination_parts[1] if len(destination_parts) > 1 else "")
    if (source_port or destination_port) and protocol not in _PORT_PROTOCOLS:
        # netsh: "If you specify a port, acceptable value is TCP or UDP." [S3]; ipsecpol's reading is not documented.
        raise IpsecpolUnsupported(f"-f {spec}: a port needs TCP or UDP as the protocol")
    return FilterSpec(_address(spec, source_parts[0]), _address(spec, destination_parts[0]), source_port, destination_port,
                      protocol, mirrored=separator == "+")


def filter_arguments(filter_list: str, spec: FilterSpec) -> tuple[str, ...]:
    """The netsh ``add filter`` command for ``spec`` in ``filter_list``: ``*`` is ``any``, ``0`` is ``me``
    (no mask for either), a port only with TCP or UDP, 0 meaning any [S2][S3]."""
    arguments = ["add", "filter", f"filterlist={filter_list}"]
    for tag, mask_tag, side in (("srcaddr", "srcmask", spec.source), ("dstaddr", "dstmask", spec.destination)):
        if side.kind == "ip":
            arguments += [f"{tag}={side.address}", f"{mask_tag}={side.mask}"]
        else:
            arguments.append(f"{tag}={side.kind}")
    arguments.append(f"protocol={spec.protocol}")
    if spec.protocol in _PORT_PROTOCOLS:
        arguments += [f"srcport={spec.source_port}", f"dstport={spec.destination_port}"]
    arguments.append(f"mirrored={'yes' if spec.mirrored else 'no'}")
    return tuple(arguments)


# --- the command line -------------------------------------------------------------------------------


def _scan(tool: str, argv: tuple[str, ...]) -> list[_Switch]:
    """The switches in order with their arguments; refuses what is not a switch where one must be."""
    switches: list[_Switch] = []
    seen: set[str] = set()
    index = 0
    while index < len(argv):
        token = argv[index]
        _refuse_non_switch(tool, token)
        name = "-?" if token == "/?" else token
        index += 1
        if name in _ONE_ARGUMENT:
            if index == len(argv) or _looks_like_switch(argv[index]):
                raise IpsecpolUnsupported(f"{name} needs a value")
            values = (argv[index],)
            index += 1
        elif name in _ARGUMENT_LIST:
            start = index
            while index < len(argv) and not _looks_like_switch(argv[index]):
                index += 1
            values = tuple(argv[start:index])
            if not "".join(values).strip():
                raise IpsecpolUnsupported(f"{name} needs a value")
        else:
            values = ()
        if name in seen and name not in _REPEATABLE:
            raise IpsecpolUnsupported(f"{name} given twice")
        seen.add(name)
        switches.append(_Switch(name, values))
    return switches


def _refuse_non_switch(tool: str, token: str) -> None:
    """Switches are lower case, in any order, each a word of its own (A-120); ``\\\\computer`` is refused (A-129)."""
    if token.startswith("\\\\"):
        # "sets policies on that computer. If used, this flag must be the first argument." [S24]
        raise IpsecpolUnsupported(f"{token}: {tool} would change the policy store of another computer; only the local store is read")
    if token[:1] in _TYPOGRAPHIC_DASHES:
        raise IpsecpolUnsupported(f"{token}: {token[0]} is a typographic dash, not a switch ({tool} would not read it as one); write -{token[1:]}")
    if token == "/?":
        return
    if not token.startswith("-"):
        raise IpsecpolUnsupported(f'"{token}": an argument that belongs to no switch (a name with spaces needs quotes)')
    known = _ONE_ARGUMENT | _ARGUMENT_LIST | _NO_ARGUMENT
    if tool == "ipsecpol":
        known -= _IPSECCMD_ONLY
    if token in known:
        return
    if token[:2] in _ONE_ARGUMENT | _ARGUMENT_LIST and token[:2] in known:
        raise IpsecpolUnsupported(f"{token}: a value joined to its switch is not documented; write {token[:2]} {token[2:]}")
    hint = f"; switches are lower case: write {token.lower()}" if token.lower() in known else ""
    raise IpsecpolUnsupported(f"{token}: not a documented {tool} switch{hint}")


def _looks_like_switch(token: str) -> bool:
    return token.startswith(("-", "\\\\")) or token[:1] in _TYPOGRAPHIC_DASHES or token == "/?"


def _refuse_other_stores(tool: str, switch: _Switch | None) -> None:
    """Static mode is selected by -w; REG is the local registry (IPSECPOL.md §2, §3; A-120)."""
    if switch is None:
        raise IpsecpolUnsupported(f"no -w: {tool} runs in dynamic mode, which never writes the static policy store; "
                                  "only static mode (-w REG) can be imported")
    value = switch.values[0]
    # "-w reg" works (a real ipseccmd script [S26]) although seed 000 says upper case only.
    if value.upper() == "REG":
        return
    if value.upper() == "DS" or value.upper().startswith("DS:"):
        raise IpsecpolUnsupported(f"-w {value}: the policy would be written to Active Directory; only the local store (-w REG) is read")
    raise IpsecpolUnsupported(f"-w {value}: expected REG (the local registry) or DS:domain")


def _refuse_unsupported_switch(tool: str, switch: _Switch) -> None:
    """Switches whose effect on the static store the sources do not give (IPSECPOL.md §2, §5; A-128)."""
    value = " ".join(switch.values)
    if switch.name in ("-a", "-1s", "-1k", "-1f", "-1e"):
        raise IpsecpolUnsupported(f"{switch.name} {value}: the format of its values is not documented in any readable source (IPSECPOL.md §5)")
    if switch.name == "-confirm":
        raise IpsecpolUnsupported("-confirm: a dynamic-mode switch [S24]; it has no meaning with -w")
    if switch.name == "-u":
        raise IpsecpolUnsupported("-u deletes the dynamic-mode policies, which are not in the static store")
    if switch.name == "-soft":
        raise IpsecpolUnsupported(f"-soft: how {tool} records soft SAs on a PASS or BLOCK action is not documented")


def _policy_name(value: str) -> str:
    """-p Name[:PollInterval] [S24]: the poll interval's unit is not documented, so one is refused (A-127)."""
    name, colon, interval = value.partition(":")
    if colon and interval.isascii() and interval.isdigit():
        raise IpsecpolUnsupported(f"-p {value}: the unit of the poll interval ({interval}) is not documented "
                                  "(netsh's pollinginterval is in minutes); leave :N out, or set pollinginterval with netsh")
    if colon:
        raise IpsecpolUnsupported(f"-p {value}: the text after ':' is read as the poll interval (Name:PollInterval); "
                                  "a policy name with ':' is not documented")
    if not name:
        raise IpsecpolUnsupported("-p with an empty policy name")
    return name


# --- what the command does to the store -------------------------------------------------------------


def _add_rule(tool: str, found: dict[str, _Switch], switches: list[_Switch], policy: str, rules: tuple[str, ...],
              store: StoreView) -> tuple[tuple[str, ...], ...]:
    """A new rule with its own filter list and filter action, in a policy created when missing (A-121)."""
    if len(rules) > 1:
        raise IpsecpolUnsupported("several -r without -o: only a delete (-o) takes several rules (KB 813878)")
    rule = rules[0]
    if "-y" in found:
        raise IpsecpolUnsupported(f"-r {rule} with -y: what {tool} does with a rule and -y is not documented")
    if "-f" not in found:
        raise IpsecpolUnsupported(f"-r {rule} without -f: a new rule needs filters")
    if "-n" not in found:
        raise IpsecpolUnsupported(f"-r {rule} without -n: the action {tool} then uses by default is not documented; "
                                  "add -n PASS or -n BLOCK")
    specs = [parse_filter_spec(spec) for switch in switches if switch.name == "-f" for value in switch.values for spec in value.split()]
    action = _action(found["-n"].values)
    rule_options = []
    if "-t" in found:
        rule_options.append(f"tunnel={_tunnel(found['-t'].values[0], specs)}")
    if "-lan" in found and "-dialup" in found:
        raise IpsecpolUnsupported("-lan and -dialup together: the syntax takes one of them ({-dialup | -lan})")
    for name, conntype in (("-lan", "lan"), ("-dialup", "dialup")):
        if name in found:
            # "rule applies only to remote access/dial-up connections, or only to LAN connections" [S25]; netsh conntype [S3].
            rule_options.append(f"conntype={conntype}")
    filter_action = rule + _NEGPOL_SUFFIX
    commands: list[tuple[str, ...]] = []
    if store.has_policy(policy):
        if "-1p" in found:
            raise IpsecpolUnsupported(f'-1p: whether {tool} turns on master key PFS in the existing policy "{policy}" is not documented')
        # a rule is one object within its policy whatever the case of its name; an existing one is refused.
        if any(name.casefold() == rule.casefold() for name, filter_list, dummy in store.rules(policy) if filter_list is not None):
            raise IpsecpolUnsupported(f'rule "{rule}" already exists in policy "{policy}": what {tool} does then is not documented')
    else:
        # -p: an existing policy gets the rule, a missing one is created ([S26] as IPSECPOL.md §3 translates it; KB 813878 [S7]).
        commands.append(("add", "policy", f"name={policy}", *(("mmpfs=yes",) if "-1p" in found else ())))
    # Registry objects are known by GUID, so ipsecpol might add a second object of the same name, which netsh cannot.
    if store.has_filter_list(rule):
        raise IpsecpolUnsupported(f'a filter list named "{rule}" already exists: whether {tool} reuses it or adds another '
                                  "of the same name is not documented")
    if store.has_filter_action(filter_action):
        raise IpsecpolUnsupported(f'a filter action named "{filter_action}" already exists: whether {tool} reuses it or adds another '
                                  "of the same name is not documented")
    # Seed 000: "The rule name is used as the name of the filter list."
    commands.append(("add", "filterlist", f"name={rule}"))
    commands.extend(filter_arguments(rule, spec) for spec in specs)
    # Seed 000: "a new permit or block action is created for each rule and is named 'rule-list-name negpol.'"
    commands.append(("add", "filteraction", f"name={filter_action}", f"action={action}"))
    commands.append(("add", "rule", f"name={rule}", f"policy={policy}", f"filterlist={rule}", f"filteraction={filter_action}", *rule_options))
    if "-x" in found:
        # "The -x switch assigns the policy immediately" [S7], in the same command that adds the rule.
        commands.append(("set", "policy", f"name={policy}", "assign=yes"))
    return tuple(commands)


def _action(values: tuple[str, ...]) -> str:
    """-n PASS or BLOCK as the filter action's netsh action (A-124)."""
    value = " ".join(values)
    if value in _ACTIONS:
        return _ACTIONS[value]
    if value == "INPASS":
        raise IpsecpolUnsupported("-n INPASS: the security methods negotiated for inbound pass-through are not documented")
    if value.upper() in (*_ACTIONS, "INPASS"):
        # Seed 000 and [S26]: "BLOCK, PASS or INPASS, must be upper case"; what the tool does with other spellings is unknown.
        raise IpsecpolUnsupported(f"-n {value}: the sources give PASS, BLOCK and INPASS in upper case only; write -n {value.upper()}")
    raise IpsecpolUnsupported(f"-n {value}: security methods (a negotiating action) are not supported: their exact format is "
                              "not documented (IPSECPOL.md §5); only -n PASS and -n BLOCK are")


def _tunnel(value: str, specs: list[FilterSpec]) -> str:
    """-t: "tunnel endpoint ... as an IP address or a DNS domain name" [S25]; netsh rule ``tunnel=`` [S3] (A-128)."""
    if not _DOTTED.match(value) or _ipv4(value) is None or int(_ipv4(value)) == 0:
        raise IpsecpolUnsupported(f"-t {value}: only an IPv4 address is supported as the tunnel end point")
    if any(spec.mirrored for spec in specs):
        # "once for the outbound filters and outgoing tunnel endpoint, and once for the inbound filters" [S24].
        raise IpsecpolUnsupported(f"-t {value} with a mirrored filter (+): a tunnel rule takes one direction per command [S24]")
    return value


def _assign(tool: str, policy: str, assign: bool, store: StoreView) -> tuple[str, ...]:
    """-x assigns (and so unassigns any other policy) [S7]; -y unassigns [S7] (A-125)."""
    if not store.has_policy(policy):
        switch = "-x" if assign else "-y"
        raise IpsecpolUnsupported(f'{switch}: policy "{policy}" does not exist; what {tool} does then is not documented')
    return ("set", "policy", f"name={policy}", f"assign={'yes' if assign else 'no'}")


def _delete(found: dict[str, _Switch], policy: str, rules: tuple[str, ...], store: StoreView) -> tuple[tuple[str, ...], ...]:
    """-o: "Deleting a policy with the -o command will also delete the associated filter lists and filter
    actions" (seed 000); KB 813878 [S7] names every rule with -r "to delete the 'Block UDP 1434 Filter' filter [the
    policy] and both of the rules" (A-126)."""
    for name in ("-f", "-n", "-x", "-t", "-lan", "-dialup", "-1p"):
        if name in found:
            raise IpsecpolUnsupported(f"-o with {name}: not documented (-o deletes)")
    if not store.has_policy(policy):
        # "-y -o Deletes any policy named MyPol" [S21]: with no such policy the store stays as it is.
        return ()
    present = [(name, filter_list, filter_action) for name, filter_list, filter_action in store.rules(policy) if filter_list is not None]
    if rules:
        known = {name.casefold() for name, dummy, unused in present}
        for rule in rules:
            if rule.casefold() not in known:
                raise IpsecpolUnsupported(f'-o -r {rule}: policy "{policy}" has no rule of that name')
        if {rule.casefold() for rule in rules} != known:
            raise IpsecpolUnsupported(f'-o with -r naming only some rules of "{policy}": the sources show -o with every rule named, '
                                      "which deletes the policy (KB 813878); what it does when other rules remain is not documented")
    commands: list[tuple[str, ...]] = []
    if "-y" in found:
        commands.append(("set", "policy", f"name={policy}", "assign=no"))
    # netsh "Deletes a policy and its rules" [S4]; the lists and actions after it, no longer used by its rules.
    commands.append(("delete", "policy", f"name={policy}"))
    for kind, position, exists in (("filterlist", 1, store.has_filter_list), ("filteraction", 2, store.has_filter_action)):
        done: set[str] = set()
        for entry in present:
            name = entry[position]
            if name is None or name.casefold() in done or not exists(name):
                continue
            done.add(name.casefold())
            commands.append(("delete", kind, f"name={name}"))
    return tuple(commands)


# --- filter specs -----------------------------------------------------------------------------------


def _address(spec: str, text: str) -> Address:
    address, slash, mask = text.partition("/")
    if not text:
        raise IpsecpolUnsupported(f"-f {spec}: an address is missing")
    if address == "*":
        # "*" = any address [S26][S7]
        if slash:
            raise IpsecpolUnsupported(f"-f {spec}: {text}: a mask on * is not documented")
        return Address("any")
    if address == "0":
        # "0" = my address [S26][S7]; "0/255.255.255.255" in a real script [S26].
        if slash and mask != "255.255.255.255":
            raise IpsecpolUnsupported(f"-f {spec}: {text}: 0 (this computer) takes no mask but 255.255.255.255")
        return Address("me")
    if "*" in address:
        return _wildcard(spec, text, address, slash)
    if not _DOTTED.match(address) or _ipv4(address) is None:
        raise IpsecpolUnsupported(f"-f {spec}: {text}: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)")
    if not slash:
        # "If omitted, the filter uses mask 255.255.255.255" [S25]
        mask = "255.255.255.255"
    elif mask.isascii() and mask.isdigit():
        raise IpsecpolUnsupported(f"-f {spec}: /{mask}: a prefix length is not documented for -f (only dotted masks); "
                                  "write the dotted mask")
    elif not _DOTTED.match(mask) or _prefix(mask) is None:
        raise IpsecpolUnsupported(f"-f {spec}: {mask}: expected a dotted mask with contiguous ones (255.255.0.0)")
    prefix = _prefix(mask)
    network = int(_ipv4(address))
    if prefix == 0 or network == 0:
        raise IpsecpolUnsupported(f"-f {spec}: {text}: for every address write *")
    if network & ~int(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask) & 0xFFFFFFFF:
        raise IpsecpolUnsupported(f"-f {spec}: {text}: the address has bits outside its mask")
    return Address("ip", address, mask)


def _wildcard(spec: str, text: str, address: str, slash: str) -> Address:
    """``144.92.*.*`` is ``144.92.0.0/255.255.0.0`` [S26]: trailing octets only, one to three of them."""
    octets = address.split(".")
    fixed = [octet for octet in octets if octet != "*"]
    count = len(octets) - len(fixed)
    if slash or len(octets) != 4 or octets[:len(fixed)] != fixed or not 1 <= count <= 3:
        raise IpsecpolUnsupported(f"-f {spec}: {text}: * stands only for trailing octets (a.b.*.*), without a mask")
    address = ".".join(fixed + ["0"] * count)
    if not _DOTTED.match(address) or _ipv4(address) is None or int(_ipv4(address)) == 0:
        raise IpsecpolUnsupported(f"-f {spec}: {text}: not a documented address (*, 0, a.b.c.d[/mask], a.b.*.*)")
    mask = ".".join(["255"] * len(fixed) + ["0"] * count)
    return Address("ip", address, mask)


def _port(spec: str, text: str) -> int:
    """An empty port is every port [S25]; port 0 is not documented for ipsecpol (IPSECPOL.md §4.3)."""
    if text == "":
        return 0
    if not _PORT.match(text) or int(text) > 65535:
        raise IpsecpolUnsupported(f"-f {spec}: port {text}: expected 1-65535 (an empty port means any)")
    return int(text)


def _protocol(spec: str, text: str) -> str:
    if text == "":
        return "ANY"  # "Protocol is optional; if omitted, all protocols are used" [S25]
    if text.upper() not in _PROTOCOLS:
        raise IpsecpolUnsupported(f"-f {spec}: protocol {text}: expected TCP, UDP or ICMP (or nothing for any)")
    return text.upper()


def _ipv4(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def _prefix(mask: str) -> int | None:
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None


__all__ = ["Address", "FilterSpec", "IpsecpolUnsupported", "StoreView", "TOOLS", "filter_arguments", "ipsecpol_commands", "parse_filter_spec"]
