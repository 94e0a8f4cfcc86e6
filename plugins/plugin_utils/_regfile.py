# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A regedit export (``.reg`` text) -> :class:`~._registry.RegistrySnapshot`.

The format as regedit writes it: a header line (``Windows Registry Editor Version 5.00``, or
``REGEDIT4`` for the older ANSI format), then sections ``[HKEY_...\\path]`` each followed by value
lines ``"name"=data`` (``@=data`` for the default value). Data is ``"text"`` (with ``\\\\`` and ``\\"``
escapes), ``dword:xxxxxxxx``, ``hex:bb,bb,...`` (binary) or ``hex(N):bb,...`` with the registry type
number ``N``; a line ending in ``\\`` continues on the next. Blank lines (also before the header, as a
template pasted into a YAML block may have) and ``;`` comment lines are skipped.

Only the store's keys are kept (GPIPSEC.md §1.2, §1.6): ``HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\
Microsoft\\Windows\\IPSec\\Policy\\Local`` (its own values and each direct subkey's values) and
``...\\IPSec\\GPTIPSECPolicy``, key paths compared without regard to case. **Every other key is
ignored** (its lines are still checked for syntax), including deeper subkeys of ``Policy\\Local``.

Refused with :class:`RegFileError` naming the line number and the line: a missing header, deletion
entries (``[-key]``, ``"value"=-``), a value before any key, a value given twice in one key, a root
other than the five ``HKEY_`` names, a registry type :class:`~._registry.ValueKind` cannot hold in a
kept key, and any line that is none of the above.
"""

from __future__ import annotations

import codecs
import re
from typing import Dict, List, Optional, Tuple

from ._errors import LockdownError
from ._registry import GROUP_POLICY, LOCAL_STORE, RegistryKey, RegistrySnapshot, RegistryValue, ValueKind

HEADER_V5 = "Windows Registry Editor Version 5.00"
HEADER_V4 = "REGEDIT4"
_ROOTS = ("HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG")
_ROOT_NAMES = {root.casefold() for root in _ROOTS}
# Key paths are compared component by component, each case-folded.
_LOCAL_PARTS = f"HKEY_LOCAL_MACHINE\\{LOCAL_STORE}".casefold().split("\\")
_GROUP_PARTS = f"HKEY_LOCAL_MACHINE\\{GROUP_POLICY}".casefold().split("\\")
# The names the snapshot gives the two fixed keys (as _registry_payload names them).
LOCAL_KEY_NAME = "Policy\\Local"
GROUP_KEY_NAME = "GPTIPSECPolicy"

_DWORD = re.compile(r"dword:([0-9A-Fa-f]{1,8})", re.IGNORECASE)
_HEX = re.compile(r"hex(?:\(([0-9A-Fa-f]{1,8})\))?:(.*)", re.IGNORECASE | re.DOTALL)
_HEX_BYTE = re.compile(r"[0-9A-Fa-f]{2}")
# Registry type numbers (winnt.h REG_*) and what ValueKind holds them; the others (0 NONE, 5
# DWORD_BIG_ENDIAN, 6 LINK, 8-10 resource lists) have no ValueKind.
_REG_SZ, _REG_EXPAND_SZ, _REG_BINARY, _REG_DWORD, _REG_MULTI_SZ, _REG_QWORD = 1, 2, 3, 4, 7, 11
_TYPE_NAMES = {0: "REG_NONE", 5: "REG_DWORD_BIG_ENDIAN", 6: "REG_LINK", 8: "REG_RESOURCE_LIST",
               9: "REG_FULL_RESOURCE_DESCRIPTOR", 10: "REG_RESOURCE_REQUIREMENTS_LIST"}


class RegFileError(LockdownError):
    """A ``.reg`` export that cannot be read as regedit writes one.

    Attributes:
        line_number: 1-based number of the offending line (of its first line, for a continued one);
            0 when the problem is the file's bytes as a whole.
        line: the offending line, or ``""``.
        reason: what was expected.
    """

    def __init__(self, line_number: int, line: str, reason: str) -> None:
        self.line_number = line_number
        self.line = line
        self.reason = reason
        where = f" (line {line_number}: {_clip(line)!r})" if line_number else ""
        super().__init__(f"cannot read the registry export: {reason}{where}")


def decode_reg_bytes(data: bytes) -> str:
    """The text of a ``.reg`` file: UTF-16 when it starts with a UTF-16 byte order mark (as regedit
    writes version 5.00 files), else UTF-8 (an optional UTF-8 BOM is dropped). The result has no BOM.

    Raises:
        RegFileError: the bytes are not valid in that encoding (naming the line), or hold NUL bytes
            without a UTF-16 byte order mark.
    """
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8")):
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        body, codec = data, "utf-8"
        if b"\x00" in data:
            raise RegFileError(0, "", "the file holds NUL bytes but no UTF-16 byte order mark (UTF-16 without a BOM is not read)")
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        line_number = body[:error.start].decode(codec, errors="replace").count("\n") + 1
        raise RegFileError(line_number, "", f"not valid {codec.upper()} text: {error.reason} at byte {error.start}") from None


class _Key:
    """A kept key being collected: its name in the snapshot and its values in file order."""

    __slots__ = ("name", "values", "names")

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: List[RegistryValue] = []
        self.names: Dict[str, int] = {}

    def add(self, number: int, line: str, value: RegistryValue) -> None:
        """Keep ``value`` (read at line ``number``); a value name given twice is refused."""
        folded = value.name.casefold()
        if folded in self.names:
            raise RegFileError(number, line, f"the value {value.name or '@'!r} is given twice in this key (first in line {self.names[folded]})")
        self.names[folded] = number
        self.values.append(value)


class _Sections:
    """The kept keys by role; the same key in several sections collects all their values."""

    def __init__(self) -> None:
        self.local: Optional[_Key] = None
        self.group: Optional[_Key] = None
        self.objects: Dict[str, _Key] = {}

    def open(self, parts: List[str]) -> Optional[_Key]:
        """The key a section's path names, or ``None`` for a key the store does not use."""
        folded = [part.casefold() for part in parts]
        if folded == _LOCAL_PARTS:
            self.local = self.local or _Key(LOCAL_KEY_NAME)
            return self.local
        if folded == _GROUP_PARTS:
            self.group = self.group or _Key(GROUP_KEY_NAME)
            return self.group
        if len(parts) == len(_LOCAL_PARTS) + 1 and folded[:-1] == _LOCAL_PARTS:
            return self.objects.setdefault(folded[-1], _Key(parts[-1]))
        return None

    def snapshot(self) -> RegistrySnapshot:
        local = self.local if self.local is not None or not self.objects else _Key(LOCAL_KEY_NAME)
        return RegistrySnapshot(
            local=_frozen(local),
            objects=tuple(RegistryKey(key.name, tuple(key.values)) for key in self.objects.values()),
            group_policy=_frozen(self.group),
        )


