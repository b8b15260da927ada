"""Connections: a pooled connection that a server closed while it was idle, or that holds stray
bytes, is replaced; a fresh client whose first request hangs holds the others for a short grace
(1 s) at most, and each call's ``timeout`` and ``deadline`` count the time spent waiting behind
it."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from tests.helpers import (
    API_KEY,
    HANG,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    in_threads,
    join_all,
    json_reply,
    serve_in_threads,
    wait_for_requests,
)
from tests.helpers import wait_for as wait_until

# -- A pooled connection closed while idle --------------------------------------------------------


@pytest.mark.off_spec_responses
def test_a_connection_dropped_while_idle_is_replaced() -> None:
    """A load balancer closes idle keep-alive connections: the next call must not fail."""
    body = b'{"data": [], "pagination": null}'
    response = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    connections: list[int] = []
    server = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        connections.append(1)
        with conn:
            if b"\r\n\r\n" in conn.recv(65536):
                conn.sendall(response)
            time.sleep(0.05)  # then hang up, as a balancer does with idle connections

    serve_in_threads(server, serve)
    host = f"http://127.0.0.1:{server.getsockname()[1]}"

    async def async_calls() -> None:
        async with pb.AsyncClient(api_key=API_KEY, host=host, max_retries=0) as client:
            for _ in range(3):
                assert len(await client.list_index_backups("docs-example")) == 0
                await asyncio.sleep(0.2)

    try:
        client = pb.Client(api_key=API_KEY, host=host, max_retries=0)  # no retry to hide it
        for _ in range(3):
            assert len(client.list_index_backups("docs-example")) == 0
            time.sleep(0.2)
        asyncio.run(async_calls())
        assert len(connections) == 6
    finally:
        server.close()


# -- Stray bytes on a pooled keep-alive connection ------------------------------------------------


EMPTY_PAGE = b'{"data":[],"pagination":null}'


def empty_page_response(extra: bytes = b"") -> bytes:
    """A complete keep-alive HTTP/1.1 answer holding an empty BackupList, preceded by ``extra``."""
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\n"
        b"content-length: " + str(len(EMPTY_PAGE)).encode() + b"\r\n\r\n"
    )
    return extra + head + EMPTY_PAGE


class StrayBytesServer:
    """Answers every request with an empty BackupList on keep-alive connections. On its first
    connection, two stray bytes follow the first (complete) response: they are sent once the
    second request on that connection has been read, so they are certainly still unread when
    the client reuses the connection (and the client reads them where a status line should be:
    "invalid HTTP version parsed")."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests_per_connection: list[int] = []
        self._lock = threading.Lock()
        serve_in_threads(self.sock, self._answer)

    def _answer(self, conn: socket.socket) -> None:
        with self._lock:
            number = len(self.requests_per_connection)
            self.requests_per_connection.append(0)
        data = b""
        try:
            with conn:
                while chunk := conn.recv(65536):
                    data += chunk
                    while b"\r\n\r\n" in data:
                        _, data = data.split(b"\r\n\r\n", 1)
                        with self._lock:
                            self.requests_per_connection[number] += 1
                            seen = self.requests_per_connection[number]
                        stray = b"XX" if number == 0 and seen == 2 else b""
                        conn.sendall(empty_page_response(stray))
        except OSError:
            return

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def stray_bytes_server() -> Iterator[StrayBytesServer]:
    server = StrayBytesServer()
    yield server
    server.close()


def test_stray_bytes_on_a_pooled_connection(stray_bytes_server: StrayBytesServer) -> None:
    # max_retries=0: the retry policy must not be what hides it (a GET that fails so on a reused
    # connection is sent again on a fresh one, as urllib3 does). Today: PineconeConnectionError
    # "the request to http://127.0.0.1:... failed: invalid HTTP version parsed".
    with pb.Client(api_key=API_KEY, host=stray_bytes_server.url, max_retries=0) as client:
        assert len(client.list_index_backups("i")) == 0
        assert len(client.list_index_backups("i")) == 0
    seen = stray_bytes_server.requests_per_connection
    assert len(seen) == 2, seen  # a second, fresh connection
    assert seen[0] == 2, seen  # after the pooled one was tried


