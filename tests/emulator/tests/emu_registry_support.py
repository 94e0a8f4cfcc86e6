"""Helpers for the registry tests (``test_emu_registry*.py``).

``SAMPLES`` are the real regedit exports of GPIPSEC.md (``../shared/reference/registry/samples``, beside the
repository, as every developer and CI have it); ``sample_objects(file)`` gives their ``Policy\\Local``
subkeys as ``{key name: {value name: RegValue}}``. ``view(emu)`` is the emulator's registry view of the
store behind *emu* in the same form, plus the local key's own values under ``""``. ``blob_fields(blob)``
cuts a blob into its framing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from emu_support import EMULATOR_DIR, Emu

from netsh_emulator import _state
from netsh_emulator._reg_file import read_reg_file
from netsh_emulator._registry_model import RegKey, RegValue
from netsh_emulator._registry_view import local_key

SAMPLES = EMULATOR_DIR.parents[2] / "shared" / "reference" / "registry" / "samples"
W10 = SAMPLES / "win10_gsecurity_2019-12_ipsec.reg"
W11 = SAMPLES / "win11_gsecurity_2025-12_ipsec.reg"
W2K = SAMPLES / "win2000_vpnease_template_rendered_ipsec.reg"
LOCAL = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local"
REFERENCE_PREFIX = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\"

Objects = dict[str, dict[str, RegValue]]


def _objects(key: RegKey) -> Objects:
    objects = {sub.name: {value.name: value for value in sub.values} for sub in key.subkeys}
    objects[""] = {value.name: value for value in key.values}
    return objects


def sample_objects(path: Path) -> Objects:
    key = read_reg_file(str(path)).key(LOCAL)
    assert key is not None, path
    return _objects(key)


def store(emu: Emu) -> _state.Store:
    return _state.load(str(emu.state))


def view(emu: Emu) -> Objects:
    key = local_key(store(emu))
    assert key is not None
    return _objects(key)


def of_class(objects: Objects, class_name: str) -> dict[str, dict[str, RegValue]]:
    """The objects whose key name starts with *class_name* followed by ``{``."""
    return {name: values for name, values in objects.items() if name.startswith(class_name + "{")}


def named(objects: Objects, class_name: str, ipsec_name: str) -> dict[str, RegValue]:
    (values,) = [values for values in of_class(objects, class_name).values()
                 if "ipsecName" in values and values["ipsecName"].data == ipsec_name]
    return values


def guid_at(blob: bytes, offset: int) -> str:
    return str(uuid.UUID(bytes_le=blob[offset:offset + 16]))


def blob_fields(blob: bytes) -> tuple[str, int, bytes]:
    """``(type GUID, Data-Length, body)`` of a blob (GPIPSEC.md §2)."""
    return guid_at(blob, 0), int.from_bytes(blob[16:20], "little"), blob[20:]


def u32_at(blob: bytes, offset: int) -> int:
    return int.from_bytes(blob[offset:offset + 4], "little")
