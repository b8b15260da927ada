"""Check exchanges with the emulator against the official OpenAPI specs (test helper).

The emulator is written from the specs alone; this module re-reads every request it saw and
every response it wrote with openapi-core and the spec files themselves, so a misreading on
either side shows up as a failure::

    with Emulator() as emu:
        check = attach(emu)
        ...  # talk to emu
        check.assert_clean()

Each exchange is checked against the spec of ITS version: the request's
``X-Pinecone-Api-Version`` header picks one of :data:`SPECS` (``2025-10``, ``2026-04``,
``2026-07``). A request without that header, or with a version no spec has, must be answered
with a 4xx ``ErrorResponse`` (checked against the default version's schema), and the request is
reported as breaking every spec.

The specs leave objects open to fields they do not declare, so openapi-core alone cannot tell a
2025-10 backup from a 2026-07 one. One check goes further (:meth:`SpecValidator.foreign_fields`):
a field that the version's schema lacks while another version's schema of the same name has it
(a 2026-07 backup's ``dimension``, a 2025-10 backup's ``source_index_deleted_at``) is reported
in any response and, with ``strict_requests`` (the client's own requests), in a request body,
as is a query parameter of another version (``include_deleted`` under 2025-10). A field no
version has (``add_backup``'s extra fields) is left alone.

The specs are ``db_control_<version>.oas.yaml`` in ``../shared/spec/`` next to the repository (or
in the directory named by the environment variable ``PINECONE_BACKUPS_SPEC_DIR``); a checkout
without them uses the byte-identical copies in ``tests/data/``.

Spec quirks worked around here, and only here (per version where they differ):

* 2025-10 and 2026-04: ``PaginationResponse`` is not nullable and requires ``next``, yet the real
  API ends the last page with ``"pagination": null`` (the docs and the spec's own examples show
  it), and clients must also tolerate a missing ``pagination``, ``{}``, ``{"next": null}`` and
  ``{"next": ""}``. Before a 2xx body is validated, :func:`normalise_last_page` drops such a
  ``pagination`` (and changes nothing else); a ``pagination`` of any other shape is validated as
  sent.
* 2025-10 and 2026-04: ``RestoreJobModel.completed_at`` and ``percent_complete`` are not nullable,
  yet the real API sends ``null`` for both until a restore job ends (and a failed job keeps
  ``percent_complete`` null). Before a 2xx body is validated, :func:`normalise_restore_jobs`
  drops those two fields when they are ``null`` from restore jobs (and changes nothing else).
  2026-07 declares ``created_at`` and ``completed_at`` nullable and ``percent_complete`` absent
  until the job completes, so nothing is dropped there: a ``null`` ``percent_complete`` fails.
* 2026-07: a list's ``pagination`` (and a schedule history item's ``schema``) is
  ``nullable: true`` beside an ``allOf`` of a schema that is not, and OpenAPI 3.0.3 says that
  ``nullable`` does not reach into ``allOf`` ("other Schema Object constraints retain their
  defined behavior, and therefore may disallow the use of null"): openapi-core rejects the
  ``null`` the spec's own descriptions promise ("``null`` (or absent) on the final page").
  Before a 2xx body is validated, :func:`normalise_nullable_all_of` drops exactly those
  ``null`` values and nothing else: ``{}``, ``{"next": null}`` and a ``null`` backup ``schema``
  are validated as sent (and fail).
* openapi-core 0.23 uses a parameter's schema ``default`` when the parameter is absent, even if
  it is ``required`` (``X-Pinecone-Api-Version`` is both), so required parameters are checked
  for presence here.
* Not every error status of every operation is declared, yet every error of the API uses
  ``ErrorResponse`` ("the response shape used for all error responses"), so an error with
  another status, or from a path the spec does not have, is validated against that schema
  directly; under 2026-07 a 401 is the ``text/plain`` ``UnauthorizedMessage`` everywhere (the
  spec declares it on every operation), so an undeclared 401 is checked for that instead.
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
from jsonschema_path.readers import FilePathReader
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from pinecone_backups.testing import Emulator, Exchange, RecordedRequest

SPEC_DIR_ENV_VAR = "PINECONE_BACKUPS_SPEC_DIR"
"""A directory holding the spec files, used instead of ``../shared/spec`` (``prism-contract``
sets it to the directory whose files Prism serves)."""
SHARED_SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "spec"
"""The source of truth: the shared, read-only copies next to the repository."""
VENDORED_SPEC_DIR = Path(__file__).resolve().parent / "data"
"""Byte-identical copies (checked by ``packaging/test_spec_copy.py``) for checkouts without
``../shared``."""
VERSION_HEADER = "X-Pinecone-Api-Version"
SPEC_SERVER = "https://api.pinecone.io"
"""Requests are matched against the spec as if sent to its server, whatever the emulator's URL."""


