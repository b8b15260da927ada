"""A policy's server schedules (API 2026-07): every translation rule of ``implied_schedule``
(table-driven), each kind of ``make_schedule_plan``'s actions (create, update, disable, leave;
another enabled schedule of the index, which would make the server refuse, leaves it), and
``plan_schedules`` / ``apply_schedules`` against the emulator, sync and async: GETs only to plan,
a second plan after applying all ``leave``, a refused action a ``failed`` result, API versions
without schedules refused before anything is sent, and Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, RawReply, RawRequest, RawServer, json_reply

Start = Callable[..., Emulator]


def policy(text: str) -> pb.Policy:
    return pb.Policy.from_toml(text, filename="policy.toml")


def implied(defaults: str) -> pb.ImpliedSchedule:
    return pb.implied_schedule(policy("[defaults]\n" + defaults).settings_for("idx"))


# -- The translation rules ------------------------------------------------------------------------

TRANSLATIONS = [
    # (the [defaults] table, frequency, expire_after_days, the reason starts with)
    ('backup_every = "24h"\nkeep_within = "30d"', "daily", 30, "backup_every 1d is daily"),
    ('backup_every = "1d"\nkeep_within = "720h"', "daily", 30, "backup_every 1d is daily"),
    ('backup_every = "7d"\nkeep_within = "8w"', "weekly", 56, "backup_every 7d is weekly"),
    ('backup_every = "168h"\nkeep_within = "1d"', "weekly", 1, "backup_every 7d is weekly"),
    ('backup_every = "1w"\nkeep_within = "90d"', "weekly", 90, "backup_every 7d is weekly"),
    (
        'backup_every = "12h"\nkeep_within = "30d"',
        None,
        None,
        "stays client-side: backup_every 12h (defaults) is no schedule's cadence",
    ),
    (
        'backup_every = "23h"\nkeep_within = "30d"',
        None,
        None,
        "stays client-side: backup_every 23h",
    ),
    (
        'backup_every = "30d"\nkeep_within = "90d"',
        None,
        None,
        "stays client-side: backup_every 30d",
    ),
    ('backup_every = "never"\nkeep_within = "30d"', None, None, "backup_every never (defaults)"),
    ('keep_within = "30d"', None, None, "backup_every never (defaults): nothing to schedule"),
    ('backup_every = "24h"', None, None, "stays client-side: no keep rule (defaults)"),
    ('backup_every = "24h"\nkeep_within = "0d"', None, None, "stays client-side: no keep rule"),
    ('backup_every = "24h"\nkeep_daily = 7', None, None, "stays client-side: keep daily 7"),
    ('backup_every = "24h"\nkeep_last = 3', None, None, "stays client-side: keep last 3"),
    ('backup_every = "24h"\nkeep_weekly = 4', None, None, "stays client-side: keep weekly 4"),
    ('backup_every = "24h"\nkeep_monthly = 12', None, None, "stays client-side: keep monthly"),
    ('backup_every = "24h"\nkeep_yearly = 2', None, None, "stays client-side: keep yearly 2"),
    (
        'backup_every = "24h"\nkeep_within = "30d"\nkeep_last = 3',
        None,
        None,
        "stays client-side: keep last 3, within 30d",
    ),
    (
        'backup_every = "24h"\nkeep_within = "30d"\nkeep_tags = { pin = "yes" }',
        None,
        None,
        "stays client-side: keep within 30d, tagged pin=yes",
    ),
    (
        'backup_every = "24h"\nkeep_within = "36h"',
        None,
        None,
        "stays client-side: keep_within 36h (defaults) is not a whole number of days",
    ),
    ('backup_every = "24h"\nkeep_within = "12h"', None, None, "stays client-side: keep_within 12h"),
]


@pytest.mark.parametrize(("defaults", "frequency", "days", "reason"), TRANSLATIONS)
def test_every_translation_rule(
    defaults: str, frequency: str | None, days: int | None, reason: str
) -> None:
    schedule = implied(defaults)
    assert (schedule.frequency, schedule.expire_after_days) == (frequency, days)
    assert schedule.server is (frequency is not None)
    assert schedule.reason.startswith(reason), schedule.reason
    assert schedule.describe() == (
        "client-side" if frequency is None else f"{frequency}, keep {days}d"
    )


def test_why_a_rule_stays_client_side_is_said() -> None:
    assert implied('backup_every = "24h"\nkeep_daily = 7').reason == (
        "stays client-side: keep daily 7 (defaults) can keep backups of any age (keep_daily "
        "counts backups, reaching back past the days without one): expire_after_days would "
        "delete some"
    )
    assert (
        "keep_tags keeps tagged backups for ever"
        in implied('backup_every = "24h"\nkeep_tags = ["pin=yes"]').reason
    )
    assert implied('backup_every = "never"\nkeep_last = 2').reason == (
        "backup_every never (defaults): nothing to schedule; keep last 2 stays client-side "
        "(policy run)"
    )


def test_a_rule_takes_what_it_leaves_out_from_defaults_and_zero_switches_a_rule_off() -> None:
    text = """\
