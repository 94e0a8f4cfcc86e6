"""``set`` handlers (SYNTAX.md §5): only the given parameters change (INFERRED).

Contract: as for ``_add``; an empty value such as ``description=`` clears the field.
"""

from __future__ import annotations

from . import _messages as msg
from ._cmdline import Args
from ._context import Context
from ._lookup import find_filteraction, find_filterlist, find_policy, find_rule
from ._shared import (ACTIONS, CONNTYPES, apply_policy_values, assign, bool_value, name_value,
                      qm_for_action, qm_given, storable_flags)
from ._values import parse_auth, parse_bool, parse_enum, parse_qm_methods, parse_tunnel


def _rename(args: Args, current: str, taken) -> str:
    """``newname=`` [S1]; *taken(name)* tells whether another object already has that name."""
    if "newname" not in args.values:
        return current
    new = name_value(args, "newname")
    if new.casefold() != current.casefold() and taken(new):
        raise _RenameClash(new)
    return new


class _RenameClash(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def set_policy(ctx: Context, args: Args) -> None:
    """Only the given parameters change (SYNTAX.md §5, INFERRED)."""
    store = ctx.store
    policy = find_policy(store, args)
    if "gponame" in args.values:
        raise msg.domain_store_unsupported()  # GPO assignment needs the domain store [S1]
    try:
        new_name = _rename(args, policy.name, lambda n: store.policy(n) is not None)
    except _RenameClash as clash:
        raise msg.policy_exists(clash.name) from None
    apply_policy_values(policy, args)
    policy.name = new_name
    if "assign" in args.values:
        assign(store, policy, parse_bool("assign", args.values["assign"]))
    policy.modified = ctx.now()


def set_filterlist(ctx: Context, args: Args) -> None:
    store = ctx.store
    fl = find_filterlist(store, args)
    try:
        new_name = _rename(args, fl.name, lambda n: store.filterlist(n) is not None)
    except _RenameClash as clash:
        raise msg.filterlist_exists(clash.name) from None
    fl.name = new_name
    if "description" in args.values:
        fl.description = args.values["description"]
    fl.modified = ctx.now()


def set_filteraction(ctx: Context, args: Args) -> None:
    """``qmsecmethods=`` replaces the list; see :func:`~._shared.qm_for_action` for the action coupling."""
    store = ctx.store
    v = args.values
    fa = find_filteraction(store, args)
    try:
        new_name = _rename(args, fa.name, lambda n: store.filteraction(n) is not None)
    except _RenameClash as clash:
        raise msg.filteraction_exists(clash.name) from None
    action = parse_enum("action", v["action"], ACTIONS) if "action" in v else fa.action
    flags = storable_flags(action, {tag: bool(bool_value(args, tag, getattr(fa, tag))) for tag in ("qmpfs", "inpass", "soft")})
    methods = qm_for_action(action, qm_given(args, action), fa.qmsecmethods)
    fa.name = new_name
    if "description" in v:
        fa.description = v["description"]
    fa.action = action
    for tag, value in flags.items():
        setattr(fa, tag, value)
    fa.qmsecmethods = methods
    fa.modified = ctx.now()


def set_rule(ctx: Context, args: Args) -> None:
    """Rule by name or id within ``policy`` [S1]. Any of kerberos/psk/rootca replaces the whole
    auth list, in command order ("All authentication methods are overwritten with the stated
    list" [S3 dynamic], INFERRED for static)."""
    store = ctx.store
    v = args.values
    policy = store.policy(v["policy"])
    if policy is None:
        raise msg.policy_missing(v["policy"])
    rule = find_rule(policy, args)
    if "newname" in v:
        new = name_value(args, "newname")
        if new.casefold() != rule.name.casefold() and any(
                r.name.casefold() == new.casefold() for r in policy.rules):
            raise msg.rule_exists(new, policy.name)
    changes: dict = {}
    if "filterlist" in v:
        fl = store.filterlist(v["filterlist"])
        if fl is None:
            raise msg.filterlist_missing(v["filterlist"])
        changes["filterlist"] = fl.guid
    if "filteraction" in v:
        fa = store.filteraction(v["filteraction"])
        if fa is None:
            raise msg.filteraction_missing(v["filteraction"])
        changes["filteraction"] = fa.guid
    if "tunnel" in v:
        changes["tunnel"] = parse_tunnel("tunnel", v["tunnel"])
    if "conntype" in v:
        changes["conntype"] = parse_enum("conntype", v["conntype"], CONNTYPES)
    if "activate" in v:
        changes["activate"] = parse_bool("activate", v["activate"])
    if "description" in v:
        changes["description"] = v["description"]
    if "newname" in v:
        changes["name"] = v["newname"]
    auth = parse_auth(args.order)
    if auth is not None:
        changes["auth"] = auth
    for key, value in changes.items():
        setattr(rule, key, value)
    policy.modified = ctx.now()


def set_defaultrule(ctx: Context, args: Args) -> None:
    """``set defaultrule policy= ...`` [S1][S21]; auth list replaced like ``set rule``."""
    v = args.values
    policy = ctx.store.policy(v["policy"])
    if policy is None:
        raise msg.policy_missing(v["policy"])
    dr = policy.default_rule
    qmpfs = bool_value(args, "qmpfs", dr.qmpfs)
    activate = bool_value(args, "activate", dr.activate)
    methods = parse_qm_methods("qmsecmethods", v["qmsecmethods"]) if "qmsecmethods" in v else dr.qmsecmethods
    auth = parse_auth(args.order)
    # PFS lives in each offer (GPIPSEC.md §4.2): without quick-mode methods the store keeps no.
    dr.qmpfs, dr.activate, dr.qmsecmethods = bool(qmpfs) and bool(methods), bool(activate), methods
    if auth is not None:
        dr.auth = auth
    policy.modified = ctx.now()


def set_store(ctx: Context, args: Args) -> None:
    """``location=local`` is accepted (scripts use it [S27]); ``domain`` is not emulated."""
    location = parse_enum("location", args.values["location"], ("local", "domain"))
    if location == "domain":
        raise msg.domain_store_unsupported()


def set_batch(ctx: Context, args: Args) -> None:
    """Accepted and tracked; writes still apply immediately (SYNTAX.md §5: semantics UNKNOWN)."""
    ctx.store.batch_mode = parse_enum("mode", args.values["mode"], ("enable", "disable")) == "enable"
