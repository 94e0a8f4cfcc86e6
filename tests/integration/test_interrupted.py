"""A write cut off after it reached the host (a task ``timeout``, a host that dies) says so: the task
fails with ``changed: true`` and a message that the batch may have been applied in part, and the next
run converges. The emulated netsh hangs at the fourth command of the batch (``NETSH_EMU_HANG_AT``), so
the first three are applied and the rest never run."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import CONNECTION
from ipsec_support import READ_BACK, read_back_task, task

PORTS = list(range(1001, 1011))
LIST = {"name": "Many ports", "filters": [{"protocol": "tcp", "destination_port": PORTS}]}
MAY_BE_PARTIAL = ("Part of the batch, or all of it, may have been applied. Run the task again: it reads what the host holds and "
                  "converges from there.")


def hang_at_the_fourth_change(host, tmp_path, seconds: int) -> None:
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_HANG_AT="4", NETSH_EMU_HANG_SECONDS=str(seconds),
                    NETSH_EMU_HANG_MARKER=str(tmp_path / "hanging"))


def ports_on_host(host) -> list[int]:
    played = host.play([read_back_task()])
    lists = {item["name"]: item for item in played.task(READ_BACK)["config"]["filter_lists"]}
    return sorted(item["destination_port"] for item in lists["Many ports"]["filters"]) if "Many ports" in lists else []


def assert_interrupted(result: dict, reason: str) -> None:
    assert result["changed"] is True
    assert result["msg"].startswith("the write batch of 11 netsh command(s) was sent to the host, but its answer never came back (")
    assert reason in result["msg"] and result["msg"].endswith(MAY_BE_PARTIAL)
    assert result["commands"][0] == "netsh ipsec static add filterlist \"name=Many ports\""
    assert len(result["commands"]) == 11


def assert_next_run_converges(host) -> None:
    for key in ("NETSH_EMU_HANG_AT", "NETSH_EMU_HANG_MARKER"):
        host.env.pop(key)
    again = host.play([task("ipsec_filter_list", LIST, "ports"), read_back_task()])
    assert again.rc == 0, again.stdout
    # The three that ran are kept; exactly the eight that did not are added.
    assert len(again.task("ports")["commands"]) == 8
    assert ports_on_host(host) == PORTS
    assert host.play([task("ipsec_filter_list", LIST, "ports")]).task("ports")["changed"] is False


def test_a_task_timeout_during_the_write_reports_a_partial_write(host, tmp_path):
    hang_at_the_fourth_change(host, tmp_path, seconds=15)
    started = time.monotonic()
    played = host.play([task("ipsec_filter_list", LIST, "ports", timeout=4)], interrupted=True)
    assert time.monotonic() - started < 14, "the task timeout, not the hang, ended the task"
    assert played.status("ports") == "failed"
    # Over WinRM, ansible-core's winrm plugin cleans up the interrupted command on the same NTLM session,
    # and that error replaces the timeout; the local connection reports the timeout itself.
    assert_interrupted(played.task("ports"), "TaskTimeoutError" if CONNECTION == "local" else "")
    # Wait for the hanging command to give up (it then runs nothing more), then look.
    time.sleep(max(0.0, 16 - (time.monotonic() - started)))
    assert ports_on_host(host) == PORTS[:2]  # add filterlist, then two filters: three changes applied
    assert_next_run_converges(host)


@pytest.mark.skipif(CONNECTION != "winrm", reason="a host that dies needs a host of its own: the emulated WinRM endpoint")
def test_a_host_killed_during_the_write_reports_a_partial_write(host, tmp_path):
    hang_at_the_fourth_change(host, tmp_path, seconds=120)
    outcome = {}
    player = threading.Thread(target=lambda: outcome.update(played=host.play([task("ipsec_filter_list", LIST, "ports")], interrupted=True)))
    player.start()
    marker = tmp_path / "hanging"
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, "the write never reached the fourth command"
        time.sleep(0.05)
    host.endpoint.kill()
    player.join(timeout=120)
    assert not player.is_alive()
    played = outcome["played"]
    assert played.status("ports") == "failed"
    assert_interrupted(played.task("ports"), "")
    host.restart_endpoint()
    assert ports_on_host(host) == PORTS[:2]
    assert_next_run_converges(host)
