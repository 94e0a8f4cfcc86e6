# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Censoring ``no_log`` values in a task result, fast.

``ansible.module_utils.common.parameters.remove_values`` is general (bytes, sets, datetimes, tagged
values) and, on a result holding a 10,000-filter store twice (``before`` and ``after``), takes longer
than reading and planning the store. :func:`censored` does the same to the plain data a result is
made of (dicts, lists, tuples, strings, numbers, booleans, ``None``) and hands anything else to
``remove_values``; with no values to censor it returns the data untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ansible.module_utils.common.parameters import remove_values

# What remove_values puts for a string that is exactly a no_log value, and for one inside a string.
WHOLE = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
PART = "*" * 8


def censored(value: Any, no_log_values: Iterable[str]) -> Any:
    """``value`` as ``remove_values(value, no_log_values)`` returns it: every string equal to a no_log
    value replaced by :data:`WHOLE`, every occurrence inside a string by :data:`PART` (longest values
    first), a number whose digits hold one by :data:`WHOLE`, containers copied (a tuple as a list),
    mapping keys kept as they are."""
    secrets = sorted((str(secret) for secret in no_log_values), key=len, reverse=True)  # as remove_values orders them
    if not secrets:
        return value
    return _censored(value, secrets, set(secrets))


def _censored(value: Any, secrets: list, whole: set) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        # remove_values hides a number whose digits hold a no_log value (a key "80" hides port 8080)
        text = str(value)
        return WHOLE if any(secret in text for secret in secrets) else value
    if isinstance(value, str):
        if value in whole:
            return WHOLE
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, PART)
        return value
    if type(value) is dict:  # pylint: disable=unidiomatic-typecheck  # a subclass may carry what remove_values knows
        return {key: _censored(item, secrets, whole) for key, item in value.items()}
    if type(value) in (list, tuple):  # pylint: disable=unidiomatic-typecheck
        return [_censored(item, secrets, whole) for item in value]
    return remove_values(value, secrets)


__all__ = ["PART", "WHOLE", "censored"]
