"""Integration harness: real ``ansible-playbook`` runs against the emulated Windows host.

Two connections, chosen by ``LOCKDOWN_TEST_CONNECTION`` (the test command runs the suite with both):

* ``local`` (default): ``ansible_connection=local`` with ``tests/emulator/bin`` first on PATH, so the
  collection's action plugins send their encoded PowerShell command to the fake PowerShell, which runs
  the netsh emulator;
* ``winrm``: every host is an emulated WinRM endpoint (``tests/emulator/emulated_winrm``) on its own
  loopback port, reached by ansible-core's real ``winrm`` connection with NTLM and message encryption;
* ``winrm-https-validate`` and ``winrm-https-ignore``: the same over HTTPS (NTLM, no message encryption: TLS encrypts),
  the endpoint's certificate validated against the CA made for it, or not validated; the seed playbooks only;
* ``psrp``: the same emulated endpoint reached by ansible-core's real ``psrp`` connection (pypsrp: runspace pool and
  pipelines, PSRP) over HTTP with NTLM and message encryption; the seed playbooks, the role and the lockout suite;
* ``ssh-cmd`` and ``ssh-powershell``: every host is Debian's OpenSSH server on its own loopback port in front of the
  emulated host (``tests/emulator/emulated_ssh``), whose login shell answers as Windows OpenSSH with the default
  shell cmd.exe or with ``DefaultShell`` powershell.exe, reached by ansible-core's real ``ssh`` connection with key
  authentication; the seed playbooks, the role and the SSH guard (``test_ssh_guard.py``).

The collection is found through ``.cache/collections`` (tests/conftest.py links the checkout there).
Every task result is recorded by ``callback_plugins/lockdown_record.py``; every round trip is logged
by the fake PowerShell (``NETSH_EMU_PS_LOG``) and, over WinRM, must equal the endpoint's count of
Command operations (over SSH, the emulated host's count of sessions that ran a command).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from emulated_ssh import EmulatedSshHost
from emulated_winrm import EmulatedWindowsHost
from netsh_emulator import cancel_scheduled_tasks

# The shared assertions of the test modules; rewritten so that their failures show the values.
pytest.register_assert_rewrite("ipsec_support")

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
EMULATOR_BIN = TESTS / "emulator" / "bin"
COLLECTIONS = REPO / ".cache" / "collections"
# The seed playbooks and the role: what every further connection runs (the local and WinRM runs hold the whole suite).
SEED_AND_ROLE = ("test_seed000.py", "test_playbooks.py", "test_role.py")
# Each value of LOCKDOWN_TEST_CONNECTION -> the test modules its run collects (None: every module).
CONNECTION_MODULES: dict[str, tuple[str, ...] | None] = {
    "local": None,
    "winrm": None,
    "winrm-https-validate": ("test_seed000.py", "test_playbooks.py"),
    "winrm-https-ignore": ("test_seed000.py", "test_playbooks.py"),
    "psrp": (*SEED_AND_ROLE, "test_lockout_end_to_end.py"),
    "ssh-cmd": (*SEED_AND_ROLE, "test_ssh_guard.py"),
    "ssh-powershell": (*SEED_AND_ROLE, "test_ssh_guard.py"),
}
# The SSH connections -> the DefaultShell of the emulated Windows OpenSSH (EmulatedSshHost's shell).
SSH_SHELLS = {"ssh-cmd": "cmd", "ssh-powershell": "powershell"}
CONNECTION = os.environ.get("LOCKDOWN_TEST_CONNECTION", "local")
if CONNECTION not in CONNECTION_MODULES:
    raise pytest.UsageError(f"LOCKDOWN_TEST_CONNECTION must be one of {', '.join(CONNECTION_MODULES)}, not {CONNECTION!r}")
if CONNECTION_MODULES[CONNECTION] is None:
    # The guard of the SSH port needs an SSH connection; tests that need several WinRM endpoints, or a host that
    # enforces its policy on the connection, belong to the WinRM run of the suite.
    collect_ignore = ["test_ssh_guard.py"] + ([] if CONNECTION == "winrm" else ["test_multi_host.py", "test_lockout_end_to_end.py"])
else:
    collect_ignore = sorted(path.name for path in HERE.glob("test_*.py") if path.name not in CONNECTION_MODULES[CONNECTION])
# The WinRM-over-HTTPS connections -> their ansible_winrm_server_cert_validation (EmulatedWindowsHost.ansible_vars).
HTTPS_CERT_VALIDATION = {"winrm-https-validate": "validate", "winrm-https-ignore": "ignore"}
# Where the modules of the running test read the store (set by the read_from fixture).
READ_FROM_VARIABLE = "LOCKDOWN_TEST_READ_FROM"
# The WinRM HTTP port the role protects when the play's connection has no port of its own (local).
LOCAL_MANAGEMENT_PORT = 5985


@dataclass
class PlayResult:
    """What one ansible-playbook run did."""

    rc: int
    stdout: str
    stderr: str
    tasks: list = field(default_factory=list)  # one dict per task result: task, host, status, result
    round_trips: int = 0

    def task(self, name: str) -> dict:
        """The result of the task called ``name`` (the last one, if it ran more than once)."""
        matches = [entry for entry in self.tasks if entry["task"] == name]
        assert matches, f"no task {name!r} ran; tasks: {[entry['task'] for entry in self.tasks]}\n{self.stdout}\n{self.stderr}"
        return matches[-1]["result"]

    def status(self, name: str) -> str:
        """How the task called ``name`` ended: ``ok``, ``failed``, ``skipped`` or ``unreachable``
        (Ansible keeps ``failed`` out of the recorded result, so ask here)."""
        matches = [entry for entry in self.tasks if entry["task"] == name]
        assert matches, f"no task {name!r} ran; tasks: {[entry['task'] for entry in self.tasks]}\n{self.stdout}\n{self.stderr}"
        return matches[-1]["status"]


class EmulatedHost:
    """One emulated Windows host (a netsh store file) and a way to run plays against it.

    ``management_port`` is the port of the play's connection: what the role must keep open.
    Call :meth:`close` when done (the fixtures do): it stops the WinRM endpoint, if any.

    ``enforce``: whether the WinRM endpoint drops what its assigned policy blocks, as Windows does
    (``emulated_winrm``). Off by default here: most tests build policies that say nothing about the
    management channel (a real host would lock the controller out of the next task), to check the
    store; tests of the channel itself turn it on (``endpoint.enforce``).
    """

    def __init__(self, workdir: Path, *, enforce: bool = False) -> None:
        self.workdir = workdir
        self.state_file = workdir / "netsh-store.json"
        self.log_file = workdir / "round-trips.jsonl"
        self.inventory = workdir / "inventory.ini"
        self.endpoint: EmulatedWindowsHost | None = None
        self.ssh: EmulatedSshHost | None = None
        self.env = dict(
            os.environ,
            PATH=f"{EMULATOR_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
            ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="lockdown_record",
            ANSIBLE_HOME=str(workdir / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-tmp"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_HOST_KEY_CHECKING="0",
            NETSH_EMU_STATE=str(self.state_file),
            NETSH_EMU_PS_LOG=str(self.log_file),
        )
        self._runs = 0
        if CONNECTION in ("winrm", "psrp") or CONNECTION in HTTPS_CERT_VALIDATION:
            self.endpoint = EmulatedWindowsHost(workdir, enforce=enforce, https=CONNECTION in HTTPS_CERT_VALIDATION).start()
            self.endpoint.env = self.env  # the same dict: a test's NETSH_EMU_* change reaches the host
            self.management_port = self.endpoint.port
            variables = self.endpoint.ansible_vars(cert_validation=HTTPS_CERT_VALIDATION.get(CONNECTION, "validate"))
            if CONNECTION == "psrp":  # a PSRP pipeline is one Command operation, as a WinRS command is
                variables = self.endpoint.psrp_vars()
            connection = " ".join(f"{name}={value}" for name, value in variables.items())
        elif CONNECTION in SSH_SHELLS:
            self.ssh = EmulatedSshHost(workdir, shell=SSH_SHELLS[CONNECTION], env=self.env, enforce=enforce).start()
            self.management_port = self.ssh.port
            connection = " ".join(f"{name}={shlex.quote(str(value))}" for name, value in self.ssh.ansible_vars().items())
        else:
            self.management_port = LOCAL_MANAGEMENT_PORT
            connection = f"ansible_connection=local ansible_python_interpreter={sys.executable}"
        self.inventory.write_text(f"[windows]\nwinhost {connection}\n", encoding="utf-8")

    def close(self) -> None:
        """Stop the WinRM endpoint (the store stays on disk) and cancel the rollbacks still armed, so that no
        timer of the emulated Task Scheduler outlives the test."""
        cancel_scheduled_tasks(str(self.state_file))
        if self.endpoint is not None:
            self.endpoint.stop()
        if self.ssh is not None:
            self.ssh.stop()

    def restart_endpoint(self) -> None:
        """After the WinRM endpoint was killed, start a new one on the same port and store (WinRM runs only)."""
        assert self.endpoint is not None, "only a WinRM host has an endpoint to restart"
        self.endpoint = EmulatedWindowsHost(self.workdir, port=self.management_port, enforce=self.endpoint.enforce,
                                            https=self.endpoint.https).start()
        self.endpoint.env = self.env

    def play(
        self, tasks, *, check: bool = False, diff: bool = False, extra_vars: dict | None = None, vars: dict | None = None, verbosity: int = 0,
        interrupted: bool = False,
    ) -> PlayResult:
        """Run ``tasks`` (a list of task dicts) as one play on this host and return what happened.

        ``interrupted``: the play cuts a write off on purpose (a task timeout, a killed host), so a
        WinRM shell may stay open and its Command operations need not match the batches."""
        playbook = self.workdir / f"play-{self._runs + 1}.yml"
        play = {"name": "test play", "hosts": "windows", "gather_facts": False, "tasks": tasks}
        if os.environ[READ_FROM_VARIABLE] != "registry":
            # as a user switches a whole play (README, "Where the store is read from")
            play["module_defaults"] = {"group/lockdown.ipsec.ipsec": {"read_from": os.environ[READ_FROM_VARIABLE]}}
        if vars:
            play["vars"] = vars
        playbook.write_text(yaml.safe_dump([play], sort_keys=False), encoding="utf-8")
        return self.run_playbook(playbook, check=check, diff=diff, extra_vars=extra_vars, verbosity=verbosity, interrupted=interrupted)

    def run_playbook(
        self, playbook: Path, *, check: bool = False, diff: bool = False, extra_vars: dict | None = None, verbosity: int = 0,
        interrupted: bool = False,
    ) -> PlayResult:
        """Run an existing playbook file against this host."""
        self._runs += 1  # one record file per run, also when the same playbook runs twice
        record = self.workdir / f"record-{self._runs}-{playbook.stem}.jsonl"
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(self.inventory), str(playbook)]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if extra_vars:
            command += ["--extra-vars", json.dumps(extra_vars)]
        if verbosity:
            command.append("-" + "v" * verbosity)
        trips_before = self.round_trips()
        commands_before = self.endpoint.round_trips if self.endpoint else 0
        shells_before = self.endpoint.open_shells if self.endpoint else 0
        if self.ssh:
            self.ssh.env = self.env  # a test's NETSH_EMU_* change reaches the sessions of this run
        sessions_before = self.ssh.round_trips if self.ssh else 0
        proc = subprocess.run(command, env=dict(self.env, LOCKDOWN_RECORD_FILE=str(record)), capture_output=True, text=True, timeout=300, check=False)
        tasks = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()] if record.exists() else []
        trips = self.round_trips() - trips_before
        # Deprecation warnings are shown (ansible's default) and none may come from a play of ours.
        assert "[DEPRECATION WARNING]" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
        if self.endpoint and not interrupted:
            commands = self.endpoint.round_trips - commands_before
            assert commands == trips, f"{commands} WinRM Command operations but {trips} bootstrap batches\n{self.endpoint.command_lines[-commands:]}"
            # (a shell an earlier, interrupted play left behind stays open, as on Windows until its idle timeout)
            assert self.endpoint.open_shells <= shells_before, "a WinRM shell was left open"
        if self.ssh and not interrupted:
            sessions = self.ssh.round_trips - sessions_before
            assert sessions == trips, f"{sessions} SSH sessions ran a command but {trips} bootstrap batches\n{self.ssh.sessions[-sessions:]}"
        return PlayResult(proc.returncode, proc.stdout, proc.stderr, tasks, trips)

    def round_trips(self) -> int:
        """How many bootstrap batches the fake PowerShell has run for this host so far."""
        return len(self.log_file.read_text(encoding="utf-8").splitlines()) if self.log_file.exists() else 0

    def batches(self) -> list[dict]:
        """Every round trip the fake PowerShell received so far, in order: ``{"commands": [...],
        "stop_on_error": bool, "files": [...], "registry": bool}`` with the command lines as netsh.exe got
        them (without ``netsh``)."""
        if not self.log_file.exists():
            return []
        return [json.loads(line) for line in self.log_file.read_text(encoding="utf-8").splitlines()]

    def store_bytes(self) -> bytes:
        """The raw store file: compare before/after to prove that nothing changed."""
        return self.state_file.read_bytes() if self.state_file.exists() else b""

    def netsh(self, *args: str) -> str:
        """Run the emulated netsh directly (independently of the collection) and return its output."""
        proc = subprocess.run([str(EMULATOR_BIN / "netsh"), *args], env=self.env, capture_output=True, timeout=60, check=False)
        return proc.stdout.decode("cp437")


@pytest.fixture(scope="module", autouse=True)
def read_from(request):
    """Where the modules of this test module read the store: its ``READ_FROM`` ("registry", the
    default of every module, or "netsh"); the plays of :meth:`EmulatedHost.play` and
    ``ipsec_support.is_read`` follow it (through the environment variable, which each worker process
    has to itself). Module-scoped, so that module-scoped hosts and runs see it too."""
    path = getattr(request.module, "READ_FROM", "registry")
    os.environ[READ_FROM_VARIABLE] = path
    yield path
    del os.environ[READ_FROM_VARIABLE]


@pytest.fixture
def host(tmp_path):
    """A fresh emulated Windows host with an empty IPsec store."""
    emulated = EmulatedHost(tmp_path)
    yield emulated
    emulated.close()


@pytest.fixture
def make_host(tmp_path):
    """A factory of further fresh emulated hosts, for tests that compare two stores."""
    made = []

    def make(name: str) -> EmulatedHost:
        workdir = tmp_path / name
        workdir.mkdir()
        made.append(EmulatedHost(workdir))
        return made[-1]

    yield make
    for emulated in made:
        emulated.close()


@pytest.fixture(scope="module")
def module_host(tmp_path_factory):
    """A fresh emulated host shared by the tests of one module (e.g. one grouped run, asserted per case)."""
    emulated = EmulatedHost(tmp_path_factory.mktemp("module-host"))
    yield emulated
    emulated.close()
