"""Calendar retention in ``pb.plan_prune``: ``keep_daily``, ``keep_weekly``, ``keep_monthly``,
``keep_yearly`` (in UTC or ``tz``), ``keep_within``, ``keep_tags``, with ``keep_last``, the
filters and the rails; durations (``_durations``); and the README's worked example, read from
the README itself and planned again, so that the README cannot drift from the code.

The table-driven cases were worked out by hand (the comments say how); the plans must match
them exactly, reasons included."""

from __future__ import annotations

import datetime as dt
import re
import sys
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups import _durations, _prune
from tests.helpers import ROOT

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)


def at(text: str) -> dt.datetime:
    """``"2026-12-05 15:00"`` (or with seconds), in UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def backup(
    backup_id: str,
    created: str | None,
    status: str = "Ready",
    *,
    index: str = "idx",
    index_id: str | None = None,
    tags: dict[str, str] | None = None,
) -> pb.Backup:
    return pb.Backup(
        backup_id=backup_id,
        source_index_name=index,
        source_index_id=index_id or f"id-{index}",
        status=status,
        cloud="aws",
        region="us-east-1",
        tags=tags,
        created_at=None if created is None else at(created),
    )


def outcome(plan: pb.PrunePlan) -> dict[str, str]:
    """backup id -> ``"delete: <reason>"`` or its reason of keeping."""
    return {
        **{b.backup_id: f"delete: {why}" for b, why in plan.delete},
        **{b.backup_id: why for b, why in plan.keep},
    }


# --- Table-driven cases, worked out by hand ---------------------------------------------------

CASES: list[tuple[str, list[pb.Backup], dict[str, Any], dict[str, str]]] = [
    (
        # 2026 starts on a Thursday, so ISO 2026 has 53 weeks: 2026-W53 runs from Monday
        # 2026-12-28 to Sunday 2027-01-03, and 2027-W01 starts on Monday 2027-01-04. Weeks
        # keep their ISO year (2027-01-01 is in 2026-W53); months and years are the calendar's.
        "ISO week 2026-W53 across the new year",
        [
            backup("w52", "2026-12-27 12:00"),  # Sunday: 2026-W52
            backup("mon", "2026-12-28 12:00"),  # 2026-W53
            backup("dec31", "2026-12-31 12:00"),  # 2026-W53
            backup("jan1", "2027-01-01 12:00"),  # 2026-W53
            backup("jan3", "2027-01-03 12:00"),  # Sunday: the newest of 2026-W53
            backup("jan4", "2027-01-04 12:00"),  # 2027-W01
        ],
        # planned the day after (a backup dated after now is of unknown age)
        {
            "keep_weekly": 3,
            "keep_monthly": 2,
            "keep_yearly": 5,
            "now": dt.datetime(2027, 1, 5, tzinfo=UTC),
        },
        {
            "jan4": "weekly 2027-W01; monthly 2027-01; yearly 2027",
            "jan3": "weekly 2026-W53",
            "jan1": "delete: kept by no bucket (weekly 3, monthly 2, yearly 5)",
            "dec31": "monthly 2026-12; yearly 2026",
            "mon": "delete: kept by no bucket (weekly 3, monthly 2, yearly 5)",
            "w52": "weekly 2026-W52",
        },
    ),
    (
        # 2020 is a leap year starting on a Wednesday: 53 ISO weeks, 2020-W53 from Monday
        # 2020-12-28 to Sunday 2021-01-03. Monday 2019-12-30 is in 2020-W01 (ISO year 2020)
        # but in the calendar year 2019: yearly 2019 keeps it, weekly 2020-W01 keeps it too.
        "ISO week 2020-W53 and 2020-W01 starting in 2019",
        [
            backup("d1229", "2019-12-29 08:00"),  # Sunday: 2019-W52
            backup("d1230", "2019-12-30 08:00"),  # 2020-W01
            backup("d1231", "2020-12-31 08:00"),  # Thursday: 2020-W53
            backup("d0102", "2021-01-02 08:00"),  # Saturday: 2020-W53
            backup("d0104", "2021-01-04 08:00"),  # Monday: 2021-W01
        ],
        {"keep_weekly": 10, "keep_yearly": 3},
        {
            "d0104": "weekly 2021-W01; yearly 2021",
            "d0102": "weekly 2020-W53",
            "d1231": "yearly 2020",
            "d1230": "weekly 2020-W01; yearly 2019",
            "d1229": "weekly 2019-W52",
        },
    ),
    (
        # Month ends in UTC: 2026-02-28 23:59:59 is February's last backup, 03-01 00:00 March's.
        "month ends in UTC",
        [
            backup("jan31", "2026-01-31 23:30"),
            backup("feb1", "2026-02-01 00:30"),
            backup("feb28", "2026-02-28 23:59:59"),
            backup("mar1", "2026-03-01 00:00"),
        ],
        {"keep_monthly": 3},
        {
            "mar1": "monthly 2026-03",
            "feb28": "monthly 2026-02",
            "feb1": "delete: kept by no bucket (monthly 3)",
            "jan31": "monthly 2026-01",
        },
    ),
    (
        # The same four in New York (UTC-5 in winter): mar1 is 2026-02-28 19:00, feb28 18:59,
        # feb1 2026-01-31 19:30, jan31 18:30. Two months have a backup, so keep_monthly 3
        # keeps two: February's newest (mar1) and January's (feb1).
        "month ends in America/New_York",
        [
            backup("jan31", "2026-01-31 23:30"),
            backup("feb1", "2026-02-01 00:30"),
            backup("feb28", "2026-02-28 23:59:59"),
            backup("mar1", "2026-03-01 00:00"),
        ],
        {"keep_monthly": 3, "tz": "America/New_York"},
        {
            "mar1": "monthly 2026-02",
            "feb28": "delete: kept by no bucket (monthly 3)",
            "feb1": "monthly 2026-01",
            "jan31": "delete: kept by no bucket (monthly 3)",
        },
    ),
    (
        # Berlin springs forward on 2026-03-29 at 01:00 UTC (CET +1 -> CEST +2). In Berlin:
        # d28 is 03-28 23:59, a is 03-29 00:30 (CET), b is 03-29 23:59 (CEST), c is 03-30
        # 00:00. Days 03-30, 03-29 (newest b) and 03-28 are kept; a is not.
        "spring DST change in Europe/Berlin",
        [
            backup("d28", "2026-03-28 22:59"),
            backup("a", "2026-03-28 23:30"),
            backup("b", "2026-03-29 21:59"),
            backup("c", "2026-03-29 22:00"),
        ],
        {"keep_daily": 3, "tz": "Europe/Berlin"},
        {
            "c": "daily 2026-03-30",
            "b": "daily 2026-03-29",
            "a": "delete: kept by no bucket (daily 3)",
            "d28": "daily 2026-03-28",
        },
    ),
    (
        # The same four in UTC: days 03-29 (c, b) and 03-28 (a, d28); the newest of each stays.
        "the same backups in UTC fall on other days",
        [
            backup("d28", "2026-03-28 22:59"),
            backup("a", "2026-03-28 23:30"),
            backup("b", "2026-03-29 21:59"),
            backup("c", "2026-03-29 22:00"),
        ],
        {"keep_daily": 3},
        {
            "c": "daily 2026-03-29",
            "b": "delete: kept by no bucket (daily 3)",
            "a": "daily 2026-03-28",
            "d28": "delete: kept by no bucket (daily 3)",
        },
    ),
    (
        # Berlin falls back on 2026-10-25 at 01:00 UTC: 02:30 happens twice (first at 00:30
        # UTC in CEST, then at 01:30 UTC in CET), both on 10-25; 22:59 UTC is 23:59 CET, the
        # day's last minute, and 23:00 UTC is 10-26 00:00.
        "autumn DST change in Europe/Berlin",
        [
            backup("first", "2026-10-25 00:30"),
            backup("second", "2026-10-25 01:30"),
            backup("late", "2026-10-25 22:59"),
            backup("next", "2026-10-25 23:00"),
        ],
        {"keep_daily": 2, "tz": "Europe/Berlin"},
        {
            "next": "daily 2026-10-26",
            "late": "daily 2026-10-25",
            "second": "delete: kept by no bucket (daily 2)",
            "first": "delete: kept by no bucket (daily 2)",
        },
    ),
    (
        # New York springs forward on 2026-03-08 (07:00 UTC) and the week starts on Monday
        # 03-09 at 04:00 UTC (EDT, -4): sun is still in 2026-W10, mon in 2026-W11. In UTC both
        # are in 2026-W11, and only mon stays.
        "a week boundary on a DST change in America/New_York",
        [
            backup("sun", "2026-03-09 03:59"),  # Sunday 03-08 23:59 EDT
            backup("mon", "2026-03-09 04:00"),  # Monday 03-09 00:00 EDT
        ],
        {"keep_weekly": 2, "tz": "America/New_York"},
        {"mon": "weekly 2026-W11", "sun": "weekly 2026-W10"},
    ),
    (
        "the same week boundary in UTC",
        [backup("sun", "2026-03-09 03:59"), backup("mon", "2026-03-09 04:00")],
        {"keep_weekly": 2},
        {"mon": "weekly 2026-W11", "sun": "delete: kept by no bucket (weekly 2)"},
    ),
    (
        # A tz east of UTC moves a late backup to the next day: 2026-12-05 23:30 UTC is
        # 12-06 08:30 in Tokyo, so the two backups are on different days there.
        "tz moves a backup to the next day",
        [backup("early", "2026-12-05 01:00"), backup("late", "2026-12-05 23:30")],
        {"keep_daily": 5, "tz": "Asia/Tokyo"},
        {"late": "daily 2026-12-06", "early": "daily 2026-12-05"},
    ),
    (
        "the same two in UTC are one day",
        [backup("early", "2026-12-05 01:00"), backup("late", "2026-12-05 23:30")],
        {"keep_daily": 5},
        {"late": "daily 2026-12-05", "early": "delete: kept by no bucket (daily 5)"},
    ),
    (
        # Two Ready backups created at the same instant: the one whose id sorts first is the
        # newer, as in the plan's order (and for keep_last and the newest-Ready rail).
        "a tie in created_at goes to the smaller backup_id",
        [
            backup("b-tie", "2026-12-05 03:00"),
            backup("a-tie", "2026-12-05 03:00"),
            backup("older", "2026-12-04 03:00"),
        ],
        {"keep_daily": 1, "keep_last": 1},
        {
            "a-tie": "the newest Ready backup of its index (keep last 1); daily 2026-12-05",
            "b-tie": "delete: not the newest Ready backup of its index (keep last 1); "
            "kept by no bucket (daily 1)",
            "older": "delete: not the newest Ready backup of its index (keep last 1); "
            "kept by no bucket (daily 1)",
        },
    ),
    (
        # A day whose backups are not Ready is no bucket: 12-05 (Failed, Pending) does not
        # count, so keep_daily 2 keeps 12-04 and 12-03. Pending is kept by its rail.
        "only Ready backups fill buckets",
        [
            backup("failed", "2026-12-05 03:00", "Failed"),
            backup("pending", "2026-12-05 09:00", "Pending"),
            backup("r4", "2026-12-04 03:00"),
            backup("r3", "2026-12-03 03:00"),
            backup("r2", "2026-12-02 03:00"),
        ],
        {"keep_daily": 2},
        {
            "pending": "safety: status Pending is not final (select it with statuses to delete it)",
            "failed": "delete: not Ready: fills no bucket (daily 2)",
            "r4": "daily 2026-12-04",
            "r3": "daily 2026-12-03",
            "r2": "delete: kept by no bucket (daily 2)",
        },
    ),
    (
        # Each index has its own buckets; an index deleted and created again under its name
        # (another source_index_id) is another index: old-1 is kept as its newest day.
        "per index, an index being its name and id",
        [
            backup("a-1", "2026-12-05 03:00", index="a"),
            backup("a-2", "2026-12-04 03:00", index="a"),
            backup("b-1", "2026-12-03 03:00", index="b"),
            backup("b-2", "2026-12-02 03:00", index="b"),
            backup("new-1", "2026-12-05 04:00", index="c", index_id="c-new"),
            backup("old-1", "2026-11-20 04:00", index="c", index_id="c-old"),
            backup("old-2", "2026-11-19 04:00", index="c", index_id="c-old"),
        ],
        {"keep_daily": 1},
        {
            "a-1": "daily 2026-12-05",
            "a-2": "delete: kept by no bucket (daily 1)",
            "b-1": "daily 2026-12-03",
            "b-2": "delete: kept by no bucket (daily 1)",
            "new-1": "daily 2026-12-05",
            "old-1": "daily 2026-11-20",
            "old-2": "delete: kept by no bucket (daily 1)",
        },
    ),
    (
        # More buckets asked for than there are: every bucket; N = 0: none (the newest Ready
        # backup is still kept by its rail).
        "N beyond the buckets, and N = 0",
        [backup("r2", "2026-12-02 03:00"), backup("r1", "2026-12-01 03:00")],
        {"keep_daily": 0, "keep_monthly": 99},
        {"r2": "monthly 2026-12", "r1": "delete: kept by no bucket (daily 0, monthly 99)"},
    ),
    (
        "N = 0 alone keeps nothing but what the rails keep",
        [backup("r2", "2026-12-02 03:00"), backup("r1", "2026-12-01 03:00")],
        {"keep_yearly": 0},
        {
            "r2": "safety: newest Ready backup of index 'idx' (allow_empty=True lifts this)",
            "r1": "delete: kept by no bucket (yearly 0)",
        },
    ),
    (
        # now is 2026-12-06 12:00: 7d reaches back to 11-29 12:00 exactly (kept: at most 7d),
        # one second more is out. keep_within keeps any status; Initializing is kept by it
        # rather than by its rail.
        "keep_within: at most the duration, whatever the status",
        [
            backup("init", "2026-12-06 11:00", "Initializing"),
            backup("failed", "2026-12-01 00:00", "Failed"),
            backup("edge", "2026-11-29 12:00"),
            backup("out", "2026-11-29 11:59:59"),
            backup("skewed", "2026-12-06 12:04"),  # a clock a little ahead of ours: age 0s
            backup("future", "2026-12-07 00:00"),  # further ahead: of unknown age, kept
        ],
        {"keep_within": "7d"},
        {
            "skewed": "within 7d (created 0s ago)",
            "future": "safety: created_at 2026-12-07T00:00:00+00:00 is in the future, so its "
            "age is unknown",
            "init": "within 7d (created 60m ago)",
            "failed": "within 7d (created 5d ago)",
            "edge": "within 7d (created 7d ago)",
            "out": "delete: not within 7d (created 7d ago)",
        },
    ),
    (
        "keep_tags: any of the tag values, whatever the status",
        [
            backup("both", "2026-12-05 03:00", tags={"keep": "forever", "pin": "yes"}),
            backup("pinned", "2026-12-04 03:00", "Failed", tags={"pin": "yes"}),
            backup("audit", "2026-12-03 03:00", tags={"keep": "audit"}),
            backup("other", "2026-12-02 03:00", tags={"keep": "month"}),
            backup("none", "2026-12-01 03:00"),
        ],
        {"keep_tags": ["pin=yes", "keep=forever", "keep=audit"], "allow_empty": True},
        {
            "both": "tagged keep=forever; tagged pin=yes",
            "pinned": "tagged pin=yes",
            "audit": "tagged keep=audit",
            "other": "delete: not tagged keep=audit or keep=forever or pin=yes",
            "none": "delete: not tagged keep=audit or keep=forever or pin=yes",
        },
    ),
    (
        # Every keep rule that keeps a backup is named, in the order keep_last, daily, weekly,
        # monthly, yearly, within, tags.
        "every rule and bucket that keeps a backup is named",
        [
            backup("top", "2026-12-05 03:00", tags={"pin": "yes"}),
            backup("prev", "2026-11-30 03:00"),  # Monday of 2026-W49
            backup("oct", "2026-10-31 03:00"),
        ],
        {
            "keep_last": 1,
            "keep_daily": 2,
            "keep_weekly": 1,
            "keep_monthly": 2,
            "keep_yearly": 1,
            "keep_within": dt.timedelta(days=2),
            "keep_tags": {"pin": "yes"},
        },
        {
            "top": "the newest Ready backup of its index (keep last 1); daily 2026-12-05; "
            "weekly 2026-W49; monthly 2026-12; yearly 2026; within 2d (created 33h ago); "
            "tagged pin=yes",
            "prev": "daily 2026-11-30; monthly 2026-11",
            "oct": "delete: not the newest Ready backup of its index (keep last 1); kept by no "
            "bucket (daily 2, weekly 1, monthly 2, yearly 1); not within 2d (created 36d ago); "
            "not tagged pin=yes",
        },
    ),
    (
        # Keep rules and filters: a backup is deleted only when no rule keeps it AND it
        # matches every filter. new is kept by daily and spared by older_than (both named);
        # mid is kept by no rule but is not older than 3d; old is deleted.
        "keep rules with filters",
        [
            backup("new", "2026-12-05 03:00"),
            backup("mid", "2026-12-04 03:00"),
            backup("old", "2026-12-01 03:00"),
        ],
        {"keep_daily": 1, "older_than": dt.timedelta(days=3)},
        {
            "new": "daily 2026-12-05; not older than 3d (created 33h ago)",
            "mid": "not older than 3d (created 2d ago)",  # 57h, in whole days
            "old": "delete: kept by no bucket (daily 1); older than 3d (created 5d ago)",
        },
    ),
    (
        # statuses narrows to Failed ones: the Ready ones no rule keeps are kept by the filter.
        "keep rules with a status filter",
        [
            backup("r1", "2026-12-05 03:00"),
            backup("f1", "2026-12-04 03:00", "Failed"),
            backup("r2", "2026-12-03 03:00"),
        ],
        {"keep_daily": 1, "statuses": ["Failed"]},
        {
            "r1": "daily 2026-12-05; status Ready is not one selected (Failed)",
            "f1": "delete: not Ready: fills no bucket (daily 1); status Failed",
            "r2": "status Ready is not one selected (Failed)",
        },
    ),
]


@pytest.mark.parametrize(
    ("backups", "rules", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_calendar_cases(
    backups: list[pb.Backup], rules: dict[str, Any], expected: dict[str, str]
) -> None:
    assert outcome(pb.plan_prune(backups, **{"now": NOW, **rules})) == expected


def test_a_backup_whose_created_at_is_unknown_is_never_deleted_and_fills_no_bucket() -> None:
    def served(backup_id: str, created_at: Any, status: str = "Ready") -> pb.Backup:
        raw = {"backup_id": backup_id, "source_index_name": "idx", "source_index_id": "id"}
        raw.update(status=status, cloud="aws", region="us-east-1", created_at=created_at)
        return pb.Backup.from_dict(raw)

    backups = [
        served("unreadable", "yesterday"),  # the newest, maybe: nobody knows
        served("null", None),
        served("k1", "2026-12-05T03:00:00Z"),
        served("k2", "2026-12-04T03:00:00Z"),
        served("k3", "2026-12-03T03:00:00Z"),
    ]
    rules: dict[str, Any] = {"keep_daily": 2, "keep_weekly": 1, "keep_within": "1h"}
    assert outcome(pb.plan_prune(backups, now=NOW, **rules)) == {
        "k1": "daily 2026-12-05; weekly 2026-W49",
        "k2": "daily 2026-12-04",
        "k3": "delete: kept by no bucket (daily 2, weekly 1); not within 1h (created 3d ago)",
        "unreadable": "safety: created_at unreadable ('yesterday'), so its age is unknown",
        "null": "safety: created_at unreadable (null), so its age is unknown",
    }


def test_a_backup_with_no_day_in_the_zone_is_kept_and_fills_no_bucket() -> None:
    # 9999-12-31 23:00 UTC is in year 10000 at UTC+14: no date holds it.
    last = pb.Backup(
        backup_id="last",
        source_index_name="idx",
        source_index_id="id-idx",
        status="Ready",
        cloud="aws",
        region="us-east-1",
        created_at=dt.datetime(9999, 12, 31, 23, tzinfo=UTC),
    )
    backups = [last, backup("r1", "2026-12-05 03:00"), backup("r0", "2026-12-04 03:00")]
    now = dt.datetime(9999, 12, 31, 23, 30, tzinfo=UTC)  # (earlier, `last` is in the future)
    plan = pb.plan_prune(backups, keep_daily=1, tz="Pacific/Kiritimati", now=now)
    assert outcome(plan) == {
        "last": "safety: created_at 9999-12-31T23:00:00+00:00 has no day in Pacific/Kiritimati",
        "r1": "daily 2026-12-05",
        "r0": "delete: kept by no bucket (daily 1)",
    }
    # In UTC it has a day, and is the newest one.
    assert outcome(pb.plan_prune(backups, keep_daily=1, now=now))["last"] == "daily 9999-12-31"


def test_a_recreated_index_keeps_its_own_newest_ready_backup() -> None:
    backups = [
        backup("new", "2026-12-05 03:00", index="c", index_id="c-new"),
        backup("old", "2026-11-20 03:00", index="c", index_id="c-old"),
        backup("older", "2026-11-19 03:00", index="c", index_id="c-old"),
    ]
    assert outcome(pb.plan_prune(backups, keep_last=0, now=NOW)) == {
        "new": "safety: newest Ready backup of index 'c' (id 'c-new') (allow_empty=True lifts "
        "this)",
        "old": "safety: newest Ready backup of index 'c' (id 'c-old') (allow_empty=True lifts "
        "this)",
        "older": "delete: keep last 0 spares no backup",
    }
    ranked = pb.plan_prune(backups, keep_last=1, now=NOW)
    assert [b.backup_id for b, _ in ranked.delete] == ["older"]


def test_tz_accepts_a_tzinfo_and_utc_needs_no_database() -> None:
    backups = [backup("early", "2026-12-05 01:00"), backup("late", "2026-12-05 23:30")]
    by_name = pb.plan_prune(backups, keep_daily=5, tz="Asia/Tokyo", now=NOW)
    assert pb.plan_prune(backups, keep_daily=5, tz=zoneinfo.ZoneInfo("Asia/Tokyo")) == by_name
    fixed = dt.timezone(dt.timedelta(hours=9))
    assert pb.plan_prune(backups, keep_daily=5, tz=fixed) == by_name
    assert pb.plan_prune(backups, keep_daily=5, tz="UTC") == pb.plan_prune(backups, keep_daily=5)


@pytest.fixture
def no_time_zone_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No IANA database: no system folder, no ``tzdata`` package, no cached zone."""
    # Its submodules too: one a test imported before (tzdata.zoneinfo.Europe) would load anyway.
    for name in [name for name in sys.modules if name.split(".")[0] == "tzdata"] + ["tzdata"]:
        monkeypatch.setitem(sys.modules, name, None)
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        yield
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


