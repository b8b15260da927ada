"""Calls made ``concurrency`` at a time, for planning (listing each index's backups) and running
(creating, polling, deleting) a policy: :func:`each_sync` in a thread pool, :func:`each_async`
under an ``asyncio.Semaphore``.

Anything that ends the calls early (Ctrl-C, a closed client, an unexpected error) stops them as
``Client.prune`` does: no call is started after it, the calls in flight are cancelled (their
client is a scope of the caller's, closed then), and :class:`Halted` says which calls finished,
which were under way and which never started.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from typing import Any, TypeVar

    _I = TypeVar("_I")
    _R = TypeVar("_R")

INTERRUPT_GRACE = 2.0
"""Seconds given to the cancelled calls to end, once the calls are stopped."""


class Halted(Exception):
    """The calls of :func:`each_sync` were stopped by the exception it is raised from
    (``__cause__``): ``done`` maps the position of each call that finished to its result,
    ``in_flight`` and ``not_started`` list the positions of the others."""

    def __init__(self, done: dict[int, Any], in_flight: list[int], not_started: list[int]) -> None:
        super().__init__("calls stopped")
        self.done = done
        self.in_flight = in_flight
        self.not_started = not_started


def each_sync(
    function: Callable[[_I], _R], items: Sequence[_I], concurrency: int, scope: Any
) -> list[_R]:
    """``function(item)`` for each of ``items``, ``concurrency`` at a time, in a thread pool:
    the results in the order of ``items``. ``function`` makes its calls through ``scope`` (or a
    client made from it), which is closed if the calls are stopped: then :class:`Halted` is
    raised from what stopped them."""
    if not items:
        return []
    from concurrent.futures import ThreadPoolExecutor, wait

    started: set[int] = set()

    def call(position: int, item: _I) -> _R:
        started.add(position)
        return function(item)

    pool = ThreadPoolExecutor(
        max_workers=min(concurrency, len(items)), thread_name_prefix="pinecone-backups-policy"
    )
    futures = []
    try:
        for position, item in enumerate(items):
            futures.append(pool.submit(call, position, item))
        results = [future.result() for future in futures]
    except BaseException as error:
        scope.close()
        pool.shutdown(wait=False, cancel_futures=True)
        wait([futures[p] for p in sorted(started) if p < len(futures)], timeout=INTERRUPT_GRACE)
        done: dict[int, Any] = {}
        in_flight: list[int] = []
        not_started: list[int] = []
        for position in range(len(items)):
            future = futures[position] if position < len(futures) else None
            if position not in started or future is None or future.cancelled():
                not_started.append(position)
            elif future.done() and future.exception() is None:
                done[position] = future.result()
            else:  # cancelled while under way, or still running: its request may have been sent
                in_flight.append(position)
        raise Halted(done, in_flight, not_started) from error
    pool.shutdown()
    return results


async def each_async(
    function: Callable[[_I], Awaitable[_R]], items: Sequence[_I], concurrency: int
) -> list[_R]:
    """``await function(item)`` for each of ``items``, ``concurrency`` at a time: the results in
    the order of ``items``. Cancelling it (or an error) cancels the calls in flight."""
    if not items:
        return []
    import asyncio

    gate = asyncio.Semaphore(concurrency)

    async def call(item: _I) -> _R:
        async with gate:
            return await function(item)

    tasks = [asyncio.ensure_future(call(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
