"""AsyncClient: the same API, objects, validation and errors as Client, awaitable; its calls
are lazy coroutines (cancelled before their first step, thrown into, closed unawaited), it runs on
any event loop (uvloop, several loops in several threads, a forked child, loops without
``add_reader``), and its lifecycle round trips: create, describe, delete, restore, retries,
awaitable ``on_progress`` and cancelled waits."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import asyncio
import builtins
import contextvars
import inspect
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator, Callable

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    INSTANT,
    MAYBE_PROCESSED,
    SilentServer,
    run_in_fork,
)

# -- The async client's calls ---------------------------------------------------------------------


async def test_one_page(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    page = await aclient.list_index_backups("docs-example", limit=2)
    assert isinstance(page, pb.BackupList)
    assert [b.name for b in page] == ["example-backup", "pre-migration-backup"]
    assert page.next_token is not None
    rest = await aclient.list_index_backups("docs-example", pagination_token=page.next_token)
    assert len(rest) == 1 and rest.next_token is None
    assert [r.query for r in emulator.requests] == [
        {"limit": ["2"]},
        {"paginationToken": [page.next_token]},
    ]
    assert emulator.requests[0].path == "/indexes/docs-example/backups"


def test_calls_are_lazy_coroutines(emulator: Emulator) -> None:
    client = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
    call = client.list_index_backups("docs-example")
    assert asyncio.iscoroutine(call) and inspect.isawaitable(call)
    assert emulator.requests == [], "nothing is sent before the call is awaited"
    assert len(asyncio.run(call)) == 3  # works without a running loop, like any coroutine
    with pytest.raises(pb.PineconeError, match="already awaited"):
        asyncio.run(call)
    client.list_index_backups("docs-example").close()  # never awaited: dropped quietly
    assert len(emulator.requests) == 1


async def test_same_objects_as_the_sync_client(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    with pb.Client(api_key=API_KEY, host=emulator.url) as client:
        assert await aclient.list_index_backups("my-index") == client.list_index_backups("my-index")


async def test_full_walk(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    walk = aclient.iter_index_backups("big-index", page_size=10)
    assert walk.__aiter__() is walk
    ids = [backup.backup_id async for backup in walk]
    assert ids == [b["backup_id"] for b in emulator.backups("big-index")]
    assert [r.query.get("limit") for r in emulator.requests] == [["10"], None, None]
    assert walk.next_token is None and walk.handed_out == 25


async def test_pages_max_items_and_resume(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    expected = [b["backup_id"] for b in emulator.backups("big-index")]
    pages = aclient.iter_index_backups("big-index", page_size=10).pages()
    assert [len(page) async for page in pages] == [10, 10, 5]

    walk = aclient.iter_index_backups("big-index", page_size=7, max_items=17)
    first = [b.backup_id async for b in walk]
    assert first == expected[:17]
    resumed = aclient.iter_index_backups("big-index", pagination_token=walk.next_token)
    assert [b.backup_id async for b in resumed] == expected[14:]

    walk = aclient.iter_index_backups("big-index", page_size=10, max_items=23)
    head = await walk.__anext__()
    assert head.backup_id == expected[0]
    assert [len(p) async for p in walk.pages()] == [9, 10, 3]
    assert [b async for b in walk] == []


async def test_empty_index(aclient: pb.AsyncClient) -> None:
    assert [b async for b in aclient.iter_index_backups("empty-index")] == []
    assert [len(p) async for p in aclient.iter_index_backups("empty-index").pages()] == [0]


async def test_gather_200_calls_across_20_indexes(
    aclient: pb.AsyncClient, emulator: Emulator
) -> None:
    for i in range(20):
        for j in range(i % 4 + 1):
            emulator.add_backup(f"fan-{i}", name=f"fan-{i}-{j}")
    names = [f"fan-{n % 20}" for n in range(200)]
    pages = await asyncio.gather(*(aclient.list_index_backups(name) for name in names))
    assert len(pages) == 200
    for name, page in zip(names, pages, strict=True):
        assert {b.source_index_name for b in page} == {name}
        assert len(page) == int(name.split("-")[1]) % 4 + 1
    assert len(emulator.requests) == 200


async def test_concurrent_anext_fetches_each_page_once(
    aclient: pb.AsyncClient, emulator: Emulator
) -> None:
    walk = aclient.iter_index_backups("big-index", page_size=5)
    items = await asyncio.gather(*(walk.__anext__() for _ in range(25)))
    expected = sorted(b["backup_id"] for b in emulator.backups("big-index"))
    assert sorted(b.backup_id for b in items) == expected
    assert len(emulator.requests) == 5
    with pytest.raises(StopAsyncIteration):
        await walk.__anext__()


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (404, "NOT_FOUND", pb.NotFoundError),
        (401, "UNAUTHENTICATED", pb.UnauthenticatedError),
        (429, "RESOURCE_EXHAUSTED", pb.ResourceExhaustedError),
        (500, "UNKNOWN", pb.UnknownError),
        (503, "UNAVAILABLE", pb.UnavailableError),
        (409, "SOMETHING_NEW", pb.ApiError),
    ],
)
async def test_errors_per_code(
    aclient: pb.AsyncClient, emulator: Emulator, status: int, code: str, cls: type[pb.ApiError]
) -> None:
    emulator.fail_next(status, code=code, message="nope")
    with pytest.raises(cls) as caught:
        await aclient.list_index_backups("docs-example")
    assert type(caught.value) is cls
    assert (caught.value.status, caught.value.code, caught.value.message) == (status, code, "nope")
    emulator.fail_next(status, code=code, message="nope")
    with pytest.raises(cls):
        async for _ in aclient.iter_index_backups("docs-example"):
            pass


@pytest.mark.off_spec_responses
async def test_decode_errors(aclient: pb.AsyncClient, emulator: Emulator) -> None:
    emulator.malformed_next()
    with pytest.raises(pb.ResponseDecodeError):
        await aclient.list_index_backups("docs-example")


# Bad arguments and configurations: test_validation.py runs its cases on AsyncClient too.
async def test_timeout_and_connection_errors(emulator: Emulator) -> None:
    emulator.delay_next(5)
    async with pb.AsyncClient(
        api_key=API_KEY, host=emulator.url, timeout=0.3, max_retries=0
    ) as client:
        with pytest.raises(pb.PineconeTimeoutError):
            await client.list_index_backups("docs-example")
    async with pb.AsyncClient(api_key=API_KEY, host="http://127.0.0.1:1", max_retries=0) as client:
        with pytest.raises(pb.PineconeConnectionError):
            await client.list_index_backups("docs-example")


async def wait_for_hang_up(server: SilentServer, since: float) -> float:
    for _ in range(200):
        if server.hung_up_at:
            return server.hung_up_at[0] - since
        await asyncio.sleep(0.01)
    pytest.fail("the connection was not closed after the cancellation")


async def hang_up_after_cancel(client: pb.AsyncClient, server: SilentServer) -> float:
    """Cancels a call to the silent server once its request arrived: how long the connection
    took to close after the cancellation."""
    task = asyncio.ensure_future(client.list_index_backups("docs-example"))
    assert await asyncio.to_thread(server.requests_seen.wait, 10)
    cancelled_at = time.time()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    return await wait_for_hang_up(server, cancelled_at)


async def test_cancelling_drops_the_request() -> None:
    server = SilentServer()
    try:
        async with pb.AsyncClient(api_key=API_KEY, host=server.url, timeout=None) as client:
            assert await hang_up_after_cancel(client, server) < 1.0

            server.hung_up_at.clear()
            server.requests_seen.clear()
            started = time.time()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.list_index_backups("docs-example"), 0.3)
            assert await wait_for_hang_up(server, started) < 1.5
    finally:
        server.close()


def test_cancellation_leaves_no_warnings_or_pending_tasks(emulator: Emulator) -> None:
    # Python's development mode reports un-awaited coroutines, never-retrieved exceptions,
    # destroyed pending tasks and unclosed resources on stderr; -W error makes warnings fatal.
    script = textwrap.dedent(
        f"""
        import asyncio, gc, pinecone_backups as pb

        async def main():
            async with pb.AsyncClient(api_key={API_KEY!r}, host={emulator.url!r}) as client:
                for _ in range(5):
                    try:
                        await asyncio.wait_for(client.list_index_backups("docs-example"), 0.05)
                    except asyncio.TimeoutError:
                        pass
                task = asyncio.ensure_future(client.list_index_backups("docs-example"))
                await asyncio.sleep(0.01)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                page = await client.list_index_backups("docs-example")
                print(len(page))

        asyncio.run(main())
        gc.collect()
        """
    )
    emulator.latency = 0.2
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3\n"
    assert result.stderr == ""


def test_exiting_with_requests_in_flight_is_clean(emulator: Emulator) -> None:
    # Results arriving while the interpreter shuts down must not be handed to it (a thread that
    # attaches during finalization corrupts memory: -X dev aborts on it). Several runs, since it
    # is a race.
    script = textwrap.dedent(
        f"""
        import asyncio, pinecone_backups as pb

        async def main():
            client = pb.AsyncClient(api_key={API_KEY!r}, host={emulator.url!r})
            calls = [client.list_index_backups("big-index") for _ in range(20)]
            tasks = [asyncio.ensure_future(call) for call in calls]
            await asyncio.sleep(0.05)
            for task in tasks[:10]:
                task.cancel()
            # main returns with requests in flight; asyncio.run cancels the rest

        asyncio.run(main())
        """
    )
    emulator.latency = 0.06
    for _ in range(16):
        result = subprocess.run(
            [sys.executable, "-X", "dev", "-W", "error", "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (result.returncode, result.stderr) == (0, "")


async def test_close_and_use_after_close(emulator: Emulator) -> None:
    client = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
    async with client as entered:
        assert entered is client
        await client.list_index_backups("docs-example")
    assert client.closed and "closed=True" in repr(client)
    with pytest.raises(pb.ClientClosedError):
        _ = client.list_index_backups("docs-example")  # raises at the call: nothing to await
    other = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
    walk = other.iter_index_backups("big-index", page_size=10)
    await walk.__anext__()
    await other.aclose()
    assert other.closed
    for _ in range(9):
        await walk.__anext__()  # already fetched
    with pytest.raises(pb.ClientClosedError):
        await walk.__anext__()


def test_several_event_loops_in_several_threads(emulator: Emulator) -> None:
    client = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
    results: list[int] = []
    failures: list[BaseException] = []

    async def work() -> int:
        pages = await asyncio.gather(*(client.list_index_backups("big-index") for _ in range(10)))
        walked = [b async for b in client.iter_index_backups("big-index", page_size=10)]
        return sum(len(p) for p in pages) + len(walked)

    def thread() -> None:
        try:
            results.append(asyncio.run(work()))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=thread) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert results == [125] * 4


def test_uvloop(emulator: Emulator) -> None:
    uvloop = pytest.importorskip("uvloop")

    async def work() -> list[int]:
        async with pb.AsyncClient(api_key=API_KEY, host=emulator.url) as client:
            pages = await asyncio.gather(*(client.list_index_backups(n) for n in ["my-index"] * 5))
            walked = [b async for b in client.iter_index_backups("big-index", page_size=10)]
            return [len(p) for p in pages] + [len(walked)]

    loop = uvloop.new_event_loop()
    try:
        assert loop.run_until_complete(work()) == [2, 2, 2, 2, 2, 25]
    finally:
        loop.close()


def test_forked_child(emulator: Emulator) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    client = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
    assert asyncio.run(client.list_index_backups("docs-example")).next_token is None

    async def in_child() -> tuple[int, int]:
        same = await client.list_index_backups("docs-example")
        fresh = pb.AsyncClient(api_key=API_KEY, host=emulator.url)
        walked = [b async for b in fresh.iter_index_backups("big-index", page_size=10)]
        return len(same), len(walked)

    # The parent's client and a new one both work in the child, on a new event loop.
    assert run_in_fork(lambda: asyncio.run(in_child()) == (3, 25)) == 0
    assert len(asyncio.run(client.list_index_backups("docs-example"))) == 3


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, as Windows' proactor loop cannot: results
    reach it through pyo3-async-runtimes and ``call_soon_threadsafe`` instead."""

    def add_reader(self, *args: object) -> None:
        raise NotImplementedError


