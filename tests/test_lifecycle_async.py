"""The backup lifecycle of issue 9 on ``AsyncClient``: the key cases of test_lifecycle.py, plus
what only async has (awaitable ``on_progress``, cancelling a wait)."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from pinecone_backups.testing import Emulator

INSTANT = pb.Retry(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
MAYBE_PROCESSED = "the request may have been processed"


@pytest.fixture
async def aclient(emulator: Emulator) -> AsyncIterator[pb.AsyncClient]:
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        yield client


@pytest.fixture
async def retrying(emulator: Emulator) -> AsyncIterator[pb.AsyncClient]:
    async with pb.AsyncClient(
        api_key=API_KEY, host=emulator.url, retry=INSTANT, timeout=0.3
    ) as client:
        yield client


async def ready_backup(client: pb.AsyncClient, emu: Emulator) -> pb.Backup:
    created = await client.create_backup("docs-example")
    emu.advance(emu.backup_seconds)
    return await client.describe_backup(created.backup_id)


async def test_full_lifecycle(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    created = await aclient.create_backup("docs-example", name="nightly", description="d")
    assert isinstance(created, pb.Backup) and created.status == "Initializing"
    assert json.loads(emulator.requests[0].body) == {"name": "nightly", "description": "d"}
    emulator.advance(emulator.backup_seconds)
    ready = await aclient.wait_for_backup(created.backup_id, poll_interval=0.01)
    assert ready.status == "Ready"
    assert (await aclient.describe_backup(created.backup_id)).name == "nightly"
    response = await aclient.create_index_from_backup(
        created.backup_id, "restored", tags={"k": "v"}, deletion_protection="disabled"
    )
    assert isinstance(response, pb.CreateIndexFromBackupResponse)
    job = await aclient.describe_restore_job(response.restore_job_id)
    assert isinstance(job, pb.RestoreJob) and job.status == "Pending"
    emulator.advance(emulator.restore_seconds)
    done = await aclient.wait_for_restore_job(response.restore_job_id, poll_interval=0.01)
    assert done.status == "Completed" and done.target_index_id == response.index_id
    page = await aclient.list_restore_jobs(limit=1)
    assert isinstance(page, pb.RestoreJobList) and page[0].restore_job_id == job.restore_job_id
    assert await aclient.delete_backup(created.backup_id) is None
    assert emulator.get_backup(created.backup_id) is None
    assert await aclient.delete_backup(created.backup_id, missing_ok=True) is None


async def test_project_backups(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    page = await aclient.list_project_backups(limit=4)
    assert isinstance(page, pb.BackupList) and len(page) == 4
    walked = [b.backup_id async for b in aclient.iter_project_backups(page_size=9)]
    assert walked == [b["backup_id"] for b in emulator.backups()]
    few = [b async for b in aclient.iter_project_backups(page_size=4, max_items=5)]
    assert len(few) == 5


async def test_iter_restore_jobs_yields_each_job_once(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(repeat_restore_jobs=True)
    for i in range(7):
        emu.add_restore_job("some-backup", f"target-{i}")
    expected = [j["restore_job_id"] for j in emu.restore_jobs()]
    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        walked = [j.restore_job_id async for j in client.iter_restore_jobs(page_size=3)]
    assert walked == expected
    served = [j["restore_job_id"] for x in emu.exchanges for j in x.json()["data"]]
    assert len(served) > len(set(served))


@pytest.mark.parametrize(
    ("method", "args", "error"),
    [
        ("describe_backup", ("no-such-backup",), pb.NotFoundError),
        ("delete_backup", ("no-such-backup",), pb.NotFoundError),
        ("describe_restore_job", ("no-such-job",), pb.NotFoundError),
        ("create_index_from_backup", ("no-such-backup", "new-index"), pb.NotFoundError),
    ],
)
async def test_404(
    aclient: pb.AsyncClient, method: str, args: tuple[str, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await getattr(aclient, method)(*args)


async def test_409_412_403(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    backup = await ready_backup(aclient, emulator)
    with pytest.raises(pb.AlreadyExistsError):
        await aclient.create_index_from_backup(backup.backup_id, "docs-example")
    emulator.add_restore_job(backup.backup_id, "being-restored", status="Pending")
    with pytest.raises(pb.FailedPreconditionError):
        await aclient.delete_backup(backup.backup_id)
    fresh = await aclient.create_backup("docs-example")
    with pytest.raises(pb.FailedPreconditionError):
        await aclient.create_index_from_backup(fresh.backup_id, "too-early")
    emulator.backup_quota = len(emulator.backups())
    with pytest.raises(pb.ForbiddenError):
        await aclient.create_backup("docs-example")


@pytest.mark.parametrize(
    ("call", "param", "error"),
    [
        (lambda c: c.describe_backup(""), "backup_id", pb.ValidationError),
        (lambda c: c.delete_backup(None), "backup_id", pb.ArgumentTypeError),
        (lambda c: c.describe_restore_job(""), "job_id", pb.ValidationError),
        (lambda c: c.create_index_from_backup("b", "Bad_Name"), "name", pb.ValidationError),
        (
            lambda c: c.create_index_from_backup("b", "ok", tags={"": "v"}),
            "tags",
            pb.ValidationError,
        ),
        (
            lambda c: c.create_index_from_backup("b", "ok", deletion_protection="on"),
            "deletion_protection",
            pb.ValidationError,
        ),
        (lambda c: c.list_project_backups(limit=101), "limit", pb.ValidationError),
        (lambda c: c.list_restore_jobs(limit=0), "limit", pb.ValidationError),
        (lambda c: c.wait_for_backup("b", timeout=0), "timeout", pb.ValidationError),
        (
            lambda c: c.wait_for_restore_job("j", poll_interval=-1),
            "poll_interval",
            pb.ValidationError,
        ),
        (lambda c: c.wait_for_backup("b", timeout=True), "timeout", pb.ArgumentTypeError),
        (lambda c: c.wait_for_backup("b", on_progress=1), "on_progress", pb.ValidationError),
        (lambda c: c.create_backup("docs-example", wait="yes"), "wait", pb.ArgumentTypeError),
    ],
)
async def test_validation_sends_nothing(
    aclient: pb.AsyncClient,
    emulator: Emulator,
    call: Callable[[pb.AsyncClient], object],
    param: str,
    error: type[pb.ValidationError],
) -> None:
    with pytest.raises(error) as caught:
        await call(aclient)  # type: ignore[misc]
    assert caught.value.param == param
    assert emulator.requests == []


@pytest.mark.parametrize("page_size", [0, 101])
async def test_bad_page_size(aclient: pb.AsyncClient, emulator: Emulator, page_size: int) -> None:
    with pytest.raises(pb.ValidationError) as caught:
        async for _ in aclient.iter_restore_jobs(page_size=page_size):
            pass
    assert caught.value.param == "page_size"
    assert emulator.requests == []


async def test_post_not_retried_after_a_5xx(retrying: pb.AsyncClient, emulator: Emulator) -> None:
    emulator.fail_next(503, times=2)
    with pytest.raises(pb.UnavailableError) as caught:
        await retrying.create_backup("docs-example")
    assert len(emulator.requests) == 1
    assert MAYBE_PROCESSED in str(caught.value)


async def test_post_not_retried_after_connection_lost(
    retrying: pb.AsyncClient, emulator: Emulator
) -> None:
    before = len(emulator.backups())
    emulator.reset_next(times=2)
    with pytest.raises(pb.PineconeError) as caught:
        await retrying.create_backup("docs-example")
    assert len(emulator.requests) == 1 and len(emulator.backups()) == before + 1
    assert MAYBE_PROCESSED in str(caught.value)


async def test_post_retried_on_429(retrying: pb.AsyncClient, emulator: Emulator) -> None:
    emulator.fail_next(429)
    await retrying.create_backup("docs-example")
    assert [r.method for r in emulator.requests] == ["POST", "POST"]


async def test_delete_after_5xx_then_404_returns(
    retrying: pb.AsyncClient, emulator: Emulator
) -> None:
    backup = await ready_backup(retrying, emulator)
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        await other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.fail_next(503)
    assert await retrying.delete_backup(backup.backup_id) is None
    assert [r.method for r in emulator.requests] == ["DELETE", "DELETE"]


async def test_delete_after_timeout_then_404_returns(
    retrying: pb.AsyncClient, emulator: Emulator
) -> None:
    backup = await ready_backup(retrying, emulator)
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        await other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.hang_next()
    assert await retrying.delete_backup(backup.backup_id) is None
    assert [r.method for r in emulator.requests] == ["DELETE", "DELETE"]


async def test_delete_after_connection_lost_then_404_returns(
    retrying: pb.AsyncClient, emulator: Emulator
) -> None:
    backup = await ready_backup(retrying, emulator)
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        await other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.drop_next()
    assert await retrying.delete_backup(backup.backup_id) is None
    assert [r.method for r in emulator.requests] == ["DELETE", "DELETE"]


async def test_on_progress_order(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    created = await aclient.create_backup("docs-example")
    seen: list[str] = []

    def progress(backup: pb.Backup) -> None:
        seen.append(backup.status)
        if len(seen) == 2:
            emulator.advance(emulator.backup_seconds)

    await aclient.wait_for_backup(created.backup_id, poll_interval=0.01, on_progress=progress)
    assert seen == ["Initializing", "Initializing", "Ready"]


async def test_on_progress_coroutine_is_awaited(
    aclient: pb.AsyncClient, emulator: Emulator
) -> None:
    backup = await ready_backup(aclient, emulator)
    response = await aclient.create_index_from_backup(backup.backup_id, "restored")
    seen: list[str] = []

    async def progress(job: pb.RestoreJob) -> None:
        await asyncio.sleep(0)
        seen.append(job.status)
        emulator.advance(emulator.restore_seconds)

    job = await aclient.wait_for_restore_job(
        response.restore_job_id, poll_interval=0.01, on_progress=progress
    )
    assert job.status == "Completed"
    assert seen == ["Pending", "Completed"]


async def test_on_progress_exception_propagates(
    aclient: pb.AsyncClient, emulator: Emulator
) -> None:
    created = await aclient.create_backup("docs-example")

    async def progress(backup: pb.Backup) -> None:
        raise KeyError(backup.status)

    with pytest.raises(KeyError, match="Initializing"):
        await aclient.wait_for_backup(created.backup_id, poll_interval=0.01, on_progress=progress)
    assert len(emulator.requests) == 2


async def test_wait_failures(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    emulator.fail_next_backups(status="InitializationFailed")
    doomed = await aclient.create_backup("docs-example")
    emulator.advance(emulator.backup_seconds)
    with pytest.raises(pb.BackupFailedError) as failed:
        await aclient.wait_for_backup(doomed.backup_id, poll_interval=0.01)
    assert failed.value.backup.status == "InitializationFailed"
    backup = await ready_backup(aclient, emulator)
    emulator.fail_next_restores()
    response = await aclient.create_index_from_backup(backup.backup_id, "doomed")
    emulator.advance(emulator.restore_seconds)
    with pytest.raises(pb.RestoreJobFailedError) as job_failed:
        await aclient.wait_for_restore_job(response.restore_job_id, poll_interval=0.01)
    assert job_failed.value.restore_job.status == "Failed"


async def test_wait_times_out(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=3600)
    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        created = await client.create_backup("docs-example")
        with pytest.raises(pb.WaitTimeoutError) as caught:
            await client.wait_for_backup(created.backup_id, timeout=0.2, poll_interval=0.05)
    assert isinstance(caught.value.last, pb.Backup)
    assert caught.value.last.status == "Initializing"
    assert 0.2 <= caught.value.elapsed < 1.0


async def test_cancel_a_wait_while_sleeping(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    emulator.backup_seconds = 3600
    created = await aclient.create_backup("docs-example")
    task = asyncio.create_task(aclient.wait_for_backup(created.backup_id, poll_interval=30))
    await asyncio.sleep(0.1)  # the first poll is done; now it sleeps 30 s
    assert len(emulator.requests) == 2
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 0.5


async def test_cancel_a_wait_during_a_poll(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    created = await aclient.create_backup("docs-example")
    emulator.hang_next()  # the first poll never gets an answer
    task = asyncio.create_task(aclient.wait_for_backup(created.backup_id))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 0.5
    # the client still works
    assert (await aclient.describe_backup(created.backup_id)).backup_id == created.backup_id


async def test_create_backup_wait(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0.0)
    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        backup = await client.create_backup("docs-example", name="waited", wait=True)
    assert backup.status == "Ready" and backup.name == "waited"
    assert [r.method for r in emu.requests] == ["POST", "GET"]
