"""Issue 17: accept what the real API sends (contract items 1 and 17 as parsing, 14, 15, 16).

1. Timestamps: RFC 3339 with any number (>= 1) of fraction digits (beyond microseconds
   truncated), offsets ``Z``, ``z``, ``+HH:MM``, ``+HHMM``, and ``T``, ``t`` or a space between
   date and time. ``to_dict()`` keeps the raw text.
17. (model side) An instant outside years 1..9999 once converted to UTC reads as ``None``.
14. A restore job with ``"created_at": null`` or none decodes (``created_at is None``).
15. Tags with non-string values decode: ``backup.tags == {"a": 1}``; ``to_dict()`` exact.
16. Floats round-trip exactly: ``percent_complete`` 94.52706955539223 in the attribute,
    ``to_dict()`` and ``to_json()``; an integer (``50``) stays ``50`` in ``to_dict()``.

Each is checked on the models (``from_dict``, ``from_json``, page ``from_json``) and through the
client (a raw server sends the document), and the CLI for restore jobs without ``created_at``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest

import pinecone_backups as pb
from helpers import RawServer, backup_json, json_reply, restore_job_json, run_cli

KEY = "pcsk_models_trust_0123456789"
UTC = dt.timezone.utc


def tz(hours: int, minutes: int = 0) -> dt.timezone:
    sign = -1 if hours < 0 or (hours == 0 and minutes < 0) else 1
    return dt.timezone(sign * dt.timedelta(hours=abs(hours), minutes=abs(minutes)))


def assert_same_json(actual: Any, expected: Any, where: str = "") -> None:
    """Equal JSON values of the same JSON types (``==`` alone takes 1 for 1.0 and True for 1)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{where}: {actual!r}"
        for name in expected:
            assert_same_json(actual[name], expected[name], f"{where}.{name}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same_json(a, e, f"{where}[{i}]")
    else:
        assert type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


# -- 1. Timestamps the server may send ----------------------------------------------------------

NEWLY_READABLE: list[tuple[str, dt.datetime]] = [
    ("2025-01-05T00:00:00+0000", dt.datetime(2025, 1, 5, tzinfo=UTC)),
    ("2025-01-05T10:20:30-0800", dt.datetime(2025, 1, 5, 10, 20, 30, tzinfo=tz(-8))),
    ("2025-01-05T10:20:30.5+0130", dt.datetime(2025, 1, 5, 10, 20, 30, 500000, tzinfo=tz(1, 30))),
    ("2025-01-05T10:20:30.1234567891Z", dt.datetime(2025, 1, 5, 10, 20, 30, 123456, tzinfo=UTC)),
    (
        "2025-01-05T10:20:30.99999999999999999999Z",
        dt.datetime(2025, 1, 5, 10, 20, 30, 999999, tzinfo=UTC),
    ),
    ("2025-01-05 10:20:30.000000000001+0000", dt.datetime(2025, 1, 5, 10, 20, 30, tzinfo=UTC)),
    ("2025-01-05t10:20:30.1234567890123z", dt.datetime(2025, 1, 5, 10, 20, 30, 123456, tzinfo=UTC)),
    ("0001-01-01T00:30:00+0030", dt.datetime(1, 1, 1, 0, 30, tzinfo=tz(0, 30))),
]
"""Texts 0.1.0 read as None that must read as these instants (with the offset sent)."""
READ_ALREADY: list[tuple[str, dt.datetime]] = [
    ("2025-01-05T10:20:30+05:30", dt.datetime(2025, 1, 5, 10, 20, 30, tzinfo=tz(5, 30))),
    ("2025-01-05T10:20:30.1Z", dt.datetime(2025, 1, 5, 10, 20, 30, 100000, tzinfo=UTC)),
    ("2025-01-05T10:20:30.123456Z", dt.datetime(2025, 1, 5, 10, 20, 30, 123456, tzinfo=UTC)),
    ("2025-01-05T10:20:30.1234567Z", dt.datetime(2025, 1, 5, 10, 20, 30, 123456, tzinfo=UTC)),
    ("2025-01-05t10:20:30z", dt.datetime(2025, 1, 5, 10, 20, 30, tzinfo=UTC)),
    ("2025-01-05 10:20:30Z", dt.datetime(2025, 1, 5, 10, 20, 30, tzinfo=UTC)),
    ("2025-01-05t10:20:30.25-00:00", dt.datetime(2025, 1, 5, 10, 20, 30, 250000, tzinfo=UTC)),
    # At the edges of Python's range: in range once converted to UTC.
    ("9999-12-31T23:59:59Z", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ("9999-12-31T22:59:59-01:00", dt.datetime(9999, 12, 31, 22, 59, 59, tzinfo=tz(-1))),
    ("9999-12-31T23:59:59+01:00", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=tz(1))),
    ("0001-01-01T00:00:00Z", dt.datetime(1, 1, 1, tzinfo=UTC)),
    ("0001-01-01T00:00:00-01:00", dt.datetime(1, 1, 1, tzinfo=tz(-1))),
]
"""Texts 0.1.0 read already (guards: they must still read the same)."""
READABLE = NEWLY_READABLE + READ_ALREADY

OUT_OF_RANGE = [
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:00:00-01:00",
    "9999-12-31T23:30:00.5-00:30",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:29:59.999+00:30",
    "0001-01-01T00:00:00.5+00:01",
]
"""Instants outside years 1..9999 once converted to UTC (0.1.0 read them as datetimes)."""
NOT_RFC3339 = [
    "2025-01-05T10:20:30",
    "2025-01-05T10:20:30.Z",
    "2025-01-05T10:20:30+24:00",
    "2025-01-05T10:20:30+01:60",
    "2025-02-30T10:20:30Z",
    "0000-01-05T10:20:30Z",
    "2025-01-05",
    "",
]
"""Not timestamps (guards: None in 0.1.0 too)."""
UNREADABLE = OUT_OF_RANGE + NOT_RFC3339


def backup_with(created_at: str | None) -> dict[str, Any]:
    return backup_json("b-1", created_at=created_at)


def job_with(created_at: Any = "2025-01-01T00:00:00Z", **fields: Any) -> dict[str, Any]:
    return restore_job_json("j-1", created_at=created_at, **fields)


def assert_instant(got: dt.datetime | None, expected: dt.datetime, text: str) -> None:
    assert got is not None, f"{text!r} read as None"
    assert got == expected, (text, got)
    assert got.utcoffset() == expected.utcoffset(), (text, got)
    assert got.replace(tzinfo=None) == expected.replace(tzinfo=None), (text, got)


@pytest.mark.parametrize(("text", "expected"), NEWLY_READABLE, ids=[t for t, _ in NEWLY_READABLE])
def test_timestamps_the_server_may_send_are_read(text: str, expected: dt.datetime) -> None:
    check_readable(text, expected)


@pytest.mark.parametrize(("text", "expected"), READ_ALREADY, ids=[t for t, _ in READ_ALREADY])
def test_timestamps_read_before_still_are(text: str, expected: dt.datetime) -> None:
    check_readable(text, expected)


def check_readable(text: str, expected: dt.datetime) -> None:
    backup = pb.Backup.from_dict(backup_with(text))
    assert_instant(backup.created_at, expected, text)
    assert backup.to_dict()["created_at"] == text
    assert pb.Backup.from_json(backup.to_json()) == backup

    page = pb.BackupList.from_json(json.dumps({"data": [backup_with(text)]}))
    assert_instant(page[0].created_at, expected, text)

    job = pb.RestoreJob.from_dict(job_with(text, completed_at=text))
    assert_instant(job.created_at, expected, text)
    assert_instant(job.completed_at, expected, text)
    assert job.to_dict()["created_at"] == job.to_dict()["completed_at"] == text


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_instants_out_of_python_s_range_read_as_none(text: str) -> None:
    check_unreadable(text)


@pytest.mark.parametrize("text", NOT_RFC3339)
def test_texts_that_are_not_rfc3339_still_read_as_none(text: str) -> None:
    check_unreadable(text)


def check_unreadable(text: str) -> None:
    backup = pb.Backup.from_dict(backup_with(text))
    assert backup.created_at is None, (text, backup.created_at)
    assert backup.to_dict()["created_at"] == text
    page = pb.BackupList.from_json(json.dumps({"data": [backup_with(text)]}))
    assert page[0].created_at is None

    job = pb.RestoreJob.from_dict(job_with(text, completed_at=text))
    assert job.created_at is None and job.completed_at is None
    assert job.to_dict()["created_at"] == job.to_dict()["completed_at"] == text
    # Every row of a page survives: a neighbour with a good time keeps it.
    page = pb.BackupList.from_json(
        json.dumps({"data": [backup_with(text), backup_with("2025-01-01T00:00:00Z")]})
    )
    assert [b.created_at is None for b in page] == [True, False]


def test_timestamps_through_the_client() -> None:
    texts = [text for text, _ in READABLE] + UNREADABLE
    page = {"data": [backup_json(f"b-{i}", created_at=t) for i, t in enumerate(texts)]}
    with (
        RawServer(lambda _: json_reply(page)) as server,
        pb.Client(api_key=KEY, host=server.url, max_retries=0) as client,
    ):
        got = client.list_index_backups("idx")
    for (text, expected), backup in zip(READABLE, got, strict=False):
        assert_instant(backup.created_at, expected, text)
    assert [b.created_at for b in got[len(READABLE) :]] == [None] * len(UNREADABLE)
    assert [b.to_dict()["created_at"] for b in got] == texts


# -- 14. A restore job without created_at --------------------------------------------------------


def job_without_created_at(how: str) -> dict[str, Any]:
    job = restore_job_json("j-1", status="Pending")
    if how == "null":
        job["created_at"] = None
    else:
        del job["created_at"]
    return job


@pytest.mark.parametrize("how", ["null", "missing"])
def test_a_restore_job_without_created_at_decodes(how: str) -> None:
    sent = job_without_created_at(how)
    job = pb.RestoreJob.from_dict(sent)
    assert job.created_at is None
    assert job.restore_job_id == "j-1" and job.status == "Pending"
    assert_same_json(job.to_dict(), sent)
    assert pb.RestoreJob.from_json(json.dumps(sent)) == job
    assert pb.RestoreJob.from_json(job.to_json()) == job

    page = pb.RestoreJobList.from_json(json.dumps({"data": [sent, restore_job_json("j-2")]}))
    assert [j.created_at is None for j in page] == [True, False]
    assert_same_json(page.to_dict()["data"][0], sent)


@pytest.mark.parametrize("how", ["null", "missing"])
def test_listing_restore_jobs_survives_one_without_created_at(how: str) -> None:
    body = {"data": [restore_job_json("j-0"), job_without_created_at(how)], "pagination": None}
    with (
        RawServer(lambda _: json_reply(body)) as server,
        pb.Client(api_key=KEY, host=server.url, max_retries=0) as client,
    ):
        assert [j.created_at is None for j in client.list_restore_jobs()] == [False, True]
        assert [j.restore_job_id for j in client.iter_restore_jobs()] == ["j-0", "j-1"]


async def test_async_listing_restore_jobs_survives_one_without_created_at() -> None:
    body = {"data": [job_without_created_at("null")], "pagination": None}
    with RawServer(lambda _: json_reply(body)) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, max_retries=0) as client:
            page = await asyncio.wait_for(client.list_restore_jobs(), 10)
    assert page[0].created_at is None


