"""Regression tests for the bugs of issue 8 (items 1-6), each written to fail on the code that had
the bug: cancelling an AsyncClient call before its first step, small ``max_response_bytes``,
``Retry`` argument types, ``NO_PROXY=*``, integers longer than Python's digit limit, and stray
bytes on a pooled keep-alive connection."""

from __future__ import annotations

import asyncio
import builtins
import socket
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from helpers import serve_in_threads
from pinecone_backups.testing import Emulator

EMPTY_PAGE = b'{"data":[],"pagination":null}'


def empty_page_response(extra: bytes = b"") -> bytes:
    """A complete keep-alive HTTP/1.1 answer holding an empty BackupList, preceded by ``extra``."""
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\n"
        b"content-length: " + str(len(EMPTY_PAGE)).encode() + b"\r\n\r\n"
    )
    return extra + head + EMPTY_PAGE


# -- 1. AsyncClient: cancelled before its first step ---------------------------------------------


async def test_cancel_before_the_first_step_raises_cancelled_error(emulator: Emulator) -> None:
    # Today: TypeError: 'CancelledError' object is not callable.
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        task = asyncio.ensure_future(client.list_index_backups("docs-example"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()
    assert emulator.requests == [], "a call cancelled before it started sends nothing"


@pytest.mark.parametrize("form", ["timeout", "timeout around a task", "wait_for"])
async def test_a_zero_timeout_raises_timeout_error(emulator: Emulator, form: str) -> None:
    if sys.version_info < (3, 11):
        pytest.skip("asyncio.timeout and TimeoutError as asyncio's timeout are Python 3.11+")
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        with pytest.raises(TimeoutError) as caught:
            if form == "timeout":
                async with asyncio.timeout(0):
                    await client.list_index_backups("docs-example")
            elif form == "timeout around a task":
                # The timeout cancels the task before its first step.
                async with asyncio.timeout(0):
                    await asyncio.ensure_future(client.list_index_backups("docs-example"))
            else:
                await asyncio.wait_for(client.list_index_backups("docs-example"), 0)
    assert not isinstance(caught.value.__context__, TypeError), repr(caught.value.__context__)


@pytest.mark.parametrize("failing", ["another task", "the group's body"])
async def test_a_failing_task_group_carries_only_the_real_error(
    emulator: Emulator, failing: str
) -> None:
    if sys.version_info < (3, 11):
        pytest.skip("asyncio.TaskGroup is Python 3.11+")

    async def fail() -> None:
        raise KeyError("the real error")

    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        # builtins.: ExceptionGroup is 3.11+, and the linters check for 3.10.
        with pytest.raises(builtins.ExceptionGroup) as caught:
            async with asyncio.TaskGroup() as group:
                if failing == "another task":
                    group.create_task(fail())
                    await asyncio.sleep(0)  # the task fails; the group learns it next
                # In both cases the group cancels the call's task before its first step.
                group.create_task(client.list_index_backups("docs-example"))
                if failing == "the group's body":
                    raise KeyError("the real error")
    errors = caught.value.exceptions
    assert [type(e) for e in errors] == [KeyError], errors
    assert emulator.requests == []


async def test_throw_an_instance_into_an_unawaited_call(emulator: Emulator) -> None:
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        call = client.list_index_backups("docs-example")
        error = ValueError("x")
        with pytest.raises(ValueError) as caught:
            call.throw(error)
        assert caught.value is error  # 0.1.0: TypeError, 'ValueError' not callable
        with pytest.raises(pb.PineconeError, match="already awaited"):
            await call
    assert emulator.requests == []


async def test_throw_a_type_into_an_unawaited_call(emulator: Emulator) -> None:
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        call = client.list_index_backups("docs-example")
        with pytest.raises(ValueError):
            call.throw(ValueError)
        with pytest.raises(pb.PineconeError, match="already awaited"):
            call.send(None)
    assert emulator.requests == []


async def test_close_an_unawaited_call(emulator: Emulator) -> None:
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        call = client.list_index_backups("docs-example")
        call.close()
        call.close()  # closing twice is harmless, as for a coroutine
        with pytest.raises(pb.PineconeError, match="already awaited"):
            await call
        with pytest.raises(pb.PineconeError, match="already awaited"):
            call.send(None)
    assert emulator.requests == []


# -- 2. max_response_bytes below the body buffer's initial capacity ------------------------------


def test_a_small_response_cap_on_an_empty_page(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    # Today: a Rust panic ("min > max") and PineconeError("internal error ... please report it").
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=1000, max_retries=0)
    page = client.list_index_backups("empty-index")
    assert len(page) == 0 and page.next_token is None
    assert "panicked" not in capfd.readouterr().err


async def test_a_small_response_cap_on_an_empty_page_async(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    async with pb.AsyncClient(
        api_key=API_KEY, host=emulator.url, max_response_bytes=1000, max_retries=0
    ) as client:
        page = await client.list_index_backups("empty-index")
    assert len(page) == 0
    assert "panicked" not in capfd.readouterr().err


def test_a_cap_of_one_byte_on_a_page_is_a_decode_error(emulator: Emulator) -> None:
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=1, max_retries=0)
    with pytest.raises(pb.ResponseDecodeError, match="limit"):
        client.list_index_backups("docs-example")


@pytest.mark.parametrize("cap", [1, 100, 1000, 1023, 1024, 5000])
@pytest.mark.parametrize("index", ["empty-index", "docs-example", "big-index"])
def test_any_positive_response_cap_works(
    emulator: Emulator, capfd: pytest.CaptureFixture[str], cap: int, index: str
) -> None:
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_response_bytes=cap, max_retries=0)
    try:
        page = client.list_index_backups(index)
    except pb.ResponseDecodeError as err:
        assert "limit" in str(err) and str(cap) in str(err), str(err)
    else:
        assert isinstance(page, pb.BackupList)
    assert "panicked" not in capfd.readouterr().err


# -- 3. Retry's argument types -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("backoff_base", "x"),
        ("backoff_base", True),
        ("backoff_base", False),
        ("backoff_cap", True),
        ("backoff_cap", "8"),
        ("retry_after_cap", False),
        ("statuses", 5),
    ],
)
def test_retry_refuses_wrong_types(name: str, value: object) -> None:
    # Today: a plain TypeError for a str or an int `statuses`; booleans taken as 1.0 / 0.0.
    kwargs: dict[str, Any] = {name: value}
    with pytest.raises(pb.ArgumentTypeError, match=name) as caught:
        pb.Retry(**kwargs)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, pb.PineconeError)


