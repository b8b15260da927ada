"""Type stubs of the native module: hand-written, but for the clients, which ``scripts/stubgen``
writes from the native module's tables; checked against it by ``mypy.stubtest``."""

import datetime
import os
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
)
from types import TracebackType
from typing import Any, ClassVar, Literal, SupportsIndex, final, overload

from typing_extensions import Self, disjoint_base

__all__ = [
    "API_VERSION",
    "CLIENT_OPTIONS",
    "OPERATIONS",
    "AsyncBackupIterator",
    "AsyncBackupPageIterator",
    "AsyncClient",
    "AsyncRestoreJobIterator",
    "AsyncRestoreJobPageIterator",
    "Backup",
    "BackupIterator",
    "BackupList",
    "BackupPageIterator",
    "Client",
    "CreateIndexFromBackupResponse",
    "Pagination",
    "RestoreJob",
    "RestoreJobIterator",
    "RestoreJobList",
    "RestoreJobPageIterator",
    "Retry",
    "__version__",
]

__version__: str
API_VERSION: str
OPERATIONS: tuple[dict[str, Any], ...]
"""The operations of the API, as data (one dict each: name, doc, method, path, params,
annotations, returns, success, repeat, versions, iterator, iterator_classes)."""
CLIENT_OPTIONS: tuple[tuple[str, str, Any, str], ...]
"""The clients' options: ``(name, annotation, default, doc)``."""

