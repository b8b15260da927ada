"""The backup lifecycle on ``Client``: create, describe, delete, project backups, restore and
restore jobs against the emulator (every exchange spec-checked by the ``emulator`` fixture), and
the API errors each can meet (404, 409, 412, 403)."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, methods, ready_backup


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
