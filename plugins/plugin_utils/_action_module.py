# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The shared shell of the six action plugins.

:class:`IpsecActionBase` does what every module needs around its own work: it refuses ``become``,
validates the task's arguments against the module's documentation, builds the one
:class:`~._transport.NetshRunner` of the task, turns the collection's own errors into a failed
result, and censors ``no_log`` values in whatever it returns. A subclass names its module and
implements :meth:`IpsecActionBase.run_validated`; nothing else.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ._argspec import module_argument_spec
from ._carry import Carried
from ._censor import censored
from ._confirm import ConfirmFailed, RollbackNotArmed, left_to_fire_after_lost_answer
from ._engine import ApplyFailed, BackupFailed, OnFailure
from ._errors import InvalidInput, LockdownError
from ._model import check_text
from ._private_file import write_private
from ._results import after_write_result, failure_result, interrupted_result
from ._transport import NetshRunner

display = Display()

# What must pass through even while a write is pending: the user or the system stopping Ansible.
_NEVER_CAUGHT = (KeyboardInterrupt, SystemExit, GeneratorExit)

# execution.md §1.1: the runas become plugin builds no command, so a raw command would silently run
# as the connection user; refuse instead.
BECOME_REFUSED = (
    "lockdown.ipsec.{module} runs netsh through a raw PowerShell command that cannot honour become; "
    "remove become from this task"
)


