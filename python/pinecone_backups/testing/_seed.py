"""Seed files: the indexes, backups and restore jobs a standalone emulator starts with.

A seed file is one JSON object with up to three lists, each optional::

    {
      "indexes": [
        {"name": "prod", "index_id": "idx-1", "dimension": 1536, "metric": "cosine",
         "record_count": 1000}
      ],
      "backups": [
        {"source_index_name": "prod", "backup_id": "bkp-1", "name": "nightly",
         "status": "Ready", "size_bytes": 123456, "created_at": "2025-06-01T02:00:00Z",
         "tags": {"env": "prod"}}
      ],
      "restore_jobs": [
        {"backup_id": "bkp-1", "target_index_name": "prod-copy", "status": "Pending"}
      ]
    }

An index needs ``name``; it may have ``index_id``, the fields a backup copies from it
(:data:`INDEX_FIELDS`), ``pod`` (``true``: a pod-based index, which cannot have a backup schedule
and whose backups cannot be restored) and ``deleted_at`` (an RFC 3339 timestamp: the index was
deleted then, after its backups were added; they stay). A backup needs ``source_index_name``
and may have any other field of the spec's ``BackupModel``; a restore job needs ``backup_id``
(a backup of the file) and ``target_index_name`` and may have any other field of
``RestoreJobModel``. What is left out is filled in as by :meth:`Emulator.add_index`,
:meth:`Emulator.add_backup` and :meth:`Emulator.add_restore_job`; an index named only by a backup
or a restore job is created.
Unknown keys, values of the wrong type, malformed timestamps and ids given twice are
:class:`SeedError`, whose message says where (``backups[2].size_bytes: ...``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._store import INDEX_FIELDS, timestamp_ns

if TYPE_CHECKING:
    from ._emulator import Emulator


class SeedError(ValueError):
    """A seed file that cannot be read or does not follow the format."""


Check = Callable[[object], str | None]
"""A field's check: ``None`` if the value is fine, else what it should be."""


def _string(value: object) -> str | None:
    return None if isinstance(value, str) and value else "a non-empty string"


def _string_or_null(value: object) -> str | None:
    return None if value is None or isinstance(value, str) else "a string or null"


def _count_or_null(value: object) -> str | None:
    ok = value is None or (type(value) is int and value >= 0)
    return None if ok else "an integer >= 0 or null"


def _dimension(value: object) -> str | None:
    ok = value is None or (type(value) is int and value >= 1)
    return None if ok else "an integer >= 1 or null"


def _object_or_null(value: object) -> str | None:
    return None if value is None or isinstance(value, dict) else "an object or null"


def _tags(value: object) -> str | None:
    ok = value is None or (
        isinstance(value, dict) and all(isinstance(tag, str) for tag in value.values())
    )
    return None if ok else "an object of strings or null"


def _timestamp(value: object) -> str | None:
    ok = timestamp_ns(value) is not None
    return None if ok else 'an RFC 3339 timestamp such as "2025-06-01T02:00:00Z"'


def _timestamp_or_null(value: object) -> str | None:
    return None if value is None else _timestamp(value)


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _percent_or_null(value: object) -> str | None:
    ok = value is None or (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= 100
    )
    return None if ok else "a number from 0 to 100 or null"


_INDEX_CHECKS: Mapping[str, Check] = {
    "name": _string,
    "index_id": _string,
    "cloud": _string,
    "region": _string,
    "dimension": _dimension,
    "metric": _string_or_null,
    "schema": _object_or_null,
    "record_count": _count_or_null,
    "namespace_count": _count_or_null,
    "size_bytes": _count_or_null,
    "pod": _boolean,
    "deleted_at": _timestamp,
}
assert set(_INDEX_CHECKS) == {"name", "index_id", "pod", "deleted_at", *INDEX_FIELDS}

_BACKUP_CHECKS: Mapping[str, Check] = {
    "backup_id": _string,
    "source_index_name": _string,
    "source_index_id": _string,
    "name": _string_or_null,
    "description": _string_or_null,
    "status": _string,
    "cloud": _string,
    "region": _string,
    "dimension": _dimension,
    "metric": _string_or_null,
    "schema": _object_or_null,
    "record_count": _count_or_null,
    "namespace_count": _count_or_null,
    "size_bytes": _count_or_null,
    "tags": _tags,
    "created_at": _timestamp,
}

_RESTORE_JOB_CHECKS: Mapping[str, Check] = {
    "restore_job_id": _string,
    "backup_id": _string,
    "target_index_name": _string,
    "target_index_id": _string,
    "status": _string,
    "created_at": _timestamp,
    "completed_at": _timestamp_or_null,
    "percent_complete": _percent_or_null,
}

