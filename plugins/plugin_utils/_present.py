# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A store as the structured data modules return.

``before``, ``after``, ``gathered``, ``parsed`` and ``ipsec_info``'s ``config`` are this data: the
shape of ``ipsec_config``'s ``config`` option (docs/module-options.md) with every option present,
objects sorted by name, and every value in canonical form, so that a gathered configuration can be
fed back as ``config`` (once the redacted pre-shared keys are replaced by the real ones):
``_inputs.store_from_config(store_to_data(s, redact=False), fill_defaults=True) == s`` for a
complete store ``s`` without duplicate filters (duplicates found on a host are shown once per copy,
and collapse when fed back).
"""

from __future__ import annotations

from typing import Any

from ._addresses import Endpoint
from ._methods import AuthKind, AuthMethod
from ._model import PROTOCOL_NAMES, DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule, Store
from ._render import REDACTED


def _enum(value) -> str | None:
    return None if value is None else value.value


def _listed(values) -> list[Any] | None:
    return None if values is None else list(values)


def endpoint_text(endpoint: Endpoint) -> str:
    """``str(endpoint)``: ``any``, ``me``, a server type, an address, ``a.b.c.d/nn``, ``a-b`` or a name."""
    return str(endpoint)


def protocol_text(protocol: int) -> str:
    """``any``, ``icmp``, ``tcp``, ``udp``, ``raw``, or the number as a string."""
    name = PROTOCOL_NAMES.get(protocol)
    return name.lower() if name else str(protocol)


def filter_to_data(item: Filter) -> dict[str, Any]:
    """One filter in the ``filters`` entry shape; masks are folded into ``/nn`` on the address."""
    return {
        "source": endpoint_text(item.source),
        "source_mask": None,
        "destination": endpoint_text(item.destination),
        "destination_mask": None,
        "protocol": protocol_text(item.protocol),
        "source_port": item.source_port,
        "destination_port": item.destination_port,
        "mirrored": item.mirrored,
        "description": item.description,
    }


def auth_to_data(method: AuthMethod, *, redact: bool = True) -> dict[str, Any]:
    """One ``authentication`` entry; the key is ``********`` unless ``redact`` is false."""
    root_ca = method.kind is AuthKind.ROOT_CA
    key = None
    if method.kind is AuthKind.PRESHARED_KEY:
        key = REDACTED if redact else method.secret_or_ca
    return {
        "kerberos": True if method.kind is AuthKind.KERBEROS else None,
        "pre_shared_key": key,
        "root_ca": method.secret_or_ca if root_ca else None,
        "certmap": method.certmap if root_ca else False,
        "exclude_ca_name": method.exclude_ca_name if root_ca else False,
    }


def _auth(methods, redact: bool) -> list[dict[str, Any]] | None:
    return None if methods is None else [auth_to_data(method, redact=redact) for method in methods]


def filter_list_to_data(filter_list: FilterList) -> dict[str, Any]:
    return {
        "name": filter_list.name,
        "description": filter_list.description,
        "filters": None if filter_list.filters is None else [filter_to_data(item) for item in filter_list.filters],
    }


def filter_action_to_data(action: FilterAction) -> dict[str, Any]:
    return {
        "name": action.name,
        "description": action.description,
        "action": _enum(action.action),
        "inpass": action.inpass,
        "soft": action.soft,
        "qmpfs": action.qmpfs,
        "qm_security_methods": _listed(action.qm_security_methods),
    }


def rule_to_data(rule: Rule, *, redact: bool = True) -> dict[str, Any]:
    return {
        "name": rule.name,
        "filter_list": rule.filter_list,
        "filter_action": rule.filter_action,
        "activate": rule.activate,
        "connection_type": _enum(rule.connection_type),
        "description": rule.description,
        "tunnel": rule.tunnel,
        "authentication": _auth(rule.auth_methods, redact),
    }


def default_rule_to_data(default_rule: DefaultResponseRule | None, *, redact: bool = True) -> dict[str, Any] | None:
    if default_rule is None:
        return None
    return {
        "activate": default_rule.activate,
        "qmpfs": default_rule.qmpfs,
        "qm_security_methods": _listed(default_rule.qm_security_methods),
        "authentication": _auth(default_rule.auth_methods, redact),
    }


def policy_to_data(policy: Policy, *, redact: bool = True) -> dict[str, Any]:
    """A policy in the ``policies`` entry shape (its assignment is the store's ``assigned``).

    Rules the store holds without a name come as ``unnamed_rules`` (each without ``name``), and only
    when there are some: they are shown, never given (the options have no such key).
    """
    data = {
        "name": policy.name,
        "description": policy.description,
        "rules": None if policy.rules is None else [rule_to_data(rule, redact=redact) for rule in policy.rules],
        "default_response_rule": default_rule_to_data(policy.default_rule, redact=redact),
        "polling_interval": policy.polling_interval,
        "mmpfs": policy.mmpfs,
        "qm_per_mm": policy.qm_per_mm,
        "mm_lifetime": policy.mm_lifetime,
        "mm_security_methods": _listed(policy.mm_security_methods),
    }
    if policy.unnamed_rules:
        data["unnamed_rules"] = [unnamed_rule_to_data(rule, redact=redact) for rule in policy.unnamed_rules]
    return data


def unnamed_rule_to_data(rule: Rule, *, redact: bool = True) -> dict[str, Any]:
    """A rule without a name, in the rule shape less ``name``."""
    data = rule_to_data(rule, redact=redact)
    del data["name"]
    return data


def store_to_data(store: Store, *, redact: bool = True) -> dict[str, Any]:
    """``store`` in the ``config`` shape: every option present, objects sorted by name.

    Values: endpoints as ``str(Endpoint)`` (masks folded into ``/nn``, ``*_mask`` always ``None``),
    protocols as lower-case names or number strings, ports as ints (0 = any), enums by value, method
    lists as lists. ``assigned`` is the name of the assigned policy, or ``""`` when none is (the
    ``config`` spelling of "assign none", so that feeding the data back keeps it so; ``None``, "not
    managed", only for a desired store that leaves assignment open). Any other field the store leaves
    ``None`` is ``None`` here too.

    With ``redact`` (the default) every pre-shared key is ``********``: this data goes into task
    results. ``redact=False`` is for the controller's own use (e.g. ``rendered``), never for results.
    """
    return {
        "filter_lists": [filter_list_to_data(item) for item in sorted(store.filter_lists.values(), key=_by_name)],
        "filter_actions": [filter_action_to_data(item) for item in sorted(store.filter_actions.values(), key=_by_name)],
        "policies": [policy_to_data(item, redact=redact) for item in sorted(store.policies.values(), key=_by_name)],
        "assigned": _assigned(store),
    }


def _assigned(store: Store) -> str | None:
    """The assigned policy's name; ``""`` when the store says none is; ``None`` when it does not say."""
    name = store.assigned_policy
    if name is not None:
        return name
    return None if any(policy.assigned is None for policy in store.policies.values()) else ""


def _by_name(obj) -> str:
    return obj.name


__all__ = [
    "auth_to_data",
    "default_rule_to_data",
    "endpoint_text",
    "filter_action_to_data",
    "filter_list_to_data",
    "filter_to_data",
    "policy_to_data",
    "protocol_text",
    "rule_to_data",
    "store_to_data",
    "unnamed_rule_to_data",
]
