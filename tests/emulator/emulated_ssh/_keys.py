"""The keys of one emulated host: its own host key, the controller's key pair, and the files that name them.

Contract::

    keys = make_keys(workdir)          # ssh-keygen: <workdir>/ssh_host_ed25519_key(.pub), <workdir>/client_ed25519(.pub)
    keys.write_authorized_keys()       # <workdir>/authorized_keys: the client's public key, and only it
    keys.write_known_hosts(port)       # <workdir>/known_hosts: the host key under 127.0.0.1 and that port

Keys are Ed25519, made without a passphrase by the machine's ``ssh-keygen`` (private files mode 0600, as ssh
requires); existing keys in the workdir are kept, so a host started again on the same workdir keeps its identity.
Raises ``RuntimeError`` when ``ssh-keygen`` is missing or fails.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HostKeys:
    """The paths of one emulated host's keys and key files."""

    host_key: Path
    client_key: Path
    authorized_keys: Path
    known_hosts: Path

    def write_authorized_keys(self) -> None:
        """Authorize the client's key alone, with every restriction OpenSSH knows (no forwarding, no pty, no rc)."""
        public = self.client_key.with_name(self.client_key.name + ".pub").read_text(encoding="utf-8").strip()
        self.authorized_keys.write_text(f"restrict {public}\n", encoding="utf-8")
        self.authorized_keys.chmod(0o600)

    def write_known_hosts(self, port: int) -> None:
        """Name the host key as ssh looks it up for ``127.0.0.1`` on ``port`` (``[host]:port`` unless it is 22)."""
        key_type, key = self.host_key.with_name(self.host_key.name + ".pub").read_text(encoding="utf-8").split()[:2]
        name = "127.0.0.1" if port == 22 else f"[127.0.0.1]:{port}"
        self.known_hosts.write_text(f"{name} {key_type} {key}\n", encoding="utf-8")


def make_keys(workdir: Path) -> HostKeys:
    """Create (or keep) the host's and the client's key pairs in ``workdir``; see the module docstring."""
    keys = HostKeys(workdir / "ssh_host_ed25519_key", workdir / "client_ed25519", workdir / "authorized_keys", workdir / "known_hosts")
    for path, comment in ((keys.host_key, "emulated-windows-host"), (keys.client_key, "emulated-ssh-controller")):
        if not path.exists():
            _keygen(path, comment)
    return keys


def _keygen(path: Path, comment: str) -> None:
    program = shutil.which("ssh-keygen")
    if program is None:
        raise RuntimeError("ssh-keygen is not installed (Debian: openssh-client); the emulated SSH host needs it")
    done = subprocess.run([program, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ssh-keygen failed ({done.returncode}) for {path}: {done.stderr.strip()}")
