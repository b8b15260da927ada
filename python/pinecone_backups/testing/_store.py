"""The emulator's data: indexes (active and deleted), backups and restore jobs, kept serialised
in listing order in the shape of every API version, and backup schedules.

Statuses that change with time (a backup being taken, a restore running) are computed from the
store's clock when read: emulator time is the real time plus an offset that :meth:`advance`
increases, so tests make time pass without sleeping. Schedules run on the same clock: what is
due by now is done before anything is read or changed.
"""

from __future__ import annotations

import bisect
import calendar
import heapq
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

from ._bodies import SCHEDULE_TYPE
from ._versions import (
    READY_STATES,
    SCHEDULES_VERSION,
    VERSIONS,
    ApiVersion,
    IndexShown,
    backup_view,
    index_schema,
    index_view,
    job_view,
)

_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))"
)


def timestamp_ns(value: object) -> int | None:
    """Nanoseconds since the epoch of an RFC 3339 timestamp, or ``None`` if it is not one.

    Accepts any number of fraction digits (the docs show microseconds, the spec whole seconds).
    """
    match = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.group(1, 2, 3, 4, 5, 6))
    try:
        datetime(year, month, day, hour, minute, second)  # only checks the fields' ranges
    except ValueError:
        return None
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if match.group(9):
        offset = int(match.group(10)) * 3600 + int(match.group(11)) * 60
        seconds -= offset if match.group(9) == "+" else -offset
    fraction = (match.group(7) or "").ljust(9, "0")[:9]
    return seconds * 1_000_000_000 + int(fraction)


def rfc3339(ns: int) -> str:
    """A time given in nanoseconds since the epoch, in UTC, as RFC 3339 with microseconds and a
    ``Z``, like the real API (``"2025-03-11T18:29:50.549505Z"``)."""
    seconds, fraction = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction // 1000:06d}Z"


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, the way the real API writes it (``ValueError`` for NaN/infinity)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


INDEX_FIELDS = (
    "cloud",
    "region",
    "dimension",
    "metric",
    "schema",
    "record_count",
    "namespace_count",
    "size_bytes",
)
"""The fields of an index that a backup of it copies, in the order a ``BackupModel`` lists them
(a restored index takes them back from its backup)."""

_DEFAULT_LOCATION = {"cloud": "aws", "region": "us-east-1"}
"""Where backups are stored unless their index says otherwise (``BackupModel`` requires both)."""

QUOTA_MESSAGE = "Backup quota exceeded. Increase your quota or upgrade to create more backups."


SCHEDULE_EXISTS_MESSAGE = (
    "This index already has an enabled backup schedule. Disable or delete it first."
)

DAY_NS = 86_400 * 1_000_000_000
_NEVER = 2**63
"""A time later than any the store reaches (nothing is due)."""

_VERSION_COUNT = len(VERSIONS)
_SCHEDULES = SCHEDULES_VERSION.position


class Refused(Exception):
    """An operation the emulated backend refuses; ``status`` is the HTTP status it answers."""

    status: ClassVar[int]


class Invalid(Refused):
    status = 400


class NotFound(Refused):
    status = 404


class QuotaExceeded(Refused):
    status = 403


class AlreadyExists(Refused):
    status = 409


class FailedPrecondition(Refused):
    status = 412


class RunSettings(Protocol):
    """What the store reads of the emulator's settings when a schedule runs on its own."""

    backup_seconds: float
    backup_quota: int | None


def _ns(seconds: float) -> int:
    return round(seconds * 1_000_000_000)


def step(origin: int, frequency: str, count: int) -> int:
    """The time ``count`` periods of ``frequency`` after ``origin`` (ns since the epoch).

    ``daily`` and ``weekly`` add 24 hours and 7 days; ``monthly`` the same day of the month at
    the same time, ``count`` months on, clamped to the month's last day (a schedule made on the
    31st runs on Feb 28 or 29, Mar 31, Apr 30...).
    """
    if frequency == "daily":
        return origin + count * DAY_NS
    if frequency == "weekly":
        return origin + count * 7 * DAY_NS
    seconds, fraction = divmod(origin, 1_000_000_000)
    start = time.gmtime(seconds)
    months = start.tm_mon - 1 + count
    year, month = start.tm_year + months // 12, months % 12 + 1
    day = min(start.tm_mday, calendar.monthrange(year, month)[1])
    moment = (year, month, day, start.tm_hour, start.tm_min, start.tm_sec, 0, 0, 0)
    return calendar.timegm(moment) * 1_000_000_000 + fraction


