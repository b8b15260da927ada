"""The client under each API version: one test per difference between the versions' specs (the
"2025-10 -> 2026-04" and "2026-04 -> 2026-07" lists of ``../shared/spec/README.md``) and per
backend fact that concerns a version, each named by the behaviour it checks.

Against the emulator (``emulator`` fixture: every request the client sends, and every answer,
checked against the spec of its version, requests strictly, see ``tests/spec_validation.py``)
where it serves the difference; against a raw server (``RawServer``) where the test is about
the client alone (an answer the emulator does not give in that version, such as a 201 under
2026-07). Backup schedules (API 2026-07) are in ``test_schedules.py``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, Emulator
from tests.helpers import (
    API_KEY,
    INSTANT,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    json_reply,
    minimal,
    refused,
    restore_job_json,
)

VERSIONS = list(pb.API_VERSIONS)
BEFORE_2026_04 = ["2025-10"]
SINCE_2026_04 = ["2026-04", "2026-07"]
BEFORE_2026_07 = ["2025-10", "2026-04"]
READY = "bkp_123abc"
"""A Ready backup of the seeded emulator (my-index's older one)."""
NEW_INDEX = {"restore_job_id": "rj-1", "index_id": "idx-2"}

Make = Callable[..., pb.Client]


@pytest.fixture
def at(emulator: Emulator) -> Iterator[Make]:
    """``at(version, **options)``: a client of the emulator speaking ``version`` (no retries)."""
    clients: list[pb.Client] = []

    def make(version: str, **options: Any) -> pb.Client:
        if "retry" not in options:
            options.setdefault("max_retries", 0)
        client = pb.Client(api_key=API_KEY, host=emulator.url, api_version=version, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def raw(reply: Callable[[RawRequest], RawReply], version: str) -> tuple[RawServer, pb.Client]:
    """A raw server answering ``reply`` and a client of it speaking ``version``."""
    server = RawServer(reply)
    client = pb.Client(api_key=API_KEY, host=server.url, api_version=version, max_retries=0)
    return server, client


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


# == 2025-10 -> 2026-04 ============================================================================

# -- list_index_backups: include_deleted -----------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_include_deleted_is_refused_locally_under_2025_10(
    at: Make, emulator: Emulator, value: bool
) -> None:
    client = at("2025-10")
    for call in (
        lambda: client.list_index_backups("my-index", include_deleted=value),
        lambda: client.iter_index_backups("my-index", include_deleted=value),
    ):
        err = refused(emulator, call, "include_deleted", pb.ValidationError)
        assert "2026-04" in str(err) and "2025-10" in str(err)


@pytest.mark.parametrize("version", SINCE_2026_04)
def test_include_deleted_lists_the_backups_of_a_deleted_index(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.delete_index("my-index", deleted_at="2026-01-02T03:04:05Z")
    client = at(version)
    with pytest.raises(pb.NotFoundError):  # without it: a name that is no active index is a 404
        client.list_index_backups("my-index")
    with pytest.raises(pb.NotFoundError):
        client.list_index_backups("my-index", include_deleted=False)
    page = client.list_index_backups("my-index", include_deleted=True)
    assert [b.backup_id for b in page] == ["bkp_789xyz", READY]
    walked = client.iter_index_backups("my-index", include_deleted=True, page_size=1)
    assert [b.backup_id for b in walked] == ["bkp_789xyz", READY]
    sent = [r for r in emulator.requests if r.query.get("include_deleted") == ["true"]]
    assert len(sent) == 3  # the list, and each page of the walk: every page keeps the filter


@pytest.mark.parametrize("version", SINCE_2026_04)
def test_include_deleted_is_404_only_for_a_name_no_index_ever_had(at: Make, version: str) -> None:
    client = at(version)
    page = client.list_index_backups("retired-index", include_deleted=True)  # deleted, no backups
    assert len(page) == 0 and page.next_token is None
    with pytest.raises(pb.NotFoundError):
        client.list_index_backups("never-an-index", include_deleted=True)


# -- BackupModel: source_index_deleted_at ----------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_source_index_deleted_at_is_a_datetime_from_2026_04_and_none_before(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.delete_index("my-index", deleted_at="2026-01-02T03:04:05Z")
    backup = at(version).describe_backup(READY)
    if version in SINCE_2026_04:
        assert backup.source_index_deleted_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        assert backup.to_dict()["source_index_deleted_at"].startswith("2026-01-02T03:04:05")
    else:
        assert backup.source_index_deleted_at is None
        assert "source_index_deleted_at" not in backup.to_dict()
    live = at(version).describe_backup(DOCS_EXAMPLE_BACKUP["backup_id"])
    assert live.source_index_deleted_at is None  # absent for an active index, in every version


# -- CreateIndexFromBackupRequest: read_capacity ---------------------------------------------------


def test_read_capacity_is_refused_locally_under_2025_10(at: Make, emulator: Emulator) -> None:
    client = at("2025-10")
    err = refused(
        emulator,
        lambda: client.create_index_from_backup("b", "new", read_capacity={"mode": "OnDemand"}),
        "read_capacity",
        pb.ValidationError,
    )
    assert "2026-04" in str(err) and "2025-10" in str(err)


DEDICATED = {
    "mode": "Dedicated",
    "dedicated": {"node_type": "t1", "scaling": "Manual", "manual": {"replicas": 1, "shards": 1}},
}


@pytest.mark.parametrize("version", SINCE_2026_04)
@pytest.mark.parametrize(
    "capacity", [{"mode": "OnDemand"}, DEDICATED], ids=["OnDemand", "Dedicated"]
)
def test_read_capacity_is_sent_from_2026_04(
    at: Make, emulator: Emulator, version: str, capacity: dict[str, Any]
) -> None:
    job = at(version).create_index_from_backup(READY, f"new-{version}", read_capacity=capacity)
    assert job.restore_job_id
    assert json.loads(emulator.requests[-1].body)["read_capacity"] == capacity


@pytest.mark.parametrize(
    "capacity",
    [{"mode": "Sometimes"}, {"mode": "Dedicated"}, {"mode": "Dedicated", "dedicated": 5}],
    ids=["unknown-mode", "dedicated-missing", "dedicated-not-an-object"],
)
@pytest.mark.parametrize("version", SINCE_2026_04)
def test_read_capacity_of_no_spec_shape_is_refused_locally(
    at: Make, emulator: Emulator, version: str, capacity: dict[str, Any]
) -> None:
    client = at(version)
    call = lambda: client.create_index_from_backup(READY, "new", read_capacity=capacity)  # noqa: E731
    refused(emulator, call, "read_capacity", pb.ValidationError)


def test_a_2026_07_dedicated_read_capacity_needs_node_type_scaling_and_manual(
    at: Make, emulator: Emulator
) -> None:
    # 2026-07's ReadCapacityDedicatedConfig requires all three (and manual its replicas and
    # shards); 2026-04's requires none.
    partial = {"mode": "Dedicated", "dedicated": {"node_type": "t1", "scaling": "Manual"}}
    client = at("2026-07")
    call = lambda: client.create_index_from_backup(READY, "new", read_capacity=partial)  # noqa: E731
    refused(emulator, call, "read_capacity", pb.ValidationError)
    assert at("2026-04").create_index_from_backup(READY, "new", read_capacity=partial)


# -- Everything else unchanged: limits 1..100, default 10 ------------------------------------------


@pytest.mark.parametrize("version", BEFORE_2026_07)
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_index_backups("my-index", limit=101),
        lambda c: c.list_project_backups(limit=500),
        lambda c: c.list_restore_jobs(limit=101),
        lambda c: c.iter_project_backups(page_size=101),
    ],
    ids=["list_index_backups", "list_project_backups", "list_restore_jobs", "iter_page_size"],
)
def test_a_limit_over_100_is_refused_locally_before_2026_07(
    at: Make, emulator: Emulator, version: str, call: Callable[[pb.Client], object]
) -> None:
    client = at(version)
    before = len(emulator.requests)
    with pytest.raises(pb.ValidationError) as caught:
        call(client)
    assert caught.value.param in ("limit", "page_size")
    assert "100" in str(caught.value)
    assert len(emulator.requests) == before


