# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The static IPsec store as frozen dataclasses.

Object model (SYNTAX.md §1): filter lists, filter actions and policies are store-level objects named
uniquely; rules are named uniquely within their policy and refer to a filter list and a filter action
by name; a filter has no name and *is* its field tuple.

Two kinds of instances use these classes:

* a **gathered** store (parsed from netsh) has every field set;
* a **desired** store (built from task options) may leave a field ``None``, which means "not
  managed: keep whatever the host has". The planner compares only fields that are not ``None``.

Canonical forms are established on construction, so equal meaning gives equal objects: endpoints via
:class:`~._addresses.Endpoint`, protocol as a number (0 = any), ports as numbers (0 = any), security
methods in their canonical spelling, filters of a list and rules of a policy in a stable order.
No I/O and no Ansible imports here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ._addresses import AddressKind, Endpoint
from ._errors import InvalidInput
from ._methods import AuthKind, AuthMethod
from ._names import NameMap, name_key, same_name
from ._numbers import MAX_NUMBER, check_number, is_decimal

# "ANY | ICMP | TCP | UDP | RAW | <integer>" [S2][S3]; RAW is IP protocol 255.
PROTOCOL_NUMBERS = {"any": 0, "icmp": 1, "tcp": 6, "udp": 17, "raw": 255}
PROTOCOL_NAMES = {number: name.upper() for name, number in PROTOCOL_NUMBERS.items()}
PORT_PROTOCOLS = (6, 17)  # "If you specify a port, acceptable value is TCP or UDP." [S3]
DEFAULT_POLLING_INTERVAL = 180  # minutes; a policy created without it shows 180 [S5]
# pollinginterval and mmlifetime are minutes on netsh's command line, which the store keeps as 32-bit
# seconds, 0 meaning the default (GPIPSEC.md §3.1, §3.2; A-61).
MAX_MINUTES = (2**32 - 1) // 60


class Action(enum.Enum):
    """What a filter action does with matching traffic."""

    PERMIT = "permit"
    BLOCK = "block"
    NEGOTIATE = "negotiate"


class ConnectionType(enum.Enum):
    """Which connections a rule applies to (``conntype``)."""

    ALL = "all"
    LAN = "lan"
    DIALUP = "dialup"


def check_text(field_name: str, value: object, *, allow_empty: bool) -> str:
    """Return ``value`` if it can be passed to netsh and read back unchanged.

    Refused: non-strings; NUL, CR, LF and other control characters; lone surrogates (no UTF-16 text);
    ``"`` (netsh's handling of
    embedded quotes is unknown, A-32); leading or trailing whitespace (show output is read with
    trailing spaces stripped, A-01); and the word ``NONE``, which netsh prints for an empty value
    (A-14).

    Raises:
        InvalidInput: naming ``field_name`` and the value.
    """
    if not isinstance(value, str):
        raise InvalidInput(field_name, value, "expected a string")
    if not value and not allow_empty:
        raise InvalidInput(field_name, value, "must not be empty")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise InvalidInput(field_name, value, "must not contain control characters such as NUL, CR or LF")
    if '"' in value:
        raise InvalidInput(field_name, value, 'must not contain a double quote (") : netsh cannot be given one safely')
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise InvalidInput(field_name, value, "must not contain a lone surrogate (half of a UTF-16 pair): it is not text Windows can store")
    if value != value.strip():
        raise InvalidInput(field_name, value, "must not start or end with whitespace")
    if value == "NONE":
        raise InvalidInput(field_name, value, "NONE is what netsh prints for an empty value and cannot be told apart from it")
    return value


def check_auth_methods(field_name: str, methods: tuple[AuthMethod, ...] | None) -> None:
    """Refuse a method list netsh cannot take: Kerberos or a pre-shared key more than once (only
    "Multiple certificates can be provided by using the rootca parameter multiple times" [S3]), or
    the same root CA twice."""
    if methods is None:
        return
    kinds = [method.kind for method in methods]
    for kind in (AuthKind.KERBEROS, AuthKind.PRESHARED_KEY):
        if kinds.count(kind) > 1:
            raise InvalidInput(field_name, kind.value, "may be given only once (only root CAs can repeat)")
    authorities = [method.secret_or_ca for method in methods if method.kind is AuthKind.ROOT_CA]
    if len(set(authorities)) != len(authorities):
        raise InvalidInput(field_name, "rootca", "the same root CA is listed twice")


