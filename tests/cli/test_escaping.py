"""Server text cannot drive the terminal: control characters (ESC, CR, C1, DEL, a right-to-left
override) in names, statuses, tags, error messages and log lines are escaped in every
human-readable output (``list``, ``describe``, ``jobs``, ``job``, delete's confirmation,
``prune``, ``inventory``, wait progress); JSON output stays exact."""

from __future__ import annotations

import csv
import io
import json
import re
import sys

import pytest

import pinecone_backups as pb
from pinecone_backups.cli._waiting import Progress as _Progress
from pinecone_backups.testing import Emulator
from tests.helpers import EVIL, Terminal, cli, fields_of

SHOWN = "evil\\x1b[2J\\x1b]0;title\\x07\\rok\\nnext\\x9b31m\\x7f\\u202eend\\\\x"
"""``EVIL`` as the command line shows it: each control character escaped as Python would, and
the backslash doubled so that the escapes are unambiguous."""
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e")
"""Characters that must never reach the terminal raw (CR and LF are checked line by line)."""


def assert_printable(text: str) -> None:
    """No control character reaches the terminal raw: none of ``RAW``, and no CR or LF inside a
    line (each line ends with the one LF that ``print`` writes)."""
    for character in RAW:
        assert character not in text, (character, text)
    assert "\r" not in text, text
    for line in text.split("\n"):
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", line), line


def test_list_describe_jobs_and_job_escape_control_characters(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ("list", "evil-index"),
        ("list", "--all"),
        ("describe", evil["old"]),
        ("jobs", "--all"),
        ("job", evil["job"]),
    ):
        assert cli(emulator, *args) == 0, args
        out, err = capsys.readouterr()
        assert_printable(out + err)
        assert SHOWN in out, args
    assert cli(emulator, "describe", evil["old"]) == 0
    fields = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert fields["name"] == fields["description"] == SHOWN
    assert fields["tags"] == f"k={SHOWN}"


def test_the_delete_confirmation_shows_escaped_names(
    emulator: Emulator,
    evil: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert cli(emulator, "delete", evil["old"], evil["odd"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_printable(err)
    table = err.split("2 backups to delete:\n")[1].split("Delete 2 backups?")[0]
    assert len(table.splitlines()) == 3  # the header and one line per backup, whatever the names
    assert SHOWN in table.splitlines()[1] or SHOWN in table.splitlines()[2]


def test_prune_plan_and_results_escape(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    assert SHOWN in out
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1", "--yes") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    deleted = [line for line in out.splitlines() if line.startswith("deleted ")]
    assert len(deleted) == 1 and SHOWN in deleted[0]


def test_the_inventory_table_escapes_and_csv_keeps_the_data_exact(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for by in ("index", "status"):
        assert cli(emulator, "inventory", "--by", by) == 0
        out, err = capsys.readouterr()
        assert_printable(out + err)
        assert any(line.startswith(SHOWN + " ") for line in out.splitlines()), out
    # CSV is data: written exactly (quoted), for programs to read back.
    assert cli(emulator, "inventory", "--by", "status", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert EVIL in [row["status"] for row in rows]


def test_wait_progress_lines_escape(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    # A status the wait does not know keeps it waiting: the timeout ends it (exit 4), after a
    # progress line and the last state, both escaped.
    args = ("wait", "backup", evil["odd"], "--timeout", "0.3", "--poll-interval", "0.05")
    assert cli(emulator, *args) == 4
    out, err = capsys.readouterr()
    assert_printable(out + err)
    assert f"backup {evil['odd']}: {SHOWN}, " in err
    assert fields_of(out)["status"] == SHOWN  # (the field column is as wide as the longest name)

    stream = io.StringIO()
    live: _Progress[pb.Backup] = _Progress("backup b", stream, live=True, tick=3600)
    live(pb.Backup.from_dict(emulator.get_backup(evil["odd"]) or {}))
    live.close()
    assert stream.getvalue() == f"\rbackup b: {SHOWN}, 0s elapsed\n"  # only our own CR


def test_error_messages_escape_server_text(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.fail_next(400, "INVALID_ARGUMENT", message=f"bad name {EVIL}")
    assert cli(emulator, "list", "evil-index") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert_printable(err)
    assert err.count("\n") == 1 and err.startswith(
        "pinecone-backups: error: [400 INVALID_ARGUMENT]"
    )
    assert "bad name evil\\x1b[2J\\x1b]0;title\\x07" in err


def test_log_lines_escape_server_text(
    emulator: Emulator,
    evil: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The retry WARNING quotes the server's message; --verbose and PINECONE_BACKUPS_LOG print it.
    monkeypatch.setenv("PINECONE_BACKUPS_LOG", "info")
    emulator.fail_next(503, "UNAVAILABLE", message=EVIL, headers={"Retry-After": "0"})
    assert cli(emulator, "list", "evil-index") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    warning = [line for line in err.splitlines() if " WARNING retrying GET " in line]
    assert len(warning) == 1 and "evil\\x1b[2J" in warning[0]


def test_json_output_stays_exact(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "list", "evil-index", "--json") == 0
    out = capsys.readouterr().out
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert names == ["newest", EVIL]  # exactly what the server sent
    assert_printable(out)  # C1, DEL and the direction controls as \u escapes, the same value
    assert cli(emulator, "describe", evil["old"], "--json") == 0
    assert json.loads(capsys.readouterr().out) == emulator.get_backup(evil["old"])
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1", "--json") == 0
    plan = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert EVIL in [line["backup"]["name"] for line in plan]
    assert cli(emulator, "inventory", "--by", "status", "--format", "json") == 0
    out = capsys.readouterr().out
    assert EVIL in [json.loads(line)["status"] for line in out.splitlines()]
    assert_printable(out)
