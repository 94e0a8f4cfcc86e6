"""HTTPS for the emulated WinRM endpoint: a throwaway CA, a server certificate signed by it, the server's TLS context.

Contract::

    files = ensure_certificates(workdir)   # TlsFiles(ca_file, cert_file, key_file), made once per workdir (A-160)
    context = server_context(files)        # ssl.SSLContext, server side, TLS 1.2 or newer
    handshake(connection) -> bool          # the server's handshake on one accepted connection (A-162)

What a WinRM HTTPS listener needs of its certificate (Microsoft, "Configuration and Security" for WinRM, and
"Installation and configuration for Windows Remote Management"): marked for Server Authentication, valid for the
name the client dials. So the server certificate has the extended key usage ``serverAuth`` and the subject
alternative names ``IP:127.0.0.1`` and ``DNS:localhost`` (the only addresses the endpoint listens on), and is
issued by a CA of its own, so that a client can validate it against ``ca.pem`` alone (``ansible_winrm_ca_trust_path``)
and fails to without it. The CA's private key is never written: nothing may issue another certificate under it.

The files live in the host's ``workdir`` beside its store and, like the store, are kept across restarts: a host
restarted on the same workdir presents the same certificate, so a client's CA file stays valid. Certificates
that are missing, unreadable or no longer valid for another hour are made anew (all three files together).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CERT_FILE = "server-cert.pem"
KEY_FILE = "server-key.pem"
#: The names the server certificate is valid for (its subject alternative names).
SERVER_DNS_NAMES = ("localhost",)
SERVER_IP_ADDRESSES = ("127.0.0.1",)
# Validity: long enough for any test run or demo, short enough to stay throwaway (emulator choice).
_VALIDITY = datetime.timedelta(days=30)
# A certificate that expires sooner than this is made anew when the host starts.
_MINIMUM_LEFT = datetime.timedelta(hours=1)
# New-SelfSignedCertificate's default key (RSA 2048, SHA-256 signatures); cheap enough to make per host.
_KEY_SIZE = 2048


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files of one host: the CA certificate a client trusts, the server's certificate and its key."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def ensure_certificates(workdir: Path) -> TlsFiles:
    """The TLS files in ``workdir``, made if missing, unreadable or about to expire; returns their paths."""
    files = TlsFiles(workdir / CA_FILE, workdir / CERT_FILE, workdir / KEY_FILE)
    if not _usable(files):
        _write_certificates(files)
    return files


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """The server side of TLS with the host's certificate: TLS 1.2 or newer, no client certificate asked for."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(files.cert_file), str(files.key_file))
    return context


def handshake(connection: socket.socket) -> bool:
    """The server's TLS handshake on an accepted connection (wrapped with ``do_handshake_on_connect=False``, so that
    the policy judges the connection's first packet before anything is answered); True for a plain connection.

    False when it fails: a client that speaks plain HTTP to the HTTPS port, one that rejects the certificate, one that
    hangs up or stays silent until the handler's time-out. The caller then closes the connection without an HTTP
    reply (A-162)."""
    if not isinstance(connection, ssl.SSLSocket):
        return True
    try:
        connection.do_handshake()
    except (ssl.SSLError, OSError):  # OSError covers resets and time-outs
        return False
    return True


def _usable(files: TlsFiles) -> bool:
    """Whether all three files exist, and the server certificate is issued by the CA and valid for another hour."""
    try:
        ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
        server = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
        serialization.load_pem_private_key(files.key_file.read_bytes(), password=None)
    except (OSError, ValueError):
        return False
    left = min(ca.not_valid_after_utc, server.not_valid_after_utc) - datetime.datetime.now(datetime.timezone.utc)
    return server.issuer == ca.subject and left > _MINIMUM_LEFT


def _write_certificates(files: TlsFiles) -> None:
    """Make a CA and a server certificate signed by it; write the CA certificate, the server certificate and key."""
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = now - datetime.timedelta(minutes=5), now + _VALIDITY  # a little slack for a clock that differs
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lockdown.ipsec emulated host test CA")])
    ca_key_id = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_key_id, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)
    names = [x509.DNSName(name) for name in SERVER_DNS_NAMES] + [x509.IPAddress(ipaddress.ip_address(a)) for a in SERVER_IP_ADDRESSES]
    server = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_DNS_NAMES[0])]))
        .issuer_name(ca_name).public_key(server_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write(files.key_file, key_pem, 0o600)
    _write(files.cert_file, server.public_bytes(serialization.Encoding.PEM), 0o644)
    _write(files.ca_file, ca.public_bytes(serialization.Encoding.PEM), 0o644)


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """A CA signs certificates; a TLS server with an RSA key signs the handshake and takes key transport."""
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=not cert_sign, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``path`` atomically with ``mode`` (a reader never sees half a file, a key is never readable by others)."""
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