@pytest.mark.parametrize("loop_class", [asyncio.SelectorEventLoop, NoReaderLoop])
def test_both_ways_to_the_loop(
    emulator: Emulator, loop_class: type[asyncio.AbstractEventLoop]
) -> None:
    server = SilentServer()

    async def work() -> tuple[int, int, float]:
        async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
            pages = await asyncio.gather(
                *(client.list_index_backups("big-index") for _ in range(30))
            )
            walked = [b async for b in client.iter_index_backups("big-index", page_size=4)]
            emulator.fail_next(404, code="NOT_FOUND", message="nope")
            with pytest.raises(pb.NotFoundError):
                await client.list_index_backups("docs-example")
        async with pb.AsyncClient(api_key=API_KEY, host=server.url, timeout=None) as silent:
            hung_up = await hang_up_after_cancel(silent, server)
        return sum(len(p) for p in pages), len(walked), hung_up

    loop = loop_class()
    try:
        pages, walked, hung_up = loop.run_until_complete(work())
    finally:
        loop.close()
        server.close()
    assert (pages, walked) == (30 * 10, 25)
    assert hung_up < 1.0


async def test_many_results_at_once_all_reach_the_loop(emulator: Emulator) -> None:
    # Results finishing together share one wake-up of the loop; none may be left behind
    # (a lost wake-up shows as a call that never returns).
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        for round_ in range(20):
            walk = client.iter_index_backups("big-index", page_size=1 + round_ % 5)
            nexts = [walk.__anext__() for _ in range(25)]
            calls = [client.list_index_backups("my-index") for _ in range(40)]
            items, pages = await asyncio.wait_for(
                asyncio.gather(asyncio.gather(*nexts), asyncio.gather(*calls)), 30
            )
            assert len({b.backup_id for b in items}) == 25
            assert all(len(page) == 2 for page in pages)


