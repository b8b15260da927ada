"""Exit statuses and their messages: 1 on an API error (one line), 2 on bad usage (argparse's, or
arguments the client refuses before sending), 3 when a backup or restore job fails, 4 when a wait
times out, 130 on Ctrl-C; messages in the command line's own words (``--limit``, the
``PINECONE_API_KEY`` variable)."""

from __future__ import annotations

import re

import pytest

from pinecone_backups.__main__ import main
from pinecone_backups.cli import COMMANDS as _COMMANDS
from pinecone_backups.cli._waiting import Progress as _Progress
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, READY_BACKUP, Start, cli, fields_of, json_lines, run

# -- 1 and 2, in the command's own process --------------------------------------------------------


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


def test_a_bad_limit_is_bad_usage_with_status_2() -> None:
    # Was a status-1 case above: bad arguments (ValidationError) now exit with 2, issue 9.
    result = run("list", "docs-example", "--emulator", "--limit", "0")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("pinecone-backups: error: ")
    assert "--limit must be a positive number, got 0" in result.stderr


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
        (["wait", "snapshot", "bkp"], "invalid choice"),
        (["list", "--host", "http://127.0.0.1:1"], "not allowed with argument"),
    ],
)
def test_bad_usage_exits_with_2(args: list[str], message: str) -> None:
    result = run(*args, "--emulator")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- Every status, in-process ---------------------------------------------------------------------


FAST = ("--poll-interval", "0.05")


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
    covers = command in (None, "coverage")  # 6: an index is stale or unprotected
    expected = ["0", "1", "2", *(["3", "4"] if waits else []), *(["5"] if prunes else [])]
    expected += [*(["6"] if covers else []), "130"]
    assert codes == expected
    if command:
        assert f"pinecone-backups {command} " in out.split("examples:")[1]


# -- The command line's own words -----------------------------------------------------------------


OVER_100 = (
    "--limit must be between 1 and 100 under API version 2025-10, got 200 "
    "(API 2026-07 takes more: pass --api-version 2026-07)"
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "docs-example", "--all", "--limit", "200"), OVER_100),
        (("list", "docs-example", "--limit", "200"), OVER_100),
        (("jobs", "--limit", "200"), OVER_100),
        (
            ("list", "docs-example", "--all", "--limit", "0"),
            "--limit must be a positive number, got 0",
        ),
        (("jobs", "--all", "--limit", "-1"), "--limit must be a positive number, got -1"),
        (("list", "docs-example", "--limit", "0"), "--limit must be a positive number, got 0"),
    ],
)
def test_limit_errors_name_the_option_and_the_version(
    args: tuple[str, ...],
    message: str,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A page size is a positive number; over 100 only API 2026-07 takes it (the CLI checks it
    # against the version chosen before sending, and says which version takes more).
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, *args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"pinecone-backups: error: {message}\n"
    assert emulator.requests == []


def test_a_missing_api_key_says_to_set_the_variable() -> None:
    for env in ({}, {"PINECONE_API_KEY": "  "}):
        result = run("list", "docs-example", env=env)
        assert result.returncode == 1
        assert "set the PINECONE_API_KEY environment variable" in result.stderr
        assert "--emulator" in result.stderr
        assert "pass api_key" not in result.stderr
        assert "api_key" not in result.stderr
