# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_regfile: regedit exports -> RegistrySnapshot, every value syntax, and every refusal with its line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._regfile import RegFileError, decode_reg_bytes, parse_reg_export
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistryKey, RegistrySnapshot, RegistryValue, ValueKind
from test_registry_encoder import reg_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registry"
HEADER = "Windows Registry Editor Version 5.00"
LOCAL = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local]"
OBJECT = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\ipsecNFA{55e17124-5934-4c81-b22b-0a644a4a4f01}]"
GROUP = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\GPTIPSECPolicy]"


def reg(*lines: str, header: str = HEADER) -> str:
    return "\r\n".join((header, "", *lines)) + "\r\n"


def values_of(*lines: str, header: str = HEADER) -> tuple:
    """The values that ``lines`` give the object key."""
    return parse_reg_export(reg(OBJECT, *lines, header=header)).objects[0].values


def refused(text: str, line_number: int, reason: str) -> RegFileError:
    with pytest.raises(RegFileError) as caught:
        parse_reg_export(text)
    error = caught.value
    assert isinstance(error, LockdownError)
    assert error.line_number == line_number, str(error)
    assert reason in error.reason
    assert f"line {line_number}" in str(error)
    return error


# --- the samples --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.reg")), ids=lambda path: path.stem)
def test_samples_in_utf16_and_utf8_give_the_same_snapshot(path: Path) -> None:
    text = path.read_text("utf-8")
    utf16 = decode_reg_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"))
    utf8 = decode_reg_bytes(text.encode("utf-8"))
    assert parse_reg_export(utf16) == parse_reg_export(utf8)
    snapshot = parse_reg_export(utf8)
    assert snapshot.local is not None and snapshot.group_policy is None
    assert len(snapshot.objects) == text.count("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\")


def test_the_w10_sample_in_detail() -> None:
    snapshot = parse_reg_export((FIXTURES / "win10_gsecurity_2019-12_ipsec.reg").read_text("utf-8"))
    assert snapshot.local == RegistryKey("Policy\\Local", (RegistryValue(
        "ActivePolicy", ValueKind.STRING,
        "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\ipsecPolicy{fef1d3cd-e509-4d7e-ac24-4a23afc9eb26}"),))
    policy = snapshot.objects[-1]
    assert policy.name == "ipsecPolicy{fef1d3cd-e509-4d7e-ac24-4a23afc9eb26}"
    assert policy.value("ipsecdata").data == bytes.fromhex("632120224c4fd111863b00a0248d302104000000302a000000")  # §8.1
    assert policy.value("whenChanged") == RegistryValue("whenChanged", ValueKind.DWORD, 0x5E139384)
    assert policy.value("ipsecNFAReference").data == tuple(
        f"SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\ipsecNFA{{{guid}}}"
        for guid in ("7963c026-53c2-468d-a3be-2a9f86441647", "55e17124-5934-4c81-b22b-0a644a4a4f01", "fec14657-c53e-4a4f-bd6c-e5a3d4d7b1df"))
    assert [key.name.partition("{")[0] for key in snapshot.objects] == [
        "ipsecFilter", "ipsecFilter", "ipsecISAKMPPolicy", "ipsecNegotiationPolicy", "ipsecNegotiationPolicy", "ipsecNFA", "ipsecNFA", "ipsecNFA",
        "ipsecPolicy"]


# --- bytes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF16_LE + "Wä\r\n".encode("utf-16-le"), codecs.BOM_UTF16_BE + "Wä\r\n".encode("utf-16-be"),
    codecs.BOM_UTF8 + "Wä\r\n".encode("utf-8"), "Wä\r\n".encode("utf-8"),
], ids=["utf16le", "utf16be", "utf8-bom", "utf8"])
def test_decode_reg_bytes(data: bytes) -> None:
    assert decode_reg_bytes(data) == "Wä\r\n"


def test_decode_reg_bytes_refusals_name_the_line() -> None:
    with pytest.raises(RegFileError) as caught:
        decode_reg_bytes(b"REGEDIT4\r\n\r\n\"a\"=\"\xe9\"\r\n")
    assert caught.value.line_number == 3 and "not valid UTF-8" in str(caught.value)
    with pytest.raises(RegFileError, match="NUL bytes but no UTF-16 byte order mark"):
        decode_reg_bytes(HEADER.encode("utf-16-le"))
    with pytest.raises(RegFileError) as caught:
        decode_reg_bytes(codecs.BOM_UTF16_LE + "a\nb\n".encode("utf-16-le") + b"\x00\xd8")
    assert caught.value.line_number == 3


# --- value syntax -----------------------------------------------------------------------------------------


def test_strings_with_escapes_and_the_default_value() -> None:
    assert values_of('"a"="C:\\\\dir\\\\"', '"say \\"hi\\""="x=\\"1\\";[not a key]"', '@="default"', '"empty"=""') == (
        RegistryValue("a", ValueKind.STRING, "C:\\dir\\"),
        RegistryValue('say "hi"', ValueKind.STRING, 'x="1";[not a key]'),
        RegistryValue("", ValueKind.STRING, "default"),
        RegistryValue("empty", ValueKind.STRING, ""),
    )


