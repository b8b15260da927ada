"""Waiting for a backup to become ready, a restore job to finish or an index to be ready.

The rules live here once (:class:`_Wait`); ``Client`` drives them with ``time.sleep`` and
``AsyncClient`` with ``asyncio.sleep``, so Ctrl-C ends a blocking wait and cancelling a task ends
an async one, with no request left running. The native clients validate the arguments and call
these functions.

A wait's ``timeout`` bounds everything in it: each poll is made through a client whose calls end
by the wait's deadline (its retries and their pauses included), sleeps are cut to the time left,
and running out of time, wherever it happens, is a :class:`WaitTimeoutError`.
"""

from __future__ import annotations

import time

from pinecone_backups import _status
from pinecone_backups.errors import (
    ApiError,
    BackupFailedError,
    IndexFailedError,
    PineconeConnectionError,
    PineconeError,
    PineconeTimeoutError,
    RestoreJobFailedError,
    WaitTimeoutError,
    _created_but,
    _restoring_but,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any

FIRST_INTERVAL = 1.0
"""Seconds before the second poll when ``poll_interval`` is ``None`` (the first is at once)."""
GROWTH = 1.5
"""How much each adaptive interval grows over the previous one."""
MAX_INTERVAL = 15.0
"""The longest adaptive interval."""
RETRY_AFTER_CAP = 60.0
"""The longest a ``Retry-After`` of a 429 stretches one interval."""


_METHODS = {
    _status.BACKUP: "describe_backup",
    _status.RESTORE_JOB: "describe_restore_job",
    _status.INDEX: "describe_index",
}
"""The method that polls each kind of object."""
_NAMES = {_status.BACKUP: "backup", _status.RESTORE_JOB: "restore job", _status.INDEX: "index"}


def _status_text(kind: str, polled: Any) -> str:
    """What a polled object's status says, for messages: an index's state (and whether it is
    ready), another object's status."""
    if kind == _status.INDEX:
        return f"state '{polled.state}', ready {polled.ready!r}"
    return f"status '{polled.status}'"


def _outcome(kind: str, polled: Any) -> bool | None:
    """``True`` when ``polled`` is what the wait waits for, ``False`` when it failed, ``None``
    while it is on its way (:mod:`pinecone_backups._status` decides)."""
    if kind == _status.INDEX:
        meaning = _status.index_state(polled.ready, polled.state)
        return None if meaning == _status.RUNNING else meaning == _status.SUCCEEDED
    return _status.outcome(kind, polled.status)


class _Wait:
    """One wait: the schedule of polls and what each polled object means."""

    def __init__(
        self,
        kind: str,
        object_id: str,
        timeout: float | None,
        poll_interval: float | None,
        started: float | None = None,
    ) -> None:
        self.kind = kind
        self.object_id = object_id
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.started = time.monotonic() if started is None else started
        self.interval = FIRST_INTERVAL
        self.last: Any = None

    @property
    def method(self) -> str:
        return _METHODS[self.kind]

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float | None:
        """Seconds left before the timeout (``None``: no timeout)."""
        return None if self.timeout is None else self.timeout - self.elapsed()

    def poller(self, client: Any) -> Any:
        """The method that polls, bounded by the time left: ``WaitTimeoutError`` when there is
        none."""
        remaining = self.remaining()
        if remaining is not None:
            if remaining <= 0:
                raise self.timed_out()
            client = client._with_deadline(remaining)
        return getattr(client, self.method)

    def timed_out(self) -> WaitTimeoutError:
        what = _NAMES[self.kind]
        last = f" (last {_status_text(self.kind, self.last)})" if self.last is not None else ""
        ending = "was not ready" if self.kind == _status.INDEX else "did not finish"
        return WaitTimeoutError(
            f"{what} {self.object_id} {ending} within {self.timeout}s{last}",
            last=self.last,
            elapsed=self.elapsed(),
        )

    def out_of_time(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.001

    def finished(self, polled: Any) -> bool:
        """Whether the wait is over with ``polled`` as its result; raises when it failed."""
        self.last = polled
        done = _outcome(self.kind, polled)
        if done is False:
            what = f"{_NAMES[self.kind]} {self.object_id}"
            if self.kind == _status.BACKUP:
                message = f"{what} failed: its status is '{polled.status}'"
                raise BackupFailedError(message, backup=polled)
            if self.kind == _status.RESTORE_JOB:
                message = f"{what} failed: its status is '{polled.status}'"
                raise RestoreJobFailedError(message, restore_job=polled)
            going = "is being deleted" if polled.state in _status.INDEX_ENDED else "failed"
            message = f"{what} {going}: its state is '{polled.state}'; it will not be ready"
            raise IndexFailedError(message, index=polled)
        return done is True

    def next_delay(self, throttled: ApiError | None = None) -> float:
        """Seconds until the next poll (a 429's ``Retry-After`` stretches it); raises
        :class:`WaitTimeoutError` once ``timeout`` has passed."""
        if self.poll_interval is not None:
            delay = self.poll_interval
        else:
            delay, self.interval = self.interval, min(self.interval * GROWTH, MAX_INTERVAL)
        if throttled is not None:
            delay = max(delay, _retry_after(throttled))
        remaining = self.remaining()
        if remaining is not None:
            if remaining <= 0:
                raise self.timed_out()
            delay = min(delay, remaining)
        return delay


def _retry_after(error: ApiError) -> float:
    value = error.headers.get("retry-after", "").strip()
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_CAP)
    except ValueError:
        return 0.0


def _throttled(error: ApiError) -> bool:
    """A 429 that outlasted the client's retries stretches the wait; it does not end it."""
    return error.status == 429


def wait_sync(
    client: Any,
    kind: str,
    object_id: str,
    timeout: float | None,
    poll_interval: float | None,
    on_progress: Callable[[Any], object] | None,
    started: float | None = None,
) -> Any:
    """``Client.wait_for_backup`` / ``wait_for_restore_job`` / ``wait_for_index``; a wait that
    follows another in one ``timeout`` counts it from ``started`` (``time.monotonic()``)."""
    wait = _Wait(kind, object_id, timeout, poll_interval, started)
    while True:
        throttled = None
        try:
            polled = wait.poller(client)(object_id)
        except ApiError as error:
            if not _throttled(error):
                raise
            throttled = error
        except (PineconeTimeoutError, PineconeConnectionError) as error:
            if wait.out_of_time():
                raise wait.timed_out() from error
            raise
        else:
            if on_progress is not None:
                on_progress(polled)
            if wait.finished(polled):
                return polled
        time.sleep(wait.next_delay(throttled))


async def wait_async(
    client: Any,
    kind: str,
    object_id: str,
    timeout: float | None,
    poll_interval: float | None,
    on_progress: Callable[[Any], object] | None,
    started: float | None = None,
) -> Any:
    """``AsyncClient.wait_for_backup`` / ``wait_for_restore_job`` / ``wait_for_index``:
    ``on_progress`` may return an awaitable, which is awaited."""
    import asyncio
    import inspect

    wait = _Wait(kind, object_id, timeout, poll_interval, started)
    while True:
        throttled = None
        try:
            polled = await wait.poller(client)(object_id)
        except ApiError as error:
            if not _throttled(error):
                raise
            throttled = error
        except (PineconeTimeoutError, PineconeConnectionError) as error:
            if wait.out_of_time():
                raise wait.timed_out() from error
            raise
        else:
            if on_progress is not None:
                result = on_progress(polled)
                if inspect.isawaitable(result):
                    await result
            if wait.finished(polled):
                return polled
        await asyncio.sleep(wait.next_delay(throttled))


def created_sync(client: Any, created: Any) -> Any:
    """``Client.create_backup(..., wait=True)``: waits for the backup just created. A failure of
    the wait says that the backup exists (and carries it), so that it is not created twice."""
    try:
        return client.wait_for_backup(created.backup_id)
    except PineconeError as error:
        raise _created_but(error, created) from None


def created_async(client: Any, creating: Any) -> Coroutine[Any, Any, Any]:
    """``AsyncClient.create_backup(..., wait=True)``: creates, then waits (see
    :func:`created_sync`)."""

    async def create_and_wait() -> Any:
        created = await creating
        try:
            return await client.wait_for_backup(created.backup_id)
        except PineconeError as error:
            raise _created_but(error, created) from None

    return create_and_wait()


def restored_sync(
    client: Any,
    name: str,
    response: Any,
    timeout: float | None,
    poll_interval: float | None,
    on_progress: Callable[[Any], object] | None,
) -> Any:
    """``Client.create_index_from_backup(..., wait=True)``: waits for the restore job to
    complete, then for the new index ``name`` to be ready, both within one ``timeout`` counted
    from now (the restore was accepted); ``on_progress`` sees each job polled, then each index.
    A failure of the waits says that the restore began, and carries ``response``."""
    started = time.monotonic()
    job_id = response.restore_job_id
    try:
        wait_sync(client, _status.RESTORE_JOB, job_id, timeout, poll_interval, on_progress, started)
        wait_sync(client, _status.INDEX, name, timeout, poll_interval, on_progress, started)
    except PineconeError as error:
        raise _restoring_but(error, name, response) from None
    return response


def restored_async(
    client: Any,
    name: str,
    restoring: Any,
    timeout: float | None,
    poll_interval: float | None,
    on_progress: Callable[[Any], object] | None,
) -> Coroutine[Any, Any, Any]:
    """``AsyncClient.create_index_from_backup(..., wait=True)``: restores, then waits (see
    :func:`restored_sync`)."""

    async def restore_and_wait() -> Any:
        response = await restoring
        started = time.monotonic()
        job_id = response.restore_job_id
        try:
            await wait_async(
                client, _status.RESTORE_JOB, job_id, timeout, poll_interval, on_progress, started
            )
            await wait_async(
                client, _status.INDEX, name, timeout, poll_interval, on_progress, started
            )
        except PineconeError as error:
            raise _restoring_but(error, name, response) from None
        return response

    return restore_and_wait()
