"""The fake PowerShell running one plain netsh command line (what ansible.builtin.raw sends over WinRM).

ansible-core wraps a raw command as ``PowerShell ... -EncodedCommand <b64 of the script>``. The script
is the command itself (2.21), or the stripped command between the optional ``Set-StrictMode`` and
``$LASTEXITCODE`` lines of ``_encode_script`` (2.16-2.20). Most tests go through ``run_powershell``
with an -EncodedCommand built here; one goes through ``bin/PowerShell``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from emu_support import POWERSHELL_PREFIX, PRESERVE_RC_LINE, STRICT_MODE_LINE, assert_clixml, encode_command

from netsh_emulator import run_powershell
from netsh_emulator._native_command import split_statement

ONLY = "only runs one plain netsh command line"


def _ps(env: dict, script: str) -> tuple[int, bytes, bytes]:
    """run_powershell with the arguments ansible-core sends for *script* (no stdin, as for raw)."""
    return run_powershell(POWERSHELL_PREFIX.split()[1:] + [encode_command(script)], b"", env)


def _ok(env: dict, script: str) -> str:
    rc, out, err = _ps(env, script)
    assert (rc, err) == (0, b""), (script, rc, out, err)
    return out.decode("utf-8")


def _rejected(env: dict, script: str, fragment: str) -> None:
    rc, out, err = _ps(env, script)
    assert_clixml(rc, out, err, fragment)
    assert not Path(env["NETSH_EMU_STATE"]).exists()   # netsh never ran


def test_add_and_show_with_quoted_values(emu):
    assert _ok(emu.env, "netsh ipsec static add filterlist name=\"Web Servers\" description='It''s the DMZ'") == ""
    assert _ok(emu.env, 'netsh ipsec static add filter filterlist="Web Servers" srcaddr=me\tdstaddr=any '
                        "protocol=tcp dstport=443") == ""
    shown = _ok(emu.env, '  netsh ipsec static show filterlist name="Web Servers" level=verbose  ')
    assert shown == emu.ok('show filterlist name="Web Servers" level=verbose')
    assert "FilterList Name        : Web Servers\r\n" in shown and "Description            : It's the DMZ\r\n" in shown
    assert "Destination Port       : 443\r\n" in shown and shown.endswith("\r\n")


@pytest.mark.parametrize("program", ["netsh", "NetSh.exe", r"C:\Windows\System32\netsh.exe", r".\NETSH.EXE"])
def test_program_spellings_and_literal_text_in_quotes(emu, program):
    assert _ok(emu.env, program + ' ipsec static add policy "name=Web Policy" description="a;b|c&(d){e}<f>,@g#h"') == ""
    assert "Description            : a;b|c&(d){e}<f>,@g#h\r\n" in emu.ok('show policy name="Web Policy"')


@pytest.mark.parametrize(("statement", "argv"), [
    ('netsh a filterlist="Web Servers" b', ["netsh", "a", "filterlist=Web Servers", "b"]),
    ("netsh 'a b'\"c d\"e", ["netsh", "a bc de"]),
    ("netsh 'It''s $x `n ;|&' \"a;b|c&(d){e}<f>,@g#h\" ''''", ["netsh", "It's $x `n ;|&", "a;b|c&(d){e}<f>,@g#h", "'"]),
    ("netsh\t x@y a#b 100000k 480 0 -? /? 3DES-SHA1-2 10.0.0.1 C:\\dir\\ %PATH% !x",
     ["netsh", "x@y", "a#b", "100000k", "480", "0", "-?", "/?", "3DES-SHA1-2", "10.0.0.1", "C:\\dir\\", "%PATH%", "!x"]),
])
def test_tokenizer(statement, argv):
    assert split_statement(statement) == argv


def test_ansible_2_19_wrapper_lines(emu):
    add = 'netsh ipsec static add policy name="Web Policy"'
    assert _ok(emu.env, "\n".join([STRICT_MODE_LINE, add, PRESERVE_RC_LINE])) == ""
    assert _ok(emu.env, "\r\n".join(["", STRICT_MODE_LINE, "", 'netsh ipsec static show policy "Web Policy"', ""])).startswith(
        "\r\nPolicy Name            : Web Policy\r\n")
    assert _ok(emu.env, "\n".join(['netsh ipsec static add filterlist "L"', PRESERVE_RC_LINE])) == ""


def test_ansible_core_builds_the_same_command(emu):
    """The command line the installed ansible-core itself builds for a raw command runs."""
    from ansible.plugins.shell import powershell as shell  # pylint: disable=import-outside-toplevel  # ansible-core's own command builder
    raw = 'netsh ipsec static add filterlist name="Web Servers"'
    try:   # ansible-core 2.21: winrm exec_command -> get_pwsh_encoded_cmdline
        from ansible._internal._powershell._script import get_pwsh_encoded_cmdline
        argv = get_pwsh_encoded_cmdline(raw, override_execution_policy=True)
    except ImportError:   # 2.16-2.20: winrm exec_command -> _encode_script(strict_mode=False, preserve_rc=False)
        argv = shell.ShellModule()._encode_script(raw, as_list=True, strict_mode=False, preserve_rc=False)
    assert run_powershell(argv[1:], b"", emu.env) == (0, b"", b"")
    assert "FilterList Name        : Web Servers\r\n" in emu.ok("show filterlist all")


def test_exit_code_is_dollar_question_or_lastexitcode(emu):
    add = "netsh ipsec static add policy P"
    preserve = "\n".join([STRICT_MODE_LINE, add, PRESERVE_RC_LINE])
    assert _ps(emu.env, add) == (0, b"", b"")
    rc, out, err = _ps(emu.env, add)
    assert (rc, err) == (1, b"") and out == b'ERR IPsec[05005] : Policy with name "P" already exists.\r\n'
    env = dict(emu.env, NETSH_EMU_ERROR_EXIT="5")
    assert _ps(env, add)[0] == 1                      # $? is false -> powershell.exe exits 1
    assert _ps(env, preserve)[0] == 5                 # ... unless the script exits with $LASTEXITCODE
    env = dict(emu.env, NETSH_EMU_ERROR_EXIT="0")
    assert [_ps(env, script)[0] for script in (add, preserve)] == [0, 0]   # rc 0 despite the ERR line
    assert _ps(emu.env, preserve.replace(" P", " Q"))[:2] == (0, b"")


def test_netsh_stderr_becomes_clixml(emu):
    env = {key: value for key, value in emu.env.items() if key != "NETSH_EMU_STATE"}
    rc, out, err = _ps(env, "netsh ipsec static show all")   # the emulator says so on stderr, rc 2
    assert_clixml(rc, out, err, "netsh emulator: NETSH_EMU_STATE is not set")
    rc, out, err = _ps(env, "\n".join(["netsh ipsec static show all", PRESERVE_RC_LINE]))
    assert rc == 2 and out == b"" and err.startswith(b"#< CLIXML\r\n")


def test_zh_cn_output_is_re_encoded_as_utf8(emu):
    env = dict(emu.env, NETSH_EMU_LANG="zh-CN")
    assert _ok(env, "netsh ipsec static add policy P assign=yes") == ""
    rc, out, err = _ps(env, "netsh ipsec static show policy name=P")
    raw = emu("show policy name=P", NETSH_EMU_LANG="zh-CN").raw   # code page 936 bytes
    assert (rc, err) == (0, b"") and out != raw
    assert out == raw.decode("cp936").encode("utf-8") and "已分配" in out.decode("utf-8") and out.endswith(b"\r\n")
    utf8 = emu("show policy name=P", NETSH_EMU_LANG="zh-CN", NETSH_EMU_CODEPAGE="65001").raw
    assert _ps(dict(env, NETSH_EMU_CODEPAGE="65001"), "netsh ipsec static show policy name=P")[1] == utf8


def test_not_logged_as_a_round_trip(emu, tmp_path):
    log = tmp_path / "round-trips.jsonl"
    assert _ok(dict(emu.env, NETSH_EMU_PS_LOG=str(log)), "netsh ipsec static add policy P") == ""
    assert not log.exists()


@pytest.mark.parametrize("char", ["$", "`", ";", "|", "&", "(", ")", "{", "}", "<", ">", ","])
def test_rejects_special_characters(emu, char):
    name = "the backtick (`)" if char == "`" else f"'{char}'"
    _rejected(emu.env, f"netsh ipsec static add policy name=a{char}b", f"{name} outside quotes; it {ONLY}")


@pytest.mark.parametrize("char", ["@", "#"])
def test_rejects_at_and_hash_at_token_start(emu, char):
    _rejected(emu.env, f"netsh ipsec static add policy {char}P", f"'{char}' outside quotes; it {ONLY}")


@pytest.mark.parametrize(("statement", "fragment"), [
    ('netsh ipsec static add policy name="a$b"', "'$' inside double quotes"),
    ('netsh ipsec static add policy name="a`tb"', "the backtick (`) inside double quotes"),
    ('netsh ipsec static add policy name="Web Servers', "an unterminated double-quoted string"),
    ("netsh ipsec static add policy name='Web", "an unterminated single-quoted string"),
    ("netsh ipsec static add policy name=O'Brien", "an unterminated single-quoted string"),
    ("netsh ipsec static add policy name='a\"b'", "contains '\"'"),
    ('netsh ipsec static add policy name="a""b"', "contains '\"'"),
    ("netsh ipsec static add policy name=P description ''", "an empty argument"),
    ("netsh ipsec static exportpolicy file='C:\\My Dir\\'", "trailing backslash"),
    ("netsh ipsec static add policy --% name=P", "starts with '-'"),
    ("netsh ipsec static add policy -name=P", "starts with '-'"),
    ("netsh ipsec static add policy P 0x10", "is a number to PowerShell"),
    ("netsh ipsec static add policy P 1e3", "is a number to PowerShell"),
    ("netsh ipsec static add policy P 1kb", "is a number to PowerShell"),
    ("netsh ipsec static add policy P 010", "is a number to PowerShell"),
    ("netsh ipsec static add policy P 1.5", "is a number to PowerShell"),
    ("netsh ipsec static add policy name=\u201cP\u201d", "'\u201c' outside quotes"),
    ("netsh ipsec static add policy name='P\u2019", "'\u2019' inside single quotes"),
    ("netsh ipsec static add policy \u2013name=P", "'\u2013' outside quotes"),
    ("netsh ipsec static add\u00a0policy P", "the character U+00A0 (whitespace other than space and tab)"),
    ("netsh ipsec static add policy 'P\x07'", "the character U+0007 inside single quotes"),
    ('"netsh" ipsec static add policy P', "the program name is quoted"),
])
def test_rejects_what_powershell_would_not_pass_as_written(emu, statement, fragment):
    _rejected(emu.env, statement, fragment)


@pytest.mark.parametrize("statement", [
    "Write-Output hello",
    "cmd /c netsh ipsec static add policy P",
    "netsh2 ipsec static add policy P",
    r"C:\tools\netsh.exe.bak ipsec static add policy P",
    r"C:\tools\mynetsh.exe ipsec static add policy P",
])
def test_rejects_other_programs(emu, statement):
    _rejected(emu.env, statement, f"not netsh; it {ONLY}")


@pytest.mark.parametrize("script", [
    "netsh ipsec static add policy P\nnetsh ipsec static add policy Q",
    "",
    "\n".join([STRICT_MODE_LINE, PRESERVE_RC_LINE]),
])
def test_rejects_anything_but_one_statement(emu, script):
    _rejected(emu.env, script, "nor one plain netsh command line")


def test_through_bin_powershell(subprocess_env):
    def run(script: str) -> subprocess.CompletedProcess:
        return subprocess.run(["/bin/sh", "-c", POWERSHELL_PREFIX + encode_command(script)], input=b"", env=subprocess_env,
                              capture_output=True, timeout=60, check=False)

    proc = run('netsh ipsec static add filteraction name="Block All" action=block')
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = run('netsh ipsec static show filteraction name="Block All"')
    assert proc.returncode == 0 and b"FilterAction Name      : Block All\r\n" in proc.stdout
    proc = run("netsh ipsec static show filteraction name=Missing")
    assert proc.returncode == 1 and proc.stdout.startswith(b"ERR IPsec[05902] : ")
