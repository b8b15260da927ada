"""Global options (``--json``, ``--emulator``, ``--host``, ``-v``) before or after the command, and
the hints under ``--emulator``: a fresh emulator for each command, so ``create`` and ``restore``
point at a lasting one instead of a ``wait`` command that would 404."""

from __future__ import annotations

import json

import pytest

from pinecone_backups.__main__ import main
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, READY_BACKUP, cli, run

LASTING = "python -m pinecone_backups.testing"


@pytest.mark.parametrize("command", [None, "list", "create", "wait"])
def test_help_says_the_emulator_is_fresh_for_each_command(
    command: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"] if command else ["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # unwrapped
    assert "a fresh one for each command" in out
    assert LASTING in out


def test_create_under_the_emulator_points_at_a_lasting_emulator() -> None:
    result = run("create", "docs-example", "--emulator")
    assert result.returncode == 0, result.stderr
    assert "pinecone-backups wait backup" not in result.stderr  # it would 404
    assert LASTING in result.stderr
    assert "fresh emulator" in result.stderr


def test_restore_under_the_emulator_points_at_a_lasting_emulator() -> None:
    result = run("restore", READY_BACKUP, "--name", "restored", "--emulator")
    assert result.returncode == 0, result.stderr
    assert "pinecone-backups wait job" not in result.stderr
    assert LASTING in result.stderr


def test_against_a_lasting_server_the_hint_is_the_wait_command(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "create", "docs-example") == 0
    err = capsys.readouterr().err
    assert "; wait for it: pinecone-backups wait backup " in err
    assert LASTING not in err


def test_global_options_before_the_command() -> None:
    after = run("list", "docs-example", "--emulator")
    before = run("--emulator", "list", "docs-example")
    assert before.returncode == after.returncode == 0, before.stderr
    assert before.stdout == after.stdout
    as_json = run("--json", "--emulator", "list", "docs-example")
    assert as_json.returncode == 0, as_json.stderr
    assert len([json.loads(line) for line in as_json.stdout.splitlines()]) == 3


def test_global_options_mix_before_and_after(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert main(["--host", emulator.url, "-v", "list", "my-index", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["backup_id"] for line in out.splitlines()] == [
        "bkp_789xyz",
        "bkp_123abc",
    ]
    assert "GET /indexes/my-index/backups -> 200" in err  # -v before the command
    # --host and --emulator exclude each other wherever they are.
    assert main(["--host", emulator.url, "list", "my-index", "--emulator"]) == 2
    assert "not allowed with argument --host" in capsys.readouterr().err
