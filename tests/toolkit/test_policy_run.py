"""Running a policy plan (``pb.run_policy``, sync and async) against the emulator: it creates, waits
(``wait=True``) and deletes, one result per action; the deletes of an index whose new backup could
not be made (or did not become ``Ready``) are skipped so that its older backups stay; a backup the
run created is never deleted; 404 and 412 are skipped as ``prune`` skips them, other errors fail
their action only; Ctrl-C raises ``PolicyInterrupted`` and no request starts after it."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
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
from tests.helpers import API_KEY, RawReply, RawRequest, RawServer, backup_json, json_reply

UTC = dt.timezone.utc
Start = Callable[..., Emulator]

POLICY = pb.Policy.from_toml(
    """\
[defaults]
backup_every = "24h"
keep_last = 1

[[rules]]
match = "dev"
backup_every = "never"
""",
    filename="policy.toml",
)


def ago(days: float) -> str:
    when = dt.datetime.now(UTC) - dt.timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(emu: Emulator) -> None:
    """``prod`` (due: its newest backup is 2 days old; 3 backups), ``fresh`` (not due; 2
    backups), ``dev`` (never backed up by the policy; 2 backups)."""
    emu.add_index("prod")
    emu.add_index("fresh")
    emu.add_index("dev")
    for number, days in enumerate((2, 3, 4)):
        emu.add_backup("prod", backup_id=f"prod-{number}", created_at=ago(days))
    emu.add_backup("fresh", backup_id="fresh-0", created_at=ago(0.1))
    emu.add_backup("fresh", backup_id="fresh-1", created_at=ago(1))
    emu.add_backup("dev", backup_id="dev-0", created_at=ago(1))
    emu.add_backup("dev", backup_id="dev-1", created_at=ago(2))


def started(emulators: Start, **options: Any) -> Emulator:
    emu = emulators(api_key=API_KEY, seed=False, **{"backup_seconds": 0, **options})
    seed(emu)
    return emu


def client_of(emu: Emulator) -> pb.Client:
    return pb.Client(api_key=API_KEY, host=emu.url, max_retries=0)


def outcomes(report: pb.PolicyReport) -> list[tuple[str, str, str, str | None]]:
    """(kind, index, result, backup id of a delete) per result."""
    return [
        (
            r.action.kind,
            r.action.index_name,
            r.result,
            r.action.backup.backup_id if r.action.backup else None,
        )
        for r in report.results
    ]


EVERYTHING = [
    ("delete", "dev", "deleted", "dev-1"),
    ("delete", "fresh", "deleted", "fresh-1"),
    ("create", "prod", "created", None),
    ("delete", "prod", "deleted", "prod-1"),
    ("delete", "prod", "deleted", "prod-2"),
]


def remaining(emu: Emulator, index: str) -> list[str]:
    return sorted(b["backup_id"] for b in emu.backups(index))


def test_run_creates_then_deletes_one_result_per_action(emulators: Start) -> None:
    emu = started(emulators)
    with client_of(emu) as client:
        plan = pb.plan_policy(POLICY, client)
        report = pb.run_policy(plan, client)
    assert outcomes(report) == EVERYTHING
    assert report.ok and report.failed == ()
    (created,) = report.created
    assert created.backup is not None
    assert created.backup.name == created.action.name
    assert created.action.name is not None and created.action.name.startswith("policy-prod-")
    assert created.reason == plan.creates[0].reason
    posts = [r for r in emu.requests if r.method == "POST"]
    assert [json.loads(r.body) for r in posts] == [
        {
            "name": created.action.name,
            "description": "made by pinecone-backups policy run (defaults)",
        }
    ]
    # the new backup and the newest of each index stay
    assert remaining(emu, "prod") == sorted(["prod-0", created.backup.backup_id])
    assert remaining(emu, "fresh") == ["fresh-0"] and remaining(emu, "dev") == ["dev-0"]
    assert [r.reason for r in report.deleted] == [a.reason for a in plan.deletes]


async def test_run_with_an_async_client(emulators: Start) -> None:
    emu = started(emulators)
    async with pb.AsyncClient(api_key=API_KEY, host=emu.url, max_retries=0) as client:
        plan = await pb.plan_policy(POLICY, client)
        report = await pb.run_policy(plan, client, concurrency=2)
    assert outcomes(report) == EVERYTHING
    assert len(remaining(emu, "prod")) == 2


def test_wait_returns_the_ready_backup(emulators: Start) -> None:
    emu = started(emulators, backup_seconds=0.3)
    with client_of(emu) as client:
        report = pb.run_policy(pb.plan_policy(POLICY, client), client, wait=True, poll_interval=0.1)
    assert outcomes(report) == EVERYTHING
    (created,) = report.created
    assert created.backup is not None and created.backup.status == "Ready"
    polls = [r for r in emu.requests if r.method == "GET" and r.path.startswith("/backups/")]
    assert len(polls) >= 2  # Initializing, then Ready
    # every delete came after the backup was Ready
    ready_at = polls[-1].received_at
    assert all(r.received_at > ready_at for r in emu.requests if r.method == "DELETE")


async def test_async_wait_returns_the_ready_backup(emulators: Start) -> None:
    emu = started(emulators, backup_seconds=0.3)
    async with pb.AsyncClient(api_key=API_KEY, host=emu.url, max_retries=0) as client:
        plan = await pb.plan_policy(POLICY, client)
        report = await pb.run_policy(plan, client, wait=True, poll_interval=0.1)
    assert outcomes(report) == EVERYTHING
    assert report.created[0].backup is not None
    assert report.created[0].backup.status == "Ready"


SKIPPED_PROD = [
    ("delete", "dev", "deleted", "dev-1"),
    ("delete", "fresh", "deleted", "fresh-1"),
    ("create", "prod", "failed", None),
    ("delete", "prod", "skipped", "prod-1"),
    ("delete", "prod", "skipped", "prod-2"),
]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_backup_that_fails_keeps_the_older_ones(emulators: Start, asynchronous: bool) -> None:
    emu = started(emulators, backup_seconds=0.2)
    emu.fail_next_backups(status="InitializationFailed")
    report = run(emu, asynchronous, wait=True, poll_interval=0.05)
    assert outcomes(report) == SKIPPED_PROD
    failed = report.failed[0]
    assert isinstance(failed.error, pb.BackupFailedError)
    assert failed.backup is not None and failed.backup.status == "InitializationFailed"
    assert failed.reason == (
        f"created, but backup {failed.backup.backup_id} failed: its status is "
        "'InitializationFailed'"
    )
    assert [r.reason for r in report.skipped] == [
        "not deleted: its new backup did not become Ready"
    ] * 2
    assert remaining(emu, "prod") == sorted(["prod-0", "prod-1", "prod-2", failed.backup.backup_id])
    assert not report.ok


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_backup_not_ready_in_time_keeps_the_older_ones(
    emulators: Start, asynchronous: bool
) -> None:
    emu = started(emulators, backup_seconds=3600)
    began = time.monotonic()
    report = run(emu, asynchronous, wait=True, timeout=0.5, poll_interval=0.1)
    assert time.monotonic() - began < 5
    assert outcomes(report) == SKIPPED_PROD
    failed = report.failed[0]
    assert isinstance(failed.error, pb.WaitTimeoutError)
    assert failed.backup is not None and failed.backup.status == "Initializing"
    assert failed.reason == (
        f"created, but backup {failed.backup.backup_id} was not Ready within 0.5s (last "
        "status: 'Initializing')"
    )
    assert len(remaining(emu, "prod")) == 4


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_backup_that_cannot_be_created_keeps_the_older_ones(
    emulators: Start, asynchronous: bool
) -> None:
    emu = started(emulators, plan_includes_backups=False)
    report = run(emu, asynchronous)
    assert outcomes(report) == SKIPPED_PROD
    failed = report.failed[0]
    assert isinstance(failed.error, pb.PermissionDeniedError)
    assert failed.backup is None and failed.reason.startswith("[403 PERMISSION_DENIED]")
    assert [r.reason for r in report.skipped] == [
        "not deleted: its new backup could not be created"
    ] * 2
    assert remaining(emu, "prod") == ["prod-0", "prod-1", "prod-2"]


def run(emu: Emulator, asynchronous: bool, **options: Any) -> pb.PolicyReport:
    if not asynchronous:
        with client_of(emu) as client:
            return pb.run_policy(pb.plan_policy(POLICY, client), client, **options)

    async def go() -> pb.PolicyReport:
        async with pb.AsyncClient(api_key=API_KEY, host=emu.url, max_retries=0) as client:
            return await pb.run_policy(await pb.plan_policy(POLICY, client), client, **options)

    return asyncio.run(go())


def test_deletes_gone_or_restoring_are_skipped_and_a_failure_fails_only_its_action(
    emulators: Start,
) -> None:
    emu = started(emulators)
    with client_of(emu) as client:
        plan = pb.plan_policy(POLICY, client)
        plan = dataclasses.replace(  # only the deletes: their order is the requests' order
            plan, indexes=[dataclasses.replace(p, create=None) for p in plan.indexes]
        )
        client.delete_backup("fresh-1")  # gone meanwhile: 404
        emu.add_restore_job("prod-1", "copy", status="Pending")  # 412
        emu.fail_next(500)  # the first DELETE (dev-1)
        report = pb.run_policy(plan, client, concurrency=1)
    assert [(r.action.backup and r.action.backup.backup_id, r.result) for r in report.results] == [
        ("dev-1", "failed"),
        ("fresh-1", "skipped"),
        ("prod-1", "skipped"),
        ("prod-2", "deleted"),
    ]
    reasons = [r.reason for r in report.results]
    assert reasons[0].startswith("[500 UNKNOWN] Internal Server Error (request_id: ")
    assert reasons[1:] == ["already gone", "restore pending", plan.deletes[3].reason]
    assert isinstance(report.failed[0].error, pb.ServerError)
    assert not report.ok


def test_a_backup_the_run_created_is_never_deleted() -> None:
    """A server that answers the POST with the id of a backup the plan deletes: that delete is
    skipped, and no DELETE is sent for it."""
    listed = [backup_json("same", "prod", created_at="2026-12-01T00:00:00Z")]

    def answer(request: RawRequest) -> RawReply:
        if request.method == "POST":
            return json_reply(backup_json("same", "prod", "Initializing"), 201)
        if request.method == "DELETE":
            return RawReply(202)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": "prod", "status": {"ready": True}}]})
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply({"data": listed, "pagination": None})

    with RawServer(answer) as server, pb.Client(api_key=API_KEY, host=server.url) as client:
        plan = pb.plan_policy(pb.Policy(pb.PolicyRule(backup_every="1d", keep_last=1)), client)
        (planned,) = plan.indexes
        assert planned.create is not None and planned.prune is not None
        (backup, _), *_ = planned.prune.keep
        # a plan that would delete it (built by hand: plan_prune keeps it, the newest Ready)
        doctored = dataclasses.replace(
            plan,
            indexes=[
                dataclasses.replace(
                    planned, prune=pb.PrunePlan(delete=[(backup, "by hand")], keep=[])
                )
            ],
        )
        report = pb.run_policy(doctored, client)
    assert [(r.action.kind, r.result, r.reason) for r in report.results] == [
        ("create", "created", planned.create.reason),
        ("delete", "skipped", "not deleted: this run created it"),
    ]
    assert not [r for r in server.requests if r.method == "DELETE"]


@pytest.mark.parametrize("status", ["Failed", "InitializationFailed"])
def test_a_backup_created_already_failed_keeps_the_older_ones(status: str) -> None:
    """A POST answered 201 with a status that says the new backup failed, without --wait: the
    create fails and its index's deletes are skipped (no DELETE sent)."""
    listed = [
        backup_json(f"old-{n}", "prod", created_at=f"2026-11-0{n}T00:00:00Z") for n in (3, 2, 1)
    ]

    def answer(request: RawRequest) -> RawReply:
        if request.method == "POST":
            return json_reply(backup_json("new", "prod", status), 201)
        if request.method == "DELETE":
            return RawReply(202)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": "prod", "status": {"ready": True}}]})
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply({"data": listed, "pagination": None})

    with RawServer(answer) as server, pb.Client(api_key=API_KEY, host=server.url) as client:
        plan = pb.plan_policy(pb.Policy(pb.PolicyRule(backup_every="1d", keep_last=1)), client)
        assert len(plan.creates) == 1 and len(plan.deletes) == 2
        report = pb.run_policy(plan, client)
    assert [(r.action.kind, r.result) for r in report.results] == [
        ("create", "failed"),
        ("delete", "skipped"),
        ("delete", "skipped"),
    ]
    failed = report.failed[0]
    assert failed.backup is not None and failed.backup.backup_id == "new"
    assert isinstance(failed.error, pb.BackupFailedError)
    assert failed.reason == f"created, but backup new failed: its status is '{status}'"
    assert [r.reason for r in report.skipped] == ["not deleted: its new backup failed"] * 2
    assert not [r for r in server.requests if r.method == "DELETE"]
    assert not report.ok


