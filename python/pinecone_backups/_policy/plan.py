"""What a policy would do now (:class:`PolicyPlan`): per index, whether to create a backup and
which backups retention deletes. :func:`make_plan` (``Policy.plan``) is a pure function of the
indexes, their backups, the restore jobs and ``now``; :func:`plan_policy` fetches them
(``list_indexes``, each governed index's backups, the restore jobs) and calls it.

Per index, in the order of the names:

- **Governed or not.** ``policy.settings_for(name)``: the first rule whose ``match`` fits, its
  keys completed by ``[defaults]``; else ``[defaults]``; else nothing, and the index is
  listed, with no action (``not governed``).
- **Create a backup now** when ``backup_every`` is a duration (not ``"never"``, not left out
  everywhere), the index is not known to be unready (``Index.ready`` false: ``Initializing``,
  ``Terminating``...), and its newest ``Ready`` or running backup (not failed, by
  :mod:`pinecone_backups._status`'s rule) of known ``created_at`` was created more than
  ``backup_every`` before ``now`` (``now - created_at > backup_every``), or there is none. A
  failed backup does not count, nor one whose ``created_at`` is unknown, nor one of a deleted
  index (``source_index_deleted_at`` set). Its name is ``policy-<index>-<now, UTC>``
  (``policy-prod-20261206t120000z``: lowercase, as API 2026-07 requires), the index's name cut
  so that the name has at most 45 characters.
- **Delete** what ``plan_prune`` deletes of the index's backups with the keep rules in effect
  (and ``tz``), ``indexes=[name]``, the project's restore jobs and ``now``: every safety rail of
  ``prune`` stands (the newest ``Ready`` backup, the backups of unfinished restore jobs, those
  not final, those of unknown age are kept), no filter and no ``allow_empty``. With no keep
  rule in effect, nothing is deleted. The backup the plan would create is not among the
  backups planned (it does not exist yet), so it is never deleted.
"""

from __future__ import annotations

from typing import overload

from pinecone_backups import _status
from pinecone_backups._policy.file import DEFAULTS, Policy, PolicySettings, _KeywordRecord
from pinecone_backups.errors import ArgumentTypeError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    import datetime
    from collections.abc import Coroutine, Iterable, Mapping
    from typing import Any, Literal

    from pinecone_backups._client import AsyncClient, Client
    from pinecone_backups._native import Backup, Index, RestoreJob
    from pinecone_backups._prune import PrunePlan

NAME_PREFIX = "policy-"
"""How the names of the backups a policy creates start."""
MAX_NAME = 45
"""The longest backup name API 2026-07 takes."""
POLICY_OPTIONS: Mapping[str, str] = {"allow_empty": "no policy key", "statuses": "prune --status"}
"""How the retention reasons of a policy name ``prune``'s options (a policy has neither):
``safety: newest Ready backup of index 'x' (no policy key lifts this)``."""
NOT_GOVERNED = "not governed: no rule matches it and the policy has no [defaults]"
"""The reason of an index that nothing governs."""


class PolicyAction(_KeywordRecord):
    """One thing a policy plan would do: ``kind`` ``"create"`` (a backup of ``index_name``
    named ``name``; ``backup`` is ``None``) or ``"delete"`` (``backup``, of ``index_name``;
    ``name`` is its name), ``rule`` the table that governs the index (``"rules[0]"``,
    ``"defaults"``) and ``reason`` why. A frozen, dataclass-like object."""

    __slots__ = ("backup", "index_name", "kind", "name", "reason", "rule")
    __match_args__ = ("kind", "index_name", "name", "backup", "rule", "reason")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def kind(self) -> Literal["create", "delete"]: ...
        @property
        def index_name(self) -> str: ...
        @property
        def name(self) -> str | None: ...
        @property
        def backup(self) -> Backup | None: ...
        @property
        def rule(self) -> str: ...
        @property
        def reason(self) -> str: ...
    else:  # the fields (the annotations make the dataclass metadata)
        kind: str
        index_name: str
        name: str | None
        backup: Backup | None
        rule: str
        reason: str

    def __init__(
        self,
        kind: str,
        index_name: str,
        name: str | None,
        backup: Backup | None,
        rule: str,
        reason: str,
    ) -> None:
        self._set(
            kind=kind, index_name=index_name, name=name, backup=backup, rule=rule, reason=reason
        )


