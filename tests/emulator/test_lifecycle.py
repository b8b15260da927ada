"""The emulator's backup lifecycle (create, list, describe, delete, restore, restore jobs), over
HTTP with ``http.client``, every exchange checked against the spec; time passes by
``Emulator.advance``, never by sleeping."""

from __future__ import annotations

import http.client
import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from pinecone_backups.testing import Emulator
from tests.helpers import API_HEADERS, JSON_HEADERS, RFC3339_MICROS, assert_error, call

SEEDED_BACKUPS = 30  # docs-example 3, my-index 2, big-index 25
READY_SEEDED_BACKUP = "bkp_123abc"  # my-index's older backup, Ready
PENDING_SEEDED_BACKUP = "9947520e-d5a1-4418-a78d-9f464c9969da"  # docs-example's newest
QUOTA_MESSAGE = "Backup quota exceeded. Increase your quota or upgrade to create more backups."


@pytest.fixture
def emu(emulators: Callable[..., Emulator]) -> Emulator:
    """A seeded emulator serving the whole lifecycle, checked against the spec; backups and
    restores take a minute of emulator time (no test relies on real time being short)."""
    return emulators(lifecycle=True, backup_seconds=60, restore_seconds=60)


def create_backup(emu: Emulator, index_name: str = "docs-example", **fields: str) -> Any:
    reply = call(emu, f"/indexes/{quote(index_name, safe='')}/backups", "POST", fields)
    assert reply.status == 201, reply.body
    return reply.json()


def restore(emu: Emulator, backup_id: str, name: str, **fields: object) -> Any:
    reply = call(emu, f"/backups/{backup_id}/create-index", "POST", {"name": name, **fields})
    assert reply.status == 202, reply.body
    return reply.json()


def describe(emu: Emulator, path: str) -> Any:
    reply = call(emu, path)
    assert reply.status == 200, reply.body
    return reply.json()


def walk(emu: Emulator, path: str, limit: int) -> Iterator[list[Any]]:
    """The ``data`` of every page of listing ``path``, sending ``limit`` on the first request only
    (later pages by token, percent-encoded)."""
    target = f"{path}?limit={limit}"
    while True:
        document = describe(emu, target)
        yield document["data"]
        token = (document.get("pagination") or {}).get("next")
        if not token:
            return
        target = f"{path}?paginationToken={quote(token, safe='')}"