def test_a_plan_runs_once(emulators: Start) -> None:
    # running a plan again (a retry) would create its backups twice: refused before any request
    emu = started(emulators)
    with client_of(emu) as client:
        plan = pb.plan_policy(POLICY, client)
        twin = pickle.loads(pickle.dumps(plan))
        assert len(pb.run_policy(plan, client).created) == 1
        sent = len(emu.requests)
        with pytest.raises(pb.ValidationError, match="this plan was already run") as caught:
            pb.run_policy(plan, client)
        assert caught.value.param == "plan"
        assert str(caught.value).endswith("plan again with plan_policy")
        assert len(emu.requests) == sent
        assert plan == twin  # the mark is not a field
        empty = POLICY.plan([], [])
        pb.run_policy(empty, client)
        with pytest.raises(pb.ValidationError, match="already run"):
            pb.run_policy(empty, client)
    assert len(remaining(emu, "prod")) == 2  # prod-0 and the one backup created

    async def main() -> None:
        async with pb.AsyncClient(api_key=API_KEY, host=emu.url, max_retries=0) as client:
            plan = await pb.plan_policy(POLICY, client)
            await pb.run_policy(plan, client)
            with pytest.raises(pb.ValidationError, match="already run"):
                _ = pb.run_policy(plan, client)  # refused at once, not when awaited

    asyncio.run(main())


