"""The configuration of the sshd in front of one emulated host: nothing from ``/etc/ssh``, everything in its workdir.

Contract::

    sshd_config(port=..., host_key=..., authorized_keys=..., pid_file=..., user=..., force_command=...) -> str

Choices, each for a reason:

* ``ListenAddress 127.0.0.1``: loopback only, on the host's own port.
* Public key authentication only, for the one account sshd can log in (the user running the tests; ``root`` when
  the tests run as root, hence ``PermitRootLogin prohibit-password``), with ``UsePAM no`` so that no PAM stack of
  the machine is involved.
* ``StrictModes no``: the authorized keys live in a temporary directory under ``/tmp``, which is world-writable
  (sticky); sshd's strict modes refuse a key file below such a directory.
* ``ForceCommand``: every session, whatever the client asked for, runs the emulated Windows shell, which reads the
  client's command from ``SSH_ORIGINAL_COMMAND``. There is no ``Subsystem``: an sftp request is refused (the
  collection transfers no file; Windows OpenSSH would offer sftp, A-173).
* ``SetEnv SHLVL=1``: sshd runs ``ForceCommand`` through the account's login shell. bash reads ``~/.bashrc`` when
  it believes sshd started it as a top-level shell (``SHLVL`` below 2 after its own increment), and a machine's
  ``.bashrc`` may print or take its time; with ``SHLVL`` 1 inherited, bash counts itself as level 2 and reads none.
* ``PermitUserRC no``, no forwarding, no motd or last-login lines: a session's output is the command's alone.
"""

from __future__ import annotations

from pathlib import Path


def sshd_config(*, port: int, host_key: Path, authorized_keys: Path, pid_file: Path, user: str, force_command: str) -> str:
    """The text of the sshd configuration; raises ``ValueError`` for a path or user sshd_config cannot carry."""
    for value in (str(host_key), str(authorized_keys), str(pid_file), user):
        if not value or any(character.isspace() or character in "\"'%#" for character in value):
            raise ValueError(f"{value!r} cannot be written into an sshd configuration unquoted (no whitespace, quotes, % or #)")
    if "\n" in force_command:
        raise ValueError("the forced command must be one line")
    return "\n".join([
        "# The sshd in front of one emulated Windows host (tests/emulator/emulated_ssh); generated, not edited.",
        f"Port {port}",
        "ListenAddress 127.0.0.1",
        f"HostKey {host_key}",
        f"PidFile {pid_file}",
        f"AuthorizedKeysFile {authorized_keys}",
        "AuthenticationMethods publickey",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        f"AllowUsers {user}",
        "UsePAM no",
        "StrictModes no",
        "PermitUserRC no",
        "PermitUserEnvironment no",
        "AllowAgentForwarding no",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "PrintMotd no",
        "PrintLastLog no",
        "UseDNS no",
        "LogLevel VERBOSE",
        "SetEnv SHLVL=1",
        f"ForceCommand {force_command}",
        "",
    ])
