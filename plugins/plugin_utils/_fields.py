# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. One row per netsh field, read and written from the same row.

Each :class:`Field` ties a model attribute to the label netsh prints in show output and to the
keyword it takes on the command line, with a converter each way. The parser (``_parse``) reads with
``read``; the renderer (``_render``) writes with ``keyword`` and ``write``; the script importer
(``_script_store``) reads a command line a user wrote with ``arg``. A field therefore cannot be
added to one direction and forgotten in the other; ``tests/unit/plugins/plugin_utils/test_fields.py``
checks that every model attribute has a row.

Readers take the printed value and the :class:`~._labels.Language` it is printed in, and raise
``ValueError`` on anything they do not recognise (the parser adds the command and the line).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ._addresses import AddressKind, Endpoint
from ._labels import ANY, ANY_ADDRESS, MY_ADDRESS, NO, NONE, YES, Language
from ._methods import AuthKind, AuthMethod, main_mode_method, quick_mode_method
from ._numbers import is_decimal
from ._model import PROTOCOL_NAMES, PROTOCOL_NUMBERS, Action, ConnectionType

Reader = Callable[[str, Language], object]
Writer = Callable[[object], str]
ArgReader = Callable[[str], object]


@dataclass(frozen=True)
class Field:
    """One netsh field.

    Attributes:
        attr: attribute of the model class.
        label: English label in show output (translated through :class:`~._labels.Language`).
        keyword: tag on ``add``/``set`` command lines.
        read: printed value -> model value; raises ``ValueError``.
        write: model value -> command-line value.
        arg: a command-line value as a script writes it -> model value; raises ``ValueError``.
    """

    attr: str
    label: str
    keyword: str
    read: Reader
    write: Writer
    arg: ArgReader


# --- readers -------------------------------------------------------------------------------------


def read_name(text: str, language: Language) -> str:
    if not text:
        raise ValueError("a name cannot be empty")
    return text


def read_text(text: str, language: Language) -> str:
    # netsh prints NONE for an empty string (SYNTAX.md §7.1).
    return "" if language.english_value(text) == NONE else text


def read_bool(text: str, language: Language) -> bool:
    value = language.english_value(text)
    if value not in (YES, NO):
        raise ValueError(f"expected {language.values[YES]} or {language.values[NO]}")
    return value == YES


def read_count(text: str, language: Language) -> int:
    if not is_decimal(text):
        raise ValueError("expected a whole number")
    return int(text)


def read_minutes(text: str, language: Language) -> int:
    # "Polling Interval: 180 minutes" [S5]; the unit word is printed in English only as far as known.
    number, dummy, unit = text.partition(" ")
    if not is_decimal(number) or unit != "minutes":
        raise ValueError("expected '<number> minutes'")
    return int(number)


def read_protocol(text: str, language: Language) -> int:
    value = language.english_value(text)
    if value.lower() in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[value.lower()]
    if is_decimal(value) and int(value) <= 255:
        return int(value)
    raise ValueError("expected ANY, ICMP, TCP, UDP, RAW or a protocol number")


def read_port(text: str, language: Language) -> int:
    value = language.english_value(text)
    if value == ANY:
        return 0
    if is_decimal(value) and int(value) <= 65535:
        return int(value)
    raise ValueError("expected ANY or a port number")


def _read_enum(enum_type) -> Reader:
    def read(text: str, language: Language):
        try:
            return enum_type(text.lower())
        except ValueError:
            raise ValueError(f"expected one of {', '.join(member.value.upper() for member in enum_type)}") from None

    return read


def _read_methods(canonical: Callable[..., str]) -> Reader:
    def read(text: str, language: Language) -> tuple[str, ...]:
        if language.english_value(text) == NONE:
            return ()
        return tuple(canonical(word) for word in text.split())

    return read


# --- command-line values, as scripts write them -----------------------------------------------------


def arg_name(text: str) -> str:
    if not text:
        raise ValueError("a name cannot be empty")
    return text


def arg_text(text: str) -> str:
    return text


def arg_bool(text: str) -> bool:
    # yes/no and y/n in any case: SYNTAX.md §2 "Booleans" ([S2][S5][S6]); REAL-WORLD.md counts assign=y in 15 scripts.
    value = text.lower()
    if value not in ("yes", "no", "y", "n"):
        raise ValueError("expected yes, no, y or n")
    return value in ("yes", "y")


def arg_number(text: str) -> int:
    if not is_decimal(text):
        raise ValueError("expected a whole number")
    return int(text)


def arg_protocol(text: str) -> int:
    # ANY | ICMP | TCP | UDP | RAW | <integer> (SYNTAX.md §3.2), any case (REAL-WORLD.md: tcp 19, TCP 19).
    if text.lower() in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[text.lower()]
    if is_decimal(text) and int(text) <= 255:
        return int(text)
    raise ValueError("expected ANY, ICMP, TCP, UDP, RAW or a protocol number 0-255")


