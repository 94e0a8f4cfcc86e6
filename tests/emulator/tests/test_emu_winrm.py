"""The emulated WinRM endpoint with pywinrm as the client: commands, cmd.exe rules, PowerShell, stdin,
Receive time-outs, output slices, Signal, Delete and faults. Authentication is in ``test_emu_winrm_auth``,
hosts, counters and the CLI in ``test_emu_winrm_host``."""

from __future__ import annotations

import threading
import time

import pytest
from emu_support import POWERSHELL_PREFIX, STUB_COMMAND, assert_clixml, bootstrap_payload, bootstrap_results, encode_command
from emu_winrm_support import NOT_FOUND_CODE, TIMED_OUT_CODE, envelope, protocol, run, session, winrm

from emulated_winrm import CMD_LINE_LIMIT, EmulatedWindowsHost
from emulated_winrm._shells import OUTPUT_SLICE, ShellTable
from emulated_winrm._soap import SoapError

TOO_LONG = b"The command line is too long.\r\n"
SHELL_NOT_FOUND = ("The request for the Windows Remote Shell with ShellId 0F0F0F0F-0000-0000-0000-000000000000 "
                   "failed because the shell was not found on the server.")


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_netsh_add_and_show_round_trip(winrm_host, transport):
    client = session(winrm_host, transport)
    added = client.run_cmd("netsh", ["ipsec", "static", "add", "policy", '"name=Web Servers"', "description=edge"])
    assert (added.status_code, added.std_out, added.std_err) == (0, b"", b"")
    shown = client.run_cmd("netsh ipsec static show policy all")
    assert shown.status_code == 0 and shown.std_err == b""
    assert "Policy Name            : Web Servers\r\n" in shown.std_out.decode("cp437")
    assert "Description            : edge\r\n" in shown.std_out.decode("cp437")
    # WinRS joins Command and Arguments with one space
    assert winrm_host.command_lines == ['netsh ipsec static add policy "name=Web Servers" description=edge', "netsh ipsec static show policy all"]
    assert (winrm_host.round_trips, winrm_host.open_shells) == (2, 0)


def test_netsh_errors_keep_their_exit_code_and_text(winrm_host):
    proto = protocol(winrm_host)
    run(proto, "netsh ipsec static add policy name=P")
    stdout, stderr, rc = run(proto, "netsh.exe ipsec static add policy name=P")
    assert (rc, stderr) == (1, b"") and stdout.startswith(b"ERR IPsec[05005] : ")


def test_command_line_limit_is_8191_characters(winrm_host):
    proto = protocol(winrm_host)
    prefix = "netsh ipsec static add policy name="
    at_limit = prefix + "A" * (CMD_LINE_LIMIT - len(prefix))
    assert CMD_LINE_LIMIT == 8191 and len(at_limit) == 8191
    assert run(proto, at_limit) == (b"", b"", 0)
    over = prefix + "B" * (CMD_LINE_LIMIT + 1 - len(prefix))
    assert run(proto, over) == (b"", TOO_LONG, 1)
    shown = run(proto, "netsh ipsec static show policy all")[0].decode("cp437")
    assert "A" * 100 in shown and "B" * 100 not in shown  # the refused line ran nothing
    # Arguments count too: WinRS joins them to the command before cmd.exe sees the line
    stdout, stderr, rc = run(proto, "netsh", arguments=[over[len("netsh "):]])
    assert (stdout, stderr, rc) == (b"", TOO_LONG, 1)
    # without cmd.exe (WINRS_SKIP_CMD_SHELL=TRUE) the limit does not apply
    assert run(proto, over, skip_cmd_shell=True) == (b"", b"", 0)


def test_unknown_program_is_9009(winrm_host):
    stdout, stderr, rc = run(protocol(winrm_host), "ipconfig /all")
    assert (rc, stdout) == (9009, b"")
    assert stderr == b"'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"


@pytest.mark.parametrize("line, character", [
    ("netsh ipsec static show policy all & whoami", "&"),
    ("netsh ipsec static show policy all | more", "|"),
    ("netsh ipsec static show policy all > C:\\out.txt", ">"),
    ("netsh ipsec static add policy name=%COMPUTERNAME%", "%"),
    ('netsh ipsec static add policy "name=100%"', "%"),          # % counts even inside quotes
    ("netsh ipsec static add policy name=a^b", "^"),
])
def test_cmd_metacharacters_are_refused(winrm_host, line, character):
    stdout, stderr, rc = run(protocol(winrm_host), line)
    assert (rc, stdout) == (1, b"")
    assert stderr.decode("utf-8").startswith(f"The emulated cmd.exe does not interpret {character!r}")
    assert winrm_host.command_lines == [line]


def test_metacharacters_inside_double_quotes_pass(winrm_host):
    proto = protocol(winrm_host)
    assert run(proto, 'netsh ipsec static add policy "name=A&B|C<D>"') == (b"", b"", 0)
    assert "Policy Name            : A&B|C<D>\r\n" in run(proto, "netsh ipsec static show policy all")[0].decode("cp437")


