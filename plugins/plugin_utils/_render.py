# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Changes to netsh arguments; a store to canonical netsh-script text.

* :func:`render_change` gives the argument vector of the one netsh command that makes a change
  (without the leading ``netsh``), in the syntax of the help text (SYNTAX.md §4-6). Every value we
  depend on is written explicitly rather than left to a netsh default.
* :func:`creation_changes` lists the changes that build a whole store from nothing, in a stable
  order; :func:`render_script` prints them as a ``netsh -f`` script. That text is what ``--diff``
  shows for ``before`` and ``after``, so two equal stores always print the same text.
* :func:`command_line` joins arguments with the one quoting function (``_quote.join_c``) and hides
  pre-shared keys unless asked not to.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from . import _changes as c
from ._fields import (
    DEFAULT_RULE_FIELDS,
    ENDPOINT_FIELDS,
    FILTER_ACTION_FIELDS,
    FILTER_FIELDS,
    FILTER_LIST_FIELDS,
    POLICY_FIELDS,
    RULE_FIELDS,
    Field,
    write_auth_method,
    write_endpoint,
)
from ._model import PORT_PROTOCOLS, DefaultResponseRule, Filter, Policy, Rule, Store
from ._quote import join_c

CONTEXT = ("ipsec", "static")
REDACTED = "********"

# Policy settings that ``add policy``/``set policy`` write. The default response rule is written with
# ``set defaultrule`` because ``activatedefaultrule`` is "only valid on Windows versions before Windows
# Vista" [S2]; assignment is its own change (``AssignPolicy``).
_POLICY_SETTINGS = tuple(row for row in POLICY_FIELDS if row.attr not in ("name", "assigned"))
_FILTER_LIST_SETTINGS = tuple(row for row in FILTER_LIST_FIELDS if row.attr != "name")
_FILTER_ACTION_SETTINGS = tuple(row for row in FILTER_ACTION_FIELDS if row.attr != "name")
_RULE_SETTINGS = tuple(row for row in RULE_FIELDS if row.attr != "name")
_RULE_REFERENCES = tuple(row for row in _RULE_SETTINGS if row.attr in ("filter_list", "filter_action"))
_RULE_OPTIONS = tuple(row for row in _RULE_SETTINGS if row not in _RULE_REFERENCES)
_FILTER_FLAGS = {row.attr: row for row in FILTER_FIELDS}


def _tagged(obj: object, rows: Iterable[Field], *, creating: bool) -> list[str]:
    """``keyword=value`` for each row whose value is set. On creation an empty string is left out
    (netsh's default is empty); on ``set`` it is written, which clears the field (A-42)."""
    arguments = []
    for row in rows:
        value = getattr(obj, row.attr)
        if value is None or (creating and value in ("", ())):
            continue
        arguments.append(f"{row.keyword}={row.write(value)}")
    return arguments


def _auth(methods: Sequence | None) -> list[str]:
    # "The preference of each authentication method is determined by its order in the command." [S3]
    return [write_auth_method(method) for method in methods or ()]


def _filter_arguments(filter_list: str, item: Filter, *, with_description: bool) -> list[str]:
    arguments = [f"filterlist={filter_list}"]
    for spec in ENDPOINT_FIELDS:
        arguments.extend(write_endpoint(getattr(item, spec.attr), spec))
    arguments.append(f"protocol={_FILTER_FLAGS['protocol'].write(item.protocol)}")
    if item.protocol in PORT_PROTOCOLS:
        # "If you specify a port, acceptable value is TCP or UDP." [S3]
        arguments.append(f"srcport={item.source_port}")
        arguments.append(f"dstport={item.destination_port}")
    arguments.append(f"mirrored={_FILTER_FLAGS['mirrored'].write(item.mirrored)}")
    if with_description and item.description:
        arguments.append(f"description={item.description}")
    return arguments


