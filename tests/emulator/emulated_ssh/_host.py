"""One emulated Windows host behind a real OpenSSH server (Debian's ``/usr/sbin/sshd``) on a loopback port.

Contract::

    host = EmulatedSshHost(workdir, shell="cmd").start()     # or powershell; ValueError for a bad setting
    host.port, host.user, host.ansible_vars()                # what ansible-core's ssh connection needs
    host.env = {...}; host.enforce = True                    # rewritten into the shell's settings at once
    host.sessions, host.round_trips, host.dropped            # what the sessions did (the shell's records)
    host.stop()                                              # sshd and its connections end; the store stays

Everything the sshd uses is in ``workdir``: ``sshd_config`` (``_sshd_config``), the host key and the controller's
key pair (``_keys``), ``authorized_keys``, ``known_hosts``, ``sshd.pid``, ``sshd.log``, the shell's settings
``windows-shell.json`` (``_shell_config``), the sessions' records ``ssh-sessions.jsonl`` and the netsh store
``netsh-store.json``. Nothing in ``/etc/ssh`` is read and the machine's ssh service is neither used nor started.
sshd runs in the foreground (``-D``) as a child of this process; as root it needs its privilege separation
directory, which is created (mode 0755) when ``sshd -t`` reports it missing.

``stop()`` ends, by their process ids, the per-connection sshd processes our sshd started (a client's ControlPersist
master would otherwise keep its connection, and the host would still answer), then the listening sshd, then the
sessions a policy left holding (``_login``). The sessions' records and the store stay in ``workdir``.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping, Sequence

from ._keys import make_keys
from ._shell_config import SHELLS, ShellConfig, write_config
from ._sshd_config import sshd_config
from ._winrm_parts import DEFAULT_CONTROLLER_ADDRESS, DEFAULT_HOST_ADDRESSES, EmulatedNetwork

DEFAULT_SSHD = "/usr/sbin/sshd"
SHELL_PROGRAM = Path(__file__).resolve().parents[1] / "bin" / "emulated-windows-shell"
# How long sshd has to start listening, and how often a port picked at random may turn out to be taken meanwhile.
READY_WITHIN = 15.0
_PORT_ATTEMPTS = 5
_PRIVSEP_MISSING = re.compile(r"Missing privilege separation directory: (\S+)")
_SETTINGS_PREFIX = "NETSH_EMU_"


class EmulatedSshHost:
    """One emulated Windows host reached over SSH; see the module docstring.

    ``shell``: ``cmd`` (Windows OpenSSH's default) or ``powershell`` (``DefaultShell`` = powershell.exe).
    ``env``: emulator settings (``NETSH_EMU_*``; other names are left out) added to ``NETSH_EMU_STATE``.
    ``enforce`` and the addresses: the emulated network, as ``emulated_winrm.EmulatedWindowsHost`` takes them; with
    ``enforce`` every session is the controller's packet to the sshd port, judged under the assigned policy.
    ``drop_hold_seconds``: how long a dropped session stays silent at most. ``python``: the interpreter that runs the
    shell (this one by default; it needs no third-party package).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        shell: str = "cmd",
        port: int = 0,
        env: Mapping[str, str] | None = None,
        enforce: bool = True,
        controller_address: str = DEFAULT_CONTROLLER_ADDRESS,
        host_addresses: Sequence[str] = DEFAULT_HOST_ADDRESSES,
        server_addresses: Mapping[str, Sequence[str]] | None = None,
        drop_hold_seconds: float = 300.0,
        sshd: str = DEFAULT_SSHD,
        python: str | None = None,
    ) -> None:
        if shell not in SHELLS:
            raise ValueError(f"shell must be one of {', '.join(SHELLS)}, not {shell!r}")
        self.network = EmulatedNetwork(controller_address, host_addresses, server_addresses)  # checked before anything is made
        self.shell = shell
        self.workdir = Path(workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.state_file = self.workdir / "netsh-store.json"
        self.sessions_file = self.workdir / "ssh-sessions.jsonl"
        self.settings_file = self.workdir / "windows-shell.json"
        self.log_file = self.workdir / "sshd.log"
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        self._env = _settings_only({"NETSH_EMU_STATE": str(self.state_file), **(env or {})})
        self._enforce = enforce
        self._drop_hold = drop_hold_seconds
        self._requested_port = port
        self._sshd = sshd
        self._python = python or sys.executable
        self._keys = make_keys(self.workdir)
        self._process: subprocess.Popen | None = None
        self._port: int | None = None
        self._control_dir: str | None = None
        self._write_settings()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "EmulatedSshHost":
        """Start sshd and return once it answers with its banner; raises ``RuntimeError`` (with sshd's log) otherwise."""
        if self._process is not None:
            raise RuntimeError("the emulated SSH host runs already")
        if not os.access(self._sshd, os.X_OK):
            raise RuntimeError(f"{self._sshd} is missing: install Debian's openssh-server (scripts/lib/openssh.sh ensure_openssh_server)")
        self._keys.write_authorized_keys()
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            port = self._requested_port or _free_port()
            self._configure(port)
            process = subprocess.Popen([self._sshd, "-D", "-f", str(self.workdir / "sshd_config"), "-E", str(self.log_file)],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            if _wait_ready(process, port, self.workdir / "sshd.pid"):
                self._process, self._port = process, port
                self._control_dir = tempfile.mkdtemp(prefix="essh-cp-")  # short: a ControlPath must fit a socket address
                return self
            _end(process)
            if self._requested_port or attempt == _PORT_ATTEMPTS or not _bind_failed(self.log_file):
                raise RuntimeError(f"sshd did not start on 127.0.0.1:{port}; the end of {self.log_file}:\n{_tail(self.log_file)}")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop sshd, the connections it accepted and the sessions held silent; may be called twice."""
        process, self._process = self._process, None
        if process is not None:
            # The connections first, while the listener still runs to reap them (nothing else would: a container's
            # first process may not reap orphans).
            connections = _children(process.pid)
            for pid in connections:
                _signal(pid, signal.SIGTERM)
            _wait_gone(connections, timeout=5)
            _end(process)
        for record in self.sessions:
            if not record["delivered"] and _is_shell(record["pid"]):
                _signal(record["pid"], signal.SIGTERM)
        if self._control_dir is not None:
            shutil.rmtree(self._control_dir, ignore_errors=True)
            self._control_dir = None

    def __enter__(self) -> "EmulatedSshHost":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- what clients need ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port sshd listens on (after :meth:`start`)."""
        if self._port is None or self._process is None:
            raise RuntimeError("the emulated SSH host is not running")
        return self._port

    @property
    def key_file(self) -> Path:
        """The controller's private key, the one key the host accepts."""
        return self._keys.client_key

    @property
    def known_hosts(self) -> Path:
        """A known_hosts file naming the host's key under ``[127.0.0.1]:<port>``."""
        return self._keys.known_hosts

    def ssh_options(self) -> list[str]:
        """The ``-o``/``-F`` options that make any OpenSSH client (ssh, and ansible through ``ansible_ssh_common_args``)
        trust exactly this host's key and offer exactly the controller's key, ignoring the machine's ssh configuration."""
        return ["-F", "/dev/null", "-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no"]

    def ansible_vars(self) -> dict:
        """Inventory variables that reach this host with ansible-core's ``ssh`` connection and key authentication."""
        return {"ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": self.port, "ansible_user": self.user,
                "ansible_shell_type": self.shell, "ansible_ssh_private_key_file": str(self.key_file),
                "ansible_ssh_common_args": " ".join(shlex.quote(option) for option in self.ssh_options()),
                "ansible_control_path_dir": self._control_dir}

    # -- settings the shell reads at every session ------------------------------------------------------

    @property
    def env(self) -> dict:
        """A copy of the emulator settings every session sees; assigning rewrites the shell's settings file."""
        return dict(self._env)

    @env.setter
    def env(self, value: Mapping[str, str]) -> None:
        self._env = _settings_only({"NETSH_EMU_STATE": str(self.state_file), **value})
        self._write_settings()

    @property
    def enforce(self) -> bool:
        """Whether sessions are judged under the store's assigned policy; assigning rewrites the settings file."""
        return self._enforce

    @enforce.setter
    def enforce(self, value: bool) -> None:
        self._enforce = bool(value)
        self._write_settings()

    def set_network(self, network: EmulatedNetwork) -> None:
        """Use ``network`` (e.g. another controller address) from the next session on."""
        self.network = network
        self._write_settings()

    # -- what the sessions did ------------------------------------------------------------------------

    @property
    def sessions(self) -> list[dict]:
        """Every session's record so far, in the order they ended (``_login``)."""
        if not self.sessions_file.exists():
            return []
        return [json.loads(line) for line in self.sessions_file.read_text(encoding="utf-8").splitlines()]

    @property
    def round_trips(self) -> int:
        """How many sessions ran their command (the SSH counterpart of a WinRM Command operation)."""
        return sum(1 for record in self.sessions if record["delivered"])

    @property
    def dropped(self) -> list[dict]:
        """The records of the sessions the policy dropped (no answer)."""
        return [record for record in self.sessions if not record["delivered"]]

    # -- internals ---------------------------------------------------------------------------------

    def _write_settings(self) -> None:
        network = {"controller_address": self.network.controller_address, "host_addresses": list(self.network.host_addresses),
                   "server_addresses": {kind: list(addresses) for kind, addresses in self.network.server_addresses.items()}}
        write_config(self.settings_file, ShellConfig(shell=self.shell, env=self._env, sessions_log=str(self.sessions_file),
                                                     enforce=self._enforce, network=network, drop_hold_seconds=self._drop_hold))

    def _configure(self, port: int) -> None:
        self._keys.write_known_hosts(port)
        force_command = "exec " + " ".join(shlex.quote(part) for part in (self._python, str(SHELL_PROGRAM), str(self.settings_file)))
        text = sshd_config(port=port, host_key=self._keys.host_key, authorized_keys=self._keys.authorized_keys,
                           pid_file=self.workdir / "sshd.pid", user=self.user, force_command=force_command)
        (self.workdir / "sshd_config").write_text(text, encoding="utf-8")
        self._check_config()

    def _check_config(self) -> None:
        """``sshd -t``; creates the privilege separation directory it asks for (as root), else raises with its message."""
        for dummy in range(2):
            checked = subprocess.run([self._sshd, "-t", "-f", str(self.workdir / "sshd_config")], capture_output=True, text=True,
                                     timeout=30, check=False)
            if checked.returncode == 0:
                return
            missing = _PRIVSEP_MISSING.search(checked.stderr)
            if missing is None or os.geteuid() != 0:
                break
            os.makedirs(missing.group(1), mode=0o755, exist_ok=True)
        raise RuntimeError(f"sshd refuses its configuration {self.workdir / 'sshd_config'}: {checked.stderr.strip()}")


def _settings_only(env: Mapping[str, str]) -> dict:
    """The emulator's settings of ``env``: a test's whole environment may be handed in; the host keeps ``NETSH_EMU_*``."""
    return {name: value for name, value in env.items() if name.startswith(_SETTINGS_PREFIX)}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(process: subprocess.Popen, port: int, pid_file: Path) -> bool:
    """Whether ``process`` (sshd) came to listen on ``port``: it wrote its pid file and the port sends an SSH banner."""
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if pid_file.exists() and pid_file.read_text(encoding="utf-8").strip() == str(process.pid) and _banner(port):
            return True
        time.sleep(0.05)
    return False


def _banner(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            return connection.recv(256).startswith(b"SSH-2.0-")
    except OSError:
        return False


def _bind_failed(log_file: Path) -> bool:
    return "Address already in use" in _tail(log_file)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _end(process: subprocess.Popen) -> None:
    """Terminate ``process`` (our sshd) and reap it; killed when it does not end within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc): the per-connection processes our sshd forked."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def _wait_gone(pids: list[int], timeout: float) -> None:
    """Wait until none of ``pids`` exists any more (reaped by their parent), at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.02)


def _is_shell(pid: int) -> bool:
    """Whether ``pid`` is still an emulated Windows shell (a record's pid may have been reused since)."""
    try:
        return str(SHELL_PROGRAM).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