def test_unknown_powershell_script_is_rc1_with_clixml(winrm_host):
    proto = protocol(winrm_host)
    stdout, stderr, rc = run(proto, POWERSHELL_PREFIX + encode_command("Get-Date"))
    assert stderr.startswith(b"#< CLIXML\r\n")
    assert_clixml(rc, stdout, stderr, "does not understand")
    # pywinrm's own run_ps decodes it: the client really received CLIXML
    cleaned = session(winrm_host).run_ps("Get-Date")
    assert cleaned.status_code == 1 and not cleaned.std_err.startswith(b"#< CLIXML") and b"does not understand" in cleaned.std_err


def test_plain_netsh_line_wrapped_in_powershell(winrm_host):
    # what ansible.builtin.raw sends on ansible-core 2.21 (execution.md §1.2): stdout is UTF-8
    winrm_host.env["NETSH_EMU_LANG"] = "zh-CN"
    proto = protocol(winrm_host)
    assert run(proto, POWERSHELL_PREFIX + encode_command("netsh ipsec static add policy name=P assign=yes"))[2] == 0
    stdout, stderr, rc = run(proto, POWERSHELL_PREFIX + encode_command("netsh ipsec static show policy name=P"))
    assert (rc, stderr) == (0, b"") and "已分配" in stdout.decode("utf-8")


def _bootstrap_command(proto, shell_id: str) -> str:
    return proto.run_command(shell_id, STUB_COMMAND, console_mode_stdin=False)


def test_bootstrap_stdin_in_several_sends(winrm_hosts):
    winrm_host = winrm_hosts(receive_wait=0.2)
    proto = protocol(winrm_host, "ntlm")
    shell_id = proto.open_shell()
    payload = bootstrap_payload([["ipsec", "static", "add", "policy", "name=Web Servers"],
                                 ["ipsec", "static", "show", "policy", "name=Web Servers"]], stop_on_error=True)
    chunks = [payload[:10], payload[10:40], payload[40:]]
    command_id = _bootstrap_command(proto, shell_id)
    proto.send_command_input(shell_id, command_id, chunks[0])
    # stdin is not complete: the command has not started, Receive times out (and nothing ran)
    with pytest.raises(winrm.exceptions.WinRMOperationTimeoutError):
        proto.get_command_output_raw(shell_id, command_id)
    proto.send_command_input(shell_id, command_id, chunks[1])
    proto.send_command_input(shell_id, command_id, chunks[2], end=True)
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    proto.cleanup_command(shell_id, command_id)
    assert (rc, stderr) == (0, b"") and stdout.startswith(b"<<LOCKDOWN-IPSEC-RESULT>>")
    doc = bootstrap_results(stdout)
    assert doc["codepage"] == 437 and [result["rc"] for result in doc["results"]] == [0, 0]
    assert winrm_host.operations["Send"] == 3 and winrm_host.round_trips == 1
    # input after End is refused with a fault
    second = _bootstrap_command(proto, shell_id)
    proto.send_command_input(shell_id, second, bootstrap_payload([], False), end=True)
    with pytest.raises(winrm.exceptions.WSManFaultError):
        proto.send_command_input(shell_id, second, b"more")
    assert bootstrap_results(proto.get_command_output(shell_id, second)[0]) == {
        "codepage": 437, "results": [], "files": [], "read_back": [], "armed": None, "disarmed": None, "registry": None}
    proto.close_shell(shell_id)


class _SlowHost(EmulatedWindowsHost):
    """Every command takes 0.4 s; a short receive wait makes the client retry timed-out Receives."""

    def _run(self, line, stdin, skip_cmd_shell):
        time.sleep(0.4)
        return super()._run(line, stdin, skip_cmd_shell)


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_receive_timeouts_are_retried(winrm_hosts, transport):
    host = winrm_hosts(cls=_SlowHost, receive_wait=0.05)
    result = session(host, transport).run_cmd("netsh ipsec static show store")
    assert result.status_code == 0 and result.std_out == b"\r\nStore                  : Local Store <WIN-EMULATED>\r\n"
    assert host.operations["Receive"] > 1  # w:TimedOut faults came back and were retried


