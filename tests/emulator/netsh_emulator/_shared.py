"""netsh semantics shared by ``add`` and ``set``: defaults, value helpers, coupling rules.

Contract: helpers read :class:`~._cmdline.Args` and either return normalised values or raise
``InvalidValue``; ``apply_policy_values`` / ``assign`` mutate the object they are given.
"""

from __future__ import annotations

from ._cmdline import Args
from ._messages import InvalidValue
from ._state import Policy, Store
from ._values import parse_bool, parse_int, parse_mm_methods, parse_qm_methods

#: ``add policy`` main-mode default (brief; SYNTAX.md §4.1 says UNKNOWN).
DEFAULT_MM_METHODS = ["3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"]
#: ``add filteraction action=negotiate`` quick-mode default (brief; UNKNOWN in SYNTAX.md §4.4).
DEFAULT_QM_METHODS = ["ESP[3DES,SHA1]:100000k/3600s", "ESP[3DES,MD5]:100000k/3600s"]

CONNTYPES = ("lan", "dialup", "all")
ACTIONS = ("permit", "block", "negotiate")
_MAX = 2**31 - 1


def name_value(args: Args, tag: str) -> str:
    value = args.values[tag]
    if value.strip() == "":
        raise InvalidValue(tag, value, "a name must not be empty")
    return value


def bool_value(args: Args, tag: str, default: bool | None = None) -> bool | None:
    return parse_bool(tag, args.values[tag]) if tag in args.values else default


def assign(store: Store, policy: Policy, value: bool) -> None:
    """Only one policy is assigned at a time; assigning one unassigns the other (INFERRED [S7][S23])."""
    if value:
        for other in store.policies:
            other.assigned = False
    policy.assigned = value


def qm_for_action(action: str, given: list[str] | None, current: list[str]) -> list[str]:
    """"Quick mode security methods are ignored if the action is not 'negotiate'" [S3]: a permit or
    block action keeps none; a negotiate action keeps the given list, else its current list, else
    the default."""
    if action != "negotiate":
        return []
    if given is not None:
        return given
    return current or list(DEFAULT_QM_METHODS)


def storable_flags(action: str, flags: dict[str, bool]) -> dict[str, bool]:
    """The ``qmpfs``/``inpass``/``soft`` flags the store can keep (A-98). The store holds them only in
    a negotiating action's offers and type (GPIPSEC.md §4.1-§4.2): a permit or block action has no
    offer, so netsh accepts the switches and the store keeps ``no`` for all three."""
    if action != "negotiate":
        return {tag: False for tag in flags}
    return flags


def qm_given(args: Args, action: str) -> list[str] | None:
    if "qmsecmethods" not in args.values:
        return None
    methods = parse_qm_methods("qmsecmethods", args.values["qmsecmethods"])
    if action == "negotiate" and not methods:
        raise InvalidValue("qmsecmethods", args.values["qmsecmethods"],
                           "a negotiate action needs at least one security method")
    return methods


def apply_policy_values(policy: Policy, args: Args) -> None:
    v = args.values
    if "description" in v:
        policy.description = v["description"]
    if "mmpfs" in v:
        policy.mmpfs = parse_bool("mmpfs", v["mmpfs"])
    if "qmpermm" in v:
        policy.qmpermm = parse_int("qmpermm", v["qmpermm"], 0, _MAX)
    if "mmlifetime" in v:
        policy.mmlifetime = parse_int("mmlifetime", v["mmlifetime"], 1, _MAX)
    if "pollinginterval" in v:
        policy.pollinginterval = parse_int("pollinginterval", v["pollinginterval"], 0, _MAX)
    if "activatedefaultrule" in v:
        policy.default_rule.activate = parse_bool("activatedefaultrule", v["activatedefaultrule"])
    if "mmsecmethods" in v:
        policy.mmsecmethods = parse_mm_methods("mmsecmethods", v["mmsecmethods"])
    if "assign" in v:
        parse_bool("assign", v["assign"])  # validated here, applied by the caller
    if policy.mmpfs:
        # "If mmpfs is specified, qmpermm will be set to 1" [S2] -- applied whenever master PFS is on
        policy.qmpermm = 1