class IndexPlan(_KeywordRecord):
    """What a policy plans for one index: ``index_name``; ``settings``, what governs it
    (``None``: nothing does); ``create``, the backup to create (a :class:`PolicyAction`, or
    ``None``); ``reason``, why a backup is or is not created; ``prune``, the retention plan of
    its backups (a ``PrunePlan``: ``prune.delete`` and ``prune.keep``, each backup with why;
    ``None`` when no keep rule is in effect, so nothing is deleted). A frozen, dataclass-like
    object."""

    __slots__ = ("_deletes", "create", "index_name", "prune", "reason", "settings")
    __match_args__ = ("index_name", "settings", "create", "reason", "prune")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def index_name(self) -> str: ...
        @property
        def settings(self) -> PolicySettings | None: ...
        @property
        def create(self) -> PolicyAction | None: ...
        @property
        def reason(self) -> str: ...
        @property
        def prune(self) -> PrunePlan | None: ...

        _deletes: tuple[PolicyAction, ...]
    else:  # the fields (the annotations make the dataclass metadata)
        index_name: str
        settings: PolicySettings | None
        create: PolicyAction | None
        reason: str
        prune: PrunePlan | None

    def __init__(
        self,
        index_name: str,
        settings: PolicySettings | None,
        create: PolicyAction | None,
        reason: str,
        prune: PrunePlan | None,
    ) -> None:
        self._set(
            index_name=index_name, settings=settings, create=create, reason=reason, prune=prune
        )
        deletes: tuple[PolicyAction, ...] = ()
        if prune is not None and settings is not None:
            rule = settings.rule
            deletes = tuple(
                PolicyAction("delete", index_name, backup.name, backup, rule, why)
                for backup, why in prune.delete
            )
        self._set(_deletes=deletes)  # made once: a plan may hold thousands

    @property
    def deletes(self) -> tuple[PolicyAction, ...]:
        """The backups retention deletes, as ``delete`` actions (the prune plan's order)."""
        return self._deletes

    @property
    def actions(self) -> tuple[PolicyAction, ...]:
        """The create action (if any), then the deletes."""
        return ((self.create,) if self.create is not None else ()) + self.deletes


class PolicyPlan(_KeywordRecord):
    """What :func:`plan_policy` (or ``Policy.plan``) decided: ``indexes``, an
    :class:`IndexPlan` per index of the project, by name (those nothing governs too);
    ``policy``, the policy; ``now``, the time it was planned for (the new backups' names carry
    it). ``actions`` lists every action, index by index (its create, then its deletes);
    ``creates`` and ``deletes`` each kind. Hand it to ``pb.run_policy(plan, client)``, once: a
    plan runs once (running it again, even after a failure, raises ``ValidationError``; plan
    again). A frozen, dataclass-like object."""

    __slots__ = ("_actions", "_ran", "indexes", "now", "policy")
    __match_args__ = ("policy", "now", "indexes")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def policy(self) -> Policy: ...
        @property
        def now(self) -> datetime.datetime: ...
        @property
        def indexes(self) -> tuple[IndexPlan, ...]: ...

        _actions: tuple[PolicyAction, ...]
    else:  # the fields (the annotations make the dataclass metadata)
        policy: Policy
        now: datetime.datetime
        indexes: tuple[IndexPlan, ...]

    def __init__(
        self, policy: Policy, now: datetime.datetime, indexes: Iterable[IndexPlan]
    ) -> None:
        indexes = tuple(indexes)
        actions = tuple(action for index in indexes for action in index.actions)
        self._set(policy=policy, now=now, indexes=indexes, _actions=actions)

    @property
    def actions(self) -> tuple[PolicyAction, ...]:
        return self._actions

    @property
    def creates(self) -> tuple[PolicyAction, ...]:
        return tuple(action for action in self._actions if action.kind == "create")

    @property
    def deletes(self) -> tuple[PolicyAction, ...]:
        return tuple(action for action in self._actions if action.kind == "delete")


