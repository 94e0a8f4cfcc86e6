# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The exception types the engine raises on purpose.

Every error a user can meet derives from :class:`LockdownError`, so the action plugins have one
place to turn them into a failed task. Messages name the field or the command and the offending
value; they never need a traceback to be understood.
"""

from __future__ import annotations


class LockdownError(Exception):
    """Base class of every error the collection raises on purpose."""


class InvalidInput(LockdownError):
    """A user-supplied value that cannot be accepted.

    Attributes:
        field: dotted path of the option, e.g. ``filter_lists[0].filters[2].source``.
        value: the offending value as the user gave it.
        reason: why it is refused, phrased to complete "field: ...".
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")

    def within(self, prefix: str) -> InvalidInput:
        """Return the same error with ``prefix`` put in front of the field path."""
        joined = f"{prefix}.{self.field}" if self.field and not self.field.startswith("[") else f"{prefix}{self.field}"
        return InvalidInput(joined, self.value, self.reason)


class NetshParseError(LockdownError):
    """netsh output that the parser does not recognise. It never guesses.

    Attributes:
        command: the netsh command whose output was being read.
        line: the offending line (without its line ending), or ``""`` when the problem is structural.
        reason: what was expected.
    """

    def __init__(self, command: str, line: str, reason: str) -> None:
        self.command = command
        self.line = line
        self.reason = reason
        where = f" in line {line!r}" if line else ""
        super().__init__(f"cannot read the output of {command!r}: {reason}{where}")


class PlanError(LockdownError):
    """A desired state that cannot be reached, e.g. a rule naming a filter list that exists nowhere."""


__all__ = ["InvalidInput", "LockdownError", "NetshParseError", "PlanError"]
