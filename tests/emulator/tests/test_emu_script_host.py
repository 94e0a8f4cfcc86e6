"""The script host (``_script_host``): a user's batch file, PowerShell script or netsh script run on the
emulated host the way Windows would run its netsh commands; anything it cannot run exactly is refused
before anything runs (A-119)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from emu_support import BIN_DIR

from netsh_emulator import CommandResult, ScriptNotRunnable, plan_script, run_script, run_script_file
from netsh_emulator._script_host import kind_of


def _store(emu) -> dict:
    return json.loads(emu.state.read_text("utf-8"))


def _names(emu, kind: str = "policies") -> list[str]:
    return [obj["name"] for obj in _store(emu)[kind]] if emu.state.exists() else []


def _argvs(results: list[CommandResult]) -> list[str]:
    return [" ".join(result.argv) for result in results]


def _refused(emu, script: str | bytes, kind: str, line: int, fragment: str, **options) -> ScriptNotRunnable:
    with pytest.raises(ScriptNotRunnable) as info:
        run_script(script, emu.env, kind, **options)
    assert info.value.line == line and fragment in info.value.reason, (info.value.line, info.value.reason)
    assert not emu.state.exists()                      # nothing ran
    return info.value


# --- batch files ----------------------------------------------------------------------------------

BATCH = "\r\n".join([
    "@echo off",
    "REM Lockdown & friends: nothing on a REM line runs",
    ":: a label-style comment",
    "rem",
    "",
    "echo Creating the policy...",
    'netsh ipsec static add policy name="Web Lockdown" description="Block SMB" assign=y > nul',
    "  @NETSH.EXE IPsec Static add filteraction name=Block action=block 2>nul",
    r"C:\Windows\System32\netsh.exe ipsec static add filter filterlist=SMB srcaddr=any dstaddr=me ^",
    "   protocol=tcp dstport=445 >> install.log 2>&1",
    r'"c:\windows\system32\NETSH.exe" ipsec static add rule name=SMB policy="Web Lockdown" filterlist=SMB filteraction=Block',
    "pause",
    "cls",
    "",
])


def test_batch_file_runs_its_netsh_commands(emu):
    results = run_script(BATCH, emu.env, "batch")
    assert [r.line for r in results] == [7, 8, 9, 11]
    assert results[0].argv == ("ipsec", "static", "add", "policy", "name=Web Lockdown", "description=Block SMB", "assign=y")
    assert results[1].argv[:2] == ("IPsec", "Static")
    assert results[2].argv[4:] == ("filterlist=SMB", "srcaddr=any", "dstaddr=me", "protocol=tcp", "dstport=445")
    assert all((r.rc, r.stdout, r.stderr) == (0, b"", b"") for r in results)
    policy = _store(emu)["policies"][0]
    assert (policy["name"], policy["description"], policy["assigned"], policy["rules"][0]["name"]) == (
        "Web Lockdown", "Block SMB", True, "SMB")


def test_batch_file_gives_the_store_its_commands_give(emu, tmp_path):
    from emu_support import Emu  # pylint: disable=import-outside-toplevel  # a second, fresh host
    run_script(BATCH, emu.env, "batch")
    other = Emu(tmp_path / "other.json")
    for argv in plan_script(BATCH, "batch"):
        if argv.kind == "netsh":
            assert other.argv(list(argv.argv)).rc == 0
    assert _store(emu) == _store(other)


def test_show_output_comes_back(emu):
    results = run_script("netsh ipsec static add policy P\nnetsh ipsec static show policy P\n", emu.env, "batch")
    assert results[1].stdout.decode("cp437").startswith("\r\nPolicy Name            : P\r\n")


@pytest.mark.parametrize("program", [
    "netsh", "NETSH", "netsh.exe", "NetSh.Exe", r"C:\Windows\System32\netsh.exe", r"c:\WINDOWS\system32\NETSH.EXE",
    r'"C:\Windows\System32\netsh.exe"', r"C:\Windows\SysWOW64\netsh.exe", "@netsh",
])
@pytest.mark.parametrize("context", ["ipsec static", "IPSEC STATIC", "Ipsec Static", "ip st"])
def test_batch_netsh_spellings(emu, program, context):
    results = run_script(f"{program} {context} add policy P\r\n", emu.env, "batch")
    assert [r.rc for r in results] == [0] and _names(emu) == ["P"]


def test_caret_continuation_and_escapes(emu):
    script = "\n".join([
        "netsh ipsec static ^",
        "add policy ^",
        "name=P description=a^&b",                 # an escaped & is text
        'netsh ipsec static add policy "name=Q ^" description="x & y"',   # inside quotes: literal, no continuation
        "netsh ipsec static add policy R description=^",
        "&literal",                                # the first character after a continuation is literal
    ])
    results = run_script(script, emu.env, "batch")
    assert [r.line for r in results] == [1, 4, 5]
    assert [p["description"] for p in _store(emu)["policies"]] == ["a&b", "x & y", "&literal"]
    assert _names(emu) == ["P", "Q ^", "R"]


@pytest.mark.parametrize(("script", "line", "fragment"), [
    ("netsh ipsec static add policy P ^", 1, "continues the last line"),
    ("netsh ipsec static add policy P ^\n\nnetsh ipsec static add policy Q", 1, "onto an empty line"),
    ("rem comment ^\nnetsh ipsec static add policy P", 1, "comment or label continued"),
])
def test_caret_cases_cmd_reads_differently_are_refused(emu, script, line, fragment):
    _refused(emu, script, "batch", line, fragment)


@pytest.mark.parametrize("redirection", [
    "> nul", ">nul", "2>nul", "2> nul", "1>nul", ">> install.log", "> nul 2>&1", "2>&1 >nul", '> "C:\\log file.txt"',
    "2>>err.txt", "1>&2",
])
def test_output_redirections_are_removed(emu, redirection):
    results = run_script(f"netsh ipsec static add policy name=P {redirection}\r\n", emu.env, "batch")
    assert results[0].argv == ("ipsec", "static", "add", "policy", "name=P")


def test_redirection_before_the_command(emu):
    assert _argvs(run_script(">nul netsh ipsec static add policy P", emu.env, "batch")) == ["ipsec static add policy P"]


def test_and_or_and_ampersand(emu):
    script = "\n".join([
        "netsh ipsec static add policy P && netsh ipsec static add policy Q",          # both run
        "netsh ipsec static add policy P && netsh ipsec static add policy X",          # P exists: X does not run
        "netsh ipsec static add policy P || netsh ipsec static add policy Y",          # P exists: Y runs
        "netsh ipsec static add policy Z || netsh ipsec static add policy W",          # Z new: W does not run
        "netsh ipsec static add policy P & netsh ipsec static add policy V",           # V always runs
        "netsh ipsec static add policy P && echo ok || netsh ipsec static add policy U",   # (P && echo) || U: U runs
        "netsh ipsec static add policy T && echo ok || netsh ipsec static add policy S",   # T new, echo ok: S does not
    ])
    results = run_script(script, emu.env, "batch")
    assert [(r.line, r.argv[-1], r.rc) for r in results] == [
        (1, "P", 0), (1, "Q", 0), (2, "P", 1), (3, "P", 1), (3, "Y", 0), (4, "Z", 0), (5, "P", 1), (5, "V", 0),
        (6, "P", 1), (6, "U", 0), (7, "T", 0)]
    assert results[2].stdout.startswith(b"ERR IPsec[05005]")
    assert _names(emu) == ["P", "Q", "Y", "Z", "V", "U", "T"]


def test_failing_commands_do_not_stop_a_batch(emu):
    results = run_script("netsh ipsec static add rule R P L A\nnetsh ipsec static add policy P\n", emu.env, "batch")
    assert [r.rc for r in results] == [1, 0] and _names(emu) == ["P"]


@pytest.mark.parametrize("noop", [
    "echo off", "echo.", "echo:", "ECHO Installing & echo done", "pause", "pause > nul", "cls", "title IPsec lockdown",
    "color 0a", "ver", "setlocal", "setlocal EnableExtensions", "endlocal", "timeout /t 2 /nobreak > nul", "chcp",
])
def test_commands_without_effect_are_skipped(emu, noop):
    results = run_script(f"{noop}\r\nnetsh ipsec static add policy P\r\n", emu.env, "batch")
    assert _argvs(results) == ["ipsec static add policy P"]


@pytest.mark.parametrize("script", [
    "netsh ipsec static add policy P\nexit\nnetsh ipsec static add policy Q %X%",
    "netsh ipsec static add policy P\nexit /b 0\nfor %%i in (a) do netsh %%i",
    "netsh ipsec static add policy P\nEXIT /B\n",
    "netsh ipsec static add policy P\ngoto :eof\ncall :sub",
    "netsh ipsec static add policy P & exit\nnetsh ipsec static add policy Q",
])
def test_exit_ends_the_script_and_what_follows_is_not_read(emu, script):
    assert _argvs(run_script(script, emu.env, "batch")) == ["ipsec static add policy P"]


def test_conditional_exit(emu):
    script = "netsh ipsec static add policy P || exit /b 1\nnetsh ipsec static add policy P || exit /b 1\nnetsh ipsec static add policy Q\n"
    assert [r.rc for r in run_script(script, emu.env, "batch")] == [0, 1]
    assert _names(emu) == ["P"]


@pytest.mark.parametrize(("script", "line", "fragment"), [
    ("netsh ipsec static add filter filterlist=L srcaddr=%IP% dstaddr=me", 1, "'%'"),
    ("@echo off\nset IP=10.0.0.1\nnetsh ipsec static add policy P", 2, "not 'set'"),
    ("for %%i in (1 2) do netsh ipsec static add policy P%%i", 1, "'%'"),
    ("if exist x.txt netsh ipsec static add policy P", 1, "not 'if'"),
    ("call setup.bat", 1, "not 'call'"),
    ("goto install", 1, "not 'goto'"),
    ("netsh ipsec static show policy all | findstr Lockdown", 1, "a pipe"),
    ("netsh ipsec static add policy P < answers.txt", 1, "input redirection"),
    ("(netsh ipsec static add policy P)", 1, "parenthesised block"),
    ("netsh ipsec static add filter filterlist=L any me protocol=tcp dstport=80>nul", 1, "digit right before '>'"),
    ("netsh ipsec static add policy P 3>nul", 1, "digit right before '>'"),
    ("netsh ipsec static add policy P >", 1, "without a file"),
    ("netsh ipsec static add policy P &", 1, "no command after"),
    ("&& netsh ipsec static add policy P", 1, "nothing before"),
    ("ipseccmd -w REG -p Lockdown -r Block -f 0+*::TCP -n BLOCK -x", 1, "ipseccmd is not emulated"),
    ("ipsecpol -w REG -p Lockdown -r Block -f *=0:135:TCP -n BLOCK", 1, "ipsecpol is not emulated"),
    (r"D:\tools\netsh.exe ipsec static add policy P", 1, "not netsh.exe of the Windows directory"),
    ("netsh", 1, "without arguments"),
    ("netsh -f lockdown.txt", 1, "netsh option '-f'"),
    ("netsh advfirewall set allprofiles state on", 1, "not the ipsec static context"),
    ("netsh ipsec dynamic show all", 1, "not the ipsec static context"),
    ("netsh exec lockdown.txt", 1, "not the ipsec static context"),
    ("setlocal EnableDelayedExpansion\nnetsh ipsec static add policy !P!", 1, "not 'setlocal"),
    ("powershell -File lockdown.ps1", 1, "not 'powershell'"),
    ("netsh ipsec static add policy P\nnetsh ipsec static add policy %~1", 2, "'%'"),
    ("netsh ipsec static add policy P & rem 100%", 1, "'%'"),
    ("netsh ipsec static add policy P || chcp 65001", 1, "conditional chcp"),
    ("chcp 99999\nnetsh ipsec static add policy P", 1, "not known"),
])
def test_what_cmd_would_read_differently_is_refused_before_anything_runs(emu, script, line, fragment):
    _refused(emu, script, "batch", line, fragment)


def test_refusal_names_the_line(emu):
    error = _refused(emu, "netsh ipsec static add policy P\r\nnetsh ipsec static add policy %NAME%\r\n", "batch", 2, "'%'")
    assert str(error) == "line 2: '%' (a variable or argument cmd.exe expands): 'netsh ipsec static add policy %NAME%'"


def test_percent_in_a_comment_line_is_fine(emu):
    assert len(run_script("rem 100% blocked %DATE%\n:: %X%\nnetsh ipsec static add policy P", emu.env, "batch")) == 1


def test_arguments_are_split_like_the_c_runtime(emu):
    script = r'netsh ipsec static add policy "name=My Policy" description="say \"hi\" twice" mmpfs="no"'
    results = run_script(script, emu.env, "batch")
    assert results[0].argv[4:] == ("name=My Policy", 'description=say "hi" twice', "mmpfs=no")


def test_batch_bytes_are_read_in_the_console_code_page(emu):
    script = "netsh ipsec static add policy 安全策略 description=封锁\r\n".encode("cp936")
    run_script(script, {**emu.env, "NETSH_EMU_LANG": "zh-CN"}, "batch")
    assert _store(emu)["policies"][0]["name"] == "安全策略"


def test_utf8_batch_without_chcp_is_read_as_the_console_reads_it(emu):
    # a UTF-8 file on a cp437 console: cmd.exe hands netsh the cp437 reading of the bytes
    run_script("netsh ipsec static add policy Ünï\r\n".encode("utf-8"), emu.env, "batch")
    assert _names(emu) == ["Ünï".encode("utf-8").decode("cp437")]


def test_chcp_switches_the_code_page_of_later_lines_and_of_netsh_output(emu):
    script = "@echo off\r\nchcp 65001 > nul\r\nnetsh ipsec static add policy Политика\r\nnetsh ipsec static show policy all\r\n"
    plan = plan_script(script.encode("utf-8"), "batch", env=emu.env)
    assert [step.codepage for step in plan if step.kind == "netsh"] == [65001, 65001]
    results = run_script(script.encode("utf-8"), emu.env, "batch")
    assert _names(emu) == ["Политика"] and "Политика" in results[1].stdout.decode("utf-8")


def test_byte_order_mark_in_a_batch_file(emu):
    _refused(emu, b"\xef\xbb\xbfnetsh ipsec static add policy P\r\n", "batch", 1, "byte order mark")
    _refused(emu, b"\xef\xbb\xbfrem x & netsh ipsec static add policy P\r\n", "batch", 1, "byte order mark")
    _refused(emu, "netsh ipsec static add policy P\r\n".encode("utf-16"), "batch", 0, "UTF-16")
    script = b"\xef\xbb\xbf@echo off\r\nnetsh ipsec static add policy P\r\n"
    assert _argvs(run_script(script, emu.env, "batch")) == ["ipsec static add policy P"]


def test_batch_refuses_an_encoding_argument(emu):
    with pytest.raises(ValueError, match="NETSH_EMU_CODEPAGE"):
        run_script(b"netsh ipsec static add policy P", emu.env, "batch", encoding="utf-8")


# --- PowerShell scripts ---------------------------------------------------------------------------

POWERSHELL = "\n".join([
    "# Lockdown, PowerShell edition",
    "<# multi-line",
    "   block comment #>",
    "<# one-line block comment #>",
    'netsh ipsec static add policy name="Web Lockdown" assign=yes | Out-Null',
    "netsh ipsec static add filteraction name='It''s blocked' action=block 2>$null",
    '& netsh ipsec static add filter filterlist="SMB in" srcaddr=any dstaddr=me protocol=tcp dstport=445 *> $null',
    "& 'C:\\Windows\\System32\\netsh.exe' ipsec static add rule name=SMB policy=\"Web Lockdown\" "
    "filterlist='SMB in' filteraction=\"It's blocked\" 2>&1 | Out-Null   # the rule",
    "$null = netsh.exe ipsec static add policy Second; Write-Host \"done\"",
    "NETSH IPSEC STATIC add filterlist Third > $null",
    "Start-Sleep -Seconds 1",
    "exit",
    "netsh ipsec static add policy NeverRuns",
])


def test_powershell_script_runs_its_netsh_commands(emu):
    results = run_script(POWERSHELL, emu.env, "powershell")
    assert [r.line for r in results] == [5, 6, 7, 8, 9, 10]
    assert results[1].argv[4:] == ("name=It's blocked", "action=block")
    assert results[2].argv[4] == "filterlist=SMB in"
    assert results[3].argv[4:] == ("name=SMB", "policy=Web Lockdown", "filterlist=SMB in", "filteraction=It's blocked")
    assert all(r.rc == 0 for r in results)
    assert _names(emu) == ["Web Lockdown", "Second"] and _names(emu, "filterlists") == ["SMB in", "Third"]
    assert _store(emu)["policies"][0]["rules"][0]["name"] == "SMB"


@pytest.mark.parametrize("program", ["netsh", "NETSH.EXE", r"C:\Windows\System32\netsh.exe", "& netsh",
                                     '& "netsh.exe"', r"& 'c:\windows\system32\netsh.exe'"])
def test_powershell_netsh_spellings(emu, program):
    assert [r.rc for r in run_script(f"{program} Ipsec Static add policy P\r\n", emu.env, "powershell")] == [0]


@pytest.mark.parametrize(("script", "line", "fragment"), [
    ("$ip = '10.0.0.1'\nnetsh ipsec static add filter filterlist=L srcaddr=$ip dstaddr=me", 1, "an expression"),
    ('netsh ipsec static add policy "name=$name"', 1, "'$' inside double quotes"),
    ("netsh ipsec static add filter filterlist=L srcaddr=%IP% dstaddr=me", 1, "'%'"),
    ("foreach ($p in 'a','b') { netsh ipsec static add policy $p }", 1, "not 'foreach'"),
    ("if ($true) { netsh ipsec static add policy P }", 1, "not 'if'"),
    ("netsh ipsec static add policy P && netsh ipsec static add policy Q", 1, "'&&'"),
    ("netsh ipsec static add policy P || exit 1", 1, "'||'"),
    ("netsh ipsec static show policy all | Select-String P", 1, "into something else than Out-Null"),
    ("netsh ipsec static show policy all |", 1, "goes on to the next line"),
    ("netsh ipsec static add policy `\n  name=P", 1, "backtick"),
    ("netsh ipsec static add policy 'P\nQ'", 1, "past the end of the line"),
    ("Start-Process netsh -ArgumentList 'ipsec static add policy P' -Wait", 1, "not 'Start-Process'"),
    ("cmd /c netsh ipsec static add policy P", 1, "not 'cmd'"),
    ("netsh advfirewall reset", 1, "not the ipsec static context"),
    ("<# never closed\nnetsh ipsec static add policy P", 1, "never ends"),
    ("<# a #> netsh ipsec static add policy P", 1, "after the end of a block comment"),
    ("netsh ipsec static add policy P <# inline #>", 1, "block comment inside a line"),
    ("netsh ipsec static add policy P 0x10", 1, "is a number to PowerShell"),
    ("netsh ipsec static add policy P ''", 1, "empty argument"),
    ("netsh ipsec static add policy P < input.txt", 1, "no input redirection"),
    ("netsh ipsec static add policy P>nul", 1, "'>' inside a word"),
    ("Write-Host $env:COMPUTERNAME", 1, "'$'"),
    (r".\netsh.exe ipsec static add policy P", 1, "not netsh.exe of the Windows directory"),
    ("netsh ipsec static add policy P\nipseccmd -w REG -p P", 2, "ipseccmd is not emulated"),
])
def test_what_powershell_would_read_differently_is_refused(emu, script, line, fragment):
    _refused(emu, script, "powershell", line, fragment)


def test_powershell_encodings(emu):
    script = "netsh ipsec static add policy 安全策略 description='封锁 端口'\r\n"
    run_script(codecs_bom("utf-8") + script.encode("utf-8"), emu.env, "powershell")
    run_script(script.replace("安全策略", "策略二").encode("utf-16"), emu.env, "powershell")
    run_script(script.replace("安全策略", "策略三").encode("cp936"), emu.env, "powershell", encoding="cp936")
    assert _names(emu) == ["安全策略", "策略二", "策略三"]
    assert _store(emu)["policies"][0]["description"] == "封锁 端口"


def test_powershell_without_bom_needs_an_encoding_for_non_ascii(emu):
    _refused(emu, "# ok\nnetsh ipsec static add policy Ünï\n".encode("utf-8"), "powershell", 2, "ANSI code page")


def codecs_bom(name: str) -> bytes:
    return "\ufeff".encode(name)


# --- netsh scripts (netsh -f, netsh exec) -----------------------------------------------------------

CONTEXT_FILE = "\n".join([
    "# Restrict to WSUS (the shape of a public Exchange 2007 script)",
    "pushd ipsec static",
    "set store location=local",
    "delete all",
    'add policy name="Restrict to WSUS" activatedefaultrule=NO',
    'add filteraction name="PERMIT" action=PERMIT',
    'add filteraction name="BLOCK" action=BLOCK',
    'add filter filterlist="All incoming traffic" protocol=ANY srcaddr=ANY dstaddr=ANY description="Block all incoming traffic"',
    'add rule name="Default incoming block" policy="Restrict to WSUS" filterlist="All incoming traffic" filteraction="BLOCK"',
    "popd",
    "",
])


def test_netsh_context_file(emu):
    results = run_script(CONTEXT_FILE, emu.env, "netsh")
    assert [r.line for r in results] == [3, 4, 5, 6, 7, 8, 9] and all(r.rc == 0 for r in results)
    assert results[0].argv == ("ipsec", "static", "set", "store", "location=local")
    policy = _store(emu)["policies"][0]
    assert policy["default_rule"]["activate"] is False and policy["rules"][0]["name"] == "Default incoming block"


@pytest.mark.parametrize("script", [
    "ipsec static\nset store local\nadd policy P\n",                   # netsh -f input: the context, then bare commands
    "ipsec\nstatic\nadd policy P\n",
    "ipsec static add policy P\n",                                      # a full command at the top
    "ipsec\nstatic add policy P\n",
    "IPSEC STATIC\n  ADD POLICY P  \r\n",
    "pushd ipsec static\nadd policy P\npopd\npushd ipsec dynamic\npopd\n",
    "ipsec static\n..\nstatic\nadd policy P\n",
    "pushd ip st\nadd policy P\nexit\nthis is never read %X%\n",
])
def test_netsh_script_forms(emu, script):
    assert _argvs(run_script(script, emu.env, "netsh"))[-1].lower().endswith("add policy p")
    assert _names(emu) == ["P"]


def test_netsh_script_started_in_a_context(emu):
    results = run_script("add policy P\nset store local\n", emu.env, "netsh", context="ipsec static")
    assert _argvs(results) == ["ipsec static add policy P", "ipsec static set store local"]


def test_failing_line_of_a_netsh_script_does_not_stop_it(emu):
    results = run_script("pushd ipsec static\nadd policy P\nadd policy P\nadd policy Q\npopd\n", emu.env, "netsh")
    assert [r.rc for r in results] == [0, 1, 0] and _names(emu) == ["P", "Q"]


@pytest.mark.parametrize(("script", "line", "fragment"), [
    ("pushd ipsec dynamic\nset config property=ipsecdiagnostics value=7\npopd", 2, "context 'ipsec dynamic'"),
    ("popd", 1, "without a pushd"),
    ("pushd ipsec static\nadd policy %NAME%", 2, "'%'"),
    ('pushd ipsec static\nadd policy name="a \\"b\\""', 2, "unknown"),
    ("pushd ipsec static\nfrobnicate policy P", 2, "not an ipsec static verb"),
    ("pushd ipsec static\ns policy all", 2, "ambiguous ipsec static verb"),
    ("set store local", 1, "not the ipsec static context"),
    ("interface ip show config", 1, "not the ipsec static context"),
    ("pushd interface", 1, "not a netsh context"),
])
def test_what_a_netsh_script_cannot_do_here_is_refused(emu, script, line, fragment):
    _refused(emu, script, "netsh", line, fragment)


def test_netsh_script_encodings(emu):
    _refused(emu, "ipsec static add policy Ünï\n".encode("utf-8"), "netsh", 1, "non-ASCII")
    run_script("ipsec static add policy Ünï\n".encode("utf-8"), emu.env, "netsh", encoding="utf-8")
    run_script("\ufeff# dump\nipsec static add policy Two\n", emu.env, "netsh")
    assert _names(emu) == ["Ünï", "Two"]
    with pytest.raises(ScriptNotRunnable, match="byte order mark"):
        run_script("\ufeffipsec static add policy P\n", emu.env, "netsh")


def test_bad_starting_context_is_refused(emu):
    _refused(emu, "add policy P", "netsh", 0, "not a netsh context", context="interface ip")


# --- the API and the command -----------------------------------------------------------------------

def test_kinds_and_files(emu, tmp_path):
    assert (kind_of("x.BAT"), kind_of("x.cmd"), kind_of("x.ps1")) == ("batch", "batch", "powershell")
    with pytest.raises(ValueError, match="kind="):
        kind_of("lockdown.txt")
    with pytest.raises(ValueError, match="unknown script kind"):
        run_script("", emu.env, "vbscript")
    script = tmp_path / "lockdown.cmd"
    script.write_bytes(b"@echo off\r\nnetsh ipsec static add policy P\r\n")
    assert _argvs(run_script_file(script, emu.env)) == ["ipsec static add policy P"]
    (tmp_path / "lockdown.txt").write_text("pushd ipsec static\nadd policy Q\npopd\n", "ascii")
    assert _argvs(run_script_file(tmp_path / "lockdown.txt", emu.env, "netsh")) == ["ipsec static add policy Q"]


def test_plan_runs_nothing(emu):
    steps = plan_script("netsh ipsec static add policy P && echo ok || exit /b 1", "batch")
    assert [(s.kind, s.when) for s in steps] == [("netsh", "always"), ("noop", "success"), ("exit", "failure")]
    assert not emu.state.exists()


def test_run_script_command(emu, tmp_path):
    script = tmp_path / "lockdown.bat"
    script.write_bytes(b"netsh ipsec static add policy P\r\nnetsh ipsec static add policy P\r\n")
    command = [sys.executable, str(BIN_DIR / "run-script")]
    done = subprocess.run([*command, "--json", str(script)], env=emu.env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert [(r["line"], r["rc"]) for r in json.loads(done.stdout)] == [(1, 0), (2, 1)]
    script.write_bytes(b"netsh ipsec static add policy %X%\r\n")
    done = subprocess.run([*command, str(script)], env=emu.env, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "line 1: '%'" in done.stderr
