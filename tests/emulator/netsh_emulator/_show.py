"""Rendering of ``show`` output in list format (the contract: docs/netsh-output-format.md).

Contract: every function returns a list of lines without line endings; :func:`document` joins
blocks into the final text: one leading blank line (§1, cf. [S15] ``lines[1]``), blocks separated
by one blank line, every line ended by CRLF (§1, A-20). A field line is the label padded to 23
characters, ``": "``, the value (§1, A-01); a label of 23 characters or more is not padded
(Python's ``:<23`` does exactly that).
"""

from __future__ import annotations

from ._locale import Settings, fixed, format_date, label
from ._state import DefaultRule, Filter, FilterAction, FilterList, Policy, Rule, Store
from ._values import SERVER_TYPES, Endpoint

CRLF = "\r\n"
_PROTOCOL_NAMES = {0: "ANY", 1: "ICMP", 6: "TCP", 17: "UDP", 255: "RAW"}  # format doc §2, A-08


def field(settings: Settings, name: str, value: str) -> str:
    return f"{label(settings, name):<23}: {value}"


def document(blocks: list[list[str]]) -> str:
    """Leading blank line, blocks separated by blank lines, CRLF everywhere."""
    return CRLF + CRLF.join("".join(line + CRLF for line in block) for block in blocks)


def _yn(settings: Settings, value: bool) -> str:
    return fixed(settings, "YES" if value else "NO")


def _text(settings: Settings, value: str) -> str:
    return value if value else fixed(settings, "NONE")


def _methods(settings: Settings, methods: list[str]) -> str:
    return " ".join(methods) if methods else fixed(settings, "NONE")


def _store_line(settings: Settings) -> str:
    return field(settings, "Store", f"Local Store <{settings.computername}>")


# --- filters -----------------------------------------------------------------------------------------

def address_text(settings: Settings, ep: Endpoint) -> str:
    if ep.kind == "any":
        return fixed(settings, "<Any IP Address>")
    if ep.kind == "me":
        return fixed(settings, "<My IP Address>")
    if ep.kind == "server":
        return SERVER_TYPES[ep.value.lower()]
    return ep.value  # ipv4, ipv6, range, dns (the resolved address, A-06)


def _endpoint_lines(settings: Settings, side: str, ep: Endpoint) -> list[str]:
    shown = address_text(settings, ep)
    lines = [field(settings, f"{side} IP Address", shown)]
    if ep.mask is not None:  # no mask line for me / IPv6 / range / server
        lines.append(field(settings, f"{side} Mask", ep.mask))
    lines.append(field(settings, f"{side} DNS Name", ep.name if ep.kind == "dns" else shown))
    return lines


def protocol_text(settings: Settings, number: int) -> str:
    name = _PROTOCOL_NAMES.get(number, str(number))
    return fixed(settings, name) if number == 0 else name


def port_text(settings: Settings, number: int) -> str:
    return fixed(settings, "ANY") if number == 0 else str(number)


def filter_lines(settings: Settings, flt: Filter) -> list[str]:
    return [
        field(settings, "Description", _text(settings, flt.description)),
        field(settings, "Mirrored", _yn(settings, flt.mirrored)),
        *_endpoint_lines(settings, "Source", flt.src),
        *_endpoint_lines(settings, "Destination", flt.dst),
        field(settings, "Protocol", protocol_text(settings, flt.protocol)),
        field(settings, "Source Port", port_text(settings, flt.srcport)),
        field(settings, "Destination Port", port_text(settings, flt.dstport)),
    ]


def filterlist_block(settings: Settings, fl: FilterList, verbose: bool) -> list[str]:
    """Format doc §3: verbose adds Store, GUID and the filters; no ``Filter(s)`` header when the
    list is empty (A-11); filters in insertion order, blank line between them (A-12)."""
    lines = [field(settings, "FilterList Name", fl.name),
             field(settings, "Description", _text(settings, fl.description))]
    if verbose:
        lines.append(_store_line(settings))
    lines.append(field(settings, "Last Modified", format_date(settings, fl.modified)))
    if verbose:
        lines.append(field(settings, "GUID", fl.guid))
    lines.append(field(settings, "No. of Filters", str(len(fl.filters))))
    if verbose and fl.filters:
        lines += ["Filter(s)", "---------"]
        for index, flt in enumerate(fl.filters):
            if index:
                lines.append("")
            lines += filter_lines(settings, flt)
    return lines


# --- filter actions ------------------------------------------------------------------------------------

