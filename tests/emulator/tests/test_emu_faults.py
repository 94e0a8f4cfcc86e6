"""Precise fault injection (``NETSH_EMU_FAIL_AT``, ``NETSH_EMU_FAIL_COUNTER``) and interrupted runs
(``NETSH_EMU_HANG_AT``, the *abort* kill switch): ``netsh_emulator._faults``. The WinRM side of an
interruption (``EmulatedWindowsHost.kill``) is in ``test_emu_winrm_kill``."""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time

import pytest
from emu_support import BIN_DIR, STUB_ARGV, assert_clixml, bootstrap_payload, bootstrap_results, encode_command

from netsh_emulator import run_netsh, run_powershell

STORE_LOCKED = b"ERR IPsec[05073] : The Policy Store cannot be opened.\r\n"


def _netsh(*args: str) -> list[str]:
    return ["ipsec", "static", *args]


def _bootstrap_process(env: dict, commands: list[list[str]], stop_on_error: bool) -> subprocess.Popen:
    """The fake PowerShell binary running the bootstrap, started as a process of its own (no shell in
    between, so that the process a test kills is the one that runs the batch)."""
    process = subprocess.Popen([str(BIN_DIR / "PowerShell"), *STUB_ARGV], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(bootstrap_payload(commands, stop_on_error))
    process.stdin.close()
    return process


def _bootstrap(env: dict, commands: list[list[str]], stop_on_error: bool = False) -> tuple[int, bytes, bytes]:
    proc = subprocess.run([str(BIN_DIR / "PowerShell"), *STUB_ARGV], input=bootstrap_payload(commands, stop_on_error), env=env,
                          capture_output=True, timeout=60, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def _results(env: dict, commands: list[list[str]], stop_on_error: bool = False) -> list[dict]:
    rc, stdout, stderr = _bootstrap(env, commands, stop_on_error)
    assert (rc, stderr) == (0, b""), stderr
    return bootstrap_results(stdout)["results"]


def _policies(emu) -> list[str]:
    shown = emu("show policy all").out
    return [line.split(": ", 1)[1] for line in shown.split("\r\n") if line.startswith("Policy Name")]


@pytest.fixture
def counter(tmp_path):
    return tmp_path / "changes.count"


def test_fail_at_fails_exactly_the_nth_change(subprocess_env, emu, counter):
    env = dict(subprocess_env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_FAIL_AT="3")
    assert not counter.exists()  # created on the first count
    results = _results(env, [_netsh("add", "policy", "A"), _netsh("show", "store"), _netsh("add", "policy", "B"),
                             _netsh("show", "policy", "all"), _netsh("add", "policy", "C"), _netsh("add", "policy", "D")])
    assert [result["rc"] for result in results] == [0, 0, 0, 0, 1, 0]
    assert base64.b64decode(results[4]["stdout"]) == STORE_LOCKED  # exactly as NETSH_EMU_FAIL_ON fails
    assert _policies(emu) == ["A", "B", "D"]
    assert counter.read_text() == "4\n"  # the shows did not count
    # later commands, in a later round trip (an undo batch, say), run normally and go on counting
    assert [result["rc"] for result in _results(env, [_netsh("delete", "policy", "D"), _netsh("add", "policy", "C")], True)] == [0, 0]
    assert _policies(emu) == ["A", "B", "C"] and counter.read_text() == "6\n"


def test_fail_at_with_stop_on_error_stops_at_the_failure(subprocess_env, emu, counter):
    env = dict(subprocess_env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_FAIL_AT="2")
    results = _results(env, [_netsh("add", "policy", "A"), _netsh("add", "policy", "B"), _netsh("add", "policy", "C")], stop_on_error=True)
    assert [result["rc"] for result in results] == [0, 1]
    assert _policies(emu) == ["A"] and counter.read_text() == "2\n"


def test_several_counts_fail(emu, counter):
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_FAIL_AT="2, 4")
    outcomes = [run_netsh(_netsh("add", "filterlist", f"L{index}"), env)[:2] for index in range(1, 6)]
    assert outcomes == [(0, b""), (1, STORE_LOCKED), (0, b""), (1, STORE_LOCKED), (0, b"")]
    assert emu.state.read_text(encoding="utf-8").count('"name": "L') == 3


def test_what_counts_as_a_store_change(emu, counter, tmp_path):
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter))
    not_counted = [_netsh("show", "all"), _netsh("exportpolicy", f"file={tmp_path / 'x.ipsec'}"), _netsh("add", "policy"),
                   _netsh("add", "policy", "?"), _netsh("add"), _netsh("frobnicate")]
    for argv in not_counted:
        run_netsh(argv, env)
    assert not counter.exists()
    # every other verb counts, whether or not it then succeeds; a counter set alone just counts
    for argv in (_netsh("add", "policy", "P"), _netsh("add", "policy", "P"), _netsh("set", "batch", "mode=enable"),
                 _netsh("importpolicy", f"file={tmp_path / 'x.ipsec'}"), _netsh("delete", "policy", "Nope")):
        run_netsh(argv, env)
    assert counter.read_text() == "5\n"
    # a change refused by NETSH_EMU_FAIL_ON is counted as well
    rc, out, dummy = run_netsh(_netsh("add", "policy", "Doomed"), dict(env, NETSH_EMU_FAIL_ON="Doomed"))
    assert (rc, out, counter.read_text()) == (1, STORE_LOCKED, "6\n")


