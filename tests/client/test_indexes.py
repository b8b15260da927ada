"""Indexes through the client: ``list_indexes`` and ``describe_index`` under every API version
(sync, async, the module's functions), ``Index``'s derived values from either shape and its exact
``to_dict()``, ``wait_for_index`` (ready, failed, being deleted, timed out, bounded whatever the
server does, Ctrl-C), ``create_index_from_backup(wait=True)`` (the restore job, then the index,
within one ``timeout``; a failed wait says the restore began), and an index's notebook display.

Every exchange with the ``emulator`` fixture, and with the ``emulators`` ones, is checked against
the spec of its version."""

from __future__ import annotations

import asyncio
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _display
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, HANG, RawReply, RawRequest, RawServer, error_response, json_reply

VERSIONS = pb.API_VERSIONS
SEEDED = ["docs-example", "my-index", "empty-index", "big-index"]
READY_BACKUP = "bkp_123abc"  # my-index's: Ready, 1536 dimensions, cosine


def client_of(emu: Emulator, version: str = "2025-10", **options: Any) -> pb.Client:
    return pb.Client(api_key=emu.api_key, host=emu.url, api_version=version, **options)


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    chosen: str = request.param
    return chosen


@pytest.fixture
def versioned(emulator: Emulator, version: str) -> Iterator[pb.Client]:
    """A client of the ``emulator`` fixture speaking each API version in turn."""
    with client_of(emulator, version, max_retries=0) as client:
        yield client


# -- Listing and describing ------------------------------------------------------------------------


def test_list_indexes(versioned: pb.Client, emulator: Emulator, version: str) -> None:
    indexes = versioned.list_indexes()
    assert type(indexes) is list
    assert [type(index) for index in indexes] == [pb.Index] * len(SEEDED)
    assert [index.name for index in indexes] == SEEDED
    assert [index.to_dict() for index in indexes] == emulator.indexes(api_version=version)


def test_describe_index(versioned: pb.Client, emulator: Emulator, version: str) -> None:
    index = versioned.describe_index("my-index")
    assert index.to_dict() == emulator.get_index("my-index", api_version=version)
    assert pb.Index.from_dict(index.to_dict()) == index
    assert pickle.loads(pickle.dumps(index)) == index
    assert index == versioned.list_indexes()[1]


def test_the_values_every_version_has(versioned: pb.Client, version: str) -> None:
    index = versioned.describe_index("my-index")
    assert (index.name, index.ready, index.state) == ("my-index", True, "Ready")
    assert (index.cloud, index.region) == ("aws", "us-east-1")
    assert (index.dimension, index.metric) == (1536, "cosine")
    assert index.host is not None and index.host.startswith("my-index-")
    assert (index.deletion_protection, index.tags) == ("disabled", {})
    assert index.status == {"ready": True, "state": "Ready"}


def test_the_fields_of_each_version(versioned: pb.Client, version: str) -> None:
    index = versioned.describe_index("my-index")
    if version == "2026-07":
        assert index.spec is None
        assert index.deployment == {
            "deployment_type": "managed",
            "cloud": "aws",
            "region": "us-east-1",
        }
        assert index.schema is not None
        assert index.schema["fields"]["_values"]["dimension"] == 1536
        assert index.to_dict()["tags"] is None  # sent as null, read as no tags
    else:
        assert index.deployment is None and index.schema is None
        assert index.spec is not None and index.spec["serverless"]["cloud"] == "aws"
        assert index.to_dict()["vector_type"] == "dense"  # kept, though not an attribute


def test_a_pod_index(versioned: pb.Client, emulator: Emulator) -> None:
    emulator.add_index("legacy", pod=True, cloud="gcp", region="us-west1", dimension=128)
    index = versioned.describe_index("legacy")
    assert (index.cloud, index.region, index.dimension) == ("gcp", "us-west1", 128)
    assert index.ready is True


def test_a_sparse_index(versioned: pb.Client) -> None:
    index = versioned.describe_index("empty-index")
    assert index.dimension is None
    assert index.metric == ("dotproduct" if index.spec is not None else None)


def test_a_restored_index_keeps_its_settings(versioned: pb.Client, emulator: Emulator) -> None:
    emulator.restore_seconds = 0
    versioned.create_index_from_backup(
        READY_BACKUP, "copy", tags={"env": "test"}, deletion_protection="enabled"
    )
    index = versioned.describe_index("copy")
    assert (index.tags, index.deletion_protection) == ({"env": "test"}, "enabled")
    assert (index.dimension, index.metric) == (1536, "cosine")


