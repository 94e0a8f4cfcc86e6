"""All or nothing: seed 000's web server, assigned, turned into the mail server, with netsh failing at
command *k* for every *k* of the change (the emulator's ``NETSH_EMU_FAIL_AT``).

By default (``on_failure: rollback``) the store afterwards is the store before, compared with netsh's
own ``show all`` (independent of the collection's parser); the report names command *k*, and a
re-run converges. With ``on_failure: stop`` the store is exactly the web server with commands
1..k-1 applied, which the test computes by running them through the emulated netsh itself.
"""

from __future__ import annotations

import pytest
from conftest import CONNECTION
from ipsec_support import READ_BACK, read_back_task, task
from netsh_emulator import split_c
from test_seed000 import MAIL_SERVER, WEB_SERVER, show_all

MAIL = 'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr={src} dstaddr={dst} protocol=TCP srcport=0 dstport={port} mirrored=yes'
COMMANDS = [
    'netsh ipsec static add filterlist "name=Inbound/outbound mail"',
    *(MAIL.format(src="any", dst="me", port=port) for port in (25, 110, 143, 993, 995)),
    MAIL.format(src="me", dst="any", port=25),
    'netsh ipsec static add rule "name=Inbound/outbound mail" "policy=Packet Filter" "filterlist=Inbound/outbound mail" '
    "filteraction=Permit activate=yes conntype=all kerberos=yes",
    'netsh ipsec static delete rule "name=Inbound web protocols" "policy=Packet Filter"',
]
# Every k over the local connection; over WinRM the first, a middle and the last (the engine is the same).
POSITIONS = range(1, len(COMMANDS) + 1) if CONNECTION == "local" else (1, 5, len(COMMANDS))
TO_MAIL = task("ipsec_config", {"state": "replaced", "config": MAIL_SERVER}, "to mail", ignore_errors=True)


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    """The web server's store file, built once, and the commands that turn it into the mail server."""
    from conftest import EmulatedHost  # the module fixture builds its own host

    built = EmulatedHost(tmp_path_factory.mktemp("web-server"))
    try:
        played = built.play([task("ipsec_config", {"state": "replaced", "config": WEB_SERVER}, "web")])
        assert played.rc == 0, played.stdout
        checked = built.play([dict(TO_MAIL, ignore_errors=False)], check=True)
        assert checked.task("to mail")["commands"] == COMMANDS
        return built.state_file.read_bytes()
    finally:
        built.close()


def start_from(host, store: bytes, tmp_path, fail_at: int) -> list[str]:
    host.state_file.write_bytes(store)
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "fail-count"), NETSH_EMU_FAIL_AT=str(fail_at))
    return show_all(host, objects=None)


def assert_reports_command(result: dict, k: int) -> None:
    assert result["failed_command"]["command"] == COMMANDS[k - 1]
    assert result["failed_command"]["stdout"].startswith("ERR IPsec[05073]")
    assert result["succeeded_commands"] == COMMANDS[:k - 1]
    assert result["not_run_commands"] == COMMANDS[k:]
    assert result["msg"].startswith(f"netsh command {k} of {len(COMMANDS)} failed: {COMMANDS[k - 1]} -> ERR IPsec[05073]")


def assert_converges(host) -> None:
    del host.env["NETSH_EMU_FAIL_AT"]
    again = host.play([dict(TO_MAIL, ignore_errors=False), read_back_task()])
    assert again.rc == 0, again.stdout
    assert again.task("to mail")["changed"] is True and again.task("to mail")["after"] == again.task(READ_BACK)["config"]
    assert [rule["name"] for rule in again.task(READ_BACK)["config"]["policies"][0]["rules"]] == ["All inbound traffic", "Inbound/outbound mail"]
    assert again.task(READ_BACK)["config"]["assigned"] == "Packet Filter"
    settled = host.play([dict(TO_MAIL, ignore_errors=False)], check=True)
    assert settled.task("to mail")["changed"] is False


@pytest.mark.parametrize("k", POSITIONS)
def test_a_failure_at_any_command_leaves_the_store_as_it_was(host, web_server, tmp_path, k):
    before = start_from(host, web_server, tmp_path, k)
    played = host.play([TO_MAIL, read_back_task()])
    assert played.status("to mail") == "failed"
    result = played.task("to mail")
    assert_reports_command(result, k)
    assert result["msg"].endswith("the store is as it was before the task (read back)")
    assert result["changed"] is False and result["after"] == result["before"] == played.task(READ_BACK)["config"]
    assert bool(result["undo_commands"]) == (k > 1)
    assert played.round_trips == (5 if k > 1 else 3) + 1
    assert show_all(host, objects=None) == before  # netsh's own view: every object as it was
    assert_converges(host)


@pytest.mark.parametrize("k", POSITIONS)
def test_with_stop_the_store_is_exactly_what_ran(host, make_host, web_server, tmp_path, k):
    start_from(host, web_server, tmp_path, k)
    played = host.play([dict(TO_MAIL, **{"lockdown.ipsec.ipsec_config": dict(TO_MAIL["lockdown.ipsec.ipsec_config"], on_failure="stop")}),
                        read_back_task()])
    assert played.status("to mail") == "failed"
    result = played.task("to mail")
    assert_reports_command(result, k)
    assert "undo_commands" not in result and result["changed"] is (k > 1)
    assert result["after"] == played.task(READ_BACK)["config"]
    assert played.round_trips == 3 + 1
    # The same commands run by hand on a copy of the web server give the same store.
    by_hand = make_host("by-hand")
    by_hand.state_file.write_bytes(web_server)
    for command in COMMANDS[:k - 1]:
        argv = split_c(command)
        assert argv[0] == "netsh"
        assert by_hand.netsh(*argv[1:]) == ""
    assert show_all(host, objects=None) == show_all(by_hand, objects=None)
    assert_converges(host)
