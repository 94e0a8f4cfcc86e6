# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Copies of data handed to a filter, as plain dicts and lists.

ansible-core 2.19+ hands filters lazily templated containers; ``copy.deepcopy`` of one copies its
templar and plugin loaders too, and on 2.21 that prints two deprecation warnings ("Instantiating
filter PluginLoader with aliases is deprecated") on every call. Rebuilding the data instead copies
only the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plain_copy(value: Any) -> Any:
    """``value`` with every mapping rebuilt as a ``dict`` and every list or tuple as a ``list``, all the
    way down; anything else (strings, numbers, None, ...) is shared, not copied."""
    if isinstance(value, Mapping):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(item) for item in value]
    return value


__all__ = ["plain_copy"]
