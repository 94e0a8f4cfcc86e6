# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Python codec of a Windows code page."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._codepage import codec_name


@pytest.mark.parametrize("codepage, codec", [
    (437, "cp437"), (850, "cp850"), (936, "gbk"), (1252, "cp1252"),
    (65001, "utf-8"), (54936, "gb18030"), (20127, "ascii"), (28591, "iso8859-1"),
])
def test_known_code_pages_have_their_codec(codepage, codec):
    assert codec_name(codepage) == codec


@pytest.mark.parametrize("codepage", [12345, -1, "437", 437.0, True, None])
def test_anything_else_has_none(codepage):
    assert codec_name(codepage) is None
