"""Timestamps: RFC 3339 with any number (>= 1) of fraction digits (beyond microseconds
truncated), offsets ``Z``, ``z``, ``+HH:MM``, ``+HHMM``, and ``T``, ``t`` or a space between date
and time; ``to_dict()`` keeps the raw text. An instant outside years 1..9999 once converted to
UTC reads as ``None``, at the very ends of Python's range too. A restore job with ``"created_at":
null`` or none decodes (``created_at is None``), and the CLI lists it.

Each is checked on the models (``from_dict``, ``from_json``, page ``from_json``) and through the
client (a raw server sends the document)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pinecone_backups as pb
from tests.helpers import (
    RawServer,
    assert_same_json,
    backup_json,
    job_with,
    json_reply,
    minimal,
    restore_job_json,
    run_cli,
)
from tests.helpers.properties import PROPERTY

# -- created_at -----------------------------------------------------------------------------------


UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-11T18:29:50.549505Z", dt.datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=UTC)),
        ("2025-05-15T00:52:10.809305882Z", dt.datetime(2025, 5, 15, 0, 52, 10, 809305, tzinfo=UTC)),
        ("2024-03-15T10:30:00Z", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        (
            "2024-03-15T10:30:00.5+05:30",
            dt.datetime(
                2024, 3, 15, 10, 30, 0, 500000, tzinfo=dt.timezone(dt.timedelta(hours=5.5))
            ),
        ),
        ("2024-03-15 10:30:00z", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("2024-02-30T10:30:00Z", None),
        ("2024-03-15T10:30:00", None),
        # Any number of fraction digits and `+0000` offsets.
        (
            "2024-03-15T10:30:00.1234567890Z",
            dt.datetime(2024, 3, 15, 10, 30, 0, 123456, tzinfo=UTC),
        ),
        ("2024-03-15T10:30:00+0000", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        # Instants whose year, in UTC, Python cannot hold.
        ("9999-12-31T23:59:59-01:00", None),
        ("0001-01-01T00:00:00+01:00", None),
        ("", None),
    ],
)
def test_created_at(text: str, expected: dt.datetime | None) -> None:
    backup = pb.Backup.from_dict(minimal(created_at=text))
    assert backup.created_at == expected
    if expected is not None:
        assert backup.created_at is not None
        assert backup.created_at.utcoffset() == expected.utcoffset()
    assert backup.to_dict()["created_at"] == text, "the text is kept as sent"


# -- What servers send, and restore jobs without created_at ---------------------------------------


KEY = "pcsk_models_trust_0123456789"


def tz(hours: int, minutes: int = 0) -> dt.timezone:
    sign = -1 if hours < 0 or (hours == 0 and minutes < 0) else 1
    return dt.timezone(sign * dt.timedelta(hours=abs(hours), minutes=abs(minutes)))


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


# -- The ends of Python's range -------------------------------------------------------------------


@st.composite
def edge_timestamps(draw: st.DrawFn) -> tuple[str, dt.datetime | None]:
    """A timestamp on the first or last day Python holds, with any offset (colon or not) and
    fraction, and the instant it must read as (None when UTC leaves years 1..9999)."""
    first = draw(st.booleans())
    day = dt.date(1, 1, 1) if first else dt.date(9999, 12, 31)
    hour, minute, second = (draw(st.integers(0, top)) for top in (23, 59, 59))
    digits = draw(st.integers(0, 15))
    fraction = draw(st.text("0123456789", min_size=digits, max_size=digits))
    sign = draw(st.sampled_from("+-"))
    off_hours, off_minutes = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    colon = draw(st.sampled_from([":", ""]))
    offset = draw(st.sampled_from(["Z", "z", f"{sign}{off_hours:02}{colon}{off_minutes:02}"]))
    text = (
        f"{day.isoformat()}{draw(st.sampled_from('Tt '))}{hour:02}:{minute:02}:{second:02}"
        f"{'.' + fraction if fraction else ''}{offset}"
    )
    delta = dt.timedelta(hours=off_hours, minutes=off_minutes)
    tz = dt.timezone.utc if offset in ("Z", "z") else dt.timezone(-delta if sign == "-" else delta)
    microsecond = int(fraction.ljust(6, "0")[:6])
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, second, microsecond, tz)
    try:
        moment.astimezone(dt.timezone.utc)
    except OverflowError:
        return text, None
    return text, moment


@pytest.mark.timeout(120)
@PROPERTY
@given(case=edge_timestamps())
def test_a_timestamp_at_the_ends_of_the_range_reads_as_its_instant_or_none(
    case: tuple[str, dt.datetime | None],
) -> None:
    text, expected = case
    backup = pb.Backup.from_dict(backup_json("b-1", created_at=text))
    job = pb.RestoreJob.from_dict(restore_job_json("j-1", created_at=text, completed_at=text))
    for got in (backup.created_at, job.created_at, job.completed_at):
        if expected is None:
            assert got is None, (text, got)
        else:
            assert got == expected and got is not None, (text, got)
            assert got.utcoffset() == expected.utcoffset(), (text, got)
    assert backup.to_dict()["created_at"] == text
