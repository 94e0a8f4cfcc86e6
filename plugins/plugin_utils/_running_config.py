# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. ``ipsec_config state=parsed``: a store from text, without a host.

Three formats: the text of ``netsh ipsec static show all`` (``_parse``), a regedit export of the
store's key (``_regfile``, decoded like the registry read path, ``_registry_store``), and a script of
netsh, ipsecpol or ipseccmd commands (``_script_store``: what it leaves on an empty store, and the
lines it could not translate). ``auto`` tells a regedit export by the first line, which regedit always
writes, and a script by a line that runs one of the tools (``_script_lines.runs_a_tool``).
"""

from __future__ import annotations

import codecs

from ._errors import InvalidInput
from ._model import Store
from ._parse import parse_show
from ._regfile import parse_reg_export
from ._registry_store import decode_snapshot
from ._script_lines import Unsupported, runs_a_tool
from ._script_store import import_script

# What ipsec_config's running_config holds for the show format (see the module documentation).
SHOW_COMMAND = "netsh ipsec static show all"
REG_HEADERS = ("Windows Registry Editor Version 5.00", "REGEDIT4")
FORMATS = ("auto", "show", "reg", "script")


def detect_format(text: str) -> str:
    """``"reg"`` when the first non-blank line is a regedit header; ``"script"`` when a line runs netsh,
    ipsecpol or ipseccmd (or enters the ipsec static context); else ``"show"``."""
    first = next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    if first in REG_HEADERS:
        return "reg"
    return "script" if runs_a_tool(text) else "show"


def parse_running_config(text: str, *, fmt: str) -> tuple[Store, tuple[Unsupported, ...] | None]:
    """The store ``text`` describes, and for a script the lines it could not translate (``None`` for the
    other formats, which are read whole or refused); ``fmt`` is ``auto``, ``show``, ``reg`` or ``script``.

    Raises:
        NetshParseError, RegFileError, RegistryDecodeError: the text is not what ``fmt`` says, or holds
            something the readers do not know (a script never raises: see ``_script_store``).
    """
    if fmt not in FORMATS:
        raise InvalidInput("running_config_format", fmt, f"must be one of {', '.join(FORMATS)}")
    kind = detect_format(text) if fmt == "auto" else fmt
    if kind == "reg":
        return decode_snapshot(parse_reg_export(text.lstrip("\ufeff"))).store, None
    if kind == "script":
        imported = import_script(text)
        return imported.store, imported.unsupported
    return parse_show(SHOW_COMMAND, text), None


def decode_file(data: bytes, *, path: str, encoding: str = "auto") -> str:
    """A file's text. With ``auto``: UTF-16 when it starts with a UTF-16 byte order mark (as regedit and
    PowerShell's ``Out-File`` write), else UTF-8 (a UTF-8 byte order mark is dropped). Otherwise the
    Python codec ``encoding`` names, e.g. ``gbk`` for a batch file saved on a Chinese Windows.

    Raises:
        InvalidInput: naming ``running_config_encoding`` when it is no codec, or ``running_config_file``
            when the bytes do not decode.
    """
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput("running_config_encoding", encoding, "is not an encoding Python knows (e.g. auto, utf-8, utf-16, gbk, cp437)") from None
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise InvalidInput("running_config_file", path, f"does not decode as {encoding}: {error}") from None
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("running_config_file", path, "is neither UTF-16 with a byte order mark nor UTF-8; for another encoding set "
                                                        f"running_config_encoding (e.g. gbk): {error}") from None


__all__ = ["FORMATS", "REG_HEADERS", "SHOW_COMMAND", "decode_file", "detect_format", "parse_running_config"]
