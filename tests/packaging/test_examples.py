"""The examples (the README's among them) run as written."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_quickstart(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 backups, next page: ")
    assert len(lines) == 1 + 12 + 1
    assert lines[-1].startswith("[404 NOT_FOUND] Index no-such-index not found. (request_id: ")


def test_resume_walk(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "resume_walk.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["batch 1", "batch 2", "batch 3"]
    assert [int(line.split()[2]) for line in lines] == [10, 10, 5]


def test_async_fanout(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "async_fanout.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "docs-example: example-backup",
        "my-index: backup_2024_03_20",
        "big-index: big-index-daily-25",
    ]
    assert lines[3].startswith("records in big-index backups: ")


def test_lifecycle(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "lifecycle.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "created backup before-upgrade of docs-example -> Initializing"
    statuses = [line.split(": ")[1] for line in lines if line.startswith("  status: ")]
    assert statuses[0] == "Initializing" and "Ready" in statuses
    assert statuses[-1] == "Completed"
    assert "backup ready: 98 records" in lines
    assert any(line.startswith("restoring into docs-example-restored, job ") for line in lines)
    assert lines[-2:] == ["restore job Completed (100%)", "deleted backup before-upgrade"]


def test_schedules(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "schedules.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("created nightly: daily, next run ")
    assert lines[1] == (
        "refused: This index already has an enabled backup schedule. Disable or delete it first."
    )
    assert lines[2] == "schedule nightly: keeps backups 2 days"
    runs = [line.split() for line in lines[3:-1]]
    assert [run[0] for run in runs] == ["Scheduled", "Ready", "Ready"]  # newest first
    assert all(run[1].startswith("nightly-") for run in runs)
    assert lines[-1] == "deleted nightly"
