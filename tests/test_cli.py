"""The pinecone-backups command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import API_KEY
from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, Emulator


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
            ["list", "docs-example", "--emulator", "--limit", "0"],
            {},
            "limit must be between 1 and 100",
        ),
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
