# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The registry keys in the bootstrap's answer, as a :class:`~._registry.RegistrySnapshot`.

The batch script (``_bootstrap.BATCH_SCRIPT``) sends ``{"local": K | null, "group_policy": K | null}``,
``K`` being ``{"values": [V...], "keys": [{"name": str, "values": [V...]}...]}`` and ``V`` being ``{"name":
str, "kind": RegistryValueKind name, "data": ...}``. Windows PowerShell 5.1's ``ConvertTo-Json`` may write
a list of one as the bare element (A-34), so a lone object or string stands for a list of one. .NET
returns a REG_DWORD as a signed 32-bit number and a REG_QWORD as a signed 64-bit one (A-90): both are
read back as the unsigned values the registry holds.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind

_KINDS = {kind.value: kind for kind in ValueKind}
_UNSIGNED = {ValueKind.DWORD: 2**32, ValueKind.QWORD: 2**64}


def snapshot_from_payload(payload: Any, *, local: bool = True) -> RegistrySnapshot:
    """The snapshot the answer's ``registry`` describes; without ``local``, only its Group Policy key
    (the store's keys are not read, so nothing in them can fail).

    Raises:
        ValueError: the payload is not of the documented shape (the message says where).
    """
    if not isinstance(payload, dict) or set(payload) != {"local", "group_policy"}:
        raise ValueError(f"expected an object with 'local' and 'group_policy', got {_clip(payload)}")
    local_key = _key("Policy\\Local", payload["local"] if local else None)
    group_policy = _key("GPTIPSECPolicy", payload["group_policy"])
    objects = tuple(_key(_name(entry), entry) for entry in _listed(payload["local"].get("keys"))) if local_key is not None else ()
    return RegistrySnapshot(local=local_key, objects=objects, group_policy=group_policy)


def _name(entry: Any) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ValueError(f"a subkey without a name: {_clip(entry)}")
    return entry["name"]


def _key(name: str, raw: Any) -> RegistryKey | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "values" not in raw:
        raise ValueError(f"key {name!r} is not an object with 'values': {_clip(raw)}")
    return RegistryKey(name, tuple(_value(name, entry) for entry in _listed(raw["values"])))


def _value(key: str, raw: Any) -> RegistryValue:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or raw.get("kind") not in _KINDS:
        raise ValueError(f"key {key!r}: a value is not {{name, kind, data}} with a known kind: {_clip(raw)}")
    kind, data = _KINDS[raw["kind"]], raw.get("data")
    where = f"key {key!r}, value {raw['name']!r}"
    if kind is ValueKind.BINARY:
        if not isinstance(data, str):
            raise ValueError(f"{where}: binary data must be base64 text")
        try:
            data = base64.b64decode(data, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"{where}: binary data is not base64: {exc}") from None
    elif kind in _UNSIGNED:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"{where}: expected a number, got {_clip(data)}")
        span = _UNSIGNED[kind]
        if not -span // 2 <= data < span:
            raise ValueError(f"{where}: {data} is outside the range of a {kind.value} (signed or unsigned)")
        data %= span
    elif kind is ValueKind.MULTI_STRING:
        data = tuple(_listed(data))
        if not all(isinstance(item, str) for item in data):
            raise ValueError(f"{where}: a multi-string holds a non-string")
    elif not isinstance(data, str):
        raise ValueError(f"{where}: expected a string, got {_clip(data)}")
    return RegistryValue(raw["name"], kind, data)


def _listed(raw: Any) -> list:
    if raw is None:
        return []
    return raw if isinstance(raw, list) else [raw]


def _clip(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


__all__ = ["snapshot_from_payload"]
