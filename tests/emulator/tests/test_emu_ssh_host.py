"""The emulated host behind Debian's real sshd (``emulated_ssh.EmulatedSshHost``), with OpenSSH's ``ssh`` as the
client: key authentication, a wrong key refused, commands and stdin through both DefaultShells, the sessions'
records, settings changed between sessions, no sftp, enforcement of the assigned policy, stop and restart, and the
``emulated-ssh-host`` command."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from emu_support import BIN_DIR, STUB_COMMAND, bootstrap_payload, bootstrap_results, lockdown, wait_for_ready_file

from emulated_ssh import EmulatedSshHost
from emulated_ssh._host import _is_shell

SHOW_STORE = "netsh ipsec static show store"
# A session that gets no answer is given up after this many seconds.
NO_ANSWER_AFTER = 4


@pytest.fixture
def ssh_hosts(winrm_hosts):
    """A factory of started emulated SSH hosts, ``make(name="host", **kwargs)``: conftest's host factory with
    ``cls=EmulatedSshHost`` (each host in ``tmp_path / name``, stopped at teardown, its armed rollbacks cancelled)."""
    return functools.partial(winrm_hosts, cls=EmulatedSshHost)


def ssh(host: EmulatedSshHost, command: str, stdin: bytes = b"", key: Path | None = None, timeout: float = 60,
        options: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run ``command`` on ``host`` with OpenSSH's client and the host's own client settings (``ssh_options``)."""
    argv = ["ssh", *host.ssh_options(), "-i", str(key or host.key_file), "-p", str(host.port), *options, f"{host.user}@127.0.0.1", command]
    return subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout, check=False)


def no_answer(host: EmulatedSshHost, command: str = SHOW_STORE) -> bool:
    """Whether a session running ``command`` stays unanswered for :data:`NO_ANSWER_AFTER` seconds."""
    try:
        done = ssh(host, command, timeout=NO_ANSWER_AFTER)
    except subprocess.TimeoutExpired:
        return True
    raise AssertionError(f"the session was answered: {done}")


@pytest.mark.parametrize("shell", ["cmd", "powershell"])
def test_a_login_with_the_generated_key_runs_netsh_and_is_recorded(ssh_hosts, shell):
    host = ssh_hosts(shell=shell, enforce=False)
    added = ssh(host, 'netsh ipsec static add policy "name=Web Servers"')
    assert (added.returncode, added.stdout, added.stderr) == (0, b"", b"")
    shown = ssh(host, "netsh ipsec static show policy all")
    assert shown.returncode == 0 and "Policy Name            : Web Servers\r\n" in shown.stdout.decode("cp437")
    assert json.loads(host.state_file.read_text(encoding="utf-8"))["policies"][0]["name"] == "Web Servers"
    records = host.sessions
    assert [(record["shell"], record["command"], record["rc"], record["delivered"], record["port"]) for record in records] == [
        (shell, 'netsh ipsec static add policy "name=Web Servers"', 0, True, host.port), (shell, "netsh ipsec static show policy all", 0, True, host.port)]
    assert all(record["client_port"] > 0 for record in records) and host.round_trips == 2 and host.dropped == []


@pytest.mark.parametrize("shell", ["cmd", "powershell"])
def test_the_collections_command_carries_its_batch_on_stdin(ssh_hosts, shell):
    host = ssh_hosts(shell=shell, enforce=False)
    host.env = {"NETSH_EMU_PS_LOG": str(host.workdir / "round-trips.jsonl")}
    done = ssh(host, STUB_COMMAND, bootstrap_payload([["ipsec", "static", "add", "policy", "name=P"], ["ipsec", "static", "show", "store"]], True))
    assert (done.returncode, done.stderr) == (0, b""), done.stderr
    assert [result["rc"] for result in bootstrap_results(done.stdout)["results"]] == [0, 0]
    assert len((host.workdir / "round-trips.jsonl").read_text(encoding="utf-8").splitlines()) == 1 == host.round_trips