# --- Planning -------------------------------------------------------------------------------


def current_time() -> datetime.datetime:
    """Now, in UTC: the time of a plan made without ``now`` (the command line's tests pin
    it here)."""
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


def backup_name(index_name: str, now: datetime.datetime) -> str:
    """``policy-<index>-<UTC time>``: ``policy-prod-20261206t120000z``, the index's name cut so
    that the whole has at most :data:`MAX_NAME` characters."""
    import datetime as dt

    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dt%H%M%Sz")
    room = MAX_NAME - len(NAME_PREFIX) - len(stamp) - 1
    index = index_name[:room].rstrip("-")
    return f"{NAME_PREFIX}{index}-{stamp}" if index else f"{NAME_PREFIX}{stamp}"


def make_plan(
    policy: Policy,
    indexes: Iterable[Index | str],
    backups: Iterable[Backup] | Mapping[str, Iterable[Backup]],
    *,
    restore_jobs: Iterable[RestoreJob] = (),
    now: datetime.datetime | None = None,
) -> PolicyPlan:
    """``Policy.plan``: what ``policy`` would do to ``indexes`` (``Index`` objects, or names),
    given their ``backups`` and the project's ``restore_jobs``, at ``now`` (an aware
    ``datetime``; default: now). Pure: sends nothing. See the module's docstring for the rules.

    ``backups`` is either the backups (each goes to the index it names; those of other indexes
    are left out) or, as ``plan_policy`` passes them, a mapping of each index's name to what
    the server listed for it: a backup listed for an index it does not name is kept, with the
    reason (its index is not known for sure), and counts for no index."""
    import datetime as dt

    from pinecone_backups._native import Backup, Index, RestoreJob
    from pinecone_backups._prune import _bad

    if not isinstance(policy, Policy):
        raise ArgumentTypeError(
            f"policy must be a Policy (from pinecone_backups.load_policy), not "
            f"{type(policy).__name__}",
            param="policy",
        )
    if now is None:
        now = current_time()
    elif not isinstance(now, dt.datetime) or now.utcoffset() is None:
        raise _bad("now", now, "a timezone-aware datetime or None", dt.datetime)
    if isinstance(indexes, str) or not hasattr(indexes, "__iter__"):
        raise ArgumentTypeError(
            "indexes must be a collection of Index objects or index names, not "
            f"{type(indexes).__name__}",
            param="indexes",
        )
    ready: dict[str, tuple[bool | None, str | None]] = {}
    for index in indexes:
        if isinstance(index, Index):
            ready.setdefault(index.name, (index.ready, index.state))
        elif isinstance(index, str):
            ready.setdefault(index, (None, None))
        else:
            raise _bad("indexes", index, "Index objects or index names", Index)
    jobs = list(restore_jobs)
    for job in jobs:
        if not isinstance(job, RestoreJob):
            raise _bad("restore_jobs", job, "RestoreJob objects", RestoreJob)
    by_index: dict[str, list[Backup]] = {name: [] for name in ready}
    listed = (  # (the index a backup was listed for, if known; the backup)
        ((name, backup) for name, listing in backups.items() for backup in listing)
        if hasattr(backups, "items")
        else ((None, backup) for backup in backups)
    )
    for listed_for, backup in listed:
        if not isinstance(backup, Backup):
            raise _bad("backups", backup, "Backup objects", Backup)
        name = backup.source_index_name if listed_for is None else listed_for
        if name in by_index and backup.source_index_deleted_at is None:
            by_index[name].append(backup)  # one naming another index: doubted by prune

    plans = []
    for name in sorted(ready):
        settings = policy.settings_for(name)
        if settings is None:
            plans.append(IndexPlan(name, None, None, NOT_GOVERNED, None))
            continue
        own = [backup for backup in by_index[name] if backup.source_index_name == name]
        create, reason = _create(name, settings, own, ready[name], now)
        prune = None
        if settings.retention:
            from pinecone_backups._prune import make_plan as make_prune_plan

            prune = make_prune_plan(
                by_index[name],
                **settings.prune_options(),
                restore_jobs=jobs,
                indexes=[name],
                now=now,
                options=POLICY_OPTIONS,
            )
        plans.append(IndexPlan(name, settings, create, reason, prune))
    return PolicyPlan(policy, now, plans)


