"""Test helpers shared by several test modules."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pinecone_backups.testing import Emulator

API_HEADERS = {"Api-Key": "test-key", "X-Pinecone-Api-Version": "2025-10"}
"""The headers of a request the emulator (started without an API key) accepts."""
TARGET = "/indexes/my-index/backups"


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
