"""The spec check every emulator test runs (``tests/spec_validation.py``): each exchange is
checked against the spec of its request's version (``X-Pinecone-Api-Version``); what it catches
under each version, what it rejects and accepts, and how it works around each version's quirks
(and only those)."""

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
from tests.helpers import API_HEADERS, backups_path, call, minimal, restore_job_json
from tests.spec_validation import (
    SPECS,
    SpecValidator,
    normalise_last_page,
    normalise_nullable_all_of,
)

VERSIONS = list(SPECS)
ERROR = {"error": {"code": "INVALID_ARGUMENT", "message": "m"}, "status": 400}
BACKUP_2026_07 = minimal(
    name="b", schema={"fields": {"e": {"type": "dense_vector", "dimension": 2, "metric": "cosine"}}}
)
"""A backup as 2026-07 sends it: no ``dimension`` or ``metric``, a typed ``schema``."""
SCHEDULE = {
    "schedule_id": "s-1",
    "name": "nightly",
    "index_id": "idx-1",
    "project_id": "p-1",
    "schedule_type": "time-based",
    "frequency": "daily",
    "retention_expire_after_days": 7,
    "enabled": True,
    "next_scheduled_run": "2026-07-02T00:00:00Z",
    "created_at": "2026-07-01T00:00:00Z",
}
SCHEDULED_RUN = {
    "backup_id": "b-9",
    "source_index_id": "idx-1",
    "source_index_name": "idx",
    "name": "nightly-20260702t000000z",
    "status": "Scheduled",
    "cloud": "aws",
    "region": "us-east-1",
    "created_at": "2026-07-01T00:00:00Z",
    "scheduled_execution_at": "2026-07-02T00:00:00Z",
    "schema": None,
    "record_count": None,
    "namespace_count": None,
    "size_bytes": None,
    "tags": None,
    "description": None,
}
"""A schedule's history item for its next run, as 2026-07 sends it (its nulls included)."""


def _exchange(
    target: str,
    status: int,
    body: Any,
    *,
    version: str | None = "2025-10",
    method: str = "GET",
    sent: Any = None,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    fault: Any = None,
) -> Exchange:
    """An exchange: ``method target`` (with ``sent`` as its JSON body) under ``version`` (its
    header left out when ``None``), answered ``status`` with ``body`` (JSON unless bytes)."""
    path, _, raw_query = target.partition("?")
    query: dict[str, list[str]] = {}
    for pair in filter(None, raw_query.split("&")):
        name, _, value = pair.partition("=")
        query.setdefault(name, []).append(value)
    if headers is None:
        headers = {"Api-Key": "k"}
        if version is not None:
            headers["X-Pinecone-Api-Version"] = version
        if sent is not None:
            headers["Content-Type"] = "application/json"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = RecordedRequest(
        method=method,
        path=path,
        raw_query=raw_query,
        query=query,
        headers=Headers(headers.items()),
        index_name=path.split("/")[2] if path.count("/") == 3 else None,
        body=b"" if sent is None else json.dumps(sent).encode(),
        received_at=0.0,
    )
    response_headers = Headers([("Content-Type", content_type)] if content_type else [])
    return Exchange(request, status, response_headers, data, fault)


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_catches_a_backup_missing_cloud(version: str) -> None:
    backup = {key: value for key, value in minimal().items() if key != "cloud"}
    emu = Emulator().start()
    try:
        emu.respond_next(200, {"data": [backup], "pagination": None})
        headers = {**API_HEADERS, "X-Pinecone-Api-Version": version}
        call(emu, backups_path("docs-example"), headers=headers)
    finally:
        emu.stop()
    with pytest.raises(AssertionError, match="'cloud' is a required property"):
        SpecValidator().validate(emu.exchanges[0])


@pytest.mark.parametrize("version", VERSIONS)
def test_each_version_is_checked_against_its_own_spec(version: str) -> None:
    validator = SpecValidator()
    assert (validator.app_for(version).spec / "info" / "version").read_str() == version
    assert validator.app is validator.app_for("2025-10")


