"""The fake PowerShell end to end (subprocess, as ansible_connection=local runs it): the stub, the batch script v5 on stdin."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess

import pytest
from emu_support import (BATCH, BIN_DIR, MARKER, POWERSHELL_PREFIX, PRESERVE_RC_LINE, ROLLBACK, STRICT_MODE_LINE, STUB, STUB_COMMAND,
                         assert_clixml, bootstrap_payload, bootstrap_results, encode_command, parse_clixml)

from netsh_emulator._batch import BATCH_SHA256
from netsh_emulator._bootstrap_emulation import STUB_SHA256
from netsh_emulator._clixml import clixml_error
from netsh_emulator._rollback import ROLLBACK_SHA256


def _run(env, cmd: str, stdin: bytes):
    # ansible_connection=local: /bin/sh -c '<cmd>' with the payload on stdin
    return subprocess.run(["/bin/sh", "-c", cmd], input=stdin, env=env, capture_output=True, timeout=60, check=False)


def _results(proc) -> dict:
    assert proc.returncode == 0, proc.stderr
    return bootstrap_results(proc.stdout)


def _netsh(*args: str) -> list[str]:
    return ["ipsec", "static", *args]


def test_script_copies_match_pinned_hashes():
    assert hashlib.sha256(STUB.encode("utf-8")).hexdigest() == STUB_SHA256
    assert hashlib.sha256(BATCH.encode("utf-8")).hexdigest() == BATCH_SHA256
    assert hashlib.sha256(ROLLBACK.encode("utf-8")).hexdigest() == ROLLBACK_SHA256
    assert BATCH.startswith("# lockdown-ipsec-batch-v5\n") and ROLLBACK.startswith("# lockdown-ipsec-rollback-v1\n")


def test_batch_runs_every_command(subprocess_env):
    commands = [_netsh("add", "policy", 'name=Web "quoted" 100% %PATH%', "description=a b"),
                _netsh("add", "policy", "name=Web \"quoted\" 100% %PATH%"),
                _netsh("show", "policy", "all")]
    proc = _run(subprocess_env, STUB_COMMAND, bootstrap_payload(commands, stop_on_error=False))
    doc = _results(proc)
    assert proc.stdout.startswith(MARKER.encode())
    assert doc["codepage"] == 437 and [r["rc"] for r in doc["results"]] == [0, 1, 0]
    first, second, third = doc["results"]
    assert (first["stdout"], first["stderr"]) == ("", "")
    assert base64.b64decode(second["stdout"]).startswith(b"ERR IPsec[05005] : ")
    shown = base64.b64decode(third["stdout"]).decode("cp437")
    assert 'Policy Name            : Web "quoted" 100% %PATH%\r\n' in shown
    assert "Description            : a b\r\n" in shown


def test_stop_on_error(subprocess_env):
    commands = [_netsh("add", "policy", "P"), _netsh("add", "policy", "P"), _netsh("add", "policy", "Q")]
    doc = _results(_run(subprocess_env, STUB_COMMAND, bootstrap_payload(commands, stop_on_error=True)))
    assert [r["rc"] for r in doc["results"]] == [0, 1]
    # the stop also triggers on the text alone (exit code 0 after an error)
    env = dict(subprocess_env, NETSH_EMU_ERROR_EXIT="0")
    doc = _results(_run(env, STUB_COMMAND, bootstrap_payload(commands, stop_on_error=True)))
    assert [r["rc"] for r in doc["results"]] == [0]   # P exists now -> the first command already fails
    assert base64.b64decode(doc["results"][0]["stdout"]).startswith(b"ERR IPsec[05005]")
    doc = _results(_run(subprocess_env, STUB_COMMAND, bootstrap_payload(
        [_netsh("show", "policy", "all"), _netsh("add", "policy", "R")], stop_on_error=False)))
    assert [r["rc"] for r in doc["results"]] == [0, 0]


def test_noise_before_marker_and_zh_codepage(subprocess_env):
    env = dict(subprocess_env, NETSH_EMU_PS_NOISE="Loading personal profile...\nWARNING: noisy",
               NETSH_EMU_LANG="zh-CN")
    proc = _run(env, STUB_COMMAND,
                bootstrap_payload([_netsh("add", "policy", "P", "assign=yes"), _netsh("show", "policy", "P")], False))
    assert proc.stdout.startswith(b"Loading personal profile...\r\nWARNING: noisy\r\n" + MARKER.encode())
    doc = _results(proc)
    assert doc["codepage"] == 936
    assert "已分配" in base64.b64decode(doc["results"][1]["stdout"]).decode("cp936")
    env = dict(subprocess_env, NETSH_EMU_CODEPAGE="65001")
    assert _results(_run(env, STUB_COMMAND, bootstrap_payload([], False))) == {
        "codepage": 65001, "results": [], "files": [], "read_back": [], "armed": None, "disarmed": None, "registry": None}


def test_single_result_unwrap_knob(subprocess_env):
    env = dict(subprocess_env, NETSH_EMU_PS_UNWRAP_SINGLE="1")
    doc = _results(_run(env, STUB_COMMAND, bootstrap_payload([_netsh("show", "store")], False)))
    assert isinstance(doc["results"], dict) and doc["results"]["rc"] == 0


def test_double_encoded_ansible_wrapper(subprocess_env):
    # ansible-core < 2.19 _encode_script(): Set-StrictMode + command + $LASTEXITCODE propagation
    inner = STUB_COMMAND
    wrapper = "\n".join([STRICT_MODE_LINE, inner, PRESERVE_RC_LINE])
    doc = _results(_run(subprocess_env, POWERSHELL_PREFIX + encode_command(wrapper), bootstrap_payload([_netsh("add", "policy", "P")], True)))
    assert [r["rc"] for r in doc["results"]] == [0]


def test_lower_case_invocation(subprocess_env):
    cmd = "powershell -noprofile -noninteractive -executionpolicy unrestricted -encodedcommand " + encode_command(STUB)
    doc = _results(_run(subprocess_env, cmd, bootstrap_payload([_netsh("add", "filterlist", "L")], True)))
    assert doc["results"][0]["rc"] == 0


def _assert_clixml(proc, fragment: str) -> None:
    assert_clixml(proc.returncode, proc.stdout, proc.stderr, fragment)


@pytest.mark.parametrize("script", [
    STUB.replace("exit 0", "exit 1"),                            # tagged but modified
    STUB + "\n",                                                  # even a trailing newline
    BATCH,                                                        # the batch script belongs on stdin
    "Write-Output 'hello'",                                        # something else entirely
    "Set-StrictMode -Version Latest\nRemove-Item C:\\ -Recurse\n" + STUB_COMMAND,
])
def test_rejects_anything_but_the_stub(subprocess_env, script):
    proc = _run(subprocess_env, POWERSHELL_PREFIX + encode_command(script), bootstrap_payload([_netsh("add", "policy", "P")], True))
    _assert_clixml(proc, "does not understand")


def test_rejects_bad_invocations_and_payloads(subprocess_env):
    _assert_clixml(_run(subprocess_env, "PowerShell -NoProfile -Command Get-Date", b""), "does not understand")
    _assert_clixml(_run(subprocess_env, POWERSHELL_PREFIX + "!!notbase64!!", b""), "Cannot decode")
    _assert_clixml(_run(subprocess_env, STUB_COMMAND, b"%%% not base64\r\n"), "stdin")


def test_clixml_escaping():
    doc = clixml_error("a <b> & _x000D_ c\nsecond")
    assert doc.startswith(b"#< CLIXML\r\n")
    assert parse_clixml(doc) == "a <b> & _x000D_ c\r\nsecond\r\n"


def test_netsh_binary_directly(subprocess_env):
    proc = subprocess.run(["netsh", "ipsec", "static", "add", "policy", "name=Direct"], env=subprocess_env,
                          capture_output=True, timeout=60, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = subprocess.run(["netsh", "ipsec", "static", "show", "policy", "all"], env=subprocess_env,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0 and b"Policy Name            : Direct\r\n" in proc.stdout
    for name in ("netsh", "PowerShell", "powershell"):
        path = BIN_DIR / name
        assert path.read_bytes().startswith(b"#!/usr/bin/env python\n") and os.access(path, os.X_OK)


def test_round_trip_log_has_one_line_per_run(subprocess_env, tmp_path):
    log = tmp_path / "round-trips.jsonl"
    env = dict(subprocess_env, NETSH_EMU_PS_LOG=str(log))
    _results(_run(env, STUB_COMMAND, bootstrap_payload([_netsh("show", "policy", "all")], stop_on_error=False)))
    _results(_run(env, STUB_COMMAND,
                  bootstrap_payload([_netsh("add", "policy", "P"), _netsh("add", "filterlist", "L")], stop_on_error=True, registry=True)))
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"commands": ["ipsec static show policy all"], "stop_on_error": False, "files": [], "registry": False},
        {"commands": ["ipsec static add policy P", "ipsec static add filterlist L"], "stop_on_error": True, "files": [], "registry": True},
    ]