def test_an_empty_plan_does_nothing(emulators: Start) -> None:
    emu = emulators(api_key=API_KEY, seed=False)
    emu.add_index("prod")
    with client_of(emu) as client:
        plan = pb.plan_policy(pb.Policy(pb.PolicyRule(keep_last=1)), client)
        assert pb.run_policy(plan, client) == pb.PolicyReport()
    assert {r.method for r in emu.requests} == {"GET"}


def test_bad_arguments_of_run_policy(client: pb.Client) -> None:
    plan = POLICY.plan([], [])
    with pytest.raises(pb.ArgumentTypeError, match="plan must be a PolicyPlan"):
        pb.run_policy("plan", client)  # type: ignore[call-overload]
    with pytest.raises(pb.ArgumentTypeError, match="wait must be a bool"):
        pb.run_policy(plan, client, wait=1)  # type: ignore[call-overload]
    with pytest.raises(pb.ValidationError, match="timeout must be a positive number"):
        pb.run_policy(plan, client, timeout=0)
    with pytest.raises(pb.ValidationError, match="poll_interval must be a positive number"):
        pb.run_policy(plan, client, poll_interval=-1)
    with pytest.raises(pb.ValidationError, match="concurrency must be between 1 and 64"):
        pb.run_policy(plan, client, concurrency=65)
    with pytest.raises(pb.ArgumentTypeError, match="client must be a pinecone_backups Client"):
        pb.run_policy(plan, object())  # type: ignore[call-overload]


