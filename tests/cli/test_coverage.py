"""``pinecone-backups coverage`` against the emulator, under each API version: exit status 0 when
every index is ``ok``, 6 when one is ``stale`` or ``unprotected`` (orphaned backups alone: 0), the
table, CSV and JSON, ``--max-age`` (bad values exit 2 and send nothing), an index deleted and
created again, schedules under 2026-07, the requests each version needs, escaping, Ctrl-C."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from pinecone_backups import _coverage
from pinecone_backups.testing import Emulator
from tests.cli.test_escaping import SHOWN, assert_printable
from tests.helpers import EVIL, ROOT, Start, cli

VERSIONS = ("2025-10", "2026-04", "2026-07")
HEADER = [
    *("INDEX", "VERDICT", "NEWEST READY", "AGE", "READY", "RUNNING", "FAILED", "SIZE"),
    *("SCHEDULE", "REASON"),
]


def ago(**delta: float) -> str:
    """The time ``delta`` before now, as the server writes it (whole seconds, ``Z``)."""
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(**delta)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def empty(start: Start) -> Emulator:
    """An emulator without the sample data."""
    return start(seed=False)


def seed(emu: Emulator) -> dict[str, str]:
    """``fresh`` (a Ready backup an hour old, an older one, a Pending and a Failed one), ``old``
    (its newest Ready backup 30 hours old) and ``bare`` (no backup); the ids by role."""
    emu.add_index("bare")
    ids = {
        "fresh": emu.add_backup("fresh", created_at=ago(hours=1), size_bytes=1000)["backup_id"],
        "old": emu.add_backup("old", created_at=ago(hours=30), size_bytes=10)["backup_id"],
    }
    emu.add_backup("fresh", created_at=ago(hours=50), size_bytes=24)
    emu.add_backup("fresh", created_at=ago(minutes=5), status="Pending")
    emu.add_backup("fresh", created_at=ago(minutes=20), status="Failed")
    return ids


def table(out: str) -> dict[str, list[str]]:
    """The table's rows by index (columns split on two spaces or more)."""
    lines = [[cell for cell in line.split("  ") if cell] for line in out.splitlines()]
    assert [cell.strip() for cell in lines[0]] == HEADER
    return {line[0].strip(): [cell.strip() for cell in line] for line in lines[1:]}


