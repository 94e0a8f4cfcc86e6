# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the host in one round trip, from the registry or from netsh's show text, against the
emulated host: the same HostState both ways, ``files`` and ``then`` honoured, the Group Policy key read
on both paths, and the answer in the runner's log with pre-shared keys hidden (withheld when the read
could not be decoded)."""

from __future__ import annotations

import base64
import json
import re
import shlex
from pathlib import Path

import pytest
from netsh_emulator import run_netsh, run_powershell

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _read
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import LockdownError, NetshParseError, PlanError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Action, DefaultResponseRule, FilterAction, FilterList, Policy, Rule, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import READ_COMMANDS
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._read import HostState, ReadFrom, decoded_trace, gather, read_host, read_store, refuse_unshowable
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_blob import RegistryDecodeError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import DomainPolicy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._trace import HIDDEN, answer_trace, secrets_of
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchAnswer, CommandResult, FilesUnreadable, NetshRunner, TransportError

# What a failed read's message ends with: where to find the raw answer, and for a registry read the other way to read.
HINT = " (run the task with -vvvv to see what the host sent)"
REGISTRY_HINT = " (run the task with -vvvv to see what the host sent; read_from: netsh reads the store through netsh instead)"
MARKER = "<<LOCKDOWN-IPSEC-RESULT>>"
HIDDEN_PREFIX = "round trip 1: what the host sent (pre-shared keys hidden): "
WITHHELD_PREFIX = "round trip 1: what the host sent (pre-shared keys withheld): "
DECODED_PREFIX = "round trip 1: decoded into (pre-shared keys hidden): "
WITHHELD = "(withheld: {} bytes of a rule, which may hold a pre-shared key in clear)"
KEYS = ("Default-Key-0", "xKey-1x", "Key-1")  # longest first; "Key-1" is inside "xKey-1x"
W2K = Path(__file__).resolve().parents[2] / "fixtures" / "registry" / "win2000_vpnease_template_rendered_ipsec.reg"
W2K_KEY = "example-psk"
LDAP = "LDAP://CN=ipsecPolicy{5A1E0000-0000-4000-8000-000000000001},CN=IP Security,CN=System,DC=corp,DC=example"
THEN = (("ipsec", "static", "show", "filterlist", "name=Web"), ("ipsec", "static", "show", "filteraction", "name=Secure"))
PATHS = [ReadFrom.REGISTRY.value, ReadFrom.NETSH.value]


@pytest.fixture
def host(tmp_path):
    """An ``execute`` for a fresh emulated host. ``host.env`` holds its settings, ``host.answers`` every
    stdout it gave, and the emulator logs each round trip to ``host.env["NETSH_EMU_PS_LOG"]``."""
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json"), "NETSH_EMU_PS_LOG": str(tmp_path / "round-trips.log"),
           "NETSH_EMU_GUID_MODE": "sequential", "NETSH_EMU_NOW": "2024-01-02T03:04:05"}
    answers = []

    def execute(command: str, stdin: bytes):
        argv = shlex.split(command)
        assert argv[0] == "PowerShell"
        rc, out, err = run_powershell(argv[1:], stdin, env)
        answers.append(out.decode("utf-8"))
        return rc, out.decode("utf-8"), err.decode("utf-8")

    execute.env, execute.answers, execute.tmp = env, answers, tmp_path
    return execute


def netsh(host, *argv: str) -> bytes:
    rc, out, err = run_netsh(["ipsec", "static", *argv], host.env)
    assert rc == 0, (argv, out, err)
    return out


def corp(host, *, key: str = "Key-1") -> None:
    """A store with pre-shared keys in a rule, in a rule with Kerberos after it, and in the default response rule."""
    netsh(host, "add", "filterlist", "name=Web")
    netsh(host, "add", "filter", "filterlist=Web", "srcaddr=any", "dstaddr=me", "protocol=tcp", "dstport=443")
    netsh(host, "add", "filteraction", "name=Secure", "action=negotiate", "qmsecmethods=ESP[3DES,SHA1]")
    netsh(host, "add", "policy", "name=Corp")
    netsh(host, "set", "defaultrule", "policy=Corp", "psk=Default-Key-0")
    netsh(host, "add", "rule", "name=Inner", "policy=Corp", "filterlist=Web", "filteraction=Secure", f"psk={key}")
    netsh(host, "add", "rule", "name=Outer", "policy=Corp", "filterlist=Web", "filteraction=Secure", "psk=xKey-1x", "kerberos=yes")
    netsh(host, "set", "policy", "name=Corp", "assign=yes")


def reader(host, read_from: str):
    """A runner reading ``read_from``, and the list its log lines go to."""
    heard: list = []
    return NetshRunner(host, read_from=read_from, log=heard.append), heard


def round_trips(host) -> list:
    """The requests the emulated host received, one per round trip."""
    log = Path(host.env["NETSH_EMU_PS_LOG"])
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []


def document(stdout: str) -> dict:
    """The answer document in a stdout of the fake PowerShell."""
    return json.loads(base64.b64decode(stdout[stdout.rindex(MARKER) + len(MARKER):].split()[0]))


def logged(heard: list, prefix: str) -> dict:
    """The JSON of the last log line that starts with ``prefix``."""
    lines = [line for line in heard if line.startswith(prefix)]
    assert lines, [line[:120] for line in heard]
    return json.loads(lines[-1][len(prefix):])


def utf16_hex(text: str) -> str:
    return text.encode("utf-16-le").hex(" ")


def assert_no_key_in(heard: list, keys) -> None:
    log = "\n".join(heard)
    for key in keys:
        assert key not in log and utf16_hex(key) not in log


def registry_file(host, text: str) -> None:
    path = host.tmp / "host.reg"
    path.write_text(text, encoding="utf-8")
    host.env["NETSH_EMU_REGISTRY_FILE"] = str(path)


def w2k_with(old: str, new: str) -> str:
    """The W2K sample with one piece of text replaced."""
    text = W2K.read_text("utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


# --- the two ways agree ---------------------------------------------------------------------------------


@pytest.mark.parametrize("settings", [{}, {"NETSH_EMU_CODEPAGE": "850"}, {"NETSH_EMU_CODEPAGE": "65001"}])
def test_both_ways_read_the_same_host_state(host, settings):
    host.env.update(settings)
    corp(host)
    states = {path: read_host(reader(host, path)[0])[0] for path in PATHS}
    assert states["registry"] == states["netsh"]
    state = states["registry"]
    assert state.codepage == int(settings.get("NETSH_EMU_CODEPAGE", 437)) and state.domain_policy is None
    assert sorted(state.store.filter_lists) == ["Web"] and sorted(state.store.filter_actions) == ["Secure"]
    assert state.store.assigned_policy == "Corp" and [rule.name for rule in state.store.policies["Corp"].rules] == ["Inner", "Outer"]
    assert secrets_of(state.store) == KEYS


def test_an_empty_host_reads_as_an_empty_store_both_ways(host):
    for path in PATHS:
        assert read_host(reader(host, path)[0]) == (HostState(Store(), None, 437), ())


@pytest.mark.parametrize("path", PATHS)
def test_one_round_trip_with_files_then_the_read_then_the_commands(host, path):
    corp(host)
    present = host.tmp / "present.txt"
    present.write_text("x")
    runner, dummy = reader(host, path)
    state, others = read_host(runner, files=[str(present)], then=THEN)
    assert runner.round_trips == 1 and len(host.answers) == 1
    commands = THEN if path == "registry" else (*READ_COMMANDS, *THEN)
    assert round_trips(host) == [{"commands": [join_c(argv) for argv in commands], "stop_on_error": False,
                                  "files": [str(present)], "registry": True}]
    assert [result.argv for result in others] == list(THEN)
    assert [result.stdout for result in others] == [netsh(host, *argv[2:]).decode("cp437") for argv in THEN]
    assert others[0].stdout.startswith("\r\nFilterList Name        : Web\r\n") and state.store.assigned_policy == "Corp"


def test_then_comes_back_the_same_both_ways_failures_included(host):
    corp(host)
    then = (("ipsec", "static", "show", "filterlist", "name=Missing"), *THEN)
    registry, netsh_path = (read_host(reader(host, path)[0], then=then) for path in PATHS)
    assert registry == netsh_path
    missing = registry[1][0]
    assert missing.argv == then[0] and missing.failed and "ERR IPsec[" in missing.stdout


@pytest.mark.parametrize("path", PATHS)
def test_a_file_the_host_cannot_open_stops_everything(host, path):
    corp(host)
    export = host.tmp / "export.ipsec"
    missing = str(host.tmp / "missing.ipsec")
    runner, heard = reader(host, path)
    with pytest.raises(FilesUnreadable) as caught:
        read_host(runner, files=[missing], then=[("ipsec", "static", "exportpolicy", f"file={export}")])
    assert [failure[0] for failure in caught.value.failures] == [missing]
    assert not export.exists() and runner.round_trips == 1
    assert not any("what the host sent" in line for line in heard)


@pytest.mark.parametrize("path", PATHS)
def test_then_runs_after_the_read_in_the_same_round_trip(host, path):
    corp(host)
    export = host.tmp / "export.ipsec"
    runner, dummy = reader(host, path)
    state, (exported,) = read_host(runner, then=[("ipsec", "static", "exportpolicy", f"file={export}")])
    assert exported.rc == 0 and not exported.failed and export.exists() and runner.round_trips == 1
    assert sorted(json.loads(export.read_text("utf-8"))["store"]) and state.store.assigned_policy == "Corp"


def test_gather_is_the_store_of_one_read(host):
    corp(host)
    present = host.tmp / "present.txt"
    present.write_text("x")
    for path in PATHS:
        runner, dummy = reader(host, path)
        assert gather(runner, files=[str(present)]) == read_host(reader(host, path)[0])[0].store
        assert runner.round_trips == 1
    assert [request["files"] for request in round_trips(host)] == [[str(present)], [], [str(present)], []]


def test_read_from_must_be_registry_or_netsh(host):
    with pytest.raises(ValueError, match="'wmi' is not a valid ReadFrom"):
        read_host(NetshRunner(host, read_from="wmi"))
    assert host.answers == []


# --- Group Policy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_the_domain_policy_comes_from_the_registry_on_both_paths(host, path):
    corp(host)
    host.env["NETSH_EMU_GROUP_POLICY"] = json.dumps({"DSIPSECPolicyPath": LDAP, "DSIPSECPolicyName": "Corp"})
    state, dummy = read_host(reader(host, path)[0])
    assert state.domain_policy == DomainPolicy("Corp", LDAP) and state.store.assigned_policy == "Corp"


def test_on_the_netsh_path_only_the_group_policy_key_of_the_registry_is_used(host):
    corp(host)
    # The registry's Policy\Local would not decode (and holds another store); netsh's text is what counts.
    registry_file(host, w2k_with("hex:63,21,20,22,4c,4f,d1,11,86,3b,00,a0,24,8d,30,21,04,00,00,00,30,\\\n  2a,00,00,00", "hex:00"))
    host.env["NETSH_EMU_GROUP_POLICY"] = json.dumps({"DSIPSECPolicyPath": LDAP})
    runner, heard = reader(host, "netsh")
    state, dummy = read_host(runner)
    assert state.domain_policy == DomainPolicy("", LDAP)
    assert state.store.assigned_policy == "Corp" and "VPNease Policy 192.0.2.1" not in state.store.policies
    assert heard[-2].startswith(HIDDEN_PREFIX) and heard[-1].startswith(DECODED_PREFIX)
    with pytest.raises(RegistryDecodeError):
        read_host(reader(host, "registry")[0])


@pytest.mark.parametrize("path", PATHS)
def test_no_domain_policy_without_a_policy_path(host, path):
    host.env["NETSH_EMU_GROUP_POLICY"] = json.dumps({"DSIPSECPolicyName": "Corp"})
    assert read_host(reader(host, path)[0])[0].domain_policy is None


# --- the trace of a read that worked --------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_a_read_logs_the_answer_with_every_key_hidden(host, path):
    corp(host)
    runner, heard = reader(host, path)
    state, dummy = read_host(runner, then=THEN)
    assert heard[0].startswith("round trip 1: request ") and heard[1].startswith("round trip 1: answer with exit code 0")
    assert len(heard) == 4 and heard[3] == DECODED_PREFIX + decoded_trace(state)
    assert json.loads(heard[3][len(DECODED_PREFIX):])["store"] == store_to_data(state.store)  # keys as ********
    trace = logged(heard, HIDDEN_PREFIX)
    assert trace == json.loads(answer_trace(document(host.answers[0]), KEYS, local=path == "registry"))
    assert_no_key_in(heard, KEYS)
    if path == "netsh":  # the store's keys are neither read nor shown on this path
        assert trace["registry"]["local"].startswith("(not read") and trace["registry"]["group_policy"] is None
        policies = trace["results"][0]["stdout"]
        assert policies.count(f"Preshared Key = {HIDDEN}") == 3 and f"Preshared Key = {HIDDEN}x" not in policies
        assert len(trace["results"]) == len(READ_COMMANDS) + len(THEN)
        return
    blobs = [bytes.fromhex(value["data"]) for key in trace["registry"]["local"]["keys"] if key["name"].startswith("ipsecNFA")
             for value in key["values"] if value["kind"] == "Binary"]
    # Each rule blob holds its key (in the base list and again in the Vista+ extension), one UTF-16 "*" per character.
    hidden = [{len(run) // 2 for run in re.findall(rb"(?:\*\x00)+", blob)} for blob in blobs]
    assert all(len(lengths) <= 1 for lengths in hidden)
    assert sorted(length for lengths in hidden for length in lengths) == sorted(len(key) for key in KEYS)


# --- the trace of a read that failed --------------------------------------------------------------------


def _withheld_as_expected(heard: list, raw: dict) -> None:
    """The log's last line is the withheld trace of ``raw``: rule blobs replaced by their length, other blobs in hex."""
    trace = logged(heard, WITHHELD_PREFIX)
    for key, shown in zip(raw["registry"]["local"]["keys"], trace["registry"]["local"]["keys"]):
        assert shown["name"] == key["name"]
        for value, seen in zip(key["values"], shown["values"]):
            if value["kind"] != "Binary":
                continue
            data = base64.b64decode(value["data"])
            assert seen["data"] == (WITHHELD.format(len(data)) if key["name"].lower().startswith("ipsecnfa") else data.hex(" "))


