"""The HTTP/1.1 transport: a threaded server that reads requests and writes exchanges."""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import struct
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs

from ._api import Reply, error_reply, index_name_of, status_phrase
from ._records import Headers, RecordedRequest

_MAX_LINE = 65536


# -- how a response goes on the wire -------------------------------------------------------------


class Wire(Protocol):
    """The connection a response is written on (the request handler), as a delivery sees it."""

    command: str
    """The request's method: for ``"HEAD"`` no body goes out (the body given is empty)."""

    @property
    def stopping(self) -> threading.Event:
        """Set when the server stops: a delivery that waits waits on it, and stops writing."""
        ...

    def write(self, data: bytes) -> None:
        """Write ``data`` (``OSError`` if the client left)."""
        ...

    def close_after(self) -> None:
        """Close the connection after this response (a FIN)."""
        ...

    def reset(self) -> None:
        """Close the connection at once with a TCP RST instead of the usual FIN."""
        ...


class Delivery(Protocol):
    """How a response goes on the wire: at once (:class:`Whole`), or mangled by a fault (the
    deliveries of ``_faults.py``)."""

    def framing(self, body: bytes) -> tuple[str, str]:
        """The header that frames ``body`` (``Content-Length`` or ``Transfer-Encoding``)."""
        ...

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        """Write the response's ``head`` and ``body`` on ``wire``."""
        ...


@dataclass(frozen=True, slots=True)
class Whole:
    """Send the response at once, framed by ``Content-Length``."""

    def framing(self, body: bytes) -> tuple[str, str]:
        return ("Content-Length", str(len(body)))

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.write(head + body)


