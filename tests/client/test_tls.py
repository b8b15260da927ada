"""TLS: the lazily loaded roots still verify everything rustls verifies, extra roots
(``ca_certs``, ``SSL_CERT_FILE``) are honoured, and a certificate that fails verification (from a
CA the client was not given, self-signed, for another host name, expired or not yet valid) ends
the call at once, unretried, with a typed connection error that says why, before any request is
sent."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

import pinecone_backups as pb
from tests.helpers import (
    API_KEY,
    OneShotServer,
    RawServer,
    TlsServer,
)

# -- Verification by the lazily loaded roots ------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def serve() -> Iterator[Callable[[trustme.LeafCert], TlsServer]]:
    servers: list[TlsServer] = []

    def start(certificate: trustme.LeafCert) -> TlsServer:
        servers.append(TlsServer(certificate))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def refused(server: TlsServer, host: str, ca_certs: Path | None) -> pb.PineconeConnectionError:
    """The connection error of a call to ``server`` (as ``host``) with ``ca_certs``; asserts that
    it is about the certificate and that no request was sent."""
    client = pb.Client(api_key=API_KEY, host=server.url(host), ca_certs=ca_certs, max_retries=0)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("docs-example")
    assert "certificate" in str(caught.value).lower(), str(caught.value)
    assert server.heads == [], "no request is sent over a connection that failed verification"
    return caught.value


HOSTS = ["localhost", "127.0.0.1"]


@pytest.mark.parametrize("host", HOSTS)
def test_a_valid_certificate_is_accepted(
    serve: Callable[[trustme.LeafCert], TlsServer], ca: trustme.CA, ca_file: Path, host: str
) -> None:
    server = serve(ca.issue_cert("localhost", "127.0.0.1"))
    client = pb.Client(api_key=API_KEY, host=server.url(host), ca_certs=ca_file, max_retries=0)
    assert len(client.list_index_backups("docs-example")) == 0
    assert server.heads[0].startswith(b"GET /indexes/docs-example/backups HTTP/1.1")


@pytest.mark.parametrize("given", ["no ca_certs", "another CA's ca_certs"])
def test_an_untrusted_authority_is_refused(
    serve: Callable[[trustme.LeafCert], TlsServer], ca_file: Path, given: str
) -> None:
    stranger = trustme.CA()  # signs the server's certificate; the client trusts ``ca`` at most
    server = serve(stranger.issue_cert("localhost", "127.0.0.1"))
    refused(server, "localhost", None if given == "no ca_certs" else ca_file)


@pytest.mark.parametrize("host", HOSTS)
def test_a_certificate_for_another_host_is_refused(
    serve: Callable[[trustme.LeafCert], TlsServer], ca: trustme.CA, ca_file: Path, host: str
) -> None:
    server = serve(ca.issue_cert("other.example"))
    refused(server, host, ca_file)


def test_an_expired_certificate_is_refused(
    serve: Callable[[trustme.LeafCert], TlsServer], ca: trustme.CA, ca_file: Path
) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    expired = ca.issue_cert(
        "localhost",
        "127.0.0.1",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    server = serve(expired)
    refused(server, "localhost", ca_file)


def test_a_certificate_not_yet_valid_is_refused(
    serve: Callable[[trustme.LeafCert], TlsServer], ca: trustme.CA, ca_file: Path
) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    future = ca.issue_cert(
        "localhost",
        "127.0.0.1",
        not_before=now + datetime.timedelta(days=1),
        not_after=now + datetime.timedelta(days=30),
    )
    server = serve(future)
    refused(server, "localhost", ca_file)


# -- A failed verification is final and says why --------------------------------------------------


KEY = "pcsk_transport_trust_0123456789"
FAST = pb.Retry(max_retries=3, backoff_base=0.01, backoff_cap=0.02)


def self_signed(tmp_path: Path, algorithm: str) -> tuple[Path, Path]:
    """A self-signed (not CA-issued) certificate for localhost and 127.0.0.1, as
    ``openssl req -x509`` makes them: (cert, key)."""
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if algorithm == "EC":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "self.pem", tmp_path / "self.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(
    request: pytest.FixtureRequest, ca: trustme.CA, tmp_path: Path
) -> Iterator[OneShotServer]:
    """An HTTPS server answering a page of one backup, with the certificate the test names
    (indirect parametrization), by default a valid one from ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    now = datetime.datetime.now(datetime.timezone.utc)
    kind: str = getattr(request, "param", "valid")
    if kind == "valid":
        ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    elif kind == "unknown issuer":
        trustme.CA().issue_cert("localhost", "127.0.0.1").configure_cert(context)
    elif kind.startswith("self-signed"):
        cert, key = self_signed(tmp_path, "EC" if "EC" in kind else "RSA")
        context.load_cert_chain(cert, key)
    elif kind == "expired":
        ca.issue_cert(
            "localhost",
            "127.0.0.1",
            not_before=now - datetime.timedelta(days=30),
            not_after=now - datetime.timedelta(days=1),
        ).configure_cert(context)
    else:
        ca.issue_cert("other.example").configure_cert(context)
    server = OneShotServer(context)
    yield server
    server.close()