def arg_port(text: str) -> int:
    # "A value of 0 means any port." (SYNTAX.md §3.3)
    if is_decimal(text) and int(text) <= 65535:
        return int(text)
    raise ValueError("expected a port number 0-65535 (0 for any)")


def _arg_enum(enum_type) -> ArgReader:
    def arg(text: str):
        try:
            return enum_type(text.lower())
        except ValueError:
            raise ValueError(f"expected one of {', '.join(member.value for member in enum_type)}") from None

    return arg


def _arg_methods(canonical: Callable[..., str]) -> ArgReader:
    def arg(text: str) -> tuple[str, ...]:
        try:
            return tuple(canonical(word) for word in text.split())
        except Exception as error:  # InvalidInput naming the method
            raise ValueError(getattr(error, "reason", str(error))) from None

    return arg


# --- writers -------------------------------------------------------------------------------------


def write_text(value: object) -> str:
    return str(value)


def write_bool(value: object) -> str:
    return "yes" if value else "no"


def write_number(value: object) -> str:
    return str(int(value))  # type: ignore[arg-type]


def write_protocol(value: object) -> str:
    return PROTOCOL_NAMES.get(value, str(value))  # type: ignore[arg-type]


def write_enum(value: object) -> str:
    return value.value  # type: ignore[attr-defined]


def write_methods(value: object) -> str:
    return " ".join(value)  # type: ignore[arg-type]


# --- the tables ----------------------------------------------------------------------------------

_DESCRIPTION = Field("description", "Description", "description", read_text, write_text, arg_text)
_QM_METHODS = Field("qm_security_methods", "QM Sec. Methods", "qmsecmethods", _read_methods(quick_mode_method), write_methods,
                    _arg_methods(quick_mode_method))
_QMPFS = Field("qmpfs", "QMPFS", "qmpfs", read_bool, write_bool, arg_bool)

FILTER_LIST_FIELDS = (
    Field("name", "FilterList Name", "name", read_name, write_text, arg_name),
    _DESCRIPTION,
)

FILTER_FIELDS = (
    _DESCRIPTION,
    Field("mirrored", "Mirrored", "mirrored", read_bool, write_bool, arg_bool),
    Field("protocol", "Protocol", "protocol", read_protocol, write_protocol, arg_protocol),
    Field("source_port", "Source Port", "srcport", read_port, write_number, arg_port),
    Field("destination_port", "Destination Port", "dstport", read_port, write_number, arg_port),
)

FILTER_ACTION_FIELDS = (
    Field("name", "FilterAction Name", "name", read_name, write_text, arg_name),
    _DESCRIPTION,
    Field("action", "Action", "action", _read_enum(Action), write_enum, _arg_enum(Action)),
    _QMPFS,
    Field("inpass", "Inbound Passthru", "inpass", read_bool, write_bool, arg_bool),
    Field("soft", "Soft Association", "soft", read_bool, write_bool, arg_bool),
    _QM_METHODS,
)

POLICY_FIELDS = (
    Field("name", "Policy Name", "name", read_name, write_text, arg_name),
    _DESCRIPTION,
    Field("assigned", "Assigned", "assign", read_bool, write_bool, arg_bool),
    Field("mmpfs", "Master PFS", "mmpfs", read_bool, write_bool, arg_bool),
    Field("polling_interval", "Polling Interval", "pollinginterval", read_minutes, write_number, arg_number),
    Field("mm_lifetime", "MM Lifetime", "mmlifetime", read_minutes, write_number, arg_number),
    Field("qm_per_mm", "QM Per MM", "qmpermm", read_count, write_number, arg_number),
    Field("mm_security_methods", "MM Sec. Methods", "mmsecmethods", _read_methods(main_mode_method), write_methods,
          _arg_methods(main_mode_method)),
)

DEFAULT_RULE_FIELDS = (
    Field("activate", "Activated", "activate", read_bool, write_bool, arg_bool),
    _QMPFS,
    _QM_METHODS,
)

RULE_FIELDS = (
    Field("name", "Rule Name", "name", read_name, write_text, arg_name),
    _DESCRIPTION,
    Field("activate", "Activated", "activate", read_bool, write_bool, arg_bool),
    Field("connection_type", "Conn. Type", "conntype", _read_enum(ConnectionType), write_enum, _arg_enum(ConnectionType)),
    Field("tunnel", "Tunnel Endpoint", "tunnel", read_text, write_text, arg_text),
    Field("filter_list", "FilterList Name", "filterlist", read_name, write_text, arg_name),
    Field("filter_action", "FilterAction Name", "filteraction", read_name, write_text, arg_name),
)

# Labels whose values we do not model: printed for information only.
IGNORED_LABELS = ("Store", "Last Modified", "GUID")
# Labels that announce how many filters or rules follow; the parser checks them.
FILTER_COUNT_LABEL, RULE_COUNT_LABEL = "No. of Filters", "No. of Rules"


# --- endpoints: three printed lines, two command-line tags ----------------------------------------


