"""What the tests share: raw HTTP servers (any answer, byte for byte; one that hangs; a TLS one),
HTTP to the emulator (``call`` and its ``Reply``), the command line (in-process and in a child
process), calls in threads, the texts an error or a log record holds (for the redaction tests),
documents and answers the tests serve. The fixtures are in ``tests/conftest.py`` (and a folder's
own ``conftest.py``); the settings of generated examples in ``tests/helpers/properties.py``.

Nothing here imports ``ssl``, ``trustme`` or ``hypothesis`` at import time: the smoke subset of
``scripts/test-wheel`` runs where they may be missing."""

from __future__ import annotations

import asyncio
import contextlib
import http
import http.client
import io
import json
import logging
import os
import pickle
import pickletools
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import pinecone_backups as pb
from pinecone_backups.__main__ import main
from pinecone_backups.testing import SPEC_EXAMPLE_RESPONSE, Emulator

if TYPE_CHECKING:
    import ssl

    import trustme

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""
API_KEY = "pcsk_test_0123456789abcdef"
"""The key of the ``emulator`` fixture's emulator and of the ``client`` fixture."""
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
"""The proxy settings the client reads from the environment (upper- or lower-case)."""

API_HEADERS = {"Api-Key": "test-key", "X-Pinecone-Api-Version": "2025-10"}
"""The headers of a request the emulator (started without an API key) accepts."""
JSON_HEADERS = {**API_HEADERS, "Content-Type": "application/json"}
TARGET = "/indexes/my-index/backups"
RFC3339_MICROS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
"""A timestamp as the emulator writes them."""


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


def address(emu: Emulator) -> tuple[str, int]:
    parts = urlsplit(emu.url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def connect(emu: Emulator, timeout: float = 10.0) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(*address(emu), timeout=timeout)


def raw_request(target: str = TARGET, method: str = "GET", *, close: bool = True) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: emulator"]
    lines += [f"{name}: {value}" for name, value in API_HEADERS.items()]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


@dataclass
class Reply:
    """An answer of the emulator, as ``call`` read it."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    emu: Emulator,
    target: str,
    method: str = "GET",
    document: object = None,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    """Sends one request (``target`` exactly as given) and reads the whole answer: ``document`` as
    JSON, else ``body`` as given; ``headers`` (by default the API's, with a JSON content type when
    there is a body); on ``connection``, else on a new connection closed afterwards."""
    if document is not None:
        body = json.dumps(document).encode()
    if headers is None:
        headers = API_HEADERS if body is None else JSON_HEADERS
    conn = connection or connect(emu)
    try:
        conn.request(method, target, body=body, headers=headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if connection is None:
            conn.close()


def assert_error(reply: Reply, status: int, code: str, message: str | None = None) -> None:
    """``reply`` is the emulator's error document of that status and code (and message)."""
    assert reply.status == status, reply.body
    document = reply.json()
    assert (document["status"], document["error"]["code"]) == (status, code)
    if message is not None:
        assert document["error"]["message"] == message


def backups_path(index_name: str, **query: str) -> str:
    """The path of an index's backups, percent-encoded, with ``query``."""
    path = f"/indexes/{quote(index_name, safe='')}/backups"
    if query:
        path += "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in query.items())
    return path


@dataclass
class Wire:
    """Everything a raw socket received, and how the connection ended."""

    data: bytes = b""
    ending: str = "eof"  # "eof" (a FIN), "reset" (an RST) or "timeout"
    reads: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, byte count)

    @property
    def head(self) -> bytes:
        return self.data.partition(b"\r\n\r\n")[0]

    @property
    def body(self) -> bytes:
        return self.data.partition(b"\r\n\r\n")[2]

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1])

    def headers(self) -> dict[str, str]:
        lines = self.head.decode("latin-1").split("\r\n")[1:]
        pairs = (line.split(":", 1) for line in lines)
        return {name.strip().lower(): value.strip() for name, value in pairs}


