# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetshRunner and the batch wire format, against plain-function hosts that answer like the bootstrap."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._bootstrap import BATCH_SCRIPT, STUB_SCRIPT
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import ValueKind
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import (
    BatchFailed,
    BatchRequest,
    CommandResult,
    FilesUnreadable,
    NetshRunner,
    TransportError,
    encoded_powershell,
    parse_batch_output,
    raise_for_failure,
)

MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
PREFIX = "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "

# A netsh stand-in: the quoted argument string in, (rc, stdout bytes, stderr) out.
Netsh = Callable[[str], tuple[int, bytes, str]]


def reply(results: list[dict], *, codepage: int = 437, noise: str = "", lone: bool = False, files: object = (), registry: object = None) -> str:
    """stdout as the bootstrap prints it: noise, then the marker and base64 JSON, then CRLF."""
    document = {"codepage": codepage, "results": results[0] if lone else results, "files": list(files) if isinstance(files, tuple) else files,
                "registry": registry}
    payload = base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii")
    return noise + MARKER + payload + "\r\n"


def result(rc: int = 0, stdout: bytes = b"", stderr: str = "") -> dict:
    return {"rc": rc, "stdout": base64.b64encode(stdout).decode("ascii"), "stderr": stderr}


def host(netsh: Netsh, *, codepage: int = 437, noise: str = "", calls: list | None = None):
    """An ``execute`` callable that behaves like PowerShell running the bootstrap.

    It insists on the exact command line, reads the request from stdin, runs ``netsh`` per command,
    stops like the bootstrap does, and unwraps one-element arrays like Windows PowerShell 5.1.
    """

    def execute(command_line: str, stdin: bytes) -> tuple[int, str, str]:
        assert command_line == PREFIX + base64.b64encode(STUB_SCRIPT.encode("utf-16-le")).decode("ascii")
        script, request_line = stdin.split(b"\r\n")[:2]
        assert base64.b64decode(script).decode("utf-8") == BATCH_SCRIPT
        request = json.loads(base64.b64decode(request_line).decode("utf-8"))
        if calls is not None:
            calls.append(request)
        results = []
        missing = [{"path": path, "error": f"Could not find file '{path}'."} for path in request["files"] if path.startswith("missing")]
        if missing:
            return 0, reply([], codepage=codepage, noise=noise, files=missing), ""
        for command in request["commands"]:
            rc, out, err = netsh(command)
            results.append(result(rc, out, err))
            if request["stop_on_error"] and (rc or b"ERR IPsec[" in out):
                break
        return 0, reply(results, codepage=codepage, noise=noise, lone=len(results) == 1), ""

    return execute


def echo(command: str) -> tuple[int, bytes, str]:
    return 0, f"ran {command}\r\n".encode("cp437"), ""


SHOW = [["ipsec", "static", "show", "policy", "all"], ["ipsec", "static", "show", "filterlist", "all"]]