@dataclass(frozen=True)
class SpecFile:
    """One version's official spec file and the digest the shared spec's README gives for it."""

    version: str
    sha256: str

    @property
    def name(self) -> str:
        return f"db_control_{self.version}.oas.yaml"

    @property
    def shared_path(self) -> Path:
        return SHARED_SPEC_DIR / self.name

    @property
    def vendored_path(self) -> Path:
        return VENDORED_SPEC_DIR / self.name


SPECS: dict[str, SpecFile] = {
    spec.version: spec
    for spec in (
        SpecFile("2025-10", "9f26339463664f487191dcaae7c21981df1504c43e5c9e60c454789ee3173183"),
        SpecFile("2026-04", "d22a92915a3cac35aedaa05958953ce88569f2eaccdc0052ec47e972c4af8f83"),
        SpecFile("2026-07", "aae8aec903b413eb342edf01e146f579410161a09932877a5ccc730f39a34947"),
    )
}
"""Every version the client speaks (``pb.API_VERSIONS``, checked by ``test_spec_copy``)."""
DEFAULT_VERSION = "2025-10"
"""The client's default version (``pb.API_VERSION``); its ``ErrorResponse`` checks the answers
to requests of no known version."""
NULLABLE_ALL_OF_SINCE = "2026-07"
"""The first version whose lists end with the nullable ``pagination`` (see the docstring)."""


def spec_path(version: str = DEFAULT_VERSION) -> Path:
    """The spec file of ``version``: in ``$PINECONE_BACKUPS_SPEC_DIR``, else the shared copy next
    to the repository, else the vendored copy."""
    spec = SPECS[version]
    if os.environ.get(SPEC_DIR_ENV_VAR):
        path = Path(os.environ[SPEC_DIR_ENV_VAR]) / spec.name
    else:
        path = spec.shared_path if spec.shared_path.is_file() else spec.vendored_path
    if not path.is_file():
        raise FileNotFoundError(f"OpenAPI spec not found at {path}; set {SPEC_DIR_ENV_VAR}")
    return path


@functools.cache
def _load_spec(path: Path) -> OpenAPI:
    return OpenAPI.from_file_path(str(path))


@functools.cache
def _load_document(path: Path) -> dict[str, Any]:
    """The spec as a plain document, read as openapi-core reads it (timestamps kept as text)."""
    document, _ = FilePathReader(str(path)).read()
    assert isinstance(document, dict)
    return document


def normalise_last_page(document: Any) -> Any:
    """``document`` without a last-page ``pagination`` that the 2025-10 and 2026-04 schemas
    cannot express.

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
    (one, or the ``data`` of a list), which the 2025-10 and 2026-04 schemas cannot express;
    anything else is returned unchanged (see the module docstring)."""
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return {**document, "data": [normalise_restore_jobs(item) for item in document["data"]]}
    if not isinstance(document, dict) or "restore_job_id" not in document:
        return document
    return {
        key: value
        for key, value in document.items()
        if value is not None or key not in _UNFINISHED_RESTORE_JOB_NULLS
    }