@final
class Backup:
    """One backup of an index (the spec's ``BackupModel``): a frozen, dataclass-like object.

    Optional fields are ``None`` when absent or ``null``; ``tags`` is always a dict. ``created_at``
    is a timezone-aware ``datetime`` (``None`` when absent or not RFC 3339). ``to_dict()`` gives
    back exactly what the server sent, unknown fields included.
    """

    __match_args__ = (
        "backup_id",
        "source_index_name",
        "source_index_id",
        "status",
        "cloud",
        "region",
        "name",
        "description",
        "dimension",
        "metric",
        "schema",
        "record_count",
        "namespace_count",
        "size_bytes",
        "tags",
        "created_at",
    )
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(
        cls,
        backup_id: str,
        source_index_name: str,
        source_index_id: str,
        status: str,
        cloud: str,
        region: str,
        name: str | None = None,
        description: str | None = None,
        dimension: int | None = None,
        metric: str | None = None,
        schema: Mapping[str, Any] | None = None,
        record_count: int | None = None,
        namespace_count: int | None = None,
        size_bytes: int | None = None,
        tags: Mapping[str, str] | None = None,
        created_at: datetime.datetime | str | None = None,
    ) -> Self: ...
    @property
    def backup_id(self) -> str: ...
    @property
    def source_index_name(self) -> str: ...
    @property
    def source_index_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def cloud(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def dimension(self) -> int | None: ...
    @property
    def metric(self) -> str | None: ...
    @property
    def schema(self) -> dict[str, Any] | None: ...
    @property
    def record_count(self) -> int | None: ...
    @property
    def namespace_count(self) -> int | None: ...
    @property
    def size_bytes(self) -> int | None: ...
    @property
    def tags(self) -> dict[str, str]: ...
    @property
    def created_at(self) -> datetime.datetime | None: ...
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: exactly what the server sent (timestamps as text, nulls, unknown
        fields)."""
    def to_json(self) -> str:
        """``to_dict()`` as JSON text."""
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """A ``Backup`` from a ``BackupModel``-shaped dict, such as ``to_dict()`` returns."""
    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """A ``Backup`` from the JSON text of one ``BackupModel``."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class Pagination:
    """The ``pagination`` of a page that has a next page."""

    __match_args__ = ("next",)
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(cls, next: str) -> Self: ...
    @property
    def next(self) -> str:
        """The token of the next page: pass it as ``pagination_token``."""
    def to_dict(self) -> dict[str, str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class BackupList:
    """One page of backups: a sequence of ``Backup`` plus ``pagination`` (``None`` on the last
    page)."""

    __match_args__ = ("data", "pagination")
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(
        cls, data: Iterable[Backup] | None = None, pagination: Pagination | None = None
    ) -> Self: ...
    @property
    def data(self) -> list[Backup]:
        """The backups of the page (a new list on each access)."""
    @property
    def pagination(self) -> Pagination | None: ...
    @property
    def next_token(self) -> str | None:
        """``pagination.next``, or ``None`` on the last page."""
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> Backup: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[Backup]: ...
    def __iter__(self) -> Iterator[Backup]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """``{"data": [backup.to_dict(), ...], "pagination": {"next": ...} or None}``."""
    def to_json(self) -> str:
        """``to_dict()`` as JSON text."""
    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """A page from the JSON text of a ``BackupList`` response body, decoded as the client
        decodes responses (``ValidationError`` if it is not one)."""
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one row per item, one column per field (needs the ``pandas``
        extra: ``pip install pinecone-backups[pandas]``)."""
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class RestoreJob:
    """One restore job (the spec's ``RestoreJobModel``): a frozen, dataclass-like object.

    ``created_at`` and ``completed_at`` are timezone-aware ``datetime`` objects (``None`` when
    absent, ``null`` or unreadable); ``percent_complete`` is ``None`` until the job completes
    (today's backend), and exactly the number the server sent (``to_dict()`` keeps its text).
    """

    __match_args__ = (
        "restore_job_id",
        "backup_id",
        "target_index_name",
        "target_index_id",
        "status",
        "created_at",
        "completed_at",
        "percent_complete",
    )
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(
        cls,
        restore_job_id: str,
        backup_id: str,
        target_index_name: str,
        target_index_id: str,
        status: str,
        created_at: datetime.datetime | str | None = None,
        completed_at: datetime.datetime | str | None = None,
        percent_complete: float | None = None,
    ) -> Self: ...
    @property
    def restore_job_id(self) -> str: ...
    @property
    def backup_id(self) -> str: ...
    @property
    def target_index_name(self) -> str: ...
    @property
    def target_index_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def created_at(self) -> datetime.datetime | None: ...
    @property
    def completed_at(self) -> datetime.datetime | None: ...
    @property
    def percent_complete(self) -> float | None: ...
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: exactly what the server sent."""
    def to_json(self) -> str:
        """``to_dict()`` as JSON text."""
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...
    @classmethod
    def from_json(cls, data: str | bytes) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class CreateIndexFromBackupResponse:
    """What ``create_index_from_backup`` answers: the restore job's and the new index's ids."""

    __match_args__ = ("restore_job_id", "index_id")
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(cls, restore_job_id: str, index_id: str) -> Self: ...
    @property
    def restore_job_id(self) -> str: ...
    @property
    def index_id(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...
    @classmethod
    def from_json(cls, data: str | bytes) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class RestoreJobList:
    """One page of restore jobs: a sequence of ``RestoreJob`` plus ``pagination`` (``None`` on
    the last page)."""

    __match_args__ = ("data", "pagination")
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]
    __model_fields__: ClassVar[tuple[tuple[str, str, bool, str], ...]]

    def __new__(
        cls, data: Iterable[RestoreJob] | None = None, pagination: Pagination | None = None
    ) -> Self: ...
    @property
    def data(self) -> list[RestoreJob]:
        """The restore jobs of the page (a new list on each access)."""
    @property
    def pagination(self) -> Pagination | None: ...
    @property
    def next_token(self) -> str | None:
        """``pagination.next``, or ``None`` on the last page."""
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> RestoreJob: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[RestoreJob]: ...
    def __iter__(self) -> Iterator[RestoreJob]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """``{"data": [job.to_dict(), ...], "pagination": {"next": ...} or None}``."""
    def to_json(self) -> str:
        """``to_dict()`` as JSON text."""
    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """A page from the JSON text of a ``RestoreJobList`` response body, decoded as the client
        decodes responses (``ValidationError`` if it is not one)."""
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __copy__(self) -> Self: ...
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one row per item, one column per field (needs the ``pandas``
        extra: ``pip install pinecone-backups[pandas]``)."""
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class BackupIterator:
    """Every backup of an index (or of the project), fetched page by page as it is consumed."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> Backup: ...
    def pages(self) -> BackupPageIterator:
        """The remaining backups as pages, sharing this iterator's position and ``max_items``."""
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one row per item, one column per field (needs the ``pandas``
        extra: ``pip install pinecone-backups[pandas]``)."""
    @property
    def next_token(self) -> str | None:
        """Where to resume: the token of the page after the last page fully handed out."""
    @property
    def handed_out(self) -> int:
        """How many backups have been handed out."""

@final
class BackupPageIterator:
    """The pages (``BackupList``) of a walk; see ``BackupIterator.pages()``."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> BackupList: ...
    @property
    def next_token(self) -> str | None: ...

@final
class RestoreJobIterator:
    """Every restore job of the project (each once), fetched page by page as it is consumed."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> RestoreJob: ...
    def pages(self) -> RestoreJobPageIterator:
        """The remaining restore jobs as pages, sharing this position and ``max_items``."""
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one row per item, one column per field (needs the ``pandas``
        extra: ``pip install pinecone-backups[pandas]``)."""
    @property
    def next_token(self) -> str | None:
        """Where to resume: the token of the page after the last page fully handed out."""
    @property
    def handed_out(self) -> int:
        """How many restore jobs have been handed out."""

@final
class RestoreJobPageIterator:
    """The pages (``RestoreJobList``) of a walk; see ``RestoreJobIterator.pages()``."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> RestoreJobList: ...
    @property
    def next_token(self) -> str | None: ...

@final
class Retry:
    """When and how to retry failed requests (``Client(retry=Retry(...))``).

    Requests are retried on connection failures, timeouts, bodies cut short and the
    ``statuses`` (408, 429, 500, 502, 503, 504 by default). The wait before retry ``n`` is the
    server's ``Retry-After`` (seconds or an HTTP date, at most ``retry_after_cap``) when it sent
    one, otherwise a random time between 0 and ``min(backoff_cap, backoff_base * 2**(n-1))``
    seconds.
    """

    def __new__(
        cls,
        *,
        max_retries: int = 3,
        backoff_base: float = 0.25,
        backoff_cap: float = 8.0,
        retry_after_cap: float = 60.0,
        statuses: Iterable[int] | None = None,
    ) -> Self: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def backoff_base(self) -> float: ...
    @property
    def backoff_cap(self) -> float: ...
    @property
    def retry_after_cap(self) -> float: ...
    @property
    def statuses(self) -> tuple[int, ...]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __getnewargs_ex__(self) -> tuple[tuple[()], dict[str, Any]]: ...

# --- generated by scripts/stubgen: the clients (do not edit) ---
@disjoint_base
class Client:
    """A client of Pinecone's backup API (the package's ``pinecone_backups.Client`` adds the
    waits and ``prune``). Its options: ``_native.CLIENT_OPTIONS``.
    """

    def __new__(
        cls,
        api_key: str | None = None,
        *,
        host: str | None = None,
        api_version: str = "2025-10",
        timeout: float | None = 30.0,
        connect_timeout: float | None = 10.0,
        deadline: float | None = None,
        max_retries: int | None = 3,
        retry: Retry | None = None,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
        max_response_bytes: int = 67108864,
        additional_headers: dict[str, str] | None = None,
        source_tag: str | None = None,
    ) -> Self: ...
    def list_index_backups(
        self,
        index_name: str,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> BackupList:
        """One page of the backups of an index (``limit``: 1..100, server default 10)."""
    def iter_index_backups(
        self,
        index_name: str,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> BackupIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def list_project_backups(
        self,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> BackupList:
        """One page of the backups of every index of the project."""
    def iter_project_backups(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> BackupIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def describe_backup(self, backup_id: str) -> Backup:
        """One backup."""
    def create_backup(
        self,
        index_name: str,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Backup:
        """Starts a backup of an index (``Initializing`` at first)."""
    def delete_backup(self, backup_id: str, *, missing_ok: bool | None = None) -> None:
        """Deletes a backup. With ``missing_ok``, a backup that does not exist (404) is no
        error.
        """
    def create_index_from_backup(
        self,
        backup_id: str,
        name: str,
        *,
        tags: dict[str, str] | None = None,
        deletion_protection: str | None = None,
    ) -> CreateIndexFromBackupResponse:
        """Restores a backup into a new index ``name``: the restore job's and the new index's
        ids at once (follow the job with ``wait_for_restore_job``).
        """
    def list_restore_jobs(
        self,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> RestoreJobList:
        """One page of the restore jobs of the project."""
    def iter_restore_jobs(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> RestoreJobIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def describe_restore_job(self, job_id: str) -> RestoreJob:
        """One restore job."""
    def close(self) -> None:
        """Closes the connection pool: calls in flight (in other threads) and later calls raise
        ``ClientClosedError``.
        """
    def _scoped(self) -> Self: ...
    def _with_deadline(self, seconds: float) -> Self: ...
    @property
    def closed(self) -> bool: ...
    @property
    def host(self) -> str: ...
    @property
    def api_version(self) -> str: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
        /,
    ) -> Literal[False]: ...

@disjoint_base
class AsyncClient:
    """An asyncio client of Pinecone's backup API: the same options, validation, objects and
    errors as ``Client``, with awaitable calls (the package's ``pinecone_backups.AsyncClient``
    adds the waits and ``prune``).
    """

    def __new__(
        cls,
        api_key: str | None = None,
        *,
        host: str | None = None,
        api_version: str = "2025-10",
        timeout: float | None = 30.0,
        connect_timeout: float | None = 10.0,
        deadline: float | None = None,
        max_retries: int | None = 3,
        retry: Retry | None = None,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
        max_response_bytes: int = 67108864,
        additional_headers: dict[str, str] | None = None,
        source_tag: str | None = None,
    ) -> Self: ...
    def list_index_backups(
        self,
        index_name: str,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> Coroutine[Any, Any, BackupList]:
        """One page of the backups of an index (``limit``: 1..100, server default 10)."""
    def iter_index_backups(
        self,
        index_name: str,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> AsyncBackupIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def list_project_backups(
        self,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> Coroutine[Any, Any, BackupList]:
        """One page of the backups of every index of the project."""
    def iter_project_backups(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> AsyncBackupIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def describe_backup(self, backup_id: str) -> Coroutine[Any, Any, Backup]:
        """One backup."""
    def create_backup(
        self,
        index_name: str,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Coroutine[Any, Any, Backup]:
        """Starts a backup of an index (``Initializing`` at first)."""
    def delete_backup(
        self,
        backup_id: str,
        *,
        missing_ok: bool | None = None,
    ) -> Coroutine[Any, Any, None]:
        """Deletes a backup. With ``missing_ok``, a backup that does not exist (404) is no
        error.
        """
    def create_index_from_backup(
        self,
        backup_id: str,
        name: str,
        *,
        tags: dict[str, str] | None = None,
        deletion_protection: str | None = None,
    ) -> Coroutine[Any, Any, CreateIndexFromBackupResponse]:
        """Restores a backup into a new index ``name``: the restore job's and the new index's
        ids at once (follow the job with ``wait_for_restore_job``).
        """
    def list_restore_jobs(
        self,
        *,
        limit: int | None = None,
        pagination_token: str | None = None,
    ) -> Coroutine[Any, Any, RestoreJobList]:
        """One page of the restore jobs of the project."""
    def iter_restore_jobs(
        self,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> AsyncRestoreJobIterator:
        """Every item of the list, fetched lazily ``page_size`` (default 100) at a time, at most
        ``max_items``, from ``pagination_token`` when given.
        """
    def describe_restore_job(self, job_id: str) -> Coroutine[Any, Any, RestoreJob]:
        """One restore job."""
    def close(self) -> None:
        """Closes the connection pool: calls in flight (in other tasks) and later calls raise
        ``ClientClosedError``.
        """
    def _scoped(self) -> Self: ...
    def _with_deadline(self, seconds: float) -> Self: ...
    def aclose(self) -> Awaitable[None]:
        """``close()``, awaitable."""
    @property
    def closed(self) -> bool: ...
    @property
    def host(self) -> str: ...
    @property
    def api_version(self) -> str: ...
    def __aenter__(self) -> Awaitable[Self]: ...
    def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
        /,
    ) -> Awaitable[Literal[False]]: ...

# --- end of generated ---

@final
class AsyncBackupIterator(AsyncIterator[Backup]):
    """Every backup of an index, fetched page by page as it is consumed (``async for``)."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[Backup]: ...
    def pages(self) -> AsyncBackupPageIterator:
        """The remaining backups as pages, sharing this iterator's position and ``max_items``."""
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A coroutine of a ``pandas.DataFrame`` of the rest of the walk, one row per item
        (``df = await it.to_pandas()``; needs the ``pandas`` extra:
        ``pip install pinecone-backups[pandas]``)."""
    @property
    def next_token(self) -> str | None:
        """Where to resume: the token of the page after the last page fully handed out."""
    @property
    def handed_out(self) -> int:
        """How many backups have been handed out."""

@final
class AsyncBackupPageIterator(AsyncIterator[BackupList]):
    """The pages (``BackupList``) of an async walk; see ``AsyncBackupIterator.pages()``."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[BackupList]: ...
    @property
    def next_token(self) -> str | None: ...

@final
class AsyncRestoreJobIterator(AsyncIterator[RestoreJob]):
    """Every restore job of the project (each once), fetched page by page (``async for``)."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[RestoreJob]: ...
    def pages(self) -> AsyncRestoreJobPageIterator:
        """The remaining restore jobs as pages, sharing this position and ``max_items``."""
    def _repr_html_(self) -> str:
        """An HTML table for Jupyter."""
    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The text display of IPython."""
    def to_pandas(self) -> Any:
        """A coroutine of a ``pandas.DataFrame`` of the rest of the walk, one row per item
        (``df = await it.to_pandas()``; needs the ``pandas`` extra:
        ``pip install pinecone-backups[pandas]``)."""
    @property
    def next_token(self) -> str | None:
        """Where to resume: the token of the page after the last page fully handed out."""
    @property
    def handed_out(self) -> int:
        """How many restore jobs have been handed out."""

@final
class AsyncRestoreJobPageIterator(AsyncIterator[RestoreJobList]):
    """The pages (``RestoreJobList``) of an async walk; see ``AsyncRestoreJobIterator.pages()``."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[RestoreJobList]: ...
    @property
    def next_token(self) -> str | None: ...