def test_counter_file_contents(emu, counter):
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_FAIL_AT="8")
    counter.write_text("6")  # a harness may start the count anywhere
    assert run_netsh(_netsh("add", "policy", "Seven"), env)[0] == 0
    assert run_netsh(_netsh("add", "policy", "Eight"), env)[:2] == (1, STORE_LOCKED)
    counter.write_text("")  # empty is 0
    run_netsh(_netsh("add", "policy", "One"), env)
    assert counter.read_text() == "1\n"
    counter.write_text("many")
    rc, out, err = run_netsh(_netsh("add", "policy", "X"), env)
    assert (rc, out) == (2, b"") and b"NETSH_EMU_FAIL_COUNTER" in err and b"not a count" in err
    rc, out, err = run_netsh(_netsh("add", "policy", "X"), dict(env, NETSH_EMU_FAIL_COUNTER=str(counter.parent / "no" / "dir")))
    assert (rc, out) == (2, b"") and b"NETSH_EMU_FAIL_COUNTER" in err
    assert _policies(emu) == ["Seven", "One"]


def test_separate_processes_share_one_count(subprocess_env, emu, counter):
    # four fake PowerShell processes (each command yet another in-process netsh run) at once: the flock
    # on <counter>.lock and the atomic replace make the count exact
    env = dict(subprocess_env, NETSH_EMU_FAIL_COUNTER=str(counter))
    processes = [_bootstrap_process(env, [_netsh("add", "filterlist", f"L{worker}-{index}") for index in range(15)], True)
                 for worker in range(4)]
    for process in processes:
        with process:
            assert process.wait(timeout=60) == 0
    assert counter.read_text() == "60\n"
    assert emu.state.read_text(encoding="utf-8").count('"name": "L') == 60


@pytest.mark.parametrize(("key", "value"), [
    ("NETSH_EMU_FAIL_AT", "0"), ("NETSH_EMU_FAIL_AT", "-1"), ("NETSH_EMU_FAIL_AT", "x"), ("NETSH_EMU_FAIL_AT", "1,,2"),
    ("NETSH_EMU_FAIL_AT", "1.5"), ("NETSH_EMU_FAIL_AT", "²"), ("NETSH_EMU_HANG_AT", "0"), ("NETSH_EMU_HANG_AT", "2;3"),
    ("NETSH_EMU_HANG_SECONDS", "-1"), ("NETSH_EMU_HANG_SECONDS", "soon"), ("NETSH_EMU_HANG_SECONDS", "inf"),
    ("NETSH_EMU_HANG_SECONDS", "nan"),
])
def test_invalid_settings_are_configuration_errors(emu, counter, key, value):
    res = emu("show all", NETSH_EMU_FAIL_COUNTER=str(counter), **{key: value})
    assert res.rc == 2 and res.raw == b"" and key.encode() in res.err
    # inside the bootstrap: a terminating error, as for the other settings
    rc, stdout, stderr = run_powershell(STUB_ARGV, bootstrap_payload([], False), {**emu.env, "NETSH_EMU_FAIL_COUNTER": str(counter), key: value})
    assert_clixml(rc, stdout, stderr, "netsh emulator configuration")


@pytest.mark.parametrize("key", ["NETSH_EMU_FAIL_AT", "NETSH_EMU_HANG_AT"])
def test_counts_need_a_counter(emu, key):
    res = emu("show all", **{key: "1"})
    assert res.rc == 2 and f"{key} needs NETSH_EMU_FAIL_COUNTER".encode() in res.err


def test_hang_cuts_the_bootstrap_run_off(subprocess_env, emu, counter, tmp_path):
    marker = tmp_path / "hanging.json"
    env = dict(subprocess_env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_HANG_AT="2", NETSH_EMU_HANG_SECONDS="0.3",
               NETSH_EMU_HANG_MARKER=str(marker), NETSH_EMU_PS_NOISE="profile output")
    commands = [_netsh("add", "policy", "A"), _netsh("show", "store"), _netsh("add", "policy", "B"), _netsh("add", "policy", "C")]
    started = time.monotonic()
    rc, stdout, stderr = _bootstrap(env, commands)
    assert time.monotonic() - started >= 0.3
    assert_clixml(rc, stdout, stderr, "The pipeline has been stopped.")  # no result marker, rc 1
    hang = json.loads(marker.read_text(encoding="utf-8"))
    assert hang["count"] == 2 and hang["argv"] == ["ipsec", "static", "add", "policy", "B"] and isinstance(hang["pid"], int)
    assert _policies(emu) == ["A"] and counter.read_text() == "2\n"  # B hung, C never ran
    # the next run reaches the host again: counts 3 and 4 do not hang
    assert [result["rc"] for result in _results(env, commands[2:])] == [0, 0]
    assert _policies(emu) == ["A", "B", "C"]


