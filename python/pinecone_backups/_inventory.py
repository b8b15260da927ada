"""The summary behind ``pinecone-backups inventory``: pure functions of a list of backups, no I/O.

``summarize(backups, by="index")`` gives one row per index: how many backups it has, how many
are ``Ready``, failed (``Failed`` or a status ending in ``Failed``) or other (still running:
``Initializing``, ``Pending``, a status not known; see :mod:`pinecone_backups._status`), their
total ``size_bytes`` and ``record_count`` (of the backups that state them), and the
``created_at`` of its newest and oldest ``Ready`` backup (``None`` when it has none).
``by="status"`` gives one row per status instead: its count, the number of indexes with a backup
in that status, the totals, and the newest and oldest ``created_at``.

Times in the rows are UTC (``datetime.timezone.utc``). A ``created_at`` whose instant, in UTC, is
outside what ``datetime`` holds (``9999-12-31T23:59:59-01:00``, ``0001-01-01T00:00:00+01:00``)
counts as unknown, like a missing one: the backup is counted, its time is left out.
"""

from __future__ import annotations

from pinecone_backups import _status

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from typing import Any, Literal

    from pinecone_backups import Backup

BY_INDEX_KEYS = (
    "index",
    "backups",
    "ready",
    "failed",
    "other",
    "size_bytes",
    "record_count",
    "newest_ready",
    "oldest_ready",
)
"""The keys of a row of ``summarize(..., by="index")``, in order."""
BY_STATUS_KEYS = (
    "status",
    "backups",
    "indexes",
    "size_bytes",
    "record_count",
    "newest",
    "oldest",
)
"""The keys of a row of ``summarize(..., by="status")``, in order."""


def is_failed(status: str) -> bool:
    """Whether a backup's status is a failure (``Failed``, ``InitializationFailed``)."""
    return _status.failed(status, _status.BACKUP)


def utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC, or ``None`` when it is ``None`` or its instant is out of
    ``datetime``'s range in UTC (``astimezone`` would overflow)."""
    if moment is None:
        return None
    from datetime import timezone

    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def _times(backups: Iterable[Backup]) -> list[datetime]:
    """The known ``created_at`` of ``backups``, in UTC."""
    return [moment for moment in (utc(b.created_at) for b in backups) if moment is not None]


def _newest(moments: list[datetime]) -> datetime | None:
    return max(moments) if moments else None


def _oldest(moments: list[datetime]) -> datetime | None:
    return min(moments) if moments else None


def _total(values: Iterable[int | None]) -> int:
    return sum(value for value in values if value is not None)


def summarize(
    backups: Iterable[Backup], by: Literal["index", "status"] = "index"
) -> list[dict[str, Any]]:
    """One row (a dict with the keys of ``BY_INDEX_KEYS`` or ``BY_STATUS_KEYS``) per index or per
    status, sorted by index name or status; sizes in exact bytes, times as UTC ``datetime``
    (``None`` when none is known)."""
    if by not in ("index", "status"):
        raise ValueError(f"by must be 'index' or 'status', not {by!r}")
    groups: dict[str, list[Backup]] = {}
    for backup in backups:
        key = backup.source_index_name if by == "index" else backup.status
        groups.setdefault(key, []).append(backup)
    rows: list[dict[str, Any]] = []
    for key in sorted(groups):
        group = groups[key]
        size = _total(b.size_bytes for b in group)
        records = _total(b.record_count for b in group)
        if by == "index":
            ready = [b for b in group if _status.succeeded(b.status, _status.BACKUP)]
            failed = sum(1 for b in group if is_failed(b.status))
            ready_times = _times(ready)
            values: tuple[Any, ...] = (
                key,
                len(group),
                len(ready),
                failed,
                len(group) - len(ready) - failed,
                size,
                records,
                _newest(ready_times),
                _oldest(ready_times),
            )
            rows.append(dict(zip(BY_INDEX_KEYS, values, strict=True)))
        else:
            times = _times(group)
            values = (
                key,
                len(group),
                len({b.source_index_name for b in group}),
                size,
                records,
                _newest(times),
                _oldest(times),
            )
            rows.append(dict(zip(BY_STATUS_KEYS, values, strict=True)))
    return rows


def totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """The backups, bytes and records of every row together."""
    rows = list(rows)
    return {
        "backups": sum(row["backups"] for row in rows),
        "size_bytes": sum(row["size_bytes"] for row in rows),
        "record_count": sum(row["record_count"] for row in rows),
    }
