"""The toolkit under each API version (``pb.API_VERSIONS``): retention (``plan_prune``), the
inventory (``summarize``), the waits, the notebook displays and ``to_pandas`` given backups and
restore jobs as each version sends them. Under 2026-07 a backup has no ``dimension`` or
``metric``, its ``schema`` is the typed ``{"fields": {...}}``, a restore job's
``percent_complete`` is an integer (100 when completed, absent before) and its ``created_at``
may be null.

The objects are built from the documents (``from_dict``); the waits poll a raw server that
answers in each version's shape."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _display
from tests.helpers import API_KEY, RawReply, RawRequest, RawServer, json_reply

VERSIONS = pb.API_VERSIONS
UTC_NS = "datetime64[ns, UTC]"
TYPED_SCHEMA = {
    "fields": {
        "embedding": {"type": "dense_vector", "dimension": 1536, "metric": "cosine"},
        "title": {"type": "string", "full_text_search": {"language": "en"}},
    }
}
"""A 2026-07 backup's ``schema`` (the spec's ``IndexSchema``)."""
METADATA_SCHEMA = {"fields": {"genre": {"filterable": True}}}
"""An earlier version's ``schema`` (metadata fields), beside ``dimension`` and ``metric``."""


def at(day: int) -> datetime:
    return datetime(2026, 7, day, tzinfo=timezone.utc)


def typed(version: str) -> bool:
    """Whether ``version`` sends backups without ``dimension``/``metric`` (2026-07 and later)."""
    return version >= "2026-07"


def backup_document(
    version: str, backup_id: str, status: str = "Ready", day: int | None = 1, **fields: Any
) -> dict[str, Any]:
    """A backup as ``version`` sends it (``day=None``: ``created_at`` null)."""
    document: dict[str, Any] = {
        "backup_id": backup_id,
        "source_index_name": "idx",
        "source_index_id": "idx-id",
        "name": f"{backup_id}-name",
        "status": status,
        "cloud": "aws",
        "region": "us-east-1",
        "record_count": 1000,
        "namespace_count": 2,
        "size_bytes": 1069169,
        "tags": {"env": "prod"},
        "created_at": None if day is None else at(day).isoformat().replace("+00:00", "Z"),
    }
    if typed(version):
        document["schema"] = TYPED_SCHEMA
    else:
        document.update(dimension=1536, metric="cosine", schema=METADATA_SCHEMA)
    document.update(fields)
    return document


def backup(version: str, backup_id: str, *args: Any, **fields: Any) -> pb.Backup:
    return pb.Backup.from_dict(backup_document(version, backup_id, *args, **fields))


def job_document(
    version: str, job_id: str, backup_id: str, status: str = "Completed", **fields: Any
) -> dict[str, Any]:
    """A restore job as ``version`` sends it: under 2026-07 ``percent_complete`` is the integer
    100 once completed and absent before, and ``created_at`` may be null (it is here)."""
    document: dict[str, Any] = {
        "restore_job_id": job_id,
        "backup_id": backup_id,
        "target_index_name": "restored",
        "target_index_id": "restored-id",
        "status": status,
        "created_at": None if typed(version) else "2026-07-01T00:00:00Z",
    }
    if status == "Completed":
        document["completed_at"] = "2026-07-01T01:00:00Z"
        document["percent_complete"] = 100 if typed(version) else 100.0
    document.update(fields)
    return document


def job(version: str, job_id: str, backup_id: str, *args: Any, **fields: Any) -> pb.RestoreJob:
    return pb.RestoreJob.from_dict(job_document(version, job_id, backup_id, *args, **fields))


def listing(version: str) -> list[pb.Backup]:
    """Six backups of one index, each a case of the retention rules."""
    return [
        backup(version, "newest", day=5),
        backup(version, "busy", "Initializing", day=4),
        backup(version, "restoring", day=3),
        backup(version, "broken", "InitializationFailed", day=2),
        backup(version, "oldest", day=1),
        backup(version, "undated", day=None),
    ]


