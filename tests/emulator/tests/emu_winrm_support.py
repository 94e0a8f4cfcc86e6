"""Helpers for the emulated WinRM endpoint's own tests (``test_emu_winrm*.py``).

The client is the real pywinrm. ``NtlmConnection`` is a second, hand-made client for what pywinrm
does not let a test do: one keep-alive connection, NTLM handshake by pyspnego's initiator, and the
choice of sending a body sealed (MS-WSMV framing, written here from execution.md §3.2, not taken from
the endpoint) or in plain text.
"""

from __future__ import annotations

import base64
import http.client
import struct

import spnego
import winrm
import xmltodict

USER = "vagrant"
PASSWORD = "vagrant"
SHELL_RESOURCE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
CREATE_ACTION = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
TIMED_OUT_CODE = 2150858793
NOT_FOUND_CODE = 2150858843
ENCRYPTED_PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
ENCRYPTED_TYPE = f'multipart/encrypted;protocol="{ENCRYPTED_PROTOCOL}";boundary="Encrypted Boundary"'


# pywinrm's shortest time-outs (whole seconds, the read time-out above the operation time-out): a client that
# gives up on a host that drops its packets within about 2 s.
SHORT_TIMEOUTS = {"read_timeout_sec": 2, "operation_timeout_sec": 1}


def session(host, transport: str = "basic", user: str = USER, password: str = PASSWORD, **options):
    """A pywinrm Session for *host* (``basic`` or ``ntlm``); ``options`` go to pywinrm's Protocol (time-outs)."""
    return winrm.Session(host.endpoint, auth=(user, password), transport=transport, server_cert_validation="ignore", **options)


def protocol(host, transport: str = "basic", user: str = USER, password: str = PASSWORD, **options):
    """A pywinrm Protocol for *host*, for the step-by-step API (run_command, send_command_input, ...); ``options``
    are more Protocol arguments (time-outs)."""
    return winrm.Protocol(host.endpoint, transport=transport, username=user, password=password, server_cert_validation="ignore", **options)


def run(proto, command: str, shell_id: str | None = None, **kwargs) -> tuple[bytes, bytes, int]:
    """Run one command line with the Protocol API (raw stdout and stderr: nothing decodes CLIXML)."""
    shell = shell_id or proto.open_shell()
    try:
        command_id = proto.run_command(shell, command, **kwargs)
        result = proto.get_command_output(shell, command_id)
        proto.cleanup_command(shell, command_id)
        return result
    finally:
        if shell_id is None:
            proto.close_shell(shell)


def envelope(action: str, shell_id: str | None = None, body: dict | None = None) -> bytes:
    """A WS-Management request as pywinrm builds it, for *action* (a full URI)."""
    proto = winrm.Protocol("http://127.0.0.1:1/wsman", transport="basic", username=USER, password=PASSWORD, server_cert_validation="ignore")
    header = proto.build_wsman_header(action=action, resource_uri=SHELL_RESOURCE, shell_id=shell_id)
    return xmltodict.unparse({"env:Envelope": {**header, "env:Body": body or {}}}).encode("utf-8")


def create_request() -> bytes:
    """A Create (open shell) request."""
    return envelope(CREATE_ACTION, body={"rsp:Shell": {"rsp:InputStreams": "stdin", "rsp:OutputStreams": "stdout stderr"}})


class NtlmConnection:
    """One keep-alive HTTP connection to *host*, authenticated with NTLM by :meth:`handshake`."""

    def __init__(self, host, scheme: str = "Negotiate") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
        self.scheme = scheme
        self.context = None

    def close(self) -> None:
        self.conn.close()

    def post(self, body: bytes, headers: dict | None = None) -> http.client.HTTPResponse:
        """POST *body* to /wsman; the response is read (``.data``) so the connection can be reused."""
        self.conn.request("POST", "/wsman", body=body, headers=headers or {})
        response = self.conn.getresponse()
        response.data = response.read()  # type: ignore[attr-defined]
        return response

    def handshake(self, user: str = USER, password: str = PASSWORD) -> list[str]:
        """The two legs of NTLM on this connection; returns the challenge headers of the first 401."""
        self.context = spnego.client(user, password, protocol="ntlm", hostname="127.0.0.1", service="http")
        first = self.post(b"", {"Authorization": f"{self.scheme} {base64.b64encode(self.context.step()).decode()}"})
        assert first.status == 401, first.status
        challenges = first.headers.get_all("WWW-Authenticate") or []
        token = next(value for value in challenges if value.startswith(self.scheme + " ")).split(" ", 1)[1]
        answer = self.context.step(base64.b64decode(token))
        done = self.post(b"", {"Authorization": f"{self.scheme} {base64.b64encode(answer).decode()}"})
        assert done.status == 200, done.status
        return challenges

    def post_sealed(self, plain: bytes) -> tuple[int, str, bytes]:
        """Send *plain* sealed; returns ``(status, reply content type, unsealed reply)``."""
        wrapped = self.context.wrap_winrm(plain)
        framed = (b"--Encrypted Boundary\r\n"
                  + f"\tContent-Type: {ENCRYPTED_PROTOCOL}\r\n".encode()
                  + f"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length={len(plain)}\r\n".encode()
                  + b"--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"
                  + struct.pack("<i", len(wrapped.header)) + wrapped.header + wrapped.data
                  + b"--Encrypted Boundary--\r\n")
        response = self.post(framed, {"Content-Type": ENCRYPTED_TYPE})
        content_type = response.getheader("Content-Type", "")
        if not response.data:
            return response.status, content_type, b""
        payload = response.data.split(b"--Encrypted Boundary\r\n")[2]
        payload = payload.removeprefix(b"\tContent-Type: application/octet-stream\r\n").removesuffix(b"--Encrypted Boundary--\r\n")
        length = struct.unpack("<i", payload[:4])[0]
        return response.status, content_type, self.context.unwrap_winrm(payload[4:4 + length], payload[4 + length:])
