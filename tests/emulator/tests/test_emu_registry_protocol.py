"""Protocol v3 end to end: the stub on the command line, the batch script and the request on stdin, the
registry read and its knobs (``_bootstrap_emulation``, ``_batch``, ``_registry_read``)."""

from __future__ import annotations

import base64
import json
import subprocess

import pytest
from emu_registry_support import W10, W11
from emu_support import (BATCH, BIN_DIR, STUB, STUB_ARGV, STUB_COMMAND, assert_clixml, bootstrap_payload, bootstrap_results,
                         encode_request, stdin_lines)
from emu_winrm_support import protocol

from netsh_emulator import run_powershell

ADD_P = ["ipsec", "static", "add", "policy", "name=P", "assign=yes"]
GPO = {"DSIPSECPolicyPath": "LDAP://CN=ipsecPolicy{6f2a7f4e-0c1b-4a51-9e6b-0d3c8f1e2a10},CN=IP Security,CN=System,DC=corp,DC=example",
       "DSIPSECPolicyName": "Domain Lockdown"}
# The batch script v2, which the command line carried before protocol v3.
BATCH_V2_FIRST_LINE = "# lockdown-ipsec-batch-v2"


def _run(emu, stdin: bytes, **env: str) -> tuple[int, bytes, bytes]:
    return run_powershell(STUB_ARGV, stdin, {**emu.env, **env})


def _answer(emu, commands, registry: bool = True, files=(), stop_on_error: bool = False, **env: str) -> dict:
    rc, stdout, stderr = _run(emu, bootstrap_payload(commands, stop_on_error, files=files, registry=registry), **env)
    assert (rc, stderr) == (0, b""), stderr
    return bootstrap_results(stdout)


def _keys(answer: dict) -> dict[str, dict[str, dict]]:
    """``{subkey name: {value name: value}}`` of the answer's local key."""
    return {key["name"]: {value["name"]: value for value in key["values"]} for key in answer["registry"]["local"]["keys"]}


# --- the answer -----------------------------------------------------------------------------------------------

def test_registry_is_null_unless_asked(emu):
    assert _answer(emu, [ADD_P], registry=False) == {
        "codepage": 437, "files": [], "read_back": [], "armed": None, "disarmed": None, "registry": None,
        "results": [{"rc": 0, "stdout": "", "stderr": ""}]}


def test_an_empty_store_has_neither_key(emu):
    assert _answer(emu, [])["registry"] == {"local": None, "group_policy": None}


def test_the_read_follows_the_commands(emu):
    answer = _answer(emu, [ADD_P, ["ipsec", "static", "add", "filter", "filterlist=L", "srcaddr=any", "dstaddr=me"]])
    local = answer["registry"]["local"]
    assert local["values"] == [{"name": "ActivePolicy", "kind": "String",
                                "data": "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\ipsecPolicy{00000000-0000-4000-8000-000000000001}"}]
    names = [key["name"] for key in local["keys"]]
    assert names == sorted(names, key=str.upper) and len(names) == 5      # policy, ISAKMP, NFA, default action, filter list
    policy = _keys(answer)["ipsecPolicy{00000000-0000-4000-8000-000000000001}"]
    assert policy["ipsecName"] == {"name": "ipsecName", "kind": "String", "data": "P"}
    assert policy["ipsecDataType"] == {"name": "ipsecDataType", "kind": "DWord", "data": 256}
    assert base64.b64decode(policy["ipsecData"]["data"]).hex() == "632120224c4fd111863b00a0248d302104000000302a000000"
    assert policy["ipsecNFAReference"]["kind"] == "MultiString" and len(policy["ipsecNFAReference"]["data"]) == 1
    # a later batch sees the later store: the key stays, empty, once everything is deleted
    assert _answer(emu, [["ipsec", "static", "delete", "all"]])["registry"] == {"local": {"values": [], "keys": []}, "group_policy": None}


