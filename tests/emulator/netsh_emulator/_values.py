"""Parsing and normalising parameter values (SYNTAX.md §3, format doc §2).

Contract: every ``parse_*`` function takes the tag name (for messages) and the raw value string
and returns the normalised value, or raises :class:`~._messages.InvalidValue` (or
``IpsecError`` for unresolvable DNS names). Normalised forms are what the store keeps and what
``_show`` prints: canonical upper-case security methods, dotted masks, RFC 5952 IPv6 text.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass

from . import _messages as msg
from ._messages import InvalidValue

_MAX_INT = 2**31 - 1


# --- scalars ------------------------------------------------------------------------------------

def parse_bool(tag: str, value: str) -> bool:
    """``yes``/``no``/``y``/``n``, any case (SYNTAX.md §2 "Booleans" [S2][S5][S6][S20])."""
    low = value.strip().lower()
    if low in ("yes", "y"):
        return True
    if low in ("no", "n"):
        return False
    raise InvalidValue(tag, value, "expected yes or no")


def parse_int(tag: str, value: str, low: int = 0, high: int = _MAX_INT) -> int:
    """A decimal integer in ``[low, high]``."""
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise InvalidValue(tag, value, "expected a decimal integer")
    number = int(text)
    if not low <= number <= high:
        raise InvalidValue(tag, value, f"expected an integer from {low} to {high}")
    return number


def parse_enum(tag: str, value: str, choices: tuple[str, ...]) -> str:
    """One of *choices* (lower-case), matched case-insensitively (``action=PERMIT`` [S27])."""
    low = value.strip().lower()
    if low not in choices:
        raise InvalidValue(tag, value, "expected one of " + ", ".join(choices))
    return low


#: Protocol keywords and their numbers (SYNTAX.md §3.2 [S2][S3]; numbers per IANA).
PROTOCOLS = {"any": 0, "icmp": 1, "tcp": 6, "udp": 17, "raw": 255}


def parse_protocol(tag: str, value: str) -> int:
    """``ANY|ICMP|TCP|UDP|RAW|0-255`` -> protocol number (0 = any)."""
    low = value.strip().lower()
    if low in PROTOCOLS:
        return PROTOCOLS[low]
    if low.isdigit() and low.isascii() and int(low) <= 255:
        return int(low)
    raise InvalidValue(tag, value, "expected ANY, ICMP, TCP, UDP, RAW or an integer from 0 to 255")


def parse_port(tag: str, value: str) -> int:
    """A single port 0-65535; 0 means any (SYNTAX.md §3.3)."""
    return parse_int(tag, value, 0, 65535)


# --- addresses ------------------------------------------------------------------------------------

#: Server-type keywords and how they print (format doc §2, A-07).
SERVER_TYPES = {"dns": "<DNS Servers>", "wins": "<WINS Servers>", "dhcp": "<DHCP Server>",
                "gateway": "<Default Gateway>"}

_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


@dataclass(frozen=True)
class Endpoint:
    """One side of a filter.

    ``kind``: any | me | ipv4 | ipv6 | range | dns | server. ``value``: canonical address
    (ipv4/ipv6), ``a-b`` (range), the resolved IPv4 address (dns), the server keyword in upper case
    (server); empty for any/me. ``name``: the DNS name as typed (dns only). ``mask``: the effective
    dotted mask, or None when the output has no mask line (me, IPv6, range, server: A-02, A-04,
    A-05, A-07).
    """

    kind: str
    value: str = ""
    name: str = ""
    mask: str | None = None

    def identity(self) -> tuple[str, str]:
        """What two endpoints must share to be "the same address" (mask excluded)."""
        if self.kind == "dns":
            return (self.kind, self.name.lower().rstrip("."))
        return (self.kind, self.value)

    def to_json(self) -> dict:
        return {"kind": self.kind, "value": self.value, "name": self.name, "mask": self.mask}

    @classmethod
    def from_json(cls, data: dict) -> "Endpoint":
        return cls(data["kind"], data.get("value", ""), data.get("name", ""), data.get("mask"))


def _ipv4(text: str) -> str | None:
    m = _IPV4.match(text)
    if not m or any(int(p) > 255 for p in m.groups()):
        return None
    return ".".join(str(int(p)) for p in m.groups())


def _ipv6(text: str) -> str | None:
    if ":" not in text or "%" in text:
        return None
    try:
        return ipaddress.IPv6Address(text).compressed  # RFC 5952 form
    except ValueError:
        return None


def resolve_dns(tag: str, name: str) -> str:
    """Resolve *name* without network access: sha256 of the lower-cased name mapped into
    198.18.0.0/15 (RFC 2544 benchmarking space), skipping the first and last address. INVENTED.
    Names ending in ``.invalid`` (RFC 2606) never resolve, so tests can provoke the failure."""
    key = name.lower().rstrip(".")
    if key == "invalid" or key.endswith(".invalid"):
        raise msg.dns_unresolved(tag, name)
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    offset = 1 + digest % (2**17 - 2)
    return str(ipaddress.IPv4Address(int(ipaddress.IPv4Address("198.18.0.0")) + offset))


def parse_address(tag: str, value: str) -> Endpoint:
    """``any``, ``me``, IPv4, IPv6, ``a-b`` range, server type or DNS name (SYNTAX.md §3.1).

    The returned endpoint has no mask yet; see :func:`with_mask`.
    """
    text = value.strip()
    low = text.lower()
    if low == "any":
        return Endpoint("any")
    if low == "me":
        return Endpoint("me")
    if low in SERVER_TYPES:
        return Endpoint("server", low.upper())
    v4 = _ipv4(text)
    if v4 is not None:
        return Endpoint("ipv4", v4)
    v6 = _ipv6(text)
    if v6 is not None:
        return Endpoint("ipv6", v6)
    if text.count("-") == 1:
        left, right = (p.strip() for p in text.split("-"))
        ends = [(_ipv4(p), _ipv6(p)) for p in (left, right)]
        if all(a or b for a, b in ends):
            return _range(tag, value, ends)
    if _HOSTNAME.match(text) and re.search(r"[A-Za-z_]", text) and len(text) <= 253:
        return Endpoint("dns", resolve_dns(tag, text), name=text)
    raise InvalidValue(tag, value, "expected any, me, an IPv4 or IPv6 address, an address range, "
                                   "a DNS name or a server type (DNS, WINS, DHCP, GATEWAY)")


def _range(tag: str, value: str, ends) -> Endpoint:
    (a4, a6), (b4, b6) = ends
    # "the endpoints need to be specific addresses ... and of the same type" [S2][S3]
    if bool(a4) != bool(b4):
        raise InvalidValue(tag, value, "both ends of a range must be IPv4 or both IPv6")
    first, last = (a4, b4) if a4 else (a6, b6)
    if ipaddress.ip_address(first) > ipaddress.ip_address(last):
        # INVENTED: the order rule is not documented
        raise InvalidValue(tag, value, "the first address of a range must not be above the last")
    return Endpoint("range", f"{first}-{last}")


def parse_mask(tag: str, value: str) -> str:
    """Dotted mask (contiguous) or prefix length 1-32 -> dotted mask (SYNTAX.md §3.1, A-03)."""
    text = value.strip()
    if text.isdigit() and text.isascii():
        prefix = int(text)
        if not 1 <= prefix <= 32:
            raise InvalidValue(tag, value, "a prefix must be from 1 to 32")
        return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)
    dotted = _ipv4(text)
    if dotted is None:
        raise InvalidValue(tag, value, "expected a dotted mask or a prefix from 1 to 32")
    bits = int(ipaddress.IPv4Address(dotted))
    inverted = ~bits & 0xFFFFFFFF
    if inverted & (inverted + 1):
        raise InvalidValue(tag, value, "the mask is not contiguous")
    return dotted


def with_mask(endpoint: Endpoint, mask_tag: str, mask_value: str | None) -> Endpoint:
    """Attach the effective mask to *endpoint* (format doc §2).

    * any: always ``0.0.0.0``, even when ``srcmask=32`` is given [S5][S6];
    * ipv4: the given mask or ``255.255.255.255`` (default INFERRED [S25][S14]);
    * dns: ``255.255.255.255`` (A-06);
    * range: a mask is an error ("Not applicable if srcaddr is set to a range" [S3]);
    * me, ipv6, server: no mask line; a given mask is validated and ignored (emulator choice).
    """
    mask = parse_mask(mask_tag, mask_value) if mask_value is not None else None
    kind = endpoint.kind
    if kind == "range" and mask is not None:
        raise InvalidValue(mask_tag, mask_value or "", "a mask is not applicable to an address range")
    effective = {"any": "0.0.0.0", "ipv4": mask or "255.255.255.255", "dns": "255.255.255.255"}.get(kind)
    return Endpoint(kind, endpoint.value, endpoint.name, effective)


def check_server_pair(src: Endpoint, dst: Endpoint, value_src: str, value_dst: str) -> None:
    """"If source is a server type, then dest is 'me' and vice-versa." [S2][S3]"""
    if src.kind == "server" and dst.kind != "me":
        raise InvalidValue("dstaddr", value_dst, "must be me when srcaddr is a server type")
    if dst.kind == "server" and src.kind != "me":
        raise InvalidValue("srcaddr", value_src, "must be me when dstaddr is a server type")


# --- security methods (SYNTAX.md §3.4) --------------------------------------------------------------

_MM = re.compile(r"^(3DES|DES)-(SHA1|MD5)-([123])$", re.IGNORECASE)
_ESP = r"ESP\[(3DES|DES|NONE),(SHA1|MD5|NONE)\]"
_AH = r"AH\[(SHA1|MD5)\]"
_QM = re.compile(rf"^(?:{_AH}\+{_ESP}|{_AH}|{_ESP})(?::(?:(\d+)K/(\d+)S|(\d+)K|(\d+)S))?$", re.IGNORECASE)
_CANON = {"3DES": "3DES", "DES": "DES", "NONE": "None", "SHA1": "SHA1", "MD5": "MD5"}


def parse_mm_methods(tag: str, value: str) -> list[str]:
    """Space-separated ``ConfAlg-HashAlg-GroupNum`` -> canonical upper case (``3DES-SHA1-2``)."""
    out = []
    for item in value.split():
        m = _MM.match(item)
        if not m:
            raise InvalidValue(tag, value, f'"{item}" is not ConfAlg-HashAlg-GroupNum '
                                           "(DES|3DES)-(MD5|SHA1)-(1|2|3)")
        out.append(f"{m.group(1).upper()}-{m.group(2).upper()}-{m.group(3)}")
    return out


def parse_qm_methods(tag: str, value: str) -> list[str]:
    """Space-separated quick-mode offers -> canonical ``ESP[3DES,SHA1]:100000k/3600s`` form.

    Lifetime may be ``k/s``, ``k`` only, ``s`` only (``ESP[3DES,SHA1]:3600s`` [S20]) or absent
    (emulator choice: kept absent). ``ESP[None,None]`` is rejected (INVENTED rule).
    """
    out = []
    for item in value.split():
        m = _QM.match(item)
        if not m:
            raise InvalidValue(tag, value, f'"{item}" is not ESP[ConfAlg,AuthAlg]:k/s, AH[HashAlg]:k/s '
                                           "or AH[HashAlg]+ESP[ConfAlg,AuthAlg]:k/s")
        ah1, esp1c, esp1a, ah2, esp2c, esp2a, kb_both, s_both, kb_only, s_only = m.groups()
        if ah1:
            core, esp = f"AH[{_CANON[ah1.upper()]}]+ESP[{_CANON[esp1c.upper()]},{_CANON[esp1a.upper()]}]", (esp1c, esp1a)
        elif ah2:
            core, esp = f"AH[{_CANON[ah2.upper()]}]", None
        else:
            core, esp = f"ESP[{_CANON[esp2c.upper()]},{_CANON[esp2a.upper()]}]", (esp2c, esp2a)
        if esp and esp[0].upper() == "NONE" and esp[1].upper() == "NONE":
            raise InvalidValue(tag, value, f'"{item}": ESP needs an encryption or an integrity algorithm')
        life = ""
        for number, unit in ((kb_both, "k"), (s_both, "s"), (kb_only, "k"), (s_only, "s")):
            if number is not None:
                if not 1 <= int(number) <= 2**32 - 1:
                    raise InvalidValue(tag, value, f'"{item}": lifetime out of range')
                life += ("/" if life else "") + f"{int(number)}{unit}"
        out.append(core + (":" + life if life else ""))
    return out


# --- authentication (SYNTAX.md §3.5) ----------------------------------------------------------------

_ROOTCA_OPT = re.compile(r"\s+(certmap|excludecaname):(\S+)\s*$", re.IGNORECASE)


def parse_rootca(tag: str, value: str) -> dict:
    """``"<certificate> certmap:(yes|no) excludecaname:(yes|no)"`` -> auth dict.

    The two options are optional (default no) and must follow the certificate. The certificate
    text is kept verbatim, ``\\'`` escapes included (how netsh stores them is UNKNOWN).
    """
    text = value.strip()
    opts: dict[str, bool] = {}
    while True:
        m = _ROOTCA_OPT.search(text)
        if not m:
            break
        key = m.group(1).lower()
        if key in opts:
            raise InvalidValue(tag, value, f"{key} is given twice")
        opts[key] = parse_bool(tag, m.group(2))
        text = text[: m.start()].rstrip()
    if not text or re.match(r"^(certmap|excludecaname):", text, re.IGNORECASE):
        raise InvalidValue(tag, value, "a certificate name is required")
    return {"kind": "rootca", "cert": text, "certmap": opts.get("certmap", False),
            "excludecaname": opts.get("excludecaname", False)}


def parse_auth(order: list[tuple[str, str]]) -> list[dict] | None:
    """Auth methods in command-line order from the ``(tag, value)`` list, or None when no
    auth tag was given. ``kerberos=no`` contributes nothing ("The preference of each
    authentication method is determined by its order in the command" [S3])."""
    methods: list[dict] = []
    seen = False
    for tag, value in order:
        if tag == "kerberos":
            seen = True
            if parse_bool(tag, value):
                methods.append({"kind": "kerberos"})
        elif tag == "psk":
            seen = True
            if value == "":
                raise InvalidValue(tag, value, "a preshared key must not be empty")
            methods.append({"kind": "psk", "key": value})
        elif tag == "rootca":
            seen = True
            methods.append(parse_rootca(tag, value))
    return methods if seen else None


def parse_tunnel(tag: str, value: str) -> str | None:
    """``tunnel=(ip|dns)``: empty -> no tunnel; IPv4/IPv6 literal; DNS name -> resolved address."""
    text = value.strip()
    if text == "":
        return None
    v4 = _ipv4(text)
    if v4 is not None:
        return v4
    v6 = _ipv6(text)
    if v6 is not None:
        return v6
    if text.lower() not in ("me", "any") and _HOSTNAME.match(text) and re.search(r"[A-Za-z_]", text):
        return resolve_dns(tag, text)
    raise InvalidValue(tag, value, "expected an IP address or a DNS name")
