"""Retention: ``pb.plan_prune`` (properties on generated histories, then each rule, rail and
reason), ``client.prune`` sync and async against the emulator (a restore job the plan did not
know about: 412, skipped; a backup deleted meanwhile: 404, gone; a delete answered 2xx with a
body that cannot be read: deleted; failures; Ctrl-C), and the ``prune`` command (dry run,
``--yes``, ``--json``, ``--status``, ``--older-than``, exit statuses, Ctrl-C)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import pickle
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups import _prune
from pinecone_backups.testing import Emulator
from pinecone_backups.testing._records import Exchange
from tests.helpers import (
    API_KEY,
    CAP,
    DELETE_ANSWERS,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    cli,
    json_reply,
    run_cli,
)

# -- prune --status and --older-than, reasons in the command line's words -------------------------


def test_prune_status_matches_whatever_the_case(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--status", "ready", "--allow-empty") == 0
    out, err = capsys.readouterr()
    planned = [line.split()[0] for line in out.splitlines()[1:]]
    assert planned.count("delete") == 2  # the two Ready backups of docs-example
    assert "dry run: 2 of 3 backups would be deleted" in err


def test_prune_refuses_a_status_nothing_has_and_it_does_not_know(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--status", "Faild", "--yes") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--status 'Faild' is not a status pinecone-backups knows" in err
    assert "Initializing, Pending, Ready, Failed, InitializationFailed" in err
    assert "nothing was deleted" in err
    assert [r.method for r in emulator.requests if r.method == "DELETE"] == []


def test_prune_accepts_a_status_the_server_sends_with_a_note(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    archived = emulator.add_backup("docs-example", status="Archived")["backup_id"]
    assert cli(emulator, "prune", "docs-example", "--status", "archived") == 0
    out, err = capsys.readouterr()
    planned = {line.split()[1]: line.split()[0] for line in out.splitlines()[1:]}
    assert planned[archived] == "delete"
    assert list(planned.values()).count("delete") == 1
    assert "--status 'archived' is not a status pinecone-backups knows" in err
    assert "'Archived'" in err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0d", "argument --older-than: must be more than 0, got '0d'"),
        ("-5d", "argument --older-than: a duration cannot be negative, got '-5d'"),
        ("5x", "argument --older-than: expected a duration like 90m, 36h, 30d or 2w"),
    ],
)
def test_older_than_zero_or_negative_is_a_clear_error(
    value: str,
    message: str,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "--older-than", value, "--yes") == 2
    assert message in capsys.readouterr().err
    assert emulator.requests == []


def test_prune_reasons_name_the_flags(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--keep-last", "0") == 0
    out = capsys.readouterr().out
    assert "(--allow-empty lifts this)" in out
    assert "select it with --status to delete it" in out
    for python_name in ("allow_empty", "statuses", "keep_last", "older_than"):
        assert python_name not in out


# -- The plan, client.prune, the prune command ----------------------------------------------------


UTC = dt.timezone.utc
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

_EXAMPLES = {"default": 60, "ci": 300, "long": 5_000}[
    os.environ.get("HYPOTHESIS_PROFILE", "default")
]
PROPERTY = settings(
    max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
"""The settings of the properties (``HYPOTHESIS_PROFILE=ci`` or ``long`` for more examples)."""

FINAL = ("Ready", "Failed", "InitializationFailed")
NOT_FINAL = ("Initializing", "Pending", "ready")  # statuses are read exactly: "ready" is not final
UNFINISHED_JOB = ("Pending", "InProgress", "Cancelling")
FINISHED_JOB = ("Completed", "Failed", "Cancelled")


def backup(
    backup_id: str,
    index: str = "idx",
    status: str = "Ready",
    created_at: dt.datetime | None = NOW - DAY,
    tags: dict[str, str] | None = None,
) -> pb.Backup:
    return pb.Backup(
        backup_id=backup_id,
        source_index_name=index,
        source_index_id=f"id-{index}",
        status=status,
        cloud="aws",
        region="us-east-1",
        name=f"name-{backup_id}",
        tags=tags,
        created_at=created_at,
    )


def job(backup_id: str, status: str = "Pending", job_id: str | None = None) -> pb.RestoreJob:
    return pb.RestoreJob(
        restore_job_id=job_id or f"job-{backup_id}",
        backup_id=backup_id,
        target_index_name=f"restored-{backup_id}",
        target_index_id="target-id",
        status=status,
        created_at=NOW,
    )


def ids(pairs: tuple[tuple[pb.Backup, Any], ...]) -> list[str]:
    return [b.backup_id for b, _ in pairs]


def reasons(plan: pb.PrunePlan) -> dict[str, tuple[str, str]]:
    """backup id -> ("delete" or "keep", reason)."""
    return {
        **{b.backup_id: ("delete", why) for b, why in plan.delete},
        **{b.backup_id: ("keep", why) for b, why in plan.keep},
    }


BACKUP_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),  # index
        st.sampled_from(("Ready", "Ready", *FINAL, *NOT_FINAL)),
        st.integers(0, 24 * 40),  # age in hours: ties happen
        st.sampled_from([UTC, dt.timezone(dt.timedelta(hours=2))]),
        st.integers(0, 9),  # 0: no created_at
        st.dictionaries(st.sampled_from(["env", "team"]), st.sampled_from("xy")),
    ),
    max_size=14,
)
JOB_ROWS = st.lists(
    st.tuples(st.integers(0, 13), st.sampled_from(UNFINISHED_JOB + FINISHED_JOB)), max_size=5
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[pb.Backup], list[pb.RestoreJob]]:
    """Up to 14 backups of 3 indexes (statuses final or not, ages in whole hours so that ties
    happen, some in another time zone, some without created_at), and restore jobs of some."""
    backups = [
        backup(
            f"b{number:02d}",
            index=index,
            status=status,
            created_at=(NOW - hours * HOUR).astimezone(zone) if known else None,
            tags=tags,
        )
        for number, (index, status, hours, zone, known, tags) in enumerate(draw(BACKUP_ROWS))
    ]
    jobs = [
        job(backups[which % len(backups)].backup_id, status, job_id=f"j{number}")
        for number, (which, status) in enumerate(draw(JOB_ROWS) if backups else [])
    ]
    return backups, jobs


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "keep_last": st.none() | st.integers(0, 4),
        "older_than": st.none() | st.integers(0, 24 * 40).map(lambda h: h * HOUR),
        "statuses": st.none() | st.frozensets(st.sampled_from(FINAL + NOT_FINAL + ("ready",))),
        "tags": st.none()
        | st.dictionaries(st.sampled_from(["env", "team"]), st.sampled_from("xy")),
        "allow_empty": st.booleans(),
        "indexes": st.none() | st.frozensets(st.sampled_from(["a", "b", "c", "d"])),
    },
)


def newest_first(b: pb.Backup) -> tuple[bool, dt.timedelta, str]:
    return (b.created_at is None, NOW - b.created_at if b.created_at else 0 * DAY, b.backup_id)


def newest_ready(backups: list[pb.Backup]) -> dict[str, pb.Backup]:
    """index -> its newest Ready backup (ties: the smallest id; unknown created_at: last)."""
    newest: dict[str, pb.Backup] = {}
    for b in sorted(backups, key=newest_first):
        if b.status == "Ready":
            newest.setdefault(b.source_index_name, b)
    return newest


def expected_deletions(
    backups: list[pb.Backup], jobs: list[pb.RestoreJob], filters: dict[str, Any]
) -> set[str]:
    """What the rules say, computed the plain way."""
    keep_last, older_than = filters.get("keep_last"), filters.get("older_than")
    statuses, tags, indexes = filters.get("statuses"), filters.get("tags"), filters.get("indexes")
    unsure = {  # kept whatever the filters: of another index, or of unknown age
        b.backup_id
        for b in backups
        if (indexes is not None and b.source_index_name not in indexes) or b.created_at is None
    }
    rank: dict[str, int] = {}  # among the Ready backups of an index that are not unsure
    for index in {b.source_index_name for b in backups}:
        ready = [
            b
            for b in backups
            if b.source_index_name == index and b.status == "Ready" and b.backup_id not in unsure
        ]
        rank.update((b.backup_id, n) for n, b in enumerate(sorted(ready, key=newest_first)))
    busy = {j.backup_id for j in jobs if j.status in UNFINISHED_JOB}
    result = set()
    for b in backups:
        candidate = (
            b.backup_id not in unsure
            and (keep_last is None or rank.get(b.backup_id, keep_last) >= keep_last)
            and (
                older_than is None or (b.created_at is not None and NOW - b.created_at > older_than)
            )
            and (statuses is None or b.status in statuses)
            and all(b.tags.get(key) == value for key, value in (tags or {}).items())
        )
        protected = (
            (rank.get(b.backup_id) == 0 and not filters.get("allow_empty", False))
            or b.backup_id in busy
            or (b.status in NOT_FINAL and b.status not in (statuses or ()))
        )
        if candidate and not protected:
            result.add(b.backup_id)
    return result


@PROPERTY
@given(histories(), FILTERS)
def test_the_newest_ready_backup_of_every_index_survives_unless_allow_empty(
    history: tuple[list[pb.Backup], list[pb.RestoreJob]], filters: dict[str, Any]
) -> None:
    backups, jobs = history
    plan = pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters)
    kept = set(ids(plan.keep))
    if not filters.get("allow_empty"):
        for index, newest in newest_ready(backups).items():
            assert newest.backup_id in kept, index


@PROPERTY
@given(histories(), FILTERS)
def test_no_backup_used_by_an_unfinished_restore_job_is_planned(
    history: tuple[list[pb.Backup], list[pb.RestoreJob]], filters: dict[str, Any]
) -> None:
    backups, jobs = history
    plan = pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters)
    deleted = set(ids(plan.delete))
    for used in jobs:
        if used.status in UNFINISHED_JOB:
            assert used.backup_id not in deleted


@PROPERTY
@given(histories(), FILTERS, st.randoms(use_true_random=False))
def test_the_plan_is_the_same_for_the_same_input_and_now(
    history: tuple[list[pb.Backup], list[pb.RestoreJob]],
    filters: dict[str, Any],
    shuffler: random.Random,
) -> None:
    backups, jobs = history
    plan = pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters)
    assert pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters) == plan
    shuffled, shuffled_jobs = list(backups), list(jobs)
    shuffler.shuffle(shuffled)
    shuffler.shuffle(shuffled_jobs)
    assert pb.plan_prune(shuffled, restore_jobs=shuffled_jobs, now=NOW, **filters) == plan
    # Both lists follow one order: by index, newest first, then by id.
    for pairs in (plan.delete, plan.keep):
        keys = [(b.source_index_name, *newest_first(b)) for b, _ in pairs]
        assert keys == sorted(keys)


@PROPERTY
@given(histories(), FILTERS)
def test_every_backup_is_in_exactly_one_of_delete_and_keep_with_a_reason(
    history: tuple[list[pb.Backup], list[pb.RestoreJob]], filters: dict[str, Any]
) -> None:
    backups, jobs = history
    plan = pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters)
    planned = ids(plan.delete) + ids(plan.keep)
    assert sorted(planned) == sorted(b.backup_id for b in backups)
    assert all(why for _, why in plan.delete + plan.keep)


@PROPERTY
@given(histories(), FILTERS)
def test_nothing_deleted_fails_a_filter_and_exactly_the_unprotected_candidates_are_deleted(
    history: tuple[list[pb.Backup], list[pb.RestoreJob]], filters: dict[str, Any]
) -> None:
    backups, jobs = history
    plan = pb.plan_prune(backups, restore_jobs=jobs, now=NOW, **filters)
    for b, _ in plan.delete:
        assert b.created_at is not None  # an unknown age is never deleted
        if filters.get("indexes") is not None:
            assert b.source_index_name in filters["indexes"]
        if filters.get("statuses") is not None:
            assert b.status in filters["statuses"]
        for key, value in (filters.get("tags") or {}).items():
            assert b.tags.get(key) == value
        if filters.get("older_than") is not None:
            assert b.created_at is not None and NOW - b.created_at > filters["older_than"]
        if filters.get("keep_last"):
            same = [o for o in backups if o.source_index_name == b.source_index_name]
            newest = sorted((o for o in same if o.status == "Ready"), key=newest_first)
            assert b not in newest[: filters["keep_last"]]
        assert b.status in FINAL or b.status in (filters.get("statuses") or ())
    assert set(ids(plan.delete)) == expected_deletions(backups, jobs, filters)


def test_keep_last_spares_the_newest_ready_backups_of_each_index() -> None:
    backups = [
        backup("a1", "a", created_at=NOW - 1 * DAY),
        backup("a2", "a", status="Failed", created_at=NOW - 2 * DAY),
        backup("a3", "a", created_at=NOW - 3 * DAY),
        backup("a4", "a", created_at=NOW - 4 * DAY),
        backup("b1", "b", created_at=NOW - 9 * DAY),
    ]
    plan = pb.plan_prune(backups, keep_last=2, now=NOW)
    assert ids(plan.delete) == ["a2", "a4"]  # a Failed backup is never one of the newest Ready
    assert reasons(plan) == {
        "a1": ("keep", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "a2": ("delete", "not one of the 2 newest Ready backups of its index (keep last 2)"),
        "a3": ("keep", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "a4": ("delete", "not one of the 2 newest Ready backups of its index (keep last 2)"),
        "b1": ("keep", "one of the 2 newest Ready backups of its index (keep last 2)"),
    }
    one = pb.plan_prune(backups, keep_last=1, now=NOW)
    assert reasons(one)["a1"] == ("keep", "the newest Ready backup of its index (keep last 1)")
    assert reasons(one)["a3"] == (
        "delete",
        "not the newest Ready backup of its index (keep last 1)",
    )
    zero = pb.plan_prune(backups, keep_last=0, now=NOW)
    assert ids(zero.delete) == ["a2", "a3", "a4"]  # a1 and b1: the rail, below
    assert reasons(zero)["a3"] == ("delete", "keep last 0 spares no backup")


def test_older_than_compares_created_at_with_now() -> None:
    backups = [
        backup("exact", created_at=NOW - 30 * DAY),  # exactly 30 days: not older
        backup("older", created_at=NOW - 30 * DAY - dt.timedelta(seconds=1)),
        backup("newer", created_at=NOW - 3 * HOUR),
        backup("unknown", created_at=None),
        backup("newest", created_at=NOW),
    ]
    plan = pb.plan_prune(backups, older_than=30 * DAY, now=NOW)
    assert reasons(plan) == {
        "newest": ("keep", "not older than 30d (created 0s ago)"),
        "newer": ("keep", "not older than 30d (created 3h ago)"),
        "exact": ("keep", "not older than 30d (created 30d ago)"),
        "older": ("delete", "older than 30d (created 30d ago)"),
        "unknown": ("keep", "safety: created_at unreadable (absent), so its age is unknown"),
    }
    # `now` in another zone is the same instant
    assert pb.plan_prune(backups, older_than=30 * DAY, now=NOW.astimezone(dt.timezone.max)) == plan


def test_older_than_defaults_to_the_real_now() -> None:
    real_now = dt.datetime.now(UTC)
    backups = [backup("new", created_at=real_now - HOUR), backup("old", created_at=real_now - DAY)]
    plan = pb.plan_prune(backups, older_than=2 * HOUR, allow_empty=True)
    assert ids(plan.delete) == ["old"]
    assert ids(plan.keep) == ["new"]


def test_statuses_match_exactly() -> None:
    backups = [
        backup("ok", created_at=NOW),
        backup("failed", status="Failed", created_at=NOW - DAY),
        backup("init-failed", status="InitializationFailed", created_at=NOW - 2 * DAY),
    ]
    plan = pb.plan_prune(backups, statuses=["Failed", "ready"], now=NOW)
    assert reasons(plan) == {
        "ok": ("keep", "status Ready is not one selected (Failed, ready)"),
        "failed": ("delete", "status Failed"),
        "init-failed": ("keep", "status InitializationFailed is not one selected (Failed, ready)"),
    }
    assert ids(pb.plan_prune(backups, statuses=(), now=NOW).delete) == []


def test_tags_require_each_value() -> None:
    backups = [
        backup("both", tags={"env": "dev", "team": "x"}, created_at=NOW - 2 * DAY),
        backup("other", tags={"env": "prod", "team": "x"}, created_at=NOW - 3 * DAY),
        backup("none", created_at=NOW - 4 * DAY),
        backup("newest", created_at=NOW),
    ]
    plan = pb.plan_prune(backups, tags={"team": "x", "env": "dev"}, now=NOW)
    assert reasons(plan) == {
        "newest": ("keep", "no tag env (wanted env=dev); no tag team (wanted team=x)"),
        "both": ("delete", "tag env=dev; tag team=x"),
        "other": ("keep", "tag env=prod, not dev"),
        "none": ("keep", "no tag env (wanted env=dev); no tag team (wanted team=x)"),
    }


def test_every_filter_must_match_and_the_reason_says_which_matched() -> None:
    backups = [
        backup("hit", status="Failed", created_at=NOW - 40 * DAY, tags={"env": "dev"}),
        backup("young", status="Failed", created_at=NOW - DAY, tags={"env": "dev"}),
        backup("ready", created_at=NOW - 50 * DAY, tags={"env": "dev"}),
    ]
    plan = pb.plan_prune(
        backups, older_than=30 * DAY, statuses={"Failed"}, tags={"env": "dev"}, now=NOW
    )
    assert reasons(plan) == {
        "hit": ("delete", "older than 30d (created 40d ago); status Failed; tag env=dev"),
        "young": ("keep", "not older than 30d (created 24h ago)"),
        "ready": ("keep", "status Ready is not one selected (Failed)"),
    }


def test_without_a_filter_every_backup_is_a_candidate() -> None:
    backups = [backup("new", created_at=NOW), backup("old", created_at=NOW - DAY)]
    plan = pb.plan_prune(backups, now=NOW)
    assert plan.delete == ((backups[1], "no filter given: every backup matches"),)


def test_rail_the_newest_ready_backup_of_an_index_unless_allow_empty() -> None:
    backups = [
        backup("initializing", status="Initializing", created_at=NOW),
        backup("newest-ready", created_at=NOW - DAY),
        backup("failed", status="Failed", created_at=NOW - 2 * DAY),
        backup("older-ready", created_at=NOW - 3 * DAY),
    ]
    plan = pb.plan_prune(backups, keep_last=0, now=NOW)
    assert ids(plan.delete) == ["failed", "older-ready"]
    assert reasons(plan)["newest-ready"] == (
        "keep",
        "safety: newest Ready backup of index 'idx' (allow_empty=True lifts this)",
    )
    lifted = pb.plan_prune(backups, keep_last=0, allow_empty=True, now=NOW)
    assert ids(lifted.delete) == ["newest-ready", "failed", "older-ready"]


def test_rail_a_backup_an_unfinished_restore_job_uses() -> None:
    backups = [backup(f"b{n}", created_at=NOW - n * DAY) for n in range(6)]
    jobs = [
        job("b1", "Pending"),
        job("b2", "InProgress"),
        job("b3", "Completed"),
        job("b4", "Failed"),
        job("b5", "Pending", job_id="z-job"),
        job("b5", "Pending", job_id="a-job"),
        job("not-planned", "Pending"),
    ]
    plan = pb.plan_prune(backups, older_than=HOUR, restore_jobs=iter(jobs), now=NOW)
    assert ids(plan.delete) == ["b3", "b4"]
    assert reasons(plan)["b1"] == ("keep", "safety: restore job job-b1 (Pending) uses it")
    assert reasons(plan)["b2"] == ("keep", "safety: restore job job-b2 (InProgress) uses it")
    assert reasons(plan)["b5"] == (
        "keep",
        "safety: restore job a-job (Pending) uses it; safety: restore job z-job (Pending) uses it",
    )


def test_rail_a_status_that_is_not_final_unless_statuses_names_it() -> None:
    backups = [
        backup("ready", created_at=NOW),
        backup("init", status="Initializing", created_at=NOW - 5 * DAY),
        backup("pending", status="Pending", created_at=NOW - 6 * DAY),
        backup("odd", status="Terminating", created_at=NOW - 7 * DAY),  # unknown: not final
    ]
    plan = pb.plan_prune(backups, older_than=DAY, now=NOW)
    assert ids(plan.delete) == []
    assert reasons(plan)["init"] == (
        "keep",
        "safety: status Initializing is not final (select it with statuses to delete it)",
    )
    named = pb.plan_prune(backups, older_than=DAY, statuses=["Initializing", "Ready"], now=NOW)
    assert ids(named.delete) == ["init"]


def test_rails_add_up_in_the_reason() -> None:
    backups = [backup("only", status="Ready", created_at=NOW - 9 * DAY)]
    plan = pb.plan_prune(backups, older_than=DAY, restore_jobs=[job("only")], now=NOW)
    assert plan.keep[0][1] == (
        "safety: newest Ready backup of index 'idx' (allow_empty=True lifts this); "
        "safety: restore job job-only (Pending) uses it"
    )


def served(backup_id: str, index: str = "idx", status: str = "Ready", **fields: Any) -> pb.Backup:
    """A backup as the client decodes it from the server's JSON (``created_at`` as sent)."""
    return pb.Backup.from_dict(
        {
            "backup_id": backup_id,
            "source_index_name": index,
            "source_index_id": f"id-{index}",
            "status": status,
            "cloud": "aws",
            "region": "us-east-1",
            **fields,
        }
    )


