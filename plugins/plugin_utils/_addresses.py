# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Filter endpoints (source or destination) in one canonical form.

netsh accepts an address in many spellings (SYNTAX.md §3.1): ``me``, ``any``, an IPv4 or IPv6
literal with an optional mask (dotted or a prefix 1-32), a range ``a-b``, a DNS name, or a server
type. :meth:`Endpoint.parse` turns every spelling into one canonical :class:`Endpoint`, so that
``any`` and ``0.0.0.0`` with mask ``0.0.0.0`` compare equal, and so do ``10.0.0.5`` and
``10.0.0.5/32`` and ``10.0.0.5`` with mask ``255.255.255.255``.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass

from ._errors import InvalidInput
from ._numbers import is_decimal


class AddressKind(enum.Enum):
    """What an endpoint denotes."""

    ANY = "any"
    ME = "me"
    IP = "ip"  # an IPv4 host or subnet, or an IPv6 host
    RANGE = "range"
    DNS = "dns"  # a DNS name, resolved by netsh when the filter is added
    SERVER = "server"  # one of SERVER_TYPES


# "Server type can be WINS, DNS, DHCP or GATEWAY." [S3]
SERVER_TYPES = ("dns", "wins", "dhcp", "gateway")

_HOSTNAME_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

_ADDRESS_HELP = (
    "expected any, me, dns, wins, dhcp, gateway, an IPv4 or IPv6 address, an IPv4 subnet "
    "(a.b.c.d/nn or with a mask), a range a-b, or a DNS name"
)


@dataclass(frozen=True)
class Endpoint:
    """One side of a filter.

    Attributes:
        kind: what the endpoint denotes.
        value: canonical text: the address (IPv4 dotted, IPv6 RFC 5952), ``start-end`` for a range,
            the lower-case DNS name, or the lower-case server type; ``""`` for ``any`` and ``me``.
        prefix: for :attr:`AddressKind.IP` only, the prefix length (32 or less for IPv4, 128 for IPv6).
    """

    kind: AddressKind
    value: str = ""
    prefix: int | None = None

    @classmethod
    def parse(cls, text: object, mask: object = None, *, field: str = "address") -> Endpoint:
        """Canonicalise a user- or netsh-supplied address and optional mask.

        Args:
            text: the address in any netsh spelling; CIDR ``a.b.c.d/nn`` is accepted too.
            mask: ``None``, a dotted IPv4 mask, or a prefix length (int or digit string).
            field: option name used in error messages.

        Raises:
            InvalidInput: naming ``field`` (or ``field`` + ``_mask``) and the value.
        """
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(field, text, _ADDRESS_HELP)
        word = text.strip().lower()
        if word == "any":
            _require_any_mask(mask, field)
            return cls(AddressKind.ANY)
        if word == "me":
            _require_no_mask(mask, field, "me")
            return cls(AddressKind.ME)
        if word in SERVER_TYPES:
            _require_no_mask(mask, field, "a server type")
            return cls(AddressKind.SERVER, word)
        refuse_zone_index(word, field, text)
        if "/" in word:
            if mask is not None:
                raise InvalidInput(f"{field}_mask", mask, "give the mask either as /nn on the address or as a mask, not both")
            address, dummy, prefix_text = word.partition("/")
            literal = _ip_or_none(address)
            if literal is None:
                raise InvalidInput(field, text, _ADDRESS_HELP)
            try:
                return _ip_endpoint(literal, prefix_text, field, text)
            except InvalidInput as error:
                # The prefix came with the address: name the option the user wrote, with what he wrote.
                raise InvalidInput(field, text, error.reason) from None
        literal = _ip_or_none(word)
        if literal is not None:
            return _ip_endpoint(literal, mask, field, text)
        if "-" in word and word.count("-") == 1:
            start, end = (_ip_or_none(part) for part in word.split("-"))
            if start is not None or end is not None:
                return _range_endpoint(start, end, mask, field, text)
        if _is_hostname(word):
            _require_no_mask(mask, field, "a DNS name")
            return cls(AddressKind.DNS, word)
        raise InvalidInput(field, text, _ADDRESS_HELP)

    def netsh_mask(self) -> str | None:
        """The dotted mask netsh takes for this endpoint, or ``None`` when no mask applies."""
        if self.kind is AddressKind.IP and ":" not in self.value:
            return str(ipaddress.IPv4Network(f"0.0.0.0/{self.prefix}").netmask)
        return None

    def netsh_address(self) -> str:
        """The address as netsh takes it on the command line (``srcaddr=`` / ``dstaddr=``)."""
        if self.kind is AddressKind.ANY:
            return "any"
        if self.kind is AddressKind.ME:
            return "me"
        if self.kind is AddressKind.SERVER:
            return self.value.upper()
        return self.value

    def __str__(self) -> str:
        """The canonical user-facing spelling, accepted back by :meth:`parse`."""
        if self.kind is AddressKind.IP and self.netsh_mask() is not None and self.prefix != 32:
            return f"{self.value}/{self.prefix}"
        return self.netsh_address() if self.kind is not AddressKind.SERVER else self.value

    def sort_key(self) -> tuple:
        """A total order for stable output: kind, then value, then prefix."""
        return (self.kind.value, self.value, self.prefix or 0)


