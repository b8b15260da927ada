"""Backup schedules, API 2026-07's six operations, through the client: one test per point of the
spec's difference list (``../shared/spec/README.md``: "Backup schedules, six operations"), each
named by the behaviour it checks. Against the emulator (every request and answer checked against
the 2026-07 spec, requests strictly), except where the test is about the client alone (refusals
made before sending, or an answer shape the emulator has no reason to give)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, INSTANT, RawServer, json_reply, refused

DAY = 86_400.0
EIGHT_METHODS: dict[str, Callable[[pb.Client], object]] = {
    "create_backup_schedule": lambda c: c.create_backup_schedule(
        "my-index", name="nightly", frequency="daily", expire_after_days=7
    ),
    "list_backup_schedules": lambda c: c.list_backup_schedules("my-index"),
    "iter_backup_schedules": lambda c: c.iter_backup_schedules("my-index"),
    "describe_backup_schedule": lambda c: c.describe_backup_schedule("s-1"),
    "update_backup_schedule": lambda c: c.update_backup_schedule("s-1", enabled=False),
    "delete_backup_schedule": lambda c: c.delete_backup_schedule("s-1"),
    "list_backup_schedule_history": lambda c: c.list_backup_schedule_history("s-1"),
    "iter_backup_schedule_history": lambda c: c.iter_backup_schedule_history("s-1"),
}
"""A call of each schedule method (the six operations; two of them list, with an iterator)."""


@pytest.fixture
def client(emulator: Emulator) -> Iterator[pb.Client]:
    """A 2026-07 client of the emulator that does not retry (the emulator's runs are instant)."""
    emulator.backup_seconds = 0
    with pb.Client(api_key=API_KEY, host=emulator.url, api_version="2026-07", max_retries=0) as c:
        yield c


def create(client: pb.Client, index: str = "docs-example", **options: Any) -> pb.BackupSchedule:
    return client.create_backup_schedule(
        index,
        name=options.pop("name", "nightly"),
        frequency=options.pop("frequency", "daily"),
        expire_after_days=options.pop("expire_after_days", 7),
    )


def seeded(emulator: Emulator) -> str:
    """The id of the sample data's schedule: big-index's, disabled, 25 backups in its history."""
    schedule_id: str = emulator.backup_schedules("big-index")[0]["schedule_id"]
    return schedule_id


# -- Only under 2026-07 ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2025-10", "2026-04"])
@pytest.mark.parametrize("method", list(EIGHT_METHODS))
def test_schedule_operations_are_refused_locally_before_2026_07(
    emulator: Emulator, version: str, method: str
) -> None:
    with pb.Client(api_key=API_KEY, host=emulator.url, api_version=version) as old:
        before = len(emulator.requests)
        with pytest.raises(pb.ValidationError) as caught:
            EIGHT_METHODS[method](old)
        err = caught.value
        assert len(emulator.requests) == before, "a refused call sent a request"
    operation = method.replace("iter_", "list_")
    assert operation in str(err) and "2026-07" in str(err) and version in str(err)


@pytest.mark.parametrize("version", ["2025-10", "2026-04"])
async def test_async_schedule_operations_are_refused_locally_before_2026_07(
    emulator: Emulator, version: str
) -> None:
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, api_version=version) as old:
        with pytest.raises(pb.ValidationError, match="2026-07"):
            await old.list_backup_schedules("big-index")
        with pytest.raises(pb.ValidationError, match="2026-07"):
            await old.create_backup_schedule(
                "my-index", name="n", frequency="daily", expire_after_days=1
            )
    assert emulator.requests == []