def when(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def test_lifecycle_is_on_by_default_and_can_be_turned_off(
    emulators: Callable[..., Emulator],
) -> None:
    assert emulators().lifecycle is True
    emu = emulators(lifecycle=False)
    assert emu.lifecycle is False
    assert_error(call(emu, "/backups"), 404, "NOT_FOUND")
    reply = call(emu, "/indexes/docs-example/backups", "POST", {})
    assert_error(reply, 405, "UNKNOWN")
    assert reply.headers["Allow"] == "GET"
    emu.lifecycle = True
    backup = create_backup(emu)
    assert (backup["source_index_name"], backup["status"]) == ("docs-example", "Initializing")
    assert describe(emu, "/backups?limit=1")["data"][0]["backup_id"] == backup["backup_id"]


def test_strict_fixture_with_lifecycle_turned_on(emulator: Emulator) -> None:
    # The client fixtures' emulator checks every request, refused ones too, against the spec.
    emulator.lifecycle = True
    headers = {**JSON_HEADERS, "Api-Key": emulator.api_key}
    reply = call(emulator, "/indexes/my-index/backups", "POST", {"name": "x"}, headers=headers)
    assert reply.status == 201
    assert emulator.index_names() == ["docs-example", "my-index", "empty-index", "big-index"]


def test_create_backup_copies_the_index_and_starts_initializing(emu: Emulator) -> None:
    before = datetime.now().astimezone()
    backup = create_backup(emu, name="nightly", description="before the migration")
    assert emu.exchanges[-1].status == 201
    assert list(backup) == [
        "backup_id",
        "source_index_name",
        "source_index_id",
        "name",
        "description",
        "status",
        "cloud",
        "region",
        "dimension",
        "record_count",
        "namespace_count",
        "size_bytes",
        "created_at",
    ]
    assert backup["source_index_id"] == "8433941a-dae7-43b5-ac2c-d3dab4a56b2b"
    assert (backup["name"], backup["description"]) == ("nightly", "before the migration")
    assert backup["status"] == "Initializing"
    copied = ("cloud", "region", "dimension", "record_count", "namespace_count", "size_bytes")
    assert [backup[key] for key in copied] == ["aws", "us-east-1", 1024, 98, 3, 1069169]
    assert RFC3339_MICROS.fullmatch(backup["created_at"])
    assert before <= when(backup["created_at"]) <= datetime.now().astimezone()
    assert describe(emu, f"/backups/{backup['backup_id']}") == backup
    assert emu.get_backup(backup["backup_id"]) == backup
    assert describe(emu, "/indexes/docs-example/backups")["data"][0] == backup
    assert len(emu.backups()) == SEEDED_BACKUPS + 1


def test_create_backup_from_an_empty_object_has_no_name(emu: Emulator) -> None:
    backup = create_backup(emu, "empty-index")
    assert "name" not in backup and "description" not in backup
    assert (backup["cloud"], backup["region"], backup["status"]) == (
        "aws",
        "us-east-1",
        "Initializing",
    )
    assert "dimension" not in backup  # empty-index has no backup to describe it


def test_create_backup_copies_what_add_index_describes(emu: Emulator) -> None:
    emu.add_index(
        "described", index_id="idx_9", region="eu-west-1", dimension=8, metric="dotproduct"
    )
    backup = create_backup(emu, "described")
    assert backup["source_index_id"] == "idx_9"
    assert (backup["region"], backup["dimension"], backup["metric"]) == (
        "eu-west-1",
        8,
        "dotproduct",
    )
    with pytest.raises(ValueError, match="unknown index fields"):
        emu.add_index("described", dimensions=8)


def test_create_backup_of_an_unknown_index_is_404(emu: Emulator) -> None:
    reply = call(emu, "/indexes/no-such-index/backups", "POST", {})
    assert_error(reply, 404, "NOT_FOUND", "Index no-such-index not found.")
    assert len(emu.backups()) == SEEDED_BACKUPS


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b"null", b'"name"', b"{", b'{"name": 5}', b'{"description": null}', b"\xff"],
)
def test_create_backup_with_a_bad_body_is_400(emu: Emulator, body: bytes) -> None:
    reply = call(emu, "/indexes/docs-example/backups", "POST", body=body)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert len(emu.backups("docs-example")) == 3


def test_create_backup_needs_a_json_content_type(emu: Emulator) -> None:
    reply = call(emu, "/indexes/docs-example/backups", "POST", body=b"{}", headers=API_HEADERS)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "Content-Type" in reply.json()["error"]["message"]