def test_unknown_and_deleted_indexes_are_not_found(versioned: pb.Client) -> None:
    for name in ("nowhere", "retired-index"):
        with pytest.raises(pb.NotFoundError, match=f"Index {name} not found"):
            versioned.describe_index(name)


def test_an_index_name_is_checked_before_sending(client: pb.Client, emulator: Emulator) -> None:
    with pytest.raises(pb.ValidationError):
        client.describe_index("x" * 46)
    with pytest.raises(pb.ArgumentTypeError):
        client.describe_index(None)  # type: ignore[arg-type]
    assert emulator.requests == []


async def test_the_async_client(emulator: Emulator, version: str) -> None:
    async with pb.AsyncClient(
        api_key=emulator.api_key, host=emulator.url, api_version=version
    ) as client:
        indexes = await client.list_indexes()
        index = await client.describe_index("big-index")
    assert [i.name for i in indexes] == SEEDED
    assert index.to_dict() == emulator.get_index("big-index", api_version=version)
    assert (index.dimension, index.metric) == (768, "cosine")


def test_the_module_functions(
    emulator: Emulator, version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", emulator.api_key)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    monkeypatch.setenv("PINECONE_API_VERSION", version)
    assert [index.name for index in pb.list_indexes()] == SEEDED
    assert pb.describe_index("docs-example").dimension == 1024
    assert pb.wait_for_index("docs-example").ready is True
    assert emulator.requests[-1].headers["X-Pinecone-Api-Version"] == version


# -- wait_for_index --------------------------------------------------------------------------------


def advancing(emu: Emulator, seconds: float, seen: list[Any]) -> Callable[[Any], None]:
    """An ``on_progress`` that records each object polled and moves the clock on."""

    def on_progress(polled: Any) -> None:
        seen.append(polled)
        emu.advance(seconds)

    return on_progress


def test_wait_for_a_ready_index_polls_once(client: pb.Client, emulator: Emulator) -> None:
    index = client.wait_for_index("my-index")
    assert index.ready is True
    assert [r.path for r in emulator.requests] == ["/indexes/my-index"]


def test_wait_for_a_restored_index(emulators: Callable[..., Emulator], version: str) -> None:
    emu = emulators(restore_seconds=3, index_seconds=2)
    seen: list[pb.Index] = []
    with client_of(emu, version) as client:
        client.create_index_from_backup(READY_BACKUP, "copy")
        index = client.wait_for_index(
            "copy", poll_interval=0.01, on_progress=advancing(emu, 1, seen)
        )
    assert (index.ready, index.state) == (True, "Ready")
    assert [i.state for i in seen] == ["Initializing"] * 5 + ["Ready"]
    assert seen[-1] is index


@pytest.mark.parametrize(
    ("state", "going"),
    [("InitializationFailed", "failed"), ("Failed", "failed"), ("Terminating", "is being deleted")],
)
def test_an_index_that_will_not_be_ready(
    client: pb.Client, emulator: Emulator, state: str, going: str
) -> None:
    emulator.set_index_state("my-index", state)
    with pytest.raises(pb.IndexFailedError) as caught:
        client.wait_for_index("my-index")
    error = caught.value
    assert str(error) == f"index my-index {going}: its state is {state!r}; it will not be ready"
    assert isinstance(error.index, pb.Index) and error.index.state == state
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.index) == (str(error), error.index)


def test_a_failed_state_wins_over_ready(client: pb.Client, emulator: Emulator) -> None:
    emulator.set_index_state("my-index", "Terminating", ready=True)
    with pytest.raises(pb.IndexFailedError):
        client.wait_for_index("my-index")


@pytest.mark.parametrize("state", ["Disabled", "ScalingUp", "Initializing"])
def test_a_state_that_is_not_ready_keeps_the_wait_going(
    client: pb.Client, emulator: Emulator, state: str
) -> None:
    emulator.set_index_state("my-index", state, ready=False)
    with pytest.raises(pb.WaitTimeoutError) as caught:
        client.wait_for_index("my-index", timeout=0.3, poll_interval=0.05)
    error = caught.value
    assert str(error) == (
        f"index my-index was not ready within 0.3s (last state {state!r}, ready False)"
    )
    assert isinstance(error.last, pb.Index) and error.last.state == state


def test_a_restored_index_that_failed(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=1)
    emu.fail_next_restores()
    with client_of(emu) as client:
        client.create_index_from_backup(READY_BACKUP, "copy")
        emu.advance(1)
        with pytest.raises(pb.IndexFailedError, match="'InitializationFailed'"):
            client.wait_for_index("copy")


