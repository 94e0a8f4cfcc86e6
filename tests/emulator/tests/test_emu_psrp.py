"""The emulated host's PowerShell resource (PSRP, ``emulated_winrm._psrp*``) with the real pypsrp client: a runspace
pool opened and closed, the collection's stub run in a pipeline with input, scripts the host refuses, fragments larger
than the envelope the client allows, and several pipelines in one pool."""

from __future__ import annotations

import base64
import json

import pytest
from emu_psrp_support import POWERSHELL_RESOURCE, invoke, invoke_built, runspace_pool, stop_last
from emu_support import STUB, Emu, bootstrap_payload, encode_request
from emu_winrm_support import session
from pypsrp.complex_objects import PSInvocationState, RunspacePoolState
from pypsrp.exceptions import WSManFaultError

ADD_POLICY = ["ipsec", "static", "add", "policy", "name=Web Servers", "description=edge"]
SHOW_POLICY = ["ipsec", "static", "show", "policy", "all"]
REFUSED_ID = "EmulatedHost.ScriptRejected"


def stub_input(commands: list[list[str]], stop_on_error: bool = False) -> list[str]:
    """The stub's pipeline input as ansible-core's psrp connection sends it: the lines of the stdin the collection gives."""
    return bootstrap_payload(commands, stop_on_error).decode("ascii").splitlines()


def policies(host) -> list[str]:
    shown = Emu(host.state_file)("show policy all").out
    return [line.split(": ", 1)[1] for line in shown.split("\r\n") if line.startswith("Policy Name")]


@pytest.mark.parametrize("auth, options", [("ntlm", {}), ("basic", {"encryption": "never"})])
def test_a_runspace_pool_opens_and_closes(winrm_host, auth, options):
    pool = runspace_pool(winrm_host, auth, **options)
    pool.open()
    assert pool.state == RunspacePoolState.OPENED
    # SESSION_CAPABILITY and APPLICATION_PRIVATE_DATA as psrpcore writes them, Windows PowerShell 5.1
    assert (pool.protocol_version, pool.ps_version, pool.serialization_version) == ("2.3", "2.0", "1.1.0.1")
    table = pool.application_private_data.data["PSVersionTable"]
    assert (table["PSVersion"], table["PSEdition"], table["PSRemotingProtocolVersion"]) == ("5.1.17763.1", "Desktop", "2.3")
    # the shell is the runspace pool: the client's proposed ShellId, the PowerShell resource
    assert (pool.shell.id, pool.shell.resource_uri) == (pool.id, POWERSHELL_RESOURCE)
    assert winrm_host.open_shells == 1
    pool.close()
    assert winrm_host.open_shells == 0
    operations = winrm_host.operations
    assert (operations["Create"], operations["Receive"], operations["Delete"], winrm_host.round_trips) == (1, 1, 1, 0)


def test_the_stub_runs_in_a_pipeline_with_its_input(winrm_host):
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, STUB, stub_input([ADD_POLICY, SHOW_POLICY]))
    assert ran.pipeline.state == PSInvocationState.COMPLETED and not ran.pipeline.had_errors and ran.errors == []
    # the stub's `exit 0` reaches the client as SetShouldExit(0); its answer is one output string
    assert ran.exit_code == 0 and len(ran.output) == 1
    results = ran.results["results"]
    assert [result["rc"] for result in results] == [0, 0]
    shown = base64.b64decode(results[1]["stdout"]).decode("cp437")
    assert "Policy Name            : Web Servers\r\n" in shown and "Description            : edge\r\n" in shown
    assert policies(winrm_host) == ["Web Servers"]
    # one pipeline is one Command operation, a round trip; the shell is gone after close
    assert (winrm_host.round_trips, winrm_host.open_shells) == (1, 0)
    assert winrm_host.command_lines == ["[psrp] # lockdown-ipsec-stub-v1"]


def test_profile_noise_comes_before_the_answer_as_output_strings(winrm_host):
    winrm_host.env["NETSH_EMU_PS_NOISE"] = "Loading personal profile...\nWARNING: noisy"
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, STUB, stub_input([ADD_POLICY]))
    assert ran.output[:2] == ["Loading personal profile...", "WARNING: noisy"] and len(ran.output) == 3
    assert ran.results["results"][0]["rc"] == 0 and policies(winrm_host) == ["Web Servers"]


