# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pins the frozen bootstrap and its command-line budget (reference/execution.md §1.2, §2.2, §6).

A failure here means the bootstrap text changed. That is a protocol change: bump BOOTSTRAP_TAG,
update the emulated host, and only then update the pins below.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._bootstrap import (
    BATCH_SCRIPT,
    BATCH_TAG,
    RESULT_MARKER,
    ROLLBACK_SCRIPT,
    ROLLBACK_TAG,
    STUB_SCRIPT,
    STUB_TAG,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchRequest

STUB_SHA256 = "a3b519a161a4b9b50848f0ed3158babfebd59f0640102b3d456088244d8325c6"
BATCH_SHA256 = "b1c9f0634620924e5a9d3b22572983362c53e4e7b841cb39ff57486092cefd2e"
ROLLBACK_SHA256 = "cf6e72320305c3e576cf01e31901577cc79df62c9b0e7e4c74ffce3631a31d63"

EXPECTED_ROLLBACK = (
    r"# lockdown-ipsec-rollback-v1",
    r"$q=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json",
    r"if([IO.File]::Exists($q.file)){foreach($c in $q.commands){",
    r'[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{FileName="$env:SystemRoot\System32\netsh.exe";Arguments=$c;'
    r"UseShellExecute=$false;CreateNoWindow=$true}).WaitForExit()}",
    r"[IO.File]::Delete($q.file)}",
    r"Unregister-ScheduledTask -TaskName $q.task -Confirm:$false",
)
ROLLBACK_B64 = base64.b64encode("\n".join(EXPECTED_ROLLBACK).encode("utf-8")).decode("ascii")

EXPECTED_STUB = (
    r"# lockdown-ipsec-stub-v1",
    r"$l=@($input)",
    r"&([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($l[0])))) $l[1]",
    r"exit 0",
)

EXPECTED_BATCH = (
    r"# lockdown-ipsec-batch-v5",
    r"param($w)",
    r"$ErrorActionPreference='Stop'",
    r"$u=[Text.Encoding]::UTF8",
    r"$q=$u.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json",
    r"$r=@()",
    r"$f=@()",
    r"$g=$null",
    r"$a=@()",
    r"$o=$null",
    r"$h=$null",
    r"$z=$false",
    r'foreach($n in $q.files){try{[IO.File]::OpenRead($n).Dispose()}catch{$f+=@{path=$n;error="$_"}}}',
    r"if($q.disarm -and !$f){$x=$q.disarm;$o=@{task=$x.task;found=$false};try{"
    r"if(Get-ScheduledTask -TaskName $x.task -ErrorAction SilentlyContinue){Unregister-ScheduledTask -TaskName $x.task -Confirm:$false;$o.found=$true}"
    r';if([IO.File]::Exists($x.file)){[IO.File]::Delete($x.file)}}catch{$o.error="$_"}}',
    r"if($q.arm -and !$f){$x=$q.arm;try{$t=(Get-Date).AddSeconds($x.seconds)"
    r";$j=$u.GetBytes((ConvertTo-Json -InputObject @{task=$x.task;file=$x.file;commands=@($x.commands)} -Compress))"
    r";$e=[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes(" '"`$w=' "'" '"+[Convert]::ToBase64String($j)+"' "'" '`n"+'
    r"$u.GetString([Convert]::FromBase64String('" + ROLLBACK_B64 + r"'))))"
    r";Register-ScheduledTask -TaskName $x.task -Action (New-ScheduledTaskAction -Execute "
    r'"$env:SystemRoot\System32\WindowsPowerShell\v1.0\powershell.exe" -Argument '
    r'"-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand $e") -Trigger (New-ScheduledTaskTrigger -Once -At $t) '
    r"-User SYSTEM -RunLevel Highest -Settings (New-ScheduledTaskSettingsSet -StartWhenAvailable -AllowStartIfOnBatteries "
    r"-DontStopIfGoingOnBatteries)|Out-Null"
    r";$h=@{task=$x.task;at=$t.ToUniversalTime().ToString('o')}}catch{$h=@{task=$x.task;error=" '"$_"' r"};$z=$true}}",
    r"foreach($c in $q.commands|?{!$f -and !$z}){",
    # (long lines are split into adjacent literals only to stay within the line-length limit)
    r"$p=[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{"
    r'FileName="$env:SystemRoot\System32\netsh.exe";Arguments=$c;UseShellExecute=$false;CreateNoWindow=$true;'
    r"RedirectStandardInput=$true;RedirectStandardOutput=$true;RedirectStandardError=$true})",
    r"$p.StandardInput.Close()",
    r"$e=$p.StandardError.ReadToEndAsync()",
    r"$m=[IO.MemoryStream]::new()",
    r"$p.StandardOutput.BaseStream.CopyTo($m)",
    r"$p.WaitForExit()",
    r"$b=$m.ToArray()",
    r"$r+=@{rc=$p.ExitCode;stdout=[Convert]::ToBase64String($b);stderr=$e.Result}",
    r"if($q.stop_on_error -and ($p.ExitCode -or [Text.Encoding]::ASCII.GetString($b).Contains('ERR IPsec['))){break}",
    r"}",
    r"foreach($n in $q.read_back|?{!$f -and !$z}){try{$a+=@{path=$n;data=[Convert]::ToBase64String([IO.File]::ReadAllBytes($n))}}"
    r'catch{$a+=@{path=$n;error="$_"}}}',
    r"function V($k){,@($k.GetValueNames()|%{$t=$k.GetValueKind($_);$d=$k.GetValue($_,$null,'DoNotExpandEnvironmentNames');"
    r'if("$t" -eq ' + "'Binary'" + r'){$d=[Convert]::ToBase64String([byte[]]$d)};@{name=$_;kind="$t";data=$d}})}',
    r"function K($p,$s){$k=[Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($p);if($k){try{"
    r"@{values=(V $k);keys=@($k.GetSubKeyNames()|?{$s}|%{$c=$k.OpenSubKey($_);try{@{name=$_;values=(V $c)}}finally{$c.Close()}})}"
    r"}finally{$k.Close()}}}",
    r"if($q.registry -and !$f){$i='SOFTWARE\Policies\Microsoft\Windows\IPSec'"
    r';$g=@{local=(K "$i\Policy\Local" 1);group_policy=(K "$i\GPTIPSECPolicy" 0)}}',
    r"'<<LOCKDOWN-IPSEC-RESULT>>'+[Convert]::ToBase64String($u.GetBytes((ConvertTo-Json -InputObject "
    r"@{codepage=(Get-Culture).TextInfo.OEMCodePage;results=$r;files=$f;read_back=$a;armed=$h;disarmed=$o;registry=$g} -Depth 12 -Compress)))",
)

PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "

# cmd.exe, which WinRS uses to run the command line, refuses lines of 8191 characters or more.
CMD_LINE_LIMIT = 8191

# A large, awkward write batch: the stdin payload grows with it, the command line must not.
BIG_BATCH = BatchRequest(
    [
        ["ipsec", "static", "add", "filter", f"filterlist=Zürich ✓ 测试 {n}", 'description=say "hi" & 100%',
         "srcaddr=10.0.0.0", "srcmask=255.0.0.0", "dstaddr=me", "protocol=TCP", f"dstport={n}"]
        for n in range(1, 501)
    ],
    stop_on_error=True,
)


def _double_encoded(command_line: str) -> tuple[str, str]:
    """What ansible-core <= 2.18 winrm sends for an already encoded command (execution.md §1.2).

    Uses the installed core's ``ShellModule._encode_script`` when it still exists (2.19 has it; it is
    deprecated for removal in 2.24). Otherwise computes the same wrapping by hand: the command as a
    script, lines stripped, no strict mode, no rc tail, base64 of UTF-16-LE behind the same prefix.
    Returns the command line and which way it was computed.
    """
    try:
        from ansible.plugins.shell.powershell import ShellModule

        encode = ShellModule()._encode_script
    except (ImportError, AttributeError):
        script = "\n".join(line.strip() for line in command_line.splitlines() if line.strip())
        return PREFIX + base64.b64encode(script.encode("utf-16-le")).decode("ascii"), "by hand"
    parts = encode(command_line, as_list=True, strict_mode=False, preserve_rc=False)
    return " ".join(parts), "ansible-core"


def test_tags_and_marker() -> None:
    assert (STUB_TAG, BATCH_TAG, ROLLBACK_TAG) == ("lockdown-ipsec-stub-v1", "lockdown-ipsec-batch-v5", "lockdown-ipsec-rollback-v1")
    assert RESULT_MARKER == "<<LOCKDOWN-IPSEC-RESULT>>"
    assert STUB_SCRIPT.startswith("# " + STUB_TAG + "\n") and BATCH_SCRIPT.startswith("# " + BATCH_TAG + "\n")


def test_sha256() -> None:
    assert hashlib.sha256(STUB_SCRIPT.encode("utf-8")).hexdigest() == STUB_SHA256
    assert hashlib.sha256(BATCH_SCRIPT.encode("utf-8")).hexdigest() == BATCH_SHA256
    assert hashlib.sha256(ROLLBACK_SCRIPT.encode("utf-8")).hexdigest() == ROLLBACK_SHA256


def test_full_text() -> None:
    assert STUB_SCRIPT == "\n".join(EXPECTED_STUB)
    assert BATCH_SCRIPT.split("\n") == list(EXPECTED_BATCH)
    assert ROLLBACK_SCRIPT.split("\n") == list(EXPECTED_ROLLBACK)


def test_scripts_are_ascii_without_indentation() -> None:
    for script in (STUB_SCRIPT, BATCH_SCRIPT, ROLLBACK_SCRIPT):
        assert script.isascii()
        assert all(line == line.strip() for line in script.split("\n"))


def test_command_line_is_the_encoded_stub_and_stdin_carries_the_script_then_the_request() -> None:
    line = BIG_BATCH.command_line()
    assert line.startswith(PREFIX)
    assert base64.b64decode(line[len(PREFIX):]).decode("utf-16-le") == STUB_SCRIPT
    script, request, tail = BIG_BATCH.stdin().split("\r\n")
    assert tail == "" and base64.b64decode(script).decode("utf-8") == BATCH_SCRIPT
    assert set(json.loads(base64.b64decode(request))) == {"stop_on_error", "files", "commands", "registry"}


def test_command_line_fits_cmd_exe() -> None:
    assert len(BIG_BATCH.command_line()) < CMD_LINE_LIMIT


def test_command_line_fits_cmd_exe_when_double_encoded() -> None:
    line, how = _double_encoded(BIG_BATCH.command_line())
    assert line.startswith(PREFIX), how
    assert len(line) < CMD_LINE_LIMIT, f"{len(line)} characters, computed {how}"


def test_ansible_core_encoding_matches_the_hand_computation() -> None:
    # Keeps the fallback in _double_encoded honest while ansible-core still has the private method.
    pytest.importorskip("ansible.plugins.shell.powershell")
    from ansible.plugins.shell.powershell import ShellModule

    if not hasattr(ShellModule, "_encode_script"):
        pytest.skip("ansible-core no longer has ShellModule._encode_script")
    command_line = BIG_BATCH.command_line()
    by_core, how = _double_encoded(command_line)
    assert how == "ansible-core"
    assert by_core == PREFIX + base64.b64encode(command_line.encode("utf-16-le")).decode("ascii")


def test_stdin_is_ascii() -> None:
    stdin = BIG_BATCH.stdin()
    assert stdin.isascii()
    assert stdin.endswith("\r\n")