def test_backup_becomes_ready_when_emulator_time_passes(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(lifecycle=True, backup_seconds=600)
    backup_id = create_backup(emu)["backup_id"]
    emu.advance(300)
    assert describe(emu, f"/backups/{backup_id}")["status"] == "Initializing"
    emu.advance(300)
    assert describe(emu, f"/backups/{backup_id}")["status"] == "Ready"
    assert describe(emu, "/indexes/docs-example/backups")["data"][0]["status"] == "Ready"
    assert emu.backups("docs-example")[0]["status"] == "Ready"


def test_backup_seconds_default_to_one_and_zero_is_ready_at_once(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(lifecycle=True)
    assert (emu.backup_seconds, emu.restore_seconds) == (1.0, 1.0)
    first = create_backup(emu)
    emu.advance(1)
    assert describe(emu, f"/backups/{first['backup_id']}")["status"] == "Ready"
    emu.backup_seconds = 0
    assert create_backup(emu)["status"] == "Ready"


def test_advance_moves_created_at(emu: Emulator) -> None:
    first = when(create_backup(emu)["created_at"])
    emu.advance(86_400)
    second = when(create_backup(emu)["created_at"])
    assert timedelta(days=1) <= second - first < timedelta(days=1, minutes=1)
    with pytest.raises(ValueError, match="seconds"):
        emu.advance(-1)


def test_fail_next_backups(emu: Emulator) -> None:
    emu.fail_next_backups(status="InitializationFailed")
    emu.fail_next_backups()
    ids = [create_backup(emu)["backup_id"] for _ in range(3)]
    emu.advance(60)
    statuses = [describe(emu, f"/backups/{backup_id}")["status"] for backup_id in ids]
    assert statuses == ["InitializationFailed", "Failed", "Ready"]
    reply = call(emu, f"/backups/{ids[0]}/create-index", "POST", {"name": "from-failed"})
    assert_error(reply, 412, "FAILED_PRECONDITION", f"Backup {ids[0]} is not completed.")


def test_backup_quota(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(lifecycle=True, backup_quota=SEEDED_BACKUPS + 1)
    create_backup(emu)
    reply = call(emu, "/indexes/my-index/backups", "POST", {"name": "one-too-many"})
    assert_error(reply, 403, "FORBIDDEN", QUOTA_MESSAGE)
    assert len(emu.backups()) == SEEDED_BACKUPS + 1
    emu.backup_quota = None
    assert create_backup(emu, "my-index")["source_index_name"] == "my-index"


@pytest.mark.parametrize(
    ("option", "value"),
    [("backup_seconds", -1), ("restore_seconds", float("nan")), ("backup_quota", -1)],
)
def test_lifecycle_options_are_checked(option: str, value: float) -> None:
    options: dict[str, Any] = {option: value}
    with pytest.raises(ValueError, match=option):
        Emulator(**options)


def test_describe_backup(emu: Emulator) -> None:
    backup = describe(emu, f"/backups/{READY_SEEDED_BACKUP}")
    assert backup == emu.backups("my-index")[1]
    assert (backup["name"], backup["source_index_name"]) == ("backup_2024_03_15", "my-index")
    assert_error(call(emu, "/backups/nope"), 404, "NOT_FOUND", "Backup nope not found.")
    assert emu.get_backup("nope") is None


def test_project_listing_walks_every_index_newest_first(emu: Emulator) -> None:
    created = create_backup(emu, "empty-index")
    pages = list(walk(emu, "/backups", limit=7))
    assert [len(page) for page in pages] == [7, 7, 7, 7, 3]
    listed = [backup for page in pages for backup in page]
    assert listed == emu.backups()
    assert listed[0] == created
    assert {b["source_index_name"] for b in listed} == {
        "docs-example",
        "my-index",
        "big-index",
        "empty-index",
    }
    stamps = [when(b["created_at"]) for b in listed]
    assert stamps == sorted(stamps, reverse=True)
    assert [b["backup_id"] for b in listed[-2:]] == ["bkp_789xyz", READY_SEEDED_BACKUP]


def test_project_listing_limits_and_tokens(emu: Emulator) -> None:
    assert len(describe(emu, "/backups")["data"]) == 10
    assert len(describe(emu, "/backups?limit=100")["data"]) == SEEDED_BACKUPS
    for query in ("limit=0", "limit=101", "limit=x", "paginationToken=nope"):
        assert_error(call(emu, f"/backups?{query}"), 400, "INVALID_ARGUMENT")
    token = quote(describe(emu, "/backups?limit=3")["pagination"]["next"], safe="")
    second = describe(emu, f"/backups?limit=50&paginationToken={token}")
    assert second["data"] == emu.backups()[3:6]  # the page size comes from the token
    index_token = describe(emu, "/indexes/big-index/backups?limit=3")["pagination"]["next"]
    reply = call(emu, f"/backups?paginationToken={quote(index_token, safe='')}")
    assert_error(reply, 400, "INVALID_ARGUMENT")
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={token}")
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_delete_backup(emu: Emulator) -> None:
    backup_id = create_backup(emu)["backup_id"]
    reply = call(emu, f"/backups/{backup_id}", "DELETE")
    assert (reply.status, reply.body) == (202, b"")
    assert "Content-Type" not in reply.headers
    assert_error(call(emu, f"/backups/{backup_id}"), 404, "NOT_FOUND")
    assert emu.get_backup(backup_id) is None
    assert backup_id not in {b["backup_id"] for b in emu.backups()}
    assert len(describe(emu, "/indexes/docs-example/backups")["data"]) == 3
    reply = call(emu, f"/backups/{backup_id}", "DELETE")
    assert_error(reply, 404, "NOT_FOUND", f"Backup {backup_id} not found.")


def test_restore_creates_the_index_and_a_pending_job_that_completes(emu: Emulator) -> None:
    answer = restore(
        emu,
        READY_SEEDED_BACKUP,
        "restored",
        tags={"env": "prod"},
        deletion_protection="enabled",
    )
    assert set(answer) == {"restore_job_id", "index_id"}
    job_path = f"/restore-jobs/{answer['restore_job_id']}"
    job = describe(emu, job_path)
    assert job == {
        "restore_job_id": answer["restore_job_id"],
        "backup_id": READY_SEEDED_BACKUP,
        "target_index_name": "restored",
        "target_index_id": answer["index_id"],
        "status": "Pending",
        "created_at": job["created_at"],
        "completed_at": None,
        "percent_complete": None,
    }
    assert emu.restore_jobs() == [job]
    assert "restored" in emu.index_names()
    assert describe(emu, "/indexes/restored/backups") == {"data": [], "pagination": None}
    emu.advance(59)
    assert describe(emu, job_path)["status"] == "Pending"
    emu.advance(1)
    done = describe(emu, job_path)
    assert (done["status"], done["percent_complete"]) == ("Completed", 100.0)
    assert when(done["completed_at"]) - when(done["created_at"]) == timedelta(seconds=60)
    copy = create_backup(emu, "restored")
    assert copy["source_index_id"] == answer["index_id"]
    assert (copy["dimension"], copy["metric"], copy["record_count"]) == (1536, "cosine", 120000)


def test_restore_of_an_unknown_backup_is_404(emu: Emulator) -> None:
    reply = call(emu, "/backups/nope/create-index", "POST", {"name": "x"})
    assert_error(reply, 404, "NOT_FOUND", "Backup nope not found.")
    assert "x" not in emu.index_names()


def test_restore_into_an_existing_index_is_409(emu: Emulator) -> None:
    reply = call(emu, f"/backups/{READY_SEEDED_BACKUP}/create-index", "POST", {"name": "my-index"})
    assert_error(reply, 409, "ALREADY_EXISTS")
    assert emu.restore_jobs() == []


def test_restore_of_a_backup_not_ready_is_412(emu: Emulator) -> None:
    for backup_id in (PENDING_SEEDED_BACKUP, create_backup(emu)["backup_id"]):
        reply = call(emu, f"/backups/{backup_id}/create-index", "POST", {"name": "early"})
        assert_error(reply, 412, "FAILED_PRECONDITION", f"Backup {backup_id} is not completed.")
    assert "early" not in emu.index_names()


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"{}",
        b'{"tags": {}}',
        b"not json",
        {"name": ""},
        {"name": "-abc"},
        {"name": "abc-"},
        {"name": "Upper"},
        {"name": "under_score"},
        {"name": "a" * 46},
        {"name": 5},
        {"name": None},
        {"name": "ok", "tags": "env=prod"},
        {"name": "ok", "tags": {"bad key": "v"}},
        {"name": "ok", "tags": {"": "v"}},
        {"name": "ok", "tags": {"k" * 81: "v"}},
        {"name": "ok", "tags": {"k": "v" * 121}},
        {"name": "ok", "tags": {"k": "a/b"}},
        {"name": "ok", "tags": {"k": 1}},
        {"name": "ok", "deletion_protection": "on"},
        {"name": "ok", "deletion_protection": True},
    ],
)
def test_restore_with_a_bad_body_is_400(emu: Emulator, body: bytes | dict[str, Any]) -> None:
    target = f"/backups/{READY_SEEDED_BACKUP}/create-index"
    if isinstance(body, bytes):
        reply = call(emu, target, "POST", body=body)
    else:
        reply = call(emu, target, "POST", body)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "ok" not in emu.index_names() and emu.restore_jobs() == []


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("a", {}),
        ("a" * 45, {"tags": {}}),
        ("0-9", {"tags": {"Key_-1": "", "k" * 80: "v" * 120}}),
        ("x1", {"tags": {"k": "a;@_-.+ Z"}, "deletion_protection": "disabled"}),
    ],
)
def test_restore_accepts_the_edges_of_the_rules(
    emu: Emulator, name: str, fields: dict[str, Any]
) -> None:
    restore(emu, READY_SEEDED_BACKUP, name, **fields)
    assert emu.index_names()[-1] == name