def rows_of(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def paths(emu: Emulator) -> list[str]:
    """The requests the emulator saw: method, path and query."""
    return [
        f"{r.method} {r.path}" + (f"?{r.raw_query}" if r.raw_query else "") for r in emu.requests
    ]


# -- Exit statuses --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_exit_0_when_every_index_is_ok(
    empty: Emulator, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = empty.add_backup("fresh", created_at=ago(hours=1))["backup_id"]
    empty.add_backup("other", created_at=ago(hours=25))
    assert cli(empty, "coverage", "--api-version", version) == 0
    out, err = capsys.readouterr()
    rows = table(out)
    assert list(rows) == ["fresh", "other"]
    assert rows["fresh"][1:4] == ["ok", fresh, "1h"]
    assert rows["other"][1] == "ok"
    assert err == "2 indexes: 2 ok (max age 26h)\n"


def test_no_index_prints_no_table(empty: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    # a project without an index: no table (a header alone), the summary says 0
    assert cli(empty, "coverage") == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "0 indexes: 0 ok (max age 26h)\n"
    assert cli(empty, "coverage", "--format", "csv") == 0  # CSV keeps its header: it is data
    assert capsys.readouterr().out.splitlines()[0].startswith("index,")


@pytest.mark.parametrize("version", VERSIONS)
def test_exit_6_when_an_index_is_stale_or_unprotected(
    empty: Emulator, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed(empty)
    assert cli(empty, "coverage", "--api-version", version) == 6
    out, err = capsys.readouterr()
    rows = table(out)
    assert list(rows) == ["bare", "fresh", "old"]
    assert rows["fresh"][1:8] == ["ok", ids["fresh"], "1h", "2", "1", "1", "1.0 KiB"]
    assert rows["old"][1:4] == ["stale", ids["old"], "1d 6h"]
    assert rows["old"][-1] == "newest Ready backup 1d 6h old, over the max age 26h"
    assert rows["bare"][1:4] == ["unprotected", "-", "-"]
    assert rows["bare"][-1] == "no Ready backup"
    assert err == "3 indexes: 1 ok, 1 stale, 1 unprotected (max age 26h)\n"

    assert cli(empty, "coverage", "--api-version", version, "--max-age", "2d") == 6  # bare
    assert table(capsys.readouterr().out)["old"][1] == "ok"
    empty.add_backup("bare", created_at=ago(hours=40))
    assert cli(empty, "coverage", "--api-version", version, "--max-age", "1d18h") == 0
    out, err = capsys.readouterr()
    assert {row[1] for row in table(out).values()} == {"ok"}
    assert err == "3 indexes: 3 ok (max age 42h)\n"


@pytest.mark.parametrize("version", VERSIONS)
def test_orphaned_backups_alone_exit_0(
    empty: Emulator, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty.add_backup("live", created_at=ago(hours=2))
    gone = empty.add_index("gone")
    empty.add_backup("gone", created_at=ago(days=3), size_bytes=2048)
    empty.add_backup("gone", created_at=ago(days=4), size_bytes=2048, status="Failed")
    empty.delete_index("gone")
    assert cli(empty, "coverage", "--api-version", version, "--json") == 0
    out, err = capsys.readouterr()
    rows = rows_of(out)
    assert [(row["index"], row["verdict"]) for row in rows] == [
        ("live", "ok"),
        ("gone", "orphaned"),
    ]
    orphan = rows[1]
    assert (orphan["index_id"], orphan["backups"], orphan["size_bytes"]) == (gone, 2, 4096)
    assert (orphan["ready"], orphan["failed"], orphan["schedule"]) == (1, 1, None)
    deleted_at_known = version != "2025-10"  # source_index_deleted_at, from 2026-04
    assert (orphan["index_deleted_at"] is not None) is deleted_at_known
    assert orphan["reason"].endswith(
        "no index named 'gone' exists: 2 backups, 4.0 KiB (4,096 bytes)"
    )
    assert err == (
        "1 index: 1 ok (max age 26h); 2 backups of 1 deleted index (orphaned), 4.0 KiB "
        "(4,096 bytes)\n"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_an_index_deleted_and_created_again_is_not_covered_by_the_old_backups(
    empty: Emulator, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = empty.add_index("prod")
    empty.add_backup("prod", created_at=ago(hours=1))  # recent: it must not count
    empty.add_backup("prod", created_at=ago(hours=3))
    empty.delete_index("prod")
    new_id = empty.add_index("prod")
    assert new_id != old_id
    assert cli(empty, "coverage", "--api-version", version, "--json") == 6
    rows = rows_of(capsys.readouterr().out)
    assert [(r["index"], r["index_id"], r["verdict"], r["backups"]) for r in rows] == [
        ("prod", None, "unprotected", 0),
        ("prod", old_id, "orphaned", 2),
    ]
    assert "2 backups of an earlier index named 'prod' not counted" in rows[0]["reason"]

    fresh = empty.add_backup("prod", created_at=ago(minutes=30))["backup_id"]
    assert cli(empty, "coverage", "--api-version", version, "--json") == 0
    rows = rows_of(capsys.readouterr().out)
    assert [(r["index_id"], r["verdict"], r["newest_ready_id"]) for r in rows] == [
        (new_id, "ok", fresh),
        (old_id, "orphaned", rows[1]["newest_ready_id"]),
    ]
    # Under 2025-10 a backup does not say its index was deleted: the index's own listing does.
    asked = [p for p in paths(empty) if p.startswith("GET /indexes/prod/backups")]
    assert asked == (["GET /indexes/prod/backups?limit=1"] * 2 if version == "2025-10" else [])


@pytest.mark.parametrize("version", VERSIONS)
def test_the_requests_each_version_needs(empty: Emulator, version: str) -> None:
    seed(empty)
    assert cli(empty, "coverage", "--api-version", version) == 6
    sent = paths(empty)
    assert sent[:2] == ["GET /indexes", "GET /backups?limit=100"]
    per_index = sorted(sent[2:])
    if version == "2025-10":  # the id of each index with backups, from its own listing
        expected = [f"GET /indexes/{name}/backups?limit=1" for name in ("fresh", "old")]
    elif version == "2026-07":  # every index's schedules
        names = ("bare", "fresh", "old")
        expected = [f"GET /indexes/{name}/backup-schedules?limit=100" for name in names]
    else:
        expected = []
    assert per_index == expected
    assert all(r.method == "GET" for r in empty.requests)


# -- Formats --------------------------------------------------------------------------------------


def test_json_lines_have_exactly_the_keys(
    empty: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed(empty)
    assert cli(empty, "coverage", "--format", "json") == 6
    out, _ = capsys.readouterr()
    rows = rows_of(out)
    assert all(list(row) == list(_coverage.KEYS) for row in rows)
    fresh = next(row for row in rows if row["index"] == "fresh")
    assert fresh["newest_ready_id"] == ids["fresh"]
    assert fresh["newest_ready_at"].endswith("Z")
    assert 3590 <= fresh["age_seconds"] <= 3700
    assert (fresh["backups"], fresh["ready"], fresh["running"], fresh["failed"]) == (4, 2, 1, 1)
    assert (fresh["size_bytes"], fresh["unknown_time"], fresh["schedule"]) == (1024, 0, "n/a")
    assert fresh["index_state"] == "Ready"
    assert cli(empty, "coverage", "--json") == 6
    assert rows_of(capsys.readouterr().out) == [
        {**row, "age_seconds": rows_of(out)[i]["age_seconds"]} for i, row in enumerate(rows_of(out))
    ]


def test_csv_has_a_header_and_exact_values(
    empty: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(empty)
    assert cli(empty, "coverage", "--format", "csv") == 6
    out, err = capsys.readouterr()
    assert out.startswith(",".join(_coverage.KEYS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["index"] for row in rows] == ["bare", "fresh", "old"]
    bare = rows[0]
    assert (bare["verdict"], bare["newest_ready_id"], bare["age_seconds"]) == (
        "unprotected",
        "",
        "",
    )
    assert rows[1]["size_bytes"] == "1024"
    assert rows[2]["verdict"] == "stale"
    assert "3 indexes" in err  # the summary on stderr, not in the data


def test_json_conflicts_with_another_format(
    empty: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(empty, "coverage", "--json", "--format", "table") == 2
    assert "--json conflicts with --format table" in capsys.readouterr().err
    assert empty.requests == []


def test_schedules_under_2026_07(empty: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    empty.add_backup("nightly", created_at=ago(hours=2))
    empty.add_backup_schedule("nightly", name="nightly", frequency="daily", expire_after_days=7)
    empty.add_backup_schedule(
        "weekly", name="weekly", frequency="weekly", expire_after_days=30, enabled=False
    )
    empty.add_index("none")
    assert cli(empty, "coverage", "--api-version", "2026-07") == 6
    rows = table(capsys.readouterr().out)
    assert {name: row[8] for name, row in rows.items()} == {
        "nightly": "daily, keep 7d",
        "none": "none",
        "weekly": "weekly, keep 30d, disabled",
    }
    assert cli(empty, "coverage", "--api-version", "2026-07", "--json") == 6
    nightly = next(r for r in rows_of(capsys.readouterr().out) if r["index"] == "nightly")
    assert (nightly["schedule"], nightly["schedule_frequency"]) == ("enabled", "daily")
    assert nightly["schedule_expire_after_days"] == 7
    assert nightly["schedule_next_run"].endswith("Z")
    assert cli(empty, "coverage", "--api-version", "2025-10") == 6
    assert {row[8] for row in table(capsys.readouterr().out).values()} == {"n/a"}


def test_the_sample_data(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    # The sample's backups are from 2024 and 2025: ok only under a very long max age.
    assert cli(emu, "coverage", "--max-age", "100000d") == 6  # empty-index
    rows = table(capsys.readouterr().out)
    assert {name: row[1] for name, row in rows.items()} == {
        "big-index": "ok",
        "docs-example": "ok",
        "empty-index": "unprotected",
        "my-index": "ok",
    }
    assert rows["my-index"][2] == "bkp_789xyz"


# -- --max-age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5h", "argument --max-age: a duration cannot be negative, got '-5h'"),
        ("0h", "argument --max-age: must be more than 0, got '0h'"),
        ("0", "argument --max-age: expected a duration like"),
        ("26", "argument --max-age: expected a duration like"),
        ("1y", "years and months have no fixed length"),
        ("soon", "got 'soon'"),
        ("12h1d", "unit d given twice or out of order"),
        ("", "argument --max-age: expected a duration like"),
    ],
)
def test_a_bad_max_age_exits_2_and_sends_nothing(
    empty: Emulator, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(empty, "coverage", "--max-age", value) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert empty.requests == []


@pytest.mark.parametrize(("value", "shown"), [("90m", "90m"), ("1d12h", "36h"), ("2w", "14d")])
def test_max_age_forms(
    empty: Emulator, value: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty.add_backup("a", created_at=ago(minutes=80))
    assert cli(empty, "coverage", f"--max-age={value}") == 0
    assert capsys.readouterr().err == f"1 index: 1 ok (max age {shown})\n"


# -- Errors, escaping, Ctrl-C ---------------------------------------------------------------------


def test_an_api_error_exits_1(
    empty: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", "wrong")
    assert cli(empty, "coverage") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "401" in err


def test_server_text_is_escaped_in_the_table_and_exact_in_json(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.add_backup("evil-index", backup_id=EVIL, created_at=ago(minutes=1))
    assert cli(emulator, "coverage") == 6
    out, err = capsys.readouterr()
    assert_printable(out + err)
    assert SHOWN in out  # the newest backup's id, and the orphaned index named EVIL
    assert cli(emulator, "coverage", "--json") == 6
    rows = rows_of(capsys.readouterr().out)
    assert next(r for r in rows if r["index"] == "evil-index")["newest_ready_id"] == EVIL
    assert any(r["index"] == EVIL and r["verdict"] == "orphaned" for r in rows)


def test_ctrl_c_exits_130(
    empty: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    seed(empty)
    monkeypatch.setattr(_coverage, "assess_coverage", interrupt)
    assert cli(empty, "coverage") == 130
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == "pinecone-backups: interrupted"


# -- The README's example -------------------------------------------------------------------------


def readme_example() -> tuple[str, str]:
    """The README's coverage example: its command line and what it prints (stdout and stderr
    together, as a terminal shows them)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Coverage\n", 1)[1].split("\n### ", 1)[0]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0].startswith("$ pinecone-backups ")
    end = lines.index("$ echo $?")
    assert lines[end + 1] == "6"
    return lines[0].removeprefix("$ pinecone-backups "), "\n".join(lines[1:end]) + "\n"


def test_the_readme_example(empty: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    command, shown = readme_example()
    size = 1_288_490_189
    empty.add_backup(
        "search",
        backup_id="3f1c9a52-1f0b-4c59-9a0e-5d2b7c1e8a40",
        created_at=ago(hours=3, minutes=12),
        size_bytes=size,
    )
    empty.add_backup("search", created_at=ago(hours=27, minutes=12), size_bytes=size)
    empty.add_backup_schedule("search", name="search-daily", expire_after_days=7)
    empty.add_backup(
        "recs",
        backup_id="9b6a2e70-84c5-4d1f-a3e2-7c0f5b9d4e16",
        created_at=ago(days=2, hours=5, minutes=3),
        size_bytes=52_428_800,
    )
    empty.add_backup("recs", created_at=ago(hours=2), status="Failed")
    empty.add_backup_schedule(
        "recs", name="recs-weekly", frequency="weekly", expire_after_days=30, enabled=False
    )
    empty.add_index("staging")
    empty.add_backup(
        "legacy",
        backup_id="5a0f3d2c-9e81-4b6a-b7c4-1d8e2f6a9c35",
        created_at=ago(days=40),
        size_bytes=3_435_973_837,
    )
    empty.add_backup("legacy", created_at=ago(days=70), size_bytes=3_435_973_837)
    empty.delete_index("legacy", deleted_at="2026-11-01T09:30:00Z")
    assert cli(empty, *command.split()) == 6
    out, err = capsys.readouterr()
    assert out + err == shown
