"""``run_netsh``: one emulated netsh.exe invocation, in process.

Contract::

    run_netsh(argv, env, abort=None) -> (rc, stdout_bytes, stderr_bytes)
    run_netsh_or_abort(argv, env, abort=None) -> (rc, stdout_bytes, stderr_bytes), or raises RunAborted

*argv* is what netsh.exe would receive after CRT splitting, without the program name
(``["ipsec", "static", "add", "policy", "name=P"]``). *env* supplies the ``NETSH_EMU_*`` settings
(see ``_locale``). Each call behaves like a separate process: it loads the store, runs one
command, and saves the store only when the command succeeded and can change it.

Outcomes:

* success: rc 0; ``show`` prints its text; other commands print nothing (A-22) or the line from
  ``NETSH_EMU_SUCCESS_TEXT``;
* IPsec error: stdout ``ERR IPsec[NNNNN] : text`` + CRLF, rc = ``NETSH_EMU_ERROR_EXIT`` (default 1);
* netsh-level error (unknown command/tag, ...): an INVENTED one-line message, rc 1;
* missing required argument: the usage text, rc 1; ``?`` or a bare context: help text, rc 0;
* fault injection (``_faults``): a store-changing command refused by ``NETSH_EMU_FAIL_ON`` or
  ``NETSH_EMU_FAIL_AT`` fails with ``IPsec[05073]`` without changing anything;
* cut off (``NETSH_EMU_HANG_AT`` after its hang, or *abort* set -- the emulated WinRM host was
  killed): :func:`run_netsh_or_abort` raises :class:`~._faults.RunAborted` before touching the store,
  so that its caller (the fake PowerShell) ends the whole run; :func:`run_netsh`, a netsh process of
  its own, returns rc 1 with the reason on stderr (INVENTED: nobody is left to read it on a real
  host);
* emulator misconfiguration (bad or missing ``NETSH_EMU_*``): message on stderr, rc 2;
* emulator bug: traceback on stderr, rc 3.

stdout is encoded in the emulated OEM code page with ``?`` for unencodable characters (what a
Windows console code page conversion does).
"""

from __future__ import annotations

import threading
import traceback
from typing import Callable, Mapping

from . import _add, _delete, _set
from . import _messages as msg
from . import _queries as q
from . import _faults, _state, _transfer
from ._cmdline import Command, HelpRequest, parse_command
from ._context import Context
from ._locale import ConfigError, Settings, settings_from_env
from ._show import CRLF
from ._usage import context_help, usage_text

Handler = Callable[[Context, object], "str | None"]

HANDLERS: dict[tuple[str, str], Handler] = {
    ("add", "policy"): _add.add_policy,
    ("add", "filterlist"): _add.add_filterlist,
    ("add", "filter"): _add.add_filter,
    ("add", "filteraction"): _add.add_filteraction,
    ("add", "rule"): _add.add_rule,
    ("set", "policy"): _set.set_policy,
    ("set", "filterlist"): _set.set_filterlist,
    ("set", "filteraction"): _set.set_filteraction,
    ("set", "rule"): _set.set_rule,
    ("set", "defaultrule"): _set.set_defaultrule,
    ("set", "store"): _set.set_store,
    ("set", "batch"): _set.set_batch,
    ("delete", "policy"): _delete.delete_policy,
    ("delete", "filterlist"): _delete.delete_filterlist,
    ("delete", "filteraction"): _delete.delete_filteraction,
    ("delete", "rule"): _delete.delete_rule,
    ("delete", "filter"): _delete.delete_filter,
    ("delete", "all"): _delete.delete_all,
    ("show", "policy"): q.show_policy,
    ("show", "filterlist"): q.show_filterlist,
    ("show", "filteraction"): q.show_filteraction,
    ("show", "rule"): q.show_rule,
    ("show", "all"): q.show_all,
    ("show", "gpoassignedpolicy"): q.show_gpoassignedpolicy,
    ("show", "store"): q.show_store,
    ("exportpolicy", ""): _transfer.exportpolicy,
    ("importpolicy", ""): _transfer.importpolicy,
}

#: Commands that never change the store: shared lock, no save.
READ_ONLY_VERBS = ("show", "exportpolicy")


class _ConfigFailure(Exception):
    pass


