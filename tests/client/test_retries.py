"""Retries: each fault the emulator can inject and what the client does about it (outcome and
number of attempts, with the default retry policy and its backoff shortened for speed); what may
be retried (a GET or DELETE; a POST only when it surely never reached the server, or on a 429);
``Retry-After``; a fresh connection closed unanswered is an attempt like any other; the ``Retry``
policy class.

Run as a module (``python -m tests.client.test_retries`` from the repository) it prints the
fault scenarios as a table with the time each took to succeed or give up."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import asyncio
import logging
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    DROP,
    INSTANT,
    MAYBE_PROCESSED,
    RawServer,
    free_port,
    methods,
    ready_backup,
)

# -- Each fault, with the default policy ----------------------------------------------------------


FAST = pb.Retry(backoff_base=0.01, backoff_cap=0.05)


@dataclass(frozen=True)
class Scenario:
    """A fault, the client options it is tried with, and the expected outcome."""

    name: str
    inject: Callable[[Emulator], object]
    outcome: type[BaseException] | None  # None: the call succeeds
    attempts: int
    options: dict[str, Any] = field(default_factory=dict)
    index: str = "docs-example"


SCENARIOS = [
    Scenario("503 then 200", lambda e: e.fail_next(503), None, 2),
    Scenario("500 x4 (all attempts)", lambda e: e.fail_next(500, times=4), pb.UnknownError, 4),
    Scenario(
        "502 HTML from a proxy, then 200",
        lambda e: e.fail_next(502, body="<html>bad gateway</html>"),
        None,
        2,
    ),
    Scenario(
        "429 with Retry-After: 1, then 200",
        lambda e: e.fail_next(429, headers={"Retry-After": "1"}),
        None,
        2,
    ),
    Scenario("404 (not retried)", lambda e: e.fail_next(404), pb.NotFoundError, 1),
    Scenario(
        "503 with retries off",
        lambda e: e.fail_next(503),
        pb.UnavailableError,
        1,
        {"max_retries": 0},
    ),
    Scenario("connection dropped unanswered, then 200", lambda e: e.drop_next(), None, 2),
    Scenario("reset mid-body, then 200", lambda e: e.reset_next(), None, 2),
    Scenario("reset mid-body x4", lambda e: e.reset_next(times=4), pb.IncompleteResponseError, 4),
    Scenario("wrong Content-Length, then 200", lambda e: e.wrong_length_next(), None, 2),
    Scenario("chunked body cut mid-way, then 200", lambda e: e.chunked_cut_next(), None, 2),
    Scenario(
        "body trickling past the timeout, then 200",
        lambda e: e.trickle_next(interval=0.2, chunk=64),
        None,
        2,
        {"timeout": 0.5},
        "big-index",
    ),
    Scenario(
        "never answers (timeout 0.3 s, 1 retry)",
        lambda e: e.hang_next(times=2),
        pb.PineconeTimeoutError,
        2,
        {"timeout": 0.3, "max_retries": 1},
    ),
    Scenario(
        "never answers, deadline 0.5 s",
        lambda e: e.hang_next(times=10),
        pb.PineconeTimeoutError,
        1,
        {"timeout": None, "deadline": 0.5},
    ),
    Scenario("garbage JSON (not retried)", lambda e: e.malformed_next(), pb.ResponseDecodeError, 1),
    Scenario(
        "gzip that does not inflate (not retried)",
        lambda e: e.gzip_garbage_next(),
        pb.ResponseDecodeError,
        1,
    ),
    Scenario(
        "huge body (10 MiB, chunked) over a 1 MiB cap",
        lambda e: e.huge_body_next(size=10 * 1024 * 1024, chunked=True),
        pb.ResponseDecodeError,
        1,
        {"max_response_bytes": 1024 * 1024},
    ),
    Scenario(
        "huge body (100 MiB declared) over the 64 MiB default cap",
        lambda e: e.huge_body_next(),
        pb.ResponseDecodeError,
        1,
    ),
]


def run(scenario: Scenario, emulator: Emulator) -> tuple[BaseException | None, int, float]:
    """Runs one scenario: (the exception raised or None, requests the server saw, seconds)."""
    options: dict[str, Any] = {"retry": FAST, **scenario.options}
    client = pb.Client(api_key=API_KEY, host=emulator.url, **options)
    scenario.inject(emulator)
    started = time.monotonic()
    error: BaseException | None = None
    try:
        client.list_index_backups(scenario.index)
    except pb.PineconeError as caught:
        error = caught
    elapsed = time.monotonic() - started
    client.close()
    return error, len(emulator.requests), elapsed


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault(scenario: Scenario, emulator: Emulator) -> None:
    error, requests, _ = run(scenario, emulator)
    if scenario.outcome is None:
        assert error is None, repr(error)
    else:
        assert isinstance(error, scenario.outcome), repr(error)
        assert getattr(error, "attempts", None) == scenario.attempts, repr(error)
        if scenario.attempts > 1:
            assert f"(after {scenario.attempts} attempts)" in str(error)
    assert requests == scenario.attempts


@pytest.mark.off_spec_responses
def test_incomplete_bodies_are_connection_errors_too(emulator: Emulator) -> None:
    emulator.reset_next(times=4)
    with pytest.raises(pb.IncompleteResponseError) as caught:
        pb.Client(api_key=API_KEY, host=emulator.url, retry=FAST).list_index_backups("docs-example")
    err = caught.value
    assert isinstance(err, pb.ResponseDecodeError) and isinstance(err, pb.PineconeConnectionError)
    assert isinstance(err, ConnectionError) and isinstance(err, ValueError)
    assert "cut short" in err.reason


@pytest.mark.off_spec_responses
def test_retry_after_is_waited_for(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pinecone_backups")
    emulator.fail_next(429, headers={"Retry-After": "1"})
    client = pb.Client(api_key=API_KEY, host=emulator.url)
    assert len(client.list_index_backups("docs-example")) == 3
    (record,) = caplog.records
    assert record.name == "pinecone_backups" and record.levelno == logging.WARNING
    assert record.getMessage().startswith(
        "retrying GET /indexes/docs-example/backups in 1.00s (attempt 1 of 4): "
        "[429 RESOURCE_EXHAUSTED]"
    )
    first, second = emulator.requests
    assert second.received_at - first.received_at >= 0.95


@pytest.mark.off_spec_responses
def test_retries_are_logged_without_the_key(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.fail_next(503, times=3, message=f"echoing {API_KEY}")
    client = pb.Client(api_key=API_KEY, host=emulator.url, retry=FAST)
    assert len(client.list_index_backups("docs-example")) == 3
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.name == "pinecone_backups" and r.levelno == logging.WARNING  # (not the exchanges)
    ]
    assert [m.split(" (attempt ")[1][:6] for m in messages] == ["1 of 4", "2 of 4", "3 of 4"]
    assert all("[503 UNAVAILABLE] echoing [REDACTED]" in m for m in messages)
    assert API_KEY not in caplog.text


@pytest.mark.off_spec_responses
def test_connection_refused_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    client = pb.Client(api_key=API_KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("docs-example")
    assert caught.value.attempts == 4
    assert str(caught.value).endswith("(after 4 attempts)")


@pytest.mark.off_spec_responses
def test_async_client_retries_too(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pinecone_backups")

    async def calls() -> list[int]:
        async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, retry=FAST) as client:
            emulator.fail_next(503)
            first = await client.list_index_backups("docs-example")
            emulator.reset_next()
            second = await client.list_index_backups("docs-example")
            emulator.fail_next(500, times=4)
            with pytest.raises(pb.UnknownError) as caught:
                await client.list_index_backups("docs-example")
            return [len(first), len(second), caught.value.attempts]

    assert asyncio.run(calls()) == [3, 3, 4]
    assert len(emulator.requests) == 2 + 2 + 4
    deadline = time.monotonic() + 5  # async retries are logged from a background thread
    while len(caplog.records) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(caplog.records) == 5


# A *fresh* connection closed without an answer is an attempt like
# any other (the free retry is only for a pooled connection a server closed while it was idle).
TRUST_SCENARIOS = [
    Scenario(
        "connection dropped unanswered, retries off",
        lambda e: e.drop_next(),
        pb.PineconeConnectionError,
        1,
        {"max_retries": 0},
    ),
    Scenario(
        "connection dropped unanswered x2, 1 retry",
        lambda e: e.drop_next(times=2),
        pb.PineconeConnectionError,
        2,
        {"max_retries": 1},
    ),
    Scenario(
        "connection dropped unanswered, 1 retry, then 200",
        lambda e: e.drop_next(),
        None,
        2,
        {"max_retries": 1},
    ),
]


@pytest.mark.off_spec_responses
@pytest.mark.parametrize("scenario", TRUST_SCENARIOS, ids=[s.name for s in TRUST_SCENARIOS])
def test_trust_fault(scenario: Scenario, emulator: Emulator) -> None:
    test_fault(scenario, emulator)


def main() -> None:
    """Prints the scenarios as a Markdown table (fault, outcome, attempts, time to succeed or
    give up), with the default policy's backoff shortened to 10-50 ms as in the tests."""
    print("| fault | client options | outcome | attempts | time |")
    print("|---|---|---|---|---|")
    for scenario in [*SCENARIOS, *TRUST_SCENARIOS]:
        with Emulator(api_key=API_KEY) as emulator:
            error, requests, elapsed = run(scenario, emulator)
        outcome = "success" if error is None else type(error).__name__
        options = ", ".join(f"{k}={v}" for k, v in scenario.options.items()) or "defaults"
        print(f"| {scenario.name} | {options} | {outcome} | {requests} | {elapsed:.2f} s |")
    client = pb.Client(api_key=API_KEY, host=f"http://127.0.0.1:{free_port()}", retry=FAST)
    started = time.monotonic()
    try:
        client.list_index_backups("docs-example")
    except pb.PineconeConnectionError as error:
        elapsed = time.monotonic() - started
        print(
            f"| connection refused | defaults | {type(error).__name__} | {error.attempts} |"
            f" {elapsed:.2f} s |"
        )


