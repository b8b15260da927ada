"""Transport: TLS with extra roots (`ca_certs`, `SSL_CERT_FILE`) and proxies (`proxy=`,
`HTTP_PROXY`, `NO_PROXY`)."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

import pinecone_backups as pb
from conftest import PROXY_VARIABLES
from helpers import serve_in_threads

API_KEY = "pcsk_transport_0123456789"
BACKUP = {
    "backup_id": "b",
    "source_index_name": "i",
    "source_index_id": "x",
    "status": "Ready",
    "cloud": "aws",
    "region": "r",
}
BODY = json.dumps({"data": [BACKUP], "pagination": None}).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class OneShotServer:
    """Answers every request with a one-backup page, optionally over TLS; keeps the request
    heads it received."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.context = context
        self.heads: list[str] = []
        serve_in_threads(self.sock, self._answer)

    def _answer(self, conn: socket.socket) -> None:
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            data = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
                while b"\r\n\r\n" in data:
                    head, data = data.split(b"\r\n\r\n", 1)
                    self.heads.append(head.decode("latin-1"))
                    conn.sendall(RESPONSE)
        except (OSError, ssl.SSLError):
            return  # a client that refused our certificate hangs up
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[OneShotServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    server = OneShotServer(context)
    yield server
    server.close()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


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


@pytest.fixture
def proxy() -> Iterator[OneShotServer]:
    server = OneShotServer()
    yield server
    server.close()


def test_proxy_option(proxy: OneShotServer) -> None:
    client = pb.Client(
        api_key=API_KEY,
        host="http://backups.invalid",
        proxy=f"http://127.0.0.1:{proxy.port}",
        max_retries=0,
    )
    assert len(client.list_index_backups("x")) == 1
    # A forward proxy gets the absolute URL.
    assert proxy.heads[0].startswith("GET http://backups.invalid/indexes/x/backups HTTP/1.1")


def test_the_machine_s_proxies_are_cleared_for_the_tests() -> None:
    # conftest's autouse fixture: a developer's proxy must not come between the tests and the
    # local emulator (the tests here that want one set it themselves).
    names = {*PROXY_VARIABLES, *(name.lower() for name in PROXY_VARIABLES)}
    assert len(names) == 8
    assert names.isdisjoint(os.environ)


def test_proxy_from_the_environment(proxy: OneShotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert (
        len(pb.Client(api_key=API_KEY, host="http://backups.invalid").list_index_backups("x")) == 1
    )
    assert len(proxy.heads) == 1

    # NO_PROXY: straight to the host (which does not exist: the connection fails).
    monkeypatch.setenv("NO_PROXY", "backups.invalid")
    client = pb.Client(api_key=API_KEY, host="http://backups.invalid", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError):
        client.list_index_backups("x")
    assert len(proxy.heads) == 1

    # proxy="" ignores the environment.
    monkeypatch.delenv("NO_PROXY")
    client = pb.Client(api_key=API_KEY, host="http://backups.invalid", proxy="", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError):
        client.list_index_backups("x")
    assert len(proxy.heads) == 1


def test_proxy_credentials_are_not_echoed() -> None:
    with pytest.raises(pb.ConfigurationError) as caught:
        pb.Client(api_key=API_KEY, proxy="ftp://user:hunter2@proxy")
    assert "hunter2" not in str(caught.value)