class TestResults:
    def test_results_after_noise_lines(self) -> None:
        noise = "Windows PowerShell\r\nCopyright (C) Microsoft Corporation.\r\n\r\nWARNING: profile says hi\r\n"
        runner = NetshRunner(host(echo, noise=noise))
        results = runner.run_batch(SHOW, stop_on_error=False)
        assert results == (
            CommandResult(argv=tuple(SHOW[0]), rc=0, stdout="ran ipsec static show policy all\r\n", stderr=""),
            CommandResult(argv=tuple(SHOW[1]), rc=0, stdout="ran ipsec static show filterlist all\r\n", stderr=""),
        )
        assert not any(r.failed for r in results)

    def test_the_last_marker_wins(self) -> None:
        request = BatchRequest([["ipsec", "static", "show", "all"]], stop_on_error=False)
        stdout = f"{MARKER}not-base64!\r\n" + reply([result(0, b"real\r\n")])
        (only,) = parse_batch_output(request, 0, stdout, "")
        assert only.stdout == "real\r\n"

    def test_arguments_reach_netsh_quoted_once(self) -> None:
        seen: list[str] = []

        def netsh(command: str) -> tuple[int, bytes, str]:
            seen.append(command)
            return 0, b"", ""

        argv = ["ipsec", "static", "add", "policy", "name=100% %PATH% & Zürich ✓", 'description=a "b"']
        NetshRunner(host(netsh)).run_batch([argv], stop_on_error=True)
        assert seen == [join_c(argv)]

    def test_lone_result_object_is_unwrapped(self) -> None:
        # Windows PowerShell 5.1 ConvertTo-Json writes @(x) as x (execution.md §2.2, §3.3).
        request = BatchRequest([["ipsec", "static", "show", "all"]], stop_on_error=False)
        stdout = reply([result(0, b"one\r\n", "")], lone=True)
        assert json.loads(base64.b64decode(stdout[len(MARKER):].strip()))["results"]["rc"] == 0
        assert parse_batch_output(request, 0, stdout, "") == (
            CommandResult(argv=("ipsec", "static", "show", "all"), rc=0, stdout="one\r\n", stderr=""),
        )

    def test_null_stderr_reads_as_empty(self) -> None:
        request = BatchRequest([["ipsec", "static", "show", "all"]], stop_on_error=False)
        raw = {"rc": 0, "stdout": "", "stderr": None}
        assert parse_batch_output(request, 0, reply([raw]), "")[0].stderr == ""

    @pytest.mark.parametrize(
        ("stdout", "rc", "failed"),
        [
            ("", 0, False),
            ("\r\nERR IPsec[05072] : No Policies in Policy Store.\r\n", 0, True),
            ("", 1, True),
            ("Policy Name            : ERR IPsec", 0, False),
        ],
    )
    def test_failed(self, stdout: str, rc: int, failed: bool) -> None:
        assert CommandResult(argv=("x",), rc=rc, stdout=stdout, stderr="").failed is failed


class TestCodePages:
    @pytest.mark.parametrize(
        ("codepage", "codec", "text"),
        [
            (936, "gbk", "\r\n策略名称               : 测试策略\r\n描述                   : 无\r\n"),
            (437, "cp437", "\r\nPolicy Name            : Zürich ╔═╗ ½\r\n"),
            (850, "cp850", "\r\nDescription            : Genève façade\r\n"),
            (866, "cp866", "\r\nИмя политики           : Тест\r\n"),
            (1252, "cp1252", "\r\nDescription            : naïve – €\r\n"),
            (65001, "utf-8", "\r\nDescription            : Zürich ✓ 测试\r\n"),
        ],
    )
    def test_stdout_is_decoded_with_the_reported_code_page(self, codepage: int, codec: str, text: str) -> None:
        runner = NetshRunner(host(lambda command: (0, text.encode(codec), ""), codepage=codepage))
        (only,) = runner.run_batch([["ipsec", "static", "show", "all"]], stop_on_error=False)
        assert only.stdout == text

    def test_cp936_bytes_are_not_utf8(self) -> None:
        # Guards the test above: the cp936 case really exercises a non-UTF-8 decoding.
        with pytest.raises(UnicodeDecodeError):
            "测试策略".encode("gbk").decode("utf-8")

    def test_unknown_code_page_is_a_clear_error(self) -> None:
        runner = NetshRunner(host(echo, codepage=99999))
        with pytest.raises(TransportError, match="code page 99999"):
            runner.run_batch(SHOW, stop_on_error=False)

    def test_bytes_that_do_not_fit_the_code_page(self) -> None:
        runner = NetshRunner(host(lambda command: (0, b"\xff\xfe\xff", ""), codepage=65001))
        with pytest.raises(TransportError, match="utf-8"):
            runner.run_batch(SHOW[:1], stop_on_error=False)


class TestMissingMarker:
    def test_error_quotes_rc_stderr_and_the_head_of_stdout(self) -> None:
        stdout = "A" * 1500 + "B" * 1000
        stderr = "'PowerShell' is not recognized as an internal or external command"
        runner = NetshRunner(lambda command_line, stdin: (127, stdout, stderr))
        with pytest.raises(TransportError) as caught:
            runner.run_batch(SHOW, stop_on_error=False)
        message = str(caught.value)
        assert "exit code 127" in message
        assert stderr in message
        assert "A" * 1500 + "B" * 500 in message
        assert "B" * 501 not in message
        assert "500 more characters" in message
        assert "Is PowerShell available on the host?" in message
        assert "Windows host?" in message
        assert isinstance(caught.value, LockdownError)
        assert runner.round_trips == 1

    def test_short_stdout_is_quoted_whole(self) -> None:
        request = BatchRequest(SHOW, stop_on_error=False)
        with pytest.raises(TransportError, match="(?s)exit code 1.*CLIXML says no.*hello"):
            parse_batch_output(request, 1, "hello\r\n", "CLIXML says no")


