"""Coverage, behind ``pinecone-backups coverage``: whether every index of the project has a recent
``Ready`` backup, and which backups belong to no index any more.

:func:`assess_coverage` is a pure function of the indexes, the backups (and, where the API has
them, the backup schedules) and ``now``: one row per index and one per orphaned index, each a
dict with the keys of :data:`KEYS`. ``Client.coverage`` / ``AsyncClient.coverage`` fetch what it
needs (:func:`coverage_sync`, :func:`coverage_async`) and return its rows.

The verdict of an index (``max_age`` a duration; default 26 hours):

- ``ok``: its newest ``Ready`` backup of known age was created ``max_age`` ago or less
  (``now - created_at <= max_age``);
- ``stale``: it has ``Ready`` backups, but the newest of known age is older than ``max_age``,
  or none has a known age;
- ``unprotected``: it has no ``Ready`` backup.

``Ready``, failed and running are :mod:`pinecone_backups._status`'s rule. A backup's age is
unknown when its ``created_at`` is absent, ``null``, unreadable, out of ``datetime``'s range in
UTC, or more than :data:`FUTURE_SKEW` after ``now``: such a backup is counted (``unknown_time``)
but never makes an index ``ok``.

Which backups are an index's: an index is known by its name (``IndexModel`` has no id in any API
version), its backups by ``source_index_name`` and ``source_index_id``. An index deleted and
created again under its name is another index, whose backups carry another id: the old one's are
orphaned, not coverage of the new one. The id of the index that exists is, in this order:
``index_ids[name]`` (what ``list_index_backups(name)`` shows: the backups of the index that has
the name now; ``None`` when it lists none), the ``index_id`` of its backup schedules, else the one
id its backups carry. A backup whose ``source_index_deleted_at`` is set (API 2026-04 on) is never
the coverage of an index that exists. When its backups carry several ids and nothing says which
is the index's, none counts (the index is ``unprotected``, its reason says why) and each id's
backups are listed as orphaned.

A row ``orphaned`` gathers the backups of one index (name and id) that does not exist any more:
their count, total size and newest ``Ready`` backup. Orphans are information: they do not make
the command exit with status 6.

Importing this module imports nothing beyond the package (``datetime`` where it is used).
"""

from __future__ import annotations

from pinecone_backups import _status
from pinecone_backups._durations import FUTURE_SKEW_SECONDS, format_duration, parse_duration
from pinecone_backups._inventory import utc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import datetime
    from collections.abc import Coroutine, Iterable, Mapping, Sequence
    from typing import Any

    from pinecone_backups._client import AsyncClient, Client
    from pinecone_backups._native import Backup, BackupSchedule, Index

__all__ = ["KEYS", "VERDICTS", "assess_coverage", "coverage_async", "coverage_sync"]

OK = "ok"
STALE = "stale"
UNPROTECTED = "unprotected"
ORPHANED = "orphaned"
VERDICTS = (OK, STALE, UNPROTECTED, ORPHANED)
"""The verdicts, in this order: an index's (the first three), then an orphaned index's."""