def test_a_failed_file_means_no_commands_and_no_registry(emu, tmp_path):
    missing = str(tmp_path / "missing.ipsec")
    answer = _answer(emu, [ADD_P], files=[missing])
    assert answer["results"] == [] and answer["registry"] is None and answer["files"][0]["path"] == missing
    assert not emu.state.exists()


def test_stop_on_error_still_reads_the_registry(emu):
    answer = _answer(emu, [ADD_P, ADD_P, ["ipsec", "static", "add", "filterlist", "L"]], stop_on_error=True)
    assert [result["rc"] for result in answer["results"]] == [0, 1]
    assert all(not key["name"].startswith("ipsecFilter{") for key in answer["registry"]["local"]["keys"])


def test_unwrap_single_leaves_the_registry_lists_alone(emu):
    answer = _answer(emu, [["ipsec", "static", "add", "filterlist", "L"]], NETSH_EMU_PS_UNWRAP_SINGLE="1")
    assert isinstance(answer["results"], dict)
    assert isinstance(answer["registry"]["local"]["keys"], list) and len(answer["registry"]["local"]["keys"]) == 1


def test_the_store_unavailable_switch_does_not_hide_the_registry(emu):
    _answer(emu, [ADD_P])
    answer = _answer(emu, [["ipsec", "static", "show", "store"]], NETSH_EMU_STORE_UNAVAILABLE="1")
    assert base64.b64decode(answer["results"][0]["stdout"]).startswith(b"ERR IPsec[05073]")
    assert answer["registry"]["local"]["values"][0]["name"] == "ActivePolicy"


def test_json_escapes_like_powershell(subprocess_env):
    payload = bootstrap_payload([["ipsec", "static", "add", "policy", "name=<it's & more>"]], False, registry=True)
    proc = subprocess.run(["/bin/sh", "-c", STUB_COMMAND], input=payload, env=subprocess_env, capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    text = base64.b64decode(proc.stdout.decode("ascii").split(">>", 1)[1]).decode("utf-8")
    assert "\\u003cit\\u0027s \\u0026 more\\u003e" in text and "<" not in text
    assert json.loads(text)["registry"]["local"] is not None


def test_the_round_trip_log_says_whether_the_registry_was_read(emu, tmp_path):
    log = tmp_path / "round-trips.jsonl"
    _answer(emu, [ADD_P], NETSH_EMU_PS_LOG=str(log))
    _answer(emu, [], registry=False, NETSH_EMU_PS_LOG=str(log))
    assert [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] == [
        {"commands": ["ipsec static add policy name=P assign=yes"], "stop_on_error": False, "files": [], "registry": True},
        {"commands": [], "stop_on_error": False, "files": [], "registry": False}]


def test_an_inexpressible_store_is_a_loud_error(emu):
    rc, stdout, stderr = _run(emu, bootstrap_payload([["ipsec", "static", "add", "policy", "P", "pollinginterval=71582789"]], False,
                                                     registry=True))
    assert_clixml(rc, stdout, stderr, "netsh emulator: the registry view cannot express the store: policy 'P': Polling-Interval")
    assert emu.ok("show policy name=P")                      # the command itself ran


def test_a_corrupt_store_is_a_loud_error(emu):
    emu.state.write_text("{}", encoding="utf-8")
    rc, stdout, stderr = _run(emu, bootstrap_payload([], False, registry=True))
    assert_clixml(rc, stdout, stderr, "netsh emulator: the store")


def test_the_registry_over_winrm(winrm_host):
    proto = protocol(winrm_host, "ntlm")
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, STUB_COMMAND, console_mode_stdin=False)
    proto.send_command_input(shell_id, command_id, bootstrap_payload([ADD_P], True, registry=True), end=True)
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    proto.close_shell(shell_id)
    assert (rc, stderr) == (0, b"")
    assert bootstrap_results(stdout)["registry"]["local"]["values"][0]["name"] == "ActivePolicy"


# --- stdin and the scripts ------------------------------------------------------------------------------------