UNREADABLE = {  # created_at as sent -> how the reason quotes it
    "yesterday": "'yesterday'",
    "": "''",
    "2025-13-01T00:00:00Z": "'2025-13-01T00:00:00Z'",
    "\x1b[2J\rdeleted": r"'\x1b[2J\rdeleted'",  # escaped: no control character reaches a terminal
    "9" * 200: "'" + "9" * 56 + "...",  # cut to 60 characters
}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"keep_last": 0},
        {"keep_last": 0, "allow_empty": True},
        {"keep_last": 2},
        {"older_than": DAY},
        {"older_than": dt.timedelta(0)},
        {"statuses": ["Ready", "Failed"]},
        {"tags": {"env": "dev"}},
        {"keep_last": 0, "older_than": DAY, "statuses": ["Ready"], "allow_empty": True},
    ],
)
def test_a_backup_whose_created_at_is_unknown_is_never_deleted(filters: dict[str, Any]) -> None:
    unknown = [
        served(f"u{n}", created_at=text, tags={"env": "dev"}) for n, text in enumerate(UNREADABLE)
    ]
    unknown += [
        served("u-null", created_at=None, tags={"env": "dev"}),
        served("u-absent", status="Failed", tags={"env": "dev"}),
    ]
    known = [
        served(f"k{n}", created_at=f"2025-05-0{n}T00:00:00Z", tags={"env": "dev"})
        for n in (1, 2, 3, 4)
    ]
    plan = pb.plan_prune(unknown + known, now=NOW, **filters)
    kept = dict((b.backup_id, why) for b, why in plan.keep)
    for n, shown in enumerate(UNREADABLE.values()):
        assert kept[f"u{n}"] == f"safety: created_at unreadable ({shown}), so its age is unknown"
    assert "created_at unreadable (null)" in kept["u-null"]
    assert "created_at unreadable (absent)" in kept["u-absent"]
    assert all(b.created_at is not None for b, _ in plan.delete)
    assert plan.delete, "the known ones are still planned"