def normalise_nullable_all_of(document: Any, *, history: bool = False) -> Any:
    """``document`` (a 2026-07 body) without the ``null`` values its spec declares nullable
    beside an ``allOf`` (see the module docstring): a list's ``"pagination": null`` and, for a
    schedule's history (``history``), each item's ``"schema": null``. Anything else, other last
    page shapes included, is returned unchanged."""
    if not isinstance(document, dict):
        return document
    out = {k: v for k, v in document.items() if k != "pagination" or v is not None}
    if history and isinstance(out.get("data"), list):
        out["data"] = [
            {k: v for k, v in item.items() if k != "schema" or v is not None}
            if isinstance(item, dict)
            else item
            for item in out["data"]
        ]
    return out


def normalise(version: str, path: str, document: Any) -> Any:
    """A 2xx ``document`` answering ``path`` under ``version``, with that version's quirks worked
    around (see the module docstring)."""
    if version >= NULLABLE_ALL_OF_SINCE:
        return normalise_nullable_all_of(document, history=path.endswith("/history"))
    return normalise_restore_jobs(normalise_last_page(document))


def version_of(request: RecordedRequest) -> str | None:
    """The spec version ``request`` asked for, or ``None`` (no header, or no such spec)."""
    version = request.headers.get(VERSION_HEADER)
    return version if version in SPECS else None


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


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    return schemas


def _operation(document: dict[str, Any], pattern: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][pattern].get(method, {})
    return operation


def _query_names(document: dict[str, Any], pattern: str, method: str) -> set[str]:
    """The query parameters ``method pattern`` declares (inline ones: the specs use no $ref)."""
    parameters = [
        *document["paths"][pattern].get("parameters", []),
        *_operation(document, pattern, method).get("parameters", []),
    ]
    return {p["name"] for p in parameters if isinstance(p, dict) and p.get("in") == "query"}


def _json_schema(content_holder: dict[str, Any] | None) -> Any:
    """The ``application/json`` schema of a response or request body, or ``None``."""
    if not isinstance(content_holder, dict):
        return None
    return content_holder.get("content", {}).get("application/json", {}).get("schema")