@dataclass(frozen=True)
class EndpointField:
    """The printed lines and the keywords of one filter endpoint."""

    attr: str
    address_label: str
    mask_label: str
    dns_label: str
    address_keyword: str
    mask_keyword: str


ENDPOINT_FIELDS = (
    EndpointField("source", "Source IP Address", "Source Mask", "Source DNS Name", "srcaddr", "srcmask"),
    EndpointField("destination", "Destination IP Address", "Destination Mask", "Destination DNS Name", "dstaddr", "dstmask"),
)

# How server types are printed (A-07: assumed, no capture exists).
SERVER_DISPLAY = {"<DNS Servers>": "dns", "<WINS Servers>": "wins", "<DHCP Server>": "dhcp", "<Default Gateway>": "gateway"}


def read_endpoint(address: str, mask: str | None, dns_name: str | None, language: Language) -> Endpoint:
    """Turn the printed address, mask and DNS-name lines of one endpoint into an :class:`Endpoint`.

    The mask line is optional (absent for ``me`` in [S5], A-02). A DNS-name line that differs from
    the address line holds the name the filter was added with (A-06).

    Raises:
        ValueError: when the lines do not describe an endpoint.
    """
    value = language.english_value(address)
    if value == ANY_ADDRESS:
        return Endpoint(AddressKind.ANY)
    if value == MY_ADDRESS:
        return Endpoint(AddressKind.ME)
    if value in SERVER_DISPLAY:
        return Endpoint(AddressKind.SERVER, SERVER_DISPLAY[value])
    if dns_name is not None and dns_name != address and not dns_name.startswith("<"):
        endpoint = Endpoint.parse(dns_name, field="DNS name")
        if endpoint.kind is not AddressKind.DNS:
            raise ValueError(f"the DNS name line {dns_name!r} is not a DNS name")
        return endpoint
    try:
        return Endpoint.parse(address, mask if "-" not in address else None, field="address")
    except Exception as error:  # InvalidInput from a malformed printed address
        raise ValueError(str(error)) from None


def write_endpoint(endpoint: Endpoint, spec: EndpointField) -> tuple[str, ...]:
    """The ``srcaddr=`` (and ``srcmask=`` when a mask applies) arguments for ``endpoint``."""
    arguments = [f"{spec.address_keyword}={endpoint.netsh_address()}"]
    mask = endpoint.netsh_mask()
    if mask is not None:
        arguments.append(f"{spec.mask_keyword}={mask}")
    return tuple(arguments)


# --- authentication methods: one printed line each, one tag each ----------------------------------

AUTH_LABEL = "Auth Method"
_KERBEROS_TEXT, _PSK_PREFIX, _ROOTCA_PREFIX = "Kerberos", "Preshared Key = ", "Root CA = "


def read_auth_method(text: str, language: Language) -> AuthMethod:
    """Read one ``Auth Method`` line (A-17): ``Kerberos``, ``Preshared Key = k`` or
    ``Root CA = <cert>, CertMap = YES, ExcludeCAName = NO``."""
    if text == _KERBEROS_TEXT:
        return AuthMethod(AuthKind.KERBEROS)
    if text.startswith(_PSK_PREFIX):
        return AuthMethod(AuthKind.PRESHARED_KEY, text[len(_PSK_PREFIX):])
    if text.startswith(_ROOTCA_PREFIX):
        rest, dummy, exclude = text[len(_ROOTCA_PREFIX):].rpartition(", ExcludeCAName = ")
        certificate, dummy, certmap = rest.rpartition(", CertMap = ")
        if not certificate:
            raise ValueError("expected 'Root CA = <certificate>, CertMap = YES|NO, ExcludeCAName = YES|NO'")
        return AuthMethod(AuthKind.ROOT_CA, certificate, read_bool(certmap, language), read_bool(exclude, language))
    raise ValueError("expected Kerberos, 'Preshared Key = ...' or 'Root CA = ...'")


def write_auth_method(method: AuthMethod) -> str:
    """The ``kerberos=``, ``psk=`` or ``rootca=`` argument for one method ([S2] usage of add rule)."""
    if method.kind is AuthKind.KERBEROS:
        return "kerberos=yes"
    if method.kind is AuthKind.PRESHARED_KEY:
        return f"psk={method.secret_or_ca}"
    flags = f"certmap:{write_bool(method.certmap)} excludecaname:{write_bool(method.exclude_ca_name)}"
    return f"rootca={method.secret_or_ca} {flags}"


__all__ = [
    "AUTH_LABEL",
    "DEFAULT_RULE_FIELDS",
    "ENDPOINT_FIELDS",
    "FILTER_ACTION_FIELDS",
    "FILTER_COUNT_LABEL",
    "FILTER_FIELDS",
    "FILTER_LIST_FIELDS",
    "IGNORED_LABELS",
    "POLICY_FIELDS",
    "RULE_COUNT_LABEL",
    "RULE_FIELDS",
    "SERVER_DISPLAY",
    "EndpointField",
    "Field",
    "read_auth_method",
    "read_endpoint",
    "write_auth_method",
    "write_endpoint",
]