@pytest.mark.parametrize(
    "rules",
    [
        {"keep_last": 1},
        {"keep_daily": 1},
        {"keep_weekly": 1, "keep_monthly": 1},
        {"keep_within": "1d"},
        {"older_than": dt.timedelta(hours=1)},
    ],
    ids=lambda rules: ",".join(rules),
)
def test_a_backup_dated_in_the_future_is_of_unknown_age(rules: dict[str, Any]) -> None:
    # A backup dated years ahead would read as the newest, "created 0s ago": it would fill
    # keep_last's and every calendar slot and push the real backups out. Its age is unknown:
    # kept, counted nowhere. A few minutes ahead (clocks differ) reads as now.
    real = [backup(f"r{n}", created_at=NOW - dt.timedelta(days=n) - 2 * HOUR) for n in (1, 2, 3)]
    future = backup("future", created_at=NOW + dt.timedelta(days=400))
    skewed = backup("skewed", created_at=NOW + dt.timedelta(minutes=4))
    plan = pb.plan_prune([future, skewed, *real], now=NOW, **rules)
    kept = dict((b.backup_id, why) for b, why in plan.keep)
    assert kept["future"] == (
        f"safety: created_at {(NOW + dt.timedelta(days=400)).isoformat()} is in the future, "
        "so its age is unknown"
    )
    assert "future" not in ids(plan.delete)
    # The skewed one is the newest known: it takes the slots, and the oldest real backups go.
    assert "skewed" in kept and not kept["skewed"].startswith("safety: created_at")
    assert "r3" in ids(plan.delete)