def _create(
    name: str,
    settings: PolicySettings,
    backups: list[Backup],
    ready: tuple[bool | None, str | None],
    now: datetime.datetime,
) -> tuple[PolicyAction | None, str]:
    """The backup to create of index ``name`` (or ``None``), and why (or why not). A backup
    dated more than ``FUTURE_SKEW_SECONDS`` ahead of ``now`` is of unknown age: not counted."""
    import datetime as dt

    from pinecone_backups._durations import FUTURE_SKEW_SECONDS, format_duration
    from pinecone_backups._prune import _age

    rule = settings.rule
    if settings.backup_every is None:
        return None, f"backup_every never ({rule})"
    every = f"backup_every {format_duration(settings.backup_every)} ({rule})"
    is_ready, state = ready
    if is_ready is False:
        return None, f"index not ready (state {state or 'unknown'}): no backup now; {every}"
    latest = now + dt.timedelta(seconds=FUTURE_SKEW_SECONDS)
    newest: tuple[datetime.datetime, Backup] | None = None
    future = 0  # backups dated in the future: of unknown age, they do not count
    for backup in backups:
        created = backup.created_at
        if created is None or _status.failed(backup.status, _status.BACKUP):
            continue
        if created > latest:
            future += 1
            continue
        if newest is None or created > newest[0]:
            newest = (created, backup)
    if newest is None:
        reason = f"no Ready or running backup; {every}"
        if future:
            reason = (
                f"no Ready or running backup of known age ({future} dated in the future, not "
                f"counted); {every}"
            )
    else:
        created, backup = newest
        what = f"newest Ready or running backup {backup.backup_id} ({backup.status}) created "
        what += f"{_age(now - created)} ago"
        if now - created <= settings.backup_every:
            return None, f"{what}, within {every}"
        reason = f"{what}, more than {every}"
    action = PolicyAction("create", name, backup_name(name, now), None, rule, reason)
    return action, reason


# --- Fetching what to plan from ---------------------------------------------------------------


@overload
def plan_policy(
    policy: Policy,
    client: Client | None = None,
    *,
    now: datetime.datetime | None = None,
    concurrency: int = 4,
) -> PolicyPlan: ...
@overload
def plan_policy(
    policy: Policy,
    client: AsyncClient,
    *,
    now: datetime.datetime | None = None,
    concurrency: int = 4,
) -> Coroutine[Any, Any, PolicyPlan]: ...


def plan_policy(
    policy: Policy,
    client: Client | AsyncClient | None = None,
    *,
    now: datetime.datetime | None = None,
    concurrency: int = 4,
) -> PolicyPlan | Coroutine[Any, Any, PolicyPlan]:
    """What ``policy`` would do now to the indexes of ``client``'s project (default: the
    module-level functions' client, from the environment): a :class:`PolicyPlan`. Sends only
    GETs: ``list_indexes``, the backups of each governed index (``iter_index_backups``,
    ``concurrency`` listings at a time) and, when some retention is in effect, the restore
    jobs. With an ``AsyncClient`` it returns a coroutine. ``now`` (an aware ``datetime``) pins
    the clock. An index deleted while it was being listed is left out.

    ::

        policy = pb.load_policy("policy.toml")
        plan = pb.plan_policy(policy, client)       # or: await pb.plan_policy(policy, aclient)
        for action in plan.actions:
            print(action.kind, action.index_name, action.name, action.reason)
        report = pb.run_policy(plan, client, wait=True)
    """
    from pinecone_backups._client import AsyncClient, Client, _concurrency, default_client

    if not isinstance(policy, Policy):
        raise ArgumentTypeError(
            f"policy must be a Policy (from pinecone_backups.load_policy), not "
            f"{type(policy).__name__}",
            param="policy",
        )
    concurrency = _concurrency(concurrency)
    if now is not None:
        make_plan(policy, (), (), now=now)  # checks now before anything is sent
    if client is None:
        client = default_client()
    if isinstance(client, AsyncClient):
        return _plan_async(policy, client, now, concurrency)
    if not isinstance(client, Client):
        raise ArgumentTypeError(
            f"client must be a pinecone_backups Client or AsyncClient (or None), not "
            f"{type(client).__name__}",
            param="client",
        )
    return _plan_sync(policy, client, now, concurrency)


