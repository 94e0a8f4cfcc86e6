"""Helpers shared by the emulator's own tests (unique module name: no clash with other suites).

``Emu`` runs netsh in process: ``emu("add policy name=P")`` prefixes ``ipsec static`` and splits the
string with the MSVCRT rules, exactly like the fake PowerShell does for a bootstrap command.
``encode_command`` / ``POWERSHELL_PREFIX`` build what ansible-core sends to PowerShell, and
``assert_clixml`` checks a fake-PowerShell refusal.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

EMULATOR_DIR = Path(__file__).resolve().parents[1]
BIN_DIR = EMULATOR_DIR / "bin"
if str(EMULATOR_DIR) not in sys.path:
    sys.path.insert(0, str(EMULATOR_DIR))

from netsh_emulator import run_netsh, split_c  # noqa: E402


# What ansible-core puts in front of an encoded script (execution.md §1.2, §1.3) ...
POWERSHELL_PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
# ... and the lines its _encode_script (2.16-2.20) puts around the script.
STRICT_MODE_LINE = "Set-StrictMode -Version Latest"
PRESERVE_RC_LINE = "If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } Else { exit 1 } }"


def encode_command(script: str) -> str:
    """The ``-EncodedCommand`` value of *script*: base64 of its UTF-16-LE text."""
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def assert_clixml(rc: int, stdout: bytes, stderr: bytes, fragment: str) -> None:
    """The fake PowerShell refused: rc 1, no stdout, a CLIXML error document containing *fragment*."""
    assert rc == 1 and stdout == b"", (rc, stdout, stderr)
    err = stderr.decode("utf-8")
    assert err.startswith("#< CLIXML\r\n<Objs ") and '<S S="Error">' in err and err.endswith("</Objs>")
    clixml = pytest.importorskip("ansible.plugins.shell.powershell")
    assert fragment in clixml._parse_clixml(stderr).decode("utf-8")


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