KEYS = (
    "index",
    "index_id",
    "verdict",
    "index_state",
    "newest_ready_id",
    "newest_ready_at",
    "age_seconds",
    "backups",
    "ready",
    "running",
    "failed",
    "unknown_time",
    "size_bytes",
    "schedule",
    "schedule_id",
    "schedule_frequency",
    "schedule_expire_after_days",
    "schedule_next_run",
    "index_deleted_at",
    "reason",
)
"""The keys of a row of :func:`assess_coverage`, in order (the command's CSV columns and JSON
keys too):

- ``index``: the index's name (an orphaned row: its backups' ``source_index_name``);
- ``index_id``: the id its backups carry (``None`` when it has none, or when it is not known);
- ``verdict``: ``ok``, ``stale``, ``unprotected`` or ``orphaned``;
- ``index_state``: the index's ``status.state`` (``Ready``, ``Initializing``...; ``None`` for an
  orphaned row);
- ``newest_ready_id``, ``newest_ready_at``, ``age_seconds``: its newest ``Ready`` backup of known
  age, when it was created (UTC) and how long before ``now`` (whole seconds, at least 0);
- ``backups``, ``ready``, ``running``, ``failed``: how many backups it has, by status;
  ``unknown_time``: how many of them (any status) have no known age;
- ``size_bytes``: their total size (of those that state one);
- ``schedule``: ``enabled``, ``disabled`` (it has schedules, none enabled), ``none``, ``n/a``
  (the API version has no schedules, or they could not be read), ``None`` for an orphaned row;
  ``schedule_id``, ``schedule_frequency``, ``schedule_expire_after_days``,
  ``schedule_next_run``: the enabled schedule (else the newest disabled one);
- ``index_deleted_at``: for an orphaned row, when its index was deleted, if the API says so
  (``source_index_deleted_at``, API 2026-04 on);
- ``reason``: the verdict in words.
"""


DEFAULT_MAX_AGE = "26h"
"""The default ``max_age``: a daily backup, with two hours to spare."""

DEFAULT_CONCURRENCY = 8
"""The per-index requests (schedules; ids under API 2025-10) in flight at once."""

SCHEDULE_ENABLED = "enabled"
SCHEDULE_DISABLED = "disabled"
SCHEDULE_NONE = "none"
SCHEDULE_NA = "n/a"


# --- Assessing ------------------------------------------------------------------------------


