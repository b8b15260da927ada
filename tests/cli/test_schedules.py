"""``pinecone-backups schedule``: every subcommand against the emulator (API 2026-07), as a table
and as JSON lines (exactly ``to_dict()``), what it sends, its errors (404, the 409 of a second
enabled schedule, a plan without schedules, values the client refuses), the confirmation of
``schedule delete`` (as ``delete``'s), and server text escaped in every table."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.__main__ import main
from pinecone_backups._format import when
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, EVIL, Start, Terminal, cli, fields_of, json_lines, run

DAY = 24 * 60 * 60
SCHEDULE_FIELDS = list(pb.BackupSchedule.__match_args__)
TABLE_HEADER = ["SCHEDULE ID", "NAME", "FREQUENCY", "KEEP", "ENABLED", "NEXT RUN", "CREATED AT"]
RUN_HEADER = ["BACKUP ID", "NAME", "STATUS", "SCHEDULED FOR", "RECORDS", "SIZE", "CREATED AT"]
ALREADY = (
    "pinecone-backups: error: [409 ALREADY_EXISTS] This index already has an enabled backup "
    "schedule. Disable or delete it first. (request_id: "
)


@pytest.fixture(autouse=True)
def version_2026_07(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command here speaks 2026-07 (as ``PINECONE_API_VERSION`` says; the option is tested
    in test_versions)."""
    monkeypatch.setenv("PINECONE_API_VERSION", "2026-07")


@pytest.fixture
def client(emu: Emulator) -> Any:
    with pb.Client(api_key=API_KEY, host=emu.url, api_version="2026-07") as client:
        yield client


def create(emu: Emulator, *options: str, index: str = "docs-example") -> str:
    """``schedule create`` (daily, 7 days, unless ``options`` say otherwise); the new id."""
    defaults = ("--name", "nightly", "--frequency", "daily", "--expire-after-days", "7")
    assert cli(emu, "schedule", "create", index, *defaults, *options, "--json") == 0
    return str(emu.backup_schedules(index)[-1]["schedule_id"])


