# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The TCP port the task's connection really uses, asked of the connection plugin.

A variable such as ``ansible_port`` is not the answer: WinRM also reads ``ansible_winrm_port``, PSRP
``ansible_psrp_port``, and each plugin has its own default and precedence. The connection plugin has
already resolved its options for the task when an action runs, so its ``port`` option is the port it
connects to, with the plugin's own default filled in as it does when it connects:

* ``winrm``: ``port``, default 5986 (the scheme follows the port, not the other way round).
* ``psrp``: ``port``; when unset, 5985 for ``protocol: http`` and 5986 otherwise.
* ``ssh``, ``paramiko``: ``port``; when unset, 22. (OpenSSH may take another port from
  ``~/.ssh/config``; that file is not read here, so set ``ansible_port`` when it does, see
  docs/assumptions.md A-100.)
* any other plugin with a ``port`` option: that option when it is set.
* a plugin without one (``local``): ``None``.
"""

from __future__ import annotations

from typing import Any

# Each plugin's default when its port option is unset (ansible-core's connection plugins' own code).
_SSH_DEFAULT = 22
_HTTP_PORT, _HTTPS_PORT = 5985, 5986


def connection_port(connection: Any) -> int | None:
    """The port ``connection`` (a connection plugin whose options are set) connects to, or ``None``."""
    transport = getattr(connection, "transport", "")
    port = _option(connection, "port")
    if transport == "psrp" and port is None:
        return _HTTP_PORT if _option(connection, "protocol") == "http" else _HTTPS_PORT
    if transport in ("ssh", "paramiko") and port is None:
        return _SSH_DEFAULT
    if transport == "winrm" and port is None:
        return _HTTPS_PORT
    return None if port is None else int(port)


def _option(connection: Any, option: str) -> Any:
    try:
        return connection.get_option(option)
    except KeyError:  # the plugin has no such option (ansible-core raises KeyError for it)
        return None


__all__ = ["connection_port"]