@pytest.mark.usefixtures("no_time_zone_database")
def test_a_missing_time_zone_database_is_a_clear_error() -> None:
    assert zoneinfo.available_timezones() == set()
    with pytest.raises(pb.ValidationError, match="this system has no IANA time zone database"):
        pb.plan_prune([backup("a", "2026-12-05 01:00")], keep_daily=1, tz="Europe/Berlin")
    with pytest.raises(pb.ValidationError, match=r"pip install tzdata"):
        pb.plan_prune([], tz="Europe/Berlin")
    # UTC needs no database
    plan = pb.plan_prune([backup("a", "2026-12-05 01:00")], keep_daily=1, tz="UTC")
    assert outcome(plan) == {"a": "daily 2026-12-05"}


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"keep_daily": -1}, pb.ValidationError, "keep_daily must be a whole number >= 0"),
        ({"keep_weekly": True}, pb.ArgumentTypeError, "keep_weekly must be a whole number"),
        ({"keep_monthly": 1.5}, pb.ArgumentTypeError, "keep_monthly must be a whole number"),
        ({"keep_yearly": "3"}, pb.ArgumentTypeError, "keep_yearly must be a whole number"),
        ({"keep_within": -DAY}, pb.ValidationError, "keep_within must be a timedelta >= 0"),
        ({"keep_within": 7}, pb.ArgumentTypeError, "keep_within must be a timedelta >= 0"),
        ({"keep_within": "1y"}, pb.ValidationError, "years and months have no fixed length"),
        ({"keep_within": "0d"}, pb.ValidationError, "it must be more than 0"),
        ({"keep_tags": "pin=yes"}, pb.ArgumentTypeError, "not a str: write ['pin=yes']"),
        ({"keep_tags": ["pin"]}, pb.ValidationError, "keep_tags: expected K=V"),
        ({"keep_tags": ["=yes"]}, pb.ValidationError, "keep_tags: expected K=V"),
        ({"keep_tags": [("pin", "yes")]}, pb.ArgumentTypeError, "keep_tags must be a mapping"),
        ({"keep_tags": {"pin": 1}}, pb.ArgumentTypeError, "keep_tags must be a mapping"),
        ({"keep_tags": 5}, pb.ArgumentTypeError, "keep_tags must be a mapping"),
        ({"tz": "Europe/Berln"}, pb.ValidationError, "did you mean 'Europe/Berlin'?"),
        ({"tz": "Nowhere/At-All"}, pb.ValidationError, "is not an IANA time zone name"),
        ({"tz": ""}, pb.ValidationError, "'' is not an IANA time zone name"),
        ({"tz": "../../etc/passwd"}, pb.ValidationError, "is not an IANA time zone name"),
        ({"tz": "Europe"}, pb.ValidationError, "'Europe' is not an IANA time zone name"),
        ({"tz": 1}, pb.ArgumentTypeError, "tz must be an IANA time zone name"),
    ],
)
def test_bad_arguments(arguments: dict[str, Any], error: type[Exception], message: str) -> None:
    # checked before any backup is read
    def backups() -> Iterator[pb.Backup]:
        raise AssertionError("read")
        yield  # pragma: no cover

    with pytest.raises(error, match=re.escape(message)):
        pb.plan_prune(backups(), **arguments)