def test_line_endings_of_stdin(emu):
    request = json.dumps({"stop_on_error": False, "files": [], "commands": [], "registry": True}).encode("utf-8")
    for separator, end in ((b"\n", b"\n"), (b"\r\n", b""), (b"\r", b"\r")):
        stdin = base64.b64encode(BATCH.encode("utf-8")) + separator + base64.b64encode(request) + end
        rc, stdout, stderr = _run(emu, stdin)
        assert (rc, stderr) == (0, b"") and bootstrap_results(stdout)["registry"] == {"local": None, "group_policy": None}


@pytest.mark.parametrize(("stdin", "fragment"), [
    (b"", "stdin must be two lines"),
    (stdin_lines(BATCH), "stdin must be two lines"),
    (stdin_lines(BATCH, "{}", "{}"), "stdin must be two lines"),
    (b"%%% not base64\r\n" + stdin_lines("{}"), "FromBase64String"),
    (stdin_lines(BATCH_V2_FIRST_LINE + "\n$ErrorActionPreference='Stop'", "{}"), "it is not the lockdown-ipsec batch script"),
    (stdin_lines(BATCH + "\n", "{}"), "sha256 mismatch"),
    (stdin_lines(BATCH.replace("-Depth 12", "-Depth 4"), "{}"), "sha256 mismatch"),
    (stdin_lines(STUB, "{}"), "it is not the lockdown-ipsec batch script"),
    (stdin_lines(b"\xff\xfe", "{}"), "not UTF-8"),
    (stdin_lines(BATCH) + b"not base64 at all\r\n", "FromBase64String"),
    (stdin_lines(BATCH, "[]"), "The request is not a JSON object."),
    (stdin_lines(BATCH, "{"), "Exception while reading the request"),
    ("é\r\n".encode("utf-8"), "non-ASCII"),
])
def test_stdin_the_stub_refuses(emu, stdin, fragment):
    assert_clixml(*_run(emu, stdin), fragment)
    assert not emu.state.exists()


@pytest.mark.parametrize("registry", ["yes", 1, [], {}])
def test_registry_must_be_a_boolean(emu, registry):
    assert_clixml(*_run(emu, encode_request({"stop_on_error": False, "commands": ["ipsec static add policy P"], "registry": registry})),
                  "The request's registry must be true or false.")
    assert not emu.state.exists()


def test_registry_missing_or_null_is_false(emu):
    for request in ({"commands": []}, {"commands": [], "registry": None}):
        rc, stdout, stderr = _run(emu, encode_request(request))
        assert (rc, stderr) == (0, b"") and bootstrap_results(stdout)["registry"] is None


def test_the_batch_script_v2_on_the_command_line_is_refused(emu):
    script = "\n".join([BATCH_V2_FIRST_LINE, "$ErrorActionPreference='Stop'", "exit 0"])
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    old_stdin = base64.b64encode(json.dumps({"stop_on_error": True, "commands": ["ipsec static add policy P"]}).encode()) + b"\r\n"
    assert_clixml(*run_powershell(["-EncodedCommand", encoded], old_stdin, emu.env), "does not understand this script")
    assert not emu.state.exists()


# --- the knobs ------------------------------------------------------------------------------------------------

def test_group_policy_knob(emu):
    answer = _answer(emu, [], NETSH_EMU_GROUP_POLICY=json.dumps(GPO))
    assert answer["registry"] == {"local": None, "group_policy": {"values": [
        {"name": "DSIPSECPolicyPath", "kind": "String", "data": GPO["DSIPSECPolicyPath"]},
        {"name": "DSIPSECPolicyName", "kind": "String", "data": "Domain Lockdown"}], "keys": []}}
    assert _answer(emu, [], NETSH_EMU_GROUP_POLICY="{}")["registry"]["group_policy"] == {"values": [], "keys": []}