def test_a_store_the_registry_decoder_refuses_raises_with_the_hint_and_logs_the_withheld_answer(host):
    corp(host)
    netsh(host, "add", "filter", "filterlist=Web", "srcaddr=2001:db8::1", "dstaddr=any")  # an IPv6 filter: a V2 block
    runner, heard = reader(host, "registry")
    with pytest.raises(RegistryDecodeError) as caught:
        read_host(runner)
    error = caught.value
    assert error.key.startswith("ipsecFilter{") and error.field == "Filter-Policy-ID2" and error.offset is not None
    assert str(error) == f"cannot decode registry key {error.key!r}: {error.field} at byte offset {error.offset}: {error.reason}{REGISTRY_HINT}"
    assert len(heard) == 3 and "(pre-shared keys hidden)" not in heard[-1]
    _withheld_as_expected(heard, document(host.answers[0]))
    assert_no_key_in(heard, KEYS)
    assert read_host(reader(host, "netsh")[0])[0].store.filter_lists["Web"].filters[-1].source.value == "2001:db8::1"


def test_a_garbage_blob_in_the_registry_raises_with_the_hint_and_withholds_the_rules(host):
    registry_file(host, w2k_with("hex:63,21,20,22,4c,4f,d1,11,86,3b,00,a0,24,8d,30,21,04,00,00,00,30,\\\n  2a,00,00,00", "hex:de,ad,be,ef"))
    runner, heard = reader(host, "registry")
    with pytest.raises(RegistryDecodeError) as caught:
        read_host(runner)
    assert caught.value.key == "ipsecPolicy{00000001-0000-4000-8000-000000000001}" and str(caught.value).endswith(REGISTRY_HINT)
    trace = logged(heard, WITHHELD_PREFIX)
    rules = {key["name"]: key["values"] for key in trace["registry"]["local"]["keys"]}
    assert {"name": "ipsecData", "kind": "Binary", "data": WITHHELD.format(85)} in rules["ipsecNFA{00000007-0000-4000-8000-000000000007}"]
    assert {"name": "ipsecData", "kind": "Binary", "data": "de ad be ef"} in rules["ipsecPolicy{00000001-0000-4000-8000-000000000001}"]
    _withheld_as_expected(heard, document(host.answers[0]))
    assert_no_key_in(heard, [W2K_KEY])


