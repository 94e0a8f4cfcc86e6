"""``delete`` handlers (SYNTAX.md §6).

Contract: as for ``_add``; nothing is deleted when the command fails.
"""

from __future__ import annotations

from . import _messages as msg
from ._cmdline import Args
from ._context import Context
from ._lookup import find_filteraction, find_filterlist, find_policy, find_rule
from ._state import Store
from ._values import parse_address, parse_bool, parse_port, parse_protocol, with_mask


def delete_policy(ctx: Context, args: Args) -> None:
    """"Deletes a policy and its rules." [S4] -- filter lists and actions stay (INFERRED §6)."""
    store = ctx.store
    if "all" in args.flags and "name" not in args.values:
        store.policies.clear()
        return
    policy = find_policy(store, args)
    store.policies.remove(policy)


def _delete_shared(store: Store, objects: list, attr: str, targets: list, in_use) -> None:
    for obj in targets:
        users = store.rules_using(attr, obj.guid)
        if users:
            policy, rule = users[0]
            # Refused while referenced (emulator choice; UNKNOWN in SYNTAX.md §6)
            raise in_use(obj.name, rule.name, policy.name)
    for obj in targets:
        objects.remove(obj)


def delete_filterlist(ctx: Context, args: Args) -> None:
    store = ctx.store
    if "all" in args.flags and "name" not in args.values:
        targets = list(store.filterlists)
    else:
        targets = [find_filterlist(store, args)]
    _delete_shared(store, store.filterlists, "filterlist", targets, msg.filterlist_in_use)


def delete_filteraction(ctx: Context, args: Args) -> None:
    store = ctx.store
    if "all" in args.flags and "name" not in args.values:
        targets = list(store.filteractions)
    else:
        targets = [find_filteraction(store, args)]
    _delete_shared(store, store.filteractions, "filteraction", targets, msg.filteraction_in_use)


def delete_rule(ctx: Context, args: Args) -> None:
    """``delete rule [name=] [id=] [all] [policy=]`` [S1]; ``all`` leaves the default response
    rule alone (UNKNOWN, emulator choice)."""
    store = ctx.store
    policy = store.policy(args.values["policy"])
    if policy is None:
        raise msg.policy_missing(args.values["policy"])
    if "all" in args.flags and not ({"name", "id"} & set(args.values)):
        policy.rules.clear()
    else:
        policy.rules.remove(find_rule(policy, args))
    policy.modified = ctx.now()


def delete_filter(ctx: Context, args: Args) -> None:
    """Delete every filter of the list matching all given criteria [S8 p.316]. Addresses compare
    normalised (``Me`` == ``me`` [S22], DNS names case-insensitively); a given mask compares as the
    effective mask ``add filter`` would store (``32`` == ``255.255.255.255``; ``any`` always
    ``0.0.0.0``); protocol by number (``tcp`` == ``6``). No match -> ``IPsec[05050]``, the line quoted in
    REAL-WORLD.md (A-118)."""
    v = args.values
    list_name = v["filterlist"]
    fl = ctx.store.filterlist(list_name)
    src = with_mask(parse_address("srcaddr", v["srcaddr"]), "srcmask", v.get("srcmask"))
    dst = with_mask(parse_address("dstaddr", v["dstaddr"]), "dstmask", v.get("dstmask"))
    checks = [lambda f: f.src.identity() == src.identity(),
              lambda f: f.dst.identity() == dst.identity()]
    if "srcmask" in v:
        checks.append(lambda f: f.src.mask == src.mask)
    if "dstmask" in v:
        checks.append(lambda f: f.dst.mask == dst.mask)
    for tag, parse in (("protocol", parse_protocol), ("srcport", parse_port), ("dstport", parse_port),
                       ("mirrored", parse_bool)):
        if tag in v:
            wanted = parse(tag, v[tag])
            checks.append(lambda f, tag=tag, wanted=wanted: getattr(f, tag) == wanted)
    if fl is None:
        raise msg.filterlist_missing(list_name)
    keep = [f for f in fl.filters if not all(check(f) for check in checks)]
    if len(keep) == len(fl.filters):
        raise msg.filter_missing(fl.name)
    fl.filters = keep
    fl.modified = ctx.now()


def delete_all(ctx: Context, args: Args) -> None:
    """"Deletes all policies, filter lists, and filter actions." [S4]"""
    ctx.store.policies.clear()
    ctx.store.filterlists.clear()
    ctx.store.filteractions.clear()
