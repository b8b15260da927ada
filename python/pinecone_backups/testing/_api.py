"""The emulated operation, ``list_index_backups``, as a function from a request to a reply."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal, get_args
from urllib.parse import unquote

from ._records import RecordedRequest
from ._store import BackupStore, encode_json

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
    """A response to write: status, body, content type and headers added to the defaults."""

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
    """A pagination token the emulator did not issue, or issued for another index."""


# Tokens are standard base64, with padding, of MAGIC + 4 random bytes + a small JSON object
# (index name, offset, page size) + 0 to 2 spaces. MAGIC makes every token start with "+/" and the
# spaces make every token end with "==", so a client that does not percent-encode the token breaks
# (an unencoded "+" reads as a space) instead of passing by luck. Trailing spaces are valid JSON.
_TOKEN_MAGIC = b"\xfb\xff"
_TOKEN_PAYLOAD_START = len(_TOKEN_MAGIC) + 4


def encode_token(index_name: str, offset: int, size: int) -> str:
    """A pagination token for the page of ``size`` backups of ``index_name`` from ``offset``."""
    payload = encode_json({"index": index_name, "offset": offset, "size": size})
    raw = _TOKEN_MAGIC + os.urandom(4) + payload
    raw += b" " * (-(len(raw) - 1) % 3)  # length = 1 (mod 3): base64 ends with "=="
    return base64.b64encode(raw).decode("ascii")


def decode_token(token: str) -> tuple[str, int, int]:
    """``(index_name, offset, size)`` of a token from :func:`encode_token`; else InvalidToken."""
    try:
        raw = base64.b64decode(token, validate=True)
        payload = json.loads(raw[_TOKEN_PAYLOAD_START:]) if raw.startswith(_TOKEN_MAGIC) else None
    except (binascii.Error, ValueError):
        payload = None
    if not isinstance(payload, dict) or set(payload) != {"index", "offset", "size"}:
        raise InvalidToken(token)
    index_name, offset, size = payload["index"], payload["offset"], payload["size"]
    if (
        not isinstance(index_name, str)
        or type(offset) is not int
        or offset < 1
        or not is_page_size(size)
    ):
        raise InvalidToken(token)
    return index_name, offset, size


@dataclass(slots=True)
class ApiSettings:
    """The emulated API's settings; ``last_page`` may change while the server runs."""

    api_key: str
    api_versions: tuple[str, ...]
    default_page_size: int
    last_page: LastPageStyle


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


def answer(request: RecordedRequest, settings: ApiSettings, store: BackupStore) -> Reply:
    """The emulated API's reply to ``request``.

    Checks, in order: ``Api-Key`` (401), ``X-Pinecone-Api-Version`` (400), the route (404, or 405
    for another method on the backups path), ``limit`` and ``paginationToken`` (400), then that
    the index exists (404).
    """
    if request.headers.get("Api-Key") != settings.api_key:
        return error_reply(401, "Invalid API key.")
    version = request.headers.get("X-Pinecone-Api-Version")
    if version not in settings.api_versions:
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
    index_name = request.index_name
    if index_name is None:
        return error_reply(404, f"No such route: {request.method} {request.path}.")
    if request.method != "GET":
        return error_reply(
            405,
            f"Method {request.method} is not allowed on {BACKUPS_ROUTE}.",
            headers=(("Allow", "GET"),),
        )
    size = _page_size(request, settings.default_page_size)
    if isinstance(size, Reply):
        return size
    token = _single(request, "paginationToken")
    if isinstance(token, Reply):
        return token
    offset = 0
    if token is not None:
        try:
            token_index, offset, size = decode_token(token)
        except InvalidToken:
            return error_reply(400, "Invalid pagination token.")
        if token_index != index_name:
            return error_reply(400, f"Pagination token was not issued for index {index_name}.")
    page = store.page(index_name, offset, size)
    if page is None:
        return error_reply(404, f"Index {index_name} not found.")
    items, more = page
    body = b'{"data":[' + b",".join(items)
    if more:
        next_token = encode_token(index_name, offset + size, size).encode("ascii")
        body += b'],"pagination":{"next":"' + next_token + b'"}}'
    else:
        body += _LAST_PAGE_ENDINGS[settings.last_page]
    return Reply(200, body)


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