class TestBrokenReplies:
    REQUEST = BatchRequest(SHOW, stop_on_error=False)

    @pytest.mark.parametrize(
        "stdout",
        [
            MARKER,
            MARKER + "\r\n",
            MARKER + "%%%\r\n",
            MARKER + base64.b64encode(b"\xff\xfe").decode() + "\r\n",
            MARKER + base64.b64encode(b"{not json").decode() + "\r\n",
            MARKER + base64.b64encode(b"[1, 2]").decode() + "\r\n",
            MARKER + base64.b64encode(b'{"codepage": 437}').decode() + "\r\n",
            MARKER + base64.b64encode(b'{"codepage": 437, "results": []}').decode() + "\r\n",
            MARKER + base64.b64encode(b'{"codepage": "437", "results": [], "files": []}').decode() + "\r\n",
            MARKER + base64.b64encode(b'{"codepage": 437, "results": 3, "files": []}').decode() + "\r\n",
            reply([result()] * 2, files=3),
            reply([result()] * 2, files=[{"path": "C:\\not-asked.ipsec", "error": "gone"}]),
            reply([result()] * 2, files=["C:\\x"]),
            reply([result()] * 2, files=[{"path": None, "error": "gone"}]),
            reply([{"rc": "0", "stdout": "", "stderr": ""}] * 2),
            reply([{"rc": 0, "stdout": "***", "stderr": ""}] * 2),
            reply([{"rc": 0, "stderr": ""}] * 2),
            reply(["no object"] * 2),
        ],
    )
    def test_malformed_payload(self, stdout: str) -> None:
        with pytest.raises(TransportError):
            parse_batch_output(self.REQUEST, 0, stdout, "")

    def test_more_results_than_commands(self) -> None:
        with pytest.raises(TransportError, match="3 results for 2 commands"):
            parse_batch_output(self.REQUEST, 0, reply([result()] * 3), "")

    def test_fewer_results_without_a_reason_to_stop(self) -> None:
        with pytest.raises(TransportError, match="1 results for 2 commands"):
            parse_batch_output(self.REQUEST, 0, reply([result()]), "")
        stopping = BatchRequest(SHOW, stop_on_error=True)
        with pytest.raises(TransportError, match="no reason to stop early"):
            parse_batch_output(stopping, 0, reply([result()]), "")
        assert len(parse_batch_output(stopping, 0, reply([result(rc=1)]), "")) == 1