@pytest.mark.parametrize("version", VERSIONS)
def test_a_limit_of_0_is_refused_locally_in_every_version(
    at: Make, emulator: Emulator, version: str
) -> None:
    client = at(version)
    refused(emulator, lambda: client.list_project_backups(limit=0), "limit", pb.ValidationError)


# == 2026-04 -> 2026-07 ============================================================================

# -- 401 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_wrong_key_is_unauthenticated_in_every_version(emulator: Emulator, version: str) -> None:
    with (
        pb.Client(api_key="wrong", host=emulator.url, api_version=version, max_retries=0) as client,
        pytest.raises(pb.UnauthenticatedError) as caught,
    ):
        client.list_project_backups()
    err = caught.value
    assert err.status == 401
    if version == "2026-07":  # text/plain: the text is the message, there is no code
        code: str | None = err.code
        assert code is None
        assert (err.message, err.body) == ("Invalid API key", "Invalid API key")
        assert str(err).startswith("[401] Invalid API key")
    else:
        assert (err.code, err.message) == ("UNAUTHENTICATED", "Invalid API key.")


@pytest.mark.parametrize(
    "text", ["Invalid API key", "Unauthorized", "API key is missing or invalid\n"]
)
def test_a_2026_07_plain_text_401_keeps_its_text_as_the_message(text: str) -> None:
    reply = RawReply(401, text, content_type="text/plain; charset=utf-8")
    server, client = raw(lambda _: reply, "2026-07")
    with server, client, pytest.raises(pb.UnauthenticatedError) as caught:
        client.describe_backup_schedule("s-1")
    assert caught.value.message == text.strip()
    assert caught.value.code is None
    assert caught.value.body == text