def _rule_arguments(policy: str, rule: Rule, *, creating: bool) -> list[str]:
    if not creating and rule.tunnel == "":
        raise ValueError(f"rule {rule.name!r}: netsh has no way to remove a tunnel end point with set rule")
    return [
        f"name={rule.name}",
        f"policy={policy}",
        *_tagged(rule, _RULE_REFERENCES, creating=creating),
        *_tagged(rule, _RULE_OPTIONS, creating=creating),
        *_auth(rule.auth_methods),
    ]


def _default_rule_arguments(policy: str, default_rule: DefaultResponseRule) -> list[str]:
    return [f"policy={policy}", *_tagged(default_rule, DEFAULT_RULE_FIELDS, creating=False), *_auth(default_rule.auth_methods)]


def _verb(verb: str, obj: str, arguments: Iterable[str]) -> tuple[str, ...]:
    return (*CONTEXT, verb, obj, *arguments)


_RENDERERS = {
    c.RenameFilterList: lambda ch: _verb("set", "filterlist", [f"name={ch.name}", f"newname={ch.new_name}"]),
    c.RenameFilterAction: lambda ch: _verb("set", "filteraction", [f"name={ch.name}", f"newname={ch.new_name}"]),
    c.RenamePolicy: lambda ch: _verb("set", "policy", [f"name={ch.name}", f"newname={ch.new_name}"]),
    c.RenameRule: lambda ch: _verb("set", "rule", [f"name={ch.name}", f"policy={ch.policy}", f"newname={ch.new_name}"]),
    c.AddFilterList: lambda ch: _verb("add", "filterlist", [f"name={ch.filter_list.name}", *_tagged(ch.filter_list, _FILTER_LIST_SETTINGS, creating=True)]),
    c.SetFilterList: lambda ch: _verb("set", "filterlist", [f"name={ch.filter_list.name}", *_tagged(ch.filter_list, _FILTER_LIST_SETTINGS, creating=False)]),
    c.DeleteFilterList: lambda ch: _verb("delete", "filterlist", [f"name={ch.name}"]),
    c.AddFilter: lambda ch: _verb("add", "filter", _filter_arguments(ch.filter_list, ch.filter, with_description=True)),
    c.DeleteFilter: lambda ch: _verb("delete", "filter", _filter_arguments(ch.filter_list, ch.filter, with_description=False)),
    c.AddFilterAction: lambda ch: _verb(
        "add", "filteraction", [f"name={ch.filter_action.name}", *_tagged(ch.filter_action, _FILTER_ACTION_SETTINGS, creating=True)]
    ),
    c.SetFilterAction: lambda ch: _verb(
        "set", "filteraction", [f"name={ch.filter_action.name}", *_tagged(ch.filter_action, _FILTER_ACTION_SETTINGS, creating=False)]
    ),
    c.DeleteFilterAction: lambda ch: _verb("delete", "filteraction", [f"name={ch.name}"]),
    c.AddPolicy: lambda ch: _verb("add", "policy", [f"name={ch.policy.name}", *_tagged(ch.policy, _POLICY_SETTINGS, creating=True)]),
    c.SetPolicy: lambda ch: _verb("set", "policy", [f"name={ch.policy.name}", *_tagged(ch.policy, _POLICY_SETTINGS, creating=False)]),
    c.DeletePolicy: lambda ch: _verb("delete", "policy", [f"name={ch.name}"]),
    c.AssignPolicy: lambda ch: _verb("set", "policy", [f"name={ch.name}", f"assign={'yes' if ch.assign else 'no'}"]),
    c.SetDefaultRule: lambda ch: _verb("set", "defaultrule", _default_rule_arguments(ch.policy, ch.default_rule)),
    c.AddRule: lambda ch: _verb("add", "rule", _rule_arguments(ch.policy, ch.rule, creating=True)),
    c.SetRule: lambda ch: _verb("set", "rule", _rule_arguments(ch.policy, ch.rule, creating=False)),
    c.DeleteRule: lambda ch: _verb("delete", "rule", [f"name={ch.name}", f"policy={ch.policy}"]),
}


