"""``pinecone-backups inventory`` and the summary behind it (``pb.summarize``,
pinecone_backups._inventory)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import pinecone_backups as pb
from pinecone_backups.__main__ import main
from pinecone_backups._inventory import BY_INDEX_KEYS, BY_STATUS_KEYS, summarize
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, ROOT

# -- summarize is public --------------------------------------------------------------------------


def test_summarize_is_public() -> None:
    from pinecone_backups import _inventory

    assert "summarize" in pb.__all__
    assert pb.summarize is _inventory.summarize
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pb.summarize(" in readme
    assert "pinecone_backups._inventory" not in readme


# -- The summary and the command ------------------------------------------------------------------


def at(day: int) -> datetime:
    return datetime(2025, 1, day, tzinfo=timezone.utc)


def backup(index: str, status: str, day: int | None, size: int | None = 100) -> pb.Backup:
    return pb.Backup(
        f"{index}-{status}-{day}",
        index,
        f"{index}-id",
        status,
        "aws",
        "us-east-1",
        size_bytes=size,
        record_count=None if size is None else size // 10,
        created_at=None if day is None else at(day),
    )


HISTORY = [
    backup("beta", "Ready", 3),
    backup("alpha", "Ready", 5, size=2**40),
    backup("alpha", "Failed", 6, size=None),
    backup("alpha", "Ready", 1),
    backup("alpha", "Initializing", 7, size=None),
    backup("beta", "InitializationFailed", 4, size=0),
    backup("alpha", "Ready", None),
    backup("gamma", "Pending", 2),
]


def test_by_index_counts_sizes_and_ready_times() -> None:
    rows = summarize(HISTORY)
    assert [tuple(row) for row in rows] == [BY_INDEX_KEYS] * 3
    assert rows[0] == {
        "index": "alpha",
        "backups": 5,
        "ready": 3,
        "failed": 1,
        "other": 1,
        "size_bytes": 2**40 + 200,
        "record_count": 2**40 // 10 + 20,
        "newest_ready": at(5),
        "oldest_ready": at(1),
    }
    assert rows[1] == {
        "index": "beta",
        "backups": 2,
        "ready": 1,
        "failed": 1,
        "other": 0,
        "size_bytes": 100,
        "record_count": 10,
        "newest_ready": at(3),
        "oldest_ready": at(3),
    }
    assert rows[2]["index"] == "gamma"
    assert (rows[2]["ready"], rows[2]["other"]) == (0, 1)
    assert rows[2]["newest_ready"] is None and rows[2]["oldest_ready"] is None


def test_by_status() -> None:
    rows = summarize(HISTORY, by="status")
    assert [row["status"] for row in rows] == [
        "Failed",
        "InitializationFailed",
        "Initializing",
        "Pending",
        "Ready",
    ]
    assert all(tuple(row) == BY_STATUS_KEYS for row in rows)
    ready = rows[-1]
    assert ready == {
        "status": "Ready",
        "backups": 4,
        "indexes": 2,
        "size_bytes": 2**40 + 300,
        "record_count": 2**40 // 10 + 30,
        "newest": at(5),
        "oldest": at(1),
    }
    assert rows[0]["size_bytes"] == 0 and rows[0]["newest"] == at(6)


def test_the_totals_agree_whatever_the_grouping() -> None:
    by_index, by_status = summarize(HISTORY), summarize(HISTORY, by="status")
    for key in ("backups", "size_bytes", "record_count"):
        assert sum(r[key] for r in by_index) == sum(r[key] for r in by_status)
    assert sum(r["backups"] for r in by_index) == len(HISTORY)


def test_nothing_and_bad_grouping() -> None:
    assert summarize([]) == [] and summarize(iter(()), by="status") == []
    with pytest.raises(ValueError, match="by must be"):
        summarize(HISTORY, by="region")  # type: ignore[arg-type]


def test_times_are_utc_and_an_instant_outside_datetime_in_utc_is_left_out() -> None:
    # 9999-12-31T23:59:59-01:00 is 10000-01-01 in UTC, 0001-01-01T00:00:00+01:00 is year 0:
    # Python holds each as given, but not in UTC (astimezone overflows, as the CLI did).
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-1)))
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    paris = datetime(2025, 1, 2, 1, tzinfo=timezone(timedelta(hours=1)))
    backups = [
        pb.Backup("late", "odd", "odd-id", "Ready", "aws", "us-east-1", created_at=late),
        pb.Backup("early", "odd", "odd-id", "Ready", "aws", "us-east-1", created_at=early),
        pb.Backup("paris", "tz", "tz-id", "Ready", "aws", "us-east-1", created_at=paris),
    ]
    by_index = summarize(backups)
    assert [(r["index"], r["backups"], r["ready"]) for r in by_index] == [
        ("odd", 2, 2),
        ("tz", 1, 1),
    ]
    assert by_index[0]["newest_ready"] is None and by_index[0]["oldest_ready"] is None
    assert by_index[1]["newest_ready"] == at(2)
    assert by_index[1]["newest_ready"].tzinfo is timezone.utc
    (ready,) = summarize(backups, by="status")
    assert (ready["backups"], ready["newest"], ready["oldest"]) == (3, at(2), at(2))
    assert ready["newest"].tzinfo is timezone.utc


@pytest.fixture
def project(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The emulator with a few more backups, and the CLI's environment pointing at it."""
    emulator.add_backup(
        "my-index", name='a,b "quoted"', size_bytes=5 * 1024**3, created_at="2025-06-01T00:00:00Z"
    )
    emulator.add_backup(
        "my-index", name="broken", status="Failed", size_bytes=1, created_at="2025-06-02T00:00:00Z"
    )
    emulator.add_backup("other", name="x", size_bytes=10, record_count=1)
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    return emulator


