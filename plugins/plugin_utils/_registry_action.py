# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The ``ipsecNegotiationPolicy`` object: a filter action (GPIPSEC.md §4).

What the action does comes from two registry values, ``ipsecNegotiationPolicyAction`` and
``ipsecNegotiationPolicyType`` (GPIPSEC.md §4.1); its quick-mode offers from the blob (§4.2). The
decoder maps both to netsh's terms: :class:`~._model.Action`, ``inpass``, ``soft``, ``qmpfs`` and the
canonical quick-mode methods of :func:`~._methods.quick_mode_method`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Optional

from ._errors import InvalidInput
from ._methods import quick_mode_method
from ._model import Action
from ._registry_blob import FRAME_SIZE, BlobReader, RegistryDecodeError, braced_guid, check_data_length, open_blob

NEGOTIATION_POLICY_TYPE = uuid.UUID("80DC20B9-2EC8-11D1-A89E-00A0248D3021")  # GPIPSEC.md §2, §4.2

# ipsecNegotiationPolicyAction (GPIPSEC.md §4.1): action and inpass.
ACTION_BLOCK = uuid.UUID("3F91A819-7647-11D1-864D-D46A00000000")
ACTION_PERMIT = uuid.UUID("8A171DD2-77E3-11D1-8659-A04F00000000")
ACTION_NEGOTIATE = uuid.UUID("8A171DD3-77E3-11D1-8659-A04F00000000")
# "inbound pass-through: accept clear inbound, but negotiate" = netsh inpass=yes [inferred] (§4.1).
ACTION_INPASS = uuid.UUID("3F91A81A-7647-11D1-864D-D46A00000000")
_ACTIONS = {
    ACTION_BLOCK: (Action.BLOCK, False),
    ACTION_PERMIT: (Action.PERMIT, False),
    ACTION_NEGOTIATE: (Action.NEGOTIATE, False),
    ACTION_INPASS: (Action.NEGOTIATE, True),
}

# ipsecNegotiationPolicyType (GPIPSEC.md §4.1, §5.3).
TYPE_STANDARD = uuid.UUID("62F49E10-6C37-11D1-864C-14A300000000")
TYPE_DEFAULT_RESPONSE = uuid.UUID("62F49E13-6C37-11D1-864C-14A300000000")
_TYPES = {TYPE_STANDARD: False, TYPE_DEFAULT_RESPONSE: True}

_OFFER_SIZE = 80  # GPIPSEC.md §4.2 (R7's 56 bytes disagree with every real blob)
_SLOT_SIZE = 20
_AH, _ESP = 1, 2  # Offer-Type (§4.2)
_AH_HASHES = {1: "MD5", 2: "SHA1"}
# ESP Algorithm-Identifier per the spec: 1 "null", 2 DES, 3 3DES. R7 reads 1 as DES; the conflict is
# open (GPIPSEC.md §4.2, §7.6) and the collection follows the spec (assumption).
_ESP_CIPHERS = {1: "None", 2: "DES", 3: "3DES"}
_ESP_INTEGRITY = {0: "None", 1: "MD5", 2: "SHA1"}


@dataclass(frozen=True)
class NegotiationPolicy:
    """A decoded ``ipsecNegotiationPolicy``.

    Attributes:
        default_response: its type is the default response rule's (``{62F49E13-...}``), so it belongs
            to that rule and is not a store-level filter action (GPIPSEC.md §5.3).
        action, inpass: from the action GUID.
        soft: the offers end in one with no algorithms (an assumption: storage of ``soft`` is UNKNOWN,
            GPIPSEC.md §4.2).
        qmpfs: PFS-QM-Required of the offers, which must all agree; ``False`` with no offer.
        qm_security_methods: one canonical method per real offer, in stored (preference) order.
    """

    default_response: bool
    action: Action
    inpass: bool
    soft: bool
    qmpfs: bool
    qm_security_methods: tuple[str, ...]


def decode_negotiation_policy(data: bytes, *, key: str, action: str, policy_type: str) -> NegotiationPolicy:
    """Decode a filter action from its blob and its two GUID values.

    Args:
        action: the text of ``ipsecNegotiationPolicyAction``, a braced GUID in any case.
        policy_type: the text of ``ipsecNegotiationPolicyType``, likewise.

    Raises:
        RegistryDecodeError: an unknown action or type GUID (field = the value's name, no offset), or
            a blob that does not follow GPIPSEC.md §4.2 as mapped here: offers on a block or permit
            action, non-zero Negotiation-Options, PFS-QM-Required other than 0/1 or not the same in all
            offers, an algorithm count above 2 (or 0 anywhere but last), unknown algorithm ids, slot
            orders other than AH, ESP and AH+ESP, a wrong Data-Length, bytes left over.
    """
    action_guid, type_guid = braced_guid(action), braced_guid(policy_type)
    if action_guid not in _ACTIONS:
        raise RegistryDecodeError(key, "ipsecNegotiationPolicyAction", f"unknown action GUID {action!r}")
    if type_guid not in _TYPES:
        raise RegistryDecodeError(key, "ipsecNegotiationPolicyType", f"unknown type GUID {policy_type!r}")
    kind, inpass = _ACTIONS[action_guid]
    reader, data_length = open_blob(data, key=key, type_guid=NEGOTIATION_POLICY_TYPE, kind="ipsecNegotiationPolicy")
    count_at = reader.offset
    count = reader.count("Security-Offer-Count", _OFFER_SIZE)
    offers = [_offer(reader, index) for index in range(count)]
    # "Data-Length = 4 + 80·n", then one trailing 00, on every writer (GPIPSEC.md §4.2).
    check_data_length(reader, data_length, {"all writers": reader.offset - FRAME_SIZE})
    reader.finish()
    if kind is not Action.NEGOTIATE and count:
        # Block and permit carry no offers (observed 0, GPIPSEC.md §4.1).
        raise reader.error("Security-Offer-Count", f"a {kind.value} action has {count} offers; expected 0", count_at)
    soft = bool(offers) and offers[-1].method is None
    real = offers[:-1] if soft else offers
    for index, offer in enumerate(real):
        if offer.method is None:
            raise reader.error(f"offer {index} Algorithm-Offer-Count", "0 algorithms are allowed only in the last offer (soft)", offer.at + 16)
        if offer.pfs != real[0].pfs:
            raise reader.error(f"offer {index} PFS-QM-Required", f"{int(offer.pfs)} differs from offer 0's {int(real[0].pfs)}", offer.at + 12)
    return NegotiationPolicy(
        default_response=_TYPES[type_guid],
        action=kind,
        inpass=inpass,
        soft=soft,
        qmpfs=bool(real) and real[0].pfs,
        qm_security_methods=tuple(offer.method for offer in real),
    )