def jobs(version: str) -> list[pb.RestoreJob]:
    return [
        job(version, "rj-pending", "restoring", "Pending"),
        job(version, "rj-done", "oldest"),
    ]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_documents_have_each_versions_shape(version: str) -> None:
    # The premise of this file: a 2026-07 document reads without dimension and metric, with its
    # integer percent; the other versions' documents with them.
    read = backup(version, "b")
    done = job(version, "rj", "b")
    if typed(version):
        assert (read.dimension, read.metric, read.schema) == (None, None, TYPED_SCHEMA)
        assert type(done.percent_complete) is int and done.created_at is None
        assert "dimension" not in read.to_dict() and "metric" not in read.to_dict()
    else:
        assert (read.dimension, read.metric) == (1536, "cosine")
        assert type(done.percent_complete) is float and done.created_at is not None
    assert done.percent_complete == 100


# -- Retention and the inventory ------------------------------------------------------------------


def test_plan_prune_decides_alike_under_each_version(version: str) -> None:
    plan = pb.plan_prune(listing(version), keep_last=1, restore_jobs=jobs(version), now=at(20))
    assert [(b.backup_id, reason) for b, reason in plan.delete] == [
        ("broken", "not the newest Ready backup of its index (keep last 1)"),
        ("oldest", "not the newest Ready backup of its index (keep last 1)"),
    ]  # "oldest": its one restore job is over (Completed, with percent 100 as the version says)
    kept = {b.backup_id: reason for b, reason in plan.keep}
    assert list(kept) == ["newest", "busy", "restoring", "undated"]
    assert kept["newest"] == "the newest Ready backup of its index (keep last 1)"
    assert "status Initializing is not final" in kept["busy"]
    assert kept["restoring"].endswith("safety: restore job rj-pending (Pending) uses it")
    assert kept["undated"].startswith("safety: created_at unreadable (null)")


def test_summarize_counts_alike_under_each_version(version: str) -> None:
    backups = listing(version)
    if version >= "2026-04":  # listed with include_deleted: the index is gone, its backups stay
        backups.append(
            backup(version, "orphan", day=6, source_index_deleted_at="2026-07-10T00:00:00Z")
        )
    (row,) = pb.summarize(backups)
    orphan = version >= "2026-04"
    assert row == {
        "index": "idx",
        "backups": 6 + orphan,
        "ready": 4 + orphan,  # newest, restoring, oldest, undated (counted, not dated)
        "failed": 1,
        "other": 1,
        "size_bytes": (6 + orphan) * 1069169,
        "record_count": (6 + orphan) * 1000,
        "newest_ready": at(6 if orphan else 5),
        "oldest_ready": at(1),
    }
    by_status = {r["status"]: r for r in pb.summarize(backups, by="status")}
    assert list(by_status) == ["InitializationFailed", "Initializing", "Ready"]  # sorted
    assert by_status["Ready"]["backups"] == 4 + orphan
    assert by_status["Ready"]["oldest"] == at(1)  # the undated one is counted, not dated


# -- Waits ----------------------------------------------------------------------------------------


def polled_in_turn(documents: list[dict[str, Any]]) -> tuple[list[RawRequest], Any]:
    """A handler answering each poll with the next document (the last one over and over), and
    the requests it saw."""
    seen: list[RawRequest] = []

    def handler(request: RawRequest) -> RawReply:
        seen.append(request)
        return json_reply(documents[min(len(seen), len(documents)) - 1])

    return seen, handler


def test_a_restore_job_wait_ends_on_each_versions_completed_job(version: str) -> None:
    documents = [
        job_document(version, "rj-1", "b-1", "Pending"),
        job_document(version, "rj-1", "b-1", "InProgress"),
        job_document(version, "rj-1", "b-1"),
    ]
    seen, handler = polled_in_turn(documents)
    progress: list[pb.RestoreJob] = []
    with (
        RawServer(handler) as server,
        pb.Client(api_key=API_KEY, host=server.url, api_version=version) as client,
    ):
        done = client.wait_for_restore_job("rj-1", poll_interval=0.01, on_progress=progress.append)
    assert [j.status for j in progress] == ["Pending", "InProgress", "Completed"]
    assert done.percent_complete == 100 and done == pb.RestoreJob.from_dict(documents[-1])
    assert type(done.percent_complete) is (int if typed(version) else float)
    assert [r.headers["x-pinecone-api-version"] for r in seen] == [version] * 3