def test_fail_next_restores(emu: Emulator) -> None:
    emu.fail_next_restores()
    job_id = restore(emu, READY_SEEDED_BACKUP, "doomed")["restore_job_id"]
    emu.advance(60)
    job = describe(emu, f"/restore-jobs/{job_id}")
    assert (job["status"], job["percent_complete"]) == ("Failed", None)
    assert when(job["completed_at"]) - when(job["created_at"]) == timedelta(seconds=60)


def test_delete_is_412_while_a_restore_is_pending_then_202(emu: Emulator) -> None:
    job_id = restore(emu, READY_SEEDED_BACKUP, "restoring")["restore_job_id"]
    reply = call(emu, f"/backups/{READY_SEEDED_BACKUP}", "DELETE")
    message = (
        f"Unable to delete backup. There are pending restore jobs for this backup: ['{job_id}']"
    )
    assert_error(reply, 412, "FAILED_PRECONDITION", message)
    assert emu.get_backup(READY_SEEDED_BACKUP) is not None
    emu.advance(60)
    assert call(emu, f"/backups/{READY_SEEDED_BACKUP}", "DELETE").status == 202
    assert emu.get_backup(READY_SEEDED_BACKUP) is None
    assert describe(emu, f"/restore-jobs/{job_id}")["status"] == "Completed"


