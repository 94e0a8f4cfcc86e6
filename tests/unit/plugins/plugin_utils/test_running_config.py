# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipsec_config state=parsed without a host: a running_config in either format (show text or a regedit
export), told apart by its first line, and a running_config_file in UTF-16 or UTF-8."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput, NetshParseError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import parse_show
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._regfile import RegFileError, decode_reg_bytes, parse_reg_export
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_blob import RegistryDecodeError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import decode_snapshot
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._running_config import (
    REG_HEADERS,
    SHOW_COMMAND,
    decode_file,
    detect_format,
    parse_running_config,
)
from store_json import to_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REG_SAMPLES = sorted((FIXTURES / "registry").glob("*.reg"))
SHOW_ALL = FIXTURES / "netsh" / "show_all__en-GB__constructed.txt"
V5, V4 = "Windows Registry Editor Version 5.00", "REGEDIT4"
LOCAL = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local"
# A store with nothing in it, as a regedit export of the (empty) Policy\Local key.
EMPTY_EXPORT = f"{V5}\r\n\r\n[{LOCAL}]\r\n"
ENCODINGS = ["utf-16-le-bom-crlf", "utf-16-be-bom-crlf", "utf-8-bom-lf", "utf-8-crlf", "utf-8-lf"]
FIRST_LINE_ERROR = f"cannot read the registry export: the first line must be {V5!r} or {V4!r} (line 1: '')"


def encoded(text: str, encoding: str) -> bytes:
    """``text`` (LF line ends) as a file in ``encoding``."""
    if encoding.endswith("crlf"):
        text = text.replace("\n", "\r\n")
    if encoding.startswith("utf-16-le"):
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")  # as regedit writes version 5.00
    if encoding.startswith("utf-16-be"):
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return (codecs.BOM_UTF8 if "bom" in encoding else b"") + text.encode("utf-8")


def show_all() -> str:
    """The en-GB ``show all`` fixture with the CRLF line ends netsh writes."""
    return SHOW_ALL.read_text("utf-8").replace("\n", "\r\n")


def decoder_store(path: Path) -> Store:
    """What the registry decoder makes of a sample's snapshot (the same decoder the registry read uses)."""
    return decode_snapshot(parse_reg_export(decode_reg_bytes(path.read_bytes()))).store


# --- detect_format --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    f"{V5}\r\n\r\n[{LOCAL}]\r\n",
    f"{V4}\n",
    V5,
    f"\ufeff{V5}\r\n",
    f"\r\n  \r\n\t{V5}  \r\n",  # the first line that is not blank
    f"  {V4}\t\n",
])
def test_a_regedit_header_first_is_a_registry_export(text):
    assert detect_format(text) == "reg"


@pytest.mark.parametrize("text", [
    "",
    "\r\n \r\n",
    show_all(),
    f"; comment\r\n{V5}\r\n",  # the header must come first
    f"{V5.lower()}\r\n",
    "regedit4\r\n",
    f"{V5} \u2013 copy\r\n",
    f"{V5}x\r\n",
    "Policy Name            : Web Server\r\n",
])
def test_anything_else_is_show_text(text):
    assert detect_format(text) == "show"


@pytest.mark.parametrize("text", [
    "@echo off\r\nnetsh ipsec static add policy name=P\r\n",
    "REM lockdown\nNETSH.EXE ipsec static delete all\n",
    "  @C:\\Windows\\System32\\netsh.exe ipsec static add filterlist L\n",
    "& netsh ipsec static add filterlist L | Out-Null\n",
    "pushd ipsec static\nadd policy P\npopd\n",
    "ipsecpol -w REG -p P -x\n",
    "ipseccmd.exe -w REG -p P -y\n",
])
def test_a_line_that_runs_a_tool_makes_a_script(text):
    assert detect_format(text) == "script"


@pytest.mark.parametrize("text", [
    "echo netsh ipsec static delete all\n",  # only prints
    "Description            : netsh ipsec static add policy\r\n",  # show text quoting a command
    "Policy Name            : netsh\r\n",
])
def test_a_mention_of_a_tool_does_not_make_a_script(text):
    assert detect_format(text) == "show"