def test_a_wrong_key_is_refused_before_any_session(ssh_hosts, tmp_path):
    host = ssh_hosts()
    stranger = tmp_path / "stranger_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True, timeout=60)
    refused = ssh(host, SHOW_STORE, key=stranger)
    assert refused.returncode == 255 and b"Permission denied (publickey)" in refused.stderr, refused.stderr
    assert host.sessions == []
    assert "Accepted publickey" not in host.log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(("shell", "rc", "fragment"), [
    ("cmd", 9009 & 0xFF, b"'whoami' is not recognized as an internal or external command,\r\n"),
    ("powershell", 1, b"#< CLIXML\r\n"),
])
def test_an_unknown_command_gets_the_shells_answer(ssh_hosts, shell, rc, fragment):
    host = ssh_hosts(shell=shell, enforce=False)
    done = ssh(host, "whoami /all")
    # cmd.exe's 9009 reaches the client as 49: a Linux sshd reports only the low 8 bits of an exit code.
    assert (done.returncode, done.stdout) == (rc, b"") and fragment in done.stderr, done.stderr
    assert host.sessions[-1]["rc"] == (9009 if shell == "cmd" else 1)


def test_no_sftp_and_no_interactive_shell(ssh_hosts):
    host = ssh_hosts(enforce=False)
    sftp = subprocess.run(["ssh", *host.ssh_options(), "-i", str(host.key_file), "-p", str(host.port), "-s", f"{host.user}@127.0.0.1", "sftp"],
                          input=b"", capture_output=True, timeout=60, check=False)
    assert sftp.returncode != 0 and host.sessions == [], sftp.stderr
    interactive = subprocess.run(["ssh", *host.ssh_options(), "-i", str(host.key_file), "-p", str(host.port), "-T", f"{host.user}@127.0.0.1"],
                                 input=b"dir\r\n", capture_output=True, timeout=60, check=False)
    assert interactive.returncode == 1 and b"has no interactive shell" in interactive.stderr


def test_settings_changed_between_sessions_reach_the_next_one(ssh_hosts):
    host = ssh_hosts(enforce=False)
    assert ssh(host, "netsh ipsec static add policy name=P assign=yes").returncode == 0
    host.env = {"NETSH_EMU_LANG": "zh-CN", "NETSH_EMU_CODEPAGE": "65001", "PATH": "/elsewhere", "SECRET_TOKEN": "x"}
    shown = ssh(host, "netsh ipsec static show policy name=P")
    assert shown.returncode == 0 and "已分配" in shown.stdout.decode("utf-8")
    # Only the emulator's settings reach the host's file; the store stays where it was.
    settings = json.loads(host.settings_file.read_text(encoding="utf-8"))
    assert settings["env"] == {"NETSH_EMU_STATE": str(host.state_file), "NETSH_EMU_LANG": "zh-CN", "NETSH_EMU_CODEPAGE": "65001"}