def test_keep_last_ranks_the_backups_whose_age_is_known() -> None:
    # Five Ready backups: the two newest sent a created_at the client cannot read. The two
    # newest known ones are spared by keep_last 2; the unknown ones are kept as unknown.
    backups = [
        served("b1", created_at="2025-01-01T00:00:00Z"),
        served("b2", created_at="2025-01-02T00:00:00Z"),
        served("b3", created_at="2025-01-03T00:00:00Z"),
        served("b4", created_at="yesterday"),
        served("b5", created_at="2025-01-05T00:00:00 UTC"),
    ]
    plan = pb.plan_prune(backups, keep_last=2, now=NOW)
    assert ids(plan.delete) == ["b1"]
    assert reasons(plan) == {
        "b3": ("keep", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "b2": ("keep", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "b1": ("delete", "not one of the 2 newest Ready backups of its index (keep last 2)"),
        "b4": ("keep", "safety: created_at unreadable ('yesterday'), so its age is unknown"),
        "b5": (
            "keep",
            "safety: created_at unreadable ('2025-01-05T00:00:00 UTC'), so its age is unknown",
        ),
    }
    # The newest Ready backup the rail keeps is the newest known one.
    zero = pb.plan_prune(backups, keep_last=0, now=NOW)
    assert ids(zero.delete) == ["b2", "b1"]
    assert reasons(zero)["b3"][1].startswith("safety: newest Ready backup of index 'idx'")


def test_times_outside_datetime_in_utc_are_planned_without_error() -> None:
    # Python holds 9999-12-31T23:59:59-01:00 and 0001-01-01T00:00:00+01:00 as given, not in UTC.
    # The model reads such an instant as None (unknown: kept); a model that kept the datetime
    # would rank and age it by its instant. Either way planning must not raise.
    far = dt.timezone(dt.timedelta(hours=-1))
    near = dt.timezone(dt.timedelta(hours=1))
    backups = [
        backup("last", created_at=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=far)),
        backup("first", created_at=dt.datetime(1, 1, 1, tzinfo=near)),
        backup("now", created_at=NOW),
    ]
    plan = pb.plan_prune(backups, keep_last=1, older_than=DAY, now=NOW)
    if backups[0].created_at is None and backups[1].created_at is None:  # contract item 1
        unknown = "safety: created_at unreadable ({}), so its age is unknown"
        assert reasons(plan) == {
            "now": (
                "keep",
                "the newest Ready backup of its index (keep last 1); not older than 1d "
                "(created 0s ago)",
            ),
            "last": ("keep", unknown.format("'9999-12-31T23:59:59-01:00'")),
            "first": ("keep", unknown.format("'0001-01-01T00:00:00+01:00'")),
        }
    else:
        assert reasons(plan) == {
            "last": (
                "keep",
                "the newest Ready backup of its index (keep last 1); not older than 1d "
                "(created 0s ago)",
            ),
            "now": ("keep", "not older than 1d (created 0s ago)"),
            "first": (
                "delete",
                "not the newest Ready backup of its index (keep last 1); older than 1d "
                "(created 739402d ago)",
            ),
        }


def test_indexes_keeps_the_backups_of_any_other_index() -> None:
    backups = [
        backup("i1", "idx", created_at=NOW - DAY),
        backup("i2", "idx", created_at=NOW - 2 * DAY),
        backup("o1", "other", created_at=NOW - DAY),
        backup("o2", "other", created_at=NOW - 2 * DAY),
        backup("t1", "third", created_at=NOW - 3 * DAY),
    ]
    plan = pb.plan_prune(backups, keep_last=0, allow_empty=True, indexes=["idx"], now=NOW)
    assert ids(plan.delete) == ["i1", "i2"]
    assert reasons(plan)["o1"] == ("keep", "source index 'other' is not the index given ('idx')")
    assert reasons(plan)["t1"] == ("keep", "source index 'third' is not the index given ('idx')")
    two = pb.plan_prune(backups, keep_last=0, allow_empty=True, indexes=("idx", "third"), now=NOW)
    assert ids(two.delete) == ["i1", "i2", "t1"]
    assert reasons(two)["o2"] == (
        "keep",
        "source index 'other' is not one of the indexes given ('idx', 'third')",
    )
    # None (the default): any index; an empty collection: none
    assert len(pb.plan_prune(backups, keep_last=0, allow_empty=True, now=NOW).delete) == 5
    nothing = pb.plan_prune(backups, keep_last=0, indexes=iter(()), now=NOW)
    assert nothing.delete == ()
    assert reasons(nothing)["i1"] == (
        "keep",
        "source index 'idx' is not one of the indexes given (none)",
    )
    # The other index's backups do not take the ranks of the listed one's.
    ranked = pb.plan_prune(backups, keep_last=1, indexes=["idx"], now=NOW)
    assert ids(ranked.delete) == ["i2"]


def test_reasons_in_python_name_the_python_options_and_in_the_command_its_flags() -> None:
    backups = [
        backup("new", created_at=NOW),
        backup("init", status="Pending", created_at=NOW - DAY),
    ]
    python = reasons(pb.plan_prune(backups, keep_last=0, now=NOW))
    assert (
        python["new"][1]
        == "safety: newest Ready backup of index 'idx' (allow_empty=True lifts this)"
    )
    assert python["init"][1] == (
        "safety: status Pending is not final (select it with statuses to delete it)"
    )
    cli = reasons(_prune.make_plan(backups, keep_last=0, now=NOW, options=_prune.CLI_OPTIONS))
    assert cli["new"][1] == "safety: newest Ready backup of index 'idx' (--allow-empty lifts this)"
    assert (
        cli["init"][1]
        == "safety: status Pending is not final (select it with --status to delete it)"
    )
    assert "--" not in " ".join(why for _, why in python.values())


@pytest.mark.parametrize(
    ("status", "deleted"),
    [
        ("Ready", True),
        ("Failed", True),
        ("InitializationFailed", True),
        ("ready", False),  # read exactly: not Ready, so not final
        ("READY", False),
        (" Ready", False),
        ("Ready ", False),
        ("FailoverPending", False),  # contains "Fail" but is no failure: not final
        ("Terminating", False),
        ("", False),
    ],
)
def test_only_a_final_status_read_exactly_may_be_deleted(status: str, deleted: bool) -> None:
    backups = [backup("newest", created_at=NOW), backup("odd", status=status, created_at=NOW - DAY)]
    plan = pb.plan_prune(backups, older_than=HOUR, now=NOW)
    assert ("odd" in ids(plan.delete)) is deleted
    if not deleted:
        assert reasons(plan)["odd"][1].startswith(f"safety: status {status} is not final")
        # naming the status exactly lets it be deleted
        named = pb.plan_prune(backups, older_than=HOUR, statuses=[status], now=NOW)
        assert ids(named.delete) == ["odd"]


@pytest.mark.parametrize(
    ("status", "uses"),
    [
        ("Pending", True),
        ("InProgress", True),
        ("Cancelling", True),  # not over yet
        ("Queued", True),  # not known: may read the backup
        ("completed", True),  # read exactly
        ("Completed", False),
        ("Cancelled", False),
        ("Canceled", False),
        ("Failed", False),
        ("RestoreFailed", False),
    ],
)
def test_a_restore_job_is_over_only_in_a_final_status(status: str, uses: bool) -> None:
    backups = [backup("newest", created_at=NOW), backup("used", created_at=NOW - DAY)]
    plan = pb.plan_prune(backups, older_than=HOUR, restore_jobs=[job("used", status)], now=NOW)
    assert ("used" in ids(plan.keep)) is uses
    if uses:
        assert reasons(plan)["used"][1] == f"safety: restore job job-used ({status}) uses it"


def test_order_and_duplicates() -> None:
    tie = NOW - DAY
    backups = [
        backup("z", "b", created_at=tie),
        backup("y", "a", created_at=None),
        backup("x", "a", created_at=tie),
        backup("w", "a", created_at=tie),
        backup("v", "a", created_at=NOW),
        backup("x", "a", created_at=tie),  # the same backup again: planned once
    ]
    plan = pb.plan_prune(backups, now=NOW, allow_empty=True)
    assert ids(plan.delete) == ["v", "w", "x", "z"]
    assert ids(plan.keep) == ["y"]  # unknown created_at: kept, and ordered last of its index


def test_a_backup_listed_twice_with_different_fields_is_kept() -> None:
    # Which record is right? The tool cannot be sure, so it does not delete it.
    backups = [
        backup("x", created_at=NOW - 99 * DAY),
        backup("v", created_at=NOW),
        backup("x", created_at=NOW - DAY),
        backup("w", status="Failed", created_at=NOW - 2 * DAY),
        backup("w", status="Ready", created_at=NOW - 2 * DAY),
    ]
    plan = pb.plan_prune(backups, older_than=HOUR, allow_empty=True, now=NOW)
    assert ids(plan.delete) == []
    assert reasons(plan) == {
        "v": ("keep", "not older than 1h (created 0s ago)"),
        "x": ("keep", "safety: listed twice with different fields"),
        "w": ("keep", "safety: listed twice with different fields"),
    }


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"keep_last": -1}, pb.ValidationError, "keep_last must be a whole number >= 0"),
        ({"keep_last": True}, pb.ArgumentTypeError, "keep_last must be"),
        ({"keep_last": 1.0}, pb.ArgumentTypeError, "keep_last must be"),
        ({"older_than": 30}, pb.ArgumentTypeError, "older_than must be a timedelta"),
        ({"older_than": -DAY}, pb.ValidationError, "older_than must be a timedelta >= 0"),
        ({"statuses": "Failed"}, pb.ArgumentTypeError, "not a str: write ['Failed']"),
        ({"statuses": [1]}, pb.ArgumentTypeError, "statuses must be strings"),
        ({"tags": ["env"]}, pb.ArgumentTypeError, "tags must be a mapping"),
        ({"tags": {"env": 1}}, pb.ArgumentTypeError, "tags must be a mapping"),
        ({"allow_empty": 1}, pb.ArgumentTypeError, "allow_empty must be a bool"),
        ({"now": NOW.replace(tzinfo=None)}, pb.ValidationError, "timezone-aware"),
        ({"now": "2025-06-01"}, pb.ArgumentTypeError, "now must be"),
        ({"backups": [{"backup_id": "x"}]}, pb.ArgumentTypeError, "backups must be Backup"),
        ({"restore_jobs": [backup("x")]}, pb.ArgumentTypeError, "restore_jobs must be"),
        (
            {"indexes": "idx"},
            pb.ArgumentTypeError,
            "indexes must be a collection of indexes, not a str: write ['idx']",
        ),
        ({"indexes": [None]}, pb.ArgumentTypeError, "indexes must be strings"),
        ({"indexes": 3}, pb.ArgumentTypeError, "indexes must be a collection of strings"),
    ],
)
def test_bad_arguments(arguments: dict[str, Any], error: type[Exception], message: str) -> None:
    arguments = {"backups": [backup("a")], **arguments}
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        pb.plan_prune(**arguments)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", dt.timedelta(minutes=90)),
        ("36h", dt.timedelta(hours=36)),
        ("30d", dt.timedelta(days=30)),
        ("2w", dt.timedelta(weeks=2)),
        ("45s", dt.timedelta(seconds=45)),
        (" 7D ", dt.timedelta(days=7)),
    ],
)
def test_parse_duration(text: str, expected: dt.timedelta) -> None:
    assert _prune.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "d", "30", "0d", "-1d", "1.5d", "3x", "1 d", "\u0663d"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(pb.ValidationError, match="expected a duration like 90m, 36h, 30d or 2w"):
        _prune.parse_duration(text)