def parse_reg_export(text: str) -> RegistrySnapshot:
    """Read the store's keys from the text of a regedit export (see the module docstring).

    ``local`` is ``None`` when the export holds neither ``Policy\\Local`` nor any of its subkeys; a
    subkey without its parent's section implies an empty ``Policy\\Local``. ``objects`` keep the order
    of the file, with the key names as the file spells them.

    Raises:
        RegFileError: naming the line number and the line (see the module docstring).
    """
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    # Blank lines before the header are skipped (a template pasted into a YAML block may start with one).
    first = next((at for at, line in enumerate(lines) if line.strip()), 0)
    header = lines[first].strip()
    if header not in (HEADER_V5, HEADER_V4):
        raise RegFileError(first + 1, lines[first], f"the first line must be {HEADER_V5!r} or {HEADER_V4!r}")
    sections = _Sections()
    current: Optional[_Key] = None
    in_key = False
    index = first + 1
    while index < len(lines):
        number, line = index + 1, lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            continue
        if stripped.startswith("["):
            current, in_key = sections.open(_key_path(number, line)), True
            continue
        if stripped[0] not in '"@':
            raise RegFileError(number, line, "expected a [key] line, a \"name\"=value line, @=value, a ; comment or a blank line")
        # A value's data may continue over lines that end in a backslash.
        while stripped.endswith("\\"):
            if index >= len(lines) or not lines[index].strip():
                raise RegFileError(number, line, "the value continues (ends in \\) but no continuation line follows")
            stripped = stripped[:-1] + lines[index].strip()
            index += 1
        if not in_key:
            raise RegFileError(number, line, "a value before the first [key] line")
        name, kind, data = _value(number, line, stripped, header == HEADER_V5, keep=current is not None)
        if current is not None:
            current.add(number, line, RegistryValue(name, kind, data))  # type: ignore[arg-type]
    return sections.snapshot()


def _frozen(key: Optional[_Key]) -> Optional[RegistryKey]:
    return None if key is None else RegistryKey(key.name, tuple(key.values))


def _key_path(number: int, line: str) -> List[str]:
    """The path components of a ``[path]`` line; refuses deletions, unknown roots and empty components."""
    stripped = line.strip()
    if not stripped.endswith("]"):
        raise RegFileError(number, line, "a key line must end in ]")
    path = stripped[1:-1]
    if path.startswith("-"):
        raise RegFileError(number, line, "a deletion entry ([-key]) is not an export of a store")
    parts = path.split("\\")
    if parts[0].casefold() not in _ROOT_NAMES:
        raise RegFileError(number, line, f"the key's root must be one of {', '.join(_ROOTS)}")
    if any(not part for part in parts):
        raise RegFileError(number, line, "an empty key name in the path")
    return parts