def _listed(policy: Policy, indexes: list[Index]) -> tuple[list[str], bool]:
    """The indexes whose backups the plan needs (governed, with something to do) and whether
    it needs the restore jobs (some retention)."""
    names: list[str] = []
    retention = False
    for index in indexes:
        settings = policy.settings_for(index.name)
        if settings is not None and (settings.backup_every is not None or settings.retention):
            names.append(index.name)
            retention = retention or settings.retention
    return names, retention


def _plan_sync(
    policy: Policy, client: Client, now: datetime.datetime | None, concurrency: int
) -> PolicyPlan:
    from pinecone_backups._policy.pool import Halted, each_sync
    from pinecone_backups.errors import NotFoundError

    indexes = client.list_indexes()
    names, retention = _listed(policy, indexes)
    scope = client._scoped()  # closing it cancels these listings, and only them

    def listing(name: str | None) -> list[Any] | None:
        """The backups of index ``name`` (``None`` when it was deleted meanwhile), or the
        restore jobs (``name`` ``None``)."""
        if name is None:
            return list(scope.iter_restore_jobs())
        try:
            return list(scope.iter_index_backups(name))
        except NotFoundError:  # deleted meanwhile
            return None

    # The restore jobs are listed alongside the backups (first: a walk of pages, the longest).
    wanted: list[str | None] = [None, *names] if retention else [*names]
    try:
        listings = each_sync(listing, wanted, concurrency, scope)
    except Halted as halted:
        assert halted.__cause__ is not None
        raise halted.__cause__ from None
    jobs = (listings.pop(0) or []) if retention else []
    return _planned(policy, indexes, names, listings, jobs, now)


async def _plan_async(
    policy: Policy, client: AsyncClient, now: datetime.datetime | None, concurrency: int
) -> PolicyPlan:
    from pinecone_backups._policy.pool import each_async
    from pinecone_backups.errors import NotFoundError

    indexes = await client.list_indexes()
    names, retention = _listed(policy, indexes)

    async def listing(name: str | None) -> list[Any] | None:
        """See ``_plan_sync``."""
        if name is None:
            return [job async for job in client.iter_restore_jobs()]
        try:
            return [backup async for backup in client.iter_index_backups(name)]
        except NotFoundError:  # deleted meanwhile
            return None

    wanted: list[str | None] = [None, *names] if retention else [*names]
    listings = await each_async(listing, wanted, concurrency)
    jobs = (listings.pop(0) or []) if retention else []
    return _planned(policy, indexes, names, listings, jobs, now)


def _planned(
    policy: Policy,
    indexes: list[Index],
    names: list[str],
    listings: list[list[Backup] | None],
    jobs: list[RestoreJob],
    now: datetime.datetime | None,
) -> PolicyPlan:
    gone = {name for name, backups in zip(names, listings, strict=True) if backups is None}
    listed = {
        name: backups for name, backups in zip(names, listings, strict=True) if backups is not None
    }
    present = [index for index in indexes if index.name not in gone]
    return make_plan(policy, present, listed, restore_jobs=jobs, now=now)


__all__ = [
    "DEFAULTS",
    "IndexPlan",
    "PolicyAction",
    "PolicyPlan",
    "backup_name",
    "make_plan",
    "plan_policy",
]
