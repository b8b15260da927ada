"""The exceptions of ``pinecone_backups``.

Everything the package raises derives from :class:`PineconeError`::

    PineconeError
    ├── ConfigurationError (ValueError)     no API key, a bad host or header: raised by Client()
    ├── ValidationError (ValueError)        a bad argument; nothing was sent
    │   └── ArgumentTypeError (TypeError)   ... of the wrong type
    ├── ClientClosedError (ValueError)      the client was closed
    ├── PineconeConnectionError (ConnectionError)
    ├── PineconeTimeoutError (TimeoutError)
    │   └── WaitTimeoutError                a wait ran past its timeout: .last, .elapsed
    ├── BackupFailedError                   a waited-for backup failed: .backup
    ├── RestoreJobFailedError               a waited-for restore job failed: .restore_job
    ├── IndexFailedError                    a waited-for index failed or is going: .index
    ├── ResponseDecodeError (ValueError)    a 2xx answer that could not be decoded
    │   ├── IncompleteResponseError         ... because it was cut short (also a
    │   │                                   PineconeConnectionError)
    │   └── PaginationCycleError            a walk was sent a pagination token it had seen
    └── ApiError                            a non-2xx answer: status, code, message, body, ...
        ├── ClientError                     4xx family: NotFoundError, UnauthenticatedError, ...
        └── ServerError                     5xx family: UnavailableError, InternalError, ...

An :class:`ApiError`'s class follows the ``error.code`` of the response body (one class per code
of the spec's ``ErrorResponse``); when the body is not an ``ErrorResponse`` (an HTML page from a
proxy, an empty body) it follows the HTTP status. ``OK`` and codes this version does not know give
a plain :class:`ApiError` that still carries the code::

    try:
        client.list_index_backups("docs-example")
    except pb.NotFoundError as e:
        print(e.status, e.code, e.message, e.request_id)  # 404 NOT_FOUND Index ... not found.

Calls are retried on transient failures (see ``Client``'s ``max_retries`` and ``retry``); the
errors that end a call have an ``attempts`` attribute, and their message says how many attempts
were made when there were several. A request that creates something (a ``POST``) is not sent
again once it may have reached the server: its error then has ``maybe_processed`` true, and its
message says to check before trying again.

``create_backup(..., wait=True)`` that created the backup and then failed to wait for it raises
the wait's error with ``backup`` set to the backup, and a message that starts with
``backup <id> was created; waiting for it failed:``, so that the caller does not create it twice.
Likewise ``create_index_from_backup(..., wait=True)``: ``restore`` is the
``CreateIndexFromBackupResponse`` and the message starts with ``index <name> is being restored
(restore job <id>); waiting for it failed:``.

Every exception pickles with its attributes, and none ever contains the API key.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from typing import Any

_MAYBE_PROCESSED = " (the request may have been processed: check before trying again)"

__all__ = [
    "AbortedError",
    "AlreadyExistsError",
    "ApiError",
    "ArgumentTypeError",
    "BackupFailedError",
    "ClientClosedError",
    "ClientError",
    "ConfigurationError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "ForbiddenError",
    "IncompleteResponseError",
    "IndexFailedError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "PaginationCycleError",
    "PayloadTooLargeError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PineconeConnectionError",
    "PineconeError",
    "PineconeTimeoutError",
    "QuotaExceededError",
    "ResourceExhaustedError",
    "ResponseDecodeError",
    "RestoreJobFailedError",
    "ServerError",
    "ServiceUnavailableError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "UnprocessableEntityError",
    "ValidationError",
    "WaitTimeoutError",
    "error_for_code",
    "error_for_status",
]


class PineconeError(Exception):
    """Base class of every exception raised by ``pinecone_backups``."""

    _context = ""
    """Said before the message (see :func:`_created_but`)."""

    def __str__(self) -> str:
        return self._context + super().__str__()


class ConfigurationError(PineconeError, ValueError):
    """The client cannot be configured (no API key, a bad host, a bad header...).

    Raised when the client is created, before any request. ``setting`` names the option at fault
    (``api_key``, ``host``, ``proxy``, ``timeout``...) when it is known.
    """

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


class ValidationError(PineconeError, ValueError):
    """An argument is invalid (an empty index name, a ``limit`` outside 1..100...).

    Raised before any request is sent. ``param`` names the argument.
    """

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class ArgumentTypeError(ValidationError, TypeError):
    """An argument has the wrong type (``limit=True``, ``index_name=None``...)."""


class ClientClosedError(PineconeError, ValueError):
    """The client was closed with ``close()`` (or its ``with`` block ended)."""


class PineconeConnectionError(PineconeError, ConnectionError):
    """The request could not be sent, or the connection failed before the answer was read.

    ``attempts`` says how many attempts were made; ``maybe_processed`` whether a request that
    creates something may have reached the server anyway (then it is not sent again).
    """

    def __init__(self, message: str, *, attempts: int = 1, maybe_processed: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.maybe_processed = maybe_processed


class PineconeTimeoutError(PineconeError, TimeoutError):
    """The request did not complete within the client's ``timeout`` (per attempt) or its
    ``deadline`` (for the whole call). ``attempts`` says how many attempts were made;
    ``maybe_processed`` as for :class:`PineconeConnectionError`."""

    def __init__(self, message: str, *, attempts: int = 1, maybe_processed: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.maybe_processed = maybe_processed


class WaitTimeoutError(PineconeTimeoutError):
    """``wait_for_backup`` or ``wait_for_restore_job`` ran past its ``timeout``. ``last`` is the
    last object polled (``None`` if none was), ``elapsed`` the seconds waited."""

    def __init__(self, message: str, *, last: Any = None, elapsed: float = 0.0) -> None:
        super().__init__(message)
        self.last = last
        self.elapsed = elapsed


class BackupFailedError(PineconeError):
    """A backup being waited for failed (``Failed``, ``InitializationFailed``...). ``backup`` is
    the ``Backup`` as last polled."""

    def __init__(self, message: str, *, backup: Any = None) -> None:
        super().__init__(message)
        self.backup = backup


class RestoreJobFailedError(PineconeError):
    """A restore job being waited for failed or was cancelled. ``restore_job`` is the
    ``RestoreJob`` as last polled."""

    def __init__(self, message: str, *, restore_job: Any = None) -> None:
        super().__init__(message)
        self.restore_job = restore_job


class IndexFailedError(PineconeError):
    """An index being waited for (``wait_for_index``) will not become ready: its state is a
    failure (``InitializationFailed``, ``Failed``) or ``Terminating`` (it is being deleted).
    ``index`` is the ``Index`` as last polled."""

    def __init__(self, message: str, *, index: Any = None) -> None:
        super().__init__(message)
        self.index = index


class ResponseDecodeError(PineconeError, ValueError):
    """The server answered 2xx with a body that could not be decoded as the model expected.

    ``reason`` says what is wrong (with the JSON path when known), ``snippet`` holds the start of
    the body; ``maybe_processed`` as for :class:`PineconeConnectionError`.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        reason: str = "",
        snippet: str = "",
        request_id: str | None = None,
        attempts: int = 1,
        maybe_processed: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.snippet = snippet
        self.request_id = request_id
        self.attempts = attempts
        self.maybe_processed = maybe_processed