class _VersionSpec:
    """One version's spec: the openapi-core app, its path finder, its ``ErrorResponse``, and the
    document itself (for :meth:`SpecValidator.foreign_fields`)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.app = _load_spec(spec_path(version))
        self.document = _load_document(spec_path(version))
        self.finder = APICallPathFinder(self.app.spec)
        error_schema: SchemaPath = self.app.spec / "components" / "schemas" / "ErrorResponse"
        self.error_response = OAS30Validator(error_schema.read_value())

    def fields(self) -> dict[str, set[str]]:
        """The properties each component schema declares."""
        return {
            name: set(schema.get("properties", {}))
            for name, schema in _schemas(self.document).items()
            if isinstance(schema, dict)
        }


@functools.cache
def _version_spec(version: str, path: Path) -> _VersionSpec:
    # ``path`` is part of the key so that a changed $PINECONE_BACKUPS_SPEC_DIR loads anew.
    return _VersionSpec(version)


def _spec_of(version: str) -> _VersionSpec:
    return _version_spec(version, spec_path(version))


Elsewhere = dict[str, dict[str, list[str]]]
"""Component name -> field -> the other versions whose component of that name has the field."""


def _elsewhere(version: str) -> Elsewhere:
    own = _spec_of(version).fields()
    out: Elsewhere = {}
    for other in SPECS:
        if other == version:
            continue
        for name, fields in _spec_of(other).fields().items():
            for missing in fields - own.get(name, fields):
                out.setdefault(name, {}).setdefault(missing, []).append(other)
    return out


def _foreign(
    schemas: dict[str, Any], elsewhere: Elsewhere, schema: Any, instance: Any, where: str
) -> list[str]:
    """Fields of ``instance`` (read as ``schema``) that its component lacks in this version but
    has in another: walked through ``$ref``, ``allOf``, ``properties`` and ``items``."""
    if not isinstance(schema, dict):
        return []
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        found = [
            f"{where}.{key}: {name} has no {key!r} in this version (API {', '.join(versions)} has)"
            for key, versions in elsewhere.get(name, {}).items()
            if isinstance(instance, dict) and key in instance
        ]
        return found + _foreign(schemas, elsewhere, schemas.get(name), instance, where)
    found = []
    for member in schema.get("allOf", []):
        found += _foreign(schemas, elsewhere, member, instance, where)
    if isinstance(instance, dict):
        for key, sub in schema.get("properties", {}).items():
            if key in instance:
                found += _foreign(schemas, elsewhere, sub, instance[key], f"{where}.{key}")
    elif isinstance(instance, list):
        for number, item in enumerate(instance):
            found += _foreign(schemas, elsewhere, schema.get("items"), item, f"{where}[{number}]")
    return found


class SpecValidator:
    """Validates exchanges with the emulator against the spec of each exchange's version.

    Args:
        strict_requests: Also fail when a request violates the spec even though the emulator
            rejected it, e.g. to prove that a client under test only sends valid requests; and
            when it sends a query parameter or body field of another version (see
            :meth:`foreign_fields`). By default a spec-invalid request only fails when it was
            answered with success (the emulator accepted what the spec forbids).
    """

    def __init__(self, *, strict_requests: bool = False) -> None:
        self.strict_requests = strict_requests
        # Everything is loaded (and parsed) now, not in an emulator thread.
        self._elsewhere = {version: _elsewhere(version) for version in SPECS}

    @property
    def app(self) -> OpenAPI:
        """The default version's spec (:data:`DEFAULT_VERSION`)."""
        return self.app_for(DEFAULT_VERSION)

    def app_for(self, version: str) -> OpenAPI:
        """The spec of ``version`` (one of :data:`SPECS`)."""
        return _spec_of(version).app

    def foreign_fields(self, version: str, schema: Any, instance: Any) -> list[str]:
        """The fields of ``instance`` (a body read as ``schema``, a schema of ``version``'s
        spec) that ``version`` does not have and another version does: e.g. a 2026-07 backup's
        ``dimension``, a 2025-10 backup's ``source_index_deleted_at``, a 2025-10 restore request's
        ``read_capacity``. (The specs leave objects open to unknown fields; these are not
        unknown, they are the differences between versions.)"""
        schemas = _schemas(_spec_of(version).document)
        return _foreign(schemas, self._elsewhere[version], schema, instance, "$")

    def request_errors(self, request: RecordedRequest) -> list[str]:
        """What is wrong with ``request`` according to the spec of its version (``[]`` if
        nothing); with ``strict_requests``, also the query parameters and body fields of
        another version it sends."""
        version = version_of(request)
        if version is None:
            sent = request.headers.get(VERSION_HEADER)
            if sent is None:
                return [f"missing required header parameter {VERSION_HEADER}"]
            return [
                f"{VERSION_HEADER} {sent!r} is the version of no spec "
                f"(there are {', '.join(SPECS)})"
            ]
        spec = _spec_of(version)
        try:
            found = spec.finder.find(request.method.lower(), SPEC_SERVER + request.path)
        except PathError as error:
            return [
                f"{request.method} {request.path} is no operation of the {version} spec ({error})"
            ]
        errors = [
            _describe(error) for error in spec.app.iter_request_errors(_SpecRequest.of(request))
        ]
        sources = {"header": request.headers, "query": request.query}
        for parameter in found.operation / "parameters":
            name, where = (parameter / "name").read_str(), (parameter / "in").read_str()
            required = (parameter / "required").read_bool(default=False)
            if required and where in sources and name not in sources[where]:
                errors.append(f"missing required {where} parameter {name}")
        if self.strict_requests:
            errors += self._foreign_request_parts(version, found.path_result.pattern, request)
        return errors

    def _foreign_request_parts(
        self, version: str, pattern: str, request: RecordedRequest
    ) -> list[str]:
        method = request.method.lower()
        own = _query_names(_spec_of(version).document, pattern, method)
        errors = []
        for name in request.query:
            if name in own:
                continue
            others = [
                other
                for other in SPECS
                if pattern in _spec_of(other).document["paths"]
                and name in _query_names(_spec_of(other).document, pattern, method)
            ]
            if others:
                errors.append(
                    f"query parameter {name!r} is not in the {version} spec "
                    f"(API {', '.join(others)} has it)"
                )
        body_schema = _json_schema(
            _operation(_spec_of(version).document, pattern, method).get("requestBody")
        )
        is_json, body = _json_or_none(request.body)
        if body_schema is not None and is_json:
            errors += [
                f"body {problem}" for problem in self.foreign_fields(version, body_schema, body)
            ]
        return errors

    def response_errors(self, exchange: Exchange) -> list[str]:
        """What is wrong with the response of ``exchange`` according to the spec of its
        request's version (for a request of no known version: anything but a 4xx
        ``ErrorResponse``), fields of another version included (:meth:`foreign_fields`).

        An injected fault (``exchange.fault``) whose body is not JSON is not checked.
        """
        is_json, document = _json_or_none(exchange.body)
        if exchange.fault is not None and not is_json:
            return []
        status = exchange.status
        content_type = exchange.headers.get("Content-Type", "")
        version = version_of(exchange.request)
        if version is None:
            errors = [] if 400 <= status < 500 else [f"a {status}, not a 4xx"]
            errors += self._error_response_errors(
                _spec_of(DEFAULT_VERSION), status, content_type, is_json, document
            )
            return [
                f"the answer to a request of no known API version must be a 4xx ErrorResponse: "
                f"{error}"
                for error in errors
            ]
        spec = _spec_of(version)
        request = _SpecRequest.of(exchange.request)
        if 200 <= status < 300 and is_json:
            document = normalise(version, request.path, document)
        response = _SpecResponse(
            status_code=status,
            content_type=content_type,
            headers=Headers(list(exchange.headers.raw)),
            data=json.dumps(document).encode() if is_json else exchange.body,
        )
        failures = list(spec.app.iter_response_errors(request, response))
        if not any(isinstance(error, (PathError, ResponseNotFound)) for error in failures):
            problems = [_describe(error) for error in failures]
            if is_json:
                found = spec.finder.find(request.method, SPEC_SERVER + request.path)
                declared = _operation(spec.document, found.path_result.pattern, request.method)
                schema = _json_schema(declared.get("responses", {}).get(str(status)))
                if schema is not None:
                    problems += self.foreign_fields(version, schema, document)
            return problems
        if status < 400:
            return [
                f"the {version} spec declares no {status} response for "
                f"{request.method.upper()} {request.path}"
            ]
        if status == 401 and version >= "2026-07":
            if _media_type(content_type) != "text/plain":
                return [f"a 2026-07 401 has Content-Type {content_type!r}, not text/plain"]
            return []
        return self._error_response_errors(spec, status, content_type, is_json, document)

    @staticmethod
    def _error_response_errors(
        spec: _VersionSpec, status: int, content_type: str, is_json: bool, document: Any
    ) -> list[str]:
        if _media_type(content_type) != "application/json":
            return [f"error response has Content-Type {content_type!r}, not application/json"]
        if not is_json:
            return ["error response body is not JSON"]
        errors = [
            f"ErrorResponse {error.json_path}: {error.message}"
            for error in spec.error_response.iter_errors(document)
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
    version = request.headers.get(VERSION_HEADER)
    lines = [f"{request.method} {target} [{version}] -> {exchange.status}{fault} breaks the spec:"]
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