# -- 403 PERMISSION_DENIED and the quota's FORBIDDEN -----------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_plan_without_backups_is_permission_denied(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.plan_includes_backups = False
    with pytest.raises(pb.PermissionDeniedError) as caught:
        at(version).create_backup("my-index", name="nightly")
    assert (caught.value.status, caught.value.code) == (403, "PERMISSION_DENIED")
    assert isinstance(caught.value, pb.ClientError)


OPERATIONS_2026_07: dict[str, Callable[[pb.Client], object]] = {
    "list_index_backups": lambda c: c.list_index_backups("my-index"),
    "create_backup": lambda c: c.create_backup("my-index"),
    "list_project_backups": lambda c: c.list_project_backups(),
    "describe_backup": lambda c: c.describe_backup(READY),
    "delete_backup": lambda c: c.delete_backup(READY),
    "create_index_from_backup": lambda c: c.create_index_from_backup(READY, "new"),
    "list_restore_jobs": lambda c: c.list_restore_jobs(),
    "describe_restore_job": lambda c: c.describe_restore_job("rj-1"),
    "create_backup_schedule": lambda c: c.create_backup_schedule(
        "my-index", name="s", frequency="daily", expire_after_days=1
    ),
    "list_backup_schedules": lambda c: c.list_backup_schedules("my-index"),
    "describe_backup_schedule": lambda c: c.describe_backup_schedule("s-1"),
    "update_backup_schedule": lambda c: c.update_backup_schedule("s-1", enabled=False),
    "delete_backup_schedule": lambda c: c.delete_backup_schedule("s-1"),
    "list_backup_schedule_history": lambda c: c.list_backup_schedule_history("s-1"),
}
"""A call of every operation of 2026-07 (each of its responses declares a 403)."""


@pytest.mark.parametrize("operation", list(OPERATIONS_2026_07))
def test_a_403_permission_denied_is_permission_denied_on_every_2026_07_operation(
    at: Make, emulator: Emulator, operation: str
) -> None:
    emulator.fail_next(403, code="PERMISSION_DENIED", message="Not on your plan.")
    with pytest.raises(pb.PermissionDeniedError) as caught:
        OPERATIONS_2026_07[operation](at("2026-07"))
    assert (caught.value.status, caught.value.message) == (403, "Not on your plan.")