def test_keep_tags_as_a_mapping_or_a_list_alike() -> None:
    backups = [
        backup("pinned", "2026-12-04 03:00", tags={"pin": "yes"}),
        backup("plain", "2026-12-03 03:00"),
    ]
    as_map = pb.plan_prune(backups, keep_tags={"pin": "yes"}, allow_empty=True, now=NOW)
    as_list = pb.plan_prune(backups, keep_tags=("pin=yes", "pin=yes"), allow_empty=True, now=NOW)
    assert as_map == as_list
    assert outcome(as_map)["plain"] == "delete: not tagged pin=yes"
    # A value may hold "=": only the first one splits.
    eq = backup("eq", "2026-12-02 03:00", tags={"expr": "a=b"})
    assert outcome(pb.plan_prune([eq], keep_tags=["expr=a=b"]))["eq"] == "tagged expr=a=b"
    none = pb.plan_prune(backups, keep_tags=[], allow_empty=True, now=NOW)
    assert outcome(none)["plain"] == "delete: keep tags: none given, so none keeps it"


def test_reasons_of_calendar_rules_are_the_same_in_the_cli() -> None:
    backups = [backup("r1", "2026-12-05 03:00"), backup("r0", "2026-12-04 03:00")]
    python = pb.plan_prune(backups, keep_daily=1, keep_within="1h", now=NOW)
    cli = _prune.make_plan(
        backups, keep_daily=1, keep_within="1h", now=NOW, options=_prune.CLI_OPTIONS
    )
    assert python == cli


