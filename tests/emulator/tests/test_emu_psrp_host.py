"""The emulated host's PSRP side as a host: its assigned IPsec policy enforced on pypsrp's connections, a Receive that
times out while a pipeline runs, a kill in the middle of a pipeline, and pypsrp over HTTPS."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from emu_psrp_support import invoke, runspace_pool
from emu_support import STUB, Emu, bootstrap_payload, lockdown
from pypsrp.complex_objects import PSInvocationState
from pypsrp.host import PSHost, PSHostUserInterface
from pypsrp.powershell import RunspacePool
from pypsrp.wsman import WSMan

# pypsrp's shortest time-outs: a client that gives up on a host that drops its packets within about 2 s (a Receive is
# tried 6 times, pypsrp's own retries_on_read_timeout=5, sleeping reconnection_backoff * (2**attempt - 1) in between).
SHORT_TIMEOUTS = {"connection_timeout": 2, "read_timeout": 2, "operation_timeout": 1, "reconnection_backoff": 0.01}


def stub_input(commands: list[list[str]], stop_on_error: bool = True) -> list[str]:
    return bootstrap_payload(commands, stop_on_error).decode("ascii").splitlines()


def test_a_policy_blocking_the_port_keeps_pypsrp_out(winrm_host):
    lockdown(winrm_host)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.RequestException):
        runspace_pool(winrm_host, **SHORT_TIMEOUTS).open()
    assert 1.9 <= time.monotonic() - started < 10
    assert winrm_host.operations == {} and {evaluation.kind for evaluation in winrm_host.dropped} == {"connection"}


def test_a_policy_permitting_the_port_lets_pypsrp_in(winrm_host):
    lockdown(winrm_host, f"srcaddr=any dstaddr=me protocol=tcp dstport={winrm_host.port}")
    with runspace_pool(winrm_host, **SHORT_TIMEOUTS) as pool:
        ran = invoke(pool, STUB, stub_input([["ipsec", "static", "show", "policy", "all"]]))
    assert ran.exit_code == 0 and ran.results["results"][0]["rc"] == 0
    assert winrm_host.dropped == [] and {evaluation.decision.rule for evaluation in winrm_host.evaluations} == {"Management"}


def test_a_pipeline_assigning_a_blocking_policy_locks_pypsrp_out(winrm_host):
    emu = Emu(winrm_host.state_file)
    for line in ("add policy name=Lockdown", "add filteraction name=Block action=block", "add filter filterlist=All srcaddr=any dstaddr=me",
                 "add rule name=All policy=Lockdown filterlist=All filteraction=Block"):
        emu.ok(line)
    pool = runspace_pool(winrm_host, **SHORT_TIMEOUTS)
    pool.open()
    # the pipeline runs and assigns the policy; the Receive after it gets no answer
    with pytest.raises(requests.exceptions.RequestException):
        invoke(pool, STUB, stub_input([["ipsec", "static", "set", "policy", "name=Lockdown", "assign=yes"]]))
    assert json.loads(winrm_host.state_file.read_text(encoding="utf-8"))["policies"][0]["assigned"] is True
    assert winrm_host.operations["Command"] == 1 and winrm_host.dropped[0].kind == "request"


def test_a_receive_times_out_while_the_pipeline_runs_and_the_client_asks_again(winrm_hosts, tmp_path):
    marker, counter = tmp_path / "hanging.json", tmp_path / "changes.count"
    host = winrm_hosts("host", receive_wait=0.2, env={"NETSH_EMU_FAIL_COUNTER": str(counter), "NETSH_EMU_HANG_AT": "1",
                                                      "NETSH_EMU_HANG_MARKER": str(marker), "NETSH_EMU_HANG_SECONDS": "1"})
    with runspace_pool(host) as pool:
        ran = invoke(pool, STUB, stub_input([["ipsec", "static", "add", "policy", "name=Slow"]]))
    # the command hung 1 s, then the run was cut off (NETSH_EMU_HANG_AT): the pipeline is stopped; meanwhile the
    # Receives timed out (w:TimedOut) and pypsrp asked again
    assert marker.exists() and ran.pipeline.state == PSInvocationState.STOPPED and ran.exit_code is None
    assert ran.errors == [("The pipeline has been stopped.", "PipelineStopped")]
    assert host.operations["Receive"] >= 1 + 4 and Emu(host.state_file)("show policy all").rc == 1


def test_kill_during_a_pipeline(winrm_hosts, tmp_path):
    marker, counter = tmp_path / "hanging.json", tmp_path / "changes.count"
    host = winrm_hosts("host", receive_wait=30, env={"NETSH_EMU_FAIL_COUNTER": str(counter), "NETSH_EMU_HANG_AT": "2",
                                                     "NETSH_EMU_HANG_MARKER": str(marker)})
    pool = runspace_pool(host)
    pool.open()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            invoke(pool, STUB, stub_input([["ipsec", "static", "add", "policy", f"name={name}"] for name in "ABC"]))
        except BaseException as exc:  # pylint: disable=broad-except  # the test inspects it
            failure.append(exc)

    client = threading.Thread(target=run, daemon=True)
    client.start()
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline, "the batch never hung"
        time.sleep(0.02)
    host.kill()
    client.join(10)
    assert not client.is_alive() and isinstance(failure[0], requests.exceptions.ConnectionError), failure
    # the store holds the command before the hanging one; nothing ran after it, and the pipeline thread has ended
    store = json.loads(host.state_file.read_text(encoding="utf-8"))
    assert [policy["name"] for policy in store["policies"]] == ["A"]
    assert counter.read_text() == "2\n"


def test_pypsrp_over_https_validating_the_hosts_certificate(winrm_hosts):
    host = winrm_hosts("host", https=True)
    variables = host.psrp_vars()
    assert (variables["ansible_psrp_protocol"], variables["ansible_psrp_ca_cert"]) == ("https", str(host.ca_file))
    # over HTTPS pypsrp seals nothing (TLS encrypts, A-161); NTLM authenticates the connection
    connection = WSMan("127.0.0.1", port=host.port, username="vagrant", password="vagrant", ssl=True, auth="ntlm", cert_validation=str(host.ca_file))
    ps_host = PSHost(None, None, False, "Ansible PSRP Host", None, PSHostUserInterface(), None)
    with RunspacePool(connection, host=ps_host) as pool:
        ran = invoke(pool, STUB, stub_input([["ipsec", "static", "add", "policy", "name=Secure"]]))
    assert ran.exit_code == 0 and ran.results["results"][0]["rc"] == 0
    assert Emu(host.state_file)("show policy all").out.count("Policy Name            : Secure") == 1
