"""A small reader of regedit exports (``.reg`` files, ``Windows Registry Editor Version 5.00``).

Contract: :func:`read_reg_file` ``(path) -> RegFile``; :meth:`RegFile.key` ``(path)`` gives the key at a
full path such as ``HKEY_LOCAL_MACHINE\\SOFTWARE\\...`` as a :class:`~._registry_model.RegKey` with its
values (file order) and its direct subkeys (each with its own values), or None when the file holds
neither the key nor anything below it. Paths and value names compare case-insensitively, as the
registry's do. Anything the reader does not understand raises :class:`RegFileError` naming the file and
the line.

What it reads (the export format of regedit, from general knowledge; no source in the reference set
describes it, and the samples in ``registry/samples/`` use only part of it):

* the text: UTF-16 LE with its BOM (regedit's own exports) or UTF-8, with or without a BOM (the ANSI
  samples are plain ASCII); the first line that is not blank is the header;
* ``[KEY]`` opens a key, ``[-KEY]`` deletes it and everything below; a key named again adds values;
* ``"name"=`` or ``@=`` (the default value), then ``"text"`` (REG_SZ; ``\\\\`` and ``\\"`` escaped),
  ``dword:XXXXXXXX``, ``hex:b,b,...`` (REG_BINARY), ``hex(N):b,b,...`` (type N in hex: 2 REG_EXPAND_SZ and
  7 REG_MULTI_SZ as UTF-16 LE, b REG_QWORD, 4 REG_DWORD, 1 REG_SZ, 3 REG_BINARY), or ``-`` (delete the value);
* a line ending in ``\\`` goes on in the next line, whose leading blanks are ignored; ``;`` starts a
  comment line.

Values take the kind .NET reports for them (``_registry_model``): ``hex(0)`` (REG_NONE) is ``None``, every
other type not listed above (REG_LINK, REG_DWORD_BIG_ENDIAN, resource lists) ``Unknown``, both with their bytes. Trailing NULs
of a string are dropped, and a REG_MULTI_SZ loses its terminating empty string(s) (emulator reading of
.NET's ``GetValue``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._registry_model import BINARY, DWORD, EXPAND_STRING, MULTI_STRING, NONE, QWORD, STRING, UNKNOWN, RegKey, RegValue

HEADER = "Windows Registry Editor Version 5.00"
_HEX_KINDS = {0x0: NONE, 0x1: STRING, 0x2: EXPAND_STRING, 0x3: BINARY, 0x4: DWORD, 0x7: MULTI_STRING, 0xB: QWORD}
_HEX = re.compile(r"^hex(?:\(([0-9a-fA-F]{1,8})\))?:(.*)$", re.DOTALL)
_DWORD = re.compile(r"^dword:([0-9a-fA-F]{1,8})$")


class RegFileError(ValueError):
    """The file is not a regedit export this reader understands."""


def _components(path: str) -> tuple[str, ...]:
    return tuple(part.upper() for part in path.split("\\"))


@dataclass
class _Key:
    path: tuple[str, ...]                                          # as written
    values: dict[str, RegValue] = field(default_factory=dict)      # upper-cased name -> value, in file order


class RegFile:
    """The keys of one export; see the module docstring."""

    def __init__(self, keys: dict[tuple[str, ...], _Key]) -> None:
        self._keys = keys

    def key(self, path: str) -> RegKey | None:
        wanted = _components(path)
        depth = len(wanted)
        children: dict[str, str] = {}
        spelling = None
        for normal, key in self._keys.items():
            if len(normal) >= depth and normal[:depth] == wanted:
                spelling = spelling or key.path[depth - 1]
                if len(normal) > depth:
                    children.setdefault(normal[depth], key.path[depth])
        if spelling is None:
            return None
        own = self._keys.get(wanted)
        subkeys = tuple(RegKey(name, self._values(wanted + (normal,))) for normal, name in children.items())
        return RegKey(own.path[-1] if own is not None else spelling, self._values(wanted), subkeys)

    def _values(self, normal: tuple[str, ...]) -> tuple[RegValue, ...]:
        key = self._keys.get(normal)
        return tuple(key.values.values()) if key is not None else ()


def _text(raw: bytes, where: str) -> str:
    if raw.startswith(b"\xff\xfe"):
        codec, body = "utf-16-le", raw[2:]
    else:
        codec, body = "utf-8", raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise RegFileError(f"{where}: neither UTF-16 with a BOM nor UTF-8 ({exc})") from None


def _logical_lines(text: str):
    """``(line number, line)`` with continuations joined and blank and comment lines left out."""
    pending, start = "", 0
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        piece = line.lstrip(" \t") if pending else line
        if not pending:
            start = number
        stripped = piece.rstrip(" \t")
        if stripped.endswith("\\") and not stripped.startswith("["):
            pending += stripped[:-1]
            continue
        logical, pending = pending + piece, ""
        if logical.strip() and not logical.lstrip().startswith(";"):
            yield start, logical.rstrip(" \t")
    if pending:
        yield start, pending


def _quoted(text: str, where: str) -> tuple[str, str]:
    """The string of a leading ``"..."`` (``\\\\`` and ``\\"`` escapes) and the text after it."""
    out, index = [], 1
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "\\\"":
            out.append(text[index + 1])
            index += 2
        elif char == '"':
            return "".join(out), text[index + 1:]
        else:
            out.append(char)
            index += 1
    raise RegFileError(f"{where}: unterminated string")


def _hex_bytes(text: str, where: str) -> bytes:
    items = [item.strip() for item in text.split(",")] if text.strip() else []
    if not all(re.fullmatch(r"[0-9a-fA-F]{1,2}", item) for item in items):
        raise RegFileError(f"{where}: {text!r} is not a list of hex bytes")
    return bytes(int(item, 16) for item in items)


def _utf16(data: bytes, where: str) -> str:
    if len(data) % 2:
        raise RegFileError(f"{where}: a string value has an odd number of bytes")
    return data.decode("utf-16-le", errors="surrogatepass")


def _typed(name: str, kind_number: int, data: bytes, where: str) -> RegValue:
    kind = _HEX_KINDS.get(kind_number, UNKNOWN)
    if kind in (STRING, EXPAND_STRING):
        return RegValue(name, kind, _utf16(data, where).rstrip("\x00"))
    if kind == MULTI_STRING:
        text = _utf16(data, where)
        for dummy in range(2):          # the double NUL that ends the list
            text = text[:-1] if text.endswith("\x00") else text
        return RegValue(name, kind, text.split("\x00") if text else [])
    if kind in (DWORD, QWORD):
        size = 4 if kind == DWORD else 8
        if len(data) != size:
            raise RegFileError(f"{where}: a {kind} value needs {size} bytes, not {len(data)}")
        return RegValue(name, kind, int.from_bytes(data, "little"))
    return RegValue(name, kind, data)


def _value(line: str, where: str) -> tuple[str, RegValue | None]:
    """``(name, value)`` of a value line; the value is None for ``"name"=-``."""
    if line.startswith("@"):
        name, rest = "", line[1:]
    elif line.startswith('"'):
        name, rest = _quoted(line, where)
    else:
        raise RegFileError(f"{where}: expected a key in brackets or a value, not {line!r}")
    if not rest.startswith("="):
        raise RegFileError(f"{where}: expected '=' after the value name")
    data = rest[1:].strip()
    if data == "-":
        return name, None
    if data.startswith('"'):
        text, tail = _quoted(data, where)
        if tail.strip():
            raise RegFileError(f"{where}: unexpected text after a string value")
        return name, RegValue(name, STRING, text)
    dword = _DWORD.match(data)
    if dword:
        return name, RegValue(name, DWORD, int(dword.group(1), 16))
    hexed = _HEX.match(data)
    if hexed:
        kind = int(hexed.group(1), 16) if hexed.group(1) is not None else 0x3
        return name, _typed(name, kind, _hex_bytes(hexed.group(2), where), where)
    raise RegFileError(f"{where}: cannot read the value data {data[:40]!r}")


def read_reg_file(path: str) -> RegFile:
    """Read the export at *path*; raises :class:`RegFileError`, or ``OSError`` when it cannot be read."""
    with open(path, "rb") as handle:
        text = _text(handle.read(), path)
    keys: dict[tuple[str, ...], _Key] = {}
    current: _Key | None = None
    lines = _logical_lines(text)
    first = next(lines, None)
    if first is None or first[1].strip() != HEADER:
        raise RegFileError(f"{path}: the first line is not {HEADER!r}")
    for number, line in lines:
        where = f"{path}:{number}"
        if line.startswith("["):
            if not line.endswith("]"):
                raise RegFileError(f"{where}: a key line must end with ']'")
            inner = line[1:-1]
            if inner.startswith("-"):
                gone = _components(inner[1:])
                keys = {normal: key for normal, key in keys.items() if normal[:len(gone)] != gone}
                current = None
                continue
            current = keys.setdefault(_components(inner), _Key(tuple(inner.split("\\"))))
            continue
        if current is None:
            raise RegFileError(f"{where}: a value outside any key")
        name, value = _value(line, where)
        if value is None:
            current.values.pop(name.upper(), None)
        else:
            current.values[name.upper()] = value
    return RegFile(keys)
