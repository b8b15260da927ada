"""The emulator's backup schedules (API 2026-07), over raw HTTP, every exchange checked against
the spec: the six operations, their bodies (400 and 422), one enabled schedule per index (409),
pod indexes (400) and plans without them (403); and the schedules' runs on the emulator's clock:
a backup at each ``next_scheduled_run``, the history with the next run ``Scheduled``, expiry,
disabling and re-enabling, a new frequency; the seeded schedule; ``add_backup_schedule``."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from pinecone_backups.testing._store import step, timestamp_ns
from tests.helpers import RFC3339_MICROS, Reply, assert_error, call

HEADERS = {"Api-Key": "test-key", "X-Pinecone-Api-Version": "2026-07"}
JSON = {**HEADERS, "Content-Type": "application/json"}
DAY = 86_400
SCHEDULE_KEYS = [
    "schedule_id",
    "name",
    "index_id",
    "project_id",
    "schedule_type",
    "frequency",
    "retention_expire_after_days",
    "enabled",
    "next_scheduled_run",
    "created_at",
]
CONFLICT = "This index already has an enabled backup schedule. Disable or delete it first."


def body(name: str = "nightly", frequency: str = "daily", days: int = 7) -> dict[str, Any]:
    return {
        "name": name,
        "schedule": {"type": "time-based", "frequency": frequency},
        "retention": {"expire_after_days": days},
    }


def create(emu: Emulator, index_name: str = "docs-example", **fields: Any) -> Reply:
    return call(
        emu, f"/indexes/{index_name}/backup-schedules", "POST", body(**fields), headers=JSON
    )


def update(emu: Emulator, schedule_id: str, document: object) -> Reply:
    return call(emu, f"/backup-schedules/{schedule_id}", "PATCH", document, headers=JSON)


def get(emu: Emulator, target: str) -> Any:
    reply = call(emu, target, headers=HEADERS)
    assert reply.status == 200, reply.body
    return reply.json()


def ok(reply: Reply) -> Any:
    assert reply.status == 200, reply.body
    return reply.json()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def history(emu: Emulator, schedule_id: str) -> list[dict[str, Any]]:
    document = get(emu, f"/backup-schedules/{schedule_id}/history?limit=1000")
    assert document["pagination"] is None
    rows: list[dict[str, Any]] = document["data"]
    return rows


@pytest.fixture
def emu(emulators: Callable[..., Emulator]) -> Emulator:
    """A seeded emulator whose backups take a minute of emulator time."""
    return emulators(backup_seconds=60)


# -- The operations --------------------------------------------------------------------------


def test_create_describe_and_list(emu: Emulator) -> None:
    schedule = ok(create(emu, name="daily-compliance-backup", days=90))
    assert list(schedule) == SCHEDULE_KEYS
    assert schedule["name"] == "daily-compliance-backup"
    assert schedule["index_id"] == emu.add_index("docs-example")
    assert schedule["project_id"] == emu.project_id
    assert (schedule["schedule_type"], schedule["frequency"]) == ("time-based", "daily")
    assert (schedule["retention_expire_after_days"], schedule["enabled"]) == (90, True)
    assert RFC3339_MICROS.fullmatch(schedule["created_at"])
    assert when(schedule["next_scheduled_run"]) == when(schedule["created_at"]) + timedelta(days=1)
    schedule_id = schedule["schedule_id"]
    assert get(emu, f"/backup-schedules/{schedule_id}") == schedule
    assert get(emu, "/indexes/docs-example/backup-schedules") == {
        "data": [schedule],
        "pagination": None,
    }
    assert emu.backup_schedules("docs-example") == [schedule]
    assert emu.get_backup_schedule(schedule_id) == schedule


def test_list_is_newest_first_and_paginated(emu: Emulator) -> None:
    first = ok(create(emu, name="first"))["schedule_id"]
    ok(update(emu, first, {"enabled": False}))
    emu.advance(60)
    second = ok(create(emu, name="second"))["schedule_id"]
    page = get(emu, "/indexes/docs-example/backup-schedules?limit=1")
    assert [s["schedule_id"] for s in page["data"]] == [second]
    token = quote(page["pagination"]["next"], safe="")
    rest = get(emu, f"/indexes/docs-example/backup-schedules?paginationToken={token}")
    assert ([s["schedule_id"] for s in rest["data"]], rest["pagination"]) == ([first], None)
    assert get(emu, "/indexes/empty-index/backup-schedules") == {"data": [], "pagination": None}
    assert len(emu.backup_schedules()) == 3  # with the seeded one


def test_unknown_index_and_schedule_are_404(emu: Emulator) -> None:
    assert_error(create(emu, "no-such-index"), 404, "NOT_FOUND", "Index no-such-index not found.")
    assert_error(
        call(emu, "/indexes/no-such-index/backup-schedules", headers=HEADERS), 404, "NOT_FOUND"
    )
    for method, target in (
        ("GET", "/backup-schedules/nope"),
        ("DELETE", "/backup-schedules/nope"),
        ("GET", "/backup-schedules/nope/history"),
    ):
        reply = call(emu, target, method, headers=HEADERS)
        assert_error(reply, 404, "NOT_FOUND", "Backup schedule nope not found.")
    assert_error(update(emu, "nope", {"enabled": False}), 404, "NOT_FOUND")


def test_delete_is_204_without_a_body_and_the_backups_stay(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(backup_seconds=0)
    schedule_id = ok(create(emu, days=2))["schedule_id"]
    emu.advance(DAY)
    made = emu.backups("docs-example")[0]
    reply = call(emu, f"/backup-schedules/{schedule_id}", "DELETE", headers=HEADERS)
    assert (reply.status, reply.body, reply.headers.get("Content-Type")) == (204, b"", None)
    assert_error(call(emu, f"/backup-schedules/{schedule_id}", headers=HEADERS), 404, "NOT_FOUND")
    emu.advance(10 * DAY)  # no more runs, and what it made no longer expires
    assert [b["backup_id"] for b in emu.backups("docs-example")][:1] == [made["backup_id"]]
    assert len(emu.backups("docs-example")) == 4


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"schedule": {"type": "time-based", "frequency": "daily"}}, "missing field `name`"),
        ({"name": "n", "retention": {"expire_after_days": 1}}, "missing field `schedule`"),
        (
            {"name": "n", "schedule": {"type": "time-based", "frequency": "daily"}},
            "missing field `retention`",
        ),
        ({**body(), "schedule": {"frequency": "daily"}}, "missing field `schedule.type`"),
        ({**body(), "schedule": {"type": "time-based"}}, "missing field `schedule.frequency`"),
        ({**body(), "retention": {}}, "missing field `retention.expire_after_days`"),
        ({**body(), "name": 5}, "name: invalid type"),
        ({**body(), "name": None}, "name: invalid type: null"),
        ({**body(), "schedule": "daily"}, "schedule: invalid type"),
        ({**body(), "retention": {"expire_after_days": "7"}}, "expire_after_days: invalid type"),
        ({**body(), "retention": {"expire_after_days": 7.0}}, "expire_after_days: invalid type"),
        ({**body(), "retention": {"expire_after_days": True}}, "expire_after_days: invalid type"),
    ],
)
def test_a_body_of_the_wrong_shape_is_422(
    emu: Emulator, document: dict[str, Any], problem: str
) -> None:
    reply = call(emu, "/indexes/docs-example/backup-schedules", "POST", document, headers=JSON)
    assert_error(reply, 422, "UNPROCESSABLE_ENTITY")
    assert problem in reply.json()["error"]["message"]
    assert emu.backup_schedules("docs-example") == []


@pytest.mark.parametrize(
    "document",
    [
        body(frequency="hourly"),
        body(frequency="Daily"),
        body(days=0),
        body(days=-1),
        body(days=3651),
        body(name=""),
        {**body(), "schedule": {"type": "event-based", "frequency": "daily"}},
    ],
)
def test_a_body_with_a_bad_value_is_400(emu: Emulator, document: dict[str, Any]) -> None:
    reply = call(emu, "/indexes/docs-example/backup-schedules", "POST", document, headers=JSON)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert emu.backup_schedules("docs-example") == []


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null"])
def test_a_body_that_is_not_a_json_object_is_400(emu: Emulator, raw: bytes) -> None:
    reply = call(emu, "/indexes/docs-example/backup-schedules", "POST", body=raw, headers=JSON)
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_an_update_is_checked_like_a_creation(emu: Emulator) -> None:
    schedule_id = ok(create(emu))["schedule_id"]
    shapes: list[dict[str, Any]] = [
        {"frequency": 1},
        {"enabled": "no"},
        {"enabled": None},
        {"retention": 7},
        {"retention": {}},
    ]
    for document in shapes:
        assert_error(update(emu, schedule_id, document), 422, "UNPROCESSABLE_ENTITY")
    for document in ({"frequency": "hourly"}, {"retention": {"expire_after_days": 0}}):
        assert_error(update(emu, schedule_id, document), 400, "INVALID_ARGUMENT")
    before = get(emu, f"/backup-schedules/{schedule_id}")
    assert ok(update(emu, schedule_id, {})) == before  # nothing to change: left unchanged
    changed = ok(update(emu, schedule_id, {"retention": {"expire_after_days": 30}}))
    assert changed == {**before, "retention_expire_after_days": 30}


def test_an_index_has_at_most_one_enabled_schedule(emu: Emulator) -> None:
    first = ok(create(emu, name="first"))["schedule_id"]
    assert_error(create(emu, name="second"), 409, "ALREADY_EXISTS", CONFLICT)
    ok(update(emu, first, {"enabled": False}))
    second = ok(create(emu, name="second"))["schedule_id"]
    assert_error(update(emu, first, {"enabled": True}), 409, "ALREADY_EXISTS", CONFLICT)
    assert ok(update(emu, second, {"enabled": True}))["enabled"] is True  # already enabled
    call(emu, f"/backup-schedules/{second}", "DELETE", headers=HEADERS)
    assert ok(update(emu, first, {"enabled": True}))["enabled"] is True
    assert ok(create(emu, "my-index"))["enabled"] is True  # another index: no conflict


def test_a_pod_index_cannot_have_a_schedule(emu: Emulator) -> None:
    emu.add_index("legacy", pod=True)
    reply = create(emu, "legacy")
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "pod-based" in reply.json()["error"]["message"]
    emu.add_index("legacy", pod=False)  # migrated
    assert create(emu, "legacy").status == 200


@pytest.mark.parametrize("knob", ["plan_includes_schedules", "plan_includes_backups"])
def test_a_plan_without_schedules_refuses_to_create_or_change_one(
    emulators: Callable[..., Emulator], knob: str
) -> None:
    emu = emulators()
    schedule_id = ok(create(emu))["schedule_id"]
    setattr(emu, knob, False)
    message = "Scheduled backups are not available for your plan"
    assert_error(create(emu, "my-index"), 403, "PERMISSION_DENIED", message)
    assert_error(update(emu, schedule_id, {"enabled": False}), 403, "PERMISSION_DENIED", message)
    assert get(emu, f"/backup-schedules/{schedule_id}")["enabled"] is True  # reading still works
    assert len(get(emu, "/indexes/docs-example/backup-schedules")["data"]) == 1
    assert len(get(emu, f"/backup-schedules/{schedule_id}/history")["data"]) == 1
    reply = call(emu, f"/backup-schedules/{schedule_id}", "DELETE", headers=HEADERS)
    assert reply.status == 204
    setattr(emu, knob, True)
    assert create(emu, "my-index").status == 200


def test_the_knobs_are_constructor_arguments(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(plan_includes_schedules=False)
    assert (emu.plan_includes_schedules, emu.plan_includes_backups) == (False, True)
    assert_error(create(emu), 403, "PERMISSION_DENIED")


# -- Runs on the emulator's clock ------------------------------------------------------------


def test_a_run_makes_a_backup_at_each_next_scheduled_run(emu: Emulator) -> None:
    schedule = ok(create(emu, name="nightly"))
    schedule_id, first_run = schedule["schedule_id"], schedule["next_scheduled_run"]
    [scheduled] = history(emu, schedule_id)
    assert scheduled["status"] == "Scheduled"
    assert scheduled["scheduled_execution_at"] == first_run
    assert scheduled["created_at"] == schedule["created_at"]  # planned when it was created
    emu.advance(DAY - 1)
    assert len(emu.backups("docs-example")) == 3  # not yet
    emu.advance(1)
    backup = emu.backups("docs-example")[0]
    assert backup["backup_id"] == scheduled["backup_id"]  # the Scheduled row's id
    stamp = when(first_run).strftime("%Y%m%dT%H%M%SZ")
    assert (backup["name"], backup["created_at"]) == (f"nightly-{stamp}", first_run)
    assert backup["status"] == "Initializing"
    assert (backup["dimension"], backup["record_count"]) == (1024, 98)  # the index's
    after = get(emu, f"/backup-schedules/{schedule_id}")
    assert when(after["next_scheduled_run"]) == when(first_run) + timedelta(days=1)
    upcoming, made = history(emu, schedule_id)
    assert (upcoming["status"], upcoming["created_at"]) == ("Scheduled", first_run)
    assert upcoming["scheduled_execution_at"] == after["next_scheduled_run"]
    assert (made["backup_id"], made["status"], made["record_count"]) == (
        backup["backup_id"],
        "Initializing",
        None,  # null until Ready
    )
    emu.advance(60)
    made = history(emu, schedule_id)[1]
    assert (made["status"], made["record_count"], made["size_bytes"]) == ("Ready", 98, 1069169)
    assert made["schema"]["fields"]["_values"]["dimension"] == 1024
    assert "dimension" not in made


def test_runs_follow_the_frequency(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    weekly = ok(create(emu, frequency="weekly", days=365))
    assert when(weekly["next_scheduled_run"]) == when(weekly["created_at"]) + timedelta(days=7)
    monthly = ok(create(emu, "my-index", frequency="monthly", days=365))
    assert when(monthly["next_scheduled_run"]) == _next_month(when(monthly["created_at"]))
    emu.advance(70 * DAY)
    assert len(history(emu, weekly["schedule_id"])) == 1 + 10
    assert len(history(emu, monthly["schedule_id"])) == 1 + 2
    names = [row["name"] for row in history(emu, weekly["schedule_id"])[1:]]
    assert names == sorted(names, reverse=True) and len(set(names)) == 10


def _next_month(start: datetime) -> datetime:
    """The same day of the next month (its last day if it has no such day), same time."""
    year, month = (start.year, start.month + 1) if start.month < 12 else (start.year + 1, 1)
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


@pytest.mark.parametrize(
    ("origin", "frequency", "count", "expected"),
    [
        ("2025-01-31T10:00:00.5Z", "monthly", 1, "2025-02-28T10:00:00.5Z"),
        ("2025-01-31T10:00:00.5Z", "monthly", 2, "2025-03-31T10:00:00.5Z"),
        ("2024-01-31T00:00:00Z", "monthly", 1, "2024-02-29T00:00:00Z"),
        ("2025-12-15T06:00:00Z", "monthly", 1, "2026-01-15T06:00:00Z"),
        ("2025-03-30T06:00:00Z", "monthly", 11, "2026-02-28T06:00:00Z"),
        ("2025-12-30T23:59:59Z", "daily", 3, "2026-01-02T23:59:59Z"),
        ("2025-12-30T23:59:59Z", "weekly", 2, "2026-01-13T23:59:59Z"),
    ],
)
def test_the_cadence(origin: str, frequency: str, count: int, expected: str) -> None:
    start, end = timestamp_ns(origin), timestamp_ns(expected)
    assert start is not None and end is not None
    assert step(start, frequency, count) == end


def test_backups_a_schedule_made_expire(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    schedule_id = ok(create(emu, days=3))["schedule_id"]
    mine = emu.add_backup("docs-example", name="by-hand")  # never expires
    emu.advance(3 * DAY)
    rows = history(emu, schedule_id)
    assert [row["status"] for row in rows] == ["Scheduled", "Ready", "Ready", "Ready"]
    first = rows[-1]["backup_id"]
    emu.advance(DAY)  # the first run's backup is 3 days old; a fourth is made
    rows = history(emu, schedule_id)
    assert len(rows) == 4 and first not in [row["backup_id"] for row in rows]
    assert emu.get_backup(first) is None
    emu.advance(30 * DAY)
    assert len(history(emu, schedule_id)) == 4  # always the last three
    assert len(emu.backups("docs-example")) == 3 + 1 + 3
    assert emu.get_backup(mine["backup_id"]) is not None
    # A shorter retention applies at once, to what the schedule made already.
    ok(update(emu, schedule_id, {"retention": {"expire_after_days": 1}}))
    assert len(history(emu, schedule_id)) == 2
    assert len(emu.backups("docs-example")) == 3 + 1 + 1


def test_a_deleted_backup_leaves_the_history(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    schedule_id = ok(create(emu))["schedule_id"]
    emu.advance(DAY)
    made = history(emu, schedule_id)[1]["backup_id"]
    assert call(emu, f"/backups/{made}", "DELETE", headers=HEADERS).status == 202
    assert [row["status"] for row in history(emu, schedule_id)] == ["Scheduled"]


def test_disabling_stops_the_runs_and_re_enabling_backs_up_at_once(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(backup_seconds=0)
    schedule_id = ok(create(emu))["schedule_id"]
    disabled = ok(update(emu, schedule_id, {"enabled": False}))
    assert (disabled["enabled"], disabled["next_scheduled_run"]) == (False, None)
    emu.advance(5 * DAY)
    assert history(emu, schedule_id) == []  # no runs, no Scheduled row
    enabled = ok(update(emu, schedule_id, {"enabled": True}))
    upcoming, made = history(emu, schedule_id)
    assert made["status"] == "Ready" and made["created_at"] == upcoming["created_at"]
    assert when(enabled["next_scheduled_run"]) == when(made["created_at"]) + timedelta(days=1)
    assert upcoming["scheduled_execution_at"] == enabled["next_scheduled_run"]
    # Enabling an enabled schedule changes nothing.
    assert ok(update(emu, schedule_id, {"enabled": True})) == enabled
    assert len(history(emu, schedule_id)) == 2


def test_a_new_frequency_restarts_the_cadence(emu: Emulator) -> None:
    schedule_id = ok(create(emu))["schedule_id"]
    emu.advance(3600)
    changed = ok(update(emu, schedule_id, {"frequency": "weekly"}))
    upcoming = history(emu, schedule_id)[0]
    assert when(changed["next_scheduled_run"]) == when(upcoming["created_at"]) + timedelta(days=7)
    emu.advance(6 * DAY)
    assert len(history(emu, schedule_id)) == 1  # the daily runs are gone
    emu.advance(DAY)
    assert len(history(emu, schedule_id)) == 2


def test_runs_respect_the_quota_and_queued_failures(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0, backup_quota=31)
    schedule_id = ok(create(emu, days=30))["schedule_id"]
    emu.fail_next_backups(status="InitializationFailed")
    emu.advance(DAY)
    assert [row["status"] for row in history(emu, schedule_id)] == [
        "Scheduled",
        "InitializationFailed",
    ]
    emu.advance(2 * DAY)  # the project is full: the runs make nothing
    assert len(history(emu, schedule_id)) == 2 and len(emu.backups()) == 31


def test_deleting_an_index_deletes_its_schedules(emu: Emulator) -> None:
    schedule_id = ok(create(emu))["schedule_id"]
    emu.delete_index("docs-example")
    assert_error(call(emu, f"/backup-schedules/{schedule_id}", headers=HEADERS), 404, "NOT_FOUND")
    emu.advance(2 * DAY)
    assert len(emu.backups()) == 30


def test_history_is_paginated(emu: Emulator) -> None:
    schedule_id = emu.backup_schedules("big-index")[0]["schedule_id"]
    page = get(emu, f"/backup-schedules/{schedule_id}/history?limit=10")
    seen = page["data"]
    while page["pagination"] is not None:
        token = quote(page["pagination"]["next"], safe="")
        page = get(emu, f"/backup-schedules/{schedule_id}/history?paginationToken={token}")
        seen += page["data"]
    assert [row["backup_id"] for row in seen] == [b["backup_id"] for b in emu.backups("big-index")]
    assert len(get(emu, f"/backup-schedules/{schedule_id}/history")["data"]) == 25  # default 100


# -- The seeded schedule and add_backup_schedule ------------------------------------------------


def test_the_seeded_schedule_is_big_index_s_and_disabled(emu: Emulator) -> None:
    [schedule] = get(emu, "/indexes/big-index/backup-schedules")["data"]
    assert (schedule["name"], schedule["frequency"], schedule["enabled"]) == (
        "big-index-daily",
        "daily",
        False,
    )
    assert schedule["next_scheduled_run"] is None
    assert schedule["index_id"] == emu.add_index("big-index")
    rows = history(emu, schedule["schedule_id"])
    # The seed's Pending, as 2026-07 names it (its statuses: Initializing, Ready,
    # InitializationFailed).
    assert len(rows) == 25 and rows[0]["status"] == "Initializing"
    assert rows[0]["record_count"] is None and rows[1]["record_count"] == 78_750
    emu.advance(400 * DAY)  # kept ten years; disabled: nothing runs
    assert len(emu.backups()) == 30


def test_add_backup_schedule(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False, backup_seconds=0)
    backup = emu.add_backup("prod", created_at="2020-01-01T00:00:00Z")
    schedule = emu.add_backup_schedule(
        "prod",
        name="weekly",
        frequency="weekly",
        expire_after_days=3650,
        enabled=False,
        schedule_id="sched-1",
        created_at="1999-12-25T00:00:00Z",
        backups=[backup["backup_id"]],
    )
    assert list(schedule) == SCHEDULE_KEYS
    assert (schedule["schedule_id"], schedule["created_at"]) == (
        "sched-1",
        "1999-12-25T00:00:00.000000Z",
    )
    assert [row["backup_id"] for row in history(emu, "sched-1")] == [backup["backup_id"]]
    emu.advance(10 * 366 * DAY)
    assert emu.get_backup(backup["backup_id"]) is None  # over ten years old: expired
    for wrong, error in (
        ({"frequency": "hourly"}, "frequency"),
        ({"expire_after_days": 0}, "expire_after_days"),
        ({"expire_after_days": 3651}, "expire_after_days"),
        ({"name": ""}, "name"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"schedule_id": "sched-1"}, "sched-1"),
        ({"backups": ["nope"]}, "nope"),
    ):
        options: dict[str, Any] = {"name": "n", "enabled": False, **wrong}
        with pytest.raises(ValueError, match=error):
            emu.add_backup_schedule("prod", **options)
    emu.add_backup_schedule("prod", name="on")
    with pytest.raises(ValueError, match="already has an enabled backup schedule"):
        emu.add_backup_schedule("prod", name="second")


# -- Through the client ------------------------------------------------------------------------


def test_schedules_through_the_client(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    with pb.Client(
        api_key=emu.api_key, host=emu.url, api_version="2026-07", max_retries=0
    ) as client:
        schedule = client.create_backup_schedule(
            "docs-example", name="nightly", frequency="daily", expire_after_days=2
        )
        assert isinstance(schedule, pb.BackupSchedule)
        assert (schedule.frequency, schedule.retention_expire_after_days) == ("daily", 2)
        assert schedule.created_at is not None
        assert schedule.next_scheduled_run == schedule.created_at + timedelta(days=1)
        assert client.describe_backup_schedule(schedule.schedule_id) == schedule
        with pytest.raises(pb.AlreadyExistsError):
            client.create_backup_schedule(
                "docs-example", name="twice", frequency="weekly", expire_after_days=1
            )
        emu.advance(3 * DAY)
        rows = list(client.iter_backup_schedule_history(schedule.schedule_id, page_size=1))
        assert [row.status for row in rows] == ["Scheduled", "Ready", "Ready"]
        assert rows[0].scheduled_execution_at == schedule.created_at + timedelta(days=4)
        assert rows[1].created_at == schedule.created_at + timedelta(days=3)
        assert [row.backup_id for row in rows[1:]] == [
            b.backup_id for b in client.list_index_backups("docs-example", limit=2)
        ]
        page = client.list_backup_schedules("docs-example")
        assert [s.schedule_id for s in page] == [schedule.schedule_id]
        assert len(list(client.iter_backup_schedules("big-index"))) == 1
        off = client.update_backup_schedule(schedule.schedule_id, enabled=False)
        assert (off.enabled, off.next_scheduled_run) == (False, None)
        on = client.update_backup_schedule(schedule.schedule_id, enabled=True, frequency="weekly")
        assert on.enabled and on.frequency == "weekly"
        history_page = client.list_backup_schedule_history(schedule.schedule_id)
        assert on.next_scheduled_run is not None
        assert history_page[1].created_at == on.next_scheduled_run - timedelta(days=7)  # at once
        client.delete_backup_schedule(schedule.schedule_id)
        client.delete_backup_schedule(schedule.schedule_id, missing_ok=True)
        with pytest.raises(pb.NotFoundError):
            client.describe_backup_schedule(schedule.schedule_id)
        emu.add_index("legacy", pod=True)
        with pytest.raises(pb.InvalidArgumentError, match="pod-based"):
            client.create_backup_schedule(
                "legacy", name="n", frequency="daily", expire_after_days=1
            )
        emu.plan_includes_schedules = False
        with pytest.raises(pb.PermissionDeniedError) as denied:
            client.create_backup_schedule(
                "my-index", name="n", frequency="daily", expire_after_days=1
            )
        assert denied.value.status == 403


async def test_schedules_through_the_async_client(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    async with pb.AsyncClient(api_key=emu.api_key, host=emu.url, api_version="2026-07") as client:
        schedule = await client.create_backup_schedule(
            "docs-example", name="nightly", frequency="monthly", expire_after_days=90
        )
        emu.advance(32 * DAY)
        rows = [row async for row in client.iter_backup_schedule_history(schedule.schedule_id)]
        assert [row.status for row in rows] == ["Scheduled", "Ready"]
        assert rows[1].name.startswith("nightly-")
