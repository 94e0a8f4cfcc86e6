# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. What a script leaves on an empty store (``running_config_format: script``).

:func:`import_script` finds the commands of a script (``_script_lines``), turns each netsh command into
the changes it makes (the vocabulary of a plan, ``_changes``: one change is one netsh command) and
applies them in order with the planner's own model of netsh (``_predict.Prediction``, which keeps the
store mutable between lines, so a 10,000-line blocklist costs seconds, not minutes), starting from an
empty store. ``ipsecpol`` / ``ipseccmd`` command lines are first translated into netsh commands
(``_ipsecpol``). A command is applied whole or not at all: when it cannot be read exactly (the grammar,
a value, a feature the collection does not model) or netsh would refuse it on the store as the script
has left it so far (an object that exists already, a rule naming a missing list), it is listed in
``unsupported`` with its line and the reason, and the store stays as it was before that line. Nothing
is guessed: a line either translates exactly or is listed.

Commands that change nothing in the store are skipped silently: ``show``, ``dump``, ``exportpolicy``,
``set batch``, ``set store location=local``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from ._addresses import Endpoint
from ._changes import (
    AddFilter, AddFilterAction, AddFilterList, AddPolicy, AddRule, AssignPolicy, Change, DeleteFilter, DeleteFilterAction,
    DeleteFilterList, DeletePolicy, DeleteRule, RenameFilterAction, RenameFilterList, RenamePolicy, RenameRule, SetDefaultRule,
    SetFilterAction, SetFilterList, SetPolicy, SetRule,
)
from ._errors import InvalidInput, LockdownError, PlanError
from ._fields import (
    DEFAULT_RULE_FIELDS, ENDPOINT_FIELDS, FILTER_ACTION_FIELDS, FILTER_FIELDS, FILTER_LIST_FIELDS, POLICY_FIELDS, RULE_FIELDS, Field,
    arg_bool,
)
from ._ipsecpol import IpsecpolUnsupported, ipsecpol_commands
from ._methods import AuthKind, AuthMethod
from ._model import DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule, Store
from ._names import same_name
from ._netsh_grammar import VERBS, GrammarError, NetshCommand, parse_netsh, resolve
from ._predict import Prediction
from ._script_lines import Command, Unsupported, script_commands


class NotImported(LockdownError):
    """One command that cannot be imported exactly; the message is the reason shown to the user."""


@dataclass(frozen=True)
class ScriptImport:
    """The store a script leaves on an empty store, and every line it could not translate, in order."""

    store: Store
    unsupported: tuple[Unsupported, ...]


def import_script(text: str) -> ScriptImport:
    """Read ``text`` (a batch file, PowerShell script, netsh context file or plain commands).

    Never raises on any text: what cannot be read is in ``unsupported``.
    """
    commands, unsupported = script_commands(text)
    listed = list(unsupported)
    state = Prediction()
    for command in commands:
        try:
            state.apply(changes_of(command, state))
        except (NotImported, GrammarError, IpsecpolUnsupported) as error:
            listed.append(Unsupported(command.line, command.text, getattr(error, "reason", None) or str(error)))
        except InvalidInput as error:
            listed.append(Unsupported(command.line, command.text, str(error)))
        except PlanError as error:
            listed.append(Unsupported(command.line, command.text, f"netsh would refuse it on the store the script has built so far: {error}"))
    return ScriptImport(state.store(), tuple(sorted(listed, key=lambda entry: entry.line)))


def changes_of(command: Command, store: Prediction) -> tuple[Change, ...]:
    """The changes one command of a script makes to ``store`` (the store the lines before it left; not changed).

    Raises:
        NotImported, GrammarError, IpsecpolUnsupported, InvalidInput, PlanError: the command cannot be imported.
    """
    if command.tool == "netsh":
        return netsh_changes(command.argv, store)
    trial, changes = store.copy(), []
    for argv in ipsecpol_commands(command.tool, command.argv, _StoreView(store)):
        new = netsh_changes(argv, trial)
        trial.apply(new)  # the next translated command sees what this one did
        changes.extend(new)
    return tuple(changes)


def netsh_changes(argv: Sequence[str], store: Prediction) -> tuple[Change, ...]:
    """The changes of one ``netsh ipsec static`` command (the arguments after ``ipsec static``).

    Raises:
        NotImported, GrammarError, InvalidInput: as :func:`changes_of`.
    """
    if argv and argv[0].lower() not in ("del",) and resolve(argv[0], VERBS, "the command") in _NO_STORE_CHANGE:
        return ()  # shows and exports change no store; what netsh makes of their options does not matter here
    command = parse_netsh(argv)
    handler = _HANDLERS.get((command.verb, command.obj))
    if handler is None:
        raise NotImported(f"'{command.title}' is not imported: " + _NOT_IMPORTED.get(command.title, "the collection does not model it"))
    return handler(command, store)


