"""Fault injection for tests: refused, counted and hanging store changes, and runs cut off.

Only **store-changing** commands take part: a command that parsed (no usage error, no help request)
whose verb is not read-only (``_netsh.READ_ONLY_VERBS``: everything but ``show`` and ``exportpolicy``).
:func:`refuse_change` sees each of them before the store is touched:

* ``NETSH_EMU_FAIL_COUNTER=<file>`` -- the command is counted. The count is the decimal text in
  *file* (missing or empty: 0), read and rewritten under an ``flock`` on ``<file>.lock`` and replaced
  atomically (``_state.atomic_write``), so the separate netsh processes of a batch, of several
  batches and of several hosts sharing the file count one sequence 1, 2, 3, ...
* ``NETSH_EMU_FAIL_ON=<text>`` -- the command fails when its arguments, joined with spaces, contain
  *text*.
* ``NETSH_EMU_FAIL_AT=<n>[,<n>...]`` -- the command fails when its count is one of these.
  Failing is the caller's business: the ``IPsec[05073]`` line with the store unchanged.
* ``NETSH_EMU_HANG_AT=<n>[,<n>...]`` -- the command with that count never runs. It writes the file
  ``NETSH_EMU_HANG_MARKER`` (if set; JSON ``{"count", "pid", "argv"}``), waits
  ``NETSH_EMU_HANG_SECONDS`` holding no lock, then raises :class:`RunAborted`: the host was cut off,
  and the whole run the command belongs to (a bootstrap batch, one netsh process) ends without a
  result. A count in both lists hangs.

*abort* is the emulated WinRM host's kill switch (a ``threading.Event``, see
``emulated_winrm._server.EmulatedWindowsHost.kill``). Once it is set a hang ends at once and
:func:`check_abort`, which ``_netsh`` calls before every command, raises :class:`RunAborted`, so a
killed host runs nothing more.

Every point here is an emulator mechanism for tests, not netsh behaviour.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Sequence

from . import _state
from ._locale import ConfigError, Settings


class RunAborted(Exception):
    """The emulated host was cut off: the run this command belongs to ends now, without a result."""


def check_abort(abort: threading.Event | None) -> None:
    """Raise :class:`RunAborted` when *abort* is set (the emulated host was killed)."""
    if abort is not None and abort.is_set():
        raise RunAborted("the emulated host was killed")


def refuse_change(settings: Settings, argv: Sequence[str], abort: threading.Event | None) -> bool:
    """Count a store-changing command; True when it must fail. Raises :class:`RunAborted` after a hang.

    Raises :class:`ConfigError` when the counter or the marker file cannot be used.
    """
    count = next_count(settings.fail_counter) if settings.fail_counter else None
    if count in settings.hang_at:
        _hang(settings, count, argv, abort)
    if count in settings.fail_at:
        return True
    return bool(settings.fail_on) and settings.fail_on in " ".join(argv)


def next_count(path: str) -> int:
    """Add one to the counter kept in *path* (created when missing) and return the new count."""
    try:
        with _state.locked(path, exclusive=True):
            count = _read_count(path) + 1
            _state.atomic_write(path, f"{count}\n".encode("ascii"))
    except OSError as exc:
        raise ConfigError(f"NETSH_EMU_FAIL_COUNTER={path!r}: {exc.strerror or exc}") from None
    return count


def _read_count(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            text = handle.read().strip()
    except FileNotFoundError:
        return 0
    if text == b"":
        return 0
    if not text.isdigit():
        raise ConfigError(f"NETSH_EMU_FAIL_COUNTER={path!r}: the file holds {text[:40]!r}, not a count")
    return int(text)


def _hang(settings: Settings, count: int, argv: Sequence[str], abort: threading.Event | None) -> None:
    """Announce the hang, wait (no lock is held), then cut the run off."""
    if settings.hang_marker:
        marker = {"count": count, "pid": os.getpid(), "argv": list(argv)}
        try:
            _state.atomic_write(settings.hang_marker, (json.dumps(marker) + "\n").encode("utf-8"))
        except OSError as exc:
            raise ConfigError(f"NETSH_EMU_HANG_MARKER={settings.hang_marker!r}: {exc.strerror or exc}") from None
    (abort or threading.Event()).wait(settings.hang_seconds)
    check_abort(abort)
    raise RunAborted(f"the emulated host was cut off during store-changing command {count} (NETSH_EMU_HANG_AT)")