def test_format_duration() -> None:
    formats = [_prune.format_duration(d) for d in (14 * DAY, 36 * HOUR, dt.timedelta(minutes=90))]
    assert formats == ["14d", "36h", "90m"]
    assert _prune.format_duration(dt.timedelta(0)) == "0s"
    assert _prune.format_duration(dt.timedelta(seconds=1.5)) == "1.5s"


def test_plan_and_report_are_frozen_dataclass_like() -> None:
    plan = pb.plan_prune([backup("a", created_at=NOW), backup("b")], now=NOW)
    report_class: type = pb.PruneReport
    assert dataclasses.is_dataclass(plan) and dataclasses.is_dataclass(report_class)
    assert [f.name for f in dataclasses.fields(plan)] == ["delete", "keep"]
    assert [f.name for f in dataclasses.fields(report_class)] == ["deleted", "skipped", "failed"]
    assert dataclasses.replace(plan, delete=[]) == pb.PrunePlan((), plan.keep)
    assert dataclasses.asdict(pb.PruneReport())["deleted"] == ()
    assert pickle.loads(pickle.dumps(plan)) == plan
    assert hash(plan) == hash(pb.PrunePlan(list(plan.delete), list(plan.keep)))
    assert plan != pb.PrunePlan() and plan != (plan.delete, plan.keep)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.delete = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del plan.keep
    match plan:
        case pb.PrunePlan(delete, keep):
            assert (len(delete), len(keep)) == (1, 1)
    assert repr(pb.PruneReport()) == "PruneReport(deleted=(), skipped=(), failed=())"
    assert pb.PruneReport().ok
    with pytest.raises(pb.ArgumentTypeError, match=r"delete must hold \(Backup, reason\) pairs"):
        pb.PrunePlan(delete=[("a", "b")])  # type: ignore[list-item]


