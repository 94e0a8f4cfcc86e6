"""The emulated WinRM endpoint over HTTPS (A-160 to A-162): a certificate made for the host and validated against its CA,
plain HTTP refused on the HTTPS port, NTLM without message encryption over TLS (and refused over HTTP), the policy
enforced on the HTTPS port, the certificate kept across restarts, and ``emulated-winrm-host --https``."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import time

import pytest
import requests
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from emu_support import BIN_DIR, Emu, wait_for_ready_file
from emu_winrm_support import SHORT_TIMEOUTS, NtlmConnection, create_request, run, winrm
from emulated_winrm import _cli

SHOW_STORE = "netsh ipsec static show store"
STORE_LINE = b"\r\nStore                  : Local Store <WIN-EMULATED>\r\n"
SOAP_TYPE = "application/soap+xml;charset=UTF-8"


def https_session(host, transport: str = "ntlm", **options) -> winrm.Session:
    """A pywinrm Session validating the host's certificate against its CA unless ``options`` say otherwise."""
    options = {"server_cert_validation": "validate", "ca_trust_path": str(host.ca_file), **options}
    return winrm.Session(host.endpoint, auth=("vagrant", "vagrant"), transport=transport, **options)


def recorder(proto: winrm.Protocol) -> list[tuple]:
    """Record ``(status, request content type, request body, reply content type, reply body)`` of every HTTP exchange."""
    seen: list[tuple] = []

    def record(response, *args, **kwargs):
        seen.append((response.status_code, response.request.headers.get("Content-Type", ""), response.request.body or b"",
                     response.headers.get("Content-Type", ""), response.content))

    proto.transport.build_session().hooks["response"].append(record)
    return seen


