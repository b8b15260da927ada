"""Retention: which backups to delete (:func:`plan_prune`, a pure function) and deleting them
(``Client.prune`` / ``AsyncClient.prune``, which check ``concurrency`` and call
:func:`prune_sync` / :func:`prune_async`).

Some backups are kept whatever the rules, because the tool cannot be sure what they are; such a
backup counts for no rule (it takes no rank and fills no bucket):

- a backup whose ``created_at`` is unknown (absent, ``null``, or text the client cannot read):
  its age is unknown, so no age-, rank- or calendar-based rule applies to it (``"created_at
  unreadable"``, with the text the server sent);
- with ``indexes``, a backup whose ``source_index_name`` is not one of them (a listing of one
  index that holds another's backups);
- a backup id listed twice with different fields;
- with a calendar rule, a ``Ready`` backup whose ``created_at`` has no day in ``tz`` (an
  instant near year 1 or 9999).

The per-index rules treat as one index the backups with the same ``source_index_name`` *and*
``source_index_id``: an index deleted and created again under its name is two indexes, each
with its own ranks, buckets and newest ``Ready`` backup (the old one's backups are not pushed
out by the new one's). A deleted index's backups keep both fields, so they stay together.

Every other backup is weighed by two kinds of rules. *Keep rules* spare it; a backup any keep
rule keeps is kept, and its reason names each rule (and bucket) that keeps it:

- ``keep_last=N``: one of the N newest ``Ready`` backups of its index (newest by ``created_at``; of
  two created at the same instant, the one whose ``backup_id`` sorts first, as in the plan);
- ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly`` (the *calendar rules*):
  the newest ``Ready`` backup of each of the N most recent days, ISO weeks (``2026-W53``,
  Monday to Sunday, numbered in the ISO year, so 2027-01-01 is in 2026-W53), months or years
  of its index that have a ``Ready`` backup; the day of a backup is its ``created_at`` read in
  ``tz`` (UTC by default). A bucket with no ``Ready`` backup is skipped and does not count
  towards N; non-``Ready`` backups fill none. Reasons: ``daily 2026-12-05``, ``weekly
  2026-W49``, ``monthly 2026-12``, ``yearly 2026``. N = 0 keeps nothing;
- ``keep_within=D``: created at most D before ``now`` (``now - created_at <= D``, the exact
  complement of ``older_than=D``), whatever its status (``within 7d (created 2d ago)``);
- ``keep_tags``: it has one of these tag values, whatever its status (``tagged keep=forever``).

*Filters* narrow what may be deleted; a backup is a *candidate* when no keep rule keeps it and it
matches every filter given: ``older_than`` (its ``created_at`` is more than that before
``now``), ``statuses`` (its status is one of them) and ``tags`` (it has each of these tag
values). A backup that fails a filter is kept, the reason saying which. Without any rule or
filter, every backup is a candidate. A candidate is deleted unless a safety rail keeps it:

- the newest ``Ready`` backup of an index is never deleted (``allow_empty=True`` lifts this);
- a backup that an unfinished restore job of ``restore_jobs`` uses is never deleted (a job is
  finished when its status is ``Completed``, ``Cancelled`` or ends in ``Failed``; any other
  status, ``Pending``, ``InProgress``, ``Cancelling`` or one not known, counts as unfinished);
  a job the plan did not know about makes the server answer 412 when deleting, which the report
  counts as skipped (``"restore pending"``), not as a failure;
- a backup whose status is not final is never deleted unless ``statuses`` names that status.
  Final means exactly ``Ready`` or a status ending in ``Failed`` (``Failed``,
  ``InitializationFailed``); ``Initializing``, ``Pending``, ``ready`` or a status not known are
  not final.

What a status means is decided in :mod:`pinecone_backups._status`, for prune as for the waits.

Every decision comes with its reason, rails included. A backup deleted by someone else
meanwhile (404) counts as skipped (``"already gone"``).

Importing this module costs next to nothing (``import pinecone_backups`` imports it):
``datetime``, ``dataclasses``, ``concurrent.futures`` and ``asyncio`` are imported where they are
used. :class:`PrunePlan` and :class:`PruneReport` behave like frozen dataclasses (``==``, ``hash``,
``dataclasses.fields``/``asdict``/``replace``, pickling), with the dataclass metadata built on
first use, as the native models do.
"""

from __future__ import annotations