def test_a_wait_for_an_unknown_index_is_a_404(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        client.wait_for_index("nowhere")


def test_the_wait_s_arguments_are_checked(client: pb.Client, emulator: Emulator) -> None:
    with pytest.raises(pb.ValidationError, match="timeout"):
        client.wait_for_index("my-index", timeout=0)
    with pytest.raises(pb.ArgumentTypeError, match="on_progress"):
        client.wait_for_index("my-index", on_progress=3)  # type: ignore[arg-type]
    assert emulator.requests == []


async def test_the_async_wait(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=2)
    seen: list[pb.Index] = []

    async def on_progress(index: pb.Index) -> None:  # awaited
        seen.append(index)
        emu.advance(1)

    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url) as client:
        await client.create_index_from_backup(READY_BACKUP, "copy")
        index = await client.wait_for_index("copy", poll_interval=0.01, on_progress=on_progress)
        with pytest.raises(pb.ValidationError):  # checked when called: nothing sent
            client.wait_for_index("x" * 46)  # type: ignore[unused-coroutine]
        emu.set_index_state("copy", "Terminating")
        with pytest.raises(pb.IndexFailedError):
            await client.wait_for_index("copy")
    assert index.ready is True
    assert [i.state for i in seen] == ["Initializing", "Initializing", "Ready"]


# -- A wait ends within its timeout whatever the server does ---------------------------------------

T = 1.0
LIMIT = T + 1.0
INITIALIZING = {
    "name": "idx",
    "host": "idx-1.svc.pinecone.io",
    "status": {"ready": False, "state": "Initializing"},
}


def throttled(_: RawRequest) -> RawReply:
    return error_response(code="RESOURCE_EXHAUSTED", status=429, headers=[("Retry-After", "20")])


Handler = Callable[[RawRequest], "RawReply | str"]


def initializing_then(then: Handler) -> Callable[[], Handler]:
    """A maker of handlers that answer the first poll with an ``Initializing`` index, then as
    ``then`` does."""

    def make() -> Handler:
        polls = []

        def handle(request: RawRequest) -> RawReply | str:
            polls.append(request)
            return json_reply(INITIALIZING) if len(polls) == 1 else then(request)

        return handle

    return make


SCENARIOS: dict[str, tuple[Callable[[], Handler], dict[str, Any], bool]] = {
    # name: (a maker of the server's handler, client options, whether a poll succeeded first)
    "429 Retry-After 20": (lambda: throttled, {}, False),
    "never answers, timeout=None": (lambda: lambda _: HANG, {"timeout": None}, False),
    "Initializing, then never answers": (initializing_then(lambda _: HANG), {}, True),
    "Initializing, then 429 Retry-After 20": (initializing_then(throttled), {}, True),
}


def check_timeout(error: BaseException | None, elapsed: float, polled: bool) -> None:
    assert isinstance(error, pb.WaitTimeoutError), repr(error)
    assert elapsed < LIMIT, f"the wait took {elapsed:.2f} s (timeout={T})"
    if polled:
        assert isinstance(error.last, pb.Index) and error.last.state == "Initializing"
    else:
        assert error.last is None


