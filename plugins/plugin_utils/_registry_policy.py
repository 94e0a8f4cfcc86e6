# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The ``ipsecPolicy`` and ``ipsecISAKMPPolicy`` blobs (GPIPSEC.md §3).

A policy blob holds the polling interval; the ISAKMP blob the policy's main-mode settings (netsh's
``mmpfs``, ``qmpermm``, ``mmlifetime``, ``mmsecmethods``). Both decoders return plain values in netsh's
units (minutes, canonical method spellings) and raise :class:`~._registry_blob.RegistryDecodeError`
for anything the collection cannot express.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ._methods import main_mode_method
from ._numbers import MAX_NUMBER
from ._registry_blob import FRAME_SIZE, BlobReader, check_data_length, open_blob

POLICY_TYPE = uuid.UUID("22202163-4F4C-11D1-863B-00A0248D3021")  # GPIPSEC.md §2, §3.1
ISAKMP_TYPE = uuid.UUID("80DC20B8-2EC8-11D1-A89E-00A0248D3021")  # GPIPSEC.md §2, §3.2

# "Polling-Interval, seconds; 0 means 10800" (GPIPSEC.md §3.1); "MM-Lifetime, seconds; 0 = 28800" (§3.2).
DEFAULT_POLLING_SECONDS = 10800
DEFAULT_MM_LIFETIME_SECONDS = 28800

_ISAKMP_HEAD = 84 - FRAME_SIZE  # bytes from offset 20 to the first security method (GPIPSEC.md §3.2)
_METHOD_SIZE = 64
# Encryption-Algorithm-ID: 1 DES, 3 3DES observed; the spec lists 2 as "3DES" as well (GPIPSEC.md §3.2, §7.4).
_CIPHERS = {1: "DES", 2: "3DES", 3: "3DES"}
_HASHES = {1: "MD5", 2: "SHA1"}  # Hash-Algorithm-ID (GPIPSEC.md §3.2)
# Oakley-Group: 1 (768), 2 (1024), 0x10000001 (2048) = netsh's group 3 "DH2048" (GPIPSEC.md §3.2; the
# storage of netsh's group 3 is UNKNOWN there, the mapping is an assumption of the collection).
_GROUPS = {1: "1", 2: "2", 0x10000001: "3"}


@dataclass(frozen=True)
class PolicyBlob:
    """What an ``ipsecPolicy`` blob holds. ``polling_interval`` is in minutes."""

    polling_interval: int


@dataclass(frozen=True)
class IsakmpBlob:
    """What an ``ipsecISAKMPPolicy`` blob holds, in netsh's terms.

    Attributes:
        mmpfs: Master-PFS-Required is not 0.
        qm_per_mm: QM-Limit (0 = no limit).
        mm_lifetime: minutes.
        mm_security_methods: canonical ``ConfAlg-HashAlg-Group`` spellings in stored order.
    """

    mmpfs: bool
    qm_per_mm: int
    mm_lifetime: int
    mm_security_methods: tuple[str, ...]