def protocol_number(value: object, *, field_name: str = "protocol") -> int:
    """Canonicalise a protocol given as a name (any, icmp, tcp, udp, raw; any case) or a number 0-255."""
    if isinstance(value, bool):
        raise InvalidInput(field_name, value, "expected any, icmp, tcp, udp, raw or a number 0-255")
    text = str(value).strip().lower()
    if text in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[text]
    if is_decimal(text) and int(text) <= 255:
        return int(text)
    raise InvalidInput(field_name, value, "expected any, icmp, tcp, udp, raw or a number 0-255")


def port_number(value: object, *, field_name: str) -> int:
    """Canonicalise a port: a number 0-65535 or ``any``; 0 means any port [S2]."""
    if isinstance(value, bool):
        raise InvalidInput(field_name, value, "expected a port number 0-65535 or any")
    text = str(value).strip().lower()
    if text == "any":
        return 0
    if is_decimal(text) and int(text) <= 65535:
        return int(text)
    raise InvalidInput(field_name, value, "expected a port number 0-65535 or any")


@dataclass(frozen=True)
class Filter:
    """One filter of a filter list. It has no name: its fields are its identity.

    Attributes:
        source, destination: canonical endpoints.
        protocol: IP protocol number, 0 for any.
        source_port, destination_port: 0 for any; non-zero only with TCP or UDP.
        mirrored: also match the reverse direction (netsh default yes [S5]).
        description: ``""`` for none.
    """

    source: Endpoint
    destination: Endpoint
    protocol: int = 0
    source_port: int = 0
    destination_port: int = 0
    mirrored: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        if (self.source_port or self.destination_port) and self.protocol not in PORT_PROTOCOLS:
            port_field = "source_port" if self.source_port else "destination_port"
            raise InvalidInput(
                port_field,
                self.source_port or self.destination_port,
                f"a port needs protocol tcp or udp, not {PROTOCOL_NAMES.get(self.protocol, self.protocol)}",
            )
        for here, there, name in ((self.source, self.destination, "source"), (self.destination, self.source, "destination")):
            # "If source is a server type, then dest is 'me' and vice-versa." [S3]
            if here.kind is AddressKind.SERVER and there.kind is not AddressKind.ME:
                other = "destination" if name == "source" else "source"
                raise InvalidInput(other, str(there), f"must be me when the {name} is the server type {here.value}")

    @classmethod
    def build(
        cls,
        *,
        source: object = "any",
        destination: object = "me",
        source_mask: object = None,
        destination_mask: object = None,
        protocol: object = "any",
        source_port: object = 0,
        destination_port: object = 0,
        mirrored: object = True,
        description: object = "",
    ) -> Filter:
        """Build a filter from loosely typed option values, canonicalising each.

        Raises:
            InvalidInput: naming the first offending option.
        """
        if not isinstance(mirrored, bool):
            raise InvalidInput("mirrored", mirrored, "expected a boolean")
        return cls(
            source=Endpoint.parse(source, source_mask, field="source"),
            destination=Endpoint.parse(destination, destination_mask, field="destination"),
            protocol=protocol_number(protocol),
            source_port=port_number(source_port, field_name="source_port"),
            destination_port=port_number(destination_port, field_name="destination_port"),
            mirrored=mirrored,
            description=check_text("description", description, allow_empty=True),
        )

    @property
    def match_key(self) -> tuple:
        """What ``delete filter`` matches on: every field but the description [S8 p.316]."""
        return (self.source, self.destination, self.protocol, self.source_port, self.destination_port, self.mirrored)

    def sort_key(self) -> tuple:
        """A total order used for stable output and plans."""
        return (
            self.source.sort_key(),
            self.destination.sort_key(),
            self.protocol,
            self.source_port,
            self.destination_port,
            not self.mirrored,
            self.description,
        )


def _sorted_filters(filters: Iterable[Filter]) -> tuple[Filter, ...]:
    return tuple(sorted(filters, key=Filter.sort_key))


