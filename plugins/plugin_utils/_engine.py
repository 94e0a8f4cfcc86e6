# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. One task's conversation with the host: read, plan, write.

:func:`gather` reads the whole store in one round trip (the show commands of ``_parse.READ_COMMANDS``
in one batch). :func:`converge` gathers, asks the caller for the desired store (which may depend on
what is there), plans, predicts the result, and, unless in check mode, writes every change in one
second round trip that stops at the first failure. So a task costs one round trip when nothing
changes or in check mode, and two when it changes something, however many filters are involved.
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
from ._transport import BatchFailed, NetshRunner, raise_for_failure


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
        failed_command: the command line that failed.
        netsh_output: what netsh printed for it (stdout, then stderr), and its exit code in ``rc``.
        not_run: command lines that were not attempted.
        store_now: the store predicted after the succeeded commands (what the host holds now).
        before: the store as read before the batch.
    """

    def __init__(self, failure: BatchFailed, outcome: Outcome) -> None:
        done = len(failure.succeeded)
        self.succeeded = [command_line(argv) for argv in outcome.commands[:done]]
        self.failed_command = command_line(outcome.commands[done])
        self.not_run = [command_line(argv) for argv in outcome.commands[done + 1:]]
        self.rc = failure.failed.rc
        self.netsh_output = (failure.failed.stdout + failure.failed.stderr).strip()
        self.before = outcome.before
        self.store_now = predict(outcome.before, outcome.changes[:done])
        super().__init__(
            f"netsh command {done + 1} of {len(outcome.commands)} failed, the {done} before it were applied "
            f"and the {len(self.not_run)} after it were not: {self.failed_command} -> {self.netsh_output or f'exit code {self.rc}'}"
        )


def gather(runner: NetshRunner) -> Store:
    """Read the whole store in one round trip.

    Raises:
        TransportError: the batch did not come back.
        NetshParseError: netsh printed something the parser does not recognise, or an error.
    """
    results = runner.run_batch(READ_COMMANDS, stop_on_error=False)
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
        LockdownError: from building the want, planning (before any write) or :class:`ApplyFailed`.
    """
    before = gather(runner)
    changes = plan(before, build_want(before), state=state, scope=scope)
    outcome = Outcome(before, predict(before, changes), changes, render_plan(changes))
    if outcome.changed and not check_mode:
        write(runner, outcome)
    return outcome


def write(runner: NetshRunner, outcome: Outcome) -> None:
    """Run the outcome's commands in one stop-on-first-error round trip.

    Raises:
        ApplyFailed: a command failed; the exception says what ran, what failed and what did not.
    """
    results = runner.run_batch(outcome.commands, stop_on_error=True)
    try:
        raise_for_failure(results, requested=outcome.commands)
    except BatchFailed as failure:
        raise ApplyFailed(failure, outcome) from None


def rendered(want: Store) -> Sequence[tuple[str, ...]]:
    """The commands that create ``want`` on an empty store, without a host (``state: rendered``)."""
    return render_plan(plan(Store(), want, state=State.REPLACED))


__all__ = ["ApplyFailed", "Outcome", "converge", "gather", "rendered", "write"]
