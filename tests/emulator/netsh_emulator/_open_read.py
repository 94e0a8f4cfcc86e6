"""The bootstrap's file access: what ``[IO.File]::OpenRead($n).Dispose()`` (the file precondition) and
``[IO.File]::ReadAllBytes($n)`` (the read back) report for a path.

Contract::

    open_read_error(path) -> None | str
    read_all_bytes(path) -> (bytes, None) | (None, str)
    file_exists(path) -> bool                 # [IO.File]::Exists (disarm, rollback)
    delete_error(path) -> None | str          # [IO.File]::Delete (disarm)

None when the file opens for reading (it is closed again at once); otherwise the text of ``"$_"``
in the bootstrap's ``catch``: the error record as a string, which is its exception's message.
PowerShell wraps an exception thrown by a .NET method in a ``MethodInvocationException`` whose
message is ``Exception calling "OpenRead" with "1" argument(s): "<the .NET message>"`` (``"ReadAllBytes"``
for the read back).

The path is opened as given, so a relative path resolves against the current directory of the
process (.NET resolves it against ``Environment.CurrentDirectory``, the process's, not PowerShell's
``Get-Location``; the netsh processes the bootstrap starts inherit the same directory, which is why
``importpolicy file=`` in the emulator opens its path the same way). The messages name the full
path, as .NET Framework's ``FileStream`` does when the caller may discover it (full trust).

.NET Framework 4.x messages used (mscorlib resources, raised by ``__Error.WinIOError`` and
``Path.NormalizePath``; general knowledge of the reference source, not checked on a host, A-60):

====================================== =============================================================
missing file, its directory exists     ``Could not find file '<full path>'.``
missing directory (or a file in the    ``Could not find a part of the path '<full path>'.``
way)
a directory, or no read permission     ``Access to the path '<full path>' is denied.``
empty path                             ``Empty path name is not legal.``
only whitespace                        ``The path is not of a legal form.``
``" < > |`` or a control character     ``Illegal characters in path.``
name too long                          ``The specified path, file name, or both are too long. ...``
anything else                          the operating system's error text (emulator choice)
====================================== =============================================================

A file locked by another process (``The process cannot access the file ... because it is being
used by another process.``) is not emulated.
"""

from __future__ import annotations

import errno
import os

_ILLEGAL_PATH_CHARACTERS = frozenset('"<>|') | frozenset(chr(code) for code in range(32))
_PATH_TOO_LONG = ("The specified path, file name, or both are too long. The fully qualified file name must be "
                  "less than 260 characters, and the directory name must be less than 248 characters.")


def open_read_error(path: str) -> str | None:
    """``"$_"`` after ``[IO.File]::OpenRead(path)`` failed, or None when it opened."""
    data, error = _read(path, "OpenRead")
    return error


def read_all_bytes(path: str) -> tuple[bytes, None] | tuple[None, str]:
    """``[IO.File]::ReadAllBytes(path)``: the bytes, or ``"$_"`` of the exception it threw."""
    return _read(path, "ReadAllBytes")


def _read(path: str, method: str) -> tuple[bytes, None] | tuple[None, str]:
    message = _argument_error(path)
    if message is None:
        try:
            with open(path, "rb") as handle:
                return handle.read(), None
        except OSError as exc:
            message = io_error_message(path, exc)
    return None, f'Exception calling "{method}" with "1" argument(s): "{message}"'


def file_exists(path: str) -> bool:
    """``[IO.File]::Exists(path)``: a regular file; false for a directory or a path .NET would refuse (it never throws)."""
    return _argument_error(path) is None and os.path.isfile(path)


def delete_error(path: str) -> str | None:
    """``"$_"`` after ``[IO.File]::Delete(path)`` failed, or None when it deleted the file (or there was none)."""
    try:
        os.remove(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f'Exception calling "Delete" with "1" argument(s): "{io_error_message(path, exc)}"'
    return None


def _argument_error(path: str) -> str | None:
    """The ``ArgumentException`` .NET throws before it asks the file system, or None."""
    if path == "":
        return "Empty path name is not legal."
    if any(character in _ILLEGAL_PATH_CHARACTERS for character in path):
        return "Illegal characters in path."
    if path.strip() == "":
        return "The path is not of a legal form."
    return None


def io_error_message(path: str, error: OSError) -> str:
    """The .NET message for the operating system's *error* while opening *path* (see the table above)."""
    full = os.path.abspath(path)
    if error.errno == errno.ENOENT and os.path.isdir(os.path.dirname(full)):
        return f"Could not find file '{full}'."
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"Could not find a part of the path '{full}'."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EISDIR):
        return f"Access to the path '{full}' is denied."
    if error.errno == errno.ENAMETOOLONG:
        return _PATH_TOO_LONG
    return f"{error.strerror or error}."