@dataclass(frozen=True)
class FilterList:
    """A named filter list.

    Attributes:
        name: unique in the store.
        description: ``""`` for none; ``None`` = not managed.
        filters: a multiset in canonical order (duplicates found on a host are kept so that they can
            be reported and removed); ``None`` = not managed.
    """

    name: str
    description: str | None = None
    filters: tuple[Filter, ...] | None = None

    def __post_init__(self) -> None:
        check_text("name", self.name, allow_empty=False)
        if self.description is not None:
            check_text("description", self.description, allow_empty=True)
        if self.filters is not None:
            object.__setattr__(self, "filters", _sorted_filters(self.filters))

    def duplicate_filters(self) -> tuple[Filter, ...]:
        """Filters that occur more than once, each listed once."""
        seen: set[Filter] = set()
        duplicates: list[Filter] = []
        for item in self.filters or ():
            if item in seen and item not in duplicates:
                duplicates.append(item)
            seen.add(item)
        return tuple(duplicates)


@dataclass(frozen=True)
class FilterAction:
    """A named filter action. ``None`` fields are not managed.

    Attributes:
        qm_security_methods: canonical quick-mode methods in preference order; "ignored if the action
            is not 'negotiate'" [S3].
    """

    name: str
    action: Action | None = None
    description: str | None = None
    inpass: bool | None = None
    soft: bool | None = None
    qmpfs: bool | None = None
    qm_security_methods: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        check_text("name", self.name, allow_empty=False)
        if self.description is not None:
            check_text("description", self.description, allow_empty=True)


@dataclass(frozen=True)
class Rule:
    """A rule of a policy: a filter list paired with a filter action. ``None`` fields are not managed.

    Attributes:
        name: unique within its policy.
        filter_list, filter_action: names of store-level objects.
        tunnel: tunnel end point address, ``""`` for none.
        auth_methods: in preference order ("determined by its order in the command" [S3]).
    """

    name: str
    filter_list: str | None = None
    filter_action: str | None = None
    activate: bool | None = None
    connection_type: ConnectionType | None = None
    description: str | None = None
    tunnel: str | None = None
    auth_methods: tuple[AuthMethod, ...] | None = None

    def __post_init__(self) -> None:
        # "" only for a rule the store holds without a name (Policy.unnamed_rules)
        check_text("name", self.name, allow_empty=True)
        for name in ("filter_list", "filter_action"):
            if getattr(self, name) is not None:
                check_text(name, getattr(self, name), allow_empty=False)
        if self.description is not None:
            check_text("description", self.description, allow_empty=True)
        check_auth_methods("auth_methods", self.auth_methods)


@dataclass(frozen=True)
class DefaultResponseRule:
    """The default response rule every policy has (``set defaultrule``). ``None`` = not managed."""

    activate: bool | None = None
    qmpfs: bool | None = None
    qm_security_methods: tuple[str, ...] | None = None
    auth_methods: tuple[AuthMethod, ...] | None = None

    def __post_init__(self) -> None:
        check_auth_methods("default_rule.auth_methods", self.auth_methods)


