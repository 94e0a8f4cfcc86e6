"""The role's lockout suite, end to end over WinRM (and PSRP): the emulated host enforces its assigned policy with
its own evaluator (tests/emulator, independent of the collection's guard), so a lockout really happens.

For every WinRM or PSRP case of tests/unit/plugins/plugin_utils/test_lockout_suite.py that the role
accepts or the guard refuses (not the settings refusals, which never reach a host): the host is given
the case's store, the role is applied with the guard bypassed (``packet_filter_allow_lockout``, so the
refused configurations are forced through), and then, for every packet the guard judged on the port the
connection uses, a new connection comes from that packet's source as the host sees it. The host must
answer exactly when the guard called the packet safe. Verdicts the guard flags as depending on an order
Windows does not document are not compared (the emulated host has one order; the guard refuses them
whatever it is).

The replay itself is lockout_replay.py's (shared with the SSH cases of test_ssh_guard.py). In the PSRP run of the
suite the role runs over ansible-core's ``psrp`` connection, the new connections are pypsrp runspace pools, and only the PSRP cases and
one foreign lockout are repeated.
"""

from __future__ import annotations

import pytest
import requests
import winrm
from emulated_winrm import EmulatedNetwork
from pypsrp.host import PSHost, PSHostUserInterface
from pypsrp.powershell import PowerShell, RunspacePool
from pypsrp.wsman import WSMan

from conftest import CONNECTION, EmulatedHost
from lockout_replay import CASES, SAFE, apply_case, compare_answers

WINRM_PORTS = (5985, 5986, 15985)  # the suite's winrm and psrp connections
HOST_ADDRESSES = ("192.0.2.20", "2001:db8::20")
# Seconds a reachable host has to answer a new connection (NTLM handshake and one command) on a machine
# busy with the rest of the test command; a blocked one costs this long.
ANSWER_WITHIN = 6
END_TO_END = [case for case in CASES if case.connection_port in WINRM_PORTS and case.variable is None and case.bug is None]
# The PSRP run repeats only the PSRP cases and one foreign lockout: the guard's verdicts do not depend on the
# connection, and each PSRP probe of a blocked port costs a full timeout (the WinRM run covers the rest).
PSRP_CASES = {"foreign-block-all-stays-assigned"}
if CONNECTION == "psrp":
    END_TO_END = [case for case in END_TO_END if case.name.startswith("psrp-") or case.name in PSRP_CASES]


def answers(host: EmulatedHost, source: str, destination: str) -> bool:
    """Whether a new connection from ``source`` (as the host sees it) to ``destination`` gets an answer."""
    addresses = HOST_ADDRESSES if destination == "me" else (destination, *HOST_ADDRESSES)
    host.endpoint.network = EmulatedNetwork(source, addresses, None)
    if CONNECTION == "psrp":
        return psrp_answers(host)
    vars_ = host.endpoint.ansible_vars()
    session = winrm.Session(f"http://127.0.0.1:{host.management_port}/wsman", auth=(vars_["ansible_user"], vars_["ansible_password"]),
                            transport="ntlm", server_cert_validation="ignore", read_timeout_sec=ANSWER_WITHIN, operation_timeout_sec=ANSWER_WITHIN - 2)
    try:
        return session.run_cmd("netsh", ["ipsec", "static", "show", "store"]).status_code == 0
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        return False


def psrp_answers(host: EmulatedHost) -> bool:
    """Whether a new runspace pool opens and runs one netsh line (ansible.builtin.raw's script over psrp)."""
    vars_ = host.endpoint.psrp_vars()
    # One try per request: pypsrp would retry a Receive five times, backing off.
    connection = WSMan("127.0.0.1", port=host.management_port, username=vars_["ansible_user"], password=vars_["ansible_password"],
                       ssl=False, auth="ntlm", connection_timeout=ANSWER_WITHIN, read_timeout=ANSWER_WITHIN,
                       operation_timeout=ANSWER_WITHIN - 2, reconnection_backoff=0.01)
    ps_host = PSHost(None, None, False, "lockout probe", None, PSHostUserInterface(), None)
    try:
        with RunspacePool(connection, host=ps_host) as pool:
            pipeline = PowerShell(pool)
            pipeline.add_script("netsh ipsec static show store\nexit $LASTEXITCODE")
            pipeline.invoke()
            return ps_host.rc == 0
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        return False


@pytest.mark.parametrize("case", END_TO_END, ids=[case.name for case in END_TO_END])
def test_the_host_answers_exactly_the_packets_the_guard_calls_safe(tmp_path, case):
    host = EmulatedHost(tmp_path, enforce=False)
    try:
        verdicts = apply_case(host, case)
        host.endpoint.enforce = True
        compared = compare_answers(case, verdicts, host.management_port, lambda source, destination: answers(host, source, destination))
        if case.expected == SAFE:
            assert compared, f"no packet of the guard was on the connection's port {host.management_port}: {verdicts}"
    finally:
        host.close()
