"""The emulator's data: indexes, backups and restore jobs, kept serialised in listing order.

Statuses that change with time (a backup being taken, a restore running) are computed from the
store's clock when read: emulator time is the real time plus an offset that :meth:`advance`
increases, so tests make time pass without sleeping.
"""

from __future__ import annotations

import bisect
import calendar
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

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


class Refused(Exception):
    """An operation the emulated backend refuses; ``status`` is the HTTP status it answers."""

    status: ClassVar[int]


class NotFound(Refused):
    status = 404


class QuotaExceeded(Refused):
    status = 403


class AlreadyExists(Refused):
    status = 409


class FailedPrecondition(Refused):
    status = 412


def _ns(seconds: float) -> int:
    return round(seconds * 1_000_000_000)


@dataclass(frozen=True, slots=True)
class _Change:
    """A status change due at emulator time ``at``, with the other fields it sets."""

    at: int
    status: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Settled:
    """What an entry becomes from emulator time ``at`` on: its final status and body."""

    at: int
    status: str
    body: bytes


@dataclass(frozen=True, slots=True)
class _Entry:
    """A backup or a restore job, serialised.

    ``item_id`` is its id (``None`` if not a string, so not addressable), ``parent`` the name of
    the backup's source index or the id of the job's backup. ``status`` and ``body`` are served
    until ``settled.at``, then ``settled``'s.
    """

    sort_key: tuple[int, int, int]  # ascending in listing order, unique
    item_id: str | None
    parent: str
    status: object
    body: bytes
    settled: _Settled | None = None

    def status_at(self, now: int) -> object:
        """The status served at emulator time ``now``."""
        settled = self.settled
        return self.status if settled is None or now < settled.at else settled.status

    def body_at(self, now: int) -> bytes:
        """The body served at emulator time ``now``."""
        settled = self.settled
        return self.body if settled is None or now < settled.at else settled.body


@dataclass(frozen=True, slots=True)
class _Index:
    index_id: str
    fields: Mapping[str, Any]  # the INDEX_FIELDS it has
    entries: tuple[_Entry, ...] = ()  # its backups, newest first; replaced, never mutated


Page = tuple[list[bytes], bool]
"""A page of serialised items and whether more follow."""


def _slice(entries: tuple[_Entry, ...], offset: int, size: int, now: int) -> Page:
    end = offset + size
    # Most entries never change: skip the call for them (listings are benchmarked).
    items = [e.body if e.settled is None else e.body_at(now) for e in entries[offset:end]]
    return items, end < len(entries)