def test_add_restore_job(emu: Emulator) -> None:
    done = emu.add_restore_job(READY_SEEDED_BACKUP, "old-restore")
    assert (done["status"], done["percent_complete"]) == ("Completed", 100.0)
    assert done["completed_at"] == done["created_at"]
    assert done["target_index_id"] == emu.add_index("old-restore")
    stuck = emu.add_restore_job(
        READY_SEEDED_BACKUP, "stuck", status="Pending", created_at="2025-01-01T00:00:00Z"
    )
    assert (stuck["completed_at"], stuck["percent_complete"]) == (None, None)
    assert emu.restore_jobs() == [done, stuck]
    assert describe(emu, f"/restore-jobs/{stuck['restore_job_id']}") == stuck
    emu.advance(10**6)
    assert_error(call(emu, f"/backups/{READY_SEEDED_BACKUP}", "DELETE"), 412, "FAILED_PRECONDITION")


def test_describe_an_unknown_restore_job_is_404(emu: Emulator) -> None:
    assert_error(call(emu, "/restore-jobs/nope"), 404, "NOT_FOUND", "Restore job nope not found.")


def _add_jobs(emu: Emulator, count: int) -> list[str]:
    """``count`` completed restore jobs, a day apart; their ids newest first."""
    for day in range(count):
        created = f"2025-01-{day + 1:02d}T00:00:00.000000Z"
        emu.add_restore_job(READY_SEEDED_BACKUP, f"r{day}", created_at=created)
    return [job["restore_job_id"] for job in emu.restore_jobs()]