@dataclass(frozen=True)
class _Offer:
    at: int  # byte offset of the offer
    method: Optional[str]  # None: no algorithms (the soft marker)
    pfs: bool


def _offer(reader: BlobReader, index: int) -> _Offer:
    """One 80-byte offer (GPIPSEC.md §4.2 offer table)."""
    at = reader.offset
    name = f"offer {index}"
    seconds = reader.u32(f"{name} Lifetime-Seconds")
    kilobytes = reader.u32(f"{name} Lifetime-KBytes")
    options = reader.u32(f"{name} Negotiation-Options")
    pfs = reader.u32(f"{name} PFS-QM-Required")
    count = reader.u32(f"{name} Algorithm-Offer-Count")
    slots = [reader.take(_SLOT_SIZE, f"{name} slot {slot}") for slot in range(3)]
    if options:
        raise reader.error(f"{name} Negotiation-Options", f"{options:#x} is not supported (the spec says it must be 0)", at + 8)
    if pfs not in (0, 1):
        raise reader.error(f"{name} PFS-QM-Required", f"expected 0 or 1, not {pfs:#x}", at + 12)
    if count > 2:
        raise reader.error(f"{name} Algorithm-Offer-Count", f"{count} algorithms; netsh methods have 1 (AH or ESP) or 2 (AH+ESP)", at + 16)
    if count == 0:
        # The soft marker; its other fields mean nothing and are ignored (assumption, GPIPSEC.md §4.2).
        return _Offer(at, None, False)
    # Only the first `count` slots are meaningful; the rest may hold garbage (GPIPSEC.md §4.2, §8.3).
    parts = [_slot(reader, slots[slot], at + 20 + slot * _SLOT_SIZE, f"{name} slot {slot}") for slot in range(count)]
    if count == 2 and not (parts[0].startswith("AH[") and parts[1].startswith("ESP[")):
        found = " then ".join(part.partition("[")[0] for part in parts)
        raise reader.error(f"{name} slot 0", f"two algorithms must be AH then ESP (netsh's AH[..]+ESP[..]), not {found}", at + 20)
    # Lifetimes: 0 = not given (GPIPSEC.md §4.2 "0 presumably = default"; A-62).
    lifetimes = "/".join(f"{value}{unit}" for value, unit in ((kilobytes, "k"), (seconds, "s")) if value)
    text = "+".join(parts) + (f":{lifetimes}" if lifetimes else "")
    try:
        return _Offer(at, quick_mode_method(text), pfs == 1)  # 1 = PFS: R7 and the defaults, not the spec (§4.2, §7.5)
    except InvalidInput as error:
        raise reader.error(f"{name} slot 0", f"{text} is not a quick-mode method netsh knows: {error.reason}", at + 20) from None


def _slot(reader: BlobReader, raw: bytes, at: int, name: str) -> str:
    """One 20-byte algorithm slot as ``AH[h]`` or ``ESP[c,i]``; its last 8 bytes are ignored (§4.2)."""
    identifier, integrity, offer_type = (int.from_bytes(raw[start:start + 4], "little") for start in (0, 4, 8))
    if offer_type == _AH:
        if identifier not in _AH_HASHES:
            raise reader.error(f"{name} Algorithm-Identifier", f"unknown AH algorithm {identifier} (known: 1 MD5, 2 SHA1)", at)
        if integrity:
            raise reader.error(f"{name} ESP-Integrity-Identifier", f"{integrity} on an AH slot (expected 0)", at + 4)
        return f"AH[{_AH_HASHES[identifier]}]"
    if offer_type == _ESP:
        if identifier not in _ESP_CIPHERS:
            raise reader.error(f"{name} Algorithm-Identifier", f"unknown ESP cipher {identifier} (known: 1 none, 2 DES, 3 3DES)", at)
        if integrity not in _ESP_INTEGRITY:
            raise reader.error(f"{name} ESP-Integrity-Identifier", f"unknown ESP integrity {integrity} (known: 0 none, 1 MD5, 2 SHA1)", at + 4)
        return f"ESP[{_ESP_CIPHERS[identifier]},{_ESP_INTEGRITY[integrity]}]"
    raise reader.error(f"{name} Offer-Type", f"unknown type {offer_type} (known: 1 AH, 2 ESP)", at + 8)


__all__ = [
    "ACTION_BLOCK", "ACTION_INPASS", "ACTION_NEGOTIATE", "ACTION_PERMIT", "NEGOTIATION_POLICY_TYPE", "TYPE_DEFAULT_RESPONSE",
    "TYPE_STANDARD", "NegotiationPolicy", "decode_negotiation_policy",
]
