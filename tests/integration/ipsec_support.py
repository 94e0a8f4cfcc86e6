"""Shared builders and assertions of the integration tests (imported by the test modules).

Each helper runs real ``ansible-playbook`` plays through the ``host`` fixture of ``conftest.py`` and
asserts what the issue asks of every changing module:

* :func:`predict` -- ``--check --diff``: changed, exactly one round trip (a read), the store bytes
  untouched, the diff printed;
* :func:`apply` -- the real run: changed, exactly two round trips (a read, then one write batch
  carrying exactly the reported ``commands``), and the ``after`` it reports is what the host holds
  when read back by a separate ``ipsec_info`` task;
* :func:`unchanged` -- the re-run: not changed, no commands, exactly one round trip, bytes untouched.

Round trips are told apart with the fake PowerShell's log (``host.batches()``): a read asks for the
registry (with the three ``show ... all level=verbose`` commands on the netsh read path) without
stop-on-error, a write batch stops on error and reads nothing.
"""

from __future__ import annotations

import os
import re

READ_BATCH = [
    "ipsec static show policy all level=verbose",
    "ipsec static show filterlist all level=verbose",
    "ipsec static show filteraction all level=verbose",
]
READ_BACK = "read back"
EMPTY_STORE = {"filter_lists": [], "filter_actions": [], "policies": [], "assigned": ""}

# Lines of `show` output that differ between two stores with the same content.
_VOLATILE = re.compile(r"^(?:Last Modified|GUID)\s*:.*(?:\r?\n|$)", re.MULTILINE)


def task(module: str, args: dict | None, name: str | None = None, **keywords) -> dict:
    """A task dict calling ``lockdown.ipsec.<module>``; ``keywords`` are task keywords (register, ...)."""
    return {"name": name or module, f"lockdown.ipsec.{module}": args if args is not None else {}, **keywords}


def read_back_task() -> dict:
    return task("ipsec_info", {}, READ_BACK)


def stable(show_text: str) -> str:
    """``show`` output without the lines that differ between equal stores (Last Modified, GUID)."""
    return _VOLATILE.sub("", show_text)


def read_request(read_from: str | None = None) -> dict:
    """The request of a read round trip: the registry keys alone, or the netsh ``show`` commands (with
    the registry, for the Group Policy key). By default for where the running test's modules read
    (``LOCKDOWN_TEST_READ_FROM``, set by conftest.py from the test module's ``READ_FROM``)."""
    commands = READ_BATCH if (read_from or os.environ.get("LOCKDOWN_TEST_READ_FROM", "registry")) == "netsh" else []
    return {"commands": commands, "stop_on_error": False, "files": [], "registry": True}


def is_read(batch: dict) -> bool:
    return batch == read_request()


def write_batch(commands: list[str]) -> dict:
    """The batch the fake PowerShell receives for a task that reports ``commands``."""
    assert all(command.startswith("netsh ") for command in commands), commands
    return {"commands": [command[len("netsh "):] for command in commands], "stop_on_error": True, "files": [], "registry": False}


def diff_lines(stdout: str) -> tuple[list[str], list[str]]:
    """The removed and the added lines of every diff ansible-playbook printed (without the sign)."""
    removed, added = [], []
    for line in stdout.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
        elif line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
    return removed, added


def assert_diff_shown(result: dict, stdout: str) -> None:
    """The task's diff is canonical netsh-script text, and what changed is printed as +/- lines."""
    diff = result["diff"]
    for side in ("before", "after"):
        script = diff[side]
        assert script.startswith("pushd ipsec static\n") and script.rstrip("\n").endswith("popd"), script
    before = {line for line in diff["before"].splitlines() if line.strip()}
    after = {line for line in diff["after"].splitlines() if line.strip()}
    removed, added = diff_lines(stdout)
    assert after - before <= set(added), (after - before, stdout)
    assert before - after <= set(removed), (before - after, stdout)


def predict(host, one_task: dict, *, diff: bool = True) -> dict:
    """Run ``one_task`` with ``--check`` (and ``--diff``): it must predict a change and change nothing."""
    name = one_task["name"]
    snapshot, batches = host.store_bytes(), len(host.batches())
    checked = host.play([one_task], check=True, diff=diff)
    assert checked.rc == 0, checked.stdout + checked.stderr
    result = checked.task(name)
    assert result["changed"] is True, result
    assert result["commands"], result
    assert checked.round_trips == 1
    assert [is_read(batch) for batch in host.batches()[batches:]] == [True]
    assert host.store_bytes() == snapshot
    if diff:
        assert_diff_shown(result, checked.stdout)
    return result


def apply(host, one_task: dict, *, commands: list[str] | None = None, predicted: dict | None = None, diff: bool = True):
    """Run ``one_task`` for real, followed by an ``ipsec_info`` read-back task.

    Asserts exactly two round trips for the task (a read, then one write of exactly its commands),
    ``commands`` if given, agreement with a ``predicted`` check-mode result, and that the reported
    ``after`` is what the host holds. Returns ``(result, read_back_config, play)``.
    """
    name = one_task["name"]
    batches = len(host.batches())
    played = host.play([one_task, read_back_task()], diff=diff)
    assert played.rc == 0, played.stdout + played.stderr
    result = played.task(name)
    assert result["changed"] is True, result
    if commands is not None:
        assert result["commands"] == commands
    new = host.batches()[batches:]
    assert played.round_trips == 3
    assert is_read(new[0]) and new[1] == write_batch(result["commands"]) and is_read(new[2]), new
    if predicted is not None:
        assert result["commands"] == predicted["commands"]
        assert result["before"] == predicted["before"]
        assert result["after"] == predicted["after"]
    read_back = played.task(READ_BACK)["config"]
    assert result["after"] == read_back
    if diff:
        assert_diff_shown(result, played.stdout)
    return result, read_back, played


def unchanged(host, one_task: dict, *, check: bool = False) -> dict:
    """Run ``one_task`` again: not changed, no commands, one round trip, nothing written."""
    name = one_task["name"]
    snapshot = host.store_bytes()
    again = host.play([one_task], check=check)
    assert again.rc == 0, again.stdout + again.stderr
    result = again.task(name)
    assert result["changed"] is False, result
    assert result["commands"] == []
    assert result["before"] == result["after"]
    assert again.round_trips == 1
    assert host.store_bytes() == snapshot
    return result


def lifecycle_step(host, one_task: dict, commands: list[str]):
    """``--check --diff`` then the real run of a changing task: the prediction must be exact."""
    predicted = predict(host, one_task)
    assert predicted["commands"] == commands
    return apply(host, one_task, commands=commands, predicted=predicted)


def by_name(items: list[dict], name: str) -> dict:
    matches = [item for item in items if item["name"] == name]
    assert len(matches) == 1, (name, items)
    return matches[0]
