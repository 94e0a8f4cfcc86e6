# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Names compared the way Windows compares them: without regard to case.

A policy, filter list or filter action is one object in the store whatever the case its name is
written in, and so is a rule within its policy: netsh finds ``Permit`` when asked for ``PERMIT`` and
refuses to add ``PERMIT`` next to ``Permit`` (A-31). :func:`name_key` is the one comparison the
collection uses for that; :class:`NameMap` is a mapping of objects looked up with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar

from ._errors import InvalidInput

T = TypeVar("T")


def name_key(name: str) -> str:
    """What two names must share to name the same object: Unicode case folding (A-31)."""
    return name.casefold()


def same_name(first: str | None, second: str | None) -> bool:
    """Whether two names (or two ``None``) name the same object."""
    if first is None or second is None:
        return first is second
    return name_key(first) == name_key(second)


class NameMap(Mapping, Generic[T]):
    """Objects with a ``name`` attribute, by name, read-only.

    Looking a name up (``[]``, ``get``, ``in``) ignores case; iterating yields each object's own
    spelling, in sorted order of the spellings. Two mappings are equal when they hold the same
    spellings with equal objects.
    """

    __slots__ = ("_by_key",)

    def __init__(self, objects: Iterable[T] = (), *, kind: str = "name") -> None:
        """Raises InvalidInput (naming ``kind``) when two objects share a name, in any case."""
        by_key: dict[str, T] = {}
        for item in sorted(objects, key=lambda obj: obj.name):
            key = name_key(item.name)
            if key in by_key:
                other = by_key[key].name
                reason = "names must be unique" if other == item.name else (
                    f"names must be unique, and Windows does not tell {other!r} from {item.name!r} (it ignores case)"
                )
                raise InvalidInput(kind, item.name, reason)
            by_key[key] = item
        self._by_key = by_key

    def __getitem__(self, name: str) -> T:
        if not isinstance(name, str):
            raise KeyError(name)
        return self._by_key[name_key(name)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name_key(name) in self._by_key

    def __iter__(self) -> Iterator[str]:
        return (item.name for item in self._by_key.values())  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"NameMap({list(self._by_key.values())!r})"


def spelled(names: Mapping[str, object], name: str) -> str:
    """``name`` as the object of ``names`` that it names spells it, or as given when there is none."""
    found = names.get(name) if isinstance(names, NameMap) else None
    return found.name if found is not None else name  # type: ignore[attr-defined]


__all__ = ["NameMap", "name_key", "same_name", "spelled"]