def test_retry_still_takes_ints_and_floats() -> None:
    retry = pb.Retry(backoff_base=1, backoff_cap=10, retry_after_cap=30)
    assert (retry.backoff_base, retry.backoff_cap, retry.retry_after_cap) == (1.0, 10.0, 30.0)
    retry = pb.Retry(backoff_base=0.5, backoff_cap=2.5, retry_after_cap=0.0, statuses=(503,))
    assert (retry.backoff_base, retry.backoff_cap, retry.retry_after_cap) == (0.5, 2.5, 0.0)
    assert retry.statuses == (503,)


# -- 4. NO_PROXY=* -------------------------------------------------------------------------------


class RecordingProxy:
    """A would-be proxy: counts the connections it gets and closes each at once."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        serve_in_threads(self.sock, self._refuse)

    def _refuse(self, conn: socket.socket) -> None:
        self.connections += 1
        conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    server = RecordingProxy()
    yield server
    server.close()


@pytest.mark.parametrize("no_proxy", ["NO_PROXY", "no_proxy"])
def test_no_proxy_star_bypasses_every_proxy(
    emulator: Emulator, proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv(no_proxy, "*")
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0)
    # Today: PineconeConnectionError (the request went to the proxy, which hung up).
    assert len(client.list_index_backups("docs-example")) == 3
    assert proxy.connections == 0
    assert len(emulator.requests) == 1


# -- 5. Integers longer than Python's int/str digit limit ----------------------------------------

INT_FIELDS = ["record_count", "dimension", "namespace_count", "size_bytes"]


@pytest.fixture
def digit_limit() -> Iterator[int]:
    """Python's default limit on int/str conversions (4300 digits), restored afterwards."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)
    yield 4300
    sys.set_int_max_str_digits(before)


def exact_int(digits: str, limit: int) -> int:
    sys.set_int_max_str_digits(0)
    try:
        return int(digits)
    finally:
        sys.set_int_max_str_digits(limit)


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("field", INT_FIELDS)
def test_an_integer_over_the_digit_limit(
    emulator: Emulator, client: pb.Client, digit_limit: int, field: str
) -> None:
    digits = "9" * (digit_limit + 1)
    body = (
        '{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x",'
        f'"status":"Ready","cloud":"aws","region":"r","{field}":{digits}}}],"pagination":null}}'
    )
    emulator.respond_next(200, body)
    try:
        page = client.list_index_backups("i")
    except pb.ResponseDecodeError:
        return  # refused when the page is decoded: one of the two right outcomes
    # Otherwise the exact value, on attribute access and through to_dict(); 0.1.0 raised a
    # bare ValueError on both ("Exceeds the limit (4300 digits) for integer string conversion").
    expected = exact_int(digits, digit_limit)
    backup = page[0]
    value = getattr(backup, field)
    assert isinstance(value, int) and value == expected, f"{field} is not the exact integer"
    assert backup.to_dict()[field] == expected, f"to_dict()[{field!r}] is not the exact integer"


# -- 6. Stray bytes on a pooled keep-alive connection --------------------------------------------


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
