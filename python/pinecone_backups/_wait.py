"""Waiting for a backup to become ready or a restore job to finish.

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

from pinecone_backups._status import outcome
from pinecone_backups.errors import (
    ApiError,
    BackupFailedError,
    PineconeConnectionError,
    PineconeError,
    PineconeTimeoutError,
    RestoreJobFailedError,
    WaitTimeoutError,
    _created_but,
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


class _Wait:
    """One wait: the schedule of polls and what each polled object means."""

    def __init__(
        self, kind: str, object_id: str, timeout: float | None, poll_interval: float | None
    ) -> None:
        self.kind = kind
        self.object_id = object_id
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.started = time.monotonic()
        self.interval = FIRST_INTERVAL
        self.last: Any = None

    @property
    def method(self) -> str:
        return "describe_backup" if self.kind == "backup" else "describe_restore_job"

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
        what = "backup" if self.kind == "backup" else "restore job"
        status = f" (last status: {self.last.status!r})" if self.last is not None else ""
        return WaitTimeoutError(
            f"{what} {self.object_id} did not finish within {self.timeout}s{status}",
            last=self.last,
            elapsed=self.elapsed(),
        )

    def out_of_time(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.001

    def finished(self, polled: Any) -> bool:
        """Whether the wait is over with ``polled`` as its result; raises when it failed."""
        self.last = polled
        done = outcome(self.kind, polled.status)
        if done is False:
            if self.kind == "backup":
                message = f"backup {self.object_id} failed: its status is {polled.status!r}"
                raise BackupFailedError(message, backup=polled)
            message = f"restore job {self.object_id} failed: its status is {polled.status!r}"
            raise RestoreJobFailedError(message, restore_job=polled)
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
) -> Any:
    """``Client.wait_for_backup`` / ``wait_for_restore_job``."""
    wait = _Wait(kind, object_id, timeout, poll_interval)
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
) -> Any:
    """``AsyncClient.wait_for_backup`` / ``wait_for_restore_job``: ``on_progress`` may return an
    awaitable, which is awaited."""
    import asyncio
    import inspect

    wait = _Wait(kind, object_id, timeout, poll_interval)
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
