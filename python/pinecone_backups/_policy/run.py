"""Doing what a :class:`~pinecone_backups._policy.plan.PolicyPlan` plans: :func:`run_policy`.

In three steps, each ``concurrency`` requests at a time, so that a backup that could not be
made never leads to deleting the older ones:

1. **Create** each planned backup (``create_backup(index, name=..., description=...)``). A
   ``POST`` that may have reached the server is not sent again (the client's rule): its error
   says so, and the action is failed.
2. **Wait** (``wait=True`` only) until each created backup is ``Ready``: every backup still
   running is polled (``describe_backup``) in rounds, at once, then every 1 s growing to 15 s
   (``poll_interval`` fixes it), all of them within ``timeout`` seconds (``None``: no limit).
   A backup that fails (``Failed``, ``...Failed``), that cannot be polled (an error other than
   429) or that is still running after ``timeout`` fails its action.
3. **Delete** the planned backups of each index whose planned backup was created (and, with
   ``wait=True``, became ``Ready``), or that needed none. The deletes of an index whose
   creation or wait failed are skipped (``not deleted: ...``), so its older backups stay. As
   ``Client.prune``: a 404 is skipped (``already gone``), a 412 too (``restore pending``), any
   other error fails the action. A backup this run created is never deleted (the deletes were
   planned before it existed).

The result: a :class:`PolicyReport`, one :class:`PolicyResult` per planned action, in the
plan's order: ``created``, ``deleted``, ``skipped`` or ``failed``. Ctrl-C (on a ``Client``)
raises :class:`PolicyInterrupted` after stopping everything: no request is started after it,
the requests in flight are cancelled, and it says which actions finished, which were under way
(their request may have been processed) and which were never started. Cancelling the
coroutine of an ``AsyncClient`` cancels the requests in flight.
"""

from __future__ import annotations

import time
from typing import overload