def test_table(project: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inventory"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == [
        "INDEX",
        "BACKUPS",
        "READY",
        "FAILED",
        "OTHER",
        "SIZE",
        "RECORDS",
        "NEWEST",
        "READY",
        "OLDEST",
        "READY",
    ]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == ["big-index", "docs-example", "my-index", "other"]  # none: no row
    assert rows["my-index"].split()[1:7] == ["4", "3", "1", "0", "5.0", "GiB"]
    assert "2025-06-01 00:00:00 UTC  2024-03-15 10:30:00 UTC" in rows["my-index"]
    assert rows["big-index"].split()[1:7] == ["25", "24", "0", "1", "4.8", "GiB"]
    assert err.startswith("33 backups in 4 indexes, ")
    assert [r.path for r in project.requests] == ["/backups"]  # 33 backups: one page of 100


def test_csv_is_rfc_4180_with_exact_bytes(
    project: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inventory", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("\r\n") and "\n" not in out.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert list(rows[0]) == list(BY_INDEX_KEYS)
    mine = next(row for row in rows if row["index"] == "my-index")
    assert mine["size_bytes"] == str(5 * 1024**3 + 1 + 20_500_000)
    assert mine["newest_ready"] == "2025-06-01T00:00:00Z"
    other = next(row for row in rows if row["index"] == "other")
    assert other["record_count"] == "1"


def test_csv_by_status_and_quoting(project: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inventory", "--by", "status", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert rows[0] == list(BY_STATUS_KEYS)
    assert [row[0] for row in rows[1:]] == ["Failed", "Pending", "Ready"]
    assert rows[1][1:4] == ["1", "1", "1"]


def test_json_lines(project: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inventory", "--format", "json"]) == 0
    out = capsys.readouterr().out
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(list(row) == list(BY_INDEX_KEYS) for row in rows)
    mine = next(row for row in rows if row["index"] == "my-index")
    assert mine["size_bytes"] == 5 * 1024**3 + 1 + 20_500_000
    assert mine["failed"] == 1
    assert mine["oldest_ready"] == "2024-03-15T10:30:00Z"
    # --json is --format json
    assert main(["inventory", "--json"]) == 0
    assert capsys.readouterr().out == out


def test_json_conflicts_with_another_format(
    project: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inventory", "--json", "--format", "csv"]) == 2
    assert "--json conflicts with --format csv" in capsys.readouterr().err
    assert project.requests == []


def test_walks_every_page(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(120):
        emulator.add_backup("many", name=f"b{n}", size_bytes=1)
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert main(["inventory", "--host", emulator.url, "--json"]) == 0
    rows = {
        json.loads(line)["index"]: json.loads(line) for line in capsys.readouterr().out.splitlines()
    }
    assert rows["many"]["backups"] == 120 and rows["many"]["size_bytes"] == 120
    assert [r.query.get("limit") for r in emulator.requests] == [["100"], None]


def test_an_api_error_exits_1(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", "wrong-key")
    assert main(["inventory", "--host", emulator.url]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("pinecone-backups: error: [401")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", "inventory", "--emulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_emulator_table() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("INDEX ")
    assert [line.split()[0] for line in lines[1:]] == ["big-index", "docs-example", "my-index"]
    assert lines[1].split()[1:7] == ["25", "24", "0", "1", "4.8", "GiB"]
    assert (
        result.stderr
        == "30 backups in 3 indexes, 4.9 GiB (5,223,598,737 bytes), 1,870,284 records\n"
    )


def test_emulator_csv_and_json_agree() -> None:
    as_csv = run("--format", "csv", "--by", "status")
    as_json = run("--format", "json", "--by", "status")
    assert as_csv.returncode == as_json.returncode == 0
    from_csv = list(csv.DictReader(io.StringIO(as_csv.stdout, newline="")))
    from_json = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [row["status"] for row in from_json] == ["Pending", "Ready"]
    assert from_json[1]["backups"] == 28
    assert [{k: str(v) for k, v in row.items()} for row in from_json] == from_csv


def test_help_and_bad_usage() -> None:
    help_ = subprocess.run(
        [sys.executable, "-m", "pinecone_backups", "inventory", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert help_.returncode == 0 and "--by {index,status}" in help_.stdout
    bad = run("--format", "xml")
    assert bad.returncode == 2 and "invalid choice: 'xml'" in bad.stderr


def test_the_readme_shows_real_output() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    command = "$ pinecone-backups inventory --emulator\n"
    assert command in readme
    shown = readme.split(command, 1)[1].split("\n$ ", 1)[0]
    result = run()
    assert result.returncode == 0, result.stderr
    assert shown == result.stdout + result.stderr.rstrip("\n")


@pytest.mark.parametrize("created_at", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
@pytest.mark.parametrize("by", ["index", "status"])
def test_every_format_survives_a_time_outside_datetime_in_utc(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    created_at: str,
    by: str,
) -> None:
    # 0.1.0 ended --format csv and json with a traceback (OverflowError in astimezone).
    emulator.add_backup("odd", name="odd", size_bytes=7, created_at=created_at)
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    key, newest = ("index", "newest_ready") if by == "index" else ("status", "newest")
    group = "odd" if by == "index" else "Ready"

    assert main(["inventory", "--host", emulator.url, "--by", by, "--format", "json"]) == 0
    rows = {row[key]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows[group]["backups"] == (1 if by == "index" else 29)
    if by == "index":
        assert rows["odd"][newest] is None and rows["odd"]["size_bytes"] == 7  # the time missing
    else:
        assert rows["Ready"][newest] == "2025-02-27T09:12:04.118230Z"  # the sample's newest

    assert main(["inventory", "--host", emulator.url, "--by", by, "--format", "csv"]) == 0
    table = {r[key]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out, newline=""))}
    assert table[group]["backups"] == str(rows[group]["backups"])
    assert table[group][newest] == (rows[group][newest] or "")

    assert main(["inventory", "--host", emulator.url, "--by", by, "--format", "table"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.split()[0] == group)
    if by == "index":
        assert line.split()[-2:] == ["-", "-"]
    assert "UTC-01:00" not in out and "UTC+01:00" not in out