def _stamp(ns: int) -> str:
    """A time as a scheduled backup's name ends (``20260403T060000Z``)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(ns // 1_000_000_000))


@dataclass(frozen=True, slots=True)
class _Change:
    """A status change due at emulator time ``at``, with the other fields it sets."""

    at: int
    status: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Settled:
    """What an entry becomes from emulator time ``at`` on: its final status and bodies."""

    at: int
    status: str
    bodies: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    """A backup or a restore job, serialised in the shape of every API version.

    ``item_id`` is its id (``None`` if not a string, so not addressable), ``parent`` the key of
    the backup's index or the id of the job's backup, ``created`` its ``created_at`` in ns
    (``None`` if that is not a timestamp). ``status`` and ``bodies`` (one per version, in the
    order of :data:`VERSIONS`) are served until ``settled.at``, then ``settled``'s.
    """

    sort_key: tuple[int, int, int]  # ascending in listing order, unique
    item_id: str | None
    parent: int | str
    status: object
    bodies: tuple[bytes, ...]
    created: int | None
    settled: _Settled | None = None

    def status_at(self, now: int) -> object:
        """The status served at emulator time ``now``."""
        settled = self.settled
        return self.status if settled is None or now < settled.at else settled.status

    def body_at(self, now: int, version: int = 0) -> bytes:
        """The body served at emulator time ``now`` in the version at position ``version``."""
        settled = self.settled
        return (self.bodies if settled is None or now < settled.at else settled.bodies)[version]


IndexStatus = tuple[int, str, bool]
"""From emulator time ``at`` (ns) on, an index's ``state`` and whether it is ``ready``."""

_READY: tuple[IndexStatus, ...] = ((0, "Ready", True),)


@dataclass(frozen=True, slots=True)
class _Index:
    """One index: an active one, or one deleted at ``deleted_at`` (ns). ``key`` tells apart the
    indexes that had the same name. ``statuses`` say what its status is from when on (in time
    order: a restored index is ``Initializing`` until its restore job ends, then ``Ready``)."""

    key: int
    name: str
    index_id: str
    fields: Mapping[str, Any]  # the INDEX_FIELDS it has
    entries: tuple[_Entry, ...] = ()  # its backups, newest first; replaced, never mutated
    pod: bool = False
    deleted_at: int | None = None
    statuses: tuple[IndexStatus, ...] = _READY
    tags: Mapping[str, Any] = field(default_factory=dict)
    deletion_protection: str = "disabled"
    read_capacity: Mapping[str, Any] | None = None
    source_backup_id: str | None = None

    def status_at(self, now: int) -> tuple[str, bool]:
        """The index's state at emulator time ``now``, and whether it is ready."""
        state, ready = self.statuses[0][1:]
        for at, later, is_ready in self.statuses[1:]:
            if at > now:
                break
            state, ready = later, is_ready
        return state, ready

    def shown(self, now: int) -> IndexShown:
        state, ready = self.status_at(now)
        return IndexShown(
            name=self.name,
            index_id=self.index_id,
            fields=self.fields,
            pod=self.pod,
            state=state,
            ready=ready,
            tags=self.tags,
            deletion_protection=self.deletion_protection,
            read_capacity=self.read_capacity,
            source_backup_id=self.source_backup_id,
        )


@dataclass(slots=True)
class _Schedule:
    """A backup schedule. Its runs fall at ``step(origin, frequency, n)`` for n = 1, 2...;
    ``runs`` of them are done. ``next_id`` is the id the next run's backup will have (shown on
    the ``Scheduled`` row of the history, planned at ``planned_at``); ``made`` the ids of the
    backups it made, oldest first."""

    schedule_id: str
    name: str
    index_key: int
    frequency: str
    expire_after_days: int
    enabled: bool
    created_at: int
    origin: int
    runs: int = 0
    planned_at: int = 0
    next_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    made: list[str] = field(default_factory=list)

    def next_run(self) -> int | None:
        return step(self.origin, self.frequency, self.runs + 1) if self.enabled else None

    def restart(self, at: int) -> None:
        """Count the runs from ``at`` on (the next is one period after it)."""
        self.origin, self.runs, self.planned_at = at, 0, at


Page = tuple[list[bytes], bool]
"""A page of serialised items and whether more follow."""


def _slice(entries: tuple[_Entry, ...], offset: int, size: int, now: int, version: int) -> Page:
    end = offset + size
    # Most entries never change: skip the call for them (listings are benchmarked).
    items = [
        e.bodies[version] if e.settled is None else e.body_at(now, version)
        for e in entries[offset:end]
    ]
    return items, end < len(entries)


