# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. One task's conversation with the host: read, plan, write, and undo.

:func:`~._read.gather` reads the whole store in one round trip (its registry keys, or the show
commands of ``_parse.READ_COMMANDS``, see :mod:`._read`). :func:`converge` gathers, asks the caller for the desired store (which may depend on
what is there), plans, predicts the result, and, unless in check mode, writes every change in one
second round trip that stops at the first failure. So a task costs one round trip when nothing
changes or in check mode, and two when it changes something, however many filters are involved.

netsh has no transactions, so a write is made all or nothing here (DESIGN.md, Safety): when command
*k* of *n* fails, :func:`apply` reads back what the host holds now (a third round trip), plans from
there back to the store it read before the batch (:func:`~._plan.plan_exact`, with the same
make-before-break order as any plan), runs that undo (a fourth) and reads the store again (a fifth),
and raises :class:`ApplyFailed` saying what failed, what was undone and what the store now is. With
:attr:`OnFailure.STOP` it stops after the first read-back, as netsh left it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ._carry import Carried
from ._changes import Change
from ._confirm import ConfirmFailed, Rollback, armed, confirm, plan_rollback
from ._errors import LockdownError, PlanError
from ._model import Store
from ._ownership import shared_object_warnings, unnamed_rule_warnings
from ._registry_store import DomainPolicy
from ._read import HostState, ReadFrom, gather, read_host, read_store, refuse_unshowable
from ._plan import Scope, State, plan, plan_exact
from ._predict import predict
from ._render import CONTEXT, command_line, render_plan
from ._transport import BatchAnswer, BatchFailed, BatchRequest, CommandResult, NetshRunner, ReadBack, raise_for_failure


class OnFailure(enum.Enum):
    """What a write does when a command of its batch fails (the ``on_failure`` option)."""

    ROLLBACK = "rollback"  # undo the commands that succeeded: the store ends as it was read
    STOP = "stop"  # leave the store as netsh left it, and say exactly what that is


@dataclass(frozen=True)
class Outcome:
    """What a converge did (or, in check mode, would do).

    Attributes:
        before: the store as read.
        after: the store predicted by applying ``changes`` to ``before`` (not re-read).
        changes: the plan, in the order it ran.
        commands: one argument vector per change (without ``netsh``).
        warnings: what the task should warn about (shared objects changed under a policy outside the
            owner prefix, see :mod:`._ownership`).
        backup_path: the file on the host the store was exported to in the write batch, before the
            changes (``converge``'s ``backup_to``); ``None`` when no export ran.
    """

    before: Store
    after: Store
    changes: tuple[Change, ...]
    commands: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...] = ()
    backup_path: str | None = None
    rollback: Rollback | None = None
    """With ``confirm``, the rollback armed for a change that touches the assigned policy (``would_arm`` in check
    mode, ``confirmed`` after a write); ``None`` when nothing is armed."""

    @property
    def changed(self) -> bool:
        return bool(self.commands)

    def command_lines(self) -> list[str]:
        """The commands as Windows command lines, pre-shared keys redacted."""
        return [command_line(argv) for argv in self.commands]


@dataclass(frozen=True)
class Undo:
    """How undoing a failed write went.

    Attributes:
        commands: the undo's command lines, in order (empty when there was nothing to undo or no undo
            could be planned).
        failed_command: the undo command that failed, with netsh's words, or ``None``.
        impossible: why no undo was attempted, or ``""``.
    """

    commands: tuple[str, ...] = ()
    failed_command: str | None = None
    impossible: str = ""