[defaults]
backup_every = "24h"
keep_daily = 7

[[rules]]
match = "prod-*"
keep_daily = 0
keep_within = "14d"
"""
    settings = policy(text)
    assert pb.implied_schedule(settings.settings_for("prod-a")) == pb.ImpliedSchedule(
        "daily",
        14,
        "backup_every 1d is daily, keep_within 14d is expire_after_days 14 (rules[0])",
    )
    assert not pb.implied_schedule(settings.settings_for("other")).server  # keep_daily 7


def test_not_governed_and_bad_settings() -> None:
    assert pb.implied_schedule(None) == pb.ImpliedSchedule(None, None, "not governed by the policy")
    with pytest.raises(pb.ArgumentTypeError, match="settings must be a PolicySettings"):
        pb.implied_schedule("daily")  # type: ignore[arg-type]


# -- The plan (pure) ------------------------------------------------------------------------------

DAILY_30 = """\
[defaults]
backup_every = "24h"
keep_within = "30d"

[[rules]]
match = "local-*"
backup_every = "12h"
"""


def schedule(
    index: str,
    name: str | None = None,
    *,
    frequency: str = "daily",
    days: int = 30,
    enabled: bool = True,
    schedule_id: str | None = None,
    created_at: str = "2026-11-01T00:00:00Z",
) -> pb.BackupSchedule:
    return pb.BackupSchedule.from_dict(
        {
            "schedule_id": schedule_id or f"s-{index}-{name or 'policy'}",
            "name": name or f"policy-{index}",
            "index_id": f"id-{index}",
            "project_id": "project",
            "schedule_type": "time-based",
            "frequency": frequency,
            "retention_expire_after_days": days,
            "enabled": enabled,
            "next_scheduled_run": "2026-12-07T00:00:00Z" if enabled else None,
            "created_at": created_at,
        }
    )


def plan_for(
    schedules: list[pb.BackupSchedule], text: str = DAILY_30, index: str = "idx"
) -> pb.ScheduleAction:
    plan = pb.make_schedule_plan(policy(text), [index], {index: schedules})
    (action,) = plan.indexes
    return action


def test_create_when_the_index_has_no_schedule() -> None:
    action = plan_for([])
    assert (action.kind, action.name, action.schedule) == ("create", "policy-idx", None)
    assert (action.frequency, action.expire_after_days, action.enabled) == ("daily", 30, None)
    assert action.rule == "defaults" and action.changes


def test_another_disabled_schedule_does_not_stop_create_and_is_left_alone() -> None:
    other = schedule("idx", "nightly", enabled=False)
    action = plan_for([other])
    assert action.kind == "create"
    assert action.unmanaged == (other,)


def test_another_enabled_schedule_would_make_the_server_refuse_so_leave() -> None:
    other = schedule("idx", "nightly", schedule_id="s-9")
    action = plan_for([other])
    assert action.kind == "leave" and not action.changes
    assert action.reason == (
        "cannot create policy-idx: schedule 'nightly' (s-9) of the index is enabled and not "
        "the policy's (an index has at most one enabled schedule): disable it for the "
        "policy's to be created"
    )
    assert action.unmanaged == (other,)


def test_up_to_date_is_left() -> None:
    action = plan_for([schedule("idx")])
    assert action.kind == "leave"
    assert action.reason.startswith("up to date: backup_every 1d is daily")


@pytest.mark.parametrize(
    ("current", "change"),
    [
        ({"frequency": "weekly"}, ("daily", None, None)),
        ({"days": 7}, (None, 30, None)),
        ({"frequency": "monthly", "days": 365}, ("daily", 30, None)),
        ({"enabled": False}, (None, None, True)),
        ({"enabled": False, "days": 3}, (None, 30, True)),
    ],
)
def test_update_sends_only_what_differs(
    current: dict[str, Any], change: tuple[str | None, int | None, bool | None]
) -> None:
    managed = schedule("idx", **current)
    action = plan_for([managed])
    assert action.kind == "update" and action.schedule is managed
    assert (action.frequency, action.expire_after_days, action.enabled) == change
    assert action.reason.endswith("re-enabling it starts a backup at once") is (change[2] is True)


def test_a_disabled_schedule_is_not_enabled_while_another_is() -> None:
    managed = schedule("idx", enabled=False)
    other = schedule("idx", "manual", schedule_id="s-m")
    action = plan_for([managed, other])
    assert action.kind == "leave"
    assert action.reason.startswith("cannot enable policy-idx: schedule 'manual' (s-m)")
    assert action.schedule is managed and action.unmanaged == (other,)


def test_disable_when_the_policy_implies_none() -> None:
    action = plan_for([schedule("local-1")], index="local-1")  # 12h: client-side
    assert (action.kind, action.enabled, action.frequency) == ("disable", False, None)
    assert action.reason.startswith("stays client-side: backup_every 12h (rules[0])")


def test_disable_when_the_index_is_no_longer_governed() -> None:
    text = '[[rules]]\nmatch = "prod-*"\nbackup_every = "24h"\nkeep_within = "30d"\n'
    action = plan_for([schedule("old")], text=text, index="old")
    assert (action.kind, action.rule, action.reason) == (
        "disable",
        None,
        "not governed by the policy",
    )


def test_leave_a_disabled_schedule_or_none_when_none_is_implied() -> None:
    action = plan_for([schedule("local-1", enabled=False)], index="local-1")
    assert action.kind == "leave" and action.reason.startswith("already disabled: stays")
    action = plan_for([], index="local-1")
    assert action.kind == "leave" and action.reason.startswith("stays client-side")


def test_of_two_schedules_with_the_policy_s_name_the_enabled_one_is_managed() -> None:
    old = schedule("idx", enabled=False, schedule_id="old", created_at="2026-12-01T00:00:00Z")
    live = schedule("idx", days=7, schedule_id="live", created_at="2026-10-01T00:00:00Z")
    action = plan_for([old, live])
    assert action.schedule is live and action.unmanaged == (old,)
    assert (action.kind, action.expire_after_days) == ("update", 30)


def test_the_plan_covers_every_index_by_name_and_sums_up() -> None:
    plan = pb.make_schedule_plan(
        policy(DAILY_30),
        ["b", "a", "local-1", "c"],
        {"a": [schedule("a")], "local-1": [schedule("local-1")], "c": [schedule("c", days=1)]},
    )
    assert [(a.index_name, a.kind) for a in plan.indexes] == [
        ("a", "leave"),
        ("b", "create"),
        ("c", "update"),
        ("local-1", "disable"),
    ]
    assert [len(plan.creates), len(plan.updates), len(plan.disables), len(plan.leaves)] == [
        *(1, 1, 1, 1)
    ]
    assert [a.index_name for a in plan.changes] == ["b", "c", "local-1"]


def test_bad_arguments_are_typed_errors() -> None:
    good = policy(DAILY_30)
    with pytest.raises(pb.ArgumentTypeError, match="policy must be a Policy"):
        pb.make_schedule_plan("policy.toml", [], {})  # type: ignore[arg-type]
    with pytest.raises(pb.ArgumentTypeError, match="indexes must be"):
        pb.make_schedule_plan(good, "idx", {})
    with pytest.raises(pb.ArgumentTypeError):
        pb.make_schedule_plan(good, [3], {})  # type: ignore[list-item]
    with pytest.raises(pb.ArgumentTypeError):
        pb.make_schedule_plan(good, ["idx"], {"idx": [{"name": "x"}]})  # type: ignore[list-item]


# -- Against the emulator -------------------------------------------------------------------------

PROJECT_POLICY = """\
[defaults]
backup_every = "24h"
keep_within = "30d"

