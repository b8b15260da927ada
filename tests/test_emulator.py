"""Tests of the list_index_backups emulator, over HTTP, each exchange checked against the spec."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from helpers import API_HEADERS, connect, raw_call, wait_for
from pinecone_backups.testing import (
    DOCS_EXAMPLE_BACKUP,
    DOCS_EXAMPLE_RESPONSE,
    LAST_PAGE_STYLES,
    SPEC_EXAMPLE_RESPONSE,
    Emulator,
    Exchange,
    Headers,
    LastPageStyle,
    RecordedRequest,
)
from spec_validation import SpecValidator, attach, normalise_last_page

RFC3339_MICROS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
LAST_PAGE_ENDINGS: dict[LastPageStyle, bytes] = {
    "null": b'],"pagination":null}',
    "missing": b"]}",
    "empty": b'],"pagination":{}}',
    "next-null": b'],"pagination":{"next":null}}',
    "next-empty": b'],"pagination":{"next":""}}',
}


# -- helpers -------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    emu: Emulator,
    target: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    """Send one request (``target`` is sent exactly as given) and read the whole response."""
    conn = connection or connect(emu)
    try:
        conn.request(method, target, body=body, headers=API_HEADERS if headers is None else headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if connection is None:
            conn.close()


def backups_path(index_name: str, **query: str) -> str:
    path = f"/indexes/{quote(index_name, safe='')}/backups"
    if query:
        path += "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in query.items())
    return path


def walk(emu: Emulator, index_name: str, limit: int) -> list[Reply]:
    """Every page of ``index_name``, sending ``limit`` on the first request only."""
    pages = [call(emu, backups_path(index_name, limit=str(limit)))]
    while (pagination := pages[-1].json().get("pagination")) and pagination.get("next"):
        pages.append(call(emu, backups_path(index_name, paginationToken=pagination["next"])))
    return pages


def assert_error(reply: Reply, status: int, code: str, message: str | None = None) -> None:
    assert reply.status == status, reply.body
    document = reply.json()
    assert document["status"] == status
    assert document["error"]["code"] == code
    if message is not None:
        assert document["error"]["message"] == message


# -- seed data and constants ---------------------------------------------------------------------


def test_docs_example_constants_match_the_docs_text() -> None:
    document = json.loads(DOCS_EXAMPLE_RESPONSE)
    assert document["pagination"] is None
    assert document["data"] == [DOCS_EXAMPLE_BACKUP]
    assert DOCS_EXAMPLE_BACKUP["created_at"] == "2025-03-11T18:29:50.549505Z"
    assert DOCS_EXAMPLE_BACKUP["tags"] == {}


def test_spec_example_constant_matches_the_spec_file() -> None:
    operation = SpecValidator().app.spec / "paths" / "/indexes/{index_name}/backups" / "get"
    media_type = operation / "responses" / "200" / "content" / "application/json"
    assert (media_type / "examples" / "backups" / "value").read_value() == SPEC_EXAMPLE_RESPONSE
    assert [b["created_at"] for b in SPEC_EXAMPLE_RESPONSE["data"]] == [
        "2024-03-15T10:30:00Z",
        "2024-03-20T15:45:00Z",
    ]


def test_seeded_docs_example_serves_the_docs_backup_byte_for_byte(emu: Emulator) -> None:
    docs_item = DOCS_EXAMPLE_RESPONSE[len('{"data":[') : -len('],"pagination":null}')]
    reply = call(emu, backups_path("docs-example"))
    assert reply.status == 200
    assert reply.body.startswith(b'{"data":[' + docs_item.encode() + b",")
    document = reply.json()
    assert len(document["data"]) == 3
    assert document["data"][0] == DOCS_EXAMPLE_BACKUP
    assert document["pagination"] is None
    created = [backup["created_at"] for backup in document["data"]]
    assert created == sorted(created, reverse=True)
    for older in document["data"][1:]:
        assert older["source_index_id"] == DOCS_EXAMPLE_BACKUP["source_index_id"]
        assert older["source_index_name"] == "docs-example"


def test_seeded_my_index_serves_the_spec_example_newest_first(emu: Emulator) -> None:
    document = call(emu, backups_path("my-index")).json()
    assert document == {"data": SPEC_EXAMPLE_RESPONSE["data"][::-1], "pagination": None}
    assert [b["backup_id"] for b in document["data"]] == ["bkp_789xyz", "bkp_123abc"]


def test_seeded_empty_index(emu: Emulator) -> None:
    reply = call(emu, backups_path("empty-index"))
    assert reply.status == 200
    assert reply.body == b'{"data":[],"pagination":null}'


def test_seeded_big_index(emu: Emulator) -> None:
    backups = emu.backups("big-index")
    assert len(backups) == 25
    created = [backup["created_at"] for backup in backups]
    assert len(set(created)) == 25
    assert created == sorted(created, reverse=True)
    assert all(RFC3339_MICROS.fullmatch(value) for value in created)
    assert len({backup["backup_id"] for backup in backups}) == 25
    assert {backup["source_index_id"] for backup in backups} == {emu.add_index("big-index")}
    assert call(emu, backups_path("big-index", limit="100")).json()["data"] == backups


def test_seed_is_the_same_on_every_run(emulators: Callable[..., Emulator]) -> None:
    assert emulators().backups("big-index") == emulators().backups("big-index")


def test_no_seed(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    for name in ("docs-example", "my-index", "empty-index", "big-index"):
        assert_error(call(emu, backups_path(name)), 404, "NOT_FOUND", f"Index {name} not found.")


# -- authentication and version header ----------------------------------------------------------


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
    emu = emulators(api_versions=("2025-10", "2025-04"))
    headers = {"Api-Key": "test-key", "X-Pinecone-Api-Version": "2025-04"}
    assert call(emu, backups_path("my-index"), headers=headers).status == 200
    assert emu.api_versions == ("2025-10", "2025-04")


# -- limit and pagination tokens -----------------------------------------------------------------


@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("7", 7), ("010", 10), ("100", 25)])
def test_valid_limit(emu: Emulator, limit: str, count: int) -> None:
    reply = call(emu, backups_path("big-index", limit=limit))
    assert reply.status == 200
    assert len(reply.json()["data"]) == count


def test_a_zero_padded_limit_of_any_length_is_read() -> None:
    # Beyond what the spec validator parses (Python refuses int() of over 4,300 digits): no
    # spec check here.
    with Emulator() as emu:
        reply = call(emu, backups_path("big-index", limit="0" * 5000 + "10"))
    assert reply.status == 200
    assert len(reply.json()["data"]) == 10


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=-1", "limit=abc", "limit=", "limit=1.5", "limit=1e1"]
)
def test_invalid_limit_is_400(emu: Emulator, query: str) -> None:
    assert_error(call(emu, f"/indexes/big-index/backups?{query}"), 400, "INVALID_ARGUMENT")


def test_repeated_limit_is_400(emu: Emulator) -> None:
    reply = call(emu, "/indexes/big-index/backups?limit=5&limit=5")
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_default_page_size(emulators: Callable[..., Emulator]) -> None:
    assert len(call(emulators(), backups_path("big-index")).json()["data"]) == 10
    small = emulators(default_page_size=3)
    assert small.default_page_size == 3
    assert len(call(small, backups_path("big-index")).json()["data"]) == 3


def test_token_looks_like_padded_standard_base64_with_plus_and_slash(emu: Emulator) -> None:
    for limit in ("1", "2", "3", "10"):  # different payload lengths
        token = call(emu, backups_path("big-index", limit=limit)).json()["pagination"]["next"]
        assert "+" in token and "/" in token and token.endswith("=")
        assert len(token) % 4 == 0
        assert base64.b64encode(base64.b64decode(token, validate=True)).decode() == token


def test_token_round_trips_when_percent_encoded(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="4")).json()["pagination"]["next"]
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={quote(token, safe='')}")
    assert reply.status == 200
    assert reply.json()["data"] == emu.backups("big-index")[4:8]
    recorded = emu.requests[-1]
    assert recorded.query == {"paginationToken": [token]}
    assert "%2B" in recorded.raw_query and "%2F" in recorded.raw_query


def test_unencoded_token_is_rejected(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="4")).json()["pagination"]["next"]
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={token}")
    assert_error(reply, 400, "INVALID_ARGUMENT", "Invalid pagination token.")
    assert emu.requests[-1].query["paginationToken"][0].startswith(" /")  # "+" read as a space


def test_page_size_comes_from_the_token(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="7")).json()["pagination"]["next"]
    second = call(emu, backups_path("big-index", limit="2", paginationToken=token))
    assert second.status == 200
    assert second.json()["data"] == emu.backups("big-index")[7:14]
    third_token = second.json()["pagination"]["next"]
    third = call(emu, backups_path("big-index", paginationToken=third_token))
    assert third.json()["data"] == emu.backups("big-index")[14:21]


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_limit_sent_with_a_token_is_still_validated(emu: Emulator, limit: str) -> None:
    token = call(emu, backups_path("big-index", limit="7")).json()["pagination"]["next"]
    reply = call(emu, backups_path("big-index", limit=limit, paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")


def _forged(payload: bytes) -> str:
    return base64.b64encode(payload).decode()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        "dXNlcl9pZD11c2VyXzE=",  # the spec example's token
        "+/8fxqokeyJpbmRleCI6",  # cut short
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":0,"size":10}'),
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":10,"size":101}'),
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":true,"size":10}'),
        _forged(b'\x00\x00\x00\x00\x00\x00{"index":"big-index","offset":10,"size":10}'),
    ],
)
def test_invalid_token_is_400(emu: Emulator, token: str) -> None:
    reply = call(emu, backups_path("big-index", paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_token_of_another_index_is_400(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="1")).json()["pagination"]["next"]
    reply = call(emu, backups_path("docs-example", paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "docs-example" in reply.json()["error"]["message"]


def test_repeated_token_is_400(emu: Emulator) -> None:
    token = quote(call(emu, backups_path("big-index", limit="1")).json()["pagination"]["next"])
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={token}&paginationToken={token}")
    assert_error(reply, 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("style", LAST_PAGE_STYLES)
def test_walk_big_index_in_three_pages(
    emulators: Callable[..., Emulator], style: LastPageStyle
) -> None:
    emu = emulators(last_page=style)
    pages = walk(emu, "big-index", limit=10)
    assert [len(page.json()["data"]) for page in pages] == [10, 10, 5]
    assert [item for page in pages for item in page.json()["data"]] == emu.backups("big-index")
    for page in pages[:2]:
        assert page.body.endswith(
            b'],"pagination":{"next":"' + page.json()["pagination"]["next"].encode() + b'"}}'
        )
    assert pages[2].body.endswith(LAST_PAGE_ENDINGS[style])
    assert emu.requests[0].query == {"limit": ["10"]}
    assert all("limit" not in r.query for r in emu.requests[1:])


@pytest.mark.parametrize("style", LAST_PAGE_STYLES)
def test_last_page_style_can_change_while_running(emu: Emulator, style: LastPageStyle) -> None:
    emu.last_page = style
    assert emu.last_page == style
    assert call(emu, backups_path("empty-index")).body == b'{"data":[' + LAST_PAGE_ENDINGS[style]
    assert call(emu, backups_path("my-index")).body.endswith(LAST_PAGE_ENDINGS[style])


def test_unknown_index_is_404(emu: Emulator) -> None:
    reply = call(emu, backups_path("no-such-index"))
    assert reply.json() == {
        "error": {"code": "NOT_FOUND", "message": "Index no-such-index not found."},
        "status": 404,
    }


# -- ordering and data ---------------------------------------------------------------------------


def test_backups_are_listed_newest_first(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    emu.add_backup("idx", name="b", created_at="2025-02-01T00:00:00Z")
    emu.add_backup("idx", name="no-date", created_at="yesterday")  # oldest: not a timestamp
    emu.add_backup("idx", name="d", created_at="2025-03-01T00:00:00.000000001Z")
    emu.add_backup("idx", name="a", created_at="2025-01-01T00:00:00Z")
    emu.add_backup("idx", name="tie-1", created_at="2025-02-15T12:00:00Z")
    emu.add_backup("idx", name="tie-2", created_at="2025-02-15T13:00:00+01:00")  # same instant
    emu.add_backup("idx", name="c", created_at="2025-03-01T00:00:00Z")
    names = [backup["name"] for backup in call(emu, backups_path("idx")).json()["data"]]
    assert names == ["d", "c", "tie-2", "tie-1", "b", "a", "no-date"]
    assert [backup["name"] for backup in emu.backups("idx")] == names


def test_add_backup_fills_required_fields(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    backup = emu.add_backup("my-index", name="nightly", record_count=5, tags={"env": "prod"})
    assert uuid.UUID(backup["backup_id"]).version == 4
    assert backup["source_index_name"] == "my-index"
    assert backup["source_index_id"] == emu.add_index("my-index")
    assert uuid.UUID(backup["source_index_id"]).version == 4
    assert (backup["status"], backup["cloud"], backup["region"]) == ("Ready", "aws", "us-east-1")
    assert RFC3339_MICROS.fullmatch(backup["created_at"])
    assert (backup["name"], backup["record_count"], backup["tags"]) == (
        "nightly",
        5,
        {"env": "prod"},
    )
    second = emu.add_backup("my-index")
    assert second["source_index_id"] == backup["source_index_id"]
    assert second["backup_id"] != backup["backup_id"]
    assert call(emu, backups_path("my-index")).json()["data"] == [second, backup]


def test_add_backup_serves_extra_fields_as_given(emu: Emulator) -> None:
    backup = emu.add_backup("extra", future_field={"x": [1, 2]}, dimension=8)
    assert backup["future_field"] == {"x": [1, 2]} and backup["dimension"] == 8
    assert call(emu, backups_path("extra")).json()["data"] == [backup]


def test_add_backup_serves_none_as_null_which_the_spec_rejects() -> None:
    with Emulator(seed=False) as emu:
        backup = emu.add_backup("nulls", description=None, cloud=None)
        reply = call(emu, backups_path("nulls"))
    assert backup["description"] is None and backup["cloud"] is None
    assert b'"description":null' in reply.body and b'"cloud":null' in reply.body
    assert reply.json()["data"] == [backup]
    with pytest.raises(AssertionError, match=r"\.cloud: None for not nullable"):
        SpecValidator().validate(emu.exchanges[0])


def test_add_index_is_idempotent(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    index_id = emu.add_index("fresh")
    assert emu.add_index("fresh") == index_id
    assert emu.add_index("fresh", index_id=index_id) == index_id
    with pytest.raises(ValueError, match="already exists"):
        emu.add_index("fresh", index_id="other")
    assert call(emu, backups_path("fresh")).body == b'{"data":[],"pagination":null}'
    assert emu.add_index("given", index_id="idx_1") == "idx_1"
    assert emu.add_backup("given")["source_index_id"] == "idx_1"


@pytest.mark.parametrize("name", ["", None])
def test_add_index_rejects_an_empty_name(emu: Emulator, name: Any) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        emu.add_index(name)


# -- paths, methods, headers, recording ----------------------------------------------------------


@pytest.mark.parametrize("name", ["a/b", "ünï cödé", "50%+1?#"])
def test_index_name_is_one_percent_decoded_path_segment(emu: Emulator, name: str) -> None:
    emu.add_backup(name, name="x")
    path = f"/indexes/{quote(name, safe='')}/backups"
    reply = call(emu, path)
    assert reply.status == 200
    assert reply.json()["data"][0]["source_index_name"] == name
    recorded = emu.requests[-1]
    assert recorded.path == path
    assert recorded.index_name == name


def test_unencoded_slash_in_index_name_is_404(emu: Emulator) -> None:
    emu.add_backup("a/b")
    reply = call(emu, "/indexes/a/b/backups")
    assert_error(reply, 404, "NOT_FOUND")
    assert emu.requests[-1].index_name is None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/indexes",
        "/indexes/my-index",
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


def test_nothing_is_logged(emu: Emulator, capfd: pytest.CaptureFixture[str]) -> None:
    call(emu, backups_path("my-index"))
    call(emu, "/nowhere")
    assert raw_call(emu, b"NONSENSE\r\n\r\n", timeout=5).ending == "eof"
    emu.drop_next()
    with pytest.raises(http.client.RemoteDisconnected):
        call(emu, backups_path("my-index"))
    assert capfd.readouterr() == ("", "")


# -- fault injection -----------------------------------------------------------------------------


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


# -- observers -----------------------------------------------------------------------------------


def test_observers_see_every_exchange_and_cannot_break_the_server() -> None:
    seen: list[Exchange] = []

    def failing(exchange: Exchange) -> None:
        raise RuntimeError(f"observer failed on {exchange.status}")

    with Emulator() as emu:
        check = attach(emu)
        emu.add_observer(seen.append)
        emu.add_observer(failing)
        emu.fail_next(503)
        assert call(emu, backups_path("my-index")).status == 503
        assert call(emu, backups_path("my-index")).status == 200
        emu.remove_observer(failing)
        assert call(emu, backups_path("my-index")).status == 200
    assert seen == emu.exchanges and len(seen) == 3
    assert [str(error) for error in emu.observer_errors] == [
        "observer failed on 503",
        "observer failed on 200",
    ]
    assert check.failures == [] and check.checked == 3


def test_exchange_is_observed_before_the_client_has_its_answer(emu: Emulator) -> None:
    observed: list[int] = []

    def slow_observer(exchange: Exchange) -> None:
        time.sleep(0.1)
        observed.append(exchange.status)

    emu.add_observer(slow_observer)
    call(emu, backups_path("my-index"))
    assert observed == [200]


# -- lifecycle -----------------------------------------------------------------------------------


def test_start_and_stop_are_idempotent() -> None:
    emu = Emulator(seed=False)
    assert not emu.running and repr(emu) == "<Emulator stopped>"
    with pytest.raises(RuntimeError, match="not running"):
        _ = emu.url
    emu.stop()
    assert emu.start() is emu
    url = emu.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and repr(emu) == f"<Emulator {url}>"
    assert emu.start().url == url
    emu.stop()
    emu.stop()
    assert not emu.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()


def test_stop_returns_promptly_with_hanging_delayed_and_idle_connections() -> None:
    emu = Emulator().start()
    check = attach(emu)
    idle = connect(emu)
    assert call(emu, backups_path("my-index"), connection=idle).status == 200
    emu.hang_next(times=3)
    emu.delay_next(30)
    outcomes: list[BaseException | None] = []

    def client() -> None:
        try:
            with closing(connect(emu, timeout=20)) as conn:
                call(emu, backups_path("my-index"), connection=conn)
            outcomes.append(None)
        except (OSError, http.client.HTTPException) as error:
            outcomes.append(error)

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    wait_for(lambda: len(emu.requests) == 5)
    started = time.monotonic()
    emu.stop()
    assert time.monotonic() - started < 2
    for thread in clients:
        thread.join(5)
    assert len(outcomes) == 4 and all(outcome is not None for outcome in outcomes)
    with closing(idle), pytest.raises((OSError, http.client.HTTPException)):
        call(emu, backups_path("my-index"), connection=idle)  # the idle keep-alive was cut too
    check.assert_clean()


def test_keep_alive_connection_is_reused(emu: Emulator) -> None:
    with closing(connect(emu)) as conn:
        call(emu, backups_path("my-index"), connection=conn)
        sock = conn.sock
        for _ in range(5):
            reply = call(emu, backups_path("my-index"), connection=conn)
            assert reply.status == 200 and "Connection" not in reply.headers
        assert conn.sock is sock


def test_64_concurrent_keep_alive_clients(emu: Emulator) -> None:
    expected = emu.backups("big-index")
    errors: list[BaseException] = []
    barrier = threading.Barrier(64)

    def client() -> None:
        try:
            with closing(connect(emu)) as conn:
                barrier.wait()
                for _ in range(3):
                    items: list[Any] = []
                    target = backups_path("big-index", limit="10")
                    while True:
                        document = call(emu, target, connection=conn).json()
                        items += document["data"]
                        if not document["pagination"]:
                            break
                        target = backups_path(
                            "big-index", paginationToken=document["pagination"]["next"]
                        )
                    assert items == expected
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(emu.exchanges) == 64 * 3 * 3


# -- construction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"last_page": "nil"}, "last_page"),
        ({"default_page_size": 0}, "default_page_size"),
        ({"default_page_size": 101}, "default_page_size"),
        ({"api_versions": ()}, "api_versions"),
        ({"api_versions": "2025-10"}, "api_versions"),
        ({"latency": -0.5}, "latency"),
    ],
)
def test_invalid_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Emulator(**options)


def test_last_page_setter_validates(emu: Emulator) -> None:
    with pytest.raises(ValueError, match="last_page"):
        emu.last_page = "none"  # type: ignore[assignment]
    assert emu.last_page == "null"


# -- the spec validator itself -------------------------------------------------------------------


def _exchange(
    target: str,
    status: int,
    body: Any,
    *,
    headers: dict[str, str] | None = None,
    fault: Any = None,
) -> Exchange:
    path, _, raw_query = target.partition("?")
    query: dict[str, list[str]] = {}
    for pair in filter(None, raw_query.split("&")):
        name, _, value = pair.partition("=")
        query.setdefault(name, []).append(value)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = RecordedRequest(
        method="GET",
        path=path,
        raw_query=raw_query,
        query=query,
        headers=Headers((API_HEADERS if headers is None else headers).items()),
        index_name=path.split("/")[2] if path.count("/") == 3 else None,
        body=b"",
        received_at=0.0,
    )
    response_headers = Headers([("Content-Type", "application/json")])
    return Exchange(request, status, response_headers, data, fault)


def test_validator_catches_a_backup_missing_cloud() -> None:
    backup = {key: value for key, value in DOCS_EXAMPLE_BACKUP.items() if key != "cloud"}
    emu = Emulator().start()
    try:
        emu.respond_next(200, {"data": [backup], "pagination": None})
        call(emu, backups_path("docs-example"))
    finally:
        emu.stop()
    with pytest.raises(AssertionError, match="'cloud' is a required property"):
        SpecValidator().validate(emu.exchanges[0])


@pytest.mark.parametrize(
    ("exchange", "complaint"),
    [
        (_exchange("/indexes/x/backups", 200, {"data": [{"backup_id": 1}]}), "required property"),
        (
            _exchange("/indexes/x/backups", 200, {"data": [], "pagination": {"next": 5}}),
            "not of type",
        ),
        (
            _exchange("/indexes/x/backups", 200, {"data": [], "pagination": {"nxt": "a"}}),
            "'next' is a required",
        ),
        (_exchange("/indexes/x/backups", 200, {"data": {}}), "not of type 'array'"),
        (_exchange("/indexes/x/backups?limit=0", 200, {"data": []}), "request answered 200"),
        (
            _exchange("/indexes/x/backups", 200, {"data": []}, headers={"Api-Key": "k"}),
            "X-Pinecone-Api-Version",
        ),
        (
            _exchange("/indexes/x/backups", 404, {"error": {"code": "NOT_FOUND"}, "status": 404}),
            "'message'",
        ),
        (
            _exchange("/indexes/x/backups", 400, {"error": {"code": "X", "message": "m"}}),
            "'status'",
        ),
        (
            _exchange(
                "/indexes/x/backups", 503, {"error": {"code": "X", "message": "m"}, "status": 500}
            ),
            "HTTP 503",
        ),
        (_exchange("/indexes/x/backups", 502, b"<html></html>"), "not JSON"),
        (_exchange("/nowhere", 200, {"data": []}), "declares no 200"),
        (
            _exchange("/indexes/x/backups", 200, {"data": []}, fault="respond", headers={}),
            "missing required header parameter X-Pinecone-Api-Version",
        ),
        (
            _exchange("/indexes/x/backups", 200, {"data": [], "pagination": 7}, fault="respond"),
            "not of type",
        ),
    ],
)
def test_validator_rejects(exchange: Exchange, complaint: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        SpecValidator(strict_requests=exchange.fault is not None).validate(exchange)


@pytest.mark.parametrize(
    "exchange",
    [
        _exchange("/indexes/x/backups", 200, {"data": [DOCS_EXAMPLE_BACKUP], "pagination": None}),
        _exchange("/indexes/x/backups", 200, {"data": [], "pagination": {"next": ""}}),
        _exchange("/indexes/x/backups", 200, {"data": []}),
        _exchange("/indexes/x/backups", 200, SPEC_EXAMPLE_RESPONSE),
        _exchange(
            "/indexes/x/backups?limit=0",
            400,
            {"error": {"code": "A", "message": "b"}, "status": 400},
        ),
        _exchange("/indexes/x/backups", 502, b"<html></html>", fault="fail"),
        _exchange("/indexes/x/backups", 200, b'{"data": [', fault="malformed"),
    ],
)
def test_validator_accepts(exchange: Exchange) -> None:
    SpecValidator().validate(exchange)


def test_normalise_last_page_touches_only_last_page_shapes() -> None:
    for pagination in (None, {}, {"next": None}, {"next": ""}):
        assert normalise_last_page({"data": [], "pagination": pagination}) == {"data": []}
    for document in ({"data": [], "pagination": {"next": "t"}}, {"data": [], "pagination": 7}, [1]):
        assert normalise_last_page(document) == document


# -- command line --------------------------------------------------------------------------------


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pinecone_backups.testing", *args]


def _command_env() -> dict[str, str]:
    """The environment, with this process's import path (wherever pinecone_backups came from)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_command_line_serves_until_interrupted(stop_signal: signal.Signals) -> None:
    with subprocess.Popen(
        _command("--port", "0", "--api-key", "K", "--no-seed", "--last-page", "missing"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_command_env(),
    ) as process:
        try:
            assert process.stdout is not None
            exports = process.stdout.readline() + process.stdout.readline()
            url = re.fullmatch(
                r"export PINECONE_CONTROLLER_HOST=(http://127\.0\.0\.1:\d+)\n"
                r"export PINECONE_API_KEY=K\n",
                exports,
            )
            assert url is not None, exports
            address = urlsplit(url[1])
            assert address.hostname is not None and address.port is not None
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
            headers = {"Api-Key": "K", "X-Pinecone-Api-Version": "2025-10"}
            conn.request("GET", "/indexes/docs-example/backups", headers=headers)
            response = conn.getresponse()
            assert response.status == 404  # --no-seed
            assert json.loads(response.read())["error"]["code"] == "NOT_FOUND"
            conn.close()
            process.send_signal(stop_signal)
            stdout, stderr = process.communicate(timeout=5)
        finally:
            process.kill()
    assert (process.returncode, stdout, stderr) == (0, "", "")


def test_command_line_rejects_bad_options() -> None:
    result = subprocess.run(
        _command("--page-size", "0"),
        check=False,
        capture_output=True,
        text=True,
        env=_command_env(),
        timeout=10,
    )
    assert result.returncode == 2 and "default_page_size" in result.stderr
