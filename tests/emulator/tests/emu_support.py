"""Helpers shared by the emulator's own tests (unique module name: no clash with other suites).

``Emu`` runs netsh in process: ``emu("add policy name=P")`` prefixes ``ipsec static`` and splits the
string with the MSVCRT rules, exactly like the fake PowerShell does for a bootstrap command.
``encode_command`` / ``POWERSHELL_PREFIX`` build what ansible-core sends to PowerShell, and
``assert_clixml`` checks a fake-PowerShell refusal. ``STUB`` and ``BATCH`` are the collection's two scripts
(pinned copies): ``STUB_ARGV`` / ``STUB_COMMAND`` carry the stub on the command line, ``bootstrap_payload``
is the stub's stdin (the batch script and the request) and ``bootstrap_results`` the document it prints.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

EMULATOR_DIR = Path(__file__).resolve().parents[1]
BIN_DIR = EMULATOR_DIR / "bin"
if str(EMULATOR_DIR) not in sys.path:
    sys.path.insert(0, str(EMULATOR_DIR))

from netsh_emulator import join_c, run_netsh, split_c  # noqa: E402


# What ansible-core puts in front of an encoded script (execution.md §1.2, §1.3) ...
POWERSHELL_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
# ... and the lines its _encode_script (2.16-2.20) puts around the script.
STRICT_MODE_LINE = "Set-StrictMode -Version Latest"
PRESERVE_RC_LINE = "If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } Else { exit 1 } }"


# Copies of the collection's three scripts (the emulator imports nothing from plugins/ and only checks their
# hashes: STUB_SHA256 in netsh_emulator/_bootstrap_emulation.py, BATCH_SHA256 in netsh_emulator/_batch.py,
# ROLLBACK_SHA256 in netsh_emulator/_rollback.py). The batch script carries the rollback script as base64.
STUB = "\n".join([
    "# lockdown-ipsec-stub-v1",
    "$l=@($input)",
    "&([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($l[0])))) $l[1]",
    "exit 0",
])
ROLLBACK = "\n".join([
    '# lockdown-ipsec-rollback-v1',
    '$q=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json',
    'if([IO.File]::Exists($q.file)){foreach($c in $q.commands){',
    '[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{FileName="$env:SystemRoot\\System32\\netsh.exe";Arg'
    'uments=$c;UseShellExecute=$false;CreateNoWindow=$true}).WaitForExit()}',
    '[IO.File]::Delete($q.file)}',
    'Unregister-ScheduledTask -TaskName $q.task -Confirm:$false',
])
BATCH = "\n".join([
    '# lockdown-ipsec-batch-v5',
    'param($w)',
    "$ErrorActionPreference='Stop'",
    '$u=[Text.Encoding]::UTF8',
    '$q=$u.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json',
    '$r=@()',
    '$f=@()',
    '$g=$null',
    '$a=@()',
    '$o=$null',
    '$h=$null',
    '$z=$false',
    'foreach($n in $q.files){try{[IO.File]::OpenRead($n).Dispose()}catch{$f+=@{path=$n;error="$_"}}}',
    'if($q.disarm -and !$f){$x=$q.disarm;$o=@{task=$x.task;found=$false};try{if(Get-ScheduledTask -TaskName $x.task'
    ' -ErrorAction SilentlyContinue){Unregister-ScheduledTask -TaskName $x.task -Confirm:$false;$o.found=$true};if('
    '[IO.File]::Exists($x.file)){[IO.File]::Delete($x.file)}}catch{$o.error="$_"}}',
    'if($q.arm -and !$f){$x=$q.arm;try{$t=(Get-Date).AddSeconds($x.seconds);$j=$u.GetBytes((ConvertTo-Json -InputOb'
    'ject @{task=$x.task;file=$x.file;commands=@($x.commands)} -Compress));$e=[Convert]::ToBase64String([Text.Encod'
    'ing]::Unicode.GetBytes("`$w=\'"+[Convert]::ToBase64String($j)+"\'`n"+$u.GetString([Convert]::FromBase64String(\'{'
    'rollback}\'))));Register-ScheduledTask -TaskName $x.task -Action (New-ScheduledTaskAction -Execute "$env:System'
    'Root\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -Argument "-NoProfile -NonInteractive -ExecutionPolicy By'
    'pass -EncodedCommand $e") -Trigger (New-ScheduledTaskTrigger -Once -At $t) -User SYSTEM -RunLevel Highest -Set'
    'tings (New-ScheduledTaskSettingsSet -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries)|'
    'Out-Null;$h=@{task=$x.task;at=$t.ToUniversalTime().ToString(\'o\')}}catch{$h=@{task=$x.task;error="$_"};$z=$true'
    '}}',
    'foreach($c in $q.commands|?{!$f -and !$z}){',
    '$p=[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{FileName="$env:SystemRoot\\System32\\netsh.exe";'
    'Arguments=$c;UseShellExecute=$false;CreateNoWindow=$true;RedirectStandardInput=$true;RedirectStandardOutput=$t'
    'rue;RedirectStandardError=$true})',
    '$p.StandardInput.Close()',
    '$e=$p.StandardError.ReadToEndAsync()',
    '$m=[IO.MemoryStream]::new()',
    '$p.StandardOutput.BaseStream.CopyTo($m)',
    '$p.WaitForExit()',
    '$b=$m.ToArray()',
    '$r+=@{rc=$p.ExitCode;stdout=[Convert]::ToBase64String($b);stderr=$e.Result}',
    "if($q.stop_on_error -and ($p.ExitCode -or [Text.Encoding]::ASCII.GetString($b).Contains('ERR IPsec['))){break}",
    '}',
    'foreach($n in $q.read_back|?{!$f -and !$z}){try{$a+=@{path=$n;data=[Convert]::ToBase64String([IO.File]::ReadAl'
    'lBytes($n))}}catch{$a+=@{path=$n;error="$_"}}}',
    "function V($k){,@($k.GetValueNames()|%{$t=$k.GetValueKind($_);$d=$k.GetValue($_,$null,'DoNotExpandEnvironmentN"
    'ames\');if("$t" -eq \'Binary\'){$d=[Convert]::ToBase64String([byte[]]$d)};@{name=$_;kind="$t";data=$d}})}',
    'function K($p,$s){$k=[Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($p);if($k){try{@{values=(V $k);keys=@'
    '($k.GetSubKeyNames()|?{$s}|%{$c=$k.OpenSubKey($_);try{@{name=$_;values=(V $c)}}finally{$c.Close()}})}}finally{'
    '$k.Close()}}}',
    'if($q.registry -and !$f){$i=\'SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\';$g=@{local=(K "$i\\Policy\\Local" 1);gro'
    'up_policy=(K "$i\\GPTIPSECPolicy" 0)}}',
    "'<<LOCKDOWN-IPSEC-RESULT>>'+[Convert]::ToBase64String($u.GetBytes((ConvertTo-Json -InputObject @{codepage=(Get"
    '-Culture).TextInfo.OEMCodePage;results=$r;files=$f;read_back=$a;armed=$h;disarmed=$o;registry=$g} -Depth 12 -C'
    'ompress)))',
]).replace("{rollback}", base64.b64encode(ROLLBACK.encode("utf-8")).decode("ascii"))
MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
# The collection's stub as -EncodedCommand, and the argv after "PowerShell" that carries it.
STUB_ARGV = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Unrestricted", "-EncodedCommand",
             base64.b64encode(STUB.encode("utf-16-le")).decode("ascii")]
STUB_COMMAND = "PowerShell " + " ".join(STUB_ARGV)


def stdin_lines(*lines: str | bytes) -> bytes:
    """stdin of the stub: each line as base64 of its UTF-8 text, CRLF after each."""
    encoded = [line if isinstance(line, bytes) else line.encode("utf-8") for line in lines]
    return b"".join(base64.b64encode(line) + b"\r\n" for line in encoded)


def bootstrap_payload(commands: list[list[str]], stop_on_error: bool, files: list[str] | tuple = (), registry: bool = False,
                      read_back: list[str] | tuple = ()) -> bytes:
    """The stub's stdin: the batch script, then the JSON request (``read_back`` only when given)."""
    request = {"stop_on_error": stop_on_error, "files": list(files), "commands": [join_c(argv) for argv in commands], "registry": registry}
    if read_back:
        request["read_back"] = list(read_back)
    return encode_request(request)


