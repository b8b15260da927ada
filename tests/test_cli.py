"""The pinecone-backups command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import API_KEY
from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, SPEC_EXAMPLE_RESPONSE, Emulator


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


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


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["list", "nope", "--emulator"], {}, "[404 NOT_FOUND] Index nope not found."),
        (["list", "docs-example"], {}, "no API key"),
        (
            ["list", "docs-example", "--host", "http://127.0.0.1:1"],
            {"PINECONE_API_KEY": API_KEY},
            "could not connect to http://127.0.0.1:1",
        ),
    ],
)
def test_errors_are_one_line_with_status_1(
    args: list[str], env: dict[str, str], message: str
) -> None:
    result = run(*args, env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("pinecone-backups: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_is_installed() -> None:
    script = shutil.which("pinecone-backups", path=os.path.dirname(sys.executable))
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("pinecone-backups ")


def test_a_bad_limit_is_bad_usage_with_status_2() -> None:
    # Was a status-1 case above: bad arguments (ValidationError) now exit with 2, issue 9.
    result = run("list", "docs-example", "--emulator", "--limit", "0")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("pinecone-backups: error: ")
    assert "limit must be between 1 and 100" in result.stderr


# The lifecycle commands, each in its own process against its own bundled emulator (the
# in-process tests with a configured emulator are in test_cli_lifecycle.py).

READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][0]["backup_id"]


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


def test_delete_refuses_without_yes_when_stdin_is_not_a_terminal() -> None:
    result = run("delete", DOCS_EXAMPLE_BACKUP["backup_id"], "--emulator")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "stdin is not a terminal" in result.stderr
    assert "--yes" in result.stderr


def test_delete_with_yes_shows_then_deletes() -> None:
    result = run(
        "delete", READY_BACKUP, "no-such-backup", "--yes", "--missing-ok", "--json", "--emulator"
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"backup_id": READY_BACKUP, "result": "deleted"},
        {"backup_id": "no-such-backup", "result": "not found"},
    ]
    assert "1 backup to delete:" in result.stderr
    assert READY_BACKUP in result.stderr.split("1 backup to delete:")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "bkp", "--name", "x", "--tag", "novalue"], "expected KEY=VALUE"),
        (["restore", "bkp", "--name", "x", "--tag", "=v"], "expected KEY=VALUE"),
        (["restore", "bkp", "--name", "x", "--tag", "a=1", "--tag", "a=2"], "given twice"),
        (["restore", "bkp", "--name", "x", "--tag", "bad key!=v"], "tag key"),
        (["restore", "bkp", "--name", "Not_A_Valid_Name"], "name"),
        (["restore", "bkp"], "--name"),
        (["restore", "bkp", "--name", "x", "--timeout", "5"], "--timeout needs --wait"),
        (["wait", "backup", "bkp", "--timeout", "0"], "positive number of seconds"),
        (["wait", "index", "bkp"], "invalid choice"),
        (["list", "--host", "http://127.0.0.1:1"], "not allowed with argument"),
    ],
)
def test_bad_usage_exits_with_2(args: list[str], message: str) -> None:
    result = run(*args, "--emulator")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr
