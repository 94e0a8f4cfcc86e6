"""``add`` handlers (SYNTAX.md §4).

Contract: each handler validates every value first, then appends to ``ctx.store``; failures raise
and the caller does not save, so a failed command never changes the store.
"""

from __future__ import annotations

from . import _messages as msg
from ._cmdline import Args
from ._context import Context
from ._messages import InvalidValue
from ._shared import (ACTIONS, CONNTYPES, DEFAULT_MM_METHODS, apply_policy_values, assign, bool_value,
                      name_value, qm_for_action, qm_given, storable_flags)
from ._state import Filter, FilterAction, FilterList, Policy, Rule
from ._values import (check_server_pair, parse_address, parse_auth, parse_bool, parse_enum,
                      parse_port, parse_protocol, parse_tunnel, with_mask)


def add_policy(ctx: Context, args: Args) -> None:
    """SYNTAX.md §4.1 [S2]; defaults per the brief (mmlifetime 480, qmpermm 0, activatedefaultrule
    yes INFERRED, pollinginterval 180 [S5], assign no INFERRED)."""
    store = ctx.store
    name = name_value(args, "name")
    policy = Policy(name=name, guid="", modified=ctx.now(), mmsecmethods=list(DEFAULT_MM_METHODS))
    apply_policy_values(policy, args)
    if store.policy(name) is not None:
        raise msg.policy_exists(name)
    policy.guid = ctx.new_guid()
    store.policies.append(policy)
    assign(store, policy, bool(bool_value(args, "assign", False)))


def add_filterlist(ctx: Context, args: Args) -> None:
    """SYNTAX.md §4.2 [S2]; existing name -> 05010 [S12][S14]."""
    name = name_value(args, "name")
    if ctx.store.filterlist(name) is not None:
        raise msg.filterlist_exists(name)
    ctx.store.filterlists.append(FilterList(name=name, guid=ctx.new_guid(), modified=ctx.now(),
                                            description=args.values.get("description", "")))


def build_filter(args: Args) -> Filter:
    """Validate the filter fields of ``add filter`` (SYNTAX.md §3.1-§3.3, §4.3)."""
    v = args.values
    src = with_mask(parse_address("srcaddr", v["srcaddr"]), "srcmask", v.get("srcmask"))
    dst = with_mask(parse_address("dstaddr", v["dstaddr"]), "dstmask", v.get("dstmask"))
    check_server_pair(src, dst, v["srcaddr"], v["dstaddr"])
    flt = Filter(src=src, dst=dst, description=v.get("description", ""),
                 mirrored=parse_bool("mirrored", v["mirrored"]) if "mirrored" in v else True,  # default yes [S5][S19]
                 protocol=parse_protocol("protocol", v["protocol"]) if "protocol" in v else 0,
                 srcport=parse_port("srcport", v["srcport"]) if "srcport" in v else 0,
                 dstport=parse_port("dstport", v["dstport"]) if "dstport" in v else 0)
    _check_ports(flt, v)
    return flt


def _check_ports(flt: Filter, values: dict[str, str]) -> None:
    # "If you specify a port, acceptable value is TCP or UDP." [S3] (dynamic help; INFERRED for static)
    for tag, port in (("srcport", flt.srcport), ("dstport", flt.dstport)):
        if port and flt.protocol not in (6, 17):
            raise InvalidValue(tag, values[tag], "a port other than 0 needs protocol TCP or UDP")


def add_filter(ctx: Context, args: Args) -> None:
    """Append one filter (a mirrored filter is one entry, INFERRED [S5]); identical duplicates are
    kept (UNKNOWN; [S16] de-duplicates, so they can exist). "If the filter list does not exist it
    will be created." [S3]"""
    list_name = name_value(args, "filterlist")
    flt = build_filter(args)
    store = ctx.store
    fl = store.filterlist(list_name)
    if fl is None:
        fl = FilterList(name=list_name, guid=ctx.new_guid(), modified=ctx.now())
        store.filterlists.append(fl)
    fl.filters.append(flt)
    fl.modified = ctx.now()


def add_filteraction(ctx: Context, args: Args) -> None:
    """SYNTAX.md §4.4 [S2][S3]; action default negotiate (INFERRED), qmpfs/inpass/soft default no
    ([S8] for qmpfs)."""
    v = args.values
    name = name_value(args, "name")
    action = parse_enum("action", v["action"], ACTIONS) if "action" in v else "negotiate"
    flags = storable_flags(action, {tag: bool(bool_value(args, tag, False)) for tag in ("qmpfs", "inpass", "soft")})
    fa = FilterAction(name=name, guid="", modified=ctx.now(), description=v.get("description", ""),
                      action=action, **flags)
    fa.qmsecmethods = qm_for_action(action, qm_given(args, action), [])
    if ctx.store.filteraction(name) is not None:
        raise msg.filteraction_exists(name)
    fa.guid = ctx.new_guid()
    ctx.store.filteractions.append(fa)


def add_rule(ctx: Context, args: Args) -> None:
    """SYNTAX.md §4.5 [S2][S3]; defaults conntype all, activate yes (INFERRED), no tunnel, no auth
    methods ("If no auth methods are stated, dynamic defaults are used" [S3] -- shown as none)."""
    v = args.values
    store = ctx.store
    name = name_value(args, "name")
    policy = store.policy(v["policy"])
    if policy is None:
        raise msg.policy_missing(v["policy"])
    fl = store.filterlist(v["filterlist"])
    if fl is None:
        raise msg.filterlist_missing(v["filterlist"])
    fa = store.filteraction(v["filteraction"])
    if fa is None:
        raise msg.filteraction_missing(v["filteraction"])
    rule = Rule(name=name, guid="", filterlist=fl.guid, filteraction=fa.guid,
                description=v.get("description", ""),
                tunnel=parse_tunnel("tunnel", v["tunnel"]) if "tunnel" in v else None,
                conntype=parse_enum("conntype", v["conntype"], CONNTYPES) if "conntype" in v else "all",
                activate=bool(bool_value(args, "activate", True)),
                auth=parse_auth(args.order) or [])
    if any(r.name.casefold() == name.casefold() for r in policy.rules):
        raise msg.rule_exists(name, policy.name)
    rule.guid = ctx.new_guid()
    policy.rules.append(rule)
    policy.modified = ctx.now()
