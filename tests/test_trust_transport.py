"""Issue 17, contract items 5, 12, 13 and 20: what goes over the wire, and when calls end.

5. ``max_retries=0``: a GET or DELETE goes out once when a fresh connection closes unanswered.
12. A fresh client whose first request hangs holds the others for a short grace (1 s) at most,
    and each call's ``timeout`` and ``deadline`` count the time spent waiting behind it.
13. ``close()`` / ``aclose()`` ends the calls in flight within about a second with
    ``ClientClosedError``.
20. A certificate that fails verification is not retried and the error says why: "unknown
    issuer" (a self-signed one too), "expired", "not valid for" the host name.

Each test has its own deadline (threads joined with a timeout, ``asyncio.wait_for``) so that on
a build with the bug it fails in seconds instead of hanging.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

import pinecone_backups as pb
from helpers import DROP, HANG, RawReply, RawRequest, RawServer, backup_json, json_reply

KEY = "pcsk_transport_trust_0123456789"
FAST = pb.Retry(max_retries=3, backoff_base=0.01, backoff_cap=0.02)

pytestmark = pytest.mark.timeout(30)


@dataclass
class Outcome:
    """How a call run in a thread ended: its result or exception, and when (monotonic)."""

    started: float
    ended: float | None = None
    result: Any = None
    error: BaseException | None = None

    @property
    def seconds(self) -> float:
        assert self.ended is not None
        return self.ended - self.started


def in_threads(call: Callable[[], Any], count: int) -> list[tuple[threading.Thread, Outcome]]:
    """Starts ``call`` in ``count`` daemon threads; each records its outcome (never raises, so a
    thread left running by a failed test cannot disturb another)."""
    started = []
    for _ in range(count):
        outcome = Outcome(time.monotonic())

        def run(outcome: Outcome = outcome) -> None:
            try:
                outcome.result = call()
            except BaseException as error:
                outcome.error = error
            outcome.ended = time.monotonic()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        started.append((thread, outcome))
    return started


def join_all(threads: list[tuple[threading.Thread, Outcome]], deadline: float) -> list[Outcome]:
    """Joins the threads until ``deadline`` (monotonic); fails if any is still running."""
    for thread, _ in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    running = sum(thread.is_alive() for thread, _ in threads)
    assert running == 0, f"{running} of {len(threads)} calls still running at the deadline"
    return [outcome for _, outcome in threads]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


async def wait_for_requests(server: RawServer, count: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while len(server.requests) < count:
        assert time.monotonic() < deadline, f"{len(server.requests)} requests of {count}"
        await asyncio.sleep(0.005)


# -- 5. max_retries=0 sends once --------------------------------------------------------------

CALLS: dict[str, Callable[[pb.Client], object]] = {
    "GET describe_backup": lambda c: c.describe_backup("b-1"),
    "GET list_index_backups": lambda c: c.list_index_backups("idx"),
    "DELETE delete_backup": lambda c: c.delete_backup("b-1"),
}


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


@pytest.mark.parametrize("method", ["describe_backup", "delete_backup"])
async def test_async_max_retries_0_sends_once_on_a_fresh_connection(method: str) -> None:
    with RawServer(lambda _: DROP) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, max_retries=0) as client:
            with pytest.raises(pb.PineconeConnectionError):
                await asyncio.wait_for(getattr(client, method)("b-1"), 10)
        assert len(server.requests) == 1, server.paths()


# -- 12. a hung first request -----------------------------------------------------------------


def first_hangs(request: RawRequest) -> RawReply | str:
    """``/backups/hang`` never answers; any other backup is answered at once."""
    if request.path.endswith("/hang"):
        return HANG
    return json_reply(backup_json(request.path.rsplit("/", 1)[-1]))


GRACE = 1.0
SLACK = 1.0


def test_a_hung_first_request_holds_the_others_only_a_short_grace() -> None:
    with RawServer(first_hangs) as server:
        client = pb.Client(api_key=KEY, host=server.url, timeout=20, max_retries=0)
        hung = in_threads(lambda: client.describe_backup("hang"), 1)
        wait_until(lambda: len(server.requests) == 1)
        quick = in_threads(lambda: client.describe_backup("quick").backup_id, 10)
        outcomes = join_all(quick, time.monotonic() + GRACE + SLACK + 1)
        for outcome in outcomes:
            assert outcome.error is None, repr(outcome.error)
            assert outcome.result == "quick"
            assert outcome.seconds < GRACE + SLACK, f"held {outcome.seconds:.2f} s"
        assert hung[0][0].is_alive(), "the hung request is still waiting for its answer"
        client.close()


async def test_async_a_hung_first_request_holds_the_others_only_a_short_grace() -> None:
    with RawServer(first_hangs) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, timeout=20, max_retries=0) as c:
            hung = asyncio.ensure_future(c.describe_backup("hang"))
            try:
                await wait_for_requests(server, 1)
                started = time.monotonic()
                quick = [c.describe_backup("quick") for _ in range(10)]
                done = await asyncio.wait_for(asyncio.gather(*quick), GRACE + SLACK + 1)
                elapsed = time.monotonic() - started
                assert [b.backup_id for b in done] == ["quick"] * 10
                assert elapsed < GRACE + SLACK, f"held {elapsed:.2f} s"
                assert not hung.done(), "the hung request is still waiting for its answer"
            finally:
                hung.cancel()
                await asyncio.gather(hung, return_exceptions=True)


@pytest.mark.parametrize(
    "options",
    [{"timeout": 0.5, "max_retries": 0}, {"timeout": None, "deadline": 0.5}],
    ids=["timeout", "deadline"],
)
def test_time_spent_queued_behind_a_hung_request_counts_in_the_call_s_limit(
    options: dict[str, Any],
) -> None:
    with RawServer(lambda _: HANG) as server:
        client = pb.Client(api_key=KEY, host=server.url, **options)
        calls = in_threads(lambda: client.describe_backup("b-1"), 5)
        outcomes = join_all(calls, time.monotonic() + 4)
        for outcome in outcomes:
            assert isinstance(outcome.error, pb.PineconeTimeoutError), repr(outcome.error)
            assert outcome.seconds < 0.5 + SLACK, f"ended after {outcome.seconds:.2f} s"
        client.close()


async def test_async_time_spent_queued_counts_in_the_call_s_timeout() -> None:
    with RawServer(lambda _: HANG) as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, timeout=0.5, max_retries=0) as c:

            async def timed() -> tuple[BaseException | None, float]:
                started = time.monotonic()
                try:
                    await c.describe_backup("b-1")
                except pb.PineconeError as error:
                    return error, time.monotonic() - started
                return None, time.monotonic() - started

            results = await asyncio.wait_for(asyncio.gather(*(timed() for _ in range(5))), 4)
        for error, seconds in results:
            assert isinstance(error, pb.PineconeTimeoutError), repr(error)
            assert seconds < 0.5 + SLACK, f"ended after {seconds:.2f} s"


# -- 13. close() while calls are in flight ------------------------------------------------------

CLOSE_LIMIT = 1.5
"""Seconds within which a call in flight must end after close() ("about a second")."""


def warm_then_hang(request: RawRequest) -> RawReply | str:
    """``/backups/warm`` is answered (so that the client's first response has come and its
    calls run freely); everything else hangs."""
    if request.path.endswith("/warm"):
        return json_reply(backup_json("warm"))
    return HANG


def in_flight_calls(client: pb.Client) -> list[Callable[[], object]]:
    return [
        lambda: client.describe_backup("b-1"),
        lambda: client.list_index_backups("idx"),
        lambda: client.delete_backup("b-2"),
        lambda: list(client.iter_index_backups("idx")),
        lambda: client.create_backup("idx"),
    ]


def test_close_ends_the_calls_in_flight_with_client_closed_error() -> None:
    with RawServer(warm_then_hang) as server:
        client = pb.Client(api_key=KEY, host=server.url, timeout=10, max_retries=0)
        client.describe_backup("warm")
        calls = in_flight_calls(client)
        threads = [pair for call in calls for pair in in_threads(call, 1)]
        wait_until(lambda: len(server.requests) == 1 + len(calls))
        closed_at = time.monotonic()
        client.close()
        outcomes = join_all(threads, closed_at + CLOSE_LIMIT + 1)
        for outcome in outcomes:
            assert isinstance(outcome.error, pb.ClientClosedError), repr(outcome.error)
            assert outcome.ended is not None and outcome.ended - closed_at < CLOSE_LIMIT


@pytest.mark.parametrize("how", ["aclose", "close"])
async def test_async_close_ends_the_calls_in_flight_with_client_closed_error(how: str) -> None:
    with RawServer(warm_then_hang) as server:
        client = pb.AsyncClient(api_key=KEY, host=server.url, timeout=10, max_retries=0)
        await client.describe_backup("warm")

        async def walk() -> list[pb.Backup]:
            return [backup async for backup in client.iter_index_backups("idx")]

        tasks: list[asyncio.Future[Any]] = [
            asyncio.ensure_future(client.describe_backup("b-1")),
            asyncio.ensure_future(client.list_index_backups("idx")),
            asyncio.ensure_future(client.delete_backup("b-2")),
            asyncio.ensure_future(client.create_backup("idx")),
            asyncio.ensure_future(walk()),
        ]
        try:
            await wait_for_requests(server, 1 + len(tasks))
            closed_at = time.monotonic()
            if how == "aclose":
                await asyncio.wait_for(client.aclose(), CLOSE_LIMIT)
            else:
                client.close()
            done, pending = await asyncio.wait(tasks, timeout=CLOSE_LIMIT)
            assert not pending, f"{len(pending)} calls still running {CLOSE_LIMIT} s after {how}()"
            assert time.monotonic() - closed_at < CLOSE_LIMIT + 0.1
            for task in done:
                assert isinstance(task.exception(), pb.ClientClosedError), repr(task.exception())
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


# -- 20. certificate verification failures ------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def self_signed(tmp_path: Path, algorithm: str) -> tuple[Path, Path]:
    """A self-signed (not CA-issued) certificate for localhost and 127.0.0.1, as
    ``openssl req -x509`` makes them: (cert, key)."""
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if algorithm == "EC":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "self.pem", tmp_path / "self.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(
    request: pytest.FixtureRequest, ca: trustme.CA, tmp_path: Path
) -> Iterator[RawServer]:
    """An HTTPS raw server (answering an empty page) with the certificate the test names."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    now = datetime.datetime.now(datetime.timezone.utc)
    kind: str = request.param
    if kind == "unknown issuer":
        trustme.CA().issue_cert("localhost", "127.0.0.1").configure_cert(context)
    elif kind.startswith("self-signed"):
        cert, key = self_signed(tmp_path, "EC" if "EC" in kind else "RSA")
        context.load_cert_chain(cert, key)
    elif kind == "expired":
        ca.issue_cert(
            "localhost",
            "127.0.0.1",
            not_before=now - datetime.timedelta(days=30),
            not_after=now - datetime.timedelta(days=1),
        ).configure_cert(context)
    else:
        ca.issue_cert("other.example").configure_cert(context)
    server = RawServer(lambda _: json_reply({"data": [], "pagination": None}), context)
    yield server
    server.close()


