"""The regedit export reader behind ``NETSH_EMU_REGISTRY_FILE`` (``_reg_file``)."""

from __future__ import annotations

import pytest
from emu_registry_support import LOCAL, W2K, W10, W11

from netsh_emulator._reg_file import RegFileError, read_reg_file
from netsh_emulator._registry_model import BINARY, DWORD, EXPAND_STRING, MULTI_STRING, NONE, QWORD, STRING, UNKNOWN, RegKey, RegValue

HEADER = "Windows Registry Editor Version 5.00"


def _write(tmp_path, text: str, encoding: str = "utf-16") -> str:
    """*text* as a .reg file; ``utf-16`` writes the BOM and little-endian text, as regedit does."""
    path = tmp_path / "export.reg"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return str(path)


@pytest.mark.parametrize(("sample", "subkeys", "policy"), [
    (W10, 9, "ipsecPolicy{fef1d3cd-e509-4d7e-ac24-4a23afc9eb26}"),
    (W11, 11, "ipsecPolicy{618dd376-ce6a-48d8-aa55-66c03e18ccbb}"),
    (W2K, 7, "ipsecPolicy{00000001-0000-4000-8000-000000000001}"),
])
def test_the_samples(sample, subkeys, policy):
    local = read_reg_file(str(sample)).key(LOCAL)
    assert len(local.subkeys) == subkeys
    (active,) = local.values
    assert active.name == "ActivePolicy" and active.kind == STRING and active.data.endswith("\\" + policy)
    (policy_key,) = [key for key in local.subkeys if key.name == policy]
    values = {value.name.lower(): value for value in policy_key.values}
    assert values["ipsecdata"].kind == BINARY and values["ipsecdata"].data.hex() == "632120224c4fd111863b00a0248d302104000000302a000000"
    assert values["ipsecdatatype"] == RegValue("ipsecDataType", DWORD, 256)
    assert values["ipsecnfareference"].kind == MULTI_STRING and all(ref.startswith("SOFTWARE\\Policies\\") for ref in values["ipsecnfareference"].data)
    assert values["whenchanged"].kind == DWORD


def test_the_windows_2000_sample_keeps_its_spelling():
    local = read_reg_file(str(W2K)).key(LOCAL)
    assert all(key.values[0].name == "ClassName" for key in local.subkeys)       # D1 writes ClassName (§1.3)
    assert read_reg_file(str(W2K)).key(LOCAL.upper()) == local                     # paths compare case-insensitively


def test_value_forms_and_continuations(tmp_path):
    path = _write(tmp_path, "\n".join([
        HEADER, "",
        "; a comment",
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Test]",
        '@="default"',
        '"quote"="a \\"b\\" c\\\\d"',
        '"dword"=dword:80000001',
        '"binary"=hex:00,01,\\',
        "  ff",
        '"empty"=hex:',
        '"expand"=hex(2):25,00,41,00,25,00,00,00',
        '"multi"=hex(7):61,00,00,00,00,00,62,00,00,00,00,00',
        '"none"=hex(0):01,02',
        '"multi-empty"=hex(7):00,00',
        '"qword"=hex(b):fe,ff,ff,ff,ff,ff,ff,ff',
        '"dword-hex"=hex(4):02,00,00,00',
        '"big-endian"=hex(5):00,00,00,01',
        '"sz"=hex(1):61,00,00,00',
        "",
    ]))
    key = read_reg_file(path).key("HKEY_LOCAL_MACHINE\\SOFTWARE\\Test")
    assert key == RegKey("Test", (
        RegValue("", STRING, "default"), RegValue("quote", STRING, 'a "b" c\\d'), RegValue("dword", DWORD, 0x80000001),
        RegValue("binary", BINARY, b"\x00\x01\xff"), RegValue("empty", BINARY, b""), RegValue("expand", EXPAND_STRING, "%A%"),
        RegValue("multi", MULTI_STRING, ["a", "", "b"]), RegValue("none", NONE, b"\x01\x02"),
        RegValue("multi-empty", MULTI_STRING, []), RegValue("qword", QWORD, 2**64 - 2), RegValue("dword-hex", DWORD, 2),
        RegValue("big-endian", UNKNOWN, b"\x00\x00\x00\x01"), RegValue("sz", STRING, "a")), ())


def test_keys_deletions_and_implied_subkeys(tmp_path):
    path = _write(tmp_path, "\n".join([
        HEADER,
        "[HKEY_LOCAL_MACHINE\\A]",
        '"x"="1"',
        "[HKEY_LOCAL_MACHINE\\A\\Deep\\Deeper]",
        '"y"="2"',
        "[HKEY_LOCAL_MACHINE\\A\\Gone]",
        '"z"="3"',
        "[HKEY_LOCAL_MACHINE\\A\\Gone\\Below]",
        "[-HKEY_LOCAL_MACHINE\\a\\gone]",
        "[HKEY_LOCAL_MACHINE\\a]",
        '"X"="replaced"',
        '"w"="4"',
        '"w"=-',
    ]), encoding="utf-8")
    reg = read_reg_file(path)
    # "Deep" exists because a key below it does; it has no values of its own
    assert reg.key("HKEY_LOCAL_MACHINE\\A") == RegKey("A", (RegValue("X", STRING, "replaced"),), (RegKey("Deep", ()),))
    assert reg.key("HKEY_LOCAL_MACHINE\\A\\Gone") is None and reg.key("HKEY_LOCAL_MACHINE\\B") is None
    assert reg.key("HKEY_LOCAL_MACHINE\\A\\Deep\\Deeper").values == (RegValue("y", STRING, "2"),)


def test_utf8_with_bom_and_lf_endings(tmp_path):
    path = tmp_path / "export.reg"
    path.write_bytes(("\ufeff" + HEADER + "\n[HKEY_LOCAL_MACHINE\\A]\n\"name\"=\"ümlaut\"\n").encode("utf-8"))
    assert read_reg_file(str(path)).key("HKEY_LOCAL_MACHINE\\A").values == (RegValue("name", STRING, "ümlaut"),)


@pytest.mark.parametrize(("lines", "message"), [
    (["REGEDIT4", "[HKEY_LOCAL_MACHINE\\A]"], "the first line is not"),
    ([], "the first line is not"),
    ([HEADER, '"v"="outside"'], ":2: a value outside any key"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A", '"v"="x"'], ":2: a key line must end with ']'"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"=hex:0g'], ":3: '0g' is not a list of hex bytes"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"="open'], ":3: unterminated string"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"="x" tail'], "unexpected text after a string value"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"=hex(1):61'], "odd number of bytes"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"=hex(b):01,02'], "a QWord value needs 8 bytes, not 2"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v"=sz:abc'], "cannot read the value data"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", "v=1"], "expected a key in brackets or a value"),
    ([HEADER, "[HKEY_LOCAL_MACHINE\\A]", '"v" "x"'], "expected '=' after the value name"),
])
def test_what_the_reader_refuses(tmp_path, lines, message):
    with pytest.raises(RegFileError, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]").replace("[", r"\[")):
        read_reg_file(_write(tmp_path, "\n".join(lines)))


def test_bytes_that_are_not_text(tmp_path):
    path = tmp_path / "export.reg"
    path.write_bytes(HEADER.encode("ascii") + b"\r\n\xff\x00\xfe")
    with pytest.raises(RegFileError, match="neither UTF-16 with a BOM nor UTF-8"):
        read_reg_file(str(path))