def served_certificate(host) -> x509.Certificate:
    """The certificate the endpoint presents in its handshake."""
    context = ssl.create_default_context(cafile=str(host.ca_file))
    with socket.create_connection(("127.0.0.1", host.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


class HttpsNtlmConnection(NtlmConnection):
    """``NtlmConnection`` over TLS, trusting the host's CA: NTLM on one keep-alive HTTPS connection."""

    def __init__(self, host, scheme: str = "Negotiate") -> None:
        super().__init__(host, scheme)
        self.conn.close()
        context = ssl.create_default_context(cafile=str(host.ca_file))
        self.conn = http.client.HTTPSConnection("127.0.0.1", host.port, timeout=10, context=context)


@pytest.fixture
def https_host(winrm_hosts):
    """One started emulated host serving HTTPS (account vagrant/vagrant, Basic and NTLM)."""
    return winrm_hosts("https-host", https=True)


def test_pywinrm_validates_the_certificate_against_the_ca_and_sends_ntlm_bodies_unsealed(https_host):
    assert https_host.endpoint == f"https://127.0.0.1:{https_host.port}/wsman"
    proto = winrm.Protocol(https_host.endpoint, transport="ntlm", username="vagrant", password="vagrant",
                           server_cert_validation="validate", ca_trust_path=str(https_host.ca_file))
    seen = recorder(proto)
    assert (run(proto, "netsh ipsec static add policy name=OverTls"), proto.transport.encryption) == ((b"", b"", 0), None)
    # Create, Command, Receive, Signal, Delete: plain SOAP both ways (TLS encrypts); the Create also went with the two
    # legs of the NTLM handshake (401s that requests_ntlm answers before the hook sees the response)
    assert [entry[0] for entry in seen] == [200] * 5 and https_host.operations["http"] == 7
    for dummy, request_type, request_body, reply_type, reply_body in seen:
        assert (request_type, reply_type) == (SOAP_TYPE, SOAP_TYPE)
        assert b"Envelope" in request_body and b"Envelope" in reply_body
    assert b"name=OverTls" in seen[1][2]
    assert "OverTls" in Emu(https_host.state_file).ok("show policy all")
    assert https_host.round_trips == 1 and https_host.open_shells == 0


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_a_client_without_the_ca_fails_with_a_certificate_error_and_nothing_is_served(https_host, transport):
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        https_session(https_host, transport, ca_trust_path=None).run_cmd(SHOW_STORE)  # the system's CAs only
    assert https_host.operations == {} and https_host.connections >= 1


def test_the_ca_of_another_host_does_not_validate_this_one(winrm_hosts):
    first, second = winrm_hosts("first", https=True), winrm_hosts("second", https=True)
    assert first.ca_file.read_bytes() != second.ca_file.read_bytes()
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        https_session(second, ca_trust_path=str(first.ca_file)).run_cmd(SHOW_STORE)
    assert second.operations == {}


def test_cert_validation_ignore_connects_without_the_ca(https_host):
    result = https_session(https_host, server_cert_validation="ignore", ca_trust_path=None).run_cmd(SHOW_STORE)
    assert (result.status_code, result.std_out) == (0, STORE_LINE)


def test_the_certificate_is_valid_for_localhost_by_name(https_host):
    endpoint = https_host.endpoint.replace("127.0.0.1", "localhost")
    client = winrm.Session(endpoint, auth=("vagrant", "vagrant"), transport="ntlm", ca_trust_path=str(https_host.ca_file))
    assert client.run_cmd(SHOW_STORE).std_out == STORE_LINE


def test_the_certificate_names_127_0_0_1_and_localhost_for_server_authentication(https_host):
    certificate = served_certificate(https_host)
    ca = x509.load_pem_x509_certificate(https_host.ca_file.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(address) for address in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert list(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert certificate.issuer == ca.subject != certificate.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert certificate.not_valid_before_utc <= ca.not_valid_after_utc
    files = {path.name: stat.S_IMODE(path.stat().st_mode) for path in https_host.workdir.glob("*.pem")}
    assert files == {"ca.pem": 0o644, "server-cert.pem": 0o644, "server-key.pem": 0o600}  # the CA's key is not kept


def test_plain_http_to_the_https_port_gets_no_http_reply(https_host):
    plain = https_host.endpoint.replace("https://", "http://")
    with pytest.raises(requests.exceptions.ConnectionError):
        winrm.Session(plain, auth=("vagrant", "vagrant"), transport="ntlm", server_cert_validation="ignore").run_cmd(SHOW_STORE)
    with socket.create_connection(("127.0.0.1", https_host.port), timeout=5) as client:
        client.sendall(b"POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
        assert client.recv(4096) == b""  # closed without a word of HTTP
    assert https_host.operations == {}


@pytest.mark.parametrize("https, served", [(True, True), (False, False)])
def test_ntlm_without_message_encryption_is_served_over_https_only(winrm_hosts, https, served):
    host = winrm_hosts("host", https=https)
    client = winrm.Session(host.endpoint, auth=("vagrant", "vagrant"), transport="ntlm", message_encryption="never",
                           server_cert_validation="validate", ca_trust_path=str(host.ca_file) if https else None)
    if served:
        assert client.run_cmd(SHOW_STORE).std_out == STORE_LINE
    else:  # AllowUnencrypted=false: the plain body on the NTLM connection gets 401, which pywinrm reports so
        with pytest.raises(winrm.exceptions.InvalidCredentialsError):
            client.run_cmd(SHOW_STORE)
        assert host.operations.get("Create", 0) == 0


def test_a_plain_body_after_the_ntlm_handshake_is_answered_plain_over_https(https_host):
    conn = HttpsNtlmConnection(https_host)
    try:
        conn.handshake()
        response = conn.post(create_request(), {"Content-Type": SOAP_TYPE})
        assert (response.status, response.getheader("Content-Type")) == (200, SOAP_TYPE)
        assert b"ShellId" in response.data
        status, content_type, reply = conn.post_sealed(create_request())  # sealed is still read, and answered sealed
        assert status == 200 and content_type.startswith("multipart/encrypted") and b"ShellId" in reply
    finally:
        conn.close()
    assert https_host.operations["Create"] == 2


def test_message_encryption_always_is_sealed_both_ways_over_https(https_host):
    proto = winrm.Protocol(https_host.endpoint, transport="ntlm", username="vagrant", password="vagrant", message_encryption="always",
                           ca_trust_path=str(https_host.ca_file))
    seen = recorder(proto)
    assert run(proto, "netsh ipsec static add policy name=Sealed")[2] == 0
    requests_after_handshake = [entry for entry in seen if entry[0] == 200 and entry[2]]
    assert len(requests_after_handshake) == 5
    for dummy, request_type, request_body, reply_type, reply_body in requests_after_handshake:
        assert request_type.startswith("multipart/encrypted") and reply_type.startswith("multipart/encrypted")
        assert b"Sealed" not in request_body and b"Envelope" not in reply_body


def test_the_policy_is_enforced_on_the_https_port_before_the_tls_handshake(https_host):
    emu = Emu(https_host.state_file)
    for command in ("add policy name=Lockdown", "add filteraction name=Block action=block", "add filter filterlist=All srcaddr=any dstaddr=me",
                    "add rule name=All policy=Lockdown filterlist=All filteraction=Block", "set policy name=Lockdown assign=yes"):
        emu.ok(command)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):  # the ClientHello is never answered
        https_session(https_host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE)
    assert 1.9 <= time.monotonic() - started < 10
    assert https_host.operations == {}
    assert https_host.dropped and {(evaluation.kind, evaluation.port) for evaluation in https_host.dropped} == {("connection", https_host.port)}


def test_a_management_rule_for_the_https_port_lets_the_controller_in(https_host):
    emu = Emu(https_host.state_file)
    for command in ("add policy name=Lockdown", "add filteraction name=Permit action=permit", "add filteraction name=Block action=block",
                    f"add filter filterlist=Management srcaddr=any dstaddr=me protocol=tcp dstport={https_host.port}",
                    "add rule name=Management policy=Lockdown filterlist=Management filteraction=Permit",
                    "add filter filterlist=All srcaddr=any dstaddr=me", "add rule name=All policy=Lockdown filterlist=All filteraction=Block",
                    "set policy name=Lockdown assign=yes"):
        emu.ok(command)
    assert https_session(https_host, **SHORT_TIMEOUTS).run_cmd(SHOW_STORE).std_out == STORE_LINE
    assert https_host.dropped == [] and {evaluation.decision.rule for evaluation in https_host.evaluations} == {"Management"}


def test_the_certificate_survives_a_restart_and_a_broken_one_is_made_anew(winrm_hosts):
    first = winrm_hosts("host", https=True)
    ca_before, port = first.ca_file.read_bytes(), first.port
    first.stop()
    again = winrm_hosts("host", https=True, port=port)
    assert again.ca_file.read_bytes() == ca_before
    assert https_session(again).run_cmd(SHOW_STORE).std_out == STORE_LINE
    again.stop()
    (again.workdir / "server-key.pem").write_text("not a key", encoding="ascii")
    renewed = winrm_hosts("host", https=True, port=port)
    assert renewed.ca_file.read_bytes() != ca_before
    assert https_session(renewed).run_cmd(SHOW_STORE).std_out == STORE_LINE


def test_ansible_vars_over_https(https_host, winrm_host):
    common = {"ansible_connection": "winrm", "ansible_host": "127.0.0.1", "ansible_port": https_host.port, "ansible_user": "vagrant",
              "ansible_password": "vagrant", "ansible_winrm_transport": "ntlm", "ansible_winrm_scheme": "https"}
    assert https_host.ansible_vars() == {**common, "ansible_winrm_server_cert_validation": "validate",
                                         "ansible_winrm_ca_trust_path": str(https_host.ca_file)}
    assert https_host.ansible_vars(cert_validation="ignore") == {**common, "ansible_winrm_server_cert_validation": "ignore"}
    with pytest.raises(ValueError, match="cert_validation"):
        https_host.ansible_vars(cert_validation="strict")
    assert winrm_host.ansible_vars()["ansible_winrm_scheme"] == "http" and winrm_host.ca_file is None
    assert not any(name.startswith("ansible_winrm_server_cert") for name in winrm_host.ansible_vars())


def test_cli_https_serves_with_the_ca_in_its_ready_file(tmp_path):
    workdir, ready = tmp_path / "host", tmp_path / "ready.json"
    command = [sys.executable, str(BIN_DIR / "emulated-winrm-host"), "--workdir", str(workdir), "--ready-file", str(ready), "--https"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as process:
        try:
            info = wait_for_ready_file(ready, process)
            assert info == {"port": info["port"], "pid": process.pid, "endpoint": f"https://127.0.0.1:{info['port']}/wsman",
                            "workdir": str(workdir.resolve()), "ca_file": str((workdir / "ca.pem").resolve())}
            client = winrm.Session(info["endpoint"], auth=("vagrant", "vagrant"), transport="ntlm", ca_trust_path=info["ca_file"])
            assert client.run_cmd(SHOW_STORE).std_out == STORE_LINE
            process.send_signal(signal.SIGTERM)
            stdout, stderr = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, stderr
    assert stdout.decode() == f"emulated Windows host listening on {info['endpoint']} (pid {process.pid})\n"
    assert _cli.host_from_arguments(_cli.parse_arguments(["--workdir", str(tmp_path / "plain")])).https is False