@pytest.mark.parametrize(
    ("exchange", "complaint"),
    [
        # 2025-10 (the shapes every version shares are checked the same way under each)
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
        (_exchange("/indexes/x/backups?limit=101", 200, {"data": []}), "maximum of 100"),
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
            _exchange("/indexes/x/backups", 200, {"data": [], "pagination": 7}, fault="respond"),
            "not of type",
        ),
        (
            _exchange("/restore-jobs/j", 200, restore_job_json("j", created_at=None)),
            "None for not nullable",
        ),
        (
            _exchange("/backups/b", 200, minimal(source_index_deleted_at="2026-01-01T00:00:00Z")),
            "BackupModel has no 'source_index_deleted_at' in this version (API 2026-04, 2026-07",
        ),
        (
            _exchange("/indexes/x/backups", 200, minimal(), method="POST", sent={}),
            "declares no 200 response for POST",
        ),
        (
            _exchange("/indexes/x/backups", 401, b"Invalid API key", content_type="text/plain"),
            "text/plain",
        ),
        (
            _exchange("/indexes/x/backup-schedules", 200, {"data": []}),
            "the 2025-10 spec declares no 200",
        ),
        # 2026-04
        (
            _exchange("/backups/b", 200, minimal(dimension="two"), version="2026-04"),
            "not of type 'integer'",
        ),
        (
            _exchange(
                "/indexes/x/backups",
                201,
                minimal(source_index_deleted_at="yesterday"),
                version="2026-04",
                method="POST",
            ),
            "is not a 'date-time'",
        ),
        (
            _exchange("/indexes/x/backup-schedules", 200, {"data": []}, version="2026-04"),
            "the 2026-04 spec declares no 200",
        ),
        # 2026-07
        (
            _exchange("/indexes/x/backups", 200, {"data": [], "pagination": {}}, version="2026-07"),
            "'next' is a required",
        ),
        (
            _exchange(
                "/restore-jobs", 200, {"data": [], "pagination": {"next": None}}, version="2026-07"
            ),
            "None for not nullable",
        ),
        (
            _exchange(
                "/restore-jobs/j",
                200,
                restore_job_json("j", "Pending", completed_at=None, percent_complete=None),
                version="2026-07",
            ),
            "None for not nullable",
        ),
        (
            _exchange(
                "/restore-jobs/j",
                200,
                restore_job_json("j", percent_complete=100.0),
                version="2026-07",
            ),
            "not of type 'integer'",
        ),
        (
            _exchange("/backups/b", 200, {**BACKUP_2026_07, "dimension": 2}, version="2026-07"),
            "BackupModel has no 'dimension' in this version (API 2025-10, 2026-04 has)",
        ),
        (
            _exchange("/backups/b", 200, minimal(schema={"e": {}}), version="2026-07"),
            "'fields' is a required property",
        ),
        (
            _exchange("/backups/b", 200, minimal(schema=None), version="2026-07"),
            "None for not nullable",
        ),
        (
            _exchange(
                "/indexes/x/backups", 201, BACKUP_2026_07, version="2026-07", method="POST", sent={}
            ),
            "the 2026-07 spec declares no 201 response for POST",
        ),
        (
            _exchange("/indexes/x/backups", 401, {**ERROR, "status": 401}, version="2026-07"),
            "application/json",
        ),
        (
            _exchange("/nowhere", 401, {**ERROR, "status": 401}, version="2026-07"),
            "a 2026-07 401 has Content-Type 'application/json', not text/plain",
        ),
        (
            _exchange("/backup-schedules/s", 200, SCHEDULE, version="2026-07", method="DELETE"),
            "declares no 200 response for DELETE",
        ),
        (
            _exchange(
                "/backup-schedules/s",
                200,
                {k: v for k, v in SCHEDULE.items() if k != "next_scheduled_run"},
                version="2026-07",
            ),
            "'next_scheduled_run' is a required property",
        ),
        (
            _exchange(
                "/indexes/x/backup-schedules",
                200,
                {"data": [SCHEDULE], "pagination": {}},
                version="2026-07",
            ),
            "'next' is a required",
        ),
        (
            _exchange(
                "/backup-schedules/s/history",
                200,
                {"data": [{**SCHEDULED_RUN, "status": 3}]},
                version="2026-07",
            ),
            "not of type 'string'",
        ),
        (
            _exchange(
                "/backups", 200, {"data": [{**BACKUP_2026_07, "schema": None}]}, version="2026-07"
            ),
            "None for not nullable",
        ),
        # No known version: the answer must be a 4xx ErrorResponse.
        (
            _exchange("/indexes/x/backups", 200, {"data": []}, version="2099-01"),
            "is the version of no spec (there are 2025-10, 2026-04, 2026-07)",
        ),
        (
            _exchange("/indexes/x/backups", 200, {"data": []}, version="2099-01"),
            "no known API version must be a 4xx ErrorResponse: a 200, not a 4xx",
        ),
        (
            _exchange("/indexes/x/backups", 500, {**ERROR, "status": 500}, version="2099-01"),
            "a 500, not a 4xx",
        ),
        (
            _exchange(
                "/indexes/x/backups",
                400,
                b"bad version",
                version="2099-01",
                content_type="text/plain",
            ),
            "not application/json",
        ),
        (
            _exchange(
                "/indexes/x/backups", 400, {"error": {"code": "X"}, "status": 400}, version=None
            ),
            "ErrorResponse $.error: 'message' is a required property",
        ),
    ],
)
def test_validator_rejects(exchange: Exchange, complaint: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        SpecValidator(strict_requests=exchange.fault is not None).validate(exchange)


@pytest.mark.parametrize(
    ("exchange", "complaint"),
    [
        (
            _exchange("/indexes/x/backups", 200, {"data": []}, fault="respond", headers={}),
            "missing required header parameter X-Pinecone-Api-Version",
        ),
        (
            _exchange("/indexes/x/backups?include_deleted=true", 200, {"data": []}),
            "query parameter 'include_deleted' is not in the 2025-10 spec (API 2026-04, 2026-07",
        ),
        (
            _exchange(
                "/backups/b/create-index",
                202,
                {"restore_job_id": "r", "index_id": "i"},
                method="POST",
                sent={"name": "n", "read_capacity": {"mode": "OnDemand"}},
            ),
            "body $.read_capacity: CreateIndexFromBackupRequest has no 'read_capacity' in this "
            "version (API 2026-04, 2026-07 has)",
        ),
        (
            _exchange("/indexes/x/backups?limit=ten", 400, ERROR, version="2026-07"),
            "request: ",
        ),
        (
            _exchange(
                "/backup-schedules/s",
                200,
                SCHEDULE,
                version="2026-07",
                method="PATCH",
                sent={"frequency": "daily", "retention": {"expire_after_days": 0}},
            ),
            "less than the minimum of 1",
        ),
        (
            _exchange(
                "/indexes/x/backup-schedules",
                200,
                SCHEDULE,
                version="2026-07",
                method="POST",
                sent={"name": "s", "schedule": {"frequency": "daily"}},
            ),
            "'retention' is a required property",
        ),
        (
            _exchange(
                "/indexes/x/backup-schedules", 404, {**ERROR, "status": 404}, version="2026-04"
            ),
            "is no operation of the 2026-04 spec",
        ),
    ],
)
def test_strict_validator_rejects_requests(exchange: Exchange, complaint: str) -> None:
    """What the ``client`` fixture's check (``strict_requests``) holds the client to: the
    request alone, whatever the answer."""
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        SpecValidator(strict_requests=True).validate(exchange)


def test_a_request_of_another_version_is_the_emulators_business_unless_strict() -> None:
    # The emulator may ignore what its version does not have; only the client is held to it.
    exchange = _exchange("/indexes/x/backups?include_deleted=true", 200, {"data": []})
    SpecValidator().validate(exchange)


@pytest.mark.parametrize(
    "exchange",
    [
        _exchange("/indexes/x/backups", 200, {"data": [DOCS_EXAMPLE_BACKUP], "pagination": None}),
        _exchange("/indexes/x/backups", 200, {"data": [], "pagination": {"next": ""}}),
        _exchange("/indexes/x/backups", 200, {"data": []}),
        _exchange("/indexes/x/backups", 200, SPEC_EXAMPLE_RESPONSE),
        _exchange("/indexes/x/backups?limit=0", 400, ERROR),
        _exchange("/indexes/x/backups", 502, b"<html></html>", fault="fail"),
        _exchange("/indexes/x/backups", 200, b'{"data": [', fault="malformed"),
        _exchange(
            "/restore-jobs/j",
            200,
            restore_job_json("j", "Pending", completed_at=None, percent_complete=None),
        ),
        _exchange("/backups/b", 200, minimal(extra_field={"anything": 1})),
        # 2026-04
        _exchange("/indexes/x/backups?include_deleted=true", 200, {"data": []}, version="2026-04"),
        _exchange(
            "/backups/b",
            200,
            minimal(dimension=2, source_index_deleted_at="2026-01-01T00:00:00Z"),
            version="2026-04",
        ),
        _exchange(
            "/backups/b/create-index",
            202,
            {"restore_job_id": "r", "index_id": "i"},
            version="2026-04",
            method="POST",
            sent={"name": "n", "read_capacity": {"mode": "OnDemand"}},
        ),
        # 2026-07
        _exchange(
            "/indexes/x/backups",
            200,
            {"data": [BACKUP_2026_07], "pagination": None},
            version="2026-07",
        ),
        _exchange("/backups?limit=500", 200, {"data": [], "pagination": None}, version="2026-07"),
        _exchange("/backups", 200, {"data": [minimal(tags=None)]}, version="2026-07"),
        _exchange(
            "/restore-jobs",
            200,
            {
                "data": [
                    restore_job_json("j", "Pending", created_at=None, completed_at=None),
                    restore_job_json("k", percent_complete=100),
                ],
                "pagination": {"next": "t"},
            },
            version="2026-07",
        ),
        _exchange(
            "/indexes/x/backups",
            200,
            BACKUP_2026_07,
            version="2026-07",
            method="POST",
            sent={"name": "nightly-1"},
        ),
        _exchange(
            "/indexes/x/backups",
            401,
            b"Invalid API key",
            version="2026-07",
            content_type="text/plain",
        ),
        _exchange(
            "/nowhere",
            401,
            b"Invalid API key",
            version="2026-07",
            content_type="text/plain; charset=utf-8",
        ),
        _exchange("/indexes/x/backups", 403, {**ERROR, "status": 403}, version="2026-07"),
        _exchange(
            "/backup-schedules/s", 204, b"", version="2026-07", method="DELETE", content_type=""
        ),
        _exchange(
            "/indexes/x/backup-schedules",
            200,
            {"data": [SCHEDULE], "pagination": None},
            version="2026-07",
        ),
        _exchange(
            "/backup-schedules/s",
            200,
            {**SCHEDULE, "enabled": False, "next_scheduled_run": None},
            version="2026-07",
            method="PATCH",
            sent={"enabled": False},
        ),
        _exchange(
            "/indexes/x/backup-schedules",
            200,
            SCHEDULE,
            version="2026-07",
            method="POST",
            sent={
                "name": "nightly",
                "schedule": {"type": "time-based", "frequency": "daily"},
                "retention": {"expire_after_days": 7},
            },
        ),
        _exchange(
            "/backup-schedules/s/history",
            200,
            {"data": [SCHEDULED_RUN], "pagination": None},
            version="2026-07",
        ),
        # No known version, or none: a 4xx ErrorResponse.
        _exchange("/indexes/x/backups", 400, ERROR, version="2099-01"),
        _exchange("/indexes/x/backups", 401, {**ERROR, "status": 401}, version="2099-01"),
        _exchange("/nowhere", 400, ERROR, version=None),
    ],
)
def test_validator_accepts(exchange: Exchange) -> None:
    SpecValidator().validate(exchange)


def test_normalise_last_page_touches_only_last_page_shapes() -> None:
    for pagination in (None, {}, {"next": None}, {"next": ""}):
        assert normalise_last_page({"data": [], "pagination": pagination}) == {"data": []}
    for document in ({"data": [], "pagination": {"next": "t"}}, {"data": [], "pagination": 7}, [1]):
        assert normalise_last_page(document) == document


def test_normalise_nullable_all_of_drops_only_the_declared_nulls() -> None:
    assert normalise_nullable_all_of({"data": [], "pagination": None}) == {"data": []}
    for pagination in ({}, {"next": None}, {"next": ""}, {"next": "t"}, 7):
        document: dict[str, Any] = {"data": [], "pagination": pagination}
        assert normalise_nullable_all_of(document) == document
    run = {"backup_id": "b", "schema": None, "tags": None}
    history = {"data": [run, 5], "pagination": None}
    assert normalise_nullable_all_of(history, history=True) == {
        "data": [{"backup_id": "b", "tags": None}, 5]
    }
    assert normalise_nullable_all_of(history) == {"data": [run, 5]}
