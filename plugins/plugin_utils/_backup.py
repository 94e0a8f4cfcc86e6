# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Exporting the store and restoring it, without ever leaving less than was there.

Two kinds of backup (``ipsec_backup``):

* **native**: ``netsh ipsec static exportpolicy`` writes a file on the host in the format of the IP
  Security Policies console. The controller cannot read it, so a restore is ``delete all``,
  ``importpolicy`` and, since an import never assigns (SYNTAX.md §8), ``set policy ... assign=yes``.
  :func:`restore_native` makes that safe: the file must open on the host before anything is deleted
  (the bootstrap's file precondition, in check mode too), and a batch that fails after ``delete all``
  is undone (``_engine.apply`` with :attr:`~._engine.OnFailure.ROLLBACK`, always): the store ends as
  it was, read back and compared.
* **structured**: the store as data in a file on the controller (:mod:`._backup_file`). Restoring it
  is an exact plan to that store (:func:`restore_structured`).
"""

from __future__ import annotations

from typing import Callable

from ._carry import Carried
from ._engine import OnFailure, Outcome, apply, converge, current_store, export_command, kept_export, refuse_under_domain_policy
from ._read import gather, read_host, read_round_trip
from ._errors import LockdownError
from ._model import Policy, Store
from ._plan import Scope, State
from ._render import CONTEXT, command_line
from ._transport import NetshRunner

# What --diff shows as the store after a native restore in check mode.
UNPREDICTABLE = (
    "# The store after importing {path} cannot be predicted: a native export cannot be read on the controller.\n"
    "# (A structured backup, controller_file, can: its restore is planned exactly.)\n"
)


def restore_commands(path: str, assigned: str | None) -> tuple[tuple[str, ...], ...]:
    """``delete all``, ``importpolicy`` and, for ``assigned``, the assignment (an import never assigns)."""
    commands = [(*CONTEXT, "delete", "all"), (*CONTEXT, "importpolicy", f"file={path}")]
    if assigned:
        commands.append((*CONTEXT, "set", "policy", f"name={assigned}", "assign=yes"))
    return tuple(commands)


def export(
    runner: NetshRunner, path: str | None, *, check_mode: bool, carried: Carried | None = None,
    keep_backup: Callable[[bytes], str | None] | None = None,
) -> tuple[Store, tuple[str, ...]]:
    """Read the store and, with ``path`` and not in check mode, export it natively in the same round trip.

    Returns the store as read (the export holds the same, without the assignment); in check mode, the
    store carried from the earlier tasks of the run when there is one (``_engine.current_store``). With
    ``keep_backup`` the same round trip reads the export back and hands it over once the export
    succeeded, as ``_engine.apply`` does; the warnings returned are its and a failed read back's.

    Raises:
        LockdownError: netsh could not export (its words in the message), or the read failed.
    """
    if path is None or check_mode:
        return current_store(runner, check_mode=check_mode, carried=carried)[0], ()
    if carried is not None:
        carried.forget()
    command = export_command(path)
    read = read_round_trip(runner, then=[command], read_back=[path] if keep_backup is not None else [])
    (exported,) = read.results
    if exported.failed:
        said = (exported.stdout + exported.stderr).strip() or f"exit code {exported.rc}"
        raise LockdownError(f"netsh could not export the IPsec policy store: {command_line(command)} -> {said}")
    notes = kept_export(read.read_back[0], keep_backup) if keep_backup is not None else ()
    return read.state.store, notes


def restore_native(
    runner: NetshRunner, path: str, assigned: str | None, *, check_mode: bool, carried: Carried | None = None, accept_domain_policy: bool = False
) -> Outcome:
    """Restore the native export ``path`` (a file on the host), assigning ``assigned`` afterwards.

    One round trip reads the store once ``path`` opens for reading on the host; then (not in check mode)
    one write batch, which checks the file again, deletes everything, imports and assigns; then one read
    back. The outcome's ``after`` is that read back; in check mode it is ``before`` and means nothing
    (the file's content cannot be known on the controller): callers must say so. In check mode the
    ``before`` is the store carried from the earlier tasks of the run, when there is one, and the
    carried prediction ends here: what follows the restore cannot be predicted, so later tasks read
    the host again.

    Raises:
        FilesUnreadable: ``path`` does not open on the host; nothing was deleted.
        PlanError: ``assigned`` is given while Group Policy assigns a policy (unless accepted).
        ApplyFailed: a command failed; everything was undone (see :func:`~._engine.apply`).
    """
    read = read_host(runner, files=[path])[0]
    carried_state = carried.load() if carried is not None and check_mode else None
    before = (carried_state or read).store
    if carried is not None:
        carried.forget()
    if assigned:
        refuse_under_domain_policy(Store.of(policies=[Policy(assigned, assigned=True)]), read.domain_policy, accepted=accept_domain_policy)
    commands = restore_commands(path, assigned)
    outcome = Outcome(before, before, (), commands)
    if check_mode:
        return outcome
    apply(runner, outcome, on_failure=OnFailure.ROLLBACK, files=[path])
    return Outcome(before, gather(runner), (), commands)


def restore_structured(
    runner: NetshRunner, target: Store, *, check_mode: bool, on_failure: OnFailure, carried: Carried | None = None,
    accept_domain_policy: bool = False,
) -> Outcome:
    """Make the store exactly ``target`` (a complete store, from a structured backup): a converge over
    the whole store (``_plan.plan_exact``), with its exact prediction and make-before-break order.

    Raises:
        LockdownError: as :func:`~._engine.converge`.
    """
    return converge(runner, lambda have: target, state=State.OVERRIDDEN, scope=Scope(whole_store=True),
                    check_mode=check_mode, on_failure=on_failure, carried=carried, accept_domain_policy=accept_domain_policy)


__all__ = ["UNPREDICTABLE", "export", "export_command", "restore_commands", "restore_native", "restore_structured"]
