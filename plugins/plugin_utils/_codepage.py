# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The Python codec of a Windows code page (the OEM one netsh prints in)."""

from __future__ import annotations

import codecs
from typing import Optional

# Code pages whose Python codec is not simply "cp<N>". Every OEM code page Windows uses (437, 720,
# 737, 775, 850, 852, 855, 857, 858, 862, 866, 874, 932, 936, 949, 950, 1258) and every ANSI one
# (1250-1258) has a "cp<N>" codec; cp936 is Python's name for GBK.
_CODECS = {65001: "utf-8", 54936: "gb18030", 20127: "ascii", 28591: "latin-1"}


def codec_name(codepage: object) -> Optional[str]:
    """Python's name for the codec of ``codepage``, or ``None`` when it is not a number or Python has none."""
    if isinstance(codepage, bool) or not isinstance(codepage, int):
        return None
    try:
        return codecs.lookup(_CODECS.get(codepage, f"cp{codepage}")).name
    except LookupError:
        return None


__all__ = ["codec_name"]
