"""Retention: which backups to delete (:func:`plan_prune`, a pure function) and deleting them
(``Client.prune`` / ``AsyncClient.prune``, which check ``concurrency`` and call
:func:`prune_sync` / :func:`prune_async`).

Some backups are kept whatever the filters, because the tool cannot be sure what they are:

- a backup whose ``created_at`` is unknown (absent, ``null``, or text the client cannot read):
  its age is unknown, so no age- or rank-based rule applies to it (``"created_at
  unreadable"``, with the text the server sent);
- with ``indexes``, a backup whose ``source_index_name`` is not one of them (a listing of one
  index that holds another's backups);
- a backup id listed twice with different fields.

Another backup is a *candidate* when it matches every filter given: ``keep_last`` (it is not
one of the N newest ``Ready`` backups of its index, ranked among those whose ``created_at`` is
known), ``older_than`` (its ``created_at`` is more than that before ``now``), ``statuses`` (its
status is one of them) and ``tags`` (it has each of these tag values). A candidate is deleted
unless a safety rail keeps it:

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

__all__ = ["PruneInterrupted", "PrunePlan", "PruneReport", "parse_duration", "plan_prune"]

READY = _status.READY
RESTORE_PENDING = "restore pending"
"""The reason of a backup skipped because the server refused it (412): a restore job uses it."""
ALREADY_GONE = "already gone"
"""The reason of a backup skipped because it was deleted meanwhile (404)."""

_UNITS = (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
"""Duration units, largest first, in seconds."""


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


def parse_duration(text: str) -> datetime.timedelta:
    """``"90m"``, ``"36h"``, ``"30d"``, ``"2w"`` (also ``"45s"``): a whole positive number and
    a unit, as a ``timedelta``. ``ValidationError`` (a ``ValueError``) otherwise."""
    import datetime as dt

    if not isinstance(text, str):
        raise ArgumentTypeError(
            f"a duration must be a str, not {type(text).__name__}", param="duration"
        )
    number, unit = text.strip()[:-1], text.strip()[-1:]
    seconds = dict(_UNITS).get(unit.lower())
    if seconds is None or not (number.isascii() and number.isdigit()) or int(number) == 0:
        raise ValidationError(
            f"expected a duration like 90m, 36h, 30d or 2w (a whole number and one of the units "
            f"s, m, h, d, w), got {text!r}",
            param="duration",
        )
    return dt.timedelta(seconds=int(number) * seconds)


def format_duration(duration: datetime.timedelta) -> str:
    """A duration in the largest unit up to days that states it exactly: ``14d``, ``36h``,
    ``90m``, ``45s``."""
    total = duration.days * 86_400 + duration.seconds
    if duration.microseconds or total <= 0:
        return f"{duration.total_seconds():g}s"
    for unit, seconds in _UNITS[1:]:
        if total % seconds == 0:
            return f"{total // seconds}{unit}"
    raise AssertionError("unreachable: seconds divide every whole number of seconds")


def _age(age: datetime.timedelta) -> str:
    """An age, rounded down to a readable unit: ``45d``, ``5h``, ``12m``, ``30s``."""
    seconds = max(0, age.days * 86_400 + age.seconds)
    for unit, size in _UNITS[1:]:
        if seconds >= 2 * size or unit == "s":
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable")


def order_key(backup: Backup) -> tuple[str, bool, datetime.timedelta, str]:
    """The order of a plan: by index, newest first (unknown ``created_at`` last), then id."""
    import datetime as dt

    created = backup.created_at
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    before = dt.timedelta(0) if created is None else epoch - created
    return (backup.source_index_name, created is None, before, backup.backup_id)


PYTHON_OPTIONS: Mapping[str, str] = {"allow_empty": "allow_empty=True", "statuses": "statuses"}
"""How the reasons of :func:`plan_prune` name its options (the Python API's names)."""
CLI_OPTIONS: Mapping[str, str] = {"allow_empty": "--allow-empty", "statuses": "--status"}
"""How the reasons name the options in the ``prune`` command (its flags): see :func:`make_plan`."""

_RAW_CHARACTERS = 60
"""The longest raw ``created_at`` quoted in a reason (escaped, then cut)."""


def plan_prune(
    backups: Iterable[Backup],
    *,
    keep_last: int | None = None,
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

    ``keep_last``: spare the N newest ``Ready`` backups of each index. ``older_than`` (a
    ``timedelta``): only backups created more than that before ``now`` (an aware ``datetime``;
    default: now, UTC). ``statuses``: only backups in one of these statuses (exact match); they
    may then be non-final ones. ``tags``: only backups with each of these tag values.
    ``allow_empty``: may delete the newest ``Ready`` backup of an index. ``restore_jobs``: the
    project's restore jobs (``client.iter_restore_jobs()``); the backups of unfinished ones are
    kept. ``indexes``: the indexes whose backups were listed (``source_index_name``); a backup
    of any other index is kept, whatever the server answered. A backup whose ``created_at`` is
    unknown (absent, ``null`` or unreadable) is always kept. A backup id given twice is planned
    once (kept if its two records differ). The plan depends only on the arguments.
    """
    return make_plan(
        backups,
        keep_last=keep_last,
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

    if keep_last is not None and (
        not isinstance(keep_last, int) or isinstance(keep_last, bool) or keep_last < 0
    ):
        raise _bad("keep_last", keep_last, "a whole number >= 0 or None", int)
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
    ordered = sorted(unique.values(), key=order_key)

    # Why a backup is kept whatever the filters: the tool cannot be sure what it is.
    unsure: dict[str, list[str]] = {}
    for backup in ordered:
        doubts: list[str] = []
        if listed is not None and backup.source_index_name not in listed:
            doubts.append(_other_index(backup.source_index_name, listed))
        if backup.created_at is None:
            doubts.append(
                f"safety: created_at unreadable ({_raw_created_at(backup)}), so its age is unknown"
            )
        if backup.backup_id in conflicting:
            doubts.append("safety: listed twice with different fields")
        if doubts:
            unsure[backup.backup_id] = doubts

    # Ranks among the Ready backups of an index whose age is known: 0 for the newest, 1...
    ready_rank: dict[str, int] = {}
    ready_count: dict[str, int] = {}
    for backup in ordered:
        if backup.status == READY and backup.backup_id not in unsure:
            count = ready_count.get(backup.source_index_name, 0)
            ready_rank[backup.backup_id] = count
            ready_count[backup.source_index_name] = count + 1

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
        created = backup.created_at
        assert created is not None  # an unknown one is in `unsure`
        matched: list[str] = []  # the filters it matches
        spared: list[str] = []  # the filters it does not match
        rank = ready_rank.get(backup.backup_id)
        if keep_last == 0:
            matched.append("keep last 0 spares no backup")
        elif keep_last is not None:
            newest = _newest(keep_last)
            if rank is not None and rank < keep_last:
                spared.append(f"{'the' if keep_last == 1 else 'one of the'} {newest}")
            else:
                matched.append(f"not {'the' if keep_last == 1 else 'one of the'} {newest}")
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
        if spared:
            keep.append((backup, "; ".join(spared)))
            continue

        rails: list[str] = []
        if rank == 0 and not allow_empty:
            rails.append(
                f"safety: newest Ready backup of index {backup.source_index_name!r} "
                f"({options['allow_empty']} lifts this)"
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


def _other_index(index: str, listed: frozenset[str]) -> str:
    if len(listed) == 1:
        return f"source index {index!r} is not the index given ({next(iter(listed))!r})"
    given = ", ".join(repr(name) for name in sorted(listed)) or "none"
    return f"source index {index!r} is not one of the indexes given ({given})"


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