def _value(number: int, line: str, text: str, unicode: bool, *, keep: bool) -> Tuple[str, ValueKind, object]:
    """(name, kind, data) of one logical value line. With ``keep`` false the data is checked but a
    type that ValueKind cannot hold is not refused (the key is not kept)."""
    if text.startswith("@"):
        name, rest = "", text[1:]
    else:
        name, end = _quoted(number, line, text)
        rest = text[end:]
    rest = rest.lstrip()
    if not rest.startswith("="):
        raise RegFileError(number, line, "expected = after the value's name")
    data = rest[1:].strip()
    if data == "-":
        raise RegFileError(number, line, "a deletion entry (\"name\"=-) is not an export of a store")
    if data.startswith('"'):
        string, end = _quoted(number, line, data)
        if data[end:].strip():
            raise RegFileError(number, line, "unexpected text after the closing quote")
        return name, ValueKind.STRING, string
    match = _DWORD.fullmatch(data)
    if match:
        return name, ValueKind.DWORD, int(match.group(1), 16)
    match = _HEX.fullmatch(data)
    if match:
        reg_type = _REG_BINARY if match.group(1) is None else int(match.group(1), 16)
        return (name, *_typed(number, line, reg_type, _hex_bytes(number, line, match.group(2)), unicode, keep))
    raise RegFileError(number, line, 'expected "text", dword:xxxxxxxx, hex:.. or hex(N):.. after =')


def _quoted(number: int, line: str, text: str) -> Tuple[str, int]:
    """The string of a ``"..."`` at the start of ``text`` with ``\\\\`` and ``\\"`` unescaped, and the
    index after its closing quote."""
    out = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1:index + 2]
            if following not in ("\\", '"'):
                raise RegFileError(number, line, f"unknown escape \\{following} in a quoted string (only \\\\ and \\\" exist)")
            out.append(following)
            index += 2
        elif char == '"':
            return "".join(out), index + 1
        else:
            out.append(char)
            index += 1
    raise RegFileError(number, line, "a quoted string without its closing quote")


def _hex_bytes(number: int, line: str, text: str) -> bytes:
    """``bb,bb,...`` (two hex digits each, optional blanks) as bytes; empty text is no bytes."""
    if not text.strip():
        return b""
    parts = [part.strip() for part in text.split(",")]
    for part in parts:
        if not _HEX_BYTE.fullmatch(part):
            raise RegFileError(number, line, f"{part!r} is not a byte of two hex digits")
    return bytes(int(part, 16) for part in parts)


def _typed(number: int, line: str, reg_type: int, raw: bytes, unicode: bool, keep: bool) -> Tuple[ValueKind, object]:
    """The kind and data of ``hex(N):`` bytes."""
    if reg_type == _REG_BINARY:
        return ValueKind.BINARY, raw
    if reg_type in (_REG_DWORD, _REG_QWORD):
        size = 4 if reg_type == _REG_DWORD else 8
        if len(raw) != size:
            raise RegFileError(number, line, f"hex({reg_type:x}) needs exactly {size} bytes, not {len(raw)}")
        return (ValueKind.DWORD if size == 4 else ValueKind.QWORD), int.from_bytes(raw, "little")
    if reg_type in (_REG_SZ, _REG_EXPAND_SZ, _REG_MULTI_SZ):
        text = _text(number, line, raw, unicode)
        if reg_type == _REG_MULTI_SZ:
            return ValueKind.MULTI_STRING, _multi(number, line, text)
        # One terminating NUL is dropped; a NUL inside would cut the text where Windows reads it.
        text = text[:-1] if text.endswith("\x00") else text
        if "\x00" in text:
            raise RegFileError(number, line, f"a NUL inside a hex({reg_type:x}) string")
        return (ValueKind.STRING if reg_type == _REG_SZ else ValueKind.EXPAND_STRING), text
    if not keep:
        return ValueKind.BINARY, raw  # an ignored key: the syntax was checked, nothing is kept
    name = _TYPE_NAMES.get(reg_type, "an unknown registry type")
    raise RegFileError(number, line, f"hex({reg_type:x}) is {name}, which the store's keys never hold")


def _text(number: int, line: str, raw: bytes, unicode: bool) -> str:
    """String data: UTF-16LE in a version 5.00 export; in a REGEDIT4 export the ANSI code page, which
    the file does not name, so only ASCII is accepted."""
    if unicode:
        if len(raw) % 2:
            raise RegFileError(number, line, "UTF-16LE string data with an odd number of bytes")
        try:
            return raw.decode("utf-16-le")
        except UnicodeDecodeError as error:
            raise RegFileError(number, line, f"not valid UTF-16LE: {error.reason}") from None
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise RegFileError(number, line, "REGEDIT4 string data in an unnamed ANSI code page: only ASCII is read") from None


def _multi(number: int, line: str, text: str) -> Tuple[str, ...]:
    """REG_MULTI_SZ text: strings each ending in NUL, then one more NUL (``a\\0b\\0\\0``); the final
    NUL may be missing, and no data or a lone NUL is the empty list."""
    if text in ("", "\x00"):
        return ()
    if not text.endswith("\x00"):
        raise RegFileError(number, line, "REG_MULTI_SZ data must end in a NUL")
    body = text[:-2] if text.endswith("\x00\x00") else text[:-1]
    return tuple(body.split("\x00"))


def _clip(line: str) -> str:
    return line if len(line) <= 120 else line[:120] + "..."


__all__ = ["HEADER_V4", "HEADER_V5", "RegFileError", "decode_reg_bytes", "parse_reg_export"]
