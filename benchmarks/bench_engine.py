# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): the engine's two budgets in one run.

1. Parse ``show filterlist all level=verbose`` for 1,000 filter lists x 20 filters: under 1 s.
2. Plan that store against a copy with one filter swapped in every tenth list: under 0.5 s.

It reuses the generators of ``bench_parse.py`` (show-output text) and ``bench_plan.py`` (model
stores) and exits non-zero when a budget is missed. Run from the repository root:

    .venv/py311/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_parse  # noqa: E402
import bench_plan  # noqa: E402

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import parse_show  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State, plan  # noqa: E402

LISTS, FILTERS, ROUNDS = 1000, 20, 5
PARSE_BUDGET, PLAN_BUDGET = 1.0, 0.5


def best_of(rounds: int, function) -> tuple[float, object]:
    best, result = float("inf"), None
    for dummy in range(rounds):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    text = bench_parse.generate(LISTS, FILTERS)
    parse_seconds, parsed = best_of(ROUNDS, lambda: parse_show(bench_parse.COMMAND, text))
    assert len(parsed.filter_lists) == LISTS
    have = bench_plan.build_store(LISTS, FILTERS)
    want = bench_plan.changed_copy(have, 10)
    plan_seconds, changes = best_of(ROUNDS, lambda: plan(have, want, state=State.REPLACED))
    lines = text.count("\n") + 1
    print(f"parse {LISTS} lists x {FILTERS} filters ({lines} lines): {parse_seconds:.3f} s (budget {PARSE_BUDGET} s)")
    print(f"plan against a changed copy ({len(changes)} changes): {plan_seconds:.3f} s (budget {PLAN_BUDGET} s)")
    return 0 if parse_seconds < PARSE_BUDGET and plan_seconds < PLAN_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
