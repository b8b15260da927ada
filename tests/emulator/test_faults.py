"""The emulator's faults: queued answers (``fail_next``, ``respond_next``, ``malformed_next``,
``delay_next``, ``drop_next``, ``hang_next``...) in FIFO order, latency, the wire-level faults
(resets, trickles, wrong lengths, cut chunks, gzip garbage, huge bodies) checked with raw sockets
and ``http.client``, and random faults (rates, seeds, kinds, counts)."""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta, timezone
from typing import Any, get_args

import pytest

from pinecone_backups.testing import (
    DOCS_EXAMPLE_RESPONSE,
    Emulator,
    FaultKind,
    RandomFaultKind,
    _faults,
)
from tests.helpers import (
    API_HEADERS,
    TARGET,
    address,
    assert_error,
    backups_path,
    call,
    connect,
    raw_call,
    raw_request,
    wait_for,
)
from tests.spec_validation import attach

# -- Queued answers, latency, resetting -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (402, "PAYMENT_REQUIRED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (409, "ALREADY_EXISTS"),
        (412, "FAILED_PRECONDITION"),
        (422, "UNPROCESSABLE_ENTITY"),
        (429, "RESOURCE_EXHAUSTED"),
        (500, "UNKNOWN"),
        (501, "UNIMPLEMENTED"),
        (502, "UNKNOWN"),
        (503, "UNAVAILABLE"),
        (504, "DEADLINE_EXCEEDED"),
    ],
)
def test_fail_next_derives_the_error_code(emu: Emulator, status: int, code: str) -> None:
    emu.fail_next(status)
    reply = call(emu, backups_path("my-index"))
    assert_error(reply, status, code)
    assert reply.headers["Content-Type"] == "application/json"
    assert emu.exchanges[-1].fault == "fail"
    assert call(emu, backups_path("my-index")).status == 200
    assert emu.exchanges[-1].fault is None


def test_fail_next_with_code_message_headers_and_times(emu: Emulator) -> None:
    emu.fail_next(
        429, "QUOTA_EXCEEDED", times=2, message="Slow down.", headers={"Retry-After": "2"}
    )
    for _ in range(2):
        reply = call(emu, backups_path("my-index"))
        assert_error(reply, 429, "QUOTA_EXCEEDED", "Slow down.")
        assert reply.headers["Retry-After"] == "2"
    assert call(emu, backups_path("my-index")).status == 200


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            "<html><body>502 Bad Gateway</body></html>",
            "text/html",
            b"<html><body>502 Bad Gateway</body></html>",
        ),
        (b"", "application/json", b""),
        ("upstream timed out", "text/plain", b"upstream timed out"),
        (
            {"error": {"code": "UNAVAILABLE", "message": "later"}, "status": 503},
            "application/json",
            b'{"error":{"code":"UNAVAILABLE","message":"later"},"status":503}',
        ),
    ],
)
def test_fail_next_sends_a_given_body_verbatim(
    emu: Emulator, body: str | bytes | dict[str, Any], content_type: str, expected: bytes
) -> None:
    status = 503 if isinstance(body, dict) else 502
    emu.fail_next(status, body=body, content_type=content_type)
    reply = call(emu, backups_path("my-index"))
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (
        status,
        expected,
        content_type,
    )
    assert int(reply.headers["Content-Length"]) == len(expected)


def test_fail_next_rejects_code_with_a_body(emu: Emulator) -> None:
    with pytest.raises(ValueError, match="code and message"):
        emu.fail_next(500, "UNKNOWN", body="x")


def test_respond_next_serves_the_docs_response(emu: Emulator) -> None:
    emu.respond_next(200, DOCS_EXAMPLE_RESPONSE, headers={"X-Custom": "yes"})
    reply = call(emu, backups_path("anything-at-all"))
    assert reply.status == 200 and reply.body == DOCS_EXAMPLE_RESPONSE.encode()
    assert reply.headers["X-Custom"] == "yes"
    assert emu.exchanges[-1].fault == "respond"


def test_respond_next_can_replace_default_headers(emu: Emulator) -> None:
    emu.respond_next(200, {"data": []}, headers={"x-pinecone-request-id": "fixed"})
    reply = call(emu, backups_path("my-index"))
    assert reply.headers.get_all("x-pinecone-request-id") == ["fixed"]
    assert reply.body == b'{"data":[]}'