def test_show_text_the_parser_refuses_raises_with_the_hint_and_logs_key_lines_cut(host):
    host.env["NETSH_EMU_LANG"] = "zh-CN"  # only the filter-list labels of zh-CN are known
    corp(host)
    runner, heard = reader(host, "netsh")
    with pytest.raises(NetshParseError) as caught:
        read_host(runner)
    error = caught.value
    assert error.command == "netsh ipsec static show policy all level=verbose" and error.line
    where = f" in line {error.line!r}"
    assert str(error) == f"cannot read the output of {error.command!r}: {error.reason}{where}{HINT}"
    trace = logged(heard, WITHHELD_PREFIX)
    assert re.findall(r"Preshared Key[^\r\n]*", trace["results"][0]["stdout"]) == [f"Preshared Key {HIDDEN}"] * 3
    assert trace["registry"]["local"].startswith("(not read")  # the netsh path reads the Group Policy key only
    assert_no_key_in(heard, KEYS)
    assert trace["codepage"] == 936 and "\u7b5b\u9009\u5668" in trace["results"][1]["stdout"]  # decoded as GBK


class _Answering:
    """A runner that hands back one prepared answer (what a transport could give)."""

    def __init__(self, answer: BatchAnswer, read_from: str = "registry") -> None:
        self.answer, self.read_from, self.round_trips, self.heard = answer, read_from, 0, []
        self.tracing = True

    def log(self, message: str) -> None:
        self.heard.append(message)

    def run(self, request):
        self.round_trips += 1
        self.request = request
        return self.answer