@pytest.mark.parametrize("version", ["2025-10", "2026-04"])
def test_module_schedule_functions_follow_pinecone_api_version(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    monkeypatch.setenv("PINECONE_API_VERSION", version)
    with pytest.raises(pb.ValidationError, match="2026-07"):
        pb.list_backup_schedules("big-index")
    assert emulator.requests == []
    monkeypatch.setenv("PINECONE_API_VERSION", "2026-07")
    assert [s.name for s in pb.list_backup_schedules("big-index")] == ["big-index-daily"]


# -- create_backup_schedule: POST /indexes/{index_name}/backup-schedules -> 200 --------------------


def test_create_sends_the_spec_s_body_and_reads_the_200(
    client: pb.Client, emulator: Emulator
) -> None:
    schedule = create(client, name="nightly", frequency="weekly", expire_after_days=30)
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/indexes/docs-example/backup-schedules")
    assert json.loads(request.body) == {
        "name": "nightly",
        "schedule": {"type": "time-based", "frequency": "weekly"},
        "retention": {"expire_after_days": 30},
    }
    assert emulator.exchanges[-1].status == 200
    assert isinstance(schedule, pb.BackupSchedule)
    assert (schedule.name, schedule.frequency, schedule.retention_expire_after_days) == (
        "nightly",
        "weekly",
        30,
    )
    assert (schedule.schedule_type, schedule.enabled) == ("time-based", True)
    assert schedule.index_id and schedule.project_id and schedule.schedule_id
    assert isinstance(schedule.next_scheduled_run, datetime)
    assert isinstance(schedule.created_at, datetime)
    assert schedule.next_scheduled_run - schedule.created_at == timedelta(days=7)


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"frequency": "hourly"}, "frequency"),
        ({"frequency": "Daily"}, "frequency"),
        ({"expire_after_days": 0}, "expire_after_days"),
        ({"expire_after_days": -3}, "expire_after_days"),
        ({"name": ""}, "name"),
    ],
)
def test_create_refuses_a_value_the_spec_does_not_allow_locally(
    client: pb.Client, emulator: Emulator, options: dict[str, Any], param: str
) -> None:
    refused(emulator, lambda: create(client, **options), param, pb.ValidationError)


def test_a_second_enabled_schedule_of_an_index_is_already_exists(client: pb.Client) -> None:
    create(client, name="first")
    with pytest.raises(pb.AlreadyExistsError) as caught:
        create(client, name="second")
    assert (caught.value.status, caught.value.code) == (409, "ALREADY_EXISTS")


def test_a_schedule_of_a_pod_index_is_invalid_argument(
    client: pb.Client, emulator: Emulator
) -> None:
    emulator.add_index("legacy", pod=True)
    with pytest.raises(pb.InvalidArgumentError) as caught:
        create(client, "legacy")
    assert caught.value.status == 400


def test_a_plan_without_schedules_is_permission_denied(
    client: pb.Client, emulator: Emulator
) -> None:
    emulator.plan_includes_schedules = False
    with pytest.raises(pb.PermissionDeniedError) as caught:
        create(client)
    assert caught.value.status == 403
    assert len(client.list_backup_schedules("big-index")) == 1  # reading still works


def test_a_schedule_of_an_unknown_index_is_not_found(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        create(client, "no-such-index")


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (402, "PAYMENT_REQUIRED", pb.PaymentRequiredError),
        (422, "UNPROCESSABLE_ENTITY", pb.UnprocessableEntityError),
        (500, "INTERNAL", pb.InternalError),
    ],
)
def test_create_s_other_declared_errors_have_their_classes(
    client: pb.Client, emulator: Emulator, status: int, code: str, cls: type[pb.ApiError]
) -> None:
    emulator.fail_next(status, code=code)
    with pytest.raises(cls) as caught:
        create(client)
    assert caught.value.status == status
    assert caught.value.maybe_processed is (status >= 500)  # a 5xx POST may have been processed


def test_create_and_update_are_not_sent_again_after_a_5xx(emulator: Emulator) -> None:
    # Re-enabling starts a backup at once: a POST or PATCH that may have been processed is never
    # repeated; one that surely was not (429) is.
    with pb.Client(
        api_key=API_KEY, host=emulator.url, api_version="2026-07", retry=INSTANT
    ) as client:
        emulator.fail_next(503)
        with pytest.raises(pb.ServiceUnavailableError) as caught:
            create(client)
        assert caught.value.maybe_processed is True
        emulator.fail_next(503)
        with pytest.raises(pb.ServiceUnavailableError):
            client.update_backup_schedule(seeded(emulator), enabled=True)
        assert [r.method for r in emulator.requests] == ["POST", "PATCH"]
        emulator.fail_next(429, headers={"Retry-After": "0"})
        assert client.update_backup_schedule(seeded(emulator), expire_after_days=3)
        assert [r.method for r in emulator.requests][2:] == ["PATCH", "PATCH"]


