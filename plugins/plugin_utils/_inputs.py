# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Validated module options -> model objects (the desired state).

The option shapes are those of ``docs/module-options.md`` and ``plugins/doc_fragments/ipsec.py``.
Every function here takes options as ``ArgumentSpecValidator`` returns them: every documented option
is present, ``None`` when the user left it out. Type conversion is the argument spec's job; this
module checks what the spec cannot (forms, ranges, combinations) and canonicalises through the model.

``fill_defaults`` (keyword-only everywhere) says what a left-out object setting means:

* ``False`` ("merged", or an existing object under ``state: present``): the field stays ``None``, which
  the planner reads as "not managed, keep what the host has".
* ``True`` (an object that is created, or replaced by ``ipsec_config`` ``replaced|overridden``): the
  created default applies. The values come from the one table of netsh defaults,
  :data:`~._predict.DEFAULTS`, with the three places where docs/module-options.md decides otherwise:
  a default response rule is created **inactive** (seed 000 unchecks it); a filter action's ``action``
  has no default (it is required, netsh's ``negotiate`` is not assumed); a policy's assignment is never
  defaulted (see :func:`with_assignment`).

Filter fields are different: a filter *is* its fields, so every filter field has a real default and
:func:`expand_filters` always applies it.

Every refusal is an :class:`~._errors.InvalidInput` whose ``field`` is the full option path as the
user wrote it, e.g. ``filters[2].destination_port`` or ``config.policies[0].rules[1].authentication[0]``.
A pre-shared key never appears in an error: its value is shown as ``********``.
"""

from __future__ import annotations

import ipaddress
import re
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterator, Mapping, Sequence

from ._addresses import Endpoint, refuse_zone_index
from ._errors import InvalidInput
from ._methods import AuthKind, AuthMethod, main_mode_method, quick_mode_method
from ._model import (
    PORT_PROTOCOLS,
    PROTOCOL_NAMES,
    Action,
    ConnectionType,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    MAX_MINUTES,
    Policy,
    Rule,
    Store,
    check_auth_methods,
    check_text,
    port_number,
    protocol_number,
)
from ._names import name_key, same_name
from ._numbers import check_number, is_decimal
from ._predict import with_defaults
from ._render import REDACTED

# "Expansion is capped at 1,024 filters per entry" (docs/module-options.md): a typo such as 1-65535
# must not turn into 65,535 netsh commands.
MAX_FILTERS_PER_ENTRY = 1024

# The filter fields and their defaults (docs/module-options.md, "filter"). netsh's own defaults for
# `add filter` are the same: srcaddr/dstaddr required, protocol ANY, ports 0, mirrored yes [S2][S3].
FILTER_DEFAULTS: Mapping[str, object] = {
    "source": "any",
    "source_mask": None,
    "destination": "me",
    "destination_mask": None,
    "protocol": "any",
    "source_port": 0,
    "destination_port": 0,
    "mirrored": True,
    "description": "",
}

# docs/module-options.md: "activate — created default false, as seed 000 unchecks it". netsh's own
# default (A-27, in _predict.DEFAULTS) is on; this is where the collection decides otherwise.
DEFAULT_RULE_CREATED_ACTIVATE = False

_AUTH_KEYS = ("kerberos", "pre_shared_key", "root_ca")

# netsh takes a root CA as one value, "<certificate> certmap:(yes|no) excludecaname:(yes|no)" [S2][S3],
# so a certificate name holding such a word would be read as the option (or the option twice).
_ROOT_CA_OPTION = re.compile(r"(?:^|\s)((?:certmap|excludecaname):\S*)", re.IGNORECASE)


@contextmanager
def _at(path: str) -> Iterator[None]:
    """Put ``path`` in front of the field of any InvalidInput raised inside."""
    try:
        yield
    except InvalidInput as error:
        raise error.within(path) from None


def _get(params: Mapping[str, Any] | None, key: str) -> Any:
    return None if params is None else params.get(key)


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(path, value, "expected a dictionary")
    return value


def _entries(value: object, path: str) -> Sequence[Any] | None:
    """A list option: ``None`` stays ``None``; anything but a list is refused."""
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise InvalidInput(path, value, "expected a list")
    return value


def _name(params: Mapping[str, Any]) -> str:
    name = _get(params, "name")
    if name is None:
        raise InvalidInput("name", None, "is required")
    return check_text("name", name, allow_empty=False)


def _text(params: Mapping[str, Any], key: str, *, allow_empty: bool = True) -> str | None:
    value = _get(params, key)
    return None if value is None else check_text(key, value, allow_empty=allow_empty)


def _flag(params: Mapping[str, Any], key: str) -> bool | None:
    value = _get(params, key)
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(key, value, "expected a boolean")
    return value


def _count(params: Mapping[str, Any], key: str) -> int | None:
    """A whole number from 0 to netsh's largest (:data:`~._numbers.MAX_NUMBER`), or ``None``."""
    value = _get(params, key)
    return None if value is None else check_number(key, value)


def _minutes(params: Mapping[str, Any], key: str) -> int | None:
    """Minutes from 1 to :data:`~._model.MAX_MINUTES`, or ``None``: the store keeps them as 32-bit
    seconds and reads 0 as the default (GPIPSEC.md §3.1, §3.2), so 0 would never read back."""
    value = _get(params, key)
    if value is None:
        return None
    try:
        return check_number(key, value, low=1, high=MAX_MINUTES)
    except InvalidInput as error:
        raise InvalidInput(key, value, f"{error.reason} minutes: Windows keeps them as 32-bit seconds, and 0 means its default") from None


def _choice(params: Mapping[str, Any], key: str, enum_type):
    value = _get(params, key)
    if value is None:
        return None
    try:
        return enum_type(str(value).lower())
    except ValueError:
        choices = ", ".join(member.value for member in enum_type)
        raise InvalidInput(key, value, f"expected one of {choices}") from None


def _methods(params: Mapping[str, Any], key: str, canonical) -> tuple[str, ...] | None:
    """A list of security methods in preference order, each canonicalised; a repeat is refused."""
    entries = _entries(_get(params, key), key)
    if entries is None:
        return None
    methods: list[str] = []
    for index, text in enumerate(entries):
        method = canonical(text, field=f"{key}[{index}]")
        if method in methods:
            raise InvalidInput(f"{key}[{index}]", text, f"is listed twice (as {method})")
        methods.append(method)
    return tuple(methods)


# --- filters -------------------------------------------------------------------------------------


def _port_span(value: object, path: str) -> range:
    """One port (``0`` / ``any`` = any port) or one range ``a-b`` as the ports it stands for."""
    if isinstance(value, str) and "-" in value:
        low_text, dummy, high_text = value.partition("-")
        low_text, high_text = low_text.strip(), high_text.strip()
        if not (is_decimal(low_text) and is_decimal(high_text)):
            raise InvalidInput(path, value, "expected a port number 0-65535, any, or a range a-b of two port numbers")
        low, high = int(low_text), int(high_text)
        if low < 1 or high > 65535:
            raise InvalidInput(path, value, "a range must lie within 1-65535 (0 means any port and cannot be part of a range)")
        if low > high:
            raise InvalidInput(path, value, "a range must start at its lower port")
        return range(low, high + 1)
    if isinstance(value, (list, tuple, Mapping)):
        raise InvalidInput(path, value, "expected a port number 0-65535, any, or a range a-b")
    port = port_number(value, field_name=path)
    return range(port, port + 1)


def _ports(value: object, path: str) -> tuple[int, ...]:
    """Expand a port option (a port, ``any``, a range, or a list of those) to its distinct ports.

    Raises:
        InvalidInput: at ``path`` or ``path[i]``; also when one side alone exceeds the cap.
    """
    if value is None:
        return (0,)
    if isinstance(value, (list, tuple)):
        if not value:
            raise InvalidInput(path, value, "an empty list matches no port: give at least one, or leave the option out for any port")
        spans = [_port_span(item, f"{path}[{index}]") for index, item in enumerate(value)]
    else:
        spans = [_port_span(value, path)]
    ports: set[int] = set()
    for span in spans:
        # Each span is checked before it is materialised, so 1-65535 costs nothing.
        if len(span) > MAX_FILTERS_PER_ENTRY or len(ports.union(span)) > MAX_FILTERS_PER_ENTRY:
            raise InvalidInput(
                path, value,
                f"stands for more than {MAX_FILTERS_PER_ENTRY:,} ports, and each port becomes a filter: "
                f"at most {MAX_FILTERS_PER_ENTRY:,} filters per entry",
            )
        ports.update(span)
    return tuple(sorted(ports))


def expand_filters(entry: Mapping[str, Any]) -> tuple[Filter, ...]:
    """Turn one ``filters`` entry into the filters it stands for.

    netsh takes one port per filter, so a list or range of ports makes one filter per port, and
    lists on both sides make their cross product. ``None`` (or a missing key) takes the filter
    default of docs/module-options.md. The result is sorted and free of duplicates.

    Raises:
        InvalidInput: with a field relative to the entry (``source``, ``destination_mask``,
            ``destination_port[1]``, ...), the caller adds the entry's own path. Beyond
            :data:`MAX_FILTERS_PER_ENTRY` filters the field is ``destination_port``.
    """
    entry = _mapping(entry, "")
    unknown = sorted(set(entry) - set(FILTER_DEFAULTS))
    if unknown:
        raise InvalidInput(unknown[0], entry[unknown[0]], f"is not a filter option; expected {', '.join(FILTER_DEFAULTS)}")
    value = {key: (default if entry.get(key) is None else entry[key]) for key, default in FILTER_DEFAULTS.items()}
    source = Endpoint.parse(value["source"], value["source_mask"], field="source")
    destination = Endpoint.parse(value["destination"], value["destination_mask"], field="destination")
    protocol = protocol_number(value["protocol"])
    source_ports = _ports(value["source_port"], "source_port")
    destination_ports = _ports(value["destination_port"], "destination_port")
    if protocol not in PORT_PROTOCOLS:
        for key, ports in (("source_port", source_ports), ("destination_port", destination_ports)):
            if ports != (0,):
                name = PROTOCOL_NAMES.get(protocol, str(protocol)).lower()
                raise InvalidInput(key, value[key], f"a port needs protocol tcp or udp, not {name}: leave the port out (any) for this protocol")
    total = len(source_ports) * len(destination_ports)
    if total > MAX_FILTERS_PER_ENTRY:
        raise InvalidInput(
            "destination_port",
            value["destination_port"],
            f"with {len(source_ports):,} source ports the entry expands to {total:,} filters; "
            f"at most {MAX_FILTERS_PER_ENTRY:,} per entry: split it into several entries",
        )
    mirrored = value["mirrored"]
    if not isinstance(mirrored, bool):
        raise InvalidInput("mirrored", mirrored, "expected a boolean")
    description = check_text("description", value["description"], allow_empty=True)
    return tuple(
        Filter(source, destination, protocol, source_port, destination_port, mirrored, description)
        for source_port in source_ports
        for destination_port in destination_ports
    )


def _filters(value: object, path: str) -> tuple[Filter, ...] | None:
    entries = _entries(value, path)
    if entries is None:
        return None
    found: dict[Filter, None] = {}  # ordered set: duplicates in input collapse (DESIGN.md)
    for index, entry in enumerate(entries):
        with _at(f"{path}[{index}]"):
            found.update(dict.fromkeys(expand_filters(entry)))
    return tuple(found)


def filter_list_from(params: Mapping[str, Any], *, fill_defaults: bool) -> FilterList:
    """A filter list from the ``filter_list`` shape (``name``, ``description``, ``filters``).

    With ``fill_defaults`` a left-out description becomes ``""`` and left-out filters an empty list;
    without, both stay ``None`` (not managed). Other keys (``state``, ``filters_mode``) are ignored.

    Raises:
        InvalidInput: e.g. at ``name`` or ``filters[2].destination_port``.
    """
    params = _mapping(params, "")
    filter_list = FilterList(
        name=_name(params),
        description=_text(params, "description"),
        filters=_filters(_get(params, "filters"), "filters"),
    )
    if not fill_defaults:
        return filter_list
    return with_defaults(replace(filter_list, filters=() if filter_list.filters is None else filter_list.filters))


# --- filter actions ------------------------------------------------------------------------------


def filter_action_from(params: Mapping[str, Any], *, fill_defaults: bool) -> FilterAction:
    """A filter action from the ``filter_action`` shape.

    With ``fill_defaults``: ``action`` is required (docs/module-options.md: netsh's default,
    negotiate, is not assumed); description ``""``; ``inpass``, ``soft``, ``qmpfs`` false;
    ``qm_security_methods`` netsh's negotiate default for a negotiate action, none otherwise.

    Raises:
        InvalidInput: e.g. at ``action`` or ``qm_security_methods[1]``.
    """
    params = _mapping(params, "")
    action = FilterAction(
        name=_name(params),
        action=_choice(params, "action", Action),
        description=_text(params, "description"),
        inpass=_flag(params, "inpass"),
        soft=_flag(params, "soft"),
        qmpfs=_flag(params, "qmpfs"),
        qm_security_methods=_methods(params, "qm_security_methods", quick_mode_method),
    )
    if not fill_defaults:
        return action
    if action.action is None:
        raise InvalidInput("action", None, "is required when a filter action is created or replaced: give permit, block or negotiate")
    return with_defaults(action)


# --- authentication, rules, policies ---------------------------------------------------------------


def _auth_method(entry: object) -> AuthMethod:
    """One ``authentication`` entry: exactly one of kerberos, pre_shared_key, root_ca."""
    entry = _mapping(entry, "")
    kerberos = entry.get("kerberos")
    if kerberos is False:
        raise InvalidInput("kerberos", False, "kerberos: false is not a method: leave it out and give another method instead")
    given = [key for key in _AUTH_KEYS if entry.get(key) is not None]
    if len(given) != 1:
        reason = "gives no method" if not given else "gives more than one method"
        raise InvalidInput(
            "", given, f"{reason}: each entry takes exactly one of kerberos, pre_shared_key or root_ca (list several entries for several methods)"
        )
    for flag in ("certmap", "exclude_ca_name"):
        if entry.get(flag) not in (None, False) and given != ["root_ca"]:
            raise InvalidInput(flag, entry.get(flag), "applies to a root_ca entry only")
    if given == ["kerberos"]:
        if kerberos is not True:
            raise InvalidInput("kerberos", kerberos, "expected true")
        return AuthMethod(AuthKind.KERBEROS)
    if given == ["pre_shared_key"]:
        key = entry["pre_shared_key"]
        if key == REDACTED:
            raise InvalidInput(
                "pre_shared_key", REDACTED,
                f"{REDACTED} is the redacted form that results show in place of a key, not a key: give the real key",
            )
        try:
            check_text("pre_shared_key", key, allow_empty=False)
        except InvalidInput as error:
            raise InvalidInput("pre_shared_key", REDACTED, error.reason) from None  # never echo a key
        return AuthMethod(AuthKind.PRESHARED_KEY, key)
    root_ca = check_text("root_ca", entry["root_ca"], allow_empty=False)
    option = _ROOT_CA_OPTION.search(root_ca)
    if option:
        raise InvalidInput(
            "root_ca", root_ca,
            f"must be the certificate name only: {option.group(1)!r} is written by the collection from the certmap and "
            "exclude_ca_name options (netsh reads it from the end of the same quoted value)",
        )
    flags = {}
    for flag in ("certmap", "exclude_ca_name"):
        value = entry.get(flag)
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(flag, value, "expected a boolean")
        flags[flag] = bool(value)
    return AuthMethod(AuthKind.ROOT_CA, root_ca, flags["certmap"], flags["exclude_ca_name"])


def _auth_methods(value: object, path: str) -> tuple[AuthMethod, ...] | None:
    entries = _entries(value, path)
    if entries is None:
        return None
    methods = []
    for index, entry in enumerate(entries):
        with _at(f"{path}[{index}]"):
            methods.append(_auth_method(entry))
    result = tuple(methods)
    check_auth_methods(path, result)
    return result


def _tunnel(params: Mapping[str, Any]) -> str | None:
    """The tunnel end point: an IP address in canonical form, or ``""`` for none.

    netsh also takes a DNS name (``tunnel=(ip | dns)`` [S2]) but, as for filter addresses, resolves it
    when the rule is added and shows the address afterwards (A-45), so a rule given a name could never
    compare equal to what the host holds: the name is refused with a message saying so.
    """
    value = _text(params, "tunnel")
    if not value:
        return value
    refuse_zone_index(value, "tunnel", value)
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        raise InvalidInput(
            "tunnel", value, "expected an IPv4 or IPv6 address, or an empty string for no tunnel (netsh stores a DNS name as "
            "the address it resolves to, so give the address)"
        ) from None


def _rule(params: object, *, fill_defaults: bool) -> Rule:
    params = _mapping(params, "")
    for key in ("filter_list", "filter_action"):
        if _get(params, key) is None:
            raise InvalidInput(key, None, "is required")
    rule = Rule(
        name=_name(params),
        filter_list=_text(params, "filter_list", allow_empty=False),
        filter_action=_text(params, "filter_action", allow_empty=False),
        activate=_flag(params, "activate"),
        connection_type=_choice(params, "connection_type", ConnectionType),
        description=_text(params, "description"),
        tunnel=_tunnel(params),
        auth_methods=_auth_methods(_get(params, "authentication"), "authentication"),
    )
    return with_defaults(rule) if fill_defaults else rule


def unnamed_rule_from(params: Mapping[str, Any]) -> Rule:
    """A rule the store holds without a name, from ``_present.unnamed_rule_to_data`` (every field set).

    Raises:
        InvalidInput: as for a rule.
    """
    return replace(_rule({**_mapping(params, ""), "name": "unnamed"}, fill_defaults=True), name="")


def _rules(value: object, path: str, *, fill_defaults: bool) -> tuple[Rule, ...] | None:
    entries = _entries(value, path)
    if entries is None:
        return None
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        with _at(f"{path}[{index}]"):
            rule = _rule(entry, fill_defaults=fill_defaults)
            _check_unique(rule.name, seen, path, "rule names must be unique within a policy")
        seen[name_key(rule.name)] = index
        rules.append(rule)
    return tuple(rules)


def _check_unique(name: str, seen: Mapping[str, int], path: str, what: str) -> None:
    """Refuse ``name`` when an earlier entry (``seen``: name key -> index) has it, in any case (A-31)."""
    earlier = seen.get(name_key(name))
    if earlier is not None:
        raise InvalidInput("name", name, f"{what}, and Windows ignores case in names ({path}[{earlier}] has it too)")


def _default_rule(value: object, *, fill_defaults: bool) -> DefaultResponseRule | None:
    if value is None:
        return _default_rule({}, fill_defaults=True) if fill_defaults else None
    params = _mapping(value, "")
    default_rule = DefaultResponseRule(
        activate=_flag(params, "activate"),
        qmpfs=_flag(params, "qmpfs"),
        qm_security_methods=_methods(params, "qm_security_methods", quick_mode_method),
        auth_methods=_auth_methods(_get(params, "authentication"), "authentication"),
    )
    if not fill_defaults:
        return default_rule
    if default_rule.activate is None:
        default_rule = replace(default_rule, activate=DEFAULT_RULE_CREATED_ACTIVATE)
    return with_defaults(default_rule)


def policy_from(params: Mapping[str, Any], *, fill_defaults: bool) -> Policy:
    """A policy from the ``policy`` shape, with its rules and default response rule.

    ``Policy.assigned`` is always ``None`` here: assignment is not a policy option (``ipsec_assign``
    and ``ipsec_config``'s ``assigned`` manage it, see :func:`with_assignment`). So is
    ``Policy.unnamed_rules``: the collection never manages rules without a name.

    With ``fill_defaults``: every left-out setting of the policy, its rules and its default response
    rule takes its created default (rules: none; default response rule: inactive, see
    :data:`DEFAULT_RULE_CREATED_ACTIVATE`). ``mmpfs`` on with ``qm_per_mm`` left out gives 1 in both
    modes (netsh forces it).

    Raises:
        InvalidInput: e.g. at ``qm_per_mm``, ``rules[1].authentication[0].pre_shared_key`` or
            ``default_response_rule.qm_security_methods[0]``.
    """
    params = _mapping(params, "")
    name = _name(params)
    mmpfs = _flag(params, "mmpfs")
    qm_per_mm = _count(params, "qm_per_mm")
    if mmpfs and qm_per_mm not in (None, 1):
        raise InvalidInput("qm_per_mm", qm_per_mm, "must be 1 (or left out) when mmpfs is true: netsh forces one quick mode per main mode")
    description = _text(params, "description")
    rules = _rules(_get(params, "rules"), "rules", fill_defaults=fill_defaults)
    with _at("default_response_rule"):
        default_rule = _default_rule(_get(params, "default_response_rule"), fill_defaults=fill_defaults)
    policy = Policy(
        name=name,
        description=description,
        rules=rules,
        default_rule=default_rule,
        polling_interval=_minutes(params, "polling_interval"),
        mmpfs=mmpfs,
        qm_per_mm=qm_per_mm,
        mm_lifetime=_minutes(params, "mm_lifetime"),
        mm_security_methods=_methods(params, "mm_security_methods", main_mode_method),
    )
    # Assignment and the rules the store holds without a name are never options (see the docstring).
    return replace(with_defaults(policy), assigned=None, unnamed_rules=None) if fill_defaults else policy


# --- a whole configuration and its assignment -------------------------------------------------------


def assignment_from(config: Mapping[str, Any] | None) -> str | None:
    """The ``assigned`` option of ``config``: a policy name, ``""`` for none, ``None`` = not managed.

    Raises:
        InvalidInput: at ``config.assigned``.
    """
    value = _get(config, "assigned")
    if value is None:
        return None
    with _at("config"):
        return check_text("assigned", value, allow_empty=True)


def _objects(config: Mapping[str, Any], key: str, build, *, fill_defaults: bool, existing: Mapping[str, object] | None) -> list:
    entries = _entries(_get(config, key), key)
    objects = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries or ()):
        with _at(f"{key}[{index}]"):
            fill = fill_defaults if existing is None else _get(_mapping(entry, ""), "name") not in existing
            obj = build(entry, fill_defaults=fill)
            _check_unique(obj.name, seen, key, "names must be unique")
        seen[name_key(obj.name)] = index
        objects.append(obj)
    return objects


