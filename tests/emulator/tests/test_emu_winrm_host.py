"""The emulated Windows host as a whole: several hosts, persisted stores, counters, latency, settings,
stopping, and the ``emulated-winrm-host`` command."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from emu_support import BIN_DIR, wait_for_ready_file
from emu_winrm_support import protocol, run, session, winrm

SHOW_POLICIES = "netsh ipsec static show policy all"


def _policies(host) -> str:
    return session(host).run_cmd(SHOW_POLICIES).std_out.decode("cp437")


def _port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_hosts_run_side_by_side_with_their_own_stores(winrm_hosts):
    first, second = winrm_hosts("first"), winrm_hosts("second")
    assert first.port != second.port and first.endpoint == f"http://127.0.0.1:{first.port}/wsman"
    assert session(first, "ntlm").run_cmd("netsh ipsec static add policy name=OnFirst").status_code == 0
    assert session(second).run_cmd("netsh ipsec static add policy name=OnSecond").status_code == 0
    assert "OnFirst" in _policies(first) and "OnSecond" not in _policies(first)
    assert "OnSecond" in _policies(second) and "OnFirst" not in _policies(second)
    assert first.state_file == first.workdir / "netsh-store.json" and first.state_file.is_file()
    assert "OnFirst" in first.state_file.read_text(encoding="utf-8")
    assert "OnFirst" not in second.state_file.read_text(encoding="utf-8")


def test_store_survives_a_restart_on_the_same_workdir(winrm_hosts):
    before = winrm_hosts("kept")
    session(before).run_cmd("netsh ipsec static add policy name=Kept")
    before.stop()
    after = winrm_hosts("kept")
    assert "Policy Name            : Kept\r\n" in _policies(after)
    assert after.round_trips == 1  # counters are per run of a host, the store is not


def test_stop_closes_the_port_and_open_connections(winrm_hosts):
    host = winrm_hosts()
    proto = protocol(host)
    shell_id = proto.open_shell()  # pywinrm keeps this keep-alive connection open
    port = host.port
    host.stop()
    assert _port_is_closed(port)
    with pytest.raises(requests.exceptions.ConnectionError):
        proto.run_command(shell_id, SHOW_POLICIES)
    with pytest.raises(RuntimeError):
        host.port  # pylint: disable=pointless-statement  # the property raises once stopped
    host.stop()  # a second stop is harmless


def test_counters(winrm_hosts):
    host = winrm_hosts(publish_counters=True)
    assert json.loads(host.counters_file.read_text(encoding="utf-8")) == {"connections": 0}
    session(host).run_cmd(SHOW_POLICIES)
    assert host.operations == {"http": 5, "Create": 1, "Command": 1, "Receive": 1, "Signal": 1, "Delete": 1}
    proto = protocol(host, "ntlm")
    shell_id = proto.open_shell()
    for dummy in range(3):
        run(proto, "netsh ipsec static show store", shell_id=shell_id)
    proto.close_shell(shell_id)
    operations = host.operations
    assert host.round_trips == operations["Command"] == 4
    assert (operations["Create"], operations["Signal"], operations["Delete"]) == (2, 4, 2)
    # http counts every request, NTLM's 401 legs included
    assert operations["http"] > sum(count for name, count in operations.items() if name != "http")
    assert json.loads(host.counters_file.read_text(encoding="utf-8")) == {**operations, "connections": host.connections}
    assert not winrm_hosts("quiet").counters_file.exists()  # published only when asked


def test_latency_is_paid_per_http_request(winrm_hosts):
    host = winrm_hosts(latency=0.1)
    started = time.monotonic()
    assert session(host).run_cmd("netsh ipsec static show store").status_code == 0
    elapsed = time.monotonic() - started
    assert host.operations["http"] == 5 and elapsed >= 5 * 0.1 * 0.95
    host.latency = 0.0  # read at every request
    started = time.monotonic()
    session(host).run_cmd("netsh ipsec static show store")
    assert time.monotonic() - started < elapsed


def test_env_changes_apply_to_the_next_command(winrm_hosts):
    host = winrm_hosts(env={"NETSH_EMU_COMPUTERNAME": "EMU-ONE"})
    client = session(host)
    assert client.run_cmd("netsh ipsec static show store").std_out == b"\r\nStore                  : Local Store <EMU-ONE>\r\n"
    host.env["NETSH_EMU_COMPUTERNAME"] = "EMU-TWO"
    assert client.run_cmd("netsh ipsec static show store").std_out == b"\r\nStore                  : Local Store <EMU-TWO>\r\n"
    host.env["NETSH_EMU_STORE_UNAVAILABLE"] = "1"
    failed = client.run_cmd(SHOW_POLICIES)
    assert failed.status_code == 1 and failed.std_out.startswith(b"ERR IPsec[05073]")


def test_cli_serves_until_sigterm(tmp_path):
    workdir, ready = tmp_path / "host", tmp_path / "ready.json"
    command = [sys.executable, str(BIN_DIR / "emulated-winrm-host"), "--workdir", str(workdir), "--ready-file", str(ready),
               "--user", "alice", "--password", "s3cret", "--no-basic", "--latency", "0.01"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as process:
        try:
            info = wait_for_ready_file(ready, process)
            assert info == {"port": info["port"], "pid": process.pid, "endpoint": f"http://127.0.0.1:{info['port']}/wsman",
                            "workdir": str(workdir.resolve())}
            client = winrm.Session(info["endpoint"], auth=("alice", "s3cret"), transport="ntlm", server_cert_validation="ignore")
            assert client.run_cmd("netsh ipsec static add policy name=FromCli").status_code == 0
            with pytest.raises(winrm.exceptions.InvalidCredentialsError):
                winrm.Session(info["endpoint"], auth=("alice", "s3cret"), transport="basic", server_cert_validation="ignore").run_cmd("x")
            counters = json.loads((workdir / "winrm-operations.json").read_text(encoding="utf-8"))
            assert {name: counters[name] for name in ("Create", "Command", "Receive", "Signal", "Delete")} == dict.fromkeys(
                ("Create", "Command", "Receive", "Signal", "Delete"), 1)
            process.send_signal(signal.SIGTERM)
            stdout, stderr = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, stderr
    assert stdout.decode() == f"emulated Windows host listening on {info['endpoint']} (pid {process.pid})\n"
    assert not ready.exists() and _port_is_closed(info["port"])
    assert "FromCli" in (workdir / "netsh-store.json").read_text(encoding="utf-8")