# --- A property: calendar rules against a plain reading of them ---------------------------------

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),  # index
        st.sampled_from(["x", "y"]),  # index id: "a" deleted and created again, sometimes
        st.sampled_from(["Ready", "Ready", "Ready", "Failed", "Pending"]),
        st.integers(0, 24 * 60 * 3),  # minutes... in hours: 0 to 72 days back
        st.booleans(),  # created_at known
    ),
    max_size=16,
)
ZONES = st.sampled_from([None, "Europe/Berlin", "America/New_York", "Asia/Tokyo"])
COUNTS = st.none() | st.integers(0, 4)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, COUNTS, COUNTS, COUNTS, COUNTS, ZONES)
def test_calendar_rules_keep_what_a_plain_reading_says(
    rows: list[tuple[str, str, str, int, bool]],
    daily: int | None,
    weekly: int | None,
    monthly: int | None,
    yearly: int | None,
    tz: str | None,
) -> None:
    backups = [
        pb.Backup(
            backup_id=f"b{n:02d}",
            source_index_name=index,
            source_index_id=index_id,
            status=status,
            cloud="aws",
            region="us-east-1",
            created_at=NOW - dt.timedelta(hours=hours) if known else None,
        )
        for n, (index, index_id, status, hours, known) in enumerate(rows)
    ]
    counts = {"daily": daily, "weekly": weekly, "monthly": monthly, "yearly": yearly}
    zone = zoneinfo.ZoneInfo(tz) if tz else UTC
    labels = {
        "daily": lambda d: d.strftime("%Y-%m-%d"),
        "weekly": lambda d: d.strftime("%G-W%V"),  # ISO year and week
        "monthly": lambda d: d.strftime("%Y-%m"),
        "yearly": lambda d: d.strftime("%Y"),
    }
    expected_kept: dict[str, list[str]] = {}
    for period, count in counts.items():
        if not count:
            continue
        for group in {(b.source_index_name, b.source_index_id) for b in backups}:
            ready = [
                b
                for b in backups
                if (b.source_index_name, b.source_index_id) == group
                and b.status == "Ready"
                and b.created_at is not None
            ]
            buckets: dict[str, list[pb.Backup]] = {}
            for b in ready:
                assert b.created_at is not None
                buckets.setdefault(labels[period](b.created_at.astimezone(zone)), []).append(b)
            for label in sorted(buckets)[-count:]:
                newest = min(buckets[label], key=lambda b: (-b.created_at.timestamp(), b.backup_id))  # type: ignore[union-attr]
                expected_kept.setdefault(newest.backup_id, []).append(f"{period} {label}")

    given_counts: dict[str, Any] = {f"keep_{period}": count for period, count in counts.items()}
    plan = pb.plan_prune(backups, tz=tz, allow_empty=True, now=NOW, **given_counts)
    got = outcome(plan)
    any_rule = any(count is not None for count in counts.values())
    for b in backups:
        why = got[b.backup_id]
        if b.backup_id in expected_kept:
            assert why == "; ".join(expected_kept[b.backup_id])
        elif b.created_at is None:
            assert why.startswith("safety: created_at unreadable")
        elif b.status == "Pending":
            assert why.startswith("safety: status Pending is not final")
        else:
            assert why.startswith("delete: ")
            assert ("bucket" in why) == any_rule


