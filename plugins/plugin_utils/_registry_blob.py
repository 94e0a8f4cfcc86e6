# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Reading ``ipsecData`` blobs: bounds-checked fields, framing, the error.

Every blob is a 16-byte type GUID, a 4-byte Data-Length and a body (GPIPSEC.md §2). Integers are
little-endian, IPv4 addresses are in network byte order (GPIPSEC.md §2, §7.1), and strings are a u32
byte count followed by UTF-16LE text that includes its NUL (GPIPSEC.md §2). :class:`BlobReader` reads
those fields one at a time and turns every shortfall or malformed field into a
:class:`RegistryDecodeError` that names the object's key, the field and the byte offset, so that no
``IndexError``, ``struct.error`` or ``UnicodeDecodeError`` ever leaves a decoder.

Data-Length is not a reliable end marker (GPIPSEC.md §2): decoders parse structurally and then check
the length against the conventions the real exports show, and the last bytes with :meth:`BlobReader.finish`.
"""

from __future__ import annotations

import re
import struct
import uuid
from typing import Optional

from ._errors import LockdownError

# Pre-compiled little-endian readers (GPIPSEC.md §2: "Integers are little-endian").
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_BE32 = struct.Struct(">I")

FRAME_SIZE = 20  # type GUID (16) + Data-Length (4), GPIPSEC.md §2
# A GUID as the registry values hold it: braced, hyphenated, either case (GPIPSEC.md §1.2, §4.1).
_BRACED_GUID = re.compile(r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}")


class RegistryDecodeError(LockdownError):
    """An object of the store's registry keys that the decoder does not understand. It never guesses.

    Attributes:
        key: the registry key of the object (e.g. ``ipsecNFA{...}``), or ``Policy\\Local``.
        field: what was being read: a blob field by the reference's name (``Interface-Type``,
            ``filter 3 Source-Port``) or a registry value by its name (``ipsecFilterReference``).
        offset: the byte offset of the field within ``ipsecData``; ``None`` for a registry value.
        reason: what was expected.
    """

    def __init__(self, key: str, field: str, reason: str, offset: Optional[int] = None) -> None:
        self.key = key
        self.field = field
        self.offset = offset
        self.reason = reason
        where = f" at byte offset {offset}" if offset is not None else ""
        super().__init__(f"cannot decode registry key {key!r}: {field}{where}: {reason}")


def braced_guid(text: object) -> Optional[uuid.UUID]:
    """The GUID ``text`` spells as ``{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`` in any case, else ``None``.

    Compared as GUIDs, so case never matters (W2000 wrote upper case, W10/11 lower, GPIPSEC.md §4.1).
    """
    if not isinstance(text, str) or not _BRACED_GUID.fullmatch(text):
        return None
    return uuid.UUID(text[1:-1])


def guid_text(value: uuid.UUID) -> str:
    """A GUID in the registry's braced, upper-case form, for messages: ``{80DC20B5-2EC8-11D1-...}``."""
    return "{" + str(value).upper() + "}"


class BlobReader:
    """Reads the fields of one blob in order; every read checks bounds first.

    Attributes:
        data: the whole blob.
        key: the object's key, for errors.
        offset: where the next field starts.
    """

    __slots__ = ("data", "key", "offset")

    def __init__(self, data: bytes, *, key: str, offset: int = 0) -> None:
        self.data = bytes(data)
        self.key = key
        self.offset = offset

    @property
    def remaining(self) -> int:
        """How many bytes are left after :attr:`offset`."""
        return len(self.data) - self.offset

    def error(self, field: str, reason: str, offset: Optional[int] = None) -> RegistryDecodeError:
        """A :class:`RegistryDecodeError` for ``field`` at ``offset`` (default: the current offset)."""
        return RegistryDecodeError(self.key, field, reason, self.offset if offset is None else offset)

    def take(self, size: int, field: str) -> bytes:
        """The next ``size`` bytes.

        Raises:
            RegistryDecodeError: fewer than ``size`` bytes are left.
        """
        start = self.offset
        if size > len(self.data) - start:
            raise self.error(field, f"needs {size} bytes but the blob ends after {len(self.data) - start}")
        self.offset = start + size
        return self.data[start:start + size]

    def u8(self, field: str) -> int:
        """An unsigned byte."""
        return self.take(1, field)[0]

    def u16(self, field: str) -> int:
        """An unsigned 16-bit little-endian integer."""
        return _U16.unpack(self.take(2, field))[0]

    def u32(self, field: str) -> int:
        """An unsigned 32-bit little-endian integer."""
        return _U32.unpack(self.take(4, field))[0]

    def ipv4(self, field: str) -> int:
        """An IPv4 address or mask as an integer, read in network byte order (GPIPSEC.md §2, §7.1)."""
        return _BE32.unpack(self.take(4, field))[0]

    def guid(self, field: str) -> uuid.UUID:
        """A GUID in the Windows byte layout: Data1 u32, Data2 u16, Data3 u16 little-endian, then 8
        bytes as written (GPIPSEC.md §2)."""
        return uuid.UUID(bytes_le=self.take(16, field))

    def count(self, field: str, minimum_item_size: int) -> int:
        """A u32 count of items that each take at least ``minimum_item_size`` bytes.

        Raises:
            RegistryDecodeError: the items could not fit in what is left of the blob (checked before
                any item is read, so a garbage count fails at once).
        """
        start = self.offset
        value = self.u32(field)
        if value * minimum_item_size > self.remaining:
            raise self.error(field, f"{value} items of at least {minimum_item_size} bytes each run past the end of the blob "
                                    f"({self.remaining} bytes left)", start)
        return value

    def string(self, field: str) -> str:
        """A length-prefixed string: u32 byte count, then UTF-16LE text ending in a 2-byte NUL that the
        count includes; ``02 00 00 00 00 00`` is the empty string (GPIPSEC.md §2).

        Raises:
            RegistryDecodeError: an odd or zero count, no final NUL, a NUL inside, or invalid UTF-16.
        """
        start = self.offset
        size = self.u32(f"{field} length")
        if size < 2 or size % 2:
            raise self.error(f"{field} length", f"a string's byte count must be even and at least 2 (its NUL), not {size}", start)
        return utf16z(self.take(size, field), lambda reason: self.error(field, reason, start + 4))

    def rest(self) -> bytes:
        """Everything after :attr:`offset` (the offset does not move)."""
        return self.data[self.offset:]

    def finish(self, field: str = "end of blob") -> None:
        """Check that at most one trailing ``00`` byte is left (GPIPSEC.md §2: "allow 0 or 1 spare
        trailing byte").

        Raises:
            RegistryDecodeError: naming the first byte left over.
        """
        rest = self.rest()
        if rest in (b"", b"\x00"):
            self.offset = len(self.data)
            return
        shown = rest[:16].hex(" ") + (" ..." if len(rest) > 16 else "")
        raise self.error(field, f"{len(rest)} bytes left over after the last field ({shown}); at most one trailing 00 is allowed")


def utf16z(raw: bytes, fail) -> str:
    """UTF-16LE text ending in exactly one 2-byte NUL, without that NUL.

    ``fail(reason)`` builds the exception to raise. The text never appears in the message: an
    authentication method's data is a pre-shared key (GPIPSEC.md §5.1, §10.7).
    """
    if len(raw) < 2 or len(raw) % 2 or raw[-2:] != b"\x00\x00":
        raise fail("expected UTF-16LE text ending in a 2-byte NUL")
    try:
        text = raw[:-2].decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise fail(f"not valid UTF-16LE text ({error.reason} at byte {error.start})") from None
    if "\x00" in text:
        raise fail("a NUL character inside the text")
    return text


def open_blob(data: bytes, *, key: str, type_guid: uuid.UUID, kind: str) -> tuple[BlobReader, int]:
    """Check the common framing of a blob and return a reader at offset 20 with the Data-Length.

    Args:
        type_guid: the blob kind's GUID (GPIPSEC.md §2 table).
        kind: the class name, for the message.

    Raises:
        RegistryDecodeError: the blob is shorter than the frame or its type GUID is not ``type_guid``.
    """
    reader = BlobReader(data, key=key)
    found = reader.guid("type GUID")
    if found != type_guid:
        raise reader.error("type GUID", f"{guid_text(found)} is not the {kind} blob type {guid_text(type_guid)}", 0)
    return reader, reader.u32("Data-Length")


def check_data_length(reader: BlobReader, data_length: int, accepted: dict[str, int]) -> None:
    """Check Data-Length (offset 16) against the values the known writers use.

    Args:
        accepted: what each convention makes of this blob, e.g. ``{"Windows 2000": 74, "Windows
            10/11": 70}`` (GPIPSEC.md §2 table).

    Raises:
        RegistryDecodeError: the length matches none of them.
    """
    if data_length not in accepted.values():
        expected = " or ".join(f"{value} ({name})" for name, value in accepted.items())
        raise reader.error("Data-Length", f"{data_length} matches no known convention; expected {expected}", 16)


__all__ = [
    "FRAME_SIZE", "BlobReader", "RegistryDecodeError", "braced_guid", "check_data_length", "guid_text", "open_blob", "utf16z",
]