class ApplyFailed(LockdownError):
    """A write batch stopped at a failing command. Nothing after it ran.

    Attributes:
        succeeded: command lines that ran and succeeded, in order.
        failed_command: the command line that failed; ``rc``, ``stdout`` and ``stderr`` are what netsh
            returned for it.
        not_run: command lines that were not attempted.
        before: the store as read before the batch.
        store_now: the store as it is at the end: read back from the host by :meth:`read_back`, or,
            until then or if that read fails, predicted from the commands that succeeded
            (``store_now_read`` says which); ``None`` when nothing can predict it, because the batch
            ran commands that are not changes of the model (e.g. ``importpolicy``).
        undo: ``None`` unless :meth:`roll_back` ran; then how it went.
    """

    def __init__(self, failure: BatchFailed, outcome: Outcome) -> None:
        done = len(failure.succeeded)
        self.position, self.total = done + 1, len(outcome.commands)
        self.succeeded = [command_line(argv) for argv in outcome.commands[:done]]
        self.failed_command = command_line(outcome.commands[done])
        self.not_run = [command_line(argv) for argv in outcome.commands[done + 1:]]
        self.rc, self.stdout, self.stderr = failure.failed.rc, failure.failed.stdout, failure.failed.stderr
        self.before = outcome.before
        predictable = len(outcome.changes) == len(outcome.commands)
        self.store_now = predict(outcome.before, outcome.changes[:done]) if predictable else None
        self.store_now_read = False
        self.undo: Undo | None = None
        self.confirmation = ""
        """With ``confirm``: what became of the rollback armed with the batch (:func:`settle_after_failure`)."""
        self.rollback: dict | None = None
        super().__init__(self._message())

    @property
    def netsh_said(self) -> str:
        return (self.stdout + self.stderr).strip() or f"exit code {self.rc}"

    @property
    def restored(self) -> bool:
        """Whether the store was read back after an undo and equals the store read before the batch."""
        return self.undo is not None and self.store_now_read and self.store_now == self.before

    def _message(self) -> str:
        head = f"netsh command {self.position} of {self.total} failed: {self.failed_command} -> {self.netsh_said}"
        return f"{head}{'' if head.endswith('.') else '.'} {self._what_happened()}" + (f". {self.confirmation}" if self.confirmation else "")

    def confirmed(self, note: str, rollback: dict) -> None:
        """Add what became of the rollback armed with the batch to the message."""
        self.confirmation, self.rollback = note, rollback
        self.args = (self._message(),)

    def _what_happened(self) -> str:
        done, after = len(self.succeeded), len(self.not_run)
        if self.undo is None:
            return f"The {done} before it were applied and the {after} after it were not"
        if self.restored:
            undone = f"The {done} before it were undone" if done else "Nothing had been applied before it"
            return f"{undone} and the {after} after it were not run: the store is as it was before the task (read back)"
        if self.undo.impossible:
            return f"The {done} before it were applied and could not be undone ({self.undo.impossible}); the store now holds what 'after' shows"
        if self.undo.failed_command is not None:
            return f"Undoing the {done} before it failed too, at {self.undo.failed_command}; the store now holds what 'after' shows"
        return (f"The {done} before it were undone, but the store read back differs from the store before the task; "
                "it now holds what 'after' shows")

    def read_back(self, runner: NetshRunner) -> None:
        """Replace :attr:`store_now` with the store read from the host (one more round trip, only ever
        after a failure: on a lockdown tool the truth is worth it). If that read fails too, for any
        reason (the connection included: the failure already being reported matters more), the
        previous value stays and :attr:`store_now_read` becomes ``False``."""
        try:
            self.store_now = gather(runner)
            self.store_now_read = True
        except Exception:  # pylint: disable=broad-except  # see the docstring
            self.store_now_read = False

    def roll_back(self, runner: NetshRunner) -> None:
        """Bring the host back to :attr:`before` after :meth:`read_back`: plan from the store read
        back to ``before``, run it in one stop-on-error batch, and read the store again. Records how it
        went in :attr:`undo` and refreshes the message. Raises nothing of its own."""
        if not self.store_now_read:
            self.undo = Undo(impossible="the store could not be read back after the failure")
        elif self.store_now == self.before:
            self.undo = Undo()
        else:
            self.undo = self._run_undo(runner)
        self.args = (self._message(),)

    def _run_undo(self, runner: NetshRunner) -> Undo:
        try:
            changes = plan_exact(self.store_now, self.before)
        except LockdownError as error:
            return Undo(impossible=str(error))
        commands = render_plan(changes)
        lines = tuple(command_line(argv) for argv in commands)
        try:
            raise_for_failure(runner.run_batch(commands, stop_on_error=True), requested=commands)
        except BatchFailed as failure:
            said = (failure.failed.stdout + failure.failed.stderr).strip() or f"exit code {failure.failed.rc}"
            undo = Undo(lines, failed_command=f"{command_line(failure.failed.argv)} -> {said}")
        except Exception as error:  # pylint: disable=broad-except  # an unanswered undo is reported with the failure
            undo = Undo(lines, failed_command=f"(its answer never came back: {type(error).__name__}: {error})")
        else:
            undo = Undo(lines)
        self.read_back(runner)
        return undo


