# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Security and authentication methods in canonical form.

Formats from the netsh help text (SYNTAX.md §3.4, §3.5; [S2][S3]):

* quick mode: ``ESP[ConfAlg,AuthAlg]:k/s``, ``AH[HashAlg]:k/s``, ``AH[HashAlg]+ESP[ConfAlg,AuthAlg]:k/s``
  with ConfAlg ``DES|3DES|None``, AuthAlg ``MD5|SHA1|None``, HashAlg ``MD5|SHA1``; k is a lifetime in
  kilobytes and s in seconds, each optional.
* main mode: ``ConfAlg-HashAlg-GroupNum`` with ConfAlg ``DES|3DES``, HashAlg ``MD5|SHA1``, GroupNum
  ``1|2|3``.
* authentication: Kerberos, a pre-shared key, or a root CA with ``certmap`` and ``excludecaname``.

AES is not in the static context's help text, so it is refused (SYNTAX.md §3.4).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from ._errors import InvalidInput

_CONF = {"des": "DES", "3des": "3DES", "none": "None"}
_AUTH = {"md5": "MD5", "sha1": "SHA1", "none": "None"}
_HASH = {"md5": "MD5", "sha1": "SHA1"}

_QM = re.compile(
    r"^(?:(?P<ah>ah\[(?P<hash>[a-z0-9]+)\])(?P<plus>\+)?)?"
    r"(?P<esp>esp\[(?P<conf>[a-z0-9]+),(?P<auth>[a-z0-9]+)\])?"
    r"(?::(?P<kb>[0-9]+)k(?:/(?P<sec>[0-9]+)s)?|:(?P<sec_only>[0-9]+)s)?$"
)
# A quick-mode lifetime is a 32-bit count of kilobytes or seconds, and 0 is refused (A-62).
MAX_LIFETIME = 2**32 - 1
_MM = re.compile(r"^(?P<conf>[a-z0-9]+)-(?P<hash>[a-z0-9]+)-(?P<group>[0-9]+)$")


def quick_mode_method(text: object, *, field: str = "qm_security_methods") -> str:
    """Return the canonical spelling of one quick-mode method, e.g. ``ESP[3DES,SHA1]:100000k/3600s``.

    Raises:
        InvalidInput: when ``text`` is not one of the documented forms, or a lifetime is 0 or above
            :data:`MAX_LIFETIME`.
    """
    match = _QM.match(str(text).strip().lower()) if isinstance(text, str) else None
    if not match or not (match["ah"] or match["esp"]) or bool(match["plus"]) != bool(match["ah"] and match["esp"]):
        raise InvalidInput(field, text, "expected ESP[conf,auth], AH[hash] or AH[hash]+ESP[conf,auth], optionally :<kb>k/<s>s")
    parts = []
    if match["ah"]:
        parts.append(f"AH[{_pick(_HASH, match['hash'], field, text)}]")
    if match["esp"]:
        conf = _pick(_CONF, match["conf"], field, text)
        auth = _pick(_AUTH, match["auth"], field, text)
        if conf == "None" and auth == "None":
            raise InvalidInput(field, text, "ESP needs an encryption or an integrity algorithm")
        parts.append(f"ESP[{conf},{auth}]")
    method = "+".join(parts)
    seconds = match["sec"] or match["sec_only"]
    for value, unit in ((match["kb"], "kilobytes"), (seconds, "seconds")):
        if value is not None and not 1 <= int(value) <= MAX_LIFETIME:
            raise InvalidInput(field, text, f"a lifetime in {unit} must be from 1 to {MAX_LIFETIME}")
    lifetimes = "/".join(f"{int(value)}{unit}" for value, unit in ((match["kb"], "k"), (seconds, "s")) if value)
    return f"{method}:{lifetimes}" if lifetimes else method


def main_mode_method(text: object, *, field: str = "mm_security_methods") -> str:
    """Return the canonical spelling of one main-mode method, e.g. ``3DES-SHA1-2``.

    Raises:
        InvalidInput: when ``text`` is not ``ConfAlg-HashAlg-GroupNum`` with documented values.
    """
    match = _MM.match(str(text).strip().lower()) if isinstance(text, str) else None
    if not match or match["conf"] not in ("des", "3des") or match["group"] not in ("1", "2", "3"):
        raise InvalidInput(field, text, "expected ConfAlg-HashAlg-GroupNum with DES|3DES, MD5|SHA1 and group 1|2|3")
    return f"{_CONF[match['conf']]}-{_pick(_HASH, match['hash'], field, text)}-{match['group']}"


def _pick(table: dict, key: str, field: str, text: object) -> str:
    try:
        return table[key]
    except KeyError:
        raise InvalidInput(field, text, f"unknown algorithm {key.upper()}; documented: {', '.join(sorted(set(table.values())))}") from None


class AuthKind(enum.Enum):
    """The three authentication methods of a rule (SYNTAX.md §3.5)."""

    KERBEROS = "kerberos"
    PRESHARED_KEY = "psk"
    ROOT_CA = "rootca"


@dataclass(frozen=True)
class AuthMethod:
    """One authentication method; a rule holds them in preference order.

    Attributes:
        kind: which method.
        secret_or_ca: the pre-shared key, or the root CA's distinguished name; ``""`` for Kerberos.
            Not shown in ``repr`` so that keys do not leak into logs.
        certmap: root CA only: map the certificate to an account.
        exclude_ca_name: root CA only: leave the CA name out of certificate requests.
    """

    kind: AuthKind
    secret_or_ca: str = field(default="", repr=False)
    certmap: bool = False
    exclude_ca_name: bool = False

    def __post_init__(self) -> None:
        if self.kind is AuthKind.KERBEROS and (self.secret_or_ca or self.certmap or self.exclude_ca_name):
            raise InvalidInput("auth_methods", self.kind.value, "kerberos takes no value")
        if self.kind is not AuthKind.KERBEROS and not self.secret_or_ca:
            raise InvalidInput("auth_methods", self.kind.value, "needs a value (the key or the CA name)")
        if self.kind is AuthKind.PRESHARED_KEY and (self.certmap or self.exclude_ca_name):
            raise InvalidInput("auth_methods", self.kind.value, "certmap and exclude_ca_name apply to root CAs only")


KERBEROS = AuthMethod(AuthKind.KERBEROS)

__all__ = ["KERBEROS", "MAX_LIFETIME", "AuthKind", "AuthMethod", "main_mode_method", "quick_mode_method"]
