# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. What netsh prints, per display language.

netsh translates its labels and fixed values (EXIT_AND_SCRIPTS.md §5; peers broke on Russian and
Chinese output). The parser reads English internally: a :class:`Language` maps each English label and
fixed value to the text printed in that language. A language lists only what is known; a label that is
missing from it is unknown, and the parser stops on it with an error naming it rather than guess.

Sources: English labels from KB 4471134 [S5] and IPSecDotNet5 [S6] where captured, otherwise the
assumed layout of ``docs/netsh-output-format.md`` (A-15, A-16, A-17); zh-CN from SYNTAX.md §7.1
([S15], [S16]).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

# Fixed values netsh prints instead of data (SYNTAX.md §7.1).
YES, NO, NONE, ANY = "YES", "NO", "NONE", "ANY"
ANY_ADDRESS, MY_ADDRESS = "<Any IP Address>", "<My IP Address>"

# Section headers that sit on a line of their own, and the dashes under them.
FILTERS_HEADER, RULES_HEADER, DEFAULT_RULE_HEADER = "Filter(s)", "Rule(s)", "Default Response Rule"


@dataclass(frozen=True)
class Language:
    """The printed text of every label and fixed value netsh shows in one display language.

    Attributes:
        code: e.g. ``en-US``.
        labels: English label -> label as printed. Missing means unknown in this language.
        values: English fixed value -> value as printed.
        headers: English section header -> header as printed.
    """

    code: str
    labels: Mapping[str, str]
    values: Mapping[str, str]
    headers: Mapping[str, str]

    def english_label(self, printed: str) -> str | None:
        """The English label for ``printed``, or ``None`` when this language does not know it."""
        return _reverse(self.labels).get(printed)

    def english_value(self, printed: str) -> str:
        """The English fixed value for ``printed``; other text comes back unchanged."""
        return _reverse(self.values).get(printed, printed)

    def english_header(self, printed: str) -> str | None:
        """The English section header for ``printed``, or ``None``."""
        return _reverse(self.headers).get(printed)


_REVERSED: dict[int, dict[str, str]] = {}


def _reverse(mapping: Mapping[str, str]) -> dict[str, str]:
    key = id(mapping)
    if key not in _REVERSED:
        _REVERSED[key] = {printed: english for english, printed in mapping.items()}
    return _REVERSED[key]


ENGLISH_LABELS = (
    # filter list [S5][S6]
    "FilterList Name", "Description", "Store", "Last Modified", "GUID", "No. of Filters",
    # filter [S5][S6]
    "Mirrored", "Source IP Address", "Source Mask", "Source DNS Name", "Destination IP Address",
    "Destination Mask", "Destination DNS Name", "Protocol", "Source Port", "Destination Port",
    # filter action
    "FilterAction Name", "Action", "QMPFS", "Inbound Passthru", "Soft Association", "QM Sec. Methods",
    # policy: normal level [S5], verbose additions
    "Policy Name", "Assigned", "Master PFS", "Polling Interval",
    "MM Lifetime", "QM Per MM", "MM Sec. Methods", "No. of Rules",
    # rules and the default response rule
    "Rule Name", "Activated", "Conn. Type", "Tunnel Endpoint", "Auth Method",
)

EN_US = Language(
    code="en-US",
    labels=MappingProxyType({label: label for label in ENGLISH_LABELS}),
    values=MappingProxyType({value: value for value in (YES, NO, NONE, ANY, ANY_ADDRESS, MY_ADDRESS)}),
    headers=MappingProxyType({header: header for header in (FILTERS_HEADER, RULES_HEADER, DEFAULT_RULE_HEADER)}),
)

# Only what SYNTAX.md §7.1 knows ([S15] selboo/ipsecset's label map, [S16]); the rest is unknown.
ZH_CN = Language(
    code="zh-CN",
    labels=MappingProxyType(
        {
            "FilterList Name": "筛选器列表名称",
            "Description": "描述",
            "Mirrored": "已镜像",
            "Source IP Address": "源 IP 地址",
            "Source Mask": "源掩码",
            "Source DNS Name": "源 DNS 名称",
            "Destination IP Address": "目标 IP 地址",
            "Destination Mask": "目标掩码",
            "Destination DNS Name": "目标 DNS 名称",
            "Protocol": "协议",
            "Source Port": "源端口",
            "Destination Port": "目标端口",
            "Assigned": "已分配",
        }
    ),
    values=MappingProxyType(
        {YES: "是", NO: "否", NONE: "无", ANY: "任何", ANY_ADDRESS: "<任何 IP 地址>", MY_ADDRESS: "<我的 IP 地址>"}
    ),
    headers=MappingProxyType({}),
)

LANGUAGES = (EN_US, ZH_CN)

__all__ = [
    "ANY",
    "ANY_ADDRESS",
    "DEFAULT_RULE_HEADER",
    "EN_US",
    "ENGLISH_LABELS",
    "FILTERS_HEADER",
    "LANGUAGES",
    "MY_ADDRESS",
    "NO",
    "NONE",
    "RULES_HEADER",
    "YES",
    "ZH_CN",
    "Language",
]