def filteraction_block(settings: Settings, fa: FilterAction, verbose: bool) -> list[str]:
    """Format doc §4 (A-15)."""
    if not verbose:
        return [field(settings, "FilterAction Name", fa.name),
                field(settings, "Description", _text(settings, fa.description)),
                field(settings, "Last Modified", format_date(settings, fa.modified)),
                field(settings, "Action", fa.action.upper())]
    return [
        field(settings, "FilterAction Name", fa.name),
        field(settings, "Description", _text(settings, fa.description)),
        _store_line(settings),
        field(settings, "Last Modified", format_date(settings, fa.modified)),
        field(settings, "GUID", fa.guid),
        field(settings, "Action", fa.action.upper()),
        field(settings, "QMPFS", _yn(settings, fa.qmpfs)),
        field(settings, "Inbound Passthru", _yn(settings, fa.inpass)),
        field(settings, "Soft Association", _yn(settings, fa.soft)),
        field(settings, "QM Sec. Methods", _methods(settings, fa.qmsecmethods)),
    ]


# --- policies and rules ---------------------------------------------------------------------------------

def auth_lines(settings: Settings, auth: list[dict]) -> list[str]:
    """One ``Auth Method`` line per method in preference order; none when the list is empty (A-17)."""
    lines = []
    for method in auth:
        if method["kind"] == "kerberos":
            text = "Kerberos"
        elif method["kind"] == "psk":
            text = f"Preshared Key = {method['key']}"
        else:
            text = (f"Root CA = {method['cert']}, CertMap = {_yn(settings, method['certmap'])}, "
                    f"ExcludeCAName = {_yn(settings, method['excludecaname'])}")
        lines.append(field(settings, "Auth Method", text))
    return lines


def rule_lines(settings: Settings, store: Store, rule: Rule) -> list[str]:
    fl = store.filterlist_by_guid(rule.filterlist)
    fa = store.filteraction_by_guid(rule.filteraction)
    return [
        field(settings, "Rule Name", rule.name),
        field(settings, "Description", _text(settings, rule.description)),
        field(settings, "Activated", _yn(settings, rule.activate)),
        field(settings, "Conn. Type", rule.conntype.upper()),
        field(settings, "Tunnel Endpoint", rule.tunnel or fixed(settings, "NONE")),
        field(settings, "FilterList Name", fl.name if fl else fixed(settings, "NONE")),
        field(settings, "FilterAction Name", fa.name if fa else fixed(settings, "NONE")),
        *auth_lines(settings, rule.auth),
    ]


def default_rule_lines(settings: Settings, rule: DefaultRule) -> list[str]:
    return [
        "Default Response Rule",
        "---------------------",
        field(settings, "Activated", _yn(settings, rule.activate)),
        field(settings, "QMPFS", _yn(settings, rule.qmpfs)),
        field(settings, "QM Sec. Methods", _methods(settings, rule.qmsecmethods)),
        *auth_lines(settings, rule.auth),
    ]


def policy_block(settings: Settings, store: Store, policy: Policy, verbose: bool) -> list[str]:
    """Format doc §5: normal = the KB 4471134 block [S5]; verbose (A-16) adds Store, GUID, the
    main-mode settings, the default response rule and the rules. With no rules the ``Rule(s)``
    header is omitted (emulator choice, analogous to A-11)."""
    lines = [field(settings, "Policy Name", policy.name),
             field(settings, "Description", _text(settings, policy.description))]
    if verbose:
        lines.append(_store_line(settings))
    lines.append(field(settings, "Last Modified", format_date(settings, policy.modified)))
    if verbose:
        lines.append(field(settings, "GUID", policy.guid))
    lines += [
        field(settings, "Assigned", _yn(settings, policy.assigned)),
        field(settings, "Master PFS", _yn(settings, policy.mmpfs)),
        field(settings, "Polling Interval", f"{policy.pollinginterval} minutes"),
    ]
    if not verbose:
        return lines
    lines += [
        field(settings, "MM Lifetime", f"{policy.mmlifetime} minutes"),
        field(settings, "QM Per MM", str(policy.qmpermm)),
        field(settings, "MM Sec. Methods", _methods(settings, policy.mmsecmethods)),
        field(settings, "No. of Rules", str(len(policy.rules))),
        "",
        *default_rule_lines(settings, policy.default_rule),
    ]
    if policy.rules:
        lines += ["", "Rule(s)", "-------"]
        for index, rule in enumerate(policy.rules):
            if index:
                lines.append("")
            lines += rule_lines(settings, store, rule)
    return lines
