"""Property-based tests (hypothesis) of issue 17's promises: random keys in random places never
leak (item 6), random pagination cycles always end with the right page numbers (item 9), any
float round-trips exactly (item 16), and timestamps at the very ends of Python's range read as
their instant or ``None`` (items 1 and 17).

A raw server (``helpers.RawServer``) is started once per module and told what to answer for each
example. The number of examples follows ``HYPOTHESIS_PROFILE`` as in ``test_properties.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import string
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import pinecone_backups as pb
from helpers import (
    CUTS,
    ECHOES,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    error_texts,
    everywhere,
    find_leaks,
    json_reply,
    log_texts,
    restore_job_json,
)

_EXAMPLES = {"default": 40, "ci": 100, "long": 1000}[
    os.environ.get("HYPOTHESIS_PROFILE", "default")
]
PROPERTY = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ONE_RETRY = pb.Retry(max_retries=1, backoff_base=0.0, backoff_cap=0.0)

pytestmark = pytest.mark.timeout(120)


class Scripted:
    """A raw server whose answer is set per example (``reply``, or ``handler`` for walks)."""

    def __init__(self) -> None:
        self.reply: RawReply = RawReply()
        self.next_of: dict[str | None, str | None] = {}
        self.lock = threading.Lock()
        self.pages = 0
        self.server = RawServer(self.answer)

    def answer(self, request: RawRequest) -> RawReply:
        if not self.next_of:
            return self.reply
        token = request.param("paginationToken")
        with self.lock:
            self.pages += 1
            number = self.pages
        if token not in self.next_of:
            return json_reply({"error": {"code": "INVALID_ARGUMENT", "message": "?"}}, 400)
        following = self.next_of[token]
        pagination = None if following is None else {"next": following}
        return json_reply({"data": [backup_json(f"b-{number}")], "pagination": pagination})

    def walk(self, next_of: dict[str | None, str | None]) -> None:
        with self.lock:
            self.next_of = next_of
            self.pages = 0


@pytest.fixture(scope="module")
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.server.close()


class Records(logging.Handler):
    """The records of the ``pinecone_backups`` logger during a block (caplog is per test, and a
    property runs many examples in one test)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Records:
        logger = logging.getLogger("pinecone_backups")
        self.level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logger = logging.getLogger("pinecone_backups")
        logger.removeHandler(self)
        logger.setLevel(self.level)


# -- Item 6: any key, any place ------------------------------------------------------------------

KEY_ALPHABET = string.ascii_letters + string.digits + "_-"
keys = st.text(KEY_ALPHABET, min_size=4, max_size=40).map(lambda tail: f"pcsk_{tail}")
"""Keys as Pinecone makes them: ``pcsk_`` then random characters. The prefix makes every start
of a key (what a cut keeps) text the package never writes itself."""


def error_of(scripted: Scripted, reply: RawReply, key: str) -> tuple[BaseException, Records]:
    scripted.walk({})
    scripted.reply = reply
    with (
        Records() as records,
        pb.Client(api_key=key, host=scripted.server.url, retry=ONE_RETRY, timeout=5) as client,
    ):
        try:
            client.list_index_backups("idx")
        except pb.PineconeError as error:
            return error, records
    pytest.fail("the call succeeded")


@PROPERTY
@given(key=keys, echo=st.sampled_from(sorted(ECHOES)))
def test_a_random_key_in_a_random_place_never_shows(
    scripted: Scripted, key: str, echo: str
) -> None:
    error, records = error_of(scripted, ECHOES[echo](key), key)
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key)
    assert not leaks, "\n".join(leaks)


@PROPERTY
@given(key=keys, cut=st.sampled_from(sorted(CUTS)), data=st.data())
def test_a_random_key_cut_anywhere_leaves_no_fragment(
    scripted: Scripted, key: str, cut: str, data: st.DataObject
) -> None:
    before = data.draw(st.integers(min_value=1, max_value=len(key) - 1), label="before")
    error, records = error_of(scripted, CUTS[cut](key, before), key)
    # Only starts of the key: what a cut keeps (its random ends might match package text).
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key, cut=True, ends=False)
    assert not leaks, "\n".join(leaks)


