"""Registry keys and values as the emulated host holds them, and the JSON the batch script makes of them.

Contract:

* :class:`RegValue` ``(name, kind, data)``: *kind* is the name .NET's ``RegistryKey.GetValueKind`` reports
  (``Microsoft.Win32.RegistryValueKind``: ``String``, ``ExpandString``, ``MultiString``, ``Binary``,
  ``DWord``, ``QWord``; ``None`` for REG_NONE and ``Unknown`` for every type the enumeration lacks, such as
  REG_LINK or REG_DWORD_BIG_ENDIAN, A-91). *data* is what ``GetValue`` returns, in Python: ``str`` (String,
  ExpandString), ``list[str]`` (MultiString), ``bytes`` (Binary, None, and Unknown for REG_DWORD_BIG_ENDIAN),
  ``None`` (Unknown for the other types: .NET returns no data for them), ``int`` from 0 to 2**32-1 (DWord)
  or 2**64-1 (QWord). A mismatch raises ``ValueError``.
* :class:`RegKey` ``(name, values, subkeys)``: values in enumeration order, subkeys in any order.
* :func:`key_json` is the batch script's ``K``: ``{"values": [V...], "keys": [{"name", "values"}...]}``,
  the subkeys (only with *with_subkeys*, and only their values) in the order ``GetSubKeyNames`` gives.
  :func:`value_json` is its ``V`` for one value (``_bootstrap.BATCH_SCRIPT``, GPIPSEC.md §1.3).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

STRING, EXPAND_STRING, MULTI_STRING = "String", "ExpandString", "MultiString"
BINARY, DWORD, QWORD, NONE, UNKNOWN = "Binary", "DWord", "QWord", "None", "Unknown"

_TEXT_KINDS = (STRING, EXPAND_STRING)
_BYTE_KINDS = (BINARY, NONE)
_INT_BITS = {DWORD: 32, QWORD: 64}


@dataclass(frozen=True)
class RegValue:
    name: str
    kind: str
    data: object

    def __post_init__(self) -> None:
        data = self.data
        if self.kind in _TEXT_KINDS:
            valid = isinstance(data, str)
        elif self.kind == MULTI_STRING:
            valid = isinstance(data, list) and all(isinstance(item, str) for item in data)
        elif self.kind in _BYTE_KINDS:
            valid = isinstance(data, bytes)
        elif self.kind == UNKNOWN:
            valid = data is None or isinstance(data, bytes)
        elif self.kind in _INT_BITS:
            valid = isinstance(data, int) and not isinstance(data, bool) and 0 <= data < 2 ** _INT_BITS[self.kind]
        else:
            raise ValueError(f"registry value {self.name!r}: unknown kind {self.kind!r}")
        if not valid:
            raise ValueError(f"registry value {self.name!r}: {data!r} is not {self.kind} data")


@dataclass(frozen=True)
class RegKey:
    name: str
    values: tuple[RegValue, ...] = ()
    subkeys: tuple["RegKey", ...] = field(default=())


def _signed(value: int, bits: int) -> int:
    # .NET's GetValue returns REG_DWORD as Int32 and REG_QWORD as Int64, so a value with the top bit
    # set arrives negative after ConvertTo-Json.
    return value - 2**bits if value >= 2 ** (bits - 1) else value


def value_json(value: RegValue) -> dict:
    """``@{name=...;kind=...;data=...}`` of the batch script's ``V`` for *value*.

    Binary is base64 (the script converts it); other ``byte[]`` data (None, Unknown) stays an array, which
    ``ConvertTo-Json`` writes as an array of numbers, and no data is ``null`` (A-91).
    """
    data = value.data
    if value.kind == BINARY:
        data = base64.b64encode(value.data).decode("ascii")
    elif isinstance(value.data, bytes):
        data = list(value.data)
    elif value.kind in _INT_BITS:
        data = _signed(value.data, _INT_BITS[value.kind])
    elif value.kind == MULTI_STRING:
        data = list(value.data)
    return {"name": value.name, "kind": value.kind, "data": data}


def key_json(key: RegKey | None, with_subkeys: bool) -> dict | None:
    """The batch script's ``K`` for *key* (None: the key does not exist).

    Subkeys are listed in case-insensitive name order, as ``RegEnumKeyEx`` enumerates them (emulator
    choice, A-92); without *with_subkeys* the list is empty, as ``K`` filters them with ``?{$s}``.
    """
    if key is None:
        return None
    subkeys = sorted(key.subkeys, key=lambda sub: sub.name.upper()) if with_subkeys else []
    return {"values": [value_json(value) for value in key.values],
            "keys": [{"name": sub.name, "values": [value_json(value) for value in sub.values]} for sub in subkeys]}