class TestFilePreconditions:
    def test_files_travel_in_the_request_before_the_commands(self) -> None:
        calls: list = []
        runner = NetshRunner(host(echo, calls=calls))
        runner.run_batch(SHOW, stop_on_error=True, files=["C:\\backup.ipsec"])
        assert calls == [{"stop_on_error": True, "files": ["C:\\backup.ipsec"], "commands": [join_c(argv) for argv in SHOW], "registry": False}]
        assert list(calls[0]) == ["stop_on_error", "files", "commands", "registry"]

    def test_a_file_the_host_cannot_open_runs_nothing(self) -> None:
        ran: list = []
        runner = NetshRunner(host(lambda command: ran.append(command) or echo(command)))
        with pytest.raises(FilesUnreadable) as caught:
            runner.run_batch(SHOW, stop_on_error=True, files=["C:\\ok.ipsec", "missing.ipsec"])
        assert caught.value.failures == (("missing.ipsec", "Could not find file 'missing.ipsec'."),)
        assert str(caught.value) == "the host cannot read 'missing.ipsec': Could not find file 'missing.ipsec'.; nothing was run"
        assert ran == [] and runner.round_trips == 1

    def test_a_lone_failure_object_is_a_list_of_one(self) -> None:
        request = BatchRequest(SHOW, stop_on_error=False, files=["a.ipsec"])
        with pytest.raises(FilesUnreadable) as caught:
            parse_batch_output(request, 0, reply([], files={"path": "a.ipsec", "error": None}), "")
        assert caught.value.failures == (("a.ipsec", ""),)
        assert "'a.ipsec': cannot be opened" in str(caught.value)

    def test_files_are_given_by_keyword(self) -> None:
        with pytest.raises(TypeError):
            BatchRequest(SHOW, ["a.ipsec"], stop_on_error=False)  # type: ignore[misc]  # pylint: disable=too-many-function-args

    def test_a_file_must_be_a_string_without_nul(self) -> None:
        with pytest.raises(TypeError):
            BatchRequest(SHOW, stop_on_error=False, files=[3])
        with pytest.raises(ValueError):
            BatchRequest(SHOW, stop_on_error=False, files=["a\0b"])

    def test_a_write_marks_the_runner_before_it_is_sent(self) -> None:
        def broken(command_line: str, stdin: bytes) -> tuple[int, str, str]:
            raise ConnectionResetError("cut off")

        runner = NetshRunner(broken)
        with pytest.raises(ConnectionResetError):
            runner.run_batch(SHOW, stop_on_error=False)
        assert runner.write_pending is False and runner.last_write == ()
        with pytest.raises(ConnectionResetError):
            runner.run_batch(WRITES, stop_on_error=True)
        assert runner.write_pending is True and runner.wrote is False
        assert runner.last_write == tuple(tuple(argv) for argv in WRITES)

    def test_an_answered_write_is_no_longer_pending(self) -> None:
        runner = NetshRunner(host(echo))
        runner.run_batch(WRITES, stop_on_error=True)
        assert runner.write_pending is False and runner.wrote is True
        with pytest.raises(FilesUnreadable):
            runner.run_batch(WRITES, stop_on_error=True, files=["missing.ipsec"])
        assert runner.write_pending is False

    def test_a_write_that_ran_nothing_wrote_nothing(self) -> None:
        runner = NetshRunner(host(echo))
        with pytest.raises(FilesUnreadable):
            runner.run_batch(WRITES, stop_on_error=True, files=["missing.ipsec"])
        assert runner.write_pending is False and runner.wrote is False

    def test_an_unreadable_answer_leaves_the_write_pending(self) -> None:
        runner = NetshRunner(lambda command_line, stdin: (0, "no marker here", ""))
        with pytest.raises(TransportError):
            runner.run_batch(WRITES, stop_on_error=True)
        assert runner.write_pending is True


WRITES = [
    ["ipsec", "static", "add", "policy", "name=Lockdown"],
    ["ipsec", "static", "add", "filterlist", "name=RDP from jump hosts"],
    ["ipsec", "static", "add", "filter", "filterlist=Missing list", "srcaddr=any", "dstaddr=me"],
    ["ipsec", "static", "add", "filteraction", "name=Block", "action=block"],
    ["ipsec", "static", "set", "policy", "name=Lockdown", "assign=yes"],
]