def current_state(runner: NetshRunner, *, check_mode: bool, carried: Carried | None) -> tuple[HostState, bool]:
    """What the task must see of its host, and whether it is a prediction.

    In check mode, what the earlier check-mode tasks of this run predicted for the host, when there is
    such a prediction (no round trip: the host has not changed since, nothing having been written).
    Otherwise the host itself, read in one round trip (:func:`~._read.read_host`); a task that is not in
    check mode also drops the carried prediction, which the host replaces from now on.
    """
    if carried is not None and check_mode:
        predicted = carried.load()
        if predicted is not None:
            return predicted, True
    if carried is not None and not check_mode:
        carried.forget()
    return read_host(runner)[0], False


def current_store(runner: NetshRunner, *, check_mode: bool, carried: Carried | None) -> tuple[Store, bool]:
    """:func:`current_state`'s store, and whether it is a prediction."""
    state, predicted = current_state(runner, check_mode=check_mode, carried=carried)
    return state.store, predicted


def converge(
    runner: NetshRunner,
    build_want: Callable[[Store], Store],
    *,
    state: State,
    scope: Scope = Scope(),
    check_mode: bool,
    on_failure: OnFailure = OnFailure.ROLLBACK,
    carried: Carried | None = None,
    accept_domain_policy: bool = False,
    guard: Callable[[Store], None] | None = None,
    backup_to: str | None = None,
    keep_backup: Callable[[bytes], str | None] | None = None,
    confirm_seconds: int | None = None,
) -> Outcome:
    """Bring the host to the desired store: gather, plan, and write unless ``check_mode``.

    Args:
        runner: the one object that talks to the host.
        build_want: called once with the gathered store; returns the desired store. It may raise
            (e.g. a policy to assign that does not exist): nothing has changed on the host yet.
        state, scope: passed to :func:`~._plan.plan`.
        check_mode: plan and predict only; the host is read, never written.
        on_failure: see :func:`apply`.
        carried: the host's prediction within the run (:mod:`._carry`). In check mode the plan starts
            from it when there is one (see :func:`current_state`) and the outcome's ``after`` is
            carried forward; otherwise it is dropped before anything is written.
        accept_domain_policy: assign a policy even when Group Policy assigns one that overrides it
            (:func:`refuse_under_domain_policy`).
        guard: called with the predicted store after the plan, in check mode too, before anything is
            written; it raises to refuse the change (e.g. :func:`~._guard.refuse_lockout`).
        backup_to: a file on the host to export the store to (``exportpolicy``) as the first command of
            the write batch, so a change costs no extra round trip; nothing is exported when nothing
            changes or in check mode. If the export fails, nothing after it runs.
        keep_backup: with ``backup_to``, the export is also read back in the same round trip and handed
            to this (see :func:`apply`); what it returns, and a read back that failed, become warnings.
        confirm_seconds: when the change touches the assigned policy (or the one to be assigned), arm a rollback
            on the host that fires after this many seconds unless :func:`~._confirm.confirm` disarms it over a
            new connection once the write is done (:mod:`._confirm`); one more round trip.

    Raises:
        LockdownError: from building the want, planning or the guard (before any write), the export
            (nothing changed), :class:`~._confirm.RollbackNotArmed` (nothing changed), :class:`ApplyFailed`, or
            :class:`~._confirm.ConfirmFailed` (the change was made, the rollback is left to fire).
    """
    host, dummy = current_state(runner, check_mode=check_mode, carried=carried)
    before = host.store
    want = build_want(before)
    if ReadFrom(runner.read_from) is ReadFrom.NETSH:
        refuse_unshowable(want, host.codepage)
    refuse_under_domain_policy(want, host.domain_policy, accepted=accept_domain_policy)
    changes = plan(before, want, state=state, scope=scope)
    warnings = shared_object_warnings(before, changes, scope) + unnamed_rule_warnings(
        before, want, exact=state in (State.REPLACED, State.OVERRIDDEN), overridden=scope if state is State.OVERRIDDEN else None)
    outcome = Outcome(before, predict(before, changes), changes, render_plan(changes), warnings)
    if guard is not None:
        guard(outcome.after)
    outcome = replace(outcome, rollback=plan_rollback(before, outcome.after, confirm_seconds))
    if check_mode:
        if carried is not None:
            carried.save(replace(host, store=outcome.after))
    elif outcome.changed:
        notes, rollback = apply(runner, outcome, on_failure=on_failure, backup_to=backup_to, keep_backup=keep_backup,
                                rollback=outcome.rollback)
        outcome = replace(outcome, rollback=rollback)
        if backup_to is not None:
            outcome = replace(outcome, backup_path=backup_to, warnings=outcome.warnings + notes)
    return outcome