@pytest.mark.parametrize("script, fragment", [
    ("Get-Date", "neither the lockdown-ipsec stub nor one plain netsh command line"),
    (STUB.replace("exit 0", "exit 1"), "differs from the pinned stub (sha256 mismatch)"),
    ("netsh ipsec static show policy all; whoami\nexit $LASTEXITCODE", "netsh"),
    ("netsh ipsec static show policy all", "neither the lockdown-ipsec stub nor one plain netsh command line"),
])
def test_a_script_the_host_does_not_know_is_refused_with_an_error_record(winrm_host, script, fragment):
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, script)
    # a terminating error: the pipeline fails, its error record travels in PIPELINE_STATE; no exit code
    assert ran.pipeline.state == PSInvocationState.FAILED and ran.pipeline.had_errors
    assert ran.output == [] and ran.exit_code is None
    [(message, error_id)] = ran.errors
    assert fragment in message and error_id == REFUSED_ID
    assert winrm_host.round_trips == 1 and policies(winrm_host) == []


def test_a_pipeline_of_two_commands_or_with_parameters_is_refused(winrm_host):
    with runspace_pool(winrm_host) as pool:
        two = invoke_built(pool, lambda ps: ps.add_script(STUB).add_statement().add_script(STUB))
        with_parameter = invoke_built(pool, lambda ps: ps.add_script(STUB).add_argument("x"))
    assert [message for message, dummy in two.errors] == ["The emulated host runs pipelines of one script; this one has 2 commands."]
    assert "without parameters" in with_parameter.errors[0][0]
    assert two.pipeline.state == with_parameter.pipeline.state == PSInvocationState.FAILED


def test_a_terminating_error_of_the_batch_script_fails_the_pipeline(winrm_host):
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, STUB, encode_request({"commands": "not a list"}).decode("ascii").splitlines())
    assert ran.pipeline.state == PSInvocationState.FAILED and ran.exit_code is None
    assert "commands" in ran.errors[0][0] and ran.errors[0][1] == REFUSED_ID


def test_stub_input_must_be_one_line_strings(winrm_host):
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, STUB, stub_input([SHOW_POLICY]) + [12])
    assert ran.pipeline.state == PSInvocationState.FAILED
    assert "pipeline input of one-line strings only, not PSInt 12" in ran.errors[0][0]


def test_fragments_larger_than_the_envelope_travel_in_several_sends_and_receives(winrm_host):
    # 20,000 bytes per envelope: fragments of about 13 KB, in both directions
    names = [f"Server {index} {'x' * 6000}" for index in range(6)]
    commands = [["ipsec", "static", "add", "policy", f"name={name}", f"description={'d' * 6000}"] for name in names] + [SHOW_POLICY]
    lines = stub_input(commands)
    assert sum(len(line) for line in lines) > 3 * 20000
    with runspace_pool(winrm_host, max_envelope_size=20000) as pool:
        ran = invoke(pool, STUB, lines)
    assert [result["rc"] for result in ran.results["results"]] == [0] * 7
    assert len(ran.output[0]) > 3 * 20000  # the answer: one string, in several fragments and replies
    assert policies(winrm_host) == names
    operations = winrm_host.operations
    assert operations["Send"] >= 3 and operations["Receive"] >= 4 and winrm_host.round_trips == 1
    # under the default envelope (512,000 bytes once the protocol is 2.3) messages larger than one envelope too
    with runspace_pool(winrm_host) as pool:
        again = invoke(pool, STUB, stub_input([SHOW_POLICY] * 8 + [["ipsec", "static", "show", "policy", f"name={'y' * 90000}"]] * 6))
    assert len(again.output[0]) > 512000 and [result["rc"] for result in again.results["results"]] == [0] * 8 + [1] * 6


