"""``Client`` and ``AsyncClient``: the native clients (a method per operation of the API, from the
core's one table of operations), plus what is written in Python: the waits, ``create_backup``'s
and ``create_index_from_backup``'s ``wait``, and ``prune``. Also the default client of the
module-level functions.

The native classes take their options as keywords; their signature here is made from the one
list of options the native module declares (``_native.CLIENT_OPTIONS``).
"""

from __future__ import annotations

import os

from pinecone_backups import _native
from pinecone_backups.errors import ArgumentTypeError, ValidationError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from datetime import datetime, timedelta
    from typing import Any

    from pinecone_backups._native import Backup, CreateIndexFromBackupResponse, Index, RestoreJob
    from pinecone_backups._prune import PrunePlan, PruneReport

__all__ = ["AsyncClient", "Client", "default_client"]

MAX_CONCURRENCY = 64
"""The most deletions ``prune`` runs at once."""


class _Signature:
    """``__signature__`` of the client classes: ``(api_key=None, *, host=None, ...)`` with the
    defaults of ``_native.CLIENT_OPTIONS``, made on first use (``inspect`` is slow to import)."""

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        import inspect

        parameters = [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD
                if name == "api_key"
                else inspect.Parameter.KEYWORD_ONLY,
                default=default,
            )
            for name, _annotation, default, _doc in _native.CLIENT_OPTIONS
        ]
        return inspect.Signature(parameters)


