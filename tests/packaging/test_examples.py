"""The examples (the README's among them) run as written."""

from __future__ import annotations

import os
import re
import runpy
import shlex
import subprocess
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


# -- examples/unattended: a cron line, a systemd service and timer, a GitHub Actions workflow ----

UNATTENDED = EXAMPLES / "unattended"
COMMAND_LINE = re.compile(r"(?:^|[\s/])pinecone-backups ((?:policy|coverage)\b[^\n;&|>#]*)")


def unattended_commands() -> dict[str, list[list[str]]]:
    """Each ``pinecone-backups ...`` command line of each file of examples/unattended, split as
    a shell splits it."""
    return {
        path.name: [shlex.split(match) for match in COMMAND_LINE.findall(path.read_text())]
        for path in sorted(UNATTENDED.iterdir())
        if path.name != "policy.toml"
    }


def test_the_unattended_examples_run_policy_run_yes_then_coverage() -> None:
    commands = unattended_commands()
    assert sorted(commands) == [
        "crontab",
        "pinecone-backups.service",
        "pinecone-backups.timer",
        "pinecone-backups.yml",
    ]
    for name in ("crontab", "pinecone-backups.service", "pinecone-backups.yml"):
        assert [command[0] for command in commands[name]] == ["policy", "coverage"], name
        assert commands[name][0][1] == "run", name
        assert "--yes" in commands[name][0], name


def test_each_command_line_of_the_unattended_examples_parses() -> None:
    from pinecone_backups.cli import _parser

    for name, commands in unattended_commands().items():
        for command in commands:
            try:
                args = _parser.parser()[0].parse_args(command)
            except SystemExit:  # pragma: no cover - the message is on stderr
                pytest.fail(f"{name}: pinecone-backups {shlex.join(command)} does not parse")
            assert args.command_spec is not None


def test_the_unattended_policy_is_valid_and_the_files_hold_no_key() -> None:
    import pinecone_backups as pb

    policy = pb.load_policy(UNATTENDED / "policy.toml")
    assert policy.settings_for("dev-1") is not None
    for path in UNATTENDED.iterdir():
        text = path.read_text()
        assert "pcsk_" not in text and not re.search(r"PINECONE_API_KEY\s*[=:]\s*\w", text), path
    workflow = (UNATTENDED / "pinecone-backups.yml").read_text()
    assert "PINECONE_API_KEY: ${{ secrets.PINECONE_API_KEY }}" in workflow
    assert "pip install pinecone-backups" in workflow
    assert workflow.count("timeout-minutes:") == 3
    service = (UNATTENDED / "pinecone-backups.service").read_text()
    assert "EnvironmentFile=/etc/pinecone-backups/env" in service
    assert "TimeoutStartSec=" in service
    assert "Unit=" not in (UNATTENDED / "pinecone-backups.timer").read_text()  # same name
    (cron,) = [
        line
        for line in (UNATTENDED / "crontab").read_text().splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert len(cron.split()[:5]) == 5 and all(
        re.fullmatch(r"[\d*/,-]+", f) for f in cron.split()[:5]
    )
    assert cron.count("timeout -s INT ") == 2


def test_the_service_runs_coverage_even_when_policy_run_fails_and_fails_if_either_does(
    tmp_path: Path,
) -> None:
    # as the crontab (;) and the workflow (if: success() || failure()): one ExecStart, its shell
    # line run here with a stand-in for the tool that exits as told and logs its command
    service = (UNATTENDED / "pinecone-backups.service").read_text()
    (start,) = [line for line in service.splitlines() if line.startswith("ExecStart")]
    assert "ExecStopPost" not in service
    argv = shlex.split(start.removeprefix("ExecStart="))
    assert argv[:2] == ["/bin/sh", "-c"] and len(argv) == 3
    script = argv[2].replace("$$", "$")  # systemd's literal $
    assert "$" not in argv[2].replace("$$", "")  # nothing left for systemd to expand
    tool = tmp_path / "pinecone-backups"
    log = tmp_path / "log"
    tool.write_text(
        '#!/bin/sh\necho "$1" >> "$LOG"\n'
        'case "$1" in policy) exit "$POLICY";; coverage) exit "$COVERAGE";; esac\n'
    )
    tool.chmod(0o755)
    script = script.replace("/opt/pinecone-backups/bin/pinecone-backups", str(tool))
    for policy, coverage, status in ((0, 0, 0), (5, 0, 5), (0, 6, 6), (5, 6, 5), (1, 6, 1)):
        log.write_text("")
        env = {**os.environ, "LOG": str(log), "POLICY": str(policy), "COVERAGE": str(coverage)}
        done = subprocess.run(["/bin/sh", "-c", script], env=env, check=False)
        assert done.returncode == status, (policy, coverage)
        assert log.read_text().split() == ["policy", "coverage"]


def test_the_crontab_timer_and_workflow_say_the_same_time_in_utc() -> None:
    crontab = (UNATTENDED / "crontab").read_text().splitlines()
    assert "CRON_TZ=UTC" in crontab  # cron's times are local without it
    (cron,) = [line for line in crontab if line[:1].isdigit()]
    assert cron.split()[:5] == ["15", "3", "*", "*", "*"]
    timer = (UNATTENDED / "pinecone-backups.timer").read_text()
    assert "OnCalendar=*-*-* 03:15:00 UTC" in timer
    workflow = (UNATTENDED / "pinecone-backups.yml").read_text()
    assert '- cron: "15 3 * * *"' in workflow  # GitHub's schedules are in UTC
