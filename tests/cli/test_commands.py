"""The pinecone-backups commands and what each prints: ``list`` (a page, every page, the project),
``describe``, ``create``, ``restore``, ``jobs``, ``job``, ``wait``, as a process against the
bundled emulator or in-process (``main([...])``) against emulators configured by the tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, Emulator
from tests.helpers import API_KEY, READY_BACKUP, Start, cli, fields_of, json_lines, run

# -- Each command in its own process, against the bundled emulator --------------------------------


def test_list_from_the_bundled_emulator() -> None:
    result = run("list", "docs-example", "--emulator")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "BACKUP",
        "ID",
        "NAME",
        "STATUS",
        "RECORDS",
        "SIZE",
        "CREATED",
        "AT",
    ]
    assert lines[1].split()[:3] == [DOCS_EXAMPLE_BACKUP["backup_id"], "example-backup", "Pending"]
    assert "2025-03-11 18:29:50 UTC" in lines[1]
    assert len(lines) == 4
    assert "3 backups of index 'docs-example'" in result.stderr


def test_json_lines_and_all_pages() -> None:
    result = run("list", "big-index", "--emulator", "--all", "--limit", "10", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 25
    assert {row["source_index_name"] for row in rows} == {"big-index"}


def test_one_page_tells_how_to_get_the_next() -> None:
    result = run("list", "big-index", "--emulator", "--limit", "5")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 6
    assert "--pagination-token" in result.stderr


def test_against_a_host_from_the_environment(emulator: Emulator) -> None:
    env = {"PINECONE_API_KEY": API_KEY, "PINECONE_CONTROLLER_HOST": emulator.url}
    result = run("list", "my-index", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["backup_id"] for line in result.stdout.splitlines()] == [
        "bkp_789xyz",
        "bkp_123abc",
    ]


def test_console_script_is_installed() -> None:
    script = shutil.which("pinecone-backups", path=os.path.dirname(sys.executable))
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("pinecone-backups ")


def test_list_without_an_index_lists_the_project() -> None:
    result = run("list", "--emulator")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == [
        "BACKUP ID",
        "NAME",
        "INDEX",
        "STATUS",
        "RECORDS",
        "SIZE",
        "CREATED AT",
    ]
    assert len(lines) == 1 + 10
    assert "10 backups in the project" in result.stderr
    assert "--pagination-token" in result.stderr

    every = run("list", "--emulator", "--all", "--json")
    assert every.returncode == 0, every.stderr
    rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert len(rows) == len({row["backup_id"] for row in rows}) >= 3 + 2 + 25
    assert {"docs-example", "my-index", "big-index"} <= {row["source_index_name"] for row in rows}


def test_describe_shows_every_field() -> None:
    result = run("describe", DOCS_EXAMPLE_BACKUP["backup_id"], "--emulator")
    assert result.returncode == 0, result.stderr
    fields = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert fields["backup_id"] == DOCS_EXAMPLE_BACKUP["backup_id"]
    assert fields["name"] == "example-backup"
    assert fields["source_index_name"] == "docs-example"
    assert fields["created_at"] == "2025-03-11 18:29:50 UTC"
    assert set(fields) >= {"status", "record_count", "size_bytes", "tags", "schema"}

    as_json = run("describe", DOCS_EXAMPLE_BACKUP["backup_id"], "--emulator", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == DOCS_EXAMPLE_BACKUP


def test_describe_a_missing_backup_is_an_api_error() -> None:
    result = run("describe", "no-such-backup", "--emulator")
    assert result.returncode == 1
    assert result.stdout == ""
    error, note = result.stderr.splitlines()
    assert error.startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    # Under --emulator, a 404 for an id says why an id from an earlier command is not there.
    assert note.startswith("note: --emulator starts a fresh emulator")
    assert "python -m pinecone_backups.testing" in note


def test_create_and_wait_reports_progress_on_stderr() -> None:
    result = run("create", "docs-example", "--name", "nightly", "--wait", "--json", "--emulator")
    assert result.returncode == 0, result.stderr
    backup = json.loads(result.stdout)
    assert (backup["name"], backup["status"]) == ("nightly", "Ready")
    assert "\r" not in result.stderr  # not a terminal: one line per status change
    created, *progress = result.stderr.splitlines()
    assert created.startswith(f"created backup {backup['backup_id']} of index 'docs-example'")
    statuses = [line.split(": ")[1].split(",")[0] for line in progress]
    assert statuses in (["Initializing", "Ready"], ["Ready"])  # (["Ready"] on a slow machine)


def test_restore_and_wait() -> None:
    result = run(
        "restore",
        READY_BACKUP,
        "--name",
        "restored",
        "--tag",
        "env=dev",
        "--deletion-protection",
        "disabled",
        "--wait",
        "--emulator",
    )
    assert result.returncode == 0, result.stderr
    fields = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert (fields["status"], fields["target_index_name"]) == ("Completed", "restored")
    assert fields["backup_id"] == READY_BACKUP
    assert "restore job " in result.stderr


# -- In-process, against emulators the tests configure --------------------------------------------


FAST = ("--poll-interval", "0.05")


def test_describe_table_and_json(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "describe", READY_BACKUP) == 0
    fields = fields_of(capsys.readouterr().out)
    assert fields["backup_id"] == READY_BACKUP
    assert fields["status"] == "Ready"
    assert fields["size_bytes"] == "9.5 MiB (10,000,000 bytes)"
    assert fields["tags"] == "environment=production, type=monthly"

    assert cli(emu, "describe", READY_BACKUP, "--json") == 0
    assert json_lines(capsys.readouterr().out)[0]["backup_id"] == READY_BACKUP


def test_create_without_wait_tells_how_to_wait(
    start: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(backup_seconds=3600)
    assert cli(emu, "create", "my-index", "--name", "later", "--description", "d") == 0
    out, err = capsys.readouterr()
    backup = fields_of(out)
    assert (backup["name"], backup["description"], backup["status"]) == (
        "later",
        "d",
        "Initializing",
    )
    assert f"pinecone-backups wait backup {backup['backup_id']}" in err

    emu.advance(3600)  # the emulator's clock: the backup is ready now
    assert cli(emu, "wait", "backup", backup["backup_id"], "--json") == 0
    out, err = capsys.readouterr()
    assert json_lines(out)[0]["status"] == "Ready"
    assert err.splitlines()[-1].startswith(f"backup {backup['backup_id']}: Ready, ")


def test_restore_then_jobs_job_and_wait(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "restore", READY_BACKUP, "--name", "restored") == 0
    out, err = capsys.readouterr()
    response = fields_of(out)
    assert set(response) == {"restore_job_id", "index_id"}
    job_id = response["restore_job_id"]
    assert f"pinecone-backups wait job {job_id}" in err

    assert cli(emu, "jobs") == 0
    out, err = capsys.readouterr()
    header, *rows = out.splitlines()
    assert header.split()[:5] == ["RESTORE", "JOB", "ID", "BACKUP", "ID"]
    assert any(row.split()[:3] == [job_id, READY_BACKUP, "restored"] for row in rows)
    assert f"{len(rows)} restore job" in err

    assert cli(emu, "jobs", "--all", "--limit", "1", "--json") == 0
    jobs = json_lines(capsys.readouterr().out)
    assert job_id in [job["restore_job_id"] for job in jobs]

    assert cli(emu, "job", job_id, "--json") == 0
    job = json_lines(capsys.readouterr().out)[0]
    assert (job["restore_job_id"], job["target_index_name"]) == (job_id, "restored")

    assert cli(emu, "wait", "job", job_id, *FAST) == 0
    out, err = capsys.readouterr()
    final = fields_of(out)
    assert (final["status"], final["percent_complete"]) == ("Completed", "100%")
    assert final["completed_at"] != "-"
    assert f"restore job {job_id}: Completed, 100% complete, " in err


def test_restore_sends_tags_and_deletion_protection(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["restore", READY_BACKUP, "--name", "tagged", "--tag", "env=dev", "--tag", "note="]
    assert cli(emu, *args, "--deletion-protection", "enabled", "--json") == 0
    response = json_lines(capsys.readouterr().out)[0]
    assert set(response) == {"restore_job_id", "index_id"}
    [post] = [request for request in emu.requests if request.method == "POST"]
    assert json.loads(post.body) == {
        "name": "tagged",
        "tags": {"env": "dev", "note": ""},
        "deletion_protection": "enabled",
    }


def test_restore_wait_prints_the_completed_job(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "restore", READY_BACKUP, "--name", "waited", "--wait", *FAST, "--json") == 0
    job = json_lines(capsys.readouterr().out)
    assert len(job) == 1
    assert (job[0]["status"], job[0]["target_index_name"]) == ("Completed", "waited")


# -- Sizes ----------------------------------------------------------------------------------------


def test_sizes_switch_unit_before_four_digits(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "list", "docs-example") == 0  # the sample's 1,047,552 bytes
    sizes = re.findall(r"\b(\d+(?:\.\d)?) (B|KiB|MiB|GiB)\b", capsys.readouterr().out)
    assert ("1.0", "MiB") in sizes
    assert all(len(number.split(".")[0]) <= 3 for number, _ in sizes), sizes
    assert cli(emulator, "describe", evil["old"]) == 0
    assert "1.0 MiB (1,047,552 bytes)" in capsys.readouterr().out