# -- list_backup_schedules: GET /indexes/{index_name}/backup-schedules -----------------------------


def test_list_is_a_backup_schedule_list_with_a_null_last_page(
    client: pb.Client, emulator: Emulator
) -> None:
    page = client.list_backup_schedules("big-index")
    assert isinstance(page, pb.BackupScheduleList)
    (schedule,) = page
    assert (schedule.name, schedule.enabled, schedule.next_scheduled_run) == (
        "big-index-daily",
        False,
        None,  # null while disabled
    )
    assert page.pagination is None and page.next_token is None
    assert json.loads(emulator.exchanges[-1].body)["pagination"] is None
    assert "limit" not in emulator.requests[-1].query  # default 100: nothing to send


def test_list_pages_with_limit_and_token(client: pb.Client, emulator: Emulator) -> None:
    first = create(client, name="first")
    client.update_backup_schedule(first.schedule_id, enabled=False)
    second = create(client, name="second")
    page = client.list_backup_schedules("docs-example", limit=1)
    assert [s.schedule_id for s in page] == [second.schedule_id]  # newest first
    assert page.next_token is not None
    rest = client.list_backup_schedules("docs-example", pagination_token=page.next_token)
    assert [s.schedule_id for s in rest] == [first.schedule_id]
    walked = client.iter_backup_schedules("docs-example", page_size=1)
    assert [s.name for s in walked] == ["second", "first"]