def test_shell_table_receive_times_out_while_running():
    release = threading.Event()

    def runner(line, stdin, skip_cmd_shell):
        release.wait(10)
        return 0, line.encode() + stdin, b""

    table = ShellTable(runner, receive_wait=0.05)
    shell_id = table.create()
    running = table.command(shell_id, "echo", console_stdin=True, skip_cmd_shell=False)
    with pytest.raises(SoapError) as raised:
        table.receive(shell_id, running, None)
    assert (raised.value.code, raised.value.subcode) == (TIMED_OUT_CODE, "w:TimedOut")
    # a command waiting for stdin: the same bounded wait, never an immediate answer (no busy loop)
    waiting = table.command(shell_id, "cat", console_stdin=False, skip_cmd_shell=False)
    started = time.monotonic()
    with pytest.raises(SoapError):
        table.receive(shell_id, waiting, None)
    assert time.monotonic() - started >= 0.04
    # OperationTimeout shorter than the receive wait bounds it
    slow_table = ShellTable(runner, receive_wait=30)
    slow_shell = slow_table.create()
    slow = slow_table.command(slow_shell, "x", console_stdin=True, skip_cmd_shell=False)
    started = time.monotonic()
    with pytest.raises(SoapError):
        slow_table.receive(slow_shell, slow, 0.05)
    assert time.monotonic() - started < 5
    release.set()
    assert table.receive(shell_id, running, None) == (b"echo", b"", 0)
    table.send(shell_id, waiting, b"in", end=True)
    assert table.receive(shell_id, waiting, None) == (b"catin", b"", 0)


class _ChattyHost(EmulatedWindowsHost):
    """``chatty N`` prints N bytes of a counting pattern and a warning on stderr."""

    def _run(self, line, stdin, skip_cmd_shell):
        if line.startswith("chatty "):
            size = int(line.split()[1])
            return 0, bytes(index % 251 for index in range(size)), b"warning\r\n"
        return super()._run(line, stdin, skip_cmd_shell)


def test_long_output_arrives_in_slices(winrm_hosts):
    host = winrm_hosts(cls=_ChattyHost)
    size = 2 * OUTPUT_SLICE + 1000
    expected = bytes(index % 251 for index in range(size))
    result = session(host, "ntlm").run_cmd(f"chatty {size}")
    assert (result.status_code, result.std_out, result.std_err) == (0, expected, b"warning\r\n")
    assert OUTPUT_SLICE == 64 * 1024 and host.operations["Receive"] == 3
    # slice by slice: Running with stdout only, then Done with the rest and stderr
    proto = protocol(host)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, f"chatty {size}")
    slices = []
    while True:
        stdout, stderr, rc, done = proto.get_command_output_raw(shell_id, command_id)
        slices.append((len(stdout), stderr, rc, done))
        if done:
            break
    assert slices == [(OUTPUT_SLICE, b"", -1, False), (OUTPUT_SLICE, b"", -1, False), (1000, b"warning\r\n", 0, True)]
    proto.close_shell(shell_id)


def test_signal_and_delete_close_everything(winrm_host):
    session(winrm_host).run_cmd("netsh ipsec static show store")
    assert winrm_host.open_shells == 0
    proto = protocol(winrm_host)
    shells = [proto.open_shell(), proto.open_shell()]
    assert winrm_host.open_shells == 2
    command_id = proto.run_command(shells[0], "netsh ipsec static show store")
    proto.cleanup_command(shells[0], command_id)  # Signal terminate: the command is forgotten
    with pytest.raises(winrm.exceptions.WSManFaultError) as raised:
        proto.get_command_output_raw(shells[0], command_id)
    assert raised.value.wsman_fault_code == NOT_FOUND_CODE
    for shell_id in shells:
        proto.close_shell(shell_id, close_session=False)
    assert winrm_host.open_shells == 0
    assert winrm_host.operations["Signal"] == 2 and winrm_host.operations["Delete"] == 3


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_unknown_ids_and_actions_are_faults(winrm_host, transport):
    proto = protocol(winrm_host, transport)
    shell_id = proto.open_shell()
    faults = []
    for call in (lambda: proto.run_command("0F0F0F0F-0000-0000-0000-000000000000", "netsh"),
                 lambda: proto.cleanup_command(shell_id, "no-such-command"),
                 lambda: proto.send_command_input(shell_id, "no-such-command", b"x", end=True),
                 lambda: proto.close_shell("0F0F0F0F-0000-0000-0000-000000000000", close_session=False)):
        with pytest.raises(winrm.exceptions.WSManFaultError) as raised:
            call()
        faults.append((raised.value.code, raised.value.wsman_fault_code, raised.value.fault_subcode, raised.value.reason.startswith(SHELL_NOT_FOUND)))
    # the unknown shell (first and last call) gets the text a real host sends
    assert faults == [(500, NOT_FOUND_CODE, "w:InvalidSelectors", unknown_shell) for unknown_shell in (True, False, False, True)]
    with pytest.raises(winrm.exceptions.WSManFaultError) as raised:
        proto.send_message(envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", body={"n:Enumerate": {}}))
    assert raised.value.fault_subcode == "w:ActionNotSupported" and "Enumerate" in raised.value.reason
    with pytest.raises(winrm.exceptions.WSManFaultError) as raised:
        proto.send_message(b"<not-soap/>")
    assert raised.value.code == 500 and "SOAP" in raised.value.reason
    # the connection survived every fault
    assert run(proto, "netsh ipsec static show store", shell_id=shell_id)[2] == 0
    proto.close_shell(shell_id)
    assert winrm_host.open_shells == 0
