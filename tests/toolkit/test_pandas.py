"""``to_pandas()`` of pages and iterators (pinecone_backups._pandas)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import sys
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator

pd = pytest.importorskip("pandas")

UTC_NS = "datetime64[ns, UTC]"


def test_a_page_has_a_row_per_backup_and_a_column_per_field(client: pb.Client) -> None:
    page = client.list_index_backups("docs-example")
    df = page.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == [field.name for field in dataclasses.fields(pb.Backup)]
    assert list(df.columns) == list(pb.Backup.__match_args__)
    assert len(df) == len(page) == 3
    assert list(df["backup_id"]) == [backup.backup_id for backup in page]
    assert str(df["created_at"].dtype) == UTC_NS
    assert df["created_at"].iloc[0] == pd.Timestamp(page[0].created_at)
    assert df["created_at"].iloc[0].microsecond == page[0].created_at.microsecond  # type: ignore[union-attr]
    for column in ("record_count", "namespace_count", "size_bytes", "dimension"):
        assert str(df[column].dtype) == "Int64"
    assert list(df["size_bytes"]) == [backup.size_bytes for backup in page]


@pytest.mark.off_spec_responses  # the nulls the real API sends
def test_tags_are_dicts_and_missing_values_are_missing(
    client: pb.Client, emulator: Emulator
) -> None:
    emulator.add_backup(
        "tagged",
        name="t",
        tags={"env": "prod", "team": "search"},
        created_at="2025-01-01T00:00:00Z",
    )
    emulator.add_backup("tagged", name=None, record_count=None, created_at=None)
    df = client.list_index_backups("tagged").to_pandas()
    assert df["tags"].tolist() == [{"env": "prod", "team": "search"}, {}]
    assert all(type(tags) is dict for tags in df["tags"])
    assert df["created_at"].iloc[0] == pd.Timestamp("2025-01-01T00:00:00Z")
    assert df["created_at"].isna().tolist() == [False, True]
    assert df["record_count"].isna().tolist() == [True, True]
    assert df["name"].isna().tolist() == [False, True]


def test_restore_jobs_have_two_utc_times_and_a_float_percent(
    client: pb.Client, emulator: Emulator
) -> None:
    emulator.add_restore_job("bkp_123abc", "restored-a")
    emulator.add_restore_job("bkp_123abc", "restored-b", status="Pending")
    df = client.list_restore_jobs().to_pandas()
    assert list(df.columns) == list(pb.RestoreJob.__match_args__)
    assert str(df["created_at"].dtype) == str(df["completed_at"].dtype) == UTC_NS
    assert str(df["percent_complete"].dtype) == "float64"
    assert sorted(df["target_index_name"]) == ["restored-a", "restored-b"]
    pending = df[df["status"] == "Pending"].iloc[0]
    assert pd.isna(pending["completed_at"]) and pd.isna(pending["percent_complete"])


def test_an_empty_page_still_has_every_column() -> None:
    for page, model in ((pb.BackupList(), pb.Backup), (pb.RestoreJobList(), pb.RestoreJob)):
        df = page.to_pandas()
        assert df.empty
        assert list(df.columns) == list(model.__match_args__)
        assert str(df["created_at"].dtype) == UTC_NS


def test_a_size_beyond_64_bits_stays_exact() -> None:
    huge = 2**70
    backup = pb.Backup("b", "i", "i-id", "Ready", "aws", "us-east-1", size_bytes=huge)
    df = pb.BackupList([backup]).to_pandas()
    assert df["size_bytes"].iloc[0] == huge
    assert df["size_bytes"].dtype == object


def test_an_iterator_consumes_the_rest_of_the_walk(client: pb.Client, emulator: Emulator) -> None:
    walk = client.iter_index_backups("big-index", page_size=10)
    first = next(walk)
    df = walk.to_pandas()
    assert len(df) == 24
    assert first.backup_id not in set(df["backup_id"])
    assert walk.handed_out == 25
    assert list(walk) == []
    assert len(emulator.requests) == 3


def test_a_restore_job_iterator(client: pb.Client, emulator: Emulator) -> None:
    for n in range(3):
        emulator.add_restore_job("bkp_123abc", f"restored-{n}")
    df = client.iter_restore_jobs(page_size=2).to_pandas()
    assert len(df) == 3 and str(df["completed_at"].dtype) == UTC_NS


async def test_an_async_iterator_returns_an_awaitable(emulator: Emulator) -> None:
    async with pb.AsyncClient(api_key=emulator.api_key, host=emulator.url) as aclient:
        walk = aclient.iter_index_backups("big-index", page_size=10, max_items=12)
        pending = walk.to_pandas()
        assert inspect.isawaitable(pending)
        assert emulator.requests == []  # nothing is fetched until it is awaited
        df = await pending
        assert len(df) == 12 and str(df["created_at"].dtype) == UTC_NS
        jobs = await aclient.iter_restore_jobs().to_pandas()
        assert jobs.empty and list(jobs.columns) == list(pb.RestoreJob.__match_args__)


def test_without_pandas_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, client: pb.Client, emulator: Emulator
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    page = client.list_index_backups("docs-example")
    objects: list[Any] = [
        page,
        pb.RestoreJobList(),
        client.iter_project_backups(),
        client.iter_restore_jobs(),
    ]
    for obj in objects:
        with pytest.raises(ImportError, match=r"pip install pinecone-backups\[pandas\]"):
            obj.to_pandas()
    assert len(emulator.requests) == 1  # the page; the iterators fetched nothing


async def test_without_pandas_an_async_iterator_fails_at_once(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    async with pb.AsyncClient(api_key=emulator.api_key, host=emulator.url) as aclient:
        with pytest.raises(ImportError, match=r"pinecone-backups\[pandas\]"):
            aclient.iter_project_backups().to_pandas()  # raised on the call, not on await
    assert emulator.requests == []


def test_a_time_outside_datetime64_ns_is_nat_and_the_row_stays() -> None:
    # datetime64[ns] holds 1677-09-21 to 2262-04-11; Python's datetime holds years 1 to 9999.
    # 0.1.0 raised OutOfBoundsDatetime for the whole frame.
    utc = dt.timezone.utc
    times = {
        "far": dt.datetime(2300, 1, 1, tzinfo=utc),
        "past": dt.datetime(1600, 1, 1, tzinfo=utc),
        "last": dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-1))),
        "first": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "edge": dt.datetime(2262, 4, 11, 23, 47, 16, 854775, tzinfo=utc),
        "paris": dt.datetime(2025, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "none": None,
    }
    page = pb.BackupList(
        [
            pb.Backup(name, "i", "i-id", "Ready", "aws", "r", created_at=t)
            for name, t in times.items()
        ]
    )
    df = page.to_pandas()
    assert str(df["created_at"].dtype) == UTC_NS
    assert list(df["backup_id"]) == list(times)  # every row
    column = dict(zip(df["backup_id"], df["created_at"], strict=True))
    assert [name for name, value in column.items() if pd.isna(value)] == [
        "far",
        "past",
        "last",
        "first",
        "none",
    ]
    assert column["edge"] == pd.Timestamp("2262-04-11T23:47:16.854775Z")
    assert column["paris"] == pd.Timestamp("2025-01-01T00:00:00Z")


def test_a_listing_with_years_after_2262_makes_a_frame(
    client: pb.Client, emulator: Emulator
) -> None:
    emulator.add_backup("future", name="f", created_at="2300-01-01T00:00:00Z")
    emulator.add_backup("future", name="n", created_at="2025-01-01T00:00:00Z")
    emulator.add_restore_job(
        "bkp_123abc",
        "restored",
        created_at="2025-01-01T00:00:00Z",
        completed_at="2500-01-01T00:00:00Z",
    )
    page = client.list_index_backups("future")
    df = page.to_pandas()
    assert list(df["name"]) == ["f", "n"]
    assert pd.isna(df["created_at"].iloc[0])
    assert df["created_at"].iloc[1] == pd.Timestamp("2025-01-01T00:00:00Z")
    assert page[0].to_dict()["created_at"] == "2300-01-01T00:00:00Z"  # the text stays
    jobs = client.iter_restore_jobs().to_pandas()
    assert pd.isna(jobs["completed_at"].iloc[0])
    assert jobs["created_at"].iloc[0] == pd.Timestamp("2025-01-01T00:00:00Z")