def test_a_policy_blocking_the_ssh_port_drops_the_session(ssh_hosts):
    host = ssh_hosts()
    lockdown(host)
    assert no_answer(host, "netsh ipsec static add policy name=Never")
    dropped = host.dropped
    assert [(record["port"], record["rc"], record["delivered"]) for record in dropped] == [(host.port, None, False)]
    assert 'filter list "All"' in dropped[0]["reason"] and 'rule "All" of policy "Lockdown"' in dropped[0]["reason"]
    assert [policy["name"] for policy in json.loads(host.state_file.read_text(encoding="utf-8"))["policies"]] == ["Lockdown"]
    # The held session notices that its client has gone, and ends.
    deadline = time.monotonic() + 10
    while _is_shell(dropped[0]["pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _is_shell(dropped[0]["pid"])
    host.enforce = False
    assert ssh(host, SHOW_STORE).returncode == 0


def test_a_management_rule_more_specific_than_the_deny_lets_the_controller_in(ssh_hosts):
    host = ssh_hosts(controller_address="198.51.100.7")
    lockdown(host, f"srcaddr=198.51.100.7 dstaddr=me protocol=tcp dstport={host.port}")
    assert ssh(host, SHOW_STORE).returncode == 0
    assert 'rule "Management"' in host.sessions[-1]["reason"] and host.sessions[-1]["delivered"]
    # Another controller address is not covered by the rule.
    host.set_network(type(host.network)("198.51.100.8", host.network.host_addresses, None))
    assert no_answer(host)


def test_stop_ends_the_connections_it_accepted_and_a_restart_keeps_keys_and_store(ssh_hosts, tmp_path):
    host = ssh_hosts(enforce=False)
    control = tmp_path / "master.sock"
    master = ["-o", "ControlMaster=yes", "-o", f"ControlPath={control}", "-o", "ControlPersist=60"]
    # A ControlPersist master, as ansible keeps one: the connection stays open after the command.
    assert ssh(host, "netsh ipsec static add policy name=P", options=tuple(master)).returncode == 0
    check = ["ssh", "-o", f"ControlPath={control}", "-O", "check", "127.0.0.1"]
    assert subprocess.run(check, capture_output=True, timeout=30, check=False).returncode == 0
    port, known_hosts = host.port, host.known_hosts.read_text(encoding="utf-8")
    host.stop()
    deadline = time.monotonic() + 10
    while subprocess.run(check, capture_output=True, timeout=30, check=False).returncode == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert subprocess.run(check, capture_output=True, timeout=30, check=False).returncode != 0, "the master's connection survived stop()"
    again = ssh_hosts(enforce=False, port=port)  # the same workdir ("host") and port
    assert again.known_hosts.read_text(encoding="utf-8") == known_hosts
    assert "Policy Name            : P" in ssh(again, "netsh ipsec static show policy all").stdout.decode("cp437")


def test_bad_settings_are_refused_before_anything_starts(tmp_path):
    with pytest.raises(ValueError, match="shell must be one of cmd, powershell"):
        EmulatedSshHost(tmp_path / "a", shell="bash")
    with pytest.raises(ValueError):
        EmulatedSshHost(tmp_path / "b", controller_address="not-an-address")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    with pytest.raises(RuntimeError, match="openssh-server"):
        EmulatedSshHost(tmp_path / "c", sshd=str(tmp_path / "no-sshd")).start()


def test_ansible_vars_name_everything_the_ssh_connection_needs(ssh_hosts):
    host = ssh_hosts(shell="powershell", enforce=False)
    variables = host.ansible_vars()
    assert {key: variables[key] for key in ("ansible_connection", "ansible_host", "ansible_port", "ansible_user", "ansible_shell_type")} == {
        "ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": host.port, "ansible_user": host.user,
        "ansible_shell_type": "powershell"}
    assert variables["ansible_ssh_private_key_file"] == str(host.key_file) and os.stat(host.key_file).st_mode & 0o777 == 0o600
    assert f"UserKnownHostsFile={host.known_hosts}" in variables["ansible_ssh_common_args"]
    assert Path(variables["ansible_control_path_dir"]).is_dir() and len(variables["ansible_control_path_dir"]) < 40


def test_the_command_serves_one_host_until_sigterm(tmp_path):
    ready = tmp_path / "ready.json"
    process = subprocess.Popen([str(BIN_DIR / "emulated-ssh-host"), "--workdir", str(tmp_path / "host"), "--ready-file", str(ready),
                                "--shell", "powershell", "--no-enforce"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        info = wait_for_ready_file(ready, process)
        assert info["pid"] == process.pid and info["shell"] == "powershell" and info["ansible_vars"]["ansible_port"] == info["port"]
        argv = ["ssh", "-F", "/dev/null", "-o", f"UserKnownHostsFile={info['known_hosts']}", "-o", "IdentitiesOnly=yes", "-i", info["key_file"],
                "-p", str(info["port"]), f"{info['user']}@127.0.0.1", SHOW_STORE]
        shown = subprocess.run(argv, capture_output=True, timeout=60, check=False)
        assert shown.returncode == 0 and b"Local Store" in shown.stdout
    finally:
        process.send_signal(signal.SIGTERM)
        out, dummy = process.communicate(timeout=30)
    assert process.returncode == 0 and b"emulated Windows host listening on ssh://" in out
    assert not ready.exists()
    assert subprocess.run(argv, capture_output=True, timeout=60, check=False).returncode == 255  # nothing listens any more