def test_a_backup_wait_ends_on_each_versions_ready_backup(version: str) -> None:
    documents = [
        backup_document(version, "b-1", "Initializing", size_bytes=None),
        backup_document(version, "b-1"),
    ]
    seen, handler = polled_in_turn(documents)
    with (
        RawServer(handler) as server,
        pb.Client(api_key=API_KEY, host=server.url, api_version=version) as client,
    ):
        ready = client.wait_for_backup("b-1", poll_interval=0.01)
    assert ready.status == "Ready" and len(seen) == 2
    assert ready.dimension == (None if typed(version) else 1536)


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("backup", "InitializationFailed", pb.BackupFailedError),
        ("restore job", "Failed", pb.RestoreJobFailedError),
        ("restore job", "Cancelled", pb.RestoreJobFailedError),
    ],
)
def test_a_wait_fails_on_each_versions_failures(
    version: str, kind: str, status: str, error: type[pb.PineconeError]
) -> None:
    if kind == "backup":
        document = backup_document(version, "x", status)
    else:
        document = job_document(version, "x", "b-1", status)
    with (
        RawServer(lambda _: json_reply(document)) as server,
        pb.Client(api_key=API_KEY, host=server.url, api_version=version) as client,
    ):
        wait = client.wait_for_backup if kind == "backup" else client.wait_for_restore_job
        with pytest.raises(error, match=status) as caught:
            wait("x", poll_interval=0.01)
    if kind == "backup":
        assert isinstance(caught.value, pb.BackupFailedError)
        assert caught.value.backup == pb.Backup.from_dict(document)
    else:
        assert isinstance(caught.value, pb.RestoreJobFailedError)
        assert caught.value.restore_job == pb.RestoreJob.from_dict(document)


async def test_an_async_restore_job_wait_under_2026_07() -> None:
    documents = [
        job_document("2026-07", "rj-1", "b-1", "Pending"),
        job_document("2026-07", "rj-1", "b-1"),
    ]
    seen, handler = polled_in_turn(documents)
    with RawServer(handler) as server:
        async with pb.AsyncClient(
            api_key=API_KEY, host=server.url, api_version="2026-07"
        ) as aclient:
            done = await asyncio.wait_for(
                aclient.wait_for_restore_job("rj-1", poll_interval=0.01), 10
            )
    assert done.status == "Completed" and done.percent_complete == 100 and len(seen) == 2
    assert type(done.percent_complete) is int


# -- Displays -------------------------------------------------------------------------------------


class Cells(HTMLParser):
    """The text of each ``th`` and ``td`` of some HTML, in order."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._in = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td"):
            self._in = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.cells[-1] += data


def rows(markup: str) -> dict[str, str]:
    """An object's table as {field: text}."""
    cells = Cells(markup).cells
    return dict(zip(cells[::2], cells[1::2], strict=True))


def test_a_backup_shows_every_field_under_each_version(version: str) -> None:
    fields = {"source_index_deleted_at": "2026-07-10T00:00:00Z"} if version >= "2026-04" else {}
    shown = rows(backup(version, "b-1", **fields)._repr_html_())
    assert list(shown) == [
        "backup_id",
        "name",
        *[name for name in pb.Backup.__match_args__ if name not in ("backup_id", "name", "schema")],
    ]
    assert (shown["dimension"], shown["metric"]) == (
        ("-", "-") if typed(version) else ("1,536", "cosine")
    )
    assert shown["size_bytes"] == "1.0 MiB (1,069,169 bytes)"
    deleted = "2026-07-10 00:00:00 UTC" if version >= "2026-04" else "-"
    assert shown["source_index_deleted_at"] == deleted
    text = _display.text(backup(version, "b-1"))
    assert ["dimension", "-" if typed(version) else "1,536"] in [
        line.split() for line in text.splitlines()
    ]


def test_a_page_of_backups_is_the_same_table_under_each_version(version: str) -> None:
    page = pb.BackupList(listing(version))
    cells = Cells(page._repr_html_()).cells
    assert cells[:8] == [
        "backup_id",
        "name",
        "index",
        "status",
        "size",
        "created_at",
        "records",
        "namespaces",
    ]
    assert cells[8:16] == [
        "newest",
        "newest-name",
        "idx",
        "Ready",
        "1.0 MiB",
        "2026-07-05 00:00:00 UTC",
        "1,000",
        "2",
    ]
    assert cells[-8:-2] == ["undated", "undated-name", "idx", "Ready", "1.0 MiB", "-"]
    lines = _display.text(page).splitlines()
    assert lines[0] == "BackupList: 6 backups, last page" and len(lines) == 2 + 6


