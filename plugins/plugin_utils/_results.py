# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Task results from engine outcomes, in one shape for every module.

``changed``, ``commands`` (command lines in the order they ran, pre-shared keys redacted),
``before`` and ``after`` (the ``config`` shape of ``_present``; in check mode ``after`` is the
prediction) and, with ``--diff``, a ``diff`` whose before and after are the canonical netsh-script
text of ``_render.render_script``, so a ``--check --diff`` run reads like a change review.
"""

from __future__ import annotations

from typing import Any

from ._engine import ApplyFailed, Outcome
from ._model import Store
from ._present import store_to_data
from ._render import render_script

DIFF_HEADER = "netsh ipsec static"


def outcome_result(outcome: Outcome, *, diff: bool) -> dict[str, Any]:
    """The result of a module that converged (or, in check mode, would converge) the store."""
    result: dict[str, Any] = {
        "changed": outcome.changed,
        "commands": outcome.command_lines(),
        "before": store_to_data(outcome.before),
        "after": store_to_data(outcome.after),
    }
    if diff:
        result["diff"] = store_diff(outcome.before, outcome.after)
    return result


def store_diff(before: Store, after: Store) -> dict[str, str]:
    """A ``diff`` entry whose two sides are netsh scripts that would recreate each store."""
    return {
        "before_header": f"{DIFF_HEADER} (before)",
        "after_header": f"{DIFF_HEADER} (after)",
        "before": render_script(before),
        "after": render_script(after),
    }


def failure_result(error: ApplyFailed) -> dict[str, Any]:
    """The result of a write batch that stopped at a failing command: what ran, what failed and
    what netsh said, what did not run, and the store as it now is (read back from the host; when that
    read failed too, predicted from the commands that succeeded, and the message says so)."""
    message = str(error)
    if error.store_now is None:
        message += " (the store could not be read back)"
    elif not error.store_now_read:
        message += " ('after' is predicted from the commands that succeeded: the store could not be read back)"
    return {
        "failed": True,
        "changed": bool(error.succeeded),
        "msg": message,
        "succeeded_commands": error.succeeded,
        "failed_command": {"command": error.failed_command, "rc": error.rc, "stdout": error.stdout, "stderr": error.stderr},
        "not_run_commands": error.not_run,
        "before": store_to_data(error.before),
        "after": None if error.store_now is None else store_to_data(error.store_now),
    }


__all__ = ["DIFF_HEADER", "failure_result", "outcome_result", "store_diff"]
