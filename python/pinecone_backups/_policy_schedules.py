"""A policy's backup schedules on the server (API 2026-07): what schedule a policy implies for
each index, where the API can express it (:func:`implied_schedule`), the plan that brings the
schedules that exist in line with it (:func:`plan_schedules`, the pure
:func:`make_schedule_plan`), and doing it (:func:`apply_schedules`): ``pinecone-backups policy
schedules FILE [--yes]``.

**What the server can express.** A schedule backs an index up every day, week or month and
deletes each backup it made once it is ``expire_after_days`` days old; an index has at most one
enabled schedule. A policy implies a schedule only when both halves translate exactly:

- **frequency**, from ``backup_every``: ``24h`` (``1d``) is ``daily``, ``7d`` (``168h``) is
  ``weekly``; any other duration (``12h``, ``23h``, ``36h``, ``30d``...) is not a schedule's
  cadence, and ``"never"`` (or no ``backup_every``) creates nothing. ``monthly`` has no
  duration: the policy's grammar (durations, no months) cannot ask for it, so no policy implies
  it.
- **retention**, from the keep rules: only ``keep_within`` (a whole number of days, alone) is
  an age limit, ``keep_within = "30d"`` being ``expire_after_days = 30``. The server must never
  delete a backup the policy would keep, and every other rule can keep backups of any age: a
  count (``keep_last``, ``keep_daily``... ``keep_yearly``) reaches back past the days, weeks...
  that have no ``Ready`` backup (after three failed nights, ``keep_daily = 7`` keeps a backup
  ten days old), and ``keep_tags`` keeps tagged backups for ever; with no keep rule the policy
  deletes nothing, which an expiry cannot say either. Such an index's retention, and so its
  schedule, stays client-side: ``policy run`` creates and prunes its backups.

An index whose policy translates gets the schedule ``policy-<index>`` (the name is how the plan
knows the schedules it manages); every other schedule of the index is left alone, and reported.

**The plan**, per index of the project (:class:`ScheduleAction`):

- ``create`` ``policy-<index>`` when the policy implies a schedule and the index has no
  schedule of that name (unless another, enabled schedule of the index would make the server
  refuse it: ``leave``, saying so);
- ``update`` it when its frequency or retention differs, or it is disabled (re-enabling starts
  a backup at once; refused while another schedule of the index is enabled: ``leave``);
- ``disable`` it when it is enabled and the policy implies none (not expressible, ``never``,
  or the index no longer governed);
- ``leave`` it otherwise (up to date, already disabled, or none and none needed), with why.

Planning sends only ``GET``\\s (the indexes, each index's schedules); applying sends one
``POST`` or ``PATCH`` per change, ``concurrency`` at a time. A failure is a result
(``failed``), not an exception.
"""

from __future__ import annotations

from typing import overload