def _seconds(value: object, param: str) -> float | None:
    """``timeout`` / ``poll_interval`` of a wait: a positive, finite number of seconds, or
    ``None``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(
            f"{param} must be a number, not {type(value).__name__}", param=param
        )
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(f"{param} must be finite", param=param)
    if number <= 0:
        raise ValidationError(
            f"{param} must be a positive number of seconds or None, got {number}", param=param
        )
    return number


def _wait_args(
    timeout: object, poll_interval: object, on_progress: Callable[[Any], object] | None
) -> tuple[float | None, float | None, Callable[[Any], object] | None]:
    if on_progress is not None and not callable(on_progress):
        raise ArgumentTypeError(
            f"on_progress must be a callable or None, not {type(on_progress).__name__}",
            param="on_progress",
        )
    return _seconds(timeout, "timeout"), _seconds(poll_interval, "poll_interval"), on_progress


def _flag(value: object, param: str) -> bool:
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{param} must be a bool, not {type(value).__name__}", param=param)
    return value


def _restore_wait_args(
    wait: object,
    timeout: object,
    poll_interval: object,
    on_progress: Callable[[Any], object] | None,
) -> tuple[float | None, float | None, Callable[[Any], object] | None] | None:
    """The wait's arguments of ``create_index_from_backup`` (``None``: no ``wait``; its
    options need it)."""
    args = _wait_args(timeout, poll_interval, on_progress)
    if _flag(wait, "wait"):
        return args
    for param, value in zip(("timeout", "poll_interval", "on_progress"), args, strict=True):
        if value is not None:
            raise ValidationError(f"{param} needs wait=True", param=param)
    return None


def _concurrency(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            f"concurrency must be an int, not {type(value).__name__}", param="concurrency"
        )
    if not 1 <= value <= MAX_CONCURRENCY:
        raise ValidationError(
            f"concurrency must be between 1 and {MAX_CONCURRENCY}", param="concurrency"
        )
    return value


class Client(_native.Client):
    """A client of Pinecone's backup API.

    ```python
    with pb.Client(api_key="...") as client:
        for backup in client.iter_index_backups("docs-example"):
            print(backup.backup_id, backup.status)
    ```
    """

    __slots__ = ()
    __module__ = "pinecone_backups"
    __signature__ = _Signature()

    def create_backup(
        self,
        index_name: str,
        *,
        name: str | None = None,
        description: str | None = None,
        wait: bool = False,
    ) -> Backup:
        """Starts a backup of an index (``Initializing`` at first); with ``wait=True``, waits
        until it is ``Ready`` and returns it then."""
        wait = _flag(wait, "wait")
        created = super().create_backup(index_name, name=name, description=description)
        if not wait:
            return created
        from pinecone_backups import _wait

        return _wait.created_sync(self, created)  # type: ignore[no-any-return]

    def wait_for_backup(
        self,
        backup_id: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Backup], object] | None = None,
    ) -> Backup:
        """Polls a backup until it is ``Ready`` (returned) or failed (``BackupFailedError``);
        see the README for ``timeout``, ``poll_interval`` and ``on_progress``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        return _wait.wait_sync(self, "backup", backup_id, *args)  # type: ignore[no-any-return]

    def wait_for_restore_job(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[RestoreJob], object] | None = None,
    ) -> RestoreJob:
        """Polls a restore job until it is ``Completed`` (returned) or failed
        (``RestoreJobFailedError``); see ``wait_for_backup``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        return _wait.wait_sync(self, "restore_job", job_id, *args)  # type: ignore[no-any-return]

    def wait_for_index(
        self,
        index_name: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Index], object] | None = None,
    ) -> Index:
        """Polls an index until it is ready (``status.ready`` true: returned) or will not be
        (``InitializationFailed``, ``Failed``, ``Terminating``: ``IndexFailedError``); see
        ``wait_for_backup``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        return _wait.wait_sync(self, "index", index_name, *args)  # type: ignore[no-any-return]

    def create_index_from_backup(
        self,
        backup_id: str,
        name: str,
        *,
        tags: dict[str, str] | None = None,
        deletion_protection: str | None = None,
        read_capacity: dict[str, Any] | None = None,
        wait: bool = False,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[RestoreJob | Index], object] | None = None,
    ) -> CreateIndexFromBackupResponse:
        """Restores a backup into a new index ``name``: the restore job's and the new
        index's ids. With ``wait=True``, returns them once the job is ``Completed`` and
        the index is ready, within one ``timeout`` (``on_progress`` is given the job,
        then the index, as polled); see the README for ``read_capacity``."""
        waiting = _restore_wait_args(wait, timeout, poll_interval, on_progress)
        response = super().create_index_from_backup(
            backup_id,
            name,
            tags=tags,
            deletion_protection=deletion_protection,
            read_capacity=read_capacity,
        )
        if waiting is None:
            return response
        from pinecone_backups import _wait

        return _wait.restored_sync(self, name, response, *waiting)  # type: ignore[no-any-return]

    def prune(self, plan: PrunePlan, *, concurrency: int = 4) -> PruneReport:
        """Deletes what a ``PrunePlan`` (from ``pb.plan_prune``) plans to delete, ``concurrency``
        at a time: a ``PruneReport`` (``.deleted``, ``.skipped``, ``.failed``)."""
        from pinecone_backups import _prune

        return _prune.prune_sync(self, plan, _concurrency(concurrency))

    def coverage(
        self, *, max_age: timedelta | str = "26h", now: datetime | None = None, concurrency: int = 8
    ) -> list[dict[str, Any]]:
        """Every index with its newest ``Ready`` backup and a verdict (``ok``, ``stale``,
        ``unprotected``), then the orphaned backups: ``pb.assess_coverage``'s rows, fetched."""
        from pinecone_backups import _coverage

        return _coverage.coverage_sync(self, max_age, now, _concurrency(concurrency))