def encode_request(request: object, script: str = BATCH) -> bytes:
    """Any JSON document as the request line after *script* (to send a request the collection would not)."""
    return stdin_lines(script, json.dumps(request))


def bootstrap_results(stdout: bytes) -> dict:
    """The document after the result marker."""
    text = stdout.decode("ascii")
    assert text.endswith("\r\n"), text
    body = text[text.rfind(MARKER) + len(MARKER):].split()[0]
    return json.loads(base64.b64decode(body).decode("utf-8"))


def encode_command(script: str) -> str:
    """The ``-EncodedCommand`` value of *script*: base64 of its UTF-16-LE text."""
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def assert_clixml(rc: int, stdout: bytes, stderr: bytes, fragment: str) -> None:
    """The fake PowerShell refused: rc 1, no stdout, a CLIXML error document containing *fragment*."""
    assert rc == 1 and stdout == b"", (rc, stdout, stderr)
    err = stderr.decode("utf-8")
    assert err.startswith("#< CLIXML\r\n<Objs ") and '<S S="Error">' in err and err.endswith("</Objs>")
    assert fragment in parse_clixml(stderr)


def parse_clixml(data: bytes) -> str:
    """The error text of a ``#< CLIXML`` document, decoded by ansible-core's own parser (which moved in 2.21)."""
    from ansible.plugins.shell import powershell as shell  # pylint: disable=import-outside-toplevel  # only the CLIXML tests need ansible
    if hasattr(shell, "_parse_clixml"):  # ansible-core <= 2.20
        return shell._parse_clixml(data).decode("utf-8")  # pylint: disable=protected-access  # the parser ansible itself uses
    from ansible._internal._powershell import _clixml as clixml  # pylint: disable=import-outside-toplevel  # ansible-core >= 2.21
    return "".join(clixml.extract_clixml_strings(data.decode("utf-8"), stream="Error"))


