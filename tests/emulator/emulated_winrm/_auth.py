"""Authentication and message encryption of the emulated WinRM endpoint.

* **Basic**: ``Authorization: Basic base64(user:password)`` on every request (what a host with
  ``AllowUnencrypted`` and ``Basic`` enabled accepts over HTTP).
* **NTLM** (``Authorization: Negotiate|NTLM <token>``): pyspnego is the acceptor
  (``spnego.server(protocol="negotiate")``, execution.md §3.2). The handshake is two 401 round trips on
  one keep-alive connection; afterwards the connection is authenticated, and every body travels in
  MS-WSMV message encryption: ``multipart/encrypted; protocol="application/HTTP-SPNEGO-session-encrypted"``,
  parts separated by ``--Encrypted Boundary``, the payload ``<int32 LE signature length><signature><sealed>``,
  handled by ``unwrap_winrm``/``wrap_winrm``. A plain body on an NTLM connection over HTTP is refused, as a host
  with ``AllowUnencrypted=false`` (the default) does.
* **Over HTTPS** (``tls=True``) TLS encrypts the channel, so ``AllowUnencrypted=false`` admits plain bodies after
  NTLM (A-161): pywinrm does not seal them there (``message_encryption="auto"`` seals over HTTP only). A sealed
  body (``message_encryption="always"``) is still read, and its reply sealed alike.

pyspnego's NTLM acceptor reads its accounts from the file named by ``NTLM_USER_FILE`` in the process
environment (``DOMAIN:USER:PASSWORD`` lines); :func:`register_accounts` keeps one such file per process
with every emulated host's accounts (removed when the process exits), and each host then admits only its
own users. User names compare case-insensitively, as Windows account names do. The file holds one
password per user name: when two hosts of one process give the same user different passwords, the host
registered last wins, and NTLM on the other host refuses that user (Basic still works there), so a
password is never accepted by a host it does not belong to.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import os
import struct
import tempfile
import threading

import spnego
import spnego.exceptions

BOUNDARY = b"--Encrypted Boundary"
PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
ENCRYPTED_CONTENT_TYPE = f'multipart/encrypted;protocol="{PROTOCOL}";boundary="Encrypted Boundary"'

_accounts_lock = threading.Lock()
_accounts: dict[str, str] = {}  # lower-case user name -> password, what NTLM_USER_FILE holds
_accounts_file: str | None = None


class Unauthorized(Exception):
    """Answer 401; ``challenges`` are the WWW-Authenticate values to send (one per scheme offered)."""

    def __init__(self, reason: str, challenges: list[str]) -> None:
        super().__init__(reason)
        self.challenges = challenges


def register_accounts(accounts: dict[str, str]) -> None:
    """Add ``user -> password`` accounts to this process's NTLM account file (``NTLM_USER_FILE``)."""
    global _accounts_file  # pylint: disable=global-statement  # one file per process, as pyspnego reads it
    with _accounts_lock:
        _accounts.update({user.lower(): password for user, password in accounts.items()})
        if _accounts_file is None:
            handle, _accounts_file = tempfile.mkstemp(prefix="emulated-winrm-ntlm-", suffix=".txt")
            os.close(handle)
            atexit.register(_remove_accounts_file, _accounts_file)
        # Written aside and renamed: a handshake of another host in this process may be reading it.
        temporary = f"{_accounts_file}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.writelines(f":{user}:{password}\n" for user, password in _accounts.items())
        os.replace(temporary, _accounts_file)
        os.environ["NTLM_USER_FILE"] = _accounts_file