def apply(
    runner: NetshRunner, outcome: Outcome, *, on_failure: OnFailure, files: Sequence[str] = (), backup_to: str | None = None,
    keep_backup: Callable[[bytes], str | None] | None = None, rollback: Rollback | None = None,
) -> tuple[tuple[str, ...], Rollback | None]:
    """Run the outcome's commands in one stop-on-error round trip, all or nothing; return warnings, and the
    rollback as confirmed.

    With ``rollback`` the same round trip first arms it on the host and exports the store for it (before the
    export of ``backup_to``); if it cannot be armed, nothing runs (:class:`~._confirm.RollbackNotArmed`). Once
    the batch has answered, whatever it did, the rollback is disarmed over a new connection
    (:func:`~._confirm.confirm`, one more round trip): a successful write returns it ``confirmed`` or raises
    :class:`~._confirm.ConfirmFailed`; a failed one says in its error what became of it.

    ``files`` must open on the host before the first command runs (see :mod:`._bootstrap`). With
    ``backup_to``, the batch first exports the store to that file on the host; if the export fails,
    no change runs and :class:`BackupFailed` says so. With ``keep_backup`` too, the same round trip
    reads the export back, and once the export is known to have succeeded its bytes go to
    ``keep_backup`` (before a failed change is handled, so a backup that was made is never dropped).
    ``keep_backup`` must not raise: it returns a warning, or ``None``. The warnings returned are its
    warning and, when the export could not be read back (A-102), one saying so; the changes stand.

    On a failing command the store is read back; with :attr:`OnFailure.ROLLBACK` the commands that
    succeeded are then undone (:meth:`ApplyFailed.roll_back`), with :attr:`OnFailure.STOP` the store
    is left as netsh left it. Either way :class:`ApplyFailed` says what happened and holds the store as
    it was read at the end.

    Raises:
        ApplyFailed: a command failed.
        BackupFailed: an export failed; nothing else ran.
        FilesUnreadable: a file of ``files`` cannot be opened; nothing ran.
        RollbackNotArmed: the rollback could not be armed; nothing ran.
        ConfirmFailed: the change was made, but the rollback could not be disarmed over a new connection.
    """
    export = () if backup_to is None else (export_command(backup_to),)
    read_back = (backup_to,) if export and keep_backup is not None else ()
    leading = () if rollback is None else (rollback.export(),)
    answer = runner.run(BatchRequest(leading + export + outcome.commands, stop_on_error=True, files=files, read_back=read_back,
                                     arm=None if rollback is None else rollback.arm()))
    if rollback is None:
        return _written(runner, outcome, answer, answer.results, on_failure, backup_to, keep_backup), None
    rollback = armed(rollback, answer.armed)
    try:
        exported = answer.results[0]
        if exported.failed:
            said = (exported.stdout + exported.stderr).strip() or f"exit code {exported.rc}"
            raise BackupFailed(f"netsh could not export the IPsec policy store for the rollback to {rollback.file}, so no change was made: "
                               f"{command_line(rollback.export())} -> {said}")
        notes = _written(runner, outcome, answer, answer.results[1:], on_failure, backup_to, keep_backup)
    except (ApplyFailed, BackupFailed) as error:
        raise settle_after_failure(error, runner, rollback) from None
    return notes, confirm(runner, rollback)