from pinecone_backups import _status
from pinecone_backups._policy.file import _KeywordRecord
from pinecone_backups._policy.plan import PolicyAction, PolicyPlan
from pinecone_backups.errors import (
    ApiError,
    ArgumentTypeError,
    BackupFailedError,
    ClientClosedError,
    PineconeConnectionError,
    PineconeError,
    PineconeTimeoutError,
    ValidationError,
    WaitTimeoutError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterable
    from typing import Any, Literal

    from pinecone_backups._client import AsyncClient, Client
    from pinecone_backups._native import Backup

    _Created = Backup | PineconeError
    """What creating a backup, or waiting for it, came to: the backup, or why not."""

CREATED = "created"
DELETED = "deleted"
SKIPPED = "skipped"
FAILED = "failed"
"""The results of an action."""


class PolicyResult(_KeywordRecord):
    """What came of one planned action: ``action`` (the :class:`PolicyAction`), ``result``
    (``"created"``, ``"deleted"``, ``"skipped"`` or ``"failed"``), ``backup`` (the backup created,
    as last seen: ``Ready`` after a wait; the backup deleted or not; ``None`` when a creation
    failed), ``reason`` (the plan's reason when done, why it was skipped, or what failed, in one
    line) and ``error`` (the ``PineconeError`` of a failure, else ``None``). A frozen,
    dataclass-like object."""

    __slots__ = ("action", "backup", "error", "reason", "result")
    __match_args__ = ("action", "result", "backup", "reason", "error")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def action(self) -> PolicyAction: ...
        @property
        def result(self) -> Literal["created", "deleted", "skipped", "failed"]: ...
        @property
        def backup(self) -> Backup | None: ...
        @property
        def reason(self) -> str: ...
        @property
        def error(self) -> PineconeError | None: ...
    else:  # the fields (the annotations make the dataclass metadata)
        action: PolicyAction
        result: str
        backup: Backup | None
        reason: str
        error: PineconeError | None

    def __init__(
        self,
        action: PolicyAction,
        result: str,
        backup: Backup | None,
        reason: str,
        error: PineconeError | None = None,
    ) -> None:
        self._set(action=action, result=result, backup=backup, reason=reason, error=error)


class PolicyReport(_KeywordRecord):
    """What :func:`run_policy` did: ``results``, one :class:`PolicyResult` per action of the
    plan, in its order. ``created``, ``deleted``, ``skipped`` and ``failed`` select them by
    result; ``ok`` is true when none failed. A frozen, dataclass-like object."""

    __slots__ = ("results",)
    __match_args__ = ("results",)

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def results(self) -> tuple[PolicyResult, ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        results: tuple[PolicyResult, ...]

    def __init__(self, results: Iterable[PolicyResult] = ()) -> None:
        self._set(results=tuple(results))

    def _with(self, result: str) -> tuple[PolicyResult, ...]:
        return tuple(r for r in self.results if r.result == result)

    @property
    def created(self) -> tuple[PolicyResult, ...]:
        return self._with(CREATED)

    @property
    def deleted(self) -> tuple[PolicyResult, ...]:
        return self._with(DELETED)

    @property
    def skipped(self) -> tuple[PolicyResult, ...]:
        return self._with(SKIPPED)

    @property
    def failed(self) -> tuple[PolicyResult, ...]:
        return self._with(FAILED)

    @property
    def ok(self) -> bool:
        """Whether no action failed (skipped ones are not failures)."""
        return not self.failed


class PolicyInterrupted(KeyboardInterrupt):
    """Ctrl-C ended ``run_policy``: no request was started after it, and those in flight were
    cancelled. Still a ``KeyboardInterrupt``; it says what happened:

    - ``report``: a :class:`PolicyReport` of the actions that finished (a backup created but
      not yet waited for counts as created);
    - ``in_flight``: the actions whose request was under way: a backup may or may not have been
      created, or deleted (list them again to know);
    - ``not_started``: the actions no request was made for.
    """

    def __init__(
        self,
        report: PolicyReport,
        in_flight: tuple[PolicyAction, ...] = (),
        not_started: tuple[PolicyAction, ...] = (),
    ) -> None:
        created, deleted = len(report.created), len(report.deleted)
        super().__init__(
            f"policy run interrupted: {created} created, {deleted} deleted, {len(in_flight)} "
            f"under way (may have been done), {len(not_started)} not started"
        )
        self.report = report
        self.in_flight = in_flight
        self.not_started = not_started


# --- Checking the arguments -------------------------------------------------------------------


@overload
def run_policy(
    plan: PolicyPlan,
    client: Client | None = None,
    *,
    wait: bool = False,
    timeout: float | None = None,
    poll_interval: float | None = None,
    concurrency: int = 4,
) -> PolicyReport: ...
@overload
def run_policy(
    plan: PolicyPlan,
    client: AsyncClient,
    *,
    wait: bool = False,
    timeout: float | None = None,
    poll_interval: float | None = None,
    concurrency: int = 4,
) -> Coroutine[Any, Any, PolicyReport]: ...


def run_policy(
    plan: PolicyPlan,
    client: Client | AsyncClient | None = None,
    *,
    wait: bool = False,
    timeout: float | None = None,
    poll_interval: float | None = None,
    concurrency: int = 4,
) -> PolicyReport | Coroutine[Any, Any, PolicyReport]:
    """Does what ``plan`` (from :func:`plan_policy`) plans, with ``client`` (default: the
    module-level functions' client): creates the planned backups, with ``wait=True`` waits
    until they are ``Ready`` (``timeout`` seconds at most for all of them; ``poll_interval``
    fixes the interval of the polls), then deletes the planned backups of each index whose
    creation succeeded or needed none; ``concurrency`` requests at a time (1 to 64). Returns a
    :class:`PolicyReport`, one result per action (with an ``AsyncClient``, a coroutine of it).
    A failure is a result, not an exception; Ctrl-C raises :class:`PolicyInterrupted`. A plan
    runs once: running it again (a retry, even after a failure or Ctrl-C) raises
    ``ValidationError`` (``param="plan"``) before any request; plan again.

    ::

        report = pb.run_policy(pb.plan_policy(policy, client), client, wait=True)
        for result in report.results:
            print(result.result, result.action.kind, result.action.index_name, result.reason)
        report.ok  # no action failed
    """
    from pinecone_backups._client import (
        AsyncClient,
        Client,
        _concurrency,
        _flag,
        _seconds,
        default_client,
    )

    if not isinstance(plan, PolicyPlan):
        raise ArgumentTypeError(
            f"plan must be a PolicyPlan (from pinecone_backups.plan_policy), not "
            f"{type(plan).__name__}",
            param="plan",
        )
    wait = _flag(wait, "wait")
    timeout = _seconds(timeout, "timeout")
    poll_interval = _seconds(poll_interval, "poll_interval")
    concurrency = _concurrency(concurrency)
    if client is None:
        client = default_client()
    if not isinstance(client, (Client, AsyncClient)):
        raise ArgumentTypeError(
            f"client must be a pinecone_backups Client or AsyncClient (or None), not "
            f"{type(client).__name__}",
            param="client",
        )
    _start(plan)
    if isinstance(client, AsyncClient):
        return _run_async(client, plan, wait, timeout, poll_interval, concurrency)
    return _run_sync(client, plan, wait, timeout, poll_interval, concurrency)


def _start(plan: PolicyPlan) -> None:
    """Marks ``plan`` as run, or refuses it if it already was: a plan runs once, so that a
    retry never creates (or deletes) twice. The mark is not pickled: a copy is a new plan."""
    ran = getattr(plan, "_ran", None)
    if ran is not None:
        raise ValidationError(
            f"this plan was already run ({ran}: a plan runs once, so that a retry never "
            f"creates or deletes twice); plan again with plan_policy",
            param="plan",
        )
    object.__setattr__(plan, "_ran", f"run_policy started it at {_clock()}")


def _clock() -> str:
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S UTC")


# --- The steps, shared by both ------------------------------------------------------------------


def _description(action: PolicyAction) -> str:
    return f"made by pinecone-backups policy run ({action.rule})"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


class _Run:
    """The results of one run, as its steps make them."""

    def __init__(self, plan: PolicyPlan) -> None:
        self.actions = plan.actions
        self.results: dict[int, PolicyResult] = {}
        self.created: dict[int, Backup] = {}  # position of a create -> the backup made
        self.made: set[str] = set()  # the ids of the backups this run created, failed ones too
        self.blocked: dict[str, str] = {}  # index -> why its deletes are skipped

    def positions(self, kind: str) -> list[int]:
        return [p for p, action in enumerate(self.actions) if action.kind == kind]

    def creation(self, position: int, outcome: _Created) -> None:
        action = self.actions[position]
        if isinstance(outcome, PineconeError):
            self.results[position] = PolicyResult(action, FAILED, None, _one_line(outcome), outcome)
            self.blocked[action.index_name] = "its new backup could not be created"
            return
        self.made.add(outcome.backup_id)
        failed = _polled(outcome)
        if isinstance(failed, PineconeError):  # answered with a status that says it failed
            reason = f"created, but {_one_line(failed)}"
            self.results[position] = PolicyResult(action, FAILED, outcome, reason, failed)
            self.blocked[action.index_name] = "its new backup failed"
        else:
            self.created[position] = outcome
            self.results[position] = PolicyResult(action, CREATED, outcome, action.reason)

    def waited(self, position: int, outcome: _Created) -> None:
        action = self.actions[position]
        if isinstance(outcome, PineconeError):
            last = getattr(outcome, "backup", None) or getattr(outcome, "last", None)
            backup = last if last is not None else self.created[position]
            reason = f"created, but {_one_line(outcome)}"
            self.results[position] = PolicyResult(action, FAILED, backup, reason, outcome)
            self.blocked[action.index_name] = "its new backup did not become Ready"
        else:
            self.results[position] = PolicyResult(action, CREATED, outcome, action.reason)

    def deletable(self) -> list[int]:
        """The deletes to make; the others get their result (skipped) here."""
        made = self.made
        todo = []
        for position in self.positions("delete"):
            action = self.actions[position]
            assert action.backup is not None
            if action.index_name in self.blocked:
                reason = f"not deleted: {self.blocked[action.index_name]}"
                self.results[position] = PolicyResult(action, SKIPPED, action.backup, reason)
            elif action.backup.backup_id in made:  # never: it was planned before it existed
                reason = "not deleted: this run created it"
                self.results[position] = PolicyResult(action, SKIPPED, action.backup, reason)
            else:
                todo.append(position)
        return todo

    def deletion(self, position: int, outcome: str | PineconeError | None) -> None:
        action = self.actions[position]
        if outcome is None:
            result = PolicyResult(action, DELETED, action.backup, action.reason)
        elif isinstance(outcome, str):
            result = PolicyResult(action, SKIPPED, action.backup, outcome)
        else:
            result = PolicyResult(action, FAILED, action.backup, _one_line(outcome), outcome)
        self.results[position] = result

    def report(self) -> PolicyReport:
        return PolicyReport(self.results[p] for p in sorted(self.results))

    def interrupted(self, in_flight: Iterable[int] = ()) -> PolicyInterrupted:
        under_way = sorted(in_flight)
        rest = [p for p in range(len(self.actions)) if p not in self.results]
        return PolicyInterrupted(
            self.report(),
            tuple(self.actions[p] for p in under_way),
            tuple(self.actions[p] for p in rest if p not in under_way),
        )


def _polled(backup: Backup) -> _Created | None:
    """What a poll of a created backup says: ``Ready`` (the backup), failed (the error), or
    still running (``None``)."""
    meaning = _status.state(backup.status, _status.BACKUP)
    if meaning == _status.SUCCEEDED:
        return backup
    if meaning == _status.FAILED:
        return BackupFailedError(
            f"backup {backup.backup_id} failed: its status is '{backup.status}'", backup=backup
        )
    return None


def _poll_error(error: PineconeError, out_of_time: bool) -> PineconeError | None:
    """A poll that failed: the error that ends its wait, or ``None`` to poll again (a 429 that
    outlasted the client's retries; a timeout because the run's ``timeout`` came)."""
    if isinstance(error, ClientClosedError):
        raise error
    if isinstance(error, ApiError) and error.status == 429:
        return None
    if isinstance(error, (PineconeTimeoutError, PineconeConnectionError)) and out_of_time:
        return None
    return error


class _Rounds:
    """The schedule of the polls (as ``wait_for_backup``'s): at once, then every 1 s growing to
    15 s, or every ``poll_interval``; all within ``timeout``."""

    def __init__(self, timeout: float | None, poll_interval: float | None) -> None:
        from pinecone_backups import _wait

        self.timeout = timeout
        self.poll_interval = poll_interval
        self.interval = _wait.FIRST_INTERVAL
        self.growth = _wait.GROWTH
        self.longest = _wait.MAX_INTERVAL
        self.started = time.monotonic()

    def remaining(self) -> float | None:
        if self.timeout is None:
            return None
        return self.timeout - (time.monotonic() - self.started)

    def out_of_time(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.001

    def delay(self) -> float:
        if self.poll_interval is not None:
            delay = self.poll_interval
        else:
            delay, self.interval = self.interval, min(self.interval * self.growth, self.longest)
        remaining = self.remaining()
        return delay if remaining is None else max(0.0, min(delay, remaining))

    def timed_out(self, backup: Backup) -> WaitTimeoutError:
        return WaitTimeoutError(
            f"backup {backup.backup_id} was not Ready within {self.timeout:g}s (last status: "
            f"'{backup.status}')",
            last=backup,
            elapsed=time.monotonic() - self.started,
        )


# --- With a Client: threads -------------------------------------------------------------------


def _run_sync(
    client: Client,
    plan: PolicyPlan,
    wait: bool,
    timeout: float | None,
    poll_interval: float | None,
    concurrency: int,
) -> PolicyReport:
    from pinecone_backups._policy.pool import Halted, each_sync
    from pinecone_backups._prune import _outcome

    run = _Run(plan)
    if not run.actions:
        return PolicyReport()
    scope = client._scoped()  # closing it cancels this run's requests, and only them

    def create(position: int) -> _Created:
        action = run.actions[position]
        try:
            return scope.create_backup(
                action.index_name, name=action.name, description=_description(action)
            )
        except PineconeError as error:
            if isinstance(error, ClientClosedError):
                raise
            return error

    def delete(position: int) -> str | PineconeError | None:
        backup = run.actions[position].backup
        assert backup is not None
        try:
            scope.delete_backup(backup.backup_id)
        except PineconeError as error:
            return _outcome(error)
        return None

    def step(function: Any, positions: list[int], record: Any) -> None:
        try:
            outcomes = each_sync(function, positions, concurrency, scope)
        except Halted as halted:
            for index, outcome in halted.done.items():
                record(positions[index], outcome)
            if isinstance(halted.__cause__, KeyboardInterrupt):
                flying = [positions[index] for index in halted.in_flight]
                raise run.interrupted(flying) from halted.__cause__
            assert halted.__cause__ is not None
            raise halted.__cause__ from None
        for position, outcome in zip(positions, outcomes, strict=True):
            record(position, outcome)

    step(create, run.positions("create"), run.creation)
    if wait and run.created:
        try:
            _wait_sync(scope, run, timeout, poll_interval, concurrency)
        except KeyboardInterrupt as interrupt:  # between two rounds of polls
            if isinstance(interrupt, PolicyInterrupted):
                raise
            scope.close()
            raise run.interrupted() from interrupt
    step(delete, run.deletable(), run.deletion)
    return run.report()


def _wait_sync(
    scope: Client,
    run: _Run,
    timeout: float | None,
    poll_interval: float | None,
    concurrency: int,
) -> None:
    from pinecone_backups._policy.pool import Halted, each_sync

    rounds = _Rounds(timeout, poll_interval)
    last = dict(run.created)
    waiting = sorted(last)
    while waiting:
        remaining = rounds.remaining()
        if remaining is not None and remaining <= 0:
            break
        poller = scope if remaining is None else scope._with_deadline(remaining)

        def poll(position: int, poller: Client = poller) -> Backup | PineconeError:
            try:
                return poller.describe_backup(last[position].backup_id)
            except PineconeError as error:
                if isinstance(error, ClientClosedError):
                    raise
                return error

        try:
            outcomes = each_sync(poll, waiting, concurrency, scope)
        except Halted as halted:
            if isinstance(halted.__cause__, KeyboardInterrupt):
                raise run.interrupted() from halted.__cause__
            assert halted.__cause__ is not None
            raise halted.__cause__ from None
        waiting = _after_round(run, rounds, last, waiting, outcomes)
        if waiting:
            time.sleep(rounds.delay())
    for position in waiting:
        run.waited(position, rounds.timed_out(last[position]))


def _after_round(
    run: _Run,
    rounds: _Rounds,
    last: dict[int, Backup],
    waiting: list[int],
    outcomes: list[Backup | PineconeError],
) -> list[int]:
    """Records what a round of polls found; the positions still to wait for."""
    still = []
    for position, outcome in zip(waiting, outcomes, strict=True):
        if isinstance(outcome, PineconeError):
            ending = _poll_error(outcome, rounds.out_of_time())
            if ending is None:
                still.append(position)
            else:
                run.waited(position, ending)
            continue
        last[position] = outcome
        polled = _polled(outcome)
        if polled is None:
            still.append(position)
        else:
            run.waited(position, polled)
    return still


# --- With an AsyncClient: tasks ---------------------------------------------------------------


async def _run_async(
    client: AsyncClient,
    plan: PolicyPlan,
    wait: bool,
    timeout: float | None,
    poll_interval: float | None,
    concurrency: int,
) -> PolicyReport:
    from pinecone_backups._policy.pool import each_async
    from pinecone_backups._prune import _outcome

    run = _Run(plan)

    async def create(position: int) -> _Created:
        action = run.actions[position]
        try:
            return await client.create_backup(
                action.index_name, name=action.name, description=_description(action)
            )
        except PineconeError as error:
            if isinstance(error, ClientClosedError):
                raise
            return error

    async def delete(position: int) -> str | PineconeError | None:
        backup = run.actions[position].backup
        assert backup is not None
        try:
            await client.delete_backup(backup.backup_id)
        except PineconeError as error:
            return _outcome(error)
        return None

    creates = run.positions("create")
    for position, made in zip(creates, await each_async(create, creates, concurrency), strict=True):
        run.creation(position, made)
    if wait and run.created:
        await _wait_async(client, run, timeout, poll_interval, concurrency)
    deletes = run.deletable()
    for position, done in zip(deletes, await each_async(delete, deletes, concurrency), strict=True):
        run.deletion(position, done)
    return run.report()


async def _wait_async(
    client: AsyncClient,
    run: _Run,
    timeout: float | None,
    poll_interval: float | None,
    concurrency: int,
) -> None:
    import asyncio

    from pinecone_backups._policy.pool import each_async

    rounds = _Rounds(timeout, poll_interval)
    last = dict(run.created)
    waiting = sorted(last)
    while waiting:
        remaining = rounds.remaining()
        if remaining is not None and remaining <= 0:
            break
        poller = client if remaining is None else client._with_deadline(remaining)

        async def poll(position: int, poller: AsyncClient = poller) -> Backup | PineconeError:
            try:
                return await poller.describe_backup(last[position].backup_id)
            except PineconeError as error:
                if isinstance(error, ClientClosedError):
                    raise
                return error

        outcomes = await each_async(poll, waiting, concurrency)
        waiting = _after_round(run, rounds, last, waiting, outcomes)
        if waiting:
            await asyncio.sleep(rounds.delay())
    for position in waiting:
        run.waited(position, rounds.timed_out(last[position]))


__all__ = [
    "PolicyInterrupted",
    "PolicyReport",
    "PolicyResult",
    "run_policy",
]
