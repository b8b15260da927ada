"""The emulated API as a function from a request to a reply: routing, checks, pagination.

With :attr:`ApiSettings.lifecycle` off it serves ``list_index_backups`` alone; on, the whole
backup lifecycle of API 2025-10 (backups, restores into new indexes, restore jobs).
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
    CREATE_BACKUP,
    CREATE_INDEX_FROM_BACKUP,
    FieldCheck,
    InvalidBody,
    checked_fields,
    json_object,
)
from ._records import RecordedRequest
from ._store import BackupStore, Page, Refused, encode_json

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

API_VERSION = "2025-10"
"""The API version emulated, accepted by default in ``X-Pinecone-Api-Version``."""

_ERROR_CODES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    402: "PAYMENT_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    422: "UNPROCESSABLE_ENTITY",
    429: "RESOURCE_EXHAUSTED",
    500: "UNKNOWN",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

BACKUPS_ROUTE = "/indexes/{index_name}/backups"


def index_name_of(path: str) -> str | None:
    """The decoded ``{index_name}`` of a ``/indexes/{index_name}/backups`` path, else ``None``."""
    parts = path.split("/")
    if len(parts) == 4 and parts[0] == "" and parts[1] == "indexes" and parts[3] == "backups":
        return unquote(parts[2]) or None
    return None


def is_page_size(size: object) -> bool:
    """Whether ``size`` is a valid page size: an ``int`` from 1 to :data:`MAX_PAGE_SIZE`."""
    return type(size) is int and 1 <= size <= MAX_PAGE_SIZE


def _is_page_size_text(text: str) -> bool:
    """Whether ``text`` is a valid page size in ASCII digits (leading zeros allowed)."""
    digits = text.lstrip("0")
    return (
        text.isascii()
        and text.isdigit()
        and len(digits) <= len(str(MAX_PAGE_SIZE))  # int() of a long string is slow, or fails
        and is_page_size(int(digits or "0"))
    )


def error_code_for(status: int) -> str:
    """The ``error.code`` the emulator uses for an HTTP status (``"UNKNOWN"`` if none fits)."""
    return _ERROR_CODES.get(status, "UNKNOWN")


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
) -> Reply:
    """An ``ErrorResponse`` reply.

    ``code`` defaults to :func:`error_code_for` the status, ``message`` to its reason phrase (or
    ``"Error"`` for a status HTTP does not name).
    """
    message = message or status_phrase(status) or "Error"
    error = {"code": code or error_code_for(status), "message": message}
    return Reply(status, encode_json({"error": error, "status": status}), headers=headers)


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
    filled in, ``/backups``, ``/restore-jobs``), so a token serves one listing only.
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
        or not is_page_size(size)
    ):
        raise InvalidToken(token)
    return scope, offset, size


@dataclass(slots=True)
class ApiSettings:
    """The emulated API's settings; all but the first three may change while the server runs.

    ``lifecycle`` serves every backup route, not just ``list_index_backups``. Backups created
    through the API take ``backup_seconds`` to finish and restores ``restore_seconds`` (of
    emulator time); ``backup_quota`` caps the backups of the project (``None``: no cap);
    ``repeat_restore_jobs`` starts each page of restore jobs after the first with the last job of
    the previous page.
    """

    api_key: str
    api_versions: tuple[str, ...]
    default_page_size: int
    last_page: LastPageStyle
    lifecycle: bool = True
    backup_seconds: float = 1.0
    restore_seconds: float = 1.0
    backup_quota: int | None = None
    repeat_restore_jobs: bool = False


def _single(request: RecordedRequest, name: str) -> str | Reply | None:
    values = request.query.get(name)
    if values is None:
        return None
    if len(values) > 1:
        return error_reply(
            400, f"Query parameter {name} was given {len(values)} times; give it once."
        )
    return values[0]


def _page_size(request: RecordedRequest, default: int) -> int | Reply:
    limit = _single(request, "limit")
    if isinstance(limit, Reply):
        return limit
    if limit is None:
        return default
    if not _is_page_size_text(limit):
        return error_reply(
            400,
            f"Invalid value for query parameter limit: {limit!r}. "
            f"It must be an integer between 1 and {MAX_PAGE_SIZE}.",
        )
    return int(limit.lstrip("0"))  # (zero-padded: int() refuses over 4,300 digits)


def _refuse_headers(request: RecordedRequest, settings: ApiSettings) -> Reply | None:
    """The reply to a request with a wrong ``Api-Key`` (401) or version header (400), if any."""
    if request.headers.get("Api-Key") != settings.api_key:
        return error_reply(401, "Invalid API key.")
    version = request.headers.get("X-Pinecone-Api-Version")
    if version in settings.api_versions:
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


def _list(request: RecordedRequest, settings: ApiSettings, listing: _Listing) -> Reply:
    """One page of ``listing``: checks ``limit`` and ``paginationToken`` (400), then reads it.

    With ``listing.repeat``, a page after the first starts one item early (when the page size
    leaves room for a new item too), so it repeats the previous page's last item and holds
    ``size - 1`` new ones: never more than ``limit`` items, none skipped.
    """
    size = _page_size(request, settings.default_page_size)
    if isinstance(size, Reply):
        return size
    token = _single(request, "paginationToken")
    if isinstance(token, Reply):
        return token
    offset = 0
    if token is not None:
        try:
            scope, offset, size = decode_token(token)
        except InvalidToken:
            return error_reply(400, "Invalid pagination token.")
        if scope != listing.scope:
            return error_reply(400, f"Pagination token was not issued for {listing.name}.")
    if listing.repeat and offset > 0 and size > 1:
        offset -= 1
    page = listing.read(offset, size)
    if page is None:
        return error_reply(404, listing.missing)
    items, more = page
    body = b'{"data":[' + b",".join(items)
    if more:
        next_token = encode_token(listing.scope, offset + size, size).encode("ascii")
        body += b'],"pagination":{"next":"' + next_token + b'"}}'
    else:
        body += _LAST_PAGE_ENDINGS[settings.last_page]
    return Reply(200, body)


def _found(body: bytes | None, missing: str) -> Reply:
    return error_reply(404, missing) if body is None else Reply(200, body)


def _refused(refusal: Refused) -> Reply:
    return error_reply(refusal.status, str(refusal))


def _body(
    request: RecordedRequest, checks: Mapping[str, FieldCheck], *required: str
) -> dict[str, Any]:
    """The known fields of the request's JSON body, checked (:class:`InvalidBody` if not)."""
    document = json_object(request.headers.get("Content-Type", ""), request.body)
    return checked_fields(document, checks, required)


