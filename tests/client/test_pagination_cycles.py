"""A walk that sees a pagination token it saw before stops.

A raw server answers each page by its token from a map (``None``: the first page, without a
token); the maps below cycle: A,B,A; A,B,C,A; A->A; A,B,C,B; and back to the token the walk was
started from; generated cycles of any length too. Every walk (iterators, ``.pages()``, async
iterators, the CLI's ``list --all``, ``jobs --all``, ``inventory`` and ``prune``) must end with
``pb.PaginationCycleError`` (a ``pb.ResponseDecodeError``) naming the page whose
``pagination.next`` repeats (``.page``) and the page that first gave that token (``.first_page``,
0 for the token the walk started from), without asking for the repeated page again. The CLI exits
1 with that message, quickly, in bounded memory.

Without cycle detection the walks never end: each test caps the items it takes (and the CLI's
time and memory) so that it fails fast instead."""

from __future__ import annotations

import asyncio
import json
import re
import string
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    RawReply,
    RawRequest,
    RawServer,
    Scripted,
    backup_json,
    json_reply,
    restore_job_json,
    run_cli,
)
from tests.helpers.properties import PROPERTY

# -- A server repeating a token -------------------------------------------------------------------


def test_a_server_repeating_a_token_does_not_loop(client: pb.Client, emulator: Emulator) -> None:
    page = client.list_index_backups("big-index", limit=10)
    token = page.next_token
    assert token is not None
    looping = page.to_dict()
    emulator.respond_next(200, body=json.dumps(looping))
    walk = client.iter_index_backups("big-index", pagination_token=token)
    with pytest.raises(pb.ResponseDecodeError, match="same token"):
        list(walk)


# -- Every walk stops at a repeated token ---------------------------------------------------------


KEY = "pcsk_pagination_trust_0123456789"
CAP = 200
"""Items a walk may hand out before the test calls it endless (the cycles have 1 item a page)."""


@dataclass(frozen=True)
class Cycle:
    """Which token each page's ``pagination.next`` holds, by the token it was asked with."""

    name: str
    next_of: dict[str | None, str]
    start: str | None  # the token the walk is started from (None: the first page)
    page: int  # the page whose pagination.next repeats
    first_page: int  # the page that first gave that token (0: the start token)


CYCLES = [
    Cycle("A,B,A", {None: "A", "A": "B", "B": "A"}, None, 3, 1),
    Cycle("A,B,C,A", {None: "A", "A": "B", "B": "C", "C": "A"}, None, 4, 1),
    Cycle("A->A", {None: "A", "A": "A"}, None, 2, 1),
    Cycle("A,B,C,B", {None: "A", "A": "B", "B": "C", "C": "B"}, None, 4, 2),
    Cycle("from S: A,S", {"S": "A", "A": "S"}, "S", 2, 0),
]


class CyclingServer(RawServer):
    """Pages of ``per_page`` backups (or restore jobs), linked as ``cycle`` says; listings
    that do not cycle are empty."""

    def __init__(
        self,
        cycle: Cycle,
        jobs_cycle: bool = True,
        backups_cycle: bool = True,
        per_page: int = 1,
    ) -> None:
        self.cycle = cycle
        self.per_page = per_page
        self.lock = threading.Lock()
        self.pages_served = 0
        self.jobs_cycle = jobs_cycle
        self.backups_cycle = backups_cycle
        super().__init__(self.answer)

    def answer(self, request: RawRequest) -> RawReply:
        token = request.param("paginationToken")
        is_jobs = request.path == "/restore-jobs"
        if not (self.jobs_cycle if is_jobs else self.backups_cycle):
            return json_reply({"data": [], "pagination": None})
        with self.lock:
            self.pages_served += 1
            number = self.pages_served
        if token not in self.cycle.next_of:
            return json_reply({"error": {"code": "INVALID_ARGUMENT", "message": "?"}}, 400)
        items = [
            restore_job_json(f"j-{number}-{i}") if is_jobs else backup_json(f"b-{number}-{i}")
            for i in range(self.per_page)
        ]
        return json_reply({"data": items, "pagination": {"next": self.cycle.next_of[token]}})

    def walk_requests(self) -> int:
        return self.pages_served


def cycle_error_class() -> type[BaseException]:
    cls = getattr(pb, "PaginationCycleError", None)
    assert isinstance(cls, type), "pb.PaginationCycleError does not exist"
    assert issubclass(cls, pb.ResponseDecodeError)
    return cls


def check_cycle_error(error: BaseException | None, cycle: Cycle, server: CyclingServer) -> None:
    assert error is not None
    assert isinstance(error, cycle_error_class()), repr(error)
    details: Any = error
    assert details.page == cycle.page, (details.page, str(error))
    assert details.first_page == cycle.first_page, (details.first_page, str(error))
    message = str(error)
    if cycle.first_page > 0:
        pattern = rf"\bpage {cycle.page}\b.*\brepeats\b.*\bpage {cycle.first_page}\b"
        assert re.search(pattern, message), message
    else:
        assert re.search(rf"\bpage {cycle.page}\b.*\brepeats\b", message), message
    assert server.walk_requests() == cycle.page, "no page is asked for after the repeat"


def walk(items: Iterable[Any]) -> BaseException | None:
    """Takes items until the walk raises (returned) or ends (None); fails past ``CAP`` items."""
    taken = 0
    try:
        for _ in items:
            taken += 1
            if taken > CAP:
                pytest.fail(f"the walk went on past {CAP} items: the cycle was not detected")
    except pb.PineconeError as error:
        return error
    return None


