# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. What counts as a number, for every option and every value read.

Only ASCII digits make a number, and netsh's integer options hold a signed 32-bit value. Both rules
live here so that ports, masks, protocols, lifetimes and counts all apply them the same way.
"""

from __future__ import annotations

from ._errors import InvalidInput

# netsh's integer options (pollinginterval, qmpermm, mmlifetime) hold a signed 32-bit value.
MAX_NUMBER = 2**31 - 1


def is_decimal(text: str) -> bool:
    """Whether ``text`` is one or more ASCII digits 0-9 and nothing else.

    ``str.isdigit()`` alone is also true for ``²`` (on which ``int()`` fails) and for ``٣`` (which
    ``int()`` reads as 3); netsh takes neither, so neither is a number here.
    """
    return text.isascii() and text.isdigit()


def check_number(field_name: str, value: object, *, low: int = 0, high: int = MAX_NUMBER) -> int:
    """Return ``value`` if it is a whole number (an ``int``, not a boolean) from ``low`` to ``high``.

    Raises:
        InvalidInput: naming ``field_name`` and the value.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(field_name, value, f"expected a whole number from {low} to {high}")
    return value


def whole_number(value: object) -> int:
    """The argument-spec type of the collection's integer options (``type: int`` in the documentation).

    Like Ansible's own ``int`` type, but a string is a number only when it is ASCII digits, with an
    optional sign: Ansible's type reads ``'٨٠'`` as 80, ``'1e2'`` as 100 and ``'1_0'`` as 10. A float
    with no fractional part is taken, as Ansible's type takes it. The range is checked later, with the
    option's path.

    Raises:
        TypeError: with a message that ends the argument spec's "unable to convert" sentence.
    """
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is a boolean, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in ("-", "+") else text
        if is_decimal(digits):
            return int(text)
    raise TypeError(f"{value!r} is not a whole number written with the digits 0-9")


__all__ = ["MAX_NUMBER", "check_number", "is_decimal", "whole_number"]