@pytest.mark.parametrize("version", VERSIONS)
def test_the_backup_quota_is_forbidden_in_every_version(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.backup_quota = len(emulator.backups())
    with pytest.raises(pb.ForbiddenError) as caught:
        at(version).create_backup("my-index")
    assert (caught.value.status, caught.value.code) == (403, "FORBIDDEN")
    assert not isinstance(caught.value, pb.PermissionDeniedError)


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_a_403_quota_exceeded_is_classified_by_its_code_before_2026_07(
    at: Make, emulator: Emulator, version: str
) -> None:
    # 2026-07 has no QUOTA_EXCEEDED; earlier versions may send it with a 403: the code decides.
    emulator.fail_next(403, code="QUOTA_EXCEEDED", message="Increase your quota.")
    with pytest.raises(pb.QuotaExceededError):
        at(version).create_backup("my-index")


# -- 400 INVALID_ARGUMENT on a malformed paginationToken -------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c, t: c.list_index_backups("big-index", pagination_token=t),
        lambda c, t: c.list_project_backups(pagination_token=t),
        lambda c, t: c.list_restore_jobs(pagination_token=t),
        lambda c, t: list(c.iter_project_backups(pagination_token=t)),
        lambda c, t: c.list_backup_schedules("big-index", pagination_token=t),
    ],
    ids=["list_index_backups", "list_project_backups", "list_restore_jobs", "iter", "schedules"],
)
def test_a_malformed_pagination_token_is_invalid_argument_under_2026_07(
    at: Make, call: Callable[[pb.Client, str], object]
) -> None:
    with pytest.raises(pb.InvalidArgumentError) as caught:
        call(at("2026-07"), "not-a-token")
    assert (caught.value.status, caught.value.code) == (400, "INVALID_ARGUMENT")


# -- limit: default 100, no maximum ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c, _: c.list_index_backups("big-index", limit=101),
        lambda c, _: c.list_project_backups(limit=500),
        lambda c, _: c.list_restore_jobs(limit=1000),
        lambda c, _: c.list_backup_schedules("big-index", limit=101),
        lambda c, e: c.list_backup_schedule_history(
            e.backup_schedules("big-index")[0]["schedule_id"], limit=250
        ),
    ],
    ids=["index", "project", "restore-jobs", "schedules", "history"],
)
def test_a_limit_over_100_is_sent_under_2026_07(
    at: Make, emulator: Emulator, call: Callable[[pb.Client, Emulator], object]
) -> None:
    call(at("2026-07"), emulator)
    assert int(emulator.requests[-1].query["limit"][0]) > 100


@pytest.mark.parametrize(
    ("version", "page_size"), [("2025-10", 10), ("2026-04", 10), ("2026-07", 25)]
)
def test_a_list_without_limit_gets_the_version_s_default_page(
    at: Make, emulator: Emulator, version: str, page_size: int
) -> None:
    page = at(version).list_index_backups("big-index")  # 25 backups; default 10, or 100
    assert "limit" not in emulator.requests[-1].query
    assert len(page) == page_size
    assert (page.next_token is None) == (page_size == 25)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_iterator_sends_its_page_size_first_then_only_the_token(
    at: Make, emulator: Emulator, version: str
) -> None:
    # A backend fact: the token carries the page size; limit goes with the first request only.
    ids = [b.backup_id for b in at(version).iter_index_backups("big-index", page_size=10)]
    assert len(ids) == len(set(ids)) == 25
    queries = [r.query for r in emulator.requests]
    assert queries[0] == {"limit": ["10"]}
    assert all(set(q) == {"paginationToken"} for q in queries[1:]) and len(queries) == 3


# -- create_backup: 201, then 200; the 2026-07 backup name -----------------------------------------


@pytest.mark.parametrize(
    ("version", "status"), [("2025-10", 201), ("2026-04", 201), ("2026-07", 200)]
)
def test_create_backup_takes_the_version_s_success_status(
    at: Make, emulator: Emulator, version: str, status: int
) -> None:
    backup = at(version).create_backup("my-index", name="nightly-1", description="d")
    assert emulator.exchanges[-1].status == status
    assert (backup.name, backup.description, backup.status) == ("nightly-1", "d", "Initializing")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("status", [200, 201, 202])
def test_create_backup_accepts_any_2xx_in_every_version(version: str, status: int) -> None:
    # A backend fact: 2025-10 documents 201, one official SDK checks for 200 against the live
    # API, and 2026-07 documents 200.
    server, client = raw(lambda _: json_reply(backup_json("b-1"), status), version)
    with server, client:
        assert client.create_backup("idx", name="nightly").backup_id == "b-1"
    assert server.paths() == ["POST /indexes/idx/backups"]


@pytest.mark.parametrize(
    "name",
    ["Nightly", "nightly_1", "-nightly", "nightly-", "a" * 46, "night ly", "nächtlich"],
)
def test_a_backup_name_outside_2026_07_s_rule_is_refused_locally(
    at: Make, emulator: Emulator, name: str
) -> None:
    client = at("2026-07")
    call = lambda: client.create_backup("my-index", name=name)  # noqa: E731
    err = refused(emulator, call, "name", pb.ValidationError)
    assert "2026-07" in str(err)