def test_a_restore_job_shows_its_percent_under_each_version(version: str) -> None:
    done = job(version, "rj-1", "b-1")
    shown = rows(done._repr_html_())
    assert shown["percent_complete"] == "100%"
    assert shown["created_at"] == ("-" if typed(version) else "2026-07-01 00:00:00 UTC")
    page = pb.RestoreJobList([done, job(version, "rj-2", "b-1", "Pending")])
    cells = Cells(page._repr_html_()).cells
    assert cells[7:14] == [
        "rj-1",
        "b-1",
        "restored",
        "Completed",
        "100%",
        "-" if typed(version) else "2026-07-01 00:00:00 UTC",
        "2026-07-01 01:00:00 UTC",
    ]
    assert cells[14:19] == ["rj-2", "b-1", "restored", "Pending", "-"]
    assert ["percent_complete", "100%"] in [
        line.split() for line in _display.text(done).splitlines()
    ]


# -- pandas ---------------------------------------------------------------------------------------


def test_a_frame_of_backups_has_every_column_under_each_version(version: str) -> None:
    pd = pytest.importorskip("pandas")
    deleted = {"source_index_deleted_at": "2026-07-10T00:00:00Z"} if version >= "2026-04" else {}
    df = pb.BackupList(
        [backup(version, "a", day=2, **deleted), backup(version, "b", day=None)]
    ).to_pandas()
    assert list(df.columns) == list(pb.Backup.__match_args__)
    assert str(df["dimension"].dtype) == "Int64"
    if typed(version):  # absent: the columns are there, every value missing
        assert df["dimension"].isna().all() and df["metric"].isna().all()
        assert df["schema"].tolist() == [TYPED_SCHEMA, TYPED_SCHEMA]
    else:
        assert df["dimension"].tolist() == [1536, 1536] and df["metric"].tolist() == ["cosine"] * 2
    for column in ("created_at", "source_index_deleted_at"):
        assert str(df[column].dtype) == UTC_NS
    assert df["created_at"].iloc[0] == pd.Timestamp("2026-07-02T00:00:00Z")
    assert pd.isna(df["created_at"].iloc[1])
    if version >= "2026-04":
        assert df["source_index_deleted_at"].iloc[0] == pd.Timestamp("2026-07-10T00:00:00Z")
    assert df["source_index_deleted_at"].isna().tolist() == [version < "2026-04", True]


def test_a_frame_of_restore_jobs_has_a_float_percent_under_each_version(version: str) -> None:
    pd = pytest.importorskip("pandas")
    page = pb.RestoreJobList([job(version, "rj-1", "b-1"), job(version, "rj-2", "b-1", "Pending")])
    df = page.to_pandas()
    assert list(df.columns) == list(pb.RestoreJob.__match_args__)
    assert str(df["percent_complete"].dtype) == "float64"  # one type whatever the version sent
    assert df["percent_complete"].iloc[0] == 100.0 and pd.isna(df["percent_complete"].iloc[1])
    assert str(df["created_at"].dtype) == str(df["completed_at"].dtype) == UTC_NS
    assert df["created_at"].isna().tolist() == [typed(version)] * 2
    assert df["completed_at"].iloc[0] == pd.Timestamp("2026-07-01T01:00:00Z")


def test_frames_of_each_version_stack() -> None:
    # A notebook comparing projects on different versions: one frame, the columns aligned.
    pd = pytest.importorskip("pandas")
    frames = [pb.BackupList([backup(v, f"b-{v}")]).to_pandas() for v in VERSIONS]
    stacked = pd.concat(frames, ignore_index=True)
    assert list(stacked.columns) == list(pb.Backup.__match_args__)
    assert str(stacked["created_at"].dtype) == UTC_NS
    assert stacked["dimension"].isna().tolist() == [typed(v) for v in VERSIONS]


def test_older_than_reads_each_versions_created_at(version: str) -> None:
    # older_than reads created_at as every version sends it (Z, UTC).
    plan = pb.plan_prune(
        [backup(version, "b", day=5)],
        older_than=timedelta(hours=2),
        allow_empty=True,
        now=at(5) + timedelta(hours=1),
    )
    assert plan.delete == () and "not older than 2h (created 60m ago)" in plan.keep[0][1]
