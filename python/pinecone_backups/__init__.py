"""A fast, typed client for Pinecone's backup API (``list_index_backups``, API version 2025-10).

Quick start::

    import pinecone_backups as pb

    with pb.Client(api_key="...") as client:            # or set PINECONE_API_KEY
        page = client.list_index_backups("docs-example", limit=10)   # one page
        for backup in client.iter_index_backups("docs-example"):     # every backup, lazily
            print(backup.backup_id, backup.status, backup.created_at)

Errors are typed: see :mod:`pinecone_backups.errors`. A local emulator of the API for tests lives
in :mod:`pinecone_backups.testing`.
"""

from pinecone_backups._native import (
    API_VERSION,
    AsyncBackupIterator,
    AsyncBackupPageIterator,
    AsyncClient,
    Backup,
    BackupIterator,
    BackupList,
    BackupPageIterator,
    Client,
    Pagination,
    __version__,
    iter_index_backups,
    list_index_backups,
)
from pinecone_backups.errors import (
    AbortedError,
    AlreadyExistsError,
    ApiError,
    ArgumentTypeError,
    ClientClosedError,
    ClientError,
    ConfigurationError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    ForbiddenError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PaymentRequiredError,
    PermissionDeniedError,
    PineconeConnectionError,
    PineconeError,
    PineconeTimeoutError,
    QuotaExceededError,
    ResourceExhaustedError,
    ResponseDecodeError,
    ServerError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
    UnprocessableEntityError,
    ValidationError,
    error_for_code,
    error_for_status,
)

__all__ = [
    "API_VERSION",
    "AbortedError",
    "AlreadyExistsError",
    "ApiError",
    "ArgumentTypeError",
    "AsyncBackupIterator",
    "AsyncBackupPageIterator",
    "AsyncClient",
    "Backup",
    "BackupIterator",
    "BackupList",
    "BackupPageIterator",
    "Client",
    "ClientClosedError",
    "ClientError",
    "ConfigurationError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "ForbiddenError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "Pagination",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PineconeConnectionError",
    "PineconeError",
    "PineconeTimeoutError",
    "QuotaExceededError",
    "ResourceExhaustedError",
    "ResponseDecodeError",
    "ServerError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "UnprocessableEntityError",
    "ValidationError",
    "__version__",
    "error_for_code",
    "error_for_status",
    "iter_index_backups",
    "list_index_backups",
]