def run_netsh(argv: list[str], env: Mapping[str, str], abort: threading.Event | None = None) -> tuple[int, bytes, bytes]:
    """Run one emulated ``netsh`` command as a process of its own; see the module docstring."""
    try:
        return run_netsh_or_abort(argv, env, abort)
    except _faults.RunAborted as exc:
        return 1, b"", f"netsh emulator: {exc}\n".encode("utf-8")


def run_netsh_or_abort(argv: list[str], env: Mapping[str, str], abort: threading.Event | None = None) -> tuple[int, bytes, bytes]:
    """Run one emulated ``netsh`` command inside a run that ends with it when it is cut off.

    Raises :class:`~._faults.RunAborted` when *abort* is set (checked first) or the command hangs
    through ``NETSH_EMU_HANG_AT``; the store is then untouched. Otherwise as :func:`run_netsh`.
    """
    _faults.check_abort(abort)
    try:
        settings = settings_from_env(env)
    except ConfigError as exc:
        return 2, b"", f"netsh emulator: {exc}\n".encode("utf-8")
    try:
        rc, text, err = _run(list(argv), settings, abort)
    except (_ConfigFailure, ConfigError) as exc:
        return 2, b"", f"netsh emulator: {exc}\n".encode("utf-8")
    except _faults.RunAborted:
        raise
    except Exception:  # an emulator bug must be loud, never look like a netsh answer
        return 3, b"", ("netsh emulator internal error:\n" + traceback.format_exc()).encode("utf-8")
    return rc, text.encode(settings.encoding, errors="replace"), err.encode("utf-8")


def _run(argv: list[str], settings: Settings, abort: threading.Event | None) -> tuple[int, str, str]:
    try:
        parsed = parse_command(argv)
    except msg.UsageError as exc:
        return 1, usage_text(settings.lang, exc.verb, exc.obj), ""
    except msg.NetshLevelError as exc:
        return 1, exc.text + CRLF, ""
    if isinstance(parsed, HelpRequest):
        if parsed.usage is not None:
            return 0, usage_text(settings.lang, parsed.usage.verb, parsed.usage.obj), ""
        return 0, context_help(settings.lang, parsed.context or ""), ""
    if parsed.spec.verb not in READ_ONLY_VERBS and _faults.refuse_change(settings, argv, abort):
        # Fault injection for tests (NETSH_EMU_FAIL_ON, NETSH_EMU_FAIL_AT): a change refused as if the
        # store were locked. A NETSH_EMU_HANG_AT command raised RunAborted instead.
        return _ipsec(settings, msg.store_unavailable())
    return _execute(parsed, settings)


def _execute(command: Command, settings: Settings) -> tuple[int, str, str]:
    spec = command.spec
    if settings.store_unavailable:
        return _ipsec(settings, msg.store_unavailable())
    if settings.state_path is None:
        raise _ConfigFailure("NETSH_EMU_STATE is not set (path of the emulated store's JSON file)")
    read_only = spec.verb in READ_ONLY_VERBS
    path = settings.state_path
    try:
        with _state.locked(path, exclusive=not read_only):
            try:
                store = _state.load(path)
            except _state.StoreCorrupt as exc:
                return _ipsec(settings, msg.store_unavailable(), f"netsh emulator: {path}: {exc}\n")
            ctx = Context(settings, store)
            try:
                output = HANDLERS[(spec.verb, spec.obj)](ctx, command.args)
            except msg.InvalidValue as exc:
                return _ipsec(settings, exc.to_ipsec())
            except msg.IpsecError as exc:
                return _ipsec(settings, exc)
            except msg.UsageError as exc:
                return 1, usage_text(settings.lang, exc.verb, exc.obj), ""
            except msg.NetshLevelError as exc:
                return 1, exc.text + CRLF, ""
            if not read_only:
                _state.save(path, store)
    except OSError as exc:
        # state directory missing or unwritable: the store "cannot be opened" (05073)
        return _ipsec(settings, msg.store_unavailable(), f"netsh emulator: {path}: {exc}\n")
    if output is not None:
        return 0, output, ""
    if settings.success_text:
        return 0, settings.success_text + CRLF, ""
    return 0, "", ""


def _ipsec(settings: Settings, error: msg.IpsecError, stderr: str = "") -> tuple[int, str, str]:
    return settings.error_exit, error.line() + CRLF, stderr
