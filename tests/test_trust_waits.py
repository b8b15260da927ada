"""Issue 17, contract items 3 and 10: waits.

3. ``create_backup(..., wait=True)``: when the POST succeeded and the wait then fails (503s, a
   timeout, a failed backup...), the error has ``.backup`` and ``str(err)`` starts with
   ``"backup <id> was created; waiting for it failed: "``.
10. ``wait_for_backup`` / ``wait_for_restore_job`` with ``timeout=T`` end within about T (+1 s)
    with ``WaitTimeoutError`` (``.last``: the last object polled, or None) whatever the server
    does: 429 with ``Retry-After: 20``, a server that never answers, ``Client(timeout=None)``.

Sync waits run in a thread joined with a deadline, async ones under ``asyncio.wait_for``: on a
build with the bug each test fails within a few seconds instead of hanging.
"""

from __future__ import annotations

import asyncio
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from helpers import (
    HANG,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    error_response,
    json_reply,
    restore_job_json,
)

KEY = "pcsk_waits_trust_0123456789"
T = 1.0
"""The wait's timeout in these tests."""
LIMIT = T + 1.0
"""What "within about T" allows."""

pytestmark = pytest.mark.timeout(30)

Handler = Callable[[RawRequest], "RawReply | str"]


def throttled(_: RawRequest) -> RawReply:
    return error_response(code="RESOURCE_EXHAUSTED", status=429, headers=[("Retry-After", "20")])


def first_pending_then(kind: str, then: Handler) -> Handler:
    """Answers the first poll with a running object, then as ``then`` does."""
    polls = 0
    lock = threading.Lock()

    def handle(request: RawRequest) -> RawReply | str:
        nonlocal polls
        with lock:
            polls += 1
            first = polls == 1
        if not first:
            return then(request)
        if kind == "backup":
            return json_reply(backup_json("b-1", status="Pending"))
        return json_reply(restore_job_json("j-1", status="InProgress"))

    return handle


SCENARIOS: dict[str, tuple[Handler | None, dict[str, Any], bool]] = {
    # name: (handler (None: built per kind), client options, whether a poll succeeded first)
    "429 Retry-After 20": (throttled, {}, False),
    "never answers": (lambda _: HANG, {}, False),
    "never answers, timeout=None": (lambda _: HANG, {"timeout": None}, False),
    "Pending, then 429 Retry-After 20": (None, {}, True),
    "Pending, then never answers": (None, {}, True),
}


def handler_for(scenario: str, kind: str) -> Handler:
    handler, _, _ = SCENARIOS[scenario]
    if handler is not None:
        return handler
    then: Handler = throttled if "429" in scenario else (lambda _: HANG)
    return first_pending_then(kind, then)


def wait(client: Any, kind: str) -> Any:
    if kind == "backup":
        return client.wait_for_backup("b-1", timeout=T, poll_interval=0.1)
    return client.wait_for_restore_job("j-1", timeout=T, poll_interval=0.1)


def check_timeout(error: BaseException | None, elapsed: float, kind: str, polled: bool) -> None:
    assert isinstance(error, pb.WaitTimeoutError), repr(error)
    assert elapsed < LIMIT, f"the wait took {elapsed:.2f} s (timeout={T})"
    if polled:
        expected = pb.Backup if kind == "backup" else pb.RestoreJob
        assert isinstance(error.last, expected), repr(error.last)
        assert error.last.status in ("Pending", "InProgress")
    else:
        assert error.last is None, repr(error.last)


SYNC_CASES = [
    ("429 Retry-After 20", "backup"),
    ("never answers", "backup"),
    ("never answers, timeout=None", "backup"),
    ("Pending, then 429 Retry-After 20", "backup"),
    ("Pending, then never answers", "backup"),
    ("429 Retry-After 20", "restore job"),
    ("never answers, timeout=None", "restore job"),
    ("Pending, then never answers", "restore job"),
]