_SECTIONS = {
    "indexes": ("name", _INDEX_CHECKS),
    "backups": ("source_index_name", _BACKUP_CHECKS),
    "restore_jobs": ("backup_id", _RESTORE_JOB_CHECKS),
}


@dataclass(frozen=True)
class Seed:
    """The validated content of a seed file, each item as given."""

    indexes: tuple[dict[str, Any], ...] = ()
    backups: tuple[dict[str, Any], ...] = ()
    restore_jobs: tuple[dict[str, Any], ...] = ()

    def apply(self, emulator: Emulator) -> None:
        """Add the indexes, then the backups, then delete the deleted indexes, then add the
        restore jobs to ``emulator``."""
        for index in self.indexes:
            fields = {key: value for key, value in index.items() if key in INDEX_FIELDS}
            emulator.add_index(
                index["name"], index_id=index.get("index_id"), pod=index.get("pod"), **fields
            )
        for backup in self.backups:
            emulator.add_backup(backup["source_index_name"], **backup)
        for index in self.indexes:
            if "deleted_at" in index:
                emulator.delete_index(index["name"], deleted_at=index["deleted_at"])
        for job in self.restore_jobs:
            fields = {k: v for k, v in job.items() if k not in ("backup_id", "target_index_name")}
            emulator.add_restore_job(job["backup_id"], job["target_index_name"], **fields)


def _items(document: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    """The objects of ``section``, each checked against its fields."""
    required, checks = _SECTIONS[section]
    items = document.get(section, [])
    if not isinstance(items, list):
        raise SeedError(f"{section}: expected a list of objects, got {_kind(items)}")
    for position, item in enumerate(items):
        where = f"{section}[{position}]"
        if not isinstance(item, dict):
            raise SeedError(f"{where}: expected an object, got {_kind(item)}")
        if required not in item:
            raise SeedError(f"{where}: {required!r} is required")
        for key, value in item.items():
            check = checks.get(key)
            if check is None:
                raise SeedError(f"{where}: unknown field {key!r} (known: {', '.join(checks)})")
            expected = check(value)
            if expected is not None:
                raise SeedError(f"{where}.{key}: expected {expected}, got {json.dumps(value)}")
    return items


def _kind(value: object) -> str:
    """What ``value`` is, for a message: "an object", "a list", "a string" or the JSON value."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else json.dumps(value)


def _unique(items: list[dict[str, Any]], section: str, key: str) -> set[str]:
    """The values of ``key`` in ``items``; a value given twice is an error."""
    seen: set[str] = set()
    for position, item in enumerate(items):
        value = item.get(key)
        if value is None:
            continue
        if value in seen:
            raise SeedError(f"{section}[{position}].{key}: {value!r} is given twice")
        seen.add(value)
    return seen


def parse_seed(document: object) -> Seed:
    """Validate a decoded seed file; :class:`SeedError` says what is wrong, and where."""
    if not isinstance(document, dict):
        raise SeedError(
            f"expected a JSON object with {', '.join(_SECTIONS)}, got {_kind(document)}"
        )
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        raise SeedError(f"unknown key {unknown[0]!r} (known: {', '.join(_SECTIONS)})")
    indexes = _items(document, "indexes")
    backups = _items(document, "backups")
    jobs = _items(document, "restore_jobs")
    _unique(indexes, "indexes", "name")
    backup_ids = _unique(backups, "backups", "backup_id")
    _unique(jobs, "restore_jobs", "restore_job_id")
    for position, job in enumerate(jobs):
        if job["backup_id"] not in backup_ids:
            raise SeedError(
                f"restore_jobs[{position}].backup_id: no backup of the file has backup_id "
                f"{job['backup_id']!r}"
            )
    ids = {index["name"]: index["index_id"] for index in indexes if "index_id" in index}
    for position, backup in enumerate(backups):
        expected = ids.get(backup["source_index_name"])
        given = backup.get("source_index_id")
        if expected is not None and given is not None and given != expected:
            raise SeedError(
                f"backups[{position}].source_index_id: {given!r}, but index "
                f"{backup['source_index_name']!r} has index_id {expected!r}"
            )
    return Seed(tuple(indexes), tuple(backups), tuple(jobs))


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def read_seed(path: str | Path) -> Seed:
    """Read and validate the seed file at ``path`` (:class:`SeedError` if it cannot be read,
    is not JSON or does not follow the format; the message names the file)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(f"cannot read seed file {str(path)!r}: {error}") from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except ValueError as error:
        raise SeedError(f"seed file {str(path)!r} is not valid JSON: {error}") from None
    try:
        return parse_seed(document)
    except SeedError as error:
        raise SeedError(f"seed file {str(path)!r}: {error}") from None
