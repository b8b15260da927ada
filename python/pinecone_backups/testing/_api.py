"""The emulated API as a function from a request to a reply: routing, checks, pagination.

With :attr:`ApiSettings.lifecycle` off it serves ``list_index_backups`` alone; on, the whole
backup lifecycle (backups, restores into new indexes, restore jobs, the indexes themselves: listed
and described) and, from API 2026-07, backup schedules. Each request is answered in the version
its ``X-Pinecone-Api-Version`` header names (``_versions.py`` declares what differs).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any, Literal, get_args
from urllib.parse import unquote

from ._bodies import (
    FieldCheck,
    InvalidBody,
    checked_fields,
    json_object,
    schedule_changes,
    schedule_to_create,
)
from ._records import RecordedRequest
from ._store import BackupStore, Page, Refused, encode_json
from ._versions import (
    UNAUTHORIZED_MESSAGE,
    UNAUTHORIZED_TEXT,
    V2025_10,
    VERSION_NAMES,
    ApiVersion,
    version_named,
)

LastPageStyle = Literal["null", "missing", "empty", "next-null", "next-empty"]
"""How the last page's ``pagination`` is written (see :attr:`Emulator.last_page`)."""

LAST_PAGE_STYLES: tuple[LastPageStyle, ...] = get_args(LastPageStyle)

_LAST_PAGE_ENDINGS: dict[LastPageStyle, bytes] = {
    "null": b'],"pagination":null}',
    "missing": b"]}",
    "empty": b'],"pagination":{}}',
    "next-null": b'],"pagination":{"next":null}}',
    "next-empty": b'],"pagination":{"next":""}}',
}

MAX_PAGE_SIZE = 100
"""The largest ``limit`` before API 2026-07 (and of :attr:`Emulator.default_page_size`)."""

_HUGE_PAGE = 10**9
"""From API 2026-07 ``limit`` has no maximum: a larger one is read as this (more than any
listing holds)."""

API_VERSION = "2025-10"
"""The oldest API version emulated, and the shape of the emulator's own data views."""

API_VERSIONS: tuple[str, ...] = VERSION_NAMES
"""Every API version emulated, accepted by default in ``X-Pinecone-Api-Version``."""

PERMISSION_DENIED_BACKUPS = (
    "Your organization's plan does not include backups. Upgrade your plan to create backups."
)
PERMISSION_DENIED_SCHEDULES = "Scheduled backups are not available for your plan"

BACKUPS_ROUTE = "/indexes/{index_name}/backups"
SCHEDULES_ROUTE = "/indexes/{index_name}/backup-schedules"


def index_name_of(path: str) -> str | None:
    """The decoded ``{index_name}`` of a ``/indexes/{index_name}/backups`` path, else ``None``."""
    parts = path.split("/")
    if len(parts) == 4 and parts[0] == "" and parts[1] == "indexes" and parts[3] == "backups":
        return unquote(parts[2]) or None
    return None


def is_page_size(size: object) -> bool:
    """Whether ``size`` is a valid page size: an ``int`` from 1 to :data:`MAX_PAGE_SIZE`."""
    return type(size) is int and 1 <= size <= MAX_PAGE_SIZE


def _page_size_text(text: str, maximum: int | None) -> int | None:
    """The page size ``text`` gives in ASCII digits (leading zeros allowed): from 1 to
    ``maximum`` (``None``: any, a huge one read as :data:`_HUGE_PAGE`); else ``None``."""
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not digits:
        return None
    if len(digits) > len(str(maximum or _HUGE_PAGE)):  # int() of a long string is slow, or fails
        return None if maximum is not None else _HUGE_PAGE
    size = int(digits)
    if maximum is None:
        return min(size, _HUGE_PAGE)
    return size if size <= maximum else None


def error_code_for(status: int, version: str | None = None) -> str:
    """The ``error.code`` the emulator uses for an HTTP status under API ``version`` (2025-10 by
    default; ``"UNKNOWN"`` if none fits)."""
    return (version_named(version) or V2025_10).error_code(status)


def status_phrase(status: int) -> str:
    """The standard reason phrase of ``status`` (``""`` for a code HTTP does not name)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class Reply:
    """A response to write: status, body, content type (``""``: no ``Content-Type`` header) and
    headers added to the defaults."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()


