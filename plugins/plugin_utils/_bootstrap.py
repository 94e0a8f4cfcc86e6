# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frozen PowerShell the host runs: a tiny stub on the command line, the batch script on stdin.

PRIVATE to the collection. Both texts below are version-tagged and pinned by a unit test
(``tests/unit/plugins/plugin_utils/test_bootstrap.py``) and by the emulated host, which accepts only
these exact scripts (by tag and SHA-256). Changing one character is a protocol change: bump the tag.

Why two parts: the command line must stay within cmd.exe's 8,191 characters when ansible-core < 2.19
encodes it a second time (A-36), and the batch script outgrew that once it also read the registry. So
the command line carries only :data:`STUB_SCRIPT`, which runs whatever script comes first on stdin, as
ansible-core's own exec wrapper does; the controller always sends :data:`BATCH_SCRIPT` there.

Protocol (see ``docs/assumptions.md`` A-20, A-33, A-34, A-60, A-90, A-91, A-93, A-94, A-99):

* stdin: two lines, base64 of the UTF-8 :data:`BATCH_SCRIPT`, then base64 of UTF-8 JSON
  ``{"stop_on_error": bool, "files": [str, ...], "commands": [str, ...], "read_back": [str, ...], "registry": bool,
  "arm": {...}, "disarm": {...}}`` (``read_back``, ``arm`` and ``disarm`` only when used) where each
  command is a netsh argument string already quoted with the C-runtime rules (``_quote.join_c``).
* ``files`` are preconditions checked before anything runs: each is opened for reading and closed again
  (``[IO.File]::OpenRead``, relative to the process's current directory, which the netsh processes
  inherit too). If one cannot be opened, nothing runs: ``results`` is empty, ``registry`` null, and
  ``files`` in the answer lists ``{"path": str, "error": str}`` for each one that failed, the error being
  PowerShell's message for it (A-60). This is how a restore refuses a missing or unreadable export
  before it deletes anything.
