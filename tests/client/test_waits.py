"""Waits: ``wait_for_backup``, ``wait_for_restore_job`` and ``create_backup(wait=True)``: they end
on a final status, raise on a failed one, and end within about their ``timeout`` whatever the
server does (429 with ``Retry-After: 20``, a server that never answers, ``Client(timeout=None)``);
a wait that fails after a create says the backup exists (``.backup``).

Sync waits run in a thread joined with a deadline, async ones under ``asyncio.wait_for``: a wait
that does not end fails its test within a few seconds instead of hanging it."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import asyncio
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    HANG,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    error_response,
    json_reply,
    methods,
    ready_backup,
    restore_job_json,
)

# -- Waiting for a backup or a restore job --------------------------------------------------------


def test_wait_for_backup_ready(client: pb.Client, emulator: Emulator) -> None:
    created = client.create_backup("docs-example")
    seen: list[str] = []

    def progress(backup: pb.Backup) -> None:
        seen.append(backup.status)
        if len(seen) == 3:
            emulator.advance(emulator.backup_seconds)

    ready = client.wait_for_backup(created.backup_id, poll_interval=0.01, on_progress=progress)
    assert ready.status == "Ready" and ready.backup_id == created.backup_id
    assert seen == ["Initializing", "Initializing", "Initializing", "Ready"]
    assert methods(emulator)[1:] == [f"GET /backups/{created.backup_id}"] * 4


def test_wait_for_ready_backup_polls_once(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    seen: list[pb.Backup] = []
    assert client.wait_for_backup(backup.backup_id, on_progress=seen.append) == backup
    assert seen == [backup]  # the first poll is at once, and reported


@pytest.mark.parametrize("status", ["InitializationFailed", "Failed"])
def test_wait_for_backup_failed(client: pb.Client, emulator: Emulator, status: str) -> None:
    emulator.fail_next_backups(status=status)
    created = client.create_backup("docs-example")
    emulator.advance(emulator.backup_seconds)
    with pytest.raises(pb.BackupFailedError) as caught:
        client.wait_for_backup(created.backup_id, poll_interval=0.01)
    assert isinstance(caught.value, pb.PineconeError)
    assert caught.value.backup.status == status
    assert caught.value.backup.backup_id == created.backup_id


def test_wait_for_backup_times_out(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=3600)
    with pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        created = client.create_backup("docs-example")
        with pytest.raises(pb.WaitTimeoutError) as caught:
            client.wait_for_backup(created.backup_id, timeout=0.2, poll_interval=0.05)
    error = caught.value
    assert isinstance(error, pb.PineconeTimeoutError)
    assert isinstance(error.last, pb.Backup) and error.last.status == "Initializing"
    assert error.last.backup_id == created.backup_id
    assert 0.2 <= error.elapsed < 1.0


def test_wait_for_restore_job_completed(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    response = client.create_index_from_backup(backup.backup_id, "restored")
    seen: list[tuple[str, float | None]] = []

    def progress(job: pb.RestoreJob) -> None:
        seen.append((job.status, job.percent_complete))
        emulator.advance(emulator.restore_seconds / 2)

    job = client.wait_for_restore_job(
        response.restore_job_id, poll_interval=0.01, on_progress=progress
    )
    assert job.status == "Completed" and job.restore_job_id == response.restore_job_id
    assert seen[0] == ("Pending", None) and seen[-1] == ("Completed", 100.0)
    assert [s for s, _ in seen[:-1]] == ["Pending"] * (len(seen) - 1)


@pytest.mark.parametrize("status", ["Failed", "Cancelled"])
def test_wait_for_restore_job_failed(client: pb.Client, emulator: Emulator, status: str) -> None:
    backup = ready_backup(client, emulator)
    emulator.fail_next_restores(status=status)
    response = client.create_index_from_backup(backup.backup_id, "doomed")
    emulator.advance(emulator.restore_seconds)
    with pytest.raises(pb.RestoreJobFailedError) as caught:
        client.wait_for_restore_job(response.restore_job_id, poll_interval=0.01)
    assert caught.value.restore_job.status == status
    assert caught.value.restore_job.restore_job_id == response.restore_job_id


def test_wait_for_restore_job_times_out(client: pb.Client, emulator: Emulator) -> None:
    job = emulator.add_restore_job("some-backup", "stuck", status="Pending")
    with pytest.raises(pb.WaitTimeoutError) as caught:
        client.wait_for_restore_job(job["restore_job_id"], timeout=0.2, poll_interval=0.05)
    assert isinstance(caught.value.last, pb.RestoreJob)
    assert caught.value.last.status == "Pending" and caught.value.elapsed > 0


def test_wait_for_unknown_backup_raises_404(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        client.wait_for_backup("no-such-backup", poll_interval=0.01)


def test_on_progress_exception_propagates(client: pb.Client, emulator: Emulator) -> None:
    created = client.create_backup("docs-example")
    calls: list[str] = []

    class Stop(Exception):
        pass

    def progress(backup: pb.Backup) -> None:
        calls.append(backup.status)
        if len(calls) == 2:
            raise Stop

    with pytest.raises(Stop):
        client.wait_for_backup(created.backup_id, poll_interval=0.01, on_progress=progress)
    assert calls == ["Initializing", "Initializing"]
    assert len(emulator.requests) == 1 + 2  # no poll after the exception


def test_wait_survives_429(retrying: pb.Client, emulator: Emulator) -> None:
    """A 429 that outlasts the client's retries stretches the wait; it does not end it."""
    created = retrying.create_backup("docs-example")
    emulator.advance(emulator.backup_seconds)
    emulator.fail_next(429, times=3, headers={"Retry-After": "0"})
    ready = retrying.wait_for_backup(created.backup_id, poll_interval=0.01)
    assert ready.status == "Ready"


def test_create_backup_wait(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0.0)
    with pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        backup = client.create_backup("docs-example", name="waited", wait=True)
    assert backup.status == "Ready" and backup.name == "waited"
    assert [r.method for r in emu.requests] == ["POST", "GET"]


# -- A wait ends within its timeout; a failed wait after a create ---------------------------------


KEY = "pcsk_waits_trust_0123456789"
T = 1.0
"""The wait's timeout in these tests."""
LIMIT = T + 1.0
"""What "within about T" allows."""


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


@pytest.mark.timeout(30)
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


@pytest.mark.timeout(30)
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


@pytest.mark.timeout(30)
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


@pytest.mark.timeout(30)
@pytest.mark.parametrize("poll", ["503 on every poll", "a poll times out", "the backup failed"])
async def test_a_failed_async_wait_after_a_create_says_the_backup_exists(poll: str) -> None:
    handler, options = POLLS[poll]
    with RawServer(created_then(handler)) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST, **options) as c:
            with pytest.raises(pb.PineconeError) as caught:
                await asyncio.wait_for(c.create_backup("idx", wait=True), 10)
        check_created(caught.value, server)


@pytest.mark.timeout(30)
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