def test_an_answer_without_registry_keys_is_an_empty_store():
    runner = _Answering(BatchAnswer((), None, 850, {"codepage": 850, "results": [], "files": [], "registry": None}))
    assert read_host(runner) == (HostState(Store(), None, 850), ())
    assert runner.request.registry and runner.request.commands == () and runner.request.files == ()
    assert runner.heard == ['round trip 1: what the host sent (pre-shared keys hidden): {\n "codepage": 850,\n "results": [],\n'
                            ' "files": [],\n "registry": null\n}', DECODED_PREFIX + decoded_trace(HostState(Store(), None, 850))]


def test_without_a_listener_no_trace_is_built(host, monkeypatch):
    corp(host)

    def refuse(*args, **kwargs):
        raise AssertionError("a trace was built for nobody")

    for name in ("answer_trace", "withheld_trace", "decoded_trace"):
        monkeypatch.setattr(_read, name, refuse)
    for path in PATHS:
        runner = NetshRunner(host, read_from=path)
        assert not runner.tracing and read_host(runner)[0].store.assigned_policy == "Corp"


def test_the_hint_keeps_the_errors_type_attributes_and_other_arguments(monkeypatch):
    payload = {"local": {"values": [{"name": "Surprise", "kind": "String", "data": "x"}], "keys": []}, "group_policy": None}
    runner = _Answering(BatchAnswer((), payload, 437, {}))
    with pytest.raises(RegistryDecodeError) as caught:
        read_host(runner)
    assert (caught.value.key, caught.value.field) == ("Policy\\Local", "Surprise")
    assert str(caught.value) == f"cannot decode registry key 'Policy\\\\Local': Surprise: {caught.value.reason}{REGISTRY_HINT}"
    assert len(caught.value.args) == 1 and runner.heard[-1].startswith("round trip 1: what the host sent (pre-shared keys withheld): ")

    def refuse(*args):
        def decode(snapshot):
            raise LockdownError(*args)
        return decode

    monkeypatch.setattr(_read, "decode_snapshot", refuse("first", "second"))
    with pytest.raises(LockdownError) as caught:
        read_host(runner)
    assert caught.value.args == (f"first{REGISTRY_HINT}", "second")
    monkeypatch.setattr(_read, "decode_snapshot", refuse())
    with pytest.raises(LockdownError) as caught:
        read_host(runner)
    assert caught.value.args == (REGISTRY_HINT,)
    runner.read_from = "netsh"  # the Group Policy key alone is decoded on this path
    with pytest.raises(LockdownError) as caught:
        read_host(runner)
    assert caught.value.args == (HINT,)


