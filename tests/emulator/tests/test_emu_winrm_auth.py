"""The emulated WinRM endpoint's authentication: Basic, NTLM with MS-WSMV message encryption, 401s."""

from __future__ import annotations

import http.client

import pytest
from emu_winrm_support import ENCRYPTED_PROTOCOL, NtlmConnection, create_request, protocol, run, session, winrm

SHOW_STORE = "netsh ipsec static show store"


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
@pytest.mark.parametrize("user, password", [("vagrant", "wrong"), ("nobody", "vagrant"), ("vagrant", "")])
def test_bad_credentials_are_refused(winrm_host, transport, user, password):
    with pytest.raises(winrm.exceptions.InvalidCredentialsError):
        session(winrm_host, transport, user, password).run_cmd(SHOW_STORE)
    assert winrm_host.operations.get("Create", 0) == 0 and winrm_host.open_shells == 0


@pytest.mark.parametrize("transport", ["basic", "ntlm"])
def test_user_names_are_case_insensitive(winrm_host, transport):
    assert session(winrm_host, transport, "VAGRANT").run_cmd(SHOW_STORE).status_code == 0
    with pytest.raises(winrm.exceptions.InvalidCredentialsError):
        session(winrm_host, transport, "vagrant", "VAGRANT").run_cmd(SHOW_STORE)  # passwords are not


def test_unauthenticated_request_gets_401_offering_negotiate_and_basic(winrm_host):
    conn = http.client.HTTPConnection("127.0.0.1", winrm_host.port, timeout=10)
    try:
        conn.request("POST", "/wsman", body=create_request(), headers={"Content-Type": "application/soap+xml;charset=UTF-8"})
        response = conn.getresponse()
        response.read()
        assert response.status == 401
        assert response.headers.get_all("WWW-Authenticate") == ["Negotiate", 'Basic realm="WSMAN"']
        assert response.getheader("Server") == "Microsoft-HTTPAPI/2.0"
        conn.request("POST", "/elsewhere", body=b"")
        response = conn.getresponse()
        response.read()
        assert response.status == 404
    finally:
        conn.close()
    assert winrm_host.operations.get("Create", 0) == 0 and winrm_host.operations["http"] == 2


def test_basic_can_be_refused(winrm_hosts):
    host = winrm_hosts(allow_basic=False)
    with pytest.raises(winrm.exceptions.InvalidCredentialsError):
        session(host, "basic").run_cmd(SHOW_STORE)
    assert session(host, "ntlm").run_cmd(SHOW_STORE).status_code == 0
    conn = NtlmConnection(host)
    try:
        refused = conn.post(create_request())
        assert refused.status == 401 and refused.headers.get_all("WWW-Authenticate") == ["Negotiate"]
    finally:
        conn.close()


def test_pywinrm_ntlm_traffic_is_sealed(winrm_host):
    proto = protocol(winrm_host, "ntlm")
    seen = []

    def record(response, *args, **kwargs):
        seen.append((response.status_code, response.request.headers.get("Content-Type", ""), response.request.body or b"",
                     response.headers.get("Content-Type", ""), response.content))

    proto.transport.build_session().hooks["response"].append(record)
    assert proto.transport.encryption is not None
    stdout, stderr, rc = run(proto, "netsh ipsec static add policy name=Sealed")
    assert (stdout, stderr, rc) == (b"", b"", 0)
    assert [entry[0] for entry in seen] == [200] * 5  # Create, Command, Receive, Signal, Delete
    for dummy, request_type, request_body, reply_type, reply_body in seen:
        assert request_type.startswith("multipart/encrypted") and ENCRYPTED_PROTOCOL in request_type
        assert reply_type.startswith("multipart/encrypted") and ENCRYPTED_PROTOCOL in reply_type
        for body in (request_body, reply_body):
            assert body.startswith(b"--Encrypted Boundary\r\n") and b"Envelope" not in body and b"Sealed" not in body


def test_ntlm_connection_refuses_plain_and_malformed_bodies(winrm_host):
    conn = NtlmConnection(winrm_host)
    try:
        conn.handshake()
        plain = conn.post(create_request(), {"Content-Type": "application/soap+xml;charset=UTF-8"})
        assert plain.status == 401 and plain.data == b""
        malformed = conn.post(b"--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
                              b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=abc\r\n"
                              b"--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"
                              b"\x01\x00--Encrypted Boundary--\r\n",
                              {"Content-Type": f'multipart/encrypted;protocol="{ENCRYPTED_PROTOCOL}";boundary="Encrypted Boundary"'})
        assert malformed.status == 401  # answered, not a dropped connection
        # the same connection (http.client would reconnect unauthenticated, and get 401) still serves sealed bodies
        status, content_type, reply = conn.post_sealed(create_request())
        assert status == 200 and content_type.startswith("multipart/encrypted")
        assert b"<rsp:ShellId>" in reply and b"CreateResponse" in reply
    finally:
        conn.close()
    assert winrm_host.open_shells == 1 and winrm_host.operations["Create"] == 1


def test_ntlm_challenge_echoes_the_clients_scheme(winrm_host):
    for scheme in ("NTLM", "Negotiate"):
        conn = NtlmConnection(winrm_host, scheme=scheme)
        try:
            challenges = conn.handshake()
            assert len(challenges) == 1 and challenges[0].startswith(scheme + " ")
            assert conn.post_sealed(create_request())[0] == 200
        finally:
            conn.close()


def test_ntlm_accounts_of_hosts_in_one_process(winrm_hosts):
    # one NTLM_USER_FILE per process: a password given to alice on another host is never accepted here
    first = winrm_hosts("first", accounts={"alice": "one"})
    second = winrm_hosts("second", accounts={"alice": "two", "bob": "bob"})
    assert session(second, "ntlm", "alice", "two").run_cmd(SHOW_STORE).status_code == 0
    for password in ("one", "two"):
        with pytest.raises(winrm.exceptions.InvalidCredentialsError):
            session(first, "ntlm", "alice", password).run_cmd(SHOW_STORE)
    assert session(first, "basic", "alice", "one").run_cmd(SHOW_STORE).status_code == 0
    with pytest.raises(winrm.exceptions.InvalidCredentialsError):
        session(first, "ntlm", "bob", "bob").run_cmd(SHOW_STORE)  # bob has no account on the first host