@dataclass(frozen=True)
class Policy:
    """A named policy with its rules. ``None`` fields are not managed.

    Attributes:
        rules: sorted by name, names unique.
        polling_interval: minutes ([S2], [S5]).
        mm_lifetime: main-mode rekey time in minutes [S2].
        qm_per_mm: quick-mode sessions per main-mode session; 0 = no limit (A-09). "If mmpfs is
            specified, qmpermm will be set to 1" [S2], so ``mmpfs=True`` forces 1.
        assigned: whether this is the one assigned policy.
        unnamed_rules: rules the store holds without a name (made in the IP Security Policies console,
            which names none; only the registry shows them, GPIPSEC.md §1.3), each with name ``""``, in
            the store's order. netsh can address them only by a number (A-71), so the collection reads
            them, evaluates them and keeps them, and never changes them. ``None`` = not known or not
            managed (a desired store).
    """

    name: str
    description: str | None = None
    rules: tuple[Rule, ...] | None = None
    default_rule: DefaultResponseRule | None = None
    polling_interval: int | None = None
    mmpfs: bool | None = None
    qm_per_mm: int | None = None
    mm_lifetime: int | None = None
    mm_security_methods: tuple[str, ...] | None = None
    assigned: bool | None = None
    unnamed_rules: tuple[Rule, ...] | None = None

    def __post_init__(self) -> None:
        check_text("name", self.name, allow_empty=False)
        if self.description is not None:
            check_text("description", self.description, allow_empty=True)
        if self.rules is not None:
            if any(not rule.name for rule in self.rules):
                raise InvalidInput("rules", "", "a rule needs a name (rules without one are unnamed_rules)")
            # Unique within the policy, ignoring case as Windows does; NameMap sorts them too.
            object.__setattr__(self, "rules", tuple(NameMap(self.rules, kind="rules").values()))
        if self.unnamed_rules is not None:
            object.__setattr__(self, "unnamed_rules", tuple(self.unnamed_rules))
            if any(rule.name for rule in self.unnamed_rules):
                raise InvalidInput("unnamed_rules", self.unnamed_rules[0].name, "holds only rules without a name")
        if self.mmpfs and self.qm_per_mm not in (None, 1):
            raise InvalidInput("qm_per_mm", self.qm_per_mm, "must be 1 (or unset) when mmpfs is on: netsh forces it to 1")
        if self.mmpfs and self.qm_per_mm is None:
            object.__setattr__(self, "qm_per_mm", 1)
        # What a store can hold (what a task may ask for is narrower, see _inputs.policy_from).
        for name, high in (("polling_interval", MAX_MINUTES), ("qm_per_mm", MAX_NUMBER), ("mm_lifetime", MAX_MINUTES)):
            if getattr(self, name) is not None:
                check_number(name, getattr(self, name), high=high)

    def rule(self, name: str) -> Rule | None:
        """The rule called ``name`` in any case (A-31), or ``None``."""
        key = name_key(name)
        return next((rule for rule in self.rules or () if name_key(rule.name) == key), None)


@dataclass(frozen=True)
class Store:
    """A whole policy store (or a desired subset of one), keyed by name in sorted order.

    The three mappings are :class:`~._names.NameMap`: a name finds its object in any case, as on
    Windows (A-31). Build a store with :meth:`of`, which checks that names are unique in that sense.
    """

    filter_lists: Mapping[str, FilterList] = field(default_factory=NameMap)
    filter_actions: Mapping[str, FilterAction] = field(default_factory=NameMap)
    policies: Mapping[str, Policy] = field(default_factory=NameMap)

    @classmethod
    def of(
        cls,
        *,
        filter_lists: Iterable[FilterList] = (),
        filter_actions: Iterable[FilterAction] = (),
        policies: Iterable[Policy] = (),
    ) -> Store:
        """Build a store from objects.

        Raises:
            InvalidInput: when two objects of one kind share a name, in any case.
        """
        return cls(
            filter_lists=NameMap(filter_lists, kind="filter_lists"),
            filter_actions=NameMap(filter_actions, kind="filter_actions"),
            policies=NameMap(policies, kind="policies"),
        )

    @property
    def assigned_policy(self) -> str | None:
        """The name of the assigned policy, or ``None``."""
        return next((name for name, policy in self.policies.items() if policy.assigned), None)

    def rules_using(self, *, filter_list: str | None = None, filter_action: str | None = None) -> tuple[tuple[str, Rule], ...]:
        """Every (policy name, rule) whose rule, named or not, refers to the given filter list or filter action."""
        return tuple(
            (policy.name, rule)
            for policy in self.policies.values()
            for rule in (*(policy.rules or ()), *(policy.unnamed_rules or ()))
            if (filter_list is not None and same_name(rule.filter_list, filter_list))
            or (filter_action is not None and same_name(rule.filter_action, filter_action))
        )


__all__ = [
    "DEFAULT_POLLING_INTERVAL",
    "MAX_MINUTES",
    "PORT_PROTOCOLS",
    "PROTOCOL_NAMES",
    "PROTOCOL_NUMBERS",
    "Action",
    "ConnectionType",
    "DefaultResponseRule",
    "Filter",
    "FilterAction",
    "FilterList",
    "Policy",
    "Rule",
    "Store",
    "check_auth_methods",
    "check_text",
    "port_number",
    "protocol_number",
]