def error_reply(
    status: int,
    message: str | None = None,
    *,
    code: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
    version: str | None = None,
) -> Reply:
    """An ``ErrorResponse`` reply, as API ``version`` writes it (2025-10 by default).

    ``code`` defaults to :func:`error_code_for` the status in that version, ``message`` to its
    reason phrase (or ``"Error"`` for a status HTTP does not name). A 401 without a ``code`` under
    a version that answers 401 in plain text (2026-07) is that text instead: ``message``, by
    default ``Invalid API key``.
    """
    speaks = version_named(version) or V2025_10
    if status == 401 and code is None and speaks.unauthorized_as_text:
        text = (message or UNAUTHORIZED_TEXT).encode()
        return Reply(status, text, content_type="text/plain", headers=headers)
    message = message or status_phrase(status) or "Error"
    error = {"code": code or speaks.error_code(status), "message": message}
    return Reply(status, encode_json({"error": error, "status": status}), headers=headers)


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    """An error to answer with once the request is known: :func:`error_reply` in the request's
    API version (its code, and a 401's form, follow the version)."""

    status: int
    message: str | None = None
    code: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def reply(self, request: RecordedRequest) -> Reply:
        """The reply to ``request``."""
        version = request.headers.get("X-Pinecone-Api-Version")
        return error_reply(
            self.status, self.message, code=self.code, headers=self.headers, version=version
        )


class InvalidToken(ValueError):
    """A pagination token the emulator did not issue, or issued for another listing."""


# Tokens are standard base64, with padding, of MAGIC + 4 random bytes + a small JSON object
# (the listing's scope, offset, page size) + 0 to 2 spaces. MAGIC makes every token start with
# "+/" and the spaces make every token end with "==", so a client that does not percent-encode the
# token breaks (an unencoded "+" reads as a space) instead of passing by luck. Trailing spaces are
# valid JSON.
_TOKEN_MAGIC = b"\xfb\xff"
_TOKEN_PAYLOAD_START = len(_TOKEN_MAGIC) + 4


def encode_token(scope: str, offset: int, size: int) -> str:
    """A pagination token for the page of ``size`` items of listing ``scope`` from ``offset``.

    The scope is the listing's path, unencoded (``/indexes/{index_name}/backups`` with the name
    filled in, ``/backups``, ``/restore-jobs``...), so a token serves one listing only.
    """
    payload = encode_json({"scope": scope, "offset": offset, "size": size})
    raw = _TOKEN_MAGIC + os.urandom(4) + payload
    raw += b" " * (-(len(raw) - 1) % 3)  # length = 1 (mod 3): base64 ends with "=="
    return base64.b64encode(raw).decode("ascii")


def decode_token(token: str) -> tuple[str, int, int]:
    """``(scope, offset, size)`` of a token from :func:`encode_token`; else InvalidToken."""
    try:
        raw = base64.b64decode(token, validate=True)
        payload = json.loads(raw[_TOKEN_PAYLOAD_START:]) if raw.startswith(_TOKEN_MAGIC) else None
    except (binascii.Error, ValueError):
        payload = None
    if not isinstance(payload, dict) or set(payload) != {"scope", "offset", "size"}:
        raise InvalidToken(token)
    scope, offset, size = payload["scope"], payload["offset"], payload["size"]
    if (
        not isinstance(scope, str)
        or type(offset) is not int
        or offset < 1
        or type(size) is not int
        or not 1 <= size <= _HUGE_PAGE
    ):
        raise InvalidToken(token)
    return scope, offset, size


@dataclass(slots=True)
class ApiSettings:
    """The emulated API's settings; all but the first two may change while the server runs.

    ``default_page_size`` is a listing's page size without ``limit`` (``None``: each version's,
    10 before 2026-07 and 100 from then). ``lifecycle`` serves every backup route, not just
    ``list_index_backups``. Backups created through the API (or by a schedule) take
    ``backup_seconds`` to finish and restores ``restore_seconds`` (of emulator time), and a
    restored index is ready ``index_seconds`` after its restore job completed;
    ``backup_quota`` caps the backups of the project (``None``: no cap);
    ``repeat_restore_jobs`` starts each page of restore jobs after the first with the last job of
    the previous page. Without ``plan_includes_backups``, creating a backup (or a schedule) is a
    403 ``PERMISSION_DENIED``; without ``plan_includes_schedules``, creating or changing a
    schedule is.
    """

    api_key: str
    api_versions: tuple[str, ...]
    default_page_size: int | None
    last_page: LastPageStyle
    lifecycle: bool = True
    backup_seconds: float = 1.0
    restore_seconds: float = 1.0
    index_seconds: float = 0.0
    backup_quota: int | None = None
    repeat_restore_jobs: bool = False
    plan_includes_backups: bool = True
    plan_includes_schedules: bool = True


