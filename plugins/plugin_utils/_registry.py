# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The IPsec policy store's registry keys, as read from a host or a ``.reg`` file.

The store lives under ``HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec`` (GPIPSEC.md §1.2, §1.5,
§1.6): one subkey of ``Policy\\Local`` per object, the assigned policy in the value ``ActivePolicy`` of
``Policy\\Local``, and a policy assigned by Group Policy under ``GPTIPSECPolicy``. Both ways in (the
bootstrap's registry read and a regedit export) produce a :class:`RegistrySnapshot`; the decoders
turn one into the model. No I/O and no Ansible imports here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping, Optional, Tuple, Union

LOCAL_STORE = r"SOFTWARE\Policies\Microsoft\Windows\IPSec\Policy\Local"
GROUP_POLICY = r"SOFTWARE\Policies\Microsoft\Windows\IPSec\GPTIPSECPolicy"


class ValueKind(enum.Enum):
    """A registry value's type, by the names .NET's ``RegistryValueKind`` gives them."""

    STRING = "String"  # REG_SZ
    EXPAND_STRING = "ExpandString"  # REG_EXPAND_SZ
    MULTI_STRING = "MultiString"  # REG_MULTI_SZ
    BINARY = "Binary"  # REG_BINARY
    DWORD = "DWord"  # REG_DWORD
    QWORD = "QWord"  # REG_QWORD


Data = Union[str, Tuple[str, ...], bytes, int]

_PYTHON_TYPES = {
    ValueKind.STRING: str,
    ValueKind.EXPAND_STRING: str,
    ValueKind.MULTI_STRING: tuple,
    ValueKind.BINARY: bytes,
    ValueKind.DWORD: int,
    ValueKind.QWORD: int,
}


@dataclass(frozen=True)
class RegistryValue:
    """One value: its name as written (names are case-insensitive in the registry), kind and data.

    ``data`` is ``str`` for the string kinds, a tuple of ``str`` for ``MULTI_STRING``, ``bytes`` for
    ``BINARY`` and ``int`` for ``DWORD``/``QWORD``.

    Raises:
        TypeError: ``data`` is not of the kind's type.
    """

    name: str
    kind: ValueKind
    data: Data

    def __post_init__(self) -> None:
        expected = _PYTHON_TYPES[self.kind]
        if not isinstance(self.data, expected) or (expected is int and isinstance(self.data, bool)):
            raise TypeError(f"registry value {self.name!r} of kind {self.kind.value} holds {type(self.data).__name__}")
        if expected is tuple and not all(isinstance(item, str) for item in self.data):
            raise TypeError(f"registry value {self.name!r} of kind {self.kind.value} holds a non-string")


def _by_name(values: Iterable[RegistryValue]) -> Mapping[str, RegistryValue]:
    keyed = {}
    for value in values:
        key = value.name.casefold()
        if key in keyed:
            raise ValueError(f"registry value {value.name!r} is given twice")
        keyed[key] = value
    return MappingProxyType(keyed)


@dataclass(frozen=True)
class RegistryKey:
    """One key: its name relative to its parent (``ipsecNFA{...}``) and its values."""

    name: str
    values: Tuple[RegistryValue, ...] = ()
    _index: Mapping[str, RegistryValue] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        object.__setattr__(self, "_index", _by_name(self.values))

    def value(self, name: str) -> Optional[RegistryValue]:
        """The value called ``name``, in any case, or ``None``."""
        return self._index.get(name.casefold())


@dataclass(frozen=True)
class RegistrySnapshot:
    """What the store's keys held when they were read.

    Attributes:
        local: the ``Policy\\Local`` key itself (its values: ``ActivePolicy``), or ``None`` when the
            key does not exist (no store was ever written).
        objects: the subkeys of ``Policy\\Local``, one per object, in any order.
        group_policy: the ``GPTIPSECPolicy`` key, or ``None`` when it does not exist.
    """

    local: Optional[RegistryKey]
    objects: Tuple[RegistryKey, ...] = ()
    group_policy: Optional[RegistryKey] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "objects", tuple(self.objects))


__all__ = ["GROUP_POLICY", "LOCAL_STORE", "RegistryKey", "RegistrySnapshot", "RegistryValue", "ValueKind"]