def _remove_accounts_file(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _ntlm_password(user: str) -> str | None:
    """The password NTLM checks ``user`` against in this process (see the module docstring)."""
    with _accounts_lock:
        return _accounts.get(user.lower())


class ConnectionAuth:
    """The authentication state of one keep-alive TCP connection."""

    def __init__(self, accounts: dict[str, str], allow_basic: bool, tls: bool = False) -> None:
        self._accounts = {user.lower(): password for user, password in accounts.items()}
        self._allow_basic = allow_basic
        self._tls = tls  # the connection is HTTPS: plain bodies are admitted after NTLM
        self._sealed = False  # the body being served came sealed: its reply is sealed too
        self._context = None  # pyspnego acceptor, while or after an NTLM handshake
        self._scheme = "Negotiate"  # as the client spelled it: the challenge must echo it
        self.user: str | None = None

    def challenges(self, token: str | None = None) -> list[str]:
        """The WWW-Authenticate values of a 401."""
        if token is not None:
            return [f"{self._scheme} {token}"]
        return ["Negotiate"] + (['Basic realm="WSMAN"'] if self._allow_basic else [])

    @property
    def encrypting(self) -> bool:
        """True once NTLM completed on this connection: bodies are then sealed (over HTTPS, they may be)."""
        return self._context is not None and self._context.complete

    def authenticate(self, header: str | None) -> None:
        """Check one request's Authorization header; raise :class:`Unauthorized` unless the request may
        be served (the NTLM leg that completes the handshake is served too: pywinrm sends it empty)."""
        if not header:
            if self.encrypting:
                return
            raise Unauthorized("no credentials", self.challenges())
        scheme, dummy, token = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "basic" and self._allow_basic:
            self._check_basic(token.strip())
            return
        if scheme in ("negotiate", "ntlm"):
            self._scheme = "NTLM" if scheme == "ntlm" else "Negotiate"
            self._step(token.strip())
            return
        raise Unauthorized(f"unsupported scheme {scheme}", self.challenges())

    def _check_basic(self, token: str) -> None:
        try:
            user, dummy, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("malformed Basic credentials", self.challenges()) from None
        if self._accounts.get(user.rsplit("\\", 1)[-1].lower()) != password:
            raise Unauthorized("bad Basic credentials", self.challenges())
        self.user = user
        self._context = None

    def _step(self, token: str) -> None:
        if self._context is None or self._context.complete:
            self._context = spnego.server(protocol="negotiate", service="HTTP")
        try:
            answer = self._context.step(base64.b64decode(token, validate=True))
        except (binascii.Error, spnego.exceptions.SpnegoError) as exc:
            self._context = None
            raise Unauthorized(f"NTLM failed: {exc}", self.challenges()) from None
        if not self._context.complete:
            raise Unauthorized("NTLM challenge", self.challenges(base64.b64encode(answer or b"").decode("ascii")))
        user = (self._context.client_principal or "").rsplit("\\", 1)[-1]
        password = self._accounts.get(user.lower())
        if password is None or _ntlm_password(user) != password:
            self._context = None
            raise Unauthorized(f"user {user!r} has no account on this host, or another host of this process owns the name", self.challenges())
        self.user = user

    def unseal(self, content_type: str, body: bytes) -> bytes:
        """The SOAP text of a request body on this connection."""
        self._sealed = False
        if not self.encrypting:
            return body
        if not body:
            return body
        if "multipart/encrypted" not in content_type or PROTOCOL not in content_type:
            if self._tls:  # the channel is encrypted: AllowUnencrypted=false does not refuse
                return body
            raise Unauthorized("unencrypted message on an NTLM connection", self.challenges())
        parts = [part for part in body.split(BOUNDARY + b"\r\n") if part]
        if len(parts) != 2 or b"Length=" not in parts[0]:
            raise Unauthorized("malformed encrypted message", self.challenges())
        payload = parts[1].removeprefix(b"\tContent-Type: application/octet-stream\r\n").removesuffix(BOUNDARY + b"--\r\n")
        try:
            length = int(parts[0].split(b"Length=", 1)[1].strip())
            signature_length = struct.unpack("<i", payload[:4])[0]
        except (ValueError, struct.error):
            raise Unauthorized("malformed encrypted message", self.challenges()) from None
        signature, sealed = payload[4:4 + signature_length], payload[4 + signature_length:]
        try:
            plain = self._context.unwrap_winrm(signature, sealed)
        except (spnego.exceptions.SpnegoError, ValueError, struct.error) as exc:
            raise Unauthorized(f"message cannot be unsealed: {exc}", self.challenges()) from None
        if len(plain) != length:
            raise Unauthorized("encrypted length does not match", self.challenges())
        self._sealed = True
        return plain

    def seal(self, body: bytes) -> tuple[str, bytes]:
        """``(content type, bytes)`` of a reply body on this connection: sealed when its request came sealed."""
        if not self.encrypting or not body or not self._sealed:
            return "application/soap+xml;charset=UTF-8", body
        wrapped = self._context.wrap_winrm(body)
        payload = struct.pack("<i", len(wrapped.header)) + wrapped.header + wrapped.data
        framed = (
            BOUNDARY + b"\r\n"
            + f"\tContent-Type: {PROTOCOL}\r\n".encode("ascii")
            + f"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length={len(body)}\r\n".encode("ascii")
            + BOUNDARY + b"\r\n"
            + b"\tContent-Type: application/octet-stream\r\n" + payload
            + BOUNDARY + b"--\r\n"
        )
        return ENCRYPTED_CONTENT_TYPE, framed