@pytest.mark.parametrize(
    "args", [["jobs"], ["jobs", "--json"], ["prune", "idx", "--keep-last", "1"]], ids=" ".join
)
def test_the_cli_lists_restore_jobs_without_created_at(args: list[str]) -> None:
    jobs = {"data": [job_without_created_at("null")], "pagination": None}
    backups = {"data": [backup_json("b-1"), backup_json("b-2")], "pagination": None}

    def answer(request: Any) -> Any:
        return json_reply(jobs if request.path.startswith("/restore-jobs") else backups)

    with RawServer(answer) as server:
        run = run_cli(*args, "--host", server.url, env={"PINECONE_API_KEY": KEY})
    assert run.returncode == 0, run.output[-2000:]
    assert "j-1" in run.stdout or args[0] == "prune", run.stdout


# -- 15. Tags of any JSON value -------------------------------------------------------------------

TAGS: list[dict[str, Any]] = [
    {"a": 1},
    {"a": 1, "b": "two", "c": True, "d": None, "e": 1.5},
    {"nested": {"list": [1, "x", None], "object": {"k": False}}},
    {"big": 2**70, "negative": -3},
]


@pytest.mark.parametrize("tags", TAGS, ids=lambda t: json.dumps(t, sort_keys=True))
def test_tags_with_values_that_are_not_strings_decode(tags: dict[str, Any]) -> None:
    sent = backup_json("b-1", tags=tags)
    for backup in (
        pb.Backup.from_dict(sent),
        pb.Backup.from_json(json.dumps(sent)),
        pb.BackupList.from_json(json.dumps({"data": [sent]}))[0],
    ):
        assert backup.tags == tags
        assert_same_json(backup.tags, tags, "tags")
        assert_same_json(backup.to_dict(), sent)
        assert_same_json(json.loads(backup.to_json()), sent)
        assert pb.Backup.from_dict(backup.to_dict()) == backup