EXPECTED = {
    "unknown issuer": "unknown issuer",
    "self-signed (EC)": "unknown issuer",
    "self-signed (RSA)": "unknown issuer",
    "expired": "expired",
    "another host's": "not valid for",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("tls_server", list(EXPECTED), indirect=True)
def test_a_certificate_that_fails_verification_is_final_and_says_why(
    tls_server: RawServer, ca_file: Path, request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["tls_server"]
    client = pb.Client(
        api_key=KEY, host=f"https://localhost:{tls_server.port}", ca_certs=ca_file, retry=FAST
    )
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("idx")
    assert caught.value.attempts == 1, str(caught.value)
    assert tls_server.connections == 1, f"{tls_server.connections} connections"
    assert tls_server.requests == []
    assert EXPECTED[kind] in str(caught.value).lower(), str(caught.value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("tls_server", ["self-signed (RSA)", "another host's"], indirect=True)
async def test_async_a_certificate_that_fails_verification_is_final(
    tls_server: RawServer, ca_file: Path, request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["tls_server"]
    host = f"https://localhost:{tls_server.port}"
    async with pb.AsyncClient(api_key=KEY, host=host, ca_certs=ca_file, retry=FAST) as client:
        with pytest.raises(pb.PineconeConnectionError) as caught:
            await asyncio.wait_for(client.list_index_backups("idx"), 10)
    assert caught.value.attempts == 1, str(caught.value)
    assert tls_server.connections == 1
    assert EXPECTED[kind] in str(caught.value).lower(), str(caught.value)


# -- Extra roots: ca_certs, SSL_CERT_FILE ---------------------------------------------------------


def test_tls_with_extra_roots(tls_server: OneShotServer, ca_file: Path) -> None:
    host = f"https://localhost:{tls_server.port}"
    client = pb.Client(api_key=API_KEY, host=host, ca_certs=ca_file, max_retries=0)
    assert [b.backup_id for b in client.list_index_backups("x")] == ["b"]
    assert client.list_index_backups("x", limit=5).next_token is None  # the TLS session is reused
    assert tls_server.heads[0].startswith("GET /indexes/x/backups HTTP/1.1")


def test_tls_refuses_an_unknown_authority(tls_server: OneShotServer) -> None:
    client = pb.Client(api_key=API_KEY, host=f"https://localhost:{tls_server.port}", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("x")
    assert "certificate" in str(caught.value).lower()
    assert tls_server.heads == [], "no request was sent over an unverified connection"


def test_ssl_cert_file_is_honoured(tls_server: OneShotServer, ca_file: Path) -> None:
    # In a child process: the environment variable is read when the roots are first loaded.
    script = textwrap.dedent(
        f"""
        import pinecone_backups as pb
        client = pb.Client(api_key={API_KEY!r}, host="https://localhost:{tls_server.port}",
                           max_retries=0)
        print(len(client.list_index_backups("x")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SSL_CERT_FILE": str(ca_file), "PATH": ""},
    )
    assert (result.returncode, result.stdout) == (0, "1\n"), result.stderr