from pinecone_backups._policy.file import Policy, PolicySettings, _KeywordRecord
from pinecone_backups.errors import (
    ArgumentTypeError,
    ClientClosedError,
    PineconeError,
    ValidationError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    import datetime
    from collections.abc import Coroutine, Iterable, Mapping
    from typing import Any, Literal

    from pinecone_backups._client import AsyncClient, Client
    from pinecone_backups._native import BackupSchedule, Index

NAME_PREFIX = "policy-"
"""How the names of the schedules a policy manages start: ``policy-<index>``."""
DAILY, WEEKLY = "daily", "weekly"
SCHEDULES_VERSION = "2026-07"
"""The API version that has backup schedules."""

CREATE, UPDATE, DISABLE, LEAVE = "create", "update", "disable", "leave"
"""The kinds of :class:`ScheduleAction`."""
CREATED, UPDATED, DISABLED, FAILED = "created", "updated", "disabled", "failed"
"""The results of an applied action (:class:`ScheduleResult`)."""
_DONE = {CREATE: CREATED, UPDATE: UPDATED, DISABLE: DISABLED}


def schedule_name(index_name: str) -> str:
    """``policy-<index>``: the name of the schedule a policy manages for ``index_name``."""
    return f"{NAME_PREFIX}{index_name}"


def _frequencies() -> dict[datetime.timedelta, str]:
    import datetime as dt

    return {dt.timedelta(days=1): DAILY, dt.timedelta(days=7): WEEKLY}


# --- What a policy implies ----------------------------------------------------------------------


class ImpliedSchedule(_KeywordRecord):
    """The server schedule a policy implies for one index (:func:`implied_schedule`):
    ``frequency`` (``"daily"`` or ``"weekly"``) and ``expire_after_days``, both ``None`` when
    it implies none (the index stays client-side, or nothing is backed up); ``reason``, how
    the policy translates, or why it does not. ``server`` is whether there is a schedule. A
    frozen, dataclass-like object."""

    __slots__ = ("expire_after_days", "frequency", "reason")
    __match_args__ = ("frequency", "expire_after_days", "reason")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def frequency(self) -> Literal["daily", "weekly"] | None: ...
        @property
        def expire_after_days(self) -> int | None: ...
        @property
        def reason(self) -> str: ...
    else:  # the fields (the annotations make the dataclass metadata)
        frequency: str | None
        expire_after_days: int | None
        reason: str

    def __init__(self, frequency: str | None, expire_after_days: int | None, reason: str) -> None:
        self._set(frequency=frequency, expire_after_days=expire_after_days, reason=reason)

    @property
    def server(self) -> bool:
        """Whether the policy implies a server schedule."""
        return self.frequency is not None

    def describe(self) -> str:
        """``daily, keep 30d``, or ``client-side`` (no schedule)."""
        if self.frequency is None:
            return "client-side"
        return f"{self.frequency}, keep {self.expire_after_days}d"


def implied_schedule(settings: PolicySettings | None) -> ImpliedSchedule:
    """The server schedule that ``settings`` (what governs an index:
    ``policy.settings_for(name)``; ``None``: nothing does) implies, where the API can express
    it; see the module's docstring for the rules. Pure."""
    from pinecone_backups._durations import format_duration
    from pinecone_backups._policy.file import KEEP_RULES

    if settings is None:
        return ImpliedSchedule(None, None, "not governed by the policy")
    if not isinstance(settings, PolicySettings):
        raise ArgumentTypeError(
            f"settings must be a PolicySettings (policy.settings_for(name)) or None, not "
            f"{type(settings).__name__}",
            param="settings",
        )
    rule = settings.rule
    every = settings.backup_every
    in_effect = [key for key in KEEP_RULES if getattr(settings, key) is not None]
    if every is None:
        reason = f"backup_every never ({rule}): nothing to schedule"
        if in_effect:
            reason += f"; keep {settings.describe_keep()} stays client-side (policy run)"
        return ImpliedSchedule(None, None, reason)
    frequency = _frequencies().get(every)
    written = format_duration(every)
    if frequency is None:
        return ImpliedSchedule(
            None,
            None,
            f"stays client-side: backup_every {written} ({rule}) is no schedule's cadence "
            "(24h is daily, 7d weekly)",
        )
    if not in_effect:
        return ImpliedSchedule(
            None,
            None,
            f"stays client-side: no keep rule ({rule}), so the policy keeps every backup, "
            "and a schedule must expire its backups",
        )
    others = [key for key in in_effect if key != "keep_within"]
    if others:
        counts = [key for key in others if key != "keep_tags"]
        why = []
        if counts:
            why.append(
                f"{', '.join(counts)} count{'s' if len(counts) == 1 else ''} backups, "
                "reaching back past the days without one"
            )
        if "keep_tags" in others:
            why.append("keep_tags keeps tagged backups for ever")
        return ImpliedSchedule(
            None,
            None,
            f"stays client-side: keep {settings.describe_keep()} ({rule}) can keep backups of "
            f"any age ({'; '.join(why)}): expire_after_days would delete some",
        )
    within = settings.keep_within
    assert within is not None
    import datetime as dt

    if within % dt.timedelta(days=1) or within < dt.timedelta(days=1):
        return ImpliedSchedule(
            None,
            None,
            f"stays client-side: keep_within {format_duration(within)} ({rule}) is not a "
            "whole number of days (expire_after_days is)",
        )
    days = within.days
    return ImpliedSchedule(
        frequency,
        days,
        f"backup_every {written} is {frequency}, keep_within {days}d is expire_after_days "
        f"{days} ({rule})",
    )


# --- The plan -------------------------------------------------------------------------------


class ScheduleAction(_KeywordRecord):
    """What the plan does about one index's schedule:

    - ``kind``: ``"create"``, ``"update"``, ``"disable"`` or ``"leave"``;
    - ``index_name``; ``rule``, the table that governs it (``None``: none does);
    - ``implied``: the :class:`ImpliedSchedule` of the policy;
    - ``name``: the name of the schedule the policy manages, ``policy-<index>``;
    - ``schedule``: that schedule as it is (``None``: there is none);
    - ``frequency``, ``expire_after_days``, ``enabled``: what ``create`` sends, or what
      ``update`` and ``disable`` change (``None``: left as it is);
    - ``reason``: why, in one line;
    - ``unmanaged``: the index's other schedules (not named ``policy-<index>``), left alone.

    A frozen, dataclass-like object."""

    __slots__ = (
        "enabled",
        "expire_after_days",
        "frequency",
        "implied",
        "index_name",
        "kind",
        "name",
        "reason",
        "rule",
        "schedule",
        "unmanaged",
    )
    __match_args__ = (
        "kind",
        "index_name",
        "rule",
        "implied",
        "name",
        "schedule",
        "frequency",
        "expire_after_days",
        "enabled",
        "reason",
        "unmanaged",
    )

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def kind(self) -> Literal["create", "update", "disable", "leave"]: ...
        @property
        def index_name(self) -> str: ...
        @property
        def rule(self) -> str | None: ...
        @property
        def implied(self) -> ImpliedSchedule: ...
        @property
        def name(self) -> str: ...
        @property
        def schedule(self) -> BackupSchedule | None: ...
        @property
        def frequency(self) -> str | None: ...
        @property
        def expire_after_days(self) -> int | None: ...
        @property
        def enabled(self) -> bool | None: ...
        @property
        def reason(self) -> str: ...
        @property
        def unmanaged(self) -> tuple[BackupSchedule, ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        kind: str
        index_name: str
        rule: str | None
        implied: ImpliedSchedule
        name: str
        schedule: BackupSchedule | None
        frequency: str | None
        expire_after_days: int | None
        enabled: bool | None
        reason: str
        unmanaged: tuple[BackupSchedule, ...]

    def __init__(
        self,
        kind: str,
        index_name: str,
        rule: str | None,
        implied: ImpliedSchedule,
        name: str,
        schedule: BackupSchedule | None,
        frequency: str | None,
        expire_after_days: int | None,
        enabled: bool | None,
        reason: str,
        unmanaged: Iterable[BackupSchedule] = (),
    ) -> None:
        self._set(
            kind=kind,
            index_name=index_name,
            rule=rule,
            implied=implied,
            name=name,
            schedule=schedule,
            frequency=frequency,
            expire_after_days=expire_after_days,
            enabled=enabled,
            reason=reason,
            unmanaged=tuple(unmanaged),
        )

    @property
    def changes(self) -> bool:
        """Whether applying it sends anything (``create``, ``update``, ``disable``)."""
        return self.kind != LEAVE


class SchedulePlan(_KeywordRecord):
    """What :func:`plan_schedules` decided: ``policy``, and ``indexes``, a
    :class:`ScheduleAction` per index of the project, by name. ``changes`` lists the actions
    that send something; ``creates``, ``updates``, ``disables`` and ``leaves`` each kind;
    ``unmanaged`` every ``(index_name, schedule)`` the policy leaves alone. Hand it to
    ``pb.apply_schedules(plan, client)``, once: a plan is applied once (applying it again, even
    after a failure, raises ``ValidationError``; plan again). A frozen, dataclass-like object."""

    __slots__ = ("_applied", "indexes", "policy")
    __match_args__ = ("policy", "indexes")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def policy(self) -> Policy: ...
        @property
        def indexes(self) -> tuple[ScheduleAction, ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        policy: Policy
        indexes: tuple[ScheduleAction, ...]

    def __init__(self, policy: Policy, indexes: Iterable[ScheduleAction]) -> None:
        self._set(policy=policy, indexes=tuple(indexes))

    def _of(self, kind: str) -> tuple[ScheduleAction, ...]:
        return tuple(action for action in self.indexes if action.kind == kind)

    @property
    def changes(self) -> tuple[ScheduleAction, ...]:
        return tuple(action for action in self.indexes if action.changes)

    @property
    def creates(self) -> tuple[ScheduleAction, ...]:
        return self._of(CREATE)

    @property
    def updates(self) -> tuple[ScheduleAction, ...]:
        return self._of(UPDATE)

    @property
    def disables(self) -> tuple[ScheduleAction, ...]:
        return self._of(DISABLE)

    @property
    def leaves(self) -> tuple[ScheduleAction, ...]:
        return self._of(LEAVE)

    @property
    def unmanaged(self) -> tuple[tuple[str, BackupSchedule], ...]:
        return tuple(
            (action.index_name, schedule)
            for action in self.indexes
            for schedule in action.unmanaged
        )


def describe_schedule(schedule: BackupSchedule | None) -> str:
    """``daily, keep 7d, enabled``, or ``-`` for none."""
    if schedule is None:
        return "-"
    state = "enabled" if schedule.enabled else "disabled"
    return f"{schedule.frequency}, keep {schedule.retention_expire_after_days}d, {state}"


def _newest_first(schedule: BackupSchedule) -> tuple[bool, float, str]:
    created = schedule.created_at
    return (not schedule.enabled, -created.timestamp() if created else 0.0, schedule.schedule_id)


def _action(
    index_name: str,
    settings: PolicySettings | None,
    schedules: list[BackupSchedule],
) -> ScheduleAction:
    """The action for one index, given what governs it and its schedules."""
    implied = implied_schedule(settings)
    rule = None if settings is None else settings.rule
    name = schedule_name(index_name)
    named = sorted((s for s in schedules if s.name == name), key=_newest_first)
    managed = named[0] if named else None  # the enabled one, else the newest
    unmanaged = [s for s in schedules if s is not managed]
    blocking = [s for s in unmanaged if s.enabled]

    def action(
        kind: str,
        reason: str,
        frequency: str | None = None,
        days: int | None = None,
        enabled: bool | None = None,
    ) -> ScheduleAction:
        return ScheduleAction(
            kind, index_name, rule, implied, name, managed, frequency, days, enabled, reason,
            unmanaged,
        )  # fmt: skip

    def blocked(what: str) -> ScheduleAction:
        other = blocking[0]
        return action(
            LEAVE,
            f"cannot {what}: schedule '{other.name}' ({other.schedule_id}) of the index is "
            "enabled and not the policy's (an index has at most one enabled schedule): "
            f"disable it for the policy's to be {what.split()[0]}d",
        )

    if implied.server:
        wanted = (implied.frequency, implied.expire_after_days)
        if managed is None:
            if blocking:
                return blocked("create " + name)
            return action(
                CREATE, implied.reason, implied.frequency, implied.expire_after_days, None
            )
        current = (managed.frequency, managed.retention_expire_after_days)
        if current == wanted and managed.enabled:
            return action(LEAVE, f"up to date: {implied.reason}")
        if not managed.enabled and blocking:
            return blocked("enable " + name)
        frequency = implied.frequency if managed.frequency != implied.frequency else None
        days = (
            implied.expire_after_days
            if managed.retention_expire_after_days != implied.expire_after_days
            else None
        )
        reason = implied.reason
        if not managed.enabled:
            reason += "; re-enabling it starts a backup at once"
        return action(UPDATE, reason, frequency, days, True if not managed.enabled else None)
    if managed is not None and managed.enabled:
        return action(DISABLE, implied.reason, enabled=False)
    if managed is not None:
        return action(LEAVE, f"already disabled: {implied.reason}")
    return action(LEAVE, implied.reason)


def make_schedule_plan(
    policy: Policy,
    indexes: Iterable[Index | str],
    schedules: Mapping[str, Iterable[BackupSchedule]],
) -> SchedulePlan:
    """What the schedules of ``indexes`` (``Index`` objects, as ``list_indexes`` gives them, or
    names) should become under ``policy``, given ``schedules``, each index's schedules by index
    name (an index missing: it has none). Pure: sends nothing. See the module's docstring for
    the rules."""
    from pinecone_backups._native import BackupSchedule, Index
    from pinecone_backups._prune import _bad

    if not isinstance(policy, Policy):
        raise ArgumentTypeError(
            f"policy must be a Policy (from pinecone_backups.load_policy), not "
            f"{type(policy).__name__}",
            param="policy",
        )
    if isinstance(indexes, str) or not hasattr(indexes, "__iter__"):
        raise ArgumentTypeError(
            "indexes must be a collection of Index objects or index names, not "
            f"{type(indexes).__name__}",
            param="indexes",
        )
    names: set[str] = set()
    for index in indexes:
        if isinstance(index, Index):
            names.add(index.name)
        elif isinstance(index, str):
            names.add(index)
        else:
            raise _bad("indexes", index, "Index objects or index names", Index)
    if not hasattr(schedules, "items"):
        raise _bad("schedules", schedules, "a mapping of index names to schedules", dict)
    listed: dict[str, list[BackupSchedule]] = {}
    for name, of_index in schedules.items():
        listed[name] = list(of_index)
        for schedule in listed[name]:
            if not isinstance(schedule, BackupSchedule):
                raise _bad("schedules", schedule, "BackupSchedule objects", BackupSchedule)
    return SchedulePlan(
        policy,
        [_action(name, policy.settings_for(name), listed.get(name, [])) for name in sorted(names)],
    )


def _require_schedules(client: Client | AsyncClient, what: str) -> None:
    """Refuses (``ValidationError``) a client whose API version has no schedules, before
    anything is sent."""
    from pinecone_backups.errors import ValidationError

    if client.api_version != SCHEDULES_VERSION:
        raise ValidationError(
            f"{what} needs API version {SCHEDULES_VERSION} (this client speaks "
            f"{client.api_version}: pass api_version)",
            param="api_version",
        )


def _client(client: Any, what: str) -> Any:
    from pinecone_backups._client import AsyncClient, Client, default_client

    if client is None:
        client = default_client()
    if not isinstance(client, (Client, AsyncClient)):
        raise ArgumentTypeError(
            f"client must be a pinecone_backups Client or AsyncClient (or None), not "
            f"{type(client).__name__}",
            param="client",
        )
    _require_schedules(client, what)
    return client


@overload
def plan_schedules(
    policy: Policy, client: Client | None = None, *, concurrency: int = 4
) -> SchedulePlan: ...
@overload
def plan_schedules(
    policy: Policy, client: AsyncClient, *, concurrency: int = 4
) -> Coroutine[Any, Any, SchedulePlan]: ...


def plan_schedules(
    policy: Policy, client: Client | AsyncClient | None = None, *, concurrency: int = 4
) -> SchedulePlan | Coroutine[Any, Any, SchedulePlan]:
    """What the backup schedules of ``client``'s project (default: the module-level functions'
    client, from the environment) should become under ``policy``: a :class:`SchedulePlan`, an
    action per index (``create``, ``update``, ``disable``, ``leave``). Needs API version
    2026-07 (else ``ValidationError``, before anything is sent). Sends only GETs:
    ``list_indexes``, then each index's schedules, ``concurrency`` at a time. With an
    ``AsyncClient`` it returns a coroutine. An index deleted while it was being listed is left
    out.

    ::

        policy = pb.load_policy("policy.toml")
        plan = pb.plan_schedules(policy, client)     # or: await pb.plan_schedules(policy, aclient)
        for action in plan.indexes:
            print(action.kind, action.index_name, action.implied.describe(), action.reason)
        report = pb.apply_schedules(plan, client)
    """
    from pinecone_backups._client import AsyncClient, _concurrency

    if not isinstance(policy, Policy):
        raise ArgumentTypeError(
            f"policy must be a Policy (from pinecone_backups.load_policy), not "
            f"{type(policy).__name__}",
            param="policy",
        )
    concurrency = _concurrency(concurrency)
    client = _client(client, "plan_schedules")
    if isinstance(client, AsyncClient):
        return _plan_async(policy, client, concurrency)
    return _plan_sync(policy, client, concurrency)


def _plan_sync(policy: Policy, client: Client, concurrency: int) -> SchedulePlan:
    from pinecone_backups._policy.pool import Halted, each_sync
    from pinecone_backups.errors import NotFoundError

    indexes = client.list_indexes()
    names = sorted({index.name for index in indexes})
    scope = client._scoped()  # closing it cancels these listings, and only them

    def schedules_of(name: str) -> list[BackupSchedule] | None:
        try:
            return list(scope.iter_backup_schedules(name))
        except NotFoundError:  # deleted meanwhile
            return None

    try:
        listings = each_sync(schedules_of, names, concurrency, scope)
    except Halted as halted:
        assert halted.__cause__ is not None
        raise halted.__cause__ from None
    return _planned(policy, names, listings)


async def _plan_async(policy: Policy, client: AsyncClient, concurrency: int) -> SchedulePlan:
    from pinecone_backups._policy.pool import each_async
    from pinecone_backups.errors import NotFoundError

    indexes = await client.list_indexes()
    names = sorted({index.name for index in indexes})

    async def schedules_of(name: str) -> list[BackupSchedule] | None:
        try:
            return [schedule async for schedule in client.iter_backup_schedules(name)]
        except NotFoundError:  # deleted meanwhile
            return None

    listings = await each_async(schedules_of, names, concurrency)
    return _planned(policy, names, listings)


def _planned(
    policy: Policy, names: list[str], listings: list[list[BackupSchedule] | None]
) -> SchedulePlan:
    found = {
        name: listed for name, listed in zip(names, listings, strict=True) if listed is not None
    }
    return make_schedule_plan(policy, list(found), found)


# --- Applying it ------------------------------------------------------------------------------


class ScheduleResult(_KeywordRecord):
    """What came of one action that changes something: ``action`` (the
    :class:`ScheduleAction`), ``result`` (``"created"``, ``"updated"``, ``"disabled"`` or
    ``"failed"``), ``schedule`` (the schedule as the server answered; ``None`` on a failure),
    ``reason`` (the plan's reason, or what failed, in one line) and ``error`` (the
    ``PineconeError`` of a failure, else ``None``). A frozen, dataclass-like object."""

    __slots__ = ("action", "error", "reason", "result", "schedule")
    __match_args__ = ("action", "result", "schedule", "reason", "error")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def action(self) -> ScheduleAction: ...
        @property
        def result(self) -> Literal["created", "updated", "disabled", "failed"]: ...
        @property
        def schedule(self) -> BackupSchedule | None: ...
        @property
        def reason(self) -> str: ...
        @property
        def error(self) -> PineconeError | None: ...
    else:  # the fields (the annotations make the dataclass metadata)
        action: ScheduleAction
        result: str
        schedule: BackupSchedule | None
        reason: str
        error: PineconeError | None

    def __init__(
        self,
        action: ScheduleAction,
        result: str,
        schedule: BackupSchedule | None,
        reason: str,
        error: PineconeError | None = None,
    ) -> None:
        self._set(action=action, result=result, schedule=schedule, reason=reason, error=error)


class ScheduleReport(_KeywordRecord):
    """What :func:`apply_schedules` did: ``results``, a :class:`ScheduleResult` per action that
    changes something, in the plan's order. ``ok``: none failed; ``failed``, ``done``: those
    that failed, and the others. A frozen, dataclass-like object."""

    __slots__ = ("results",)
    __match_args__ = ("results",)

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def results(self) -> tuple[ScheduleResult, ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        results: tuple[ScheduleResult, ...]

    def __init__(self, results: Iterable[ScheduleResult] = ()) -> None:
        self._set(results=tuple(results))

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> tuple[ScheduleResult, ...]:
        return tuple(result for result in self.results if result.result == FAILED)

    @property
    def done(self) -> tuple[ScheduleResult, ...]:
        return tuple(result for result in self.results if result.result != FAILED)


class SchedulesInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`apply_schedules` on a ``Client``: ``report`` holds what finished;
    ``in_flight`` the actions whose request was under way (it may have been processed);
    ``not_started`` those never sent. No request is started after it."""

    def __init__(
        self,
        report: ScheduleReport,
        in_flight: tuple[ScheduleAction, ...],
        not_started: tuple[ScheduleAction, ...],
    ) -> None:
        super().__init__("schedules interrupted")
        self.report = report
        self.in_flight = in_flight
        self.not_started = not_started


def _one_line(error: PineconeError) -> str:
    return " ".join(str(error).split())


def _send(client: Any, action: ScheduleAction) -> Any:
    """The request of one action (a coroutine with an ``AsyncClient``)."""
    if action.kind == CREATE:
        return client.create_backup_schedule(
            action.index_name,
            name=action.name,
            frequency=action.frequency,
            expire_after_days=action.expire_after_days,
        )
    assert action.schedule is not None
    return client.update_backup_schedule(
        action.schedule.schedule_id,
        frequency=action.frequency,
        expire_after_days=action.expire_after_days,
        enabled=action.enabled,
    )


def _result(action: ScheduleAction, outcome: BackupSchedule | PineconeError) -> ScheduleResult:
    if isinstance(outcome, PineconeError):
        return ScheduleResult(action, FAILED, None, _one_line(outcome), outcome)
    return ScheduleResult(action, _DONE[action.kind], outcome, action.reason)


@overload
def apply_schedules(
    plan: SchedulePlan, client: Client | None = None, *, concurrency: int = 4
) -> ScheduleReport: ...
@overload
def apply_schedules(
    plan: SchedulePlan, client: AsyncClient, *, concurrency: int = 4
) -> Coroutine[Any, Any, ScheduleReport]: ...


def apply_schedules(
    plan: SchedulePlan, client: Client | AsyncClient | None = None, *, concurrency: int = 4
) -> ScheduleReport | Coroutine[Any, Any, ScheduleReport]:
    """Does what ``plan`` says: ``create_backup_schedule`` for each ``create``,
    ``update_backup_schedule`` for each ``update`` and ``disable``, ``concurrency`` at a time;
    ``leave`` sends nothing. A :class:`ScheduleReport`, a result per action sent; a failure (a
    409, a 400 for a retention the service does not take...) is a ``failed`` result, not an
    exception. A ``POST`` that may have reached the server is not sent again (the client's
    rule). Needs API version 2026-07. Ctrl-C (on a ``Client``) raises
    :class:`SchedulesInterrupted`; with an ``AsyncClient`` it returns a coroutine. A plan is
    applied once: applying it again (a retry, even after a failure) raises ``ValidationError``
    (``param="plan"``) before any request; plan again."""
    from pinecone_backups._client import AsyncClient, _concurrency

    if not isinstance(plan, SchedulePlan):
        raise ArgumentTypeError(
            f"plan must be a SchedulePlan (from pinecone_backups.plan_schedules), not "
            f"{type(plan).__name__}",
            param="plan",
        )
    concurrency = _concurrency(concurrency)
    client = _client(client, "apply_schedules")
    _start(plan)
    if isinstance(client, AsyncClient):
        return _apply_async(plan, client, concurrency)
    return _apply_sync(plan, client, concurrency)


def _start(plan: SchedulePlan) -> None:
    """Marks ``plan`` as applied, or refuses it if it already was: a plan is applied once, so
    that a retry never creates a schedule twice (a 409, or a duplicate). The mark is not
    pickled: a copy is a new plan."""
    import datetime

    applied = getattr(plan, "_applied", None)
    if applied is not None:
        raise ValidationError(
            f"this plan was already applied ({applied}: a plan is applied once, so that a "
            f"retry never sends a change twice); plan again with plan_schedules",
            param="plan",
        )
    clock = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S UTC")
    object.__setattr__(plan, "_applied", f"apply_schedules started it at {clock}")


def _apply_sync(plan: SchedulePlan, client: Client, concurrency: int) -> ScheduleReport:
    from pinecone_backups._policy.pool import Halted, each_sync

    actions = plan.changes
    if not actions:
        return ScheduleReport()
    scope = client._scoped()  # closing it cancels these requests, and only them

    def apply(action: ScheduleAction) -> BackupSchedule | PineconeError:
        try:
            schedule: BackupSchedule = _send(scope, action)
        except PineconeError as error:
            if isinstance(error, ClientClosedError):
                raise
            return error
        return schedule

    try:
        outcomes = each_sync(apply, actions, concurrency, scope)
    except Halted as halted:
        if isinstance(halted.__cause__, KeyboardInterrupt):
            done = [_result(actions[p], outcome) for p, outcome in sorted(halted.done.items())]
            raise SchedulesInterrupted(
                ScheduleReport(done),
                tuple(actions[p] for p in halted.in_flight),
                tuple(actions[p] for p in halted.not_started),
            ) from halted.__cause__
        assert halted.__cause__ is not None
        raise halted.__cause__ from None
    return ScheduleReport(
        _result(action, outcome) for action, outcome in zip(actions, outcomes, strict=True)
    )


async def _apply_async(plan: SchedulePlan, client: AsyncClient, concurrency: int) -> ScheduleReport:
    from pinecone_backups._policy.pool import each_async

    actions = plan.changes

    async def apply(action: ScheduleAction) -> BackupSchedule | PineconeError:
        try:
            schedule: BackupSchedule = await _send(client, action)
        except PineconeError as error:
            if isinstance(error, ClientClosedError):
                raise
            return error
        return schedule

    outcomes = await each_async(apply, actions, concurrency)
    return ScheduleReport(
        _result(action, outcome) for action, outcome in zip(actions, outcomes, strict=True)
    )


__all__ = [
    "ImpliedSchedule",
    "ScheduleAction",
    "SchedulePlan",
    "ScheduleReport",
    "ScheduleResult",
    "SchedulesInterrupted",
    "apply_schedules",
    "describe_schedule",
    "implied_schedule",
    "make_schedule_plan",
    "plan_schedules",
    "schedule_name",
]