def _inserted(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    """``entries`` with ``entry`` in its place in listing order."""
    merged = list(entries)
    bisect.insort(merged, entry, key=lambda item: item.sort_key)
    return tuple(merged)


def _without(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    return tuple(item for item in entries if item is not entry)


def _replaced(entries: tuple[_Entry, ...], new: Mapping[int, _Entry]) -> tuple[_Entry, ...]:
    """``entries`` with each one whose ``id()`` is a key of ``new`` replaced (same place)."""
    return tuple(new.get(id(entry), entry) for entry in entries)


def _string_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _encoded(views: list[Any]) -> tuple[bytes, ...]:
    """Each view as JSON; a view that is the same object as an earlier one shares its bytes."""
    done: dict[int, bytes] = {}
    bodies = []
    for view in views:
        body = done.get(id(view))
        if body is None:
            body = done[id(view)] = encode_json(view)
        bodies.append(body)
    return tuple(bodies)


def _backup_bodies(item: Mapping[str, Any], deleted_at: int | None) -> tuple[bytes, ...]:
    deleted = None if deleted_at is None else rfc3339(deleted_at)
    return _encoded([backup_view(item, deleted, version) for version in VERSIONS])


def _job_bodies(item: Mapping[str, Any], deleted_at: int | None) -> tuple[bytes, ...]:
    return _encoded([job_view(item, version) for version in VERSIONS])


_HISTORY_FIELDS = ("backup_id", "source_index_id", "source_index_name", "tags", "name")
_HISTORY_COUNTS = ("record_count", "namespace_count", "size_bytes")


def _history_item(backup: Mapping[str, Any]) -> dict[str, Any]:
    """A backup (as API 2026-07 shows it) as a ``BackupScheduleHistoryItem``: the counts are
    ``null`` until it is ``Ready``."""
    item = {key: backup[key] for key in _HISTORY_FIELDS if key in backup}
    item.setdefault("name", backup.get("backup_id"))
    for key in ("description", "status", "cloud", "region", "schema"):
        if key in backup:
            item[key] = backup[key]
    ready = backup.get("status") == "Ready"
    for key in _HISTORY_COUNTS:
        item[key] = backup.get(key) if ready else None
    item["created_at"] = backup.get("created_at")
    return item


class BackupStore:
    """Indexes, their backups and restore jobs, and backup schedules, safe to use from several
    threads (one lock).

    Each backup and job is serialised when added, in the shape of every API version (with its
    final form, if its status is to change); a listing only joins ready-made byte strings.
    Backups and jobs are ordered newest first by ``created_at`` (ties, and items whose
    ``created_at`` is missing or not an RFC 3339 timestamp, which count as oldest, by insertion
    order, newest inserted first).

    An index name may have been used by several indexes: at most one active, the others
    deleted; their backups stay (shown with ``source_index_deleted_at`` from 2026-04 on).
    Schedules run on the store's clock: before anything is read or changed, every run due by
    now is made (:meth:`_catch_up`) and the backups they made that are past their retention
    deleted; ``settings`` give the runs' ``backup_seconds`` and the project's quota (a run that
    would exceed it makes no backup).
    """

    def __init__(self, settings: RunSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._clock_offset = 0  # ns added to the real time
        self._indexes: dict[int, _Index] = {}  # every index ever, by key
        self._active: dict[str, int] = {}  # the key of each active index, by name
        self._names: dict[str, list[int]] = {}  # the keys of every index that had each name
        self._backups: tuple[_Entry, ...] = ()  # every backup of the project, newest first
        self._backup_ids: dict[str, _Entry] = {}
        self._jobs: tuple[_Entry, ...] = ()  # newest first
        self._job_ids: dict[str, _Entry] = {}
        self._schedules: dict[str, _Schedule] = {}  # in creation order
        self._due = _NEVER  # nothing about schedules happens before this time
        self._backup_outcomes: deque[str] = deque()
        self._restore_outcomes: deque[str] = deque()
        self._inserted = 0
        self.project_id = str(uuid.uuid4())

    # -- clock -----------------------------------------------------------------------------

    def now(self) -> int:
        """Emulator time, in nanoseconds since the epoch."""
        return time.time_ns() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move emulator time ``seconds`` forward at once."""
        with self._lock:
            self._clock_offset += _ns(seconds)

    def queue_failures(self, what: Literal["backup", "restore"], status: str, times: int) -> None:
        """End the next ``times`` backups or restore jobs created through the API (or by a
        schedule) in ``status``."""
        outcomes = self._backup_outcomes if what == "backup" else self._restore_outcomes
        with self._lock:
            outcomes.extend([status] * times)

    def _now(self) -> int:
        """Emulator time, with every schedule run due by then made (call with the lock held)."""
        now = self.now()
        if now >= self._due:
            self._catch_up(now)
        return now

    # -- indexes ---------------------------------------------------------------------------

    def add_index(
        self,
        name: str,
        index_id: str | None = None,
        fields: Mapping[str, Any] | None = None,
        pod: bool | None = None,
    ) -> str:
        """Create ``name`` unless an active index has it, or add ``fields`` to it (and make it a
        pod index or not, unless ``pod`` is ``None``); return its id."""
        with self._lock:
            return self._add_index(name, index_id, fields, pod).index_id

    def delete_index(self, name: str, at: int | None = None) -> None:
        """Delete the active index ``name`` (``KeyError`` if none) at ``at`` (ns; now by
        default): its backups stay, its schedules go."""
        with self._lock:
            now = self._now()
            key = self._active.pop(name)
            index = self._indexes[key]
            deleted_at = now if at is None else at
            renewed = {id(entry): self._rendered(entry, deleted_at) for entry in index.entries}
            self._indexes[key] = replace(
                index, entries=_replaced(index.entries, renewed), deleted_at=deleted_at
            )
            self._backups = _replaced(self._backups, renewed)
            for entry in renewed.values():
                if entry.item_id is not None:
                    self._backup_ids[entry.item_id] = entry
            for schedule_id, schedule in list(self._schedules.items()):
                if schedule.index_key == key:
                    del self._schedules[schedule_id]

    def index_names(self) -> list[str]:
        """Every active index's name, in the order they were created."""
        with self._lock:
            return list(self._active)

    def update_index(
        self,
        name: str,
        *,
        tags: Mapping[str, Any] | None = None,
        deletion_protection: str | None = None,
        state: str | None = None,
        ready: bool | None = None,
    ) -> None:
        """Give the active index ``name`` (``KeyError`` if none) ``tags``,
        ``deletion_protection``, or a ``state`` from now on (``ready`` by default when the state
        is one of :data:`READY_STATES`); ``None`` leaves each as it is."""
        with self._lock:
            now = self._now()
            index = self._indexes[self._active[name]]
            if tags is not None:
                index = replace(index, tags=dict(tags))
            if deletion_protection is not None:
                index = replace(index, deletion_protection=deletion_protection)
            if state is not None:
                serves = state in READY_STATES if ready is None else bool(ready)
                past = tuple(status for status in index.statuses if status[0] <= now)
                index = replace(index, statuses=(*past, (now, state, serves)))
            self._indexes[index.key] = index

    def indexes(self, version: ApiVersion) -> list[dict[str, Any]]:
        """Every active index as an ``IndexModel`` of ``version`` now, in creation order."""
        with self._lock:
            now = self._now()
            shown = [self._indexes[key].shown(now) for key in self._active.values()]
        return [index_view(index, version) for index in shown]

    def get_index(self, name: str, version: ApiVersion) -> dict[str, Any] | None:
        """The active index ``name`` as an ``IndexModel`` of ``version`` now (``None`` if
        there is none)."""
        with self._lock:
            now = self._now()
            key = self._active.get(name)
            shown = None if key is None else self._indexes[key].shown(now)
        return None if shown is None else index_view(shown, version)

    def is_pod(self, name: str) -> bool:
        """Whether the active index ``name`` is a pod index (``KeyError`` if there is none)."""
        with self._lock:
            return self._indexes[self._active[name]].pod

    # -- backups ---------------------------------------------------------------------------

    def add_backup(self, index_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Store a backup of ``index_name`` (created if needed) and return it as served."""
        with self._lock:
            now = self._now()
            index = self._add_index(index_name)
            defaults = {
                "backup_id": str(uuid.uuid4()),
                "source_index_id": index.index_id,
                "source_index_name": index_name,
                "status": "Ready",
                **_DEFAULT_LOCATION,
                "created_at": rfc3339(now),
            }
            backup = {key: value for key, value in defaults.items() if key not in fields}
            backup.update(fields)  # in the order given: the docs example is served byte for byte
            entry = self._new_entry(backup, "backup_id", index.key, _backup_bodies)
            self._insert_backup(entry)
        result: dict[str, Any] = json.loads(entry.bodies[0])
        return result

    def create_backup(
        self,
        index_name: str,
        fields: Mapping[str, str],
        *,
        seconds: float,
        quota: int | None,
        version: int = 0,
    ) -> bytes:
        """Start a backup of ``index_name`` as the API does; return it as served now in the
        version at position ``version``.

        It is ``Initializing`` for ``seconds``, then ``Ready`` (or the next queued failure
        status). Raises :class:`NotFound` for an unknown index, :class:`QuotaExceeded` if the
        project already holds ``quota`` backups.
        """
        with self._lock:
            now = self._now()
            key = self._active.get(index_name)
            if key is None:
                raise NotFound(f"Index {index_name} not found.")
            if quota is not None and len(self._backups) >= quota:
                raise QuotaExceeded(QUOTA_MESSAGE)
            entry = self._start_backup(self._indexes[key], fields, now, seconds)
        return entry.body_at(now, version)

    def backups(self, index_name: str | None = None, version: int = 0) -> list[dict[str, Any]]:
        """The backups of the active index ``index_name`` (``KeyError`` if none), or of the
        project, in listing order."""
        with self._lock:
            now = self._now()
            if index_name is None:
                entries = self._backups
            else:
                entries = self._indexes[self._active[index_name]].entries
        return [json.loads(entry.body_at(now, version)) for entry in entries]

    def get_backup(self, backup_id: str, version: int = 0) -> bytes | None:
        """The backup ``backup_id`` as served now, or ``None`` if there is none."""
        with self._lock:
            now = self._now()
            entry = self._backup_ids.get(backup_id)
        return None if entry is None else entry.body_at(now, version)

    def page(
        self, index_name: str, offset: int, size: int, version: int, include_deleted: bool = False
    ) -> Page | None:
        """The serialised backups ``offset:offset+size`` of the active index ``index_name`` (with
        ``include_deleted``, of every index that had the name) and whether more follow.

        ``None`` if there is no such index (with ``include_deleted``: if none ever had the name).
        """
        with self._lock:
            now = self._now()
            if include_deleted:
                keys = self._names.get(index_name)
                if not keys:
                    return None
                entries = self._entries_of(keys)
            else:
                key = self._active.get(index_name)
                if key is None:
                    return None
                entries = self._indexes[key].entries
        return _slice(entries, offset, size, now, version)

    def project_page(self, offset: int, size: int, version: int) -> Page:
        """The serialised backups ``offset:offset+size`` of the project, and whether more follow."""
        with self._lock:
            now = self._now()
            entries = self._backups
        return _slice(entries, offset, size, now, version)

    def delete_backup(self, backup_id: str, *, wait_for_restores: bool = True) -> None:
        """Delete backup ``backup_id``.

        Raises :class:`NotFound` if there is none and, with ``wait_for_restores``,
        :class:`FailedPrecondition` while a restore job from it is ``Pending``.
        """
        with self._lock:
            now = self._now()
            entry = self._backup_ids.get(backup_id)
            if entry is None:
                raise NotFound(f"Backup {backup_id} not found.")
            pending = [
                job.item_id
                for job in self._jobs
                if job.parent == backup_id and job.status_at(now) == "Pending"
            ]
            if pending and wait_for_restores:
                raise FailedPrecondition(
                    "Unable to delete backup. There are pending restore jobs for this backup: "
                    f"{pending!r}"
                )
            self._delete_backup(entry)

    # -- restore jobs ----------------------------------------------------------------------

    def restore(
        self,
        backup_id: str,
        index_name: str,
        *,
        seconds: float,
        index_seconds: float = 0.0,
        options: Mapping[str, Any] | None = None,
    ) -> tuple[str, str]:
        """Create index ``index_name`` from backup ``backup_id`` as the API does; return the ids
        of the restore job and of the new index.

        The job is ``Pending`` for ``seconds``, then ``Completed`` (or the next queued failure
        status). The index is ``Initializing`` (not ready) until then, and ``Ready``
        ``index_seconds`` after its job completed, or ``InitializationFailed`` from when its job
        failed (or was cancelled). ``options`` are the request's ``tags``,
        ``deletion_protection`` and ``read_capacity``, which the index keeps. Raises
        :class:`NotFound` for an unknown backup, :class:`Invalid` for a backup of a pod index,
        :class:`FailedPrecondition` if it is not ``Ready``, :class:`AlreadyExists` if the index
        exists.
        """
        with self._lock:
            now = self._now()
            backup = self._backup_ids.get(backup_id)
            if backup is None:
                raise NotFound(f"Backup {backup_id} not found.")
            source = self._indexes.get(backup.parent) if isinstance(backup.parent, int) else None
            if source is not None and source.pod:
                raise Invalid(
                    f"Backup {backup_id} was taken from a pod-based index; only backups of "
                    "serverless indexes can be restored."
                )
            if backup.status_at(now) != "Ready":
                raise FailedPrecondition(f"Backup {backup_id} is not completed.")
            if index_name in self._active:
                raise AlreadyExists(f"Index {index_name} already exists.")
            copied = json.loads(backup.body_at(now))
            index = self._add_index(
                index_name, None, {k: copied[k] for k in INDEX_FIELDS if k in copied}
            )
            job_id = str(uuid.uuid4())
            final = self._restore_outcomes.popleft() if self._restore_outcomes else "Completed"
            ends = now + _ns(seconds)
            options = options or {}
            outcome: IndexStatus = (
                (ends + _ns(index_seconds), "Ready", True)
                if final == "Completed"
                else (ends, "InitializationFailed", False)
            )
            index = replace(
                index,
                statuses=((now, "Initializing", False), outcome),
                tags=dict(options.get("tags") or {}),
                deletion_protection=options.get("deletion_protection") or "disabled",
                read_capacity=options.get("read_capacity"),
                source_backup_id=backup_id,
            )
            self._indexes[index.key] = index
            percent = 100.0 if final == "Completed" else None
            change = _Change(
                ends, final, {"completed_at": rfc3339(ends), "percent_complete": percent}
            )
            pending = {"restore_job_id": job_id, "status": "Pending", "created_at": rfc3339(now)}
            self._insert_job(self._new_job(backup_id, index_name, index.index_id, pending, change))
            return job_id, index.index_id

    def add_restore_job(
        self, backup_id: str, index_name: str, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Store a restore job of ``backup_id`` into ``index_name`` (created if needed); return
        it as served."""
        with self._lock:
            self._now()
            index = self._add_index(index_name)
            job = self._new_job(backup_id, index_name, index.index_id, fields)
            self._insert_job(job)
        result: dict[str, Any] = json.loads(job.bodies[0])
        return result

    def restore_jobs(self, version: int = 0) -> list[dict[str, Any]]:
        """Every restore job as served now, in listing order."""
        with self._lock:
            now = self._now()
            jobs = self._jobs
        return [json.loads(job.body_at(now, version)) for job in jobs]

    def get_restore_job(self, job_id: str, version: int = 0) -> bytes | None:
        """The restore job ``job_id`` as served now, or ``None`` if there is none."""
        with self._lock:
            now = self._now()
            job = self._job_ids.get(job_id)
        return None if job is None else job.body_at(now, version)

    def jobs_page(self, offset: int, size: int, version: int) -> Page:
        """The serialised restore jobs ``offset:offset+size`` and whether more follow."""
        with self._lock:
            now = self._now()
            jobs = self._jobs
        return _slice(jobs, offset, size, now, version)

    # -- backup schedules ------------------------------------------------------------------

    def create_schedule(self, index_name: str, name: str, frequency: str, days: int) -> bytes:
        """Create an enabled schedule of ``index_name`` as the API does; return it as served.

        Raises :class:`NotFound` for an unknown index, :class:`Invalid` for a pod index,
        :class:`AlreadyExists` if the index has an enabled schedule.
        """
        with self._lock:
            now = self._now()
            key = self._active.get(index_name)
            if key is None:
                raise NotFound(f"Index {index_name} not found.")
            if self._indexes[key].pod:
                raise Invalid(
                    f"Index {index_name} is a pod-based index: backup schedules are supported "
                    "for serverless and BYOC indexes only."
                )
            if self._enabled_schedule(key) is not None:
                raise AlreadyExists(SCHEDULE_EXISTS_MESSAGE)
            schedule = self._new_schedule(key, name, frequency, days, True, None, now)
            return encode_json(self._schedule_document(schedule))

    def add_schedule(
        self,
        index_name: str,
        *,
        name: str,
        frequency: str,
        days: int,
        enabled: bool,
        schedule_id: str | None,
        created_at: int | None,
        made: Sequence[str],
    ) -> dict[str, Any]:
        """Store a schedule of ``index_name`` (created if needed) that made the backups ``made``
        (ids of that index's backups); return it as served. ``ValueError`` for a pod index, a
        second enabled schedule of the index, a known ``schedule_id`` or a backup of another
        index."""
        with self._lock:
            now = self._now()
            index = self._add_index(index_name)
            if index.pod:
                raise ValueError(f"index {index_name!r} is a pod-based index: it has no schedules")
            if enabled and self._enabled_schedule(index.key) is not None:
                raise ValueError(f"index {index_name!r} already has an enabled backup schedule")
            if schedule_id is not None and schedule_id in self._schedules:
                raise ValueError(f"a backup schedule has the id {schedule_id!r} already")
            for backup_id in made:
                entry = self._backup_ids.get(backup_id)
                if entry is None or entry.parent != index.key:
                    raise ValueError(f"index {index_name!r} has no backup {backup_id!r}")
            created = now if created_at is None else created_at
            schedule = self._new_schedule(
                index.key, name, frequency, days, enabled, schedule_id, created
            )
            schedule.made.extend(made)
            self._due = min(self._due, self._next_due())
            return self._schedule_document(schedule)

    def update_schedule(
        self,
        schedule_id: str,
        frequency: str | None,
        days: int | None,
        enabled: bool | None,
    ) -> bytes:
        """Change a schedule as the API does; return it as served.

        A new ``frequency`` restarts the cadence from now; disabling stops the runs; re-enabling
        makes a backup at once and restarts the cadence from then. Raises :class:`NotFound` for
        an unknown schedule, :class:`AlreadyExists` when re-enabling it while another schedule
        of its index is enabled.
        """
        with self._lock:
            now = self._now()
            schedule = self._schedule(schedule_id)
            enabling = enabled is True and not schedule.enabled
            if enabling and self._enabled_schedule(schedule.index_key) is not None:
                raise AlreadyExists(SCHEDULE_EXISTS_MESSAGE)
            if days is not None:
                schedule.expire_after_days = days
            if frequency is not None and frequency != schedule.frequency:
                schedule.frequency = frequency
                schedule.restart(now)
            if enabled is False:
                schedule.enabled = False
            if enabling:
                schedule.enabled = True
                self._run(schedule, now)
                schedule.restart(now)
            self._expire(now)
            self._due = self._next_due()
            return encode_json(self._schedule_document(schedule))

    def delete_schedule(self, schedule_id: str) -> None:
        """Delete a schedule (:class:`NotFound` if there is none); the backups it made stay,
        and no longer expire."""
        with self._lock:
            self._now()
            self._schedule(schedule_id)
            del self._schedules[schedule_id]

    def get_schedule(self, schedule_id: str) -> bytes | None:
        """Schedule ``schedule_id`` as served now, or ``None`` if there is none."""
        with self._lock:
            self._now()
            schedule = self._schedules.get(schedule_id)
            return None if schedule is None else encode_json(self._schedule_document(schedule))

    def schedules(self, index_name: str | None = None) -> list[dict[str, Any]]:
        """The schedules of the active index ``index_name`` (``KeyError`` if none), or of the
        project, as served now, newest first."""
        with self._lock:
            self._now()
            key = None if index_name is None else self._active[index_name]
            return [self._schedule_document(s) for s in self._schedules_of(key)]

    def schedules_page(self, index_name: str, offset: int, size: int) -> Page | None:
        """The serialised schedules ``offset:offset+size`` of the active index ``index_name``
        (newest first) and whether more follow; ``None`` if there is no such index."""
        with self._lock:
            self._now()
            key = self._active.get(index_name)
            if key is None:
                return None
            schedules = self._schedules_of(key)
            end = offset + size
            items = [encode_json(self._schedule_document(s)) for s in schedules[offset:end]]
        return items, end < len(schedules)

    def history_page(self, schedule_id: str, offset: int, size: int) -> Page | None:
        """The serialised history of schedule ``schedule_id`` from ``offset`` (its next run as
        ``Scheduled`` while it is enabled, then the backups it made that still exist, newest
        first) and whether more follow; ``None`` if there is no such schedule."""
        with self._lock:
            now = self._now()
            schedule = self._schedules.get(schedule_id)
            if schedule is None:
                return None
            rows = self._history(schedule, now)
        end = offset + size
        return [encode_json(row) for row in rows[offset:end]], end < len(rows)

    # -- with the lock held ----------------------------------------------------------------

    def _add_index(
        self,
        name: str,
        index_id: str | None = None,
        fields: Mapping[str, Any] | None = None,
        pod: bool | None = None,
    ) -> _Index:
        key = self._active.get(name)
        if key is None:
            self._inserted += 1
            key = self._inserted
            index = _Index(key, name, index_id or str(uuid.uuid4()), {})
            self._active[name] = key
            self._names.setdefault(name, []).append(key)
        else:
            index = self._indexes[key]
            if index_id is not None and index_id != index.index_id:
                raise ValueError(f"index {name!r} already exists with id {index.index_id!r}")
        if fields:
            index = replace(index, fields={**index.fields, **fields})
        if pod is not None:
            index = replace(index, pod=bool(pod))
        self._indexes[key] = index
        return index

    def _entries_of(self, keys: Sequence[int]) -> tuple[_Entry, ...]:
        """The backups of the indexes ``keys``, in listing order."""
        if len(keys) == 1:
            return self._indexes[keys[0]].entries
        lists = [self._indexes[key].entries for key in keys]
        return tuple(heapq.merge(*lists, key=lambda entry: entry.sort_key))

    def _new_entry(
        self,
        item: Mapping[str, Any],
        id_field: str,
        parent: int | str,
        render: Callable[[Mapping[str, Any], int | None], tuple[bytes, ...]],
        change: _Change | None = None,
        deleted_at: int | None = None,
    ) -> _Entry:
        """``item`` (whose id is its ``id_field``) serialised by ``render``, with its place in
        listing order, and after ``change`` if any."""
        created = timestamp_ns(item.get("created_at"))
        self._inserted += 1
        key = (0, 0, -self._inserted) if created is None else (-1, -created, -self._inserted)
        item_id = _string_or_none(item.get(id_field))
        settled = None
        if change is not None:
            final = {**item, "status": change.status, **change.fields}
            settled = _Settled(change.at, change.status, render(final, deleted_at))
        bodies = render(item, deleted_at)
        return _Entry(key, item_id, parent, item.get("status"), bodies, created, settled)

    def _rendered(self, entry: _Entry, deleted_at: int) -> _Entry:
        """Backup ``entry`` shown as the backup of an index deleted at ``deleted_at``."""
        settled = entry.settled
        if settled is not None:
            final = json.loads(settled.bodies[0])
            settled = replace(settled, bodies=_backup_bodies(final, deleted_at))
        bodies = _backup_bodies(json.loads(entry.bodies[0]), deleted_at)
        return replace(entry, bodies=bodies, settled=settled)

    def _start_backup(
        self,
        index: _Index,
        fields: Mapping[str, Any],
        at: int,
        seconds: float,
        backup_id: str | None = None,
    ) -> _Entry:
        """A backup of ``index`` started at ``at`` as the API starts them, inserted: it is
        ``Initializing`` for ``seconds``, then ``Ready`` (or the next queued failure status)."""
        backup = {
            "backup_id": backup_id or str(uuid.uuid4()),
            "source_index_name": index.name,
            "source_index_id": index.index_id,
            **fields,
            "status": "Initializing",
            **_DEFAULT_LOCATION,
            **{key: index.fields[key] for key in INDEX_FIELDS if key in index.fields},
            "created_at": rfc3339(at),
        }
        final = self._backup_outcomes.popleft() if self._backup_outcomes else "Ready"
        change = _Change(at + _ns(seconds), final)
        entry = self._new_entry(backup, "backup_id", index.key, _backup_bodies, change)
        self._insert_backup(entry)
        return entry

    def _new_job(
        self,
        backup_id: str,
        index_name: str,
        index_id: str,
        fields: Mapping[str, Any],
        change: _Change | None = None,
    ) -> _Entry:
        """A restore job with ``fields``, the others filled in: a ``Completed`` job (the default)
        ended now, one in another status has ``completed_at`` and ``percent_complete`` null."""
        now = rfc3339(self.now())
        completed = fields.get("status", "Completed") == "Completed"
        defaults = {
            "restore_job_id": str(uuid.uuid4()),
            "backup_id": backup_id,
            "target_index_name": index_name,
            "target_index_id": index_id,
            "status": "Completed",
            "created_at": now,
            "completed_at": now if completed else None,
            "percent_complete": 100.0 if completed else None,
        }
        job = {**defaults, **fields}  # in the spec's order, extra fields last
        return self._new_entry(job, "restore_job_id", backup_id, _job_bodies, change)

    def _insert_backup(self, entry: _Entry) -> None:
        assert isinstance(entry.parent, int)
        index = self._indexes[entry.parent]
        self._indexes[entry.parent] = replace(index, entries=_inserted(index.entries, entry))
        self._backups = _inserted(self._backups, entry)
        if entry.item_id is not None:
            self._backup_ids[entry.item_id] = entry

    def _delete_backup(self, entry: _Entry) -> None:
        if entry.item_id is not None:
            self._backup_ids.pop(entry.item_id, None)
        self._backups = _without(self._backups, entry)
        index = self._indexes.get(entry.parent) if isinstance(entry.parent, int) else None
        if index is not None:
            self._indexes[index.key] = replace(index, entries=_without(index.entries, entry))

    def _insert_job(self, job: _Entry) -> None:
        self._jobs = _inserted(self._jobs, job)
        if job.item_id is not None:
            self._job_ids[job.item_id] = job

    # -- schedules, with the lock held

    def _new_schedule(
        self,
        key: int,
        name: str,
        frequency: str,
        days: int,
        enabled: bool,
        schedule_id: str | None,
        created: int,
    ) -> _Schedule:
        schedule = _Schedule(
            schedule_id=schedule_id or str(uuid.uuid4()),
            name=name,
            index_key=key,
            frequency=frequency,
            expire_after_days=days,
            enabled=enabled,
            created_at=created,
            origin=created,
            planned_at=created,
        )
        self._schedules[schedule.schedule_id] = schedule
        self._due = min(self._due, self._next_due())
        return schedule

    def _schedule(self, schedule_id: str) -> _Schedule:
        schedule = self._schedules.get(schedule_id)
        if schedule is None:
            raise NotFound(f"Backup schedule {schedule_id} not found.")
        return schedule

    def _enabled_schedule(self, key: int) -> _Schedule | None:
        return next((s for s in self._schedules.values() if s.index_key == key and s.enabled), None)

    def _schedules_of(self, key: int | None) -> list[_Schedule]:
        """The schedules of the index ``key`` (``None``: all), newest first."""
        schedules = [s for s in self._schedules.values() if key is None or s.index_key == key]
        return [s for _, s in sorted(enumerate(schedules), key=lambda p: (-p[1].created_at, -p[0]))]

    def _schedule_document(self, schedule: _Schedule) -> dict[str, Any]:
        """A schedule as a ``BackupScheduleResponse``."""
        next_run = schedule.next_run()
        return {
            "schedule_id": schedule.schedule_id,
            "name": schedule.name,
            "index_id": self._indexes[schedule.index_key].index_id,
            "project_id": self.project_id,
            "schedule_type": SCHEDULE_TYPE,
            "frequency": schedule.frequency,
            "retention_expire_after_days": schedule.expire_after_days,
            "enabled": schedule.enabled,
            "next_scheduled_run": None if next_run is None else rfc3339(next_run),
            "created_at": rfc3339(schedule.created_at),
        }

    def _history(self, schedule: _Schedule, now: int) -> list[dict[str, Any]]:
        rows = []
        next_run = schedule.next_run()
        if next_run is not None:
            index = self._indexes[schedule.index_key]
            row = {
                "backup_id": schedule.next_id,
                "source_index_id": index.index_id,
                "source_index_name": index.name,
                "name": f"{schedule.name}-{_stamp(next_run)}",
                "status": "Scheduled",
                **_DEFAULT_LOCATION,
                **{key: index.fields[key] for key in ("cloud", "region") if key in index.fields},
            }
            schema = index_schema(index.fields)
            if schema is not None:
                row["schema"] = schema
            row.update(dict.fromkeys(_HISTORY_COUNTS))
            row["created_at"] = rfc3339(schedule.planned_at)
            row["scheduled_execution_at"] = rfc3339(next_run)
            rows.append(row)
        made = [self._backup_ids[b] for b in schedule.made if b in self._backup_ids]
        made.sort(key=lambda entry: entry.sort_key)
        rows.extend(_history_item(json.loads(e.body_at(now, _SCHEDULES))) for e in made)
        return rows

    def _run(self, schedule: _Schedule, at: int) -> None:
        """Schedule ``schedule``'s run at ``at``: a backup of its index named after it and the
        time, unless the project holds its quota of backups already."""
        backup_id, schedule.next_id = schedule.next_id, str(uuid.uuid4())
        schedule.planned_at = at
        quota = self._settings.backup_quota
        if quota is not None and len(self._backups) >= quota:
            return
        index = self._indexes[schedule.index_key]
        fields = {"name": f"{schedule.name}-{_stamp(at)}"}
        self._start_backup(index, fields, at, self._settings.backup_seconds, backup_id)
        schedule.made.append(backup_id)

    def _catch_up(self, now: int) -> None:
        """Make every schedule run due by ``now`` (a run whose backup would have expired by now
        makes none), then delete the expired backups."""
        for schedule in list(self._schedules.values()):
            while (at := schedule.next_run()) is not None and at <= now:
                if at + schedule.expire_after_days * DAY_NS > now:
                    self._run(schedule, at)
                else:
                    schedule.next_id, schedule.planned_at = str(uuid.uuid4()), at
                schedule.runs += 1
        self._expire(now)
        self._due = self._next_due()

    def _expire(self, now: int) -> None:
        """Delete the backups that schedules made and that are older than their retention."""
        for schedule in self._schedules.values():
            kept = []
            for backup_id in schedule.made:
                entry = self._backup_ids.get(backup_id)
                if entry is None:
                    continue  # deleted already
                if entry.created is not None and (
                    entry.created + schedule.expire_after_days * DAY_NS <= now
                ):
                    self._delete_backup(entry)
                else:
                    kept.append(backup_id)
            schedule.made = kept

    def _next_due(self) -> int:
        """The earliest time a schedule runs or a backup it made expires."""
        due = _NEVER
        for schedule in self._schedules.values():
            next_run = schedule.next_run()
            if next_run is not None:
                due = min(due, next_run)
            retention = schedule.expire_after_days * DAY_NS
            for backup_id in schedule.made:
                entry = self._backup_ids.get(backup_id)
                if entry is not None and entry.created is not None:
                    due = min(due, entry.created + retention)
        return due