def store_from_config(config: Mapping[str, Any] | None, *, fill_defaults: bool, existing: Store | None = None) -> Store:
    """The desired store described by ``ipsec_config``'s ``config`` option.

    With ``existing`` (the gathered store; for ``state: merged``) ``fill_defaults`` is decided per
    object instead: ``False`` for an object the host has (options left out are not managed) and
    ``True`` for one it lacks (it is created with the documented defaults).

    ``config`` ``None`` (``state: deleted`` without config) gives an empty store. Each object is built
    as by :func:`filter_list_from`, :func:`filter_action_from` and :func:`policy_from`.

    The ``assigned`` key marks the policies *in config* and nothing else:

    * left out (``None``): every ``Policy.assigned`` is ``None`` (not managed), whatever
      ``fill_defaults`` says: assignment has no created default;
    * a name: that policy, if in ``config.policies``, gets ``assigned=True``, every other one
      ``False`` (one assigned policy at a time);
    * ``""``: every policy in config gets ``assigned=False``.

    A named policy that is not in ``config.policies``, and host policies that must be unassigned for
    ``""``, are not known here: the caller completes the store against the host with
    :func:`with_assignment` (``with_assignment(want, have, assigned=assignment_from(config))``).

    Raises:
        InvalidInput: with a field under ``config.``, e.g.
            ``config.policies[0].rules[1].authentication[0]`` or ``config.filter_lists[3].name``
            (a name given twice).
    """
    if config is None:
        return Store()
    config = _mapping(config, "config")
    assigned = assignment_from(config)
    with _at("config"):
        filter_lists = _objects(config, "filter_lists", filter_list_from, fill_defaults=fill_defaults,
                                existing=None if existing is None else existing.filter_lists)
        filter_actions = _objects(config, "filter_actions", filter_action_from, fill_defaults=fill_defaults,
                                  existing=None if existing is None else existing.filter_actions)
        policies = _objects(config, "policies", policy_from, fill_defaults=fill_defaults,
                            existing=None if existing is None else existing.policies)
    if assigned is not None:
        policies = [replace(policy, assigned=same_name(policy.name, assigned)) for policy in policies]
    return Store.of(filter_lists=filter_lists, filter_actions=filter_actions, policies=policies)


