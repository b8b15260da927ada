"""Issue 17, contract items 4, 18 and 19: what a call reports.

4. ``delete_backup`` answered 2xx returns None whatever the body (gzip that does not inflate, a
   body over ``max_response_bytes``); ``prune`` counts it deleted.
18. ``ApiError.message`` is exactly what the server said; the "may have been processed" note of
    a failed POST is in ``str(err)`` and ``err.maybe_processed`` is True (False otherwise), on
    ``ApiError``, ``ResponseDecodeError``, ``PineconeConnectionError``, ``PineconeTimeoutError``.
19. Over-long ids and names are refused with ``ValidationError`` before anything is sent.
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Callable
from typing import Any

import pytest

import pinecone_backups as pb
from helpers import (
    DROP,
    HANG,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    error_response,
    free_port,
    json_reply,
    run_cli,
)

KEY = "pcsk_errors_trust_0123456789"
FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)
NOTE = "may have been processed"

pytestmark = pytest.mark.timeout(30)


# -- 4. A delete answered 2xx is done --------------------------------------------------------------

GZIP_GARBAGE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03this is not deflate data at all"
CAP = 1024
"""``max_response_bytes`` of the clients here."""


def delete_answers() -> dict[str, RawReply]:
    big = b'{"data": [' + b" " * (4 * CAP) + b"]}"
    chunked = (
        b"HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
        + f"{len(big):x}\r\n".encode()
        + big
        + b"\r\n0\r\n\r\n"
    )
    return {
        "202, gzip that does not inflate": RawReply(
            202, GZIP_GARBAGE, [("Content-Encoding", "gzip")]
        ),
        "200, gzip that does not inflate": RawReply(
            200, GZIP_GARBAGE, [("Content-Encoding", "gzip")]
        ),
        "202, a body over max_response_bytes": RawReply(202, big),
        "202, a declared body over max_response_bytes (chunked)": RawReply(raw=chunked),
        "202, gzip over max_response_bytes": RawReply(
            202, GZIP_GARBAGE + b"x" * (4 * CAP), [("Content-Encoding", "gzip")]
        ),
    }


DELETE_ANSWERS = delete_answers()


@pytest.mark.parametrize("answer", list(DELETE_ANSWERS))
def test_a_delete_answered_2xx_returns_none_whatever_the_body(answer: str) -> None:
    with (
        RawServer(lambda _: DELETE_ANSWERS[answer]) as server,
        pb.Client(api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST) as client,
    ):
        result: object = client.delete_backup("b-1")  # type: ignore[func-returns-value]
        assert result is None
        assert server.paths() == ["DELETE /backups/b-1"], "not retried: it was done"


@pytest.mark.parametrize("answer", list(DELETE_ANSWERS)[:3])
async def test_an_async_delete_answered_2xx_returns_none_whatever_the_body(answer: str) -> None:
    with RawServer(lambda _: DELETE_ANSWERS[answer]) as server:
        async with pb.AsyncClient(
            api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST
        ) as client:
            result: object = await asyncio.wait_for(client.delete_backup("b-1"), 10)
            assert result is None
        assert server.paths() == ["DELETE /backups/b-1"]


def prunable() -> list[pb.Backup]:
    return [
        pb.Backup.from_dict(backup_json(f"b-{day}", created_at=f"2025-01-0{day}T00:00:00Z"))
        for day in range(1, 5)
    ]


def test_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    plan = pb.plan_prune(prunable(), statuses=["Ready"], allow_empty=True)
    assert len(plan.delete) == 4
    answers = list(DELETE_ANSWERS.values())

    def answer(request: RawRequest) -> RawReply:
        return answers[int(request.path.rsplit("-", 1)[-1]) % len(answers)]

    with (
        RawServer(answer) as server,
        pb.Client(api_key=KEY, host=server.url, max_response_bytes=CAP, retry=FAST) as client,
    ):
        report = client.prune(plan)
    assert report.failed == (), report.failed
    assert sorted(b.backup_id for b in report.deleted) == ["b-1", "b-2", "b-3", "b-4"]
    assert report.ok


async def test_async_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    plan = pb.plan_prune(prunable(), statuses=["Ready"], allow_empty=True)
    with RawServer(lambda _: DELETE_ANSWERS["202, gzip that does not inflate"]) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST) as client:
            report = await asyncio.wait_for(client.prune(plan), 10)
    assert report.failed == (), report.failed
    assert len(report.deleted) == 4


def test_the_cli_prune_counts_a_delete_answered_2xx_with_an_odd_body_as_deleted() -> None:
    listing = {"data": [b.to_dict() for b in prunable()], "pagination": None}

    def answer(request: RawRequest) -> RawReply:
        if request.method == "DELETE":
            return DELETE_ANSWERS["202, gzip that does not inflate"]
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply(listing)

    with RawServer(answer) as server:
        run = run_cli(
            "prune",
            "idx",
            "--status",
            "Ready",
            "--allow-empty",
            "--yes",
            "--host",
            server.url,
            env={"PINECONE_API_KEY": KEY},
        )
        deletes = [p for p in server.paths() if p.startswith("DELETE")]
    assert run.returncode == 0, run.output[-2000:]
    assert len(deletes) == 4, deletes


# -- 18. message exactly, maybe_processed ------------------------------------------------------


def post_create(client: pb.Client) -> object:
    return client.create_backup("idx")


def post_restore(client: pb.Client) -> object:
    return client.create_index_from_backup("b-1", "restored")


def get_describe(client: pb.Client) -> object:
    return client.describe_backup("b-1")


def get_list(client: pb.Client) -> object:
    return client.list_index_backups("idx")


def delete(client: pb.Client) -> object:
    client.delete_backup("b-1")
    return None


SERVER_ERROR = "the backup service fell over"

MAYBE_CASES: list[tuple[str, Callable[[pb.Client], object], Callable[[RawRequest], Any], bool]] = [
    # (name, call, server, maybe_processed)
    (
        "POST create, 500",
        post_create,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        True,
    ),
    ("POST restore, 503", post_restore, lambda _: error_response(message=SERVER_ERROR), True),
    ("POST create, connection dropped", post_create, lambda _: DROP, True),
    ("POST create, timed out", post_create, lambda _: HANG, True),
    ("POST create, 201 that does not decode", post_create, lambda _: RawReply(201, "<html>"), True),
    (
        "POST create, 400",
        post_create,
        lambda _: error_response(code="INVALID_ARGUMENT", message=SERVER_ERROR, status=400),
        False,
    ),
    (
        "POST create, 409",
        post_create,
        lambda _: error_response(code="ALREADY_EXISTS", message=SERVER_ERROR, status=409),
        False,
    ),
    (
        "GET describe, 500",
        get_describe,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        False,
    ),
    ("GET list, 503", get_list, lambda _: error_response(message=SERVER_ERROR), False),
    ("GET list, 200 that does not decode", get_list, lambda _: RawReply(200, "<html>"), False),
    ("GET describe, connection dropped", get_describe, lambda _: DROP, False),
    ("GET describe, timed out", get_describe, lambda _: HANG, False),
    (
        "DELETE, 500",
        delete,
        lambda _: error_response(code="INTERNAL", message=SERVER_ERROR, status=500),
        False,
    ),
    ("DELETE, timed out", delete, lambda _: HANG, False),
]
ERROR_CLASSES = (
    pb.ApiError,
    pb.ResponseDecodeError,
    pb.PineconeConnectionError,
    pb.PineconeTimeoutError,
)


def check_maybe_processed(error: BaseException, maybe: bool) -> None:
    assert isinstance(error, ERROR_CLASSES), repr(error)
    assert getattr(error, "maybe_processed", None) is maybe, (
        f"maybe_processed={getattr(error, 'maybe_processed', 'missing')!r}: {error}"
    )
    assert (NOTE in str(error)) is maybe, str(error)
    if isinstance(error, pb.ApiError):
        assert error.message == SERVER_ERROR, error.message
    again = pickle.loads(pickle.dumps(error))
    assert again.maybe_processed is maybe
    assert str(again) == str(error)


@pytest.mark.parametrize(
    ("call", "server", "maybe"),
    [case[1:] for case in MAYBE_CASES],
    ids=[case[0] for case in MAYBE_CASES],
)
def test_maybe_processed_is_an_attribute_and_message_is_the_server_s(
    call: Callable[[pb.Client], object], server: Callable[[RawRequest], Any], maybe: bool
) -> None:
    with (
        RawServer(server) as raw,
        pb.Client(api_key=KEY, host=raw.url, retry=FAST, timeout=0.3) as client,
        pytest.raises(pb.PineconeError) as caught,
    ):
        call(client)
    check_maybe_processed(caught.value, maybe)


def test_maybe_processed_is_false_for_a_post_never_sent() -> None:
    client = pb.Client(api_key=KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.create_backup("idx")
    assert getattr(caught.value, "maybe_processed", None) is False
    assert NOTE not in str(caught.value)


@pytest.mark.parametrize(("method", "maybe"), [("create_backup", True), ("describe_backup", False)])
async def test_async_maybe_processed_and_message(method: str, maybe: bool) -> None:
    reply = error_response(code="INTERNAL", message=SERVER_ERROR, status=500)
    with RawServer(lambda _: reply) as raw:
        async with pb.AsyncClient(api_key=KEY, host=raw.url, retry=FAST) as client:
            argument = "idx" if method == "create_backup" else "b-1"
            with pytest.raises(pb.ApiError) as caught:
                await asyncio.wait_for(getattr(client, method)(argument), 10)
    check_maybe_processed(caught.value, maybe)


def test_error_classes_say_maybe_processed_false_by_default() -> None:
    """Errors built by hand (as tests of user code do) have the attribute too."""
    for error in (
        pb.NotFoundError("x", status=404),
        pb.ResponseDecodeError("x"),
        pb.PineconeConnectionError("x"),
        pb.PineconeTimeoutError("x"),
    ):
        assert getattr(error, "maybe_processed", None) is False, type(error).__name__


# -- 19. Over-long ids and names -----------------------------------------------------------------

LONG = "x" * 100_000
SYNC_CALLS: dict[str, Callable[[pb.Client], object]] = {
    "describe_backup(long id)": lambda c: c.describe_backup(LONG),
    "delete_backup(long id)": lambda c: c.delete_backup(LONG),
    "delete_backup(long id, missing_ok=True)": lambda c: c.delete_backup(LONG, missing_ok=True),
    "describe_restore_job(long id)": lambda c: c.describe_restore_job(LONG),
    "wait_for_backup(long id)": lambda c: c.wait_for_backup(LONG, timeout=1),
    "wait_for_restore_job(long id)": lambda c: c.wait_for_restore_job(LONG, timeout=1),
    "create_index_from_backup(long id)": lambda c: c.create_index_from_backup(LONG, "restored"),
    "create_index_from_backup(long index name)": lambda c: c.create_index_from_backup("b-1", LONG),
    "create_backup(long index name)": lambda c: c.create_backup(LONG),
    "create_backup(long index name, wait=True)": lambda c: c.create_backup(LONG, wait=True),
    "create_backup(long backup name)": lambda c: c.create_backup("idx", name=LONG),
    "list_index_backups(long index name)": lambda c: c.list_index_backups(LONG),
    "iter_index_backups(long index name)": lambda c: list(c.iter_index_backups(LONG)),
}


def counting_server() -> RawServer:
    return RawServer(lambda _: json_reply(backup_json("b-1")))


@pytest.mark.parametrize("call", list(SYNC_CALLS))
def test_an_over_long_id_or_name_is_refused_before_sending(call: str) -> None:
    with counting_server() as server, pb.Client(api_key=KEY, host=server.url, retry=FAST) as client:
        with pytest.raises(pb.PineconeError) as caught:
            SYNC_CALLS[call](client)
        assert server.requests == [], "nothing is sent"
    assert isinstance(caught.value, pb.ValidationError), repr(caught.value)[:300]


ASYNC_CALLS: dict[str, Callable[[pb.AsyncClient], Any]] = {
    "describe_backup(long id)": lambda c: c.describe_backup(LONG),
    "delete_backup(long id)": lambda c: c.delete_backup(LONG),
    "create_backup(long backup name)": lambda c: c.create_backup("idx", name=LONG),
    "create_index_from_backup(long index name)": lambda c: c.create_index_from_backup("b-1", LONG),
}


@pytest.mark.parametrize("call", list(ASYNC_CALLS))
async def test_async_an_over_long_id_or_name_is_refused_before_sending(call: str) -> None:
    with counting_server() as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST) as client:
            with pytest.raises(pb.PineconeError) as caught:
                await asyncio.wait_for(ASYNC_CALLS[call](client), 10)
        assert server.requests == []
    assert isinstance(caught.value, pb.ValidationError), repr(caught.value)[:300]


def test_an_index_name_of_the_spec_s_45_characters_and_a_long_id_are_still_sent() -> None:
    """Guards: the limits are not below the spec's (an index name of 45 characters) or the
    ids the API hands out (64 characters here)."""
    name, backup_id = "i" * 45, "b" * 64

    def answer(request: RawRequest) -> RawReply:
        if request.path.startswith("/indexes/"):
            return json_reply({"data": [], "pagination": None})
        return json_reply(backup_json(backup_id))

    with RawServer(answer) as server, pb.Client(api_key=KEY, host=server.url) as client:
        client.describe_backup(backup_id)
        client.list_index_backups(name)
        assert server.paths() == [f"GET /backups/{backup_id}", f"GET /indexes/{name}/backups"]
