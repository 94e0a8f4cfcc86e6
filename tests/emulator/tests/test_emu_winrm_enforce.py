"""The emulated host enforces its assigned IPsec policy (A-135, A-136): what the policy drops gets no answer,
seen by pywinrm with short time-outs and by a raw socket; the settings of the emulated network and the
``emulated-winrm-host`` options that set them."""

from __future__ import annotations

import base64
import json
import os
import socket
import time

import emulated_winrm
import pytest
import requests
from emu_support import Emu, lockdown
from emu_winrm_support import PASSWORD, SHORT_TIMEOUTS, USER, protocol, session
from emulated_winrm import _cli

SHOW_STORE = "netsh ipsec static show store"
STORE_LINE = b"\r\nStore                  : Local Store <WIN-EMULATED>\r\n"


def unassign_in_the_file(host) -> None:
    """What a rollback on the host does, behind netsh's back: the store file with no policy assigned."""
    document = json.loads(host.state_file.read_text(encoding="utf-8"))
    for policy in document["policies"]:
        policy["assigned"] = False
    temporary = host.state_file.with_name("rollback.tmp")
    temporary.write_text(json.dumps(document), encoding="utf-8")
    os.replace(temporary, host.state_file)


def policy_names(host) -> list[str]:
    return [policy["name"] for policy in json.loads(host.state_file.read_text(encoding="utf-8"))["policies"]]


def times_out(call) -> float:
    """Run ``call``, which must end in pywinrm's read time-out; returns how long that took."""
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        call()
    return time.monotonic() - started


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_a_policy_blocking_the_port_drops_new_connections(winrm_host, transport):
    lockdown(winrm_host)
    client = session(winrm_host, transport, **SHORT_TIMEOUTS)
    elapsed = times_out(lambda: client.run_cmd("netsh ipsec static add policy name=Never"))
    assert 1.9 <= elapsed < 10
    assert winrm_host.operations == {}  # not one HTTP request reached the endpoint
    assert policy_names(winrm_host) == ["Lockdown"]
    dropped = winrm_host.dropped
    assert dropped and {evaluation.kind for evaluation in dropped} == {"connection"}
    decision = dropped[0].decision
    assert (decision.action, decision.policy, decision.rule, decision.filterlist) == ("block", "Lockdown", "All", "All")
    assert dropped[0].port == winrm_host.port


