# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. ``ipsec_config state=parsed``: a store from text, without a host.

Two formats: the text of ``netsh ipsec static show all`` (``_parse``), and a regedit export of the
store's key (``_regfile``, decoded like the registry read path, ``_registry_store``). ``auto`` tells
them apart by the first line, which regedit always writes.
"""

from __future__ import annotations

import codecs

from ._errors import InvalidInput
from ._model import Store
from ._parse import parse_show
from ._regfile import parse_reg_export
from ._registry_store import decode_snapshot

# What ipsec_config's running_config holds for the show format (see the module documentation).
SHOW_COMMAND = "netsh ipsec static show all"
REG_HEADERS = ("Windows Registry Editor Version 5.00", "REGEDIT4")
FORMATS = ("auto", "show", "reg")


def detect_format(text: str) -> str:
    """``"reg"`` when the first non-blank line is a regedit header, else ``"show"``."""
    first = next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return "reg" if first in REG_HEADERS else "show"


def parse_running_config(text: str, *, fmt: str) -> Store:
    """The store ``text`` describes; ``fmt`` is ``auto``, ``show`` or ``reg``.

    Raises:
        NetshParseError, RegFileError, RegistryDecodeError: the text is not what ``fmt`` says, or holds
            something the readers do not know.
    """
    if fmt not in FORMATS:
        raise InvalidInput("running_config_format", fmt, f"must be one of {', '.join(FORMATS)}")
    kind = detect_format(text) if fmt == "auto" else fmt
    if kind == "reg":
        return decode_snapshot(parse_reg_export(text.lstrip("\ufeff"))).store
    return parse_show(SHOW_COMMAND, text)


def decode_file(data: bytes, *, path: str) -> str:
    """A file's text: UTF-16 when it starts with a UTF-16 byte order mark (as regedit writes), else UTF-8.

    Raises:
        InvalidInput: naming ``running_config_file`` when the bytes are neither.
    """
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("running_config_file", path, f"is neither UTF-16 with a byte order mark nor UTF-8: {error}") from None


__all__ = ["FORMATS", "REG_HEADERS", "SHOW_COMMAND", "decode_file", "detect_format", "parse_running_config"]
