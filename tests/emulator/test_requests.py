"""How the emulator reads requests and answers them: the API key and the version header, other
paths and methods, HEAD, response headers, recorded requests (headers, bodies, chunked bodies),
and invalid HTTP."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from contextlib import closing

import pytest

from pinecone_backups.testing import (
    Emulator,
    Headers,
)
from tests.helpers import API_HEADERS, assert_error, backups_path, call, connect, raw_call


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Pinecone-Api-Version": "2025-10"},
        {"Api-Key": "wrong", "X-Pinecone-Api-Version": "2025-10"},
        {"Api-Key": "TEST-KEY", "X-Pinecone-Api-Version": "2025-10"},
        {"Api-Key": "wrong"},  # the key is checked before the version header
    ],
)
def test_bad_api_key_is_401(emu: Emulator, headers: dict[str, str]) -> None:
    reply = call(emu, backups_path("my-index"), headers=headers)
    assert reply.status == 401
    assert reply.json() == {
        "error": {"code": "UNAUTHENTICATED", "message": "Invalid API key."},
        "status": 401,
    }


def test_api_key_header_name_is_case_insensitive(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(api_key="s3cret")
    assert emu.api_key == "s3cret"
    headers = {"api-key": "s3cret", "x-pinecone-api-version": "2025-10"}
    assert call(emu, backups_path("my-index"), headers=headers).status == 200


def test_missing_version_header_is_400(emu: Emulator) -> None:
    reply = call(emu, backups_path("my-index"), headers={"Api-Key": "test-key"})
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "X-Pinecone-Api-Version" in reply.json()["error"]["message"]


@pytest.mark.parametrize("version", ["2025-04", "2024-07", "", "2025-10 "])
def test_unsupported_version_is_400(emu: Emulator, version: str) -> None:
    headers = {"Api-Key": "test-key", "X-Pinecone-Api-Version": version}
    reply = call(emu, backups_path("my-index"), headers=headers)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "2025-10" in reply.json()["error"]["message"]


def test_accepted_versions_are_configurable(emulators: Callable[..., Emulator]) -> None:
    assert emulators().api_versions == ("2025-10", "2026-04", "2026-07")
    emu = emulators(api_versions=("2026-07", "2026-04"))
    assert emu.api_versions == ("2026-07", "2026-04")
    for version, status in (("2026-04", 200), ("2026-07", 200), ("2025-10", 400)):
        headers = {"Api-Key": "test-key", "X-Pinecone-Api-Version": version}
        assert call(emu, backups_path("my-index"), headers=headers).status == status
    reply = call(emu, backups_path("my-index"))
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "Supported versions: 2026-07, 2026-04." in reply.json()["error"]["message"]


@pytest.mark.parametrize("versions", [("2025-04",), ("2025-10", "2027-01"), ("2026-07 ",)])
def test_only_the_versions_the_emulator_speaks_can_be_accepted(versions: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="the emulator speaks 2025-10, 2026-04, 2026-07"):
        Emulator(api_versions=versions)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/indexes/",  # /indexes and /indexes/{index_name} are served (test_indexes.py)
        "/indexes/my-index/other",
        "/collections",
        "/indexes/my-index/backups/",
        "/backups/a/b",
        "/indexes//backups",
    ],
)
def test_other_paths_are_404(emu: Emulator, path: str) -> None:
    assert_error(call(emu, path), 404, "NOT_FOUND")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_on_the_backups_path_are_405(emu: Emulator, method: str) -> None:
    reply = call(emu, backups_path("my-index"), method=method, body=b"{}")
    assert_error(reply, 405, "UNKNOWN")
    assert reply.headers["Allow"] == "GET, POST"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_without_the_lifecycle_only_get_is_served(
    emulators: Callable[..., Emulator], method: str
) -> None:
    emu = emulators(lifecycle=False)
    reply = call(emu, backups_path("my-index"), method=method, body=b"{}")
    assert_error(reply, 405, "UNKNOWN")
    assert reply.headers["Allow"] == "GET"


def test_head_gets_headers_only(emu: Emulator) -> None:
    with closing(connect(emu)) as conn:
        reply = call(emu, backups_path("my-index"), method="HEAD", connection=conn)
        assert reply.status == 405 and reply.body == b""
        assert int(reply.headers["Content-Length"]) == len(emu.exchanges[-1].body) > 0
        assert call(emu, backups_path("my-index"), connection=conn).status == 200  # still in sync


def test_response_headers(emu: Emulator) -> None:
    ids = set()
    for path in (backups_path("my-index"), backups_path("nope"), "/elsewhere"):
        reply = call(emu, path)
        assert reply.headers["Content-Type"] == "application/json"
        assert int(reply.headers["Content-Length"]) == len(reply.body)
        request_id = reply.headers["x-pinecone-request-id"]
        assert uuid.UUID(request_id).version == 4
        ids.add(request_id)
        assert emu.exchanges[-1].headers["X-Pinecone-Request-Id"] == request_id
    assert len(ids) == 3


def test_requests_are_recorded(emu: Emulator) -> None:
    before = time.monotonic()
    headers = {**API_HEADERS, "X-Extra": "1"}
    call(emu, "/indexes/my-index/backups?limit=5&foo=a&foo=b&empty=", headers=headers)
    call(emu, backups_path("my-index"), method="POST", body=b'{"name":"x"}')
    first, second = emu.requests
    assert (first.method, first.path, first.raw_query) == (
        "GET",
        "/indexes/my-index/backups",
        "limit=5&foo=a&foo=b&empty=",
    )
    assert first.query == {"limit": ["5"], "foo": ["a", "b"], "empty": [""]}
    assert first.headers["API-KEY"] == "test-key" and "x-extra" in first.headers
    assert (first.index_name, first.body) == ("my-index", b"")
    assert before <= first.received_at <= second.received_at <= time.monotonic()
    assert (second.method, second.body) == ("POST", b'{"name":"x"}')
    assert [exchange.request for exchange in emu.exchanges] == [first, second]
    assert emu.exchanges[0].json()["data"][0]["backup_id"] == "bkp_789xyz"


def test_repeated_request_headers_are_kept(emu: Emulator) -> None:
    with closing(connect(emu)) as conn:
        conn.putrequest("GET", backups_path("my-index"), skip_accept_encoding=True)
        conn.putheader("Api-Key", "test-key")
        conn.putheader("X-Pinecone-Api-Version", "2025-10")
        conn.putheader("X-Tag", "one")
        conn.putheader("x-tag", "two")
        conn.endheaders()
        assert conn.getresponse().status == 200
    headers = emu.requests[-1].headers
    assert headers["X-TAG"] == "one"
    assert headers.get_all("x-Tag") == ["one", "two"]
    assert headers.get_all("missing") == []
    assert list(headers).count("X-Tag") == 1 and len(headers) == len(set(headers))


def test_chunked_request_body_is_read(emu: Emulator) -> None:
    with closing(connect(emu)) as conn:
        conn.request(
            "POST", backups_path("my-index"), body=iter([b"ab", b"cde"]), headers=API_HEADERS
        )
        assert conn.getresponse().read() and emu.requests[-1].body == b"abcde"
        assert call(emu, backups_path("my-index"), connection=conn).status == 200


def test_headers_mapping() -> None:
    headers = Headers([("Content-Type", "a"), ("content-type", "b"), ("X", "c")])
    assert headers["CONTENT-TYPE"] == "a" and headers.get("x") == "c" and headers.get("y") is None
    assert list(headers) == ["Content-Type", "X"]
    assert dict(headers) == {"Content-Type": "a", "X": "c"}
    assert headers.get_all("Content-type") == ["a", "b"]


def test_invalid_http_gets_a_json_error(emu: Emulator) -> None:
    wire = raw_call(emu, b"NONSENSE\r\n\r\n", timeout=5)
    assert wire.ending == "eof"
    head, body = wire.head, wire.body
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Content-Type: application/json" in head and b"Connection: close" in head
    assert json.loads(body)["error"]["code"] == "INVALID_ARGUMENT"
    assert emu.requests == []  # not a request the emulator could record