@PROPERTY
@given(key=st.text("~^", min_size=1, max_size=8))
def test_a_random_short_key_never_shows(scripted: Scripted, key: str) -> None:
    error, records = error_of(scripted, everywhere(key), key)
    leaks = find_leaks(error_texts(error) | log_texts(records.records), key)
    assert not leaks, "\n".join(leaks)


# -- Item 9: any cycle -----------------------------------------------------------------------------


@st.composite
def cycles(draw: st.DrawFn) -> tuple[str | None, dict[str | None, str | None], int, int]:
    """(start token, next token by token, page whose next repeats, page that first gave it):
    n distinct tokens, then one already seen (or the start token)."""
    start = draw(st.sampled_from([None, "start"]))
    tokens = draw(
        st.lists(
            st.text(string.ascii_letters + string.digits + "=_-", min_size=1, max_size=12),
            min_size=1,
            max_size=8,
            unique=True,
        ).filter(lambda ts: start not in ts)
    )
    seen = ([start] if start is not None else []) + tokens
    repeat = draw(st.sampled_from(seen))
    next_of: dict[str | None, str | None] = {}
    asked: list[str | None] = [start, *tokens]
    for asked_with, following in zip(asked, [*tokens, repeat], strict=True):
        next_of[asked_with] = following
    first_page = 0 if repeat == start else tokens.index(repeat) + 1
    return start, next_of, len(tokens) + 1, first_page


@PROPERTY
@given(cycle=cycles())
def test_any_cycle_of_tokens_ends_the_walk_at_the_repeat(
    scripted: Scripted, cycle: tuple[str | None, dict[str | None, str | None], int, int]
) -> None:
    start, next_of, page, first_page = cycle
    note(f"start={start!r} next_of={next_of!r}")
    scripted.walk(next_of)
    error: BaseException | None = None
    with pb.Client(api_key="pcsk_cycles_0123456789", host=scripted.server.url) as client:
        taken = 0
        try:
            for _ in client.iter_index_backups("idx", pagination_token=start):
                taken += 1
                assert taken <= 100, "the walk went on past 100 items: the cycle was not detected"
        except pb.PineconeError as caught:
            error = caught
    cycle_error = getattr(pb, "PaginationCycleError", None)
    assert isinstance(cycle_error, type), "pb.PaginationCycleError does not exist"
    assert isinstance(error, cycle_error), repr(error)
    details: Any = error
    assert (details.page, details.first_page) == (page, first_page), str(error)
    assert scripted.pages == page, "no page is asked for after the repeat"


@PROPERTY
@given(
    tokens=st.lists(st.text(string.ascii_letters, min_size=1, max_size=6), unique=True, max_size=12)
)
def test_a_walk_of_distinct_tokens_is_never_stopped(scripted: Scripted, tokens: list[str]) -> None:
    asked: list[str | None] = [None, *tokens]
    scripted.walk(dict(zip(asked, [*tokens, None], strict=True)))
    with pb.Client(api_key="pcsk_cycles_0123456789", host=scripted.server.url) as client:
        assert len(list(client.iter_index_backups("idx"))) == len(tokens) + 1


# -- Item 16: floats -------------------------------------------------------------------------------


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


@PROPERTY
@given(value=st.integers(min_value=0, max_value=100))
def test_an_integer_percent_complete_stays_an_integer(value: int) -> None:
    sent = restore_job_json("j-1", percent_complete=value)
    job = pb.RestoreJob.from_json(json.dumps(sent))
    assert job.percent_complete == value
    got = job.to_dict()["percent_complete"]
    assert type(got) is int and got == value, got


# -- Items 1 and 17: the ends of Python's range --------------------------------------------------


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