@pytest.mark.timeout(30)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_wait_for_an_index_ends_within_its_timeout(scenario: str) -> None:
    make, options, polled = SCENARIOS[scenario]
    outcome: dict[str, Any] = {}
    with RawServer(make()) as server:
        client = pb.Client(api_key=API_KEY, host=server.url, **options)

        def run() -> None:
            started = time.monotonic()
            try:
                client.wait_for_index("idx", timeout=T, poll_interval=0.1)
            except BaseException as error:
                outcome["error"] = error
            outcome["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(LIMIT + 1)
        assert not thread.is_alive(), f"the wait (timeout={T}) still runs after {LIMIT + 1} s"
        client.close()
    check_timeout(outcome.get("error"), outcome["elapsed"], polled)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("scenario", ["429 Retry-After 20", "Initializing, then never answers"])
async def test_an_async_wait_for_an_index_ends_within_its_timeout(scenario: str) -> None:
    make, options, polled = SCENARIOS[scenario]
    with RawServer(make()) as server:
        async with pb.AsyncClient(api_key=API_KEY, host=server.url, **options) as client:
            started = time.monotonic()
            error: BaseException | None = None
            try:
                await asyncio.wait_for(client.wait_for_index("idx", timeout=T), LIMIT + 1)
            except pb.PineconeError as caught:
                error = caught
            except asyncio.TimeoutError:
                pytest.fail(f"the wait (timeout={T}) still ran after {LIMIT + 1} s")
            check_timeout(error, time.monotonic() - started, polled)


@pytest.mark.timeout(60)
def test_ctrl_c_ends_a_wait_for_an_index(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=3600)
    with client_of(emu) as client:
        client.create_index_from_backup(READY_BACKUP, "copy")
    script = f"""
        import time, pinecone_backups as pb
        client = pb.Client(api_key={emu.api_key!r}, host={emu.url!r})
        print("waiting", flush=True)
        try:
            client.wait_for_index("copy", poll_interval=0.2)
        except KeyboardInterrupt:
            print("interrupted", time.time(), flush=True)
    """
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "waiting"
        deadline = time.monotonic() + 10
        while sum(r.path == "/indexes/copy" for r in emu.requests) < 2:
            assert time.monotonic() < deadline, "the wait never polled twice"
            time.sleep(0.05)
        sent_at = time.time()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert out.startswith("interrupted"), (out, err)
    assert float(out.split()[1]) - sent_at < 2


@pytest.mark.timeout(30)
async def test_cancelling_an_async_wait_ends_it(emulators: Callable[..., Emulator]) -> None:
    """Cancelling ``wait_for_index``, and ``create_index_from_backup(wait=True)`` while it waits
    for the job, ends each at once; neither polls again."""
    emu = emulators(restore_seconds=3600)

    def polls() -> int:
        return sum(r.method == "GET" for r in emu.requests)

    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url) as client:
        await client.create_index_from_backup(READY_BACKUP, "copy")
        waits = [
            client.wait_for_index("copy", poll_interval=0.05),
            client.create_index_from_backup(READY_BACKUP, "copy-2", wait=True, poll_interval=0.05),
        ]
        for wait in waits:
            before = polls()
            task = asyncio.ensure_future(wait)
            while polls() < before + 2:
                await asyncio.sleep(0.01)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.monotonic() - started < 1
            after = polls()
            await asyncio.sleep(0.2)
            assert polls() == after
    assert [r.method for r in emu.requests].count("POST") == 2


# -- create_index_from_backup(wait=True) -----------------------------------------------------------


def test_restore_and_wait(emulators: Callable[..., Emulator], version: str) -> None:
    emu = emulators(restore_seconds=2, index_seconds=2)
    seen: list[Any] = []
    with client_of(emu, version) as client:
        made = client.create_index_from_backup(
            READY_BACKUP,
            "copy",
            tags={"env": "test"},
            wait=True,
            poll_interval=0.01,
            on_progress=advancing(emu, 1, seen),
        )
        assert type(made) is pb.CreateIndexFromBackupResponse
        assert client.describe_restore_job(made.restore_job_id).status == "Completed"
        index = client.describe_index("copy")
    assert (index.ready, index.tags) == (True, {"env": "test"})
    # One second a poll: the job completes at 2, the index is ready at 4.
    assert [type(o).__name__ for o in seen] == ["RestoreJob"] * 3 + ["Index"] * 2
    assert [o.status for o in seen[:3]] == ["Pending", "Pending", "Completed"]
    assert [o.state for o in seen[3:]] == ["Initializing", "Ready"]


def test_restore_without_wait_does_not_wait(client: pb.Client, emulator: Emulator) -> None:
    client.create_index_from_backup(READY_BACKUP, "copy")
    assert [r.method for r in emulator.requests] == ["POST"]
    assert client.describe_index("copy").state == "Initializing"


def test_one_timeout_bounds_both_waits(emulators: Callable[..., Emulator]) -> None:
    """The job takes 0.6 s, the index 0.6 s more: each within 1 s, not both."""
    emu = emulators(restore_seconds=0.6, index_seconds=0.6)
    with client_of(emu) as client:
        started = time.monotonic()
        with pytest.raises(pb.WaitTimeoutError) as caught:
            client.create_index_from_backup(
                READY_BACKUP, "copy", wait=True, timeout=1.0, poll_interval=0.05
            )
        elapsed = time.monotonic() - started
        assert 0.9 < elapsed < 2.0
        message = str(caught.value)
        assert message.startswith("index copy is being restored (restore job ")
        assert message.endswith(
            "waiting for it failed: index copy was not ready within 1.0s "
            "(last state 'Initializing', ready False)"
        )
        restore = caught.value.restore  # type: ignore[attr-defined]
        assert isinstance(restore, pb.CreateIndexFromBackupResponse)
        assert client.describe_restore_job(restore.restore_job_id).target_index_name == "copy"
        made = client.create_index_from_backup(
            READY_BACKUP, "copy-2", wait=True, timeout=5.0, poll_interval=0.05
        )
        assert client.describe_index("copy-2").ready is True
        assert client.describe_restore_job(made.restore_job_id).status == "Completed"