def assess_coverage(
    indexes: Iterable[Index],
    backups: Iterable[Backup],
    *,
    max_age: datetime.timedelta | str = DEFAULT_MAX_AGE,
    now: datetime.datetime | None = None,
    schedules: Mapping[str, Iterable[BackupSchedule] | None] | None = None,
    index_ids: Mapping[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """The coverage of every index of ``indexes`` by ``backups`` (every backup of the project):
    one row per index, sorted by name, then one per orphaned index (name and id), sorted; each
    row a dict with the keys of :data:`KEYS`. Sends nothing.

    ``max_age``: a ``timedelta`` or a duration (``"26h"``, ``"7d"``, ``"1d12h"``), more than 0.
    ``now``: an aware ``datetime`` (default: now, UTC). ``schedules``: each index's backup
    schedules by index name (``None`` for an index: they could not be read, ``n/a``; an index
    missing: it has none); ``None``: the API version has no schedules (``n/a`` for every index).
    ``index_ids``: the id of the index that has the name now, by name, as
    ``list_index_backups(name)`` shows it (``None``: that index lists no backup), where the
    backups cannot tell (see the module's docstring). A bad argument raises ``ValidationError``
    or ``ArgumentTypeError`` before anything is read.

    ```python
    rows = pb.assess_coverage(client.list_indexes(), client.iter_project_backups(), max_age="26h")
    [row["index"] for row in rows if row["verdict"] != "ok"]
    ```
    """
    import datetime as dt

    from pinecone_backups._native import Backup, BackupSchedule, Index
    from pinecone_backups._prune import _bad

    limit = _max_age(max_age)
    now = _now(now)
    live: dict[str, Index] = {}
    for index in _iterable(indexes, "indexes"):
        if not isinstance(index, Index):
            raise _bad("indexes", index, "Index objects", Index)
        live.setdefault(index.name, index)
    unique: dict[str, Backup] = {}
    for backup in _iterable(backups, "backups"):
        if not isinstance(backup, Backup):
            raise _bad("backups", backup, "Backup objects", Backup)
        unique.setdefault(backup.backup_id, backup)
    listed: dict[str, list[BackupSchedule]] | None = None
    unreadable: set[str] = set()  # the indexes whose schedules could not be read
    if schedules is not None:
        if not hasattr(schedules, "items"):
            raise _bad("schedules", schedules, "a mapping of index names to schedules", dict)
        listed = {}
        for name, of_index in schedules.items():
            if of_index is None:
                unreadable.add(name)
                continue
            listed[name] = list(_iterable(of_index, "schedules"))
            for schedule in listed[name]:
                if not isinstance(schedule, BackupSchedule):
                    raise _bad("schedules", schedule, "BackupSchedule objects", BackupSchedule)
    if index_ids is not None and not hasattr(index_ids, "items"):
        raise _bad("index_ids", index_ids, "a mapping of index names to ids", dict)
    given_ids = dict(index_ids or {})

    known: dict[str, datetime.datetime | None] = {}  # backup id -> created_at, UTC, if trusted
    latest = now + dt.timedelta(seconds=FUTURE_SKEW_SECONDS)
    for backup_id, backup in unique.items():
        created = utc(backup.created_at)
        known[backup_id] = created if created is not None and created <= latest else None

    by_name: dict[str, list[Backup]] = {}
    for backup in unique.values():
        by_name.setdefault(backup.source_index_name, []).append(backup)

    rows: list[dict[str, Any]] = []
    owned: set[str] = set()  # ids of the backups that are an existing index's
    why_not: dict[tuple[str, str], str] = {}  # an orphan whose name an index has -> why
    for name in sorted(live):
        index = live[name]
        candidates = [b for b in by_name.get(name, ()) if b.source_index_deleted_at is None]
        ids = sorted({b.source_index_id for b in candidates})
        of_schedules = sorted({s.index_id for s in (listed or {}).get(name, ())})
        notes: list[str] = []
        live_id: str | None
        if name in given_ids:
            live_id = given_ids[name]
        elif len(of_schedules) == 1:
            live_id = of_schedules[0]
        elif len(ids) <= 1:
            live_id = ids[0] if ids else None
        else:
            live_id = None
            notes.append(
                f"its name is on the backups of {len(ids)} index ids ({', '.join(ids)}) and "
                "which is this index is not known: none counted (they are listed as orphaned)"
            )
            for other in ids:
                why_not[(name, other)] = f"which index named '{name}' had id {other} is not known"
        own = [b for b in candidates if live_id is not None and b.source_index_id == live_id]
        owned.update(b.backup_id for b in own)
        others = len(by_name.get(name, ())) - len(own)
        if others and not notes:
            notes.append(
                f"{_plural(others, 'backup')} of an earlier index named '{name}' not counted "
                "(listed as orphaned)"
            )
        for backup in by_name.get(name, ()):
            if backup.backup_id not in owned:
                why_not.setdefault(
                    (name, backup.source_index_id),
                    f"the index named '{name}' now is another one"
                    + ("" if live_id is None else f" (id {live_id})"),
                )
        row = _row(name, live_id, own, known, now)
        row["index_state"] = index.state
        _verdict(row, own, known, limit, now, notes)
        _schedule(row, name, listed, unreadable)
        rows.append(row)

    orphans: dict[tuple[str, str], list[Backup]] = {}
    for backup in unique.values():
        if backup.backup_id not in owned:
            orphans.setdefault((backup.source_index_name, backup.source_index_id), []).append(
                backup
            )
    for key in sorted(orphans):
        name, index_id = key
        group = orphans[key]
        row = _row(name, index_id, group, known, now)
        deleted = [moment for moment in (utc(b.source_index_deleted_at) for b in group) if moment]
        row["index_deleted_at"] = max(deleted) if deleted else None
        row["verdict"] = ORPHANED
        why = why_not.get(key, f"no index named '{name}' exists")
        if row["index_deleted_at"] is not None:
            why = f"index deleted at {_when(row['index_deleted_at'])}; {why}"
        row["reason"] = f"{why}: {_plural(len(group), 'backup')}, {_size(row['size_bytes'])}"
        rows.append(row)
    return rows


def _row(
    name: str,
    index_id: str | None,
    backups: Sequence[Backup],
    known: Mapping[str, datetime.datetime | None],
    now: datetime.datetime,
) -> dict[str, Any]:
    """A row's counts, size and newest ``Ready`` backup of known age."""
    row: dict[str, Any] = dict.fromkeys(KEYS)
    states = [_status.state(b.status, _status.BACKUP) for b in backups]
    row.update(
        index=name,
        index_id=index_id,
        backups=len(backups),
        ready=states.count(_status.SUCCEEDED),
        running=states.count(_status.RUNNING),
        failed=states.count(_status.FAILED),
        unknown_time=sum(1 for b in backups if known[b.backup_id] is None),
        size_bytes=sum(b.size_bytes for b in backups if b.size_bytes is not None),
    )
    ready: list[tuple[datetime.datetime, str]] = []  # (created_at, id) of known age
    for b, state in zip(backups, states, strict=True):
        created = known[b.backup_id]
        if state == _status.SUCCEEDED and created is not None:
            ready.append((created, b.backup_id))
    if ready:
        newest_at = max(created for created, _ in ready)
        # of two created at the same instant, the one whose id sorts first (as plan_prune)
        newest = min(backup_id for created, backup_id in ready if created == newest_at)
        row.update(
            newest_ready_id=newest,
            newest_ready_at=newest_at,
            age_seconds=max(0, int((now - newest_at).total_seconds() // 1)),
        )
    return row


def _verdict(
    row: dict[str, Any],
    own: Sequence[Backup],
    known: Mapping[str, datetime.datetime | None],
    limit: datetime.timedelta,
    now: datetime.datetime,
    notes: list[str],
) -> None:
    """Sets an index's ``verdict`` and ``reason``."""
    unknown_ready = [
        b for b in own if known[b.backup_id] is None and _status.succeeded(b.status, _status.BACKUP)
    ]
    if unknown_ready:
        shown = ", ".join(_unknown_time(b, now) for b in unknown_ready[:3])
        more = "..." if len(unknown_ready) > 3 else ""
        notes.append(
            f"{_plural(len(unknown_ready), 'Ready backup')} of unknown age not counted "
            f"(created_at {shown}{more})"
        )
    max_text = format_duration(limit)
    if row["newest_ready_at"] is not None:
        age = now - row["newest_ready_at"]
        old = age_text(row["age_seconds"])
        if age <= limit:
            row["verdict"] = OK
            why = f"newest Ready backup {old} old (max age {max_text})"
        else:
            row["verdict"] = STALE
            why = f"newest Ready backup {old} old, over the max age {max_text}"
    elif unknown_ready:
        row["verdict"] = STALE
        why = "no Ready backup of known age"
    else:
        row["verdict"] = UNPROTECTED
        why = "no Ready backup"
        if row["running"]:
            why += f" ({row['running']} running)"
    row["reason"] = "; ".join((why, *notes))


def _unknown_time(backup: Backup, now: datetime.datetime) -> str:
    """Why a backup's age is unknown: its ``created_at`` as sent, or that it is in the future."""
    from pinecone_backups._prune import _raw_created_at

    created = utc(backup.created_at)
    if created is not None and created > now:
        return f"{_when(created)}, in the future"
    return _raw_created_at(backup)


def _schedule(
    row: dict[str, Any],
    name: str,
    listed: Mapping[str, Sequence[BackupSchedule]] | None,
    unreadable: set[str],
) -> None:
    """Sets an index's ``schedule`` keys: its enabled schedule, else its newest disabled one."""
    if listed is None or name in unreadable:
        row["schedule"] = SCHEDULE_NA
        return
    of_index = listed.get(name, ())
    if not of_index:
        row["schedule"] = SCHEDULE_NONE
        return
    import datetime as dt

    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)

    def order(schedule: BackupSchedule) -> tuple[bool, datetime.datetime, str]:
        created = utc(schedule.created_at) or oldest
        return (schedule.enabled, created, schedule.schedule_id)

    shown = max(of_index, key=order)
    row.update(
        schedule=SCHEDULE_ENABLED if shown.enabled else SCHEDULE_DISABLED,
        schedule_id=shown.schedule_id,
        schedule_frequency=shown.frequency,
        schedule_expire_after_days=shown.retention_expire_after_days,
        schedule_next_run=utc(shown.next_scheduled_run),
    )


# --- Arguments and texts --------------------------------------------------------------------


def _max_age(value: object) -> datetime.timedelta:
    import datetime as dt

    from pinecone_backups._prune import _bad

    if isinstance(value, str):
        return parse_duration(value, param="max_age")
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        expected = "a timedelta > 0 or a duration such as '26h'"
        raise _bad("max_age", value, expected, dt.timedelta)
    return value


def _now(value: object) -> datetime.datetime:
    import datetime as dt

    from pinecone_backups._prune import _bad

    if value is None:
        return dt.datetime.now(dt.timezone.utc)
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise _bad("now", value, "a timezone-aware datetime or None", dt.datetime)
    return value


def _iterable(values: object, param: str) -> Iterable[Any]:
    from pinecone_backups._prune import _bad

    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise _bad(param, values, "a collection", list)
    return values


def age_text(seconds: int | None) -> str:
    """An age, to the two largest units: ``45s``, ``12m 5s``, ``3h 20m``, ``2d 4h``; ``-`` for
    ``None``."""
    if seconds is None:
        return "-"
    units = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
    for position, (unit, size) in enumerate(units):
        if seconds >= size or unit == "s":
            text = f"{seconds // size}{unit}"
            if position + 1 < len(units):
                next_unit, next_size = units[position + 1]
                rest = seconds % size // next_size
                if rest:
                    text += f" {rest}{next_unit}"
            return text
    raise AssertionError("unreachable")


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _when(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _size(size: int) -> str:
    from pinecone_backups._format import human_size

    return f"{human_size(size)} ({size:,} bytes)"


# --- Fetching -------------------------------------------------------------------------------


def _versions(operation: str, parameter: str | None = None) -> list[str]:
    """The API versions that have ``operation`` (and its ``parameter``), from the client's own
    table of operations."""
    from pinecone_backups import _native

    (declared,) = (op for op in _native.OPERATIONS if op["name"] == operation)
    since = declared["since"].get(parameter) if parameter is not None else None
    return [v for v in declared["versions"] if since is None or v >= since]


def _requests(
    api_version: str, indexes: Sequence[Index], backups: Sequence[Backup]
) -> list[tuple[str, str]]:
    """The per-index requests to make: ``("schedules", name)`` for every index where the API
    has schedules; ``("index_id", name)`` where the backups cannot tell which id the index that
    has the name has (before API 2026-04 every index with backups under its name: a backup
    does not say that its index was deleted; later, only where its name is on several ids)."""
    requests: list[tuple[str, str]] = []
    names = list(dict.fromkeys(index.name for index in indexes))
    if api_version in _versions("list_backup_schedules"):
        requests += [("schedules", name) for name in names]
    says_deleted = api_version in _versions("list_index_backups", "include_deleted")
    ids: dict[str, set[str]] = {}
    for backup in backups:
        if backup.source_index_deleted_at is None:
            ids.setdefault(backup.source_index_name, set()).add(backup.source_index_id)
    for name in names:
        if name in ids and (not says_deleted or len(ids[name]) > 1):
            requests.append(("index_id", name))
    return requests


def _settle(
    requests: Sequence[tuple[str, str]], results: Sequence[object]
) -> tuple[dict[str, list[BackupSchedule] | None] | None, dict[str, str | None]]:
    schedules: dict[str, list[BackupSchedule] | None] | None = None
    index_ids: dict[str, str | None] = {}
    for (kind, name), result in zip(requests, results, strict=True):
        if kind == "schedules":
            schedules = {} if schedules is None else schedules
            schedules[name] = result  # type: ignore[assignment]
        else:
            index_ids[name] = result  # type: ignore[assignment]
    return schedules, index_ids


def _args(max_age: object, now: object) -> datetime.timedelta:
    """Checks the arguments before anything is sent (``now``, when not given, is taken after the
    fetch); the ``max_age`` to apply."""
    if now is not None:
        _now(now)
    return _max_age(max_age)


def coverage_sync(
    client: Client,
    max_age: datetime.timedelta | str = DEFAULT_MAX_AGE,
    now: datetime.datetime | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> list[dict[str, Any]]:
    """``Client.coverage``: lists the indexes and walks the project's backups once, then makes
    the per-index requests (:func:`_requests`), ``concurrency`` at a time in a thread pool, and
    returns :func:`assess_coverage`'s rows. Ctrl-C or an error ends it at once: requests not
    started are not started, those in flight are cancelled (a scope of the client, closed)."""
    from pinecone_backups.errors import NotFoundError, PermissionDeniedError

    limit = _args(max_age, now)
    indexes = client.list_indexes()
    backups = list(client.iter_project_backups(page_size=100))
    requests = _requests(client.api_version, indexes, backups)
    results: list[object] = []
    if requests:
        from concurrent.futures import ThreadPoolExecutor

        scope = client._scoped()  # closing it cancels these requests, and only them

        def fetch(request: tuple[str, str]) -> object:
            kind, name = request
            try:
                if kind == "schedules":
                    return list(scope.iter_backup_schedules(name))
                page = scope.list_index_backups(name, limit=1)
                return page[0].source_index_id if len(page) else None
            except (NotFoundError, PermissionDeniedError):
                # the index was deleted meanwhile, or the plan has no schedules
                return None

        pool = ThreadPoolExecutor(
            max_workers=min(concurrency, len(requests)), thread_name_prefix="pinecone-coverage"
        )
        try:
            futures = [pool.submit(fetch, request) for request in requests]
            results = [future.result() for future in futures]
        except BaseException:
            scope.close()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        scope.close()
    schedules, index_ids = _settle(requests, results)
    if schedules is None and client.api_version in _versions("list_backup_schedules"):
        schedules = {}  # no index: nothing was asked
    return assess_coverage(
        indexes, backups, max_age=limit, now=now, schedules=schedules, index_ids=index_ids
    )


def coverage_async(
    client: AsyncClient,
    max_age: datetime.timedelta | str = DEFAULT_MAX_AGE,
    now: datetime.datetime | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Coroutine[Any, Any, list[dict[str, Any]]]:
    """``AsyncClient.coverage``: checks the arguments now and returns the coroutine that does
    what :func:`coverage_sync` does, the per-index requests ``concurrency`` at a time (an
    ``asyncio.Semaphore``). Cancelling it cancels the requests in flight."""
    limit = _args(max_age, now)
    return _coverage_async(client, limit, now, concurrency)


async def _coverage_async(
    client: AsyncClient,
    limit: datetime.timedelta,
    now: datetime.datetime | None,
    concurrency: int,
) -> list[dict[str, Any]]:
    import asyncio

    from pinecone_backups.errors import NotFoundError, PermissionDeniedError

    indexes = await client.list_indexes()
    backups = [backup async for backup in client.iter_project_backups(page_size=100)]
    requests = _requests(client.api_version, indexes, backups)
    gate = asyncio.Semaphore(concurrency)

    async def fetch(request: tuple[str, str]) -> object:
        kind, name = request
        async with gate:
            try:
                if kind == "schedules":
                    return [s async for s in client.iter_backup_schedules(name)]
                page = await client.list_index_backups(name, limit=1)
                return page[0].source_index_id if len(page) else None
            except (NotFoundError, PermissionDeniedError):
                return None

    tasks = [asyncio.ensure_future(fetch(request)) for request in requests]
    try:
        results = list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
    schedules, index_ids = _settle(requests, results)
    if schedules is None and client.api_version in _versions("list_backup_schedules"):
        schedules = {}
    return assess_coverage(
        indexes, backups, max_age=limit, now=now, schedules=schedules, index_ids=index_ids
    )
