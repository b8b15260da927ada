"""Numbers are kept as the server wrote them: a float round-trips exactly (``percent_complete``
94.52706955539223 in the attribute, ``to_dict()`` and ``to_json()``), an integer (``50``) stays an
integer in ``to_dict()``, and an integer longer than Python's digit limit is read exactly or
refused with a decode error."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    RawServer,
    assert_same_json,
    job_with,
    json_reply,
    restore_job_json,
)
from tests.helpers.properties import PROPERTY

# -- Floats round-trip exactly --------------------------------------------------------------------


KEY = "pcsk_models_trust_0123456789"


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


# -- Any float, any integer -----------------------------------------------------------------------


@pytest.mark.timeout(120)
@PROPERTY
@given(value=st.floats(allow_nan=False, allow_infinity=False) | st.floats(0, 100))
def test_any_percent_complete_round_trips_exactly(value: float) -> None:
    sent = restore_job_json("j-1", percent_complete=value)
    job = pb.RestoreJob.from_json(json.dumps(sent))
    assert job.percent_complete == value, (job.percent_complete, value)
    got = job.to_dict()["percent_complete"]
    assert type(got) is float and got == value, (got, value)
    again = json.loads(job.to_json())["percent_complete"]
    assert type(again) is float and again == value, (again, value)


@pytest.mark.timeout(120)
@PROPERTY
@given(value=st.integers(min_value=0, max_value=100))
def test_any_integer_percent_complete_stays_an_integer(value: int) -> None:
    sent = restore_job_json("j-1", percent_complete=value)
    job = pb.RestoreJob.from_json(json.dumps(sent))
    assert job.percent_complete == value
    got = job.to_dict()["percent_complete"]
    assert type(got) is int and got == value, got


# -- Integers longer than Python's int/str digit limit --------------------------------------------


INT_FIELDS = ["record_count", "dimension", "namespace_count", "size_bytes"]


@pytest.fixture
def digit_limit() -> Iterator[int]:
    """Python's default limit on int/str conversions (4300 digits), restored afterwards."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)
    yield 4300
    sys.set_int_max_str_digits(before)


def exact_int(digits: str, limit: int) -> int:
    sys.set_int_max_str_digits(0)
    try:
        return int(digits)
    finally:
        sys.set_int_max_str_digits(limit)


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("field", INT_FIELDS)
def test_an_integer_over_the_digit_limit(
    emulator: Emulator, client: pb.Client, digit_limit: int, field: str
) -> None:
    digits = "9" * (digit_limit + 1)
    body = (
        '{"data":[{"backup_id":"b","source_index_name":"i","source_index_id":"x",'
        f'"status":"Ready","cloud":"aws","region":"r","{field}":{digits}}}],"pagination":null}}'
    )
    emulator.respond_next(200, body)
    try:
        page = client.list_index_backups("i")
    except pb.ResponseDecodeError:
        return  # refused when the page is decoded: one of the two right outcomes
    # Otherwise the exact value, on attribute access and through to_dict(); 0.1.0 raised a
    # bare ValueError on both ("Exceeds the limit (4300 digits) for integer string conversion").
    expected = exact_int(digits, digit_limit)
    backup = page[0]
    value = getattr(backup, field)
    assert isinstance(value, int) and value == expected, f"{field} is not the exact integer"
    assert backup.to_dict()[field] == expected, f"to_dict()[{field!r}] is not the exact integer"