@dataclass(frozen=True, slots=True)
class Response:
    """What to write: status, every header (framing included), body and how to send it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    delivery: Delivery = Whole()


def _merge_headers(
    defaults: list[tuple[str, str]], overrides: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """``defaults`` with each override replacing the default of the same name, or appended."""
    merged = list(defaults)
    for name, value in overrides:
        same = (i for i, (key, _) in enumerate(merged) if key.lower() == name.lower())
        position = next(same, None)
        if position is None:
            merged.append((name, value))
        else:
            merged[position] = (name, value)
    return tuple(merged)


def response_to(reply: Reply, delivery: Delivery = Whole()) -> Response:
    """``reply`` sent as ``delivery``, with the default headers.

    The defaults are ``Content-Type`` (none if the reply's is ``""``), the framing header and a
    new ``x-pinecone-request-id``; each header of the reply replaces the default of the same name,
    or is appended.
    """
    defaults = [delivery.framing(reply.body), ("x-pinecone-request-id", str(uuid.uuid4()))]
    if reply.content_type:
        defaults.insert(0, ("Content-Type", reply.content_type))
    headers = _merge_headers(defaults, reply.headers)
    return Response(reply.status, headers, reply.body, delivery)


Responder = Callable[[RecordedRequest, threading.Event], "Response | None"]
"""Turns a request into the response to write, or ``None`` to close the connection unanswered.

The event is set when the server stops; a responder that waits must wait on it."""


if sys.platform == "win32":  # struct linger holds two u_short there, two ints elsewhere
    _RESET_ON_CLOSE = struct.pack("HH", 1, 0)
else:
    _RESET_ON_CLOSE = struct.pack("ii", 1, 0)


def _cut(connection: socket.socket) -> None:
    """Shut a connection down both ways, waking whoever reads it."""
    with contextlib.suppress(OSError):  # the client may have closed it already
        connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def _handle(self) -> None:
        path, _, raw_query = self.path.partition("?")
        body = self._read_body()
        if body is None:
            return
        request = RecordedRequest(
            method=self.command,
            path=path,
            raw_query=raw_query,
            query=parse_qs(raw_query, keep_blank_values=True),
            headers=Headers(self.headers.items()),
            index_name=index_name_of(path),
            body=body,
            received_at=time.monotonic(),
        )
        response = self.server.respond(request, self.server.stopping)
        if response is None or self.server.stopping.is_set():
            self.close_connection = True
            return
        try:
            self._deliver(response)
        except OSError:  # the client hung up, or stop() cut the connection
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering a malformed one with a 400."""
        if self.headers.get("Transfer-Encoding", "").lower().endswith("chunked"):
            return self._read_chunked()
        length = self.headers.get("Content-Length", "0")
        if not (length.isascii() and length.isdigit()):
            self.send_error(400, f"Invalid Content-Length: {length!r}")
            return None
        return self.rfile.read(int(length))

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        while True:
            size_field = self.rfile.readline(_MAX_LINE).split(b";", 1)[0].strip()
            try:
                size = int(size_field, 16)
            except ValueError:
                self.send_error(400, "Invalid chunked request body")
                return None
            if size == 0:
                while self.rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(_MAX_LINE)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request that is not valid HTTP with an ErrorResponse, then close."""
        self.close_connection = True
        self._deliver(response_to(error_reply(code, message)))

    def _head(self, status: int, headers: tuple[tuple[str, str], ...]) -> bytes:
        lines = [f"HTTP/1.1 {status} {status_phrase(status)}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        if self.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _deliver(self, response: Response) -> None:
        """Write ``response`` as its delivery says (raises ``OSError`` if the client left).

        The head is built first: it says ``Connection: close`` only if the connection was to
        close before the response (the request asked for it), not when a delivery closes it.
        """
        head = self._head(response.status, response.headers)
        body = b"" if self.command == "HEAD" else response.body
        response.delivery.write(self, head, body)

    # -- the Wire a delivery writes on

    @property
    def stopping(self) -> threading.Event:
        return self.server.stopping

    def write(self, data: bytes) -> None:
        self.wfile.write(data)

    def close_after(self) -> None:
        self.close_connection = True

    def reset(self) -> None:
        """Close the connection at once with a TCP RST instead of the usual FIN."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)
        self.connection.close()
        self.rfile.close()  # the descriptor's last user: closing it sends the RST now

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: test suites make thousands of requests."""


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP/1.1 server whose handlers ask ``respond`` what to answer.

    :meth:`start` accepts connections on a background thread. :meth:`stop` wakes that thread at
    once (no polling), cuts every open connection, idle keep-alive ones included, and releases
    handlers that wait on :attr:`stopping`, so it returns promptly.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, respond: Responder) -> None:
        super().__init__((host, port), _Handler)  # binds and listens, or raises OSError
        self.respond = respond
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._wakeup_reader, self._wakeup_writer = socket.socketpair()
        self._accepting = threading.Thread(
            target=self._accept, name=f"pinecone-backups-emulator-{self.server_port}", daemon=True
        )

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on DNS; skip that.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.socket.getsockname()[:2]

    def start(self) -> None:
        """Accept connections on a background thread until :meth:`stop`."""
        self._accepting.start()

    def _accept(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wakeup_reader, selectors.EVENT_READ)
            while True:
                selector.select()
                if self.stopping.is_set():
                    return
                self.handle_request()  # the listening socket is readable: accepts at once

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            if not self.stopping.is_set():
                self._connections[connection] = threading.current_thread()
                return
        _cut(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.pop(connection, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client goes away; report anything else (an emulator bug)."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def stop(self, timeout: float = 1.0) -> None:
        """Stop accepting, cut every open connection, release waiting handlers, close.

        Waits up to ``timeout`` seconds for handlers to finish (one stuck in an observer may
        outlive it; it can no longer write anything).
        """
        self.stopping.set()
        self._wakeup_writer.send(b"\0")
        self._accepting.join()
        with self._lock:
            connections = dict(self._connections)
        for connection in connections:
            _cut(connection)
        deadline = time.monotonic() + timeout
        for thread in connections.values():
            if thread is not threading.current_thread():  # stop() called from an observer
                thread.join(max(0.0, deadline - time.monotonic()))
        self.server_close()
        self._wakeup_reader.close()
        self._wakeup_writer.close()
