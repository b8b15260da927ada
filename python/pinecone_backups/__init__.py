"""A fast, typed client for Pinecone's backup API (API versions 2025-10, 2026-04 and 2026-07):
backups, restores into new indexes, restore jobs, backup schedules, and waiting for them.

Quick start::

    import pinecone_backups as pb

    with pb.Client(api_key="...") as client:            # or set PINECONE_API_KEY
        page = client.list_index_backups("docs-example", limit=10)   # one page
        for backup in client.iter_index_backups("docs-example"):     # every backup, lazily
            print(backup.backup_id, backup.status, backup.created_at)

Retention and reporting are pure functions of the backups: :func:`plan_prune` decides what to
delete (``Client.prune`` deletes it), :func:`summarize` sums backups up per index or status,
as ``pinecone-backups inventory`` does, and :func:`assess_coverage` says which index lacks a
recent ``Ready`` backup (``Client.coverage`` fetches what it needs). A backup policy written in
TOML (:func:`load_policy`) says how often to back each index up and what to keep:
:func:`plan_policy` plans it, :func:`run_policy` does it; :func:`plan_schedules` and
:func:`apply_schedules` bring the server's backup schedules (API 2026-07) in line with it.

Errors are typed: see :mod:`pinecone_backups.errors`. A local emulator of the API for tests lives
in :mod:`pinecone_backups.testing`.
"""

from pinecone_backups import _extensions, _functions
from pinecone_backups._client import AsyncClient, Client
from pinecone_backups._functions import *  # noqa: F403 (one function per operation)
from pinecone_backups._native import (
    API_VERSION,
    API_VERSIONS,
    AsyncBackupIterator,
    AsyncBackupPageIterator,
    AsyncBackupScheduleHistoryIterator,
    AsyncBackupScheduleHistoryPageIterator,
    AsyncBackupScheduleIterator,
    AsyncBackupSchedulePageIterator,
    AsyncRestoreJobIterator,
    AsyncRestoreJobPageIterator,
    Backup,
    BackupIterator,
    BackupList,
    BackupPageIterator,
    BackupSchedule,
    BackupScheduleHistoryItem,
    BackupScheduleHistoryIterator,
    BackupScheduleHistoryList,
    BackupScheduleHistoryPageIterator,
    BackupScheduleIterator,
    BackupScheduleList,
    BackupSchedulePageIterator,
    CreateIndexFromBackupResponse,
    Index,
    Pagination,
    RestoreJob,
    RestoreJobIterator,
    RestoreJobList,
    RestoreJobPageIterator,
    Retry,
    __version__,
)
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
    IndexFailedError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PaginationCycleError,
    PayloadTooLargeError,
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
    ServiceUnavailableError,
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
    "API_VERSIONS",
    "AbortedError",
    "AlreadyExistsError",
    "ApiError",
    "ArgumentTypeError",
    "AsyncBackupIterator",
    "AsyncBackupPageIterator",
    "AsyncBackupScheduleHistoryIterator",
    "AsyncBackupScheduleHistoryPageIterator",
    "AsyncBackupScheduleIterator",
    "AsyncBackupSchedulePageIterator",
    "AsyncClient",
    "AsyncRestoreJobIterator",
    "AsyncRestoreJobPageIterator",
    "Backup",
    "BackupFailedError",
    "BackupIterator",
    "BackupList",
    "BackupPageIterator",
    "BackupSchedule",
    "BackupScheduleHistoryItem",
    "BackupScheduleHistoryIterator",
    "BackupScheduleHistoryList",
    "BackupScheduleHistoryPageIterator",
    "BackupScheduleIterator",
    "BackupScheduleList",
    "BackupSchedulePageIterator",
    "Client",
    "ClientClosedError",
    "ClientError",
    "ConfigurationError",
    "CreateIndexFromBackupResponse",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "ForbiddenError",
    "ImpliedSchedule",
    "IncompleteResponseError",
    "Index",
    "IndexFailedError",
    "IndexPlan",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "Pagination",
    "PaginationCycleError",
    "PayloadTooLargeError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PineconeConnectionError",
    "PineconeError",
    "PineconeTimeoutError",
    "Policy",
    "PolicyAction",
    "PolicyError",
    "PolicyInterrupted",
    "PolicyPlan",
    "PolicyReport",
    "PolicyResult",
    "PolicyRule",
    "PolicySettings",
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
    "ScheduleAction",
    "SchedulePlan",
    "ScheduleReport",
    "ScheduleResult",
    "SchedulesInterrupted",
    "ServerError",
    "ServiceUnavailableError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "UnprocessableEntityError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
    "apply_schedules",
    "assess_coverage",
    "error_for_code",
    "error_for_status",
    "implied_schedule",
    "load_policy",
    "make_schedule_plan",
    "plan_policy",
    "plan_prune",
    "plan_schedules",
    "run_policy",
    "summarize",
]
__all__.extend(_functions.__all__)  # the module-level functions: one per operation, and the waits


_extensions.extend()

_LAZY = {
    **dict.fromkeys(("PruneInterrupted", "PrunePlan", "PruneReport", "plan_prune"), "_prune"),
    "summarize": "_inventory",
    "assess_coverage": "_coverage",
    **dict.fromkeys(
        (
            "IndexPlan",
            "Policy",
            "PolicyAction",
            "PolicyError",
            "PolicyInterrupted",
            "PolicyPlan",
            "PolicyReport",
            "PolicyResult",
            "PolicyRule",
            "PolicySettings",
            "load_policy",
            "plan_policy",
            "run_policy",
        ),
        "_policy",
    ),
    **dict.fromkeys(
        (
            "ImpliedSchedule",
            "ScheduleAction",
            "SchedulePlan",
            "ScheduleReport",
            "ScheduleResult",
            "SchedulesInterrupted",
            "apply_schedules",
            "implied_schedule",
            "make_schedule_plan",
            "plan_schedules",
        ),
        "_policy_schedules",
    ),
}
"""The names imported on first use, and the private module of each: retention, the inventory's
summary, coverage, policies and their server schedules. The commands that use them import them
too; importing the package (a one-call script's start) costs none of them."""

if TYPE_CHECKING:
    from pinecone_backups._coverage import assess_coverage
    from pinecone_backups._inventory import summarize
    from pinecone_backups._policy import (
        IndexPlan,
        Policy,
        PolicyAction,
        PolicyError,
        PolicyInterrupted,
        PolicyPlan,
        PolicyReport,
        PolicyResult,
        PolicyRule,
        PolicySettings,
        load_policy,
        plan_policy,
        run_policy,
    )
    from pinecone_backups._policy_schedules import (
        ImpliedSchedule,
        ScheduleAction,
        SchedulePlan,
        ScheduleReport,
        ScheduleResult,
        SchedulesInterrupted,
        apply_schedules,
        implied_schedule,
        make_schedule_plan,
        plan_schedules,
    )
    from pinecone_backups._prune import PruneInterrupted, PrunePlan, PruneReport, plan_prune
else:

    def __getattr__(name):
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