ANY = Endpoint(AddressKind.ANY)
ME = Endpoint(AddressKind.ME)


def _ip_or_none(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` spells, or ``None``; never one with a zone index (see :func:`refuse_zone_index`)."""
    if "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def refuse_zone_index(text: str, field: str, original: object) -> None:
    """Refuse an IPv6 address with a zone index (``fe80::1%eth0``): Python's ``ipaddress`` takes one,
    netsh's address syntax has none (SYNTAX.md §3.1), so it would be refused half-way through a write.

    ``text`` may be an address, a range ``a-b`` or ``address/prefix``.

    Raises:
        InvalidInput: naming ``field`` and ``original``.
    """
    for part in text.replace("/", "-").split("-"):
        if "%" in part and _ip_or_none(part.partition("%")[0]) is not None:
            raise InvalidInput(field, original, "an IPv6 zone index (the %... after the address) cannot be given to netsh: leave it out")


def _ip_endpoint(literal, mask: object, field: str, original: str) -> Endpoint:
    if literal.version == 6:
        if mask not in (None, 128, "128"):
            # "srcmask: Source address mask or a prefix of 1 through 32" [S3]: IPv6 takes no mask.
            raise InvalidInput(f"{field}_mask", mask, "an IPv6 address takes no mask (netsh masks are IPv4 prefixes 1-32)")
        return Endpoint(AddressKind.IP, literal.compressed, 128)
    prefix = 32 if mask is None else _prefix_from_mask(mask, f"{field}_mask")
    if int(literal) == 0:
        if prefix == 0:
            return Endpoint(AddressKind.ANY)
        raise InvalidInput(field, original, "0.0.0.0 is only meaningful with mask 0.0.0.0; write any")
    if prefix == 0:
        raise InvalidInput(f"{field}_mask", mask, "mask 0.0.0.0 (prefix 0) is only meaningful with any")
    return Endpoint(AddressKind.IP, literal.compressed, prefix)


def _range_endpoint(start, end, mask: object, field: str, original: str) -> Endpoint:
    # "the endpoints need to be specific addresses (not lists, or subnets) and of the same type" [S3]
    if start is None or end is None or start.version != end.version:
        raise InvalidInput(field, original, "a range needs two addresses of the same family, a-b")
    if int(start) > int(end):
        raise InvalidInput(field, original, "a range must start at its lower address")
    if mask is not None:
        # "Not applicable if srcaddr is set to a range" [S3]
        raise InvalidInput(f"{field}_mask", mask, "a mask does not apply to an address range")
    return Endpoint(AddressKind.RANGE, f"{start.compressed}-{end.compressed}")


def _prefix_from_mask(mask: object, field: str) -> int:
    if isinstance(mask, bool):
        raise InvalidInput(field, mask, "expected a dotted IPv4 mask or a prefix length 0-32")
    text = str(mask).strip()
    if is_decimal(text):
        prefix = int(text)
        if prefix > 32:
            raise InvalidInput(field, mask, "a prefix length must be 0-32")
        return prefix
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{text}").prefixlen
    except ValueError:
        raise InvalidInput(field, mask, "expected a dotted IPv4 mask with contiguous ones, or a prefix length 0-32") from None


def _require_no_mask(mask: object, field: str, what: str) -> None:
    if mask is not None:
        raise InvalidInput(f"{field}_mask", mask, f"a mask does not apply to {what}")


def _require_any_mask(mask: object, field: str) -> None:
    if mask is not None and str(mask).strip() not in ("0", "0.0.0.0"):
        raise InvalidInput(f"{field}_mask", mask, "any takes no mask other than 0.0.0.0")


def _is_hostname(word: str) -> bool:
    if len(word) > 253 or word.endswith("."):
        return False
    labels = word.split(".")
    return all(_HOSTNAME_LABEL.match(label) for label in labels) and not labels[-1].isdigit()


__all__ = ["ANY", "ME", "SERVER_TYPES", "AddressKind", "Endpoint", "refuse_zone_index"]