@pytest.mark.parametrize("name", ["a", "nightly-1", "0", "a" * 45, "2026-07-01-before-upgrade"])
def test_a_backup_name_of_2026_07_s_rule_is_sent(at: Make, name: str) -> None:
    assert at("2026-07").create_backup("my-index", name=name).name == name


@pytest.mark.parametrize("version", BEFORE_2026_07)
@pytest.mark.parametrize("name", ["Nightly", "nightly_1", "-nightly", "night ly"])
def test_a_backup_name_outside_2026_07_s_rule_is_sent_before_2026_07(
    at: Make, version: str, name: str
) -> None:
    assert at(version).create_backup("my-index", name=name).name == name


# -- delete_backup: 412 removed --------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_deleting_a_backup_being_restored_is_412_before_2026_07_and_done_under_it(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.restore_seconds = 600
    client = at(version)
    client.create_index_from_backup(READY, f"restored-{version}")
    if version in BEFORE_2026_07:
        with pytest.raises(pb.FailedPreconditionError) as caught:
            client.delete_backup(READY)
        assert caught.value.status == 412
        assert emulator.get_backup(READY) is not None
    else:
        assert client.delete_backup(READY) is None  # type: ignore[func-returns-value]
        assert emulator.exchanges[-1].status == 202
        assert emulator.get_backup(READY) is None


# -- create_index_from_backup: 412 when the backup is not Ready (and the other backend facts) ------


@pytest.mark.parametrize("version", VERSIONS)
def test_restoring_a_backup_not_ready_is_failed_precondition(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.backup_seconds = 600
    client = at(version)
    backup = client.create_backup("my-index")
    with pytest.raises(pb.FailedPreconditionError) as caught:
        client.create_index_from_backup(backup.backup_id, "too-soon")
    assert caught.value.status == 412


@pytest.mark.parametrize("version", VERSIONS)
def test_restoring_a_pod_index_backup_is_invalid_argument(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.add_index("pods", pod=True)
    backup = emulator.add_backup("pods")
    with pytest.raises(pb.InvalidArgumentError):
        at(version).create_index_from_backup(backup["backup_id"], "from-pods")


@pytest.mark.parametrize("version", VERSIONS)
def test_restoring_into_an_index_name_that_exists_is_already_exists(at: Make, version: str) -> None:
    with pytest.raises(pb.AlreadyExistsError) as caught:
        at(version).create_index_from_backup(READY, "docs-example")
    assert caught.value.status == 409


# -- BackupModel: no dimension/metric, a typed schema, int64 counts --------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_backup_has_dimension_and_metric_before_2026_07_and_none_under_it(
    at: Make, version: str
) -> None:
    backup = at(version).describe_backup(READY)
    if version == "2026-07":
        assert (backup.dimension, backup.metric) == (None, None)
        assert "dimension" not in backup.to_dict() and "metric" not in backup.to_dict()
        assert isinstance(backup.schema, dict) and isinstance(backup.schema["fields"], dict)
    else:
        assert (backup.dimension, backup.metric) == (1536, "cosine")


def test_a_2026_07_backup_schema_is_the_typed_index_schema(at: Make, emulator: Emulator) -> None:
    emulator.add_index("typed", dimension=3, metric="dotproduct")
    created = at("2026-07").create_backup("typed")
    schema = at("2026-07").describe_backup(created.backup_id).schema
    assert schema is not None
    dense = [f for f in schema["fields"].values() if f.get("type") == "dense_vector"]
    assert dense == [{"type": "dense_vector", "dimension": 3, "metric": "dotproduct"}]
    old = at("2025-10").describe_backup(created.backup_id)
    assert (old.dimension, old.metric) == (3, "dotproduct")


@pytest.mark.parametrize("version", VERSIONS)
def test_backup_counts_are_exact_int64_in_every_version(
    at: Make, emulator: Emulator, version: str
) -> None:
    big = 2**63 - 1
    added = emulator.add_backup("counted", record_count=big, size_bytes=2**53 + 1)
    backup = at(version).describe_backup(added["backup_id"])
    assert (backup.record_count, backup.size_bytes) == (big, 2**53 + 1)


@pytest.mark.parametrize("status", ["Initializing", "Ready", "InitializationFailed"])
def test_a_2026_07_backup_status_reads_as_sent(at: Make, emulator: Emulator, status: str) -> None:
    added = emulator.add_backup("statuses", status=status)
    assert at("2026-07").describe_backup(added["backup_id"]).status == status


def test_waiting_for_a_2026_07_backup_that_fails_raises_backup_failed(
    at: Make, emulator: Emulator
) -> None:
    emulator.backup_seconds = 0
    emulator.fail_next_backups(status="InitializationFailed")
    with pytest.raises(pb.BackupFailedError) as caught:
        at("2026-07").create_backup("my-index", wait=True)
    assert caught.value.backup.status == "InitializationFailed"


# -- BackupList / RestoreJobList: pagination null or absent on the last page -----------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_the_last_page_ends_a_walk_in_every_version(
    at: Make, emulator: Emulator, version: str
) -> None:
    client = at(version)
    last = client.list_index_backups("my-index", limit=5)
    assert last.pagination is None and last.next_token is None
    assert json.loads(emulator.exchanges[-1].body)["pagination"] is None
    assert len(list(client.iter_project_backups(page_size=7))) == len(emulator.backups())