def decode_policy(data: bytes, *, key: str) -> PolicyBlob:
    """Decode an ``ipsecPolicy`` blob: frame, Polling-Interval (u32 seconds), one trailing byte.

    Raises:
        RegistryDecodeError: wrong type GUID, Data-Length other than 4, bytes missing or left over.
    """
    reader, data_length = open_blob(data, key=key, type_guid=POLICY_TYPE, kind="ipsecPolicy")
    seconds = reader.u32("Polling-Interval")
    # "body = Data-Length + 1 (one trailing 00 not counted)", W2000 and W10/11 alike (GPIPSEC.md §2).
    check_data_length(reader, data_length, {"all writers": reader.offset - FRAME_SIZE})
    reader.finish()
    return PolicyBlob(polling_interval=(seconds or DEFAULT_POLLING_SECONDS) // 60)


def decode_isakmp(data: bytes, *, key: str) -> IsakmpBlob:
    """Decode an ``ipsecISAKMPPolicy`` blob (GPIPSEC.md §3.2).

    Read: Master-PFS-Required (+40), ISAKMP-Options (+44, must be 0), New-DH-1..4 (+48, must be 0),
    QM-Limit (+52), MM-Lifetime (+56), Security-Method-Count (+80) and the 64-byte methods. Ignored, as
    garbage was seen there on Windows 2000 (GPIPSEC.md §3.2, §10.6): the instance GUID, Zero1, Zero2,
    each method's version, key lengths, rounds, Zero fields, per-method QM limit, lifetimes and
    PFS-Identity-Required.

    Raises:
        RegistryDecodeError: anything else, including an unknown algorithm or group, a non-zero
            Random-Function, ISAKMP-Options or New-DH byte, a count that runs past the end, bytes
            left over, or a QM-Limit the model cannot hold (above 2^31-1, or other than 1 with
            Master-PFS-Required on).
    """
    reader, data_length = open_blob(data, key=key, type_guid=ISAKMP_TYPE, kind="ipsecISAKMPPolicy")
    reader.take(16, "ISAKMP-Policy-Instance")  # all-zero on W10/11, never used to link (GPIPSEC.md §3.2)
    reader.take(4, "Zero1")
    mmpfs = reader.u32("Master-PFS-Required") != 0
    start = reader.offset
    options = reader.u32("ISAKMP-Options")
    if options:
        # The pre-Vista, policy-wide home of certmap / excludecaname (GPIPSEC.md §3.2); the model keeps
        # those per authentication method only.
        raise reader.error("ISAKMP-Options", f"{options:#x} is not supported (only 0 is)", start)
    new_dh = reader.take(4, "New-DH-1..4")
    if any(new_dh):
        # DH2048 suites offered before the method list (GPIPSEC.md §3.2); never observed.
        raise reader.error("New-DH-1..4", f"{new_dh.hex(' ')} is not supported (only 00 00 00 00 is)", start + 4)
    qm_limit_at = reader.offset
    qm_per_mm = reader.u32("QM-Limit")
    lifetime = reader.u32("MM-Lifetime")
    reader.take(20, "Zero2")
    count = reader.count("Security-Method-Count", _METHOD_SIZE)
    methods = tuple(_method(reader, index) for index in range(count))
    # "body − 1" on every writer (GPIPSEC.md §2, §3.2).
    check_data_length(reader, data_length, {"all writers": reader.offset - FRAME_SIZE})
    reader.finish()
    if qm_per_mm > MAX_NUMBER:
        raise reader.error("QM-Limit", f"{qm_per_mm} is more than netsh's qmpermm can hold ({MAX_NUMBER}, A-61)", qm_limit_at)
    if mmpfs and qm_per_mm != 1:
        # "If mmpfs is specified, qmpermm will be set to 1" [S2]; the model holds no other combination.
        raise reader.error("QM-Limit", f"{qm_per_mm} with Master-PFS-Required on (netsh makes it 1)", qm_limit_at)
    return IsakmpBlob(
        mmpfs=mmpfs,
        qm_per_mm=qm_per_mm,
        mm_lifetime=(lifetime or DEFAULT_MM_LIFETIME_SECONDS) // 60,
        mm_security_methods=methods,
    )


def _method(reader: BlobReader, index: int) -> str:
    """One 64-byte security method as ``ConfAlg-HashAlg-Group`` (GPIPSEC.md §3.2 method table)."""
    base = reader.offset
    name = f"method {index}"
    reader.take(4, f"{name} version")  # Major/Minor-Version, Zero3: 0 observed, ignored
    cipher = reader.u32(f"{name} Encryption-Algorithm-ID")
    reader.take(8, f"{name} encryption key length and rounds")  # 64/8 on W2000, 0 on W10 (§3.2): ignored
    hash_id = reader.u32(f"{name} Hash-Algorithm-ID")
    reader.take(16, f"{name} hash key length, rounds, Zero6")  # ignored (§3.2)
    random_function = reader.u8(f"{name} Random-Function")
    reader.take(7, f"{name} Zero7")  # one W2000 method holds 03 here (§3.2): ignored
    group = reader.u32(f"{name} Oakley-Group")
    # QM-Limit, Oakley-Lifetime-KB, Oakley-Lifetime-Secs and PFS-Identity-Required per method: not in the
    # model (netsh's mmlifetime is the policy-level MM-Lifetime), and garbage on W2000 (§3.2).
    reader.take(16, f"{name} QM-Limit, lifetimes, PFS-Identity-Required")
    if random_function:
        # "overrides encryption/hash/group" with a Group14 suite netsh cannot name (§3.2).
        raise reader.error(f"{name} Random-Function", f"{random_function} is not supported (only 0 is)", base + 36)
    if cipher not in _CIPHERS:
        raise reader.error(f"{name} Encryption-Algorithm-ID", f"unknown algorithm {cipher} (known: 1 DES, 2 and 3 3DES)", base + 4)
    if hash_id not in _HASHES:
        raise reader.error(f"{name} Hash-Algorithm-ID", f"unknown algorithm {hash_id} (known: 1 MD5, 2 SHA1)", base + 16)
    if group not in _GROUPS:
        raise reader.error(f"{name} Oakley-Group", f"unknown group {group:#x} (known: 1, 2, 0x10000001)", base + 44)
    return main_mode_method(f"{_CIPHERS[cipher]}-{_HASHES[hash_id]}-{_GROUPS[group]}")


__all__ = [
    "DEFAULT_MM_LIFETIME_SECONDS", "DEFAULT_POLLING_SECONDS", "ISAKMP_TYPE", "POLICY_TYPE", "IsakmpBlob", "PolicyBlob",
    "decode_isakmp", "decode_policy",
]