class IncompleteResponseError(ResponseDecodeError, PineconeConnectionError):
    """The body of a 2xx answer was cut short: the connection closed or failed before it was
    complete (a wrong ``Content-Length``, a reset, a chunked body cut in the middle). Such answers
    are retried; this is raised when the retries are used up."""


class PaginationCycleError(ResponseDecodeError):
    """A walk over pages (an iterator, ``.pages()``, the CLI's ``--all``) was given a pagination
    token it had seen before: following it would go round in a cycle for ever, so the walk
    stops. ``page`` is the number of the page (1 for the first one fetched) whose
    ``pagination.next`` repeats a token, ``first_page`` the page that gave it first (0: the
    token the walk was started from). The items handed out before it are not handed out again.
    """

    def __init__(self, message: str, *, page: int = 0, first_page: int = 0, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.page = page
        self.first_page = first_page


class ApiError(PineconeError):
    """The server answered with a non-2xx status.

    Attributes: ``status`` (HTTP status), ``code`` (the ``error.code`` of the body, or ``None``),
    ``message`` (the ``error.message`` exactly as the server sent it), ``details`` (the
    ``error.details`` object, or ``None``), ``request_id`` (from the ``x-pinecone-request-id`` or
    ``x-request-id`` header), ``body`` (the raw body as text, cut at 64 KiB), ``headers`` (the
    response headers, without cookies or credentials), ``attempts`` (how many attempts were made:
    answers such as 503 are retried) and ``maybe_processed`` (a request that creates something
    failed with a 5xx: it may have been processed, and was not sent again). The API key is
    replaced by ``[REDACTED]`` wherever the server echoed it.
    """

    #: On the class: the ``ErrorResponse`` code it stands for (``None`` for the family classes).
    #: On an instance: the code the server sent (``None`` when the body had none).
    code: str | None = None

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
        body: str = "",
        headers: dict[str, str] | None = None,
        attempts: int = 1,
        maybe_processed: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = details
        self.request_id = request_id
        self.body = body
        self.headers = headers if headers is not None else {}
        self.attempts = attempts
        self.maybe_processed = maybe_processed

    def __str__(self) -> str:
        """One line: ``[404 NOT_FOUND] message (request_id: ...)`` (whitespace in the server's
        message, newlines included, shown as single spaces)."""
        label = f"{self.status} {' '.join(self.code.split())}" if self.code else str(self.status)
        text = f"{self._context}[{label}] {' '.join(self.message.split())}"
        if self.request_id:
            text += f" (request_id: {self.request_id})"
        if self.attempts > 1:
            text += f" (after {self.attempts} attempts)"
        if self.maybe_processed:
            text += _MAYBE_PROCESSED
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class ClientError(ApiError):
    """A 4xx answer: the request was wrong (bad argument, unknown index, bad key, quota...)."""


class ServerError(ApiError):
    """A 5xx answer: the server failed; retrying later may help."""


class UnknownError(ServerError):
    """``UNKNOWN``: the API's code for an unexpected internal error (HTTP 500)."""

    code = "UNKNOWN"


class InvalidArgumentError(ClientError):
    """``INVALID_ARGUMENT``: the server refused an argument (HTTP 400)."""

    code = "INVALID_ARGUMENT"


class DeadlineExceededError(ServerError):
    """``DEADLINE_EXCEEDED``: the server ran out of time (HTTP 504)."""

    code = "DEADLINE_EXCEEDED"


class QuotaExceededError(ClientError):
    """``QUOTA_EXCEEDED``: a project quota is used up."""

    code = "QUOTA_EXCEEDED"


class NotFoundError(ClientError):
    """``NOT_FOUND``: no such index (HTTP 404)."""

    code = "NOT_FOUND"


class AlreadyExistsError(ClientError):
    """``ALREADY_EXISTS``: the resource exists already (HTTP 409)."""

    code = "ALREADY_EXISTS"


class PermissionDeniedError(ClientError):
    """``PERMISSION_DENIED``: the key may not do this (HTTP 403)."""

    code = "PERMISSION_DENIED"


class UnauthenticatedError(ClientError):
    """``UNAUTHENTICATED``: the API key is missing or invalid (HTTP 401)."""

    code = "UNAUTHENTICATED"


class ResourceExhaustedError(ClientError):
    """``RESOURCE_EXHAUSTED``: rate limited or out of capacity (HTTP 429)."""

    code = "RESOURCE_EXHAUSTED"


class FailedPreconditionError(ClientError):
    """``FAILED_PRECONDITION``: the resource is not in a state that allows this (HTTP 400/412)."""

    code = "FAILED_PRECONDITION"


class AbortedError(ClientError):
    """``ABORTED``: the operation was aborted, e.g. by a concurrent change (HTTP 409)."""

    code = "ABORTED"


class OutOfRangeError(ClientError):
    """``OUT_OF_RANGE``: an argument is outside the valid range (HTTP 400)."""

    code = "OUT_OF_RANGE"


class UnimplementedError(ServerError):
    """``UNIMPLEMENTED``: the operation is not supported (HTTP 501)."""

    code = "UNIMPLEMENTED"


class InternalError(ServerError):
    """``INTERNAL``: an internal server error (HTTP 500)."""

    code = "INTERNAL"


class UnavailableError(ServerError):
    """``UNAVAILABLE``: the service is unavailable for now; retry later (HTTP 503)."""

    code = "UNAVAILABLE"


class ServiceUnavailableError(UnavailableError):
    """``SERVICE_UNAVAILABLE``: API 2026-07's code for a service unavailable for now; retry later
    (HTTP 503). A subclass of :class:`UnavailableError`, 2025-10's code for it."""

    code = "SERVICE_UNAVAILABLE"


class DataLossError(ServerError):
    """``DATA_LOSS``: unrecoverable data loss or corruption (HTTP 500)."""

    code = "DATA_LOSS"


class ForbiddenError(ClientError):
    """``FORBIDDEN``: the request is not allowed, e.g. over a quota (HTTP 403)."""

    code = "FORBIDDEN"


class UnprocessableEntityError(ClientError):
    """``UNPROCESSABLE_ENTITY``: the request was well-formed but not valid (HTTP 422)."""

    code = "UNPROCESSABLE_ENTITY"


class PaymentRequiredError(ClientError):
    """``PAYMENT_REQUIRED``: the organization has unpaid invoices (HTTP 402)."""

    code = "PAYMENT_REQUIRED"


class PayloadTooLargeError(ClientError):
    """``PAYLOAD_TOO_LARGE``: the request body is too large (HTTP 413; API 2026-07)."""

    code = "PAYLOAD_TOO_LARGE"


_BY_CODE: dict[str, type[ApiError]] = {
    cls.code: cls
    for cls in (
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        QuotaExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        UnauthenticatedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        UnimplementedError,
        InternalError,
        UnavailableError,
        ServiceUnavailableError,
        DataLossError,
        ForbiddenError,
        UnprocessableEntityError,
        PaymentRequiredError,
        PayloadTooLargeError,
    )
    if cls.code is not None
}

# Used when the body is not an ErrorResponse: an HTML page from a proxy, an empty body...
_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidArgumentError,
    401: UnauthenticatedError,
    402: PaymentRequiredError,
    403: ForbiddenError,
    404: NotFoundError,
    409: AlreadyExistsError,
    412: FailedPreconditionError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: ResourceExhaustedError,
    500: InternalError,
    501: UnimplementedError,
    503: UnavailableError,
    504: DeadlineExceededError,
}