class AsyncClient(_native.AsyncClient):
    """An asyncio client of Pinecone's backup API: the same options, validation, objects and
    errors as ``Client``, with awaitable calls."""

    __slots__ = ()
    __module__ = "pinecone_backups"
    __signature__ = _Signature()

    def create_backup(
        self,
        index_name: str,
        *,
        name: str | None = None,
        description: str | None = None,
        wait: bool = False,
    ) -> Coroutine[Any, Any, Backup]:
        """Starts a backup of an index (``Initializing`` at first); with ``wait=True``, waits
        until it is ``Ready`` and returns it then."""
        wait = _flag(wait, "wait")
        creating = super().create_backup(index_name, name=name, description=description)
        if not wait:
            return creating
        from pinecone_backups import _wait

        return _wait.created_async(self, creating)

    def wait_for_backup(
        self,
        backup_id: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Backup], object] | None = None,
    ) -> Coroutine[Any, Any, Backup]:
        """Polls a backup until it is ``Ready`` (returned) or failed (``BackupFailedError``);
        ``on_progress`` may return an awaitable. See ``Client.wait_for_backup``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        self.describe_backup(backup_id).close()  # checks the id now, sends nothing
        return _wait.wait_async(self, "backup", backup_id, *args)

    def wait_for_restore_job(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[RestoreJob], object] | None = None,
    ) -> Coroutine[Any, Any, RestoreJob]:
        """Polls a restore job until it is ``Completed`` (returned) or failed
        (``RestoreJobFailedError``); see ``wait_for_backup``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        self.describe_restore_job(job_id).close()  # checks the id now, sends nothing
        return _wait.wait_async(self, "restore_job", job_id, *args)

    def wait_for_index(
        self,
        index_name: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Index], object] | None = None,
    ) -> Coroutine[Any, Any, Index]:
        """Polls an index until it is ready (returned) or will not be (``IndexFailedError``);
        see ``Client.wait_for_index``."""
        from pinecone_backups import _wait

        args = _wait_args(timeout, poll_interval, on_progress)
        self.describe_index(index_name).close()  # checks the name now, sends nothing
        return _wait.wait_async(self, "index", index_name, *args)

    def create_index_from_backup(
        self,
        backup_id: str,
        name: str,
        *,
        tags: dict[str, str] | None = None,
        deletion_protection: str | None = None,
        read_capacity: dict[str, Any] | None = None,
        wait: bool = False,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[RestoreJob | Index], object] | None = None,
    ) -> Coroutine[Any, Any, CreateIndexFromBackupResponse]:
        """Restores a backup into a new index ``name``; with ``wait=True``, also waits for the
        job and the index (see ``Client.create_index_from_backup``)."""
        waiting = _restore_wait_args(wait, timeout, poll_interval, on_progress)
        restoring = super().create_index_from_backup(
            backup_id,
            name,
            tags=tags,
            deletion_protection=deletion_protection,
            read_capacity=read_capacity,
        )
        if waiting is None:
            return restoring
        from pinecone_backups import _wait

        return _wait.restored_async(self, name, restoring, *waiting)

    def prune(self, plan: PrunePlan, *, concurrency: int = 4) -> Coroutine[Any, Any, PruneReport]:
        """Deletes what a ``PrunePlan`` plans to delete, ``concurrency`` at a time: a coroutine
        of a ``PruneReport``. Cancelling it cancels the deletions in flight."""
        from pinecone_backups import _prune

        return _prune.prune_async(self, plan, _concurrency(concurrency))

    def coverage(
        self, *, max_age: timedelta | str = "26h", now: datetime | None = None, concurrency: int = 8
    ) -> Coroutine[Any, Any, list[dict[str, Any]]]:
        """A coroutine of ``Client.coverage``'s rows; cancelling it cancels its requests."""
        from pinecone_backups import _coverage

        return _coverage.coverage_async(self, max_age, now, _concurrency(concurrency))


_ENVIRONMENT = (
    "PINECONE_API_KEY",
    "PINECONE_CONTROLLER_HOST",
    "PINECONE_API_VERSION",
    "PINECONE_ADDITIONAL_HEADERS",
)
_default: tuple[tuple[str | None, ...], Client] | None = None


def default_client() -> Client:
    """The client of the module-level functions, configured from the environment
    (``PINECONE_API_KEY``, ``PINECONE_CONTROLLER_HOST``, ``PINECONE_API_VERSION``,
    ``PINECONE_ADDITIONAL_HEADERS``) and made again when it changes."""
    global _default
    environment = tuple(os.environ.get(name) for name in _ENVIRONMENT)
    cached = _default
    if cached is not None and cached[0] == environment:
        return cached[1]
    client = Client()
    _default = (environment, client)
    return client
