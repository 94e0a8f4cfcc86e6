"""``EmulatedWindowsHost.kill()``: a host that loses power or its network in the middle of a batch,
seen by pywinrm, and the host after its restart on the same address and store."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from pathlib import Path

import pytest
import requests
from emu_support import STUB_COMMAND, bootstrap_payload
from emu_winrm_support import NOT_FOUND_CODE, PASSWORD, USER, envelope, protocol, run, session, winrm

SHOW_POLICIES = "netsh ipsec static show policy all"
RECEIVE_ACTION = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive"


def _policies(host) -> list[str]:
    shown = session(host).run_cmd(SHOW_POLICIES).std_out.decode("cp437")
    return [line.split(": ", 1)[1] for line in shown.split("\r\n") if line.startswith("Policy Name")]


def _port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _tcp_states(port: int) -> list[str]:
    """TCP states (hex, as in Linux's /proc/net/tcp: 05 FIN_WAIT2, 06 TIME_WAIT, 08 CLOSE_WAIT) of the
    IPv4 sockets with *port* at either end."""
    states = []
    for line in Path("/proc/net/tcp").read_text(encoding="ascii").splitlines()[1:]:
        fields = line.split()
        if port in (int(fields[1].rsplit(":", 1)[1], 16), int(fields[2].rsplit(":", 1)[1], 16)):
            states.append(fields[3])
    return states


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


class _BlockedReceive(threading.Thread):
    """pywinrm waiting for a command's output in a Receive; ``error`` is what it raised."""

    def __init__(self, proto, shell_id: str, command_id: str) -> None:
        super().__init__(daemon=True)
        self.proto, self.shell_id, self.command_id = proto, shell_id, command_id
        self.error: BaseException | None = None
        self.ended_at: float | None = None

    def run(self) -> None:
        try:
            self.proto.get_command_output_raw(self.shell_id, self.command_id)
        except BaseException as exc:  # pylint: disable=broad-except  # the test inspects it
            self.error = exc
        self.ended_at = time.monotonic()


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_kill_during_a_hanging_batch(winrm_hosts, tmp_path, transport):
    marker, counter = tmp_path / "hanging.json", tmp_path / "changes.count"
    env = {"NETSH_EMU_FAIL_COUNTER": str(counter), "NETSH_EMU_HANG_AT": "3", "NETSH_EMU_HANG_MARKER": str(marker)}
    # receive_wait 30: the client's Receive stays open (bounded by pywinrm's OperationTimeout, 20 s) while the command hangs
    host = winrm_hosts("host", env=env, receive_wait=30)
    port = host.port
    proto = protocol(host, transport)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, STUB_COMMAND, console_mode_stdin=False)
    batch = [["ipsec", "static", "add", "policy", "name=A"], ["ipsec", "static", "add", "filterlist", "name=L"],
             ["ipsec", "static", "add", "policy", "name=B"], ["ipsec", "static", "add", "policy", "name=C"]]
    proto.send_command_input(shell_id, command_id, bootstrap_payload(batch, stop_on_error=True), end=True)
    receive = _BlockedReceive(proto, shell_id, command_id)
    receive.start()
    _wait_until(lambda: marker.exists() and host.operations.get("Receive", 0) == 1)
    assert json.loads(marker.read_text(encoding="utf-8"))["argv"][-1] == "name=B"

    killed_at = time.monotonic()
    host.kill()
    assert time.monotonic() - killed_at < 5  # the hang (HANG_SECONDS 30) was cut short
    receive.join(10)
    assert not receive.is_alive() and receive.ended_at - killed_at < 2
    assert isinstance(receive.error, requests.exceptions.ConnectionError), repr(receive.error)  # no reply, no WinRM fault
    assert _port_is_closed(port)
    # the store holds exactly the commands before the hanging one
    store = json.loads(host.state_file.read_text(encoding="utf-8"))
    assert [policy["name"] for policy in store["policies"]] == ["A"] and [lst["name"] for lst in store["filterlists"]] == ["L"]
    assert counter.read_text() == "3\n"

    # the host after its restart: same address, same store, no memory of the old shell
    restarted = winrm_hosts("host", env=env, port=port)
    assert restarted.endpoint == f"http://127.0.0.1:{port}/wsman" and _policies(restarted) == ["A"]
    with pytest.raises(winrm.exceptions.WSManFaultError) as raised:
        protocol(restarted, transport).run_command(shell_id, SHOW_POLICIES)
    assert raised.value.wsman_fault_code == NOT_FOUND_CODE
    # the rest of the batch, re-run, goes through (counts 4 and 5 do not hang)
    for argv in batch[2:]:
        assert session(restarted, transport).run_cmd(" ".join(["netsh", *argv])).status_code == 0
    assert _policies(restarted) == ["A", "B", "C"] and counter.read_text() == "5\n"


def test_kill_resets_idle_connections_and_frees_the_port(winrm_hosts):
    host = winrm_hosts("host")
    proto = protocol(host)  # one keep-alive connection for everything below, idle in the server at the kill
    shell_id = proto.open_shell()
    assert run(proto, "netsh ipsec static add policy name=Kept", shell_id=shell_id)[2] == 0
    port = host.port
    host.kill()
    assert _port_is_closed(port)
    # reset, not closed: nothing of the connection is left on either side (after stop() the client
    # would sit in CLOSE_WAIT, the host in FIN_WAIT2 and then TIME_WAIT)
    _wait_until(lambda: _tcp_states(port) == [], timeout=5)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ConnectionError):
        proto.run_command(shell_id, SHOW_POLICIES)
    assert time.monotonic() - started < 2
    host.kill()  # harmless twice, and stop after kill does nothing
    host.stop()
    with pytest.raises(RuntimeError):
        host.start()  # the killed object stays dead; a restart is a new host
    assert _policies(winrm_hosts("host", port=port)) == ["Kept"]


def test_kill_sends_no_http_reply(winrm_hosts, tmp_path):
    # a raw client, byte by byte: a Receive waiting for a hanging command gets the connection ended,
    # not a status line, when the host is killed
    marker, counter = tmp_path / "hanging.json", tmp_path / "changes.count"
    host = winrm_hosts("host", receive_wait=30, env={"NETSH_EMU_FAIL_COUNTER": str(counter), "NETSH_EMU_HANG_AT": "1",
                                                     "NETSH_EMU_HANG_MARKER": str(marker)})
    proto = protocol(host)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, "netsh ipsec static add policy name=Never")
    _wait_until(marker.exists)
    body = envelope(RECEIVE_ACTION, shell_id, {"rsp:Receive": {"rsp:DesiredStream": {"@CommandId": command_id, "#text": "stdout stderr"}}})
    credentials = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with socket.create_connection(("127.0.0.1", host.port), timeout=10) as client:
        client.sendall(f"POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {credentials}\r\n"
                       f"Content-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        _wait_until(lambda: host.operations.get("Receive", 0) == 1)
        host.kill()
        received = b""
        try:
            while chunk := client.recv(4096):
                received += chunk
        except ConnectionResetError:
            pass
    assert received == b""
    assert not host.state_file.exists()


def test_a_stopped_host_can_be_replaced_on_its_port_at_once(winrm_hosts):
    # stop() closes connections itself (the server side then sits in TIME_WAIT): SO_REUSEADDR lets
    # the next host bind the same port right away
    host = winrm_hosts("host")
    proto = protocol(host)
    proto.open_shell()
    port = host.port
    host.stop()
    assert winrm_hosts("host", port=port).port == port
