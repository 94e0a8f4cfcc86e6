# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files read back in a batch (the export of a write batch for ``backup_options.fetch_to``): the request,
the answer's shapes, the trace that withholds them, and what ``_engine.apply`` does with them."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import BackupFailed, OnFailure, Outcome, apply
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._trace import answer_trace
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import (
    BatchRequest, NetshRunner, ReadBack, TransportError, parse_answer,
)

MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
EXPORT = "C:\\Windows\\Temp\\before.ipsec"
ADD = ("ipsec", "static", "add", "policy", "name=P")


def answered(document: dict) -> str:
    return MARKER + base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii") + "\r\n"


def document(read_back=None, results=(), **more) -> dict:
    found = {"codepage": 437, "results": list(results), "files": [], "registry": None, **more}
    if read_back is not None:
        found["read_back"] = read_back
    return found


def parse(request: BatchRequest, doc: dict):
    return parse_answer(request, 0, answered(doc), "")


def ok(stdout: bytes = b"") -> dict:
    return {"rc": 0, "stdout": base64.b64encode(stdout).decode("ascii"), "stderr": ""}


READING = BatchRequest((), stop_on_error=False, read_back=[EXPORT, "b.bin"])


def test_the_request_names_the_files_only_when_there_are_some():
    assert READING.document()["read_back"] == [EXPORT, "b.bin"]
    assert "read_back" not in BatchRequest([ADD], stop_on_error=True).document()
    assert not READING.empty and BatchRequest((), stop_on_error=False).empty


def test_each_file_comes_back_as_bytes_or_as_the_hosts_words():
    answer = parse(READING, document([{"path": EXPORT, "data": base64.b64encode(b"\x00\xffexport").decode()},
                                      {"path": "b.bin", "error": "Could not find file 'b.bin'."}]))
    assert answer.read_back == (ReadBack(EXPORT, b"\x00\xffexport"), ReadBack("b.bin", None, "Could not find file 'b.bin'."))


def test_a_lone_file_object_is_a_list_of_one():
    request = BatchRequest((), stop_on_error=False, read_back=[EXPORT])
    assert parse(request, document({"path": EXPORT, "data": "eA=="})).read_back == (ReadBack(EXPORT, b"x"),)


def test_an_answer_to_a_request_without_files_may_leave_them_out_but_never_sends_one():
    request = BatchRequest([ADD], stop_on_error=True)
    assert parse(request, document(results=[ok()])).read_back == ()
    assert parse(request, document([], results=[ok()])).read_back == ()
    with pytest.raises(TransportError, match="read back 1 files, not the 0 asked for"):
        parse(request, document([{"path": EXPORT, "data": ""}], results=[ok()]))


@pytest.mark.parametrize("read_back, message", [
    (None, "lacks 'read_back' although files were to be read back"),
    ("x", "'read_back' of the netsh batch is not a list"),
    ([{"path": EXPORT, "data": ""}], "read back 1 files, not the 2 asked for"),
    ([{"path": "b.bin", "data": ""}, {"path": EXPORT, "data": ""}], "read back a file other than 'C:\\\\\\\\Windows"),
    ([{"path": EXPORT, "data": "", "error": "x"}, {"path": "b.bin", "data": ""}], "read back a file other than"),
    ([{"path": EXPORT}, {"path": "b.bin", "data": ""}], "read back a file other than"),
    (["C:\\x", "b.bin"], "read back a file other than"),
    ([{"path": EXPORT, "data": "not base64!"}, {"path": "b.bin", "data": ""}], "as something other than base64"),
    ([{"path": EXPORT, "data": 12}, {"path": "b.bin", "data": ""}], "as something other than base64"),
    ([{"path": EXPORT, "data": "eA==!"}, {"path": "b.bin", "data": ""}], "as something other than base64"),
    ([{"path": EXPORT, "error": 3}, {"path": "b.bin", "data": ""}], "error for 'C:"),
])
def test_an_answer_of_another_shape_is_refused(read_back, message):
    with pytest.raises(TransportError, match=message.replace("(", "\\(").replace(")", "\\)")):
        parse(READING, document(read_back))


def test_the_trace_withholds_the_content_of_files_read_back():
    traced = json.loads(answer_trace(document([{"path": EXPORT, "data": base64.b64encode(b"psk=secret").decode()},
                                               {"path": "b.bin", "error": "gone"}]), ["secret"]))
    assert traced["read_back"] == [
        {"path": EXPORT, "data": "(withheld: 16 characters of base64, a file that may hold pre-shared keys)"},
        {"path": "b.bin", "error": "gone"}]


class Host:
    """A host that answers write batches as the bootstrap does: it runs each command with ``netsh`` and
    reads back ``files``, and records every request."""

    def __init__(self, export_rc: int = 0, files: dict | None = None):
        self.export_rc, self.files, self.requests = export_rc, files or {}, []

    def __call__(self, command_line: str, stdin: bytes):
        request = json.loads(base64.b64decode(stdin.split(b"\r\n")[1]).decode("utf-8"))
        self.requests.append(request)
        failed_export = {**ok(b"ERR IPsec[05910] : no"), "rc": self.export_rc}
        results = [failed_export if "exportpolicy" in command and self.export_rc else ok() for command in request["commands"]]
        if self.export_rc:
            results = results[:1]
        read_back = [{"path": path, "data": base64.b64encode(self.files[path]).decode()} if path in self.files
                     else {"path": path, "error": f"Could not find file '{path}'."} for path in request.get("read_back", [])]
        return 0, answered(document(read_back, results)), ""


OUTCOME = Outcome(Store(), Store(), (), (ADD,))


def test_apply_hands_the_export_to_keep_backup_and_returns_its_warning():
    kept, host = [], Host(files={EXPORT: b"the store"})
    notes, rollback = apply(NetshRunner(host), OUTCOME, on_failure=OnFailure.ROLLBACK, backup_to=EXPORT,
                            keep_backup=lambda data: kept.append(data) or "kept, with a remark")
    assert rollback is None
    assert kept == [b"the store"] and notes == ("kept, with a remark",)
    assert host.requests[0]["read_back"] == [EXPORT] and host.requests[0]["commands"][0].startswith("ipsec static exportpolicy")
    assert apply(NetshRunner(Host(files={EXPORT: b""})), OUTCOME, on_failure=OnFailure.ROLLBACK, backup_to=EXPORT,
                 keep_backup=lambda data: None) == ((), None)


def test_apply_without_keep_backup_reads_nothing_back():
    host = Host(files={EXPORT: b"the store"})
    assert apply(NetshRunner(host), OUTCOME, on_failure=OnFailure.ROLLBACK, backup_to=EXPORT) == ((), None)
    assert "read_back" not in host.requests[0]


def test_an_export_that_cannot_be_read_back_is_a_warning_and_the_change_stands():
    kept = []
    notes, dummy = apply(NetshRunner(Host()), OUTCOME, on_failure=OnFailure.ROLLBACK, backup_to=EXPORT, keep_backup=kept.append)
    assert kept == [] and notes == (
        f"the store was exported to {EXPORT} on the host, but the file could not be read back to the controller: "
        f"Could not find file '{EXPORT}'.. The backup stays on the host only.",)


def test_a_failed_export_keeps_nothing_even_when_an_older_file_is_there():
    kept = []
    with pytest.raises(BackupFailed):
        apply(NetshRunner(Host(export_rc=1, files={EXPORT: b"an older export"})), OUTCOME, on_failure=OnFailure.ROLLBACK,
              backup_to=EXPORT, keep_backup=kept.append)
    assert kept == []