def settle_after_failure(error: ApplyFailed | BackupFailed, runner: NetshRunner, rollback: Rollback) -> ApplyFailed | BackupFailed:
    """``error`` saying what became of ``rollback`` after its write failed: disarmed over a new connection (the
    store is as the error says), or left to fire because no new connection could be made."""
    try:
        done = confirm(runner, rollback)
        note, data = "The rollback armed with the batch was disarmed over a new connection.", {**done.to_data(), "status": "disarmed"}
    except ConfirmFailed as failure:
        note, data = str(failure)[0].upper() + str(failure)[1:], failure.rollback
    if isinstance(error, ApplyFailed):
        error.confirmed(note, data)
        return error
    said = str(error)
    settled = BackupFailed(f"{said}{'' if said.endswith('.') else '.'} {note}")
    settled.rollback = data
    return settled


def _written(
    runner: NetshRunner, outcome: Outcome, answer: BatchAnswer, results: Sequence[CommandResult], on_failure: OnFailure,
    backup_to: str | None, keep_backup: Callable[[bytes], str | None] | None,
) -> tuple[str, ...]:
    """The part of :func:`apply` after the answer: ``results`` (the answer's, after the rollback's export) are the
    export to ``backup_to`` when there is one, then the changes'. Returns the warnings about the copy kept."""
    notes: tuple[str, ...] = ()
    if backup_to is not None:
        exported, results = results[0], results[1:]
        if exported.failed:
            said = (exported.stdout + exported.stderr).strip() or f"exit code {exported.rc}"
            raise BackupFailed(f"netsh could not export the IPsec policy store to {backup_to}, so no change was made: "
                               f"{command_line(export_command(backup_to))} -> {said}")
        if keep_backup is not None:
            notes = kept_export(answer.read_back[0], keep_backup)
    try:
        raise_for_failure(results, requested=outcome.commands)
    except BatchFailed as failure:
        error = ApplyFailed(failure, outcome)
        error.read_back(runner)
        if on_failure is OnFailure.ROLLBACK:
            error.roll_back(runner)
        raise error from None
    return notes


def kept_export(exported: ReadBack, keep_backup: Callable[[bytes], str | None]) -> tuple[str, ...]:
    """Hand an export read back (from a batch whose ``exportpolicy`` succeeded) to ``keep_backup``; the
    warnings to report: ``keep_backup``'s, or that the file could not be read back."""
    if exported.data is None:
        return (f"the store was exported to {exported.path} on the host, but the file could not be read back to the controller: "
                f"{exported.error or 'no reason given'}. The backup stays on the host only.",)
    note = keep_backup(exported.data)
    return (note,) if note else ()


class BackupFailed(LockdownError):
    """The export that opens a write batch failed; no change ran (the batch stops at the first failure).

    ``rollback``: with ``confirm``, the result's ``rollback`` entry (what became of the rollback armed with it).
    """

    rollback: dict | None = None


def export_command(path: str) -> tuple[str, ...]:
    """``exportpolicy`` to ``path`` on the host: the store in the IP Security Policies console's format."""
    return (*CONTEXT, "exportpolicy", f"file={path}")


def refuse_under_domain_policy(want: Store, domain_policy: DomainPolicy | None, *, accepted: bool) -> None:
    """Refuse to assign a policy locally while Group Policy assigns one, which overrides the local
    assignment (GPIPSEC.md §1.6): the task would report a change that never takes effect.

    Raises:
        PlanError: naming the domain policy and the option that accepts it.
    """
    assigning = [name for name, policy in want.policies.items() if policy.assigned]
    if assigning and domain_policy is not None and not accepted:
        raise PlanError(
            f"policy {assigning[0]!r} would be assigned locally, but Group Policy assigns the domain policy "
            f"{domain_policy.name!r} ({domain_policy.path}), which overrides any local assignment: the change would have "
            "no effect while that policy applies. Set accept_domain_policy: true to assign it all the same."
        )


def rendered(want: Store) -> Sequence[tuple[str, ...]]:
    """The commands that create ``want`` on an empty store, without a host (``state: rendered``)."""
    return render_plan(plan(Store(), want, state=State.REPLACED))


__all__ = [
    "ApplyFailed", "BackupFailed", "OnFailure", "Outcome", "Undo", "apply", "converge", "current_state", "current_store", "export_command",
    "gather", "kept_export", "read_store", "refuse_under_domain_policy", "rendered",
]