def test_tags_with_values_that_are_not_strings_through_the_client() -> None:
    page = {"data": [backup_json("b-1", tags={"a": 1}), backup_json("b-2")], "pagination": None}
    with (
        RawServer(lambda _: json_reply(page)) as server,
        pb.Client(api_key=KEY, host=server.url, max_retries=0) as client,
    ):
        got = client.list_index_backups("idx")
    tags: Any = got[0].tags  # (typed dict[str, str] in 0.1.0's stubs)
    assert tags == {"a": 1}
    assert_same_json(got[0].to_dict()["tags"], {"a": 1})


# -- 16. Floats exactly ---------------------------------------------------------------------------

MISREAD = [94.52706955539223, 99.99999999999999, 23.308445025757262, 1.4559974924812313]
"""Values 0.1.0 read one ULP off (or more)."""
READ_EXACTLY = [0.1, 33.333333333333336, 100.0, 5e-324, 1.7976931348623157e308]
"""Values 0.1.0 read exactly (guards)."""


@pytest.mark.parametrize("value", MISREAD, ids=repr)
def test_percent_complete_round_trips_exactly(value: float) -> None:
    check_float(value)


@pytest.mark.parametrize("value", READ_EXACTLY, ids=repr)
def test_percent_complete_read_exactly_before_still_is(value: float) -> None:
    check_float(value)