async def async_walk(items: AsyncIterator[Any]) -> BaseException | None:
    taken = 0
    try:
        async for _ in items:
            taken += 1
            if taken > CAP:
                pytest.fail(f"the walk went on past {CAP} items: the cycle was not detected")
    except pb.PineconeError as error:
        return error
    return None


SYNC_WALKS: dict[str, Callable[[pb.Client, str | None], Iterable[Any]]] = {
    "iter_index_backups": lambda c, t: c.iter_index_backups("idx", pagination_token=t),
    "iter_index_backups().pages()": lambda c, t: c.iter_index_backups(
        "idx", pagination_token=t
    ).pages(),
    "iter_project_backups": lambda c, t: c.iter_project_backups(pagination_token=t),
    "iter_restore_jobs": lambda c, t: c.iter_restore_jobs(pagination_token=t),
    "iter_restore_jobs().pages()": lambda c, t: c.iter_restore_jobs(pagination_token=t).pages(),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cycle", CYCLES, ids=lambda c: c.name)
@pytest.mark.parametrize("how", list(SYNC_WALKS))
def test_a_walk_stops_at_a_repeated_token(how: str, cycle: Cycle) -> None:
    with CyclingServer(cycle) as server, pb.Client(api_key=KEY, host=server.url) as client:
        error = walk(SYNC_WALKS[how](client, cycle.start))
    check_cycle_error(error, cycle, server)


ASYNC_WALKS: dict[str, Callable[[pb.AsyncClient, str | None], AsyncIterator[Any]]] = {
    "iter_index_backups": lambda c, t: c.iter_index_backups("idx", pagination_token=t),
    "iter_index_backups().pages()": lambda c, t: c.iter_index_backups(
        "idx", pagination_token=t
    ).pages(),
    "iter_project_backups": lambda c, t: c.iter_project_backups(pagination_token=t),
    "iter_restore_jobs": lambda c, t: c.iter_restore_jobs(pagination_token=t),
    "iter_restore_jobs().pages()": lambda c, t: c.iter_restore_jobs(pagination_token=t).pages(),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cycle", CYCLES, ids=lambda c: c.name)
@pytest.mark.parametrize("how", list(ASYNC_WALKS))
async def test_an_async_walk_stops_at_a_repeated_token(how: str, cycle: Cycle) -> None:
    with CyclingServer(cycle) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url) as client:
            error = await asyncio.wait_for(async_walk(ASYNC_WALKS[how](client, cycle.start)), 20)
    check_cycle_error(error, cycle, server)


@pytest.mark.timeout(60)
def test_a_walk_without_a_repeat_is_not_stopped() -> None:
    """Many distinct tokens, then the last page: no false alarm."""
    next_of: dict[str | None, str] = {None: "t0", **{f"t{i}": f"t{i + 1}" for i in range(30)}}

    def answer(request: RawRequest) -> RawReply:
        token = request.param("paginationToken")
        following = next_of.get(token)
        pagination = {"next": following} if following and following != "t30" else None
        return json_reply({"data": [backup_json(f"b-{token}")], "pagination": pagination})

    with RawServer(answer) as server, pb.Client(api_key=KEY, host=server.url) as client:
        assert len(list(client.iter_index_backups("idx"))) == 31


CLI_WALKS: dict[str, tuple[list[str], bool, bool]] = {
    # name: (arguments, restore jobs cycle, backups cycle)
    "list --all INDEX": (["list", "idx", "--all"], False, True),
    "list --all": (["list", "--all"], False, True),
    "jobs --all": (["jobs", "--all"], True, False),
    "inventory": (["inventory"], False, True),
    "inventory --format json": (["inventory", "--format", "json"], False, True),
    "prune INDEX (dry run)": (["prune", "idx", "--keep-last", "1"], False, True),
    "prune (restore jobs cycle)": (["prune", "idx", "--keep-last", "1"], True, False),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", list(CLI_WALKS))
def test_the_cli_stops_at_a_repeated_token(how: str) -> None:
    args, jobs_cycle, backups_cycle = CLI_WALKS[how]
    cycle = CYCLES[0]
    server = CyclingServer(cycle, jobs_cycle=jobs_cycle, backups_cycle=backups_cycle, per_page=100)
    with server:
        run = run_cli(
            *args,
            "--host",
            server.url,
            env={"PINECONE_API_KEY": KEY},
            timeout=6,
            max_rss=300 * 1024 * 1024,
        )
    assert not run.killed, (
        f"killed ({run.killed}) after {run.elapsed:.1f} s, {run.peak_rss >> 20} MiB, "
        f"{server.walk_requests()} pages asked for"
    )
    assert run.returncode == 1, run.output[-2000:]
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert re.search(r"\bpage 3\b.*\brepeats\b.*\bpage 1\b", run.stderr), run.stderr[-2000:]
    assert server.walk_requests() == cycle.page


# -- Any cycle ------------------------------------------------------------------------------------


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


@pytest.mark.timeout(120)
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


@pytest.mark.timeout(120)
@PROPERTY
@given(
    tokens=st.lists(st.text(string.ascii_letters, min_size=1, max_size=6), unique=True, max_size=12)
)
def test_a_walk_of_distinct_tokens_is_never_stopped(scripted: Scripted, tokens: list[str]) -> None:
    asked: list[str | None] = [None, *tokens]
    scripted.walk(dict(zip(asked, [*tokens, None], strict=True)))
    with pb.Client(api_key="pcsk_cycles_0123456789", host=scripted.server.url) as client:
        assert len(list(client.iter_index_backups("idx"))) == len(tokens) + 1
