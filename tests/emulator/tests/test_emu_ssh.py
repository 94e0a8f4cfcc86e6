"""The emulated Windows OpenSSH's shells without sshd: what cmd.exe (no DefaultShell) and powershell.exe
(DefaultShell) do with the command of a session (``emulated_ssh.run_windows_command``), and the login shell program
sshd runs (``bin/emulated-windows-shell``). A real sshd in front of them is tested in ``test_emu_ssh_host``."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest
from emu_support import BIN_DIR, POWERSHELL_PREFIX, STUB_ARGV, STUB_COMMAND, assert_clixml, bootstrap_payload, bootstrap_results, encode_command

from emulated_ssh import SHELLS, run_windows_command
from emulated_ssh._shell_config import ShellConfig, write_config

SHOW = "netsh ipsec static show policy all"
NOT_RECOGNIZED_CMD = b"'whoami' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"


@pytest.fixture
def env(tmp_path: Path) -> dict:
    return {"NETSH_EMU_STATE": str(tmp_path / "store.json"), "NETSH_EMU_PS_LOG": str(tmp_path / "round-trips.jsonl")}


def policies(env: dict) -> list[str]:
    rc, out, dummy = run_windows_command("cmd", SHOW, b"", env)
    assert rc == 0, out
    return [line.split(":", 1)[1].strip() for line in out.decode("cp437").splitlines() if line.startswith("Policy Name")]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_collections_command_runs_the_batch_it_reads_from_stdin(shell, env):
    payload = bootstrap_payload([["ipsec", "static", "add", "policy", "name=Web Servers"],
                                 ["ipsec", "static", "show", "policy", "name=Web Servers"]], stop_on_error=True)
    rc, out, err = run_windows_command(shell, STUB_COMMAND, payload, env)
    assert (rc, err) == (0, b""), err
    results = bootstrap_results(out)["results"]
    assert [result["rc"] for result in results] == [0, 0] and b"Web Servers" in base64.b64decode(results[1]["stdout"])
    logged = [json.loads(line) for line in Path(env["NETSH_EMU_PS_LOG"]).read_text(encoding="utf-8").splitlines()]
    assert [entry["commands"] for entry in logged] == [['ipsec static add policy "name=Web Servers"', 'ipsec static show policy "name=Web Servers"']]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_program_may_be_named_in_any_case_or_by_its_path(shell, env):
    program = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    rc, out, err = run_windows_command(shell, " ".join([program, *STUB_ARGV]), bootstrap_payload([], False), env)
    assert (rc, err) == (0, b"") and bootstrap_results(out)["results"] == []
    assert run_windows_command(shell, "NETSH.EXE ipsec static add policy name=P", b"", env)[0] == 0
    assert policies(env) == ["P"]


def test_cmd_passes_the_exit_code_on_and_powershell_reports_success_or_failure(env):
    assert run_windows_command("cmd", "netsh ipsec static add policy name=P", b"", env)[0] == 0
    env["NETSH_EMU_ERROR_EXIT"] = "5"
    # cmd.exe /c exits with the program's code; powershell.exe -c with 0 or 1 ($? of the last statement).
    for shell, expected in (("cmd", 5), ("powershell", 1)):
        rc, out, err = run_windows_command(shell, "netsh ipsec static add policy name=P", b"", env)
        assert (rc, err) == (expected, b"") and out.startswith(b"ERR IPsec[05005] : "), (shell, rc, out, err)


def test_each_shell_reads_quotes_by_its_own_rules(env):
    # cmd.exe hands the line to netsh.exe, whose C runtime splits it: double quotes group, single quotes do not.
    assert run_windows_command("cmd", 'netsh ipsec static add policy "name=Web Servers"', b"", env)[0] == 0
    # name='Mail and Servers' are two arguments: the policy "'Mail", with the description "Servers'" (positional).
    assert run_windows_command("cmd", "netsh ipsec static add policy name='Mail Servers'", b"", env)[0] == 0
    # PowerShell removes its quotes, single or double, and passes the argument.
    assert run_windows_command("powershell", "netsh ipsec static add policy name='Mail Servers'", b"", env)[0] == 0
    assert run_windows_command("powershell", 'netsh ipsec static add policy name="Edge Servers"', b"", env)[0] == 0
    assert policies(env) == ["Web Servers", "'Mail", "Mail Servers", "Edge Servers"]


@pytest.mark.parametrize(("command", "character"), [(f"{SHOW} > out.txt", ">"), (f"{SHOW} & whoami", "&"), ("netsh %COMPUTERNAME%", "%")])
def test_cmd_syntax_is_refused_not_interpreted(env, command, character):
    rc, out, err = run_windows_command("cmd", command, b"", env)
    assert (rc, out) == (1, b"") and f"does not interpret {character!r}".encode() in err


@pytest.mark.parametrize(("command", "fragment"), [
    (f"{SHOW}; whoami", "';' outside quotes"),
    ("netsh ipsec static add policy name=$env:COMPUTERNAME", "'$' outside quotes"),
    (f"{SHOW} | Out-File x", "'|' outside quotes"),
    ('PowerShell -EncodedCommand "a b"', "would not reach the program as written"),
])
def test_powershell_syntax_beyond_one_native_command_is_refused(env, command, fragment):
    assert_clixml(*run_windows_command("powershell", command, b"", env), fragment)
    assert not Path(env["NETSH_EMU_STATE"]).exists()


def test_an_unknown_program_gets_each_shells_message(env):
    assert run_windows_command("cmd", "whoami /all", b"", env) == (9009, b"", NOT_RECOGNIZED_CMD)
    assert_clixml(*run_windows_command("powershell", "whoami /all", b"", env),
                  "The term 'whoami' is not recognized as the name of a cmdlet, function, script file, or operable program.")


def test_cmd_refuses_a_line_longer_than_8191_characters(env):
    command = POWERSHELL_PREFIX + encode_command("x" * 4200)
    assert len(command) > 8191
    assert run_windows_command("cmd", command, b"", env) == (1, b"", b"The command line is too long.\r\n")
    # powershell.exe -c has no such limit: the script is read, and refused as one the fake PowerShell does not know
    assert_clixml(*run_windows_command("powershell", command, b"", env), "does not understand this script")


def test_an_unknown_shell_is_an_error(env):
    with pytest.raises(ValueError, match="unknown shell 'bash'"):
        run_windows_command("bash", SHOW, b"", env)


def shell_program(tmp_path: Path, env: dict, command: str | None, stdin: bytes = b"", shell: str = "cmd") -> subprocess.CompletedProcess:
    """Run bin/emulated-windows-shell as sshd runs it for a session with ``command`` (None: no command)."""
    settings = tmp_path / "windows-shell.json"
    write_config(settings, ShellConfig(shell=shell, env=env, sessions_log=str(tmp_path / "sessions.jsonl")))
    process_env = {key: value for key, value in os.environ.items() if not key.startswith(("SSH_", "NETSH_EMU_"))}
    if command is not None:
        process_env.update(SSH_ORIGINAL_COMMAND=command, SSH_CLIENT="127.0.0.1 50123 2222")
    return subprocess.run([str(BIN_DIR / "emulated-windows-shell"), str(settings)], input=stdin, env=process_env,
                          capture_output=True, timeout=60, check=False)


def test_the_login_shell_answers_a_session_and_records_it(tmp_path, env):
    done = shell_program(tmp_path, env, STUB_COMMAND, bootstrap_payload([["ipsec", "static", "add", "policy", "name=P"]], True))
    assert (done.returncode, done.stderr) == (0, b"") and bootstrap_results(done.stdout)["results"][0]["rc"] == 0
    unknown = shell_program(tmp_path, env, "whoami")
    # A Linux sshd reports the low 8 bits of an exit code: cmd.exe's 9009 arrives as 49.
    assert (unknown.returncode, unknown.stderr) == (9009 & 0xFF, NOT_RECOGNIZED_CMD)
    records = [json.loads(line) for line in (tmp_path / "sessions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(record["command"], record["rc"], record["delivered"], record["client_port"], record["port"]) for record in records] == [
        (STUB_COMMAND, 0, True, 50123, 2222), ("whoami", 9009, True, 50123, 2222)]
    assert policies(env) == ["P"]


def test_the_login_shell_refuses_a_session_without_a_command_and_bad_settings(tmp_path, env):
    interactive = shell_program(tmp_path, env, None)
    assert (interactive.returncode, interactive.stdout) == (1, b"") and b"has no interactive shell" in interactive.stderr
    assert not (tmp_path / "sessions.jsonl").exists()
    (tmp_path / "broken.json").write_text('{"shell": "bash"}', encoding="utf-8")
    broken = subprocess.run([str(BIN_DIR / "emulated-windows-shell"), str(tmp_path / "broken.json")], env={**os.environ, "SSH_ORIGINAL_COMMAND": SHOW},
                            capture_output=True, timeout=60, check=False)
    assert broken.returncode == 3 and b"emulated Windows shell: " in broken.stderr