def test_a_hang_holds_no_lock_and_can_be_interrupted(subprocess_env, emu, counter, tmp_path):
    marker = tmp_path / "hanging.json"
    env = dict(subprocess_env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_HANG_AT="3", NETSH_EMU_HANG_MARKER=str(marker))
    with _bootstrap_process(env, [_netsh("add", "policy", "A"), _netsh("add", "policy", "B"), _netsh("add", "policy", "C")], True) as process:
        try:
            deadline = time.monotonic() + 30
            while not marker.exists():
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.02)
            assert json.loads(marker.read_text(encoding="utf-8"))["pid"] == process.pid
            # the store is free while the third command hangs (HANG_SECONDS defaults to 30)
            shown = subprocess.run(["netsh", "ipsec", "static", "show", "policy", "all"], env=subprocess_env, capture_output=True,
                                   timeout=10, check=True)
            assert b"Policy Name            : B\r\n" in shown.stdout
        finally:
            process.kill()  # the interruption: a partly applied batch stays behind
    assert _policies(emu) == ["A", "B"]


def test_abort_ends_a_hang_at_once(emu, counter, tmp_path):
    marker = tmp_path / "hanging.json"
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_HANG_AT="2", NETSH_EMU_HANG_MARKER=str(marker))
    abort, outcome = threading.Event(), []
    payload = bootstrap_payload([_netsh("add", "policy", "A"), _netsh("add", "policy", "B"), _netsh("add", "policy", "C")], False)
    worker = threading.Thread(target=lambda: outcome.append(run_powershell(STUB_ARGV, payload, env, abort)))
    worker.start()
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    abort.set()
    started = time.monotonic()
    worker.join(10)
    assert not worker.is_alive() and time.monotonic() - started < 2  # not the 30 s of HANG_SECONDS
    assert_clixml(*outcome[0], "The pipeline has been stopped.")
    assert _policies(emu) == ["A"] and counter.read_text() == "2\n"


def test_a_set_abort_runs_nothing(emu, counter):
    abort = threading.Event()
    abort.set()
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter))
    assert_clixml(*run_powershell(STUB_ARGV, bootstrap_payload([_netsh("add", "policy", "A")], False), env, abort),
                  "The pipeline has been stopped.")
    assert_clixml(*run_powershell(["-EncodedCommand", encode_command("netsh ipsec static add policy B")], b"", env, abort),
                  "The pipeline has been stopped.")
    # netsh as a process of its own: rc 1, the reason on stderr; even a show does not run
    for argv in (_netsh("add", "policy", "C"), _netsh("show", "store")):
        assert run_netsh(argv, env, abort) == (1, b"", b"netsh emulator: the emulated host was killed\n")
    assert not emu.state.exists() and not counter.exists()


def test_hang_of_a_netsh_process_or_a_plain_netsh_line(emu, counter):
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_HANG_AT="1,2", NETSH_EMU_HANG_SECONDS="0")
    rc, out, err = run_netsh(_netsh("add", "policy", "A"), env)
    assert (rc, out) == (1, b"") and b"during store-changing command 1 (NETSH_EMU_HANG_AT)" in err
    # ansible.builtin.raw's plain netsh line: the PowerShell around it is cut off too
    assert_clixml(*run_powershell(["-EncodedCommand", encode_command("netsh ipsec static add policy B")], b"", env),
                  "The pipeline has been stopped.")
    assert not emu.state.exists() and counter.read_text() == "2\n"


def test_hang_wins_over_fail_at_the_same_count(emu, counter, tmp_path):
    env = dict(emu.env, NETSH_EMU_FAIL_COUNTER=str(counter), NETSH_EMU_FAIL_AT="1", NETSH_EMU_HANG_AT="1", NETSH_EMU_HANG_SECONDS="0")
    assert b"NETSH_EMU_HANG_AT" in run_netsh(_netsh("add", "policy", "A"), env)[2]
    # a marker that cannot be written is a harness mistake
    env = dict(env, NETSH_EMU_HANG_AT="2", NETSH_EMU_HANG_MARKER=str(tmp_path / "no" / "dir" / "marker"))
    rc, out, err = run_netsh(_netsh("add", "policy", "A"), env)
    assert (rc, out) == (2, b"") and b"NETSH_EMU_HANG_MARKER" in err
    assert not emu.state.exists()