def test_list_of_an_unknown_index_is_not_found(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        client.list_backup_schedules("no-such-index")


# -- describe_backup_schedule: GET /backup-schedules/{schedule_id} ---------------------------------


def test_describe_reads_every_field(client: pb.Client, emulator: Emulator) -> None:
    schedule = client.describe_backup_schedule(seeded(emulator))
    served = json.loads(emulator.exchanges[-1].body)
    assert set(served) == {f[0] for f in pb.BackupSchedule.__model_fields__}
    assert schedule.to_dict() == served
    assert schedule == pb.BackupSchedule.from_dict(served)


def test_describe_of_an_unknown_schedule_is_not_found(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError) as caught:
        client.describe_backup_schedule("no-such-schedule")
    assert caught.value.status == 404


# -- update_backup_schedule: PATCH /backup-schedules/{schedule_id} ---------------------------------


@pytest.mark.parametrize(
    ("options", "body"),
    [
        ({"frequency": "monthly"}, {"frequency": "monthly"}),
        ({"expire_after_days": 3}, {"retention": {"expire_after_days": 3}}),
        ({"enabled": False}, {"enabled": False}),
        (
            {"frequency": "weekly", "expire_after_days": 9, "enabled": False},
            {"frequency": "weekly", "retention": {"expire_after_days": 9}, "enabled": False},
        ),
    ],
)
def test_update_sends_only_what_changes(
    client: pb.Client, emulator: Emulator, options: dict[str, Any], body: dict[str, Any]
) -> None:
    schedule = create(client)
    updated = client.update_backup_schedule(schedule.schedule_id, **options)
    request = emulator.requests[-1]
    assert (request.method, json.loads(request.body)) == ("PATCH", body)
    assert emulator.exchanges[-1].status == 200
    assert updated.schedule_id == schedule.schedule_id


def test_an_update_with_nothing_to_change_is_refused_locally(
    client: pb.Client, emulator: Emulator
) -> None:
    before = len(emulator.requests)
    with pytest.raises(pb.ValidationError):
        client.update_backup_schedule("s-1")
    assert len(emulator.requests) == before


def test_disabling_nulls_the_next_run_and_re_enabling_backs_up_at_once(
    client: pb.Client, emulator: Emulator
) -> None:
    schedule = create(client)
    disabled = client.update_backup_schedule(schedule.schedule_id, enabled=False)
    assert (disabled.enabled, disabled.next_scheduled_run) == (False, None)
    backups = len(emulator.backups("docs-example"))
    enabled = client.update_backup_schedule(schedule.schedule_id, enabled=True)
    assert enabled.enabled and enabled.next_scheduled_run is not None
    assert len(emulator.backups("docs-example")) == backups + 1


def test_re_enabling_beside_another_enabled_schedule_is_already_exists(
    client: pb.Client,
) -> None:
    first = create(client, name="first")
    client.update_backup_schedule(first.schedule_id, enabled=False)
    create(client, name="second")
    with pytest.raises(pb.AlreadyExistsError) as caught:
        client.update_backup_schedule(first.schedule_id, enabled=True)
    assert caught.value.status == 409


# -- delete_backup_schedule: DELETE /backup-schedules/{schedule_id} -> 204 -------------------------


def test_delete_is_a_204_without_a_body(client: pb.Client, emulator: Emulator) -> None:
    schedule = create(client)
    result: object = client.delete_backup_schedule(schedule.schedule_id)  # type: ignore[func-returns-value]
    assert result is None
    assert (emulator.exchanges[-1].status, emulator.exchanges[-1].body) == (204, b"")
    with pytest.raises(pb.NotFoundError):
        client.describe_backup_schedule(schedule.schedule_id)


def test_deleting_an_unknown_schedule_is_not_found_unless_missing_ok(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        client.delete_backup_schedule("no-such-schedule")
    client.delete_backup_schedule("no-such-schedule", missing_ok=True)


def test_a_delete_answered_204_with_a_body_is_done_all_the_same() -> None:
    with (
        RawServer(lambda _: json_reply({"unexpected": True}, 204)) as server,
        pb.Client(api_key=API_KEY, host=server.url, api_version="2026-07") as client,
    ):
        client.delete_backup_schedule("s-1")
        assert server.paths() == ["DELETE /backup-schedules/s-1"]


# -- list_backup_schedule_history: GET /backup-schedules/{schedule_id}/history ---------------------


def test_history_shows_the_next_run_as_scheduled_then_what_ran(
    client: pb.Client, emulator: Emulator
) -> None:
    schedule = create(client)
    (upcoming,) = client.list_backup_schedule_history(schedule.schedule_id)
    assert isinstance(upcoming, pb.BackupScheduleHistoryItem)
    assert upcoming.status == "Scheduled"
    assert upcoming.scheduled_execution_at == schedule.next_scheduled_run
    assert (upcoming.record_count, upcoming.size_bytes) == (None, None)  # null until Ready
    emulator.advance(DAY)
    page = client.list_backup_schedule_history(schedule.schedule_id)
    assert isinstance(page, pb.BackupScheduleHistoryList)
    assert [item.status for item in page] == ["Scheduled", "Ready"]
    ran = page[1]
    assert ran.scheduled_execution_at is None
    assert ran.name.startswith("nightly-") and ran.source_index_name == "docs-example"
    assert isinstance(ran.record_count, int)
    assert ran.backup_id == client.describe_backup(ran.backup_id).backup_id


def test_history_pages_with_limit_and_token(client: pb.Client, emulator: Emulator) -> None:
    schedule_id = seeded(emulator)
    page = client.list_backup_schedule_history(schedule_id, limit=10)
    assert len(page) == 10 and page.next_token is not None
    items = list(client.iter_backup_schedule_history(schedule_id, page_size=10))
    assert len(items) == len({item.backup_id for item in items}) == 25
    assert "Scheduled" not in {item.status for item in items}  # disabled: no next run


def test_history_of_an_unknown_schedule_is_not_found(client: pb.Client) -> None:
    with pytest.raises(pb.NotFoundError):
        client.list_backup_schedule_history("no-such-schedule")
