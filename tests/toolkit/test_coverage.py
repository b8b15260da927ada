"""Coverage: ``pb.assess_coverage`` table-driven (verdicts at and around ``max_age``, statuses by
``_status``'s rule, unknown and future ``created_at``, orphaned backups, an index deleted and
created again under its name, schedules, argument errors), then ``Client.coverage`` and
``AsyncClient.coverage`` against the emulator under each API version (the per-index requests each
version needs)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _coverage
from pinecone_backups._native import Index
from pinecone_backups.testing import Emulator

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)


def at(delta: dt.timedelta) -> str:
    """``NOW - delta`` as the server writes it."""
    return (NOW - delta).isoformat().replace("+00:00", "Z")


def index(name: str, state: str = "Ready") -> Index:
    return Index.from_dict(
        {
            "name": name,
            "host": f"{name}-abc.svc.pinecone.io",
            "status": {"ready": state == "Ready", "state": state},
            "spec": {"serverless": {"cloud": "aws", "region": "us-east-1"}},
            "metric": "cosine",
            "dimension": 8,
            "vector_type": "dense",
            "deletion_protection": "disabled",
        }
    )


def backup(
    backup_id: str,
    name: str,
    created_at: object,
    status: str = "Ready",
    *,
    index_id: str | None = None,
    size: int | None = 100,
    **fields: Any,
) -> pb.Backup:
    """A backup of index ``name`` (id ``<name>-id`` unless given); ``created_at`` a
    ``timedelta`` before ``NOW``, or sent as is (``None``: null; ``...``: absent)."""
    data: dict[str, Any] = {
        "backup_id": backup_id,
        "source_index_name": name,
        "source_index_id": index_id or f"{name}-id",
        "status": status,
        "cloud": "aws",
        "region": "us-east-1",
        "size_bytes": size,
        **fields,
    }
    if isinstance(created_at, dt.timedelta):
        data["created_at"] = at(created_at)
    elif created_at is not ...:
        data["created_at"] = created_at
    return pb.Backup.from_dict(data)


def schedule(
    name: str,
    schedule_id: str,
    *,
    enabled: bool = True,
    frequency: str = "daily",
    days: int = 7,
    index_id: str | None = None,
    created_at: str = "2026-11-01T00:00:00Z",
) -> pb.BackupSchedule:
    return pb.BackupSchedule.from_dict(
        {
            "schedule_id": schedule_id,
            "name": f"{name}-{schedule_id}",
            "index_id": index_id or f"{name}-id",
            "project_id": "project",
            "schedule_type": "time-based",
            "frequency": frequency,
            "retention_expire_after_days": days,
            "enabled": enabled,
            "next_scheduled_run": "2026-12-07T00:00:00Z" if enabled else None,
            "created_at": created_at,
        }
    )


def assess(
    indexes: Sequence[str | Index], backups: Sequence[pb.Backup], **options: Any
) -> list[dict[str, Any]]:
    listed = [index(i) if isinstance(i, str) else i for i in indexes]
    return pb.assess_coverage(listed, backups, now=NOW, **options)


def by_index(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["index"]: row for row in rows if row["verdict"] != "orphaned"}


def orphans(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["index"], row["index_id"]): row for row in rows if row["verdict"] == "orphaned"}


# -- Verdicts -----------------------------------------------------------------------------------

# (case, backups of index "a", max_age, verdict, newest Ready id, ready/running/failed/unknown)
VERDICT_CASES: list[tuple[str, list[pb.Backup], Any, str, str | None, tuple[int, ...]]] = [
    ("no backup", [], "26h", "unprotected", None, (0, 0, 0, 0)),
    ("one recent Ready", [backup("r", "a", HOUR)], "26h", "ok", "r", (1, 0, 0, 0)),
    ("Ready exactly max_age old", [backup("r", "a", 26 * HOUR)], "26h", "ok", "r", (1, 0, 0, 0)),
    (
        "Ready a second over",
        [backup("r", "a", 26 * HOUR + dt.timedelta(seconds=1))],
        "26h",
        "stale",
        "r",
        (1, 0, 0, 0),
    ),
    ("Ready 3 days old", [backup("r", "a", 72 * HOUR)], "26h", "stale", "r", (1, 0, 0, 0)),
    ("3 days old, max 7d", [backup("r", "a", 72 * HOUR)], "7d", "ok", "r", (1, 0, 0, 0)),
    (
        "timedelta max_age",
        [backup("r", "a", 72 * HOUR)],
        dt.timedelta(days=2),
        "stale",
        "r",
        (1, 0, 0, 0),
    ),
    (
        "only running and failed",
        [
            backup("p", "a", HOUR, "Pending"),
            backup("i", "a", HOUR, "Initializing"),
            backup("f", "a", HOUR, "Failed"),
            backup("g", "a", HOUR, "InitializationFailed"),
        ],
        "26h",
        "unprotected",
        None,
        (0, 2, 2, 0),
    ),
    (
        "newer running and failed do not make an old Ready recent",
        [
            backup("old", "a", 48 * HOUR),
            backup("p", "a", HOUR, "Pending"),
            backup("f", "a", 2 * HOUR, "Failed"),
        ],
        "26h",
        "stale",
        "old",
        (1, 1, 1, 0),
    ),
    (
        "statuses read exactly: ready and FailoverPending are running",
        [backup("x", "a", HOUR, "ready"), backup("y", "a", HOUR, "FailoverPending")],
        "26h",
        "unprotected",
        None,
        (0, 2, 0, 0),
    ),
    (
        "the newest of several Ready",
        [backup("r1", "a", 30 * HOUR), backup("r2", "a", 2 * HOUR), backup("r3", "a", 50 * HOUR)],
        "26h",
        "ok",
        "r2",
        (3, 0, 0, 0),
    ),
    (
        "two at the same instant: the id sorting first",
        [backup("zz", "a", HOUR), backup("aa", "a", HOUR)],
        "26h",
        "ok",
        "aa",
        (2, 0, 0, 0),
    ),
    ("Ready, created_at null", [backup("n", "a", None)], "26h", "stale", None, (1, 0, 0, 1)),
    ("Ready, created_at absent", [backup("n", "a", ...)], "26h", "stale", None, (1, 0, 0, 1)),
    (
        "Ready, created_at unreadable",
        [backup("n", "a", "yesterday")],
        "26h",
        "stale",
        None,
        (1, 0, 0, 1),
    ),
    (
        "Ready, created_at out of range in UTC",
        [backup("n", "a", "9999-12-31T23:59:59-01:00")],
        "26h",
        "stale",
        None,
        (1, 0, 0, 1),
    ),
    (
        "Ready a day in the future: age unknown",
        [backup("n", "a", -24 * HOUR)],
        "26h",
        "stale",
        None,
        (1, 0, 0, 1),
    ),
    (
        "Ready two minutes ahead (clock skew): age 0",
        [backup("n", "a", -dt.timedelta(minutes=2))],
        "26h",
        "ok",
        "n",
        (1, 0, 0, 0),
    ),
    (
        "an unknown time never makes ok: old known Ready, unreadable one",
        [backup("old", "a", 48 * HOUR), backup("n", "a", "yesterday")],
        "26h",
        "stale",
        "old",
        (2, 0, 0, 1),
    ),
    (
        "a future-dated Ready does not hide a stale index",
        [backup("old", "a", 48 * HOUR), backup("n", "a", "2099-01-01T00:00:00Z")],
        "26h",
        "stale",
        "old",
        (2, 0, 0, 1),
    ),
    (
        "recent known Ready and an unknown one: ok",
        [backup("r", "a", HOUR), backup("n", "a", None)],
        "26h",
        "ok",
        "r",
        (2, 0, 0, 1),
    ),
    (
        "a failed backup with no time counts as failed and unknown",
        [backup("f", "a", None, "Failed")],
        "26h",
        "unprotected",
        None,
        (0, 0, 1, 1),
    ),
]


@pytest.mark.parametrize(
    ("backups", "max_age", "verdict", "newest", "counts"),
    [case[1:] for case in VERDICT_CASES],
    ids=[case[0] for case in VERDICT_CASES],
)
def test_verdicts(
    backups: list[pb.Backup],
    max_age: Any,
    verdict: str,
    newest: str | None,
    counts: tuple[int, ...],
) -> None:
    rows = assess(["a"], backups, max_age=max_age)
    assert len(rows) == 1  # no orphan
    (row,) = rows
    assert (row["index"], row["verdict"], row["newest_ready_id"]) == ("a", verdict, newest)
    assert (row["ready"], row["running"], row["failed"], row["unknown_time"]) == counts
    assert row["backups"] == len(backups)
    assert row["index_id"] == ("a-id" if backups else None)
    if newest is None:
        assert row["newest_ready_at"] is None and row["age_seconds"] is None
    else:
        chosen = next(b for b in backups if b.backup_id == newest)
        assert row["newest_ready_at"] == chosen.created_at
        assert row["newest_ready_at"].tzinfo == dt.timezone.utc
        assert row["age_seconds"] == max(0, int((NOW - chosen.created_at).total_seconds()))


REASONS = [
    ([backup("r", "a", HOUR)], "newest Ready backup 1h old (max age 26h)"),
    (
        [backup("r", "a", 50 * HOUR + dt.timedelta(minutes=7))],
        "newest Ready backup 2d 2h old, over the max age 26h",
    ),
    ([], "no Ready backup"),
    ([backup("p", "a", HOUR, "Pending")], "no Ready backup (1 running)"),
    (
        [backup("n", "a", None), backup("m", "a", "yesterday")],
        "no Ready backup of known age; 2 Ready backups of unknown age not counted (created_at "
        "null, 'yesterday')",
    ),
    (
        [backup("n", "a", -48 * HOUR)],
        "no Ready backup of known age; 1 Ready backup of unknown age not counted (created_at "
        "2026-12-08 12:00:00 UTC, in the future)",
    ),
]


@pytest.mark.parametrize(("backups", "reason"), REASONS)
def test_reasons(backups: list[pb.Backup], reason: str) -> None:
    (row,) = assess(["a"], backups)
    assert row["reason"] == reason


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (725, "12m 5s"),
        (3600, "1h"),
        (12_000, "3h 20m"),
        (86_400, "1d"),
        (187_200, "2d 4h"),
        (187_259, "2d 4h"),
        (90_061, "1d 1h"),
    ],
)
def test_age_text(seconds: int | None, text: str) -> None:
    assert _coverage.age_text(seconds) == text


# -- Rows: keys, order, sizes, orphans -----------------------------------------------------------


def test_rows_have_exactly_the_keys_in_order_indexes_first_then_orphans() -> None:
    rows = assess(
        ["b", "a", "c"],
        [
            backup("a1", "a", HOUR, size=10),
            backup("a2", "a", 2 * HOUR, size=None),
            backup("z1", "zz", 100 * HOUR, size=1000),
            backup("y1", "gone", 5 * HOUR, size=1, index_id="g2"),
            backup("y2", "gone", 6 * HOUR, size=2, index_id="g1"),
        ],
    )
    assert all(tuple(row) == _coverage.KEYS for row in rows)
    assert [(row["index"], row["verdict"]) for row in rows] == [
        ("a", "ok"),
        ("b", "unprotected"),
        ("c", "unprotected"),
        ("gone", "orphaned"),
        ("gone", "orphaned"),
        ("zz", "orphaned"),
    ]
    assert [row["index_id"] for row in rows[3:]] == ["g1", "g2", "zz-id"]
    assert rows[0]["size_bytes"] == 10  # a size not stated counts as nothing
    assert rows[1]["size_bytes"] == 0


def test_orphaned_rows_have_count_size_newest_and_no_schedule() -> None:
    rows = assess(
        ["a"],
        [
            backup("a1", "a", HOUR),
            backup("o1", "old", 100 * HOUR, size=1_000_000),
            backup("o2", "old", 50 * HOUR, size=2_000_000),
            backup("o3", "old", 10 * HOUR, "Failed", size=None),
            backup("o4", "old", None, size=5),
        ],
        schedules={"a": [schedule("a", "s1")]},
    )
    orphan = orphans(rows)[("old", "old-id")]
    assert orphan["backups"] == 4
    assert (orphan["ready"], orphan["running"], orphan["failed"]) == (3, 0, 1)
    assert orphan["unknown_time"] == 1
    assert orphan["size_bytes"] == 3_000_005
    assert orphan["newest_ready_id"] == "o2"
    assert orphan["age_seconds"] == 50 * 3600
    assert orphan["index_state"] is None
    assert orphan["schedule"] is None and orphan["schedule_id"] is None
    assert orphan["index_deleted_at"] is None
    assert orphan["reason"] == "no index named 'old' exists: 4 backups, 2.9 MiB (3,000,005 bytes)"
    assert by_index(rows)["a"]["verdict"] == "ok"


def test_an_orphaned_index_says_when_it_was_deleted_when_the_api_does() -> None:
    deleted = "2026-12-01T10:00:00Z"
    rows = assess(
        [],
        [
            backup("o1", "old", 100 * HOUR, source_index_deleted_at=deleted),
            backup("o2", "old", 120 * HOUR, source_index_deleted_at=deleted),
        ],
    )
    (orphan,) = rows
    assert orphan["index_deleted_at"] == dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone.utc)
    assert orphan["reason"].startswith(
        "index deleted at 2026-12-01 10:00:00 UTC; no index named 'old' exists: 2 backups"
    )


def test_a_backup_listed_twice_counts_once() -> None:
    twice = backup("r", "a", HOUR, size=7)
    (row,) = assess(["a"], [twice, twice, backup("r", "a", HOUR, size=7)])
    assert (row["backups"], row["ready"], row["size_bytes"]) == (1, 1, 7)


def test_the_index_state_is_shown_and_does_not_change_the_verdict() -> None:
    rows = assess([index("new", "Initializing"), index("a", "Terminating")], [])
    assert {r["index"]: (r["index_state"], r["verdict"]) for r in rows} == {
        "new": ("Initializing", "unprotected"),
        "a": ("Terminating", "unprotected"),
    }


def test_no_index_and_no_backup_is_no_row() -> None:
    assert pb.assess_coverage([], [], now=NOW) == []


# -- An index deleted and created again under its name ------------------------------------------

OLD, NEW = "id-old", "id-new"


def recreated(*extra: pb.Backup, **fields: Any) -> list[pb.Backup]:
    """Backups of the index ``prod`` before it was deleted (recent and Ready) and ``extra``."""
    return [
        backup("old1", "prod", HOUR, index_id=OLD, **fields),
        backup("old2", "prod", 30 * HOUR, index_id=OLD, **fields),
        *extra,
    ]


# (case, backups, assess options, verdict of prod, newest, orphaned ids)
RECREATED_CASES: list[tuple[str, list[pb.Backup], dict[str, Any], str, str | None, list[str]]] = [
    (
        "index_ids: the new index has no backup",
        recreated(),
        {"index_ids": {"prod": None}},
        "unprotected",
        None,
        [OLD],
    ),
    (
        "index_ids: the new index has an old backup",
        recreated(backup("new1", "prod", 40 * HOUR, index_id=NEW)),
        {"index_ids": {"prod": NEW}},
        "stale",
        "new1",
        [OLD],
    ),
    (
        "index_ids: the new index has a recent backup",
        recreated(backup("new1", "prod", 2 * HOUR, index_id=NEW)),
        {"index_ids": {"prod": NEW}},
        "ok",
        "new1",
        [OLD],
    ),
    (
        "API 2026-04 on: source_index_deleted_at says the old one is gone",
        recreated(source_index_deleted_at="2026-12-06T11:30:00Z"),
        {},
        "unprotected",
        None,
        [OLD],
    ),
    (
        "source_index_deleted_at, and a backup of the new one",
        recreated(
            backup("new1", "prod", 3 * HOUR, index_id=NEW),
            source_index_deleted_at="2026-12-06T11:30:00Z",
        ),
        {},
        "ok",
        "new1",
        [OLD],
    ),
    (
        "a schedule's index_id tells which is the index",
        recreated(backup("new1", "prod", 40 * HOUR, index_id=NEW)),
        {"schedules": {"prod": [schedule("prod", "s1", index_id=NEW)]}},
        "stale",
        "new1",
        [OLD],
    ),
    (
        "index_ids win over a schedule",
        recreated(backup("new1", "prod", 40 * HOUR, index_id=NEW)),
        {"index_ids": {"prod": OLD}, "schedules": {"prod": [schedule("prod", "s", index_id=NEW)]}},
        "ok",
        "old1",
        [NEW],
    ),
    (
        "two ids and nothing to tell: none counts",
        recreated(backup("new1", "prod", 2 * HOUR, index_id=NEW)),
        {},
        "unprotected",
        None,
        [NEW, OLD],
    ),
]


@pytest.mark.parametrize(
    ("backups", "options", "verdict", "newest", "orphaned"),
    [case[1:] for case in RECREATED_CASES],
    ids=[case[0] for case in RECREATED_CASES],
)
def test_an_index_created_again_is_covered_only_by_its_own_backups(
    backups: list[pb.Backup],
    options: dict[str, Any],
    verdict: str,
    newest: str | None,
    orphaned: list[str],
) -> None:
    rows = assess(["prod"], backups, **options)
    prod = by_index(rows)["prod"]
    assert (prod["verdict"], prod["newest_ready_id"]) == (verdict, newest)
    assert sorted(index_id for _, index_id in orphans(rows)) == orphaned
    counted = prod["backups"] + sum(row["backups"] for row in orphans(rows).values())
    assert counted == len(backups)  # every backup in exactly one row


def test_reasons_of_an_index_created_again() -> None:
    rows = assess(
        ["prod"],
        recreated(backup("new1", "prod", 2 * HOUR, index_id=NEW)),
        index_ids={"prod": NEW},
    )
    assert by_index(rows)["prod"]["reason"] == (
        "newest Ready backup 2h old (max age 26h); 2 backups of an earlier index named 'prod' "
        "not counted (listed as orphaned)"
    )
    assert orphans(rows)[("prod", OLD)]["reason"] == (
        "the index named 'prod' now is another one (id id-new): 2 backups, 200 B (200 bytes)"
    )
    ambiguous = assess(["prod"], recreated(backup("new1", "prod", 2 * HOUR, index_id=NEW)))
    assert by_index(ambiguous)["prod"]["reason"] == (
        "no Ready backup; its name is on the backups of 2 index ids (id-new, id-old) and which "
        "is this index is not known: none counted (they are listed as orphaned)"
    )
    assert orphans(ambiguous)[("prod", NEW)]["reason"].startswith(
        "which index named 'prod' had id id-new is not known: 1 backup"
    )


# -- Schedules ----------------------------------------------------------------------------------

# (case, schedules option, expected (schedule, id, frequency, days, next run))
SCHEDULE_CASES: list[tuple[str, Mapping[str, Any] | None, tuple[Any, ...]]] = [
    ("the API has none", None, ("n/a", None, None, None, None)),
    ("could not be read", {"a": None}, ("n/a", None, None, None, None)),
    ("none for this index", {"other": [schedule("other", "s")]}, ("none", None, None, None, None)),
    ("an empty list", {"a": []}, ("none", None, None, None, None)),
    (
        "one enabled",
        {"a": [schedule("a", "s1", frequency="weekly", days=30)]},
        ("enabled", "s1", "weekly", 30, dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)),
    ),
    (
        "the enabled one before a newer disabled one",
        {
            "a": [
                schedule("a", "off", enabled=False, created_at="2026-12-01T00:00:00Z"),
                schedule("a", "on", created_at="2026-01-01T00:00:00Z"),
            ]
        },
        ("enabled", "on", "daily", 7, dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)),
    ),
    (
        "only disabled: the newest",
        {
            "a": [
                schedule("a", "old", enabled=False, created_at="2026-01-01T00:00:00Z"),
                schedule(
                    "a",
                    "new",
                    enabled=False,
                    frequency="monthly",
                    created_at="2026-06-01T00:00:00Z",
                ),
            ]
        },
        ("disabled", "new", "monthly", 7, None),
    ),
]


@pytest.mark.parametrize(
    ("schedules", "expected"),
    [case[1:] for case in SCHEDULE_CASES],
    ids=[case[0] for case in SCHEDULE_CASES],
)
def test_schedules(schedules: Mapping[str, Any] | None, expected: tuple[Any, ...]) -> None:
    (row,) = (r for r in assess(["a"], [], schedules=schedules) if r["index"] == "a")
    keys = ("schedule", "schedule_id", "schedule_frequency", "schedule_expire_after_days")
    assert (*(row[key] for key in keys), row["schedule_next_run"]) == expected
    assert row["verdict"] == "unprotected"  # a schedule is no backup


# -- Arguments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"max_age": "0h"}, pb.ValidationError, "it must be more than 0"),
        ({"max_age": "1y"}, pb.ValidationError, "years and months"),
        ({"max_age": "soon"}, pb.ValidationError, "expected a duration"),
        ({"max_age": dt.timedelta(0)}, pb.ValidationError, "max_age must be a timedelta > 0"),
        ({"max_age": dt.timedelta(hours=-1)}, pb.ValidationError, "max_age must be"),
        ({"max_age": 26}, pb.ArgumentTypeError, "max_age must be"),
        ({"now": dt.datetime(2026, 1, 1)}, pb.ValidationError, "now must be a timezone-aware"),
        ({"now": "2026-01-01"}, pb.ArgumentTypeError, "now must be"),
        ({"schedules": [1]}, pb.ArgumentTypeError, "schedules must be a mapping"),
        ({"schedules": {"a": [1]}}, pb.ArgumentTypeError, "schedules must be BackupSchedule"),
        ({"index_ids": ["a"]}, pb.ArgumentTypeError, "index_ids must be a mapping"),
    ],
)
def test_bad_arguments(options: dict[str, Any], error: type[Exception], message: str) -> None:
    arguments = {"now": NOW, **options}
    with pytest.raises(error, match=message) as raised:
        pb.assess_coverage([index("a")], [], **arguments)
    param = next(iter(options))
    assert raised.value.param == param  # type: ignore[attr-defined]


def test_bad_collections() -> None:
    with pytest.raises(pb.ArgumentTypeError, match="indexes must be Index objects"):
        pb.assess_coverage(["a"], [], now=NOW)  # type: ignore[list-item]
    with pytest.raises(pb.ArgumentTypeError, match="indexes must be a collection"):
        pb.assess_coverage("a", [], now=NOW)  # type: ignore[arg-type]
    with pytest.raises(pb.ArgumentTypeError, match="backups must be Backup objects"):
        pb.assess_coverage([], [{"backup_id": "x"}], now=NOW)  # type: ignore[list-item]


def test_now_defaults_to_the_current_time_and_any_zone_is_read() -> None:
    recent = pb.Backup.from_dict(
        {
            "backup_id": "r",
            "source_index_name": "a",
            "source_index_id": "a-id",
            "status": "Ready",
            "cloud": "aws",
            "region": "us-east-1",
            "created_at": (dt.datetime.now(dt.timezone.utc) - HOUR).isoformat(),
        }
    )
    (row,) = pb.assess_coverage([index("a")], [recent])
    assert row["verdict"] == "ok"
    assert 3590 <= row["age_seconds"] <= 3700
    berlin = dt.timezone(dt.timedelta(hours=1))
    (row,) = pb.assess_coverage([index("a")], [recent], now=NOW.astimezone(berlin))
    assert row["verdict"] == "stale"


def test_the_package_exports_it() -> None:
    assert "assess_coverage" in pb.__all__
    assert pb.assess_coverage is _coverage.assess_coverage
    assert asyncio.iscoroutinefunction(_coverage._coverage_async)


# -- Client.coverage, AsyncClient.coverage, pb.coverage against the emulator -----------------------

KEY = "pcsk_coverage_0123456789"
VERSIONS = ("2025-10", "2026-04", "2026-07")


def ago(**delta: float) -> str:
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(**delta)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seeded(emulators: Callable[..., Emulator]) -> Emulator:
    """``ok`` (a backup an hour old), ``stale`` (two days), ``bare`` (none), ``prod`` deleted
    and created again (its old backups recent, its new one 30 hours old), ``gone`` deleted,
    and a schedule of ``ok``."""
    emu: Emulator = emulators(api_key=KEY, seed=False)
    emu.add_backup("ok", created_at=ago(hours=1))
    emu.add_backup("stale", created_at=ago(days=2))
    emu.add_index("bare")
    emu.add_backup("prod", created_at=ago(minutes=10))
    emu.delete_index("prod")
    emu.add_backup("prod", created_at=ago(hours=30))
    emu.add_backup("gone", created_at=ago(days=9), size_bytes=512)
    emu.delete_index("gone")
    emu.add_backup_schedule("ok", name="ok-daily")
    return emu


EXPECTED = [
    ("bare", "unprotected"),
    ("ok", "ok"),
    ("prod", "stale"),
    ("stale", "stale"),
    ("gone", "orphaned"),
    ("prod", "orphaned"),
]


def summary(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["index"], row["verdict"]) for row in rows]


@pytest.mark.parametrize("version", VERSIONS)
def test_client_coverage_under_each_version(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = seeded(emulators)
    with pb.Client(api_key=KEY, host=emu.url, api_version=version, max_retries=0) as client:
        rows = client.coverage()
        assert summary(rows) == EXPECTED
        schedules = {row["index"]: row["schedule"] for row in rows[:4]}
        if version == "2026-07":
            assert schedules == {"bare": "none", "ok": "enabled", "prod": "none", "stale": "none"}
        else:
            assert set(schedules.values()) == {"n/a"}
        assert summary(client.coverage(max_age="3d")) == [
            ("bare", "unprotected"),
            ("ok", "ok"),
            ("prod", "ok"),
            ("stale", "ok"),
            *EXPECTED[4:],
        ]
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
        assert {row["verdict"] for row in client.coverage(now=later)[:4]} == {
            "stale",
            "unprotected",
        }


@pytest.mark.parametrize("version", VERSIONS)
async def test_async_coverage_gives_the_same_rows(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = seeded(emulators)
    now = dt.datetime.now(dt.timezone.utc)
    with pb.Client(api_key=KEY, host=emu.url, api_version=version) as client:
        rows = client.coverage(now=now)
    async with pb.AsyncClient(api_key=KEY, host=emu.url, api_version=version) as aclient:
        assert await aclient.coverage(now=now) == rows
        with pytest.raises(pb.ValidationError, match="more than 0") as raised:
            _ = aclient.coverage(max_age="0s")  # checked when called, nothing sent
        assert raised.value.param == "max_age"
        with pytest.raises(pb.ValidationError, match="concurrency"):
            _ = aclient.coverage(concurrency=0)


def test_the_module_level_function_uses_the_default_client(
    emulators: Callable[..., Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = seeded(emulators)
    monkeypatch.setenv("PINECONE_API_KEY", KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emu.url)
    monkeypatch.setenv("PINECONE_API_VERSION", "2026-07")
    assert summary(pb.coverage()) == EXPECTED


def test_bad_arguments_send_nothing(emulators: Callable[..., Emulator]) -> None:
    emu = seeded(emulators)
    with pb.Client(api_key=KEY, host=emu.url) as client:
        with pytest.raises(pb.ValidationError, match="years and months") as raised:
            client.coverage(max_age="1y")
        assert raised.value.param == "max_age"
        with pytest.raises(pb.ArgumentTypeError, match="now"):
            client.coverage(now="today")  # type: ignore[arg-type]
        with pytest.raises(pb.ValidationError, match="concurrency"):
            client.coverage(concurrency=65)
    assert emu.requests == []


def test_schedules_that_cannot_be_read_are_n_a(emulators: Callable[..., Emulator]) -> None:
    """A 403 (a plan without schedules) or a 404 (the index deleted meanwhile) on an index's
    schedules: ``n/a`` for that index; the rest goes on."""
    from pinecone_backups.testing._records import Exchange

    emu = seeded(emulators)

    def after_the_walk(exchange: Exchange) -> None:
        if exchange.request.path == "/backups":  # the next two: the first two indexes'
            emu.fail_next(403, "PERMISSION_DENIED")
            emu.fail_next(404, "NOT_FOUND")

    emu.add_observer(after_the_walk)
    with pb.Client(api_key=KEY, host=emu.url, api_version="2026-07", max_retries=0) as client:
        rows = client.coverage(concurrency=1)
    emu.remove_observer(after_the_walk)
    assert not emu.observer_errors
    # asked in the order list_indexes gives: ok, stale, bare, prod
    assert {row["index"]: row["schedule"] for row in rows[:4]} == {
        "ok": "n/a",
        "stale": "n/a",
        "bare": "none",
        "prod": "none",
    }
    assert summary(rows) == EXPECTED


def test_per_index_requests_run_concurrency_at_a_time(
    emulators: Callable[..., Emulator],
) -> None:
    emu: Emulator = emulators(api_key=KEY, seed=False, latency=0.2)
    for number in range(8):
        emu.add_index(f"index-{number}")
    with pb.Client(api_key=KEY, host=emu.url, api_version="2026-07") as client:
        started = time.monotonic()
        rows = client.coverage(concurrency=4)
        elapsed = time.monotonic() - started
    assert len(rows) == 8
    # list_indexes and the walk, then 8 schedule listings 4 at a time: 4 rounds of 0.2 s
    assert 0.75 < elapsed < 2.5, elapsed
    received = sorted(r.received_at for r in emu.requests if r.path.endswith("backup-schedules"))
    assert received[3] - received[0] < 0.15  # the first four together
    assert received[4] - received[0] > 0.15  # the fifth after one of them ended


def test_ctrl_c_ends_client_coverage_at_once(emulators: Callable[..., Emulator]) -> None:
    """Ctrl-C during the per-index requests: KeyboardInterrupt at once, and no request starts
    after it."""
    import os
    import signal
    import threading

    emu: Emulator = emulators(api_key=KEY, seed=False, latency=0.3)
    for number in range(40):
        emu.add_index(f"index-{number}")
    with pb.Client(api_key=KEY, host=emu.url, api_version="2026-07") as client:
        timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
        started = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client.coverage(concurrency=4)
        interrupted_at = started + 1.0
        assert time.monotonic() - started < 2.0
        time.sleep(0.6)
    late = [r for r in emu.requests if r.received_at > interrupted_at + 0.1]
    assert not late, f"{len(late)} requests after Ctrl-C"
    assert len([r for r in emu.requests if r.path.endswith("backup-schedules")]) < 40


async def test_cancelling_async_coverage_cancels_its_requests(
    emulators: Callable[..., Emulator],
) -> None:
    emu: Emulator = emulators(api_key=KEY, seed=False, latency=0.3)
    for number in range(20):
        emu.add_index(f"index-{number}")
    async with pb.AsyncClient(api_key=KEY, host=emu.url, api_version="2026-07") as aclient:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(aclient.coverage(concurrency=2), timeout=1.0)
        cancelled_at = time.monotonic()
        assert cancelled_at - started < 1.5
        await asyncio.sleep(0.6)
    late = [r for r in emu.requests if r.received_at > cancelled_at + 0.1]
    assert not late, f"{len(late)} requests after the cancel"


def test_an_orphan_whose_name_an_index_has_never_says_no_index_has_it() -> None:
    rows = assess(
        ["prod"],
        [
            *recreated(
                backup("new1", "prod", 2 * HOUR, index_id=NEW),
                backup("older", "prod", 90 * HOUR, index_id="id-oldest"),
            ),
            backup(
                "gone",
                "prod",
                200 * HOUR,
                index_id="id-deleted",
                source_index_deleted_at="2026-11-20T00:00:00Z",
            ),
        ],
    )
    assert by_index(rows)["prod"]["verdict"] == "unprotected"  # three ids, nothing tells
    reasons = {index_id: row["reason"] for (_, index_id), row in orphans(rows).items()}
    assert sorted(reasons) == ["id-deleted", NEW, OLD, "id-oldest"]
    assert all("no index named" not in reason for reason in reasons.values())
    assert reasons["id-deleted"].startswith(
        "index deleted at 2026-11-20 00:00:00 UTC; the index named 'prod' now is another one: "
    )