def check_float(value: float) -> None:
    sent = job_with(percent_complete=value)
    for job in (
        pb.RestoreJob.from_dict(sent),
        pb.RestoreJob.from_json(json.dumps(sent)),
        pb.RestoreJobList.from_json(json.dumps({"data": [sent]}))[0],
    ):
        assert job.percent_complete == value, repr(job.percent_complete)
        assert_same_json(job.to_dict()["percent_complete"], value)
        assert_same_json(json.loads(job.to_json())["percent_complete"], value)


def test_an_integer_percent_complete_stays_an_integer() -> None:
    sent = job_with(percent_complete=50)
    job = pb.RestoreJob.from_json(json.dumps(sent))
    assert job.percent_complete == 50
    assert_same_json(job.to_dict()["percent_complete"], 50)
    assert_same_json(json.loads(job.to_json())["percent_complete"], 50)
    assert_same_json(pb.RestoreJob.from_dict(sent).to_dict(), sent)


def test_percent_complete_through_the_client() -> None:
    value = 94.52706955539223
    with (
        RawServer(lambda _: json_reply(job_with(percent_complete=value))) as server,
        pb.Client(api_key=KEY, host=server.url, max_retries=0) as client,
    ):
        job = client.describe_restore_job("j-1")
    assert job.percent_complete == value
    assert_same_json(job.to_dict()["percent_complete"], value)
    assert json.loads(job.to_json())["percent_complete"] == value
