"""Type stubs of the native module (hand-written; checked against it by ``mypy.stubtest``)."""

import datetime
import os
from collections.abc import AsyncIterator, Awaitable, Coroutine, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, ClassVar, Literal, SupportsIndex, final, overload

from typing_extensions import Self

__all__ = [
    "API_VERSION",
    "AsyncBackupIterator",
    "AsyncBackupPageIterator",
    "AsyncClient",
    "Backup",
    "BackupIterator",
    "BackupList",
    "BackupPageIterator",
    "Client",
    "Pagination",
    "Retry",
    "__version__",
    "iter_index_backups",
    "list_index_backups",
]

__version__: str
API_VERSION: str

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
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class Pagination:
    """The ``pagination`` of a page that has a next page."""

    __match_args__ = ("next",)
    __dataclass_fields__: ClassVar[dict[str, Any]]
    __dataclass_params__: ClassVar[Any]

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
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class BackupIterator:
    """Every backup of an index, fetched page by page as it is consumed."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> Backup: ...
    def pages(self) -> BackupPageIterator:
        """The remaining backups as pages, sharing this iterator's position and ``max_items``."""
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

@final
class Client:
    """A client of Pinecone's backup API.

    ``api_key`` falls back to ``PINECONE_API_KEY``; ``host`` to ``PINECONE_CONTROLLER_HOST``, then
    ``https://api.pinecone.io``; ``additional_headers`` to ``PINECONE_ADDITIONAL_HEADERS``.
    ``timeout`` is in seconds per attempt (``None``: none), ``deadline`` for a whole call with
    its retries (``None``: none). Failed requests are retried ``max_retries`` times (see
    ``Retry``; each retry is logged on the ``pinecone_backups`` logger). ``proxy`` overrides
    ``HTTPS_PROXY``/``NO_PROXY`` (``""``: no proxy); ``ca_certs`` names a PEM file of extra
    trusted roots (``SSL_CERT_FILE`` is honoured too). Bodies over ``max_response_bytes`` are
    refused.
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
        max_retries: int = 3,
        retry: Retry | None = None,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
        max_response_bytes: int = 67108864,
        additional_headers: Mapping[str, str] | None = None,
        source_tag: str | None = None,
    ) -> Self: ...
    def list_index_backups(
        self, index_name: str, *, limit: int | None = None, pagination_token: str | None = None
    ) -> BackupList:
        """One page of backups of an index (``limit``: 1..100, server default 10)."""
    def iter_index_backups(
        self,
        index_name: str,
        *,
        page_size: int = 100,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> BackupIterator:
        """Every backup of an index, newest first, fetched lazily ``page_size`` at a time."""
    def close(self) -> None:
        """Closes the connection pool; later calls raise ``ClientClosedError``."""
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

@final
class AsyncBackupIterator(AsyncIterator[Backup]):
    """Every backup of an index, fetched page by page as it is consumed (``async for``)."""

    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[Backup]: ...
    def pages(self) -> AsyncBackupPageIterator:
        """The remaining backups as pages, sharing this iterator's position and ``max_items``."""
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
class AsyncClient:
    """An asyncio client of Pinecone's backup API: the options, validation, objects and errors
    of ``Client``, with awaitable calls. Arguments are validated when a method is called; the
    request is sent when the returned coroutine is awaited."""

    def __new__(
        cls,
        api_key: str | None = None,
        *,
        host: str | None = None,
        api_version: str = "2025-10",
        timeout: float | None = 30.0,
        connect_timeout: float | None = 10.0,
        deadline: float | None = None,
        max_retries: int = 3,
        retry: Retry | None = None,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
        max_response_bytes: int = 67108864,
        additional_headers: Mapping[str, str] | None = None,
        source_tag: str | None = None,
    ) -> Self: ...
    def list_index_backups(
        self, index_name: str, *, limit: int | None = None, pagination_token: str | None = None
    ) -> Coroutine[Any, Any, BackupList]:
        """One page of backups of an index (``limit``: 1..100, server default 10)."""
    def iter_index_backups(
        self,
        index_name: str,
        *,
        page_size: int = 100,
        max_items: int | None = None,
        pagination_token: str | None = None,
    ) -> AsyncBackupIterator:
        """Every backup of an index, newest first, fetched lazily ``page_size`` at a time."""
    def close(self) -> None:
        """Closes the connection pool; later calls raise ``ClientClosedError``."""
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

def list_index_backups(
    index_name: str, *, limit: int | None = None, pagination_token: str | None = None
) -> BackupList:
    """One page of backups, with a client configured from the environment."""

def iter_index_backups(
    index_name: str,
    *,
    page_size: int = 100,
    max_items: int | None = None,
    pagination_token: str | None = None,
) -> BackupIterator:
    """Every backup of an index, with a client configured from the environment."""