# -- max_retries=0 sends once ---------------------------------------------------------------------


KEY = "pcsk_transport_trust_0123456789"


CALLS: dict[str, Callable[[pb.Client], object]] = {
    "GET describe_backup": lambda c: c.describe_backup("b-1"),
    "GET list_index_backups": lambda c: c.list_index_backups("idx"),
    "DELETE delete_backup": lambda c: c.delete_backup("b-1"),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("max_retries", [0, 1])
@pytest.mark.parametrize("call", list(CALLS))
def test_a_fresh_connection_closed_unanswered_is_not_retried_for_free(
    call: str, max_retries: int
) -> None:
    with RawServer(lambda _: DROP) as server:
        retry = pb.Retry(max_retries=max_retries, backoff_base=0.01, backoff_cap=0.01)
        with (
            pb.Client(api_key=KEY, host=server.url, retry=retry) as client,
            pytest.raises(pb.PineconeConnectionError) as caught,
        ):
            CALLS[call](client)
        assert len(server.requests) == max_retries + 1, server.paths()
    assert caught.value.attempts == max_retries + 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize("method", ["describe_backup", "delete_backup"])
async def test_async_max_retries_0_sends_once_on_a_fresh_connection(method: str) -> None:
    with RawServer(lambda _: DROP) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, max_retries=0) as client:
            with pytest.raises(pb.PineconeConnectionError):
                await asyncio.wait_for(getattr(client, method)("b-1"), 10)
        assert len(server.requests) == 1, server.paths()