async def test_stray_bytes_on_a_pooled_connection_async(
    stray_bytes_server: StrayBytesServer,
) -> None:
    async with pb.AsyncClient(
        api_key=API_KEY, host=stray_bytes_server.url, max_retries=0
    ) as client:
        assert len(await client.list_index_backups("i")) == 0
        assert len(await client.list_index_backups("i")) == 0
    seen = stray_bytes_server.requests_per_connection
    assert len(seen) == 2 and seen[0] == 2, seen


# -- A hung first request -------------------------------------------------------------------------


KEY = "pcsk_transport_trust_0123456789"


def first_hangs(request: RawRequest) -> RawReply | str:
    """``/backups/hang`` never answers; any other backup is answered at once."""
    if request.path.endswith("/hang"):
        return HANG
    return json_reply(backup_json(request.path.rsplit("/", 1)[-1]))


GRACE = 1.0
SLACK = 1.0


@pytest.mark.timeout(30)
def test_a_hung_first_request_holds_the_others_only_a_short_grace() -> None:
    with RawServer(first_hangs) as server:
        client = pb.Client(api_key=KEY, host=server.url, timeout=20, max_retries=0)
        hung = in_threads(lambda: client.describe_backup("hang"), 1)
        wait_until(lambda: len(server.requests) == 1)
        quick = in_threads(lambda: client.describe_backup("quick").backup_id, 10)
        outcomes = join_all(quick, time.monotonic() + GRACE + SLACK + 1)
        for outcome in outcomes:
            assert outcome.error is None, repr(outcome.error)
            assert outcome.result == "quick"
            assert outcome.seconds < GRACE + SLACK, f"held {outcome.seconds:.2f} s"
        assert hung[0][0].is_alive(), "the hung request is still waiting for its answer"
        client.close()


@pytest.mark.timeout(30)
async def test_async_a_hung_first_request_holds_the_others_only_a_short_grace() -> None:
    with RawServer(first_hangs) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, timeout=20, max_retries=0) as c:
            hung = asyncio.ensure_future(c.describe_backup("hang"))
            try:
                await wait_for_requests(server, 1)
                started = time.monotonic()
                quick = [c.describe_backup("quick") for _ in range(10)]
                done = await asyncio.wait_for(asyncio.gather(*quick), GRACE + SLACK + 1)
                elapsed = time.monotonic() - started
                assert [b.backup_id for b in done] == ["quick"] * 10
                assert elapsed < GRACE + SLACK, f"held {elapsed:.2f} s"
                assert not hung.done(), "the hung request is still waiting for its answer"
            finally:
                hung.cancel()
                await asyncio.gather(hung, return_exceptions=True)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "options",
    [{"timeout": 0.5, "max_retries": 0}, {"timeout": None, "deadline": 0.5}],
    ids=["timeout", "deadline"],
)
def test_time_spent_queued_behind_a_hung_request_counts_in_the_call_s_limit(
    options: dict[str, Any],
) -> None:
    with RawServer(lambda _: HANG) as server:
        client = pb.Client(api_key=KEY, host=server.url, **options)
        calls = in_threads(lambda: client.describe_backup("b-1"), 5)
        outcomes = join_all(calls, time.monotonic() + 4)
        for outcome in outcomes:
            assert isinstance(outcome.error, pb.PineconeTimeoutError), repr(outcome.error)
            assert outcome.seconds < 0.5 + SLACK, f"ended after {outcome.seconds:.2f} s"
        client.close()


@pytest.mark.timeout(30)
async def test_async_time_spent_queued_counts_in_the_call_s_timeout() -> None:
    with RawServer(lambda _: HANG) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, timeout=0.5, max_retries=0) as c:

            async def timed() -> tuple[BaseException | None, float]:
                started = time.monotonic()
                try:
                    await c.describe_backup("b-1")
                except pb.PineconeError as error:
                    return error, time.monotonic() - started
                return None, time.monotonic() - started

            results = await asyncio.wait_for(asyncio.gather(*(timed() for _ in range(5))), 4)
        for error, seconds in results:
            assert isinstance(error, pb.PineconeTimeoutError), repr(error)
            assert seconds < 0.5 + SLACK, f"ended after {seconds:.2f} s"
