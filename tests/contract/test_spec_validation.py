"""The spec check every emulator test runs (``tests/spec_validation.py``): what it catches,
rejects and accepts, and how it normalises the last page's shapes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pinecone_backups.testing import (
    DOCS_EXAMPLE_BACKUP,
    SPEC_EXAMPLE_RESPONSE,
    Emulator,
    Exchange,
    Headers,
    RecordedRequest,
)
from tests.helpers import API_HEADERS, backups_path, call
from tests.spec_validation import SpecValidator, normalise_last_page


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