def test_errors_that_are_not_the_collections_pass_unchanged_and_unlogged(monkeypatch):
    runner = _Answering(BatchAnswer((), {"local": None, "group_policy": None}, 437, {}))

    def decode(snapshot):
        raise KeyError("bug")

    monkeypatch.setattr(_read, "decode_snapshot", decode)
    with pytest.raises(KeyError) as caught:
        read_host(runner)
    assert caught.value.args == ("bug",) and runner.heard == []


# --- read_store -----------------------------------------------------------------------------------------


def test_read_store_reads_stdout_then_stderr_and_names_the_command():
    with pytest.raises(NetshParseError) as caught:
        read_store([CommandResult(READ_COMMANDS[0], 0, "", "Unexpected : text")])
    assert caught.value.command == "netsh ipsec static show policy all level=verbose" and caught.value.line == "Unexpected : text"


def test_read_store_of_an_emulated_host_is_its_store(host):
    corp(host)
    results = [CommandResult(argv, 0, netsh(host, *argv[2:]).decode("cp437"), "") for argv in READ_COMMANDS]
    assert read_store(results) == read_host(reader(host, "registry")[0])[0].store


# --- what a trace never shows, and reads that must not fail ------------------------------------------


def test_the_key_of_a_rule_no_policy_lists_is_not_logged(host):
    nfa_6_only = ('"ipsecNFAReference"="SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\IPSec\\\\Policy\\\\Local\\\\'
                  'ipsecNFA{00000006-0000-4000-8000-000000000006}"\n"ipsecData"=hex:63,21')
    text = W2K.read_text("utf-8")
    start, end = text.index('"ipsecNFAReference"=hex(7)'), text.index('"ipsecData"=hex:63,21')
    registry_file(host, text[:start] + nfa_6_only + text[end + len('"ipsecData"=hex:63,21'):])
    runner, heard = reader(host, "registry")
    state, dummy = read_host(runner)
    assert state.store.policies["VPNease Policy 192.0.2.1"].rules == ()  # the key's rule is an orphan now
    assert_no_key_in(heard, [W2K_KEY])