class IpsecActionBase(ActionBase):
    """Base of the action plugins; a subclass sets :attr:`module_name` and :meth:`run_validated`.

    ``run()`` returns a task result and raises nothing of its own: a task with ``become``, task
    arguments the documentation does not allow, and any :class:`~._errors.LockdownError` from
    :meth:`run_validated` each become ``failed: true`` with a ``msg`` (no traceback). While a write
    batch is on its way (sent, answer not yet read), anything that ends the task (a lost connection,
    the task's ``timeout``, an unreadable answer) becomes ``failed: true, changed: true`` saying that
    the batch may have been applied in part (:func:`~._results.interrupted_result`), and after a
    write batch ran, anything that ends the task becomes ``failed: true, changed: true`` too
    (:func:`~._results.after_write_result`); only ``KeyboardInterrupt`` and ``SystemExit`` pass
    through. Before any write, connection errors (``AnsibleError``) and programming errors propagate
    to Ansible unchanged. Async is refused by
    ``ActionBase.run`` (``_supports_async``).
    """

    _supports_check_mode = True
    _supports_async = False

    module_name = ""
    """The module's short name, e.g. ``"ipsec_policy"``: its documentation stub is
    ``plugins/modules/<module_name>.py``."""

    def argument_spec(self) -> dict:
        """The argument spec to validate the task's arguments with: the module's documented options."""
        return module_argument_spec(self.module_name)

    def run_validated(self, params: dict, *, check_mode: bool, diff: bool, runner: NetshRunner) -> dict:
        """Do the module's work and return its result (``changed``, ``commands``, ``before``, ...).

        ``params`` are the validated task arguments with their documented defaults; ``runner`` talks
        to the task's host. Raise a :class:`~._errors.LockdownError` to fail the task with its message;
        the result and the message are censored for ``no_log`` values afterwards.
        """
        raise NotImplementedError

    def task_arguments(self) -> dict:
        """The task's arguments as they are validated: the task's own by default. A subclass may add
        what an option stands for (e.g. ``ipsec_config``'s ``src``, a file of ``config``); raise a
        :class:`~._errors.LockdownError` to fail the task before anything else."""
        return dict(self._task.args)

    def invocation(self, params: dict) -> dict:
        """What the result's ``invocation.module_args`` shows of the validated ``params``: all of them by
        default."""
        return params

    task_vars: dict = {}
    """The task's variables, for the few modules that need one (e.g. ``inventory_hostname``)."""

    carried: Carried = Carried(None, "")
    """The prediction a check run carries for this task's host (:mod:`._carry`), in the run's own
    local temporary directory."""

    def run(self, tmp=None, task_vars=None):
        """Refuse become, validate, run :meth:`run_validated`, censor; see the class docstring."""
        super().run(tmp, task_vars)
        self.task_vars = task_vars or {}
        host = self._task.delegate_to or self.task_vars.get("inventory_hostname") or self._play_context.remote_addr or ""
        self.carried = Carried(getattr(C, "DEFAULT_LOCAL_TMP", None), str(host))
        try:
            arguments = self.task_arguments()
        except LockdownError as error:
            return {"failed": True, "changed": False, "msg": str(error), "invocation": {"module_args": dict(self._task.args)}}
        validation = ArgumentSpecValidator(self.argument_spec()).validate(arguments)
        if self._task.become or self._play_context.become:
            result = {"failed": True, "msg": BECOME_REFUSED.format(module=self.module_name)}
        elif validation.errors.errors:
            result = {"failed": True, "msg": self._validation_message(validation.errors.errors)}
        else:
            result = self._run_engine(validation.validated_parameters)
        result["invocation"] = {"module_args": self.invocation(validation.validated_parameters)}
        # Values of no_log options (and of their sub-options) may appear in the result and in the
        # messages, e.g. in a command line that failed; censored masks them everywhere, as
        # remove_values does, in a fraction of its time on a large store (_censor).
        return censored(result, validation._no_log_values)

    def _run_engine(self, params: dict) -> dict:
        runner = NetshRunner(self._execute, read_from=params["read_from"], log=self._trace if display.verbosity >= 4 else None,
                             reconnect=self._reconnect)
        try:
            result = self.run_validated(
                params, check_mode=bool(self._task.check_mode), diff=bool(self._task.diff), runner=runner
            )
            self._close_stale_shells()
            return result
        except ApplyFailed as error:
            if error.rollback and error.rollback["status"] == "disarmed":
                self._close_stale_shells()
            return failure_result(error)
        except BackupFailed as error:
            # The batch stopped at its first command, the export: nothing was changed (runner.wrote
            # only says that a write batch ran).
            return {"failed": True, "changed": False, "msg": str(error), **({"rollback": error.rollback} if error.rollback else {})}
        except RollbackNotArmed as error:
            return {"failed": True, "changed": False, "msg": str(error)}
        except ConfirmFailed as error:
            # The change was made; the host restores its previous store by itself, or already has.
            return {"failed": True, "changed": True, "msg": str(error), "rollback": error.rollback}
        except BaseException as error:  # pylint: disable=broad-except  # re-raised below unless a write is involved
            if isinstance(error, _NEVER_CAUGHT):
                raise
            if runner.write_pending:
                return lost_answer_result(interrupted_result(error, runner.last_write), runner, error)
            if runner.wrote:
                return after_write_result(error)
            if isinstance(error, LockdownError):
                return {"failed": True, "changed": False, "msg": str(error)}
            raise

    _stale_shells: list = []

    def _reconnect(self) -> None:
        """Make the connection's next command go over a new connection (the connection plugin's ``reset()``, A-146).

        ``winrm``'s reset drops its shell without deleting it; the shell is remembered and deleted by
        :meth:`_close_stale_shells` once the host has answered over the new connection, so that a confirmed change
        does not leave a shell open on the host until its idle timeout."""
        connection = self._connection
        protocol, shell_id = getattr(connection, "protocol", None), getattr(connection, "shell_id", None)
        connection.reset()
        if protocol is not None and shell_id is not None and getattr(connection, "protocol", None) is not protocol:
            self._stale_shells = [*self._stale_shells, (protocol, shell_id)]

    def _close_stale_shells(self) -> None:
        """Delete the shells :meth:`_reconnect` left behind, through their own sessions; a failure is only traced
        (the host deletes an idle shell by itself)."""
        stale, self._stale_shells = self._stale_shells, []
        for protocol, shell_id in stale:
            try:
                protocol.close_shell(shell_id)
            except Exception as error:  # pylint: disable=broad-except  # best effort, see the docstring
                display.vvv(f"lockdown.ipsec.{self.module_name}: the shell of the previous connection was not deleted: {error}",
                            host=self._play_context.remote_addr)

    def _trace(self, message: str) -> None:
        # -vvvv: what a user reporting a host that disagrees with us can send (secrets hidden, see _trace).
        display.vvvv(f"lockdown.ipsec.{self.module_name}: {message}", host=self._play_context.remote_addr)

    def _execute(self, command: str, stdin: bytes) -> tuple[int, str, str]:
        # sudoable=False: become is refused above, and must not wrap the command (execution.md §1.1).
        answer = self._low_level_execute_command(command, in_data=stdin, sudoable=False)
        # _low_level_execute_command already returns text; to_text leaves str alone and decodes bytes.
        stdout = to_text(answer["stdout"], errors="surrogate_or_replace")
        stderr = to_text(answer["stderr"], errors="surrogate_or_replace")
        return answer["rc"], stdout, stderr

    def _validation_message(self, errors: list) -> str:
        # The wording ActionBase.validate_argument_spec uses for unknown options, but every message.
        messages = [
            f"Unsupported parameters for (lockdown.ipsec.{self.module_name}) module: {error.msg}"
            if isinstance(error, UnsupportedError) else error.msg
            for error in errors
        ]
        return "; ".join(messages)