def test_reports_are_frozen_dataclass_like_and_pickle(emulators: Start) -> None:
    emu = started(emulators)
    with client_of(emu) as client:
        report = pb.run_policy(pb.plan_policy(POLICY, client), client)
    again = pickle.loads(pickle.dumps(report))
    assert again == report
    assert dataclasses.replace(report.results[0]) == report.results[0]
    assert [f.name for f in dataclasses.fields(report.results[0])] == [
        "action",
        "result",
        "backup",
        "reason",
        "error",
    ]


# -- Ctrl-C -------------------------------------------------------------------------------------


def slow_deletes_server() -> RawServer:
    """Index ``idx`` (not due for a backup) with 40 Ready backups; every DELETE answered 503
    after 0.3 s."""
    now = dt.datetime.now(UTC)
    backups = [
        backup_json(
            f"b{n:02}",
            created_at=(now - dt.timedelta(minutes=n + 1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        for n in range(40)
    ]

    def handle(request: RawRequest) -> RawReply:
        if request.method == "DELETE":
            return RawReply(503, b"{}", headers=[("Retry-After", "0")], delay=0.3)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": "idx", "status": {"ready": True}}]})
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply({"data": backups, "pagination": None})

    return RawServer(handle)


@pytest.mark.timeout(30)
def test_ctrl_c_stops_the_run_and_says_what_may_have_happened() -> None:
    with slow_deletes_server() as server:
        client = pb.Client(api_key=API_KEY, host=server.url, max_retries=0)
        policy = pb.Policy(pb.PolicyRule(backup_every="1d", keep_last=1))
        plan = pb.plan_policy(policy, client)
        assert len(plan.deletes) == 39 and plan.creates == ()
        timer = threading.Timer(0.15, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        began = time.monotonic()
        with pytest.raises(pb.PolicyInterrupted) as caught:
            pb.run_policy(plan, client, concurrency=4)
        assert time.monotonic() - began < 3
        interrupted = caught.value
        assert isinstance(interrupted, KeyboardInterrupt)
        assert len(interrupted.in_flight) == 4
        assert len(interrupted.not_started) == 35
        assert interrupted.report == pb.PolicyReport()
        assert str(interrupted) == (
            "policy run interrupted: 0 created, 0 deleted, 4 under way (may have been done), "
            "35 not started"
        )
        time.sleep(0.5)
        deletes = [r for r in server.requests if r.method == "DELETE"]
        assert len(deletes) == 4, f"{len(deletes)} DELETEs: none may start after Ctrl-C"
        client.close()


@pytest.mark.timeout(30)
def test_ctrl_c_while_waiting_reports_the_backups_created(emulators: Start) -> None:
    emu = started(emulators, backup_seconds=3600)
    with client_of(emu) as client:
        plan = pb.plan_policy(POLICY, client)
        timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(pb.PolicyInterrupted) as caught:
            pb.run_policy(plan, client, wait=True, poll_interval=5)
    interrupted = caught.value
    assert [r.result for r in interrupted.report.results] == ["created"]
    assert interrupted.in_flight == ()
    assert [a.kind for a in interrupted.not_started] == ["delete"] * 4
    assert not [r for r in emu.requests if r.method == "DELETE"]


def test_a_backup_listed_for_an_index_it_does_not_name_is_never_deleted() -> None:
    """The server lists, for index 'A' and for index 'a ' (a trailing space), a backup that
    names 'a', and for 'a' one that names 'b' (which 'b's own listing lacks). Each such backup's
    index is not known for sure: kept, with the reason, and counted for no index. Found in
    review: the plan went by the name each backup claims, so 'a's keep_last 1 deleted them."""
    from urllib.parse import unquote

    old = "2026-11-01T00:00:00Z"
    listings = {
        "a": [
            backup_json("a1", "a", created_at="2026-12-01T00:00:00Z"),
            backup_json("x-b-old", "b", created_at=old),
        ],
        "A": [backup_json("A1", "a", created_at=old)],
        "a ": [backup_json("s1", "a", created_at=old)],
        "b": [backup_json("b1", "b", created_at="2026-12-01T00:00:00Z")],
    }

    def answer(request: RawRequest) -> RawReply:
        path = unquote(request.path.partition("?")[0])
        if request.method == "DELETE":
            return RawReply(202)
        if path == "/indexes":
            return json_reply(
                {"indexes": [{"name": name, "status": {"ready": True}} for name in listings]}
            )
        if path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        name = path.removeprefix("/indexes/").removesuffix("/backups")
        return json_reply({"data": listings[name], "pagination": None})

    policy = pb.Policy(pb.PolicyRule(backup_every=None, keep_last=1))
    with RawServer(answer) as server, pb.Client(api_key=API_KEY, host=server.url) as client:
        plan = pb.plan_policy(policy, client)
        kept = {
            backup.backup_id: why
            for index in plan.indexes
            if index.prune is not None
            for backup, why in index.prune.keep
        }
        assert plan.deletes == ()
        report = pb.run_policy(plan, client)
    assert kept["x-b-old"] == "source index 'b' is not the index given ('a')"
    assert kept["A1"] == "source index 'a' is not the index given ('A')"
    assert kept["s1"] == "source index 'a' is not the index given ('a ')"
    assert report.results == ()
    assert not [r for r in server.requests if r.method == "DELETE"]
    # The pure planner reads a mapping the same way; a flat list goes by the names claimed.
    flat = [pb.Backup.from_dict(b) for backups in listings.values() for b in backups]
    by_listing = {
        name: [pb.Backup.from_dict(b) for b in backups] for name, backups in listings.items()
    }
    now = dt.datetime(2026, 12, 6, tzinfo=UTC)
    assert policy.plan(list(listings), by_listing, now=now).deletes == ()
    claimed = policy.plan(list(listings), flat, now=now).deletes
    assert {action.backup.backup_id for action in claimed if action.backup} == {
        "A1",
        "s1",
        "x-b-old",
    }