def complete_store_from_config(config: Mapping[str, Any]) -> Store:
    """The complete store that ``config`` describes: every object with every field (defaults filled)
    and every policy assigned or not, as a structured backup describes a whole store.

    Raises:
        InvalidInput: as :func:`store_from_config`; at ``config.assigned`` when it names a policy that
            ``config`` does not define (a complete store cannot assign one it lacks).
    """
    store = store_from_config(config, fill_defaults=True)
    assigned = assignment_from(config) or ""
    if assigned and assigned not in store.policies:
        raise InvalidInput("config.assigned", assigned, "names no policy of the backup")
    return with_assignment(store, Store(), assigned=assigned)


def with_assignment(want: Store, have: Store, *, assigned: str | None, field: str = "config.assigned") -> Store:
    """Complete a desired store so that it assigns ``assigned`` on the host ``have``.

    Args:
        want: the desired store (from :func:`store_from_config`, or ``Store()`` for ``ipsec_assign``).
        have: the gathered store.
        assigned: a policy name, ``""`` for none, or ``None`` (not managed: ``want`` is returned as is).
        field: the option path used in errors (``name`` for ``ipsec_assign``).

    Returns:
        ``want`` where the named policy has ``assigned=True`` (added as a stub ``Policy(name,
        assigned=True)``, every other field ``None``, when ``want`` lacks it) and every other policy
        of ``want`` ``assigned=False``. For ``""``, every host policy that is assigned and not in
        ``want`` is added as a stub ``Policy(name, assigned=False)``. Assigning a policy unassigns the
        previous one by itself (A-26), so no stub is added for it. Stubs are subject to the plan's
        owner prefix like any other object.

    Raises:
        InvalidInput: at ``field`` when the named policy is neither in ``want`` nor on the host
            (a stub would otherwise create an empty policy).
    """
    if assigned is None:
        return want
    policies = {name_key(name): replace(policy, assigned=same_name(name, assigned)) for name, policy in want.policies.items()}
    if assigned and name_key(assigned) not in policies:
        host = have.policies.get(assigned)
        if host is None:
            raise InvalidInput(field, assigned, "names no policy: it is neither defined in this task nor on the host")
        policies[name_key(assigned)] = Policy(host.name, assigned=True)  # the host's spelling: no rename
    if not assigned:
        for name, policy in have.policies.items():
            if policy.assigned and name_key(name) not in policies:
                policies[name_key(name)] = Policy(name, assigned=False)
    return replace(want, policies=Store.of(policies=policies.values()).policies)