EXPECTED = {
    "unknown issuer": "unknown issuer",
    "self-signed (EC)": "unknown issuer",
    "self-signed (RSA)": "unknown issuer",
    "expired": "expired",
    "another host's": "not valid for",
}


@pytest.mark.parametrize("tls_server", list(EXPECTED), indirect=True)
def test_a_certificate_that_fails_verification_is_final_and_says_why(
    tls_server: RawServer, ca_file: Path, request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["tls_server"]
    client = pb.Client(
        api_key=KEY, host=f"https://localhost:{tls_server.port}", ca_certs=ca_file, retry=FAST
    )
    with pytest.raises(pb.PineconeConnectionError) as caught:
        client.list_index_backups("idx")
    assert caught.value.attempts == 1, str(caught.value)
    assert tls_server.connections == 1, f"{tls_server.connections} connections"
    assert tls_server.requests == []
    assert EXPECTED[kind] in str(caught.value).lower(), str(caught.value)


@pytest.mark.parametrize("tls_server", ["self-signed (RSA)", "another host's"], indirect=True)
async def test_async_a_certificate_that_fails_verification_is_final(
    tls_server: RawServer, ca_file: Path, request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["tls_server"]
    host = f"https://localhost:{tls_server.port}"
    async with pb.AsyncClient(api_key=KEY, host=host, ca_certs=ca_file, retry=FAST) as client:
        with pytest.raises(pb.PineconeConnectionError) as caught:
            await asyncio.wait_for(client.list_index_backups("idx"), 10)
    assert caught.value.attempts == 1, str(caught.value)
    assert tls_server.connections == 1
    assert EXPECTED[kind] in str(caught.value).lower(), str(caught.value)