def lost_answer_result(result: dict, runner: NetshRunner, cause: BaseException) -> dict:
    """``result`` of a write whose answer never came; when the write armed a rollback, it says what becomes of it
    (:func:`~._confirm.left_to_fire_after_lost_answer`: it is left to fire)."""
    if runner.last_arm is not None:
        runner.write_pending = False
        reason = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        message, rollback = left_to_fire_after_lost_answer(runner, runner.last_arm, runner.last_write_sent, reason)
        result.update(msg=message, rollback=rollback)
    return result


def on_failure(params: dict) -> OnFailure:
    """The ``on_failure`` option of a changing module (the ``lockdown.ipsec.ipsec.write`` fragment)."""
    return OnFailure(params["on_failure"])


# The default of backup_options.path (the lockdown.ipsec.ipsec.backup fragment), for a task that sets
# backup without backup_options.
DEFAULT_BACKUP_PATH = "C:\\Windows\\Temp\\lockdown-ipsec-backup.ipsec"


def backup_path(params: dict, *, option: str = "backup_options.path") -> str | None:
    """Where ``backup`` exports the store on the host (the ``lockdown.ipsec.ipsec.backup`` fragment), or
    ``None`` without ``backup``.

    Raises:
        InvalidInput: ``backup_options.path`` (named ``option``) is empty or not a text a netsh argument can carry.
    """
    if not params["backup"]:
        return None
    path = (params["backup_options"] or {}).get("path")
    if path is None:
        path = DEFAULT_BACKUP_PATH
    return check_text(option, path, allow_empty=False)


class BackupCopy:
    """The ``keep_backup`` of ``_engine.converge`` for ``backup_options.fetch_to``: writes the export it is
    handed to a file on the controller (``_private_file.write_private``: mode 0600, atomically).

    It never raises: a file that cannot be written becomes a warning (the change it came with has been
    made, and the export is still on the host). :attr:`written` says whether the copy is on the controller.
    """

    def __init__(self, path: str, *, option: str = "backup_options.fetch_to") -> None:
        self.path, self.option, self.written = path, option, False

    def __call__(self, data: bytes) -> str | None:
        try:
            write_private(self.path, data, option=self.option)
        except InvalidInput as error:
            return f"the backup was made on the host but not copied to the controller: {error}"
        self.written = True
        return None


def backup_copy(params: dict, loader, *, option: str = "backup_options.fetch_to") -> BackupCopy | None:
    """The copy on the controller that ``backup_options.fetch_to`` asks for (relative to the playbook, as
    ``ansible.builtin.fetch``'s ``dest``), or ``None``: no ``backup``, or ``fetch_to`` unset or empty."""
    if not params["backup"]:
        return None
    path = (params["backup_options"] or {}).get("fetch_to")
    return BackupCopy(loader.path_dwim(path), option=option) if path else None


def backup_result(result: dict, copy: BackupCopy | None) -> dict:
    """``result`` with ``backup_fetched_to`` when ``copy`` wrote the export on the controller."""
    if copy is not None and copy.written:
        result["backup_fetched_to"] = copy.path
    return result


__all__ = [
    "BECOME_REFUSED", "DEFAULT_BACKUP_PATH", "BackupCopy", "IpsecActionBase", "backup_copy", "backup_path", "backup_result", "lost_answer_result",
    "on_failure",
]
