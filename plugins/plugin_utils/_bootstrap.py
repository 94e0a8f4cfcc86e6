# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frozen PowerShell bootstrap that runs one batch of netsh commands on the host.

PRIVATE to the collection. The text below is version-tagged and pinned by a unit test
(``tests/unit/plugins/plugin_utils/test_bootstrap.py``) and by the emulated host, which accepts only
this exact script (by tag and SHA-256). Changing one character is a protocol change: bump the tag.

Protocol (see ``docs/assumptions.md`` A-33, A-34, A-20):

* stdin: one line, base64 of UTF-8 JSON ``{"stop_on_error": bool, "files": [str, ...], "commands":
  [str, ...]}`` where each command is a netsh argument string already quoted with the C-runtime rules
  (``_quote.join_c``).
* For each command the script starts ``%SystemRoot%\\System32\\netsh.exe`` once with
  ``ProcessStartInfo.Arguments`` set to that string, so neither PowerShell nor cmd.exe parses it.
* stdout: anything, then a line ``<<LOCKDOWN-IPSEC-RESULT>>`` immediately followed by base64 of UTF-8
  JSON ``{"codepage": int, "results": [{"rc": int, "stdout": base64 bytes, "stderr": str}, ...],
  "files": [{"path": str, "error": str}, ...]}``.
  netsh's stdout travels as raw bytes and is decoded on the controller with ``codepage``, which is the
  host's OEM code page as .NET reports it for the current culture (``(Get-Culture).TextInfo.OEMCodePage``,
  i.e. ``CultureInfo.CurrentCulture``: 437 en-US, 850 western Europe, 866 ru-RU, 936 zh-CN), assumed to
  be the one netsh writes in when its stdout is a pipe (A-20). It is read from the culture, not from
  ``[Console]``, because psrp runs the script without a console. ``stderr`` is text that .NET already
  decoded on the host (with ``[Console]::OutputEncoding``).
* With ``stop_on_error`` the batch stops after the first command whose exit code is not 0 or whose
  stdout contains ``ERR IPsec[`` (netsh's exit code after an IPsec error is unknown, A-21).
* ``files`` are preconditions checked before any command runs: each is opened for reading and closed
  again (``[IO.File]::OpenRead``, relative to the process's current directory, which the netsh
  processes inherit too). If one cannot be opened, no command runs at all: ``results`` is empty and
  ``files`` in the answer lists ``{"path": str, "error": str}`` for each one that failed, the error
  being PowerShell's message for it (A-60). This
  is how a restore refuses a missing or unreadable export before it deletes anything.
* The script always ends with ``exit 0``; a terminating error gives exit code 1 and CLIXML on stderr.
"""

from __future__ import annotations

BOOTSTRAP_TAG = "lockdown-ipsec-batch-v2"
RESULT_MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"

# One statement per line, no indentation: every character costs 8/3 characters on the command line
# once encoded, twice over on ansible-core < 2.19, which wraps our encoded command again.
BOOTSTRAP_SCRIPT = "\n".join(
    (
        "# " + BOOTSTRAP_TAG,
        "$ErrorActionPreference='Stop'",
        "$u=[Text.Encoding]::UTF8",
        "$q=$u.GetString([Convert]::FromBase64String(@($input) -join ''))|ConvertFrom-Json",
        "$r=$f=@()",
        "foreach($n in $q.files){try{[IO.File]::OpenRead($n).Dispose()}catch{$f+=@{path=$n;error=\"$_\"}}}",
        # No command runs once a file has failed: an empty $f is false, a non-empty one true.
        "foreach($c in $q.commands|?{!$f}){",
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
        "'" + RESULT_MARKER + "'+[Convert]::ToBase64String($u.GetBytes((ConvertTo-Json -InputObject "
        "@{codepage=(Get-Culture).TextInfo.OEMCodePage;results=$r;files=$f} -Depth 4 -Compress)))",
        "exit 0",
    )
)