def test_restore_jobs_are_listed_newest_first_in_pages(emu: Emulator) -> None:
    ids = _add_jobs(emu, 7)
    assert describe(emu, "/restore-jobs")["data"][0]["target_index_name"] == "r6"
    pages = [[job["restore_job_id"] for job in page] for page in walk(emu, "/restore-jobs", 3)]
    assert pages == [ids[0:3], ids[3:6], ids[6:7]]
    assert_error(call(emu, "/restore-jobs?limit=101"), 400, "INVALID_ARGUMENT")


def test_repeat_restore_jobs_repeats_the_last_job_on_the_next_page(emu: Emulator) -> None:
    ids = _add_jobs(emu, 7)
    emu.repeat_restore_jobs = True
    pages = [[job["restore_job_id"] for job in page] for page in walk(emu, "/restore-jobs", 3)]
    assert pages == [ids[0:3], ids[2:5], ids[4:7]]
    for previous, page in itertools.pairwise(pages):
        assert page[0] == previous[-1]
    assert list(dict.fromkeys(i for page in pages for i in page)) == ids
    singles = [[job["restore_job_id"] for job in page] for page in walk(emu, "/restore-jobs", 1)]
    assert singles == [[i] for i in ids]  # a page of one has no room to repeat


ROUTES = [
    ("POST", "/indexes/docs-example/backups"),
    ("GET", "/backups"),
    ("GET", f"/backups/{READY_SEEDED_BACKUP}"),
    ("DELETE", f"/backups/{READY_SEEDED_BACKUP}"),
    ("POST", f"/backups/{READY_SEEDED_BACKUP}/create-index"),
    ("GET", "/restore-jobs"),
    ("GET", "/restore-jobs/nope"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_checks_the_key_and_the_version(emu: Emulator, method: str, path: str) -> None:
    body = {"name": "nope"}
    wrong_key = {**JSON_HEADERS, "Api-Key": "wrong"}
    assert_error(call(emu, path, method, body, headers=wrong_key), 401, "UNAUTHENTICATED")
    no_version = {"Api-Key": "test-key", "Content-Type": "application/json"}
    reply = call(emu, path, method, body, headers=no_version)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "X-Pinecone-Api-Version" in reply.json()["error"]["message"]
    assert emu.get_backup(READY_SEEDED_BACKUP) is not None and "nope" not in emu.index_names()


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_faults_apply_to_every_route(emu: Emulator, method: str, path: str) -> None:
    emu.fail_next(503)
    assert_error(call(emu, path, method, {"name": "nope"}), 503, "UNAVAILABLE")
    emu.drop_next()
    with pytest.raises(http.client.RemoteDisconnected):
        call(emu, path, method, {"name": "nope"})
    assert len(emu.backups()) == SEEDED_BACKUPS and emu.restore_jobs() == []
    assert emu.fault_counts == {"fail": 1, "drop": 1}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/backups", "GET"),
        ("POST", f"/backups/{READY_SEEDED_BACKUP}", "GET, DELETE"),
        ("GET", f"/backups/{READY_SEEDED_BACKUP}/create-index", "POST"),
        ("DELETE", "/restore-jobs/x", "GET"),
        ("PATCH", "/indexes/my-index/backups", "GET, POST"),
    ],
)
def test_other_methods_are_405(emu: Emulator, method: str, path: str, allow: str) -> None:
    reply = call(emu, path, method, {})
    assert_error(reply, 405, "UNKNOWN")
    assert reply.headers["Allow"] == allow


@pytest.mark.parametrize(
    "path", ["/backups/", "/backups/a/b", "/backups//create-index", "/restore-jobs/", "/restores"]
)
def test_other_paths_are_404(emu: Emulator, path: str) -> None:
    assert_error(call(emu, path), 404, "NOT_FOUND")


def test_backup_ids_are_one_percent_decoded_path_segment(emu: Emulator) -> None:
    backup = emu.add_backup("odd", backup_id="a/b c")
    assert describe(emu, "/backups/a%2Fb%20c") == backup
    assert_error(call(emu, "/backups/a/b%20c"), 404, "NOT_FOUND")