@dataclass(frozen=True, slots=True)
class _Call:
    """A request being answered: the request, the settings, the data, the version the request
    speaks and the decoded path parameter (``""`` if the route has none)."""

    request: RecordedRequest
    settings: ApiSettings
    store: BackupStore
    version: ApiVersion
    parameter: str

    def error(self, status: int, message: str | None = None) -> Reply:
        """An error reply in the request's version."""
        return error_reply(status, message, version=self.version.name)

    def refused(self, refusal: Refused) -> Reply:
        return self.error(refusal.status, str(refusal))

    def invalid(self, problem: InvalidBody) -> Reply:
        return self.error(problem.status, str(problem))

    def single(self, name: str) -> str | Reply | None:
        """The one value of query parameter ``name`` (``None`` if absent; a 400 if repeated)."""
        values = self.request.query.get(name)
        if values is None:
            return None
        if len(values) > 1:
            return self.error(
                400, f"Query parameter {name} was given {len(values)} times; give it once."
            )
        return values[0]

    def body(self, checks: Mapping[str, FieldCheck], *required: str) -> dict[str, Any]:
        """The known fields of the request's JSON body, checked (:class:`InvalidBody` if not)."""
        return checked_fields(self.document(), checks, required)

    def document(self) -> dict[str, Any]:
        """The request's JSON body (:class:`InvalidBody` if not a JSON object)."""
        return json_object(self.request.headers.get("Content-Type", ""), self.request.body)


def _page_size(call: _Call) -> int | Reply:
    limit = call.single("limit")
    if isinstance(limit, Reply):
        return limit
    if limit is None:
        return call.settings.default_page_size or call.version.default_page_size
    maximum = call.version.max_page_size
    size = _page_size_text(limit, maximum)
    if size is None:
        rule = f"between 1 and {maximum}" if maximum is not None else "a positive integer"
        return call.error(
            400, f"Invalid value for query parameter limit: {limit!r}. It must be {rule}."
        )
    return size


def _refuse_headers(request: RecordedRequest, settings: ApiSettings) -> Reply | None:
    """The reply to a request with a wrong ``Api-Key`` (401) or version header (400), if any."""
    version = request.headers.get("X-Pinecone-Api-Version")
    known = version_named(version) if version in settings.api_versions else None
    if request.headers.get("Api-Key") != settings.api_key:
        speaks = known or V2025_10  # an unknown version: the oldest's form
        message = None if speaks.unauthorized_as_text else UNAUTHORIZED_MESSAGE
        return error_reply(401, message, version=speaks.name)
    if known is not None:
        return None
    supported = ", ".join(settings.api_versions)
    if version is None:
        return error_reply(
            400,
            f"Missing required header X-Pinecone-Api-Version. Supported versions: {supported}.",
        )
    return error_reply(
        400,
        f"Unsupported API version {version!r} in header X-Pinecone-Api-Version. "
        f"Supported versions: {supported}.",
    )


@dataclass(frozen=True, slots=True)
class _Listing:
    """A paginated listing: the scope its tokens carry, its name in errors, and how a page of it
    is read (``None``: what it lists does not exist, a 404 saying ``missing``)."""

    scope: str
    name: str
    read: Callable[[int, int], Page | None]
    missing: str = ""
    repeat: bool = False  # each page after the first starts with the previous page's last item


