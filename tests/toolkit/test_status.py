"""What a status means (``pinecone_backups._status``), and that every part of the package reads it
so: the waits, the notebook displays' colours, ``summarize`` (``inventory``) and retention.

Statuses are read exactly: a backup succeeded when ``Ready``, failed when ``Failed`` or ending in
``Failed``; a restore job succeeded when ``Completed``, failed when ending in ``Failed``,
``Cancelled`` or ``Canceled``; anything else is running.
"""

from __future__ import annotations

import datetime as dt

import pytest

import pinecone_backups as pb
from pinecone_backups import _display, _status
from pinecone_backups.testing import Emulator

S, F, R = _status.SUCCEEDED, _status.FAILED, _status.RUNNING

BACKUP_TABLE = [
    ("Ready", S),
    ("Failed", F),
    ("InitializationFailed", F),
    ("Initializing", R),
    ("Pending", R),
    ("ready", R),  # read exactly
    ("READY", R),
    (" Ready", R),
    ("Failed ", R),
    ("failed", R),
    ("FailoverPending", R),  # contains "Fail", and is no failure
    ("Completed", R),  # a restore job's success, not a backup's
    ("Cancelled", R),  # a restore job's failure, not a backup's
    ("SomethingNew", R),
    ("", R),
]
RESTORE_JOB_TABLE = [
    ("Completed", S),
    ("Failed", F),
    ("RestoreFailed", F),
    ("Cancelled", F),
    ("Canceled", F),
    ("Cancelling", R),  # not over yet
    ("Canceling", R),
    ("Pending", R),
    ("InProgress", R),
    ("Queued", R),
    ("completed", R),  # read exactly
    ("cancelled", R),
    ("FailoverPending", R),
    ("CancelledSoon", R),
    ("Ready", R),  # a backup's success, not a restore job's
    ("", R),
]
EITHER_TABLE = [
    ("Ready", S),
    ("Completed", S),
    ("Failed", F),
    ("InitializationFailed", F),
    ("Cancelled", F),
    ("Canceled", F),
    ("Cancelling", R),
    ("FailoverPending", R),
    ("Pending", R),
    ("ready", R),
    ("SomethingNew", R),
    ("", R),
]
TABLES = {_status.BACKUP: BACKUP_TABLE, _status.RESTORE_JOB: RESTORE_JOB_TABLE, None: EITHER_TABLE}
CASES = [(kind, status, meaning) for kind, table in TABLES.items() for status, meaning in table]


@pytest.mark.parametrize(("kind", "status", "meaning"), CASES)
def test_what_a_status_means(kind: str | None, status: str, meaning: str) -> None:
    assert _status.state(status, kind) == meaning
    assert _status.succeeded(status, kind) is (meaning == S)
    assert _status.failed(status, kind) is (meaning == F)
    assert _status.final(status, kind) is (meaning != R)
    if kind is not None:
        expected = {S: True, F: False, R: None}[meaning]
        assert _status.outcome(kind, status) is expected


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind must be"):
        _status.state("Ready", "index")


def test_the_known_backup_statuses_read_as_their_names_say() -> None:
    assert [_status.state(s, _status.BACKUP) for s in _status.BACKUP_STATUSES] == [R, R, S, F, F]
    assert all(_status.state(s) == R for s in _status.KNOWN_RUNNING)


def backup(backup_id: str, status: str, created_at: str = "2025-01-01T00:00:00Z") -> pb.Backup:
    return pb.Backup(
        backup_id=backup_id,
        source_index_name="idx",
        source_index_id="idx-id",
        status=status,
        cloud="aws",
        region="us-east-1",
        created_at=created_at,
    )


def job(backup_id: str, status: str) -> pb.RestoreJob:
    return pb.RestoreJob(
        restore_job_id=f"job-{backup_id}",
        backup_id=backup_id,
        target_index_name="restored",
        target_index_id="restored-id",
        status=status,
        created_at="2025-01-01T00:00:00Z",
    )