_NO_STORE_CHANGE = ("show", "dump", "exportpolicy")
_NOT_IMPORTED = {
    "importpolicy": "what the file holds is not in the script",
}


# --- values ---------------------------------------------------------------------------------------


def _values(command: NetshCommand, fields: Sequence[Field], *, skip: Sequence[str] = ()) -> dict[str, object]:
    """Model attributes from the command's tags, through the field table's ``arg`` readers."""
    by_keyword = {field.keyword: field for field in fields}
    values: dict[str, object] = {}
    for tag, text in command.arguments:
        field = by_keyword.get(tag)
        if field is None or tag in skip:
            continue
        try:
            values[field.attr] = field.arg(text)
        except ValueError as error:
            raise NotImported(f"{tag}={text}: {error}") from None
    return values


def _refuse_tags(command: NetshCommand, tags: Mapping[str, str]) -> None:
    """Refuse the command when it gives one of ``tags``: {tag: why it is not imported}."""
    for tag, why in tags.items():
        if command.has(tag):
            raise NotImported(f"{tag}= is not imported: {why}")


_BY_GUID = "objects are identified by name here; a GUID is the host's own"


def _auth_methods(command: NetshCommand) -> tuple[AuthMethod, ...] | None:
    """The authentication methods in the order given ("The preference of each authentication method is
    determined by its order in the command" [S3]); ``None`` when none is named."""
    methods: list[AuthMethod] = []
    named = False
    for tag, text in command.arguments:
        if tag == "kerberos":
            named = True
            if _bool(tag, text):
                methods.append(AuthMethod(AuthKind.KERBEROS))
        elif tag == "psk":
            named = True
            methods.append(AuthMethod(AuthKind.PRESHARED_KEY, text))
        elif tag == "rootca":
            named = True
            methods.append(_root_ca(text))
    return tuple(methods) if named else None


def _root_ca(text: str) -> AuthMethod:
    """``rootca="<certificate> certmap:(yes|no) excludecaname:(yes|no)"`` (SYNTAX.md §3.5); options left
    out are no (A-104)."""
    if "\\'" in text:
        raise NotImported("rootca= with an embedded quote (\\') is not imported: the collection cannot carry a quote in a name (A-32)")
    words = text.split(" ")
    options = {"certmap": False, "excludecaname": False}
    while words and ":" in words[-1] and words[-1].split(":", 1)[0].lower() in options:
        name, dummy, value = words.pop().partition(":")
        options[name.lower()] = _bool(f"rootca {name}", value)
    return AuthMethod(AuthKind.ROOT_CA, " ".join(words), options["certmap"], options["excludecaname"])


def _bool(tag: str, text: str) -> bool:
    try:
        return arg_bool(text)
    except ValueError as error:
        raise NotImported(f"{tag}={text}: {error}") from None


def _endpoint(command: NetshCommand, index: int) -> Endpoint:
    """The source (0) or destination (1) of an add or delete filter, which both require it (SYNTAX.md §4.3, §6)."""
    spec = ENDPOINT_FIELDS[index]
    address, mask = command.get(spec.address_keyword) or "", command.get(spec.mask_keyword)
    word = address.strip().lower()
    # A mask with any is ignored: [S5]'s `add filter filterlist=block any srcmask=32 ...` shows mask 0.0.0.0;
    # with me, a host mask says nothing more. Any other mask on me, a DNS name or a server type is
    # refused below (Endpoint.parse), not guessed.
    if mask is not None and (word == "any" or (word == "me" and mask.strip() in ("32", "255.255.255.255"))):
        mask = None
    if "/" in address:
        # REAL-WORLD.md: CIDR text as srcaddr in 2 scripts, but no source shows how netsh reads it.
        raise NotImported(f"{spec.address_keyword}={address}: CIDR text is not imported (how netsh reads it is not documented); "
                          f"give the mask as {spec.mask_keyword}=")
    return Endpoint.parse(address, mask, field=spec.address_keyword)


# --- filter lists and filters ----------------------------------------------------------------------