def test_a_new_loop_per_run_leaks_nothing(emulator: Emulator) -> None:
    # Each event loop gets a socket to be woken through; closed loops must not keep theirs.
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    client = pb.AsyncClient(api_key=API_KEY, host=emulator.url)

    async def one() -> int:
        return len(await client.list_index_backups("docs-example"))

    assert asyncio.run(one()) == 3
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        assert asyncio.run(one()) == 3
    assert len(os.listdir("/proc/self/fd")) <= before + 2


VAR: contextvars.ContextVar[str] = contextvars.ContextVar("VAR", default="unset")


@pytest.mark.parametrize("loop_class", [asyncio.SelectorEventLoop, NoReaderLoop])
def test_tasks_resume_in_their_own_context(
    emulator: Emulator, loop_class: type[asyncio.AbstractEventLoop]
) -> None:
    # Each task's wake-up runs in that task's context, whichever way results reach the loop.
    async def one(client: pb.AsyncClient, name: str) -> tuple[str, int]:
        VAR.set(name)
        page = await client.list_index_backups("big-index")
        walked = [b async for b in client.iter_index_backups("big-index", page_size=7)]
        return VAR.get(), len(page) + len(walked)

    async def work() -> list[tuple[str, int]]:
        async with pb.AsyncClient(api_key=API_KEY, host=emulator.url) as client:
            return await asyncio.gather(*(one(client, f"task-{i}") for i in range(20)))

    loop = loop_class()
    try:
        results = loop.run_until_complete(work())
    finally:
        loop.close()
    assert results == [(f"task-{i}", 35) for i in range(20)]


async def test_cancel_message_and_shield(emulator: Emulator) -> None:
    emulator.latency = 0.3
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url) as client:
        task = asyncio.ensure_future(client.list_index_backups("docs-example"))
        await asyncio.sleep(0.05)
        task.cancel("enough")
        with pytest.raises(asyncio.CancelledError) as cancelled:
            await task
        assert cancelled.value.args == ("enough",)
        inner = asyncio.ensure_future(client.list_index_backups("docs-example"))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(inner), 0.05)
        assert len(await inner) == 3  # the shielded call went on


# -- The lifecycle on AsyncClient -----------------------------------------------------------------


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


# -- A call cancelled before its first step, thrown into or closed unawaited ----------------------


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