@pytest.mark.parametrize("pagination", ["absent", None], ids=["absent", "null"])
def test_a_2026_07_list_without_a_next_page_has_no_token(pagination: object) -> None:
    document: dict[str, Any] = {"data": [minimal()]}
    if pagination != "absent":
        document["pagination"] = pagination
    server, client = raw(lambda _: json_reply(document), "2026-07")
    with server, client:
        page = client.list_project_backups()
        assert (page.pagination, page.next_token, len(page)) == (None, None, 1)
        assert len(list(client.iter_project_backups())) == 1


# -- RestoreJobModel: integer percent, nullable created_at/completed_at ----------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_restore_job_s_percent_complete_is_none_until_done_then_100(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.restore_seconds = 60
    client = at(version)
    job_id = client.create_index_from_backup(READY, f"restored-{version}").restore_job_id
    pending = client.describe_restore_job(job_id)
    assert (pending.status, pending.percent_complete, pending.completed_at) == (
        "Pending",
        None,
        None,
    )
    emulator.advance(60)
    done = client.describe_restore_job(job_id)
    assert done.status == "Completed" and done.percent_complete == 100
    assert done.completed_at is not None
    # 2026-07's integer stays an int; earlier versions' number is the float 100.0.
    assert type(done.percent_complete) is (int if version == "2026-07" else float)


def test_a_2026_07_restore_job_s_null_created_at_and_completed_at_read_as_none() -> None:
    job = restore_job_json("rj-1", "Pending", created_at=None, completed_at=None)
    server, client = raw(lambda _: json_reply({"data": [job], "pagination": None}), "2026-07")
    with server, client:
        (read,) = client.list_restore_jobs()
    assert (read.created_at, read.completed_at, read.percent_complete) == (None, None, None)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("status", ["Failed", "Cancelled"])
def test_a_failed_or_cancelled_restore_job_ends_its_wait(
    at: Make, emulator: Emulator, version: str, status: str
) -> None:
    emulator.restore_seconds = 0
    emulator.fail_next_restores(status=status)
    client = at(version)
    job_id = client.create_index_from_backup(READY, f"doomed-{version}").restore_job_id
    with pytest.raises(pb.RestoreJobFailedError) as caught:
        client.wait_for_restore_job(job_id, timeout=10, poll_interval=0.01)
    assert caught.value.restore_job.status == status
    assert caught.value.restore_job.percent_complete is None


@pytest.mark.parametrize("version", VERSIONS)
def test_a_restore_job_repeated_on_a_later_page_is_handed_out_once(
    at: Make, emulator: Emulator, version: str
) -> None:
    # A backend fact: list_restore_jobs has been seen to repeat a job on a later page.
    client = at(version)
    for number in range(5):
        client.create_index_from_backup(READY, f"copy-{number}")
    emulator.repeat_restore_jobs = True
    ids = [job.restore_job_id for job in client.iter_restore_jobs(page_size=2)]
    assert len(ids) == len(set(ids)) == len(emulator.restore_jobs())


# -- IndexTags: at most 20, printable ASCII (2026-07); letters, digits and ';@_-.+ ' before --------

