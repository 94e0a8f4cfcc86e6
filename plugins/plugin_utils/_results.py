# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Task results from engine outcomes, in one shape for every module.

``changed``, ``commands`` (command lines in the order they ran, pre-shared keys redacted),
``before`` and ``after`` (the ``config`` shape of ``_present``; in check mode ``after`` is the
prediction) and, with ``--diff``, a ``diff`` whose before and after are the canonical netsh-script
text of ``_render.render_script``, so a ``--check --diff`` run reads like a change review.
``warnings`` carries what Ansible should show as warnings.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._engine import ApplyFailed, Outcome
from ._errors import LockdownError
from ._model import Store
from ._present import store_to_data
from ._render import command_line, render_script

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
        if outcome.rollback is not None:
            result["diff"]["after_header"] += f"; {outcome.rollback.summary()}"
    if outcome.rollback is not None:
        result["rollback"] = outcome.rollback.to_data()
    if outcome.warnings:
        result["warnings"] = list(outcome.warnings)
    if outcome.backup_path is not None:
        result["backup_path"] = outcome.backup_path
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
    """The result of a write batch that stopped at a failing command: what ran, what failed and what
    netsh said, what did not run, how the undo went (``undo_commands``, when one ran), and the store
    as it now is (read back from the host; when that read failed too, predicted from the commands that
    succeeded, and the message says so).

    ``changed`` is false only when the store was read back equal to the store before the task."""
    message = str(error)
    if error.store_now is None:
        message += " (the store could not be read back)"
    elif not error.store_now_read:
        message += " ('after' is predicted from the commands that succeeded: the store could not be read back)"
    result = {
        "failed": True,
        "changed": not (error.store_now_read and error.store_now == error.before),
        "msg": message,
        "succeeded_commands": error.succeeded,
        "failed_command": {"command": error.failed_command, "rc": error.rc, "stdout": error.stdout, "stderr": error.stderr},
        "not_run_commands": error.not_run,
        "before": store_to_data(error.before),
        "after": None if error.store_now is None else store_to_data(error.store_now),
    }
    if error.undo is not None:
        result["undo_commands"] = list(error.undo.commands)
    if error.rollback is not None:
        result["rollback"] = error.rollback
    return result


def interrupted_result(cause: BaseException, commands: Sequence[Sequence[str]]) -> dict[str, Any]:
    """The result of a task whose write batch reached the host but whose answer never came back (a
    lost connection, a task ``timeout``, an unreadable answer): part of it may have run.

    ``changed`` is true (the host may have changed), and the message says that a new run converges:
    every run starts by reading what the host holds.
    """
    reason = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__  # the type says what cut it off
    return {
        "failed": True,
        "changed": True,
        "msg": (
            f"the write batch of {len(commands)} netsh command(s) was sent to the host, but its answer never came back "
            f"({reason}). Part of the batch, or all of it, may have been applied. Run the task again: it reads what the "
            "host holds and converges from there."
        ),
        "commands": [command_line(argv) for argv in commands],
    }


def after_write_result(cause: BaseException) -> dict[str, Any]:
    """The result of a task that ended with ``cause`` after one of its write batches had run: the
    host changed, whatever went wrong afterwards (a read back, the connection)."""
    return {"failed": True, "changed": True, "msg": f"the store was changed, then the task failed: {_reason(cause)}"}


def _reason(cause: BaseException) -> str:
    if isinstance(cause, LockdownError):
        return str(cause)
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__


__all__ = ["DIFF_HEADER", "after_write_result", "failure_result", "interrupted_result", "outcome_result", "store_diff"]