def raw_call(emu: Emulator, request: bytes | None = None, timeout: float = 10.0) -> Wire:
    """Send ``request`` (by default a GET of ``TARGET``) on a new socket and read until the server
    closes or resets it."""
    wire = Wire()
    with socket.create_connection(address(emu), timeout=timeout) as sock:
        sock.sendall(raw_request() if request is None else request)
        try:
            while data := sock.recv(65536):
                wire.data += data
                wire.reads.append((time.monotonic(), len(data)))
        except ConnectionResetError:
            wire.ending = "reset"
        except TimeoutError:
            wire.ending = "timeout"
    return wire


def free_port() -> int:
    """A local port nothing listens on (bound then released): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve_in_threads(sock: socket.socket, handle: Callable[[socket.socket], object]) -> None:
    """Accepts connections on ``sock`` in a daemon thread, each handled by ``handle`` in a thread
    of its own, until the socket is closed."""

    def accept_loop() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()


class SilentServer:
    """Accepts connections, reads requests and never answers; records when each client hangs up."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests_seen = threading.Event()
        self.hung_up_at: list[float] = []
        serve_in_threads(self.sock, self._hold)

    def _hold(self, conn: socket.socket) -> None:
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    self.hung_up_at.append(time.time())
                    return
                if b"\r\n\r\n" in data:
                    self.requests_seen.set()

    def close(self) -> None:
        self.sock.close()


def run_in_fork(child: Callable[[], bool], timeout: float = 30) -> int:
    """Forks; the child runs ``child`` and exits 0 if it returned True, 1 if False, 2 if it
    raised. Returns the child's exit code, killing it after ``timeout`` seconds (then -9)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        pid = os.fork()
    if pid == 0:
        code = 2
        try:
            code = 0 if child() else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL
        time.sleep(0.05)


# -- A raw HTTP/1.1 server -------------------------------------------------------------------------
# It answers what a handler says, byte for byte: any status, header (names included), body or
# framing; it can also hang (read the request, never answer) or drop (close unanswered). It keeps
# every request and counts connections, so a test can say how many attempts reached it.


@dataclass
class RawRequest:
    """One request the raw server read."""

    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    connection: int  # 1-based number of the connection it came on
    head: bytes = b""  # the request line and headers, as read
    received_at: float = field(default_factory=time.monotonic)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    def param(self, name: str) -> str | None:
        """A query parameter (the first one of that name), or None."""
        values = parse_qs(urlsplit(self.target).query).get(name)
        return values[0] if values else None


@dataclass
class RawReply:
    """What the raw server sends: ``status`` and ``body`` with ``Content-Type`` and
    ``Content-Length`` (unless given in ``headers``, which are sent as given, names included);
    or ``raw`` bytes verbatim. ``close`` hangs up after sending, ``delay`` waits first."""

    status: int = 200
    body: bytes | str = b""
    headers: Sequence[tuple[str, str]] = ()
    content_type: str | None = "application/json"
    raw: bytes | None = None
    close: bool = False
    delay: float = 0.0

    def encode(self) -> bytes:
        if self.raw is not None:
            return self.raw
        body = self.body.encode() if isinstance(self.body, str) else self.body
        names = {name.lower() for name, _ in self.headers}
        lines = [f"HTTP/1.1 {self.status} {_reason(self.status)}"]
        if self.content_type is not None and "content-type" not in names:
            lines.append(f"Content-Type: {self.content_type}")
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body


HANG = "hang"
"""A handler's answer: read the request and never answer (until the server is closed)."""
DROP = "drop"
"""A handler's answer: close the connection without answering."""

RawHandler = Callable[[RawRequest], "RawReply | str"]
_Server = TypeVar("_Server", bound="RawServer")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Whatever"