def test_a_failed_restore_says_it_began(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=0)
    emu.fail_next_restores()
    with client_of(emu) as client, pytest.raises(pb.RestoreJobFailedError) as caught:
        client.create_index_from_backup(READY_BACKUP, "copy", wait=True)
    error = caught.value
    restore = error.restore  # type: ignore[attr-defined]
    assert isinstance(restore, pb.CreateIndexFromBackupResponse)
    assert str(error) == (
        f"index copy is being restored (restore job {restore.restore_job_id}); waiting for it "
        f"failed: restore job {restore.restore_job_id} failed: its status is 'Failed'"
    )
    assert error.restore_job.status == "Failed"
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.restore) == (str(error), restore)
    assert [r.method for r in emu.requests].count("POST") == 1


def test_an_index_that_fails_after_its_job(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=0, index_seconds=60)

    def on_progress(polled: Any) -> None:
        if isinstance(polled, pb.Index):
            emu.set_index_state("copy", "InitializationFailed")

    with client_of(emu) as client, pytest.raises(pb.IndexFailedError) as caught:
        client.create_index_from_backup(
            READY_BACKUP, "copy", wait=True, poll_interval=0.01, on_progress=on_progress
        )
    assert "waiting for it failed: index copy failed" in str(caught.value)
    assert caught.value.index.state == "InitializationFailed"


def test_the_restore_s_wait_options_need_wait(client: pb.Client, emulator: Emulator) -> None:
    for options in ({"timeout": 5}, {"poll_interval": 1}, {"on_progress": print}):
        with pytest.raises(pb.ValidationError, match="needs wait=True"):
            client.create_index_from_backup(READY_BACKUP, "copy", **options)
    with pytest.raises(pb.ArgumentTypeError, match="wait must be a bool"):
        client.create_index_from_backup(READY_BACKUP, "copy", wait=1)  # type: ignore[arg-type]
    with pytest.raises(pb.ValidationError, match="timeout"):
        client.create_index_from_backup(READY_BACKUP, "copy", wait=True, timeout=-1)
    assert emulator.requests == []


async def test_async_restore_and_wait(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=0.2, index_seconds=0.2)
    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url) as client:
        with pytest.raises(pb.ValidationError):
            client.create_index_from_backup(  # type: ignore[unused-coroutine]
                READY_BACKUP, "copy", timeout=1
            )
        made = await client.create_index_from_backup(
            READY_BACKUP, "copy", wait=True, timeout=10, poll_interval=0.05
        )
        index = await client.describe_index("copy")
        emu.fail_next_restores()
        with pytest.raises(pb.RestoreJobFailedError) as caught:
            await client.create_index_from_backup(
                READY_BACKUP, "copy-2", wait=True, poll_interval=0.05
            )
    assert type(made) is pb.CreateIndexFromBackupResponse
    assert index.ready is True
    assert str(caught.value).startswith("index copy-2 is being restored")


def test_the_module_s_restore_waits(
    emulators: Callable[..., Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = emulators(restore_seconds=0.1)
    monkeypatch.setenv("PINECONE_API_KEY", emu.api_key)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emu.url)
    pb.create_index_from_backup(READY_BACKUP, "copy", wait=True, poll_interval=0.05)
    assert pb.describe_index("copy").ready is True


# -- Display ---------------------------------------------------------------------------------------


def test_an_index_displays_its_values(versioned: pb.Client) -> None:
    index = versioned.describe_index("my-index")
    lines = _display.text(index).splitlines()
    assert lines[0] == "Index"
    rows = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert list(rows) == [
        "name",
        "host",
        "deletion_protection",
        "tags",
        "ready",
        "state",
        "cloud",
        "region",
        "dimension",
        "metric",
    ]
    assert (rows["state"], rows["cloud"], rows["dimension"]) == ("Ready", "aws", "1,536")
    html = index._repr_html_()
    assert 'data-status="Ready"' in html and "spec" not in html


def test_a_page_of_indexes_has_compact_columns() -> None:
    columns, _noun = _display.page_columns(pb.Index)
    assert [title for title, _ in columns] == [
        "name",
        "state",
        "ready",
        "cloud",
        "region",
        "dimension",
        "metric",
        "deletion_protection",
        "host",
    ]
    index = pb.Index.from_dict({"name": "a", "status": {"ready": False, "state": "Initializing"}})
    assert [cell(index)[0] for _, cell in columns] == ["a", "Initializing", "False"] + ["-"] * 6