def error_for_code(code: str) -> type[ApiError]:
    """The exception class for an ``ErrorResponse`` code: ``error_for_code("NOT_FOUND")`` is
    :class:`NotFoundError`. ``OK`` and unknown codes give :class:`ApiError`."""
    return _BY_CODE.get(code, ApiError)


def error_for_status(status: int) -> type[ApiError]:
    """The exception class for an HTTP status, used when the body carries no code: 404 is
    :class:`NotFoundError`, any other 4xx :class:`ClientError`, any other 5xx
    :class:`ServerError`, anything else :class:`ApiError`."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 400 <= status < 500:
        return ClientError
    if 500 <= status < 600:
        return ServerError
    return ApiError


def _api_error(
    status: int,
    code: str | None,
    message: str,
    details: dict[str, Any] | None,
    request_id: str | None,
    body: str,
    headers: dict[str, str],
    attempts: int = 1,
    maybe_processed: bool = False,
) -> ApiError:
    """Builds the exception for a non-2xx answer (called by the native module)."""
    cls = error_for_code(code) if code is not None else error_for_status(status)
    return cls(
        message,
        status=status,
        code=code,
        details=details,
        request_id=request_id,
        body=body,
        headers=headers,
        attempts=attempts,
        maybe_processed=maybe_processed,
    )


def _created_but(error: PineconeError, backup: Any) -> PineconeError:
    """``error``, raised by the wait that followed a successful ``create_backup``, made to say so:
    ``backup`` holds the backup (unless the error has one already: the backup as last polled),
    and ``str(error)`` starts with ``backup <id> was created; waiting for it failed:``."""
    if getattr(error, "backup", None) is None:
        error.backup = backup  # type: ignore[attr-defined]
    error._context = f"backup {backup.backup_id} was created; waiting for it failed: "
    return error


def _restoring_but(error: PineconeError, name: str, response: Any) -> PineconeError:
    """``error``, raised by the wait that followed a successful ``create_index_from_backup``,
    made to say so: ``restore`` holds the ``CreateIndexFromBackupResponse``, and ``str(error)``
    starts with ``index <name> is being restored (restore job <id>); waiting for it failed:``."""
    error.restore = response  # type: ignore[attr-defined]
    error._context = (
        f"index {name} is being restored (restore job {response.restore_job_id}); "
        "waiting for it failed: "
    )
    return error
