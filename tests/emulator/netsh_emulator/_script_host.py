"""Run a user's script on the emulated host, the way Windows would as far as its netsh commands go.

For equivalence tests: running a script's netsh lines here, and applying the configuration a reader of the
same script produced to another fresh host, must give the same store. This is a second, independent
reading of such scripts (the collection has its own); it imports nothing from ``plugins/``.

Contract::

    plan_script(script, kind, *, env=None, encoding=None, context="") -> tuple[Step, ...]
    run_script(script, env, kind, *, encoding=None, context="") -> list[CommandResult]
    run_script_file(path, env, kind=None, *, encoding=None, context="") -> list[CommandResult]
    kind_of(path) -> "batch" | "powershell"

*kind* is ``"batch"`` (cmd.exe: ``.bat``, ``.cmd``; ``_script_cmd``), ``"powershell"`` (Windows
PowerShell 5.1: ``.ps1``; ``_script_powershell``) or ``"netsh"`` (a netsh script for ``netsh -f`` or
``netsh exec``, starting in *context*; ``_script_netsh_file``). *script* is ``str`` (text as read) or
``bytes`` (the file), decoded as Windows would:

* batch: in the console's code page, the emulated OEM code page of *env* (``NETSH_EMU_CODEPAGE``, else 437
  or 936 by ``NETSH_EMU_LANG``), switched by ``chcp``; a UTF-8 byte order mark is read as cmd.exe reads it
  (see ``_script_cmd``), UTF-16 is refused; *encoding* is not accepted (set the code page instead);
* powershell: by its byte order mark (UTF-8, UTF-16); without one, PowerShell 5.1 uses the ANSI code page,
  which the host does not emulate, so a non-ASCII script needs *encoding*;
* netsh: ASCII, or *encoding*; with a byte order mark (unknown whether netsh skips it) the first line must
  be blank or a comment.

The whole script is read first: if anything in it cannot be run exactly (a variable, a loop, ``call``,
another program, another netsh context ...), :class:`ScriptNotRunnable` is raised naming the line, and
nothing runs. Then each netsh command runs in order through :func:`~._netsh.run_netsh` (a process of its
own, as from cmd or PowerShell), cmd's ``&&`` / ``||`` deciding from the exit codes. ``run_script`` returns,
for every netsh command that ran, its line, argv, rc, stdout and stderr. Failing commands do not stop the
script (cmd, PowerShell and, as inferred, netsh -f go on). ``ValueError`` for an unknown *kind* or an
*encoding* given for a batch file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ._locale import ConfigError, settings_from_env
from ._netsh import run_netsh
from ._script_cmd import BatchLines, batch_steps
from ._script_netsh_file import netsh_file_steps
from ._script_powershell import powershell_steps
from ._script_steps import FAILURE, SUCCESS, ScriptNotRunnable, Step

KINDS = ("batch", "powershell", "netsh")
_SUFFIXES = {".bat": "batch", ".cmd": "batch", ".ps1": "powershell"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class CommandResult:
    """One netsh command that ran: the script line it starts on, netsh's argv (``ipsec static ...``),
    its exit code and its output bytes (stdout in the emulated console code page)."""

    line: int
    argv: tuple[str, ...]
    rc: int
    stdout: bytes
    stderr: bytes


def kind_of(path: str | Path) -> str:
    """``batch`` for ``.bat`` / ``.cmd``, ``powershell`` for ``.ps1``; ValueError otherwise (a netsh script
    has no fixed extension: say ``kind="netsh"``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(f"{path}: no script kind for {suffix or 'a name without extension'!r}; give kind= (one of {KINDS})")
    return _SUFFIXES[suffix]


def plan_script(script: str | bytes, kind: str, *, env: Mapping[str, str] | None = None, encoding: str | None = None,
                context: str = "") -> tuple[Step, ...]:
    """What *script* runs, without running it (see the module docstring); raises ScriptNotRunnable."""
    if kind not in KINDS:
        raise ValueError(f"unknown script kind {kind!r}; one of {KINDS}")
    if kind == "batch":
        if encoding is not None:
            raise ValueError("a batch file is decoded in the console code page: set NETSH_EMU_CODEPAGE instead of encoding")
        return _batch(script, env or {})
    text = _decode(script, kind, encoding)
    if kind == "powershell":
        return powershell_steps(text.lstrip("\ufeff").split("\n"))
    if text.startswith("\ufeff"):
        text = text[1:]
        first = text.split("\n", 1)[0].strip(" \t\r")
        if first and not first.startswith("#"):
            raise ScriptNotRunnable(1, first, "a byte order mark before a command (unknown whether netsh skips it)")
    return netsh_file_steps(text.split("\n"), context)


def run_script(script: str | bytes, env: Mapping[str, str], kind: str, *, encoding: str | None = None,
               context: str = "") -> list[CommandResult]:
    """Run every netsh command of *script* on the emulated host of *env* (see the module docstring)."""
    results: list[CommandResult] = []
    last_rc = 0
    for step in plan_script(script, kind, env=env, encoding=encoding, context=context):
        if (step.when == SUCCESS and last_rc != 0) or (step.when == FAILURE and last_rc == 0):
            continue
        if step.kind == "exit":
            break
        if step.kind == "noop":
            last_rc = 0
            continue
        step_env = env if step.codepage is None else {**env, "NETSH_EMU_CODEPAGE": str(step.codepage)}
        rc, out, err = run_netsh(list(step.argv), step_env)
        results.append(CommandResult(step.line, step.argv, rc, out, err))
        last_rc = rc
    return results


def run_script_file(path: str | Path, env: Mapping[str, str], kind: str | None = None, *, encoding: str | None = None,
                    context: str = "") -> list[CommandResult]:
    """:func:`run_script` on the bytes of the file *path*; *kind* defaults to :func:`kind_of`."""
    return run_script(Path(path).read_bytes(), env, kind or kind_of(path), encoding=encoding, context=context)


def _batch(script: str | bytes, env: Mapping[str, str]) -> tuple[Step, ...]:
    try:
        codepage = settings_from_env(env).codepage
    except ConfigError as exc:
        raise ValueError(f"netsh emulator configuration: {exc}") from exc
    if isinstance(script, bytes):
        if script.startswith(_UTF16_BOMS):
            raise ScriptNotRunnable(0, "", "a UTF-16 batch file (cmd.exe reads batch files byte by byte)")
        bom = script.startswith(codecs.BOM_UTF8)
        raw: list[bytes] | list[str] = (script[3:] if bom else script).split(b"\n")
    else:
        bom = script.startswith("\ufeff")
        raw = (script[1:] if bom else script).split("\n")
    return batch_steps(BatchLines(raw, codepage), bom)


def _decode(script: str | bytes, kind: str, encoding: str | None) -> str:
    """The text of a PowerShell or netsh script (see the module docstring); the BOM stays as U+FEFF."""
    if isinstance(script, str):
        return script
    if encoding is not None:
        return script.decode(encoding)
    if kind == "powershell":
        if script.startswith(codecs.BOM_UTF8):
            return script.decode("utf-8")
        if script.startswith(_UTF16_BOMS):
            return script.decode("utf-16")
    try:
        return script.decode("ascii")
    except UnicodeDecodeError as exc:
        number = script[:exc.start].count(b"\n") + 1
        line = script.split(b"\n")[number - 1].decode("latin-1")
        why = ("PowerShell 5.1 reads a script without byte order mark in the ANSI code page, which the host does not "
               "emulate" if kind == "powershell" else "the code page netsh reads a script in is unknown")
        raise ScriptNotRunnable(number, line, f"non-ASCII text and no encoding= ({why})") from exc
