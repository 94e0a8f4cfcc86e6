# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Confirmed changes: a rollback armed on the host, disarmed over a new connection.

The answer network operating systems give to the fear of locking oneself out (junos ``commit confirmed``):
before a change that touches the assigned policy, the write batch arms a one-time scheduled task on the host
(:mod:`._bootstrap`, ``arm``) that restores the store it had -- ``delete all``, ``importpolicy`` of an export
the same batch makes first, and the assignment of the policy that was assigned (A-47) -- ``seconds`` later.
After the write, :func:`confirm` opens a **new** connection (the one the write used may survive a block that
new ones hit) and disarms the task. If no new connection can be made, the task fails saying when the host
restores what, and the host does it by itself.

A confirmed change costs three round trips: the read, the write (with the arming), and the confirmation
over the new connection. ``--check`` costs one and reports what would be armed (:func:`plan_rollback`).
A change that does not touch the assigned policy, or the one that will be assigned, arms nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ._errors import InvalidInput, LockdownError
from ._model import Store
from ._names import name_key
from ._render import CONTEXT
from ._transport import Arm, Armed, BatchRequest, Disarm, NetshRunner

ROLLBACK_TASK = "lockdown-ipsec-rollback"
"""The scheduled task's name: one per host, so a second rollback cannot be armed while one is pending (arming
fails, and the change with it, rather than replacing an older restore point)."""
ROLLBACK_DIRECTORY = "C:\\Windows\\Temp"
"""Where the rollback's export goes (the directory of ``backup_options.path``'s default); the file name ends in a
random token, so nobody can create the file beforehand (A-141)."""
MIN_SECONDS, MAX_SECONDS = 10, 86400
"""``confirm`` is from 10 seconds (time for the write and a new connection) to one day."""


class RollbackNotArmed(LockdownError):
    """The host could not register the rollback's scheduled task, so no change was made."""


class ConfirmFailed(LockdownError):
    """The change was made but could not be confirmed; the rollback is left to fire (or already did).

    Attributes:
        rollback: the result's ``rollback`` entry (:meth:`Rollback.to_data`).
    """

    def __init__(self, message: str, rollback: dict) -> None:
        super().__init__(message)
        self.rollback = rollback


@dataclass(frozen=True)
class Rollback:
    """What a confirmed change arms: restore the store exported to ``file``, with ``restores`` assigned again.

    Attributes:
        seconds: from the write until the rollback fires unless confirmed.
        file: the export on the host (made by the write batch's first command, :meth:`export`).
        restores: the policy assigned before the change, or ``None`` when none was.
        status: ``would_arm`` (check mode), ``armed``, ``confirmed``, ``left_to_fire`` (no new connection could
            be made, or the disarm failed), ``fired`` (it ran before the confirmation came).
        at: when it fires, UTC as the host wrote it (``""`` until armed).
    """

    seconds: int
    file: str
    restores: str | None
    status: str = "would_arm"
    at: str = ""
    task: str = ROLLBACK_TASK

    @classmethod
    def of_arm(cls, arm: Arm, *, status: str, at: str) -> Rollback:
        """The rollback whose :meth:`arm` is ``arm`` (the inverse of :meth:`commands`)."""
        restores = arm.commands[2][4][len("name="):] if len(arm.commands) == 3 else None
        return cls(arm.seconds, arm.file, restores, status=status, at=at, task=arm.task)

    def commands(self) -> tuple[tuple[str, ...], ...]:
        """What the scheduled task runs: the native restore (A-47)."""
        assign = ((*CONTEXT, "set", "policy", f"name={self.restores}", "assign=yes"),) if self.restores is not None else ()
        return ((*CONTEXT, "delete", "all"), (*CONTEXT, "importpolicy", f"file={self.file}"), *assign)

    def export(self) -> tuple[str, ...]:
        """The write batch's first command: the store as it is before the change, to :attr:`file`."""
        return (*CONTEXT, "exportpolicy", f"file={self.file}")

    def arm(self) -> Arm:
        return Arm(self.task, self.seconds, self.file, self.commands())

    def disarm(self) -> Disarm:
        return Disarm(self.task, self.file)

    def restoring(self) -> str:
        """What the rollback brings back, in words."""
        assigned = f"policy {self.restores!r} assigned" if self.restores is not None else "no policy assigned"
        return f"the store as it was before this task ({self.file} on the host), with {assigned}"

    def to_data(self) -> dict:
        """The result's ``rollback`` entry."""
        return {"status": self.status, "seconds": self.seconds, "at": self.at or None, "task": self.task, "file": self.file,
                "restores": self.restores}

    def summary(self) -> str:
        """One line for the diff's header: what became of the rollback."""
        return {
            "would_arm": f"a rollback would be armed for {self.seconds} s and confirmed over a new connection",
            "confirmed": f"rollback armed for {self.seconds} s, confirmed over a new connection",
        }.get(self.status, f"rollback {self.status.replace('_', ' ')}")


