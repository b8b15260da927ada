"""Test helpers shared by several test modules."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import warnings
from collections.abc import Callable


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
