# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The registry values of the store's object keys, read with their types checked.

One key per object, named class name + braced GUID (GPIPSEC.md §1.2), with the values of §1.3. Value
names are matched without regard to case (writers differ: ``ClassName`` vs ``className``, §1.3), and
references are resolved by their last path component, without regard to case (writers differ in
``IPSEC``/``IPSec`` and in GUID case, §1.4). Every value is read for its registry type; a value of the
wrong type, a value the decoder does not know, or a malformed reference raises
:class:`~._registry_blob.RegistryDecodeError` naming the key and the value.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from ._registry import RegistryKey, RegistryValue, ValueKind
from ._registry_blob import RegistryDecodeError

POLICY = "ipsecPolicy"
ISAKMP = "ipsecISAKMPPolicy"
NFA = "ipsecNFA"
NEGOTIATION_POLICY = "ipsecNegotiationPolicy"
FILTER = "ipsecFilter"
CLASS_NAMES = (POLICY, ISAKMP, NFA, NEGOTIATION_POLICY, FILTER)  # GPIPSEC.md §1.1
_CLASSES = {name.casefold(): name for name in CLASS_NAMES}

_GUID = r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}"
_OBJECT_NAME = re.compile(rf"([A-Za-z]+)({_GUID})")
_BRACED_GUID = re.compile(_GUID)

# ipsecDataType is "always 0x100 (256)" (GPIPSEC.md §1.3).
DATA_TYPE = 256

# Values every object key may have (GPIPSEC.md §1.3), and those of each class besides.
_COMMON = ("className", "name", "ipsecID", "ipsecName", "description", "ipsecDataType", "ipsecData", "whenChanged",
           "ipsecOwnersReference")
_OWN = {
    POLICY: ("ipsecISAKMPReference", "ipsecNFAReference"),
    ISAKMP: (),
    NFA: ("ipsecNegotiationPolicyReference", "ipsecFilterReference"),
    NEGOTIATION_POLICY: ("ipsecNegotiationPolicyAction", "ipsecNegotiationPolicyType"),
    FILTER: (),
}
_STRING_KINDS = (ValueKind.STRING,)


def object_class(key_name: str) -> Optional[str]:
    """The class of an object key named ``<class>{GUID}`` (class in any case, canonical spelling
    returned), or ``None`` when the name is not of that form or the class is unknown."""
    match = _OBJECT_NAME.fullmatch(key_name)
    return _CLASSES.get(match.group(1).casefold()) if match else None


def reference_target(reference: str) -> str:
    """The key a reference names, for lookup: its last path component, case-folded (GPIPSEC.md §1.4)."""
    return reference.rpartition("\\")[2].casefold()