@pytest.mark.parametrize(("value", "fragment"), [
    ("{not json", "NETSH_EMU_GROUP_POLICY is not JSON"),
    ('["DSIPSECPolicyName"]', "NETSH_EMU_GROUP_POLICY must be a JSON object of strings"),
    ('{"DSIPSECPolicyName": 1}', "NETSH_EMU_GROUP_POLICY must be a JSON object of strings"),
])
def test_a_bad_group_policy_knob_runs_nothing(emu, value, fragment):
    rc, stdout, stderr = _run(emu, bootstrap_payload([ADD_P], False, registry=False), NETSH_EMU_GROUP_POLICY=value)
    assert_clixml(rc, stdout, stderr, "netsh emulator configuration: " + fragment)
    assert not emu.state.exists()


@pytest.mark.parametrize(("sample", "subkeys"), [(W10, 9), (W11, 11)])
def test_a_registry_file_replaces_the_store_view(emu, subprocess_env, sample, subkeys):
    env = dict(subprocess_env, NETSH_EMU_REGISTRY_FILE=str(sample))
    proc = subprocess.run([str(BIN_DIR / "PowerShell"), *STUB_ARGV], input=bootstrap_payload([ADD_P], False, registry=True), env=env,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    answer = bootstrap_results(proc.stdout)
    local = answer["registry"]["local"]
    assert len(local["keys"]) == subkeys and answer["registry"]["group_policy"] is None
    policy = "fef1d3cd-e509-4d7e-ac24-4a23afc9eb26" if sample == W10 else "618dd376-ce6a-48d8-aa55-66c03e18ccbb"
    assert local["values"][0]["data"].endswith("ipsecPolicy{" + policy + "}")
    when_changed = {value["kind"] for key in local["keys"] for value in key["values"] if value["name"] == "whenChanged"}
    assert when_changed == {"DWord"}
    assert "Policy Name            : P\r\n" in emu.ok("show policy all")       # the command acted on the store


def test_a_utf16_export_and_the_group_policy_knob_together(emu, tmp_path):
    exported = tmp_path / "w11.reg"
    exported.write_bytes(W11.read_text(encoding="ascii").encode("utf-16"))      # with BOM, as regedit writes
    plain = _answer(emu, [], NETSH_EMU_REGISTRY_FILE=str(W11))["registry"]
    answer = _answer(emu, [], NETSH_EMU_REGISTRY_FILE=str(exported), NETSH_EMU_GROUP_POLICY=json.dumps(GPO))["registry"]
    assert answer["local"] == plain["local"] and answer["group_policy"]["values"][1]["data"] == "Domain Lockdown"


def test_a_registry_file_with_its_own_group_policy_key(emu, tmp_path):
    exported = tmp_path / "gpo.reg"
    exported.write_text("\r\n".join([
        "Windows Registry Editor Version 5.00", "",
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\GPTIPSECPolicy]",
        '"DSIPSECPolicyName"="From the file"',
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\GPTIPSECPolicy\\Sub]",
        '"ignored"=dword:00000001', ""]), encoding="utf-8")
    answer = _answer(emu, [], NETSH_EMU_REGISTRY_FILE=str(exported))["registry"]
    assert answer == {"local": None, "group_policy": {
        "values": [{"name": "DSIPSECPolicyName", "kind": "String", "data": "From the file"}], "keys": []}}


@pytest.mark.parametrize(("content", "fragment"), [
    (None, "No such file"),
    (b"REGEDIT4\r\n", "the first line is not"),
])
def test_a_bad_registry_file_runs_nothing(emu, tmp_path, content, fragment):
    path = tmp_path / "bad.reg"
    if content is not None:
        path.write_bytes(content)
    rc, stdout, stderr = _run(emu, bootstrap_payload([ADD_P], False, registry=True), NETSH_EMU_REGISTRY_FILE=str(path))
    assert_clixml(rc, stdout, stderr, "netsh emulator configuration: NETSH_EMU_REGISTRY_FILE: ")
    assert fragment in stderr.decode("utf-8") and not emu.state.exists()