def confirm_seconds(value: object, *, option: str = "confirm") -> int | None:
    """The ``confirm`` option checked: ``None``, or whole seconds from :data:`MIN_SECONDS` to :data:`MAX_SECONDS`.

    Raises:
        InvalidInput: naming ``option`` and the value.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SECONDS <= value <= MAX_SECONDS:
        raise InvalidInput(option, value, f"must be a number of seconds from {MIN_SECONDS} to {MAX_SECONDS} (or unset)")
    return value


def assigned_view(store: Store) -> tuple | None:
    """What of ``store`` decides which packets pass: the assigned policy with its rules, and the filter lists and
    filter actions they use; ``None`` when no policy is assigned. Two stores with equal views filter alike."""
    name = store.assigned_policy
    if name is None:
        return None
    policy = store.policies[name]
    rules = (*(policy.rules or ()), *(policy.unnamed_rules or ()))
    lists = {name_key(rule.filter_list): store.filter_lists.get(rule.filter_list) for rule in rules if rule.filter_list}
    actions = {name_key(rule.filter_action): store.filter_actions.get(rule.filter_action) for rule in rules if rule.filter_action}
    return policy, sorted(lists.items()), sorted(actions.items())


def plan_rollback(before: Store, after: Store, seconds: int | None, *, token: str | None = None) -> Rollback | None:
    """The rollback a change from ``before`` to ``after`` arms with ``confirm: seconds``; ``None`` without
    ``seconds`` or when the change leaves what is assigned, and what it filters, as it was (:func:`assigned_view`).
    ``token`` names the export (random by default)."""
    if seconds is None or assigned_view(before) == assigned_view(after):
        return None
    file = f"{ROLLBACK_DIRECTORY}\\lockdown-ipsec-rollback-{token or secrets.token_hex(8)}.ipsec"
    return Rollback(seconds, file, before.assigned_policy)


def armed(rollback: Rollback, answer: Armed | None) -> Rollback:
    """``rollback`` once the write batch's answer says it is armed.

    Raises:
        RollbackNotArmed: the host could not arm it; no command of the batch ran.
    """
    if answer is None or answer.error:
        said = answer.error if answer is not None else "no answer"
        raise RollbackNotArmed(
            f"the rollback could not be armed on the host, so no change was made (confirm needs the ScheduledTasks module, "
            f"Windows Server 2012 or later, and no scheduled task {rollback.task!r} pending from an earlier run): {said}")
    return replace(rollback, status="armed", at=answer.at)


def confirm(runner: NetshRunner, rollback: Rollback) -> Rollback:
    """Disarm ``rollback`` over a new connection to the host (one round trip).

    Raises:
        ConfirmFailed: no new connection could be made (the change cut off the management channel), the task
            had already fired, or it could not be disarmed. The message says when the host restores what.
    """
    try:
        runner.reconnect()
        answer = runner.run(BatchRequest((), stop_on_error=False, disarm=rollback.disarm())).disarmed
    except Exception as error:  # pylint: disable=broad-except  # any failure to reach the host means the same here
        left = replace(rollback, status="left_to_fire")
        raise ConfirmFailed(
            f"the new policy cut off the management channel: a new connection to the host could not be made "
            f"({type(error).__name__}: {error}). The host will restore its previous policy at {rollback.at} (UTC, host clock): "
            f"{rollback.restoring()}.", left.to_data()) from None
    if answer is None or answer.error:
        left = replace(rollback, status="left_to_fire")
        raise ConfirmFailed(
            f"the change was made and a new connection to the host works, but the rollback could not be disarmed "
            f"({answer.error if answer else 'no answer'}): unless scheduled task {rollback.task!r} is removed, the host restores "
            f"{rollback.restoring()} at {rollback.at} (UTC, host clock).", left.to_data())
    if not answer.found:
        fired = replace(rollback, status="fired")
        raise ConfirmFailed(
            f"the rollback had already run when the confirmation reached the host over a new connection: the host restored "
            f"{rollback.restoring()} at {rollback.at} (UTC, host clock), so the change is undone. Give confirm more seconds.",
            fired.to_data())
    return replace(rollback, status="confirmed")


def left_to_fire_after_lost_answer(runner: NetshRunner, arm: Arm, sent_at: float, cause: str) -> tuple[str, dict]:
    """What to say when a write batch that armed ``arm`` never answered (``cause``): the message and the result's
    ``rollback`` entry. The rollback is never disarmed then, since what the batch did is unknown: it restores the
    store the host had, so nothing stays half-applied. A new connection is tried once, to say whether the change
    cut off the management channel (one round trip). ``at`` is estimated on the controller's clock."""
    at = datetime.fromtimestamp(sent_at + arm.seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rollback = Rollback.of_arm(arm, status="left_to_fire", at=at)
    when = f"at about {at} (UTC, controller clock: {arm.seconds} s after the write was sent, if it got as far as arming)"
    try:
        runner.reconnect()
        runner.run(BatchRequest(((*CONTEXT, "show", "store"),), stop_on_error=False))
    except Exception as error:  # pylint: disable=broad-except  # any failure to reach the host means the same here
        return (f"the new policy cut off the management channel: the write's answer never came back ({cause}) and a new connection "
                f"to the host could not be made ({type(error).__name__}: {error}). The host will restore its previous policy {when}: "
                f"{rollback.restoring()}.", rollback.to_data())
    return (f"the write's answer never came back ({cause}), but a new connection to the host works. What the write applied is unknown, "
            f"so the rollback armed with it is left to fire {when}: the host then restores {rollback.restoring()}. Run the task "
            "again after that.", rollback.to_data())


__all__ = [
    "MAX_SECONDS", "MIN_SECONDS", "ROLLBACK_DIRECTORY", "ROLLBACK_TASK", "ConfirmFailed", "Rollback", "RollbackNotArmed", "armed",
    "assigned_view", "confirm", "confirm_seconds", "left_to_fire_after_lost_answer", "plan_rollback",
]