# -- What may be retried: a POST only when it surely was not processed ----------------------------


def test_post_not_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.fail_next(503, times=2)
    with pytest.raises(pb.UnavailableError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_restore_post_not_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(500, times=2)
    with pytest.raises(pb.ServerError) as caught:
        retrying.create_index_from_backup(backup.backup_id, "once-only")
    assert methods(emulator) == [f"POST /backups/{backup.backup_id}/create-index"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_connection_lost(retrying: pb.Client, emulator: Emulator) -> None:
    """The emulator creates the backup, then resets the connection mid-answer: a retry would
    create a second one."""
    before = len(emulator.backups())
    emulator.reset_next(times=2)
    with pytest.raises(pb.PineconeError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert len(emulator.backups()) == before + 1
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_connection_dropped(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.drop_next(times=2)
    with pytest.raises(pb.PineconeConnectionError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_not_retried_after_a_read_timeout(retrying: pb.Client, emulator: Emulator) -> None:
    emulator.hang_next(times=2)
    with pytest.raises(pb.PineconeTimeoutError) as caught:
        retrying.create_backup("docs-example")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"]
    assert MAYBE_PROCESSED in str(caught.value)


def test_post_retried_on_429(retrying: pb.Client, emulator: Emulator) -> None:
    before = len(emulator.backups())
    emulator.fail_next(429)
    backup = retrying.create_backup("docs-example", name="after-429")
    assert methods(emulator) == ["POST /indexes/docs-example/backups"] * 2
    assert len(emulator.backups()) == before + 1
    assert backup.name == "after-429"


def test_restore_post_retried_on_429(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(429)
    retrying.create_index_from_backup(backup.backup_id, "after-429")
    assert len(emulator.requests) == 2
    assert len([j for j in emulator.restore_jobs() if j["backup_id"] == backup.backup_id]) == 1


def test_post_retried_when_never_sent(emulator: Emulator) -> None:
    """Connect refused: the request surely never reached a server, so it is retried (here all
    attempts fail the same way, and the error does not claim it may have been processed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    host = f"http://127.0.0.1:{port}"
    with (
        pb.Client(api_key=API_KEY, host=host, retry=INSTANT) as client,
        pytest.raises(pb.PineconeConnectionError) as caught,
    ):
        client.create_backup("docs-example")
    assert MAYBE_PROCESSED not in str(caught.value)
    assert getattr(caught.value, "attempts", 3) == 3


def test_get_retried_after_a_5xx(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.describe_backup(backup.backup_id).backup_id == backup.backup_id
    assert len(emulator.requests) == 2


def test_delete_retried_after_5xx_then_404_returns(retrying: pb.Client, emulator: Emulator) -> None:
    """Attempt 1 gets a 503 (it may have deleted the backup), attempt 2 a 404: deleted."""
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_retried_after_timeout_then_404_returns(
    retrying: pb.Client, emulator: Emulator
) -> None:
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.hang_next()
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_retried_after_connection_lost_then_404_returns(
    retrying: pb.Client, emulator: Emulator
) -> None:
    """Attempt 1 loses its connection after sending (it may have deleted the backup), attempt 2
    gets a 404: deleted. (reset_next cannot cut a 202's empty body, so the backup is deleted by
    another client first.)"""
    backup = ready_backup(retrying, emulator)
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as other:
        other.delete_backup(backup.backup_id)
    emulator.reset()
    emulator.drop_next()  # attempt 1: read, then the connection closes unanswered
    assert retrying.delete_backup(backup.backup_id) is None
    assert methods(emulator) == [f"DELETE /backups/{backup.backup_id}"] * 2


def test_delete_first_404_still_raises(retrying: pb.Client, emulator: Emulator) -> None:
    with pytest.raises(pb.NotFoundError):
        retrying.delete_backup("no-such-backup")
    assert len(emulator.requests) == 1


def test_delete_retried_after_5xx_succeeds(retrying: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(retrying, emulator)
    emulator.reset()
    emulator.fail_next(503)
    assert retrying.delete_backup(backup.backup_id) is None
    assert emulator.get_backup(backup.backup_id) is None
    assert len(emulator.requests) == 2


# -- The Retry policy -----------------------------------------------------------------------------


def test_retry_policy_class() -> None:
    default = pb.Retry()
    assert (default.max_retries, default.backoff_base, default.backoff_cap) == (3, 0.25, 8.0)
    assert default.retry_after_cap == 60.0
    assert default.statuses == (408, 429, 500, 502, 503, 504)
    assert repr(default) == (
        "Retry(max_retries=3, backoff_base=0.25, backoff_cap=8.0, retry_after_cap=60.0, "
        "statuses=(408, 429, 500, 502, 503, 504))"
    )
    one = pb.Retry(max_retries=1, statuses=[503, 429, 503])
    assert one.statuses == (429, 503)
    assert repr(pb.Retry(statuses=[429])).endswith("statuses=(429,))")
    assert one == pb.Retry(max_retries=1, statuses=(429, 503)) and one != default
    assert hash(one) == hash(pb.Retry(max_retries=1, statuses=(503, 429)))
    assert pickle.loads(pickle.dumps(one)) == one
    for bad_status in (True, 99, 600, "503", None):
        with pytest.raises(pb.ConfigurationError, match="statuses"):
            pb.Retry(statuses=[bad_status])  # type: ignore[list-item]
    with pytest.raises(pb.ConfigurationError, match="backoff_base"):
        pb.Retry(backoff_base=2.0, backoff_cap=1.0)
    with pytest.raises(pb.ConfigurationError, match="backoff_cap"):
        pb.Retry(backoff_cap=-1.0)
    with pytest.raises(pb.ConfigurationError, match="max_retries"):
        pb.Retry(max_retries=101)
    # Client options: max_retries overrides the policy's; None for either timeout is the default.
    pb.Client(api_key=KEY, retry=one, max_retries=0, connect_timeout=None, deadline=None)


# -- Retry's argument types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("backoff_base", "x"),
        ("backoff_base", True),
        ("backoff_base", False),
        ("backoff_cap", True),
        ("backoff_cap", "8"),
        ("retry_after_cap", False),
        ("statuses", 5),
    ],
)
def test_retry_refuses_wrong_types(name: str, value: object) -> None:
    # Today: a plain TypeError for a str or an int `statuses`; booleans taken as 1.0 / 0.0.
    kwargs: dict[str, Any] = {name: value}
    with pytest.raises(pb.ArgumentTypeError, match=name) as caught:
        pb.Retry(**kwargs)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, pb.PineconeError)


def test_retry_still_takes_ints_and_floats() -> None:
    retry = pb.Retry(backoff_base=1, backoff_cap=10, retry_after_cap=30)
    assert (retry.backoff_base, retry.backoff_cap, retry.retry_after_cap) == (1.0, 10.0, 30.0)
    retry = pb.Retry(backoff_base=0.5, backoff_cap=2.5, retry_after_cap=0.0, statuses=(503,))
    assert (retry.backoff_base, retry.backoff_cap, retry.retry_after_cap) == (0.5, 2.5, 0.0)
    assert retry.statuses == (503,)


if __name__ == "__main__":
    main()
