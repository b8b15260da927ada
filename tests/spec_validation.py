"""Check exchanges with the emulator against the official OpenAPI spec (test helper).

The emulator is written from the spec alone; this module re-reads every request it saw and every
response it wrote with openapi-core and the spec file itself, so a misreading on either side
shows up as a failure::

    with Emulator() as emu:
        check = attach(emu)
        ...  # talk to emu
        check.assert_clean()

The spec is ``db_control_2025-10.oas.yaml`` in ``../shared/spec/`` next to the repository (or
the file named by the environment variable ``PINECONE_BACKUPS_SPEC``); a checkout without it uses
the byte-identical copy in ``tests/data/``.

Spec quirks worked around here, and only here:

* ``PaginationResponse`` is not nullable and requires ``next``, yet the real API ends the last
  page with ``"pagination": null`` (the docs and the spec's own examples show it), and clients
  must also tolerate a missing ``pagination``, ``{}``, ``{"next": null}`` and ``{"next": ""}``.
  Before a 2xx body is validated, :func:`normalise_last_page` drops such a ``pagination`` (and
  changes nothing else); a ``pagination`` of any other shape is validated as sent.
* ``RestoreJobModel.completed_at`` and ``percent_complete`` are not nullable, yet the real API
  sends ``null`` for both until a restore job ends (and a failed job keeps ``percent_complete``
  null). Before a 2xx body is validated, :func:`normalise_restore_jobs` drops those two fields
  when they are ``null`` from restore jobs (and changes nothing else).
* openapi-core 0.23 uses a parameter's schema ``default`` when the parameter is absent, even if
  it is ``required`` (``X-Pinecone-Api-Version`` is both), so required parameters are checked
  for presence here.
* Only ``list_index_backups``'s 200, 401, 404 and 500 responses are declared, yet every error
  of the API uses ``ErrorResponse`` ("the response shape used for all error responses"), so an
  error with another status, or from a path the spec does not have, is validated against that
  schema directly.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema_path import SchemaPath
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from pinecone_backups.testing import Emulator, Exchange, RecordedRequest

SPEC_ENV_VAR = "PINECONE_BACKUPS_SPEC"
SPEC_NAME = "db_control_2025-10.oas.yaml"
SHARED_SPEC_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / SPEC_NAME
"""The source of truth: the shared, read-only copy next to the repository."""
VENDORED_SPEC_PATH = Path(__file__).resolve().parent / "data" / SPEC_NAME
"""A byte-identical copy (checked by ``packaging/test_spec_copy.py``) for checkouts without
``../shared``."""
SPEC_SHA256 = "9f26339463664f487191dcaae7c21981df1504c43e5c9e60c454789ee3173183"
"""The digest the shared spec's README gives for the file."""
SPEC_SERVER = "https://api.pinecone.io"
"""Requests are matched against the spec as if sent to its server, whatever the emulator's URL."""


def spec_path() -> Path:
    """The spec file: ``$PINECONE_BACKUPS_SPEC``, else the shared copy next to the repository,
    else the vendored copy."""
    if os.environ.get(SPEC_ENV_VAR):
        path = Path(os.environ[SPEC_ENV_VAR])
    else:
        path = SHARED_SPEC_PATH if SHARED_SPEC_PATH.is_file() else VENDORED_SPEC_PATH
    if not path.is_file():
        raise FileNotFoundError(f"OpenAPI spec not found at {path}; set {SPEC_ENV_VAR}")
    return path


@functools.cache
def _load_spec(path: Path) -> OpenAPI:
    return OpenAPI.from_file_path(str(path))


def normalise_last_page(document: Any) -> Any:
    """``document`` without a last-page ``pagination`` that the spec's schema cannot express.

    Drops ``pagination`` when it is ``null``, ``{}``, or has a ``null`` or empty ``next``; returns
    anything else unchanged (see the module docstring).
    """
    if not isinstance(document, dict) or "pagination" not in document:
        return document
    pagination = document["pagination"]
    last_page = (
        pagination is None
        or pagination == {}
        or (
            isinstance(pagination, dict)
            and "next" in pagination
            and pagination["next"] in (None, "")
        )
    )
    if not last_page:
        return document
    return {key: value for key, value in document.items() if key != "pagination"}


