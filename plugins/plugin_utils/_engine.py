# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. One task's conversation with the host: read, plan, write.

:func:`gather` reads the whole store in one round trip (the show commands of ``_parse.READ_COMMANDS``
in one batch). :func:`converge` gathers, asks the caller for the desired store (which may depend on
what is there), plans, predicts the result, and, unless in check mode, writes every change in one
second round trip that stops at the first failure. So a task costs one round trip when nothing
changes or in check mode, and two when it changes something, however many filters are involved; a
write that fails part-way costs a third, to read back what the host holds now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from ._changes import Change
from ._errors import LockdownError
from ._model import Store
from ._parse import READ_COMMANDS, parse_store
from ._plan import Scope, State, plan
from ._predict import predict
from ._render import command_line, render_plan
from ._transport import BatchFailed, CommandResult, NetshRunner, raise_for_failure


@dataclass(frozen=True)
class Outcome:
    """What a converge did (or, in check mode, would do).

    Attributes:
        before: the store as read.
        after: the store predicted by applying ``changes`` to ``before`` (not re-read).
        changes: the plan, in the order it ran.
        commands: one argument vector per change (without ``netsh``).
    """

    before: Store
    after: Store
    changes: tuple[Change, ...]
    commands: tuple[tuple[str, ...], ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def command_lines(self) -> list[str]:
        """The commands as Windows command lines, pre-shared keys redacted."""
        return [command_line(argv) for argv in self.commands]


class ApplyFailed(LockdownError):
    """A write batch stopped at a failing command. Nothing after it ran.

    Attributes:
        succeeded: command lines that ran and succeeded, in order.
        failed_command: the command line that failed; ``rc``, ``stdout`` and ``stderr`` are what netsh
            returned for it.
        not_run: command lines that were not attempted.
        before: the store as read before the batch.
        store_now: the store as it is after the failure: read back from the host by
            :meth:`read_back`, or, until then or if that read fails, predicted from the commands that
            succeeded (``store_now_read`` says which); ``None`` when nothing can predict it, because
            the batch ran commands that are not changes of the model (e.g. ``importpolicy``).
    """

    def __init__(self, failure: BatchFailed, outcome: Outcome) -> None:
        done = len(failure.succeeded)
        self.succeeded = [command_line(argv) for argv in outcome.commands[:done]]
        self.failed_command = command_line(outcome.commands[done])
        self.not_run = [command_line(argv) for argv in outcome.commands[done + 1:]]
        self.rc, self.stdout, self.stderr = failure.failed.rc, failure.failed.stdout, failure.failed.stderr
        self.before = outcome.before
        predictable = len(outcome.changes) == len(outcome.commands)
        self.store_now = predict(outcome.before, outcome.changes[:done]) if predictable else None
        self.store_now_read = False
        said = (self.stdout + self.stderr).strip() or f"exit code {self.rc}"
        super().__init__(
            f"netsh command {done + 1} of {len(outcome.commands)} failed, the {done} before it were applied "
            f"and the {len(self.not_run)} after it were not: {self.failed_command} -> {said}"
        )

    def read_back(self, runner: NetshRunner) -> None:
        """Replace the predicted :attr:`store_now` with the store read from the host (one more round
        trip, only ever after a failure: on a lockdown tool the truth is worth it). If that read fails
        too, the prediction stays and :attr:`store_now_read` stays ``False``."""
        try:
            self.store_now = gather(runner)
            self.store_now_read = True
        except LockdownError:
            pass


def gather(runner: NetshRunner) -> Store:
    """Read the whole store in one round trip.

    Raises:
        TransportError: the batch did not come back.
        NetshParseError: netsh printed something the parser does not recognise, or an error.
    """
    return read_store(runner.run_batch(READ_COMMANDS, stop_on_error=False))


def read_store(results: Sequence[CommandResult]) -> Store:
    """Parse the results of the :data:`~._parse.READ_COMMANDS` (run alone or at the head of a batch).

    Raises:
        NetshParseError: netsh printed something the parser does not recognise, or an error.
    """
    return parse_store([(" ".join(("netsh", *result.argv)), result.stdout + result.stderr) for result in results])


def converge(
    runner: NetshRunner,
    build_want: Callable[[Store], Store],
    *,
    state: State,
    scope: Scope = Scope(),
    check_mode: bool,
) -> Outcome:
    """Bring the host to the desired store: gather, plan, and write unless ``check_mode``.

    Args:
        runner: the one object that talks to the host.
        build_want: called once with the gathered store; returns the desired store. It may raise
            (e.g. a policy to assign that does not exist): nothing has changed on the host yet.
        state, scope: passed to :func:`~._plan.plan`.
        check_mode: plan and predict only; the host is read, never written.

    Raises:
        LockdownError: from building the want or planning (before any write), or :class:`ApplyFailed`
            (with the store read back after the failure).
    """
    before = gather(runner)
    changes = plan(before, build_want(before), state=state, scope=scope)
    outcome = Outcome(before, predict(before, changes), changes, render_plan(changes))
    if outcome.changed and not check_mode:
        write(runner, outcome, read_back=True)
    return outcome


def write(runner: NetshRunner, outcome: Outcome, *, read_back: bool = False) -> None:
    """Run the outcome's commands in one stop-on-first-error round trip.

    Args:
        read_back: after a failure, read the store again (:meth:`ApplyFailed.read_back`) before raising.

    Raises:
        ApplyFailed: a command failed; the exception says what ran, what failed and what did not.
    """
    results = runner.run_batch(outcome.commands, stop_on_error=True)
    try:
        raise_for_failure(results, requested=outcome.commands)
    except BatchFailed as failure:
        error = ApplyFailed(failure, outcome)
        if read_back:
            error.read_back(runner)
        raise error from None


def rendered(want: Store) -> Sequence[tuple[str, ...]]:
    """The commands that create ``want`` on an empty store, without a host (``state: rendered``)."""
    return render_plan(plan(Store(), want, state=State.REPLACED))


__all__ = ["ApplyFailed", "Outcome", "converge", "gather", "read_store", "rendered", "write"]