def render_change(change: c.Change) -> tuple[str, ...]:
    """The arguments of the netsh command that makes ``change``, without the leading ``netsh``.

    Raises:
        TypeError: for an object that is not a change.
        ValueError: for a change netsh cannot express (removing a rule's tunnel with ``set rule``).
    """
    try:
        renderer = _RENDERERS[type(change)]
    except KeyError:
        raise TypeError(f"not a change: {change!r}") from None
    return renderer(change)


def render_plan(changes: Iterable[c.Change]) -> tuple[tuple[str, ...], ...]:
    """:func:`render_change` for every change, in order."""
    return tuple(render_change(change) for change in changes)


def command_line(arguments: Sequence[str], *, redact: bool = True) -> str:
    """``netsh`` and ``arguments`` as one Windows command line, each argument quoted by ``join_c``.

    With ``redact`` (the default) a pre-shared key is shown as ``psk=********``: these lines go into
    task results and logs.
    """
    shown = [f"psk={REDACTED}" if redact and argument.startswith("psk=") else argument for argument in arguments]
    return join_c(["netsh", *shown])


def creation_changes(store: Store) -> tuple[c.Change, ...]:
    """The changes that build ``store`` from an empty store, in a stable order: filter actions, filter
    lists with their filters, then each policy with its default response rule and rules, and the
    assignment last. ``None`` fields are left out (netsh applies its defaults)."""
    changes: list[c.Change] = [c.AddFilterAction(action) for action in store.filter_actions.values()]
    for filter_list in store.filter_lists.values():
        changes.append(c.AddFilterList(filter_list))
        changes.extend(c.AddFilter(filter_list.name, item) for item in filter_list.filters or ())
    for policy in store.policies.values():
        changes.extend(_policy_creation(policy))
    changes.extend(c.AssignPolicy(policy.name, True) for policy in store.policies.values() if policy.assigned)
    return tuple(changes)


def _policy_creation(policy: Policy) -> list[c.Change]:
    changes: list[c.Change] = [c.AddPolicy(policy)]
    if policy.default_rule is not None and policy.default_rule != DefaultResponseRule():
        changes.append(c.SetDefaultRule(policy.name, policy.default_rule))
    changes.extend(c.AddRule(policy.name, rule) for rule in policy.rules or ())
    return changes


def render_script(store: Store, *, redact: bool = True) -> str:
    """The canonical netsh-script text of ``store`` (for ``--diff``): a ``netsh -f`` script that
    recreates it, one command per line, a blank line between objects, ending in a newline.

    Filters a host holds twice appear once per copy, so duplicates show in a diff.
    """
    lines = ["pushd ipsec static"]
    for filter_action in store.filter_actions.values():
        lines += ["", _script_line(c.AddFilterAction(filter_action), redact)]
    for filter_list in store.filter_lists.values():
        lines += ["", _script_line(c.AddFilterList(filter_list), redact)]
        lines += [_script_line(c.AddFilter(filter_list.name, item), redact) for item in filter_list.filters or ()]
    for policy in store.policies.values():
        lines.append("")
        lines += [_script_line(change, redact) for change in _policy_creation(policy)]
        # netsh cannot create a rule without a name; the diff still shows the store's own.
        lines += ["# a rule without a name: " + _script_line(c.AddRule(policy.name, rule), redact)[len("add rule name= "):]
                  for rule in policy.unnamed_rules or ()]
        if policy.assigned:
            lines.append(_script_line(c.AssignPolicy(policy.name, True), redact))
    lines += ["", "popd"]
    return "\n".join(lines) + "\n"


def _script_line(change: c.Change, redact: bool) -> str:
    # Inside ``pushd ipsec static`` commands are written relative to the context (EXIT_AND_SCRIPTS.md §2).
    arguments = render_change(change)[len(CONTEXT):]
    return command_line(arguments, redact=redact)[len("netsh "):]


__all__ = ["CONTEXT", "REDACTED", "command_line", "creation_changes", "render_change", "render_plan", "render_script"]