class KeyValues:
    """Typed access to one key's values; every refusal names the key and the value.

    Attributes:
        key: the registry key.
        name: how errors name it (its own name).
    """

    __slots__ = ("key", "name")

    def __init__(self, key: RegistryKey) -> None:
        self.key = key
        self.name = key.name

    def error(self, field: str, reason: str) -> RegistryDecodeError:
        """A :class:`RegistryDecodeError` about value ``field`` of this key (no byte offset)."""
        return RegistryDecodeError(self.name, field, reason)

    def check_known(self, names: Iterable[str]) -> None:
        """Refuse a value whose name is not in ``names`` (compared without regard to case): a value
        the decoder does not know may change what the object means (GPIPSEC.md §10.10)."""
        known = {name.casefold() for name in names}
        for value in self.key.values:
            if value.name.casefold() not in known:
                raise self.error(value.name or "(default)", "a value the decoder does not know")

    def _get(self, name: str, kinds: tuple[ValueKind, ...], required: bool) -> Optional[RegistryValue]:
        value = self.key.value(name)
        if value is None:
            if required:
                raise self.error(name, "missing")
            return None
        if value.kind not in kinds:
            expected = " or ".join(kind.value for kind in kinds)
            raise self.error(name, f"is a {value.kind.value} value; expected {expected}")
        return value

    def text(self, name: str, *, required: bool = False) -> Optional[str]:
        """A REG_SZ value, or ``None`` when absent and not ``required``."""
        value = self._get(name, _STRING_KINDS, required)
        return None if value is None else value.data  # type: ignore[return-value]

    def dword(self, name: str, *, required: bool = False) -> Optional[int]:
        """A REG_DWORD value, or ``None`` when absent and not ``required``."""
        value = self._get(name, (ValueKind.DWORD,), required)
        return None if value is None else value.data  # type: ignore[return-value]

    def binary(self, name: str) -> bytes:
        """A REG_BINARY value that must be present."""
        return self._get(name, (ValueKind.BINARY,), True).data  # type: ignore[union-attr,return-value]

    def reference(self, name: str, *, required: bool = False) -> Optional[str]:
        """A single-valued reference: REG_SZ, as the AD schema's single-valued attributes (GPIPSEC.md §1.3)."""
        text = self.text(name, required=required)
        if text is not None:
            self._check_reference(name, text)
        return text

    def references(self, name: str) -> tuple[str, ...]:
        """A multi-valued reference: REG_MULTI_SZ, or REG_SZ for one reference as hand-edited copies
        hold it (GPIPSEC.md §1.3 [inferred]); ``()`` when absent."""
        value = self._get(name, (ValueKind.MULTI_STRING, ValueKind.STRING), False)
        if value is None:
            return ()
        entries = (value.data,) if value.kind is ValueKind.STRING else tuple(value.data)  # type: ignore[arg-type]
        for index, entry in enumerate(entries):
            self._check_reference(f"{name} entry {index}", entry)
        return entries  # type: ignore[return-value]

    def _check_reference(self, field: str, text: str) -> None:
        # "the HKLM-relative path of the target key" (GPIPSEC.md §1.4): it must end in <class>{GUID}.
        if object_class(text.rpartition("\\")[2]) is None:
            raise self.error(field, f"{text!r} does not end in a key name of the form <class>{{GUID}}")

    def check_object(self, class_name: str) -> bytes:
        """Check the values every object key has (GPIPSEC.md §1.3) and return ``ipsecData``.

        ``className`` must name ``class_name``; ``ipsecDataType`` must be 256; ``ipsecID``, ``name``,
        ``whenChanged`` and ``ipsecOwnersReference`` are checked for shape when present and not used
        further; no value outside §1.3 may be present.

        Raises:
            RegistryDecodeError: naming the first value that is wrong.
        """
        self.check_known(_COMMON + _OWN[class_name])
        found = self.text("className", required=True)
        if found.casefold() != class_name.casefold():  # type: ignore[union-attr]
            raise self.error("className", f"{found!r} does not match the key's class {class_name}")
        data_type = self.dword("ipsecDataType", required=True)
        if data_type != DATA_TYPE:
            raise self.error("ipsecDataType", f"{data_type} is not {DATA_TYPE}")
        guid = self.text("ipsecID")
        if guid is not None and not _BRACED_GUID.fullmatch(guid):
            raise self.error("ipsecID", f"{guid!r} is not a braced GUID")
        own_name = self.text("name")
        if own_name is not None and object_class(own_name) is None:
            raise self.error("name", f"{own_name!r} is not of the form <class>{{GUID}}")
        self.dword("whenChanged")  # seconds since 1970 (§1.3); only its type is checked
        self.references("ipsecOwnersReference")  # back-references; shape only (D1 omits some, §8)
        self.text("ipsecName")
        self.text("description")
        return self.binary("ipsecData")


__all__ = [
    "CLASS_NAMES", "DATA_TYPE", "FILTER", "ISAKMP", "NEGOTIATION_POLICY", "NFA", "POLICY", "KeyValues", "object_class",
    "reference_target",
]