[[rules]]
match = "local"
backup_every = "12h"
keep_daily = 7

[[rules]]
match = "weekly"
backup_every = "7d"
keep_within = "60d"
"""


def project(emulators: Start) -> Emulator:
    """``new`` (no schedule: create), ``stale`` (policy-stale keeps 7 days: update),
    ``local`` (12h: client-side; its enabled policy-local: disable), ``weekly`` (up to date:
    leave), ``busy`` (another enabled schedule: leave)."""
    emu = emulators(api_key=API_KEY, seed=False, backup_seconds=0)
    for name in ("new", "stale", "local", "weekly", "busy"):
        emu.add_index(name)
    emu.add_backup_schedule("stale", name="policy-stale", expire_after_days=7)
    emu.add_backup_schedule("local", name="policy-local")
    emu.add_backup_schedule(
        "weekly", name="policy-weekly", frequency="weekly", expire_after_days=60
    )
    emu.add_backup_schedule("busy", name="nightly")
    return emu


def client_of(emu: Emulator, api_version: str = "2026-07") -> pb.Client:
    return pb.Client(api_key=API_KEY, host=emu.url, max_retries=0, api_version=api_version)


EXPECTED = [
    ("busy", "leave"),
    ("local", "disable"),
    ("new", "create"),
    ("stale", "update"),
    ("weekly", "leave"),
]


def kinds(plan: pb.SchedulePlan) -> list[tuple[str, str]]:
    return [(action.index_name, action.kind) for action in plan.indexes]


def test_plan_sends_only_gets_and_apply_brings_every_schedule_in_line(emulators: Start) -> None:
    emu = project(emulators)
    with client_of(emu) as client:
        plan = pb.plan_schedules(policy(PROJECT_POLICY), client)
        assert kinds(plan) == EXPECTED
        assert {r.method for r in emu.requests} == {"GET"}
        assert len(emu.requests) == 1 + 5  # the indexes, then each index's schedules
        report = pb.apply_schedules(plan, client)
        assert report.ok and report.failed == ()
        assert [(r.action.index_name, r.result) for r in report.results] == [
            ("local", "disabled"),
            ("new", "created"),
            ("stale", "updated"),
        ]
        new = report.results[1].schedule
        assert new is not None and (new.name, new.frequency, new.enabled) == (
            "policy-new",
            "daily",
            True,
        )
        assert new.retention_expire_after_days == 30
        writes = sorted((r.method, r.path.split("/")[1]) for r in emu.requests if r.method != "GET")
        assert writes == [
            ("PATCH", "backup-schedules"),
            ("PATCH", "backup-schedules"),
            ("POST", "indexes"),
        ]
        again = pb.plan_schedules(policy(PROJECT_POLICY), client)
    assert {action.kind for action in again.indexes} == {"leave"}
    (stale,) = emu.backup_schedules("stale")
    assert stale["retention_expire_after_days"] == 30
    (local,) = emu.backup_schedules("local")
    assert local["enabled"] is False


def test_async_plan_and_apply(emulators: Start) -> None:
    emu = project(emulators)

    async def main() -> tuple[pb.SchedulePlan, pb.ScheduleReport, pb.SchedulePlan]:
        async with pb.AsyncClient(
            api_key=API_KEY, host=emu.url, max_retries=0, api_version="2026-07"
        ) as client:
            plan = await pb.plan_schedules(policy(PROJECT_POLICY), client, concurrency=2)
            report = await pb.apply_schedules(plan, client, concurrency=2)
            return plan, report, await pb.plan_schedules(policy(PROJECT_POLICY), client)

    plan, report, again = asyncio.run(main())
    assert kinds(plan) == EXPECTED
    assert [r.result for r in report.results] == ["disabled", "created", "updated"]
    assert {action.kind for action in again.indexes} == {"leave"}


def test_a_plan_is_applied_once(emulators: Start) -> None:
    # applying a plan again (a retry) would send its creates twice: refused before any request
    emu = project(emulators)
    with client_of(emu) as client:
        plan = pb.plan_schedules(policy(PROJECT_POLICY), client)
        twin = pickle.loads(pickle.dumps(plan))
        assert pb.apply_schedules(plan, client).ok
        sent = len(emu.requests)
        with pytest.raises(pb.ValidationError, match="this plan was already applied") as caught:
            pb.apply_schedules(plan, client)
        assert caught.value.param == "plan"
        assert str(caught.value).endswith("plan again with plan_schedules")
        assert len(emu.requests) == sent
        assert plan == twin  # the mark is not a field

    async def main() -> None:
        async with pb.AsyncClient(
            api_key=API_KEY, host=emu.url, max_retries=0, api_version="2026-07"
        ) as client:
            plan = await pb.plan_schedules(policy(PROJECT_POLICY), client)
            await pb.apply_schedules(plan, client)
            with pytest.raises(pb.ValidationError, match="already applied"):
                _ = pb.apply_schedules(plan, client)  # refused at once, not when awaited

    asyncio.run(main())


def test_a_refused_action_is_a_failed_result_and_the_others_are_done(emulators: Start) -> None:
    emu = project(emulators)
    with client_of(emu) as client:
        plan = pb.plan_schedules(policy(PROJECT_POLICY), client)
        emu.add_backup_schedule("new", name="manual")  # between the plan and applying it
        report = pb.apply_schedules(plan, client)
    assert not report.ok
    (failed,) = report.failed
    assert (failed.action.index_name, failed.result, failed.schedule) == ("new", "failed", None)
    assert isinstance(failed.error, pb.AlreadyExistsError)
    assert "409" in failed.reason and "\n" not in failed.reason
    assert [r.result for r in report.done] == ["disabled", "updated"]


def test_a_plan_without_schedules_refuses_every_write(emulators: Start) -> None:
    emu = project(emulators)
    emu.plan_includes_schedules = False
    with client_of(emu) as client:
        report = pb.apply_schedules(pb.plan_schedules(policy(PROJECT_POLICY), client), client)
    assert [r.result for r in report.results] == ["failed"] * 3
    assert all(isinstance(r.error, pb.PermissionDeniedError) for r in report.results)


@pytest.mark.parametrize("version", ["2025-10", "2026-04"])
def test_an_api_version_without_schedules_is_refused_before_anything_is_sent(
    emulators: Start, version: str
) -> None:
    emu = project(emulators)
    with client_of(emu) as client:
        plan = pb.plan_schedules(policy(PROJECT_POLICY), client)
    sent = len(emu.requests)
    with client_of(emu, version) as old:
        with pytest.raises(pb.ValidationError, match="needs API version 2026-07"):
            pb.plan_schedules(policy(PROJECT_POLICY), old)
        with pytest.raises(pb.ValidationError, match="needs API version 2026-07"):
            pb.apply_schedules(plan, old)
    assert len(emu.requests) == sent


def test_bad_arguments_of_plan_and_apply(emulators: Start) -> None:
    emu = project(emulators)
    with client_of(emu) as client:
        with pytest.raises(pb.ArgumentTypeError, match="policy must be a Policy"):
            pb.plan_schedules("policy.toml", client)  # type: ignore[call-overload]
        with pytest.raises(pb.ArgumentTypeError, match="plan must be a SchedulePlan"):
            pb.apply_schedules(pb.PolicyPlan, client)  # type: ignore[call-overload]
        with pytest.raises(pb.ArgumentTypeError, match="client must be"):
            pb.plan_schedules(policy(PROJECT_POLICY), "client")  # type: ignore[call-overload]
        with pytest.raises(pb.ValidationError, match="concurrency must be between 1 and 64"):
            pb.plan_schedules(policy(PROJECT_POLICY), client, concurrency=0)
    assert emu.requests == []


# -- Ctrl-C ---------------------------------------------------------------------------------------


def slow_posts_server(indexes: int) -> RawServer:
    """``indexes`` indexes without a schedule; every POST answered 503 after 0.3 s."""
    names = [f"idx-{n:02}" for n in range(indexes)]

    def handle(request: RawRequest) -> RawReply:
        if request.method == "POST":
            return RawReply(503, b"{}", headers=[("Retry-After", "0")], delay=0.3)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": n, "status": {"ready": True}} for n in names]})
        return json_reply({"data": [], "pagination": None})

    return RawServer(handle)


@pytest.mark.timeout(30)
def test_ctrl_c_stops_applying_and_says_what_may_have_happened() -> None:
    with slow_posts_server(12) as server:
        client = pb.Client(api_key=API_KEY, host=server.url, max_retries=0, api_version="2026-07")
        plan = pb.plan_schedules(policy(PROJECT_POLICY), client)
        assert len(plan.creates) == 12
        timer = threading.Timer(0.15, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        began = time.monotonic()
        with pytest.raises(pb.SchedulesInterrupted) as caught:
            pb.apply_schedules(plan, client, concurrency=4)
        assert time.monotonic() - began < 3
        interrupted = caught.value
        assert isinstance(interrupted, KeyboardInterrupt)
        assert len(interrupted.in_flight) == 4
        assert len(interrupted.not_started) == 8
        assert interrupted.report == pb.ScheduleReport()
        time.sleep(0.5)
        posts = [r for r in server.requests if r.method == "POST"]
        assert len(posts) == 4, f"{len(posts)} POSTs: none may start after Ctrl-C"
        client.close()


def test_the_records_are_frozen() -> None:
    action = plan_for([])
    with pytest.raises(AttributeError):
        action.kind = "leave"  # type: ignore[misc]
    assert pb.ScheduleReport().ok