def test_a_script_returns_what_it_could_not_translate():
    store, unsupported = parse_running_config("netsh ipsec static add filterlist L\nnetsh ipsec static add filterlist %X%\n", fmt="auto")
    assert list(store.filter_lists) == ["L"]
    assert [(entry.line, entry.reason) for entry in unsupported] == [(2, "uses the cmd variable '%X%': its value is not in the script")]
    assert parse_running_config("netsh ipsec static add filterlist L\n", fmt="script")[1] == ()
    assert parse_running_config(show_all(), fmt="show")[1] is None


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-16", "utf-8-sig"])
def test_a_script_in_the_encoding_it_was_saved_in(encoding):
    text = "@echo off\r\nnetsh ipsec static add filterlist name=筛选器 description=\"对外 服务\"\r\n"
    data = text.encode(encoding)
    chosen = "gbk" if encoding == "gbk" else "auto"
    store, unsupported = parse_running_config(decode_file(data, path="x.bat", encoding=chosen), fmt="auto")
    assert unsupported == () and [(item.name, item.description) for item in store.filter_lists.values()] == [("筛选器", "对外 服务")]


def test_a_gbk_script_read_as_utf8_is_refused_naming_the_encoding_option():
    with pytest.raises(InvalidInput, match="for another encoding set running_config_encoding"):
        decode_file("netsh ipsec static add filterlist 筛选器".encode("gbk"), path="x.bat")
    with pytest.raises(InvalidInput, match="running_config_encoding: is not an encoding Python knows"):
        decode_file(b"", path="x.bat", encoding="klingon")
    with pytest.raises(InvalidInput, match="running_config_file: does not decode as ascii"):
        decode_file("é".encode("utf-8"), path="x.bat", encoding="ascii")


def test_the_headers_and_the_command_are_what_regedit_and_netsh_write():
    assert REG_HEADERS == (V5, V4)
    assert SHOW_COMMAND == "netsh ipsec static show all"


# --- decode_file ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_file_in_utf16_with_a_bom_or_utf8_reads_as_its_text_without_the_bom(encoding):
    text = f"{V5}\n; caf\u00e9 \u5bc6\u94a5 \U0001f511\n"
    expected = text.replace("\n", "\r\n") if encoding.endswith("crlf") else text
    assert decode_file(encoded(text, encoding), path="x.reg") == expected