def test_dword_and_hex_kinds() -> None:
    multi = "hex(7):61,00,00,00,62,00,63,00,00,00,00,00"
    assert values_of(
        '"d"=dword:0000012c', '"D"=DWORD:FFFFFFFF'.replace('"D"', '"d2"'), '"b"=hex:00,ff,10', '"e"=hex:',
        '"sz"=hex(1):41,00,00,00', '"x"=hex(2):25,00,41,00,25,00,00,00', '"bin"=hex(3):01,02', '"dw"=hex(4):2c,01,00,00',
        f'"m"={multi}', '"m0"=hex(7):00,00', '"q"=hex(b):01,00,00,00,00,00,00,80',
    ) == (
        RegistryValue("d", ValueKind.DWORD, 300), RegistryValue("d2", ValueKind.DWORD, 0xFFFFFFFF),
        RegistryValue("b", ValueKind.BINARY, b"\x00\xff\x10"), RegistryValue("e", ValueKind.BINARY, b""),
        RegistryValue("sz", ValueKind.STRING, "A"), RegistryValue("x", ValueKind.EXPAND_STRING, "%A%"),
        RegistryValue("bin", ValueKind.BINARY, b"\x01\x02"), RegistryValue("dw", ValueKind.DWORD, 300),
        RegistryValue("m", ValueKind.MULTI_STRING, ("a", "bc")), RegistryValue("m0", ValueKind.MULTI_STRING, ()),
        RegistryValue("q", ValueKind.QWORD, 0x8000000000000001),
    )


def test_continuation_lines_comments_and_blank_lines() -> None:
    text = reg("; a comment", "", OBJECT, '"b"=hex:01,02,\\', "  03,04,\\", "   05", "  ; another", "", '"c"=hex(7):61,00,\\', "  00,00,00,00")
    assert parse_reg_export(text).objects[0].values == (
        RegistryValue("b", ValueKind.BINARY, bytes([1, 2, 3, 4, 5])), RegistryValue("c", ValueKind.MULTI_STRING, ("a",)))


def test_regedit4_strings_are_ascii() -> None:
    assert values_of('"m"=hex(7):61,00,62,00,00', '"s"="plain"', header="REGEDIT4") == (
        RegistryValue("m", ValueKind.MULTI_STRING, ("a", "b")), RegistryValue("s", ValueKind.STRING, "plain"))
    refused(reg(OBJECT, '"m"=hex(7):e9,00,00', header="REGEDIT4"), 4, "only ASCII")


# --- which keys are kept -------------------------------------------------------------------------------------


def test_only_the_store_keys_are_kept_and_paths_ignore_case() -> None:
    text = reg(
        "[HKEY_CURRENT_USER\\Software\\Other]", '"x"=hex(0):', '"y"=hex(a):01',
        LOCAL.upper(), '"ActivePolicy"="p"',
        OBJECT.lower(), '"className"="ipsecNFA"',
        OBJECT[:-1] + "\\Deeper]", '"ignored"="yes"',
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Cache\\ipsecNFA{1}]", '"ignored"="too"',
        GROUP, '"DSIPSECPolicyPath"="LDAP://CN=x"', '"DSIPSECPolicyName"="Domain"',
    )
    assert parse_reg_export(text) == RegistrySnapshot(
        local=RegistryKey("Policy\\Local", (RegistryValue("ActivePolicy", ValueKind.STRING, "p"),)),
        objects=(RegistryKey(OBJECT.lower().rpartition("\\")[2][:-1], (RegistryValue("className", ValueKind.STRING, "ipsecNFA"),)),),
        group_policy=RegistryKey("GPTIPSECPolicy", (RegistryValue("DSIPSECPolicyPath", ValueKind.STRING, "LDAP://CN=x"),
                                                    RegistryValue("DSIPSECPolicyName", ValueKind.STRING, "Domain"))),
    )


def test_a_subkey_without_its_parent_section_implies_an_empty_local_key() -> None:
    assert parse_reg_export(reg(OBJECT, '"a"="b"')).local == RegistryKey("Policy\\Local")
    assert parse_reg_export(reg("[HKEY_LOCAL_MACHINE\\SOFTWARE]")) == RegistrySnapshot(local=None)