def header(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


def sent(emu: Emulator) -> tuple[str, str, Any]:
    """The last request: method, path and JSON body."""
    request = emu.requests[-1]
    return request.method, request.path, json.loads(request.body) if request.body else None


# -- create ---------------------------------------------------------------------------------------


def test_create_shows_the_new_schedule_and_sends_what_was_given(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--name", "nightly", "--frequency", "weekly", "--expire-after-days", "30")
    assert cli(emu, "schedule", "create", "docs-example", *args) == 0
    out, err = capsys.readouterr()
    shown = fields_of(out)
    assert list(shown) == SCHEDULE_FIELDS
    assert shown["name"] == "nightly"
    assert shown["frequency"] == "weekly"
    assert shown["retention_expire_after_days"] == "30"
    assert shown["enabled"] == "True"
    assert shown["next_scheduled_run"].endswith(" UTC")
    assert sent(emu) == (
        "POST",
        "/indexes/docs-example/backup-schedules",
        {
            "name": "nightly",
            "schedule": {"type": "time-based", "frequency": "weekly"},
            "retention": {"expire_after_days": 30},
        },
    )
    schedule = client.describe_backup_schedule(shown["schedule_id"])
    assert err == (
        f"created backup schedule {schedule.schedule_id} of index 'docs-example': weekly, each "
        f"backup kept 30 days; next run: {shown['next_scheduled_run']}\n"
    )
    assert emu.requests[-1].headers["X-Pinecone-Api-Version"] == "2026-07"


def test_create_as_json_is_the_schedules_to_dict(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = create(emu)
    (line,) = json_lines(capsys.readouterr().out)
    assert line == client.describe_backup_schedule(schedule_id).to_dict()


def test_a_second_enabled_schedule_is_a_409(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    create(emu)
    capsys.readouterr()
    args = ("--name", "second", "--frequency", "daily", "--expire-after-days", "1")
    assert cli(emu, "schedule", "create", "docs-example", *args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(ALREADY)
    assert err.count("\n") == 1
    assert len(emu.backup_schedules("docs-example")) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ("--name", "Nightly_1", "--frequency", "daily", "--expire-after-days", "7"),
            "pinecone-backups: error: --name must be 1-45 characters of lowercase letters, "
            "digits and '-', starting and ending with a letter or digit (API 2026-07), got "
            '"Nightly_1"',
        ),
        (
            ("--name", "n", "--frequency", "daily", "--expire-after-days", "0"),
            "pinecone-backups: error: --expire-after-days must be a whole number of days of at "
            "least 1, got 0",
        ),
        (
            ("--name", "n", "--frequency", "daily", "--expire-after-days", "-3"),
            "pinecone-backups: error: --expire-after-days must be a whole number of days of at "
            "least 1, got -3",
        ),
        (
            ("--name", "n", "--frequency", "hourly", "--expire-after-days", "7"),
            "pinecone-backups schedule create: error: argument --frequency: invalid choice: "
            "'hourly' (choose from 'daily', 'weekly', 'monthly')",
        ),
        (
            ("--name", "n", "--frequency", "daily"),
            "pinecone-backups schedule create: error: the following arguments are required: "
            "--expire-after-days",
        ),
    ],
)
def test_create_refuses_bad_values_before_sending(
    options: tuple[str, ...], message: str, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "create", "docs-example", *options) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == message
    assert emu.requests == []


def test_create_on_an_unknown_index_is_a_404(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--name", "n", "--frequency", "daily", "--expire-after-days", "7")
    assert cli(emu, "schedule", "create", "no-such-index", *args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    assert err.count("\n") == 1


def test_a_plan_without_schedules_is_a_403(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.plan_includes_schedules = False
    args = ("--name", "n", "--frequency", "daily", "--expire-after-days", "7")
    assert cli(emu, "schedule", "create", "docs-example", *args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [403 PERMISSION_DENIED] ")
    assert err.count("\n") == 1


# -- list -----------------------------------------------------------------------------------------


def test_list_shows_a_table(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    schedule_id = create(emu, "--expire-after-days", "1")
    capsys.readouterr()
    assert cli(emu, "schedule", "list", "docs-example") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert header(lines[0]) == TABLE_HEADER
    row = header(lines[1])
    assert row[:5] == [schedule_id, "nightly", "daily", "1 day", "yes"]
    assert len(lines) == 2
    assert err == "1 backup schedule of index 'docs-example'\n"


def test_list_as_json_lines_is_each_schedules_to_dict(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    # The seed's big-index has a disabled daily schedule; add an enabled one beside it.
    create(emu, index="big-index")
    capsys.readouterr()
    assert cli(emu, "schedule", "list", "big-index", "--json") == 0
    out, err = capsys.readouterr()
    expected = [s.to_dict() for s in client.list_backup_schedules("big-index")]
    assert json_lines(out) == expected
    assert {(s["name"], s["enabled"]) for s in expected} == {
        ("big-index-daily", False),
        ("nightly", True),
    }
    assert err == ""


def test_list_pages_and_all(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(3):
        emu.add_backup_schedule("docs-example", name=f"old-{number}", enabled=False)
    assert cli(emu, "schedule", "list", "docs-example", "--limit", "2", "--json") == 0
    out, err = capsys.readouterr()
    assert [s["name"] for s in json_lines(out)] == ["old-2", "old-1"]  # newest first
    token = err.split("--pagination-token ")[1].split()[0]
    args = ("schedule", "list", "docs-example", "--pagination-token", token, "--json")
    assert cli(emu, *args) == 0
    assert [s["name"] for s in json_lines(capsys.readouterr().out)] == ["old-0"]
    assert cli(emu, "schedule", "list", "docs-example", "--all", "--limit", "1", "--json") == 0
    out, err = capsys.readouterr()
    assert [s["name"] for s in json_lines(out)] == ["old-2", "old-1", "old-0"]
    assert [r.query.get("limit") for r in emu.requests[-3:]] == [["1"], None, None]


def test_list_takes_a_limit_over_100(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "schedule", "list", "docs-example", "--limit", "500") == 0
    assert emu.requests[-1].query["limit"] == ["500"]
    assert capsys.readouterr().err == "0 backup schedules of index 'docs-example'\n"


# -- describe -------------------------------------------------------------------------------------


def test_describe_shows_every_field(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    assert cli(emu, "schedule", "describe", schedule_id) == 0
    shown = fields_of(capsys.readouterr().out)
    schedule = client.describe_backup_schedule(schedule_id)
    assert list(shown) == SCHEDULE_FIELDS
    assert shown["schedule_id"] == schedule_id
    assert shown["project_id"] == emu.project_id
    assert shown["schedule_type"] == "time-based"
    assert shown["created_at"] == when(schedule.created_at)

    assert cli(emu, "schedule", "describe", schedule_id, "--json") == 0
    assert json_lines(capsys.readouterr().out) == [schedule.to_dict()]


def test_describe_an_unknown_schedule_is_a_404(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "describe", "no-such-schedule") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    assert err.count("\n") == 1


def test_an_empty_id_is_refused_before_sending(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "describe", "") == 2
    assert capsys.readouterr().err == (
        "pinecone-backups: error: SCHEDULE_ID must be a non-empty string\n"
    )
    assert emu.requests == []


# -- update ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "body"),
    [
        (("--frequency", "monthly"), {"frequency": "monthly"}),
        (("--expire-after-days", "90"), {"retention": {"expire_after_days": 90}}),
        (("--disable",), {"enabled": False}),
        (
            ("--frequency", "weekly", "--expire-after-days", "14", "--disable"),
            {"frequency": "weekly", "retention": {"expire_after_days": 14}, "enabled": False},
        ),
    ],
)
def test_update_sends_only_what_was_given(
    options: tuple[str, ...],
    body: dict[str, Any],
    emu: Emulator,
    client: pb.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    assert cli(emu, "schedule", "update", schedule_id, *options) == 0
    out, err = capsys.readouterr()
    assert sent(emu) == ("PATCH", f"/backup-schedules/{schedule_id}", body)
    shown = fields_of(out)
    schedule = client.describe_backup_schedule(schedule_id)
    assert shown["frequency"] == schedule.frequency == body.get("frequency", "daily")
    assert shown["enabled"] == str(schedule.enabled)
    assert err == f"updated backup schedule {schedule_id}\n"
    if "--disable" in options:
        assert shown["next_scheduled_run"] == "-"


def test_update_as_json_is_the_schedules_to_dict(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    assert cli(emu, "schedule", "update", schedule_id, "--disable", "--json") == 0
    (line,) = json_lines(capsys.readouterr().out)
    assert line == client.describe_backup_schedule(schedule_id).to_dict()
    assert line["enabled"] is False
    assert line["next_scheduled_run"] is None


def test_re_enabling_starts_a_backup_at_once(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = create(emu)
    assert cli(emu, "schedule", "update", schedule_id, "--disable") == 0
    before = {b.backup_id for b in client.iter_index_backups("docs-example")}
    capsys.readouterr()
    assert cli(emu, "schedule", "update", schedule_id, "--enable", "--json") == 0
    (line,) = json_lines(capsys.readouterr().out)
    assert line["enabled"] is True
    made = [b for b in client.iter_index_backups("docs-example") if b.backup_id not in before]
    assert [(b.name or "").startswith("nightly-") for b in made] == [True]


def test_enabling_a_second_schedule_of_an_index_is_a_409(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    old = create(emu, "--name", "old")
    assert cli(emu, "schedule", "update", old, "--disable") == 0
    create(emu, "--name", "new")
    capsys.readouterr()
    assert cli(emu, "schedule", "update", old, "--enable") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(ALREADY)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ((), "nothing to change: give --frequency, --expire-after-days, --enable or --disable"),
        (("--enable", "--disable"), "argument --disable: not allowed with argument --enable"),
    ],
)
def test_update_refuses_before_sending(
    options: tuple[str, ...], message: str, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "update", "s-1", *options) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == f"pinecone-backups schedule update: error: {message}"
    assert emu.requests == []


def test_update_an_unknown_schedule_is_a_404(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "update", "no-such-schedule", "--enable") == 1
    assert capsys.readouterr().err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")


# -- delete ---------------------------------------------------------------------------------------


def test_delete_refuses_off_a_terminal_without_sending(
    emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    requests = len(emu.requests)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert cli(emu, "schedule", "delete", schedule_id) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "pinecone-backups: error: refusing to delete without confirmation: stdin is not a "
        "terminal (add --yes to delete anyway)\n"
    )
    assert len(emu.requests) == requests
    assert emu.get_backup_schedule(schedule_id) is not None


@pytest.mark.parametrize("answer", ["y\n", "YES\n"])
def test_delete_asks_on_a_terminal(
    answer: str, emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert cli(emu, "schedule", "delete", schedule_id) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == "backup schedule to delete:"
    assert header(lines[1]) == TABLE_HEADER
    assert header(lines[2])[:5] == [schedule_id, "nightly", "daily", "7 days", "yes"]
    assert err.endswith("Delete 1 backup schedule? [y/N] ")
    assert [header(line) for line in out.splitlines()] == [
        ["SCHEDULE ID", "RESULT"],
        [schedule_id, "deleted"],
    ]
    assert emu.get_backup_schedule(schedule_id) is None
    assert sent(emu) == ("DELETE", f"/backup-schedules/{schedule_id}", None)


@pytest.mark.parametrize("answer", ["\n", "n\n", "nope\n", ""])
def test_delete_not_confirmed_deletes_nothing(
    answer: str, emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert cli(emu, "schedule", "delete", schedule_id) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("[y/N] pinecone-backups: error: not confirmed; nothing was deleted\n")
    assert emu.get_backup_schedule(schedule_id) is not None
    assert [r.method for r in emu.requests].count("DELETE") == 0


def test_delete_with_yes_as_json(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    schedule_id = create(emu)
    capsys.readouterr()
    assert cli(emu, "schedule", "delete", schedule_id, "--yes", "--json") == 0
    out, err = capsys.readouterr()
    assert json_lines(out) == [{"schedule_id": schedule_id, "result": "deleted"}]
    assert err.startswith("backup schedule to delete:\n")
    assert emu.get_backup_schedule(schedule_id) is None


def test_delete_a_missing_schedule(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "schedule", "delete", "gone", "--yes") == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    assert (
        lines[1] == "nothing was deleted (--missing-ok: a schedule that does not exist is no error)"
    )

    assert cli(emu, "schedule", "delete", "gone", "--yes", "--missing-ok", "--json") == 0
    out, err = capsys.readouterr()
    assert json_lines(out) == [{"schedule_id": "gone", "result": "not found"}]
    assert err == "not found, skipped (--missing-ok): gone\n"
    assert "DELETE" not in [r.method for r in emu.requests]


# -- history --------------------------------------------------------------------------------------


def test_history_shows_the_runs_and_the_next_one(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = create(emu, "--expire-after-days", "2")
    emu.advance(3 * DAY + 60)  # runs after 1, 2 and 3 days; the first has expired
    capsys.readouterr()
    assert cli(emu, "schedule", "history", schedule_id) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert header(lines[0]) == RUN_HEADER
    runs = list(client.iter_backup_schedule_history(schedule_id))
    assert [run.status for run in runs] == ["Scheduled", "Ready", "Ready"]
    for line, item in zip(lines[1:], runs, strict=True):
        assert line.startswith(f"{item.backup_id}  {item.name}  {item.status}  ")
    scheduled = lines[1].split("  Scheduled  ")[1]
    assert scheduled.startswith(when(runs[0].scheduled_execution_at))
    assert when(runs[0].scheduled_execution_at).endswith(" UTC")
    assert err == f"3 runs of backup schedule {schedule_id}\n"

    assert cli(emu, "schedule", "history", schedule_id, "--all", "--json") == 0
    assert json_lines(capsys.readouterr().out) == [run.to_dict() for run in runs]


def test_history_pages(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeded,) = client.list_backup_schedules("big-index")  # 25 backups made by it
    assert cli(emu, "schedule", "history", seeded.schedule_id, "--limit", "10", "--json") == 0
    out, err = capsys.readouterr()
    assert len(json_lines(out)) == 10
    assert "more: add --pagination-token " in err
    assert cli(emu, "schedule", "history", seeded.schedule_id, "--all", "--limit", "10") == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 + 25
    assert err == f"25 runs of backup schedule {seeded.schedule_id}\n"


def test_history_of_an_unknown_schedule_is_a_404(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "history", "no-such-schedule") == 1
    assert capsys.readouterr().err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")


# -- Server text is escaped; JSON is exact --------------------------------------------------------


def test_tables_escape_what_the_server_sends(
    emu: Emulator, client: pb.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = emu.add_backup_schedule("evil-index", name=EVIL)["schedule_id"]
    emu.advance(DAY + 60)  # a run: a backup named after the schedule
    shown = "evil\\x1b[2J\\x1b]0;title\\x07\\rok\\nnext\\x9b31m\\x7f\\u202eend\\\\x"
    for args in (
        ("list", "evil-index"),
        ("describe", evil),
        ("history", evil),
        ("update", evil, "--frequency", "weekly"),
    ):
        assert cli(emu, "schedule", *args) == 0
        out, err = capsys.readouterr()
        assert shown in out, args
        assert "\x1b" not in out + err and "\r" not in out + err and "\u202e" not in out + err
    assert cli(emu, "schedule", "list", "evil-index", "--json") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert json_lines(out)[0]["name"] == EVIL
    assert cli(emu, "schedule", "delete", evil, "--yes") == 0
    err = capsys.readouterr().err
    assert shown in err and "\x1b" not in err


# -- Help and the emulator ------------------------------------------------------------------------


SUBCOMMANDS = ["create", "list", "describe", "update", "delete", "history"]


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--help"]) == 0
    out = capsys.readouterr().out
    listed = out.split("SUBCOMMAND\n")[-1].split("options:")[0]
    names = [line.split()[0] for line in listed.splitlines() if line[4:5].strip()]  # not wraps
    assert names == SUBCOMMANDS
    assert "--api-version 2026-07" in out


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_each_subcommands_help_has_examples_and_exit_statuses(
    subcommand: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schedule", subcommand, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: pinecone-backups schedule {subcommand} ")
    assert f"  pinecone-backups schedule {subcommand} " in out.split("examples:")[1]
    statuses = out.split("exit status:")[1].split()
    assert [s for s in statuses if s.isdigit()] == ["0", "1", "2", "130"]
    confirms = "or a delete not confirmed (no --yes when stdin is not a terminal)" in out
    assert confirms == (subcommand == "delete")


def test_under_the_emulator_the_seed_has_a_schedule() -> None:
    result = run("schedule", "list", "big-index", "--emulator", "--api-version", "2026-07")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert header(lines[0]) == TABLE_HEADER
    assert header(lines[1])[1:5] == ["big-index-daily", "daily", "3,650 days", "no"]
    assert result.stderr == "1 backup schedule of index 'big-index'\n"


def test_under_the_emulator_an_unknown_id_gets_the_emulator_note() -> None:
    result = run("schedule", "describe", "s-1", "--emulator", "--api-version", "2026-07")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("pinecone-backups: error: [404 NOT_FOUND] ")
    assert lines[1].startswith("note: --emulator starts a fresh emulator")


def test_a_schedule_made_by_one_command_is_seen_by_the_next(start: Start) -> None:
    # The whole round against one emulator that lasts, as the README shows it.
    emu = start()
    env = {"PINECONE_API_KEY": API_KEY, "PINECONE_API_VERSION": "2026-07"}
    host = ("--host", emu.url)
    made = run(
        "schedule", "create", "docs-example", "--name", "nightly", "--frequency", "daily",
        "--expire-after-days", "7", "--json", *host, env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    schedule_id = json.loads(made.stdout)["schedule_id"]
    listed = run("schedule", "list", "docs-example", "--json", *host, env=env)
    assert [s["schedule_id"] for s in json_lines(listed.stdout)] == [schedule_id]
    deleted = run("schedule", "delete", schedule_id, "--yes", *host, env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert emu.backup_schedules("docs-example") == []