# -- the operations: (request, settings, store, the decoded path parameter or "") -> reply ------


def _list_index_backups(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, index_name: str
) -> Reply:
    listing = _Listing(
        scope=BACKUPS_ROUTE.format(index_name=index_name),
        name=f"index {index_name}",
        read=partial(store.page, index_name),
        missing=f"Index {index_name} not found.",
    )
    return _list(request, settings, listing)


def _create_backup(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, index_name: str
) -> Reply:
    try:
        fields = _body(request, CREATE_BACKUP)
        backup = store.create_backup(
            index_name, fields, seconds=settings.backup_seconds, quota=settings.backup_quota
        )
    except InvalidBody as problem:
        return error_reply(400, str(problem))
    except Refused as refusal:
        return _refused(refusal)
    return Reply(201, backup)


def _list_project_backups(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, _: str
) -> Reply:
    return _list(request, settings, _Listing("/backups", "this project", store.project_page))


def _describe_backup(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, backup_id: str
) -> Reply:
    return _found(store.get_backup(backup_id), f"Backup {backup_id} not found.")


def _delete_backup(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, backup_id: str
) -> Reply:
    try:
        store.delete_backup(backup_id)
    except Refused as refusal:
        return _refused(refusal)
    return Reply(202, b"", content_type="")


def _create_index_from_backup(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, backup_id: str
) -> Reply:
    try:
        fields = _body(request, CREATE_INDEX_FROM_BACKUP, "name")
        job_id, index_id = store.restore(
            backup_id, fields["name"], seconds=settings.restore_seconds
        )
    except InvalidBody as problem:
        return error_reply(400, str(problem))
    except Refused as refusal:
        return _refused(refusal)
    return Reply(202, encode_json({"restore_job_id": job_id, "index_id": index_id}))


def _list_restore_jobs(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, _: str
) -> Reply:
    listing = _Listing(
        "/restore-jobs", "restore jobs", store.jobs_page, repeat=settings.repeat_restore_jobs
    )
    return _list(request, settings, listing)


def _describe_restore_job(
    request: RecordedRequest, settings: ApiSettings, store: BackupStore, job_id: str
) -> Reply:
    return _found(store.get_restore_job(job_id), f"Restore job {job_id} not found.")


Operation = Callable[[RecordedRequest, ApiSettings, BackupStore, str], Reply]


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
)


def answer(request: RecordedRequest, settings: ApiSettings, store: BackupStore) -> Reply:
    """The emulated API's reply to ``request``.

    Checks, in order: ``Api-Key`` (401), ``X-Pinecone-Api-Version`` (400), the route (404, or 405
    with ``Allow`` for a method the path does not have), then what the operation checks:
    ``limit`` and ``paginationToken`` (400) before reading a listing, the body (400) before
    acting, then that what the path names exists (404) and the operation's preconditions.
    """
    refusal = _refuse_headers(request, settings)
    if refusal is not None:
        return refusal
    segments = request.path.split("/")
    for route in _LIFECYCLE_ROUTES if settings.lifecycle else _LISTING_ROUTES:
        parameter = route.parameter(segments)
        if parameter is not None:
            break
    else:
        return error_reply(404, f"No such route: {request.method} {request.path}.")
    operation = route.operations.get(request.method)
    if operation is None:
        return error_reply(
            405,
            f"Method {request.method} is not allowed on {route.template}.",
            headers=(("Allow", ", ".join(route.operations)),),
        )
    return operation(request, settings, store, parameter)


def parse_last_page(style: str) -> LastPageStyle:
    """``style`` if it is one of :data:`LAST_PAGE_STYLES`, else ``ValueError``."""
    if style not in LAST_PAGE_STYLES:
        raise ValueError(f"last_page must be one of {', '.join(LAST_PAGE_STYLES)}; got {style!r}")
    return LAST_PAGE_STYLES[LAST_PAGE_STYLES.index(style)]  # the known str, not a subclass


def check_page_size(size: int, name: str) -> int:
    """``size`` if it is a valid page size (1 to 100), else ``ValueError``."""
    if not is_page_size(size):
        raise ValueError(f"{name} must be an integer between 1 and {MAX_PAGE_SIZE}; got {size!r}")
    return size


def check_versions(versions: Sequence[str]) -> tuple[str, ...]:
    """``versions`` as a tuple, if it is a non-empty sequence of strings, else ``ValueError``."""
    if isinstance(versions, str) or not versions or not all(isinstance(v, str) for v in versions):
        raise ValueError(f"api_versions must be a non-empty sequence of strings; got {versions!r}")
    return tuple(versions)