@pytest.mark.parametrize(("status", "meaning"), EITHER_TABLE)
def test_display_colours_follow_the_status(status: str, meaning: str) -> None:
    text_color = _display.status_colors(status)[0]
    assert (text_color == "#1a7f37") is (meaning == S)  # green
    assert (text_color == "#cf222e") is (meaning == F)  # red
    if meaning == R:  # amber when known to be under way, grey when not known
        assert text_color == ("#9a6700" if status in _status.KNOWN_RUNNING else "#57606a")


def test_summarize_counts_by_the_status_rule() -> None:
    statuses = [status for status, _ in BACKUP_TABLE]
    backups = [backup(f"b{number}", status) for number, status in enumerate(statuses)]
    (row,) = pb.summarize(backups, by="index")
    meanings = [meaning for _, meaning in BACKUP_TABLE]
    assert (row["ready"], row["failed"], row["other"]) == (
        meanings.count(S),
        meanings.count(F),
        meanings.count(R),
    )


@pytest.mark.parametrize(("status", "meaning"), BACKUP_TABLE)
def test_prune_deletes_only_a_final_backup(status: str, meaning: str) -> None:
    now = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    newest = backup("newest", "Ready", "2025-05-31T00:00:00Z")  # the newest Ready is kept
    plan = pb.plan_prune([newest, backup("odd", status)], older_than=dt.timedelta(days=1), now=now)
    deleted = [b.backup_id for b, _ in plan.delete]
    assert ("odd" in deleted) is (meaning != R)


@pytest.mark.parametrize(("status", "meaning"), RESTORE_JOB_TABLE)
def test_prune_spares_a_backup_a_running_restore_job_uses(status: str, meaning: str) -> None:
    now = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    newest = backup("newest", "Ready", "2025-05-31T00:00:00Z")
    plan = pb.plan_prune(
        [newest, backup("used", "Ready")],
        older_than=dt.timedelta(days=1),
        restore_jobs=[job("used", status)],
        now=now,
    )
    kept = [b.backup_id for b, _ in plan.keep]
    assert ("used" in kept) is (meaning == R)


@pytest.mark.parametrize(("status", "meaning"), BACKUP_TABLE)
def test_waiting_for_a_backup_follows_the_status(
    emulator: Emulator, client: pb.Client, status: str, meaning: str
) -> None:
    created = emulator.add_backup("idx", status=status)
    if meaning == S:
        assert (
            client.wait_for_backup(created["backup_id"], timeout=0.3, poll_interval=0.05).status
            == status
        )
    elif meaning == F:
        with pytest.raises(pb.BackupFailedError) as failed:
            client.wait_for_backup(created["backup_id"], timeout=0.3, poll_interval=0.05)
        assert failed.value.backup.status == status
    else:  # still running: the wait goes on until its timeout
        with pytest.raises(pb.WaitTimeoutError) as timed_out:
            client.wait_for_backup(created["backup_id"], timeout=0.3, poll_interval=0.05)
        assert timed_out.value.last.status == status


@pytest.mark.parametrize(("status", "meaning"), RESTORE_JOB_TABLE)
def test_waiting_for_a_restore_job_follows_the_status(
    emulator: Emulator, client: pb.Client, status: str, meaning: str
) -> None:
    created = emulator.add_restore_job("bkp_123abc", "restored", status=status)
    if meaning == S:
        assert (
            client.wait_for_restore_job(
                created["restore_job_id"], timeout=0.3, poll_interval=0.05
            ).status
            == status
        )
    elif meaning == F:
        with pytest.raises(pb.RestoreJobFailedError) as failed:
            client.wait_for_restore_job(created["restore_job_id"], timeout=0.3, poll_interval=0.05)
        assert failed.value.restore_job.status == status
    else:
        with pytest.raises(pb.WaitTimeoutError) as timed_out:
            client.wait_for_restore_job(created["restore_job_id"], timeout=0.3, poll_interval=0.05)
        assert timed_out.value.last.status == status