# --- Durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", dt.timedelta(minutes=90)),
        ("36h", dt.timedelta(hours=36)),
        ("7d", dt.timedelta(days=7)),
        ("2w", dt.timedelta(weeks=2)),
        ("45s", dt.timedelta(seconds=45)),
        (" 7D ", dt.timedelta(days=7)),
        ("1d12h", dt.timedelta(hours=36)),
        ("2w3d", dt.timedelta(days=17)),
        ("1w1d1h1m1s", dt.timedelta(days=8, hours=1, minutes=1, seconds=1)),
        ("0d12h", dt.timedelta(hours=12)),
        ("007d", dt.timedelta(days=7)),
        ("999999999d", dt.timedelta(days=999_999_999)),
    ],
)
def test_parse_duration(text: str, expected: dt.timedelta) -> None:
    assert _durations.parse_duration(text) == expected
    assert _prune.parse_duration(text) == expected  # where it was first


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", ""),
        ("d", ""),
        ("30", ""),
        ("1.5d", ""),
        ("-1d", ""),
        ("+1d", ""),
        ("1 d", ""),
        ("1d 2h", ""),
        ("3x", ""),
        ("\u0663d", ""),  # an Arabic-Indic 3
        ("0d", ": it must be more than 0"),
        ("0d0h", ": it must be more than 0"),
        ("12h1d", ": unit d given twice or out of order (largest first: 1d12h)"),
        ("1d1d", ": unit d given twice or out of order (largest first: 1d12h)"),
        ("1y", ": years and months have no fixed length (write days: 365d, 30d)"),
        ("6mo", ": years and months have no fixed length (write days: 365d, 30d)"),
        ("2years", ": years and months have no fixed length (write days: 365d, 30d)"),
        ("3months", ": years and months have no fixed length (write days: 365d, 30d)"),
    ],
)
def test_parse_duration_refuses_saying_why(text: str, why: str) -> None:
    with pytest.raises(pb.ValidationError) as caught:
        _durations.parse_duration(text, param="backup_every")
    assert str(caught.value) == (
        "expected a duration like 90m, 36h, 30d or 2w (whole numbers, each followed by a unit: "
        f"s, m, h, d or w, largest first as in 1d12h), got {text!r}{why}"
    )
    assert caught.value.param == "backup_every"