from pinecone_backups import _status
from pinecone_backups._durations import FUTURE_SKEW_SECONDS, format_duration, parse_duration
from pinecone_backups._durations import UNITS as _UNITS
from pinecone_backups.errors import (
    ApiError,
    ArgumentTypeError,
    ClientClosedError,
    PineconeError,
    ValidationError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    import datetime
    from collections.abc import Coroutine, Iterable, Mapping
    from typing import Any, ClassVar, NoReturn

    from pinecone_backups._native import AsyncClient, Backup, Client, RestoreJob

    _Outcome = str | PineconeError | None
    """What deleting one backup did: ``None`` deleted, a reason skipped, an error failed."""

__all__ = [
    "PruneInterrupted",
    "PrunePlan",
    "PruneReport",
    "format_duration",
    "parse_duration",
    "plan_prune",
]

READY = _status.READY
RESTORE_PENDING = "restore pending"
"""The reason of a backup skipped because the server refused it (412): a restore job uses it."""
ALREADY_GONE = "already gone"
"""The reason of a backup skipped because it was deleted meanwhile (404)."""


# --- Frozen, dataclass-like records -----------------------------------------------------------

_equivalents: dict[type, Any] = {}


class _DataclassMetadata:
    """``__dataclass_fields__`` or ``__dataclass_params__`` of a record class, taken on first
    access from an equivalent frozen dataclass (``dataclasses`` costs milliseconds to import)."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        cls = owner if owner is not None else type(instance)
        if cls not in _equivalents:
            import dataclasses

            names: tuple[str, ...] = getattr(cls, "__match_args__", ())
            fields = [(name, cls.__annotations__[name]) for name in names]
            _equivalents[cls] = dataclasses.make_dataclass(cls.__name__, fields, frozen=True)
        return getattr(_equivalents[cls], self._attribute)


class _Record:
    """A frozen record with the fields ``__match_args__`` names, in that order."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()
    __dataclass_fields__: ClassVar[dict[str, Any]] = _DataclassMetadata("__dataclass_fields__")  # type: ignore[assignment]
    __dataclass_params__: ClassVar[Any] = _DataclassMetadata("__dataclass_params__")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{self.__class__.__qualname__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values())


class PrunePlan(_Record):
    """What :func:`plan_prune` decided: ``delete`` and ``keep``, each a tuple of
    ``(Backup, reason)`` pairs, every backup in exactly one of them.

    Both are in one order: by index name, then newest first (``created_at``; unknown last),
    then by ``backup_id``. A frozen, dataclass-like object; build one by hand to delete a
    chosen subset (``PrunePlan(delete=[(backup, "my reason")], keep=[])``), and hand it to
    ``client.prune(plan)``.
    """

    __slots__ = ("delete", "keep")
    __match_args__ = ("delete", "keep")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def delete(self) -> tuple[tuple[Backup, str], ...]: ...
        @property
        def keep(self) -> tuple[tuple[Backup, str], ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        delete: tuple[tuple[Backup, str], ...]
        keep: tuple[tuple[Backup, str], ...]

    def __init__(
        self,
        delete: Iterable[tuple[Backup, str]] = (),
        keep: Iterable[tuple[Backup, str]] = (),
    ) -> None:
        self._set(delete=_pairs(delete, "delete"), keep=_pairs(keep, "keep"))


class PruneReport(_Record):
    """What ``client.prune(plan)`` did with each backup of ``plan.delete``, in the plan's
    order: ``deleted`` (the backups deleted), ``skipped`` (``(Backup, reason)``: ``"restore
    pending"`` when the server refused because a restore job uses it, 412; ``"already gone"``
    when it no longer existed, 404) and ``failed`` (``(Backup, error)``: any other
    ``PineconeError``, after the client's retries). ``ok`` is true when nothing failed.
    """

    __slots__ = ("deleted", "failed", "skipped")
    __match_args__ = ("deleted", "skipped", "failed")

    if TYPE_CHECKING:  # read-only for type checkers too

        @property
        def deleted(self) -> tuple[Backup, ...]: ...
        @property
        def skipped(self) -> tuple[tuple[Backup, str], ...]: ...
        @property
        def failed(self) -> tuple[tuple[Backup, PineconeError], ...]: ...
    else:  # the fields (the annotations make the dataclass metadata)
        deleted: tuple[Backup, ...]
        skipped: tuple[tuple[Backup, str], ...]
        failed: tuple[tuple[Backup, PineconeError], ...]

    def __init__(
        self,
        deleted: Iterable[Backup] = (),
        skipped: Iterable[tuple[Backup, str]] = (),
        failed: Iterable[tuple[Backup, PineconeError]] = (),
    ) -> None:
        self._set(deleted=tuple(deleted), skipped=tuple(skipped), failed=tuple(failed))

    @property
    def ok(self) -> bool:
        """Whether no deletion failed (skipped ones are not failures)."""
        return not self.failed


def _pairs(pairs: Iterable[tuple[Backup, str]], name: str) -> tuple[tuple[Backup, str], ...]:
    from pinecone_backups._native import Backup

    result = tuple((backup, reason) for backup, reason in pairs)
    for backup, reason in result:
        if not isinstance(backup, Backup) or not isinstance(reason, str):
            raise ArgumentTypeError(
                f"{name} must hold (Backup, reason) pairs, got ({type(backup).__name__}, "
                f"{type(reason).__name__})",
                param=name,
            )
    return result


# --- Planning -------------------------------------------------------------------------------


def _age(age: datetime.timedelta) -> str:
    """An age, rounded down to a readable unit: ``45d``, ``5h``, ``12m``, ``30s``."""
    seconds = max(0, age.days * 86_400 + age.seconds)
    for unit, size in _UNITS[1:]:
        if seconds >= 2 * size or unit == "s":
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable")


def order_key(backup: Backup) -> tuple[str, bool, datetime.timedelta, str]:
    """The order of a plan: by index, newest first (unknown ``created_at`` last), then id."""
    return _order_key(backup, backup.created_at)


def _order_key(
    backup: Backup, created: datetime.datetime | None
) -> tuple[str, bool, datetime.timedelta, str]:
    """:func:`order_key` of a backup whose ``created_at`` was read already (its getter builds
    a new ``datetime`` at each read, which counts over thousands of backups)."""
    import datetime as dt

    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    before = dt.timedelta(0) if created is None else epoch - created
    return (backup.source_index_name, created is None, before, backup.backup_id)


PYTHON_OPTIONS: Mapping[str, str] = {"allow_empty": "allow_empty=True", "statuses": "statuses"}
"""How the reasons of :func:`plan_prune` name its options (the Python API's names)."""
CLI_OPTIONS: Mapping[str, str] = {"allow_empty": "--allow-empty", "statuses": "--status"}
"""How the reasons name the options in the ``prune`` command (its flags): see :func:`make_plan`."""

_RAW_CHARACTERS = 60
"""The longest raw ``created_at`` quoted in a reason (escaped, then cut)."""

PERIODS = ("daily", "weekly", "monthly", "yearly")
"""The calendar rules (``keep_daily``...), in the order the reasons name them."""


def plan_prune(
    backups: Iterable[Backup],
    *,
    keep_last: int | None = None,
    keep_daily: int | None = None,
    keep_weekly: int | None = None,
    keep_monthly: int | None = None,
    keep_yearly: int | None = None,
    keep_within: datetime.timedelta | str | None = None,
    keep_tags: Mapping[str, str] | Iterable[str] | None = None,
    tz: str | datetime.tzinfo | None = None,
    older_than: datetime.timedelta | None = None,
    statuses: Iterable[str] | None = None,
    tags: Mapping[str, str] | None = None,
    allow_empty: bool = False,
    restore_jobs: Iterable[RestoreJob] = (),
    indexes: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
) -> PrunePlan:
    """Decides which of ``backups`` to delete; sends nothing (see the module's docstring for
    the rules). Returns a :class:`PrunePlan`: each backup in ``delete`` or ``keep``, with why.

    Keep rules (a backup any of them keeps is kept; each is per index, an index being a
    ``source_index_name`` with its ``source_index_id``):

    - ``keep_last``: the N newest ``Ready`` backups of each index;
    - ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly``: the newest ``Ready``
      backup of each of the N most recent days, ISO weeks, months or years that have a
      ``Ready`` backup, read from ``created_at`` in ``tz`` (an IANA name such as
      ``"Europe/Berlin"``, or a ``tzinfo``; default UTC);
    - ``keep_within`` (a ``timedelta``, or a duration such as ``"7d"``, ``"36h"``,
      ``"1d12h"``): every backup created at most that before ``now``, whatever its status;
    - ``keep_tags`` (``{"keep": "forever"}`` or ``["keep=forever", ...]``): every backup with
      one of these tag values, whatever its status.

    Filters (a backup is deleted only if it matches all of them): ``older_than`` (a
    ``timedelta``): created more than that before ``now`` (an aware ``datetime``; default: now,
    UTC). ``statuses``: in one of these statuses (exact match); they may then be non-final
    ones. ``tags``: with each of these tag values.

    ``allow_empty``: may delete the newest ``Ready`` backup of an index. ``restore_jobs``: the
    project's restore jobs (``client.iter_restore_jobs()``); the backups of unfinished ones are
    kept. ``indexes``: the indexes whose backups were listed (``source_index_name``); a backup
    of any other index is kept, whatever the server answered. A backup whose ``created_at`` is
    unknown (absent, ``null`` or unreadable) is always kept and counts for no rule. A backup id
    given twice is planned once (kept if its two records differ). The plan depends only on the
    arguments. A bad argument (``tz`` not a known zone included) raises ``ValidationError`` or
    ``ArgumentTypeError`` before any backup is read.

    A kept backup's reason names every rule that keeps it, with its bucket::

        plan = pb.plan_prune(client.iter_index_backups("prod"), indexes=["prod"],
                             keep_daily=7, keep_weekly=4, keep_monthly=12, tz="Europe/Berlin")
        plan.keep[0]  # (Backup(...), "daily 2026-12-05; weekly 2026-W49; monthly 2026-12")
    """
    return make_plan(
        backups,
        keep_last=keep_last,
        keep_daily=keep_daily,
        keep_weekly=keep_weekly,
        keep_monthly=keep_monthly,
        keep_yearly=keep_yearly,
        keep_within=keep_within,
        keep_tags=keep_tags,
        tz=tz,
        older_than=older_than,
        statuses=statuses,
        tags=tags,
        allow_empty=allow_empty,
        restore_jobs=restore_jobs,
        indexes=indexes,
        now=now,
        options=PYTHON_OPTIONS,
    )


def make_plan(
    backups: Iterable[Backup],
    *,
    keep_last: int | None = None,
    keep_daily: int | None = None,
    keep_weekly: int | None = None,
    keep_monthly: int | None = None,
    keep_yearly: int | None = None,
    keep_within: datetime.timedelta | str | None = None,
    keep_tags: Mapping[str, str] | Iterable[str] | None = None,
    tz: str | datetime.tzinfo | None = None,
    older_than: datetime.timedelta | None = None,
    statuses: Iterable[str] | None = None,
    tags: Mapping[str, str] | None = None,
    allow_empty: bool = False,
    restore_jobs: Iterable[RestoreJob] = (),
    indexes: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
    options: Mapping[str, str] = PYTHON_OPTIONS,
) -> PrunePlan:
    """:func:`plan_prune`, whose reasons name the options as ``options`` says: the ``prune``
    command passes :data:`CLI_OPTIONS` (``--allow-empty``), Python callers get
    :data:`PYTHON_OPTIONS` (``allow_empty=True``)."""
    import datetime as dt

    from pinecone_backups._native import Backup, RestoreJob

    counts = {"keep_last": keep_last, "keep_daily": keep_daily, "keep_weekly": keep_weekly}
    counts.update(keep_monthly=keep_monthly, keep_yearly=keep_yearly)
    for param, count in counts.items():
        if count is not None and (
            not isinstance(count, int) or isinstance(count, bool) or count < 0
        ):
            raise _bad(param, count, "a whole number >= 0 or None", int)
    calendar_counts = {  # "daily": 7, ... for the calendar rules given
        period: counts[f"keep_{period}"]
        for period in PERIODS
        if counts[f"keep_{period}"] is not None
    }
    within = None if keep_within is None else _within(keep_within)
    keeping = None if keep_tags is None else _keep_tags(keep_tags)
    zone = zone_info(tz)
    if older_than is not None and (
        not isinstance(older_than, dt.timedelta) or older_than < dt.timedelta(0)
    ):
        raise _bad("older_than", older_than, "a timedelta >= 0 or None", dt.timedelta)
    selected = None if statuses is None else _strings(statuses, "statuses")
    wanted = None if tags is None else _tags(tags)
    if not isinstance(allow_empty, bool):
        raise _bad("allow_empty", allow_empty, "a bool", bool)
    listed = None if indexes is None else _strings(indexes, "indexes")
    if now is None:
        now = dt.datetime.now(dt.timezone.utc)
    elif not isinstance(now, dt.datetime) or now.utcoffset() is None:
        raise _bad("now", now, "a timezone-aware datetime or None", dt.datetime)

    unique: dict[str, Backup] = {}
    conflicting: set[str] = set()  # ids listed twice with different records
    for backup in backups:
        if not isinstance(backup, Backup):
            raise _bad("backups", backup, "Backup objects", Backup)
        first = unique.setdefault(backup.backup_id, backup)
        if first is not backup and first != backup:
            conflicting.add(backup.backup_id)
    created_of = {backup_id: backup.created_at for backup_id, backup in unique.items()}
    ordered = sorted(unique.values(), key=lambda b: _order_key(b, created_of[b.backup_id]))

    # Why a backup is kept whatever the filters: the tool cannot be sure what it is.
    unsure: dict[str, list[str]] = {}
    days: dict[str, datetime.date] = {}  # the day of each sure Ready backup, in `zone`
    latest = now + dt.timedelta(seconds=FUTURE_SKEW_SECONDS)  # later: in the future
    for backup in ordered:
        doubts: list[str] = []
        if listed is not None and backup.source_index_name not in listed:
            doubts.append(_other_index(backup.source_index_name, listed))
        created = created_of[backup.backup_id]
        if created is None:
            doubts.append(
                f"safety: created_at unreadable ({_raw_created_at(backup)}), so its age is unknown"
            )
        elif created > latest:
            doubts.append(
                f"safety: created_at {created.isoformat()} is in the future, so its age is unknown"
            )
        elif calendar_counts and backup.status == READY:
            try:
                days[backup.backup_id] = created.astimezone(zone).date()
            except (OverflowError, ValueError):  # near year 1 or 9999
                doubts.append(f"safety: created_at {created.isoformat()} has no day in {zone}")
        if backup.backup_id in conflicting:
            doubts.append("safety: listed twice with different fields")
        if doubts:
            unsure[backup.backup_id] = doubts

    # Ranks among the Ready backups of an index whose age is known: 0 for the newest, 1...
    ready_rank: dict[str, int] = {}
    ready_count: dict[tuple[str, str], int] = {}
    index_ids: dict[str, set[str]] = {}  # index name -> the index ids its backups carry
    keyed = [(backup, backup.backup_id, index_of(backup)) for backup in ordered]  # read once
    for backup, backup_id, of_index in keyed:
        index_ids.setdefault(of_index[0], set()).add(of_index[1])
        if backup.status == READY and backup_id not in unsure:
            count = ready_count.get(of_index, 0)
            ready_rank[backup_id] = count
            ready_count[of_index] = count + 1

    # The buckets each backup keeps: "daily 2026-12-05", "weekly 2026-W49"...
    buckets_kept: dict[str, list[str]] = {}
    for period, count in calendar_counts.items():
        newest: dict[tuple[str, str], dict[str, Backup]] = {}  # index -> bucket -> backup
        for backup, backup_id, of_index in keyed:  # newest first in an index: a bucket's first
            day = days.get(backup_id)
            if day is not None and backup_id not in unsure:
                bucket = calendar_bucket(period, day)
                newest.setdefault(of_index, {}).setdefault(bucket, backup)
        for buckets in newest.values():
            for bucket in sorted(buckets, reverse=True)[:count]:
                buckets_kept.setdefault(buckets[bucket].backup_id, []).append(f"{period} {bucket}")
    calendar_rules = ", ".join(f"{period} {count}" for period, count in calendar_counts.items())

    users: dict[str, list[RestoreJob]] = {}  # backup id -> the unfinished jobs restoring it
    for job in restore_jobs:
        if not isinstance(job, RestoreJob):
            raise _bad("restore_jobs", job, "RestoreJob objects", RestoreJob)
        if not _status.final(job.status, _status.RESTORE_JOB):  # it may still read its backup
            users.setdefault(job.backup_id, []).append(job)

    delete: list[tuple[Backup, str]] = []
    keep: list[tuple[Backup, str]] = []
    for backup in ordered:
        if backup.backup_id in unsure:
            keep.append((backup, "; ".join(unsure[backup.backup_id])))
            continue
        created = created_of[backup.backup_id]
        assert created is not None  # an unknown one is in `unsure`
        kept: list[str] = []  # the keep rules that keep it
        matched: list[str] = []  # the keep rules that do not keep it, the filters it matches
        spared: list[str] = []  # the filters it does not match
        rank = ready_rank.get(backup.backup_id)
        if keep_last == 0:
            matched.append("keep last 0 spares no backup")
        elif keep_last is not None:
            newest_n = _newest(keep_last)
            if rank is not None and rank < keep_last:
                kept.append(f"{'the' if keep_last == 1 else 'one of the'} {newest_n}")
            else:
                matched.append(f"not {'the' if keep_last == 1 else 'one of the'} {newest_n}")
        if calendar_counts:
            if backup.backup_id in buckets_kept:
                kept += buckets_kept[backup.backup_id]
            elif backup.status == READY:
                matched.append(f"kept by no bucket ({calendar_rules})")
            else:
                matched.append(f"not Ready: fills no bucket ({calendar_rules})")
        if within is not None:
            limit, age = format_duration(within), _age(now - created)
            if now - created <= within:
                kept.append(f"within {limit} (created {age} ago)")
            else:
                matched.append(f"not within {limit} (created {age} ago)")
        if keeping is not None:
            hits = [f"tagged {k}={v}" for k, v in keeping if backup.tags.get(k) == v]
            if hits:
                kept += hits
            elif keeping:
                matched.append("not tagged " + " or ".join(f"{k}={v}" for k, v in keeping))
            else:
                matched.append("keep tags: none given, so none keeps it")
        if older_than is not None:
            limit = format_duration(older_than)
            if now - created > older_than:
                matched.append(f"older than {limit} (created {_age(now - created)} ago)")
            else:
                spared.append(f"not older than {limit} (created {_age(now - created)} ago)")
        if selected is not None:
            if backup.status in selected:
                matched.append(f"status {backup.status}")
            else:
                choice = ", ".join(sorted(selected)) or "none"
                spared.append(f"status {backup.status} is not one selected ({choice})")
        for key, value in sorted((wanted or {}).items()):
            actual = backup.tags.get(key)
            if actual == value:
                matched.append(f"tag {key}={value}")
            elif actual is None:
                spared.append(f"no tag {key} (wanted {key}={value})")
            else:
                spared.append(f"tag {key}={actual}, not {value}")
        if kept or spared:
            keep.append((backup, "; ".join(kept + spared)))
            continue

        rails: list[str] = []
        if rank == 0 and not allow_empty:
            index = f"'{backup.source_index_name}'"
            if len(index_ids[backup.source_index_name]) > 1:  # deleted and created again
                index += f" (id '{backup.source_index_id}')"
            rails.append(
                f"safety: newest Ready backup of index {index} ({options['allow_empty']} lifts "
                "this)"
            )
        for job in sorted(users.get(backup.backup_id, ()), key=lambda j: j.restore_job_id):
            rails.append(f"safety: restore job {job.restore_job_id} ({job.status}) uses it")
        final = _status.final(backup.status, _status.BACKUP)  # Ready or ...Failed, read exactly
        if not final and (selected is None or backup.status not in selected):
            rails.append(
                f"safety: status {backup.status} is not final (select it with "
                f"{options['statuses']} to delete it)"
            )
        if rails:
            keep.append((backup, "; ".join(rails)))
        else:
            delete.append((backup, "; ".join(matched) or "no filter given: every backup matches"))
    return PrunePlan(delete, keep)


def index_of(backup: Backup) -> tuple[str, str]:
    """The index a backup is of, for the per-index rules: its ``source_index_name`` and
    ``source_index_id`` (an index deleted and created again under its name is another one)."""
    return (backup.source_index_name, backup.source_index_id)


_BUCKETS: dict[tuple[str, datetime.date], str] = {}
"""The buckets made so far: the same days recur in every index of a project."""


def calendar_bucket(period: str, day: datetime.date) -> str:
    """The bucket of ``day`` for a calendar rule: ``daily`` ``2026-12-05``, ``weekly``
    ``2026-W49`` (the ISO year and week: 2027-01-01 is in ``2026-W53``), ``monthly``
    ``2026-12``, ``yearly`` ``2026``. Labels of a period sort as their buckets do."""
    found = _BUCKETS.get((period, day))
    if found is None:
        if len(_BUCKETS) >= 4096:
            _BUCKETS.clear()
        found = _BUCKETS[period, day] = _bucket(period, day)
    return found


def _bucket(period: str, day: datetime.date) -> str:
    if period == "daily":
        return day.isoformat()
    if period == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "yearly":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period {period!r}; known: {', '.join(PERIODS)}")


def zone_info(tz: str | datetime.tzinfo | None) -> datetime.tzinfo:
    """``tz`` as a ``tzinfo``: UTC for ``None`` or ``"UTC"`` (no time zone database needed),
    a ``tzinfo`` as given, any other name from the IANA database (``zoneinfo``: the system's,
    else the ``tzdata`` package). ``ValidationError`` for a name it does not know, saying
    whether the database is missing; ``ArgumentTypeError`` for another type."""
    import datetime as dt

    if tz is None or tz == "UTC":
        return dt.timezone.utc
    if isinstance(tz, dt.tzinfo):
        return tz
    if not isinstance(tz, str):
        raise _bad(
            "tz", tz, "an IANA time zone name (such as 'Europe/Berlin'), a tzinfo or None", str
        )
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass  # ValueError: not a key ('', '/etc/x', '../x'); OSError: a folder of the database
    known = zoneinfo.available_timezones()
    if not known:
        raise ValidationError(
            f"tz {tz!r}: this system has no IANA time zone database, so no zone but UTC can be "
            "used (install one: pip install tzdata, or the OS's tzdata package)",
            param="tz",
        )
    import difflib

    close = difflib.get_close_matches(tz, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else " (such as 'UTC' or 'Europe/Berlin')"
    raise ValidationError(f"tz {tz!r} is not an IANA time zone name{hint}", param="tz")


def _within(value: datetime.timedelta | str) -> datetime.timedelta:
    import datetime as dt

    if isinstance(value, str):
        return parse_duration(value, param="keep_within")
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        raise _bad(
            "keep_within", value, "a timedelta >= 0, a duration such as '7d', or None", dt.timedelta
        )
    return value


def _keep_tags(value: Mapping[str, str] | Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``keep_tags``: a mapping of str to str, or a collection of ``"K=V"`` strings (a key may
    come with several values); the pairs, sorted, each once."""
    expected = "a mapping of str to str or a collection of 'K=V' strings"
    if isinstance(value, str):
        raise ArgumentTypeError(
            f"keep_tags must be {expected}, not a str: write [{value!r}]", param="keep_tags"
        )
    pairs: list[tuple[str, str]] = []
    if hasattr(value, "items"):
        for key, tag in value.items():
            if not isinstance(key, str) or not isinstance(tag, str):
                raise ArgumentTypeError(
                    f"keep_tags must be {expected}, got {key!r}: {tag!r}", param="keep_tags"
                )
            pairs.append((key, tag))
    elif hasattr(value, "__iter__"):
        for item in value:
            if not isinstance(item, str):
                raise _bad("keep_tags", item, f"{expected}, holding", str)
            key, equals, tag = item.partition("=")
            if not equals or not key:
                raise ValidationError(
                    f"keep_tags: expected K=V (a tag key, =, its value), got {item!r}",
                    param="keep_tags",
                )
            pairs.append((key, tag))
    else:
        raise _bad("keep_tags", value, expected, dict)
    return tuple(sorted(set(pairs)))


def _other_index(index: str, listed: frozenset[str]) -> str:
    if len(listed) == 1:
        return f"source index '{index}' is not the index given ('{next(iter(listed))}')"
    given = ", ".join(f"'{name}'" for name in sorted(listed)) or "none"
    return f"source index '{index}' is not one of the indexes given ({given})"


def _raw_created_at(backup: Backup) -> str:
    """The ``created_at`` the server sent, for a reason: ``absent``, ``null``, or its text
    quoted and escaped (``repr``), cut to :data:`_RAW_CHARACTERS`."""
    raw = backup.to_dict()
    if "created_at" not in raw:
        return "absent"
    if raw["created_at"] is None:
        return "null"
    text = repr(raw["created_at"])
    return text if len(text) <= _RAW_CHARACTERS else text[: _RAW_CHARACTERS - 3] + "..."


def _newest(keep_last: int) -> str:
    if keep_last == 1:
        return "newest Ready backup of its index (keep last 1)"
    return f"{keep_last} newest Ready backups of its index (keep last {keep_last})"


def _bad(param: str, value: object, expected: str, kind: type) -> ValidationError:
    message = f"{param} must be {expected}, got {value!r}"
    if isinstance(value, kind) and not isinstance(value, bool):
        return ValidationError(message, param=param)
    return ArgumentTypeError(message, param=param)


def _strings(values: Iterable[str], param: str) -> frozenset[str]:
    """``statuses`` or ``indexes``: a collection of strings (a single str is refused)."""
    if isinstance(values, str):
        raise ArgumentTypeError(
            f"{param} must be a collection of {param}, not a str: write [{values!r}]",
            param=param,
        )
    if not hasattr(values, "__iter__"):
        raise _bad(param, values, "a collection of strings", list)
    result = frozenset(values)
    for value in result:
        if not isinstance(value, str):
            raise _bad(param, value, "strings", str)
    return result


def _tags(tags: Mapping[str, str]) -> dict[str, str]:
    if not hasattr(tags, "items"):
        raise _bad("tags", tags, "a mapping of str to str", dict)
    result = dict(tags.items())
    for key, value in result.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ArgumentTypeError(
                f"tags must be a mapping of str to str, got {key!r}: {value!r}", param="tags"
            )
    return result


# --- Deleting -------------------------------------------------------------------------------


def _targets(plan: object) -> list[Backup]:
    if not isinstance(plan, PrunePlan):
        raise ArgumentTypeError(
            f"plan must be a PrunePlan (from pinecone_backups.plan_prune), not "
            f"{type(plan).__name__}",
            param="plan",
        )
    unique: dict[str, Backup] = {}
    for backup, _ in plan.delete:
        unique.setdefault(backup.backup_id, backup)
    return list(unique.values())


def _outcome(error: PineconeError) -> _Outcome:
    """A refused deletion: skipped (412: a restore job uses it; 404: gone) or failed."""
    if isinstance(error, ClientClosedError):
        raise error
    if isinstance(error, ApiError) and error.status == 412:
        return RESTORE_PENDING
    if isinstance(error, ApiError) and error.status == 404:
        return ALREADY_GONE
    return error


class PruneInterrupted(KeyboardInterrupt):
    """Ctrl-C ended ``Client.prune``: no request was started after it, and the deletions in
    flight were cancelled. Still a ``KeyboardInterrupt``; it says what happened:

    - ``report``: a :class:`PruneReport` of the deletions that finished (deleted, skipped,
      failed);
    - ``in_flight``: the backups whose ``DELETE`` was under way: they may or may not have been
      deleted (list them again to know);
    - ``not_started``: the backups no request was made for.
    """

    def __init__(
        self,
        report: PruneReport,
        in_flight: tuple[Backup, ...] = (),
        not_started: tuple[Backup, ...] = (),
    ) -> None:
        super().__init__(
            f"prune interrupted: {len(report.deleted)} deleted, {len(in_flight)} may have been "
            f"deleted (in flight), {len(not_started)} not started"
        )
        self.report = report
        self.in_flight = in_flight
        self.not_started = not_started


INTERRUPT_GRACE = 2.0
"""Seconds a prune interrupted by Ctrl-C waits for its cancelled deletions to end."""


def _delete(client: Client, backup: Backup, started: set[int], index: int) -> _Outcome:
    started.add(index)
    try:
        client.delete_backup(backup.backup_id)
    except PineconeError as error:
        return _outcome(error)
    return None


def _report(targets: list[Backup], outcomes: Iterable[_Outcome]) -> PruneReport:
    deleted: list[Backup] = []
    skipped: list[tuple[Backup, str]] = []
    failed: list[tuple[Backup, PineconeError]] = []
    for backup, result in zip(targets, outcomes, strict=True):
        if result is None:
            deleted.append(backup)
        elif isinstance(result, str):
            skipped.append((backup, result))
        else:
            failed.append((backup, result))
    return PruneReport(deleted, skipped, failed)


def prune_sync(client: Client, plan: PrunePlan, concurrency: int) -> PruneReport:
    """``Client.prune``: deletes ``plan.delete``, ``concurrency`` at a time, in a thread pool.

    An error other than a refused deletion (a closed client, Ctrl-C) ends the prune at once:
    deletions not started yet are not started, and those in flight are cancelled (their calls
    go through a scope of the client, closed then). Ctrl-C raises :class:`PruneInterrupted`.
    """
    targets = _targets(plan)
    if not targets:
        return PruneReport()
    from concurrent.futures import ThreadPoolExecutor

    scope = client._scoped()  # closing it cancels this prune's calls, and only them
    started: set[int] = set()
    pool = ThreadPoolExecutor(
        max_workers=min(concurrency, len(targets)), thread_name_prefix="pinecone-backups-prune"
    )
    futures = []
    try:
        for index, backup in enumerate(targets):
            futures.append(pool.submit(_delete, scope, backup, started, index))
        outcomes = [future.result() for future in futures]
    except BaseException as error:
        scope.close()
        pool.shutdown(wait=False, cancel_futures=True)
        if isinstance(error, KeyboardInterrupt):
            raise _interrupted(targets, futures, started) from error
        raise
    pool.shutdown()
    return _report(targets, outcomes)


def _interrupted(targets: list[Backup], futures: list[Any], started: set[int]) -> PruneInterrupted:
    """What an interrupted prune did, once its cancelled deletions have ended (they end at
    once; at most :data:`INTERRUPT_GRACE` seconds are given to them)."""
    from concurrent.futures import wait

    wait([futures[index] for index in sorted(started)], timeout=INTERRUPT_GRACE)
    done: list[tuple[Backup, _Outcome]] = []
    in_flight: list[Backup] = []
    not_started: list[Backup] = []
    for index, backup in enumerate(targets):
        future = futures[index] if index < len(futures) else None
        if index not in started or future is None or future.cancelled():
            not_started.append(backup)
        elif future.done() and future.exception() is None:
            done.append((backup, future.result()))
        else:  # cancelled while under way, or still running: the DELETE may have been sent
            in_flight.append(backup)
    report = _report([backup for backup, _ in done], [outcome for _, outcome in done])
    return PruneInterrupted(report, tuple(in_flight), tuple(not_started))


def prune_async(
    client: AsyncClient, plan: PrunePlan, concurrency: int
) -> Coroutine[Any, Any, PruneReport]:
    """``AsyncClient.prune``: checks ``plan`` now and returns the coroutine that deletes
    ``plan.delete``, ``concurrency`` at a time (an ``asyncio.Semaphore``). Cancelling it
    cancels the deletions in flight."""
    return _prune_async(client, _targets(plan), concurrency)


async def _prune_async(client: AsyncClient, targets: list[Backup], concurrency: int) -> PruneReport:
    if not targets:
        return PruneReport()
    import asyncio

    gate = asyncio.Semaphore(concurrency)

    async def delete(backup: Backup) -> _Outcome:
        async with gate:
            try:
                await client.delete_backup(backup.backup_id)
            except PineconeError as error:
                return _outcome(error)
            return None

    tasks = [asyncio.ensure_future(delete(backup)) for backup in targets]
    try:
        outcomes = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
    return _report(targets, outcomes)