def _inserted(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    """``entries`` with ``entry`` in its place in listing order."""
    merged = list(entries)
    bisect.insort(merged, entry, key=lambda item: item.sort_key)
    return tuple(merged)


def _without(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    return tuple(item for item in entries if item is not entry)


def _string_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


class BackupStore:
    """Indexes, their backups and restore jobs, safe to use from several threads (one lock).

    Each backup and job is serialised when added (with its final form, if its status is to
    change); a listing only joins ready-made byte strings. Backups and jobs are ordered newest
    first by ``created_at`` (ties, and items whose ``created_at`` is missing or not an RFC 3339
    timestamp, which count as oldest, by insertion order, newest inserted first).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clock_offset = 0  # ns added to the real time
        self._indexes: dict[str, _Index] = {}
        self._backups: tuple[_Entry, ...] = ()  # every backup of the project, newest first
        self._backup_ids: dict[str, _Entry] = {}
        self._jobs: tuple[_Entry, ...] = ()  # newest first
        self._job_ids: dict[str, _Entry] = {}
        self._backup_outcomes: deque[str] = deque()
        self._restore_outcomes: deque[str] = deque()
        self._inserted = 0

    # -- clock -----------------------------------------------------------------------------

    def now(self) -> int:
        """Emulator time, in nanoseconds since the epoch."""
        return time.time_ns() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move emulator time ``seconds`` forward at once."""
        with self._lock:
            self._clock_offset += _ns(seconds)

    def queue_failures(self, what: Literal["backup", "restore"], status: str, times: int) -> None:
        """End the next ``times`` backups or restore jobs created through the API in ``status``."""
        outcomes = self._backup_outcomes if what == "backup" else self._restore_outcomes
        with self._lock:
            outcomes.extend([status] * times)

    # -- indexes ---------------------------------------------------------------------------

    def add_index(
        self, name: str, index_id: str | None = None, fields: Mapping[str, Any] | None = None
    ) -> str:
        """Create ``name`` unless it exists, or add ``fields`` to it; return its id."""
        with self._lock:
            existing = self._indexes.get(name)
            if existing is None:
                existing = self._indexes[name] = _Index(index_id or str(uuid.uuid4()), {})
            elif index_id is not None and index_id != existing.index_id:
                raise ValueError(f"index {name!r} already exists with id {existing.index_id!r}")
            if fields:
                self._indexes[name] = _Index(
                    existing.index_id, {**existing.fields, **fields}, existing.entries
                )
            return existing.index_id

    def index_names(self) -> list[str]:
        """Every index's name, in the order they were created."""
        with self._lock:
            return list(self._indexes)

    # -- backups ---------------------------------------------------------------------------

    def add_backup(self, index_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Store a backup of ``index_name`` (created if needed) and return it as served."""
        index_id = self.add_index(index_name)
        defaults = {
            "backup_id": str(uuid.uuid4()),
            "source_index_id": index_id,
            "source_index_name": index_name,
            "status": "Ready",
            **_DEFAULT_LOCATION,
            "created_at": rfc3339(self.now()),
        }
        with self._lock:
            backup = {key: value for key, value in defaults.items() if key not in fields}
            backup.update(fields)  # in the order given: the docs example is served byte for byte
            entry = self._new_entry(backup, "backup_id", index_name)
            self._insert_backup(entry)
        result: dict[str, Any] = json.loads(entry.body)
        return result

    def create_backup(
        self, index_name: str, fields: Mapping[str, str], *, seconds: float, quota: int | None
    ) -> bytes:
        """Start a backup of ``index_name`` as the API does; return it as served now.

        It is ``Initializing`` for ``seconds``, then ``Ready`` (or the next queued failure
        status). Raises :class:`NotFound` for an unknown index, :class:`QuotaExceeded` if the
        project already holds ``quota`` backups.
        """
        with self._lock:
            index = self._indexes.get(index_name)
            if index is None:
                raise NotFound(f"Index {index_name} not found.")
            if quota is not None and len(self._backups) >= quota:
                raise QuotaExceeded(QUOTA_MESSAGE)
            now = self.now()
            backup = {
                "backup_id": str(uuid.uuid4()),
                "source_index_name": index_name,
                "source_index_id": index.index_id,
                **fields,
                "status": "Initializing",
                **_DEFAULT_LOCATION,
                **{key: index.fields[key] for key in INDEX_FIELDS if key in index.fields},
                "created_at": rfc3339(now),
            }
            final = self._backup_outcomes.popleft() if self._backup_outcomes else "Ready"
            change = _Change(now + _ns(seconds), final)
            entry = self._new_entry(backup, "backup_id", index_name, change)
            self._insert_backup(entry)
        return entry.body_at(now)

    def backups(self, index_name: str | None = None) -> list[dict[str, Any]]:
        """The backups of ``index_name`` (``KeyError`` if no such index), or of the project, in
        listing order."""
        with self._lock:
            entries = self._backups if index_name is None else self._indexes[index_name].entries
        now = self.now()
        return [json.loads(entry.body_at(now)) for entry in entries]

    def get_backup(self, backup_id: str) -> bytes | None:
        """The backup ``backup_id`` as served now, or ``None`` if there is none."""
        with self._lock:
            entry = self._backup_ids.get(backup_id)
        return None if entry is None else entry.body_at(self.now())

    def page(self, index_name: str, offset: int, size: int) -> Page | None:
        """The serialised backups ``offset:offset+size`` of ``index_name`` and whether more follow.

        ``None`` if there is no such index.
        """
        with self._lock:
            index = self._indexes.get(index_name)
        return None if index is None else _slice(index.entries, offset, size, self.now())

    def project_page(self, offset: int, size: int) -> Page:
        """The serialised backups ``offset:offset+size`` of the project, and whether more follow."""
        with self._lock:
            entries = self._backups
        return _slice(entries, offset, size, self.now())

    def delete_backup(self, backup_id: str) -> None:
        """Delete backup ``backup_id``.

        Raises :class:`NotFound` if there is none, :class:`FailedPrecondition` while a restore job
        from it is ``Pending``.
        """
        with self._lock:
            entry = self._backup_ids.get(backup_id)
            if entry is None:
                raise NotFound(f"Backup {backup_id} not found.")
            now = self.now()
            pending = [
                job.item_id
                for job in self._jobs
                if job.parent == backup_id and job.status_at(now) == "Pending"
            ]
            if pending:
                raise FailedPrecondition(
                    "Unable to delete backup. There are pending restore jobs for this backup: "
                    f"{pending!r}"
                )
            del self._backup_ids[backup_id]
            self._backups = _without(self._backups, entry)
            index = self._indexes.get(entry.parent)
            if index is not None:
                self._indexes[entry.parent] = _Index(
                    index.index_id, index.fields, _without(index.entries, entry)
                )

    # -- restore jobs ----------------------------------------------------------------------

    def restore(self, backup_id: str, index_name: str, *, seconds: float) -> tuple[str, str]:
        """Create index ``index_name`` from backup ``backup_id`` as the API does; return the ids
        of the restore job and of the new index.

        The job is ``Pending`` for ``seconds``, then ``Completed`` (or the next queued failure
        status). Raises :class:`NotFound` for an unknown backup, :class:`FailedPrecondition` if
        it is not ``Ready``, :class:`AlreadyExists` if the index exists.
        """
        with self._lock:
            backup = self._backup_ids.get(backup_id)
            if backup is None:
                raise NotFound(f"Backup {backup_id} not found.")
            now = self.now()
            if backup.status_at(now) != "Ready":
                raise FailedPrecondition(f"Backup {backup_id} is not completed.")
            if index_name in self._indexes:
                raise AlreadyExists(f"Index {index_name} already exists.")
            copied = json.loads(backup.body_at(now))
            index = _Index(str(uuid.uuid4()), {k: copied[k] for k in INDEX_FIELDS if k in copied})
            self._indexes[index_name] = index
            job_id = str(uuid.uuid4())
            final = self._restore_outcomes.popleft() if self._restore_outcomes else "Completed"
            ends = now + _ns(seconds)
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
        index_id = self.add_index(index_name)
        with self._lock:
            job = self._new_job(backup_id, index_name, index_id, fields)
            self._insert_job(job)
        result: dict[str, Any] = json.loads(job.body)
        return result

    def restore_jobs(self) -> list[dict[str, Any]]:
        """Every restore job as served now, in listing order."""
        with self._lock:
            jobs = self._jobs
        now = self.now()
        return [json.loads(job.body_at(now)) for job in jobs]

    def get_restore_job(self, job_id: str) -> bytes | None:
        """The restore job ``job_id`` as served now, or ``None`` if there is none."""
        with self._lock:
            job = self._job_ids.get(job_id)
        return None if job is None else job.body_at(self.now())

    def jobs_page(self, offset: int, size: int) -> Page:
        """The serialised restore jobs ``offset:offset+size`` and whether more follow."""
        with self._lock:
            jobs = self._jobs
        return _slice(jobs, offset, size, self.now())

    # -- with the lock held ----------------------------------------------------------------

    def _new_entry(
        self, item: Mapping[str, Any], id_field: str, parent: str, change: _Change | None = None
    ) -> _Entry:
        """``item`` (whose id is its ``id_field``) serialised, with its place in listing order,
        and after ``change`` if any."""
        created = timestamp_ns(item.get("created_at"))
        self._inserted += 1
        key = (0, 0, -self._inserted) if created is None else (-1, -created, -self._inserted)
        item_id = _string_or_none(item.get(id_field))
        settled = None
        if change is not None:
            final = {**item, "status": change.status, **change.fields}
            settled = _Settled(change.at, change.status, encode_json(final))
        return _Entry(key, item_id, parent, item.get("status"), encode_json(item), settled)

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
        return self._new_entry(job, "restore_job_id", backup_id, change)

    def _insert_backup(self, entry: _Entry) -> None:
        index = self._indexes[entry.parent]
        self._indexes[entry.parent] = _Index(
            index.index_id, index.fields, _inserted(index.entries, entry)
        )
        self._backups = _inserted(self._backups, entry)
        if entry.item_id is not None:
            self._backup_ids[entry.item_id] = entry

    def _insert_job(self, job: _Entry) -> None:
        self._jobs = _inserted(self._jobs, job)
        if job.item_id is not None:
            self._job_ids[job.item_id] = job