def test_malformed_next(emu: Emulator) -> None:
    emu.malformed_next(times=2)
    for _ in range(2):
        reply = call(emu, backups_path("my-index"))
        assert reply.status == 200 and reply.body == b'{"data": ['
        with pytest.raises(ValueError):
            reply.json()
    assert emu.exchanges[-1].fault == "malformed"
    assert call(emu, backups_path("my-index")).json()["pagination"] is None


def test_faults_apply_in_fifo_order(emu: Emulator) -> None:
    emu.fail_next(500, times=2)
    emu.respond_next(200, "{}")
    emu.fail_next(503)
    statuses = [call(emu, backups_path("my-index")).status for _ in range(5)]
    assert statuses == [500, 500, 200, 503, 200]
    assert [exchange.fault for exchange in emu.exchanges] == [
        "fail",
        "fail",
        "respond",
        "fail",
        None,
    ]


def test_delay_next(emu: Emulator) -> None:
    delay = 0.3
    emu.delay_next(delay)
    started = time.monotonic()
    assert call(emu, backups_path("my-index")).status == 200
    assert delay <= time.monotonic() - started < 2
    started = time.monotonic()
    call(emu, backups_path("my-index"))
    assert time.monotonic() - started < delay  # the delay was for the next request only
    assert [exchange.fault for exchange in emu.exchanges] == [None, None]


def test_latency_applies_to_every_request(emulators: Callable[..., Emulator]) -> None:
    latency = 0.2
    emu = emulators(latency=latency)
    emu.fail_next(500)
    for status in (500, 200):
        started = time.monotonic()
        assert call(emu, backups_path("my-index")).status == status
        assert time.monotonic() - started >= latency
    emu.latency = 0
    started = time.monotonic()
    call(emu, backups_path("my-index"))
    assert time.monotonic() - started < latency  # the latency is no longer applied


def test_drop_next_closes_without_answering(emu: Emulator) -> None:
    emu.drop_next(times=2)
    for _ in range(2):
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            call(emu, backups_path("my-index"))
    assert call(emu, backups_path("my-index")).status == 200
    assert len(emu.requests) == 3 and len(emu.exchanges) == 1


def test_hang_next_never_answers(emu: Emulator) -> None:
    emu.hang_next()
    with closing(connect(emu, timeout=0.3)) as conn, pytest.raises(TimeoutError):
        call(emu, backups_path("my-index"), connection=conn)
    assert len(emu.requests) == 1 and emu.exchanges == []
    assert call(emu, backups_path("my-index")).status == 200


def test_clear_faults(emu: Emulator) -> None:
    emu.fail_next(500, times=3)
    emu.hang_next()
    emu.clear_faults()
    assert call(emu, backups_path("my-index")).status == 200


def test_reset_forgets_recordings_and_faults_but_keeps_data(emu: Emulator) -> None:
    emu.add_backup("kept")
    call(emu, backups_path("kept"))
    emu.fail_next(500)
    emu.reset()
    assert emu.requests == [] and emu.exchanges == []
    reply = call(emu, backups_path("kept"))
    assert reply.status == 200 and len(reply.json()["data"]) == 1
    assert len(emu.requests) == 1


