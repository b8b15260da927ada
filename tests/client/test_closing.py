"""Closing a client: ``close()`` and the context manager; ``close()`` / ``aclose()`` ends the
calls in flight, in other threads or tasks, within about a second with ``ClientClosedError``.

Each test has its own deadline (threads joined with a timeout, ``asyncio.wait_for``) so that a
call that does not end fails the test in seconds instead of hanging it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
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
    wait_for_requests,
)
from tests.helpers import wait_for as wait_until

# -- close() and the context manager --------------------------------------------------------------


def test_close_and_context_manager(emulator: Emulator) -> None:
    client = pb.Client(api_key=API_KEY, host=emulator.url)
    walk = client.iter_index_backups("big-index", page_size=10)
    next(walk)
    with client as entered:
        assert entered is client and not client.closed
        assert len(client.list_index_backups("docs-example")) == 3
    assert client.closed
    assert "closed=True" in repr(client)
    with pytest.raises(pb.ClientClosedError):
        client.list_index_backups("docs-example")
    for _ in range(9):
        next(walk)  # already fetched: still handed out
    with pytest.raises(pb.ClientClosedError):
        next(walk)
    client.close()  # closing twice is fine


# -- Calls in flight end at close() ---------------------------------------------------------------


KEY = "pcsk_transport_trust_0123456789"


CLOSE_LIMIT = 1.5
"""Seconds within which a call in flight must end after close() ("about a second")."""


def warm_then_hang(request: RawRequest) -> RawReply | str:
    """``/backups/warm`` is answered (so that the client's first response has come and its
    calls run freely); everything else hangs."""
    if request.path.endswith("/warm"):
        return json_reply(backup_json("warm"))
    return HANG


def in_flight_calls(client: pb.Client) -> list[Callable[[], object]]:
    return [
        lambda: client.describe_backup("b-1"),
        lambda: client.list_index_backups("idx"),
        lambda: client.delete_backup("b-2"),
        lambda: list(client.iter_index_backups("idx")),
        lambda: client.create_backup("idx"),
    ]


@pytest.mark.timeout(30)
def test_close_ends_the_calls_in_flight_with_client_closed_error() -> None:
    with RawServer(warm_then_hang) as server:
        client = pb.Client(api_key=KEY, host=server.url, timeout=10, max_retries=0)
        client.describe_backup("warm")
        calls = in_flight_calls(client)
        threads = [pair for call in calls for pair in in_threads(call, 1)]
        wait_until(lambda: len(server.requests) == 1 + len(calls))
        closed_at = time.monotonic()
        client.close()
        outcomes = join_all(threads, closed_at + CLOSE_LIMIT + 1)
        for outcome in outcomes:
            assert isinstance(outcome.error, pb.ClientClosedError), repr(outcome.error)
            assert outcome.ended is not None and outcome.ended - closed_at < CLOSE_LIMIT


@pytest.mark.timeout(30)
@pytest.mark.parametrize("how", ["aclose", "close"])
async def test_async_close_ends_the_calls_in_flight_with_client_closed_error(how: str) -> None:
    with RawServer(warm_then_hang) as server:
        client = pb.AsyncClient(api_key=KEY, host=server.url, timeout=10, max_retries=0)
        await client.describe_backup("warm")

        async def walk() -> list[pb.Backup]:
            return [backup async for backup in client.iter_index_backups("idx")]

        tasks: list[asyncio.Future[Any]] = [
            asyncio.ensure_future(client.describe_backup("b-1")),
            asyncio.ensure_future(client.list_index_backups("idx")),
            asyncio.ensure_future(client.delete_backup("b-2")),
            asyncio.ensure_future(client.create_backup("idx")),
            asyncio.ensure_future(walk()),
        ]
        try:
            await wait_for_requests(server, 1 + len(tasks))
            closed_at = time.monotonic()
            if how == "aclose":
                await asyncio.wait_for(client.aclose(), CLOSE_LIMIT)
            else:
                client.close()
            done, pending = await asyncio.wait(tasks, timeout=CLOSE_LIMIT)
            assert not pending, f"{len(pending)} calls still running {CLOSE_LIMIT} s after {how}()"
            assert time.monotonic() - closed_at < CLOSE_LIMIT + 0.1
            for task in done:
                assert isinstance(task.exception(), pb.ClientClosedError), repr(task.exception())
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