def test_parse_duration_refuses_what_timedelta_cannot_hold_and_other_types() -> None:
    with pytest.raises(pb.ValidationError, match=r"longer than Python's timedelta holds"):
        _durations.parse_duration("1000000000d")
    with pytest.raises(pb.ValidationError, match=r"got '99999.*\.\.\.: longer than"):
        _durations.parse_duration("9" * 5000 + "d")  # no int() of thousands of digits
    with pytest.raises(pb.ArgumentTypeError, match="keep_within must be a duration"):
        _durations.parse_duration(7, param="keep_within")  # type: ignore[arg-type]


def test_format_duration_reads_back() -> None:
    for text in ("14d", "36h", "90m", "45s"):
        assert _durations.format_duration(_durations.parse_duration(text)) == text
    assert _durations.format_duration(dt.timedelta(0)) == "0s"


# --- The README's worked example --------------------------------------------------------------

README = ROOT / "README.md"
BEGIN, END = "<!-- calendar-example -->", "<!-- /calendar-example -->"
EXAMPLE_NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
"""The example's now (the README says so)."""
HEADER = (
    "#",
    "created_at (UTC)",
    "status",
    "tags",
    "daily 7",
    "weekly 4",
    "monthly 3",
    "plan",
    "within 10d",
    "tag pin=yes",
)


