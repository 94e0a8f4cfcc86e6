# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time ``_parse.parse_show`` on a large ``show filterlist all level=verbose`` output. Not a test.

Generates LISTS filter lists of FILTERS filters each, printed as docs/netsh-output-format.md §3 shows
them (23-column labels, CRLF), and prints the best of a few parse times. The target is under one
second for 1,000 x 20 (about 250,000 lines) with python3.11 on a two-core machine.

Usage: ``python benchmarks/bench_parse.py [LISTS [FILTERS [ROUNDS]]]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
# conftest makes the checkout importable as ansible_collections.lockdown.ipsec.
import conftest  # noqa: E402,F401  # pylint: disable=unused-import

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _parse  # noqa: E402

COMMAND = "netsh ipsec static show filterlist all level=verbose"


def line(label: str, value: object) -> str:
    return f"{label:<23}: {value}"


def endpoint(prefix: str, number: int) -> list[str]:
    """Address, mask and DNS-name lines for one of four address kinds, chosen by ``number``."""
    kind = number % 4
    if kind == 0:
        address, mask = "<Any IP Address>", "0.0.0.0"
    elif kind == 1:
        return [line(f"{prefix} IP Address", "<My IP Address>"), line(f"{prefix} DNS Name", "<My IP Address>")]
    elif kind == 2:
        address, mask = f"10.{number % 250}.{number // 250 % 250}.{number % 7}", "255.255.255.255"
    else:
        address, mask = f"192.168.{number % 250}.0", "255.255.255.0"
    return [line(f"{prefix} IP Address", address), line(f"{prefix} Mask", mask), line(f"{prefix} DNS Name", address)]


def one_filter(number: int) -> list[str]:
    protocol, port = ("TCP", 1000 + number % 60000) if number % 3 else ("UDP", 53)
    return (
        [line("Description", f"filter {number}" if number % 2 else "NONE"), line("Mirrored", "YES" if number % 5 else "NO")]
        + endpoint("Source", number)
        + endpoint("Destination", number + 1)
        + [line("Protocol", protocol), line("Source Port", "ANY"), line("Destination Port", port), ""]
    )


def one_list(index: int, filters: int) -> list[str]:
    head = [
        line("FilterList Name", f"list {index:04d}"),
        line("Description", "NONE" if index % 2 else f"generated list {index}"),
        line("Store", "Local Store <WIN-BENCH>"),
        line("Last Modified", "4/21/2021 6:47:44 PM"),
        line("GUID", "{C4CC8FE0-8DDB-48C5-A285-F56C21ABA666}"),
        line("No. of Filters", filters),
        "Filter(s)",
        "---------",
    ]
    body = [text for number in range(filters) for text in one_filter(index * filters + number)]
    return head + body + [""]


def generate(lists: int, filters: int) -> str:
    return "\r\n".join([""] + [text for index in range(lists) for text in one_list(index, filters)])


def main() -> None:
    lists, filters, rounds = (int(arg) for arg in (sys.argv[1:] + ["1000", "20", "5"][len(sys.argv) - 1:]))
    text = generate(lists, filters)
    best = float("inf")
    for dummy in range(rounds):
        started = time.perf_counter()
        store = _parse.parse_show(COMMAND, text)
        best = min(best, time.perf_counter() - started)
    assert len(store.filter_lists) == lists
    print(f"{lists} lists x {filters} filters, {text.count(chr(10)) + 1} lines: best of {rounds} = {best:.3f} s")


if __name__ == "__main__":
    main()
