# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): plan a large store against a slightly changed copy.

The store: 1,000 filter lists of 20 filters each, a permit and a block action, and one assigned
policy with a rule per list (alternately permit and block). The desired copy swaps one filter in
every tenth list. The budget is 0.5 s per plan on Python 3.11.

Run from the repository root:  python benchmarks/bench_plan.py [--lists N] [--filters N] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
# conftest makes ansible_collections.lockdown.ipsec importable.
import conftest  # noqa: E402,F401  # pylint: disable=unused-import

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (  # noqa: E402
    Action,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State, plan  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._predict import predict, with_defaults  # noqa: E402

PREFIX = "APS - "
BUDGET_SECONDS = 0.5


def build_filter(list_index: int, filter_index: int) -> Filter:
    source = f"10.{list_index // 250}.{list_index % 250}.{filter_index + 1}"
    return Filter.build(source=source, destination="me", protocol="tcp", destination_port=1000 + filter_index)


def build_store(lists: int, filters: int) -> Store:
    names = [f"{PREFIX}list {index:04d}" for index in range(lists)]
    actions = [with_defaults(FilterAction(PREFIX + "Permit", action=Action.PERMIT)), with_defaults(FilterAction(PREFIX + "Block", action=Action.BLOCK))]
    rules = [
        with_defaults(Rule(f"rule {index:04d}", filter_list=name, filter_action=actions[index % 2].name))
        for index, name in enumerate(names)
    ]
    return Store.of(
        filter_lists=[
            FilterList(name, description="", filters=tuple(build_filter(index, number) for number in range(filters)))
            for index, name in enumerate(names)
        ],
        filter_actions=actions,
        policies=[with_defaults(Policy(PREFIX + "Server", rules=rules, assigned=True))],
    )


def changed_copy(store: Store, every: int) -> Store:
    """Every ``every``-th list has its first filter replaced by one on another port."""
    lists = []
    for index, (name, item) in enumerate(store.filter_lists.items()):
        if index % every == 0:
            swapped = replace(item.filters[0], destination_port=9999)
            item = replace(item, filters=(swapped,) + item.filters[1:])
        lists.append(item)
    return Store.of(filter_lists=lists, filter_actions=store.filter_actions.values(), policies=store.policies.values())


def timed(function, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for dummy in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=1000)
    parser.add_argument("--filters", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    start = time.perf_counter()
    have = build_store(options.lists, options.filters)
    want = changed_copy(have, 10)
    print(f"built {options.lists} lists x {options.filters} filters twice in {time.perf_counter() - start:.2f} s")

    worst = 0.0
    for state, scope in ((State.MERGED, Scope()), (State.REPLACED, Scope()), (State.OVERRIDDEN, Scope(PREFIX))):
        seconds, changes = timed(lambda: plan(have, want, state=state, scope=scope), options.repeat)
        worst = max(worst, seconds)
        print(f"plan {state.value:<10} {seconds * 1000:7.1f} ms  ({len(changes)} changes, best of {options.repeat})")
    seconds, dummy = timed(lambda: plan(have, have, state=State.REPLACED), options.repeat)
    print(f"plan no-op      {seconds * 1000:7.1f} ms")
    seconds, after = timed(lambda: predict(have, plan(have, want, state=State.REPLACED)), 1)
    print(f"plan + predict  {seconds * 1000:7.1f} ms  (re-plan empty: {plan(after, want, state=State.REPLACED) == ()})")
    verdict = "within" if worst < BUDGET_SECONDS else "OVER"
    print(f"slowest plan {worst * 1000:.1f} ms: {verdict} the {BUDGET_SECONDS * 1000:.0f} ms budget")
    return 0 if worst < BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
