"""The backup lifecycle of issue 9 on ``Client``: create, describe, delete, project backups,
restore, restore jobs and waiting, against the emulator (every exchange spec-checked by the
``emulator`` fixture)."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from pinecone_backups.testing import Emulator

INSTANT = pb.Retry(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
"""Retries without waiting, to see which requests are retried."""
MAYBE_PROCESSED = "the request may have been processed"


@pytest.fixture
def retrying(emulator: Emulator) -> Iterator[pb.Client]:
    """A client that retries (at once) up to twice, with a short per-attempt timeout."""
    with pb.Client(api_key=API_KEY, host=emulator.url, retry=INSTANT, timeout=0.3) as client:
        yield client


def methods(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests]


def ready_backup(client: pb.Client, emu: Emulator, index: str = "docs-example") -> pb.Backup:
    created = client.create_backup(index)
    emu.advance(emu.backup_seconds)
    return client.describe_backup(created.backup_id)


# -- every operation succeeds ---------------------------------------------------------------


def test_create_backup(client: pb.Client, emulator: Emulator) -> None:
    backup = client.create_backup("docs-example", name="nightly", description="before upgrade")
    assert isinstance(backup, pb.Backup)
    assert backup.status == "Initializing"
    assert backup.source_index_name == "docs-example"
    assert (backup.name, backup.description) == ("nightly", "before upgrade")
    assert backup.created_at is not None and backup.created_at.tzinfo is not None
    (request,) = emulator.requests
    assert (request.method, request.path) == ("POST", "/indexes/docs-example/backups")
    assert json.loads(request.body) == {"name": "nightly", "description": "before upgrade"}
    assert emulator.get_backup(backup.backup_id) is not None


def test_create_backup_omits_none_fields(client: pb.Client, emulator: Emulator) -> None:
    client.create_backup("docs-example")
    client.create_backup(index_name="my-index", name="only-a-name")
    bodies = [json.loads(r.body or b"{}") for r in emulator.requests]
    assert bodies == [{}, {"name": "only-a-name"}]


def test_describe_backup(client: pb.Client, emulator: Emulator) -> None:
    created = client.create_backup("docs-example", name="b")
    assert client.describe_backup(created.backup_id).status == "Initializing"
    emulator.advance(emulator.backup_seconds)
    described = client.describe_backup(backup_id=created.backup_id)
    assert described.status == "Ready"
    assert described.backup_id == created.backup_id and described.name == "b"
    assert emulator.requests[-1].path == f"/backups/{created.backup_id}"


def test_delete_backup(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    assert client.delete_backup(backup.backup_id) is None
    assert emulator.get_backup(backup.backup_id) is None
    assert methods(emulator)[-1] == f"DELETE /backups/{backup.backup_id}"


def test_list_project_backups_one_page(client: pb.Client, emulator: Emulator) -> None:
    page = client.list_project_backups(limit=5)
    assert isinstance(page, pb.BackupList)
    assert len(page) == 5 and page.next_token is not None
    second = client.list_project_backups(limit=5, pagination_token=page.next_token)
    assert {b.backup_id for b in page}.isdisjoint(b.backup_id for b in second)
    assert [b.backup_id for b in [*page, *second]] == [
        b["backup_id"] for b in emulator.backups()[:10]
    ]
    assert [r.query for r in emulator.requests] == [
        {"limit": ["5"]},
        {"limit": ["5"], "paginationToken": [page.next_token]},
    ]
    assert {r.path for r in emulator.requests} == {"/backups"}


def test_iter_project_backups_covers_every_index(client: pb.Client, emulator: Emulator) -> None:
    client.create_backup("empty-index", name="fresh")
    walked = list(client.iter_project_backups(page_size=7))
    expected = emulator.backups()
    assert [b.backup_id for b in walked] == [b["backup_id"] for b in expected]
    assert {b.source_index_name for b in walked} == {
        "docs-example",
        "my-index",
        "big-index",
        "empty-index",
    }
    assert emulator.requests[1].query == {"limit": ["7"]}
    assert all("paginationToken" in r.query for r in emulator.requests[2:])


def test_iter_project_backups_max_items_and_pages(client: pb.Client, emulator: Emulator) -> None:
    assert len(list(client.iter_project_backups(page_size=4, max_items=6))) == 6
    it = client.iter_project_backups(page_size=10)
    pages = list(it.pages())
    assert [len(p) for p in pages] == [10, 10, 10]
    assert it.next_token is None


def test_create_index_from_backup(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    response = client.create_index_from_backup(
        backup.backup_id, "restored-1", tags={"team": "search"}, deletion_protection="enabled"
    )
    assert isinstance(response, pb.CreateIndexFromBackupResponse)
    assert response.restore_job_id and response.index_id
    assert "restored-1" in emulator.index_names()
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", f"/backups/{backup.backup_id}/create-index")
    assert json.loads(request.body) == {
        "name": "restored-1",
        "tags": {"team": "search"},
        "deletion_protection": "enabled",
    }
    client.create_index_from_backup(backup_id=backup.backup_id, name="restored-2")
    assert json.loads(emulator.requests[-1].body) == {"name": "restored-2"}


def test_describe_restore_job(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    response = client.create_index_from_backup(backup.backup_id, "restored")
    job = client.describe_restore_job(response.restore_job_id)
    assert isinstance(job, pb.RestoreJob)
    assert (job.restore_job_id, job.backup_id) == (response.restore_job_id, backup.backup_id)
    assert (job.target_index_name, job.target_index_id) == ("restored", response.index_id)
    assert job.status == "Pending" and job.completed_at is None and job.percent_complete is None
    emulator.advance(emulator.restore_seconds)
    done = client.describe_restore_job(job_id=response.restore_job_id)
    assert done.status == "Completed" and done.percent_complete == 100.0
    assert done.completed_at is not None and done.completed_at.tzinfo is not None
    assert done.created_at is not None and done.created_at <= done.completed_at
    assert emulator.requests[-1].path == f"/restore-jobs/{response.restore_job_id}"


def test_list_restore_jobs(client: pb.Client, emulator: Emulator) -> None:
    ids = [emulator.add_restore_job("b", f"target-{i}")["restore_job_id"] for i in range(3)]
    page = client.list_restore_jobs(limit=2)
    assert isinstance(page, pb.RestoreJobList)
    assert len(page) == 2 and page.next_token is not None
    rest = client.list_restore_jobs(pagination_token=page.next_token)
    assert sorted(j.restore_job_id for j in [*page, *rest]) == sorted(ids)
    assert rest.next_token is None
    assert emulator.requests[0].path == "/restore-jobs"


def test_iter_restore_jobs_yields_each_job_once(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(repeat_restore_jobs=True)
    for i in range(7):
        emu.add_restore_job("some-backup", f"target-{i}")
    expected = [j["restore_job_id"] for j in emu.restore_jobs()]
    with pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        it = client.iter_restore_jobs(page_size=3)
        walked = [j.restore_job_id for j in it]
        assert walked == expected  # newest first, no repeat, none skipped
        assert it.next_token is None
    # the server did repeat jobs: the raw pages overlap
    served = [j["restore_job_id"] for x in emu.exchanges for j in x.json()["data"]]
    assert len(served) > len(set(served)) and set(served) == set(expected)
    with pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        pages = list(client.iter_restore_jobs(page_size=3).pages())
        assert sorted(j.restore_job_id for p in pages for j in p) == sorted(expected)
        assert len(list(client.iter_restore_jobs(page_size=3, max_items=4))) == 4


def test_module_functions_use_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    created = pb.create_backup("docs-example", name="from-env")
    emulator.advance(emulator.backup_seconds)
    assert pb.wait_for_backup(created.backup_id, poll_interval=0.01).status == "Ready"
    assert pb.describe_backup(created.backup_id).name == "from-env"
    assert len(pb.list_project_backups(limit=3)) == 3
    assert len(list(pb.iter_project_backups(max_items=4))) == 4
    response = pb.create_index_from_backup(created.backup_id, "from-env-index")
    emulator.advance(emulator.restore_seconds)
    job = pb.wait_for_restore_job(response.restore_job_id, poll_interval=0.01)
    assert pb.describe_restore_job(job.restore_job_id).status == "Completed"
    assert response.restore_job_id in {j.restore_job_id for j in pb.list_restore_jobs()}
    assert response.restore_job_id in {j.restore_job_id for j in pb.iter_restore_jobs()}
    assert pb.delete_backup(created.backup_id) is None
    assert pb.delete_backup(created.backup_id, missing_ok=True) is None


# -- documented error codes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.describe_backup("no-such-backup"),
        lambda c: c.delete_backup("no-such-backup"),
        lambda c: c.create_index_from_backup("no-such-backup", "new-index"),
        lambda c: c.describe_restore_job("no-such-job"),
        lambda c: c.create_backup("no-such-index"),
    ],
    ids=["describe", "delete", "restore", "describe_job", "create"],
)
def test_404(client: pb.Client, call: Callable[[pb.Client], object]) -> None:
    with pytest.raises(pb.NotFoundError) as caught:
        call(client)
    assert caught.value.status == 404


def test_delete_missing_ok(client: pb.Client, emulator: Emulator) -> None:
    assert client.delete_backup("no-such-backup", missing_ok=True) is None
    assert len(emulator.requests) == 1


def test_409_restore_into_an_existing_index(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    with pytest.raises(pb.AlreadyExistsError) as caught:
        client.create_index_from_backup(backup.backup_id, "docs-example")
    assert caught.value.status == 409


def test_412_delete_with_a_pending_restore_job(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    emulator.add_restore_job(backup.backup_id, "being-restored", status="Pending")
    with pytest.raises(pb.FailedPreconditionError) as caught:
        client.delete_backup(backup.backup_id)
    assert caught.value.status == 412
    with pytest.raises(pb.FailedPreconditionError):
        client.delete_backup(backup.backup_id, missing_ok=True)  # only a 404 is forgiven
    assert emulator.get_backup(backup.backup_id) is not None


def test_412_restore_a_backup_not_ready(client: pb.Client, emulator: Emulator) -> None:
    created = client.create_backup("docs-example")
    with pytest.raises(pb.FailedPreconditionError) as caught:
        client.create_index_from_backup(created.backup_id, "too-early")
    assert caught.value.status == 412
    assert "too-early" not in emulator.index_names()


def test_403_backup_quota(client: pb.Client, emulator: Emulator) -> None:
    emulator.backup_quota = len(emulator.backups()) + 1
    client.create_backup("docs-example")
    with pytest.raises(pb.ForbiddenError) as caught:
        client.create_backup("docs-example")
    assert caught.value.status == 403


# -- validation: nothing is sent --------------------------------------------------------------

ID_METHODS = [
    ("describe_backup", "backup_id"),
    ("delete_backup", "backup_id"),
    ("wait_for_backup", "backup_id"),
    ("describe_restore_job", "job_id"),
    ("wait_for_restore_job", "job_id"),
    ("create_backup", "index_name"),
    ("create_index_from_backup", "backup_id"),
]


def refused(
    emu: Emulator, call: Callable[[], object], param: str, error: type[pb.ValidationError]
) -> pb.ValidationError:
    before = len(emu.requests)
    with pytest.raises(error) as caught:
        call()
    assert caught.value.param == param, caught.value
    assert len(emu.requests) == before, "a refused call sent a request"
    return caught.value


@pytest.mark.parametrize(("method", "param"), ID_METHODS)
def test_empty_id(client: pb.Client, emulator: Emulator, method: str, param: str) -> None:
    args: tuple[str, ...] = ("",) if method != "create_index_from_backup" else ("", "new-index")
    refused(emulator, lambda: getattr(client, method)(*args), param, pb.ValidationError)


@pytest.mark.parametrize("bad", [None, 1, b"id", ["id"]])
@pytest.mark.parametrize(("method", "param"), ID_METHODS)
def test_non_str_id(
    client: pb.Client, emulator: Emulator, method: str, param: str, bad: object
) -> None:
    args: tuple[object, ...] = (bad,) if method != "create_index_from_backup" else (bad, "x")
    refused(emulator, lambda: getattr(client, method)(*args), param, pb.ArgumentTypeError)


@pytest.mark.parametrize(
    "name", ["", "a" * 46, "Upper", "-lead", "trail-", "under_score", "dot.ted", "sp ace", "é"]
)
def test_restore_name_rules(client: pb.Client, emulator: Emulator, name: str) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", name),
        "name",
        pb.ValidationError,
    )


def test_restore_name_wrong_type(client: pb.Client, emulator: Emulator) -> None:
    call = lambda: client.create_index_from_backup("some-backup", 5)  # type: ignore[arg-type]  # noqa: E731
    refused(emulator, call, "name", pb.ArgumentTypeError)


@pytest.mark.parametrize("name", ["a", "a" * 45, "a-1", "0-z9", "x--y"])
def test_restore_name_accepted(client: pb.Client, emulator: Emulator, name: str) -> None:
    with pytest.raises(pb.NotFoundError):  # valid, so sent: the backup does not exist
        client.create_index_from_backup("no-such-backup", name)
    assert len(emulator.requests) == 1


@pytest.mark.parametrize(
    "tags",
    [
        {"": "v"},
        {"k" * 81: "v"},
        {"a b": "v"},
        {"a.b": "v"},
        {"k": "v" * 121},
        {"k": "a/b"},
        {"k": "ü"},
        {"k": "tab\there"},
    ],
)
def test_bad_tags(client: pb.Client, emulator: Emulator, tags: dict[str, str]) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", "new-index", tags=tags),
        "tags",
        pb.ValidationError,
    )


@pytest.mark.parametrize("tags", [["k", "v"], {1: "v"}, {"k": 1}, {"k": None}, "k=v"])
def test_tags_wrong_type(client: pb.Client, emulator: Emulator, tags: Any) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", "new-index", tags=tags),
        "tags",
        pb.ValidationError,  # ArgumentTypeError is one
    )


def test_tags_accepted(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    tags = {"k" * 80: "v" * 120, "Key_-9": "a;@_-.+ Z", "empty": ""}
    client.create_index_from_backup(backup.backup_id, "tagged", tags=tags)
    assert json.loads(emulator.requests[-1].body)["tags"] == tags


@pytest.mark.parametrize("value", ["Enabled", "on", "", True])
def test_bad_deletion_protection(client: pb.Client, emulator: Emulator, value: Any) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup(
            "some-backup", "new-index", deletion_protection=value
        ),
        "deletion_protection",
        pb.ValidationError,
    )


@pytest.mark.parametrize("value", [0, 101, -1])
@pytest.mark.parametrize("method", ["list_project_backups", "list_restore_jobs"])
def test_bad_limit(client: pb.Client, emulator: Emulator, method: str, value: int) -> None:
    refused(emulator, lambda: getattr(client, method)(limit=value), "limit", pb.ValidationError)


@pytest.mark.parametrize("value", [True, 1.5, "10"])
@pytest.mark.parametrize("method", ["list_project_backups", "list_restore_jobs"])
def test_limit_wrong_type(client: pb.Client, emulator: Emulator, method: str, value: Any) -> None:
    refused(emulator, lambda: getattr(client, method)(limit=value), "limit", pb.ArgumentTypeError)


@pytest.mark.parametrize("value", [0, 101])
@pytest.mark.parametrize("method", ["iter_project_backups", "iter_restore_jobs"])
def test_bad_page_size(client: pb.Client, emulator: Emulator, method: str, value: int) -> None:
    def call() -> None:
        for _ in getattr(client, method)(page_size=value):
            pass

    refused(emulator, call, "page_size", pb.ValidationError)


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_accepted(client: pb.Client, limit: int) -> None:
    assert len(client.list_project_backups(limit=limit)) == min(limit, 30)
    assert len(client.list_restore_jobs(limit=limit)) == 0


@pytest.mark.parametrize("param", ["timeout", "poll_interval"])
@pytest.mark.parametrize("value", [0, -1, 0.0, -0.5, float("nan")])
@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_bad_wait_numbers(
    client: pb.Client, emulator: Emulator, method: str, param: str, value: float
) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", **{param: value}),
        param,
        pb.ValidationError,
    )


@pytest.mark.parametrize("param", ["timeout", "poll_interval"])
@pytest.mark.parametrize("value", [True, False, "1"])
@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_wait_numbers_wrong_type(
    client: pb.Client, emulator: Emulator, method: str, param: str, value: object
) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", **{param: value}),
        param,
        pb.ArgumentTypeError,
    )


@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_on_progress_not_callable(client: pb.Client, emulator: Emulator, method: str) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", on_progress="print"),
        "on_progress",
        pb.ValidationError,
    )


@pytest.mark.parametrize("value", ["yes", 1])
def test_wait_flag_wrong_type(client: pb.Client, emulator: Emulator, value: object) -> None:
    refused(
        emulator,
        lambda: client.create_backup("docs-example", wait=value),  # type: ignore[arg-type]
        "wait",
        pb.ArgumentTypeError,
    )


@pytest.mark.parametrize("param", ["name", "description"])
def test_create_backup_text_wrong_type(client: pb.Client, emulator: Emulator, param: str) -> None:
    wrong: dict[str, Any] = {param: 5}
    refused(
        emulator,
        lambda: client.create_backup("docs-example", **wrong),
        param,
        pb.ArgumentTypeError,
    )


def test_missing_ok_wrong_type(client: pb.Client, emulator: Emulator) -> None:
    refused(
        emulator,
        lambda: client.delete_backup("some-id", missing_ok="yes"),  # type: ignore[arg-type]
        "missing_ok",
        pb.ArgumentTypeError,
    )


# -- retries never duplicate work --------------------------------------------------------------


def test_post_not_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.fail_next(503, times=2)
    with pytest.raises(pb.UnavailableError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_restore_post_not_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(500, times=2)
    with pytest.raises(pb.ServerError) as caught:
        retrying.create_index_from_backup(backup.backup_id, "once-only")
    assert methods(emulator) == [f"POST /backups/{backup.backup_id}/create-index"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_connection_lost(retrying: pb.Client, emulator: Emulator) -> None:
    """The emulator creates the backup, then resets the connection mid-answer: a retry would
    create a second one."""
    before = len(emulator.backups())
    emulator.reset_next(times=2)
    with pytest.raises(pb.PineconeError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert len(emulator.backups()) == before + 1
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_connection_dropped(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.drop_next(times=2)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_a_read_timeout(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.hang_next(times=2)
    with pytest.raises(pb.PineconeTimeoutError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_retried_on_429(retrying: pb.Client, emulator: Emulator) -> None:
    before = len(emulator.backups())
    emulator.fail_next(429)
    backup = retrying.create_backup("docs-example", name="after-429")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"] * 2
    assert len(emulator.backups()) == before + 1
    assert backup.name == "after-429"


def test_restore_post_retried_on_429(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(429)
    retrying.create_index_from_backup(backup.backup_id, "after-429")
    assert len(emulator.requests) == 2
    assert len([j for j in emulator.restore_jobs() if j["backup_id"] == backup.backup_id]) == 1


def test_post_retried_when_never_sent(emulator: Emulator) -> None:
    """Connect refused: the request surely never reached a server, so it is retried (here all
    attempts fail the same way, and the error does not claim it may have been processed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    host = f"http://127.0.0.1:{port}"
    with (
        pb.Client(api_key=API_KEY, host=host, retry=INSTANT) as client,
        pytest.raises(pb.PineconeConnectionError) as caught,
    ):
        client.create_backup("docs-example")
    assert MAYBE_PROCESSED not in str(caught.value)
    assert getattr(caught.value, "attempts", 3) == 3


def test_get_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.describe_backup(backup.backup_id).backup_id == backup.backup_id
    assert len(emulator.requests) == 2


def test_delete_retried_after_5xx_then_404_returns(retrying: pb.Client, emulator: Emulator) -> None:
    """Attempt 1 gets a 503 (it may have deleted the backup), attempt 2 a 404: deleted."""
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_retried_after_timeout_then_404_returns(
    retrying: pb.Client, emulator: Emulator
) -> None:
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.hang_next()
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_retried_after_connection_lost_then_404_returns(
    retrying: pb.Client, emulator: Emulator
) -> None:
    """Attempt 1 loses its connection after sending (it may have deleted the backup), attempt 2
    gets a 404: deleted. (reset_next cannot cut a 202's empty body, so the backup is deleted by
    another client first.)"""
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.drop_next()  # attempt 1: read, then the connection closes unanswered
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_first_404_still_raises(retrying: pb.Client, emulator: Emulator) -> None:
    with pytest.raises(pb.NotFoundError):
        retrying.delete_backup("no-such-backup")
    assert len(emulator.requests) == 1


def test_delete_retried_after_5xx_succeeds(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.delete_backup(backup.backup_id) is None
    assert emulator.get_backup(backup.backup_id) is None
    assert len(emulator.requests) == 2


# -- waiting --------------------------------------------------------------------------------


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