def test_an_empty_file_and_a_bom_alone_are_empty_text():
    for data in (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        assert decode_file(data, path="x") == ""


@pytest.mark.parametrize("data", [
    b"\xc3(",  # not UTF-8
    "caf\u00e9".encode("cp1252"),  # an ANSI file
    codecs.BOM_UTF16_LE + b"A",  # UTF-16 cut in the middle of a character
    codecs.BOM_UTF16_LE + b"\x00\xd8A\x00",  # a lone surrogate
    codecs.BOM_UTF16_BE + b"\xd8\x00",
])
def test_bytes_that_are_neither_are_refused_naming_the_option_and_the_path(data):
    with pytest.raises(UnicodeDecodeError) as decoding:
        (data.decode("utf-16") if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else data.decode("utf-8-sig"))
    reason = str(decoding.value)
    with pytest.raises(InvalidInput) as caught:
        decode_file(data, path="/tmp/export.reg")
    assert (caught.value.field, caught.value.value) == ("running_config_file", "/tmp/export.reg")
    assert str(caught.value) == (
        "running_config_file: is neither UTF-16 with a byte order mark nor UTF-8; for another encoding set running_config_encoding "
        f"(e.g. gbk): {reason} (got '/tmp/export.reg')")


def test_a_utf8_bom_is_not_mistaken_for_utf16():
    assert decode_file(codecs.BOM_UTF8 + "\u00e9".encode("utf-8"), path="x") == "\u00e9"
    assert decode_file(b"\xff\xfe\xe9\x00", path="x") == "\u00e9"
    assert decode_file(b"\xfe\xff\x00\xe9", path="x") == "\u00e9"


# --- parse_running_config: show text --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["auto", "show"])
def test_show_text_parses_as_netsh_show_all(fmt):
    text = show_all()
    expected = json.loads(SHOW_ALL.with_suffix(".expected.json").read_text("utf-8"))["store"]
    store = parse_running_config(text, fmt=fmt)[0]
    assert to_json(store) == expected
    assert store == parse_show(SHOW_COMMAND, text)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_show_text_file_in_any_encoding_reads_the_same(encoding):
    text = SHOW_ALL.read_text("utf-8")
    decoded = decode_file(encoded(text, encoding), path="show.txt")
    assert parse_running_config(decoded, fmt="auto")[0] == parse_show(SHOW_COMMAND, show_all())


def test_show_text_that_is_not_netsh_output_names_the_command_and_the_line():
    with pytest.raises(NetshParseError) as caught:
        parse_running_config("\r\nSomething : else\r\n", fmt="auto")
    assert caught.value.command == SHOW_COMMAND
    assert str(caught.value) == ("cannot read the output of 'netsh ipsec static show all': unknown display language or unknown label "
                                 "in line 'Something : else'")


def test_an_export_read_as_show_text_is_refused():
    with pytest.raises(NetshParseError) as caught:
        parse_running_config(EMPTY_EXPORT, fmt="show")
    assert str(caught.value) == "cannot read the output of 'netsh ipsec static show all': no label line to tell the display language from"


# --- parse_running_config: regedit exports --------------------------------------------------------------


def test_there_are_three_samples():
    assert [path.name for path in REG_SAMPLES] == [
        "win10_gsecurity_2019-12_ipsec.reg", "win11_gsecurity_2025-12_ipsec.reg", "win2000_vpnease_template_rendered_ipsec.reg"]


@pytest.mark.parametrize("path", REG_SAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("fmt", ["auto", "reg"])
def test_a_sample_export_parses_to_the_store_the_decoder_gives_for_its_snapshot(path, fmt):
    store = parse_running_config(path.read_text("utf-8"), fmt=fmt)[0]
    assert store == decoder_store(path)
    assert to_json(store) == json.loads(path.with_suffix(".expected.json").read_text("utf-8"))["store"]


@pytest.mark.parametrize("path", REG_SAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_sample_export_file_in_any_encoding_parses_the_same(path, encoding):
    text = decode_file(encoded(path.read_text("utf-8"), encoding), path=path.name)
    assert parse_running_config(text, fmt="auto")[0] == decoder_store(path)


def test_a_byte_order_mark_left_in_the_text_is_ignored():
    path = REG_SAMPLES[-1]
    for fmt in ("auto", "reg"):
        assert parse_running_config("\ufeff" + path.read_text("utf-8"), fmt=fmt)[0] == decoder_store(path)


def test_an_export_of_an_empty_store_is_an_empty_store_in_both_versions():
    assert parse_running_config(EMPTY_EXPORT, fmt="auto")[0] == Store()
    assert parse_running_config(f"{V4}\r\n\r\n[{LOCAL}]\r\n", fmt="auto")[0] == Store()
    assert parse_running_config(f"{V5}\r\n", fmt="reg")[0] == Store()


def test_show_text_read_as_an_export_is_refused_at_its_first_line():
    with pytest.raises(RegFileError) as caught:
        parse_running_config(show_all(), fmt="reg")
    # show text starts with a blank line, which an export may have before its header: refused at the next
    assert (caught.value.line_number, caught.value.line) == (2, show_all().split("\r\n")[1])
    assert str(caught.value) == FIRST_LINE_ERROR.replace("(line 1: '')", f"(line 2: {caught.value.line!r})")


def test_an_export_the_decoder_does_not_understand_names_the_key():
    text = f'{V5}\r\n\r\n[{LOCAL}\\ipsecPolicy{{1}}]\r\n"x"="y"\r\n'
    with pytest.raises(RegistryDecodeError) as caught:
        parse_running_config(text, fmt="auto")
    assert (caught.value.key, caught.value.field) == ("ipsecPolicy{1}", "key name")


# --- formats, given and detected ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "REG", "Auto", ""])
def test_an_unknown_format_is_refused_naming_running_config_format(fmt):
    with pytest.raises(InvalidInput) as caught:
        parse_running_config(show_all(), fmt=fmt)
    assert (caught.value.field, caught.value.value) == ("running_config_format", fmt)


def test_an_export_after_blank_lines_is_read_as_auto_detected_it():
    text = "\r\n\r\n" + REG_SAMPLES[-1].read_text("utf-8")
    assert detect_format(text) == "reg"
    assert parse_running_config(text, fmt="auto")[0] == decoder_store(REG_SAMPLES[-1])
