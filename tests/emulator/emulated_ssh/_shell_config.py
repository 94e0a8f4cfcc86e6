"""The settings one emulated host's login shell reads at every session: ``<workdir>/windows-shell.json``.

Contract::

    write_config(path, config)      # atomically (a session never reads half a file)
    read_config(path) -> ShellConfig                 # raises ConfigInvalid

The host (:class:`~._host.EmulatedSshHost`) rewrites the file whenever a setting changes, so a test may change
``env`` or ``enforce`` between two plays, as it changes ``host.env`` of the WinRM host. The file holds:

* ``shell``: ``cmd`` or ``powershell`` (the DefaultShell, ``_windows_shell``);
* ``env``: the emulator's settings (``NETSH_EMU_*``) the session's netsh and PowerShell see, and nothing else;
* ``enforce``, ``network``: whether the session is judged under the assigned policy, and the emulated network
  (``controller_address``, ``host_addresses``, ``server_addresses``; ``emulated_winrm.EmulatedNetwork``);
* ``sessions_log``: the file each session appends its record to (``_login``);
* ``drop_hold_seconds``: how long a session the policy dropped stays open and silent at most.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping

#: The DefaultShell kinds the emulated host offers (``_windows_shell``): Windows OpenSSH's default and PowerShell.
SHELLS = ("cmd", "powershell")


class ConfigInvalid(ValueError):
    """The shell's settings file is missing, unreadable or malformed (a harness mistake, not Windows behaviour)."""


@dataclass(frozen=True)
class ShellConfig:
    """What the login shell needs to answer one session like the emulated Windows host."""

    shell: str
    env: Mapping[str, str]
    sessions_log: str
    enforce: bool = False
    network: Mapping[str, object] = field(default_factory=dict)
    drop_hold_seconds: float = 300.0

    def __post_init__(self) -> None:
        if self.shell not in SHELLS:
            raise ConfigInvalid(f"shell must be one of {', '.join(SHELLS)}, not {self.shell!r}")
        if not all(isinstance(key, str) and isinstance(value, str) for key, value in self.env.items()):
            raise ConfigInvalid("env must map names to strings")
        if not isinstance(self.enforce, bool) or not isinstance(self.drop_hold_seconds, (int, float)) or self.drop_hold_seconds < 0:
            raise ConfigInvalid("enforce must be true or false and drop_hold_seconds a number >= 0")


def write_config(path: Path, config: ShellConfig) -> None:
    """Replace the settings file at ``path`` atomically."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(asdict(config), sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def read_config(path: str | Path) -> ShellConfig:
    """The settings at ``path``; raises :class:`ConfigInvalid` for a missing, unreadable or malformed file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigInvalid(f"cannot read the shell settings {path}: {error}") from None
    if not isinstance(data, dict):
        raise ConfigInvalid(f"the shell settings {path} are not a JSON object")
    try:
        return ShellConfig(**data)
    except TypeError as error:
        raise ConfigInvalid(f"the shell settings {path}: {error}") from None