class TestWriteBatch:
    @staticmethod
    def netsh_failing_on(fragment: str, rc: int) -> Netsh:
        def netsh(command: str) -> tuple[int, bytes, str]:
            if fragment in command:
                return rc, b"ERR IPsec[05049] : Filter List with the specified name does not exist.\r\n", ""
            return 0, b"", ""

        return netsh

    @pytest.mark.parametrize("rc", [0, 1])
    def test_failure_in_the_middle_stops_and_is_reported_exactly(self, rc: int) -> None:
        calls: list[dict] = []
        runner = NetshRunner(host(self.netsh_failing_on("Missing list", rc), calls=calls))
        results = runner.run_batch(WRITES, stop_on_error=True)
        assert calls[0]["stop_on_error"] is True
        assert [r.argv for r in results] == [tuple(argv) for argv in WRITES[:3]]
        with pytest.raises(BatchFailed) as caught:
            raise_for_failure(results, requested=WRITES)
        failure = caught.value
        assert [r.argv for r in failure.succeeded] == [tuple(WRITES[0]), tuple(WRITES[1])]
        assert failure.failed.argv == tuple(WRITES[2])
        assert failure.failed.rc == rc
        assert failure.failed.stdout == "ERR IPsec[05049] : Filter List with the specified name does not exist.\r\n"
        assert failure.not_run == (tuple(WRITES[3]), tuple(WRITES[4]))
        assert isinstance(failure, LockdownError)
        message = str(failure)
        assert f"netsh command 3 of 5 failed with exit code {rc}" in message
        assert 'netsh ipsec static add filter "filterlist=Missing list" srcaddr=any dstaddr=me' in message
        assert "ERR IPsec[05049]" in message
        assert 'netsh ipsec static add filterlist "name=RDP from jump hosts"' in message
        assert "netsh ipsec static set policy name=Lockdown assign=yes" in message
        assert message.index("succeeded before it (2)") < message.index("not run (2)")

    def test_failure_of_the_last_command_has_nothing_not_run(self) -> None:
        runner = NetshRunner(host(self.netsh_failing_on("assign=yes", 1)))
        results = runner.run_batch(WRITES, stop_on_error=True)
        with pytest.raises(BatchFailed) as caught:
            raise_for_failure(results, requested=WRITES)
        assert len(caught.value.succeeded) == 4
        assert caught.value.not_run == ()
        assert "not run (0): (none)" in str(caught.value)

    def test_failure_of_the_first_command(self) -> None:
        runner = NetshRunner(host(self.netsh_failing_on("name=Lockdown", 1)))
        results = runner.run_batch(WRITES, stop_on_error=True)
        with pytest.raises(BatchFailed) as caught:
            raise_for_failure(results, requested=WRITES)
        assert caught.value.succeeded == ()
        assert caught.value.failed.argv == tuple(WRITES[0])
        assert len(caught.value.not_run) == 4

    def test_success_raises_nothing(self) -> None:
        results = NetshRunner(host(echo)).run_batch(WRITES, stop_on_error=True)
        assert raise_for_failure(results, requested=WRITES) is None

    def test_results_of_another_batch_are_a_programming_error(self) -> None:
        results = NetshRunner(host(echo)).run_batch(WRITES, stop_on_error=True)
        with pytest.raises(ValueError):
            raise_for_failure(results, requested=SHOW)
        with pytest.raises(ValueError):
            raise_for_failure(results[:2], requested=WRITES)

    def test_results_past_a_failure_are_a_programming_error(self) -> None:
        results = NetshRunner(host(self.netsh_failing_on("Missing list", 1))).run_batch(WRITES, stop_on_error=False)
        assert len(results) == 5
        with pytest.raises(ValueError, match="stop_on_error"):
            raise_for_failure(results, requested=WRITES)


class TestRoundTrips:
    def test_one_call_per_batch(self) -> None:
        calls: list[dict] = []
        runner = NetshRunner(host(echo, calls=calls))
        assert runner.round_trips == 0
        runner.run_batch(SHOW, stop_on_error=False)
        assert runner.round_trips == 1
        runner.run_batch(WRITES * 40, stop_on_error=True)
        assert runner.round_trips == 2
        assert [len(call["commands"]) for call in calls] == [2, 200]

    def test_empty_batch_makes_no_call(self) -> None:
        def execute(command_line: str, stdin: bytes) -> tuple[int, str, str]:
            raise AssertionError("an empty batch must not reach the host")

        runner = NetshRunner(execute)
        assert runner.run_batch([], stop_on_error=True) == ()
        assert runner.round_trips == 0

    def test_unsendable_batch_makes_no_call(self) -> None:
        runner = NetshRunner(host(echo))
        with pytest.raises(ValueError, match="NUL"):
            runner.run_batch([["ipsec", "static", "add", "policy", "name=a\0b"]], stop_on_error=True)
        with pytest.raises(TypeError):
            runner.run_batch(["ipsec static show all"], stop_on_error=True)
        assert runner.round_trips == 0

    def test_host_errors_pass_through(self) -> None:
        class Unreachable(Exception):
            pass

        def execute(command_line: str, stdin: bytes) -> tuple[int, str, str]:
            raise Unreachable("winrm connection refused")

        runner = NetshRunner(execute)
        with pytest.raises(Unreachable):
            runner.run_batch(SHOW, stop_on_error=False)
        assert runner.round_trips == 1


