"""``show`` handlers: select objects, then render them with ``_show``.

Contract: each handler takes a :class:`~._context.Context` and :class:`~._cmdline.Args` and
returns the complete stdout text (CRLF line endings, leading blank line), or raises an error.
Defaults: ``level=normal``, ``format=list`` (SYNTAX.md §7, INFERRED); ``format=table`` is not
emulated (no raw sample exists, SYNTAX.md §7.1) and is refused with a netsh-level message.
``wide`` and ``resolvedns`` are validated and have no effect.
"""

from __future__ import annotations

from . import _messages as msg
from ._cmdline import Args
from ._lookup import find_filteraction, find_filterlist, find_policy, find_rule
from ._context import Context
from ._show import (CRLF, default_rule_lines, document, field, filteraction_block, filterlist_block,
                    policy_block, rule_lines)
from ._state import Policy, Rule
from ._values import parse_bool, parse_enum


def _verbose(args: Args) -> bool:
    """Validate the presentation tags shared by the show commands; return the level."""
    if "format" in args.values and parse_enum("format", args.values["format"], ("list", "table")) == "table":
        raise msg.not_emulated('"format=table"')
    for tag in ("wide", "resolvedns"):
        if tag in args.values:
            parse_bool(tag, args.values[tag])
    level = args.values.get("level")
    return level is not None and parse_enum("level", level, ("verbose", "normal")) == "verbose"


def _rule_named(ctx: Context, name: str) -> Rule:
    """``show filterlist rule=X`` / ``show filteraction rule=X`` [S1]: the first rule of that name in
    policy creation order (rule names are only unique per policy)."""
    for policy in ctx.store.policies:
        for rule in policy.rules:
            if rule.name.casefold() == name.casefold():
                return rule
    raise msg.rule_missing(name, None)


def show_policy(ctx: Context, args: Args) -> str:
    verbose = _verbose(args)
    store, settings = ctx.store, ctx.settings
    if "name" in args.values:
        policies = [find_policy(store, args)]
    else:
        policies = list(store.policies)
        if not policies:
            raise msg.no_policies()  # 05072 [S12][S13][S14]
    return document([policy_block(settings, store, p, verbose) for p in policies])


def show_filterlist(ctx: Context, args: Args) -> str:
    verbose = _verbose(args)
    store = ctx.store
    if "name" in args.values:
        lists = [find_filterlist(store, args)]  # missing -> 05049 [S12]
    elif "rule" in args.values:
        guid = _rule_named(ctx, args.values["rule"]).filterlist
        lists = [store.filterlist_by_guid(guid)]
    else:
        lists = list(store.filterlists)
        if not lists:
            raise msg.no_filterlists()  # 05067 [S12][S13]
    return document([filterlist_block(ctx.settings, fl, verbose) for fl in lists if fl is not None])


def show_filteraction(ctx: Context, args: Args) -> str:
    verbose = _verbose(args)
    store = ctx.store
    if "name" in args.values:
        actions = [find_filteraction(store, args)]
    elif "rule" in args.values:
        guid = _rule_named(ctx, args.values["rule"]).filteraction
        actions = [store.filteraction_by_guid(guid)]
    else:
        actions = list(store.filteractions)
        if not actions:
            raise msg.no_filteractions()  # 05068 [S12][S13]
    return document([filteraction_block(ctx.settings, fa, verbose) for fa in actions if fa is not None])


def show_rule(ctx: Context, args: Args) -> str:
    """INVENTED layout (no sample): the rule blocks of the verbose policy output, or the
    ``Default Response Rule`` section for ``default``."""
    _verbose(args)
    settings = ctx.settings
    policy: Policy | None = ctx.store.policy(args.values["policy"])
    if policy is None:
        raise msg.policy_missing(args.values["policy"])
    if "name" in args.values or "id" in args.values:
        return document([rule_lines(settings, ctx.store, find_rule(policy, args))])
    if "default" in args.flags:
        return document([default_rule_lines(settings, policy.default_rule)])
    rules = list(policy.rules)
    if "type" in args.values:
        kind = parse_enum("type", args.values["type"], ("tunnel", "transport"))
        rules = [r for r in rules if (r.tunnel is not None) == (kind == "tunnel")]
    if not rules:
        raise msg.no_rules(policy.name)
    return document([rule_lines(settings, ctx.store, r) for r in rules])


def show_all(ctx: Context, args: Args) -> str:
    """Format doc §6 (A-18): policies, then filter lists, then filter actions, all verbose; an
    empty store prints only the leading blank line (emulator choice)."""
    _verbose(args)
    store, settings = ctx.store, ctx.settings
    blocks = [policy_block(settings, store, p, True) for p in store.policies]
    blocks += [filterlist_block(settings, fl, True) for fl in store.filterlists]
    blocks += [filteraction_block(settings, fa, True) for fa in store.filteractions]
    return document(blocks) if blocks else CRLF


def show_gpoassignedpolicy(ctx: Context, args: Args) -> str:
    """INVENTED text (output UNKNOWN, SYNTAX.md §7): the emulated computer is never in a domain."""
    return CRLF + "No Group Policy assigned IPsec policy exists on this computer." + CRLF


def show_store(ctx: Context, args: Args) -> str:
    """INVENTED layout (output UNKNOWN, SYNTAX.md §7): one ``Store`` field line."""
    return document([[field(ctx.settings, "Store", f"Local Store <{ctx.settings.computername}>")]])