@pytest.mark.parametrize(("scenario", "kind"), SYNC_CASES)
def test_a_wait_ends_within_its_timeout_whatever_the_server_does(scenario: str, kind: str) -> None:
    _, options, polled = SCENARIOS[scenario]
    outcome: dict[str, Any] = {}
    with RawServer(handler_for(scenario, kind)) as server:
        client = pb.Client(api_key=KEY, host=server.url, **options)

        def run() -> None:
            started = time.monotonic()
            try:
                outcome["result"] = wait(client, kind)
            except BaseException as error:
                outcome["error"] = error
            outcome["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(LIMIT + 1)
        assert not thread.is_alive(), f"the wait (timeout={T}) still runs after {LIMIT + 1} s"
        client.close()
    check_timeout(outcome.get("error"), outcome["elapsed"], kind, polled)


ASYNC_CASES = [
    ("429 Retry-After 20", "backup"),
    ("never answers, timeout=None", "backup"),
    ("Pending, then never answers", "restore job"),
]


@pytest.mark.parametrize(("scenario", "kind"), ASYNC_CASES)
async def test_an_async_wait_ends_within_its_timeout_whatever_the_server_does(
    scenario: str, kind: str
) -> None:
    _, options, polled = SCENARIOS[scenario]
    with RawServer(handler_for(scenario, kind)) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, **options) as client:
            started = time.monotonic()
            error: BaseException | None = None
            try:
                await asyncio.wait_for(wait(client, kind), LIMIT + 1)
            # First: WaitTimeoutError is a TimeoutError, which asyncio.TimeoutError is too.
            except pb.PineconeError as caught:
                error = caught
            except asyncio.TimeoutError:
                pytest.fail(f"the wait (timeout={T}) still ran after {LIMIT + 1} s")
            check_timeout(error, time.monotonic() - started, kind, polled)


# -- 3. create_backup(wait=True) ----------------------------------------------------------------

CREATED = backup_json("b-new", status="Initializing")


def created_then(poll: Handler) -> Handler:
    """POST creates ``b-new`` (201); every poll is answered by ``poll``."""

    def handle(request: RawRequest) -> RawReply | str:
        if request.method == "POST":
            return json_reply(CREATED, 201)
        return poll(request)

    return handle


POLLS: dict[str, tuple[Handler, dict[str, Any]]] = {
    "503 on every poll": (lambda _: error_response(status=503), {}),
    "404 on every poll": (lambda _: error_response(code="NOT_FOUND", status=404), {}),
    "a poll times out": (lambda _: HANG, {"timeout": 0.3}),
    "the backup failed": (lambda _: json_reply(backup_json("b-new", status="Failed")), {}),
    "a poll does not decode": (lambda _: RawReply(200, "<html>oops</html>"), {}),
}
PREFIX = "backup b-new was created; waiting for it failed: "
FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)


def check_created(error: BaseException, server: RawServer) -> None:
    assert isinstance(error, pb.PineconeError), repr(error)
    assert str(error).startswith(PREFIX), str(error)
    backup = getattr(error, "backup", None)
    assert isinstance(backup, pb.Backup), repr(backup)
    assert backup.backup_id == "b-new"
    assert server.paths().count("POST /indexes/idx/backups") == 1, "created once"


@pytest.mark.parametrize("poll", list(POLLS))
def test_a_failed_wait_after_a_create_says_the_backup_exists(poll: str) -> None:
    handler, options = POLLS[poll]
    with RawServer(created_then(handler)) as server:
        client = pb.Client(api_key=KEY, host=server.url, retry=FAST, **options)
        outcome: dict[str, BaseException] = {}

        def run() -> None:
            try:
                client.create_backup("idx", wait=True)
            except BaseException as error:
                outcome["error"] = error

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(10)
        assert not thread.is_alive(), "create_backup(wait=True) still runs after 10 s"
        client.close()
        assert "error" in outcome, "create_backup(wait=True) returned"
        check_created(outcome["error"], server)
    if poll == "the backup failed":
        assert outcome["error"].backup.status == "Failed"  # type: ignore[attr-defined]


@pytest.mark.parametrize("poll", ["503 on every poll", "a poll times out", "the backup failed"])
async def test_a_failed_async_wait_after_a_create_says_the_backup_exists(poll: str) -> None:
    handler, options = POLLS[poll]
    with RawServer(created_then(handler)) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST, **options) as c:
            with pytest.raises(pb.PineconeError) as caught:
                await asyncio.wait_for(c.create_backup("idx", wait=True), 10)
        check_created(caught.value, server)


def test_the_created_backup_survives_pickling() -> None:
    handler, options = POLLS["503 on every poll"]
    with RawServer(created_then(handler)) as server:
        client = pb.Client(api_key=KEY, host=server.url, retry=FAST, **options)
        with pytest.raises(pb.PineconeError) as caught:
            client.create_backup("idx", wait=True)
        client.close()
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again).startswith(PREFIX)
    assert again.backup == caught.value.backup  # type: ignore[attr-defined]
