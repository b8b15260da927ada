"""TLS verification (issue 8, "Smaller rooms"): the lazily loaded roots must still verify
everything rustls verifies. A certificate from a CA the client was not given, one for another
host name and an expired one each fail with a typed connection error, before any request is
sent; the same server with a good certificate answers."""

from __future__ import annotations

import datetime
import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

import pinecone_backups as pb
from conftest import API_KEY
from helpers import serve_in_threads

BODY = b'{"data":[],"pagination":null}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class TlsServer:
    """An HTTPS server answering every request with an empty BackupList; keeps the request heads
    it received (none when the client refused the certificate)."""

    def __init__(self, certificate: trustme.LeafCert) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(self.context)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.heads: list[bytes] = []
        serve_in_threads(self.sock, self._answer)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                data = b""
                while chunk := tls.recv(65536):
                    data += chunk
                    while b"\r\n\r\n" in data:
                        head, data = data.split(b"\r\n\r\n", 1)
                        self.heads.append(head)
                        tls.sendall(RESPONSE)
        except OSError:  # ssl.SSLError included: the client refused the certificate
            conn.close()

    def url(self, host: str) -> str:
        return f"https://{host}:{self.port}"

    def close(self) -> None:
        self.sock.close()


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