def test_a_key_netsh_cannot_print_is_not_logged_from_the_rule_blob(host):
    key = "Key-\u03ba\u03bb\u03b5\u03b9\u03b4\u03af"  # Greek: code page 437 has few of these letters
    corp(host, key=key)
    runner, heard = reader(host, "netsh")
    state, dummy = read_host(runner)
    assert key not in secrets_of(state.store)  # what netsh printed
    assert_no_key_in(heard, [key])


def test_a_reg_none_value_in_the_local_store_does_not_stop_a_netsh_read(host):
    corp(host)
    registry_file(host, w2k_with('"ActivePolicy"=', '"Odd"=hex(0):01,02\n"ActivePolicy"='))
    assert read_host(reader(host, "netsh")[0])[0].store.assigned_policy == "Corp"


def test_a_registry_answer_the_payload_reader_refuses_is_logged_withheld_with_the_hint(host):
    registry_file(host, w2k_with('"ActivePolicy"=', '"Odd"=hex(0):01,02\n"ActivePolicy"='))
    runner, heard = reader(host, "registry")
    with pytest.raises(LockdownError) as caught:
        read_host(runner)
    assert isinstance(caught.value, TransportError)
    assert str(caught.value).endswith(REGISTRY_HINT) and heard[-1].startswith(WITHHELD_PREFIX)