REGISTRY = {
    "local": {
        "values": {"name": "ActivePolicy", "kind": "String", "data": "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\ipsecPolicy{1}"},
        "keys": [{"name": "ipsecPolicy{1}", "values": [
            {"name": "ipsecData", "kind": "Binary", "data": base64.b64encode(b"\x01\x02").decode()},
            {"name": "whenChanged", "kind": "DWord", "data": -1},
            {"name": "ipsecNFAReference", "kind": "MultiString", "data": "only one"},
            {"name": "big", "kind": "QWord", "data": -2},
            {"name": "path", "kind": "ExpandString", "data": "%SystemRoot%"},
        ]}],
    },
    "group_policy": None,
}


def registry_host(payload: object, calls: list):
    def execute(command_line: str, stdin: bytes) -> tuple[int, str, str]:
        request = json.loads(base64.b64decode(stdin.split(b"\r\n")[1]))
        calls.append(request)
        return 0, reply([], registry=payload if request["registry"] else None), ""

    return execute


class TestRegistryAnswers:
    def test_a_registry_read_alone_is_one_round_trip_with_the_keys(self) -> None:
        calls: list = []
        runner = NetshRunner(registry_host(REGISTRY, calls))
        answer = runner.run(BatchRequest((), stop_on_error=False, registry=True))
        assert runner.round_trips == 1 and calls[0]["registry"] is True and answer.results == ()
        local = answer.registry_snapshot().local
        assert local.value("activepolicy").data.endswith("ipsecPolicy{1}") and answer.registry_snapshot().group_policy is None
        (policy,) = answer.registry_snapshot().objects
        assert policy.value("ipsecData").data == b"\x01\x02"
        assert policy.value("whenChanged").data == 2**32 - 1  # .NET sends a REG_DWORD signed
        assert policy.value("big").data == 2**64 - 2
        assert policy.value("ipsecNFAReference").data == ("only one",)  # a list of one, unwrapped
        assert policy.value("path").kind is ValueKind.EXPAND_STRING and policy.value("path").data == "%SystemRoot%"

    def test_an_empty_request_asks_nothing(self) -> None:
        calls: list = []
        assert NetshRunner(registry_host(REGISTRY, calls)).run(BatchRequest((), stop_on_error=False)).registry_payload is None
        assert calls == []

    @pytest.mark.parametrize("payload, words", [
        ({"local": None}, "expected an object with 'local' and 'group_policy'"),
        ({"local": {"values": [{"name": "x", "kind": "Nope", "data": 1}]}, "group_policy": None}, "known kind"),
        ({"local": {"values": [{"name": "x", "kind": "Binary", "data": "%%"}]}, "group_policy": None}, "not base64"),
        ({"local": {"values": [{"name": "x", "kind": "DWord", "data": "1"}]}, "group_policy": None}, "expected a number"),
        ({"local": {"values": [{"name": "x", "kind": "String", "data": 1}]}, "group_policy": None}, "expected a string"),
        ({"local": {"values": [], "keys": [{"values": []}]}, "group_policy": None}, "a subkey without a name"),
        ({"local": {"values": [{"name": "x", "kind": "MultiString", "data": [1]}]}, "group_policy": None}, "non-string"),
        ({"local": {"values": [{"name": "x", "kind": "String", "data": "a"}, {"name": "X", "kind": "String", "data": "b"}]},
          "group_policy": None}, "given twice"),
    ])
    def test_a_malformed_registry_answer_is_a_transport_error(self, payload, words) -> None:
        with pytest.raises(TransportError, match=words):
            NetshRunner(registry_host(payload, [])).run(BatchRequest((), stop_on_error=False, registry=True)).registry_snapshot()

    def test_without_the_local_store_only_the_group_policy_key_is_read(self) -> None:
        payload = {"local": {"values": [{"name": "odd", "kind": "None", "data": [1]}]},
                   "group_policy": {"values": [{"name": "DSPath", "kind": "String", "data": "LDAP://x"}]}}
        answer = NetshRunner(registry_host(payload, [])).run(BatchRequest((), stop_on_error=False, registry=True))
        snapshot = answer.registry_snapshot(local=False)
        assert snapshot.local is None and snapshot.objects == () and snapshot.group_policy.value("dspath").data == "LDAP://x"
        with pytest.raises(TransportError, match="known kind"):
            answer.registry_snapshot()

    def test_no_keys_although_asked_is_refused(self) -> None:
        with pytest.raises(TransportError, match="no registry keys although they were asked for"):
            parse_batch_output(BatchRequest((), stop_on_error=False, registry=True), 0, reply([], registry=None), "")

    def test_keys_nobody_asked_for_are_refused(self) -> None:
        request = BatchRequest(SHOW, stop_on_error=False)
        with pytest.raises(TransportError, match="registry keys it was not asked for"):
            parse_batch_output(request, 0, reply([result()] * 2, registry=REGISTRY), "")

    def test_the_log_hears_the_request_with_keys_hidden_and_how_the_answer_came(self) -> None:
        heard: list = []
        runner = NetshRunner(host(echo), log=heard.append)
        runner.run_batch([["ipsec", "static", "set", "rule", "name=r", "psk=my secret key"]], stop_on_error=True)
        assert heard[0].startswith('round trip 1: request {"stop_on_error": true, "files": [], "commands": ["ipsec static set rule name=r psk=********"]')
        assert "my secret" not in " ".join(heard)
        assert heard[1].startswith("round trip 1: answer with exit code 0, ")
        # What netsh printed, decoded, with the request's keys hidden (here netsh echoes the command).
        prefix = "round trip 1: what the host sent (pre-shared keys hidden): "
        assert len(heard) == 3 and heard[2].startswith(prefix)
        shown = json.loads(heard[2][len(prefix):])
        assert shown["results"] == [{"rc": 0, "stdout": 'ran ipsec static set rule name=r "psk=********"\r\n', "stderr": ""}]
        runner = NetshRunner(lambda command_line, stdin: (1, "no marker", "boom"), log=heard.append)
        with pytest.raises(TransportError):
            runner.run_batch(SHOW, stop_on_error=False)
        assert heard[-1] == "round trip 1: answer with exit code 1, 9 characters of stdout, 4 of stderr; stdout: 'no marker'; stderr: 'boom'"