def test_a_dropped_connection_gets_no_answer_and_no_reset_until_the_host_stops(winrm_hosts):
    host = winrm_hosts()
    lockdown(host)
    body = b"<s:Envelope/>"
    credentials = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with socket.create_connection(("127.0.0.1", host.port), timeout=1) as client:
        client.sendall(f"POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {credentials}\r\n"
                       f"Content-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        with pytest.raises(TimeoutError):  # neither data, nor the end of the connection, nor a reset
            client.recv(4096)
        client.sendall(b"more of what the client says")  # still open: a reset would make this fail soon after
        with pytest.raises(TimeoutError):
            client.recv(4096)
        host.stop()
        client.settimeout(5)
        assert client.recv(4096) == b""  # closed quietly once the host stops


def test_a_dropped_connection_is_reset_when_the_host_is_killed(winrm_hosts):
    host = winrm_hosts()
    lockdown(host)
    with socket.create_connection(("127.0.0.1", host.port), timeout=1) as client:
        client.sendall(b"POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
        with pytest.raises(TimeoutError):
            client.recv(4096)
        host.kill()
        client.settimeout(5)
        with pytest.raises(ConnectionResetError):
            client.recv(4096)


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_a_policy_permitting_the_port_lets_the_controller_in(winrm_host, transport):
    # the management rule (any -> me TCP <port>) is more specific than the default deny (any -> me, any protocol)
    lockdown(winrm_host, f"srcaddr=any dstaddr=me protocol=tcp dstport={winrm_host.port}")
    result = session(winrm_host, transport, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE)
    assert (result.status_code, result.std_out) == (0, STORE_LINE)
    assert winrm_host.dropped == []
    evaluations = winrm_host.evaluations
    assert {evaluation.kind for evaluation in evaluations} == {"connection", "request"}
    assert {(evaluation.decision.action, evaluation.decision.rule) for evaluation in evaluations} == {("permit", "Management")}
    # one packet per connection plus one per HTTP request, 401 legs included
    assert len([evaluation for evaluation in evaluations if evaluation.kind == "request"]) == winrm_host.operations["http"]


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_a_block_assigned_while_a_connection_is_open_drops_its_next_request(winrm_host, transport):
    proto = protocol(winrm_host, transport, **SHORT_TIMEOUTS)
    shell_id = proto.open_shell()  # pywinrm keeps this connection open
    lockdown(winrm_host)
    assert 1.9 <= times_out(lambda: proto.run_command(shell_id, "netsh ipsec static add policy name=Never")) < 10
    assert [evaluation.kind for evaluation in winrm_host.dropped] == ["request"]
    assert "Command" not in winrm_host.operations and policy_names(winrm_host) == ["Lockdown"]


def test_assigning_a_blocking_policy_over_winrm_locks_the_controller_out(winrm_host):
    lockdown(winrm_host, assign=False)
    client = session(winrm_host, "ntlm", **SHORT_TIMEOUTS)
    # the command runs and assigns the policy; the request after it (Receive or Signal) gets no answer
    times_out(lambda: client.run_cmd("netsh ipsec static set policy name=Lockdown assign=yes"))
    assert json.loads(winrm_host.state_file.read_text(encoding="utf-8"))["policies"][0]["assigned"] is True
    assert winrm_host.operations["Command"] == 1 and winrm_host.dropped[0].kind == "request"


def test_unassigning_the_policy_in_the_store_file_lets_new_connections_in(winrm_host):
    lockdown(winrm_host)
    times_out(lambda: session(winrm_host, "ntlm", **SHORT_TIMEOUTS).run_cmd(SHOW_STORE))
    unassign_in_the_file(winrm_host)
    assert session(winrm_host, "ntlm", **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).std_out == STORE_LINE
    assert winrm_host.evaluations[-1].decision.reason == "no policy is assigned"


def test_enforce_is_read_at_every_connection(winrm_hosts):
    host = winrm_hosts(enforce=False)
    lockdown(host)
    assert session(host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).status_code == 0
    assert host.evaluations == []
    host.enforce = True
    times_out(lambda: session(host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE))
    host.enforce = False
    assert session(host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).status_code == 0


def test_the_controller_address_is_the_source_the_policy_sees(winrm_hosts):
    default, managed = winrm_hosts("default"), winrm_hosts("managed", controller_address="198.51.100.7")
    assert (default.network.controller_address, default.network.host_addresses) == ("192.0.2.10", ("192.0.2.20",))
    for host in (default, managed):
        lockdown(host, f"srcaddr=198.51.100.0 srcmask=24 dstaddr=me protocol=tcp dstport={host.port}")
    times_out(lambda: session(default, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE))
    assert session(managed, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).status_code == 0  # its controller is in 198.51.100.0/24


def test_the_host_addresses_are_what_me_stands_for_and_where_the_controller_connects(winrm_hosts):
    default, elsewhere = winrm_hosts("default"), winrm_hosts("elsewhere", host_addresses=["192.0.2.30", "2001:db8::30"])
    assert elsewhere.network.destination == "192.0.2.30"
    for host in (default, elsewhere):
        emu = Emu(host.state_file)
        emu.ok("add filteraction name=Block action=block")
        emu.ok("add filter filterlist=Default srcaddr=any dstaddr=192.0.2.20")
        emu.ok("add policy name=P assign=yes")
        emu.ok("add rule name=Default policy=P filterlist=Default filteraction=Block")
    times_out(lambda: session(default, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE))
    assert session(elsewhere, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).status_code == 0
    assert elsewhere.dropped == [] and elsewhere.evaluations[0].decision.reason == 'no filter of an active rule of policy "P" matches'
    Emu(elsewhere.state_file).ok("add filter filterlist=Default srcaddr=any dstaddr=me")
    times_out(lambda: session(elsewhere, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE))


def test_server_addresses_give_the_server_types_their_meaning(winrm_hosts):
    host = winrm_hosts(server_addresses={"dns": ["192.0.2.53", "192.0.2.10"]})
    lockdown(host, "srcaddr=dns dstaddr=me")
    assert host.network.server_addresses == {"dns": ("192.0.2.53", "192.0.2.10")}
    assert session(host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).status_code == 0  # the controller is a DNS server here


@pytest.mark.parametrize("options", [
    {"controller_address": "controller"},
    {"host_addresses": []},
    {"host_addresses": ["192.0.2.20/24"]},
    {"controller_address": "2001:db8::10"},          # no host address of its family
    {"server_addresses": {"ntp": ["192.0.2.1"]}},
])
def test_malformed_network_settings_are_refused_before_anything_is_made(tmp_path, options):
    with pytest.raises(ValueError):
        emulated_winrm.EmulatedWindowsHost(tmp_path / "host", **options)
    assert not (tmp_path / "host").exists()


def test_a_store_that_cannot_be_read_enforces_nothing(winrm_host):
    winrm_host.state_file.write_text("{not json", encoding="utf-8")
    assert session(winrm_host, **SHORT_TIMEOUTS).run_cmd("netsh ipsec static show policy all").status_code == 1  # netsh: 05073
    assert winrm_host.dropped == [] and winrm_host.evaluations[0].decision.reason.startswith("nothing is enforced: the store ")


# --- the command ------------------------------------------------------------------------------------------

def test_cli_network_options(tmp_path):
    default = _cli.host_from_arguments(_cli.parse_arguments(["--workdir", str(tmp_path / "a")]))
    assert default.enforce is True and default.network == emulated_winrm.EmulatedNetwork()
    arguments = ["--workdir", str(tmp_path / "b"), "--controller-address", "198.51.100.7", "--host-address", "198.51.100.20",
                 "--host-address", "2001:db8::20", "--server-address", "dns=198.51.100.53", "--server-address", "DNS=198.51.100.54",
                 "--server-address", "gateway=198.51.100.1", "--no-enforce"]
    host = _cli.host_from_arguments(_cli.parse_arguments(arguments))
    assert host.enforce is False
    assert host.network == emulated_winrm.EmulatedNetwork("198.51.100.7", ("198.51.100.20", "2001:db8::20"),
                                                          {"dns": ("198.51.100.53", "198.51.100.54"), "gateway": ("198.51.100.1",)})


@pytest.mark.parametrize("bad", [["--controller-address", "nowhere"], ["--server-address", "192.0.2.53"],
                                 ["--server-address", "ntp=192.0.2.1"]])
def test_cli_refuses_a_malformed_network_option(tmp_path, capsys, bad):
    with pytest.raises(SystemExit) as exited:
        _cli.main(["--workdir", str(tmp_path / "host"), *bad])
    assert exited.value.code == 2 and "emulated-winrm-host: error:" in capsys.readouterr().err