# --- refuse_unshowable ----------------------------------------------------------------------------------

UNSHOWABLE = ("has characters that netsh cannot print in the host's code page {}{}, so read_from=netsh would never read it back as "
              "written; read the store from the registry (read_from: registry, the default), which keeps any character")


def refused(store: Store, codepage: int = 437) -> str:
    with pytest.raises(PlanError) as caught:
        refuse_unshowable(store, codepage)
    return str(caught.value)


def _policy(**fields) -> Policy:
    return Policy("P", **fields)


@pytest.mark.parametrize("store, shown, lacking", [
    (Store.of(filter_lists=[FilterList("Caf\u20ac", None, ())]), "the filter list name 'Caf\u20ac'", "'\u20ac'"),
    (Store.of(filter_lists=[FilterList("L", "na\u00efve \u20ac\u00bd \u0167", ())]),
     "the description of filter list 'L' 'na\u00efve \u20ac\u00bd \u0167'", "'\u0167', '\u20ac'"),  # sorted, each once
    (Store.of(filter_actions=[FilterAction("\u20ac\u20ac", Action.BLOCK)]), "the filter action name '\u20ac\u20ac'", "'\u20ac'"),
    (Store.of(filter_actions=[FilterAction("A", Action.BLOCK, "\u20ac")]), "the description of filter action 'A' '\u20ac'", "'\u20ac'"),
    (Store.of(policies=[Policy("\u0167")]), "the policy name '\u0167'", "'\u0167'"),
    (Store.of(policies=[_policy(description="\u0167")]), "the description of policy 'P' '\u0167'", "'\u0167'"),
    (Store.of(policies=[_policy(rules=(Rule("R\u20ac"),))]), "the name of rule 'R\u20ac' of policy 'P' 'R\u20ac'", "'\u20ac'"),
    (Store.of(policies=[_policy(rules=(Rule("R", description="\u20ac"),))]), "the description of rule 'R' of policy 'P' '\u20ac'", "'\u20ac'"),
    (Store.of(policies=[_policy(rules=(Rule("R", auth_methods=(KERBEROS, AuthMethod(AuthKind.ROOT_CA, "CN=\u0166")),),))]),
     "an authentication method of rule 'R' of policy 'P' 'CN=\u0166'", "'\u0166'"),
    (Store.of(policies=[_policy(default_rule=DefaultResponseRule(auth_methods=(AuthMethod(AuthKind.ROOT_CA, "CN=\u0166"),)))]),
     "an authentication method of the default response rule of policy 'P' 'CN=\u0166'", "'\u0166'"),
])
def test_text_netsh_cannot_print_is_refused_naming_the_object_the_text_and_the_characters(store, shown, lacking):
    assert refused(store) == f"{shown} " + UNSHOWABLE.format(437, f" ({lacking})")
    assert refuse_unshowable(store, 65001) is None  # UTF-8 prints everything