def test_two_pipelines_run_in_one_pool(winrm_host):
    with runspace_pool(winrm_host) as pool:
        first = invoke(pool, STUB, stub_input([ADD_POLICY], stop_on_error=True))
        stop_last(first)  # ansible-core's psrp connection stops the last pipeline before the next: a Signal
        second = invoke(pool, STUB, stub_input([SHOW_POLICY]))
        assert winrm_host.open_shells == 1
    assert first.exit_code == second.exit_code == 0
    assert "Policy Name            : Web Servers" in base64.b64decode(second.results["results"][0]["stdout"]).decode("cp437")
    operations = winrm_host.operations
    assert (operations["Create"], operations["Command"], operations["Signal"], operations["Delete"]) == (1, 2, 1, 1)
    assert winrm_host.open_shells == 0


def test_a_signal_for_a_pipeline_the_pool_forgot_is_a_fault(winrm_host):
    with runspace_pool(winrm_host) as pool:
        ran = invoke(pool, STUB, stub_input([SHOW_POLICY]))
        stop_last(ran)
        with pytest.raises(WSManFaultError) as raised:
            pool.shell.signal("powershell/signal/ctrl_c", ran.pipeline.id)
    assert raised.value.code == 2150858843 and f"the command {ran.pipeline.id} was not found" in raised.value.reason


def test_a_send_for_an_unknown_pipeline_is_a_fault(winrm_host):
    with runspace_pool(winrm_host) as pool:
        with pytest.raises(WSManFaultError) as raised:
            pool.shell.send("stdin", b"\x00" * 21, command_id="0F0F0F0F-0000-0000-0000-000000000000")
    assert raised.value.code == 2150858843 and "0F0F0F0F-0000-0000-0000-000000000000 was not found" in raised.value.reason


def test_psrp_messages_ansible_never_sends_are_refused(winrm_host):
    with runspace_pool(winrm_host) as pool:
        with pytest.raises(WSManFaultError) as key_exchange:
            pool.exchange_keys()  # PUBLIC_KEY
        with pytest.raises(WSManFaultError) as set_max:
            pool.max_runspaces = 2  # SET_MAX_RUNSPACES, which psrpcore 0.3.1 cannot even read from pypsrp
    assert "does not serve the PSRP message PublicKey" in key_exchange.value.reason
    assert set_max.value.reason.startswith("The emulated host cannot read or act on the PSRP data: ")


def test_a_plain_netsh_line_as_ansible_raw_sends_it(winrm_host):
    line = "netsh ipsec static add policy name=Raw"
    with runspace_pool(winrm_host) as pool:
        added = invoke(pool, f"{line}\nexit $LASTEXITCODE")
        again = invoke(pool, f"{line}\nexit $LASTEXITCODE")
        shown = invoke(pool, "netsh ipsec static show policy name=Raw\nexit $LASTEXITCODE")
    # netsh's exit code through `exit $LASTEXITCODE` (SetShouldExit), its stdout one string per line
    assert (added.exit_code, added.output, added.pipeline.state) == (0, [], PSInvocationState.COMPLETED)
    assert again.exit_code == 1 and again.output[0].startswith("ERR IPsec[05005] : ") and not again.pipeline.had_errors
    assert shown.exit_code == 0 and "Policy Name            : Raw" in shown.output and "" in shown.output
    assert policies(winrm_host) == ["Raw"]


def test_only_the_microsoft_powershell_configuration_is_served(winrm_host):
    pool = runspace_pool(winrm_host, configuration_name="JEA.Maintenance")
    with pytest.raises(WSManFaultError) as raised:
        pool.open()
    assert "serves the PowerShell session configuration Microsoft.PowerShell only, not 'JEA.Maintenance'" in raised.value.reason
    assert winrm_host.open_shells == 0


def test_the_cmd_shell_still_serves_alongside_the_powershell_resource(winrm_host):
    with runspace_pool(winrm_host) as pool:
        invoke(pool, STUB, stub_input([ADD_POLICY]))
        shown = session(winrm_host, "ntlm").run_cmd("netsh ipsec static show policy all")
    assert "Web Servers" in shown.std_out.decode("cp437")
    assert json.dumps(winrm_host.command_lines) == json.dumps(["[psrp] # lockdown-ipsec-stub-v1", "netsh ipsec static show policy all"])
