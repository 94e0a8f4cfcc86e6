"""The batch script's file precondition: ``files`` are opened before any command runs, and one that
cannot be opened stops the whole batch (``_open_read``, ``_bootstrap_emulation``)."""

from __future__ import annotations

import base64
import errno
import json
import os
import subprocess

import pytest
from emu_support import STUB_ARGV, STUB_COMMAND, assert_clixml, bootstrap_payload, bootstrap_results, encode_request
from emu_winrm_support import protocol

from netsh_emulator import run_powershell
from netsh_emulator._open_read import io_error_message, open_read_error

ADD_P = ["ipsec", "static", "add", "policy", "name=P"]


def _open_failed(message: str) -> str:
    """What ``"$_"`` in the bootstrap's catch says after ``[IO.File]::OpenRead`` threw *message*."""
    return f'Exception calling "OpenRead" with "1" argument(s): "{message}"'


def _bootstrap(env: dict, stdin: bytes, cwd=None) -> dict:
    """Run the bootstrap through the fake PowerShell binary (ansible_connection=local), in *cwd*."""
    proc = subprocess.run(["/bin/sh", "-c", STUB_COMMAND], input=stdin, env=env, cwd=cwd,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    return bootstrap_results(proc.stdout)


def test_readable_files_let_the_batch_run(subprocess_env, tmp_path):
    export = tmp_path / "export.ipsec"
    export.write_bytes(b"")  # empty is fine: the file is only opened
    (tmp_path / "relative.ipsec").write_bytes(b"{}")
    doc = _bootstrap(subprocess_env, bootstrap_payload([ADD_P], True, files=[str(export), "relative.ipsec"]), cwd=tmp_path)
    assert doc["files"] == [] and [result["rc"] for result in doc["results"]] == [0]


def test_one_unreadable_file_runs_no_command(subprocess_env, emu, tmp_path):
    (tmp_path / "ok.ipsec").write_bytes(b"")
    (tmp_path / "folder.ipsec").mkdir()
    files = [str(tmp_path / "ok.ipsec"), str(tmp_path / "missing.ipsec"), str(tmp_path / "folder.ipsec"),
             str(tmp_path / "no-dir" / "x.ipsec"), str(tmp_path / "ok.ipsec" / "x.ipsec")]
    log = tmp_path / "round-trips.jsonl"
    env = dict(subprocess_env, NETSH_EMU_PS_LOG=str(log))
    doc = _bootstrap(env, bootstrap_payload([ADD_P, ["ipsec", "static", "show", "store"]], False, files=files))
    assert doc == {"codepage": 437, "results": [], "read_back": [], "armed": None, "disarmed": None, "registry": None, "files": [
        {"path": files[1], "error": _open_failed(f"Could not find file '{files[1]}'.")},
        {"path": files[2], "error": _open_failed(f"Access to the path '{files[2]}' is denied.")},
        {"path": files[3], "error": _open_failed(f"Could not find a part of the path '{files[3]}'.")},
        {"path": files[4], "error": _open_failed(f"Could not find a part of the path '{files[4]}'.")},
    ]}
    assert not emu.state.exists()  # not even the first command ran
    # the round trip is logged with its files, before anything runs
    assert json.loads(log.read_text(encoding="utf-8")) == {
        "commands": ["ipsec static add policy name=P", "ipsec static show store"], "stop_on_error": False, "files": files,
        "registry": False}


def test_relative_paths_resolve_against_the_current_directory(subprocess_env, tmp_path):
    (tmp_path / "here").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "here" / "export.ipsec").write_bytes(b"")
    payload = bootstrap_payload([ADD_P], True, files=["export.ipsec"])
    assert _bootstrap(subprocess_env, payload, cwd=tmp_path / "here")["files"] == []
    # the path in the answer is the one asked for; the message names the full path .NET resolved
    assert _bootstrap(subprocess_env, payload, cwd=tmp_path / "elsewhere")["files"] == [
        {"path": "export.ipsec", "error": _open_failed(f"Could not find file '{tmp_path / 'elsewhere' / 'export.ipsec'}'.")}]


@pytest.mark.parametrize(("path", "message"), [
    ("", "Empty path name is not legal."),
    ("   ", "The path is not of a legal form."),
    ("C:\\a|b.ipsec", "Illegal characters in path."),
    ("a\"b", "Illegal characters in path."),
    ("tab\there", "Illegal characters in path."),
    ("nul\x00here", "Illegal characters in path."),
])
def test_paths_dotnet_refuses_before_opening(path, message):
    assert open_read_error(path) == _open_failed(message)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file; the mapping itself is tested below")
def test_a_file_without_read_permission(tmp_path):
    secret = tmp_path / "secret.ipsec"
    secret.write_bytes(b"")
    secret.chmod(0)
    assert open_read_error(str(secret)) == _open_failed(f"Access to the path '{secret}' is denied.")


@pytest.mark.parametrize(("error", "message"), [
    (errno.EACCES, "Access to the path '{full}' is denied."),
    (errno.EPERM, "Access to the path '{full}' is denied."),
    (errno.EISDIR, "Access to the path '{full}' is denied."),
    (errno.ENOTDIR, "Could not find a part of the path '{full}'."),
    (errno.ENAMETOOLONG, "The specified path, file name, or both are too long. The fully qualified file name must be less than "
                         "260 characters, and the directory name must be less than 248 characters."),
    (errno.ELOOP, "Too many levels of symbolic links."),
])
def test_operating_system_errors_map_to_dotnet_messages(tmp_path, error, message):
    full = tmp_path / "x.ipsec"
    assert io_error_message(str(full), OSError(error, os.strerror(error), str(full))) == message.format(full=full)