def json_reply(document: object, status: int = 200, **options: Any) -> RawReply:
    """A reply holding ``document`` as JSON."""
    return RawReply(status, json.dumps(document).encode(), **options)


class RawServer:
    """An HTTP/1.1 server on 127.0.0.1 (keep-alive, optionally TLS with ``context``) answering each
    request with ``handler(request)``: a :class:`RawReply`, :data:`HANG` or :data:`DROP`. A
    handler that raises is answered with a 599 (and the error is kept in ``errors``).

    ``requests`` are the requests read, ``connections`` how many connections were accepted;
    ``close()`` (or the end of a ``with`` block) hangs up every connection, hung ones included."""

    def __init__(self, handler: RawHandler, context: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.context = context
        self.requests: list[RawRequest] = []
        self.errors: list[BaseException] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        serve_in_threads(self.sock, self._serve)

    def __enter__(self: _Server) -> _Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def paths(self) -> list[str]:
        with self._lock:
            return [f"{r.method} {r.path}" for r in self.requests]

    def close(self) -> None:
        self._stopped.set()
        self.sock.close()
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _serve(self, conn: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            number = self.connections
            self._open.append(conn)
        try:
            if self.context is not None:
                conn.settimeout(10)
                conn = self.context.wrap_socket(conn, server_side=True)
                conn.settimeout(None)
                with self._lock:
                    self._open.append(conn)
            self._exchange(conn, number)
        except (OSError, ValueError):
            pass  # the client hung up, refused our certificate, or the server was closed
        finally:
            conn.close()

    def _exchange(self, conn: socket.socket, number: int) -> None:
        buffer = b""
        while not self._stopped.is_set():
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            head, buffer = buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            while len(buffer) < length:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            body, buffer = buffer[:length], buffer[length:]
            request = RawRequest(method, target, headers, body, number, head)
            with self._lock:
                self.requests.append(request)
            try:
                reply = self.handler(request)
            except Exception as error:  # a broken handler must not kill the thread silently
                self.errors.append(error)
                reply = RawReply(599, repr(error), content_type="text/plain")
            if reply == HANG:
                self._stopped.wait()
                return
            if reply == DROP or not isinstance(reply, RawReply):
                return
            if reply.delay and self._stopped.wait(reply.delay):
                return
            conn.sendall(reply.encode())
            if reply.close:
                return


class OneShotServer(RawServer):
    """Answers every request with a page of one backup (``b``), over TLS with ``context``; a proxy
    too (it gets the absolute URL). ``heads`` are the heads of the requests it read, as text."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        backup = {
            "backup_id": "b",
            "source_index_name": "i",
            "source_index_id": "x",
            "status": "Ready",
            "cloud": "aws",
            "region": "r",
        }
        page = {"data": [backup], "pagination": None}
        super().__init__(lambda _: json_reply(page), context)

    @property
    def heads(self) -> list[str]:
        return [request.head.decode("latin-1") for request in self.requests]


class TlsServer:
    """An HTTPS server with ``certificate`` answering every request with an empty page;
    ``heads`` are the heads of the requests it read (none when the client refused the
    certificate)."""

    def __init__(self, certificate: trustme.LeafCert) -> None:
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self.server = RawServer(lambda _: json_reply({"data": [], "pagination": None}), context)
        self.port = self.server.port

    @property
    def heads(self) -> list[bytes]:
        return [request.head for request in self.server.requests]

    def url(self, host: str) -> str:
        return f"https://{host}:{self.port}"

    def close(self) -> None:
        self.server.close()


def backup_json(
    backup_id: str, index: str = "idx", status: str = "Ready", **fields: Any
) -> dict[str, Any]:
    """A ``BackupModel`` document."""
    return {
        "backup_id": backup_id,
        "source_index_name": index,
        "source_index_id": f"{index}-id",
        "status": status,
        "cloud": "aws",
        "region": "us-east-1",
        "created_at": "2025-01-01T00:00:00Z",
        **fields,
    }


def restore_job_json(job_id: str, status: str = "Completed", **fields: Any) -> dict[str, Any]:
    """A ``RestoreJobModel`` document."""
    return {
        "restore_job_id": job_id,
        "backup_id": "b-1",
        "target_index_name": "restored",
        "target_index_id": "restored-id",
        "status": status,
        "created_at": "2025-01-01T00:00:00Z",
        **fields,
    }


# -- The command line ------------------------------------------------------------------------------

READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][0]["backup_id"]
"""A Ready backup of the seeded emulator (my-index's newest)."""
EVIL = "evil\x1b[2J\x1b]0;title\x07\rok\nnext\x9b31m\x7f\u202eend\\x"
"""Erase the screen, set the window title, return to the start of the line, a new line, the C1
control sequence introducer, DEL, and a right-to-left override: what a hostile server could put
in a name to rewrite what the user sees (or confirms)."""

Start = Callable[..., Emulator]
"""The ``start`` fixture: starts an emulator with options."""


def cli(emu: Emulator, *args: str) -> int:
    """Runs the command in-process (``main``) against ``emu``; its exit status."""
    return main([*args, "--host", emu.url])


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Runs ``python -m pinecone_backups *args`` in a child process, without the machine's
    ``PINECONE_*`` variables (plus ``env``)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answers in it."""

    def isatty(self) -> bool:
        return True


def fields_of(text: str) -> dict[str, str]:
    """A detail view (``describe``, ``job``, a wait's result) as a dict."""
    return dict(line.split(None, 1) for line in text.splitlines())


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON documents of ``--json`` output, one a line."""
    return [json.loads(line) for line in text.splitlines()]


# The CLI in a child process, bounded in time and memory.


@dataclass
class CliRun:
    returncode: int | None  # None: killed (too slow or too big)
    stdout: str
    stderr: str
    elapsed: float
    peak_rss: int  # bytes, as sampled
    killed: str = ""  # why it was killed ("timeout", "memory"), or ""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 20.0,
    max_rss: int = 400 * 1024 * 1024,
) -> CliRun:
    """Runs ``python -m pinecone_backups *args`` with ``env`` (plus ``PYTHONPATH`` when set, so
    that a run against another build tests that build); kills it past ``timeout`` seconds or
    ``max_rss`` bytes of resident memory (sampled every 20 ms)."""
    full_env = {"PATH": os.environ.get("PATH", ""), **(env or {})}
    if "PYTHONPATH" in os.environ:
        full_env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "pinecone_backups", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
    )
    outputs: dict[str, bytes] = {}

    def read(name: str, stream: IO[bytes]) -> None:
        outputs[name] = stream.read()

    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=read, args=("out", process.stdout), daemon=True),
        threading.Thread(target=read, args=("err", process.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    peak, killed = 0, ""
    while process.poll() is None:
        peak = max(peak, _rss(process.pid))
        if peak > max_rss:
            killed = "memory"
        elif time.monotonic() - started > timeout:
            killed = "timeout"
        if killed:
            process.kill()
            break
        time.sleep(0.02)
    returncode = process.wait()
    elapsed = time.monotonic() - started
    for reader in readers:
        reader.join(10)
    process.stdout.close()
    process.stderr.close()
    return CliRun(
        None if killed else returncode,
        outputs.get("out", b"").decode("utf-8", "replace"),
        outputs.get("err", b"").decode("utf-8", "replace"),
        elapsed,
        peak,
        killed,
    )


# -- A server that echoes the API key --------------------------------------------------------------
# Every place a server can put text, each as a reply that holds ``key`` there. Errors are 5xx
# with ``Retry-After: 0`` so that a retrying client logs its retries at once.

RETRY_NOW = ("Retry-After", "0")


def error_response(
    *,
    code: str = "UNAVAILABLE",
    message: str = "Service unavailable",
    details: object = None,
    headers: Sequence[tuple[str, str]] = (),
    status: int = 503,
) -> RawReply:
    error: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    if not any(name.lower() == "retry-after" for name, _ in headers):
        headers = [RETRY_NOW, *headers]
    return json_reply({"error": error}, status, headers=headers)


ECHOES: dict[str, Callable[[str], RawReply]] = {
    "error.code": lambda k: error_response(code=f"BAD_{k}"),
    "error.code is the key": lambda k: error_response(code=k),
    "error.message": lambda k: error_response(message=f"invalid key {k} (sent: {k})"),
    "error is a string": lambda k: json_reply(
        {"error": f"no such key {k}"}, 503, headers=[RETRY_NOW]
    ),
    "top-level message": lambda k: json_reply(
        {"message": f"no such key {k}"}, 503, headers=[RETRY_NOW]
    ),
    "error.details values": lambda k: error_response(
        details={"key": k, "nested": {"list": [1, k, {"deep": f"<{k}>"}]}}
    ),
    "error.details keys": lambda k: error_response(
        details={k: 1, "nested": {f"{k}-field": {"deeper": [{k: "v"}]}}}
    ),
    "header value": lambda k: error_response(
        headers=[("X-Echo", k), ("X-Echo-Too", f"before {k} after")]
    ),
    "header name": lambda k: error_response(headers=[(f"X-{k}", "v"), (f"X-A-{k}-B", "w")]),
    "x-pinecone-request-id": lambda k: error_response(headers=[("x-pinecone-request-id", k)]),
    "x-request-id": lambda k: error_response(headers=[("x-request-id", f"req-{k}")]),
    "plain-text body": lambda k: RawReply(
        503, f"upstream refused the key {k}", [RETRY_NOW], content_type="text/plain"
    ),
    "HTML body": lambda k: RawReply(
        502,
        f"<html><body><h1>Bad Gateway</h1><p>key: {k}</p></body></html>",
        [RETRY_NOW],
        content_type="text/html",
    ),
    "2xx field of the wrong type": lambda k: json_reply({"data": [backup_json("b", dimension=k)]}),
    "2xx data of the wrong type": lambda k: json_reply({"data": k, "pagination": None}),
    "2xx plain text": lambda k: RawReply(200, f"not JSON: {k}", content_type="text/plain"),
}
"""Replies that hold the key somewhere (a 5xx error, or a 2xx that does not decode)."""


def everywhere(key: str) -> RawReply:
    """One error reply with the key in every place an error keeps text at once."""
    return error_response(
        code=f"BAD_{key}",
        message=f"invalid key {key}",
        details={key: key, "nested": [{"k": f"<{key}>"}]},
        headers=[
            ("X-Echo", key),
            (f"X-{key}", "v"),
            ("x-pinecone-request-id", key),
        ],
    )


MESSAGE_CUT = 200
"""Characters of a plain-text error body kept as ``message``."""
BODY_CUT = 64 * 1024
"""Bytes of an error body kept as ``body``."""
SNIPPET_CUT = 512
"""Bytes of an undecodable 2xx body kept as ``snippet``."""


def _straddling(key: str, cut: int, before: int, total: int) -> str:
    """Filler ('.') with ``key`` placed so that its first ``before`` characters come before
    character ``cut``, ``total`` characters in all."""
    start = cut - before
    text = "." * start + key
    return text + "." * (total - len(text))


CUTS: dict[str, Callable[[str, int], RawReply]] = {
    "message (200 characters)": lambda k, before: RawReply(
        503, _straddling(k, MESSAGE_CUT, before, 400), [RETRY_NOW], content_type="text/plain"
    ),
    "body (64 KiB), plain text": lambda k, before: RawReply(
        503,
        _straddling(k, BODY_CUT, before, BODY_CUT + 1000),
        [RETRY_NOW],
        content_type="text/plain",
    ),
    "body (64 KiB), HTML": lambda k, before: RawReply(
        502,
        "<html>" + _straddling(k, BODY_CUT - 6, before, BODY_CUT + 1000),
        [RETRY_NOW],
        content_type="text/html",
    ),
    "snippet (512 bytes)": lambda k, before: RawReply(
        200, _straddling(k, SNIPPET_CUT, before, 2000), content_type="text/plain"
    ),
    "snippet (512 bytes) of JSON": lambda k, before: RawReply(
        200, '{"data": "' + _straddling(k, SNIPPET_CUT - 10, before, 2000) + '"}'
    ),
}
"""Replies whose text is cut where the key is: ``before`` of its characters are kept."""


def strings_in(value: object, depth: int = 0) -> Iterator[str]:
    """Every piece of text in ``value``: strings and bytes, dict keys, items of containers, an
    exception's str, repr, args, attributes and chained exceptions."""
    if depth > 20:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (bytes, bytearray)):
        yield bytes(value).decode("latin-1")
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_in(name, depth + 1)
            yield from strings_in(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from strings_in(item, depth + 1)
    elif isinstance(value, BaseException):
        yield str(value)
        yield repr(value)
        yield from strings_in(value.args, depth + 1)
        yield from strings_in(vars(value), depth + 1)
        for chained in (value.__cause__, value.__context__):
            if chained is not None:
                yield from strings_in(chained, depth + 1)
    elif value is not None:
        yield repr(value)


def pickled_strings(value: object) -> list[str]:
    """The text a pickle of ``value`` holds (its string and bytes operands: names, attribute
    values...), and everything in the object it unpickles to."""
    data = pickle.dumps(value)
    texts = [
        arg.decode("latin-1") if isinstance(arg, bytes) else arg
        for _, arg, _ in pickletools.genops(data)
        if isinstance(arg, (str, bytes))
    ]
    return texts + list(strings_in(pickle.loads(data)))


def error_texts(error: BaseException) -> dict[str, list[str]]:
    """Where an exception keeps text: str, repr, the full traceback text, every attribute, the
    pickle."""
    texts = {
        "str": [str(error)],
        "repr": [repr(error)],
        "traceback": ["".join(traceback.format_exception(type(error), error, None))],
        "pickle": pickled_strings(error),
    }
    for name, value in vars(error).items():
        texts[f".{name}"] = list(strings_in(value))
    texts[".args"] = list(strings_in(error.args))
    return texts


def log_texts(records: Sequence[logging.LogRecord]) -> dict[str, list[str]]:
    """The text of log records: each message and every attribute of the record."""
    texts: dict[str, list[str]] = {}
    for number, record in enumerate(records):
        where = f"log {number} ({record.levelname} {record.name})"
        texts[where] = [record.getMessage(), *strings_in(vars(record))]
    return texts


def key_fragments(key: str, cut: bool, ends: bool = True) -> list[str]:
    """What must not appear of ``key``: the key itself and its lower-case form (header names
    are lower-cased), and, when the text was cut in the middle of the key, each start (and,
    with ``ends``, each end) of it 4 characters long or more."""
    fragments = {key, key.lower()}
    if cut:
        for length in range(4, len(key)):
            fragments.add(key[:length])
            if ends:
                fragments.add(key[-length:])
    return sorted(fragments, key=len, reverse=True)


def find_leaks(
    texts: dict[str, list[str]], key: str, *, cut: bool = False, ends: bool = True
) -> list[str]:
    """Where a fragment of ``key`` (see :func:`key_fragments`) appears: "where: fragment in
    text" lines, empty when it appears nowhere."""
    leaks = []
    fragments = key_fragments(key, cut, ends)
    for where, strings in texts.items():
        for text in strings:
            for fragment in fragments:
                if fragment in text:
                    at = text.index(fragment)
                    context = text[max(0, at - 20) : at + len(fragment) + 20]
                    leaks.append(f"{where}: {fragment!r} in ...{context!r}...")
                    break
    return leaks


# -- The client against the emulator ---------------------------------------------------------------

INSTANT = pb.Retry(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
"""Retries without waiting, to see which requests are retried."""
MAYBE_PROCESSED = "the request may have been processed"


def methods(emu: Emulator) -> list[str]:
    """The requests ``emu`` received, as ``METHOD /path``."""
    return [f"{r.method} {r.path}" for r in emu.requests]


def ready_backup(client: pb.Client, emu: Emulator, index: str = "docs-example") -> pb.Backup:
    """A backup created by ``client`` and made Ready by emulator time."""
    created = client.create_backup(index)
    emu.advance(emu.backup_seconds)
    return client.describe_backup(created.backup_id)


def refused(
    emu: Emulator, call: Callable[[], object], param: str, error: type[pb.ValidationError]
) -> pb.ValidationError:
    """The validation error ``call`` raises about ``param``, having sent nothing."""
    before = len(emu.requests)
    with pytest.raises(error) as caught:
        call()
    assert caught.value.param == param, caught.value
    assert len(emu.requests) == before, "a refused call sent a request"
    return caught.value


# -- Documents -------------------------------------------------------------------------------------

FIELDS = [
    "backup_id",
    "source_index_name",
    "source_index_id",
    "status",
    "cloud",
    "region",
    "name",
    "description",
    "dimension",
    "metric",
    "schema",
    "record_count",
    "namespace_count",
    "size_bytes",
    "tags",
    "created_at",
    "source_index_deleted_at",
]
"""A backup's fields, in the declared order (``source_index_deleted_at``: API 2026-04 on)."""


def minimal(**extra: Any) -> dict[str, Any]:
    """A ``BackupModel`` document with its required fields only (plus ``extra``)."""
    return {
        "backup_id": "b-1",
        "source_index_name": "idx",
        "source_index_id": "idx-1",
        "status": "Ready",
        "cloud": "aws",
        "region": "us-east-1",
        **extra,
    }


def job_with(created_at: Any = "2025-01-01T00:00:00Z", **fields: Any) -> dict[str, Any]:
    """A ``RestoreJobModel`` document with this ``created_at``."""
    return restore_job_json("j-1", created_at=created_at, **fields)


def assert_same_json(actual: Any, expected: Any, where: str = "") -> None:
    """Equal JSON values of the same JSON types (`==` alone takes True for 1 and 1 for 1.0)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} != {expected!r}"
        assert set(actual) == set(expected), f"{where}: keys {set(actual) ^ set(expected)}"
        for key in expected:
            assert_same_json(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same_json(a, e, f"{where}[{i}]")
    else:
        assert type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


# -- A delete answered 2xx with a body that cannot be read -----------------------------------------

_GZIP_GARBAGE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03this is not deflate data at all"
CAP = 1024
"""``max_response_bytes`` of the clients that get ``DELETE_ANSWERS``."""


def _delete_answers() -> dict[str, RawReply]:
    big = b'{"data": [' + b" " * (4 * CAP) + b"]}"
    chunked = (
        b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
        + f"{len(big):x}\r\n".encode()
        + big
        + b"\r\n0\r\n\r\n"
    )
    return {
        "202, gzip that does not inflate": RawReply(
            202, _GZIP_GARBAGE, [("Content-Encoding", "gzip")]
        ),
        "200, gzip that does not inflate": RawReply(
            200, _GZIP_GARBAGE, [("Content-Encoding", "gzip")]
        ),
        "202, a body over max_response_bytes": RawReply(202, big),
        "202, a declared body over max_response_bytes (chunked)": RawReply(raw=chunked),
        "202, gzip over max_response_bytes": RawReply(
            202, _GZIP_GARBAGE + b"x" * (4 * CAP), [("Content-Encoding", "gzip")]
        ),
    }


DELETE_ANSWERS = _delete_answers()
"""2xx answers to a DELETE whose body a client with ``max_response_bytes=CAP`` cannot read."""


# -- A raw server told what to answer for each generated example -----------------------------------


class Scripted:
    """A raw server whose answer is set per example (``reply``, or ``handler`` for walks)."""

    def __init__(self) -> None:
        self.reply: RawReply = RawReply()
        self.next_of: dict[str | None, str | None] = {}
        self.lock = threading.Lock()
        self.pages = 0
        self.server = RawServer(self.answer)

    def answer(self, request: RawRequest) -> RawReply:
        if not self.next_of:
            return self.reply
        token = request.param("paginationToken")
        with self.lock:
            self.pages += 1
            number = self.pages
        if token not in self.next_of:
            return json_reply({"error": {"code": "INVALID_ARGUMENT", "message": "?"}}, 400)
        following = self.next_of[token]
        pagination = None if following is None else {"next": following}
        return json_reply({"data": [backup_json(f"b-{number}")], "pagination": pagination})

    def walk(self, next_of: dict[str | None, str | None]) -> None:
        with self.lock:
            self.next_of = next_of
            self.pages = 0


class Records(logging.Handler):
    """The records of the ``pinecone_backups`` logger during a block (caplog is per test, and a
    property runs many examples in one test)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Records:
        logger = logging.getLogger("pinecone_backups")
        self.level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logger = logging.getLogger("pinecone_backups")
        logger.removeHandler(self)
        logger.setLevel(self.level)


_ONE_RETRY_AT_ONCE = pb.Retry(max_retries=1, backoff_base=0.0, backoff_cap=0.0)


def error_of(scripted: Scripted, reply: RawReply, key: str) -> tuple[BaseException, Records]:
    """The error of listing from ``scripted`` answering ``reply`` with API key ``key`` (one retry,
    at once), and the records logged meanwhile."""
    scripted.walk({})
    scripted.reply = reply
    with (
        Records() as records,
        pb.Client(
            api_key=key, host=scripted.server.url, retry=_ONE_RETRY_AT_ONCE, timeout=5
        ) as client,
    ):
        try:
            client.list_index_backups("idx")
        except pb.PineconeError as error:
            return error, records
    pytest.fail("the call succeeded")


# -- Calls in threads ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """How a call run in a thread ended: its result or exception, and when (monotonic)."""

    started: float
    ended: float | None = None
    result: Any = None
    error: BaseException | None = None

    @property
    def seconds(self) -> float:
        assert self.ended is not None
        return self.ended - self.started


def in_threads(call: Callable[[], Any], count: int) -> list[tuple[threading.Thread, Outcome]]:
    """Starts ``call`` in ``count`` daemon threads; each records its outcome (never raises, so a
    thread left running by a failed test cannot disturb another)."""
    started = []
    for _ in range(count):
        outcome = Outcome(time.monotonic())

        def run(outcome: Outcome = outcome) -> None:
            try:
                outcome.result = call()
            except BaseException as error:
                outcome.error = error
            outcome.ended = time.monotonic()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        started.append((thread, outcome))
    return started


def join_all(threads: list[tuple[threading.Thread, Outcome]], deadline: float) -> list[Outcome]:
    """Joins the threads until ``deadline`` (monotonic); fails if any is still running."""
    for thread, _ in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    running = sum(thread.is_alive() for thread, _ in threads)
    assert running == 0, f"{running} of {len(threads)} calls still running at the deadline"
    return [outcome for _, outcome in threads]


async def wait_for_requests(server: RawServer, count: int, timeout: float = 5.0) -> None:
    """Waits (in an event loop) until ``server`` has read ``count`` requests."""
    deadline = time.monotonic() + timeout
    while len(server.requests) < count:
        assert time.monotonic() < deadline, f"{len(server.requests)} requests of {count}"
        await asyncio.sleep(0.005)
