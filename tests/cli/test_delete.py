"""``pinecone-backups delete``: it shows what it deletes, asks on a terminal, refuses off one
without ``--yes``, deletes nothing unconfirmed or missing, and goes on after a refused backup."""

from __future__ import annotations

import io
import json
import sys

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import DOCS_EXAMPLE_BACKUP, SPEC_EXAMPLE_RESPONSE, Emulator
from tests.helpers import API_KEY, READY_BACKUP, Start, Terminal, cli, json_lines, run

# -- In its own process ---------------------------------------------------------------------------


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


# -- In-process: on a terminal or not -------------------------------------------------------------


OTHER_READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][1]["backup_id"]


def exists(emu: Emulator, backup_id: str) -> bool:
    with pb.Client(api_key=API_KEY, host=emu.url) as client:
        try:
            client.describe_backup(backup_id)
        except pb.NotFoundError:
            return False
    return True


def test_delete_refuses_off_a_terminal_without_sending(
    emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert cli(emu, "delete", READY_BACKUP) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "pinecone-backups: error: refusing to delete without confirmation: stdin is not a "
        "terminal (add --yes to delete anyway)\n"
    )
    assert emu.requests == []


@pytest.mark.parametrize("answer", ["y\n", "YES\n"])
def test_delete_asks_on_a_terminal(
    answer: str,
    emu: Emulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert cli(emu, "delete", READY_BACKUP, OTHER_READY_BACKUP, READY_BACKUP) == 0
    out, err = capsys.readouterr()
    assert err.startswith("2 backups to delete:\nBACKUP ID ")
    assert err.endswith("Delete 2 backups? [y/N] ")
    assert [line.split() for line in out.splitlines()] == [
        ["BACKUP", "ID", "RESULT"],
        [READY_BACKUP, "deleted"],
        [OTHER_READY_BACKUP, "deleted"],
    ]
    assert not exists(emu, READY_BACKUP) and not exists(emu, OTHER_READY_BACKUP)


@pytest.mark.parametrize("answer", ["n\n", "\n", ""])
def test_delete_not_confirmed_deletes_nothing(
    answer: str,
    emu: Emulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert cli(emu, "delete", READY_BACKUP) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("pinecone-backups: error: not confirmed; nothing was deleted\n")
    assert exists(emu, READY_BACKUP)


def test_delete_a_missing_backup_deletes_nothing(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "delete", READY_BACKUP, "no-such-backup", "--yes") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "[404 NOT_FOUND]" in err and "nothing was deleted" in err
    assert exists(emu, READY_BACKUP)

    assert cli(emu, "delete", "no-such-backup", "--yes", "--missing-ok") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1].split() == ["no-such-backup", "not", "found"]
    assert "not found, skipped (--missing-ok): no-such-backup" in err


def test_delete_goes_on_after_a_refused_backup(
    start: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(restore_seconds=3600)
    assert cli(emu, "restore", READY_BACKUP, "--name", "busy") == 0  # a pending restore job
    capsys.readouterr()
    assert cli(emu, "delete", READY_BACKUP, OTHER_READY_BACKUP, "--yes", "--json") == 1
    out, err = capsys.readouterr()
    assert json_lines(out) == [{"backup_id": OTHER_READY_BACKUP, "result": "deleted"}]
    assert "pinecone-backups: error: [412 FAILED_PRECONDITION] " in err
    assert exists(emu, READY_BACKUP) and not exists(emu, OTHER_READY_BACKUP)