def _list(call: _Call, listing: _Listing) -> Reply:
    """One page of ``listing``: checks ``limit`` and ``paginationToken`` (400), then reads it.

    With ``listing.repeat``, a page after the first starts one item early (when the page size
    leaves room for a new item too), so it repeats the previous page's last item and holds
    ``size - 1`` new ones: never more than ``limit`` items, none skipped.
    """
    size = _page_size(call)
    if isinstance(size, Reply):
        return size
    token = call.single("paginationToken")
    if isinstance(token, Reply):
        return token
    offset = 0
    if token is not None:
        try:
            scope, offset, size = decode_token(token)
        except InvalidToken:
            return call.error(400, "Invalid pagination token.")
        if scope != listing.scope:
            return call.error(400, f"Pagination token was not issued for {listing.name}.")
        maximum = call.version.max_page_size
        if maximum is not None and size > maximum:
            return call.error(
                400, f"Pagination token was not issued for API version {call.version.name}."
            )
    if listing.repeat and offset > 0 and size > 1:
        offset -= 1
    page = listing.read(offset, size)
    if page is None:
        return call.error(404, listing.missing)
    items, more = page
    body = b'{"data":[' + b",".join(items)
    if more:
        next_token = encode_token(listing.scope, offset + size, size).encode("ascii")
        body += b'],"pagination":{"next":"' + next_token + b'"}}'
    else:
        body += _LAST_PAGE_ENDINGS[call.settings.last_page]
    return Reply(200, body)


def _found(call: _Call, body: bytes | None, missing: str) -> Reply:
    return call.error(404, missing) if body is None else Reply(200, body)


def _include_deleted(call: _Call) -> bool | Reply:
    """The ``include_deleted`` query parameter (false when absent, or before API 2026-04)."""
    if not call.version.include_deleted:
        return False
    value = call.single("include_deleted")
    if isinstance(value, Reply):
        return value
    if value is None or value == "false":
        return False
    if value == "true":
        return True
    return call.error(
        400,
        f"Invalid value for query parameter include_deleted: {value!r}. It must be true or false.",
    )


# -- the operations: a call -> its reply --------------------------------------------------------


def _list_index_backups(call: _Call) -> Reply:
    include_deleted = _include_deleted(call)
    if isinstance(include_deleted, Reply):
        return include_deleted
    index_name = call.parameter
    scope = BACKUPS_ROUTE.format(index_name=index_name)
    listing = _Listing(
        scope=scope + ("?include_deleted" if include_deleted else ""),
        name=f"index {index_name}",
        read=partial(
            call.store.page,
            index_name,
            version=call.version.position,
            include_deleted=include_deleted,
        ),
        missing=f"Index {index_name} not found.",
    )
    return _list(call, listing)


def _create_backup(call: _Call) -> Reply:
    settings = call.settings
    if not settings.plan_includes_backups:
        return error_reply(
            403, PERMISSION_DENIED_BACKUPS, code="PERMISSION_DENIED", version=call.version.name
        )
    try:
        fields = call.body(call.version.create_backup_fields)
        backup = call.store.create_backup(
            call.parameter,
            fields,
            seconds=settings.backup_seconds,
            quota=settings.backup_quota,
            version=call.version.position,
        )
    except InvalidBody as problem:
        return call.invalid(problem)
    except Refused as refusal:
        return call.refused(refusal)
    return Reply(call.version.create_backup_status, backup)


def _list_project_backups(call: _Call) -> Reply:
    read = partial(call.store.project_page, version=call.version.position)
    return _list(call, _Listing("/backups", "this project", read))


def _describe_backup(call: _Call) -> Reply:
    backup = call.store.get_backup(call.parameter, call.version.position)
    return _found(call, backup, f"Backup {call.parameter} not found.")


def _delete_backup(call: _Call) -> Reply:
    try:
        call.store.delete_backup(
            call.parameter, wait_for_restores=call.version.delete_waits_for_restores
        )
    except Refused as refusal:
        return call.refused(refusal)
    return Reply(202, b"", content_type="")


def _create_index_from_backup(call: _Call) -> Reply:
    settings = call.settings
    try:
        fields = call.body(call.version.create_index_fields, "name")
        job_id, index_id = call.store.restore(
            call.parameter,
            fields["name"],
            seconds=settings.restore_seconds,
            index_seconds=settings.index_seconds,
            options=fields,
        )
    except InvalidBody as problem:
        return call.invalid(problem)
    except Refused as refusal:
        return call.refused(refusal)
    return Reply(202, encode_json({"restore_job_id": job_id, "index_id": index_id}))