_UNFINISHED_RESTORE_JOB_NULLS = ("completed_at", "percent_complete")


def normalise_restore_jobs(document: Any) -> Any:
    """``document`` without the ``null`` ``completed_at`` and ``percent_complete`` of restore jobs
    (one, or the ``data`` of a list), which the spec's schema cannot express; anything else is
    returned unchanged (see the module docstring)."""
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return {**document, "data": [normalise_restore_jobs(item) for item in document["data"]]}
    if not isinstance(document, dict) or "restore_job_id" not in document:
        return document
    return {
        key: value
        for key, value in document.items()
        if value is not None or key not in _UNFINISHED_RESTORE_JOB_NULLS
    }


@dataclass
class _SpecRequest:
    """A recorded request in the shape of openapi-core's ``Request`` protocol."""

    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None
    host_url: str = SPEC_SERVER

    @classmethod
    def of(cls, request: RecordedRequest) -> _SpecRequest:
        query = [(name, value) for name, values in request.query.items() for value in values]
        return cls(
            path=request.path,
            method=request.method.lower(),
            parameters=RequestParameters(
                query=ImmutableMultiDict(query), header=Headers(list(request.headers.raw))
            ),
            content_type=request.headers.get("Content-Type", ""),
            body=request.body or None,
        )


@dataclass(frozen=True)
class _SpecResponse:
    """An emulator response in the shape of openapi-core's ``Response`` protocol."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _describe(error: Exception) -> str:
    """A readable one-line account of an openapi-core error, with its schema errors."""
    schema_errors = getattr(error.__cause__, "schema_errors", None)
    if schema_errors:
        details = "; ".join(
            f"{getattr(e, 'json_path', '$')}: {getattr(e, 'message', e)}" for e in schema_errors
        )
        return f"{type(error).__name__}: {details}"
    return f"{type(error).__name__}: {error}"


def _json_or_none(body: bytes) -> tuple[bool, Any]:
    try:
        return True, json.loads(body)
    except ValueError:
        return False, None


class SpecValidator:
    """Validates exchanges with the emulator against the spec.

    Args:
        path: The spec file (default: :func:`spec_path`).
        strict_requests: Also fail when a request violates the spec even though the emulator
            rejected it, e.g. to prove that a client under test only sends valid requests. By
            default a spec-invalid request only fails when it was answered with success
            (the emulator accepted what the spec forbids).
    """

    def __init__(self, path: Path | None = None, *, strict_requests: bool = False) -> None:
        self.app = _load_spec(path or spec_path())
        self.strict_requests = strict_requests
        self._finder = APICallPathFinder(self.app.spec)
        error_schema: SchemaPath = self.app.spec / "components" / "schemas" / "ErrorResponse"
        self._error_response = OAS30Validator(error_schema.read_value())

    def request_errors(self, request: RecordedRequest) -> list[str]:
        """What is wrong with ``request`` according to the spec (``[]`` if nothing)."""
        try:
            found = self._finder.find(request.method.lower(), SPEC_SERVER + request.path)
        except PathError as error:
            return [f"{request.method} {request.path} is no operation of the spec ({error})"]
        errors = [
            _describe(error) for error in self.app.iter_request_errors(_SpecRequest.of(request))
        ]
        sources = {"header": request.headers, "query": request.query}
        for parameter in found.operation / "parameters":
            name, where = (parameter / "name").read_str(), (parameter / "in").read_str()
            required = (parameter / "required").read_bool(default=False)
            if required and where in sources and name not in sources[where]:
                errors.append(f"missing required {where} parameter {name}")
        return errors

    def response_errors(self, exchange: Exchange) -> list[str]:
        """What is wrong with the response of ``exchange`` according to the spec.

        An injected fault (``exchange.fault``) whose body is not JSON is not checked.
        """
        is_json, document = _json_or_none(exchange.body)
        if exchange.fault is not None and not is_json:
            return []
        status = exchange.status
        content_type = exchange.headers.get("Content-Type", "")
        if 200 <= status < 300:
            document = normalise_restore_jobs(normalise_last_page(document))
        response = _SpecResponse(
            status_code=status,
            content_type=content_type,
            headers=Headers(list(exchange.headers.raw)),
            data=json.dumps(document).encode() if is_json else exchange.body,
        )
        request = _SpecRequest.of(exchange.request)
        errors = list(self.app.iter_response_errors(request, response))
        if not any(isinstance(error, (PathError, ResponseNotFound)) for error in errors):
            return [_describe(error) for error in errors]
        if status < 400:
            return [f"the spec declares no {status} response for {request.method} {request.path}"]
        return self._error_response_errors(status, content_type, is_json, document)

    def _error_response_errors(
        self, status: int, content_type: str, is_json: bool, document: Any
    ) -> list[str]:
        if content_type.split(";")[0].strip().lower() != "application/json":
            return [f"error response has Content-Type {content_type!r}, not application/json"]
        if not is_json:
            return ["error response body is not JSON"]
        errors = [
            f"ErrorResponse {error.json_path}: {error.message}"
            for error in self._error_response.iter_errors(document)
        ]
        if isinstance(document, dict) and document.get("status", status) != status:
            errors.append(f"ErrorResponse.status {document['status']!r} is not the HTTP {status}")
        return errors

    def errors(self, exchange: Exchange) -> list[str]:
        """Every problem with ``exchange``: its response's, and its request's when they count."""
        problems = [f"response: {problem}" for problem in self.response_errors(exchange)]
        accepted = exchange.fault is None and exchange.status < 400
        if self.strict_requests or accepted:
            prefix = "request" if self.strict_requests else f"request answered {exchange.status}"
            problems[:0] = [
                f"{prefix}: {problem}" for problem in self.request_errors(exchange.request)
            ]
        return problems

    def validate(self, exchange: Exchange) -> None:
        """Raise ``AssertionError`` describing every problem with ``exchange``, if any."""
        problems = self.errors(exchange)
        if problems:
            raise AssertionError(_report(exchange, problems))


def _report(exchange: Exchange, problems: Iterable[str]) -> str:
    request = exchange.request
    target = request.path + (f"?{request.raw_query}" if request.raw_query else "")
    fault = f" (injected: {exchange.fault})" if exchange.fault else ""
    lines = [f"{request.method} {target} -> {exchange.status}{fault} breaks the spec:"]
    lines += [f"  - {problem}" for problem in problems]
    lines.append(f"  response body: {exchange.body[:600]!r}")
    return "\n".join(lines)


@dataclass
class SpecCheck:
    """An emulator observer that validates every exchange and keeps the failures."""

    emulator: Emulator
    validator: SpecValidator
    failures: list[str] = field(default_factory=list)
    checked: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, exchange: Exchange) -> None:
        with self._lock:  # the emulator calls observers from concurrent server threads
            self.checked += 1
            try:
                self.validator.validate(exchange)
            except AssertionError as failure:
                self.failures.append(str(failure))

    def assert_clean(self) -> None:
        """Fail if an exchange broke the spec or the validator itself crashed."""
        problems = self.failures + [
            f"observer error: {error!r}" for error in self.emulator.observer_errors
        ]
        assert not problems, "\n\n".join(problems)


def attach(emulator: Emulator, validator: SpecValidator | None = None) -> SpecCheck:
    """Validate every exchange ``emulator`` has from now on; return the collecting check."""
    check = SpecCheck(emulator, validator or SpecValidator())
    emulator.add_observer(check)
    return check
