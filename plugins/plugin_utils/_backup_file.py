# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The structured backup: the whole store as data in a file on the controller.

A native export (``netsh ipsec static exportpolicy``) is a file on the host in a format nobody can read
on the controller, and restoring it means ``delete all`` and ``importpolicy``. A structured backup is
the store in the ``config`` shape of ``ipsec_config`` (``_present.store_to_data`` with the pre-shared
keys in clear, since a backup that cannot restore its keys is no backup), as YAML::

    # <header comment>
    format: lockdown.ipsec.store
    version: 1
    config: {filter_lists: [...], filter_actions: [...], policies: [...], assigned: <name or "">}

Restoring it is a plan like any other (``_plan.plan_exact``): exact in check mode, a real diff,
make-before-break, no ``delete all``. The file holds secrets, so it is written with mode 0600 from the
moment it exists, and atomically: a reader never sees half a backup.
"""

from __future__ import annotations

from typing import Any, Mapping

import yaml

from ._errors import InvalidInput
from ._model import Store
from ._present import store_to_data
from ._private_file import write_private

FORMAT = "lockdown.ipsec.store"
VERSION = 1

_HEADER = (
    "# The static IPsec policy store of {host}, written by lockdown.ipsec.ipsec_backup.\n"
    "# It holds pre-shared keys in clear: keep it private. Restore it with\n"
    "#   lockdown.ipsec.ipsec_backup: {{state: restored, controller_file: <this file>}}\n"
)


def backup_text(store: Store, *, host: str) -> str:
    """The file's text for ``store`` (a gathered store) on ``host``; equal stores give equal text."""
    document = {"format": FORMAT, "version": VERSION, "config": store_to_data(store, redact=False)}
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return _HEADER.format(host=host) + body


def write_backup(path: str, text: str, *, check_mode: bool = False) -> bool:
    """Write ``text`` to ``path`` as :func:`._private_file.write_private` does (mode 0600, atomically,
    parent directories created, an identical file left alone); return whether the file changed. In
    ``check_mode`` nothing is written; the answer says whether it would be.

    Raises:
        InvalidInput: naming ``controller_file`` and the path, with the operating system's words.
    """
    return write_private(path, text.encode("utf-8"), option="controller_file", check_mode=check_mode)


def read_backup(path: str) -> Mapping[str, Any]:
    """The ``config`` data of the structured backup at ``path``, not yet validated as options.

    Raises:
        InvalidInput: naming ``controller_file`` and the path: the file cannot be read, is not YAML,
            or is not a structured backup of this format and version.
    """
    try:
        with open(path, "rb") as handle:
            document = yaml.safe_load(handle.read().decode("utf-8"))
    except OSError as error:
        raise InvalidInput("controller_file", path, f"cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise InvalidInput("controller_file", path, f"is not a structured backup (not UTF-8 YAML: {error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput("controller_file", path, f"is not a structured backup (no 'format: {FORMAT}')")
    if document.get("version") != VERSION:
        raise InvalidInput("controller_file", path, f"is a structured backup of version {document.get('version')!r}; this collection reads version {VERSION}")
    config = document.get("config")
    if not isinstance(config, dict):
        raise InvalidInput("controller_file", path, "is a structured backup without a 'config' mapping")
    return config


__all__ = ["FORMAT", "VERSION", "backup_text", "read_backup", "write_backup"]