def test_a_key_given_twice_collects_both_sections() -> None:
    text = reg(OBJECT, '"a"="1"', GROUP, OBJECT.upper(), '"b"="2"')
    assert [value.name for value in parse_reg_export(text).objects[0].values] == ["a", "b"]


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line_number, reason", [
    ("REGEDIT5\r\n", 1, "the first line must be"),
    ("\r\n \r\nREGEDIT5\r\n", 3, "the first line must be"),  # blank lines before the header are skipped
    (" \r\n", 1, "the first line must be"),
    (reg("[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies]"), 3, "deletion entry ([-key])"),
    (reg(OBJECT, '"a"=-'), 4, "deletion entry (\"name\"=-)"),
    (reg('"a"="b"'), 3, "before the first [key]"),
    (reg(OBJECT, '"a"="1"', '"A"=dword:00000001'), 5, "given twice in this key (first in line 4)"),
    (reg("[HKLM\\SOFTWARE]"), 3, "root must be one of"),
    (reg("[HKEY_LOCAL_MACHINE\\SOFTWARE\\\\x]"), 3, "empty key name"),
    (reg("[HKEY_LOCAL_MACHINE\\SOFTWARE"), 3, "must end in ]"),
    (reg(OBJECT, '"a"=hex:0g'), 4, "'0g' is not a byte"),
    (reg(OBJECT, '"a"=hex:01,'), 4, "'' is not a byte"),
    (reg(OBJECT, '"a"=hex:1,2'), 4, "'1' is not a byte"),
    (reg(OBJECT, '"a"="x\\n"'), 4, "unknown escape \\n"),
    (reg(OBJECT, '"a"="x'), 4, "without its closing quote"),
    (reg(OBJECT, '"a"="x" trailing'), 4, "after the closing quote"),
    (reg(OBJECT, '"a" "x"'), 4, "expected = after"),
    (reg(OBJECT, '"a"=word:1'), 4, 'expected "text", dword'),
    (reg(OBJECT, '"a"=dword:123456789'), 4, 'expected "text", dword'),
    (reg(OBJECT, "a=1"), 4, "expected a [key] line"),
    (reg(OBJECT, '"a"=hex:01,\\'), 4, "no continuation line follows"),
    (reg(OBJECT, '"a"=hex:01,\\', "", '"b"="c"'), 4, "no continuation line follows"),
    (reg(OBJECT, '"a"=hex(4):01,00,00'), 4, "exactly 4 bytes"),
    (reg(OBJECT, '"a"=hex(b):01'), 4, "exactly 8 bytes"),
    (reg(OBJECT, '"a"=hex(2):41'), 4, "odd number of bytes"),
    (reg(OBJECT, '"a"=hex(1):41,00,00,00,42,00'), 4, "NUL inside"),
    (reg(OBJECT, '"a"=hex(7):41,00'), 4, "must end in a NUL"),
    (reg(OBJECT, '"a"=hex(2):00,d8'), 4, "not valid UTF-16LE"),
    (reg(OBJECT, '"a"=hex(0):'), 4, "REG_NONE"),
    (reg(GROUP, '"a"=hex(5):00,00,00,01'), 4, "REG_DWORD_BIG_ENDIAN"),
    (reg(LOCAL, '"a"=hex(20):00'), 4, "an unknown registry type"),
], ids=lambda value: None)
def test_refusals_name_the_line(text: str, line_number: int, reason: str) -> None:
    refused(text, line_number, reason)


def test_a_continued_value_is_reported_at_its_first_line_and_shown() -> None:
    error = refused(reg(OBJECT, '"a"=hex:01,\\', "  zz"), 4, "'zz' is not a byte")
    assert error.line == '"a"=hex:01,\\'


# --- round trip -------------------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_VALUE = st.one_of(
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.STRING), _TEXT),
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.EXPAND_STRING), _TEXT),
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.MULTI_STRING), st.lists(_TEXT.filter(bool), max_size=3).map(tuple)),
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.BINARY), st.binary(max_size=200)),
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.DWORD), st.integers(0, 2**32 - 1)),
    st.builds(RegistryValue, _TEXT, st.just(ValueKind.QWORD), st.integers(0, 2**64 - 1)),
)


def _unique(values):
    seen, kept = set(), []
    for value in values:
        if value.name.casefold() not in seen:
            seen.add(value.name.casefold())
            kept.append(value)
    return tuple(kept)


_KEY_NAME = st.from_regex(r"ipsec[A-Za-z]{1,12}\{[0-9a-f]{8}\}", fullmatch=True)
_SNAPSHOT = st.builds(
    lambda local, objects, group: RegistrySnapshot(local, tuple({key.name.casefold(): key for key in objects}.values()), group),
    st.builds(RegistryKey, st.just("Policy\\Local"), st.lists(_VALUE, max_size=3).map(_unique)),
    st.lists(st.builds(RegistryKey, _KEY_NAME, st.lists(_VALUE, max_size=5).map(_unique)), max_size=4),
    st.none() | st.builds(RegistryKey, st.just("GPTIPSECPolicy"), st.lists(_VALUE, max_size=3).map(_unique)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SNAPSHOT, st.sampled_from(["\r\n", "\n"]))
def test_what_the_test_writer_exports_reads_back_equal(snapshot: RegistrySnapshot, newline: str) -> None:
    text = reg_text(snapshot, newline=newline)
    assert parse_reg_export(text) == snapshot
    assert parse_reg_export(decode_reg_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))) == snapshot