def _list_restore_jobs(call: _Call) -> Reply:
    read = partial(call.store.jobs_page, version=call.version.position)
    listing = _Listing(
        "/restore-jobs", "restore jobs", read, repeat=call.settings.repeat_restore_jobs
    )
    return _list(call, listing)


def _describe_restore_job(call: _Call) -> Reply:
    job = call.store.get_restore_job(call.parameter, call.version.position)
    return _found(call, job, f"Restore job {call.parameter} not found.")


def _list_indexes(call: _Call) -> Reply:
    return Reply(200, encode_json({"indexes": call.store.indexes(call.version)}))


def _describe_index(call: _Call) -> Reply:
    index = call.store.get_index(call.parameter, call.version)
    body = None if index is None else encode_json(index)
    return _found(call, body, f"Index {call.parameter} not found.")


def _schedules_refused(call: _Call) -> Reply | None:
    """The 403 of a plan without backups or without scheduled backups, if any."""
    settings = call.settings
    if settings.plan_includes_backups and settings.plan_includes_schedules:
        return None
    return error_reply(
        403, PERMISSION_DENIED_SCHEDULES, code="PERMISSION_DENIED", version=call.version.name
    )


def _list_backup_schedules(call: _Call) -> Reply:
    index_name = call.parameter
    listing = _Listing(
        scope=SCHEDULES_ROUTE.format(index_name=index_name),
        name=f"the backup schedules of index {index_name}",
        read=partial(call.store.schedules_page, index_name),
        missing=f"Index {index_name} not found.",
    )
    return _list(call, listing)


def _create_backup_schedule(call: _Call) -> Reply:
    refusal = _schedules_refused(call)
    if refusal is not None:
        return refusal
    try:
        name, frequency, days = schedule_to_create(call.document())
        schedule = call.store.create_schedule(call.parameter, name, frequency, days)
    except InvalidBody as problem:
        return call.invalid(problem)
    except Refused as refused:
        return call.refused(refused)
    return Reply(200, schedule)


def _describe_backup_schedule(call: _Call) -> Reply:
    schedule = call.store.get_schedule(call.parameter)
    return _found(call, schedule, f"Backup schedule {call.parameter} not found.")


def _update_backup_schedule(call: _Call) -> Reply:
    refusal = _schedules_refused(call)
    if refusal is not None:
        return refusal
    try:
        frequency, days, enabled = schedule_changes(call.document())
        schedule = call.store.update_schedule(call.parameter, frequency, days, enabled)
    except InvalidBody as problem:
        return call.invalid(problem)
    except Refused as refused:
        return call.refused(refused)
    return Reply(200, schedule)


def _delete_backup_schedule(call: _Call) -> Reply:
    try:
        call.store.delete_schedule(call.parameter)
    except Refused as refusal:
        return call.refused(refusal)
    return Reply(204, b"", content_type="")


def _list_backup_schedule_history(call: _Call) -> Reply:
    schedule_id = call.parameter
    listing = _Listing(
        scope=f"/backup-schedules/{schedule_id}/history",
        name=f"the history of backup schedule {schedule_id}",
        read=partial(call.store.history_page, schedule_id),
        missing=f"Backup schedule {schedule_id} not found.",
    )
    return _list(call, listing)


Operation = Callable[[_Call], Reply]


@dataclass(frozen=True, slots=True)
class _Route:
    """A path template with at most one ``{parameter}`` segment, and its operations by method."""

    template: str
    operations: Mapping[str, Operation]
    pattern: tuple[str, ...] = field(init=False)  # the template split at "/"

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", tuple(self.template.split("/")))

    def parameter(self, segments: Sequence[str]) -> str | None:
        """The percent-decoded parameter (``""`` if none) if ``segments`` (of a path split at
        ``/``) match the template, else ``None``."""
        if len(segments) != len(self.pattern):
            return None
        found = ""
        for segment, expected in zip(segments, self.pattern, strict=True):
            if expected.startswith("{"):
                found = unquote(segment)
                if not found:
                    return None
            elif segment != expected:
                return None
        return found


