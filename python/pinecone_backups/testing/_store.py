"""The emulator's data: indexes and their backups, kept serialised in listing order."""

from __future__ import annotations

import bisect
import calendar
import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True, slots=True)
class _Entry:
    sort_key: tuple[int, int, int]  # ascending in listing order, unique
    body: bytes


@dataclass(frozen=True, slots=True)
class _Index:
    index_id: str
    entries: tuple[_Entry, ...]  # newest first; replaced, never mutated


class BackupStore:
    """Indexes and their backups, safe to use from several threads.

    Each backup is serialised once, when added; a listing only joins ready-made byte strings.
    Backups are ordered newest first by ``created_at`` (ties, and backups whose ``created_at``
    is missing or not an RFC 3339 timestamp, which count as oldest, by insertion order, newest
    inserted first).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[str, _Index] = {}
        self._inserted = 0

    def add_index(self, name: str, index_id: str | None = None) -> str:
        """Create ``name`` unless it exists; return its id."""
        with self._lock:
            existing = self._indexes.get(name)
            if existing is not None:
                if index_id is not None and index_id != existing.index_id:
                    raise ValueError(f"index {name!r} already exists with id {existing.index_id!r}")
                return existing.index_id
            created = _Index(index_id or str(uuid.uuid4()), ())
            self._indexes[name] = created
            return created.index_id

    def add_backup(self, index_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Store a backup of ``index_name`` (created if needed) and return it as served."""
        index_id = self.add_index(index_name)
        defaults = {
            "backup_id": str(uuid.uuid4()),
            "source_index_id": index_id,
            "source_index_name": index_name,
            "status": "Ready",
            "cloud": "aws",
            "region": "us-east-1",
            "created_at": rfc3339(time.time_ns()),
        }
        backup = {key: value for key, value in defaults.items() if key not in fields}
        backup.update(fields)
        body = encode_json(backup)
        created = timestamp_ns(backup["created_at"])
        with self._lock:
            self._inserted += 1
            key = (0, 0, -self._inserted) if created is None else (-1, -created, -self._inserted)
            index = self._indexes[index_name]
            entries = list(index.entries)
            bisect.insort(entries, _Entry(key, body), key=lambda entry: entry.sort_key)
            self._indexes[index_name] = _Index(index.index_id, tuple(entries))
        result: dict[str, Any] = json.loads(body)
        return result

    def backups(self, index_name: str) -> list[dict[str, Any]]:
        """The backups of ``index_name`` in listing order (``KeyError`` if no such index)."""
        with self._lock:
            entries = self._indexes[index_name].entries
        return [json.loads(entry.body) for entry in entries]

    def page(self, index_name: str, offset: int, size: int) -> tuple[list[bytes], bool] | None:
        """The serialised backups ``offset:offset+size`` of ``index_name`` and whether more follow.

        ``None`` if there is no such index.
        """
        with self._lock:
            index = self._indexes.get(index_name)
        if index is None:
            return None
        end = offset + size
        return [entry.body for entry in index.entries[offset:end]], end < len(index.entries)
