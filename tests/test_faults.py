"""The fault-injection suite: each fault the emulator can inject, what the client does about it
(outcome and number of attempts), with the default retry policy (backoff shortened for speed).

Run as a script (``python tests/test_faults.py``) it prints the same scenarios as a table with
the time each took to succeed or give up.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from helpers import free_port, serve_in_threads
from pinecone_backups.testing import Emulator

# The faults are responses the spec does not allow (HTML 502s, broken bodies...): conftest's
# emulator checks only the requests here.
pytestmark = pytest.mark.off_spec_responses

FAST = pb.Retry(backoff_base=0.01, backoff_cap=0.05)


@dataclass(frozen=True)
class Scenario:
    """A fault, the client options it is tried with, and the expected outcome."""

    name: str
    inject: Callable[[Emulator], object]
    outcome: type[BaseException] | None  # None: the call succeeds
    attempts: int
    options: dict[str, Any] = field(default_factory=dict)
    index: str = "docs-example"


SCENARIOS = [
    Scenario("503 then 200", lambda e: e.fail_next(503), None, 2),
    Scenario("500 x4 (all attempts)", lambda e: e.fail_next(500, times=4), pb.UnknownError, 4),
    Scenario(
        "502 HTML from a proxy, then 200",
        lambda e: e.fail_next(502, body="<html>bad gateway</html>"),
        None,
        2,
    ),
    Scenario(
        "429 with Retry-After: 1, then 200",
        lambda e: e.fail_next(429, headers={"Retry-After": "1"}),
        None,
        2,
    ),
    Scenario("404 (not retried)", lambda e: e.fail_next(404), pb.NotFoundError, 1),
    Scenario(
        "503 with retries off",
        lambda e: e.fail_next(503),
        pb.UnavailableError,
        1,
        {"max_retries": 0},
    ),
    Scenario("connection dropped unanswered, then 200", lambda e: e.drop_next(), None, 2),
    Scenario("reset mid-body, then 200", lambda e: e.reset_next(), None, 2),
    Scenario("reset mid-body x4", lambda e: e.reset_next(times=4), pb.IncompleteResponseError, 4),
    Scenario("wrong Content-Length, then 200", lambda e: e.wrong_length_next(), None, 2),
    Scenario("chunked body cut mid-way, then 200", lambda e: e.chunked_cut_next(), None, 2),
    Scenario(
        "body trickling past the timeout, then 200",
        lambda e: e.trickle_next(interval=0.2, chunk=64),
        None,
        2,
        {"timeout": 0.5},
        "big-index",
    ),
    Scenario(
        "never answers (timeout 0.3 s, 1 retry)",
        lambda e: e.hang_next(times=2),
        pb.PineconeTimeoutError,
        2,
        {"timeout": 0.3, "max_retries": 1},
    ),
    Scenario(
        "never answers, deadline 0.5 s",
        lambda e: e.hang_next(times=10),
        pb.PineconeTimeoutError,
        1,
        {"timeout": None, "deadline": 0.5},
    ),
    Scenario("garbage JSON (not retried)", lambda e: e.malformed_next(), pb.ResponseDecodeError, 1),
    Scenario(
        "gzip that does not inflate (not retried)",
        lambda e: e.gzip_garbage_next(),
        pb.ResponseDecodeError,
        1,
    ),
    Scenario(
        "huge body (10 MiB, chunked) over a 1 MiB cap",
        lambda e: e.huge_body_next(size=10 * 1024 * 1024, chunked=True),
        pb.ResponseDecodeError,
        1,
        {"max_response_bytes": 1024 * 1024},
    ),
    Scenario(
        "huge body (100 MiB declared) over the 64 MiB default cap",
        lambda e: e.huge_body_next(),
        pb.ResponseDecodeError,
        1,
    ),
]


def run(scenario: Scenario, emulator: Emulator) -> tuple[BaseException | None, int, float]:
    """Runs one scenario: (the exception raised or None, requests the server saw, seconds)."""
    options: dict[str, Any] = {"retry": FAST, **scenario.options}
    client = pb.Client(api_key=API_KEY, host=emulator.url, **options)
    scenario.inject(emulator)
    started = time.monotonic()
    error: BaseException | None = None
    try:
        client.list_index_backups(scenario.index)
    except pb.PineconeError as caught:
        error = caught
    elapsed = time.monotonic() - started
    client.close()
    return error, len(emulator.requests), elapsed


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault(scenario: Scenario, emulator: Emulator) -> None:
    error, requests, _ = run(scenario, emulator)
    if scenario.outcome is None:
        assert error is None, repr(error)
    else:
        assert isinstance(error, scenario.outcome), repr(error)
        assert getattr(error, "attempts", None) == scenario.attempts, repr(error)
        if scenario.attempts > 1:
            assert f"(after {scenario.attempts} attempts)" in str(error)
    assert requests == scenario.attempts


def test_incomplete_bodies_are_connection_errors_too(emulator: Emulator) -> None:
    emulator.reset_next(times=4)
    with pytest.raises(pb.IncompleteResponseError) as caught:
        pb.Client(api_key=API_KEY, host=emulator.url, retry=FAST).list_index_backups("docs-example")
    err = caught.value
    assert isinstance(err, pb.ResponseDecodeError) and isinstance(err, pb.PineconeConnectionError)
    assert isinstance(err, ConnectionError) and isinstance(err, ValueError)
    assert "cut short" in err.reason


def test_retry_after_is_waited_for(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pinecone_backups")
    emulator.fail_next(429, headers={"Retry-After": "1"})
    client = pb.Client(api_key=API_KEY, host=emulator.url)
    assert len(client.list_index_backups("docs-example")) == 3
    (record,) = caplog.records
    assert record.name == "pinecone_backups" and record.levelno == logging.WARNING
    assert record.getMessage().startswith(
        "retrying GET /indexes/docs-example/backups in 1.00s (attempt 1 of 4): "
        "[429 RESOURCE_EXHAUSTED]"
    )
    first, second = emulator.requests
    assert second.received_at - first.received_at >= 0.95


def test_retries_are_logged_without_the_key(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.fail_next(503, times=3, message=f"echoing {API_KEY}")
    client = pb.Client(api_key=API_KEY, host=emulator.url, retry=FAST)
    assert len(client.list_index_backups("docs-example")) == 3
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.name == "pinecone_backups" and r.levelno == logging.WARNING  # (not the exchanges)
    ]
    assert [m.split(" (attempt ")[1][:6] for m in messages] == ["1 of 4", "2 of 4", "3 of 4"]
    assert all("[503 UNAVAILABLE] echoing [REDACTED]" in m for m in messages)
    assert API_KEY not in caplog.text


def test_connection_refused_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    client = pb.Client(api_key=API_KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("docs-example")
    assert caught.value.attempts == 4
    assert str(caught.value).endswith("(after 4 attempts)")


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


def test_async_client_retries_too(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pinecone_backups")

    async def calls() -> list[int]:
        async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, retry=FAST) as client:
            emulator.fail_next(503)
            first = await client.list_index_backups("docs-example")
            emulator.reset_next()
            second = await client.list_index_backups("docs-example")
            emulator.fail_next(500, times=4)
            with pytest.raises(pb.UnknownError) as caught:
                await client.list_index_backups("docs-example")
            return [len(first), len(second), caught.value.attempts]

    assert asyncio.run(calls()) == [3, 3, 4]
    assert len(emulator.requests) == 2 + 2 + 4
    deadline = time.monotonic() + 5  # async retries are logged from a background thread
    while len(caplog.records) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(caplog.records) == 5


# Issue 17, contract item 5: a *fresh* connection closed without an answer is an attempt like
# any other (the free retry is only for a pooled connection a server closed while it was idle).
TRUST_SCENARIOS = [
    Scenario(
        "connection dropped unanswered, retries off",
        lambda e: e.drop_next(),
        pb.PineconeConnectionError,
        1,
        {"max_retries": 0},
    ),
    Scenario(
        "connection dropped unanswered x2, 1 retry",
        lambda e: e.drop_next(times=2),
        pb.PineconeConnectionError,
        2,
        {"max_retries": 1},
    ),
    Scenario(
        "connection dropped unanswered, 1 retry, then 200",
        lambda e: e.drop_next(),
        None,
        2,
        {"max_retries": 1},
    ),
]


@pytest.mark.parametrize("scenario", TRUST_SCENARIOS, ids=[s.name for s in TRUST_SCENARIOS])
def test_trust_fault(scenario: Scenario, emulator: Emulator) -> None:
    test_fault(scenario, emulator)


def main() -> None:
    """Prints the scenarios as a Markdown table (fault, outcome, attempts, time to succeed or
    give up), with the default policy's backoff shortened to 10-50 ms as in the tests."""
    print("| fault | client options | outcome | attempts | time |")
    print("|---|---|---|---|---|")
    for scenario in [*SCENARIOS, *TRUST_SCENARIOS]:
        with Emulator(api_key=API_KEY) as emulator:
            error, requests, elapsed = run(scenario, emulator)
        outcome = "success" if error is None else type(error).__name__
        options = ", ".join(f"{k}={v}" for k, v in scenario.options.items()) or "defaults"
        print(f"| {scenario.name} | {options} | {outcome} | {requests} | {elapsed:.2f} s |")
    client = pb.Client(api_key=API_KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    started = time.monotonic()
    try:
        client.list_index_backups("docs-example")
    except pb.PineconeConnectionError as error:
        elapsed = time.monotonic() - started
        print(
            f"| connection refused | defaults | {type(error).__name__} | {error.attempts} |"
            f" {elapsed:.2f} s |"
        )


if __name__ == "__main__":
    main()