@pytest.mark.parametrize(
    ("inject", "message"),
    [
        (lambda emu: emu.fail_next(99), "status"),
        (lambda emu: emu.fail_next(600), "status"),
        (lambda emu: emu.fail_next(500, times=0), "times"),
        (lambda emu: emu.respond_next(200, "{}", headers={"Bad\r\nName": "x"}), "header"),
        (lambda emu: emu.delay_next(-1), "seconds"),
        (lambda emu: emu.drop_next(times=-2), "times"),
    ],
)
def test_invalid_fault_arguments(
    emu: Emulator, inject: Callable[[Emulator], None], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        inject(emu)


# -- Wire-level and random faults -----------------------------------------------------------------


def normal_body(emu: Emulator, target: str = TARGET) -> bytes:
    """The body the emulated API gives for ``target`` (its listings are deterministic here)."""
    with closing(connect(emu)) as conn:
        conn.request("GET", target, headers=API_HEADERS)
        response = conn.getresponse()
        assert response.status == 200
        return response.read()


def outcome(emu: Emulator, target: str = TARGET) -> str:
    """What one request on a new connection got: ``"200"``, ``"503"``..., ``"drop"``, ``"reset"``,
    ``"cut"`` (a body cut short by a FIN) or ``"gzip"`` (a body that does not gunzip)."""
    with closing(connect(emu)) as conn:
        conn.request("GET", target, headers=API_HEADERS)
        try:
            response = conn.getresponse()
        except http.client.RemoteDisconnected:
            return "drop"
        try:
            body = response.read()
        except ConnectionResetError:
            return "reset"
        except http.client.IncompleteRead:
            return "cut"
        if response.headers.get("Content-Encoding") == "gzip":
            with pytest.raises((OSError, EOFError, zlib.error)):
                gzip.decompress(body)
            return "gzip"
        return str(response.status)


def decode_chunks(data: bytes) -> tuple[list[bytes], bytes, bool]:
    """``(complete chunks, data of a cut last chunk, whether the 0 chunk ended the stream)``."""
    chunks: list[bytes] = []
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            return chunks, b"", True
        if len(rest) < size + 2:
            return chunks, rest[:size], False
        chunks.append(rest[:size])
        data = rest[size + 2 :]
    return chunks, b"", False


def test_reset_next_sends_the_head_and_some_body_then_an_rst(emu: Emulator) -> None:
    body = normal_body(emu)
    assert len(body) > 250
    emu.reset()
    emu.reset_next(after_bytes=100)
    wire = raw_call(emu)
    assert wire.ending == "reset"  # an RST, not a FIN (which would read as b"")
    assert wire.status == 200
    assert wire.headers()["content-length"] == str(len(body))  # the full length is announced
    assert wire.body == body[:100]
    assert len(emu.requests) == 1 and emu.exchanges == []  # like a drop: nothing usable sent
    assert emu.fault_counts == {"reset": 1}
    assert normal_body(emu) == body


def test_reset_next_defaults_to_200_bytes_and_applies_times(emu: Emulator) -> None:
    body = normal_body(emu)
    emu.reset_next(times=2)
    for _ in range(2):
        wire = raw_call(emu)
        assert (wire.ending, wire.body) == ("reset", body[:200])
    assert outcome(emu) == "200"
    assert emu.fault_counts == {"reset": 2}


@pytest.mark.parametrize(("after_bytes", "sent"), [(0, 0), (10_000, -1)])
def test_reset_next_sends_at_most_all_but_the_last_byte(
    emu: Emulator, after_bytes: int, sent: int
) -> None:
    body = normal_body(emu)
    emu.reset_next(after_bytes=after_bytes)
    wire = raw_call(emu)
    assert wire.ending == "reset" and wire.body == body[:sent]


def test_reset_next_fails_an_http_client(emu: Emulator) -> None:
    emu.reset_next()
    assert outcome(emu) == "reset"


def test_trickle_next_sends_the_body_slowly_in_small_writes(emu: Emulator) -> None:
    body = normal_body(emu)
    interval, chunk = 0.05, 100
    writes = -(-len(body) // chunk)
    assert writes >= 5
    emu.trickle_next(interval=interval, chunk=chunk)
    started = time.monotonic()
    wire = raw_call(emu)
    elapsed = time.monotonic() - started
    assert wire.ending == "eof" and wire.status == 200
    assert wire.headers()["content-length"] == str(len(body)) and wire.body == body
    # Loose bounds: the server waits `interval` before each of its `writes` body writes, so the
    # body arrives in several reads, none larger than a few chunks, over at least most of that.
    assert elapsed >= 0.8 * writes * interval
    body_reads = [count for _, count in wire.reads[1:]]
    assert len(wire.reads) >= 3 and max(body_reads, default=0) <= 3 * chunk
    assert emu.exchanges[-1].fault == "trickle" and emu.exchanges[-1].body == body
    assert emu.fault_counts == {"trickle": 1}


def test_trickle_next_keeps_the_connection_alive(emu: Emulator) -> None:
    body = normal_body(emu)
    emu.trickle_next(interval=0.01, chunk=200)
    with closing(connect(emu)) as conn:
        for _ in range(2):
            conn.request("GET", TARGET, headers=API_HEADERS)
            response = conn.getresponse()
            assert response.status == 200 and response.read() == body
    assert [exchange.fault for exchange in emu.exchanges] == [None, "trickle", None]


def test_wrong_length_next_overstates_the_length_then_closes(emu: Emulator) -> None:
    body = normal_body(emu)
    emu.wrong_length_next(extra=7)
    wire = raw_call(emu, raw_request(close=False))  # the server closes anyway
    assert wire.ending == "eof" and wire.status == 200
    headers = wire.headers()
    assert headers["content-length"] == str(len(body) + 7) and "connection" not in headers
    assert wire.body == body
    exchange = emu.exchanges[-1]
    assert exchange.fault == "wrong_length" and exchange.body == body
    assert exchange.headers["Content-Length"] == str(len(body) + 7)


def test_wrong_length_next_gives_an_http_client_an_incomplete_read(emu: Emulator) -> None:
    body = normal_body(emu)
    emu.wrong_length_next(times=2)
    for _ in range(2):
        with closing(connect(emu)) as conn:
            conn.request("GET", TARGET, headers=API_HEADERS)
            response = conn.getresponse()
            with pytest.raises(http.client.IncompleteRead) as error:
                response.read()
            assert error.value.partial == body and error.value.expected == 100
    assert outcome(emu) == "200"
    assert emu.fault_counts == {"wrong_length": 2}


def test_chunked_cut_next_cuts_a_chunked_body_mid_chunk(emu: Emulator) -> None:
    body = normal_body(emu)
    emu.chunked_cut_next()
    wire = raw_call(emu, raw_request(close=False))
    assert wire.ending == "eof" and wire.status == 200
    headers = wire.headers()
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    chunks, cut, ended = decode_chunks(wire.body)
    assert not ended and len(chunks) == 1 and cut
    announced = int(wire.body.split(b"\r\n")[2], 16)
    assert len(cut) < announced  # cut in the middle of the second chunk
    assert body.startswith(chunks[0] + cut) and len(chunks[0]) + announced == len(body)
    assert len(emu.requests) == 2 and len(emu.exchanges) == 1  # the first request's only
    assert emu.fault_counts == {"chunked_cut": 1}


def test_chunked_cut_next_gives_an_http_client_an_incomplete_read(emu: Emulator) -> None:
    emu.chunked_cut_next()
    assert outcome(emu) == "cut"
    assert outcome(emu) == "200"


def test_gzip_garbage_next_sends_a_gzip_header_then_garbage(emu: Emulator) -> None:
    emu.gzip_garbage_next(times=2)
    for _ in range(2):
        with closing(connect(emu)) as conn:
            conn.request("GET", TARGET, headers={**API_HEADERS, "Accept-Encoding": "gzip"})
            response = conn.getresponse()
            body = response.read()
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"] == "application/json"
        assert int(response.headers["Content-Length"]) == len(body)
        assert body[:3] == b"\x1f\x8b\x08"  # gzip magic, deflate
        with pytest.raises(zlib.error):
            zlib.decompress(body, wbits=31)
        with pytest.raises((OSError, EOFError, zlib.error)):
            gzip.decompress(body)
    assert [exchange.fault for exchange in emu.exchanges] == ["gzip_garbage"] * 2
    assert outcome(emu) == "200"


@pytest.mark.parametrize("chunked", [False, True])
def test_huge_body_next_streams_size_bytes_of_a_json_prefix(emu: Emulator, chunked: bool) -> None:
    size = 3 * 1024 * 1024 + 5
    emu.huge_body_next(size=size, chunked=chunked)
    with closing(connect(emu)) as conn:
        conn.request("GET", TARGET, headers=API_HEADERS)
        response = conn.getresponse()
        body = response.read()
        if chunked:
            assert response.headers["Transfer-Encoding"] == "chunked"
            assert "Content-Length" not in response.headers
        else:
            assert response.headers["Content-Length"] == str(size)
        assert response.status == 200 and len(body) == size
        assert body.startswith(b'{"data": [') and body[10:].strip(b" ") == b""
        with pytest.raises(ValueError):
            json.loads(body)
        conn.request("GET", TARGET, headers=API_HEADERS)  # the connection is still usable
        assert conn.getresponse().read() == normal_body(emu)
    exchange = emu.exchanges[0]
    assert exchange.fault == "huge_body" and exchange.body == b'{"data": ['
    assert emu.fault_counts == {"huge_body": 1}


def test_huge_body_next_chunk_framing_is_complete(emu: Emulator) -> None:
    emu.huge_body_next(size=200_000, chunked=True)
    wire = raw_call(emu)
    chunks, cut, ended = decode_chunks(wire.body)
    assert ended and not cut and wire.ending == "eof"
    assert len(b"".join(chunks)) == 200_000 and max(len(chunk) for chunk in chunks) <= 65536


@pytest.mark.parametrize(("size", "body"), [(0, b""), (3, b'{"d')])
def test_huge_body_next_smaller_than_its_prefix(emu: Emulator, size: int, body: bytes) -> None:
    emu.huge_body_next(size=size)
    wire = raw_call(emu)
    assert wire.headers()["content-length"] == str(size) and wire.body == body


def test_huge_body_next_is_streamed_not_held_in_memory(emu: Emulator) -> None:
    size = 32 * 1024 * 1024
    emu.huge_body_next(size=size)
    received = 0
    tracemalloc.start()
    try:
        with socket.create_connection(address(emu), timeout=10) as sock:
            sock.sendall(raw_request())
            while data := sock.recv(65536):
                received += len(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received > size
    assert peak < 4 * 1024 * 1024  # a few 64 KiB blocks, never the 32 MiB body


def test_huge_body_next_stops_quietly_when_the_client_hangs_up(
    emu: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    emu.huge_body_next()  # 100 MiB
    with socket.create_connection(address(emu), timeout=10) as sock:
        sock.sendall(raw_request())
        received = b""
        while len(received) < 300_000:
            received += sock.recv(65536)
    assert received.partition(b"\r\n\r\n")[2].startswith(b'{"data": [')
    # Unread data makes the close an RST, so the server's next write fails at once.
    assert outcome(emu) == "200"
    time.sleep(0.1)
    assert capfd.readouterr() == ("", "")
    assert emu.observer_errors == []


def test_head_requests_get_only_the_head(emu: Emulator) -> None:
    emu.huge_body_next(size=10_000_000)
    emu.trickle_next(interval=5)  # the API's answer to HEAD is a 405 ErrorResponse
    started = time.monotonic()
    for status in (200, 405):
        wire = raw_call(emu, raw_request(method="HEAD"))
        assert wire.status == status and wire.body == b"" and wire.ending == "eof"
        assert int(wire.headers()["content-length"]) > 0
    assert time.monotonic() - started < 5  # nothing was trickled


def test_stop_returns_promptly_with_trickled_and_huge_bodies_in_progress() -> None:
    emu = Emulator().start()
    check = attach(emu)
    emu.trickle_next(interval=10, chunk=1)
    emu.huge_body_next()  # 100 MiB to a client that never reads it
    emu.huge_body_next(chunked=True)
    heads: list[bytes] = []
    endings: list[str] = []

    def client() -> None:
        with socket.create_connection(address(emu), timeout=20) as sock:
            sock.sendall(raw_request(close=False))
            heads.append(sock.recv(100))
            time.sleep(0.5)  # the huge bodies fill the socket buffers meanwhile
            try:
                while sock.recv(1024 * 1024):
                    pass
                endings.append("eof")
            except OSError as error:
                endings.append(type(error).__name__)

    clients = [threading.Thread(target=client) for _ in range(3)]
    for thread in clients:
        thread.start()
    wait_for(lambda: len(heads) == 3)
    time.sleep(0.2)
    started = time.monotonic()
    emu.stop()
    assert time.monotonic() - started < 2
    for thread in clients:
        thread.join(10)
    assert not any(thread.is_alive() for thread in clients)
    assert all(head.startswith(b"HTTP/1.1 200 ") for head in heads)
    assert len(endings) == 3  # every client saw its connection end (none timed out)
    assert emu.fault_counts == {"trickle": 1, "huge_body": 2}
    check.assert_clean()


@pytest.mark.parametrize(
    "retry_after",
    [
        "2",
        "0",
        email.utils.format_datetime(
            datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=30), usegmt=True
        ),
        "Wed, 21 Oct 2015 07:28:00 GMT",
    ],
)
@pytest.mark.parametrize("status", [429, 503])
def test_fail_next_sends_retry_after_as_given(emu: Emulator, status: int, retry_after: str) -> None:
    emu.fail_next(status, headers={"Retry-After": retry_after})
    wire = raw_call(emu)
    assert wire.status == status
    assert wire.headers()["retry-after"] == retry_after
    assert json.loads(wire.body)["status"] == status
    if not retry_after.isdigit():
        assert email.utils.parsedate_to_datetime(retry_after).tzinfo is not None
    assert emu.exchanges[-1].headers["Retry-After"] == retry_after


def outcomes(emu: Emulator, count: int) -> list[str]:
    return [outcome(emu) for _ in range(count)]


def test_random_faults_at_rate_1_faults_every_request(emu: Emulator) -> None:
    emu.random_faults(1.0, seed=7)
    seen = outcomes(emu, 40)
    assert "200" not in seen
    assert set(seen) == {"503", "500", "drop", "reset"}  # the default kinds
    counts = emu.fault_counts
    assert sum(counts.values()) == 40 and set(counts) == {"fail", "drop", "reset"}
    assert counts["fail"] == seen.count("503") + seen.count("500")
    assert counts["drop"] == seen.count("drop") and counts["reset"] == seen.count("reset")
    assert len(emu.requests) == 40
    assert len(emu.exchanges) == counts["fail"]
    assert all(exchange.fault == "fail" for exchange in emu.exchanges)


def test_random_faults_at_rate_0_faults_nothing(emu: Emulator) -> None:
    emu.random_faults(0, seed=7)
    assert outcomes(emu, 10) == ["200"] * 10
    emu.random_faults(1.0, kinds=(503,))
    assert outcomes(emu, 3) == ["503"] * 3
    emu.random_faults(0)  # turns it off
    assert outcomes(emu, 10) == ["200"] * 10
    assert emu.fault_counts == {"fail": 3}


def test_random_faults_are_deterministic_with_a_seed(
    emulators: Callable[..., Emulator],
) -> None:
    runs = []
    for seed in (1234, 1234, 99):
        emu = emulators()
        emu.random_faults(0.5, seed=seed)
        runs.append(outcomes(emu, 40))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert "200" in runs[0] and len(set(runs[0])) >= 3


def test_random_faults_restart_their_sequence_when_set_again(emu: Emulator) -> None:
    emu.random_faults(0.5, seed="a seed")
    first = outcomes(emu, 20)
    emu.random_faults(0.5, seed="a seed")
    assert outcomes(emu, 20) == first


def test_random_faults_counts_add_up(emu: Emulator) -> None:
    emu.random_faults(0.6, seed=3)
    seen = outcomes(emu, 60)
    counts = emu.fault_counts
    faulted = [result for result in seen if result != "200"]
    assert 0 < len(faulted) < 60
    assert sum(counts.values()) == len(faulted)
    assert counts.get("fail", 0) == seen.count("500") + seen.count("503")
    assert counts.get("drop", 0) == seen.count("drop")
    assert counts.get("reset", 0) == seen.count("reset")
    assert len(emu.requests) == 60
    assert len(emu.exchanges) == 60 - seen.count("drop") - seen.count("reset")
    assert sum(exchange.fault is None for exchange in emu.exchanges) == seen.count("200")


def test_queued_faults_win_and_do_not_shift_the_random_sequence(
    emulators: Callable[..., Emulator],
) -> None:
    plain = emulators()
    plain.random_faults(0.5, kinds=(503,), seed=11)
    expected = outcomes(plain, 20)
    emu = emulators()
    emu.random_faults(0.5, kinds=(503,), seed=11)
    emu.respond_next(200, b'{"data":[]}', times=2)
    emu.fail_next(418)
    seen = outcomes(emu, 20)
    assert seen[:3] == ["200", "200", "418"]
    assert seen[3:] == expected[3:]
    assert emu.fault_counts == {"respond": 2, "fail": 1 + expected[3:].count("503")}


def test_random_faults_of_named_kinds(emu: Emulator) -> None:
    kinds: tuple[int | RandomFaultKind, ...] = (
        429,
        "malformed",
        "gzip_garbage",
        "wrong_length",
        "chunked_cut",
    )
    emu.random_faults(1.0, kinds=kinds, seed=5)
    seen = outcomes(emu, 50)
    counts = emu.fault_counts
    assert set(counts) == {"fail", "malformed", "gzip_garbage", "wrong_length", "chunked_cut"}
    assert counts["fail"] == seen.count("429") and counts["gzip_garbage"] == seen.count("gzip")
    assert counts["malformed"] == seen.count("200")  # a 200 with cut-short JSON
    assert counts["wrong_length"] + counts["chunked_cut"] == seen.count("cut")
    assert sum(counts.values()) == 50
    recorded = [exchange.fault for exchange in emu.exchanges]
    assert len(recorded) == 50 - counts["chunked_cut"]  # a cut chunked body records nothing
    assert recorded.count("wrong_length") == counts["wrong_length"]


def test_random_faults_survive_reset_and_clear_faults(emu: Emulator) -> None:
    emu.random_faults(1.0, kinds=(500,))
    emu.fail_next(503)
    emu.clear_faults()
    assert outcome(emu) == "500"
    emu.reset()
    assert emu.fault_counts == {} and emu.requests == []
    assert outcome(emu) == "500"
    emu.random_faults(0)
    assert outcome(emu) == "200"


@pytest.mark.parametrize(
    ("rate", "kinds", "message"),
    [
        (-0.1, (503,), "rate"),
        (1.5, (503,), "rate"),
        (True, (503,), "rate"),
        ("0.5", (503,), "rate"),
        (0.5, (), "kinds"),
        (0.5, "drop", "kinds"),
        (0.5, ("fail",), "random fault kind"),
        (0.5, ("delay",), "random fault kind"),
        (0.5, ("nope",), "random fault kind"),
        (0.5, (99,), "status"),
    ],
)
def test_random_faults_rejects_bad_arguments(
    emu: Emulator, rate: Any, kinds: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        emu.random_faults(rate, kinds=kinds)
    assert outcome(emu) == "200"  # nothing was turned on


def test_every_kind_is_counted_and_recorded_in_fifo_order(emu: Emulator) -> None:
    emu.fail_next(503)
    emu.respond_next(200, b'{"data":[]}')
    emu.malformed_next()
    emu.delay_next(0.01)
    emu.drop_next()
    emu.reset_next()
    emu.trickle_next(interval=0.001, chunk=256)
    emu.wrong_length_next()
    emu.chunked_cut_next()
    emu.gzip_garbage_next()
    emu.huge_body_next(size=1000)
    emu.hang_next()
    expected = ["503", "200", "200", "200", "drop", "reset", "200", "cut", "cut", "gzip", "200"]
    assert outcomes(emu, 11) == expected
    with closing(connect(emu, timeout=0.3)) as conn:
        conn.request("GET", TARGET, headers=API_HEADERS)
        with pytest.raises(TimeoutError):
            conn.getresponse()
    expected_kinds = set(get_args(FaultKind))
    assert emu.fault_counts == dict.fromkeys(expected_kinds, 1)
    assert len(emu.requests) == 12
    assert [exchange.fault for exchange in emu.exchanges] == [
        "fail",
        "respond",
        "malformed",
        None,  # delayed, otherwise normal
        "trickle",
        "wrong_length",
        "gzip_garbage",
        "huge_body",
    ]
    assert outcome(emu) == "200"


def test_every_fault_is_declared_once_with_its_kind_and_method() -> None:
    """testing/_faults.py declares each fault: its kind in the literals, its ``*_next`` method,
    and for a kind ``random_faults`` picks by name the factory it injects; they agree."""
    kinds = set(get_args(FaultKind))
    methods = {name.removesuffix("_next") for name in dir(Emulator) if name.endswith("_next")}
    assert methods == kinds
    for kind in kinds:
        doc = getattr(Emulator, f"{kind}_next").__doc__
        assert doc and doc.strip().splitlines()[0].endswith("."), kind  # its one-line summary
    assert set(get_args(RandomFaultKind)) == set(_faults._RANDOM) <= kinds
    for kind, make in _faults._RANDOM.items():
        assert make().kind == kind  # the *_next method's fault, with its defaults


@pytest.mark.parametrize(
    ("inject", "message"),
    [
        (lambda emu: emu.reset_next(after_bytes=-1), "after_bytes"),
        (lambda emu: emu.reset_next(times=0), "times"),
        (lambda emu: emu.trickle_next(interval=-1), "interval"),
        (lambda emu: emu.trickle_next(interval=float("inf")), "interval"),
        (lambda emu: emu.trickle_next(chunk=0), "chunk"),
        (lambda emu: emu.wrong_length_next(extra=0), "extra"),
        (lambda emu: emu.chunked_cut_next(times=-1), "times"),
        (lambda emu: emu.gzip_garbage_next(times=0), "times"),
        (lambda emu: emu.huge_body_next(size=-1), "size"),
        (lambda emu: emu.huge_body_next(size=1.5), "size"),
    ],
)
def test_invalid_new_fault_arguments(
    emu: Emulator, inject: Callable[[Emulator], None], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        inject(emu)
    assert outcome(emu) == "200"
