"""``to_pandas()`` of pages and iterators (pinecone_backups._pandas)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import sys
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _display, _extensions
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, RawReply, RawRequest, RawServer, json_reply

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


# -- Backup schedules and their history (API 2026-07), and every page of the native module -------


def schedule_document(schedule_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "schedule_id": schedule_id,
        "name": f"{schedule_id}-name",
        "index_id": "idx-id",
        "project_id": "proj",
        "schedule_type": "time-based",
        "frequency": "daily",
        "retention_expire_after_days": 7,
        "enabled": True,
        "next_scheduled_run": "2026-07-02T00:00:00Z",
        "created_at": "2026-07-01T00:00:00Z",
        **fields,
    }


def run_document(backup_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "backup_id": backup_id,
        "source_index_id": "idx-id",
        "source_index_name": "idx",
        "name": f"{backup_id}-name",
        "status": "Ready",
        "cloud": "aws",
        "region": "us-east-1",
        "size_bytes": 1069169,
        "record_count": 1234,
        "created_at": "2026-07-01T00:00:00Z",
        **fields,
    }


def test_a_schedule_page_has_typed_columns() -> None:
    disabled = schedule_document("s-2", enabled=False, next_scheduled_run=None)
    page = pb.BackupScheduleList(
        [
            pb.BackupSchedule.from_dict(schedule_document("s-1")),
            pb.BackupSchedule.from_dict(disabled),
        ]
    )
    df = page.to_pandas()
    assert list(df.columns) == list(pb.BackupSchedule.__match_args__)
    assert str(df["retention_expire_after_days"].dtype) == "Int64"
    assert str(df["enabled"].dtype) == "boolean"
    assert df["enabled"].tolist() == [True, False]
    for column in ("next_scheduled_run", "created_at"):
        assert str(df[column].dtype) == UTC_NS
    assert df["next_scheduled_run"].iloc[0] == pd.Timestamp("2026-07-02T00:00:00Z")
    assert pd.isna(df["next_scheduled_run"].iloc[1])  # disabled: no next run
    assert list(df["schedule_id"]) == ["s-1", "s-2"]


def test_a_history_page_has_typed_columns_and_keeps_a_far_run() -> None:
    runs = [
        run_document("b-1"),
        run_document(
            "b-2",
            status="Scheduled",
            size_bytes=None,
            record_count=None,
            scheduled_execution_at="2026-07-02T00:00:00Z",
        ),
        run_document("b-3", status="Scheduled", scheduled_execution_at="2300-01-01T00:00:00Z"),
    ]
    page = pb.BackupScheduleHistoryList([pb.BackupScheduleHistoryItem.from_dict(r) for r in runs])
    df = page.to_pandas()
    assert list(df.columns) == list(pb.BackupScheduleHistoryItem.__match_args__)
    assert list(df["backup_id"]) == ["b-1", "b-2", "b-3"]  # every row, the far one too
    for column in ("created_at", "scheduled_execution_at"):
        assert str(df[column].dtype) == UTC_NS
    assert df["scheduled_execution_at"].isna().tolist() == [True, False, True]  # 2300: NaT
    assert df["scheduled_execution_at"].iloc[1] == pd.Timestamp("2026-07-02T00:00:00Z")
    assert str(df["size_bytes"].dtype) == str(df["record_count"].dtype) == "Int64"
    assert df["size_bytes"].isna().tolist() == [False, True, False]


def test_every_page_makes_a_frame_with_a_column_per_field_of_its_model() -> None:
    for page_class in _extensions.PAGES:
        model: Any = _display.item_model(page_class)
        assert model is not None, page_class
        df = page_class().to_pandas()
        assert df.empty and list(df.columns) == list(model.__match_args__), page_class
        times = [name for name, kind, *_ in model.__model_fields__ if kind == "datetime.datetime"]
        assert times, model  # every model has a time
        assert [str(df[name].dtype) for name in times] == [UTC_NS] * len(times), model


def paged(documents: list[dict[str, Any]]) -> tuple[list[RawRequest], Any]:
    """A handler serving ``documents`` one a page (2026-07: the last page's pagination null)."""
    seen: list[RawRequest] = []

    def handler(request: RawRequest) -> RawReply:
        seen.append(request)
        number = int(request.param("paginationToken") or 0)
        following = None if number + 1 == len(documents) else {"next": str(number + 1)}
        return json_reply({"data": [documents[number]], "pagination": following})

    return seen, handler


WALKS: list[tuple[str, str, str, Callable[..., dict[str, Any]]]] = [
    ("iter_backup_schedules", "idx", "/indexes/idx/backup-schedules", schedule_document),
    ("iter_backup_schedule_history", "s-1", "/backup-schedules/s-1/history", run_document),
]


@pytest.mark.parametrize(("method", "argument", "path", "document"), WALKS)
def test_a_schedule_iterator_consumes_its_pages(
    method: str, argument: str, path: str, document: Any
) -> None:
    seen, handler = paged([document(f"x-{n}") for n in range(3)])
    with (
        RawServer(handler) as server,
        pb.Client(api_key=API_KEY, host=server.url, api_version="2026-07") as client,
    ):
        walk = getattr(client, method)(argument, page_size=1)
        df = walk.to_pandas()
    assert len(df) == 3 and str(df["created_at"].dtype) == UTC_NS
    assert df.iloc[:, 0].tolist() == ["x-0", "x-1", "x-2"]  # the ids, first column
    assert [request.path for request in seen] == [path] * 3
    assert walk.handed_out == 3


@pytest.mark.parametrize(("method", "argument", "path", "document"), WALKS)
async def test_an_async_schedule_iterator_returns_an_awaitable(
    method: str, argument: str, path: str, document: Any
) -> None:
    seen, handler = paged([document(f"x-{n}") for n in range(2)])
    with RawServer(handler) as server:
        async with pb.AsyncClient(
            api_key=API_KEY, host=server.url, api_version="2026-07"
        ) as aclient:
            pending = getattr(aclient, method)(argument, page_size=1).to_pandas()
            assert inspect.isawaitable(pending) and seen == []
            df = await pending
    assert len(df) == 2 and [request.path for request in seen] == [path] * 2
