# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Writing a file on the controller that may hold secrets.

Backups hold the store with its pre-shared keys, so every backup the collection writes on the
controller (a structured backup, a copy of a native export) is written the same way: mode 0600 from
the moment it exists, parent directories created 0700, atomically (a reader never sees half a file),
and left alone when it already holds the same bytes.
"""

from __future__ import annotations

import os
import tempfile

from ._errors import InvalidInput


def write_private(path: str, data: bytes, *, option: str, check_mode: bool = False) -> bool:
    """Write ``data`` to ``path``; return whether the file changed (in ``check_mode``, whether it would).

    A file that already holds ``data`` is left alone, its mode included. In ``check_mode`` nothing is
    written.

    Raises:
        InvalidInput: naming ``option`` and the path, with the operating system's words.
    """
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    except FileNotFoundError:
        pass
    except OSError as error:
        raise InvalidInput(option, path, f"cannot be read to compare with the new backup: {error.strerror or error}") from None
    if check_mode:
        return True
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".ipsec-backup-", dir=directory)  # mkstemp creates it 0600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise InvalidInput(option, path, f"cannot be written: {error.strerror or error}") from None
    return True


__all__ = ["write_private"]
