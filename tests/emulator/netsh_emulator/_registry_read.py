"""The batch script's registry read on the emulated host, and the two knobs that shape it.

Contract:

* :func:`registry_source` ``(env) -> RegistrySource`` reads and checks the knobs; an invalid one raises
  :class:`~._locale.ConfigError`. The batch calls it before any command runs.

  * ``NETSH_EMU_GROUP_POLICY``: a JSON object of strings, the values (all REG_SZ) of the key
    ``...\\IPSec\\GPTIPSECPolicy`` (GPIPSEC.md §1.6), e.g. ``DSIPSECPolicyPath`` and ``DSIPSECPolicyName``.
    Unset or empty: no such key.
  * ``NETSH_EMU_REGISTRY_FILE``: a regedit export (``_reg_file``). When set, the read returns the file's
    ``...\\IPSec\\Policy\\Local`` and ``...\\IPSec\\GPTIPSECPolicy`` keys instead of the emulator's store
    (netsh commands still act on the store). ``NETSH_EMU_GROUP_POLICY``, when also set, replaces the
    file's ``GPTIPSECPolicy`` key.

* :func:`read_registry` ``(source, env) -> {"local": K | None, "group_policy": K | None}`` is what the
  batch script's ``K "$i\\Policy\\Local" 1`` and ``K "$i\\GPTIPSECPolicy" 0`` return (``_registry_model.key_json``):
  ``local`` with its subkeys' values, ``group_policy`` without subkeys. Without a file, ``local`` is the
  store's view (``_registry_view.local_key``), read under the store's shared lock. It raises
  :class:`~._locale.ConfigError` when ``NETSH_EMU_STATE`` is not set and :class:`RegistryReadError` when the
  store cannot be read or the registry layout cannot express it.

The read ignores ``NETSH_EMU_STORE_UNAVAILABLE``: the registry stays readable when PolicyAgent is stopped
(emulator choice).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Mapping

from . import _state
from ._locale import ConfigError
from ._reg_file import RegFile, RegFileError, read_reg_file
from ._registry_model import STRING, RegKey, RegValue, key_json
from ._registry_view import LOCAL_KEY_PATH, RegistryViewError, local_key

GROUP_POLICY_KEY_PATH = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\GPTIPSECPolicy"
_HIVE = "HKEY_LOCAL_MACHINE\\"


class RegistryReadError(Exception):
    """The emulated registry read cannot be answered (an unreadable or inexpressible store)."""


@dataclass(frozen=True)
class RegistrySource:
    group_policy: RegKey | None = None
    reg_file: RegFile | None = None


def _group_policy(env: Mapping[str, str]) -> RegKey | None:
    raw = env.get("NETSH_EMU_GROUP_POLICY", "")
    if raw.strip() == "":
        return None
    try:
        values = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"NETSH_EMU_GROUP_POLICY is not JSON: {exc}") from None
    if not isinstance(values, dict) or not all(isinstance(data, str) for data in values.values()):
        raise ConfigError("NETSH_EMU_GROUP_POLICY must be a JSON object of strings (the REG_SZ values of GPTIPSECPolicy)")
    return RegKey("GPTIPSECPolicy", tuple(RegValue(name, STRING, data) for name, data in values.items()))


def registry_source(env: Mapping[str, str]) -> RegistrySource:
    """The knobs, read and checked; see the module docstring."""
    group_policy = _group_policy(env)
    path = env.get("NETSH_EMU_REGISTRY_FILE", "")
    reg_file = None
    if path:
        try:
            reg_file = read_reg_file(path)
        except (OSError, RegFileError) as exc:
            raise ConfigError(f"NETSH_EMU_REGISTRY_FILE: {exc}") from None
    return RegistrySource(group_policy, reg_file)


def _store(env: Mapping[str, str]) -> _state.Store:
    path = env.get("NETSH_EMU_STATE") or None
    if path is None:
        raise ConfigError("NETSH_EMU_STATE is not set (path of the emulated store's JSON file)")
    try:
        with _state.locked(path, exclusive=False):
            return _state.load(path)
    except FileNotFoundError:
        return _state.Store()       # no state directory: a store that never held anything
    except (OSError, _state.StoreCorrupt) as exc:
        raise RegistryReadError(f"the store {path} cannot be read: {exc}") from None


def read_registry(source: RegistrySource, env: Mapping[str, str]) -> dict:
    """The batch's ``$g``; see the module docstring."""
    if source.reg_file is not None:
        local = source.reg_file.key(_HIVE + LOCAL_KEY_PATH)
        group_policy = source.group_policy or source.reg_file.key(_HIVE + GROUP_POLICY_KEY_PATH)
    else:
        try:
            local = local_key(_store(env))
        except RegistryViewError as exc:
            raise RegistryReadError(f"the registry view cannot express the store: {exc}") from None
        group_policy = source.group_policy
    return {"local": key_json(local, with_subkeys=True), "group_policy": key_json(group_policy, with_subkeys=False)}