PRINTABLE = "a!b#c$d%e&f(g)h*i,j/k:l<m=n>o?p[q]r^s`t{u|v}w~x\"y'z\\"


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_tag_values_are_letters_digits_and_few_marks_before_2026_07(
    at: Make, emulator: Emulator, version: str
) -> None:
    client = at(version)
    tags = {"env": "prod;us@east_1-a.b+c d"}
    assert client.create_index_from_backup(READY, f"ok-{version}", tags=tags)
    for value in ("a!b", "a#b", "a/b", PRINTABLE):
        call = lambda value=value: client.create_index_from_backup(READY, "x", tags={"k": value})  # noqa: E731
        err = refused(emulator, call, "tags", pb.ValidationError)
        assert "2026-07" in str(err)


def test_tag_values_may_be_any_printable_ascii_under_2026_07(at: Make, emulator: Emulator) -> None:
    client = at("2026-07")
    client.create_index_from_backup(READY, "printable", tags={"k": PRINTABLE, "e": ""})
    assert json.loads(emulator.requests[-1].body)["tags"] == {"k": PRINTABLE, "e": ""}
    for value in ("é", "tab\there", "new\nline", "\x7f"):
        call = lambda value=value: client.create_index_from_backup(READY, "x", tags={"k": value})  # noqa: E731
        refused(emulator, call, "tags", pb.ValidationError)


@pytest.mark.parametrize("version", VERSIONS)
def test_at_most_20_tags_under_2026_07_and_any_number_before(
    at: Make, emulator: Emulator, version: str
) -> None:
    client = at(version)
    twenty = {f"k{n}": "v" for n in range(20)}
    assert client.create_index_from_backup(READY, f"twenty-{version}", tags=twenty)
    many = {f"k{n}": "v" for n in range(21)}
    if version == "2026-07":
        call = lambda: client.create_index_from_backup(READY, "x", tags=many)  # noqa: E731
        err = refused(emulator, call, "tags", pb.ValidationError)
        assert "20" in str(err)
    else:
        assert client.create_index_from_backup(READY, f"many-{version}", tags=many)


def test_a_2026_07_backup_s_null_tags_read_as_empty(at: Make, emulator: Emulator) -> None:
    added = emulator.add_backup("untagged", tags=None)
    backup = at("2026-07").describe_backup(added["backup_id"])
    assert backup.tags == {}
    assert backup.to_dict()["tags"] is None


# -- ErrorResponse codes: SERVICE_UNAVAILABLE, PAYLOAD_TOO_LARGE -----------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_503_is_unavailable_and_under_2026_07_service_unavailable(
    at: Make, emulator: Emulator, version: str
) -> None:
    emulator.fail_next(503)  # the code the request's version gives a 503
    with pytest.raises(pb.UnavailableError) as caught:  # catches both versions' classes
        at(version).list_project_backups()
    if version == "2026-07":
        assert type(caught.value) is pb.ServiceUnavailableError
        assert caught.value.code == "SERVICE_UNAVAILABLE"
    else:
        assert type(caught.value) is pb.UnavailableError
        assert caught.value.code == "UNAVAILABLE"


def test_a_2026_07_service_unavailable_is_retried_like_unavailable(
    at: Make, emulator: Emulator
) -> None:
    emulator.fail_next(503, times=2, headers={"Retry-After": "0"})
    page = at("2026-07", retry=INSTANT).list_project_backups()
    assert len(page) > 0
    assert [e.status for e in emulator.exchanges] == [503, 503, 200]
    assert json.loads(emulator.exchanges[0].body)["error"]["code"] == "SERVICE_UNAVAILABLE"


def test_a_2026_07_413_is_payload_too_large(at: Make, emulator: Emulator) -> None:
    emulator.fail_next(413, message="Request body too large.")
    with pytest.raises(pb.PayloadTooLargeError) as caught:
        at("2026-07").create_index_from_backup(READY, "big", tags={"k": "v"})
    assert (caught.value.status, caught.value.code) == (413, "PAYLOAD_TOO_LARGE")
    assert isinstance(caught.value, pb.ClientError)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_413_without_an_error_response_is_payload_too_large(version: str) -> None:
    reply = RawReply(413, "<html>Request Entity Too Large</html>", content_type="text/html")
    server, client = raw(lambda _: reply, version)
    with server, client, pytest.raises(pb.PayloadTooLargeError) as caught:
        client.create_backup("idx")
    assert caught.value.code is None