def test_importing_the_package_imports_nothing_heavy_for_prune() -> None:
    code = (
        "import sys, pinecone_backups as pb; pb.plan_prune; "
        "print(sorted(m for m in ('asyncio', 'concurrent.futures', 'dataclasses') "
        "if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
    assert {"plan_prune", "PrunePlan", "PruneReport"} <= set(pb.__all__)


def add(emu: Emulator, index: str, name: str, *, age: dt.timedelta, status: str = "Ready") -> str:
    created = (NOW - age).strftime("%Y-%m-%dT%H:%M:%SZ")
    backup_id: str = emu.add_backup(index, name=name, status=status, created_at=created)[
        "backup_id"
    ]
    return backup_id


@pytest.fixture
def nightly(emulator: Emulator) -> dict[str, str]:
    """Index ``nightly``: n1 (newest, Ready) to n5 (5 days old)."""
    return {f"n{n}": add(emulator, "nightly", f"n{n}", age=n * DAY) for n in range(1, 6)}


def deletes(emu: Emulator) -> list[str]:
    return [r.path.removeprefix("/backups/") for r in emu.requests if r.method == "DELETE"]


def test_prune_deletes_what_the_plan_says(
    emulator: Emulator, client: pb.Client, nightly: dict[str, str]
) -> None:
    plan = pb.plan_prune(client.iter_index_backups("nightly"), keep_last=2, now=NOW)
    assert [b.name for b, _ in plan.delete] == ["n3", "n4", "n5"]
    report = client.prune(plan)
    assert isinstance(report, pb.PruneReport)
    assert report == pb.PruneReport(deleted=[b for b, _ in plan.delete])
    assert report.ok
    assert [b["name"] for b in emulator.backups("nightly")] == ["n1", "n2"]
    assert sorted(deletes(emulator)) == sorted(nightly[n] for n in ("n3", "n4", "n5"))


def test_prune_skips_a_backup_a_restore_job_started_after_the_plan_uses(
    emulator: Emulator, client: pb.Client, nightly: dict[str, str]
) -> None:
    plan = pb.plan_prune(client.iter_index_backups("nightly"), older_than=2 * DAY, now=NOW)
    assert [b.name for b, _ in plan.delete] == ["n3", "n4", "n5"]
    emulator.add_restore_job(nightly["n4"], "restored-n4", status="Pending")
    report = client.prune(plan, concurrency=2)
    n4 = next(b for b, _ in plan.delete if b.name == "n4")
    assert report.skipped == ((n4, "restore pending"),)
    assert [b.name for b in report.deleted] == ["n3", "n5"]
    assert report.failed == () and report.ok
    assert emulator.get_backup(nightly["n4"]) is not None
    # Had the plan known the job, it would have kept the backup.
    replanned = pb.plan_prune(
        client.iter_index_backups("nightly"),
        older_than=2 * DAY,
        restore_jobs=client.iter_restore_jobs(),
        now=NOW,
    )
    assert replanned.delete == ()
    assert replanned.keep[-1][1].startswith("safety: restore job ")


def test_prune_counts_a_backup_deleted_meanwhile_as_gone(
    emulator: Emulator, client: pb.Client, nightly: dict[str, str]
) -> None:
    plan = pb.plan_prune(client.iter_index_backups("nightly"), keep_last=3, now=NOW)
    client.delete_backup(nightly["n5"])  # someone else
    report = client.prune(plan)
    assert [(b.name, why) for b, why in report.skipped] == [("n5", "already gone")]
    assert [b.name for b in report.deleted] == ["n4"]
    assert report.ok


def test_prune_reports_failures_and_does_the_rest(
    emulator: Emulator, client: pb.Client, nightly: dict[str, str]
) -> None:
    plan = pb.plan_prune(client.iter_index_backups("nightly"), keep_last=2, now=NOW)
    emulator.fail_next(500)  # the client of the tests does not retry
    emulator.fail_next(403, code="FORBIDDEN", message="Not today.")
    report = client.prune(plan, concurrency=1)  # one at a time: in the plan's order
    assert [
        (b.name, type(error), getattr(error, "status", None)) for b, error in report.failed
    ] == [
        ("n3", pb.UnknownError, 500),  # the class follows the body's code: UNKNOWN
        ("n4", pb.ForbiddenError, 403),
    ]
    assert [b.name for b in report.deleted] == ["n5"]
    assert not report.ok
    assert [b["name"] for b in emulator.backups("nightly")] == ["n1", "n2", "n3", "n4"]
    assert deletes(emulator) == [nightly[n] for n in ("n3", "n4", "n5")]


def test_prune_of_an_empty_plan_sends_nothing(emulator: Emulator, client: pb.Client) -> None:
    assert client.prune(pb.PrunePlan()) == pb.PruneReport()
    assert emulator.requests == []


def test_prune_checks_its_arguments_before_sending(emulator: Emulator, client: pb.Client) -> None:
    plan = pb.PrunePlan(delete=[(backup("a"), "test")])
    for bad in (0, 65, -1):
        with pytest.raises(pb.ValidationError, match="concurrency must be between 1 and 64"):
            client.prune(plan, concurrency=bad)
    for wrong in ("4", 4.0, True):
        with pytest.raises(pb.ArgumentTypeError):
            client.prune(plan, concurrency=wrong)  # type: ignore[arg-type]
    with pytest.raises(pb.ArgumentTypeError, match="plan must be a PrunePlan"):
        client.prune([(backup("a"), "test")])  # type: ignore[arg-type]
    assert emulator.requests == []


def test_prune_on_a_closed_client_raises(client: pb.Client) -> None:
    client.close()
    with pytest.raises(pb.ClientClosedError):
        client.prune(pb.PrunePlan(delete=[(backup("a"), "test")]))


class CountingClient:
    """Stands in for a client: each delete waits until ``parties`` deletions are in flight
    together (a barrier), and the most in flight at once is recorded."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=5)
        self.lock = threading.Lock()
        self.in_flight = self.most = 0
        self.deleted: list[str] = []

    def _scoped(self) -> CountingClient:  # prune_sync deletes through a scope of the client
        return self

    def close(self) -> None:
        pass

    def delete_backup(self, backup_id: str) -> None:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        try:
            self.barrier.wait()
        finally:
            with self.lock:
                self.in_flight -= 1
                self.deleted.append(backup_id)


def test_prune_sync_runs_concurrency_deletions_at_a_time() -> None:
    plan = pb.PrunePlan(delete=[(backup(f"b{n}"), "test") for n in range(9)])
    fake = CountingClient(parties=3)
    report = _prune.prune_sync(cast(pb.Client, fake), plan, 3)
    assert fake.most == 3
    assert sorted(fake.deleted) == [f"b{n}" for n in range(9)]
    assert [b.backup_id for b in report.deleted] == [f"b{n}" for n in range(9)]  # plan order


async def test_async_prune_deletes_skips_and_fails(
    emulator: Emulator, aclient: pb.AsyncClient, nightly: dict[str, str]
) -> None:
    extra = {f"n{n}": add(emulator, "nightly", f"n{n}", age=n * DAY) for n in (6, 7)}
    backups = [b async for b in aclient.iter_index_backups("nightly")]
    plan = pb.plan_prune(backups, keep_last=2, now=NOW, restore_jobs=())
    assert [b.name for b, _ in plan.delete] == ["n3", "n4", "n5", "n6", "n7"]
    emulator.add_restore_job(nightly["n4"], "restored-n4", status="Pending")  # 412
    await aclient.delete_backup(nightly["n5"])  # 404
    emulator.fail_next(503)  # the first deletion sent: n3
    coroutine = aclient.prune(plan, concurrency=1)
    assert asyncio.iscoroutine(coroutine)
    report = await coroutine
    assert [(b.name, type(e)) for b, e in report.failed] == [("n3", pb.UnavailableError)]
    assert [(b.name, why) for b, why in report.skipped] == [
        ("n4", "restore pending"),
        ("n5", "already gone"),
    ]
    assert [b.name for b in report.deleted] == ["n6", "n7"]
    assert all(emulator.get_backup(i) is None for i in extra.values())


async def test_async_prune_runs_concurrency_deletions_at_a_time() -> None:
    in_flight = most = 0
    done: list[str] = []

    class Fake:
        async def delete_backup(self, backup_id: str) -> None:
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            done.append(backup_id)

    plan = pb.PrunePlan(delete=[(backup(f"b{n}"), "test") for n in range(10)])
    report = await _prune.prune_async(cast(pb.AsyncClient, Fake()), plan, 4)
    assert most == 4
    assert sorted(done) == [f"b{n}" for n in range(10)]
    assert [b.backup_id for b in report.deleted] == [f"b{n}" for n in range(10)]


async def test_async_prune_checks_the_plan_when_called(aclient: pb.AsyncClient) -> None:
    with pytest.raises(pb.ArgumentTypeError, match="plan must be a PrunePlan"):
        _ = aclient.prune("plan")  # type: ignore[arg-type]  # no await: checked at once
    with pytest.raises(pb.ValidationError):
        _ = aclient.prune(pb.PrunePlan(), concurrency=0)
    assert await aclient.prune(pb.PrunePlan()) == pb.PruneReport()


async def test_cancelling_an_async_prune_stops_its_deletions(
    emulator: Emulator, aclient: pb.AsyncClient, nightly: dict[str, str]
) -> None:
    backups = [b async for b in aclient.iter_index_backups("nightly")]
    plan = pb.plan_prune(backups, keep_last=1, now=NOW)
    emulator.delay_next(5, times=2)
    task = asyncio.ensure_future(aclient.prune(plan, concurrency=2))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 1
    await asyncio.sleep(0.1)
    assert len(deletes(emulator)) == 2  # the other two were never sent


@pytest.fixture
def project(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Index ``nightly`` dated from the real now (the command compares with it): n1 Ready 1
    day old, n2 Ready 10 days, f1 Failed 15 days, n3 Ready 20 days, i1 Initializing 30 days."""
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    real_now = dt.datetime.now(UTC)
    made = {}
    for name, days, status in [
        ("n1", 1, "Ready"),
        ("n2", 10, "Ready"),
        ("f1", 15, "Failed"),
        ("n3", 20, "Ready"),
        ("i1", 30, "Initializing"),
    ]:
        created = (real_now - days * DAY).strftime("%Y-%m-%dT%H:%M:%SZ")
        made[name] = emulator.add_backup("nightly", name=name, status=status, created_at=created)[
            "backup_id"
        ]
    yield made
    assert emulator.observer_errors == []


def table(text: str) -> list[tuple[str, str, str]]:
    """(action or result, name, reason) of each row of the command's table."""
    lines = text.splitlines()
    assert " ".join(lines[0].split()[1:]) == "BACKUP ID INDEX NAME STATUS CREATED AT REASON"
    reason_at = lines[0].index("REASON")
    return [(line.split()[0], line.split()[3], line[reason_at:]) for line in lines[1:]]


def on_restore_jobs_listed(emu: Emulator, action: Any) -> None:
    """Runs ``action`` once, when the command has listed the restore jobs (before it deletes):
    what the plan cannot know."""
    done: list[bool] = []

    def observe(exchange: Exchange) -> None:
        if exchange.request.path == "/restore-jobs" and not done:
            done.append(True)
            action()

    emu.add_observer(observe)


def test_cli_dry_run_prints_the_plan_and_deletes_nothing(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "nightly", "--older-than", "7d") == 0
    out, err = capsys.readouterr()
    assert table(out) == [
        ("keep", "n1", "not older than 7d (created 24h ago)"),
        ("delete", "n2", "older than 7d (created 10d ago)"),
        ("delete", "f1", "older than 7d (created 15d ago)"),
        ("delete", "n3", "older than 7d (created 20d ago)"),
        (
            "keep",
            "i1",
            "safety: status Initializing is not final (select it with --status to delete it)",
        ),
    ]
    assert err == (
        "dry run: 3 of 5 backups would be deleted, 2 kept; nothing was deleted "
        "(add --yes to delete them)\n"
    )
    assert deletes(emulator) == []
    assert [r.path for r in emulator.requests] == ["/indexes/nightly/backups", "/restore-jobs"]


def test_cli_yes_deletes_and_prints_a_line_per_backup(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "nightly", "--older-than", "7d", "--status", "Ready", "-y") == 0
    out, err = capsys.readouterr()
    assert table(out) == [
        ("kept", "n1", "not older than 7d (created 24h ago)"),
        ("deleted", "n2", "older than 7d (created 10d ago); status Ready"),
        ("kept", "f1", "status Failed is not one selected (Ready)"),
        ("deleted", "n3", "older than 7d (created 20d ago); status Ready"),
        ("kept", "i1", "status Initializing is not one selected (Ready)"),
    ]
    assert err == "2 deleted, 0 skipped, 0 failed, 3 kept\n"
    assert [b["name"] for b in emulator.backups("nightly")] == ["n1", "f1", "i1"]


def test_cli_without_index_plans_the_whole_project(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "--keep-last", "2") == 0
    out = capsys.readouterr().out
    rows = table(out)
    assert len(rows) == len(emulator.backups()) > 5
    indexes = [line.split()[2] for line in out.splitlines()[1:]]
    assert indexes == sorted(indexes)
    assert set(indexes) == {"big-index", "docs-example", "my-index", "nightly"}
    keep_2 = "not one of the 2 newest Ready backups of its index (keep last 2)"
    assert ("delete", "n3", keep_2) in rows
    assert [r.path for r in emulator.requests] == ["/backups", "/restore-jobs"]


def test_cli_json_lines(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "nightly", "--keep-last", "1", "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["action"], line["backup"]["name"]) for line in lines] == [
        ("keep", "n1"),
        ("delete", "n2"),
        ("delete", "f1"),
        ("delete", "n3"),
        ("keep", "i1"),
    ]
    first = lines[0]
    assert set(first) == {"action", "backup_id", "reason", "backup"}
    assert first["backup"] == emulator.get_backup(project["n1"])
    assert first["reason"] == "the newest Ready backup of its index (keep last 1)"

    assert cli(emulator, "prune", "nightly", "--keep-last", "1", "--json", "--yes") == 0
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["result"], r["backup_id"]) for r in results] == [
        ("kept", project["n1"]),
        ("deleted", project["n2"]),
        ("deleted", project["f1"]),
        ("deleted", project["n3"]),
        ("kept", project["i1"]),
    ]
    assert err == "3 deleted, 0 skipped, 0 failed, 2 kept\n"