def _add_filter_list(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    return (AddFilterList(FilterList(**_values(command, FILTER_LIST_FIELDS))),)


def _set_filter_list(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    _refuse_tags(command, {"guid": _BY_GUID})
    values = _values(command, FILTER_LIST_FIELDS)
    name = _existing(store.filter_lists, values["name"], "filter list")
    changes: list[Change] = []
    if "description" in values:
        changes.append(SetFilterList(FilterList(name, description=values["description"])))
    if command.has("newname"):
        changes.append(RenameFilterList(name, _new_name(command)))
    return tuple(changes)


def _delete_filter_list(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    names = list(store.filter_lists) if "all" in command.flags else [_name(command)]
    return tuple(DeleteFilterList(name) for name in names)


def _add_filter(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    values = _values(command, FILTER_FIELDS)
    source, destination = _endpoint(command, 0), _endpoint(command, 1)
    return (AddFilter(_filter_list_name(command, store), Filter(source=source, destination=destination, **values)),)


def _delete_filter(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    """Every filter of the list that matches the fields given, the others being wildcards ("will delete
    all filters that meet those criteria" [S8 p.316], SYNTAX.md §6)."""
    name = _existing(store.filter_lists, _filter_list_name(command, store), "filter list")
    given = {"source": _endpoint(command, 0), "destination": _endpoint(command, 1), **_values(command, FILTER_FIELDS)}
    matching = [item for item in store.filter_lists[name] if all(getattr(item, attr) == value for attr, value in given.items())]
    if not matching:
        raise NotImported(f"no filter of filter list {name!r} matches: netsh refuses it (ERR IPsec[05050], REAL-WORLD.md)")
    keys = dict.fromkeys(item.match_key for item in matching)
    return tuple(DeleteFilter(name, next(item for item in matching if item.match_key == key)) for key in keys)


def _filter_list_name(command: NetshCommand, store: Prediction) -> str:
    name = command.get("filterlist") or ""
    if not name:
        raise NotImported("filterlist= is empty")
    return _held(store.filter_lists, name) or name  # a list named in another case is the existing one


# --- filter actions --------------------------------------------------------------------------------


def _add_filter_action(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    return (AddFilterAction(FilterAction(**_values(command, FILTER_ACTION_FIELDS))),)


def _set_filter_action(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    _refuse_tags(command, {"guid": _BY_GUID})
    values = _values(command, FILTER_ACTION_FIELDS)
    name = _existing(store.filter_actions, values.pop("name"), "filter action")
    changes: list[Change] = [SetFilterAction(FilterAction(name, **values))] if values else []
    if command.has("newname"):
        changes.append(RenameFilterAction(name, _new_name(command)))
    return tuple(changes)


def _delete_filter_action(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    names = list(store.filter_actions) if "all" in command.flags else [_name(command)]
    return tuple(DeleteFilterAction(name) for name in names)


# --- policies ------------------------------------------------------------------------------------


def _add_policy(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    values = _values(command, POLICY_FIELDS)
    assign = values.pop("assigned", None)
    changes: list[Change] = [AddPolicy(Policy(**values))]
    changes.extend(_default_rule_switch(command, values["name"]))
    if assign:
        changes.append(AssignPolicy(values["name"], True))
    return tuple(changes)


def _set_policy(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    _refuse_tags(command, {"guid": _BY_GUID, "gponame": "it assigns the policy to a Group Policy object, outside the local store"})
    values = _values(command, POLICY_FIELDS)
    name = _existing(store.policies, values.pop("name"), "policy")
    assign = values.pop("assigned", None)
    changes: list[Change] = [SetPolicy(Policy(name, **values))] if values else []
    changes.extend(_default_rule_switch(command, name))
    if assign is not None:
        changes.append(AssignPolicy(name, assign))
    if command.has("newname"):
        changes.append(RenamePolicy(name, _new_name(command)))
    return tuple(changes)


def _default_rule_switch(command: NetshCommand, policy: str) -> tuple[Change, ...]:
    """``activatedefaultrule=`` of add/set policy, as the ``set defaultrule`` it amounts to (A-43)."""
    text = command.get("activatedefaultrule")
    if text is None:
        return ()
    return (SetDefaultRule(policy, DefaultResponseRule(activate=_bool("activatedefaultrule", text))),)


def _delete_policy(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    names = list(store.policies) if "all" in command.flags else [_name(command)]
    return tuple(DeletePolicy(name) for name in names)


def _set_default_rule(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    values = _values(command, DEFAULT_RULE_FIELDS)
    methods = _auth_methods(command)
    if methods is not None:
        values["auth_methods"] = methods
    policy = _existing(store.policies, command.get("policy") or "", "policy")
    return (SetDefaultRule(policy, DefaultResponseRule(**values)),)


# --- rules ---------------------------------------------------------------------------------------


def _rule_values(command: NetshCommand) -> dict[str, object]:
    values = _values(command, RULE_FIELDS)
    methods = _auth_methods(command)
    if methods is not None:
        values["auth_methods"] = methods
    return values


def _add_rule(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    policy = _existing(store.policies, command.get("policy") or "", "policy")
    values = _rule_values(command)
    values["filter_list"] = _existing(store.filter_lists, values["filter_list"], "filter list")
    values["filter_action"] = _existing(store.filter_actions, values["filter_action"], "filter action")
    return (AddRule(policy, Rule(**values)),)


def _set_rule(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    _refuse_tags(command, {"id": "rule ids are the host's own numbering; name the rule"})
    policy = _existing(store.policies, command.get("policy") or "", "policy")
    values = _rule_values(command)
    name = _existing({rule.name: rule for rule in store.rules(policy)}, values.pop("name"), f"rule of policy {policy!r}")
    for attr, mapping, what in (("filter_list", store.filter_lists, "filter list"), ("filter_action", store.filter_actions, "filter action")):
        if attr in values:
            values[attr] = _existing(mapping, values[attr], what)
    changes: list[Change] = [SetRule(policy, Rule(name, **values))] if values else []
    if command.has("newname"):
        changes.append(RenameRule(policy, name, _new_name(command)))
    return tuple(changes)


def _delete_rule(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    _refuse_tags(command, {"id": "rule ids are the host's own numbering; name the rule"})
    policy = _existing(store.policies, command.get("policy") or "", "policy")
    rules = store.rules(policy)
    if "all" in command.flags:
        if store.policies[policy].unnamed_rules:
            raise NotImported("delete rule all on a policy with unnamed rules is not imported")
        return tuple(DeleteRule(policy, rule.name) for rule in rules)
    return (DeleteRule(policy, _existing({rule.name: rule for rule in rules}, _name(command), f"rule of policy {policy!r}")),)


# --- the whole store -----------------------------------------------------------------------------


def _delete_all(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    """"Deletes all policies, filter lists, and filter actions." [S4]: policies (with their rules) first,
    so that no list or action is still in use when it goes."""
    return (*(DeletePolicy(name) for name in store.policies), *(DeleteFilterList(name) for name in store.filter_lists),
            *(DeleteFilterAction(name) for name in store.filter_actions))


def _set_store(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    location = (command.get("location") or "").lower()
    if location != "local" or command.has("domain"):
        raise NotImported(f"set store location={command.get('location')} is not imported: only the local store is; the lines after it "
                          "are read as changes to the local store")
    return ()


def _set_batch(command: NetshCommand, store: Prediction) -> tuple[Change, ...]:
    return ()  # queues the commands; their result is the same (SYNTAX.md §5)


# --- names ---------------------------------------------------------------------------------------


def _name(command: NetshCommand) -> str:
    name = command.get("name")
    if not name:
        raise NotImported("name= is empty")
    return name


def _new_name(command: NetshCommand) -> str:
    name = command.get("newname")
    if not name:
        raise NotImported("newname= is empty")
    return name


def _existing(mapping: Mapping[str, object], name: object, what: str) -> str:
    """The name under which ``mapping`` holds ``name`` (in any case, A-31).

    Raises:
        NotImported: there is none: netsh would refuse the command.
    """
    found = _held(mapping, name) if isinstance(name, str) else None
    if found is None:
        raise NotImported(f"{what} {name!r} does not exist at this point of the script: netsh would refuse the command")
    return found


def _held(mapping: Mapping[str, object], name: str) -> str | None:
    """The name under which ``mapping`` holds ``name`` in any case (A-31), or ``None``; an exact match is
    found without a scan."""
    if name in mapping:
        return name
    return next((existing for existing in mapping if same_name(existing, name)), None)


_HANDLERS: Mapping[tuple[str, str], Callable[[NetshCommand, Prediction], tuple[Change, ...]]] = {
    ("add", "filterlist"): _add_filter_list,
    ("set", "filterlist"): _set_filter_list,
    ("delete", "filterlist"): _delete_filter_list,
    ("add", "filter"): _add_filter,
    ("delete", "filter"): _delete_filter,
    ("add", "filteraction"): _add_filter_action,
    ("set", "filteraction"): _set_filter_action,
    ("delete", "filteraction"): _delete_filter_action,
    ("add", "policy"): _add_policy,
    ("set", "policy"): _set_policy,
    ("delete", "policy"): _delete_policy,
    ("set", "defaultrule"): _set_default_rule,
    ("add", "rule"): _add_rule,
    ("set", "rule"): _set_rule,
    ("delete", "rule"): _delete_rule,
    ("delete", "all"): _delete_all,
    ("set", "store"): _set_store,
    ("set", "batch"): _set_batch,
}


class _StoreView:
    """The store as ``_ipsecpol`` asks about it."""

    def __init__(self, store: Prediction) -> None:
        self._store = store

    def has_policy(self, name: str) -> bool:
        return _held(self._store.policies, name) is not None

    def has_filter_list(self, name: str) -> bool:
        return _held(self._store.filter_lists, name) is not None

    def has_filter_action(self, name: str) -> bool:
        return _held(self._store.filter_actions, name) is not None

    def rules(self, policy: str) -> list[tuple[str, str | None, str | None]]:
        found = _held(self._store.policies, policy)
        return [(rule.name, rule.filter_list, rule.filter_action) for rule in self._store.rules(found)] if found else []


__all__ = ["NotImported", "ScriptImport", "changes_of", "import_script", "netsh_changes"]