def test_the_files_key(emu):
    def run(request) -> tuple[int, bytes, bytes]:
        return run_powershell(STUB_ARGV, encode_request(request), emu.env)

    # missing or null: no files (a v1-style request still runs)
    for request in ({"stop_on_error": True, "commands": ["ipsec static add policy A"]},
                    {"stop_on_error": True, "files": None, "commands": ["ipsec static add policy B"]}):
        rc, stdout, stderr = run(request)
        assert (rc, stderr) == (0, b"") and bootstrap_results(stdout)["files"] == []
    # anything but a list of strings is a terminating error, and nothing runs
    for files in ("C:\\x.ipsec", [1], {"path": "x"}, ["ok", None]):
        assert_clixml(*run({"stop_on_error": True, "files": files, "commands": ["ipsec static add policy C"]}),
                      "The request's files must be a list of strings.")
    assert_clixml(*run({"stop_on_error": True, "commands": "ipsec static add policy C"}), "The request's commands must be a list of strings.")
    assert "Policy Name            : C\r\n" not in emu.ok("show policy all")


def test_unwrap_single_applies_to_files(emu, tmp_path):
    env = dict(emu.env, NETSH_EMU_PS_UNWRAP_SINGLE="1")
    missing = str(tmp_path / "missing.ipsec")
    rc, stdout, dummy = run_powershell(STUB_ARGV, bootstrap_payload([ADD_P], True, files=[missing]), env)
    doc = bootstrap_results(stdout)
    assert rc == 0 and doc["results"] == [] and doc["files"] == {"path": missing, "error": _open_failed(f"Could not find file '{missing}'.")}


def test_files_over_winrm(winrm_host, tmp_path):
    missing = str(tmp_path / "gone.ipsec")
    proto = protocol(winrm_host, "ntlm")
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, STUB_COMMAND, console_mode_stdin=False)
    proto.send_command_input(shell_id, command_id, bootstrap_payload([ADD_P], True, files=[missing]), end=True)
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    proto.close_shell(shell_id)
    assert (rc, stderr) == (0, b"")
    assert bootstrap_results(stdout) == {"codepage": 437, "results": [], "read_back": [], "armed": None, "disarmed": None, "registry": None, "files": [
        {"path": missing, "error": _open_failed(f"Could not find file '{missing}'.")}]}
    assert not winrm_host.state_file.exists()


def _read_failed(message: str) -> str:
    """What ``"$_"`` says after ``[IO.File]::ReadAllBytes`` threw *message*."""
    return f'Exception calling "ReadAllBytes" with "1" argument(s): "{message}"'


def test_read_back_returns_the_export_written_by_the_batch(subprocess_env, tmp_path):
    export = tmp_path / "export.ipsec"
    export.write_bytes(b"stale")  # overwritten by the export, and read after it
    log = tmp_path / "round-trips.jsonl"
    env = dict(subprocess_env, NETSH_EMU_PS_LOG=str(log))
    export_policy = ["ipsec", "static", "exportpolicy", f"file={export}"]
    doc = _bootstrap(env, bootstrap_payload([ADD_P, export_policy], True, read_back=[str(export), "missing.ipsec"]), cwd=tmp_path)
    assert [result["rc"] for result in doc["results"]] == [0, 0]
    assert doc["read_back"] == [
        {"path": str(export), "data": base64.b64encode(export.read_bytes()).decode("ascii")},
        {"path": "missing.ipsec", "error": _read_failed(f"Could not find file '{tmp_path / 'missing.ipsec'}'.")},
    ]
    assert b'"P"' in export.read_bytes()  # the export holds the policy added before it
    assert json.loads(log.read_text(encoding="utf-8"))["read_back"] == [str(export), "missing.ipsec"]


def test_read_back_runs_after_a_batch_that_stopped_but_not_after_a_failed_file(subprocess_env, tmp_path):
    kept = tmp_path / "kept.bin"
    kept.write_bytes(bytes(range(256)))
    failing = ["ipsec", "static", "delete", "policy", "name=Nope"]
    doc = _bootstrap(subprocess_env, bootstrap_payload([failing, ADD_P], True, read_back=[str(kept)]))
    assert len(doc["results"]) == 1 and doc["read_back"] == [{"path": str(kept), "data": base64.b64encode(bytes(range(256))).decode("ascii")}]
    doc = _bootstrap(subprocess_env, bootstrap_payload([ADD_P], True, files=[str(tmp_path / "absent")], read_back=[str(kept)]))
    assert doc["results"] == [] and doc["read_back"] == []


def test_read_back_of_one_file_unwrapped_like_powershell_51(subprocess_env, tmp_path):
    kept = tmp_path / "kept.bin"
    kept.write_bytes(b"x")
    env = dict(subprocess_env, NETSH_EMU_PS_UNWRAP_SINGLE="1")
    doc = _bootstrap(env, bootstrap_payload([], False, read_back=[str(kept)]))
    assert doc["read_back"] == {"path": str(kept), "data": "eA=="}


@pytest.mark.parametrize("path, message", [("", "Empty path name is not legal."), ("a|b", "Illegal characters in path.")])
def test_read_back_argument_errors(subprocess_env, path, message):
    doc = _bootstrap(subprocess_env, bootstrap_payload([], False, read_back=[path]))
    assert doc["read_back"] == [{"path": path, "error": _read_failed(message)}]


def test_read_back_must_be_a_list_of_strings(subprocess_env):
    proc = subprocess.run(["/bin/sh", "-c", STUB_COMMAND], input=encode_request({"commands": [], "read_back": "x.ipsec"}),
                          env=subprocess_env, capture_output=True, timeout=60, check=False)
    assert_clixml(proc.returncode, proc.stdout, proc.stderr, "The request's read_back must be a list of strings.")