def test_cli_412_and_404_mid_prune_are_skipped(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    def meanwhile() -> None:
        emulator.add_restore_job(project["n2"], "restored-n2", status="Pending")
        with pb.Client(api_key=API_KEY, host=emulator.url) as someone_else:
            someone_else.delete_backup(project["n3"])

    on_restore_jobs_listed(emulator, meanwhile)
    assert cli(emulator, "prune", "nightly", "--older-than", "7d", "--yes") == 0
    out, err = capsys.readouterr()
    assert table(out)[1:4] == [
        ("skipped", "n2", "restore pending"),
        ("deleted", "f1", "older than 7d (created 15d ago)"),
        ("skipped", "n3", "already gone"),
    ]
    assert err == "1 deleted, 2 skipped (1 already gone, 1 restore pending), 0 failed, 2 kept\n"
    assert emulator.get_backup(project["n2"]) is not None


def test_cli_exit_5_when_some_deletions_fail(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Every attempt at the first deletion (n2) answers 500: the command's client retries 3
    # times (Retry-After: 0 keeps it fast), then gives up on it and does the others.
    on_restore_jobs_listed(
        emulator, lambda: emulator.fail_next(500, times=4, headers={"Retry-After": "0"})
    )
    started = time.monotonic()
    command = ("prune", "nightly", "--older-than", "7d", "--yes", "--concurrency", "1")
    assert cli(emulator, *command) == 5
    assert time.monotonic() - started < 1
    out, err = capsys.readouterr()
    assert [row[:2] for row in table(out)] == [
        ("kept", "n1"),
        ("failed", "n2"),
        ("deleted", "f1"),
        ("deleted", "n3"),
        ("kept", "i1"),
    ]
    assert table(out)[1][2].startswith("[500 UNKNOWN] Internal Server Error")
    summary, failure = err.splitlines()
    assert summary == "2 deleted, 0 skipped, 1 failed, 2 kept"
    assert failure.startswith(
        f"pinecone-backups: error: could not delete backup {project['n2']} of index 'nightly': "
        "[500 UNKNOWN] Internal Server Error"
    )
    assert deletes(emulator) == [project["n2"]] * 4 + [project["f1"], project["n3"]]


def test_cli_exit_1_on_an_api_error(
    emulator: Emulator, project: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "no-such-index", "--keep-last", "1", "--yes") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [404 NOT_FOUND] Index no-such-index not found")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "give at least one rule or filter: --keep-last, --keep-daily, --keep-weekly, "
            "--keep-monthly, --keep-yearly, --keep-within, --keep-tag, --older-than, --status "
            "or --tag",
        ),
        (("--older-than", "3x"), "argument --older-than: expected a duration like 90m"),
        (("--keep-last", "-1"), "argument --keep-last: expected a whole number >= 0"),
        (("--keep-last", "1", "--concurrency", "65"), "argument --concurrency: expected"),
        (("--tag", "env"), "argument --tag: expected KEY=VALUE"),
        (("--tag", "a=1", "--tag", "a=2"), "tag 'a' given twice"),
    ],
)
def test_cli_bad_usage_sends_nothing(
    emulator: Emulator,
    project: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    assert cli(emulator, "prune", *args, "--yes") == 2
    assert message in capsys.readouterr().err
    assert emulator.requests == []


def seed(emu: Emulator, index: str, created: dict[str, str | None]) -> dict[str, str]:
    """Ready backups of ``index`` with these ``created_at`` texts, sent as given; their ids sort
    in the order given (so a tool that ranks unknown ages by id keeps the first ones)."""
    return {
        name: emu.add_backup(index, backup_id=f"{index}-{name}", name=name, created_at=text)[
            "backup_id"
        ]
        for name, text in created.items()
    }


def results(text: str) -> dict[str, tuple[str, str]]:
    """name -> (result or action, reason) of the command's table."""
    return {name: (action, why) for action, name, why in table(text)}


@pytest.mark.off_spec_responses  # "+0000" is not RFC 3339's "+00:00"
def test_cli_keep_last_never_deletes_the_newest_when_the_offset_has_no_colon(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.1.0 could not read "+0000", ranked the five as "unknown age" by id, kept b1 and b2 (the
    # oldest) and deleted b3, b4 and b5, the three newest. The client reads "+0000" now (and
    # were it unreadable, nothing would be deleted: see the test after the next one).
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    made = seed(emulator, "daily", {f"b{n}": f"2025-01-0{n}T00:00:00+0000" for n in range(1, 6)})
    assert cli(emulator, "prune", "daily", "--keep-last", "2", "--yes") == 0
    out = capsys.readouterr().out
    assert results(out) == {
        "b5": ("kept", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "b4": ("kept", "one of the 2 newest Ready backups of its index (keep last 2)"),
        "b3": ("deleted", "not one of the 2 newest Ready backups of its index (keep last 2)"),
        "b2": ("deleted", "not one of the 2 newest Ready backups of its index (keep last 2)"),
        "b1": ("deleted", "not one of the 2 newest Ready backups of its index (keep last 2)"),
    }
    assert sorted(deletes(emulator)) == sorted([made["b1"], made["b2"], made["b3"]])


def test_cli_keep_last_1_never_deletes_a_newest_backup_with_ten_fraction_digits(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.1.0 could not read the newest one's time, ranked it after the others, and deleted it.
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    made = seed(
        emulator,
        "daily",
        {
            "b1": "2025-01-01T00:00:00Z",
            "b2": "2025-01-02T00:00:00Z",
            "b3": "2025-01-03T00:00:00.1234567890Z",
        },
    )
    assert cli(emulator, "prune", "daily", "--keep-last", "1", "--yes") == 0
    assert results(capsys.readouterr().out) == {
        "b3": ("kept", "the newest Ready backup of its index (keep last 1)"),
        "b2": ("deleted", "not the newest Ready backup of its index (keep last 1)"),
        "b1": ("deleted", "not the newest Ready backup of its index (keep last 1)"),
    }
    assert sorted(deletes(emulator)) == sorted([made["b1"], made["b2"]])


@pytest.mark.off_spec_responses  # times that are no RFC 3339, and a null
@pytest.mark.parametrize(
    "filters",
    [
        ("--keep-last", "1"),
        ("--keep-last", "0", "--allow-empty"),
        ("--older-than", "1d"),
        ("--status", "Ready"),
    ],
)
def test_cli_never_deletes_a_backup_whose_created_at_is_unreadable(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filters: tuple[str, ...],
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    made = seed(
        emulator,
        "daily",
        {
            "a-text": "yesterday",
            "b-empty": "",
            "c-null": None,
            "d-escape": "\x1b[31m2025\r",
            "e-old": "2024-01-01T00:00:00Z",
            "f-new": "2024-06-01T00:00:00Z",
        },
    )
    assert cli(emulator, "prune", "daily", *filters) == 0  # the dry run's table
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\r" not in out
    assert cli(emulator, "prune", "daily", *filters, "--yes", "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    done = {line["backup"]["name"]: (line["result"], line["reason"]) for line in lines}
    assert done["a-text"] == (
        "kept",
        "safety: created_at unreadable ('yesterday'), so its age is unknown",
    )
    assert done["b-empty"] == ("kept", "safety: created_at unreadable (''), so its age is unknown")
    assert done["c-null"] == ("kept", "safety: created_at unreadable (null), so its age is unknown")
    assert done["d-escape"] == (  # escaped as Python would, so no control character in it
        "kept",
        r"safety: created_at unreadable ('\x1b[31m2025\r'), so its age is unknown",
    )
    assert done["e-old"][0] == "deleted"  # the backups whose age is known are still pruned
    unknown = {made[n] for n in ("a-text", "b-empty", "c-null", "d-escape")}
    assert deletes(emulator) and not unknown & set(deletes(emulator))


def test_cli_prune_index_keeps_the_backups_of_another_index_the_server_lists(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.1.0 deleted what GET /indexes/daily/backups answered, even backups of index "other".
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    seed(emulator, "daily", {"d1": "2025-01-01T00:00:00Z"})
    others = seed(emulator, "other", {f"o{n}": f"2025-01-0{n}T00:00:00Z" for n in range(1, 4)})
    emulator.respond_next(200, json.dumps({"data": emulator.backups("other")}))
    assert cli(emulator, "prune", "daily", "--keep-last", "1", "--yes") == 0
    out, err = capsys.readouterr()
    reason = "source index 'other' is not the index given ('daily')"
    assert results(out) == {name: ("kept", reason) for name in others}
    assert deletes(emulator) == []
    assert err == "0 deleted, 0 skipped, 0 failed, 3 kept\n"
    assert [b["name"] for b in emulator.backups("other")] == ["o3", "o2", "o1"]


def test_prune_plan_of_a_listing_that_holds_another_index(
    emulator: Emulator, client: pb.Client
) -> None:
    seed(emulator, "other", {f"o{n}": f"2025-01-0{n}T00:00:00Z" for n in range(1, 4)})
    emulator.respond_next(200, json.dumps({"data": emulator.backups("other")}))
    listed = list(client.iter_index_backups("daily"))
    assert {b.source_index_name for b in listed} == {"other"}
    plan = pb.plan_prune(listed, keep_last=1, indexes=["daily"], now=NOW)
    assert plan.delete == ()
    assert {why for _, why in plan.keep} == {
        "source index 'other' is not the index given ('daily')"
    }


def _gzip_garbage_202(emu: Emulator) -> None:
    from pinecone_backups.testing._faults import _GZIP_GARBAGE

    emu.respond_next(202, _GZIP_GARBAGE, headers={"Content-Encoding": "gzip"})


@pytest.mark.off_spec_responses  # the point: 2xx bodies that cannot be read
@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(lambda emu: emu.gzip_garbage_next(), id="200-gzip-garbage"),
        pytest.param(_gzip_garbage_202, id="202-gzip-garbage"),
        pytest.param(lambda emu: emu.huge_body_next(size=100_000), id="200-over-max-bytes"),
        pytest.param(
            lambda emu: emu.huge_body_next(size=100_000, chunked=True), id="200-chunked-over-max"
        ),
    ],
)
def test_prune_counts_a_delete_answered_2xx_with_an_unreadable_body_as_deleted(
    emulator: Emulator, nightly: dict[str, str], fault: Any
) -> None:
    # The server accepted the DELETE; its body does not matter (0.1.0 reported it failed).
    with pb.Client(
        api_key=API_KEY, host=emulator.url, max_retries=0, max_response_bytes=10_000
    ) as client:
        plan = pb.plan_prune(client.iter_index_backups("nightly"), keep_last=4, now=NOW)
        assert [b.name for b, _ in plan.delete] == ["n5"]
        fault(emulator)
        report = client.prune(plan)
    assert report == pb.PruneReport(deleted=[plan.delete[0][0]])
    assert deletes(emulator) == [nightly["n5"]]  # sent once


@pytest.mark.off_spec_responses  # a 2xx body that cannot be read
async def test_async_prune_counts_a_delete_answered_2xx_with_an_unreadable_body_as_deleted(
    emulator: Emulator, nightly: dict[str, str]
) -> None:
    async with pb.AsyncClient(
        api_key=API_KEY, host=emulator.url, max_retries=0, max_response_bytes=10_000
    ) as aclient:
        backups = [b async for b in aclient.iter_index_backups("nightly")]
        plan = pb.plan_prune(backups, keep_last=3, now=NOW)
        assert [b.name for b, _ in plan.delete] == ["n4", "n5"]
        _gzip_garbage_202(emulator)
        emulator.huge_body_next(size=100_000)
        report = await aclient.prune(plan, concurrency=1)
    assert report == pb.PruneReport(deleted=[b for b, _ in plan.delete])
    assert deletes(emulator) == [nightly["n4"], nightly["n5"]]


def _slow_deletes_server() -> Any:
    """40 Ready backups of index ``idx``, no restore jobs; every DELETE answered 503 after
    0.3 s (so a client retries it, with Retry-After: 0)."""
    from tests.helpers import RawReply, RawServer, backup_json, json_reply

    backups = [
        backup_json(f"b{n:02}", created_at=f"2025-01-01T00:{n:02}:00Z", source_index_name="idx")
        for n in range(40)
    ]

    def handle(request: Any) -> Any:
        if request.method == "DELETE":
            return RawReply(503, b"{}", headers=[("Retry-After", "0")], delay=0.3)
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply({"data": backups, "pagination": None})

    return RawServer(handle)


@pytest.mark.timeout(30)
def test_ctrl_c_during_prune_yes_stops_every_request_and_says_what_may_have_happened() -> None:
    """Before: 'interrupted' was printed, then in-flight deletes kept retrying for seconds and
    more DELETEs reached the server; now nothing starts after the signal, the process ends
    within two seconds with 130 and names the deletions that may have happened."""
    import signal

    with _slow_deletes_server() as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PINECONE_API_KEY": API_KEY,
            "PINECONE_CONTROLLER_HOST": server.url,
        }
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pinecone_backups",
                "prune",
                "idx",
                "--keep-last",
                "1",
                "--yes",
                "--concurrency",
                "4",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 15
        while sum(r.method == "DELETE" for r in server.requests) < 6:
            assert time.monotonic() < deadline, "the prune never started deleting"
            time.sleep(0.01)
        signalled = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            _, stderr_bytes = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the prune ran on for 10 s after Ctrl-C")
        ended = time.monotonic() - signalled
        late = [
            r for r in server.requests if r.method == "DELETE" and r.received_at > signalled + 0.1
        ]
    stderr = stderr_bytes.decode()
    assert process.returncode == 130, stderr
    assert ended < 2.5, f"{ended:.1f} s after Ctrl-C"
    assert not late, f"{len(late)} DELETEs reached the server after Ctrl-C"
    assert "may have been deleted" in stderr, stderr
    assert "no request was started after Ctrl-C" in stderr, stderr


def test_an_interrupted_prune_reports_what_it_did() -> None:
    """Client.prune raises PruneInterrupted (a KeyboardInterrupt) with what finished, what was
    under way and what never started; no DELETE starts after the interrupt."""
    import signal

    with _slow_deletes_server() as server:
        client = pb.Client(api_key=API_KEY, host=server.url, max_retries=0)
        backups = list(client.iter_index_backups("idx"))
        plan = pb.PrunePlan(delete=[(b, "test") for b in backups])
        # Ctrl-C as a terminal sends it, while the first deletions are under way.
        timer = threading.Timer(0.15, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        started = time.monotonic()
        with pytest.raises(pb.PruneInterrupted) as caught:
            client.prune(plan, concurrency=4)
        interrupted_at = started + 0.15
        assert time.monotonic() - started < 3
        interrupted = caught.value
        assert isinstance(interrupted, KeyboardInterrupt)
        report = interrupted.report
        finished = len(report.deleted) + len(report.skipped) + len(report.failed)
        assert len(interrupted.in_flight) == 4, interrupted
        assert finished == 0, report
        assert len(interrupted.not_started) == 36
        time.sleep(0.5)
        deletes = [r for r in server.requests if r.method == "DELETE"]
        assert len(deletes) == 4, f"{len(deletes)} DELETEs: none may start after the interrupt"
        assert all(r.received_at < interrupted_at + 0.1 for r in deletes)
        client.close()


# -- A delete answered 2xx with a body that cannot be read is counted deleted ---------------------


KEY = "pcsk_errors_trust_0123456789"
FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)


def prunable() -> list[pb.Backup]:
    return [
        pb.Backup.from_dict(backup_json(f"b-{day}", created_at=f"2025-01-0{day}T00:00:00Z"))
        for day in range(1, 5)
    ]


@pytest.mark.timeout(30)
def test_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    plan = pb.plan_prune(prunable(), statuses=["Ready"], allow_empty=True)
    assert len(plan.delete) == 4
    answers = list(DELETE_ANSWERS.values())

    def answer(request: RawRequest) -> RawReply:
        return answers[int(request.path.rsplit("-", 1)[-1]) % len(answers)]

    with (
        RawServer(answer) as server,
        pb.Client(api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST) as client,
    ):
        report = client.prune(plan)
    assert report.failed == (), report.failed
    assert sorted(b.backup_id for b in report.deleted) == ["b-1", "b-2", "b-3", "b-4"]
    assert report.ok


@pytest.mark.timeout(30)
async def test_async_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    plan = pb.plan_prune(prunable(), statuses=["Ready"], allow_empty=True)
    with RawServer(lambda _: DELETE_ANSWERS["202, gzip that does not inflate"]) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST) as client:
            report = await asyncio.wait_for(client.prune(plan), 10)
    assert report.failed == (), report.failed
    assert len(report.deleted) == 4


@pytest.mark.timeout(30)
def test_the_cli_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    listing = {"data": [b.to_dict() for b in prunable()], "pagination": None}

    def answer(request: RawRequest) -> RawReply:
        if request.method == "DELETE":
            return DELETE_ANSWERS["202, gzip that does not inflate"]
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply(listing)

    with RawServer(answer) as server:
        run = run_cli(
            "prune",
            "idx",
            "--status",
            "Ready",
            "--allow-empty",
            "--yes",
            "--host",
            server.url,
            env={"PINECONE_API_KEY": KEY},
        )
        deletes = [p for p in server.paths() if p.startswith("DELETE")]
    assert run.returncode == 0, run.output[-2000:]
    assert len(deletes) == 4, deletes