_LISTING_ROUTES = (_Route(BACKUPS_ROUTE, {"GET": _list_index_backups}),)
_LIFECYCLE_ROUTES = (
    _Route(BACKUPS_ROUTE, {"GET": _list_index_backups, "POST": _create_backup}),
    _Route("/backups", {"GET": _list_project_backups}),
    _Route("/backups/{backup_id}", {"GET": _describe_backup, "DELETE": _delete_backup}),
    _Route("/backups/{backup_id}/create-index", {"POST": _create_index_from_backup}),
    _Route("/restore-jobs", {"GET": _list_restore_jobs}),
    _Route("/restore-jobs/{job_id}", {"GET": _describe_restore_job}),
    _Route("/indexes", {"GET": _list_indexes}),
    _Route("/indexes/{index_name}", {"GET": _describe_index}),
)
_SCHEDULE_ROUTES = (
    _Route(SCHEDULES_ROUTE, {"GET": _list_backup_schedules, "POST": _create_backup_schedule}),
    _Route(
        "/backup-schedules/{schedule_id}",
        {
            "GET": _describe_backup_schedule,
            "PATCH": _update_backup_schedule,
            "DELETE": _delete_backup_schedule,
        },
    ),
    _Route("/backup-schedules/{schedule_id}/history", {"GET": _list_backup_schedule_history}),
)


def _routes(settings: ApiSettings, version: ApiVersion) -> tuple[_Route, ...]:
    if not settings.lifecycle:
        return _LISTING_ROUTES
    return _LIFECYCLE_ROUTES + _SCHEDULE_ROUTES if version.schedules else _LIFECYCLE_ROUTES


def answer(request: RecordedRequest, settings: ApiSettings, store: BackupStore) -> Reply:
    """The emulated API's reply to ``request``, in the API version it names.

    Checks, in order: ``Api-Key`` (401), ``X-Pinecone-Api-Version`` (400), the route (404, or 405
    with ``Allow`` for a method the path does not have; a route of a later version is a 404),
    then what the operation checks: ``limit`` and ``paginationToken`` (400) before reading a
    listing, the plan (403), the body (400 or 422) before acting, then that what the path names
    exists (404) and the operation's preconditions.
    """
    refusal = _refuse_headers(request, settings)
    if refusal is not None:
        return refusal
    version = version_named(request.headers.get("X-Pinecone-Api-Version"))
    assert version is not None  # _refuse_headers accepts only known versions
    segments = request.path.split("/")
    for route in _routes(settings, version):
        parameter = route.parameter(segments)
        if parameter is not None:
            break
    else:
        return error_reply(
            404, f"No such route: {request.method} {request.path}.", version=version.name
        )
    operation = route.operations.get(request.method)
    if operation is None:
        return error_reply(
            405,
            f"Method {request.method} is not allowed on {route.template}.",
            headers=(("Allow", ", ".join(route.operations)),),
            version=version.name,
        )
    return operation(_Call(request, settings, store, version, parameter))


def parse_last_page(style: str) -> LastPageStyle:
    """``style`` if it is one of :data:`LAST_PAGE_STYLES`, else ``ValueError``."""
    if style not in LAST_PAGE_STYLES:
        raise ValueError(f"last_page must be one of {', '.join(LAST_PAGE_STYLES)}; got {style!r}")
    return LAST_PAGE_STYLES[LAST_PAGE_STYLES.index(style)]  # the known str, not a subclass


def check_page_size(size: int | None, name: str) -> int | None:
    """``size`` if it is ``None`` or a valid page size (1 to 100), else ``ValueError``."""
    if size is not None and not is_page_size(size):
        raise ValueError(
            f"{name} must be None or an integer between 1 and {MAX_PAGE_SIZE}; got {size!r}"
        )
    return size


def check_versions(versions: Sequence[str]) -> tuple[str, ...]:
    """``versions`` as a tuple, if it is a non-empty sequence of the versions the emulator
    speaks, else ``ValueError``."""
    if isinstance(versions, str) or not versions or not all(isinstance(v, str) for v in versions):
        raise ValueError(f"api_versions must be a non-empty sequence of strings; got {versions!r}")
    unknown = [version for version in versions if version not in API_VERSIONS]
    if unknown:
        raise ValueError(
            f"api_versions: the emulator speaks {', '.join(API_VERSIONS)}; got {unknown[0]!r}"
        )
    return tuple(dict.fromkeys(versions))