@dataclass
class Result:
    rc: int
    raw: bytes
    err: bytes
    encoding: str = "cp437"

    @property
    def out(self) -> str:
        return self.raw.decode(self.encoding)


class Emu:
    def __init__(self, state: Path) -> None:
        self.state = state
        self.env = {
            "NETSH_EMU_STATE": str(state),
            "NETSH_EMU_NOW": "2021-04-21T18:47:44",
            "NETSH_EMU_GUID_MODE": "sequential",
        }

    def __call__(self, cmdline: str, encoding: str = "cp437", **env: str) -> Result:
        return self.argv(split_c("ipsec static " + cmdline), encoding, **env)

    def argv(self, argv: list[str], encoding: str = "cp437", **env: str) -> Result:
        merged = {**self.env, **env}
        rc, out, err = run_netsh(argv, merged)
        return Result(rc, out, err, encoding)

    def ok(self, cmdline: str, **env: str) -> str:
        res = self(cmdline, **env)
        assert res.rc == 0, (cmdline, res.rc, res.out, res.err)
        assert "ERR" not in res.out, (cmdline, res.out)
        return res.out

    def err(self, cmdline: str, code: int, **env: str) -> str:
        res = self(cmdline, **env)
        line = res.out
        assert line.startswith(f"ERR IPsec[{code:05d}] : "), (cmdline, line, res.err)
        assert line.endswith("\r\n") and line.count("\r\n") == 1, line
        assert res.rc == 1, res.rc
        return line


def lockdown(host, *permitted: str, assign: bool = True) -> Emu:
    """Seed 000 on the store of ``host`` (anything with a ``state_file``: a WinRM or an SSH host): permit
    ``permitted`` (filter specs), block all other inbound traffic, and assign it unless ``assign`` is false."""
    emu = Emu(host.state_file)
    emu.ok("add policy name=Lockdown")
    emu.ok("add filteraction name=Permit action=permit")
    emu.ok("add filteraction name=Block action=block")
    if permitted:
        for spec in permitted:
            emu.ok(f"add filter filterlist=Management {spec}")
        emu.ok("add rule name=Management policy=Lockdown filterlist=Management filteraction=Permit")
    emu.ok("add filter filterlist=All srcaddr=any dstaddr=me")
    emu.ok("add rule name=All policy=Lockdown filterlist=All filteraction=Block")
    if assign:
        emu.ok("set policy name=Lockdown assign=yes")
    return emu


def wait_for_ready_file(path, process, timeout: float = 30.0) -> dict:
    """The JSON an emulated host's command (``--ready-file path``) writes once it serves; fails the test with the
    command's output if the command ends first, or if the file does not appear within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError(f"{path} did not appear within {timeout} s")