class TestRequest:
    def test_stdin_is_the_script_then_the_request_as_base64_lines(self) -> None:
        argv = ["ipsec", "static", "add", "policy", "name=Zürich ✓ 测试", "description="]
        request = BatchRequest([argv], stop_on_error=True, registry=True)
        script, line, tail = request.stdin().split("\r\n")
        assert tail == "" and "\n" not in script + line
        assert base64.b64decode(script).decode("utf-8") == BATCH_SCRIPT
        assert json.loads(base64.b64decode(line).decode("utf-8")) == {
            "stop_on_error": True,
            "files": [],
            "commands": [join_c(argv)],
            "registry": True,
        }

    def test_request_is_frozen_and_normalised(self) -> None:
        request = BatchRequest([["a", "b"], ("c",)], stop_on_error=0)
        assert request.commands == (("a", "b"), ("c",))
        assert request.stop_on_error is False
        with pytest.raises(AttributeError):
            request.commands = ()  # type: ignore[misc]

    def test_stop_on_error_must_be_given_by_keyword(self) -> None:
        with pytest.raises(TypeError):
            BatchRequest([["a"]], True)  # type: ignore[misc]  # pylint: disable=missing-kwoa
        with pytest.raises(TypeError):
            BatchRequest([["a"]])  # type: ignore[call-arg]  # pylint: disable=missing-kwoa

    def test_encoded_powershell(self) -> None:
        line = encoded_powershell("Write-Output 'ü'")
        assert line.startswith(PREFIX)
        assert base64.b64decode(line[len(PREFIX):]).decode("utf-16-le") == "Write-Output 'ü'"
        assert BatchRequest([], stop_on_error=False).command_line() == encoded_powershell(STUB_SCRIPT)
