"""``pinecone-backups prune`` with calendar retention (``--keep-daily``, ``--keep-weekly``,
``--keep-monthly``, ``--keep-yearly``, ``--keep-within``, ``--keep-tag``, ``--tz``) against the
emulator: the README's worked example as a dry run (no DELETE reaches the emulator), in a
table and in JSON, then with ``--yes``; time zones; bad usage exits 2 and sends nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from pinecone_backups.testing import Emulator
from tests.helpers import cli
from tests.toolkit.test_calendar_retention import (
    EXAMPLE_RULES,
    example_backups,
    example_cells,
    readme_example,
)

EXAMPLE_FLAGS = ("--keep-daily", "7", "--keep-weekly", "4", "--keep-monthly", "3")
assert EXAMPLE_RULES == {"keep_daily": 7, "keep_weekly": 4, "keep_monthly": 3}
B02 = "daily 2026-12-05; weekly 2026-W49; monthly 2026-12"


def seed_example(emu: Emulator) -> dict[str, str]:
    """The README's 40 backups, of index ``prod`` (ids ``b01``...); id -> the README's plan
    (``keep``, ``delete`` or ``keep (not final)``)."""
    rows, _ = readme_example()
    backups = example_backups(rows)
    for b in backups:
        assert b.created_at is not None
        emu.add_backup(
            "prod",
            backup_id=b.backup_id,
            status=b.status,
            tags=b.tags,  # {} when none: the spec's tags are never null
            created_at=b.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    return {backup_id: cells[3] for backup_id, cells in example_cells(backups).items()}


def deletes(emu: Emulator) -> list[str]:
    return [r.path.removeprefix("/backups/") for r in emu.requests if r.method == "DELETE"]


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_the_readme_example_as_a_dry_run_sends_no_delete(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = seed_example(emu)
    assert cli(emu, "prune", "prod", *EXAMPLE_FLAGS) == 0
    out, err = capsys.readouterr()
    assert deletes(emu) == []
    assert {r.method for r in emu.requests} == {"GET"}
    lines = out.splitlines()
    assert lines[0].split()[0] == "ACTION"
    reason_at = lines[0].index("REASON")
    shown = {line.split()[1]: (line.split()[0], line[reason_at:]) for line in lines[1:]}
    assert {i: action for i, (action, _) in shown.items()} == {
        i: plan_cell.split()[0] for i, plan_cell in plan.items()
    }
    assert shown["b02"] == ("keep", B02)
    assert shown["b09"] == ("keep", "daily 2026-11-29; weekly 2026-W48")
    assert shown["b03"] == ("delete", "kept by no bucket (daily 7, weekly 4, monthly 3)")
    assert shown["b04"] == ("delete", "not Ready: fills no bucket (daily 7, weekly 4, monthly 3)")
    assert shown["b01"][1].startswith("safety: status Initializing is not final")
    assert "dry run: 29 of 40 backups would be deleted, 11 kept; nothing was deleted" in err


def test_the_readme_example_in_json_names_every_rule_and_bucket(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = seed_example(emu)
    argv = ("prune", "prod", *EXAMPLE_FLAGS, "--keep-tag", "pin=yes", "--json")
    assert cli(emu, *argv) == 0
    lines = json_lines(capsys.readouterr().out)
    assert deletes(emu) == []
    reasons = {line["backup_id"]: (line["action"], line["reason"]) for line in lines}
    assert reasons["b02"] == ("keep", B02)
    assert reasons["b24"] == ("keep", "monthly 2026-10; tagged pin=yes")
    assert reasons["b38"] == ("keep", "tagged pin=yes")  # Failed, kept by its tag
    assert reasons["b03"] == (
        "delete",
        "kept by no bucket (daily 7, weekly 4, monthly 3); not tagged pin=yes",
    )
    kept = {i for i, (action, _) in reasons.items() if action == "keep"}
    assert kept == {i for i, cell in plan.items() if cell != "delete"} | {"b35", "b38"}


def test_the_readme_example_with_yes_deletes_what_the_plan_says(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = seed_example(emu)
    assert cli(emu, "prune", "prod", *EXAMPLE_FLAGS, "--yes") == 0
    out, err = capsys.readouterr()
    assert sorted(deletes(emu)) == sorted(i for i, cell in plan.items() if cell == "delete")
    assert sorted(b["backup_id"] for b in emu.backups("prod")) == sorted(
        i for i, cell in plan.items() if cell != "delete"
    )
    assert "29 deleted, 0 skipped, 0 failed, 11 kept" in err
    assert any(line.startswith("kept") and B02 in line for line in out.splitlines())


def test_tz_moves_backups_to_other_days(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    # 2026-12-05 23:30 UTC is 12-06 08:30 in Tokyo: two days there, one in UTC.
    early = emu.add_backup("tokyo", created_at="2026-12-05T01:00:00Z")["backup_id"]
    late = emu.add_backup("tokyo", created_at="2026-12-05T23:30:00Z")["backup_id"]
    assert cli(emu, "prune", "tokyo", "--keep-daily", "5", "--json") == 0
    utc = {line["backup_id"]: line for line in json_lines(capsys.readouterr().out)}
    assert (utc[late]["action"], utc[late]["reason"]) == ("keep", "daily 2026-12-05")
    assert utc[early]["action"] == "delete"
    assert cli(emu, "prune", "tokyo", "--keep-daily", "5", "--tz", "Asia/Tokyo", "--json") == 0
    tokyo = {line["backup_id"]: line["reason"] for line in json_lines(capsys.readouterr().out)}
    assert tokyo == {late: "daily 2026-12-06", early: "daily 2026-12-05"}
    assert deletes(emu) == []


def test_keep_within_and_keep_tag(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    now = dt.datetime.now(dt.timezone.utc)

    def add(hours: int, status: str = "Ready", **tags: str) -> str:
        created = (now - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields: dict[str, Any] = {"status": status, "created_at": created}
        made = emu.add_backup("ix", **fields, **({"tags": tags} if tags else {}))
        backup_id: str = made["backup_id"]
        return backup_id

    recent_failed = add(10, "Failed")
    recent = add(30)
    old_pinned = add(24 * 40, pin="yes")
    old_forever = add(24 * 50, "Failed", keep="forever")
    old = add(24 * 60)
    argv = ("prune", "ix", "--keep-within", "1d12h", "--keep-tag", "pin=yes")
    assert cli(emu, *argv, "--keep-tag", "keep=forever", "--json") == 0
    plan = {line["backup_id"]: line for line in json_lines(capsys.readouterr().out)}
    assert {i for i, line in plan.items() if line["action"] == "delete"} == {old}
    assert plan[recent_failed]["reason"] == "within 36h (created 10h ago)"
    assert plan[recent]["reason"] == "within 36h (created 30h ago)"
    assert plan[old_pinned]["reason"] == "tagged pin=yes"
    assert plan[old_forever]["reason"] == "tagged keep=forever"
    assert plan[old]["reason"] == (
        "not within 36h (created 60d ago); not tagged keep=forever or pin=yes"
    )
    assert deletes(emu) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--keep-daily", "-1"), "argument --keep-daily: expected a whole number >= 0, got '-1'"),
        (("--keep-weekly", "x"), "argument --keep-weekly: expected a whole number >= 0, got 'x'"),
        (("--keep-monthly", "1.5"), "argument --keep-monthly: expected a whole number >= 0"),
        (("--keep-yearly",), "argument --keep-yearly: expected one argument"),
        (
            ("--keep-within", "0d"),
            "argument --keep-within: must be more than 0, got '0d' (--keep-within 0 keeps no "
            "backup; leave it out)",
        ),
        (
            ("--keep-within", "-2d"),
            "argument --keep-within: a duration cannot be negative, got '-2d'",
        ),
        (
            ("--keep-within", "1y"),
            "got '1y': years and months have no fixed length (write days: 365d, 30d)",
        ),
        (("--keep-within", "12h1d"), "got '12h1d': unit d given twice or out of order"),
        (("--keep-tag", "pin"), "argument --keep-tag: expected KEY=VALUE, got 'pin'"),
        (
            ("--keep-daily", "7", "--tz", "Europe/Berln"),
            "argument --tz: 'Europe/Berln' is not an IANA time zone name (did you mean "
            "'Europe/Berlin'?)",
        ),
        (("--keep-daily", "7", "--tz", ""), "argument --tz: '' is not an IANA time zone name"),
        (("--tz", "UTC"), "give at least one rule or filter: --keep-last, --keep-daily"),
    ],
)
def test_bad_usage_exits_2_and_sends_nothing(
    args: tuple[str, ...],
    message: str,
    emu: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli(emu, "prune", "prod", *args, "--yes") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert emu.requests == []


def test_a_missing_time_zone_database_exits_2_with_what_to_install() -> None:
    # No system database (PYTHONTZPATH empty) and no tzdata package: a zone other than UTC
    # cannot be read; the command says so before sending anything (the host is unreachable).
    code = (
        "import sys; sys.modules['tzdata'] = None\n"
        "from pinecone_backups.__main__ import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    env.update(PYTHONTZPATH="", PINECONE_API_KEY="key")
    argv = ["prune", "--keep-daily", "7", "--host", "http://127.0.0.1:9"]
    run = subprocess.run(
        [sys.executable, "-c", code, *argv, "--tz", "Europe/Berlin"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert "this system has no IANA time zone database" in run.stderr
    assert "pip install tzdata" in run.stderr
    assert run.stdout == ""