@pytest.mark.parametrize("store, shown", [
    (Store.of(policies=[_policy(rules=(Rule("R", auth_methods=(KERBEROS, AuthMethod(AuthKind.PRESHARED_KEY, "k\u20acy"))),))]),
     "an authentication method of rule 'R' of policy 'P' (a pre-shared key, not shown)"),
    (Store.of(policies=[_policy(default_rule=DefaultResponseRule(auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "k\u20acy"),)))]),
     "an authentication method of the default response rule of policy 'P' (a pre-shared key, not shown)"),
])
def test_a_key_netsh_cannot_print_is_refused_without_showing_it(store, shown):
    message = refused(store)
    assert message == f"{shown} " + UNSHOWABLE.format(437, "")
    assert "\u20ac" not in message


def test_the_first_text_that_cannot_be_printed_is_named_lists_then_actions_then_policies():
    store = Store.of(filter_lists=[FilterList("L\u20ac", None, ())], filter_actions=[FilterAction("A\u20ac")], policies=[Policy("P\u20ac")])
    assert refused(store).startswith("the filter list name 'L\u20ac' ")
    assert refused(Store.of(filter_actions=[FilterAction("A\u20ac")], policies=[Policy("P\u20ac")])).startswith("the filter action name 'A\u20ac' ")
    assert refused(Store.of(filter_lists=[FilterList("L", "\u20ac", ())], policies=[Policy("P\u20ac")])).startswith("the description of filter list 'L' ")


def test_text_every_code_page_prints_is_accepted_and_so_are_fields_left_out():
    store = Store.of(
        filter_lists=[FilterList("Caf\u00e9", None, ()), FilterList("L", "", ())],
        filter_actions=[FilterAction("A"), FilterAction("B", Action.BLOCK, "\u00bd")],
        policies=[Policy("Left out"), _policy(description="", rules=(Rule("R", auth_methods=None), Rule("S", description="x", auth_methods=(KERBEROS,))),
                                              default_rule=DefaultResponseRule(auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "k\u00e9y"),)))],
    )
    for codepage in (437, 850, 65001):
        assert refuse_unshowable(store, codepage) is None
    assert refused(store, 866).startswith("the filter list name 'Caf\u00e9' ")  # no accented Latin letters in the Cyrillic code page


def test_a_code_page_without_a_codec_is_a_transport_error():
    with pytest.raises(TransportError, match="^the host's OEM code page 99999 has no Python codec"):
        refuse_unshowable(Store(), 99999)


def test_the_decoded_trace_is_the_store_in_config_shape_the_domain_policy_and_the_code_page():
    store = Store.of(filter_lists=[FilterList("\u4e2d\u6587")], policies=[
        Policy("P", rules=(Rule("R", "\u4e2d\u6587", auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "s3cret"),)),))])
    text = decoded_trace(HostState(store, DomainPolicy("Corp", LDAP), 936))
    assert json.loads(text) == {"store": store_to_data(store), "domain_policy": {"name": "Corp", "path": LDAP}, "codepage": 936}
    assert "\u4e2d\u6587" in text and "s3cret" not in text and text.startswith('{\n "store": {\n')
    assert json.loads(decoded_trace(HostState(Store(), None, 437)))["domain_policy"] is None


def test_without_a_listener_a_failed_read_builds_no_trace_either(host, monkeypatch):
    corp(host)
    netsh(host, "add", "filter", "filterlist=Web", "srcaddr=2001:db8::1", "dstaddr=any")  # a V2 block

    def refuse(*args, **kwargs):
        raise AssertionError("a trace was built for nobody")

    monkeypatch.setattr(_read, "withheld_trace", refuse)
    with pytest.raises(RegistryDecodeError):
        read_host(NetshRunner(host, read_from="registry"))
