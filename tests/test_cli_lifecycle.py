"""The lifecycle commands of pinecone-backups, run in-process (``main([...])``) against emulators
configured by the tests: failures, timeouts, progress on a terminal, delete's confirmation."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from pinecone_backups.__main__ import main
from pinecone_backups.cli import COMMANDS as _COMMANDS
from pinecone_backups.cli._waiting import Progress as _Progress
from pinecone_backups.testing import SPEC_EXAMPLE_RESPONSE, Emulator

READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][0]["backup_id"]
OTHER_READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][1]["backup_id"]
FAST = ("--poll-interval", "0.05")

Start = Callable[..., Emulator]


@pytest.fixture
def start(emulators: Start, monkeypatch: pytest.MonkeyPatch) -> Start:
    """Starts spec-checked emulators (fast by default) that ``main`` reaches with the key from
    the environment."""
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)

    def start(**options: object) -> Emulator:
        options = {"backup_seconds": 0.2, "restore_seconds": 0.2, **options}
        return emulators(api_key=API_KEY, **options)

    return start


@pytest.fixture
def emu(start: Start) -> Emulator:
    return start()


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answers in it."""

    def isatty(self) -> bool:
        return True


def cli(emu: Emulator, *args: str) -> int:
    return main([*args, "--host", emu.url])


def fields_of(text: str) -> dict[str, str]:
    """A detail view (``describe``, ``job``, a wait's result) as a dict."""
    return dict(line.split(None, 1) for line in text.splitlines())


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def exists(emu: Emulator, backup_id: str) -> bool:
    with pb.Client(api_key=API_KEY, host=emu.url) as client:
        try:
            client.describe_backup(backup_id)
        except pb.NotFoundError:
            return False
    return True


# --- Each command's output ------------------------------------------------------------------


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


# --- Exit statuses --------------------------------------------------------------------------


def test_exit_1_on_api_errors_one_line(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "job", "no-such-job") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    assert err.count("\n") == 1

    assert cli(emu, "restore", READY_BACKUP, "--name", "docs-example") == 1  # the index exists
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [409 ALREADY_EXISTS] ")


def test_exit_2_on_arguments_the_client_refuses_before_sending(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "restore", READY_BACKUP, "--name", "Bad_Name") == 2
    assert cli(emu, "restore", READY_BACKUP, "--name", "ok", "--tag", "bad key!=v") == 2
    assert cli(emu, "describe", "") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert [line.startswith("pinecone-backups: error: ") for line in err.splitlines()] == [True] * 3
    assert emu.requests == []


def test_exit_2_on_argparse_errors(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "restore", READY_BACKUP, "--name", "x", "--tag", "novalue") == 2
    assert "argument --tag: expected KEY=VALUE, got 'novalue'" in capsys.readouterr().err
    assert cli(emu, "create", "my-index", "--poll-interval", "1") == 2
    assert "--poll-interval needs --wait" in capsys.readouterr().err
    assert emu.requests == []


def test_exit_3_when_the_backup_fails(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    emu.fail_next_backups()
    assert cli(emu, "create", "my-index", "--wait", *FAST) == 3
    out, err = capsys.readouterr()
    assert fields_of(out)["status"] == "Failed"  # the last state seen, on stdout
    lines = err.splitlines()
    statuses = [line.split(": ")[1].split(",")[0] for line in lines[1:-1]]
    assert statuses in (["Initializing", "Failed"], ["Failed"])  # (["Failed"] on a slow machine)
    assert lines[-1].startswith("pinecone-backups: error: ")


def test_exit_3_when_the_restore_job_fails(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.fail_next_restores()
    assert cli(emu, "restore", READY_BACKUP, "--name", "doomed", "--wait", *FAST, "--json") == 3
    out, err = capsys.readouterr()
    assert json_lines(out)[-1]["status"] == "Failed"
    assert err.splitlines()[-1].startswith("pinecone-backups: error: ")


def test_exit_4_when_the_wait_times_out(start: Start, capsys: pytest.CaptureFixture[str]) -> None:
    emu = start(backup_seconds=3600)
    assert cli(emu, "create", "my-index", "--wait", "--timeout", "0.2", *FAST) == 4
    out, err = capsys.readouterr()
    backup = fields_of(out)
    assert backup["status"] == "Initializing"
    assert err.splitlines()[-1].startswith("pinecone-backups: error: ")

    assert cli(emu, "wait", "backup", backup["backup_id"], "--timeout", "0.2", "--json") == 4
    assert json_lines(capsys.readouterr().out)[0]["status"] == "Initializing"


def test_exit_130_on_ctrl_c(
    start: Start, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(self: object, obj: object) -> None:
        raise KeyboardInterrupt

    emu = start(backup_seconds=3600)
    monkeypatch.setattr(_Progress, "__call__", interrupt)
    assert cli(emu, "create", "my-index", "--wait") == 130
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == "pinecone-backups: interrupted"


@pytest.mark.parametrize("command", [None, *(command.name for command in _COMMANDS)])
def test_help_lists_the_exit_statuses(
    command: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"] if command else ["--help"]) == 0
    out = capsys.readouterr().out
    statuses = out.split("exit status:")[1]
    codes = re.findall(r"^  (\d+) ", statuses, re.MULTILINE)
    waits = command in (None, "create", "restore", "wait")
    prunes = command in (None, "prune")  # 5: some deletions failed
    expected = ["0", "1", "2", *(["3", "4"] if waits else []), *(["5"] if prunes else []), "130"]
    assert codes == expected
    if command:
        assert f"pinecone-backups {command} " in out.split("examples:")[1]


# --- Progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Polled:
    status: str
    percent_complete: float | None = None

    def to_json(self) -> str:
        return json.dumps({"status": self.status})


def test_progress_off_a_terminal_writes_a_line_per_status_change() -> None:
    stream = io.StringIO()
    progress: _Progress[Polled] = _Progress("restore job rj", stream, live=False)
    for polled in (Polled("Pending"), Polled("Pending", 50.0), Polled("Completed", 100.0)):
        progress(polled)
    progress.close()
    assert stream.getvalue() == (
        "restore job rj: Pending, 0s elapsed\n"
        "restore job rj: Completed, 100% complete, 0s elapsed\n"
    )
    assert progress.last == Polled("Completed", 100.0)


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    stream = io.StringIO()
    progress: _Progress[Polled] = _Progress("restore job rj", stream, live=True, tick=3600)
    for polled in (Polled("Pending"), Polled("Pending", 42.25), Polled("Done")):
        progress(polled)
    progress.close()
    progress.close()  # once is enough
    assert stream.getvalue() == (
        "\rrestore job rj: Pending, 0s elapsed"
        "\rrestore job rj: Pending, 42.2% complete, 0s elapsed"
        "\rrestore job rj: Done, 0s elapsed                   "  # blanks over the longer line
        "\n"
    )


def test_waiting_on_a_terminal_shows_a_live_line(
    start: Start, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    emu = start(backup_seconds=1.0)  # long enough to be seen Initializing first
    assert cli(emu, "create", "my-index", "--wait", *FAST, "--json") == 0
    out, err = capsys.readouterr()
    assert "\r" not in out and json_lines(out)[0]["status"] == "Ready"
    live = err.split("\n")[1]  # (splitlines() would split at \r too)
    assert live.startswith("\rbackup ") and live.count("\r") >= 2
    assert ": Ready, " in live.rsplit("\r", 1)[1]


# --- delete ---------------------------------------------------------------------------------


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