def assign_from(params: Mapping[str, Any], *, have: Store) -> Store:
    """The desired store of ``ipsec_assign`` (options ``name``, ``state: assigned|unassigned``).

    * ``assigned``: ``name`` is required and must exist on the host;
    * ``unassigned`` without ``name``: whatever is assigned is unassigned;
    * ``unassigned`` with ``name``: that policy is unassigned if it is the assigned one; otherwise
      (not assigned, or not on the host at all) nothing is to be done.

    Raises:
        InvalidInput: at ``name`` or ``state``.
    """
    params = _mapping(params, "")
    state = _get(params, "state") or "assigned"
    name = _get(params, "name")
    if name is not None:
        name = check_text("name", name, allow_empty=False)
    if state == "assigned":
        if name is None:
            raise InvalidInput("name", None, "is required when state is assigned")
        return with_assignment(Store(), have, assigned=name, field="name")
    if state != "unassigned":
        raise InvalidInput("state", state, "expected assigned or unassigned")
    if name is None:
        return with_assignment(Store(), have, assigned="", field="name")
    policy = have.policies.get(name)
    if policy is not None and policy.assigned:
        return Store.of(policies=[Policy(policy.name, assigned=False)])
    return Store()


__all__ = [
    "DEFAULT_RULE_CREATED_ACTIVATE",
    "FILTER_DEFAULTS",
    "MAX_FILTERS_PER_ENTRY",
    "assign_from",
    "assignment_from",
    "complete_store_from_config",
    "expand_filters",
    "filter_action_from",
    "filter_list_from",
    "policy_from",
    "store_from_config",
    "unnamed_rule_from",
    "with_assignment",
]
