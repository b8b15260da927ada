"""A fast, typed client for Pinecone's backup API (API version 2025-10): backups, restores into
new indexes, restore jobs, and waiting for them.

Quick start::

    import pinecone_backups as pb

    with pb.Client(api_key="...") as client:            # or set PINECONE_API_KEY
        page = client.list_index_backups("docs-example", limit=10)   # one page
        for backup in client.iter_index_backups("docs-example"):     # every backup, lazily
            print(backup.backup_id, backup.status, backup.created_at)

Retention and reporting are pure functions of the backups: :func:`plan_prune` decides what to
delete (``Client.prune`` deletes it) and :func:`summarize` sums backups up per index or status,
as ``pinecone-backups inventory`` does.

Errors are typed: see :mod:`pinecone_backups.errors`. A local emulator of the API for tests lives
in :mod:`pinecone_backups.testing`.
"""

from pinecone_backups._native import (
    API_VERSION,
    AsyncBackupIterator,
    AsyncBackupPageIterator,
    AsyncClient,
    AsyncRestoreJobIterator,
    AsyncRestoreJobPageIterator,
    Backup,
    BackupIterator,
    BackupList,
    BackupPageIterator,
    Client,
    CreateIndexFromBackupResponse,
    Pagination,
    RestoreJob,
    RestoreJobIterator,
    RestoreJobList,
    RestoreJobPageIterator,
    Retry,
    __version__,
    _default_client,
)
from pinecone_backups._prune import PruneInterrupted, PrunePlan, PruneReport, plan_prune
from pinecone_backups.errors import (
    AbortedError,
    AlreadyExistsError,
    ApiError,
    ArgumentTypeError,
    BackupFailedError,
    ClientClosedError,
    ClientError,
    ConfigurationError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    ForbiddenError,
    IncompleteResponseError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PaginationCycleError,
    PaymentRequiredError,
    PermissionDeniedError,
    PineconeConnectionError,
    PineconeError,
    PineconeTimeoutError,
    QuotaExceededError,
    ResourceExhaustedError,
    ResponseDecodeError,
    RestoreJobFailedError,
    ServerError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
    UnprocessableEntityError,
    ValidationError,
    WaitTimeoutError,
    error_for_code,
    error_for_status,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)

__all__ = [
    "API_VERSION",
    "AbortedError",
    "AlreadyExistsError",
    "ApiError",
    "ArgumentTypeError",
    "AsyncBackupIterator",
    "AsyncBackupPageIterator",
    "AsyncClient",
    "AsyncRestoreJobIterator",
    "AsyncRestoreJobPageIterator",
    "Backup",
    "BackupFailedError",
    "BackupIterator",
    "BackupList",
    "BackupPageIterator",
    "Client",
    "ClientClosedError",
    "ClientError",
    "ConfigurationError",
    "CreateIndexFromBackupResponse",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "ForbiddenError",
    "IncompleteResponseError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "Pagination",
    "PaginationCycleError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PineconeConnectionError",
    "PineconeError",
    "PineconeTimeoutError",
    "PruneInterrupted",
    "PrunePlan",
    "PruneReport",
    "QuotaExceededError",
    "ResourceExhaustedError",
    "ResponseDecodeError",
    "RestoreJob",
    "RestoreJobFailedError",
    "RestoreJobIterator",
    "RestoreJobList",
    "RestoreJobPageIterator",
    "Retry",
    "ServerError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "UnprocessableEntityError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
    "create_backup",
    "create_index_from_backup",
    "delete_backup",
    "describe_backup",
    "describe_restore_job",
    "error_for_code",
    "error_for_status",
    "iter_index_backups",
    "iter_project_backups",
    "iter_restore_jobs",
    "list_index_backups",
    "list_project_backups",
    "list_restore_jobs",
    "plan_prune",
    "summarize",
    "wait_for_backup",
    "wait_for_restore_job",
]


class _ModuleFunction:
    """``pb.<name>(...)``: ``Client.<name>`` on the default client, configured from the
    environment (``PINECONE_API_KEY``, ``PINECONE_CONTROLLER_HOST``,
    ``PINECONE_ADDITIONAL_HEADERS``) and rebuilt when it changes."""

    __slots__ = ("__name__", "__qualname__")

    def __init__(self, name: str) -> None:
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args: object, **kwargs: object) -> object:
        return getattr(_default_client(), self.__name__)(*args, **kwargs)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return getattr(Client, self.__name__).__doc__  # type: ignore[no-any-return]

    @property
    def __signature__(self) -> object:
        """The method's signature without ``self`` (computed on use: ``inspect`` is slow to
        import)."""
        import inspect

        signature = inspect.signature(getattr(Client, self.__name__))
        return signature.replace(parameters=list(signature.parameters.values())[1:])

    def __repr__(self) -> str:
        return f"<function pinecone_backups.{self.__name__}>"


if TYPE_CHECKING:
    from pinecone_backups._inventory import summarize

    # Typed as the methods of the default client they call.
    _client = Client()
    create_backup = _client.create_backup
    create_index_from_backup = _client.create_index_from_backup
    delete_backup = _client.delete_backup
    describe_backup = _client.describe_backup
    describe_restore_job = _client.describe_restore_job
    iter_index_backups = _client.iter_index_backups
    iter_project_backups = _client.iter_project_backups
    iter_restore_jobs = _client.iter_restore_jobs
    list_index_backups = _client.list_index_backups
    list_project_backups = _client.list_project_backups
    list_restore_jobs = _client.list_restore_jobs
    wait_for_backup = _client.wait_for_backup
    wait_for_restore_job = _client.wait_for_restore_job
else:
    globals().update(
        (name, _ModuleFunction(name)) for name in __all__ if callable(getattr(Client, name, None))
    )

    def __getattr__(name):
        # summarize is imported on first use, as the inventory command does: importing the
        # package stays as cheap as it was.
        if name == "summarize":
            from pinecone_backups._inventory import summarize

            globals()["summarize"] = summarize
            return summarize
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