def readme_example() -> tuple[list[list[str]], str]:
    """The rows of the README's worked example (cells, stripped) and the text around it."""
    text = README.read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    lines = [line for line in section.strip().splitlines() if line.startswith("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert tuple(rows[0]) == HEADER
    return rows[2:], text


def example_backups(rows: list[list[str]]) -> list[pb.Backup]:
    """The backups of the example: index ``prod``, ids ``b01``... by row number."""
    backups = []
    for row in rows:
        number, created, status, tags = row[:4]
        pairs = dict(tag.split("=", 1) for tag in tags.split(", ") if tag)
        backups.append(
            backup(f"b{int(number):02d}", created, status, index="prod", tags=pairs or None)
        )
    return backups


EXAMPLE_RULES: dict[str, Any] = {"keep_daily": 7, "keep_weekly": 4, "keep_monthly": 3}


def example_cells(backups: list[pb.Backup]) -> dict[str, list[str]]:
    """backup id -> the README's cells after the inputs: daily, weekly, monthly, plan, within,
    tag, as the plans say."""
    calendar = outcome(pb.plan_prune(backups, now=EXAMPLE_NOW, **EXAMPLE_RULES))
    within = outcome(pb.plan_prune(backups, keep_within="10d", now=EXAMPLE_NOW))
    tagged = outcome(pb.plan_prune(backups, keep_tags=["pin=yes"], now=EXAMPLE_NOW))
    cells = {}
    for b in backups:
        why = calendar[b.backup_id]
        buckets = dict(part.split(" ", 1) for part in why.split("; ") if " 20" in part)
        if why.startswith("delete: "):
            plan = "delete"
        elif "is not final" in why:
            plan = "keep (not final)"
        else:
            assert buckets, why
            plan = "keep"
        cells[b.backup_id] = [
            *(buckets.get(period, "") for period in ("daily", "weekly", "monthly")),
            plan,
            "✓" if within[b.backup_id].startswith("within 10d") else "",
            "✓" if tagged[b.backup_id] == "tagged pin=yes" else "",
        ]
    return cells


def test_the_readme_worked_example_is_what_plan_prune_does() -> None:
    rows, text = readme_example()
    assert len(rows) == 40
    assert [row[0] for row in rows] == [str(n) for n in range(1, 41)]
    backups = example_backups(rows)
    cells = example_cells(backups)
    for row, b in zip(rows, backups, strict=True):
        assert row[4:] == cells[b.backup_id], f"row {row[0]}"
    # Newest first, as a plan lists them.
    created = [b.created_at for b in backups]
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]
    # The numbers and reasons the text around the table gives.
    plan = pb.plan_prune(backups, now=EXAMPLE_NOW, **EXAMPLE_RULES)
    assert (len(plan.keep), len(plan.delete)) == (11, 29)
    assert "keeps 11 of the 40 backups and deletes 29" in " ".join(text.split())
    assert outcome(plan)["b02"] == "daily 2026-12-05; weekly 2026-W49; monthly 2026-12"
    assert "`daily 2026-12-05; weekly 2026-W49; monthly 2026-12`" in text
    everything = pb.plan_prune(
        backups, keep_within="10d", keep_tags=["pin=yes"], now=EXAMPLE_NOW, **EXAMPLE_RULES
    )
    assert (len(everything.keep), len(everything.delete)) == (16, 24)
    assert "keep 16 and delete 24" in " ".join(text.split())