* ``disarm`` (optional, ``{"task": str, "file": str}``; a confirmation sends it alone): if the scheduled task
  of that name exists it is unregistered (``Unregister-ScheduledTask``) and ``disarmed.found`` is true;
  the file is deleted if it exists. Answer ``disarmed``: ``{"task", "found": bool}`` plus ``"error": str``
  (PowerShell's message) when one of these failed; null without ``disarm`` (A-140..A-146).
* ``arm`` (optional, ``{"task": str, "seconds": int, "file": str, "commands": [str, ...]}``), before the
  commands: registers a one-time scheduled task ``task`` (``Register-ScheduledTask`` without ``-Force``,
  so an existing task of that name makes arming fail) that runs as ``SYSTEM`` at now + ``seconds``
  ``%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -NonInteractive
  -ExecutionPolicy Bypass -EncodedCommand <b64>``, where ``<b64>`` is base64 of the UTF-16-LE text
  ``$w='<base64 of UTF-8 JSON {"task", "file", "commands"}>'`` + LF + :data:`ROLLBACK_SCRIPT`. Answer
  ``armed``: ``{"task", "at": the trigger time, UTC, ISO 8601 round-trip format}`` or ``{"task", "error":
  str}``; null without ``arm``. When arming fails, no command runs and nothing is read back.
* The rollback script, when the task fires: if ``file`` exists, each of ``commands`` runs as one netsh
  process (``ProcessStartInfo.Arguments``, as below, without stopping at a failure) and ``file`` is
  deleted; then the task unregisters itself. The collection arms ``delete all``, ``importpolicy
  file=<file>`` and the assignment of the policy that was assigned (A-47), after which ``file`` is
  exported by the write batch's first command: a rollback whose export failed changes nothing.
* For each command the script starts ``%SystemRoot%\\System32\\netsh.exe`` once with
  ``ProcessStartInfo.Arguments`` set to that string, so neither PowerShell nor cmd.exe parses it. With
  ``stop_on_error`` the batch stops after the first command whose exit code is not 0 or whose stdout
  contains ``ERR IPsec[`` (netsh's exit code after an IPsec error is unknown, A-21).
* ``read_back`` are files read after the commands (``[IO.File]::ReadAllBytes``, paths resolved as for
  ``files``), whether or not the batch stopped early, unless a file of ``files`` failed; each becomes
  ``{"path": str, "data": base64 of the bytes}`` or ``{"path": str, "error": str}`` with PowerShell's
  message (A-102). This is how a write batch that opens with ``exportpolicy`` brings the export back to
  the controller without another round trip.
* With ``registry``, after the commands, the script reads the keys
  ``HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local`` (its values and every subkey's
  values) and ``...\\IPSec\\GPTIPSECPolicy`` (its values), each ``{"values": [...], "keys": [...]}`` or
  null when the key does not exist; a value is ``{"name": str, "kind": RegistryValueKind name, "data":
  str | [str, ...] | base64 of the bytes (Binary) | number}`` (GPIPSEC.md §1.2-§1.6).
* stdout: anything, then a line ``<<LOCKDOWN-IPSEC-RESULT>>`` immediately followed by base64 of UTF-8
  JSON ``{"codepage": int, "results": [{"rc": int, "stdout": base64 bytes, "stderr": str}, ...],
  "files": [...], "read_back": [...], "armed": ... | null, "disarmed": ... | null, "registry": {"local": ...,
  "group_policy": ...} | null}``. netsh's stdout travels as raw
  bytes and is decoded on the controller with ``codepage``, the host's OEM code page as .NET reports it
  for the current culture (``(Get-Culture).TextInfo.OEMCodePage``: 437 en-US, 850 western Europe, 866
  ru-RU, 936 zh-CN), assumed to be the one netsh writes in when its stdout is a pipe (A-20); it is read
  from the culture, not from ``[Console]``, because psrp runs the script without a console. ``stderr``
  is text that .NET already decoded on the host.
* The stub ends with ``exit 0``; a terminating error gives exit code 1 and CLIXML on stderr.
"""

from __future__ import annotations

import base64

STUB_TAG = "lockdown-ipsec-stub-v1"
BATCH_TAG = "lockdown-ipsec-batch-v5"
ROLLBACK_TAG = "lockdown-ipsec-rollback-v1"
RESULT_MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"

# The command line: read stdin's lines, run the first as a script block with the second as its argument.
STUB_SCRIPT = "\n".join(
    (
        "# " + STUB_TAG,
        "$l=@($input)",
        "&([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($l[0])))) $l[1]",
        "exit 0",
    )
)

# What the armed scheduled task runs as SYSTEM (powershell.exe -EncodedCommand), after a first line
# ``$w='<base64 of UTF-8 JSON {"task", "file", "commands"}>'`` that the batch script's arm step writes.
ROLLBACK_SCRIPT = "\n".join(
    (
        "# " + ROLLBACK_TAG,
        "$q=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json",
        # Only when the export is there: a rollback whose export failed (so no change ran) must not delete anything.
        "if([IO.File]::Exists($q.file)){foreach($c in $q.commands){",
        "[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{FileName=\"$env:SystemRoot\\System32\\netsh.exe\";Arguments=$c;"
        "UseShellExecute=$false;CreateNoWindow=$true}).WaitForExit()}",
        "[IO.File]::Delete($q.file)}",
        "Unregister-ScheduledTask -TaskName $q.task -Confirm:$false",
    )
)

# On stdin, so its length costs nothing on the command line; still one statement per line.
BATCH_SCRIPT = "\n".join(
    (
        "# " + BATCH_TAG,
        "param($w)",
        "$ErrorActionPreference='Stop'",
        "$u=[Text.Encoding]::UTF8",
        "$q=$u.GetString([Convert]::FromBase64String($w))|ConvertFrom-Json",
        "$r=@()",
        "$f=@()",
        "$g=$null",
        "$a=@()",
        "$o=$null",
        "$h=$null",
        "$z=$false",
        "foreach($n in $q.files){try{[IO.File]::OpenRead($n).Dispose()}catch{$f+=@{path=$n;error=\"$_\"}}}",
        # Disarm (a confirmation): unregister the rollback's scheduled task, if still there, and delete its export.
        "if($q.disarm -and !$f){$x=$q.disarm;$o=@{task=$x.task;found=$false};try{"
        "if(Get-ScheduledTask -TaskName $x.task -ErrorAction SilentlyContinue){Unregister-ScheduledTask -TaskName $x.task -Confirm:$false;$o.found=$true}"
        ";if([IO.File]::Exists($x.file)){[IO.File]::Delete($x.file)}}catch{$o.error=\"$_\"}}",
        # Arm: a one-time scheduled task, as SYSTEM, that runs the rollback script at now + seconds. If it cannot
        # be registered (one of that name exists already, no ScheduledTasks module), no command runs ($z).
        "if($q.arm -and !$f){$x=$q.arm;try{$t=(Get-Date).AddSeconds($x.seconds)"
        ";$j=$u.GetBytes((ConvertTo-Json -InputObject @{task=$x.task;file=$x.file;commands=@($x.commands)} -Compress))"
        ";$e=[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes(\"`$w='\"+[Convert]::ToBase64String($j)+\"'`n\"+"
        "$u.GetString([Convert]::FromBase64String('" + "{rollback}" + "'))))"
        ";Register-ScheduledTask -TaskName $x.task -Action (New-ScheduledTaskAction -Execute "
        "\"$env:SystemRoot\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -Argument "
        "\"-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand $e\") -Trigger (New-ScheduledTaskTrigger -Once -At $t) "
        "-User SYSTEM -RunLevel Highest -Settings (New-ScheduledTaskSettingsSet -StartWhenAvailable -AllowStartIfOnBatteries "
        "-DontStopIfGoingOnBatteries)|Out-Null"
        ";$h=@{task=$x.task;at=$t.ToUniversalTime().ToString('o')}}catch{$h=@{task=$x.task;error=\"$_\"};$z=$true}}",
        # No command runs once a file has failed or arming has: an empty $f is false, a non-empty one true.
        "foreach($c in $q.commands|?{!$f -and !$z}){",
        "$p=[Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]@{"
        "FileName=\"$env:SystemRoot\\System32\\netsh.exe\";Arguments=$c;UseShellExecute=$false;CreateNoWindow=$true;"
        "RedirectStandardInput=$true;RedirectStandardOutput=$true;RedirectStandardError=$true})",
        "$p.StandardInput.Close()",
        "$e=$p.StandardError.ReadToEndAsync()",
        "$m=[IO.MemoryStream]::new()",
        "$p.StandardOutput.BaseStream.CopyTo($m)",
        "$p.WaitForExit()",
        "$b=$m.ToArray()",
        "$r+=@{rc=$p.ExitCode;stdout=[Convert]::ToBase64String($b);stderr=$e.Result}",
        "if($q.stop_on_error -and ($p.ExitCode -or [Text.Encoding]::ASCII.GetString($b).Contains('ERR IPsec['))){break}",
        "}",
        # Files read back after the commands (e.g. the export a write batch opened with), as base64.
        "foreach($n in $q.read_back|?{!$f -and !$z}){try{$a+=@{path=$n;data=[Convert]::ToBase64String([IO.File]::ReadAllBytes($n))}}"
        "catch{$a+=@{path=$n;error=\"$_\"}}}",
        # A key's values as a list (the leading comma keeps a list of one a list); binary data as base64.
        "function V($k){,@($k.GetValueNames()|%{$t=$k.GetValueKind($_);$d=$k.GetValue($_,$null,'DoNotExpandEnvironmentNames');"
        "if(\"$t\" -eq 'Binary'){$d=[Convert]::ToBase64String([byte[]]$d)};@{name=$_;kind=\"$t\";data=$d}})}",
        # A key (null when it does not exist): its values and, when $s, every subkey's values.
        "function K($p,$s){$k=[Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($p);if($k){try{"
        "@{values=(V $k);keys=@($k.GetSubKeyNames()|?{$s}|%{$c=$k.OpenSubKey($_);try{@{name=$_;values=(V $c)}}finally{$c.Close()}})}"
        "}finally{$k.Close()}}}",
        "if($q.registry -and !$f){$i='SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec'"
        ";$g=@{local=(K \"$i\\Policy\\Local\" 1);group_policy=(K \"$i\\GPTIPSECPolicy\" 0)}}",
        "'" + RESULT_MARKER + "'+[Convert]::ToBase64String($u.GetBytes((ConvertTo-Json -InputObject "
        "@{codepage=(Get-Culture).TextInfo.OEMCodePage;results=$r;files=$f;read_back=$a;armed=$h;disarmed=$o;registry=$g} -Depth 12 -Compress)))",
    )
).replace("{rollback}", base64.b64encode(ROLLBACK_SCRIPT.encode("utf-8")).decode("ascii"))
